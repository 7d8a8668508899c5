//! Crosswalk between two editions' areas at one level.
//!
//! CBS re-codes, splits and merges buurten every year and sometimes re-uses a
//! code for another area. Matching, per area of the *target* edition:
//! 1. same code and same name → [`Method::CodeAndName`];
//! 2. same code, other name → if both have shapes and they overlap ≥ 50 % →
//!    [`Method::CodeRenamed`], if they do not → [`Method::CodeReused`] (flagged) and
//!    the geometry fallback is tried; without shapes → [`Method::CodeNameChanged`] (flagged);
//! 3. another code with the same name (unique within the gemeente) → [`Method::Name`];
//! 4. geometry overlap with areas of the source edition → [`Method::GeometryOverlap`]
//!    (every source area covering ≥ 1 % of the target, with its share);
//! 5. otherwise [`Method::Unmatched`].

use std::collections::HashMap;

use geo::{Area as _, BooleanOps, BoundingRect};
use geo_types::{MultiPolygon, Rect};

use crate::code::{AreaCode, Level};
use crate::dataset::{Dataset, Edition};

/// How a target area was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Same code, same name.
    CodeAndName,
    /// Same code, new name; the shapes confirm it is the same area.
    CodeRenamed,
    /// Same code, new name, no shapes to confirm: review.
    CodeNameChanged,
    /// Same code used for a different area (shapes do not overlap): matched by geometry instead.
    CodeReused,
    /// Other code, same name.
    Name,
    /// Matched by polygon overlap.
    GeometryOverlap,
    /// No match.
    Unmatched,
}

impl Method {
    /// Whether a person should review the match.
    pub fn needs_review(self) -> bool {
        matches!(
            self,
            Method::CodeNameChanged | Method::CodeReused | Method::Unmatched
        )
    }
}

/// One link from a source-edition area to a target-edition area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Link {
    /// Area in the source edition (`None` when unmatched).
    pub from: Option<AreaCode>,
    /// Area in the target edition.
    pub to: AreaCode,
    /// Name in the source edition.
    pub from_name: Option<String>,
    /// Name in the target edition.
    pub to_name: String,
    /// Method.
    pub method: Method,
    /// Share of the target's area covered by the source area (geometry methods), 0–1.
    pub share: Option<f64>,
}

