//! `veerkracht simulate` end to end: shipped scenarios, a scenario on the user's own files,
//! the comparison with CSV and Parquet output, and errors that name the key and line.

mod common;

use common::{ok, ok_json, one_line_error, run};

#[test]
fn simulate_a_shipped_scenario_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let v = ok_json(
        dir.path(),
        &[
            "--json",
            "simulate",
            "basis",
            "--runs",
            "4",
            "--seed",
            "3",
            "--threads",
            "2",
        ],
    );
    assert_eq!(v["scenario"], "basis");
    assert_eq!(v["runs"], 4);
    assert_eq!(v["woningen"], 23223);
    let h1 = v["verloop"]["h1"].as_f64().unwrap();
    let h2 = v["verloop"]["h2"].as_f64().unwrap();
    assert!(h1 > h2 && h2 > 0.0);
    let rows = v["rijen"].as_array().unwrap();
    let find = |code: &str, ind: &str, jaar: i64| {
        rows.iter()
            .find(|r| r["code"] == code && r["indicator"] == ind && r["jaar"] == jaar)
            .unwrap_or_else(|| panic!("{code} {ind} {jaar}"))
    };
    let share = find("regio", "aandeel_kwetsbaar", 2034);
    let (p5, p50, p95) = (
        share["p5"].as_f64().unwrap(),
        share["p50"].as_f64().unwrap(),
        share["p95"].as_f64().unwrap(),
    );
    assert!(
        p5 <= p50 && p50 <= p95 && p50 > 0.05 && p50 < 0.5,
        "{share}"
    );
    let doel = find("regio", "aandeel_doelgroep", 2030)["p5"]
        .as_f64()
        .unwrap();
    assert!(doel >= 0.925 - 1e-9, "target group share {doel}");
    find("BU90010503", "aandeel_kwetsbaar", 2025);
    // same seed, same numbers
    let w = ok_json(
        dir.path(),
        &[
            "--json",
            "simulate",
            "basis",
            "--runs",
            "4",
            "--seed",
            "3",
            "--threads",
            "1",
        ],
    );
    assert_eq!(v["rijen"], w["rijen"]);
}

#[test]
fn compare_writes_csv_and_parquet_and_prints_a_dutch_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(
        dir.path(),
        &[
            "simulate",
            "compare",
            "basis",
            "spreiding",
            "--runs",
            "4",
            "--out",
            "uit",
        ],
    );
    assert!(
        out.contains("Vergelijking 'basis' (A) met 'spreiding' (B)"),
        "{out}"
    );
    assert!(
        out.contains("hoogste buurtaandeel kwetsbare plaatsingen"),
        "{out}"
    );
    assert!(out.contains("Grootste verschuivingen"), "{out}");
    let csv = dir.path().join("uit/vergelijking-basis-spreiding.csv");
    let pq = dir.path().join("uit/vergelijking-basis-spreiding.parquet");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("a,b,jaar,code,naam,indicator,a_p50,b_p50,verschil_p5"),
        "{}",
        &text[..200]
    );
    assert!(
        text.lines().next().unwrap().ends_with(",zeker,afgeschermd"),
        "the reason of a withheld figure is a column"
    );
    assert!(text.contains(",minder_dan_k") && text.contains(",basis"));
    assert!(text.lines().count() > 10_000);
    let bytes = std::fs::read(&pq).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.len() > 10_000);
    let single = ok(
        dir.path(),
        &["simulate", "middenhuur", "--runs", "3", "--out", "uit"],
    );
    assert!(
        single.contains("Scenario 'middenhuur'") && single.contains("synthetische demodata"),
        "{single}"
    );
    assert!(dir.path().join("uit/simulatie-middenhuur.parquet").exists());
}

#[test]
fn a_scenario_on_own_files_with_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["demo", "--out", "veerstad"]);
    std::fs::create_dir(d.join("scenarios")).unwrap();
    std::fs::write(
        d.join("scenarios/eigen.toml"),
        "schema = 1\nnaam = \"eigen\"\nstartjaar = 2025\njaren = 3\npeildatum = 2025-01-01\n\
         [invoer]\nvoorraad = \"../veerstad/veerstad-corporatie-voorraad.csv\"\n\
         kwb = [\"../veerstad/veerstad-kwb-2024.csv\", \"../veerstad/veerstad-kwb-2023.csv\"]\n\
         [[ingreep]]\njaar = 2026\nbuurt = \"BU90010012\"\nsoort = \"sloop\"\naantal = 20\n",
    )
    .unwrap();
    let v = ok_json(
        d,
        &["--json", "simulate", "scenarios/eigen.toml", "--runs", "2"],
    );
    let rows = v["rijen"].as_array().unwrap();
    let herh = rows
        .iter()
        .find(|r| {
            r["code"] == "regio"
                && r["indicator"] == "plaatsingen_herhuisvesting"
                && r["jaar"] == 2026
        })
        .unwrap();
    assert!(herh["p50"].as_f64().unwrap() > 0.0, "{herh}");
}

