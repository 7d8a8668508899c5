//! The malformed-input corpus: each broken input gives its own clear error with
//! file, line/row, column, what was wrong and the fix. Never a panic, never a zero.

use veerkracht_dataset::Catalogue;
use veerkracht_ingest::{Encoding, ImportOptions, IngestError, import_bytes};

fn import(name: &str, bytes: &[u8]) -> Result<Vec<veerkracht_dataset::ImportBatch>, IngestError> {
    import_bytes(
        name,
        bytes,
        &Catalogue::embedded(),
        &ImportOptions {
            edition: Some(2024),
            ..ImportOptions::default()
        },
    )
}

fn err(name: &str, bytes: &[u8]) -> IngestError {
    match import(name, bytes) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => {
            let text = e.to_string();
            assert!(text.starts_with(name), "error names the file: {text}");
            assert!(text.contains("fix:"), "error says how to fix: {text}");
            assert!(!text.contains('\n'), "one line: {text}");
            e
        }
    }
}

const HEADER: &str = "gwb_code;regio;recs;a_inw;p_wcorpw\n";

#[test]
fn empty_file() {
    let e = err("leeg.csv", b"");
    assert_eq!(e.kind, "empty_file");
    assert_eq!(err("spaties.csv", b"  \n\n").kind, "empty_file");
}

#[test]
fn truncated_row() {
    let e = err(
        "afgekapt.csv",
        format!("{HEADER}BU90010101;Noord;Buurt;120;45\nBU90010102;Zuid;Buurt\n").as_bytes(),
    );
    assert_eq!((e.kind, e.line), ("field_count", Some(3)));
    assert!(
        e.message.contains("too few fields: 3 instead of the 5"),
        "{e}"
    );
}

#[test]
fn wrong_delimiter() {
    // ';', ',', tab and '|' are recognised; anything else is named.
    let e = err(
        "dubbelepunt.csv",
        b"gwb_code:regio:recs:a_inw\nBU90010101:Noord:Buurt:120\n",
    );
    assert_eq!(e.kind, "wrong_delimiter");
    assert!(e.message.contains("':' as delimiter"), "{e}");
    assert!(
        import(
            "pipes.csv",
            b"gwb_code|regio|recs|a_inw\nBU90010101|Noord|Buurt|120\n"
        )
        .is_ok()
    );
}

#[test]
fn non_utf8_and_the_windows_1252_option() {
    let bytes = b"gwb_code;regio;recs;a_inw\nBU90010101;Br\xe9e;Buurt;120\n";
    let e = err("latin.csv", bytes);
    assert_eq!((e.kind, e.line), ("not_utf8", Some(2)));
    assert!(e.fix.contains("--encoding windows-1252"), "{e}");
    let ok = import_bytes(
        "latin.csv",
        bytes,
        &Catalogue::embedded(),
        &ImportOptions {
            edition: Some(2024),
            encoding: Encoding::Windows1252,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ok[0].areas[0].name, "Brée");
}

#[test]
fn duplicate_codes() {
    let e = err("dubbel.csv", format!("{HEADER}BU90010101;Noord;Buurt;120;45\nBU90010102;Zuid;Buurt;80;10\nbu90010101 ;Noord;Buurt;120;45\n").as_bytes());
    assert_eq!(
        (e.kind, e.line, e.column.as_deref()),
        ("duplicate_code", Some(4), Some("gwb_code"))
    );
    assert!(e.message.contains("first on line 2"), "{e}");
}

#[test]
fn unknown_code_prefix() {
    let e = err(
        "prefix.csv",
        format!("{HEADER}XY90010101;Noord;Buurt;120;45\n").as_bytes(),
    );
    assert_eq!(
        (e.kind, e.line, e.column.as_deref()),
        ("bad_code", Some(2), Some("gwb_code"))
    );
    assert!(e.message.contains("unknown prefix"), "{e}");
}

#[test]
fn text_in_a_numeric_column() {
    let e = err(
        "tekst.csv",
        format!("{HEADER}BU90010101;Noord;Buurt;ongeveer 120;45\n").as_bytes(),
    );
    assert_eq!(
        (e.kind, e.line, e.column.as_deref()),
        ("bad_number", Some(2), Some("a_inw"))
    );
    assert!(e.message.contains("'ongeveer 120' is not a number"), "{e}");
}

#[test]
fn mixed_decimal_marks() {
    let e = err(
        "decimaal.csv",
        format!("{HEADER}BU90010101;Noord;Buurt;120;45,5\nBU90010102;Zuid;Buurt;80;10.5\n")
            .as_bytes(),
    );
    assert_eq!(
        (e.kind, e.line, e.column.as_deref()),
        ("bad_number", Some(3), Some("p_wcorpw"))
    );
}

#[test]
fn missing_required_column() {
    let e = err("geencode.csv", b"regio;recs;a_inw\nNoord;Buurt;120\n");
    assert_eq!((e.kind, e.line), ("missing_column", Some(1)));
    assert!(e.message.contains("no area code column"), "{e}");
}

#[test]
fn level_does_not_match_code() {
    let e = err(
        "niveau.csv",
        format!("{HEADER}BU90010101;Noord;Wijk;120;45\n").as_bytes(),
    );
    assert_eq!(
        (e.kind, e.column.as_deref()),
        ("level_mismatch", Some("recs"))
    );
}

#[test]
fn a_100_mb_single_line() {
    let mut bytes = b"gwb_code;regio;".to_vec();
    bytes.resize(100 * 1024 * 1024, b'a');
    let e = err("eenregel.csv", &bytes);
    assert_eq!((e.kind, e.line), ("line_too_long", Some(1)));
    assert!(e.message.contains("104.9 MB"), "{e}");
}

#[test]
fn invalid_geometry() {
    // An unclosed ring is rejected by the GeoJSON reader.
    let open = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"buurtcode":"BU90010101"},"geometry":{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150100,450100],[150000,450100]]]}}]}"#;
    let e = err("open.geojson", open.as_bytes());
    assert_eq!(e.kind, "bad_geojson");
    assert!(e.message.contains("feature 0"), "{e}");
    // A polygon without area (all corners on a line) is invalid geometry.
    let flat = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[{"type":"Feature","properties":{"buurtcode":"BU90010101"},"geometry":{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150200,450000],[150000,450000]]]}}]}"#;
    let e = err("plat.geojson", flat.as_bytes());
    assert_eq!((e.kind, e.line), ("invalid_geometry", Some(1)));
    // A line is not an area.
    let line = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"buurtcode":"BU90010101"},"geometry":{"type":"LineString","coordinates":[[5.1,52.1],[5.2,52.2]]}}]}"#;
    assert!(
        err("lijn.geojson", line.as_bytes())
            .message
            .contains("LineString")
    );
}

