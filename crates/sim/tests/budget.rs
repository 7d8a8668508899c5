//! The memory estimate (`veerkracht_sim::estimate`) against what the runs really allocate,
//! measured by a counting global allocator, and the stop (`simulate_stoppable`).
//!
//! One test function runs every case in turn, so no other test of this binary allocates while
//! a peak is measured.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use veerkracht_sim::{DEMO_SCENARIOS, Inputs, Model, Scenario, Stop, estimate, simulate_stoppable};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = CURRENT.fetch_add(n, Ordering::SeqCst) + n;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        CURRENT.fetch_sub(l.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            // old and new block both live during the copy
            grew(new);
            CURRENT.fetch_sub(l.size(), Ordering::SeqCst);
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

fn inputs() -> &'static Inputs {
    static I: OnceLock<Inputs> = OnceLock::new();
    I.get_or_init(|| {
        let (v, k) = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files();
        Inputs::with_embedded_rules(v, k)
    })
}

fn shipped(name: &str) -> &'static str {
    DEMO_SCENARIOS.iter().find(|(n, _)| *n == name).unwrap().1
}

/// Peak bytes allocated while the runs ran, above what was allocated before.
fn measured_peak(m: &Model, runs: usize, threads: usize) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let r = simulate_stoppable(m, runs, 3, threads, &|| {}, &Stop::new()).unwrap();
    let peak = PEAK.load(Ordering::SeqCst) - base;
    drop(r);
    peak
}

#[test]
fn the_estimate_bounds_the_measured_peak_and_a_stop_ends_the_runs() {
    let basis = shipped("basis");
    let cases: Vec<(String, String, usize, usize)> = vec![
        ("basis".into(), basis.into(), 8, 2),
        ("basis, 1 thread".into(), basis.into(), 3, 1),
        ("middenhuur".into(), shipped("middenhuur").into(), 6, 2),
        ("spreiding".into(), shipped("spreiding").into(), 6, 2),
        (
            "50 years".into(),
            basis.replace("jaren = 10", "jaren = 50"),
            4,
            2,
        ),
        (
            "50 years, no per-buurt output".into(),
            basis
                .replace("jaren = 10", "jaren = 50")
                .replace("per_buurt = true", "per_buurt = false"),
            4,
            2,
        ),
        (
            "arrivals at the maximum".into(),
            format!(
                "{}\n[instroom]\nregulier = 500.0\nurgentie = 500.0\n",
                basis
            ),
            2,
            2,
        ),
        (
            "much new-build".into(),
            format!(
                "{}\n[[ingreep]]\njaar = 2026\nbuurt = \"BU90010012\"\nsoort = \"nieuwbouw\"\naantal = 20000\nsegmenten = {{ sociaal = 0.5, midden = 0.5 }}\n",
                basis
            ),
            2,
            2,
        ),
        (
            "moves within the stock".into(),
            basis.replace("jaren = 10", "jaren = 30"),
            2,
            2,
        ),
    ];
    // half of the ending tenancies move within the stock (each a seeker from the stock)
    let mut movers = inputs().clone();
    movers.aannames.verloop.doorstroom = 0.5;
    for (name, text, runs, threads) in cases {
        let s = Scenario::parse(&text, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let inp = if name.starts_with("moves") {
            &movers
        } else {
            inputs()
        };
        let m = Model::build(s, inp, 7).unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = estimate(&m, runs, threads, false);
        let t = Instant::now();
        let peak = measured_peak(&m, runs, threads) as u64;
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "{name}: estimate {:.1} MiB, measured peak {:.1} MiB (×{:.2}), {} seekers, {} dwellings; {:.1} M work units in {secs:.2} s on {threads} threads",
            e.bytes as f64 / 1048576.0,
            peak as f64 / 1048576.0,
            e.bytes as f64 / peak as f64,
            e.seekers,
            e.dwellings,
            e.work as f64 / 1e6,
        );
        assert!(
            e.bytes >= peak,
            "{name}: the estimate {} is below the measured peak {peak}",
            e.bytes
        );
        assert!(
            e.bytes <= 6 * peak + (4 << 20),
            "{name}: the estimate {} is far above the measured peak {peak}",
            e.bytes
        );
    }

    // a stop set from another thread ends the runs within a simulated year
    let long = basis.replace("jaren = 10", "jaren = 50");
    let m = Model::build(Scenario::parse(&long, "lang").unwrap(), inputs(), 7).unwrap();
    let stop = Arc::new(Stop::new());
    let s2 = stop.clone();
    let setter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        s2.stop();
        Instant::now()
    });
    let before = CURRENT.load(Ordering::SeqCst);
    let r = simulate_stoppable(&m, 10_000, 1, 2, &|| {}, &stop);
    let ended = Instant::now();
    let set_at = setter.join().unwrap();
    assert!(r.is_err(), "10,000 runs of 50 years finished within 0.3 s?");
    let after = CURRENT.load(Ordering::SeqCst);
    assert!(
        ended.duration_since(set_at) < Duration::from_secs(2),
        "the runs went on {:?} after the stop",
        ended.duration_since(set_at)
    );
    assert!(
        after <= before + (1 << 20),
        "{} bytes still held after the stopped runs",
        after - before
    );
}
