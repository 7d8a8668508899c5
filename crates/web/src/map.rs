//! Choropleth maps as inline SVG, drawn on the server from the RD New geometries: no tiles,
//! no basemap, no WebGL — works offline and prints. Every area is a link (keyboard-focusable)
//! with a title for screen readers and tooltips.

use std::fmt::Write as _;

use geo_types::MultiPolygon;

use crate::html::{NOT_SCORED, NOT_SCORED_CSS, esc, url};

/// One area on the map.
pub struct Shape<'a> {
    pub code: String,
    pub label: String,
    pub fill: &'a str,
    pub geometry: &'a MultiPolygon<f64>,
}

/// Width of the SVG coordinate space.
const W: f64 = 1000.0;

/// Simplification tolerance in units of the 1000-wide frame: a pixel of a 1000-pixel-wide
/// map. Coordinates are whole units too (finer would be invisible at that tolerance).
const TOLERANCE: f64 = 1.0;

/// The SVG of `shapes`, each linking to its profile (`/buurt/CODE`, with `extra_query`).
pub fn svg(shapes: &[Shape], aria_label: &str, extra_query: &str) -> String {
    svg_view(shapes, &[], None, aria_label, extra_query, "")
}

/// The bounding box `[x0, y0, x1, y1]` of the exteriors of `shapes` (None when empty).
pub fn bounds(shapes: &[Shape]) -> Option<[f64; 4]> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for s in shapes {
        for p in &s.geometry.0 {
            for c in &p.exterior().0 {
                x0 = x0.min(c.x);
                x1 = x1.max(c.x);
                y0 = y0.min(c.y);
                y1 = y1.max(c.y);
            }
        }
    }
    (x1 > x0 && y1 > y0).then_some([x0, y0, x1, y1])
}

/// Whether two boxes overlap.
pub(crate) fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// The map of `shapes` with `faint` ones around them (drawn pale, under the others), framed
/// on `frame` (default: the box of `shapes`), with zoom and pan tools (`/assets/map.js`:
/// buttons, wheel, drag, pinch, and + − arrows 0 on the focused map). Geometry is drawn
/// with a tolerance of one unit of the 1000-wide frame (`simplify_shared`), so a gemeente and
/// the whole country cost about the same bytes. `tools_label` names the tools (Dutch or
/// English); empty: no tools (print pages).
pub fn svg_view(
    shapes: &[Shape],
    faint: &[Shape],
    frame: Option<[f64; 4]>,
    aria_label: &str,
    extra_query: &str,
    tools_label: &str,
) -> String {
    let Some([x0, y0, x1, y1]) = frame.or_else(|| bounds(shapes)) else {
        return String::new();
    };
    // 2 % margin around the frame
    let (mx, my) = ((x1 - x0) * 0.02, (y1 - y0) * 0.02);
    let (x0, y0, x1, y1) = (x0 - mx, y0 - my, x1 + mx, y1 + my);
    let scale = W / (x1 - x0);
    let h = ((y1 - y0) * scale).ceil();
    let mut out = String::new();
    if !tools_label.is_empty() {
        let _ = write!(
            out,
            "<div class=\"map-tools\" role=\"group\" aria-label=\"{}\">\
<button type=\"button\" data-map=\"in\" aria-label=\"+\">+</button>\
<button type=\"button\" data-map=\"out\" aria-label=\"−\">−</button>\
<button type=\"button\" data-map=\"home\">⌂</button></div>",
            esc(tools_label)
        );
    }
    let _ = write!(
        out,
        "<svg class=\"map\" viewBox=\"0 0 {W} {h}\" role=\"group\" aria-label=\"{}\" tabindex=\"0\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(aria_label)
    );
    if shapes.iter().chain(faint).any(|s| s.fill == NOT_SCORED) {
        out.push_str(
            "<defs><pattern id=\"geen-score\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#d9d9d9\"/><rect width=\"1.5\" height=\"6\" fill=\"#636363\"/></pattern></defs>",
        );
    }
    let q = if extra_query.is_empty() {
        String::new()
    } else {
        format!("?{extra_query}")
    };
    // Every ring in whole frame units, simplified together so shared edges stay shared.
    let all: Vec<&Shape> = faint.iter().chain(shapes).collect();
    let mut rings: Vec<Vec<(i64, i64)>> = Vec::new();
    let mut owner: Vec<(usize, bool)> = Vec::new(); // (shape, starts a polygon)
    for (k, s) in all.iter().enumerate() {
        for p in &s.geometry.0 {
            for (r, ring) in std::iter::once(p.exterior())
                .chain(p.interiors())
                .enumerate()
            {
                rings.push(
                    ring.0
                        .iter()
                        .map(|c| {
                            (
                                ((c.x - x0) * scale).round() as i64,
                                ((y1 - c.y) * scale).round() as i64,
                            )
                        })
                        .collect(),
                );
                owner.push((k, r == 0));
            }
        }
    }
    let shape_of: Vec<u32> = owner.iter().map(|o| o.0 as u32).collect();
    // Tolerance: one unit of the 1000-wide frame (a pixel of a full-width map); rings that
    // would be smaller than that are left out.
    let simple = simplify_shared(&rings, &shape_of, TOLERANCE);
    let mut paths = vec![String::new(); all.len()];
    for (ring, &(k, _)) in simple.iter().zip(&owner) {
        path(&mut paths[k], ring);
    }
    let draw = |out: &mut String, s: &Shape, d: &str| {
        let _ = write!(
            out,
            "<a href=\"/buurt/{}{q}\"><path d=\"{d}\" fill=\"{}\"><title>{}</title></path></a>",
            url(&s.code),
            s.fill,
            esc(&s.label)
        );
    };
    if !faint.is_empty() {
        out.push_str("<g class=\"faint\">");
        for (s, d) in faint.iter().zip(&paths) {
            draw(&mut out, s, d);
        }
        out.push_str("</g>");
    }
    for (s, d) in shapes.iter().zip(&paths[faint.len()..]) {
        if !d.is_empty() {
            draw(&mut out, s, d);
        }
    }
    out.push_str("</svg>");
    if !tools_label.is_empty() {
        out.push_str("<script src=\"/assets/map.js\" defer></script>");
    }
    out
}

