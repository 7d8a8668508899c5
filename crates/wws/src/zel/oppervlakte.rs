//! Rubriek 1: oppervlakte van vertrekken (1 point per m², total rounded to whole m²)

#[allow(unused_imports)]
use super::*;

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
    let per_m2 = ctx.t.beleid(ctx.peildatum).rubrieken.ovz_per_m2;
    g.punten = Some(kwart(whole(som) * per_m2));
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
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
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
        w.punten = Some(whole(totaal) * rb.ooz_per_m2);
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
            let correctie = ((whole(totaal) - whole(totaal - zolder)) * rb.ooz_per_m2)
                .min(rb.zolder_correctie_max);
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
        g.punten = Some(kwart(whole(totaal) * rb.ooz_per_m2));
    }
}
