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

/// POST /api/v1/scenarios/jobs — starts a progressive computation (same body as
/// `/api/v1/scenarios/run`); 202 with its id at once, its state at `/api/v1/scenarios/jobs/{id}`.
pub async fn api_job_start(
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
    match crate::simulation::start_job(
        st,
        client_of(&auth, &conn),
        req.scenario,
        req.basis.unwrap_or_else(|| "basis".into()),
        runs,
        req.seed.unwrap_or(1),
    ) {
        Ok(job) => {
            let mut r = crate::http::json_response(json!({
                "id": job.id,
                "status": "bezig",
                "runs": runs,
                "toestand": format!("/api/v1/scenarios/jobs/{}", job.id),
                "pagina": format!("/scenarios/berekening/{}", job.id),
            }));
            *r.status_mut() = StatusCode::ACCEPTED;
            r
        }
        Err(f) => f.response(),
    }
}

fn job_of(
    st: &AppState,
    id: &str,
    auth: &Option<axum::Extension<crate::auth::Auth>>,
    conn: &Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
) -> Result<Arc<crate::heavy::Job>, Response> {
    st.heavy.jobs.get(id, &client_of(auth, conn)).ok_or_else(|| {
        problem(
            StatusCode::NOT_FOUND,
            "Onbekende berekening / unknown job",
            "no computation with this id for you (finished ones are kept 2 minutes); start one with POST /api/v1/scenarios/jobs",
        )
    })
}

/// GET /api/v1/scenarios/jobs/{id} — the state: status (bezig, klaar, fout), runs done of
/// runs, the answer from the runs done so far (`resultaat`, the same form as
/// `/api/v1/scenarios/run`), and the seconds to the first and the full answer. Asking keeps it
/// running; nobody asking for 10 s stops it.
pub async fn api_job(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let job = match job_of(&st, &id, &auth, &conn) {
        Ok(j) => j,
        Err(r) => return r,
    };
    let s = job.state();
    match q.get("format").map(String::as_str) {
        None | Some("json") => {}
        Some("csv") => {
            return match &s.result {
                Some(v) => crate::http::csv_response(&result_rows(v), "scenario"),
                None => problem(
                    StatusCode::CONFLICT,
                    "Nog geen cijfers / no numbers yet",
                    "the first runs are not done yet; ask again in a moment",
                ),
            };
        }
        Some(other) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Ongeldige parameter / invalid parameter",
                &format!("format '{other}': use json or csv"),
            );
        }
    }
    if let Some(k) = q.keys().find(|k| *k != "format") {
        return problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            &format!("unknown parameter '{k}': this endpoint takes format (json, csv)"),
        );
    }
    crate::http::json_response(json!({
        "id": job.id,
        "status": s.status(),
        "runs_klaar": s.done,
        "runs": s.total,
        "seconden_eerste": s.first_seconds,
        "seconden": s.full_seconds,
        "fout": s.failure.as_ref().map(|f| json!({"status": f.status, "nl": f.nl, "en": f.en})),
        "resultaat": s.result.as_deref(),
    }))
}

