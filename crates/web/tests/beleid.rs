//! The policy variants page and API (issue 19): a shipped variant by name, a pasted one, the
//! numbers equal the engine's comparison of the demo stock, every count passes the rent mix's
//! suppression, bad variants are clear errors.

mod common;

use common::{get, raw};

fn post(path: &str, ctype: &str, body: &str) -> common::Resp {
    raw(format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .as_bytes())
}

fn demo_units() -> Vec<veerkracht_wws::flat::FlatUnit> {
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let text = String::from_utf8_lossy(
        &region
            .file("veerstad-corporatie-voorraad.csv")
            .unwrap()
            .bytes,
    )
    .to_string();
    veerkracht_wws::flat::parse_csv(&text).unwrap()
}

#[test]
fn a_shipped_variant_by_name_equals_the_engine() {
    let list = get("/api/v1/huurmix/beleid").json();
    let names: Vec<&str> = list["varianten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["variant"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"woz-vrijstelling") && names.len() == 5,
        "{names:?}"
    );

    let v = get("/api/v1/huurmix/beleid?variant=woz-vrijstelling").json();
    assert_eq!(v["variant"]["naam"], "WOZ-vrijstelling € 100.000");
    let t = &v["totaal"];
    assert_eq!(t["aantallen"]["aantal"], 23_223);
    // the engine directly: every demo dwelling valued today and under the variant
    let variant = veerkracht_wws::variant::Variant::meegeleverd("woz-vrijstelling.toml")
        .unwrap()
        .unwrap();
    let c = veerkracht_huurmix::variant::vergelijk(
        &demo_units(),
        &veerkracht_wws::Options::default(),
        &[variant],
    )
    .unwrap();
    assert_eq!(t["aantallen"]["omlaag"].as_u64(), Some(c.totaal.omlaag));
    let dm = (c.totaal.som_max_na - c.totaal.som_max_voor) as f64 / 100.0 / 23_223.0;
    let shown = t["delta_maximale_huur_gemiddeld"].as_f64().unwrap();
    assert!((shown - dm).abs() < 0.006, "{shown} vs {dm}");
    assert_eq!(
        v["wissels"]["middenhuur_naar_sociaal"].as_u64(),
        Some(c.totaal.wissels[1][0])
    );
    // the counts now are the rent mix's cells
    let mix = get("/api/v1/huurmix").json();
    for (code, b) in v["buurten"].as_object().unwrap() {
        assert_eq!(
            b["aantallen"]["aantal"], mix["buurten"][code]["aantal"],
            "{code}"
        );
        assert_eq!(
            b["aantallen"]["voor.sociaal"], mix["buurten"][code]["sociaal"],
            "{code}"
        );
        for (k, x) in b["aantallen"].as_object().unwrap() {
            assert!(
                x.is_null() || x.as_u64().is_some_and(|x| x == 0 || x >= 10),
                "{code} {k} = {x}"
            );
        }
    }
    let csv = get("/api/v1/huurmix/beleid?variant=woz-vrijstelling&format=csv");
    assert_eq!(csv.status, 200);
    let mut rows = csv.body.lines();
    let head = rows.next().unwrap_or("");
    let cols: Vec<&str> = head.split(',').collect();
    assert!(
        cols.contains(&"buurt") && cols.contains(&"na.sociaal"),
        "{head}"
    );
    assert_eq!(
        rows.count(),
        v["buurten"].as_object().unwrap().len() + 1,
        "one row per buurt and the total"
    );
}

#[test]
fn the_page_shows_the_map_the_charts_and_the_table() {
    let p = get("/huurmix/beleid?variant=label-a-plafond");
    assert_eq!(p.status, 200);
    for id in [
        "data-testid=\"variant\"",
        "data-testid=\"variant-kaart\"",
        "data-testid=\"variant-segmenten\"",
        "data-testid=\"variant-huren\"",
        "data-testid=\"wissels\"",
        "Labelpunten: plafond bij A",
        "energielabel.punten.A+",
    ] {
        assert!(p.body.contains(id), "{id}");
    }
    // the map hatches withheld buurten, never draws them as no change
    assert!(p.body.contains("data-afgeschermd=\""));
    // the chart downloads work on this page
    let svg = get("/huurmix/beleid?variant=label-a-plafond&grafiek=variant-segmenten");
    assert_eq!(svg.status, 200);
    assert!(svg.body.contains("<svg"));
    // English
    let en = get("/huurmix/beleid?variant=label-a-plafond&lang=en");
    assert!(en.body.contains("Dwellings per segment"));
    // the Huurmix page links here
    assert!(get("/huurmix").body.contains("/huurmix/beleid"));
    // an unknown name
    let bad = get("/huurmix/beleid?variant=bestaat-niet");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("woz-cap-25"));
}

#[test]
fn a_pasted_variant_is_computed_or_refused_with_file_line_and_key() {
    let toml = "[variant]\nnaam = \"Cap 30\"\nomschrijving = \"test\"\ngeldig_vanaf = 2026-01-01\n[woz]\ncap_procent = 30\n";
    let form = format!("tekst={}", urlencode(toml));
    let r = post(
        "/huurmix/beleid",
        "application/x-www-form-urlencoded",
        &form,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Cap 30") && r.body.contains("data-testid=\"variant-kaart\""));

    let bad = "[variant]\nnaam = \"x\"\nomschrijving = \"y\"\ngeldig_vanaf = 2026-01-01\n[woz]\ncap_procnt = 30\n";
    let r = post(
        "/huurmix/beleid",
        "application/x-www-form-urlencoded",
        &format!("tekst={}", urlencode(bad)),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("geplakte variant:6") && r.body.contains("cap_procnt"),
        "{}",
        r.body
    );

    // the API takes the TOML as the body
    let r = post("/api/v1/huurmix/beleid", "application/toml", toml);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["variant"]["naam"], "Cap 30");
    let r = post("/api/v1/huurmix/beleid", "application/toml", bad);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("cap_procnt"));
    let big = format!("{toml}\n# {}\n", "x".repeat(20_000));
    let r = post("/api/v1/huurmix/beleid", "application/toml", &big);
    assert_eq!(r.status, 413, "{}", r.body);
    let r = get("/api/v1/huurmix/beleid?variant=woz-cap-25&format=xml");
    assert_eq!(r.status, 400);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
