//! Local statistics with conditional permutation inference, as esda's `Moran_Local` and
//! `G_Local`: for unit i its own value stays, and the values of its neighbours are drawn
//! from the other n − 1 units. One set of draws (permutations × the largest cardinality,
//! seeded) serves every unit, as esda's `crand` does, so results do not depend on threads.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::Weights;
use crate::stats::{bonferroni, fdr, mean, norm_sf, std_pop};

#[cfg(test)]
mod tests;

/// Quadrant coding of the Moran scatter plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Quadrants {
    /// PySAL: 1 HH, 2 LH, 3 LL, 4 HL (esda's default).
    Pysal,
    /// GeoDa: 1 HH, 2 LL, 3 LH, 4 HL (esda with `geoda_quads=True`).
    Geoda,
}

/// Multiple-testing correction for cluster labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Correction {
    /// p_sim ≤ α.
    None,
    /// Benjamini–Hochberg false discovery rate (esda's `fdr`).
    Fdr,
    /// α / n.
    Bonferroni,
}

impl std::str::FromStr for Correction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "geen" => Ok(Correction::None),
            "fdr" | "bh" => Ok(Correction::Fdr),
            "bonferroni" => Ok(Correction::Bonferroni),
            o => Err(format!(
                "unknown correction '{o}': use none, fdr or bonferroni"
            )),
        }
    }
}

impl Correction {
    /// The p-value cut-off for `alpha` over these p-values.
    pub fn cutoff(self, p: &[f64], alpha: f64) -> f64 {
        let valid: Vec<f64> = p.iter().copied().filter(|x| !x.is_nan()).collect();
        match self {
            Correction::None => alpha,
            Correction::Fdr => fdr(&valid, alpha),
            Correction::Bonferroni => bonferroni(valid.len(), alpha),
        }
    }
}

/// The shared random draws: `permutations` rows of `k` distinct units in `0..n`. Unit i uses
/// the first `cardinality(i)` units of a row that are not i itself, so a row holds the largest
/// cardinality + 1 units. For every unit these are a uniform random subset of the other n − 1
/// units: the conditional randomisation null of esda's `crand`, with one set of draws shared by
/// all units as esda does.
pub(crate) struct Draws {
    k: usize,
    ids: Vec<u32>,
}

impl Draws {
    pub(crate) fn new(n: usize, k: usize, permutations: usize, seed: u64) -> Draws {
        let k = k.min(n);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut ids = Vec::with_capacity(permutations * k);
        let mut row: Vec<u32> = Vec::with_capacity(k);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..permutations {
            row.clear();
            seen.clear();
            while row.len() < k {
                let x = rng.random_range(0..n as u32);
                let fresh = if k <= 32 {
                    !row.contains(&x)
                } else {
                    seen.insert(x)
                };
                if fresh {
                    row.push(x);
                }
            }
            ids.extend_from_slice(&row);
        }
        Draws { k, ids }
    }

    fn row(&self, p: usize) -> &[u32] {
        &self.ids[p * self.k..(p + 1) * self.k]
    }
}

/// Per-unit permutation results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulated {
    /// Folded pseudo p-value (larger + 1) / (permutations + 1); NaN for islands.
    pub p_sim: f64,
    /// Mean of the statistic over the permutations (NaN for islands).
    pub e_sim: f64,
    /// Standard deviation (population) of the statistic over the permutations.
    pub se_sim: f64,
    /// z-value of the observed statistic against the permutations: (observed − `e_sim`) /
    /// `se_sim`.
    pub z_sim: f64,
    /// One-tailed normal p of |z_sim|.
    pub p_z_sim: f64,
}

