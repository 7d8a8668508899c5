//! The in-memory dataset: areas per edition, observations, geometries and sources.
//!
//! Importers produce [`ImportBatch`]es; the workspace store persists them; a
//! [`Dataset`] is what engines and outputs read. Nothing here does I/O.

use std::collections::{BTreeMap, HashMap};

use geo_types::MultiPolygon;

use crate::catalogue::{Catalogue, Indicator, Unit};
use crate::code::{AreaCode, Level};
use crate::value::{Flags, Missing, SMALL_DENOMINATOR, Value};

/// An edition is a year: the regional division and reference year of the figures.
pub type Edition = u16;

/// An area (gemeente, wijk, buurt or the land) as it exists in one edition.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Area {
    /// Normalised code.
    pub code: AreaCode,
    /// Name in that edition.
    pub name: String,
    /// Level (follows from the code).
    pub level: Level,
    /// Parent by code structure.
    pub parent: Option<AreaCode>,
    /// Edition (geography year).
    pub edition: Edition,
    /// CBS `IndelingswijzigingWijkenEnBuurten` / `ind_wbi` code, when published (1 = unchanged).
    pub change_code: Option<u8>,
}

impl Area {
    /// An area whose level and parent follow from its code.
    pub fn new(code: AreaCode, name: impl Into<String>, edition: Edition) -> Area {
        Area {
            code,
            name: name.into(),
            level: code.level(),
            parent: code.parent(),
            edition,
            change_code: None,
        }
    }
}

/// Where a batch of observations came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceInfo {
    /// Id assigned by the store (0 before storing).
    pub id: u32,
    /// File name as given (no directories).
    pub file: String,
    /// SHA-256 of the file bytes (plus the mapping used), hex; makes re-import idempotent.
    pub sha256: String,
    /// Source table id, when known (`85984NED`).
    pub table: Option<String>,
    /// Source family (`kwb`, `benefits`, `wmo`, `crime`, `leefbaarometer`, `geometry`).
    pub family: String,
    /// Input format (`kwb-csv`, `statline-csv`, `odata-csv`, `odata-json`, `xlsx`, `geojson`, `gpkg`, `table-csv`).
    pub format: String,
    /// Period(s) the figures refer to, when the table has periods (`2024 september`).
    pub period: Option<String>,
    /// Data rows read.
    pub rows: usize,
    /// True for the synthetic demo region.
    pub synthetic: bool,
}

/// One observed cell in a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Edition.
    pub edition: Edition,
    /// Area.
    pub area: AreaCode,
    /// Index into [`ImportBatch::indicators`].
    pub indicator: u16,
    /// The value or why it is missing.
    pub value: Value,
    /// Producer-side flags known at import (e.g. rounded).
    pub flags: Flags,
}

/// A geometry for one area in one edition, in RD New (EPSG:28992) metres.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryRecord {
    /// Edition.
    pub edition: Edition,
    /// Area.
    pub code: AreaCode,
    /// Polygon(s) in RD New.
    pub geometry: MultiPolygon<f64>,
}

/// Everything one import of one file produced.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    /// Provenance.
    pub source: Option<SourceInfo>,
    /// Areas seen (with names).
    pub areas: Vec<Area>,
    /// The indicators the observations refer to (catalogued entries or uncatalogued columns).
    pub indicators: Vec<Indicator>,
    /// Observations.
    pub observations: Vec<Observation>,
    /// Geometries.
    pub geometries: Vec<GeometryRecord>,
    /// Indicator columns (index into `indicators`) that are empty in the whole file for an
    /// edition: not yet published (staged publication). Every area of that edition without a
    /// cell reads as [`Missing::NotYetPublished`].
    pub unpublished: Vec<(Edition, u16)>,
    /// Non-fatal remarks for the user (unknown columns kept as uncatalogued, periods chosen, …).
    pub warnings: Vec<String>,
}

/// A cell in the dataset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Value.
    pub value: Value,
    /// Flags: producer flags from import plus reliability derived on read.
    pub flags: Flags,
    /// Source id.
    pub source: u32,
}

/// One indicator's column of an edition: per area the value, its flags and the source id.
type Column = Vec<Option<(Value, Flags, u32)>>;

