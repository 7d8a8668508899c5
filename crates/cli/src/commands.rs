//! The subcommands.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use serde_json::json;
use veerkracht_dataset::{Catalogue, Dataset, Level, Missing};
use veerkracht_ingest::{Encoding, ImportOptions, import_path};
use veerkracht_store::Workspace;

use crate::output;
use crate::workspace::{Context, Origin};

#[derive(Args)]
pub struct InfoArgs {}

#[derive(Args)]
pub struct ImportArgs {
    /// Files: KWB CSV/XLSX/OData JSON, benefits, Wmo, crime, Leefbaarometer tables, GeoJSON, GeoPackage.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Edition (year) for files whose rows and name carry no year.
    #[arg(long)]
    edition: Option<u16>,
    /// A mapping file (TOML) for a table veerkracht does not recognise (see data/mappings/).
    #[arg(long, value_name = "TOML")]
    mapping: Option<PathBuf>,
    /// DataProperties JSON for an OData TypedDataSet (default: a *DataProperties*.json beside it).
    #[arg(long, value_name = "JSON")]
    metadata: Option<PathBuf>,
    /// Crosswalk CSV (feature_index, gwb_code) for shape files that carry only names.
    #[arg(long, value_name = "CSV")]
    codes: Option<PathBuf>,
    /// Text encoding of CSV files: utf-8 (default) or windows-1252.
    #[arg(long, default_value = "utf-8")]
    encoding: Encoding,
    /// Also import KWB short-code attributes from geometry files.
    #[arg(long)]
    with_attributes: bool,
    /// Largest file accepted, in MB (default 2,147: 2 GiB).
    #[arg(long, value_name = "MB")]
    max_file_mb: Option<u64>,
    /// Most data rows accepted in one table (default 2,000,000).
    #[arg(long, value_name = "N")]
    max_rows: Option<usize>,
    /// Most positions accepted in one feature's geometry (default 1,000,000).
    #[arg(long, value_name = "N")]
    max_vertices: Option<usize>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Level: gemeente, wijk or buurt.
    #[arg(long)]
    level: Level,
    /// Edition (default: the latest with areas at that level).
    #[arg(long)]
    edition: Option<u16>,
    /// Comma-separated indicator ids (default: all with values).
    #[arg(long, value_delimiter = ',')]
    indicators: Option<Vec<String>>,
    /// Output file: .csv, .geojson, .gpkg or .xlsx.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// CSV for Dutch Excel: ';' separator and decimal comma.
    #[arg(long)]
    excel_nl: bool,
}

#[derive(Args)]
pub struct IndicatorsArgs {
    /// Only this theme (bevolking, wonen, eigendom, inkomen, zorg, veiligheid, leefbaarheid, …).
    #[arg(long)]
    theme: Option<String>,
}

#[derive(Args)]
pub struct CrosswalkArgs {
    /// Source edition.
    #[arg(long)]
    from: u16,
    /// Target edition.
    #[arg(long)]
    to: u16,
    /// Level.
    #[arg(long, default_value = "buurt")]
    level: Level,
    /// Also write the links to this CSV file.
    #[arg(long, value_name = "CSV")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Directory to write the demo files to (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = veerkracht_demo::DEFAULT_SEED)]
    seed: u64,
}

fn read_opt(p: &Option<PathBuf>) -> Result<Option<(String, String)>> {
    match p {
        None => Ok(None),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            Ok(Some((
                p.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                text,
            )))
        }
    }
}

