//! Rubriek 8 (WOZ-waarde) of zelfstandige woonruimten: the arithmetic that the full rules
//! (`zel::woz`, with its criterium lines) and the points-only kern (`kern::woz_en_totaal`)
//! share, so that a rule or a policy variant cannot reach one path and not the other. The
//! numbers are data ([`WozBeleid`], `[woz_beleid]` in `data/wws/parameters.toml`); the
//! steps, their order and the rounding are the beleidsboek's algorithm and stay here.

use crate::round::{down, whole};
use crate::tables::{WozBeleid, WozFactor};

/// The WOZ value that earns points: the value less the policy's vrijstelling (never below
/// 0); the value itself when there is no vrijstelling (the law).
pub(crate) fn telt(waarde: f64, b: &WozBeleid) -> f64 {
    if b.vrijstelling == 0.0 {
        waarde
    } else {
        (waarde - b.vrijstelling).max(0.0)
    }
}

/// Onderdeel I and II and the divisor of II: value / factor I and value / m² / factor II
/// (the COROP rule's lower factor for small new builds in COROP 17 and 23).
pub(crate) fn onderdelen(
    waarde: f64,
    opp: f64,
    f: &WozFactor,
    corop: bool,
    b: &WozBeleid,
) -> (f64, f64, f64) {
    let factor2 = if corop {
        f.onderdeel_2_corop
    } else {
        f.onderdeel_2
    };
    let w = telt(waarde, b);
    (w / f.onderdeel_1, w / opp / factor2, factor2)
}

/// The correction of the WOZ points after onderdeel I and II.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Correctie {
    /// none
    Geen,
    /// new build: raised to this minimum (the correction is minimum − points)
    Nieuwbouw(f64),
    /// capped: the correction (negative); `bodem`: the cap stopped at one point below
    /// `cap_vanaf_punten` in total
    Cap { punten: f64, bodem: bool },
}

/// The correction of `woz_punten` (onderdeel I + II): the new-build minimum when the unit
/// is a new build of the policy's years with at least `nieuwbouw_drempel` points in
/// `kritisch` (rubrieken 1–7, 9, 10, 12), else the cap: when the total `overige` +
/// WOZ points reaches `cap_vanaf_punten` and the COROP rule does not apply, WOZ points are
/// at most `cap_procent` % of the total, rounded down to a quarter, and the total never
/// falls below `cap_vanaf_punten` − 1 through the cap.
pub(crate) fn correctie(
    woz_punten: f64,
    bouwjaar: Option<i32>,
    kritisch: impl FnOnce() -> f64,
    overige: impl FnOnce() -> f64,
    corop: bool,
    b: &WozBeleid,
) -> Correctie {
    let mut minimum = 0.0;
    if let Some(bj) = bouwjaar
        && (b.nieuwbouw_bouwjaar_van..=b.nieuwbouw_bouwjaar_tot).contains(&bj)
        && kritisch() >= b.nieuwbouw_drempel
    {
        minimum = b.nieuwbouw_minimum;
    }
    if woz_punten > 0.0 && woz_punten < minimum {
        return Correctie::Nieuwbouw(minimum);
    }
    let overige = overige();
    let zonder_cap = overige + crate::round::kwart(woz_punten);
    if whole(zonder_cap) >= b.cap_vanaf_punten && !corop {
        let max_woz = overige * b.cap_procent / (100.0 - b.cap_procent);
        let capped = woz_punten.min(max_woz);
        if capped < woz_punten {
            let afr = (down(capped) - capped).min(0.0);
            let c = capped - woz_punten + afr;
            if whole(zonder_cap + c) < b.cap_vanaf_punten {
                return Correctie::Cap {
                    punten: b.cap_vanaf_punten - 1.0 - zonder_cap,
                    bodem: true,
                };
            }
            return Correctie::Cap {
                punten: c,
                bodem: false,
            };
        }
    }
    Correctie::Geen
}
