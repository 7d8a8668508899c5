//! The JSON API under `/api/v1` for areas, the index, the comparison, the signal and LISA.
//! Every parameter is checked (unknown ones too); errors are problem details
//! (`application/problem+json`, RFC 9457). Tables also come as CSV and maps as GeoJSON
//! (`format=csv|geojson`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;
use serde_json::json;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Edition;
use veerkracht_dataset::Level;

use crate::AppState;
use crate::http::Answer;
use crate::http::Format;
use crate::http::Params;
use crate::http::Problem;
use crate::http::QueryNames;
use crate::http::blocking;
use crate::http::csv;
use crate::http::format_of;
use crate::http::json_ok;
use crate::http::query;
use crate::views::edition_of;
use crate::views::level_of;
use crate::views::lisa_of;
use crate::views::profile_json;

/// Rows with a `code` as GeoJSON features (WGS84, 6 decimals) of the edition's shapes.
pub(crate) fn geojson(
    st: &AppState,
    edition: Edition,
    rows: &[serde_json::Map<String, Value>],
) -> Response {
    let ed = st.ds.edition(edition);
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    for r in rows {
        let Some(code) = r.get("code").and_then(Value::as_str) else {
            continue;
        };
        let Some(g) = AreaCode::parse(code)
            .ok()
            .and_then(|c| ed.and_then(|e| e.geometry(&c)))
        else {
            continue;
        };
        if !first {
            s.push(',');
        }
        first = false;
        let mut coords = String::from("[");
        for (pi, p) in g.0.iter().enumerate() {
            if pi > 0 {
                coords.push(',');
            }
            coords.push('[');
            for (ri, ring) in std::iter::once(p.exterior())
                .chain(p.interiors())
                .enumerate()
            {
                if ri > 0 {
                    coords.push(',');
                }
                coords.push('[');
                for (ci, c) in ring.0.iter().enumerate() {
                    let (lon, lat) = veerkracht_geo::rd::rd_to_wgs84(c.x, c.y);
                    let _ = write!(
                        coords,
                        "{}[{lon:.6},{lat:.6}]",
                        if ci > 0 { "," } else { "" }
                    );
                }
                coords.push(']');
            }
            coords.push(']');
        }
        coords.push(']');
        let _ = write!(
            s,
            "{{\"type\":\"Feature\",\"properties\":{},\"geometry\":{{\"type\":\"MultiPolygon\",\"coordinates\":{coords}}}}}",
            Value::Object(r.clone())
        );
    }
    s.push_str("]}");
    ([(header::CONTENT_TYPE, "application/geo+json")], s).into_response()
}

query!(
    /// `GET /api/v1/areas`
    AreasQuery { level, gemeente, edition, format }
);
query!(
    /// `GET /api/v1/areas/{code}`
    AreaQuery { edition }
);
query!(
    /// `GET /api/v1/index` and `GET /api/v1/spatial/lisa`
    IndexQuery { edition, level, format }
);
query!(
    /// `GET /api/v1/compare`
    CompareQuery { edition, format }
);
query!(
    /// `GET /api/v1/signal`
    SignalQuery { from, to, level, format }
);

/// The area, index, comparison, signal and LISA endpoints.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/areas", get(areas))
        .route("/api/v1/areas/{code}", get(area))
        .route("/api/v1/index", get(index))
        .route("/api/v1/compare", get(compare))
        .route("/api/v1/signal", get(signal))
        .route("/api/v1/spatial/lisa", get(lisa))
}

/// GET /api/v1/areas?level=&gemeente=&edition=
pub(crate) async fn areas(
    State(st): State<Arc<AppState>>,
    Params(q): Params<AreasQuery>,
) -> Answer {
    let level = match q.level.as_deref() {
        None | Some("buurt") => Level::Buurt,
        Some("wijk") => Level::Wijk,
        Some("gemeente") => Level::Gemeente,
        Some(o) => {
            return Err(Problem::bad(format!(
                "level '{o}': use buurt, wijk or gemeente"
            )));
        }
    };
    let gemeente = match q.gemeente.as_deref() {
        None => None,
        Some(g) => match AreaCode::parse(g) {
            Ok(c) if c.level() == Level::Gemeente => Some(c),
            _ => {
                return Err(Problem::bad(format!(
                    "gemeente '{g}' is not a gemeente code (GM + 4 digits)"
                )));
            }
        },
    };
    let edition = edition_of(&st, q.edition.as_deref(), level)?;
    let fmt = format_of(q.format.as_deref(), false)?;
    let ed = st.ds.edition(edition);
    let rows: Vec<serde_json::Map<String, Value>> = st
        .ds
        .areas(edition, level)
        .into_iter()
        .filter(|a| gemeente.is_none() || a.code.gemeente() == gemeente)
        .map(|a| {
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(a.code.to_string()));
            m.insert("naam".into(), json!(a.name));
            m.insert(
                "gemeente".into(),
                json!(a.code.gemeente().map(|g| g.to_string())),
            );
            m.insert(
                "geometrie".into(),
                json!(ed.is_some_and(|e| e.geometry(&a.code).is_some())),
            );
            m
        })
        .collect();
    if fmt == Format::Csv {
        return Ok(csv(&rows, "gebieden"));
    }
    Ok(json_ok(
        json!({"editie": edition, "niveau": level.plural(), "aantal": rows.len(), "gebieden": rows}),
    ))
}

