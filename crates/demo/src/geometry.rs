//! Planar geometry in RD New (EPSG:28992): the city outline, a river, Voronoi partitions and a
//! small topology step so that neighbouring polygons share their vertices exactly.
//!
//! Shapes are stored in whole centimetres (coordinates rounded to 0.01 m), which makes vertex
//! comparison exact. Boolean operations go through `geo`'s `BooleanOps`.

use std::collections::HashMap;

use geo::{BooleanOps, Centroid};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use crate::rng::{Draw, Rng};

/// A vertex in centimetres.
pub(crate) type Pt = [i64; 2];
/// An open ring (first vertex not repeated): counter-clockwise for exteriors.
pub(crate) type Ring = Vec<Pt>;

/// Snapping tolerance for near-identical vertices (cm).
const SNAP_CM: i64 = 3;
/// Distance within which a foreign vertex is inserted into an edge (cm).
const NODE_CM: f64 = 2.0;

/// A multipolygon in centimetres: polygons of rings (exterior first, then holes).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Shape {
    pub polygons: Vec<Vec<Ring>>,
}

fn to_cm(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

fn cross(o: Pt, a: Pt, b: Pt) -> i128 {
    let (ax, ay) = (i128::from(a[0] - o[0]), i128::from(a[1] - o[1]));
    let (bx, by) = (i128::from(b[0] - o[0]), i128::from(b[1] - o[1]));
    ax * by - ay * bx
}

/// Twice the signed area of a ring, in cm² (positive when counter-clockwise).
fn signed_area2(ring: &[Pt]) -> i128 {
    let n = ring.len();
    (0..n)
        .map(|i| cross([0, 0], ring[i], ring[(i + 1) % n]))
        .sum()
}

/// Removes repeated vertices and zero-width spikes; `None` if nothing with area remains.
fn clean_ring(mut ring: Ring) -> Option<Ring> {
    loop {
        let before = ring.len();
        ring.dedup();
        while ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        let n = ring.len();
        if n < 3 {
            return None;
        }
        let spike = (0..n).find(|&i| {
            let (prev, cur, next) = (ring[(i + n - 1) % n], ring[i], ring[(i + 1) % n]);
            let back = (i128::from(cur[0] - prev[0]) * i128::from(next[0] - cur[0])
                + i128::from(cur[1] - prev[1]) * i128::from(next[1] - cur[1]))
                < 0;
            cross(prev, cur, next) == 0 && back
        });
        if let Some(i) = spike {
            ring.remove(i);
        }
        if ring.len() == before {
            break;
        }
    }
    (signed_area2(&ring) != 0).then_some(ring)
}

/// Cleans a ring and orients it (counter-clockwise when `exterior`).
fn oriented(ring: Ring, exterior: bool) -> Option<Ring> {
    let mut ring = clean_ring(ring)?;
    if (signed_area2(&ring) > 0) != exterior {
        ring.reverse();
    }
    Some(ring)
}

fn ring_from_coords(line: &LineString<f64>) -> Ring {
    line.0.iter().map(|c| [to_cm(c.x), to_cm(c.y)]).collect()
}

fn ring_to_line(ring: &[Pt]) -> LineString<f64> {
    let mut coords: Vec<Coord<f64>> = ring.iter().map(|p| cm_coord(*p)).collect();
    coords.push(coords[0]);
    LineString(coords)
}

/// A centimetre vertex as metres.
pub(crate) fn cm_coord(p: Pt) -> Coord<f64> {
    Coord {
        x: p[0] as f64 / 100.0,
        y: p[1] as f64 / 100.0,
    }
}

/// Point-to-segment distance.
fn segment_distance(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.x - a.x - t * dx).powi(2) + (p.y - a.y - t * dy).powi(2)).sqrt()
}

