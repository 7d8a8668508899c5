//! Onzelfstandige woonruimten (ONZ): the thirteen stelselgroepen.
//!
//! Follows the Huurcommissie beleidsboek WWS onzelfstandige woonruimte (July 2026 policy).
//! Spaces shared with other rooms of the same address (`gedeeldMetAantalOnzelfstandige-
//! Woonruimten`) count divided by the number of rooms; spaces shared with other addresses
//! are valued in the rubriek "gemeenschappelijke binnenruimten gedeeld met meerdere adressen".

use crate::model::{Date, Eenheid, Ruimte, Stelsel};
use crate::result::{Groep, Lazy, Meeteenheid, Naam, Resultaat};
use crate::round::{half_up, kwart, sig, whole};
use crate::tables::Tables;
use crate::zel::{
    self, Ctx, Klasse, classificeer, ensure, finish, gedeeld_met_adressen, gedeeld_met_laag,
    gedeeld_met_onz, is_prive, is_zolder_zonder_vaste_trap, oppervlakte_met_kasten,
};
use crate::{Options, WwsError};

/// (code, naam) of the ONZ stelselgroepen, in output order.
pub const GROEPEN: [(&str, &str); 13] = [
    ("OVZ", "Oppervlakte van vertrekken"),
    ("OOZ", "Oppervlakte van overige ruimten"),
    ("VKV", "Verkoeling en verwarming"),
    ("ENE", "Energieprestatie"),
    ("KEU", "Keuken"),
    ("SAN", "Sanitair"),
    ("BUI", "Buitenruimten"),
    (
        "GBA",
        "Gemeenschappelijke binnenruimten gedeeld met meerdere adressen",
    ),
    ("GPA", "Gemeenschappelijke parkeerruimten"),
    ("WOZ", "Punten voor de WOZ-waarde"),
    ("BIJ", "Bijzondere voorzieningen"),
    ("AFT", "Aftrekpunten"),
    ("PMO", "Prijsopslag monumenten"),
];

fn onz_of(r: &Ruimte) -> u32 {
    r.gedeeld_met_aantal_onzelfstandige_woonruimten
        .unwrap_or(1)
        .max(1)
}

/// The area of a room attributed to this dwelling: m² incl. cupboards (2 decimals) ÷ the
/// rooms sharing it.
pub fn toe_te_rekenen_oppervlakte(r: &Ruimte) -> f64 {
    half_up(oppervlakte_met_kasten(r), 2) / f64::from(onz_of(r))
}

