//! The exit hazard on tenure duration, calibrated at set-up (docs/domain.md §4.5).
//!
//! A tenancy starting in year t faces, in each following year, the hazard `f·h1` while it
//! has lasted fewer than `W = venster_jaren` years and `f·h2` afterwards, `f` the factor of
//! the dwelling kind. Two targets fix the two unknowns:
//!
//! * new tenants leaving within W years: `Σ_k v_k (1 − (1 − f_k h1)^W) = vertrek_binnen_venster`
//!   (42 %, RIGO \[S40\] in docs/domain.md), `v_k` the share of new tenancies in kind k;
//! * the stock's turnover in steady state (renewal theory: one letting per mean tenancy):
//!   `Σ_k w_k / E_k[D] = mutatiegraad` (7 %, CBS \[S36\]), `w_k` the stock share, with
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
    /// the yearly exit hazard in the first `window` years of a tenancy (0–1)
    pub h1: f64,
    /// the yearly exit hazard after the window (0–1)
    pub h2: f64,
    /// the window, in years (`verloop.venster_jaren`)
    pub window: u32,
    /// hazard factor per dwelling kind (klein, meergezins, eengezins)
    pub factor: [f64; 3],
    /// ln(1 − f h1), ln(1 − f h2) per kind
    ln1: [f64; 3],
    ln2: [f64; 3],
    /// stationary distribution of elapsed duration per kind (cumulative, years 0..)
    stationary: Vec<Vec<f64>>,
    /// table samplers giving exactly the draws of the formulas above (speed: no `ln`, no
    /// binary search per draw)
    geo1: [Geometric; 3],
    geo2: [Geometric; 3],
    elapsed: [Guide; 3],
}

/// `floor(ln U / ln(1 − p))` for U uniform in (0, 1] — the number of years survived at a
/// yearly hazard `p` — without a logarithm per draw, with exactly the value of the formula:
/// the largest U giving each count is found once (bisection on the bits of the double, the
/// formula being monotone in U), and a draw looks its U up in a guide table. U below 1/1024
/// (one draw in a thousand) falls back to the formula.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Geometric {
    ln: f64,
    /// thr[k]: the largest U whose count is ≥ k (decreasing; thr[0] = 1)
    thr: Vec<f64>,
    /// guide[j]: the count at U = (j + 1) / GUIDE, a lower bound for U in [j, j + 1) / GUIDE
    /// (u16: the tables stop below 1/GUIDE, so counts stay small and the table in L1)
    guide: Vec<u16>,
}

const GUIDE: usize = 1024;

impl Geometric {
    /// The formula itself (the table's reference).
    #[inline]
    fn formula(ln: f64, u: f64) -> u32 {
        let x = u.ln() / ln;
        if x > 1e6 { 1_000_000 } else { x as u32 }
    }

    /// The sampler for `ln = ln(1 − p)` (negative; 0 or NaN = never leaves).
    pub fn new(ln: f64) -> Geometric {
        let mut g = Geometric {
            ln,
            thr: vec![1.0],
            guide: Vec::new(),
        };
        // p below 1 %: the table would be long; the formula is used
        if ln.is_nan() || ln > -0.01 {
            return g;
        }
        let floor = 1.0 / GUIDE as f64;
        // thresholds until they pass below the guide's first bucket
        loop {
            let k = g.thr.len() as u32;
            // largest u in (0, 1] with formula(u) ≥ k: formula is non-increasing in u
            let (mut lo, mut hi) = (f64::MIN_POSITIVE.to_bits(), 1.0f64.to_bits());
            if Self::formula(ln, f64::from_bits(lo)) < k {
                break;
            }
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if Self::formula(ln, f64::from_bits(mid)) >= k {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let t = f64::from_bits(lo);
            g.thr.push(t);
            if t < floor {
                break;
            }
        }
        g.guide = (0..GUIDE)
            .map(|j| {
                g.count((j + 1) as f64 / GUIDE as f64, 0)
                    .min(u32::from(u16::MAX)) as u16
            })
            .collect();
        g
    }

    /// The count for `u` by a linear walk from `k` (a lower bound).
    #[inline]
    fn count(&self, u: f64, mut k: u32) -> u32 {
        while (k as usize + 1) < self.thr.len() && u <= self.thr[k as usize + 1] {
            k += 1;
        }
        k
    }

    /// The count for `u` in (0, 1].
    #[inline]
    pub fn at(&self, u: f64) -> u32 {
        if self.guide.is_empty() {
            return if self.ln.is_nan() || self.ln >= 0.0 {
                u32::MAX
            } else {
                Self::formula(self.ln, u)
            };
        }
        let j = (u * GUIDE as f64) as usize;
        if j == 0 {
            return Self::formula(self.ln, u);
        }
        // u in [j/G, (j+1)/G): the count at (j+1)/G is a lower bound (u = 1: count 0)
        let k = if j < GUIDE {
            u32::from(self.guide[j])
        } else {
            0
        };
        self.count(u, k)
    }

    /// A draw: `floor(ln U / ln(1 − p))` with U = 1 − (a uniform double in [0, 1)).
    #[inline]
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> u32 {
        let u: f64 = 1.0 - rng.random::<f64>();
        self.at(u)
    }
}

/// The index `partition_point(|c| c <= u)` in a cumulative distribution, found from a guide
/// table (the same index as the binary search).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guide {
    cum: Vec<f64>,
    guide: Vec<u16>,
}

