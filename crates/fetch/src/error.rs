//! What can go wrong while fetching, each naming the URL, the table and the fix.

use std::fmt;

/// A failed fetch: where (URL, table), what was expected, and what the user can do.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchError {
    /// The request that failed (empty when none was sent).
    pub url: String,
    /// The table or source it was for (`85984NED`, `wijken-en-buurten-2024`), when known.
    pub table: Option<String>,
    /// What happened, and what the protocol promised instead.
    pub message: String,
    /// What the user can do about it.
    pub fix: String,
    /// The host could not be reached at all (no connection, name not found, time-out):
    /// the CLI prints one line and touches nothing.
    pub offline: bool,
}

impl FetchError {
    /// An error about a response of `url`.
    pub fn new(url: &str, message: impl Into<String>, fix: impl Into<String>) -> FetchError {
        FetchError {
            url: url.to_string(),
            table: None,
            message: message.into(),
            fix: fix.into(),
            offline: false,
        }
    }

    /// The same error, for `table`.
    pub fn for_table(mut self, table: &str) -> FetchError {
        if self.table.is_none() {
            self.table = Some(table.to_string());
        }
        self
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.offline {
            return write!(f, "{}", self.message);
        }
        if let Some(t) = &self.table {
            write!(f, "tabel {t}: ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.url.is_empty() {
            write!(f, " ({})", self.url)?;
        }
        if !self.fix.is_empty() {
            write!(f, " — {}", self.fix)?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

/// A result of this crate.
pub type Result<T> = std::result::Result<T, FetchError>;
