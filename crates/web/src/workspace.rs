//! The partner workspace (`veerkracht serve --multi-user`): login, sessions, CSRF, access to
//! own-stock pages, and the shared buurt plans (*buurtaanpak*) in the browser (`/plans`) and
//! the API (`/api/v1/plans`). All rules of who may do what are in
//! `veerkracht_partners::policy`; this module turns requests into repository calls and
//! answers into pages.
//!
//! Security, in one place ([`guard`]): every request but `/login` and the assets needs a
//! session cookie (`vk_sessie`: HttpOnly, SameSite=Strict, `Secure` behind TLS) or an API
//! token (`Authorization: Bearer vk_…`); every state change with a cookie needs the session's
//! CSRF token (form field `csrf` or header `X-CSRF-Token`); logins are limited per client
//! address, and failed logins slow further attempts per account and address (never a lock,
//! `veerkracht_partners::throttle`); every text is escaped on output.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use serde_json::{Value, json};
use veerkracht_dataset::{AreaCode, Edition, Level};
use veerkracht_partners::{
    Actor, CommentKind, Error, LoginFailure, MeasureEdit, MeasureKind, MeasureStatus, NewGoal,
    NewMeasure, NewPlan, Plan, PlanEdit, PlanStatus, Workspace, format_time, policy,
};

use crate::AppState;
use crate::api::problem;
use crate::html::{self, Lang, esc, num};

/// Audit entries shown on a plan's page (the dossier and the API have all).
const PAGE_AUDIT: i64 = 50;
/// Decisions and comments shown on a plan's page (the dossier and the API have all).
const PAGE_COMMENTS: usize = 100;

/// The session cookie.
pub const SESSION_COOKIE: &str = "vk_sessie";
/// The login form's own CSRF cookie (double submit; there is no session yet).
const LOGIN_COOKIE: &str = "vk_login";

/// The workspace and its security settings, held by [`AppState`] in multi-user mode.
pub struct Partners {
    pub ws: Arc<Workspace>,
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Login attempts allowed per client address per minute.
    pub logins_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`);
    /// from any other peer the header is ignored.
    pub trusted_proxies: Vec<TrustedProxy>,
    limiter: Mutex<HashMap<IpAddr, (Instant, u32)>>,
    /// At most this many password checks at once (argon2id takes 19 MiB and tens of ms).
    hashing: tokio::sync::Semaphore,
    /// Heavy shares (a scenario run) in progress per user.
    heavy: Mutex<HashMap<i64, usize>>,
}

/// Heavy shares (each a full scenario simulation) one user may run at once; more are
/// answered 429 with Retry-After.
pub const HEAVY_PER_USER: usize = 2;

impl Partners {
    pub fn new(ws: Workspace, secure_cookies: bool) -> Partners {
        Partners {
            ws: Arc::new(ws),
            secure_cookies,
            logins_per_minute: 10,
            trusted_proxies: Vec::new(),
            limiter: Mutex::default(),
            hashing: tokio::sync::Semaphore::new(4),
            heavy: Mutex::default(),
        }
    }

    /// A place for one heavy job of `user`, released when dropped; None when the user already
    /// runs [`HEAVY_PER_USER`].
    fn heavy_slot(&self, user: i64) -> Option<HeavySlot<'_>> {
        let mut m = self.heavy.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(user).or_insert(0);
        if *n >= HEAVY_PER_USER {
            return None;
        }
        *n += 1;
        Some(HeavySlot { p: self, user })
    }

    /// Counts a login attempt from `ip`; false when the address is over its limit.
    fn allow_login(&self, ip: IpAddr) -> bool {
        let mut m = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if m.len() > 10_000 {
            m.retain(|_, (t, _)| now.duration_since(*t) < Duration::from_secs(60));
        }
        let e = m.entry(ip).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= self.logins_per_minute
    }
}

struct HeavySlot<'a> {
    p: &'a Partners,
    user: i64,
}

impl Drop for HeavySlot<'_> {
    fn drop(&mut self) {
        let mut m = self.p.heavy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.user);
            }
        }
    }
}

/// A reverse proxy (or a network of them) whose `X-Forwarded-For` is believed: an address
/// (`10.0.0.7`, `::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    net: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for TrustedProxy {
    type Err = String;

    fn from_str(s: &str) -> Result<TrustedProxy, String> {
        let bad = || {
            format!(
                "'{}' is not an IP address or CIDR block such as 10.0.0.7, 10.0.0.0/8 or fd00::/8",
                veerkracht_partners::model::clip(s, 60)
            )
        };
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| bad())?)),
            None => (s.trim(), None),
        };
        let net = addr.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(bad());
        }
        Ok(TrustedProxy { net, prefix })
    }
}

impl TrustedProxy {
    /// Whether `ip` lies in this address or block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        // both as 128 bits, an IPv4 address in the top 32, so a prefix counts from the top
        let bits = |a: IpAddr| -> u128 {
            match a {
                IpAddr::V4(v) => u128::from(u32::from(v)) << 96,
                IpAddr::V6(v) => u128::from(v),
            }
        };
        let ip = ip.to_canonical();
        let mask = u128::MAX
            .checked_shl(128 - u32::from(self.prefix))
            .unwrap_or(0);
        ip.is_ipv4() == self.net.is_ipv4() && bits(ip) & mask == bits(self.net) & mask
    }
}

/// Who is asking, as found by [`guard`].
#[derive(Clone)]
pub struct Auth {
    pub actor: Actor,
    /// The session's CSRF token; None for an API token (no cookie, no CSRF risk).
    pub csrf: Option<String>,
}

fn cookie<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

fn bearer(h: &HeaderMap) -> Option<&str> {
    h.get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn lang_of(uri: &axum::http::Uri) -> Lang {
    if uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "lang=en"))
    {
        Lang::En
    } else {
        Lang::Nl
    }
}

/// Routes of the workspace (answered with an explanation when it is off).
fn workspace_path(path: &str) -> bool {
    [
        "/login",
        "/logout",
        "/plans",
        "/account",
        "/beheer",
        "/api/v1/plans",
        "/api/v1/tokens",
        "/api/v1/me",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// Pages and API answers that show the corporation's own stock or allocation microdata.
fn own_stock_path(path: &str) -> bool {
    path == "/huurmix"
        || path.starts_with("/api/v1/rentmix")
        || path == "/scenarios"
        || path.starts_with("/api/v1/scenarios")
}

fn deny(
    st: &AppState,
    lang: Lang,
    api: bool,
    status: StatusCode,
    msg_nl: &str,
    msg_en: &str,
) -> Response {
    if api {
        return problem(
            status,
            status.canonical_reason().unwrap_or("error"),
            &format!("{msg_nl} / {msg_en}"),
        );
    }
    (
        status,
        Html(html::page(
            lang,
            lang.t("Geen toegang", "No access"),
            "",
            "",
            &st.origin,
            st.synthetic,
            &format!("<p>{}</p>", esc(lang.t(msg_nl, msg_en))),
        )),
    )
        .into_response()
}

/// The gate in front of every route in multi-user mode (a no-op without a workspace).
pub async fn guard(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let lang = lang_of(req.uri());
    let api = is_api(&path);
    let Some(p) = st.partners.as_ref() else {
        if workspace_path(&path) {
            if api {
                return problem(
                    StatusCode::NOT_FOUND,
                    "Niet gevonden / not found",
                    "the partner workspace runs with `veerkracht serve --multi-user`",
                );
            }
            return single_user_page(&st, lang);
        }
        return next.run(req).await;
    };
    if path.starts_with("/assets/") || path == "/favicon.ico" {
        return next.run(req).await;
    }
    // who: an API token or a session cookie
    let ws = p.ws.clone();
    let token = bearer(req.headers()).map(str::to_string);
    let sid = cookie(req.headers(), SESSION_COOKIE).map(str::to_string);
    let found = run(move || -> Result<Option<Auth>, Error> {
        if let Some(t) = token {
            return Ok(ws.token_actor(&t)?.map(|actor| Auth { actor, csrf: None }));
        }
        if let Some(s) = sid {
            return Ok(ws.session(&s)?.map(|(actor, csrf)| Auth {
                actor,
                csrf: Some(csrf),
            }));
        }
        Ok(None)
    })
    .await;
    let auth = match found {
        Ok(a) => a,
        Err(e) => return error_response(&st, lang, api, e),
    };
    let Some(auth) = auth else {
        if path == "/login" {
            return next.run(req).await;
        }
        if api {
            let mut r = problem(
                StatusCode::UNAUTHORIZED,
                "Niet aangemeld / not logged in",
                "log in at /login or send an API token: Authorization: Bearer vk_…",
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"veerkracht\""),
            );
            return r;
        }
        let back = req
            .uri()
            .path_and_query()
            .map(|x| x.as_str())
            .unwrap_or("/");
        return Redirect::to(&format!("/login?terug={}", html::url(back))).into_response();
    };
    // CSRF on every state change made with a cookie
    let mut req = req;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && let Some(expected) = auth.csrf.clone()
    {
        let header_ok = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| veerkracht_partners::auth::same_secret(v, &expected));
        if !header_ok {
            let is_form = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
            let (parts, body) = req.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_BODY).await else {
                return deny(
                    &st,
                    lang,
                    api,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Het verzoek is te groot (hoogstens 64 kB).",
                    "The request is too large (at most 64 kB).",
                );
            };
            let form_ok = is_form
                && serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                    .ok()
                    .and_then(|f| f.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v))
                    .is_some_and(|v| veerkracht_partners::auth::same_secret(&v, &expected));
            if !form_ok {
                return deny(
                    &st,
                    lang,
                    api,
                    StatusCode::FORBIDDEN,
                    "Het formulier mist een geldig CSRF-token (verlopen sessie of een verzoek van een andere site). Laad de pagina opnieuw.",
                    "The request lacks a valid CSRF token (expired session or a request from another site). Reload the page.",
                );
            }
            req = Request::from_parts(parts, Body::from(bytes));
        }
    }
    if own_stock_path(&path) && !policy::can_view_stock(&auth.actor) {
        return deny(
            &st,
            lang,
            api,
            StatusCode::FORBIDDEN,
            "Deze gegevens komen uit de eigen voorraad en toewijzing van de corporatie en zijn alleen voor die corporatie zichtbaar. Zij kan een geaggregeerde tabel delen in een buurtaanpak.",
            "These figures come from the corporation's own stock and allocation data and are visible to that corporation only. It can share an aggregate table into an area plan.",
        );
    }
    if path == "/login" && req.method() == Method::GET {
        return Redirect::to("/plans").into_response();
    }
    req.extensions_mut().insert(auth);
    next.run(req).await
}

/// A repository error as a page or a problem-details answer.
pub fn error_response(st: &AppState, lang: Lang, api: bool, e: Error) -> Response {
    let (status, title) = match &e {
        Error::NotFound(_) => (StatusCode::NOT_FOUND, "Niet gevonden / not found"),
        Error::Forbidden(_) => (StatusCode::FORBIDDEN, "Niet toegestaan / forbidden"),
        Error::Invalid { .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ongeldige invoer / invalid input",
        ),
        Error::Conflict(_) => (
            StatusCode::CONFLICT,
            "Conflict: intussen gewijzigd / changed meanwhile",
        ),
        Error::Login(LoginFailure::Slowed { .. }) => (
            StatusCode::TOO_MANY_REQUESTS,
            "Te veel pogingen / too many attempts",
        ),
        Error::Login(_) => (StatusCode::UNAUTHORIZED, "Aanmelden mislukt / login failed"),
        Error::Db(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Databasefout / database error",
        ),
    };
    let detail = match &e {
        Error::Db(m) => {
            eprintln!("veerkracht: {m}");
            "the workspace database failed; the change was not saved".to_string()
        }
        other => other.to_string(),
    };
    if api {
        let mut r = problem(status, title, &detail);
        if status == StatusCode::CONFLICT {
            r.headers_mut()
                .insert("x-veerkracht-conflict", HeaderValue::from_static("version"));
        }
        return r;
    }
    (
        status,
        Html(html::page(lang, title, "/plans", "", &st.origin, st.synthetic, &format!("<p class=\"fout\" role=\"alert\">{}</p><p><a href=\"javascript:history.back()\">{}</a> · <a href=\"/plans\">{}</a></p>", esc(&detail), lang.t("Terug", "Back"), lang.t("Naar de buurtaanpakken", "To the area plans")))),
    )
        .into_response()
}

