//! Area data from Python: the workspace (open, import, tables, shapes), the index (scores,
//! rank bands, the signal, the corporatiebuurt comparison) and spatial statistics (weights,
//! Moran, local Moran, local G). Results cross as JSON text or dicts of columns; the Python
//! package builds the DataFrames.

use std::ops::Range;
use std::path::Path;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use veerkracht_dataset::{AreaCode, Catalogue, Dataset, Level, Value};
use veerkracht_index::Definition;
use veerkracht_ingest::{ImportOptions, import_bytes};
use veerkracht_spatial::{Contiguity, LocalOptions, Transform, Weights};
use veerkracht_store::Workspace as Store;

use crate::err;

/// Most files one `import_files` call reads.
const MAX_FILES: usize = 1_000;
/// Most Monte Carlo runs for rank bands per call.
const MAX_INDEX_RUNS: usize = 100_000;
/// Most permutations of a spatial statistic.
const MAX_PERMUTATIONS: usize = 99_999;
/// Most units (areas) a spatial statistic takes from Python.
const MAX_UNITS: usize = 1_000_000;

fn level(s: &str) -> PyResult<Level> {
    Level::parse(s).ok_or_else(|| err(format!("level {s:?}: use land, gemeente, wijk or buurt")))
}

fn definition(def: Option<&str>) -> PyResult<Definition> {
    let Some(d) = def else {
        return Ok(Definition::veerkracht_basis());
    };
    let (text, file) = if d.contains('\n') {
        (d.to_string(), "definition".to_string())
    } else {
        (
            std::fs::read_to_string(d).map_err(|e| err(format!("{d}: cannot read ({e})")))?,
            d.to_string(),
        )
    };
    Definition::parse(&text, &file, &Catalogue::embedded()).map_err(err)
}

/// The demo region's area files as a workspace in memory (what the CLI uses without a
/// workspace file).
fn demo_dataset() -> PyResult<Dataset> {
    let catalogue = Catalogue::embedded();
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let opts = ImportOptions {
        synthetic: true,
        ..ImportOptions::default()
    };
    let mut batches = Vec::new();
    for f in region.area_files() {
        batches.extend(import_bytes(&f.name, &f.bytes, &catalogue, &opts).map_err(err)?);
    }
    let mut ws = Store::in_memory().map_err(err)?;
    ws.import(&batches).map_err(err)?;
    ws.load(&catalogue).map_err(err)
}

/// A loaded workspace: the areas, values and shapes of every edition.
#[pyclass(frozen, module = "veerkracht._core")]
pub struct Workspace {
    ds: Dataset,
    origin: String,
}

impl Workspace {
    fn edition_or_latest(&self, lvl: Level, edition: Option<u16>) -> PyResult<u16> {
        let e = match edition {
            Some(e) => e,
            None => veerkracht_export::latest_edition(&self.ds, lvl)
                .ok_or_else(|| err(format!("the workspace has no {}", lvl.plural())))?,
        };
        if self.ds.areas(e, lvl).is_empty() {
            return Err(err(format!(
                "edition {e} has no {} — editions present: {:?}",
                lvl.plural(),
                self.ds.editions()
            )));
        }
        Ok(e)
    }
}

#[pymethods]
impl Workspace {
    /// Opens a workspace file (`veerkracht.gpkg`), or the embedded demo region when `path`
    /// is None.
    #[staticmethod]
    #[pyo3(signature = (path=None))]
    fn open(py: Python<'_>, path: Option<&str>) -> PyResult<Workspace> {
        let catalogue = Catalogue::embedded();
        match path {
            None => Ok(Workspace {
                ds: py.detach(demo_dataset)?,
                origin: "demo".into(),
            }),
            Some(p) => {
                let ds = py.detach(|| {
                    Store::open_existing(Path::new(p))
                        .and_then(|w| w.load(&catalogue))
                        .map_err(err)
                })?;
                Ok(Workspace {
                    ds,
                    origin: p.to_string(),
                })
            }
        }
    }

