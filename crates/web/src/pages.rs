//! The HTML pages. Each reads its state from the query string (shareable URLs) and offers the
//! same data as CSV/GeoJSON through the API links it shows.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use veerkracht_dataset::{AreaCode, Edition, Level};
use veerkracht_index::signal::Quadrant;
use veerkracht_index::{Class, IndexResult};

use crate::AppState;
use crate::html::{self, Lang, NO_DATA, OKABE_ITO, SEQUENTIAL, esc, num, url};
use crate::map::{self, Shape};

type Q = Query<HashMap<String, String>>;

pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::STYLE,
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

fn bad(lang: Lang, st: &AppState, msg: &str) -> Response {
    let body = format!("<p>{}</p>", esc(msg));
    (
        StatusCode::BAD_REQUEST,
        Html(html::page(
            lang,
            lang.t("Ongeldige vraag", "Invalid request"),
            "",
            "",
            &st.origin,
            st.synthetic,
            &body,
        )),
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

/// Level from the query (`buurt` default, `wijk`).
pub fn level_of(q: &HashMap<String, String>) -> Result<Level, String> {
    match q.get("level").map(String::as_str) {
        None | Some("buurt") => Ok(Level::Buurt),
        Some("wijk") => Ok(Level::Wijk),
        Some(o) => Err(format!(
            "level '{o}' is not supported here: use buurt or wijk"
        )),
    }
}

/// Edition from the query (default: the latest at the level); must exist.
pub fn edition_of(
    st: &AppState,
    q: &HashMap<String, String>,
    level: Level,
) -> Result<Edition, String> {
    let eds = st.editions(level);
    match q.get("edition") {
        None => eds
            .last()
            .copied()
            .ok_or_else(|| format!("no {} in this workspace", level.plural())),
        Some(s) => {
            let e: Edition = s
                .parse()
                .map_err(|_| format!("edition '{s}' is not a year"))?;
            if eds.contains(&e) {
                Ok(e)
            } else {
                Err(format!(
                    "edition {e} has no {}; editions: {eds:?}",
                    level.plural()
                ))
            }
        }
    }
}

pub fn class_index(c: Class) -> usize {
    match c {
        Class::VeelAandachtNodig => 0,
        Class::AandachtNodig => 1,
        Class::Gemiddeld => 2,
        Class::Veerkrachtig => 3,
        Class::ZeerVeerkrachtig => 4,
    }
}

pub fn class_label(lang: Lang, c: Class) -> &'static str {
    match lang {
        Lang::Nl => c.label_nl(),
        Lang::En => c.label_en(),
    }
}

pub const CLASSES: [Class; 5] = [
    Class::VeelAandachtNodig,
    Class::AandachtNodig,
    Class::Gemiddeld,
    Class::Veerkrachtig,
    Class::ZeerVeerkrachtig,
];

pub fn quadrant_label(lang: Lang, q: Quadrant) -> &'static str {
    match (lang, q) {
        (Lang::Nl, q) => q.label_nl(),
        (Lang::En, Quadrant::VeerkrachtOnderDruk) => "vulnerability ↑ and pressure ↑",
        (Lang::En, Quadrant::Veerkrachtig) => "vulnerability ↑, pressure not",
        (Lang::En, Quadrant::DrukStijgt) => "pressure ↑, vulnerability not",
        (Lang::En, Quadrant::StabielOfVerbetering) => "stable or improving",
    }
}

pub const QUADRANTS: [Quadrant; 4] = [
    Quadrant::VeerkrachtOnderDruk,
    Quadrant::Veerkrachtig,
    Quadrant::DrukStijgt,
    Quadrant::StabielOfVerbetering,
];

fn quadrant_colour(q: Quadrant) -> &'static str {
    match q {
        Quadrant::VeerkrachtOnderDruk => OKABE_ITO[5],
        Quadrant::Veerkrachtig => OKABE_ITO[0],
        Quadrant::DrukStijgt => OKABE_ITO[6],
        Quadrant::StabielOfVerbetering => OKABE_ITO[1],
    }
}

/// LISA cluster colours (Okabe–Ito): hoog-hoog, laag-laag, hoog-laag, laag-hoog.
pub fn cluster_colour(label: &str) -> &'static str {
    match label {
        "hoog-hoog" => OKABE_ITO[2],
        "laag-laag" => OKABE_ITO[5],
        "hoog-laag" => OKABE_ITO[1],
        "laag-hoog" => OKABE_ITO[0],
        _ => "#f0f0f0",
    }
}

pub fn cluster_label(lang: Lang, label: &str) -> &str {
    match (lang, label) {
        (Lang::En, "hoog-hoog") => "high score among high (cluster)",
        (Lang::En, "laag-laag") => "low score among low (cluster)",
        (Lang::En, "hoog-laag") => "high among low (outlier)",
        (Lang::En, "laag-hoog") => "low among high (outlier)",
        (Lang::En, "niet significant") => "not significant",
        (Lang::En, "geen buren") => "no neighbours",
        (Lang::Nl, "hoog-hoog") => "hoge score tussen hoge (cluster)",
        (Lang::Nl, "laag-laag") => "lage score tussen lage (cluster)",
        (Lang::Nl, "hoog-laag") => "hoog tussen laag (uitschieter)",
        (Lang::Nl, "laag-hoog") => "laag tussen hoog (uitschieter)",
        (_, l) => l,
    }
}

