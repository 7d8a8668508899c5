//! # veerkracht-ingest
//!
//! Reads real CBS/PDOK files into [`ImportBatch`]es of the dataset model:
//! KWB tables (StatLine/OData CSV, CBS short-code CSV, XLSX, OData v3 JSON),
//! other area tables through mapping files (benefits 86003NED, Wmo 85995NED,
//! crime 8390xNED/84468NED/47018NED, Leefbaarometer), and geometries (GeoJSON in
//! WGS84 or RD New, GeoPackage). Every failure is an [`IngestError`] naming the
//! file, line/row, column, what was expected and the fix; nothing panics and no
//! missing value becomes a zero.
//!
//! Invariant: this crate reads files and produces batches; it never writes the
//! workspace (that is `veerkracht-store`).

#![warn(missing_docs)]

pub mod area_table;
pub mod error;
pub mod geometry;
pub mod kwb;
pub mod mapping;
pub mod odata_json;
pub mod registry;
pub mod rows;
pub mod text;
pub mod xlsx;

use std::path::Path;

use sha2::{Digest, Sha256};
use veerkracht_dataset::{Catalogue, Edition, ImportBatch, SourceInfo};

pub use error::{IngestError, Result};
pub use mapping::Mapping;
pub use text::{Encoding, RawTable};

/// What one import may hold at most, so that a broken or hostile file cannot take the
/// machine down; each limit gives an error naming the file, the size found and the option
/// that raises it (`veerkracht import --max-file-mb / --max-rows / --max-vertices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// bytes of one file (default 2 GiB: a national KWB CSV is ≈ 10 MB, the national buurt
    /// shapes ≈ 300 MB)
    pub max_file_bytes: u64,
    /// data rows of one table (default 2 million: the national KWB has ≈ 17,000)
    pub max_rows: usize,
    /// positions of one feature's geometry (default 1 million: the most detailed gemeente
    /// boundary of CBS/PDOK has tens of thousands)
    pub max_vertices: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 2 << 30,
            max_rows: 2_000_000,
            max_vertices: 1_000_000,
        }
    }
}

impl Limits {
    /// The file-size check (`size` in bytes).
    pub fn check_file(&self, name: &str, size: u64) -> Result<()> {
        if size > self.max_file_bytes {
            return Err(IngestError::new(
                name,
                "too_large",
                format!(
                    "the file is {:.1} MB, above the limit of {:.1} MB",
                    size as f64 / 1e6,
                    self.max_file_bytes as f64 / 1e6
                ),
                "check that this is the file you meant; raise the limit with --max-file-mb",
            ));
        }
        Ok(())
    }

    /// The row-count check.
    pub fn check_rows(&self, name: &str, rows: usize) -> Result<()> {
        if rows > self.max_rows {
            return Err(IngestError::new(
                name,
                "too_many_rows",
                format!("{rows} data rows, above the limit of {}", self.max_rows),
                "check that this is an area table; raise the limit with --max-rows",
            ));
        }
        Ok(())
    }
}

/// Options of one import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Size limits (file, rows, vertices per feature).
    pub limits: Limits,
    /// Edition for files whose rows carry no year.
    pub edition: Option<Edition>,
    /// A user mapping file (name, text) instead of the embedded ones.
    pub mapping: Option<(String, String)>,
    /// Text encoding of CSV files.
    pub encoding: Encoding,
    /// Import KWB short-code attributes from geometry files.
    pub with_attributes: bool,
    /// The data are the synthetic demo region.
    pub synthetic: bool,
    /// DataProperties JSON for an OData TypedDataSet (name, text); else a sibling file is looked for.
    pub metadata: Option<(String, String)>,
    /// For geometry files without codes: a crosswalk CSV (name, text) with feature_index and gwb_code.
    pub codes: Option<(String, String)>,
}

