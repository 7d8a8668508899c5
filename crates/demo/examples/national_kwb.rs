//! Writes the national-size synthetic KWB CSV (benchmark input) to a file.
//!
//! ```text
//! cargo run --release -p veerkracht-demo --example national_kwb -- bench/out/kwb-national.csv [SEED]
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: national_kwb OUTPUT.csv [SEED]");
        return ExitCode::from(2);
    };
    let seed = match args.next() {
        None => veerkracht_demo::DEFAULT_SEED,
        Some(s) => match s.parse::<u64>() {
            Ok(v) => v,
            Err(_) => {
                eprintln!("seed '{s}' is not a non-negative integer");
                return ExitCode::from(2);
            }
        },
    };
    let csv = veerkracht_demo::national_kwb_csv(seed);
    let path = std::path::Path::new(&path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(path, &csv) {
        eprintln!("cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let rows = csv.lines().count().saturating_sub(1);
    let cols = csv
        .lines()
        .next()
        .map(|h| h.split(';').count())
        .unwrap_or(0);
    println!(
        "wrote {} ({rows} rows x {cols} columns, {} bytes, seed {seed})",
        path.display(),
        csv.len()
    );
    ExitCode::SUCCESS
}
