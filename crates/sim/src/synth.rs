//! Synthesis of the sitting corporation households per buurt from KWB marginals.
//!
//! Per buurt a 3 × 4 table household size (1, 2, 3+) × income class is fitted by iterative
//! proportional fitting (IPF, Deming–Stephan) to
//! * the size marginal of the buurt: KWB `a_1p_hh`, `a_hh_z_k` (no children, taken as 2),
//!   `a_hh_m_k` (with children, 3+), and
//! * an income marginal of its corporation tenants: I0 (huurtoeslag/passend income) =
//!   `aandeel_i0 × p_hh_li / mean`, I3 (above the middle-income limit) =
//!   `aandeel_i3 × p_hh_hi / mean`, both clamped, I1/I2 splitting the rest as the prior does,
//!
//! starting from the national prior of `[synthese]` in `data/sim/aannames.toml` (which carries
//! the size–income association the marginals cannot). Households are then drawn from the
//! fitted table: AOW age with the buurt's 65+ share × `aow_factor`; benefits (no income from
//! work) with the buurt's benefits rate (`a_soz_wb + a_soz_ao + a_soz_ww` per household) ×
//! `uitkering_factor[class]`; the drawn ("kenmerk") vulnerability groups with
//! `zittend × (buurt benefits rate / regional mean)^buurtgevoeligheid × klassefactor[class]`.
//! The same seed gives the same population. Missing KWB values take the regional mean.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::rules::{Aannames, Bron, Periode};

/// The marginals of one buurt (NaN = missing in the KWB files).
#[derive(Debug, Clone, PartialEq)]
pub struct Marginals {
    /// households of 1, 2, 3+ persons (counts or shares)
    pub size: [f64; 3],
    /// KWB `p_hh_li`: percentage of households with the lowest incomes
    pub p_hh_li: f64,
    /// KWB `p_hh_hi`: percentage of households with the highest incomes
    pub p_hh_hi: f64,
    /// benefit recipients (bijstand, AO, WW: `a_soz_wb` + `a_soz_ao` + `a_soz_ww`) per
    /// household
    pub benefit_rate: f64,
    /// share of residents aged 65 or older (`a_65_oo` / `a_inw`)
    pub aow_share: f64,
    /// KWB `a_hh`: households in the buurt (the corporation stock when missing)
    pub a_hh: f64,
}

impl Marginals {
    /// From KWB values (`g(key)`); `n_corp` is the corporation stock (for a_hh when missing).
    pub fn from_kwb(g: &dyn Fn(&str) -> Option<f64>, n_corp: usize) -> Marginals {
        let nan = f64::NAN;
        let a_hh = g("a_hh").unwrap_or(nan);
        let size = match (g("a_1p_hh"), g("a_hh_z_k"), g("a_hh_m_k")) {
            (Some(a), Some(b), Some(c)) if a + b + c > 0.0 => [a, b, c],
            _ => [nan; 3],
        };
        let benefit_rate = match (g("a_soz_wb"), g("a_soz_ao"), g("a_soz_ww")) {
            (Some(a), Some(b), Some(c)) if a_hh > 0.0 => (a + b + c) / a_hh,
            _ => nan,
        };
        let aow_share = match (g("a_65_oo"), g("a_inw")) {
            (Some(a), Some(i)) if i > 0.0 => a / i,
            _ => nan,
        };
        Marginals {
            size,
            p_hh_li: g("p_hh_li").unwrap_or(nan),
            p_hh_hi: g("p_hh_hi").unwrap_or(nan),
            benefit_rate,
            aow_share,
            a_hh: if a_hh.is_nan() { n_corp as f64 } else { a_hh },
        }
    }
}

