//! What a simulation will cost, known before it starts, and the stop that ends it early.
//!
//! [`estimate`] bounds the peak memory and the work of `runs` replications of a built
//! [`Model`] from its inputs alone: dwellings (the stock plus every new-build of the
//! interventions), seekers (the starting pool, the urgent backlog, every year's arrivals,
//! movers within the stock and households re-housed after demolition — seekers are never
//! removed during a run), the per-run outputs that are kept for the quantiles, and the
//! number of runs in flight at once (threads). [`Budget::check`] refuses what exceeds a
//! budget with an error that names the estimate, the budget and the fix. The memory bound is
//! checked against a counting allocator in `tests/budget.rs` (estimate ≥ measured peak, and
//! not more than a few times it).
//!
//! A [`crate::stop::Stop`] is checked by the engine at the start of every simulated year and
//! every run, so a run whose request has ended (time-out, client gone) stops within one
//! simulated year and returns its memory.

use crate::SimError;
use crate::engine::{DWELLING_BYTES, Metrics, SEEKER_BYTES};
use crate::model::{Actie, Model};

/// What a set of runs is estimated to need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// upper bound of the heap memory at the peak (bytes)
    pub bytes: u64,
    /// work units: dwelling-years plus seekers, summed over the runs (the demo's `basis`,
    /// 10 years, is about 0.26 M units a run; the engine does ≈ 25 M units/s per core)
    pub work: u64,
    /// seekers one run may hold at its end (every seeker ever created)
    pub seekers: u64,
    /// dwellings one run may hold at its end (stock and new-build)
    pub dwellings: u64,
}

impl Estimate {
    /// The sum of two estimates (a scenario and its baseline run one after the other but
    /// their results are kept together).
    pub fn plus(self, o: Estimate) -> Estimate {
        Estimate {
            bytes: self.bytes.saturating_add(o.bytes),
            work: self.work.saturating_add(o.work),
            seekers: self.seekers.max(o.seekers),
            dwellings: self.dwellings.max(o.dwellings),
        }
    }
}

/// The most a request or command may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// peak heap memory (bytes)
    pub bytes: u64,
    /// work units (see [`Estimate::work`])
    pub work: u64,
}

/// Mebibytes.
pub const MIB: u64 = 1 << 20;

impl Budget {
    /// The dashboard's default for one request (a scenario and its baseline): 1 GiB and
    /// 1,500 M work units (≈ 30 s on two cores at the measured ≈ 50 M units/s; 500 runs of
    /// a shipped 10-year scenario with its baseline need ≈ 260 M, 500 runs of 50 years
    /// ≈ 1,280 M).
    pub const SERVER: Budget = Budget {
        bytes: 1024 * MIB,
        work: 1_500_000_000,
    };
    /// The command line's default: 16 GiB and no practical limit on work (the national
    /// benchmarks need ≈ 3 GiB; a user on her own machine raises it with `--max-geheugen`).
    pub const CLI: Budget = Budget {
        bytes: 16 * 1024 * MIB,
        work: u64::MAX,
    };

    /// Ok when the estimate fits; else an error naming both and what to change.
    pub fn check(&self, e: &Estimate, what: &str) -> Result<(), SimError> {
        if e.bytes > self.bytes {
            return Err(SimError::new(
                what,
                "budget",
                format!(
                    "the runs would need about {} MiB of memory ({} dwellings and up to {} seekers a run), more than the budget of {} MiB",
                    e.bytes.div_ceil(MIB),
                    e.dwellings,
                    e.seekers,
                    self.bytes / MIB
                ),
                "ask for fewer runs or years, lower [instroom] or new-build, turn off uitvoer.per_buurt, or raise the budget (--max-geheugen MB)",
            ));
        }
        if e.work > self.work {
            return Err(SimError::new(
                what,
                "budget",
                format!(
                    "the runs would need about {} M work units (dwelling-years and seekers over all runs), more than the budget of {} M",
                    e.work.div_ceil(1_000_000),
                    self.work / 1_000_000
                ),
                "ask for fewer runs or years, or lower [instroom], or raise the budget (--max-werk M)",
            ));
        }
        Ok(())
    }
}

/// Bounds the memory and work of `runs` replications of `m` on `threads` threads (with
/// `audit`, every letting of every run is kept as well).
pub fn estimate(m: &Model, runs: usize, threads: usize, audit: bool) -> Estimate {
    let years = u64::from(m.scenario.jaren);
    let runs = runs as u64;
    let threads = (threads.max(1) as u64).min(runs.max(1));
    let n0 = m.n0 as u64;
    let nb = m.buurten.len() as u64;
    let a = &m.aannames;
    let f = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
    // new-build and demolition over the horizon
    let (mut built, mut demolished) = (0u64, 0u64);
    for acts in &m.acties {
        for act in acts {
            match act {
                Actie::Nieuwbouw { woningen, .. } => {
                    built += woningen.iter().map(|w| u64::from(w.4)).sum::<u64>();
                }
                Actie::Sloop(ds) => demolished += ds.len() as u64,
                _ => {}
            }
        }
    }
    let dwellings = n0 + built;
    // exits a year: the calibrated turnover, with room for the hazard's spread by kind
    let exits = 3.0 * f(a.verloop.mutatiegraad).max(0.07) * dwellings as f64 * years as f64;
    let movers = f(a.verloop.doorstroom).min(1.0) * exits;
    let arrivals: f64 = m.instroom.iter().map(|x| f(*x)).sum::<f64>() * years as f64;
    let start_pool = f(a.zoekers.startpool_jaren) * f(a.verloop.mutatiegraad) * n0 as f64
        + f(a.invulling.urgent_startachterstand) * m.instroom.iter().map(|x| f(*x)).sum::<f64>();
    // rounding of every stream's yearly count adds at most one seeker per stream and year
    let rounding = (m.instroom.len() as f64 + 1.0) * (years as f64 + 1.0);
    let seekers = (start_pool + arrivals + movers + rounding).ceil() as u64 + demolished;
    // one run in flight: vectors grow by doubling, so up to twice what they hold; the
    // queues and the seeker records are held twice while a queue is rebuilt
    let metrics = Metrics::of(m);
    let (kb, kr) = (metrics.buurt.len() as u64, metrics.regio.len() as u64);
    let ns = m.stromen.len() as u64;
    let per_buurt_out = if m.scenario.uitvoer.per_buurt {
        years * nb * kb * 4
    } else {
        0
    };
    let state = 2 * dwellings * (DWELLING_BYTES as u64 + 4 + 4)
        + 2 * seekers * (SEEKER_BYTES as u64 + 4 + 4 + 8 + 1)
        + years * 8 * (dwellings / years.max(1) + 1) // exit buckets
        + nb * (64 * 8 + 16 * ns + 8 * m.groep_ids.len() as u64)
        + 8 * m.complexen as u64
        + years * ((40 + 4 * ns) * 8 + nb * 12)
        + per_buurt_out;
    // kept per run: the region and buurt rows (and the audit)
    let kept = years * kr * 4 + per_buurt_out + 256;
    let letting = std::mem::size_of::<crate::Letting>() as u64;
    let audit_bytes = if audit {
        2 * (exits as u64 + built + seekers) * letting
    } else {
        0
    };
    let model = n0 * 48 + 64 * 1024;
    let bytes = model + threads * state + runs * (kept + audit_bytes);
    let work = runs.saturating_mul(years * dwellings + seekers);
    Estimate {
        bytes,
        work,
        seekers,
        dwellings,
    }
}
