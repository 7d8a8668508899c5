//! Reading and writing GeoJSON feature collections of (multi)polygons.
//!
//! Reading accepts a FeatureCollection or a single Feature. Polygon geometries
//! are promoted to MultiPolygon, null (or missing) geometries are kept as
//! `None`; any other geometry type, malformed coordinates and unclosed rings are
//! errors naming the feature index (0-based) and the part, ring and position.
//! The CRS comes from a GeoJSON 2008 `crs` member when present, else from the
//! coordinate range (see [`crs::detect`]).

use std::fmt::Write as _;
use std::path::Path;

use geo::orient::{Direction, Orient};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value};

use crate::crs::{self, Crs};
use crate::{Extent, Feature, GeoError, Layer};

/// Parses GeoJSON `text` (a leading byte-order mark is ignored) into a
/// [`Layer`]. `source` (usually the file name) names the input in error
/// messages and, when the collection has no `name` member, gives the layer name
/// (its file stem).
///
/// # Errors
/// * [`GeoError::Json`]: the text is not JSON.
/// * [`GeoError::NotGeoJson`]: not a FeatureCollection or Feature.
/// * [`GeoError::MalformedFeature`]: a feature, its `properties` or `geometry`
///   member, or a coordinate array has the wrong JSON type.
/// * [`GeoError::UnsupportedGeometry`]: Point, LineString, GeometryCollection, ….
/// * [`GeoError::InvalidCoordinate`]: a position is not an array of at least two
///   finite numbers.
/// * [`GeoError::InvalidRing`]: a ring has fewer than 4 positions or is not closed.
/// * [`GeoError::UnsupportedCrs`], [`GeoError::CrsMismatch`],
///   [`GeoError::UndetectableCrs`]: see [`crs::detect`].
pub fn read_geojson(text: &str, source: &str) -> Result<Layer, GeoError> {
    // Tolerate a UTF-8 byte-order mark, as written by some Windows tools.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|e| GeoError::Json {
        input: source.to_owned(),
        detail: e.to_string(),
    })?;
    let not_geojson = |found: String| GeoError::NotGeoJson {
        input: source.to_owned(),
        found,
    };
    let Value::Object(root) = root else {
        return Err(not_geojson(format!(
            "top-level value is {}",
            describe(&root)
        )));
    };
    let single;
    let features: &[Value] = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match root.get("features") {
            Some(Value::Array(features)) => features,
            Some(other) => {
                return Err(not_geojson(format!(
                    "\"features\" member is {}",
                    describe(other)
                )));
            }
            None => {
                return Err(not_geojson(
                    "FeatureCollection has no \"features\" member".into(),
                ));
            }
        },
        Some("Feature") => {
            single = [Value::Object(root.clone())];
            &single
        }
        Some(other) => return Err(not_geojson(format!("top-level \"type\" is {other:?}"))),
        None => {
            return Err(not_geojson(
                "top-level object has no \"type\" member".into(),
            ));
        }
    };

    let reader = FeatureReader { input: source };
    let features = features
        .iter()
        .enumerate()
        .map(|(index, value)| reader.feature(index, value))
        .collect::<Result<Vec<_>, _>>()?;

    let declared = declared_crs(root.get("crs"));
    let extent = Extent::of_coords(
        features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .flat_map(|g| g.0.iter())
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.0.iter().copied()),
    );
    let crs = crs::detect(declared.as_deref(), extent.as_ref(), source)?;

    let name = match root.get("name").and_then(Value::as_str) {
        Some(name) => name.to_owned(),
        None => Path::new(source)
            .file_stem()
            .map_or_else(|| source.to_owned(), |s| s.to_string_lossy().into_owned()),
    };
    Ok(Layer {
        name,
        crs,
        features,
    })
}

/// The CRS name of a GeoJSON 2008 `crs` member: `{"type": "name", "properties":
/// {"name": …}}` or `{"type": "EPSG", "properties": {"code": …}}`. A null member
/// counts as absent; any other shape is returned as its JSON text so that
/// detection reports it as unsupported.
fn declared_crs(member: Option<&Value>) -> Option<String> {
    let member = member.filter(|v| !v.is_null())?;
    let properties = member.get("properties");
    if let Some(name) = properties
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
    {
        return Some(name.to_owned());
    }
    if let Some(code) = properties
        .and_then(|p| p.get("code"))
        .and_then(Value::as_i64)
    {
        return Some(format!("EPSG:{code}"));
    }
    Some(member.to_string())
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

struct FeatureReader<'a> {
    input: &'a str,
}

/// Location of a ring inside a feature, for error messages.
#[derive(Clone, Copy)]
struct RingAt {
    index: usize,
    part: usize,
    ring: usize,
}

