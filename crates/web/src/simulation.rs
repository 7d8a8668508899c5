//! Scenario runs for the routes: a policy scenario of the allocation simulation
//! (veerkracht-sim) against a baseline, with Monte Carlo bands. Both run with the same seed and
//! number of runs (common random numbers), so the difference per run isolates the policy.
//! Every run is checked against the budget first and stopped when its request ends
//! ([`crate::heavy`]); per-buurt figures pass the suppression of `veerkracht_sim::afscherming`.
//! The scenario page and API (`routes::scenarios`) and a scenario shared into a buurt plan
//! ([`buurt_comparison`]) call it.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use serde_json::json;
use veerkracht_sim::Comparison;
use veerkracht_sim::Inputs;
use veerkracht_sim::Model;
use veerkracht_sim::Quantiles;
use veerkracht_sim::Results;
use veerkracht_sim::Scenario;
use veerkracht_sim::afscherming::Afscherming;
use veerkracht_sim::afscherming::SegmentPins;
use veerkracht_sim::afscherming::afscherming;

use crate::AppState;
pub use crate::heavy::MAX_SECONDS;
use crate::html::Lang;
use crate::http::problem;

/// Most Monte Carlo runs one request may ask for.
pub const MAX_RUNS: usize = 500;

/// A scenario by shipped name or as TOML text.
pub(crate) fn scenario(name_or_toml: &str) -> Result<Scenario, String> {
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

pub(crate) fn names() -> Vec<&'static str> {
    veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .map(|(n, _)| *n)
        .collect()
}

/// Runs a scenario and its baseline (same seed and runs), with which per-buurt figures of
/// each may be published (`voorraad`: the rent mix of the served stock, see
/// `veerkracht_sim::afscherming`).
/// The demo region's simulation inputs (generated once per process).
pub(crate) fn demo_inputs() -> &'static Inputs {
    DEMO_INPUTS.get_or_init(|| {
        let (v, k) = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files();
        Inputs::with_embedded_rules(v, k)
    })
}

static DEMO_INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();

