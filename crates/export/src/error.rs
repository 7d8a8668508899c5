//! The crate's error type.

use std::fmt;
use std::path::Path;

/// Every error an export can report.
///
/// The `Display` text is one line: the file (when there is one), what is wrong
/// and how to fix it, e.g.
/// `out.txt: unknown export format '.txt'; use .csv, .geojson (or .json), .gpkg or .xlsx`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The output file name has no extension or one that is not an export format.
    #[error("{path}: unknown export format {found}; use .csv, .geojson (or .json), .gpkg or .xlsx")]
    UnknownFormat {
        /// The output path as given.
        path: String,
        /// The extension found (`'.txt'`) or `(no extension)`.
        found: String,
    },

    /// A requested indicator id is neither a catalogue id nor a known short code.
    #[error("unknown indicator '{id}'; run `veerkracht indicators` to list the indicator ids")]
    UnknownIndicator {
        /// The id as requested.
        id: String,
    },

    /// The request names an empty list of indicators.
    #[error(
        "no indicators requested; give ids separated by commas, or leave out --indicators to export every indicator with data"
    )]
    NoIndicators,

    /// The dataset has no areas in the requested edition.
    #[error("edition {edition} has no areas; {available}")]
    NoEdition {
        /// The requested edition.
        edition: u16,
        /// Which editions exist, phrased for the user.
        available: String,
    },

    /// The edition exists but has no areas at the requested level.
    #[error("edition {edition} has no {level} areas; {available}")]
    NoLevel {
        /// The requested edition.
        edition: u16,
        /// The requested level (`buurt`).
        level: String,
        /// Which levels exist in the edition, phrased for the user.
        available: String,
    },

    /// Two output columns would get the same name (an uncatalogued indicator named
    /// like an identity column, or like another indicator's reliability column).
    #[error(
        "indicator '{id}' would give a column named '{column}', which the export already uses; leave it out with --indicators"
    )]
    ColumnClash {
        /// The indicator id.
        id: String,
        /// The clashing column name.
        column: String,
    },

    /// The output path exists and is not a regular file (e.g. a directory).
    #[error("{path}: exists and is not a regular file; choose a file name, not a directory")]
    NotAFile {
        /// The output path.
        path: String,
    },

    /// Reading or writing the file system failed.
    #[error("{path}: {action} failed: {source}; check that the directory exists and is writable")]
    Io {
        /// The file involved.
        path: String,
        /// What was being done (`writing`, `renaming the temporary file`).
        action: &'static str,
        /// The operating-system error.
        source: std::io::Error,
    },

    /// The XLSX writer failed.
    #[error(
        "{path}: writing the Excel workbook failed: {detail}; export fewer rows or columns, or use .csv"
    )]
    Xlsx {
        /// The output path.
        path: String,
        /// rust_xlsxwriter's description.
        detail: String,
    },

    /// Writing the GeoPackage failed.
    #[error("{path}: writing the GeoPackage failed: {detail}")]
    GeoPackage {
        /// The output path.
        path: String,
        /// What failed, with the SQLite or geometry error and its fix.
        detail: String,
    },
}

impl ExportError {
    pub(crate) fn io(path: &Path, action: &'static str, source: std::io::Error) -> ExportError {
        ExportError::Io {
            path: shown(path),
            action,
            source,
        }
    }

    pub(crate) fn gpkg(path: &Path, detail: impl fmt::Display) -> ExportError {
        ExportError::GeoPackage {
            path: shown(path),
            detail: detail.to_string(),
        }
    }

    pub(crate) fn xlsx(path: &Path, detail: impl fmt::Display) -> ExportError {
        ExportError::Xlsx {
            path: shown(path),
            detail: detail.to_string(),
        }
    }
}

/// A path as shown in messages.
pub(crate) fn shown(path: &Path) -> String {
    path.display().to_string()
}
