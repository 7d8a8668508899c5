//! Monte Carlo over threads, quantiles over runs and the comparison of two scenarios.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::engine::{self, Metrics, RunOutput};
use crate::model::Model;
use crate::stop::{Stop, Stopped};

/// p5 / p50 / p95 and the mean over runs (NaN when no run has a value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantiles {
    /// the 5th percentile
    pub p5: f64,
    /// the median
    pub p50: f64,
    /// the 95th percentile
    pub p95: f64,
    /// the mean
    pub gemiddelde: f64,
}

/// Quantiles of the finite values of `v` (linear interpolation between order statistics,
/// type 7 as R and numpy's default).
pub fn quantiles(v: &mut [f64]) -> Quantiles {
    let mut n = 0;
    for i in 0..v.len() {
        if v[i].is_finite() {
            v.swap(n, i);
            n += 1;
        }
    }
    let v = &mut v[..n];
    if v.is_empty() {
        return Quantiles {
            p5: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
            gemiddelde: f64::NAN,
        };
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (v.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        v[lo] + (h - lo as f64) * (v[hi] - v[lo])
    };
    Quantiles {
        p5: q(0.05),
        p50: q(0.5),
        p95: q(0.95),
        gemiddelde: v.iter().sum::<f64>() / v.len() as f64,
    }
}

/// The runs of one scenario.
#[derive(Debug, Clone)]
pub struct Results {
    /// the scenario's name
    pub scenario: String,
    /// the first simulated year
    pub startjaar: i32,
    /// the number of simulated years
    pub jaren: usize,
    /// (code, naam) per buurt
    pub buurten: Vec<(String, String)>,
    /// the names of the region and buurt metrics
    pub metrics: Metrics,
    /// one output per run, in run order
    pub runs: Vec<RunOutput>,
    /// the number of the first run in `runs` (0 for a whole batch; see
    /// [`simulate_runs_stoppable`])
    pub first_run: usize,
    /// the seed of every run's ChaCha8 stream
    pub seed: u64,
    /// per stream (the order of the `plaatsingen_{stroom}` metrics): urgent or regular
    pub stroom_urgent: Vec<bool>,
}

/// Runs `runs` replications of `m` on `threads` threads; `tick` is called after each run
/// (for a progress bar). Run r uses ChaCha8 stream r of `seed`: the results are the same
/// for any number of threads.
pub fn simulate(
    m: &Model,
    runs: usize,
    seed: u64,
    threads: usize,
    tick: &(dyn Fn() + Sync),
) -> Results {
    simulate_stoppable(m, runs, seed, threads, tick, &Stop::new()).expect("never stopped")
}

/// [`simulate`] that ends early when `stop` is set: every thread stops at the start of its
/// next simulated year, what was computed is dropped, and the answer is [`Stopped`].
pub fn simulate_stoppable(
    m: &Model,
    runs: usize,
    seed: u64,
    threads: usize,
    tick: &(dyn Fn() + Sync),
    stop: &Stop,
) -> Result<Results, Stopped> {
    simulate_runs_stoppable(m, 0..runs, seed, threads, tick, stop)
}

/// The runs numbered `runs` (say 10..50) of [`simulate_stoppable`]: run r is the same
/// whichever batch it is computed in, so results computed in parts and joined in order with
/// [`Results::append`] equal one batch of all the runs (the scenario page shows a first
/// picture from a few runs and refines it this way).
pub fn simulate_runs_stoppable(
    m: &Model,
    runs: std::ops::Range<usize>,
    seed: u64,
    threads: usize,
    tick: &(dyn Fn() + Sync),
    stop: &Stop,
) -> Result<Results, Stopped> {
    let first = runs.start;
    let runs = runs.end.saturating_sub(runs.start);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, RunOutput)>> = Mutex::new(Vec::with_capacity(runs));
    let threads = threads.clamp(1, runs.max(1));
    // housing markets are prepared once, not per run
    let parts = if m.markten() > 1 {
        m.split_markets()
    } else {
        Vec::new()
    };
    let parts = &parts;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= runs {
                        break;
                    }
                    let run = (first + r) as u64;
                    let out = if parts.is_empty() {
                        engine::run_stoppable(m, seed, run, false, stop)
                    } else {
                        engine::run_markets_stoppable(m, parts, seed, run, false, stop)
                    };
                    let Ok(out) = out else {
                        break;
                    };
                    done.lock().expect("no panics while holding").push((r, out));
                    tick();
                }
            });
        }
    });
    if stop.stopped() {
        return Err(Stopped);
    }
    let mut done = done.into_inner().expect("no panics while holding");
    done.sort_by_key(|(r, _)| *r);
    Ok(Results {
        scenario: m.scenario.naam.clone(),
        startjaar: m.scenario.startjaar,
        jaren: m.scenario.jaren as usize,
        buurten: m
            .buurten
            .iter()
            .map(|b| (b.code.clone(), b.naam.clone()))
            .collect(),
        metrics: Metrics::of(m),
        runs: done.into_iter().map(|(_, o)| o).collect(),
        first_run: first,
        seed,
        stroom_urgent: m.stroom_urgent.clone(),
    })
}

