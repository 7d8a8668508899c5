//! Rubriek 8 (beleidsboek numbering: buitenruimten). Private: 2 points when present +
//! 0.35 per m²; shared with n addresses: 0.75 per m² / n (minimum 2.00 × 1.50 × 1.50 m);
//! none at all: −5; at most 15.

#[allow(unused_imports)]
use super::*;

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

/// Private outdoor space under the rules of `data/wws/` (2026): 2 + 0.35 per whole m², at
/// most 15 (docs/domain.md §11 item 8).
pub fn punten_prive_buitenruimte(m2: f64) -> f64 {
    let r = Tables::embedded().beleid[0].rubrieken;
    (r.bui_aanwezig + whole(m2) * r.bui_prive_per_m2).min(r.bui_max)
}

pub(crate) fn bui(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
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
        g.last().punten = Some(rb.bui_geen);
    } else if prive_gewaardeerd {
        g.add(
            "prive_buitenruimten_aanwezig",
            "Privé buitenruimten aanwezig",
        );
        g.last().punten = Some(rb.bui_aanwezig);
    }
    for (n, lid, som) in &lagen {
        let m2 = whole(*som);
        let factor = if *n == 1 {
            rb.bui_prive_per_m2
        } else {
            rb.bui_gedeeld_per_m2
        };
        if let Some(w) = g.line_mut(lid) {
            w.punten = Some(m2 * factor / f64::from(*n));
            w.aantal = Some(m2);
            w.meeteenheid = Some(Meeteenheid::M2);
        }
    }
    let totaal: f64 = g.woningwaarderingen.iter().filter_map(|w| w.punten).sum();
    if totaal > rb.bui_max {
        g.add(
            "maximering",
            Lazy(|| format!("Maximaal {} punten", rb.bui_max)),
        );
        g.last().punten = Some(rb.bui_max - totaal);
    }
    finish(g);
}
