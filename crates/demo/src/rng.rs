//! Seeded random streams and the few distributions the generator needs.
//!
//! Every part of the generator draws from its own stream, derived from the user seed and a
//! path of labels, so that adding draws in one part never shifts the numbers of another part.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random generator used throughout the crate.
pub(crate) type Rng = ChaCha8Rng;

/// Labels of the independent streams.
pub(crate) mod tag {
    pub const OUTLINE: u64 = 1;
    pub const RIVER: u64 = 2;
    pub const WIJK_SEEDS: u64 = 3;
    pub const BUURT_SEEDS: u64 = 4;
    pub const NAMES: u64 = 5;
    pub const FIELD: u64 = 6;
    pub const TRAITS: u64 = 7;
    pub const ROLES: u64 = 8;
    pub const STATIC_NOISE: u64 = 9;
    pub const YEAR_NOISE: u64 = 10;
    pub const GAPS: u64 = 11;
    pub const LEEFBAAROMETER: u64 = 12;
    pub const CRIME: u64 = 13;
    pub const STOCK: u64 = 14;
    pub const NATIONAL: u64 = 15;
    pub const SPLIT: u64 = 16;
}

/// SplitMix64 finaliser: a cheap, well-mixing 64-bit hash.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derives a 64-bit key from a seed and a path of labels.
pub(crate) fn key(seed: u64, labels: &[u64]) -> u64 {
    labels
        .iter()
        .fold(mix(seed), |h, &label| mix(h ^ mix(label)))
}

/// An independent random stream for `seed` and the label path `labels`.
pub(crate) fn stream(seed: u64, labels: &[u64]) -> Rng {
    Rng::seed_from_u64(key(seed, labels))
}

/// Distributions on top of any random generator.
pub(crate) trait Draw {
    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64;
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64;
    /// `true` with probability `p`.
    fn chance(&mut self, p: f64) -> bool;
    /// Uniform index in `0..n` (`n > 0`).
    fn index(&mut self, n: usize) -> usize;
    /// Poisson-distributed count with mean `lambda` (normal approximation above 30).
    fn poisson(&mut self, lambda: f64) -> u64;

    /// Normal with mean `mean` and standard deviation `sd`.
    fn gauss(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.normal()
    }

    /// Multiplicative log-normal factor with median 1 and log-sd `sd`.
    fn factor(&mut self, sd: f64) -> f64 {
        (sd * self.normal()).exp()
    }
}

impl<R: rand::Rng + ?Sized> Draw for R {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.random::<f64>()
    }

    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.random::<f64>();
        let u2 = self.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.random::<f64>() < p
    }

    fn index(&mut self, n: usize) -> usize {
        self.random_range(0..n)
    }

    fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            return self.gauss(lambda, lambda.sqrt()).round().max(0.0) as u64;
        }
        let limit = (-lambda).exp();
        let mut product = self.random::<f64>();
        let mut count = 0;
        while product > limit {
            product *= self.random::<f64>();
            count += 1;
        }
        count
    }
}

/// Fisher–Yates shuffle with our own index draw (stable across rand versions).
pub(crate) fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.index(i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_repeatable() {
        let a: f64 = stream(1, &[2, 3]).uniform(0.0, 1.0);
        let b: f64 = stream(1, &[2, 3]).uniform(0.0, 1.0);
        let c: f64 = stream(1, &[3, 2]).uniform(0.0, 1.0);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut rng = stream(7, &[1]);
        let n = 4000;
        let total: u64 = (0..n).map(|_| rng.poisson(4.0)).sum();
        let mean = total as f64 / n as f64;
        assert!((mean - 4.0).abs() < 0.2, "{mean}");
    }
}
