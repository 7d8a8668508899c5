//! Prijsopslag monumenten en nieuwbouw

#[allow(unused_imports)]
use super::*;

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
