//! `veerkracht._core`: the Rust engines behind the `veerkracht` Python package (pyo3, abi3).
//!
//! Thin on purpose: every function takes and returns plain Python values (strings, lists,
//! dicts of columns) and the pure-Python package in `python/veerkracht/` turns them into
//! pandas DataFrames. Errors are raised as `veerkracht.VeerkrachtError` with the message the
//! CLI prints for the same input. Heavy work runs with the GIL released.
//!
//! Bounds (checked on arrival, as the CLI does): runs 1–100,000 per call, threads 1–256,
//! a scenario text ≤ 1 MB, at most 64 overrides.

mod area;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use veerkracht_sim::{Inputs, Model, Scenario, SimError, Stop};
use veerkracht_wws::variant::Variant;
use veerkracht_wws::{Date, Options, waardeer_many};

create_exception!(
    _core,
    VeerkrachtError,
    PyException,
    "An input veerkracht cannot use; the message names the file, place and fix."
);

pub(crate) fn err(e: impl std::fmt::Display) -> PyErr {
    VeerkrachtError::new_err(e.to_string())
}

const MAX_RUNS: usize = 100_000;
const MAX_THREADS: usize = 256;
const MAX_SCENARIO_BYTES: usize = 1 << 20;
const MAX_OVERRIDES: usize = 64;

/// The valuation options of a peildatum (ISO date) and policy variants (shipped names or TOML
/// texts, applied in order).
fn wws_options(peildatum: Option<&str>, variants: &[String]) -> PyResult<Options> {
    let mut opts = Options::default();
    if let Some(d) = peildatum {
        opts.peildatum = d
            .parse::<Date>()
            .map_err(|_| err(format!("peildatum {d:?}: not a date (use YYYY-MM-DD)")))?;
    }
    if !variants.is_empty() {
        let parsed = variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let name = if v.ends_with(".toml") {
                    v.clone()
                } else {
                    format!("{v}.toml")
                };
                match Variant::meegeleverd(&name) {
                    Some(r) => r,
                    None if v.contains('=') => Variant::parse(&format!("variants[{i}]"), v),
                    None => Err(veerkracht_wws::WwsError::Input(format!(
                        "variant {v:?}: not a shipped variant ({}) and not TOML text",
                        wws_variants().join(", ")
                    ))),
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        opts.tabellen = Some(Variant::tables(&parsed).map_err(err)?);
    }
    Ok(opts)
}

/// Values VERA units (`EenhedenEenheid` JSON: one object, an array or NDJSON) under the rules
/// of `peildatum` (ISO date, default 2026-07-01), with policy `variants` (shipped names or
/// TOML texts) applied in order. Returns, per unit, `(True, result_json)` or
/// `(False, message)`: one bad unit does not stop the others.
#[pyfunction]
#[pyo3(signature = (units_json, peildatum=None, variants=Vec::new()))]
fn wws_value(
    py: Python<'_>,
    units_json: &str,
    peildatum: Option<&str>,
    variants: Vec<String>,
) -> PyResult<Vec<(bool, String)>> {
    let opts = wws_options(peildatum, &variants)?;
    let results = py
        .detach(|| waardeer_many(units_json, &opts))
        .map_err(err)?;
    Ok(results
        .into_iter()
        .map(|r| match r {
            Ok(v) => (true, v.to_json().to_string()),
            Err(e) => (false, e.to_string()),
        })
        .collect())
}

/// The names of the shipped WWS policy variants (`data/wws/varianten/`).
#[pyfunction]
fn wws_variants() -> Vec<String> {
    veerkracht_wws::variant::MEEGELEVERD
        .iter()
        .map(|(f, _)| f.trim_end_matches(".toml").to_string())
        .collect()
}

/// The names of the shipped scenarios (`data/sim/scenarios/`).
#[pyfunction]
fn scenarios() -> Vec<String> {
    veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect()
}

/// A scenario's TOML text, a label for messages and the directory its paths are relative to:
/// a shipped name, a path, or the text itself (anything with a newline).
fn scenario_source(scenario: &str) -> PyResult<(String, String, PathBuf)> {
    if scenario.len() > MAX_SCENARIO_BYTES {
        return Err(err(format!(
            "scenario: {} bytes, more than the limit of {MAX_SCENARIO_BYTES}",
            scenario.len()
        )));
    }
    if let Some((name, text)) = veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .find(|(n, _)| *n == scenario)
    {
        return Ok((
            text.to_string(),
            format!("data/sim/scenarios/{name}.toml"),
            PathBuf::from("."),
        ));
    }
    if scenario.contains('\n') {
        return Ok((scenario.to_string(), "scenario".into(), PathBuf::from(".")));
    }
    let path = Path::new(scenario);
    let text = std::fs::read_to_string(path).map_err(|e| {
        err(format!(
            "{scenario}: cannot read the scenario ({e}); shipped: {}",
            scenarios().join(", ")
        ))
    })?;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((text, scenario.to_string(), dir))
}

/// Sets `key` (dotted: `toewijzing.loting`, `ingreep.0.aantal`) in a scenario's TOML tree;
/// a missing table on the way is created, a missing array element is an error.
fn set_key(root: &mut toml::Table, key: &str, value: toml::Value) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("override {key:?}: empty part in the key"));
    }
    let mut cur = root;
    let mut i = 0;
    while i + 1 < parts.len() {
        if !cur.contains_key(parts[i]) && parts[i + 1].parse::<usize>().is_ok() {
            return Err(format!(
                "override {key:?}: the scenario has no {} list (0 entries), no number {}",
                parts[i],
                parts[i + 1]
            ));
        }
        let entry = cur
            .entry(parts[i].to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match entry {
            toml::Value::Table(t) => {
                cur = t;
                i += 1;
            }
            toml::Value::Array(a) => {
                let idx: usize = parts[i + 1].parse().map_err(|_| {
                    format!("override {key:?}: {} is a list, give an index", parts[i])
                })?;
                let len = a.len();
                let Some(toml::Value::Table(t)) = a.get_mut(idx) else {
                    return Err(format!(
                        "override {key:?}: {} has {len} entries, no number {idx}",
                        parts[i]
                    ));
                };
                cur = t;
                i += 2;
            }
            _ => return Err(format!("override {key:?}: {} is not a table", parts[i])),
        }
    }
    let last = parts[parts.len() - 1];
    if i + 1 != parts.len() {
        return Err(format!("override {key:?}: ends in a list index"));
    }
    cur.insert(last.to_string(), value);
    Ok(())
}

