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
//!
//! Earlier years (`differential_earlier_years`): peildatums 1 July 2024 – 31 December 2025 are
//! valued by the same reference with its date window opened and the rent tables of the
//! release of that year swapped in: `woningwaardering==4.0.0` for 2025 (`WWS_PEER_2025_PYTHON`)
//! and `==2.0.6` for 1 July 2024 (`WWS_PEER_2024_PYTHON`, ZEL only: that release has no ONZ
//! stelsel, and an ONZ unit must then fail in both). Why the old releases' own rules are not
//! the oracle (they differ mostly by bugs the reference fixed for every date later) is in
//! docs/wws-earlier-years.md; `bench/wws-releases.sh` reports that gap.

mod common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use veerkracht_wws::{Options, Stelsel, Tables, waardeer_many};

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
    let Some(python) = peer_python() else {
        return;
    };
    differential(&python, "2026-07-01", &[]);
}

fn peer_python() -> Option<String> {
    veerkracht_testkit::env(
        "WWS_PEER_PYTHON",
        ".ci/run installs woningwaardering==6.202607.3 into .ci/venv and sets it",
    )
}

/// The rent tables (`maximale_huurprijzen.csv`, ZEL then ONZ when it has one) of the release
/// installed for `var`, after checking it is `version`.
fn release_tables(var: &str, version: &str) -> Option<Vec<PathBuf>> {
    let python = veerkracht_testkit::env(
        var,
        &format!(
            ".ci/run installs woningwaardering=={version} into its own virtualenv and sets it"
        ),
    )?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m, os, woningwaardering as w; \
             print(m.version('woningwaardering')); print(os.path.dirname(w.__file__))",
        ])
        .output()
        .expect("run the release's python");
    assert!(
        out.status.success(),
        "{var}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(version),
        "{var} must hold woningwaardering=={version}"
    );
    let root = PathBuf::from(lines.next().unwrap()).join("stelsels");
    Some(
        ["zelfstandige_woonruimten", "onzelfstandige_woonruimten"]
            .iter()
            .map(|s| root.join(s).join("maximale_huurprijzen.csv"))
            .filter(|p| p.exists())
            .collect(),
    )
}

#[test]
fn differential_earlier_years() {
    let Some(python) = peer_python() else {
        return;
    };
    if let Some(tables) = release_tables("WWS_PEER_2025_PYTHON", "4.0.0") {
        assert_eq!(tables.len(), 2, "4.0.0 ships a ZEL and an ONZ rent table");
        same_rent_table(&tables[0], Stelsel::Zelfstandig, "2025-01-01");
        same_rent_table(&tables[1], Stelsel::Onzelfstandig, "2025-01-01");
        for peildatum in ["2025-01-01", "2025-07-01", "2025-12-31"] {
            differential(&python, peildatum, &tables);
        }
    }
    if let Some(tables) = release_tables("WWS_PEER_2024_PYTHON", "2.0.6") {
        assert_eq!(tables.len(), 1, "2.0.6 has no ONZ stelsel");
        same_rent_table(&tables[0], Stelsel::Zelfstandig, "2024-07-01");
        for peildatum in ["2024-07-01", "2024-12-31"] {
            differential(&python, peildatum, &tables);
        }
    }
}

/// Every row of a release's `maximale_huurprijzen.csv` (`Punten,Bedrag`) is the amount of
/// `data/wws/huurprijstabellen.toml` at `peildatum`, to the cent.
fn same_rent_table(csv: &std::path::Path, stelsel: Stelsel, peildatum: &str) {
    let table = Tables::embedded()
        .huurtabel(stelsel, peildatum.parse().expect("a date"))
        .unwrap();
    let text = std::fs::read_to_string(csv).unwrap();
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let (p, b) = line.split_once(',').expect("Punten,Bedrag");
        let (p, b): (f64, f64) = (p.parse().unwrap(), b.trim().parse().unwrap());
        let ours = table.bedrag(p).unwrap();
        assert!(
            (ours - b).abs() < 0.005,
            "{stelsel:?} {peildatum}: {p} points is €{ours} here, €{b} in {}",
            csv.display()
        );
        rows += 1;
    }
    assert!(rows > 100, "{}: only {rows} rows", csv.display());
}

/// Values the seeded units with the engine and the reference at `peildatum`; every unit must
/// agree (`tables`: the year's rent tables for the reference, see the module docs).
fn differential(python: &str, peildatum: &str, tables: &[PathBuf]) {
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
    let dir = std::env::temp_dir().join(format!(
        "veerkracht-wws-diff-{}-{peildatum}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let units = dir.join("units.ndjson");
    let peer = dir.join("peer.ndjson");
    let st = Command::new(python)
        .arg(here.join("gen.py"))
        .arg(&fixtures)
        .arg(n.to_string())
        .arg(seed.to_string())
        .arg(&units)
        .status()
        .expect("run gen.py");
    assert!(st.success(), "gen.py failed");
    let st = Command::new(python)
        .arg(here.join("peer.py"))
        .arg(&units)
        .arg(&peer)
        .arg(peildatum)
        .args(tables)
        .status()
        .expect("run peer.py");
    assert!(st.success(), "peer.py failed");

    let text = std::fs::read_to_string(&units).unwrap();
    let opts = Options {
        peildatum: peildatum.parse().expect("a date"),
        ..Options::default()
    };
    let ours = waardeer_many(&text, &opts).unwrap();
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
            // 1 July 2024 has no ONZ rent table (no release of that year has one): the engine
            // must say so, not value with another year's table.
            (Err(e), Some(_)) if tables.len() == 1 => e.to_string().contains("no ONZ rent table"),
            (Err(_), Some(_)) => true,
            (Ok(r), None) => normalise(&r.to_json()) == normalise(t),
            _ => false,
        };
        if !ok {
            mismatches.push(i);
        }
    }
    eprintln!(
        "differential at {peildatum}: {} / {n} units match (seed {seed})",
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
    assert!(
        mismatches.is_empty(),
        "{} mismatches at {peildatum}",
        mismatches.len()
    );
}
