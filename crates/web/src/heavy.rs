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
//!
//! A progressive computation ([`Job`], the scenario page's "Doorrekenen") outlives the request
//! that starts it: the page asks for its state every fraction of a second and shows the
//! picture so far. Its request "ends" when nobody has asked for [`JOB_IDLE`] or the time limit
//! passes; then its stop is set, as for a request that hangs up. It holds the client's permit
//! like any heavy request, so a client still has at most `per_client` computing at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    /// Progressive computations, running or finished a short while ago.
    pub jobs: Jobs,
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
            jobs: Jobs::default(),
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

/// A progressive computation is stopped when nobody has asked for its state this long (the
/// page that started it was closed).
pub const JOB_IDLE: Duration = Duration::from_secs(10);

/// How long a finished computation's answer is kept (for the page, its chart downloads and
/// its CSV).
pub const JOB_KEPT: Duration = Duration::from_secs(15 * 60);

/// Most finished computations kept at once (the oldest go first).
pub const JOBS_KEPT: usize = 256;

/// Most finished computations kept per client (its oldest go first, so one client cannot
/// push out the others' answers).
pub const JOBS_KEPT_PER_CLIENT: usize = 8;

/// Why a progressive computation ended without its full answer: HTTP status and the message
/// in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailure {
    pub status: u16,
    pub nl: String,
    pub en: String,
}

/// What a progressive computation has so far.
#[derive(Debug, Clone, Default)]
pub struct JobState {
    /// runs finished (of each side)
    pub done: usize,
    /// runs asked for
    pub total: usize,
    /// the answer from the runs finished so far (None before the first part)
    pub result: Option<Arc<serde_json::Value>>,
    /// set when it ended without its full answer
    pub failure: Option<JobFailure>,
    /// seconds from the start to the first answer and to the full answer
    pub first_seconds: Option<f64>,
    pub full_seconds: Option<f64>,
}

impl JobState {
    /// Running, finished with all runs, or ended with a failure.
    pub fn status(&self) -> &'static str {
        if self.failure.is_some() {
            "fout"
        } else if self.done >= self.total && self.result.is_some() {
            "klaar"
        } else {
            "bezig"
        }
    }
}

/// One progressive computation of one client.
pub struct Job {
    /// 32 hex characters from the operating system's random source
    pub id: String,
    pub client: String,
    /// set to stop the work (idle, time limit, cancelled)
    pub stop: Arc<Stop>,
    state: Mutex<JobState>,
    started: Instant,
    seen: Mutex<Instant>,
    ended: Mutex<Option<Instant>>,
}

impl Job {
    /// Its state now.
    pub fn state(&self) -> JobState {
        self.state.lock().expect("no panics while holding").clone()
    }

    /// A new answer from `done` runs (the work calls this after each part).
    pub fn progress(&self, done: usize, result: serde_json::Value) {
        let mut s = self.state.lock().expect("no panics while holding");
        if s.failure.is_some() {
            return;
        }
        let t = self.started.elapsed().as_secs_f64();
        s.done = done;
        s.result = Some(Arc::new(result));
        s.first_seconds.get_or_insert(t);
        if done >= s.total {
            s.full_seconds = Some(t);
            *self.ended.lock().expect("no panics while holding") = Some(Instant::now());
        }
    }

    /// Ends it with a failure (the first one counts) and stops the work.
    pub fn fail(&self, failure: JobFailure) {
        self.stop.stop();
        let mut s = self.state.lock().expect("no panics while holding");
        if s.failure.is_none() && s.status() == "bezig" {
            s.failure = Some(failure);
            *self.ended.lock().expect("no panics while holding") = Some(Instant::now());
        }
    }

    /// Whether it has ended (all runs, or a failure).
    pub fn ended(&self) -> bool {
        self.ended
            .lock()
            .expect("no panics while holding")
            .is_some()
    }

    /// Seconds since it started.
    pub fn age(&self) -> Duration {
        self.started.elapsed()
    }

    /// Time since its state was last asked for.
    pub fn idle(&self) -> Duration {
        self.seen.lock().expect("no panics while holding").elapsed()
    }
}

/// The server's progressive computations by id.
#[derive(Default)]
pub struct Jobs {
    map: Mutex<HashMap<String, Arc<Job>>>,
}

impl Jobs {
    /// Registers a new computation of `total` runs for `client` (dropping finished ones older
    /// than [`JOB_KEPT`], and the oldest finished beyond [`JOBS_KEPT`]).
    pub fn create(&self, client: &str, total: usize) -> Arc<Job> {
        let b = veerkracht_partners::auth::random_bytes::<16>();
        let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let now = Instant::now();
        let job = Arc::new(Job {
            id: id.clone(),
            client: client.to_string(),
            stop: Arc::new(Stop::new()),
            state: Mutex::new(JobState {
                total,
                ..JobState::default()
            }),
            started: now,
            seen: Mutex::new(now),
            ended: Mutex::new(None),
        });
        let mut m = self.map.lock().expect("no panics while holding");
        let ended_at = |j: &Job| *j.ended.lock().expect("no panics while holding");
        m.retain(|_, j| ended_at(j).is_none_or(|t| t.elapsed() < JOB_KEPT));
        // this client's oldest finished ones first, then anyone's
        let mut own: Vec<(Instant, String)> = m
            .iter()
            .filter(|(_, j)| j.client == client)
            .filter_map(|(k, j)| ended_at(j).map(|t| (t, k.clone())))
            .collect();
        if own.len() >= JOBS_KEPT_PER_CLIENT {
            own.sort();
            for (_, k) in own.iter().take(own.len() + 1 - JOBS_KEPT_PER_CLIENT) {
                m.remove(k);
            }
        }
        let mut finished: Vec<(Instant, String)> = m
            .iter()
            .filter_map(|(k, j)| ended_at(j).map(|t| (t, k.clone())))
            .collect();
        if finished.len() >= JOBS_KEPT {
            finished.sort();
            for (_, k) in finished.iter().take(finished.len() + 1 - JOBS_KEPT) {
                m.remove(k);
            }
        }
        m.insert(id, job.clone());
        job
    }

    /// The computation `id` of `client` (None for another client's: its id is no key to
    /// it), marked as seen.
    pub fn get(&self, id: &str, client: &str) -> Option<Arc<Job>> {
        let m = self.map.lock().expect("no panics while holding");
        let j = m.get(id).filter(|j| j.client == client)?.clone();
        *j.seen.lock().expect("no panics while holding") = Instant::now();
        Some(j)
    }

    /// How many are registered (running or kept).
    pub fn len(&self) -> usize {
        self.map.lock().expect("no panics while holding").len()
    }

    /// Whether none is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
