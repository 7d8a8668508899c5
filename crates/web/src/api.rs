//! The JSON API under `/api/v1`. Every parameter is checked (unknown ones too); errors are
//! problem details (`application/problem+json`, RFC 9457). Tables also come as CSV and maps as
//! GeoJSON (`format=csv|geojson`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use veerkracht_dataset::{AreaCode, Edition, Level};

use crate::AppState;
use crate::pages::{edition_of, level_of, lisa_of};

type Q = Query<HashMap<String, String>>;

/// A problem-details answer.
pub fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        json!({
            "type": format!("https://veerkracht.invalid/problemen/{}", status.as_u16()),
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
        })
        .to_string(),
    )
        .into_response()
}

fn bad(detail: &str) -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        "Ongeldige parameter / invalid parameter",
        detail,
    )
}

/// Rejects parameters the endpoint does not know.
fn only(q: &HashMap<String, String>, allowed: &[&str]) -> Result<(), Response> {
    let mut unknown: Vec<&String> = q
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .collect();
    unknown.sort();
    match unknown.first() {
        None => Ok(()),
        Some(k) => Err(bad(&format!(
            "unknown parameter '{k}'; this endpoint takes: {}",
            allowed.join(", ")
        ))),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    GeoJson,
}

fn format_of(q: &HashMap<String, String>, geo: bool) -> Result<Format, Response> {
    match q.get("format").map(String::as_str) {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("geojson") if geo => Ok(Format::GeoJson),
        Some(o) => Err(bad(&format!(
            "format '{o}' is not offered here: use json or csv{}",
            if geo { " or geojson" } else { "" }
        ))),
    }
}

pub fn json_response(v: Value) -> Response {
    json_ok(v)
}

fn json_ok(v: Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Rows as a CSV download.
pub fn csv_response(rows: &[serde_json::Map<String, Value>], name: &str) -> Response {
    csv(rows, name)
}

/// Rows (objects with the same keys) as CSV (RFC 4180, comma, point decimals).
fn csv(rows: &[serde_json::Map<String, Value>], name: &str) -> Response {
    let mut s = String::new();
    if let Some(first) = rows.first() {
        let keys: Vec<&String> = first.keys().collect();
        let q = |t: &str| {
            if t.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", t.replace('"', "\"\""))
            } else {
                t.to_string()
            }
        };
        s.push_str(&keys.iter().map(|k| q(k)).collect::<Vec<_>>().join(","));
        s.push('\n');
        for r in rows {
            let cells: Vec<String> = keys
                .iter()
                .map(|k| match r.get(*k) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(t)) => q(t),
                    Some(v) => q(&v.to_string()),
                })
                .collect();
            s.push_str(&cells.join(","));
            s.push('\n');
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        s,
    )
        .into_response()
}

/// Rows with a `code` as GeoJSON features (WGS84, 6 decimals) of the edition's shapes.
fn geojson(st: &AppState, edition: Edition, rows: &[serde_json::Map<String, Value>]) -> Response {
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

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/areas", get(areas))
        .route("/api/v1/areas/{code}", get(area))
        .route("/api/v1/index", get(index))
        .route("/api/v1/compare", get(compare))
        .route("/api/v1/signal", get(signal))
        .route("/api/v1/spatial/lisa", get(lisa))
        .route("/api/v1/rentmix", get(crate::huurmix::api))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|_| {
        problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Interne fout / internal error",
            "the computation failed",
        )
    })
}

/// GET /api/v1/areas?level=&gemeente=&edition=
async fn areas(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    if let Err(r) = only(&q, &["level", "gemeente", "edition", "format"]) {
        return r;
    }
    let level = match q.get("level").map(String::as_str) {
        None | Some("buurt") => Level::Buurt,
        Some("wijk") => Level::Wijk,
        Some("gemeente") => Level::Gemeente,
        Some(o) => return bad(&format!("level '{o}': use buurt, wijk or gemeente")),
    };
    let gemeente = match q.get("gemeente") {
        None => None,
        Some(g) => match AreaCode::parse(g) {
            Ok(c) if c.level() == Level::Gemeente => Some(c),
            _ => {
                return bad(&format!(
                    "gemeente '{g}' is not a gemeente code (GM + 4 digits)"
                ));
            }
        },
    };
    let edition = match edition_of(&st, &q, level) {
        Ok(e) => e,
        Err(e) => return bad(&e),
    };
    let fmt = match format_of(&q, false) {
        Ok(f) => f,
        Err(r) => return r,
    };
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
        return csv(&rows, "gebieden");
    }
    json_ok(
        json!({"editie": edition, "niveau": level.plural(), "aantal": rows.len(), "gebieden": rows}),
    )
}

