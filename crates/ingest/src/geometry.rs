//! Geometry imports: GeoJSON (WGS84 or RD New) and GeoPackage (the PDOK/CBS
//! wijk- en buurtkaart with `gemeenten`/`wijken`/`buurten` layers, or any
//! polygon layer). Geometries are stored in RD New. Attributes are imported only
//! when asked (`with_attributes`), mapped through the catalogue's short codes;
//! numeric sentinels ≤ −99,999,990 become missing values.

use veerkracht_dataset::{
    Area, AreaCode, Catalogue, Edition, GeometryRecord, ImportBatch, Indicator, Level, Missing,
    Observation, Value,
};
use veerkracht_geo::{Layer, validate};

use crate::error::{IngestError, Result};

const CODE_KEYS: &[&str] = &[
    "buurtcode",
    "bu_code",
    "wijkcode",
    "wk_code",
    "gemeentecode",
    "gm_code",
    "gwb_code",
    "gwb_code_10",
    "statcode",
    "code",
];
const NAME_KEYS: &[(&str, &str)] = &[
    ("buurtcode", "buurtnaam"),
    ("bu_code", "bu_naam"),
    ("wijkcode", "wijknaam"),
    ("wk_code", "wk_naam"),
    ("gemeentecode", "gemeentenaam"),
    ("gm_code", "gm_naam"),
    ("gwb_code", "regio"),
    ("gwb_code_10", "regio"),
    ("statcode", "statnaam"),
    ("code", "naam"),
];
const SKIP_ATTRS: &[&str] = &[
    "jaar",
    "water",
    "ind_wbi",
    "indelingswijziging_wijken_en_buurten",
    "meest_voorkomende_postcode",
    "dekkingspercentage",
    "fid",
    "id",
];

fn text_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Converts a layer into a batch for `edition`.
/// The vertex limit: no feature may have more positions than `limits.max_vertices` (the
/// checks after it cost time in the number of positions).
pub fn check_vertices(layer: &Layer, file: &str, limits: &crate::Limits) -> Result<()> {
    for f in &layer.features {
        let Some(g) = &f.geometry else { continue };
        let n: usize = g
            .0
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        if n > limits.max_vertices {
            return Err(IngestError::new(
                file,
                "too_many_vertices",
                format!("{n} positions, above the limit of {} per feature", limits.max_vertices),
                "simplify the shapes (QGIS: Vector ▸ Geometry Tools ▸ Simplify) or raise the limit with --max-vertices",
            )
            .at_feature(f.index + 1));
        }
    }
    Ok(())
}

