//! Corporatiebuurten against the other buurten: distributions, differences in
//! means and medians with bootstrap 95 % intervals, a matched comparison (same
//! gemeente and urbanity class `ste_mvs`, nearest on size), and a sensitivity
//! run over the corporatiebuurt threshold.
//!
//! Values compared are the index's raw indicator values (after transform), its
//! component scores and the index score. Bootstrap: 1,000 resamples (seeded),
//! percentile intervals.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use veerkracht_dataset::{AreaCode, Dataset, Edition};

use crate::compute::{IndexResult, prepare};
use crate::definition::Definition;

/// Bootstrap resamples.
pub const BOOTSTRAP: usize = 1000;

/// A difference with its bootstrap interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Difference {
    /// Corporatiebuurten minus the rest.
    pub estimate: f64,
    /// 2.5 % bootstrap percentile.
    pub low: f64,
    /// 97.5 % bootstrap percentile.
    pub high: f64,
}

/// The comparison of one variable.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VariableComparison {
    /// Variable (indicator id, `component_X` or `score`).
    pub variable: String,
    /// Label.
    pub label_nl: String,
    /// Corporatiebuurten with a value.
    pub n_corp: usize,
    /// Other buurten with a value.
    pub n_rest: usize,
    /// Mean, corporatiebuurten.
    pub mean_corp: Option<f64>,
    /// Mean, rest.
    pub mean_rest: Option<f64>,
    /// Median, corporatiebuurten.
    pub median_corp: Option<f64>,
    /// Median, rest.
    pub median_rest: Option<f64>,
    /// Quartiles (25, 75) of the corporatiebuurten.
    pub iqr_corp: Option<(f64, f64)>,
    /// Quartiles (25, 75) of the rest.
    pub iqr_rest: Option<(f64, f64)>,
    /// Difference in means.
    pub diff_mean: Option<Difference>,
    /// Difference in medians.
    pub diff_median: Option<Difference>,
    /// Matched pairs used.
    pub matched_pairs: usize,
    /// Mean difference within matched pairs.
    pub diff_matched: Option<Difference>,
}

/// The sensitivity of the group sizes and the score difference to the threshold.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ThresholdRun {
    /// Threshold (%).
    pub threshold: f64,
    /// Corporatiebuurten.
    pub n_corp: usize,
    /// Rest.
    pub n_rest: usize,
    /// Difference in mean index score.
    pub diff_mean_score: Option<Difference>,
}

/// The full comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Edition.
    pub edition: Edition,
    /// Threshold used (%).
    pub threshold: f64,
    /// Buurten with p_wcorpw.
    pub classified: usize,
    /// Corporatiebuurten.
    pub n_corp: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Per variable.
    pub variables: Vec<VariableComparison>,
    /// Threshold sensitivity.
    pub sensitivity: Vec<ThresholdRun>,
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    // Linear interpolation between order statistics (R type 7, numpy default).
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    s
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn median(v: &[f64]) -> f64 {
    quantile(&sorted(v), 0.5)
}

fn resample(rng: &mut ChaCha8Rng, v: &[f64], out: &mut Vec<f64>) {
    out.clear();
    for _ in 0..v.len() {
        out.push(v[rng.random_range(0..v.len())]);
    }
}

/// Bootstrap of a two-group statistic difference (groups resampled separately).
pub fn bootstrap_diff(
    a: &[f64],
    b: &[f64],
    stat: fn(&[f64]) -> f64,
    seed: u64,
) -> Option<Difference> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut ra, mut rb) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
    let mut d: Vec<f64> = (0..BOOTSTRAP)
        .map(|_| {
            resample(&mut rng, a, &mut ra);
            resample(&mut rng, b, &mut rb);
            stat(&ra) - stat(&rb)
        })
        .collect();
    d.sort_by(|x, y| x.total_cmp(y));
    Some(Difference {
        estimate: stat(a) - stat(b),
        low: quantile(&d, 0.025),
        high: quantile(&d, 0.975),
    })
}

fn bootstrap_mean(v: &[f64], seed: u64) -> Option<Difference> {
    if v.len() < 2 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut r = Vec::with_capacity(v.len());
    let mut d: Vec<f64> = (0..BOOTSTRAP)
        .map(|_| {
            resample(&mut rng, v, &mut r);
            mean(&r)
        })
        .collect();
    d.sort_by(|x, y| x.total_cmp(y));
    Some(Difference {
        estimate: mean(v),
        low: quantile(&d, 0.025),
        high: quantile(&d, 0.975),
    })
}

