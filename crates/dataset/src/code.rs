//! Area codes and levels.
//!
//! CBS codes look like `NL00` (land), `GM0363` (gemeente), `WK0363AD` (wijk) and
//! `BU0363AD03` (buurt). Since about 2022 the wijk and buurt positions may hold
//! letters. Files also carry codes without prefix (`gwb_code_8`: `03630003`) or
//! padded with spaces (OData v3). [`AreaCode`] is always normalised: trimmed,
//! upper case, with its level prefix.

use std::fmt;
use std::str::FromStr;

/// Administrative level of an area.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The country (`NL00`).
    Land,
    /// A municipality (`GM` + 4 positions).
    Gemeente,
    /// A district (`WK` + 6 positions).
    Wijk,
    /// A neighbourhood (`BU` + 8 positions).
    Buurt,
}

impl Level {
    /// All levels from the top down.
    pub const ALL: [Level; 4] = [Level::Land, Level::Gemeente, Level::Wijk, Level::Buurt];

    /// Lower-case English/Dutch name as used on the command line (`land`, `gemeente`, `wijk`, `buurt`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Land => "land",
            Level::Gemeente => "gemeente",
            Level::Wijk => "wijk",
            Level::Buurt => "buurt",
        }
    }

    /// Plural Dutch name, as used for GeoPackage layers (`gemeenten`, `wijken`, `buurten`).
    pub fn plural(self) -> &'static str {
        match self {
            Level::Land => "land",
            Level::Gemeente => "gemeenten",
            Level::Wijk => "wijken",
            Level::Buurt => "buurten",
        }
    }

    /// Parses a level name; accepts the CBS `SoortRegio` values (`Land`, `Gemeente`, `Wijk`, `Buurt`)
    /// and plural forms, case-insensitively.
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "land" | "nederland" | "country" => Some(Level::Land),
            "gemeente" | "gemeenten" | "gm" | "municipality" => Some(Level::Gemeente),
            "wijk" | "wijken" | "wk" | "district" => Some(Level::Wijk),
            "buurt" | "buurten" | "bu" | "neighbourhood" => Some(Level::Buurt),
            _ => None,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Level::Land => "NL",
            Level::Gemeente => "GM",
            Level::Wijk => "WK",
            Level::Buurt => "BU",
        }
    }

    /// Number of positions after the prefix.
    fn body_len(self) -> usize {
        match self {
            Level::Land => 2,
            Level::Gemeente => 4,
            Level::Wijk => 6,
            Level::Buurt => 8,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::parse(s)
            .ok_or_else(|| format!("unknown level '{s}'; expected land, gemeente, wijk or buurt"))
    }
}

/// A normalised CBS area code (`NL00`, `GM0363`, `WK0363AD`, `BU0363AD03`).
///
/// Small and `Copy`: the code is kept inline. Ordering is by the code text,
/// which sorts a gemeente before its wijken and buurten only within a level.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaCode {
    bytes: [u8; 10],
    len: u8,
}

/// Why a text is not an area code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{text}' is not a CBS area code: {reason}; expected NL00, GM + 4 positions (GM0363), WK + 6 (WK0363AD) or BU + 8 (BU0363AD03)"
)]
pub struct CodeError {
    /// The offending text (trimmed).
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

impl AreaCode {
    /// Parses a code with its prefix (`GM`, `WK`, `BU`, `NL`), trimming spaces and
    /// accepting lower case. A bare code without prefix is rejected: use
    /// [`AreaCode::parse_unprefixed`] when the level is known from elsewhere.
    pub fn parse(text: &str) -> Result<AreaCode, CodeError> {
        let t = text.trim();
        let err = |reason: &str| CodeError {
            text: t.to_string(),
            reason: reason.to_string(),
        };
        if t.is_empty() {
            return Err(err("the code is empty"));
        }
        if t.len() < 2 || !t.is_ascii() {
            return Err(err("unknown prefix"));
        }
        let level = match t[..2].to_ascii_uppercase().as_str() {
            "NL" => Level::Land,
            "GM" => Level::Gemeente,
            "WK" => Level::Wijk,
            "BU" => Level::Buurt,
            _ => return Err(err("unknown prefix")),
        };
        Self::build(level, &t[2..]).map_err(|r| err(&r))
    }

    /// Parses a code without prefix (e.g. `gwb_code_8` `03630003`), inferring the level
    /// from its length (4 gemeente, 6 wijk, 8 buurt). A prefixed code is accepted too.
    pub fn parse_unprefixed(text: &str) -> Result<AreaCode, CodeError> {
        let t = text.trim();
        if let Ok(c) = Self::parse(t) {
            return Ok(c);
        }
        let level = match t.len() {
            4 => Level::Gemeente,
            6 => Level::Wijk,
            8 => Level::Buurt,
            _ => {
                return Err(CodeError {
                    text: t.to_string(),
                    reason: format!("{} positions without prefix (4, 6 or 8 expected)", t.len()),
                });
            }
        };
        Self::build(level, t).map_err(|reason| CodeError {
            text: t.to_string(),
            reason,
        })
    }