/// For every unit i and draw, the statistic `αᵢ · Σₖ wᵢₖ v[drawₖ] + βᵢ` (every local
/// statistic here is affine in the weighted sum of the drawn values; `affine(i)` gives αᵢ, βᵢ)
/// over the shared draws, on `threads` threads (contiguous chunks of units; the result does not
/// depend on it). The simulated values are summarised on the fly (count at or above the
/// observed value, mean and spread), never stored.
fn simulate(
    w: &Weights,
    v: &[f64],
    observed: &[f64],
    permutations: usize,
    seed: u64,
    threads: usize,
    affine: impl Fn(usize) -> (f64, f64) + Sync,
) -> Vec<Simulated> {
    let n = w.n();
    let max_card = (0..n).map(|i| w.cardinality(i)).max().unwrap_or(0);
    let draws = Draws::new(n, max_card + 1, permutations, seed);
    let k = draws.k;
    // Rows whose weights are all equal (contiguity, kNN and distance bands, binary or
    // row-standardised): the sum over the first c draws is a prefix sum shared by every unit,
    // pre[c · permutations + p]; only where unit i itself is among them does it differ.
    let uniform = (0..n).all(|i| w.weights(i).windows(2).all(|x| x[0] == x[1]));
    let (pre, occ_start, occ) = if uniform {
        let mut pre = vec![0.0f64; (k + 1) * permutations];
        for p in 0..permutations {
            let mut acc = 0.0;
            for (c, &u) in draws.row(p).iter().enumerate() {
                acc += v[u as usize];
                pre[(c + 1) * permutations + p] = acc;
            }
        }
        // Where each unit occurs: (permutation, position), grouped by unit.
        let mut start = vec![0u32; n + 1];
        for &u in &draws.ids {
            start[u as usize + 1] += 1;
        }
        for u in 0..n {
            start[u + 1] += start[u];
        }
        let mut fill = start.clone();
        let mut occ = vec![(0u32, 0u32); draws.ids.len()];
        for p in 0..permutations {
            for (pos, &u) in draws.row(p).iter().enumerate() {
                let f = &mut fill[u as usize];
                occ[*f as usize] = (p as u32, pos as u32);
                *f += 1;
            }
        }
        (pre, start, occ)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let one = |i: usize| -> Simulated {
        let card = w.cardinality(i);
        if card == 0 {
            return Simulated {
                p_sim: f64::NAN,
                e_sim: f64::NAN,
                se_sim: f64::NAN,
                z_sim: f64::NAN,
                p_z_sim: f64::NAN,
            };
        }
        let wi = w.weights(i);
        let (alpha, beta) = affine(i);
        let obs = observed[i];
        // Running summary of the simulated values x, shifted by the observed value for
        // precision: count of x ≥ obs, Σ (x − obs), Σ (x − obs)².
        let (mut larger, mut sum, mut sumsq) = (0usize, 0.0f64, 0.0f64);
        if uniform {
            let a = alpha * wi[0];
            let b = beta - obs;
            let col = &pre[card * permutations..(card + 1) * permutations];
            for &x in col {
                let d = a * x + b;
                larger += usize::from(d >= 0.0);
                sum += d;
                sumsq += d * d;
            }
            let next = &pre[(card + 1) * permutations..(card + 2) * permutations];
            for &(p, pos) in &occ[occ_start[i] as usize..occ_start[i + 1] as usize] {
                if (pos as usize) < card {
                    // i is among the first `card` draws: take one more and leave i out.
                    let old = a * col[p as usize] + b;
                    let new = a * (next[p as usize] - v[i]) + b;
                    larger = larger + usize::from(new >= 0.0) - usize::from(old >= 0.0);
                    sum += new - old;
                    sumsq += new * new - old * old;
                }
            }
        } else {
            for p in 0..permutations {
                let mut s = 0.0;
                let others = draws.row(p).iter().filter(|&&u| u as usize != i);
                for (&u, &wk) in others.zip(wi) {
                    s += wk * v[u as usize];
                }
                let d = alpha * s + beta - obs;
                larger += usize::from(d >= 0.0);
                sum += d;
                sumsq += d * d;
            }
        }
        let pf = permutations as f64;
        let larger = larger.min(permutations - larger);
        let mean_d = sum / pf;
        let e = obs + mean_d;
        let se = (sumsq / pf - mean_d * mean_d).max(0.0).sqrt();
        let z = (obs - e) / se;
        Simulated {
            p_sim: (larger as f64 + 1.0) / (pf + 1.0),
            e_sim: e,
            se_sim: se,
            z_sim: z,
            p_z_sim: norm_sf(z.abs()),
        }
    };
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(one).collect();
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|s| {
        let hs: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|a| {
                let one = &one;
                s.spawn(move || (a..(a + chunk).min(n)).map(one).collect::<Vec<_>>())
            })
            .collect();
        hs.into_iter()
            .flat_map(|h| h.join().expect("permutation thread"))
            .collect()
    })
}

