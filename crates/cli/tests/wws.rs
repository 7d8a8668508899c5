//! End-to-end tests of `veerkracht wws`: one unit against the reference fixtures of
//! woningwaardering 6.202607.3 (read from ../shared, never copied), bulk CSV output,
//! what-if per unit and over a portfolio, the rent mix of the demo region, one-line errors.
//! With `CI` set, missing fixtures fail instead of skipping.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::{ok, ok_json, one_line_error, run};

/// The zelfstandige fixture pairs (input, expected output), or `None` (with a note) when
/// ../shared is absent; with `CI` set that is a failure.
fn fixtures() -> Option<Vec<(PathBuf, PathBuf)>> {
    let base = veerkracht_testkit::peer("fixtures/tests/data/zelfstandige_woonruimten")?;
    let mut out: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(base.join("output"))
        .unwrap()
        .flatten()
        .map(|f| (base.join("input").join(f.file_name()), f.path()))
        .filter(|(i, _)| i.exists())
        .collect();
    out.sort();
    assert!(out.len() >= 10, "expected the full-unit fixtures");
    Some(out)
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn close(a: &Value, b: &Value) -> bool {
    (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-6
}

#[test]
fn one_unit_matches_the_reference_fixture() {
    let Some(pairs) = fixtures() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (input, expected) in pairs.iter().take(5) {
        let inp = input.to_str().unwrap();
        let got = ok_json(dir.path(), &["wws", inp, "--json"]);
        let want = read_json(expected);
        for k in ["punten", "maximaleHuur", "maximaleHuurInclusiefOpslag"] {
            assert!(
                close(&got[k], &want[k]),
                "{}: {k} {} vs reference {}",
                input.display(),
                got[k],
                want[k]
            );
        }
        for g in want["groepen"].as_array().unwrap() {
            let code = &g["criteriumGroep"]["stelselgroep"]["code"];
            assert!(code.is_string(), "{g}");
            let ours = got["groepen"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| &x["criteriumGroep"]["stelselgroep"]["code"] == code)
                .unwrap_or_else(|| panic!("{}: no group {code}", input.display()));
            match (ours["punten"].as_f64(), g["punten"].as_f64()) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6, "{code}: {a} vs {b}"),
                (a, b) => assert_eq!(a.unwrap_or(0.0), b.unwrap_or(0.0), "{code}"),
            }
        }
        assert_eq!(got["peildatum"], "2026-07-01");
        assert!(got["segment"].is_string());
        // the Dutch text names every rubriek, the total, the rent and the segment
        let text = ok(dir.path(), &["wws", inp]);
        assert!(
            text.contains("totaal") && text.contains("maximale huur"),
            "{text}"
        );
        assert!(text.contains("segment:"), "{text}");
        assert!(text.contains("OVZ") && text.contains("WOZ"), "{text}");
    }
}

