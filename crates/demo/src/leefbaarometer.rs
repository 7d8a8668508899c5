//! Leefbaarometer 3.0 style buurt scores: five dimensions that add up to the deviation `afw`;
//! `lbm = 4.05 + afw`. Values are kept in units of 0.0001 so the sum is exact as written.

use crate::region::{Buurt, Region};
use crate::rng::{self, Draw, tag};

/// Measurement years (the Leefbaarometer is updated every two years).
pub(crate) const YEARS: [i32; 3] = [2020, 2022, 2024];

/// National reference level in units of 0.0001.
const REFERENCE: i64 = 40_500;

/// Dimension scores in units of 0.0001: `won, fys, vrz, soc, onv`.
fn dimensions(b: &Buurt, year: i32, seed: u64) -> [i64; 5] {
    let mut fixed = rng::stream(seed, &[tag::LEEFBAAROMETER, b.traits.noise_seed]);
    let mut yearly = rng::stream(
        seed,
        &[tag::LEEFBAAROMETER, b.traits.noise_seed, year as u64],
    );
    let t = &b.traits;
    let dep = b.state(year).dep;
    let period = match year {
        2022 => 0.005,
        2024 => -0.002,
        _ => 0.0,
    };
    let means = [
        0.025 * ((t.era - 1965.0) / 35.0).clamp(-1.0, 1.0) - 0.07 * (t.corp - 0.3),
        0.035 * (1.0 - t.urban) - 0.02 - 0.012 * dep,
        0.10 * t.amenity + 0.06 * t.urban - 0.06,
        -0.03 * dep + 0.015 * t.family + period,
        -0.045 * b.nuisance(year) + 0.01 - 0.01 * dep + period,
    ];
    let spread = [0.012, 0.015, 0.015, 0.01, 0.01];
    let mut out = [0; 5];
    for k in 0..5 {
        let v = means[k] + spread[k] * fixed.normal() + 0.003 * yearly.normal();
        out[k] = (v * 10_000.0).round() as i64;
    }
    out
}

/// A value in units of 0.0001 with four decimals.
fn four_decimals(units: i64) -> String {
    let sign = if units < 0 { "-" } else { "" };
    format!("{sign}{}.{:04}", units.abs() / 10_000, units.abs() % 10_000)
}

/// The CSV `jaar,gwb_code,lbm,afw,won,fys,vrz,soc,onv` for inhabited buurten.
pub(crate) fn csv(region: &Region, seed: u64) -> String {
    let mut out = String::from("jaar,gwb_code,lbm,afw,won,fys,vrz,soc,onv\n");
    for year in YEARS {
        for b in region
            .buurten
            .iter()
            .filter(|b| b.exists_in(year) && b.traits.kind.inhabited())
        {
            let parts = dimensions(b, year, seed);
            let afw: i64 = parts.iter().sum();
            let values: Vec<String> = [REFERENCE + afw, afw]
                .iter()
                .chain(parts.iter())
                .map(|&v| four_decimals(v))
                .collect();
            out.push_str(&format!("{year},{},{}\n", b.code, values.join(",")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::four_decimals;

    #[test]
    fn formats_units() {
        assert_eq!(four_decimals(-844), "-0.0844");
        assert_eq!(four_decimals(45_682), "4.5682");
        assert_eq!(four_decimals(0), "0.0000");
    }
}
