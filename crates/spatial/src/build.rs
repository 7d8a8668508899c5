//! Building neighbour lists from geometry: queen and rook contiguity (exact, as libpysal, or
//! with a tolerance in metres for slivers and gaps), k nearest neighbours and distance bands on
//! centroids, and attaching islands to their nearest units.

use geo_types::{Coord, LineString, MultiPolygon};
use rstar::primitives::{GeomWithData, Line};
use rstar::{AABB, RTree};

/// Contiguity rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contiguity {
    /// A shared vertex (or, with a tolerance, a vertex within it of the other's boundary).
    Queen,
    /// A shared edge (or, with a tolerance, two vertices within it of the other's boundary).
    Rook,
}

/// The key of a coordinate for exact matching (−0.0 and 0.0 are one key).
fn key(c: Coord<f64>) -> (u64, u64) {
    let k = |v: f64| if v == 0.0 { 0u64 } else { v.to_bits() };
    (k(c.x), k(c.y))
}

/// Every ring (exteriors and holes) of a multipolygon.
fn rings(mp: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// Groups the owners of equal keys and links every pair of different owners.
fn link_groups<K: Ord + Copy>(mut items: Vec<(K, u32)>, n: usize) -> Vec<Vec<usize>> {
    items.sort_unstable();
    items.dedup();
    let mut sets: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut a = 0;
    while a < items.len() {
        let mut b = a + 1;
        while b < items.len() && items[b].0 == items[a].0 {
            b += 1;
        }
        if b - a > 1 {
            for x in a..b {
                for y in a..b {
                    if x != y {
                        sets[items[x].1 as usize].push(items[y].1 as usize);
                    }
                }
            }
        }
        a = b;
    }
    for s in &mut sets {
        s.sort_unstable();
        s.dedup();
    }
    sets
}

/// Contiguity neighbours of every polygon. With `tolerance` 0 this is libpysal's vertex
/// method exactly: queen = at least one identical vertex (coordinates equal bit for bit),
/// rook = at least one identical edge (two consecutive vertices of a ring, in either order).
/// With a tolerance > 0 (in the units of the coordinates, metres in RD New): queen = a
/// vertex of one lies within the tolerance of the other's boundary; rook = at least two
/// distinct vertices of one lie within it (a shared stretch of boundary, not a corner).
pub fn contiguity(
    polygons: &[MultiPolygon<f64>],
    rule: Contiguity,
    tolerance: f64,
) -> Vec<Vec<usize>> {
    let n = polygons.len();
    if tolerance > 0.0 {
        return contiguity_tolerant(polygons, rule, tolerance);
    }
    match rule {
        Contiguity::Queen => {
            let mut items = Vec::new();
            for (i, mp) in polygons.iter().enumerate() {
                for ring in rings(mp) {
                    items.extend(ring.0.iter().map(|&c| (key(c), i as u32)));
                }
            }
            link_groups(items, n)
        }
        Contiguity::Rook => {
            let mut items = Vec::new();
            for (i, mp) in polygons.iter().enumerate() {
                for ring in rings(mp) {
                    for w in ring.0.windows(2) {
                        let (a, b) = (key(w[0]), key(w[1]));
                        if a != b {
                            items.push(((a.min(b), a.max(b)), i as u32));
                        }
                    }
                }
            }
            link_groups(items, n)
        }
    }
}

fn contiguity_tolerant(
    polygons: &[MultiPolygon<f64>],
    rule: Contiguity,
    tol: f64,
) -> Vec<Vec<usize>> {
    let n = polygons.len();
    let mut segments = Vec::new();
    for (i, mp) in polygons.iter().enumerate() {
        for ring in rings(mp) {
            for w in ring.0.windows(2) {
                if w[0] != w[1] {
                    segments.push(GeomWithData::new(
                        Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                        i as u32,
                    ));
                }
            }
        }
    }
    let tree = RTree::bulk_load(segments);
    let tol2 = tol * tol;
    // hits[i]: for every other polygon j, the vertices of i within tol of j's boundary.
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, mp) in polygons.iter().enumerate() {
        let mut close: Vec<(u32, (u64, u64))> = Vec::new();
        for ring in rings(mp) {
            for &c in &ring.0 {
                let p = [c.x, c.y];
                let env = AABB::from_corners([c.x - tol, c.y - tol], [c.x + tol, c.y + tol]);
                for s in tree.locate_in_envelope_intersecting(&env) {
                    if s.data as usize != i
                        && rstar::PointDistance::distance_2(s.geom(), &p) <= tol2
                    {
                        close.push((s.data, key(c)));
                    }
                }
            }
        }
        close.sort_unstable();
        close.dedup();
        let mut k = 0;
        while k < close.len() {
            let j = close[k].0;
            let mut m = k;
            while m < close.len() && close[m].0 == j {
                m += 1;
            }
            let distinct = m - k;
            if rule == Contiguity::Queen || distinct >= 2 {
                links[i].push(j as usize);
            }
            k = m;
        }
    }
    // Symmetric: a link found from either side counts for both.
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, l) in links.iter().enumerate() {
        for &j in l {
            out[i].push(j);
            out[j].push(i);
        }
    }
    for s in &mut out {
        s.sort_unstable();
        s.dedup();
    }
    out
}