    /// Builds a code from a level and the positions after the prefix.
    pub fn from_parts(level: Level, body: &str) -> Result<AreaCode, CodeError> {
        Self::build(level, body.trim()).map_err(|reason| CodeError {
            text: body.trim().to_string(),
            reason,
        })
    }

    fn build(level: Level, body: &str) -> Result<AreaCode, String> {
        if body.len() != level.body_len() {
            return Err(format!(
                "a {} code has {} positions after '{}', found {}",
                level,
                level.body_len(),
                level.prefix(),
                body.len()
            ));
        }
        if !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err("only digits and letters may follow the prefix".to_string());
        }
        // The gemeente part is always four digits.
        let gm_len = body.len().min(4);
        if level != Level::Land && !body.as_bytes()[..gm_len].iter().all(u8::is_ascii_digit) {
            return Err("the municipality part (first four positions) must be digits".to_string());
        }
        if level == Level::Land && !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err("the country code is NL followed by two digits".to_string());
        }
        let mut bytes = [0u8; 10];
        bytes[..2].copy_from_slice(level.prefix().as_bytes());
        for (i, b) in body.bytes().enumerate() {
            bytes[2 + i] = b.to_ascii_uppercase();
        }
        Ok(AreaCode {
            bytes,
            len: (2 + body.len()) as u8,
        })
    }

    /// The country code `NL00`.
    pub fn netherlands() -> AreaCode {
        Self::build(Level::Land, "00").expect("static code is valid")
    }

    /// The level of this code.
    pub fn level(&self) -> Level {
        match &self.bytes[..2] {
            b"NL" => Level::Land,
            b"GM" => Level::Gemeente,
            b"WK" => Level::Wijk,
            _ => Level::Buurt,
        }
    }

    /// The code as text, e.g. `BU0363AD03`.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }

    /// The positions after the prefix (`0363AD03`), i.e. the `gwb_code_8` form.
    pub fn body(&self) -> &str {
        &self.as_str()[2..]
    }

    /// The gemeente this area lies in (itself for a gemeente, `None` for the land).
    pub fn gemeente(&self) -> Option<AreaCode> {
        match self.level() {
            Level::Land => None,
            _ => Self::build(Level::Gemeente, &self.body()[..4]).ok(),
        }
    }

    /// The wijk this buurt lies in (itself for a wijk; `None` above wijk level).
    pub fn wijk(&self) -> Option<AreaCode> {
        match self.level() {
            Level::Wijk | Level::Buurt => Self::build(Level::Wijk, &self.body()[..6]).ok(),
            _ => None,
        }
    }

    /// The parent area by code structure: buurt → wijk → gemeente → land.
    pub fn parent(&self) -> Option<AreaCode> {
        match self.level() {
            Level::Land => None,
            Level::Gemeente => Some(Self::netherlands()),
            Level::Wijk => self.gemeente(),
            Level::Buurt => self.wijk(),
        }
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AreaCode({})", self.as_str())
    }
}

impl FromStr for AreaCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AreaCode::parse(s)
    }
}

impl serde::Serialize for AreaCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for AreaCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AreaCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        let c = AreaCode::parse("  bu0363ad03 ").unwrap();
        assert_eq!(c.as_str(), "BU0363AD03");
        assert_eq!(c.level(), Level::Buurt);
        assert_eq!(c.wijk().unwrap().as_str(), "WK0363AD");
        assert_eq!(c.gemeente().unwrap().as_str(), "GM0363");
        assert_eq!(c.parent().unwrap().as_str(), "WK0363AD");
        assert_eq!(
            AreaCode::parse("GM0344")
                .unwrap()
                .parent()
                .unwrap()
                .as_str(),
            "NL00"
        );
        assert_eq!(
            AreaCode::parse_unprefixed("03440111").unwrap().as_str(),
            "BU03440111"
        );
        assert_eq!(
            AreaCode::parse_unprefixed("034401").unwrap().as_str(),
            "WK034401"
        );
        assert_eq!(
            AreaCode::parse_unprefixed("GM0344").unwrap().as_str(),
            "GM0344"
        );
    }

    #[test]
    fn rejects_bad_codes_with_reasons() {
        let e = AreaCode::parse("XY1234").unwrap_err();
        assert!(e.to_string().contains("unknown prefix"), "{e}");
        let e = AreaCode::parse("BU036301").unwrap_err();
        assert!(e.to_string().contains("8 positions"), "{e}");
        let e = AreaCode::parse("GM03A3").unwrap_err();
        assert!(e.to_string().contains("municipality part"), "{e}");
        assert!(AreaCode::parse("").is_err());
        assert!(AreaCode::parse("BU0363-D03").is_err());
        assert!(AreaCode::parse("BÜ0363AD03").is_err());
    }
}
