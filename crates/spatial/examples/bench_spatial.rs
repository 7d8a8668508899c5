//! Times weights construction and LISA on two inputs, for `bench/spatial.sh` (see
//! bench/README.md), and writes each input (GeoJSON path, unit ids, values) as JSON so the esda
//! side (`bench/spatial_peer.py`) times the very same polygons and values:
//!
//! - `wijken`: all 3,475 real wijk polygons 2024 (`../shared`), through veerkracht's importer;
//!   values: the Wmo 2024 rate per 1,000 where published, else a seeded draw (water-only
//!   wijken have none), so every polygon takes part;
//! - `synthetic`: a jittered 130 × 131 lattice of 17,030 quadrilaterals sharing vertices
//!   (written to OUT_DIR/synthetic.geojson), seeded values.
//!
//! ```text
//! cargo run --release -p veerkracht-spatial --example bench_spatial -- \
//!     WIJKEN.geojson WMO.csv OUT_DIR [RUNS] [PERMUTATIONS]
//! ```

use std::fmt::Write as _;
use std::time::Instant;

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use veerkracht_dataset::{Catalogue, Dataset, Level};
use veerkracht_ingest::{ImportOptions, import_path};
use veerkracht_spatial::build::contiguity;
use veerkracht_spatial::{Contiguity, LocalOptions, Transform, Weights, moran, moran_local};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median ms of `runs` timed runs after a warm-up.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    std::hint::black_box(f());
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    )
}

fn wijken(geo: &str, wmo: &str) -> (Vec<String>, Vec<f64>, Vec<MultiPolygon<f64>>) {
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    let geo_opts = ImportOptions {
        edition: Some(2024),
        ..ImportOptions::default()
    };
    for (i, (p, o)) in [(geo, geo_opts), (wmo, ImportOptions::default())]
        .into_iter()
        .enumerate()
    {
        for b in import_path(std::path::Path::new(p), &cat, &o).expect("import") {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    let ed = ds.edition(2024).expect("edition 2024");
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let (mut codes, mut values, mut polys) = (Vec::new(), Vec::new(), Vec::new());
    for a in ds.areas(2024, Level::Wijk) {
        if let Some(g) = ed.geometry(&a.code) {
            let draw: f64 = rng.random_range(20.0..120.0);
            codes.push(a.code.to_string());
            values.push(ds.number(2024, &a.code, "p_wmo_t").unwrap_or(draw));
            polys.push(g.clone());
        }
    }
    (codes, values, polys)
}

/// A jittered lattice of rows × cols cells (100 m) whose neighbours share vertices exactly.
fn synthetic(rows: usize, cols: usize) -> (Vec<String>, Vec<f64>, Vec<MultiPolygon<f64>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut vx = vec![[0.0f64; 2]; (rows + 1) * (cols + 1)];
    for r in 0..=rows {
        for c in 0..=cols {
            let (jx, jy): (f64, f64) =
                (rng.random_range(-30.0..30.0), rng.random_range(-30.0..30.0));
            vx[r * (cols + 1) + c] = [
                100_000.0 + c as f64 * 100.0 + jx,
                400_000.0 + r as f64 * 100.0 + jy,
            ];
        }
    }
    let at = |r: usize, c: usize| {
        let p = vx[r * (cols + 1) + c];
        Coord { x: p[0], y: p[1] }
    };
    let (mut codes, mut values, mut polys) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rows {
        for c in 0..cols {
            let ring = LineString(vec![
                at(r, c),
                at(r, c + 1),
                at(r + 1, c + 1),
                at(r + 1, c),
                at(r, c),
            ]);
            polys.push(MultiPolygon(vec![Polygon::new(ring, vec![])]));
            codes.push(format!("S{r:03}_{c:03}"));
            // A smooth trend plus noise: some spatial autocorrelation, like real rates.
            values.push(
                50.0 + 20.0 * ((r as f64) / 15.0).sin() * ((c as f64) / 20.0).cos()
                    + rng.random_range(-10.0..10.0),
            );
        }
    }
    (codes, values, polys)
}

fn geojson(codes: &[String], polys: &[MultiPolygon<f64>]) -> String {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for (i, (code, mp)) in codes.iter().zip(polys).enumerate() {
        if i > 0 {
            s.push(',');
        }
        let ring: Vec<String> = mp.0[0]
            .exterior()
            .0
            .iter()
            .map(|c| format!("[{:?},{:?}]", c.x, c.y))
            .collect();
        let _ = write!(
            s,
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{code}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}}}",
            ring.join(",")
        );
    }
    s.push_str("]}");
    s
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: bench_spatial WIJKEN.geojson WMO.csv OUT_DIR [RUNS] [PERMUTATIONS]");
        std::process::exit(2);
    }
    let out_dir = std::path::PathBuf::from(&args[2]);
    std::fs::create_dir_all(&out_dir).expect("output directory");
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let perms: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(9_999);
    for (name, (codes, values, polys), source, id_property) in [
        (
            "wijken",
            wijken(&args[0], &args[1]),
            args[0].clone(),
            "wijkcode",
        ),
        (
            "synthetic",
            synthetic(130, 131),
            out_dir.join("synthetic.geojson").display().to_string(),
            "id",
        ),
    ] {
        if name == "synthetic" {
            std::fs::write(&source, geojson(&codes, &polys)).expect("write synthetic.geojson");
        }
        let build = || {
            Weights::new(
                codes.clone(),
                contiguity(&polys, Contiguity::Queen, 0.0),
                None,
            )
            .expect("valid weights")
            .transformed(Transform::Row)
        };
        let w = build();
        let t_w = time(runs, build);
        let mut lisa = Vec::new();
        for threads in [1usize, 2] {
            let o = LocalOptions {
                permutations: perms,
                seed: 1,
                threads,
                ..LocalOptions::default()
            };
            lisa.push(time(runs, || moran_local(&values, &w, &o)));
        }
        let s = w.summary();
        let input = serde_json::json!({
            "geojson": source, "id_property": id_property, "codes": codes, "values": values,
            "permutations": perms, "seed": 1,
        });
        std::fs::write(
            out_dir.join(format!("{name}_input.json")),
            input.to_string(),
        )
        .expect("write the input file");
        eprintln!(
            "{name}: {} polygons, {:.2} neighbours on average, {} islands, I = {:.4}; median of {runs}",
            s.n,
            s.mean_neighbours,
            s.islands.len(),
            moran(&values, &w, 0, 1).I
        );
        println!("{name}_n={}", s.n);
        println!("{name}_weights_ms={t_w:.2}");
        println!("{name}_lisa_1t_ms={:.2}", lisa[0]);
        println!("{name}_lisa_2t_ms={:.2}", lisa[1]);
    }
}
