//! Shared helpers for the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

#[allow(unused_imports)] // used by some test binaries only
pub use veerkracht_testkit::require;

/// Path of a file under `../shared/data/real`, or `None` after [`require`] when it is missing.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    veerkracht_testkit::real(relative)
}

/// Whether the GDAL command-line tool `name` runs, after [`require`].
pub fn gdal_tool(name: &str) -> bool {
    veerkracht_testkit::tool(name, "apt-get install gdal-bin")
}

pub const WIJKEN: &str = "geo-wijken-gemeenten-2024-nl/wijken_2024.geojson";
pub const AMSTERDAM_BUURTEN: &str = "geo-amsterdam-buurten-wijken/amsterdam_buurten.geojson";
