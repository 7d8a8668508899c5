//! Leefbaarometer, crime and corporation stock files, checked against the KWB.

mod common;

use std::collections::BTreeMap;

use common::Kwb;

fn csv_rows(name: &str, sep: char) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = common::text(name).lines();
    let header = lines.next().unwrap().split(sep).map(String::from).collect();
    (
        header,
        lines
            .map(|l| l.split(sep).map(String::from).collect())
            .collect(),
    )
}

/// Buurt codes per edition year.
fn buurten(year: i32) -> Vec<String> {
    let kwb = Kwb::edition(year);
    kwb.rows_of("Buurt")
        .map(|r| kwb.code(r).to_string())
        .collect()
}

/// Parses a 4-decimal value into units of 0.0001.
fn units(v: &str) -> i64 {
    (v.parse::<f64>().unwrap() * 10_000.0).round() as i64
}

#[test]
fn leefbaarometer_dimensions_add_up() {
    let (header, rows) = csv_rows("veerstad-leefbaarometer.csv", ',');
    assert_eq!(
        header,
        [
            "jaar", "gwb_code", "lbm", "afw", "won", "fys", "vrz", "soc", "onv"
        ]
    );
    let mut years = BTreeMap::new();
    let valid: BTreeMap<i32, Vec<String>> = [2020, 2022, 2024]
        .into_iter()
        .map(|y| (y, buurten(y)))
        .collect();
    for row in &rows {
        let year: i32 = row[0].parse().unwrap();
        *years.entry(year).or_insert(0) += 1;
        assert!(valid[&year].contains(&row[1]), "{} valid in {year}", row[1]);
        let parts: i64 = row[4..].iter().map(|v| units(v)).sum();
        assert_eq!(units(&row[3]), parts, "afw = won + fys + vrz + soc + onv");
        assert_eq!(units(&row[2]), 40_500 + parts, "lbm = 4.05 + afw");
        assert!(
            row[2..]
                .iter()
                .all(|v| v.split('.').nth(1).is_some_and(|d| d.len() == 4))
        );
    }
    assert_eq!(
        years.keys().copied().collect::<Vec<_>>(),
        [2020, 2022, 2024]
    );
    assert!(years.values().all(|&n| n >= 140));
}

#[test]
fn leefbaarometer_nuisance_follows_deprivation() {
    let (_, rows) = csv_rows("veerstad-leefbaarometer.csv", ',');
    let kwb = Kwb::edition(2023);
    let osm: BTreeMap<&str, f64> = kwb
        .rows_of("Buurt")
        .filter_map(|r| Some((kwb.code(r), kwb.num(r, "p_hh_osm")?)))
        .collect();
    let pairs: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r[0] == "2022")
        .filter_map(|r| {
            Some((
                osm.get(r[1].as_str()).copied()?,
                r[8].parse::<f64>().unwrap(),
            ))
        })
        .collect();
    assert!(
        correlation(&pairs) < -0.3,
        "onv decreases with poverty: {}",
        correlation(&pairs)
    );
}

fn correlation(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sx = pairs
        .iter()
        .map(|(x, _)| (x - mx).powi(2))
        .sum::<f64>()
        .sqrt();
    let sy = pairs
        .iter()
        .map(|(_, y)| (y - my).powi(2))
        .sum::<f64>()
        .sqrt();
    cov / sx / sy
}

#[test]
fn crime_counts_are_consistent() {
    let (header, rows) = csv_rows("veerstad-misdrijven.csv", ',');
    assert_eq!(
        header,
        [
            "jaar",
            "gwb_code",
            "regio",
            "recs",
            "a_inw",
            "a_tot_vvg",
            "a_vermogen",
            "a_vernoo",
            "a_geweld",
            "a_dief_woning"
        ]
    );
    let num = |row: &Vec<String>, i: usize| -> u64 { row[i].parse().unwrap() };
    let mut wijk_sums: BTreeMap<(String, String), [u64; 6]> = BTreeMap::new();
    for row in rows.iter().filter(|r| r[3] == "Buurt") {
        let entry = wijk_sums
            .entry((row[0].clone(), format!("WK{}", &row[1][2..8])))
            .or_default();
        for (k, e) in entry.iter_mut().enumerate() {
            *e += num(row, 4 + k);
        }
        assert_eq!(
            num(row, 5),
            num(row, 6) + num(row, 7) + num(row, 8),
            "a_tot_vvg = vermogen + vernoo + geweld"
        );
        assert!(
            num(row, 6) >= num(row, 9),
            "burglary is part of property crime"
        );
    }
    for row in rows.iter().filter(|r| r[3] == "Wijk") {
        let sums = wijk_sums[&(row[0].clone(), row[1].clone())];
        for (k, s) in sums.iter().enumerate() {
            assert_eq!(num(row, 4 + k), *s, "{} {}", row[0], row[1]);
        }
    }
    for year in veerkracht_demo::EDITIONS {
        let yearly: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == year.to_string()).collect();
        assert_eq!(yearly.iter().filter(|r| r[3] == "Gemeente").count(), 1);
        assert_eq!(
            yearly.iter().filter(|r| r[3] == "Buurt").count(),
            buurten(year).len()
        );
    }
}

#[test]
fn stock_matches_kwb_2024() {
    let (header, rows) = csv_rows("veerstad-corporatie-voorraad.csv", ';');
    assert_eq!(header.len(), 11);
    assert_eq!(header[0], "eenheid_id");
    let mut per_buurt: BTreeMap<&str, i64> = BTreeMap::new();
    let mut main_owner = 0;
    for row in &rows {
        *per_buurt.entry(row[1].as_str()).or_default() += 1;
        assert!(["EGW", "MGW"].contains(&row[2].as_str()));
        assert!(
            [
                "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"
            ]
            .contains(&row[6].as_str())
        );
        let rent: f64 = row[8].replace(',', ".").parse().unwrap();
        assert!((400.0..1300.0).contains(&rent), "{rent}");
        assert!(
            row[8].split(',').nth(1).is_some_and(|c| c.len() == 2),
            "rent in cents"
        );
        main_owner += usize::from(row[9] == "Woonstichting Veerstad");
        assert_eq!(row[10], "2024-01-01");
    }
    let share = main_owner as f64 / rows.len() as f64;
    assert!((0.8..0.9).contains(&share), "{share}");
    let kwb = Kwb::edition(2024);
    for row in kwb.rows_of("Buurt") {
        let (Some(w), Some(p)) = (kwb.num(row, "a_woning"), kwb.num(row, "p_wcorpw")) else {
            continue;
        };
        let stock = per_buurt.get(kwb.code(row)).copied().unwrap_or(0) as f64;
        assert!(
            (stock - w * p / 100.0).abs() <= 3.0,
            "{}: {stock} vs {}",
            kwb.code(row),
            w * p / 100.0
        );
    }
    let valid = buurten(2024);
    assert!(
        per_buurt
            .keys()
            .all(|code| valid.contains(&code.to_string()))
    );
}

#[test]
fn energy_labels_improve_with_construction_year() {
    let (_, rows) = csv_rows("veerstad-corporatie-voorraad.csv", ';');
    let labels = [
        "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
    ];
    let mean_label = |from: i32, to: i32| {
        let idx: Vec<f64> = rows
            .iter()
            .filter(|r| (from..to).contains(&r[3].parse::<i32>().unwrap()))
            .map(|r| labels.iter().position(|l| *l == r[6]).unwrap() as f64)
            .collect();
        idx.iter().sum::<f64>() / idx.len().max(1) as f64
    };
    assert!(mean_label(1900, 1960) > mean_label(1990, 2024));
}
