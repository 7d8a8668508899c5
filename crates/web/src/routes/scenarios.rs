//! *Scenario's* (`/scenarios`, `/api/v1/scenarios`, `/api/v1/scenarios/run`): choose or edit
//! a scenario, run it against the baseline ([`crate::simulation`]) and show the bands.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::Json;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use serde_json::Value;
use serde_json::json;
use veerkracht_sim::Scenario;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;
use crate::http::problem;
use crate::simulation::EditForm;
use crate::simulation::MAX_RUNS;
use crate::simulation::RunRequest;
use crate::simulation::client_of;
use crate::simulation::compute;
use crate::simulation::names;
use crate::simulation::runs_in_range;

/// Region indicators shown, with Dutch and English labels and decimals.
pub(crate) const KERN: [(&str, &str, &str, usize); 9] = [
    (
        "aandeel_kwetsbaar",
        "aandeel kwetsbare huishoudens",
        "share of vulnerable households",
        3,
    ),
    (
        "dissimilariteit",
        "dissimilariteitsindex kwetsbaar",
        "dissimilarity index (vulnerable)",
        3,
    ),
    (
        "hoogste_buurtaandeel_kwetsbaar",
        "hoogste buurtaandeel kwetsbaar",
        "highest buurt share vulnerable",
        3,
    ),
    (
        "hoogste_buurtaandeel_kwetsbare_plaatsingen",
        "hoogste buurtaandeel kwetsbare plaatsingen",
        "highest buurt share of vulnerable lettings",
        3,
    ),
    (
        "verhuringen",
        "verhuringen per jaar",
        "lettings per year",
        0,
    ),
    (
        "wachttijd_kwetsbaar",
        "wachttijd kwetsbaar (jaar)",
        "waiting time vulnerable (years)",
        2,
    ),
    (
        "wachttijd_overig",
        "wachttijd overig (jaar)",
        "waiting time others (years)",
        2,
    ),
    (
        "geblokkeerd",
        "geblokkeerd door spreiding/Rotterdamwet",
        "blocked by spreading/Rotterdamwet",
        0,
    ),
    ("gem_huur", "gemiddelde huur (€)", "mean rent (€)", 0),
];

pub(crate) fn check_runs(runs: usize) -> Result<(), Response> {
    runs_in_range(runs).map_err(|m| {
        problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            &m,
        )
    })
}

/// POST /api/v1/scenarios/run
pub async fn api_run(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    body: Result<Json<RunRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Ongeldige vraag / invalid request",
                &format!(
                    "{e}; expected JSON {{\"scenario\": NAME or TOML, \"basis\"?: NAME, \"runs\"?: 1–{MAX_RUNS}, \"seed\"?: N}}"
                ),
            );
        }
    };
    let runs = req.runs.unwrap_or(100);
    if let Err(r) = check_runs(runs) {
        return r;
    }
    match compute(
        st,
        client_of(&auth, &conn),
        req.scenario,
        req.basis.unwrap_or_else(|| "basis".into()),
        runs,
        req.seed.unwrap_or(1),
    )
    .await
    {
        Ok(v) => crate::http::json_response(v),
        Err(f) => f.response(),
    }
}

/// GET /api/v1/scenarios — the shipped scenarios.
pub async fn api_list() -> Response {
    let list: Vec<Value> = veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .filter_map(|(n, t)| {
            Scenario::parse(t, n)
                .ok()
                .map(|s| json!({"naam": n, "omschrijving": s.omschrijving}))
        })
        .collect();
    crate::http::json_response(json!({"scenarios": list}))
}

