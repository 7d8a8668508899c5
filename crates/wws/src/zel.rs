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

// ---------------------------------------------------------------------------------
// Classification of rooms (§2.2)

pub(crate) const VERKEER: [&str; 7] = ["HAL", "OVE", "ENT", "GAN", "TRH", "GAL", "LIF"];
pub(crate) const ALTIJD_VERTREK: [&str; 4] = ["KEU", "BAD", "BAT", "DOU"];
pub(crate) const BUITEN: [&str; 11] = [
    "ATR", "ATU", "BAL", "ZIJ", "VTU", "DAK", "TER", "TUI", "RON", "LOG", "OBU",
];
pub(crate) const VERTREK_OF_OVERIG: [&str; 19] = [
    "WOO", "WSL", "WOK", "WSK", "SLA", "OVT", "BIJ", "BER", "BEG", "WAS", "KEL", "SER", "SCH",
    "TUS", "CON", "REC", "ORU", "TOI", "GAR",
];
pub(crate) const ZOLDER: [&str; 2] = ["ZOL", "ZVT"];

/// A three-letter code as a number (other lengths: 0, which no code table holds).
const fn c3(s: &str) -> u32 {
    let b = s.as_bytes();
    if b.len() == 3 {
        b[0] as u32 | (b[1] as u32) << 8 | (b[2] as u32) << 16
    } else {
        0
    }
}

const fn c3s<const N: usize>(t: [&str; N]) -> [u32; N] {
    let mut out = [0u32; N];
    let mut i = 0;
    while i < N {
        out[i] = c3(t[i]);
        i += 1;
    }
    out
}

const VERKEER_C: [u32; 7] = c3s(VERKEER);
const ALTIJD_VERTREK_C: [u32; 4] = c3s(ALTIJD_VERTREK);
const BUITEN_C: [u32; 11] = c3s(BUITEN);
const VERTREK_OF_OVERIG_C: [u32; 19] = c3s(VERTREK_OF_OVERIG);
const ZOLDER_C: [u32; 2] = c3s(ZOLDER);

/// The WWS class of a room ([`classificeer`]): which rubriek values its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Klasse {
    /// a vertrek (living room, bedroom, kitchen, bathroom, …): area in rubriek 1
    Vertrek,
    /// an overige ruimte (storage, attic, …): area in rubriek 2
    Overig,
    /// a verkeersruimte (hall, landing, stairs): no points for its area
    Verkeer,
    /// a buitenruimte (balcony, garden, roof terrace): the buitenruimten rubriek
    Buiten,
}

pub(crate) fn gedeeld_met_adressen(r: &Ruimte) -> bool {
    r.gedeeld_met_aantal_adressen.is_some_and(|n| n >= 2)
}

pub(crate) fn gedeeld_met_onz(r: &Ruimte) -> bool {
    r.gedeeld_met_aantal_onzelfstandige_woonruimten
        .is_some_and(|n| n >= 2)
}

pub(crate) fn is_prive(r: &Ruimte) -> bool {
    !gedeeld_met_adressen(r) && !gedeeld_met_onz(r)
}

/// §2.2.4: the net area of fixed cupboards opening onto a room counts with that room
/// (not for verkeersruimten).
pub(crate) fn oppervlakte_kasten(r: &Ruimte) -> f64 {
    match &r.detail_soort {
        None => 0.0,
        Some(d) if VERKEER_C.contains(&c3(d)) => 0.0,
        _ => r
            .verbonden_ruimten
            .iter()
            .filter(|v| v.is_detail("KAS"))
            .filter_map(|v| v.oppervlakte)
            .sum(),
    }
}

pub(crate) fn oppervlakte_met_kasten(r: &Ruimte) -> f64 {
    match r.oppervlakte {
        None => 0.0,
        Some(o) => o + oppervlakte_kasten(r),
    }
}

pub(crate) fn aantal_kasten(r: &Ruimte) -> usize {
    match &r.detail_soort {
        Some(d) if !VERKEER_C.contains(&c3(d)) => r
            .verbonden_ruimten
            .iter()
            .filter(|v| v.is_detail("KAS"))
            .count(),
        _ => 0,
    }
}

/// Criterium name with the counted cupboards: "Slaapkamer (+2 kasten)".
pub(crate) fn naam_met_kasten(r: &Ruimte) -> String {
    let n = r.weergavenaam();
    if r.oppervlakte.is_none() {
        return n;
    }
    match aantal_kasten(r) {
        0 => n,
        1 => format!("{n} (+1 kast)"),
        k => format!("{n} (+{k} kasten)"),
    }
}

/// Criterium-id segment of a room line named `naam`: the room id, or (without id) the
/// line's name in lower case with underscores, as the reference derives it.
pub(crate) fn seg_naam(r: &Ruimte, naam: &str) -> String {
    match &r.id {
        Some(id) if !id.is_empty() => id.clone(),
        _ => naam.to_lowercase().replace(' ', "_"),
    }
}

/// [`seg_naam`] of a line named [`naam_met_kasten`], the name built only without id.
pub(crate) fn seg_naam_met_kasten(r: &Ruimte) -> Cow<'_, str> {
    match &r.id {
        Some(id) if !id.is_empty() => Cow::Borrowed(id),
        _ => Cow::Owned(naam_met_kasten(r).to_lowercase().replace(' ', "_")),
    }
}

/// A zolder is reachable by a fixed stair unless only a vlizotrap is modelled.
pub(crate) fn heeft_vaste_trap(r: &Ruimte) -> bool {
    r.has_element("TRA") || !r.has_element("VTR")
}

