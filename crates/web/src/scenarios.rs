//! *Scenario's*: run a policy scenario of the allocation simulation (veerkracht-sim) against a
//! baseline, with Monte Carlo bands, in the browser or through `POST /api/v1/scenarios/run`.
//! Both run with the same seed and number of runs (common random numbers), so the difference
//! per run isolates the policy.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use veerkracht_sim::afscherming::{Afscherming, Voorraad, afscherming};
use veerkracht_sim::{Comparison, Inputs, Model, Quantiles, Results, Scenario};

use crate::AppState;
use crate::api::problem;
use crate::html::{self, Lang, esc, num};

/// Most Monte Carlo runs one request may ask for.
pub const MAX_RUNS: usize = 500;
pub use crate::heavy::MAX_SECONDS;

/// Region indicators shown, with Dutch and English labels and decimals.
const KERN: [(&str, &str, &str, usize); 9] = [
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

/// A scenario by shipped name or as TOML text.
fn scenario(name_or_toml: &str) -> Result<Scenario, String> {
    if let Some((n, text)) = veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .find(|(n, _)| *n == name_or_toml)
    {
        return Scenario::parse(text, &format!("data/sim/scenarios/{n}.toml"))
            .map_err(|e| e.to_string());
    }
    if name_or_toml.contains('=') || name_or_toml.contains('[') {
        return Scenario::parse(name_or_toml, "scenario (request)").map_err(|e| e.to_string());
    }
    Err(format!(
        "unknown scenario '{name_or_toml}': use one of {} or give the TOML text",
        names().join(", ")
    ))
}

fn names() -> Vec<&'static str> {
    veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .map(|(n, _)| *n)
        .collect()
}

/// Runs a scenario and its baseline (same seed and runs), with which per-buurt figures of
/// each may be published (`voorraad`: the rent mix of the served stock, see
/// `veerkracht_sim::afscherming`).
/// The demo region's simulation inputs (generated once per process).
fn demo_inputs() -> &'static Inputs {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    INPUTS.get_or_init(|| {
        let (v, k) = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files();
        Inputs::with_embedded_rules(v, k)
    })
}

/// Why a scenario request was not answered with results.
#[derive(Debug)]
pub enum Failure {
    /// the scenario or the request is not valid (422)
    Invalid(String),
    /// the runs would exceed the server's budget (422, says which and how to shrink them)
    TooLarge(String),
    /// the client already has its heavy requests running (429)
    Busy,
    /// the time limit (seconds) passed; the runs were stopped (503)
    TooLong(u64),
    /// the runs were stopped (the request ended)
    Stopped,
    /// a worker thread failed (500)
    Internal,
}

