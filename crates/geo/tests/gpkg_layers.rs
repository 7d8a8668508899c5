//! GeoPackage writing and reading through the public API.

use rusqlite::Connection;
use serde_json::{Map, Value, json};
use veerkracht_geo::gpkg::{self, ColumnDef, ColumnKind};
use veerkracht_geo::{Coord, Crs, Feature, GeoError, Layer, LineString, MultiPolygon, Polygon};

fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
    let ring = LineString(
        [
            (0.0, 0.0),
            (size, 0.0),
            (size, size),
            (0.0, size),
            (0.0, 0.0),
        ]
        .iter()
        .map(|&(dx, dy)| Coord {
            x: x + dx,
            y: y + dy,
        })
        .collect(),
    );
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

fn properties(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => panic!("not an object"),
    }
}

fn sample_layer() -> Layer {
    Layer {
        name: "buurten".into(),
        crs: Crs::RdNew,
        features: vec![
            Feature {
                index: 0,
                properties: properties(json!({"code": "BU03630000", "score": 0.25, "n": 12})),
                geometry: Some(square(120_000.0, 485_000.0, 500.0)),
            },
            Feature {
                index: 1,
                properties: properties(json!({"code": "BU03630001", "score": null})),
                geometry: None,
            },
            Feature {
                index: 2,
                properties: properties(
                    json!({"code": "BU03630002", "score": 1, "n": 3.0, "extra": true}),
                ),
                geometry: Some(square(121_000.0, 486_000.0, 250.0)),
            },
        ],
    }
}

fn columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new("code", ColumnKind::Text),
        ColumnDef::new("score", ColumnKind::Real),
        ColumnDef::new("n", ColumnKind::Integer),
    ]
}

#[test]
fn write_and_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.gpkg");
    {
        let conn = Connection::open(&path).expect("create db");
        gpkg::write_layer(&conn, "buurten", &sample_layer(), &columns(), Crs::RdNew)
            .expect("write");
        let app_id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .expect("pragma");
        let version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!((app_id, version), (0x4750_4B47, 10400));
        let extent: (f64, f64, f64, f64) = conn
            .query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'buurten'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("extent");
        assert_eq!(extent, (120_000.0, 485_000.0, 121_250.0, 486_250.0));
        // init is idempotent.
        gpkg::init(&conn).expect("init again");
        let srs_rows: i64 = conn
            .query_row("SELECT count(*) FROM gpkg_spatial_ref_sys", [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(srs_rows, 4);
    }

    let conn = gpkg::open(&path).expect("open");
    let layers = gpkg::list_layers(&conn).expect("list");
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].table, "buurten");
    assert_eq!(layers[0].srs_id, 28992);
    assert_eq!(layers[0].geometry_column, "geom");
    assert_eq!(layers[0].geometry_type, "MULTIPOLYGON");

    let layer = gpkg::read_layer(&conn, "buurten").expect("read");
    assert_eq!(layer.name, "buurten");
    assert_eq!(layer.crs, Crs::RdNew);
    let expected = sample_layer();
    assert_eq!(layer.features.len(), 3);
    for (got, want) in layer.features.iter().zip(&expected.features) {
        assert_eq!(got.index, want.index);
        assert_eq!(got.geometry, want.geometry);
    }
    assert_eq!(
        Value::Object(layer.features[0].properties.clone()),
        json!({"code": "BU03630000", "score": 0.25, "n": 12})
    );
    assert_eq!(
        Value::Object(layer.features[1].properties.clone()),
        json!({"code": "BU03630001", "score": null, "n": null})
    );
    // Integral numbers go to INTEGER columns, integers to REAL ones; unknown
    // properties ("extra") are not written.
    assert_eq!(
        Value::Object(layer.features[2].properties.clone()),
        json!({"code": "BU03630002", "score": 1.0, "n": 3})
    );
    let err = gpkg::read_layer(&conn, "wijken")
        .map(|_| ())
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no feature layer named \"wijken\"; expected one of: buurten (check the layer name, e.g. with ogrinfo)",
            path.display()
        )
    );
}

#[test]
fn converts_crs_and_quotes_names() {
    let conn = Connection::open_in_memory().expect("db");
    let table = "we\"ird; DROP TABLE x";
    let cols = [ColumnDef::new("a\"b c", ColumnKind::Text)];
    let mut layer = sample_layer();
    for f in &mut layer.features {
        f.properties.insert("a\"b c".into(), json!("v"));
    }
    gpkg::write_layer(&conn, table, &layer, &cols, Crs::Wgs84).expect("write WGS84");
    let back = gpkg::read_layer(&conn, table).expect("read");
    assert_eq!(back.crs, Crs::Wgs84);
    assert_eq!(back.features[0].properties.get("a\"b c"), Some(&json!("v")));
    let g = back.features[0].geometry.as_ref().expect("geometry");
    let c = g.0[0].exterior().0[0];
    assert!(
        (c.x - 4.8).abs() < 0.2 && (c.y - 52.35).abs() < 0.2,
        "{c:?}"
    );
    let rd = back.to_rd();
    let c = rd.features[0].geometry.as_ref().expect("geometry").0[0]
        .exterior()
        .0[0];
    assert!(
        (c.x - 120_000.0).abs() < 0.01 && (c.y - 485_000.0).abs() < 0.01,
        "{c:?}"
    );
}

