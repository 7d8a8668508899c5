//! Rubriek 11: bijzondere voorzieningen. Zorgwoning +35 % of rubrieken 1–11 (without the
//! new-build WOZ minimum), video/audio doorbell 0.25, charging points not valued in
//! rubriek 10: 2 each (÷ sharing).

#[allow(unused_imports)]
use super::*;

pub(crate) fn krijgt_punten_in_gpa(r: &Ruimte) -> bool {
    parkeertype(r).is_some() && r.oppervlakte.is_some_and(|o| o >= 12.0)
}

pub(crate) fn bij(ctx: &mut Ctx, g: &mut Groep, prior: &[Groep], stelsel: Stelsel) {
    let e = ctx.e;
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
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
            Lazy(|| format!("Zorgwoning {}% puntenverhoging", rb.bij_zorgwoning_procent)),
        );
        g.last().punten = Some(kwart(totaal * (rb.bij_zorgwoning_procent / 100.0)));
    }
    if e.ruimten.iter().any(|r| r.has_installatie("ABF")) {
        g.add(
            "aanbelfunctie_met_video_en_audioverbinding",
            "Aanbelfunctie met video- en audioverbinding",
        );
        g.last().punten = Some(rb.bij_aanbelfunctie);
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
        w.punten = Some(rb.bij_laadpunt * a / d);
    }
    finish(g);
}