    /// Imports files (KWB CSV/XLSX/OData JSON, GeoJSON, GeoPackage, mapped CBS tables) into
    /// the workspace file `path` (made when missing) in one transaction, as `veerkracht
    /// import` does; returns one JSON text per source (areas, values, warnings).
    #[staticmethod]
    #[pyo3(signature = (path, files, edition=None))]
    fn import_files(
        py: Python<'_>,
        path: &str,
        files: Vec<String>,
        edition: Option<u16>,
    ) -> PyResult<Vec<String>> {
        if files.is_empty() || files.len() > MAX_FILES {
            return Err(err(format!("give 1–{MAX_FILES} files")));
        }
        let catalogue = Catalogue::embedded();
        let opts = ImportOptions {
            edition,
            ..ImportOptions::default()
        };
        py.detach(|| {
            let mut batches = Vec::new();
            for f in &files {
                batches.extend(
                    veerkracht_ingest::import_path(Path::new(f), &catalogue, &opts).map_err(err)?,
                );
            }
            let mut ws = Store::open(Path::new(path)).map_err(err)?;
            let outcomes = ws.import(&batches).map_err(err)?;
            Ok(outcomes
                .iter()
                .map(|o| serde_json::to_string(o).unwrap_or_default())
                .collect())
        })
    }

    /// `demo` or the file this workspace was opened from.
    #[getter]
    fn origin(&self) -> &str {
        &self.origin
    }

    /// The editions present (years).
    fn editions(&self) -> Vec<u16> {
        self.ds.editions()
    }

    /// Whether any source is synthetic (the demo region).
    #[getter]
    fn synthetic(&self) -> bool {
        self.ds.sources().iter().any(|s| s.synthetic)
    }