/// Replaces missing values by the mean over buurten that have them (national defaults when
/// none has: 40 % lowest incomes, 20 % highest, sizes 45/30/25, benefits 0.15, AOW 0.2).
pub fn fill_missing(ms: &mut [Marginals], d: &crate::rules::Marginalen) {
    let mean = |f: &dyn Fn(&Marginals) -> f64, default: f64| {
        let v: Vec<f64> = ms.iter().map(f).filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            default
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let li = mean(&|m| m.p_hh_li, d.p_hh_li);
    let hi = mean(&|m| m.p_hh_hi, d.p_hh_hi);
    let br = mean(&|m| m.benefit_rate, d.uitkering);
    let aow = mean(&|m| m.aow_share, d.aow);
    let share = |m: &Marginals, i: usize| m.size[i] / m.size.iter().sum::<f64>();
    let sz = [
        mean(&|m| share(m, 0), d.grootte[0]),
        mean(&|m| share(m, 1), d.grootte[1]),
        mean(&|m| share(m, 2), d.grootte[2]),
    ];
    for m in ms.iter_mut() {
        if !m.p_hh_li.is_finite() {
            m.p_hh_li = li;
        }
        if !m.p_hh_hi.is_finite() {
            m.p_hh_hi = hi;
        }
        if !m.benefit_rate.is_finite() {
            m.benefit_rate = br;
        }
        if !m.aow_share.is_finite() {
            m.aow_share = aow;
        }
        if !m.size.iter().all(|x| x.is_finite()) {
            m.size = sz;
        }
    }
    // the means used for scaling are stored in the first element's neighbours through the
    // regional mean functions below (no hidden state)
}

/// Regional mean benefits rate (unweighted over buurten).
pub fn mean_benefit_rate(ms: &[Marginals]) -> f64 {
    ms.iter().map(|m| m.benefit_rate).sum::<f64>() / ms.len().max(1) as f64
}

fn mean_of(ms_mean: f64) -> f64 {
    ms_mean.max(1e-9)
}

/// Index of the class a uniform `u` falls in, for shares `w` (need not add up to 1).
pub fn pick(w: &[f64], u: f64) -> usize {
    let total: f64 = w.iter().sum();
    let mut acc = 0.0;
    for (i, x) in w.iter().enumerate() {
        acc += x / total;
        if u < acc {
            return i;
        }
    }
    w.len() - 1
}

/// A yearly gross income inside income class `inc` for a household of size class `size`
/// (uniform within the class bounds of the rules; I0 from `invulling.inkomen_min`, I3 up to
/// `invulling.inkomen_i3_max_factor` × the middle-income limit).
pub fn income_in_class(
    r: &Periode,
    v: &crate::rules::Invulling,
    inc: u8,
    size: u8,
    aow: bool,
    u: f64,
) -> f64 {
    let one = size == 0;
    let passend = match (one, aow) {
        (true, false) => r.passend_inkomen_1p,
        (false, false) => r.passend_inkomen_mp,
        (true, true) => r.passend_inkomen_1p_aow,
        (false, true) => r.passend_inkomen_mp_aow,
    };
    let daeb = if one {
        r.daeb_inkomensgrens_1p
    } else {
        r.daeb_inkomensgrens_mp
    };
    let midden = if one {
        r.midden_inkomensgrens_1p
    } else {
        r.midden_inkomensgrens_mp
    };
    let (lo, hi) = match inc {
        0 => (v.inkomen_min, passend),
        1 => (passend, daeb),
        2 => (daeb, midden),
        _ => (midden, midden * v.inkomen_i3_max_factor),
    };
    lo + (hi - lo) * u
}

/// IPF of `prior` (rows: size, columns: income) to row sums `rows` and column sums `cols`
/// (both shares adding up to 1). Returns the fitted table (adds up to 1).
pub fn ipf(prior: &[[f64; 4]; 3], rows: [f64; 3], cols: [f64; 4]) -> [[f64; 4]; 3] {
    let mut t = *prior;
    for _ in 0..100 {
        for (i, row) in t.iter_mut().enumerate() {
            let s: f64 = row.iter().sum();
            if s > 0.0 {
                row.iter_mut().for_each(|x| *x *= rows[i] / s);
            }
        }
        let mut worst: f64 = 0.0;
        for j in 0..4 {
            let s: f64 = t.iter().map(|r| r[j]).sum();
            worst = worst.max((s - cols[j]).abs());
            if s > 0.0 {
                t.iter_mut().for_each(|r| r[j] *= cols[j] / s);
            }
        }
        if worst < 1e-10 {
            break;
        }
    }
    t
}

/// A synthesised household.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Household {
    /// size class: 0 one person, 1 two, 2 three or more
    pub size: u8,
    /// income class 0–3 (I0 huurtoeslag income … I3 high)
    pub inc: u8,
    /// at AOW age
    pub aow: bool,
    /// income from work or pension
    pub work: bool,
    /// bit set of the groups it belongs to ([`crate::Model::groep_ids`])
    pub groups: u16,
}