/// WWS class of a room, or `None` when it is not valued in rubriek 1/2 (§2.2.1–2.2.3).
pub fn classificeer(r: &Ruimte) -> Option<Klasse> {
    r.oppervlakte?;
    let soort = r.soort.as_deref()?;
    let d = r.detail_soort.as_deref()?;
    let opp = oppervlakte_met_kasten(r);
    let dc = c3(d);
    if soort == "VRK" || VERKEER_C.contains(&dc) {
        return Some(Klasse::Verkeer);
    }
    if BUITEN_C.contains(&dc)
        || (d == "CAR" && is_prive(r))
        || (d == "PAR" && soort == "BTR" && is_prive(r))
    {
        return Some(Klasse::Buiten);
    }
    if ALTIJD_VERTREK_C.contains(&dc) {
        return Some(Klasse::Vertrek);
    }
    if d == "CAR" {
        return None;
    }
    if ZOLDER_C.contains(&dc) {
        // §2.2.1.3: a zoldervertrek reachable by a fixed stair, ≥ 4 m², is a vertrek
        if soort == "VTK" && d == "ZVT" && heeft_vaste_trap(r) && opp >= 4.0 - 1e-9 {
            return Some(Klasse::Vertrek);
        }
        // §2.2.2.3: otherwise an overige ruimte from 2 m²
        if (soort == "VTK" || soort == "OVR") && opp >= 2.0 - 1e-9 {
            return Some(Klasse::Overig);
        }
        return None;
    }
    if d == "PAR" && soort == "OVR" && !gedeeld_met_adressen(r) && opp >= 2.0 - 1e-9 {
        return Some(Klasse::Overig);
    }
    if d == "PAR" {
        return None;
    }
    if VERTREK_OF_OVERIG_C.contains(&dc) {
        if soort == "VTK" {
            if opp >= 4.0 - 1e-9 {
                return Some(Klasse::Vertrek);
            }
            if opp >= 2.0 - 1e-9 {
                return Some(Klasse::Overig);
            }
        }
        if soort == "OVR" {
            if d == "GAR" && gedeeld_met_adressen(r) {
                return None;
            }
            if opp >= 2.0 - 1e-9 {
                return Some(Klasse::Overig);
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// Rubriek 1: oppervlakte van vertrekken (1 point per m², total rounded to whole m²)

pub(crate) fn ovz(ctx: &mut Ctx, g: &mut Groep) {
    let mut som = 0.0;
    for r in &ctx.e.ruimten {
        if gedeeld_met_adressen(r) || classificeer(r) != Some(Klasse::Vertrek) {
            continue;
        }
        if r.oppervlakte.is_none_or(|o| o == 0.0) {
            continue;
        }
        let a = half_up(oppervlakte_met_kasten(r), 2);
        som += a;
        g.add(&seg_naam_met_kasten(r), Lazy(|| naam_met_kasten(r)));
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(a);
    }
    g.punten = Some(kwart(whole(som)));
}

/// Total area (2 decimals per room) of the overige ruimten not shared with other addresses.
pub(crate) fn overige_ruimten(e: &Eenheid) -> impl Iterator<Item = &Ruimte> {
    e.ruimten
        .iter()
        .filter(|r| !gedeeld_met_adressen(r) && classificeer(r) == Some(Klasse::Overig))
}

pub(crate) fn is_zolder_zonder_vaste_trap(r: &Ruimte) -> bool {
    r.detail_soort
        .as_deref()
        .is_some_and(|d| ZOLDER_C.contains(&c3(d)))
        && r.oppervlakte.is_some()
        && !heeft_vaste_trap(r)
        && classificeer(r) == Some(Klasse::Overig)
}

// Rubriek 2: oppervlakte van overige ruimten (0.75 point per m²); §2.2.2.3 zolder without
// a fixed stair: the points of its area are deducted up to 5 points.
pub(crate) fn ooz(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let totaal: f64 = overige_ruimten(e)
        .map(|r| half_up(oppervlakte_met_kasten(r), 2))
        .sum();
    let zonder_trap = e
        .ruimten
        .iter()
        .any(|r| !gedeeld_met_adressen(r) && is_zolder_zonder_vaste_trap(r));
    let parent = if zonder_trap {
        let id = g.add("subtotaal", "Subtotaal");
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(half_up(totaal, 2));
        w.punten = Some(whole(totaal) * 0.75);
        Some(id)
    } else {
        None
    };
    for r in e.ruimten.iter().filter(|r| !gedeeld_met_adressen(r)) {
        if classificeer(r) == Some(Klasse::Overig) {
            let seg = seg_naam_met_kasten(r);
            let naam = Lazy(|| naam_met_kasten(r));
            match &parent {
                Some(p) => g.add_under(p, &seg, naam),
                None => g.add(&seg, naam),
            };
            let w = g.last();
            w.meeteenheid = Some(Meeteenheid::M2);
            w.aantal = Some(half_up(oppervlakte_met_kasten(r), 2));
        }
        if is_zolder_zonder_vaste_trap(r) {
            let zolder = half_up(oppervlakte_met_kasten(r), 2);
            let correctie = ((whole(totaal) - whole(totaal - zolder)) * 0.75).min(5.0);
            g.add(
                &format!("{}__correctie_zolder_zonder_vaste_trap", r.criterium_id()),
                "Correctie: zolder zonder vaste trap",
            );
            g.last().punten = Some(-correctie);
        }
    }
    if zonder_trap {
        finish(g);
    } else {
        g.punten = Some(kwart(whole(totaal) * 0.75));
    }
}

// ---------------------------------------------------------------------------------
// Rubriek 3: verkoeling en verwarming. Heated vertrek 2 points (4 with an open kitchen:
// a woonkamer/keuken type or a room with a worktop of ≥ 1 m), cooled vertrek +1 (max 2),
// heated overige/verkeersruimte 1 (max 4).

pub(crate) const GEEN_OPEN_KEUKEN: [&str; 5] = ["KEU", "BIJ", "BAD", "BAT", "DOU"];

/// 0 = no open kitchen, 1 = inherent (WOK/WSK), 2 = implicit (worktop ≥ 1 m).
pub(crate) fn open_keuken(r: &Ruimte) -> u8 {
    let d = r.detail_soort.as_deref().unwrap_or("");
    if GEEN_OPEN_KEUKEN.contains(&d) {
        0
    } else if OPEN_KEUKEN.contains(&d) {
        1
    } else if heeft_valide_aanrecht(r) {
        2
    } else {
        0
    }
}

pub(crate) fn deler(r: &Ruimte) -> u32 {
    r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1)
        * r.gedeeld_met_aantal_onzelfstandige_woonruimten
            .unwrap_or(1)
            .max(1)
}

/// The heating/cooling lines of `ruimten` (already filtered). `sub` gives the id of the
/// subgroup line (verwarmde_vertrekken, …) for a room; `divisor` divides a room's points;
/// with `maximeren` cooled vertrekken count at most 2 and heated overige/verkeersruimten
/// at most 4 (separately for private and shared rooms).
pub(crate) fn vkv_lines(
    g: &mut Groep,
    ruimten: &[&Ruimte],
    sub: &dyn Fn(&mut Groep, &Ruimte, &str, &str) -> LineId,
    divisor: &dyn Fn(&Ruimte) -> f64,
    maximeren: bool,
) {
    let mut ruimten: Vec<&Ruimte> = ruimten.to_vec();
    ruimten.sort_by_key(|r| deler(r));
    let mut verkoeld = [0u32; 2];
    for r in ruimten
        .iter()
        .filter(|r| r.verwarmd == Some(true) && classificeer(r) == Some(Klasse::Vertrek))
    {
        let d = divisor(r);
        let ok = open_keuken(r);
        let naam = || {
            let n = r.weergavenaam();
            if ok == 2 {
                format!("{n} met open keuken")
            } else {
                n
            }
        };
        let p = sub(g, r, "verwarmde_vertrekken", "Verwarmde vertrekken");
        let seg = match &r.id {
            Some(id) if !id.is_empty() => Cow::Borrowed(id.as_str()),
            _ => Cow::Owned(seg_naam(r, &naam())),
        };
        g.add_under(&p, &seg, Lazy(naam));
        g.last().punten = Some(if ok > 0 { 4.0 } else { 2.0 } / d);
        if r.verkoeld == Some(true) {
            let gd = usize::from(!is_prive(r));
            verkoeld[gd] += 1;
            let p = sub(g, r, "verkoelde_vertrekken", "Verkoelde vertrekken");
            g.add_under(&p, &r.criterium_seg(), Lazy(|| r.weergavenaam()));
            g.last().punten = Some(1.0 / d);
            if maximeren && verkoeld[gd] > 2 {
                g.add_under(
                    &p,
                    "max_aantal_punten",
                    if gd == 1 {
                        "Maximering"
                    } else {
                        "Maximaal 2 punten"
                    },
                );
                g.last().punten = Some(-1.0 / d);
            }
        }
    }
    let mut overig = [0u32; 2];
    for r in ruimten.iter().filter(|r| {
        r.verwarmd == Some(true)
            && matches!(
                classificeer(r),
                Some(Klasse::Overig) | Some(Klasse::Verkeer)
            )
    }) {
        let d = divisor(r);
        let p = sub(
            g,
            r,
            "verwarmde_overige_en_verkeersruimten",
            "Verwarmde overige en verkeersruimten",
        );
        g.add_under(&p, &r.criterium_seg(), Lazy(|| r.weergavenaam()));
        g.last().punten = Some(1.0 / d);
        let gd = usize::from(!is_prive(r));
        overig[gd] += 1;
        if maximeren && overig[gd] > 4 {
            g.add_under(
                &p,
                "max_aantal_punten",
                if gd == 1 {
                    "Maximering"
                } else {
                    "Maximaal 4 punten"
                },
            );
            g.last().punten = Some(-1.0 / d);
        }
    }
}

pub(crate) fn vkv(ctx: &mut Ctx, g: &mut Groep) {
    let ruimten: Vec<&Ruimte> = ctx
        .e
        .ruimten
        .iter()
        .filter(|r| !gedeeld_met_adressen(r))
        .collect();
    vkv_lines(
        g,
        &ruimten,
        &|g, _r, seg, naam| ensure(g, None, seg, naam),
        &|_| 1.0,
        true,
    );
    finish(g);
}

// ---------------------------------------------------------------------------------
// Rubriek 8 (beleidsboek numbering: buitenruimten). Private: 2 points when present +
// 0.35 per m²; shared with n addresses: 0.75 per m² / n (minimum 2.00 × 1.50 × 1.50 m);
// none at all: −5; at most 15.

/// Parking types that are always valued in gemeenschappelijke parkeerruimten.
pub(crate) const PARKEER_ALTIJD_GPA: [(&str, &str); 4] = [
    ("PIP", "Type I"),
    ("PUP", "Type I"),
    ("PBD", "Type II"),
    ("PBC", "Type III"),
];
/// Parking types valued as private outdoor space, or shared in rubriek 10.
pub(crate) const PARKEER_BUI_OF_GPA: [(&str, &str); 2] = [("CAR", "Type II"), ("PAR", "Type III")];

pub(crate) fn voldoet_minimum_gemeenschappelijke_buitenruimte(r: &Ruimte) -> bool {
    !(r.hoogte.is_some_and(|h| h < 2000.0)
        || r.lengte.is_some_and(|l| l < 1500.0)
        || r.breedte.is_some_and(|b| b < 1500.0))
}

/// Private outdoor space: 2 + 0.35 per whole m² (docs/domain.md §11 item 8).
pub fn punten_prive_buitenruimte(m2: f64) -> f64 {
    (2.0 + whole(m2) * 0.35).min(15.0)
}

pub(crate) fn bui(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    // (n addresses, id of the gedeeld-met line, summed m²)
    let mut lagen: Vec<(u32, LineId, f64)> = Vec::new();
    let mut prive_gewaardeerd = false;
    for (i, r) in e.ruimten.iter().enumerate() {
        if classificeer(r) != Some(Klasse::Buiten) {
            continue;
        }
        let d = r.detail_soort.as_deref().unwrap_or("");
        if r.oppervlakte.is_none_or(|o| o == 0.0) {
            ctx.warn(
                format!("eenheid.ruimten[{i}].oppervlakte"),
                format!(
                    "buitenruimte {} heeft geen oppervlakte: niet gewaardeerd",
                    r.criterium_id()
                ),
            );
            continue;
        }
        if PARKEER_ALTIJD_GPA.iter().any(|p| p.0 == d) {
            continue;
        }
        if PARKEER_BUI_OF_GPA.iter().any(|p| p.0 == d) && !is_prive(r) {
            continue;
        }
        let n = r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1);
        if n >= 2 && !voldoet_minimum_gemeenschappelijke_buitenruimte(r) {
            continue;
        }
        let idx = match lagen.iter().position(|l| l.0 == n) {
            Some(k) => k,
            None => {
                let lid = if n >= 2 {
                    g.add(
                        &format!("gedeeld_met_{n}_adressen"),
                        format!("Gedeeld met {n} adressen"),
                    )
                } else {
                    g.add("prive", "Privé")
                };
                lagen.push((n, lid, 0.0));
                lagen.len() - 1
            }
        };
        let a = half_up(r.oppervlakte.unwrap_or(0.0), 2);
        lagen[idx].2 += a;
        g.add_under(&lagen[idx].1, &r.criterium_seg(), Lazy(|| r.weergavenaam()));
        g.last().meeteenheid = Some(Meeteenheid::M2);
        g.last().aantal = Some(a);
        if !gedeeld_met_adressen(r) {
            prive_gewaardeerd = true;
        }
    }
    if lagen.is_empty() {
        g.add("geen_buitenruimten", "Geen buitenruimten");
        g.last().punten = Some(-5.0);
    } else if prive_gewaardeerd {
        g.add(
            "prive_buitenruimten_aanwezig",
            "Privé buitenruimten aanwezig",
        );
        g.last().punten = Some(2.0);
    }
    for (n, lid, som) in &lagen {
        let m2 = whole(*som);
        let factor = if *n == 1 { 0.35 } else { 0.75 };
        if let Some(w) = g.line_mut(lid) {
            w.punten = Some(m2 * factor / f64::from(*n));
            w.aantal = Some(m2);
            w.meeteenheid = Some(Meeteenheid::M2);
        }
    }
    let totaal: f64 = g.woningwaarderingen.iter().filter_map(|w| w.punten).sum();
    if totaal > 15.0 {
        g.add("maximering", "Maximaal 15 punten");
        g.last().punten = Some(15.0 - totaal);
    }
    finish(g);
}

// ---------------------------------------------------------------------------------
// Rubriek 4: energieprestatie

pub(crate) fn label_naam(code: &str, naam: Option<&str>) -> String {
    label_naam_ref(code, naam).into_owned()
}

/// [`label_naam`] without copying when the name is a constant or given.
pub(crate) fn label_naam_ref<'a>(code: &'a str, naam: Option<&'a str>) -> Cow<'a, str> {
    let up = |u: &'static str| -> Cow<'a, str> {
        if code == u {
            Cow::Borrowed(code)
        } else {
            Cow::Borrowed(u)
        }
    };
    let mut b = [0u8; 3];
    if code.len() > 3 {
        return Cow::Borrowed(naam.unwrap_or(code));
    }
    b[..code.len()].copy_from_slice(code.as_bytes());
    b.make_ascii_uppercase();
    match &b[..code.len()] {
        b"A" => up("A"),
        b"B" => up("B"),
        b"C" => up("C"),
        b"D" => up("D"),
        b"E" => up("E"),
        b"F" => up("F"),
        b"G" => up("G"),
        b"AP" => Cow::Borrowed("A+"),
        b"APP" => Cow::Borrowed("A++"),
        b"AP3" => Cow::Borrowed("A+++"),
        b"AP4" => Cow::Borrowed("A++++"),
        _ => Cow::Borrowed(naam.unwrap_or(code)),
    }
}

pub(crate) fn in_vereenvoudigd_label_periode(d: Date) -> bool {
    Date::new(2015, 1, 1) <= d && d < Date::new(2021, 1, 1)
}

/// The energieprestatie that counts at peildatum: soort EI/NTA/EP2/VEL, status DEF,
/// begindatum ≤ peildatum < einddatum; labels registered 2015–2020 do not count
/// (only an energie-index does).
pub(crate) fn geldige_energieprestatie(ctx: &mut Ctx) -> Option<usize> {
    let e = ctx.e;
    if e.energieprestaties.is_empty() {
        ctx.warn(
            "eenheid.energieprestaties",
            "geen energieprestaties: punten op basis van bouwjaar",
        );
        return None;
    }
    for (i, ep) in e.energieprestaties.iter().enumerate() {
        let (Some(soort), Some(_), Some(b), Some(eind)) =
            (&ep.soort, &ep.status, ep.begindatum, ep.einddatum)
        else {
            continue;
        };
        if !matches!(soort.as_str(), "EI" | "NTA" | "EP2" | "VEL") {
            continue;
        }
        if !(b <= ctx.peildatum && ctx.peildatum < eind) {
            continue;
        }
        if ep.status.as_deref() != Some("DEF") {
            continue;
        }
        if in_vereenvoudigd_label_periode(b) && soort != "EI" {
            continue;
        }
        if soort != "EI" && ep.label_code.is_none() {
            continue;
        }
        return Some(i);
    }
    None
}

/// An energieprestatievergoeding (prijscomponent EPV) runs on the peildatum.
pub(crate) fn heeft_epv(e: &Eenheid, peildatum: Date) -> bool {
    e.prijscomponenten.iter().any(|p| {
        p.detail_soort.as_deref() == Some("EPV")
            && p.begindatum.is_none_or(|b| b <= peildatum)
            && p.einddatum.is_none_or(|x| x > peildatum)
    })
}

pub(crate) fn pandsoort(e: &Eenheid) -> Option<bool> {
    // Some(true) = eengezins, Some(false) = meergezins
    if e.panden.iter().any(|p| p == "MGW") {
        Some(false)
    } else if e.panden.iter().any(|p| p == "EGW") {
        Some(true)
    } else {
        None
    }
}

pub(crate) const MONUMENTEN_NULL: (&str, &str) = (
    "eenheid.monumenten",
    "monumenten ontbreekt (null): behandeld als geen monument; geef [] voor 'geen monument'",
);
pub(crate) const GEEN_PANDSOORT: (&str, &str) = (
    "eenheid.panden[].soort",
    "geen pandsoort EGW/MGW: geen punten voor energieprestatie",
);
pub(crate) const ENE_ZONDER_BOUWJAAR: (&str, &str) = (
    "eenheid.bouwjaar",
    "geen geldige energieprestatie en geen bouwjaar: geen punten voor energieprestatie",
);
pub(crate) const WOZ_ZONDER_BOUWJAAR: (&str, &str) = (
    "eenheid.bouwjaar",
    "geen bouwjaar: de nieuwbouwregel (minimaal 40 WOZ-punten) kan niet worden getoetst",
);

pub(crate) fn ene(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let Some(lt) = ctx.t.labeltabel(Stelsel::Zelfstandig, ctx.peildatum) else {
        ctx.warn("peildatum", "no energy-label table for this peildatum");
        return;
    };
    let ep_idx = geldige_energieprestatie(ctx);
    if e.monumenten.is_none() {
        ctx.warn(MONUMENTEN_NULL.0, MONUMENTEN_NULL.1);
    }
    let Some(egw) = pandsoort(e) else {
        ctx.warn(GEEN_PANDSOORT.0, GEEN_PANDSOORT.1);
        finish(g);
        return;
    };
    let col = |egw_pts: f64, mgw_pts: f64| if egw { egw_pts } else { mgw_pts };
    let pandnaam = if egw {
        "Eengezinswoning"
    } else {
        "Meergezinswoning"
    };
    if ep_idx.is_none() && e.bouwjaar.is_none() {
        ctx.warn(ENE_ZONDER_BOUWJAAR.0, ENE_ZONDER_BOUWJAAR.1);
        finish(g);
        return;
    }
    let epv = heeft_epv(e, ctx.peildatum);
    let mut punten: Option<f64> = None;
    if epv {
        g.add(
            "energieprestatievergoeding",
            Lazy(|| format!("Energieprestatievergoeding {pandnaam}")),
        );
        let p = col(lt.epv.0, lt.epv.1);
        g.last().punten = Some(p);
        punten = Some(p);
    } else if let Some(i) = ep_idx {
        let ep = &e.energieprestaties[i];
        let label = ep
            .label_code
            .as_deref()
            .map(|c| label_naam(c, ep.label_naam.as_deref()));
        let b = ep.begindatum.expect("checked");
        let mut lookup = label.clone();
        let mut naam = label.clone().unwrap_or_default();
        let mut ok = true;
        if in_vereenvoudigd_label_periode(b) && ep.soort.as_deref() == Some("EI") {
            match ep.waarde.as_deref().map(|w| w.trim().parse::<f64>()) {
                Some(Ok(ei)) => {
                    let row = lt
                        .labels
                        .iter()
                        .find(|r| r.ei.is_some_and(|(lo, hi)| lo < ei && ei <= hi));
                    let l = row.map(|r| r.label.clone()).unwrap_or_default();
                    naam = match &label {
                        None => "Energie-index".to_string(),
                        Some(x) if *x != l => format!("{x} -> {l} (Energie-index)"),
                        Some(x) => format!("{x} (Energie-index)"),
                    };
                    lookup = Some(l);
                }
                Some(Err(_)) => {
                    ctx.warn(
                        format!("eenheid.energieprestaties[{i}].waarde"),
                        "energie-index is geen getal: punten op basis van bouwjaar",
                    );
                    ok = false;
                }
                None => {
                    ctx.warn(
                        format!("eenheid.energieprestaties[{i}].waarde"),
                        "energie-index zonder waarde: punten op basis van bouwjaar",
                    );
                    ok = false;
                }
            }
        } else if label.is_none() {
            ok = false;
        }
        if ok {
            let l = lookup.unwrap_or_default();
            match lt.labels.iter().find(|r| r.label == l) {
                Some(row) => {
                    g.add("label", naam);
                    let p = col(row.egw, row.mgw);
                    g.last().punten = Some(p);
                    punten = Some(p);
                }
                None => {
                    ctx.warn(
                        format!("eenheid.energieprestaties[{i}].label"),
                        format!("onbekend energielabel {l:?}: punten op basis van bouwjaar"),
                    );
                }
            }
        }
    }
    if punten.is_none()
        && !epv
        && let Some(bj) = e.bouwjaar
    {
        let row = lt
            .bouwjaar
            .iter()
            .find(|r| (r.0 == 0 || r.0 <= bj) && (r.1 == 0 || bj <= r.1));
        if let Some(row) = row {
            g.add("bouwjaar", Lazy(|| format!("Bouwjaar {bj}")));
            let p = col(row.2, row.3);
            g.last().punten = Some(p);
            punten = Some(p);
        }
    }
    // monuments (rijks, provinciaal, gemeentelijk): no negative points
    let monument = ["RIJ", "GEM", "PRO"].iter().any(|m| e.has_monument(m));
    if monument && let Some(p) = punten.filter(|p| *p < 0.0) {
        g.add("correctie_monument", "Correctie monument");
        g.last().punten = Some(-p);
    }
    finish(g);
}

// ---------------------------------------------------------------------------------
// Rubriek 5: keuken

pub(crate) const OPEN_KEUKEN: [&str; 2] = ["WOK", "WSK"];

/// Extra kitchen facilities and their points (beleidsboek §5, tabel extra voorzieningen).
pub(crate) const KEUKEN_EXTRA: [(&str, &str, &str, f64); 16] = [
    (
        "IAF",
        "inbouw_afzuiginstallatie",
        "Inbouw afzuiginstallatie",
        0.75,
    ),
    (
        "IKI",
        "inbouw_kookplaat_inductie",
        "Inbouw kookplaat inductie",
        1.75,
    ),
    (
        "IKK",
        "inbouw_kookplaat_keramisch",
        "Inbouw kookplaat keramisch",
        1.0,
    ),
    ("IKG", "inbouw_kookplaat_gas", "Inbouw kookplaat gas", 0.5),
    ("IKO", "inbouw_koelkast", "Inbouw koelkast", 1.0),
    ("IVR", "inbouw_vrieskast", "Inbouw vrieskast", 0.75),
    (
        "IKV",
        "inbouw_koelvriescombinatie",
        "Inbouw koelvriescombinatie",
        1.75,
    ),
    (
        "IOE",
        "inbouw_oven_elektrisch",
        "Inbouw oven elektrisch",
        1.0,
    ),
    ("IOG", "inbouw_oven_gas", "Inbouw oven gas", 0.5),
    ("IMA", "inbouw_magnetron", "Inbouw magnetron", 1.0),
    (
        "ICM",
        "inbouw_combi_magnetron_en_of_oven",
        "Inbouw combi magnetron/oven",
        2.0,
    ),
    ("IVA", "inbouw_vaatwasmachine", "Inbouw vaatwasmachine", 1.5),
    (
        "EKA",
        "extra_keukenkastruimte_boven_het_minimum",
        "Extra keukenkastruimte boven het minimum",
        0.75,
    ),
    ("EHM", "eenhandsmengkraan", "Éénhandsmengkraan", 0.25),
    (
        "TME",
        "thermostatische_mengkraan",
        "Thermostatische mengkraan",
        0.5,
    ),
    ("KWA", "kokend_waterfunctie", "Kokend waterfunctie", 0.5),
];

pub(crate) fn heeft_valide_aanrecht(r: &Ruimte) -> bool {
    r.bouwkundige_elementen
        .iter()
        .any(|el| el.code.as_deref() == Some("AAN") && el.lengte.is_some_and(|l| l >= 1000.0))
}

/// Points for a total worktop length (mm), ZEL: < 1 m 0, 1–2 m 4, ≥ 2 m 7.
pub fn punten_aanrecht_zel(lengte_mm: f64) -> f64 {
    if lengte_mm < 1000.0 {
        0.0
    } else if lengte_mm >= 2000.0 {
        7.0
    } else {
        4.0
    }
}

pub(crate) fn is_keuken(ctx: &mut Ctx, r: &Ruimte) -> bool {
    let valide = heeft_valide_aanrecht(r);
    let Some(d) = r.detail_soort.as_deref() else {
        return false;
    };
    if d == "KEU" || OPEN_KEUKEN.contains(&d) {
        if !valide {
            ctx.warn(
                format!("ruimte {}", r.criterium_id()),
                format!(
                    "{} is een keuken zonder aanrecht van minstens 1 m: geen keukenpunten",
                    r.weergavenaam()
                ),
            );
        }
        return valide;
    }
    valide
}

/// Worktop points: ZEL < 1 m 0, 1–2 m 4, ≥ 2 m 7; ONZ also > 3 m 10 and > 5 m with
/// ≥ 8 rooms sharing 13.
pub(crate) fn punten_aanrecht(stelsel: Stelsel, lengte: f64, r: &Ruimte) -> f64 {
    if lengte < 1000.0 {
        return 0.0;
    }
    if stelsel == Stelsel::Onzelfstandig {
        if lengte > 5000.0 && r.gedeeld_met_aantal_onzelfstandige_woonruimten.unwrap_or(0) >= 8 {
            return 13.0;
        }
        if lengte > 3000.0 {
            return 10.0;
        }
    }
    punten_aanrecht_zel(lengte)
}

/// Values one room as a kitchen under `parent`; every point divided by `deler`.
pub(crate) fn keuken_ruimte(
    ctx: &mut Ctx,
    g: &mut Groep,
    r: &Ruimte,
    stelsel: Stelsel,
    parent: Option<&LineId>,
    deler: f64,
) -> bool {
    if !is_keuken(ctx, r) {
        return false;
    }
    let rid = match parent {
        Some(p) => g.add_under(p, &r.criterium_seg(), Lazy(|| r.weergavenaam())),
        None => g.add(&r.criterium_seg(), Lazy(|| r.weergavenaam())),
    };
    let aanrechten: Vec<_> = r
        .bouwkundige_elementen
        .iter()
        .filter(|el| el.code.as_deref() == Some("AAN") && el.lengte.is_some_and(|l| l != 0.0))
        .collect();
    for el in &r.bouwkundige_elementen {
        if el.code.as_deref() == Some("AAN") && el.lengte.is_none_or(|l| l == 0.0) {
            ctx.warn(
                format!(
                    "ruimte {} aanrecht {}",
                    r.criterium_id(),
                    el.id.as_deref().unwrap_or("")
                ),
                "aanrecht zonder lengte: telt niet mee",
            );
        }
    }
    let totaal: f64 = aanrechten.iter().filter_map(|el| el.lengte).sum();
    let aanrecht_punten = if aanrechten.is_empty() {
        0.0
    } else {
        punten_aanrecht(stelsel, totaal, r)
    };
    let el_naam = |el: &crate::model::Element| {
        format!(
            "Lengte {}",
            el.naam
                .as_deref()
                .map(str::to_lowercase)
                .unwrap_or_else(|| "aanrecht".into())
        )
    };
    let el_seg = |el: &crate::model::Element| {
        format!("lengte_aanrecht_{}", el.id.as_deref().unwrap_or("None"))
    };
    // the id of an aanrecht line, without building its text in points-only mode
    let el_id = |g: &Groep, parent: &LineId, el: &crate::model::Element| match parent {
        LineId::Key(_) => g.child_id_parts(
            parent,
            &["lengte_aanrecht_", el.id.as_deref().unwrap_or("None")],
        ),
        LineId::Text(_) => g.child_id(parent, &el_seg(el)),
    };
    if aanrechten.len() == 1 {
        let el = aanrechten[0];
        let id = el_id(g, &rid, el);
        g.push_id(&id, Some(&rid), Lazy(|| el_naam(el)));
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::Millimeter);
        w.aantal = el.lengte;
        w.punten = Some(aanrecht_punten / deler);
    } else if aanrechten.len() > 1 {
        let sid = g.add_under(&rid, "subtotaal", "Totale aanrechtlengte");
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::Millimeter);
        w.aantal = Some(totaal);
        w.punten = Some(aanrecht_punten / deler);
        for el in &aanrechten {
            let id = el_id(g, &sid, el);
            g.push_id(&id, Some(&sid), Lazy(|| el_naam(el)));
            let w = g.last();
            w.meeteenheid = Some(Meeteenheid::Millimeter);
            w.aantal = el.lengte;
        }
    }
    let xid = g.child_id(&rid, "extra_voorzieningen");
    let mut extra = 0.0;
    for (code, seg, naam, p) in KEUKEN_EXTRA {
        let n = r.installaties.iter().filter(|c| *c == code).count();
        if n == 0 {
            continue;
        }
        if !g.has(&xid) {
            g.add_under(&rid, "extra_voorzieningen", "Extra voorzieningen");
        }
        let id = g.child_id_parts(&xid, &["extra_voorziening_", seg]);
        g.push_id(&id, Some(&xid), naam);
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::Stuks);
        w.aantal = Some(n as f64);
        w.punten = Some(p * n as f64 / deler);
        extra += p * n as f64;
    }
    if extra > aanrecht_punten {
        if !g.has(&xid) {
            g.add_under(&rid, "extra_voorzieningen", "Extra voorzieningen");
        }
        g.add_under(
            &xid,
            "maximering_extra_voorzieningen",
            "Maximaal evenveel punten als aanrecht",
        );
        g.last().punten = Some((aanrecht_punten - extra) / deler);
    }
    true
}

