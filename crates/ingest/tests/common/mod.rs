//! Test helpers: locating the real data in ../shared.
#![allow(dead_code)]

use std::path::PathBuf;

use veerkracht_dataset::{Catalogue, Dataset, ImportBatch};
use veerkracht_ingest::{ImportOptions, import_path};

/// Path of a file under `../shared/data/real`, or `None` (with a note) when it is absent;
/// with `CI` set a missing file fails the test.
pub fn real(rel: &str) -> Option<PathBuf> {
    veerkracht_testkit::real(rel)
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
