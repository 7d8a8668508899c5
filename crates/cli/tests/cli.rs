//! End-to-end tests of the `veerkracht` binary: demo region, import, idempotence,
//! transactions, export, crosswalk, JSON output and one-line errors.

mod common;

use common::{ok_json, one_line_error, run};
use serde_json::Value;

fn buurten(info: &Value, edition: u64) -> u64 {
    info["editions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["edition"] == edition)
        .unwrap()["levels"]["buurt"]["areas"]
        .as_u64()
        .unwrap()
}

#[test]
fn without_a_workspace_the_demo_region_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let info = ok_json(dir.path(), &["info", "--json"]);
    assert_eq!(info["synthetic"], true);
    assert!(
        info["workspace"]
            .as_str()
            .unwrap()
            .contains("synthetische demodata")
    );
    let eds: Vec<u64> = info["editions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["edition"].as_u64().unwrap())
        .collect();
    assert_eq!(eds, vec![2019, 2020, 2021, 2022, 2023, 2024]);
    assert_eq!(buurten(&info, 2021), 150);
    assert_eq!(buurten(&info, 2022), 151, "one buurt split in two");
    let e2024 = info["editions"].as_array().unwrap().last().unwrap();
    assert!(
        e2024["indicators_not_yet_published"].as_u64().unwrap() >= 10,
        "income not yet published in 2024"
    );
    assert_eq!(e2024["levels"]["buurt"]["with_geometry"], 151);
    // Human output labels the data as synthetic too.
    let o = run(dir.path(), &["info"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("synthetische demodata"));
    assert!(
        !dir.path().join("veerkracht.gpkg").exists(),
        "reading the demo writes nothing"
    );
}

#[test]
fn import_is_idempotent_and_equals_the_embedded_demo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(d, &["demo", "--out", "veerstad", "--json"]);
    let mut files: Vec<String> = std::fs::read_dir(d.join("veerstad"))
        .unwrap()
        .map(|e| format!("veerstad/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| (n.ends_with(".csv") || n.ends_with(".geojson")) && !n.contains("voorraad"))
        .collect();
    files.sort();
    let mut args = vec!["import", "--json"];
    args.extend(files.iter().map(String::as_str));
    let first = ok_json(d, &args);
    assert!(
        first["imports"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["imported"] == true)
    );
    assert!(d.join("veerkracht.gpkg").exists());
    let again = ok_json(d, &args);
    assert!(
        again["imports"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["imported"] == false),
        "re-import changes nothing"
    );
    let info = ok_json(d, &["info", "--json"]);
    assert_eq!(
        info["synthetic"], false,
        "imported by hand: not flagged synthetic by the tool"
    );
    let demo = ok_json(tempfile::tempdir().unwrap().path(), &["info", "--json"]);
    for e in [2019, 2022, 2024] {
        assert_eq!(buurten(&info, e), buurten(&demo, e));
    }
    let cov = |i: &Value| i["editions"].as_array().unwrap().last().unwrap()["coverage"].clone();
    assert_eq!(cov(&info), cov(&demo), "same importers, same numbers");
}

#[test]
fn a_failed_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("goed.csv"),
        "gwb_code;regio;a_inw\nBU90010101;Noord;120\n",
    )
    .unwrap();
    std::fs::write(
        d.join("fout.csv"),
        "gwb_code;regio;a_inw\nBU90010102;Zuid;honderd\n",
    )
    .unwrap();
    let o = run(d, &["import", "--edition", "2024", "goed.csv", "fout.csv"]);
    let err = one_line_error(&o);
    assert!(err.contains("fout.csv: line 2, column 'a_inw'"), "{err}");
    assert!(
        !d.join("veerkracht.gpkg").exists(),
        "nothing written when one file fails"
    );
    ok_json(d, &["import", "--edition", "2024", "goed.csv", "--json"]);
    let before = std::fs::read(d.join("veerkracht.gpkg")).unwrap();
    one_line_error(&run(d, &["import", "--edition", "2024", "fout.csv"]));
    assert_eq!(before, std::fs::read(d.join("veerkracht.gpkg")).unwrap());
}

#[test]
fn export_and_crosswalk_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ok_json(
        d,
        &[
            "export",
            "--level",
            "buurt",
            "--edition",
            "2024",
            "--out",
            "b.csv",
            "--json",
        ],
    );
    assert_eq!(
        (s["areas"].as_u64(), s["synthetic"].as_bool()),
        (Some(151), Some(true))
    );
    let text = std::fs::read_to_string(d.join("b.csv")).unwrap();
    assert_eq!(text.lines().count(), 152);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains("synthetische demodata")
    );
    for ext in ["xlsx", "geojson", "gpkg"] {
        let out = format!("w.{ext}");
        let s = ok_json(d, &["export", "--level", "wijk", "--out", &out, "--json"]);
        assert_eq!(
            (s["areas"].as_u64(), s["edition"].as_u64()),
            (Some(15), Some(2024)),
            "{ext}"
        );
    }
    let links = ok_json(
        d,
        &["crosswalk", "--from", "2021", "--to", "2022", "--json"],
    );
    let links = links.as_array().unwrap();
    let overlap: Vec<&Value> = links
        .iter()
        .filter(|l| l["method"] == "geometry_overlap")
        .collect();
    assert_eq!(
        overlap.len(),
        2,
        "the split buurt's two children: {overlap:?}"
    );
    assert_eq!(overlap[0]["from"], overlap[1]["from"]);
    assert!(overlap.iter().all(|l| l["share"].as_f64().unwrap() > 0.99));
    let renamed = ok_json(
        d,
        &["crosswalk", "--from", "2022", "--to", "2023", "--json"],
    );
    assert_eq!(
        renamed
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["method"] == "code_renamed")
            .count(),
        1
    );
}

