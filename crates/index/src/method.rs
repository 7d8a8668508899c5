//! The numeric steps, each documented once with its formula: percentile rank,
//! z-score, min–max, goalposts, the IMD exponential transform, skewness,
//! kurtosis and COINr-style outlier treatment.

/// Percentile rank of `x` against a sorted reference, ties at the lower rank (CDC SVI):
/// `(rank − 1)/(N − 1)` where `rank − 1` = number of reference values strictly below `x`.
/// Returns a value in [0, 1]; with one reference value, 0.5 when equal.
pub fn percentile_rank(sorted_ref: &[f64], x: f64) -> f64 {
    let n = sorted_ref.len();
    if n <= 1 {
        return 0.5;
    }
    let below = sorted_ref.partition_point(|&r| r < x);
    (below as f64 / (n - 1) as f64).min(1.0)
}

/// Share of reference values at or below `x` (used for the IMD rank R in (0, 1]).
pub fn rank_share(sorted_ref: &[f64], x: f64) -> f64 {
    let n = sorted_ref.len();
    if n == 0 {
        return 0.5;
    }
    let at_or_below = sorted_ref.partition_point(|&r| r <= x);
    (at_or_below.max(1) as f64 / n as f64).min(1.0)
}

/// The English IMD exponential transform of a rank share R ∈ (0, 1]:
/// `X = −23 · ln(1 − R · (1 − e^(−100/23)))`, so X(1) = 100 and the top of the
/// distribution is stretched.
pub fn imd_transform(r: f64) -> f64 {
    -23.0 * (1.0 - r * (1.0 - (-100.0f64 / 23.0).exp())).ln()
}

/// Mean and population standard deviation.
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Sample skewness, the adjusted Fisher–Pearson coefficient G1 (as Excel's SKEW and
/// R e1071 type 2): `g1 · √(n(n−1))/(n−2)` with `g1 = m3 / m2^1.5`.
pub fn skewness(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if v.len() < 3 {
        return 0.0;
    }
    let mean = v.iter().sum::<f64>() / n;
    let m2 = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m3 = v.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n;
    if m2 == 0.0 {
        return 0.0;
    }
    let g1 = m3 / m2.powf(1.5);
    g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
}

/// Sample excess kurtosis G2 (as Excel's KURT and R e1071 type 2):
/// `((n+1) g2 + 6) (n−1) / ((n−2)(n−3))` with `g2 = m4/m2² − 3`.
pub fn kurtosis(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if v.len() < 4 {
        return 0.0;
    }
    let mean = v.iter().sum::<f64>() / n;
    let m2 = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m4 = v.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n;
    if m2 == 0.0 {
        return 0.0;
    }
    let g2 = m4 / (m2 * m2) - 3.0;
    ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
}

/// What outlier treatment did to one indicator.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Treated {
    /// Within thresholds; untouched.
    Untouched,
    /// Winsorised: values above `high` (or below `low`) set to it; `points` values changed.
    Winsorised {
        /// Lower clamp (−∞ when not used).
        low: f64,
        /// Upper clamp (+∞ when not used).
        high: f64,
        /// Number of points winsorised.
        points: usize,
    },
    /// Winsorising ≤ 5 points did not bring the distribution within thresholds: log(x − min + 1).
    Log {
        /// The reference minimum used in the shift.
        min: f64,
    },
}

impl Treated {
    /// Applies the treatment to one value.
    pub fn apply(&self, x: f64) -> f64 {
        match *self {
            Treated::Untouched => x,
            Treated::Winsorised { low, high, .. } => x.clamp(low, high),
            Treated::Log { min } => (x - min + 1.0).max(f64::MIN_POSITIVE).ln(),
        }
    }
}

/// COINr's default treatment thresholds.
pub const MAX_SKEW: f64 = 2.0;
/// COINr's default kurtosis threshold.
pub const MAX_KURT: f64 = 3.5;
/// At most this many points are winsorised.
pub const MAX_WINSOR: usize = 5;

/// Decides the COINr treatment for a reference distribution: while |skew| > 2 and
/// kurtosis > 3.5, winsorise the most extreme value on the skewed side to the next
/// one (at most 5 points); if still outside, log-transform instead.
pub fn coinr_treatment(values: &[f64]) -> Treated {
    let out = |v: &[f64]| skewness(v).abs() > MAX_SKEW && kurtosis(v) > MAX_KURT;
    if values.len() < 4 || !out(values) {
        return Treated::Untouched;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let (mut low, mut high) = (f64::NEG_INFINITY, f64::INFINITY);
    for points in 1..=MAX_WINSOR.min(n - 1) {
        if skewness(&v) > 0.0 {
            // clamp the top `points` values to the next one down
            high = v[n - 1 - points];
            for x in v.iter_mut().rev().take(points) {
                *x = high;
            }
        } else {
            low = v[points];
            for x in v.iter_mut().take(points) {
                *x = low;
            }
        }
        if !out(&v) {
            return Treated::Winsorised { low, high, points };
        }
    }
    Treated::Log {
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svi_percentile_oracle() {
        let r = [10.0, 20.0, 20.0, 40.0];
        let p: Vec<f64> = r.iter().map(|&x| percentile_rank(&r, x)).collect();
        assert_eq!(p, vec![0.0, 1.0 / 3.0, 1.0 / 3.0, 1.0]);
    }

    #[test]
    fn imd_transform_oracle() {
        assert!((imd_transform(1.0) - 100.0).abs() < 1e-9);
        assert!(
            (imd_transform(0.5) - 15.6468).abs() < 1e-4,
            "{}",
            imd_transform(0.5)
        );
        assert!(
            (imd_transform(0.9) - 50.4267).abs() < 1e-4,
            "{}",
            imd_transform(0.9)
        );
        assert!(
            (imd_transform(0.1) - 2.3903).abs() < 1e-4,
            "{}",
            imd_transform(0.1)
        );
    }

    #[test]
    fn skew_and_kurtosis_match_excel() {
        // Excel SKEW/KURT and pandas .skew()/.kurt() of [1,2,3,4,10]: 1.69706, 3.152 (type-2 estimators)
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((skewness(&v) - 1.697_056).abs() < 1e-5, "{}", skewness(&v));
        assert!((kurtosis(&v) - 3.152).abs() < 1e-9, "{}", kurtosis(&v));
    }

    #[test]
    fn coinr_thresholds() {
        // A symmetric distribution is untouched.
        let sym: Vec<f64> = (0..50).map(|i| i as f64).collect();
        assert_eq!(coinr_treatment(&sym), Treated::Untouched);
        // One extreme outlier: |skew| > 2 and kurtosis > 3.5 → winsorised with one point.
        let mut one: Vec<f64> = (0..50).map(|i| (i % 10) as f64).collect();
        one.push(1000.0);
        assert!(skewness(&one) > MAX_SKEW && kurtosis(&one) > MAX_KURT);
        match coinr_treatment(&one) {
            Treated::Winsorised { points, high, .. } => assert_eq!((points, high), (1, 9.0)),
            t => panic!("{t:?}"),
        }
        // A heavy tail that 5 points cannot fix is log-transformed.
        let heavy: Vec<f64> = (0..60)
            .map(|i| {
                if i < 48 {
                    1.0 + (i % 3) as f64
                } else {
                    10f64.powi(i - 46)
                }
            })
            .collect();
        assert!(
            matches!(coinr_treatment(&heavy), Treated::Log { .. }),
            "{:?}",
            coinr_treatment(&heavy)
        );
    }
}
