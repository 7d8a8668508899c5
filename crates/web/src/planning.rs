//! What the plan pages and the plans API share: a plan's and a goal's input from a form or
//! JSON, and the shares of a plan — a snapshot of the buurt, a scenario comparison or the rent
//! mix, each already suppressed — with their HTML.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Response;
use serde_json::Value;
use serde_json::json;
use veerkracht_dataset::AreaCode;
use veerkracht_partners::Error;
use veerkracht_partners::NewGoal;
use veerkracht_partners::NewPlan;
use veerkracht_partners::policy;

use crate::AppState;
use crate::auth::Auth;
use crate::auth::deny;
use crate::auth::partners_of;
use crate::auth::run;
use crate::auth::run_write;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;
use crate::http::problem;
use crate::multi_user::HEAVY_PER_USER;
use crate::views::goal_indicators;
use crate::views::indicator_value;
use crate::views::snapshot;

pub(crate) fn plan_input(
    st: &AppState,
    code: &str,
    title: &str,
    analysis: &str,
    partners: Vec<i64>,
) -> Result<NewPlan, Error> {
    let code = AreaCode::parse(code.trim()).map_err(|_| {
        Error::invalid(
            "gebied",
            format!(
                "'{}' is not a buurt or wijk code",
                veerkracht_partners::model::clip(code, 20)
            ),
        )
    })?;
    let (snap, name, gemeente) = snapshot(st, code).ok_or_else(|| {
        Error::invalid(
            "gebied",
            format!("{code} is not a buurt or wijk of the latest edition"),
        )
    })?;
    Ok(NewPlan {
        area_code: code.to_string(),
        area_name: name,
        gemeente,
        title: title.to_string(),
        analysis: analysis.to_string(),
        snapshot: snap,
        partners,
    })
}

pub(crate) fn snapshot_html(lang: Lang, s: &Value) -> String {
    let mut b = format!(
        "<h3>{}</h3><p class=\"note\">{} {} · {} {} · {} {}</p>",
        lang.t(
            "Cijfers waarop de analyse rust (bevroren)",
            "Figures the analysis rests on (frozen)"
        ),
        lang.t("Editie", "Edition"),
        s["editie"],
        lang.t("definitie", "definition"),
        esc(s["definitie"]["id"].as_str().unwrap_or("")),
        lang.t("bevroren op", "frozen on"),
        esc(s["bevroren_op"].as_str().unwrap_or("")),
    );
    let sc = &s["score"];
    let _ = write!(
        b,
        "<p>{}: <strong>{}</strong> ({}: {}; {}: {}–{} {} {})</p>",
        lang.t("Veerkrachtindex", "Resilience index"),
        num(lang, sc["waarde"].as_f64(), 1),
        lang.t("klasse", "class"),
        esc(sc["klasse"].as_str().unwrap_or("—")),
        lang.t("rangband (90 %)", "rank band (90 %)"),
        num(lang, sc["rang_p5"].as_f64(), 0),
        num(lang, sc["rang_p95"].as_f64(), 0),
        lang.t("van", "of"),
        num(lang, s["aantal_gebieden"].as_f64(), 0)
    );
    if let Some(cs) = s["componenten"].as_array() {
        let rows: Vec<Vec<String>> = cs
            .iter()
            .map(|c| {
                vec![
                    esc(c["naam"].as_str().unwrap_or(c["id"].as_str().unwrap_or(""))),
                    num(lang, c["score"].as_f64(), 1),
                ]
            })
            .collect();
        b.push_str(&html::table(
            lang.t("Componenten", "Components"),
            &["Component", "Score"],
            &rows,
        ));
    }
    if s["signaal"].is_object() {
        let g = &s["signaal"];
        let _ = write!(
            b,
            "<p>{} {}–{}: {} ({}: {}; {}: {})</p>",
            lang.t("Veerkrachtsignaal", "Resilience signal"),
            g["van"],
            g["tot"],
            esc(g["kwadrant_label"].as_str().unwrap_or("—")),
            lang.t("kwetsbaarheid", "vulnerability"),
            num(lang, g["verandering_kwetsbaarheid"].as_f64(), 2),
            lang.t("druk", "pressure"),
            num(lang, g["verandering_druk"].as_f64(), 2)
        );
    }
    b
}

