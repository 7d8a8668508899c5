//! # veerkracht-web
//!
//! The dashboard partners put on the table and the JSON API behind it, served by
//! `veerkracht serve`. Pages are rendered on the server (HTML with inline SVG maps, no
//! JavaScript framework, no download at install or run time), Dutch first with `?lang=en`:
//!
//! - `/` *Kaart*: choropleth of the index, a component, any indicator, the veerkracht signal
//!   or LISA clusters, per edition, with a fixed colour scale across editions;
//! - `/buurt/{code}` *Buurtprofiel*: score with its uncertainty band, components, the "waarom"
//!   down to raw indicators, trend, flags, reliability, comparison with gemeente, Nederland,
//!   corporatiebuurten and similar buurten;
//! - `/corporatie`, `/signaal`, `/hotspots`, `/huurmix` (WWS rent mix and a retrofit what-if),
//!   `/scenarios` (allocation scenarios against the baseline, Monte Carlo bands), `/methode`.
//!
//! The API lives under `/api/v1` (`openapi.json` lists it); errors are problem details
//! (RFC 9457). Every page and answer carries security headers; request bodies are limited.
//!
//! The crate reads a [`veerkracht_dataset::Dataset`] and calls the engines (index, spatial);
//! it never writes the workspace.
//!
//! Every figure computed from dwelling- or household-level data — the rent mix of the
//! corporation's voorraad (`veerkracht-huurmix`) and the simulation's per-buurt outputs
//! ([`simulation`], `veerkracht_sim::afscherming`) — passes through `veerkracht-privacy` first, with the rule of [`AppState::privacy`]
//! (minimum cell size k, default 10; [`AppState::with_privacy`]). Withheld figures are
//! `null` with the reason in `afgeschermd` (API, CSV) or "·" with a legend (pages); `/methode`
//! explains the rule.

// Layers, each importing only the ones above it in this list (checked by
// `tests/layers.rs`): plain HTTP and HTML helpers; the multi-user configuration; the state;
// the guard; the views and services the routes share; the route groups; the API document.
mod auth;
mod chart;
pub mod heavy;
mod html;
mod http;
mod labels;
mod map;
pub mod multi_user;
mod openapi;
mod partner_ui;
mod planning;
mod routes;
mod scenario_view;
pub mod simulation;
mod state;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use state::AppState;

/// Largest accepted request body (bytes).
pub const MAX_BODY: usize = 64 * 1024;

/// The Content-Security-Policy: everything from this server, nothing inline except styles in
/// SVG attributes (fill colours), no frames.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The application: pages, assets and API with their headers and limits.
pub fn router(state: Arc<AppState>) -> Router {
    routes::all()
        .route("/api/v1/openapi.json", get(openapi::document))
        .fallback(routes::pages::not_found)
        // `?grafiek=ID`: one chart of a page as an SVG file
        .layer(axum::middleware::from_fn(chart_download))
        // the gemeente focus (`gemeente=` or `serve --gemeente`), for the pages' chooser and links
        .layer(axum::middleware::from_fn_with_state(state.clone(), focus))
        // multi-user mode: login, CSRF and own-stock access for every route
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::guard,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        // gzip when the client accepts it (maps of thousands of areas shrink ~5×)
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state)
}

/// Resolves the request's gemeente focus (the `gemeente` query parameter: a code, a name, a
/// choice of the list, or `NL` for the whole country; else `serve --gemeente`) and answers the
/// request with it in [`html::FOCUS`].
async fn focus(
    axum::extract::State(st): axum::extract::State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let asked = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(req.uri())
        .ok()
        .and_then(|q| q.0.into_iter().find(|(k, _)| k == "gemeente"))
        .map(|(_, v)| v);
    let list = st.gemeenten();
    let name_of = |c: veerkracht_dataset::AreaCode| {
        let name = list
            .iter()
            .find(|g| g.0 == c)
            .map(|g| g.1.clone())
            .unwrap_or_else(|| c.to_string());
        (c.to_string(), name)
    };
    let (gemeente, error) = match asked.as_deref().map(str::trim) {
        None => (st.focus.map(name_of), None),
        Some("") | Some("NL") | Some("nl") | Some("NL00") => (None, None),
        Some(text) => match st.resolve_gemeente(text) {
            Ok(c) => (Some(name_of(c)), None),
            Err(e) => (None, Some(e)),
        },
    };
    let here = without_chart(req.uri()).1;
    let f = html::Focus {
        gemeente,
        // the state's own list, shared: no per-request copy
        choices: list.clone(),
        error,
        here,
    };
    html::FOCUS.scope(f, next.run(req)).await
}

