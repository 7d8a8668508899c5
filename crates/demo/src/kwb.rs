//! The Veerstad KWB tables: base quantities per buurt and year, and the rows of each edition
//! (Nederland, the gemeente, then per wijk the wijk row followed by its buurten).

use crate::profile::{self, FIRST_YEAR};
use crate::publish::{AreaRow, Level, RowId};
use crate::quantity::Base;
use crate::region::{GM_DIGITS, GM_NAME, Region, YEARS};
use crate::rng::{self, tag};

/// Exact base quantities of every buurt in every edition in which it exists.
pub(crate) struct Panel {
    bases: Vec<Vec<Option<Base>>>,
}

impl Panel {
    /// Runs the profile generator for all buurten and years.
    pub(crate) fn new(region: &Region) -> Self {
        let bases = region
            .buurten
            .iter()
            .map(|b| {
                YEARS
                    .map(|y| {
                        b.exists_in(y)
                            .then(|| profile::base(&b.traits, &b.state(y)))
                    })
                    .collect()
            })
            .collect();
        Panel { bases }
    }

    /// The base of buurt `i` in `year`, if it exists then.
    pub(crate) fn base(&self, i: usize, year: i32) -> Option<&Base> {
        self.bases[i].get((year - FIRST_YEAR) as usize)?.as_ref()
    }
}

fn id(code: String, regio: &str, level: Level, ind_wbi: Option<u8>) -> RowId {
    RowId {
        code,
        regio: regio.to_string(),
        gm_naam: GM_NAME.to_string(),
        level,
        ind_wbi,
    }
}

/// The `Nederland` row of an edition.
pub(crate) fn nederland_row(year: i32) -> AreaRow {
    AreaRow {
        id: RowId::nederland(),
        base: profile::nederland(year),
        gap_key: 0,
    }
}

/// The row of buurt `i` in `year` (which must exist then).
pub(crate) fn buurt_row(region: &Region, panel: &Panel, i: usize, year: i32, seed: u64) -> AreaRow {
    let b = &region.buurten[i];
    AreaRow {
        id: id(
            b.code.clone(),
            b.name_in(year),
            Level::Buurt,
            Some(b.ind_wbi(year)),
        ),
        base: panel
            .base(i, year)
            .expect("buurt exists in this year")
            .clone(),
        gap_key: rng::key(seed, &[tag::GAPS, year as u64, i as u64]),
    }
}

/// All rows of the edition `year`, in CBS order.
pub(crate) fn rows(region: &Region, panel: &Panel, year: i32, seed: u64) -> Vec<AreaRow> {
    let mut wijk_blocks = Vec::with_capacity(region.wijken.len());
    for (w, wijk) in region.wijken.iter().enumerate() {
        let buurten: Vec<AreaRow> = region
            .buurten_in(w, year)
            .map(|i| buurt_row(region, panel, i, year, seed))
            .collect();
        let wijk_row = AreaRow::aggregate(
            id(wijk.code(), &wijk.name, Level::Wijk, Some(1)),
            buurten.iter().map(|r| &r.base),
        );
        wijk_blocks.push((wijk_row, buurten));
    }
    let gemeente = AreaRow::aggregate(
        id(format!("GM{GM_DIGITS}"), GM_NAME, Level::Gemeente, Some(1)),
        wijk_blocks.iter().map(|(w, _)| &w.base),
    );
    let mut out = vec![nederland_row(year), gemeente];
    for (wijk_row, buurten) in wijk_blocks {
        out.push(wijk_row);
        out.extend(buurten);
    }
    out
}
