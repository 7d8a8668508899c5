//! Writing a list of flat rows (JSON objects with the same keys, as the analysis
//! commands produce them) to Apache Parquet, for Power BI, DuckDB, Spark and pandas.
//! Column types follow the values: numbers → Float64, booleans → Boolean,
//! everything else → Utf8; nulls stay nulls.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

use crate::error::ExportError;

/// Writes rows to a Parquet file (Snappy-compressed), atomically.
pub fn write_parquet(rows: &[Map<String, Value>], path: &Path) -> Result<(), ExportError> {
    let names: Vec<String> = rows
        .first()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for name in &names {
        let first = rows
            .iter()
            .find_map(|r| r.get(name).filter(|v| !v.is_null()));
        match first {
            Some(Value::Number(_)) => {
                fields.push(Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(
                    rows.iter()
                        .map(|r| r.get(name).and_then(Value::as_f64))
                        .collect::<Vec<_>>(),
                )));
            }
            Some(Value::Bool(_)) => {
                fields.push(Field::new(name, DataType::Boolean, true));
                arrays.push(Arc::new(BooleanArray::from(
                    rows.iter()
                        .map(|r| r.get(name).and_then(Value::as_bool))
                        .collect::<Vec<_>>(),
                )));
            }
            _ => {
                fields.push(Field::new(name, DataType::Utf8, true));
                let v: Vec<Option<String>> = rows
                    .iter()
                    .map(|r| match r.get(name) {
                        None | Some(Value::Null) => None,
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(other) => Some(other.to_string()),
                    })
                    .collect();
                arrays.push(Arc::new(StringArray::from(v)));
            }
        }
    }
    let fail = |e: &dyn std::fmt::Display| {
        ExportError::io(
            path,
            "writing Parquet",
            std::io::Error::other(e.to_string()),
        )
    };
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| fail(&e))?;
    crate::atomic::check_target(path)?;
    let (temp, file) = crate::atomic::TempFile::beside(path)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut w = ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| fail(&e))?;
    w.write(&batch).map_err(|e| fail(&e))?;
    w.close().map_err(|e| fail(&e))?;
    temp.persist(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn rows_round_trip_through_parquet() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.parquet");
        let rows: Vec<Map<String, Value>> = vec![
            serde_json::json!({"code": "BU90010001", "score": 12.5, "ok": true, "note": null}).as_object().unwrap().clone(),
            serde_json::json!({"code": "BU90010002", "score": null, "ok": false, "note": "te weinig"}).as_object().unwrap().clone(),
        ];
        write_parquet(&rows, &p).unwrap();
        let r = SerializedFileReader::new(std::fs::File::open(&p).unwrap()).unwrap();
        assert_eq!(r.metadata().file_metadata().num_rows(), 2);
        let fields: Vec<String> = r
            .metadata()
            .file_metadata()
            .schema()
            .get_fields()
            .iter()
            .map(|f| f.name().to_string())
            .collect();
        // Columns in the order the rows give them (serde_json's preserve_order): code first.
        assert_eq!(fields, vec!["code", "score", "ok", "note"]);
        let values: Vec<String> = r
            .get_row_iter(None)
            .unwrap()
            .map(|row| row.unwrap().to_string())
            .collect();
        assert_eq!(
            values[0],
            "{code: \"BU90010001\", score: 12.5, ok: true, note: null}"
        );
        assert_eq!(
            values[1],
            "{code: \"BU90010002\", score: null, ok: false, note: \"te weinig\"}"
        );
    }
}