#[test]
fn rejects_bad_names_and_values() {
    let conn = Connection::open_in_memory().expect("db");
    let err = gpkg::create_feature_table(
        &conn,
        "t",
        &[ColumnDef::new("GEOM", ColumnKind::Text)],
        Crs::RdNew,
    )
    .expect_err("geom column");
    assert!(matches!(err, GeoError::InvalidName { .. }), "{err}");
    let err = gpkg::create_feature_table(&conn, "gpkg_x", &[], Crs::RdNew).expect_err("reserved");
    assert!(err.to_string().contains("reserved"), "{err}");

    gpkg::create_feature_table(&conn, "t", &[], Crs::RdNew).expect("create");
    let err = gpkg::create_feature_table(&conn, "T", &[], Crs::RdNew).expect_err("exists");
    assert_eq!(
        err.to_string(),
        "in-memory database: table \"T\" already exists; expected a new table name (choose another name or drop the table first)"
    );

    // A CBS code in an INTEGER column would lose its leading zero: refuse, and
    // roll back the whole layer.
    let mut layer = sample_layer();
    layer.features[2]
        .properties
        .insert("n".into(), json!("0363"));
    let err = gpkg::write_layer(&conn, "b", &layer, &columns(), Crs::RdNew).expect_err("type");
    assert_eq!(
        err.to_string(),
        "buurten: feature 2: property \"n\": value \"0363\" does not fit the INTEGER column; expected an integer number, boolean or null (fix the value or declare another column type)"
    );
    assert!(
        gpkg::read_layer(&conn, "b").is_err(),
        "table b was rolled back"
    );
}

#[test]
fn write_inside_callers_transaction() {
    let mut conn = Connection::open_in_memory().expect("db");
    conn.execute_batch("CREATE TABLE own (k TEXT)")
        .expect("own table");
    let tx = conn.transaction().expect("tx");
    gpkg::write_layer(&tx, "buurten", &sample_layer(), &columns(), Crs::RdNew).expect("write");
    tx.commit().expect("commit");
    assert_eq!(
        gpkg::read_layer(&conn, "buurten")
            .expect("read")
            .features
            .len(),
        3
    );
}

#[test]
fn unsupported_srs_is_reported() {
    let conn = Connection::open_in_memory().expect("db");
    gpkg::create_feature_table(&conn, "t", &[], Crs::RdNew).expect("create");
    conn.execute_batch(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857, 'PROJCS[]', NULL);
         UPDATE gpkg_geometry_columns SET srs_id = 3857; UPDATE gpkg_contents SET srs_id = 3857;",
    )
    .expect("tamper");
    let err = gpkg::read_layer(&conn, "t").map(|_| ()).expect_err("3857");
    assert_eq!(
        err.to_string(),
        "in-memory database: layer t: SRS id 3857 is not supported; expected 28992 (RD New) or 4326 (WGS84) (reproject, e.g. ogr2ogr -t_srs EPSG:28992)"
    );
}

#[test]
fn corrupt_geometry_names_the_row() {
    let conn = Connection::open_in_memory().expect("db");
    gpkg::write_layer(&conn, "t", &sample_layer(), &columns(), Crs::RdNew).expect("write");
    conn.execute("UPDATE t SET geom = x'47500003' WHERE fid = 3", [])
        .expect("corrupt");
    let err = gpkg::read_layer(&conn, "t")
        .map(|_| ())
        .expect_err("corrupt");
    assert!(
        err.to_string().starts_with(
            "in-memory database: layer t: row 3: invalid geometry blob: truncated header"
        ),
        "{err}"
    );
}

#[test]
fn open_reports_non_geopackages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.gpkg");
    let err = gpkg::open(&missing).map(|_| ()).expect_err("missing");
    assert!(matches!(err, GeoError::Open { .. }), "{err}");
    assert!(err.to_string().contains("cannot open"), "{err}");

    let text = dir.path().join("wijken.gpkg");
    std::fs::write(&text, "wijkcode;naam\nWK036300;Centrum\n".repeat(100)).expect("write");
    let err = gpkg::open(&text).map(|_| ()).expect_err("text");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: not a SQLite database; expected a GeoPackage (.gpkg) file (convert the data, e.g. ogr2ogr -f GPKG out.gpkg in.geojson)",
            text.display()
        )
    );

    let plain = dir.path().join("plain.sqlite");
    Connection::open(&plain)
        .and_then(|c| c.execute_batch("CREATE TABLE x (a INTEGER)"))
        .expect("plain db");
    let err = gpkg::open(&plain).map(|_| ()).expect_err("plain");
    assert!(matches!(err, GeoError::NotGeoPackage { .. }), "{err}");
    assert!(
        err.to_string().contains("without a gpkg_contents table"),
        "{err}"
    );
}