/// The numbers of a scenario answer as CSV rows: per region indicator and year, then per buurt
/// the vulnerable share in the last year; p5, p50 and p95 of the baseline, the scenario and
/// (region) the difference; empty cells with the reason in `afgeschermd` where withheld.
fn result_rows(v: &Value) -> Vec<serde_json::Map<String, Value>> {
    let mut rows = Vec::new();
    let mut row = |soort: &str,
                   jaar: &Value,
                   indicator: &str,
                   code: &Value,
                   naam: &Value,
                   x: &Value,
                   afg: String| {
        let mut m = serde_json::Map::new();
        m.insert("soort".into(), json!(soort));
        m.insert("jaar".into(), jaar.clone());
        m.insert("indicator".into(), json!(indicator));
        m.insert("code".into(), code.clone());
        m.insert("naam".into(), naam.clone());
        for side in ["basis", "scenario", "verschil"] {
            for p in ["p5", "p50", "p95"] {
                m.insert(format!("{side}_{p}"), x[side][p].clone());
            }
        }
        m.insert("afgeschermd".into(), json!(afg));
        rows.push(m);
    };
    for r in v["regio"].as_array().into_iter().flatten() {
        row(
            "regio",
            &r["jaar"],
            r["indicator"].as_str().unwrap_or(""),
            &Value::Null,
            &Value::Null,
            r,
            r["afgeschermd"].as_str().unwrap_or("").to_string(),
        );
    }
    for b in v["buurten"].as_array().into_iter().flatten() {
        let x = json!({"basis": b["aandeel_kwetsbaar_basis"], "scenario": b["aandeel_kwetsbaar_scenario"]});
        let afg = b["afgeschermd"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, w)| format!("{k}: {}", w.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        row(
            "buurt",
            &b["jaar"],
            "aandeel_kwetsbaar",
            &b["code"],
            &b["naam"],
            &x,
            afg,
        );
    }
    rows
}

/// DELETE /api/v1/scenarios/jobs/{id} — stops it (204).
pub async fn api_job_stop(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    match job_of(&st, &id, &auth, &conn) {
        Ok(job) => {
            job.fail(crate::simulation::Failure::Stopped.job_failure());
            StatusCode::NO_CONTENT.into_response()
        }
        Err(r) => r,
    }
}

/// GET /scenarios/berekening/{id}?lang= — the result block of the page for a progressive
/// computation so far (progress, then the charts and tables of the runs done): the piece the
/// page's script puts in place every fraction of a second. Its root carries `data-status`.
pub async fn job_fragment(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let job = match job_of(&st, &id, &auth, &conn) {
        Ok(j) => j,
        Err(r) => return r,
    };
    let s = job.state();
    let mut out = format!(
        "<div class=\"berekening\" data-status=\"{}\" data-runs-klaar=\"{}\" data-runs=\"{}\">",
        s.status(),
        s.done,
        s.total
    );
    match (&s.failure, s.status()) {
        (Some(f), _) => {
            let _ = write!(
                out,
                "<p class=\"fout\" role=\"alert\">{}</p>",
                esc(if lang == Lang::En { &f.en } else { &f.nl })
            );
        }
        (None, "bezig") => {
            let _ = write!(
                out,
                "<p class=\"voortgang\" role=\"status\"><progress value=\"{}\" max=\"{}\"></progress> {} {} {} {}</p>",
                s.done,
                s.total,
                s.done,
                lang.t("van", "of"),
                s.total,
                lang.t(
                    "runs klaar; het beeld wordt scherper naarmate er meer runs klaar zijn.",
                    "runs done; the picture sharpens as more runs finish."
                )
            );
        }
        _ => {
            let _ = write!(
                out,
                "<p class=\"voortgang\" role=\"status\">{} {} {} ({} {} s, {} {} s).</p>",
                lang.t("Klaar:", "Done:"),
                s.total,
                lang.t("runs", "runs"),
                lang.t("eerste beeld na", "first picture after"),
                num(lang, s.first_seconds, 2),
                lang.t("alles na", "all after"),
                num(lang, s.full_seconds, 2),
            );
        }
    }
    if let Some(v) = &s.result {
        out.push_str(&result_html(
            &st,
            lang,
            v,
            Some(&format!("/api/v1/scenarios/jobs/{}?format=csv", job.id)),
        ));
    }
    out.push_str("</div>");
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response()
}

/// GET /assets/scenario.js — the scenario page's "Doorrekenen" without leaving the page.
pub async fn script() -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// The page's script: on "Doorrekenen" it starts a progressive computation and puts its
/// result block in place until it is done (without a script the form asks for the page with
/// the full result, which takes the whole run time).
const SCRIPT: &str = include_str!("scenario.js");

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
        "<form class=\"controls\" method=\"get\" action=\"/scenarios\" data-doorrekenen>{lf}<label>{l1}<select name=\"scenario\">{opts}</select></label>\
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
            "<details><summary>{}</summary><form method=\"post\" action=\"/scenarios{}\" data-doorrekenen>\
<label>{}<textarea name=\"toml\" rows=\"18\" cols=\"90\" spellcheck=\"false\">{}</textarea></label>\
<input type=\"hidden\" name=\"runs\" value=\"{runs}\"><button type=\"submit\">{}</button></form></details>",
            lang.t("Scenario aanpassen (TOML)", "Edit the scenario (TOML)"),
            if lang == Lang::En { "?lang=en" } else { "" },
            lang.t("Scenariobestand", "Scenario file"),
            esc(text),
            lang.t("Doorrekenen", "Run"),
        );
    }
    // the result: computed here for a chosen scenario (without script); with script the
    // forms fill it progressively (/assets/scenario.js)
    s.push_str("<div id=\"resultaat\">");
    if let Some(a) = a {
        match compute(st.clone(), client_of(&auth, &conn), a, base, runs, seed).await {
            Err(f) => {
                status = f.response().status();
                let _ = write!(s, "<p class=\"fout\">{}</p>", esc(&f.message(lang)));
            }
            Ok(v) => s.push_str(&result_html(&st, lang, &v, None)),
        }
    }
    s.push_str("</div><script src=\"/assets/map.js\" defer></script><script src=\"/assets/scenario.js\" defer></script>");
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