/// For each corporatiebuurt, the other buurt of the same gemeente and urbanity class nearest
/// in population (with replacement). Returns (corp index, match index) pairs.
pub fn matches(
    ds: &Dataset,
    edition: Edition,
    codes: &[AreaCode],
    corp: &[Option<bool>],
) -> Vec<(usize, usize)> {
    let info: Vec<(Option<AreaCode>, Option<f64>, Option<f64>)> = codes
        .iter()
        .map(|c| {
            (
                c.gemeente(),
                ds.number(edition, c, "ste_mvs"),
                ds.number(edition, c, "a_inw"),
            )
        })
        .collect();
    let mut pairs = Vec::new();
    for (i, ci) in corp.iter().enumerate() {
        if *ci != Some(true) {
            continue;
        }
        let (gm, stm, inw) = info[i];
        let (Some(stm), Some(inw)) = (stm, inw) else {
            continue;
        };
        let best = (0..codes.len())
            .filter(|&j| corp[j] == Some(false) && info[j].0 == gm && info[j].1 == Some(stm))
            .filter_map(|j| info[j].2.map(|n| (j, (n - inw).abs())))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((j, _)) = best {
            pairs.push((i, j));
        }
    }
    pairs
}

/// Compares corporatiebuurten with the rest for an index result.
pub fn compare(
    def: &Definition,
    ds: &Dataset,
    result: &IndexResult,
    threshold: f64,
    seed: u64,
) -> Comparison {
    let edition = result.edition;
    let codes: Vec<AreaCode> = result.areas.iter().map(|a| a.code).collect();
    let pct: Vec<Option<f64>> = codes
        .iter()
        .map(|c| ds.number(edition, c, "p_wcorpw"))
        .collect();
    let corp: Vec<Option<bool>> = pct.iter().map(|p| p.map(|p| p > threshold)).collect();
    let p = prepare(def, ds, edition, result.level);
    let pairs = matches(ds, edition, &codes, &corp);
    // Variables: score, components, raw indicators.
    let mut vars: Vec<(String, String, Vec<Option<f64>>)> = vec![(
        "score".into(),
        "Veerkracht-score (hoger = meer veerkracht)".into(),
        result.areas.iter().map(|a| a.score).collect(),
    )];
    for c in &def.component {
        vars.push((
            format!("component_{}", c.id),
            format!("{} {}", c.id, c.label_nl),
            result
                .areas
                .iter()
                .map(|a| {
                    a.components
                        .iter()
                        .find(|x| x.component == c.id)
                        .and_then(|x| x.score)
                })
                .collect(),
        ));
    }
    for (k, (_, ind)) in def.indicators().enumerate() {
        let col: Vec<Option<f64>> = p.raw[k].iter().map(|r| r.value).collect();
        if col.iter().any(Option::is_some) && col.len() == codes.len() {
            vars.push((ind.id.clone(), ind.label_nl.clone(), col));
        }
    }
    let variables = compare_columns(&vars, &corp, &pairs, seed);
    let scores: Vec<Option<f64>> = result.areas.iter().map(|a| a.score).collect();
    let sensitivity = def
        .method
        .corporatie_sensitivity
        .iter()
        .map(|&t| {
            let a: Vec<f64> = (0..codes.len())
                .filter(|&i| pct[i].is_some_and(|p| p > t))
                .filter_map(|i| scores[i])
                .collect();
            let b: Vec<f64> = (0..codes.len())
                .filter(|&i| pct[i].is_some_and(|p| p <= t))
                .filter_map(|i| scores[i])
                .collect();
            ThresholdRun {
                threshold: t,
                n_corp: pct.iter().filter(|p| p.is_some_and(|p| p > t)).count(),
                n_rest: pct.iter().filter(|p| p.is_some_and(|p| p <= t)).count(),
                diff_mean_score: bootstrap_diff(&a, &b, mean, seed ^ t.to_bits()),
            }
        })
        .collect();
    Comparison {
        edition,
        threshold,
        classified: pct.iter().filter(|p| p.is_some()).count(),
        n_corp: corp.iter().filter(|c| **c == Some(true)).count(),
        seed,
        variables,
        sensitivity,
    }
}