/// Turns a polygon layer (GeoJSON or GeoPackage, already read) into an [`ImportBatch`] of
/// areas, geometries in RD New and, with `with_attributes`, the attributes the catalogue
/// knows by their KWB short code.
///
/// The area code comes from the most specific code property present (`buurtcode`,
/// `bu_code`, … `code`), the name from its matching name property, and the edition from
/// `edition` or else the feature's `jaar`. Degenerate rings are dropped and a
/// self-intersecting ring is kept with a warning; other invalid geometry, a missing or
/// unparsable code, a code that occurs twice in one edition, an unknown edition or a
/// non-numeric attribute is an [`IngestError`] naming `file` and the feature.
pub fn layer_to_batch(
    layer: Layer,
    file: &str,
    edition: Option<Edition>,
    catalogue: &Catalogue,
    with_attributes: bool,
) -> Result<ImportBatch> {
    // Structural problems (open rings, too few positions, NaN, no area) are errors; a ring
    // that touches or crosses itself (common in simplified shapes) is kept with a warning.
    let mut self_intersecting = Vec::new();
    let mut layer = layer;
    let mut degenerate = 0usize;
    for f in &mut layer.features {
        if let Some(g) = &mut f.geometry {
            degenerate += drop_degenerate_rings(g);
        }
    }
    for f in &layer.features {
        let Some(g) = &f.geometry else { continue };
        match validate::validate_multipolygon(g) {
            Ok(()) => {}
            Err(p @ validate::GeometryProblem::SelfIntersection { .. }) => {
                if self_intersecting.len() < 5 {
                    self_intersecting.push(format!("feature {} ({p})", f.index + 1));
                } else {
                    self_intersecting.push(String::new());
                }
            }
            Err(p) => {
                return Err(IngestError::new(file, "invalid_geometry", format!("invalid geometry: {p}"), "repair the polygon in QGIS (Vector ▸ Geometry Tools ▸ Fix Geometries) or with ogr2ogr -makevalid, and export again")
                    .at_feature(f.index + 1));
            }
        }
    }
    let layer = layer.to_rd();
    // Which code key: the most specific one present in the first feature that has any.
    let key = layer
        .features
        .iter()
        .find_map(|f| {
            CODE_KEYS.iter().find(|k| {
                f.properties
                    .get(**k)
                    .and_then(text_of)
                    .is_some_and(|s| !s.is_empty())
            })
        })
        .copied()
        .ok_or_else(|| {
            IngestError::new(
                file,
                "missing_column",
                format!(
                    "no feature has an area code property ({})",
                    CODE_KEYS.join(", ")
                ),
                "export the layer with its CBS codes (buurtcode/wijkcode/gemeentecode)",
            )
        })?;
    let name_key = NAME_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, n)| *n)
        .unwrap_or("naam");
    let mut batch = ImportBatch::default();
    let mut seen = std::collections::HashMap::new();
    let mut attr_cols: Vec<(String, u16)> = Vec::new();
    let mut ignored_attrs = std::collections::BTreeSet::new();
    for f in &layer.features {
        let feature_no = f.index + 1;
        let code_text = f.properties.get(key).and_then(text_of).unwrap_or_default();
        if code_text.is_empty() {
            return Err(IngestError::new(
                file,
                "empty_code",
                format!("feature has no '{key}'"),
                "give every feature its code",
            )
            .at_feature(feature_no)
            .at_column(key));
        }
        let code = AreaCode::parse(&code_text)
            .or_else(|_| AreaCode::parse_unprefixed(&code_text))
            .map_err(|e| {
                IngestError::new(file, "bad_code", e.to_string(), "correct the code")
                    .at_feature(feature_no)
                    .at_column(key)
            })?;
        let edition = match edition.or_else(|| {
            f.properties
                .get("jaar")
                .and_then(|v| v.as_f64())
                .map(|y| y as Edition)
        }) {
            Some(e) => e,
            None => {
                return Err(IngestError::new(
                    file,
                    "no_edition",
                    "cannot tell which year (edition) these shapes belong to",
                    "pass --edition YEAR or keep the year in the file name (buurten-2024.geojson)",
                ));
            }
        };
        if let Some(first) = seen.insert((edition, code), feature_no) {
            return Err(IngestError::new(
                file,
                "duplicate_code",
                format!("area {code} has two features (first: feature {first})"),
                "dissolve the parts into one MultiPolygon per area",
            )
            .at_feature(feature_no)
            .at_column(key));
        }
        let name = f
            .properties
            .get(name_key)
            .and_then(text_of)
            .unwrap_or_default();
        batch.areas.push(Area::new(code, name, edition));
        if let Some(g) = &f.geometry {
            batch.geometries.push(GeometryRecord {
                edition,
                code,
                geometry: g.clone(),
            });
        }
        for (k, v) in &f.properties {
            if CODE_KEYS.contains(&k.as_str())
                || NAME_KEYS.iter().any(|(_, n)| n == k)
                || SKIP_ATTRS.contains(&k.as_str())
            {
                continue;
            }
            if !with_attributes {
                ignored_attrs.insert(k.clone());
                continue;
            }
            let Some(ind) = catalogue.by_code(k, "kwb") else {
                ignored_attrs.insert(k.clone());
                continue;
            };
            let value = match v {
                serde_json::Value::Null => Value::Missing(Missing::NotAvailable),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(x) if x <= -99_999_990.0 => Value::Missing(Missing::NotAvailable),
                    Some(x) => Value::Number(x),
                    None => continue,
                },
                serde_json::Value::String(s) => match veerkracht_dataset::parse_cell(s, false) {
                    Ok(Some(v)) => v,
                    Ok(None) => Value::Missing(Missing::NotAvailable),
                    Err(msg) => {
                        return Err(IngestError::new(
                            file,
                            "bad_number",
                            msg,
                            "correct the attribute",
                        )
                        .at_feature(feature_no)
                        .at_column(k));
                    }
                },
                _ => continue,
            };
            let idx = match attr_cols.iter().find(|(c, _)| c == k) {
                Some((_, i)) => *i,
                None => {
                    let i = batch.indicators.len() as u16;
                    batch.indicators.push(Indicator::clone(ind));
                    attr_cols.push((k.clone(), i));
                    i
                }
            };
            let flags = crate::rows::import_flags(ind, code.level(), &value, None);
            batch.observations.push(Observation {
                edition,
                area: code,
                indicator: idx,
                value,
                flags,
            });
        }
    }
    if degenerate > 0 {
        batch.warnings.push(format!(
            "{degenerate} ring(s) without area (collapsed by simplification) were dropped"
        ));
    }
    if !self_intersecting.is_empty() {
        batch.warnings.push(format!(
            "{} feature(s) have a self-intersecting ring and were kept as they are (areas and overlaps may be slightly off; repair with ogr2ogr -makevalid): {}",
            self_intersecting.len(),
            self_intersecting.iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join("; ")
        ));
    }
    if !ignored_attrs.is_empty() {
        batch.warnings.push(format!(
            "{} attribute(s) not imported{}: {}",
            ignored_attrs.len(),
            if with_attributes {
                " (not KWB short codes)"
            } else {
                " (pass --with-attributes to import KWB short-code attributes)"
            },
            ignored_attrs.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(batch)
}

/// Which level a GeoPackage layer name stands for (`buurten`, `cbs_buurten_2024`, …).
pub fn layer_level(name: &str) -> Option<Level> {
    let n = name.to_lowercase();
    if n.contains("buurt") {
        Some(Level::Buurt)
    } else if n.contains("wijk") {
        Some(Level::Wijk)
    } else if n.contains("gemeente") {
        Some(Level::Gemeente)
    } else {
        None
    }
}

/// Gives features their area codes from a crosswalk CSV (`feature_index,…,gwb_code`), for
/// shape files that carry only names (e.g. municipal buurt maps). Features without a code
/// are dropped (counted in the returned number); several features with one code (multi-part
/// buurten) are merged into one MultiPolygon.
pub fn apply_code_crosswalk(layer: Layer, crosswalk: &str, name: &str) -> Result<(Layer, usize)> {
    let t = crate::text::read_csv(crosswalk, name)?;
    let idx = t
        .column_any(&["feature_index", "index", "fid"])
        .ok_or_else(|| {
            IngestError::new(
                name,
                "missing_column",
                "no feature_index column",
                "the crosswalk needs columns feature_index and gwb_code",
            )
            .at_line(1)
        })?;
    let code = t
        .column_any(&["gwb_code", "code", "buurtcode", "wijkcode"])
        .ok_or_else(|| {
            IngestError::new(
                name,
                "missing_column",
                "no gwb_code column",
                "the crosswalk needs columns feature_index and gwb_code",
            )
            .at_line(1)
        })?;
    let mut codes = std::collections::HashMap::new();
    for (line, r) in &t.rows {
        let i: usize = t.cell(r, idx).parse().map_err(|_| {
            IngestError::new(
                name,
                "bad_number",
                format!("'{}' is not a feature index", t.cell(r, idx)),
                "use the 0-based feature position",
            )
            .at_line(*line)
            .at_column(&t.headers[idx])
        })?;
        let c = t.cell(r, code);
        if !c.is_empty() {
            codes.insert(i, c.to_string());
        }
    }
    let mut merged: Vec<veerkracht_geo::Feature> = Vec::new();
    let mut pos: std::collections::HashMap<String, usize> = Default::default();
    let mut dropped = 0;
    for mut f in layer.features {
        let Some(c) = codes.get(&f.index) else {
            dropped += 1;
            continue;
        };
        match pos.get(c) {
            Some(&p) => {
                if let (Some(into), Some(g)) = (merged[p].geometry.as_mut(), f.geometry) {
                    into.0.extend(g.0);
                }
            }
            None => {
                f.properties
                    .insert("gwb_code".into(), serde_json::Value::String(c.clone()));
                if let Some(n) = f.properties.get("name").cloned() {
                    f.properties.insert("regio".into(), n);
                }
                pos.insert(c.clone(), merged.len());
                merged.push(f);
            }
        }
    }
    Ok((
        Layer {
            name: layer.name,
            crs: layer.crs,
            features: merged,
        },
        dropped,
    ))
}

fn ring_area(r: &geo_types::LineString<f64>) -> f64 {
    let c = &r.0;
    if c.len() < 4 {
        return 0.0;
    }
    let mut a = 0.0;
    for w in c.windows(2) {
        a += w[0].x * w[1].y - w[1].x * w[0].y;
    }
    (a / 2.0).abs()
}

/// Removes rings with fewer than 4 positions or no area (collapsed slivers of simplified
/// shapes): a polygon whose exterior is degenerate is dropped whole, a degenerate hole alone.
/// Rings with non-finite coordinates are left for validation to report. Returns the count removed.
fn drop_degenerate_rings(g: &mut geo_types::MultiPolygon<f64>) -> usize {
    let finite =
        |r: &geo_types::LineString<f64>| r.0.iter().all(|c| c.x.is_finite() && c.y.is_finite());
    let closed = |r: &geo_types::LineString<f64>| r.0.first() == r.0.last();
    let degenerate = |r: &geo_types::LineString<f64>| finite(r) && closed(r) && ring_area(r) == 0.0;
    let before: usize = g.0.iter().map(|p| 1 + p.interiors().len()).sum();
    let keep: Vec<geo_types::Polygon<f64>> =
        g.0.drain(..)
            .filter(|p| !degenerate(p.exterior()))
            .map(|p| {
                let (ext, ints) = p.into_inner();
                geo_types::Polygon::new(ext, ints.into_iter().filter(|r| !degenerate(r)).collect())
            })
            .collect();
    let after: usize = keep.iter().map(|p| 1 + p.interiors().len()).sum();
    g.0 = keep;
    before - after
}