/// GET /api/v1/areas/{code}?edition=
pub(crate) async fn area(
    State(st): State<Arc<AppState>>,
    Path(code): Path<String>,
    Params(q): Params<AreaQuery>,
) -> Answer {
    let unknown = |detail: String| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Onbekend gebied / unknown area",
            detail,
        )
    };
    let Ok(c) = AreaCode::parse(&code) else {
        return Err(unknown(format!("'{code}' is not an area code (BU…, WK…)")));
    };
    if !matches!(c.level(), Level::Buurt | Level::Wijk) {
        return Err(unknown("profiles exist for buurten and wijken".into()));
    }
    let edition = edition_of(&st, q.edition.as_deref(), c.level())?;
    let st2 = st.clone();
    match blocking(move || profile_json(&st2, c, edition)).await? {
        Some(v) => Ok(json_ok(v)),
        None => Err(unknown(format!("{c} is not an area of edition {edition}"))),
    }
}

/// GET /api/v1/index?edition=&level=&format=
pub(crate) async fn index(
    State(st): State<Arc<AppState>>,
    Params(q): Params<IndexQuery>,
) -> Answer {
    let level = level_of(q.level.as_deref())?;
    let edition = edition_of(&st, q.edition.as_deref(), level)?;
    let fmt = format_of(q.format.as_deref(), true)?;
    let st2 = st.clone();
    let idx = blocking(move || st2.index(edition, level)).await?;
    let bands: HashMap<AreaCode, &veerkracht_index::uncertainty::AreaBand> =
        idx.1.areas.iter().map(|b| (b.code, b)).collect();
    let rows: Vec<serde_json::Map<String, Value>> = idx
        .0
        .areas
        .iter()
        .map(|a| {
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(a.code.to_string()));
            m.insert("naam".into(), json!(a.name));
            m.insert("status".into(), json!(a.status));
            m.insert(
                "reden".into(),
                json!(
                    a.exclusions
                        .iter()
                        .map(|x| format!("{}: {}", x.reason.label_nl(), x.detail))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
            m.insert("score".into(), json!(a.score));
            m.insert("klasse".into(), json!(a.class.map(|c| c.label_nl())));
            m.insert("percentiel".into(), json!(a.percentile));
            m.insert("rang".into(), json!(a.rank));
            let b = bands.get(&a.code);
            m.insert("rang_p5".into(), json!(b.map(|b| b.rank_p5)));
            m.insert("rang_p95".into(), json!(b.map(|b| b.rank_p95)));
            for c in &a.components {
                m.insert(format!("component_{}", c.component), json!(c.score));
            }
            m.insert("dekking".into(), json!(a.coverage));
            m.insert("betrouwbaar".into(), json!(a.reliable));
            m
        })
        .collect();
    Ok(match fmt {
        Format::Csv => csv(&rows, &format!("index-{edition}")),
        Format::GeoJson => geojson(&st, edition, &rows),
        Format::Json => json_ok(json!({
            "definitie": st.def.id, "editie": edition, "niveau": level.plural(),
            "methode": idx.0.method, "gebieden": rows,
        })),
    })
}

/// GET /api/v1/compare?edition=&format=
pub(crate) async fn compare(
    State(st): State<Arc<AppState>>,
    Params(q): Params<CompareQuery>,
) -> Answer {
    let edition = edition_of(&st, q.edition.as_deref(), Level::Buurt)?;
    let fmt = format_of(q.format.as_deref(), false)?;
    let st2 = st.clone();
    let c = blocking(move || st2.compare(edition)).await?;
    if fmt == Format::Csv {
        let rows: Vec<serde_json::Map<String, Value>> = c
            .variables
            .iter()
            .map(|v| {
                let d = |x: &Option<veerkracht_index::compare::Difference>| {
                    x.as_ref().map(|d| (d.estimate, d.low, d.high))
                };
                let mut m = serde_json::Map::new();
                m.insert("variabele".into(), json!(v.variable));
                m.insert("naam".into(), json!(v.label_nl));
                m.insert("n_corporatie".into(), json!(v.n_corp));
                m.insert("n_overig".into(), json!(v.n_rest));
                m.insert("gemiddelde_corporatie".into(), json!(v.mean_corp));
                m.insert("gemiddelde_overig".into(), json!(v.mean_rest));
                m.insert("verschil".into(), json!(d(&v.diff_mean).map(|x| x.0)));
                m.insert("verschil_laag".into(), json!(d(&v.diff_mean).map(|x| x.1)));
                m.insert("verschil_hoog".into(), json!(d(&v.diff_mean).map(|x| x.2)));
                m.insert("gematcht".into(), json!(d(&v.diff_matched).map(|x| x.0)));
                m.insert("paren".into(), json!(v.matched_pairs));
                m
            })
            .collect();
        return Ok(csv(&rows, &format!("corporatiebuurten-{edition}")));
    }
    Ok(json_ok(serde_json::to_value(&*c).unwrap_or(Value::Null)))
}

/// GET /api/v1/signal?from=&to=&level=&format=
pub(crate) async fn signal(
    State(st): State<Arc<AppState>>,
    Params(q): Params<SignalQuery>,
) -> Answer {
    let level = level_of(q.level.as_deref())?;
    let eds = st.editions(level);
    let get = |k: &str, v: Option<&str>, d: Option<Edition>| -> Result<Edition, Problem> {
        match v {
            None => d.ok_or_else(|| Problem::bad("the signal needs two editions")),
            Some(s) => s.parse().ok().filter(|e| eds.contains(e)).ok_or_else(|| {
                Problem::bad(format!("{k} '{s}' is not an edition; editions: {eds:?}"))
            }),
        }
    };
    let from = get("from", q.from.as_deref(), eds.first().copied())?;
    let to = get("to", q.to.as_deref(), eds.last().copied())?;
    if from >= to {
        return Err(Problem::bad(format!("from {from} must be before to {to}")));
    }
    let fmt = format_of(q.format.as_deref(), true)?;
    let st2 = st.clone();
    let s = blocking(move || st2.signal(from, to, level)).await?;
    let rows: Vec<serde_json::Map<String, Value>> = s
        .areas
        .iter()
        .map(|a| {
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(a.code.to_string()));
            m.insert("naam".into(), json!(a.name));
            m.insert("d_kwetsbaarheid".into(), json!(a.d_vulnerability));
            m.insert("d_druk".into(), json!(a.d_pressure));
            m.insert("kwadrant".into(), json!(a.quadrant.map(|x| x.label_nl())));
            m.insert(
                "kwadrant_relatief".into(),
                json!(a.quadrant_rel.map(|x| x.label_nl())),
            );
            m.insert("opmerking".into(), json!(a.note));
            m
        })
        .collect();
    Ok(match fmt {
        Format::Csv => csv(&rows, &format!("signaal-{from}-{to}")),
        Format::GeoJson => geojson(&st, to, &rows),
        Format::Json => {
            json_ok(json!({"van": from, "tot": to, "niveau": level.plural(), "gebieden": rows}))
        }
    })
}