    /// One level and edition as columns: `code`, `naam`, `gemeente`, then per indicator the
    /// number (None when missing), `{id}__ontbreekt` (why: `not_available`, `secret`,
    /// `nil`, `not_yet_published`, `suppressed`) and `{id}__betrouwbaarheid`
    /// (`afgerond`, `kleine_noemer`).
    #[pyo3(signature = (level_name, edition=None, indicators=None))]
    fn table<'py>(
        &self,
        py: Python<'py>,
        level_name: &str,
        edition: Option<u16>,
        indicators: Option<Vec<String>>,
    ) -> PyResult<(u16, Bound<'py, PyDict>)> {
        let lvl = level(level_name)?;
        let e = self.edition_or_latest(lvl, edition)?;
        let req = veerkracht_export::ExportRequest {
            indicators,
            ..veerkracht_export::ExportRequest::new(lvl, e)
        };
        let t = veerkracht_export::table(&self.ds, &req).map_err(err)?;
        let d = PyDict::new(py);
        d.set_item(
            "code",
            t.rows
                .iter()
                .map(|r| r.code.to_string())
                .collect::<Vec<_>>(),
        )?;
        d.set_item(
            "naam",
            t.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "gemeente",
            t.rows
                .iter()
                .map(|r| r.gemeente.map(|g| g.to_string()))
                .collect::<Vec<_>>(),
        )?;
        for (k, col) in t.indicators.iter().enumerate() {
            let cells = t.rows.iter().map(|r| r.cells[k]);
            d.set_item(
                col.id(),
                cells.clone().map(|c| c.value.number()).collect::<Vec<_>>(),
            )?;
            d.set_item(
                format!("{}__ontbreekt", col.id()),
                cells
                    .clone()
                    .map(|c| match c.value {
                        Value::Missing(m) => Some(m.as_str()),
                        Value::Number(_) => None,
                    })
                    .collect::<Vec<_>>(),
            )?;
            d.set_item(
                format!("{}__betrouwbaarheid", col.id()),
                cells.map(|c| c.reliability()).collect::<Vec<_>>(),
            )?;
        }
        Ok((e, d))
    }

    /// The areas of a level and edition with every indicator, as GeoJSON (WGS84, the
    /// export's properties) — what `veerkracht export --format geojson` writes.
    #[pyo3(signature = (level_name, edition=None, indicators=None))]
    fn geojson(
        &self,
        level_name: &str,
        edition: Option<u16>,
        indicators: Option<Vec<String>>,
    ) -> PyResult<String> {
        let lvl = level(level_name)?;
        let e = self.edition_or_latest(lvl, edition)?;
        let req = veerkracht_export::ExportRequest {
            indicators,
            ..veerkracht_export::ExportRequest::new(lvl, e)
        };
        let t = veerkracht_export::table(&self.ds, &req).map_err(err)?;
        Ok(veerkracht_export::geojson::geojson_string(&self.ds, &t))
    }

    /// The index of a level and edition: JSON `{"edition", "level", "areas": [AreaScore …],
    /// "bands": [AreaBand …] | null, "sobol": […] | null}`; `runs` > 0 adds Monte Carlo
    /// rank bands (`index_with_uncertainty`, the CLI's `--uncertainty`).
    #[pyo3(signature = (definition_=None, level_name=None, edition=None, runs=0, seed=1, sobol_n=0))]
    #[allow(clippy::too_many_arguments)]
    fn index(
        &self,
        py: Python<'_>,
        definition_: Option<&str>,
        level_name: Option<&str>,
        edition: Option<u16>,
        runs: usize,
        seed: u64,
        sobol_n: usize,
    ) -> PyResult<String> {
        if runs > MAX_INDEX_RUNS || sobol_n > MAX_INDEX_RUNS {
            return Err(err(format!("runs and sobol_n: at most {MAX_INDEX_RUNS}")));
        }
        let def = definition(definition_)?;
        let lvl = level_name.map(level).transpose()?.unwrap_or(def.level);
        let e = self.edition_or_latest(lvl, edition)?;
        let ds = &self.ds;
        let out = py.detach(|| {
            if runs > 0 {
                let o = veerkracht_index::uncertainty::Options {
                    runs,
                    seed,
                    sobol_n,
                    ..Default::default()
                };
                let (r, u) = veerkracht_index::index_with_uncertainty(&def, ds, e, lvl, &o);
                serde_json::json!({"edition": e, "level": lvl.as_str(), "areas": r.areas,
                    "bands": u.areas, "sobol": u.sobol, "mean_rank_shift": u.mean_rank_shift})
            } else {
                let r = veerkracht_index::compute(&def, ds, e, lvl);
                serde_json::json!({"edition": e, "level": lvl.as_str(), "areas": r.areas,
                    "bands": null, "sobol": null})
            }
        });
        Ok(out.to_string())
    }

    /// Ranks of the scored areas in Monte Carlo runs `run_start..run_end` of the rank
    /// bands: JSON `{"codes": [...], "ranks": [[rank per code] per run]}`. Run r is the same
    /// in any split, so shards of runs joined in order equal one batch
    /// (`veerkracht.index.bands_from_ranks` turns them into bands).
    #[pyo3(signature = (run_start, run_end, definition_=None, level_name=None, edition=None, seed=1))]
    #[allow(clippy::too_many_arguments)]
    fn index_runs(
        &self,
        py: Python<'_>,
        run_start: usize,
        run_end: usize,
        definition_: Option<&str>,
        level_name: Option<&str>,
        edition: Option<u16>,
        seed: u64,
    ) -> PyResult<String> {
        if run_end <= run_start || run_end - run_start > MAX_INDEX_RUNS {
            return Err(err(format!(
                "runs {run_start}..{run_end}: give 1–{MAX_INDEX_RUNS} runs (start < end)"
            )));
        }
        let def = definition(definition_)?;
        let lvl = level_name.map(level).transpose()?.unwrap_or(def.level);
        let e = self.edition_or_latest(lvl, edition)?;
        let ds = &self.ds;
        let (codes, ranks) = py.detach(|| {
            let o = veerkracht_index::uncertainty::Options {
                seed,
                sobol_n: 0,
                ..Default::default()
            };
            veerkracht_index::uncertainty::rank_runs(
                &def,
                ds,
                e,
                lvl,
                &o,
                Range {
                    start: run_start,
                    end: run_end,
                },
            )
        });
        let codes: Vec<String> = codes.iter().map(AreaCode::to_string).collect();
        Ok(serde_json::json!({"codes": codes, "ranks": ranks}).to_string())
    }

    /// The veerkracht signal between two editions: JSON of `SignalResult`.
    #[pyo3(signature = (from_edition, to_edition, definition_=None, level_name="buurt", tau=None))]
    fn signal(
        &self,
        from_edition: u16,
        to_edition: u16,
        definition_: Option<&str>,
        level_name: &str,
        tau: Option<f64>,
    ) -> PyResult<String> {
        let def = definition(definition_)?;
        let tau = tau.unwrap_or(def.method.signal_dead_band);
        if !(0.0..=3.0).contains(&tau) {
            return Err(err(format!("tau {tau}: give 0–3 (standard deviations)")));
        }
        let lvl = level(level_name)?;
        for e in [from_edition, to_edition] {
            self.edition_or_latest(lvl, Some(e))?;
        }
        let s = veerkracht_index::signal(&def, &self.ds, from_edition, to_edition, lvl, tau);
        serde_json::to_string(&s).map_err(err)
    }

    /// Corporatiebuurten against the other buurten (bootstrap, matched pairs): JSON of the
    /// comparison, as `veerkracht compare --json`.
    #[pyo3(signature = (edition=None, definition_=None, threshold=None, seed=1))]
    fn compare(
        &self,
        py: Python<'_>,
        edition: Option<u16>,
        definition_: Option<&str>,
        threshold: Option<f64>,
        seed: u64,
    ) -> PyResult<String> {
        let def = definition(definition_)?;
        let e = self.edition_or_latest(Level::Buurt, edition)?;
        let threshold = threshold.unwrap_or(def.method.corporatie_threshold);
        if !(0.0..=100.0).contains(&threshold) {
            return Err(err(format!("threshold {threshold}: give 0–100 (percent)")));
        }
        let ds = &self.ds;
        let c = py.detach(|| {
            let r = veerkracht_index::compute(&def, ds, e, Level::Buurt);
            veerkracht_index::compare(&def, ds, &r, threshold, seed)
        });
        serde_json::to_string(&c).map_err(err)
    }
}