/// GET /scenarios?scenario=&basis=&runs=&seed=
pub async fn page(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let a = q.get("scenario").cloned();
    let base = q.get("basis").cloned().unwrap_or_else(|| "basis".into());
    // a parameter out of its range: 400 with the range
    let bad = |range: &str| {
        (
            StatusCode::BAD_REQUEST,
            Html(html::page(
                lang,
                "Scenario's",
                "/scenarios",
                "",
                &st.origin,
                st.synthetic,
                &format!("<p>{range}</p>"),
            )),
        )
            .into_response()
    };
    let runs: usize = match q.get("runs").map(|s| s.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if (1..=MAX_RUNS).contains(&n) => n,
        Some(_) => return bad(&format!("runs: 1–{MAX_RUNS}")),
    };
    let seed: u64 = match q.get("seed").map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => return bad(&format!("seed: 0–{}", u64::MAX)),
    };
    let mut status = StatusCode::OK;
    let mut s = String::new();
    let _ = write!(
        s,
        "<p>{}</p>",
        lang.t(
            "Wat doet een toewijzings- of woningvoorraadbeleid met elke buurt? Kies een scenario; het draait naast het basisscenario met dezelfde toevalsgetallen, zodat het verschil het beleid laat zien. Banden: 5–95 % over de runs. Invoer: de demoregio (synthetische demodata).",
            "What does an allocation or housing-stock policy do to each buurt? Choose a scenario; it runs beside the baseline with the same random numbers, so the difference shows the policy. Bands: 5–95 % over the runs. Input: the demo region (synthetic demo data)."
        )
    );
    let mut opts = String::new();
    for n in names() {
        let sel = if Some(n) == a.as_deref() {
            " selected"
        } else {
            ""
        };
        let _ = write!(opts, "<option value=\"{n}\"{sel}>{n}</option>");
    }
    let _ = write!(
        s,
        "<form class=\"controls\" method=\"get\" action=\"/scenarios\">{lf}<label>{l1}<select name=\"scenario\">{opts}</select></label>\
<label>{l2}<select name=\"runs\"><option value=\"50\"{r50}>50</option><option value=\"100\"{r100}>100</option><option value=\"200\"{r200}>200</option></select></label>\
<button type=\"submit\">{go}</button></form>",
        lf = if lang == Lang::En {
            "<input type=\"hidden\" name=\"lang\" value=\"en\">"
        } else {
            ""
        },
        l1 = lang.t("Scenario", "Scenario"),
        l2 = lang.t("Runs", "Runs"),
        r50 = if runs == 50 { " selected" } else { "" },
        r100 = if runs == 100 { " selected" } else { "" },
        r200 = if runs == 200 { " selected" } else { "" },
        go = lang.t("Doorrekenen", "Run"),
    );
    // Edit: the chosen scenario's TOML in a form that posts to this page.
    let shown = a.as_deref().unwrap_or("spreiding");
    if let Some((_, text)) = veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .find(|(n, _)| *n == shown)
    {
        let _ = write!(
            s,
            "<details><summary>{}</summary><form method=\"post\" action=\"/scenarios{}\">\
<label>{}<textarea name=\"toml\" rows=\"18\" cols=\"90\" spellcheck=\"false\">{}</textarea></label>\
<input type=\"hidden\" name=\"runs\" value=\"{runs}\"><button type=\"submit\">{}</button></form></details>",
            lang.t("Scenario aanpassen (TOML)", "Edit the scenario (TOML)"),
            if lang == Lang::En { "?lang=en" } else { "" },
            lang.t("Scenariobestand", "Scenario file"),
            esc(text),
            lang.t("Doorrekenen", "Run"),
        );
    }
    if let Some(a) = a {
        match compute(st.clone(), client_of(&auth, &conn), a, base, runs, seed).await {
            Err(f) => {
                status = f.response().status();
                let _ = write!(s, "<p class=\"fout\">{}</p>", esc(&f.message(lang)));
            }
            Ok(v) => s.push_str(&result_html(lang, &v)),
        }
    }
    let toggle = q
        .get("scenario")
        .map(|x| format!("scenario={}&amp;runs={runs}", crate::html::url(x)))
        .unwrap_or_default();
    (
        status,
        Html(html::page(
            lang,
            lang.t("Scenario's", "Scenarios"),
            "/scenarios",
            &toggle,
            &st.origin,
            st.synthetic,
            &s,
        )),
    )
        .into_response()
}

