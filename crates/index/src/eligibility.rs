//! Which areas may be scored and ranked, and how to say why not (issue 16; the rules and their
//! sources are in `docs/index-validiteit.md` §5). The rules are data: the `[eligibility]`
//! table of an index definition; a definition without it scores every area as before.
//!
//! Every rule that fires is recorded (not only the first), so an area can show "te weinig
//! huishoudens + instelling". Order of the checks: size (R1, R2), institutional population
//! (R3), mostly non-residential, coverage (R5), student area (R7); the ranking (R6) runs over
//! [`Status::Scored`] areas only.
//!
//! | status | score | percentile, class | rank | in the reference distributions |
//! |---|---|---|---|---|
//! | [`Status::Scored`] | yes | yes | yes | yes |
//! | [`Status::Caveat`] | yes | yes, placed among the scored | no ("eerst controleren") | yes |
//! | [`Status::NotScored`] | no | no | no | no (size and institution rules) |

use serde::{Deserialize, Serialize};

use crate::definition::Role;
pub use crate::definition::{Eligibility, StudentArea};

/// Whether an area is scored, scored with a caveat, or not scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Scored and ranked.
    #[serde(rename = "gescoord")]
    Scored,
    /// Scored, placed among the scored areas (percentile, class), but not ranked: check
    /// first.
    #[serde(rename = "eerst_controleren")]
    Caveat,
    /// No score, no rank, no class.
    #[serde(rename = "niet_gescoord")]
    NotScored,
}

impl Status {
    /// Dutch label.
    pub fn label_nl(self) -> &'static str {
        match self {
            Status::Scored => "gescoord",
            Status::Caveat => "eerst controleren",
            Status::NotScored => "geen score",
        }
    }
}

/// Why an area is not scored, or carries a caveat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// R1: fewer private households than the minimum.
    #[serde(rename = "te_weinig_huishoudens")]
    TooFewHouseholds,
    /// R2: fewer inhabitants than the minimum.
    #[serde(rename = "te_weinig_inwoners")]
    TooFewInhabitants,
    /// R3: most residents live in an institution (care, detention, reception).
    #[serde(rename = "instelling")]
    Institutional,
    /// R5: too few components (or a required one missing), or the screening failed.
    #[serde(rename = "onvoldoende_gegevens")]
    LowCoverage,
    /// R3 caveat: a sizeable share lives in an institution.
    #[serde(rename = "deels_instelling")]
    PartlyInstitutional,
    /// Caveat: more non-residential objects than dwellings (business or agricultural area).
    #[serde(rename = "vooral_niet_wonen")]
    NonResidential,
    /// R5 caveat: scored on part of the components.
    #[serde(rename = "beperkte_gegevens")]
    PartialCoverage,
    /// R7 caveat: a student area.
    #[serde(rename = "studentenbuurt")]
    StudentArea,
}

impl Reason {
    /// The status this reason leads to.
    pub fn status(self) -> Status {
        match self {
            Reason::TooFewHouseholds
            | Reason::TooFewInhabitants
            | Reason::Institutional
            | Reason::LowCoverage => Status::NotScored,
            _ => Status::Caveat,
        }
    }
    /// Short Dutch label (the code's words).
    pub fn label_nl(self) -> &'static str {
        match self {
            Reason::TooFewHouseholds => "te weinig huishoudens",
            Reason::TooFewInhabitants => "te weinig inwoners",
            Reason::Institutional => "vooral bewoners van een instelling",
            Reason::LowCoverage => "onvoldoende gegevens",
            Reason::PartlyInstitutional => "deels bewoners van een instelling",
            Reason::NonResidential => "vooral bedrijven of andere niet-woningen",
            Reason::PartialCoverage => "beperkte gegevens",
            Reason::StudentArea => "studentenbuurt",
        }
    }
    /// Short English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Reason::TooFewHouseholds => "too few households",
            Reason::TooFewInhabitants => "too few inhabitants",
            Reason::Institutional => "mostly residents of an institution",
            Reason::LowCoverage => "insufficient data",
            Reason::PartlyInstitutional => "partly residents of an institution",
            Reason::NonResidential => "mostly businesses or other non-dwellings",
            Reason::PartialCoverage => "partial data",
            Reason::StudentArea => "student area",
        }
    }
}

/// One rule that fired for an area, with the numbers that triggered it (Dutch).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exclusion {
    /// The rule.
    pub reason: Reason,
    /// The numbers, e.g. "15 particuliere huishoudens, 955 inwoners (minimaal 100)".
    pub detail: String,
}

/// The status that a list of fired rules leads to.
pub fn status_of(exclusions: &[Exclusion]) -> Status {
    exclusions
        .iter()
        .map(|e| e.reason.status())
        .max()
        .unwrap_or(Status::Scored)
}

/// The population facts of one area the rules read (all from the KWB of the edition).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Population {
    pub inhabitants: Option<f64>,
    pub households: Option<f64>,
    pub household_size: Option<f64>,
    pub aged_15_24: Option<f64>,
    pub single_households: Option<f64>,
    pub owner_occupied: Option<f64>,
    pub dwellings: Option<f64>,
    pub non_dwellings: Option<f64>,
}