/// Database work at once (as many as the workspace's pooled connections, 8 by default). More
/// threads than this only queue inside the database (and a thread holding SQLite's write lock
/// gets preempted by the others); waiting happens here instead, as cheap async tasks.
/// Measured with bench/partners.sh: 4 slots left PostgreSQL (a round trip per statement)
/// saturated at 515 requests/s with p99 365 ms; 8 slots: 652/s, p99 43 ms.
static DB_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);

/// Runs repository reads on a blocking thread, at most [`DB_SLOTS`] at a time.
async fn run<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    on_slots(&DB_SLOTS, f).await
}

/// Writes at once. Both databases commit one change at a time (SQLite's write lock; the audit
/// chain's advisory lock in PostgreSQL, held through the commit's WAL flush), so more waiting
/// writers would only hold read slots: with one pool for both, 145 writes/s on PostgreSQL
/// (≈ 4 ms each) filled all slots and reads queued behind them (p99 165–365 ms).
static WRITE_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs a repository write on a blocking thread, at most [`WRITE_SLOTS`] at a time.
async fn run_write<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    on_slots(&WRITE_SLOTS, f).await
}

async fn on_slots<T: Send + 'static>(
    slots: &'static tokio::sync::Semaphore,
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let Ok(_slot) = slots.acquire().await else {
        return Err(Error::Db("the server is shutting down".into()));
    };
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(Error::Db("a worker thread failed".into())))
}

fn partners_of(st: &AppState) -> &Partners {
    st.partners
        .as_ref()
        .expect("guarded routes run in multi-user mode")
}

fn session_cookie(p: &Partners, value: &str, max_age: i64) -> HeaderValue {
    let secure = if p.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("vk_sessie=; Path=/; Max-Age=0"))
}

// ---------------------------------------------------------------- login / logout

type Q = Query<HashMap<String, String>>;

/// Where to go after logging in: `terug` when it is a path on this site ([`same_site_path`]),
/// the plans when it is missing, `/` otherwise.
fn safe_back(s: Option<&String>) -> String {
    match s.map(String::as_str) {
        None | Some("") => "/plans".to_string(),
        Some(t) if same_site_path(t) => t.to_string(),
        Some(_) => "/".to_string(),
    }
}

/// Whether `t` is a path on this site, also once percent-decoded (repeatedly): one leading
/// `/` not followed by `/` or a backslash, no whitespace or control characters (browsers
/// drop them: `/\t/evil.example` is `//evil.example` to them), no backslash anywhere, and
/// not the login page itself. `t` itself is visible ASCII (it goes into a Location header).
fn same_site_path(t: &str) -> bool {
    let plain = |s: &str| {
        s.starts_with('/')
            && !s[1..].starts_with(['/', '\\'])
            && s.chars().all(|c| {
                !c.is_control()
                    && !c.is_whitespace()
                    && c != '\\'
                    && c != char::REPLACEMENT_CHARACTER
            })
    };
    if !t.bytes().all(|c| c.is_ascii_graphic()) || t.starts_with("/login") {
        return false;
    }
    let mut cur = t.to_string();
    for _ in 0..4 {
        if !plain(&cur) {
            return false;
        }
        let next = percent_decode(&cur);
        if next == cur {
            return true;
        }
        cur = next;
    }
    false
}

/// `%XX` decoded (bytes that are not UTF-8 become U+FFFD, which [`same_site_path`] refuses).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn login_page(
    st: &AppState,
    lang: Lang,
    back: &str,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let Some(p) = st.partners.as_ref() else {
        return single_user_page(st, lang);
    };
    let token = veerkracht_partners::auth::new_token("");
    let secure = if p.secure_cookies { "; Secure" } else { "" };
    let msg = message
        .map(|m| format!("<p class=\"fout\" role=\"alert\">{}</p>", esc(m)))
        .unwrap_or_default();
    let body = format!(
        "{msg}<form method=\"post\" action=\"/login\" class=\"stack\"><input type=\"hidden\" name=\"login_csrf\" value=\"{token}\"><input type=\"hidden\" name=\"terug\" value=\"{back}\">\
<label>{u}<input name=\"gebruikersnaam\" autocomplete=\"username\" required maxlength=\"64\"></label>\
<label>{w}<input type=\"password\" name=\"wachtwoord\" autocomplete=\"current-password\" required maxlength=\"1024\"></label>\
<button type=\"submit\">{b}</button></form><p class=\"note\">{n}</p>",
        back = esc(back),
        u = lang.t("Gebruikersnaam", "User name"),
        w = lang.t("Wachtwoord", "Password"),
        b = lang.t("Aanmelden", "Log in"),
        n = lang.t(
            "De werkruimte voor de gebiedsgerichte aanpak: corporatie, gemeente, zorg, politie en huurders werken aan één buurtaanpak. Een account krijgt u van de beheerder van uw organisatie.",
            "The workspace for the area-based approach: corporation, municipality, care, police and tenants work on one area plan. Your organisation's administrator gives you an account."
        ),
    );
    let mut r = (
        status,
        Html(html::page(
            lang,
            lang.t("Aanmelden", "Log in"),
            "/plans",
            "",
            &st.origin,
            st.synthetic,
            &body,
        )),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The address a login counts against: the peer, or, when the peer is one of the configured
/// proxies (`--trusted-proxy`), the last `X-Forwarded-For` hop (the one that proxy added).
/// Any other peer's header is ignored: a client could write anything into it.
fn client_address(p: &Partners, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let peer = peer.to_canonical();
    if p.trusted_proxies.iter().any(|t| t.contains(peer)) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            // only the hop the proxy added; an earlier one could be made up by the client
            .next_back()
            .and_then(|x| x.trim().parse::<IpAddr>().ok());
        if let Some(a) = forwarded {
            return a.to_canonical();
        }
    }
    peer
}

pub async fn login_get(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    login_page(&st, lang, &safe_back(q.get("terug")), None, StatusCode::OK)
}

