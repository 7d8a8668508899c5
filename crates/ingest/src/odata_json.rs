//! CBS OData v3 JSON: a `TypedDataSet` response plus the table's `DataProperties`.
//! Measures are resolved through the metadata: the key stem (key without `_NN`)
//! with its occurrence among topics, and the `Title` as a fallback when CBS
//! renamed a key. Never by a hard-coded suffix.

use serde_json::Value as Json;
use veerkracht_dataset::Catalogue;

use crate::error::{IngestError, Result};
use crate::text::{RawTable, odata_stem};

/// One DataProperties entry that matters here.
#[derive(Debug, Clone)]
pub struct Property {
    /// OData key (`AantalInwoners_5`).
    pub key: String,
    /// Title.
    pub title: String,
    /// `Topic`, `Dimension`, `GeoDimension`, `TimeDimension`, `TopicGroup`.
    pub kind: String,
}

fn array<'a>(v: &'a Json, what: &str, file: &str) -> Result<&'a Vec<Json>> {
    v.get("value").and_then(Json::as_array).ok_or_else(|| {
        IngestError::new(
            file,
            "bad_odata",
            format!("{what} has no 'value' array"),
            "save the full OData response (…/TypedDataSet and …/DataProperties)",
        )
    })
}

/// Parses DataProperties.
pub fn parse_properties(v: &Json, file: &str) -> Result<Vec<Property>> {
    let mut props: Vec<(i64, Property)> = Vec::new();
    for (i, p) in array(v, "DataProperties", file)?.iter().enumerate() {
        let kind = p
            .get("Type")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let key = p
            .get("Key")
            .and_then(Json::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        if key.is_empty() {
            continue; // topic groups have no key
        }
        let pos = p
            .get("Position")
            .and_then(Json::as_i64)
            .or_else(|| p.get("ID").and_then(Json::as_i64))
            .unwrap_or(i as i64);
        let title = p
            .get("Title")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        props.push((pos, Property { key, title, kind }));
    }
    props.sort_by_key(|p| p.0);
    Ok(props.into_iter().map(|p| p.1).collect())
}

/// Turns TypedDataSet + DataProperties into a table whose headers are OData keys; a key whose
/// stem the catalogue does not know but whose title it does is renamed to the catalogue code.
pub fn read_odata(
    data: &Json,
    props: &Json,
    file: &str,
    catalogue: &Catalogue,
    family: &str,
) -> Result<(RawTable, Vec<String>)> {
    let props = parse_properties(props, file)?;
    let rows = array(data, "TypedDataSet", file)?;
    let mut warnings = Vec::new();
    let mut headers = vec!["ID".to_string()];
    let mut keys = vec!["ID".to_string()];
    let mut occurrences: std::collections::HashMap<String, u8> = Default::default();
    for p in &props {
        keys.push(p.key.clone());
        if p.kind != "Topic" {
            headers.push(p.key.clone());
            continue;
        }
        let (stem, _) = odata_stem(&p.key);
        let occ = occurrences.entry(stem.to_string()).or_insert(0);
        let by_stem = catalogue.by_odata_stem(stem, *occ, family).is_some();
        *occ += 1;
        if !by_stem && let Some(ind) = catalogue.by_odata_title(&p.title, family) {
            warnings.push(format!(
                "measure {} resolved by its title '{}' to {}",
                p.key, p.title, ind.id
            ));
            headers.push(ind.kwb.clone());
            continue;
        }
        headers.push(p.key.clone());
    }
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let obj = r.as_object().ok_or_else(|| {
            IngestError::new(
                file,
                "bad_odata",
                "a TypedDataSet row is not an object",
                "save the OData response unchanged",
            )
            .at_line(i + 1)
        })?;
        let mut rec = csv::StringRecord::new();
        for k in &keys {
            let text = match obj.get(k) {
                None | Some(Json::Null) => String::new(),
                Some(Json::String(s)) => s.clone(),
                Some(Json::Number(n)) => n.to_string(),
                Some(Json::Bool(b)) => b.to_string(),
                Some(other) => {
                    return Err(IngestError::new(
                        file,
                        "bad_odata",
                        format!("value {other} is not a number or text"),
                        "save the OData response unchanged",
                    )
                    .at_line(i + 1)
                    .at_column(k));
                }
            };
            rec.push_field(&text);
        }
        out.push((i + 1, rec));
    }
    let unknown: Vec<&String> = rows
        .first()
        .and_then(Json::as_object)
        .map(|o| o.keys().filter(|k| !keys.contains(k)).collect())
        .unwrap_or_default();
    if !unknown.is_empty() {
        warnings.push(format!(
            "keys in TypedDataSet without DataProperties entry were ignored: {}",
            unknown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok((
        RawTable {
            file: file.to_string(),
            headers,
            rows: out,
            decimal_comma: false,
            format: "odata-json",
        },
        warnings,
    ))
}
