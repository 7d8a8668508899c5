//! # veerkracht-fuzzing
//!
//! One harness per kind of input the project reads ([`Kind`]): arbitrary bytes go into the
//! reader the CLI, the dashboard or a library user would call, and what must hold whatever
//! the input is checked — besides not panicking, not hanging and not exhausting memory,
//! which the fuzzer watches:
//!
//! * an error is a proper error: it names the file (or the field) and is not empty;
//! * what is read is finite: no NaN or infinite number reaches a dataset, a valuation or a
//!   weight;
//! * where a reader has two paths, they agree: the WWS points-only valuation gives the full
//!   valuation's numbers; the flat-form shortcut gives the unit path's, bit for bit.
//!
//! The fuzz targets in `fuzz/` (cargo-fuzz, libFuzzer) call [`run`]; the tests of this crate
//! replay the committed seeds and every regression input through the same function, so a
//! crash once found stays fixed without a fuzzer. [`catalogue`] holds the malformed-input
//! cases behind `docs/foutmeldingen.md`.

pub mod catalogue;

use std::sync::OnceLock;

use veerkracht_dataset::{Catalogue, Value};
use veerkracht_ingest::ImportOptions;

/// Every kind of input with a fuzz target (its name is the target's and the folder's under
/// `fuzz/seeds` and `fuzz/regressions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// KWB CSV (StatLine/OData or short-code), as `veerkracht import kwb_2024.csv`
    KwbCsv,
    /// Another CBS area table in CSV, matched by an embedded mapping (crime, Wmo, benefits…)
    AreaTableCsv,
    /// A mapping file for other tables (TOML)
    MappingToml,
    /// KWB or another table as an Excel workbook
    Xlsx,
    /// An OData v3 TypedDataSet JSON, then (after a NUL byte) its DataProperties JSON
    OdataJson,
    /// GeoJSON polygons
    Geojson,
    /// A GeoPackage (SQLite pages, WKB geometries)
    Gpkg,
    /// One GeoPackage geometry blob (GP header + WKB) on its own
    GpkgGeometry,
    /// VERA `EenhedenEenheid` JSON: one object, an array or NDJSON
    VeraJson,
    /// The flat portfolio CSV
    FlatCsv,
    /// An index definition (TOML)
    IndexDefinition,
    /// A simulation scenario (TOML)
    Scenario,
    /// GeoDa GAL weights
    Gal,
    /// GeoDa GWT weights
    Gwt,
    /// The JSON body of `POST /api/v1/scenarios/run`
    ApiRunBody,
    /// The form body of `POST /scenarios`
    ApiEditForm,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::KwbCsv,
        Kind::AreaTableCsv,
        Kind::MappingToml,
        Kind::Xlsx,
        Kind::OdataJson,
        Kind::Geojson,
        Kind::Gpkg,
        Kind::GpkgGeometry,
        Kind::VeraJson,
        Kind::FlatCsv,
        Kind::IndexDefinition,
        Kind::Scenario,
        Kind::Gal,
        Kind::Gwt,
        Kind::ApiRunBody,
        Kind::ApiEditForm,
    ];

    /// The target's name (`fuzz/fuzz_targets/<name>.rs`, `fuzz/seeds/<name>/`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::KwbCsv => "kwb_csv",
            Kind::AreaTableCsv => "area_table_csv",
            Kind::MappingToml => "mapping_toml",
            Kind::Xlsx => "xlsx",
            Kind::OdataJson => "odata_json",
            Kind::Geojson => "geojson",
            Kind::Gpkg => "gpkg",
            Kind::GpkgGeometry => "gpkg_geometry",
            Kind::VeraJson => "vera_json",
            Kind::FlatCsv => "flat_csv",
            Kind::IndexDefinition => "index_definition",
            Kind::Scenario => "scenario",
            Kind::Gal => "gal",
            Kind::Gwt => "gwt",
            Kind::ApiRunBody => "api_run_body",
            Kind::ApiEditForm => "api_edit_form",
        }
    }

    /// The kind of a target name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The file name the input is given under (the readers choose a format by it).
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::KwbCsv => "kwb-2024-buurten.csv",
            Kind::AreaTableCsv => "tabel.csv",
            Kind::MappingToml => "mapping.toml",
            Kind::Xlsx => "kwb-2024.xlsx",
            Kind::OdataJson => "85984NED_TypedDataSet.json",
            Kind::Geojson => "wijken_2024.geojson",
            Kind::Gpkg => "gebieden_2024.gpkg",
            Kind::GpkgGeometry => "geom (kolom van een GeoPackage-laag)",
            Kind::VeraJson => "eenheden.ndjson",
            Kind::FlatCsv => "voorraad.csv",
            Kind::IndexDefinition => "index.toml",
            Kind::Scenario => "scenario.toml",
            Kind::Gal => "buren.gal",
            Kind::Gwt => "buren.gwt",
            Kind::ApiRunBody => "POST /api/v1/scenarios/run",
            Kind::ApiEditForm => "POST /scenarios",
        }
    }

    /// A short Dutch description for the catalogue.
    pub fn beschrijving(self) -> &'static str {
        match self {
            Kind::KwbCsv => "KWB-tabel als CSV (StatLine/OData of korte codes)",
            Kind::AreaTableCsv => "andere CBS-tabel per gebied (CSV, via een mapping)",
            Kind::MappingToml => "mappingbestand voor andere tabellen (TOML)",
            Kind::Xlsx => "tabel als Excel-werkmap",
            Kind::OdataJson => "OData v3 TypedDataSet (JSON)",
            Kind::Geojson => "GeoJSON-vlakken",
            Kind::Gpkg => "GeoPackage",
            Kind::GpkgGeometry => "GeoPackage-geometrie (GP-kop + WKB)",
            Kind::VeraJson => "VERA-eenheden (JSON, array of NDJSON)",
            Kind::FlatCsv => "platte voorraadvorm (CSV)",
            Kind::IndexDefinition => "indexdefinitie (TOML)",
            Kind::Scenario => "scenario (TOML)",
            Kind::Gal => "GeoDa GAL-gewichten",
            Kind::Gwt => "GeoDa GWT-gewichten",
            Kind::ApiRunBody => "API: scenario doorrekenen (JSON)",
            Kind::ApiEditForm => "dashboard: scenario bewerken (formulier)",
        }
    }
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Read (and, where it applies, computed) without error; `n`: records read.
    Ok { n: usize },
    /// Refused with this message.
    Refused(String),
}

