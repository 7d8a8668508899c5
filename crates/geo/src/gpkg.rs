//! GeoPackage (OGC 12-128r19, version 1.4) feature layers on a
//! [`rusqlite::Connection`].
//!
//! The functions work on any connection, so a caller can keep GeoPackage layers
//! next to its own tables in one SQLite file: [`init`] adds the required
//! metadata tables, [`create_feature_table`] / [`write_layer`] add
//! `MULTIPOLYGON` layers with geometry column `geom`, and [`list_layers`] /
//! [`read_layer`] read layers written by this crate or by GDAL. No spatial index
//! (R-tree extension) is created; GDAL and QGIS read such files fine.

use std::fmt::{self, Write as _};
use std::path::Path;

use geo_types::MultiPolygon;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde_json::{Map, Number, Value};

use crate::crs::{self, Crs};
use crate::{Extent, Feature, GeoError, Layer, wkb};

/// `PRAGMA application_id` of a GeoPackage: ASCII "GPKG".
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` for GeoPackage 1.4.0.
pub const USER_VERSION: i32 = 10400;
/// Name of the geometry column of tables created by this module.
pub const GEOMETRY_COLUMN: &str = "geom";
/// Name of the integer primary key column of tables created by this module.
pub const FID_COLUMN: &str = "fid";

const WKT_4326: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

const WKT_28992: &str = r#"PROJCS["Amersfoort / RD New",GEOGCS["Amersfoort",DATUM["Amersfoort",SPHEROID["Bessel 1841",6377397.155,299.1528128,AUTHORITY["EPSG","7004"]],AUTHORITY["EPSG","6289"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4289"]],PROJECTION["Oblique_Stereographic"],PARAMETER["latitude_of_origin",52.1561605555556],PARAMETER["central_meridian",5.38763888888889],PARAMETER["scale_factor",0.9999079],PARAMETER["false_easting",155000],PARAMETER["false_northing",463000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","28992"]]"#;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
";

/// SQLite type of an attribute column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// 64-bit integers (`INTEGER`).
    Integer,
    /// Double-precision floating point (`REAL`).
    Real,
    /// UTF-8 text (`TEXT`).
    Text,
}

impl ColumnKind {
    fn sql(self) -> &'static str {
        match self {
            ColumnKind::Integer => "INTEGER",
            ColumnKind::Real => "REAL",
            ColumnKind::Text => "TEXT",
        }
    }
}

impl fmt::Display for ColumnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sql())
    }
}

/// An attribute column of a feature table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    /// Column name (any text; quoted in SQL). Must not be `fid` or `geom`.
    pub name: String,
    /// Column type.
    pub kind: ColumnKind,
}

impl ColumnDef {
    /// Shorthand constructor.
    pub fn new(name: impl Into<String>, kind: ColumnKind) -> ColumnDef {
        ColumnDef {
            name: name.into(),
            kind,
        }
    }
}

/// A feature layer registered in a GeoPackage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    /// Table name (as registered in gpkg_contents).
    pub table: String,
    /// SRS id from gpkg_geometry_columns (usually the EPSG code).
    pub srs_id: i32,
    /// Name of the geometry column.
    pub geometry_column: String,
    /// Declared geometry type, e.g. `MULTIPOLYGON` or `GEOMETRY`.
    pub geometry_type: String,
}

/// Name of the database for messages: its path or `in-memory database`.
fn db_name(conn: &Connection) -> String {
    conn.path()
        .filter(|p| !p.is_empty())
        .unwrap_or("in-memory database")
        .to_owned()
}

/// Maps a rusqlite error to [`GeoError::Sqlite`].
fn sql_err(
    conn: &Connection,
    action: impl Into<String>,
) -> impl FnOnce(rusqlite::Error) -> GeoError {
    let input = db_name(conn);
    let action = action.into();
    move |error| GeoError::Sqlite {
        input,
        action,
        error,
    }
}

/// Quotes an SQL identifier (`"name"`, doubling embedded quotes).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Runs `f` inside a SAVEPOINT, so it is atomic whether or not the caller has a
/// transaction open.
fn in_savepoint<T>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, GeoError>,
) -> Result<T, GeoError> {
    const NAME: &str = "veerkracht_geo";
    conn.execute_batch(&format!("SAVEPOINT {NAME}"))
        .map_err(sql_err(conn, "starting a savepoint"))?;
    match f() {
        Ok(value) => {
            conn.execute_batch(&format!("RELEASE {NAME}"))
                .map_err(sql_err(conn, "committing"))?;
            Ok(value)
        }
        Err(e) => {
            // Best effort: the original error is the one worth reporting.
            let _ = conn.execute_batch(&format!("ROLLBACK TO {NAME}; RELEASE {NAME}"));
            Err(e)
        }
    }
}

/// Opens an existing GeoPackage read-only.
///
/// # Errors
/// * [`GeoError::Open`]: the file does not exist or cannot be opened.
/// * [`GeoError::NotSqlite`]: the file is not a SQLite database.
/// * [`GeoError::NotGeoPackage`]: the database has no `gpkg_contents` table.
/// * [`GeoError::Sqlite`]: another SQLite error while probing the file.
pub fn open(path: impl AsRef<Path>) -> Result<Connection, GeoError> {
    let path = path.as_ref();
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| GeoError::Open {
        path: shown.clone(),
        detail: e.to_string(),
    })?;
    if !metadata.is_file() {
        return Err(GeoError::Open {
            path: shown,
            detail: "not a regular file".into(),
        });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| GeoError::Open {
        path: shown.clone(),
        detail: e.to_string(),
    })?;
    probe(conn, shown)
}

/// Opens a GeoPackage held in memory (an upload, a fuzzer's input), read-only; `name`
/// names it in errors. The same checks as [`open`].
///
/// # Errors
/// As [`open`].
pub fn open_bytes(bytes: &[u8], name: &str) -> Result<Connection, GeoError> {
    let mut conn = Connection::open_in_memory().map_err(|e| GeoError::Open {
        path: name.into(),
        detail: e.to_string(),
    })?;
    if bytes.len() < 512 || !bytes.starts_with(b"SQLite format 3\0") {
        return Err(GeoError::NotSqlite { path: name.into() });
    }
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true)
        .map_err(|e| GeoError::Open {
            path: name.into(),
            detail: e.to_string(),
        })?;
    probe(conn, name.into())
}

/// Hardens a connection to a file from elsewhere (no code from its schema, page checks)
/// and checks that it is a GeoPackage.
fn probe(conn: Connection, shown: String) -> Result<Connection, GeoError> {
    // a schema from an untrusted file may not run functions with side effects; corrupt
    // pages are detected early instead of read
    let _ = conn.execute_batch("PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON;");
    let has_contents = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'gpkg_contents'",
        [],
        |row| row.get::<_, i64>(0),
    );
    match has_contents {
        Ok(0) => Err(GeoError::NotGeoPackage { path: shown }),
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Err(GeoError::NotSqlite { path: shown })
        }
        Err(error) => Err(GeoError::Sqlite {
            input: shown,
            action: "reading the schema".into(),
            error,
        }),
    }
}

/// Makes `conn` a valid GeoPackage 1.4: sets `application_id` ("GPKG") and
/// `user_version` (10400) and creates `gpkg_spatial_ref_sys` (with rows −1, 0,
/// 4326 and 28992), `gpkg_contents` and `gpkg_geometry_columns` when missing.
/// Idempotent; existing rows and tables are left alone.
///
/// # Errors
/// [`GeoError::Sqlite`] if the statements fail (e.g. read-only database).
pub fn init(conn: &Connection) -> Result<(), GeoError> {
    in_savepoint(conn, || {
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};"
        ))
        .map_err(sql_err(conn, "setting the GeoPackage application id"))?;
        conn.execute_batch(SCHEMA)
            .map_err(sql_err(conn, "creating the GeoPackage metadata tables"))?;
        let rows: [(&str, i32, &str, i32, &str, &str); 4] = [
            (
                "Undefined Cartesian SRS",
                -1,
                "NONE",
                -1,
                "undefined",
                "undefined Cartesian coordinate reference system",
            ),
            (
                "Undefined geographic SRS",
                0,
                "NONE",
                0,
                "undefined",
                "undefined geographic coordinate reference system",
            ),
            (
                "WGS 84 geodetic",
                4326,
                "EPSG",
                4326,
                WKT_4326,
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
            ),
            (
                "Amersfoort / RD New",
                28992,
                "EPSG",
                28992,
                WKT_28992,
                "Dutch national grid (Rijksdriehoeksmeting), easting/northing in metres",
            ),
        ];
        for (name, id, org, org_id, definition, description) in rows {
            conn.execute(
                "INSERT OR IGNORE INTO gpkg_spatial_ref_sys
                 (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![name, id, org, org_id, definition, description],
            )
            .map_err(sql_err(conn, "filling gpkg_spatial_ref_sys"))?;
        }
        Ok(())
    })
}

fn check_name(conn: &Connection, name: &str, reserved: &[&str]) -> Result<(), GeoError> {
    let invalid = |reason| GeoError::InvalidName {
        input: db_name(conn),
        name: name.to_owned(),
        reason,
    };
    let lower = name.to_ascii_lowercase();
    if name.trim().is_empty() {
        Err(invalid("it is empty"))
    } else if name.contains('\0') {
        Err(invalid("it contains a NUL character"))
    } else if reserved.iter().any(|r| lower.starts_with(r)) {
        Err(invalid("it is reserved by SQLite or GeoPackage"))
    } else {
        Ok(())
    }
}

/// Creates an empty feature table `table` with an integer primary key `fid`, a
/// `geom` MULTIPOLYGON column in `srs` and the given attribute `columns`, and
/// registers it in `gpkg_contents` and `gpkg_geometry_columns`. Calls [`init`]
/// first, so a plain SQLite connection works. Identifiers are quoted, so any
/// names are safe. The extent in gpkg_contents stays empty until
/// [`update_extent`] is called ([`write_layer`] does so).
///
/// # Errors
/// * [`GeoError::InvalidName`]: empty names, names with NUL, table names starting
///   with `gpkg_`, `rtree_` or `sqlite_`, columns named `fid` or `geom`, or
///   duplicate column names (compared case-insensitively, like SQLite).
/// * [`GeoError::TableExists`]: a table or view of that name exists.
/// * [`GeoError::Sqlite`]: the statements fail.
pub fn create_feature_table(
    conn: &Connection,
    table: &str,
    columns: &[ColumnDef],
    srs: Crs,
) -> Result<(), GeoError> {
    check_name(conn, table, &["gpkg_", "rtree_", "sqlite_"])?;
    let mut seen = vec![FID_COLUMN.to_owned(), GEOMETRY_COLUMN.to_owned()];
    for column in columns {
        check_name(conn, &column.name, &[])?;
        let lower = column.name.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(GeoError::InvalidName {
                input: db_name(conn),
                name: column.name.clone(),
                reason: "the column name is used twice or is fid/geom",
            });
        }
        seen.push(lower);
    }
    in_savepoint(conn, || {
        init(conn)?;
        let exists: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?1)",
                [table],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql_err(conn, "checking existing tables"))?;
        if exists.is_some() {
            return Err(GeoError::TableExists {
                input: db_name(conn),
                table: table.to_owned(),
            });
        }
        let mut sql = format!(
            "CREATE TABLE {} ({} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {} MULTIPOLYGON",
            quote(table),
            quote(FID_COLUMN),
            quote(GEOMETRY_COLUMN)
        );
        for column in columns {
            let _ = write!(sql, ", {} {}", quote(&column.name), column.kind.sql());
        }
        sql.push(')');
        conn.execute_batch(&sql)
            .map_err(sql_err(conn, format!("creating table {table}")))?;
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
             VALUES (?1, 'features', ?1, '', ?2)",
            params![table, srs.epsg()],
        )
        .map_err(sql_err(
            conn,
            format!("registering {table} in gpkg_contents"),
        ))?;
        conn.execute(
            "INSERT INTO gpkg_geometry_columns
             (table_name, column_name, geometry_type_name, srs_id, z, m)
             VALUES (?1, ?2, 'MULTIPOLYGON', ?3, 0, 0)",
            params![table, GEOMETRY_COLUMN, srs.epsg()],
        )
        .map_err(sql_err(
            conn,
            format!("registering {table} in gpkg_geometry_columns"),
        ))?;
        Ok(())
    })
}

/// Recomputes the bounding box of layer `table` from its geometries, stores it
/// in `gpkg_contents` (NULL when there are no geometries) together with a new
/// `last_change`, and returns it.
///
/// # Errors
/// [`GeoError::UnknownLayer`] if `table` is not a feature layer,
/// [`GeoError::InvalidBlob`] for an undecodable geometry, [`GeoError::Sqlite`]
/// if a statement fails.
pub fn update_extent(conn: &Connection, table: &str) -> Result<Option<Extent>, GeoError> {
    let info = find_layer(conn, table)?;
    let input = format!("{}: layer {}", db_name(conn), info.table);
    let sql = format!(
        "SELECT rowid, {} FROM {}",
        quote(&info.geometry_column),
        quote(&info.table)
    );
    let mut stmt = conn
        .prepare(&sql)
        .map_err(sql_err(conn, format!("reading geometries of {table}")))?;
    let mut rows = stmt
        .query([])
        .map_err(sql_err(conn, format!("reading geometries of {table}")))?;
    let mut extent: Option<Extent> = None;
    while let Some(row) = rows
        .next()
        .map_err(sql_err(conn, format!("reading geometries of {table}")))?
    {
        let rowid: i64 = row
            .get(0)
            .map_err(sql_err(conn, format!("reading geometries of {table}")))?;
        let Ok(ValueRef::Blob(blob)) = row.get_ref(1) else {
            continue;
        };
        let header = parse_header(blob).map_err(|e| e.at_blob(&input, Some(rowid)))?;
        if header.empty {
            continue;
        }
        let geometry_extent = match header.envelope {
            Some(envelope) => Some(envelope),
            None => decode_geometry(blob)
                .map_err(|e| e.at_blob(&input, Some(rowid)))?
                .as_ref()
                .and_then(Extent::of_multipolygon),
        };
        if let Some(e) = geometry_extent {
            extent = Some(extent.map_or(e, |acc| acc.union(&e)));
        }
    }
    let (min_x, min_y, max_x, max_y) = match extent {
        Some(e) => (Some(e.min_x), Some(e.min_y), Some(e.max_x), Some(e.max_y)),
        None => (None, None, None, None),
    };
    conn.execute(
        "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4,
         last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?5",
        params![min_x, min_y, max_x, max_y, info.table],
    )
    .map_err(sql_err(conn, format!("updating the extent of {table}")))?;
    Ok(extent)
}

const FLAG_LITTLE_ENDIAN: u8 = 0b0000_0001;
const FLAG_EMPTY: u8 = 0b0001_0000;
const FLAG_EXTENDED: u8 = 0b0010_0000;

/// Encodes `geometry` as a GeoPackage geometry blob: header `GP`, version 0,
/// flags (little-endian, envelope `[minx, maxx, miny, maxy]`), `srs_id`, the
/// envelope, then little-endian ISO WKB. A geometry without polygons (or
/// without finite coordinates) is written with the empty flag and no envelope.
pub fn encode_geometry(geometry: &MultiPolygon<f64>, srs_id: i32) -> Vec<u8> {
    let wkb = wkb::encode_multipolygon(geometry);
    let extent = Extent::of_multipolygon(geometry);
    let mut out = Vec::with_capacity(8 + 32 + wkb.len());
    out.extend_from_slice(b"GP");
    out.push(0);
    match extent {
        Some(e) => {
            out.push(FLAG_LITTLE_ENDIAN | (1 << 1));
            out.extend_from_slice(&srs_id.to_le_bytes());
            for v in [e.min_x, e.max_x, e.min_y, e.max_y] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        None => {
            out.push(FLAG_LITTLE_ENDIAN | FLAG_EMPTY);
            out.extend_from_slice(&srs_id.to_le_bytes());
        }
    }
    out.extend_from_slice(&wkb);
    out
}

struct Header {
    empty: bool,
    envelope: Option<Extent>,
    wkb_offset: usize,
}

fn blob_error(problem: String) -> GeoError {
    GeoError::InvalidBlob {
        input: "GeoPackage geometry".into(),
        row: None,
        problem,
    }
}

fn parse_header(blob: &[u8]) -> Result<Header, GeoError> {
    let Some(&[g, p, version, flags]) = blob.get(..4) else {
        return Err(blob_error(format!(
            "{} bytes is too short for a GeoPackage header",
            blob.len()
        )));
    };
    if [g, p] != *b"GP" {
        return Err(blob_error(format!(
            "starts with bytes {g:#04x} {p:#04x} instead of the magic \"GP\""
        )));
    }
    if version != 0 {
        return Err(blob_error(format!(
            "header version {version} is not supported (only 0 = GeoPackage 1.x)"
        )));
    }
    if flags & FLAG_EXTENDED != 0 {
        return Err(blob_error(
            "extended GeoPackage geometry types are not supported".into(),
        ));
    }
    if flags & 0b1100_0000 != 0 {
        return Err(blob_error(format!(
            "reserved header flag bits are set in {flags:#010b}"
        )));
    }
    let little_endian = flags & FLAG_LITTLE_ENDIAN != 0;
    let envelope_code = (flags >> 1) & 0b111;
    let envelope_len = match envelope_code {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => {
            return Err(blob_error(format!(
                "envelope indicator {other} is invalid (expected 0-4)"
            )));
        }
    };
    let wkb_offset = 8 + envelope_len;
    let Some(envelope_bytes) = blob.get(8..wkb_offset) else {
        return Err(blob_error(format!(
            "truncated header: {} bytes, header with envelope indicator {envelope_code} needs {wkb_offset}",
            blob.len()
        )));
    };
    let values: Vec<f64> = envelope_bytes
        .chunks_exact(8)
        .filter_map(|chunk| <[u8; 8]>::try_from(chunk).ok())
        .map(|b| {
            if little_endian {
                f64::from_le_bytes(b)
            } else {
                f64::from_be_bytes(b)
            }
        })
        .collect();
    let envelope = match values.as_slice() {
        [min_x, max_x, min_y, max_y, ..]
            if [min_x, max_x, min_y, max_y].iter().all(|v| v.is_finite()) =>
        {
            Some(Extent {
                min_x: *min_x,
                min_y: *min_y,
                max_x: *max_x,
                max_y: *max_y,
            })
        }
        _ => None,
    };
    Ok(Header {
        empty: flags & FLAG_EMPTY != 0,
        envelope,
        wkb_offset,
    })
}

/// Decodes a GeoPackage geometry blob into a multipolygon; `Ok(None)` when the
/// header's empty flag is set. Handles both header byte orders and envelope
/// indicators 0–4 (the envelope itself is skipped); the WKB may be a Polygon or
/// MultiPolygon in either byte order (see [`wkb::decode_multipolygon`]).
///
/// # Errors
/// [`GeoError::InvalidBlob`] for a missing `GP` magic, a version other than 0,
/// the extended-type flag, reserved flag bits, an envelope indicator above 4,
/// truncation, or invalid / unsupported WKB.
pub fn decode_geometry(blob: &[u8]) -> Result<Option<MultiPolygon<f64>>, GeoError> {
    let header = parse_header(blob)?;
    if header.empty {
        return Ok(None);
    }
    let wkb_bytes = blob.get(header.wkb_offset..).unwrap_or_default();
    wkb::decode_multipolygon(wkb_bytes)
        .map(Some)
        .map_err(|e| e.at_blob("GeoPackage geometry", None))
}

/// Lists the feature layers (gpkg_contents rows with data_type `features` that
/// have a gpkg_geometry_columns entry), sorted by table name.
///
/// # Errors
/// [`GeoError::Sqlite`] if the metadata tables are missing or unreadable.
pub fn list_layers(conn: &Connection) -> Result<Vec<LayerInfo>, GeoError> {
    let action = "listing layers (gpkg_contents / gpkg_geometry_columns)";
    let mut stmt = conn
        .prepare(
            "SELECT c.table_name, g.srs_id, g.column_name, g.geometry_type_name
             FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
             WHERE c.data_type = 'features' ORDER BY c.table_name",
        )
        .map_err(sql_err(conn, action))?;
    let layers = stmt
        .query_map([], |row| {
            Ok(LayerInfo {
                table: row.get(0)?,
                srs_id: row.get(1)?,
                geometry_column: row.get(2)?,
                geometry_type: row.get(3)?,
            })
        })
        .map_err(sql_err(conn, action))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_err(conn, action))?;
    Ok(layers)
}

/// The layer named `table` (exact match first, then case-insensitive).
fn find_layer(conn: &Connection, table: &str) -> Result<LayerInfo, GeoError> {
    let layers = list_layers(conn)?;
    let found = layers
        .iter()
        .find(|l| l.table == table)
        .or_else(|| layers.iter().find(|l| l.table.eq_ignore_ascii_case(table)));
    match found {
        Some(layer) => Ok(layer.clone()),
        None => {
            let names: Vec<&str> = layers.iter().map(|l| l.table.as_str()).collect();
            Err(GeoError::UnknownLayer {
                input: db_name(conn),
                table: table.to_owned(),
                available: if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                },
            })
        }
    }
}

/// The CRS of a layer's SRS id, resolving it through gpkg_spatial_ref_sys
/// (organization EPSG + organization_coordsys_id) when possible.
fn layer_crs(conn: &Connection, info: &LayerInfo) -> Result<Crs, GeoError> {
    let epsg: Option<(String, i64)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [info.srs_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(sql_err(conn, "reading gpkg_spatial_ref_sys"))?;
    let code = match epsg {
        Some((org, code)) if org.eq_ignore_ascii_case("EPSG") => code,
        _ => i64::from(info.srs_id),
    };
    Crs::from_epsg(code).ok_or_else(|| GeoError::UnsupportedSrs {
        input: db_name(conn),
        table: info.table.clone(),
        srs_id: code,
    })
}

/// Reads feature layer `table` into a [`Layer`] named after the table, ordered
/// by primary key. Attributes become JSON values (INTEGER and REAL → number,
/// TEXT → string, NULL → null); the primary key and geometry columns are not
/// included. SRS 28992 gives [`Crs::RdNew`], 4326 [`Crs::Wgs84`]; geometries are
/// not converted. Null or empty geometries give `None`.
///
/// # Errors
/// * [`GeoError::UnknownLayer`]: no such feature layer (lists the available ones).
/// * [`GeoError::UnsupportedSrs`]: the layer's SRS is neither 28992 nor 4326.
/// * [`GeoError::InvalidBlob`]: a geometry is not a valid GeoPackage
///   Polygon/MultiPolygon blob (names the row).
/// * [`GeoError::UnsupportedValue`]: a BLOB attribute or a non-finite REAL.
/// * [`GeoError::Sqlite`]: a statement fails.
pub fn read_layer(conn: &Connection, table: &str) -> Result<Layer, GeoError> {
    let info = find_layer(conn, table)?;
    let crs = layer_crs(conn, &info)?;
    let input = db_name(conn);
    let reading = format!("reading layer {}", info.table);

    // Column list and integer primary key (GeoPackage requires one).
    let mut pk = None;
    let mut attributes = Vec::new();
    {
        let mut stmt = conn
            .prepare(&format!("PRAGMA table_info({})", quote(&info.table)))
            .map_err(sql_err(conn, &reading))?;
        let columns = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, i64>(5)?,
                ))
            })
            .map_err(sql_err(conn, &reading))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql_err(conn, &reading))?;
        for (name, declared, pk_index) in columns {
            let is_int = declared.is_some_and(|t| t.eq_ignore_ascii_case("INTEGER"));
            if pk_index == 1 && is_int && pk.is_none() {
                pk = Some(name);
            } else if !name.eq_ignore_ascii_case(&info.geometry_column) {
                attributes.push(name);
            }
        }
    }
    let pk_sql = pk.as_deref().map_or_else(|| "rowid".to_owned(), quote);
    let mut sql = format!("SELECT {pk_sql}, {}", quote(&info.geometry_column));
    for name in &attributes {
        sql.push_str(", ");
        sql.push_str(&quote(name));
    }
    let _ = write!(sql, " FROM {} ORDER BY {pk_sql}", quote(&info.table));

    let mut stmt = conn.prepare(&sql).map_err(sql_err(conn, &reading))?;
    let mut rows = stmt.query([]).map_err(sql_err(conn, &reading))?;
    let blob_input = format!("{input}: layer {}", info.table);
    let mut features = Vec::new();
    while let Some(row) = rows.next().map_err(sql_err(conn, &reading))? {
        let fid: i64 = row.get(0).map_err(sql_err(conn, &reading))?;
        let geometry = match row.get_ref(1).map_err(sql_err(conn, &reading))? {
            ValueRef::Null => None,
            ValueRef::Blob(blob) => {
                decode_geometry(blob).map_err(|e| e.at_blob(&blob_input, Some(fid)))?
            }
            other => {
                return Err(GeoError::InvalidBlob {
                    input: blob_input,
                    row: Some(fid),
                    problem: format!(
                        "the geometry column holds a {:?} value instead of a BLOB",
                        other.data_type()
                    ),
                });
            }
        };
        let mut properties = Map::new();
        for (i, name) in attributes.iter().enumerate() {
            let value_error = |problem: String| GeoError::UnsupportedValue {
                input: input.clone(),
                table: info.table.clone(),
                row: fid,
                column: name.clone(),
                problem,
            };
            let value = match row.get_ref(i + 2).map_err(sql_err(conn, &reading))? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(r) => match Number::from_f64(r) {
                    Some(n) => Value::Number(n),
                    None => return Err(value_error(format!("REAL value {r} is not finite"))),
                },
                ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) => Value::String(text.to_owned()),
                    Err(_) => return Err(value_error("TEXT value is not valid UTF-8".into())),
                },
                ValueRef::Blob(bytes) => {
                    return Err(value_error(format!(
                        "holds a BLOB of {} bytes",
                        bytes.len()
                    )));
                }
            };
            properties.insert(name.clone(), value);
        }
        features.push(Feature {
            index: features.len(),
            properties,
            geometry,
        });
    }
    Ok(Layer {
        name: info.table,
        crs,
        features,
    })
}

/// Converts property `value` for a column of type `kind`.
fn sql_value(value: Option<&Value>, kind: ColumnKind) -> Result<SqlValue, &'static str> {
    let value = match value {
        None | Some(Value::Null) => return Ok(SqlValue::Null),
        Some(v) => v,
    };
    match kind {
        ColumnKind::Integer => match value {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                })
                .map(SqlValue::Integer)
                .ok_or("an integer number or null"),
            Value::Bool(b) => Ok(SqlValue::Integer(i64::from(*b))),
            _ => Err("an integer number, boolean or null"),
        },
        ColumnKind::Real => match value.as_f64() {
            Some(f) => Ok(SqlValue::Real(f)),
            None => Err("a number or null"),
        },
        ColumnKind::Text => match value {
            Value::String(s) => Ok(SqlValue::Text(s.clone())),
            Value::Number(n) => Ok(SqlValue::Text(n.to_string())),
            Value::Bool(b) => Ok(SqlValue::Text(b.to_string())),
            _ => Err("a string, number, boolean or null"),
        },
    }
}

/// Writes `layer` as a new feature table `table` in `srs`: creates the table
/// with [`create_feature_table`], inserts every feature (geometries converted
/// from `layer.crs` when it differs from `srs`; column values taken from the
/// properties by column name, missing → NULL) and calls [`update_extent`]. All
/// of it happens in one savepoint: on error nothing is written.
///
/// Integer columns accept integral numbers and booleans (0/1); Real columns any
/// number; Text columns strings, and numbers/booleans as their JSON text.
///
/// # Errors
/// * [`GeoError::PropertyType`]: a property value does not fit its column.
/// * Those of [`create_feature_table`] and [`update_extent`].
pub fn write_layer(
    conn: &Connection,
    table: &str,
    layer: &Layer,
    columns: &[ColumnDef],
    srs: Crs,
) -> Result<(), GeoError> {
    in_savepoint(conn, || {
        create_feature_table(conn, table, columns, srs)?;
        let mut sql = format!("INSERT INTO {} ({}", quote(table), quote(GEOMETRY_COLUMN));
        for column in columns {
            sql.push_str(", ");
            sql.push_str(&quote(&column.name));
        }
        sql.push_str(") VALUES (?");
        sql.push_str(&", ?".repeat(columns.len()));
        sql.push(')');
        let inserting = format!("inserting features into {table}");
        let mut stmt = conn.prepare(&sql).map_err(sql_err(conn, &inserting))?;
        for feature in &layer.features {
            let mut values = Vec::with_capacity(columns.len() + 1);
            values.push(match &feature.geometry {
                Some(g) => {
                    let g = crs::convert_multipolygon(g, layer.crs, srs);
                    SqlValue::Blob(encode_geometry(&g, srs.epsg()))
                }
                None => SqlValue::Null,
            });
            for column in columns {
                let property = feature.properties.get(&column.name);
                let value = sql_value(property, column.kind).map_err(|expected| {
                    GeoError::PropertyType {
                        input: layer.name.clone(),
                        index: feature.index,
                        column: column.name.clone(),
                        value: property.map(Value::to_string).unwrap_or_default(),
                        kind: column.kind,
                        expected,
                    }
                })?;
                values.push(value);
            }
            stmt.execute(rusqlite::params_from_iter(values))
                .map_err(sql_err(conn, &inserting))?;
        }
        update_extent(conn, table)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Coord, LineString, Polygon};

    fn square() -> MultiPolygon<f64> {
        let ring = LineString(
            [(0.0, 0.0), (4.0, 0.0), (4.0, 3.0), (0.0, 3.0), (0.0, 0.0)]
                .iter()
                .map(|&(x, y)| Coord {
                    x: x + 155_000.0,
                    y: y + 463_000.0,
                })
                .collect(),
        );
        MultiPolygon(vec![Polygon::new(ring, vec![])])
    }

    #[test]
    fn geometry_header_round_trip() {
        let g = square();
        let blob = encode_geometry(&g, 28992);
        assert_eq!(&blob[..4], b"GP\x00\x03");
        assert_eq!(&blob[4..8], &28992i32.to_le_bytes());
        assert_eq!(decode_geometry(&blob).ok(), Some(Some(g.clone())));

        // Big-endian header with an XYZ envelope (indicator 2).
        let wkb = wkb::encode_multipolygon(&g);
        let mut be = b"GP\x00".to_vec();
        be.push(2 << 1);
        be.extend_from_slice(&28992i32.to_be_bytes());
        for v in [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0] {
            be.extend_from_slice(&v.to_be_bytes());
        }
        be.extend_from_slice(&wkb);
        assert_eq!(decode_geometry(&be).ok(), Some(Some(g)));

        let empty = encode_geometry(&MultiPolygon(vec![]), 28992);
        assert_eq!(empty[3], FLAG_LITTLE_ENDIAN | FLAG_EMPTY);
        assert_eq!(decode_geometry(&empty).ok(), Some(None));
    }

    #[test]
    fn rejects_bad_headers() {
        let blob = encode_geometry(&square(), 28992);
        let mut extended = blob.clone();
        extended[3] |= FLAG_EXTENDED;
        let mut bad_envelope = blob.clone();
        bad_envelope[3] = FLAG_LITTLE_ENDIAN | (5 << 1);
        let mut bad_magic = blob.clone();
        bad_magic[0] = b'X';
        for (bytes, needle) in [
            (extended, "extended"),
            (bad_envelope, "envelope indicator 5"),
            (bad_magic, "magic"),
            (blob[..20].to_vec(), "truncated header"),
        ] {
            let err = decode_geometry(&bytes).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.contains(needle)),
                "{err:?} should mention {needle}"
            );
        }
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }
}
