//! A national-size synthetic KWB table for benchmarks: one `NL00` row, 342 gemeenten, 3,300
//! wijken and 13,500 buurten, drawn with the same per-area generator and written with the same
//! row writer as Veerstad (no geometry).

use crate::alloc::allocate;
use crate::names;
use crate::profile::{self, Kind, Sketch, Traits, YearState};
use crate::publish::{self, AreaRow, Level, RowId};
use crate::quantity::Base;
use crate::rng::{self, Draw, Rng, tag};

const GEMEENTEN: usize = 342;
const WIJKEN: usize = 3_300;
const BUURTEN: usize = 13_500;
/// The largest gemeenten use letter pairs in their wijk codes (`WK0363AD`).
const ALPHANUMERIC: usize = 4;
/// Edition of the benchmark table (income published).
const YEAR: i32 = 2023;

/// Size and character of one gemeente.
struct Gemeente {
    code: String,
    name: String,
    urban: f64,
    dep: f64,
    alphanumeric: bool,
    wijken: usize,
}

/// Two-character wijk part of a code: digits, or a letter pair for large gemeenten.
fn wijk_part(alphanumeric: bool, w: usize) -> String {
    if alphanumeric {
        let letter = |k: usize| char::from(b'A' + k as u8);
        format!("{}{}", letter(w / 26), letter(w % 26))
    } else {
        format!("{w:02}")
    }
}

fn plan_gemeenten(r: &mut Rng) -> Vec<Gemeente> {
    let sizes: Vec<f64> = (0..GEMEENTEN).map(|_| r.factor(1.0)).collect();
    let mut by_size: Vec<usize> = (0..GEMEENTEN).collect();
    by_size.sort_by(|&a, &b| sizes[b].total_cmp(&sizes[a]));
    let mut rank = vec![0; GEMEENTEN];
    for (k, &g) in by_size.iter().enumerate() {
        rank[g] = k;
    }
    let weights: Vec<f64> = sizes.iter().map(|s| s.powf(0.85)).collect();
    let wijken = allocate(WIJKEN, &weights, 1, 99);
    let names = names::gemeente_names(r, GEMEENTEN);
    (0..GEMEENTEN)
        .map(|g| {
            let position = rank[g] as f64 / GEMEENTEN as f64;
            let urban =
                (0.1 + 0.8 * (1.0 - position).powi(3) + r.gauss(0.0, 0.05)).clamp(0.02, 0.95);
            Gemeente {
                code: format!("{:04}", g + 1),
                name: names[g].clone(),
                urban,
                dep: r.gauss(0.2 * urban, 0.4),
                alphanumeric: rank[g] < ALPHANUMERIC,
                wijken: wijken[g],
            }
        })
        .collect()
}

/// A random buurt of a wijk with the given urbanity and deprivation.
fn buurt_traits(r: &mut Rng, urban: f64, dep: f64, postcode: u16) -> (Traits, f64) {
    let urban = (urban + r.gauss(0.0, 0.1)).clamp(0.0, 1.0);
    let dep = dep + r.gauss(0.0, 0.5);
    let roll = r.uniform(0.0, 1.0);
    let kind = match roll {
        x if x < 0.03 => Kind::Business,
        x if x < 0.04 => Kind::Park,
        x if x < 0.09 && urban < 0.3 => Kind::Rural,
        _ => Kind::Residential,
    };
    let dwellings = 600.0 * (r.gauss(0.0, 0.7) - 0.245).exp();
    let density = if kind == Kind::Rural {
        0.2
    } else {
        5.0 + 48.0 * urban.powf(1.5)
    };
    let land_ha = dwellings / density + (1.0 - urban) * r.uniform(0.0, 400.0);
    let sketch = Sketch {
        kind,
        urban,
        corp: (0.24 + 0.2 * dep + 0.1 * urban + r.gauss(0.0, 0.12)).clamp(0.0, 0.9),
        era: (1975.0 + r.gauss(0.0, 20.0) - 15.0 * urban).clamp(1880.0, 2020.0),
        land_ha,
        water_ha: land_ha * r.uniform(0.0, 0.15),
        density: dwellings / land_ha,
    };
    let mut traits = Traits::derive(&sketch, r);
    traits.postcode = postcode;
    (traits, dep)
}

fn row_id(code: String, regio: String, gm: &Gemeente, level: Level) -> RowId {
    RowId {
        code,
        regio,
        gm_naam: gm.name.clone(),
        level,
        ind_wbi: Some(1),
    }
}

