//! One small SQL layer over SQLite (embedded default, WAL) and PostgreSQL (shared server).
//!
//! The repository ([`crate::PartnerDb`]) is written once against [`Tx`]: statements use `?`
//! placeholders (rewritten to `$1, $2, …` for PostgreSQL), values are [`Val`]s (64-bit
//! integers, doubles, text, null) and every write runs in one transaction. The two schemas
//! differ only in type names; they live side by side in `migrations/{sqlite,postgres}/`.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::Error;

/// A value going into or coming out of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::Real(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map(Into::into).unwrap_or(Val::Null)
    }
}

impl Val {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Val::Null => serde_json::Value::Null,
            Val::Int(i) => (*i).into(),
            Val::Real(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Val::Text(s) => s.clone().into(),
        }
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Val>);

impl Row {
    fn get(&self, i: usize) -> Result<&Val, Error> {
        self.0
            .get(i)
            .ok_or_else(|| Error::Db(format!("column {i} missing from a result row")))
    }
    pub fn int(&self, i: usize) -> Result<i64, Error> {
        match self.get(i)? {
            Val::Int(v) => Ok(*v),
            v => Err(Error::Db(format!(
                "column {i}: expected an integer, got {v:?}"
            ))),
        }
    }
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, Error> {
        match self.get(i)? {
            Val::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }
    pub fn real(&self, i: usize) -> Result<f64, Error> {
        match self.get(i)? {
            Val::Real(v) => Ok(*v),
            Val::Int(v) => Ok(*v as f64),
            v => Err(Error::Db(format!(
                "column {i}: expected a number, got {v:?}"
            ))),
        }
    }
    pub fn opt_real(&self, i: usize) -> Result<Option<f64>, Error> {
        match self.get(i)? {
            Val::Null => Ok(None),
            _ => self.real(i).map(Some),
        }
    }
    pub fn text(&self, i: usize) -> Result<String, Error> {
        match self.get(i)? {
            Val::Text(v) => Ok(v.clone()),
            v => Err(Error::Db(format!("column {i}: expected text, got {v:?}"))),
        }
    }
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, Error> {
        match self.get(i)? {
            Val::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
}

/// Which database is behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One open transaction.
pub trait Tx {
    fn backend(&self) -> Backend;
    /// Runs a statement; the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, Error>;
    /// Runs a query; its rows.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, Error>;
    /// Runs a query; its column names and rows (for backups).
    fn query_named(&mut self, sql: &str) -> Result<(Vec<String>, Vec<Row>), Error>;
    /// Runs several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), Error>;

    fn one(&mut self, sql: &str, params: &[Val]) -> Result<Option<Row>, Error> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
    /// An `INSERT … RETURNING id`; the new id.
    fn insert(&mut self, sql: &str, params: &[Val]) -> Result<i64, Error> {
        self.one(sql, params)?
            .ok_or_else(|| Error::Db("an insert returned no id".into()))?
            .int(0)
    }
}

/// Where the workspace database is: a SQLite file or a PostgreSQL connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…`, `postgresql://…` or `host=… dbname=…` is PostgreSQL; anything else is a
    /// SQLite file path.
    pub fn parse(s: &str) -> Location {
        let t = s.trim();
        if t.starts_with("postgres://")
            || t.starts_with("postgresql://")
            || (t.contains('=') && (t.contains("host=") || t.contains("dbname=")))
        {
            Location::Postgres(t.to_string())
        } else {
            Location::Sqlite(t.into())
        }
    }

    /// For messages: the file, or the connection string without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(p) => format!("SQLite {}", p.display()),
            Location::Postgres(s) => {
                let cleaned: Vec<String> = s
                    .split_whitespace()
                    .map(|kv| {
                        if kv.starts_with("password=") {
                            "password=…".to_string()
                        } else {
                            kv.to_string()
                        }
                    })
                    .collect();
                let mut c = cleaned.join(" ");
                if let Some(at) = c.find('@')
                    && let Some(scheme) = c.find("://")
                    && let Some(colon) = c[scheme + 3..at].find(':')
                {
                    c.replace_range(scheme + 3 + colon + 1..at, "…");
                }
                format!("PostgreSQL {c}")
            }
        }
    }
}

/// A small pool of connections to one database.
pub struct Db {
    backend: Backend,
    pg_url: Option<String>,
    sqlite_writer: Option<Mutex<rusqlite::Connection>>,
    pool: Mutex<Vec<Conn>>,
    available: Condvar,
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<PgConn>),
}