impl Results {
    /// Adds the runs of `more` (the next runs of the same model and seed) after these.
    /// Errors, changing nothing, when `more` is of another scenario, seed or shape, or does
    /// not start at the run after the last of these (no gap, no overlap).
    pub fn append(&mut self, more: Results) -> Result<(), String> {
        if more.scenario != self.scenario
            || more.seed != self.seed
            || more.startjaar != self.startjaar
            || more.jaren != self.jaren
            || more.buurten != self.buurten
            || more.metrics != self.metrics
            || more.stroom_urgent != self.stroom_urgent
        {
            return Err(format!(
                "runs of '{}' (seed {}) cannot be joined to runs of '{}' (seed {})",
                more.scenario, more.seed, self.scenario, self.seed
            ));
        }
        let next = self.first_run + self.runs.len();
        if more.first_run != next {
            return Err(format!(
                "runs from {} cannot follow runs {}..{next}: the next run is {next}",
                more.first_run, self.first_run
            ));
        }
        self.runs.extend(more.runs);
        Ok(())
    }

    /// Index of a region metric by name.
    pub fn regio_index(&self, name: &str) -> Option<usize> {
        self.metrics.regio.iter().position(|x| x == name)
    }

    /// Index of a buurt metric by name.
    pub fn buurt_index(&self, name: &str) -> Option<usize> {
        self.metrics.buurt.iter().position(|x| x == name)
    }

    /// Whether per-buurt values were kept.
    pub fn per_buurt(&self) -> bool {
        self.runs.first().is_some_and(|r| !r.buurt.is_empty())
    }

    /// A region value of one run.
    pub fn regio(&self, run: usize, year: usize, metric: usize) -> f64 {
        f64::from(self.runs[run].regio[year * self.metrics.regio.len() + metric])
    }

    /// A buurt value of one run.
    pub fn buurt(&self, run: usize, year: usize, b: usize, metric: usize) -> f64 {
        let k = self.metrics.buurt.len();
        f64::from(self.runs[run].buurt[(year * self.buurten.len() + b) * k + metric])
    }

    /// Values over runs of a region metric in a year.
    pub fn regio_runs(&self, year: usize, metric: usize) -> Vec<f64> {
        (0..self.runs.len())
            .map(|r| self.regio(r, year, metric))
            .collect()
    }

    /// Values over runs of a buurt metric in a year.
    pub fn buurt_runs(&self, year: usize, b: usize, metric: usize) -> Vec<f64> {
        (0..self.runs.len())
            .map(|r| self.buurt(r, year, b, metric))
            .collect()
    }

    /// Quantiles over runs of a region metric in a year (0-based).
    pub fn regio_q(&self, year: usize, metric: usize) -> Quantiles {
        quantiles(&mut self.regio_runs(year, metric))
    }

    /// Quantiles over runs of a buurt metric of buurt `b` in a year (0-based).
    pub fn buurt_q(&self, year: usize, b: usize, metric: usize) -> Quantiles {
        quantiles(&mut self.buurt_runs(year, b, metric))
    }

    /// Long rows: (jaar, code, naam, indicator, quantiles); code `regio` for the region.
    pub fn rows(&self) -> Vec<(i32, String, String, String, Quantiles)> {
        let mut out = Vec::new();
        for y in 0..self.jaren {
            let jaar = self.startjaar + y as i32;
            for (i, name) in self.metrics.regio.iter().enumerate() {
                out.push((
                    jaar,
                    "regio".into(),
                    "regio".into(),
                    name.clone(),
                    self.regio_q(y, i),
                ));
            }
            if self.per_buurt() {
                for (b, (code, naam)) in self.buurten.iter().enumerate() {
                    for (i, name) in self.metrics.buurt.iter().enumerate() {
                        out.push((
                            jaar,
                            code.clone(),
                            naam.clone(),
                            name.clone(),
                            self.buurt_q(y, b, i),
                        ));
                    }
                }
            }
        }
        out
    }
}