pub(crate) const GEEN_KEUKEN: &str = "geen keuken gevonden: 0 punten voor keuken";

pub(crate) fn keu(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    for r in &e.ruimten {
        if gedeeld_met_adressen(r) {
            continue;
        }
        keuken_ruimte(ctx, g, r, Stelsel::Zelfstandig, None, 1.0);
    }
    if !g.woningwaarderingen.iter().any(|w| w.punten.is_some()) {
        ctx.warn("eenheid.ruimten", GEEN_KEUKEN);
    }
    finish(g);
}

// ---------------------------------------------------------------------------------
// Rubriek 6: sanitair

pub(crate) const BADKAMERACHTIG: [&str; 3] = ["BAD", "BAT", "DOU"];

/// Installation counts per code (few codes per room: a short list on the stack, not a
/// map; three-letter codes compare as numbers, other codes as text).
pub(crate) struct Aantallen<'a> {
    kort: [(u32, u32); 16],
    n: usize,
    /// codes of another length, or more than 16 kinds
    rest: Vec<(&'a str, u32)>,
}

impl<'a> Aantallen<'a> {
    pub(crate) fn is_empty(&self) -> bool {
        self.n == 0 && self.rest.is_empty()
    }
    pub(crate) fn get(&self, k: &str) -> Option<&u32> {
        let c = c3(k);
        if c != 0
            && let Some(x) = self.kort[..self.n].iter().find(|x| x.0 == c)
        {
            return Some(&x.1);
        }
        self.rest.iter().find(|x| x.0 == k).map(|x| &x.1)
    }
    fn entry(&mut self, k: &'a str) -> &mut u32 {
        let c = c3(k);
        if c != 0 {
            if let Some(i) = self.kort[..self.n].iter().position(|x| x.0 == c) {
                return &mut self.kort[i].1;
            }
            if self.n < self.kort.len() && !self.rest.iter().any(|x| x.0 == k) {
                self.kort[self.n] = (c, 0);
                self.n += 1;
                return &mut self.kort[self.n - 1].1;
            }
        }
        let i = match self.rest.iter().position(|x| x.0 == k) {
            Some(i) => i,
            None => {
                self.rest.push((k, 0));
                self.rest.len() - 1
            }
        };
        &mut self.rest[i].1
    }
}

