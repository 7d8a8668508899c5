//! CBS OData v3 (`opendata.cbs.nl`, `dataderden.cbs.nl`), as its publisher documents it
//! (docs/bronnen.md §1): `…/ODataApi/odata/{table}/DataProperties`, the code list of each
//! dimension (`…/{dimension}`: `Key`, `Title`), and the rows (`…/TypedDataSet`), JSON with
//! `value` and paged by `odata.nextLink` (at most 10,000 rows an answer). A gemeente is one
//! filtered request set on the region key (`startswith(WijkenEnBuurten,'BU0307')`, also for
//! `GM` and `WK`); the whole country goes through `ODataFeed`, which pages.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::error::{FetchError, Result};
use crate::http::Client;

/// Most pages followed for one request (10,000 rows each: 100 M rows).
pub const MAX_PAGES: usize = 10_000;

/// One OData v3 table on its host.
pub struct Table<'a> {
    /// The client.
    pub client: &'a Client,
    /// Host base URL (`https://opendata.cbs.nl`).
    pub base: &'a str,
    /// Table id (`85984NED`).
    pub id: &'a str,
    /// The option that points to another host, for the offline message (`--cbs-url`).
    pub hint: &'a str,
}

/// One entry of `DataProperties`.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Column key (`AantalInwoners_5`, `WijkenEnBuurten`).
    pub key: String,
    /// `Topic`, `Dimension`, `GeoDimension`, `GeoDetail`, `TimeDimension`, `TopicGroup`, …
    pub kind: String,
}

impl Property {
    /// Whether the column holds codes of a code list (a dimension).
    pub fn is_dimension(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "Dimension" | "GeoDimension" | "GeoDetail" | "TimeDimension"
        )
    }
}

/// Percent-encodes a query value (everything but the unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The OData filter that selects one gemeente's own row, wijken and buurten on column `key`
/// (codes embed the gemeente number: `GM0307`, `WK030701`, `BU03070101`).
pub fn gemeente_filter(key: &str, gm: &str) -> String {
    let n = gm.trim_start_matches("GM");
    format!("startswith({key},'GM{n}') or startswith({key},'WK{n}') or startswith({key},'BU{n}')")
}

fn check_page(body: &[u8]) -> std::result::Result<(), String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the answer is not complete JSON ({e}); the protocol promises an object with \"value\""
        )
    })?;
    if !v.get("value").is_some_and(Value::is_array) {
        return Err("the answer has no \"value\" array (OData v3 promises one)".into());
    }
    if let Some(n) = v.get("odata.nextLink")
        && !n.is_string()
    {
        return Err("\"odata.nextLink\" is not a URL".into());
    }
    Ok(())
}

