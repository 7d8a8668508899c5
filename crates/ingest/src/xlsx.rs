//! Excel workbooks (CBS `kwb-YYYY.xlsx` and similar): the sheet with the most
//! rows whose header has a known code column becomes a [`RawTable`].

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::error::{IngestError, Result};
use crate::text::RawTable;

const CODE_HEADERS: &[&str] = &[
    "gwb_code_10",
    "gwb_code",
    "gwb_code_8",
    "statcode",
    "bu_code",
    "wk_code",
    "gm_code",
    "codering",
    // veerkracht's own XLSX export (columns code, level, edition): re-imported as its CSV is
    "code",
];

fn cell_text(d: &Data) -> std::result::Result<String, String> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => return Err(format!("Excel error value {e:?}")),
        Data::DateTime(d) => return Err(format!("a date ({d}) where a number was expected")),
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            return Err(format!("a date ({s}) where a number was expected"));
        }
    })
}

/// Reads the data sheet of a workbook.
pub fn read_xlsx(bytes: &[u8], file: &str) -> Result<RawTable> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
        IngestError::new(
            file,
            "bad_xlsx",
            format!("cannot open the workbook: {e}"),
            "check that the file is an .xlsx saved by Excel or LibreOffice and not damaged",
        )
    })?;
    let names = wb.sheet_names().to_vec();
    let mut best: Option<(String, calamine::Range<Data>, usize)> = None;
    for name in &names {
        let Ok(range) = wb.worksheet_range(name) else {
            continue;
        };
        let header_row = range.rows().take(20).position(|r| {
            r.iter().any(|c| matches!(c, Data::String(s) if CODE_HEADERS.iter().any(|h| s.trim().eq_ignore_ascii_case(h))))
        });
        if let Some(h) = header_row {
            let n = range.height();
            if best.as_ref().map(|b| n > b.1.height()).unwrap_or(true) {
                best = Some((name.clone(), range, h));
            }
        }
    }
    let Some((sheet, range, header_row)) = best else {
        return Err(IngestError::new(
            file,
            "missing_column",
            format!(
                "no sheet has a header with an area code column (gwb_code, gwb_code_10, gwb_code_8); sheets: {}",
                names.join(", ")
            ),
            "use the CBS kwb-YYYY.xlsx as downloaded, or add a gwb_code column",
        ));
    };
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let mut rows_iter = range.rows().enumerate().skip(header_row);
    let Some((_, header)) = rows_iter.next() else {
        return Err(IngestError::new(
            file,
            "empty_file",
            format!("sheet '{sheet}' is empty"),
            "choose the sheet with data",
        ));
    };
    let headers: Vec<String> = header
        .iter()
        .map(|c| cell_text(c).unwrap_or_default().trim().to_string())
        .collect();
    let width = headers
        .iter()
        .rposition(|h| !h.is_empty())
        .map(|i| i + 1)
        .unwrap_or(0);
    let headers = headers[..width].to_vec();
    let mut rows = Vec::new();
    for (i, r) in rows_iter {
        let excel_row = start_row as usize + i + 1;
        if r.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let mut rec = csv::StringRecord::new();
        for (j, c) in r.iter().take(width).enumerate() {
            let text = cell_text(c).map_err(|msg| {
                IngestError::new(
                    file,
                    "bad_number",
                    msg,
                    "format the column as numbers or text in Excel",
                )
                .at_row(excel_row)
                .at_column(headers.get(j).map(String::as_str).unwrap_or("?"))
            })?;
            rec.push_field(&text);
        }
        for _ in r.len().min(width)..width {
            rec.push_field("");
        }
        rows.push((excel_row, rec));
    }
    Ok(RawTable {
        file: file.to_string(),
        headers,
        rows,
        decimal_comma: false,
        format: "xlsx",
    })
}
