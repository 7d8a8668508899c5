//! The vulnerability component of the veerkracht index, recomputed per buurt and year from
//! the simulated households.
//!
//! The component is read from the index definition (`data/index/veerkracht-basis.toml`,
//! the `[[component]]` with `role = "vulnerability"`): its indicators, their KWB source,
//! transform (`value`, `per_1000`, `share`), denominator, direction and weight, and the
//! method's `component_min_share`. Each indicator is computed as the index does —
//! transform of the whole-buurt KWB value, oriented so that higher is more veerkracht,
//! percentile rank (ties at the lower rank) against a reference distribution × 100, and the
//! weighted mean over the indicators present (re-weighted; missing when less than
//! `component_min_share` of the weight is present).
//!
//! What the simulation changes and what it approximates:
//! * the sources the simulation produces are moved by the change in the buurt's
//!   corporation households since the start: `p_hh_li` by the change in income class I0
//!   (a count added to `p_hh_li × a_hh`), `a_1p_hh` by the change in one-person households,
//!   `a_soz_wb` / `a_soz_ao` / `a_soz_ww` by the change in households of the `uitkering`
//!   group (one benefit recipient per household), split over the three in the buurt's
//!   starting proportions; the denominators `a_hh` and `a_inw` move with the change in
//!   corporation households (new-build, demolition, sale; `a_inw` at the buurt's persons per
//!   household); the other sources (Wmo, youth care) keep their KWB value;
//! * the reference distribution is the starting year of the simulated buurten, not the
//!   national one of the index (the simulation has no other buurten), and is held fixed, so
//!   a buurt's score moves only with its own change;
//! * the COINr outlier treatment of the index (winsorising, log) is not applied: the
//!   percentile rank is unchanged by a monotone transform, so only ties made by
//!   winsorising at the extremes differ;
//! * only percentile normalisation and arithmetic aggregation are supported (the other
//!   methods of the definition file fall back to these, with a warning).

use veerkracht_dataset::Direction;
use veerkracht_index::Definition;
use veerkracht_index::definition::{
    Aggregation, Component as DefComponent, Normalisation, Role, Transform,
};
/// The percentile rank of the index (ties at the lower rank), the one implementation.
pub use veerkracht_index::method::percentile_rank;

use crate::SimError;

/// How the simulation moves an indicator's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bron {
    /// households of income class I0, as a percentage of `a_hh` (`p_hh_li`)
    LaagInkomen,
    /// one-person households, a count (`a_1p_hh`)
    Eenpersoons,
    /// benefit recipients of one kind, a count moved by its share of the `uitkering` group
    Uitkering,
    /// not simulated: the KWB value throughout
    Vast,
}

/// One indicator of the component.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// the indicator's id in the definition
    pub id: String,
    /// its KWB source key (`p_hh_li`, `a_1p_hh`, …)
    pub source: String,
    /// how the simulation moves the source
    pub bron: Bron,
    /// its weight in the component (re-weighted over the indicators present)
    pub weight: f64,
    /// −1 for higher_is_worse
    pub sign: f64,
    /// 1 (value), 1,000 (per_1000) or 100 (share), with `denom` per buurt
    pub scale: f64,
    /// whether the transform divides by a denominator (`per_1000`, `share`)
    pub has_denom: bool,
    /// the denominator moves with the households (`a_hh`: 1 per household, `a_inw`: the
    /// buurt's persons per household); 0 = fixed
    pub denom_hh: bool,
    /// the denominator is `a_inw` and moves with the buurt's persons per household
    pub denom_inw: bool,
    /// per buurt: the source's KWB value (NaN = missing), the denominator, and for benefit
    /// sources their share of the buurt's benefit recipients
    pub start: Vec<f64>,
    /// per buurt: the denominator's KWB value at the start (NaN = missing)
    pub denom: Vec<f64>,
    /// per buurt, benefit sources only: the source's share of the buurt's benefit
    /// recipients (`a_soz_wb` + `a_soz_ao` + `a_soz_ww`)
    pub share: Vec<f64>,
    /// oriented transformed starting values of the buurten that have one, sorted
    pub reference: Vec<f64>,
}

/// The component as the simulation computes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// the component's id in the definition
    pub id: String,
    /// its indicators, in definition order
    pub indicators: Vec<Indicator>,
    /// the method's `component_min_share`: below this share of the weight present the
    /// score is missing
    pub min_share: f64,
    /// KWB households and residents per buurt (`a_hh`, `a_inw`; NaN = missing)
    pub a_hh: Vec<f64>,
    /// KWB residents per buurt (`a_inw`; NaN = missing)
    pub a_inw: Vec<f64>,
}

