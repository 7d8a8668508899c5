//! The repository: every read and write of the workspace, with its access check and audit
//! entry, written once for SQLite and PostgreSQL.

use std::net::IpAddr;
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::auth::{self, HashCost};
use crate::db::{Backend, Db, Location, Row, Tx, Val};
use crate::model::*;
use crate::policy::{self, PlanAccess};
use crate::throttle::{Backoff, Throttle};

/// The schema versions, oldest first: (version, name, SQLite, PostgreSQL).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[(
    1,
    "init",
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/postgres/0001_init.sql"),
)];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 1;

/// Tables in backup order (parents first); sessions are never backed up.
const BACKUP_TABLES: &[(&str, &str)] = &[
    ("organisations", "id"),
    ("users", "id"),
    ("api_tokens", "id"),
    ("plans", "id"),
    ("plan_partners", "plan_id, org_id"),
    ("goals", "id"),
    ("measures", "id"),
    ("comments", "id"),
    ("shared_items", "id"),
    ("audit_log", "id"),
];

/// Security and pool settings.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Pooled connections (SQLite: readers beside the one writer).
    pub connections: usize,
    pub hash_cost: HashCost,
    /// How failed logins slow further attempts (never a lock).
    pub backoff: Backoff,
    pub session_ttl: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connections: 8,
            hash_cost: HashCost::OWASP,
            backoff: Backoff::default(),
            session_ttl: Duration::from_secs(12 * 3600),
        }
    }
}

/// Why a login failed: the same answers for an unknown user name and a wrong password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFailure {
    BadCredentials,
    /// Too many failures for this user name (from this address, or from all together):
    /// try again after this many seconds. Nothing was checked.
    Slowed {
        retry_after_s: u64,
    },
}

impl std::fmt::Display for LoginFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoginFailure::BadCredentials => f.write_str("onbekende gebruikersnaam of onjuist wachtwoord / unknown user name or wrong password"),
            LoginFailure::Slowed { retry_after_s } => write!(
                f,
                "te veel mislukte aanmeldpogingen; probeer het over {retry_after_s} s opnieuw / too many failed logins; try again in {retry_after_s} s"
            ),
        }
    }
}

/// What ending a user's access ([`PartnerDb::set_password`], disabling) ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Ended {
    pub sessions: u64,
    pub tokens: u64,
}

/// A logged-in session: the secret for the cookie (never stored) and its CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// What a plan's page needs ([`PartnerDb::plan_view`]).
#[derive(Debug, Clone)]
pub struct PlanView {
    pub plan: Plan,
    pub access: PlanAccess,
    pub audit: Vec<AuditEntry>,
    pub audit_total: i64,
    pub organisations: Vec<Organisation>,
}

/// The outcome of [`PartnerDb::integrity`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct Integrity {
    /// SQLite `integrity_check` and `foreign_key_check` (PostgreSQL: always ok).
    pub database_ok: bool,
    pub audit_entries: i64,
    /// The first audit entry whose hash does not follow from its content and predecessor.
    pub audit_broken_at: Option<i64>,
    pub messages: Vec<String>,
}

impl Integrity {
    pub fn ok(&self) -> bool {
        self.database_ok && self.audit_broken_at.is_none()
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The partner workspace database.
pub struct PartnerDb {
    db: Db,
    opts: Options,
    location: Location,
    dummy_hash: String,
    throttle: Throttle,
}

const USER_COLS: &str = "u.id, u.org_id, u.username, u.display_name, u.role, u.disabled, o.id, o.name, o.kind, o.gemeenten, o.own_stock";

fn actor_of(r: &Row, at: usize) -> Result<Actor, Error> {
    Ok(Actor {
        user: User {
            id: r.int(at)?,
            org_id: r.int(at + 1)?,
            username: r.text(at + 2)?,
            display_name: r.text(at + 3)?,
            role: Role::parse("role", &r.text(at + 4)?)?,
            disabled: r.int(at + 5)? != 0,
        },
        org: Organisation {
            id: r.int(at + 6)?,
            name: r.text(at + 7)?,
            kind: OrgKind::parse("kind", &r.text(at + 8)?)?,
            gemeenten: split_list(&r.text(at + 9)?),
            own_stock: r.int(at + 10)? != 0,
        },
    })
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn ids_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}

fn check_username(s: &str) -> Result<String, Error> {
    let t = s.trim().to_lowercase();
    if t.is_empty()
        || t.chars().count() > limits::USERNAME
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(Error::invalid(
            "gebruikersnaam",
            format!(
                "'{}': use 1 to {} letters, digits, '.', '_', '-' or '@'",
                clip(s, 40),
                limits::USERNAME
            ),
        ));
    }
    Ok(t)
}

fn audit_hash(prev: &str, fields: &[&Val]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    for f in fields {
        h.update(b"|");
        match f {
            Val::Null => h.update(b"\x00null"),
            Val::Int(i) => h.update(i.to_string().as_bytes()),
            Val::Real(x) => h.update(x.to_string().as_bytes()),
            Val::Text(s) => {
                h.update(s.len().to_string().as_bytes());
                h.update(b":");
                h.update(s.as_bytes());
            }
        }
    }
    auth::hex(&h.finalize())
}

/// An audit entry to append.
struct Audit<'a> {
    actor: Option<&'a Actor>,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<i64>,
    plan_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
}

fn append_audit(tx: &mut dyn Tx, now: i64, a: Audit<'_>) -> Result<(), Error> {
    if tx.backend() == Backend::Postgres {
        // one audit writer at a time, so the chain has one order (held until commit)
        tx.exec("SELECT pg_advisory_xact_lock(72746)", &[])?;
    }
    let prev = tx
        .one("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &[])?
        .map(|r| r.text(0))
        .transpose()?
        .unwrap_or_else(|| "0".repeat(64));
    let fields = [
        Val::Int(now),
        a.actor.map(|x| x.user.id).into(),
        a.actor.map(|x| x.org.id).into(),
        a.action.into(),
        a.entity.into(),
        a.entity_id.into(),
        a.plan_id.into(),
        a.before.map(|v| v.to_string()).into(),
        a.after.map(|v| v.to_string()).into(),
    ];
    let refs: Vec<&Val> = fields.iter().collect();
    let hash = audit_hash(&prev, &refs);
    let mut params = fields.to_vec();
    params.push(prev.into());
    params.push(hash.into());
    tx.exec(
        "INSERT INTO audit_log (at, user_id, org_id, action, entity, entity_id, plan_id, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params,
    )?;
    Ok(())
}

fn access(tx: &mut dyn Tx, plan_id: i64) -> Result<Option<PlanAccess>, Error> {
    // one round trip: the owner with every partner (or none)
    let rows = tx.query(
        "SELECT p.owner_org_id, pp.org_id FROM plans p LEFT JOIN plan_partners pp ON pp.plan_id = p.id WHERE p.id = ? ORDER BY pp.org_id",
        &[plan_id.into()],
    )?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let owner_org = first.int(0)?;
    let partner_orgs = rows
        .iter()
        .filter_map(|r| r.opt_int(1).transpose())
        .collect::<Result<Vec<i64>, Error>>()?;
    Ok(Some(PlanAccess {
        owner_org,
        partner_orgs,
    }))
}

/// The plan's access facts when the actor may see it; "not found" otherwise.
fn visible(tx: &mut dyn Tx, a: &Actor, plan_id: i64) -> Result<PlanAccess, Error> {
    match access(tx, plan_id)? {
        Some(p) if policy::can_view_plan(a, &p) => Ok(p),
        _ => Err(Error::NotFound(format!("plan {plan_id}"))),
    }
}

fn forbidden(what: &str) -> Error {
    Error::Forbidden(what.to_string())
}

fn org_ref(tx: &mut dyn Tx, id: i64) -> Result<OrgRef, Error> {
    let r = tx
        .one(
            "SELECT id, name, kind FROM organisations WHERE id = ?",
            &[id.into()],
        )?
        .ok_or_else(|| {
            Error::invalid("organisatie", format!("organisation {id} does not exist"))
        })?;
    Ok(OrgRef {
        id: r.int(0)?,
        name: r.text(1)?,
        kind: OrgKind::parse("kind", &r.text(2)?)?,
    })
}

/// Organisation names for the audit log (people read it; ids alone say nothing).
fn org_names(tx: &mut dyn Tx, ids: &[i64]) -> Result<Value, Error> {
    Ok(Value::Array(
        ids.iter()
            .map(|i| org_ref(tx, *i).map(|o| Value::String(o.name)))
            .collect::<Result<_, _>>()?,
    ))
}

fn partners_of(tx: &mut dyn Tx, plan_id: i64) -> Result<Vec<OrgRef>, Error> {
    tx.query(
        "SELECT o.id, o.name, o.kind FROM plan_partners pp JOIN organisations o ON o.id = pp.org_id WHERE pp.plan_id = ? ORDER BY o.name",
        &[plan_id.into()],
    )?
    .iter()
    .map(|r| {
        Ok(OrgRef {
            id: r.int(0)?,
            name: r.text(1)?,
            kind: OrgKind::parse("kind", &r.text(2)?)?,
        })
    })
    .collect()
}

fn check_partners(tx: &mut dyn Tx, owner: i64, partners: &[i64]) -> Result<Vec<i64>, Error> {
    if partners.len() > limits::PARTNERS {
        return Err(Error::invalid(
            "partners",
            format!("at most {} partner organisations", limits::PARTNERS),
        ));
    }
    let mut out: Vec<i64> = Vec::new();
    for &p in partners {
        if p == owner || out.contains(&p) {
            continue;
        }
        org_ref(tx, p)?;
        out.push(p);
    }
    out.sort_unstable();
    Ok(out)
}

/// Ends all of a user's sessions and revokes all their API tokens (in the caller's
/// transaction, with its audit entry).
fn end_access(tx: &mut dyn Tx, user_id: i64, now: i64) -> Result<Ended, Error> {
    let sessions = tx.exec("DELETE FROM sessions WHERE user_id = ?", &[user_id.into()])?;
    let tokens = tx.exec(
        "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        &[now.into(), user_id.into()],
    )?;
    Ok(Ended { sessions, tokens })
}

/// A measure's fields as sent (POST) or as they would be after an edit (PATCH).
struct MeasureDraft<'a> {
    kind: &'a str,
    title: &'a str,
    description: &'a str,
    status: &'a str,
    start: &'a str,
    end: Option<&'a str>,
    budget_cents: Option<i64>,
    partners: &'a [i64],
}