/// Rows of one gemeente: the gemeente row, then per wijk the wijk row and its buurten.
fn gemeente_rows(
    r: &mut Rng,
    seed: u64,
    gm: &Gemeente,
    buurten_per_wijk: &[usize],
    first_buurt: usize,
) -> Vec<AreaRow> {
    let mut blocks = Vec::with_capacity(gm.wijken);
    let mut buurt_index = first_buurt;
    for (w, &n) in buurten_per_wijk.iter().enumerate() {
        let wijk_code = format!("{}{}", gm.code, wijk_part(gm.alphanumeric, w));
        let wijk_urban = (gm.urban + r.gauss(0.0, 0.15)).clamp(0.0, 1.0);
        let wijk_dep = gm.dep + r.gauss(0.0, 0.4);
        let wijk_name = names::buurt_name(r);
        let postcode = 1000 + 25 * gm.code.parse::<u16>().unwrap_or(0) + (w % 25) as u16;
        let buurten: Vec<AreaRow> = (0..n)
            .map(|b| {
                let (traits, dep) = buurt_traits(r, wijk_urban, wijk_dep, postcode);
                let state = YearState {
                    year: YEAR,
                    dep,
                    corp_shift: 0.0,
                };
                buurt_index += 1;
                AreaRow {
                    id: row_id(
                        format!("BU{wijk_code}{b:02}"),
                        names::buurt_name(r),
                        gm,
                        Level::Buurt,
                    ),
                    base: profile::base(&traits, &state),
                    gap_key: rng::key(seed, &[tag::NATIONAL, tag::GAPS, buurt_index as u64]),
                }
            })
            .collect();
        let regio = if gm.alphanumeric {
            wijk_name
        } else {
            format!("Wijk {w:02} {wijk_name}")
        };
        let wijk = AreaRow::aggregate(
            row_id(format!("WK{wijk_code}"), regio, gm, Level::Wijk),
            buurten.iter().map(|b| &b.base),
        );
        blocks.push((wijk, buurten));
    }
    let gemeente = AreaRow::aggregate(
        row_id(
            format!("GM{}", gm.code),
            gm.name.clone(),
            gm,
            Level::Gemeente,
        ),
        blocks.iter().map(|(w, _)| &w.base),
    );
    let mut rows = vec![gemeente];
    for (wijk, buurten) in blocks {
        rows.push(wijk);
        rows.extend(buurten);
    }
    rows
}

/// A national-size synthetic KWB CSV for benchmarks, in the same format as the Veerstad files
/// (`;`, decimal comma, `.` for missing, the same 121 columns; edition 2023 rules).
///
/// Rows: one `NL00` row (the exact sum of all gemeenten), then 342 gemeenten (`GM0001` …), each
/// followed per wijk by the wijk row and its buurten: 3,300 wijken and 13,500 buurten, 17,143
/// data rows in all. The four largest gemeenten use letter pairs in their wijk codes
/// (`WK0069AD`, `BU0069AD03`). The same seed gives the same text.
pub fn national_kwb_csv(seed: u64) -> String {
    let mut r = rng::stream(seed, &[tag::NATIONAL]);
    let gemeenten = plan_gemeenten(&mut r);
    let wijk_weights: Vec<f64> = (0..WIJKEN).map(|_| r.factor(0.6)).collect();
    let buurten = allocate(BUURTEN, &wijk_weights, 1, 99);
    let mut body = String::with_capacity(BUURTEN * 700);
    let mut nederland = Base::zero();
    let (mut first_wijk, mut first_buurt) = (0, 0);
    for gm in &gemeenten {
        let per_wijk = &buurten[first_wijk..first_wijk + gm.wijken];
        let rows = gemeente_rows(&mut r, seed, gm, per_wijk, first_buurt);
        nederland += &rows[0].base;
        publish::write_rows(&mut body, &rows, YEAR);
        first_wijk += gm.wijken;
        first_buurt += per_wijk.iter().sum::<usize>();
    }
    let mut out = publish::kwb_csv(
        &[AreaRow {
            id: RowId::nederland(),
            base: nederland,
            gap_key: 0,
        }],
        YEAR,
    );
    out.push_str(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::wijk_part;

    #[test]
    fn wijk_codes() {
        assert_eq!(wijk_part(false, 7), "07");
        assert_eq!(wijk_part(true, 3), "AD");
        assert_eq!(wijk_part(true, 27), "BB");
    }
}
