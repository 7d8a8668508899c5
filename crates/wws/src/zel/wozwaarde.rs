//! Rubriek 8 (WOZ)

#[allow(unused_imports)]
use super::*;

pub(crate) fn fmt_ddmmyyyy(d: Date) -> String {
    format!("{:02}-{:02}-{:04}", d.day, d.month, d.year)
}

/// The WOZ value that counts: waardepeildatum 1 January of (peildatum year − 1) or − 2,
/// the latest, not zero.
pub(crate) fn beste_woz(e: &Eenheid, pd: Date) -> Option<&crate::model::WozEenheid> {
    let geldig = [Date::new(pd.year - 1, 1, 1), Date::new(pd.year - 2, 1, 1)];
    e.woz_eenheden
        .iter()
        .filter(|w| {
            w.waardepeildatum.is_some_and(|d| geldig.contains(&d))
                && w.vastgestelde_waarde.is_some_and(|v| v != 0.0)
        })
        .max_by_key(|w| w.waardepeildatum)
}

/// The WOZ value used: (value, waardepeildatum, the statutory minimum?); without a valid
/// value the minimum, with a warning.
pub(crate) fn woz_waarde(ctx: &mut Ctx) -> Result<(f64, Date, bool), WwsError> {
    let e = ctx.e;
    let pd = ctx.peildatum;
    let geldig = [Date::new(pd.year - 1, 1, 1), Date::new(pd.year - 2, 1, 1)];
    Ok(match beste_woz(e, pd) {
        Some(w) => (
            w.vastgestelde_waarde.expect("checked"),
            w.waardepeildatum.expect("checked"),
            false,
        ),
        None => {
            let why = if e.woz_eenheden.is_empty() {
                "geen WOZ-waarde aangeleverd".to_string()
            } else {
                format!(
                    "geen WOZ-waarde gevonden met waardepeildatum {} of {}",
                    fmt_ddmmyyyy(geldig[0]),
                    fmt_ddmmyyyy(geldig[1])
                )
            };
            ctx.warn(
                "eenheid.wozEenheden",
                format!("{why}: de minimum WOZ-waarde wordt gebruikt"),
            );
            let (d, v) = ctx.t.minimum_woz(pd).ok_or_else(|| {
                WwsError::Table(format!("no minimum WOZ value for peildatum {pd}"))
            })?;
            (v, Date::new(d.year - 1, 1, 1), true)
        }
    })
}

