//! The in-memory export table that every writer renders: one row per area of a
//! level and edition (code order), one column per indicator.

use std::collections::{BTreeSet, HashMap, HashSet};

use veerkracht_dataset::{
    AreaCode, Catalogue, Dataset, Edition, Flags, Indicator, Level, Missing, Value,
};

use crate::ExportRequest;
use crate::error::ExportError;

/// Name of the column (CSV, XLSX) or property (GeoJSON, GeoPackage) that marks
/// synthetic demo data; present only when the dataset has a synthetic source.
pub const LET_OP_COLUMN: &str = "let_op";
/// The value of [`LET_OP_COLUMN`] in every row.
pub const SYNTHETIC_NOTE: &str = "synthetische demodata";
/// Suffix of an indicator's reliability column: `p_wcorpw_betrouwbaarheid`.
pub const RELIABILITY_SUFFIX: &str = "_betrouwbaarheid";
/// Reliability text of a count the producer rounded.
pub const RELIABILITY_ROUNDED: &str = "afgerond";
/// Reliability text of a share whose denominator is below 50.
pub const RELIABILITY_SMALL_DENOMINATOR: &str = "kleine_noemer";
/// GeoJSON property holding `{indicator: reason}` for the missing cells of a feature.
pub const MISSING_PROPERTY: &str = "ontbrekend";

/// Identity columns of every export, in order; `gemeente` only for wijk and buurt.
const IDENTITY: [&str; 6] = ["code", "name", "level", "parent", "edition", "gemeente"];
/// Names the writers use besides identity and indicator columns (GeoJSON
/// property, GeoPackage primary key and geometry column).
const RESERVED: [&str; 4] = [LET_OP_COLUMN, MISSING_PROPERTY, "fid", "geom"];

/// The table all writers share.
///
/// Rows are the areas of [`ExportTable::level`] in [`ExportTable::edition`], in
/// code order; [`ExportTable::indicators`] are the indicator columns in output
/// order, and every row has one [`ExportCell`] per indicator column.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportTable {
    /// The level exported.
    pub level: Level,
    /// The edition exported.
    pub edition: Edition,
    /// True when any source of the dataset is synthetic demo data; writers then
    /// add a [`LET_OP_COLUMN`] with [`SYNTHETIC_NOTE`].
    pub synthetic: bool,
    /// The indicator columns, in output order.
    pub indicators: Vec<ExportColumn>,
    /// One row per area, in code order.
    pub rows: Vec<ExportRow>,
}

/// One indicator column.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportColumn {
    /// The catalogue entry (an uncatalogued entry for columns the catalogue does
    /// not know); its `id` is the column name.
    pub indicator: Indicator,
    /// True when at least one exported number of this indicator is rounded or has
    /// a small denominator: the writers then add a `{id}_betrouwbaarheid` column.
    pub reliability: bool,
}

impl ExportColumn {
    /// The column name: the indicator id.
    pub fn id(&self) -> &str {
        &self.indicator.id
    }

    /// The name of the reliability column (`{id}_betrouwbaarheid`), when the
    /// column has one.
    pub fn reliability_column(&self) -> Option<String> {
        self.reliability
            .then(|| format!("{}{RELIABILITY_SUFFIX}", self.indicator.id))
    }
}

/// One area.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// Area code.
    pub code: AreaCode,
    /// Area name in this edition (may be empty when no source named it).
    pub name: String,
    /// Parent area by code structure (`None` for the land).
    pub parent: Option<AreaCode>,
    /// The gemeente the area lies in (`None` for the land).
    pub gemeente: Option<AreaCode>,
    /// True when the dataset has a non-empty geometry for the area in this edition.
    pub has_geometry: bool,
    /// One cell per indicator column.
    pub cells: Vec<ExportCell>,
}

/// One value of the table.
///
/// An area without any cell for an indicator (no source delivered it) is
/// exported as [`Missing::NotAvailable`]: "gegevens ontbreken".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExportCell {
    /// The number, or why it is missing.
    pub value: Value,
    /// Reliability flags as [`Dataset::cell`] reports them (import flags plus
    /// the small-denominator flag derived on read).
    pub flags: Flags,
}