#[test]
fn damaged_workbook_and_wrong_formats() {
    assert_eq!(
        err("kapot.xlsx", b"PK\x03\x04 this is not a workbook").kind,
        "bad_xlsx"
    );
    assert_eq!(
        err("tabel.json", br#"{"value":[{"ID":0}]}"#).kind,
        "odata_metadata"
    );
    assert_eq!(err("stuk.json", br#"{"value":[{"ID":0}"#).kind, "bad_json");
    // a SQLite file is read as a GeoPackage whatever its name; this one is cut short
    assert_eq!(err("db.csv", b"SQLite format 3\0rest").kind, "bad_gpkg");
}

#[test]
fn missing_values_are_never_zero() {
    let b = import("symbolen.csv", format!("{HEADER}BU90010101;Noord;Buurt;.;x\nBU90010102;Zuid;Buurt;-;\nBU90010103;West;Buurt;5;1\n").as_bytes()).unwrap();
    let values: Vec<_> = b[0].observations.iter().map(|o| o.value).collect();
    use veerkracht_dataset::{Missing::*, Value::*};
    assert_eq!(
        values,
        vec![
            Missing(NotAvailable),
            Missing(Secret),
            Missing(Nil),
            Missing(NotAvailable),
            Number(5.0),
            Number(1.0)
        ]
    );
}

#[test]
fn codes_without_prefix_padding_and_case_are_normalised() {
    let csv = "gwb_code_8;regio;recs;a_inw\n\"9001    \";Veerstad;Gemeente;1500\n900101;Centrum;Wijk;1500\n\" 90010101 \";Markt;Buurt;1500\n";
    let b = import("codes.csv", csv.as_bytes()).unwrap();
    let codes: Vec<String> = b[0].areas.iter().map(|a| a.code.to_string()).collect();
    assert_eq!(codes, vec!["GM9001", "WK900101", "BU90010101"]);
    let b = import(
        "alfa.csv",
        b"gwb_code;regio;a_inw\nwk0363ad ;Centrum-Oost;100\nBU0363AD03;Kop;50\n",
    )
    .unwrap();
    assert_eq!(b[0].areas[0].code.to_string(), "WK0363AD");
    assert_eq!(b[0].areas[1].code.parent().unwrap().to_string(), "WK0363AD");
}

#[test]
fn limits_on_size_rows_and_vertices() {
    use veerkracht_ingest::Limits;
    let with = |limits: Limits, name: &str, bytes: &[u8]| {
        import_bytes(
            name,
            bytes,
            &Catalogue::embedded(),
            &ImportOptions {
                edition: Some(2024),
                limits,
                ..ImportOptions::default()
            },
        )
    };
    let csv = format!(
        "{HEADER}BU90010101;Noord;Buurt;120;45\nBU90010102;Zuid;Buurt;80;10\nBU90010103;West;Buurt;5;1\n"
    );
    let small = Limits {
        max_file_bytes: 50,
        ..Limits::default()
    };
    let e = with(small, "groot.csv", csv.as_bytes()).unwrap_err();
    assert_eq!(e.kind, "too_large");
    assert!(e.to_string().contains("--max-file-mb"), "{e}");
    let rows = Limits {
        max_rows: 2,
        ..Limits::default()
    };
    let e = with(rows, "rijen.csv", csv.as_bytes()).unwrap_err();
    assert_eq!(e.kind, "too_many_rows");
    assert!(e.message.contains("3 data rows"), "{e}");
    assert!(
        with(
            Limits {
                max_rows: 3,
                ..Limits::default()
            },
            "rijen.csv",
            csv.as_bytes()
        )
        .is_ok()
    );
    let square = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[{"type":"Feature","properties":{"buurtcode":"BU90010101"},"geometry":{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150100,450100],[150000,450100],[150000,450000]]]}}]}"#;
    let v = Limits {
        max_vertices: 4,
        ..Limits::default()
    };
    let e = with(v, "vlak_2024.geojson", square.as_bytes()).unwrap_err();
    assert_eq!((e.kind, e.line), ("too_many_vertices", Some(1)));
    assert!(e.message.contains("5 positions"), "{e}");
    assert!(
        with(
            Limits {
                max_vertices: 5,
                ..Limits::default()
            },
            "vlak_2024.geojson",
            square.as_bytes()
        )
        .is_ok()
    );
}
