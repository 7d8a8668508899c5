//! The points-only path (`waardeer_punten`, and the flat form's direct unit) must give the
//! numbers of the full valuation (`waardeer`) exactly: points per stelselgroep, total,
//! maximum rent, surcharges and segment, and the same warnings (by field) or the same
//! error. Checked on every fixture input of ../shared (lenient and strict), on the units
//! of the differential generator (when a Python is at hand: `WWS_PEER_PYTHON` or
//! `python3`; the generator needs only the standard library) and on a seeded flat stock.

mod common;

use std::path::PathBuf;
use std::process::Command;

use veerkracht_wws::flat::{FlatUnit, parse_csv, waardeer_punten_csv};
use veerkracht_wws::{Eenheid, Options, Punten, WwsError, parse_many, waardeer, waardeer_punten};

/// The same numbers and warnings for the same fields, in order.
fn same_numbers(a: &Punten, b: &Punten) -> bool {
    a.same_numbers(b)
        && a.warnings
            .iter()
            .map(|w| &w.field)
            .eq(b.warnings.iter().map(|w| &w.field))
}

/// Compares both paths on one unit; returns a description of a difference.
fn compare(e: &Eenheid, opts: &Options) -> Option<String> {
    let full = waardeer(e, opts).map(|r| Punten::of(&r));
    let fast = waardeer_punten(e, opts);
    let ok = match (&full, &fast) {
        (Ok(a), Ok(b)) => same_numbers(a, b),
        (Err(WwsError::Strict(a)), Err(WwsError::Strict(b))) => a.field == b.field,
        (Err(a), Err(b)) => a == b,
        _ => false,
    };
    (!ok).then(|| format!("full {full:?}\nfast {fast:?}"))
}

fn check_units(label: &str, units: &[(Eenheid, Vec<veerkracht_wws::Warning>)]) -> usize {
    let mut bad = Vec::new();
    for strict in [false, true] {
        let opts = Options {
            strict,
            ..Options::default()
        };
        for (i, (e, _)) in units.iter().enumerate() {
            if let Some(d) = compare(e, &opts) {
                bad.push(format!("{label} unit {i} (strict {strict}): {d}"));
            }
        }
    }
    for b in bad.iter().take(5) {
        eprintln!("{b}");
    }
    assert!(bad.is_empty(), "{label}: {} differences", bad.len());
    units.len()
}

#[test]
fn points_only_equals_full_on_fixtures() {
    let Some(root) = common::peer("fixtures/tests/data") else {
        return;
    };
    let mut files = Vec::new();
    common::inputs(&root, &mut files);
    files.sort();
    assert!(files.len() >= 337, "{} fixture inputs", files.len());
    let units: Vec<_> = files
        .iter()
        .flat_map(|p| parse_many(&std::fs::read_to_string(p).unwrap(), false).unwrap())
        .collect();
    let n = check_units("fixtures", &units);
    let kern = units
        .iter()
        .filter(|(e, _)| veerkracht_wws::waardeer_punten_zonder_regels(e, &Options::default()))
        .count();
    eprintln!("fixtures: {kern} of {n} units valued without lines");
    eprintln!("points-only = full on {n} fixture inputs");
}

