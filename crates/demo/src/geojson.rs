//! GeoJSON FeatureCollections in RD New, in the style of the CBS wijk- en buurtkaart.

use crate::geometry::{Pt, Shape};
use crate::region::{GM_DIGITS, GM_NAME, Region};

const CRS: &str = r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}}"#;

/// Writes a FeatureCollection of `(properties, shape)` features with string properties.
fn feature_collection<'a>(
    name: &str,
    features: impl Iterator<Item = (Vec<(&'static str, String)>, &'a Shape)>,
) -> String {
    let mut out = format!(
        r#"{{"type":"FeatureCollection","name":{},"crs":{CRS},"features":["#,
        quote(name)
    );
    for (i, (properties, shape)) in features.enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(r#"{"type":"Feature","properties":{"#);
        let props: Vec<String> = properties
            .iter()
            .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
            .collect();
        out.push_str(&props.join(","));
        out.push_str(r#"},"geometry":{"type":"MultiPolygon","coordinates":"#);
        write_multipolygon(&mut out, shape);
        out.push_str("}}");
    }
    out.push_str("\n]}\n");
    out
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialise")
}

/// Centimetres as metres with exactly two decimals (RD coordinates are positive).
fn metres(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

fn write_multipolygon(out: &mut String, shape: &Shape) {
    out.push('[');
    for (p, rings) in shape.polygons.iter().enumerate() {
        out.push_str(if p == 0 { "[" } else { ",[" });
        for (r, ring) in rings.iter().enumerate() {
            out.push_str(if r == 0 { "[" } else { ",[" });
            let closed = ring.iter().chain(ring.first());
            let coords: Vec<String> = closed
                .map(|pt: &Pt| format!("[{},{}]", metres(pt[0]), metres(pt[1])))
                .collect();
            out.push_str(&coords.join(","));
            out.push(']');
        }
        out.push(']');
    }
    out.push(']');
}

/// The gemeente layer of `year`.
pub(crate) fn gemeente(region: &Region, year: i32) -> String {
    let props = vec![
        ("gemeentecode", format!("GM{GM_DIGITS}")),
        ("gemeentenaam", GM_NAME.to_string()),
    ];
    feature_collection(
        &format!("veerstad-gemeente-{year}"),
        std::iter::once((props, &region.outline)),
    )
}

/// The wijk layer of `year`.
pub(crate) fn wijken(region: &Region, year: i32) -> String {
    let features = region.wijken.iter().map(|w| {
        let props = vec![
            ("wijkcode", w.code()),
            ("wijknaam", w.name.clone()),
            ("gemeentecode", format!("GM{GM_DIGITS}")),
            ("gemeentenaam", GM_NAME.to_string()),
        ];
        (props, &w.shape)
    });
    feature_collection(&format!("veerstad-wijken-{year}"), features)
}

/// The buurt layer of `year` (only buurten existing in that edition).
pub(crate) fn buurten(region: &Region, year: i32) -> String {
    let features = region
        .buurten
        .iter()
        .filter(|b| b.exists_in(year))
        .map(|b| {
            let props = vec![
                ("buurtcode", b.code.clone()),
                ("buurtnaam", b.name_in(year).to_string()),
                ("wijkcode", region.wijken[b.wijk].code()),
                ("gemeentecode", format!("GM{GM_DIGITS}")),
                ("gemeentenaam", GM_NAME.to_string()),
            ];
            (props, &b.shape)
        });
    feature_collection(&format!("veerstad-buurten-{year}"), features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::Coord;

    #[test]
    fn writes_closed_rings_with_two_decimals() {
        let shape = Shape::from_ring(&[
            Coord { x: 1.0, y: 2.0 },
            Coord { x: 3.5, y: 2.0 },
            Coord { x: 3.5, y: 4.25 },
        ]);
        let json = feature_collection("t", std::iter::once((vec![("a", "b".to_string())], &shape)));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let ring = &value["features"][0]["geometry"]["coordinates"][0][0];
        assert_eq!(ring.as_array().unwrap().len(), 4);
        assert!(json.contains("[1.00,2.00]"));
        assert_eq!(
            value["crs"]["properties"]["name"],
            "urn:ogc:def:crs:EPSG::28992"
        );
    }
}
