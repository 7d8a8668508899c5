//! From base quantities to published KWB cells, and the one CSV row writer in CBS download
//! style (`;` separated, decimal comma, `.` for missing, quoted text).
//!
//! Publication rules, as CBS applies them:
//! - counts at wijk and buurt level are rounded to multiples of 5 (areas are whole
//!   hectares); gemeente and country counts are exact;
//! - ratios and percentages of wijken and buurten with fewer than 50 inhabitants or fewer than
//!   20 dwellings are suppressed;
//! - income is not yet published in the newest edition ([`LATEST_EDITION`]);
//! - a few soft indicators are randomly missing at buurt level.

use std::fmt::Write as _;

use crate::columns::{COLUMNS, Column, Ident, Rule, Theme};
use crate::quantity::{Base, Q};
use crate::rng::{self, Draw, tag};

/// The newest edition; its income columns are not yet published.
pub(crate) const LATEST_EDITION: i32 = 2024;

/// Probability that a soft indicator is missing in a buurt row.
const GAP_PROBABILITY: f64 = 0.004;

/// Regional level of a row (`recs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    Land,
    Gemeente,
    Wijk,
    Buurt,
}

impl Level {
    /// The `recs` label.
    pub(crate) fn recs(self) -> &'static str {
        match self {
            Level::Land => "Land",
            Level::Gemeente => "Gemeente",
            Level::Wijk => "Wijk",
            Level::Buurt => "Buurt",
        }
    }

    /// Whether counts are rounded to multiples of 5 and small areas suppressed.
    fn is_small_area_level(self) -> bool {
        matches!(self, Level::Wijk | Level::Buurt)
    }
}

/// Identity of a row.
#[derive(Clone, Debug)]
pub(crate) struct RowId {
    /// Code with prefix, e.g. `BU90010103` (also `gwb_code`).
    pub code: String,
    pub regio: String,
    pub gm_naam: String,
    pub level: Level,
    /// Indelingswijziging; `None` is published as `.`.
    pub ind_wbi: Option<u8>,
}

impl RowId {
    /// The identity of the `Nederland` row.
    pub(crate) fn nederland() -> Self {
        RowId {
            code: "NL00".into(),
            regio: "Nederland".into(),
            gm_naam: "Nederland".into(),
            level: Level::Land,
            ind_wbi: None,
        }
    }

    /// Code without the two-letter prefix (`gwb_code_8`).
    pub(crate) fn code8(&self) -> &str {
        &self.code[2..]
    }
}

/// A row before publication: identity, exact base quantities and the key of its gap stream.
#[derive(Clone, Debug)]
pub(crate) struct AreaRow {
    pub id: RowId,
    pub base: Base,
    pub gap_key: u64,
}

impl AreaRow {
    /// An aggregate row: the sum of `parts`.
    pub(crate) fn aggregate<'a>(id: RowId, parts: impl IntoIterator<Item = &'a Base>) -> Self {
        AreaRow {
            id,
            base: Base::sum(parts),
            gap_key: 0,
        }
    }
}

/// One published value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Missing,
    Int(i64),
    /// A value with one decimal (already rounded).
    Dec1(f64),
    Text(String),
}

impl Cell {
    /// The numeric value, if any.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(v) => Some(*v as f64),
            Cell::Dec1(v) => Some(*v),
            Cell::Missing | Cell::Text(_) => None,
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Cell::Missing => out.push('.'),
            Cell::Int(v) => write!(out, "{v}").expect("writing to a String"),
            Cell::Dec1(v) => {
                let tenths = (v * 10.0).round() as i64;
                let sign = if tenths < 0 { "-" } else { "" };
                write!(out, "{sign}{},{}", tenths.abs() / 10, tenths.abs() % 10)
                    .expect("writing to a String");
            }
            Cell::Text(s) => {
                out.push('"');
                out.push_str(&s.replace('"', "\"\""));
                out.push('"');
            }
        }
    }
}

/// Publishes a row of the edition `year`: one cell per column of [`COLUMNS`].
pub(crate) fn publish(row: &AreaRow, year: i32) -> Vec<Cell> {
    let b = &row.base;
    let level = row.id.level;
    let small = level.is_small_area_level() && (b[Q::Inw] < 50.0 || b[Q::Woning] < 20.0);
    let mut gaps = rng::stream(row.gap_key, &[tag::GAPS]);
    COLUMNS
        .iter()
        .map(|column| {
            let gap = gaps.chance(GAP_PROBABILITY) && level == Level::Buurt;
            let hidden = match column.theme {
                Theme::Count | Theme::Density => false,
                Theme::Core => small,
                Theme::Soft => small || gap,
                Theme::Income => small || year >= LATEST_EDITION,
            };
            if hidden {
                Cell::Missing
            } else {
                value(column, row)
            }
        })
        .collect()
}

