//! # veerkracht-export
//!
//! Writes the areas of one level and edition, with their indicator values, to a
//! file for analysts: CSV (Excel, Power BI, R), GeoJSON (web maps), GeoPackage
//! (QGIS) or XLSX (Excel), chosen by the file extension — this is
//! `veerkracht export --level LEVEL [--edition YEAR] [--indicators a,b,c] --out FILE`.
//!
//! Every writer renders the same [`ExportTable`] (built by [`table`]): one row
//! per area in code order with the identity columns `code`, `name`, `level`,
//! `parent`, `edition` and, for wijk and buurt, `gemeente`; one column per
//! indicator, named by its id.
//!
//! Rules that hold in every format:
//! * A missing value never becomes 0. CSV and XLSX write the CBS symbol (`.` not
//!   available or not yet published, `x` secret or suppressed, `-` nil);
//!   GeoJSON and GeoPackage write null and keep the reason (a per-feature
//!   `ontbrekend` object, an `ontbrekende_waarden` table). Because CBS has one
//!   symbol for both, a suppressed value exports as `x` and re-imports as
//!   *secret*, and a single not-yet-published cell as `.` re-imports as *not
//!   available* (a column that is `.` throughout re-imports as not yet published).
//! * Reliability: each indicator with a rounded value or a small denominator
//!   gets a `{id}_betrouwbaarheid` column (`afgerond`, `kleine_noemer`, or both
//!   joined by `+`).
//! * Synthetic demo data are marked: when any source is synthetic, every row
//!   carries `let_op` = `synthetische demodata`.
//! * Output is deterministic: the same dataset gives byte-identical CSV, GeoJSON
//!   and XLSX (whose creation date is fixed); a GeoPackage records its writing
//!   time in `gpkg_contents`.
//! * Files are written to a temporary file in the target directory and renamed
//!   over the target, which is replaced only if it is a regular file.
//!
//! The format modules document each layout: [`delimited`] (CSV), [`xlsx`],
//! [`geojson`], [`gpkg`].
//!
//! Invariant: this crate reads a [`Dataset`] and writes files; it never imports.

#![warn(missing_docs)]

pub mod atomic;
pub mod delimited;
mod error;
pub mod geojson;
pub mod gpkg;
pub mod rows;
mod table;
pub mod xlsx;

use std::fmt;
use std::path::{Path, PathBuf};

use veerkracht_dataset::{Dataset, Edition, Level};

pub use crate::delimited::write_csv;
pub use crate::error::ExportError;
pub use crate::geojson::geojson_string;
pub use crate::table::{
    ExportCell, ExportColumn, ExportRow, ExportTable, LET_OP_COLUMN, MISSING_PROPERTY,
    RELIABILITY_ROUNDED, RELIABILITY_SMALL_DENOMINATOR, RELIABILITY_SUFFIX, SYNTHETIC_NOTE,
    latest_edition, table,
};

/// An export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma- or semicolon-separated values (`.csv`); see [`delimited`].
    Csv,
    /// GeoJSON in WGS84 (`.geojson`, `.json`); see [`geojson`].
    GeoJson,
    /// GeoPackage in RD New (`.gpkg`); see [`gpkg`].
    GeoPackage,
    /// Excel workbook (`.xlsx`); see [`xlsx`].
    Xlsx,
}

impl Format {
    /// The format for a file name's extension (case-insensitive): `.csv`,
    /// `.geojson` or `.json`, `.gpkg`, `.xlsx`.
    ///
    /// # Errors
    /// [`ExportError::UnknownFormat`] for any other or no extension; the message
    /// lists the four formats.
    pub fn from_path(path: &Path) -> Result<Format, ExportError> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("geojson" | "json") => Ok(Format::GeoJson),
            Some("gpkg") => Ok(Format::GeoPackage),
            Some("xlsx") => Ok(Format::Xlsx),
            other => Err(ExportError::UnknownFormat {
                path: error::shown(path),
                found: other.map_or_else(|| "(no extension)".to_owned(), |e| format!("'.{e}'")),
            }),
        }
    }

    /// Short name: `csv`, `geojson`, `gpkg`, `xlsx` (the usual extension).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::GeoJson => "geojson",
            Format::GeoPackage => "gpkg",
            Format::Xlsx => "xlsx",
        }
    }

    /// Whether the format carries geometries (GeoJSON, GeoPackage).
    pub fn has_geometry(self) -> bool {
        matches!(self, Format::GeoJson | Format::GeoPackage)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "CSV",
            Format::GeoJson => "GeoJSON",
            Format::GeoPackage => "GeoPackage",
            Format::Xlsx => "XLSX",
        })
    }
}

