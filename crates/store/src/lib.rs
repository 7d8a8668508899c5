//! # veerkracht-store
//!
//! The workspace: one SQLite file that is also a GeoPackage (`veerkracht.gpkg`),
//! so QGIS opens its area layer directly. It holds the sources imported, the
//! areas per edition, every observation with its missing reason and flags, the
//! columns not yet published, and the geometries (feature table `vk_gebieden`,
//! RD New).
//!
//! Invariants: an import is one transaction (a failure leaves the file as it
//! was); importing the same file again (same bytes and options) changes nothing;
//! a published number is never replaced by a missing value from another import.

#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use veerkracht_dataset::{
    Area, AreaCode, Catalogue, Dataset, Flags, ImportBatch, Indicator, Level, Missing, SourceInfo,
    Value,
};
use veerkracht_geo::Crs;
use veerkracht_geo::gpkg::{self, ColumnDef, ColumnKind};

/// Default workspace file name in the current directory.
pub const DEFAULT_FILE: &str = "veerkracht.gpkg";
/// Schema version of the workspace tables.
pub const SCHEMA_VERSION: i64 = 1;
const GEOMETRY_TABLE: &str = "vk_gebieden";

/// A store failure: the workspace file and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error(
        "{path}: {source} — fix: check that the file is a veerkracht workspace and not open in another program that locks it"
    )]
    Sqlite {
        /// Workspace path.
        path: String,
        /// Cause.
        #[source]
        source: rusqlite::Error,
    },
    /// GeoPackage layer failure.
    #[error("{path}: {message}")]
    Geo {
        /// Workspace path.
        path: String,
        /// Cause.
        message: String,
    },
    /// The file exists but is not a workspace of a version this build reads.
    #[error("{path}: {message}")]
    NotWorkspace {
        /// Workspace path.
        path: String,
        /// What is wrong and the fix.
        message: String,
    },
}

/// What one import did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportOutcome {
    /// File name.
    pub file: String,
    /// Source id in the workspace.
    pub source_id: u32,
    /// False when the same file (bytes and options) was imported before: nothing changed.
    pub imported: bool,
    /// Areas written.
    pub areas: usize,
    /// Observations written.
    pub observations: usize,
    /// Geometries written.
    pub geometries: usize,
    /// Warnings from the importer.
    pub warnings: Vec<String>,
}

/// An open workspace.
pub struct Workspace {
    conn: Connection,
    path: String,
}