/// The result block of a scenario answer; `csv`: where its numbers are as CSV (a progressive
/// computation's), if anywhere.
pub(crate) fn result_html(st: &AppState, lang: Lang, v: &Value, csv: Option<&str>) -> String {
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
            "<figure class=\"chart\" data-testid=\"waaier-{key}\"><h3>{}</h3>{fan}<figcaption>{}</figcaption>{}</figure>",
            esc(lang.t(nl, en)),
            esc(lang.t(
                "Lijn: mediaan van de runs; vlak: 5–95 % van de runs. Een ontbrekend jaar is afgeschermd of niet berekend (geen nul).",
                "Line: median of the runs; area: 5–95 % of the runs. A missing year is withheld or not computed (not zero)."
            )),
            crate::chart::downloads(lang, &format!("waaier-{key}"), csv)
        );
    }
    s.push_str("</div>");
    s.push_str(&difference_map(st, lang, v, last, csv));
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

/// Classes of the map of differences (percentage points of the vulnerable share, scenario
/// minus baseline): fixed breaks, so maps of two scenarios compare.
const DIFF_BREAKS: [f64; 4] = [-2.0, -0.5, 0.5, 2.0];

/// ColorBrewer PuOr (5 classes, colour-blind safe): lower purple, higher orange, about the
/// same light grey; neither side means good or bad.
const DIFF_COLOURS: [&str; 5] = ["#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101"];

