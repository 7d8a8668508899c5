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
use crate::scenario_view::result_html;
use crate::scenario_view::result_rows;
use crate::simulation::EditForm;
use crate::simulation::MAX_RUNS;
use crate::simulation::RunRequest;
use crate::simulation::client_of;
use crate::simulation::compute;
use crate::simulation::names;
use crate::simulation::runs_in_range;

pub(crate) fn check_runs(runs: usize) -> Result<(), Response> {
    runs_in_range(runs).map_err(|m| {
        problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            &m,
        )
    })
}

/// The body of a run or job request with its number of runs (default 100), or the 400 answer.
fn run_request(
    body: Result<Json<RunRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(RunRequest, usize), Response> {
    let Json(req) = body.map_err(|e| {
        problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige vraag / invalid request",
            &format!(
                "{e}; expected JSON {{\"scenario\": NAME or TOML, \"basis\"?: NAME, \"runs\"?: 1–{MAX_RUNS}, \"seed\"?: N}}"
            ),
        )
    })?;
    let runs = req.runs.unwrap_or(100);
    check_runs(runs)?;
    Ok((req, runs))
}

/// POST /api/v1/scenarios/run
pub async fn api_run(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    conn: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    body: Result<Json<RunRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let (req, runs) = match run_request(body) {
        Ok(x) => x,
        Err(r) => return r,
    };
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
    let (req, runs) = match run_request(body) {
        Ok(x) => x,
        Err(r) => return r,
    };
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
            // only the full answer: a CSV of the first runs would look final
            return match (&s.result, s.status()) {
                (Some(v), "klaar") => crate::http::csv_response(&result_rows(v), "scenario"),
                _ => problem(
                    StatusCode::CONFLICT,
                    "Nog niet klaar / not done yet",
                    &format!(
                        "{} of {} runs done ({}); the CSV holds the full answer only — ask again when status is klaar",
                        s.done,
                        s.total,
                        s.status()
                    ),
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
    // the page's script says which picture it shows (`gezien` = runs of it): while the job
    // is still at that picture, no content (the page keeps its map zoom and open tables)
    if s.status() == "bezig"
        && s.result.is_some()
        && q.get("gezien").and_then(|g| g.parse::<usize>().ok()) == Some(s.done)
    {
        return (
            StatusCode::NO_CONTENT,
            [(axum::http::header::CACHE_CONTROL, "no-store")],
        )
            .into_response();
    }
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
                    "runs klaar. Voorlopig beeld: banden en ● gelden voor de runs tot nu toe en worden scherper naarmate er meer runs klaar zijn; downloaden kan als alles klaar is.",
                    "runs done. Provisional picture: bands and ● hold for the runs so far and sharpen as more runs finish; downloads come when all are done."
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
        let csv = format!("/api/v1/scenarios/jobs/{}?format=csv", job.id);
        out.push_str(&result_html(
            &st,
            lang,
            v,
            (s.status() == "klaar").then_some(csv.as_str()),
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
    // a seed or baseline from the address goes along (with or without the script)
    let keep = format!(
        "{}{}",
        if seed != 1 {
            format!("<input type=\"hidden\" name=\"seed\" value=\"{seed}\">")
        } else {
            String::new()
        },
        if base != "basis" {
            format!(
                "<input type=\"hidden\" name=\"basis\" value=\"{}\">",
                esc(&base)
            )
        } else {
            String::new()
        }
    );
    let _ = write!(
        s,
        "<form class=\"controls\" method=\"get\" action=\"/scenarios\" data-doorrekenen>{lf}{keep}<label>{l1}<select name=\"scenario\">{opts}</select></label>\
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
    let csrf = auth
        .as_ref()
        .map(|a| crate::partner_ui::csrf_field(&a.0))
        .unwrap_or_default();
    let shown = a.as_deref().unwrap_or("spreiding");
    if let Some((_, text)) = veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .find(|(n, _)| *n == shown)
    {
        let _ = write!(
            s,
            "<details><summary>{}</summary><form method=\"post\" action=\"/scenarios{}\" data-doorrekenen>\
<label>{}<textarea name=\"toml\" rows=\"18\" cols=\"90\" spellcheck=\"false\">{}</textarea></label>\
<input type=\"hidden\" name=\"runs\" value=\"{runs}\">{csrf}<button type=\"submit\">{}</button></form></details>",
            lang.t("Scenario aanpassen (TOML)", "Edit the scenario (TOML)"),
            if lang == Lang::En { "?lang=en" } else { "" },
            lang.t("Scenariobestand", "Scenario file"),
            esc(text),
            lang.t("Doorrekenen", "Run"),
        );
    }
    if a.is_none() {
        crate::simulation::prepare_inputs(&st);
    }
    // the result: computed here for a chosen scenario (without script); with script the
    // forms fill it progressively (/assets/scenario.js)
    // (the session's CSRF token for the script's POST in --multi-user mode; never in a URL)
    let _ = write!(
        s,
        "<div id=\"resultaat\" data-csrf=\"{}\">",
        esc(auth
            .as_ref()
            .and_then(|a| a.0.csrf.as_deref())
            .unwrap_or(""))
    );
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
                    "<p>{}</p><pre>{}</pre><form method=\"post\" action=\"/scenarios\"><textarea name=\"toml\" rows=\"18\" cols=\"90\">{}</textarea><input type=\"hidden\" name=\"runs\" value=\"{runs}\">{}<button type=\"submit\">{}</button></form>",
                    lang.t(
                        "Dit scenario is niet geldig:",
                        "This scenario is not valid:"
                    ),
                    esc(&msg),
                    esc(&f.toml),
                    auth.as_ref()
                        .map(|a| crate::partner_ui::csrf_field(&a.0))
                        .unwrap_or_default(),
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
