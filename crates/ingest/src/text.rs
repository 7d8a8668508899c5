//! Turning file bytes into checked text and a CSV table: encoding, BOM, line
//! length guard, delimiter and decimal-mark detection.

use crate::error::{IngestError, Result};

/// Longest line accepted (a KWB row is ~1 KiB; a 100 MB "line" is a broken file).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Text encodings an input may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 (default; a BOM is removed).
    #[default]
    Utf8,
    /// Windows-1252 (older Excel/StatLine exports); ISO-8859-1 is read the same way.
    Windows1252,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => {
                Ok(Encoding::Windows1252)
            }
            _ => Err(format!("unknown encoding '{s}'; use utf-8 or windows-1252")),
        }
    }
}

const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Decodes bytes to text, removing a UTF-8 BOM.
pub fn decode(bytes: &[u8], file: &str, encoding: Encoding) -> Result<String> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::new(
            file,
            "empty_file",
            "the file is empty",
            "export the table again; the download may have failed",
        ));
    }
    let text = match encoding {
        Encoding::Utf8 => {
            let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            match std::str::from_utf8(b) {
                Ok(s) => s.to_string(),
                Err(e) => {
                    let at = e.valid_up_to();
                    let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
                    return Err(IngestError::new(
                        file,
                        "not_utf8",
                        format!("the file is not UTF-8 (invalid byte 0x{:02X} at byte {})", b.get(at).copied().unwrap_or(0), at),
                        "save it as UTF-8 (Excel: 'CSV UTF-8'), or pass --encoding windows-1252 for an older Windows export",
                    )
                    .at_line(line));
                }
            }
        }
        Encoding::Windows1252 => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
                _ => b as char,
            })
            .collect(),
    };
    if text.contains('\0') {
        return Err(IngestError::new(
            file,
            "binary",
            "the file contains NUL bytes: it is not a text table",
            "check that you chose the CSV and not a binary file; for UTF-16 files save as UTF-8",
        ));
    }
    Ok(text)
}

/// Errors when a line is longer than [`MAX_LINE_BYTES`] (for line-oriented tables only).
pub fn check_line_lengths(bytes: &[u8], file: &str) -> Result<()> {
    let mut start = 0;
    let mut line = 1;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            if i - start > MAX_LINE_BYTES {
                return Err(long_line(file, line, i - start));
            }
            start = i + 1;
            line += 1;
        }
    }
    if bytes.len() - start > MAX_LINE_BYTES {
        return Err(long_line(file, line, bytes.len() - start));
    }
    Ok(())
}

fn long_line(file: &str, line: usize, len: usize) -> IngestError {
    IngestError::new(
        file,
        "line_too_long",
        format!("line is {:.1} MB long; the limit is 1 MB per line", len as f64 / 1e6),
        "this is not a table with one area per line: check line breaks, or that the right file was chosen",
    )
    .at_line(line)
}

/// Picks the delimiter from the first line: `;`, `,`, tab or `|`, the most frequent outside quotes.
pub fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in counts.iter_mut() {
                if c.0 == b {
                    c.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|c| c.1)
        .map(|c| if c.1 == 0 { b',' } else { c.0 })
        .unwrap_or(b',')
}

/// A table of text cells with its header, as read from CSV or XLSX.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// File name for errors.
    pub file: String,
    /// Column names, trimmed.
    pub headers: Vec<String>,
    /// Data rows with their 1-based line (CSV) or row (XLSX) numbers.
    pub rows: Vec<(usize, csv::StringRecord)>,
    /// Decimal comma in numbers.
    pub decimal_comma: bool,
    /// Input format name.
    pub format: &'static str,
}

impl RawTable {
    /// Index of a column by exact (trimmed) name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Index of the first of several candidate column names (case-insensitive).
    pub fn column_any(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.headers.iter().position(|h| h.eq_ignore_ascii_case(n)))
    }

    /// Index of the column whose OData key stem (key without `_NN`) is `stem`.
    pub fn column_stem(&self, stem: &str) -> Option<usize> {
        self.headers.iter().position(|h| odata_stem(h).0 == stem)
    }

    /// A trimmed cell.
    pub fn cell<'a>(&self, row: &'a csv::StringRecord, col: usize) -> &'a str {
        row.get(col).map(str::trim).unwrap_or("")
    }
}

