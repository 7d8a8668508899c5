//! Times the import of one KWB file in-process (used by `bench/kwb_import.sh`).
//!
//! Reads the file once, then runs `import_bytes` + `Dataset::add_batch` once as a warm-up and
//! `N` (default 15) more times. Prints the median wall time in milliseconds of the import alone
//! (`import_ms`) and of import + dataset (`median_ms`), their minima (`import_min_ms`,
//! `min_ms`), with the counts of observations, missing
//! reasons and rounded cells, one `key=value` per line on stdout; a summary on stderr.
//! Exits non-zero when the import fails.
//!
//! ```text
//! cargo run --release -p veerkracht-ingest --example time_import -- bench/out/kwb-national.csv [N] [NAME]
//! ```
//!
//! `NAME` is the file name given to the importer (default `kwb-2023.csv`: the national
//! benchmark file carries no year column, so the edition comes from the name).

use std::process::ExitCode;
use std::time::Instant;

use veerkracht_dataset::{Catalogue, Dataset, Flags, ImportBatch, Missing, Value};
use veerkracht_ingest::{ImportOptions, import_bytes};

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Counts of the first run: (areas, observations, not available, secret, nil, rounded).
fn counts(batches: &[ImportBatch]) -> [usize; 6] {
    let (mut areas, mut obs, mut rounded) = (0, 0, 0);
    let (mut na, mut secret, mut nil) = (0, 0, 0);
    for b in batches {
        areas += b.areas.len();
        obs += b.observations.len();
        for o in &b.observations {
            match o.value {
                Value::Missing(Missing::NotAvailable) => na += 1,
                Value::Missing(Missing::Secret) => secret += 1,
                Value::Missing(Missing::Nil) => nil += 1,
                _ => {}
            }
            if o.flags.contains(Flags::ROUNDED) {
                rounded += 1;
            }
        }
    }
    [areas, obs, na, secret, nil, rounded]
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: time_import FILE.csv [N] [NAME]");
        return ExitCode::from(2);
    };
    let n: usize = match args.next().map(|s| s.parse()) {
        None => 15,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("N must be a positive integer");
            return ExitCode::from(2);
        }
    };
    let name = args.next().unwrap_or_else(|| "kwb-2023.csv".to_string());
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let catalogue = Catalogue::embedded();
    let opts = ImportOptions::default();

    // One run: (import ms, import + dataset ms, batches).
    let run = || -> Result<(f64, f64, Vec<ImportBatch>), String> {
        let t = Instant::now();
        let batches = import_bytes(&name, &bytes, &catalogue, &opts).map_err(|e| e.to_string())?;
        let t_import = t.elapsed().as_secs_f64() * 1e3;
        let mut ds = Dataset::new(catalogue.clone());
        for (i, b) in batches.iter().enumerate() {
            ds.add_batch(b, i as u32 + 1);
        }
        std::hint::black_box(&ds);
        let t_total = t.elapsed().as_secs_f64() * 1e3;
        drop(ds);
        Ok((t_import, t_total, batches))
    };

    // Warm-up (also the correctness check).
    let first = match run() {
        Ok((_, _, batches)) => counts(&batches),
        Err(e) => {
            eprintln!("import failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut import_ms, mut total_ms) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        match run() {
            Ok((a, b, batches)) => {
                import_ms.push(a);
                total_ms.push(b);
                drop(batches);
            }
            Err(e) => {
                eprintln!("import failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (imp, tot) = (median(&mut import_ms), median(&mut total_ms));
    let [areas, obs, na, secret, nil, rounded] = first;
    eprintln!(
        "{path} as {name}: {areas} areas, {obs} observations ({na} not available, {secret} secret, {nil} nil, {rounded} rounded)"
    );
    eprintln!(
        "{n} runs after a warm-up: import {:.1}–{:.1} ms, import + dataset {:.1}–{:.1} ms",
        import_ms[0],
        import_ms[n - 1],
        total_ms[0],
        total_ms[n - 1]
    );
    println!("observations={obs}");
    println!("not_available={na}");
    println!("secret={secret}");
    println!("nil={nil}");
    println!("rounded={rounded}");
    println!("import_ms={imp:.1}");
    println!("median_ms={tot:.1}");
    println!("import_min_ms={:.1}", import_ms[0]);
    println!("min_ms={:.1}", total_ms[0]);
    ExitCode::SUCCESS
}
