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

/// The SVG of `shapes`, each linking to its profile (`/buurt/CODE`, with `extra_query`).
pub fn svg(shapes: &[Shape], aria_label: &str, extra_query: &str) -> String {
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
    if shapes.is_empty() || x1 <= x0 || y1 <= y0 {
        return String::new();
    }
    let scale = W / (x1 - x0);
    let h = ((y1 - y0) * scale).ceil();
    // Coordinates to 0.1 unit of the 1000-wide space; consecutive duplicates dropped.
    let mut out = format!(
        "<svg class=\"map\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(aria_label)
    );
    if shapes.iter().any(|s| s.fill == NOT_SCORED) {
        out.push_str(
            "<defs><pattern id=\"geen-score\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#d9d9d9\"/><rect width=\"1.5\" height=\"6\" fill=\"#636363\"/></pattern></defs>",
        );
    }
    for s in shapes {
        let mut d = String::new();
        for p in &s.geometry.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let mut last = (i64::MIN, i64::MIN);
                let mut first = true;
                for c in &ring.0 {
                    let x = ((c.x - x0) * scale * 10.0).round() as i64;
                    let y = ((y1 - c.y) * scale * 10.0).round() as i64;
                    if (x, y) == last {
                        continue;
                    }
                    let _ = write!(
                        d,
                        "{}{}.{} {}.{}",
                        if first { "M" } else { "L" },
                        x / 10,
                        (x % 10).abs(),
                        y / 10,
                        (y % 10).abs()
                    );
                    first = false;
                    last = (x, y);
                }
                d.push('Z');
            }
        }
        let q = if extra_query.is_empty() {
            String::new()
        } else {
            format!("?{extra_query}")
        };
        let _ = write!(
            out,
            "<a href=\"/buurt/{}{q}\" aria-label=\"{}\" data-code=\"{}\"><path d=\"{d}\" fill=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path></a>",
            url(&s.code),
            esc(&s.label),
            esc(&s.code),
            s.fill,
            esc(&s.label)
        );
    }
    out.push_str("</svg>");
    out
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
