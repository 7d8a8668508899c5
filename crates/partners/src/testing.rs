//! Test support: the databases a test suite runs against. Always a SQLite file; PostgreSQL
//! too when `VEERKRACHT_TEST_PG` holds a connection string to a server where databases may
//! be created (`.ci/run` starts one with `.ci/postgres.sh`). With `CI` set a missing
//! `VEERKRACHT_TEST_PG` is a failure, not a skip.

use crate::db::Location;

/// The environment variable with the PostgreSQL test server's connection string.
pub const PG_ENV: &str = "VEERKRACHT_TEST_PG";

/// A fresh, empty PostgreSQL database on the test server, or None when there is none (and
/// `CI` is not set).
pub fn fresh_postgres() -> Option<Location> {
    let admin = veerkracht_testkit::env(
        PG_ENV,
        "the PostgreSQL half of the suite; .ci/run starts a server with .ci/postgres.sh",
    )?;
    let name = format!(
        "vk_test_{}",
        crate::auth::hex(&crate::auth::random_bytes::<8>())
    );
    let mut c = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{PG_ENV}: cannot connect to the test server: {e}"));
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
    Some(Location::Postgres(format!("{admin} dbname={name}")))
}

/// The backends to run a test on: SQLite in `dir`, plus PostgreSQL when available.
pub fn locations(dir: &std::path::Path) -> Vec<Location> {
    let mut v = vec![Location::Sqlite(dir.join("werkruimte.sqlite"))];
    v.extend(fresh_postgres());
    v
}
