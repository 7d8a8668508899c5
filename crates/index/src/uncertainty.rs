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

use crate::compute::{Overrides, Prepared, compute_prepared, normalise_many, prepare};
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

/// One normalised matrix of the design, dense and indicator-major over the scored areas:
/// `vals[k * n + j]` is indicator k of scored area j (0 when missing; `ln(1 + 0.99 v)` for the
/// geometric mean), `pres` is 1 where the value is present and 0 where not. Scoring a run is
/// then a few multiply-adds over contiguous slices (vectorised, no branches or allocations),
/// in the same order per area as the sum over indicators, so the scores are bit-identical.
struct Dense {
    vals: Vec<f64>,
    pres: Vec<f64>,
    /// Per component and block of `SCORE_BLOCK` areas: the areas (offsets in the block) that
    /// miss an available indicator of the component; for all others the present weight is the
    /// component's available weight.
    partial: Vec<Vec<u16>>,
}

/// Areas scored together per run (the block of every indicator's column stays in cache).
const SCORE_BLOCK: usize = 256;

struct Engine<'a> {
    def: &'a Definition,
    matrices: Vec<Dense>, // [norm * T + treat]
    n_treat: usize,
    available: Vec<bool>,
    comp_of: Vec<usize>,
    /// Indicator range of every component (components are contiguous in definition order).
    comp_range: Vec<std::ops::Range<usize>>,
    base_w_ind: Vec<f64>,
    base_w_comp: Vec<f64>,
    scored: Vec<usize>,
    nominal_rank: Vec<f64>,
    concentration: f64,
}

/// Order-preserving integer key of a score (total order; equal scores give equal keys).
fn key(s: f64) -> u64 {
    let b = if s == 0.0 { 0.0f64 } else { s }.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
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

    /// Ranks (1 = lowest score, ties at the lower rank) of the scored areas for a batch of
    /// runs that share one normalised matrix. The matrix is walked in blocks of areas that
    /// stay in cache while every run of the batch scores them (one pass over memory per
    /// batch instead of one per run). Per area the arithmetic is the sum over indicators in
    /// definition order, as in `compute`.
    fn ranks_batch(&self, matrix: usize, runs: &[Choice]) -> Vec<Vec<u32>> {
        let m = &self.matrices[matrix];
        let n = self.scored.len();
        let min_share = self.def.method.component_min_share;
        let weights: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> = runs
            .iter()
            .map(|c| {
                let (mut w_ind, w_comp) = self.weights(c.weight_seed);
                // An unavailable indicator takes part with weight 0 (adds exactly nothing).
                for (w, a) in w_ind.iter_mut().zip(&self.available) {
                    if !a {
                        *w = 0.0;
                    }
                }
                let avail_w = self
                    .comp_range
                    .iter()
                    .map(|r| w_ind[r.clone()].iter().sum())
                    .collect();
                (w_ind, w_comp, avail_w)
            })
            .collect();
        let mut scores = vec![vec![0.0f64; n]; runs.len()];
        const B: usize = SCORE_BLOCK;
        let nblocks = n.div_ceil(B);
        let (mut s, mut w) = ([0.0f64; B], [0.0f64; B]);
        let (mut sum, mut wsum) = ([0.0f64; B], [0.0f64; B]);
        for j0 in (0..n).step_by(B) {
            let len = B.min(n - j0);
            for (q, (w_ind, w_comp, avail_w)) in weights.iter().enumerate() {
                s[..len].fill(0.0);
                w[..len].fill(0.0);
                for (ci, r) in self.comp_range.iter().enumerate() {
                    let (wc, aw) = (w_comp[ci], avail_w[ci]);
                    // Weighted sums, 8 areas at a time with the sums in registers; per area
                    // the additions are in indicator order (a missing value is 0).
                    let mut t0 = 0;
                    while t0 < len {
                        let lanes = 8.min(len - t0);
                        let mut acc = [0.0f64; 8];
                        for k in r.clone() {
                            let wk = w_ind[k];
                            let base = k * n + j0 + t0;
                            if lanes == 8 {
                                let v: &[f64; 8] =
                                    m.vals[base..base + 8].try_into().expect("8 lanes");
                                for (a, v) in acc.iter_mut().zip(v) {
                                    *a += wk * v;
                                }
                            } else {
                                for (a, v) in acc.iter_mut().zip(&m.vals[base..base + lanes]) {
                                    *a += wk * v;
                                }
                            }
                        }
                        sum[t0..t0 + lanes].copy_from_slice(&acc[..lanes]);
                        t0 += lanes;
                    }
                    // Present weight: the available weight (Σ w_k · 1 in the same order, bit
                    // for bit) except where an area misses an indicator of this component.
                    wsum[..len].fill(aw);
                    for &t in &m.partial[ci * nblocks + j0 / B] {
                        let t = t as usize;
                        let mut ws = 0.0;
                        for k in r.clone() {
                            ws += w_ind[k] * m.pres[k * n + j0 + t];
                        }
                        wsum[t] = ws;
                    }
                    // Branch-free so that it vectorises; adding +0.0 leaves a sum unchanged.
                    for t in 0..len {
                        let ok = (wsum[t] > 0.0) & (wsum[t] / aw + 1e-12 >= min_share);
                        s[t] += if ok { wc * sum[t] / wsum[t] } else { 0.0 };
                        w[t] += if ok { wc } else { 0.0 };
                    }
                }
                let out = &mut scores[q][j0..j0 + len];
                for t in 0..len {
                    out[t] = if w[t] > 0.0 { s[t] / w[t] } else { f64::NAN };
                }
            }
        }
        scores.iter().map(|sc| min_ranks(sc)).collect()
    }

    /// Ranks of many runs, on `threads` threads, in the order of `choices`.
    fn ranks_many(&self, choices: &[Choice], threads: usize) -> Vec<Vec<u32>> {
        const BATCH: usize = 16;
        let mut tasks: Vec<(usize, Vec<usize>)> = Vec::new();
        for matrix in 0..self.matrices.len() {
            let runs: Vec<usize> = (0..choices.len())
                .filter(|&r| choices[r].norm * self.n_treat + choices[r].treat == matrix)
                .collect();
            for b in runs.chunks(BATCH) {
                tasks.push((matrix, b.to_vec()));
            }
        }
        let done = parallel(tasks.len(), threads, |t| {
            let (matrix, runs) = &tasks[t];
            let cs: Vec<Choice> = runs.iter().map(|&r| choices[r]).collect();
            self.ranks_batch(*matrix, &cs)
        });
        let mut out: Vec<Vec<u32>> = vec![Vec::new(); choices.len()];
        for ((_, runs), ranks) in tasks.iter().zip(done) {
            for (&r, x) in runs.iter().zip(ranks) {
                out[r] = x;
            }
        }
        out
    }

    /// Mean absolute rank shift against the nominal ranking.
    fn shift(&self, r: &[u32]) -> f64 {
        r.iter()
            .zip(&self.nominal_rank)
            .map(|(&a, b)| (a as f64 - b).abs())
            .sum::<f64>()
            / r.len().max(1) as f64
    }
}