/// The profile of one area (used by the page too); `None` when it is not in the edition.
pub fn profile_json(st: &AppState, code: AreaCode, edition: Edition) -> Option<Value> {
    let level = code.level();
    let idx = st.index(edition, level);
    let (r, u) = (&idx.0, &idx.1);
    let a = r.areas.iter().find(|a| a.code == code)?;
    let band = u.areas.iter().find(|b| b.code == code);
    let def = &st.def;
    let labels: HashMap<&str, (&str, bool, &str)> = def
        .indicators()
        .map(|(_, i)| {
            (
                i.id.as_str(),
                (i.label_nl.as_str(), i.proxy, i.source.as_str()),
            )
        })
        .collect();
    let comp_label: HashMap<&str, &str> = def
        .component
        .iter()
        .map(|c| (c.id.as_str(), c.label_nl.as_str()))
        .collect();
    let mean = |it: &mut dyn Iterator<Item = f64>| {
        let v: Vec<f64> = it.collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let peers = st.peers(edition, level);
    let peer_codes: Vec<AreaCode> = peers
        .get(&code)
        .map(|p| p.iter().map(|x| x.code).collect())
        .unwrap_or_default();
    let by_code: HashMap<AreaCode, &veerkracht_index::AreaScore> =
        r.areas.iter().map(|x| (x.code, x)).collect();
    let trend: Vec<Value> = st
        .editions(level)
        .into_iter()
        .filter_map(|e| {
            let ri = st.index(e, level);
            let x = ri.0.areas.iter().find(|x| x.code == code)?;
            Some(json!({"editie": e, "score": x.score, "klasse": x.class.map(|c| c.label_nl())}))
        })
        .collect();
    let gemeente_name = a
        .gemeente
        .and_then(|g| st.ds.area(edition, &g).map(|x| x.name.clone()));
    Some(json!({
        "code": a.code.to_string(),
        "naam": a.name,
        "niveau": level.plural(),
        "editie": edition,
        "gemeente_code": a.gemeente.map(|g| g.to_string()),
        "gemeente": gemeente_name,
        "corporatiebuurt": a.corporatiebuurt,
        "aantal_gebieden": r.areas.iter().filter(|x| x.score.is_some()).count(),
        "score": {
            "waarde": a.score, "klasse": a.class.map(|c| c.label_nl()), "percentiel": a.percentile,
            "rang": a.rank, "rang_p5": band.map(|b| b.rank_p5), "rang_mediaan": band.map(|b| b.median_rank),
            "rang_p95": band.map(|b| b.rank_p95), "runs": crate::state::PROFILE_RUNS,
        },
        "dekking": a.coverage,
        "betrouwbaar": a.reliable,
        "opmerking": a.note,
        "componenten": a.components.iter().map(|c| json!({
            "id": c.component, "naam": comp_label.get(c.component.as_str()), "score": c.score,
            "aandeel_gewicht_aanwezig": c.weight_present, "vlaggen": c.flags,
        })).collect::<Vec<_>>(),
        "waarom": a.contributions.iter().map(|c| {
            let (naam, proxy, bron) = labels.get(c.indicator.as_str()).copied().unwrap_or(("", false, ""));
            json!({
                "indicator": c.indicator, "naam": naam, "proxy": proxy, "bron": bron,
                "component": comp_label.get(c.component.as_str()), "waarde": c.raw,
                "genormaliseerd": c.normalised, "bijdrage": c.contribution,
                "behoefte_percentiel": c.need_percentile, "p90": c.flag_p90, "geimputeerd": c.imputed,
                "ontbreekt": c.missing, "betrouwbaarheid": c.reliability,
            })
        }).collect::<Vec<_>>(),
        "trend": trend,
        "vergelijking": {
            "gemeente": mean(&mut r.areas.iter().filter(|x| x.gemeente == a.gemeente).filter_map(|x| x.score)),
            "alle": mean(&mut r.areas.iter().filter_map(|x| x.score)),
            "corporatiebuurten": mean(&mut r.areas.iter().filter(|x| x.corporatiebuurt == Some(true)).filter_map(|x| x.score)),
            "vergelijkbaar": mean(&mut peer_codes.iter().filter_map(|c| by_code.get(c).and_then(|x| x.score))),
            "vergelijkbare_buurten": peer_codes.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        },
    }))
}

/// GET /api/v1/areas/{code}?edition=
async fn area(State(st): State<Arc<AppState>>, Path(code): Path<String>, Query(q): Q) -> Response {
    if let Err(r) = only(&q, &["edition"]) {
        return r;
    }
    let Ok(c) = AreaCode::parse(&code) else {
        return problem(
            StatusCode::NOT_FOUND,
            "Onbekend gebied / unknown area",
            &format!("'{code}' is not an area code (BU…, WK…)"),
        );
    };
    if !matches!(c.level(), Level::Buurt | Level::Wijk) {
        return problem(
            StatusCode::NOT_FOUND,
            "Onbekend gebied / unknown area",
            "profiles exist for buurten and wijken",
        );
    }
    let edition = match edition_of(&st, &q, c.level()) {
        Ok(e) => e,
        Err(e) => return bad(&e),
    };
    let st2 = st.clone();
    match blocking(move || profile_json(&st2, c, edition)).await {
        Ok(Some(v)) => json_ok(v),
        Ok(None) => problem(
            StatusCode::NOT_FOUND,
            "Onbekend gebied / unknown area",
            &format!("{c} is not an area of edition {edition}"),
        ),
        Err(r) => r,
    }
}

/// GET /api/v1/index?edition=&level=&format=
async fn index(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    if let Err(r) = only(&q, &["edition", "level", "format"]) {
        return r;
    }
    let level = match level_of(&q) {
        Ok(l) => l,
        Err(e) => return bad(&e),
    };
    let edition = match edition_of(&st, &q, level) {
        Ok(e) => e,
        Err(e) => return bad(&e),
    };
    let fmt = match format_of(&q, true) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let st2 = st.clone();
    let idx = match blocking(move || st2.index(edition, level)).await {
        Ok(i) => i,
        Err(r) => return r,
    };
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
    match fmt {
        Format::Csv => csv(&rows, &format!("index-{edition}")),
        Format::GeoJson => geojson(&st, edition, &rows),
        Format::Json => json_ok(json!({
            "definitie": st.def.id, "editie": edition, "niveau": level.plural(),
            "methode": idx.0.method, "gebieden": rows,
        })),
    }
}

/// GET /api/v1/compare?edition=&format=
async fn compare(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    if let Err(r) = only(&q, &["edition", "format"]) {
        return r;
    }
    let edition = match edition_of(&st, &q, Level::Buurt) {
        Ok(e) => e,
        Err(e) => return bad(&e),
    };
    let fmt = match format_of(&q, false) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let st2 = st.clone();
    let c = match blocking(move || st2.compare(edition)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
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
        return csv(&rows, &format!("corporatiebuurten-{edition}"));
    }
    json_ok(serde_json::to_value(&*c).unwrap_or(Value::Null))
}

/// GET /api/v1/signal?from=&to=&level=&format=
async fn signal(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    if let Err(r) = only(&q, &["from", "to", "level", "format"]) {
        return r;
    }
    let level = match level_of(&q) {
        Ok(l) => l,
        Err(e) => return bad(&e),
    };
    let eds = st.editions(level);
    let get = |k: &str, d: Option<Edition>| -> Result<Edition, Response> {
        match q.get(k) {
            None => d.ok_or_else(|| bad("the signal needs two editions")),
            Some(s) => s
                .parse()
                .ok()
                .filter(|e| eds.contains(e))
                .ok_or_else(|| bad(&format!("{k} '{s}' is not an edition; editions: {eds:?}"))),
        }
    };
    let (from, to) = match (
        get("from", eds.first().copied()),
        get("to", eds.last().copied()),
    ) {
        (Ok(a), Ok(b)) if a < b => (a, b),
        (Ok(a), Ok(b)) => return bad(&format!("from {a} must be before to {b}")),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let fmt = match format_of(&q, true) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let st2 = st.clone();
    let s = match blocking(move || st2.signal(from, to, level)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
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
    match fmt {
        Format::Csv => csv(&rows, &format!("signaal-{from}-{to}")),
        Format::GeoJson => geojson(&st, to, &rows),
        Format::Json => {
            json_ok(json!({"van": from, "tot": to, "niveau": level.plural(), "gebieden": rows}))
        }
    }
}

/// GET /api/v1/spatial/lisa?edition=&level=&format= — LISA of the index score.
async fn lisa(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    if let Err(r) = only(&q, &["edition", "level", "format"]) {
        return r;
    }
    let level = match level_of(&q) {
        Ok(l) => l,
        Err(e) => return bad(&e),
    };
    let edition = match edition_of(&st, &q, level) {
        Ok(e) => e,
        Err(e) => return bad(&e),
    };
    let fmt = match format_of(&q, true) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let st2 = st.clone();
    let (rows, global) = match blocking(move || {
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
    .await
    {
        Ok(x) => x,
        Err(r) => return r,
    };
    match fmt {
        Format::Csv => csv(&rows, &format!("lisa-{edition}")),
        Format::GeoJson => geojson(&st, edition, &rows),
        Format::Json => json_ok(json!({
            "editie": edition, "niveau": level.plural(), "variabele": "score",
            "gewichten": "queen, R", "permutaties": 999, "seed": 12345, "alpha": 0.05,
            "moran_i": global.map(|g| g.0), "p_sim": global.map(|g| g.1), "gebieden": rows,
        })),
    }
}

/// The endpoints with their parameters: one table serves the OpenAPI document.
const ENDPOINTS: &[(&str, &str, &[&str])] = &[
    (
        "/api/v1/areas",
        "Areas of a level and edition (filter by gemeente)",
        &["level", "gemeente", "edition", "format"],
    ),
    (
        "/api/v1/areas/{code}",
        "The profile of a buurt or wijk: score, band, components, waarom, trend, comparison",
        &["edition"],
    ),
    (
        "/api/v1/index",
        "The index per area with its rank band",
        &["edition", "level", "format"],
    ),
    (
        "/api/v1/compare",
        "Corporatiebuurten against other buurten",
        &["edition", "format"],
    ),
    (
        "/api/v1/signal",
        "The veerkracht signal between two editions",
        &["from", "to", "level", "format"],
    ),
    (
        "/api/v1/spatial/lisa",
        "LISA clusters of the index score",
        &["edition", "level", "format"],
    ),
];

async fn openapi() -> Response {
    let mut paths = serde_json::Map::new();
    for (path, summary, params) in ENDPOINTS {
        let mut ps: Vec<Value> = params
            .iter()
            .map(|p| json!({"name": p, "in": "query", "required": false, "schema": {"type": "string"}}))
            .collect();
        if path.contains("{code}") {
            ps.push(json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        if *path == "/api/v1/scenarios" {
            paths.insert(
                "/api/v1/scenarios/run".into(),
                json!({"post": {"summary": "Runs a scenario (shipped name or TOML) against a baseline; runs 1–500, at most 60 s",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                        "required": ["scenario"], "additionalProperties": false, "properties": {
                            "scenario": {"type": "string"}, "basis": {"type": "string"},
                            "runs": {"type": "integer", "minimum": 1, "maximum": 500}, "seed": {"type": "integer"}}}}}},
                    "responses": {"200": {"description": "OK"}, "400": {"description": "Invalid request (problem details)"},
                        "413": {"description": "Body larger than 64 KB"}, "422": {"description": "Invalid scenario (problem details)"},
                        "503": {"description": "Took too long (problem details)"}}}}),
            );
        }
        paths.insert(
            path.to_string(),
            json!({"get": {"summary": summary, "parameters": ps, "responses": {
                "200": {"description": "OK"},
                "400": {"description": "Invalid parameter (problem details)", "content": {"application/problem+json": {}}},
                "404": {"description": "Unknown (problem details)", "content": {"application/problem+json": {}}},
            }}}),
        );
    }
    paths.insert(
        "/api/v1/rentmix".into(),
        json!({"get": {"summary": "WWS rent mix per buurt of the corporation's stock (small cells suppressed; with serve --multi-user only for that corporation)",
            "parameters": [{"name": "naar", "in": "query", "required": false, "schema": {"type": "string"}}, {"name": "format", "in": "query", "required": false, "schema": {"enum": ["json", "csv"]}}],
            "responses": {"200": {"description": "OK"}, "400": {"description": "Invalid parameter (problem details)"}, "404": {"description": "No stock loaded"}}}}),
    );
    // the partner workspace (serve --multi-user): a session cookie with X-CSRF-Token, or a token
    for (path, method, summary, body) in crate::workspace::openapi_paths() {
        let mut op = json!({"summary": summary, "security": [{"token": []}, {"sessie": []}], "responses": {
            "200": {"description": "OK"}, "201": {"description": "Created"}, "401": {"description": "Not logged in"},
            "403": {"description": "Not allowed, or no valid CSRF token"}, "404": {"description": "Unknown, or not visible to the user"},
            "409": {"description": "Changed meanwhile (optimistic locking)"}, "413": {"description": "Body larger than 64 KB"},
            "422": {"description": "Invalid input, naming the field (problem details)"}}});
        let mut ps: Vec<Value> = Vec::new();
        for p in ["id", "mid"] {
            if path.contains(&format!("{{{p}}}")) {
                ps.push(json!({"name": p, "in": "path", "required": true, "schema": {"type": "integer"}}));
            }
        }
        op["parameters"] = Value::Array(ps);
        if let Some(b) = body {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": b}}});
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    json_ok(json!({
        "openapi": "3.1.0",
        "info": {"title": "veerkracht API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {"securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "description": "API token vk_… (made on /account; serve --multi-user)"},
            "sessie": {"type": "apiKey", "in": "cookie", "name": "vk_sessie", "description": "Session cookie from /login; state changes also need the X-CSRF-Token header"},
        }},
    }))
}