fn toml_value(key: &str, v: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if let Ok(b) = v.extract::<bool>() {
        return Ok(toml::Value::Boolean(b));
    }
    if let Ok(i) = v.extract::<i64>() {
        return Ok(toml::Value::Integer(i));
    }
    if let Ok(f) = v.extract::<f64>() {
        if !f.is_finite() {
            return Err(err(format!("override {key:?}: {f} is not a finite number")));
        }
        return Ok(toml::Value::Float(f));
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(toml::Value::String(s));
    }
    if let Ok(l) = v.extract::<Vec<String>>() {
        return Ok(toml::Value::Array(
            l.into_iter().map(toml::Value::String).collect(),
        ));
    }
    Err(err(format!(
        "override {key:?}: give a number, a bool, a string or a list of strings"
    )))
}

/// The scenario with `overrides` applied, validated as a scenario file is.
fn build_scenario(
    scenario: &str,
    overrides: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Scenario, PathBuf)> {
    let (text, label, dir) = scenario_source(scenario)?;
    let Some(ov) = overrides.filter(|d| !d.is_empty()) else {
        return Ok((Scenario::parse(&text, &label).map_err(err)?, dir));
    };
    if ov.len() > MAX_OVERRIDES {
        return Err(err(format!(
            "{} overrides, more than the limit of {MAX_OVERRIDES}",
            ov.len()
        )));
    }
    let mut root: toml::Table = text.parse().map_err(|e| err(format!("{label}: {e}")))?;
    let mut sorted = BTreeMap::new();
    for (k, v) in ov.iter() {
        let key: String = k
            .extract()
            .map_err(|_| err("override keys must be strings"))?;
        let value = toml_value(&key, &v)?;
        sorted.insert(key, value);
    }
    for (k, v) in sorted {
        set_key(&mut root, &k, v).map_err(|e| err(format!("{label}: {e}")))?;
    }
    let text = toml::to_string(&root).map_err(err)?;
    let s = Scenario::parse(&text, &format!("{label} (with overrides)")).map_err(err)?;
    Ok((s, dir))
}

