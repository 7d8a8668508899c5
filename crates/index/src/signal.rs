//! The veerkracht signal (the research's core): over a period, did the
//! concentration of vulnerable residents rise *together with* nuisance and
//! unsafety? Per area the change of the vulnerability component (role
//! `vulnerability`) against the change of the pressure component (role
//! `pressure`), as a quadrant, absolute (national reference) and relative
//! (against the rest of its gemeente).
//!
//! Changes are measured on raw indicator values, not ranks (ranks cannot show
//! absolute change): for each indicator available in both editions,
//! Δ = (x_to − x_from) / sd_from (the national standard deviation in the first
//! edition), signed so that positive = more vulnerability or pressure; a
//! component's Δ is the weighted mean of its indicators' Δ. Areas are matched by
//! code; an area new in the last edition that lies within one area of the first
//! (a split, found by the geometry crosswalk), or that has the name of an area of the
//! first in the same gemeente (a recoding), is compared with that predecessor; other
//! boundary changes get no signal and say so. Areas the definition's eligibility
//! rules do not score by their population (too few inhabitants or households, an
//! institution) in either edition get no signal, and the spreads are taken over the others.

use std::collections::HashMap;

use veerkracht_dataset::{AreaCode, Dataset, Direction, Edition, Level};

use crate::compute::prepare;
use crate::definition::{Definition, Role};
use crate::method::mean_sd;

/// The four signal classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Vulnerability ↑ and pressure ↑: veerkracht onder druk.
    VeerkrachtOnderDruk,
    /// Vulnerability ↑ without more pressure: the buurt absorbs it.
    Veerkrachtig,
    /// Pressure ↑ without more vulnerability.
    DrukStijgt,
    /// Neither rises.
    StabielOfVerbetering,
}

impl Quadrant {
    fn of(dv: f64, dp: f64, tau: f64) -> Quadrant {
        match (dv > tau, dp > tau) {
            (true, true) => Quadrant::VeerkrachtOnderDruk,
            (true, false) => Quadrant::Veerkrachtig,
            (false, true) => Quadrant::DrukStijgt,
            (false, false) => Quadrant::StabielOfVerbetering,
        }
    }
    /// Dutch label.
    pub fn label_nl(self) -> &'static str {
        match self {
            Quadrant::VeerkrachtOnderDruk => "kwetsbaarheid ↑ en druk ↑ (veerkracht onder druk)",
            Quadrant::Veerkrachtig => "kwetsbaarheid ↑, druk niet ↑ (veerkrachtig)",
            Quadrant::DrukStijgt => "druk ↑, kwetsbaarheid niet ↑",
            Quadrant::StabielOfVerbetering => "stabiel of verbetering",
        }
    }
}

/// The signal of one area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AreaSignal {
    /// Code.
    pub code: AreaCode,
    /// Name (latest edition).
    pub name: String,
    /// Gemeente.
    pub gemeente: Option<AreaCode>,
    /// Change of vulnerability (SD units, + = more vulnerable).
    pub d_vulnerability: Option<f64>,
    /// Change of pressure (SD units, + = more pressure).
    pub d_pressure: Option<f64>,
    /// Absolute quadrant.
    pub quadrant: Option<Quadrant>,
    /// Change of vulnerability relative to the median of the rest of the gemeente.
    pub d_vulnerability_rel: Option<f64>,
    /// Change of pressure relative to the median of the rest of the gemeente.
    pub d_pressure_rel: Option<f64>,
    /// Relative quadrant.
    pub quadrant_rel: Option<Quadrant>,
    /// Why there is no signal.
    pub note: Option<String>,
}

impl AreaSignal {
    /// An area without a signal, and why.
    fn without(code: AreaCode, name: String, gemeente: Option<AreaCode>, note: String) -> Self {
        AreaSignal {
            code,
            name,
            gemeente,
            d_vulnerability: None,
            d_pressure: None,
            quadrant: None,
            d_vulnerability_rel: None,
            d_pressure_rel: None,
            quadrant_rel: None,
            note: Some(note),
        }
    }
}

