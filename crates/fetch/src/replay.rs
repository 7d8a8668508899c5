//! A replay server on loopback: the real CBS and PDOK files of `../shared/data/real`, served in
//! the publishers' documented shapes (docs/bronnen.md): OData v3 `DataProperties`, code lists
//! and `TypedDataSet` as JSON with `value` and `odata.nextLink` paging, and OGC API Features
//! pages with a `next` link; with ETags (304 on `If-None-Match`) and faults on request.
//! Nothing leaves the machine. Behind the feature `replay` (tests, `examples/replay.rs`, the
//! benchmark); not part of the fetch itself.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

/// Rows per OData page (small, so paging is exercised).
pub const ODATA_PAGE: usize = 400;
/// Features per OGC page.
pub const OGC_PAGE: usize = 20;

/// One OData table: its columns with their kinds and its typed rows.
#[derive(Clone)]
pub struct ODataTable {
    /// (key, Type) in header order, ID left out.
    pub properties: Vec<(String, String)>,
    /// The region dimension's key.
    pub region: String,
    /// Typed rows as the TypedDataSet gives them.
    pub rows: Vec<Map<String, Value>>,
    /// Code lists per dimension: key → title, in order.
    pub codes: BTreeMap<String, Vec<(String, String)>>,
}

/// A fault to inject.
#[derive(Clone, Debug)]
pub enum Fault {
    /// The next request whose path contains the text gets this status (and Retry-After).
    Status(String, u16, Option<u64>),
    /// Answers whose path contains the text are cut off half-way (a complete HTTP answer
    /// whose JSON stops in the middle).
    Truncate(String),
    /// Answers whose path contains the text are an HTML page with status 200.
    Html(String),
    /// DataProperties of the table renames the measure key (from, to).
    Rename(String, String, String),
    /// The next link of pages whose path contains the text points to the page itself.
    LoopNext(String),
    /// PDOK ignores the gemeentecode filter.
    IgnoreFilter,
    /// Every answer waits this many milliseconds (a slow link, to interrupt a fetch).
    Delay(u64),
}

/// The server's state.
#[derive(Default)]
pub struct State {
    /// OData tables by id.
    pub tables: HashMap<String, ODataTable>,
    /// OGC collections by (landing path, collection): features.
    pub features: HashMap<(String, String), Vec<Value>>,
    /// Faults in force.
    pub faults: Vec<Fault>,
    /// Every request: (path and query, whether it was conditional, status answered).
    pub log: Vec<(String, bool, u16)>,
}

/// A running server.
pub struct Server {
    /// Its address.
    pub addr: SocketAddr,
    /// Its state.
    pub state: Arc<Mutex<State>>,
}

impl Server {
    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds a fault.
    pub fn fault(&self, f: Fault) {
        self.state.lock().unwrap().faults.push(f);
    }

    /// Removes every fault and forgets the log.
    pub fn reset(&self) {
        let mut s = self.state.lock().unwrap();
        s.faults.clear();
        s.log.clear();
    }

    /// The request log.
    pub fn log(&self) -> Vec<(String, bool, u16)> {
        self.state.lock().unwrap().log.clone()
    }
}

