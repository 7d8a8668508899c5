//! Whole-number apportionment.

/// Splits `total` (a whole number) over `weights` into whole numbers (largest remainder).
pub(crate) fn split<const N: usize>(total: f64, weights: [f64; N]) -> [f64; N] {
    let mut parts = [0.0; N];
    let whole = apportion(total.max(0.0).round() as usize, &weights);
    for (p, w) in parts.iter_mut().zip(whole) {
        *p = w as f64;
    }
    parts
}

/// Apportions `total` over `weights` (largest remainder; ties to the lower index).
pub(crate) fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| total as f64 * w.max(0.0) / sum)
        .collect();
    let mut parts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - parts[a] as f64, exact[b] - parts[b] as f64);
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let missing = total.saturating_sub(parts.iter().sum());
    for &i in order.iter().cycle().take(missing) {
        parts[i] += 1;
    }
    parts
}

/// Apportions `total` over `weights` with every part within `min..=max`.
///
/// # Panics
/// When `total` cannot be reached within the bounds.
pub(crate) fn allocate(total: usize, weights: &[f64], min: usize, max: usize) -> Vec<usize> {
    let n = weights.len();
    assert!(
        n * min <= total && total <= n * max,
        "cannot allocate {total} over {n} parts"
    );
    let mut parts: Vec<usize> = apportion(total, weights)
        .into_iter()
        .map(|p| p.clamp(min, max))
        .collect();
    let ratio = |parts: &[usize], i: usize| parts[i] as f64 / weights[i].max(1e-12);
    loop {
        let sum: usize = parts.iter().sum();
        if sum == total {
            return parts;
        }
        let candidates = (0..n).filter(|&i| {
            if sum < total {
                parts[i] < max
            } else {
                parts[i] > min
            }
        });
        let pick = if sum < total {
            candidates.min_by(|&a, &b| ratio(&parts, a).total_cmp(&ratio(&parts, b)))
        } else {
            candidates.max_by(|&a, &b| ratio(&parts, a).total_cmp(&ratio(&parts, b)))
        }
        .expect("bounds checked above");
        if sum < total {
            parts[pick] += 1;
        } else {
            parts[pick] -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_preserves_total() {
        let parts = split(1001.0, [0.2, 0.3, 0.5]);
        assert_eq!(parts.iter().sum::<f64>(), 1001.0);
        assert_eq!(split(0.0, [1.0, 2.0]), [0.0, 0.0]);
    }

    #[test]
    fn allocate_respects_bounds() {
        let parts = allocate(20, &[10.0, 1.0, 1.0], 2, 12);
        assert_eq!(parts.iter().sum::<usize>(), 20);
        assert!(parts.iter().all(|&p| (2..=12).contains(&p)));
        assert_eq!(parts[0], 12);
    }
}