/// A measure that passed [`check_measure`].
struct CheckedMeasure {
    kind: MeasureKind,
    title: String,
    description: String,
    status: MeasureStatus,
    start: String,
    end: Option<String>,
    budget_cents: Option<i64>,
    partners: Vec<i64>,
}

/// Every rule on a measure's fields, one function for new measures and edits: kind and
/// status from their lists, title 1–200 and description 0–20,000 characters, real dates
/// with the end not before the start, a budget from 0 to 100 billion euro (in cents), and
/// at most 50 partners, each the plan's owner or one of its partners (the measure's own
/// organisation is left out).
fn check_measure(
    acc: &PlanAccess,
    owner: i64,
    d: &MeasureDraft<'_>,
) -> Result<CheckedMeasure, Error> {
    let kind = MeasureKind::parse("soort", d.kind)?;
    let title = text("titel", d.title, limits::TITLE, false)?;
    let description = text("omschrijving", d.description, limits::TEXT, true)?;
    let status = MeasureStatus::parse("status", d.status)?;
    let start = date("start", d.start)?;
    let end = d
        .end
        .filter(|s| !s.trim().is_empty())
        .map(|s| date("eind", s))
        .transpose()?;
    if let Some(e) = &end
        && *e < start
    {
        return Err(Error::invalid(
            "eind",
            format!("{e} lies before the start {start}"),
        ));
    }
    if let Some(b) = d.budget_cents
        && !(0..=limits::BUDGET_CENTS_MAX).contains(&b)
    {
        return Err(Error::invalid(
            "budget",
            format!(
                "{b} cents is outside 0 to {} cents (100 billion euro)",
                limits::BUDGET_CENTS_MAX
            ),
        ));
    }
    let mut partners: Vec<i64> = Vec::new();
    for &p in d.partners {
        if p != owner && !partners.contains(&p) {
            partners.push(p);
        }
    }
    if partners.len() > limits::PARTNERS {
        return Err(Error::invalid(
            "partners",
            format!("at most {} partner organisations", limits::PARTNERS),
        ));
    }
    let outside: Vec<String> = partners
        .iter()
        .filter(|p| **p != acc.owner_org && !acc.partner_orgs.contains(p))
        .map(i64::to_string)
        .collect();
    if !outside.is_empty() {
        return Err(Error::invalid(
            "partners",
            format!(
                "organisation(s) {} are not the plan's owner or one of its partners; add them to the plan's partners first, or leave them out",
                outside.join(", ")
            ),
        ));
    }
    partners.sort_unstable();
    Ok(CheckedMeasure {
        kind,
        title,
        description,
        status,
        start,
        end,
        budget_cents: d.budget_cents,
        partners,
    })
}

fn finite(field: &str, v: f64) -> Result<f64, Error> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::invalid(field, "must be a finite number"))
    }
}

impl PartnerDb {
    /// Opens the database (creating a SQLite file) and brings its schema up to date.
    pub fn open(loc: &Location, opts: Options) -> Result<PartnerDb, Error> {
        let db = Db::open(loc, opts.connections)?;
        let ws = PartnerDb {
            db,
            opts,
            location: loc.clone(),
            dummy_hash: auth::dummy_hash(opts.hash_cost),
            throttle: Throttle::new(opts.backoff),
        };
        ws.migrate()?;
        Ok(ws)
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Applies every migration the database has not seen, each in its own transaction;
    /// refuses a database written by a newer veerkracht.
    fn migrate(&self) -> Result<(), Error> {
        self.db.write(|tx| {
            if tx.backend() == Backend::Postgres {
                tx.exec("SELECT pg_advisory_xact_lock(72745)", &[])?;
            }
            tx.batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )?;
            let have: Vec<i64> = tx
                .query("SELECT version FROM schema_migrations ORDER BY version", &[])?
                .iter()
                .map(|r| r.int(0))
                .collect::<Result<_, _>>()?;
            if let Some(&newest) = have.last()
                && newest > SCHEMA_VERSION
            {
                return Err(Error::Db(format!(
                    "the workspace has schema version {newest}; this veerkracht knows up to {SCHEMA_VERSION} — update veerkracht"
                )));
            }
            for (v, name, sqlite, pg) in MIGRATIONS {
                if have.contains(v) {
                    continue;
                }
                tx.batch(match tx.backend() {
                    Backend::Sqlite => sqlite,
                    Backend::Postgres => pg,
                })?;
                tx.exec(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    &[(*v).into(), (*name).into(), now_ms().into()],
                )?;
            }
            Ok(())
        })
    }

    pub fn schema_version(&self) -> Result<i64, Error> {
        self.db.read(|tx| {
            tx.one("SELECT MAX(version) FROM schema_migrations", &[])?
                .map(|r| r.opt_int(0))
                .transpose()
                .map(|v| v.flatten().unwrap_or(0))
        })
    }

    // ----- organisations and users (administration) -----

    /// Creates an organisation; `by` is the acting administrator (None: the command line).
    pub fn create_org(
        &self,
        by: Option<&Actor>,
        name: &str,
        kind: OrgKind,
        gemeenten: &[String],
        own_stock: bool,
    ) -> Result<i64, Error> {
        let name = text("naam", name, limits::NAME, false)?;
        let mut gm = Vec::new();
        for g in gemeenten {
            let c = g.trim().to_ascii_uppercase();
            if !(c.starts_with("GM") && c.len() == 6 && c[2..].bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(Error::invalid(
                    "gemeenten",
                    format!("'{}' is not a gemeente code such as GM0344", clip(g, 20)),
                ));
            }
            gm.push(c);
        }
        if own_stock && kind != OrgKind::Corporatie {
            return Err(Error::invalid(
                "eigen_voorraad",
                "only a corporatie can hold its own stock",
            ));
        }
        let now = now_ms();
        self.db.write(|tx| {
            if tx
                .one("SELECT id FROM organisations WHERE name = ?", &[(&name).into()])?
                .is_some()
            {
                return Err(Error::Conflict(format!(
                    "an organisation named '{name}' already exists"
                )));
            }
            if own_stock {
                if tx.backend() == Backend::Postgres {
                    // the audit chain's lock, taken early: two of these cannot both pass the check
                    tx.exec("SELECT pg_advisory_xact_lock(72746)", &[])?;
                }
                if let Some(r) = tx.one("SELECT name FROM organisations WHERE own_stock = 1", &[])? {
                    return Err(Error::Conflict(format!(
                        "'{}' already holds this server's own stock; only one organisation can (its stock and allocation pages are that corporation's data). Add '{name}' without --own-stock",
                        r.text(0)?
                    )));
                }
            }
            let id = tx.insert(
                "INSERT INTO organisations (name, kind, gemeenten, own_stock, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                &[(&name).into(), kind.word().into(), gm.join(",").into(), i64::from(own_stock).into(), now.into()],
            )?;
            append_audit(tx, now, Audit {
                actor: by,
                action: "aangemaakt",
                entity: "organisatie",
                entity_id: Some(id),
                plan_id: None,
                before: None,
                after: Some(json!({"naam": name, "soort": kind, "gemeenten": gm, "eigen_voorraad": own_stock})),
            })?;
            Ok(id)
        })
    }