/// Options of the local statistics.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// Conditional permutations (esda's default 999; 0 = none).
    pub permutations: usize,
    /// Seed of the permutations' ChaCha8 streams (default 12345); the same seed gives the
    /// same p-values whatever the number of threads.
    pub seed: u64,
    /// How the Moran scatter plot's quadrants are numbered (default PySAL's).
    pub quadrants: Quadrants,
    /// Significance level for the cluster labels.
    pub alpha: f64,
    /// Multiple-testing correction applied to `alpha` (default none, as esda).
    pub correction: Correction,
    /// Worker threads (results do not depend on it).
    pub threads: usize,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            permutations: 999,
            seed: 12345,
            quadrants: Quadrants::Pysal,
            alpha: 0.05,
            correction: Correction::None,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Local Moran of every unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalMoran {
    /// Number of units; every vector below has one entry per unit, in the weights' order.
    pub n: usize,
    /// Standardised values (population sd): the Moran scatter plot's x axis.
    pub z: Vec<f64>,
    /// Spatial lag of `z` (Σⱼ wᵢⱼ zⱼ; 0 for islands): the scatter plot's y axis.
    pub lag: Vec<f64>,
    /// Iᵢ = (n − 1) zᵢ Σⱼ wᵢⱼ zⱼ / Σₖ zₖ².
    pub is: Vec<f64>,
    /// Quadrant in the chosen coding (0 for none of the four cannot happen: z = 0 counts low).
    pub q: Vec<u8>,
    /// The coding of `q`.
    pub quadrants: Quadrants,
    /// Permutation results (empty without permutations).
    pub sim: Vec<Simulated>,
    /// Number of conditional permutations per unit (0: none, nothing is significant).
    pub permutations: usize,
    /// Seed the permutations were drawn with.
    pub seed: u64,
    /// Significance level before correction.
    pub alpha: f64,
    /// Multiple-testing correction applied.
    pub correction: Correction,
    /// The p-value cut-off after correction (NaN without permutations).
    pub cutoff: f64,
    /// Significant at the cut-off (never an island).
    pub significant: Vec<bool>,
    /// Whether the unit has no neighbours.
    pub island: Vec<bool>,
}

impl LocalMoran {
    /// The cluster label of unit `i` (Dutch): "hoog-hoog" … or "niet significant", "geen buren".
    pub fn label_nl(&self, i: usize) -> &'static str {
        if self.island[i] {
            return "geen buren";
        }
        if !self.significant[i] {
            return "niet significant";
        }
        quadrant_label(self.q[i], self.quadrants, true)
    }

    /// The English label ("High-High", as esda's `get_cluster_labels`).
    pub fn label_en(&self, i: usize) -> &'static str {
        if self.island[i] {
            return "Island";
        }
        if !self.significant[i] {
            return "Insignificant";
        }
        quadrant_label(self.q[i], self.quadrants, false)
    }
}

fn quadrant_label(q: u8, coding: Quadrants, nl: bool) -> &'static str {
    let pysal = match (coding, q) {
        (Quadrants::Pysal, q) => q,
        (Quadrants::Geoda, 2) => 3,
        (Quadrants::Geoda, 3) => 2,
        (Quadrants::Geoda, q) => q,
    };
    match (pysal, nl) {
        (1, true) => "hoog-hoog",
        (2, true) => "laag-hoog",
        (3, true) => "laag-laag",
        (4, true) => "hoog-laag",
        (1, false) => "High-High",
        (2, false) => "Low-High",
        (3, false) => "Low-Low",
        (4, false) => "High-Low",
        _ => "",
    }
}

fn significance(p: &[f64], island: &[bool], alpha: f64, c: Correction) -> (f64, Vec<bool>) {
    let cut = c.cutoff(p, alpha);
    let sig = p
        .iter()
        .zip(island)
        .map(|(&x, &isl)| !isl && !x.is_nan() && x <= cut)
        .collect();
    (cut, sig)
}

