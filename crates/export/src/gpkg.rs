//! GeoPackage output (RD New, EPSG:28992).
//!
//! Tables:
//! * feature table `{level plural}_{edition}` (e.g. `buurten_2024`): `fid`,
//!   `geom` (MULTIPOLYGON, NULL for areas without geometry), `let_op` TEXT
//!   (synthetic data only), `code`, `name`, `level`, `parent` TEXT, `edition`
//!   INTEGER, `gemeente` TEXT (wijk and buurt), one REAL column per indicator
//!   (NULL when missing) and a TEXT `{id}_betrouwbaarheid` column for
//!   indicators with flagged values;
//! * attribute table `ontbrekende_waarden(code, indicator, reden)`: one row per
//!   missing cell, with the reason (`not_available`, `secret`, `nil`,
//!   `not_yet_published`, `suppressed`);
//! * attribute table `indicatoren(id, label_nl, label_en, unit, direction,
//!   denominator, theme, family)`;
//! * attribute table `bronnen(file, table, family, format, period, rows, synthetic)`.
//!
//! Attribute tables are registered in `gpkg_contents` with data_type
//! `attributes`, so QGIS and GDAL list them. `gpkg_contents.last_change` holds
//! the time of writing, so GeoPackages are not byte-identical between runs.

use std::path::Path;

use rusqlite::{Connection, params};
use veerkracht_dataset::{Dataset, Value};
use veerkracht_geo::Crs;
use veerkracht_geo::gpkg::{self, ColumnDef, ColumnKind};

use crate::atomic::TempFile;
use crate::error::ExportError;
use crate::geojson::layer;
use crate::table::{ExportTable, LET_OP_COLUMN, SYNTHETIC_NOTE};
use crate::xlsx::{INDICATOR_FIELDS, SOURCE_FIELDS, indicator_rows};

/// Name of the attribute table of missing values.
pub const MISSING_TABLE: &str = "ontbrekende_waarden";
/// Name of the attribute table describing the indicators.
pub const INDICATOR_TABLE: &str = "indicatoren";
/// Name of the attribute table listing the sources.
pub const SOURCE_TABLE: &str = "bronnen";

/// Writes the GeoPackage to `path` (via a temporary file in the same directory).
pub(crate) fn write_file(
    ds: &Dataset,
    table: &ExportTable,
    path: &Path,
) -> Result<(), ExportError> {
    let (temp, file) = TempFile::beside(path)?;
    drop(file);
    let conn = Connection::open(temp.path()).map_err(|e| ExportError::gpkg(path, e))?;
    write(ds, table, &conn).map_err(|detail| ExportError::gpkg(path, detail))?;
    conn.close()
        .map_err(|(_, e)| ExportError::gpkg(path, format!("closing the database: {e}")))?;
    temp.persist(path)
}