impl Table<'_> {
    fn api(&self, rest: &str) -> String {
        format!("{}/ODataApi/odata/{}/{rest}", self.base, self.id)
    }

    fn feed(&self, rest: &str) -> String {
        format!("{}/ODataFeed/odata/{}/{rest}", self.base, self.id)
    }

    /// Every row of all pages from `first`, following `odata.nextLink` verbatim (it carries
    /// the query); a link seen before is an error, never a loop.
    fn pages(&self, first: String) -> Result<Vec<Map<String, Value>>> {
        let mut rows = Vec::new();
        self.each_page(first, &mut |page| {
            rows.extend(page);
            Ok(())
        })?;
        Ok(rows)
    }

    /// [`Table::pages`], handing each page's rows to `sink` as it arrives (a page is at most
    /// 10,000 rows; nothing else is held).
    fn each_page(
        &self,
        first: String,
        sink: &mut dyn FnMut(Vec<Map<String, Value>>) -> Result<()>,
    ) -> Result<()> {
        let mut seen = HashSet::new();
        let mut url = first;
        for _ in 0..MAX_PAGES {
            if !seen.insert(url.clone()) {
                return Err(FetchError::new(
                    &url,
                    "the next link repeats a page already read (the server pages in a loop)",
                    "try again later; report it to CBS if it stays so",
                )
                .for_table(self.id));
            }
            let body = self
                .client
                .get(&url, "application/json", self.hint, check_page)
                .map_err(|e| e.for_table(self.id))?;
            let mut v: Value = serde_json::from_slice(&body).map_err(|e| {
                FetchError::new(&url, format!("not JSON: {e}"), "try again").for_table(self.id)
            })?;
            drop(body);
            let mut rows = Vec::new();
            for r in v["value"]
                .as_array_mut()
                .into_iter()
                .flatten()
                .map(std::mem::take)
            {
                let Value::Object(o) = r else {
                    return Err(FetchError::new(
                        &url,
                        "a row of \"value\" is not an object",
                        "try again later; the table may be republished",
                    )
                    .for_table(self.id));
                };
                rows.push(o);
            }
            sink(rows)?;
            match v.get("odata.nextLink").and_then(Value::as_str) {
                Some(next) => url = next.to_string(),
                None => return Ok(()),
            }
        }
        Err(FetchError::new(
            &url,
            format!("more than {MAX_PAGES} pages"),
            "fetch per gemeente",
        )
        .for_table(self.id))
    }

    /// The table's `DataProperties`.
    pub fn properties(&self) -> Result<Vec<Property>> {
        let url = self.api("DataProperties?$format=json");
        let rows = self.pages(url.clone())?;
        let mut out = Vec::new();
        for r in rows {
            let (Some(key), Some(kind)) = (
                r.get("Key").and_then(Value::as_str),
                r.get("Type").and_then(Value::as_str),
            ) else {
                return Err(FetchError::new(
                    &url,
                    "a DataProperties entry has no Key or Type",
                    "try again later",
                )
                .for_table(self.id));
            };
            out.push(Property {
                key: key.to_string(),
                kind: kind.to_string(),
            });
        }
        if out.is_empty() {
            return Err(
                FetchError::new(&url, "DataProperties is empty", "try again later")
                    .for_table(self.id),
            );
        }
        Ok(out)
    }

    /// The code list of a dimension (`Key` → `Title`), filtered on `Key` when `filter` is given;
    /// the whole list goes through the feed (it may exceed 10,000 rows).
    pub fn codes(&self, dimension: &str, filter: Option<&str>) -> Result<BTreeMap<String, String>> {
        let url = match filter {
            Some(f) => self.api(&format!("{dimension}?$format=json&$filter={}", encode(f))),
            None => self.feed(&format!("{dimension}?$format=json")),
        };
        let mut out = BTreeMap::new();
        for r in self.pages(url.clone())? {
            match (
                r.get("Key").and_then(Value::as_str),
                r.get("Title").and_then(Value::as_str),
            ) {
                (Some(k), Some(t)) => {
                    out.insert(k.to_string(), t.to_string());
                }
                _ => {
                    return Err(FetchError::new(
                        &url,
                        format!("an entry of the code list {dimension} has no Key or Title"),
                        "try again later",
                    )
                    .for_table(self.id));
                }
            }
        }
        Ok(out)
    }

    /// The rows of `TypedDataSet`, filtered when `filter` is given (ODataApi), else the whole
    /// table through the feed, written page by page into `out` ([`CsvWriter`]).
    pub fn rows(&self, filter: Option<&str>, out: &mut CsvWriter) -> Result<()> {
        let url = match filter {
            Some(f) => self.api(&format!("TypedDataSet?$format=json&$filter={}", encode(f))),
            None => self.feed("TypedDataSet?$format=json"),
        };
        self.each_page(url, &mut |page| {
            out.write(&page);
            Ok(())
        })
    }
}

/// Rows as the semicolon-separated OData CSV that StatLine's OData downloads give (the same
/// shape `veerkracht import` reads from a saved table): the columns in the order of the
/// first row, every dimension code replaced by its title (as cbsodata does), a missing value
/// empty, numbers as JSON writes them. Written page by page, so only the text is held.
pub struct CsvWriter {
    titles: HashMap<String, BTreeMap<String, String>>,
    keys: Vec<String>,
    text: String,
    rows: usize,
}

fn cell(t: &str) -> String {
    if t.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
}

impl CsvWriter {
    /// A writer that replaces the codes of each dimension by `titles[dimension][code]`.
    pub fn new(titles: HashMap<String, BTreeMap<String, String>>) -> CsvWriter {
        CsvWriter {
            titles,
            keys: Vec::new(),
            text: String::new(),
            rows: 0,
        }
    }

    /// Appends rows (the header comes from the first row written).
    pub fn write(&mut self, rows: &[Map<String, Value>]) {
        if self.keys.is_empty() {
            let Some(first) = rows.first() else {
                return;
            };
            self.keys = first.keys().cloned().collect();
            let header: Vec<String> = self.keys.iter().map(|k| cell(k)).collect();
            self.text.push_str(&header.join(";"));
            self.text.push('\n');
        }
        for r in rows {
            let line: Vec<String> = self
                .keys
                .iter()
                .map(|k| match r.get(k) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(t)) => {
                        match self.titles.get(k.as_str()).and_then(|m| m.get(t)) {
                            Some(title) => cell(title),
                            None => cell(t),
                        }
                    }
                    Some(v) => cell(&v.to_string()),
                })
                .collect();
            self.text.push_str(&line.join(";"));
            self.text.push('\n');
            self.rows += 1;
        }
    }

    /// Rows written.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The CSV text.
    pub fn finish(self) -> String {
        self.text
    }
}