struct PgConn {
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
}

impl Db {
    /// Opens (SQLite: creates) the database with `readers` pooled connections.
    pub fn open(loc: &Location, readers: usize) -> Result<Db, Error> {
        let readers = readers.max(1);
        match loc {
            Location::Sqlite(path) => {
                let open = || -> Result<rusqlite::Connection, Error> {
                    let c = rusqlite::Connection::open(path)
                        .map_err(|e| Error::Db(format!("{}: cannot open: {e}", path.display())))?;
                    c.busy_timeout(Duration::from_secs(10))?;
                    c.set_prepared_statement_cache_capacity(256);
                    // WAL: readers never block the writer; FULL: a commit is on disk before it
                    // is acknowledged (a power cut loses nothing acknowledged).
                    c.pragma_update(None, "journal_mode", "WAL")?;
                    c.pragma_update(None, "synchronous", "FULL")?;
                    c.pragma_update(None, "foreign_keys", "ON")?;
                    Ok(c)
                };
                let writer = open()?;
                let mode: String = writer.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(Error::Db(format!(
                        "{}: the file system does not allow WAL mode (journal_mode is {mode}); put the workspace on a local disk",
                        path.display()
                    )));
                }
                let mut pool = Vec::new();
                for _ in 0..readers {
                    pool.push(Conn::Sqlite(open()?));
                }
                Ok(Db {
                    backend: Backend::Sqlite,
                    pg_url: None,
                    sqlite_writer: Some(Mutex::new(writer)),
                    pool: Mutex::new(pool),
                    available: Condvar::new(),
                })
            }
            Location::Postgres(url) => {
                let mut pool = Vec::new();
                for _ in 0..readers {
                    pool.push(pg_connect(url)?);
                }
                Ok(Db {
                    backend: Backend::Postgres,
                    pg_url: Some(url.clone()),
                    sqlite_writer: None,
                    pool: Mutex::new(pool),
                    available: Condvar::new(),
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn take(&self) -> Conn {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(c) = pool.pop() {
                return c;
            }
            pool = self.available.wait(pool).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn give(&self, c: Conn) {
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(c);
        self.available.notify_one();
    }

    /// Runs `f` in a write transaction: committed when `f` returns `Ok`, rolled back otherwise.
    /// SQLite: one writer at a time (`BEGIN IMMEDIATE`); PostgreSQL: READ COMMITTED, writers
    /// that touch the audit log serialise on its advisory lock.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T, Error>) -> Result<T, Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut c = self
                    .sqlite_writer
                    .as_ref()
                    .expect("sqlite writer")
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut t = SqliteTx { c: &tx };
                let out = f(&mut t)?;
                tx.commit()?;
                Ok(out)
            }
            Backend::Postgres => self.pg(false, f),
        }
    }

    /// Runs `f` in a read-only transaction that sees one consistent state.
    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T, Error>) -> Result<T, Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.take();
                let out = (|| {
                    let Conn::Sqlite(c) = &mut conn else {
                        unreachable!()
                    };
                    let tx = c.transaction()?;
                    let mut t = SqliteTx { c: &tx };
                    let out = f(&mut t)?;
                    tx.commit()?;
                    Ok(out)
                })();
                self.give(conn);
                out
            }
            Backend::Postgres => self.pg(true, f),
        }
    }

    fn pg<T>(
        &self,
        read_only: bool,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut conn = self.take();
        let out = (|| {
            let Conn::Postgres(pc) = &mut conn else {
                unreachable!()
            };
            let PgConn { client, statements } = &mut **pc;
            let mut b = client.build_transaction();
            if read_only {
                b = b
                    .read_only(true)
                    .isolation_level(postgres::IsolationLevel::RepeatableRead);
            }
            let mut tx = b.start()?;
            let out = {
                let mut t = PgTx {
                    tx: Some(&mut tx),
                    statements,
                };
                f(&mut t)?
            };
            tx.commit()?;
            Ok(out)
        })();
        self.give_pg(conn);
        out
    }

    /// Runs `f`, which reads with a single statement, without a transaction (PostgreSQL: two
    /// round trips fewer; SQLite: no BEGIN/COMMIT). For the per-request session and token
    /// look-ups.
    pub fn read_single<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.backend == Backend::Sqlite {
            return self.read(f);
        }
        let mut conn = self.take();
        let Conn::Postgres(pc) = &mut conn else {
            unreachable!("a PostgreSQL pool holds PostgreSQL connections")
        };
        let PgConn { client, statements } = &mut **pc;
        let out = f(&mut PgTx {
            tx: Some(client),
            statements,
        });
        self.give_pg(conn);
        out
    }

    /// Returns a PostgreSQL connection to the pool, reconnecting one that broke.
    fn give_pg(&self, mut conn: Conn) {
        // A connection that broke (server restarted) is replaced; the pool keeps its size.
        if let Conn::Postgres(pc) = &conn
            && pc.client.is_closed()
        {
            loop {
                match pg_connect(self.pg_url.as_deref().expect("postgres url")) {
                    Ok(c) => {
                        conn = c;
                        break;
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(200)),
                }
            }
        }
        self.give(conn);
    }
}

