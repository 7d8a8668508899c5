//! The corporations' dwelling stock on 1 January 2024, one row per dwelling (VERA-like).
//!
//! The number of dwellings per buurt is `a_woning × p_wcorpw / 100` of the published KWB 2024
//! row, so the stock agrees with the KWB within rounding.

use crate::columns::index_of;
use crate::kwb::{self, Panel};
use crate::profile::Traits;
use crate::publish::{Cell, publish};
use crate::quantity::Q;
use crate::region::Region;
use crate::rng::{self, Draw, Rng, tag};

/// Year of the stock (peildatum 1 January).
pub(crate) const STOCK_YEAR: i32 = 2024;

const HEADER: &str = "eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur;eigenaar;peildatum\n";

/// NTA 8800 energy labels, best first.
const LABELS: [&str; 11] = [
    "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
];

const MAIN_OWNER: &str = "Woonstichting Veerstad";
const SECOND_OWNER: &str = "Veerstad Wonen";

/// Social rent cap used for the synthetic rents (DAEB limit 2024, rounded down).
const SOCIAL_RENT_CAP: f64 = 879.0;

struct Dwelling {
    multi_family: bool,
    built: i32,
    area_m2: u32,
    rooms: u32,
    label: &'static str,
    woz: u64,
    rent_cents: u64,
    owner: &'static str,
}

/// Mean label index (into [`LABELS`]) by construction year.
fn label_mean(built: i32) -> f64 {
    match built {
        ..1945 => 7.8,
        1945..1965 => 7.0,
        1965..1975 => 6.6,
        1975..1992 => 6.0,
        1992..2006 => 4.8,
        2006..2015 => 4.2,
        2015..2021 => 2.8,
        _ => 1.6,
    }
}

fn energy_label(r: &mut Rng, built: i32) -> usize {
    let renovation = if built < 1992 && r.chance(0.35) {
        r.uniform(0.5, 2.5)
    } else {
        0.0
    };
    (label_mean(built) + r.gauss(0.0, 0.9) - renovation)
        .round()
        .clamp(0.0, 10.0) as usize
}

fn dwelling(r: &mut Rng, t: &Traits, woz_mean_k: f64) -> Dwelling {
    let multi_family = r.chance((t.apartments + 0.15).clamp(0.05, 0.98));
    let built = (t.era + r.gauss(0.0, 12.0)).round().clamp(1900.0, 2023.0) as i32;
    let area = if multi_family {
        r.gauss(68.0, 12.0).clamp(35.0, 120.0)
    } else {
        r.gauss(95.0, 12.0).clamp(65.0, 150.0)
    };
    let rooms = if multi_family {
        (area / 24.0).round().clamp(1.0, 5.0)
    } else {
        (area / 22.0).round().clamp(3.0, 6.0)
    };
    let label = energy_label(r, built);
    let type_factor = if multi_family { 0.85 } else { 1.1 };
    let woz = woz_mean_k * 1000.0 * (area / 80.0).powf(0.8) * type_factor * 0.9 * r.factor(0.08);
    let mid_rent = r.chance(if built >= 2000 { 0.15 } else { 0.04 });
    let rent = if mid_rent {
        r.uniform(900.0, 1150.0)
    } else {
        (380.0 + 4.2 * area + (6.0 - label as f64) * 12.0 + r.gauss(0.0, 30.0))
            .clamp(450.0, SOCIAL_RENT_CAP)
    };
    Dwelling {
        multi_family,
        built,
        area_m2: area.round() as u32,
        rooms: rooms as u32,
        label: LABELS[label],
        woz: ((woz / 1000.0).round() * 1000.0) as u64,
        rent_cents: (rent * 100.0).round() as u64,
        owner: if r.chance(0.85) {
            MAIN_OWNER
        } else {
            SECOND_OWNER
        },
    }
}

/// Published value of column `name` in `cells`.
fn published(cells: &[Cell], name: &str) -> Option<f64> {
    cells[index_of(name).expect("known column")].number()
}

/// Number of corporation dwellings and mean WOZ (× €1,000) of buurt `i` per the KWB 2024 row.
fn buurt_stock(region: &Region, panel: &Panel, i: usize, seed: u64) -> (usize, f64) {
    let row = kwb::buurt_row(region, panel, i, STOCK_YEAR, seed);
    let cells = publish(&row, STOCK_YEAR);
    let base = &row.base;
    let count = match (published(&cells, "a_woning"), published(&cells, "p_wcorpw")) {
        (Some(w), Some(p)) => (w * p / 100.0).round(),
        _ => base[Q::Corp],
    };
    let woz = published(&cells, "g_wozbag").unwrap_or(if base[Q::WozN] > 0.0 {
        base[Q::WozSum] / base[Q::WozN]
    } else {
        250.0
    });
    (count as usize, woz)
}

/// The stock CSV (`;` separated, decimal comma).
pub(crate) fn csv(region: &Region, panel: &Panel, seed: u64) -> String {
    let mut out = String::from(HEADER);
    let mut id = 0;
    for (i, b) in region
        .buurten
        .iter()
        .enumerate()
        .filter(|(_, b)| b.exists_in(STOCK_YEAR))
    {
        let (count, woz) = buurt_stock(region, panel, i, seed);
        let mut r = rng::stream(seed, &[tag::STOCK, i as u64]);
        for _ in 0..count {
            id += 1;
            let d = dwelling(&mut r, &b.traits, woz);
            out.push_str(&format!(
                "VS{id:06};{};{};{};{};{};{};{};{},{:02};{};{STOCK_YEAR}-01-01\n",
                b.code,
                if d.multi_family { "MGW" } else { "EGW" },
                d.built,
                d.area_m2,
                d.rooms,
                d.label,
                d.woz,
                d.rent_cents / 100,
                d.rent_cents % 100,
                d.owner,
            ));
        }
    }
    out
}