/// The area-weighted centroid of a multipolygon (holes subtract); the mean of its vertices
/// when it has no area. `None` for an empty geometry.
pub fn centroid(mp: &MultiPolygon<f64>) -> Option<[f64; 2]> {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for p in &mp.0 {
        for (ri, ring) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            let (mut ra, mut rx, mut ry) = (0.0, 0.0, 0.0);
            // Relative to the first vertex for precision with RD coordinates.
            let Some(o) = ring.0.first().copied() else {
                continue;
            };
            for w in ring.0.windows(2) {
                let (x0, y0, x1, y1) = (w[0].x - o.x, w[0].y - o.y, w[1].x - o.x, w[1].y - o.y);
                let cross = x0 * y1 - x1 * y0;
                ra += cross;
                rx += (x0 + x1) * cross;
                ry += (y0 + y1) * cross;
            }
            let ra_half = ra / 2.0;
            if ra_half == 0.0 {
                continue;
            }
            let (gx, gy) = (rx / (6.0 * ra_half) + o.x, ry / (6.0 * ra_half) + o.y);
            // Exterior counts positive, holes negative, whatever their orientation.
            let signed = if ri == 0 {
                ra_half.abs()
            } else {
                -ra_half.abs()
            };
            a += signed;
            cx += signed * gx;
            cy += signed * gy;
        }
    }
    if a.abs() > 0.0 {
        return Some([cx / a, cy / a]);
    }
    let pts: Vec<Coord<f64>> = rings(mp).flat_map(|r| r.0.iter().copied()).collect();
    if pts.is_empty() {
        return None;
    }
    let m = pts.len() as f64;
    Some([
        pts.iter().map(|c| c.x).sum::<f64>() / m,
        pts.iter().map(|c| c.y).sum::<f64>() / m,
    ])
}

fn point_tree(points: &[[f64; 2]]) -> RTree<GeomWithData<[f64; 2], u32>> {
    RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, &p)| GeomWithData::new(p, i as u32))
            .collect(),
    )
}

fn d2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// The `k` nearest other points of every point (Euclidean; ties broken by index, so the
/// result is deterministic). Fewer than `k` when there are fewer other points.
pub fn knn(points: &[[f64; 2]], k: usize) -> Vec<Vec<usize>> {
    let tree = point_tree(points);
    points
        .iter()
        .enumerate()
        .map(|(i, &p)| nearest_of(&tree, points, i, p, k))
        .collect()
}

fn nearest_of(
    tree: &RTree<GeomWithData<[f64; 2], u32>>,
    points: &[[f64; 2]],
    i: usize,
    p: [f64; 2],
    k: usize,
) -> Vec<usize> {
    if k == 0 {
        return Vec::new();
    }
    // Walk outwards until k others are found, then take every point tied with the k-th.
    let mut found: Vec<(f64, usize)> = Vec::new();
    let mut kth = f64::INFINITY;
    for (g, dist2) in tree.nearest_neighbor_iter_with_distance_2(&p) {
        let j = g.data as usize;
        if j == i {
            continue;
        }
        if found.len() >= k && dist2 > kth {
            break;
        }
        found.push((dist2, j));
        if found.len() == k {
            kth = dist2;
        }
    }
    let _ = points;
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    found.truncate(k);
    let mut out: Vec<usize> = found.into_iter().map(|f| f.1).collect();
    out.sort_unstable();
    out
}

