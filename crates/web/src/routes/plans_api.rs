//! The plans API (`/api/v1/plans`): the same operations as the plan pages, as JSON, with
//! optimistic locking by version and problem details for every error.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use serde_json::Value;
use serde_json::json;
use veerkracht_partners::CommentKind;
use veerkracht_partners::Error;
use veerkracht_partners::MeasureEdit;

use crate::AppState;
use crate::auth::Auth;
use crate::auth::partners_of;
use crate::auth::run;
use crate::auth::run_write;
use crate::partner_ui::api_err;
use crate::partner_ui::created;
use crate::partner_ui::from_json;
use crate::partner_ui::json_body;
use crate::partner_ui::only_keys;
use crate::planning::goal_input;
use crate::planning::plan_input;
use crate::planning::share_into;
use crate::planning::too_many_shares;
use crate::views::monitoring;

/// POST /api/v1/plans/{id}/shared {kind: "scenario" | "huurmix", scenario}
pub async fn api_share(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let request = json_body(&body).and_then(|v| {
        only_keys(&v, &["kind", "scenario"])?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        Ok((s("kind"), s("scenario")))
    });
    let (kind, scenario) = match request {
        Ok(x) => x,
        Err(e) => return api_err(&st, e),
    };
    let Some(_slot) = partners_of(&st).heavy_slot(a.actor.user.id) else {
        return too_many_shares(&st, true);
    };
    match share_into(st.clone(), a, id, kind, scenario).await {
        Ok(x) => created(json!({"id": x}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// GET /api/v1/plans
pub async fn api_plans(State(st): State<Arc<AppState>>, Extension(a): Extension<Auth>) -> Response {
    let ws = partners_of(&st).ws.clone();
    match run(move || ws.plans(&a.actor)).await {
        Ok(v) => Json(json!({"plans": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans {area_code, title, analysis?, partners?}
pub async fn api_plan_create(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    body: axum::body::Bytes,
) -> Response {
    let st2 = st.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["area_code", "title", "analysis", "partners"])?;
        let code = v["area_code"]
            .as_str()
            .ok_or_else(|| Error::invalid("area_code", "required (a buurt or wijk code)"))?;
        let title = v["title"]
            .as_str()
            .ok_or_else(|| Error::invalid("title", "required"))?;
        let analysis = v["analysis"].as_str().unwrap_or("");
        let partners: Vec<i64> = match &v["partners"] {
            Value::Null => vec![],
            p => from_json(p.clone())?,
        };
        let np = plan_input(&st2, code, title, analysis, partners)?;
        partners_of(&st2).ws.create_plan(&a.actor, np)
    })
    .await;
    match res {
        Ok(id) => created(json!({"id": id}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// GET /api/v1/plans/{id}: the plan, goals with monitoring, measures, log, shared figures.
pub async fn api_plan(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
) -> Response {
    let st2 = st.clone();
    let res = run(move || {
        let p = partners_of(&st2).ws.plan(&a.actor, id)?;
        let mon: Vec<Value> = p
            .goals
            .iter()
            .map(|g| monitoring(&st2, &p.summary.area_code, g))
            .collect();
        let mut v = serde_json::to_value(&p).map_err(|e| Error::Db(e.to_string()))?;
        if let Some(goals) = v["goals"].as_array_mut() {
            for (g, m) in goals.iter_mut().zip(mon) {
                g["monitoring"] = m;
            }
        }
        Ok(v)
    })
    .await;
    match res {
        Ok(v) => Json(v).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// PATCH /api/v1/plans/{id} {version, title?, analysis?, status?, partners?}
pub async fn api_plan_edit(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["version", "title", "analysis", "status", "partners"])?;
        if v.get("version").and_then(Value::as_i64).is_none() {
            return Err(Error::invalid(
                "version",
                "required: the version you edited (optimistic locking)",
            ));
        }
        ws.edit_plan(&a.actor, id, from_json(v)?)
    })
    .await;
    match res {
        Ok(v) => Json(json!({"id": id, "version": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans/{id}/goals {indicator, description?, target, target_date}
pub async fn api_goal(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let st2 = st.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["indicator", "description", "target", "target_date"])?;
        let ws = &partners_of(&st2).ws;
        let plan = ws.plan(&a.actor, id)?;
        let target = v["target"]
            .as_f64()
            .ok_or_else(|| Error::invalid("target", "required: a number"))?;
        let g = goal_input(
            &st2,
            &plan.summary.area_code,
            v["indicator"].as_str().unwrap_or(""),
            v["description"].as_str().unwrap_or(""),
            target,
            v["target_date"].as_str().unwrap_or(""),
        )?;
        ws.add_goal(&a.actor, id, g)
    })
    .await;
    match res {
        Ok(g) => created(json!({"id": g}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans/{id}/measures
pub async fn api_measure(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(
            &v,
            &[
                "kind",
                "title",
                "description",
                "owner_org",
                "partners",
                "budget_cents",
                "status",
                "start_date",
                "end_date",
            ],
        )?;
        ws.add_measure(&a.actor, id, from_json(v)?)
    })
    .await;
    match res {
        Ok(m) => created(json!({"id": m}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// PATCH /api/v1/plans/{id}/measures/{mid}
pub async fn api_measure_edit(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path((id, mid)): Path<(i64, i64)>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(
            &v,
            &[
                "version",
                "status",
                "title",
                "description",
                "budget_cents",
                "end_date",
                "partners",
            ],
        )?;
        if v.get("version").and_then(Value::as_i64).is_none() {
            return Err(Error::invalid(
                "version",
                "required: the version you edited (optimistic locking)",
            ));
        }
        let mut e = MeasureEdit {
            version: v["version"].as_i64().unwrap_or(0),
            ..Default::default()
        };
        e.status = v.get("status").and_then(Value::as_str).map(str::to_string);
        e.title = v.get("title").and_then(Value::as_str).map(str::to_string);
        e.description = v
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(b) = v.get("budget_cents") {
            e.budget_cents =
                Some(if b.is_null() {
                    None
                } else {
                    Some(b.as_i64().ok_or_else(|| {
                        Error::invalid("budget_cents", "an integer number of cents")
                    })?)
                });
        }
        if let Some(d) = v.get("end_date") {
            e.end_date = Some(d.as_str().map(str::to_string));
        }
        if let Some(p) = v.get("partners") {
            e.partners = Some(from_json(p.clone())?);
        }
        ws.edit_measure(&a.actor, id, mid, e)
    })
    .await;
    match res {
        Ok(v) => Json(json!({"id": mid, "version": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// POST /api/v1/plans/{id}/comments {kind: besluit|opmerking, text}
pub async fn api_comment(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let v = json_body(&body)?;
        only_keys(&v, &["kind", "text"])?;
        let kind = CommentKind::parse("kind", v["kind"].as_str().unwrap_or("opmerking"))?;
        ws.add_comment(&a.actor, id, kind, v["text"].as_str().unwrap_or(""))
    })
    .await;
    match res {
        Ok(c) => created(json!({"id": c}), format!("/api/v1/plans/{id}")),
        Err(e) => api_err(&st, e),
    }
}

/// GET /api/v1/plans/{id}/audit
pub async fn api_audit(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    match run(move || ws.plan_audit(&a.actor, id)).await {
        Ok(v) => Json(json!({"audit": v})).into_response(),
        Err(e) => api_err(&st, e),
    }
}

/// The plans API (`/api/v1/plans`).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, patch, post};
    axum::Router::new()
        .route("/api/v1/plans", get(api_plans).post(api_plan_create))
        .route("/api/v1/plans/{id}", get(api_plan).patch(api_plan_edit))
        .route("/api/v1/plans/{id}/goals", post(api_goal))
        .route("/api/v1/plans/{id}/measures", post(api_measure))
        .route("/api/v1/plans/{id}/measures/{mid}", patch(api_measure_edit))
        .route("/api/v1/plans/{id}/comments", post(api_comment))
        .route("/api/v1/plans/{id}/audit", get(api_audit))
        .route("/api/v1/plans/{id}/shared", post(api_share))
}