/// Writes every table of the export into `conn` (an empty database) in one transaction.
pub(crate) fn write(ds: &Dataset, table: &ExportTable, conn: &Connection) -> Result<(), String> {
    let sql = |action: &'static str| move |e: rusqlite::Error| format!("{action}: {e}");
    conn.execute_batch("BEGIN")
        .map_err(sql("starting a transaction"))?;

    let mut columns = Vec::new();
    if table.synthetic {
        columns.push(ColumnDef::new(LET_OP_COLUMN, ColumnKind::Text));
    }
    for name in table.identity_columns() {
        let kind = if *name == "edition" {
            ColumnKind::Integer
        } else {
            ColumnKind::Text
        };
        columns.push(ColumnDef::new(*name, kind));
    }
    for c in &table.indicators {
        columns.push(ColumnDef::new(c.id(), ColumnKind::Real));
        if let Some(name) = c.reliability_column() {
            columns.push(ColumnDef::new(name, ColumnKind::Text));
        }
    }
    let name = table.layer_name();
    gpkg::write_layer(conn, &name, &layer(ds, table, false), &columns, Crs::RdNew)
        .map_err(|e| e.to_string())?;
    let mut description = format!(
        "veerkracht export: {} {}, {} gebieden",
        table.level,
        table.edition,
        table.rows.len()
    );
    if table.synthetic {
        description.push_str(&format!("; {SYNTHETIC_NOTE}"));
    }
    conn.execute(
        "UPDATE gpkg_contents SET description = ?2 WHERE table_name = ?1",
        params![name, description],
    )
    .map_err(sql("describing the layer"))?;

    attribute_table(
        conn,
        MISSING_TABLE,
        "missing values of the export: code, indicator, reason",
        &["code", "indicator", "reden"],
        &[],
    )?;
    {
        let mut insert = conn
            .prepare(&format!(
                "INSERT INTO {MISSING_TABLE} (code, indicator, reden) VALUES (?1, ?2, ?3)"
            ))
            .map_err(sql("preparing ontbrekende_waarden"))?;
        for row in &table.rows {
            for (cell, column) in row.cells.iter().zip(&table.indicators) {
                if let Value::Missing(m) = cell.value {
                    insert
                        .execute(params![row.code.as_str(), column.id(), m.as_str()])
                        .map_err(sql("filling ontbrekende_waarden"))?;
                }
            }
        }
    }

    attribute_table(
        conn,
        INDICATOR_TABLE,
        "indicators of the export: labels, unit, direction, denominator",
        &INDICATOR_FIELDS,
        &[],
    )?;
    {
        let placeholders = (1..=INDICATOR_FIELDS.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut insert = conn
            .prepare(&format!(
                "INSERT INTO {INDICATOR_TABLE} ({}) VALUES ({placeholders})",
                quoted(&INDICATOR_FIELDS)
            ))
            .map_err(sql("preparing indicatoren"))?;
        for fields in indicator_rows(table) {
            let values = fields.map(|f| (!f.is_empty()).then_some(f));
            insert
                .execute(rusqlite::params_from_iter(values))
                .map_err(sql("filling indicatoren"))?;
        }
    }

    attribute_table(
        conn,
        SOURCE_TABLE,
        "sources of the dataset",
        &SOURCE_FIELDS,
        &["rows", "synthetic"],
    )?;
    {
        let mut insert = conn
            .prepare(&format!(
                "INSERT INTO {SOURCE_TABLE} ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                quoted(&SOURCE_FIELDS)
            ))
            .map_err(sql("preparing bronnen"))?;
        for s in ds.sources() {
            insert
                .execute(params![
                    s.file,
                    s.table,
                    s.family,
                    s.format,
                    s.period,
                    i64::try_from(s.rows).unwrap_or(i64::MAX),
                    s.synthetic,
                ])
                .map_err(sql("filling bronnen"))?;
        }
    }
    conn.execute_batch("COMMIT").map_err(sql("committing"))?;
    Ok(())
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates a non-spatial table with an integer primary key `fid` and the given
/// columns (TEXT, or INTEGER for those in `integer`), and registers it in
/// gpkg_contents as `attributes`.
fn attribute_table(
    conn: &Connection,
    name: &str,
    description: &str,
    fields: &[&str],
    integer: &[&str],
) -> Result<(), String> {
    let columns: Vec<String> = fields
        .iter()
        .map(|f| {
            let kind = if integer.contains(f) {
                "INTEGER"
            } else {
                "TEXT"
            };
            format!("\"{f}\" {kind}")
        })
        .collect();
    conn.execute_batch(&format!(
        "CREATE TABLE \"{name}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {})",
        columns.join(", ")
    ))
    .map_err(|e| format!("creating table {name}: {e}"))?;
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
         VALUES (?1, 'attributes', ?1, ?2)",
        params![name, description],
    )
    .map_err(|e| format!("registering {name} in gpkg_contents: {e}"))?;
    Ok(())
}
