//! `veerkracht index` and `veerkracht signal`: run the index crate and print or write its results.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use serde_json::json;
use veerkracht_dataset::{Catalogue, Dataset, Level};
use veerkracht_index::{Definition, IndexResult, Reason, SignalResult, Status};

use crate::output;
use crate::workspace::Context;

#[derive(Args)]
pub struct IndexArgs {
    /// Index definition (TOML); default: the embedded veerkracht-basis.
    #[arg(long, value_name = "TOML")]
    definition: Option<PathBuf>,
    /// Edition (default: the latest with areas at the level).
    #[arg(long)]
    edition: Option<u16>,
    /// Level (default: the definition's, buurt).
    #[arg(long)]
    level: Option<Level>,
    /// Write every area with score, components and contributions: .csv, .geojson, .gpkg or .parquet.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Show the "waarom" of one area (code) instead of the overview.
    #[arg(long, value_name = "CODE")]
    area: Option<String>,
    /// Monte Carlo runs for rank bands and Sobol indices (0 = none).
    #[arg(long, default_value_t = 0, value_name = "N")]
    uncertainty: usize,
    /// Seed of the uncertainty analysis.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write a summary report: .md or .html (prints well to PDF).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Args)]
pub struct SignalArgs {
    /// Index definition (TOML); default: the embedded veerkracht-basis.
    #[arg(long, value_name = "TOML")]
    definition: Option<PathBuf>,
    /// First edition.
    #[arg(long)]
    from: u16,
    /// Last edition.
    #[arg(long)]
    to: u16,
    /// Level.
    #[arg(long, default_value = "buurt")]
    level: Level,
    /// Dead band in standard deviations: smaller changes count as stable (default: the definition's, 0.1).
    #[arg(long)]
    tau: Option<f64>,
    /// Write every area's signal: .csv, .geojson, .gpkg or .parquet.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write a summary report: .md or .html.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

fn definition(path: &Option<PathBuf>) -> Result<Definition> {
    match path {
        None => Ok(Definition::veerkracht_basis()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            Ok(Definition::parse(
                &text,
                &p.display().to_string(),
                &Catalogue::embedded(),
            )?)
        }
    }
}

fn latest(ds: &Dataset, level: Level) -> Result<u16> {
    match ds
        .editions()
        .into_iter()
        .rev()
        .find(|e| !ds.areas(*e, level).is_empty())
    {
        Some(e) => Ok(e),
        None => bail!(
            "no {} in the workspace — import KWB data first",
            level.plural()
        ),
    }
}

/// A number with as many decimals as its size needs (Leefbaarometer deviations are ~0.05).
fn num(v: f64) -> String {
    if v.abs() >= 1.0 || v == 0.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn f(x: Option<f64>) -> String {
    x.map(num).unwrap_or_else(|| "-".into())
}

fn signed(v: f64) -> String {
    if v >= 0.0 {
        format!("+{}", num(v))
    } else {
        num(v)
    }
}

pub fn index(ctx: &Context, a: IndexArgs) -> Result<()> {
    let def = definition(&a.definition)?;
    let (origin, ds) = ctx.load()?;
    let level = a.level.unwrap_or(def.level);
    let edition = match a.edition {
        Some(e) => e,
        None => latest(&ds, level)?,
    };
    if ds.areas(edition, level).is_empty() {
        bail!(
            "edition {edition} has no {} — editions present: {:?}",
            level.plural(),
            ds.editions()
        );
    }
    // With --uncertainty the nominal index comes out of the analysis (one computation).
    let (r, unc) = if a.uncertainty > 0 {
        let o = veerkracht_index::uncertainty::Options {
            runs: a.uncertainty,
            seed: a.seed,
            ..Default::default()
        };
        let (r, u) = veerkracht_index::index_with_uncertainty(&def, &ds, edition, level, &o);
        (r, Some(u))
    } else {
        (veerkracht_index::compute(&def, &ds, edition, level), None)
    };
    if let Some(out) = &a.out {
        write_index(&ds, &r, unc.as_ref(), out)?;
    }
    if let Some(rep) = &a.report {
        crate::report::write(
            rep,
            &format!("{} — {} {}", def.title_nl, level.plural(), edition),
            &index_report(&def, &ds, &r, unc.as_ref(), &origin.describe()),
        )?;
    }
    if let Some(code) = &a.area {
        let c = veerkracht_dataset::AreaCode::parse(code)?;
        let Some(area) = r.areas.iter().find(|x| x.code == c) else {
            bail!("area {c} is not a {} in {edition}", level)
        };
        if ctx.json {
            return output::json(&serde_json::to_value(area)?);
        }
        print_area(&def, &r, area)?;
        let peers = veerkracht_index::peers::peer_groups(&def, &ds, edition, level, 10);
        if let Some((_, list)) = peers.iter().find(|(code, _)| *code == c) {
            let scores: Vec<f64> = list
                .iter()
                .filter_map(|p| {
                    r.areas
                        .iter()
                        .find(|x| x.code == p.code)
                        .and_then(|x| x.score)
                })
                .collect();
            if !scores.is_empty() {
                let mean = scores.iter().sum::<f64>() / scores.len() as f64;
                println!(
                    "\nVergelijkbare buurten (stedelijkheid, omvang, woningvoorraad): gemiddelde score {mean:.1} over {}: {}",
                    scores.len(),
                    list.iter()
                        .map(|p| p.code.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        return Ok(());
    }
    if ctx.json {
        let mut v = serde_json::to_value(&r)?;
        if let Some(u) = &unc {
            v["uncertainty"] = serde_json::to_value(u)?;
        }
        return output::json(&v);
    }
    let scored: Vec<_> = r.areas.iter().filter(|x| x.score.is_some()).collect();
    println!(
        "{} — {} {} ({}), werkruimte: {}",
        def.title_nl,
        r.areas.len(),
        level.plural(),
        edition,
        origin.describe()
    );
    println!(
        "methode: referentie {:?}, normalisatie {:?}, aggregatie {:?}, behandeling {:?}, imputatie {:?}; hogere score = meer veerkracht",
        r.method.reference,
        r.method.normalisation,
        r.method.aggregation,
        r.method.treatment,
        r.method.imputation
    );
    print_eligibility(r.areas.iter());
    println!("\nIndicatoren (alle open-data proxy's, geen tellingen van kwetsbare mensen):");
    let mut rows = vec![vec![
        "component".into(),
        "indicator".into(),
        "bron".into(),
        "beschikbaar".into(),
        "behandeling".into(),
    ]];
    for i in &r.indicators {
        rows.push(vec![
            i.component.clone(),
            i.label_nl.clone(),
            i.source.clone(),
            if i.available {
                format!("{} gebieden", i.present)
            } else {
                "niet in deze editie".into()
            },
            format!("{:?}", i.treatment),
        ]);
    }
    print!("{}", output::table(&rows));
    let mut classes: std::collections::BTreeMap<&str, usize> = Default::default();
    for x in &scored {
        if let Some(c) = x.class {
            *classes.entry(c.label_nl()).or_default() += 1;
        }
    }
    println!(
        "\nKlassen: {}",
        classes
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut by_rank: Vec<_> = scored.iter().filter(|x| x.rank.is_some()).collect();
    by_rank.sort_by_key(|x| x.rank);
    println!(
        "\nGebieden die de meeste aandacht vragen (score, componenten A/B/C/D, vlaggen ≥ p90):"
    );
    let mut rows = vec![vec![
        "rang".into(),
        "code".into(),
        "naam".into(),
        "score".into(),
        "A".into(),
        "B".into(),
        "C".into(),
        "D".into(),
        "vlaggen".into(),
        "dekking".into(),
    ]];
    for x in by_rank.iter().take(15) {
        let comp = |id: &str| {
            f(x.components
                .iter()
                .find(|c| c.component == id)
                .and_then(|c| c.score))
        };
        rows.push(vec![
            x.rank.map(|r| r.to_string()).unwrap_or_default(),
            x.code.to_string(),
            x.name.clone(),
            f(x.score),
            comp("A"),
            comp("B"),
            comp("C"),
            comp("D"),
            x.flags.to_string(),
            format!(
                "{:.0}%{}",
                x.coverage * 100.0,
                if x.reliable { "" } else { " (onbetrouwbaar)" }
            ),
        ]);
    }
    print!("{}", output::table(&rows));
    let mut check: Vec<_> = scored
        .iter()
        .filter(|x| x.status == Status::Caveat)
        .collect();
    if !check.is_empty() {
        check.sort_by(|a, b| a.score.unwrap_or(0.0).total_cmp(&b.score.unwrap_or(0.0)));
        println!(
            "\nEerst controleren (score en klasse, geen rang; laagste scores eerst, {} in totaal):",
            check.len()
        );
        let mut rows = vec![vec![
            "code".into(),
            "naam".into(),
            "score".into(),
            "klasse".into(),
            "waarom".into(),
        ]];
        for x in check.iter().take(10) {
            rows.push(vec![
                x.code.to_string(),
                x.name.clone(),
                f(x.score),
                x.class
                    .map(|c| c.label_nl().to_string())
                    .unwrap_or_default(),
                reasons_nl(&x.exclusions),
            ]);
        }
        print!("{}", output::table(&rows));
    }
    if let Some(u) = &unc {
        let widths: Vec<f64> = u.areas.iter().map(|b| b.rank_p95 - b.rank_p5).collect();
        let mut w = widths.clone();
        w.sort_by(|x, y| x.total_cmp(y));
        println!(
            "\nOnzekerheid ({} runs, seed {}): gemiddelde rangverschuiving {:.1}; mediane breedte van de 5–95%-rangband {:.0} plaatsen",
            u.runs,
            u.seed,
            u.mean_rank_shift,
            w.get(w.len() / 2).copied().unwrap_or(0.0)
        );
        for s in &u.sobol {
            println!(
                "  Sobol {:<13} eerste orde {:.2}, totaal {:.2}",
                s.factor, s.first_order, s.total
            );
        }
    }
    println!("\n(waarom: veerkracht index --area CODE; alles: --json of --out FILE.csv)");
    Ok(())
}

/// The eligibility summary of an index run: how many areas are scored, scored with a caveat
/// and not scored, and how often each rule fired (docs/index-validiteit.md §5, R9).
fn print_eligibility<'a>(areas: impl Iterator<Item = &'a veerkracht_index::AreaScore>) {
    let mut n = [0usize; 3];
    let mut by_reason: std::collections::BTreeMap<Reason, usize> = Default::default();
    for a in areas {
        n[a.status as usize] += 1;
        for x in &a.exclusions {
            *by_reason.entry(x.reason).or_default() += 1;
        }
    }
    println!(
        "gescoord en gerangschikt: {}; eerst controleren (score, geen rang): {}; geen score: {}.",
        n[0], n[1], n[2]
    );
    if !by_reason.is_empty() {
        println!(
            "Regels die afgingen (een gebied kan er meer hebben): {}",
            by_reason
                .iter()
                .map(|(r, k)| format!("{} {k}", r.label_nl()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The rules that fired for an area, in words with their numbers.
fn reasons_nl(exclusions: &[veerkracht_index::Exclusion]) -> String {
    exclusions
        .iter()
        .map(|x| format!("{}: {}", x.reason.label_nl(), x.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

fn print_area(def: &Definition, r: &IndexResult, a: &veerkracht_index::AreaScore) -> Result<()> {
    println!("{} {} — {} ({})", a.code, a.name, def.title_nl, r.edition);
    match (a.score, a.class, a.rank) {
        (Some(s), Some(c), Some(rank)) => println!(
            "score {s:.1} (percentiel {:.0}, rang {rank} van {}): {}",
            a.percentile.unwrap_or(0.0),
            r.areas.iter().filter(|x| x.rank.is_some()).count(),
            c.label_nl()
        ),
        (Some(s), Some(c), None) => println!(
            "score {s:.1} (percentiel {:.0}, geen rang: eerst controleren): {}",
            a.percentile.unwrap_or(0.0),
            c.label_nl()
        ),
        _ => println!(
            "geen score{}",
            a.note
                .as_ref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ),
    }
    for x in &a.exclusions {
        println!(
            "  {} ({}): {}",
            x.reason.label_nl(),
            x.reason.status().label_nl(),
            x.detail
        );
    }
    if a.corporatiebuurt == Some(true) {
        println!(
            "corporatiebuurt (meer dan {:.1}% corporatiewoningen)",
            r.method.corporatie_threshold
        );
    }
    println!(
        "\nWaarom (bijdrage in scorepunten; hogere genormaliseerde waarde = meer veerkracht):"
    );
    let mut rows = vec![vec![
        "comp.".into(),
        "indicator".into(),
        "waarde".into(),
        "genorm.".into(),
        "bijdrage".into(),
        "p90".into(),
        "opmerking".into(),
    ]];
    for c in &a.contributions {
        let ind = def
            .indicators()
            .find(|(_, i)| i.id == c.indicator)
            .map(|(_, i)| i.label_nl.clone())
            .unwrap_or_default();
        let mut note = c.missing.clone().unwrap_or_default();
        if c.imputed {
            note = "geïmputeerd".into();
        }
        if !c.reliability.is_empty() {
            note = format!("{note} {}", c.reliability.join("+"))
                .trim()
                .to_string();
        }
        rows.push(vec![
            c.component.clone(),
            ind,
            f(c.raw),
            f(c.normalised),
            f(c.contribution),
            if c.flag_p90 {
                "vlag".into()
            } else {
                String::new()
            },
            note,
        ]);
    }
    print!("{}", output::table(&rows));
    Ok(())
}

fn write_index(
    ds: &Dataset,
    r: &IndexResult,
    unc: Option<&veerkracht_index::Uncertainty>,
    out: &Path,
) -> Result<()> {
    let bands: std::collections::HashMap<_, _> = unc
        .map(|u| u.areas.iter().map(|b| (b.code, b)).collect())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = r
        .areas
        .iter()
        .map(|a| {
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(a.code.to_string()));
            m.insert("name".into(), json!(a.name));
            m.insert("gemeente".into(), json!(a.gemeente.map(|g| g.to_string())));
            m.insert("corporatiebuurt".into(), json!(a.corporatiebuurt));
            m.insert("status".into(), json!(a.status));
            m.insert("reden".into(), json!(reasons_nl(&a.exclusions)));
            m.insert("score".into(), json!(a.score));
            m.insert("rank".into(), json!(a.rank));
            m.insert("percentile".into(), json!(a.percentile));
            m.insert("klasse".into(), json!(a.class.map(|c| c.label_nl())));
            if unc.is_some() {
                let b = bands.get(&a.code);
                m.insert("rang_mediaan".into(), json!(b.map(|b| b.median_rank)));
                m.insert("rang_p5".into(), json!(b.map(|b| b.rank_p5)));
                m.insert("rang_p95".into(), json!(b.map(|b| b.rank_p95)));
            }
            for c in &a.components {
                m.insert(format!("component_{}", c.component), json!(c.score));
            }
            for c in &a.contributions {
                m.insert(format!("{}_waarde", c.indicator), json!(c.raw));
                m.insert(format!("{}_bijdrage", c.indicator), json!(c.contribution));
                m.insert(format!("{}_p90", c.indicator), json!(c.flag_p90));
            }
            m.insert("vlaggen".into(), json!(a.flags));
            m.insert("dekking".into(), json!(a.coverage));
            m.insert("betrouwbaar".into(), json!(a.reliable));
            m.insert("opmerking".into(), json!(a.note));
            m
        })
        .collect();
    write_rows(ds, r.edition, rows, out, &ext)
}

/// Writes rows (code first) as CSV or GeoJSON (WGS84, shapes of the edition).
pub fn write_rows(
    ds: &Dataset,
    edition: u16,
    rows: Vec<serde_json::Map<String, serde_json::Value>>,
    out: &Path,
    ext: &str,
) -> Result<()> {
    match ext {
        "csv" => {
            let mut w = csv::Writer::from_path(out)
                .with_context(|| format!("{}: cannot write", out.display()))?;
            let header: Vec<String> = rows
                .first()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            w.write_record(&header)?;
            for r in &rows {
                w.write_record(header.iter().map(|h| match r.get(h) {
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                }))?;
            }
            w.flush()?;
        }
        "geojson" | "json" => {
            let layer = rows_layer(ds, edition, rows);
            std::fs::write(
                out,
                veerkracht_geo::geojson::write_geojson(&layer, veerkracht_geo::Crs::Wgs84, 6),
            )
            .with_context(|| format!("{}: cannot write", out.display()))?;
        }
        "gpkg" => write_gpkg(ds, edition, rows, out)?,
        "parquet" => veerkracht_export::rows::write_parquet(&rows, out)?,
        other => bail!(
            "{}: unknown output format '.{other}'; use .csv, .geojson, .gpkg or .parquet",
            out.display()
        ),
    }
    Ok(())
}

pub fn signal(ctx: &Context, a: SignalArgs) -> Result<()> {
    let def = definition(&a.definition)?;
    let (origin, ds) = ctx.load()?;
    for e in [a.from, a.to] {
        if ds.areas(e, a.level).is_empty() {
            bail!(
                "edition {e} has no {} — editions present: {:?}",
                a.level.plural(),
                ds.editions()
            );
        }
    }
    if a.from >= a.to {
        bail!("--from ({}) must be before --to ({})", a.from, a.to);
    }
    let tau = a.tau.unwrap_or(def.method.signal_dead_band);
    let s: SignalResult = veerkracht_index::signal(&def, &ds, a.from, a.to, a.level, tau);
    if let Some(out) = &a.out {
        let ext = out
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let rows = s
            .areas
            .iter()
            .map(|x| {
                let mut m = serde_json::Map::new();
                m.insert("code".into(), json!(x.code.to_string()));
                m.insert("name".into(), json!(x.name));
                m.insert("gemeente".into(), json!(x.gemeente.map(|g| g.to_string())));
                m.insert("d_kwetsbaarheid".into(), json!(x.d_vulnerability));
                m.insert("d_druk".into(), json!(x.d_pressure));
                m.insert("signaal".into(), json!(x.quadrant.map(|q| q.label_nl())));
                m.insert(
                    "d_kwetsbaarheid_relatief".into(),
                    json!(x.d_vulnerability_rel),
                );
                m.insert("d_druk_relatief".into(), json!(x.d_pressure_rel));
                m.insert(
                    "signaal_relatief".into(),
                    json!(x.quadrant_rel.map(|q| q.label_nl())),
                );
                m.insert("opmerking".into(), json!(x.note));
                m
            })
            .collect();
        write_rows(&ds, a.to, rows, out, &ext)?;
    }
    if let Some(rep) = &a.report {
        use crate::report::Section;
        let mut secs = vec![Section {
            heading: "Samenvatting".into(),
            text: vec![
                format!(
                    "Werkruimte: {}. Veerkrachtsignaal {} → {} ({}): verandering in standaarddeviaties van {}, dode zone ±{} SD.",
                    origin.describe(),
                    a.from,
                    a.to,
                    a.level.plural(),
                    a.from,
                    tau
                ),
                format!(
                    "Kwetsbaarheid: {}. Druk: {}.{}",
                    s.vulnerability_indicators.join(", "),
                    s.pressure_indicators.join(", "),
                    if s.dropped.is_empty() {
                        String::new()
                    } else {
                        format!(" Niet in beide edities: {}.", s.dropped.join(", "))
                    }
                ),
                "Signalerend, geen oordeel: bespreek de uitkomst met partners en lokale kennis."
                    .into(),
            ],
            table: std::iter::once(vec!["signaal".into(), "gebieden".into()])
                .chain(
                    s.counts
                        .iter()
                        .map(|(q, n)| vec![q.label_nl().to_string(), n.to_string()]),
                )
                .collect(),
        }];
        secs.push(Section {
            heading: "Veerkracht onder druk".into(),
            text: Vec::new(),
            table: std::iter::once(vec![
                "code".into(),
                "naam".into(),
                "Δ kwetsbaarheid".into(),
                "Δ druk".into(),
                "relatief".into(),
                "opmerking".into(),
            ])
            .chain(
                s.areas
                    .iter()
                    .filter(|x| x.quadrant == Some(veerkracht_index::Quadrant::VeerkrachtOnderDruk))
                    .map(|x| {
                        vec![
                            x.code.to_string(),
                            x.name.clone(),
                            f(x.d_vulnerability),
                            f(x.d_pressure),
                            x.quadrant_rel
                                .map(|q| q.label_nl().to_string())
                                .unwrap_or_default(),
                            x.note.clone().unwrap_or_default(),
                        ]
                    }),
            )
            .collect(),
        });
        crate::report::write(
            rep,
            &format!("Veerkrachtsignaal {} → {}", a.from, a.to),
            &secs,
        )?;
    }
    if ctx.json {
        return output::json(&serde_json::to_value(&s)?);
    }
    println!(
        "Veerkrachtsignaal {} → {} ({}), werkruimte: {}",
        a.from,
        a.to,
        a.level.plural(),
        origin.describe()
    );
    println!("kwetsbaarheid: {}", s.vulnerability_indicators.join(", "));
    println!("druk: {}", s.pressure_indicators.join(", "));
    if !s.dropped.is_empty() {
        println!(
            "niet in beide edities (weggelaten): {}",
            s.dropped.join(", ")
        );
    }
    println!(
        "verandering in standaarddeviaties van {}; dode zone ±{} SD\n",
        a.from, tau
    );
    for (q, n) in &s.counts {
        println!("  {:<55} {n}", q.label_nl());
    }
    let mut hits: Vec<_> = s
        .areas
        .iter()
        .filter(|x| x.quadrant == Some(veerkracht_index::Quadrant::VeerkrachtOnderDruk))
        .collect();
    hits.sort_by(|x, y| {
        (y.d_vulnerability.unwrap_or(0.0) + y.d_pressure.unwrap_or(0.0))
            .total_cmp(&(x.d_vulnerability.unwrap_or(0.0) + x.d_pressure.unwrap_or(0.0)))
    });
    if !hits.is_empty() {
        println!("\nVeerkracht onder druk (kwetsbaarheid ↑ en druk ↑), absoluut:");
        let mut rows = vec![vec![
            "code".into(),
            "naam".into(),
            "Δ kwetsb.".into(),
            "Δ druk".into(),
            "relatief t.o.v. gemeente".into(),
        ]];
        for x in hits.iter().take(25) {
            rows.push(vec![
                x.code.to_string(),
                x.name.clone(),
                format!("{:+.2}", x.d_vulnerability.unwrap_or(0.0)),
                format!("{:+.2}", x.d_pressure.unwrap_or(0.0)),
                x.quadrant_rel
                    .map(|q| q.label_nl().to_string())
                    .unwrap_or_else(|| "-".into()),
            ]);
        }
        print!("{}", output::table(&rows));
    }
    Ok(())
}

#[derive(Args)]
pub struct CompareArgs {
    /// What to compare: `corporatie` (corporatiebuurten against the other buurten).
    #[arg(value_parser = ["corporatie"])]
    what: String,
    /// Index definition (TOML); default: the embedded veerkracht-basis.
    #[arg(long, value_name = "TOML")]
    definition: Option<PathBuf>,
    /// Edition (default: the latest with buurten).
    #[arg(long)]
    edition: Option<u16>,
    /// Corporatiebuurt threshold: p_wcorpw above this % (default from the definition, 66.7).
    #[arg(long)]
    threshold: Option<f64>,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the per-variable comparison as CSV.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// First edition of the trend comparison (default: the earliest edition with buurten, if older).
    #[arg(long, value_name = "YEAR")]
    trend_from: Option<u16>,
    /// Write a summary report: .md or .html.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

pub fn compare(ctx: &Context, a: CompareArgs) -> Result<()> {
    let def = definition(&a.definition)?;
    let (origin, ds) = ctx.load()?;
    let edition = match a.edition {
        Some(e) => e,
        None => latest(&ds, Level::Buurt)?,
    };
    let r = veerkracht_index::compute(&def, &ds, edition, Level::Buurt);
    let threshold = a.threshold.unwrap_or(def.method.corporatie_threshold);
    let c = veerkracht_index::compare(&def, &ds, &r, threshold, a.seed);
    let trend_from = a.trend_from.or_else(|| {
        ds.editions()
            .into_iter()
            .find(|e| *e < edition && !ds.areas(*e, Level::Buurt).is_empty())
    });
    let trend = trend_from.map(|from| {
        veerkracht_index::compare::compare_trend(
            &def,
            &ds,
            from,
            edition,
            Level::Buurt,
            threshold,
            a.seed,
        )
    });
    if let Some(out) = &a.out {
        let mut w = csv::Writer::from_path(out)
            .with_context(|| format!("{}: cannot write", out.display()))?;
        w.write_record([
            "variabele",
            "label",
            "n_corporatie",
            "n_overig",
            "gem_corporatie",
            "gem_overig",
            "mediaan_corporatie",
            "mediaan_overig",
            "verschil_gem",
            "ci_laag",
            "ci_hoog",
            "verschil_mediaan",
            "paren",
            "verschil_gematcht",
            "ci_gematcht_laag",
            "ci_gematcht_hoog",
        ])?;
        for v in c.variables.iter().chain(trend.iter().flatten()) {
            let o = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
            w.write_record([
                v.variable.clone(),
                v.label_nl.clone(),
                v.n_corp.to_string(),
                v.n_rest.to_string(),
                o(v.mean_corp),
                o(v.mean_rest),
                o(v.median_corp),
                o(v.median_rest),
                o(v.diff_mean.as_ref().map(|d| d.estimate)),
                o(v.diff_mean.as_ref().map(|d| d.low)),
                o(v.diff_mean.as_ref().map(|d| d.high)),
                o(v.diff_median.as_ref().map(|d| d.estimate)),
                v.matched_pairs.to_string(),
                o(v.diff_matched.as_ref().map(|d| d.estimate)),
                o(v.diff_matched.as_ref().map(|d| d.low)),
                o(v.diff_matched.as_ref().map(|d| d.high)),
            ])?;
        }
        w.flush()?;
    }
    if let Some(rep) = &a.report {
        use crate::report::Section;
        let table = |vars: &[veerkracht_index::compare::VariableComparison]| -> Vec<Vec<String>> {
            std::iter::once(vec![
                "variabele".into(),
                "corporatie (n)".into(),
                "overig (n)".into(),
                "verschil gemiddelde [95%]".into(),
                "verschil mediaan [95%]".into(),
                "gematcht [95%] (paren)".into(),
            ])
            .chain(vars.iter().map(|v| {
                vec![
                    v.label_nl.clone(),
                    format!("{} ({})", f(v.mean_corp), v.n_corp),
                    format!("{} ({})", f(v.mean_rest), v.n_rest),
                    interval(&v.diff_mean),
                    interval(&v.diff_median),
                    format!("{} ({})", interval(&v.diff_matched), v.matched_pairs),
                ]
            }))
            .collect()
        };
        let mut secs = vec![Section {
            heading: "Niveau".into(),
            text: vec![
                format!(
                    "Werkruimte: {}. {} corporatiebuurten (> {threshold}% corporatiewoningen) van {} buurten met p_wcorpw, {edition}. Bootstrap 95%-intervallen, 1.000 trekkingen, seed {}. Gematcht: zelfde gemeente en stedelijkheidsklasse, dichtstbijzijnd in inwonertal.",
                    origin.describe(),
                    c.n_corp,
                    c.classified,
                    c.seed
                ),
                "Open-data proxy's, geen tellingen van kwetsbare mensen.".into(),
            ],
            table: table(&c.variables),
        }];
        if let (Some(from), Some(t)) = (trend_from, &trend) {
            secs.push(Section {
                heading: format!("Trend {from} → {edition}"),
                text: vec!["Verandering per buurt met dezelfde code in beide edities.".into()],
                table: table(t),
            });
        }
        secs.push(Section {
            heading: "Gevoeligheid voor de grens".into(),
            text: Vec::new(),
            table: std::iter::once(vec![
                "grens".into(),
                "corporatiebuurten".into(),
                "overig".into(),
                "verschil score [95%]".into(),
            ])
            .chain(c.sensitivity.iter().map(|s| {
                vec![
                    format!("> {}%", s.threshold),
                    s.n_corp.to_string(),
                    s.n_rest.to_string(),
                    interval(&s.diff_mean_score),
                ]
            }))
            .collect(),
        });
        crate::report::write(
            rep,
            &format!("Corporatiebuurten tegenover overige buurten, {edition}"),
            &secs,
        )?;
    }
    if ctx.json {
        let mut v = serde_json::to_value(&c)?;
        v["trend_from"] = json!(trend_from);
        v["trend"] = serde_json::to_value(&trend)?;
        return output::json(&v);
    }
    println!(
        "Corporatiebuurten (> {threshold}% corporatiewoningen) tegenover overige buurten, {edition}; werkruimte: {}",
        origin.describe()
    );
    println!(
        "{} corporatiebuurten van {} buurten met p_wcorpw; bootstrap 95%-intervallen (1.000 trekkingen, seed {})\n",
        c.n_corp, c.classified, c.seed
    );
    let mut rows = vec![vec![
        "variabele".into(),
        "corporatie".into(),
        "overig".into(),
        "verschil gemiddelde [95%]".into(),
        "gematcht (paren) [95%]".into(),
    ]];
    for v in &c.variables {
        rows.push(vec![
            v.label_nl.clone(),
            format!("{} (n={})", f(v.mean_corp), v.n_corp),
            format!("{} (n={})", f(v.mean_rest), v.n_rest),
            interval(&v.diff_mean),
            format!("{} ({})", interval(&v.diff_matched), v.matched_pairs),
        ]);
    }
    print!("{}", output::table(&rows));
    if let (Some(from), Some(t)) = (trend_from, &trend) {
        println!("\nTrend {from} → {edition} (verandering per buurt, zelfde code):");
        let mut rows = vec![vec![
            "variabele".into(),
            "corporatie".into(),
            "overig".into(),
            "verschil [95%]".into(),
        ]];
        for v in t {
            rows.push(vec![
                v.label_nl.clone(),
                format!("{} (n={})", f(v.mean_corp), v.n_corp),
                format!("{} (n={})", f(v.mean_rest), v.n_rest),
                interval(&v.diff_mean),
            ]);
        }
        print!("{}", output::table(&rows));
    }
    println!("\nGevoeligheid voor de grens:");
    for s in &c.sensitivity {
        println!(
            "  > {:>4}%: {:>5} corporatiebuurten, {:>5} overig, verschil score {}",
            s.threshold,
            s.n_corp,
            s.n_rest,
            interval(&s.diff_mean_score)
        );
    }
    println!(
        "\nGematcht: zelfde gemeente en stedelijkheidsklasse (ste_mvs), dichtstbijzijnd in inwonertal. Open-data proxy's, geen tellingen van kwetsbare mensen."
    );
    Ok(())
}

fn index_report(
    def: &Definition,
    ds: &Dataset,
    r: &IndexResult,
    unc: Option<&veerkracht_index::Uncertainty>,
    origin: &str,
) -> Vec<crate::report::Section> {
    use crate::report::Section;
    let synthetic = ds.sources().iter().any(|s| s.synthetic);
    let mut secs = Vec::new();
    let count = |s: Status| r.areas.iter().filter(|a| a.status == s).count();
    let (n_scored, n_check, n_not) = (
        count(Status::Scored),
        count(Status::Caveat),
        count(Status::NotScored),
    );
    let mut intro = vec![
        format!("Werkruimte: {origin}. Editie {}, niveau {}, {} gebieden: {n_scored} gescoord en gerangschikt, {n_check} eerst controleren (score, geen rang), {n_not} zonder score.", r.edition, r.level.plural(), r.areas.len()),
        "Hogere score = meer veerkracht. Klassen zijn percentielen van de score: veel aandacht nodig (< 20), aandacht nodig, gemiddeld, veerkrachtig, zeer veerkrachtig (≥ 80).".into(),
        "Alle indicatoren zijn open-data proxy's; ze tellen geen kwetsbare mensen.".into(),
    ];
    if synthetic {
        intro.insert(
            0,
            "LET OP: synthetische demodata — geen echte gegevens.".into(),
        );
    }
    secs.push(Section {
        heading: "Samenvatting".into(),
        text: intro,
        table: Vec::new(),
    });
    let m = &r.method;
    secs.push(Section {
        heading: "Methode".into(),
        text: vec![format!(
            "Referentie {:?}; screening: minimaal {:.0}% van de beschikbare indicatoren; imputatie {:?}; uitschieters {:?}; normalisatie {:?}; aggregatie {:?} met herweging over aanwezige componenten (minimaal {:.0}% van het gewicht); corporatiebuurt: meer dan {}% corporatiewoningen.",
            m.reference, m.min_coverage * 100.0, m.imputation, m.treatment, m.normalisation, m.aggregation, m.component_min_share * 100.0, m.corporatie_threshold
        )],
        table: std::iter::once(vec!["component".into(), "indicator".into(), "bron".into(), "gewicht".into(), "beschikbaar".into(), "behandeling".into()])
            .chain(def.indicators().zip(&r.indicators).map(|((c, i), run)| {
                vec![format!("{} {}", c.id, c.label_nl), i.label_nl.clone(), i.source.clone(), format!("{}", i.weight), if run.available { run.present.to_string() } else { "niet in deze editie".into() }, format!("{:?}", run.treatment)]
            }))
            .collect(),
    });
    let mut by_rank: Vec<_> = r.areas.iter().filter(|a| a.rank.is_some()).collect();
    by_rank.sort_by_key(|a| a.rank);
    let bands: std::collections::HashMap<_, _> = unc
        .map(|u| u.areas.iter().map(|b| (b.code, b)).collect())
        .unwrap_or_default();
    secs.push(Section {
        heading: "Gebieden die de meeste aandacht vragen".into(),
        text: vec!["Rang 1 = laagste score. Vlaggen: indicatoren op of boven het 90e percentiel van de landelijke verdeling (zoals de SVI).".into()],
        table: std::iter::once(vec!["rang".into(), "rangband 5–95%".into(), "code".into(), "naam".into(), "score".into(), "klasse".into(), "vlaggen".into(), "dekking".into()])
            .chain(by_rank.iter().take(25).map(|a| {
                vec![
                    a.rank.map(|x| x.to_string()).unwrap_or_default(),
                    bands.get(&a.code).map(|b| format!("{:.0}–{:.0}", b.rank_p5, b.rank_p95)).unwrap_or_else(|| "-".into()),
                    a.code.to_string(),
                    a.name.clone(),
                    f(a.score),
                    a.class.map(|c| c.label_nl().to_string()).unwrap_or_default(),
                    a.flags.to_string(),
                    format!("{:.0}%{}", a.coverage * 100.0, if a.reliable { "" } else { " (kleine noemer)" }),
                ]
            }))
            .collect(),
    });
    // Eligibility (docs/index-validiteit.md §5, R9): who is left out of the ranking, and why.
    let mut by_reason: std::collections::BTreeMap<Reason, usize> = Default::default();
    for x in r.areas.iter().flat_map(|a| &a.exclusions) {
        *by_reason.entry(x.reason).or_default() += 1;
    }
    let mut left_out: Vec<_> = r
        .areas
        .iter()
        .filter(|a| a.status != Status::Scored)
        .collect();
    left_out.sort_by_key(|a| (a.status, a.code));
    const LEFT_OUT_ROWS: usize = 200;
    let mut text = vec![format!(
        "Niet gerangschikt: {n_check} gebieden eerst controleren (ze hebben een score en een klasse, maar staan niet in de lijst hierboven) en {n_not} zonder score (geen klasse; op de kaart gearceerd, nooit als 'veerkrachtig'). Regels die afgingen: {}.",
        by_reason
            .iter()
            .map(|(r, k)| format!("{} {k}", r.label_nl()))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    if left_out.len() > LEFT_OUT_ROWS {
        text.push(format!(
            "De eerste {LEFT_OUT_ROWS} van {} staan hieronder; de volledige lijst: veerkracht index --out BESTAND.csv (kolommen status en reden).",
            left_out.len()
        ));
    }
    secs.push(Section {
        heading: "Niet gerangschikt, en waarom".into(),
        text,
        table: std::iter::once(vec![
            "code".into(),
            "naam".into(),
            "status".into(),
            "waarom".into(),
        ])
        .chain(left_out.iter().take(LEFT_OUT_ROWS).map(|a| {
            vec![
                a.code.to_string(),
                a.name.clone(),
                a.status.label_nl().into(),
                reasons_nl(&a.exclusions),
            ]
        }))
        .collect(),
    });
    if let Some(u) = unc {
        secs.push(Section {
            heading: "Onzekerheid en gevoeligheid".into(),
            text: vec![format!("{} Monte Carlo-runs (seed {}) over gewichten (Dirichlet), normalisatie en behandeling van uitschieters; gemiddelde rangverschuiving {:.1}.", u.runs, u.seed, u.mean_rank_shift)],
            table: std::iter::once(vec!["keuze".into(), "Sobol eerste orde".into(), "Sobol totaal".into()])
                .chain(u.sobol.iter().map(|s| vec![s.factor.to_string(), format!("{:.2}", s.first_order), format!("{:.2}", s.total)]))
                .collect(),
        });
    }
    secs.push(Section {
        heading: "Bronnen".into(),
        text: Vec::new(),
        table: std::iter::once(vec![
            "bestand".into(),
            "tabel".into(),
            "soort".into(),
            "periode".into(),
        ])
        .chain(ds.sources().iter().map(|s| {
            vec![
                s.file.clone(),
                s.table.clone().unwrap_or_default(),
                s.family.clone(),
                s.period.clone().unwrap_or_default(),
            ]
        }))
        .collect(),
    });
    secs
}

/// Writes rows as a GeoPackage layer in RD New, named after the file, with column types from the values.
fn write_gpkg(
    ds: &Dataset,
    edition: u16,
    rows: Vec<serde_json::Map<String, serde_json::Value>>,
    out: &Path,
) -> Result<()> {
    use veerkracht_geo::gpkg::{ColumnDef, ColumnKind};
    let mut columns: Vec<ColumnDef> = Vec::new();
    if let Some(first) = rows.first() {
        for k in first.keys() {
            // The type of a column is that of its first non-null value.
            let kind = rows.iter().find_map(|r| match r.get(k) {
                Some(serde_json::Value::Number(_)) => Some(ColumnKind::Real),
                Some(serde_json::Value::Bool(_)) => Some(ColumnKind::Integer),
                Some(serde_json::Value::String(_)) => Some(ColumnKind::Text),
                _ => None,
            });
            columns.push(ColumnDef::new(k.clone(), kind.unwrap_or(ColumnKind::Text)));
        }
    }
    let layer = rows_layer(ds, edition, rows);
    let tmp = out.with_extension("gpkg.tmp");
    let _ = std::fs::remove_file(&tmp);
    let conn = rusqlite::Connection::open(&tmp)
        .with_context(|| format!("{}: cannot create", tmp.display()))?;
    let table = out
        .file_stem()
        .map(|s| {
            s.to_string_lossy()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        })
        .unwrap_or_else(|| "veerkracht".into());
    veerkracht_geo::gpkg::write_layer(&conn, &table, &layer, &columns, veerkracht_geo::Crs::RdNew)
        .map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
    drop(conn);
    std::fs::rename(&tmp, out).with_context(|| format!("{}: cannot write", out.display()))
}

/// Rows (with a `code` property) as a layer with the edition's shapes, in RD New.
fn rows_layer(
    ds: &Dataset,
    edition: u16,
    rows: Vec<serde_json::Map<String, serde_json::Value>>,
) -> veerkracht_geo::Layer {
    let geoms = ds.edition(edition).map(|e| e.geometries());
    let features = rows
        .into_iter()
        .enumerate()
        .map(|(i, props)| {
            let code = props
                .get("code")
                .and_then(|c| c.as_str())
                .and_then(|c| veerkracht_dataset::AreaCode::parse(c).ok());
            veerkracht_geo::Feature {
                index: i,
                geometry: code.and_then(|c| geoms.and_then(|g| g.get(&c)).cloned()),
                properties: props,
            }
        })
        .collect();
    veerkracht_geo::Layer {
        name: "veerkracht".into(),
        crs: veerkracht_geo::Crs::RdNew,
        features,
    }
}

/// A bootstrap difference as "+1.2 [+0.4, +2.0]", or "-" when there is none.
fn interval(d: &Option<veerkracht_index::compare::Difference>) -> String {
    d.as_ref()
        .map(|d| {
            format!(
                "{} [{}, {}]",
                signed(d.estimate),
                signed(d.low),
                signed(d.high)
            )
        })
        .unwrap_or_else(|| "-".into())
}
