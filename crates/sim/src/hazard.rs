//! The exit hazard on tenure duration, calibrated at set-up (domain.md §4.5).
//!
//! A tenancy starting in year t faces, in each following year, the hazard `f·h1` while it
//! has lasted fewer than `W = venster_jaren` years and `f·h2` afterwards, `f` the factor of
//! the dwelling kind. Two targets fix the two unknowns:
//!
//! * new tenants leaving within W years: `Σ_k v_k (1 − (1 − f_k h1)^W) = vertrek_binnen_venster`
//!   (42 %, RIGO [S40]), `v_k` the share of new tenancies in kind k;
//! * the stock's turnover in steady state (renewal theory: one letting per mean tenancy):
//!   `Σ_k w_k / E_k[D] = mutatiegraad` (7 %, CBS [S36]), `w_k` the stock share, with
//!   `E_k[D] = Σ_{d<W} (1 − f_k h1)^d + (1 − f_k h1)^W / (f_k h2)`.
//!
//! Both equations are monotone in their unknown; they are solved by bisection, alternating
//! with the update `v_k ∝ w_k / E_k[D]` until the shares settle. Durations are drawn in one
//! go when a tenancy starts (two geometric draws), so a year only touches the tenancies that
//! end in it; the starting population is drawn from the stationary duration distribution.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::SimError;
use crate::rules::Verloop;

/// The calibrated hazard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hazard {
    pub h1: f64,
    pub h2: f64,
    pub window: u32,
    /// hazard factor per dwelling kind (klein, meergezins, eengezins)
    pub factor: [f64; 3],
    /// ln(1 − f h1), ln(1 − f h2) per kind
    ln1: [f64; 3],
    ln2: [f64; 3],
    /// stationary distribution of elapsed duration per kind (cumulative, years 0..)
    stationary: Vec<Vec<f64>>,
}

fn mean_duration(p1: f64, p2: f64, w: u32) -> f64 {
    let q = 1.0 - p1;
    let mut s = 0.0;
    let mut qd = 1.0;
    for _ in 0..w {
        s += qd;
        qd *= q;
    }
    s + qd / p2
}

fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    // f increasing in x; find f(x) = 0
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

impl Hazard {
    /// Solves h1 and h2 for the targets of `v`, with `stock[k]` dwellings of kind k.
    pub fn calibrate(v: &Verloop, stock: [f64; 3]) -> Result<Hazard, SimError> {
        let factor = [v.factor_klein, v.factor_meergezins, v.factor_eengezins];
        let total: f64 = stock.iter().sum::<f64>().max(1e-12);
        let w: Vec<f64> = stock.iter().map(|x| x / total).collect();
        let fmax = factor
            .iter()
            .zip(&w)
            .filter(|(_, w)| **w > 0.0)
            .map(|(f, _)| *f)
            .fold(0.0, f64::max);
        let top = 0.999 / fmax;
        let win = v.venster_jaren;
        let mut share_new = w.clone();
        let (mut h1, mut h2) = (0.1, 0.05);
        for _ in 0..100 {
            h1 = bisect(1e-9, top, |h| {
                (0..3)
                    .map(|k| share_new[k] * (1.0 - (1.0 - factor[k] * h).powi(win as i32)))
                    .sum::<f64>()
                    - v.vertrek_binnen_venster
            });
            let turnover = |h: f64| -> f64 {
                (0..3)
                    .map(|k| w[k] / mean_duration(factor[k] * h1, factor[k] * h, win))
                    .sum()
            };
            if turnover(top) < v.mutatiegraad || turnover(1e-9) > v.mutatiegraad {
                return Err(SimError::new(
                    "data/sim/aannames.toml",
                    "verloop.mutatiegraad",
                    format!(
                        "turnover {} cannot be reached with {} leaving within {} years (range {:.4}–{:.4})",
                        v.mutatiegraad,
                        v.vertrek_binnen_venster,
                        win,
                        turnover(1e-9),
                        turnover(top)
                    ),
                    "raise mutatiegraad or lower vertrek_binnen_venster (the early exits alone already give more or less turnover)",
                ));
            }
            h2 = bisect(1e-9, top, |h| turnover(h) - v.mutatiegraad);
            let new: Vec<f64> = (0..3)
                .map(|k| w[k] / mean_duration(factor[k] * h1, factor[k] * h2, win))
                .collect();
            let s: f64 = new.iter().sum();
            let new: Vec<f64> = new.iter().map(|x| x / s).collect();
            let diff: f64 = new.iter().zip(&share_new).map(|(a, b)| (a - b).abs()).sum();
            share_new = new;
            if diff < 1e-13 {
                break;
            }
        }
        let ln1 = factor.map(|f| (1.0 - f * h1).ln());
        let ln2 = factor.map(|f| (1.0 - f * h2).ln());
        let stationary = (0..3)
            .map(|k| {
                // P(elapsed = a) ∝ P(D > a)
                let mut s = Vec::new();
                let mut surv = 1.0;
                let mut acc = 0.0;
                for a in 0..200u32 {
                    acc += surv;
                    s.push(acc);
                    let p = if a < win {
                        factor[k] * h1
                    } else {
                        factor[k] * h2
                    };
                    surv *= 1.0 - p;
                }
                let t = acc;
                s.iter_mut().for_each(|x| *x /= t);
                s
            })
            .collect();
        Ok(Hazard {
            h1,
            h2,
            window: win,
            factor,
            ln1,
            ln2,
            stationary,
        })
    }

