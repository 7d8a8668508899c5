//! Differential test against the pinned reference package `woningwaardering==6.202607.3`.
//!
//! Opt-in: set `WWS_PEER_PYTHON` to a Python interpreter that has the package installed
//! (e.g. a virtualenv made by the test script with `pip install woningwaardering==6.202607.3`).
//! Without it the test prints a note and passes, unless `CI` is set: then it fails
//! (`.ci/run` makes `.ci/venv` and sets `WWS_PEER_PYTHON`). `WWS_DIFF_UNITS` (default 2000) and
//! `WWS_DIFF_SEED` (default 1) choose the seeded random units made by
//! `tests/differential/gen.py` from the fixture inputs in ../shared; the reference values
//! them through `tests/differential/peer.py` with the network blocked. Every unit must
//! match: group points, totals, maximum rent and the criterium lists (nulls dropped, sorted
//! by criterium id, as the reference's own tests compare).

mod common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use veerkracht_wws::{Options, waardeer_many};

fn normalise(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut o = serde_json::Map::new();
            for (k, x) in m {
                if x.is_null() || k == "segment" || k == "warnings" {
                    continue;
                }
                let mut nx = normalise(x);
                if k == "woningwaarderingen"
                    && let Value::Array(a) = &mut nx
                {
                    a.sort_by_key(|w| w["criterium"]["id"].as_str().unwrap_or("").to_string());
                }
                o.insert(k.clone(), nx);
            }
            Value::Object(o)
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Number(n) => {
            let f = n.as_f64().unwrap();
            serde_json::json!((f * 1e6).round() / 1e6)
        }
        x => x.clone(),
    }
}

#[test]
fn differential_against_reference() {
    let Some(python) = veerkracht_testkit::env(
        "WWS_PEER_PYTHON",
        ".ci/run installs woningwaardering==6.202607.3 into .ci/venv and sets it",
    ) else {
        return;
    };
    let Some(fixtures) = common::peer("fixtures/tests/data") else {
        return;
    };
    let n: usize = std::env::var("WWS_DIFF_UNITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = std::env::var("WWS_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential");
    let dir = std::env::temp_dir().join(format!("veerkracht-wws-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = dir.join("units.ndjson");
    let peer = dir.join("peer.ndjson");
    let st = Command::new(&python)
        .arg(here.join("gen.py"))
        .arg(&fixtures)
        .arg(n.to_string())
        .arg(seed.to_string())
        .arg(&units)
        .status()
        .expect("run gen.py");
    assert!(st.success(), "gen.py failed");
    let st = Command::new(&python)
        .arg(here.join("peer.py"))
        .arg(&units)
        .arg(&peer)
        .status()
        .expect("run peer.py");
    assert!(st.success(), "peer.py failed");

    let text = std::fs::read_to_string(&units).unwrap();
    let ours = waardeer_many(&text, &Options::default()).unwrap();
    let theirs: Vec<Value> = std::fs::read_to_string(&peer)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ours.len(), n);
    assert_eq!(theirs.len(), n);
    let mut mismatches = Vec::new();
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        let ok = match (o, t.get("error")) {
            (Err(_), Some(_)) => true,
            (Ok(r), None) => normalise(&r.to_json()) == normalise(t),
            _ => false,
        };
        if !ok {
            mismatches.push(i);
        }
    }
    eprintln!(
        "differential: {} / {n} units match (seed {seed})",
        n - mismatches.len()
    );
    for i in mismatches.iter().take(10) {
        eprintln!(
            "  unit {i}: ours {} | reference {}",
            ours[*i]
                .as_ref()
                .map(|r| r.punten.to_string())
                .unwrap_or_else(|e| e.to_string()),
            theirs[*i].get("punten").unwrap_or(&theirs[*i]["error"])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}
