//! Differential tests against GDAL/PROJ (`ogr2ogr`, `ogrinfo` from gdal-bin).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use veerkracht_geo::geojson::read_geojson;
use veerkracht_geo::gpkg::{self, ColumnDef, ColumnKind};
use veerkracht_geo::rd::wgs84_to_rd;
use veerkracht_geo::{Coord, Crs, Layer, MultiPolygon};

fn run(program: &str, args: &[&str]) -> Output {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

fn first_vertex(geometry: &MultiPolygon<f64>) -> Coord<f64> {
    geometry.0[0].exterior().0[0]
}

fn vertex_count(geometry: &MultiPolygon<f64>) -> usize {
    geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| r.0.len())
        .sum()
}

fn codes(layer: &Layer) -> Vec<&str> {
    layer
        .features
        .iter()
        .map(|f| f.properties["wijkcode"].as_str().expect("wijkcode text"))
        .collect()
}

#[test]
fn wijken_against_gdal() {
    let Some(input) = common::shared_data(common::WIJKEN) else {
        return;
    };
    if !(common::gdal_tool("ogr2ogr") && common::gdal_tool("ogrinfo")) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(&input).expect("readable input");
    let ours = read_geojson(&text, "wijken_2024.geojson").expect("valid GeoJSON");
    assert_eq!(ours.crs, Crs::Wgs84);

    // 1. GDAL/PROJ reprojection vs. our series, read through our GeoPackage reader.
    let gdal_gpkg = dir.path().join("gdal.gpkg");
    run(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            path_str(&gdal_gpkg),
            path_str(&input),
            "-t_srs",
            "EPSG:28992",
            "-nln",
            "wijken",
        ],
    );
    let conn = gpkg::open(&gdal_gpkg).expect("open GDAL GeoPackage");
    let infos = gpkg::list_layers(&conn).expect("list layers");
    assert_eq!(
        infos.iter().map(|l| l.table.as_str()).collect::<Vec<_>>(),
        ["wijken"]
    );
    let gdal = gpkg::read_layer(&conn, "wijken").expect("read GDAL layer");
    assert_eq!(gdal.crs, Crs::RdNew);
    assert_eq!(gdal.features.len(), 3475);
    assert_eq!(codes(&gdal), codes(&ours), "same wijkcode order");

    let mut max_diff: f64 = 0.0;
    let mut sum_diff = 0.0;
    let mut worst = "";
    for (o, g) in ours.features.iter().zip(&gdal.features) {
        let og = o.geometry.as_ref().expect("our geometry");
        let gg = g.geometry.as_ref().expect("GDAL geometry");
        assert_eq!(vertex_count(og), vertex_count(gg), "feature {}", o.index);
        let c = first_vertex(og);
        let (x, y) = wgs84_to_rd(c.x, c.y);
        let d = first_vertex(gg);
        let diff = (x - d.x).hypot(y - d.y);
        sum_diff += diff;
        if diff > max_diff {
            max_diff = diff;
            worst = o.properties["wijkcode"].as_str().unwrap_or("?");
        }
    }
    println!(
        "RD difference ours vs GDAL/PROJ over 3475 wijken: max {max_diff:.3} m (at {worst}), mean {:.3} m",
        sum_diff / 3475.0
    );
    assert!(max_diff < 2.0, "max RD difference {max_diff} m");

    // 2. Our GeoPackage writer, checked with ogrinfo.
    let mut selection = ours.clone().to_rd();
    selection.features.truncate(300);
    let columns = [
        ColumnDef::new("wijkcode", ColumnKind::Text),
        ColumnDef::new("gem_huishouden_grootte", ColumnKind::Real),
        ColumnDef::new("aantal_inwoners", ColumnKind::Integer),
    ];
    let our_gpkg = dir.path().join("ours.gpkg");
    {
        let conn = rusqlite::Connection::open(&our_gpkg).expect("create");
        gpkg::write_layer(&conn, "wijken_rd", &selection, &columns, Crs::RdNew).expect("write");
    }
    let info = run("ogrinfo", &["-so", "-al", path_str(&our_gpkg)]);
    let stdout = String::from_utf8_lossy(&info.stdout);
    let stderr = String::from_utf8_lossy(&info.stderr);
    if !stderr.trim().is_empty() {
        println!("ogrinfo stderr: {stderr}");
    }
    let count: Option<usize> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .and_then(|n| n.trim().parse().ok());
    assert_eq!(count, Some(300), "ogrinfo output:\n{stdout}");
    assert!(stdout.contains("Layer name: wijken_rd"), "{stdout}");
    assert!(stdout.contains("Geometry: Multi Polygon"), "{stdout}");
    assert!(
        stdout.contains("ID[\"EPSG\",28992]") || stdout.contains("AUTHORITY[\"EPSG\",\"28992\"]"),
        "ogrinfo does not report EPSG:28992:\n{stdout}"
    );
    assert!(stdout.contains("gem_huishouden_grootte: Real"), "{stdout}");
    assert!(stdout.contains("wijkcode: String"), "{stdout}");

    // 3. GDAL reads our geometries back unchanged (GeoJSON export keeps RD).
    let back_path = dir.path().join("back.geojson");
    run(
        "ogr2ogr",
        &["-f", "GeoJSON", path_str(&back_path), path_str(&our_gpkg)],
    );
    let back_text = std::fs::read_to_string(&back_path).expect("GDAL GeoJSON");
    let back = read_geojson(&back_text, "back.geojson").expect("GDAL GeoJSON parses");
    assert_eq!(back.crs, Crs::RdNew);
    assert_eq!(back.features.len(), 300);
    assert_eq!(codes(&back), codes(&selection));
    let mut max_back: f64 = 0.0;
    for (a, b) in selection.features.iter().zip(&back.features) {
        let (ga, gb) = (
            a.geometry.as_ref().expect("a"),
            b.geometry.as_ref().expect("b"),
        );
        assert_eq!(vertex_count(ga), vertex_count(gb), "feature {}", a.index);
        let rings = |g: &MultiPolygon<f64>| -> Vec<Coord<f64>> {
            g.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter().copied())
                .collect()
        };
        for (ca, cb) in rings(ga).iter().zip(rings(gb).iter()) {
            max_back = max_back.max((ca.x - cb.x).hypot(ca.y - cb.y));
        }
        // Missing properties were written as NULL.
        let value = |f: &veerkracht_geo::Feature| {
            f.properties
                .get("gem_huishouden_grootte")
                .cloned()
                .unwrap_or(serde_json::Value::Null)
        };
        assert_eq!(value(a), value(b), "feature {}", a.index);
    }
    println!("GDAL round trip of our GeoPackage: max coordinate change {max_back:e} m");
    assert!(max_back < 1e-6, "coordinates changed by {max_back} m");
}