pub fn import(ctx: &Context, a: ImportArgs) -> Result<()> {
    let catalogue = Catalogue::embedded();
    let d = veerkracht_ingest::Limits::default();
    let limits = veerkracht_ingest::Limits {
        max_file_bytes: a
            .max_file_mb
            .map_or(d.max_file_bytes, |mb| mb.saturating_mul(1_000_000)),
        max_rows: a.max_rows.unwrap_or(d.max_rows),
        max_vertices: a.max_vertices.unwrap_or(d.max_vertices),
    };
    let opts = ImportOptions {
        limits,
        edition: a.edition,
        mapping: read_opt(&a.mapping)?,
        encoding: a.encoding,
        with_attributes: a.with_attributes,
        synthetic: false,
        metadata: read_opt(&a.metadata)?,
        codes: read_opt(&a.codes)?,
    };
    let bar = output::progress(a.files.len() as u64, "inlezen");
    let mut batches = Vec::new();
    for f in &a.files {
        bar.set_message(f.display().to_string());
        let b = import_path(f, &catalogue, &opts)?;
        batches.extend(b);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let target = ctx.target();
    let mut ws = Workspace::open(&target)?;
    let outcomes = ws.import(&batches)?;
    if ctx.json {
        return output::json(
            &json!({ "workspace": target.display().to_string(), "imports": outcomes }),
        );
    }
    println!("werkruimte: {}", target.display());
    for o in &outcomes {
        if o.imported {
            println!(
                "  {}: {} gebieden, {} waarden, {} geometrieën (bron #{})",
                o.file, o.areas, o.observations, o.geometries, o.source_id
            );
        } else {
            println!(
                "  {}: al eerder ingelezen (bron #{}), niets gewijzigd",
                o.file, o.source_id
            );
        }
        for w in &o.warnings {
            println!("    let op: {w}");
        }
    }
    Ok(())
}

/// Summary used by `info`.
fn summary(origin: &Origin, ds: &Dataset) -> serde_json::Value {
    let synthetic = ds.sources().iter().any(|s| s.synthetic);
    let mut editions = Vec::new();
    for ed in ds.editions() {
        let e = ds.edition(ed);
        let mut levels = BTreeMap::new();
        for l in [Level::Land, Level::Gemeente, Level::Wijk, Level::Buurt] {
            let areas = ds.areas(ed, l);
            let geoms = areas
                .iter()
                .filter(|a| e.and_then(|e| e.geometry(&a.code)).is_some())
                .count();
            if !areas.is_empty() {
                levels.insert(
                    l.as_str(),
                    json!({ "areas": areas.len(), "with_geometry": geoms }),
                );
            }
        }
        let level = if !ds.areas(ed, Level::Buurt).is_empty() {
            Level::Buurt
        } else if !ds.areas(ed, Level::Wijk).is_empty() {
            Level::Wijk
        } else {
            Level::Gemeente
        };
        let cov = ds.coverage(ed, level);
        let with_values = cov.iter().filter(|c| c.numbers > 0).count();
        let unpublished = cov
            .iter()
            .filter(|c| c.numbers == 0 && c.missing.contains_key(&Missing::NotYetPublished))
            .count();
        let rounded: usize = cov.iter().map(|c| c.rounded).sum();
        let small: usize = cov.iter().map(|c| c.small_denominator).sum();
        let mut missing: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &cov {
            for (m, n) in &c.missing {
                *missing.entry(m.as_str()).or_default() += n;
            }
        }
        let coverage: Vec<serde_json::Value> = cov
            .iter()
            .map(|c| json!({ "indicator": c.indicator, "areas": c.areas, "numbers": c.numbers, "missing": c.missing, "rounded": c.rounded, "small_denominator": c.small_denominator }))
            .collect();
        editions.push(json!({
            "edition": ed,
            "levels": levels,
            "coverage_level": level.as_str(),
            "indicators_with_values": with_values,
            "indicators_not_yet_published": unpublished,
            "missing_cells": missing,
            "rounded_cells": rounded,
            "small_denominator_cells": small,
            "coverage": coverage,
        }));
    }
    json!({
        "workspace": origin.describe(),
        "synthetic": synthetic,
        "editions": editions,
        "sources": ds.sources(),
    })
}

pub fn info(ctx: &Context, _a: InfoArgs) -> Result<()> {
    let (origin, ds) = ctx.load()?;
    let s = summary(&origin, &ds);
    if ctx.json {
        return output::json(&s);
    }
    println!("werkruimte: {}", origin.describe());
    if s["synthetic"].as_bool() == Some(true) {
        println!("LET OP: synthetische demodata — geen echte gegevens over echte buurten.");
    }
    if ds.editions().is_empty() {
        println!("nog niets ingelezen — gebruik `veerkracht import BESTANDEN…`");
        return Ok(());
    }
    println!("\nGebieden per editie (met geometrie):");
    let mut rows = vec![vec![
        "editie".into(),
        "gemeenten".into(),
        "wijken".into(),
        "buurten".into(),
        "indicatoren".into(),
        "nog niet gepubl.".into(),
    ]];
    for e in s["editions"].as_array().into_iter().flatten() {
        let lv = |l: &str| {
            let v = &e["levels"][l];
            if v.is_null() {
                "-".to_string()
            } else {
                format!("{} ({})", v["areas"], v["with_geometry"])
            }
        };
        rows.push(vec![
            e["edition"].to_string(),
            lv("gemeente"),
            lv("wijk"),
            lv("buurt"),
            e["indicators_with_values"].to_string(),
            e["indicators_not_yet_published"].to_string(),
        ]);
    }
    print!("{}", output::table(&rows));
    println!("\nOntbrekende waarden en betrouwbaarheid (niveau met de meeste gebieden):");
    let mut rows = vec![vec![
        "editie".into(),
        "niveau".into(),
        "ontbreekt (.)".into(),
        "geheim (x)".into(),
        "nihil (-)".into(),
        "onderdrukt".into(),
        "afgerond".into(),
        "kleine noemer".into(),
    ]];
    for e in s["editions"].as_array().into_iter().flatten() {
        let m = |k: &str| e["missing_cells"][k].as_u64().unwrap_or(0).to_string();
        rows.push(vec![
            e["edition"].to_string(),
            e["coverage_level"].as_str().unwrap_or("").to_string(),
            m("not_available"),
            m("secret"),
            m("nil"),
            m("suppressed"),
            e["rounded_cells"].to_string(),
            e["small_denominator_cells"].to_string(),
        ]);
    }
    print!("{}", output::table(&rows));
    println!("\nBronnen:");
    let mut rows = vec![vec![
        "#".into(),
        "bestand".into(),
        "tabel".into(),
        "soort".into(),
        "formaat".into(),
        "periode".into(),
        "rijen".into(),
    ]];
    for src in ds.sources() {
        rows.push(vec![
            src.id.to_string(),
            src.file.clone(),
            src.table.clone().unwrap_or_else(|| "-".into()),
            src.family.clone(),
            src.format.clone(),
            src.period.clone().unwrap_or_else(|| "-".into()),
            src.rows.to_string(),
        ]);
    }
    print!("{}", output::table(&rows));
    println!("\n(alle dekkingscijfers per indicator: veerkracht info --json)");
    Ok(())
}

pub fn export(ctx: &Context, a: ExportArgs) -> Result<()> {
    let (_, ds) = ctx.load()?;
    let edition = match a.edition {
        Some(e) => e,
        None => match ds
            .editions()
            .into_iter()
            .rev()
            .find(|e| !ds.areas(*e, a.level).is_empty())
        {
            Some(e) => e,
            None => bail!(
                "no areas at level {} in any edition — import data first",
                a.level
            ),
        },
    };
    let req = veerkracht_export::ExportRequest {
        level: a.level,
        edition,
        indicators: a.indicators,
        csv_dialect: if a.excel_nl {
            veerkracht_export::CsvDialect::DutchExcel
        } else {
            veerkracht_export::CsvDialect::International
        },
    };
    let s = veerkracht_export::export(&ds, &req, &a.out)?;
    if ctx.json {
        return output::json(&json!({
            "path": s.path.display().to_string(), "format": format!("{:?}", s.format), "level": a.level, "edition": edition,
            "areas": s.areas, "indicators": s.indicators, "with_geometry": s.with_geometry, "synthetic": s.synthetic,
        }));
    }
    let geometry = if s.format.has_geometry() {
        format!(", {} met geometrie", s.with_geometry)
    } else {
        String::new()
    };
    println!(
        "{}: {} {} ({}), {} indicatoren{}{}",
        s.path.display(),
        s.areas,
        a.level.plural(),
        edition,
        s.indicators,
        geometry,
        if s.synthetic {
            " — synthetische demodata"
        } else {
            ""
        }
    );
    Ok(())
}

pub fn indicators(ctx: &Context, a: IndicatorsArgs) -> Result<()> {
    let c = Catalogue::embedded();
    let list: Vec<_> = c
        .indicators()
        .iter()
        .filter(|i| a.theme.as_deref().is_none_or(|t| i.theme == t))
        .collect();
    if list.is_empty() {
        let themes: Vec<&str> = c.by_theme().keys().copied().collect();
        bail!(
            "no indicators with theme '{}'; themes: {}",
            a.theme.unwrap_or_default(),
            themes.join(", ")
        );
    }
    if ctx.json {
        return output::json(&serde_json::to_value(&list)?);
    }
    let mut rows = vec![vec![
        "id".into(),
        "label".into(),
        "eenheid".into(),
        "richting".into(),
        "noemer".into(),
        "thema".into(),
        "bron".into(),
    ]];
    for i in list {
        rows.push(vec![
            i.id.clone(),
            i.label_nl.clone(),
            i.unit.as_str().into(),
            format!("{:?}", i.direction).to_lowercase(),
            i.denominator.clone().unwrap_or_default(),
            i.theme.clone(),
            i.family.clone(),
        ]);
    }
    print!("{}", output::table(&rows));
    Ok(())
}

pub fn crosswalk(ctx: &Context, a: CrosswalkArgs) -> Result<()> {
    let (_, ds) = ctx.load()?;
    for e in [a.from, a.to] {
        if ds.areas(e, a.level).is_empty() {
            bail!(
                "edition {e} has no {} — editions present: {:?}",
                a.level.plural(),
                ds.editions()
            );
        }
    }
    let links = veerkracht_dataset::crosswalk(&ds, a.from, a.to, a.level);
    if let Some(p) = &a.out {
        let mut w =
            csv::Writer::from_path(p).with_context(|| format!("{}: cannot write", p.display()))?;
        w.write_record([
            "from_code",
            "from_name",
            "to_code",
            "to_name",
            "method",
            "share",
            "review",
        ])?;
        for l in &links {
            w.write_record([
                l.from.map(|c| c.to_string()).unwrap_or_default(),
                l.from_name.clone().unwrap_or_default(),
                l.to.to_string(),
                l.to_name.clone(),
                serde_json::to_value(l.method)?
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                l.share.map(|s| s.to_string()).unwrap_or_default(),
                l.method.needs_review().to_string(),
            ])?;
        }
        w.flush()?;
    }
    if ctx.json {
        return output::json(&serde_json::to_value(&links)?);
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in &links {
        *counts
            .entry(
                serde_json::to_value(l.method)?
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
            .or_default() += 1;
    }
    println!(
        "{} {} → {}: {} koppelingen",
        a.level.plural(),
        a.from,
        a.to,
        links.len()
    );
    for (m, n) in &counts {
        println!("  {m}: {n}");
    }
    let review: Vec<_> = links
        .iter()
        .filter(|l| l.method != veerkracht_dataset::Method::CodeAndName)
        .collect();
    if !review.is_empty() {
        let mut rows = vec![vec![
            "van".into(),
            "naam".into(),
            "naar".into(),
            "naam".into(),
            "methode".into(),
            "aandeel".into(),
        ]];
        for l in review.iter().take(40) {
            rows.push(vec![
                l.from.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                l.from_name.clone().unwrap_or_default(),
                l.to.to_string(),
                l.to_name.clone(),
                serde_json::to_value(l.method)?
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                l.share
                    .map(|s| format!("{:.1}%", s * 100.0))
                    .unwrap_or_default(),
            ]);
        }
        print!("{}", output::table(&rows));
    }
    Ok(())
}

pub fn demo(ctx: &Context, a: DemoArgs) -> Result<()> {
    let region = veerkracht_demo::generate(a.seed);
    region
        .write_to(&a.out)
        .with_context(|| format!("{}: cannot write the demo files", a.out.display()))?;
    if ctx.json {
        let files: Vec<_> = region
            .files
            .iter()
            .map(|f| json!({ "name": f.name, "bytes": f.bytes.len() }))
            .collect();
        return output::json(
            &json!({ "dir": a.out.display().to_string(), "seed": a.seed, "files": files }),
        );
    }
    println!(
        "{}: {} bestanden (synthetische demodata, seed {})",
        a.out.display(),
        region.files.len(),
        a.seed
    );
    println!(
        "inlezen: veerkracht import {}/*.csv {}/*.geojson",
        a.out.display(),
        a.out.display()
    );
    Ok(())
}
