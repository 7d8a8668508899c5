//! Small numeric helpers: mean, population standard deviation, the normal tail, and the
//! multiple-testing cut-offs (Benjamini–Hochberg FDR as esda's `fdr`, Bonferroni).

/// Arithmetic mean (NaN for no values).
pub fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Population standard deviation (ddof 0, as numpy's `std`).
pub fn std_pop(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

/// Upper tail of the standard normal, P(Z > z), accurate in the far tail (erfc).
pub fn norm_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// esda's `fdr(pvalues, alpha)`: the largest `k·α/n` with `p₍ₖ₎ < k·α/n` over the sorted
/// p-values (Benjamini–Hochberg), or `α/n` when there is none. A unit is significant when
/// its p-value is at most this cut-off.
pub fn fdr(p: &[f64], alpha: f64) -> f64 {
    let n = p.len();
    if n == 0 {
        return alpha;
    }
    let mut s: Vec<f64> = p.iter().copied().filter(|x| !x.is_nan()).collect();
    s.sort_by(f64::total_cmp);
    for k in (1..=s.len()).rev() {
        let cut = k as f64 * alpha / n as f64;
        if s[k - 1] < cut {
            return cut;
        }
    }
    alpha / n as f64
}

/// Bonferroni: `α / n`.
pub fn bonferroni(n: usize, alpha: f64) -> f64 {
    alpha / n.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_tail_values() {
        assert!((norm_sf(0.0) - 0.5).abs() < 1e-16);
        assert!((norm_sf(1.959_963_984_540_054) - 0.025).abs() < 1e-15);
        // scipy.stats.norm.sf(8) = 6.22096057427178e-16
        assert!((norm_sf(8.0) / 6.220_960_574_271_78e-16 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn fdr_as_esda() {
        // esda.fdr([0.5, 0.03, 0.001, 0.04, 0.01], 0.05) = 0.030000000000000006: in floating
        // point 0.03 < 3 · 0.05 / 5, so the third p-value passes (exactly it would not).
        assert_eq!(
            fdr(&[0.5, 0.03, 0.001, 0.04, 0.01], 0.05),
            0.030_000_000_000_000_006
        );
        assert_eq!(fdr(&[0.9, 0.8], 0.05), 0.025);
        assert_eq!(bonferroni(10, 0.05), 0.005);
    }
}