/// The `grafiek` parameter of a request (a chart to download), and its path and query
/// without it (the page itself).
fn without_chart(uri: &axum::http::Uri) -> (Option<String>, String) {
    let q: Vec<(String, String)> = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let chart = q
        .iter()
        .find(|(k, _)| k == "grafiek")
        .map(|(_, v)| v.clone());
    let kept: Vec<&(String, String)> = q.iter().filter(|(k, _)| k != "grafiek").collect();
    let path = uri.path();
    let here = if kept.is_empty() {
        path.to_string()
    } else {
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(&kept).unwrap_or_default()
        )
    };
    (chart, here)
}

/// Largest page whose chart is cut out for `?grafiek=` (a map page of the whole country is
/// under 1 MB).
const MAX_PAGE_FOR_CHART: usize = 16 * 1024 * 1024;

/// `GET <page>?…&grafiek=ID`: the chart of the page (the first `<svg>` of the figure with
/// `data-testid="ID"`) as a standalone SVG file to download, byte for byte what the page
/// draws, with a font and the XML declaration added. The page is answered as without
/// `grafiek` (same checks and figures); a page without that chart gives 404 naming the charts
/// it has. Every figure links to this ([`chart::downloads`]).
async fn chart_download(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path().to_string();
    if req.method() != axum::http::Method::GET
        || path.starts_with("/api/")
        || path.starts_with("/assets/")
    {
        return next.run(req).await;
    }
    let (id, uri) = without_chart(req.uri());
    let Some(id) = id else {
        return next.run(req).await;
    };
    if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return http::problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            "grafiek: the name of a chart of the page (a–z, 0–9, - and _, at most 64 characters), as in its download link",
        );
    }
    if let Ok(u) = uri.parse() {
        *req.uri_mut() = u;
    }
    // the page without compression: this layer sits inside the gzip layer
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    let resp = next.run(req).await;
    if !resp.status().is_success() {
        return resp;
    }
    let Ok(body) = axum::body::to_bytes(resp.into_body(), MAX_PAGE_FOR_CHART).await else {
        return http::problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Interne fout / internal error",
            "the page could not be read",
        );
    };
    let page = String::from_utf8_lossy(&body);
    match chart::cut_out(&page, &id) {
        Ok(svg) => (
            [
                (
                    header::CONTENT_TYPE,
                    "image/svg+xml; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"veerkracht-{id}.svg\""),
                ),
            ],
            svg,
        )
            .into_response(),
        Err(have) => http::problem(
            StatusCode::NOT_FOUND,
            "Onbekende grafiek / unknown chart",
            &format!(
                "this page has no chart '{id}'; its charts: {}",
                if have.is_empty() {
                    "none".to_string()
                } else {
                    have.join(", ")
                }
            ),
        ),
    }
}

/// How `serve` treats connections.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// A client must send a request's headers within this time, or the connection is
    /// closed (slow clients cannot hold connections open).
    pub header_timeout: std::time::Duration,
    /// Connections served at once; a connection beyond it is closed at once, so that
    /// file descriptors stay free for the others.
    pub max_connections: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_timeout: std::time::Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// Serves until Ctrl-C. `ready` is called with the bound address (port 0 picks a free one).
pub fn serve(
    addr: SocketAddr,
    state: AppState,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    serve_with(addr, state, ServeOptions::default(), ready)
}

/// [`serve`] with explicit connection handling: HTTP/1.1 with a header read timeout and a
/// cap on connections; on Ctrl-C open connections get up to 5 s to finish.
pub fn serve_with(
    addr: SocketAddr,
    state: AppState,
    opts: ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        let app = router(Arc::new(state));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let slots = Arc::new(tokio::sync::Semaphore::new(opts.max_connections.max(1)));
        let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            let (stream, peer) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(x) => x,
                    // out of file descriptors or a reset during accept: breathe, go on
                    Err(_) => {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        continue;
                    }
                },
                _ = &mut stop => break,
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                drop(stream);
                continue;
            };
            let _ = stream.set_nodelay(true);
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(opts.header_timeout)
                .serve_connection(TokioIo::new(stream), {
                    // the client address for the login rate limit
                    let app = app.clone();
                    hyper::service::service_fn(
                        move |mut req: hyper::Request<hyper::body::Incoming>| {
                            req.extensions_mut()
                                .insert(axum::extract::ConnectInfo(peer));
                            tower::ServiceExt::oneshot(app.clone(), req)
                        },
                    )
                });
            let conn = graceful.watch(conn);
            tokio::spawn(async move {
                let _ = conn.await;
                drop(slot);
            });
        }
        tokio::select! {
            _ = graceful.shutdown() => {}
            _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
        }
        Ok(())
    })
}