/// Ranks (1 = lowest, ties at the lower rank) of scores; a NaN score (no component scored in
/// this run) gets rank 1, as before.
fn min_ranks(scores: &[f64]) -> Vec<u32> {
    // (score key, area) pairs sorted by key with an LSD radix sort: 8 passes of one byte,
    // skipping the bytes every key shares (scores 0–100 share their sign and most of their
    // exponent). Linear instead of n log n comparisons: this sort was half of the run time.
    let mut keyed: Vec<(u64, u32)> = scores
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_nan())
        .map(|(j, &s)| (key(s), j as u32))
        .collect();
    radix_sort(&mut keyed);
    let mut ranks = vec![1u32; scores.len()];
    let mut first = 0;
    for p in 0..keyed.len() {
        if p > 0 && keyed[p].0 != keyed[p - 1].0 {
            first = p;
        }
        ranks[keyed[p].1 as usize] = first as u32 + 1;
    }
    ranks
}

/// Stable LSD radix sort of (key, payload) pairs by key.
fn radix_sort(v: &mut Vec<(u64, u32)>) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut counts = [[0usize; 256]; 8];
    for &(k, _) in v.iter() {
        for (b, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * b)) & 0xFF) as usize] += 1;
        }
    }
    let mut buf = vec![(0u64, 0u32); n];
    for (b, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue; // every key has the same byte here
        }
        let mut offsets = [0usize; 256];
        let mut sum = 0;
        for (o, &x) in offsets.iter_mut().zip(c.iter()) {
            *o = sum;
            sum += x;
        }
        for &(k, j) in v.iter() {
            let d = ((k >> (8 * b)) & 0xFF) as usize;
            buf[offsets[d]] = (k, j);
            offsets[d] += 1;
        }
        std::mem::swap(v, &mut buf);
    }
}