/// One compared number: both scenarios' medians and the quantiles of the per-run
/// difference (B − A, common random numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Verschil {
    /// the calendar year
    pub jaar: i32,
    /// the buurtcode, or `regio`
    pub code: String,
    /// the buurt's name, or `regio`
    pub naam: String,
    /// the metric's name
    pub indicator: String,
    /// scenario A's quantiles over runs
    pub a: Quantiles,
    /// scenario B's quantiles over runs
    pub b: Quantiles,
    /// the quantiles of the per-run difference B − A
    pub verschil: Quantiles,
}

impl Verschil {
    /// The 90 % interval of the difference excludes 0.
    pub fn zeker(&self) -> bool {
        self.verschil.p5 > 0.0 || self.verschil.p95 < 0.0
    }
}

/// Two scenarios run with the same seed and number of runs.
#[derive(Debug, Clone)]
pub struct Comparison<'a> {
    /// the reference scenario
    pub a: &'a Results,
    /// the scenario compared with it
    pub b: &'a Results,
}

impl Comparison<'_> {
    /// Differences for every region metric both have, and every buurt metric when both kept
    /// the same buurten.
    pub fn rows(&self) -> Vec<Verschil> {
        self.rows_of(true)
    }

    /// The region rows of [`Comparison::rows`] only (what a summary needs: the buurt rows
    /// cost a quantile sort per buurt, metric and year).
    pub fn regio_rows(&self) -> Vec<Verschil> {
        self.rows_of(false)
    }

    fn rows_of(&self, buurten: bool) -> Vec<Verschil> {
        let (a, b) = (self.a, self.b);
        let runs = a.runs.len().min(b.runs.len());
        let years = a.jaren.min(b.jaren);
        let mut out = Vec::new();
        let diff = |xa: Vec<f64>, xb: Vec<f64>| -> (Quantiles, Quantiles, Quantiles) {
            let mut d: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| y - x).collect();
            let (mut xa, mut xb) = (xa, xb);
            (quantiles(&mut xa), quantiles(&mut xb), quantiles(&mut d))
        };
        for y in 0..years {
            let jaar = a.startjaar + y as i32;
            for (i, name) in a.metrics.regio.iter().enumerate() {
                let Some(j) = b.regio_index(name) else {
                    continue;
                };
                let xa: Vec<f64> = (0..runs).map(|r| a.regio(r, y, i)).collect();
                let xb: Vec<f64> = (0..runs).map(|r| b.regio(r, y, j)).collect();
                let (qa, qb, qd) = diff(xa, xb);
                out.push(Verschil {
                    jaar,
                    code: "regio".into(),
                    naam: "regio".into(),
                    indicator: name.clone(),
                    a: qa,
                    b: qb,
                    verschil: qd,
                });
            }
            if buurten && a.per_buurt() && b.per_buurt() && a.buurten == b.buurten {
                for (bi, (code, naam)) in a.buurten.iter().enumerate() {
                    for (i, name) in a.metrics.buurt.iter().enumerate() {
                        let Some(j) = b.buurt_index(name) else {
                            continue;
                        };
                        let xa: Vec<f64> = (0..runs).map(|r| a.buurt(r, y, bi, i)).collect();
                        let xb: Vec<f64> = (0..runs).map(|r| b.buurt(r, y, bi, j)).collect();
                        let (qa, qb, qd) = diff(xa, xb);
                        out.push(Verschil {
                            jaar,
                            code: code.clone(),
                            naam: naam.clone(),
                            indicator: name.clone(),
                            a: qa,
                            b: qb,
                            verschil: qd,
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_and_skip_nan() {
        let mut v: Vec<f64> = (0..=100).map(f64::from).collect();
        v.push(f64::NAN);
        let q = quantiles(&mut v);
        assert_eq!((q.p5, q.p50, q.p95), (5.0, 50.0, 95.0));
        assert!(quantiles(&mut [f64::NAN]).p50.is_nan());
    }
}