/// LISA of the index score at an edition and level: (code → cluster label), I, p_sim.
pub fn lisa_of(
    st: &AppState,
    r: &IndexResult,
) -> (HashMap<AreaCode, &'static str>, Option<(f64, f64)>) {
    let Some(ed) = st.ds.edition(r.edition) else {
        return (HashMap::new(), None);
    };
    let mut codes = Vec::new();
    let mut vals = Vec::new();
    let mut polys = Vec::new();
    for a in &r.areas {
        if let (Some(s), Some(g)) = (a.score, ed.geometry(&a.code)) {
            codes.push(a.code);
            vals.push(s);
            polys.push(g.clone());
        }
    }
    if codes.len() < 4 {
        return (HashMap::new(), None);
    }
    let nb =
        veerkracht_spatial::build::contiguity(&polys, veerkracht_spatial::Contiguity::Queen, 0.0);
    let Ok(w) =
        veerkracht_spatial::Weights::new(codes.iter().map(|c| c.to_string()).collect(), nb, None)
    else {
        return (HashMap::new(), None);
    };
    let w = w.transformed(veerkracht_spatial::Transform::Row);
    let o = veerkracht_spatial::LocalOptions {
        permutations: 999,
        seed: 12345,
        ..Default::default()
    };
    let l = veerkracht_spatial::moran_local(&vals, &w, &o);
    let m = veerkracht_spatial::moran(&vals, &w, 999, 12345);
    (
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, l.label_nl(i)))
            .collect(),
        Some((m.I, m.p_sim.unwrap_or(f64::NAN))),
    )
}

