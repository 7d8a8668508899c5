//! Zelfstandige woonruimten (ZEL): the twelve stelselgroepen (rubrieken).
//!
//! Each rubriek follows the Huurcommissie beleidsboek WWS zelfstandige woonruimte
//! (version in force on the peildatum; July 2026 policy). Paragraph numbers in the
//! comments refer to that beleidsboek.

use crate::model::{Date, Eenheid, Ruimte, Stelsel, Warning};
use crate::result::{Groep, Lazy, LineId, Meeteenheid, Resultaat};
use crate::round::{self, half_up, kwart, whole};
use crate::tables::{Segment, Tables};
use crate::{Options, WwsError};
use std::borrow::Cow;

use crate::groepen::naam_of;
pub use crate::groepen::{GROEPEN, prefix_of};

// One module per rubriek, and the classification of rooms; their items are re-exported
// here, so `zel::ovz`, `zel::woz`, … keep their paths (kern.rs and onz.rs use them).
mod bij;
mod bui;
mod ene;
mod gedeeld;
mod gpa;
mod gvr;
mod keuken;
mod oppervlakte;
mod pmn;
mod ruimten;
mod sanitair;
mod vkv;
mod wozwaarde;
pub(crate) use bij::*;
pub use bui::*;
pub(crate) use ene::*;
pub(crate) use gedeeld::*;
pub(crate) use gpa::*;
pub(crate) use gvr::*;
pub use keuken::*;
pub(crate) use oppervlakte::*;
pub(crate) use pmn::*;
pub use ruimten::*;
pub(crate) use sanitair::*;
pub(crate) use vkv::*;
pub(crate) use wozwaarde::*;

pub(crate) struct Ctx<'a> {
    pub e: &'a Eenheid,
    pub peildatum: Date,
    pub t: &'a Tables,
    pub warnings: Vec<Warning>,
    /// points-only valuation: criterium lines without ids or names
    pub lean: bool,
}

impl Ctx<'_> {
    /// A new group in this valuation's mode.
    pub fn groep(&self, code: &'static str, naam: &'static str) -> Groep {
        if self.lean {
            Groep::new_lean(code, naam)
        } else {
            Groep::new(code, naam)
        }
    }

    pub fn warn(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let w = Warning {
            field: field.into(),
            message: message.into(),
        };
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }
}

/// True when [`normaliseer_namen`] would change a name (an empty or a repeated name).
pub fn namen_te_normaliseren(e: &Eenheid) -> bool {
    let mut seen: Vec<&str> = Vec::with_capacity(e.ruimten.len());
    for r in &e.ruimten {
        match r.naam.as_deref() {
            None | Some("") => return true,
            Some(n) => {
                if seen.contains(&n) {
                    return true;
                }
                seen.push(n);
            }
        }
    }
    false
}