impl Workspace {
    /// Opens a workspace file, creating it (and its tables) when it does not exist.
    pub fn open(path: &Path) -> Result<Workspace, StoreError> {
        let p = path.display().to_string();
        if path.exists() {
            let bytes = std::fs::read(path).map_err(|e| StoreError::NotWorkspace {
                path: p.clone(),
                message: format!("cannot read: {e}"),
            })?;
            if !bytes.starts_with(b"SQLite format 3\0") && !bytes.is_empty() {
                return Err(StoreError::NotWorkspace {
                    path: p,
                    message: "this file is not a veerkracht workspace (not SQLite/GeoPackage) — fix: choose another --workspace path".into(),
                });
            }
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: p.clone(),
            source,
        })?;
        let ws = Workspace { conn, path: p };
        ws.init()?;
        Ok(ws)
    }

    /// Opens an existing workspace; an error when the file does not exist.
    pub fn open_existing(path: &Path) -> Result<Workspace, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotWorkspace {
                path: path.display().to_string(),
                message: "no workspace here — fix: run `veerkracht import FILES…` first, or give the right --workspace".into(),
            });
        }
        Workspace::open(path)
    }

    /// A workspace in memory (for the demo region and tests).
    pub fn in_memory() -> Result<Workspace, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        let ws = Workspace {
            conn,
            path: ":memory:".into(),
        };
        ws.init()?;
        Ok(ws)
    }

    /// The file path (or `:memory:`).
    pub fn path(&self) -> &str {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn init(&self) -> Result<(), StoreError> {
        let e = self.sql();
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(&e)?;
        let has_meta: bool = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='vk_meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(&e)?
            > 0;
        if has_meta {
            let v: Option<String> = self
                .conn
                .query_row(
                    "SELECT value FROM vk_meta WHERE key='schema_version'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(&e)?;
            if v.as_deref() != Some(&SCHEMA_VERSION.to_string()) {
                return Err(StoreError::NotWorkspace {
                    path: self.path.clone(),
                    message: format!(
                        "workspace schema version {} is not {SCHEMA_VERSION} — fix: re-import your files into a new workspace",
                        v.unwrap_or_default()
                    ),
                });
            }
            return Ok(());
        }
        let tables: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table'",
                [],
                |r| r.get(0),
            )
            .map_err(&e)?;
        let is_gpkg: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name='gpkg_contents'",
                [],
                |r| r.get(0),
            )
            .map_err(&e)?;
        if tables > 0 && is_gpkg == 0 {
            return Err(StoreError::NotWorkspace {
                path: self.path.clone(),
                message: "this SQLite file has other tables and is not a veerkracht workspace — fix: choose another --workspace path".into(),
            });
        }
        let tx = self.conn.unchecked_transaction().map_err(&e)?;
        gpkg::init(&tx).map_err(|g| StoreError::Geo {
            path: self.path.clone(),
            message: g.to_string(),
        })?;
        tx.execute_batch(
            "CREATE TABLE vk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE vk_sources (id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, table_id TEXT,
                 family TEXT NOT NULL, format TEXT NOT NULL, period TEXT, rows INTEGER NOT NULL, synthetic INTEGER NOT NULL);
             CREATE TABLE vk_indicators (id TEXT PRIMARY KEY, family TEXT NOT NULL, catalogued INTEGER NOT NULL);
             CREATE TABLE vk_areas (edition INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, level TEXT NOT NULL,
                 parent TEXT, change_code INTEGER, PRIMARY KEY (edition, code));
             CREATE TABLE vk_observations (edition INTEGER NOT NULL, code TEXT NOT NULL, indicator TEXT NOT NULL,
                 value REAL, missing TEXT, flags INTEGER NOT NULL, source INTEGER NOT NULL REFERENCES vk_sources(id),
                 PRIMARY KEY (edition, code, indicator)) WITHOUT ROWID;
             CREATE TABLE vk_unpublished (edition INTEGER NOT NULL, indicator TEXT NOT NULL, source INTEGER NOT NULL REFERENCES vk_sources(id),
                 PRIMARY KEY (edition, indicator));",
        )
        .map_err(&e)?;
        tx.execute(
            "INSERT INTO vk_meta VALUES ('schema_version', ?1), ('application', 'veerkracht')",
            params![SCHEMA_VERSION.to_string()],
        )
        .map_err(&e)?;
        let cols = [
            ColumnDef::new("edition", ColumnKind::Integer),
            ColumnDef::new("code", ColumnKind::Text),
            ColumnDef::new("level", ColumnKind::Text),
            ColumnDef::new("name", ColumnKind::Text),
        ];
        gpkg::create_feature_table(&tx, GEOMETRY_TABLE, &cols, Crs::RdNew).map_err(|g| {
            StoreError::Geo {
                path: self.path.clone(),
                message: g.to_string(),
            }
        })?;
        tx.execute_batch(&format!(
            "CREATE UNIQUE INDEX vk_gebieden_key ON {GEOMETRY_TABLE}(edition, code);"
        ))
        .map_err(&e)?;
        tx.commit().map_err(&e)?;
        Ok(())
    }

    /// Stores batches in one transaction: all or nothing. Batches whose source
    /// (same bytes and options) is already in the workspace are skipped.
    pub fn import(&mut self, batches: &[ImportBatch]) -> Result<Vec<ImportOutcome>, StoreError> {
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(e)?;
        let mut out = Vec::new();
        for b in batches {
            let Some(src) = &b.source else { continue };
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM vk_sources WHERE sha256 = ?1",
                    params![src.sha256],
                    |r| r.get(0),
                )
                .optional()
                .map_err(e)?;
            if let Some(id) = existing {
                out.push(ImportOutcome {
                    file: src.file.clone(),
                    source_id: id as u32,
                    imported: false,
                    areas: 0,
                    observations: 0,
                    geometries: 0,
                    warnings: b.warnings.clone(),
                });
                continue;
            }
            tx.execute(
                "INSERT INTO vk_sources (file, sha256, table_id, family, format, period, rows, synthetic) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                params![src.file, src.sha256, src.table, src.family, src.format, src.period, src.rows as i64, src.synthetic],
            )
            .map_err(e)?;
            let sid = tx.last_insert_rowid();
            {
                let mut ind = tx.prepare_cached("INSERT OR IGNORE INTO vk_indicators (id, family, catalogued) VALUES (?1, ?2, ?3)").map_err(e)?;
                for i in &b.indicators {
                    ind.execute(params![i.id, i.family, i.catalogued])
                        .map_err(e)?;
                }
                let mut area = tx
                    .prepare_cached(
                        "INSERT INTO vk_areas (edition, code, name, level, parent, change_code) VALUES (?1,?2,?3,?4,?5,?6)
                         ON CONFLICT (edition, code) DO UPDATE SET
                           name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE vk_areas.name END,
                           change_code = COALESCE(excluded.change_code, vk_areas.change_code)",
                    )
                    .map_err(e)?;
                for a in &b.areas {
                    area.execute(params![
                        a.edition,
                        a.code.as_str(),
                        a.name,
                        a.level.as_str(),
                        a.parent.map(|p| p.to_string()),
                        a.change_code
                    ])
                    .map_err(e)?;
                }
                let mut obs = tx
                    .prepare_cached(
                        "INSERT INTO vk_observations (edition, code, indicator, value, missing, flags, source) VALUES (?1,?2,?3,?4,?5,?6,?7)
                         ON CONFLICT (edition, code, indicator) DO UPDATE SET
                           value = excluded.value, missing = excluded.missing, flags = excluded.flags, source = excluded.source
                         WHERE (excluded.value IS NOT NULL OR vk_observations.value IS NULL)
                           AND ((excluded.flags & 8) = 0 OR vk_observations.value IS NULL OR (vk_observations.flags & 8) != 0)",
                    )
                    .map_err(e)?;
                for o in &b.observations {
                    let Some(i) = b.indicators.get(o.indicator as usize) else {
                        continue;
                    };
                    let (v, m) = match o.value {
                        Value::Number(x) => (Some(x), None),
                        Value::Missing(m) => (None, Some(m.as_str())),
                    };
                    obs.execute(params![
                        o.edition,
                        o.area.as_str(),
                        i.id,
                        v,
                        m,
                        o.flags.bits(),
                        sid
                    ])
                    .map_err(e)?;
                }
                let mut unp = tx
                    .prepare_cached("INSERT INTO vk_unpublished (edition, indicator, source) VALUES (?1,?2,?3) ON CONFLICT DO UPDATE SET source = excluded.source")
                    .map_err(e)?;
                for &(ed, k) in &b.unpublished {
                    if let Some(i) = b.indicators.get(k as usize) {
                        unp.execute(params![ed, i.id, sid]).map_err(e)?;
                    }
                }
                let mut del = tx
                    .prepare_cached(&format!(
                        "DELETE FROM {GEOMETRY_TABLE} WHERE edition = ?1 AND code = ?2"
                    ))
                    .map_err(e)?;
                let mut geo = tx.prepare_cached(&format!("INSERT INTO {GEOMETRY_TABLE} (geom, edition, code, level, name) VALUES (?1,?2,?3,?4,?5)")).map_err(e)?;
                for g in &b.geometries {
                    del.execute(params![g.edition, g.code.as_str()])
                        .map_err(e)?;
                    let name = b
                        .areas
                        .iter()
                        .find(|a| a.code == g.code && a.edition == g.edition)
                        .map(|a| a.name.clone())
                        .unwrap_or_default();
                    geo.execute(params![
                        gpkg::encode_geometry(&g.geometry, Crs::RdNew.epsg()),
                        g.edition,
                        g.code.as_str(),
                        g.code.level().as_str(),
                        name
                    ])
                    .map_err(e)?;
                }
            }
            out.push(ImportOutcome {
                file: src.file.clone(),
                source_id: sid as u32,
                imported: true,
                areas: b.areas.len(),
                observations: b.observations.len(),
                geometries: b.geometries.len(),
                warnings: b.warnings.clone(),
            });
        }
        if out.iter().any(|o| o.geometries > 0) {
            gpkg::update_extent(&tx, GEOMETRY_TABLE).map_err(|g| StoreError::Geo {
                path: path.clone(),
                message: g.to_string(),
            })?;
        }
        tx.commit().map_err(e)?;
        Ok(out)
    }

    /// All sources, in import order.
    pub fn sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let e = self.sql();
        let mut st = self.conn.prepare("SELECT id, file, sha256, table_id, family, format, period, rows, synthetic FROM vk_sources ORDER BY id").map_err(&e)?;
        let rows = st
            .query_map([], |r| {
                Ok(SourceInfo {
                    id: r.get::<_, i64>(0)? as u32,
                    file: r.get(1)?,
                    sha256: r.get(2)?,
                    table: r.get(3)?,
                    family: r.get(4)?,
                    format: r.get(5)?,
                    period: r.get(6)?,
                    rows: r.get::<_, i64>(7)? as usize,
                    synthetic: r.get(8)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&e)
    }

    /// Reads the whole workspace into a [`Dataset`] over the catalogue.
    pub fn load(&self, catalogue: &Catalogue) -> Result<Dataset, StoreError> {
        let e = self.sql();
        let bad = |what: String| StoreError::NotWorkspace {
            path: self.path.clone(),
            message: format!(
                "{what} — fix: the workspace is damaged; re-import your files into a new one"
            ),
        };
        let mut ds = Dataset::new(catalogue.clone());
        for s in self.sources()? {
            ds.add_source(s);
        }
        let mut uncat = std::collections::HashMap::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT id, family FROM vk_indicators WHERE catalogued = 0")
                .map_err(&e)?;
            let mut rows = st.query([]).map_err(&e)?;
            while let Some(r) = rows.next().map_err(&e)? {
                let id: String = r.get(0).map_err(&e)?;
                let fam: String = r.get(1).map_err(&e)?;
                uncat.insert(id.clone(), Indicator::uncatalogued(&id, &fam));
            }
        }
        let lookup = |id: &str| -> Indicator {
            catalogue
                .get(id)
                .cloned()
                .or_else(|| uncat.get(id).cloned())
                .unwrap_or_else(|| Indicator::uncatalogued(id, "onbekend"))
        };
        {
            let mut st = self
                .conn
                .prepare(
                    "SELECT edition, code, name, change_code FROM vk_areas ORDER BY edition, rowid",
                )
                .map_err(&e)?;
            let mut rows = st.query([]).map_err(&e)?;
            while let Some(r) = rows.next().map_err(&e)? {
                let code_text: String = r.get(1).map_err(&e)?;
                let code = AreaCode::parse(&code_text).map_err(|c| bad(c.to_string()))?;
                let mut a = Area::new(
                    code,
                    r.get::<_, String>(2).map_err(&e)?,
                    r.get::<_, i64>(0).map_err(&e)? as u16,
                );
                a.change_code = r.get::<_, Option<i64>>(3).map_err(&e)?.map(|c| c as u8);
                ds.add_area(&a);
            }
        }
        {
            let mut st = self.conn.prepare("SELECT edition, code, indicator, value, missing, flags, source FROM vk_observations").map_err(&e)?;
            let mut rows = st.query([]).map_err(&e)?;
            let mut cache: std::collections::HashMap<String, Indicator> = Default::default();
            while let Some(r) = rows.next().map_err(&e)? {
                let code_text: String = r.get(1).map_err(&e)?;
                let code = AreaCode::parse(&code_text).map_err(|c| bad(c.to_string()))?;
                let ind_id: String = r.get(2).map_err(&e)?;
                let value = match (
                    r.get::<_, Option<f64>>(3).map_err(&e)?,
                    r.get::<_, Option<String>>(4).map_err(&e)?,
                ) {
                    (Some(x), _) => Value::Number(x),
                    (None, Some(m)) => Value::Missing(
                        Missing::parse(&m)
                            .ok_or_else(|| bad(format!("unknown missing reason '{m}'")))?,
                    ),
                    (None, None) => {
                        return Err(bad(format!(
                            "observation {code} {ind_id} has neither value nor reason"
                        )));
                    }
                };
                let ind = cache
                    .entry(ind_id.clone())
                    .or_insert_with(|| lookup(&ind_id));
                ds.set_value(
                    r.get::<_, i64>(0).map_err(&e)? as u16,
                    code,
                    ind,
                    value,
                    Flags::from_bits(r.get::<_, i64>(5).map_err(&e)? as u8),
                    r.get::<_, i64>(6).map_err(&e)? as u32,
                );
            }
        }
        {
            let mut st = self.conn.prepare("SELECT edition, indicator, source FROM vk_unpublished ORDER BY edition, indicator").map_err(&e)?;
            let mut rows = st.query([]).map_err(&e)?;
            while let Some(r) = rows.next().map_err(&e)? {
                let id: String = r.get(1).map_err(&e)?;
                ds.mark_unpublished(
                    r.get::<_, i64>(0).map_err(&e)? as u16,
                    &lookup(&id),
                    r.get::<_, i64>(2).map_err(&e)? as u32,
                );
            }
        }
        {
            let mut st = self
                .conn
                .prepare(&format!(
                    "SELECT edition, code, geom FROM {GEOMETRY_TABLE} ORDER BY edition, code"
                ))
                .map_err(&e)?;
            let mut rows = st.query([]).map_err(&e)?;
            while let Some(r) = rows.next().map_err(&e)? {
                let code_text: String = r.get(1).map_err(&e)?;
                let code = AreaCode::parse(&code_text).map_err(|c| bad(c.to_string()))?;
                let blob: Vec<u8> = r.get(2).map_err(&e)?;
                if let Some(g) = gpkg::decode_geometry(&blob).map_err(|g| bad(g.to_string()))? {
                    ds.set_geometry(r.get::<_, i64>(0).map_err(&e)? as u16, code, g);
                }
            }
        }
        Ok(ds)
    }

    /// Number of areas per (edition, level) — cheap, for summaries.
    pub fn area_counts(&self) -> Result<Vec<(u16, Level, usize)>, StoreError> {
        let e = self.sql();
        let mut st = self.conn.prepare("SELECT edition, level, count(*) FROM vk_areas GROUP BY edition, level ORDER BY edition, level").map_err(&e)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)? as u16,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)? as usize,
                ))
            })
            .map_err(&e)?;
        let mut out = Vec::new();
        for r in rows {
            let (ed, lv, n) = r.map_err(&e)?;
            if let Some(l) = Level::parse(&lv) {
                out.push((ed, l, n));
            }
        }
        Ok(out)
    }
}

/// The default workspace path in a directory.
pub fn default_path(dir: &Path) -> PathBuf {
    dir.join(DEFAULT_FILE)
}