pub(crate) fn woz(ctx: &mut Ctx, g: &mut Groep, prior: &[Groep]) -> Result<(), WwsError> {
    let e = ctx.e;
    let (waarde, waardepeildatum, minimum) = woz_waarde(ctx)?;
    let f = ctx
        .t
        .woz_factor_op(waardepeildatum, ctx.peildatum)
        .ok_or_else(|| {
            WwsError::Table(format!(
                "no WOZ factors for waardepeildatum {waardepeildatum}"
            ))
        })?;
    let beleid = ctx.t.beleid(ctx.peildatum).woz;
    if f.waardepeildatum.year < waardepeildatum.year {
        ctx.warn(
            "eenheid.wozEenheden",
            format!(
                "no WOZ factors typed for waardepeildatum {waardepeildatum}; those of {} are used (add them to data/wws/parameters.toml)",
                f.waardepeildatum
            ),
        );
    }
    // area: rubriek 1 + 2 (rooms, 2 decimals each) + shared inpandige parking places ≥ 12 m²
    let mut opp: f64 = e
        .ruimten
        .iter()
        .filter(|r| {
            !gedeeld_met_adressen(r)
                && matches!(
                    classificeer(r),
                    Some(Klasse::Vertrek) | Some(Klasse::Overig)
                )
                && r.oppervlakte.is_some_and(|o| o != 0.0)
        })
        .map(|r| half_up(oppervlakte_met_kasten(r), 2))
        .sum();
    opp += e
        .ruimten
        .iter()
        .filter(|r| r.is_detail("PIP") && gedeeld_met_adressen(r))
        .filter_map(|r| {
            let o = r.oppervlakte.filter(|o| *o >= 12.0)?;
            Some(
                o * f64::from(r.aantal.unwrap_or(1))
                    / f64::from(r.gedeeld_met_aantal_adressen.unwrap_or(2)),
            )
        })
        .sum::<f64>();
    let opp = whole(opp);
    if opp == 0.0 {
        ctx.warn(
            "eenheid.ruimten",
            "oppervlakte van vertrekken en overige ruimten is 0: WOZ-punten niet te berekenen",
        );
        g.punten = None;
        return Ok(());
    }
    let corop = corop_regel(ctx);
    let (p1, p2, factor2) = crate::woz::onderdelen(waarde, opp, &f, corop, &beleid);
    let woz_punten = p1 + p2;

    g.add(
        "woz_waarde",
        Lazy(|| {
            if minimum {
                "Minimum WOZ-waarde (geen relevante WOZ-waarde beschikbaar)".to_string()
            } else {
                format!(
                    "WOZ-waarde op waardepeildatum {}",
                    fmt_ddmmyyyy(waardepeildatum)
                )
            }
        }),
    );
    g.last().meeteenheid = Some(Meeteenheid::Euro);
    g.last().aantal = Some(waarde.trunc());
    let i1 = g.add("onderdeel_I", "Onderdeel I");
    g.last().punten = Some(p1);
    if minimum {
        g.add_under(
            &i1,
            "minimum_woz_waarde",
            "Minimum WOZ-waarde gebruikt voor berekening",
        );
        g.last().meeteenheid = Some(Meeteenheid::Euro);
        g.last().aantal = Some(waarde.trunc());
    }
    g.add_under(&i1, "factor_I", "Factor I");
    g.last().meeteenheid = Some(Meeteenheid::Euro);
    g.last().aantal = Some(f.onderdeel_1);
    if beleid.vrijstelling != 0.0 {
        g.add_under(
            &i1,
            "vrijstelling",
            "Vrijstelling WOZ-waarde (beleidsvariant)",
        );
        g.last().meeteenheid = Some(Meeteenheid::Euro);
        g.last().aantal = Some(beleid.vrijstelling);
    }
    let i2 = g.add("onderdeel_II", "Onderdeel II");
    g.last().punten = Some(p2);
    if minimum {
        g.add_under(
            &i2,
            "minimum_woz_waarde",
            "Minimum WOZ-waarde gebruikt voor berekening",
        );
        g.last().meeteenheid = Some(Meeteenheid::Euro);
        g.last().aantal = Some(waarde.trunc());
    }
    g.add_under(
        &i2,
        "oppervlakte_vertrekken_en_overige_ruimten",
        "Oppervlakte van vertrekken en overige ruimten",
    );
    g.last().meeteenheid = Some(Meeteenheid::M2);
    g.last().aantal = Some(opp);
    g.add_under(&i2, "factor_II", "Factor II");
    g.last().meeteenheid = Some(Meeteenheid::Euro);
    g.last().aantal = Some(factor2);

    // §8: new builds (2015–2019 with ≥ 110 points in rubrieken 1–7, 9–10, 12) get at least
    // 40; else the cap (33 % from 187 points, never below 186): crate::woz, numbers in
    // [woz_beleid]
    if e.bouwjaar.is_none() {
        ctx.warn(WOZ_ZONDER_BOUWJAAR.0, WOZ_ZONDER_BOUWJAAR.1);
    }
    let kritisch = || {
        prior
            .iter()
            .filter(|g| {
                matches!(
                    g.code,
                    "OVZ" | "OOZ" | "VKV" | "ENE" | "KEU" | "SAN" | "BUI" | "GVR" | "GPA" | "BIJ"
                )
            })
            .filter_map(|g| g.punten)
            .sum::<f64>()
    };
    let overige = || prior.iter().filter_map(|g| g.punten).sum::<f64>();
    match crate::woz::correctie(woz_punten, e.bouwjaar, kritisch, overige, corop, &beleid) {
        crate::woz::Correctie::Geen => {}
        crate::woz::Correctie::Nieuwbouw(minimum_punten) => {
            g.add(
                "nieuwbouw_minimum_punten",
                Lazy(|| format!("Nieuwbouw: min. {} punten", minimum_punten as i64)),
            );
            g.last().punten = Some(minimum_punten - woz_punten);
        }
        crate::woz::Correctie::Cap { punten, bodem } => {
            if bodem {
                g.add(
                    "maximering_woz_punten",
                    Lazy(|| {
                        format!(
                            "Maximering WOZ-punten tot {} punten totaal",
                            beleid.cap_vanaf_punten as i64 - 1
                        )
                    }),
                );
            } else {
                g.add(
                    "maximering_woz_punten",
                    Lazy(|| {
                        format!(
                            "Maximering WOZ-punten tot {}% van totaal",
                            beleid.cap_procent
                        )
                    }),
                );
            }
            g.last().punten = Some(punten);
        }
    }
    finish(g);
    Ok(())
}

/// §8: dwellings under 40 m² built 2018–2022 in COROP Groot-Amsterdam (23) or Utrecht (17)
/// use the lower factor for onderdeel II and are not capped.
pub(crate) fn corop_regel(ctx: &mut Ctx) -> bool {
    let e = ctx.e;
    let Some(bj) = e.bouwjaar else { return false };
    let b = ctx.t.beleid(ctx.peildatum).woz;
    if !(b.corop_bouwjaar_van..=b.corop_bouwjaar_tot).contains(&bj) {
        return false;
    }
    if e.gebruiksoppervlakte.is_some_and(|o| o >= b.corop_max_m2) {
        return false;
    }
    let Some(code) = e.woonplaats_code.as_deref() else {
        ctx.warn(
            "eenheid.adres.woonplaats.code",
            "geen woonplaatscode: de COROP-regel voor kleine nieuwbouw kan niet worden getoetst",
        );
        return false;
    };
    let Some((corop, _)) = ctx.t.corop(code) else {
        ctx.warn(
            "eenheid.adres.woonplaats.code",
            format!("geen COROP-gebied bekend voor woonplaats {code}"),
        );
        return false;
    };
    if !b.corop_gebieden.contains(corop) {
        return false;
    }
    if e.gebruiksoppervlakte.is_none() {
        ctx.warn(
            "eenheid.gebruiksoppervlakte",
            "geen gebruiksoppervlakte: de COROP-regel voor kleine nieuwbouw kan niet worden getoetst",
        );
        return false;
    }
    true
}
