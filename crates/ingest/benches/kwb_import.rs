//! Import of a national-size KWB CSV (~17,000 rows × 121 columns, from the demo generator).
//!
//! `cargo bench -p veerkracht-ingest --bench kwb_import`
//!
//! - `import_bytes`: decode, line-length guard, CSV parse, delimiter/decimal detection, code
//!   normalisation, catalogue mapping, missing reasons, rounding flags → `ImportBatch`.
//! - `import_and_dataset`: the same plus `Dataset::add_batch`.
//! - `dataset_add_batch`: `Dataset::add_batch` alone on a prepared batch.
//!
//! The target of the foundation issue is < 300 ms for the import (`bench/README.md`).

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use veerkracht_dataset::{Catalogue, Dataset, ImportBatch};
use veerkracht_ingest::{ImportOptions, import_bytes};

/// The national file has no year column; the edition comes from the name (2023, as generated).
const NAME: &str = "kwb-2023.csv";

static CSV: LazyLock<Vec<u8>> =
    LazyLock::new(|| veerkracht_demo::national_kwb_csv(veerkracht_demo::DEFAULT_SEED).into_bytes());
static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::embedded);

fn main() {
    let bytes = &*CSV;
    let text = std::str::from_utf8(bytes).expect("generator writes UTF-8");
    let rows = text.lines().count() - 1;
    let cols = text.lines().next().map_or(0, |h| h.split(';').count());
    eprintln!(
        "national KWB CSV: {rows} rows × {cols} columns, {:.1} MB",
        bytes.len() as f64 / 1e6
    );
    divan::main();
}

fn import() -> Vec<ImportBatch> {
    import_bytes(NAME, black_box(&CSV), &CATALOGUE, &ImportOptions::default())
        .expect("the national file imports")
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn import_only(b: Bencher) {
    b.bench(import);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn import_and_dataset(b: Bencher) {
    b.bench(|| {
        let batches = import();
        let mut ds = Dataset::new(CATALOGUE.clone());
        for (i, batch) in batches.iter().enumerate() {
            ds.add_batch(batch, i as u32 + 1);
        }
        ds
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn dataset_add_batch(b: Bencher) {
    let batches = import();
    b.with_inputs(|| Dataset::new(CATALOGUE.clone()))
        .bench_local_values(|mut ds| {
            for (i, batch) in batches.iter().enumerate() {
                ds.add_batch(batch, i as u32 + 1);
            }
            ds
        });
}
