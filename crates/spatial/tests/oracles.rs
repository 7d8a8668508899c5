//! The analytic oracles of docs/domain.md §11 items 14–17 on a 4 × 4 rook lattice built from
//! square polygons (so contiguity, transformation and statistics are tested together).

use geo_types::{MultiPolygon, polygon};
use veerkracht_spatial::build::contiguity;
use veerkracht_spatial::{Contiguity, LocalOptions, Transform, Weights, moran, moran_local};

fn lattice() -> Weights {
    let mut polys = Vec::new();
    for r in 0..4 {
        for c in 0..4 {
            let (x, y) = (c as f64 * 100.0, r as f64 * 100.0);
            polys.push(MultiPolygon(vec![polygon![
                (x: x, y: y), (x: x + 100.0, y: y), (x: x + 100.0, y: y + 100.0),
                (x: x, y: y + 100.0), (x: x, y: y)
            ]]));
        }
    }
    let nb = contiguity(&polys, Contiguity::Rook, 0.0);
    let ids = (0..16).map(|i| format!("c{i}")).collect();
    Weights::new(ids, nb, None).unwrap()
}

fn values(f: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    (0..16).map(|i| f(i / 4, i % 4)).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn checkerboard_is_perfectly_negative() {
    let y = values(|r, c| if (r + c) % 2 == 0 { 1.0 } else { -1.0 });
    for t in [Transform::Binary, Transform::Row] {
        let m = moran(&y, &lattice().transformed(t), 0, 1);
        assert!(close(m.I, -1.0), "{t:?}: I = {}", m.I);
        assert!(close(m.EI, -1.0 / 15.0));
    }
    let l = moran_local(
        &y,
        &lattice().transformed(Transform::Row),
        &LocalOptions::default(),
    );
    assert!(l.is.iter().all(|&i| close(i, -0.9375)), "{:?}", l.is);
    // HL (4) where the value is +1, LH (2) where it is −1.
    for (k, &q) in l.q.iter().enumerate() {
        assert_eq!(q, if y[k] > 0.0 { 4 } else { 2 }, "cell {k}");
    }
}

#[test]
fn halves_give_17_over_24_row_standardised() {
    let y = values(|_, c| if c < 2 { 1.0 } else { -1.0 });
    let b = moran(&y, &lattice().transformed(Transform::Binary), 0, 1);
    assert!(close(b.I, 2.0 / 3.0), "{}", b.I);
    let r = moran(&y, &lattice().transformed(Transform::Row), 0, 1);
    assert!(close(r.I, 17.0 / 24.0), "{}", r.I);
    let l = moran_local(
        &y,
        &lattice().transformed(Transform::Row),
        &LocalOptions::default(),
    );
    for (k, &i) in l.is.iter().enumerate() {
        let (row, col) = (k / 4, k % 4);
        let want = if col == 0 || col == 3 {
            0.9375
        } else if row == 0 || row == 3 {
            0.3125
        } else {
            0.46875
        };
        assert!(close(i, want), "cell {k}: {i} vs {want}");
        assert_eq!(l.q[k], if col < 2 { 1 } else { 3 }, "cell {k}");
    }
}

#[test]
fn column_index_gives_three_quarters_row_standardised() {
    let y = values(|_, c| c as f64);
    assert!(close(
        moran(&y, &lattice().transformed(Transform::Binary), 0, 1).I,
        2.0 / 3.0
    ));
    assert!(close(
        moran(&y, &lattice().transformed(Transform::Row), 0, 1).I,
        0.75
    ));
}

#[test]
fn p_sim_is_bounded_by_the_permutations_and_seeded() {
    let y = values(|_, c| if c < 2 { 1.0 } else { -1.0 });
    let w = lattice().transformed(Transform::Row);
    let m = moran(&y, &w, 999, 7);
    // A perfect pattern: no permutation reaches it, so p_sim is the smallest attainable.
    assert_eq!(m.p_sim, Some(0.001));
    assert_eq!(moran(&y, &w, 999, 7), m, "same seed, same result");
    let o = LocalOptions {
        permutations: 999,
        seed: 3,
        ..LocalOptions::default()
    };
    let l = moran_local(&y, &w, &o);
    assert!(
        l.sim
            .iter()
            .all(|s| s.p_sim >= 0.001 && s.p_sim <= 0.5 + 1e-12)
    );
    let one = moran_local(
        &y,
        &w,
        &LocalOptions {
            threads: 1,
            ..o.clone()
        },
    );
    let two = moran_local(&y, &w, &LocalOptions { threads: 2, ..o });
    assert_eq!(one, two, "threads do not change the result");
}