pub(crate) fn result_html(lang: Lang, v: &Value) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<h2>{} '{}' {} '{}'</h2><p>{}</p><p class=\"note\">{} {}, seed {}, {}–{}.</p>",
        lang.t("Scenario", "Scenario"),
        esc(v["scenario"].as_str().unwrap_or("")),
        lang.t("tegenover", "against"),
        esc(v["basis"].as_str().unwrap_or("")),
        esc(v["omschrijving"].as_str().unwrap_or("")),
        v["runs"],
        lang.t("runs", "runs"),
        v["seed"],
        v["startjaar"],
        v["startjaar"].as_i64().unwrap_or(0) + v["jaren"].as_i64().unwrap_or(1) - 1
    );
    let band = |q: &Value, d: usize| {
        if q.is_null() {
            // withheld (the region rests on fewer than k)
            return format!(
                "<span class=\"afgeschermd\" title=\"{}\">·</span>",
                lang.t("afgeschermd", "withheld")
            );
        }
        format!(
            "{} <span class=\"band\">[{}; {}]</span>",
            num(lang, q["p50"].as_f64(), d),
            num(lang, q["p5"].as_f64(), d),
            num(lang, q["p95"].as_f64(), d)
        )
    };
    let last = v["startjaar"].as_i64().unwrap_or(0) + v["jaren"].as_i64().unwrap_or(1) - 1;
    let regio = v["regio"].as_array().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    for (key, nl, en, d) in KERN {
        if let Some(r) = regio
            .iter()
            .find(|r| r["indicator"] == key && r["jaar"].as_i64() == Some(last))
        {
            rows.push(vec![
                esc(lang.t(nl, en)),
                band(&r["basis"], d),
                band(&r["scenario"], d),
                format!(
                    "{}{}",
                    band(&r["verschil"], d),
                    if r["zeker"].as_bool() == Some(true) {
                        " ●"
                    } else {
                        ""
                    }
                ),
            ]);
        }
    }
    s.push_str(&html::table(
        &format!(
            "{} {last} ({})",
            lang.t("Regio in", "Region in"),
            lang.t(
                "mediaan [5–95 %]; ● = het 90 %-interval van het verschil sluit 0 uit",
                "median [5–95 %]; ● = the 90 % interval of the difference excludes 0"
            )
        ),
        &[
            lang.t("indicator", "indicator"),
            lang.t("basis", "baseline"),
            lang.t("scenario", "scenario"),
            lang.t("verschil", "difference"),
        ],
        &rows,
    ));
    // Over the years: the three numbers partners ask first, as fan charts (median and 5–95 %
    // band of the runs; a withheld year is a gap, never a zero), then as a table.
    let first = v["startjaar"].as_i64().unwrap_or(0);
    let years: Vec<String> = (first..=last).map(|y| y.to_string()).collect();
    let quantiles = |key: &str, side: &str| -> Vec<Option<(f64, f64, f64)>> {
        (first..=last)
            .map(|year| {
                let q = &regio
                    .iter()
                    .find(|r| r["indicator"] == key && r["jaar"].as_i64() == Some(year))?[side];
                Some((q["p5"].as_f64()?, q["p50"].as_f64()?, q["p95"].as_f64()?))
            })
            .collect()
    };
    s.push_str("<div class=\"fans\">");
    for (key, nl, en, unit_nl, unit_en, d) in [
        (
            "aandeel_kwetsbaar",
            "Aandeel kwetsbare huishoudens",
            "Share of vulnerable households",
            "aandeel",
            "share",
            3,
        ),
        (
            "wachttijd_kwetsbaar",
            "Wachttijd kwetsbare woningzoekenden",
            "Waiting time of vulnerable seekers",
            "jaren",
            "years",
            2,
        ),
        (
            "gem_huur",
            "Gemiddelde huur",
            "Mean rent",
            "euro per maand",
            "euro a month",
            0,
        ),
    ] {
        let fan = crate::chart::fans(
            lang,
            lang.t(nl, en),
            &years,
            &[
                crate::chart::Fan {
                    name: lang.t("basis", "baseline"),
                    values: quantiles(key, "basis"),
                    colour: "#56B4E9",
                },
                crate::chart::Fan {
                    name: lang.t("scenario", "scenario"),
                    values: quantiles(key, "scenario"),
                    colour: "#D55E00",
                },
            ],
            lang.t(unit_nl, unit_en),
            d,
        );
        let _ = write!(
            s,
            "<figure class=\"chart\" data-testid=\"waaier-{key}\"><h3>{}</h3>{fan}<figcaption>{}</figcaption></figure>",
            esc(lang.t(nl, en)),
            esc(lang.t(
                "Lijn: mediaan van de runs; vlak: 5–95 % van de runs. Een ontbrekend jaar is afgeschermd of niet berekend (geen nul).",
                "Line: median of the runs; area: 5–95 % of the runs. A missing year is withheld or not computed (not zero)."
            ))
        );
    }
    s.push_str("</div>");
    let mut rows = Vec::new();
    for year in first..=last {
        let cell = |key: &str, side: &str, d: usize| {
            regio
                .iter()
                .find(|r| r["indicator"] == key && r["jaar"].as_i64() == Some(year))
                .map(|r| band(&r[side], d))
                .unwrap_or_else(|| "—".into())
        };
        rows.push(vec![
            year.to_string(),
            cell("aandeel_kwetsbaar", "basis", 3),
            cell("aandeel_kwetsbaar", "scenario", 3),
            cell("wachttijd_kwetsbaar", "basis", 2),
            cell("wachttijd_kwetsbaar", "scenario", 2),
            cell("gem_huur", "basis", 0),
            cell("gem_huur", "scenario", 0),
        ]);
    }
    s.push_str(&html::table(
        lang.t(
            "Per jaar (mediaan [p5; p95])",
            "Per year (median [p5; p95])",
        ),
        &[
            lang.t("jaar", "year"),
            lang.t("aandeel kwetsbaar — basis", "vulnerable share — baseline"),
            lang.t("— scenario", "— scenario"),
            lang.t(
                "wachttijd kwetsbaar — basis",
                "waiting time vulnerable — baseline",
            ),
            lang.t("— scenario", "— scenario"),
            lang.t("gem. huur € — basis", "mean rent € — baseline"),
            lang.t("— scenario", "— scenario"),
        ],
        &rows,
    ));
    // buurten whose share is withheld on either side are not ranked (their place would
    // say something about the withheld number)
    let all: Vec<&Value> = v["buurten"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let withheld = all
        .iter()
        .filter(|b| b["afgeschermd"].as_object().is_some_and(|o| !o.is_empty()))
        .count();
    let mut bs: Vec<&Value> = all
        .into_iter()
        .filter(|b| b["afgeschermd"].as_object().is_none_or(|o| o.is_empty()))
        .collect();
    bs.sort_by(|x, y| {
        let d = |b: &Value| {
            b["aandeel_kwetsbaar_scenario"]["p50"]
                .as_f64()
                .unwrap_or(0.0)
                - b["aandeel_kwetsbaar_basis"]["p50"].as_f64().unwrap_or(0.0)
        };
        d(x).total_cmp(&d(y))
    });
    let rows: Vec<Vec<String>> = bs
        .iter()
        .take(8)
        .chain(bs.iter().rev().take(4))
        .map(|b| {
            vec![
                format!(
                    "<a href=\"/buurt/{}\">{}</a>",
                    crate::html::url(b["code"].as_str().unwrap_or("")),
                    esc(b["naam"].as_str().unwrap_or(""))
                ),
                band(&b["aandeel_kwetsbaar_basis"], 3),
                band(&b["aandeel_kwetsbaar_scenario"], 3),
            ]
        })
        .collect();
    s.push_str(&html::table(
        &format!(
            "{} {last}: {}",
            lang.t("Buurten", "Buurten"),
            lang.t(
                "grootste dalingen en stijgingen van het aandeel kwetsbare huishoudens",
                "largest falls and rises of the vulnerable share"
            )
        ),
        &[
            lang.t("buurt", "buurt"),
            lang.t("basis", "baseline"),
            lang.t("scenario", "scenario"),
        ],
        &rows,
    ));
    let k = v["afscherming"]["k"].as_u64().unwrap_or(10);
    let _ = write!(
        s,
        "<p class=\"note\" data-testid=\"afscherming\">{}</p>",
        match lang {
            Lang::Nl => format!(
                "Afgeschermd: {withheld} buurten met minder dan {k} gesimuleerde huishoudens (gemiddeld over de runs) staan niet in deze lijst; hun aandelen staan als null in de API."
            ),
            Lang::En => format!(
                "Withheld: {withheld} buurten with fewer than {k} simulated households (on average over the runs) are left out of this list; their shares are null in the API."
            ),
        }
    );
    for w in v["waarschuwingen"].as_array().into_iter().flatten() {
        let _ = write!(
            s,
            "<p class=\"note\">{}: {}</p>",
            lang.t("let op", "note"),
            esc(w.as_str().unwrap_or(""))
        );
    }
    let _ = write!(
        s,
        "<p class=\"note\">{}</p>",
        lang.t(
            "Kwetsbaar = de groepen in data/sim/aannames.toml (GGZ/BW/MO-uitstroom, LVB, detentie-uitstroom, statushouders, urgentie); aantallen zijn modeluitkomsten over huishoudens in de simulatie, nooit over echte personen.",
            "Vulnerable = the groups in data/sim/aannames.toml; counts are model outcomes about simulated households, never about real people."
        )
    );
    s
}

