//! The flat portfolio form in bulk, for `bench/wws.sh`.
//!
//! * `wws_flat_bulk gen STOCK.csv N OUT.csv`: writes N rows made from the demo stock by
//!   repeating it with deterministic perturbations (area ±5 m², WOZ ±10 %, bouwjaar ±2,
//!   every fourth copy one label step better, ids suffixed with the copy number): a stand-in
//!   for the national corporation stock (2.3 million units).
//! * `wws_flat_bulk run FLAT.csv THREADS [RUNS]`: parses and values the file by the
//!   points-only path (`flat::waardeer_punten_csv`) on THREADS threads, RUNS times (default
//!   3, after one warm-up run) and prints JSON: rows, threads, the median wall time
//!   (file already in memory), the median CPU time of the process (user + system, all
//!   threads; 10 ms ticks) and units/s in total and per thread.

use std::io::Write;
use std::time::Instant;

use veerkracht_wws::Options;
use veerkracht_wws::flat::waardeer_punten_csv;

fn generate(stock: &str, n: usize, out: &str) {
    let text = std::fs::read_to_string(stock).expect("read stock");
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().expect("header");
    let cols: Vec<&str> = header.split(';').collect();
    let col = |name: &str| cols.iter().position(|c| *c == name).expect(name);
    let (c_id, c_opp, c_woz, c_bj, c_label) = (
        col("eenheid_id"),
        col("oppervlakte_m2"),
        col("woz_waarde"),
        col("bouwjaar"),
        col("energielabel"),
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
    let labels = [
        "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
    ];
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).expect("create"));
    writeln!(w, "{header}").unwrap();
    for k in 0..n {
        let copy = k / rows.len();
        let i = k % rows.len();
        let mut f: Vec<String> = rows[i].iter().map(|s| s.to_string()).collect();
        if copy > 0 {
            let h = (copy * 7919 + i * 104_729) as i64;
            f[c_id] = format!("{}-{copy:03}", f[c_id]);
            let opp: f64 = f[c_opp].replace(',', ".").parse().unwrap_or(60.0);
            f[c_opp] = format!("{}", (opp + (h % 11 - 5) as f64).max(15.0)).replace('.', ",");
            let woz: f64 = f[c_woz].replace(',', ".").parse().unwrap_or(200_000.0);
            f[c_woz] = format!("{:.0}", woz * (1.0 + ((h / 11) % 21 - 10) as f64 / 100.0));
            let bj: i64 = f[c_bj].parse().unwrap_or(1970);
            f[c_bj] = (bj + (h / 231) % 5 - 2).min(2025).to_string();
            if copy.is_multiple_of(4)
                && let Some(p) = labels.iter().position(|l| *l == f[c_label])
            {
                f[c_label] = labels[p.saturating_sub(1)].to_string();
            }
        }
        writeln!(w, "{}", f.join(";")).unwrap();
    }
}

/// CPU time (user + system) of this process so far, in seconds (Linux; 0 elsewhere).
fn cpu_s() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the command name in parentheses: utime and stime are the 12th and 13th
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}

fn run(path: &str, threads: usize, runs: usize) {
    let text = std::fs::read_to_string(path).expect("read flat CSV");
    let opts = Options::default();
    let mut times = Vec::new();
    let (mut rows, mut check) = (0, 0.0);
    let mut cpu = Vec::new();
    for run in 0..=runs {
        let t0 = Instant::now();
        let c0 = cpu_s();
        let pts = waardeer_punten_csv(&text, &opts, threads, |_, p| {
            p.map(|p| p.punten).unwrap_or(f64::NAN)
        })
        .expect("flat CSV");
        let dt = t0.elapsed().as_secs_f64();
        rows = pts.len();
        check = pts.iter().filter(|x| !x.is_nan()).sum::<f64>();
        if run > 0 {
            times.push(dt);
            cpu.push(cpu_s() - c0);
        }
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let wall = times[times.len() / 2];
    println!(
        "{}",
        serde_json::json!({
            "rows": rows,
            "bytes": text.len(),
            "threads": threads,
            "wall_s": wall,
            "cpu_s": cpu[cpu.len() / 2],
            "units_per_s": rows as f64 / wall,
            "units_per_s_per_thread": rows as f64 / wall / threads as f64,
            "checksum": check,
        })
    );
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let usage = "usage: wws_flat_bulk gen STOCK.csv N OUT.csv | run FLAT.csv THREADS [RUNS]";
    match a.get(1).map(String::as_str) {
        Some("gen") if a.len() == 5 => generate(&a[2], a[3].parse().expect(usage), &a[4]),
        Some("run") if a.len() >= 4 => run(
            &a[2],
            a[3].parse().expect(usage),
            a.get(4).and_then(|s| s.parse().ok()).unwrap_or(3),
        ),
        _ => panic!("{usage}"),
    }
}