impl Failure {
    /// The problem-details answer.
    pub fn response(&self) -> Response {
        match self {
            Failure::Invalid(e) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Ongeldig scenario / invalid scenario",
                e,
            ),
            Failure::TooLarge(e) => {
                problem(StatusCode::UNPROCESSABLE_ENTITY, "Te groot / too large", e)
            }
            Failure::Busy => {
                let mut r = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Bezig / busy",
                    "your earlier simulations are still running; wait for them (or let them time out) and ask again",
                );
                r.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("10"),
                );
                r
            }
            Failure::TooLong(secs) => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Te lang / too long",
                &format!(
                    "the run took more than {secs} s and was stopped; ask for fewer runs or years"
                ),
            ),
            Failure::Stopped => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Gestopt / stopped",
                "the run was stopped before it finished",
            ),
            Failure::Internal => problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Interne fout / internal error",
                "the simulation failed",
            ),
        }
    }

    /// The message for a page.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Failure::Invalid(e) | Failure::TooLarge(e) => e.clone(),
            Failure::Busy => lang
                .t(
                    "Uw eerdere berekeningen lopen nog; wacht tot ze klaar zijn en probeer het opnieuw.",
                    "Your earlier simulations are still running; wait for them and try again.",
                )
                .into(),
            Failure::TooLong(secs) => format!(
                "{} ({secs} s)",
                lang.t(
                    "De berekening duurde te lang en is gestopt; kies minder runs of jaren.",
                    "The run took too long and was stopped; choose fewer runs or years."
                )
            ),
            Failure::Stopped => lang
                .t("De berekening is gestopt.", "The run was stopped.")
                .into(),
            Failure::Internal => lang
                .t(
                    "Dit scenario kon niet worden doorgerekend.",
                    "This scenario could not be run.",
                )
                .into(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run_pair(
    a: &str,
    base: &str,
    runs: usize,
    seed: u64,
    privacy: &veerkracht_privacy::Options,
    voorraad: Option<&Voorraad>,
    budget: &veerkracht_sim::Budget,
    stop: &veerkracht_sim::Stop,
) -> Result<Pair, Failure> {
    let (sa, sb) = (
        scenario(a).map_err(Failure::Invalid)?,
        scenario(base).map_err(Failure::Invalid)?,
    );
    for s in [&sa, &sb] {
        let i = &s.invoer;
        let d = veerkracht_sim::scenario::Invoer::default();
        if i.voorraad != d.voorraad
            || i.kwb != d.kwb
            || i.aannames != d.aannames
            || i.regels != d.regels
        {
            return Err(Failure::Invalid(format!(
                "scenario '{}' names files in [invoer] (voorraad, kwb, aannames or regels); the dashboard runs the shipped demo inputs and reads no files — remove those keys, or use `veerkracht simulate` for files",
                s.naam
            )));
        }
    }
    let inp = demo_inputs();
    let omschrijving = sa.omschrijving.clone();
    let ma = Model::build(sa, inp, seed).map_err(|e| Failure::Invalid(e.to_string()))?;
    let mb = Model::build(sb, inp, seed).map_err(|e| Failure::Invalid(e.to_string()))?;
    let mut warnings = ma.warnings.clone();
    warnings.extend(mb.warnings.iter().cloned());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // what both runs will cost, known before either starts
    let need = veerkracht_sim::estimate(&ma, runs, threads, false)
        .plus(veerkracht_sim::estimate(&mb, runs, threads, false));
    budget
        .check(
            &need,
            &format!("scenario '{}' with its baseline", ma.scenario.naam),
        )
        .map_err(|e| Failure::TooLarge(e.to_string()))?;
    let ra = veerkracht_sim::simulate_stoppable(&ma, runs, seed, threads, &|| {}, stop)
        .map_err(|_| Failure::Stopped)?;
    let rb = veerkracht_sim::simulate_stoppable(&mb, runs, seed, threads, &|| {}, stop)
        .map_err(|_| Failure::Stopped)?;
    let fa = afscherming(&ra, privacy, voorraad);
    let fb = afscherming(&rb, privacy, voorraad);
    Ok(Pair {
        a: (ra, fa),
        b: (rb, fb),
        omschrijving,
        warnings,
    })
}

/// A scenario (a) and its baseline (b), each with its suppression.
struct Pair {
    a: (Results, Afscherming),
    b: (Results, Afscherming),
    omschrijving: String,
    warnings: Vec<String>,
}

fn q_json(q: &Quantiles) -> Value {
    let f = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    json!({"p5": f(q.p5), "p50": f(q.p50), "p95": f(q.p95)})
}

/// The comparison as JSON: region indicators per year (A, baseline, difference B − A with its
/// band), and per buurt the vulnerable share in the last year (null with the reason in
/// `afgeschermd` when it rests on fewer than k simulated households).
fn result_json(p: &Pair) -> Value {
    let ((ra, fa), (rb, fb)) = (&p.a, &p.b);
    let cmp = Comparison { a: rb, b: ra }; // difference = scenario − baseline
    // a region figure is withheld only when the region itself rests on fewer than k
    let regio_withheld = |r: &Results, f: &Afscherming, jaar: i32, ind: &str| {
        let y = usize::try_from(jaar - r.startjaar).ok()?;
        f.regio(y, r.regio_index(ind)?)
    };
    let rows: Vec<Value> = cmp
        .rows()
        .into_iter()
        .filter(|v| v.code == "regio")
        .map(|v| {
            match regio_withheld(ra, fa, v.jaar, &v.indicator)
                .or_else(|| regio_withheld(rb, fb, v.jaar, &v.indicator))
            {
                None => json!({"jaar": v.jaar, "indicator": v.indicator, "basis": q_json(&v.a), "scenario": q_json(&v.b),
                   "verschil": q_json(&v.verschil), "zeker": v.zeker()}),
                Some(w) => json!({"jaar": v.jaar, "indicator": v.indicator, "basis": Value::Null, "scenario": Value::Null,
                   "verschil": Value::Null, "zeker": Value::Null, "afgeschermd": w.code()}),
            }
        })
        .collect();
    let last = ra.jaren.saturating_sub(1);
    let buurten: Vec<Value> = match (
        ra.buurt_index("aandeel_kwetsbaar"),
        rb.buurt_index("aandeel_kwetsbaar"),
    ) {
        (Some(ka), Some(kb)) if ra.per_buurt() && rb.per_buurt() && ra.buurten == rb.buurten => ra
            .buurten
            .iter()
            .enumerate()
            .map(|(b, (code, naam))| {
                let side = |r: &Results, f: &Afscherming, k: usize| match f.buurt(last, b, k) {
                    None => (q_json(&r.buurt_q(last, b, k)), None),
                    Some(w) => (Value::Null, Some(w.code())),
                };
                let (scen, ws) = side(ra, fa, ka);
                let (basis, wb) = side(rb, fb, kb);
                let mut afg = serde_json::Map::new();
                if let Some(w) = ws {
                    afg.insert("aandeel_kwetsbaar_scenario".into(), json!(w));
                }
                if let Some(w) = wb {
                    afg.insert("aandeel_kwetsbaar_basis".into(), json!(w));
                }
                json!({"code": code, "naam": naam, "jaar": ra.startjaar + last as i32,
                       "aandeel_kwetsbaar_scenario": scen,
                       "aandeel_kwetsbaar_basis": basis,
                       "afgeschermd": afg})
            })
            .collect(),
        _ => Vec::new(),
    };
    json!({
        "scenario": ra.scenario, "basis": rb.scenario, "omschrijving": p.omschrijving,
        "runs": ra.runs.len(), "seed": ra.seed, "startjaar": ra.startjaar, "jaren": ra.jaren,
        "invoer": "demoregio Veerstad (synthetische demodata)",
        "afscherming": {
            "k": fa.options.k,
            "uitleg": format!(
                "Een cijfer per buurt dat gemiddeld over de runs op minder dan {k} gesimuleerde huishoudens rust, is afgeschermd (null, reden in afgeschermd); regiocijfers niet.",
                k = fa.options.k
            ),
        },
        "regio": rows, "buurten": buurten, "waarschuwingen": p.warnings,
    })
}

/// Runs a scenario against a baseline for one client (see [`crate::heavy`]): at most its
/// share of heavy requests at once, within the server's budget, stopped when the time limit
/// passes or the request ends (the future is dropped: the stop is set, the runs end within a
/// simulated year, and only then is the client's permit returned).
async fn compute(
    st: Arc<AppState>,
    client: String,
    a: String,
    base: String,
    runs: usize,
    seed: u64,
) -> Result<Value, Failure> {
    let Some(mut permit) = st.heavy.admit(&client) else {
        return Err(Failure::Busy);
    };
    let stop = Arc::new(veerkracht_sim::Stop::new());
    let _stop_on_drop = crate::heavy::StopOnDrop(stop.clone());
    let secs = st.heavy.limits.seconds;
    let work = async move {
        permit.slot().await;
        tokio::task::spawn_blocking(move || {
            // held until the work has stopped, so that hanging up frees nothing early
            let _permit = permit;
            // the served rent mix of the same stock pins the simulation's dwelling counts
            let voorraad = st
                .stock
                .as_ref()
                .map(|_| veerkracht_huurmix::segment_pins(&st.rent_mix(), &st.published_mix()));
            let budget = st.heavy.limits.budget;
            run_pair(
                &a,
                &base,
                runs,
                seed,
                &st.privacy,
                voorraad.as_ref(),
                &budget,
                &stop,
            )
            .map(|p| result_json(&p))
        })
        .await
    };
    match tokio::time::timeout(Duration::from_secs(secs), work).await {
        Err(_) => Err(Failure::TooLong(secs)),
        Ok(Err(_)) => Err(Failure::Internal),
        Ok(Ok(r)) => r,
    }
}

/// Who a heavy request counts against: the user in `--multi-user` mode, else the client's
/// address.
fn client_of(
    auth: &Option<axum::Extension<crate::workspace::Auth>>,
    conn: &Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
) -> String {
    match (auth, conn) {
        (Some(a), _) => format!("user:{}", a.0.actor.user.id),
        (None, Some(c)) => format!("addr:{}", c.0.0.ip()),
        (None, None) => "addr:unknown".into(),
    }
}

/// The body of `POST /api/v1/scenarios/run`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// A shipped scenario's name or the TOML text of one.
    pub scenario: String,
    /// The baseline (default `basis`).
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub runs: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
}

