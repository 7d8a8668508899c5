//! The OpenAPI 3.1 document of `/api/v1` (`/api/v1/openapi.json`): every endpoint with its
//! parameters and, for the plans API, its request bodies. Kept here as data so no route module
//! is imported for it; `tests/api.rs` checks that every route is documented.

use axum::response::Response;
use serde_json::Value;
use serde_json::json;

use crate::http::json_ok;

/// The endpoints with their parameters: one table serves the OpenAPI document.
pub(crate) const ENDPOINTS: &[(&str, &str, &[&str])] = &[
    (
        "/api/v1/areas",
        "Areas of a level and edition (filter by gemeente)",
        &["level", "gemeente", "edition", "format"],
    ),
    (
        "/api/v1/areas/{code}",
        "The profile of a buurt or wijk: score, band, components, waarom, trend, comparison",
        &["edition"],
    ),
    (
        "/api/v1/index",
        "The index per area with its rank band",
        &["edition", "level", "format"],
    ),
    (
        "/api/v1/compare",
        "Corporatiebuurten against other buurten",
        &["edition", "format"],
    ),
    (
        "/api/v1/signal",
        "The veerkracht signal between two editions",
        &["from", "to", "level", "format"],
    ),
    (
        "/api/v1/spatial/lisa",
        "LISA clusters of the index score",
        &["edition", "level", "format"],
    ),
];

