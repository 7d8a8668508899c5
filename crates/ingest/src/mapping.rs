//! Mapping files: how a CBS (or other) area table's columns map to catalogue
//! indicators. One small TOML file per table in `data/mappings/`; users can pass
//! their own with `--mapping`. See the embedded files for examples.

use serde::Deserialize;
use veerkracht_dataset::{Catalogue, Missing};

use crate::error::{IngestError, Result};
use crate::text::RawTable;

/// The mapping files shipped with veerkracht, as (file name, text).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "86003NED.toml",
        include_str!("../../../data/mappings/86003NED.toml"),
    ),
    (
        "85995NED.toml",
        include_str!("../../../data/mappings/85995NED.toml"),
    ),
    (
        "47018NED.toml",
        include_str!("../../../data/mappings/47018NED.toml"),
    ),
    (
        "crime-wijk-buurt.toml",
        include_str!("../../../data/mappings/crime-wijk-buurt.toml"),
    ),
    (
        "leefbaarometer.toml",
        include_str!("../../../data/mappings/leefbaarometer.toml"),
    ),
];

/// What an empty cell means in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Blank {
    /// Figure not available.
    #[default]
    NotAvailable,
    /// Withheld because the cell is small.
    Suppressed,
}

impl Blank {
    /// The missing reason.
    pub fn missing(self) -> Missing {
        match self {
            Blank::NotAvailable => Missing::NotAvailable,
            Blank::Suppressed => Missing::Suppressed,
        }
    }
}

/// How rows with several periods per area and edition are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Periods {
    /// One row per area and edition; a second one is an error.
    #[default]
    Single,
    /// Keep the latest period per area and edition (quarterly or half-yearly tables).
    Latest,
}

/// An OData key reference.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OdataRef {
    /// Key stem without `_NN`.
    pub stem: String,
    /// Occurrence of the stem in key order (0 = first).
    #[serde(default)]
    pub occurrence: u8,
}

/// A row filter.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Column name or OData key stem.
    pub column: String,
    /// Required value (compared trimmed).
    pub equals: String,
}

/// One mapped measure.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Catalogue indicator id.
    pub indicator: String,
    /// Column names that hold it (first present wins).
    #[serde(default)]
    pub columns: Vec<String>,
    /// The OData key, when the file has OData keys.
    #[serde(default)]
    pub odata: Option<OdataRef>,
    /// Only rows where this column has this value (long-format tables).
    #[serde(default, rename = "where")]
    pub filter: Option<Filter>,
    /// Producer rounding of this count, overriding the table's.
    #[serde(default)]
    pub rounding: Option<u32>,
    /// The table carries this figure of another family as a denominator (the inhabitants in
    /// the crime tables): it fills cells no table of its own family gave and never replaces
    /// theirs (`Flags::CARRIED`).
    #[serde(default)]
    pub carried: bool,
}

/// A mapping file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Schema version (1).
    pub schema_version: u32,
    /// Table id (registry id in tables.toml, or a free id).
    pub table: String,
    /// Source family.
    pub family: String,
    /// Title.
    pub title: String,
    /// The table is recognised when any of these columns (names or OData stems) exists…
    #[serde(default)]
    pub detect_any: Vec<String>,
    /// …and all of these exist (`a|b` = either).
    #[serde(default)]
    pub detect_all: Vec<String>,
    /// Extra code column names.
    #[serde(default)]
    pub code_columns: Vec<String>,
    /// What an empty cell means.
    #[serde(default)]
    pub blank: Blank,
    /// Producer rounding of counts at wijk/buurt level.
    #[serde(default)]
    pub rounding: Option<u32>,
    /// Period handling.
    #[serde(default)]
    pub periods: Periods,
    /// Rows without a code are skipped (with a warning) instead of being an error.
    #[serde(default)]
    pub skip_rows_without_code: bool,
    /// Map every column of the family through the catalogue (short code or OData stem).
    #[serde(default)]
    pub auto: bool,
    /// Row filters.
    #[serde(default)]
    pub filter: Vec<Filter>,
    /// Explicit measures.
    #[serde(default)]
    pub measure: Vec<Measure>,
}

impl Mapping {
    /// Parses and validates a mapping file against the catalogue.
    pub fn parse(text: &str, file: &str, catalogue: &Catalogue) -> Result<Mapping> {
        let m: Mapping = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let mut err = IngestError::new(
                file,
                "bad_mapping",
                e.message().to_string(),
                "see data/mappings/*.toml for the format",
            );
            err.line = line;
            err
        })?;
        if m.schema_version != 1 {
            return Err(IngestError::new(
                file,
                "bad_mapping",
                format!("schema_version {} is not supported", m.schema_version),
                "use schema_version = 1",
            ));
        }
        if !m.auto && m.measure.is_empty() {
            return Err(IngestError::new(
                file,
                "bad_mapping",
                "no [[measure]] and auto = false: nothing would be imported",
                "add measures or set auto = true",
            ));
        }
        if m.detect_any.is_empty() && m.detect_all.is_empty() {
            return Err(IngestError::new(
                file,
                "bad_mapping",
                "no detect_any/detect_all columns",
                "list the columns that identify this table",
            ));
        }
        for ms in &m.measure {
            if catalogue.get(&ms.indicator).is_none() {
                return Err(IngestError::new(
                    file,
                    "bad_mapping",
                    format!("measure indicator '{}' is not in the catalogue", ms.indicator),
                    "use an id from `veerkracht indicators`, or add it to data/catalogue/indicators.csv",
                )
                .at_column("indicator"));
            }
            if ms.columns.is_empty() && ms.odata.is_none() {
                return Err(IngestError::new(
                    file,
                    "bad_mapping",
                    format!(
                        "measure '{}' names no column and no odata key",
                        ms.indicator
                    ),
                    "add columns = [\"…\"] or odata = { stem = \"…\" }",
                ));
            }
        }
        Ok(m)
    }

    /// The embedded mappings.
    pub fn embedded(catalogue: &Catalogue) -> Vec<Mapping> {
        EMBEDDED
            .iter()
            .map(|(name, text)| {
                Mapping::parse(text, name, catalogue)
                    .expect("embedded mappings are validated by the test suite")
            })
            .collect()
    }

    /// Whether this mapping recognises a table by its columns.
    pub fn matches(&self, t: &RawTable) -> bool {
        let has = |name: &str| {
            name.split('|').any(|n| {
                t.column(n).is_some() || t.column_stem(n).is_some() || t.column_any(&[n]).is_some()
            })
        };
        (self.detect_any.is_empty() || self.detect_any.iter().any(|c| has(c)))
            && self.detect_all.iter().all(|c| has(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_mappings_are_valid() {
        let c = Catalogue::embedded();
        assert_eq!(Mapping::embedded(&c).len(), EMBEDDED.len());
    }

    #[test]
    fn bad_mapping_names_the_problem() {
        let c = Catalogue::embedded();
        let e = Mapping::parse("schema_version = 1\ntable='t'\nfamily='x'\ntitle='t'\ndetect_any=['a']\n[[measure]]\nindicator='nope'\ncolumns=['a']\n", "m.toml", &c).unwrap_err();
        assert!(
            e.to_string().contains("'nope' is not in the catalogue"),
            "{e}"
        );
        let e = Mapping::parse(
            "schema_version = 1\ntable='t'\nfamily='x'\ntitle='t'\nbogus=1\n",
            "m.toml",
            &c,
        )
        .unwrap_err();
        assert!(e.to_string().contains("bogus"), "{e}");
    }
}