/// What `POST /api/v1/scenarios/run` checks before it runs anything (its 400 and 422
/// answers): runs within 1–[`MAX_RUNS`], the scenario and the baseline shipped names or
/// valid TOML. Also what the fuzz target `api_run_body` calls.
pub fn check_request(req: &RunRequest) -> Result<(), String> {
    runs_in_range(req.runs.unwrap_or(100))?;
    scenario(&req.scenario)?;
    scenario(req.basis.as_deref().unwrap_or("basis"))?;
    Ok(())
}

/// What `POST /scenarios` checks before it runs the edited scenario (its 400 and 422
/// answers). Also what the fuzz target `api_edit_form` calls.
pub fn check_form(f: &EditForm) -> Result<(), String> {
    runs_in_range(f.runs.unwrap_or(100))?;
    scenario(&f.toml).map(|_| ())
}

/// The one rule for the number of runs a request may ask for.
fn runs_in_range(runs: usize) -> Result<(), String> {
    if runs == 0 || runs > MAX_RUNS {
        return Err(format!("runs must be between 1 and {MAX_RUNS}"));
    }
    Ok(())
}

fn check_runs(runs: usize) -> Result<(), Response> {
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
    auth: Option<axum::Extension<crate::workspace::Auth>>,
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
        Ok(v) => crate::api::json_response(v),
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
    crate::api::json_response(json!({"scenarios": list}))
}