/// Quantiles (ascending `qs`; linear interpolation between the order statistics at
/// `(n − 1) q`) of unsorted ranks, by selection from the top down instead of a full sort; NaN
/// when there are no runs.
fn quantiles<const Q: usize>(v: &mut [u32], qs: [f64; Q]) -> [f64; Q] {
    let mut out = [f64::NAN; Q];
    if v.is_empty() {
        return out;
    }
    let n = v.len();
    let mut end = n; // v[..end] holds the values not above the last selected position
    for (qi, &q) in qs.iter().enumerate().rev() {
        let h = (n - 1) as f64 * q;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        let (_, &mut x_lo, right) = v[..end].select_nth_unstable(lo);
        let x_hi = if hi > lo {
            if hi < end {
                *right.iter().min().expect("hi < end")
            } else {
                // hi was selected by a previous (higher) quantile: the smallest value at or
                // above position `end`, already in place
                v[end]
            }
        } else {
            x_lo
        };
        out[qi] = x_lo as f64 + (h - lo as f64) * (x_hi as f64 - x_lo as f64);
        end = lo;
    }
    out
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

/// Runs `f` over `0..n` on `threads` threads, results in index order. Tasks are handed out
/// one at a time (a shared counter), so unequal tasks still keep every thread busy.
fn parallel<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (f, next) = (&f, &next);
                s.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        done.push((i, f(i)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            for (i, x) in h.join().expect("worker thread") {
                slots[i] = Some(x);
            }
        }
    });
    slots
        .into_iter()
        .map(|x| x.expect("every task ran"))
        .collect()
}

/// The normalisations the design may draw: those the definition's aggregation accepts
/// (the geometric mean needs positive scores, so no z-scores — the same rule as
/// [`Definition::parse`]); the definition's own choice when none is left.
fn design_normalisations(def: &Definition, offered: &[Normalisation]) -> Vec<Normalisation> {
    let ok: Vec<Normalisation> = offered
        .iter()
        .copied()
        .filter(|n| {
            !(def.method.aggregation == Aggregation::Geometric && *n == Normalisation::Zscore)
        })
        .collect();
    if ok.is_empty() {
        vec![def.method.normalisation]
    } else {
        ok
    }
}

/// Uncertainty analysis of an index for one edition and level.
pub fn uncertainty(
    def: &Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    o: &Options,
) -> Uncertainty {
    index_with_uncertainty(def, ds, edition, level, o).1
}

