//! Importing an area table through a [`Mapping`]: benefits per buurt, Wmo per
//! wijk, registered crime, Leefbaarometer scores, or any table a user maps.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use veerkracht_dataset::{
    Area, AreaCode, Catalogue, Edition, ImportBatch, Indicator, Observation, Value,
};

use crate::error::{IngestError, Result};
use crate::mapping::{Filter, Mapping, Periods};
use crate::rows::{cell_value, find_id_columns, import_flags, is_identity, row_area, row_edition};
use crate::text::{RawTable, odata_stem};

struct Resolved {
    col: usize,
    indicator: u16,
    filter: Option<(usize, String)>,
    rounding: Option<u32>,
    /// A denominator of another family the table carries ([`Flags::CARRIED`]).
    carried: bool,
}

fn find_column(t: &RawTable, name: &str) -> Option<usize> {
    t.column(name)
        .or_else(|| t.column_any(&[name]))
        .or_else(|| t.column_stem(name))
}

fn nth_stem(t: &RawTable, stem: &str, occurrence: u8) -> Option<usize> {
    t.headers
        .iter()
        .enumerate()
        .filter(|(_, h)| odata_stem(h).0 == stem && odata_stem(h).1.is_some())
        .nth(occurrence as usize)
        .map(|(i, _)| i)
}

fn resolve_filter(t: &RawTable, f: &Filter) -> Option<(usize, String)> {
    find_column(t, &f.column).map(|c| (c, f.equals.trim().to_string()))
}

/// Sort key of a period text within its year: months, quarters, half years, whole year.
pub fn period_rank(p: &str) -> u32 {
    let year = crate::rows::year_in(p).unwrap_or(0) as u32;
    let l = p.to_lowercase();
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let sub = if let Some(m) = MONTHS.iter().position(|m| l.contains(m)) {
        (m as u32 + 1) * 10
    } else if l.contains("1e halfjaar") || l.contains("hj01") {
        60
    } else if l.contains("2e halfjaar") || l.contains("hj02") {
        125
    } else if let Some(q) = ["1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal"]
        .iter()
        .position(|q| l.contains(q))
    {
        (q as u32 + 1) * 30
    } else if let Some(i) = l.find("kw0") {
        l[i + 3..]
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .map(|q| q * 30)
            .unwrap_or(0)
    } else if let Some(i) = l.find("mm") {
        l[i + 2..]
            .get(..2)
            .and_then(|s| s.parse::<u32>().ok())
            .map(|m| m * 10)
            .unwrap_or(0)
    } else {
        130 // a whole year (JJ00) sorts after its parts
    };
    year * 1000 + sub
}

