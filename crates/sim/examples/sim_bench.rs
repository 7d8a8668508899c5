//! Benchmark and exploration of veerkracht-sim (see bench/simulate.sh).
//!
//!   sim_bench explore SCENARIO.toml RUNS      medians per year (region) and per buurt (last year)
//!   sim_bench decisions RUNS                  allocation decisions per second on the demo region
//!   sim_bench scale COPIES YEARS RUNS THREADS [per_buurt|-] [DWELLINGS]
//!                                             the demo stock replicated COPIES times (cut to DWELLINGS)

use std::time::Instant;

use veerkracht_sim::{Inputs, Model, Scenario, simulate};

fn model(path: Option<&str>) -> Model {
    let text = match path {
        Some(p) => std::fs::read_to_string(p).expect("scenario file"),
        None => veerkracht_sim::DEMO_SCENARIOS[0].1.to_string(),
    };
    let s = Scenario::parse(&text, path.unwrap_or("basis.toml")).unwrap_or_else(|e| panic!("{e}"));
    let (v, k) = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files();
    Model::build(s, &Inputs::with_embedded_rules(v, k), 1).unwrap_or_else(|e| panic!("{e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("explore") => {
            let t = Instant::now();
            let m = model(Some(&args[2]));
            eprintln!(
                "setup {:?}, {} dwellings, {} buurten, {} complexes, hazard h1 {:.4} h2 {:.4}",
                t.elapsed(),
                m.dwellings(),
                m.buurten.len(),
                m.complexen,
                m.hazard.h1,
                m.hazard.h2
            );
            for w in &m.warnings {
                eprintln!("warning: {w}");
            }
            let runs: usize = args[3].parse().unwrap();
            let t = Instant::now();
            let r = simulate(&m, runs, 1, 2, &|| {});
            eprintln!("{runs} runs in {:?}", t.elapsed());
            for (i, name) in r.metrics.regio.iter().enumerate() {
                let v: Vec<String> = (0..r.jaren)
                    .map(|y| format!("{:.3}", r.regio_q(y, i).p50))
                    .collect();
                println!("{name:45} {}", v.join(" "));
            }
            if r.per_buurt() {
                let last = r.jaren - 1;
                let names = [
                    "woningen",
                    "aandeel_sociaal",
                    "gem_huur",
                    "mutatiegraad",
                    "aandeel_kwetsbaar",
                    "verhuringen",
                    "verhuringen_kwetsbaar",
                    "aandeel_kwetsbaar_instroom",
                    "geblokkeerd",
                    "wachttijd_regulier",
                ];
                let idx: Vec<usize> = names.iter().map(|n| r.buurt_index(n).unwrap()).collect();
                println!(
                    "{:12} {}",
                    "buurt",
                    names
                        .iter()
                        .map(|n| format!("{:>10}", &n[..n.len().min(10)]))
                        .collect::<String>()
                );
                for (b, (code, _)) in r.buurten.iter().enumerate() {
                    let v: String = idx
                        .iter()
                        .map(|&i| {
                            // mean over years for flows, last year for stocks
                            let x = if names[idx.iter().position(|&j| j == i).unwrap()]
                                .starts_with("verhuringen")
                                || names[idx.iter().position(|&j| j == i).unwrap()]
                                    == "mutatiegraad"
                            {
                                (0..r.jaren)
                                    .map(|y| r.buurt_q(y, b, i).gemiddelde)
                                    .sum::<f64>()
                                    / r.jaren as f64
                            } else {
                                r.buurt_q(last, b, i).p50
                            };
                            format!("{x:>10.3}")
                        })
                        .collect();
                    println!("{code:12} {v}");
                }
            }
        }
        Some("checksum") => {
            // a fingerprint of every output value of a scenario (to see whether a change keeps
            // the results bit for bit)
            let m = model(args.get(2).map(String::as_str));
            let runs: usize = args[3].parse().unwrap();
            let r = simulate(&m, runs, 1, 2, &|| {});
            let mut h: u64 = 0xcbf29ce484222325;
            let mut mix = |x: u32| {
                h ^= u64::from(x);
                h = h.wrapping_mul(0x100000001b3);
            };
            for o in &r.runs {
                o.regio.iter().for_each(|v| mix(v.to_bits()));
                o.buurt.iter().for_each(|v| mix(v.to_bits()));
            }
            let regio = r
                .runs
                .iter()
                .map(|o| o.regio.iter().map(|v| v.to_bits() as u64).sum::<u64>())
                .sum::<u64>();
            println!(
                "checksum {h:016x} regio-sum {regio} decisions {}",
                r.runs.iter().map(|o| o.aanbiedingen).sum::<u64>()
            );
            for (i, name) in r.metrics.regio.iter().enumerate() {
                let q = r.regio_q(r.jaren - 1, i);
                println!("  {name:45} {:.6} {:.6}", q.p50, q.gemiddelde);
            }
        }
        Some("decisions") => {
            let m = model(None);
            let runs: usize = args[2].parse().unwrap();
            let t = Instant::now();
            let r = simulate(&m, runs, 1, 2, &|| {});
            let s = t.elapsed().as_secs_f64();
            let d: u64 = r.runs.iter().map(|o| o.aanbiedingen).sum();
            let l: u64 = r.runs.iter().map(|o| o.verhuringen).sum();
            println!(
                "decisions {d} lettings {l} in {s:.3} s: {:.2} M decisions/s, {:.2} M lettings/s",
                d as f64 / s / 1e6,
                l as f64 / s / 1e6
            );
        }
        Some("scale") => {
            let copies: usize = args[2].parse().unwrap();
            let years: u32 = args[3].parse().unwrap();
            let runs: usize = args[4].parse().unwrap();
            let threads: usize = args[5].parse().unwrap();
            let per_buurt = args.get(6).is_some_and(|x| x == "per_buurt");
            let mut base = model(None);
            base.scenario.jaren = years;
            base.acties = vec![Vec::new(); years as usize];
            base.scenario.uitvoer.per_buurt = per_buurt;
            let target: Option<usize> = args.get(7).and_then(|x| x.parse().ok());
            let t = Instant::now();
            // a city is one housing market; the national stock is `copies` markets
            let mut m = if target.is_some() {
                base.replicate(copies)
            } else {
                base.replicate_markets(copies)
            };
            if let Some(n) = target {
                // cut the replicated stock to n dwellings (a city of that size)
                let f = n as f64 / m.n0 as f64;
                m.d_buurt.truncate(n);
                m.d_kind.truncate(n);
                m.d_points.truncate(n);
                m.d_max_rent.truncate(n);
                m.d_rent.truncate(n);
                m.d_seg.truncate(n);
                m.d_daeb.truncate(n);
                m.d_complex.truncate(n);
                m.h_class.truncate(n);
                m.h_groups.truncate(n);
                m.n0 = n;
                m.instroom.iter_mut().for_each(|x| *x *= f);
                m.limiet.iter_mut().flatten().for_each(|x| x.0 *= f);
                m.count_households();
            }
            let setup = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let r = simulate(&m, runs, 1, threads, &|| {});
            let s = t.elapsed().as_secs_f64();
            let d: u64 = r.runs.iter().map(|o| o.aanbiedingen).sum();
            let l: u64 = r.runs.iter().map(|o| o.verhuringen).sum();
            println!(
                "dwellings {} buurten {} years {years} runs {runs} threads {threads}: {s:.3} s (replicate {setup:.3} s); {d} decisions, {l} lettings, {:.2} M decisions/s",
                m.dwellings(),
                m.buurten.len(),
                d as f64 / s / 1e6
            );
        }
        _ => eprintln!(
            "usage: sim_bench explore SCENARIO RUNS | decisions RUNS | scale COPIES YEARS RUNS THREADS [per_buurt]"
        ),
    }
}