fn pg_connect(url: &str) -> Result<Conn, Error> {
    let client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| {
        Error::Db(format!(
            "{}: cannot connect: {e}",
            Location::Postgres(url.to_string()).describe()
        ))
    })?;
    Ok(Conn::Postgres(Box::new(PgConn {
        client,
        statements: HashMap::new(),
    })))
}

struct SqliteTx<'a> {
    c: &'a rusqlite::Transaction<'a>,
}

fn to_sqlite(v: &Val) -> rusqlite::types::Value {
    match v {
        Val::Null => rusqlite::types::Value::Null,
        Val::Int(i) => rusqlite::types::Value::Integer(*i),
        Val::Real(f) => rusqlite::types::Value::Real(*f),
        Val::Text(s) => rusqlite::types::Value::Text(s.clone()),
    }
}

fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Val, Error> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(i) => Val::Int(i),
        ValueRef::Real(f) => Val::Real(f),
        ValueRef::Text(t) => Val::Text(
            std::str::from_utf8(t)
                .map_err(|_| Error::Db("a text column is not UTF-8".into()))?
                .to_string(),
        ),
        ValueRef::Blob(_) => return Err(Error::Db("unexpected blob column".into())),
    })
}

/// `= ?` → `= +?` for SQLite. The bundled SQLite (STAT4, constant propagation) marks a
/// statement that joins tables and compares a column with `= ?` to be prepared again
/// whenever a parameter is bound, so the statement cache would never help (measured: every
/// run re-prepared, 30–60 µs each). A unary plus on the parameter keeps the plan (the column
/// side, where an index is used, is untouched) and the cached statement.
fn sqlite_sql(sql: &str) -> std::borrow::Cow<'_, str> {
    if sql.contains("= ?") {
        std::borrow::Cow::Owned(sql.replace("= ?", "= +?"))
    } else {
        std::borrow::Cow::Borrowed(sql)
    }
}

impl Tx for SqliteTx<'_> {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, Error> {
        let mut st = self.c.prepare_cached(&sqlite_sql(sql))?;
        let p: Vec<rusqlite::types::Value> = params.iter().map(to_sqlite).collect();
        Ok(st.execute(rusqlite::params_from_iter(p))? as u64)
    }
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, Error> {
        let mut st = self.c.prepare_cached(&sqlite_sql(sql))?;
        let n = st.column_count();
        let p: Vec<rusqlite::types::Value> = params.iter().map(to_sqlite).collect();
        let mut rows = st.query(rusqlite::params_from_iter(p))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut v = Vec::with_capacity(n);
            for i in 0..n {
                v.push(from_sqlite(r.get_ref(i)?)?);
            }
            out.push(Row(v));
        }
        Ok(out)
    }
    fn query_named(&mut self, sql: &str) -> Result<(Vec<String>, Vec<Row>), Error> {
        let names: Vec<String> = {
            let st = self.c.prepare(sql)?;
            st.column_names().map(|s| s.to_string()).collect()
        };
        Ok((names, self.query(sql, &[])?))
    }
    fn batch(&mut self, sql: &str) -> Result<(), Error> {
        Ok(self.c.execute_batch(sql)?)
    }
}

/// `?` placeholders → `$1, $2, …` (our statements never hold a `?` inside a string literal).
pub fn numbered(sql: &str) -> String {
    let mut o = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            o.push('$');
            o.push_str(&n.to_string());
        } else {
            o.push(c);
        }
    }
    o
}