/// The map of the per-buurt difference in the last year (median of scenario minus median of
/// the baseline, in percentage points), on the buurt shapes of the served data; a buurt whose
/// figure is withheld on either side is hatched, never coloured as no change. Empty when the
/// served data have no shapes for the simulated buurten.
fn difference_map(st: &AppState, lang: Lang, v: &Value, last: i64, csv: Option<&str>) -> String {
    let Some(ed) = st
        .editions(veerkracht_dataset::Level::Buurt)
        .last()
        .and_then(|e| st.ds.edition(*e))
    else {
        return String::new();
    };
    let mut shapes = Vec::new();
    let mut rows = Vec::new();
    let (mut withheld, mut drawn) = (0usize, 0usize);
    for b in v["buurten"].as_array().into_iter().flatten() {
        let code = b["code"].as_str().unwrap_or("");
        let name = b["naam"].as_str().unwrap_or("");
        let Some(g) = veerkracht_dataset::AreaCode::parse(code)
            .ok()
            .and_then(|c| ed.geometry(&c))
        else {
            continue;
        };
        let diff = match (
            b["aandeel_kwetsbaar_scenario"]["p50"].as_f64(),
            b["aandeel_kwetsbaar_basis"]["p50"].as_f64(),
        ) {
            (Some(x), Some(y)) if b["afgeschermd"].as_object().is_none_or(|o| o.is_empty()) => {
                Some((x - y) * 100.0)
            }
            _ => None,
        };
        let (fill, txt) = match diff {
            Some(d) => {
                drawn += 1;
                (
                    DIFF_COLOURS[crate::map::class_of(d, &DIFF_BREAKS)],
                    format!(
                        "{} {}",
                        num(lang, Some(d), 1),
                        lang.t("procentpunt", "percentage points")
                    ),
                )
            }
            None => {
                withheld += 1;
                (
                    html::NOT_SCORED,
                    lang.t(
                        "afgeschermd (minder dan k gesimuleerde huishoudens)",
                        "withheld (fewer than k simulated households)",
                    )
                    .to_string(),
                )
            }
        };
        rows.push(vec![
            format!("<a href=\"/buurt/{}\">{}</a>", html::url(code), esc(name)),
            match diff {
                Some(d) => num(lang, Some(d), 1),
                None => lang.t("afgeschermd", "withheld").to_string(),
            },
        ]);
        shapes.push(crate::map::Shape {
            code: code.to_string(),
            label: format!("{name} ({code}): {txt}"),
            fill,
            geometry: g,
        });
    }
    if shapes.is_empty() {
        return String::new();
    }
    let title = format!(
        "{} {last}",
        lang.t(
            "Verschil in aandeel kwetsbare huishoudens per buurt (scenario − basis, mediaan), procentpunt,",
            "Difference in the share of vulnerable households per buurt (scenario − baseline, median), percentage points,"
        )
    );
    let pp = |x: f64| num(lang, Some(x), 1);
    let legend: Vec<(&str, String)> = vec![
        (DIFF_COLOURS[0], format!("< {}", pp(DIFF_BREAKS[0]))),
        (
            DIFF_COLOURS[1],
            format!("{} – {}", pp(DIFF_BREAKS[0]), pp(DIFF_BREAKS[1])),
        ),
        (
            DIFF_COLOURS[2],
            format!(
                "{} – {} ({})",
                pp(DIFF_BREAKS[1]),
                pp(DIFF_BREAKS[2]),
                lang.t("ongeveer gelijk", "about the same")
            ),
        ),
        (
            DIFF_COLOURS[3],
            format!("{} – {}", pp(DIFF_BREAKS[2]), pp(DIFF_BREAKS[3])),
        ),
        (DIFF_COLOURS[4], format!("≥ {}", pp(DIFF_BREAKS[3]))),
        (
            html::NOT_SCORED,
            lang.t("afgeschermd", "withheld").to_string(),
        ),
    ];
    format!(
        "<figure class=\"chart kaart-verschil\" data-testid=\"verschilkaart\" data-getekend=\"{drawn}\" data-afgeschermd=\"{withheld}\"><h3>{}</h3><div class=\"map-wrap\">{}</div>{}<figcaption>{}</figcaption>{}{}</figure>",
        esc(&title),
        crate::map::svg_view(&shapes, &[], None, &title, "", lang.t("Kaart zoomen", "Zoom the map")),
        crate::map::legend(&legend),
        esc(lang.t(
            "Vaste klassen, zodat kaarten van twee scenario's te vergelijken zijn. Gearceerd: het cijfer rust aan een van beide kanten gemiddeld op minder dan k gesimuleerde huishoudens en is afgeschermd (geen nul).",
            "Fixed classes, so maps of two scenarios compare. Hatched: the figure rests on fewer than k simulated households on either side and is withheld (not zero)."
        )),
        crate::chart::numbers(
            lang,
            Some(rows.len()),
            &html::table(&title, &[lang.t("buurt", "buurt"), lang.t("verschil (procentpunt)", "difference (percentage points)")], &rows),
        ),
        crate::chart::downloads(lang, "verschilkaart", csv),
    )
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
                result_html(&st, lang, &v, None)
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
        .route("/api/v1/scenarios/jobs", post(api_job_start))
        .route(
            "/api/v1/scenarios/jobs/{id}",
            get(api_job).delete(api_job_stop),
        )
        .route("/scenarios/berekening/{id}", get(job_fragment))
        .route("/assets/scenario.js", get(script))
}
