//! The KWB editions: shape, codes, boundary changes, consistency and publication rules.

mod common;

use std::collections::BTreeMap;

use common::Kwb;
use veerkracht_demo::EDITIONS;

const SPLIT_YEAR: i32 = 2022;

fn buurt_codes(kwb: &Kwb) -> Vec<String> {
    kwb.rows_of("Buurt")
        .map(|r| kwb.code(r).to_string())
        .collect()
}

#[test]
fn every_edition_has_121_columns_and_cbs_row_order() {
    for year in EDITIONS {
        let kwb = Kwb::edition(year);
        assert_eq!(kwb.header.len(), 121, "{year}");
        assert_eq!(kwb.header[0], "gwb_code_10");
        assert_eq!(kwb.header[120], "ste_oad");
        assert!(!kwb.header.iter().any(|h| h == "jaar"));
        for row in &kwb.rows {
            assert_eq!(row.len(), 121, "{year} {}", row[0]);
        }
        let recs: Vec<&str> = kwb.rows.iter().map(|r| kwb.get(r, "recs")).collect();
        assert_eq!(&recs[..3], ["Land", "Gemeente", "Wijk"]);
        assert_eq!(kwb.code(&kwb.rows[0]), "NL00");
        assert_eq!(kwb.code(&kwb.rows[1]), "GM9001");
        let wijken = recs.iter().filter(|r| **r == "Wijk").count();
        let buurten = recs.iter().filter(|r| **r == "Buurt").count();
        assert_eq!(wijken, 15);
        let expected_buurten = if year < SPLIT_YEAR { 150 } else { 151 };
        assert_eq!(buurten, expected_buurten, "{year}");
        assert_eq!(kwb.rows.len(), 2 + wijken + buurten);
    }
}

#[test]
fn codes_follow_the_cbs_structure() {
    let kwb = Kwb::edition(2024);
    let mut wijk = String::new();
    for row in kwb.rows.iter().skip(2) {
        let code = kwb.code(row);
        assert_eq!(kwb.get(row, "gwb_code_10"), code);
        assert_eq!(kwb.get(row, "gwb_code_8"), &code[2..]);
        assert_eq!(kwb.get(row, "gm_naam"), "Veerstad");
        match kwb.get(row, "recs") {
            "Wijk" => {
                assert!(code.starts_with("WK9001") && code.len() == 8, "{code}");
                wijk = code[2..].to_string();
            }
            "Buurt" => {
                assert!(code.starts_with("BU") && code.len() == 10, "{code}");
                assert_eq!(&code[2..8], wijk, "buurt {code} follows its wijk");
            }
            other => panic!("unexpected recs {other}"),
        }
    }
    let nl = &kwb.rows[0];
    let inw = kwb.num(nl, "a_inw").unwrap();
    assert!((17.0e6..18.5e6).contains(&inw), "{inw}");
}

#[test]
fn split_buurt_and_rename() {
    let before = buurt_codes(&Kwb::edition(SPLIT_YEAR - 1));
    let after_kwb = Kwb::edition(SPLIT_YEAR);
    let after = buurt_codes(&after_kwb);
    let retired: Vec<&String> = before.iter().filter(|c| !after.contains(c)).collect();
    let new: Vec<&String> = after.iter().filter(|c| !before.contains(c)).collect();
    assert_eq!(retired.len(), 1, "one buurt retired");
    assert_eq!(new.len(), 2, "two new buurten");
    for code in &new {
        assert_eq!(code[..8], retired[0][..8], "children stay in the same wijk");
        let row = after_kwb
            .rows
            .iter()
            .find(|r| after_kwb.code(r) == code.as_str())
            .unwrap();
        assert_eq!(after_kwb.get(row, "ind_wbi"), "2");
    }
    let unchanged = after_kwb
        .rows_of("Buurt")
        .filter(|r| after_kwb.get(r, "ind_wbi") == "1")
        .count();
    assert_eq!(unchanged, 149);
    for year in [2023, 2024] {
        let kwb = Kwb::edition(year);
        assert!(kwb.rows_of("Buurt").all(|r| kwb.get(r, "ind_wbi") == "1"));
        assert_eq!(buurt_codes(&kwb), after);
    }
    for year in EDITIONS.iter().filter(|&&y| y < SPLIT_YEAR) {
        assert_eq!(buurt_codes(&Kwb::edition(*year)), before);
    }

    let names = |year: i32| -> BTreeMap<String, String> {
        let kwb = Kwb::edition(year);
        kwb.rows_of("Buurt")
            .map(|r| (kwb.code(r).to_string(), kwb.get(r, "regio").to_string()))
            .collect()
    };
    let (n2022, n2023) = (names(2022), names(2023));
    let renamed: Vec<&String> = n2022.keys().filter(|c| n2022[*c] != n2023[*c]).collect();
    assert_eq!(renamed.len(), 1, "exactly one buurt renamed in 2023");
    assert_eq!(names(2024), n2023);
}

#[test]
fn corporation_dominated_buurten_2024() {
    let kwb = Kwb::edition(2024);
    let dominated = kwb
        .rows_of("Buurt")
        .filter(|r| kwb.num(r, "p_wcorpw").is_some_and(|p| p >= 67.0))
        .count();
    assert!((10..=15).contains(&dominated), "{dominated}");
}

