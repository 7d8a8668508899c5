//! Excel (XLSX) output.
//!
//! Sheets:
//! 1. `{level plural}_{edition}` (e.g. `buurten_2024`): the data, laid out like
//!    the CSV. Numbers are numeric cells; a missing value is its CBS symbol as a
//!    text cell, which Excel's AVERAGE, SUM etc. skip; empty reliability cells
//!    are left blank. The header row is bold and frozen and has an autofilter.
//! 2. `indicatoren`: id, label_nl, label_en, unit, direction, denominator,
//!    theme, family of every exported indicator.
//! 3. `bronnen`: every source of the dataset (file, table, family, format,
//!    period, rows, synthetic).
//! 4. `toelichting`: what the symbols, reliability texts and `let_op` mean, in
//!    Dutch and English.
//!
//! The workbook's creation date is fixed ([`CREATION_DATE`]) so that the same
//! table gives byte-identical files.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use veerkracht_dataset::{Dataset, Direction, Value};

use crate::table::{
    ExportTable, LET_OP_COLUMN, RELIABILITY_ROUNDED, RELIABILITY_SMALL_DENOMINATOR,
    RELIABILITY_SUFFIX, SYNTHETIC_NOTE,
};

/// The fixed creation date written into the workbook properties (y, m, d), so that
/// exports are reproducible.
pub const CREATION_DATE: (u16, u8, u8) = (2000, 1, 1);

/// Renders the workbook to bytes.
pub(crate) fn workbook_bytes(ds: &Dataset, table: &ExportTable) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let (y, m, d) = CREATION_DATE;
    let created = ExcelDateTime::from_ymd(y, m, d)?;
    let mut properties = DocProperties::new()
        .set_title(format!("veerkracht export {}", table.layer_name()))
        .set_creation_datetime(&created);
    if table.synthetic {
        properties = properties.set_comment(SYNTHETIC_NOTE);
    }
    workbook.set_properties(&properties);
    let bold = Format::new().set_bold();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);

    data_sheet(workbook.add_worksheet(), table, &bold)?;
    indicator_sheet(workbook.add_worksheet(), table, &bold)?;
    source_sheet(workbook.add_worksheet(), ds, &bold)?;
    explanation_sheet(workbook.add_worksheet(), table, &bold, &wrap)?;
    workbook.save_to_buffer()
}

fn header(sheet: &mut Worksheet, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, col(c)?, *name, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}

fn row(r: usize) -> Result<u32, XlsxError> {
    u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)
}

fn data_sheet(sheet: &mut Worksheet, table: &ExportTable, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name(table.layer_name())?;
    let names = table.column_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    header(sheet, &names, bold)?;
    let identity = usize::from(table.synthetic);
    sheet.set_column_width(col(identity)?, 12)?;
    sheet.set_column_width(col(identity + 1)?, 28)?;
    if table.synthetic {
        sheet.set_column_width(0, 20)?;
    }
    for (i, area) in table.rows.iter().enumerate() {
        let mut cells = RowWriter {
            sheet: &mut *sheet,
            row: row(i + 1)?,
            col: 0,
        };
        if table.synthetic {
            cells.text(SYNTHETIC_NOTE)?;
        }
        cells.text(area.code.as_str())?;
        cells.text(&area.name)?;
        cells.text(table.level.as_str())?;
        cells.text(area.parent.as_ref().map(|p| p.as_str()).unwrap_or_default())?;
        cells.number(f64::from(table.edition))?;
        if table.has_gemeente_column() {
            cells.text(
                area.gemeente
                    .as_ref()
                    .map(|g| g.as_str())
                    .unwrap_or_default(),
            )?;
        }
        for (cell, column) in area.cells.iter().zip(&table.indicators) {
            match cell.value {
                Value::Number(x) => cells.number(x)?,
                Value::Missing(m) => cells.text(m.symbol())?,
            }
            if column.reliability {
                cells.text(cell.reliability().unwrap_or_default())?;
            }
        }
    }
    if !names.is_empty() {
        sheet.autofilter(0, 0, row(table.rows.len())?, col(names.len() - 1)?)?;
    }
    Ok(())
}

/// Writes the cells of one row from left to right.
struct RowWriter<'a> {
    sheet: &'a mut Worksheet,
    row: u32,
    col: usize,
}

impl RowWriter<'_> {
    /// A text cell; an empty text leaves the cell blank.
    fn text(&mut self, s: &str) -> Result<(), XlsxError> {
        if !s.is_empty() {
            self.sheet.write_string(self.row, col(self.col)?, s)?;
        }
        self.col += 1;
        Ok(())
    }

    /// A numeric cell.
    fn number(&mut self, x: f64) -> Result<(), XlsxError> {
        self.sheet.write_number(self.row, col(self.col)?, x)?;
        self.col += 1;
        Ok(())
    }
}

/// Machine name of a direction, as in the catalogue file.
pub(crate) fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::HigherIsBetter => "higher_is_better",
        Direction::HigherIsWorse => "higher_is_worse",
        Direction::Neutral => "neutral",
    }
}

/// Column names of the indicator description (XLSX sheet and GeoPackage table).
pub(crate) const INDICATOR_FIELDS: [&str; 8] = [
    "id",
    "label_nl",
    "label_en",
    "unit",
    "direction",
    "denominator",
    "theme",
    "family",
];