impl Shape {
    /// A shape from one closed outline given in metres.
    pub(crate) fn from_ring(coords: &[Coord<f64>]) -> Shape {
        let ring = coords.iter().map(|c| [to_cm(c.x), to_cm(c.y)]).collect();
        Shape {
            polygons: oriented(ring, true)
                .map(|r| vec![vec![r]])
                .unwrap_or_default(),
        }
    }

    /// Rounds a `geo` multipolygon to centimetres and drops degenerate parts.
    pub(crate) fn from_geo(mp: &MultiPolygon<f64>) -> Shape {
        let polygons =
            mp.0.iter()
                .filter_map(|poly| {
                    let exterior = oriented(ring_from_coords(poly.exterior()), true)?;
                    let holes = poly
                        .interiors()
                        .iter()
                        .filter_map(|h| oriented(ring_from_coords(h), false));
                    Some(std::iter::once(exterior).chain(holes).collect())
                })
                .collect();
        Shape { polygons }
    }

    /// As a `geo` multipolygon in metres.
    pub(crate) fn to_geo(&self) -> MultiPolygon<f64> {
        MultiPolygon(
            self.polygons
                .iter()
                .map(|rings| {
                    let mut lines = rings.iter().map(|r| ring_to_line(r));
                    let exterior = lines.next().expect("polygon without exterior");
                    Polygon::new(exterior, lines.collect())
                })
                .collect(),
        )
    }

    fn rings(&self) -> impl Iterator<Item = &Ring> {
        self.polygons.iter().flatten()
    }

    /// Area in m² (exact for the centimetre coordinates).
    pub(crate) fn area_m2(&self) -> f64 {
        let twice: i128 = self.rings().map(|r| signed_area2(r)).sum();
        twice as f64 / 2.0 / 10_000.0
    }

    /// Area-weighted centroid in metres.
    pub(crate) fn centroid(&self) -> Coord<f64> {
        self.to_geo().centroid().map(|p| p.0).unwrap_or_default()
    }

    /// Bounding box `[min_x, min_y, max_x, max_y]` in centimetres.
    pub(crate) fn bbox(&self) -> [i64; 4] {
        self.rings()
            .flatten()
            .fold([i64::MAX, i64::MAX, i64::MIN, i64::MIN], |b, p| {
                [
                    b[0].min(p[0]),
                    b[1].min(p[1]),
                    b[2].max(p[0]),
                    b[3].max(p[1]),
                ]
            })
    }

    /// Even-odd point-in-shape test.
    pub(crate) fn contains(&self, p: Coord<f64>) -> bool {
        let mut inside = false;
        for ring in self.rings() {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (cm_coord(ring[i]), cm_coord(ring[(i + 1) % n]));
                if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// Distance from `p` to the nearest boundary edge, in metres.
    pub(crate) fn boundary_distance(&self, p: Coord<f64>) -> f64 {
        self.rings()
            .flat_map(|ring| {
                let n = ring.len();
                (0..n).map(move |i| (cm_coord(ring[i]), cm_coord(ring[(i + 1) % n])))
            })
            .map(|(a, b)| segment_distance(p, a, b))
            .fold(f64::INFINITY, f64::min)
    }

    /// Area of the intersection with `other`, in m².
    pub(crate) fn intersection_area(&self, other: &Shape) -> f64 {
        Shape::from_geo(&self.to_geo().intersection(&other.to_geo())).area_m2()
    }

    /// A uniformly random point inside the shape (rejection sampling in the bounding box).
    pub(crate) fn random_point(&self, rng: &mut Rng) -> Coord<f64> {
        let b = self.bbox();
        loop {
            let p = Coord {
                x: rng.uniform(b[0] as f64, b[2] as f64) / 100.0,
                y: rng.uniform(b[1] as f64, b[3] as f64) / 100.0,
            };
            if self.contains(p) {
                return p;
            }
        }
    }
}

/// A noisy ellipse: the city outline, centred on `centre` with semi-axes `a` × `b` metres.
pub(crate) fn outline(rng: &mut Rng, centre: Coord<f64>, a: f64, b: f64) -> Shape {
    let harmonics: Vec<(f64, f64, f64)> = (2..=7)
        .map(|k| {
            (
                f64::from(k),
                rng.uniform(0.02, 0.08) / f64::from(k - 1).sqrt(),
                rng.uniform(0.0, 6.3),
            )
        })
        .collect();
    let n = 180;
    let coords: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let theta = std::f64::consts::TAU * f64::from(i) / f64::from(n);
            let wobble: f64 = harmonics
                .iter()
                .map(|(k, amp, phase)| amp * (k * theta + phase).sin())
                .sum();
            let r = 1.0 + wobble + rng.gauss(0.0, 0.004);
            Coord {
                x: centre.x + a * r * theta.cos(),
                y: centre.y + b * r * theta.sin(),
            }
        })
        .collect();
    Shape::from_ring(&coords)
}