/// Starts making what a first scenario run needs and later ones find ready, in the
/// background: the demo region's simulation inputs and, with a stock, its published rent
/// mix (the pins of [`AppState::segment_pins`]: valuing the stock with every what-if and the
/// joint suppression), together ~3 s of CPU on the demo region. The scenario page calls this
/// when it is opened, so that its first "Doorrekenen" seconds later shows its picture at once;
/// a server whose scenario page is never opened never pays for them.
pub(crate) fn prepare_inputs(st: &Arc<AppState>) {
    let ready = DEMO_INPUTS.get().is_some() && (st.stock.is_none() || st.published_ready());
    if !ready {
        let st = st.clone();
        tokio::task::spawn_blocking(move || {
            demo_inputs();
            st.segment_pins();
        });
    }
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

    /// As the failure of a progressive computation (status and both messages).
    pub fn job_failure(&self) -> crate::heavy::JobFailure {
        crate::heavy::JobFailure {
            status: self.response().status().as_u16(),
            nl: self.message(Lang::Nl),
            en: self.message(Lang::En),
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

/// A scenario and its baseline, built and checked against the budget, ready to run.
pub(crate) struct Prepared {
    a: Model,
    b: Model,
    omschrijving: String,
    warnings: Vec<String>,
}

/// Builds a scenario `a` and its baseline `base` for `runs` runs with `seed` and checks what
/// both will cost against `budget` before either starts.
pub(crate) fn prepare(
    a: &str,
    base: &str,
    runs: usize,
    seed: u64,
    budget: &veerkracht_sim::Budget,
) -> Result<Prepared, Failure> {
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
    // what both runs will cost, known before either starts
    let need = veerkracht_sim::estimate(&ma, runs, threads(), false)
        .plus(veerkracht_sim::estimate(&mb, runs, threads(), false));
    budget
        .check(
            &need,
            &format!("scenario '{}' with its baseline", ma.scenario.naam),
        )
        .map_err(|e| Failure::TooLarge(e.to_string()))?;
    Ok(Prepared {
        a: ma,
        b: mb,
        omschrijving,
        warnings,
    })
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl Prepared {
    /// Runs `runs` (a range of run numbers) of the scenario and of the baseline.
    fn simulate(
        &self,
        runs: std::ops::Range<usize>,
        seed: u64,
        stop: &veerkracht_sim::Stop,
    ) -> Result<(Results, Results), Failure> {
        let ra = veerkracht_sim::simulate_runs_stoppable(
            &self.a,
            runs.clone(),
            seed,
            threads(),
            &|| {},
            stop,
        )
        .map_err(|_| Failure::Stopped)?;
        let rb =
            veerkracht_sim::simulate_runs_stoppable(&self.b, runs, seed, threads(), &|| {}, stop)
                .map_err(|_| Failure::Stopped)?;
        Ok((ra, rb))
    }

    /// The pair from the results so far, with their suppression.
    fn pair(
        &self,
        ra: Results,
        rb: Results,
        privacy: &veerkracht_privacy::Options,
        voorraad: Option<&SegmentPins>,
    ) -> Pair {
        // the two audits side by side (each solves linear programs per year)
        let (fa, fb) = std::thread::scope(|scope| {
            let fb = scope.spawn(|| afscherming(&rb, privacy, voorraad));
            let fa = afscherming(&ra, privacy, voorraad);
            (fa, fb.join())
        });
        let fb = fb.unwrap_or_else(|e| std::panic::resume_unwind(e));
        Pair {
            a: (ra, fa),
            b: (rb, fb),
            omschrijving: self.omschrijving.clone(),
            warnings: self.warnings.clone(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn run_pair(
    a: &str,
    base: &str,
    runs: usize,
    seed: u64,
    privacy: &veerkracht_privacy::Options,
    voorraad: Option<&SegmentPins>,
    budget: &veerkracht_sim::Budget,
    stop: &veerkracht_sim::Stop,
) -> Result<Pair, Failure> {
    let p = prepare(a, base, runs, seed, budget)?;
    let (ra, rb) = p.simulate(0..runs, seed, stop)?;
    Ok(p.pair(ra, rb, privacy, voorraad))
}

/// A scenario (a) and its baseline (b), each with its suppression.
pub(crate) struct Pair {
    a: (Results, Afscherming),
    b: (Results, Afscherming),
    omschrijving: String,
    warnings: Vec<String>,
}

/// Runs of the first picture of a progressive computation; the later pictures come after a
/// quarter, half and all of the runs asked for.
pub const FIRST_RUNS: usize = 4;

/// The run counts after each part of a progressive computation of `runs` runs: 4, a quarter,
/// half, all (each picture passes the privacy audit of both sides, about 0.1 s on the demo
/// region, so a few pictures and not one per doubling).
pub fn parts(runs: usize) -> Vec<usize> {
    let mut out = vec![FIRST_RUNS.min(runs)];
    for n in [runs / 4, runs / 2, runs] {
        if n > *out.last().unwrap_or(&0) {
            out.push(n);
        }
    }
    out
}

/// Starts a progressive computation of a scenario against a baseline for one client (see
/// [`crate::heavy::Job`]): it answers at once with the job, whose state shows the picture from
/// the first [`FIRST_RUNS`] runs within a second on the demo region and is refined at a
/// quarter, half and all runs ([`parts`]). Once all runs are done its answer is byte for
/// byte what [`compute`] gives for the same runs and seed. Refused like [`compute`] (invalid,
/// busy); too large shows as the job's failure.
pub(crate) fn start_job(
    st: Arc<AppState>,
    client: String,
    a: String,
    base: String,
    runs: usize,
    seed: u64,
) -> Result<Arc<crate::heavy::Job>, Failure> {
    scenario(&a).map_err(Failure::Invalid)?;
    scenario(&base).map_err(Failure::Invalid)?;
    runs_in_range(runs).map_err(Failure::Invalid)?;
    let Some(mut permit) = st.heavy.admit(&client) else {
        return Err(Failure::Busy);
    };
    let job = st.heavy.jobs.create(&client, runs);
    let secs = st.heavy.limits.seconds;
    // the watchdog: the time limit, and nobody asking any more
    let watched = job.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            if watched.ended() {
                break;
            }
            if watched.age() > Duration::from_secs(secs) {
                watched.fail(Failure::TooLong(secs).job_failure());
                break;
            }
            if watched.idle() > crate::heavy::JOB_IDLE {
                watched.fail(Failure::Stopped.job_failure());
                break;
            }
        }
    });
    let work = job.clone();
    tokio::spawn(async move {
        // wait for a computing slot, but not for a job that was stopped meanwhile (idle,
        // time limit, cancelled): its permit goes back at once
        {
            // one wait, kept across the checks (the semaphore is fair: its place in the queue)
            let slot = permit.slot();
            tokio::pin!(slot);
            loop {
                tokio::select! {
                    _ = &mut slot => break,
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {
                        if work.stop.stopped() {
                            return;
                        }
                    }
                }
            }
        }
        if work.stop.stopped() {
            return;
        }
        let job = work.clone();
        let done = tokio::task::spawn_blocking(move || {
            // held until the work has stopped
            let _permit = permit;
            let voorraad = st.segment_pins();
            let p = prepare(&a, &base, runs, seed, &st.heavy.limits.budget)?;
            if work.stop.stopped() {
                return Err(Failure::Stopped);
            }
            let mut so_far: Option<(Results, Results)> = None;
            let mut from = 0;
            for to in parts(runs) {
                let (ra, rb) = p.simulate(from..to, seed, &work.stop)?;
                let (ra, rb) = match so_far.take() {
                    None => (ra, rb),
                    Some((mut xa, mut xb)) => {
                        xa.append(ra).map_err(|_| Failure::Internal)?;
                        xb.append(rb).map_err(|_| Failure::Internal)?;
                        (xa, xb)
                    }
                };
                let pair = p.pair(ra, rb, &st.privacy, voorraad.as_ref());
                work.progress(to, result_json(&pair));
                let Pair {
                    a: (ra, _),
                    b: (rb, _),
                    ..
                } = pair;
                so_far = Some((ra, rb));
                from = to;
            }
            Ok::<(), Failure>(())
        })
        .await;
        match done {
            Ok(Ok(())) => {}
            Ok(Err(f)) => job.fail(f.job_failure()),
            Err(_) => job.fail(Failure::Internal.job_failure()),
        }
    });
    Ok(job)
}

pub(crate) fn q_json(q: &Quantiles) -> Value {
    let f = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    json!({"p5": f(q.p5), "p50": f(q.p50), "p95": f(q.p95)})
}

/// The comparison as JSON: region indicators per year (A, baseline, difference B − A with its
/// band), and per buurt the vulnerable share in the last year (null with the reason in
/// `afgeschermd` when it rests on fewer than k simulated households).
pub(crate) fn result_json(p: &Pair) -> Value {
    let ((ra, fa), (rb, fb)) = (&p.a, &p.b);
    let cmp = Comparison { a: rb, b: ra }; // difference = scenario − baseline
    // a region figure is withheld only when the region itself rests on fewer than k
    let regio_withheld = |r: &Results, f: &Afscherming, jaar: i32, ind: &str| {
        let y = usize::try_from(jaar - r.startjaar).ok()?;
        f.regio(y, r.regio_index(ind)?)
    };
    let rows: Vec<Value> = cmp
        .regio_rows()
        .into_iter()
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
pub(crate) async fn compute(
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
            let voorraad = st.segment_pins();
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
pub(crate) fn client_of(
    auth: &Option<axum::Extension<crate::auth::Auth>>,
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
pub(crate) fn runs_in_range(runs: usize) -> Result<(), String> {
    if runs == 0 || runs > MAX_RUNS {
        return Err(format!("runs must be between 1 and {MAX_RUNS}"));
    }
    Ok(())
}

/// The form of the edit box.
#[derive(Deserialize)]
pub struct EditForm {
    pub toml: String,
    #[serde(default)]
    pub runs: Option<usize>,
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
    let voorraad = st.segment_pins();
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

#[cfg(test)]
mod tests {
    #[test]
    fn parts_go_from_the_first_picture_to_a_quarter_half_and_all_runs() {
        assert_eq!(super::parts(200), vec![4, 50, 100, 200]);
        assert_eq!(super::parts(50), vec![4, 12, 25, 50]);
        assert_eq!(super::parts(20), vec![4, 5, 10, 20]);
        assert_eq!(super::parts(8), vec![4, 8]);
        assert_eq!(super::parts(3), vec![3]);
        assert_eq!(super::parts(1), vec![1]);
    }
}