/// A message of a lower layer without the file name it starts with (the error names the
/// file once, in front).
fn without_name(message: &str, name: &str) -> String {
    message
        .strip_prefix(name)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(message)
        .to_string()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The edition a file name implies: a year in it, or a registered table id in it.
pub fn edition_from_name(name: &str, catalogue: &Catalogue) -> Option<Edition> {
    rows::year_in(name).or_else(|| {
        catalogue
            .tables()
            .iter()
            .find(|t| name.to_uppercase().contains(&t.id.to_uppercase()))
            .and_then(|t| t.edition)
    })
}

fn table_from_name(name: &str, catalogue: &Catalogue) -> Option<String> {
    catalogue
        .tables()
        .iter()
        .find(|t| name.to_uppercase().contains(&t.id.to_uppercase()))
        .map(|t| t.id.clone())
}

fn hash(bytes: &[u8], extra: &str) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(extra.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[allow(clippy::too_many_arguments)]
fn finish(
    mut batch: ImportBatch,
    name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    format: &str,
    family: &str,
    table: Option<String>,
    key: &str,
) -> ImportBatch {
    let sha = hash(
        bytes,
        &format!(
            "{key}|{:?}|{}|{}|{}",
            opts.edition,
            opts.with_attributes,
            opts.mapping.as_ref().map(|m| m.1.as_str()).unwrap_or(""),
            opts.codes.as_ref().map(|m| m.1.as_str()).unwrap_or("")
        ),
    );
    let mut src = batch.source.take().unwrap_or(SourceInfo {
        id: 0,
        file: name.to_string(),
        sha256: String::new(),
        table,
        family: family.to_string(),
        format: format.to_string(),
        period: None,
        rows: 0,
        synthetic: false,
    });
    src.file = name.to_string();
    src.sha256 = sha;
    src.synthetic = opts.synthetic;
    if src.rows == 0 {
        src.rows = batch.areas.len();
    }
    batch.source = Some(src);
    batch
}

/// Imports one file from disk; a GeoPackage may give one batch per layer.
pub fn import_path(
    path: &Path,
    catalogue: &Catalogue,
    opts: &ImportOptions,
) -> Result<Vec<ImportBatch>> {
    let name = file_name(path);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if let Ok(m) = std::fs::metadata(path) {
        opts.limits.check_file(&name, m.len())?;
    }
    if ext == "gpkg" {
        return import_gpkg(path, &name, catalogue, opts);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        IngestError::new(
            &name,
            "io",
            format!("cannot read the file: {e}"),
            "check the path and permissions",
        )
    })?;
    let mut opts = opts.clone();
    if ext == "json" && opts.metadata.is_none() {
        opts.metadata = find_sibling_metadata(path);
    }
    import_bytes(&name, &bytes, catalogue, &opts)
}

fn find_sibling_metadata(path: &Path) -> Option<(String, String)> {
    let dir = path.parent()?;
    let own = path.file_name()?.to_string_lossy().to_string();
    let candidates = std::fs::read_dir(dir).ok()?;
    for e in candidates.flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        if n != own
            && n.to_lowercase().contains("dataproperties")
            && n.to_lowercase().ends_with(".json")
            && let Ok(t) = std::fs::read_to_string(e.path())
        {
            return Some((n, t));
        }
    }
    None
}

/// Imports a file's bytes (any format; a GeoPackage is opened in memory, read-only).
pub fn import_bytes(
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    opts: &ImportOptions,
) -> Result<Vec<ImportBatch>> {
    opts.limits.check_file(name, bytes.len() as u64)?;
    let lower = name.to_lowercase();
    let file_edition = opts.edition.or_else(|| edition_from_name(name, catalogue));
    if lower.ends_with(".xlsx")
        || lower.ends_with(".xlsm")
        || lower.ends_with(".ods")
        || lower.ends_with(".xls")
    {
        let t = xlsx::read_xlsx(bytes, name)?;
        return import_table(t, name, bytes, catalogue, opts, file_edition).map(|b| vec![b]);
    }
    if bytes.starts_with(b"SQLite format 3") || lower.ends_with(".gpkg") {
        return import_gpkg_bytes(name, bytes, catalogue, opts);
    }
    if !lower.ends_with(".json") && !lower.ends_with(".geojson") {
        text::check_line_lengths(bytes, name)?;
    }
    let text = text::decode(bytes, name, opts.encoding)?;
    let trimmed = text.trim_start();
    if lower.ends_with(".geojson")
        || (trimmed.starts_with('{') && trimmed.contains("\"FeatureCollection\""))
    {
        let mut layer = veerkracht_geo::geojson::read_geojson(&text, name).map_err(|e| {
            IngestError::new(
                name,
                "bad_geojson",
                without_name(&e.to_string(), name),
                "export the layer again as GeoJSON",
            )
        })?;
        let mut dropped = 0;
        if let Some((cname, ctext)) = &opts.codes {
            (layer, dropped) = geometry::apply_code_crosswalk(layer, ctext, cname)?;
        }
        geometry::check_vertices(&layer, name, &opts.limits)?;
        let mut batch =
            geometry::layer_to_batch(layer, name, file_edition, catalogue, opts.with_attributes)?;
        if dropped > 0 {
            batch.warnings.push(format!(
                "{dropped} feature(s) have no code in the crosswalk and were not imported"
            ));
        }
        return Ok(vec![finish(
            batch, name, bytes, opts, "geojson", "geometry", None, "geojson",
        )]);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return import_odata_json(name, &text, bytes, catalogue, opts, file_edition)
            .map(|b| vec![b]);
    }
    // Line lengths were checked above.
    let t = text::read_csv(&text, name)?;
    import_table(t, name, bytes, catalogue, opts, file_edition).map(|b| vec![b])
}