impl ExportCell {
    /// The reliability text of a number: `afgerond`, `kleine_noemer`, both joined
    /// by `+`, or `None`. Missing values have no reliability text.
    pub fn reliability(&self) -> Option<&'static str> {
        self.value.number()?;
        match (
            self.flags.contains(Flags::ROUNDED),
            self.flags.contains(Flags::SMALL_DENOMINATOR),
        ) {
            (true, true) => Some("afgerond+kleine_noemer"),
            (true, false) => Some(RELIABILITY_ROUNDED),
            (false, true) => Some(RELIABILITY_SMALL_DENOMINATOR),
            (false, false) => None,
        }
    }
}

impl ExportTable {
    /// The identity column names, in order: `code`, `name`, `level`, `parent`,
    /// `edition`, and `gemeente` for wijk and buurt (not including [`LET_OP_COLUMN`]).
    pub fn identity_columns(&self) -> &'static [&'static str] {
        if self.has_gemeente_column() {
            &IDENTITY
        } else {
            &IDENTITY[..5]
        }
    }

    /// Whether the table has a `gemeente` column (wijk and buurt exports).
    pub fn has_gemeente_column(&self) -> bool {
        matches!(self.level, Level::Wijk | Level::Buurt)
    }

    /// The layer (and worksheet) name: level plural and edition, e.g. `buurten_2024`.
    pub fn layer_name(&self) -> String {
        format!("{}_{}", self.level.plural(), self.edition)
    }

    /// Number of rows whose area has a geometry.
    pub fn with_geometry(&self) -> usize {
        self.rows.iter().filter(|r| r.has_geometry).count()
    }

    /// All column names of the flat formats (CSV, XLSX) in order: [`LET_OP_COLUMN`]
    /// when synthetic, the identity columns, then each indicator followed by its
    /// reliability column when it has one.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.synthetic {
            names.push(LET_OP_COLUMN.to_owned());
        }
        names.extend(self.identity_columns().iter().map(|s| (*s).to_owned()));
        for c in &self.indicators {
            names.push(c.id().to_owned());
            names.extend(c.reliability_column());
        }
        names
    }
}

/// Builds the export table of `req.level` in `req.edition`.
///
/// Indicator columns are those in `req.indicators` (ids, or KWB short codes and
/// their aliases, resolved to ids; duplicates dropped; kept even without data,
/// every cell then reading not available), or else every indicator
/// with at least one cell (number or missing) at that level and edition, in
/// catalogue order with uncatalogued indicators last.
///
/// # Errors
/// * [`ExportError::NoEdition`] / [`ExportError::NoLevel`]: no areas to export;
///   the message lists the editions or levels that exist.
/// * [`ExportError::UnknownIndicator`], [`ExportError::NoIndicators`]: a bad
///   indicator list.
/// * [`ExportError::ColumnClash`]: an (uncatalogued) indicator id would collide
///   with another output column.
pub fn table(ds: &Dataset, req: &ExportRequest) -> Result<ExportTable, ExportError> {
    let areas = ds.areas(req.edition, req.level);
    if areas.is_empty() {
        return Err(no_areas(ds, req.edition, req.level));
    }
    let catalogue = ds.catalogue();
    let candidates: Vec<String> = match &req.indicators {
        Some(list) => resolve_requested(catalogue, list)?,
        None => ds
            .edition(req.edition)
            .map(|e| e.indicator_ids().map(str::to_owned).collect())
            .unwrap_or_default(),
    };

    // Cells per candidate column, over the rows.
    let mut columns: Vec<(String, Vec<Option<ExportCell>>)> = candidates
        .into_iter()
        .map(|id| {
            let cells = areas
                .iter()
                .map(|a| {
                    ds.cell(req.edition, &a.code, &id).map(|c| ExportCell {
                        value: c.value,
                        flags: c.flags,
                    })
                })
                .collect();
            (id, cells)
        })
        .collect();
    if req.indicators.is_none() {
        columns.retain(|(_, cells)| cells.iter().any(Option::is_some));
        let position: HashMap<&str, usize> = catalogue
            .indicators()
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.id.as_str(), i))
            .collect();
        columns.sort_by_cached_key(|(id, _)| {
            let catalogued = catalogue.get(id).is_some_and(|i| i.catalogued);
            let at = position.get(id.as_str()).copied().unwrap_or(usize::MAX);
            (!catalogued, at, id.clone())
        });
    }

    let not_available = ExportCell {
        value: Value::Missing(Missing::NotAvailable),
        flags: Flags::empty(),
    };
    let indicators: Vec<ExportColumn> = columns
        .iter()
        .map(|(id, cells)| ExportColumn {
            indicator: catalogue
                .get(id)
                .cloned()
                .unwrap_or_else(|| Indicator::uncatalogued(id, "onbekend")),
            reliability: cells.iter().flatten().any(|c| c.reliability().is_some()),
        })
        .collect();
    let geometries = ds.edition(req.edition).map(|e| e.geometries());
    let rows = areas
        .iter()
        .enumerate()
        .map(|(i, a)| ExportRow {
            code: a.code,
            name: a.name.clone(),
            parent: a.parent,
            gemeente: a.code.gemeente(),
            has_geometry: geometries
                .and_then(|g| g.get(&a.code))
                .is_some_and(|g| !g.0.is_empty()),
            cells: columns
                .iter()
                .map(|(_, cells)| cells[i].unwrap_or(not_available))
                .collect(),
        })
        .collect();
    let table = ExportTable {
        level: req.level,
        edition: req.edition,
        synthetic: ds.sources().iter().any(|s| s.synthetic),
        indicators,
        rows,
    };
    check_clashes(&table)?;
    Ok(table)
}

