//! Test helpers: locating the peer fixtures in ../shared.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/peers/woningwaardering/<rel>`, or `None` (with a note) when it is absent;
/// with `CI` set a missing path fails the test.
pub fn peer(rel: &str) -> Option<PathBuf> {
    veerkracht_testkit::peer(rel)
}