impl Outcome {
    pub fn error(&self) -> Option<&str> {
        match self {
            Outcome::Ok { .. } => None,
            Outcome::Refused(e) => Some(e),
        }
    }
}

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(Catalogue::embedded)
}

/// An error must say something and name where it comes from.
fn refused(e: impl std::fmt::Display, names: &[&str]) -> Outcome {
    let m = e.to_string();
    assert!(!m.trim().is_empty(), "an empty error message");
    assert!(
        names.iter().any(|n| m.contains(n)),
        "the error does not name the file or field ({names:?}): {m}"
    );
    Outcome::Refused(m)
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Feeds `data` to the reader of `kind` and checks what must hold (panics when it does
/// not: the fuzzer reports that as a crash).
pub fn run(kind: Kind, data: &[u8]) -> Outcome {
    match kind {
        Kind::KwbCsv | Kind::AreaTableCsv | Kind::Xlsx | Kind::Geojson => {
            ingest(kind.file_name(), data, &ImportOptions::default())
        }
        Kind::OdataJson => {
            // the TypedDataSet, then after a NUL byte the table's DataProperties (optional)
            let (set, props) = match data.iter().position(|b| *b == 0) {
                Some(p) => (&data[..p], Some(&data[p + 1..])),
                None => (data, None),
            };
            let opts = ImportOptions {
                metadata: props.map(|p| {
                    (
                        "85984NED_DataProperties.json".to_string(),
                        String::from_utf8_lossy(p).into_owned(),
                    )
                }),
                ..ImportOptions::default()
            };
            ingest(kind.file_name(), set, &opts)
        }
        Kind::Gpkg => {
            let name = kind.file_name();
            match veerkracht_ingest::import_gpkg_bytes(
                name,
                data,
                catalogue(),
                &ImportOptions::default(),
            ) {
                Ok(b) => batches_ok(&b),
                Err(e) => refused(e, &[name]),
            }
        }
        Kind::GpkgGeometry => match veerkracht_geo::gpkg::decode_geometry(data) {
            Ok(g) => Outcome::Ok {
                n: g.map_or(0, |m| m.0.len()),
            },
            Err(e) => {
                let m = e.to_string();
                assert!(!m.trim().is_empty());
                Outcome::Refused(m)
            }
        },
        Kind::MappingToml => {
            let name = kind.file_name();
            match veerkracht_ingest::Mapping::parse(&text(data), name, catalogue()) {
                Ok(_) => Outcome::Ok { n: 1 },
                Err(e) => refused(e, &[name]),
            }
        }
        Kind::VeraJson => vera(data),
        Kind::FlatCsv => flat(data),
        Kind::IndexDefinition => {
            let name = kind.file_name();
            match veerkracht_index::definition::Definition::parse(&text(data), name, catalogue()) {
                Ok(d) => Outcome::Ok {
                    n: d.indicators().count(),
                },
                Err(e) => refused(e, &[name]),
            }
        }
        Kind::Scenario => scenario(&text(data), kind.file_name()),
        Kind::Gal => {
            let name = kind.file_name();
            match veerkracht_spatial::gal::read_gal(&text(data), name) {
                Ok(w) => weights_ok(&w),
                Err(e) => refused(e, &[name]),
            }
        }
        Kind::Gwt => {
            let name = kind.file_name();
            match veerkracht_spatial::gal::read_gwt(&text(data), name, None) {
                Ok(w) => weights_ok(&w),
                Err(e) => refused(e, &[name]),
            }
        }
        Kind::ApiRunBody => {
            match serde_json::from_slice::<veerkracht_web::simulation::RunRequest>(data) {
                Ok(r) => match veerkracht_web::simulation::check_request(&r) {
                    // the scenario as the server would run it (once, within the fuzz budget)
                    Ok(()) => {
                        match veerkracht_sim::Scenario::parse(&r.scenario, "scenario (request)") {
                            Ok(s) => simulate_small(s, "scenario"),
                            Err(_) => Outcome::Ok { n: 1 },
                        }
                    }
                    Err(e) => refused(e, &["scenario", "runs"]),
                },
                // axum answers 400 with this message (problem details)
                Err(e) => Outcome::Refused(format!("invalid request: {e}")),
            }
        }
        Kind::ApiEditForm => {
            match serde_urlencoded::from_bytes::<veerkracht_web::simulation::EditForm>(data) {
                Ok(f) => match veerkracht_web::simulation::check_form(&f) {
                    Ok(()) => {
                        match veerkracht_sim::Scenario::parse(&f.toml, "scenario (request)") {
                            Ok(s) => simulate_small(s, "scenario"),
                            Err(_) => Outcome::Ok { n: 1 },
                        }
                    }
                    Err(e) => refused(e, &["scenario", "runs"]),
                },
                Err(e) => Outcome::Refused(format!("invalid form: {e}")),
            }
        }
    }
}

fn ingest(name: &str, data: &[u8], opts: &ImportOptions) -> Outcome {
    match veerkracht_ingest::import_bytes(name, data, catalogue(), opts) {
        Ok(b) => batches_ok(&b),
        Err(e) => {
            // the file at fault: the input, or the metadata file given with it
            let names: Vec<&str> = std::iter::once(name)
                .chain(opts.metadata.as_ref().map(|m| m.0.as_str()))
                .collect();
            let file = e.file.split(':').next().unwrap_or("");
            assert!(
                names.contains(&file),
                "the error names {file:?}, not one of {names:?}: {e}"
            );
            assert!(!e.fix.trim().is_empty(), "an error without a fix: {e}");
            refused(e, &names)
        }
    }
}

fn batches_ok(batches: &[veerkracht_dataset::ImportBatch]) -> Outcome {
    let mut n = 0;
    for b in batches {
        for o in &b.observations {
            if let Value::Number(x) = o.value {
                assert!(x.is_finite(), "a non-finite number was imported: {o:?}");
            }
        }
        n += b.observations.len() + b.areas.len();
    }
    Outcome::Ok { n }
}

fn weights_ok(w: &veerkracht_spatial::Weights) -> Outcome {
    for i in 0..w.n() {
        assert!(w.neighbours(i).iter().all(|&j| (j as usize) < w.n()));
        assert!(w.weights(i).iter().all(|x| x.is_finite()), "unit {i}");
    }
    let _ = w.summary();
    Outcome::Ok { n: w.n() }
}

fn scenario(text: &str, name: &str) -> Outcome {
    match veerkracht_sim::Scenario::parse(text, name) {
        Ok(s) => simulate_small(s, name),
        Err(e) => refused(e, &[name]),
    }
}

/// The budget of one fuzzed run: what it may need by the estimate. libFuzzer's RSS limit
/// (2 GB in `fuzz/smoke.sh`) is four times this, so an estimate far below what a run really
/// takes is found as an out-of-memory crash.
pub const FUZZ_BUDGET: veerkracht_sim::Budget = veerkracht_sim::Budget {
    bytes: 512 * veerkracht_sim::budget::MIB,
    work: 5_000_000,
};

/// Runs an accepted scenario once on the demo inputs (as the dashboard would) when it fits
/// [`FUZZ_BUDGET`]: building the model must succeed or name the scenario, and the run must
/// end with finite region figures. Scenarios that name their own files are only parsed.
fn simulate_small(s: veerkracht_sim::Scenario, name: &str) -> Outcome {
    use std::sync::OnceLock;
    static INPUTS: OnceLock<veerkracht_sim::Inputs> = OnceLock::new();
    let d = veerkracht_sim::scenario::Invoer::default();
    let i = &s.invoer;
    if i.voorraad != d.voorraad
        || i.kwb != d.kwb
        || i.aannames != d.aannames
        || i.regels != d.regels
    {
        return Outcome::Ok { n: 1 };
    }
    let inputs = INPUTS.get_or_init(|| {
        let (v, k) = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files();
        veerkracht_sim::Inputs::with_embedded_rules(v, k)
    });
    let naam = s.naam.clone();
    let m = match veerkracht_sim::Model::build(s, inputs, 1) {
        Ok(m) => m,
        Err(e) => return refused(e, &[name, &format!("scenario '{naam}'")]),
    };
    let e = veerkracht_sim::estimate(&m, 1, 1, false);
    if let Err(e) = FUZZ_BUDGET.check(&e, name) {
        return refused(e, &[name]);
    }
    let out = veerkracht_sim::run(&m, 1, 0, false);
    let years = m.scenario.jaren as usize;
    assert_eq!(out.regio.len() % years.max(1), 0);
    assert!(
        out.regio.iter().all(|x| !x.is_infinite()),
        "an infinite region figure: {:?}",
        out.regio
    );
    Outcome::Ok { n: years }
}

fn vera(data: &[u8]) -> Outcome {
    let opts = veerkracht_wws::Options::default();
    let units = match veerkracht_wws::parse_many(&text(data), false) {
        Ok(u) => u,
        Err(e) => {
            let m = e.to_string();
            assert!(!m.trim().is_empty());
            return Outcome::Refused(m);
        }
    };
    for (e, _) in &units {
        let full = veerkracht_wws::waardeer(e, &opts);
        let fast = veerkracht_wws::waardeer_punten(e, &opts);
        match (&full, &fast) {
            (Ok(r), Ok(p)) => {
                assert!(r.punten.is_finite() && r.maximale_huur.is_finite(), "{r:?}");
                assert!(
                    veerkracht_wws::Punten::of(r).same_numbers(p),
                    "points-only differs from the full valuation:\nfull {:?}\nfast {p:?}",
                    veerkracht_wws::Punten::of(r)
                );
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("one path failed: full {full:?}\nfast {fast:?}"),
        }
    }
    Outcome::Ok { n: units.len() }
}

fn flat(data: &[u8]) -> Outcome {
    let opts = veerkracht_wws::Options::default();
    let t = text(data);
    let rows = match veerkracht_wws::flat::parse_csv(&t) {
        Ok(r) => r,
        Err(e) => {
            let m = e.to_string();
            assert!(m.contains("flat CSV"), "{m}");
            // the bulk reader gives the same error
            let bulk = veerkracht_wws::flat::waardeer_punten_csv(&t, &opts, 2, |_, _| ());
            assert_eq!(bulk.err().map(|e| e.to_string()), Some(m.clone()));
            return Outcome::Refused(m);
        }
    };
    let mut w = veerkracht_wws::flat::FlatWaardeerder::new(&opts);
    for u in &rows {
        let slow = u.waardeer_punten(&opts);
        let fast = w.punten(u);
        match (&slow, &fast) {
            (Ok(a), Ok(b)) => assert!(
                a.same_numbers(b) && a.warnings == b.warnings,
                "flat shortcut differs:\nunit path {a:?}\nshortcut {b:?}"
            ),
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("one path failed: unit path {slow:?}\nshortcut {fast:?}"),
        }
    }
    let bulk =
        veerkracht_wws::flat::waardeer_punten_csv(&t, &opts, 2, |_, p| p.map(|p| p.punten).ok())
            .expect("parse_csv read it");
    assert_eq!(bulk.len(), rows.len());
    Outcome::Ok { n: rows.len() }
}