/// Appends one simplified ring as path data: absolute start, relative moves, `z` (rings
/// that collapsed below a triangle are left out).
fn path(d: &mut String, ring: &[(i64, i64)]) {
    if ring.len() < 4 {
        return;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    for &(x, y) in ring {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if ((x1 - x0) as f64) < TOLERANCE && ((y1 - y0) as f64) < TOLERANCE {
        return;
    }
    let mut last = ring[0];
    let _ = write!(d, "M{}", coord(last.0, last.1, ' '));
    for &(x, y) in &ring[1..ring.len() - 1] {
        let _ = write!(d, "l{}", coord(x - last.0, y - last.1, ' '));
        last = (x, y);
    }
    d.push('z');
}

/// Simplifies closed rings (first point = last) together so that neighbours keep touching:
/// a point is fixed where the set of shapes that use it changes along the ring (the ends of
/// an edge two shapes share) or where three or more shapes meet; the chains between fixed
/// points are simplified by Douglas–Peucker with `tolerance`, each in one canonical
/// direction, so both sides of a shared edge get the same points. A ring with no fixed point
/// keeps its first point and the point farthest from it.
pub fn simplify_shared(
    rings: &[Vec<(i64, i64)>],
    shape_of: &[u32],
    tolerance: f64,
) -> Vec<Vec<(i64, i64)>> {
    use std::collections::HashMap;
    // Consecutive duplicates (after rounding) dropped; the ring stays closed.
    let rings: Vec<Vec<(i64, i64)>> = rings
        .iter()
        .map(|r| {
            let mut v: Vec<(i64, i64)> = Vec::with_capacity(r.len());
            for &q in r {
                if v.last() != Some(&q) {
                    v.push(q);
                }
            }
            if v.len() > 1 && v.first() != v.last() {
                v.push(v[0]);
            }
            v
        })
        .collect();
    let mut users: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (r, ring) in rings.iter().enumerate() {
        for q in &ring[..ring.len().saturating_sub(1)] {
            let u = users.entry(*q).or_default();
            if !u.contains(&shape_of[r]) {
                u.push(shape_of[r]);
            }
        }
    }
    for u in users.values_mut() {
        u.sort_unstable();
    }
    rings
        .iter()
        .map(|ring| {
            let n = ring.len().saturating_sub(1); // distinct points
            if n < 3 {
                return ring.clone();
            }
            let set = |i: usize| &users[&ring[i % n]];
            let mut fixed: Vec<usize> = (0..n)
                .filter(|&i| {
                    let s = set(i);
                    s.len() >= 3 || s != set(i + n - 1) || s != set(i + 1)
                })
                .collect();
            // Fewer than two fixed points (an island, an enclave, a ring touching others at
            // one point): fix points both sides agree on, the smallest point and the point
            // farthest from it (ties to the smaller).
            if fixed.len() < 2 {
                let start = fixed
                    .first()
                    .copied()
                    .unwrap_or_else(|| (0..n).min_by_key(|&i| ring[i]).unwrap_or(0));
                let far = (0..n)
                    .filter(|&i| i != start)
                    .max_by_key(|&i| {
                        let (dx, dy) = (ring[i].0 - ring[start].0, ring[i].1 - ring[start].1);
                        (dx * dx + dy * dy, std::cmp::Reverse(ring[i]))
                    })
                    .unwrap_or(start);
                fixed = vec![start.min(far), start.max(far)];
            }
            let mut out = Vec::with_capacity(n);
            for (k, &a) in fixed.iter().enumerate() {
                let b = if k + 1 < fixed.len() {
                    fixed[k + 1]
                } else {
                    fixed[0] + n
                };
                let chain: Vec<(i64, i64)> = (a..=b).map(|i| ring[i % n]).collect();
                let forward = chain[0] <= chain[chain.len() - 1];
                let mut c = chain.clone();
                if !forward {
                    c.reverse();
                }
                let mut kept = douglas_peucker(&c, tolerance);
                if !forward {
                    kept.reverse();
                }
                out.extend_from_slice(&kept[..kept.len() - 1]);
            }
            out.push(out[0]);
            out
        })
        .collect()
}

/// Douglas–Peucker on an open chain (first and last points kept).
fn douglas_peucker(p: &[(i64, i64)], tolerance: f64) -> Vec<(i64, i64)> {
    let n = p.len();
    if n <= 2 {
        return p.to_vec();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (ax, ay) = (p[a].0 as f64, p[a].1 as f64);
        let (dx, dy) = (p[b].0 as f64 - ax, p[b].1 as f64 - ay);
        let len = (dx * dx + dy * dy).sqrt();
        let (mut best, mut at) = (-1.0, a);
        for (i, q) in p.iter().enumerate().take(b).skip(a + 1) {
            let (qx, qy) = (q.0 as f64 - ax, q.1 as f64 - ay);
            let dist = if len == 0.0 {
                (qx * qx + qy * qy).sqrt()
            } else {
                (qx * dy - qy * dx).abs() / len
            };
            if dist > best {
                best = dist;
                at = i;
            }
        }
        if best > tolerance {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    p.iter()
        .zip(keep)
        .filter_map(|(q, k)| k.then_some(*q))
        .collect()
}

/// `x y` (whole units) as path text; a negative second number needs no separator.
fn coord(x: i64, y: i64, sep: char) -> String {
    if y < 0 {
        format!("{x}{y}")
    } else {
        format!("{x}{sep}{y}")
    }
}

/// A legend: (colour, text) items.
pub fn legend(items: &[(&str, String)]) -> String {
    let mut s = String::from("<ul class=\"legend\">");
    for (c, t) in items {
        let c = if *c == NOT_SCORED { NOT_SCORED_CSS } else { c };
        let _ = write!(
            s,
            "<li><span class=\"swatch\" style=\"background:{c}\" aria-hidden=\"true\"></span>{}</li>",
            esc(t)
        );
    }
    s.push_str("</ul>");
    s
}

/// Quintile breaks of values (4 inner breaks) for a fixed scale.
pub fn quintile_breaks(values: &mut Vec<f64>) -> Option<[f64; 4]> {
    values.retain(|v| v.is_finite());
    if values.len() < 5 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let q = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
    Some([q(0.2), q(0.4), q(0.6), q(0.8)])
}

/// The class (0–4) of `v` under `breaks`.
pub fn class_of(v: f64, breaks: &[f64; 4]) -> usize {
    breaks.iter().filter(|b| v > **b).count()
}

/// Zoom (buttons, wheel, pinch, + and −), pan (drag, arrows) and home (⌂, 0) on every
/// `svg.map`, by changing its viewBox; a drag does not follow the link it started on.
pub const SCRIPT: &str = r#"(function () {
  "use strict";
  // maps put in place later (the scenario page's result) announce themselves with the
  // event veerkracht:nieuw; a map is set up once (data-klaar), however often this runs
  function init() {
  document.querySelectorAll(".map-wrap:not([data-klaar])").forEach(function (wrap) {
    var svg = wrap.querySelector("svg.map");
    if (!svg) return;
    wrap.setAttribute("data-klaar", "");
    var b = svg.viewBox.baseVal, home = [b.x, b.y, b.width, b.height], v = home.slice();
    function set() { svg.setAttribute("viewBox", v.map(function (x) { return x.toFixed(1); }).join(" ")); }
    function zoom(f, cx, cy) {
      if (cx === undefined) { cx = v[0] + v[2] / 2; cy = v[1] + v[3] / 2; }
      var w = Math.min(home[2] * 2, Math.max(home[2] / 200, v[2] * f)), k = w / v[2];
      v = [cx - (cx - v[0]) * k, cy - (cy - v[1]) * k, v[2] * k, v[3] * k]; set();
    }
    function pan(dx, dy) { v[0] += dx * v[2]; v[1] += dy * v[3]; set(); }
    function at(x, y) {
      var r = svg.getBoundingClientRect();
      return [v[0] + (x - r.left) / r.width * v[2], v[1] + (y - r.top) / r.height * v[3]];
    }
    wrap.querySelectorAll("[data-map]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var a = btn.getAttribute("data-map");
        if (a === "in") zoom(0.5); else if (a === "out") zoom(2); else { v = home.slice(); set(); }
      });
    });
    svg.addEventListener("wheel", function (e) {
      e.preventDefault(); var p = at(e.clientX, e.clientY); zoom(e.deltaY < 0 ? 0.8 : 1.25, p[0], p[1]);
    }, { passive: false });
    svg.addEventListener("keydown", function (e) {
      var k = e.key, done = true;
      if (k === "+" || k === "=") zoom(0.5);
      else if (k === "-" || k === "_") zoom(2);
      else if (k === "0") { v = home.slice(); set(); }
      else if (k === "ArrowLeft") pan(-0.1, 0);
      else if (k === "ArrowRight") pan(0.1, 0);
      else if (k === "ArrowUp") pan(0, -0.1);
      else if (k === "ArrowDown") pan(0, 0.1);
      else done = false;
      if (done) e.preventDefault();
    });
    var pts = new Map(), last = null, moved = 0, pinch = 0;
    svg.addEventListener("pointerdown", function (e) {
      pts.set(e.pointerId, [e.clientX, e.clientY]); last = [e.clientX, e.clientY]; moved = 0;
    });
    svg.addEventListener("pointermove", function (e) {
      if (!pts.has(e.pointerId)) return;
      pts.set(e.pointerId, [e.clientX, e.clientY]);
      if (pts.size === 2) {
        var p = Array.from(pts.values()), d = Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]);
        if (pinch) { var c = at((p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2); zoom(pinch / d, c[0], c[1]); }
        pinch = d; moved = 10; return;
      }
      var r = svg.getBoundingClientRect(), dx = e.clientX - last[0], dy = e.clientY - last[1];
      moved += Math.abs(dx) + Math.abs(dy);
      if (moved > 4) { v[0] -= dx / r.width * v[2]; v[1] -= dy / r.height * v[3]; set(); }
      last = [e.clientX, e.clientY];
    });
    function up(e) { pts.delete(e.pointerId); if (pts.size < 2) pinch = 0; }
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
    svg.addEventListener("click", function (e) { if (moved > 4) { e.preventDefault(); moved = 0; } }, true);
  });
  }
  init();
  document.addEventListener("veerkracht:nieuw", init);
})();
"#;

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::simplify_shared;

    type P = (i64, i64);

    /// An `n × n` grid of cells whose edges are wiggly polylines (each shared edge holds the
    /// same points for both cells), as rings, with the shape of each ring.
    fn grid(n: usize, wiggle: &[i64]) -> (Vec<Vec<P>>, Vec<u32>) {
        let size = 40i64;
        let mut w = wiggle.iter().cycle();
        let mut edge: HashMap<(P, P), Vec<P>> = HashMap::new();
        let mut line = |a: P, b: P| -> Vec<P> {
            let key = if a <= b { (a, b) } else { (b, a) };
            let pts = edge
                .entry(key)
                .or_insert_with(|| {
                    let (a, b) = key;
                    (0..=8)
                        .map(|k| {
                            let t = |u: i64, v: i64| u + (v - u) * k / 8;
                            let (x, y) = (t(a.0, b.0), t(a.1, b.1));
                            let outer = size * n as i64;
                            let on_border = (a.0 == b.0 && (a.0 == 0 || a.0 == outer))
                                || (a.1 == b.1 && (a.1 == 0 || a.1 == outer));
                            let d = if k == 0 || k == 8 || on_border {
                                0
                            } else {
                                *w.next().unwrap()
                            };
                            if a.0 == b.0 { (x + d, y) } else { (x, y + d) }
                        })
                        .collect()
                })
                .clone();
            if (a, b) == key {
                pts
            } else {
                pts.into_iter().rev().collect()
            }
        };
        let (mut rings, mut shapes) = (Vec::new(), Vec::new());
        for i in 0..n as i64 {
            for j in 0..n as i64 {
                let c = [
                    (i * size, j * size),
                    ((i + 1) * size, j * size),
                    ((i + 1) * size, (j + 1) * size),
                    (i * size, (j + 1) * size),
                ];
                let mut ring: Vec<P> = Vec::new();
                for k in 0..4 {
                    let l = line(c[k], c[(k + 1) % 4]);
                    ring.extend_from_slice(&l[..l.len() - 1]);
                }
                ring.push(ring[0]);
                shapes.push(rings.len() as u32);
                rings.push(ring);
            }
        }
        (rings, shapes)
    }

    fn segments(rings: &[Vec<P>]) -> HashMap<(P, P), usize> {
        let mut m = HashMap::new();
        for r in rings {
            for w in r.windows(2) {
                let k = if w[0] <= w[1] {
                    (w[0], w[1])
                } else {
                    (w[1], w[0])
                };
                *m.entry(k).or_insert(0) += 1;
            }
        }
        m
    }

    proptest! {
        /// Neighbours keep touching: every simplified segment inside the grid is drawn by
        /// both cells that share it, so no gap or overlap opens between them; and the grid's
        /// corners stay.
        #[test]
        fn shared_edges_stay_shared(n in 2usize..5, wiggle in prop::collection::vec(-4i64..=4, 1..40), tol in 1.0f64..8.0) {
            let (rings, shapes) = grid(n, &wiggle);
            let before = segments(&rings);
            let out = simplify_shared(&rings, &shapes, tol);
            let after = segments(&out);
            let outer = 40 * n as i64;
            for ((a, b), k) in &after {
                let on_border = |p: &P| p.0 == 0 || p.1 == 0 || p.0 == outer || p.1 == outer;
                let border = on_border(a) && on_border(b) && (a.0 == b.0 || a.1 == b.1)
                    && (a.0 == 0 || a.0 == outer || a.1 == 0 || a.1 == outer);
                if !border {
                    prop_assert_eq!(*k, 2, "segment {:?}-{:?} drawn by one cell only", a, b);
                }
            }
            for r in &out {
                prop_assert!(r.len() >= 4 && r.first() == r.last());
            }
            // simplification never adds segments
            prop_assert!(after.values().sum::<usize>() <= before.values().sum::<usize>());
            for corner in [(0, 0), (outer, 0), (outer, outer), (0, outer)] {
                prop_assert!(out.iter().any(|r| r.contains(&corner)));
            }
        }
    }

    #[test]
    fn an_island_keeps_a_shape_and_a_straight_run_collapses() {
        let ring = vec![(0, 0), (5, 0), (10, 0), (10, 10), (0, 10), (0, 0)];
        let out = simplify_shared(&[ring], &[0], 1.0);
        assert_eq!(out[0], vec![(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]);
    }
}