/// A meandering river band running west–east through `centre`, wider than the city.
pub(crate) fn river(rng: &mut Rng, centre: Coord<f64>) -> Shape {
    let offset = rng.uniform(-900.0, -300.0);
    let waves = [
        (
            rng.uniform(350.0, 550.0),
            rng.uniform(1500.0, 2200.0),
            rng.uniform(0.0, 6.3),
        ),
        (
            rng.uniform(80.0, 160.0),
            rng.uniform(500.0, 800.0),
            rng.uniform(0.0, 6.3),
        ),
    ];
    let axis = |x: f64| -> (f64, f64) {
        let y = centre.y
            + offset
            + waves
                .iter()
                .map(|(amp, len, ph)| amp * (x / len + ph).sin())
                .sum::<f64>();
        let half_width = 45.0 + 12.0 * (x / 900.0).sin();
        (y, half_width)
    };
    let xs: Vec<f64> = (0..=120)
        .map(|i| centre.x - 6000.0 + 100.0 * f64::from(i))
        .collect();
    let upper = xs.iter().map(|&x| {
        let (y, w) = axis(x);
        Coord { x, y: y + w }
    });
    let lower = xs.iter().rev().map(|&x| {
        let (y, w) = axis(x);
        Coord { x, y: y - w }
    });
    Shape::from_ring(&upper.chain(lower).collect::<Vec<_>>())
}

/// Keeps the part of a convex polygon on the side of `a` of the bisector of `a` and `b`.
fn clip_half_plane(poly: &[Coord<f64>], a: Coord<f64>, b: Coord<f64>) -> Vec<Coord<f64>> {
    let (nx, ny) = (b.x - a.x, b.y - a.y);
    let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let side = |p: &Coord<f64>| (p.x - mx) * nx + (p.y - my) * ny;
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
        let (sp, sq) = (side(&p), side(&q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp < 0.0 && sq > 0.0) || (sp > 0.0 && sq < 0.0) {
            let t = sp / (sp - sq);
            out.push(Coord {
                x: p.x + t * (q.x - p.x),
                y: p.y + t * (q.y - p.y),
            });
        }
    }
    out
}

/// The Voronoi cell of `seeds[i]` within the box `[min_x, min_y, max_x, max_y]` (metres).
fn voronoi_cell(seeds: &[Coord<f64>], i: usize, bbox: [f64; 4]) -> Vec<Coord<f64>> {
    let [x0, y0, x1, y1] = bbox;
    let start = vec![
        Coord { x: x0, y: y0 },
        Coord { x: x1, y: y0 },
        Coord { x: x1, y: y1 },
        Coord { x: x0, y: y1 },
    ];
    seeds
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .fold(start, |cell, (_, &other)| {
            clip_half_plane(&cell, seeds[i], other)
        })
}

