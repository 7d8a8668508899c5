//! Plain HTTP helpers every route uses: problem details (`application/problem+json`,
//! RFC 9457) as one error type ([`Problem`]; a handler returns [`Answer`], so `?` answers any
//! failure), typed query strings whose unknown names are refused ([`Params`]), JSON and CSV
//! answers, the output format, and CPU work off the async threads. Imports nothing of this
//! crate.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::response::Response;
use serde_json::Value;
use serde_json::json;

/// The query string of a request as name → value (every handler checks the names).
pub(crate) type Q = Query<HashMap<String, String>>;

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

/// A request that cannot be answered, as problem details (status, title, detail). Every
/// route of the API returns [`Answer`]; `?` on a `Result<_, Problem>` (or on a
/// `Result<_, String>` from a parameter check, which is a 400) ends the request with it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
}

/// What an API handler returns.
pub(crate) type Answer = Result<Response, Problem>;

impl Problem {
    /// A problem with its status, a bilingual title and the detail that names the fix.
    pub(crate) fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            title,
            detail: detail.into(),
        }
    }

    /// 400: a parameter is missing, unknown or out of range.
    pub(crate) fn bad(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            detail,
        )
    }

    /// 500: the computation failed (a panic in a worker thread).
    pub(crate) fn internal(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Interne fout / internal error",
            detail,
        )
    }
}

impl From<String> for Problem {
    /// A parameter check's message is a 400.
    fn from(detail: String) -> Self {
        Problem::bad(detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        problem(self.status, self.title, &self.detail)
    }
}

/// The names a query struct accepts, in the order the error message lists them.
pub(crate) trait QueryNames {
    /// Every name the endpoint takes.
    const NAMES: &'static [&'static str];
}

/// Declares a query struct of optional text parameters with the names it accepts.
macro_rules! query {
    ($(#[$m:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(serde::Deserialize)]
        pub(crate) struct $name {
            $(pub(crate) $field: Option<String>,)*
        }
        impl QueryNames for $name {
            const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];
        }
    };
}
pub(crate) use query;

/// A query string read into `T` after its names are checked against [`QueryNames::NAMES`]:
/// an unknown name is a 400 naming it and listing the names the endpoint takes.
pub(crate) struct Params<T>(pub T);

impl<S: Send + Sync, T: QueryNames + serde::de::DeserializeOwned> FromRequestParts<S>
    for Params<T>
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        let Query(map) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map_err(IntoResponse::into_response)?;
        only(&map, T::NAMES)?;
        let value = serde_json::to_value(&map).unwrap_or_default();
        serde_json::from_value(value)
            .map(Params)
            .map_err(|e| bad(&e.to_string()))
    }
}

pub(crate) fn bad(detail: &str) -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        "Ongeldige parameter / invalid parameter",
        detail,
    )
}

/// Rejects parameters the endpoint does not know.
pub(crate) fn only(q: &HashMap<String, String>, allowed: &[&str]) -> Result<(), Response> {
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
pub(crate) enum Format {
    Json,
    Csv,
    GeoJson,
}

/// The `format` parameter: json (default), csv, or geojson where `geo` offers it.
pub(crate) fn format_of(format: Option<&str>, geo: bool) -> Result<Format, Problem> {
    match format {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("geojson") if geo => Ok(Format::GeoJson),
        Some(o) => Err(Problem::bad(format!(
            "format '{o}' is not offered here: use json or csv{}",
            if geo { " or geojson" } else { "" }
        ))),
    }
}

pub fn json_response(v: Value) -> Response {
    json_ok(v)
}

pub(crate) fn json_ok(v: Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Rows as a CSV download.
pub fn csv_response(rows: &[serde_json::Map<String, Value>], name: &str) -> Response {
    csv(rows, name)
}

/// Rows (objects with the same keys) as CSV (RFC 4180, comma, point decimals).
pub(crate) fn csv(rows: &[serde_json::Map<String, Value>], name: &str) -> Response {
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

/// Runs CPU work on the blocking pool; a panic in it is a 500.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| Problem::internal("the computation failed"))
}
