//! Rubriek 4: energieprestatie

#[allow(unused_imports)]
use super::*;

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