/// The signal over a period.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignalResult {
    /// First edition.
    pub from: Edition,
    /// Last edition.
    pub to: Edition,
    /// Level.
    pub level: Level,
    /// Dead band (SD units).
    pub tau: f64,
    /// Indicators used for vulnerability (available in both editions).
    pub vulnerability_indicators: Vec<String>,
    /// Indicators used for pressure.
    pub pressure_indicators: Vec<String>,
    /// Indicators of those components left out because one edition lacks them.
    pub dropped: Vec<String>,
    /// Areas (codes of the last edition, in code order).
    pub areas: Vec<AreaSignal>,
    /// Areas per absolute quadrant.
    pub counts: Vec<(Quadrant, usize)>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The change of vulnerability and of pressure of one area.
type Deltas = (Option<f64>, Option<f64>);

/// Computes the signal between two editions.
pub fn signal(
    def: &Definition,
    ds: &Dataset,
    from: Edition,
    to: Edition,
    level: Level,
    tau: f64,
) -> SignalResult {
    let pa = prepare(def, ds, from, level);
    let pb = prepare(def, ds, to, level);
    let idx_a: HashMap<AreaCode, usize> =
        pa.areas.iter().enumerate().map(|(i, a)| (a.0, i)).collect();
    // Areas new in `to` that lie (≥ 90 %) inside one area of `from` are compared with it:
    // rates are intensive, so the predecessor's rate is the best estimate for its part.
    // A new code with the name of an old one in the same gemeente (a recoding) is that area.
    let predecessors: HashMap<AreaCode, (AreaCode, veerkracht_dataset::Method)> =
        if pb.areas.iter().any(|a| !idx_a.contains_key(&a.0)) {
            veerkracht_dataset::crosswalk(ds, from, to, level)
                .into_iter()
                .filter(|l| {
                    (l.method == veerkracht_dataset::Method::GeometryOverlap
                        && l.share.is_some_and(|s| s >= 0.9))
                        || l.method == veerkracht_dataset::Method::Name
                })
                .filter_map(|l| l.from.map(|f| (l.to, (f, l.method))))
                .collect()
        } else {
            HashMap::new()
        };
    let inds: Vec<_> = def.indicators().collect();
    let mut used: [Vec<(usize, f64, f64, f64)>; 2] = [Vec::new(), Vec::new()]; // (k, sign, sd_from, weight)
    let mut names: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let mut dropped = Vec::new();
    for (k, (c, ind)) in inds.iter().enumerate() {
        let slot = match c.role {
            Role::Vulnerability => 0,
            Role::Pressure => 1,
            _ => continue,
        };
        // The spread over the areas the index may score (eligibility: an area with a few
        // dozen inhabitants has rates of hundreds per 1,000 that would set the scale).
        let va: Vec<f64> = pa.raw[k]
            .iter()
            .zip(&pa.reference)
            .filter(|(_, r)| **r)
            .filter_map(|(x, _)| x.value)
            .collect();
        let has_b = pb.raw[k].iter().any(|r| r.value.is_some());
        let (_, sd) = mean_sd(&va);
        if va.is_empty() || !has_b || !(sd > 0.0) {
            dropped.push(ind.id.clone());
            continue;
        }
        let sign = if ind.direction == Direction::HigherIsWorse {
            1.0
        } else {
            -1.0
        };
        used[slot].push((k, sign, sd, ind.weight));
        names[slot].push(ind.id.clone());
    }
    let delta = |slot: usize, ia: usize, ib: usize| -> Option<f64> {
        let (mut s, mut w) = (0.0, 0.0);
        for &(k, sign, sd, weight) in &used[slot] {
            if pa.imputed[k][ia] || pb.imputed[k][ib] {
                continue;
            }
            if let (Some(a), Some(b)) = (pa.raw[k][ia].value, pb.raw[k][ib].value) {
                s += weight * sign * (b - a) / sd;
                w += weight;
            }
        }
        (w > 0.0).then(|| s / w)
    };
    let mut areas: Vec<AreaSignal> = pb
        .areas
        .iter()
        .enumerate()
        .map(|(ib, a)| {
            let (code, name, gemeente, _) = a.clone();
            let predecessor = if idx_a.contains_key(&code) {
                None
            } else {
                predecessors.get(&code).copied()
            };
            let Some(&ia) = idx_a
                .get(&code)
                .or_else(|| predecessor.as_ref().and_then(|p| idx_a.get(&p.0)))
            else {
                return AreaSignal::without(
                    code,
                    name,
                    gemeente,
                    format!(
                        "code bestaat niet in {from} (indeling gewijzigd; zie veerkracht crosswalk)"
                    ),
                );
            };
            // Eligibility: the population rules of the definition in either edition.
            let excluded: Vec<&str> = pa.population[ia]
                .iter()
                .chain(&pb.population[ib])
                .filter(|x| x.reason.status() == crate::eligibility::Status::NotScored)
                .map(|x| x.reason.label_nl())
                .fold(Vec::new(), |mut v, l| {
                    if !v.contains(&l) {
                        v.push(l);
                    }
                    v
                });
            if !excluded.is_empty() {
                return AreaSignal::without(
                    code,
                    name,
                    gemeente,
                    format!("geen signaal: {}", excluded.join(", ")),
                );
            }
            let (dv, dp) = (delta(0, ia, ib), delta(1, ia, ib));
            let quadrant = match (dv, dp) {
                (Some(v), Some(p)) => Some(Quadrant::of(v, p, tau)),
                _ => None,
            };
            let note = match (quadrant.is_none(), predecessor) {
                (true, _) => Some(format!(
                    "te weinig gegevens in beide edities voor {}",
                    if dv.is_none() {
                        "kwetsbaarheid"
                    } else {
                        "druk"
                    }
                )),
                (false, Some((p, veerkracht_dataset::Method::Name))) => Some(format!(
                    "vergeleken met {p} in {from} (andere code, zelfde naam in de gemeente)"
                )),
                (false, Some((p, _))) => Some(format!(
                    "vergeleken met voorganger {p} in {from} (ligt er geheel binnen; geometrie)"
                )),
                (false, None) => None,
            };
            AreaSignal {
                code,
                name,
                gemeente,
                d_vulnerability: dv,
                d_pressure: dp,
                quadrant,
                d_vulnerability_rel: None,
                d_pressure_rel: None,
                quadrant_rel: None,
                note,
            }
        })
        .collect();
    // Relative: against the median of the other areas of the same gemeente.
    let mut by_gm: HashMap<Option<AreaCode>, Vec<usize>> = HashMap::new();
    for (i, a) in areas.iter().enumerate() {
        by_gm.entry(a.gemeente).or_default().push(i);
    }
    let snapshot: Vec<(Option<f64>, Option<f64>)> = areas
        .iter()
        .map(|a| (a.d_vulnerability, a.d_pressure))
        .collect();
    for members in by_gm.values() {
        for &i in members {
            let others = |f: fn(&Deltas) -> Option<f64>| {
                median(
                    members
                        .iter()
                        .filter(|&&j| j != i)
                        .filter_map(|&j| f(&snapshot[j]))
                        .collect(),
                )
            };
            let (mv, mp) = (others(|s| s.0), others(|s| s.1));
            let a = &mut areas[i];
            a.d_vulnerability_rel = a.d_vulnerability.zip(mv).map(|(x, m)| x - m);
            a.d_pressure_rel = a.d_pressure.zip(mp).map(|(x, m)| x - m);
            a.quadrant_rel = match (a.d_vulnerability_rel, a.d_pressure_rel) {
                (Some(v), Some(p)) => Some(Quadrant::of(v, p, tau)),
                _ => None,
            };
        }
    }
    let order = [
        Quadrant::VeerkrachtOnderDruk,
        Quadrant::Veerkrachtig,
        Quadrant::DrukStijgt,
        Quadrant::StabielOfVerbetering,
    ];
    let counts = order
        .iter()
        .map(|q| (*q, areas.iter().filter(|a| a.quadrant == Some(*q)).count()))
        .collect();
    SignalResult {
        from,
        to,
        level,
        tau,
        vulnerability_indicators: names[0].clone(),
        pressure_indicators: names[1].clone(),
        dropped,
        areas,
        counts,
    }
}
