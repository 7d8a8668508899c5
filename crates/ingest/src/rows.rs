//! Shared row handling for area tables: finding the identity columns (code,
//! name, level, change code, year, period), reading the area of a row, and
//! turning a cell into a value with a clear error.

use std::collections::HashMap;

use veerkracht_dataset::{AreaCode, Edition, Flags, Indicator, Level, Unit, Value, parse_cell};

use crate::error::{IngestError, Result};
use crate::text::RawTable;

/// Where the identity columns of an area table are.
#[derive(Debug, Clone, Default)]
pub struct IdColumns {
    /// Area code column.
    pub code: usize,
    /// The code column holds codes without prefix (`gwb_code_8`).
    pub unprefixed: bool,
    /// Area name.
    pub name: Option<usize>,
    /// Level (`recs`, `SoortRegio`).
    pub level: Option<usize>,
    /// CBS change code (`ind_wbi`, `Indelingswijziging…`).
    pub change: Option<usize>,
    /// Year (`jaar`).
    pub year: Option<usize>,
    /// Period (`periode`, `Perioden`).
    pub period: Option<usize>,
}

/// Column names that identify rows rather than hold indicators.
pub const IDENTITY_COLUMNS: &[&str] = &[
    // veerkracht's own export columns
    "code",
    "name",
    "level",
    "parent",
    "edition",
    "gemeente",
    "let_op",
    "id",
    "jaar",
    "gwb_code_10",
    "gwb_code_8",
    "gwb_code",
    "regio",
    "gm_naam",
    "recs",
    "ind_wbi",
    "gm_code",
    "wk_code",
    "statcode",
    "statnaam",
    "naam",
    "periode",
    "perioden",
    "wk_naam",
    "bu_code",
    "bu_naam",
    "cbs_tabel",
    "ind_wijk",
];

/// OData key stems that identify rows.
pub const IDENTITY_STEMS: &[&str] = &[
    "WijkenEnBuurten",
    "Wijken",
    "Gemeentenaam",
    "SoortRegio",
    "Codering",
    "IndelingswijzigingWijkenEnBuurten",
    "IndelingswijzigingGemeenteWijkBuurt",
    "IndelingswijzigingWijken",
    "Indelingswijziging",
    "Perioden",
    "Financieringsvorm",
    "SoortMisdrijf",
];

/// Whether a header is an identity column.
pub fn is_identity(header: &str) -> bool {
    let h = header.trim();
    if h.ends_with("_betrouwbaarheid") {
        return true; // reliability notes written by veerkracht's export; recomputed on import
    }
    IDENTITY_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h))
        || IDENTITY_STEMS.contains(&crate::text::odata_stem(h).0)
        || IDENTITY_STEMS.contains(&h)
}

/// Finds the identity columns; `extra_codes` are additional code column names tried first.
pub fn find_id_columns(t: &RawTable, extra_codes: &[String]) -> Result<IdColumns> {
    let extra: Vec<&str> = extra_codes.iter().map(String::as_str).collect();
    let prefixed = t
        .column_any(&extra)
        .or_else(|| t.column_any(&["gwb_code_10", "gwb_code", "statcode", "bu_code", "code"]))
        .or_else(|| t.column_stem("Codering"));
    let (code, unprefixed) = match prefixed {
        Some(c) => (c, false),
        None => match t.column_any(&["gwb_code_8"]) {
            Some(c) => (c, true),
            None => return Err(missing_code_column(t)),
        },
    };
    Ok(IdColumns {
        code,
        unprefixed,
        name: t
            .column_any(&["regio", "statnaam", "naam", "wk_naam", "bu_naam", "name"])
            .or_else(|| t.column_stem("WijkenEnBuurten"))
            .or_else(|| t.column_stem("Wijken")),
        level: t
            .column_any(&["recs", "level"])
            .or_else(|| t.column_stem("SoortRegio")),
        change: t
            .column_any(&["ind_wbi", "ind_wijk"])
            .or_else(|| t.column_stem("IndelingswijzigingWijkenEnBuurten"))
            .or_else(|| t.column_stem("IndelingswijzigingGemeenteWijkBuurt"))
            .or_else(|| t.column_stem("IndelingswijzigingWijken"))
            .or_else(|| t.column_stem("Indelingswijziging")),
        year: t.column_any(&["jaar", "edition"]),
        period: t
            .column_any(&["periode", "perioden"])
            .or_else(|| t.column_stem("Perioden")),
    })
}

