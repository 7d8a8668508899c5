//! The stop that ends runs early (a leaf module: the engine checks it, callers set it).

use std::sync::atomic::{AtomicBool, Ordering};

/// A flag that ends runs early: set by whoever no longer needs the result (a request that
/// timed out or whose client went away). Setting it is enough; the engine checks it at every
/// simulated year.
#[derive(Debug, Default)]
pub struct Stop(AtomicBool);

impl Stop {
    /// A stop that is not set.
    pub const fn new() -> Stop {
        Stop(AtomicBool::new(false))
    }

    /// Asks the runs to stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the runs were asked to stop.
    pub fn stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The runs were stopped before they finished (see [`Stop`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the simulation was stopped before it finished")]
pub struct Stopped;