/// GET /api/v1/spatial/lisa?edition=&level=&format= — LISA of the index score.
pub(crate) async fn lisa(State(st): State<Arc<AppState>>, Params(q): Params<IndexQuery>) -> Answer {
    let level = level_of(q.level.as_deref())?;
    let edition = edition_of(&st, q.edition.as_deref(), level)?;
    let fmt = format_of(q.format.as_deref(), true)?;
    let st2 = st.clone();
    let (rows, global) = blocking(move || {
        let idx = st2.index(edition, level);
        let (labels, global) = lisa_of(&st2, &idx.0);
        let rows: Vec<serde_json::Map<String, Value>> = idx
            .0
            .areas
            .iter()
            .map(|a| {
                let mut m = serde_json::Map::new();
                m.insert("code".into(), json!(a.code.to_string()));
                m.insert("naam".into(), json!(a.name));
                m.insert("score".into(), json!(a.score));
                m.insert("cluster".into(), json!(labels.get(&a.code)));
                m
            })
            .collect();
        (rows, global)
    })
    .await?;
    Ok(match fmt {
        Format::Csv => csv(&rows, &format!("lisa-{edition}")),
        Format::GeoJson => geojson(&st, edition, &rows),
        Format::Json => json_ok(json!({
            "editie": edition, "niveau": level.plural(), "variabele": "score",
            "gewichten": "queen, R", "permutaties": 999, "seed": 12345, "alpha": 0.05,
            "moran_i": global.map(|g| g.0), "p_sim": global.map(|g| g.1), "gebieden": rows,
        })),
    })
}