/// Neighbour lists from polygons given as WKB (the GeoDataFrame's geometry, in metres for a
/// tolerance): `rule` queen or rook, exact shared vertices/edges as libpysal, or within
/// `tolerance` metres.
#[pyfunction]
#[pyo3(signature = (wkb, rule="queen", tolerance=0.0))]
pub fn contiguity(
    py: Python<'_>,
    wkb: Vec<Vec<u8>>,
    rule: &str,
    tolerance: f64,
) -> PyResult<Vec<Vec<usize>>> {
    if wkb.len() > MAX_UNITS {
        return Err(err(format!(
            "{} polygons, more than {MAX_UNITS}",
            wkb.len()
        )));
    }
    if !(0.0..=10_000.0).contains(&tolerance) {
        return Err(err(format!("tolerance {tolerance}: give 0–10000 metres")));
    }
    let rule = match rule {
        "queen" => Contiguity::Queen,
        "rook" => Contiguity::Rook,
        o => return Err(err(format!("rule {o:?}: use queen or rook"))),
    };
    let polys = wkb
        .iter()
        .enumerate()
        .map(|(i, b)| {
            veerkracht_geo::wkb::decode_multipolygon(b).map_err(|e| {
                err(format!(
                    "geometry {i}: {e} (give polygons or multipolygons)"
                ))
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(py.detach(|| veerkracht_spatial::build::contiguity(&polys, rule, tolerance)))
}

/// The weights of `ids` (binary from `neighbours`, then `transform`), after checking the
/// values `y` of the same units: one per unit, all finite.
fn weights(
    y: &[f64],
    ids: Vec<String>,
    neighbours: Vec<Vec<usize>>,
    transform: &str,
) -> PyResult<Weights> {
    if ids.len() > MAX_UNITS {
        return Err(err(format!("{} units, more than {MAX_UNITS}", ids.len())));
    }
    let t: Transform = transform
        .parse()
        .map_err(|_| err(format!("transform {transform:?}: use R, B, D, V or O")))?;
    let n = ids.len();
    if let Some(j) = neighbours.iter().flatten().find(|&&j| j >= n) {
        return Err(err(format!(
            "neighbour index {j} is not below the {n} units"
        )));
    }
    if y.len() != n {
        return Err(err(format!("{} values for {n} units", y.len())));
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(err(format!(
            "value {i} is missing or not finite: drop the unit (and its links) first"
        )));
    }
    Ok(Weights::new(ids, neighbours, None)
        .map_err(err)?
        .transformed(t))
}

fn check_permutations(permutations: usize) -> PyResult<()> {
    if permutations > MAX_PERMUTATIONS {
        return Err(err(format!("permutations: at most {MAX_PERMUTATIONS}")));
    }
    Ok(())
}

fn local_options(permutations: usize, seed: u64, alpha: f64) -> PyResult<LocalOptions> {
    check_permutations(permutations)?;
    if !(0.0 < alpha && alpha < 1.0) {
        return Err(err(format!("alpha {alpha}: give a number between 0 and 1")));
    }
    Ok(LocalOptions {
        permutations,
        seed,
        alpha,
        ..LocalOptions::default()
    })
}

/// Global Moran's I (esda's `Moran` numbers), JSON.
#[pyfunction]
#[pyo3(signature = (y, ids, neighbours, transform="R", permutations=999, seed=12345))]
pub fn moran(
    py: Python<'_>,
    y: Vec<f64>,
    ids: Vec<String>,
    neighbours: Vec<Vec<usize>>,
    transform: &str,
    permutations: usize,
    seed: u64,
) -> PyResult<String> {
    let w = weights(&y, ids, neighbours, transform)?;
    check_permutations(permutations)?;
    let m = py.detach(|| veerkracht_spatial::moran(&y, &w, permutations, seed));
    serde_json::to_string(&m).map_err(err)
}

/// Local Moran (esda's `Moran_Local` numbers), JSON.
#[pyfunction]
#[pyo3(signature = (y, ids, neighbours, transform="R", permutations=999, seed=12345, alpha=0.05))]
#[allow(clippy::too_many_arguments)]
pub fn moran_local(
    py: Python<'_>,
    y: Vec<f64>,
    ids: Vec<String>,
    neighbours: Vec<Vec<usize>>,
    transform: &str,
    permutations: usize,
    seed: u64,
    alpha: f64,
) -> PyResult<String> {
    let w = weights(&y, ids, neighbours, transform)?;
    let o = local_options(permutations, seed, alpha)?;
    let l = py.detach(|| veerkracht_spatial::moran_local(&y, &w, &o));
    serde_json::to_string(&l).map_err(err)
}

/// Local G or G* (esda's `G_Local` numbers; binary weights unless `transform` is R), JSON.
#[pyfunction]
#[pyo3(signature = (y, ids, neighbours, transform="R", star=false, permutations=999, seed=12345, alpha=0.05))]
#[allow(clippy::too_many_arguments)]
pub fn g_local(
    py: Python<'_>,
    y: Vec<f64>,
    ids: Vec<String>,
    neighbours: Vec<Vec<usize>>,
    transform: &str,
    star: bool,
    permutations: usize,
    seed: u64,
    alpha: f64,
) -> PyResult<String> {
    let row = match transform {
        "R" => true,
        "B" => false,
        o => return Err(err(format!("transform {o:?}: local G takes R or B"))),
    };
    let w = weights(&y, ids, neighbours, "B")?;
    let o = local_options(permutations, seed, alpha)?;
    let g = py.detach(|| veerkracht_spatial::g_local(&y, &w, row, star, &o));
    serde_json::to_string(&g).map_err(err)
}
