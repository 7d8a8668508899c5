//! A server on the demo region on a free port, and a minimal HTTP/1.1 client (no extra
//! dependencies): what a partner's browser or script would do.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;

use veerkracht_dataset::{Catalogue, Dataset};
use veerkracht_ingest::{ImportOptions, import_bytes};

/// The demo region as the CLI loads it (through the importers).
pub fn demo_dataset() -> Dataset {
    let cat = Catalogue::embedded();
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let opts = ImportOptions {
        synthetic: true,
        ..ImportOptions::default()
    };
    let mut ds = Dataset::new(cat.clone());
    let mut src = 1;
    for f in &region.files {
        let lower = f.name.to_lowercase();
        if !(lower.ends_with(".csv") || lower.ends_with(".geojson")) || lower.contains("voorraad") {
            continue;
        }
        for b in import_bytes(&f.name, &f.bytes, &cat, &opts).expect("demo imports") {
            ds.add_batch(&b, src);
            src += 1;
        }
    }
    ds
}

/// One server for the whole test binary.
pub fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
            let stock = region.file("veerstad-corporatie-voorraad.csv").unwrap();
            let state = veerkracht_web::AppState::new(
                demo_dataset(),
                "demoregio (test)",
                true,
                veerkracht_index::Definition::veerkracht_basis(),
            )
            .with_stock(
                veerkracht_huurmix::Voorraad::parse(
                    "veerstad-corporatie-voorraad.csv",
                    &String::from_utf8_lossy(&stock.bytes),
                )
                .unwrap(),
            );
            veerkracht_web::serve("127.0.0.1:0".parse().unwrap(), state, |a| {
                tx.send(a).unwrap();
            })
            .unwrap();
        });
        rx.recv().expect("server starts")
    })
}

/// A response: status, headers (lower-case names), body.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends a raw request and reads the whole answer (Connection: close).
pub fn raw(request: &[u8]) -> Resp {
    raw_to(server(), request)
}

/// [`raw`] to a server of the test's own.
pub fn raw_to(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect::<Vec<_>>();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Resp {
        status,
        headers,
        body,
    }
}

pub fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

pub fn get(path: &str) -> Resp {
    raw(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
}

/// The Python with selenium that drives headless Chromium (`BROWSER_PYTHON`, with Debian's
/// chromium-driver); None when missing, which fails under CI (`.ci/run` installs them).
pub fn browser_python() -> Option<std::path::PathBuf> {
    let python = std::env::var_os("BROWSER_PYTHON").map(std::path::PathBuf::from);
    let ok = python.as_ref().is_some_and(|p| {
        std::process::Command::new(p)
            .args(["-c", "import selenium"])
            .output()
            .is_ok_and(|o| o.status.success())
    }) && std::path::Path::new("/usr/bin/chromedriver").exists();
    veerkracht_testkit::require(
        ok,
        "BROWSER_PYTHON with selenium and Debian's chromium + chromium-driver (.ci/run installs them)",
    )
    .then(|| python.expect("checked"))
}

/// Runs `tests/browser/{script}` with the server's URL, the screenshot folder and `extra`
/// arguments; the JSON object it prints. Panics with its output when it fails.
pub fn run_browser_script(
    python: &std::path::Path,
    script: &str,
    addr: SocketAddr,
    shots: &std::path::Path,
    extra: &[&str],
) -> serde_json::Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser")
        .join(script);
    let run = std::process::Command::new(python)
        .arg(&path)
        .arg(format!("http://{addr}"))
        .arg(shots)
        .args(extra)
        .output()
        .expect("run the browser script");
    assert!(
        run.status.success(),
        "{script} failed: {}\n{}",
        String::from_utf8_lossy(&run.stderr),
        String::from_utf8_lossy(&run.stdout)
    );
    serde_json::from_str(String::from_utf8_lossy(&run.stdout).trim()).expect("JSON")
}

/// `target/screenshots/` of the workspace.
pub fn screenshots() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
}

/// The demo region's signal 2019 → 2024 at buurt level, as the pages compute it.
#[allow(dead_code)]
pub fn demo_signal() -> veerkracht_index::SignalResult {
    let ds = demo_dataset();
    let def = veerkracht_index::Definition::veerkracht_basis();
    veerkracht_index::signal(
        &def,
        &ds,
        2019,
        2024,
        veerkracht_dataset::Level::Buurt,
        def.method.signal_dead_band,
    )
}

/// The demo region's index 2024 at buurt level, as the pages compute it.
#[allow(dead_code)]
pub fn demo_index() -> veerkracht_index::IndexResult {
    let def = veerkracht_index::Definition::veerkracht_basis();
    veerkracht_index::compute(
        &def,
        &demo_dataset(),
        2024,
        veerkracht_dataset::Level::Buurt,
    )
}
