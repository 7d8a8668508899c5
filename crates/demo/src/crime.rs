//! Registered crime per area and year, shaped like police table 47018NED re-shaped to one row
//! per area: unrounded counts, wijk and gemeente rows are exact sums of their buurten.

use crate::kwb::Panel;
use crate::profile::Kind;
use crate::quantity::Q;
use crate::region::{Buurt, GM_DIGITS, GM_NAME, Region, YEARS};
use crate::rng::{self, Draw, tag};

const HEADER: &str =
    "jaar,gwb_code,regio,recs,a_inw,a_tot_vvg,a_vermogen,a_vernoo,a_geweld,a_dief_woning\n";

/// Counts of one area: inhabitants, total (= property + vandalism/public order + violence),
/// property, vandalism/public order, violence, burglary (part of property).
type Counts = [u64; 6];

fn add(a: &mut Counts, b: &Counts) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// Expected yearly number of registered crimes of all types in a buurt; 83 % of them are
/// property, vandalism/public order or violence.
fn expected_total(b: &Buurt, inw: f64, businesses: f64, year: i32) -> f64 {
    let t = &b.traits;
    match t.kind {
        Kind::Business => 25.0 + 0.4 * businesses,
        Kind::Park => 20.0,
        Kind::Residential | Kind::Rural => {
            let rate = 38.0
                * (0.25 * b.state(year).dep + 0.35 * b.nuisance(year)).exp()
                * (0.7 + 0.8 * t.urban);
            inw / 1000.0 * rate
        }
    }
}

/// Draws the counts of buurt `i` in `year`.
fn buurt_counts(region: &Region, panel: &Panel, i: usize, year: i32, seed: u64) -> Counts {
    let b = &region.buurten[i];
    let base = panel.base(i, year).expect("buurt exists");
    let mut r = rng::stream(seed, &[tag::CRIME, year as u64, i as u64]);
    let total = expected_total(b, base[Q::Inw], base[Q::Bedv], year);
    let burglary_share = if b.traits.kind.inhabited() { 0.09 } else { 0.0 };
    let burglary = r.poisson(total * 0.55 * burglary_share);
    let property = burglary + r.poisson(total * 0.55 * (1.0 - burglary_share));
    let vandalism = r.poisson(total * 0.15);
    let violence = r.poisson(total * 0.13);
    [
        base[Q::Inw] as u64,
        property + vandalism + violence,
        property,
        vandalism,
        violence,
        burglary,
    ]
}

fn line(out: &mut String, year: i32, code: &str, regio: &str, recs: &str, c: &Counts) {
    let values: Vec<String> = c.iter().map(u64::to_string).collect();
    out.push_str(&format!(
        "{year},{code},{},{recs},{}\n",
        csv_text(regio),
        values.join(",")
    ));
}

/// Quotes a text field when it contains a comma or a quote.
fn csv_text(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The crime CSV for all editions: gemeente, then per wijk the wijk and its buurten.
pub(crate) fn csv(region: &Region, panel: &Panel, seed: u64) -> String {
    let mut out = String::from(HEADER);
    for year in YEARS {
        let mut body = String::new();
        let mut gemeente = Counts::default();
        for (w, wijk) in region.wijken.iter().enumerate() {
            let mut wijk_total = Counts::default();
            let mut lines = String::new();
            for i in region.buurten_in(w, year) {
                let b = &region.buurten[i];
                let counts = buurt_counts(region, panel, i, year, seed);
                add(&mut wijk_total, &counts);
                line(&mut lines, year, &b.code, b.name_in(year), "Buurt", &counts);
            }
            add(&mut gemeente, &wijk_total);
            line(
                &mut body,
                year,
                &wijk.code(),
                &wijk.name,
                "Wijk",
                &wijk_total,
            );
            body.push_str(&lines);
        }
        line(
            &mut out,
            year,
            &format!("GM{GM_DIGITS}"),
            GM_NAME,
            "Gemeente",
            &gemeente,
        );
        out.push_str(&body);
    }
    out
}