fn is_measure(key: &str) -> bool {
    key.rsplit_once('_')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads an OData CSV dump (`;`, BOM, dimension titles in the dimension columns, `Codering_3`
/// holding the padded region code) into a table as the API serves it.
pub fn load_odata_csv(text: &str) -> ODataTable {
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let dims: Vec<&String> = headers
        .iter()
        .filter(|h| *h != "ID" && !is_measure(h))
        .collect();
    let region = dims
        .iter()
        .find(|d| ["WijkenEnBuurten", "Wijken", "RegioS"].contains(&d.as_str()))
        .map(|d| d.to_string())
        .expect("a region dimension");
    let code_col = headers.iter().position(|h| h == "Codering_3");
    // a measure column is numeric when every non-empty cell parses
    let numeric: Vec<bool> = (0..headers.len())
        .map(|c| {
            is_measure(&headers[c])
                && !headers[c].starts_with("Codering")
                && records.iter().all(|r| {
                    let v = r.get(c).unwrap_or("").trim();
                    v.is_empty() || v.parse::<f64>().is_ok()
                })
        })
        .collect();
    let mut codes: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut seen: HashMap<(String, String), String> = HashMap::new();
    let mut listed: std::collections::HashSet<(String, String)> = Default::default();
    let mut rows = Vec::new();
    for r in &records {
        let mut o = Map::new();
        for (c, h) in headers.iter().enumerate() {
            let v = r.get(c).unwrap_or("");
            let value = if h == "ID" {
                json!(v.parse::<u64>().unwrap())
            } else if dims.contains(&h) {
                // the key: the padded code for the region, a made-up code for other dimensions
                let key = match seen.get(&(h.clone(), v.to_string())) {
                    Some(k) if *h != region => k.clone(),
                    _ => {
                        let k = if *h == region {
                            let code = code_col.and_then(|i| r.get(i)).unwrap_or("");
                            if code.trim().is_empty() {
                                format!("X{}", r.get(0).unwrap())
                            } else {
                                code.to_string()
                            }
                        } else {
                            format!("K{:04}", codes.get(h).map_or(0, Vec::len))
                        };
                        seen.insert((h.clone(), v.to_string()), k.clone());
                        if listed.insert((h.clone(), k.clone())) {
                            codes
                                .entry(h.clone())
                                .or_default()
                                .push((k.clone(), v.to_string()));
                        }
                        k
                    }
                };
                json!(key)
            } else if numeric[c] {
                if v.trim().is_empty() {
                    Value::Null
                } else {
                    json!(v.trim().parse::<f64>().unwrap())
                }
            } else if v.is_empty() {
                Value::Null
            } else {
                json!(v)
            };
            o.insert(h.clone(), value);
        }
        rows.push(o);
    }
    let properties = headers
        .iter()
        .filter(|h| *h != "ID")
        .map(|h| {
            let kind = if *h == region {
                "GeoDimension"
            } else if h == "Perioden" {
                "TimeDimension"
            } else if dims.contains(&h) {
                "Dimension"
            } else {
                "Topic"
            };
            (h.clone(), kind.to_string())
        })
        .collect();
    ODataTable {
        properties,
        region,
        rows,
        codes,
    }
}

/// Reads a file of `../shared/data/real` (gunzipped when it ends in .gz).
pub fn read_real(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "gz") {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .unwrap();
        s
    } else {
        String::from_utf8(bytes).unwrap()
    }
}

fn query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else if b[i] == b'+' {
            out.push(b' ');
            i += 1;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The prefixes of `startswith(Col,'X') or …`; None without a filter.
fn prefixes(filter: Option<&String>) -> Option<Vec<String>> {
    let f = filter?;
    Some(
        f.split(" or ")
            .map(|c| {
                let c = c.trim();
                assert!(c.starts_with("startswith("), "unsupported filter {f}");
                c.split('\'').nth(1).unwrap().to_string()
            })
            .collect(),
    )
}

fn page(
    base: &str,
    path: &str,
    q: &HashMap<String, String>,
    items: Vec<Value>,
    loop_next: bool,
) -> Value {
    let skip: usize = q.get("$skip").and_then(|s| s.parse().ok()).unwrap_or(0);
    let end = (skip + ODATA_PAGE).min(items.len());
    let mut v = json!({"odata.metadata": format!("{base}{path}/$metadata"), "value": items[skip.min(end)..end]});
    if end < items.len() || loop_next {
        let mut parts: Vec<String> = q
            .iter()
            .filter(|(k, _)| *k != "$skip")
            .map(|(k, v)| format!("{k}={}", crate::odata::encode(v)))
            .collect();
        parts.sort();
        let next_skip = if loop_next { skip } else { end };
        if next_skip > 0 {
            parts.push(format!("$skip={next_skip}"));
        }
        v["odata.nextLink"] = json!(format!("{base}{path}?{}", parts.join("&")));
    }
    v
}

fn answer(
    state: &Arc<Mutex<State>>,
    base: &str,
    target: &str,
) -> (u16, String, Vec<u8>, Option<u64>) {
    let (path, q) = target.split_once('?').unwrap_or((target, ""));
    let q = query(q);
    let delay = state.lock().unwrap().faults.iter().find_map(|f| match f {
        Fault::Delay(ms) => Some(*ms),
        _ => None,
    });
    if let Some(ms) = delay {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    let mut s = state.lock().unwrap();
    // faults that answer instead of the data
    let mut i = 0;
    while i < s.faults.len() {
        if let Fault::Status(m, status, ra) = &s.faults[i]
            && target.contains(m.as_str())
        {
            let (status, ra) = (*status, *ra);
            s.faults.remove(i);
            return (status, "application/json".into(), b"{}".to_vec(), ra);
        }
        i += 1;
    }
    if s.faults
        .iter()
        .any(|f| matches!(f, Fault::Html(m) if target.contains(m.as_str())))
    {
        return (
            200,
            "text/html".into(),
            b"<html><body>Onderhoud</body></html>".to_vec(),
            None,
        );
    }
    let loop_next = s
        .faults
        .iter()
        .any(|f| matches!(f, Fault::LoopNext(m) if target.contains(m.as_str())));
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let body: Option<Value> = match parts.as_slice() {
        [api, "odata", id, what] if *api == "ODataApi" || *api == "ODataFeed" => {
            let rename = s.faults.iter().find_map(|f| match f {
                Fault::Rename(t, a, b) if t == id => Some((a.clone(), b.clone())),
                _ => None,
            });
            match s.tables.get(*id) {
                None => None,
                Some(t) => {
                    let pre = prefixes(q.get("$filter"));
                    let keep = |code: &str| {
                        pre.as_ref()
                            .is_none_or(|p| p.iter().any(|x| code.starts_with(x.as_str())))
                    };
                    match *what {
                        "DataProperties" => Some(page(
                            base,
                            path,
                            &q,
                            t.properties
                                .iter()
                                .enumerate()
                                .map(|(i, (k, kind))| {
                                    let k = match &rename {
                                        Some((a, b)) if k == a => b.clone(),
                                        _ => k.clone(),
                                    };
                                    json!({"odata.type": format!("Cbs.OData.{kind}"), "ID": i, "Position": i, "Type": kind, "Key": k, "Title": k})
                                })
                                .collect(),
                            false,
                        )),
                        "TypedDataSet" => Some(page(
                            base,
                            path,
                            &q,
                            t.rows
                                .iter()
                                .filter(|r| keep(r[&t.region].as_str().unwrap_or("")))
                                .map(|r| Value::Object(r.clone()))
                                .collect(),
                            loop_next,
                        )),
                        dim => t.codes.get(dim).map(|list| {
                            page(
                                base,
                                path,
                                &q,
                                list.iter()
                                    .filter(|(k, _)| keep(k))
                                    .map(|(k, title)| json!({"Key": k, "Title": title, "Description": null}))
                                    .collect(),
                                false,
                            )
                        }),
                    }
                }
            }
        }
        [.., "collections", c, "items"] => {
            let landing = path.split("/collections/").next().unwrap().to_string();
            let ignore = s.faults.iter().any(|f| matches!(f, Fault::IgnoreFilter));
            // a landing page the server knows has every collection (some empty here)
            let known = s.features.keys().any(|(l, _)| *l == landing);
            let empty = Vec::new();
            let all = s
                .features
                .get(&(landing, c.to_string()))
                .or(known.then_some(&empty));
            all.map(|all| {
                let gm = q.get("gemeentecode").filter(|_| !ignore);
                let chosen: Vec<&Value> = all
                    .iter()
                    .filter(|f| gm.is_none_or(|g| f["properties"]["gemeentecode"].as_str() == Some(g)))
                    .collect();
                let offset: usize = q.get("offset").and_then(|s| s.parse().ok()).unwrap_or(0);
                let end = (offset + OGC_PAGE).min(chosen.len());
                let mut links = vec![json!({"rel": "self", "type": "application/geo+json", "href": format!("{base}{target}")})];
                if end < chosen.len() {
                    let mut p: Vec<String> = q
                        .iter()
                        .filter(|(k, _)| *k != "offset")
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    p.sort();
                    p.push(format!("offset={end}"));
                    links.push(json!({"rel": "next", "type": "application/geo+json", "href": format!("{base}{path}?{}", p.join("&"))}));
                }
                json!({"type": "FeatureCollection", "numberReturned": end - offset.min(end), "features": chosen[offset.min(end)..end], "links": links})
            })
        }
        _ => None,
    };
    match body {
        None => (
            404,
            "application/json".into(),
            br#"{"error":"not found"}"#.to_vec(),
            None,
        ),
        Some(v) => {
            let mut bytes = v.to_string().into_bytes();
            if s.faults
                .iter()
                .any(|f| matches!(f, Fault::Truncate(m) if target.contains(m.as_str())))
            {
                bytes.truncate(bytes.len() / 2);
            }
            (200, "application/json; charset=utf-8".into(), bytes, None)
        }
    }
}

fn etag(b: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    b.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn serve_one(mut stream: TcpStream, state: Arc<Mutex<State>>, base: String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_lowercase(), v.trim().to_string());
        }
    }
    let (mut status, ctype, body, retry_after) = answer(&state, &base, &target);
    let tag = etag(&body);
    let conditional = headers.contains_key("if-none-match");
    let body = if status == 200 && headers.get("if-none-match") == Some(&tag) {
        status = 304;
        Vec::new()
    } else {
        body
    };
    state
        .lock()
        .unwrap()
        .log
        .push((target.clone(), conditional, status));
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if status == 200 || status == 304 {
        head.push_str(&format!("ETag: {tag}\r\n"));
    }
    if let Some(r) = retry_after {
        head.push_str(&format!("Retry-After: {r}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

/// Starts a server with `state` on a free loopback port.
pub fn start(state: State) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let state = Arc::new(Mutex::new(state));
    let s2 = state.clone();
    let base = format!("http://{addr}");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (s3, b) = (s2.clone(), base.clone());
            std::thread::spawn(move || serve_one(stream, s3, b));
        }
    });
    Server { addr, state }
}

/// The real OData tables of `../shared/data/real` this server can serve: (table id, file).
/// (85042NED, benefits 2021, is left out: its dump writes gemeente codes as `GM    1680`,
/// which the importer refuses with a clear error, fetched or not.)
pub const REAL_TABLES: &[(&str, &str)] = &[
    (
        "85984NED",
        "cbs-kwb-2024-85984NED-partial/85984NED_odata_original.csv",
    ),
    (
        "83577NED",
        "cbs-uitkeringen-buurt-2016-2018-partial/83577NED_odata_original.csv.gz",
    ),
    (
        "83759NED",
        "cbs-uitkeringen-buurt-2016-2018-partial/83759NED_odata_original.csv.gz",
    ),
    (
        "84417NED",
        "cbs-uitkeringen-buurt-2016-2018-partial/84417NED_odata_original.csv.gz",
    ),
    (
        "84692NED",
        "cbs-uitkeringen-buurt-2019-2023-partial/84692NED_odata_original.csv.gz",
    ),
    (
        "84897NED",
        "cbs-uitkeringen-buurt-2019-2023-partial/84897NED_odata_original.csv.gz",
    ),
    (
        "85317NED",
        "cbs-uitkeringen-buurt-2019-2023-partial/85317NED_odata_original.csv.gz",
    ),
    (
        "85586NED",
        "cbs-uitkeringen-buurt-2019-2023-partial/85586NED_odata_original.csv.gz",
    ),
    (
        "86003NED",
        "cbs-uitkeringen-buurt-2024-partial/86003NED_odata_original.csv",
    ),
    (
        "85995NED",
        "cbs-wmo-clienten-wijk-2024h1/85995NED_odata_original.csv",
    ),
    (
        "83903NED",
        "cbs-misdrijven-wijk-buurt-2016-2018-partial/83903NED_odata_original.csv",
    ),
    (
        "83901NED",
        "cbs-misdrijven-wijk-buurt-2016-2018-partial/83901NED_odata_original.csv",
    ),
    (
        "84468NED",
        "cbs-misdrijven-wijk-buurt-2016-2018-partial/84468NED_odata_original.csv",
    ),
];

/// The real 2024 shapes: (PDOK collection, file).
pub const REAL_SHAPES: &[(&str, &str)] = &[
    ("wijken", "geo-wijken-gemeenten-2024-nl/wijken_2024.geojson"),
    (
        "gemeenten",
        "geo-wijken-gemeenten-2024-nl/gemeenten_2024_with_indicators.geojson",
    ),
];

/// The landing page of PDOK's Wijk- en Buurtkaart 2024.
pub const LANDING_2024: &str = "/cbs/wijken-en-buurten-2024/ogc/v1";

/// A state with the real tables `ids` (see [`REAL_TABLES`]) and, when `shapes`, the 2024
/// shapes, read from `real` (the `data/real` directory).
pub fn real_state(real: &Path, ids: &[&str], shapes: bool) -> State {
    let mut st = State::default();
    for (id, rel) in REAL_TABLES.iter().filter(|(id, _)| ids.contains(id)) {
        st.tables
            .insert(id.to_string(), load_odata_csv(&read_real(&real.join(rel))));
    }
    if shapes {
        for (c, rel) in REAL_SHAPES {
            let v: Value = serde_json::from_str(&read_real(&real.join(rel))).unwrap();
            st.features.insert(
                (LANDING_2024.to_string(), c.to_string()),
                v["features"].as_array().cloned().unwrap_or_default(),
            );
        }
    }
    st
}
