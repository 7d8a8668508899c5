//! Test helpers: locating the peer fixtures in ../shared.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/peers/woningwaardering/<rel>`, or `None` (with a note) when it is absent.
/// With `CI` set, a missing directory fails the test: fixture tests must not skip in CI.
pub fn peer(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peers/woningwaardering")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "peer fixture path {} is missing, and CI is set: fixture tests must not skip in CI",
            p.display()
        );
    }
    eprintln!(
        "note: {} not found; skipping this fixture test (it fails under CI)",
        p.display()
    );
    None
}
