//! Rubriek 5: keuken

#[allow(unused_imports)]
use super::*;

pub(crate) const OPEN_KEUKEN: [&str; 2] = ["WOK", "WSK"];

/// Extra kitchen facilities: VERA code, criterium id, name (their points: `[keuken.extra]` in
/// data/wws/parameters.toml; beleidsboek §5, tabel extra voorzieningen).
pub(crate) const KEUKEN_EXTRA: [(&str, &str, &str); 16] = [
    (
        "IAF",
        "inbouw_afzuiginstallatie",
        "Inbouw afzuiginstallatie",
    ),
    (
        "IKI",
        "inbouw_kookplaat_inductie",
        "Inbouw kookplaat inductie",
    ),
    (
        "IKK",
        "inbouw_kookplaat_keramisch",
        "Inbouw kookplaat keramisch",
    ),
    ("IKG", "inbouw_kookplaat_gas", "Inbouw kookplaat gas"),
    ("IKO", "inbouw_koelkast", "Inbouw koelkast"),
    ("IVR", "inbouw_vrieskast", "Inbouw vrieskast"),
    (
        "IKV",
        "inbouw_koelvriescombinatie",
        "Inbouw koelvriescombinatie",
    ),
    ("IOE", "inbouw_oven_elektrisch", "Inbouw oven elektrisch"),
    ("IOG", "inbouw_oven_gas", "Inbouw oven gas"),
    ("IMA", "inbouw_magnetron", "Inbouw magnetron"),
    (
        "ICM",
        "inbouw_combi_magnetron_en_of_oven",
        "Inbouw combi magnetron/oven",
    ),
    ("IVA", "inbouw_vaatwasmachine", "Inbouw vaatwasmachine"),
    (
        "EKA",
        "extra_keukenkastruimte_boven_het_minimum",
        "Extra keukenkastruimte boven het minimum",
    ),
    ("EHM", "eenhandsmengkraan", "Éénhandsmengkraan"),
    (
        "TME",
        "thermostatische_mengkraan",
        "Thermostatische mengkraan",
    ),
    ("KWA", "kokend_waterfunctie", "Kokend waterfunctie"),
];

pub(crate) fn heeft_valide_aanrecht(r: &Ruimte) -> bool {
    r.bouwkundige_elementen
        .iter()
        .any(|el| el.code.as_deref() == Some("AAN") && el.lengte.is_some_and(|l| l >= 1000.0))
}

/// Points for a total worktop length (mm), ZEL, under the rules of `data/wws/` (2026):
/// < 1 m 0, 1–2 m 4, ≥ 2 m 7.
pub fn punten_aanrecht_zel(lengte_mm: f64) -> f64 {
    aanrecht_zel(lengte_mm, &Tables::embedded().beleid[0].keuken)
}

/// Worktop points (ZEL) under `k`.
fn aanrecht_zel(lengte_mm: f64, k: &crate::tables::Keuken) -> f64 {
    if lengte_mm < k.aanrecht_min_mm {
        0.0
    } else if lengte_mm >= k.aanrecht_lang_mm {
        k.aanrecht_lang
    } else {
        k.aanrecht_kort
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
pub(crate) fn punten_aanrecht(
    stelsel: Stelsel,
    lengte: f64,
    r: &Ruimte,
    k: &crate::tables::Keuken,
) -> f64 {
    if lengte < k.aanrecht_min_mm {
        return 0.0;
    }
    if stelsel == Stelsel::Onzelfstandig {
        if lengte > k.onz_aanrecht_5m_mm
            && r.gedeeld_met_aantal_onzelfstandige_woonruimten.unwrap_or(0)
                >= k.onz_aanrecht_5m_kamers
        {
            return k.onz_aanrecht_5m;
        }
        if lengte > k.onz_aanrecht_3m_mm {
            return k.onz_aanrecht_3m;
        }
    }
    aanrecht_zel(lengte, k)
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
        punten_aanrecht(stelsel, totaal, r, &ctx.t.beleid(ctx.peildatum).keuken)
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
    let tabel = &ctx.t.beleid(ctx.peildatum).keuken;
    for (code, seg, naam) in KEUKEN_EXTRA {
        let p = tabel.extra(code);
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
