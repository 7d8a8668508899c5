//! Import errors: always the file, the place (line/row and column) when there is
//! one, what was found or expected, and how to fix it. One line when displayed.

use std::fmt;

/// An import failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// File name as given by the user.
    pub file: String,
    /// 1-based line (CSV), row (XLSX) or feature number, when the problem has a place.
    pub line: Option<usize>,
    /// Column name, when the problem has one.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// What `line` counts: `line` (CSV), `row` (XLSX) or `feature` (GeoJSON/GeoPackage).
    pub place: &'static str,
    /// A stable machine-readable kind (`empty_file`, `not_utf8`, `bad_number`, …), used by tests and the error catalogue.
    pub kind: &'static str,
}

impl IngestError {
    /// A new error for a file.
    pub fn new(
        file: &str,
        kind: &'static str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> IngestError {
        IngestError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
            fix: fix.into(),
            place: "line",
            kind,
        }
    }

    /// With a line/row number.
    pub fn at_line(mut self, line: usize) -> IngestError {
        self.line = Some(line);
        self
    }

    /// With a spreadsheet row number.
    pub fn at_row(mut self, row: usize) -> IngestError {
        self.line = Some(row);
        self.place = "row";
        self
    }

    /// With a 1-based feature number.
    pub fn at_feature(mut self, feature: usize) -> IngestError {
        self.line = Some(feature);
        self.place = "feature";
        self
    }

    /// With a column name.
    pub fn at_column(mut self, column: &str) -> IngestError {
        self.column = Some(column.to_string());
        self
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ": {} {l}", self.place)?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.fix.is_empty() {
            write!(f, " — fix: {}", self.fix)?;
        }
        Ok(())
    }
}

impl std::error::Error for IngestError {}

/// Result alias.
pub type Result<T> = std::result::Result<T, IngestError>;
