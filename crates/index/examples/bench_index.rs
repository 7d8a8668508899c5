//! Times the index and its uncertainty analysis on a national-size input (used by
//! `bench/index_uncertainty.sh`; see bench/README.md).
//!
//! Imports the KWB file (as `kwb-2023.csv` unless NAME is given), builds a `Dataset`, parses the
//! definition, then times, each as the median of N runs (default 7) after one warm-up:
//!
//! - `compute`: the nominal index (prepare + treatment + normalisation + aggregation + ranks);
//! - the index plus `uncertainty` with 1,000 Monte Carlo runs (`index_with_uncertainty`: the
//!   nominal index is part of the analysis), no Sobol indices, 2 threads;
//! - the full analysis: the same plus Sobol indices with `sobol_n` 200 (1,000 more runs).
//!
//! Prints `key=value` lines on stdout (milliseconds, sizes, Sobol indices) and a summary on
//! stderr. Writes the nominal score and rank and the Monte Carlo median rank / p5 / p95 of every
//! area to OUT (default `bench/out/index_rust.csv`) for the cross-check with numpy, and the
//! nominal score under each of the 6 Monte Carlo method choices to OUT's `_variants.csv`.
//!
//! ```text
//! cargo run --release -p veerkracht-index --example bench_index -- \
//!     bench/out/kwb-national.csv bench/index-30.toml [N] [OUT] [NAME]
//! ```

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use veerkracht_dataset::{Catalogue, Dataset, Level};
use veerkracht_index::compute::{Overrides, compute_prepared, compute_with, prepare};
use veerkracht_index::definition::{Normalisation, Treatment};
use veerkracht_index::uncertainty::Options;
use veerkracht_index::{Definition, compute, index_with_uncertainty, uncertainty};
use veerkracht_ingest::{ImportOptions, import_bytes};

const EDITION: u16 = 2023;
const THREADS: usize = 2;