fn import_table(
    t: RawTable,
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    opts: &ImportOptions,
    file_edition: Option<Edition>,
) -> Result<ImportBatch> {
    opts.limits.check_rows(name, t.rows.len())?;
    // veerkracht's own exports (columns code, level, edition) re-import column by column.
    let own_export = ["code", "level", "edition"]
        .iter()
        .all(|c| t.column(c).is_some());
    let marked_synthetic = t.column("let_op").is_some_and(|c| {
        t.rows
            .iter()
            .any(|(_, r)| t.cell(r, c).contains("synthetisch"))
    });
    let opts = &ImportOptions {
        synthetic: opts.synthetic || marked_synthetic,
        ..opts.clone()
    };
    let mapping = match &opts.mapping {
        Some((mname, mtext)) => Some(Mapping::parse(mtext, mname, catalogue)?),
        None if own_export => None,
        None => Mapping::embedded(catalogue)
            .into_iter()
            .find(|m| m.matches(&t)),
    };
    if let Some(m) = mapping {
        let table_edition = catalogue.table(&m.table).and_then(|e| e.edition);
        let batch =
            area_table::import_with_mapping(&t, &m, catalogue, file_edition.or(table_edition))?;
        let format = t.format;
        let key = format!("mapping:{}", m.table);
        let family = m.family.clone();
        return Ok(finish(
            batch,
            name,
            bytes,
            opts,
            format,
            &family,
            Some(m.table.clone()),
            &key,
        ));
    }
    let mut batch = kwb::import_kwb(&t, catalogue, file_edition)?;
    // Every observation's edition is its area's edition.
    let editions: std::collections::BTreeSet<Edition> =
        batch.areas.iter().map(|a| a.edition).collect();
    for &e in &editions {
        let missing = registry::missing_measures(&t, catalogue, e);
        if !missing.is_empty() && t.headers.len() > 60 {
            batch.warnings.push(format!(
                "KWB {e}: registry measures not found in this file: {}",
                missing.join(", ")
            ));
        }
    }
    let table = table_from_name(name, catalogue).or_else(|| {
        (editions.len() == 1)
            .then(|| {
                editions
                    .iter()
                    .next()
                    .and_then(|e| catalogue.table_for("kwb", *e))
                    .map(|t| t.id.clone())
            })
            .flatten()
    });
    Ok(finish(
        batch, name, bytes, opts, t.format, "kwb", table, "kwb",
    ))
}

