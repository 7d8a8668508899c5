//! Global Moran's I with every output of esda's `Moran`: analytic inference under normality
//! and randomisation, and permutation inference.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::Weights;
use crate::stats::{mean, norm_sf, std_pop};

/// Global Moran's I (names as esda's attributes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct Moran {
    /// Number of units (values).
    pub n: usize,
    /// Moran's I: n / S0 · Σᵢⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ², z the deviations from the mean; above
    /// `EI` means like values cluster, below it that neighbours differ.
    pub I: f64,
    /// Expected I without spatial autocorrelation: −1 / (n − 1).
    pub EI: f64,
    /// Variance of I under the normality assumption.
    pub VI_norm: f64,
    /// Standard error of I under normality (√`VI_norm`).
    pub seI_norm: f64,
    /// z-value of I under normality: (I − EI) / `seI_norm`.
    pub z_norm: f64,
    /// Two-tailed.
    pub p_norm: f64,
    /// Variance of I under randomisation (uses the kurtosis of the values).
    pub VI_rand: f64,
    /// Standard error of I under randomisation (√`VI_rand`).
    pub seI_rand: f64,
    /// z-value of I under randomisation: (I − EI) / `seI_rand`.
    pub z_rand: f64,
    /// Two-tailed.
    pub p_rand: f64,
    /// Number of random permutations drawn (0: no permutation inference, the `_sim`
    /// fields are `None`).
    pub permutations: usize,
    /// Seed of the permutations' ChaCha8 streams; the same seed gives the same `_sim` fields.
    pub seed: u64,
    /// (larger + 1) / (permutations + 1), folded to the smaller tail; `None` without permutations.
    pub p_sim: Option<f64>,
    /// Mean of I over the permutations.
    pub EI_sim: Option<f64>,
    /// Variance of I over the permutations (population variance, as esda).
    pub VI_sim: Option<f64>,
    /// Standard deviation of I over the permutations (√`VI_sim`).
    pub seI_sim: Option<f64>,
    /// z-value of I against the permutations: (I − `EI_sim`) / `seI_sim`.
    pub z_sim: Option<f64>,
    /// One-tailed, in the direction of z_sim.
    pub p_z_sim: Option<f64>,
    /// The transformation the weights carried.
    pub transform: char,
}

fn statistic(w: &Weights, z: &[f64], s0: f64, z2ss: f64) -> f64 {
    let mut inum = 0.0;
    for (i, zi) in z.iter().enumerate() {
        let lag: f64 = w
            .neighbours(i)
            .iter()
            .zip(w.weights(i))
            .map(|(&j, wij)| wij * z[j as usize])
            .sum();
        inum += zi * lag;
    }
    z.len() as f64 / s0 * inum / z2ss
}

/// I under `permutations` random permutations of z: permutation p shuffles with its own
/// ChaCha8 stream (seed, p), so the result does not depend on the number of threads.
fn permuted(
    w: &Weights,
    z: &[f64],
    s0: f64,
    z2ss: f64,
    permutations: usize,
    seed: u64,
) -> Vec<f64> {
    let run = |range: std::ops::Range<usize>| -> Vec<f64> {
        let mut zp = z.to_vec();
        range
            .map(|p| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(p as u64);
                zp.copy_from_slice(z);
                zp.shuffle(&mut rng);
                statistic(w, &zp, s0, z2ss)
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || permutations < 64 {
        return run(0..permutations);
    }
    let chunk = permutations.div_ceil(threads);
    std::thread::scope(|s| {
        let hs: Vec<_> = (0..permutations)
            .step_by(chunk)
            .map(|a| {
                let run = &run;
                s.spawn(move || run(a..(a + chunk).min(permutations)))
            })
            .collect();
        hs.into_iter()
            .flat_map(|h| h.join().expect("permutation thread"))
            .collect()
    })
}

/// Global Moran's I of `y` under the weights as given (transform them first: esda's default
/// is row-standardised). Permutations shuffle all values (seeded ChaCha8).
pub fn moran(y: &[f64], w: &Weights, permutations: usize, seed: u64) -> Moran {
    let n = y.len();
    assert_eq!(n, w.n(), "one value per unit");
    let m = mean(y);
    let z: Vec<f64> = y.iter().map(|v| v - m).collect();
    let z2ss: f64 = z.iter().map(|v| v * v).sum();
    let (s0, s1, s2) = (w.s0(), w.s1(), w.s2());
    let nf = n as f64;
    let ei = -1.0 / (nf - 1.0);
    let n2 = nf * nf;
    let s02 = s0 * s0;
    let vi_norm = (n2 * s1 - nf * s2 + 3.0 * s02) / ((nf - 1.0) * (nf + 1.0) * s02)
        - (1.0 / (nf - 1.0)).powi(2);
    let k = (z.iter().map(|v| v.powi(4)).sum::<f64>() / nf)
        / (z.iter().map(|v| v * v).sum::<f64>() / nf).powi(2);
    let a = nf * ((n2 - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = k * ((n2 - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let vi_rand = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - ei * ei;
    let i = statistic(w, &z, s0, z2ss);
    let (se_norm, se_rand) = (vi_norm.sqrt(), vi_rand.sqrt());
    let (z_norm, z_rand) = ((i - ei) / se_norm, (i - ei) / se_rand);
    let two_tailed = |z: f64| 2.0 * norm_sf(z.abs());
    let mut out = Moran {
        n,
        I: i,
        EI: ei,
        VI_norm: vi_norm,
        seI_norm: se_norm,
        z_norm,
        p_norm: two_tailed(z_norm),
        VI_rand: vi_rand,
        seI_rand: se_rand,
        z_rand,
        p_rand: two_tailed(z_rand),
        permutations,
        seed,
        p_sim: None,
        EI_sim: None,
        VI_sim: None,
        seI_sim: None,
        z_sim: None,
        p_z_sim: None,
        transform: w.transform().code(),
    };
    if permutations > 0 {
        let sims = permuted(w, &z, s0, z2ss, permutations, seed);
        let larger = sims.iter().filter(|&&s| s >= i).count();
        let larger = larger.min(permutations - larger);
        let e = mean(&sims);
        let se = std_pop(&sims);
        let zs = (i - e) / se;
        out.p_sim = Some((larger as f64 + 1.0) / (permutations as f64 + 1.0));
        out.EI_sim = Some(e);
        out.VI_sim = Some(se * se);
        out.seI_sim = Some(se);
        out.z_sim = Some(zs);
        out.p_z_sim = Some(norm_sf(zs.abs()));
    }
    out
}
