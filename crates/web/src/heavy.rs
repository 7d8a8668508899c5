//! Heavy requests (a simulation and its baseline: seconds of CPU and up to the memory budget)
//! are limited twice: at most [`Limits::per_client`] at once per client (a user in
//! `--multi-user` mode, else the client's address), refused beyond that with 429, and at most
//! [`Limits::total`] computing at once on the whole server (the rest wait their turn within
//! the request's time limit). A permit is held by the computation itself, not by the request:
//! when a request ends early (time-out, client gone) its [`Stop`] is set and the permit is
//! returned only when the work has really stopped, so nobody can pile up computations by
//! hanging up and asking again.
//!
//! The work itself is bounded before it starts by [`Budget`] (memory and work units, from
//! `veerkracht_sim::estimate`), and stopped within one simulated year once the request ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use veerkracht_sim::{Budget, Stop};

/// The server's limits on heavy requests (`serve --max-geheugen`, `--max-werk`,
/// `--zware-verzoeken`, `--max-seconden`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// what one request may need (memory, work units)
    pub budget: Budget,
    /// heavy requests of one client at once (1–64; default 2)
    pub per_client: usize,
    /// heavy requests computing at once on the server (default: the number of cores)
    pub total: usize,
    /// seconds a heavy request may take before it is stopped and answered with 503 (1–3600;
    /// default 60)
    pub seconds: u64,
}

/// Longest a heavy request may compute before it is stopped and answered with 503 (the
/// default of [`Limits::seconds`], `serve --max-seconden`).
pub const MAX_SECONDS: u64 = 60;

/// The range of `per_client` (and of `total`).
pub const PER_CLIENT: std::ops::RangeInclusive<usize> = 1..=64;

/// The range of the memory budget (MiB) and of the work budget (M units).
pub const BUDGET_MIB: std::ops::RangeInclusive<u64> = 64..=65_536;
pub const BUDGET_WORK_M: std::ops::RangeInclusive<u64> = 1..=1_000_000;

impl Limits {
    /// Ok when every limit is within its range.
    pub fn check(&self) -> Result<(), String> {
        let mib = self.budget.bytes / veerkracht_sim::budget::MIB;
        if !BUDGET_MIB.contains(&mib) {
            return Err(format!(
                "--max-geheugen {mib} is outside {}–{} MB",
                BUDGET_MIB.start(),
                BUDGET_MIB.end()
            ));
        }
        let work = self.budget.work / 1_000_000;
        if !BUDGET_WORK_M.contains(&work) {
            return Err(format!(
                "--max-werk {work} is outside {}–{} (millions of work units)",
                BUDGET_WORK_M.start(),
                BUDGET_WORK_M.end()
            ));
        }
        if !(1..=3600).contains(&self.seconds) {
            return Err(format!("--max-seconden {} is outside 1–3600", self.seconds));
        }
        for (name, v) in [
            ("--zware-verzoeken", self.per_client),
            ("heavy slots", self.total),
        ] {
            if !PER_CLIENT.contains(&v) {
                return Err(format!(
                    "{name} {v} is outside {}–{}",
                    PER_CLIENT.start(),
                    PER_CLIENT.end()
                ));
            }
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            budget: Budget::SERVER,
            per_client: 2,
            total: std::thread::available_parallelism().map_or(1, |n| n.get().min(64)),
            seconds: MAX_SECONDS,
        }
    }
}

/// The server's accounting of heavy requests.
pub struct Heavy {
    pub limits: Limits,
    slots: Arc<Semaphore>,
    clients: Mutex<HashMap<String, usize>>,
    computing: AtomicUsize,
}

/// The right of one client to run one heavy request; given back when dropped (by the
/// computation, after it has stopped).
pub struct Permit {
    heavy: Arc<Heavy>,
    client: String,
    slot: Option<OwnedSemaphorePermit>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.slot.take().is_some() {
            self.heavy.computing.fetch_sub(1, Ordering::SeqCst);
        }
        let mut c = self.heavy.clients.lock().expect("no panics while holding");
        if let Some(n) = c.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                c.remove(&self.client);
            }
        }
    }
}

impl Heavy {
    pub fn new(limits: Limits) -> Heavy {
        Heavy {
            limits,
            slots: Arc::new(Semaphore::new(limits.total.max(1))),
            clients: Mutex::default(),
            computing: AtomicUsize::new(0),
        }
    }

    /// Computations running now (for tests and monitoring).
    pub fn computing(&self) -> usize {
        self.computing.load(Ordering::SeqCst)
    }

    /// A client's permit, or None when it already has `per_client` heavy requests.
    pub fn admit(self: &Arc<Self>, client: &str) -> Option<Permit> {
        let mut c = self.clients.lock().expect("no panics while holding");
        let n = c.entry(client.to_string()).or_insert(0);
        if *n >= self.limits.per_client {
            return None;
        }
        *n += 1;
        Some(Permit {
            heavy: self.clone(),
            client: client.to_string(),
            slot: None,
        })
    }
}

impl Permit {
    /// Waits for one of the server's computing slots.
    pub async fn slot(&mut self) {
        if self.slot.is_none() {
            let s = self
                .heavy
                .slots
                .clone()
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            self.heavy.computing.fetch_add(1, Ordering::SeqCst);
            self.slot = Some(s);
        }
    }
}

/// Sets the stop when dropped: a request's future owns one, so a time-out or a client that
/// goes away (hyper drops the future) stops the runs it started.
pub struct StopOnDrop(pub Arc<Stop>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}
