//! # veerkracht-index
//!
//! The veerkracht index: a composite score per buurt defined as data
//! (`data/index/*.toml`), explainable down to raw indicators, with the
//! veerkracht signal and the corporatiebuurt comparison. Reads a
//! [`veerkracht_dataset::Dataset`]; does no I/O.

#![warn(missing_docs)]

pub mod compare;
pub mod compute;
pub mod definition;
pub mod eligibility;
pub mod method;
pub mod peers;
pub mod signal;
pub mod uncertainty;

pub use compare::{Comparison, compare};
pub use compute::{
    AreaScore, Class, ComponentScore, Contribution, IndexResult, IndicatorRun, Overrides, compute,
    compute_with,
};
pub use definition::{Definition, DefinitionError};
pub use eligibility::{Eligibility, Exclusion, Reason, Status};
pub use signal::{AreaSignal, Quadrant, SignalResult, signal};
pub use uncertainty::{Uncertainty, index_with_uncertainty, uncertainty};