fn norm_name(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn overlap_area(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    a.intersection(b).unsigned_area()
}

fn rects_touch(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// Builds the crosswalk from edition `from` to edition `to` at `level`.
/// Links are in target-code order; geometry links in descending share.
pub fn crosswalk(ds: &Dataset, from: Edition, to: Edition, level: Level) -> Vec<Link> {
    let src = ds.areas(from, level);
    let dst = ds.areas(to, level);
    let src_by_code: HashMap<AreaCode, usize> =
        src.iter().enumerate().map(|(i, a)| (a.code, i)).collect();
    let mut src_by_name: HashMap<(Option<AreaCode>, String), Vec<usize>> = HashMap::new();
    for (i, a) in src.iter().enumerate() {
        src_by_name
            .entry((a.code.gemeente(), norm_name(&a.name)))
            .or_default()
            .push(i);
    }
    let src_geo = ds.edition(from).map(|e| e.geometries());
    let dst_geo = ds.edition(to).map(|e| e.geometries());
    let src_rects: Vec<Option<(Rect<f64>, &MultiPolygon<f64>)>> = src
        .iter()
        .map(|a| {
            src_geo
                .and_then(|g| g.get(&a.code))
                .and_then(|g| g.bounding_rect().map(|r| (r, g)))
        })
        .collect();

    let geometry_links = |target: &crate::dataset::Area| -> Vec<Link> {
        let Some(tg) = dst_geo.and_then(|g| g.get(&target.code)) else {
            return Vec::new();
        };
        let Some(tr) = tg.bounding_rect() else {
            return Vec::new();
        };
        let total = tg.unsigned_area();
        if total <= 0.0 {
            return Vec::new();
        }
        let mut links: Vec<Link> = src_rects
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let (rect, g) = r.as_ref()?;
                if !rects_touch(rect, &tr) {
                    return None;
                }
                let share = overlap_area(g, tg) / total;
                (share >= 0.01).then(|| Link {
                    from: Some(src[i].code),
                    to: target.code,
                    from_name: Some(src[i].name.clone()),
                    to_name: target.name.clone(),
                    method: Method::GeometryOverlap,
                    share: Some((share * 1e6).round() / 1e6),
                })
            })
            .collect();
        links.sort_by(|a, b| {
            b.share
                .partial_cmp(&a.share)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        links
    };

    let mut out = Vec::new();
    for t in &dst {
        if let Some(&i) = src_by_code.get(&t.code) {
            let s = src[i];
            if norm_name(&s.name) == norm_name(&t.name) {
                out.push(link(Some(s), t, Method::CodeAndName, None));
                continue;
            }
            let shapes = (
                src_geo.and_then(|g| g.get(&s.code)),
                dst_geo.and_then(|g| g.get(&t.code)),
            );
            if let (Some(sg), Some(tg)) = shapes {
                let total = tg.unsigned_area();
                let share = if total > 0.0 {
                    overlap_area(sg, tg) / total
                } else {
                    0.0
                };
                if share >= 0.5 {
                    out.push(link(Some(s), t, Method::CodeRenamed, Some(share)));
                    continue;
                }
                let mut geo_links = geometry_links(t);
                for l in &mut geo_links {
                    l.method = Method::CodeReused;
                }
                if geo_links.is_empty() {
                    out.push(link(None, t, Method::CodeReused, None));
                }
                out.extend(geo_links);
                continue;
            }
            out.push(link(Some(s), t, Method::CodeNameChanged, None));
            continue;
        }
        if let Some(cands) = src_by_name.get(&(t.code.gemeente(), norm_name(&t.name)))
            && cands.len() == 1
            && !t.name.is_empty()
        {
            out.push(link(Some(src[cands[0]]), t, Method::Name, None));
            continue;
        }
        let geo_links = geometry_links(t);
        if geo_links.is_empty() {
            out.push(link(None, t, Method::Unmatched, None));
        } else {
            out.extend(geo_links);
        }
    }
    out
}

fn link(
    s: Option<&crate::dataset::Area>,
    t: &crate::dataset::Area,
    method: Method,
    share: Option<f64>,
) -> Link {
    Link {
        from: s.map(|a| a.code),
        to: t.code,
        from_name: s.map(|a| a.name.clone()),
        to_name: t.name.clone(),
        method,
        share: share.map(|x| (x * 1e6).round() / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Area;
    use geo_types::polygon;

    fn square(x0: f64, y0: f64, w: f64, h: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x0 + w, y: y0), (x: x0 + w, y: y0 + h), (x: x0, y: y0 + h), (x: x0, y: y0)],
        ])
    }

    #[test]
    fn split_rename_and_reuse_are_recognised() {
        let mut ds = Dataset::default();
        let c = |s: &str| AreaCode::parse(s).unwrap();
        // 2021: A (0..100), B (100..200), C (200..300)
        for (code, name, x) in [
            ("BU90010001", "Aabuurt", 0.0),
            ("BU90010002", "Beekbuurt", 100.0),
            ("BU90010003", "Centrum", 200.0),
        ] {
            ds.add_area(&Area::new(c(code), name, 2021));
            ds.set_geometry(2021, c(code), square(x, 0.0, 100.0, 100.0));
        }
        // 2022: A unchanged, B split into 04/05, C renamed, and code 02 re-used far away.
        ds.add_area(&Area::new(c("BU90010001"), "Aabuurt", 2022));
        ds.set_geometry(2022, c("BU90010001"), square(0.0, 0.0, 100.0, 100.0));
        ds.add_area(&Area::new(c("BU90010004"), "Beekbuurt-Noord", 2022));
        ds.set_geometry(2022, c("BU90010004"), square(100.0, 50.0, 100.0, 50.0));
        ds.add_area(&Area::new(c("BU90010005"), "Beekbuurt-Zuid", 2022));
        ds.set_geometry(2022, c("BU90010005"), square(100.0, 0.0, 100.0, 50.0));
        ds.add_area(&Area::new(c("BU90010003"), "Centrum-Oost", 2022));
        ds.set_geometry(2022, c("BU90010003"), square(200.0, 0.0, 100.0, 100.0));
        ds.add_area(&Area::new(c("BU90010002"), "Nieuwland", 2022));
        ds.set_geometry(2022, c("BU90010002"), square(1000.0, 0.0, 100.0, 100.0));

        let links = crosswalk(&ds, 2021, 2022, Level::Buurt);
        let find = |to: &str| links.iter().filter(|l| l.to == c(to)).collect::<Vec<_>>();
        assert_eq!(find("BU90010001")[0].method, Method::CodeAndName);
        assert_eq!(find("BU90010003")[0].method, Method::CodeRenamed);
        let n = find("BU90010004");
        assert_eq!(
            (n[0].method, n[0].from, n[0].share),
            (Method::GeometryOverlap, Some(c("BU90010002")), Some(1.0))
        );
        let r = find("BU90010002");
        assert_eq!((r[0].method, r[0].from), (Method::CodeReused, None));
        assert!(r[0].method.needs_review());
    }
}