    /// Years until the tenancy ends (≥ 1) for a tenancy of kind `k` that has lasted
    /// `elapsed` full years.
    #[inline]
    pub fn draw_remaining(&self, k: u8, elapsed: u32, rng: &mut ChaCha8Rng) -> u32 {
        let k = k as usize;
        let geo = |ln: f64, rng: &mut ChaCha8Rng| -> u32 {
            // number of survived years before the exit year: floor(ln U / ln(1 − p))
            let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
            let x = u.ln() / ln;
            if x > 1e6 { 1_000_000 } else { x as u32 }
        };
        if elapsed < self.window {
            let k1 = geo(self.ln1[k], rng);
            if elapsed + k1 < self.window {
                return k1 + 1;
            }
            let before = self.window - elapsed;
            return before + geo(self.ln2[k], rng) + 1;
        }
        geo(self.ln2[k], rng) + 1
    }

    /// Elapsed years of a tenancy of kind `k` drawn from the stationary distribution.
    pub fn draw_elapsed(&self, k: u8, rng: &mut ChaCha8Rng) -> u32 {
        let u: f64 = rng.random();
        let s = &self.stationary[k as usize];
        s.partition_point(|&c| c <= u).min(s.len() - 1) as u32
    }

    /// Mean steady-state turnover and the share of new tenants leaving within the window,
    /// for stock shares `w` (the two calibration targets, for checks).
    pub fn targets(&self, stock: [f64; 3]) -> (f64, f64) {
        let total: f64 = stock.iter().sum();
        let w: Vec<f64> = stock.iter().map(|x| x / total).collect();
        let md: Vec<f64> = (0..3)
            .map(|k| {
                mean_duration(
                    self.factor[k] * self.h1,
                    self.factor[k] * self.h2,
                    self.window,
                )
            })
            .collect();
        let turnover: f64 = (0..3).map(|k| w[k] / md[k]).sum();
        let v: Vec<f64> = (0..3).map(|k| w[k] / md[k] / turnover).collect();
        let early: f64 = (0..3)
            .map(|k| v[k] * (1.0 - (1.0 - self.factor[k] * self.h1).powi(self.window as i32)))
            .sum();
        (turnover, early)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Aannames;
    use rand::SeedableRng;

    #[test]
    fn calibration_meets_both_targets_analytically_and_by_simulation() {
        let a = Aannames::embedded();
        let stock = [4000.0, 12000.0, 6000.0];
        let h = Hazard::calibrate(&a.verloop, stock).unwrap();
        let (turnover, early) = h.targets(stock);
        assert!((turnover - 0.07).abs() < 1e-9, "{turnover}");
        assert!((early - 0.42).abs() < 1e-9, "{early}");
        assert!(h.h1 > h.h2, "early hazard above the later one: {h:?}");
        // draw new tenancies: share ending within 5 years per kind, weighted by new lettings
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 200_000;
        for k in 0..3u8 {
            let within = (0..n)
                .filter(|_| h.draw_remaining(k, 0, &mut rng) <= 5)
                .count() as f64
                / n as f64;
            let expect = 1.0 - (1.0 - h.factor[k as usize] * h.h1).powi(5);
            assert!(
                (within - expect).abs() < 0.005,
                "kind {k}: {within} vs {expect}"
            );
        }
        // the stationary population: share ending in the first year ≈ the turnover
        let mut exits = 0.0;
        let mut total = 0.0;
        for (k, &s) in stock.iter().enumerate() {
            let m = (s / 100.0) as usize;
            for _ in 0..m {
                let e = h.draw_elapsed(k as u8, &mut rng);
                if h.draw_remaining(k as u8, e, &mut rng) == 1 {
                    exits += 1.0;
                }
                total += 1.0;
            }
        }
        let _ = (exits, total);
        let mut exits = 0usize;
        let mut total = 0usize;
        for (k, &s) in stock.iter().enumerate() {
            for _ in 0..(s as usize * 20) {
                let e = h.draw_elapsed(k as u8, &mut rng);
                if h.draw_remaining(k as u8, e, &mut rng) == 1 {
                    exits += 1;
                }
                total += 1;
            }
        }
        let t = exits as f64 / total as f64;
        assert!((t - 0.07).abs() < 0.002, "stationary first-year exits {t}");
    }

    #[test]
    fn infeasible_targets_name_the_key() {
        let mut v = Aannames::embedded().verloop;
        v.mutatiegraad = 0.5;
        let e = Hazard::calibrate(&v, [1.0, 1.0, 1.0])
            .unwrap_err()
            .to_string();
        assert!(e.contains("verloop.mutatiegraad"), "{e}");
    }
}
