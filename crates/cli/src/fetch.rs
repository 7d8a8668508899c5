//! `veerkracht fetch`: the public data of gemeenten straight from CBS and PDOK
//! (`veerkracht-fetch`), imported in one transaction exactly as `import` reads the files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;
use veerkracht_dataset::Catalogue;
use veerkracht_fetch::{Areas, Client, ClientOptions, Hosts, Source};
use veerkracht_ingest::{ImportOptions, import_bytes};
use veerkracht_store::Workspace;

use crate::output;
use crate::workspace::Context;

/// Most gemeenten in one fetch (the Netherlands has 342; use --heel-nederland for all).
pub const MAX_GEMEENTEN: usize = 400;

/// Options of `fetch`.
#[derive(Args)]
pub struct FetchArgs {
    /// Gemeente by name as CBS writes it (Utrecht, 's-Gravenhage) or code (GM0344); repeatable
    #[arg(long = "gemeente", value_name = "NAAM|GMxxxx")]
    gemeenten: Vec<String>,
    /// The whole country instead of gemeenten
    #[arg(long = "heel-nederland", conflicts_with = "gemeenten")]
    heel_nederland: bool,
    /// One edition (year)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    edition: Option<u16>,
    /// First edition (default: the first the catalogue knows)
    #[arg(long)]
    from: Option<u16>,
    /// Last edition (default: the last the catalogue knows)
    #[arg(long)]
    to: Option<u16>,
    /// Only these sources, comma-separated: kwb, uitkeringen, wmo, misdrijven, geometrie
    #[arg(long, value_delimiter = ',')]
    alleen: Vec<String>,
    /// CBS open data host (a mirror, or a test server)
    #[arg(long = "cbs-url", default_value = "https://opendata.cbs.nl")]
    cbs_url: String,
    /// CBS's host for third-party tables such as the police's
    #[arg(long = "politie-url", default_value = "https://dataderden.cbs.nl")]
    politie_url: String,
    /// PDOK host
    #[arg(long = "pdok-url", default_value = "https://api.pdok.nl")]
    pdok_url: String,
    /// Cache directory (default ~/.cache/veerkracht/fetch)
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Download everything again, without the cache
    #[arg(long = "geen-cache")]
    no_cache: bool,
    /// Seconds one request may take (5–3600)
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

fn sources(a: &FetchArgs) -> Result<BTreeSet<Source>> {
    if a.alleen.is_empty() {
        return Ok(Source::ALL.into_iter().collect());
    }
    a.alleen
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<Source>().map_err(anyhow::Error::msg))
        .collect()
}

fn editions(a: &FetchArgs, cat: &Catalogue) -> Result<BTreeSet<u16>> {
    let known: BTreeSet<u16> = cat
        .tables()
        .iter()
        .filter(|t| t.fetch.is_some())
        .filter_map(|t| t.edition)
        .collect();
    let (lo, hi) = (
        *known.first().expect("the catalogue has tables"),
        *known.last().expect("the catalogue has tables"),
    );
    let (from, to) = match a.edition {
        Some(e) => (e, e),
        None => (a.from.unwrap_or(lo), a.to.unwrap_or(hi)),
    };
    for (name, y) in [("--from/--edition", from), ("--to", to)] {
        if !(lo..=hi).contains(&y) {
            bail!("{name} {y}: de catalogus kent edities {lo}–{hi} (data/catalogue/tables.toml)");
        }
    }
    if from > to {
        bail!("--from {from} ligt na --to {to}");
    }
    Ok((from..=to).collect())
}