/// POST /scenarios — runs an edited scenario (TOML from the form) against `basis`.
pub async fn page_post(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Query(q): Query<HashMap<String, String>>,
    form: Result<axum::Form<EditForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let frame = |status: StatusCode, body: String| {
        (
            status,
            Html(html::page(
                lang,
                lang.t("Scenario's", "Scenarios"),
                "/scenarios",
                "",
                &st.origin,
                st.synthetic,
                &body,
            )),
        )
            .into_response()
    };
    let Ok(axum::Form(f)) = form else {
        return frame(
            StatusCode::BAD_REQUEST,
            format!(
                "<p>{}</p>",
                lang.t("Het formulier is niet compleet.", "The form is incomplete.")
            ),
        );
    };
    let runs = f.runs.unwrap_or(100);
    if let Err(m) = runs_in_range(runs) {
        return frame(StatusCode::BAD_REQUEST, format!("<p>{}</p>", esc(&m)));
    }
    match compute(
        st.clone(),
        client_of(&auth, &conn),
        f.toml.clone(),
        "basis".into(),
        runs,
        1,
    )
    .await
    {
        Ok(v) => frame(
            StatusCode::OK,
            format!(
                "<p><a href=\"/scenarios\">{}</a></p>{}",
                lang.t("← terug naar de keuze", "← back to the choice"),
                result_html(lang, &v)
            ),
        ),
        Err(fail) => {
            // Name the problem (file, line, key and fix) so the user can correct the text.
            let msg = fail.message(lang);
            frame(
                fail.response().status(),
                format!(
                    "<p>{}</p><pre>{}</pre><form method=\"post\" action=\"/scenarios\"><textarea name=\"toml\" rows=\"18\" cols=\"90\">{}</textarea><input type=\"hidden\" name=\"runs\" value=\"{runs}\"><button type=\"submit\">{}</button></form>",
                    lang.t(
                        "Dit scenario is niet geldig:",
                        "This scenario is not valid:"
                    ),
                    esc(&msg),
                    esc(&f.toml),
                    lang.t("Opnieuw", "Again")
                ),
            )
        }
    }
}

/// The scenario page (GET with a choice, POST with an edited scenario) and its API.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/scenarios", get(page).post(page_post))
        .route("/api/v1/scenarios", get(api_list))
        .route("/api/v1/scenarios/run", post(api_run))
}