fn import_odata_json(
    name: &str,
    text: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    opts: &ImportOptions,
    file_edition: Option<Edition>,
) -> Result<ImportBatch> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        IngestError::new(
            name,
            "bad_json",
            format!("not valid JSON: {e}"),
            "save the complete OData response",
        )
        .at_line(e.line())
    })?;
    // Either a combined object {"TypedDataSet": …, "DataProperties": …} or a TypedDataSet with separate metadata.
    let (data, props) = if let (Some(d), Some(p)) =
        (json.get("TypedDataSet"), json.get("DataProperties"))
    {
        (d.clone(), p.clone())
    } else {
        let Some((mname, mtext)) = &opts.metadata else {
            return Err(IngestError::new(
                name,
                "odata_metadata",
                "an OData TypedDataSet needs the table's DataProperties to resolve its measures",
                "save …/DataProperties as DataProperties.json next to it, or pass --metadata FILE",
            ));
        };
        let p: serde_json::Value = serde_json::from_str(mtext).map_err(|e| {
            IngestError::new(
                mname,
                "bad_json",
                format!("not valid JSON: {e}"),
                "save the complete DataProperties response",
            )
            .at_line(e.line())
        })?;
        (json, p)
    };
    let (t, warnings) = odata_json::read_odata(&data, &props, name, catalogue, "kwb")?;
    opts.limits.check_rows(name, t.rows.len())?;
    let mut batch = kwb::import_kwb(&t, catalogue, file_edition)?;
    batch.warnings.extend(warnings);
    let editions: std::collections::BTreeSet<Edition> =
        batch.areas.iter().map(|a| a.edition).collect();
    for &e in &editions {
        let missing = registry::missing_measures(&t, catalogue, e);
        if !missing.is_empty() {
            batch.warnings.push(format!(
                "KWB {e}: registry measures not found in DataProperties: {}",
                missing.join(", ")
            ));
        }
    }
    let table = table_from_name(name, catalogue).or_else(|| {
        editions
            .iter()
            .next()
            .and_then(|e| catalogue.table_for("kwb", *e))
            .map(|t| t.id.clone())
    });
    Ok(finish(
        batch,
        name,
        bytes,
        opts,
        "odata-json",
        "kwb",
        table,
        "odata",
    ))
}

fn import_gpkg(
    path: &Path,
    name: &str,
    catalogue: &Catalogue,
    opts: &ImportOptions,
) -> Result<Vec<ImportBatch>> {
    let bytes = std::fs::read(path).map_err(|e| {
        IngestError::new(
            name,
            "io",
            format!("cannot read the file: {e}"),
            "check the path and permissions",
        )
    })?;
    let conn = veerkracht_geo::gpkg::open(path).map_err(|e| {
        IngestError::new(
            name,
            "bad_gpkg",
            without_name(&e.to_string(), name),
            "check that the file is a GeoPackage (QGIS/GDAL can open it)",
        )
    })?;
    import_gpkg_conn(&conn, name, &bytes, catalogue, opts)
}

/// Imports a GeoPackage held in memory (read-only, no temporary file): one batch per
/// feature layer, as [`import_path`] gives for a `.gpkg` file.
pub fn import_gpkg_bytes(
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    opts: &ImportOptions,
) -> Result<Vec<ImportBatch>> {
    let conn = veerkracht_geo::gpkg::open_bytes(bytes, name).map_err(|e| {
        IngestError::new(
            name,
            "bad_gpkg",
            without_name(&e.to_string(), name),
            "check that the file is a GeoPackage (QGIS/GDAL can open it)",
        )
    })?;
    import_gpkg_conn(&conn, name, bytes, catalogue, opts)
}

fn import_gpkg_conn(
    conn: &rusqlite::Connection,
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    opts: &ImportOptions,
) -> Result<Vec<ImportBatch>> {
    let layers = veerkracht_geo::gpkg::list_layers(conn).map_err(|e| {
        IngestError::new(
            name,
            "bad_gpkg",
            without_name(&e.to_string(), name),
            "check that the file is a GeoPackage",
        )
    })?;
    let mut chosen: Vec<_> = layers
        .iter()
        .filter(|l| geometry::layer_level(&l.table).is_some())
        .collect();
    if chosen.is_empty() {
        chosen = layers.iter().collect();
    }
    if chosen.is_empty() {
        return Err(IngestError::new(
            name,
            "bad_gpkg",
            "the GeoPackage has no feature layers",
            "export polygons (gemeenten, wijken or buurten) to it",
        ));
    }
    let file_edition = opts.edition.or_else(|| edition_from_name(name, catalogue));
    let mut out = Vec::new();
    for l in chosen {
        let layer = veerkracht_geo::gpkg::read_layer(conn, &l.table).map_err(|e| {
            IngestError::new(
                name,
                "bad_gpkg",
                without_name(&e.to_string(), name),
                "repair the layer in QGIS or GDAL and export again",
            )
        })?;
        geometry::check_vertices(&layer, name, &opts.limits)?;
        let mut batch = geometry::layer_to_batch(
            layer,
            &format!("{name}:{}", l.table),
            file_edition,
            catalogue,
            opts.with_attributes,
        )?;
        batch.source = None;
        out.push(finish(
            batch,
            &format!("{name}:{}", l.table),
            bytes,
            opts,
            "gpkg",
            "geometry",
            None,
            &format!("gpkg:{}", l.table),
        ));
    }
    Ok(out)
}