/// The demo region's stock CSV and KWB texts, as (name, text) pairs.
type SimulationFiles = ((String, String), Vec<(String, String)>);

/// A scenario (with overrides) built into a model with the inputs it names (as `veerkracht
/// simulate` reads them: files relative to the scenario's), refused before any run when
/// `runs` on `threads` exceed the CLI's memory budget. Returns the stock (name, text) too.
fn model(
    scenario: &str,
    overrides: Option<&Bound<'_, PyDict>>,
    seed: u64,
    runs: usize,
    threads: usize,
) -> PyResult<(Model, (String, String))> {
    let (s, dir) = build_scenario(scenario, overrides)?;
    let inp = Inputs::resolve(
        &s,
        || {
            // generated once per process (deterministic): a sweep's tasks reuse it
            static DEMO: OnceLock<SimulationFiles> = OnceLock::new();
            DEMO.get_or_init(|| {
                veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files()
            })
            .clone()
        },
        |p, what| {
            let path = dir.join(p);
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| {
                SimError::new(
                    &name,
                    "file",
                    format!("cannot read the {what} ({e})"),
                    "give a path relative to the scenario's file",
                )
            })?;
            Ok::<_, SimError>((name, text))
        },
    )
    .map_err(err)?;
    let model = Model::build(s, &inp, seed).map_err(err)?;
    veerkracht_sim::Budget::CLI
        .check(
            &veerkracht_sim::estimate(&model, runs, threads, false),
            &format!("scenario '{}'", model.scenario.naam),
        )
        .map_err(err)?;
    Ok((model, inp.voorraad))
}

fn check_runs(start: usize, end: usize, threads: usize) -> PyResult<()> {
    if end <= start || end - start > MAX_RUNS {
        return Err(err(format!(
            "runs {start}..{end}: give 1–{MAX_RUNS} runs (start < end)"
        )));
    }
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(err(format!("threads {threads}: give 1–{MAX_THREADS}")));
    }
    Ok(())
}

/// Runs `run_start..run_end` of a scenario (shipped name, path or TOML text) with `overrides`
/// (dotted scenario keys → values) and returns the region metrics of every run and year in
/// long form: a dict of columns `run`, `jaar`, `indicator`, `waarde` plus `scenario`, `seed`.
/// Run r uses ChaCha8 stream r of `seed`, so any split of the runs gives the same rows.
#[pyfunction]
#[pyo3(signature = (scenario, run_start, run_end, seed=1, threads=1, overrides=None))]
fn simulate_runs<'py>(
    py: Python<'py>,
    scenario: &str,
    run_start: usize,
    run_end: usize,
    seed: u64,
    threads: usize,
    overrides: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    check_runs(run_start, run_end, threads)?;
    let (model, _) = model(scenario, overrides, seed, run_end - run_start, threads)?;
    let results = py
        .detach(|| {
            veerkracht_sim::simulate_runs_stoppable(
                &model,
                run_start..run_end,
                seed,
                threads,
                &|| {},
                &Stop::new(),
            )
        })
        .map_err(|_| err("the simulation was stopped"))?;
    let names = &results.metrics.regio;
    let nm = names.len();
    let n = results.runs.len() * results.jaren * nm;
    let (mut run, mut jaar, mut ind, mut val) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (r, out) in results.runs.iter().enumerate() {
        for y in 0..results.jaren {
            for (i, name) in names.iter().enumerate() {
                run.push(results.first_run + r);
                jaar.push(results.startjaar + y as i32);
                ind.push(name.as_str());
                let v = out.regio[y * nm + i];
                val.push(if v.is_finite() {
                    Some(f64::from(v))
                } else {
                    None
                });
            }
        }
    }
    let d = PyDict::new(py);
    d.set_item("scenario", &results.scenario)?;
    d.set_item("seed", seed)?;
    d.set_item("run", run)?;
    d.set_item("jaar", jaar)?;
    d.set_item("indicator", ind)?;
    d.set_item("waarde", val)?;
    Ok(d)
}