/// Names as the peer normalises them: empty names take the shown name, duplicates are
/// numbered ("Slaapkamer 1", "Slaapkamer 2").
pub fn normaliseer_namen(e: &mut Eenheid) {
    for r in e.ruimten.iter_mut() {
        if r.naam.as_deref().is_none_or(str::is_empty) {
            r.naam = Some(r.weergavenaam());
        }
    }
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for r in &e.ruimten {
        *counts
            .entry(r.naam.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for r in e.ruimten.iter_mut() {
        let n = r.naam.clone().unwrap_or_default();
        if counts[&n] > 1 {
            let k = seen.entry(n.clone()).or_default();
            *k += 1;
            r.naam = Some(format!("{n} {k}"));
        }
    }
}

/// Values a ZEL unit. `only`: value just this stelselgroep (the others are computed
/// internally when it depends on them) and return a result with that group alone.
pub fn waardeer(
    e: &Eenheid,
    opts: &Options,
    t: &Tables,
    only: Option<&str>,
) -> Result<Resultaat, WwsError> {
    waardeer_mode(e, opts, t, only, false)
}

/// True when names must be normalised before valuing: always with texts; in points-only
/// mode only when a name can enter a criterium id that a rule looks up (a room without id,
/// a parking space) or a warning can become the strict-mode error.
pub(crate) fn normaliseren_nodig(e: &Eenheid, opts: &Options, lean: bool) -> bool {
    if !namen_te_normaliseren(e) {
        return false;
    }
    !lean
        || opts.strict
        || e.ruimten
            .iter()
            .any(|r| r.id.as_deref().is_none_or(str::is_empty) || parkeertype(r).is_some())
}

/// [`waardeer`]; `lean`: points-only (criterium lines carry numbers, no texts).
pub(crate) fn waardeer_mode(
    e: &Eenheid,
    opts: &Options,
    t: &Tables,
    only: Option<&str>,
    lean: bool,
) -> Result<Resultaat, WwsError> {
    // the reference numbers duplicate names when it values a whole stelsel, not when a
    // single stelselgroep is called; copy the unit only when a name changes
    let genormaliseerd;
    let e = if only.is_none() && normaliseren_nodig(e, opts, lean) {
        let mut c = e.clone();
        normaliseer_namen(&mut c);
        genormaliseerd = c;
        &genormaliseerd
    } else {
        e
    };
    let mut ctx = Ctx {
        e,
        peildatum: opts.peildatum,
        t,
        warnings: Vec::new(),
        lean,
    };
    check_ruimten(&mut ctx);
    let groepen = match only {
        None => {
            let mut gs: Vec<Groep> = Vec::new();
            for (code, _, _) in GROEPEN {
                let g = groep(&mut ctx, code, &gs)?;
                gs.push(g);
            }
            gs
        }
        Some(code) => {
            let Some(&(code, _, _)) = GROEPEN.iter().find(|g| g.0 == code) else {
                return Err(WwsError::Input(format!("unknown ZEL stelselgroep {code}")));
            };
            let mut others = Vec::new();
            if matches!(code, "WOZ" | "PMN" | "BIJ") {
                for (c, _, _) in GROEPEN {
                    if c == code || (code != "PMN" && c == "PMN") {
                        continue;
                    }
                    let g = groep(&mut ctx, c, &others)?;
                    others.push(g);
                }
            }
            vec![groep(&mut ctx, code, &others)?]
        }
    };
    let warnings = std::mem::take(&mut ctx.warnings);
    let r = totals(
        e.id.clone(),
        Stelsel::Zelfstandig,
        groepen,
        warnings,
        opts.peildatum,
        t,
    )?;
    strict_check(r, opts)
}

/// In strict mode the first warning is an error.
pub(crate) fn strict_check(r: Resultaat, opts: &Options) -> Result<Resultaat, WwsError> {
    if opts.strict
        && let Some(w) = r.warnings.first()
    {
        return Err(WwsError::Strict(w.clone()));
    }
    Ok(r)
}

/// Sums the rubrieken, rounds, and looks up the maximum rent and surcharges.
pub(crate) fn totals(
    id: Option<String>,
    stelsel: Stelsel,
    groepen: Vec<Groep>,
    warnings: Vec<Warning>,
    peildatum: Date,
    t: &Tables,
) -> Result<Resultaat, WwsError> {
    let punten = whole(groepen.iter().filter_map(|g| g.punten).map(kwart).sum());
    let opslag: f64 = groepen.iter().filter_map(|g| g.opslagpercentage).sum();
    let mut warnings = warnings;
    let n = totals_nums(punten, opslag, stelsel, peildatum, t, &mut warnings)?;
    Ok(Resultaat {
        id,
        stelsel,
        punten,
        maximale_huur: n.maximale_huur,
        opslagpercentage: n.opslagpercentage,
        huurprijsopslag: n.huurprijsopslag,
        maximale_huur_inclusief_opslag: n.maximale_huur_inclusief_opslag,
        segment: n.segment,
        groepen,
        warnings,
    })
}

/// The rent figures of a total.
pub(crate) struct Huur {
    pub maximale_huur: f64,
    pub opslagpercentage: Option<f64>,
    pub huurprijsopslag: f64,
    pub maximale_huur_inclusief_opslag: f64,
    pub segment: Option<Segment>,
}

/// Maximum rent, surcharges and segment of `punten` (whole) with the summed surcharge
/// percentage `opslag`; warnings about the peildatum are added.
pub(crate) fn totals_nums(
    punten: f64,
    opslag: f64,
    stelsel: Stelsel,
    peildatum: Date,
    t: &Tables,
    warnings: &mut Vec<Warning>,
) -> Result<Huur, WwsError> {
    let opslagpercentage = if opslag != 0.0 { Some(opslag) } else { None };
    let tabel = t.huurtabel(stelsel, peildatum)?;
    if peildatum < crate::REGELS_VANAF {
        warnings.push(Warning {
            field: "peildatum".into(),
            message: format!(
                "the rules implemented are those of the beleidsboek from {}; a peildatum of {peildatum} mixes policy years (only the tables follow the peildatum)",
                crate::REGELS_VANAF
            ),
        });
    }
    if peildatum.year > tabel.geldig_vanaf.year {
        // the table is indexed every 1 January: a later year needs its own table
        warnings.push(Warning {
            field: "peildatum".into(),
            message: format!(
                "no {} rent table typed for {}; the table of {} is used (add it to data/wws/huurprijstabellen.toml)",
                stelsel.code(),
                peildatum.year,
                tabel.geldig_vanaf
            ),
        });
    }
    let maximale_huur = tabel.bedrag(punten)?;
    let huurprijsopslag = round::cents(maximale_huur * opslag);
    let segment = match stelsel {
        Stelsel::Zelfstandig => t.segmentgrenzen(peildatum).map(|g| Segment::of(punten, &g)),
        Stelsel::Onzelfstandig => None,
    };
    Ok(Huur {
        maximale_huur,
        opslagpercentage,
        huurprijsopslag,
        maximale_huur_inclusief_opslag: round::cents(maximale_huur + huurprijsopslag),
        segment,
    })
}

pub(crate) fn check_ruimten(ctx: &mut Ctx) {
    let e = ctx.e;
    for (i, r) in e.ruimten.iter().enumerate() {
        for (missing, veld, wat) in [
            (r.oppervlakte.is_none(), "oppervlakte", "oppervlakte"),
            (r.soort.is_none(), "soort", "soort"),
            (r.detail_soort.is_none(), "detailSoort", "detailsoort"),
        ] {
            if missing {
                ctx.warn(
                    format!("eenheid.ruimten[{i}].{veld}"),
                    format!(
                        "ruimte '{}' ({}) heeft geen {wat}",
                        r.weergavenaam(),
                        r.id.as_deref().unwrap_or("")
                    ),
                );
            }
        }
    }
}

pub(crate) fn groep(ctx: &mut Ctx, code: &'static str, prior: &[Groep]) -> Result<Groep, WwsError> {
    let mut g = ctx.groep(code, naam_of(code));
    match code {
        "OVZ" => ovz(ctx, &mut g),
        "OOZ" => ooz(ctx, &mut g),
        "ENE" => ene(ctx, &mut g),
        "KEU" => keu(ctx, &mut g),
        "VKV" => vkv(ctx, &mut g),
        "BUI" => bui(ctx, &mut g),
        "SAN" => san(ctx, &mut g),
        "GPA" => gpa(ctx, &mut g),
        "GVR" => gvr(ctx, &mut g),
        "BIJ" => bij(ctx, &mut g, prior, Stelsel::Zelfstandig),
        "WOZ" => woz(ctx, &mut g, prior)?,
        "PMN" => pmn(ctx, &mut g, prior)?,
        _ => unreachable!("codes come from GROEPEN"),
    }
    Ok(g)
}

/// Adds the "Afronding op kwartpunten" line when the shown line points (2 decimals)
/// do not add up to the rounded group total.
pub(crate) fn afronding(g: &mut Groep) {
    // a line for display only: the group's points are set
    if g.is_lean() || !g.woningwaarderingen.iter().any(|w| w.punten.is_some()) {
        return;
    }
    let shown: f64 = g
        .woningwaarderingen
        .iter()
        .filter_map(|w| w.punten)
        .map(round::cents)
        .sum();
    let delta = round::cents(g.points() - shown);
    if delta.abs() > 1e-9 {
        g.add("afronding_op_kwartpunten", "Afronding op kwartpunten");
        g.last().punten = Some(delta);
    }
}

/// Rounds the summed line points to a quarter and adds the rounding line.
pub(crate) fn finish(g: &mut Groep) {
    g.sum_points();
    afronding(g);
}

#[cfg(test)]
mod tests {

    /// The extra voorzieningen of `data/wws/` are exactly the codes the rules name.
    #[test]
    fn extra_voorzieningen_tables_name_the_rules_codes() {
        let b = &Tables::embedded().beleid[0];
        let codes = |m: &std::collections::BTreeMap<String, f64>| {
            m.keys().cloned().collect::<std::collections::BTreeSet<_>>()
        };
        let keuken: std::collections::BTreeSet<String> =
            KEUKEN_EXTRA.iter().map(|x| x.0.to_string()).collect();
        let sanitair: std::collections::BTreeSet<String> =
            SANITAIR_EXTRA.iter().map(|x| x.0.to_string()).collect();
        assert_eq!(codes(&b.keuken.extra), keuken);
        assert_eq!(codes(&b.sanitair.extra), sanitair);
        assert_eq!(b.keuken.extra("ICM"), 2.0);
        assert_eq!(b.sanitair.extra("DOW"), 1.25);
    }

    use super::*;

    #[test]
    fn aanrecht_points() {
        assert_eq!(punten_aanrecht_zel(999.0), 0.0);
        assert_eq!(punten_aanrecht_zel(1000.0), 4.0);
        assert_eq!(punten_aanrecht_zel(1999.0), 4.0);
        assert_eq!(punten_aanrecht_zel(2000.0), 7.0);
    }

    #[test]
    fn label_names_as_before() {
        // the former allocating version
        let old = |code: &str, naam: Option<&str>| match code.to_ascii_uppercase().as_str() {
            "A" | "B" | "C" | "D" | "E" | "F" | "G" => code.to_ascii_uppercase(),
            "AP" => "A+".to_string(),
            "APP" => "A++".to_string(),
            "AP3" => "A+++".to_string(),
            "AP4" => "A++++".to_string(),
            _ => naam.unwrap_or(code).to_string(),
        };
        for code in [
            "A", "a", "g", "G", "AP", "ap", "App", "AP3", "ap4", "AP5", "H", "", "APPP", "€", "Ab",
        ] {
            for naam in [None, Some("x")] {
                assert_eq!(label_naam(code, naam), old(code, naam), "{code:?} {naam:?}");
            }
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix_of("WOZ"), "punten_voor_de_woz_waarde");
        assert_eq!(GROEPEN.len(), 12);
    }
}
