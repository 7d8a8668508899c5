//! Throughput of the WWS engine on one core, for `bench/wws.sh`.
//!
//! `cargo run --release -p veerkracht-wws --example wws_bench -- UNITS.ndjson [RUNS] [FLAT.csv]`
//!
//! Prints one JSON object: units per second for
//! * `parse_and_value`: NDJSON text → parsed units → full results (what the Python package's
//!   `model_validate_json` + `waardeer` does), the median of RUNS runs;
//! * `value_parsed`: full results from already parsed units;
//! * `points_parsed`: the points-only path (`waardeer_punten`: total points, maximum rent and
//!   segment) from already parsed units;
//! * `flat`: the flat portfolio CSV, when FLAT.csv is given: parse + points-only
//!   (`flat::waardeer_punten_csv` on one thread), and points-only on its rows parsed
//!   beforehand (`units_per_s`, `points_parsed_per_s`).
//! * `points_without_lines` / `flat.without_lines`: how many units the points-only path
//!   values without criterium lines (`kern.rs`); the others take the lean rules.
//!
//! A checksum of the points is printed so the optimiser cannot drop the work.

use std::time::Instant;

use veerkracht_wws::{Options, parse_many, waardeer};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: wws_bench UNITS.ndjson [RUNS] [FLAT.csv]");
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(15);
    let text = std::fs::read_to_string(path).expect("read units");
    let opts = Options::default();
    let mut check = 0.0;

    // parse + value, per run
    let mut n = 0usize;
    let mut times = Vec::new();
    for run in 0..=runs {
        let t0 = Instant::now();
        let units = parse_many(&text, false).expect("parse");
        for (e, _) in &units {
            if let Ok(r) = waardeer(e, &opts) {
                check += r.punten;
            }
        }
        let dt = t0.elapsed().as_secs_f64();
        n = units.len();
        if run > 0 {
            times.push(dt);
        }
    }
    let parse_and_value = n as f64 / median(times);

    // value only, from parsed units (repeat the set so one timing is ≥ ~50 ms)
    let units = parse_many(&text, false).expect("parse");
    let reps = (200_000 / n.max(1)).max(1);
    let mut times = Vec::new();
    for run in 0..=runs.min(7) {
        let t0 = Instant::now();
        for _ in 0..reps {
            for (e, _) in &units {
                if let Ok(r) = waardeer(e, &opts) {
                    check += r.punten;
                }
            }
        }
        if run > 0 {
            times.push(t0.elapsed().as_secs_f64());
        }
    }
    let value_parsed = (n * reps) as f64 / median(times);

    let mut times = Vec::new();
    for run in 0..=runs.min(7) {
        let t0 = Instant::now();
        for _ in 0..reps {
            for (e, _) in &units {
                if let Ok(p) = veerkracht_wws::waardeer_punten(e, &opts) {
                    check += p.punten;
                }
            }
        }
        if run > 0 {
            times.push(t0.elapsed().as_secs_f64());
        }
    }
    let points_parsed = (n * reps) as f64 / median(times);

    let mut flat = serde_json::Value::Null;
    if let Some(fp) = args.get(3) {
        let ftext = std::fs::read_to_string(fp).expect("read flat CSV");
        let mut times = Vec::new();
        let mut fn_ = 0;
        for run in 0..=runs.min(7) {
            let t0 = Instant::now();
            let pts = veerkracht_wws::flat::waardeer_punten_csv(&ftext, &opts, 1, |_, p| {
                p.map(|p| p.punten).unwrap_or(0.0)
            })
            .expect("flat CSV");
            check += pts.iter().sum::<f64>();
            fn_ = pts.len();
            if run > 0 {
                times.push(t0.elapsed().as_secs_f64());
            }
        }
        let parse_and_points = fn_ as f64 / median(times);
        // the flat rows as parsed units: points only (the path without criterium lines)
        let fu: Vec<_> = veerkracht_wws::flat::parse_csv(&ftext)
            .expect("flat CSV")
            .iter()
            .map(|u| u.to_eenheid(&opts))
            .collect();
        let zonder_regels = fu
            .iter()
            .filter(|e| veerkracht_wws::waardeer_punten_zonder_regels(e, &opts))
            .count();
        let mut times = Vec::new();
        for run in 0..=runs.min(7) {
            let t0 = Instant::now();
            for e in &fu {
                if let Ok(p) = veerkracht_wws::waardeer_punten(e, &opts) {
                    check += p.punten;
                }
            }
            if run > 0 {
                times.push(t0.elapsed().as_secs_f64());
            }
        }
        let points_parsed_units = fu.len() as f64 / median(times);
        // the flat rows parsed (FlatUnit), valued by the flat shortcut with a memo that
        // starts empty in every run
        let rows = veerkracht_wws::flat::parse_csv(&ftext).expect("flat CSV");
        let mut times = Vec::new();
        for run in 0..=runs.min(7) {
            let t0 = Instant::now();
            let mut w = veerkracht_wws::flat::FlatWaardeerder::new(&opts);
            for u in &rows {
                if let Ok(p) = w.punten(u) {
                    check += p.punten;
                }
            }
            if run > 0 {
                times.push(t0.elapsed().as_secs_f64());
            }
        }
        flat = serde_json::json!({
            "units": fn_,
            "units_per_s": parse_and_points,
            "points_parsed_per_s": points_parsed_units,
            "rows_parsed_per_s": rows.len() as f64 / median(times),
            "without_lines": zonder_regels,
        });
    }
    let zonder_regels = units
        .iter()
        .filter(|(e, _)| veerkracht_wws::waardeer_punten_zonder_regels(e, &opts))
        .count();
    println!(
        "{}",
        serde_json::json!({
            "units": n,
            "bytes": text.len(),
            "parse_and_value_per_s": parse_and_value,
            "value_parsed_per_s": value_parsed,
            "points_parsed_per_s": points_parsed,
            "points_without_lines": zonder_regels,
            "flat": flat,
            "checksum": check,
        })
    );
}
