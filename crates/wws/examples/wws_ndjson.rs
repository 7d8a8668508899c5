//! Values VERA units (JSON object, array or NDJSON) read from a file or stdin and writes
//! one result per line as JSON in the peer's structure (`{"error": ...}` on failure).
//! Used for differential runs against the reference package.
//!
//! `cargo run -p veerkracht-wws --example wws_ndjson -- UNITS.ndjson [PEILDATUM]`
//!
//! With `WWS_TIMING=1` it prints to stderr the time for parsing, valuing and writing.

use std::io::{Read, Write};

use veerkracht_wws::{Date, Options, waardeer_many};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut text = String::new();
    match args.get(1).map(String::as_str) {
        None | Some("-") => {
            std::io::stdin().read_to_string(&mut text).expect("stdin");
        }
        Some(p) => text = std::fs::read_to_string(p).expect("read input"),
    }
    let mut opts = Options::default();
    if let Some(d) = args.get(2) {
        opts.peildatum = Date::parse(d).expect("peildatum YYYY-MM-DD");
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if std::env::var_os("WWS_TIMING").is_some() {
        let t0 = std::time::Instant::now();
        let units = veerkracht_wws::parse_many(&text, false).expect("parse");
        let t1 = std::time::Instant::now();
        let results: Vec<_> = units
            .iter()
            .map(|(e, _)| veerkracht_wws::waardeer(e, &opts))
            .collect();
        let t2 = std::time::Instant::now();
        let mut bytes = 0usize;
        for r in results.iter().flatten() {
            bytes += r.to_json().to_string().len();
        }
        let t3 = std::time::Instant::now();
        let n = units.len() as f64;
        eprintln!(
            "{} units: parse {:.0}/s, value {:.0}/s, JSON out {:.0}/s ({bytes} bytes)",
            units.len(),
            n / (t1 - t0).as_secs_f64(),
            n / (t2 - t1).as_secs_f64(),
            n / (t3 - t2).as_secs_f64()
        );
        return;
    }
    match waardeer_many(&text, &opts) {
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
        Ok(rs) => {
            for r in rs {
                let line = match r {
                    Ok(r) => r.to_json().to_string(),
                    Err(e) => serde_json::json!({"error": e.to_string()}).to_string(),
                };
                writeln!(out, "{line}").expect("write");
            }
        }
    }
}