/// Local Moran (LISA) of `y` under `w` (transform first; esda's default is row-standardised).
/// Islands: lag 0, Iᵢ 0 (esda with island_weight 0), no p-value and never significant —
/// esda would give them p_sim = 1/(permutations + 1).
pub fn moran_local(y: &[f64], w: &Weights, o: &LocalOptions) -> LocalMoran {
    let n = y.len();
    assert_eq!(n, w.n(), "one value per unit");
    let m = mean(y);
    let sd = std_pop(y);
    let z: Vec<f64> = y.iter().map(|v| (v - m) / sd).collect();
    let den: f64 = z.iter().map(|v| v * v).sum();
    let lag = w.lag(&z);
    let scaling = (n as f64 - 1.0) / den;
    let is: Vec<f64> = z
        .iter()
        .zip(&lag)
        .map(|(zi, li)| (n as f64 - 1.0) * zi * li / den)
        .collect();
    let codes: [u8; 4] = match o.quadrants {
        Quadrants::Pysal => [1, 2, 3, 4],
        Quadrants::Geoda => [1, 3, 2, 4],
    };
    let q: Vec<u8> = z
        .iter()
        .zip(&lag)
        .map(|(&zi, &li)| match (zi > 0.0, li > 0.0) {
            (true, true) => codes[0],
            (false, true) => codes[1],
            (false, false) => codes[2],
            (true, false) => codes[3],
        })
        .collect();
    let island: Vec<bool> = (0..n).map(|i| w.cardinality(i) == 0).collect();
    let sim = if o.permutations > 0 {
        simulate(w, &z, &is, o.permutations, o.seed, o.threads, |i| {
            (z[i] * scaling, 0.0)
        })
    } else {
        Vec::new()
    };
    let p: Vec<f64> = sim.iter().map(|s| s.p_sim).collect();
    let (cutoff, significant) = if sim.is_empty() {
        (f64::NAN, vec![false; n])
    } else {
        significance(&p, &island, o.alpha, o.correction)
    };
    LocalMoran {
        n,
        z,
        lag,
        is,
        q,
        quadrants: o.quadrants,
        sim,
        permutations: o.permutations,
        seed: o.seed,
        alpha: o.alpha,
        correction: o.correction,
        cutoff,
        significant,
        island,
    }
}

/// Local Getis-Ord G (or G*) of every unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalG {
    /// Number of units; every vector below has one entry per unit, in the weights' order.
    pub n: usize,
    /// G* (the unit's own value counts in its neighbourhood) rather than G.
    pub star: bool,
    /// Gᵢ: the weighted sum of the neighbours' values as a share of the sum of all values
    /// (others' values for G) — esda's Gs.
    pub gs: Vec<f64>,
    /// Expected Gᵢ without spatial association (esda's EGs).
    pub egs: Vec<f64>,
    /// Variance of Gᵢ under randomisation (esda's VGs).
    pub vgs: Vec<f64>,
    /// Standard normal z of Gᵢ: (Gᵢ − EGᵢ) / √VGᵢ (esda's Zs); positive means a hot spot.
    pub zs: Vec<f64>,
    /// One-tailed normal p of |z| (esda's p_norm).
    pub p_norm: Vec<f64>,
    /// Permutation results (empty without permutations).
    pub sim: Vec<Simulated>,
    /// Number of conditional permutations per unit (0: significance from `p_norm`).
    pub permutations: usize,
    /// Seed the permutations were drawn with.
    pub seed: u64,
    /// Significance level before correction.
    pub alpha: f64,
    /// Multiple-testing correction applied.
    pub correction: Correction,
    /// The p-value cut-off after correction.
    pub cutoff: f64,
    /// Significant at the cut-off (never an island).
    pub significant: Vec<bool>,
    /// Whether the unit has no neighbours.
    pub island: Vec<bool>,
}

impl LocalG {
    /// "hotspot" / "coldspot" by the sign of z (not the unit's own value), or
    /// "niet significant" / "geen buren".
    pub fn label_nl(&self, i: usize) -> &'static str {
        if self.island[i] {
            "geen buren"
        } else if !self.significant[i] {
            "niet significant"
        } else if self.zs[i] > 0.0 {
            "hotspot"
        } else {
            "coldspot"
        }
    }
}