/// Installation counts of a room: `installaties` united (per kind the maximum, not the
/// sum) with the sanitary bouwkundige elementen.
pub(crate) fn installatie_aantallen(r: &Ruimte) -> Aantallen<'_> {
    let mut inst = Aantallen {
        kort: [(0, 0); 16],
        n: 0,
        rest: Vec::new(),
    };
    for c in &r.installaties {
        *inst.entry(c.as_str()) += 1;
    }
    // per kind the count of elements, then the maximum with the installaties
    let mut el = [0u32; 5];
    const KINDS: [&str; 5] = ["WAS", "DOU", "BAD", "KAS", "STO"];
    for e in &r.bouwkundige_elementen {
        let k = match e.code.as_deref() {
            Some("WAS") | Some("FON") => 0,
            Some("DOU") => 1,
            Some("BAD") => 2,
            Some("KAS") => 3,
            Some("CLO") => 4,
            _ => continue,
        };
        el[k] += 1;
    }
    for (k, n) in KINDS.iter().zip(el) {
        if n > 0 {
            let v = inst.entry(k);
            *v = (*v).max(n);
        }
    }
    inst
}

pub(crate) fn korte_aanrechten(r: &Ruimte) -> u32 {
    r.bouwkundige_elementen
        .iter()
        .filter(|e| e.code.as_deref() == Some("AAN") && e.lengte.is_some_and(|l| l < 1000.0))
        .count() as u32
}