pub async fn login_post(
    State(st): State<Arc<AppState>>,
    conn: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<HashMap<String, String>>,
) -> Response {
    let lang = Lang::Nl;
    let Some(p) = st.partners.as_ref() else {
        return single_user_page(&st, lang);
    };
    let back = safe_back(f.get("terug"));
    let peer = conn
        .map(|c| c.0.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let ip = client_address(p, peer, &headers);
    if !p.allow_login(ip) {
        let mut r = login_page(
            &st,
            lang,
            &back,
            Some(
                "Te veel aanmeldpogingen vanaf dit adres; probeer het over een minuut opnieuw. / Too many login attempts from this address; try again in a minute.",
            ),
            StatusCode::TOO_MANY_REQUESTS,
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    let form_token = f.get("login_csrf").map(String::as_str).unwrap_or("");
    let cookie_token = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if form_token.is_empty() || !veerkracht_partners::auth::same_secret(form_token, cookie_token) {
        return login_page(
            &st,
            lang,
            &back,
            Some(
                "Het aanmeldformulier is verlopen of kwam niet van deze site; probeer het opnieuw. / The login form expired or did not come from this site; try again.",
            ),
            StatusCode::FORBIDDEN,
        );
    }
    let (Some(user), Some(pw)) = (
        f.get("gebruikersnaam").cloned(),
        f.get("wachtwoord").cloned(),
    ) else {
        return login_page(
            &st,
            lang,
            &back,
            Some("Vul gebruikersnaam en wachtwoord in. / Fill in user name and password."),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let Ok(_permit) = p.hashing.acquire().await else {
        return problem(StatusCode::SERVICE_UNAVAILABLE, "Bezet / busy", "try again");
    };
    let ws = p.ws.clone();
    // not through `run`: a login spends tens of milliseconds in argon2 and has its own cap
    let login = tokio::task::spawn_blocking(move || ws.login(&user, &pw, ip))
        .await
        .unwrap_or_else(|_| Err(Error::Db("a worker thread failed".into())));
    match login {
        Ok(s) => {
            let mut r = Redirect::to(&back).into_response();
            r.headers_mut()
                .append(header::SET_COOKIE, session_cookie(p, &s.token, 12 * 3600));
            r.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_static("vk_login=; Path=/login; Max-Age=0"),
            );
            r
        }
        Err(Error::Login(f)) => {
            let status = match f {
                LoginFailure::Slowed { .. } => StatusCode::TOO_MANY_REQUESTS,
                LoginFailure::BadCredentials => StatusCode::UNAUTHORIZED,
            };
            let mut r = login_page(&st, lang, &back, Some(&f.to_string()), status);
            if let LoginFailure::Slowed { retry_after_s } = f {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
            }
            r
        }
        Err(e) => error_response(&st, lang, false, e),
    }
}

pub async fn logout(State(st): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let p = partners_of(&st);
    if let Some(sid) = cookie(&headers, SESSION_COOKIE).map(str::to_string) {
        let ws = p.ws.clone();
        let _ = run_write(move || ws.logout(&sid)).await;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, session_cookie(p, "", 0));
    r
}

// ---------------------------------------------------------------- helpers for plans

fn user_bar(lang: Lang, a: &Auth) -> String {
    let csrf = a.csrf.as_deref().unwrap_or("");
    format!(
        "<div class=\"userbar\"><span>{who}: <strong>{name}</strong> ({role}, {org})</span> <a href=\"/account\">{acc}</a>{admin} <form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">{out}</button></form></div>",
        who = lang.t("Aangemeld", "Logged in"),
        name = esc(&a.actor.user.display_name),
        role = esc(a.actor.user.role.word()),
        org = esc(&a.actor.org.name),
        acc = lang.t("Account en API-tokens", "Account and API tokens"),
        admin = if a.actor.user.role == veerkracht_partners::Role::Beheerder {
            format!(
                " <a href=\"/beheer\">{}</a>",
                lang.t("Gebruikers beheren", "Manage users")
            )
        } else {
            String::new()
        },
        out = lang.t("Afmelden", "Log out"),
    )
}

fn csrf_field(a: &Auth) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(a.csrf.as_deref().unwrap_or(""))
    )
}

fn page(st: &AppState, lang: Lang, title: &str, a: &Auth, body: &str) -> Response {
    let mut r = Html(html::page(
        lang,
        title,
        "/plans",
        "",
        &st.origin,
        st.synthetic,
        &format!("{}{body}", user_bar(lang, a)),
    ))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The frozen snapshot of an area for a new plan: the buurt profile (index, components, the
/// "waarom", reliability) of the latest edition and the veerkracht signal since the edition
/// before, with edition, definition and method, so the plan keeps the numbers it was based on.
pub fn snapshot(st: &AppState, code: AreaCode) -> Option<(Value, String, Option<String>)> {
    let level = code.level();
    if !matches!(level, Level::Buurt | Level::Wijk) {
        return None;
    }
    let eds = st.editions(level);
    let edition = *eds.last()?;
    let area = st.ds.area(edition, &code)?;
    let mut prof = crate::api::profile_json(st, code, edition)?;
    let signal = if eds.len() >= 2 {
        let from = eds[eds.len() - 2];
        let s = st.signal(from, edition, level);
        s.areas.iter().find(|x| x.code == code).map(|x| {
            json!({
                "van": from, "tot": edition,
                "verandering_kwetsbaarheid": x.d_vulnerability, "verandering_druk": x.d_pressure,
                "kwadrant": x.quadrant.map(|q| format!("{q:?}")),
                "kwadrant_label": x.quadrant.map(|q| crate::pages::quadrant_label(Lang::Nl, q)),
                "opmerking": x.note,
            })
        })
    } else {
        None
    };
    if let Some(o) = prof.as_object_mut() {
        o.remove("trend");
        o.insert("signaal".into(), signal.unwrap_or(Value::Null));
        o.insert("definitie".into(), json!({"id": st.def.id, "schema": st.def.schema_version, "naam": st.def.title_nl, "methode": serde_json::to_value(&st.def.method).unwrap_or(Value::Null)}));
        o.insert(
            "bevroren_op".into(),
            json!(format_time(veerkracht_partners::now_ms())),
        );
        o.insert("bron".into(), json!(st.origin));
    }
    let gemeente = code.gemeente().map(|g| g.to_string());
    Some((prof, area.name.clone(), gemeente))
}

/// An indicator's value for an area in an edition: `score` is the index score.
fn indicator_value(
    st: &AppState,
    code: AreaCode,
    edition: Edition,
    indicator: &str,
) -> Option<f64> {
    if indicator == "score" {
        let idx = st.index(edition, code.level());
        idx.0
            .areas
            .iter()
            .find(|a| a.code == code)
            .and_then(|a| a.score)
    } else {
        st.ds.number(edition, &code, indicator)
    }
}

fn indicator_label(st: &AppState, lang: Lang, id: &str) -> String {
    if id == "score" {
        return lang
            .t("veerkrachtindex (score)", "resilience index (score)")
            .to_string();
    }
    st.ds
        .catalogue()
        .get(id)
        .map(|i| i.label_nl.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Indicators a goal can aim at: the index score and the definition's indicators.
fn goal_indicators(st: &AppState) -> Vec<(String, String)> {
    let mut v = vec![("score".to_string(), "veerkrachtindex (score)".to_string())];
    for (_, i) in st.def.indicators() {
        if !v.iter().any(|(id, _)| *id == i.id) {
            v.push((i.id.clone(), i.label_nl.clone()));
        }
    }
    v
}

/// Monitoring of one goal: the indicator per edition since the baseline, and where it stands.
pub fn monitoring(st: &AppState, area: &str, g: &veerkracht_partners::Goal) -> Value {
    let Ok(code) = AreaCode::parse(area) else {
        return Value::Null;
    };
    let from = g.baseline_edition.unwrap_or(0);
    let series: Vec<Value> = st
        .editions(code.level())
        .into_iter()
        .filter(|e| i64::from(*e) >= from)
        .map(|e| json!({"editie": e, "waarde": indicator_value(st, code, e, &g.indicator)}))
        .collect();
    let latest = series
        .iter()
        .rev()
        .find_map(|x| x["waarde"].as_f64().map(|v| (x["editie"].as_i64(), v)));
    let status = match (latest, g.baseline) {
        (Some((_, v)), Some(b)) => {
            let up = g.target >= b;
            if (up && v >= g.target) || (!up && v <= g.target) {
                "behaald"
            } else if (up && v > b) || (!up && v < b) {
                "in de goede richting"
            } else {
                "nog geen vooruitgang"
            }
        }
        (Some(_), None) => "geen nulmeting",
        (None, _) => "geen gegevens",
    };
    json!({"reeks": series, "laatste_editie": latest.and_then(|x| x.0), "laatste_waarde": latest.map(|x| x.1), "stand": status})
}

fn status_label(lang: Lang, s: &str) -> String {
    let en = match s {
        "behaald" => "reached",
        "in de goede richting" => "moving the right way",
        "nog geen vooruitgang" => "no progress yet",
        "geen nulmeting" => "no baseline",
        _ => "no data",
    };
    lang.t(s, en).to_string()
}

fn euro(cents: Option<i64>) -> String {
    match cents {
        None => "—".into(),
        Some(c) => {
            let e = c / 100;
            let mut s = e.to_string();
            let mut i = s.len() as i64 - 3;
            while i > 0 {
                s.insert(i as usize, '.');
                i -= 3;
            }
            format!("€ {s}")
        }
    }
}

fn parse_budget(s: &str) -> Result<Option<i64>, Error> {
    let t = s
        .trim()
        .trim_start_matches('€')
        .trim()
        .replace(['.', ' '], "")
        .replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| {
        Error::invalid(
            "budget",
            format!(
                "'{}' is not an amount in euro",
                veerkracht_partners::model::clip(s, 20)
            ),
        )
    })?;
    if !v.is_finite() || v < 0.0 {
        return Err(Error::invalid(
            "budget",
            "must be an amount of 0 euro or more",
        ));
    }
    Ok(Some((v * 100.0).round() as i64))
}

type Form = axum::Form<Vec<(String, String)>>;

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(a, _)| a == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn fields(f: &[(String, String)], k: &str) -> Vec<i64> {
    f.iter()
        .filter(|(a, _)| a == k)
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

fn version_of(f: &[(String, String)]) -> Result<i64, Error> {
    field(f, "versie")
        .parse()
        .map_err(|_| Error::invalid("versie", "missing; reload the page"))
}

// ---------------------------------------------------------------- pages

/// GET /plans: the plans the user may see, and a form for a new one.
pub async fn plans_page(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let p = partners_of(&st);
    let (ws, actor) = (p.ws.clone(), a.actor.clone());
    let (plans, orgs) = match run(move || Ok((ws.plans(&actor)?, ws.organisations()?))).await {
        Ok(x) => x,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let rows: Vec<Vec<String>> = plans
        .iter()
        .map(|p| {
            vec![
                format!("<a href=\"/plans/{}\">{}</a>", p.id, esc(&p.title)),
                format!(
                    "{} <span class=\"dim\">{}</span>",
                    esc(&p.area_name),
                    esc(&p.area_code)
                ),
                esc(&p.owner.name),
                esc(&p
                    .partners
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")),
                esc(p.status.word()),
                esc(&format_time(p.updated_at)),
            ]
        })
        .collect();
    let mut body = String::new();
    let _ = write!(body, "<p>{}</p>", lang.t(
        "Eén beeld en één plan per buurt: de probleemanalyse met de cijfers waarop zij rust, doelen, maatregelen van alle partners, besluiten en een logboek van elke wijziging.",
        "One picture and one plan per buurt: the problem analysis with the figures it rests on, goals, every partner's measures, decisions and a log of every change."));
    if plans.is_empty() {
        let _ = write!(
            body,
            "<p class=\"note\">{}</p>",
            lang.t(
                "Nog geen buurtaanpak waarin uw organisatie eigenaar of partner is.",
                "No area plan yet in which your organisation is owner or partner."
            )
        );
    } else {
        body.push_str(&html::table(
            lang.t("Buurtaanpakken", "Area plans"),
            &[
                lang.t("Titel", "Title"),
                lang.t("Gebied", "Area"),
                lang.t("Eigenaar", "Owner"),
                "Partners",
                "Status",
                lang.t("Bijgewerkt", "Updated"),
            ],
            &rows,
        ));
    }
    if matches!(
        a.actor.user.role,
        veerkracht_partners::Role::Beheerder | veerkracht_partners::Role::Analist
    ) {
        body.push_str(&new_plan_form(&st, lang, &a, &orgs));
    }
    page(&st, lang, lang.t("Buurtaanpak", "Area plans"), &a, &body)
}

fn single_user_page(st: &AppState, lang: Lang) -> Response {
    Html(html::page(lang, lang.t("Buurtaanpak", "Area plans"), "/plans", "", &st.origin, st.synthetic, &format!("<p>{}</p><pre>veerkracht serve --multi-user --werkruimte werkruimte.sqlite</pre>", lang.t(
        "De gedeelde buurtaanpak met partners (accounts, rollen, logboek) draait in de werkruimtemodus. Start de server zo:",
        "The shared area plans with partners (accounts, roles, audit log) run in workspace mode. Start the server like this:")))).into_response()
}

fn new_plan_form(
    st: &AppState,
    lang: Lang,
    a: &Auth,
    orgs: &[veerkracht_partners::Organisation],
) -> String {
    let mut areas = String::new();
    for level in [Level::Wijk, Level::Buurt] {
        let Some(e) = st.latest(level) else { continue };
        let mut list: Vec<_> = st
            .ds
            .areas(e, level)
            .into_iter()
            .filter(|x| {
                x.code
                    .gemeente()
                    .is_some_and(|g| a.actor.org.gemeenten.iter().any(|m| *m == g.to_string()))
            })
            .collect();
        list.sort_by(|x, y| x.name.cmp(&y.name));
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            areas,
            "<optgroup label=\"{}\">",
            if level == Level::Wijk {
                lang.t("Wijken", "Wijken")
            } else {
                lang.t("Buurten", "Buurten")
            }
        );
        for x in list {
            let _ = write!(
                areas,
                "<option value=\"{c}\">{n} ({c})</option>",
                c = esc(&x.code.to_string()),
                n = esc(&x.name)
            );
        }
        areas.push_str("</optgroup>");
    }
    if areas.is_empty() {
        return format!("<p class=\"note\">{}</p>", lang.t("Uw organisatie werkt (volgens haar gegevens) in geen gemeente van deze gegevens; een beheerder kan de gemeenten aanpassen.", "Your organisation works in none of the gemeenten in these data; an administrator can change its gemeenten."));
    }
    let mut partners = String::new();
    for o in orgs.iter().filter(|o| o.id != a.actor.org.id) {
        let _ = write!(
            partners,
            "<label class=\"check\"><input type=\"checkbox\" name=\"partner\" value=\"{}\"> {} <span class=\"dim\">({})</span></label>",
            o.id,
            esc(&o.name),
            esc(o.kind.word())
        );
    }
    format!(
        "<h2>{h}</h2><form method=\"post\" action=\"/plans\" class=\"stack\">{csrf}<label>{g}<select name=\"gebied\" required>{areas}</select></label>\
<label>{t}<input name=\"titel\" required maxlength=\"200\"></label><label>{an}<textarea name=\"probleemanalyse\" rows=\"6\" maxlength=\"20000\"></textarea></label>\
<fieldset><legend>{pl}</legend>{partners}</fieldset><button type=\"submit\">{b}</button></form><p class=\"note\">{n}</p>",
        h = lang.t("Nieuwe buurtaanpak", "New area plan"),
        csrf = csrf_field(a),
        g = lang.t("Buurt of wijk", "Buurt or wijk"),
        t = lang.t("Titel", "Title"),
        an = lang.t("Probleemanalyse", "Problem analysis"),
        pl = lang.t("Partnerorganisaties", "Partner organisations"),
        b = lang.t("Aanmaken", "Create"),
        n = lang.t("Bij het aanmaken worden de index, de componenten en het veerkrachtsignaal van de nieuwste editie bevroren in het plan.", "On creation the index, its components and the resilience signal of the latest edition are frozen into the plan."),
    )
}

fn plan_input(
    st: &AppState,
    code: &str,
    title: &str,
    analysis: &str,
    partners: Vec<i64>,
) -> Result<NewPlan, Error> {
    let code = AreaCode::parse(code.trim()).map_err(|_| {
        Error::invalid(
            "gebied",
            format!(
                "'{}' is not a buurt or wijk code",
                veerkracht_partners::model::clip(code, 20)
            ),
        )
    })?;
    let (snap, name, gemeente) = snapshot(st, code).ok_or_else(|| {
        Error::invalid(
            "gebied",
            format!("{code} is not a buurt or wijk of the latest edition"),
        )
    })?;
    Ok(NewPlan {
        area_code: code.to_string(),
        area_name: name,
        gemeente,
        title: title.to_string(),
        analysis: analysis.to_string(),
        snapshot: snap,
        partners,
    })
}

/// POST /plans (form).
pub async fn plans_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    axum::Form(f): Form,
) -> Response {
    let lang = Lang::Nl;
    let st2 = st.clone();
    let actor = a.actor.clone();
    let res = run_write(move || {
        let np = plan_input(
            &st2,
            field(&f, "gebied"),
            field(&f, "titel"),
            field(&f, "probleemanalyse"),
            fields(&f, "partner"),
        )?;
        partners_of(&st2).ws.create_plan(&actor, np)
    })
    .await;
    match res {
        Ok(id) => Redirect::to(&format!("/plans/{id}")).into_response(),
        Err(e) => error_response(&st, lang, false, e),
    }
}

/// GET /plans/{id}: the plan with everything under it.
pub async fn plan_page(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    let st2 = st.clone();
    let got = run(move || {
        let v = ws.plan_view(&actor, id, PAGE_AUDIT)?;
        let mon: Vec<Value> = v
            .plan
            .goals
            .iter()
            .map(|g| monitoring(&st2, &v.plan.summary.area_code, g))
            .collect();
        Ok((
            v.plan,
            v.access,
            v.audit,
            v.audit_total,
            v.organisations,
            mon,
        ))
    })
    .await;
    let (plan, acc, log, total, orgs, mon) = match got {
        Ok(x) => x,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let mut body = plan_html(&st, lang, &a, &plan, &acc, &log, &orgs, &mon, false);
    if total > log.len() as i64 {
        let _ = write!(
            body,
            "<p class=\"note\">{} {} {} {}. <a href=\"/plans/{id}/dossier\">{}</a> · <a href=\"/api/v1/plans/{id}/audit\">JSON</a></p>",
            lang.t("Logboek: de laatste", "Audit log: the latest"),
            log.len(),
            lang.t("van", "of"),
            total,
            lang.t(
                "Het volledige logboek staat in het dossier",
                "The full log is in the dossier"
            )
        );
    }
    page(&st, lang, &plan.summary.title, &a, &body)
}

/// GET /plans/{id}/dossier: the printable dossier.
pub async fn plan_dossier(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    let st2 = st.clone();
    let got = run(move || {
        // one consistent read; the dossier has the whole log
        let v = ws.plan_view(&actor, id, i64::MAX)?;
        let mon: Vec<Value> = v
            .plan
            .goals
            .iter()
            .map(|g| monitoring(&st2, &v.plan.summary.area_code, g))
            .collect();
        Ok((v.plan, v.access, v.audit, mon))
    })
    .await;
    let (plan, acc, log, mon) = match got {
        Ok(x) => x,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let body = plan_html(&st, lang, &a, &plan, &acc, &log, &[], &mon, true);
    let mut r = Html(html::page(
        lang,
        &format!(
            "{} — {}",
            lang.t("Dossier buurtaanpak", "Area plan dossier"),
            plan.summary.title
        ),
        "/plans",
        "",
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response();
    // the file name is built from the plan id only (no user text in a header or path)
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"buurtaanpak-{id}.html\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[allow(clippy::too_many_arguments)]
fn plan_html(
    st: &AppState,
    lang: Lang,
    a: &Auth,
    p: &Plan,
    acc: &policy::PlanAccess,
    log: &[veerkracht_partners::AuditEntry],
    orgs: &[veerkracht_partners::Organisation],
    mon: &[Value],
    printable: bool,
) -> String {
    let s = &p.summary;
    let actor = &a.actor;
    let edit = !printable && policy::can_edit_plan(actor, acc);
    let mut b = String::new();
    let _ = write!(
        b,
        "<p><strong>{}</strong> {} <span class=\"dim\">({})</span> · {}: {} · Partners: {} · Status: <strong>{}</strong> · {}: {}</p>",
        lang.t("Gebied", "Area"),
        esc(&s.area_name),
        esc(&s.area_code),
        lang.t("Eigenaar", "Owner"),
        esc(&s.owner.name),
        esc(&if s.partners.is_empty() {
            "—".to_string()
        } else {
            s.partners
                .iter()
                .map(|o| format!("{} ({})", o.name, o.kind.word()))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        esc(s.status.word()),
        lang.t("versie", "version"),
        s.version,
    );
    if !printable {
        let _ = write!(
            b,
            "<p><a href=\"/plans/{}/dossier\">{}</a> · <a href=\"/api/v1/plans/{}\">JSON</a> · <a href=\"/buurt/{}\">{}</a></p>",
            s.id,
            lang.t("Dossier (afdrukbaar)", "Dossier (printable)"),
            s.id,
            esc(&s.area_code),
            lang.t(
                "Buurtprofiel (actuele cijfers)",
                "Buurt profile (current figures)"
            )
        );
    }
    // analysis + snapshot
    let _ = write!(
        b,
        "<h2>{}</h2><div class=\"tekst\">{}</div>",
        lang.t("Probleemanalyse", "Problem analysis"),
        if p.analysis.is_empty() {
            "<p class=\"dim\">—</p>".to_string()
        } else {
            esc(&p.analysis)
                .split("\n\n")
                .map(|x| format!("<p>{}</p>", x.replace('\n', "<br>")))
                .collect::<String>()
        }
    );
    b.push_str(&snapshot_html(lang, &p.snapshot));
    if edit {
        let mut partners = String::new();
        for o in orgs.iter().filter(|o| o.id != s.owner.id) {
            let on = if s.partners.iter().any(|x| x.id == o.id) {
                " checked"
            } else {
                ""
            };
            let _ = write!(
                partners,
                "<label class=\"check\"><input type=\"checkbox\" name=\"partner\" value=\"{}\"{on}> {} <span class=\"dim\">({})</span></label>",
                o.id,
                esc(&o.name),
                esc(o.kind.word())
            );
        }
        let mut statuses = String::new();
        for st_ in PlanStatus::ALL {
            let sel = if *st_ == s.status { " selected" } else { "" };
            let _ = write!(statuses, "<option{sel}>{}</option>", st_.word());
        }
        let _ = write!(
            b,
            "<details><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/bewerk\" class=\"stack\">{csrf}<input type=\"hidden\" name=\"versie\" value=\"{v}\">\
<label>{t}<input name=\"titel\" value=\"{title}\" maxlength=\"200\" required></label><label>{an}<textarea name=\"probleemanalyse\" rows=\"6\" maxlength=\"20000\">{analysis}</textarea></label>\
<label>Status<select name=\"status\">{statuses}</select></label><fieldset><legend>Partners</legend>{partners}<input type=\"hidden\" name=\"partners_gezet\" value=\"1\"></fieldset><button type=\"submit\">{save}</button></form></details>",
            h = lang.t("Plan bewerken", "Edit plan"),
            id = s.id,
            csrf = csrf_field(a),
            v = s.version,
            t = lang.t("Titel", "Title"),
            title = esc(&s.title),
            an = lang.t("Probleemanalyse", "Problem analysis"),
            analysis = esc(&p.analysis),
            save = lang.t("Opslaan", "Save"),
        );
    }
    // goals with monitoring
    let _ = write!(
        b,
        "<h2>{}</h2>",
        lang.t("Doelen en monitoring", "Goals and monitoring")
    );
    if p.goals.is_empty() {
        let _ = write!(
            b,
            "<p class=\"dim\">{}</p>",
            lang.t("Nog geen doelen.", "No goals yet.")
        );
    } else {
        let rows: Vec<Vec<String>> = p
            .goals
            .iter()
            .zip(mon)
            .map(|(g, m)| {
                let series = m["reeks"]
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .map(|x| {
                                format!("{}: {}", x["editie"], num(lang, x["waarde"].as_f64(), 2))
                            })
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .unwrap_or_default();
                vec![
                    format!(
                        "{}<br><span class=\"dim\">{}</span>",
                        esc(&indicator_label(st, lang, &g.indicator)),
                        esc(&g.description)
                    ),
                    format!(
                        "{} <span class=\"dim\">({})</span>",
                        num(lang, g.baseline, 2),
                        g.baseline_edition
                            .map(|e| e.to_string())
                            .unwrap_or_default()
                    ),
                    num(lang, Some(g.target), 2),
                    esc(&g.target_date),
                    esc(&series),
                    esc(&status_label(lang, m["stand"].as_str().unwrap_or(""))),
                ]
            })
            .collect();
        b.push_str(&html::table(
            lang.t("Doelen", "Goals"),
            &[
                "Indicator",
                lang.t("Nulmeting (editie)", "Baseline (edition)"),
                lang.t("Streefwaarde", "Target"),
                lang.t("Streefdatum", "Target date"),
                lang.t("Per editie", "Per edition"),
                lang.t("Stand", "Standing"),
            ],
            &rows,
        ));
    }
    if edit {
        let mut opts = String::new();
        for (id, label) in goal_indicators(st) {
            let _ = write!(
                opts,
                "<option value=\"{}\">{}</option>",
                esc(&id),
                esc(&label)
            );
        }
        let _ = write!(b, "<details><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/doelen\" class=\"stack\">{csrf}<label>Indicator<select name=\"indicator\">{opts}</select></label><label>{d}<input name=\"omschrijving\" maxlength=\"200\"></label><label>{t}<input name=\"streefwaarde\" required inputmode=\"decimal\"></label><label>{dt}<input type=\"date\" name=\"streefdatum\" required></label><button type=\"submit\">{add}</button></form><p class=\"note\">{n}</p></details>",
            h = lang.t("Doel toevoegen", "Add goal"), id = s.id, csrf = csrf_field(a), d = lang.t("Omschrijving", "Description"), t = lang.t("Streefwaarde", "Target value"), dt = lang.t("Streefdatum", "Target date"), add = lang.t("Toevoegen", "Add"),
            n = lang.t("De nulmeting is de waarde in de nieuwste editie; bij elke nieuwe editie verschijnt de stand.", "The baseline is the value in the latest edition; each new edition adds to the monitoring."));
    }
    // measures
    let _ = write!(b, "<h2>{}</h2>", lang.t("Maatregelen", "Measures"));
    if p.measures.is_empty() {
        let _ = write!(
            b,
            "<p class=\"dim\">{}</p>",
            lang.t("Nog geen maatregelen.", "No measures yet.")
        );
    } else {
        let rows: Vec<Vec<String>> = p
            .measures
            .iter()
            .map(|m| {
                let mut status = esc(m.status.word());
                if !printable && policy::can_edit_measure(actor, acc, m.owner.id) {
                    let mut o = String::new();
                    for x in MeasureStatus::ALL {
                        let sel = if *x == m.status { " selected" } else { "" };
                        let _ = write!(o, "<option{sel}>{}</option>", x.word());
                    }
                    status = format!("<form method=\"post\" action=\"/plans/{}/maatregelen/{}\" class=\"inline\">{}<input type=\"hidden\" name=\"versie\" value=\"{}\"><select name=\"status\" aria-label=\"status\">{o}</select> <button type=\"submit\">{}</button></form>", s.id, m.id, csrf_field(a), m.version, lang.t("Wijzig", "Change"));
                }
                vec![
                    format!("<strong>{}</strong><br><span class=\"dim\">{}</span>", esc(&m.title), esc(&m.description)),
                    esc(m.kind.word()),
                    esc(&m.owner.name),
                    esc(&m.partners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")),
                    esc(&euro(m.budget_cents)),
                    format!("{} – {}", esc(&m.start_date), esc(m.end_date.as_deref().unwrap_or("…"))),
                    status,
                ]
            })
            .collect();
        b.push_str(&html::table(
            lang.t("Maatregelen", "Measures"),
            &[
                lang.t("Maatregel", "Measure"),
                lang.t("Soort", "Kind"),
                lang.t("Eigenaar", "Owner"),
                "Partners",
                "Budget",
                lang.t("Looptijd", "Period"),
                "Status",
            ],
            &rows,
        ));
    }
    let may_add = !printable && policy::can_add_measure(actor, acc, actor.org.id);
    if may_add {
        let mut kinds = String::new();
        for k in MeasureKind::ALL {
            let _ = write!(kinds, "<option>{}</option>", k.word());
        }
        let mut owners = format!(
            "<option value=\"{}\">{}</option>",
            actor.org.id,
            esc(&actor.org.name)
        );
        if actor.org.id == acc.owner_org {
            for o in &s.partners {
                let _ = write!(
                    owners,
                    "<option value=\"{}\">{}</option>",
                    o.id,
                    esc(&o.name)
                );
            }
        }
        let mut partners = String::new();
        let mut all = vec![(s.owner.id, s.owner.name.clone())];
        all.extend(s.partners.iter().map(|o| (o.id, o.name.clone())));
        for (oid, name) in all {
            let _ = write!(
                partners,
                "<label class=\"check\"><input type=\"checkbox\" name=\"partner\" value=\"{oid}\"> {}</label>",
                esc(&name)
            );
        }
        let _ = write!(
            b,
            "<details id=\"maatregel-toevoegen\"><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/maatregelen\" class=\"stack\">{csrf}\
<label>{t}<input name=\"titel\" required maxlength=\"200\"></label><label>{k}<select name=\"soort\">{kinds}</select></label><label>{o}<select name=\"eigenaar\">{owners}</select></label>\
<fieldset><legend>{pl}</legend>{partners}</fieldset><label>{d}<textarea name=\"omschrijving\" rows=\"3\" maxlength=\"20000\"></textarea></label><label>Budget (€)<input name=\"budget\" inputmode=\"decimal\"></label>\
<label>Start<input type=\"date\" name=\"start\" required></label><label>{e}<input type=\"date\" name=\"eind\"></label><button type=\"submit\">{add}</button></form></details>",
            h = lang.t("Maatregel toevoegen", "Add measure"),
            id = s.id,
            csrf = csrf_field(a),
            t = lang.t("Titel", "Title"),
            k = lang.t("Soort", "Kind"),
            o = lang.t("Eigenaar", "Owner"),
            pl = lang.t("Partners bij deze maatregel", "Partners in this measure"),
            d = lang.t("Omschrijving", "Description"),
            e = lang.t("Eind (optioneel)", "End (optional)"),
            add = lang.t("Toevoegen", "Add")
        );
    }
    // shared aggregates
    if !p.shared.is_empty() {
        let _ = write!(
            b,
            "<h2>{}</h2>",
            lang.t("Gedeelde cijfers", "Shared figures")
        );
        for x in &p.shared {
            let _ = write!(
                b,
                "<h3>{} <span class=\"dim\">({}, {})</span></h3>{}",
                esc(&x.title),
                esc(&x.org),
                esc(&format_time(x.created_at)),
                shared_html(lang, &x.body)
            );
        }
    }
    if !printable
        && policy::can_share_aggregate(actor, acc)
        && p.summary.area_code.starts_with("BU")
    {
        let mut opts = String::new();
        for (n, _) in veerkracht_sim::DEMO_SCENARIOS
            .iter()
            .filter(|(n, _)| *n != "basis")
        {
            let _ = write!(opts, "<option>{n}</option>");
        }
        let _ = write!(
            b,
            "<details id=\"delen\"><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/delen\" class=\"stack\">{csrf}<input type=\"hidden\" name=\"soort\" value=\"scenario\"><label>{sl}<select name=\"scenario\">{opts}</select></label><button type=\"submit\">{sb}</button></form><form method=\"post\" action=\"/plans/{id}/delen\" class=\"stack\">{csrf}<input type=\"hidden\" name=\"soort\" value=\"huurmix\"><button type=\"submit\">{hm}</button></form><p class=\"note\">{n}</p></details>",
            h = lang.t("Eigen cijfers delen (geaggregeerd)", "Share own figures (aggregated)"),
            id = s.id,
            csrf = csrf_field(a),
            sl = lang.t("Toewijzingsscenario tegenover de basis", "Allocation scenario against the baseline"),
            sb = lang.t("Deel de uitkomst voor deze buurt", "Share the outcome for this buurt"),
            hm = lang.t("Deel de huurmix van deze buurt (afgeschermde tellingen)", "Share this buurt's rent mix (suppressed counts)"),
            n = lang.t("Alleen uitkomsten per buurt (p5, mediaan, p95 over de runs) worden gedeeld, nooit gegevens van huishoudens of woningen.", "Only outcomes per buurt (p5, median, p95 over the runs) are shared, never household or dwelling records."),
        );
    }
    // decisions and comments
    let _ = write!(
        b,
        "<h2>{}</h2>",
        lang.t("Besluiten en opmerkingen", "Decisions and comments")
    );
    if p.comments.is_empty() {
        let _ = write!(b, "<p class=\"dim\">—</p>");
    } else {
        let skip = if printable {
            0
        } else {
            p.comments.len().saturating_sub(PAGE_COMMENTS)
        };
        if skip > 0 {
            let _ = write!(
                b,
                "<p class=\"note\">{} {} {} {}; <a href=\"/plans/{}/dossier\">{}</a>.</p>",
                lang.t("De laatste", "The latest"),
                PAGE_COMMENTS,
                lang.t("van", "of"),
                p.comments.len(),
                s.id,
                lang.t("alle staan in het dossier", "all are in the dossier")
            );
        }
        b.push_str("<ol class=\"log\">");
        for c in &p.comments[skip..] {
            let _ = write!(
                b,
                "<li><strong>{}</strong> · {} ({}) · {}<div class=\"tekst\">{}</div></li>",
                esc(match c.kind {
                    CommentKind::Besluit => lang.t("Besluit", "Decision"),
                    CommentKind::Opmerking => lang.t("Opmerking", "Comment"),
                }),
                esc(&c.author),
                esc(&c.org),
                esc(&format_time(c.created_at)),
                esc(&c.body).replace('\n', "<br>")
            );
        }
        b.push_str("</ol>");
    }
    if !printable && policy::can_comment(actor, acc, CommentKind::Opmerking) {
        let besluit = if policy::can_comment(actor, acc, CommentKind::Besluit) {
            format!(
                "<option value=\"besluit\">{}</option>",
                lang.t("besluit", "decision")
            )
        } else {
            String::new()
        };
        let _ = write!(
            b,
            "<form method=\"post\" action=\"/plans/{}/opmerkingen\" class=\"stack\">{}<label>{}<select name=\"soort\"><option value=\"opmerking\">{}</option>{besluit}</select></label><label>{}<textarea name=\"tekst\" rows=\"3\" required maxlength=\"20000\"></textarea></label><button type=\"submit\">{}</button></form>",
            s.id,
            csrf_field(a),
            lang.t("Soort", "Kind"),
            lang.t("opmerking", "comment"),
            lang.t("Tekst", "Text"),
            lang.t("Plaatsen", "Post")
        );
    }
    if !printable && !edit && !may_add && !policy::can_comment(actor, acc, CommentKind::Opmerking) {
        let _ = write!(b, "<p class=\"note\" id=\"alleen-lezen\">{}</p>", lang.t("U kunt dit plan lezen; wijzigen kan een beheerder of analist van de eigenaar of een partner.", "You can read this plan; a beheerder or analist of the owner or a partner can change it."));
    }
    // audit log
    let _ = write!(
        b,
        "<h2>{}</h2><p class=\"note\">{}</p>",
        lang.t("Logboek", "Audit log"),
        lang.t(
            "Elke wijziging: wie, wanneer, wat, ervoor en erna. Niemand kan dit logboek wijzigen.",
            "Every change: who, when, what, before and after. Nobody can change this log."
        )
    );
    let rows: Vec<Vec<String>> = log
        .iter()
        .map(|e| {
            vec![
                esc(&format_time(e.at)),
                format!(
                    "{} <span class=\"dim\">{}</span>",
                    esc(e.user.as_deref().unwrap_or("—")),
                    esc(e.org.as_deref().unwrap_or(""))
                ),
                format!("{} {}", esc(&e.entity), esc(&e.action)),
                format!(
                    "<code>{}</code>",
                    esc(&e.before.as_ref().map(|v| v.to_string()).unwrap_or_default())
                ),
                format!(
                    "<code>{}</code>",
                    esc(&e.after.as_ref().map(|v| v.to_string()).unwrap_or_default())
                ),
            ]
        })
        .collect();
    b.push_str(&html::table(
        lang.t("Logboek", "Audit log"),
        &[
            lang.t("Wanneer", "When"),
            lang.t("Wie", "Who"),
            lang.t("Wat", "What"),
            lang.t("Ervoor", "Before"),
            lang.t("Erna", "After"),
        ],
        &rows,
    ));
    b
}

fn snapshot_html(lang: Lang, s: &Value) -> String {
    let mut b = format!(
        "<h3>{}</h3><p class=\"note\">{} {} · {} {} · {} {}</p>",
        lang.t(
            "Cijfers waarop de analyse rust (bevroren)",
            "Figures the analysis rests on (frozen)"
        ),
        lang.t("Editie", "Edition"),
        s["editie"],
        lang.t("definitie", "definition"),
        esc(s["definitie"]["id"].as_str().unwrap_or("")),
        lang.t("bevroren op", "frozen on"),
        esc(s["bevroren_op"].as_str().unwrap_or("")),
    );
    let sc = &s["score"];
    let _ = write!(
        b,
        "<p>{}: <strong>{}</strong> ({}: {}; {}: {}–{} {} {})</p>",
        lang.t("Veerkrachtindex", "Resilience index"),
        num(lang, sc["waarde"].as_f64(), 1),
        lang.t("klasse", "class"),
        esc(sc["klasse"].as_str().unwrap_or("—")),
        lang.t("rangband (90 %)", "rank band (90 %)"),
        num(lang, sc["rang_p5"].as_f64(), 0),
        num(lang, sc["rang_p95"].as_f64(), 0),
        lang.t("van", "of"),
        num(lang, s["aantal_gebieden"].as_f64(), 0)
    );
    if let Some(cs) = s["componenten"].as_array() {
        let rows: Vec<Vec<String>> = cs
            .iter()
            .map(|c| {
                vec![
                    esc(c["naam"].as_str().unwrap_or(c["id"].as_str().unwrap_or(""))),
                    num(lang, c["score"].as_f64(), 1),
                ]
            })
            .collect();
        b.push_str(&html::table(
            lang.t("Componenten", "Components"),
            &["Component", "Score"],
            &rows,
        ));
    }
    if s["signaal"].is_object() {
        let g = &s["signaal"];
        let _ = write!(
            b,
            "<p>{} {}–{}: {} ({}: {}; {}: {})</p>",
            lang.t("Veerkrachtsignaal", "Resilience signal"),
            g["van"],
            g["tot"],
            esc(g["kwadrant_label"].as_str().unwrap_or("—")),
            lang.t("kwetsbaarheid", "vulnerability"),
            num(lang, g["verandering_kwetsbaarheid"].as_f64(), 2),
            lang.t("druk", "pressure"),
            num(lang, g["verandering_druk"].as_f64(), 2)
        );
    }
    b
}

/// A shared aggregate: tables of cells `{label, waarde | null + reden}`.
fn shared_html(lang: Lang, body: &Value) -> String {
    let mut b = String::new();
    if body["soort"] == "scenario" {
        let q = |v: &Value| {
            format!(
                "{} [{} – {}]",
                num(lang, v["p50"].as_f64(), 3),
                num(lang, v["p5"].as_f64(), 3),
                num(lang, v["p95"].as_f64(), 3)
            )
        };
        let rows: Vec<Vec<String>> = body["rijen"]
            .as_array()
            .map(|r| {
                r.iter()
                    .map(|x| {
                        vec![
                            esc(x["indicator"].as_str().unwrap_or("")),
                            q(&x["basis"]),
                            q(&x["scenario"]),
                            format!(
                                "{}{}",
                                q(&x["verschil"]),
                                if x["zeker"] == true { " *" } else { "" }
                            ),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default();
        let _ = write!(b, "<p class=\"note\">Scenario <strong>{}</strong> {} {}, {} {}, {} runs, {}. {}</p>", esc(body["scenario"].as_str().unwrap_or("")), lang.t("tegenover", "against"), esc(body["basis"].as_str().unwrap_or("")), lang.t("jaar", "year"), body["jaar"], body["runs"], esc(body["invoer"].as_str().unwrap_or("")), lang.t("Mediaan [p5 – p95]; * = het verschil heeft in minstens 90 % van de runs hetzelfde teken.", "Median [p5 – p95]; * = the difference has the same sign in at least 90 % of runs."));
        b.push_str(&html::table(
            lang.t("Uitkomst per indicator", "Outcome per indicator"),
            &[
                "Indicator",
                lang.t("Basis", "Baseline"),
                "Scenario",
                lang.t("Verschil", "Difference"),
            ],
            &rows,
        ));
        return b;
    }

    if let Some(tables) = body["tabellen"].as_array() {
        for t in tables {
            let rows: Vec<Vec<String>> = t["rijen"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|x| {
                            vec![
                                esc(x["label"].as_str().unwrap_or("")),
                                match x["waarde"].as_f64() {
                                    Some(v) => {
                                        num(lang, Some(v), if v.fract() == 0.0 { 0 } else { 1 })
                                    }
                                    None => format!(
                                        "<span title=\"{}\">{}</span>",
                                        esc(x["reden"].as_str().unwrap_or("")),
                                        lang.t("afgeschermd", "withheld")
                                    ),
                                },
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            b.push_str(&html::table(
                t["titel"].as_str().unwrap_or(""),
                &["", lang.t("Aantal", "Count")],
                &rows,
            ));
        }
    }
    if let Some(n) = body["toelichting"].as_str() {
        let _ = write!(b, "<p class=\"note\">{}</p>", esc(n));
    }
    b
}

/// A form's answer: back to the plan on success, the error as a page otherwise.
fn form_done<T>(st: &AppState, id: i64, res: Result<T, Error>) -> Response {
    match res {
        Ok(_) => Redirect::to(&format!("/plans/{id}")).into_response(),
        Err(e) => error_response(st, Lang::Nl, false, e),
    }
}

/// POST /plans/{id}/bewerk
pub async fn plan_edit_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let e = PlanEdit {
            version: version_of(&f)?,
            title: Some(field(&f, "titel").to_string()),
            analysis: Some(field(&f, "probleemanalyse").to_string()),
            status: Some(field(&f, "status").to_string()).filter(|s| !s.is_empty()),
            partners: (field(&f, "partners_gezet") == "1").then(|| fields(&f, "partner")),
        };
        ws.edit_plan(&a.actor, id, e)
    })
    .await;
    form_done(&st, id, res)
}

fn goal_input(
    st: &AppState,
    area: &str,
    indicator: &str,
    description: &str,
    target: f64,
    date: &str,
) -> Result<NewGoal, Error> {
    if !goal_indicators(st).iter().any(|(id, _)| id == indicator) {
        return Err(Error::invalid(
            "indicator",
            format!(
                "'{}' is not the index score or an indicator of the index definition",
                veerkracht_partners::model::clip(indicator, 40)
            ),
        ));
    }
    let code = AreaCode::parse(area).map_err(|_| Error::invalid("gebied", "bad area code"))?;
    let edition = st.latest(code.level());
    let baseline = edition.and_then(|e| indicator_value(st, code, e, indicator));
    Ok(NewGoal {
        indicator: indicator.to_string(),
        description: description.to_string(),
        baseline,
        baseline_edition: edition.map(i64::from),
        target,
        target_date: date.to_string(),
    })
}

fn number(field_name: &str, s: &str) -> Result<f64, Error> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            Error::invalid(
                field_name,
                format!(
                    "'{}' is not a number",
                    veerkracht_partners::model::clip(s, 20)
                ),
            )
        })
}

/// POST /plans/{id}/doelen
pub async fn goal_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let st2 = st.clone();
    let res = run_write(move || {
        let ws = &partners_of(&st2).ws;
        let plan = ws.plan(&a.actor, id)?;
        let g = goal_input(
            &st2,
            &plan.summary.area_code,
            field(&f, "indicator"),
            field(&f, "omschrijving"),
            number("streefwaarde", field(&f, "streefwaarde"))?,
            field(&f, "streefdatum"),
        )?;
        ws.add_goal(&a.actor, id, g)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/maatregelen
pub async fn measure_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let m = NewMeasure {
            kind: field(&f, "soort").to_string(),
            title: field(&f, "titel").to_string(),
            description: field(&f, "omschrijving").to_string(),
            owner_org: field(&f, "eigenaar").parse().ok(),
            partners: fields(&f, "partner"),
            budget_cents: parse_budget(field(&f, "budget"))?,
            status: None,
            start_date: field(&f, "start").to_string(),
            end_date: Some(field(&f, "eind").to_string()),
        };
        ws.add_measure(&a.actor, id, m)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/maatregelen/{mid}
pub async fn measure_edit_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path((id, mid)): Path<(i64, i64)>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let e = MeasureEdit {
            version: version_of(&f)?,
            status: Some(field(&f, "status").to_string()),
            ..Default::default()
        };
        ws.edit_measure(&a.actor, id, mid, e)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/opmerkingen
pub async fn comment_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let kind = CommentKind::parse("soort", field(&f, "soort"))?;
        ws.add_comment(&a.actor, id, kind, field(&f, "tekst"))
    })
    .await;
    form_done(&st, id, res)
}

/// Shares a corporation's aggregate into a plan (a scenario outcome or the rent mix of the
/// plan's buurt) in three steps, so the long part holds no database slot that logins and
/// the guard wait for: a short read (the plan, the right to share), the computation on a
/// blocking thread without any slot, then a write slot just to store it. Callers hold one of
/// the user's [`HEAVY_PER_USER`] places ([`Partners::heavy_slot`]) meanwhile.
async fn share_into(
    st: Arc<AppState>,
    a: Auth,
    id: i64,
    kind: String,
    scenario: String,
) -> Result<i64, Error> {
    let p = partners_of(&st);
    let (ws, actor) = (p.ws.clone(), a.actor.clone());
    let plan = run(move || {
        let acc = ws.plan_access(&actor, id)?;
        if !policy::can_share_aggregate(&actor, &acc) {
            return Err(Error::Forbidden(
                "only the corporation holding the stock shares aggregates of it (beheerder or analist)"
                    .into(),
            ));
        }
        Ok(ws.plan(&actor, id)?.summary)
    })
    .await?;
    let st2 = st.clone();
    let (shared_kind, title, body) =
        tokio::task::spawn_blocking(move || share_body(&st2, &plan, &kind, &scenario))
            .await
            .unwrap_or_else(|_| Err(Error::Db("a worker thread failed".into())))?;
    let ws = p.ws.clone();
    run_write(move || ws.share(&a.actor, id, shared_kind, &title, &body)).await
}

/// The answer when a user already runs [`HEAVY_PER_USER`] shares.
fn too_many_shares(st: &AppState, api: bool) -> Response {
    let msg = format!(
        "you already run {HEAVY_PER_USER} shares at once (each runs the simulation); wait for one to finish"
    );
    let mut r = if api {
        problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Te veel tegelijk / too many at once",
            &msg,
        )
    } else {
        deny(
            st,
            Lang::Nl,
            false,
            StatusCode::TOO_MANY_REQUESTS,
            &format!("U deelt al {HEAVY_PER_USER} keer tegelijk; wacht tot er een klaar is."),
            &msg,
        )
    };
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    r
}

/// What a share holds: its kind, title and (suppressed) body. The scenario runs the
/// simulation: seconds of CPU.
fn share_body(
    st: &AppState,
    plan: &veerkracht_partners::PlanSummary,
    kind: &str,
    scenario: &str,
) -> Result<(veerkracht_partners::SharedKind, String, Value), Error> {
    match kind {
        "scenario" => {
            let body = crate::scenarios::buurt_comparison(st, scenario, &plan.area_code)
                .map_err(|e| Error::invalid("scenario", e))?;
            let title = format!("Scenario {scenario} tegenover basis — {}", plan.area_name);
            Ok((veerkracht_partners::SharedKind::Scenario, title, body))
        }
        "huurmix" => {
            if st.stock.is_none() {
                return Err(Error::invalid(
                    "soort",
                    "this server holds no corporation stock (serve --stock)",
                ));
            }
            let mix = st.rent_mix();
            let pb = veerkracht_huurmix::published_buurt(&mix, &plan.area_code, &st.privacy)
                .ok_or_else(|| {
                    Error::invalid(
                        "gebied",
                        format!("the stock has no dwellings in {}", plan.area_code),
                    )
                })?;
            let body = rent_mix_share(&pb, st.privacy.k);
            let title = format!("Huurmix eigen voorraad — {}", plan.area_name);
            Ok((veerkracht_partners::SharedKind::Huurmix, title, body))
        }
        other => Err(Error::invalid(
            "soort",
            format!(
                "'{}' cannot be shared; use scenario or huurmix",
                veerkracht_partners::model::clip(other, 20)
            ),
        )),
    }
}

/// One buurt's published rent mix (already suppressed by `huurmix::published_buurt`) as the
/// tables a plan shows: counts per segment, points band and energy label, and the key
/// figures; a withheld cell is `null` with its reason, never 0.
fn rent_mix_share(pb: &veerkracht_huurmix::PublishedBuurt, k: u64) -> Value {
    let cell = |label: &str, v: Option<f64>, field: &str| json!({"label": label, "waarde": v, "reden": pb.afgeschermd.get(field).map(|r| r.code())});
    let count = |v: Option<u64>| v.map(|x| x as f64);
    let bands: Vec<Value> = veerkracht_wws::mix::PUNTEN_KLASSEN
        .iter()
        .zip(pb.punten_verdeling)
        .map(|((label, _, _), v)| cell(label, count(v), &format!("punten_verdeling.{label}")))
        .collect();
    let labels: Vec<Value> = pb
        .labels
        .iter()
        .map(|(l, v)| cell(l, count(*v), &format!("labels.{l}")))
        .collect();
    json!({
        "soort": "huurmix",
        "k": k,
        "tabellen": [
            {"titel": "Woningen", "rijen": [
                cell("woningen in deze buurt", count(pb.aantal), "aantal"),
                cell("met een huur", count(pb.aantal_met_huur), "aantal_met_huur"),
                cell("huur boven het WWS-maximum", count(pb.boven_maximum), "boven_maximum"),
            ]},
            {"titel": "Woningen naar segment", "rijen": [
                cell("sociale huur", count(pb.sociaal), "sociaal"),
                cell("middenhuur", count(pb.middenhuur), "middenhuur"),
                cell("vrije sector", count(pb.vrije_sector), "vrije_sector"),
            ]},
            {"titel": "Woningen naar WWS-punten", "rijen": bands},
            {"titel": "Woningen naar energielabel", "rijen": labels},
            {"titel": "Gemiddelden", "rijen": [
                cell("WWS-punten", pb.gemiddelde_punten, "gemiddelde_punten"),
                cell("maximale huur (€)", pb.gemiddelde_maximale_huur, "gemiddelde_maximale_huur"),
                cell("huur (€)", pb.gemiddelde_huur, "gemiddelde_huur"),
            ]},
        ],
        "huurmix": pb,
        "toelichting": format!("Geaggregeerde tellingen uit de eigen voorraad van de corporatie. Tellingen van minder dan {k} woningen en cellen waaruit die terug te rekenen zijn, zijn afgeschermd; gemiddelden alleen over een getoonde telling."),
    })
}

/// POST /plans/{id}/delen
pub async fn share_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let Some(_slot) = partners_of(&st).heavy_slot(a.actor.user.id) else {
        return too_many_shares(&st, false);
    };
    let (kind, scenario) = (field(&f, "soort").into(), field(&f, "scenario").into());
    let res = share_into(st.clone(), a, id, kind, scenario).await;
    form_done(&st, id, res)
}

/// POST /api/v1/plans/{id}/shared {kind: "scenario" | "huurmix", scenario}
pub async fn api_share(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let request = json_body(&body).and_then(|v| {
        only_keys(&v, &["kind", "scenario"])?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        Ok((s("kind"), s("scenario")))
    });
    let (kind, scenario) = match request {
        Ok(x) => x,
        Err(e) => return api_err(&st, e),
    };
    let Some(_slot) = partners_of(&st).heavy_slot(a.actor.user.id) else {
        return too_many_shares(&st, true);
    };
    match share_into(st.clone(), a, id, kind, scenario).await {
        Ok(x) => created(json!({"id": x}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

// ---------------------------------------------------------------- account and tokens

/// GET /account: the user's API tokens.
pub async fn account_page(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    let tokens = match run(move || ws.tokens(&actor)).await {
        Ok(t) => t,
        Err(e) => return error_response(&st, lang, false, e),
    };
    account_html(&st, lang, &a, &tokens, None)
}

fn account_html(
    st: &AppState,
    lang: Lang,
    a: &Auth,
    tokens: &[veerkracht_partners::TokenInfo],
    new: Option<&str>,
) -> Response {
    let mut b = String::new();
    if let Some(t) = new {
        let _ = write!(
            b,
            "<p role=\"status\">{} <code id=\"nieuw-token\">{}</code></p>",
            lang.t(
                "Nieuw API-token (wordt maar één keer getoond; bewaar het veilig):",
                "New API token (shown only once; keep it safe):"
            ),
            esc(t)
        );
    }
    let rows: Vec<Vec<String>> = tokens.iter().map(|t| vec![esc(&t.name), esc(&format_time(t.created_at)), match t.revoked_at {
        Some(r) => format!("{} {}", lang.t("ingetrokken", "revoked"), esc(&format_time(r))),
        None => format!("<form method=\"post\" action=\"/account/tokens/{}/intrekken\" class=\"inline\">{}<button type=\"submit\">{}</button></form>", t.id, csrf_field(a), lang.t("Intrekken", "Revoke")),
    }]).collect();
    b.push_str(&html::table(
        lang.t(
            "API-tokens (voor Power BI, scripts)",
            "API tokens (for Power BI, scripts)",
        ),
        &[
            lang.t("Naam", "Name"),
            lang.t("Aangemaakt", "Created"),
            "Status",
        ],
        &rows,
    ));
    let _ = write!(b, "<form method=\"post\" action=\"/account/tokens\" class=\"stack\">{}<label>{}<input name=\"naam\" required maxlength=\"200\"></label><button type=\"submit\">{}</button></form><p class=\"note\">{}</p>",
        csrf_field(a), lang.t("Naam van het token", "Token name"), lang.t("Token aanmaken", "Create token"),
        lang.t("Gebruik: Authorization: Bearer vk_… Het token heeft uw rechten. Alleen een hash wordt bewaard.", "Use: Authorization: Bearer vk_… The token has your rights. Only a hash is stored."));
    page(st, lang, lang.t("Account", "Account"), a, &b)
}

/// POST /account/tokens
pub async fn token_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    axum::Form(f): Form,
) -> Response {
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    let name = field(&f, "naam").to_string();
    match run_write(move || {
        let (_, t) = ws.create_token(&actor, &name)?;
        Ok((t, ws.tokens(&actor)?))
    })
    .await
    {
        Ok((t, list)) => account_html(&st, Lang::Nl, &a, &list, Some(&t)),
        Err(e) => error_response(&st, Lang::Nl, false, e),
    }
}

/// POST /account/tokens/{id}/intrekken
pub async fn token_revoke_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
) -> Response {
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    match run_write(move || ws.revoke_token(&actor, id)).await {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(e) => error_response(&st, Lang::Nl, false, e),
    }
}

// ---------------------------------------------------------------- organisation administration

fn require_beheerder(a: &Auth) -> Result<(), Error> {
    if policy::can_manage_users(&a.actor, a.actor.org.id) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only a beheerder of the organisation manages its users".into(),
        ))
    }
}

/// GET /beheer: a beheerder's view of their organisation's users.
pub async fn admin_page(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    if let Err(e) = require_beheerder(&a) {
        return error_response(&st, lang, false, e);
    }
    let (ws, org) = (partners_of(&st).ws.clone(), a.actor.org.id);
    let users = match run(move || ws.users(Some(org))).await {
        Ok(u) => u,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let now = veerkracht_partners::now_ms();
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|(u, _, waiting)| {
            let waiting = waiting.filter(|l| *l > now);
            let mut actions = String::new();
            if waiting.is_some() {
                let _ = write!(actions, "<form method=\"post\" action=\"/beheer/gebruikers/{}\" class=\"inline\">{}<input type=\"hidden\" name=\"actie\" value=\"wachttijd-opheffen\"><button type=\"submit\">{}</button></form> ", u.id, csrf_field(&a), lang.t("Wachttijd opheffen", "Lift the wait"));
            }
            if u.id != a.actor.user.id {
                let (act, label) = if u.disabled { ("inschakelen", lang.t("Inschakelen", "Enable")) } else { ("uitschakelen", lang.t("Uitschakelen", "Disable")) };
                let _ = write!(actions, "<form method=\"post\" action=\"/beheer/gebruikers/{}\" class=\"inline\">{}<input type=\"hidden\" name=\"actie\" value=\"{act}\"><button type=\"submit\">{label}</button></form>", u.id, csrf_field(&a));
            }
            vec![
                esc(&u.username),
                esc(&u.display_name),
                esc(u.role.word()),
                esc(&match (u.disabled, waiting) {
                    (true, _) => lang.t("uitgeschakeld", "disabled").to_string(),
                    (false, Some(l)) => format!("{} {}", lang.t("aanmelden vertraagd tot", "login slowed until"), format_time(l)),
                    _ => lang.t("actief", "active").to_string(),
                }),
                actions,
            ]
        })
        .collect();
    let mut b = html::table(
        &format!("{} — {}", lang.t("Gebruikers", "Users"), a.actor.org.name),
        &[
            lang.t("Gebruikersnaam", "User name"),
            lang.t("Naam", "Name"),
            lang.t("Rol", "Role"),
            "Status",
            "",
        ],
        &rows,
    );
    let mut roles = String::new();
    for r in veerkracht_partners::Role::ALL {
        let _ = write!(roles, "<option>{}</option>", r.word());
    }
    let _ = write!(
        b,
        "<h2>{h}</h2><form method=\"post\" action=\"/beheer/gebruikers\" class=\"stack\">{csrf}<label>{u}<input name=\"gebruikersnaam\" required maxlength=\"64\"></label><label>{n}<input name=\"naam\" required maxlength=\"200\"></label><label>{r}<select name=\"rol\">{roles}</select></label><label>{p}<input type=\"password\" name=\"wachtwoord\" required minlength=\"12\" maxlength=\"1024\" autocomplete=\"new-password\"></label><button type=\"submit\">{add}</button></form><p class=\"note\">{note}</p>",
        h = lang.t("Gebruiker toevoegen", "Add user"),
        csrf = csrf_field(&a),
        u = lang.t("Gebruikersnaam", "User name"),
        n = lang.t("Naam", "Name"),
        r = lang.t("Rol", "Role"),
        p = lang.t("Eerste wachtwoord (minstens 12 tekens)", "First password (at least 12 characters)"),
        add = lang.t("Toevoegen", "Add"),
        note = lang.t("Elke wijziging staat in het logboek. Organisaties en gemeenten beheert de beheerder van de server met `veerkracht accounts`.", "Every change is in the audit log. Organisations and gemeenten are managed by the server's administrator with `veerkracht accounts`."),
    );
    page(&st, lang, lang.t("Beheer", "Administration"), &a, &b)
}

/// POST /beheer/gebruikers
pub async fn admin_add_user(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        require_beheerder(&a)?;
        let role = veerkracht_partners::Role::parse("rol", field(&f, "rol"))?;
        ws.create_user(
            Some(&a.actor),
            a.actor.org.id,
            field(&f, "gebruikersnaam"),
            field(&f, "naam"),
            role,
            field(&f, "wachtwoord"),
        )
    })
    .await;
    match res {
        Ok(_) => Redirect::to("/beheer").into_response(),
        Err(e) => error_response(&st, Lang::Nl, false, e),
    }
}

/// POST /beheer/gebruikers/{id} (actie = wachttijd-opheffen | uitschakelen | inschakelen)
pub async fn admin_user_action(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        require_beheerder(&a)?;
        match field(&f, "actie") {
            "wachttijd-opheffen" => ws.manage_user(Some(&a.actor), id, true, None),
            "uitschakelen" => ws.manage_user(Some(&a.actor), id, false, Some(true)),
            "inschakelen" => ws.manage_user(Some(&a.actor), id, false, Some(false)),
            other => Err(Error::invalid(
                "actie",
                format!(
                    "'{}' is not one of: wachttijd-opheffen, uitschakelen, inschakelen",
                    veerkracht_partners::model::clip(other, 20)
                ),
            )),
        }
    })
    .await;
    match res {
        Ok(()) => Redirect::to("/beheer").into_response(),
        Err(e) => error_response(&st, Lang::Nl, false, e),
    }
}

// ---------------------------------------------------------------- API

fn api_err(st: &AppState, e: Error) -> Response {
    error_response(st, Lang::Nl, true, e)
}

fn created(v: Value, location: String) -> Response {
    let mut r = (StatusCode::CREATED, Json(v)).into_response();
    if let Ok(h) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, h);
    }
    r
}

/// Refuses a JSON body with keys the endpoint does not know (typos are errors, not silence).
fn only_keys(v: &Value, allowed: &[&str]) -> Result<(), Error> {
    let Some(o) = v.as_object() else {
        return Err(Error::invalid("body", "expected a JSON object"));
    };
    if let Some(k) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::invalid(
            k,
            format!("unknown field; allowed: {}", allowed.join(", ")),
        ));
    }
    Ok(())
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|e| Error::invalid("body", e.to_string()))
}

fn json_body(body: &axum::body::Bytes) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|e| Error::invalid("body", format!("not JSON: {e}")))
}

/// GET /api/v1/me
pub async fn api_me(Extension(a): Extension<Auth>) -> Response {
    Json(json!({"gebruiker": a.actor.user, "organisatie": a.actor.org, "mag_eigen_voorraad_zien": policy::can_view_stock(&a.actor)})).into_response()
}

/// GET /api/v1/plans
pub async fn api_plans(State(st): State<Arc<AppState>>, Extension(a): Extension<Auth>) -> Response {
    let ws = partners_of(&st).ws.clone();
    match run(move || ws.plans(&a.actor)).await {
        Ok(v) => Json(json!({"plans": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans {area_code, title, analysis?, partners?}
pub async fn api_plan_create(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    body: axum::body::Bytes,
) -> Response {
    let st2 = st.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["area_code", "title", "analysis", "partners"])?;
        let code = v["area_code"]
            .as_str()
            .ok_or_else(|| Error::invalid("area_code", "required (a buurt or wijk code)"))?;
        let title = v["title"]
            .as_str()
            .ok_or_else(|| Error::invalid("title", "required"))?;
        let analysis = v["analysis"].as_str().unwrap_or("");
        let partners: Vec<i64> = match &v["partners"] {
            Value::Null => vec![],
            p => from_json(p.clone())?,
        };
        let np = plan_input(&st2, code, title, analysis, partners)?;
        partners_of(&st2).ws.create_plan(&a.actor, np)
    })
    .await;
    match res {
        Ok(id) => created(json!({"id": id}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// GET /api/v1/plans/{id}: the plan, goals with monitoring, measures, log, shared figures.
pub async fn api_plan(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
) -> Response {
    let st2 = st.clone();
    let res = run(move || {
        let p = partners_of(&st2).ws.plan(&a.actor, id)?;
        let mon: Vec<Value> = p
            .goals
            .iter()
            .map(|g| monitoring(&st2, &p.summary.area_code, g))
            .collect();
        let mut v = serde_json::to_value(&p).map_err(|e| Error::Db(e.to_string()))?;
        if let Some(goals) = v["goals"].as_array_mut() {
            for (g, m) in goals.iter_mut().zip(mon) {
                g["monitoring"] = m;
            }
        }
        Ok(v)
    })
    .await;
    match res {
        Ok(v) => Json(v).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// PATCH /api/v1/plans/{id} {version, title?, analysis?, status?, partners?}
pub async fn api_plan_edit(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["version", "title", "analysis", "status", "partners"])?;
        if v.get("version").and_then(Value::as_i64).is_none() {
            return Err(Error::invalid(
                "version",
                "required: the version you edited (optimistic locking)",
            ));
        }
        ws.edit_plan(&a.actor, id, from_json(v)?)
    })
    .await;
    match res {
        Ok(v) => Json(json!({"id": id, "version": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans/{id}/goals {indicator, description?, target, target_date}
pub async fn api_goal(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let st2 = st.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["indicator", "description", "target", "target_date"])?;
        let ws = &partners_of(&st2).ws;
        let plan = ws.plan(&a.actor, id)?;
        let target = v["target"]
            .as_f64()
            .ok_or_else(|| Error::invalid("target", "required: a number"))?;
        let g = goal_input(
            &st2,
            &plan.summary.area_code,
            v["indicator"].as_str().unwrap_or(""),
            v["description"].as_str().unwrap_or(""),
            target,
            v["target_date"].as_str().unwrap_or(""),
        )?;
        ws.add_goal(&a.actor, id, g)
    })
    .await;
    match res {
        Ok(g) => created(json!({"id": g}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans/{id}/measures
pub async fn api_measure(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(
            &v,
            &[
                "kind",
                "title",
                "description",
                "owner_org",
                "partners",
                "budget_cents",
                "status",
                "start_date",
                "end_date",
            ],
        )?;
        ws.add_measure(&a.actor, id, from_json(v)?)
    })
    .await;
    match res {
        Ok(m) => created(json!({"id": m}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// PATCH /api/v1/plans/{id}/measures/{mid}
pub async fn api_measure_edit(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path((id, mid)): Path<(i64, i64)>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(
            &v,
            &[
                "version",
                "status",
                "title",
                "description",
                "budget_cents",
                "end_date",
                "partners",
            ],
        )?;
        if v.get("version").and_then(Value::as_i64).is_none() {
            return Err(Error::invalid(
                "version",
                "required: the version you edited (optimistic locking)",
            ));
        }
        let mut e = MeasureEdit {
            version: v["version"].as_i64().unwrap_or(0),
            ..Default::default()
        };
        e.status = v.get("status").and_then(Value::as_str).map(str::to_string);
        e.title = v.get("title").and_then(Value::as_str).map(str::to_string);
        e.description = v
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(b) = v.get("budget_cents") {
            e.budget_cents =
                Some(if b.is_null() {
                    None
                } else {
                    Some(b.as_i64().ok_or_else(|| {
                        Error::invalid("budget_cents", "an integer number of cents")
                    })?)
                });
        }
        if let Some(d) = v.get("end_date") {
            e.end_date = Some(d.as_str().map(str::to_string));
        }
        if let Some(p) = v.get("partners") {
            e.partners = Some(from_json(p.clone())?);
        }
        ws.edit_measure(&a.actor, id, mid, e)
    })
    .await;
    match res {
        Ok(v) => Json(json!({"id": mid, "version": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans/{id}/comments {kind: besluit|opmerking, text}
pub async fn api_comment(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["kind", "text"])?;
        let kind = CommentKind::parse("kind", v["kind"].as_str().unwrap_or("opmerking"))?;
        ws.add_comment(&a.actor, id, kind, v["text"].as_str().unwrap_or(""))
    })
    .await;
    match res {
        Ok(c) => created(json!({"id": c}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// GET /api/v1/plans/{id}/audit
pub async fn api_audit(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    match run(move || ws.plan_audit(&a.actor, id)).await {
        Ok(v) => Json(json!({"audit": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/tokens {name}: a new token (shown once).
pub async fn api_token_create(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["name"])?;
        ws.create_token(&a.actor, v["name"].as_str().unwrap_or(""))
    })
    .await;
    match res {
        Ok((id, t)) => created(json!({"id": id, "token": t}), "/api/v1/tokens".into()),
        Err(e) => api_err(&st, e),
    }
}

/// GET /api/v1/tokens
pub async fn api_tokens(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    match run(move || ws.tokens(&a.actor)).await {
        Ok(v) => Json(json!({"tokens": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// DELETE /api/v1/tokens/{id}
pub async fn api_token_revoke(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    match run_write(move || ws.revoke_token(&a.actor, id)).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// The workspace routes (all behind [`guard`]).
pub fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{delete, get, post};
    axum::Router::new()
        .route("/login", get(login_get).post(login_post))
        .route("/logout", post(logout))
        .route("/plans", get(plans_page).post(plans_post))
        .route("/plans/{id}", get(plan_page))
        .route("/plans/{id}/dossier", get(plan_dossier))
        .route("/plans/{id}/bewerk", post(plan_edit_post))
        .route("/plans/{id}/doelen", post(goal_post))
        .route("/plans/{id}/maatregelen", post(measure_post))
        .route("/plans/{id}/maatregelen/{mid}", post(measure_edit_post))
        .route("/plans/{id}/opmerkingen", post(comment_post))
        .route("/plans/{id}/delen", post(share_post))
        .route("/account", get(account_page))
        .route("/beheer", get(admin_page))
        .route("/beheer/gebruikers", post(admin_add_user))
        .route("/beheer/gebruikers/{id}", post(admin_user_action))
        .route("/account/tokens", post(token_post))
        .route("/account/tokens/{id}/intrekken", post(token_revoke_post))
        .route("/api/v1/me", get(api_me))
        .route("/api/v1/plans", get(api_plans).post(api_plan_create))
        .route("/api/v1/plans/{id}", get(api_plan).patch(api_plan_edit))
        .route("/api/v1/plans/{id}/goals", post(api_goal))
        .route("/api/v1/plans/{id}/measures", post(api_measure))
        .route(
            "/api/v1/plans/{id}/measures/{mid}",
            axum::routing::patch(api_measure_edit),
        )
        .route("/api/v1/plans/{id}/comments", post(api_comment))
        .route("/api/v1/plans/{id}/audit", get(api_audit))
        .route("/api/v1/plans/{id}/shared", post(api_share))
        .route("/api/v1/tokens", get(api_tokens).post(api_token_create))
        .route("/api/v1/tokens/{id}", delete(api_token_revoke))
}

/// The workspace's endpoints for `openapi.json` (path, method, summary, request body schema).
pub fn openapi_paths() -> Vec<(&'static str, &'static str, &'static str, Option<Value>)> {
    let s = |t: &str| json!({"type": t});
    let plan_edit = json!({"type": "object", "required": ["version"], "additionalProperties": false, "properties": {
        "version": s("integer"), "title": s("string"), "analysis": s("string"),
        "status": {"enum": ["concept", "actief", "afgerond"]}, "partners": {"type": "array", "items": s("integer")}}});
    let measure = json!({"type": "object", "required": ["kind", "title", "start_date"], "additionalProperties": false, "properties": {
        "kind": {"enum": ["fysiek", "sociaal", "toewijzing", "zorg", "veiligheid", "woningvoorraad"]},
        "title": s("string"), "description": s("string"), "owner_org": s("integer"),
        "partners": {"type": "array", "items": s("integer"), "maxItems": veerkracht_partners::model::limits::PARTNERS},
        "budget_cents": {"type": "integer", "minimum": 0, "maximum": veerkracht_partners::model::limits::BUDGET_CENTS_MAX},
        "status": {"enum": ["gepland", "lopend", "afgerond", "gestopt"]},
        "start_date": {"type": "string", "format": "date"}, "end_date": {"type": "string", "format": "date"}}});
    vec![
        (
            "/api/v1/me",
            "get",
            "The logged-in user, their organisation and whether they may see own stock",
            None,
        ),
        (
            "/api/v1/plans",
            "get",
            "Buurt plans the user's organisation owns or is a partner in",
            None,
        ),
        (
            "/api/v1/plans",
            "post",
            "Create a plan (freezes the index, components and signal of the latest edition)",
            Some(
                json!({"type": "object", "required": ["area_code", "title"], "additionalProperties": false, "properties": {
            "area_code": s("string"), "title": s("string"), "analysis": s("string"), "partners": {"type": "array", "items": s("integer")}}}),
            ),
        ),
        (
            "/api/v1/plans/{id}",
            "get",
            "One plan: snapshot, goals with monitoring per edition, measures, decisions and comments, shared figures",
            None,
        ),
        (
            "/api/v1/plans/{id}",
            "patch",
            "Edit title, analysis, status or partners against the version read (409 when changed meanwhile)",
            Some(plan_edit),
        ),
        (
            "/api/v1/plans/{id}/goals",
            "post",
            "Add a goal: the index score or an index indicator, target value and date (baseline from the latest edition)",
            Some(
                json!({"type": "object", "required": ["indicator", "target", "target_date"], "additionalProperties": false, "properties": {
            "indicator": s("string"), "description": s("string"), "target": s("number"), "target_date": {"type": "string", "format": "date"}}}),
            ),
        ),
        (
            "/api/v1/plans/{id}/measures",
            "post",
            "Add a measure (a partner: for its own organisation)",
            Some(measure),
        ),
        (
            "/api/v1/plans/{id}/measures/{mid}",
            "patch",
            "Edit a measure against the version read",
            Some(
                json!({"type": "object", "required": ["version"], "additionalProperties": false, "properties": {
            "version": s("integer"), "status": {"enum": ["gepland", "lopend", "afgerond", "gestopt"]}, "title": s("string"), "description": s("string"),
            "budget_cents": {"type": ["integer", "null"], "minimum": 0, "maximum": veerkracht_partners::model::limits::BUDGET_CENTS_MAX}, "end_date": {"type": ["string", "null"], "format": "date"},
            "partners": {"type": "array", "items": s("integer"), "maxItems": veerkracht_partners::model::limits::PARTNERS}}}),
            ),
        ),
        (
            "/api/v1/plans/{id}/comments",
            "post",
            "Add a comment or (plan owner) a decision",
            Some(
                json!({"type": "object", "required": ["text"], "additionalProperties": false, "properties": {
            "kind": {"enum": ["opmerking", "besluit"]}, "text": s("string")}}),
            ),
        ),
        (
            "/api/v1/plans/{id}/audit",
            "get",
            "The plan's audit log: who, when, what, before and after",
            None,
        ),
        (
            "/api/v1/plans/{id}/shared",
            "post",
            "Share an aggregate of the corporation's own data (suppressed): a scenario outcome or the rent mix of the plan's buurt",
            Some(
                json!({"type": "object", "required": ["kind"], "additionalProperties": false, "properties": {
            "kind": {"enum": ["scenario", "huurmix"]}, "scenario": s("string")}}),
            ),
        ),
        (
            "/api/v1/tokens",
            "get",
            "The user's API tokens (never the secrets)",
            None,
        ),
        (
            "/api/v1/tokens",
            "post",
            "Create an API token (shown once)",
            Some(
                json!({"type": "object", "required": ["name"], "additionalProperties": false, "properties": {"name": s("string")}}),
            ),
        ),
        ("/api/v1/tokens/{id}", "delete", "Revoke an API token", None),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_addresses_or_blocks() {
        let p = |s: &str| s.parse::<TrustedProxy>();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(p("10.0.0.0/8").unwrap().contains(ip("10.200.3.4")));
        assert!(!p("10.0.0.0/8").unwrap().contains(ip("11.0.0.1")));
        assert!(p("127.0.0.1").unwrap().contains(ip("::ffff:127.0.0.1")));
        assert!(!p("127.0.0.1").unwrap().contains(ip("127.0.0.2")));
        assert!(p("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(!p("fd00::/8").unwrap().contains(ip("10.0.0.1")));
        assert!(p("0.0.0.0/0").unwrap().contains(ip("192.0.2.1")));
        assert!(p("::1").unwrap().contains(ip("::1")));
        for bad in ["10.0.0.0/33", "::/129", "proxy.local", "10.0.0.0/", ""] {
            assert!(p(bad).unwrap_err().contains("CIDR"), "{bad}");
        }
    }

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        for ok in [
            "/plans",
            "/plans/3?lang=en",
            "/buurt/BU1?a=%C3%A9",
            "/%7Euser",
            "/%25",
        ] {
            assert!(same_site_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%252F%252Fevil.example",
            "/%5C/evil.example",
            "/a b",
            "/caf\u{e9}",
            "/%FF",
            "/%C2%A0/x",
            "/%C2%85",
            "https://evil.example",
            "evil.example",
            "/login?terug=//x",
            "",
        ] {
            assert!(!same_site_path(bad), "{bad:?}");
        }
        assert_eq!(safe_back(None), "/plans");
        assert_eq!(safe_back(Some(&"//x".to_string())), "/");
    }
}
