//! The GeoJSON layers: valid polygons in RD New that tile each other.

mod common;

use std::collections::BTreeMap;

use geo::{Area, BooleanOps, Validation, unary_union};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

/// Features of a layer as `(properties, geometry)`.
fn layer(name: &str) -> Vec<(Value, MultiPolygon<f64>)> {
    let json: Value = serde_json::from_str(common::text(name)).expect("valid JSON");
    assert_eq!(json["type"], "FeatureCollection");
    assert_eq!(
        json["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::28992"
    );
    json["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["geometry"]["type"], "MultiPolygon");
            (
                f["properties"].clone(),
                multipolygon(&f["geometry"]["coordinates"]),
            )
        })
        .collect()
}

fn ring(value: &Value) -> LineString<f64> {
    let coords: Vec<Coord<f64>> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            assert!(
                (130_000.0..160_000.0).contains(&x) && (430_000.0..460_000.0).contains(&y),
                "RD New: {x} {y}"
            );
            assert_eq!((x * 100.0).round() / 100.0, x, "rounded to 0.01 m");
            Coord { x, y }
        })
        .collect();
    assert!(coords.len() >= 4, "ring with at least 4 positions");
    assert_eq!(coords.first(), coords.last(), "closed ring");
    LineString(coords)
}

fn multipolygon(value: &Value) -> MultiPolygon<f64> {
    MultiPolygon(
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|poly| {
                let mut rings = poly.as_array().unwrap().iter().map(ring);
                let exterior = rings.next().expect("exterior");
                Polygon::new(exterior, rings.collect())
            })
            .collect(),
    )
}

fn prop(p: &Value, key: &str) -> String {
    p[key]
        .as_str()
        .unwrap_or_else(|| panic!("property {key}"))
        .to_string()
}

fn assert_valid(features: &[(Value, MultiPolygon<f64>)]) {
    for (p, geom) in features {
        assert!(
            geom.is_valid(),
            "invalid geometry {p}: {:?}",
            geom.validation_errors()
        );
        assert!(geom.unsigned_area() > 0.0);
    }
}

/// Asserts that `parts` tile `whole`: no overlaps, and their union has the same area (0.1 %).
fn assert_tiles(whole: &MultiPolygon<f64>, parts: &[&MultiPolygon<f64>], what: &str) {
    let whole_area = whole.unsigned_area();
    let sum: f64 = parts.iter().map(|p| p.unsigned_area()).sum();
    let union = unary_union(parts.iter().copied()).unsigned_area();
    let inside = whole
        .intersection(&unary_union(parts.iter().copied()))
        .unsigned_area();
    for area in [sum, union, inside] {
        assert!(
            (area - whole_area).abs() / whole_area < 0.001,
            "{what}: {area} vs {whole_area}"
        );
    }
}

#[test]
fn properties_follow_the_wijk_en_buurtkaart() {
    let gemeente = layer("veerstad-gemeente-2024.geojson");
    assert_eq!(gemeente.len(), 1);
    assert_eq!(prop(&gemeente[0].0, "gemeentecode"), "GM9001");
    assert_eq!(prop(&gemeente[0].0, "gemeentenaam"), "Veerstad");
    let wijken = layer("veerstad-wijken-2024.geojson");
    assert_eq!(wijken.len(), 15);
    for key in ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam"] {
        prop(&wijken[0].0, key);
    }
    for year in veerkracht_demo::EDITIONS {
        let buurten = layer(&format!("veerstad-buurten-{year}.geojson"));
        assert_eq!(buurten.len(), if year < 2022 { 150 } else { 151 });
        for (p, _) in &buurten {
            assert!(prop(p, "buurtcode").starts_with(&prop(p, "wijkcode").replacen("WK", "BU", 1)));
            prop(p, "buurtnaam");
            assert_eq!(prop(p, "gemeentecode"), "GM9001");
        }
    }
}

#[test]
fn all_polygons_are_valid() {
    for name in [
        "veerstad-gemeente-2024.geojson",
        "veerstad-wijken-2024.geojson",
        "veerstad-buurten-2021.geojson",
        "veerstad-buurten-2024.geojson",
    ] {
        assert_valid(&layer(name));
    }
}

#[test]
fn wijken_tile_the_gemeente() {
    let gemeente = layer("veerstad-gemeente-2024.geojson");
    let wijken = layer("veerstad-wijken-2024.geojson");
    let parts: Vec<&MultiPolygon<f64>> = wijken.iter().map(|(_, g)| g).collect();
    assert_tiles(&gemeente[0].1, &parts, "gemeente");
    let km2 = gemeente[0].1.unsigned_area() / 1e6;
    assert!((35.0..70.0).contains(&km2), "{km2} km²");
}

#[test]
fn buurten_tile_their_wijk() {
    let wijken = layer("veerstad-wijken-2024.geojson");
    for year in [2021, 2024] {
        let buurten = layer(&format!("veerstad-buurten-{year}.geojson"));
        let mut by_wijk: BTreeMap<String, Vec<&MultiPolygon<f64>>> = BTreeMap::new();
        for (p, g) in &buurten {
            by_wijk.entry(prop(p, "wijkcode")).or_default().push(g);
        }
        for (p, wijk) in &wijken {
            let code = prop(p, "wijkcode");
            assert_tiles(wijk, &by_wijk[&code], &format!("{year} {code}"));
        }
    }
}

#[test]
fn split_children_tile_the_old_buurt() {
    let old = layer("veerstad-buurten-2021.geojson");
    let new = layer("veerstad-buurten-2022.geojson");
    let codes = |l: &[(Value, MultiPolygon<f64>)]| {
        l.iter()
            .map(|(p, _)| prop(p, "buurtcode"))
            .collect::<Vec<_>>()
    };
    let (old_codes, new_codes) = (codes(&old), codes(&new));
    let parent = old
        .iter()
        .find(|(p, _)| !new_codes.contains(&prop(p, "buurtcode")))
        .unwrap();
    let children: Vec<&MultiPolygon<f64>> = new
        .iter()
        .filter(|(p, _)| !old_codes.contains(&prop(p, "buurtcode")))
        .map(|(_, g)| g)
        .collect();
    assert_eq!(children.len(), 2);
    assert_tiles(&parent.1, &children, "split");
}

#[test]
fn geometry_is_identical_across_editions_except_the_split() {
    let features = |name: String| -> Value {
        let json: Value = serde_json::from_str(common::text(&name)).unwrap();
        json["features"].clone()
    };
    for level in ["gemeente", "wijken"] {
        assert_eq!(
            features(format!("veerstad-{level}-2019.geojson")),
            features(format!("veerstad-{level}-2024.geojson"))
        );
    }
    assert_eq!(
        features("veerstad-buurten-2019.geojson".into()),
        features("veerstad-buurten-2021.geojson".into())
    );
}