/// The nominal index and the Monte Carlo engine of its design (normalisations ×
/// treatments), with the number of normalisations.
fn build<'a>(
    def: &'a Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    o: &Options,
) -> (crate::compute::IndexResult, Engine<'a>, usize) {
    let p: Prepared = prepare(def, ds, edition, level);
    let normalisations = design_normalisations(def, &o.normalisations);
    let none = Overrides {
        normalisation: None,
        treatment: None,
        indicator_weights: None,
        component_weights: None,
    };
    // The nominal run and the design's normalised matrices do not depend on each other: they
    // run as one set of tasks (the nominal run, the longest, first). One task per treatment
    // gives the matrices of every normalisation (they share the treated, sorted values).
    enum Part {
        Nominal(Box<crate::compute::IndexResult>),
        Matrices(Vec<Vec<Vec<Option<f64>>>>),
    }
    let mut parts = parallel(o.treatments.len() + 1, o.threads, |x| {
        if x == 0 {
            return Part::Nominal(Box::new(compute_prepared(def, &p, edition, level, &none)));
        }
        let mut m = def.method.clone();
        m.treatment = o.treatments[x - 1];
        Part::Matrices(normalise_many(def, &p, &m, &normalisations, false).1)
    })
    .into_iter();
    let Some(Part::Nominal(nominal)) = parts.next() else {
        unreachable!("task 0 is the nominal run")
    };
    // [treatment][normalisation] → the matrix order of `Engine::matrices`, norm * T + treat.
    let by_treatment: Vec<Vec<Vec<Vec<Option<f64>>>>> = parts
        .map(|x| match x {
            Part::Matrices(c) => c,
            Part::Nominal(_) => unreachable!("tasks 1.. are matrices"),
        })
        .collect();
    let nt = o.treatments.len();
    let mut cols: Vec<Vec<Vec<Option<f64>>>> = Vec::with_capacity(normalisations.len() * nt);
    let mut iters: Vec<_> = by_treatment.into_iter().map(|v| v.into_iter()).collect();
    for _ in 0..normalisations.len() {
        for it in iters.iter_mut() {
            cols.push(it.next().expect("one matrix per normalisation"));
        }
    }
    // The ranked areas (eligibility: scored plainly, not those with a caveat).
    let scored: Vec<usize> = (0..nominal.areas.len())
        .filter(|&i| nominal.areas[i].rank.is_some())
        .collect();
    let available: Vec<bool> = nominal.indicators.iter().map(|i| i.available).collect();
    let geometric = def.method.aggregation == Aggregation::Geometric;
    let n_ind = available.len();
    let n = scored.len();
    let nblocks = n.div_ceil(SCORE_BLOCK);
    let mut comp_range = Vec::new();
    let mut start = 0;
    for comp in &def.component {
        comp_range.push(start..start + comp.indicator.len());
        start += comp.indicator.len();
    }
    let matrices: Vec<Dense> = cols
        .iter()
        .map(|cols| {
            let mut vals = vec![0.0; n * n_ind];
            let mut pres = vec![0.0; n * n_ind];
            for (k, col) in cols.iter().enumerate() {
                for (j, &i) in scored.iter().enumerate() {
                    if let Some(v) = col[i] {
                        vals[k * n + j] = if geometric { (1.0 + 0.99 * v).ln() } else { v };
                        pres[k * n + j] = 1.0;
                    }
                }
            }
            let partial = comp_range
                .iter()
                .flat_map(|r| {
                    let (pres, available) = (&pres, &available);
                    (0..nblocks).map(move |b| {
                        let (j0, j1) = (b * SCORE_BLOCK, ((b + 1) * SCORE_BLOCK).min(n));
                        (j0..j1)
                            .filter(|&j| r.clone().any(|k| available[k] && pres[k * n + j] == 0.0))
                            .map(|j| (j - j0) as u16)
                            .collect()
                    })
                })
                .collect();
            Dense {
                vals,
                pres,
                partial,
            }
        })
        .collect();
    drop(cols);
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
        available,
        comp_of,
        comp_range,
        base_w_ind: def.indicators().map(|(_, i)| i.weight).collect(),
        base_w_comp: def.component.iter().map(|c| c.weight).collect(),
        nominal_rank: scored
            .iter()
            .map(|&i| nominal.areas[i].rank.unwrap_or(0) as f64)
            .collect(),
        scored,
        concentration: o.concentration,
    };
    (*nominal, engine, normalisations.len())
}

/// The ranks (1 = most attention needed, among the scored areas) of every scored area in
/// the Monte Carlo runs `runs` of [`index_with_uncertainty`] with the same options: run r
/// draws its choices from stream r of `o.seed`, so runs computed in parts and joined in order
/// equal one batch. Returns the scored areas' codes (in code order, the order of
/// [`Uncertainty::areas`]) and one rank vector per run. [`bands`] turns them into rank bands.
pub fn rank_runs(
    def: &Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    o: &Options,
    runs: std::ops::Range<usize>,
) -> (Vec<AreaCode>, Vec<Vec<u32>>) {
    let (nominal, engine, nn) = build(def, ds, edition, level, o);
    let nt = o.treatments.len();
    let choices: Vec<Choice> = runs.map(|r| draw(o.seed, r as u64, nn, nt)).collect();
    let codes = engine
        .scored
        .iter()
        .map(|&i| nominal.areas[i].code)
        .collect();
    (codes, engine.ranks_many(&choices, o.threads))
}

/// Rank bands (median, 5th and 95th percentile over the runs) from per-run ranks as
/// [`rank_runs`] gives them, with the nominal ranks: the numbers of [`Uncertainty::areas`].
pub fn bands(codes: &[AreaCode], nominal_rank: &[usize], runs: &[Vec<u32>]) -> Vec<AreaBand> {
    let n_runs = runs.len();
    let mut buf = vec![0u32; n_runs];
    (0..codes.len())
        .map(|j| {
            for (r, ranks) in runs.iter().enumerate() {
                buf[r] = ranks[j];
            }
            let [rank_p5, median_rank, rank_p95] = quantiles(&mut buf, [0.05, 0.5, 0.95]);
            AreaBand {
                code: codes[j],
                nominal_rank: nominal_rank[j],
                median_rank,
                rank_p5,
                rank_p95,
            }
        })
        .collect()
}