/// Data of one edition: its areas (in import order), one column of cells per indicator id
/// (one slot per area, `None` where the area has no cell) and the areas' geometries.
/// Built only through [`Dataset`] imports, so every column is as long as the area list.
#[derive(Debug, Clone, Default)]
pub struct EditionData {
    areas: Vec<Area>,
    index: HashMap<AreaCode, usize>,
    columns: BTreeMap<String, Column>,
    geometries: BTreeMap<AreaCode, MultiPolygon<f64>>,
}

impl EditionData {
    fn area_index(&mut self, area: &Area) -> usize {
        if let Some(&i) = self.index.get(&area.code) {
            let a = &mut self.areas[i];
            if a.name.is_empty() || (!area.name.is_empty() && a.name != area.name) {
                a.name = area.name.clone();
            }
            if area.change_code.is_some() {
                a.change_code = area.change_code;
            }
            return i;
        }
        let i = self.areas.len();
        self.index.insert(area.code, i);
        self.areas.push(area.clone());
        for col in self.columns.values_mut() {
            col.push(None);
        }
        i
    }

    fn ensure_area(&mut self, code: AreaCode, edition: Edition) -> usize {
        match self.index.get(&code) {
            Some(&i) => i,
            None => self.area_index(&Area::new(code, "", edition)),
        }
    }

    /// Areas of this edition, in import order.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// Ids of indicators with at least one cell (number or missing) in this edition.
    pub fn indicator_ids(&self) -> impl Iterator<Item = &str> {
        self.columns.keys().map(String::as_str)
    }

    /// The geometry of an area, if imported.
    pub fn geometry(&self, code: &AreaCode) -> Option<&MultiPolygon<f64>> {
        self.geometries.get(code)
    }

    /// All geometries of this edition.
    pub fn geometries(&self) -> &BTreeMap<AreaCode, MultiPolygon<f64>> {
        &self.geometries
    }
}

/// The dataset: the catalogue, editions with their areas, values and geometries, and sources.
#[derive(Debug, Clone)]
pub struct Dataset {
    catalogue: Catalogue,
    editions: BTreeMap<Edition, EditionData>,
    sources: Vec<SourceInfo>,
}

impl Default for Dataset {
    fn default() -> Self {
        Dataset::new(Catalogue::embedded())
    }
}

impl Dataset {
    /// An empty dataset over a catalogue.
    pub fn new(catalogue: Catalogue) -> Dataset {
        Dataset {
            catalogue,
            editions: BTreeMap::new(),
            sources: Vec::new(),
        }
    }

    /// The catalogue (embedded entries plus uncatalogued columns met in files).
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Records a source.
    pub fn add_source(&mut self, source: SourceInfo) {
        self.sources.push(source);
    }

    /// All sources, in import order.
    pub fn sources(&self) -> &[SourceInfo] {
        &self.sources
    }

    /// Adds an area (or updates its name).
    pub fn add_area(&mut self, area: &Area) {
        self.editions
            .entry(area.edition)
            .or_default()
            .area_index(area);
    }

    /// Sets one cell; later sets overwrite earlier ones (newest import wins).
    pub fn set_value(
        &mut self,
        edition: Edition,
        area: AreaCode,
        indicator: &Indicator,
        value: Value,
        flags: Flags,
        source: u32,
    ) {
        if !indicator.catalogued {
            self.catalogue.add_uncatalogued(indicator.clone());
        }
        let ed = self.editions.entry(edition).or_default();
        let i = ed.ensure_area(area, edition);
        let n = ed.areas.len();
        let col = ed
            .columns
            .entry(indicator.id.clone())
            .or_insert_with(|| vec![None; n]);
        col[i] = Some((value, flags, source));
    }

    /// Sets the geometry of an area.
    pub fn set_geometry(&mut self, edition: Edition, code: AreaCode, geometry: MultiPolygon<f64>) {
        let ed = self.editions.entry(edition).or_default();
        ed.ensure_area(code, edition);
        ed.geometries.insert(code, geometry);
    }

