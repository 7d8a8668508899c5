//! Geometry input/output for veerkracht: neighbourhood (wijk/buurt) polygons.
//!
//! Project convention: geometries are held as [`MultiPolygon<f64>`] in RD New
//! (EPSG:28992, metres); WGS84 longitude/latitude is only used for web maps and
//! GeoJSON export.
//!
//! * [`rd`]: RD New ↔ WGS84 conversion with the published approximation series.
//! * [`geojson`]: read and write GeoJSON feature collections of (multi)polygons.
//! * [`gpkg`]: read and write GeoPackage feature tables on a [`rusqlite::Connection`].
//! * [`wkb`]: ISO WKB encoding and decoding of (multi)polygons.
//! * [`validate`]: geometry sanity checks with human-readable problems.
//!
//! All fallible functions return [`GeoError`], whose message is one line naming the
//! input, the feature or row, what was expected and how to fix it.

#![warn(missing_docs)]

pub mod crs;
mod error;
pub mod geojson;
pub mod gpkg;
pub mod rd;
pub mod validate;
pub mod wkb;

pub use crate::crs::Crs;
pub use crate::error::GeoError;
pub use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use std::fmt;

/// One feature of a [`Layer`]: attributes plus an optional (multi)polygon geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// 0-based position of the feature in its source (GeoJSON array order or
    /// GeoPackage primary-key order); used in error messages.
    pub index: usize,
    /// Attribute values by name (JSON numbers, strings, booleans or null).
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// The geometry in the layer's [`Crs`]; `None` for a null or empty geometry.
    pub geometry: Option<MultiPolygon<f64>>,
}

/// A named collection of features whose geometries share one coordinate system.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Layer name (GeoJSON `name` member or file stem; GeoPackage table name).
    pub name: String,
    /// Coordinate reference system of every feature geometry.
    pub crs: Crs,
    /// The features in source order.
    pub features: Vec<Feature>,
}

impl Layer {
    /// Returns the layer with all geometries in RD New (EPSG:28992), converting
    /// from WGS84 with [`rd::wgs84_to_rd`]; a layer already in RD New is returned
    /// unchanged. Never fails; coordinates far outside the Netherlands give
    /// meaningless (but finite) results, as the series is only valid there.
    pub fn to_rd(self) -> Layer {
        self.to_crs(Crs::RdNew)
    }

    /// Returns the layer with all geometries in WGS84 longitude/latitude,
    /// converting from RD New with [`rd::rd_to_wgs84`]; a layer already in WGS84
    /// is returned unchanged. Never fails.
    pub fn to_wgs84(self) -> Layer {
        self.to_crs(Crs::Wgs84)
    }

    /// Returns the layer with all geometries converted to `crs` (no-op when the
    /// layer is already in `crs`). Never fails.
    pub fn to_crs(mut self, crs: Crs) -> Layer {
        if self.crs != crs {
            for feature in &mut self.features {
                if let Some(geometry) = feature.geometry.take() {
                    feature.geometry = Some(crs::convert_multipolygon(&geometry, self.crs, crs));
                }
            }
            self.crs = crs;
        }
        self
    }

    /// Bounding box of all feature geometries, or `None` when no feature has a
    /// coordinate. Non-finite coordinates are ignored.
    pub fn extent(&self) -> Option<Extent> {
        let mut extent: Option<Extent> = None;
        for geometry in self.features.iter().filter_map(|f| f.geometry.as_ref()) {
            if let Some(e) = Extent::of_multipolygon(geometry) {
                extent = Some(match extent {
                    Some(acc) => acc.union(&e),
                    None => e,
                });
            }
        }
        extent
    }
}

/// An axis-aligned bounding box (in the units of the geometry's CRS).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    /// Smallest x (easting or longitude).
    pub min_x: f64,
    /// Smallest y (northing or latitude).
    pub min_y: f64,
    /// Largest x (easting or longitude).
    pub max_x: f64,
    /// Largest y (northing or latitude).
    pub max_y: f64,
}

impl Extent {
    /// Bounding box of the finite coordinates of `geometry`, or `None` when it
    /// has no finite coordinate.
    pub fn of_multipolygon(geometry: &MultiPolygon<f64>) -> Option<Extent> {
        Self::of_coords(
            geometry
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|ring| ring.0.iter().copied()),
        )
    }

    /// Bounding box of the finite coordinates yielded by `coords`, or `None` when
    /// there are none.
    pub fn of_coords(coords: impl IntoIterator<Item = Coord<f64>>) -> Option<Extent> {
        let mut extent: Option<Extent> = None;
        for c in coords {
            if !(c.x.is_finite() && c.y.is_finite()) {
                continue;
            }
            let point = Extent {
                min_x: c.x,
                min_y: c.y,
                max_x: c.x,
                max_y: c.y,
            };
            extent = Some(match extent {
                Some(acc) => acc.union(&point),
                None => point,
            });
        }
        extent
    }

    /// The smallest extent containing both `self` and `other`.
    pub fn union(&self, other: &Extent) -> Extent {
        Extent {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }
}

impl fmt::Display for Extent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "x {}..{}, y {}..{}",
            self.min_x, self.max_x, self.min_y, self.max_y
        )
    }
}