/// Splits an OData v3 key into its stem and numeric suffix: `InBezitWoningcorporatie_49` → (`InBezitWoningcorporatie`, Some(49)).
pub fn odata_stem(key: &str) -> (&str, Option<u32>) {
    if let Some((stem, suffix)) = key.rsplit_once('_')
        && !stem.is_empty()
        && !suffix.is_empty()
        && suffix.bytes().all(|b| b.is_ascii_digit())
    {
        return (stem, suffix.parse().ok());
    }
    (key, None)
}

/// Parses CSV text into a [`RawTable`], checking that every row has as many fields as the header.
pub fn read_csv(text: &str, file: &str) -> Result<RawTable> {
    let delimiter = detect_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            IngestError::new(
                file,
                "csv",
                format!("cannot read the header: {e}"),
                "check that the file is a CSV table",
            )
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(IngestError::new(
            file,
            "no_header",
            "the first line is empty: no column names",
            "put the column names on the first line",
        )
        .at_line(1));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
                if record.len() == 1 && record.get(0).map(|s| s.trim().is_empty()).unwrap_or(true) {
                    continue; // blank line
                }
                if record.len() != headers.len() {
                    let what = if record.len() < headers.len() {
                        "too few"
                    } else {
                        "too many"
                    };
                    return Err(IngestError::new(
                        file,
                        "field_count",
                        format!(
                            "{what} fields: {} instead of the {} in the header",
                            record.len(),
                            headers.len()
                        ),
                        if record.len() < headers.len() {
                            "the row is truncated; download or export the file again"
                        } else {
                            "quote text that contains the delimiter, or check the delimiter"
                        },
                    )
                    .at_line(line));
                }
                rows.push((line, record.clone()));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                return Err(IngestError::new(
                    file,
                    "csv",
                    format!("unreadable CSV: {e}"),
                    "check quotes: every opening \" needs a closing \"",
                )
                .at_line(line));
            }
        }
    }
    let decimal_comma = delimiter != b',' && detect_decimal_comma(&rows);
    let format = if delimiter == b';' {
        "statline-csv"
    } else {
        "csv"
    };
    Ok(RawTable {
        file: file.to_string(),
        headers,
        rows,
        decimal_comma,
        format,
    })
}

/// Whether any field looks like a number with a decimal comma (`12,5`).
fn detect_decimal_comma(rows: &[(usize, csv::StringRecord)]) -> bool {
    rows.iter().any(|(_, r)| {
        r.iter().any(|f| {
            let f = f.trim();
            let f = f.strip_prefix('-').unwrap_or(f);
            match f.split_once(',') {
                Some((a, b)) => {
                    !a.is_empty()
                        && !b.is_empty()
                        && a.bytes().all(|c| c.is_ascii_digit())
                        && b.bytes().all(|c| c.is_ascii_digit())
                }
                None => false,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(
            odata_stem("InBezitWoningcorporatie_49"),
            ("InBezitWoningcorporatie", Some(49))
        );
        assert_eq!(odata_stem("k_0Tot15Jaar_8"), ("k_0Tot15Jaar", Some(8)));
        assert_eq!(odata_stem("a_inw"), ("a_inw", None));
        assert_eq!(odata_stem("gwb_code_10"), ("gwb_code", Some(10)));
    }

    #[test]
    fn delimiters_and_decimal_marks() {
        let t = read_csv("a;b\n\"x\";1,5\n", "t.csv").unwrap();
        assert!(t.decimal_comma);
        let t = read_csv("a,b\nx,1.5\n", "t.csv").unwrap();
        assert!(!t.decimal_comma);
        let e = read_csv("a,b,c\nx,1\n", "t.csv").unwrap_err();
        assert_eq!((e.kind, e.line), ("field_count", Some(2)));
    }
}