/// A shared aggregate: tables of cells `{label, waarde | null + reden}`.
pub(crate) fn shared_html(lang: Lang, body: &Value) -> String {
    let mut b = String::new();
    if body["soort"] == "scenario" {
        let q = |v: &Value| {
            format!(
                "{} [{} – {}]",
                num(lang, v["p50"].as_f64(), 3),
                num(lang, v["p5"].as_f64(), 3),
                num(lang, v["p95"].as_f64(), 3)
            )
        };
        let rows: Vec<Vec<String>> = body["rijen"]
            .as_array()
            .map(|r| {
                r.iter()
                    .map(|x| {
                        vec![
                            esc(x["indicator"].as_str().unwrap_or("")),
                            q(&x["basis"]),
                            q(&x["scenario"]),
                            format!(
                                "{}{}",
                                q(&x["verschil"]),
                                if x["zeker"] == true { " *" } else { "" }
                            ),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default();
        let _ = write!(b, "<p class=\"note\">Scenario <strong>{}</strong> {} {}, {} {}, {} runs, {}. {}</p>", esc(body["scenario"].as_str().unwrap_or("")), lang.t("tegenover", "against"), esc(body["basis"].as_str().unwrap_or("")), lang.t("jaar", "year"), body["jaar"], body["runs"], esc(body["invoer"].as_str().unwrap_or("")), lang.t("Mediaan [p5 – p95]; * = het verschil heeft in minstens 90 % van de runs hetzelfde teken.", "Median [p5 – p95]; * = the difference has the same sign in at least 90 % of runs."));
        b.push_str(&html::table(
            lang.t("Uitkomst per indicator", "Outcome per indicator"),
            &[
                "Indicator",
                lang.t("Basis", "Baseline"),
                "Scenario",
                lang.t("Verschil", "Difference"),
            ],
            &rows,
        ));
        return b;
    }

    if let Some(tables) = body["tabellen"].as_array() {
        for t in tables {
            let rows: Vec<Vec<String>> = t["rijen"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|x| {
                            vec![
                                esc(x["label"].as_str().unwrap_or("")),
                                match x["waarde"].as_f64() {
                                    Some(v) => {
                                        num(lang, Some(v), if v.fract() == 0.0 { 0 } else { 1 })
                                    }
                                    None => format!(
                                        "<span title=\"{}\">{}</span>",
                                        esc(x["reden"].as_str().unwrap_or("")),
                                        lang.t("afgeschermd", "withheld")
                                    ),
                                },
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            b.push_str(&html::table(
                t["titel"].as_str().unwrap_or(""),
                &["", lang.t("Aantal", "Count")],
                &rows,
            ));
        }
    }
    if let Some(n) = body["toelichting"].as_str() {
        let _ = write!(b, "<p class=\"note\">{}</p>", esc(n));
    }
    b
}

pub(crate) fn goal_input(
    st: &AppState,
    area: &str,
    indicator: &str,
    description: &str,
    target: f64,
    date: &str,
) -> Result<NewGoal, Error> {
    if !goal_indicators(st).iter().any(|(id, _)| id == indicator) {
        return Err(Error::invalid(
            "indicator",
            format!(
                "'{}' is not the index score or an indicator of the index definition",
                veerkracht_partners::model::clip(indicator, 40)
            ),
        ));
    }
    let code = AreaCode::parse(area).map_err(|_| Error::invalid("gebied", "bad area code"))?;
    let edition = st.latest(code.level());
    let baseline = edition.and_then(|e| indicator_value(st, code, e, indicator));
    Ok(NewGoal {
        indicator: indicator.to_string(),
        description: description.to_string(),
        baseline,
        baseline_edition: edition.map(i64::from),
        target,
        target_date: date.to_string(),
    })
}

/// Shares a corporation's aggregate into a plan (a scenario outcome or the rent mix of the
/// plan's buurt) in three steps, so the long part holds no database slot that logins and
/// the guard wait for: a short read (the plan, the right to share), the computation on a
/// blocking thread without any slot, then a write slot just to store it. Callers hold one of
/// the user's [`HEAVY_PER_USER`] places ([`Partners::heavy_slot`]) meanwhile.
pub(crate) async fn share_into(
    st: Arc<AppState>,
    a: Auth,
    id: i64,
    kind: String,
    scenario: String,
) -> Result<i64, Error> {
    let p = partners_of(&st);
    let (ws, actor) = (p.ws.clone(), a.actor.clone());
    let plan = run(move || {
        let acc = ws.plan_access(&actor, id)?;
        if !policy::can_share_aggregate(&actor, &acc) {
            return Err(Error::Forbidden(
                "only the corporation holding the stock shares aggregates of it (beheerder or analist)"
                    .into(),
            ));
        }
        Ok(ws.plan(&actor, id)?.summary)
    })
    .await?;
    let st2 = st.clone();
    let (shared_kind, title, body) =
        tokio::task::spawn_blocking(move || share_body(&st2, &plan, &kind, &scenario))
            .await
            .unwrap_or_else(|_| Err(Error::Db("a worker thread failed".into())))?;
    let ws = p.ws.clone();
    run_write(move || ws.share(&a.actor, id, shared_kind, &title, &body)).await
}

/// The answer when a user already runs [`HEAVY_PER_USER`] shares.
pub(crate) fn too_many_shares(st: &AppState, api: bool) -> Response {
    let msg = format!(
        "you already run {HEAVY_PER_USER} shares at once (each runs the simulation); wait for one to finish"
    );
    let mut r = if api {
        problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Te veel tegelijk / too many at once",
            &msg,
        )
    } else {
        deny(
            st,
            Lang::Nl,
            false,
            StatusCode::TOO_MANY_REQUESTS,
            &format!("U deelt al {HEAVY_PER_USER} keer tegelijk; wacht tot er een klaar is."),
            &msg,
        )
    };
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    r
}

/// What a share holds: its kind, title and (suppressed) body. The scenario runs the
/// simulation: seconds of CPU.
pub(crate) fn share_body(
    st: &AppState,
    plan: &veerkracht_partners::PlanSummary,
    kind: &str,
    scenario: &str,
) -> Result<(veerkracht_partners::SharedKind, String, Value), Error> {
    match kind {
        "scenario" => {
            let body = crate::simulation::buurt_comparison(st, scenario, &plan.area_code)
                .map_err(|e| Error::invalid("scenario", e))?;
            let title = format!("Scenario {scenario} tegenover basis — {}", plan.area_name);
            Ok((veerkracht_partners::SharedKind::Scenario, title, body))
        }
        "huurmix" => {
            if st.stock.is_none() {
                return Err(Error::invalid(
                    "soort",
                    "this server holds no corporation stock (serve --stock)",
                ));
            }
            let mix = st.rent_mix();
            let pb = veerkracht_huurmix::published_buurt(&mix, &plan.area_code, &st.privacy)
                .ok_or_else(|| {
                    Error::invalid(
                        "gebied",
                        format!("the stock has no dwellings in {}", plan.area_code),
                    )
                })?;
            let body = rent_mix_share(&pb, st.privacy.k);
            let title = format!("Huurmix eigen voorraad — {}", plan.area_name);
            Ok((veerkracht_partners::SharedKind::Huurmix, title, body))
        }
        other => Err(Error::invalid(
            "soort",
            format!(
                "'{}' cannot be shared; use scenario or huurmix",
                veerkracht_partners::model::clip(other, 20)
            ),
        )),
    }
}

/// One buurt's published rent mix (already suppressed by `huurmix::published_buurt`) as the
/// tables a plan shows: counts per segment, points band and energy label, and the key
/// figures; a withheld cell is `null` with its reason, never 0.
pub(crate) fn rent_mix_share(pb: &veerkracht_huurmix::PublishedBuurt, k: u64) -> Value {
    let cell = |label: &str, v: Option<f64>, field: &str| json!({"label": label, "waarde": v, "reden": pb.afgeschermd.get(field).map(|r| r.code())});
    let count = |v: Option<u64>| v.map(|x| x as f64);
    let bands: Vec<Value> = veerkracht_wws::mix::PUNTEN_KLASSEN
        .iter()
        .zip(pb.punten_verdeling)
        .map(|((label, _, _), v)| cell(label, count(v), &format!("punten_verdeling.{label}")))
        .collect();
    let labels: Vec<Value> = pb
        .labels
        .iter()
        .map(|(l, v)| cell(l, count(*v), &format!("labels.{l}")))
        .collect();
    json!({
        "soort": "huurmix",
        "k": k,
        "tabellen": [
            {"titel": "Woningen", "rijen": [
                cell("woningen in deze buurt", count(pb.aantal), "aantal"),
                cell("met een huur", count(pb.aantal_met_huur), "aantal_met_huur"),
                cell("huur boven het WWS-maximum", count(pb.boven_maximum), "boven_maximum"),
            ]},
            {"titel": "Woningen naar segment", "rijen": [
                cell("sociale huur", count(pb.sociaal), "sociaal"),
                cell("middenhuur", count(pb.middenhuur), "middenhuur"),
                cell("vrije sector", count(pb.vrije_sector), "vrije_sector"),
            ]},
            {"titel": "Woningen naar WWS-punten", "rijen": bands},
            {"titel": "Woningen naar energielabel", "rijen": labels},
            {"titel": "Gemiddelden", "rijen": [
                cell("WWS-punten", pb.gemiddelde_punten, "gemiddelde_punten"),
                cell("maximale huur (€)", pb.gemiddelde_maximale_huur, "gemiddelde_maximale_huur"),
                cell("huur (€)", pb.gemiddelde_huur, "gemiddelde_huur"),
            ]},
        ],
        "huurmix": pb,
        "toelichting": format!("Geaggregeerde tellingen uit de eigen voorraad van de corporatie. Tellingen van minder dan {k} woningen en cellen waaruit die terug te rekenen zijn, zijn afgeschermd; gemiddelden alleen over een getoonde telling."),
    })
}
