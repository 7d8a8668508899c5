//! Test helpers: locating the real data in ../shared.
#![allow(dead_code)]

use std::path::PathBuf;

use veerkracht_dataset::{Catalogue, Dataset, ImportBatch};
use veerkracht_ingest::{ImportOptions, import_path};

/// Path of a file under `../shared/data/real`, or `None` (with a note) when it is absent.
/// With `CI` set, a missing file fails the test: real-data tests must not silently skip in CI.
pub fn real(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/real")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "real data file {} is missing, and CI is set: real-data tests must not skip in CI",
            p.display()
        );
    }
    eprintln!(
        "note: {} not found; skipping this real-data test (it fails under CI)",
        p.display()
    );
    None
}

/// Imports files into a fresh dataset, panicking with the import error on failure.
pub fn load(paths: &[(PathBuf, ImportOptions)]) -> (Dataset, Vec<ImportBatch>) {
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    let mut all = Vec::new();
    for (i, (p, o)) in paths.iter().enumerate() {
        let batches = import_path(p, &cat, o).unwrap_or_else(|e| panic!("import failed: {e}"));
        for b in batches {
            ds.add_batch(&b, i as u32 + 1);
            all.push(b);
        }
    }
    (ds, all)
}