/// A scenario's runs `0..runs` and which of their figures may be published (the CLI's
/// small-cell rule at `min_cel`).
fn run_with_afscherming(
    py: Python<'_>,
    scenario: &str,
    overrides: Option<&Bound<'_, PyDict>>,
    runs: usize,
    seed: u64,
    threads: usize,
    min_cel: Option<u64>,
) -> PyResult<(
    veerkracht_sim::Results,
    veerkracht_sim::afscherming::Afscherming,
)> {
    check_runs(0, runs, threads)?;
    let privacy = veerkracht_privacy::Options::with_k(
        min_cel.unwrap_or(veerkracht_privacy::Options::default().k),
    )
    .map_err(|e| err(format!("min_cel: {e}")))?;
    let (model, stock) = model(scenario, overrides, seed, runs, threads)?;
    let results = py.detach(|| veerkracht_sim::simulate(&model, runs, seed, threads, &|| {}));
    // the stock's published rent mix pins the simulation's stock counts, as in the CLI
    let stock = veerkracht_huurmix::stock_pins(&stock.0, &stock.1, &privacy);
    let afs = veerkracht_sim::afscherming::afscherming(&results, &privacy, stock.as_ref());
    Ok((results, afs))
}

const NO_NUMBER: veerkracht_sim::Quantiles = veerkracht_sim::Quantiles {
    p5: f64::NAN,
    p50: f64::NAN,
    p95: f64::NAN,
    gemiddelde: f64::NAN,
};

/// One summary row: jaar, code, naam, indicator, p5, p50, p95, gemiddelde, afgeschermd.
type SummaryRow = (
    i32,
    String,
    String,
    String,
    f64,
    f64,
    f64,
    f64,
    Option<&'static str>,
);

/// Quantiles over runs `0..runs` of the region metrics (and with `per_buurt` every buurt
/// metric), as `veerkracht simulate --out` writes them, with the same small-cell rule
/// (`min_cel`, default the CLI's `--min-cel`): rows `(jaar, code, naam, indicator, p5, p50,
/// p95, gemiddelde, afgeschermd)`, the quantiles NaN and `afgeschermd` the reason when the
/// figure is withheld.
#[pyfunction]
#[pyo3(signature = (scenario, runs, seed=1, threads=1, overrides=None, min_cel=None, per_buurt=false))]
#[allow(clippy::too_many_arguments)]
fn simulate_summary(
    py: Python<'_>,
    scenario: &str,
    runs: usize,
    seed: u64,
    threads: usize,
    overrides: Option<&Bound<'_, PyDict>>,
    min_cel: Option<u64>,
    per_buurt: bool,
) -> PyResult<Vec<SummaryRow>> {
    let (results, afs) =
        run_with_afscherming(py, scenario, overrides, runs, seed, threads, min_cel)?;
    Ok(results
        .rows()
        .into_iter()
        .filter(|(_, code, ..)| per_buurt || code == "regio")
        .map(|(jaar, code, naam, ind, q)| {
            let why = afs.withheld_row(&results, jaar, &code, &ind);
            let q = if why.is_some() { NO_NUMBER } else { q };
            (jaar, code, naam, ind, q.p5, q.p50, q.p95, q.gemiddelde, why)
        })
        .collect())
}

/// One comparison row: jaar, code, naam, indicator, a_p50, b_p50, the difference's p5, p50,
/// p95 and mean, zeker, afgeschermd.
type CompareRow = (
    i32,
    String,
    String,
    String,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    Option<bool>,
    Option<&'static str>,
);

/// Scenario B against A with the same runs and seed (common random numbers), as
/// `veerkracht simulate compare A B`: per year, area (`regio` and, with `per_buurt`, each
/// buurt) and metric both medians and the quantiles of the per-run difference B − A;
/// withheld when either side's figure is.
#[pyfunction]
#[pyo3(signature = (a, b, runs, seed=1, threads=1, overrides_a=None, overrides_b=None, min_cel=None, per_buurt=false))]
#[allow(clippy::too_many_arguments)]
fn simulate_compare(
    py: Python<'_>,
    a: &str,
    b: &str,
    runs: usize,
    seed: u64,
    threads: usize,
    overrides_a: Option<&Bound<'_, PyDict>>,
    overrides_b: Option<&Bound<'_, PyDict>>,
    min_cel: Option<u64>,
    per_buurt: bool,
) -> PyResult<Vec<CompareRow>> {
    let (ra, afs_a) = run_with_afscherming(py, a, overrides_a, runs, seed, threads, min_cel)?;
    let (rb, afs_b) = run_with_afscherming(py, b, overrides_b, runs, seed, threads, min_cel)?;
    let cmp = veerkracht_sim::Comparison { a: &ra, b: &rb };
    let rows = if per_buurt {
        cmp.rows()
    } else {
        cmp.regio_rows()
    };
    Ok(rows
        .into_iter()
        .map(|v| {
            let why = afs_a
                .withheld_row(&ra, v.jaar, &v.code, &v.indicator)
                .or_else(|| afs_b.withheld_row(&rb, v.jaar, &v.code, &v.indicator));
            let shown = why.is_none();
            let d = if shown { v.verschil } else { NO_NUMBER };
            let zeker = shown.then(|| v.zeker());
            let (ap, bp) = if shown {
                (v.a.p50, v.b.p50)
            } else {
                (f64::NAN, f64::NAN)
            };
            (
                v.jaar,
                v.code,
                v.naam,
                v.indicator,
                ap,
                bp,
                d.p5,
                d.p50,
                d.p95,
                d.gemiddelde,
                zeker,
                why,
            )
        })
        .collect())
}

