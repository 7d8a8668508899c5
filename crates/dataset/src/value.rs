//! Observed values that remember why they are missing, and reliability flags.

use std::fmt;

/// Why a value is absent. CBS symbols are kept apart: none of these is a zero.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// `.`: figure not available (gegevens ontbreken), or an empty cell in a table
    /// that uses empty for `.`.
    NotAvailable,
    /// `x`: secret (geheim), withheld by the producer.
    Secret,
    /// `-`: nil (nihil). Kept apart from zero on purpose; an analysis may decide to read it as 0.
    Nil,
    /// The whole column is empty in this edition: published later (staged publication).
    NotYetPublished,
    /// Withheld because the cell is small (producer's or our own disclosure control).
    Suppressed,
}

impl Missing {
    /// Stable machine name, as stored in the workspace and written to JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::NotAvailable => "not_available",
            Missing::Secret => "secret",
            Missing::Nil => "nil",
            Missing::NotYetPublished => "not_yet_published",
            Missing::Suppressed => "suppressed",
        }
    }

    /// Parses [`Missing::as_str`] output.
    pub fn parse(s: &str) -> Option<Missing> {
        Some(match s {
            "not_available" => Missing::NotAvailable,
            "secret" => Missing::Secret,
            "nil" => Missing::Nil,
            "not_yet_published" => Missing::NotYetPublished,
            "suppressed" => Missing::Suppressed,
            _ => return None,
        })
    }

    /// The CBS symbol used in CSV/Excel exports for this reason.
    pub fn symbol(self) -> &'static str {
        match self {
            Missing::NotAvailable | Missing::NotYetPublished => ".",
            Missing::Secret | Missing::Suppressed => "x",
            Missing::Nil => "-",
        }
    }

    /// Dutch label for users.
    pub fn label_nl(self) -> &'static str {
        match self {
            Missing::NotAvailable => "gegevens ontbreken",
            Missing::Secret => "geheim",
            Missing::Nil => "nihil",
            Missing::NotYetPublished => "nog niet gepubliceerd",
            Missing::Suppressed => "onderdrukt (kleine aantallen)",
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value of one indicator for one area in one edition.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A published number (finite).
    Number(f64),
    /// No number, with the reason.
    Missing(Missing),
}

impl Value {
    /// The number, if present.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(x),
            Value::Missing(_) => None,
        }
    }

    /// The reason, if missing.
    pub fn missing(self) -> Option<Missing> {
        match self {
            Value::Number(_) => None,
            Value::Missing(m) => Some(m),
        }
    }
}

/// Reliability flags on a cell (a small bit set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(u8);

impl Flags {
    /// The count was rounded by the producer (to a multiple of 5 or 10 at wijk/buurt level).
    pub const ROUNDED: Flags = Flags(1);
    /// The denominator of this share or rate is below 50: the value is unreliable.
    pub const SMALL_DENOMINATOR: Flags = Flags(2);
    /// The value was derived by veerkracht (e.g. a sum over buurten), not published.
    pub const DERIVED: Flags = Flags(4);
    /// The value comes from a table of another family that carries it as a denominator (the
    /// inhabitants of the crime tables): it fills a cell no table of the indicator's own family
    /// gave, and never replaces one ([`Flags::replaces`]).
    pub const CARRIED: Flags = Flags(8);

    /// No flags.
    pub const fn empty() -> Flags {
        Flags(0)
    }
    /// Raw bits, as stored.
    pub const fn bits(self) -> u8 {
        self.0
    }
    /// From raw bits (unknown bits are dropped).
    pub const fn from_bits(bits: u8) -> Flags {
        Flags(bits & 15)
    }
    /// Whether a new cell with these flags and value replaces an existing one: a missing
    /// value never replaces a number, and a carried value replaces only a carried one or a
    /// missing value.
    pub fn replaces(self, new_is_number: bool, old: Option<(bool, Flags)>) -> bool {
        match old {
            None => true,
            Some((old_is_number, old_flags)) => {
                (new_is_number || !old_is_number)
                    && (!self.contains(Flags::CARRIED)
                        || !old_is_number
                        || old_flags.contains(Flags::CARRIED))
            }
        }
    }
    /// Whether all flags in `other` are set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
    /// Union of two flag sets.
    pub const fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
    /// Names of the set flags (`rounded`, `small_denominator`, `derived`, `carried`).
    pub fn names(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.contains(Flags::ROUNDED) {
            v.push("rounded");
        }
        if self.contains(Flags::SMALL_DENOMINATOR) {
            v.push("small_denominator");
        }
        if self.contains(Flags::DERIVED) {
            v.push("derived");
        }
        if self.contains(Flags::CARRIED) {
            v.push("carried");
        }
        v
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        self.union(rhs)
    }
}

/// The threshold below which a denominator makes a share unreliable (peers' "< 50" rule).
pub const SMALL_DENOMINATOR: f64 = 50.0;