fn missing_code_column(t: &RawTable) -> IngestError {
    let mut e = IngestError::new(
        &t.file,
        "missing_column",
        "no area code column (expected gwb_code, gwb_code_10, gwb_code_8, statcode or the OData key Codering_NN)",
        "export the table with region codes, or name the code column gwb_code",
    )
    .at_line(1);
    if t.headers.len() == 1 {
        let h = &t.headers[0];
        if let Some(d) = [';', ',', '\t', '|', ':'].iter().find(|d| h.contains(**d)) {
            e.message = format!(
                "the header is a single column '{}' : the file seems to use '{}' as delimiter; expected ';' or ','",
                truncate(h, 60),
                if *d == '\t' {
                    "\\t".to_string()
                } else {
                    d.to_string()
                }
            );
            e.fix = "save the file with ';' or ',' as delimiter".to_string();
            e.kind = "wrong_delimiter";
        }
    }
    e
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// The area identity of one row.
#[derive(Debug, Clone)]
pub struct RowArea {
    /// Code.
    pub code: AreaCode,
    /// Name (may be empty).
    pub name: String,
    /// Change code.
    pub change: Option<u8>,
}

/// Reads the area of a row; `Ok(None)` for rows without a code that the table marks as such
/// (CBS leaves `Codering` empty for a few rows, e.g. NL totals in some tables).
pub fn row_area(
    t: &RawTable,
    row: &csv::StringRecord,
    line: usize,
    ids: &IdColumns,
    allow_empty_code: bool,
) -> Result<Option<RowArea>> {
    let code_text = t.cell(row, ids.code);
    let col = &t.headers[ids.code];
    if code_text.is_empty() {
        if allow_empty_code {
            return Ok(None);
        }
        return Err(IngestError::new(
            &t.file,
            "empty_code",
            "the area code is empty",
            "fill in the code, or remove the row",
        )
        .at_line(line)
        .at_column(col));
    }
    let parsed = if ids.unprefixed {
        AreaCode::parse_unprefixed(code_text)
    } else {
        AreaCode::parse(code_text)
    };
    let code = parsed.map_err(|e| {
        IngestError::new(
            &t.file,
            "bad_code",
            e.to_string(),
            "correct the code; codes carry their level prefix (GM, WK, BU)",
        )
        .at_line(line)
        .at_column(col)
    })?;
    if let Some(lc) = ids.level {
        let lt = t.cell(row, lc);
        if !lt.is_empty() {
            match Level::parse(lt) {
                Some(l) if l == code.level() => {}
                Some(l) => {
                    return Err(IngestError::new(
                        &t.file,
                        "level_mismatch",
                        format!("level '{lt}' does not match code {code}, which is a {}", code.level()),
                        format!("correct the code or the level (a {l} code starts with the matching prefix)"),
                    )
                    .at_line(line)
                    .at_column(&t.headers[lc]));
                }
                None => {
                    return Err(IngestError::new(
                        &t.file,
                        "bad_level",
                        format!("unknown level '{lt}'"),
                        "use Land, Gemeente, Wijk or Buurt",
                    )
                    .at_line(line)
                    .at_column(&t.headers[lc]));
                }
            }
        }
    }
    // OData v3 TypedDataSet rows carry the region *key* in the dimension column: no name.
    let name = ids
        .name
        .map(|c| t.cell(row, c).to_string())
        .filter(|n| !n.eq_ignore_ascii_case(code_text))
        .unwrap_or_default();
    let change = ids.change.and_then(|c| {
        let s = t.cell(row, c);
        s.parse::<f64>()
            .ok()
            .filter(|x| x.fract() == 0.0 && (0.0..=255.0).contains(x))
            .map(|x| x as u8)
    });
    Ok(Some(RowArea { code, name, change }))
}

/// Extracts a year (1990–2100) from a period or file name: `2024 maart`, `1e halfjaar 2024`, `2019JJ00`, `kwb-2023.xlsx`.
pub fn year_in(text: &str) -> Option<Edition> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let w = &b[i..i + 4];
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = i + 4 == b.len() || !b[i + 4].is_ascii_digit();
        if w.iter().all(u8::is_ascii_digit)
            && before_ok
            && after_ok
            && let Ok(y) = std::str::from_utf8(w).unwrap_or("").parse::<u16>()
            && (1990..=2100).contains(&y)
        {
            return Some(y);
        }
        i += 1;
    }
    None
}