/// Separator and decimal mark of CSV output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CsvDialect {
    /// `,` between fields and `.` as decimal mark (R, Python, Power BI, English Excel).
    #[default]
    International,
    /// `;` between fields and a decimal comma, with a UTF-8 byte-order mark, as
    /// Excel with Dutch regional settings opens by double-click.
    DutchExcel,
}

impl CsvDialect {
    /// The field delimiter byte.
    pub fn delimiter(self) -> u8 {
        match self {
            CsvDialect::International => b',',
            CsvDialect::DutchExcel => b';',
        }
    }

    /// Whether numbers use a decimal comma.
    pub fn decimal_comma(self) -> bool {
        self == CsvDialect::DutchExcel
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    /// The level whose areas become rows.
    pub level: Level,
    /// The edition (boundary year); see [`latest_edition`] for a default.
    pub edition: Edition,
    /// Indicator ids (KWB short codes and aliases are accepted too), in output
    /// order; `None` exports every indicator with data at that level and edition.
    pub indicators: Option<Vec<String>>,
    /// CSV separator and decimal mark (ignored by the other formats).
    pub csv_dialect: CsvDialect,
}

impl ExportRequest {
    /// A request for all indicators of `level` in `edition`, international CSV.
    pub fn new(level: Level, edition: Edition) -> ExportRequest {
        ExportRequest {
            level,
            edition,
            indicators: None,
            csv_dialect: CsvDialect::default(),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file written.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Number of areas (rows or features).
    pub areas: usize,
    /// Number of indicator columns (not counting reliability columns).
    pub indicators: usize,
    /// Number of features written with a geometry; 0 for CSV and XLSX, which
    /// carry no geometry.
    pub with_geometry: usize,
    /// True when the data are (partly) synthetic demo data and marked `let_op`.
    pub synthetic: bool,
}

/// Exports the areas of `req.level` in `req.edition` to `path`, in the format
/// its extension names ([`Format::from_path`]).
///
/// The file is written to a temporary file in the same directory and then
/// renamed to `path`; an existing regular file is replaced.
///
/// # Errors
/// * [`ExportError::UnknownFormat`]: the extension is not .csv, .geojson/.json,
///   .gpkg or .xlsx.
/// * [`ExportError::NotAFile`]: `path` is a directory or other non-file.
/// * Those of [`table`] (no areas, unknown indicators, column clashes).
/// * [`ExportError::Io`], [`ExportError::Xlsx`], [`ExportError::GeoPackage`]:
///   writing failed; nothing is left at `path` that was not there before.
pub fn export(
    ds: &Dataset,
    req: &ExportRequest,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    let format = Format::from_path(path)?;
    atomic::check_target(path)?;
    let t = table(ds, req)?;
    match format {
        Format::Csv => {
            let mut bytes = Vec::new();
            write_csv(&t, req.csv_dialect, &mut bytes)
                .map_err(|e| ExportError::io(path, "writing CSV", e))?;
            atomic::write_atomically(path, &bytes)?;
        }
        Format::GeoJson => atomic::write_atomically(path, geojson_string(ds, &t).as_bytes())?,
        Format::Xlsx => {
            let bytes = xlsx::workbook_bytes(ds, &t).map_err(|e| ExportError::xlsx(path, e))?;
            atomic::write_atomically(path, &bytes)?;
        }
        Format::GeoPackage => gpkg::write_file(ds, &t, path)?,
    }
    Ok(ExportSummary {
        path: path.to_path_buf(),
        format,
        areas: t.rows.len(),
        indicators: t.indicators.len(),
        with_geometry: if format.has_geometry() {
            t.with_geometry()
        } else {
            0
        },
        synthetic: t.synthetic,
    })
}
