//! Shared helpers for the integration tests: one generated region per test binary and small
//! parsers for the generated formats.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::OnceLock;

use veerkracht_demo::{DEFAULT_SEED, DemoRegion, generate};

/// The default region, generated once per test binary.
pub fn region() -> &'static DemoRegion {
    static REGION: OnceLock<DemoRegion> = OnceLock::new();
    REGION.get_or_init(|| generate(DEFAULT_SEED))
}

/// The text of a generated file.
pub fn text(name: &str) -> &'static str {
    let file = region()
        .file(name)
        .unwrap_or_else(|| panic!("missing file {name}"));
    std::str::from_utf8(&file.bytes).expect("UTF-8")
}

/// A parsed KWB CSV (`;`, quoted text, decimal comma, `.` missing).
pub struct Kwb {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    index: HashMap<String, usize>,
}

fn unquote(field: &str) -> String {
    match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => field.to_string(),
    }
}

impl Kwb {
    pub fn parse(text: &str) -> Kwb {
        let mut lines = text.lines();
        let header: Vec<String> = lines
            .next()
            .expect("header")
            .split(';')
            .map(unquote)
            .collect();
        let rows = lines.map(|l| l.split(';').map(unquote).collect()).collect();
        let index = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect();
        Kwb {
            header,
            rows,
            index,
        }
    }

    pub fn edition(year: i32) -> Kwb {
        Kwb::parse(text(&format!("veerstad-kwb-{year}.csv")))
    }

    pub fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        &row[self.index[name]]
    }

    /// Numeric value (decimal comma), `None` for `.`.
    pub fn num(&self, row: &[String], name: &str) -> Option<f64> {
        let v = self.get(row, name);
        (v != ".").then(|| {
            v.replace(',', ".")
                .parse()
                .unwrap_or_else(|_| panic!("{name}={v}"))
        })
    }

    pub fn rows_of<'a>(&'a self, recs: &'a str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.rows
            .iter()
            .filter(move |r| self.get(r, "recs") == recs)
    }

    pub fn code<'a>(&self, row: &'a [String]) -> &'a str {
        self.get(row, "gwb_code")
    }
}