/// Splits `parent` into the Voronoi cells of `seeds` clipped to it (one shape per seed).
pub(crate) fn partition(parent: &Shape, seeds: &[Coord<f64>]) -> Vec<Shape> {
    let parent_geo = parent.to_geo();
    let b = parent.bbox();
    let margin = 1000.0;
    let bbox = [
        b[0] as f64 / 100.0 - margin,
        b[1] as f64 / 100.0 - margin,
        b[2] as f64 / 100.0 + margin,
        b[3] as f64 / 100.0 + margin,
    ];
    (0..seeds.len())
        .map(|i| {
            let mut cell = voronoi_cell(seeds, i, bbox);
            cell.push(cell[0]);
            let cell = Polygon::new(LineString(cell), vec![]);
            Shape::from_geo(&cell.intersection(&parent_geo))
        })
        .collect()
}

/// Well-spread seed points inside `parent` (best-candidate sampling), starting from `fixed`.
pub(crate) fn spread_points(
    parent: &Shape,
    n: usize,
    fixed: &[Coord<f64>],
    rng: &mut Rng,
) -> Vec<Coord<f64>> {
    let mut points = fixed.to_vec();
    while points.len() < n {
        let best = (0..24)
            .map(|_| {
                let c = parent.random_point(rng);
                let nearest = points
                    .iter()
                    .map(|p| ((p.x - c.x).powi(2) + (p.y - c.y).powi(2)).sqrt())
                    .fold(f64::INFINITY, f64::min);
                (nearest.min(1.6 * parent.boundary_distance(c)), c)
            })
            .fold((f64::NEG_INFINITY, Coord::default()), |best, cand| {
                if cand.0 > best.0 { cand } else { best }
            });
        points.push(best.1);
    }
    points
}

/// Makes shared boundaries exact: snaps vertices closer than 3 cm together, then inserts every
/// vertex that lies on another shape's edge into that edge.
pub(crate) fn build_topology(shapes: &mut [&mut Shape]) {
    snap_vertices(shapes);
    node_edges(shapes);
}

fn snap_vertices(shapes: &mut [&mut Shape]) {
    let mut grid: HashMap<(i64, i64), Vec<Pt>> = HashMap::new();
    let cell = |p: Pt| (p[0].div_euclid(SNAP_CM), p[1].div_euclid(SNAP_CM));
    for shape in shapes.iter_mut() {
        for ring in shape.polygons.iter_mut().flatten() {
            for p in ring.iter_mut() {
                let (cx, cy) = cell(*p);
                let found = (-1..=1)
                    .flat_map(|dx| (-1..=1).map(move |dy| (cx + dx, cy + dy)))
                    .filter_map(|key| grid.get(&key))
                    .flatten()
                    .find(|q| (q[0] - p[0]).abs() <= SNAP_CM && (q[1] - p[1]).abs() <= SNAP_CM)
                    .copied();
                match found {
                    Some(q) => *p = q,
                    None => grid.entry((cx, cy)).or_default().push(*p),
                }
            }
        }
        reclean(shape);
    }
}

fn reclean(shape: &mut Shape) {
    let polygons = std::mem::take(&mut shape.polygons);
    shape.polygons = polygons
        .into_iter()
        .filter_map(|rings| {
            let mut rings = rings.into_iter();
            let exterior = oriented(rings.next()?, true)?;
            Some(
                std::iter::once(exterior)
                    .chain(rings.filter_map(|h| oriented(h, false)))
                    .collect(),
            )
        })
        .collect();
}