    /// Absorbs a whole batch, with `source` as the source id of its cells.
    pub fn add_batch(&mut self, batch: &ImportBatch, source: u32) {
        if let Some(s) = &batch.source {
            let mut s = s.clone();
            s.id = source;
            self.sources.push(s);
        }
        for a in &batch.areas {
            self.add_area(a);
        }
        // Resolve each column once per (edition, indicator) and each row once per run of
        // observations of one area (2 M cells for a national file: a map lookup per cell was
        // half of the import time; see bench/README.md).
        let mut editions: Vec<Edition> = Vec::new();
        let mut last_e = None;
        for o in &batch.observations {
            if last_e != Some(o.edition) {
                last_e = Some(o.edition);
                if !editions.contains(&o.edition) {
                    editions.push(o.edition);
                }
            }
        }
        for e in editions {
            let ed = self.editions.entry(e).or_default();
            let mut last: Option<AreaCode> = None;
            for o in batch.observations.iter().filter(|o| o.edition == e) {
                if last != Some(o.area) {
                    ed.ensure_area(o.area, e);
                    last = Some(o.area);
                }
            }
            let n = ed.areas.len();
            let mut cols: Vec<Option<Column>> = (0..batch.indicators.len()).map(|_| None).collect();
            let mut last: Option<(AreaCode, usize)> = None;
            for o in batch.observations.iter().filter(|o| o.edition == e) {
                let k = o.indicator as usize;
                let Some(ind) = batch.indicators.get(k) else {
                    continue;
                };
                let i = match last {
                    Some((a, i)) if a == o.area => i,
                    _ => {
                        let i = ed.index[&o.area];
                        last = Some((o.area, i));
                        i
                    }
                };
                let col = cols[k].get_or_insert_with(|| {
                    if !ind.catalogued {
                        self.catalogue.add_uncatalogued(ind.clone());
                    }
                    ed.columns.remove(&ind.id).unwrap_or_else(|| vec![None; n])
                });
                // The same rule as the workspace's (store): a missing value does not replace
                // a number, a carried denominator does not replace its own table's value.
                let old = col[i].map(|(v, f, _)| (v.number().is_some(), f));
                if o.flags.replaces(o.value.number().is_some(), old) {
                    col[i] = Some((o.value, o.flags, source));
                }
            }
            for (k, c) in cols.into_iter().enumerate() {
                if let Some(c) = c {
                    ed.columns.insert(batch.indicators[k].id.clone(), c);
                }
            }
        }
        for g in &batch.geometries {
            self.set_geometry(g.edition, g.code, g.geometry.clone());
        }
        for &(edition, ind) in &batch.unpublished {
            if let Some(ind) = batch.indicators.get(ind as usize) {
                self.mark_unpublished(edition, ind, source);
            }
        }
    }

    /// Marks an indicator as not yet published in an edition: every area of the edition
    /// without a cell for it gets [`Missing::NotYetPublished`].
    pub fn mark_unpublished(&mut self, edition: Edition, indicator: &Indicator, source: u32) {
        if !indicator.catalogued {
            self.catalogue.add_uncatalogued(indicator.clone());
        }
        let ed = self.editions.entry(edition).or_default();
        let n = ed.areas.len();
        let col = ed
            .columns
            .entry(indicator.id.clone())
            .or_insert_with(|| vec![None; n]);
        for c in col.iter_mut().filter(|c| c.is_none()) {
            *c = Some((
                Value::Missing(Missing::NotYetPublished),
                Flags::empty(),
                source,
            ));
        }
    }

    /// Editions present, ascending.
    pub fn editions(&self) -> Vec<Edition> {
        self.editions.keys().copied().collect()
    }

    /// The data of one edition.
    pub fn edition(&self, edition: Edition) -> Option<&EditionData> {
        self.editions.get(&edition)
    }

    /// Areas of an edition at a level, in code order.
    pub fn areas(&self, edition: Edition, level: Level) -> Vec<&Area> {
        let mut v: Vec<&Area> = self
            .editions
            .get(&edition)
            .map(|e| e.areas.iter().filter(|a| a.level == level).collect())
            .unwrap_or_default();
        v.sort_by_key(|a| a.code);
        v
    }

    /// One area.
    pub fn area(&self, edition: Edition, code: &AreaCode) -> Option<&Area> {
        let e = self.editions.get(&edition)?;
        e.index.get(code).map(|&i| &e.areas[i])
    }