/// (bad+douche, bad, douche, drempelloze inrijdouche) points: ZEL 7/6/4/4, ONZ 6/5/3/3.
pub(crate) fn bad_douche_punten(
    stelsel: Stelsel,
) -> [(&'static str, &'static str, &'static str, f64); 4] {
    let z = stelsel == Stelsel::Zelfstandig;
    [
        (
            "BDO",
            "bad_en_douche",
            "Bad en douche",
            if z { 7.0 } else { 6.0 },
        ),
        ("BAD", "bad", "Bad", if z { 6.0 } else { 5.0 }),
        ("DOU", "douche", "Douche", if z { 4.0 } else { 3.0 }),
        (
            "DRD",
            "drempelloze_inrijdouche",
            "Drempelloze inrijdouche",
            if z { 4.0 } else { 3.0 },
        ),
    ]
}

pub(crate) const SANITAIR_EXTRA: [(&str, &str, &str, f64); 8] = [
    (
        "BUB",
        "bubbelfunctie_van_het_bad",
        "Bubbelfunctie van het bad",
        1.5,
    ),
    ("DOW", "douchewand", "Douchewand", 1.25),
    ("HRA", "handdoekenradiator", "Handdoekenradiator", 0.75),
    (
        "IKW",
        "ingebouwd_kastje_met_in_of_opgebouwde_wastafel",
        "Ingebouwd kastje met in- of opgebouwde wastafel",
        1.0,
    ),
    ("KAS", "kastruimte", "Kastruimte", 0.75),
    (
        "STW",
        "stopcontact_bij_wastafel",
        "Stopcontact bij wastafel",
        0.25,
    ),
    ("EHM", "eenhandsmengkraan", "Éénhandsmengkraan", 0.25),
    (
        "TME",
        "thermostatische_mengkraan",
        "Thermostatische mengkraan",
        0.5,
    ),
];

/// Values the sanitary fixtures of one room under `parent` (a group line id or None);
/// `deler` divides every point (shared rooms); `uitzondering`: this room keeps all its
/// wastafels (ONZ, ≥ 8 rooms). Returns true when anything was valued.
pub(crate) fn sanitair_ruimte(
    ctx: &mut Ctx,
    g: &mut Groep,
    r: &Ruimte,
    stelsel: Stelsel,
    parent: Option<&LineId>,
    deler: f64,
    uitzondering: bool,
) -> bool {
    let mut lines = Vec::new();
    sanitair_regels(ctx, r, stelsel, uitzondering, g.is_lean(), &mut lines);
    if lines.is_empty() {
        return false;
    }
    let rid = match parent {
        Some(p) => g.add_under(p, &r.criterium_seg(), Lazy(|| r.weergavenaam())),
        None => g.add(&r.criterium_seg(), Lazy(|| r.weergavenaam())),
    };
    let xid = g.child_id(&rid, "extra_voorzieningen");
    for (seg, naam, aantal, pts, extra) in lines {
        if extra {
            if !g.has(&xid) {
                g.add_under(&rid, "extra_voorzieningen", "Extra voorzieningen");
            }
            g.add_under(&xid, &seg, naam);
        } else {
            g.add_under(&rid, &seg, naam);
        }
        let w = g.last();
        if let Some(a) = aantal {
            w.aantal = Some(a);
            w.meeteenheid = Some(Meeteenheid::Stuks);
        }
        w.punten = Some(pts / deler);
    }
    true
}

/// A sanitary line of a room: (segment under the room, naam, aantal (stuks), points before
/// the division by the sharers, under "extra voorzieningen"?).
pub(crate) type SanitairRegel = (Cow<'static, str>, Cow<'static, str>, Option<f64>, f64, bool);

/// The sanitary lines of one room, in output order, into `lines` (emptied first); the
/// warnings go to `ctx`. `lean`: no names.
pub(crate) fn sanitair_regels(
    ctx: &mut Ctx,
    r: &Ruimte,
    stelsel: Stelsel,
    uitzondering: bool,
    lean: bool,
    lines: &mut Vec<SanitairRegel>,
) {
    lines.clear();
    let Some(d) = r.detail_soort.as_deref() else {
        return;
    };
    if r.installaties.is_empty() && r.bouwkundige_elementen.is_empty() {
        // nothing to count: no lines and no warnings below
        return;
    }
    let inst = installatie_aantallen(r);
    let kort = korte_aanrechten(r);
    if inst.is_empty() && kort == 0 {
        // every count below is 0: no lines, no warnings
        return;
    }
    let n = |k: &str| inst.get(k).copied().unwrap_or(0);
    let badkamer = BADKAMERACHTIG.contains(&d);
    let gedeeld = !is_prive(r);
    // names are built only when the lines keep texts
    let tekst = |f: &dyn Fn() -> String| -> Cow<'static, str> {
        if lean {
            Cow::Borrowed("")
        } else {
            Cow::Owned(f())
        }
    };
    let toilet = if d == "TOI" {
        Some((3.75, 3.0))
    } else if badkamer {
        Some((2.75, 2.0))
    } else {
        None
    };
    if let Some((hangend, staand)) = toilet {
        for (k, seg, naam, p) in [
            ("HTO", "hangend_toilet", "Hangend toilet", hangend),
            ("STO", "staand_toilet", "Staand Toilet", staand),
        ] {
            if n(k) > 0 {
                lines.push((
                    Cow::Borrowed(seg),
                    Cow::Borrowed(naam),
                    Some(n(k) as f64),
                    p * n(k) as f64,
                    false,
                ));
            }
        }
    }
    for (k, seg, max_seg, naam, per) in [
        ("WAS", "wastafel", "max_punten_wastafel", "Wastafel", 1.0),
        (
            "MPW",
            "meerpersoonswastafel",
            "max_punten_meerpersoonswastafel",
            "Meerpersoonswastafel",
            1.5,
        ),
    ] {
        let aantal = n(k);
        let spoel = if k == "WAS" { kort } else { 0 };
        let totaal = f64::from(aantal + spoel) * per;
        if spoel > 0 {
            lines.push((
                Cow::Borrowed(seg),
                tekst(&|| format!("{naam} (spoelbak in aanrecht < 1m)")),
                Some(f64::from(spoel)),
                f64::from(spoel) * per,
                false,
            ));
        }
        if aantal > 0 {
            lines.push((
                Cow::Borrowed(seg),
                Cow::Borrowed(naam),
                Some(f64::from(aantal)),
                f64::from(aantal) * per,
                false,
            ));
        }
        if totaal > per && !badkamer && !uitzondering {
            let naam = tekst(&|| {
                if gedeeld {
                    format!("Maximering voor {naam}")
                } else {
                    format!("Max {per:?} punt voor {naam}")
                }
            });
            lines.push((Cow::Borrowed(max_seg), naam, None, per - totaal, false));
        }
    }
    if n("WAS") + n("MPW") < n("IKW") {
        ctx.warn(
            format!("ruimte {}", r.criterium_id()),
            "meer ingebouwde kastjes met wastafel dan wastafels",
        );
    }
    // bad + douche in one room count as bad en douche
    let mut bd = [n("BDO"), n("BAD"), n("DOU"), n("DRD")];
    for i in [2, 3] {
        let k = bd[1].min(bd[i]);
        bd[1] -= k;
        bd[i] -= k;
        bd[0] += k;
    }
    let mut bad_douche_pts = 0.0;
    for (i, (_, seg, naam, p)) in bad_douche_punten(stelsel).iter().enumerate() {
        if bd[i] > 0 {
            let pts = f64::from(bd[i]) * p;
            bad_douche_pts += pts;
            lines.push((
                Cow::Borrowed(*seg),
                Cow::Borrowed(*naam),
                Some(f64::from(bd[i])),
                pts,
                false,
            ));
        }
    }
    if badkamer {
        let wastafels = n("WAS") + n("MPW");
        let bad_of_douche = ["BAD", "DOU", "DRD", "BDO"].iter().any(|k| n(k) > 0);
        let extra = SANITAIR_EXTRA.iter().any(|x| n(x.0) > 0);
        if extra && wastafels == 0 {
            ctx.warn(
                format!("ruimte {}", r.criterium_id()),
                "extra sanitaire voorzieningen zonder wastafel: niet gewaardeerd",
            );
        } else if extra && !bad_of_douche {
            ctx.warn(
                format!("ruimte {}", r.criterium_id()),
                "extra sanitaire voorzieningen zonder bad of douche: niet gewaardeerd",
            );
        } else if extra {
            let mut tot = 0.0;
            for (k, seg, naam, p) in SANITAIR_EXTRA {
                let a = n(k);
                if a == 0 {
                    continue;
                }
                let pts = f64::from(a) * p;
                tot += pts;
                lines.push((
                    Cow::Borrowed(seg),
                    Cow::Borrowed(naam),
                    Some(f64::from(a)),
                    pts,
                    true,
                ));
                if k == "KAS" && pts > 0.75 {
                    let c = 0.75 - pts;
                    tot += c;
                    let naam = if gedeeld {
                        "Maximering voor Kastruimte"
                    } else {
                        "Max 0.75 punten voor Kastruimte"
                    };
                    lines.push((
                        Cow::Borrowed("max_punten_kastruimte"),
                        Cow::Borrowed(naam),
                        None,
                        c,
                        true,
                    ));
                }
                if k == "STW" {
                    let c = ((f64::from(wastafels) * 2.0 - f64::from(a)) * 0.25).min(0.0);
                    if c < 0.0 {
                        tot += c;
                        lines.push((
                            Cow::Borrowed("max_stopcontact_bij_wastafel"),
                            Cow::Borrowed("Max 2 stopcontacten per wastafel"),
                            None,
                            c,
                            true,
                        ));
                    }
                }
            }
            let m = (bad_douche_pts - tot).min(0.0);
            if m < 0.0 {
                lines.push((
                    Cow::Borrowed("maximering_punten_voorzieningen"),
                    Cow::Borrowed("Max verdubbeling punten bad en douche"),
                    None,
                    m,
                    true,
                ));
            }
        }
    }
}

pub(crate) fn san(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    for r in e.ruimten.iter().filter(|r| !gedeeld_met_adressen(r)) {
        if r.detail_soort.is_none() {
            continue;
        }
        sanitair_ruimte(ctx, g, r, Stelsel::Zelfstandig, None, 1.0, false);
    }
    finish(g);
}

// ---------------------------------------------------------------------------------
// Shared-space layers ("Privé", "Gedeeld met n onzelfstandige woonruimten" /
// "Gedeeld met n adressen") as the peer nests them.