/// The index (exactly what [`crate::compute()`] gives) together with its uncertainty
/// analysis: the nominal run is part of the analysis, so asking for both costs one index
/// computation, not two.
pub fn index_with_uncertainty(
    def: &Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    o: &Options,
) -> (crate::compute::IndexResult, Uncertainty) {
    let (nominal, engine, nn) = build(def, ds, edition, level, o);
    let nt = o.treatments.len();
    // Rank bands.
    let choices: Vec<Choice> = (0..o.runs)
        .map(|r| draw(o.seed, r as u64, nn, nt))
        .collect();
    let all: Vec<Vec<u32>> = engine.ranks_many(&choices, o.threads);
    let n_scored = engine.scored.len();
    let mut mean_shift = 0.0;
    for s in parallel(all.len(), o.threads, |r| engine.shift(&all[r])) {
        mean_shift += s;
    }
    // Median and 5–95 % band per area: blocks of areas are transposed out of the run-major
    // ranks (so each run's row is read sequentially) and sorted, in parallel.
    const BLOCK: usize = 16;
    let n_runs = all.len();
    let blocks = parallel(n_scored.div_ceil(BLOCK), o.threads, |b| {
        let (j0, j1) = (b * BLOCK, ((b + 1) * BLOCK).min(n_scored));
        let mut buf = vec![0u32; (j1 - j0) * n_runs];
        for (r, ranks) in all.iter().enumerate() {
            for (jj, &x) in ranks[j0..j1].iter().enumerate() {
                buf[jj * n_runs + r] = x;
            }
        }
        (j0..j1)
            .map(|j| {
                let v = &mut buf[(j - j0) * n_runs..(j - j0 + 1) * n_runs];
                let i = engine.scored[j];
                let [rank_p5, median_rank, rank_p95] = quantiles(v, [0.05, 0.5, 0.95]);
                AreaBand {
                    code: nominal.areas[i].code,
                    nominal_rank: nominal.areas[i].rank.unwrap_or(0),
                    median_rank,
                    rank_p5,
                    rank_p95,
                }
            })
            .collect::<Vec<_>>()
    });
    let areas: Vec<AreaBand> = blocks.into_iter().flatten().collect();
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
        let shifts = |cs: &[Choice]| -> Vec<f64> {
            engine
                .ranks_many(cs, o.threads)
                .iter()
                .map(|r| engine.shift(r))
                .collect()
        };
        let fa = shifts(&a);
        let fb = shifts(&b);
        let all_f: Vec<f64> = fa.iter().chain(&fb).copied().collect();
        let m = all_f.iter().sum::<f64>() / all_f.len() as f64;
        let var = all_f.iter().map(|x| (x - m).powi(2)).sum::<f64>() / all_f.len() as f64;
        ["gewichten", "normalisatie", "behandeling"]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let fab = shifts(&(0..n).map(|r| mix(i, r)).collect::<Vec<_>>());
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
    let u = Uncertainty {
        runs: o.runs,
        seed: o.seed,
        areas,
        sobol,
        mean_rank_shift: mean_shift / o.runs.max(1) as f64,
    };
    (nominal, u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// The rank of every score by counting: 1 + the number of scores strictly below it.
    fn ranks_by_counting(scores: &[f64]) -> Vec<u32> {
        scores
            .iter()
            .map(|&s| {
                if s.is_nan() {
                    1
                } else {
                    1 + scores.iter().filter(|&&x| !x.is_nan() && x < s).count() as u32
                }
            })
            .collect()
    }

    #[test]
    fn radix_ranks_equal_counting_with_ties_signed_zeros_and_nan() {
        let fixed = [
            3.5,
            -0.0,
            0.0,
            100.0,
            3.5,
            f64::NAN,
            -2.0,
            1e-300,
            3.5,
            99.999_999_999,
        ];
        assert_eq!(min_ranks(&fixed), ranks_by_counting(&fixed));
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for n in [0usize, 1, 2, 17, 300, 5_000] {
            // Few distinct values (many ties) and full-precision values, both signs.
            let coarse: Vec<f64> = (0..n)
                .map(|_| f64::from(rng.random_range(-20i32..20)) / 4.0)
                .collect();
            let fine: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0e3f64..1.0e3)).collect();
            assert_eq!(min_ranks(&coarse), ranks_by_counting(&coarse), "n {n}");
            assert_eq!(min_ranks(&fine), ranks_by_counting(&fine), "n {n}");
        }
    }
}
