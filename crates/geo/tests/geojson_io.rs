//! GeoJSON reading (malformed input and real data) and writing.

mod common;

use veerkracht_geo::geojson::{read_geojson, write_geojson};
use veerkracht_geo::validate::{GeometryProblem, validate_layer, validate_multipolygon};
use veerkracht_geo::{Crs, Extent, GeoError};

fn error_text(text: &str) -> String {
    match read_geojson(text, "wijken.geojson") {
        Ok(layer) => panic!("expected an error, got {} features", layer.features.len()),
        Err(e) => e.to_string(),
    }
}

/// A FeatureCollection with one feature whose geometry is `geometry`.
fn with_geometry(geometry: &str) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"wijkcode":"WK000100"}},"geometry":null}},
            {{"type":"Feature","properties":{{"wijkcode":"WK000101"}},"geometry":{geometry}}}]}}"#
    )
}

const SQUARE: &str = "[[5.0,52.0],[5.1,52.0],[5.1,52.1],[5.0,52.0]]";

#[test]
fn line_string_is_rejected() {
    let text = with_geometry(r#"{"type":"LineString","coordinates":[[5.0,52.0],[5.1,52.1]]}"#);
    assert_eq!(
        error_text(&text),
        "wijken.geojson: feature 1: geometry type LineString is not supported; expected Polygon or MultiPolygon (export polygons only)"
    );
}

#[test]
fn unclosed_rings_are_rejected() {
    let short =
        with_geometry(r#"{"type":"Polygon","coordinates":[[[5.0,52.0],[5.1,52.0],[5.0,52.0]]]}"#);
    assert_eq!(
        error_text(&short),
        "wijken.geojson: feature 1: part 0, ring 0: ring has only 3 positions; expected a closed ring of at least 4 positions whose last position equals the first (close the ring or re-export the file)"
    );
    let open = with_geometry(&format!(
        r#"{{"type":"MultiPolygon","coordinates":[[{SQUARE}],[{SQUARE},[[5.01,52.01],[5.02,52.01],[5.02,52.02],[5.01,52.03]]]]}}"#
    ));
    assert_eq!(
        error_text(&open),
        "wijken.geojson: feature 1: part 1, ring 1: position 3 [5.01, 52.03] differs from position 0 [5.01, 52.01], so the ring is not closed; expected a closed ring of at least 4 positions whose last position equals the first (close the ring or re-export the file)"
    );
}

#[test]
fn string_coordinate_is_rejected() {
    let text = with_geometry(
        r#"{"type":"Polygon","coordinates":[[[5.0,52.0],[5.1,"52.0"],[5.1,52.1],[5.0,52.0]]]}"#,
    );
    assert_eq!(
        error_text(&text),
        "wijken.geojson: feature 1: part 0, ring 0, position 1: y coordinate is the string \"52.0\"; expected [x, y] with finite numbers (fix the coordinate or re-export the file)"
    );
    let text = with_geometry(
        r#"{"type":"Polygon","coordinates":[[[5.0,52.0],[5.1],[5.1,52.1],[5.0,52.0]]]}"#,
    );
    assert!(error_text(&text).contains("position 1: position has 1 values instead of at least 2"));
}

#[test]
fn not_json_is_rejected() {
    assert_eq!(
        error_text("{\"type\": \"FeatureCollection\", \"features\": ["),
        "wijken.geojson: not valid JSON (EOF while parsing a list at line 1 column 43); expected a GeoJSON FeatureCollection (check that the file is complete and was exported as GeoJSON)"
    );
}

#[test]
fn non_feature_collections_are_rejected() {
    assert_eq!(
        error_text(&format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#)),
        "wijken.geojson: top-level \"type\" is \"Polygon\"; expected a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" and a \"features\" array) (export the layer as GeoJSON)"
    );
    assert!(
        error_text("[1, 2]")
            .contains(": top-level value is an array; expected a GeoJSON FeatureCollection")
    );
    assert!(
        error_text(r#"{"type":"FeatureCollection","features":{}}"#)
            .contains("\"features\" member is an object")
    );
    assert!(
        error_text(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":[1]}]}"#
        )
        .starts_with(
            "wijken.geojson: feature 0: \"properties\" is an array; expected an object or null"
        )
    );
}

#[test]
fn rd_coordinates_out_of_range_without_crs_are_rejected() {
    // Looks like RD, but y is 700 km: beyond the RD New domain, and not lon/lat.
    let text = with_geometry(
        r#"{"type":"Polygon","coordinates":[[[155000,700000],[156000,700000],[156000,701000],[155000,700000]]]}"#,
    );
    assert_eq!(
        error_text(&text),
        "wijken.geojson: no crs member and the coordinates (x 155000..156000, y 700000..701000) fit neither WGS84 longitude/latitude nor RD New (EPSG:28992); expected one of those (add a \"crs\" member such as urn:ogc:def:crs:EPSG::28992, or reproject to EPSG:4326)"
    );
}

#[test]
fn crs_member_is_honoured() {
    let rd = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},
        "features":[{"type":"Feature","properties":null,"geometry":{"type":"Polygon",
        "coordinates":[[[155000,463000],[156000,463000],[156000,464000],[155000,463000]]]}}]}"#;
    let layer = read_geojson(rd, "dir/buurten.geojson").expect("valid RD GeoJSON");
    assert_eq!(layer.crs, Crs::RdNew);
    assert_eq!(layer.name, "buurten");
    assert!(layer.features[0].properties.is_empty());

    let mercator = rd.replace("urn:ogc:def:crs:EPSG::28992", "EPSG:3857");
    let err = read_geojson(&mercator, "m.geojson")
        .map(|_| ())
        .expect_err("3857");
    assert!(matches!(err, GeoError::UnsupportedCrs { .. }), "{err}");

    let mislabelled = rd.replace(
        "urn:ogc:def:crs:EPSG::28992",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
    );
    let err = read_geojson(&mislabelled, "m.geojson")
        .map(|_| ())
        .expect_err("mislabelled");
    assert!(
        err.to_string().starts_with(
            "m.geojson: coordinates (x 155000..156000, y 463000..464000) are outside the range of the declared crs WGS84 (EPSG:4326)"
        ),
        "{err}"
    );
}

#[test]
fn single_feature_and_polygon_promotion() {
    let text = format!(
        r#"{{"type":"Feature","properties":{{"naam":"x","n":3}},"geometry":{{"type":"Polygon","coordinates":[{SQUARE}]}}}}"#
    );
    let layer = read_geojson(&text, "one.json").expect("single feature");
    assert_eq!(layer.crs, Crs::Wgs84);
    assert_eq!(layer.features.len(), 1);
    let geometry = layer.features[0].geometry.as_ref().expect("geometry");
    assert_eq!(geometry.0.len(), 1);
    assert_eq!(geometry.0[0].exterior().0.len(), 4);
}

#[test]
fn write_then_read_round_trips() {
    let text = with_geometry(
        r#"{"type":"Polygon","coordinates":[[[5.0,52.0],[5.1,52.0],[5.1,52.1],[5.0,52.1],[5.0,52.0]],[[5.02,52.02],[5.03,52.03],[5.04,52.02],[5.02,52.02]]]}"#,
    );
    let layer = read_geojson(&text, "w.geojson").expect("valid").to_rd();
    let rd_text = write_geojson(&layer, Crs::RdNew, 3);
    assert!(rd_text.starts_with(
        r#"{"type":"FeatureCollection","name":"w","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":["#
    ));
    assert!(
        rd_text
            .contains(r#"{"type":"Feature","properties":{"wijkcode":"WK000100"},"geometry":null}"#)
    );
    let back = read_geojson(&rd_text, "w.geojson").expect("own RD output");
    assert_eq!(back.crs, Crs::RdNew);
    assert_eq!(back.features.len(), 2);
    for (a, b) in layer.features.iter().zip(&back.features) {
        assert_eq!(a.properties, b.properties);
        let (Some(a), Some(b)) = (&a.geometry, &b.geometry) else {
            assert!(a.geometry.is_none() && b.geometry.is_none());
            continue;
        };
        for (pa, pb) in a.0.iter().zip(&b.0) {
            for (ca, cb) in pa.exterior().0.iter().zip(&pb.exterior().0) {
                assert!((ca.x - cb.x).abs() <= 0.0005 && (ca.y - cb.y).abs() <= 0.0005);
            }
        }
    }

    // WGS84 output: RFC 7946, no crs member, counter-clockwise exterior.
    let wgs_text = write_geojson(&layer, Crs::Wgs84, 7);
    assert!(!wgs_text.contains("\"crs\""));
    let wgs = read_geojson(&wgs_text, "w.geojson").expect("own WGS84 output");
    assert_eq!(wgs.crs, Crs::Wgs84);
    let g = wgs.features[1].geometry.as_ref().expect("geometry");
    let first = g.0[0].exterior().0[0];
    assert!(
        (first.x - 5.0).abs() < 1e-6 && (first.y - 52.0).abs() < 1e-6,
        "{first:?}"
    );
    assert_eq!(
        write_geojson(&layer, Crs::Wgs84, 7),
        wgs_text,
        "deterministic"
    );
}

#[test]
fn real_wijken_2024() {
    let Some(path) = common::shared_data(common::WIJKEN) else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable file");
    let layer = read_geojson(&text, "wijken_2024.geojson").expect("valid GeoJSON");
    assert_eq!(layer.crs, Crs::Wgs84);
    assert_eq!(layer.features.len(), 3475);

    // The file mixes Polygon (3,261) and MultiPolygon (214); every feature must
    // come out as a MultiPolygon with the same parts, and carry a wijkcode.
    let raw: serde_json::Value = serde_json::from_str(&text).expect("json");
    let raw_features = raw["features"].as_array().expect("features");
    let mut polygons = 0;
    for (feature, raw) in layer.features.iter().zip(raw_features) {
        let code = feature.properties.get("wijkcode").and_then(|v| v.as_str());
        assert!(
            code.is_some_and(|c| c.starts_with("WK")),
            "feature {}",
            feature.index
        );
        let geometry = feature.geometry.as_ref().expect("geometry");
        let raw_parts = match raw["geometry"]["type"].as_str() {
            Some("Polygon") => {
                polygons += 1;
                1
            }
            Some("MultiPolygon") => raw["geometry"]["coordinates"]
                .as_array()
                .expect("parts")
                .len(),
            other => panic!("unexpected geometry type {other:?}"),
        };
        assert_eq!(geometry.0.len(), raw_parts);
    }
    assert_eq!(polygons, 3261, "Polygon features promoted to MultiPolygon");

    let rd = layer.to_rd();
    assert_eq!(rd.crs, Crs::RdNew);
    let extent = rd.extent().expect("extent");
    println!("wijken 2024 RD extent: {extent}");
    assert!(Crs::RdNew.contains(&extent));

    // The simplified boundaries contain a few degenerate rings (checked by hand:
    // e.g. WK016699 part 5 is four identical positions) and self-intersections.
    let (mut zero_area, mut self_intersecting) = (0, 0);
    for feature in &rd.features {
        let geometry = feature.geometry.as_ref().expect("geometry");
        match validate_multipolygon(geometry) {
            Ok(()) => {}
            Err(GeometryProblem::ZeroArea { .. }) => zero_area += 1,
            Err(GeometryProblem::SelfIntersection { .. }) => self_intersecting += 1,
            Err(other) => panic!("feature {}: unexpected problem {other}", feature.index),
        }
    }
    assert_eq!((zero_area, self_intersecting), (5, 10));
    let err = validate_layer(&rd).expect_err("invalid wijken");
    assert!(
        err.to_string().starts_with("wijken_2024: feature "),
        "{err}"
    );
}

#[test]
fn real_amsterdam_buurten() {
    let Some(path) = common::shared_data(common::AMSTERDAM_BUURTEN) else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable file");
    let layer = read_geojson(&text, "amsterdam_buurten.geojson").expect("valid GeoJSON");
    assert_eq!(layer.crs, Crs::Wgs84);
    assert_eq!(layer.features.len(), 598);
    assert!(layer.features.iter().all(|f| f.geometry.is_some()));
    assert!(
        layer
            .features
            .iter()
            .all(|f| f.properties.contains_key("name"))
    );
    let extent = layer.to_rd().extent().expect("extent");
    let amsterdam = Extent {
        min_x: 105_000.0,
        min_y: 470_000.0,
        max_x: 140_000.0,
        max_y: 500_000.0,
    };
    assert!(
        extent.min_x > amsterdam.min_x
            && extent.max_x < amsterdam.max_x
            && extent.min_y > amsterdam.min_y
            && extent.max_y < amsterdam.max_y,
        "{extent}"
    );
}
