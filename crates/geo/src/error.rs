//! The crate's error type.

use crate::gpkg::ColumnKind;
use crate::validate::GeometryProblem;
use crate::{Crs, Extent};

/// Every error this crate reports.
///
/// The `Display` text is a single line that names the input (file, table or
/// blob), the feature index or row where relevant, what was expected and how to
/// fix it, e.g.
/// `wijken.geojson: feature 17: geometry type LineString is not supported; expected Polygon or MultiPolygon (export polygons only)`.
/// Feature indices are 0-based positions in the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GeoError {
    /// The GeoJSON text is not valid JSON.
    #[error(
        "{input}: not valid JSON ({detail}); expected a GeoJSON FeatureCollection (check that the file is complete and was exported as GeoJSON)"
    )]
    Json {
        /// The file or source name.
        input: String,
        /// serde_json's description, with line and column.
        detail: String,
    },

    /// Valid JSON, but not a GeoJSON FeatureCollection or Feature.
    #[error(
        "{input}: {found}; expected a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" and a \"features\" array) (export the layer as GeoJSON)"
    )]
    NotGeoJson {
        /// The file or source name.
        input: String,
        /// What was found instead.
        found: String,
    },

    /// A feature's structure is wrong (not an object, bad `properties`, bad
    /// `geometry` member, missing `coordinates`, ...).
    #[error(
        "{input}: feature {index}: {problem}; expected {expected} (fix the feature or re-export the file)"
    )]
    MalformedFeature {
        /// The file or source name.
        input: String,
        /// 0-based feature index.
        index: usize,
        /// What is wrong.
        problem: String,
        /// What was expected instead.
        expected: &'static str,
    },

    /// A feature has a geometry type other than Polygon or MultiPolygon.
    #[error(
        "{input}: feature {index}: geometry type {found} is not supported; expected Polygon or MultiPolygon (export polygons only)"
    )]
    UnsupportedGeometry {
        /// The file or source name.
        input: String,
        /// 0-based feature index.
        index: usize,
        /// The geometry type found.
        found: String,
    },

    /// A coordinate position is not a pair of finite numbers.
    #[error(
        "{input}: feature {index}: part {part}, ring {ring}, position {position}: {problem}; expected [x, y] with finite numbers (fix the coordinate or re-export the file)"
    )]
    InvalidCoordinate {
        /// The file or source name.
        input: String,
        /// 0-based feature index.
        index: usize,
        /// 0-based polygon index within the multipolygon (0 for a Polygon).
        part: usize,
        /// 0-based ring index (0 = exterior).
        ring: usize,
        /// 0-based position index within the ring.
        position: usize,
        /// What is wrong with the position.
        problem: String,
    },

    /// A polygon ring is not closed or has fewer than 4 positions.
    #[error(
        "{input}: feature {index}: part {part}, ring {ring}: {problem}; expected a closed ring of at least 4 positions whose last position equals the first (close the ring or re-export the file)"
    )]
    InvalidRing {
        /// The file or source name.
        input: String,
        /// 0-based feature index.
        index: usize,
        /// 0-based polygon index within the multipolygon.
        part: usize,
        /// 0-based ring index (0 = exterior).
        ring: usize,
        /// What is wrong with the ring (names the offending position).
        problem: String,
    },

    /// A geometry failed [`validate_multipolygon`](crate::validate::validate_multipolygon).
    #[error(
        "{input}: feature {index}: invalid geometry: {problem} (repair the geometry, e.g. with ogr2ogr -makevalid)"
    )]
    InvalidGeometry {
        /// The layer or source name.
        input: String,
        /// 0-based feature index.
        index: usize,
        /// The problem, naming part, ring and position.
        problem: GeometryProblem,
    },

    /// The declared CRS is not one this crate supports.
    #[error(
        "{input}: crs {name:?} is not supported; expected EPSG:28992 (RD New) or EPSG:4326/OGC CRS84 (WGS84) (reproject, e.g. ogr2ogr -t_srs EPSG:28992)"
    )]
    UnsupportedCrs {
        /// The file or source name.
        input: String,
        /// The CRS name as declared.
        name: String,
    },

    /// No CRS was declared and the coordinates fit neither WGS84 nor RD New.
    #[error(
        "{input}: no crs member and the coordinates ({extent}) fit neither WGS84 longitude/latitude nor RD New (EPSG:28992); expected one of those (add a \"crs\" member such as urn:ogc:def:crs:EPSG::28992, or reproject to EPSG:4326)"
    )]
    UndetectableCrs {
        /// The file or source name.
        input: String,
        /// Range of the coordinates found.
        extent: Extent,
    },

    /// The coordinates lie outside the valid range of the declared CRS.
    #[error(
        "{input}: coordinates ({extent}) are outside the range of the declared crs {crs}; expected coordinates in that CRS (fix the crs member or reproject the data)"
    )]
    CrsMismatch {
        /// The file or source name.
        input: String,
        /// The declared CRS.
        crs: Crs,
        /// Range of the coordinates found.
        extent: Extent,
    },

    /// A WKB or GeoPackage geometry blob is truncated, garbage or of an
    /// unsupported type.
    #[error(
        "{input}{}: invalid geometry blob: {problem}; expected ISO WKB (in a GeoPackage binary header for GeoPackages) holding a Polygon or MultiPolygon (rewrite the layer, e.g. ogr2ogr -nlt MULTIPOLYGON)",
        row_suffix(*.row)
    )]
    InvalidBlob {
        /// The blob's source (e.g. `file.gpkg: layer wijken`, or `WKB`).
        input: String,
        /// Row (primary key) the blob came from, when known.
        row: Option<i64>,
        /// What is wrong with the bytes.
        problem: String,
    },

    /// The file to open does not exist or cannot be read.
    #[error(
        "{path}: cannot open: {detail}; expected an existing, readable GeoPackage file (check the path)"
    )]
    Open {
        /// The path given.
        path: String,
        /// Operating system or SQLite message.
        detail: String,
    },

    /// The file is not a SQLite database.
    #[error(
        "{path}: not a SQLite database; expected a GeoPackage (.gpkg) file (convert the data, e.g. ogr2ogr -f GPKG out.gpkg in.geojson)"
    )]
    NotSqlite {
        /// The path given.
        path: String,
    },

    /// The file is a SQLite database but has no `gpkg_contents` table.
    #[error(
        "{path}: SQLite database without a gpkg_contents table; expected a GeoPackage (convert the data, e.g. ogr2ogr -f GPKG out.gpkg in.geojson)"
    )]
    NotGeoPackage {
        /// The path given.
        path: String,
    },

    /// SQLite reported an error.
    #[error(
        "{input}: SQLite error while {action}: {error}; expected a readable, writable GeoPackage (check the file and its permissions)"
    )]
    Sqlite {
        /// The database path (or `in-memory database`).
        input: String,
        /// What the crate was doing.
        action: String,
        /// The SQLite error.
        error: rusqlite::Error,
    },

    /// The requested table is not a feature layer of the GeoPackage.
    #[error(
        "{input}: no feature layer named {table:?}; expected one of: {available} (check the layer name, e.g. with ogrinfo)"
    )]
    UnknownLayer {
        /// The database path.
        input: String,
        /// The table asked for.
        table: String,
        /// Comma-separated feature layers present (or `none`).
        available: String,
    },

    /// A layer's SRS is not RD New or WGS84.
    #[error(
        "{input}: layer {table}: SRS id {srs_id} is not supported; expected 28992 (RD New) or 4326 (WGS84) (reproject, e.g. ogr2ogr -t_srs EPSG:28992)"
    )]
    UnsupportedSrs {
        /// The database path.
        input: String,
        /// The layer's table.
        table: String,
        /// The SRS id found in gpkg_geometry_columns.
        srs_id: i64,
    },

    /// The table to create already exists.
    #[error(
        "{input}: table {table:?} already exists; expected a new table name (choose another name or drop the table first)"
    )]
    TableExists {
        /// The database path.
        input: String,
        /// The table name.
        table: String,
    },

    /// A table or column name cannot be used.
    #[error(
        "{input}: name {name:?} cannot be used: {reason}; expected a non-empty, unique name (rename the table or column)"
    )]
    InvalidName {
        /// The database path.
        input: String,
        /// The rejected name.
        name: String,
        /// Why it is rejected.
        reason: &'static str,
    },

    /// An attribute value read from a GeoPackage cannot be represented as JSON.
    #[error(
        "{input}: layer {table}: row {row}: column {column}: {problem}; expected INTEGER, REAL, TEXT or NULL values (convert or drop the column)"
    )]
    UnsupportedValue {
        /// The database path.
        input: String,
        /// The layer's table.
        table: String,
        /// The row's primary key.
        row: i64,
        /// The column name.
        column: String,
        /// What is wrong with the value.
        problem: String,
    },

    /// A feature property does not fit the declared column type when writing.
    #[error(
        "{input}: feature {index}: property {column:?}: value {value} does not fit the {kind} column; expected {expected} (fix the value or declare another column type)"
    )]
    PropertyType {
        /// The layer name.
        input: String,
        /// 0-based feature index.
        index: usize,
        /// The column / property name.
        column: String,
        /// The offending value as JSON.
        value: String,
        /// The declared column type.
        kind: ColumnKind,
        /// What values the column accepts.
        expected: &'static str,
    },
}

fn row_suffix(row: Option<i64>) -> String {
    row.map(|r| format!(": row {r}")).unwrap_or_default()
}

impl GeoError {
    /// Replaces the input name (and row) of an [`GeoError::InvalidBlob`] error;
    /// other errors are returned unchanged.
    pub(crate) fn at_blob(self, at_input: &str, at_row: Option<i64>) -> GeoError {
        match self {
            GeoError::InvalidBlob { problem, .. } => GeoError::InvalidBlob {
                input: at_input.to_owned(),
                row: at_row,
                problem,
            },
            other => other,
        }
    }
}