    pub fn organisations(&self) -> Result<Vec<Organisation>, Error> {
        self.db.read(organisations)
    }

    /// The corporation whose own stock this server holds, if any. More than one is an
    /// error (`serve --multi-user` refuses to start): each would see the stock pages.
    pub fn stock_holder(&self) -> Result<Option<Organisation>, Error> {
        let mut holders: Vec<Organisation> = self
            .organisations()?
            .into_iter()
            .filter(|o| o.own_stock)
            .collect();
        if holders.len() > 1 {
            let names: Vec<String> = holders.iter().map(|o| format!("'{}'", o.name)).collect();
            return Err(Error::Conflict(format!(
                "{} organisations hold this server's own stock ({}) in {}; only one may. Keep one and clear the others, e.g. UPDATE organisations SET own_stock = 0 WHERE name = {}",
                holders.len(),
                names.join(", "),
                self.location.describe(),
                names[1..].join(" OR name = ")
            )));
        }
        Ok(holders.pop())
    }

    pub fn org_by_name(&self, name: &str) -> Result<Organisation, Error> {
        self.organisations()?
            .into_iter()
            .find(|o| o.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::NotFound(format!("organisation '{}'", clip(name, 60))))
    }

    /// Creates a user. `by`: an organisation's beheerder (only for their own organisation) or
    /// None (the command line, any organisation).
    pub fn create_user(
        &self,
        by: Option<&Actor>,
        org_id: i64,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> Result<i64, Error> {
        if let Some(a) = by
            && !policy::can_manage_users(a, org_id)
        {
            return Err(forbidden(
                "only a beheerder of the organisation adds its users",
            ));
        }
        let username = check_username(username)?;
        let display = text("naam", display_name, limits::NAME, false)?;
        auth::check_password(password)?;
        let hash = auth::hash_password(password, self.opts.hash_cost)?;
        let now = now_ms();
        self.db.write(|tx| {
            org_ref(tx, org_id)?;
            if tx
                .one("SELECT id FROM users WHERE username = ?", &[(&username).into()])?
                .is_some()
            {
                return Err(Error::Conflict(format!(
                    "the user name '{username}' is taken"
                )));
            }
            let id = tx.insert(
                "INSERT INTO users (org_id, username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                &[org_id.into(), (&username).into(), (&display).into(), role.word().into(), hash.into(), now.into()],
            )?;
            append_audit(tx, now, Audit {
                actor: by,
                action: "aangemaakt",
                entity: "gebruiker",
                entity_id: Some(id),
                plan_id: None,
                before: None,
                after: Some(json!({"gebruikersnaam": username, "naam": display, "rol": role, "organisatie": org_id})),
            })?;
            Ok(id)
        })
    }

    /// Sets a new password (command line or the user themself). In the same transaction it
    /// ends the user's sessions and revokes their API tokens (audited): whoever knew the old
    /// password may have made them. Forgets the user's login back-off in this process.
    pub fn set_password(
        &self,
        by: Option<&Actor>,
        username: &str,
        password: &str,
    ) -> Result<Ended, Error> {
        let username = check_username(username)?;
        if let Some(a) = by
            && a.user.username != username
        {
            return Err(forbidden("users change only their own password"));
        }
        auth::check_password(password)?;
        let hash = auth::hash_password(password, self.opts.hash_cost)?;
        let now = now_ms();
        let ended = self.db.write(|tx| {
            let id = tx
                .one("SELECT id FROM users WHERE username = ?", &[(&username).into()])?
                .ok_or_else(|| Error::NotFound(format!("user '{username}'")))?
                .int(0)?;
            tx.exec(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                &[hash.into(), id.into()],
            )?;
            let ended = end_access(tx, id, now)?;
            append_audit(tx, now, Audit {
                actor: by,
                action: "wachtwoord gewijzigd",
                entity: "gebruiker",
                entity_id: Some(id),
                plan_id: None,
                before: None,
                after: Some(json!({"sessies_beeindigd": ended.sessions, "tokens_ingetrokken": ended.tokens})),
            })?;
            Ok(ended)
        })?;
        self.throttle.reset(&username);
        Ok(ended)
    }

    /// Resets a user's login back-off, or disables / re-enables a user. Disabling ends their
    /// sessions and revokes their API tokens in the same transaction, so re-enabling brings
    /// none of them back. `by`: a beheerder of the user's organisation, or None (the command
    /// line).
    pub fn manage_user(
        &self,
        by: Option<&Actor>,
        user_id: i64,
        reset_backoff: bool,
        disabled: Option<bool>,
    ) -> Result<(), Error> {
        let now = now_ms();
        let username = self.db.write(|tx| {
            let r = tx
                .one(
                    "SELECT org_id, disabled, username FROM users WHERE id = ?",
                    &[user_id.into()],
                )?
                .ok_or_else(|| Error::NotFound(format!("user {user_id}")))?;
            if let Some(a) = by {
                if !policy::can_manage_users(a, r.int(0)?) {
                    return Err(Error::NotFound(format!("user {user_id}")));
                }
                if disabled == Some(true) && a.user.id == user_id {
                    return Err(Error::invalid(
                        "gebruiker",
                        "you cannot disable your own account",
                    ));
                }
            }
            let username = r.text(2)?;
            let mut before = serde_json::Map::new();
            let mut after = serde_json::Map::new();
            if reset_backoff {
                let waiting = self.throttle.waiting(&username).map(|w| w.as_secs());
                before.insert("wachttijd_s".into(), json!(waiting));
                after.insert("wachttijd_s".into(), Value::Null);
            }
            if let Some(d) = disabled {
                tx.exec(
                    "UPDATE users SET disabled = ? WHERE id = ?",
                    &[i64::from(d).into(), user_id.into()],
                )?;
                if d {
                    let ended = end_access(tx, user_id, now)?;
                    after.insert("sessies_beeindigd".into(), json!(ended.sessions));
                    after.insert("tokens_ingetrokken".into(), json!(ended.tokens));
                }
                before.insert("uitgeschakeld".into(), json!(r.int(1)? != 0));
                after.insert("uitgeschakeld".into(), json!(d));
            }
            append_audit(
                tx,
                now,
                Audit {
                    actor: by,
                    action: "beheerd",
                    entity: "gebruiker",
                    entity_id: Some(user_id),
                    plan_id: None,
                    before: Some(Value::Object(before)),
                    after: Some(Value::Object(after)),
                },
            )?;
            Ok(username)
        })?;
        if reset_backoff {
            self.throttle.reset(&username);
        }
        Ok(())
    }

    /// Users of an organisation (a beheerder's view) or of all (None: command line), each
    /// with its organisation's name and, when an address must wait before its next login
    /// attempt (in this process), until when (Unix ms).
    pub fn users(&self, org_id: Option<i64>) -> Result<Vec<(User, String, Option<i64>)>, Error> {
        let now = now_ms();
        self.db.read(|tx| {
            let rows = tx.query(
                &format!("SELECT {USER_COLS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE (? = 0 OR u.org_id = ?) ORDER BY o.name, u.username"),
                &[org_id.unwrap_or(0).into(), org_id.unwrap_or(0).into()],
            )?;
            rows.iter()
                .map(|r| {
                    let a = actor_of(r, 0)?;
                    let waiting = self
                        .throttle
                        .waiting(&a.user.username)
                        .map(|w| now + w.as_millis() as i64);
                    Ok((a.user, a.org.name, waiting))
                })
                .collect()
        })
    }

    // ----- logging in -----

    /// Checks a user name and password from `client`; on success a new session (a new
    /// random id every time, so a session id planted before login is never honoured).
    /// Failures slow further attempts ([`Backoff`]): never a lock, and an unknown name gets
    /// exactly the answers (and the argon2 time) of a wrong password.
    pub fn login(&self, username: &str, password: &str, client: IpAddr) -> Result<Session, Error> {
        let now = now_ms();
        let uname = username.trim().to_lowercase();
        let attempt = self.throttle.begin(&uname, client).map_err(|wait| {
            Error::Login(LoginFailure::Slowed {
                retry_after_s: wait.as_millis().div_ceil(1000).max(1) as u64,
            })
        })?;
        let found = self.db.read(|tx| {
            tx.one(
                "SELECT id, password_hash, disabled FROM users WHERE username = ?",
                &[(&uname).into()],
            )
        })?;
        let user = match found.filter(|_| password.len() <= limits::PASSWORD_MAX * 4) {
            Some(r) => Some((r.int(0)?, r.text(1)?, r.int(2)? != 0)),
            None => None,
        };
        let ok = match &user {
            Some((_, hash, disabled)) => auth::verify_password(password, hash) && !disabled,
            None => {
                auth::verify_password(password, &self.dummy_hash);
                false
            }
        };
        let id = user.as_ref().map(|u| u.0);
        let Some(id) = id.filter(|_| ok) else {
            if let Some(wait) = attempt.wait {
                // an address starts to wait: worth a line in the log, for a known name and an
                // unknown one alike (the same work, so the answer takes the same time)
                self.db.write(|tx| {
                    append_audit(tx, now, Audit {
                        actor: None,
                        action: "aanmelden vertraagd na mislukte pogingen",
                        entity: "gebruiker",
                        entity_id: id,
                        plan_id: None,
                        before: None,
                        after: Some(json!({"gebruikersnaam": clip(&uname, limits::USERNAME), "adres": client.to_string(), "pogingen": attempt.failures, "wachttijd_s": wait.as_secs()})),
                    })
                })?;
            }
            return Err(Error::Login(LoginFailure::BadCredentials));
        };
        self.throttle.succeeded(attempt);
        let token = auth::new_token("");
        let csrf = auth::new_token("");
        let expires = now + self.opts.session_ttl.as_millis() as i64;
        self.db.write(|tx| {
            tx.exec(
                "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?",
                &[id.into(), now.into()],
            )?;
            tx.exec(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                &[auth::token_hash(&token).into(), id.into(), (&csrf).into(), now.into(), expires.into()],
            )?;
            Ok(())
        })?;
        let (actor, _) = self
            .session(&token)?
            .ok_or_else(|| Error::Db("the new session was not found".into()))?;
        Ok(Session { token, csrf, actor })
    }

    /// The user and CSRF token behind a session cookie, when the session is valid.
    pub fn session(&self, token: &str) -> Result<Option<(Actor, String)>, Error> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let now = now_ms();
        self.db.read_single(|tx| {
            let Some(r) = tx.one(
                &format!("SELECT {USER_COLS}, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0"),
                &[auth::token_hash(token).into(), now.into()],
            )?
            else {
                return Ok(None);
            };
            Ok(Some((actor_of(&r, 0)?, r.text(11)?)))
        })
    }