pub(crate) fn ensure(g: &mut Groep, parent: Option<&LineId>, seg: &str, naam: &str) -> LineId {
    let id = match parent {
        Some(p) => g.child_id(p, seg),
        None => g.root_id(seg),
    };
    if !g.has(&id) {
        match parent {
            Some(p) => g.add_under(p, seg, naam),
            None => g.add(seg, naam),
        };
    }
    id
}

/// The line under which a space shared with `adressen` addresses and `onz` rooms hangs.
pub(crate) fn gedeeld_met_laag(
    g: &mut Groep,
    parent: Option<&LineId>,
    adressen: u32,
    onz: u32,
) -> LineId {
    let mut cur: Option<LineId> = parent.cloned();
    if onz > 1 {
        cur = Some(ensure(
            g,
            cur.as_ref(),
            &format!("gedeeld_met_{onz}_onzelfstandige_woonruimten"),
            &format!("Gedeeld met {onz} onzelfstandige woonruimten"),
        ));
    }
    if adressen > 1 {
        return ensure(
            g,
            cur.as_ref(),
            &format!("gedeeld_met_{adressen}_adressen"),
            &format!("Gedeeld met {adressen} adressen"),
        );
    }
    if onz > 1 {
        return cur.expect("set");
    }
    ensure(g, cur.as_ref(), "prive", "Privé")
}

// ---------------------------------------------------------------------------------
// Rubriek 10: gemeenschappelijke parkeerruimten. Type I (closed garage) 9, type II
// (covered, carport) 6, type III (open) 4 points per place ≥ 12 m², +2 per charging
// point, divided by the addresses (× rooms) sharing it.

pub(crate) const VERVALLEN_PARKEERGARAGE: [&str; 4] = ["OPN", "OPS", "PNS", "PSP"];

pub(crate) fn parkeertype(r: &Ruimte) -> Option<&'static str> {
    let d = r.detail_soort.as_deref()?;
    if let Some(p) = PARKEER_ALTIJD_GPA.iter().find(|p| p.0 == d) {
        return Some(p.1);
    }
    if let Some(p) = PARKEER_BUI_OF_GPA.iter().find(|p| p.0 == d)
        && !is_prive(r)
    {
        return Some(p.1);
    }
    None
}

pub(crate) fn parkeerruimte(ctx: &mut Ctx, g: &mut Groep, r: &Ruimte, i: usize) {
    let Some(d) = r.detail_soort.as_deref() else {
        return;
    };
    let f = format!("eenheid.ruimten[{i}]");
    if VERVALLEN_PARKEERGARAGE.contains(&d) {
        ctx.warn(
            format!("{f}.detailSoort"),
            format!("parkeerruimte-detailsoort {d} wordt niet meer gebruikt: geef PIP, PUP, PBD of PBC; niet gewaardeerd"),
        );
        return;
    }
    let Some(ty) = parkeertype(r) else { return };
    if d == "PAR" {
        ctx.warn(
            format!("{f}.detailSoort"),
            "gedeelde parkeerplaats (PAR): gewaardeerd als parkeerplek buiten behorend bij complex (type III)",
        );
    }
    let Some(opp) = r.oppervlakte else {
        ctx.warn(
            format!("{f}.oppervlakte"),
            "parkeerruimte zonder oppervlakte: niet gewaardeerd",
        );
        return;
    };
    if r.gedeeld_met_aantal_adressen.is_none() {
        ctx.warn(
            format!("{f}.gedeeldMetAantalAdressen"),
            "parkeerruimte zonder gedeeldMetAantalAdressen: als privé gewaardeerd",
        );
    }
    if opp < 12.0 {
        return;
    }
    let adr = r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1);
    let onz = r
        .gedeeld_met_aantal_onzelfstandige_woonruimten
        .unwrap_or(1)
        .max(1);
    let laag = gedeeld_met_laag(g, None, adr, onz);
    let deler = f64::from(deler(r));
    let plekken = r.aantal.unwrap_or(1);
    let punten = match ty {
        "Type I" => 9.0,
        "Type II" => 6.0,
        _ => 4.0,
    };
    let naam = r.weergavenaam();
    let cid = format!("{naam}_{ty}").to_lowercase().replace(' ', "_");
    let tel_op = |g: &mut Groep, seg: &str, naam: String, aantal: u32, pts: f64| {
        let id = g.child_id(&laag, seg);
        if !g.has(&id) {
            g.add_under(&laag, seg, naam);
            g.last().meeteenheid = Some(Meeteenheid::Stuks);
        }
        let w = g.line_mut(&id).expect("added");
        w.aantal = Some(w.aantal.unwrap_or(0.0) + f64::from(aantal));
        w.punten = Some(w.punten.unwrap_or(0.0) + pts);
    };
    tel_op(
        g,
        &cid,
        format!("{naam} ({ty})"),
        plekken,
        punten * f64::from(plekken) / deler,
    );
    let laadpalen = r
        .bouwkundige_elementen
        .iter()
        .filter(|e| e.code.as_deref() == Some("LAA"))
        .count() as u32
        * plekken;
    if laadpalen > 0 {
        tel_op(
            g,
            &format!("{cid}_laadpaal"),
            "Laadpaal".to_string(),
            laadpalen,
            2.0 * f64::from(laadpalen) / deler,
        );
    }
}

pub(crate) fn gpa(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    if e.ruimten.is_empty() {
        ctx.warn(
            "eenheid.ruimten",
            "geen ruimten: geen punten voor gemeenschappelijke parkeerruimten",
        );
    }
    for (i, r) in e.ruimten.iter().enumerate() {
        parkeerruimte(ctx, g, r, i);
    }
    finish(g);
}

// ---------------------------------------------------------------------------------
// Rubriek 9: gemeenschappelijke vertrekken, overige ruimten en voorzieningen (shared with
// other addresses): area, heating, kitchen and sanitary points divided by the addresses;
// a zorgwoning gets a fixed 3 points instead.

/// Removes lines added since `len` when none of them carries points or an area.
pub(crate) fn rollback_if_empty(g: &mut Groep, len: usize, added: bool) {
    if !added {
        g.woningwaarderingen.truncate(len);
    }
}

/// Shared rooms of one (addresses, rooms, class).
type GedeeldeGroep<'a> = ((u32, u32, Klasse), Vec<&'a Ruimte>);

pub(crate) fn gvr(ctx: &mut Ctx, g: &mut Groep) {
    gemeenschappelijk(ctx, g, Stelsel::Zelfstandig);
}

/// ZEL rubriek 9 / ONZ "gemeenschappelijke binnenruimten gedeeld met meerdere adressen".
/// ZEL divides heating, kitchen and sanitary points by the addresses, ONZ by addresses ×
/// rooms.
pub(crate) fn gemeenschappelijk(ctx: &mut Ctx, g: &mut Groep, stelsel: Stelsel) {
    let e = ctx.e;
    let onz_stelsel = stelsel == Stelsel::Onzelfstandig;
    if e.doelgroep.as_deref() == Some("ZOR") {
        g.add("zorgwoning", "Zorgwoning");
        g.last().punten = Some(3.0);
        finish(g);
        return;
    }
    let adr_of = |r: &Ruimte| r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1);
    let onz_of = |r: &Ruimte| {
        r.gedeeld_met_aantal_onzelfstandige_woonruimten
            .unwrap_or(1)
            .max(1)
    };
    let gedeeld: Vec<&Ruimte> = e
        .ruimten
        .iter()
        .filter(|r| gedeeld_met_adressen(r))
        .collect();
    // area per (addresses, rooms, class)
    let mut groepen: Vec<GedeeldeGroep> = Vec::new();
    for r in &gedeeld {
        if (!onz_stelsel && r.detail_soort.is_none()) || r.gedeeld_met_aantal_adressen.is_none() {
            continue;
        }
        let k = match classificeer(r) {
            Some(k @ (Klasse::Vertrek | Klasse::Overig)) => k,
            _ => continue,
        };
        let key = (adr_of(r), onz_of(r), k);
        match groepen.iter_mut().find(|x| x.0 == key) {
            Some(x) => x.1.push(r),
            None => groepen.push((key, vec![r])),
        }
    }
    if onz_stelsel {
        groepen.sort_by_key(|x| (x.0.0, x.0.1));
    } else {
        groepen.sort_by_key(|x| x.0.0);
    }
    for ((adr, onz, k), ruimten) in &groepen {
        let totaal: f64 = ruimten
            .iter()
            .map(|r| half_up(oppervlakte_met_kasten(r), 2))
            .sum();
        let per_m2 = if *k == Klasse::Vertrek { 1.0 } else { 0.75 };
        let deler = f64::from(adr * onz);
        let punten = whole(totaal) * per_m2 / deler;
        let laag = gedeeld_met_laag(g, None, *adr, *onz);
        let (seg, naam) = if *k == Klasse::Vertrek {
            ("oppervlakte_van_vertrekken", "Oppervlakte van vertrekken")
        } else {
            (
                "oppervlakte_van_overige_ruimten",
                "Oppervlakte van overige ruimten",
            )
        };
        let sub = ensure(g, Some(&laag), seg, naam);
        let zolder = *k == Klasse::Overig && ruimten.iter().any(|r| is_zolder_zonder_vaste_trap(r));
        let detail_parent = if zolder {
            let id = g.add_under(&sub, "subtotaal", "Subtotaal");
            let w = g.last();
            w.punten = Some(punten);
            w.aantal = Some(half_up(totaal, 2));
            w.meeteenheid = Some(Meeteenheid::M2);
            id
        } else {
            sub.clone()
        };
        for r in ruimten {
            if r.oppervlakte.is_none_or(|o| o == 0.0) && *k == Klasse::Vertrek {
                continue;
            }
            g.add_under(
                &detail_parent,
                &seg_naam_met_kasten(r),
                Lazy(|| naam_met_kasten(r)),
            );
            let w = g.last();
            w.meeteenheid = Some(Meeteenheid::M2);
            w.aantal = Some(half_up(oppervlakte_met_kasten(r), 2));
        }
        if *k == Klasse::Overig {
            for r in ruimten.iter().filter(|r| is_zolder_zonder_vaste_trap(r)) {
                let z = half_up(oppervlakte_met_kasten(r), 2);
                let c = ((whole(totaal) - whole(totaal - z)) * 0.75).min(5.0);
                g.add_under(
                    &sub,
                    &format!("{}__correctie_zolder_zonder_vaste_trap", r.criterium_id()),
                    "Correctie: zolder zonder vaste trap",
                );
                g.last().punten = Some(-c / deler);
            }
        }
        if !zolder && let Some(w) = g.line_mut(&sub) {
            w.punten = Some(punten);
        }
    }
    // heating/cooling, not capped
    let divisor = |r: &Ruimte| {
        if onz_stelsel {
            f64::from(adr_of(r) * onz_of(r))
        } else {
            f64::from(adr_of(r))
        }
    };
    vkv_lines(
        g,
        &gedeeld,
        &|g, r, seg, naam| {
            let laag = gedeeld_met_laag(g, None, adr_of(r), onz_of(r));
            let v = ensure(
                g,
                Some(&laag),
                "verkoeling_en_verwarming",
                "Verkoeling en verwarming",
            );
            ensure(g, Some(&v), seg, naam)
        },
        &divisor,
        false,
    );
    let layer_onz = |r: &Ruimte| if onz_stelsel { onz_of(r) } else { 1 };
    for r in &gedeeld {
        if !onz_stelsel && r.detail_soort.is_none() {
            continue;
        }
        let len = g.woningwaarderingen.len();
        let laag = gedeeld_met_laag(g, None, adr_of(r), layer_onz(r));
        let sub = ensure(g, Some(&laag), "keuken", "Keuken");
        let added = keuken_ruimte(ctx, g, r, stelsel, Some(&sub), divisor(r));
        rollback_if_empty(g, len, added);
    }
    let uitzondering = if onz_stelsel {
        wastafel_uitzonderingsruimte(e)
    } else {
        None
    };
    for r in &gedeeld {
        if r.detail_soort.is_none() || (onz_stelsel && r.soort.is_none()) {
            continue;
        }
        let len = g.woningwaarderingen.len();
        let laag = gedeeld_met_laag(g, None, adr_of(r), layer_onz(r));
        let sub = ensure(g, Some(&laag), "sanitair", "Sanitair");
        let uz = uitzondering.is_some_and(|u| std::ptr::eq(u, *r));
        let added = sanitair_ruimte(ctx, g, r, stelsel, Some(&sub), divisor(r), uz);
        rollback_if_empty(g, len, added);
    }
    finish(g);
}

