//! The points of the common zelfstandige woonruimte without criterium lines at all.
//!
//! [`crate::waardeer_punten`] tries this first. It covers units whose rooms are all private
//! (not shared with other addresses or rooms), fully described (id, soort, detailsoort,
//! oppervlakte) and neither parking spaces nor zolders, without monuments (`[]` or
//! absent), zorgwoning, new-build dates, charging points or video door bell, and a label
//! that is not an energie-index of 2015–2020 — the flat portfolio form always.
//! Anything else returns `None` and goes through the rules in [`crate::zel`] (lean mode).
//!
//! The rules are those of [`crate::zel`] with the same helpers (classification, worktop,
//! label and WOZ tables, sanitary lines, warnings) and the same arithmetic: every rubriek
//! sums the points its criterium lines would carry, in their order, and rounds as
//! `zel::finish` does. `tests/points_only.rs` checks the result against the full
//! valuation on every fixture, on generated units and on a flat stock.

use crate::model::{Eenheid, Stelsel};
use crate::round::{half_up, kwart, whole};
use crate::tables::Tables;
use crate::zel::{self, Ctx, Klasse, classificeer, oppervlakte_met_kasten};
use crate::{Options, Punten, WwsError};

thread_local! {
    /// The sanitary lines of one room (a buffer reused per thread).
    static REGELS: std::cell::RefCell<Vec<zel::SanitairRegel>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Rooms the kern handles at most (their classes are kept on the stack).
const MAX_RUIMTEN: usize = 32;

/// The sum as `zel::finish` and `totals` take it (`Iterator::sum` of the line points).
fn som(x: &[f64]) -> f64 {
    x.iter().sum()
}

/// The points of a rubriek's lines in their order, on the stack.
struct Regels {
    p: [f64; 128],
    n: usize,
    /// more lines than room: the caller falls back
    vol: bool,
}

impl Regels {
    fn new() -> Self {
        Regels {
            p: [0.0; 128],
            n: 0,
            vol: false,
        }
    }
    fn push(&mut self, x: f64) {
        match self.p.get_mut(self.n) {
            Some(p) => {
                *p = x;
                self.n += 1;
            }
            None => self.vol = true,
        }
    }
    /// The rubriek's points (`zel::finish`), `None` when the lines did not fit.
    fn punten(&self) -> Option<f64> {
        (!self.vol).then(|| kwart(som(&self.p[..self.n])))
    }
}

fn is_parkeer(d: &str) -> bool {
    zel::PARKEER_ALTIJD_GPA.iter().any(|p| p.0 == d)
        || zel::PARKEER_BUI_OF_GPA.iter().any(|p| p.0 == d)
        || zel::VERVALLEN_PARKEERGARAGE.contains(&d)
}

/// Whether the kern applies to this unit (see the module documentation).
pub(crate) fn past(e: &Eenheid, opts: &Options) -> bool {
    if opts.strict
        || e.stelsel != Some(Stelsel::Zelfstandig)
        || e.ruimten.is_empty()
        || e.ruimten.len() > MAX_RUIMTEN
        || e.doelgroep.as_deref() == Some("ZOR")
        || !e.monumenten.as_ref().is_none_or(Vec::is_empty)
        || (e.begin_bouwdatum.is_some() && e.in_exploitatiedatum.is_some())
    {
        return false;
    }
    e.ruimten.iter().all(|r| {
        let (Some(_), Some(_), Some(d), Some(_)) = (
            r.id.as_deref().filter(|s| !s.is_empty()),
            r.soort.as_deref(),
            r.detail_soort.as_deref(),
            r.oppervlakte,
        ) else {
            return false;
        };
        zel::is_prive(r)
            && !is_parkeer(d)
            && !zel::ZOLDER.contains(&d)
            && !r.has_element("LAA")
            && !r.has_installatie("ABF")
            && r.bouwkundige_elementen
                .iter()
                .all(|el| el.code.as_deref() != Some("AAN") || el.lengte.is_some_and(|l| l != 0.0))
    })
}

/// The points of `e` when the kern applies (`Ok(None)`: use the rules in [`crate::zel`]).
pub(crate) fn punten(e: &Eenheid, opts: &Options) -> Result<Option<Punten>, WwsError> {
    if !past(e, opts) {
        return Ok(None);
    }
    let t = opts.tabellen();
    let pd = opts.peildatum;
    let mut ctx = Ctx {
        e,
        peildatum: pd,
        t,
        warnings: Vec::new(),
        lean: true,
    };
    // `past`: every room has oppervlakte, soort and detailsoort (zel::check_ruimten is silent)
    let mut klassen = [None; MAX_RUIMTEN];
    for (k, r) in klassen.iter_mut().zip(&e.ruimten) {
        *k = classificeer(r);
    }
    let klassen = &klassen[..e.ruimten.len()];
    let Some([ovz, ooz, vkv, bui]) = ruimten_deel(e, klassen, &t.beleid(pd).rubrieken) else {
        return Ok(None);
    };
    let Some(ene) = ene_deel(&mut ctx) else {
        return Ok(None);
    };
    let Some([keu, san]) = keu_san_deel(&mut ctx) else {
        return Ok(None);
    };

    // WOZ (zel::woz)
    let Ok((waarde, wpd, _)) = zel::woz_waarde(&mut ctx) else {
        return Ok(None);
    };
    let Some(f) = t.woz_factor_op(wpd, pd) else {
        return Ok(None);
    };
    if f.waardepeildatum.year < wpd.year {
        return Ok(None);
    }
    let opp = woz_oppervlakte(e, klassen);
    if opp == 0.0 {
        return Ok(None);
    }
    let corop = zel::corop_regel(&mut ctx);
    if e.bouwjaar.is_none() {
        ctx.warn(zel::WOZ_ZONDER_BOUWJAAR.0, zel::WOZ_ZONDER_BOUWJAAR.1);
    }
    let monumenten_null = e.monumenten.is_none();
    let mut warnings = std::mem::take(&mut ctx.warnings);
    let prior = [ovz, ooz, vkv, bui, ene, keu, san, 0.0, 0.0];
    let woz = Woz {
        waarde,
        factor: f,
        opp,
        corop,
        bouwjaar: e.bouwjaar,
    };
    woz_en_totaal(prior, &woz, monumenten_null, pd, t, &mut warnings).map(Some)
}

/// OVZ, OOZ, VKV and BUI of the rooms (`None`: a case the kern leaves to zel). These
/// rubrieken give no warnings in the kern's cases.
pub(crate) fn ruimten_deel(
    e: &Eenheid,
    klassen: &[Option<Klasse>],
    rb: &crate::tables::Rubrieken,
) -> Option<[f64; 4]> {
    let rk = || e.ruimten.iter().zip(klassen.iter().copied());

    // OVZ: vertrekken (zel::ovz)
    let mut m2 = 0.0;
    for (r, k) in rk() {
        if k != Some(Klasse::Vertrek) || r.oppervlakte.is_none_or(|o| o == 0.0) {
            continue;
        }
        m2 += half_up(oppervlakte_met_kasten(r), 2);
    }
    let ovz = kwart(whole(m2) * rb.ovz_per_m2);

    // OOZ: overige ruimten, no zolder (zel::ooz)
    let totaal: f64 = rk()
        .filter(|(_, k)| *k == Some(Klasse::Overig))
        .map(|(r, _)| half_up(oppervlakte_met_kasten(r), 2))
        .sum();
    let ooz = kwart(whole(totaal) * rb.ooz_per_m2);

    // VKV (zel::vkv_lines, private rooms, divisor 1, capped)
    let mut l = Regels::new();
    let mut verkoeld = 0u32;
    for (r, k) in rk() {
        if r.verwarmd != Some(true) || k != Some(Klasse::Vertrek) {
            continue;
        }
        l.push(if zel::open_keuken(r) > 0 {
            rb.vkv_open_keuken
        } else {
            rb.vkv_verwarmd
        });
        if r.verkoeld == Some(true) {
            verkoeld += 1;
            l.push(rb.vkv_verkoeld);
            if verkoeld > rb.vkv_verkoeld_max {
                l.push(-rb.vkv_verkoeld);
            }
        }
    }
    let mut overig = 0u32;
    for (r, k) in rk() {
        if r.verwarmd != Some(true) || !matches!(k, Some(Klasse::Overig | Klasse::Verkeer)) {
            continue;
        }
        l.push(rb.vkv_overig);
        overig += 1;
        if overig > rb.vkv_overig_max {
            l.push(-rb.vkv_overig);
        }
    }
    let vkv = l.punten()?;

    // BUI: private outdoor spaces (zel::bui)
    let mut prive_m2 = 0.0;
    let mut buiten = false;
    for (r, k) in rk() {
        if k != Some(Klasse::Buiten) {
            continue;
        }
        if r.oppervlakte.is_none_or(|o| o == 0.0) {
            // a warning in zel::bui
            return None;
        }
        buiten = true;
        prive_m2 += half_up(r.oppervlakte.unwrap_or(0.0), 2);
    }
    let bui = if buiten {
        let p = whole(prive_m2) * rb.bui_prive_per_m2 / 1.0;
        let totaal = som(&[p, rb.bui_aanwezig]);
        if totaal > rb.bui_max {
            kwart(som(&[p, rb.bui_aanwezig, rb.bui_max - totaal]))
        } else {
            kwart(som(&[p, rb.bui_aanwezig]))
        }
    } else {
        kwart(som(&[rb.bui_geen]))
    };
    Some([ovz, ooz, vkv, bui])
}

/// ENE (zel::ene) with its warnings (`None`: a case the kern leaves to zel).
pub(crate) fn ene_deel(ctx: &mut Ctx) -> Option<f64> {
    let e = ctx.e;
    let pd = ctx.peildatum;
    let lt = ctx.t.labeltabel(Stelsel::Zelfstandig, pd)?;
    let ep_idx = zel::geldige_energieprestatie(ctx);
    if e.monumenten.is_none() {
        ctx.warn(zel::MONUMENTEN_NULL.0, zel::MONUMENTEN_NULL.1);
    }
    Some(match zel::pandsoort(e) {
        None => {
            ctx.warn(zel::GEEN_PANDSOORT.0, zel::GEEN_PANDSOORT.1);
            kwart(som(&[]))
        }
        Some(_) if ep_idx.is_none() && e.bouwjaar.is_none() => {
            ctx.warn(zel::ENE_ZONDER_BOUWJAAR.0, zel::ENE_ZONDER_BOUWJAAR.1);
            kwart(som(&[]))
        }
        Some(egw) => ene_punten(e, pd, lt, ep_idx, egw)?,
    })
}

/// KEU and SAN (zel::keu, zel::san with divisor 1) with their warnings (`None`: a case
/// the kern leaves to zel).
pub(crate) fn keu_san_deel(ctx: &mut Ctx) -> Option<[f64; 2]> {
    let e = ctx.e;
    // KEU (zel::keu, zel::keuken_ruimte with divisor 1)
    let mut l = Regels::new();
    for r in &e.ruimten {
        if !zel::is_keuken(ctx, r) {
            continue;
        }
        let mut aantal = 0;
        let mut totaal = 0.0;
        for el in &r.bouwkundige_elementen {
            if el.code.as_deref() == Some("AAN")
                && let Some(x) = el.lengte.filter(|x| *x != 0.0)
            {
                aantal += 1;
                totaal += x;
            }
        }
        let aanrecht = if aantal == 0 {
            0.0
        } else {
            zel::punten_aanrecht(
                Stelsel::Zelfstandig,
                totaal,
                r,
                &ctx.t.beleid(ctx.peildatum).keuken,
            )
        };
        if aantal > 0 {
            l.push(aanrecht);
        }
        let mut extra = 0.0;
        let tabel = &ctx.t.beleid(ctx.peildatum).keuken;
        for (code, _, _) in zel::KEUKEN_EXTRA {
            let p = tabel.extra(code);
            let n = r.installaties.iter().filter(|c| *c == code).count();
            if n == 0 {
                continue;
            }
            l.push(p * n as f64);
            extra += p * n as f64;
        }
        if extra > aanrecht {
            l.push(aanrecht - extra);
        }
    }
    if l.n == 0 {
        ctx.warn("eenheid.ruimten", zel::GEEN_KEUKEN);
    }
    let keu = l.punten()?;

    // SAN (zel::san, zel::sanitair_ruimte with divisor 1)
    let mut l = Regels::new();
    REGELS.with_borrow_mut(|regels| {
        for r in &e.ruimten {
            zel::sanitair_regels(ctx, r, Stelsel::Zelfstandig, false, true, regels);
            for x in regels.iter() {
                l.push(x.3);
            }
        }
    });
    let san = l.punten()?;
    Some([keu, san])
}

/// The area the WOZ rubriek divides by (zel::woz): rubriek 1 + 2 rooms, 2 decimals each,
/// in whole m² (no shared parking in the kern's cases).
pub(crate) fn woz_oppervlakte(e: &Eenheid, klassen: &[Option<Klasse>]) -> f64 {
    let mut opp: f64 = e
        .ruimten
        .iter()
        .zip(klassen.iter().copied())
        .filter(|(r, k)| {
            matches!(k, Some(Klasse::Vertrek | Klasse::Overig))
                && r.oppervlakte.is_some_and(|o| o != 0.0)
        })
        .map(|(r, _)| half_up(oppervlakte_met_kasten(r), 2))
        .sum();
    opp += som(&[]);
    whole(opp)
}

/// The WOZ value of a unit and what the WOZ rubriek needs besides the other rubrieken.
pub(crate) struct Woz {
    pub waarde: f64,
    /// the factors for the value's waardepeildatum (not older than it)
    pub factor: crate::tables::WozFactor,
    /// [`woz_oppervlakte`], not 0
    pub opp: f64,
    /// the COROP rule for small new-build applies (zel::corop_regel)
    pub corop: bool,
    pub bouwjaar: Option<i32>,
}

/// The WOZ rubriek (zel::woz with the cap and the 2015–2019 minimum), BIJ and PMN (none in
/// the kern's cases), the total, maximum rent and segment. `prior`: OVZ, OOZ, VKV, BUI, ENE,
/// KEU, SAN, GPA, GVR; `warnings`: those so far (the totals' are added).
pub(crate) fn woz_en_totaal(
    prior: [f64; 9],
    w: &Woz,
    monumenten_null: bool,
    pd: crate::Date,
    t: &Tables,
    warnings: &mut Vec<crate::model::Warning>,
) -> Result<Punten, WwsError> {
    let [ovz, ooz, vkv, bui, ene, keu, san, gpa, gvr] = prior;
    // the same arithmetic as zel::woz (crate::woz), with the numbers in force at pd
    let beleid = t.beleid(pd).woz;
    let (p1, p2, _) = crate::woz::onderdelen(w.waarde, w.opp, &w.factor, w.corop, &beleid);
    let woz_punten = p1 + p2;
    let woz = match crate::woz::correctie(
        woz_punten,
        w.bouwjaar,
        || som(&prior),
        || som(&prior),
        w.corop,
        &beleid,
    ) {
        crate::woz::Correctie::Geen => kwart(som(&[p1, p2])),
        crate::woz::Correctie::Nieuwbouw(minimum) => kwart(som(&[p1, p2, minimum - woz_punten])),
        crate::woz::Correctie::Cap { punten, .. } => kwart(som(&[p1, p2, punten])),
    };

    // BIJ: no zorgwoning, door bell or charging points; PMN: no monument, no new build
    let bij = kwart(som(&[]));
    if monumenten_null {
        // as Ctx::warn: once
        let w = crate::model::Warning {
            field: zel::MONUMENTEN_NULL.0.into(),
            message: zel::MONUMENTEN_NULL.1.into(),
        };
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let pmn = kwart(som(&[]));
    let pmn_opslag = som(&[]);

    let groepen = [ovz, ooz, vkv, bui, ene, keu, san, gpa, gvr, woz, bij, pmn];
    let totaal = whole(groepen.iter().copied().map(kwart).sum());
    let opslag = som(&[pmn_opslag]);
    let h = zel::totals_nums(totaal, opslag, Stelsel::Zelfstandig, pd, t, warnings)?;
    Ok(Punten {
        stelsel: Stelsel::Zelfstandig,
        punten: totaal,
        maximale_huur: h.maximale_huur,
        opslagpercentage: h.opslagpercentage,
        huurprijsopslag: h.huurprijsopslag,
        maximale_huur_inclusief_opslag: h.maximale_huur_inclusief_opslag,
        segment: h.segment,
        groepen: zel::GROEPEN
            .iter()
            .zip(groepen)
            .map(|(g, p)| (g.0, Some(p)))
            .collect(),
        warnings: std::mem::take(warnings),
    })
}

/// ENE points (zel::ene) with a pandsoort and a bouwjaar or a valid energieprestatie;
/// `None`: a case the kern leaves to zel (an energie-index of 2015–2020, an unknown label).
fn ene_punten(
    e: &Eenheid,
    pd: crate::Date,
    lt: &crate::tables::LabelTabel,
    ep_idx: Option<usize>,
    egw: bool,
) -> Option<f64> {
    let col = |egw_pts: f64, mgw_pts: f64| if egw { egw_pts } else { mgw_pts };
    let epv = zel::heeft_epv(e, pd);
    let mut label_punten: Option<f64> = None;
    if epv {
        label_punten = Some(col(lt.epv.0, lt.epv.1));
    } else if let Some(i) = ep_idx {
        let ep = &e.energieprestaties[i];
        let b = ep
            .begindatum
            .expect("a valid energieprestatie has a begindatum");
        if zel::in_vereenvoudigd_label_periode(b) && ep.soort.as_deref() == Some("EI") {
            return None;
        }
        if let Some(c) = ep.label_code.as_deref() {
            let l = zel::label_naam_ref(c, ep.label_naam.as_deref());
            match lt.labels.iter().find(|r| r.label == l) {
                Some(row) => label_punten = Some(col(row.egw, row.mgw)),
                // an unknown label: a warning in zel::ene
                None => return None,
            }
        }
    }
    if label_punten.is_none()
        && !epv
        && let Some(bj) = e.bouwjaar
        && let Some(row) = lt
            .bouwjaar
            .iter()
            .find(|r| (r.0 == 0 || r.0 <= bj) && (r.1 == 0 || bj <= r.1))
    {
        label_punten = Some(col(row.2, row.3));
    }
    Some(match label_punten {
        Some(p) => kwart(som(&[p])),
        None => kwart(som(&[])),
    })
}

/// The rubrieken of a unit that depend only on its rooms (OVZ, OOZ, VKV, BUI, KEU, SAN)
/// and the WOZ area, for a memo keyed by what the rooms are made from (the flat form).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuimtenDelen {
    pub ovz: f64,
    pub ooz: f64,
    pub vkv: f64,
    pub bui: f64,
    pub keu: f64,
    pub san: f64,
    pub woz_opp: f64,
}

/// [`RuimtenDelen`] of `e` with the warnings of KEU and SAN when the kern applies (`None`:
/// value the unit the usual way).
pub(crate) fn ruimten_delen(
    e: &Eenheid,
    opts: &Options,
) -> Option<(RuimtenDelen, Vec<crate::model::Warning>)> {
    if !past(e, opts) {
        return None;
    }
    let mut klassen = [None; MAX_RUIMTEN];
    for (k, r) in klassen.iter_mut().zip(&e.ruimten) {
        *k = classificeer(r);
    }
    let klassen = &klassen[..e.ruimten.len()];
    let [ovz, ooz, vkv, bui] = ruimten_deel(
        e,
        klassen,
        &opts.tabellen().beleid(opts.peildatum).rubrieken,
    )?;
    let mut ctx = Ctx {
        e,
        peildatum: opts.peildatum,
        t: opts.tabellen(),
        warnings: Vec::new(),
        lean: true,
    };
    let [keu, san] = keu_san_deel(&mut ctx)?;
    let woz_opp = woz_oppervlakte(e, klassen);
    (woz_opp != 0.0).then_some((
        RuimtenDelen {
            ovz,
            ooz,
            vkv,
            bui,
            keu,
            san,
            woz_opp,
        },
        ctx.warnings,
    ))
}

/// ENE of `e` with its warnings when the kern applies (`None`: value the unit the usual
/// way).
pub(crate) fn ene_met_warnings(
    e: &Eenheid,
    opts: &Options,
) -> Option<(f64, Vec<crate::model::Warning>)> {
    if !past(e, opts) {
        return None;
    }
    let mut ctx = Ctx {
        e,
        peildatum: opts.peildatum,
        t: opts.tabellen(),
        warnings: Vec::new(),
        lean: true,
    };
    let ene = ene_deel(&mut ctx)?;
    Some((ene, ctx.warnings))
}
