//! Uncertainty and sensitivity of the ranking (JRC/COINr practice): Monte Carlo
//! over the method choices that matter — weights (Dirichlet noise around the
//! chosen weights), normalisation and outlier treatment — giving each area its
//! median rank and 5–95 % rank band; and first-order and total Sobol indices
//! (Saltelli 2010 / Jansen estimators) of the mean absolute rank shift against
//! the nominal ranking, saying which choice moves the ranking most.
//!
//! Every run r draws from its own ChaCha8 stream (seed, stream r), so results do
//! not depend on the number of threads.

use rand::SeedableRng;
use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;
use rand_distr::Gamma;
use veerkracht_dataset::{AreaCode, Dataset, Edition, Level};

use crate::compute::{Overrides, Prepared, compute_prepared, normalise, prepare};
use crate::definition::{Aggregation, Definition, Normalisation, Treatment};

/// Options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Monte Carlo runs for the rank bands.
    pub runs: usize,
    /// Base seed.
    pub seed: u64,
    /// Dirichlet concentration: α_i = c · w_i / Σw (higher = less weight noise).
    pub concentration: f64,
    /// Normalisations drawn from (uniformly).
    pub normalisations: Vec<Normalisation>,
    /// Treatments drawn from (uniformly).
    pub treatments: Vec<Treatment>,
    /// Base sample size N of the Sobol design (N·(d+2) = 5N runs); 0 = no Sobol indices.
    pub sobol_n: usize,
    /// Worker threads (results do not depend on it).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: 1000,
            seed: 1,
            concentration: 20.0,
            normalisations: vec![
                Normalisation::Percentile,
                Normalisation::Zscore,
                Normalisation::Minmax,
            ],
            treatments: vec![Treatment::None, Treatment::Coinr],
            sobol_n: 200,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        }
    }
}

/// Rank band of one area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AreaBand {
    /// Code.
    pub code: AreaCode,
    /// Rank with the definition's own choices (1 = most attention needed).
    pub nominal_rank: usize,
    /// Median rank over the runs.
    pub median_rank: f64,
    /// 5th percentile of the rank.
    pub rank_p5: f64,
    /// 95th percentile of the rank.
    pub rank_p95: f64,
}

/// One Sobol index.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sobol {
    /// Factor: `gewichten`, `normalisatie` or `behandeling`.
    pub factor: &'static str,
    /// First-order index.
    pub first_order: f64,
    /// Total index.
    pub total: f64,
}

/// The result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Uncertainty {
    /// Runs for the rank bands.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Areas with a nominal score, in code order.
    pub areas: Vec<AreaBand>,
    /// Sobol indices of the mean absolute rank shift.
    pub sobol: Vec<Sobol>,
    /// Mean absolute rank shift over the Monte Carlo runs.
    pub mean_rank_shift: f64,
}

/// One point in the space of choices.
#[derive(Clone, Copy)]
struct Choice {
    weight_seed: u64,
    norm: usize,
    treat: usize,
}

struct Engine<'a> {
    def: &'a Definition,
    matrices: Vec<Vec<Vec<Option<f64>>>>, // [norm * T + treat][indicator][area]
    n_treat: usize,
    available: Vec<bool>,
    comp_of: Vec<usize>,
    base_w_ind: Vec<f64>,
    base_w_comp: Vec<f64>,
    scored: Vec<usize>,
    nominal_rank: Vec<f64>,
    concentration: f64,
}