/// The catalogue ids [`Population`] reads, in its field order.
pub(crate) const POPULATION_IDS: [&str; 8] = [
    "a_inw",
    "a_hh",
    "g_hhgro",
    "a_15_24",
    "a_1p_hh",
    "p_koopw",
    "a_woning",
    "a_nietwon",
];

fn int(x: f64) -> String {
    format!("{}", x.round() as i64)
}

fn pct(x: f64) -> String {
    format!("{} %", (100.0 * x).round() as i64)
}

/// The rules that need only the population (R1, R2, R3, non-residential, R7). A rule whose
/// inputs are not published for the area does not fire (an area is never excluded for a
/// number CBS did not publish), except R3's fallback of the brief: without `g_hhgro`, no
/// households among 50 or more inhabitants is institutional.
pub(crate) fn population_rules(e: &Eligibility, p: &Population) -> Vec<Exclusion> {
    let mut out = Vec::new();
    let inw = p.inhabitants;
    if let Some(hh) = p.households
        && hh < e.min_households
    {
        out.push(Exclusion {
            reason: Reason::TooFewHouseholds,
            detail: format!(
                "{} particuliere huishoudens (minimaal {}), {} inwoners",
                int(hh),
                int(e.min_households),
                inw.map_or("?".into(), int)
            ),
        });
    }
    if let Some(n) = inw
        && n < e.min_inhabitants
    {
        out.push(Exclusion {
            reason: Reason::TooFewInhabitants,
            detail: format!("{} inwoners (minimaal {})", int(n), int(e.min_inhabitants)),
        });
    }
    if let (Some(n), Some(hh)) = (inw, p.households)
        && n > 0.0
    {
        let inst = match p.household_size {
            Some(g) => Some((1.0 - hh * g / n).max(0.0)),
            None if hh == 0.0 && n >= 50.0 => Some(1.0),
            None => None,
        };
        if let Some(inst) = inst {
            let detail = format!(
                "geschat {} van {} inwoners woont niet in een particulier huishouden ({} huishoudens{})",
                pct(inst),
                int(n),
                int(hh),
                p.household_size
                    .map_or(String::new(), |g| format!(" van gemiddeld {g}"))
            );
            if inst + 1e-9 >= e.institutional_exclude {
                out.push(Exclusion {
                    reason: Reason::Institutional,
                    detail,
                });
            } else if inst + 1e-9 >= e.institutional_caveat {
                out.push(Exclusion {
                    reason: Reason::PartlyInstitutional,
                    detail,
                });
            }
        }
    }
    if let (Some(r), Some(w), Some(nw)) = (e.non_residential_ratio, p.dwellings, p.non_dwellings)
        && nw >= r * w
        && nw > 0.0
    {
        out.push(Exclusion {
            reason: Reason::NonResidential,
            detail: format!(
                "{} niet-woningen tegen {} woningen (vanaf {r} per woning)",
                int(nw),
                int(w)
            ),
        });
    }
    if let (Some(s), Some(n), Some(a), Some(hh), Some(one)) = (
        &e.student_area,
        inw,
        p.aged_15_24,
        p.households,
        p.single_households,
    ) && n > 0.0
        && hh > 0.0
    {
        let (young, single) = (a / n, one / hh);
        let owned = p.owner_occupied;
        if young >= s.min_share_15_24
            && single >= s.min_single_households
            && owned.is_none_or(|k| k <= s.max_owner_occupied)
        {
            out.push(Exclusion {
                reason: Reason::StudentArea,
                detail: format!(
                    "{} is 15–24 jaar, {} eenpersoonshuishoudens, koopwoningen {}",
                    pct(young),
                    pct(single),
                    owned.map_or("niet gepubliceerd".into(), |k| format!("{} %", int(k)))
                ),
            });
        }
    }
    out
}