/// ONZ: with ≥ 8 rooms sharing a space, the room where it gains most keeps all its
/// wastafels (beleidsboek ONZ, sanitair).
pub(crate) fn wastafel_uitzonderingsruimte(e: &Eenheid) -> Option<&Ruimte> {
    if !e
        .ruimten
        .iter()
        .any(|r| r.gedeeld_met_aantal_onzelfstandige_woonruimten.unwrap_or(0) >= 8)
    {
        return None;
    }
    let zorg = e.doelgroep.as_deref() == Some("ZOR");
    let winst = |r: &Ruimte| -> f64 {
        let inst = installatie_aantallen(r);
        let n = |k: &str| inst.get(k).copied().unwrap_or(0);
        let bruto = f64::from((n("WAS") + korte_aanrechten(r)).saturating_sub(1)) * 1.0
            + f64::from(n("MPW").saturating_sub(1)) * 1.5;
        if bruto <= 0.0 {
            0.0
        } else {
            bruto / f64::from(deler(r))
        }
    };
    let mut best: Option<(&Ruimte, f64)> = None;
    for r in &e.ruimten {
        let Some(d) = r.detail_soort.as_deref() else {
            continue;
        };
        if r.soort.is_none() || BADKAMERACHTIG.contains(&d) || (zorg && gedeeld_met_adressen(r)) {
            continue;
        }
        let w = winst(r);
        if best.is_none_or(|b| w > b.1) {
            best = Some((r, w));
        }
    }
    best.map(|b| b.0)
}

// ---------------------------------------------------------------------------------
// Rubriek 8 (WOZ)

pub(crate) fn fmt_ddmmyyyy(d: Date) -> String {
    format!("{:02}-{:02}-{:04}", d.day, d.month, d.year)
}

/// The WOZ value that counts: waardepeildatum 1 January of (peildatum year − 1) or − 2,
/// the latest, not zero.
pub(crate) fn beste_woz(e: &Eenheid, pd: Date) -> Option<&crate::model::WozEenheid> {
    let geldig = [Date::new(pd.year - 1, 1, 1), Date::new(pd.year - 2, 1, 1)];
    e.woz_eenheden
        .iter()
        .filter(|w| {
            w.waardepeildatum.is_some_and(|d| geldig.contains(&d))
                && w.vastgestelde_waarde.is_some_and(|v| v != 0.0)
        })
        .max_by_key(|w| w.waardepeildatum)
}

/// The WOZ value used: (value, waardepeildatum, the statutory minimum?); without a valid
/// value the minimum, with a warning.
pub(crate) fn woz_waarde(ctx: &mut Ctx) -> Result<(f64, Date, bool), WwsError> {
    let e = ctx.e;
    let pd = ctx.peildatum;
    let geldig = [Date::new(pd.year - 1, 1, 1), Date::new(pd.year - 2, 1, 1)];
    Ok(match beste_woz(e, pd) {
        Some(w) => (
            w.vastgestelde_waarde.expect("checked"),
            w.waardepeildatum.expect("checked"),
            false,
        ),
        None => {
            let why = if e.woz_eenheden.is_empty() {
                "geen WOZ-waarde aangeleverd".to_string()
            } else {
                format!(
                    "geen WOZ-waarde gevonden met waardepeildatum {} of {}",
                    fmt_ddmmyyyy(geldig[0]),
                    fmt_ddmmyyyy(geldig[1])
                )
            };
            ctx.warn(
                "eenheid.wozEenheden",
                format!("{why}: de minimum WOZ-waarde wordt gebruikt"),
            );
            let (d, v) = ctx.t.minimum_woz(pd).ok_or_else(|| {
                WwsError::Table(format!("no minimum WOZ value for peildatum {pd}"))
            })?;
            (v, Date::new(d.year - 1, 1, 1), true)
        }
    })
}

pub(crate) fn woz(ctx: &mut Ctx, g: &mut Groep, prior: &[Groep]) -> Result<(), WwsError> {
    let e = ctx.e;
    let (waarde, waardepeildatum, minimum) = woz_waarde(ctx)?;
    let f = ctx
        .t
        .woz_factor_op(waardepeildatum, ctx.peildatum)
        .ok_or_else(|| {
            WwsError::Table(format!(
                "no WOZ factors for waardepeildatum {waardepeildatum}"
            ))
        })?;
    let beleid = ctx.t.beleid(ctx.peildatum).woz;
    if f.waardepeildatum.year < waardepeildatum.year {
        ctx.warn(
            "eenheid.wozEenheden",
            format!(
                "no WOZ factors typed for waardepeildatum {waardepeildatum}; those of {} are used (add them to data/wws/parameters.toml)",
                f.waardepeildatum
            ),
        );
    }
    // area: rubriek 1 + 2 (rooms, 2 decimals each) + shared inpandige parking places ≥ 12 m²
    let mut opp: f64 = e
        .ruimten
        .iter()
        .filter(|r| {
            !gedeeld_met_adressen(r)
                && matches!(
                    classificeer(r),
                    Some(Klasse::Vertrek) | Some(Klasse::Overig)
                )
                && r.oppervlakte.is_some_and(|o| o != 0.0)
        })
        .map(|r| half_up(oppervlakte_met_kasten(r), 2))
        .sum();
    opp += e
        .ruimten
        .iter()
        .filter(|r| r.is_detail("PIP") && gedeeld_met_adressen(r))
        .filter_map(|r| {
            let o = r.oppervlakte.filter(|o| *o >= 12.0)?;
            Some(
                o * f64::from(r.aantal.unwrap_or(1))
                    / f64::from(r.gedeeld_met_aantal_adressen.unwrap_or(2)),
            )
        })
        .sum::<f64>();
    let opp = whole(opp);
    if opp == 0.0 {
        ctx.warn(
            "eenheid.ruimten",
            "oppervlakte van vertrekken en overige ruimten is 0: WOZ-punten niet te berekenen",
        );
        g.punten = None;
        return Ok(());
    }
    let corop = corop_regel(ctx);
    let (p1, p2, factor2) = crate::woz::onderdelen(waarde, opp, &f, corop, &beleid);
    let woz_punten = p1 + p2;

    g.add(
        "woz_waarde",
        Lazy(|| {
            if minimum {
                "Minimum WOZ-waarde (geen relevante WOZ-waarde beschikbaar)".to_string()
            } else {
                format!(
                    "WOZ-waarde op waardepeildatum {}",
                    fmt_ddmmyyyy(waardepeildatum)
                )
            }
        }),
    );
    g.last().meeteenheid = Some(Meeteenheid::Euro);
    g.last().aantal = Some(waarde.trunc());
    let i1 = g.add("onderdeel_I", "Onderdeel I");
    g.last().punten = Some(p1);
    if minimum {
        g.add_under(
            &i1,
            "minimum_woz_waarde",
            "Minimum WOZ-waarde gebruikt voor berekening",
        );
        g.last().meeteenheid = Some(Meeteenheid::Euro);
        g.last().aantal = Some(waarde.trunc());
    }
    g.add_under(&i1, "factor_I", "Factor I");
    g.last().meeteenheid = Some(Meeteenheid::Euro);
    g.last().aantal = Some(f.onderdeel_1);
    if beleid.vrijstelling != 0.0 {
        g.add_under(
            &i1,
            "vrijstelling",
            "Vrijstelling WOZ-waarde (beleidsvariant)",
        );
        g.last().meeteenheid = Some(Meeteenheid::Euro);
        g.last().aantal = Some(beleid.vrijstelling);
    }
    let i2 = g.add("onderdeel_II", "Onderdeel II");
    g.last().punten = Some(p2);
    if minimum {
        g.add_under(
            &i2,
            "minimum_woz_waarde",
            "Minimum WOZ-waarde gebruikt voor berekening",
        );
        g.last().meeteenheid = Some(Meeteenheid::Euro);
        g.last().aantal = Some(waarde.trunc());
    }
    g.add_under(
        &i2,
        "oppervlakte_vertrekken_en_overige_ruimten",
        "Oppervlakte van vertrekken en overige ruimten",
    );
    g.last().meeteenheid = Some(Meeteenheid::M2);
    g.last().aantal = Some(opp);
    g.add_under(&i2, "factor_II", "Factor II");
    g.last().meeteenheid = Some(Meeteenheid::Euro);
    g.last().aantal = Some(factor2);

    // §8: new builds (2015–2019 with ≥ 110 points in rubrieken 1–7, 9–10, 12) get at least
    // 40; else the cap (33 % from 187 points, never below 186): crate::woz, numbers in
    // [woz_beleid]
    if e.bouwjaar.is_none() {
        ctx.warn(WOZ_ZONDER_BOUWJAAR.0, WOZ_ZONDER_BOUWJAAR.1);
    }
    let kritisch = || {
        prior
            .iter()
            .filter(|g| {
                matches!(
                    g.code,
                    "OVZ" | "OOZ" | "VKV" | "ENE" | "KEU" | "SAN" | "BUI" | "GVR" | "GPA" | "BIJ"
                )
            })
            .filter_map(|g| g.punten)
            .sum::<f64>()
    };
    let overige = || prior.iter().filter_map(|g| g.punten).sum::<f64>();
    match crate::woz::correctie(woz_punten, e.bouwjaar, kritisch, overige, corop, &beleid) {
        crate::woz::Correctie::Geen => {}
        crate::woz::Correctie::Nieuwbouw(minimum_punten) => {
            g.add(
                "nieuwbouw_minimum_punten",
                Lazy(|| format!("Nieuwbouw: min. {} punten", minimum_punten as i64)),
            );
            g.last().punten = Some(minimum_punten - woz_punten);
        }
        crate::woz::Correctie::Cap { punten, bodem } => {
            if bodem {
                g.add(
                    "maximering_woz_punten",
                    Lazy(|| {
                        format!(
                            "Maximering WOZ-punten tot {} punten totaal",
                            beleid.cap_vanaf_punten as i64 - 1
                        )
                    }),
                );
            } else {
                g.add(
                    "maximering_woz_punten",
                    Lazy(|| {
                        format!(
                            "Maximering WOZ-punten tot {}% van totaal",
                            beleid.cap_procent
                        )
                    }),
                );
            }
            g.last().punten = Some(punten);
        }
    }
    finish(g);
    Ok(())
}

