//! The route groups: one module per group of pages and endpoints, each with its `routes()`.
//! A route module imports only the layers below it (`http`, `html`, `map`, `labels`, `state`,
//! `auth`, `views`, `simulation`, `partner_ui`, `planning`), never another route module.

pub(crate) mod accounts;
pub(crate) mod analyses;
pub(crate) mod api;
pub(crate) mod beleid;
pub(crate) mod huurmix;
pub(crate) mod pages;
pub(crate) mod plans;
pub(crate) mod plans_api;
pub(crate) mod profile;
pub(crate) mod scenarios;
pub(crate) mod search;

use std::sync::Arc;

use crate::AppState;

/// Every route of the application (without the middleware, which `crate::router` adds).
pub(crate) fn all() -> axum::Router<Arc<AppState>> {
    axum::Router::new()
        .merge(pages::routes())
        .merge(analyses::routes())
        .merge(profile::routes())
        .merge(huurmix::routes())
        .merge(beleid::routes())
        .merge(scenarios::routes())
        .merge(api::routes())
        .merge(plans::routes())
        .merge(plans_api::routes())
        .merge(accounts::routes())
        .merge(search::routes())
}
