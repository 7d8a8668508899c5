//! The map (*Kaart*, `/`), *Methode* and the assets (the overviews are in `analyses`). Each reads its state from the query string (shareable URLs) and offers the same data
//! as CSV/GeoJSON through the API links it shows.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Edition;
use veerkracht_dataset::Level;
use veerkracht_index::Status;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::NO_DATA;
use crate::html::NOT_SCORED;
use crate::html::SEQUENTIAL;
use crate::html::esc;
use crate::html::num;
use crate::html::url;
use crate::http::Q;
use crate::labels::CLASSES;
use crate::labels::class_index;
use crate::labels::class_label;
use crate::map;
use crate::views::bad_page;
use crate::views::edition_of;
use crate::views::level_of;
use crate::views::lisa_of;
use crate::views::method_html;

pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::STYLE,
    )
        .into_response()
}

/// Zoom and pan for the maps (no inline script: the CSP allows scripts from this server only).
pub async fn map_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        map::SCRIPT,
    )
        .into_response()
}

/// A small icon (three houses in the sequential palette).
pub async fn favicon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml")],
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><path d=\"M2 30V16l6-6 6 6v14z\" fill=\"#3b528b\"/><path d=\"M12 30V12l6-6 6 6v18z\" fill=\"#21918c\"/><path d=\"M22 30V18l4-4 4 4v12z\" fill=\"#5ec962\"/></svg>",
    )
        .into_response()
}

pub async fn not_found(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    (
        StatusCode::NOT_FOUND,
        Html(html::page(
            lang,
            lang.t("Niet gevonden", "Not found"),
            "",
            "",
            &st.origin,
            st.synthetic,
            &format!(
                "<p>{}</p>",
                lang.t(
                    "Deze pagina bestaat niet. Kies een pagina in het menu.",
                    "This page does not exist. Choose a page in the menu."
                )
            ),
        )),
    )
        .into_response()
}

/// GET / — the map.
/// Whether the latest edition of `level` has shapes for any of its areas.
fn has_shapes(st: &AppState, level: Level) -> bool {
    st.latest(level).is_some_and(|e| {
        st.ds.edition(e).is_some_and(|ed| {
            st.ds
                .areas(e, level)
                .iter()
                .any(|a| ed.geometry(&a.code).is_some())
        })
    })
}