/// The unsuppressed value of one column.
fn value(column: &Column, row: &AreaRow) -> Cell {
    let b = &row.base;
    let level = row.id.level;
    match column.rule {
        Rule::Ident(field) => ident(field, &row.id),
        Rule::Count { parts } => {
            let total: f64 = parts.iter().map(|&q| b[q]).sum();
            let rounded = if level.is_small_area_level() {
                (total / 5.0).round() * 5.0
            } else {
                total.round()
            };
            Cell::Int(rounded as i64)
        }
        Rule::Ratio {
            num,
            den,
            scale,
            decimals,
            min_den,
        } => {
            if b[den] < min_den {
                return Cell::Missing;
            }
            let v = scale * b[num] / b[den];
            if decimals == 0 {
                Cell::Int(v.round() as i64)
            } else {
                Cell::Dec1((v * 10.0).round() / 10.0)
            }
        }
        Rule::Complement { parts } => {
            if parts.iter().any(|&(_, den)| b[den] < 1.0) {
                return Cell::Missing;
            }
            let taken: f64 = parts
                .iter()
                .map(|&(num, den)| (100.0 * b[num] / b[den]).round())
                .sum();
            Cell::Int((100.0 - taken) as i64)
        }
        Rule::Hectares(q) => Cell::Int(b[q].round() as i64),
        Rule::AreaTotal => Cell::Int((b[Q::LanHa].round() + b[Q::WatHa].round()) as i64),
        Rule::Urbanity => {
            if b[Q::Addr] < 1.0 {
                return Cell::Missing;
            }
            Cell::Int(urbanity_class(b[Q::OadSum] / b[Q::Addr]))
        }
        Rule::BuurtOnly(q) => {
            if level == Level::Buurt && b[q] > 0.0 {
                Cell::Int(b[q] as i64)
            } else {
                Cell::Missing
            }
        }
    }
}

fn ident(field: Ident, id: &RowId) -> Cell {
    match field {
        Ident::Code10 | Ident::Code => Cell::Text(id.code.clone()),
        Ident::Code8 => Cell::Text(id.code8().to_string()),
        Ident::Regio => Cell::Text(id.regio.clone()),
        Ident::GmNaam => Cell::Text(id.gm_naam.clone()),
        Ident::Recs => Cell::Text(id.level.recs().to_string()),
        Ident::IndWbi => id
            .ind_wbi
            .map_or(Cell::Missing, |v| Cell::Int(i64::from(v))),
    }
}

/// Mate van stedelijkheid from the surrounding address density (addresses per km²).
fn urbanity_class(oad: f64) -> i64 {
    match oad {
        x if x >= 2500.0 => 1,
        x if x >= 1500.0 => 2,
        x if x >= 1000.0 => 3,
        x if x >= 500.0 => 4,
        _ => 5,
    }
}

/// Writes a KWB CSV: header of short codes, then one line per row.
pub(crate) fn kwb_csv(rows: &[AreaRow], year: i32) -> String {
    let mut out = String::with_capacity(64 + rows.len() * 640);
    out.push_str(&crate::columns::header(';'));
    out.push('\n');
    write_rows(&mut out, rows, year);
    out
}

/// Appends the published lines of `rows` (no header).
pub(crate) fn write_rows(out: &mut String, rows: &[AreaRow], year: i32) {
    for row in rows {
        write_row(out, &publish(row, year));
    }
}

fn write_row(out: &mut String, cells: &[Cell]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        cell.write(out);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_use_cbs_conventions() {
        let mut out = String::new();
        write_row(
            &mut out,
            &[
                Cell::Text("a \"b\"".into()),
                Cell::Dec1(1.9),
                Cell::Missing,
                Cell::Int(-5),
                Cell::Dec1(-0.0),
            ],
        );
        assert_eq!(out, "\"a \"\"b\"\"\";1,9;.;-5;0,0\n");
    }

    #[test]
    fn urbanity_classes() {
        assert_eq!(urbanity_class(3000.0), 1);
        assert_eq!(urbanity_class(1200.0), 3);
        assert_eq!(urbanity_class(100.0), 5);
    }
}
