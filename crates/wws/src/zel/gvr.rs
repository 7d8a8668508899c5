//! Rubriek 9: gemeenschappelijke vertrekken, overige ruimten en voorzieningen (shared with
//! other addresses): area, heating, kitchen and sanitary points divided by the addresses;
//! a zorgwoning gets a fixed 3 points instead.

#[allow(unused_imports)]
use super::*;

/// Removes lines added since `len` when none of them carries points or an area.
pub(crate) fn rollback_if_empty(g: &mut Groep, len: usize, added: bool) {
    if !added {
        g.woningwaarderingen.truncate(len);
    }
}

/// Shared rooms of one (addresses, rooms, class).
pub(crate) type GedeeldeGroep<'a> = ((u32, u32, Klasse), Vec<&'a Ruimte>);

pub(crate) fn gvr(ctx: &mut Ctx, g: &mut Groep) {
    gemeenschappelijk(ctx, g, Stelsel::Zelfstandig);
}

/// ZEL rubriek 9 / ONZ "gemeenschappelijke binnenruimten gedeeld met meerdere adressen".
/// ZEL divides heating, kitchen and sanitary points by the addresses, ONZ by addresses ×
/// rooms.
pub(crate) fn gemeenschappelijk(ctx: &mut Ctx, g: &mut Groep, stelsel: Stelsel) {
    let e = ctx.e;
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
    let onz_stelsel = stelsel == Stelsel::Onzelfstandig;
    if e.doelgroep.as_deref() == Some("ZOR") {
        g.add("zorgwoning", "Zorgwoning");
        g.last().punten = Some(rb.gvr_zorgwoning);
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
        let per_m2 = if *k == Klasse::Vertrek {
            rb.ovz_per_m2
        } else {
            rb.ooz_per_m2
        };
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
                let c = ((whole(totaal) - whole(totaal - z)) * rb.ooz_per_m2)
                    .min(rb.zolder_correctie_max);
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
        &ctx.t.beleid(ctx.peildatum).rubrieken,
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