/// Statements on a PostgreSQL client or an open transaction of it.
struct PgTx<'a, C: postgres::GenericClient> {
    tx: Option<&'a mut C>,
    statements: &'a mut HashMap<String, postgres::Statement>,
}

type PgParam = Box<dyn postgres::types::ToSql + Sync>;

impl<C: postgres::GenericClient> PgTx<'_, C> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .tx
            .as_mut()
            .expect("transaction")
            .prepare(&numbered(sql))?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn params(st: &postgres::Statement, params: &[Val]) -> Result<Vec<PgParam>, Error> {
        use postgres::types::Type;
        if st.params().len() != params.len() {
            return Err(Error::Db(format!(
                "statement wants {} parameters, got {}",
                st.params().len(),
                params.len()
            )));
        }
        st.params()
            .iter()
            .zip(params)
            .map(|(ty, v)| -> Result<PgParam, Error> {
                Ok(match (ty, v) {
                    (&Type::INT8, Val::Int(i)) => Box::new(*i),
                    (&Type::INT8, Val::Null) => Box::new(None::<i64>),
                    (&Type::INT4, Val::Int(i)) => Box::new(
                        i32::try_from(*i)
                            .map_err(|_| Error::Db(format!("{i} does not fit a 32-bit column")))?,
                    ),
                    (&Type::INT4, Val::Null) => Box::new(None::<i32>),
                    (&Type::FLOAT8, Val::Real(f)) => Box::new(*f),
                    (&Type::FLOAT8, Val::Int(i)) => Box::new(*i as f64),
                    (&Type::FLOAT8, Val::Null) => Box::new(None::<f64>),
                    (&Type::TEXT | &Type::VARCHAR, Val::Text(s)) => Box::new(s.clone()),
                    (&Type::TEXT | &Type::VARCHAR, Val::Null) => Box::new(None::<String>),
                    (t, v) => {
                        return Err(Error::Db(format!(
                            "parameter of type {t} cannot take {v:?}"
                        )));
                    }
                })
            })
            .collect()
    }

    fn rows(rows: Vec<postgres::Row>) -> Result<Vec<Row>, Error> {
        use postgres::types::Type;
        rows.into_iter()
            .map(|r| {
                let mut v = Vec::with_capacity(r.len());
                for (i, c) in r.columns().iter().enumerate() {
                    v.push(match *c.type_() {
                        Type::INT8 => r.get::<_, Option<i64>>(i).into(),
                        Type::INT4 => r.get::<_, Option<i32>>(i).map(i64::from).into(),
                        Type::FLOAT8 => r.get::<_, Option<f64>>(i).into(),
                        Type::TEXT | Type::VARCHAR | Type::NAME => {
                            r.get::<_, Option<String>>(i).into()
                        }
                        Type::BOOL => r.get::<_, Option<bool>>(i).map(i64::from).into(),
                        ref t => {
                            return Err(Error::Db(format!(
                                "column {} has an unsupported type {t}",
                                c.name()
                            )));
                        }
                    });
                }
                Ok(Row(v))
            })
            .collect()
    }
}

impl<C: postgres::GenericClient> Tx for PgTx<'_, C> {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, Error> {
        let st = self.statement(sql)?;
        let p = Self::params(&st, params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = p.iter().map(|b| &**b).collect();
        Ok(self.tx.as_mut().expect("transaction").execute(&st, &refs)?)
    }
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, Error> {
        let st = self.statement(sql)?;
        let p = Self::params(&st, params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = p.iter().map(|b| &**b).collect();
        let rows = self.tx.as_mut().expect("transaction").query(&st, &refs)?;
        Self::rows(rows)
    }
    fn query_named(&mut self, sql: &str) -> Result<(Vec<String>, Vec<Row>), Error> {
        let st = self.statement(sql)?;
        let names = st.columns().iter().map(|c| c.name().to_string()).collect();
        Ok((names, self.query(sql, &[])?))
    }
    fn batch(&mut self, sql: &str) -> Result<(), Error> {
        Ok(self.tx.as_mut().expect("transaction").batch_execute(sql)?)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Db(format!("SQLite: {e}"))
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        match e.as_db_error() {
            Some(d) => Error::Db(format!("PostgreSQL: {}", d.message())),
            None => Error::Db(format!("PostgreSQL: {e}")),
        }
    }
}
