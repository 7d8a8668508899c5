//! A small hand-built dataset for the export tests.
//!
//! Edition 2024: gemeente GM0344, wijk WK034401 and buurten BU03440101..04;
//! edition 2023: one buurt. Indicators: a_inw (rounded counts), a_woning (30 in
//! BU03440102, so p_wcorpw there has a small denominator), p_wcorpw, g_ink_pi
//! (no cell for BU03440104), p_stadsv (not yet published in 2024) and the
//! uncatalogued `eigen_score`. Every missing reason occurs. Buurten 01–03 have
//! square geometries in RD New; 03 has its corner at (155000, 463000), the RD
//! origin near Amersfoort (5.3876° E, 52.1562° N).

#![allow(dead_code)]

use veerkracht_dataset::{Area, AreaCode, Dataset, Flags, Indicator, Missing, SourceInfo, Value};
use veerkracht_geo::{Coord, LineString, MultiPolygon, Polygon};

pub const BU1: &str = "BU03440101";
pub const BU2: &str = "BU03440102";
pub const BU3: &str = "BU03440103";
pub const BU4: &str = "BU03440104";

pub fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).expect("test code")
}

pub fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
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

fn source(id: u32, file: &str, synthetic: bool) -> SourceInfo {
    SourceInfo {
        id,
        file: file.to_owned(),
        sha256: String::new(),
        table: Some("85984NED".to_owned()),
        family: "kwb".to_owned(),
        format: "csv".to_owned(),
        period: None,
        rows: 6,
        synthetic,
    }
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn m(reason: Missing) -> Value {
    Value::Missing(reason)
}

/// The test dataset; `synthetic` adds a synthetic source.
pub fn dataset(synthetic: bool) -> Dataset {
    let mut ds = Dataset::default();
    ds.add_source(source(1, "kwb-2024.csv", false));
    if synthetic {
        ds.add_source(source(2, "veerstad-demo.csv", true));
    }
    let e = 2024;
    ds.add_area(&Area::new(code("GM0344"), "Utrecht", e));
    ds.add_area(&Area::new(code("WK034401"), "Binnenstad", e));
    ds.add_area(&Area::new(code(BU1), "Lombok, \"Oost\"", e));
    ds.add_area(&Area::new(code(BU2), "Ĳsselhof–Zuid", e));
    ds.add_area(&Area::new(code(BU3), "Amersfoort-origine", e));
    ds.add_area(&Area::new(code(BU4), "Zonder vorm", e));
    ds.add_area(&Area::new(code(BU1), "Lombok", 2023));

    let cat = ds.catalogue().clone();
    let ind = |id: &str| cat.get(id).expect("catalogued").clone();
    let uncatalogued = Indicator::uncatalogued("eigen_score", "kwb");
    let rounded = Flags::ROUNDED;
    let none = Flags::empty();
    let cells: Vec<(&str, Indicator, Value, Flags)> = vec![
        ("GM0344", ind("a_inw"), n(361_924.0), none),
        ("WK034401", ind("a_inw"), n(3720.0), rounded),
        (BU1, ind("a_inw"), n(1235.0), rounded),
        (BU2, ind("a_inw"), n(2400.0), rounded),
        (BU3, ind("a_inw"), m(Missing::Secret), none),
        (BU4, ind("a_inw"), n(85.0), rounded),
        (BU1, ind("a_woning"), n(600.0), none),
        (BU2, ind("a_woning"), n(30.0), none),
        (BU3, ind("a_woning"), n(410.0), none),
        (BU4, ind("a_woning"), m(Missing::Nil), none),
        (BU1, ind("p_wcorpw"), n(12.5), none),
        (BU2, ind("p_wcorpw"), n(100.0 / 3.0), none),
        (BU3, ind("p_wcorpw"), m(Missing::Suppressed), none),
        (BU4, ind("p_wcorpw"), m(Missing::NotAvailable), none),
        (BU1, ind("g_ink_pi"), n(31.7), none),
        (BU2, ind("g_ink_pi"), n(0.1 + 0.2), none),
        (BU3, ind("g_ink_pi"), n(-3.25), none),
        (BU1, uncatalogued.clone(), n(7.0), none),
        (BU2, uncatalogued.clone(), n(1e-7), none),
        (BU3, uncatalogued.clone(), n(1_234_567.5), none),
        (BU4, uncatalogued.clone(), n(42.0), none),
    ];
    for (c, indicator, value, flags) in cells {
        ds.set_value(e, code(c), &indicator, value, flags, 1);
    }
    ds.set_value(2023, code(BU1), &ind("a_inw"), n(1200.0), rounded, 1);
    ds.set_geometry(e, code(BU1), square(150_000.0, 450_000.0, 500.0));
    ds.set_geometry(e, code(BU2), square(150_500.0, 450_000.0, 500.0));
    ds.set_geometry(e, code(BU3), square(155_000.0, 463_000.0, 100.0));
    // Last, so that every 2024 area gets the not-yet-published cell.
    ds.mark_unpublished(e, &ind("p_stadsv"), 1);
    ds
}

/// Indicator ids of a buurt export of the test dataset, in output order.
pub const BUURT_INDICATORS: [&str; 6] = [
    "a_inw",
    "a_woning",
    "p_wcorpw",
    "p_stadsv",
    "g_ink_pi",
    "eigen_score",
];