/// §8: dwellings under 40 m² built 2018–2022 in COROP Groot-Amsterdam (23) or Utrecht (17)
/// use the lower factor for onderdeel II and are not capped.
pub(crate) fn corop_regel(ctx: &mut Ctx) -> bool {
    let e = ctx.e;
    let Some(bj) = e.bouwjaar else { return false };
    if !(2018..=2022).contains(&bj) {
        return false;
    }
    if e.gebruiksoppervlakte.is_some_and(|o| o >= 40.0) {
        return false;
    }
    let Some(code) = e.woonplaats_code.as_deref() else {
        ctx.warn(
            "eenheid.adres.woonplaats.code",
            "geen woonplaatscode: de COROP-regel voor kleine nieuwbouw kan niet worden getoetst",
        );
        return false;
    };
    let Some((corop, _)) = ctx.t.corop(code) else {
        ctx.warn(
            "eenheid.adres.woonplaats.code",
            format!("geen COROP-gebied bekend voor woonplaats {code}"),
        );
        return false;
    };
    if corop != "23" && corop != "17" {
        return false;
    }
    if e.gebruiksoppervlakte.is_none() {
        ctx.warn(
            "eenheid.gebruiksoppervlakte",
            "geen gebruiksoppervlakte: de COROP-regel voor kleine nieuwbouw kan niet worden getoetst",
        );
        return false;
    }
    true
}

// ---------------------------------------------------------------------------------
// Rubriek 11: bijzondere voorzieningen. Zorgwoning +35 % of rubrieken 1–11 (without the
// new-build WOZ minimum), video/audio doorbell 0.25, charging points not valued in
// rubriek 10: 2 each (÷ sharing).

pub(crate) fn krijgt_punten_in_gpa(r: &Ruimte) -> bool {
    parkeertype(r).is_some() && r.oppervlakte.is_some_and(|o| o >= 12.0)
}

pub(crate) fn bij(ctx: &mut Ctx, g: &mut Groep, prior: &[Groep], stelsel: Stelsel) {
    let e = ctx.e;
    let zonder: &[&str] = match stelsel {
        Stelsel::Zelfstandig => &["PMN", "BIJ"],
        Stelsel::Onzelfstandig => &["BIJ", "AFT", "PMO"],
    };
    if e.doelgroep.as_deref() == Some("ZOR") {
        let mut totaal: f64 = prior
            .iter()
            .filter(|g| !zonder.contains(&g.code))
            .filter_map(|g| g.punten)
            .sum();
        // the line `punten_voor_de_woz_waarde__nieuwbouw_minimum_punten` (of the WOZ group:
        // ids start with the group's prefix)
        totaal -= prior
            .iter()
            .filter(|g| prefix_of(g.code) == "punten_voor_de_woz_waarde")
            .filter_map(|g| g.line(&g.root_id("nieuwbouw_minimum_punten")))
            .filter_map(|w| w.punten)
            .map(round::cents)
            .sum::<f64>();
        g.add(
            "zorgwoning_puntenverhoging",
            "Zorgwoning 35% puntenverhoging",
        );
        g.last().punten = Some(kwart(totaal * 0.35));
    }
    if e.ruimten.iter().any(|r| r.has_installatie("ABF")) {
        g.add(
            "aanbelfunctie_met_video_en_audioverbinding",
            "Aanbelfunctie met video- en audioverbinding",
        );
        g.last().punten = Some(0.25);
    }
    for r in &e.ruimten {
        let n = r
            .bouwkundige_elementen
            .iter()
            .filter(|x| x.code.as_deref() == Some("LAA"))
            .count() as u32
            * r.aantal.unwrap_or(1);
        if n == 0 || krijgt_punten_in_gpa(r) {
            continue;
        }
        let laag = gedeeld_met_laag(
            g,
            None,
            r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1),
            r.gedeeld_met_aantal_onzelfstandige_woonruimten
                .unwrap_or(1)
                .max(1),
        );
        let id = ensure(g, Some(&laag), "laadpalen", "Laadpalen");
        let d = f64::from(deler(r));
        let w = g.line_mut(&id).expect("added");
        w.meeteenheid = Some(Meeteenheid::Stuks);
        let a = w.aantal.unwrap_or(0.0) + f64::from(n);
        w.aantal = Some(a);
        w.punten = Some(2.0 * a / d);
    }
    finish(g);
}

// ---------------------------------------------------------------------------------
// Prijsopslag monumenten en nieuwbouw

pub(crate) fn pmn(ctx: &mut Ctx, g: &mut Groep, prior: &[Groep]) -> Result<(), WwsError> {
    let e = ctx.e;
    let o = ctx.t.beleid(ctx.peildatum).opslag.clone();
    if e.monumenten.is_none() {
        ctx.warn(MONUMENTEN_NULL.0, MONUMENTEN_NULL.1);
    }
    monument_opslagen(ctx, g, o.rijksmonument_punten_oud_contract);
    if let (Some(start), Some(expl)) = (e.begin_bouwdatum, e.in_exploitatiedatum)
        && start < o.nieuwbouw_bouwstart_voor
        && expl > o.nieuwbouw_in_exploitatie_na
        && expl > ctx.peildatum.minus_years(o.nieuwbouw_jaren)
    {
        let totaal = whole(prior.iter().filter_map(|g| g.punten).map(kwart).sum());
        if totaal >= o.nieuwbouw_punten_min && totaal <= o.nieuwbouw_punten_max {
            g.add("nieuwbouw", "Nieuwbouw");
            g.last().opslagpercentage = Some(o.nieuwbouw);
        }
    }
    finish(g);
    let pct: f64 = g
        .woningwaarderingen
        .iter()
        .filter_map(|w| w.opslagpercentage)
        .sum();
    g.opslagpercentage = Some(pct);
    Ok(())
}

/// Surcharges for rijksmonument (contract from 1 July 2024: +35 %, older contracts: fixed
/// points), gemeentelijk/provinciaal monument (+15 %) and rijksbeschermd stads- of
/// dorpsgezicht (bouwjaar before 1965, not also a monument: +5 %).
pub(crate) fn monument_opslagen(ctx: &mut Ctx, g: &mut Groep, punten_oud_contract: f64) {
    let e = ctx.e;
    let o = ctx.t.beleid(ctx.peildatum).opslag.clone();
    if e.has_monument("RIJ") {
        let datum = match e.datum_afsluiten_huurovereenkomst {
            Some(d) => d,
            None => {
                ctx.warn(
                    "eenheid.datumAfsluitenHuurovereenkomst",
                    "ontbreekt: de peildatum wordt gebruikt voor de rijksmonumentregel",
                );
                ctx.peildatum
            }
        };
        g.add("rijksmonument", "Rijksmonument");
        if datum >= Date::new(2024, 7, 1) {
            g.last().opslagpercentage = Some(o.rijksmonument);
        } else {
            g.last().punten = Some(punten_oud_contract);
        }
    }
    if e.has_monument("GEM") || e.has_monument("PRO") {
        g.add(
            "gemeentelijk_of_provinciaal_monument",
            "Gemeentelijk of provinciaal monument",
        );
        g.last().opslagpercentage = Some(o.gemeentelijk_provinciaal_monument);
    }
    let gezicht = e.has_monument("DGR") || e.has_monument("SGR");
    let monument = ["RIJ", "GEM", "PRO"].iter().any(|m| e.has_monument(m));
    if gezicht && !monument {
        match e.bouwjaar {
            None => ctx.warn(
                "eenheid.bouwjaar",
                "geen bouwjaar: de opslag voor beschermd stads- of dorpsgezicht kan niet worden getoetst",
            ),
            Some(bj) if bj < o.beschermd_gezicht_bouwjaar_voor => {
                g.add(
                    "rijksbeschermd_stads_of_dorpsgezicht",
                    "Rijksbeschermd stads- of dorpsgezicht",
                );
                g.last().opslagpercentage = Some(o.beschermd_gezicht);
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
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