/// Local G of `y` under binary (`row = false`) or row-standardised (`row = true`) weights
/// built from `w`'s links, as esda's `G_Local(y, w, transform, star)`. For G* the self-weight
/// is the row's largest original weight (1 for contiguity), as esda assumes when none is
/// given. Values should be positive (G is a ratio to their sum). Significance uses the
/// permutation p-values when there are permutations, else `p_norm`.
pub fn g_local(y: &[f64], w: &Weights, row: bool, star: bool, o: &LocalOptions) -> LocalG {
    let n = y.len();
    assert_eq!(n, w.n(), "one value per unit");
    // Original weights and the self-weight.
    let mut base = w.clone();
    base.set_transform(crate::Transform::Original);
    let self_orig: Vec<f64> = (0..n)
        .map(|i| {
            if star {
                base.weights(i).iter().copied().fold(0.0, f64::max)
            } else {
                0.0
            }
        })
        .collect();
    // Transformed weights including the self-weight: row sums over neighbours + self.
    let (w_self, scale): (Vec<f64>, Vec<f64>) = (0..n)
        .map(|i| {
            if row {
                let s: f64 = base.weights(i).iter().sum::<f64>() + self_orig[i];
                if s > 0.0 {
                    (self_orig[i] / s, 1.0 / s)
                } else {
                    (0.0, 0.0)
                }
            } else {
                // binary
                (if star && self_orig[i] > 0.0 { 1.0 } else { 0.0 }, f64::NAN)
            }
        })
        .unzip();
    let w_other = |i: usize, k: usize| -> f64 {
        if row {
            base.weights(i)[k] * scale[i]
        } else {
            1.0
        }
    };
    let y_sum: f64 = y.iter().sum();
    let y2_sum: f64 = y.iter().map(|v| v * v).sum();
    let remove_self = if star { 0.0 } else { 1.0 };
    let big_n = n as f64 - remove_self;
    let mut gs = Vec::with_capacity(n);
    let mut egs = Vec::with_capacity(n);
    let mut vgs = Vec::with_capacity(n);
    let mut zs = Vec::with_capacity(n);
    for i in 0..n {
        let nb = base.neighbours(i);
        let lag: f64 = nb
            .iter()
            .enumerate()
            .map(|(k, &j)| w_other(i, k) * y[j as usize])
            .sum::<f64>()
            + w_self[i] * y[i];
        let stat = lag / (y_sum - y[i] * remove_self);
        let emp_mean = (y_sum - y[i] * remove_self) / big_n;
        let mean_sq = (y2_sum - y[i] * y[i] * remove_self) / big_n;
        let emp_var = mean_sq - emp_mean * emp_mean;
        let card: f64 = (0..nb.len()).map(|k| w_other(i, k)).sum::<f64>() + w_self[i];
        let e = card / big_n;
        let mut v = card * (big_n - card);
        v /= big_n - 1.0;
        v *= 1.0 / (big_n * big_n);
        v *= emp_var / (emp_mean * emp_mean);
        gs.push(stat);
        egs.push(e);
        vgs.push(v);
        zs.push((stat - e) / v.sqrt());
    }
    let p_norm: Vec<f64> = zs.iter().map(|z| norm_sf(z.abs())).collect();
    let island: Vec<bool> = (0..n).map(|i| w.cardinality(i) == 0).collect();
    // Conditional permutation weights per unit: the transformed neighbour weights.
    let row_weights: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..base.cardinality(i)).map(|k| w_other(i, k)).collect())
        .collect();
    let ww = Weights::new(
        base.ids.clone(),
        (0..n)
            .map(|i| base.neighbours(i).iter().map(|&j| j as usize).collect())
            .collect(),
        Some(row_weights),
    )
    .expect("weights derived from valid weights");
    let sim = if o.permutations > 0 {
        simulate(&ww, y, &gs, o.permutations, o.seed, o.threads, |i| {
            if star {
                (1.0 / y_sum, w_self[i] * y[i] / y_sum)
            } else {
                (1.0 / (y_sum - y[i]), 0.0)
            }
        })
    } else {
        Vec::new()
    };
    let p: Vec<f64> = if sim.is_empty() {
        p_norm.clone()
    } else {
        sim.iter().map(|s| s.p_sim).collect()
    };
    let (cutoff, significant) = significance(&p, &island, o.alpha, o.correction);
    LocalG {
        n,
        star,
        gs,
        egs,
        vgs,
        zs,
        p_norm,
        sim,
        permutations: o.permutations,
        seed: o.seed,
        alpha: o.alpha,
        correction: o.correction,
        cutoff,
        significant,
        island,
    }
}