/// The KWB sources the component needs (to read from the KWB files).
pub fn sources(d: &Definition, file: &str) -> Result<Vec<String>, SimError> {
    let c = vulnerability(d, file)?;
    let mut out: Vec<String> = Vec::new();
    for i in &c.indicator {
        out.push(i.source.clone());
        if let Some(x) = &i.denominator {
            out.push(x.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn vulnerability<'d>(d: &'d Definition, file: &str) -> Result<&'d DefComponent, SimError> {
    d.component
        .iter()
        .find(|c| c.role == Role::Vulnerability)
        .ok_or_else(|| {
            SimError::new(
                file,
                "component.role",
                "no component with role = \"vulnerability\"",
                "mark the vulnerability component of the definition with role = \"vulnerability\"",
            )
        })
}

impl Component {
    /// The component of definition `d` (read from `file`, named in errors) for buurten whose
    /// KWB values `kwb(b, key)` gives.
    pub fn new(
        d: &Definition,
        file: &str,
        nb: usize,
        kwb: &dyn Fn(usize, &str) -> Option<f64>,
        warnings: &mut Vec<String>,
    ) -> Result<Component, SimError> {
        let c = vulnerability(d, file)?;
        if d.method.normalisation != Normalisation::Percentile
            || d.method.aggregation != Aggregation::Arithmetic
        {
            warnings.push(format!(
                "{file}: the simulated vulnerability component uses percentile normalisation and arithmetic aggregation, not {:?} / {:?}",
                d.method.normalisation, d.method.aggregation
            ));
        }
        let get = |b: usize, k: &str| kwb(b, k).unwrap_or(f64::NAN);
        let a_hh: Vec<f64> = (0..nb).map(|b| get(b, "a_hh")).collect();
        let a_inw: Vec<f64> = (0..nb).map(|b| get(b, "a_inw")).collect();
        let benefit = ["a_soz_wb", "a_soz_ao", "a_soz_ww"];
        let mut indicators = Vec::new();
        for (k, i) in c.indicator.iter().enumerate() {
            let place = |key: &str| format!("component '{}'.indicator[{k}].{key}", c.id);
            // the definition was validated by the index crate (directions, weights,
            // denominators); what the simulation cannot move is refused here
            let (scale, has_denom) = match i.transform {
                Transform::Value => (1.0, false),
                Transform::Per1000 => (1000.0, true),
                Transform::Share => (100.0, true),
                t => {
                    return Err(SimError::new(
                        file,
                        place("transform"),
                        format!("transform {t:?} is not supported by the simulation"),
                        "use value, per_1000 or share",
                    ));
                }
            };
            if has_denom && i.denominator.is_none() {
                return Err(SimError::new(
                    file,
                    place("denominator"),
                    format!("{:?} needs a denominator", i.transform),
                    "name the KWB denominator (e.g. a_inw)",
                ));
            }
            let sign = match i.direction {
                Direction::HigherIsWorse => -1.0,
                Direction::HigherIsBetter => 1.0,
                Direction::Neutral => {
                    return Err(SimError::new(
                        file,
                        place("direction"),
                        "a neutral indicator cannot be scored".to_string(),
                        "use higher_is_worse or higher_is_better",
                    ));
                }
            };
            let bron = match i.source.as_str() {
                "p_hh_li" => Bron::LaagInkomen,
                "a_1p_hh" => Bron::Eenpersoons,
                s if benefit.contains(&s) => Bron::Uitkering,
                _ => Bron::Vast,
            };
            let start: Vec<f64> = (0..nb).map(|b| get(b, &i.source)).collect();
            let denom: Vec<f64> = (0..nb)
                .map(|b| match &i.denominator {
                    Some(x) => get(b, x),
                    None => 1.0,
                })
                .collect();
            let share: Vec<f64> = (0..nb)
                .map(|b| {
                    let tot: f64 = benefit
                        .iter()
                        .map(|k| kwb(b, k).unwrap_or(0.0).max(0.0))
                        .sum();
                    if tot > 0.0 {
                        start[b].max(0.0) / tot
                    } else {
                        1.0 / 3.0
                    }
                })
                .collect();
            let mut ind = Indicator {
                id: i.id.clone(),
                source: i.source.clone(),
                bron,
                weight: i.weight,
                sign,
                scale,
                has_denom,
                denom_hh: i.denominator.as_deref() == Some("a_hh"),
                denom_inw: i.denominator.as_deref() == Some("a_inw"),
                start,
                denom,
                share,
                reference: Vec::new(),
            };
            let mut r: Vec<f64> = (0..nb)
                .filter_map(|b| ind.oriented(b, ind.start[b]))
                .collect();
            r.sort_by(f64::total_cmp);
            ind.reference = r;
            indicators.push(ind);
        }
        Ok(Component {
            id: c.id.clone(),
            indicators,
            min_share: d.method.component_min_share,
            a_hh,
            a_inw,
        })
    }

    /// The component for the buurten `bs` (indices into this one's), with the same
    /// reference distribution.
    pub fn subset(&self, bs: &[u32]) -> Component {
        let pick = |v: &[f64]| bs.iter().map(|&b| v[b as usize]).collect::<Vec<f64>>();
        Component {
            id: self.id.clone(),
            min_share: self.min_share,
            a_hh: pick(&self.a_hh),
            a_inw: pick(&self.a_inw),
            indicators: self
                .indicators
                .iter()
                .map(|i| Indicator {
                    start: pick(&i.start),
                    denom: pick(&i.denom),
                    share: pick(&i.share),
                    ..i.clone()
                })
                .collect(),
        }
    }

    /// The score (0–100, higher = more veerkracht) of buurt `b` given the change since the
    /// start in its households, I0, one-person and benefit households; NaN when too little
    /// is known.
    pub fn score(&self, b: usize, d_hh: f64, d_i0: f64, d_1p: f64, d_uitkering: f64) -> f64 {
        let (mut sum, mut w, mut wall) = (0.0, 0.0, 0.0);
        let (hh0, inw0) = (self.a_hh[b], self.a_inw[b]);
        for ind in &self.indicators {
            wall += ind.weight;
            let s0 = ind.start[b];
            let src = match ind.bron {
                // a percentage of the households: as a count, then over the new households
                Bron::LaagInkomen => (s0 / 100.0 * hh0 + d_i0) / (hh0 + d_hh) * 100.0,
                Bron::Eenpersoons => s0 + d_1p,
                Bron::Uitkering => s0 + d_uitkering * ind.share[b],
                Bron::Vast => s0,
            };
            let dd = if ind.denom_hh {
                d_hh
            } else if ind.denom_inw && hh0 > 0.0 {
                d_hh * inw0 / hh0
            } else {
                0.0
            };
            if let Some(y) = ind.oriented_with(b, src, dd) {
                sum += ind.weight * 100.0 * percentile_rank(&ind.reference, y);
                w += ind.weight;
            }
        }
        if w <= 0.0 || w < self.min_share * wall {
            f64::NAN
        } else {
            sum / w
        }
    }
}

impl Indicator {
    /// The transformed value of source value `src` in buurt `b`, oriented (higher = more
    /// veerkracht); None when it cannot be computed.
    fn oriented(&self, b: usize, src: f64) -> Option<f64> {
        self.oriented_with(b, src, 0.0)
    }

    /// The same with the denominator changed by `dd`.
    fn oriented_with(&self, b: usize, src: f64, dd: f64) -> Option<f64> {
        if !src.is_finite() {
            return None;
        }
        let v = if self.has_denom {
            let d = self.denom[b] + dd;
            if !(d.is_finite() && d > 0.0) {
                return None;
            }
            src.max(0.0) / d * self.scale
        } else {
            src.max(0.0)
        };
        Some(self.sign * v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vulnerability_component_of_the_shipped_definition() {
        let kwb = |b: usize, k: &str| -> Option<f64> {
            let b = b as f64;
            Some(match k {
                "a_hh" => 1000.0,
                "a_inw" => 2000.0,
                "a_soz_wb" => 50.0 + 10.0 * b,
                "a_soz_ao" => 40.0,
                "a_soz_ww" => 10.0,
                "p_hh_li" => 10.0 + b,
                "a_1p_hh" => 300.0 + b,
                _ => return None,
            })
        };
        let mut w = Vec::new();
        let d = Definition::veerkracht_basis();
        let c = Component::new(&d, "def.toml", 5, &kwb, &mut w).unwrap();
        assert_eq!(c.id, "A");
        let ids: Vec<&str> = c.indicators.iter().map(|i| i.id.as_str()).collect();
        assert!(ids.contains(&"laag_inkomen_pct") && ids.contains(&"bijstand_per_1000"));
        let ep = c.indicators.iter().find(|i| i.source == "a_1p_hh").unwrap();
        assert_eq!((ep.weight, ep.scale, ep.sign), (0.5, 100.0, -1.0));
        // buurt 0 has the fewest benefits, low incomes and singles: the most veerkracht
        let s: Vec<f64> = (0..5).map(|b| c.score(b, 0.0, 0.0, 0.0, 0.0)).collect();
        assert!(s.windows(2).all(|x| x[0] > x[1]), "{s:?}");
        // more low-income households lower the score; fewer raise it
        assert!(c.score(2, 0.0, 30.0, 0.0, 0.0) < s[2]);
        assert!(c.score(2, 0.0, -30.0, 0.0, -20.0) > s[2]);
        // new households that are neither low-income, single nor on benefits raise it
        assert!(c.score(2, 200.0, 0.0, 0.0, 0.0) > s[2]);
        // wmo and youth care are missing here: 3.5 of the weight present is enough
        assert!(s.iter().all(|x| x.is_finite()));
        let mut other = d.clone();
        for c in &mut other.component {
            if c.role == Role::Vulnerability {
                c.role = Role::Place;
            }
        }
        let e = Component::new(&other, "def.toml", 1, &kwb, &mut w)
            .unwrap_err()
            .to_string();
        assert!(e.contains("component.role"), "{e}");
        assert_eq!(percentile_rank(&[1.0, 2.0, 2.0, 3.0], 2.0), 1.0 / 3.0);
    }
}
