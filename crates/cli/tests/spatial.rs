//! `veerkracht spatial` end to end: on the demo region, through GAL files, on the real national
//! wijken with the Wmo 2024 rate, and its errors.

mod common;

use common::{ok, ok_json, one_line_error, run};
use veerkracht_testkit::real;

#[test]
fn lisa_moran_and_gi_on_the_demo_region() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = [
        "--json",
        "spatial",
        "lisa",
        "--index",
        "veerkracht-basis",
        "--seed",
        "7",
    ];
    let l = ok_json(d, &args);
    let areas = l["areas"].as_array().unwrap();
    assert_eq!(
        areas.len(),
        146,
        "scored demo buurten with a shape (not the 5 the index does not score)"
    );
    assert_eq!(l["summary"]["islands"].as_array().unwrap().len(), 0);
    // The demo index is strongly clustered: both kinds of cluster appear.
    let hh = l["clusters"]["hoog-hoog"].as_u64().unwrap_or(0);
    let ll = l["clusters"]["laag-laag"].as_u64().unwrap_or(0);
    assert!(hh > 5 && ll > 5, "{}", l["clusters"]);
    for a in areas {
        let q = a["kwadrant"].as_u64().unwrap();
        assert!((1..=4).contains(&q));
        let p = a["p_sim"].as_f64().unwrap();
        assert!((0.001..=0.5 + 1e-12).contains(&p), "{p}");
        assert_eq!(a["significant"].as_bool().unwrap(), p <= 0.05);
    }
    // Same seed, same bytes.
    assert_eq!(ok(d, &args), ok(d, &args));

    let m = ok_json(
        d,
        &["--json", "spatial", "moran", "--index", "veerkracht-basis"],
    );
    let i = m["moran"]["I"].as_f64().unwrap();
    assert!(i > 0.5, "I {i}");
    // The weights through a GAL file give the same statistic.
    ok(
        d,
        &[
            "spatial",
            "weights",
            "--out",
            "buurten.gal",
            "--index",
            "veerkracht-basis",
        ],
    );
    let text = std::fs::read_to_string(d.join("buurten.gal")).unwrap();
    assert!(
        text.starts_with("0 146 buurten_2024 code\n"),
        "{}",
        &text[..40]
    );
    let via = ok_json(
        d,
        &[
            "--json",
            "spatial",
            "moran",
            "--index",
            "veerkracht-basis",
            "--weights",
            "buurten.gal",
        ],
    );
    assert_eq!(via["moran"]["I"].as_f64().unwrap(), i);

    let g = ok_json(
        d,
        &[
            "--json",
            "spatial",
            "gi",
            "--indicator",
            "p_wmo_t",
            "--level",
            "wijk",
            "--star",
        ],
    );
    assert_eq!(g["statistic"], "Gi*");
    assert_eq!(g["areas"].as_array().unwrap().len(), 15);

    // Outputs per area for QGIS.
    ok(
        d,
        &[
            "spatial",
            "lisa",
            "--index",
            "veerkracht-basis",
            "--correction",
            "fdr",
            "--out",
            "lisa.geojson",
        ],
    );
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("lisa.geojson")).unwrap()).unwrap();
    assert_eq!(gj["features"].as_array().unwrap().len(), 146);
    assert!(gj["features"][0]["properties"]["cluster"].is_string());
}

#[test]
fn spatial_errors_are_one_line_and_say_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = one_line_error(&run(d, &["spatial", "moran", "--indicator", "nope"]));
    assert!(e.contains("unknown indicator 'nope'"), "{e}");
    let e = one_line_error(&run(d, &["spatial", "moran"]));
    assert!(e.contains("--indicator ID or --index"), "{e}");
    let e = one_line_error(&run(
        d,
        &[
            "spatial",
            "lisa",
            "--index",
            "veerkracht-basis",
            "--weights",
            "distance",
        ],
    ));
    assert!(e.contains("--distance METRES"), "{e}");
    std::fs::write(d.join("bad.gal"), "2\nBU1 1\nBU2 BU3\n").unwrap();
    let e = one_line_error(&run(
        d,
        &[
            "spatial",
            "moran",
            "--index",
            "veerkracht-basis",
            "--weights",
            "bad.gal",
        ],
    ));
    assert!(e.contains("bad.gal: line 3"), "{e}");
    let e = one_line_error(&run(
        d,
        &[
            "spatial",
            "lisa",
            "--index",
            "veerkracht-basis",
            "--correction",
            "holm",
        ],
    ));
    assert!(e.contains("none, fdr or bonferroni"), "{e}");
}

#[test]
fn moran_on_the_real_wijken_with_wmo_2024() {
    let (Some(geo), Some(wmo)) = (
        real("geo-wijken-gemeenten-2024-nl/wijken_2024.geojson"),
        real("cbs-wmo-clienten-wijk-2024h1/wmo_clienten_wijk_2024h1.csv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["import", geo.to_str().unwrap(), "--edition", "2024"]);
    ok(d, &["import", wmo.to_str().unwrap()]);
    let m = ok_json(
        d,
        &[
            "--json",
            "spatial",
            "moran",
            "--level",
            "wijk",
            "--indicator",
            "p_wmo_t",
        ],
    );
    // esda 2.9.0 on the same 3,028 wijken (crates/spatial/tests/esda.rs): I = 0.226325…
    assert_eq!(m["summary"]["n"], 3028);
    assert_eq!(m["summary"]["islands"].as_array().unwrap().len(), 21);
    let i = m["moran"]["I"].as_f64().unwrap();
    assert!((i - 0.226_325).abs() < 5e-7, "I {i}");
    assert_eq!(m["moran"]["p_sim"].as_f64().unwrap(), 0.001);
    // Islands linked to their 2 nearest wijken: none left.
    let k = ok_json(
        d,
        &[
            "--json",
            "spatial",
            "weights",
            "--level",
            "wijk",
            "--indicator",
            "p_wmo_t",
            "--islands",
            "knn",
            "--k",
            "2",
        ],
    );
    assert_eq!(k["summary"]["islands"].as_array().unwrap().len(), 0);
    assert_eq!(k["linked_islands"].as_array().unwrap().len(), 21);
}