pub(crate) async fn document() -> Response {
    let mut paths = serde_json::Map::new();
    for (path, summary, params) in ENDPOINTS {
        let mut ps: Vec<Value> = params
            .iter()
            .map(|p| json!({"name": p, "in": "query", "required": false, "schema": {"type": "string"}}))
            .collect();
        if path.contains("{code}") {
            ps.push(json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        if *path == "/api/v1/scenarios" {
            paths.insert(
                "/api/v1/scenarios/run".into(),
                json!({"post": {"summary": "Runs a scenario (shipped name or TOML) against a baseline; runs 1–500, at most 60 s",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                        "required": ["scenario"], "additionalProperties": false, "properties": {
                            "scenario": {"type": "string"}, "basis": {"type": "string"},
                            "runs": {"type": "integer", "minimum": 1, "maximum": 500}, "seed": {"type": "integer"}}}}}},
                    "responses": {"200": {"description": "OK"}, "400": {"description": "Invalid request (problem details)"},
                        "413": {"description": "Body larger than 64 KB"}, "422": {"description": "Invalid scenario (problem details)"},
                        "503": {"description": "Took too long (problem details)"}}}}),
            );
            paths.insert(
                "/api/v1/scenarios/jobs".into(),
                json!({"post": {"summary": "Starts a progressive scenario computation (same body as /api/v1/scenarios/run): 202 at once with its id; its state shows the answer from the first 4 runs, then from a quarter, half and all of the runs",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                        "required": ["scenario"], "additionalProperties": false, "properties": {
                            "scenario": {"type": "string"}, "basis": {"type": "string"},
                            "runs": {"type": "integer", "minimum": 1, "maximum": 500}, "seed": {"type": "integer"}}}}}},
                    "responses": {"202": {"description": "Started: id, toestand (state URL)"}, "400": {"description": "Invalid request (problem details)"},
                        "422": {"description": "Invalid scenario (problem details)"}, "429": {"description": "Your earlier computations are still running"}}}}),
            );
            paths.insert(
                "/api/v1/scenarios/jobs/{id}".into(),
                json!({"get": {"summary": "State of a progressive computation: status (bezig, klaar, fout), runs_klaar, runs, resultaat (the answer from the runs done so far, as /api/v1/scenarios/run), seconden_eerste, seconden; nobody asking for 10 s stops it",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "OK"}, "404": {"description": "Unknown, another client's, or finished over 2 minutes ago (problem details)"}}},
                  "delete": {"summary": "Stops a progressive computation",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "Stopped"}, "404": {"description": "Unknown (problem details)"}}}}),
            );
        }
        paths.insert(
            path.to_string(),
            json!({"get": {"summary": summary, "parameters": ps, "responses": {
                "200": {"description": "OK"},
                "400": {"description": "Invalid parameter (problem details)", "content": {"application/problem+json": {}}},
                "404": {"description": "Unknown (problem details)", "content": {"application/problem+json": {}}},
            }}}),
        );
    }
    let huurmix = |summary: &str, deprecated: bool| {
        json!({"get": {"summary": summary, "deprecated": deprecated,
            "parameters": [{"name": "naar", "in": "query", "required": false, "schema": {"type": "string"}}, {"name": "format", "in": "query", "required": false, "schema": {"enum": ["json", "csv"]}}],
            "responses": {"200": {"description": "OK"}, "400": {"description": "Invalid parameter (problem details)"}, "404": {"description": "No stock loaded"}}}})
    };
    paths.insert(
        "/api/v1/huurmix".into(),
        huurmix("WWS rent mix (huurmix) per buurt of the corporation's voorraad (small cells suppressed; with serve --multi-user only for that corporation)", false),
    );
    paths.insert(
        "/api/v1/rentmix".into(),
        huurmix(
            "The same as /api/v1/huurmix (its old path, kept for existing links)",
            true,
        ),
    );
    // the multi-user mode (serve --multi-user): a session cookie with X-CSRF-Token, or a token
    for (path, method, summary, body) in openapi_paths() {
        let mut op = json!({"summary": summary, "security": [{"token": []}, {"sessie": []}], "responses": {
            "200": {"description": "OK"}, "201": {"description": "Created"}, "401": {"description": "Not logged in"},
            "403": {"description": "Not allowed, or no valid CSRF token"}, "404": {"description": "Unknown, or not visible to the user"},
            "409": {"description": "Changed meanwhile (optimistic locking)"}, "413": {"description": "Body larger than 64 KB"},
            "422": {"description": "Invalid input, naming the field (problem details)"}}});
        let mut ps: Vec<Value> = Vec::new();
        for p in ["id", "mid"] {
            if path.contains(&format!("{{{p}}}")) {
                ps.push(json!({"name": p, "in": "path", "required": true, "schema": {"type": "integer"}}));
            }
        }
        op["parameters"] = Value::Array(ps);
        if let Some(b) = body {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": b}}});
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    json_ok(json!({
        "openapi": "3.1.0",
        "info": {"title": "veerkracht API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {"securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "description": "API token vk_… (made on /account; serve --multi-user)"},
            "sessie": {"type": "apiKey", "in": "cookie", "name": "vk_sessie", "description": "Session cookie from /login; state changes also need the X-CSRF-Token header"},
        }},
    }))
}

