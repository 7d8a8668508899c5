//! Times the import of one KWB file in-process (used by `bench/kwb_import.sh`).
//!
//! Reads the file once, then runs `import_bytes` + `Dataset::add_batch` once as a warm-up and
//! `N` (default 15) more times, and prints the median, min and max wall time in milliseconds.
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

use veerkracht_dataset::{Catalogue, Dataset};
use veerkracht_ingest::{ImportOptions, import_bytes};

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

    let run = || -> Result<(usize, usize, usize), String> {
        let batches = import_bytes(&name, &bytes, &catalogue, &opts).map_err(|e| e.to_string())?;
        let mut ds = Dataset::new(catalogue.clone());
        let (mut areas, mut obs) = (0, 0);
        for (i, b) in batches.iter().enumerate() {
            ds.add_batch(b, i as u32 + 1);
            areas += b.areas.len();
            obs += b.observations.len();
        }
        let editions = ds.editions().len();
        std::hint::black_box(&ds);
        Ok((areas, obs, editions))
    };

    // Warm-up (also the correctness check).
    let (areas, obs, editions) = match run() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("import failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut ms = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        if let Err(e) = run() {
            eprintln!("import failed: {e}");
            return ExitCode::FAILURE;
        }
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 {
        ms[n / 2]
    } else {
        (ms[n / 2 - 1] + ms[n / 2]) / 2.0
    };
    eprintln!(
        "{path} as {name}: {areas} areas, {obs} observations, {editions} edition(s); {n} runs: min {:.1} ms, max {:.1} ms",
        ms[0],
        ms[n - 1]
    );
    println!("median_ms={median:.1}");
    ExitCode::SUCCESS
}