impl Guide {
    /// A guide table over `cum`, a cumulative distribution (ascending, ending at 1).
    pub fn new(cum: &[f64]) -> Guide {
        let guide = (0..GUIDE)
            .map(|j| {
                cum.partition_point(|&c| c <= j as f64 / GUIDE as f64)
                    .min(usize::from(u16::MAX)) as u16
            })
            .collect();
        Guide {
            cum: cum.to_vec(),
            guide,
        }
    }

    /// The index for `u` in [0, 1).
    #[inline]
    pub fn at(&self, u: f64) -> usize {
        let j = ((u * GUIDE as f64) as usize).min(GUIDE - 1);
        let mut k = self.guide[j] as usize;
        while k < self.cum.len() && self.cum[k] <= u {
            k += 1;
        }
        k
    }
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
        let stationary: Vec<Vec<f64>> = (0..3)
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
        let elapsed = [0, 1, 2].map(|k: usize| Guide::new(&stationary[k]));
        Ok(Hazard {
            h1,
            h2,
            window: win,
            factor,
            ln1,
            ln2,
            geo1: ln1.map(Geometric::new),
            geo2: ln2.map(Geometric::new),
            elapsed,
            stationary,
        })
    }

    /// Years until the tenancy ends (≥ 1) for a tenancy of kind `k` that has lasted
    /// `elapsed` full years.
    #[inline]
    pub fn draw_remaining(&self, k: u8, elapsed: u32, rng: &mut ChaCha8Rng) -> u32 {
        let k = k as usize;
        if elapsed < self.window {
            let k1 = self.geo1[k].draw(rng);
            if elapsed + k1 < self.window {
                return k1 + 1;
            }
            let before = self.window - elapsed;
            return before + self.geo2[k].draw(rng) + 1;
        }
        self.geo2[k].draw(rng) + 1
    }

    /// The same draw by the formula (reference for the tables' test).
    #[cfg(test)]
    fn draw_remaining_formula(&self, k: u8, elapsed: u32, rng: &mut ChaCha8Rng) -> u32 {
        let k = k as usize;
        let geo = |ln: f64, rng: &mut ChaCha8Rng| -> u32 {
            // number of survived years before the exit year: floor(ln U / ln(1 − p))
            let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
            Geometric::formula(ln, u)
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
    #[inline]
    pub fn draw_elapsed(&self, k: u8, rng: &mut ChaCha8Rng) -> u32 {
        let u: f64 = rng.random();
        let s = &self.stationary[k as usize];
        self.elapsed[k as usize].at(u).min(s.len() - 1) as u32
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
    fn tables_give_exactly_the_formulas_draws() {
        let a = Aannames::embedded();
        let h = Hazard::calibrate(&a.verloop, [4000.0, 12000.0, 6000.0]).unwrap();
        let mut r1 = ChaCha8Rng::seed_from_u64(9);
        let mut r2 = ChaCha8Rng::seed_from_u64(9);
        for i in 0..300_000u32 {
            let (k, e) = ((i % 3) as u8, i % 9);
            assert_eq!(
                h.draw_remaining(k, e, &mut r1),
                h.draw_remaining_formula(k, e, &mut r2)
            );
        }
        for (k, s) in h.stationary.iter().enumerate() {
            for i in 0..100_000 {
                let u = f64::from(i) / 100_000.0;
                assert_eq!(h.elapsed[k].at(u), s.partition_point(|&c| c <= u));
            }
            // and right at the steps
            for &c in s {
                for u in [
                    c,
                    f64::from_bits(c.to_bits() - 1),
                    f64::from_bits(c.to_bits() + 1),
                ] {
                    if (0.0..1.0).contains(&u) {
                        assert_eq!(h.elapsed[k].at(u), s.partition_point(|&c| c <= u));
                    }
                }
            }
        }
        for p in [0.08, 0.3, 0.01, 0.9] {
            let g = Geometric::new((1.0f64 - p).ln());
            for i in 1..=200_000u32 {
                let u = f64::from(i) / 200_000.0;
                assert_eq!(
                    g.at(u),
                    Geometric::formula((1.0f64 - p).ln(), u),
                    "p {p} u {u}"
                );
            }
            for &t in &g.thr {
                for u in [t, f64::from_bits(t.to_bits() + 1)] {
                    if u <= 1.0 {
                        assert_eq!(g.at(u), Geometric::formula((1.0f64 - p).ln(), u));
                    }
                }
            }
        }
        assert_eq!(Geometric::new(0.0).at(0.5), u32::MAX);
        let g = Geometric::new((1.0f64 - 0.001).ln());
        assert_eq!(g.at(0.3), Geometric::formula((1.0f64 - 0.001).ln(), 0.3));
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