/// Median and minimum of `n` timed runs of `f` (ms) after one warm-up.
fn time<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let first = f();
    let mut ms = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = f();
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        drop(std::hint::black_box(r));
    }
    ms.sort_by(f64::total_cmp);
    let med = if n % 2 == 1 {
        ms[n / 2]
    } else {
        (ms[n / 2 - 1] + ms[n / 2]) / 2.0
    };
    (med, ms[0], first)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: bench_index KWB.csv DEFINITION.toml [N] [OUT.csv] [NAME]");
        return ExitCode::from(2);
    }
    let (path, def_path) = (&args[0], &args[1]);
    let n: usize = match args.get(2).map(|s| s.parse()) {
        None => 7,
        Some(Ok(n)) if n >= 1 => n,
        Some(_) => {
            eprintln!("N must be a positive integer");
            return ExitCode::from(2);
        }
    };
    let out = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "bench/out/index_rust.csv".into());
    let name = args
        .get(4)
        .cloned()
        .unwrap_or_else(|| "kwb-2023.csv".into());

    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let text = match std::fs::read_to_string(def_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {def_path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let catalogue = Catalogue::embedded();
    let batches = match import_bytes(&name, &bytes, &catalogue, &ImportOptions::default()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("import failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut ds = Dataset::new(catalogue.clone());
    for (i, b) in batches.iter().enumerate() {
        ds.add_batch(b, i as u32 + 1);
    }
    let def = match Definition::parse(&text, def_path, ds.catalogue()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let level: Level = def.level;
    let n_ind = def.indicators().count();
    let n_areas = ds.areas(EDITION, level).len();
    if n_areas == 0 {
        eprintln!("no areas at level {level:?} in edition {EDITION} (is NAME kwb-2023.csv?)");
        return ExitCode::FAILURE;
    }

    // (a) compute alone, and its two halves for the breakdown.
    let (compute_ms, compute_min, nominal) = time(n, || compute(&def, &ds, EDITION, level));
    let (prepare_ms, _, prepared) = time(n, || prepare(&def, &ds, EDITION, level));
    let none = Overrides {
        normalisation: None,
        treatment: None,
        indicator_weights: None,
        component_weights: None,
    };
    let (method_ms, _, _) = time(n, || {
        compute_prepared(&def, &prepared, EDITION, level, &none)
    });
    let scored = nominal.areas.iter().filter(|a| a.score.is_some()).count();

    // (b) 1,000 Monte Carlo runs, no Sobol.
    let mc = Options {
        runs: 1000,
        sobol_n: 0,
        threads: THREADS,
        ..Default::default()
    };
    // The whole job: the index and its uncertainty in one computation.
    let (mc_ms, mc_min, (_, bands)) =
        time(n, || index_with_uncertainty(&def, &ds, EDITION, level, &mc));
    // (c) full analysis: + Sobol with N = 200 (5 N = 1,000 more runs).
    let full = Options {
        sobol_n: 200,
        ..mc.clone()
    };
    let (full_ms, full_min, full_u) = time(n, || uncertainty(&def, &ds, EDITION, level, &full));
    // Single-thread figure for the record.
    let one = Options {
        threads: 1,
        ..mc.clone()
    };
    let (mc1_ms, _, _) = time(n.min(3), || uncertainty(&def, &ds, EDITION, level, &one));

    // Cross-check file.
    let mut csv = String::from("code,score,rank,median_rank,rank_p5,rank_p95\n");
    let mut b = bands.areas.iter().peekable();
    for a in &nominal.areas {
        let band = match b.peek() {
            Some(x) if x.code == a.code => b.next(),
            _ => None,
        };
        let f = |v: Option<f64>| v.map(|x| format!("{x:?}")).unwrap_or_default();
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{}",
            a.code,
            f(a.score),
            a.rank.map(|r| r.to_string()).unwrap_or_default(),
            f(band.map(|x| x.median_rank)),
            f(band.map(|x| x.rank_p5)),
            f(band.map(|x| x.rank_p95)),
        );
    }
    if let Some(dir) = std::path::Path::new(&out)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(&out, csv) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::FAILURE;
    }

    // The nominal score under each of the 6 (normalisation, treatment) choices of the Monte
    // Carlo design: checks that both sides use the same normalised matrices.
    let variants_out = format!("{}_variants.csv", out.strip_suffix(".csv").unwrap_or(&out));
    let choices = [
        ("percentile", Normalisation::Percentile),
        ("zscore", Normalisation::Zscore),
        ("minmax", Normalisation::Minmax),
    ];
    let treatments = [("none", Treatment::None), ("coinr", Treatment::Coinr)];
    let mut cols = Vec::new();
    let mut header = String::from("code");
    for (nn, nv) in choices {
        for (tn, tv) in treatments {
            let r = compute_with(
                &def,
                &ds,
                EDITION,
                level,
                &Overrides {
                    normalisation: Some(nv),
                    treatment: Some(tv),
                    ..none.clone()
                },
            );
            let _ = write!(header, ",{nn}_{tn}");
            cols.push(r.areas.into_iter().map(|a| a.score).collect::<Vec<_>>());
        }
    }
    let mut csv = header + "\n";
    for (i, a) in nominal.areas.iter().enumerate() {
        csv.push_str(&a.code.to_string());
        for c in &cols {
            let _ = write!(
                csv,
                ",{}",
                c[i].map(|x| format!("{x:?}")).unwrap_or_default()
            );
        }
        csv.push('\n');
    }
    if let Err(e) = std::fs::write(&variants_out, csv) {
        eprintln!("cannot write {variants_out}: {e}");
        return ExitCode::FAILURE;
    }

    eprintln!(
        "{path} as {name}: edition {EDITION}, level {level:?}: {n_areas} areas ({scored} scored), {n_ind} indicators in {} components",
        def.component.len()
    );
    eprintln!(
        "median of {n} after a warm-up: compute {compute_ms:.1} ms (prepare {prepare_ms:.1} + method {method_ms:.1}); \
         uncertainty 1,000 runs {mc_ms:.1} ms ({mc1_ms:.1} ms on 1 thread); + Sobol (N 200) {full_ms:.1} ms"
    );
    eprintln!("wrote {out} and {variants_out}");
    println!("areas={n_areas}");
    println!("scored={scored}");
    println!("indicators={n_ind}");
    println!("components={}", def.component.len());
    println!("runs={n}");
    println!("compute_ms={compute_ms:.1}");
    println!("compute_min_ms={compute_min:.1}");
    println!("prepare_ms={prepare_ms:.1}");
    println!("method_ms={method_ms:.1}");
    println!("uncertainty_ms={mc_ms:.1}");
    println!("uncertainty_min_ms={mc_min:.1}");
    println!("uncertainty_1thread_ms={mc1_ms:.1}");
    println!("full_ms={full_ms:.1}");
    println!("full_min_ms={full_min:.1}");
    println!("mean_rank_shift={:.3}", bands.mean_rank_shift);
    for s in &full_u.sobol {
        println!("sobol_{}={:.4},{:.4}", s.factor, s.first_order, s.total);
    }
    ExitCode::SUCCESS
}