/// Compares columns of values (aligned with `corp`) between corporatiebuurten and the rest.
fn compare_columns(
    vars: &[(String, String, Vec<Option<f64>>)],
    corp: &[Option<bool>],
    pairs: &[(usize, usize)],
    seed: u64,
) -> Vec<VariableComparison> {
    let n = corp.len();
    vars.iter()
        .enumerate()
        .map(|(vi, (id, label, col))| {
            let a: Vec<f64> = (0..n)
                .filter(|&i| corp[i] == Some(true))
                .filter_map(|i| col[i])
                .collect();
            let b: Vec<f64> = (0..n)
                .filter(|&i| corp[i] == Some(false))
                .filter_map(|i| col[i])
                .collect();
            let paired: Vec<f64> = pairs
                .iter()
                .filter_map(|&(i, j)| Some(col[i]? - col[j]?))
                .collect();
            let s = seed.wrapping_add(vi as u64 * 7919);
            let iqr = |v: &[f64]| {
                (!v.is_empty()).then(|| (quantile(&sorted(v), 0.25), quantile(&sorted(v), 0.75)))
            };
            VariableComparison {
                variable: id.clone(),
                label_nl: label.clone(),
                n_corp: a.len(),
                n_rest: b.len(),
                mean_corp: (!a.is_empty()).then(|| mean(&a)),
                mean_rest: (!b.is_empty()).then(|| mean(&b)),
                median_corp: (!a.is_empty()).then(|| median(&a)),
                median_rest: (!b.is_empty()).then(|| median(&b)),
                iqr_corp: iqr(&a),
                iqr_rest: iqr(&b),
                diff_mean: bootstrap_diff(&a, &b, mean, s),
                diff_median: bootstrap_diff(&a, &b, median, s + 1),
                matched_pairs: paired.len(),
                diff_matched: bootstrap_mean(&paired, s + 2),
            }
        })
        .collect()
}

/// The trend difference: for every indicator available in both editions, the change
/// `x_to − x_from` per area (same code), compared between the corporatiebuurten (as
/// classified in `to`) and the rest, with the same statistics as the level comparison.
pub fn compare_trend(
    def: &Definition,
    ds: &Dataset,
    from: Edition,
    to: Edition,
    level: veerkracht_dataset::Level,
    threshold: f64,
    seed: u64,
) -> Vec<VariableComparison> {
    let pa = prepare(def, ds, from, level);
    let pb = prepare(def, ds, to, level);
    let idx: std::collections::HashMap<AreaCode, usize> =
        pa.areas.iter().enumerate().map(|(i, a)| (a.0, i)).collect();
    let codes: Vec<AreaCode> = pb.areas.iter().map(|a| a.0).collect();
    let corp: Vec<Option<bool>> = codes
        .iter()
        .map(|c| ds.number(to, c, "p_wcorpw").map(|p| p > threshold))
        .collect();
    let pairs = matches(ds, to, &codes, &corp);
    let vars: Vec<(String, String, Vec<Option<f64>>)> = def
        .indicators()
        .enumerate()
        .map(|(k, (_, ind))| {
            let col: Vec<Option<f64>> = codes
                .iter()
                .enumerate()
                .map(|(ib, c)| Some(pb.raw[k][ib].value? - pa.raw[k][*idx.get(c)?].value?))
                .collect();
            (
                format!("delta_{}", ind.id),
                format!("Verandering {from}→{to}: {}", ind.label_nl),
                col,
            )
        })
        .filter(|(_, _, col)| col.iter().any(Option::is_some))
        .collect();
    compare_columns(&vars, &corp, &pairs, seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn bootstrap_is_seeded_and_covers_the_estimate() {
        let a: Vec<f64> = (0..50).map(|i| 10.0 + (i % 7) as f64).collect();
        let b: Vec<f64> = (0..80).map(|i| 5.0 + (i % 5) as f64).collect();
        let d1 = bootstrap_diff(&a, &b, mean, 42).unwrap();
        let d2 = bootstrap_diff(&a, &b, mean, 42).unwrap();
        assert_eq!(d1, d2);
        assert!(d1.low < d1.estimate && d1.estimate < d1.high);
        assert!((d1.estimate - (mean(&a) - mean(&b))).abs() < 1e-12);
        assert!(bootstrap_diff(&a[..1], &b, mean, 1).is_none());
    }
}
