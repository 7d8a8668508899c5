//! CBS Kerncijfers wijken en buurten (KWB) tables: the StatLine/OData CSV
//! download (OData keys with `_NN` suffixes), CBS's own CSV/XLSX with KWB short
//! codes, and cleaned CSVs with short codes. Columns are resolved through the
//! catalogue: short code or alias first, then OData key stem with its occurrence
//! number; unknown columns are kept as uncatalogued indicators (never dropped).

use std::collections::HashMap;

use veerkracht_dataset::{
    Area, Catalogue, Edition, ImportBatch, Indicator, Missing, Observation, Value,
};

use crate::error::Result;
use crate::rows::{
    DuplicateGuard, cell_value, find_id_columns, import_flags, is_identity, row_area, row_edition,
};
use crate::text::{RawTable, odata_stem};

/// How each non-identity column maps to an indicator.
pub struct ColumnMap {
    /// (column index, index into `indicators`).
    pub columns: Vec<(usize, u16)>,
    /// Indicators referenced.
    pub indicators: Vec<Indicator>,
    /// Remarks (uncatalogued or duplicate columns).
    pub warnings: Vec<String>,
}

/// Maps the KWB columns of a table to catalogue indicators.
pub fn map_kwb_columns(t: &RawTable, catalogue: &Catalogue, family: &str) -> ColumnMap {
    let mut stem_seen: HashMap<&str, u8> = HashMap::new();
    let mut by_id: HashMap<String, u16> = HashMap::new();
    let mut map = ColumnMap {
        columns: Vec::new(),
        indicators: Vec::new(),
        warnings: Vec::new(),
    };
    let mut uncatalogued = Vec::new();
    for (j, h) in t.headers.iter().enumerate() {
        if h.is_empty() || is_identity(h) {
            continue;
        }
        let (stem, suffix) = odata_stem(h);
        let ind = match catalogue.by_code(h, family) {
            Some(i) => Some(i.clone()),
            None if suffix.is_some() => {
                let occ = stem_seen.entry(stem).or_insert(0);
                let found = catalogue.by_odata_stem(stem, *occ, family).cloned();
                *occ = occ.saturating_add(1);
                found
            }
            None => None,
        };
        let ind = ind.unwrap_or_else(|| {
            uncatalogued.push(h.clone());
            Indicator::uncatalogued(h, family)
        });
        if by_id.contains_key(&ind.id) {
            map.warnings.push(format!("column '{h}' maps to indicator '{}' which an earlier column already fills; kept the earlier column", ind.id));
            continue;
        }
        let k = map.indicators.len() as u16;
        by_id.insert(ind.id.clone(), k);
        map.indicators.push(ind);
        map.columns.push((j, k));
    }
    if !uncatalogued.is_empty() {
        map.warnings.push(format!(
            "{} column(s) not in the indicator catalogue were kept as uncatalogued indicators: {}",
            uncatalogued.len(),
            uncatalogued.join(", ")
        ));
    }
    map
}

/// Imports a KWB table. `file_edition` is used when rows carry no year.
pub fn import_kwb(
    t: &RawTable,
    catalogue: &Catalogue,
    file_edition: Option<Edition>,
) -> Result<ImportBatch> {
    let ids = find_id_columns(t, &[])?;
    let map = map_kwb_columns(t, catalogue, "kwb");
    let mut batch = ImportBatch {
        warnings: map.warnings.clone(),
        ..ImportBatch::default()
    };
    // Columns with no number at all in the file (only blanks or '.') are "not yet published":
    // CBS fills themes that come later in a staged release with '.' (or leaves them empty).
    let empty: Vec<bool> = map
        .columns
        .iter()
        .map(|&(j, _)| t.rows.iter().all(|(_, r)| matches!(t.cell(r, j), "" | ".")))
        .collect();
    let mut guard = DuplicateGuard::default();
    let mut editions = std::collections::BTreeSet::new();
    batch.observations.reserve(t.rows.len() * map.columns.len());
    for (line, row) in &t.rows {
        let Some(ra) = row_area(t, row, *line, &ids, false)? else {
            continue;
        };
        let edition = row_edition(t, row, *line, &ids, file_edition)?;
        editions.insert(edition);
        guard.check(t, (edition, String::new(), ra.code), *line, ids.code)?;
        let mut area = Area::new(ra.code, ra.name, edition);
        area.change_code = ra.change;
        let level = area.level;
        batch.areas.push(area);
        for (c, &(j, k)) in map.columns.iter().enumerate() {
            if empty[c] {
                continue;
            }
            let Some(value) = cell_value(
                t,
                row,
                *line,
                j,
                Some(Value::Missing(Missing::NotAvailable)),
            )?
            else {
                continue;
            };
            let flags = import_flags(&map.indicators[k as usize], level, &value, None);
            batch.observations.push(Observation {
                edition,
                area: ra.code,
                indicator: k,
                value,
                flags,
            });
        }
    }
    for edition in editions {
        for (c, &(_, k)) in map.columns.iter().enumerate() {
            if empty[c] {
                batch.unpublished.push((edition, k));
            }
        }
    }
    let n_unpub = empty.iter().filter(|e| **e).count();
    if n_unpub > 0 {
        batch.warnings.push(format!("{n_unpub} column(s) have no number in the whole file and are recorded as not yet published"));
    }
    batch.indicators = map.indicators;
    Ok(batch)
}