/// The multi-user endpoints (plans, tokens, the user) for `openapi.json` (path, method, summary, request body schema).
pub fn openapi_paths() -> Vec<(&'static str, &'static str, &'static str, Option<Value>)> {
    let s = |t: &str| json!({"type": t});
    let plan_edit = json!({"type": "object", "required": ["version"], "additionalProperties": false, "properties": {
        "version": s("integer"), "title": s("string"), "analysis": s("string"),
        "status": {"enum": ["concept", "actief", "afgerond"]}, "partners": {"type": "array", "items": s("integer")}}});
    let measure = json!({"type": "object", "required": ["kind", "title", "start_date"], "additionalProperties": false, "properties": {
        "kind": {"enum": ["fysiek", "sociaal", "toewijzing", "zorg", "veiligheid", "woningvoorraad"]},
        "title": s("string"), "description": s("string"), "owner_org": s("integer"),
        "partners": {"type": "array", "items": s("integer"), "maxItems": veerkracht_partners::model::limits::PARTNERS},
        "budget_cents": {"type": "integer", "minimum": 0, "maximum": veerkracht_partners::model::limits::BUDGET_CENTS_MAX},
        "status": {"enum": ["gepland", "lopend", "afgerond", "gestopt"]},
        "start_date": {"type": "string", "format": "date"}, "end_date": {"type": "string", "format": "date"}}});
    vec![
        (
            "/api/v1/me",
            "get",
            "The logged-in user, their organisation and whether they may see own stock",
            None,
        ),
        (
            "/api/v1/plans",
            "get",
            "Buurt plans the user's organisation owns or is a partner in",
            None,
        ),
        (
            "/api/v1/plans",
            "post",
            "Create a plan (freezes the index, components and signal of the latest edition)",
            Some(
                json!({"type": "object", "required": ["area_code", "title"], "additionalProperties": false, "properties": {
            "area_code": s("string"), "title": s("string"), "analysis": s("string"), "partners": {"type": "array", "items": s("integer")}}}),
            ),
        ),
        (
            "/api/v1/plans/{id}",
            "get",
            "One plan: snapshot, goals with monitoring per edition, measures, decisions and comments, shared figures",
            None,
        ),
        (
            "/api/v1/plans/{id}",
            "patch",
            "Edit title, analysis, status or partners against the version read (409 when changed meanwhile)",
            Some(plan_edit),
        ),
        (
            "/api/v1/plans/{id}/goals",
            "post",
            "Add a goal: the index score or an index indicator, target value and date (baseline from the latest edition)",
            Some(
                json!({"type": "object", "required": ["indicator", "target", "target_date"], "additionalProperties": false, "properties": {
            "indicator": s("string"), "description": s("string"), "target": s("number"), "target_date": {"type": "string", "format": "date"}}}),
            ),
        ),
        (
            "/api/v1/plans/{id}/measures",
            "post",
            "Add a measure (a partner: for its own organisation)",
            Some(measure),
        ),
        (
            "/api/v1/plans/{id}/measures/{mid}",
            "patch",
            "Edit a measure against the version read",
            Some(
                json!({"type": "object", "required": ["version"], "additionalProperties": false, "properties": {
            "version": s("integer"), "status": {"enum": ["gepland", "lopend", "afgerond", "gestopt"]}, "title": s("string"), "description": s("string"),
            "budget_cents": {"type": ["integer", "null"], "minimum": 0, "maximum": veerkracht_partners::model::limits::BUDGET_CENTS_MAX}, "end_date": {"type": ["string", "null"], "format": "date"},
            "partners": {"type": "array", "items": s("integer"), "maxItems": veerkracht_partners::model::limits::PARTNERS}}}),
            ),
        ),
        (
            "/api/v1/plans/{id}/comments",
            "post",
            "Add a comment or (plan owner) a decision",
            Some(
                json!({"type": "object", "required": ["text"], "additionalProperties": false, "properties": {
            "kind": {"enum": ["opmerking", "besluit"]}, "text": s("string")}}),
            ),
        ),
        (
            "/api/v1/plans/{id}/audit",
            "get",
            "The plan's audit log: who, when, what, before and after",
            None,
        ),
        (
            "/api/v1/plans/{id}/shared",
            "post",
            "Share an aggregate of the corporation's own data (suppressed): a scenario outcome or the rent mix of the plan's buurt",
            Some(
                json!({"type": "object", "required": ["kind"], "additionalProperties": false, "properties": {
            "kind": {"enum": ["scenario", "huurmix"]}, "scenario": s("string")}}),
            ),
        ),
        (
            "/api/v1/tokens",
            "get",
            "The user's API tokens (never the secrets)",
            None,
        ),
        (
            "/api/v1/tokens",
            "post",
            "Create an API token (shown once)",
            Some(
                json!({"type": "object", "required": ["name"], "additionalProperties": false, "properties": {"name": s("string")}}),
            ),
        ),
        ("/api/v1/tokens/{id}", "delete", "Revoke an API token", None),
    ]
}