/// GET /scenarios?scenario=&basis=&runs=&seed=
pub async fn page(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::workspace::Auth>>,
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

fn result_html(lang: Lang, v: &Value) -> String {
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
    // Over the years: the three numbers partners ask first.
    let mut rows = Vec::new();
    let first = v["startjaar"].as_i64().unwrap_or(0);
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

/// The form of the edit box.
#[derive(Deserialize)]
pub struct EditForm {
    pub toml: String,
    #[serde(default)]
    pub runs: Option<usize>,
}

/// POST /scenarios — runs an edited scenario (TOML from the form) against `basis`.
pub async fn page_post(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::workspace::Auth>>,
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

/// Runs for a scenario shared into a buurt plan.
pub const PLAN_RUNS: usize = 50;

/// A shipped scenario against `basis` for one buurt (common random numbers, [`PLAN_RUNS`]
/// runs, seed 1, so the same request gives the same numbers): every buurt indicator in the
/// last simulated year with the baseline, the scenario and the difference (p5, p50, p95).
/// This is the aggregate a corporation shares into a plan, so it passes through the same
/// suppression as `/scenarios` (with [`AppState::privacy`]): a figure that rests on fewer
/// than k simulated households, dwellings or lettings on either side is `null`, with the
/// reason in `afgeschermd`.
pub fn buurt_comparison(st: &AppState, name: &str, buurt: &str) -> Result<Value, String> {
    if name == "basis"
        || !veerkracht_sim::DEMO_SCENARIOS
            .iter()
            .any(|(n, _)| *n == name)
    {
        return Err(format!(
            "unknown scenario '{}': use one of {}",
            veerkracht_partners::model::clip(name, 40),
            names()
                .into_iter()
                .filter(|n| *n != "basis")
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let voorraad = st
        .stock
        .as_ref()
        .map(|_| veerkracht_huurmix::segment_pins(&st.rent_mix(), &st.published_mix()));
    // a shipped scenario at PLAN_RUNS runs: within every budget; nobody stops it early
    let p = run_pair(
        name,
        "basis",
        PLAN_RUNS,
        1,
        &st.privacy,
        voorraad.as_ref(),
        &st.heavy.limits.budget,
        &veerkracht_sim::Stop::new(),
    )
    .map_err(|f| f.message(crate::html::Lang::En))?;
    let ((ra, fa), (rb, fb)) = (&p.a, &p.b);
    let last = ra.startjaar + ra.jaren.saturating_sub(1) as i32;
    let y = ra.jaren.saturating_sub(1);
    let b = ra.buurten.iter().position(|(c, _)| c == buurt);
    let withheld = |ind: &str| {
        let b = b?;
        fa.buurt(y, b, ra.buurt_index(ind)?)
            .or_else(|| fb.buurt(y, b, rb.buurt_index(ind)?))
    };
    let cmp = Comparison { a: rb, b: ra };
    let rows: Vec<Value> = cmp
        .rows()
        .into_iter()
        .filter(|v| v.code == buurt && v.jaar == last)
        .map(|v| match withheld(&v.indicator) {
            None => {
                json!({"indicator": v.indicator, "basis": q_json(&v.a), "scenario": q_json(&v.b),
                   "verschil": q_json(&v.verschil), "zeker": v.zeker()})
            }
            Some(w) => {
                json!({"indicator": v.indicator, "basis": Value::Null, "scenario": Value::Null,
                   "verschil": Value::Null, "zeker": Value::Null, "afgeschermd": w.code()})
            }
        })
        .collect();
    if rows.is_empty() {
        return Err(format!("the simulation has no results for buurt {buurt}"));
    }
    Ok(json!({
        "soort": "scenario", "scenario": name, "basis": "basis", "omschrijving": p.omschrijving,
        "runs": PLAN_RUNS, "seed": 1, "jaar": last, "buurt": buurt,
        "invoer": "demoregio Veerstad (synthetische demodata)",
        "afscherming": {
            "k": st.privacy.k,
            "uitleg": format!(
                "Een cijfer dat gemiddeld over de runs op minder dan {k} gesimuleerde huishoudens, woningen of verhuringen van de buurt rust, is afgeschermd (null, reden in afgeschermd), net als op /scenarios.",
                k = st.privacy.k
            ),
        },
        "rijen": rows,
    }))
}