/// The indicator description fields of every exported indicator, in
/// [`INDICATOR_FIELDS`] order.
pub(crate) fn indicator_rows(table: &ExportTable) -> Vec<[String; 8]> {
    table
        .indicators
        .iter()
        .map(|c| {
            let i = &c.indicator;
            [
                i.id.clone(),
                i.label_nl.clone(),
                i.label_en.clone(),
                i.unit.as_str().to_owned(),
                direction_str(i.direction).to_owned(),
                i.denominator.clone().unwrap_or_default(),
                i.theme.clone(),
                i.family.clone(),
            ]
        })
        .collect()
}

fn indicator_sheet(
    sheet: &mut Worksheet,
    table: &ExportTable,
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name("indicatoren")?;
    header(sheet, &INDICATOR_FIELDS, bold)?;
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 40)?;
    for (i, fields) in indicator_rows(table).iter().enumerate() {
        for (c, value) in fields.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(row(i + 1)?, col(c)?, value)?;
            }
        }
    }
    Ok(())
}

/// Column names of the source list (XLSX sheet and GeoPackage table).
pub(crate) const SOURCE_FIELDS: [&str; 7] = [
    "file",
    "table",
    "family",
    "format",
    "period",
    "rows",
    "synthetic",
];

fn source_sheet(sheet: &mut Worksheet, ds: &Dataset, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("bronnen")?;
    header(sheet, &SOURCE_FIELDS, bold)?;
    sheet.set_column_width(0, 36)?;
    for (i, s) in ds.sources().iter().enumerate() {
        let r = row(i + 1)?;
        for (c, text) in [
            Some(s.file.as_str()),
            s.table.as_deref(),
            Some(s.family.as_str()),
            Some(s.format.as_str()),
            s.period.as_deref(),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                sheet.write_string(r, col(c)?, text)?;
            }
        }
        // Row counts fit an f64 exactly.
        sheet.write_number(r, 5, s.rows as f64)?;
        sheet.write_boolean(r, 6, s.synthetic)?;
    }
    Ok(())
}

/// The explanation rows: (subject, Dutch, English).
pub(crate) fn explanation(table: &ExportTable) -> Vec<[String; 3]> {
    let mut rows: Vec<[String; 3]> = vec![
        [
            "tabel / table".into(),
            format!(
                "Niveau {}, editie (indelingsjaar) {}: {} gebieden, {} indicatoren.",
                table.level,
                table.edition,
                table.rows.len(),
                table.indicators.len()
            ),
            format!(
                "Level {}, edition (boundary year) {}: {} areas, {} indicators.",
                table.level,
                table.edition,
                table.rows.len(),
                table.indicators.len()
            ),
        ],
        [
            ".".into(),
            "Gegevens ontbreken, of (nog) niet gepubliceerd. Geen nul.".into(),
            "Figure not available, or not (yet) published. Not zero.".into(),
        ],
        [
            "x".into(),
            "Geheim of onderdrukt (kleine aantallen). Geen nul. Bij opnieuw inlezen wordt dit 'geheim'.".into(),
            "Secret or suppressed (small numbers). Not zero. Re-imported as 'secret'.".into(),
        ],
        [
            "-".into(),
            "Nihil volgens de bron. Bewust niet als 0 geschreven; een analyse kan het als 0 lezen.".into(),
            "Nil according to the source. Deliberately not written as 0; an analysis may read it as 0.".into(),
        ],
        [
            "symbolen / symbols".into(),
            "Symbolen staan als tekst in de cel, zodat GEMIDDELDE, SOM en dergelijke ze overslaan.".into(),
            "Symbols are text cells, so AVERAGE, SUM and the like skip them.".into(),
        ],
        [
            format!("…{RELIABILITY_SUFFIX}"),
            "Betrouwbaarheid van het getal in de kolom ervoor; leeg als er niets bijzonders is.".into(),
            "Reliability of the number in the column before it; empty when there is nothing to note.".into(),
        ],
        [
            RELIABILITY_ROUNDED.into(),
            "De bron heeft dit aantal afgerond (bij wijken en buurten op 5 of 10).".into(),
            "The producer rounded this count (to 5 or 10 for wijken and buurten).".into(),
        ],
        [
            RELIABILITY_SMALL_DENOMINATOR.into(),
            "De noemer van dit percentage of gemiddelde is kleiner dan 50: het getal is onbetrouwbaar.".into(),
            "The denominator of this share or mean is below 50: the value is unreliable.".into(),
        ],
        [
            "indicatoren / bronnen".into(),
            "Het blad 'indicatoren' beschrijft elke kolom (label, eenheid, richting, noemer); 'bronnen' noemt de ingelezen bestanden.".into(),
            "Sheet 'indicatoren' describes each column (label, unit, direction, denominator); 'bronnen' lists the imported files.".into(),
        ],
    ];
    if table.synthetic {
        rows.push([
            LET_OP_COLUMN.into(),
            "Synthetische demodata: verzonnen cijfers om mee te oefenen, niet over echte buurten of mensen.".into(),
            "Synthetic demo data: invented figures for practice, not about real neighbourhoods or people.".into(),
        ]);
    }
    rows
}

fn explanation_sheet(
    sheet: &mut Worksheet,
    table: &ExportTable,
    bold: &Format,
    wrap: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name("toelichting")?;
    header(
        sheet,
        &["onderwerp / subject", "Nederlands", "English"],
        bold,
    )?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 70)?;
    sheet.set_column_width(2, 70)?;
    for (i, fields) in explanation(table).iter().enumerate() {
        for (c, text) in fields.iter().enumerate() {
            sheet.write_string_with_format(row(i + 1)?, col(c)?, text, wrap)?;
        }
    }
    Ok(())
}
