#![no_main]
//! Fuzz target `gpkg_geometry`: see crates/fuzzing (what is checked) and fuzz/README.md (how to run).
use libfuzzer_sys::fuzz_target;
use veerkracht_fuzzing::{Kind, run};

fuzz_target!(|data: &[u8]| {
    run(Kind::GpkgGeometry, data);
});