#[test]
fn errors_name_the_key_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("fout.toml"),
        "schema = 1\nnaam = \"x\"\nstartjaar = 2025\njaren = 3\npeildatum = 2025-01-01\n[toewijzing]\nlotting = 0.2\n",
    )
    .unwrap();
    let e = one_line_error(&run(d, &["simulate", "fout.toml", "--runs", "2"]));
    assert!(
        e.contains("fout.toml") && e.contains("line 7") && e.contains("lotting"),
        "{e}"
    );
    std::fs::write(
        d.join("buurt.toml"),
        "schema = 1\nnaam = \"x\"\nstartjaar = 2025\njaren = 3\npeildatum = 2025-01-01\n\
         [spreiding]\ngroepen = [\"lvb\"]\nmax_aandeel = 0.2\nbuurten = [\"BU12345678\"]\n",
    )
    .unwrap();
    let e = one_line_error(&run(d, &["simulate", "buurt.toml", "--runs", "2"]));
    assert!(
        e.contains("spreiding.buurten[0]") && e.contains("BU12345678"),
        "{e}"
    );
    let e = one_line_error(&run(d, &["simulate", "bestaat-niet.toml"]));
    assert!(e.contains("basis, spreiding"), "{e}");
    let e = one_line_error(&run(d, &["simulate", "compare", "basis"]));
    assert!(e.contains("compare A.toml B.toml"), "{e}");
}

#[test]
fn per_buurt_figures_resting_on_fewer_than_k_are_withheld() {
    let dir = tempfile::tempdir().unwrap();
    let v = ok_json(
        dir.path(),
        &[
            "--json",
            "simulate",
            "basis",
            "--runs",
            "4",
            "--seed",
            "3",
            "--threads",
            "2",
        ],
    );
    assert_eq!(v["afscherming"]["k"], 10);
    let rows = v["rijen"].as_array().unwrap();
    let key = |r: &serde_json::Value| {
        (
            r["jaar"].as_i64().unwrap(),
            r["code"].as_str().unwrap().to_string(),
            r["indicator"].as_str().unwrap().to_string(),
        )
    };
    let by: std::collections::HashMap<_, _> = rows.iter().map(|r| (key(r), r)).collect();
    // (leegstand and geblokkeerd count states and events of the model, not households or
    // the stock: shown as they are, see veerkracht_sim::afscherming)
    let counts = [
        "huishoudens",
        "woningen",
        "verhuringen",
        "verhuringen_kwetsbaar",
        "plaatsingen_loting",
    ];
    let mut withheld = 0;
    for r in rows {
        let (jaar, code, ind) = key(r);
        if r["afgeschermd"].is_string() {
            withheld += 1;
            // the demo region is far above k; only a region count that is small itself
            // (or would give one away) can go
            assert!(
                code != "regio"
                    || !["huishoudens", "woningen", "aandeel_kwetsbaar"].contains(&ind.as_str()),
                "{r}"
            );
            for q in ["p5", "p50", "p95", "gemiddelde"] {
                assert!(r[q].is_null(), "withheld, not a number: {r}");
            }
            continue;
        }
        assert!(r["afgeschermd"].is_null());
        if code == "regio" {
            continue;
        }
        // a shown count rests on at least k units on average (or is zero)
        if counts.contains(&ind.as_str()) || ind.starts_with("plaatsingen_") {
            let x = r["gemiddelde"].as_f64().unwrap();
            assert!(x == 0.0 || x >= 10.0 - 1e-9, "{r}");
        }
        // a shown household share rests on a shown household count
        if ind.starts_with("aandeel_kwetsbaar") && ind != "aandeel_kwetsbaar_instroom" {
            let hh = by[&(jaar, code.clone(), "huishoudens".to_string())];
            assert!(hh["afgeschermd"].is_null(), "{r} over {hh}");
        }
    }
    assert!(withheld > 1000, "{withheld}");
    // a buurt's dwellings withheld in one year are withheld in every year
    let w: std::collections::BTreeSet<(String, bool)> = rows
        .iter()
        .filter(|r| r["indicator"] == "woningen" && r["code"] != "regio")
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["afgeschermd"].is_null(),
            )
        })
        .collect();
    let codes: std::collections::BTreeSet<&String> = w.iter().map(|(c, _)| c).collect();
    assert_eq!(codes.len(), w.len(), "the same in every year");
    // and as `wws --rent-mix` publishes the same stock
    let mix = ok_json(dir.path(), &["wws", "--rent-mix", "--json"]);
    for (code, shown) in &w {
        assert_eq!(
            *shown,
            !mix["buurten"][code.as_str()]["aantal"].is_null(),
            "{code}"
        );
    }
    // the printed summary names the rule
    let text = ok(
        dir.path(),
        &["simulate", "basis", "--runs", "2", "--threads", "2"],
    );
    assert!(text.contains("· = afgeschermd"), "{text}");
}

#[test]
fn min_cel_below_2_is_refused_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["simulate", "basis", "--runs", "1", "--min-cel", "1"][..],
        &[
            "simulate",
            "compare",
            "basis",
            "spreiding",
            "--min-cel",
            "0",
        ][..],
        &["serve", "--port", "0", "--min-cel", "1"][..],
    ] {
        let err = one_line_error(&run(dir.path(), args));
        assert!(err.contains("--min-cel"), "{args:?}: {err}");
    }
}
