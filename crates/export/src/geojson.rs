//! GeoJSON output (RFC 7946: WGS84 longitude/latitude, 6 decimals ≈ 0.1 m).
//!
//! One feature per area, in code order, written with
//! [`veerkracht_geo::geojson::write_geojson`] (properties in sorted key order,
//! every geometry a MultiPolygon, `null` for areas without geometry).
//! Properties: `let_op` (synthetic data only), `code`, `name`, `level`,
//! `parent` (null for the land), `edition` (number), `gemeente` (wijk and
//! buurt), one number per indicator (null when missing), a
//! `{id}_betrouwbaarheid` text (or null) for indicators with flagged values,
//! and `ontbrekend`: an object `{indicator: reason}` listing the missing cells
//! of the feature (reasons: `not_available`, `secret`, `nil`,
//! `not_yet_published`, `suppressed`; empty object when none is missing).
//!
//! A top-level foreign member `metadata` describes the export: level, edition,
//! whether the data are synthetic, the indicators (labels, units, …), the
//! missing-value reasons and the sources.

use serde_json::{Map, Value as Json, json};
use veerkracht_dataset::{Dataset, Missing, Value};
use veerkracht_geo::{Crs, Feature, Layer};

use crate::table::{ExportTable, LET_OP_COLUMN, MISSING_PROPERTY, SYNTHETIC_NOTE};
use crate::xlsx::{INDICATOR_FIELDS, SOURCE_FIELDS, indicator_rows};

/// Decimal places of WGS84 coordinates.
pub const DECIMALS: usize = 6;

/// The export as a GeoJSON FeatureCollection text in WGS84.
pub fn geojson_string(ds: &Dataset, table: &ExportTable) -> String {
    let layer = layer(ds, table, true);
    let text = veerkracht_geo::geojson::write_geojson(&layer, Crs::Wgs84, DECIMALS);
    with_metadata(text, &layer.name, &metadata(ds, table))
}

/// The export as a [`Layer`] in RD New: one feature per row with the properties
/// described in the module documentation; the `ontbrekend` object only when
/// `missing_object` is true (the GeoPackage keeps missing reasons in a table).
pub fn layer(ds: &Dataset, table: &ExportTable, missing_object: bool) -> Layer {
    let geometries = ds.edition(table.edition).map(|e| e.geometries());
    let features = table
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let mut p = Map::new();
            if table.synthetic {
                p.insert(LET_OP_COLUMN.into(), SYNTHETIC_NOTE.into());
            }
            p.insert("code".into(), row.code.as_str().into());
            p.insert("name".into(), row.name.clone().into());
            p.insert("level".into(), table.level.as_str().into());
            p.insert(
                "parent".into(),
                row.parent.map_or(Json::Null, |c| c.as_str().into()),
            );
            p.insert("edition".into(), table.edition.into());
            if table.has_gemeente_column() {
                p.insert(
                    "gemeente".into(),
                    row.gemeente.map_or(Json::Null, |c| c.as_str().into()),
                );
            }
            let mut missing = Map::new();
            for (cell, column) in row.cells.iter().zip(&table.indicators) {
                let value = match cell.value {
                    Value::Number(x) => {
                        serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number)
                    }
                    Value::Missing(m) => {
                        missing.insert(column.id().to_owned(), m.as_str().into());
                        Json::Null
                    }
                };
                p.insert(column.id().to_owned(), value);
                if let Some(name) = column.reliability_column() {
                    p.insert(name, cell.reliability().map_or(Json::Null, Json::from));
                }
            }
            if missing_object {
                p.insert(MISSING_PROPERTY.into(), Json::Object(missing));
            }
            Feature {
                index,
                properties: p,
                geometry: geometries
                    .and_then(|g| g.get(&row.code))
                    .filter(|g| !g.0.is_empty())
                    .cloned(),
            }
        })
        .collect();
    Layer {
        name: table.layer_name(),
        crs: Crs::RdNew,
        features,
    }
}

/// The `metadata` member.
fn metadata(ds: &Dataset, table: &ExportTable) -> Json {
    let indicators: Vec<Json> = indicator_rows(table)
        .into_iter()
        .map(|fields| {
            let object: Map<String, Json> = INDICATOR_FIELDS
                .iter()
                .zip(fields)
                .map(|(k, v)| {
                    let v = if v.is_empty() { Json::Null } else { v.into() };
                    ((*k).to_owned(), v)
                })
                .collect();
            Json::Object(object)
        })
        .collect();
    let sources: Vec<Json> = ds
        .sources()
        .iter()
        .map(|s| {
            let values = [
                json!(s.file),
                json!(s.table),
                json!(s.family),
                json!(s.format),
                json!(s.period),
                json!(s.rows),
                json!(s.synthetic),
            ];
            Json::Object(
                SOURCE_FIELDS
                    .iter()
                    .map(|k| (*k).to_owned())
                    .zip(values)
                    .collect(),
            )
        })
        .collect();
    let reasons: Map<String, Json> = [
        Missing::NotAvailable,
        Missing::Secret,
        Missing::Nil,
        Missing::NotYetPublished,
        Missing::Suppressed,
    ]
    .into_iter()
    .map(|m| (m.as_str().to_owned(), m.label_nl().into()))
    .collect();
    let mut m = json!({
        "level": table.level.as_str(),
        "edition": table.edition,
        "synthetic": table.synthetic,
        "indicators": indicators,
        "missing_reasons": reasons,
        "sources": sources,
    });
    if table.synthetic
        && let Some(object) = m.as_object_mut()
    {
        object.insert(LET_OP_COLUMN.into(), SYNTHETIC_NOTE.into());
    }
    m
}

/// Inserts `"metadata": …` after the collection's `name` member of text written
/// by `write_geojson`; returns the text unchanged if it does not start as expected.
fn with_metadata(text: String, name: &str, metadata: &Json) -> String {
    let prefix = format!(
        "{{\"type\":\"FeatureCollection\",\"name\":{}",
        Json::String(name.to_owned())
    );
    if !text.starts_with(&prefix) {
        return text;
    }
    let member = format!(",\"metadata\":{metadata}");
    let mut out = String::with_capacity(text.len() + member.len());
    out.push_str(&prefix);
    out.push_str(&member);
    out.push_str(&text[prefix.len()..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_goes_after_the_name() {
        let text =
            "{\"type\":\"FeatureCollection\",\"name\":\"b\\\"x\",\"features\":[]}".to_owned();
        let out = with_metadata(text, "b\"x", &json!({"a": 1}));
        assert_eq!(
            out,
            "{\"type\":\"FeatureCollection\",\"name\":\"b\\\"x\",\"metadata\":{\"a\":1},\"features\":[]}"
        );
        let other = "{\"type\":\"Feature\"}".to_owned();
        assert_eq!(with_metadata(other.clone(), "b", &json!({})), other);
    }
}