    pub fn logout(&self, token: &str) -> Result<(), Error> {
        self.db.write(|tx| {
            tx.exec(
                "DELETE FROM sessions WHERE token_hash = ?",
                &[auth::token_hash(token).into()],
            )?;
            Ok(())
        })
    }

    // ----- API tokens -----

    /// A new API token for the acting user (shown once; only its hash is stored).
    pub fn create_token(&self, a: &Actor, name: &str) -> Result<(i64, String), Error> {
        let name = text("naam", name, limits::NAME, false)?;
        let token = auth::new_token("vk_");
        let now = now_ms();
        self.db.write(|tx| {
            let id = tx.insert(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                &[a.user.id.into(), (&name).into(), auth::token_hash(&token).into(), now.into()],
            )?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "aangemaakt",
                entity: "api-token",
                entity_id: Some(id),
                plan_id: None,
                before: None,
                after: Some(json!({"naam": name})),
            })?;
            Ok((id, token.clone()))
        })
    }

    pub fn tokens(&self, a: &Actor) -> Result<Vec<TokenInfo>, Error> {
        self.db.read(|tx| {
            tx.query(
                "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id",
                &[a.user.id.into()],
            )?
            .iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.int(0)?,
                    name: r.text(1)?,
                    created_at: r.int(2)?,
                    revoked_at: r.opt_int(3)?,
                })
            })
            .collect()
        })
    }

    /// Revokes one of the acting user's tokens (a beheerder: any token of their organisation).
    pub fn revoke_token(&self, a: &Actor, id: i64) -> Result<(), Error> {
        let now = now_ms();
        self.db.write(|tx| {
            let r = tx
                .one(
                    "SELECT t.user_id, u.org_id, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
                    &[id.into()],
                )?
                .ok_or_else(|| Error::NotFound(format!("token {id}")))?;
            let (owner, org) = (r.int(0)?, r.int(1)?);
            if owner != a.user.id && !policy::can_manage_users(a, org) {
                return Err(Error::NotFound(format!("token {id}")));
            }
            if r.opt_int(2)?.is_some() {
                return Ok(());
            }
            tx.exec(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                &[now.into(), id.into()],
            )?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "ingetrokken",
                entity: "api-token",
                entity_id: Some(id),
                plan_id: None,
                before: None,
                after: None,
            })
        })
    }

    /// The user behind an API token (`vk_…`), when it exists and is not revoked.
    pub fn token_actor(&self, token: &str) -> Result<Option<Actor>, Error> {
        if !token.starts_with("vk_") || token.len() != 67 {
            return Ok(None);
        }
        self.db.read_single(|tx| {
            tx.one(
                &format!("SELECT {USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0"),
                &[auth::token_hash(token).into()],
            )?
            .map(|r| actor_of(&r, 0))
            .transpose()
        })
    }

    // ----- plans -----

    /// The plans the actor may see, most recently changed first.
    pub fn plans(&self, a: &Actor) -> Result<Vec<PlanSummary>, Error> {
        self.db.read(|tx| {
            let rows = tx.query(
                "SELECT p.id, p.area_code, p.area_name, p.title, p.status, p.owner_org_id, o.name, o.kind, p.version, p.updated_at FROM plans p JOIN organisations o ON o.id = p.owner_org_id WHERE p.owner_org_id = ? OR p.id IN (SELECT plan_id FROM plan_partners WHERE org_id = ?) ORDER BY p.updated_at DESC, p.id DESC",
                &[a.org.id.into(), a.org.id.into()],
            )?;
            // the partners of all these plans in one query (not one per plan)
            let mut partners: std::collections::HashMap<i64, Vec<OrgRef>> = Default::default();
            for r in tx.query(
                "SELECT pp.plan_id, o.id, o.name, o.kind FROM plan_partners pp JOIN organisations o ON o.id = pp.org_id WHERE pp.plan_id IN (SELECT p.id FROM plans p WHERE p.owner_org_id = ? OR p.id IN (SELECT plan_id FROM plan_partners WHERE org_id = ?)) ORDER BY o.name",
                &[a.org.id.into(), a.org.id.into()],
            )? {
                partners.entry(r.int(0)?).or_default().push(OrgRef {
                    id: r.int(1)?,
                    name: r.text(2)?,
                    kind: OrgKind::parse("kind", &r.text(3)?)?,
                });
            }
            rows.iter()
                .map(|r| summary_of(r, partners.remove(&r.int(0)?).unwrap_or_default()))
                .collect()
        })
    }

    /// One plan with everything under it.
    pub fn plan(&self, a: &Actor, id: i64) -> Result<Plan, Error> {
        self.db.read(|tx| {
            visible(tx, a, id)?;
            let orgs = organisations(tx)?;
            load_plan(tx, id, &orgs)
        })
    }

    /// What a plan's page shows, from one consistent read: the plan, its access facts, the
    /// latest `audit_n` audit entries with their total, and all organisations.
    pub fn plan_view(&self, a: &Actor, id: i64, audit_n: i64) -> Result<PlanView, Error> {
        self.db.read(|tx| {
            let access = visible(tx, a, id)?;
            let organisations = organisations(tx)?;
            let plan = load_plan(tx, id, &organisations)?;
            let (audit, audit_total) = recent_audit(tx, id, audit_n)?;
            Ok(PlanView {
                plan,
                access,
                audit,
                audit_total,
                organisations,
            })
        })
    }

    /// The access facts of a plan the actor may see (for the web layer's buttons).
    pub fn plan_access(&self, a: &Actor, id: i64) -> Result<PlanAccess, Error> {
        self.db.read(|tx| visible(tx, a, id))
    }

    pub fn create_plan(&self, a: &Actor, p: NewPlan) -> Result<i64, Error> {
        let area = area_code(&p.area_code)?;
        if !policy::can_create_plan(a, p.gemeente.as_deref()) {
            return Err(forbidden(
                "a plan is made by a beheerder or analist of an organisation working in the area's gemeente",
            ));
        }
        let area_name = text("gebiedsnaam", &p.area_name, limits::NAME, false)?;
        let title = text("titel", &p.title, limits::TITLE, false)?;
        let analysis = text("probleemanalyse", &p.analysis, limits::TEXT, true)?;
        let snapshot = p.snapshot.to_string();
        if snapshot.len() > limits::SNAPSHOT {
            return Err(Error::invalid("snapshot", "is larger than 2 MB"));
        }
        let now = now_ms();
        self.db.write(|tx| {
            let partners = check_partners(tx, a.org.id, &p.partners)?;
            let id = tx.insert(
                "INSERT INTO plans (area_code, area_name, title, owner_org_id, analysis, status, snapshot, version, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 'concept', ?, 1, ?, ?, ?, ?) RETURNING id",
                &[(&area).into(), (&area_name).into(), (&title).into(), a.org.id.into(), (&analysis).into(), (&snapshot).into(), a.user.id.into(), now.into(), a.user.id.into(), now.into()],
            )?;
            for o in &partners {
                tx.exec(
                    "INSERT INTO plan_partners (plan_id, org_id) VALUES (?, ?)",
                    &[id.into(), (*o).into()],
                )?;
            }
            let partner_names = org_names(tx, &partners)?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "aangemaakt",
                entity: "plan",
                entity_id: Some(id),
                plan_id: Some(id),
                before: None,
                after: Some(json!({"gebied": area, "titel": title, "probleemanalyse": analysis, "partners": partner_names, "status": "concept"})),
            })?;
            Ok(id)
        })
    }

    /// Edits a plan's own fields; `e.version` must be the version the editor saw.
    /// Returns the new version.
    pub fn edit_plan(&self, a: &Actor, id: i64, e: PlanEdit) -> Result<i64, Error> {
        let title = e
            .title
            .as_deref()
            .map(|t| text("titel", t, limits::TITLE, false))
            .transpose()?;
        let analysis = e
            .analysis
            .as_deref()
            .map(|t| text("probleemanalyse", t, limits::TEXT, true))
            .transpose()?;
        let status = e
            .status
            .as_deref()
            .map(|s| PlanStatus::parse("status", s))
            .transpose()?;
        let now = now_ms();
        self.db.write(|tx| {
            let acc = visible(tx, a, id)?;
            if !policy::can_edit_plan(a, &acc) {
                return Err(forbidden("only a beheerder or analist of the owner organisation edits the plan"));
            }
            let cur = tx
                .one(
                    "SELECT p.title, p.analysis, p.status, p.version, u.display_name, p.updated_at FROM plans p JOIN users u ON u.id = p.updated_by WHERE p.id = ?",
                    &[id.into()],
                )?
                .ok_or_else(|| Error::NotFound(format!("plan {id}")))?;
            let version = cur.int(3)?;
            if version != e.version {
                return Err(Error::Conflict(format!(
                    "plan {id} is intussen gewijzigd door {} ({}; nu versie {version}, u bewerkte versie {}). Laad het plan opnieuw en breng uw wijziging opnieuw aan. / The plan was changed by someone else; reload it and re-apply your change.",
                    cur.text(4)?,
                    format_time(cur.int(5)?),
                    e.version
                )));
            }
            let (old_title, old_analysis, old_status) = (cur.text(0)?, cur.text(1)?, cur.text(2)?);
            let new_title = title.clone().unwrap_or_else(|| old_title.clone());
            let new_analysis = analysis.clone().unwrap_or_else(|| old_analysis.clone());
            let new_status = status.map(|s| s.word().to_string()).unwrap_or_else(|| old_status.clone());
            let mut before = serde_json::Map::new();
            let mut after = serde_json::Map::new();
            if new_title != old_title {
                before.insert("titel".into(), old_title.into());
                after.insert("titel".into(), new_title.clone().into());
            }
            if new_analysis != old_analysis {
                before.insert("probleemanalyse".into(), old_analysis.into());
                after.insert("probleemanalyse".into(), new_analysis.clone().into());
            }
            if new_status != old_status {
                before.insert("status".into(), old_status.into());
                after.insert("status".into(), new_status.clone().into());
            }
            if let Some(partners) = &e.partners {
                let new = check_partners(tx, acc.owner_org, partners)?;
                if new != acc.partner_orgs {
                    tx.exec("DELETE FROM plan_partners WHERE plan_id = ?", &[id.into()])?;
                    for o in &new {
                        tx.exec(
                            "INSERT INTO plan_partners (plan_id, org_id) VALUES (?, ?)",
                            &[id.into(), (*o).into()],
                        )?;
                    }
                    before.insert("partners".into(), org_names(tx, &acc.partner_orgs)?);
                    after.insert("partners".into(), org_names(tx, &new)?);
                }
            }
            let n = tx.exec(
                "UPDATE plans SET title = ?, analysis = ?, status = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
                &[(&new_title).into(), (&new_analysis).into(), (&new_status).into(), a.user.id.into(), now.into(), id.into(), version.into()],
            )?;
            if n != 1 {
                return Err(Error::Conflict(format!(
                    "plan {id} is intussen gewijzigd; laad het opnieuw / the plan was changed meanwhile; reload it"
                )));
            }
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "gewijzigd",
                entity: "plan",
                entity_id: Some(id),
                plan_id: Some(id),
                before: Some(Value::Object(before)),
                after: Some(Value::Object(after)),
            })?;
            Ok(version + 1)
        })
    }

    fn touch(tx: &mut dyn Tx, plan: i64, a: &Actor, now: i64) -> Result<(), Error> {
        tx.exec(
            "UPDATE plans SET updated_at = ?, updated_by = ? WHERE id = ?",
            &[now.into(), a.user.id.into(), plan.into()],
        )?;
        Ok(())
    }

    pub fn add_goal(&self, a: &Actor, plan: i64, g: NewGoal) -> Result<i64, Error> {
        let indicator = text("indicator", &g.indicator, 100, false)?;
        let description = text("omschrijving", &g.description, limits::TITLE, true)?;
        let target = finite("streefwaarde", g.target)?;
        let baseline = g.baseline.map(|b| finite("nulmeting", b)).transpose()?;
        let date = date("streefdatum", &g.target_date)?;
        let now = now_ms();
        self.db.write(|tx| {
            let acc = visible(tx, a, plan)?;
            if !policy::can_edit_plan(a, &acc) {
                return Err(forbidden("only a beheerder or analist of the owner organisation sets goals"));
            }
            let id = tx.insert(
                "INSERT INTO goals (plan_id, indicator, description, baseline, baseline_edition, target, target_date, version, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
                &[plan.into(), (&indicator).into(), (&description).into(), baseline.into(), g.baseline_edition.into(), target.into(), (&date).into(), a.user.id.into(), now.into()],
            )?;
            Self::touch(tx, plan, a, now)?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "aangemaakt",
                entity: "doel",
                entity_id: Some(id),
                plan_id: Some(plan),
                before: None,
                after: Some(json!({"indicator": indicator, "omschrijving": description, "nulmeting": baseline, "streefwaarde": target, "streefdatum": date})),
            })?;
            Ok(id)
        })
    }

    pub fn add_measure(&self, a: &Actor, plan: i64, m: NewMeasure) -> Result<i64, Error> {
        let owner = m.owner_org.unwrap_or(a.org.id);
        let now = now_ms();
        self.db.write(|tx| {
            let acc = visible(tx, a, plan)?;
            if !policy::can_add_measure(a, &acc, owner) {
                return Err(forbidden(
                    "measures are added by a beheerder or analist of the plan owner, or of a partner for its own organisation",
                ));
            }
            let c = check_measure(&acc, owner, &MeasureDraft {
                kind: &m.kind,
                title: &m.title,
                description: &m.description,
                status: m.status.as_deref().unwrap_or("gepland"),
                start: &m.start_date,
                end: m.end_date.as_deref(),
                budget_cents: m.budget_cents,
                partners: &m.partners,
            })?;
            let id = tx.insert(
                "INSERT INTO measures (plan_id, kind, title, description, owner_org_id, partner_orgs, budget_cents, status, start_date, end_date, version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                &[plan.into(), c.kind.word().into(), (&c.title).into(), (&c.description).into(), owner.into(), ids_list(&c.partners).into(), c.budget_cents.into(), c.status.word().into(), (&c.start).into(), c.end.clone().into(), a.user.id.into(), now.into(), now.into()],
            )?;
            Self::touch(tx, plan, a, now)?;
            let owner_name = org_ref(tx, owner)?.name;
            let partner_names = org_names(tx, &c.partners)?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "aangemaakt",
                entity: "maatregel",
                entity_id: Some(id),
                plan_id: Some(plan),
                before: None,
                after: Some(json!({"soort": c.kind, "titel": c.title, "omschrijving": c.description, "eigenaar": owner_name, "partners": partner_names, "budget_centen": c.budget_cents, "status": c.status, "start": c.start, "eind": c.end})),
            })?;
            Ok(id)
        })
    }

    /// Edits a measure against the version the editor saw; the new version. The measure as
    /// it would be after the edit is checked exactly as a new one (`check_measure`).
    pub fn edit_measure(
        &self,
        a: &Actor,
        plan: i64,
        id: i64,
        e: MeasureEdit,
    ) -> Result<i64, Error> {
        let now = now_ms();
        self.db.write(|tx| {
            let acc = visible(tx, a, plan)?;
            let cur = tx
                .one(
                    "SELECT m.owner_org_id, m.status, m.title, m.description, m.budget_cents, m.end_date, m.version, m.start_date, m.updated_at, m.kind, m.partner_orgs FROM measures m WHERE m.id = ? AND m.plan_id = ?",
                    &[id.into(), plan.into()],
                )?
                .ok_or_else(|| Error::NotFound(format!("measure {id} of plan {plan}")))?;
            let owner = cur.int(0)?;
            if !policy::can_edit_measure(a, &acc, owner) {
                return Err(forbidden("a measure is edited by the plan owner or by its own organisation (beheerder or analist)"));
            }
            let version = cur.int(6)?;
            if version != e.version {
                return Err(Error::Conflict(format!(
                    "maatregel {id} is intussen gewijzigd ({}; nu versie {version}, u bewerkte versie {}). Laad het plan opnieuw. / The measure was changed meanwhile; reload the plan.",
                    format_time(cur.int(8)?),
                    e.version
                )));
            }
            let old = CheckedMeasure {
                kind: MeasureKind::parse("soort", &cur.text(9)?)?,
                title: cur.text(2)?,
                description: cur.text(3)?,
                status: MeasureStatus::parse("status", &cur.text(1)?)?,
                start: cur.text(7)?,
                end: cur.opt_text(5)?,
                budget_cents: cur.opt_int(4)?,
                partners: {
                    let mut p = parse_ids(&cur.text(10)?);
                    p.sort_unstable();
                    p
                },
            };
            let status = e.status.as_deref().unwrap_or(old.status.word());
            let end = match &e.end_date {
                Some(x) => x.as_deref(),
                None => old.end.as_deref(),
            };
            let new = check_measure(&acc, owner, &MeasureDraft {
                kind: old.kind.word(),
                title: e.title.as_deref().unwrap_or(&old.title),
                description: e.description.as_deref().unwrap_or(&old.description),
                status,
                start: &old.start,
                end,
                budget_cents: e.budget_cents.unwrap_or(old.budget_cents),
                partners: e.partners.as_deref().unwrap_or(&old.partners),
            })?;
            let mut before = serde_json::Map::new();
            let mut after = serde_json::Map::new();
            let mut diff = |k: &str, b: Value, n: Value| {
                if b != n {
                    before.insert(k.into(), b);
                    after.insert(k.into(), n);
                }
            };
            diff("status", json!(old.status), json!(new.status));
            diff("titel", json!(old.title), json!(new.title));
            diff("omschrijving", json!(old.description), json!(new.description));
            diff("budget_centen", json!(old.budget_cents), json!(new.budget_cents));
            diff("eind", json!(old.end), json!(new.end));
            if new.partners != old.partners {
                before.insert("partners".into(), org_names(tx, &old.partners)?);
                after.insert("partners".into(), org_names(tx, &new.partners)?);
            }
            let n = tx.exec(
                "UPDATE measures SET status = ?, title = ?, description = ?, budget_cents = ?, end_date = ?, partner_orgs = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &[new.status.word().into(), new.title.into(), new.description.into(), new.budget_cents.into(), new.end.into(), ids_list(&new.partners).into(), now.into(), id.into(), version.into()],
            )?;
            if n != 1 {
                return Err(Error::Conflict(format!("maatregel {id} is intussen gewijzigd / changed meanwhile")));
            }
            Self::touch(tx, plan, a, now)?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "gewijzigd",
                entity: "maatregel",
                entity_id: Some(id),
                plan_id: Some(plan),
                before: Some(Value::Object(before)),
                after: Some(Value::Object(after)),
            })?;
            Ok(version + 1)
        })
    }

    pub fn add_comment(
        &self,
        a: &Actor,
        plan: i64,
        kind: CommentKind,
        body: &str,
    ) -> Result<i64, Error> {
        let body = text("tekst", body, limits::TEXT, false)?;
        let now = now_ms();
        self.db.write(|tx| {
            let acc = visible(tx, a, plan)?;
            if !policy::can_comment(a, &acc, kind) {
                return Err(forbidden(match kind {
                    CommentKind::Besluit => "decisions are recorded by a beheerder or analist of the plan owner",
                    CommentKind::Opmerking => "comments are written by a beheerder or analist of the owner or a partner",
                }));
            }
            let id = tx.insert(
                "INSERT INTO comments (plan_id, kind, body, author_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                &[plan.into(), kind.word().into(), (&body).into(), a.user.id.into(), now.into()],
            )?;
            Self::touch(tx, plan, a, now)?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "aangemaakt",
                entity: kind.word(),
                entity_id: Some(id),
                plan_id: Some(plan),
                before: None,
                after: Some(json!({"tekst": body})),
            })?;
            Ok(id)
        })
    }

    /// Shares an aggregate (already suppressed by the caller) into a plan.
    pub fn share(
        &self,
        a: &Actor,
        plan: i64,
        kind: SharedKind,
        title: &str,
        body: &Value,
    ) -> Result<i64, Error> {
        let title = text("titel", title, limits::TITLE, false)?;
        let body_s = body.to_string();
        if body_s.len() > limits::SNAPSHOT {
            return Err(Error::invalid("inhoud", "is larger than 2 MB"));
        }
        let now = now_ms();
        self.db.write(|tx| {
            let acc = visible(tx, a, plan)?;
            if !policy::can_share_aggregate(a, &acc) {
                return Err(forbidden("only the corporation holding the stock shares aggregates of it (beheerder or analist)"));
            }
            let id = tx.insert(
                "INSERT INTO shared_items (plan_id, kind, title, body, org_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &[plan.into(), kind.word().into(), (&title).into(), (&body_s).into(), a.org.id.into(), a.user.id.into(), now.into()],
            )?;
            Self::touch(tx, plan, a, now)?;
            append_audit(tx, now, Audit {
                actor: Some(a),
                action: "gedeeld",
                entity: kind.word(),
                entity_id: Some(id),
                plan_id: Some(plan),
                before: None,
                after: Some(json!({"titel": title})),
            })?;
            Ok(id)
        })
    }

    /// The audit trail of a plan (for those who may see the plan), oldest first.
    pub fn plan_audit(&self, a: &Actor, plan: i64) -> Result<Vec<AuditEntry>, Error> {
        self.db.read(|tx| {
            visible(tx, a, plan)?;
            audit_rows(tx, "WHERE l.plan_id = ?", &[plan.into()])
        })
    }

    /// Every audit entry (the command line's `veerkracht accounts audit`).
    pub fn audit_all(&self) -> Result<Vec<AuditEntry>, Error> {
        self.db.read(|tx| audit_rows(tx, "", &[]))
    }

    /// Checks the database (SQLite: integrity and foreign keys) and walks the audit chain.
    pub fn integrity(&self) -> Result<Integrity, Error> {
        self.db.read(|tx| {
            let mut messages = Vec::new();
            let mut database_ok = true;
            if tx.backend() == Backend::Sqlite {
                for r in tx.query("PRAGMA integrity_check", &[])? {
                    let m = r.text(0)?;
                    if m != "ok" {
                        database_ok = false;
                        messages.push(m);
                    }
                }
                let fk = tx.query("PRAGMA foreign_key_check", &[])?;
                if !fk.is_empty() {
                    database_ok = false;
                    messages.push(format!("{} rows break a foreign key", fk.len()));
                }
            }
            let rows = tx.query(
                "SELECT id, at, user_id, org_id, action, entity, entity_id, plan_id, before, after, prev_hash, hash FROM audit_log ORDER BY id",
                &[],
            )?;
            let mut prev = "0".repeat(64);
            let mut broken = None;
            for r in &rows {
                let fields: Vec<&Val> = r.0[1..10].iter().collect();
                let expect = audit_hash(&prev, &fields);
                if r.text(10)? != prev || r.text(11)? != expect {
                    broken = Some(r.int(0)?);
                    messages.push(format!("audit entry {} does not follow from its predecessor", r.int(0)?));
                    break;
                }
                prev = r.text(11)?;
            }
            Ok(Integrity {
                database_ok,
                audit_entries: rows.len() as i64,
                audit_broken_at: broken,
                messages,
            })
        })
    }

    /// Counts of rows per table (for messages after restore and for tests).
    pub fn counts(&self) -> Result<Vec<(String, i64)>, Error> {
        self.db.read(|tx| {
            BACKUP_TABLES
                .iter()
                .map(|(t, _)| {
                    Ok((
                        t.to_string(),
                        tx.one(&format!("SELECT COUNT(*) FROM {t}"), &[])?
                            .map(|r| r.int(0))
                            .transpose()?
                            .unwrap_or(0),
                    ))
                })
                .collect()
        })
    }

    /// Writes a backup (JSON lines: a header, the columns and rows of every table but the
    /// sessions, a trailer with the row count and a SHA-256 over the lines) from one
    /// consistent read transaction. Works the same from SQLite and PostgreSQL, so a backup
    /// also moves a workspace from one to the other.
    pub fn backup(&self, out: &mut dyn std::io::Write) -> Result<i64, Error> {
        let io = |e: std::io::Error| Error::Db(format!("writing the backup: {e}"));
        let schema = self.schema_version()?;
        self.db.read(|tx| {
            let mut h = Sha256::new();
            let mut rows_total = 0i64;
            let mut line = |out: &mut dyn std::io::Write, v: Value| -> Result<(), Error> {
                let s = v.to_string();
                h.update(s.as_bytes());
                h.update(b"\n");
                writeln!(out, "{s}").map_err(io)
            };
            line(
                out,
                json!({"veerkracht_backup": 1, "schema": schema, "created_at": now_ms()}),
            )?;
            for (t, order) in BACKUP_TABLES {
                let (cols, rows) =
                    tx.query_named(&format!("SELECT * FROM {t} ORDER BY {order}"))?;
                line(out, json!({"table": t, "columns": cols}))?;
                for r in rows {
                    rows_total += 1;
                    line(
                        out,
                        json!({"t": t, "r": r.0.iter().map(Val::to_json).collect::<Vec<_>>()}),
                    )?;
                }
            }
            let digest = auth::hex(&h.finalize());
            writeln!(
                out,
                "{}",
                json!({"end": true, "rows": rows_total, "sha256": digest})
            )
            .map_err(io)?;
            Ok(rows_total)
        })
    }

    /// Restores a backup into an empty workspace (after its migrations). Checks the
    /// trailer's checksum before writing anything, then writes everything in one
    /// transaction and re-checks the audit chain.
    pub fn restore(&self, input: impl std::io::BufRead, source: &str) -> Result<i64, Error> {
        let mut lines = Vec::new();
        for (i, l) in input.lines().enumerate() {
            let l =
                l.map_err(|e| Error::Db(format!("{source}: line {}: cannot read: {e}", i + 1)))?;
            lines.push(l);
        }
        let bad = |line: usize, m: &str| Error::Db(format!("{source}: line {line}: {m}"));
        let Some(last) = lines.last() else {
            return Err(bad(1, "the file is empty — not a veerkracht backup"));
        };
        let trailer: Value = serde_json::from_str(last).map_err(|_| {
            bad(
                lines.len(),
                "the last line is not the backup's trailer: the file is incomplete (cut off?)",
            )
        })?;
        if trailer.get("end") != Some(&Value::Bool(true)) {
            return Err(bad(
                lines.len(),
                "the last line is not the backup's trailer: the file is incomplete (cut off?)",
            ));
        }
        let mut h = Sha256::new();
        for l in &lines[..lines.len() - 1] {
            h.update(l.as_bytes());
            h.update(b"\n");
        }
        if trailer.get("sha256").and_then(Value::as_str) != Some(auth::hex(&h.finalize()).as_str())
        {
            return Err(bad(
                lines.len(),
                "the checksum does not match: the file was changed or damaged",
            ));
        }
        let header: Value = serde_json::from_str(&lines[0])
            .map_err(|_| bad(1, "not a veerkracht backup header"))?;
        if !backup_header_ok(&header) {
            return Err(bad(1, "not a veerkracht backup (header missing)"));
        }
        let schema = header.get("schema").and_then(Value::as_i64).unwrap_or(0);
        if schema > SCHEMA_VERSION {
            return Err(bad(
                1,
                &format!(
                    "the backup has schema {schema}; this veerkracht knows up to {SCHEMA_VERSION} — update veerkracht"
                ),
            ));
        }
        let total = self.db.write(|tx| {
            let existing = tx.one("SELECT COUNT(*) FROM organisations", &[])?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
            if existing > 0 {
                return Err(Error::Conflict(format!("{}: the workspace is not empty ({existing} organisations); restore into a new file or database", self.location.describe())));
            }
            let mut cols: Vec<String> = Vec::new();
            let mut table = String::new();
            let mut n = 0i64;
            for (i, l) in lines[1..lines.len() - 1].iter().enumerate() {
                let ln = i + 2;
                let v: Value = serde_json::from_str(l).map_err(|e| bad(ln, &format!("not JSON: {e}")))?;
                if let Some(t) = v.get("table").and_then(Value::as_str) {
                    if !BACKUP_TABLES.iter().any(|(x, _)| *x == t) {
                        return Err(bad(ln, &format!("unknown table '{}'", clip(t, 40))));
                    }
                    table = t.to_string();
                    cols = v.get("columns").and_then(Value::as_array).map(|a| a.iter().filter_map(|c| c.as_str().map(str::to_string)).collect()).unwrap_or_default();
                    if cols.is_empty() || cols.iter().any(|c| !c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')) {
                        return Err(bad(ln, "bad column list"));
                    }
                    continue;
                }
                let (Some(t), Some(r)) = (v.get("t").and_then(Value::as_str), v.get("r").and_then(Value::as_array)) else {
                    return Err(bad(ln, "neither a table header nor a row"));
                };
                if t != table || r.len() != cols.len() {
                    return Err(bad(ln, "row does not match its table's columns"));
                }
                let vals: Vec<Val> = r.iter().map(|x| match x {
                    Value::Null => Ok(Val::Null),
                    Value::String(s) => Ok(Val::Text(s.clone())),
                    Value::Number(n) if n.is_i64() => Ok(Val::Int(n.as_i64().unwrap_or(0))),
                    Value::Number(n) => Ok(Val::Real(n.as_f64().unwrap_or(f64::NAN))),
                    _ => Err(bad(ln, "unexpected value")),
                }).collect::<Result<_, _>>()?;
                let q = vec!["?"; cols.len()].join(", ");
                tx.exec(&format!("INSERT INTO {table} ({}) VALUES ({q})", cols.join(", ")), &vals)?;
                n += 1;
            }
            if trailer.get("rows").and_then(Value::as_i64) != Some(n) {
                return Err(bad(lines.len(), "the row count does not match the trailer"));
            }
            if tx.backend() == Backend::Postgres {
                for (t, order) in BACKUP_TABLES {
                    if *order == "id" {
                        tx.exec(&format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"), &[])?;
                    }
                }
            }
            Ok(n)
        })?;
        let check = self.integrity()?;
        if !check.ok() {
            return Err(Error::Db(format!(
                "{source}: restored, but the check failed: {}",
                check.messages.join("; ")
            )));
        }
        Ok(total)
    }
}