/// Imports a table with a mapping. `file_edition` is used when rows carry no year or period.
pub fn import_with_mapping(
    t: &RawTable,
    m: &Mapping,
    catalogue: &Catalogue,
    file_edition: Option<Edition>,
) -> Result<ImportBatch> {
    let ids = find_id_columns(t, &m.code_columns)?;
    let mut batch = ImportBatch::default();
    let mut indicators: Vec<Indicator> = Vec::new();
    let index_of = |ind: &Indicator, indicators: &mut Vec<Indicator>| -> u16 {
        match indicators.iter().position(|i| i.id == ind.id) {
            Some(k) => k as u16,
            None => {
                indicators.push(ind.clone());
                (indicators.len() - 1) as u16
            }
        }
    };
    let mut filters = Vec::new();
    for f in &m.filter {
        match resolve_filter(t, f) {
            Some(r) => filters.push(r),
            None => batch.warnings.push(format!(
                "filter column '{}' is not in the file; all rows were used",
                f.column
            )),
        }
    }
    let mut measures: Vec<Resolved> = Vec::new();
    let mut missing_measures = Vec::new();
    for ms in &m.measure {
        let col = ms
            .columns
            .iter()
            .find_map(|c| t.column_any(&[c.as_str()]))
            .or_else(|| {
                ms.odata
                    .as_ref()
                    .and_then(|o| nth_stem(t, &o.stem, o.occurrence))
            });
        let Some(col) = col else {
            missing_measures.push(ms.indicator.clone());
            continue;
        };
        let ind = catalogue
            .get(&ms.indicator)
            .cloned()
            .unwrap_or_else(|| Indicator::uncatalogued(&ms.indicator, &m.family));
        let filter = match &ms.filter {
            Some(f) => match resolve_filter(t, f) {
                Some(r) => Some(r),
                None => {
                    missing_measures.push(format!("{} (column {} absent)", ms.indicator, f.column));
                    continue;
                }
            },
            None => None,
        };
        measures.push(Resolved {
            col,
            indicator: index_of(&ind, &mut indicators),
            filter,
            rounding: ms.rounding.or(m.rounding),
            carried: ms.carried,
        });
    }
    if m.auto {
        let mut stem_seen: HashMap<&str, u8> = HashMap::new();
        let mut ignored = Vec::new();
        for (j, h) in t.headers.iter().enumerate() {
            if h.is_empty() || is_identity(h) || measures.iter().any(|r| r.col == j) {
                continue;
            }
            let (stem, suffix) = odata_stem(h);
            let by_code = catalogue
                .by_code(h, &m.family)
                .filter(|i| i.family == m.family);
            let ind = match (by_code, suffix) {
                (Some(i), _) => Some(i),
                (None, Some(_)) => {
                    let occ = stem_seen.entry(stem).or_insert(0);
                    let f = catalogue.by_odata_stem(stem, *occ, &m.family);
                    *occ = occ.saturating_add(1);
                    f
                }
                _ => None,
            };
            match ind {
                Some(i) if !indicators.iter().any(|x| x.id == i.id) => {
                    let k = index_of(i, &mut indicators);
                    measures.push(Resolved {
                        col: j,
                        indicator: k,
                        filter: None,
                        rounding: m.rounding,
                        carried: false,
                    });
                }
                _ => ignored.push(h.clone()),
            }
        }
        if !ignored.is_empty() {
            batch.warnings.push(format!(
                "columns not used by mapping {} (not in family '{}'): {}",
                m.table,
                m.family,
                ignored.join(", ")
            ));
        }
    }
    if !missing_measures.is_empty() {
        batch.warnings.push(format!(
            "measures of mapping {} not found in the file: {}",
            m.table,
            missing_measures.join(", ")
        ));
    }
    if measures.is_empty() {
        return Err(IngestError::new(
            &t.file,
            "no_measures",
            format!(
                "none of the columns of mapping '{}' ({}) is in the file",
                m.table, m.title
            ),
            "check that the file is that table, or pass a matching --mapping",
        )
        .at_line(1));
    }

    // (edition, code, indicator) → (period rank, period, line, value, flags)
    type Key = (Edition, AreaCode, u16);
    let mut cells: BTreeMap<Key, (u32, String, usize, Value, veerkracht_dataset::Flags)> =
        BTreeMap::new();
    let mut areas: BTreeMap<(Edition, AreaCode), Area> = BTreeMap::new();
    let mut skipped = 0usize;
    let blank = Some(Value::Missing(m.blank.missing()));
    'rows: for (line, row) in &t.rows {
        for (c, want) in &filters {
            if t.cell(row, *c) != want {
                continue 'rows;
            }
        }
        let Some(ra) = row_area(t, row, *line, &ids, m.skip_rows_without_code)? else {
            skipped += 1;
            continue;
        };
        let edition = row_edition(t, row, *line, &ids, file_edition)?;
        let period = ids
            .period
            .map(|c| t.cell(row, c).to_string())
            .unwrap_or_default();
        let rank = period_rank(&period);
        let mut area = Area::new(ra.code, ra.name.clone(), edition);
        area.change_code = ra.change;
        let level = area.level;
        areas.insert((edition, ra.code), area);
        for r in &measures {
            if let Some((fc, fv)) = &r.filter
                && t.cell(row, *fc) != fv
            {
                continue;
            }
            let Some(value) = cell_value(t, row, *line, r.col, blank)? else {
                continue;
            };
            let ind = &indicators[r.indicator as usize];
            let mut flags = import_flags(ind, level, &value, r.rounding);
            if r.carried {
                flags = flags | veerkracht_dataset::Flags::CARRIED;
            }
            let key = (edition, ra.code, r.indicator);
            match cells.get(&key) {
                Some((old_rank, old_period, old_line, _, _)) => {
                    let later = m.periods == Periods::Latest && rank > *old_rank;
                    if m.periods == Periods::Single || rank == *old_rank {
                        return Err(IngestError::new(
                            &t.file,
                            "duplicate_code",
                            format!(
                                "area {} has a second value for {} in {edition}{} (first on line {old_line})",
                                ra.code,
                                ind.id,
                                if old_period.is_empty() { String::new() } else { format!(" period '{old_period}'") }
                            ),
                            "remove the duplicate row; each area may appear once per edition and period",
                        )
                        .at_line(*line)
                        .at_column(&t.headers[ids.code]));
                    }
                    if later {
                        cells.insert(key, (rank, period.clone(), *line, value, flags));
                    }
                }
                None => {
                    cells.insert(key, (rank, period.clone(), *line, value, flags));
                }
            }
        }
    }
    if skipped > 0 {
        batch.warnings.push(format!(
            "{skipped} row(s) without an area code were skipped (CBS left the code empty)"
        ));
    }
    let periods: BTreeSet<&str> = cells
        .values()
        .map(|c| c.1.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    if !periods.is_empty() {
        batch.warnings.push(format!(
            "period(s) used: {}",
            periods.iter().copied().collect::<Vec<_>>().join(", ")
        ));
    }
    let period_text =
        (!periods.is_empty()).then(|| periods.iter().copied().collect::<Vec<_>>().join(", "));
    batch.observations = cells
        .iter()
        .map(
            |(&(edition, area, indicator), &(_, _, _, value, flags))| Observation {
                edition,
                area,
                indicator,
                value,
                flags,
            },
        )
        .collect();
    batch.areas = areas.into_values().collect();
    batch.indicators = indicators;
    batch.source = Some(veerkracht_dataset::SourceInfo {
        id: 0,
        file: t.file.clone(),
        sha256: String::new(),
        table: Some(m.table.clone()),
        family: m.family.clone(),
        format: t.format.to_string(),
        period: period_text,
        rows: t.rows.len(),
        synthetic: false,
    });
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_order() {
        assert!(period_rank("2024 september") > period_rank("2024 juni"));
        assert!(period_rank("2024 juni") > period_rank("2024 maart"));
        assert!(period_rank("2e halfjaar 2024") > period_rank("1e halfjaar 2024"));
        assert!(period_rank("2019JJ00") > period_rank("2018JJ00"));
        assert!(period_rank("2024MM11") > period_rank("2024MM02"));
    }
}
