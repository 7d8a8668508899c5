//! # veerkracht-partners
//!
//! The partner workspace behind `veerkracht serve --multi-user`: organisations (corporatie,
//! gemeente, zorg, politie, huurdersorganisatie, overig) with the gemeenten they work in,
//! users with a role (beheerder, analist, lezer), and per buurt or wijk a shared plan
//! (*buurtaanpak*): a problem analysis with a frozen index snapshot, goals on an indicator,
//! measures with owner and partner organisations, decisions and comments, shared aggregates
//! (rent mix, scenario runs) and an append-only, hash-chained audit log.
//!
//! Storage is SQLite (WAL, embedded default) or PostgreSQL (shared server) behind one
//! repository ([`PartnerDb`]) with versioned migrations (`migrations/`). Every rule of who may
//! do what lives in [`policy`]; every change goes through one write transaction that also
//! appends its audit entry. Edits carry the version the editor saw (optimistic locking): a
//! stale version is a [`Error::Conflict`] naming who changed it.
//!
//! The crate knows nothing of HTTP or of the index: the web layer hands it a snapshot as JSON.

pub mod auth;
pub mod db;
pub mod model;
pub mod policy;
mod repo;
/// Test support (feature `testing`, enabled only by the test suites' dev-dependencies).
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;

pub use db::{Backend, Location};
pub use model::*;
pub use repo::{
    Ended, Integrity, LoginFailure, Options, PartnerDb, PlanView, Session, TokenInfo,
    backup_header_ok, now_ms,
};

/// What can go wrong; every variant carries a message a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Login(LoginFailure),
    #[error("database: {0}")]
    Db(String),
}

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}