/// Every other point within `threshold` (inclusive) of each point.
pub fn distance_band(points: &[[f64; 2]], threshold: f64) -> Vec<Vec<usize>> {
    let tree = point_tree(points);
    let t2 = threshold * threshold;
    points
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let mut v: Vec<usize> = tree
                .locate_within_distance(p, t2)
                .map(|g| g.data as usize)
                .filter(|&j| j != i && d2(points[j], p) <= t2)
                .collect();
            v.sort_unstable();
            v
        })
        .collect()
}

/// Links from every unit without neighbours to its `k` nearest units (by centroid), for
/// [`crate::Weights::with_links`]. Returns `(island, neighbour)` pairs.
pub fn island_links(
    neighbours: &[Vec<usize>],
    points: &[[f64; 2]],
    k: usize,
) -> Vec<(usize, usize)> {
    let tree = point_tree(points);
    let mut links = Vec::new();
    for (i, nb) in neighbours.iter().enumerate() {
        if nb.is_empty() {
            for j in nearest_of(&tree, points, i, points[i], k) {
                links.push((i, j));
            }
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Polygon, polygon};

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        let p: Polygon<f64> = polygon![
            (x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s), (x: x, y: y)
        ];
        MultiPolygon(vec![p])
    }

    fn lattice(rows: usize, cols: usize) -> Vec<MultiPolygon<f64>> {
        let mut v = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                v.push(square(c as f64, r as f64, 1.0));
            }
        }
        v
    }

    #[test]
    fn queen_and_rook_on_a_lattice() {
        let l = lattice(3, 3);
        let q = contiguity(&l, Contiguity::Queen, 0.0);
        let r = contiguity(&l, Contiguity::Rook, 0.0);
        assert_eq!(q[4], vec![0, 1, 2, 3, 5, 6, 7, 8]);
        assert_eq!(r[4], vec![1, 3, 5, 7]);
        assert_eq!(q[0], vec![1, 3, 4]);
        assert_eq!(r[0], vec![1, 3]);
    }

    #[test]
    fn tolerance_bridges_a_sliver_gap() {
        // Two squares 0.3 m apart: not contiguous exactly, contiguous with 0.5 m tolerance.
        let v = vec![square(0.0, 0.0, 10.0), square(10.3, 0.0, 10.0)];
        assert_eq!(contiguity(&v, Contiguity::Queen, 0.0), vec![vec![], vec![]]);
        assert_eq!(
            contiguity(&v, Contiguity::Rook, 0.5),
            vec![vec![1], vec![0]]
        );
        // Corner-only contact within tolerance is queen, not rook.
        let c = vec![square(0.0, 0.0, 10.0), square(10.2, 10.2, 10.0)];
        assert_eq!(
            contiguity(&c, Contiguity::Queen, 0.5),
            vec![vec![1], vec![0]]
        );
        assert_eq!(contiguity(&c, Contiguity::Rook, 0.5), vec![vec![], vec![]]);
    }

    #[test]
    fn centroid_with_hole() {
        assert_eq!(centroid(&square(0.0, 0.0, 2.0)), Some([1.0, 1.0]));
        let outer = square(0.0, 0.0, 4.0).0[0].exterior().clone();
        let hole = square(0.0, 0.0, 2.0).0[0].exterior().clone();
        let mp = MultiPolygon(vec![Polygon::new(outer, vec![hole])]);
        // (16·(2,2) − 4·(1,1)) / 12
        let c = centroid(&mp).unwrap();
        assert!((c[0] - 28.0 / 12.0).abs() < 1e-12 && (c[1] - 28.0 / 12.0).abs() < 1e-12);
    }

    #[test]
    fn knn_ties_break_by_index_and_band_is_inclusive() {
        let pts = [[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 2.0]];
        assert_eq!(knn(&pts, 1)[0], vec![1]);
        assert_eq!(knn(&pts, 2)[0], vec![1, 2]);
        assert_eq!(knn(&pts, 5)[0], vec![1, 2, 3]);
        assert_eq!(distance_band(&pts, 1.0)[0], vec![1, 2]);
        assert_eq!(distance_band(&pts, 2.0)[0], vec![1, 2, 3]);
    }
}
