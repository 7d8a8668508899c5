//! Login and logout, the own account and its API tokens (`/account`, `/api/v1/tokens`,
//! `/api/v1/me`), and the organisation's users for a beheerder (`/beheer`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::extract::ConnectInfo;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use serde_json::json;
use veerkracht_partners::Error;
use veerkracht_partners::LoginFailure;
use veerkracht_partners::format_time;
use veerkracht_partners::policy;

use crate::AppState;
use crate::auth::Auth;
use crate::auth::client_address;
use crate::auth::cookie;
use crate::auth::error_response;
use crate::auth::partners_of;
use crate::auth::run;
use crate::auth::run_write;
use crate::auth::safe_back;
use crate::auth::session_cookie;
use crate::auth::single_user_page;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::http::Q;
use crate::http::problem;
use crate::multi_user::LOGIN_COOKIE;
use crate::multi_user::SESSION_COOKIE;
use crate::partner_ui::Form;
use crate::partner_ui::api_err;
use crate::partner_ui::created;
use crate::partner_ui::csrf_field;
use crate::partner_ui::field;
use crate::partner_ui::json_body;
use crate::partner_ui::only_keys;
use crate::partner_ui::partner_page;

pub(crate) fn login_page(
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

pub(crate) fn account_html(
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
    partner_page(st, lang, lang.t("Account", "Account"), a, &b)
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

pub(crate) fn require_beheerder(a: &Auth) -> Result<(), Error> {
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
    partner_page(&st, lang, lang.t("Beheer", "Administration"), &a, &b)
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

/// GET /api/v1/me
pub async fn api_me(Extension(a): Extension<Auth>) -> Response {
    Json(json!({"gebruiker": a.actor.user, "organisatie": a.actor.org, "mag_eigen_voorraad_zien": policy::can_view_stock(&a.actor)})).into_response()
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

/// Login and logout, the own account with its API tokens, and the organisation's users.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{delete, get, post};
    axum::Router::new()
        .route("/login", get(login_get).post(login_post))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/beheer", get(admin_page))
        .route("/beheer/gebruikers", post(admin_add_user))
        .route("/beheer/gebruikers/{id}", post(admin_user_action))
        .route("/account/tokens", post(token_post))
        .route("/account/tokens/{id}/intrekken", post(token_revoke_post))
        .route("/api/v1/me", get(api_me))
        .route("/api/v1/tokens", get(api_tokens).post(api_token_create))
        .route("/api/v1/tokens/{id}", delete(api_token_revoke))
}
