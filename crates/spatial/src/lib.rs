//! # veerkracht-spatial
//!
//! "Where are the hot spots?" answered with statistics: spatial weights from polygons or
//! points, and global and local spatial autocorrelation, numerically equal to PySAL (libpysal
//! weights, esda statistics) — checked against esda in `tests/esda.rs` — and multi-threaded.
//!
//! - [`build`]: queen/rook contiguity (libpysal's exact vertex method, or a tolerance in
//!   metres), k nearest neighbours, distance bands, island links.
//! - [`Weights`]: sparse weights, transformations R/B/D/V/O, summary (islands, components),
//!   subsets, S0/S1/S2, spatial lag; [`gal`] reads and writes GeoDa's GAL and GWT.
//! - [`moran()`]: global Moran's I with analytic and permutation inference.
//! - [`local`]: local Moran (LISA) and local Getis-Ord G/G* with conditional permutation
//!   inference, FDR/Bonferroni cut-offs and cluster labels.
//!
//! The crate knows nothing of areas or editions: the caller hands it geometries, values and
//! identifiers (the CLI's `veerkracht spatial`).

#![warn(missing_docs)]
// Index loops over units read more clearly than zipped iterators in the statistics.
#![allow(clippy::needless_range_loop)]

pub mod build;
pub mod gal;
pub mod local;
pub mod moran;
pub mod stats;
pub mod weights;

pub use build::Contiguity;
pub use local::{Correction, LocalG, LocalMoran, LocalOptions, Quadrants, g_local, moran_local};
pub use moran::{Moran, moran};
pub use weights::{Summary, Transform, Weights, WeightsError};