fn node_edges(shapes: &mut [&mut Shape]) {
    let vertices: Vec<Vec<Pt>> = shapes
        .iter()
        .map(|s| {
            let mut v: Vec<Pt> = s.rings().flatten().copied().collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let boxes: Vec<[i64; 4]> = shapes.iter().map(|s| s.bbox()).collect();
    let overlaps = |a: [i64; 4], b: [i64; 4]| {
        a[0] <= b[2] + 2 && b[0] <= a[2] + 2 && a[1] <= b[3] + 2 && b[1] <= a[3] + 2
    };
    for (i, shape) in shapes.iter_mut().enumerate() {
        let foreign: Vec<Pt> = (0..vertices.len())
            .filter(|&j| j != i && overlaps(boxes[i], boxes[j]))
            .flat_map(|j| vertices[j].iter().copied())
            .filter(|p| overlaps(boxes[i], [p[0], p[1], p[0], p[1]]))
            .collect();
        for ring in shape.polygons.iter_mut().flatten() {
            *ring = node_ring(ring, &foreign);
        }
        reclean(shape);
    }
}

/// Inserts into each edge of `ring` the `foreign` vertices lying on it (within 2 cm).
fn node_ring(ring: &[Pt], foreign: &[Pt]) -> Ring {
    let n = ring.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        out.push(p);
        let (lo_x, hi_x) = (p[0].min(q[0]) - 2, p[0].max(q[0]) + 2);
        let (lo_y, hi_y) = (p[1].min(q[1]) - 2, p[1].max(q[1]) + 2);
        let (dx, dy) = ((q[0] - p[0]) as f64, (q[1] - p[1]) as f64);
        let len2 = dx * dx + dy * dy;
        let mut on_edge: Vec<(f64, Pt)> = foreign
            .iter()
            .filter(|v| {
                v[0] >= lo_x && v[0] <= hi_x && v[1] >= lo_y && v[1] <= hi_y && **v != p && **v != q
            })
            .filter_map(|&v| {
                let t = ((v[0] - p[0]) as f64 * dx + (v[1] - p[1]) as f64 * dy) / len2;
                let dist = cross(p, q, v).abs() as f64 / len2.sqrt();
                (t > 0.0 && t < 1.0 && dist <= NODE_CM).then_some((t, v))
            })
            .collect();
        on_edge.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        out.extend(on_edge.into_iter().map(|(_, v)| v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn square(x0: f64, y0: f64, size: f64) -> Shape {
        Shape::from_ring(&[
            Coord { x: x0, y: y0 },
            Coord {
                x: x0 + size,
                y: y0,
            },
            Coord {
                x: x0 + size,
                y: y0 + size,
            },
            Coord {
                x: x0,
                y: y0 + size,
            },
        ])
    }

    #[test]
    fn partition_tiles_parent() {
        let parent = square(0.0, 0.0, 1000.0);
        let seeds = [
            Coord { x: 200.0, y: 300.0 },
            Coord { x: 700.0, y: 600.0 },
            Coord { x: 400.0, y: 850.0 },
        ];
        let parts = partition(&parent, &seeds);
        let total: f64 = parts.iter().map(Shape::area_m2).sum();
        assert!((total - 1_000_000.0).abs() < 1.0, "{total}");
    }

    #[test]
    fn clean_ring_removes_spikes() {
        let ring = vec![[0, 0], [10, 0], [20, 0], [10, 0], [10, 10], [0, 10]];
        assert_eq!(
            clean_ring(ring),
            Some(vec![[0, 0], [10, 0], [10, 10], [0, 10]])
        );
    }

    #[test]
    fn topology_inserts_t_junctions() {
        let mut a = square(0.0, 0.0, 10.0);
        let mut b = Shape::from_ring(&[
            Coord { x: 10.0, y: 2.0 },
            Coord { x: 20.0, y: 2.0 },
            Coord { x: 20.0, y: 8.0 },
            Coord { x: 10.0, y: 8.0 },
        ]);
        build_topology(&mut [&mut a, &mut b]);
        assert_eq!(a.polygons[0][0].len(), 6);
        assert_eq!(b.polygons[0][0].len(), 4);
    }

    #[test]
    fn outline_is_roughly_the_requested_size() {
        let mut r = rng::stream(1, &[1]);
        let shape = outline(
            &mut r,
            Coord {
                x: 145_000.0,
                y: 445_000.0,
            },
            4500.0,
            3500.0,
        );
        let area = shape.area_m2() / 1e6;
        assert!((40.0..60.0).contains(&area), "{area} km²");
    }
}