/// Runs `fetch`.
pub fn fetch(ctx: &Context, a: FetchArgs) -> Result<()> {
    let cat = Catalogue::embedded();
    if a.gemeenten.is_empty() && !a.heel_nederland {
        bail!("geef --gemeente NAAM (herhaalbaar) of --heel-nederland");
    }
    if a.gemeenten.len() > MAX_GEMEENTEN {
        bail!(
            "{} gemeenten: ten hoogste {MAX_GEMEENTEN}; gebruik --heel-nederland",
            a.gemeenten.len()
        );
    }
    if !(5..=3600).contains(&a.timeout) {
        bail!("--timeout {}: kies 5–3600 seconden", a.timeout);
    }
    let sources = sources(&a)?;
    let editions = editions(&a, &cat)?;
    let hosts = Hosts {
        cbs: a.cbs_url.clone(),
        cbs_derden: a.politie_url.clone(),
        pdok: a.pdok_url.clone(),
    };
    let client = Client::new(ClientOptions {
        cache: if a.no_cache {
            None
        } else {
            a.cache
                .clone()
                .or_else(veerkracht_fetch::http::default_cache_dir)
        },
        timeout: std::time::Duration::from_secs(a.timeout),
        ..ClientOptions::default()
    });
    let areas = if a.heel_nederland {
        Areas::Nederland
    } else {
        let newest = *editions.last().expect("at least one edition");
        let list = veerkracht_fetch::gemeenten(&client, &hosts, &cat, newest)?;
        let mut gs = Vec::new();
        for g in &a.gemeenten {
            let found =
                veerkracht_fetch::gemeente::resolve(g, &list).map_err(anyhow::Error::msg)?;
            if !gs.contains(&found) {
                gs.push(found);
            }
        }
        Areas::Gemeenten(gs)
    };
    let steps = (sources.len() * editions.len()) as u64;
    let bar = output::progress(steps, "ophalen");
    let report = veerkracht_fetch::fetch(
        &client,
        &hosts,
        &cat,
        &areas,
        &editions,
        &sources,
        &mut |m| {
            bar.set_message(m.to_string());
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    // import everything first; the workspace changes only when all of it reads
    let mut batches = Vec::new();
    for f in &report.fetched {
        let opts = ImportOptions {
            edition: Some(f.edition),
            ..ImportOptions::default()
        };
        batches.extend(import_bytes(&f.name, &f.bytes, &cat, &opts)?);
    }
    let target = ctx.target();
    let outcomes = if batches.is_empty() {
        Vec::new()
    } else {
        Workspace::open(&target)?.import(&batches)?
    };
    let area_text = match &areas {
        Areas::Nederland => "heel Nederland".to_string(),
        Areas::Gemeenten(gs) => gs
            .iter()
            .map(|g| format!("{} ({})", g.name, g.code))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if ctx.json {
        return output::json(&json!({
            "werkruimte": target.display().to_string(),
            "gebieden": area_text,
            "opgehaald": report.fetched.iter().map(|f| json!({
                "bron": f.source.name(), "tabel": f.table, "editie": f.edition,
                "bestand": f.name, "rijen": f.rows, "bytes": f.bytes.len(),
            })).collect::<Vec<_>>(),
            "niet_gepubliceerd": report.skipped.iter().map(|s| json!({
                "bron": s.source.name(), "editie": s.edition, "tabel": s.table, "reden": s.reason,
            })).collect::<Vec<_>>(),
            "verzoeken": report.stats.iter().map(|(s, x)| json!({
                "bron": s.name(), "verzoeken": x.requests, "bytes": x.bytes,
                "uit_cache": x.cached, "seconden": x.seconds,
            })).collect::<Vec<_>>(),
            "imports": outcomes,
        }));
    }
    println!("opgehaald voor {area_text} → {}", target.display());
    for s in &sources {
        let got: Vec<_> = report.fetched.iter().filter(|f| f.source == *s).collect();
        let st = report.stats.get(s).copied().unwrap_or_default();
        println!(
            "  {}: {} bestand(en); {} verzoeken, {:.1} MB, {} uit de cache, {:.1} s",
            s.name(),
            got.len(),
            st.requests,
            st.bytes as f64 / 1e6,
            st.cached,
            st.seconds
        );
        for f in got {
            println!(
                "    {} {} ({}): {} rijen",
                f.edition, f.table, f.name, f.rows
            );
        }
        let missing: Vec<String> = report
            .skipped
            .iter()
            .filter(|x| x.source == *s)
            .map(|x| x.edition.to_string())
            .collect();
        if !missing.is_empty() {
            println!(
                "    nog niet gepubliceerd of niet in de catalogus: {}",
                missing.join(", ")
            );
        }
    }
    for o in &outcomes {
        if o.imported {
            println!(
                "  ingelezen {}: {} gebieden, {} waarden, {} geometrieën",
                o.file, o.areas, o.observations, o.geometries
            );
        } else {
            println!("  {}: ongewijzigd sinds de vorige keer", o.file);
        }
    }
    Ok(())
}