pub async fn kaart(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    // Default: the finest level that has shapes.
    let level = match q.get("level") {
        None if !has_shapes(&st, Level::Buurt) && has_shapes(&st, Level::Wijk) => Level::Wijk,
        asked => match level_of(asked.map(String::as_str)) {
            Ok(l) => l,
            Err(e) => return bad_page(lang, &st, &e),
        },
    };
    let edition = match edition_of(&st, q.get("edition").map(String::as_str), level) {
        Ok(e) => e,
        Err(e) => return bad_page(lang, &st, &e),
    };
    let var = q.get("var").cloned().unwrap_or_else(|| "score".into());
    let st2 = st.clone();
    let q2 = q.clone();
    // The engines are CPU work: off the async threads.
    let focus = html::focus();
    let res = tokio::task::spawn_blocking(move || {
        html::FOCUS.sync_scope(focus, || kaart_body(&st2, &q2, lang, level, edition, &var))
    })
    .await;
    match res {
        Ok(Ok((title, body, toggle))) => Html(html::page(
            lang,
            &title,
            "/",
            &toggle,
            &st.origin,
            st.synthetic,
            &body,
        ))
        .into_response(),
        Ok(Err(e)) => bad_page(lang, &st, &e),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

pub(crate) fn kaart_body(
    st: &AppState,
    q: &HashMap<String, String>,
    lang: Lang,
    level: Level,
    edition: Edition,
    var: &str,
) -> Result<(String, String, String), String> {
    let idx = st.index(edition, level);
    let r = &idx.0;
    st.ds.edition(edition).ok_or("edition without data")?;
    let names: HashMap<AreaCode, &str> =
        r.areas.iter().map(|a| (a.code, a.name.as_str())).collect();
    let mut fills: HashMap<AreaCode, (&'static str, String)> = HashMap::new();
    let legend: Vec<(&str, String)>;
    let note: String;
    let var_title: String;
    if var == "score" {
        for a in &r.areas {
            let why = a
                .exclusions
                .iter()
                .map(|x| match lang {
                    Lang::Nl => x.reason.label_nl(),
                    Lang::En => x.reason.label_en(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let (fill, txt) = match (a.status, a.class) {
                (Status::NotScored, _) => (
                    NOT_SCORED,
                    format!("{}: {why}", lang.t("geen score", "no score")),
                ),
                (Status::Caveat, Some(c)) => (
                    SEQUENTIAL[class_index(c)],
                    format!(
                        "{} ({}) — {}: {why}",
                        class_label(lang, c),
                        num(lang, a.score, 1),
                        lang.t("eerst controleren", "check first")
                    ),
                ),
                (_, Some(c)) => (
                    SEQUENTIAL[class_index(c)],
                    format!("{} ({})", class_label(lang, c), num(lang, a.score, 1)),
                ),
                (_, None) => (NO_DATA, lang.t("geen score", "no score").to_string()),
            };
            fills.insert(a.code, (fill, txt));
        }
        legend = CLASSES
            .iter()
            .map(|c| {
                (
                    SEQUENTIAL[class_index(*c)],
                    class_label(lang, *c).to_string(),
                )
            })
            .chain(std::iter::once((
                NOT_SCORED,
                lang.t(
                    "geen score (te klein, instelling of te weinig gegevens)",
                    "no score (too small, institution or too little data)",
                )
                .to_string(),
            )))
            .collect();
        var_title = format!("{} ({})", st.def.title_nl, lang.t("score", "score"));
        note = lang
            .t(
                "Klassen naar percentiel van de score onder de gescoorde gebieden van dit niveau (landelijke referentie); hoger = meer veerkracht. De indeling is gelijk voor elke editie. Gearceerd: geen score, omdat het gebied te weinig inwoners of huishoudens heeft, vooral bewoners van een instelling, of te weinig gegevens; zo'n gebied is niet 'veerkrachtig', het wordt niet gemeten.",
                "Classes by percentile of the score among the scored areas of this level (national reference); higher = more resilience. The same classes in every edition. Hatched: no score, because the area has too few inhabitants or households, mostly residents of an institution, or too little data; such an area is not 'resilient', it is not measured.",
            )
            .to_string();
    } else if let Some(cid) = var.strip_prefix("c_") {
        let ci = st
            .def
            .component
            .iter()
            .position(|c| c.id == cid)
            .ok_or_else(|| format!("unknown component '{cid}'"))?;
        let breaks = [20.0, 40.0, 60.0, 80.0];
        for a in &r.areas {
            let s = a.components.get(ci).and_then(|c| c.score);
            let fill = s.map_or(NO_DATA, |v| SEQUENTIAL[map::class_of(v, &breaks)]);
            fills.insert(a.code, (fill, num(lang, s, 1)));
        }
        legend = bins_legend(lang, &breaks);
        let c = &st.def.component[ci];
        var_title = match lang {
            Lang::Nl => c.label_nl.clone(),
            Lang::En => c.label_en.clone(),
        };
        note = lang
            .t(
                "Componentscore 0–100 (hoger = meer veerkracht), vaste grenzen 20/40/60/80 in elke editie.",
                "Component score 0–100 (higher = more resilience), fixed breaks 20/40/60/80 in every edition.",
            )
            .to_string();
    } else if let Some(iid) = var.strip_prefix("i_") {
        let ind = st
            .ds
            .catalogue()
            .get(iid)
            .ok_or_else(|| format!("unknown indicator '{iid}'"))?;
        // Fixed scale: quintiles over every edition together.
        let mut pooled = Vec::new();
        for e in st.editions(level) {
            for a in st.ds.areas(e, level) {
                if let Some(v) = st.ds.number(e, &a.code, iid) {
                    pooled.push(v);
                }
            }
        }
        let breaks = map::quintile_breaks(&mut pooled)
            .ok_or_else(|| format!("indicator '{iid}' has too few values at this level"))?;
        for a in st.ds.areas(edition, level) {
            let v = st.ds.number(edition, &a.code, iid);
            let fill = v.map_or(NO_DATA, |x| SEQUENTIAL[map::class_of(x, &breaks)]);
            let txt = match v {
                Some(_) => num(lang, v, 1),
                None => match st.ds.cell(edition, &a.code, iid) {
                    Some(c) => format!("{} ({:?})", lang.t("geen waarde", "no value"), c.value),
                    None => lang.t("geen waarde", "no value").to_string(),
                },
            };
            fills.insert(a.code, (fill, txt));
        }
        legend = bins_legend(lang, &breaks);
        var_title = match lang {
            Lang::Nl => ind.label_nl.clone(),
            Lang::En => ind.label_en.clone(),
        };
        note = format!(
            "{} {}",
            lang.t(
                "Vijf klassen (kwintielen over alle edities samen, dus een vaste schaal); de kleur zegt niets over goed of slecht. Bron:",
                "Five classes (quintiles over all editions together, a fixed scale); colour does not mean good or bad. Source:"
            ),
            ind.id
        );
    } else if var == "signaal" {
        let eds = st.editions(level);
        let from = match q.get("from") {
            Some(s) => s
                .parse::<Edition>()
                .map_err(|_| format!("from '{s}' is not a year"))?,
            None => *eds.first().ok_or("no editions")?,
        };
        if from >= edition || !eds.contains(&from) {
            return Err(format!("from {from} must be an edition before {edition}"));
        }
        let sig = st.signal(from, edition, level);
        (fills, legend) = crate::views::signal_fills(lang, &sig, false);
        var_title = format!(
            "{} {from}–{edition}",
            lang.t("Veerkrachtsignaal", "Resilience signal")
        );
        note = lang
            .t(
                "Verandering van kwetsbaarheid tegenover verandering van druk, in standaarddeviaties van de eerste editie (landelijke referentie).",
                "Change in vulnerability against change in pressure, in standard deviations of the first edition (national reference).",
            )
            .to_string();
    } else if var == "lisa" {
        let (labels, global) = lisa_of(st, r);
        (fills, legend) = crate::views::lisa_fills(lang, r, &labels);
        var_title = format!("LISA — {}", st.def.title_nl);
        note = format!(
            "{} {}",
            lang.t(
                "Lokale Moran van de score, queen-buren, rij-gestandaardiseerd, 999 permutaties (seed 12345), α = 0,05 zonder correctie.",
                "Local Moran of the score, queen contiguity, row-standardised, 999 permutations (seed 12345), α = 0.05 without correction."
            ),
            global
                .map(|(i, p)| format!("Moran's I = {} (p_sim = {}).", num(lang, Some(i), 3), num(lang, Some(p), 3)))
                .unwrap_or_default()
        );
    } else {
        return Err(format!(
            "unknown map variable '{var}': use score, c_COMPONENT, i_INDICATOR, signaal or lisa"
        ));
    }
    // The gemeente focus: its areas, and those around it drawn faint.
    let focus = html::focus();
    let gm = focus.area();
    let (shapes, faint, frame) =
        crate::views::focused_shapes(st, lang, level, edition, &fills, &names);
    // A level without shapes says so, and links to the one that has them.
    let lvl_name = |l: Level| if l == Level::Wijk { "wijk" } else { "buurt" };
    let other = if level == Level::Wijk {
        Level::Buurt
    } else {
        Level::Wijk
    };
    let no_shapes = if shapes.is_empty() {
        let where_ = focus
            .gemeente
            .as_ref()
            .map(|(_, n)| format!(" {} {n}", lang.t("in", "in")))
            .unwrap_or_default();
        let link = if has_shapes(st, other) {
            format!(
                " <a href=\"/?level={}&amp;var={}{}{}\">{}</a>",
                lvl_name(other),
                url(var),
                if focus.gemeente.is_some() {
                    format!("&amp;{}", focus.query())
                } else {
                    String::new()
                },
                if lang == Lang::En { "&amp;lang=en" } else { "" },
                match (lang, other) {
                    (Lang::Nl, Level::Wijk) => "Bekijk de wijken.".to_string(),
                    (Lang::Nl, _) => "Bekijk de buurten.".to_string(),
                    (Lang::En, Level::Wijk) => "Show the wijken.".to_string(),
                    (Lang::En, _) => "Show the buurten.".to_string(),
                }
            )
        } else {
            String::new()
        };
        format!(
            "<p class=\"fout\" role=\"status\" data-testid=\"geen-grenzen\">{} {} {edition}{where_}. {}{link}</p>",
            lang.t("Geen grenzen van", "No boundaries of"),
            level.plural(),
            lang.t(
                "Lees ze in met veerkracht fetch --alleen geometrie of veerkracht import (GeoJSON, GeoPackage).",
                "Import them with veerkracht fetch --alleen geometrie or veerkracht import (GeoJSON, GeoPackage)."
            ),
        )
    } else {
        String::new()
    };
    // Search by name or code, with the focused gemeente's areas as suggestions.
    let mut suggestions = String::new();
    if gm.is_some() || shapes.len() <= 2000 {
        for s in &shapes {
            let name = AreaCode::parse(&s.code)
                .ok()
                .and_then(|c| names.get(&c).copied());
            if let Some(n) = name {
                let _ = write!(
                    suggestions,
                    "<option value=\"{} ({})\">",
                    esc(n),
                    esc(&s.code)
                );
            }
        }
    }
    let search = format!(
        "<form class=\"zoek\" method=\"get\" action=\"/zoek\" role=\"search\">{}{}\
<label>{}<input name=\"q\" list=\"gebieden\" autocomplete=\"off\" data-testid=\"zoek\" placeholder=\"{}\"></label>\
<datalist id=\"gebieden\">{suggestions}</datalist><button type=\"submit\">{}</button></form>",
        if lang == Lang::En {
            "<input type=\"hidden\" name=\"lang\" value=\"en\">"
        } else {
            ""
        },
        focus
            .gemeente
            .as_ref()
            .map(|(c, _)| format!(
                "<input type=\"hidden\" name=\"gemeente\" value=\"{}\">",
                esc(c)
            ))
            .unwrap_or_default(),
        lang.t("Zoek een buurt of wijk", "Find a buurt or wijk"),
        lang.t("naam of code", "name or code"),
        lang.t("Zoek", "Find"),
    );
    // Controls (a GET form keeps the state in the URL).
    let mut opts = String::new();
    let mut opt = |value: &str, label: &str| {
        let sel = if value == var { " selected" } else { "" };
        let _ = write!(
            opts,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(value),
            esc(label)
        );
    };
    opt("score", &format!("{} — score", st.def.title_nl));
    for c in &st.def.component {
        opt(
            &format!("c_{}", c.id),
            &format!(
                "{}: {}",
                lang.t("Component", "Component"),
                match lang {
                    Lang::Nl => &c.label_nl,
                    Lang::En => &c.label_en,
                }
            ),
        );
    }
    opt("signaal", lang.t("Veerkrachtsignaal", "Resilience signal"));
    opt("lisa", lang.t("Clusters (LISA)", "Clusters (LISA)"));
    let mut seen = std::collections::BTreeSet::new();
    for (_, i) in st.def.indicators() {
        if seen.insert(i.source.clone()) && st.ds.catalogue().get(&i.source).is_some() {
            opt(
                &format!("i_{}", i.source),
                &format!(
                    "{}: {}",
                    lang.t("Indicator", "Indicator"),
                    match lang {
                        Lang::Nl => &i.label_nl,
                        Lang::En => &i.label_en,
                    }
                ),
            );
        }
    }
    let mut ed_opts = String::new();
    for e in st.editions(level) {
        let sel = if e == edition { " selected" } else { "" };
        let _ = write!(ed_opts, "<option{sel}>{e}</option>");
    }
    let lvl_opts = [
        ("buurt", lang.t("buurten", "buurten")),
        ("wijk", lang.t("wijken", "wijken")),
    ]
    .iter()
    .map(|(v, l)| {
        let sel = if (*v == "wijk") == (level == Level::Wijk) {
            " selected"
        } else {
            ""
        };
        format!("<option value=\"{v}\"{sel}>{l}</option>")
    })
    .collect::<String>();
    let lang_field = if lang == Lang::En {
        "<input type=\"hidden\" name=\"lang\" value=\"en\">"
    } else {
        ""
    };
    let lvl = if level == Level::Wijk {
        "wijk"
    } else {
        "buurt"
    };
    let focus_field = focus
        .gemeente
        .as_ref()
        .map(|(c, _)| {
            format!(
                "<input type=\"hidden\" name=\"gemeente\" value=\"{}\">",
                esc(c)
            )
        })
        .unwrap_or_default();
    let mut state_query = format!("var={}&amp;edition={edition}&amp;level={lvl}", url(var));
    if focus.gemeente.is_some() {
        state_query = format!("{state_query}&amp;{}", focus.query());
    }
    let body = format!(
        "<form class=\"controls\" method=\"get\" action=\"/\">{lang_field}{focus_field}\
<label>{l_var}<select name=\"var\">{opts}</select></label>\
<label>{l_ed}<select name=\"edition\">{ed_opts}</select></label>\
<label>{l_lvl}<select name=\"level\">{lvl_opts}</select></label>\
<button type=\"submit\">{l_show}</button></form>\
{search}<h2>{title}, {lvl_pl} {edition}{where_h}</h2>{legend}<p class=\"note\">{note}</p>{no_shapes}<div class=\"map-wrap\">{svg}</div>\
<p class=\"note\">{click} <a href=\"/api/v1/index?edition={edition}&amp;level={lvl}&amp;format=csv\">CSV</a> · \
<a href=\"/api/v1/index?edition={edition}&amp;level={lvl}&amp;format=geojson\">GeoJSON</a></p>",
        l_var = lang.t("Kaartlaag", "Map layer"),
        l_ed = lang.t("Editie", "Edition"),
        l_lvl = lang.t("Niveau", "Level"),
        l_show = lang.t("Toon", "Show"),
        title = esc(&var_title),
        lvl_pl = level.plural(),
        legend = map::legend(&legend),
        note = esc(&note),
        where_h = focus
            .gemeente
            .as_ref()
            .map(|(_, n)| format!(" — {}", esc(n)))
            .unwrap_or_default(),
        svg = map::svg_view(
            &shapes,
            &faint,
            frame,
            &var_title,
            // the profile opens on the latest edition by itself
            &[
                (st.latest(level) != Some(edition)).then(|| format!("edition={edition}")),
                (lang == Lang::En).then(|| "lang=en".to_string()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("&amp;"),
            lang.t(
                "Zoomen en schuiven (ook met + − pijltjes 0 op de kaart)",
                "Zoom and pan (also + − arrows 0 on the map)"
            ),
        ),
        click = lang.t(
            "Klik op een gebied (of ga er met Tab naartoe) voor het profiel. Download:",
            "Click an area (or Tab to it) for its profile. Download:"
        ),
    );
    Ok((lang.t("Kaart", "Map").to_string(), body, state_query))
}

pub(crate) fn bins_legend(lang: Lang, b: &[f64; 4]) -> Vec<(&'static str, String)> {
    vec![
        (SEQUENTIAL[0], format!("≤ {}", num(lang, Some(b[0]), 1))),
        (
            SEQUENTIAL[1],
            format!(
                "{} – {}",
                num(lang, Some(b[0]), 1),
                num(lang, Some(b[1]), 1)
            ),
        ),
        (
            SEQUENTIAL[2],
            format!(
                "{} – {}",
                num(lang, Some(b[1]), 1),
                num(lang, Some(b[2]), 1)
            ),
        ),
        (
            SEQUENTIAL[3],
            format!(
                "{} – {}",
                num(lang, Some(b[2]), 1),
                num(lang, Some(b[3]), 1)
            ),
        ),
        (SEQUENTIAL[4], format!("> {}", num(lang, Some(b[3]), 1))),
        (NO_DATA, lang.t("geen waarde", "no value").to_string()),
    ]
}

/// GET /methode
pub async fn methode(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let body = method_html(&st, lang);
    Html(html::page(
        lang,
        lang.t("Methode", "Method"),
        "/methode",
        "",
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// The map, the overview pages, the method page and the assets.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/", get(kaart))
        .route("/methode", get(methode))
        .route("/assets/map.js", get(map_js))
        .route("/assets/style.css", get(style))
        .route("/assets/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
}