/// Values an ONZ unit; `only` as in [`zel::waardeer`].
pub fn waardeer(
    e: &Eenheid,
    opts: &Options,
    t: &Tables,
    only: Option<&str>,
) -> Result<Resultaat, WwsError> {
    waardeer_mode(e, opts, t, only, false)
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
    let e = if only.is_none() && zel::normaliseren_nodig(e, opts, lean) {
        let mut c = e.clone();
        zel::normaliseer_namen(&mut c);
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
    zel::check_ruimten(&mut ctx);
    let groepen = match only {
        None => {
            let mut gs: Vec<Groep> = Vec::new();
            for (code, _) in GROEPEN {
                let g = groep(&mut ctx, code, &gs)?;
                gs.push(g);
            }
            gs
        }
        Some(code) => {
            let Some(&(code, _)) = GROEPEN.iter().find(|g| g.0 == code) else {
                return Err(WwsError::Input(format!("unknown ONZ stelselgroep {code}")));
            };
            let mut others = Vec::new();
            if matches!(code, "BIJ" | "AFT") {
                for (c, _) in GROEPEN {
                    if c == code {
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
    let r = zel::totals(
        e.id.clone(),
        Stelsel::Onzelfstandig,
        groepen,
        warnings,
        opts.peildatum,
        t,
    )?;
    zel::strict_check(r, opts)
}

fn groep(ctx: &mut Ctx, code: &'static str, prior: &[Groep]) -> Result<Groep, WwsError> {
    let naam = GROEPEN
        .iter()
        .find(|g| g.0 == code)
        .map(|g| g.1)
        .unwrap_or("");
    let mut g = ctx.groep(code, naam);
    match code {
        "OVZ" => ovz(ctx, &mut g),
        "OOZ" => ooz(ctx, &mut g),
        "VKV" => vkv(ctx, &mut g),
        "ENE" => ene(ctx, &mut g),
        "KEU" => keu(ctx, &mut g),
        "SAN" => san(ctx, &mut g),
        "BUI" => bui(ctx, &mut g),
        "GBA" => zel::gemeenschappelijk(ctx, &mut g, Stelsel::Onzelfstandig),
        "GPA" => {
            for (i, r) in ctx.e.ruimten.iter().enumerate() {
                zel::parkeerruimte(ctx, &mut g, r, i);
            }
            finish(&mut g);
        }
        "WOZ" => woz(ctx, &mut g),
        "BIJ" => zel::bij(ctx, &mut g, prior, Stelsel::Onzelfstandig),
        "AFT" => aft(ctx, &mut g, prior),
        "PMO" => {
            if ctx.e.monumenten.is_none() {
                ctx.warn(
                    "eenheid.monumenten",
                    "monumenten ontbreekt (null): behandeld als geen monument; geef [] voor 'geen monument'",
                );
            }
            let p = ctx
                .t
                .beleid(ctx.peildatum)
                .opslag
                .rijksmonument_punten_oud_contract_onz;
            zel::monument_opslagen(ctx, &mut g, p);
            finish(&mut g);
            let pct: f64 = g
                .woningwaarderingen
                .iter()
                .filter_map(|w| w.opslagpercentage)
                .sum();
            g.opslagpercentage = Some(pct);
        }
        _ => unreachable!("codes come from GROEPEN"),
    }
    Ok(g)
}

/// Rubriek 1: vertrekken, 1 point per attributed m² (total rounded to whole m²).
fn ovz_lines(g: &mut Groep, e: &Eenheid) -> f64 {
    let mut totaal = 0.0;
    for r in e.ruimten.iter().filter(|r| !gedeeld_met_adressen(r)) {
        if classificeer(r) != Some(Klasse::Vertrek) || r.oppervlakte.is_none_or(|o| o == 0.0) {
            continue;
        }
        let laag = gedeeld_met_laag(g, None, 1, onz_of(r));
        g.add_under(
            &laag,
            &zel::seg_naam_met_kasten(r),
            Lazy(|| zel::naam_met_kasten(r)),
        );
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(half_up(oppervlakte_met_kasten(r), 2));
        totaal += toe_te_rekenen_oppervlakte(r);
    }
    totaal
}

fn ovz(ctx: &mut Ctx, g: &mut Groep) {
    let totaal = ovz_lines(g, ctx.e);
    g.punten = Some(whole(totaal) * ctx.t.beleid(ctx.peildatum).rubrieken.ovz_per_m2);
}

/// Rubriek 2: overige ruimten, 0.75 per attributed m²; zolder without fixed stair deducted.
fn ooz(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let overige: Vec<&Ruimte> = e
        .ruimten
        .iter()
        .filter(|r| !gedeeld_met_adressen(r) && classificeer(r) == Some(Klasse::Overig))
        .collect();
    let zolders: Vec<&Ruimte> = overige
        .iter()
        .copied()
        .filter(|r| is_zolder_zonder_vaste_trap(r))
        .collect();
    let subtotaal = if zolders.is_empty() {
        None
    } else {
        Some(g.add("subtotaal", "Subtotaal"))
    };
    let mut totaal = 0.0;
    for r in &overige {
        totaal += toe_te_rekenen_oppervlakte(r);
        let laag = gedeeld_met_laag(g, subtotaal.as_ref(), 1, onz_of(r));
        g.add_under(
            &laag,
            &zel::seg_naam_met_kasten(r),
            Lazy(|| zel::naam_met_kasten(r)),
        );
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(half_up(oppervlakte_met_kasten(r), 2));
    }
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
    let punten = whole(totaal) * rb.ooz_per_m2;
    if let Some(s) = &subtotaal
        && let Some(w) = g.line_mut(s)
    {
        w.punten = Some(punten);
    }
    for r in &zolders {
        let z = toe_te_rekenen_oppervlakte(r);
        let max = rb.zolder_correctie_max / f64::from(onz_of(r));
        let c = ((whole(totaal) - whole(totaal - z)) * rb.ooz_per_m2).min(max);
        g.add(
            &format!("{}__correctie_zolder_zonder_vaste_trap", r.criterium_id()),
            "Correctie: zolder zonder vaste trap",
        );
        g.last().punten = Some(-c);
    }
    if subtotaal.is_none() {
        g.punten = Some(kwart(punten));
    } else {
        finish(g);
    }
}

/// Rubriek 3: heating and cooling; shared rooms' points divided by the rooms sharing.
fn vkv(ctx: &mut Ctx, g: &mut Groep) {
    let ruimten: Vec<&Ruimte> = ctx
        .e
        .ruimten
        .iter()
        .filter(|r| !gedeeld_met_adressen(r))
        .collect();
    zel::vkv_lines(
        g,
        &ruimten,
        &|g, r, seg, naam| {
            let laag = gedeeld_met_laag(g, None, 1, onz_of(r));
            ensure(g, Some(&laag), seg, naam)
        },
        &|r| {
            if gedeeld_met_onz(r) {
                f64::from(onz_of(r))
            } else {
                1.0
            }
        },
        true,
        &ctx.t.beleid(ctx.peildatum).rubrieken,
    );
    finish(g);
}

/// Rubriek 4: energieprestatie, points per m² of the attributed vertrek area.
fn ene(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    if e.ruimten.is_empty() {
        ctx.warn(
            "eenheid.ruimten",
            "geen ruimten: geen punten voor energieprestatie",
        );
        finish(g);
        return;
    }
    if e.monumenten.is_none() {
        ctx.warn(
            "eenheid.monumenten",
            "monumenten ontbreekt (null): behandeld als geen monument; geef [] voor 'geen monument'",
        );
    }
    let Some(lt) = ctx
        .t
        .labeltabel_m2(Stelsel::Onzelfstandig, ctx.peildatum)
        .cloned()
    else {
        ctx.warn("peildatum", "no ONZ energy-label table for this peildatum");
        return;
    };
    let mut opp = 0.0;
    for (i, r) in e.ruimten.iter().enumerate() {
        if r.oppervlakte.is_none() {
            ctx.warn(
                format!("eenheid.ruimten[{i}].oppervlakte"),
                "ruimte zonder oppervlakte telt niet mee voor energieprestatie",
            );
            continue;
        }
        if gedeeld_met_adressen(r) {
            continue;
        }
        if classificeer(r) == Some(Klasse::Vertrek) {
            opp += toe_te_rekenen_oppervlakte(r);
        }
    }
    let epv = e.prijscomponenten.iter().any(|p| {
        p.detail_soort.as_deref() == Some("EPV")
            && p.begindatum.is_none_or(|b| b <= ctx.peildatum)
            && p.einddatum.is_none_or(|x| x > ctx.peildatum)
    });
    let ep_idx = zel::geldige_energieprestatie(ctx);
    let mut punten: Option<f64> = None;
    fn set(g: &mut Groep, opp: f64, seg: &str, naam: impl Naam, per_m2: f64) -> f64 {
        g.add(seg, naam);
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(half_up(opp, 2));
        w.punten = Some(per_m2 * opp);
        per_m2 * opp
    }
    if epv {
        punten = Some(set(
            g,
            opp,
            "energieprestatievergoeding",
            "Energieprestatievergoeding",
            lt.epv_per_m2,
        ));
    } else if let Some(i) = ep_idx {
        let ep = &e.energieprestaties[i];
        let label = ep
            .label_code
            .as_deref()
            .map(|c| zel::label_naam(c, ep.label_naam.as_deref()));
        let b = ep.begindatum.expect("checked");
        let mut lookup = label.clone();
        let mut naam = label.clone().unwrap_or_default();
        let mut ok = true;
        if zel::in_vereenvoudigd_label_periode(b) && ep.soort.as_deref() == Some("EI") {
            match ep.waarde.as_deref().map(|w| w.trim().parse::<f64>()) {
                Some(Ok(ei)) => {
                    let l = lt
                        .labels
                        .iter()
                        .find(|r| r.1.is_some_and(|(lo, hi)| lo < ei && ei <= hi))
                        .map(|r| r.0.clone())
                        .unwrap_or_default();
                    naam = match &label {
                        None => "Energie-index".to_string(),
                        Some(x) if *x != l => format!("{x} -> {l} (Energie-index)"),
                        Some(x) => format!("{x} (Energie-index)"),
                    };
                    lookup = Some(l);
                }
                _ => {
                    ctx.warn(
                        format!("eenheid.energieprestaties[{i}].waarde"),
                        "energie-index zonder geldige waarde: punten op basis van bouwjaar",
                    );
                    ok = false;
                }
            }
        } else if label.is_none() {
            ok = false;
        }
        if ok {
            let l = lookup.unwrap_or_default();
            match lt.labels.iter().find(|r| r.0 == l) {
                Some(row) => punten = Some(set(g, opp, "label", naam, row.2)),
                None => ctx.warn(
                    format!("eenheid.energieprestaties[{i}].label"),
                    format!("onbekend energielabel {l:?}: punten op basis van bouwjaar"),
                ),
            }
        }
    }
    if punten.is_none()
        && !epv
        && let Some(bj) = e.bouwjaar
        && let Some(row) = lt
            .bouwjaar
            .iter()
            .find(|r| (r.0 == 0 || r.0 <= bj) && (r.1 == 0 || bj <= r.1))
    {
        punten = Some(set(
            g,
            opp,
            "bouwjaar",
            Lazy(|| format!("Bouwjaar {bj}")),
            row.2,
        ));
    }
    if punten.is_none() && !epv && ep_idx.is_none() && e.bouwjaar.is_none() {
        ctx.warn(
            "eenheid.bouwjaar",
            "geen geldige energieprestatie en geen bouwjaar: geen punten voor energieprestatie",
        );
        g.add("onbekend", "");
    }
    let monument = ["RIJ", "GEM", "PRO"].iter().any(|m| e.has_monument(m));
    if monument && let Some(p) = punten.filter(|p| *p < 0.0) {
        g.add("correctie_monument", "Correctie monument");
        g.last().punten = Some(-p);
    }
    finish(g);
}

fn keu(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    for r in e.ruimten.iter().filter(|r| !gedeeld_met_adressen(r)) {
        let len = g.woningwaarderingen.len();
        let laag = gedeeld_met_laag(g, None, 1, onz_of(r));
        let added = zel::keuken_ruimte(
            ctx,
            g,
            r,
            Stelsel::Onzelfstandig,
            Some(&laag),
            f64::from(onz_of(r)),
        );
        zel::rollback_if_empty(g, len, added);
    }
    finish(g);
}

fn san(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let uitzondering = zel::wastafel_uitzonderingsruimte(e);
    for r in e.ruimten.iter().filter(|r| !gedeeld_met_adressen(r)) {
        if r.detail_soort.is_none() {
            continue;
        }
        let len = g.woningwaarderingen.len();
        let laag = gedeeld_met_laag(g, None, 1, onz_of(r));
        let uz = uitzondering.is_some_and(|u| std::ptr::eq(u, r));
        let added = zel::sanitair_ruimte(
            ctx,
            g,
            r,
            Stelsel::Onzelfstandig,
            Some(&laag),
            f64::from(onz_of(r)),
            uz,
        );
        zel::rollback_if_empty(g, len, added);
    }
    finish(g);
}

/// Buitenruimten: private 0.35 per m² (+2 once), shared 0.75 per m² ÷ (addresses × rooms);
/// at most 15; no deduction when there is none.
fn bui(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
    let mut prive = false;
    for (i, r) in e.ruimten.iter().enumerate() {
        if classificeer(r) != Some(Klasse::Buiten) {
            continue;
        }
        let d = r.detail_soort.as_deref().unwrap_or("");
        if zel::PARKEER_ALTIJD_GPA.iter().any(|p| p.0 == d) {
            continue;
        }
        let Some(opp) = r.oppervlakte.filter(|o| *o != 0.0) else {
            ctx.warn(
                format!("eenheid.ruimten[{i}].oppervlakte"),
                format!(
                    "buitenruimte {} heeft geen oppervlakte: niet gewaardeerd",
                    r.criterium_id()
                ),
            );
            continue;
        };
        if !is_prive(r) && !zel::voldoet_minimum_gemeenschappelijke_buitenruimte(r) {
            continue;
        }
        if zel::PARKEER_BUI_OF_GPA.iter().any(|p| p.0 == d) && !is_prive(r) {
            continue;
        }
        let punten = if is_prive(r) {
            prive = true;
            opp * rb.bui_prive_per_m2
        } else {
            opp * rb.bui_gedeeld_per_m2 / f64::from(zel::deler(r))
        };
        let laag = gedeeld_met_laag(
            g,
            None,
            r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1),
            onz_of(r),
        );
        g.add_under(&laag, &r.criterium_seg(), Lazy(|| r.weergavenaam()));
        let w = g.last();
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(half_up(opp, 2));
        w.punten = Some(punten);
    }
    if prive {
        let laag = gedeeld_met_laag(g, None, 1, 1);
        g.add_under(
            &laag,
            "prive_buitenruimten_aanwezig",
            "Privé buitenruimten aanwezig",
        );
        g.last().punten = Some(rb.bui_aanwezig);
    }
    let totaal: f64 = g.woningwaarderingen.iter().filter_map(|w| w.punten).sum();
    if totaal > rb.bui_max {
        g.add(
            "maximaal_15_punten",
            Lazy(|| format!("Maximaal {} punten", rb.bui_max)),
        );
        g.last().punten = Some(rb.bui_max - totaal);
    }
    finish(g);
}

/// WOZ: 14 / 12 / 10 points when the WOZ value per m² is above / within / below ±10 % of
/// the COROP average; 10 without a relevant WOZ value.
fn woz(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let cfg = ctx.t.beleid(ctx.peildatum).onz_woz;
    let pd = ctx.peildatum;
    let geldig = [Date::new(pd.year - 1, 1, 1), Date::new(pd.year - 2, 1, 1)];
    let beste = e
        .woz_eenheden
        .iter()
        .filter(|w| {
            w.waardepeildatum.is_some_and(|d| geldig.contains(&d))
                && w.vastgestelde_waarde.is_some_and(|v| v != 0.0)
        })
        .max_by_key(|w| w.waardepeildatum);
    let Some(w) = beste else {
        ctx.warn(
            "eenheid.wozEenheden",
            format!(
                "geen WOZ-waarde met waardepeildatum {} of {}: {} punten",
                zel::fmt_ddmmyyyy(geldig[0]),
                zel::fmt_ddmmyyyy(geldig[1]),
                cfg.geen_woz
            ),
        );
        g.add("geen_woz_waarde_bekend", "Geen WOZ-waarde bekend");
        g.last().punten = Some(cfg.geen_woz);
        finish(g);
        return;
    };
    let waarde = w.vastgestelde_waarde.expect("checked");
    let wpd = w.waardepeildatum.expect("checked");
    let niet = |ctx: &mut Ctx, g: &mut Groep, field: &str, msg: String| {
        ctx.warn(field, msg);
        g.punten = None;
    };
    if !e.adres || (!e.adres_postcode_huisnummer && e.woonplaats_code.is_none()) {
        return niet(
            ctx,
            g,
            "eenheid.adres",
            "geen adres: WOZ-punten niet te berekenen".into(),
        );
    }
    let Some(opp) = e.bag_gebruikers_oppervlakte.filter(|o| *o != 0.0) else {
        return niet(
            ctx,
            g,
            "eenheid.adresseerbaarObjectBasisregistratie.bagGebruikersOppervlakte",
            "geen gebruiksoppervlakte van het adres: WOZ-punten niet te berekenen".into(),
        );
    };
    let Some(code) = e.woonplaats_code.clone() else {
        return niet(
            ctx,
            g,
            "eenheid.adres.woonplaats.code",
            "geen woonplaatscode (geen netwerk-opzoeking): WOZ-punten niet te berekenen".into(),
        );
    };
    let Some((corop, corop_naam)) = ctx
        .t
        .corop(&code)
        .map(|(c, n)| (c.to_string(), n.to_string()))
    else {
        return niet(
            ctx,
            g,
            "eenheid.adres.woonplaats.code",
            format!("geen COROP-gebied voor woonplaats {code}: WOZ-punten niet te berekenen"),
        );
    };
    let Some(gem) = ctx.t.corop_woz_per_m2(&corop, wpd.year) else {
        return niet(
            ctx,
            g,
            "eenheid.wozEenheden",
            format!(
                "geen gemiddelde WOZ-waarde per m² voor COROP {corop} en {}",
                wpd.year
            ),
        );
    };
    // 9 significant digits per operation, as the reference's decimal context
    let per_m2 = sig(waarde / opp, 9);
    let verschil = sig(sig(sig(per_m2 / gem, 9) - 1.0, 9) * 100.0, 9);
    let punten = if verschil > cfg.grens_procent {
        cfg.hoog
    } else if verschil >= -cfg.grens_procent {
        cfg.midden
    } else {
        cfg.laag
    };
    let p = g.add("percentage_verschil", "Percentage verschil");
    g.last().punten = Some(punten);
    g.last().aantal = Some(verschil);
    let naam = |seg: &str| match seg {
        "woz_waarde" => format!("WOZ-waarde op waardepeildatum {}", zel::fmt_ddmmyyyy(wpd)),
        "gebruiksoppervlakte" => "Gebruiksoppervlakte".to_string(),
        "woz_waarde_per_m2" => "WOZ-waarde per m²".to_string(),
        _ => format!("Gemiddelde WOZ-waarde per m² voor {corop_naam}"),
    };
    for (seg, aantal, m) in [
        ("woz_waarde", waarde, Meeteenheid::Euro),
        ("gebruiksoppervlakte", opp, Meeteenheid::M2),
        ("woz_waarde_per_m2", per_m2, Meeteenheid::Euro),
        ("gemiddelde_woz_waarde_per_m2", gem, Meeteenheid::Euro),
    ] {
        g.add_under(&p, seg, Lazy(|| naam(seg)));
        g.last().aantal = Some(aantal);
        g.last().meeteenheid = Some(m);
    }
    finish(g);
}

/// Aftrekpunten: −4 when the attributed vertrek area is under 8 m² (`aft_punten`,
/// `aft_grens_m2` in `[rubrieken]`).
fn aft(ctx: &mut Ctx, g: &mut Groep, _prior: &[Groep]) {
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
    // the attributed area as the reference sums it: per room m² ÷ rooms, 2 decimals
    let totaal = half_up(
        ctx.e
            .ruimten
            .iter()
            .filter(|r| {
                !gedeeld_met_adressen(r)
                    && classificeer(r) == Some(Klasse::Vertrek)
                    && r.oppervlakte.is_some_and(|o| o != 0.0)
            })
            .map(|r| {
                half_up(
                    half_up(oppervlakte_met_kasten(r), 2) / f64::from(onz_of(r)),
                    2,
                )
            })
            .sum(),
        2,
    );
    if totaal < rb.aft_grens_m2 - 1e-9 {
        g.add(
            "oppervlakte_van_vertrekken_minder_dan_8m2",
            "Oppervlakte van vertrekken is minder dan 8 m²",
        );
        let w = g.last();
        w.punten = Some(rb.aft_punten);
        w.meeteenheid = Some(Meeteenheid::M2);
        w.aantal = Some(totaal);
    }
    finish(g);
}