#[test]
fn points_only_equals_full_on_generated_units() {
    let Some(fixtures) = common::peer("fixtures/tests/data") else {
        return;
    };
    let python = std::env::var_os("WWS_PEER_PYTHON").unwrap_or_else(|| "python3".into());
    let gen_py = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential/gen.py");
    let dir = std::env::temp_dir().join(format!("veerkracht-wws-points-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut total = 0;
    for seed in [1, 2] {
        let units = dir.join(format!("units-{seed}.ndjson"));
        let st = Command::new(&python)
            .arg(&gen_py)
            .arg(&fixtures)
            .arg("2000")
            .arg(seed.to_string())
            .arg(&units)
            .status();
        if !st.is_ok_and(|s| s.success()) {
            if std::env::var_os("CI").is_some() {
                panic!("gen.py could not run with {python:?}");
            }
            eprintln!("note: no Python for gen.py; generated units not checked");
            return;
        }
        let parsed = parse_many(&std::fs::read_to_string(&units).unwrap(), false).unwrap();
        total += check_units(&format!("generated seed {seed}"), &parsed);
        let kern = parsed
            .iter()
            .filter(|(e, _)| veerkracht_wws::waardeer_punten_zonder_regels(e, &Options::default()))
            .count();
        eprintln!(
            "seed {seed}: {kern} of {} units valued without lines",
            parsed.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("points-only = full on {total} generated units");
}

#[test]
fn points_only_equals_full_on_flat_stock() {
    let text = common::flat_stock(6000, 7);
    let units: Vec<FlatUnit> = parse_csv(&text).unwrap();
    assert_eq!(units.len(), 6000);
    let opts = Options::default();
    // every flat row takes the path without lines
    assert!(
        units
            .iter()
            .all(|u| veerkracht_wws::waardeer_punten_zonder_regels(&u.to_eenheid(&opts), &opts))
    );
    let mut bad = 0;
    for u in &units {
        let full = u.waardeer(&opts).map(|r| Punten::of(&r));
        let fast = u.waardeer_punten(&opts);
        let ok = match (&full, &fast) {
            (Ok(a), Ok(b)) => {
                // the full result adds the "estimate" warning
                let mut a = a.clone();
                a.warnings.retain(|w| w.field != "flat");
                same_numbers(&a, b)
            }
            (Err(a), Err(b)) => a == b,
            _ => false,
        };
        if !ok {
            bad += 1;
            if bad < 4 {
                eprintln!("{}: full {full:?}\nfast {fast:?}", u.id);
            }
        }
    }
    assert_eq!(bad, 0);
}

#[test]
fn flat_unit_built_directly_equals_the_parsed_vera_unit() {
    let text = common::flat_stock(3000, 11);
    let opts = Options::default();
    let mut reused = Eenheid::default();
    for u in parse_csv(&text).unwrap() {
        let (parsed, w) = Eenheid::from_json_value(&u.to_vera(&opts), true).unwrap();
        assert!(w.is_empty());
        assert_eq!(u.to_eenheid(&opts), parsed, "{}", u.id);
        // filling a unit that held another row gives the same unit
        u.fill(&opts, &mut reused);
        assert_eq!(reused, parsed, "{} (reused)", u.id);
    }
}

#[test]
fn flat_bulk_is_the_sequential_result_for_any_thread_count() {
    let text = common::flat_stock(2500, 3);
    let opts = Options::default();
    let seq: Vec<(String, Punten)> = parse_csv(&text)
        .unwrap()
        .iter()
        .map(|u| (u.id.clone(), u.waardeer_punten(&opts).unwrap()))
        .collect();
    for threads in [1, 2, 3, 7] {
        let bulk =
            waardeer_punten_csv(&text, &opts, threads, |u, p| (u.id.clone(), p.unwrap())).unwrap();
        assert_eq!(bulk, seq, "{threads} threads");
    }
    // a bad row: the error of the sequential reader (line number included)
    let bad = text.replacen(";MGW;", ";FLAT;", 1);
    let err = waardeer_punten_csv(&bad, &opts, 2, |_, p| p.is_ok()).unwrap_err();
    assert_eq!(err, parse_csv(&bad).unwrap_err());
    assert!(
        waardeer_punten_csv("", &opts, 2, |_, p| p.is_ok())
            .unwrap()
            .is_empty()
    );
}

/// Edge rows for the flat shortcut: tiny and huge areas, many rooms, the 2015–2019 WOZ
/// minimum and the 2018–2022 COROP rule, WOZ values from 1 euro to the cap, unknown and
/// over-long labels, zero worktop and outdoor space; every row twice in a row with another
/// WOZ value and bouwjaar (the memo's second use).
fn flat_edge_units(n: usize, seed: u64) -> Vec<FlatUnit> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    let labels = [
        "A++++",
        "A+++",
        "A++",
        "A+",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
        "G",
        "",
        "Z",
        "A+++++++++",
    ];
    let mut out = Vec::new();
    for i in 0..n {
        let opp = match next(4) {
            0 => 1.0 + next(45) as f64,
            1 => 40.0 + next(400) as f64 + next(100) as f64 / 100.0,
            2 => 300.0 + next(2000) as f64,
            _ => 20.0 + next(150) as f64,
        };
        let label = labels[next(labels.len() as u64) as usize];
        let u = FlatUnit {
            id: format!("E{i}"),
            buurtcode: None,
            eengezins: next(2) == 0,
            bouwjaar: if next(3) == 0 {
                2013 + next(12) as i32
            } else {
                1850 + next(180) as i32
            },
            oppervlakte_m2: opp,
            kamers: {
                let m = if next(10) == 0 { 45 } else { 8 };
                1 + next(m) as u32
            },
            energielabel: (!label.is_empty()).then(|| label.to_string()),
            woz_waarde: match next(5) {
                0 => 1.0 + next(20_000) as f64,
                1 => 1_000_000.0 + next(5_000_000) as f64,
                _ => 50_000.0 + next(700_000) as f64,
            },
            kale_huur: None,
            aanrecht_mm: match next(4) {
                0 => Some(next(3500) as f64),
                _ => None,
            },
            buitenruimte_m2: match next(4) {
                0 => Some(next(80) as f64 + if next(2) == 0 { 0.5 } else { 0.0 }),
                _ => None,
            },
        };
        let mut v = u.clone();
        v.id.push('b');
        v.woz_waarde = 60_000.0 + next(600_000) as f64;
        v.bouwjaar = 2015 + next(8) as i32;
        out.push(u);
        out.push(v);
    }
    out
}

#[test]
fn flat_shortcut_equals_the_unit_path_bit_for_bit() {
    use veerkracht_wws::flat::FlatWaardeerder;
    let mut units = parse_csv(&common::flat_stock(4000, 5)).unwrap();
    units.extend(flat_edge_units(4000, 9));
    let mut checked = 0;
    for (pd, strict) in [
        ("2026-07-01", false),
        ("2026-07-01", true),
        ("2024-07-01", false),
        ("2025-01-01", false),
        ("2026-01-01", false),
        ("2027-03-01", false),
        ("2023-01-01", false),
    ] {
        let opts = Options {
            peildatum: veerkracht_wws::Date::parse(pd).unwrap(),
            strict,
            ..Options::default()
        };
        let mut w = FlatWaardeerder::new(&opts);
        for u in &units {
            let slow = u.waardeer_punten(&opts);
            let fast = w.punten(u);
            let same = match (&slow, &fast) {
                // bit for bit, and the warnings in full (field and message, in order)
                (Ok(a), Ok(b)) => same_numbers(a, b) && a.warnings == b.warnings && a == b,
                (Err(a), Err(b)) => a == b,
                _ => false,
            };
            assert!(
                same,
                "{} at {pd} strict {strict}:\nslow {slow:?}\nfast {fast:?}",
                u.id
            );
            checked += 1;
        }
        // the shortcut is what is being tested: the ordinary rows must take it
        let mut ordinary = FlatWaardeerder::new(&opts);
        for u in &units[..4000] {
            let _ = ordinary.punten(u);
        }
        let share = ordinary.shortcut_count() as f64 / 4000.0;
        let all = w.shortcut_count() as f64 / units.len() as f64;
        eprintln!("{pd} strict {strict}: shortcut {share:.3} of ordinary rows, {all:.3} of all");
        if !strict && pd != "2023-01-01" && pd != "2027-03-01" {
            // (2027: no WOZ factors typed for 1-1-2026 yet, a warning: the unit path)
            assert!(share > 0.95, "{pd}: only {share:.3} took the shortcut");
        } else {
            assert_eq!(w.shortcut_count(), 0, "{pd} strict {strict}");
        }
    }
    eprintln!("flat shortcut = unit path on {checked} valuations");
}

#[test]
fn csv_row_of_points_equals_that_of_the_full_result() {
    let opts = Options::default();
    let mut n = 0;
    for u in parse_csv(&common::flat_stock(1500, 13)).unwrap() {
        let full = u.waardeer(&opts).unwrap();
        let mut p = u.waardeer_punten(&opts).unwrap();
        p.warnings.insert(0, veerkracht_wws::flat::schatting());
        assert_eq!(p.csv_row(&u.id), full.csv_row(), "{}", u.id);
        n += 1;
    }
    // VERA units: the same line (the warnings column compared by field only: the points-only
    // path may name a room by its own name)
    let Some(dir) = common::peer("fixtures/tests/data") else {
        return;
    };
    let mut files = Vec::new();
    common::inputs(&dir, &mut files);
    for f in files {
        for (e, _) in parse_many(&std::fs::read_to_string(&f).unwrap(), false).unwrap() {
            let (Ok(full), Ok(p)) = (waardeer(&e, &opts), waardeer_punten(&e, &opts)) else {
                continue;
            };
            let id = e.id.as_deref().unwrap_or("");
            // every column before the warnings (ids and numbers hold no comma)
            let cols = veerkracht_wws::csv_header().split(',').count();
            let cut = |s: String| {
                s.splitn(cols, ',')
                    .take(cols - 1)
                    .collect::<Vec<_>>()
                    .join(",")
            };
            if full.warnings.is_empty() {
                assert_eq!(p.csv_row(id), full.csv_row(), "{}", f.display());
            } else {
                assert_eq!(cut(p.csv_row(id)), cut(full.csv_row()), "{}", f.display());
            }
            n += 1;
        }
    }
    eprintln!("{n} CSV lines compared");
}
