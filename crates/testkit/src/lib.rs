//! # veerkracht-testkit
//!
//! Test-only helpers shared by the integration tests of every crate (a
//! dev-dependency only; nothing ships with it). One rule lives here: a test that
//! needs reference data in `../shared` or an external tool (GDAL) **fails** when
//! the environment variable `CI` is set and the prerequisite is missing, and
//! otherwise prints a note and returns early — so CI can never pass by skipping.

use std::path::PathBuf;
use std::process::Command;

/// Whether `CI` is set.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// Applies the rule to one prerequisite: `true` when available; when missing, a panic
/// under CI, else a note on stderr and `false` (the test then returns).
pub fn require(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    assert!(
        !in_ci(),
        "{what} is required when CI is set, but it is missing"
    );
    eprintln!("note: skipping: {what} is missing (this fails under CI)");
    false
}

/// The value of environment variable `name` (set and not blank), after [`require`]: None
/// when it is missing and `CI` is not set; a panic naming `what` (how CI provides it) when
/// `CI` is set.
pub fn env(name: &str, what: &str) -> Option<String> {
    let v = std::env::var(name).ok().filter(|s| !s.trim().is_empty());
    require(v.is_some(), &format!("{name} ({what})")).then(|| v.expect("checked"))
}

/// A path under `../shared` (beside the repository), after [`require`].
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(relative);
    require(path.exists(), &format!("reference data {}", path.display())).then_some(path)
}

/// A file under `../shared/data/real`.
pub fn real(relative: &str) -> Option<PathBuf> {
    shared(&format!("data/real/{relative}"))
}

/// A path under `../shared/peers/woningwaardering`.
pub fn peer(relative: &str) -> Option<PathBuf> {
    shared(&format!("peers/woningwaardering/{relative}"))
}

/// Whether the command-line tool `name` runs (`name --version`), after [`require`].
pub fn tool(name: &str, install_hint: &str) -> bool {
    let runs = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    require(runs, &format!("the tool {name} ({install_hint})"))
}