impl Engine<'_> {
    fn weights(&self, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut dirichlet = |w: &[f64]| -> Vec<f64> {
            let sum: f64 = w.iter().sum();
            let draws: Vec<f64> = w
                .iter()
                .map(|&wi| {
                    Gamma::new(self.concentration * wi / sum, 1.0)
                        .map(|g| g.sample(&mut rng))
                        .unwrap_or(wi)
                })
                .collect();
            let total: f64 = draws.iter().sum();
            if total > 0.0 {
                draws.iter().map(|d| d / total * sum).collect()
            } else {
                w.to_vec()
            }
        };
        let w_comp = dirichlet(&self.base_w_comp);
        let mut w_ind = self.base_w_ind.clone();
        for c in 0..self.base_w_comp.len() {
            let ks: Vec<usize> = (0..w_ind.len()).filter(|&k| self.comp_of[k] == c).collect();
            let drawn = dirichlet(&ks.iter().map(|&k| self.base_w_ind[k]).collect::<Vec<_>>());
            for (k, w) in ks.into_iter().zip(drawn) {
                w_ind[k] = w;
            }
        }
        (w_ind, w_comp)
    }

    /// Ranks (1 = lowest score) of the scored areas for one choice.
    fn ranks(&self, c: Choice) -> Vec<f64> {
        let m = &self.matrices[c.norm * self.n_treat + c.treat];
        let (w_ind, w_comp) = self.weights(c.weight_seed);
        let geometric = self.def.method.aggregation == Aggregation::Geometric;
        let shift = |s: f64| 1.0 + 0.99 * s;
        let n_comp = w_comp.len();
        let mut avail_w = vec![0.0; n_comp];
        for k in 0..w_ind.len() {
            if self.available[k] {
                avail_w[self.comp_of[k]] += w_ind[k];
            }
        }
        let scores: Vec<f64> = self
            .scored
            .iter()
            .map(|&i| {
                let mut sum = vec![0.0; n_comp];
                let mut wsum = vec![0.0; n_comp];
                for k in 0..w_ind.len() {
                    if let (true, Some(v)) = (self.available[k], m[k][i]) {
                        let c = self.comp_of[k];
                        sum[c] += w_ind[k] * if geometric { shift(v).ln() } else { v };
                        wsum[c] += w_ind[k];
                    }
                }
                let (mut s, mut w) = (0.0, 0.0);
                for c in 0..n_comp {
                    if wsum[c] > 0.0
                        && wsum[c] / avail_w[c] + 1e-12 >= self.def.method.component_min_share
                    {
                        s += w_comp[c] * sum[c] / wsum[c];
                        w += w_comp[c];
                    }
                }
                if w > 0.0 { s / w } else { f64::NAN }
            })
            .collect();
        let mut sorted = scores.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        scores
            .iter()
            .map(|&s| (sorted.partition_point(|&x| x < s) + 1) as f64)
            .collect()
    }

    fn shift(&self, c: Choice) -> f64 {
        let r = self.ranks(c);
        r.iter()
            .zip(&self.nominal_rank)
            .map(|(a, b)| (a - b).abs())
            .sum::<f64>()
            / r.len().max(1) as f64
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn draw(seed: u64, stream: u64, n_norm: usize, n_treat: usize) -> Choice {
    use rand::RngExt;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    Choice {
        weight_seed: rng.random(),
        norm: rng.random_range(0..n_norm),
        treat: rng.random_range(0..n_treat),
    }
}

/// Runs `f` over `0..n` on `threads` threads, results in index order.
fn parallel<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.clamp(1, n.max(1));
    let chunk = n.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let f = &f;
                s.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(n))
                        .map(f)
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread"))
            .collect()
    })
}