/// Interprets one CBS cell text. Returns `Ok(None)` for an empty cell (caller decides what
/// empty means for its table), `Ok(Some(value))` for a number or a CBS symbol, and `Err`
/// with a description when the text is neither.
///
/// `decimal_comma` selects `,` as the decimal mark (StatLine `;` downloads); thousands
/// separators are not accepted. Numeric sentinels ≤ −99,999,990 (wijk- en buurtkaart)
/// become [`Missing::NotAvailable`].
pub fn parse_cell(text: &str, decimal_comma: bool) -> Result<Option<Value>, String> {
    let t = text.trim();
    // Fast path: [-]digits[<decimal mark>digits] with at most 15 digits is exact in
    // f64 (n / 10^k with both exact is correctly rounded, as the full parser would give).
    {
        let b = t.as_bytes();
        let (neg, body) = match b.first() {
            Some(b'-') => (true, &b[1..]),
            _ => (false, b),
        };
        let mark = if decimal_comma { b',' } else { b'.' };
        let mut n: u64 = 0;
        let mut digits = 0usize;
        let mut frac: Option<usize> = None;
        let mut ok = !body.is_empty();
        for &c in body {
            if c.is_ascii_digit() {
                n = n * 10 + u64::from(c - b'0');
                digits += 1;
                if let Some(f) = frac.as_mut() {
                    *f += 1;
                }
            } else if c == mark && frac.is_none() && digits > 0 {
                frac = Some(0);
            } else {
                ok = false;
                break;
            }
        }
        if ok && digits <= 15 && frac != Some(0) {
            let mut x = n as f64;
            if let Some(k) = frac {
                const POW10: [f64; 16] = [
                    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                    1e15,
                ];
                x /= POW10[k];
            }
            if neg {
                x = -x;
            }
            return Ok(Some(if x <= -99_999_990.0 {
                Value::Missing(Missing::NotAvailable)
            } else {
                Value::Number(x)
            }));
        }
    }
    match t {
        "" => return Ok(None),
        "." => return Ok(Some(Value::Missing(Missing::NotAvailable))),
        "x" | "X" => return Ok(Some(Value::Missing(Missing::Secret))),
        "-" => return Ok(Some(Value::Missing(Missing::Nil))),
        "?" => return Ok(Some(Value::Missing(Missing::NotAvailable))),
        _ => {}
    }
    let parsed = if decimal_comma {
        if t.contains('.') {
            return Err(format!("'{t}' uses '.' but this file uses a decimal comma"));
        }
        // No allocation per number.
        match t.find(',') {
            None => t.parse::<f64>(),
            Some(p) if t.len() <= 64 => {
                let mut buf = [0u8; 64];
                buf[..t.len()].copy_from_slice(t.as_bytes());
                buf[p] = b'.';
                std::str::from_utf8(&buf[..t.len()])
                    .unwrap_or("")
                    .parse::<f64>()
            }
            Some(_) => t.replacen(',', ".", 1).parse::<f64>(),
        }
    } else {
        if t.contains(',') {
            return Err(format!("'{t}' uses ',' but this file uses a decimal point"));
        }
        t.parse::<f64>()
    };
    match parsed {
        Ok(x) if x.is_finite() => {
            if x <= -99_999_990.0 {
                Ok(Some(Value::Missing(Missing::NotAvailable)))
            } else {
                Ok(Some(Value::Number(x)))
            }
        }
        Ok(_) => Err(format!("'{t}' is not a finite number")),
        Err(_) => Err(format!("'{t}' is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_symbols_are_not_zero() {
        assert_eq!(
            parse_cell(" . ", false).unwrap(),
            Some(Value::Missing(Missing::NotAvailable))
        );
        assert_eq!(
            parse_cell("x", false).unwrap(),
            Some(Value::Missing(Missing::Secret))
        );
        assert_eq!(
            parse_cell("-", true).unwrap(),
            Some(Value::Missing(Missing::Nil))
        );
        assert_eq!(parse_cell("", true).unwrap(), None);
        assert_eq!(
            parse_cell("-99999999", false).unwrap(),
            Some(Value::Missing(Missing::NotAvailable))
        );
        assert_eq!(parse_cell("12,5", true).unwrap(), Some(Value::Number(12.5)));
        assert_eq!(
            parse_cell("-3.25", false).unwrap(),
            Some(Value::Number(-3.25))
        );
        assert!(parse_cell("12,5", false).is_err());
        assert!(parse_cell("1.5", true).is_err());
        assert!(parse_cell("abc", false).is_err());
        assert!(parse_cell("inf", false).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Decimal strings of 1–18 digits, with and without fraction and sign, in both
        /// decimal marks: the fast path must give exactly what Rust's correctly rounded parser
        /// gives (a failure shrinks to the shortest such string).
        #[test]
        fn fast_path_equals_the_full_parser(s in "-?([0-9]{1,18}|[0-9]{1,9}\\.[0-9]{1,9})") {
            let want = s.parse::<f64>().unwrap();
            let want = if want <= -99_999_990.0 {
                Value::Missing(Missing::NotAvailable)
            } else {
                Value::Number(want)
            };
            proptest::prop_assert_eq!(parse_cell(&s, false).unwrap(), Some(want), "{}", s);
            proptest::prop_assert_eq!(
                parse_cell(&s.replace('.', ","), true).unwrap(),
                Some(want),
                "{}",
                s
            );
        }
    }
}