#[test]
fn help_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("Voorbeelden") && help.contains("veerkracht import"),
        "{help}"
    );
    let err = one_line_error(&run(
        dir.path(),
        &["export", "--level", "buurt", "--out", "x.pdf"],
    ));
    assert!(err.contains("x.pdf"), "{err}");
    let err = one_line_error(&run(
        dir.path(),
        &["info", "--workspace", "bestaat-niet.gpkg"],
    ));
    assert!(err.contains("no workspace here"), "{err}");
    let err = one_line_error(&run(dir.path(), &["import", "geen-bestand.csv"]));
    assert!(err.contains("geen-bestand.csv"), "{err}");
    let list = ok_json(dir.path(), &["indicators", "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "p_wcorpw")
    );
}

#[test]
fn index_and_signal_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = ok_json(
        d,
        &["index", "--edition", "2024", "--json", "--out", "index.csv"],
    );
    assert_eq!(r["areas"].as_array().unwrap().len(), 151);
    assert_eq!(r["definition"], "veerkracht-basis");
    let csv = std::fs::read_to_string(d.join("index.csv")).unwrap();
    assert_eq!(csv.lines().count(), 152);
    let header = csv.lines().next().unwrap();
    assert!(header.contains("bijstand_per_1000_bijdrage"));
    // Columns in the order an analyst reads them: identity first, then the score.
    assert!(
        header.starts_with("code,name,gemeente,corporatiebuurt,status,reden,score,rank"),
        "{header}"
    );
    // An area the index does not score says why, with its numbers, and has no rank.
    let row = csv.lines().find(|l| l.starts_with("BU90010903,")).unwrap();
    assert!(
        row.contains(",niet_gescoord,\"te weinig huishoudens: 95 particuliere huishoudens (minimaal 100), 225 inwoners\",,,"),
        "{row}"
    );
    assert_eq!(
        csv.lines().filter(|l| l.contains(",gescoord,")).count(),
        146
    );
    let one = ok_json(d, &["index", "--area", "BU90010312", "--json"]);
    let sum: f64 = one["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["contribution"].as_f64())
        .sum();
    assert!((sum - one["score"].as_f64().unwrap()).abs() < 1e-9);
    let s = ok_json(
        d,
        &[
            "signal",
            "--from",
            "2020",
            "--to",
            "2024",
            "--json",
            "--out",
            "signaal.geojson",
        ],
    );
    let hit = s["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "BU90010503")
        .unwrap();
    assert_eq!(hit["quadrant"], "veerkracht_onder_druk");
    let g: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("signaal.geojson")).unwrap()).unwrap();
    assert_eq!(g["features"].as_array().unwrap().len(), 151);
    one_line_error(&run(d, &["signal", "--from", "2024", "--to", "2020"]));
    ok_json(d, &["index", "--json", "--out", "index.gpkg"]);
    ok_json(
        d,
        &[
            "signal",
            "--from",
            "2020",
            "--to",
            "2024",
            "--json",
            "--out",
            "signaal.parquet",
        ],
    );
    assert!(
        std::fs::read(d.join("signaal.parquet"))
            .unwrap()
            .starts_with(b"PAR1")
    );
    let conn = rusqlite::Connection::open(d.join("index.gpkg")).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM \"index\" WHERE geom IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 151);
    ok_json(
        d,
        &[
            "index",
            "--uncertainty",
            "100",
            "--report",
            "rapport.html",
            "--json",
        ],
    );
    let html = std::fs::read_to_string(d.join("rapport.html")).unwrap();
    assert!(
        html.contains("<table>")
            && html.contains("synthetische demodata")
            && html.contains("Sobol")
    );
    ok_json(d, &["index", "--report", "rapport.md", "--json"]);
    assert!(
        std::fs::read_to_string(d.join("rapport.md"))
            .unwrap()
            .starts_with("# Veerkracht-basis")
    );
}

#[test]
fn compare_corporatie_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let c = ok_json(
        dir.path(),
        &[
            "compare",
            "corporatie",
            "--json",
            "--out",
            "vergelijking.csv",
        ],
    );
    assert_eq!(
        c["n_corp"], 12,
        "the generator made 12 corporation-dominated buurten"
    );
    let score = c["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["variable"] == "score")
        .unwrap();
    assert!(score["diff_mean"]["high"].as_f64().unwrap() < 0.0);
    assert_eq!(c["sensitivity"].as_array().unwrap().len(), 4);
    // The demo has six editions: the trend 2019→2024 is compared too; vulnerability rose more in corporatiebuurten.
    assert_eq!(c["trend_from"], 2019);
    let t = c["trend"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["variable"] == "delta_bijstand_per_1000")
        .unwrap();
    assert!(t["n_corp"].as_u64().unwrap() >= 10, "{t}");
    assert!(
        std::fs::read_to_string(dir.path().join("vergelijking.csv"))
            .unwrap()
            .starts_with("variabele,label")
    );
    ok_json(
        dir.path(),
        &[
            "compare",
            "corporatie",
            "--json",
            "--report",
            "vergelijking.md",
        ],
    );
    assert!(
        std::fs::read_to_string(dir.path().join("vergelijking.md"))
            .unwrap()
            .contains("## Trend 2019 → 2024")
    );
    ok_json(
        dir.path(),
        &[
            "signal",
            "--from",
            "2020",
            "--to",
            "2024",
            "--json",
            "--report",
            "signaal.html",
        ],
    );
    assert!(
        std::fs::read_to_string(dir.path().join("signaal.html"))
            .unwrap()
            .contains("BU90010503")
    );
    let again = ok_json(dir.path(), &["compare", "corporatie", "--json"]);
    assert_eq!(c, again, "seeded: same output");
}
