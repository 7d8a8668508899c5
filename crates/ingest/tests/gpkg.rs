//! GeoPackage imports checked against files made by GDAL (`ogr2ogr`): the PDOK/CBS
//! wijk- en buurtkaart layout (layers gemeenten/wijken/buurten, long attribute
//! names, sentinels ≤ −99,999,990) and the real national wijken converted to RD New.

mod common;

use std::path::Path;
use std::process::Command;

use common::real;
use veerkracht_dataset::{AreaCode, Catalogue, Dataset, Level, Missing, Value};
use veerkracht_ingest::{ImportOptions, import_path};

/// Whether ogr2ogr is available; with `CI` set its absence fails the test.
fn have_ogr2ogr() -> bool {
    veerkracht_testkit::tool("ogr2ogr", "apt-get install gdal-bin")
}

fn ogr2ogr(args: &[&str]) {
    let o = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr runs");
    assert!(
        o.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn square(x: f64, y: f64) -> String {
    format!(
        "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
        x + 500.0,
        x + 500.0,
        y + 500.0,
        y + 500.0
    )
}

fn layer(dir: &Path, name: &str, features: &[(String, f64, f64)]) -> std::path::PathBuf {
    let feats: Vec<String> = features
        .iter()
        .map(|(props, x, y)| format!(r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#, square(*x, *y)))
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::28992"}}}},"features":[{}]}}"#,
        feats.join(",")
    );
    let p = dir.join(format!("{name}.geojson"));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn wijk_en_buurtkaart_layout_made_by_gdal() {
    if !have_ogr2ogr() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gm = layer(d, "gemeenten", &[(r#""gemeentecode":"GM9001","gemeentenaam":"Veerstad","aantal_inwoners":1500,"water":"NEE""#.into(), 150000.0, 450000.0)]);
    let wk = layer(d, "wijken", &[(r#""wijkcode":"WK900100","wijknaam":"Centrum","gemeentecode":"GM9001","aantal_inwoners":1500"#.into(), 150000.0, 450000.0)]);
    let bu = layer(
        d,
        "buurten",
        &[
            (r#""buurtcode":"BU90010001","buurtnaam":"Markt","wijkcode":"WK900100","gemeentecode":"GM9001","aantal_inwoners":1500,"mannen":740"#.into(), 150000.0, 450000.0),
            (r#""buurtcode":"BU90010002","buurtnaam":"Haven","wijkcode":"WK900100","gemeentecode":"GM9001","aantal_inwoners":-99999999,"mannen":-99999999"#.into(), 150500.0, 450000.0),
        ],
    );
    let gpkg = d.join("wijkenbuurten_2024.gpkg");
    let g = gpkg.to_str().unwrap();
    ogr2ogr(&["-f", "GPKG", g, gm.to_str().unwrap(), "-nln", "gemeenten"]);
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-update",
        g,
        wk.to_str().unwrap(),
        "-nln",
        "wijken",
    ]);
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-update",
        g,
        bu.to_str().unwrap(),
        "-nln",
        "buurten",
    ]);

    let cat = Catalogue::embedded();
    // Geometry only by default; the edition comes from the file name.
    let plain = import_path(&gpkg, &cat, &ImportOptions::default()).unwrap();
    assert_eq!(plain.len(), 3, "one batch per layer");
    assert!(plain.iter().all(|b| b.observations.is_empty()));
    assert!(
        plain
            .iter()
            .any(|b| b.warnings.iter().any(|w| w.contains("--with-attributes")))
    );
    // With attributes: PDOK long names map to KWB indicators; sentinels are missing, not numbers.
    let with = import_path(
        &gpkg,
        &cat,
        &ImportOptions {
            with_attributes: true,
            ..Default::default()
        },
    )
    .unwrap();
    let mut ds = Dataset::new(cat);
    for (i, b) in with.iter().enumerate() {
        ds.add_batch(b, i as u32 + 1);
    }
    let c = |s: &str| AreaCode::parse(s).unwrap();
    assert_eq!(ds.areas(2024, Level::Buurt).len(), 2);
    assert_eq!(ds.area(2024, &c("BU90010002")).unwrap().name, "Haven");
    assert_eq!(ds.number(2024, &c("BU90010001"), "a_inw"), Some(1500.0));
    assert_eq!(ds.number(2024, &c("BU90010001"), "a_man"), Some(740.0));
    assert_eq!(
        ds.cell(2024, &c("BU90010002"), "a_inw").unwrap().value,
        Value::Missing(Missing::NotAvailable)
    );
    assert_eq!(ds.number(2024, &c("GM9001"), "a_inw"), Some(1500.0));
    let g = ds
        .edition(2024)
        .unwrap()
        .geometry(&c("BU90010002"))
        .unwrap();
    let ext = geo::BoundingRect::bounding_rect(g).unwrap();
    assert_eq!(
        (ext.min().x, ext.min().y, ext.max().x),
        (150500.0, 450000.0, 151000.0)
    );
}

#[test]
fn real_wijken_as_gdal_geopackage_in_rd_new() {
    let Some(src) = real("geo-wijken-gemeenten-2024-nl/wijken_2024.geojson") else {
        return;
    };
    if !have_ogr2ogr() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("wijken_2024.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        gpkg.to_str().unwrap(),
        src.to_str().unwrap(),
        "-t_srs",
        "EPSG:28992",
        "-nln",
        "wijken",
    ]);
    let cat = Catalogue::embedded();
    let from_gpkg = import_path(&gpkg, &cat, &ImportOptions::default()).unwrap();
    let from_json = import_path(&src, &cat, &ImportOptions::default()).unwrap();
    assert_eq!(from_gpkg[0].geometries.len(), 3475);
    assert_eq!(from_json[0].geometries.len(), 3475);
    // PROJ (via GDAL) and our RD series agree within a metre on every wijk's centroid.
    let mut worst: f64 = 0.0;
    for (a, b) in from_gpkg[0].geometries.iter().zip(&from_json[0].geometries) {
        assert_eq!(a.code, b.code);
        let (ca, cb) = (
            geo::Centroid::centroid(&a.geometry),
            geo::Centroid::centroid(&b.geometry),
        );
        if let (Some(ca), Some(cb)) = (ca, cb) {
            worst = worst.max(((ca.x() - cb.x()).powi(2) + (ca.y() - cb.y()).powi(2)).sqrt());
        }
    }
    eprintln!("max centroid distance GDAL/PROJ vs veerkracht RD series: {worst:.3} m");
    assert!(worst < 1.0, "{worst}");
}
