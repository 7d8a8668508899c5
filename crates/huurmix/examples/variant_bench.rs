//! Times a policy variant against today's rules over a flat stock (issue 19, item 6):
//! both valuations of every row and the per-buurt summary (`huurmix::variant::vergelijk_csv`),
//! then the publication through the privacy layer when the stock is small enough to hold a
//! rent mix (≤ 100,000 rows). Prints JSON with the median wall and CPU time of RUNS runs.
//!
//!   variant_bench FLAT.csv THREADS RUNS VARIANT.toml

use std::time::Instant;

use veerkracht_huurmix::variant::{publish, vergelijk_csv};
use veerkracht_wws::Options;
use veerkracht_wws::variant::Variant;

/// CPU time (user + system) of this process so far, in seconds (Linux; 0 elsewhere).
fn cpu_s() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    rest.split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse::<f64>().ok())
        .sum::<f64>()
        / 100.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let usage = "usage: variant_bench FLAT.csv THREADS RUNS VARIANT.toml";
    assert!(a.len() == 5, "{usage}");
    let text = std::fs::read_to_string(&a[1]).expect("read flat CSV");
    let threads: usize = a[2].parse().expect(usage);
    let runs: usize = a[3].parse().expect(usage);
    let v = Variant::parse(
        &a[4],
        &std::fs::read_to_string(&a[4]).expect("read variant"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let opts = Options::default();
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut last = None;
    for run in 0..=runs {
        let (t0, c0) = (Instant::now(), cpu_s());
        let c = vergelijk_csv(&text, &opts, std::slice::from_ref(&v), threads).expect("flat CSV");
        if run > 0 {
            wall.push(t0.elapsed().as_secs_f64());
            cpu.push(cpu_s() - c0);
        }
        last = Some(c);
    }
    let c = last.expect("one run");
    let rows = c.totaal.woningen + c.totaal.fouten + c.fouten_voor;
    let mut publish_s = None;
    if rows <= 100_000 {
        let units = veerkracht_wws::flat::parse_csv(&text).expect("flat CSV");
        let t0 = Instant::now();
        let mix = veerkracht_huurmix::mix_of(&units, &opts);
        let privacy = veerkracht_privacy::Options::default();
        let p = veerkracht_huurmix::publish(&mix, None, &privacy);
        let t1 = Instant::now();
        let _ = publish(&c, &mix, &p, &privacy);
        publish_s = Some((
            t1.duration_since(t0).as_secs_f64(),
            t1.elapsed().as_secs_f64(),
        ));
    }
    let w = median(wall);
    println!(
        "{}",
        serde_json::json!({
            "rows": rows,
            "buurten": c.buurten.len(),
            "threads": threads,
            "variant": v.naam,
            "wall_s": w,
            "cpu_s": median(cpu),
            "rows_per_s": rows as f64 / w,
            "delta_maximale_huur_gemiddeld": (c.totaal.som_max_na - c.totaal.som_max_voor) as f64 / 100.0 / c.totaal.woningen as f64,
            "omlaag": c.totaal.omlaag,
            "rent_mix_s": publish_s.map(|x| x.0),
            "variant_publish_s": publish_s.map(|x| x.1),
        })
    );
}