/// Reads the edition of a row from its year or period column, else the file-level edition.
pub fn row_edition(
    t: &RawTable,
    row: &csv::StringRecord,
    line: usize,
    ids: &IdColumns,
    file_edition: Option<Edition>,
) -> Result<Edition> {
    if let Some(c) = ids.year {
        let s = t.cell(row, c);
        return s
            .parse::<f64>()
            .ok()
            .filter(|y| (1990.0..=2100.0).contains(y) && y.fract() == 0.0)
            .map(|y| y as Edition)
            .ok_or_else(|| {
                IngestError::new(
                    &t.file,
                    "bad_year",
                    format!("'{s}' is not a year"),
                    "use a four-digit year such as 2024",
                )
                .at_line(line)
                .at_column(&t.headers[c])
            });
    }
    if let Some(c) = ids.period {
        let s = t.cell(row, c);
        if let Some(y) = year_in(s) {
            return Ok(y);
        }
        return Err(IngestError::new(
            &t.file,
            "bad_period",
            format!("no year in period '{s}'"),
            "periods look like '2024 maart' or '2019JJ00'",
        )
        .at_line(line)
        .at_column(&t.headers[c]));
    }
    file_edition.ok_or_else(|| {
        IngestError::new(&t.file, "no_edition", "cannot tell which year (edition) this file is", "pass --edition YEAR, add a 'jaar' column, or keep the year in the file name (kwb-2024.csv)")
    })
}

/// Turns a cell into a value. `blank` is what an empty cell means in this column.
pub fn cell_value(
    t: &RawTable,
    row: &csv::StringRecord,
    line: usize,
    col: usize,
    blank: Option<Value>,
) -> Result<Option<Value>> {
    match parse_cell(t.cell(row, col), t.decimal_comma) {
        Ok(Some(v)) => Ok(Some(v)),
        Ok(None) => Ok(blank),
        Err(msg) => Err(IngestError::new(
            &t.file,
            "bad_number",
            format!(
                "{msg}; expected a number or one of the CBS symbols . (missing) x (secret) - (nil)"
            ),
            "correct the value, or write '.' when it is unknown",
        )
        .at_line(line)
        .at_column(&t.headers[col])),
    }
}

/// The producer flags of a value: counts with declared rounding are rounded at wijk/buurt level.
pub fn import_flags(
    ind: &Indicator,
    level: Level,
    value: &Value,
    rounding_override: Option<u32>,
) -> Flags {
    let rounding = rounding_override.or(ind.rounding);
    if rounding.is_some()
        && ind.unit == Unit::Count
        && matches!(level, Level::Wijk | Level::Buurt)
        && value.number().is_some()
    {
        Flags::ROUNDED
    } else {
        Flags::empty()
    }
}

/// Detects duplicate (edition, period, code) rows.
#[derive(Default)]
pub struct DuplicateGuard {
    seen: HashMap<(Edition, String, AreaCode), usize>,
}

impl DuplicateGuard {
    /// Records a row; errors when the same key was seen on an earlier line.
    pub fn check(
        &mut self,
        t: &RawTable,
        key: (Edition, String, AreaCode),
        line: usize,
        col: usize,
    ) -> Result<()> {
        if let Some(first) = self.seen.insert(key.clone(), line) {
            return Err(IngestError::new(
                &t.file,
                "duplicate_code",
                format!(
                    "area {} appears twice for {} (first on line {first})",
                    key.2,
                    if key.1.is_empty() {
                        key.0.to_string()
                    } else {
                        key.1.clone()
                    }
                ),
                "remove the duplicate row; each area may appear once per edition and period",
            )
            .at_line(line)
            .at_column(&t.headers[col]));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(year_in("2024 maart"), Some(2024));
        assert_eq!(year_in("1e halfjaar 2024"), Some(2024));
        assert_eq!(year_in("2019JJ00"), Some(2019));
        assert_eq!(year_in("kwb-2023.xlsx"), Some(2023));
        assert_eq!(year_in("85984NED"), None);
        assert_eq!(year_in("123456"), None);
    }
}
