//! # veerkracht-dataset
//!
//! The data model every other veerkracht crate stands on: normalised area codes
//! and levels ([`AreaCode`], [`Level`]), editions, the indicator catalogue loaded
//! from `data/catalogue/*` ([`Catalogue`]), values that keep *why* they are
//! missing ([`Value`], [`Missing`]) with reliability [`Flags`], geometries per
//! area and edition, the import unit ([`ImportBatch`]) and the in-memory
//! [`Dataset`], plus the crosswalk between editions.
//!
//! Invariant: this crate does no I/O and knows no file format. Importers
//! (`veerkracht-ingest`) produce batches; the store persists them; engines read
//! a `Dataset`.

#![warn(missing_docs)]

pub mod catalogue;
pub mod code;
pub mod crosswalk;
pub mod dataset;
pub mod value;

pub use catalogue::{
    Catalogue, CatalogueError, Direction, FetchHost, FetchProtocol, FetchSource, Indicator,
    TableEntry, Unit,
};
pub use code::{AreaCode, CodeError, Level};
pub use crosswalk::{Link, Method, crosswalk};
pub use dataset::{
    Area, Cell, Coverage, Dataset, Edition, EditionData, GeometryRecord, ImportBatch, Observation,
    SourceInfo,
};
pub use value::{Flags, Missing, SMALL_DENOMINATOR, Value, parse_cell};