impl FeatureReader<'_> {
    fn malformed(&self, index: usize, problem: String, expected: &'static str) -> GeoError {
        GeoError::MalformedFeature {
            input: self.input.to_owned(),
            index,
            problem,
            expected,
        }
    }

    fn feature(&self, index: usize, value: &Value) -> Result<Feature, GeoError> {
        let Value::Object(object) = value else {
            return Err(self.malformed(
                index,
                format!("feature is {}", describe(value)),
                "an object with \"type\": \"Feature\"",
            ));
        };
        match object.get("type").and_then(Value::as_str) {
            Some("Feature") => {}
            Some(other) => {
                return Err(self.malformed(
                    index,
                    format!("\"type\" is {other:?}"),
                    "\"type\": \"Feature\"",
                ));
            }
            None => {
                return Err(self.malformed(
                    index,
                    "feature has no string \"type\" member".into(),
                    "\"type\": \"Feature\"",
                ));
            }
        }
        let properties = match object.get("properties") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(other) => {
                return Err(self.malformed(
                    index,
                    format!("\"properties\" is {}", describe(other)),
                    "an object or null",
                ));
            }
        };
        let geometry = match object.get("geometry") {
            None | Some(Value::Null) => None,
            Some(geometry) => self.geometry(index, geometry)?,
        };
        Ok(Feature {
            index,
            properties,
            geometry,
        })
    }

    fn geometry(&self, index: usize, value: &Value) -> Result<Option<MultiPolygon<f64>>, GeoError> {
        const EXPECTED: &str = "a Polygon or MultiPolygon geometry object with \"coordinates\"";
        let Value::Object(object) = value else {
            return Err(self.malformed(
                index,
                format!("\"geometry\" is {}", describe(value)),
                EXPECTED,
            ));
        };
        let kind = object.get("type").and_then(Value::as_str);
        let kind = match kind {
            Some(kind @ ("Polygon" | "MultiPolygon")) => kind,
            Some(other) => {
                return Err(GeoError::UnsupportedGeometry {
                    input: self.input.to_owned(),
                    index,
                    found: other.to_owned(),
                });
            }
            None => {
                return Err(self.malformed(
                    index,
                    "geometry has no string \"type\" member".into(),
                    EXPECTED,
                ));
            }
        };
        let Some(Value::Array(coordinates)) = object.get("coordinates") else {
            let found = object.get("coordinates").map_or("missing".into(), describe);
            return Err(self.malformed(
                index,
                format!("{kind} \"coordinates\" is {found}"),
                "an array of rings (Polygon) or of polygons (MultiPolygon)",
            ));
        };
        let polygons = if kind == "Polygon" {
            vec![self.polygon(index, 0, coordinates)?]
        } else {
            coordinates
                .iter()
                .enumerate()
                .map(|(part, rings)| match rings {
                    Value::Array(rings) => self.polygon(index, part, rings),
                    other => Err(self.malformed(
                        index,
                        format!("part {part} of the MultiPolygon is {}", describe(other)),
                        "an array of rings for each polygon",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let polygons: Vec<_> = polygons.into_iter().flatten().collect();
        Ok((!polygons.is_empty()).then_some(MultiPolygon(polygons)))
    }

    /// Parses one polygon's rings; `None` for an empty polygon (no rings).
    fn polygon(
        &self,
        index: usize,
        part: usize,
        rings: &[Value],
    ) -> Result<Option<Polygon<f64>>, GeoError> {
        let mut parsed = rings
            .iter()
            .enumerate()
            .map(|(ring, positions)| self.ring(RingAt { index, part, ring }, positions))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter();
        Ok(parsed
            .next()
            .map(|exterior| Polygon::new(exterior, parsed.collect())))
    }

    fn ring(&self, at: RingAt, value: &Value) -> Result<LineString<f64>, GeoError> {
        let ring_error = |problem: String| GeoError::InvalidRing {
            input: self.input.to_owned(),
            index: at.index,
            part: at.part,
            ring: at.ring,
            problem,
        };
        let Value::Array(positions) = value else {
            return Err(ring_error(format!(
                "ring is {}, not an array of positions",
                describe(value)
            )));
        };
        let coords = positions
            .iter()
            .enumerate()
            .map(|(position, value)| self.position(at, position, value))
            .collect::<Result<Vec<_>, _>>()?;
        if coords.len() < 4 {
            return Err(ring_error(format!(
                "ring has only {} positions",
                coords.len()
            )));
        }
        if let (Some(first), Some(last)) = (coords.first(), coords.last())
            && first != last
        {
            return Err(ring_error(format!(
                "position {} [{}, {}] differs from position 0 [{}, {}], so the ring is not closed",
                coords.len() - 1,
                last.x,
                last.y,
                first.x,
                first.y
            )));
        }
        Ok(LineString(coords))
    }

    fn position(&self, at: RingAt, position: usize, value: &Value) -> Result<Coord<f64>, GeoError> {
        let error = |problem: String| GeoError::InvalidCoordinate {
            input: self.input.to_owned(),
            index: at.index,
            part: at.part,
            ring: at.ring,
            position,
            problem,
        };
        let Value::Array(numbers) = value else {
            return Err(error(format!("position is {}", describe(value))));
        };
        let [x, y, ..] = numbers.as_slice() else {
            return Err(error(format!(
                "position has {} values instead of at least 2",
                numbers.len()
            )));
        };
        let number = |axis: &str, v: &Value| match v.as_f64() {
            Some(n) if n.is_finite() => Ok(n),
            Some(n) => Err(error(format!("{axis} coordinate {n} is not finite"))),
            None => Err(error(format!("{axis} coordinate is {}", describe(v)))),
        };
        Ok(Coord {
            x: number("x", x)?,
            y: number("y", y)?,
        })
    }
}

/// Serialises `layer` as a GeoJSON FeatureCollection in CRS `out`, rounding
/// coordinates to `decimals` places (use 6 for WGS84 ≈ 0.1 m, 2 for RD = 1 cm;
/// 15 or more disables rounding).
///
/// * RD New output gets a `crs` member `urn:ogc:def:crs:EPSG::28992`.
/// * WGS84 output follows RFC 7946: no `crs` member, lon/lat order, exterior
///   rings counter-clockwise and holes clockwise.
/// * Geometries are converted when `layer.crs != out`.
///
/// Output is deterministic: one feature per line, properties in the map's
/// (sorted) key order, every geometry written as MultiPolygon (or `null`).
/// Never fails; non-finite coordinates, which cannot come from
/// [`read_geojson`] but can be constructed, are written as `null`.
pub fn write_geojson(layer: &Layer, out: Crs, decimals: usize) -> String {
    let mut s = String::with_capacity(64 + layer.features.len() * 256);
    s.push_str("{\"type\":\"FeatureCollection\",\"name\":");
    s.push_str(&Value::String(layer.name.clone()).to_string());
    if out == Crs::RdNew {
        let _ = write!(
            s,
            ",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"{}\"}}}}",
            out.urn()
        );
    }
    s.push_str(",\"features\":[");
    for (i, feature) in layer.features.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str("{\"type\":\"Feature\",\"properties\":");
        s.push_str(&Value::Object(feature.properties.clone()).to_string());
        s.push_str(",\"geometry\":");
        match &feature.geometry {
            None => s.push_str("null"),
            Some(geometry) => {
                let mut geometry = crs::convert_multipolygon(geometry, layer.crs, out);
                if out == Crs::Wgs84 {
                    geometry = geometry.orient(Direction::Default);
                }
                write_multipolygon(&mut s, &geometry, decimals);
            }
        }
        s.push('}');
    }
    s.push_str("\n]}\n");
    s
}

fn write_multipolygon(s: &mut String, geometry: &MultiPolygon<f64>, decimals: usize) {
    s.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (p, polygon) in geometry.0.iter().enumerate() {
        if p > 0 {
            s.push(',');
        }
        s.push('[');
        let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
        for (r, ring) in rings.enumerate() {
            if r > 0 {
                s.push(',');
            }
            s.push('[');
            for (i, c) in ring.0.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push('[');
                write_number(s, c.x, decimals);
                s.push(',');
                write_number(s, c.y, decimals);
                s.push(']');
            }
            s.push(']');
        }
        s.push(']');
    }
    s.push_str("]}");
}

fn write_number(s: &mut String, value: f64, decimals: usize) {
    if !value.is_finite() {
        s.push_str("null");
        return;
    }
    let rounded = match i32::try_from(decimals) {
        Ok(d) if d < 15 => {
            let factor = 10f64.powi(d);
            let r = (value * factor).round() / factor;
            if r.is_finite() { r } else { value }
        }
        _ => value,
    };
    // Avoid "-0"; `Display` for f64 never uses exponents, so this is valid JSON.
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    let _ = write!(s, "{rounded}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_without_noise() {
        let mut s = String::new();
        for (v, d) in [
            (4.936_354_9, 5),
            (-0.000_001, 3),
            (155_000.123_456, 2),
            (1.5, 0),
        ] {
            write_number(&mut s, v, d);
            s.push(' ');
        }
        assert_eq!(s, "4.93635 0 155000.12 2 ");
    }
}
