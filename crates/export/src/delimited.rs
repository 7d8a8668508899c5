//! CSV output.
//!
//! Layout: a header row with [`ExportTable::column_names`], then one row per
//! area. Numbers are written shortest-roundtrip (`12.5`, integers without
//! `.0`, never an exponent); a missing value is its CBS symbol (`.`, `x`, `-`)
//! so that the file re-imports with the same meaning; reliability columns hold
//! `afgerond`, `kleine_noemer`, both joined by `+`, or nothing. Lines end in
//! `\n`; fields are quoted only when needed.
//!
//! [`CsvDialect::DutchExcel`] uses `;` between fields and a decimal comma, and
//! starts with a UTF-8 byte-order mark so that Excel opens the file as UTF-8.

use std::io::{self, Write};

use veerkracht_dataset::Value;

use crate::CsvDialect;
use crate::table::{ExportTable, SYNTHETIC_NOTE};

/// The UTF-8 byte-order mark written at the start of [`CsvDialect::DutchExcel`] files.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes `table` as CSV in `dialect` to `out`.
///
/// # Errors
/// Only the errors of `out`.
pub fn write_csv<W: Write>(table: &ExportTable, dialect: CsvDialect, mut out: W) -> io::Result<()> {
    if dialect == CsvDialect::DutchExcel {
        out.write_all(UTF8_BOM)?;
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .from_writer(out);
    w.write_record(table.column_names())?;
    let decimal_comma = dialect.decimal_comma();
    let mut record: Vec<String> = Vec::new();
    for row in &table.rows {
        record.clear();
        if table.synthetic {
            record.push(SYNTHETIC_NOTE.to_owned());
        }
        record.push(row.code.to_string());
        record.push(row.name.clone());
        record.push(table.level.to_string());
        record.push(row.parent.map(|p| p.to_string()).unwrap_or_default());
        record.push(table.edition.to_string());
        if table.has_gemeente_column() {
            record.push(row.gemeente.map(|g| g.to_string()).unwrap_or_default());
        }
        for (cell, column) in row.cells.iter().zip(&table.indicators) {
            record.push(match cell.value {
                Value::Number(x) => format_number(x, decimal_comma),
                Value::Missing(m) => m.symbol().to_owned(),
            });
            if column.reliability {
                record.push(cell.reliability().unwrap_or_default().to_owned());
            }
        }
        w.write_record(&record)?;
    }
    w.flush()
}

/// A number as text: shortest representation that reads back to the same `f64`
/// (`format!("{}")`, so `3` not `3.0`, and no exponent), `-0` as `0`, with a
/// decimal comma when asked.
pub fn format_number(x: f64, decimal_comma: bool) -> String {
    let x = if x == 0.0 { 0.0 } else { x };
    let text = x.to_string();
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shortest_roundtrip() {
        assert_eq!(format_number(3.0, false), "3");
        assert_eq!(format_number(-0.0, false), "0");
        assert_eq!(format_number(12.5, true), "12,5");
        assert_eq!(format_number(0.1 + 0.2, false), "0.30000000000000004");
        assert_eq!(format_number(1e21, false), "1000000000000000000000");
        assert_eq!(format_number(-1.5e-7, true), "-0,00000015");
        for x in [0.1, 1.0 / 3.0, 123_456.789, 1e-300] {
            assert_eq!(format_number(x, false).parse::<f64>().ok(), Some(x));
        }
    }
}