/// The most recent edition with areas at `level`, if any: the default when the
/// user gives no `--edition`.
pub fn latest_edition(ds: &Dataset, level: Level) -> Option<Edition> {
    ds.editions()
        .into_iter()
        .rev()
        .find(|&e| !ds.areas(e, level).is_empty())
}

fn resolve_requested(catalogue: &Catalogue, list: &[String]) -> Result<Vec<String>, ExportError> {
    let mut out: Vec<String> = Vec::new();
    for raw in list {
        let wanted = raw.trim();
        if wanted.is_empty() {
            continue;
        }
        let all = catalogue.indicators();
        let found = catalogue
            .get(wanted)
            .or_else(|| {
                all.iter()
                    .find(|i| i.kwb == wanted || i.aliases.iter().any(|a| a == wanted))
            })
            .or_else(|| all.iter().find(|i| i.id.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| ExportError::UnknownIndicator {
                id: wanted.to_owned(),
            })?;
        if !out.contains(&found.id) {
            out.push(found.id.clone());
        }
    }
    if out.is_empty() {
        return Err(ExportError::NoIndicators);
    }
    Ok(out)
}

fn no_areas(ds: &Dataset, edition: Edition, level: Level) -> ExportError {
    let with_areas: Vec<Edition> = ds
        .editions()
        .into_iter()
        .filter(|&e| ds.edition(e).is_some_and(|d| !d.areas().is_empty()))
        .collect();
    if !with_areas.contains(&edition) {
        let available = if with_areas.is_empty() {
            "the dataset has no areas yet; import data first with `veerkracht import`".to_owned()
        } else {
            format!(
                "editions with areas: {} (choose one with --edition)",
                join(with_areas.iter())
            )
        };
        return ExportError::NoEdition { edition, available };
    }
    let levels: BTreeSet<Level> = ds
        .edition(edition)
        .map(|d| d.areas().iter().map(|a| a.level).collect())
        .unwrap_or_default();
    let elsewhere: Vec<Edition> = with_areas
        .iter()
        .copied()
        .filter(|&e| !ds.areas(e, level).is_empty())
        .collect();
    let mut available = format!(
        "levels in {edition}: {} (choose one with --level)",
        join(levels.iter())
    );
    if !elsewhere.is_empty() {
        available.push_str(&format!(
            "; editions with {level} areas: {}",
            join(elsewhere.iter())
        ));
    }
    ExportError::NoLevel {
        edition,
        level: level.to_string(),
        available,
    }
}

fn join<T: ToString>(items: impl Iterator<Item = T>) -> String {
    items.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

fn check_clashes(table: &ExportTable) -> Result<(), ExportError> {
    let mut used: HashSet<String> = IDENTITY
        .iter()
        .chain(RESERVED.iter())
        .map(|s| s.to_ascii_lowercase())
        .collect();
    for c in &table.indicators {
        for name in std::iter::once(c.id().to_owned()).chain(c.reliability_column()) {
            if !used.insert(name.to_ascii_lowercase()) {
                return Err(ExportError::ColumnClash {
                    id: c.id().to_owned(),
                    column: name,
                });
            }
        }
    }
    Ok(())
}