#[test]
fn bulk_ndjson_writes_one_csv_row_per_unit() {
    let Some(pairs) = fixtures() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut nd = String::new();
    for (i, _) in &pairs {
        let v = read_json(i);
        nd.push_str(&serde_json::to_string(&v).unwrap());
        nd.push('\n');
    }
    std::fs::write(dir.path().join("units.ndjson"), nd).unwrap();
    let s = ok_json(
        dir.path(),
        &[
            "wws",
            "--bulk",
            "units.ndjson",
            "--out",
            "punten.csv",
            "--json",
        ],
    );
    assert_eq!(s["units"], pairs.len());
    assert_eq!(s["valued"], pairs.len());
    let csv = std::fs::read_to_string(dir.path().join("punten.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "punten").unwrap();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), pairs.len());
    for (row, (_, expected)) in rows.iter().zip(&pairs) {
        let p: f64 = row.split(',').nth(col).unwrap().parse().unwrap();
        assert_eq!(p, read_json(expected)["punten"].as_f64().unwrap(), "{row}");
    }
    // text output and the CSV error for a missing --out
    let text = ok(
        dir.path(),
        &["wws", "--bulk", "units.ndjson", "--out", "b.csv"],
    );
    assert!(text.contains("eenheden gewaardeerd"), "{text}");
    let err = one_line_error(&run(dir.path(), &["wws", "--bulk", "units.ndjson"]));
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn what_if_one_unit_and_portfolio() {
    let Some(pairs) = fixtures() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (input, expected) = &pairs[0];
    let inp = input.to_str().unwrap();
    let w = ok_json(
        dir.path(),
        &["wws", "--what-if", "energielabel(G)", inp, "--json"],
    );
    assert!(close(&w["puntenVoor"], &read_json(expected)["punten"]));
    let d = w["puntenNa"].as_f64().unwrap() - w["puntenVoor"].as_f64().unwrap();
    assert!((w["deltaPunten"].as_f64().unwrap() - d).abs() < 1e-9);
    let ene = w["rubrieken"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "ENE")
        .unwrap();
    assert!(
        close(&ene["delta"], &w["deltaPunten"]),
        "only the label changed: {w}"
    );
    let text = ok(dir.path(), &["wws", "--what-if", "energielabel(G)", inp]);
    assert!(
        text.contains("Wat-als") && text.contains("segment"),
        "{text}"
    );

    // over the demo region's stock (flat form)
    ok(dir.path(), &["demo", "--out", "demo"]);
    let p = ok_json(
        dir.path(),
        &[
            "wws",
            "--what-if",
            "energielabel(A)",
            "--bulk",
            "demo/veerstad-corporatie-voorraad.csv",
            "--out",
            "whatif.csv",
            "--json",
        ],
    );
    let n = p["units"].as_u64().unwrap();
    assert!(n > 1000, "{p}");
    assert_eq!(p["valued"], n);
    assert!(p["delta_punten_gemiddeld"].as_f64().unwrap() > 0.0);
    assert!(!p["segmentwijzigingen"].as_array().unwrap().is_empty());
    let rows = std::fs::read_to_string(dir.path().join("whatif.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows as u64, n + 1);

    let err = one_line_error(&run(dir.path(), &["wws", "--what-if", "label(A)", inp]));
    assert!(err.contains("energielabel"), "{err}");
}

#[test]
fn rent_mix_of_the_demo_region() {
    let dir = tempfile::tempdir().unwrap();
    let m = ok_json(dir.path(), &["wws", "--rent-mix", "--json"]);
    assert_eq!(m["synthetisch"], true);
    assert!(
        m["bron"]
            .as_str()
            .unwrap()
            .contains("synthetische demodata")
    );
    let total = m["totaal"]["aantal"].as_u64().unwrap();
    assert!(total > 1000);
    // buurten below 10 dwellings are withheld (null with a reason), never shown as 0
    assert_eq!(m["afscherming"]["k"], 10);
    let buurten = m["buurten"].as_object().unwrap();
    let sum: u64 = buurten.values().filter_map(|b| b["aantal"].as_u64()).sum();
    let withheld: Vec<&serde_json::Value> =
        buurten.values().filter(|b| b["aantal"].is_null()).collect();
    assert!(!withheld.is_empty());
    assert!(
        withheld
            .iter()
            .all(|b| b["afgeschermd"]["aantal"].is_string())
    );
    assert!(
        sum + 10 <= total,
        "the withheld buurten hold at least k dwellings"
    );
    // no count below k anywhere
    for b in buurten.values().chain([&m["totaal"]]) {
        let counts = [
            "aantal",
            "sociaal",
            "middenhuur",
            "vrije_sector",
            "aantal_met_huur",
            "boven_maximum",
        ]
        .iter()
        .map(|k| &b[*k])
        .chain(b["punten_verdeling"].as_array().unwrap())
        .chain(b["labels"].as_object().unwrap().values());
        for x in counts {
            assert!(
                x.is_null() || x.as_u64().is_some_and(|x| x == 0 || x >= 10),
                "{x} in {b}"
            );
        }
    }
    let t = &m["totaal"];
    assert_eq!(
        t["sociaal"].as_u64().unwrap()
            + t["middenhuur"].as_u64().unwrap()
            + t["vrije_sector"].as_u64().unwrap(),
        total
    );
    let share = t["huur_als_aandeel_van_maximum"].as_f64().unwrap();
    assert!(share > 0.3 && share < 1.5, "{share}");
    let text = ok(dir.path(), &["wws", "--rent-mix"]);
    assert!(text.contains("synthetische demodata") && text.contains("totaal"));
    assert!(
        text.contains("· = afgeschermd: minder dan 10 woningen"),
        "{text}"
    );
}

#[test]
fn rent_mix_min_cel_is_configurable_and_k_below_2_refused() {
    let dir = tempfile::tempdir().unwrap();
    let withheld = |k: &str| {
        let m = ok_json(dir.path(), &["wws", "--rent-mix", "--min-cel", k, "--json"]);
        assert_eq!(m["afscherming"]["k"].to_string(), k);
        m["buurten"]
            .as_object()
            .unwrap()
            .values()
            .map(|b| b["afgeschermd"].as_object().unwrap().len())
            .sum::<usize>()
    };
    assert!(withheld("25") > withheld("10"));
    assert!(withheld("2") < withheld("10"));
    let err = one_line_error(&run(dir.path(), &["wws", "--rent-mix", "--min-cel", "1"]));
    assert!(
        err.contains("--min-cel") && err.contains("minimale celgrootte 1"),
        "{err}"
    );
}

#[test]
fn bulk_is_the_same_on_any_number_of_threads_and_keeps_going_past_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["demo", "--out", "demo"]);
    let stock = "demo/veerstad-corporatie-voorraad.csv";
    let mut outs = Vec::new();
    for threads in ["1", "3"] {
        let out = format!("p{threads}.csv");
        let s = ok_json(
            dir.path(),
            &[
                "wws",
                "--bulk",
                stock,
                "--out",
                &out,
                "--threads",
                threads,
                "--json",
            ],
        );
        assert!(s["valued"].as_u64().unwrap() > 20_000, "{s}");
        outs.push(std::fs::read(dir.path().join(&out)).unwrap());
    }
    assert!(outs[0] == outs[1], "1 and 3 threads give different files");
    // every row is an estimate, and the points column is the full valuation's
    let text = String::from_utf8(outs.swap_remove(0)).unwrap();
    assert!(text.lines().nth(1).unwrap().contains("flat: estimate"));

    // a flat row that cannot be read: an error naming the line, and no output file
    let bad = std::fs::read_to_string(dir.path().join(stock))
        .unwrap()
        .replacen(";MGW;", ";FLAT;", 1);
    std::fs::write(dir.path().join("bad.csv"), bad).unwrap();
    let err = one_line_error(&run(
        dir.path(),
        &["wws", "--bulk", "bad.csv", "--out", "bad-out.csv"],
    ));
    assert!(err.contains("line") && err.contains("woningtype"), "{err}");
    assert!(!dir.path().join("bad-out.csv").exists());

    // NDJSON with a line that is not JSON: that line is an error row, the others are valued
    let unit = r#"{"id": "u1", "Woningwaarderingstelsel": {"code": "ZEL"}, "bouwjaar": 1970, "gebruiksoppervlakte": 60}"#;
    let nd = format!("{unit}\n{{not json\n{}\n", unit.replace("u1", "u2"));
    std::fs::write(dir.path().join("u.ndjson"), nd).unwrap();
    let s = ok_json(
        dir.path(),
        &[
            "wws",
            "--bulk",
            "u.ndjson",
            "--out",
            "u.csv",
            "--threads",
            "2",
            "--json",
        ],
    );
    assert_eq!(s["units"], 3);
    assert_eq!(s["errors"].as_array().unwrap().len(), 1, "{s}");
    assert!(
        s["errors"][0]["error"].as_str().unwrap().contains("line 2"),
        "{s}"
    );
    let csv = std::fs::read_to_string(dir.path().join("u.csv")).unwrap();
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["u1", "#2", "u2"]);
}

fn variant_file(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/wws/varianten")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_policy_variant_per_buurt_on_the_demo_region() {
    let dir = tempfile::tempdir().unwrap();
    let mix = ok_json(dir.path(), &["wws", "--rent-mix", "--json"]);
    let file = variant_file("woz-vrijstelling.toml");
    let v = ok_json(
        dir.path(),
        &["wws", "--variant", &file, "--rent-mix", "--json"],
    );
    assert_eq!(v["varianten"][0]["naam"], "WOZ-vrijstelling € 100.000");
    assert_eq!(
        v["varianten"][0]["wijzigingen"][0]["sleutel"],
        "woz.vrijstelling"
    );
    let t = &v["totaal"];
    let n = t["aantallen"]["aantal"].as_u64().unwrap();
    // the same dwellings and segments today as the rent mix publishes
    assert_eq!(n, mix["totaal"]["aantal"].as_u64().unwrap());
    for s in ["sociaal", "middenhuur", "vrije_sector"] {
        assert_eq!(t["aantallen"][format!("voor.{s}")], mix["totaal"][s], "{s}");
    }
    let na: u64 = ["sociaal", "middenhuur", "vrije_sector"]
        .iter()
        .map(|s| t["aantallen"][format!("na.{s}")].as_u64().unwrap())
        .sum();
    assert_eq!(na, n);
    // less WOZ value counts: lower maximum rents, dwellings move down a segment
    assert!(t["delta_maximale_huur_gemiddeld"].as_f64().unwrap() < -10.0);
    assert!(v["wissels"]["middenhuur_naar_sociaal"].as_u64().unwrap() > 0);
    assert_eq!(v["wissels"]["sociaal_naar_middenhuur"], 0);
    for b in v["buurten"].as_object().unwrap().values().chain([t]) {
        for (k, x) in b["aantallen"].as_object().unwrap() {
            assert!(
                x.is_null() || x.as_u64().is_some_and(|x| x == 0 || x >= 10),
                "{k} = {x} in {b}"
            );
            if x.is_null() {
                assert!(b["afgeschermd"][k].is_string(), "{k} in {b}");
            }
        }
    }
    // a shipped variant by its name gives the same answer
    let by_name = ok_json(
        dir.path(),
        &[
            "wws",
            "--variant",
            "woz-vrijstelling",
            "--rent-mix",
            "--json",
        ],
    );
    assert_eq!(by_name["buurten"], v["buurten"]);
    let text = ok(
        dir.path(),
        &["wws", "--variant", "woz-vrijstelling", "--rent-mix"],
    );
    assert!(
        text.contains("segmentwissels") && text.contains("middenhuur → sociaal"),
        "{text}"
    );
}

#[test]
fn a_bad_variant_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mijn.toml");
    std::fs::write(
        &p,
        "[variant]\nnaam = \"x\"\nomschrijving = \"y\"\ngeldig_vanaf = 2026-01-01\n\n[woz]\ncap_procnt = 20\n",
    )
    .unwrap();
    let err = one_line_error(&run(
        dir.path(),
        &["wws", "--variant", p.to_str().unwrap(), "--rent-mix"],
    ));
    assert!(
        err.contains("mijn.toml:7") && err.contains("cap_procnt"),
        "{err}"
    );
    let err = one_line_error(&run(
        dir.path(),
        &["wws", "--variant", "geen-variant", "--rent-mix"],
    ));
    assert!(
        err.contains("woz-cap-25"),
        "the shipped ones are listed: {err}"
    );
}

#[test]
fn a_policy_variant_on_one_unit() {
    let Some(root) = veerkracht_testkit::peer("fixtures/tests/data") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let unit = root.join("zelfstandige_woonruimten/input/41123000005.json");
    let w = ok_json(
        dir.path(),
        &[
            "wws",
            "--variant",
            "woz-cap-25",
            unit.to_str().unwrap(),
            "--json",
        ],
    );
    // 292 → 290 points (WOZ 74.75 → 72: the 25 % cap), € 1,955.52 → € 1,941.80
    assert_eq!(
        (w["puntenVoor"].as_f64(), w["puntenNa"].as_f64()),
        (Some(292.0), Some(290.0))
    );
    assert_eq!(w["deltaMaximaleHuur"].as_f64(), Some(-13.72));
    let woz = w["rubrieken"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "WOZ")
        .unwrap();
    assert_eq!(woz["delta"].as_f64(), Some(-2.75));
}

#[test]
fn a_policy_variant_over_a_flat_stock_per_dwelling() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["demo", "--out", "demo"]);
    let stock = "demo/veerstad-corporatie-voorraad.csv";
    let s = ok_json(
        dir.path(),
        &[
            "wws",
            "--variant",
            "woz-cap-25",
            "--bulk",
            stock,
            "--out",
            "effect.csv",
            "--json",
        ],
    );
    assert_eq!(s["valued"], 23_223);
    let csv = std::fs::read_to_string(dir.path().join("effect.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (dm, dw, dp, s0, s1) = (
        col("delta_maximale_huur"),
        col("delta_WOZ"),
        col("delta_punten"),
        col("segment_voor"),
        col("segment_na"),
    );
    let (mut sum_dm, mut sum_woz, mut moves, mut rows) = (0.0, 0.0, 0, 0);
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        rows += 1;
        sum_dm += f[dm].parse::<f64>().unwrap();
        sum_woz += f[dw].parse::<f64>().unwrap();
        // only the WOZ rubriek changes under a WOZ cap, and never upwards
        assert!(f[dw].parse::<f64>().unwrap() <= 0.0, "{l}");
        assert!(f[dp].parse::<f64>().unwrap() <= 0.0, "{l}");
        moves += usize::from(f[s0] != f[s1]);
    }
    assert_eq!(rows, 23_223);
    assert!((sum_dm - s["delta_maximale_huur_totaal"].as_f64().unwrap()).abs() < 0.01);
    let woz = s["rubrieken"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "WOZ")
        .unwrap();
    assert!((sum_woz - woz["delta_totaal"].as_f64().unwrap()).abs() < 1e-6);
    let counted: u64 = s["segmentwijzigingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["aantal"].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, moves);
    // the same dwellings move as the rent mix's comparison says (vrije sector → middenhuur)
    let mix = ok_json(
        dir.path(),
        &[
            "wws",
            "--variant",
            "woz-cap-25",
            "--rent-mix",
            "--stock",
            stock,
            "--json",
        ],
    );
    assert_eq!(
        mix["wissels"]["vrije_sector_naar_middenhuur"].as_u64(),
        Some(counted)
    );
}
