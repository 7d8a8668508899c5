//! Rubriek 3: verkoeling en verwarming. Heated vertrek 2 points (4 with an open kitchen:
//! a woonkamer/keuken type or a room with a worktop of ≥ 1 m), cooled vertrek +1 (max 2),
//! heated overige/verkeersruimte 1 (max 4); the numbers are `[rubrieken]` in
//! data/wws/parameters.toml.

#[allow(unused_imports)]
use super::*;

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
    rb: &crate::tables::Rubrieken,
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
        g.last().punten = Some(
            if ok > 0 {
                rb.vkv_open_keuken
            } else {
                rb.vkv_verwarmd
            } / d,
        );
        if r.verkoeld == Some(true) {
            let gd = usize::from(!is_prive(r));
            verkoeld[gd] += 1;
            let p = sub(g, r, "verkoelde_vertrekken", "Verkoelde vertrekken");
            g.add_under(&p, &r.criterium_seg(), Lazy(|| r.weergavenaam()));
            g.last().punten = Some(rb.vkv_verkoeld / d);
            if maximeren && verkoeld[gd] > rb.vkv_verkoeld_max {
                maximering(g, &p, gd == 1, rb.vkv_verkoeld_max, rb.vkv_verkoeld, d);
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
        g.last().punten = Some(rb.vkv_overig / d);
        let gd = usize::from(!is_prive(r));
        overig[gd] += 1;
        if maximeren && overig[gd] > rb.vkv_overig_max {
            maximering(g, &p, gd == 1, rb.vkv_overig_max, rb.vkv_overig, d);
        }
    }
}

/// The line that takes back a room's `punten` beyond the first `max` rooms under `p`
/// ("Maximaal N punten"; shared rooms: "Maximering").
fn maximering(g: &mut Groep, p: &LineId, gedeeld: bool, max: u32, punten: f64, d: f64) {
    g.add_under(
        p,
        "max_aantal_punten",
        Lazy(|| {
            if gedeeld {
                "Maximering".to_string()
            } else {
                format!("Maximaal {} punten", f64::from(max) * punten)
            }
        }),
    );
    g.last().punten = Some(-punten / d);
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
        &ctx.t.beleid(ctx.peildatum).rubrieken,
    );
    finish(g);
}