/// GET / — the map.
pub async fn kaart(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let level = match level_of(&q) {
        Ok(l) => l,
        Err(e) => return bad(lang, &st, &e),
    };
    let edition = match edition_of(&st, &q, level) {
        Ok(e) => e,
        Err(e) => return bad(lang, &st, &e),
    };
    let var = q.get("var").cloned().unwrap_or_else(|| "score".into());
    let st2 = st.clone();
    let q2 = q.clone();
    // The engines are CPU work: off the async threads.
    let res =
        tokio::task::spawn_blocking(move || kaart_body(&st2, &q2, lang, level, edition, &var))
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
        Ok(Err(e)) => bad(lang, &st, &e),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

fn kaart_body(
    st: &AppState,
    q: &HashMap<String, String>,
    lang: Lang,
    level: Level,
    edition: Edition,
    var: &str,
) -> Result<(String, String, String), String> {
    let idx = st.index(edition, level);
    let r = &idx.0;
    let ed = st.ds.edition(edition).ok_or("edition without data")?;
    let names: HashMap<AreaCode, &str> =
        r.areas.iter().map(|a| (a.code, a.name.as_str())).collect();
    let mut fills: HashMap<AreaCode, (&'static str, String)> = HashMap::new();
    let legend: Vec<(&str, String)>;
    let note: String;
    let var_title: String;
    if var == "score" {
        for a in &r.areas {
            let (fill, txt) = match a.class {
                Some(c) => (
                    SEQUENTIAL[class_index(c)],
                    format!("{} ({})", class_label(lang, c), num(lang, a.score, 1)),
                ),
                None => (NO_DATA, lang.t("geen score", "no score").to_string()),
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
                NO_DATA,
                lang.t("geen score", "no score").to_string(),
            )))
            .collect();
        var_title = format!("{} ({})", st.def.title_nl, lang.t("score", "score"));
        note = lang
            .t(
                "Klassen naar percentiel van de score onder alle gebieden van dit niveau (landelijke referentie); hoger = meer veerkracht. De indeling is gelijk voor elke editie.",
                "Classes by percentile of the score among all areas of this level (national reference); higher = more resilience. The same classes in every edition.",
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
        for a in &sig.areas {
            let (fill, txt) = match a.quadrant {
                Some(qd) => (quadrant_colour(qd), quadrant_label(lang, qd).to_string()),
                None => (NO_DATA, a.note.clone().unwrap_or_default()),
            };
            fills.insert(a.code, (fill, txt));
        }
        legend = QUADRANTS
            .iter()
            .map(|qd| (quadrant_colour(*qd), quadrant_label(lang, *qd).to_string()))
            .chain(std::iter::once((
                NO_DATA,
                lang.t("geen signaal", "no signal").to_string(),
            )))
            .collect();
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
        for a in &r.areas {
            let l = labels.get(&a.code).copied();
            let fill = l.map_or(NO_DATA, cluster_colour);
            fills.insert(
                a.code,
                (
                    fill,
                    l.map_or_else(
                        || lang.t("geen score", "no score").to_string(),
                        |l| cluster_label(lang, l).to_string(),
                    ),
                ),
            );
        }
        legend = [
            "hoog-hoog",
            "laag-laag",
            "hoog-laag",
            "laag-hoog",
            "niet significant",
        ]
        .iter()
        .map(|l| (cluster_colour(l), cluster_label(lang, l).to_string()))
        .collect();
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
    let mut shapes = Vec::new();
    for a in st.ds.areas(edition, level) {
        let Some(g) = ed.geometry(&a.code) else {
            continue;
        };
        let (fill, txt) = fills
            .get(&a.code)
            .cloned()
            .unwrap_or((NO_DATA, lang.t("geen waarde", "no value").to_string()));
        shapes.push(Shape {
            code: a.code.to_string(),
            label: format!(
                "{} ({}): {txt}",
                names.get(&a.code).copied().unwrap_or(&a.name),
                a.code
            ),
            fill,
            geometry: g,
        });
    }
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
    let state_query = format!("var={}&amp;edition={edition}&amp;level={lvl}", url(var));
    let body = format!(
        "<form class=\"controls\" method=\"get\" action=\"/\">{lang_field}\
<label>{l_var}<select name=\"var\">{opts}</select></label>\
<label>{l_ed}<select name=\"edition\">{ed_opts}</select></label>\
<label>{l_lvl}<select name=\"level\">{lvl_opts}</select></label>\
<button type=\"submit\">{l_show}</button></form>\
<h2>{title}, {lvl_pl} {edition}</h2>{legend}<p class=\"note\">{note}</p>{svg}\
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
        svg = map::svg(
            &shapes,
            &var_title,
            &format!(
                "edition={edition}{}",
                if lang == Lang::En { "&amp;lang=en" } else { "" }
            )
        ),
        click = lang.t(
            "Klik op een gebied (of ga er met Tab naartoe) voor het profiel. Download:",
            "Click an area (or Tab to it) for its profile. Download:"
        ),
    );
    Ok((lang.t("Kaart", "Map").to_string(), body, state_query))
}

fn bins_legend(lang: Lang, b: &[f64; 4]) -> Vec<(&'static str, String)> {
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

/// GET /buurt/{code} — the profile.
pub async fn profiel(
    State(st): State<Arc<AppState>>,
    Path(code): Path<String>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let Ok(code) = AreaCode::parse(&code) else {
        return bad(
            lang,
            &st,
            &format!("'{code}' is not an area code (BU…, WK…)"),
        );
    };
    let level = code.level();
    if level != Level::Buurt && level != Level::Wijk {
        return bad(lang, &st, "profiles exist for buurten and wijken");
    }
    let edition = match edition_of(&st, &q, level) {
        Ok(e) => e,
        Err(e) => return bad(lang, &st, &e),
    };
    let st2 = st.clone();
    let res =
        tokio::task::spawn_blocking(move || crate::api::profile_json(&st2, code, edition)).await;
    let p = match res {
        Ok(Some(p)) => p,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                Html(html::page(
                    lang,
                    lang.t("Niet gevonden", "Not found"),
                    "",
                    "",
                    &st.origin,
                    st.synthetic,
                    &format!(
                        "<p>{} {}</p>",
                        esc(&code.to_string()),
                        lang.t(
                            "is geen gebied in deze editie.",
                            "is not an area in this edition."
                        )
                    ),
                )),
            )
                .into_response();
        }
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    };
    let body = profile_html(&st, lang, &p);
    let title = format!("{} ({})", p["naam"].as_str().unwrap_or(""), code);
    Html(html::page(
        lang,
        &title,
        "",
        &format!("edition={edition}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// GET /buurt/{code}/dossier — the profile with the method as appendix, laid out for printing
/// (the browser's "print to PDF").
pub async fn dossier(
    State(st): State<Arc<AppState>>,
    Path(code): Path<String>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let Ok(c) = AreaCode::parse(&code) else {
        return bad(
            lang,
            &st,
            &format!("'{code}' is not an area code (BU…, WK…)"),
        );
    };
    if !matches!(c.level(), Level::Buurt | Level::Wijk) {
        return bad(lang, &st, "dossiers exist for buurten and wijken");
    }
    let edition = match edition_of(&st, &q, c.level()) {
        Ok(e) => e,
        Err(e) => return bad(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok(p) =
        tokio::task::spawn_blocking(move || crate::api::profile_json(&st2, c, edition)).await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    let Some(p) = p else {
        return bad(
            lang,
            &st,
            &format!("{c} is not an area of edition {edition}"),
        );
    };
    let body = format!(
        "<p class=\"note\">{}</p>{}<h2 class=\"appendix\">{}</h2>{}",
        lang.t(
            "Buurtdossier — druk af of bewaar als PDF via het afdrukmenu van de browser.",
            "Area dossier — print or save as PDF from the browser's print menu."
        ),
        profile_html(&st, lang, &p),
        lang.t(
            "Bijlage: methode en bronnen",
            "Appendix: method and sources"
        ),
        method_html(&st, lang)
    );
    let title = format!(
        "{} {} ({})",
        lang.t("Dossier", "Dossier"),
        p["naam"].as_str().unwrap_or(""),
        c
    );
    Html(html::page(
        lang,
        &title,
        "",
        &format!("edition={edition}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

fn profile_html(st: &AppState, lang: Lang, p: &serde_json::Value) -> String {
    let f = |v: &serde_json::Value, d: usize| num(lang, v.as_f64(), d);
    let mut s = String::new();
    let code = p["code"].as_str().unwrap_or("");
    let edition = p["editie"].as_u64().unwrap_or(0);
    let _ = write!(
        s,
        "<p>{gm}: {gemeente} · {ed} {edition} · {corp}</p>",
        gm = lang.t("Gemeente", "Municipality"),
        gemeente = esc(p["gemeente"].as_str().unwrap_or("—")),
        ed = lang.t("editie", "edition"),
        corp = match p["corporatiebuurt"].as_bool() {
            Some(true) => lang.t(
                "corporatiebuurt (meer dan ⅔ corporatiebezit)",
                "corporation buurt (over ⅔ corporation-owned)"
            ),
            Some(false) => lang.t("geen corporatiebuurt", "not a corporation buurt"),
            None => lang.t("corporatiebezit onbekend", "corporation share unknown"),
        }
    );
    let sc = &p["score"];
    let _ = write!(
        s,
        "<section aria-labelledby=\"h-score\"><h2 id=\"h-score\">{h}</h2>\
<p><strong data-testid=\"score\">{score}</strong> {of100} — <strong>{klasse}</strong>; {pct}: {perc}; {rank_l}: {rank} {van} {n} \
<span class=\"band\">({band_l}: {p5}–{p95}, {runs} {runs_l})</span></p><p class=\"note\">{cov_l}: {cov} %. {rel}</p></section>",
        h = lang.t("Veerkrachtscore", "Resilience score"),
        score = f(&sc["waarde"], 1),
        of100 = lang.t(
            "(0–100, hoger = meer veerkracht)",
            "(0–100, higher = more resilience)"
        ),
        klasse = esc(sc["klasse"].as_str().unwrap_or("—")),
        pct = lang.t("percentiel", "percentile"),
        perc = f(&sc["percentiel"], 0),
        rank_l = lang.t("rang (1 = meeste aandacht)", "rank (1 = most attention)"),
        rank = f(&sc["rang"], 0),
        van = lang.t("van", "of"),
        n = p["aantal_gebieden"],
        band_l = lang.t("90 %-band van de rang", "90 % rank band"),
        p5 = f(&sc["rang_p5"], 0),
        p95 = f(&sc["rang_p95"], 0),
        runs = crate::state::PROFILE_RUNS,
        runs_l = lang.t(
            "Monte Carlo-runs over gewichten, normalisatie en behandeling",
            "Monte Carlo runs over weights, normalisation and treatment"
        ),
        cov_l = lang.t("Dekking van de indicatoren", "Indicator coverage"),
        cov = f(
            &serde_json::json!(p["dekking"].as_f64().map(|x| x * 100.0)),
            0
        ),
        rel = if p["betrouwbaar"].as_bool() == Some(false) {
            lang.t(
                "Let op: sommige cijfers rusten op kleine aantallen (gedimd hieronder).",
                "Note: some figures rest on small numbers (dimmed below).",
            )
        } else {
            ""
        },
    );
    if let Some(note) = p["opmerking"].as_str() {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(note));
    }
    // Components.
    let rows: Vec<Vec<String>> = p["componenten"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    vec![
                        esc(c["naam"].as_str().unwrap_or("")),
                        format!("<span class=\"num\">{}</span>", f(&c["score"], 1)),
                        format!(
                            "{} %",
                            f(
                                &serde_json::json!(
                                    c["aandeel_gewicht_aanwezig"].as_f64().map(|x| x * 100.0)
                                ),
                                0
                            )
                        ),
                        c["vlaggen"].to_string(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&html::table(
        lang.t("Componenten", "Components"),
        &[
            lang.t("component", "component"),
            lang.t("score", "score"),
            lang.t("gewicht met gegevens", "weight with data"),
            lang.t("indicatoren ≥ p90 behoefte", "indicators ≥ p90 need"),
        ],
        &rows,
    ));
    // Waarom.
    let max_contrib = p["waarom"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["bijdrage"].as_f64())
                .fold(0.0f64, |m, x| m.max(x.abs()))
        })
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0);
    let rows: Vec<Vec<String>> = p["waarom"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let contrib = c["bijdrage"].as_f64();
                    let bar = contrib
                        .map(|x| format!("<span class=\"bar\" style=\"width:{:.0}px\" aria-hidden=\"true\"></span> ", 1.0 + 120.0 * x.abs() / max_contrib))
                        .unwrap_or_default();
                    // Dimmed (not hidden) when the value rests on a small denominator.
                    let unreliable = c["betrouwbaarheid"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|x| x.as_str() == Some("kleine_noemer")));
                    let cls = if unreliable { " class=\"dim\"" } else { "" };
                    let rel = c["betrouwbaarheid"]
                        .as_array()
                        .map(|r| r.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default();
                    vec![
                        {
                            let naam = c["naam"].as_str().unwrap_or("");
                            let tag = c["proxy"].as_bool() == Some(true) && !naam.contains("proxy");
                            format!("<span{cls}>{}{}</span>", esc(naam), if tag { " <span class=\"note\">(proxy)</span>" } else { "" })
                        },
                        esc(c["component"].as_str().unwrap_or("")),
                        format!("<span{cls} data-indicator=\"{}\">{}</span>", esc(c["indicator"].as_str().unwrap_or("")), f(&c["waarde"], 1)),
                        f(&c["genormaliseerd"], 1),
                        format!("{bar}{}", f(&c["bijdrage"], 1)),
                        if c["p90"].as_bool() == Some(true) { lang.t("ja", "yes").to_string() } else { String::new() },
                        esc(&[c["ontbreekt"].as_str().unwrap_or(""), &rel].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join("; ")),
                        format!("{} {edition}", esc(c["bron"].as_str().unwrap_or(""))),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&html::table(
        lang.t(
            "Waarom deze score: bijdrage van elke indicator (samen de score)",
            "Why this score: contribution of every indicator (they add up to the score)",
        ),
        &[
            lang.t("indicator", "indicator"),
            lang.t("component", "component"),
            lang.t("waarde", "value"),
            lang.t("genormaliseerd", "normalised"),
            lang.t("bijdrage", "contribution"),
            "≥ p90",
            lang.t("ontbreekt / betrouwbaarheid", "missing / reliability"),
            lang.t("bron", "source"),
        ],
        &rows,
    ));
    // Trend.
    let rows: Vec<Vec<String>> = p["trend"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    vec![
                        t["editie"].to_string(),
                        f(&t["score"], 1),
                        esc(t["klasse"].as_str().unwrap_or("—")),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&html::table(
        lang.t("Trend over edities", "Trend over editions"),
        &[
            lang.t("editie", "edition"),
            "score",
            lang.t("klasse", "class"),
        ],
        &rows,
    ));
    // Comparison.
    let v = &p["vergelijking"];
    let rows = vec![
        vec![
            lang.t("deze buurt", "this buurt").to_string(),
            f(&sc["waarde"], 1),
        ],
        vec![
            lang.t("gemiddelde gemeente", "municipality mean")
                .to_string(),
            f(&v["gemeente"], 1),
        ],
        vec![
            lang.t(
                "gemiddelde alle gebieden (Nederland in deze werkruimte)",
                "mean of all areas (the Netherlands in this workspace)",
            )
            .to_string(),
            f(&v["alle"], 1),
        ],
        vec![
            lang.t(
                "gemiddelde corporatiebuurten",
                "mean of corporation buurten",
            )
            .to_string(),
            f(&v["corporatiebuurten"], 1),
        ],
        vec![
            lang.t(
                "gemiddelde vergelijkbare buurten",
                "mean of similar buurten",
            )
            .to_string(),
            f(&v["vergelijkbaar"], 1),
        ],
    ];
    s.push_str(&html::table(
        lang.t("Vergelijking", "Comparison"),
        &[lang.t("groep", "group"), "score"],
        &rows,
    ));
    if let Some(peers) = v["vergelijkbare_buurten"].as_array() {
        let links: Vec<String> = peers
            .iter()
            .filter_map(|x| x.as_str())
            .map(|c| {
                format!(
                    "<a href=\"/buurt/{}?edition={edition}{}\">{}</a>",
                    url(c),
                    if lang == Lang::En { "&amp;lang=en" } else { "" },
                    esc(c)
                )
            })
            .collect();
        let _ = write!(
            s,
            "<p class=\"note\">{}: {}</p>",
            lang.t(
                "Vergelijkbare buurten (stedelijkheid, omvang, woningvoorraad)",
                "Similar buurten (urbanity, size, housing stock)"
            ),
            links.join(", ")
        );
    }
    let _ = write!(
        s,
        "<p class=\"note\"><a href=\"/buurt/{c}/dossier?edition={edition}\">{dossier}</a> · <a href=\"/api/v1/areas/{c}?edition={edition}\">JSON</a> · <a href=\"/?var=score&amp;edition={edition}\">{map}</a></p>",
        c = url(code),
        dossier = lang.t("dossier (afdrukken / PDF)", "dossier (print / PDF)"),
        map = lang.t("terug naar de kaart", "back to the map")
    );
    let _ = st;
    s
}

/// GET /corporatie
pub async fn corporatie(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let edition = match edition_of(&st, &q, Level::Buurt) {
        Ok(e) => e,
        Err(e) => return bad(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok(c) = tokio::task::spawn_blocking(move || st2.compare(edition)).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    let iv = |d: &Option<veerkracht_index::compare::Difference>| match d {
        Some(d) => format!(
            "{} [{}; {}]",
            num(lang, Some(d.estimate), 1),
            num(lang, Some(d.low), 1),
            num(lang, Some(d.high), 1)
        ),
        None => "—".into(),
    };
    let rows: Vec<Vec<String>> = c
        .variables
        .iter()
        .map(|v| {
            vec![
                esc(&v.label_nl),
                num(lang, v.mean_corp, 1),
                num(lang, v.mean_rest, 1),
                iv(&v.diff_mean),
                iv(&v.diff_matched),
                v.matched_pairs.to_string(),
            ]
        })
        .collect();
    let sens: Vec<Vec<String>> = c
        .sensitivity
        .iter()
        .map(|t| {
            vec![
                format!("{} %", num(lang, Some(t.threshold), 1)),
                t.n_corp.to_string(),
                iv(&t.diff_mean_score),
            ]
        })
        .collect();
    let body = format!(
        "<p>{intro}</p>{t1}{t2}<p class=\"note\"><a href=\"/api/v1/compare?edition={edition}\">JSON</a> · <a href=\"/api/v1/compare?edition={edition}&amp;format=csv\">CSV</a></p>",
        intro = esc(&format!(
            "{} {} {} {} {} {}.",
            c.n_corp,
            lang.t("corporatiebuurten (meer dan", "corporation buurten (more than"),
            num(lang, Some(c.threshold), 1),
            lang.t("% corporatiebezit) tegenover", "% corporation-owned) against"),
            c.classified - c.n_corp,
            lang.t("overige buurten, editie", "other buurten, edition").to_string() + &format!(" {edition}")
        )),
        t1 = html::table(
            lang.t("Verschil in gemiddelden met 95 %-bootstrapinterval; gematcht: zelfde gemeente en stedelijkheid, dichtstbij in omvang", "Difference in means with 95 % bootstrap interval; matched: same municipality and urbanity, nearest in size"),
            &[lang.t("variabele", "variable"), lang.t("corporatiebuurten", "corporation buurten"), lang.t("overige", "others"), lang.t("verschil [95 %]", "difference [95 %]"), lang.t("gematcht [95 %]", "matched [95 %]"), lang.t("paren", "pairs")],
            &rows,
        ),
        t2 = html::table(
            lang.t("Gevoeligheid voor de grens", "Sensitivity to the threshold"),
            &[lang.t("grens", "threshold"), lang.t("corporatiebuurten", "corporation buurten"), lang.t("verschil score [95 %]", "score difference [95 %]")],
            &sens,
        ),
    );
    Html(html::page(
        lang,
        lang.t(
            "Corporatiebuurten tegenover overige buurten",
            "Corporation buurten against other buurten",
        ),
        "/corporatie",
        &format!("edition={edition}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// GET /signaal
pub async fn signaal(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let eds = st.editions(Level::Buurt);
    if eds.len() < 2 {
        return bad(lang, &st, "the signal needs two editions");
    }
    let parse = |k: &str, d: Edition| -> Result<Edition, String> {
        match q.get(k) {
            None => Ok(d),
            Some(s) => s
                .parse()
                .ok()
                .filter(|e| eds.contains(e))
                .ok_or_else(|| format!("{k} '{s}' is not an edition; editions: {eds:?}")),
        }
    };
    let (from, to) = match (
        parse("from", eds[0]),
        parse("to", *eds.last().expect("two")),
    ) {
        (Ok(a), Ok(b)) if a < b => (a, b),
        (Ok(a), Ok(b)) => return bad(lang, &st, &format!("from {a} must be before to {b}")),
        (Err(e), _) | (_, Err(e)) => return bad(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok(sig) = tokio::task::spawn_blocking(move || st2.signal(from, to, Level::Buurt)).await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    let mut counts = [0usize; 4];
    for a in &sig.areas {
        if let Some(qd) = a.quadrant {
            counts[QUADRANTS.iter().position(|x| *x == qd).expect("known")] += 1;
        }
    }
    let rows: Vec<Vec<String>> = QUADRANTS
        .iter()
        .zip(counts)
        .map(|(qd, n)| vec![esc(quadrant_label(lang, *qd)), n.to_string()])
        .collect();
    let onder: Vec<Vec<String>> = sig
        .areas
        .iter()
        .filter(|a| a.quadrant == Some(Quadrant::VeerkrachtOnderDruk))
        .map(|a| {
            vec![
                format!(
                    "<a href=\"/buurt/{}?edition={to}\">{}</a>",
                    url(&a.code.to_string()),
                    esc(&a.name)
                ),
                num(lang, a.d_vulnerability, 2),
                num(lang, a.d_pressure, 2),
                a.quadrant_rel
                    .map(|x| esc(quadrant_label(lang, x)))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let body = format!(
        "<p>{intro}</p><p><a href=\"/?var=signaal&amp;from={from}&amp;edition={to}\">{map}</a></p>{t1}{t2}<p class=\"note\"><a href=\"/api/v1/signal?from={from}&amp;to={to}\">JSON</a> · <a href=\"/api/v1/signal?from={from}&amp;to={to}&amp;format=csv\">CSV</a></p>",
        intro = lang.t("Steeg de kwetsbaarheid samen met de druk? Verandering per buurt in standaarddeviaties van de eerste editie; relatief = ten opzichte van de rest van de gemeente.", "Did vulnerability rise together with pressure? Change per buurt in standard deviations of the first edition; relative = against the rest of the municipality."),
        map = lang.t("Bekijk op de kaart", "Show on the map"),
        t1 = html::table(&format!("{from}–{to}"), &[lang.t("kwadrant", "quadrant"), lang.t("buurten", "buurten")], &rows),
        t2 = html::table(lang.t("Buurten waar kwetsbaarheid én druk stegen", "Buurten where vulnerability and pressure both rose"), &[lang.t("buurt", "buurt"), "Δ kwetsbaarheid", "Δ druk", lang.t("relatief", "relative")], &onder),
    );
    Html(html::page(
        lang,
        lang.t("Veerkrachtsignaal", "Resilience signal"),
        "/signaal",
        &format!("from={from}&amp;to={to}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// GET /hotspots
pub async fn hotspots(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let level = match level_of(&q) {
        Ok(l) => l,
        Err(e) => return bad(lang, &st, &e),
    };
    let edition = match edition_of(&st, &q, level) {
        Ok(e) => e,
        Err(e) => return bad(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok((labels, global, names)) = tokio::task::spawn_blocking(move || {
        let idx = st2.index(edition, level);
        let (labels, global) = lisa_of(&st2, &idx.0);
        let names: HashMap<AreaCode, String> = idx
            .0
            .areas
            .iter()
            .map(|a| (a.code, a.name.clone()))
            .collect();
        (labels, global, names)
    })
    .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for l in labels.values() {
        *counts.entry(l).or_default() += 1;
    }
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(l, n)| vec![esc(cluster_label(lang, l)), n.to_string()])
        .collect();
    let mut sig: Vec<(&AreaCode, &&str)> = labels
        .iter()
        .filter(|(_, l)| !matches!(**l, "niet significant" | "geen buren"))
        .collect();
    sig.sort();
    let list: Vec<Vec<String>> = sig
        .iter()
        .map(|(c, l)| {
            vec![
                format!(
                    "<a href=\"/buurt/{}?edition={edition}\">{}</a>",
                    url(&c.to_string()),
                    esc(names.get(*c).map(String::as_str).unwrap_or(""))
                ),
                esc(cluster_label(lang, l)),
            ]
        })
        .collect();
    let lvl = if level == Level::Wijk {
        "wijk"
    } else {
        "buurt"
    };
    let body = format!(
        "<p>{intro}</p><p>{moran}</p><p><a href=\"/?var=lisa&amp;edition={edition}&amp;level={lvl}\">{map}</a></p>{t1}{t2}\
<p class=\"note\"><a href=\"/api/v1/spatial/lisa?edition={edition}&amp;level={lvl}\">JSON</a> · <a href=\"/api/v1/spatial/lisa?edition={edition}&amp;level={lvl}&amp;format=csv\">CSV</a></p>",
        intro = lang.t("Liggen buurten met een lage of hoge veerkrachtscore bij elkaar? Lokale Moran (LISA) van de score, queen-buren, 999 permutaties, α = 0,05; gelijk aan PySAL esda.", "Do buurten with a low or high resilience score lie together? Local Moran (LISA) of the score, queen contiguity, 999 permutations, α = 0.05; equal to PySAL esda."),
        moran = global.map(|(i, p)| format!("Moran's I = {} (p_sim = {})", num(lang, Some(i), 3), num(lang, Some(p), 3))).unwrap_or_default(),
        map = lang.t("Bekijk de clusters op de kaart", "Show the clusters on the map"),
        t1 = html::table(lang.t("Clusters", "Clusters"), &[lang.t("cluster", "cluster"), lang.t("gebieden", "areas")], &rows),
        t2 = html::table(lang.t("Significante gebieden", "Significant areas"), &[lang.t("gebied", "area"), lang.t("cluster", "cluster")], &list),
    );
    Html(html::page(
        lang,
        lang.t("Hotspots", "Hot spots"),
        "/hotspots",
        &format!("edition={edition}&amp;level={lvl}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
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

/// The method: definition, choices, indicators, sources and assumptions (also the dossier's
/// appendix).
pub fn method_html(st: &AppState, lang: Lang) -> String {
    let d = &st.def;
    let m = &d.method;
    let mut rows = Vec::new();
    for c in &d.component {
        for i in &c.indicator {
            rows.push(vec![
                esc(match lang {
                    Lang::Nl => &c.label_nl,
                    Lang::En => &c.label_en,
                }),
                {
                    let naam = match lang {
                        Lang::Nl => &i.label_nl,
                        Lang::En => &i.label_en,
                    };
                    let tag = i.proxy && !naam.contains("proxy");
                    format!(
                        "{}{}",
                        esc(naam),
                        if tag {
                            " <span class=\"note\">(proxy)</span>"
                        } else {
                            ""
                        }
                    )
                },
                esc(&i.source),
                esc(&format!("{:?}", i.transform).to_lowercase()),
                esc(&format!("{:?}", i.direction)),
                num(lang, Some(i.weight), 2),
            ]);
        }
    }
    let sources: Vec<Vec<String>> = st
        .ds
        .sources()
        .iter()
        .map(|s| {
            vec![
                esc(&s.file),
                esc(s.table.as_deref().unwrap_or("")),
                esc(s.period.as_deref().unwrap_or("")),
                s.rows.to_string(),
                if s.synthetic {
                    lang.t("synthetisch", "synthetic").to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let body = format!(
        "<p>{title} ({id}). {intro}</p><ul>\
<li>{l_ref}: {reference:?}</li><li>{l_imp}: {imputation:?}</li><li>{l_tr}: {treatment:?}</li>\
<li>{l_norm}: {normalisation:?}</li><li>{l_agg}: {aggregation:?}</li><li>{l_cov}: {cov}</li>\
<li>{l_cls}: {bounds:?}</li><li>{l_corp}: {corp} %</li></ul>{t1}{t2}<p class=\"note\">{assume}</p>",
        title = esc(&d.title_nl),
        id = esc(&d.id),
        intro = lang.t("De index is data: een definitiebestand (TOML) met componenten, indicatoren, richting, gewichten en methodekeuzes. Hogere score = meer veerkracht.", "The index is data: a definition file (TOML) with components, indicators, direction, weights and method choices. Higher score = more resilience."),
        l_ref = lang.t("Referentiepopulatie", "Reference population"),
        reference = m.reference,
        l_imp = lang.t("Imputatie", "Imputation"),
        imputation = m.imputation,
        l_tr = lang.t("Uitschieters", "Outliers"),
        treatment = m.treatment,
        l_norm = lang.t("Normalisatie", "Normalisation"),
        normalisation = m.normalisation,
        l_agg = lang.t("Aggregatie", "Aggregation"),
        aggregation = m.aggregation,
        l_cov = lang.t("Minimale dekking", "Minimum coverage"),
        cov = num(lang, Some(m.min_coverage), 2),
        l_cls = lang.t("Klassegrenzen (percentiel)", "Class bounds (percentile)"),
        bounds = m.class_bounds,
        l_corp = lang.t("Grens corporatiebuurt", "Corporation buurt threshold"),
        corp = num(lang, Some(m.corporatie_threshold), 1),
        t1 = html::table(lang.t("Indicatoren", "Indicators"), &[lang.t("component", "component"), lang.t("indicator", "indicator"), lang.t("bron", "source"), lang.t("bewerking", "transform"), lang.t("richting", "direction"), lang.t("gewicht", "weight")], &rows),
        t2 = html::table(lang.t("Bronnen in deze werkruimte", "Sources in this workspace"), &[lang.t("bestand", "file"), lang.t("tabel", "table"), lang.t("periode", "period"), lang.t("rijen", "rows"), ""], &sources),
        assume = lang.t("Open-data-indicatoren zijn proxies: ze tellen geen kwetsbare mensen. Ontbrekende cijfers blijven ontbrekend (nooit 0); waarden op kleine aantallen worden gemarkeerd.", "Open-data indicators are proxies: they do not count vulnerable people. Missing figures stay missing (never 0); values on small numbers are flagged."),
    );
    let mut body = body;
    body.push_str(&privacy_html(lang, &st.privacy));
    body
}

/// What the method page says about small-cell suppression (issue 8, item 4).
fn privacy_html(lang: Lang, o: &veerkracht_privacy::Options) -> String {
    let k = o.k;
    let items: Vec<String> = match lang {
        Lang::Nl => vec![
            "<strong>Wat</strong>: elk cijfer dat uit gegevens over woningen of huishoudens komt — de huurmix van de corporatievoorraad (pagina, API, CSV, <code>veerkracht wws --rent-mix</code>) en de toewijzingssimulatie (<code>/scenarios</code>, <code>veerkracht simulate</code>) — gaat door één afschermingslaag (<code>veerkracht-privacy</code>). Cijfers uit open CBS-data zijn al door het CBS beveiligd en worden niet opnieuw afgeschermd.".to_string(),
            format!("<strong>Primair</strong>: een aantal van 1 tot en met {} woningen of huishoudens wordt niet getoond (k = {k}, instelbaar met <code>--min-cel</code>; nullen worden {} getoond).", k - 1, if o.suppress_zero { "niet" } else { "wel" }),
            "<strong>Secundair</strong>: zoveel andere cellen worden afgeschermd dat geen totaal min de getoonde cellen een afgeschermde cel prijsgeeft, of een groep van minder dan k woningen. De tabellen van één buurt (woningen, puntenklassen, segmenten, energielabels, woningen met huur) beschrijven dezelfde woningen en worden <em>samen</em> afgeschermd: het aantal woningen van de buurt is één gedeelde rand, en de koppeling tussen puntenklassen en segmenten (144–186 punten is middenhuur) telt mee. De huurmix en de wat-als-berekening naar élk energielabel worden als één geheel afgeschermd: elk antwoord (met of zonder wat-als) is een deel van dezelfde publicatie, zodat ook het verschil tussen twee wat-als-antwoorden niets prijsgeeft. Daarna rekent een controle met lineaire programma's voor elke afgeschermde cel uit welke waarden nog mogelijk zijn gegeven álle getoonde cellen samen; een cel is beschermd als er ten minste twee gehele waarden mogelijk zijn en, bij 1 tot k − 1 woningen, de mogelijke waarden tot 0 of tot k reiken. Zo niet, dan wordt er meer afgeschermd.".to_string(),
            "<strong>Gemiddelden en aandelen</strong> (gemiddelde punten, huur, huur/maximum, % per segment, Δ in de wat-als) worden alleen getoond als het aantal waarover ze gaan getoond wordt.".to_string(),
            format!("<strong>Simulatie</strong>: een cijfer per buurt dat gemiddeld over de runs op minder dan {k} gesimuleerde huishoudens, woningen of verhuringen rust, wordt afgeschermd, met secundaire afscherming tegen het regiototaal; regiocijfers niet. Aandelen van huishoudens rusten op de huishoudens van de buurt; het aantal woningen per segment is de echte voorraad en wordt als aantal afgeschermd."),
            "<strong>Hoe te zien</strong>: op pagina’s staat “·” met een legenda; in JSON is de waarde <code>null</code> en noemt <code>afgeschermd</code> de reden (<code>minder_dan_k</code>, <code>secundair</code>, <code>basis</code>); in CSV is de cel leeg met de reden in de kolom <code>afgeschermd</code>. Een afgeschermde cel is nooit 0.".to_string(),
            "<strong>Grenzen</strong>: de controle gaat ervan uit dat een lezer regels één voor één oplost (totaal min getoonde cellen), niet dat hij stelsels vergelijkingen of grenzen uit meerdere regels combineert; de secundaire keuze is de kleinste cel, niet een optimaal patroon.".to_string(),
        ],
        Lang::En => vec![
            "<strong>What</strong>: every figure from data on dwellings or households — the rent mix of the corporation stock (page, API, CSV, <code>veerkracht wws --rent-mix</code>) and the allocation simulation (<code>/scenarios</code>, <code>veerkracht simulate</code>) — passes through one suppression layer (<code>veerkracht-privacy</code>). Figures from open CBS data are already protected by CBS and are not suppressed again.".to_string(),
            format!("<strong>Primary</strong>: a count of 1 to {} dwellings or households is not shown (k = {k}, set with <code>--min-cel</code>; zeros are {}).", k - 1, if o.suppress_zero { "withheld" } else { "shown" }),
            "<strong>Secondary</strong>: as many other cells are withheld as needed so that no total minus the shown cells gives away a withheld cell, or a group of fewer than k dwellings. The tables of one buurt (dwellings, points bands, segments, energy labels, dwellings with a rent) describe the same dwellings and are suppressed <em>together</em>: the buurt's dwelling count is one shared margin, and the tie between points bands and segments (144–186 points is mid rent) is taken into account. The rent mix and the what-if to <em>every</em> energy label are suppressed as one whole: every answer (with or without a what-if) is a slice of the same publication, so the difference between two what-if answers gives nothing away either. An audit by linear programs then computes, for every withheld cell, which values are still possible given <em>all</em> shown cells together; a cell is protected when at least two whole values remain and, for 1 to k − 1 dwellings, the possible values reach 0 or k. Otherwise more is withheld.".to_string(),
            "<strong>Means and shares</strong> are shown only when the count they are taken over is shown.".to_string(),
            format!("<strong>Simulation</strong>: a per-buurt figure that rests on fewer than {k} simulated households, dwellings or lettings (on average over the runs) is withheld, with secondary suppression against the region total; region figures are not."),
            "<strong>How it shows</strong>: pages show “·” with a legend; in JSON the value is <code>null</code> and <code>afgeschermd</code> names the reason (<code>minder_dan_k</code>, <code>secundair</code>, <code>basis</code>); in CSV the cell is empty with the reason in the <code>afgeschermd</code> column. A withheld cell is never 0.".to_string(),
            "<strong>Limits</strong>: the check assumes a reader who solves lines one at a time (a total minus the shown cells), not one who solves systems of equations or combines bounds from several lines; the secondary choice is the smallest cell, not an optimal pattern.".to_string(),
        ],
    };
    let mut s = format!(
        "<h2 id=\"afscherming\">{}</h2><ul>",
        lang.t("Afscherming van kleine aantallen", "Small-cell suppression")
    );
    for i in items {
        s.push_str("<li>");
        s.push_str(&i);
        s.push_str("</li>");
    }
    s.push_str("</ul>");
    s
}