/// Uncertainty analysis of an index for one edition and level.
pub fn uncertainty(
    def: &Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    o: &Options,
) -> Uncertainty {
    let p: Prepared = prepare(def, ds, edition, level);
    let none = Overrides {
        normalisation: None,
        treatment: None,
        indicator_weights: None,
        component_weights: None,
    };
    let nominal = compute_prepared(def, &p, edition, level, &none);
    let scored: Vec<usize> = (0..nominal.areas.len())
        .filter(|&i| nominal.areas[i].score.is_some())
        .collect();
    let mut matrices = Vec::new();
    for &n in &o.normalisations {
        for &t in &o.treatments {
            let mut m = def.method.clone();
            m.normalisation = n;
            m.treatment = t;
            matrices.push(normalise(def, &p, &m).1);
        }
    }
    let comp_of: Vec<usize> = def
        .component
        .iter()
        .enumerate()
        .flat_map(|(c, comp)| std::iter::repeat_n(c, comp.indicator.len()))
        .collect();
    let engine = Engine {
        def,
        matrices,
        n_treat: o.treatments.len(),
        available: nominal.indicators.iter().map(|i| i.available).collect(),
        comp_of,
        base_w_ind: def.indicators().map(|(_, i)| i.weight).collect(),
        base_w_comp: def.component.iter().map(|c| c.weight).collect(),
        nominal_rank: scored
            .iter()
            .map(|&i| nominal.areas[i].rank.unwrap_or(0) as f64)
            .collect(),
        scored,
        concentration: o.concentration,
    };
    let (nn, nt) = (o.normalisations.len(), o.treatments.len());
    // Rank bands.
    let all: Vec<Vec<f64>> = parallel(o.runs, o.threads, |r| {
        engine.ranks(draw(o.seed, r as u64, nn, nt))
    });
    let n_scored = engine.scored.len();
    let mut mean_shift = 0.0;
    for r in &all {
        mean_shift += r
            .iter()
            .zip(&engine.nominal_rank)
            .map(|(a, b)| (a - b).abs())
            .sum::<f64>()
            / n_scored.max(1) as f64;
    }
    let areas = (0..n_scored)
        .map(|j| {
            let mut v: Vec<f64> = all.iter().map(|r| r[j]).collect();
            v.sort_by(|a, b| a.total_cmp(b));
            let i = engine.scored[j];
            AreaBand {
                code: nominal.areas[i].code,
                nominal_rank: nominal.areas[i].rank.unwrap_or(0),
                median_rank: if v.is_empty() {
                    f64::NAN
                } else {
                    quantile(&v, 0.5)
                },
                rank_p5: if v.is_empty() {
                    f64::NAN
                } else {
                    quantile(&v, 0.05)
                },
                rank_p95: if v.is_empty() {
                    f64::NAN
                } else {
                    quantile(&v, 0.95)
                },
            }
        })
        .collect();
    // Sobol indices over the three factor groups.
    let sobol = if o.sobol_n >= 2 {
        let n = o.sobol_n;
        let a: Vec<Choice> = (0..n)
            .map(|r| draw(o.seed ^ 0xA5A5, r as u64, nn, nt))
            .collect();
        let b: Vec<Choice> = (0..n)
            .map(|r| draw(o.seed ^ 0x5A5A, r as u64, nn, nt))
            .collect();
        let mix = |i: usize, r: usize| -> Choice {
            let mut c = a[r];
            match i {
                0 => c.weight_seed = b[r].weight_seed,
                1 => c.norm = b[r].norm,
                _ => c.treat = b[r].treat,
            }
            c
        };
        let fa = parallel(n, o.threads, |r| engine.shift(a[r]));
        let fb = parallel(n, o.threads, |r| engine.shift(b[r]));
        let all_f: Vec<f64> = fa.iter().chain(&fb).copied().collect();
        let m = all_f.iter().sum::<f64>() / all_f.len() as f64;
        let var = all_f.iter().map(|x| (x - m).powi(2)).sum::<f64>() / all_f.len() as f64;
        ["gewichten", "normalisatie", "behandeling"]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let fab = parallel(n, o.threads, |r| engine.shift(mix(i, r)));
                let (s, st) = if var > 0.0 {
                    let s = (0..n).map(|r| fb[r] * (fab[r] - fa[r])).sum::<f64>() / n as f64 / var;
                    let st = (0..n).map(|r| (fa[r] - fab[r]).powi(2)).sum::<f64>()
                        / (2.0 * n as f64)
                        / var;
                    (s, st)
                } else {
                    (0.0, 0.0)
                };
                Sobol {
                    factor: name,
                    first_order: s,
                    total: st,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Uncertainty {
        runs: o.runs,
        seed: o.seed,
        areas,
        sobol,
        mean_rank_shift: mean_shift / o.runs.max(1) as f64,
    }
}