pub fn backup_header_ok(v: &Value) -> bool {
    v.get("veerkracht_backup").and_then(Value::as_i64) == Some(1)
}

/// A plan with everything under it (no access check: callers check).
fn load_plan(tx: &mut dyn Tx, id: i64, orgs: &[Organisation]) -> Result<Plan, Error> {
    // organisations by id from the list the caller read (one query instead of one per measure)
    let org = |oid: i64| -> Result<OrgRef, Error> {
        orgs.iter()
            .find(|o| o.id == oid)
            .map(|o| OrgRef {
                id: o.id,
                name: o.name.clone(),
                kind: o.kind,
            })
            .ok_or_else(|| Error::Db(format!("organisation {oid} of plan {id} is missing")))
    };
    let r = tx
        .one(
            "SELECT p.id, p.area_code, p.area_name, p.title, p.status, p.owner_org_id, o.name, o.kind, p.version, p.updated_at, p.analysis, p.snapshot, cu.display_name, p.created_at, uu.display_name FROM plans p JOIN organisations o ON o.id = p.owner_org_id JOIN users cu ON cu.id = p.created_by JOIN users uu ON uu.id = p.updated_by WHERE p.id = ?",
            &[id.into()],
        )?
        .ok_or_else(|| Error::NotFound(format!("plan {id}")))?;
    let summary = summary_of(&r, partners_of(tx, id)?)?;
    let snapshot: Value = serde_json::from_str(&r.text(11)?)
        .map_err(|e| Error::Db(format!("plan {id}: snapshot is not JSON: {e}")))?;
    let goals = tx
        .query(
            "SELECT id, indicator, description, baseline, baseline_edition, target, target_date, version FROM goals WHERE plan_id = ? ORDER BY id",
            &[id.into()],
        )?
        .iter()
        .map(|g| {
            Ok(Goal {
                id: g.int(0)?,
                indicator: g.text(1)?,
                description: g.text(2)?,
                baseline: g.opt_real(3)?,
                baseline_edition: g.opt_int(4)?,
                target: g.real(5)?,
                target_date: g.text(6)?,
                version: g.int(7)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mrows = tx.query(
        "SELECT id, kind, title, description, owner_org_id, partner_orgs, budget_cents, status, start_date, end_date, version FROM measures WHERE plan_id = ? ORDER BY id",
        &[id.into()],
    )?;
    let mut measures = Vec::new();
    for m in mrows {
        let partners = parse_ids(&m.text(5)?)
            .into_iter()
            .map(org)
            .collect::<Result<Vec<_>, _>>()?;
        measures.push(Measure {
            id: m.int(0)?,
            kind: MeasureKind::parse("kind", &m.text(1)?)?,
            title: m.text(2)?,
            description: m.text(3)?,
            owner: org(m.int(4)?)?,
            partners,
            budget_cents: m.opt_int(6)?,
            status: MeasureStatus::parse("status", &m.text(7)?)?,
            start_date: m.text(8)?,
            end_date: m.opt_text(9)?,
            version: m.int(10)?,
        });
    }
    let comments = tx
        .query(
            "SELECT c.id, c.kind, c.body, u.display_name, o.name, c.created_at FROM comments c JOIN users u ON u.id = c.author_id JOIN organisations o ON o.id = u.org_id WHERE c.plan_id = ? ORDER BY c.id",
            &[id.into()],
        )?
        .iter()
        .map(|c| {
            Ok(Comment {
                id: c.int(0)?,
                kind: CommentKind::parse("kind", &c.text(1)?)?,
                body: c.text(2)?,
                author: c.text(3)?,
                org: c.text(4)?,
                created_at: c.int(5)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let shared = tx
        .query(
            "SELECT s.id, s.kind, s.title, s.body, o.name, s.created_at FROM shared_items s JOIN organisations o ON o.id = s.org_id WHERE s.plan_id = ? ORDER BY s.id",
            &[id.into()],
        )?
        .iter()
        .map(|s| {
            Ok(Shared {
                id: s.int(0)?,
                kind: SharedKind::parse("kind", &s.text(1)?)?,
                title: s.text(2)?,
                body: serde_json::from_str(&s.text(3)?).map_err(|e| {
                    Error::Db(format!("plan {id}: shared item is not JSON: {e}"))
                })?,
                org: s.text(4)?,
                created_at: s.int(5)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Plan {
        summary,
        analysis: r.text(10)?,
        snapshot,
        created_by: r.text(12)?,
        created_at: r.int(13)?,
        updated_by: r.text(14)?,
        goals,
        measures,
        comments,
        shared,
    })
}

fn recent_audit(tx: &mut dyn Tx, plan: i64, n: i64) -> Result<(Vec<AuditEntry>, i64), Error> {
    let total = tx
        .one(
            "SELECT COUNT(*) FROM audit_log WHERE plan_id = ?",
            &[plan.into()],
        )?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    let rows = audit_rows(
        tx,
        "WHERE l.plan_id = ? AND l.id >= (SELECT COALESCE(MIN(id), 0) FROM (SELECT id FROM audit_log WHERE plan_id = ? ORDER BY id DESC LIMIT ?) AS recent)",
        &[plan.into(), plan.into(), n.into()],
    )?;
    Ok((rows, total))
}

fn organisations(tx: &mut dyn Tx) -> Result<Vec<Organisation>, Error> {
    tx.query(
        "SELECT id, name, kind, gemeenten, own_stock FROM organisations ORDER BY name",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(Organisation {
            id: r.int(0)?,
            name: r.text(1)?,
            kind: OrgKind::parse("kind", &r.text(2)?)?,
            gemeenten: split_list(&r.text(3)?),
            own_stock: r.int(4)? != 0,
        })
    })
    .collect()
}

/// A plan's summary from the first ten columns of the plans-with-owner queries.
fn summary_of(r: &Row, partners: Vec<OrgRef>) -> Result<PlanSummary, Error> {
    Ok(PlanSummary {
        id: r.int(0)?,
        area_code: r.text(1)?,
        area_name: r.text(2)?,
        title: r.text(3)?,
        status: PlanStatus::parse("status", &r.text(4)?)?,
        owner: OrgRef {
            id: r.int(5)?,
            name: r.text(6)?,
            kind: OrgKind::parse("kind", &r.text(7)?)?,
        },
        partners,
        version: r.int(8)?,
        updated_at: r.int(9)?,
    })
}

fn audit_rows(tx: &mut dyn Tx, filter: &str, params: &[Val]) -> Result<Vec<AuditEntry>, Error> {
    tx.query(
        &format!("SELECT l.id, l.at, u.display_name, o.name, l.action, l.entity, l.entity_id, l.plan_id, l.before, l.after, l.hash FROM audit_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN organisations o ON o.id = l.org_id {filter} ORDER BY l.id"),
        params,
    )?
    .iter()
    .map(|r| {
        let js = |i: usize| -> Result<Option<Value>, Error> {
            Ok(r.opt_text(i)?.and_then(|s| serde_json::from_str(&s).ok()))
        };
        Ok(AuditEntry {
            id: r.int(0)?,
            at: r.int(1)?,
            user: r.opt_text(2)?,
            org: r.opt_text(3)?,
            action: r.text(4)?,
            entity: r.text(5)?,
            entity_id: r.opt_int(6)?,
            plan_id: r.opt_int(7)?,
            before: js(8)?,
            after: js(9)?,
            hash: r.text(10)?,
        })
    })
    .collect()
}
