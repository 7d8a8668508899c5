//! Rounding as the beleidsboek prescribes.
//!
//! Amounts are held as `f64`; every rounding adds a tiny tolerance so that values that
//! are exact halves in decimal (e.g. 0.125, 2.5) but slightly below in binary round up,
//! as the peer's `Decimal(str(x))` arithmetic does.

const EPS: f64 = 1e-9;

/// Half-up (away from zero) rounding to `decimals` places.
pub fn half_up(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let y = (x.abs() * f + 0.5 + EPS).floor() / f;
    if x < 0.0 { -y } else { y }
}

/// Round to `digits` significant digits, half up: the reference computes with Python's
/// `decimal.BasicContext` (9 significant digits, ROUND_HALF_UP) for every Decimal division.
pub fn sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = x.abs().log10().floor() as i32 + 1;
    half_up(x, digits - mag)
}

/// Round to whole points, 0.5 up (total of a dwelling).
pub fn whole(x: f64) -> f64 {
    half_up(x, 0)
}

/// Round a rubriek to a quarter point; an eighth (0.125) rounds up.
pub fn kwart(x: f64) -> f64 {
    half_up(x / 0.25, 0) * 0.25
}

/// Round down to whole (towards zero).
pub fn down(x: f64) -> f64 {
    let y = (x.abs() + EPS).floor();
    if x < 0.0 { -y } else { y }
}

/// Cents, half up.
pub fn cents(x: f64) -> f64 {
    half_up(x, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwart_examples_domain_11_7() {
        // docs/domain.md §11 item 7
        assert_eq!(kwart(38.25 / 4.0), 9.5);
        assert_eq!(kwart(48.0 / 10.0), 4.75);
        assert_eq!(kwart(0.125), 0.25);
        assert_eq!(kwart(0.124), 0.0);
        assert_eq!(kwart(1.375), 1.5);
        assert_eq!(kwart(-0.125), -0.25);
        assert_eq!(kwart(7.0), 7.0);
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(3534.482758620689, 9), 3534.48276);
        assert_eq!(sig(-0.07116882, 6), -0.0711688);
        assert_eq!(sig(1009.7695230654, 9), 1009.76952);
        assert_eq!(sig(0.0, 9), 0.0);
    }

    #[test]
    fn whole_half_up() {
        assert_eq!(whole(142.5), 143.0);
        assert_eq!(whole(142.49), 142.0);
        assert_eq!(whole(2.675 * 100.0), 268.0);
        assert_eq!(half_up(2.675, 2), 2.68);
        assert_eq!(half_up(1.005, 2), 1.01);
    }
}
