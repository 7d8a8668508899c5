//! The guard in front of every route in multi-user mode, and what belongs to it: sessions,
//! API tokens, CSRF, own-stock access, the database slots the routes use.
//!
//! Security, in one place ([`guard`]): every request but `/login` and the assets needs a
//! session cookie (`vk_sessie`: HttpOnly, SameSite=Strict, `Secure` behind TLS) or an API
//! token (`Authorization: Bearer vk_…`); every state change with a cookie needs the session's
//! CSRF token (form field `csrf` or header `X-CSRF-Token`); logins are limited per client
//! address, and failed logins slow further attempts per account and address (never a lock,
//! `veerkracht_partners::throttle`). All rules of who may do what are in
//! `veerkracht_partners::policy`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::Method;
use axum::http::StatusCode;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use veerkracht_partners::Actor;
use veerkracht_partners::Error;
use veerkracht_partners::LoginFailure;
use veerkracht_partners::policy;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::http::problem;
use crate::multi_user::Partners;
use crate::multi_user::SESSION_COOKIE;

/// Who is asking, as found by [`guard`].
#[derive(Clone)]
pub struct Auth {
    pub actor: Actor,
    /// The session's CSRF token; None for an API token (no cookie, no CSRF risk).
    pub csrf: Option<String>,
}

pub(crate) fn cookie<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

pub(crate) fn bearer(h: &HeaderMap) -> Option<&str> {
    h.get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub(crate) fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

pub(crate) fn lang_of(uri: &axum::http::Uri) -> Lang {
    if uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "lang=en"))
    {
        Lang::En
    } else {
        Lang::Nl
    }
}

/// Routes of the multi-user mode (answered with an explanation when it is off).
pub(crate) fn multi_user_path(path: &str) -> bool {
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
pub(crate) fn own_stock_path(path: &str) -> bool {
    path == "/huurmix"
        || path.starts_with("/huurmix/")
        || path.starts_with("/api/v1/huurmix")
        || path.starts_with("/api/v1/rentmix")
        || path == "/scenarios"
        || path.starts_with("/scenarios/")
        || path.starts_with("/api/v1/scenarios")
}

pub(crate) fn deny(
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
        if multi_user_path(&path) {
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
pub(crate) static DB_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);

/// Runs repository reads on a blocking thread, at most [`DB_SLOTS`] at a time.
pub(crate) async fn run<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    on_slots(&DB_SLOTS, f).await
}

/// Writes at once. Both databases commit one change at a time (SQLite's write lock; the audit
/// chain's advisory lock in PostgreSQL, held through the commit's WAL flush), so more waiting
/// writers would only hold read slots: with one pool for both, 145 writes/s on PostgreSQL
/// (≈ 4 ms each) filled all slots and reads queued behind them (p99 165–365 ms).
pub(crate) static WRITE_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs a repository write on a blocking thread, at most [`WRITE_SLOTS`] at a time.
pub(crate) async fn run_write<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    on_slots(&WRITE_SLOTS, f).await
}

pub(crate) async fn on_slots<T: Send + 'static>(
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

pub(crate) fn partners_of(st: &AppState) -> &Partners {
    st.partners
        .as_ref()
        .expect("guarded routes run in multi-user mode")
}

pub(crate) fn session_cookie(p: &Partners, value: &str, max_age: i64) -> HeaderValue {
    let secure = if p.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("vk_sessie=; Path=/; Max-Age=0"))
}

/// Where to go after logging in: `terug` when it is a path on this site ([`same_site_path`]),
/// the plans when it is missing, `/` otherwise.
pub(crate) fn safe_back(s: Option<&String>) -> String {
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
pub(crate) fn same_site_path(t: &str) -> bool {
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
pub(crate) fn percent_decode(s: &str) -> String {
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

/// The address a login counts against: the peer, or, when the peer is one of the configured
/// proxies (`--trusted-proxy`), the last `X-Forwarded-For` hop (the one that proxy added).
/// Any other peer's header is ignored: a client could write anything into it.
pub(crate) fn client_address(p: &Partners, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
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

/// The answer to a plans page when the server runs without `--multi-user`.
pub(crate) fn single_user_page(st: &AppState, lang: Lang) -> Response {
    Html(html::page(lang, lang.t("Buurtaanpak", "Area plans"), "/plans", "", &st.origin, st.synthetic, &format!("<p>{}</p><pre>veerkracht serve --multi-user --partner-db veerkracht-partners.sqlite</pre>", lang.t(
        "De gedeelde buurtaanpak met partners (accounts, rollen, logboek) draait in de modus voor meerdere gebruikers. Start de server zo:",
        "The shared area plans with partners (accounts, roles, audit log) run in multi-user mode. Start the server like this:")))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multi_user::TrustedProxy;

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
