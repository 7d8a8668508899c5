//! Test helpers: locating the peer fixtures in ../shared.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/peers/woningwaardering/<rel>`, or `None` (with a note) when it is absent;
/// with `CI` set a missing path fails the test.
pub fn peer(rel: &str) -> Option<PathBuf> {
    veerkracht_testkit::peer(rel)
}

/// The fixture input files (`…/input/*.json`) under `dir`.
pub fn inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for f in rd.flatten() {
        let p = f.path();
        if p.is_dir() {
            inputs(&p, out);
        } else if p.extension().is_some_and(|x| x == "json")
            && p.parent().is_some_and(|d| d.ends_with("input"))
        {
            out.push(p);
        }
    }
}

/// A seeded flat stock in the demo's format: every woningtype, bouwjaar 1900–2025, every
/// label (and none), 1–8 kamers, optional worktop and outdoor overrides.
pub fn flat_stock(n: usize, seed: u64) -> String {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |m: u64| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) % m
    };
    let labels = [
        "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G", "",
    ];
    let mut out = String::from(
        "eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur;aanrecht_mm;buitenruimte_m2\n",
    );
    for i in 0..n {
        let egw = next(3) == 0;
        let opp = 18 + next(160);
        let frac = if next(4) == 0 {
            format!(",{}", next(10))
        } else {
            String::new()
        };
        let aanrecht = match next(5) {
            0 => "900".to_string(),
            1 => "2400".to_string(),
            _ => String::new(),
        };
        let buiten = match next(6) {
            0 => "0".to_string(),
            1 => format!("{}", next(60)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "T{i:07};BU{:08};{};{};{opp}{frac};{};{};{};{},{:02};{aanrecht};{buiten}\n",
            next(500),
            if egw { "EGW" } else { "MGW" },
            1900 + next(126),
            1 + next(8),
            labels[next(labels.len() as u64) as usize],
            40_000 + next(900_000),
            300 + next(1200),
            next(100),
        ));
    }
    out
}
