//! The two coordinate reference systems the project supports, and their detection.

use std::fmt;

use geo_types::MultiPolygon;

use crate::{Extent, GeoError, rd};

/// A supported coordinate reference system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// WGS84 longitude/latitude in decimal degrees (EPSG:4326 with lon/lat axis
    /// order, as in RFC 7946 GeoJSON / OGC CRS84).
    Wgs84,
    /// Amersfoort / RD New (EPSG:28992): easting/northing in metres.
    RdNew,
}

/// Valid RD New coordinates: x range in metres.
const RD_X: (f64, f64) = (-7_000.0, 300_000.0);
/// Valid RD New coordinates: y range in metres.
const RD_Y: (f64, f64) = (289_000.0, 629_000.0);

impl Crs {
    /// The EPSG code: 4326 for [`Crs::Wgs84`], 28992 for [`Crs::RdNew`].
    pub fn epsg(self) -> i32 {
        match self {
            Crs::Wgs84 => 4326,
            Crs::RdNew => 28992,
        }
    }

    /// The CRS for an EPSG code (4326 or 28992), or `None` for any other code.
    pub fn from_epsg(code: i64) -> Option<Crs> {
        match code {
            4326 => Some(Crs::Wgs84),
            28992 => Some(Crs::RdNew),
            _ => None,
        }
    }

    /// Parses a CRS name as found in a GeoJSON `crs` member or elsewhere:
    /// `urn:ogc:def:crs:EPSG::28992`, `EPSG:28992`,
    /// `urn:ogc:def:crs:EPSG:6.6:28992`,
    /// `http://www.opengis.net/def/crs/EPSG/0/28992`, the same forms with 4326,
    /// and OGC CRS84 (`urn:ogc:def:crs:OGC:1.3:CRS84`, `OGC:CRS84`, `CRS84`).
    /// Case-insensitive. Returns `None` for anything else.
    pub fn from_name(name: &str) -> Option<Crs> {
        let lower = name.trim().to_ascii_lowercase();
        if lower.ends_with("crs84") {
            return Some(Crs::Wgs84);
        }
        if !lower.contains("epsg") {
            return None;
        }
        let digits_start = lower
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let (prefix, digits) = lower.split_at(digits_start);
        // Between "epsg" and the code only separators and a version may appear:
        // "EPSG:", "EPSG::", "EPSG:6.6:", "EPSG/0/".
        let separator_ok = prefix.rfind("epsg").is_some_and(|i| {
            let between = prefix.get(i + 4..).unwrap_or_default();
            !between.is_empty()
                && between
                    .chars()
                    .all(|c| matches!(c, ':' | '/' | '.') || c.is_ascii_digit())
        });
        if !separator_ok {
            return None;
        }
        digits.parse().ok().and_then(Crs::from_epsg)
    }

    /// The CRS that the coordinate range `extent` fits: WGS84 when all x lie in
    /// −180..180 and all y in −90..90, RD New when all x lie in −7,000..300,000
    /// and all y in 289,000..629,000 (the domain of RD New), otherwise `None`.
    pub fn from_coordinate_range(extent: &Extent) -> Option<Crs> {
        [Crs::Wgs84, Crs::RdNew]
            .into_iter()
            .find(|crs| crs.contains(extent))
    }

    /// Whether every coordinate of `extent` lies in the valid range of this CRS
    /// (see [`Crs::from_coordinate_range`]).
    pub fn contains(self, extent: &Extent) -> bool {
        let ((x0, x1), (y0, y1)) = match self {
            Crs::Wgs84 => ((-180.0, 180.0), (-90.0, 90.0)),
            Crs::RdNew => (RD_X, RD_Y),
        };
        extent.min_x >= x0 && extent.max_x <= x1 && extent.min_y >= y0 && extent.max_y <= y1
    }

    /// The name written to GeoJSON `crs` members and used in messages:
    /// `urn:ogc:def:crs:EPSG::28992` or `urn:ogc:def:crs:OGC:1.3:CRS84`.
    pub fn urn(self) -> &'static str {
        match self {
            Crs::Wgs84 => "urn:ogc:def:crs:OGC:1.3:CRS84",
            Crs::RdNew => "urn:ogc:def:crs:EPSG::28992",
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Crs::Wgs84 => f.write_str("WGS84 (EPSG:4326)"),
            Crs::RdNew => f.write_str("RD New (EPSG:28992)"),
        }
    }
}

