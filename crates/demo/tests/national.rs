//! The national-size benchmark CSV.

mod common;

use common::Kwb;

#[test]
fn national_table_has_national_size() {
    let text = veerkracht_demo::national_kwb_csv(1);
    let kwb = Kwb::parse(&text);
    assert_eq!(
        kwb.header,
        Kwb::edition(2023).header,
        "same columns as Veerstad"
    );
    assert!(
        (16_000..=18_000).contains(&kwb.rows.len()),
        "{}",
        kwb.rows.len()
    );
    assert!(kwb.rows.iter().all(|r| r.len() == 121));
    assert_eq!(kwb.code(&kwb.rows[0]), "NL00");
    let count = |recs: &str| kwb.rows_of(recs).count();
    assert_eq!(count("Gemeente"), 342);
    assert!((3_000..3_600).contains(&count("Wijk")));
    assert!((12_500..14_500).contains(&count("Buurt")));
    let inw = kwb.num(&kwb.rows[0], "a_inw").unwrap();
    assert!((14.0e6..22.0e6).contains(&inw), "{inw}");
    assert!(
        kwb.rows_of("Wijk")
            .any(|r| kwb.code(r).chars().skip(6).all(|c| c.is_ascii_uppercase())),
        "alphanumeric wijk codes"
    );
    for row in kwb.rows_of("Buurt") {
        let code = kwb.code(row);
        assert_eq!(code.len(), 10, "{code}");
    }
    assert_eq!(text, veerkracht_demo::national_kwb_csv(1), "deterministic");
}
