-- veerkracht partner workspace, schema 1 (SQLite). Times are Unix milliseconds (UTC).
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('corporatie','gemeente','zorg','politie','huurdersorganisatie','overig')),
    gemeenten TEXT NOT NULL DEFAULT '',
    own_stock INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('beheerder','analist','lezer')),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    area_code TEXT NOT NULL,
    area_name TEXT NOT NULL,
    title TEXT NOT NULL,
    owner_org_id INTEGER NOT NULL REFERENCES organisations(id),
    analysis TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('concept','actief','afgerond')),
    snapshot TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL
);
CREATE TABLE plan_partners (
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (plan_id, org_id)
);
CREATE INDEX plan_partners_org ON plan_partners(org_id);
CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    indicator TEXT NOT NULL,
    description TEXT NOT NULL,
    baseline REAL,
    baseline_edition INTEGER,
    target REAL NOT NULL,
    target_date TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX goals_plan ON goals(plan_id);
CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    kind TEXT NOT NULL CHECK (kind IN ('fysiek','sociaal','toewijzing','zorg','veiligheid','woningvoorraad')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_org_id INTEGER NOT NULL REFERENCES organisations(id),
    partner_orgs TEXT NOT NULL DEFAULT '',
    budget_cents INTEGER,
    status TEXT NOT NULL CHECK (status IN ('gepland','lopend','afgerond','gestopt')),
    start_date TEXT NOT NULL,
    end_date TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX measures_plan ON measures(plan_id);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    kind TEXT NOT NULL CHECK (kind IN ('besluit','opmerking')),
    body TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_plan ON comments(plan_id);
CREATE TABLE shared_items (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    kind TEXT NOT NULL CHECK (kind IN ('scenario','huurmix')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX shared_items_plan ON shared_items(plan_id);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user_id INTEGER,
    org_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    plan_id INTEGER,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_plan ON audit_log(plan_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