#[test]
fn aggregates_match_their_buurten_within_rounding() {
    let counts = [
        "a_inw", "a_hh", "a_woning", "a_soz_wb", "a_wmo_t", "a_bedv", "a_65_oo",
    ];
    for year in EDITIONS {
        let kwb = Kwb::edition(year);
        let mut sums: BTreeMap<String, (Vec<f64>, usize)> = BTreeMap::new();
        for row in kwb.rows_of("Buurt") {
            let entry = sums
                .entry(format!("WK{}", &kwb.code(row)[2..8]))
                .or_insert((vec![0.0; counts.len()], 0));
            for (k, c) in counts.iter().enumerate() {
                entry.0[k] += kwb.num(row, c).unwrap();
            }
            entry.1 += 1;
        }
        let mut gemeente = vec![0.0; counts.len()];
        for row in kwb.rows_of("Wijk") {
            let (sum, n) = &sums[kwb.code(row)];
            for (k, c) in counts.iter().enumerate() {
                let wijk = kwb.num(row, c).unwrap();
                gemeente[k] += wijk;
                let tolerance = 2.5 * (*n as f64 + 1.0);
                assert!(
                    (wijk - sum[k]).abs() <= tolerance,
                    "{year} {} {c}: {wijk} vs {}",
                    kwb.code(row),
                    sum[k]
                );
            }
        }
        let gm = &kwb.rows[1];
        for (k, c) in counts.iter().enumerate() {
            let exact = kwb.num(gm, c).unwrap();
            assert!((exact - gemeente[k]).abs() <= 2.5 * 16.0, "{year} {c}");
        }
    }
}

#[test]
fn wijk_counts_are_rounded_to_five_and_gemeente_exact() {
    let kwb = Kwb::edition(2023);
    for row in kwb.rows_of("Wijk").chain(kwb.rows_of("Buurt")) {
        for c in ["a_inw", "a_hh", "a_woning", "a_soz_wb", "a_bedv"] {
            assert_eq!(kwb.num(row, c).unwrap() % 5.0, 0.0, "{} {c}", kwb.code(row));
        }
    }
    let gm_inw = kwb.num(&kwb.rows[1], "a_inw").unwrap();
    let total: f64 = ["a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo"]
        .iter()
        .map(|c| kwb.num(&kwb.rows[1], c).unwrap())
        .sum();
    assert_eq!(gm_inw, total, "gemeente counts are exact and add up");
}

#[test]
fn tenure_percentages_add_up() {
    for year in EDITIONS {
        let kwb = Kwb::edition(year);
        for row in kwb.rows.iter() {
            let (Some(koop), Some(huur)) = (kwb.num(row, "p_koopw"), kwb.num(row, "p_huurw"))
            else {
                continue;
            };
            assert_eq!(koop + huur, 100.0, "{year} {}", kwb.code(row));
            let corp = kwb.num(row, "p_wcorpw").unwrap();
            let other = kwb.num(row, "p_ov_hw").unwrap();
            assert!(
                (corp + other - huur).abs() <= 1.0,
                "{year} {}",
                kwb.code(row)
            );
        }
    }
}

#[test]
fn publication_rules() {
    let kwb = Kwb::edition(2024);
    let income = [
        "a_inkont", "g_ink_po", "g_ink_pi", "p_ink_li", "p_hh_li", "m_hh_ver",
    ];
    for row in &kwb.rows {
        for c in income {
            assert_eq!(kwb.get(row, c), ".", "2024 income not yet published");
        }
    }
    let kwb = Kwb::edition(2023);
    assert!(kwb.num(&kwb.rows[1], "g_ink_pi").is_some());
    let empty: Vec<&Vec<String>> = kwb
        .rows_of("Buurt")
        .filter(|r| kwb.num(r, "a_inw") == Some(0.0))
        .collect();
    assert!(empty.len() >= 2, "non-residential buurten");
    for row in empty {
        assert_eq!(kwb.get(row, "p_koopw"), ".");
        assert_eq!(kwb.get(row, "g_hhgro"), ".");
        assert!(kwb.num(row, "a_opp_ha").unwrap() > 0.0);
    }
    for row in kwb.rows_of("Buurt") {
        let small =
            kwb.num(row, "a_inw").unwrap() < 50.0 || kwb.num(row, "a_woning").unwrap() < 20.0;
        if small {
            assert_eq!(kwb.get(row, "g_ink_pi"), ".");
            assert_eq!(kwb.get(row, "p_wcorpw"), ".");
        } else {
            assert!(kwb.num(row, "p_wcorpw").is_some(), "{}", kwb.code(row));
        }
    }
    assert!(
        kwb.rows_of("Buurt")
            .any(|r| (1.0..50.0).contains(&kwb.num(r, "a_inw").unwrap())),
        "a small buurt exists"
    );
}

#[test]
fn decimal_comma_and_quoted_text() {
    let text = common::text("veerstad-kwb-2023.csv");
    let gemeente = text.lines().nth(2).unwrap();
    assert!(
        gemeente.starts_with(
            "\"GM9001\";\"9001\";\"Veerstad\";\"Veerstad\";\"Gemeente\";\"GM9001\";1;"
        )
    );
    let kwb = Kwb::edition(2023);
    let hhgro = kwb.get(&kwb.rows[1], "g_hhgro");
    assert!(hhgro.contains(',') && !hhgro.contains('.'), "{hhgro}");
}