/// The income marginal of the corporation tenants of a buurt (see the module docs).
pub fn income_marginal(m: &Marginals, a: &Aannames, mean_li: f64, mean_hi: f64) -> [f64; 4] {
    let s = &a.synthese;
    let i0 = (s.aandeel_i0 * m.p_hh_li / mean_of(mean_li)).clamp(0.05, 0.95);
    let i3 = (s.aandeel_i3 * m.p_hh_hi / mean_of(mean_hi)).clamp(0.0, 0.2);
    let prior_cols: Vec<f64> = (0..4).map(|j| s.prior.iter().map(|r| r[j]).sum()).collect();
    let rest = (1.0 - i0 - i3).max(0.0);
    let w12 = prior_cols[1] + prior_cols[2];
    [
        i0,
        rest * prior_cols[1] / w12,
        rest * prior_cols[2] / w12,
        i3,
    ]
}

/// Draws `n` households for a buurt.
pub fn households(
    m: &Marginals,
    mean_rate: f64,
    a: &Aannames,
    _r: &Periode,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Household> {
    // the regional means for the income marginal are the national anchors 40 % / 20 %
    // (p_hh_li is the share in the lowest 40 % nationally, p_hh_hi in the highest 20 %)
    let cols = income_marginal(m, a, 40.0, 20.0);
    let total: f64 = m.size.iter().sum();
    let rows = [m.size[0] / total, m.size[1] / total, m.size[2] / total];
    let t = ipf(&a.synthese.prior, rows, cols);
    let cells: Vec<f64> = t.iter().flat_map(|r| r.iter().copied()).collect();
    let rel = m.benefit_rate / mean_rate.max(1e-9);
    let aow_p = (m.aow_share * a.synthese.aow_factor).clamp(0.0, 0.95);
    (0..n)
        .map(|_| {
            let c = pick(&cells, rng.random::<f64>());
            let (size, inc) = ((c / 4) as u8, (c % 4) as u8);
            let aow = rng.random::<f64>() < aow_p;
            let benefit = !aow
                && rng.random::<f64>()
                    < (m.benefit_rate * a.synthese.uitkering_factor[inc as usize]).clamp(0.0, 0.9);
            let work = !benefit;
            let mut groups = 0u16;
            for (gi, g) in a.groep.iter().enumerate() {
                let hit = match g.bron {
                    Bron::Kenmerk => {
                        let p = g.zittend
                            * rel.max(0.0).powf(g.buurtgevoeligheid)
                            * g.klassefactor[inc as usize];
                        rng.random::<f64>() < p.clamp(0.0, 0.9)
                    }
                    Bron::LaagInkomen => inc == 0,
                    Bron::Uitkering => benefit,
                };
                if hit {
                    groups |= 1 << gi;
                }
            }
            Household {
                size,
                inc,
                aow,
                work,
                groups,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipf_meets_both_marginals_and_keeps_the_association() {
        let prior = [
            [0.7, 0.2, 0.08, 0.02],
            [0.45, 0.33, 0.17, 0.05],
            [0.5, 0.32, 0.14, 0.04],
        ];
        let rows = [0.6, 0.25, 0.15];
        let cols = [0.7, 0.2, 0.08, 0.02];
        let t = ipf(&prior, rows, cols);
        for i in 0..3 {
            assert!((t[i].iter().sum::<f64>() - rows[i]).abs() < 1e-8);
        }
        for j in 0..4 {
            assert!((t.iter().map(|r| r[j]).sum::<f64>() - cols[j]).abs() < 1e-8);
        }
        // odds ratio of the prior (1p vs 2p, I0 vs I1) is kept by IPF
        let or = |t: &[[f64; 4]; 3]| (t[0][0] * t[1][1]) / (t[0][1] * t[1][0]);
        assert!((or(&t) - or(&prior)).abs() < 1e-6);
    }

    #[test]
    fn pick_and_income() {
        assert_eq!(pick(&[0.5, 0.5], 0.2), 0);
        assert_eq!(pick(&[0.5, 0.5], 0.7), 1);
        let r = crate::rules::Regels::embedded().perioden[0].clone();
        let v = crate::rules::Aannames::embedded().invulling;
        let y = income_in_class(&r, &v, 1, 0, false, 0.5);
        assert!(y > r.passend_inkomen_1p && y < r.daeb_inkomensgrens_1p);
    }
}
