//! Shared helpers for the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

/// Decides what a test does when a prerequisite (reference data, GDAL tool) is
/// missing: with the environment variable `CI` set it panics, so CI cannot pass
/// silently; otherwise it prints a note and returns `false` so the test can
/// return early.
pub fn require(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is required when CI is set, but it is missing"
    );
    eprintln!("note: skipping test because {what} is missing (set CI=1 to make this an error)");
    false
}

/// Path of a file under `/work/shared/data/real` (resolved from the crate
/// directory), or `None` after [`require`] when it is missing.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/real")
        .join(relative);
    require(
        path.is_file(),
        &format!("reference data file {}", path.display()),
    )
    .then_some(path)
}

/// Whether the GDAL command-line tool `name` runs, after [`require`].
pub fn gdal_tool(name: &str) -> bool {
    let runs = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    require(
        runs,
        &format!("GDAL tool {name} (apt-get install gdal-bin)"),
    )
}

pub const WIJKEN: &str = "geo-wijken-gemeenten-2024-nl/wijken_2024.geojson";
pub const AMSTERDAM_BUURTEN: &str = "geo-amsterdam-buurten-wijken/amsterdam_buurten.geojson";