/// Determines the CRS of a data set from its declared CRS name (if any) and the
/// extent of its coordinates (if any).
///
/// * With a declared name: it must parse with [`Crs::from_name`] (else
///   [`GeoError::UnsupportedCrs`]) and the coordinates must lie in that CRS's
///   range (else [`GeoError::CrsMismatch`]).
/// * Without one: the CRS follows from [`Crs::from_coordinate_range`]; if the
///   coordinates fit neither, [`GeoError::UndetectableCrs`] asks the user to add
///   a `crs` member or reproject.
/// * Without name and coordinates, WGS84 (the GeoJSON default) is assumed.
///
/// `input` names the file or table for error messages.
///
/// # Errors
/// [`GeoError::UnsupportedCrs`], [`GeoError::CrsMismatch`] or
/// [`GeoError::UndetectableCrs`] as described above.
pub fn detect(
    declared: Option<&str>,
    extent: Option<&Extent>,
    input: &str,
) -> Result<Crs, GeoError> {
    match (declared, extent) {
        (Some(name), extent) => {
            let crs = Crs::from_name(name).ok_or_else(|| GeoError::UnsupportedCrs {
                input: input.to_owned(),
                name: name.to_owned(),
            })?;
            match extent {
                Some(extent) if !crs.contains(extent) => Err(GeoError::CrsMismatch {
                    input: input.to_owned(),
                    crs,
                    extent: *extent,
                }),
                _ => Ok(crs),
            }
        }
        (None, Some(extent)) => {
            Crs::from_coordinate_range(extent).ok_or_else(|| GeoError::UndetectableCrs {
                input: input.to_owned(),
                extent: *extent,
            })
        }
        (None, None) => Ok(Crs::Wgs84),
    }
}

/// Converts `geometry` from CRS `from` to CRS `to` (a clone when equal).
pub(crate) fn convert_multipolygon(
    geometry: &MultiPolygon<f64>,
    from: Crs,
    to: Crs,
) -> MultiPolygon<f64> {
    match (from, to) {
        (Crs::Wgs84, Crs::RdNew) => rd::multipolygon_wgs84_to_rd(geometry),
        (Crs::RdNew, Crs::Wgs84) => rd::multipolygon_rd_to_wgs84(geometry),
        _ => geometry.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_names() {
        for name in [
            "urn:ogc:def:crs:EPSG::28992",
            "EPSG:28992",
            "epsg:28992",
            "http://www.opengis.net/def/crs/EPSG/0/28992",
            "urn:ogc:def:crs:EPSG:6.6:28992",
        ] {
            assert_eq!(Crs::from_name(name), Some(Crs::RdNew), "{name}");
        }
        for name in [
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "urn:ogc:def:crs:OGC::CRS84",
            "OGC:CRS84",
            "urn:ogc:def:crs:EPSG::4326",
            "EPSG:4326",
        ] {
            assert_eq!(Crs::from_name(name), Some(Crs::Wgs84), "{name}");
        }
        for name in [
            "EPSG:3857",
            "urn:ogc:def:crs:EPSG::4258",
            "28992",
            "",
            "xEPSG:28992x",
        ] {
            assert_eq!(Crs::from_name(name), None, "{name}");
        }
    }

    #[test]
    fn detects_from_range() {
        let wgs = Extent {
            min_x: 3.3,
            min_y: 50.7,
            max_x: 7.2,
            max_y: 53.5,
        };
        let rd = Extent {
            min_x: 10_000.0,
            min_y: 300_000.0,
            max_x: 280_000.0,
            max_y: 620_000.0,
        };
        let web_mercator = Extent {
            min_x: 370_000.0,
            min_y: 6_570_000.0,
            max_x: 800_000.0,
            max_y: 7_080_000.0,
        };
        assert_eq!(detect(None, Some(&wgs), "t").ok(), Some(Crs::Wgs84));
        assert_eq!(detect(None, Some(&rd), "t").ok(), Some(Crs::RdNew));
        assert_eq!(detect(None, None, "t").ok(), Some(Crs::Wgs84));
        let err = detect(None, Some(&web_mercator), "t")
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("add a \"crs\" member")));
        let err = detect(Some("EPSG:4326"), Some(&rd), "t")
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("outside the range")));
        assert_eq!(
            detect(Some("EPSG:28992"), Some(&rd), "t").ok(),
            Some(Crs::RdNew)
        );
    }
}
