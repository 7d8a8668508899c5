//! Times spatial weights and statistics on the real national wijken 2024 with the Wmo 2024
//! rate (used by `bench/spatial.sh`; see bench/README.md). Writes the units and values it used
//! to OUT.json so the esda side (`bench/spatial_peer.py`) times the very same input.
//!
//! ```text
//! cargo run --release -p veerkracht-spatial --example bench_spatial -- \
//!     WIJKEN.geojson WMO.csv [RUNS] [OUT.json]
//! ```

use std::time::Instant;

use veerkracht_dataset::{Catalogue, Dataset, Level};
use veerkracht_ingest::{ImportOptions, import_path};
use veerkracht_spatial::build::contiguity;
use veerkracht_spatial::{
    Contiguity, LocalOptions, Transform, Weights, g_local, moran, moran_local,
};

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let first = f();
    let mut ms: Vec<f64> = (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms[n / 2], first)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: bench_spatial WIJKEN.geojson WMO.csv [RUNS] [OUT.json]");
        std::process::exit(2);
    }
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let out = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "bench/out/spatial_input.json".into());
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    let geo_opts = ImportOptions {
        edition: Some(2024),
        ..ImportOptions::default()
    };
    for (i, (p, o)) in [(&args[0], geo_opts), (&args[1], ImportOptions::default())]
        .into_iter()
        .enumerate()
    {
        for b in import_path(std::path::Path::new(p), &cat, &o).expect("import") {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    let ed = ds.edition(2024).expect("edition 2024");
    let (mut codes, mut values, mut polys) = (Vec::new(), Vec::new(), Vec::new());
    for a in ds.areas(2024, Level::Wijk) {
        if let (Some(g), Some(v)) = (ed.geometry(&a.code), ds.number(2024, &a.code, "p_wmo_t")) {
            codes.push(a.code.to_string());
            values.push(v);
            polys.push(g.clone());
        }
    }
    let vertices: usize = polys
        .iter()
        .flat_map(|mp| mp.0.iter())
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    let perms = 999;
    let (t_w, nb) = time(runs, || contiguity(&polys, Contiguity::Queen, 0.0));
    let w = Weights::new(codes.clone(), nb, None)
        .unwrap()
        .transformed(Transform::Row);
    let (t_m, m) = time(runs, || moran(&values, &w, perms, 1));
    let mut results = Vec::new();
    for threads in [1usize, 2] {
        let o = LocalOptions {
            permutations: perms,
            seed: 1,
            threads,
            ..LocalOptions::default()
        };
        let (t_l, _) = time(runs, || moran_local(&values, &w, &o));
        let (t_g, _) = time(runs, || {
            (
                g_local(&values, &w, true, false, &o),
                g_local(&values, &w, true, true, &o),
            )
        });
        results.push((threads, t_l, t_g));
    }
    std::fs::write(
        &out,
        format!(
            "{{\"geojson\": {:?}, \"id_property\": \"wijkcode\", \"codes\": {:?}, \"values\": {:?}, \"permutations\": {perms}, \"seed\": 1}}",
            args[0], codes, values
        ),
    )
    .expect("write the input file");
    eprintln!(
        "{} wijken, {vertices} vertices, I = {:.6}; median of {runs}",
        codes.len(),
        m.I
    );
    println!("n={}", codes.len());
    println!("vertices={vertices}");
    println!("weights_ms={t_w:.2}");
    println!("moran_ms={t_m:.2}");
    for (threads, t_l, t_g) in results {
        println!("lisa_{threads}t_ms={t_l:.2}");
        println!("gi_both_{threads}t_ms={t_g:.2}");
    }
}