    /// The cell of an indicator for an area, with reliability flags derived on read:
    /// `SMALL_DENOMINATOR` when the catalogue names a denominator whose value for the
    /// same area and edition is below 50 (or missing/zero for a share).
    pub fn cell(&self, edition: Edition, code: &AreaCode, indicator: &str) -> Option<Cell> {
        let e = self.editions.get(&edition)?;
        let i = *e.index.get(code)?;
        let (value, mut flags, source) = (*e.columns.get(indicator)?.get(i)?)?;
        if let (Value::Number(_), Some(ind)) = (value, self.catalogue.get(indicator))
            && let Some(den) = ind.denominator.as_deref()
        {
            let is_share = matches!(
                ind.unit,
                Unit::Percent | Unit::Per1000 | Unit::Mean | Unit::Eur1000
            );
            let den_value = e
                .columns
                .get(den)
                .and_then(|c| c.get(i).copied().flatten())
                .map(|c| c.0);
            if is_share
                && let Some(Value::Number(d)) = den_value
                && d < SMALL_DENOMINATOR
            {
                flags = flags | Flags::SMALL_DENOMINATOR;
            }
        }
        Some(Cell {
            value,
            flags,
            source,
        })
    }

    /// The cells of one indicator for many areas, in the order of `codes`, each as
    /// [`Dataset::cell`] would return it (same derived flags). Resolves the column, the
    /// catalogue entry and the denominator column once instead of once per area: an index
    /// over 13,500 buurten reads ~600,000 cells (bench/README.md).
    pub fn cells(
        &self,
        edition: Edition,
        codes: &[AreaCode],
        indicator: &str,
    ) -> Vec<Option<Cell>> {
        let Some(e) = self.editions.get(&edition) else {
            return vec![None; codes.len()];
        };
        let Some(col) = e.columns.get(indicator) else {
            return vec![None; codes.len()];
        };
        let den_col = self.catalogue.get(indicator).and_then(|ind| {
            let is_share = matches!(
                ind.unit,
                Unit::Percent | Unit::Per1000 | Unit::Mean | Unit::Eur1000
            );
            if is_share {
                ind.denominator.as_deref().and_then(|d| e.columns.get(d))
            } else {
                None
            }
        });
        codes
            .iter()
            .map(|code| {
                let i = *e.index.get(code)?;
                let (value, mut flags, source) = (*col.get(i)?)?;
                if let (Value::Number(_), Some(dc)) = (value, den_col)
                    && let Some(Some((Value::Number(d), _, _))) = dc.get(i)
                    && *d < SMALL_DENOMINATOR
                {
                    flags = flags | Flags::SMALL_DENOMINATOR;
                }
                Some(Cell {
                    value,
                    flags,
                    source,
                })
            })
            .collect()
    }

    /// The number of an indicator for an area, if published.
    pub fn number(&self, edition: Edition, code: &AreaCode, indicator: &str) -> Option<f64> {
        self.cell(edition, code, indicator)
            .and_then(|c| c.value.number())
    }

    /// Coverage of every indicator present in an edition at a level.
    pub fn coverage(&self, edition: Edition, level: Level) -> Vec<Coverage> {
        let Some(e) = self.editions.get(&edition) else {
            return Vec::new();
        };
        let idx: Vec<(usize, &Area)> = e
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| a.level == level)
            .collect();
        let mut out = Vec::new();
        for id in e.columns.keys() {
            let mut c = Coverage {
                indicator: id.clone(),
                areas: idx.len(),
                ..Coverage::default()
            };
            for (i, a) in &idx {
                match self.cell(edition, &a.code, id) {
                    None => c.absent += 1,
                    Some(cell) => {
                        match cell.value {
                            Value::Number(_) => c.numbers += 1,
                            Value::Missing(m) => *c.missing.entry(m).or_default() += 1,
                        }
                        if cell.flags.contains(Flags::ROUNDED) {
                            c.rounded += 1;
                        }
                        if cell.flags.contains(Flags::SMALL_DENOMINATOR) {
                            c.small_denominator += 1;
                        }
                    }
                }
                let _ = i;
            }
            if c.numbers + c.missing.values().sum::<usize>() > 0 {
                out.push(c);
            }
        }
        out
    }
}

/// How well one indicator covers the areas of one level in one edition.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// Indicator id.
    pub indicator: String,
    /// Areas at the level.
    pub areas: usize,
    /// Areas with a number.
    pub numbers: usize,
    /// Areas with a missing value, by reason.
    pub missing: BTreeMap<Missing, usize>,
    /// Areas with no cell at all for this indicator.
    pub absent: usize,
    /// Numbers flagged as rounded.
    pub rounded: usize,
    /// Numbers flagged as having a small denominator.
    pub small_denominator: usize,
}
