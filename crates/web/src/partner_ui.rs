//! What the multi-user pages and their JSON API share: the page frame with the user bar and
//! CSRF field, form fields and numbers read with a named error, JSON bodies with unknown keys
//! refused, and the answers for created objects and errors.

use axum::Json;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use serde_json::Value;
use veerkracht_partners::Error;

use crate::AppState;
use crate::auth::Auth;
use crate::auth::error_response;
use crate::html;
use crate::html::Lang;
use crate::html::esc;

pub(crate) fn user_bar(lang: Lang, a: &Auth) -> String {
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

pub(crate) fn csrf_field(a: &Auth) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(a.csrf.as_deref().unwrap_or(""))
    )
}

pub(crate) fn partner_page(
    st: &AppState,
    lang: Lang,
    title: &str,
    a: &Auth,
    body: &str,
) -> Response {
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

pub(crate) fn status_label(lang: Lang, s: &str) -> String {
    let en = match s {
        "behaald" => "reached",
        "in de goede richting" => "moving the right way",
        "nog geen vooruitgang" => "no progress yet",
        "geen nulmeting" => "no baseline",
        _ => "no data",
    };
    lang.t(s, en).to_string()
}

pub(crate) fn euro(cents: Option<i64>) -> String {
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

pub(crate) fn parse_budget(s: &str) -> Result<Option<i64>, Error> {
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

pub(crate) type Form = axum::Form<Vec<(String, String)>>;

pub(crate) fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(a, _)| a == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub(crate) fn fields(f: &[(String, String)], k: &str) -> Vec<i64> {
    f.iter()
        .filter(|(a, _)| a == k)
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

pub(crate) fn version_of(f: &[(String, String)]) -> Result<i64, Error> {
    field(f, "versie")
        .parse()
        .map_err(|_| Error::invalid("versie", "missing; reload the page"))
}

/// A form's answer: back to the plan on success, the error as a page otherwise.
pub(crate) fn form_done<T>(st: &AppState, id: i64, res: Result<T, Error>) -> Response {
    match res {
        Ok(_) => Redirect::to(&format!("/plans/{id}")).into_response(),
        Err(e) => error_response(st, Lang::Nl, false, e),
    }
}

pub(crate) fn number(field_name: &str, s: &str) -> Result<f64, Error> {
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

pub(crate) fn api_err(st: &AppState, e: Error) -> Response {
    error_response(st, Lang::Nl, true, e)
}

pub(crate) fn created(v: Value, location: String) -> Response {
    let mut r = (StatusCode::CREATED, Json(v)).into_response();
    if let Ok(h) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, h);
    }
    r
}

/// Refuses a JSON body with keys the endpoint does not know (typos are errors, not silence).
pub(crate) fn only_keys(v: &Value, allowed: &[&str]) -> Result<(), Error> {
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

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|e| Error::invalid("body", e.to_string()))
}

pub(crate) fn json_body(body: &axum::body::Bytes) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|e| Error::invalid("body", format!("not JSON: {e}")))
}
