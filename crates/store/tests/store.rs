//! Workspace store: round trip, idempotent re-import, all-or-nothing imports.

use geo_types::polygon;
use veerkracht_dataset::{
    Area, AreaCode, Catalogue, Flags, ImportBatch, Missing, Observation, SourceInfo, Value,
};
use veerkracht_store::Workspace;

fn batch(sha: &str, code: &str, inw: Value) -> ImportBatch {
    let cat = Catalogue::embedded();
    let c = AreaCode::parse(code).unwrap();
    ImportBatch {
        source: Some(SourceInfo {
            id: 0,
            file: "t.csv".into(),
            sha256: sha.into(),
            table: None,
            family: "kwb".into(),
            format: "csv".into(),
            period: None,
            rows: 1,
            synthetic: false,
        }),
        areas: vec![Area::new(c, "Testbuurt", 2024)],
        indicators: vec![
            cat.get("a_inw").unwrap().clone(),
            cat.get("g_ink_pi").unwrap().clone(),
        ],
        observations: vec![Observation {
            edition: 2024,
            area: c,
            indicator: 0,
            value: inw,
            flags: Flags::ROUNDED,
        }],
        geometries: vec![veerkracht_dataset::GeometryRecord {
            edition: 2024,
            code: c,
            geometry: geo_types::MultiPolygon(vec![
                polygon![(x: 150000.0, y: 450000.0), (x: 150100.0, y: 450000.0), (x: 150100.0, y: 450100.0), (x: 150000.0, y: 450000.0)],
            ]),
        }],
        unpublished: vec![(2024, 1)],
        warnings: vec![],
    }
}

#[test]
fn round_trip_and_idempotence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.gpkg");
    let mut ws = Workspace::open(&path).unwrap();
    let out = ws
        .import(&[batch("a", "BU90010101", Value::Number(1235.0))])
        .unwrap();
    assert!(out[0].imported);
    let again = ws
        .import(&[batch("a", "BU90010101", Value::Number(1235.0))])
        .unwrap();
    assert!(!again[0].imported, "same source twice is a no-op");
    drop(ws);
    let ws = Workspace::open_existing(&path).unwrap();
    let ds = ws.load(&Catalogue::embedded()).unwrap();
    let c = AreaCode::parse("BU90010101").unwrap();
    let cell = ds.cell(2024, &c, "a_inw").unwrap();
    assert_eq!(cell.value, Value::Number(1235.0));
    assert!(cell.flags.contains(Flags::ROUNDED));
    assert_eq!(
        ds.cell(2024, &c, "g_ink_pi").unwrap().value,
        Value::Missing(Missing::NotYetPublished)
    );
    assert_eq!(ds.area(2024, &c).unwrap().name, "Testbuurt");
    assert!(ds.edition(2024).unwrap().geometry(&c).is_some());
    assert_eq!(ws.sources().unwrap().len(), 1);
}

#[test]
fn missing_never_overwrites_a_number_from_another_import() {
    let mut ws = Workspace::in_memory().unwrap();
    ws.import(&[batch("a", "BU90010101", Value::Number(10.0))])
        .unwrap();
    ws.import(&[batch(
        "b",
        "BU90010101",
        Value::Missing(Missing::NotAvailable),
    )])
    .unwrap();
    let ds = ws.load(&Catalogue::embedded()).unwrap();
    assert_eq!(
        ds.number(2024, &AreaCode::parse("BU90010101").unwrap(), "a_inw"),
        Some(10.0)
    );
    ws.import(&[batch("c", "BU90010101", Value::Number(20.0))])
        .unwrap();
    let ds = ws.load(&Catalogue::embedded()).unwrap();
    assert_eq!(
        ds.number(2024, &AreaCode::parse("BU90010101").unwrap(), "a_inw"),
        Some(20.0),
        "newest number wins"
    );
}

#[test]
fn a_failed_import_leaves_the_workspace_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.gpkg");
    let mut ws = Workspace::open(&path).unwrap();
    ws.import(&[batch("a", "BU90010101", Value::Number(1.0))])
        .unwrap();
    // Make the second area's insert fail half-way through a two-batch import.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TRIGGER boom BEFORE INSERT ON vk_areas WHEN NEW.code = 'BU90010199' BEGIN SELECT RAISE(ABORT, 'boom'); END;").unwrap();
    drop(conn);
    let err = ws.import(&[
        batch("b", "BU90010102", Value::Number(2.0)),
        batch("c", "BU90010199", Value::Number(3.0)),
    ]);
    assert!(err.is_err());
    let ds = ws.load(&Catalogue::embedded()).unwrap();
    assert_eq!(ws.sources().unwrap().len(), 1);
    assert!(
        ds.area(2024, &AreaCode::parse("BU90010102").unwrap())
            .is_none()
    );
}

#[test]
fn refuses_files_that_are_not_workspaces() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.gpkg");
    std::fs::write(&p, "hello").unwrap();
    let e = Workspace::open(&p).err().unwrap().to_string();
    assert!(e.contains("not a veerkracht workspace"), "{e}");
    assert!(
        Workspace::open_existing(&dir.path().join("none.gpkg"))
            .err()
            .unwrap()
            .to_string()
            .contains("no workspace here")
    );
}

/// A batch whose a_inw is carried by a table of another family (the crime tables).
fn carried(sha: &str, code: &str, inw: f64) -> ImportBatch {
    let mut b = batch(sha, code, Value::Number(inw));
    b.observations[0].flags = Flags::CARRIED;
    b.unpublished.clear();
    b
}

#[test]
fn a_carried_denominator_fills_but_never_replaces_its_own_tables_value() {
    let c = AreaCode::parse("BU90010101").unwrap();
    // In either order, and in the workspace as in memory, the KWB's own figure wins.
    for kwb_first in [true, false] {
        let mut ws = Workspace::in_memory().unwrap();
        let mut mem = veerkracht_dataset::Dataset::new(Catalogue::embedded());
        let (own, other) = (
            batch("kwb", "BU90010101", Value::Number(1235.0)),
            carried("crime", "BU90010101", 1240.0),
        );
        let order = if kwb_first {
            [own, other]
        } else {
            [other, own]
        };
        for (i, b) in order.iter().enumerate() {
            ws.import(std::slice::from_ref(b)).unwrap();
            mem.add_batch(b, i as u32 + 1);
        }
        let ds = ws.load(&Catalogue::embedded()).unwrap();
        for d in [&ds, &mem] {
            let cell = d.cell(2024, &c, "a_inw").unwrap();
            assert_eq!(cell.value, Value::Number(1235.0), "kwb first: {kwb_first}");
            assert!(!cell.flags.contains(Flags::CARRIED));
        }
    }
    // Without a KWB the carried figure fills the cell, flagged; a newer carried one replaces it.
    let mut ws = Workspace::in_memory().unwrap();
    ws.import(&[carried("c1", "BU90010101", 1240.0)]).unwrap();
    ws.import(&[carried("c2", "BU90010101", 1250.0)]).unwrap();
    let cell = ws
        .load(&Catalogue::embedded())
        .unwrap()
        .cell(2024, &c, "a_inw")
        .unwrap();
    assert_eq!(cell.value, Value::Number(1250.0));
    assert!(cell.flags.contains(Flags::CARRIED));
}
