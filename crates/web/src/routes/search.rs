//! Search: `GET /zoek?q=` finds a buurt or wijk by code or name, the focused gemeente's
//! first (the map's search box and its suggestions).

use std::sync::Arc;

use axum::extract::Query;
use axum::extract::State;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Level;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::url;
use crate::http::Q;
use crate::views::bad_page;

/// The search route.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    axum::Router::new().route("/zoek", get(zoek))
}

/// `GET /zoek?q=`: an area by code or name. One match (a code, an exact name, or one name
/// that contains the text) goes to its profile; more are listed, the focused gemeente's
/// first.
pub async fn zoek(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let text = q.get("q").map(|t| t.trim().to_string()).unwrap_or_default();
    if text.is_empty() || text.chars().count() > 200 {
        return bad_page(lang, &st, "q: type 1 to 200 characters of a name or a code");
    }
    let focus = html::focus();
    let gm = focus.area();
    let en = if lang == Lang::En { "?lang=en" } else { "" };
    let go = |code: AreaCode| {
        axum::response::Redirect::to(&format!("/buurt/{code}{en}")).into_response()
    };
    // "Naam (CODE)" from the suggestions, or a code
    let code_part = crate::state::code_of_choice(&text);
    let mut areas: Vec<(AreaCode, String)> = Vec::new();
    for level in [Level::Buurt, Level::Wijk] {
        if let Some(e) = st.latest(level) {
            areas.extend(
                st.ds
                    .areas(e, level)
                    .iter()
                    .map(|a| (a.code, a.name.clone())),
            );
        }
    }
    if let Ok(c) = AreaCode::parse(code_part)
        && areas.iter().any(|a| a.0 == c)
    {
        return go(c);
    }
    let lower = text.to_lowercase();
    let in_focus = |c: &AreaCode| gm.is_none() || c.gemeente() == gm;
    let exact: Vec<&(AreaCode, String)> = areas
        .iter()
        .filter(|a| a.1.to_lowercase() == lower)
        .collect();
    let exact_here: Vec<_> = exact.iter().filter(|a| in_focus(&a.0)).collect();
    if let [one] = exact_here[..] {
        return go(one.0);
    }
    if let [one] = exact[..] {
        return go(one.0);
    }
    let mut hits: Vec<&(AreaCode, String)> = areas
        .iter()
        .filter(|a| a.1.to_lowercase().contains(&lower))
        .collect();
    hits.sort_by_key(|a| (!in_focus(&a.0), a.1.to_lowercase(), a.0));
    if let [one] = hits[..] {
        return go(one.0);
    }
    // one match in the focused gemeente: that one ("Binnenstad" with Utrecht chosen)
    let here: Vec<&&(AreaCode, String)> = hits.iter().filter(|a| in_focus(&a.0)).collect();
    if gm.is_some()
        && let [one] = here[..]
    {
        return go(one.0);
    }
    let gemeenten = st.gemeenten();
    let gm_name = |c: &AreaCode| {
        c.gemeente()
            .and_then(|g| gemeenten.iter().find(|x| x.0 == g).map(|x| x.1.clone()))
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = hits
        .iter()
        .take(50)
        .map(|a| {
            vec![
                format!("<a href=\"/buurt/{}{en}\">{}</a>", a.0, esc(&a.1)),
                a.0.to_string(),
                esc(&gm_name(&a.0)),
            ]
        })
        .collect();
    let body = if rows.is_empty() {
        format!(
            "<p role=\"status\">{} '{}'.</p>",
            lang.t(
                "Geen buurt of wijk gevonden voor",
                "No buurt or wijk found for"
            ),
            esc(&text)
        )
    } else {
        format!(
            "<p role=\"status\">{} {}{}</p>{}",
            hits.len(),
            lang.t("gebieden gevonden", "areas found"),
            if hits.len() > 50 {
                lang.t(" (de eerste 50)", " (the first 50)")
            } else {
                ""
            },
            html::table(
                lang.t("Zoekresultaten", "Search results"),
                &[lang.t("naam", "name"), "code", "gemeente"],
                &rows
            )
        )
    };
    Html(html::page(
        lang,
        lang.t("Zoeken", "Search"),
        "/zoek",
        &format!("q={}", url(&text)),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}