/// Values a flat portfolio CSV (the `veerkracht wws --bulk FLAT.csv` form: one row per
/// dwelling) by the points-only path on `threads` threads: columns `id`, `stelsel`,
/// `punten`, `maximale_huur`, `huurprijsopslag`, `segment`, `fout`, one per stelselgroep.
/// A row that cannot be read is an error naming its line and column (as the CLI).
#[pyfunction]
#[pyo3(signature = (csv_text, peildatum=None, variants=Vec::new(), threads=1))]
fn wws_flat<'py>(
    py: Python<'py>,
    csv_text: &str,
    peildatum: Option<&str>,
    variants: Vec<String>,
    threads: usize,
) -> PyResult<Bound<'py, PyDict>> {
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(err(format!("threads {threads}: give 1–{MAX_THREADS}")));
    }
    let opts = wws_options(peildatum, &variants)?;
    type Row = (String, Result<veerkracht_wws::Punten, String>);
    let rows: Vec<Row> = py
        .detach(|| {
            veerkracht_wws::flat::waardeer_punten_csv(csv_text, &opts, threads, |u, p| {
                (u.id.clone(), p.map_err(|e| e.to_string()))
            })
        })
        .map_err(err)?;
    let mut groups: Vec<&'static str> = Vec::new();
    for (_, r) in &rows {
        if let Ok(p) = r {
            for (code, _) in &p.groepen {
                if !groups.contains(code) {
                    groups.push(code);
                }
            }
        }
    }
    let d = PyDict::new(py);
    let ok = |f: &dyn Fn(&veerkracht_wws::Punten) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter()
            .map(|(_, r)| r.as_ref().ok().and_then(f))
            .collect()
    };
    d.set_item(
        "id",
        rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "stelsel",
        rows.iter()
            .map(|(_, r)| r.as_ref().ok().map(|p| p.stelsel.code()))
            .collect::<Vec<_>>(),
    )?;
    d.set_item("punten", ok(&|p| Some(p.punten)))?;
    d.set_item("maximale_huur", ok(&|p| Some(p.maximale_huur)))?;
    d.set_item("huurprijsopslag", ok(&|p| Some(p.huurprijsopslag)))?;
    d.set_item(
        "segment",
        rows.iter()
            .map(|(_, r)| r.as_ref().ok().and_then(|p| p.segment).map(|s| s.naam()))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "fout",
        rows.iter()
            .map(|(_, r)| r.as_ref().err().cloned())
            .collect::<Vec<_>>(),
    )?;
    for g in groups {
        d.set_item(
            g,
            ok(&|p| {
                p.groepen
                    .iter()
                    .find(|(c, _)| *c == g)
                    .and_then(|(_, v)| *v)
            }),
        )?;
    }
    Ok(d)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("VeerkrachtError", m.py().get_type::<VeerkrachtError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(wws_value, m)?)?;
    m.add_function(wrap_pyfunction!(wws_variants, m)?)?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_runs, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_summary, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_compare, m)?)?;
    m.add_function(wrap_pyfunction!(wws_flat, m)?)?;
    m.add_class::<area::Workspace>()?;
    m.add_function(wrap_pyfunction!(area::contiguity, m)?)?;
    m.add_function(wrap_pyfunction!(area::moran, m)?)?;
    m.add_function(wrap_pyfunction!(area::moran_local, m)?)?;
    m.add_function(wrap_pyfunction!(area::g_local, m)?)?;
    Ok(())
}
