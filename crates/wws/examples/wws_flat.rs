//! Values a flat portfolio CSV (e.g. the demo's `veerstad-corporatie-voorraad.csv`) and
//! prints the rent mix per buurt as JSON, plus the effect of "labels E/F/G → A".
//!
//! `cargo run -p veerkracht-wws --example wws_flat -- STOCK.csv`

use veerkracht_wws::flat::parse_csv;
use veerkracht_wws::mix::RentMix;
use veerkracht_wws::{Options, Segment};

fn main() {
    let path = std::env::args().nth(1).expect("usage: wws_flat STOCK.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let opts = Options::default();
    let t0 = std::time::Instant::now();
    let units = parse_csv(&text).expect("flat CSV");
    let (mix, errors) = RentMix::from_flat(&units, &opts);
    let dt = t0.elapsed().as_secs_f64();
    eprintln!(
        "{} units valued in {dt:.2} s ({:.0}/s), {} errors",
        units.len(),
        units.len() as f64 / dt,
        errors.len()
    );
    // what-if: E/F/G → A
    let (mut n, mut to_mid, mut dp, mut dh) = (0usize, 0usize, 0.0, 0.0);
    for u in units
        .iter()
        .filter(|u| matches!(u.energielabel.as_deref(), Some("E" | "F" | "G")))
    {
        let mut v = u.clone();
        v.energielabel = Some("A".into());
        if let (Ok(a), Ok(b)) = (u.waardeer(&opts), v.waardeer(&opts)) {
            n += 1;
            dp += b.punten - a.punten;
            dh += b.maximale_huur_inclusief_opslag - a.maximale_huur_inclusief_opslag;
            if a.segment == Some(Segment::Sociaal) && b.segment != Some(Segment::Sociaal) {
                to_mid += 1;
            }
        }
    }
    eprintln!(
        "what-if E/F/G → A: {n} units, mean +{:.1} points, mean +€{:.2} max rent, {to_mid} leave the social segment",
        dp / n.max(1) as f64,
        dh / n.max(1) as f64
    );
    println!("{}", serde_json::to_string_pretty(&mix.totaal).unwrap());
    eprintln!("{} buurten", mix.buurten.len());
}