/// R5 after the components are scored: `scored_share` is the scored share of the available
/// component weight (`scored` of `available` components); `missing_roles` the required roles
/// without a score.
pub(crate) fn coverage_rule(
    e: &Eligibility,
    scored_share: f64,
    scored: usize,
    available: usize,
    missing_roles: &[Role],
) -> Option<Exclusion> {
    if let Some(r) = missing_roles.first() {
        let what = match r {
            Role::Vulnerability => "kwetsbaarheid",
            Role::Pressure => "druk",
            Role::Capacity => "samenredzaamheid",
            Role::Place => "woonomgeving",
        };
        return Some(Exclusion {
            reason: Reason::LowCoverage,
            detail: format!(
                "geen score voor de component {what}, die nodig is ({scored} van {available} componenten)"
            ),
        });
    }
    let text = format!(
        "{scored} van {available} componenten ({} van het gewicht; gescoord vanaf {}, met kanttekening vanaf {})",
        pct(scored_share),
        pct(e.coverage_scored),
        pct(e.coverage_caveat)
    );
    if scored_share + 1e-9 < e.coverage_caveat {
        Some(Exclusion {
            reason: Reason::LowCoverage,
            detail: text,
        })
    } else if scored_share + 1e-9 < e.coverage_scored {
        Some(Exclusion {
            reason: Reason::PartialCoverage,
            detail: text,
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Eligibility {
        Eligibility {
            min_households: 100.0,
            min_inhabitants: 200.0,
            institutional_exclude: 0.5,
            institutional_caveat: 0.2,
            non_residential_ratio: Some(2.0),
            coverage_scored: 0.75,
            coverage_caveat: 0.66,
            require_roles: vec![Role::Vulnerability],
            student_area: Some(StudentArea {
                min_share_15_24: 0.30,
                min_single_households: 0.60,
                max_owner_occupied: 20.0,
            }),
        }
    }

    fn reasons(p: Population) -> Vec<Reason> {
        population_rules(&rules(), &p)
            .into_iter()
            .map(|e| e.reason)
            .collect()
    }

    #[test]
    fn the_measured_cases_of_the_issue() {
        // AZC: 685 inhabitants, 0 households
        let azc = Population {
            inhabitants: Some(685.0),
            households: Some(0.0),
            household_size: None,
            ..Default::default()
        };
        assert_eq!(
            reasons(azc),
            [Reason::TooFewHouseholds, Reason::Institutional]
        );
        // Prinsenbosch: 955 inhabitants, 15 households of about 1.5
        let care = Population {
            inhabitants: Some(955.0),
            households: Some(15.0),
            household_size: Some(1.5),
            ..Default::default()
        };
        assert_eq!(
            reasons(care),
            [Reason::TooFewHouseholds, Reason::Institutional]
        );
        // an industrial estate: 55 inhabitants, 45 households
        let estate = Population {
            inhabitants: Some(55.0),
            households: Some(45.0),
            household_size: Some(1.2),
            ..Default::default()
        };
        assert_eq!(
            reasons(estate),
            [Reason::TooFewHouseholds, Reason::TooFewInhabitants]
        );
        // TU-Campus Delft: 2,750 inhabitants, 1,465 aged 15–24, 2,125 of 2,430 households
        // single, no owner-occupation
        let campus = Population {
            inhabitants: Some(2750.0),
            households: Some(2430.0),
            household_size: Some(1.1),
            aged_15_24: Some(1465.0),
            single_households: Some(2125.0),
            owner_occupied: Some(0.0),
            dwellings: Some(1916.0),
            non_dwellings: Some(84.0),
        };
        assert_eq!(reasons(campus), [Reason::StudentArea]);
        // Bedrijventerrein Werkendam: 380 inhabitants, 155 households, 129 dwellings and 494
        // non-dwellings
        let business = Population {
            inhabitants: Some(380.0),
            households: Some(155.0),
            household_size: Some(2.5),
            dwellings: Some(129.0),
            non_dwellings: Some(494.0),
            ..Default::default()
        };
        assert_eq!(reasons(business), [Reason::NonResidential]);
    }

    #[test]
    fn boundaries_are_inclusive_of_the_minimum_and_missing_inputs_fire_nothing() {
        let p = Population {
            inhabitants: Some(200.0),
            households: Some(100.0),
            household_size: Some(1.6), // 1 − 160/200 = 0.2 → caveat exactly at the bound
            ..Default::default()
        };
        assert_eq!(reasons(p), [Reason::PartlyInstitutional]);
        assert!(reasons(Population::default()).is_empty());
        let unknown_size = Population {
            inhabitants: Some(300.0),
            households: Some(120.0),
            household_size: None,
            ..Default::default()
        };
        assert!(reasons(unknown_size).is_empty());
    }

    #[test]
    fn coverage_and_status() {
        let e = rules();
        assert_eq!(coverage_rule(&e, 1.0, 4, 4, &[]), None);
        assert_eq!(coverage_rule(&e, 0.75, 3, 4, &[]), None);
        let c = coverage_rule(&e, 0.67, 2, 3, &[]).unwrap();
        assert_eq!(c.reason, Reason::PartialCoverage);
        let n = coverage_rule(&e, 0.5, 2, 4, &[]).unwrap();
        assert_eq!(n.reason, Reason::LowCoverage);
        let r = coverage_rule(&e, 0.75, 3, 4, &[Role::Vulnerability]).unwrap();
        assert_eq!(r.reason, Reason::LowCoverage);
        assert_eq!(status_of(&[]), Status::Scored);
        assert_eq!(status_of(std::slice::from_ref(&c)), Status::Caveat);
        assert_eq!(status_of(&[c, n]), Status::NotScored);
    }

    #[test]
    fn ranges_are_checked() {
        let mut e = rules();
        assert!(e.check().is_ok());
        e.coverage_caveat = 0.9;
        assert!(e.check().unwrap_err().0.contains("coverage_caveat"));
        let mut e = rules();
        e.min_households = -1.0;
        assert!(e.check().is_err());
        let mut e = rules();
        e.student_area.as_mut().unwrap().max_owner_occupied = 120.0;
        assert!(e.check().is_err());
    }
}
