//! `veerkracht spatial weights|moran|lisa|gi`: spatial weights and autocorrelation of an
//! indicator or the index per area, through the spatial crate.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use serde_json::json;
use veerkracht_dataset::{Dataset, Level, Missing, Value};
use veerkracht_spatial::build::{self, Contiguity};
use veerkracht_spatial::{Correction, LocalOptions, Quadrants, Transform, Weights};

use crate::output;
use crate::workspace::Context;

#[derive(Subcommand)]
pub enum SpatialCommand {
    /// Build spatial weights and show their summary (neighbours, islands, components).
    Weights(SpatialArgs),
    /// Global Moran's I with analytic and permutation inference.
    Moran(SpatialArgs),
    /// Local Moran (LISA): clusters hoog-hoog, laag-laag and outliers per area.
    Lisa(SpatialArgs),
    /// Local Getis-Ord Gi (or Gi* with --star): hotspots and coldspots per area.
    Gi(SpatialArgs),
}

#[derive(Args, Clone)]
pub struct SpatialArgs {
    /// Level.
    #[arg(long, default_value = "buurt")]
    level: Level,
    /// Edition (default: the latest with areas at the level).
    #[arg(long)]
    edition: Option<u16>,
    /// The indicator to analyse (catalogue id, e.g. p_wmo_t).
    #[arg(long, value_name = "ID", conflicts_with = "index")]
    indicator: Option<String>,
    /// Analyse the index score instead: `veerkracht-basis` or a definition file (TOML).
    #[arg(long, value_name = "NAME|TOML")]
    index: Option<String>,
    /// Weights: queen, rook, knn, distance, or a GeoDa file (.gal or .gwt).
    #[arg(long, default_value = "queen", value_name = "KIND|FILE")]
    weights: String,
    /// Neighbours for --weights knn and for --islands knn.
    #[arg(long, default_value_t = 4)]
    k: usize,
    /// Distance band in metres for --weights distance (between centroids, RD New).
    #[arg(long, value_name = "METRES")]
    distance: Option<f64>,
    /// Contiguity tolerance in metres (0 = shared vertices exactly, as PySAL).
    #[arg(long, default_value_t = 0.0, value_name = "METRES")]
    tolerance: f64,
    /// Weights transformation: R (row-standardised), B, D, V or O.
    #[arg(long, default_value = "R")]
    transform: String,
    /// Areas without neighbours: keep (reported, no statistics), knn (link to the k nearest), exclude.
    #[arg(long, default_value = "keep")]
    islands: String,
    /// Permutations (0 = analytic inference only).
    #[arg(long, default_value_t = 999)]
    permutations: usize,
    /// Seed of the permutations.
    #[arg(long, default_value_t = 12345)]
    seed: u64,
    /// Significance level.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Multiple-testing correction: none, fdr (Benjamini-Hochberg) or bonferroni.
    #[arg(long, default_value = "none")]
    correction: String,
    /// Quadrant numbers as GeoDa (1 HH, 2 LL, 3 LH, 4 HL) instead of PySAL (1 HH, 2 LH, 3 LL, 4 HL).
    #[arg(long)]
    geoda_quads: bool,
    /// Gi*: include the area itself.
    #[arg(long)]
    star: bool,
    /// Write the result per area (.csv, .geojson, .gpkg, .parquet) or the weights (.gal, .gwt).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The areas analysed, their values and the weights.
struct Prepared {
    edition: u16,
    codes: Vec<String>,
    names: Vec<String>,
    values: Vec<f64>,
    weights: Weights,
    variable: String,
    /// Areas left out and why.
    excluded: Vec<(String, String)>,
    /// Islands linked to their nearest areas (with --islands knn).
    linked: Vec<String>,
}

fn missing_reason(v: Option<Value>) -> String {
    match v {
        None => "geen waarde".into(),
        Some(Value::Missing(m)) => match m {
            Missing::NotAvailable => "niet beschikbaar (.)".into(),
            Missing::Secret => "geheim (x)".into(),
            Missing::Nil => "nihil (-)".into(),
            Missing::NotYetPublished => "nog niet gepubliceerd".into(),
            Missing::Suppressed => "onderdrukt (kleine aantallen)".into(),
        },
        Some(Value::Number(_)) => "geen waarde".into(),
    }
}

fn prepare(ctx: &Context, a: &SpatialArgs, need_values: bool) -> Result<(Dataset, Prepared)> {
    let (_origin, ds) = ctx.load()?;
    let level = a.level;
    let edition = match a.edition {
        Some(e) => e,
        None => match ds
            .editions()
            .into_iter()
            .rev()
            .find(|e| !ds.areas(*e, level).is_empty())
        {
            Some(e) => e,
            None => bail!(
                "no {} in the workspace — import KWB data first",
                level.plural()
            ),
        },
    };
    let Some(ed) = ds.edition(edition) else {
        bail!(
            "edition {edition} is not in the workspace; editions: {:?}",
            ds.editions()
        )
    };
    let areas = ds.areas(edition, level);
    if areas.is_empty() {
        bail!("edition {edition} has no {}", level.plural());
    }
    // Values: an indicator or the index score.
    let (variable, values): (String, Vec<(Option<f64>, String)>) = match (&a.indicator, &a.index) {
        (Some(id), _) => {
            if ds.catalogue().get(id).is_none() {
                bail!("unknown indicator '{id}'; `veerkracht indicators` lists the catalogue");
            }
            let vals = areas
                .iter()
                .map(|ar| {
                    let c = ds.cell(edition, &ar.code, id);
                    match c.as_ref().and_then(|c| c.value.number()) {
                        Some(v) => (Some(v), String::new()),
                        None => (None, missing_reason(c.map(|c| c.value))),
                    }
                })
                .collect();
            (id.clone(), vals)
        }
        (None, Some(name)) => {
            let def = if name == "veerkracht-basis" {
                veerkracht_index::Definition::veerkracht_basis()
            } else {
                let text = std::fs::read_to_string(name).with_context(|| {
                    format!("{name}: cannot read (give veerkracht-basis or a definition file)")
                })?;
                veerkracht_index::Definition::parse(&text, name, ds.catalogue())?
            };
            let r = veerkracht_index::compute(&def, &ds, edition, level);
            let by: std::collections::HashMap<_, _> = r.areas.iter().map(|x| (x.code, x)).collect();
            let vals = areas
                .iter()
                .map(|ar| match by.get(&ar.code) {
                    Some(x) if x.score.is_some() => (x.score, String::new()),
                    Some(x) => (None, x.note.clone().unwrap_or_else(|| "geen score".into())),
                    None => (None, "geen score".into()),
                })
                .collect();
            (format!("{}_score", def.id), vals)
        }
        (None, None) if need_values => {
            bail!("give --indicator ID or --index veerkracht-basis")
        }
        (None, None) => (
            "".into(),
            areas.iter().map(|_| (Some(0.0), String::new())).collect(),
        ),
    };
    let mut excluded = Vec::new();
    let mut codes = Vec::new();
    let mut names = Vec::new();
    let mut vals = Vec::new();
    let mut polys = Vec::new();
    for (ar, (v, why)) in areas.iter().zip(values) {
        let Some(g) = ed.geometry(&ar.code) else {
            excluded.push((ar.code.to_string(), "geen geometrie".into()));
            continue;
        };
        let Some(v) = v else {
            excluded.push((ar.code.to_string(), why));
            continue;
        };
        codes.push(ar.code.to_string());
        names.push(ar.name.clone());
        vals.push(v);
        polys.push(g.clone());
    }
    if codes.len() < 4 {
        bail!(
            "only {} {} have both a shape and a value in {edition}; import the geometry (e.g. `veerkracht import wijken.geojson --edition {edition}`) and the data",
            codes.len(),
            level.plural()
        );
    }
    let transform: Transform = a.transform.parse().map_err(anyhow::Error::msg)?;
    let lower = a.weights.to_lowercase();
    let mut weights = if lower.ends_with(".gal") || lower.ends_with(".gwt") {
        let path = Path::new(&a.weights);
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let file = if lower.ends_with(".gal") {
            veerkracht_spatial::gal::read_gal(&text, &a.weights)?
        } else {
            veerkracht_spatial::gal::read_gwt(&text, &a.weights, None)?
        };
        // Align the file's units with the areas analysed.
        let pos: std::collections::HashMap<&str, usize> = file
            .ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut keep = Vec::new();
        let mut kept = Vec::new();
        for (k, c) in codes.iter().enumerate() {
            match pos.get(c.as_str()) {
                Some(&i) => {
                    keep.push(i);
                    kept.push(k);
                }
                None => excluded.push((c.clone(), format!("niet in {}", a.weights))),
            }
        }
        codes = kept.iter().map(|&k| codes[k].clone()).collect();
        names = kept.iter().map(|&k| names[k].clone()).collect();
        vals = kept.iter().map(|&k| vals[k]).collect();
        polys = kept.iter().map(|&k| polys[k].clone()).collect();
        file.subset(&keep)
    } else {
        let nb = match lower.as_str() {
            "queen" => build::contiguity(&polys, Contiguity::Queen, a.tolerance),
            "rook" => build::contiguity(&polys, Contiguity::Rook, a.tolerance),
            "knn" => build::knn(&centroids(&polys), a.k),
            "distance" => {
                let Some(d) = a.distance else {
                    bail!("--weights distance needs --distance METRES")
                };
                build::distance_band(&centroids(&polys), d)
            }
            other => bail!(
                "unknown --weights '{other}': use queen, rook, knn, distance or a .gal/.gwt file"
            ),
        };
        Weights::new(codes.clone(), nb, None)?
    };
    // Islands.
    let mut linked = Vec::new();
    match a.islands.as_str() {
        "keep" => {}
        "knn" => {
            let nb: Vec<Vec<usize>> = (0..weights.n())
                .map(|i| weights.neighbours(i).iter().map(|&j| j as usize).collect())
                .collect();
            let links = build::island_links(&nb, &centroids(&polys), a.k);
            linked = weights
                .islands()
                .into_iter()
                .map(|i| codes[i].clone())
                .collect();
            weights = weights.with_links(&links);
        }
        "exclude" => {
            let isl = weights.islands();
            if !isl.is_empty() {
                let keep: Vec<usize> = (0..weights.n()).filter(|i| !isl.contains(i)).collect();
                for &i in &isl {
                    excluded.push((codes[i].clone(), "geen buren (eiland)".into()));
                }
                weights = weights.subset(&keep);
                codes = keep.iter().map(|&k| codes[k].clone()).collect();
                names = keep.iter().map(|&k| names[k].clone()).collect();
                vals = keep.iter().map(|&k| vals[k]).collect();
            }
        }
        other => bail!("unknown --islands '{other}': use keep, knn or exclude"),
    }
    weights.set_transform(transform);
    Ok((
        ds,
        Prepared {
            edition,
            codes,
            names,
            values: vals,
            weights,
            variable,
            excluded,
            linked,
        },
    ))
}

fn centroids(polys: &[geo_types::MultiPolygon<f64>]) -> Vec<[f64; 2]> {
    polys
        .iter()
        .map(|p| build::centroid(p).unwrap_or([f64::NAN, f64::NAN]))
        .collect()
}

fn local_options(a: &SpatialArgs) -> Result<LocalOptions> {
    Ok(LocalOptions {
        permutations: a.permutations,
        seed: a.seed,
        quadrants: if a.geoda_quads {
            Quadrants::Geoda
        } else {
            Quadrants::Pysal
        },
        alpha: a.alpha,
        correction: a
            .correction
            .parse::<Correction>()
            .map_err(anyhow::Error::msg)?,
        ..LocalOptions::default()
    })
}

fn ext(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn opt(x: f64) -> serde_json::Value {
    if x.is_finite() { json!(x) } else { json!(null) }
}

fn print_weights_summary(p: &Prepared, a: &SpatialArgs) {
    let s = p.weights.summary();
    println!(
        "Gewichten {} ({}), transformatie {}: {} gebieden, gemiddeld {:.2} buren (min {}, max {}), {} eilanden, {} samenhangende delen",
        a.weights,
        a.level.plural(),
        s.transform,
        s.n,
        s.mean_neighbours,
        s.min_neighbours,
        s.max_neighbours,
        s.islands.len(),
        s.components
    );
    if !s.islands.is_empty() {
        let shown: Vec<&str> = s.islands.iter().take(12).map(String::as_str).collect();
        println!(
            "  eilanden (geen buren; geen lokale statistiek): {}{}",
            shown.join(", "),
            if s.islands.len() > 12 { ", …" } else { "" }
        );
    }
    if !p.linked.is_empty() {
        println!(
            "  {} eilanden gekoppeld aan hun {} dichtstbijzijnde gebieden: {}",
            p.linked.len(),
            a.k,
            p.linked.join(", ")
        );
    }
    if !p.excluded.is_empty() {
        let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
        for (_, why) in &p.excluded {
            *by.entry(why.as_str()).or_default() += 1;
        }
        let parts: Vec<String> = by.iter().map(|(w, n)| format!("{n} {w}")).collect();
        println!("  niet meegenomen: {}", parts.join(", "));
    }
}

pub fn spatial(ctx: &Context, cmd: SpatialCommand) -> Result<()> {
    match cmd {
        SpatialCommand::Weights(a) => weights(ctx, a),
        SpatialCommand::Moran(a) => moran(ctx, a),
        SpatialCommand::Lisa(a) => lisa(ctx, a),
        SpatialCommand::Gi(a) => gi(ctx, a),
    }
}

fn weights(ctx: &Context, a: SpatialArgs) -> Result<()> {
    let need = a.indicator.is_some() || a.index.is_some();
    let (_ds, p) = prepare(ctx, &a, need)?;
    if let Some(out) = &a.out {
        let shape = format!("{}_{}", a.level.plural(), p.edition);
        let text = match ext(out).as_str() {
            "gal" => {
                veerkracht_spatial::gal::ids_writable(&p.weights).map_err(anyhow::Error::msg)?;
                veerkracht_spatial::gal::write_gal(&p.weights, &shape, "code")
            }
            "gwt" => {
                veerkracht_spatial::gal::ids_writable(&p.weights).map_err(anyhow::Error::msg)?;
                veerkracht_spatial::gal::write_gwt(&p.weights, &shape, "code")
            }
            "csv" => {
                let mut s = String::from("code,buur,gewicht\n");
                for i in 0..p.weights.n() {
                    for (&j, w) in p.weights.neighbours(i).iter().zip(p.weights.weights(i)) {
                        s.push_str(&format!("{},{},{w:?}\n", p.codes[i], p.codes[j as usize]));
                    }
                }
                s
            }
            other => bail!(
                "{}: unknown weights format '.{other}'; use .gal, .gwt or .csv",
                out.display()
            ),
        };
        std::fs::write(out, text).with_context(|| format!("{}: cannot write", out.display()))?;
    }
    if ctx.json {
        return output::json(&json!({
            "level": a.level.plural(), "edition": p.edition, "weights": a.weights,
            "tolerance": a.tolerance, "summary": p.weights.summary(),
            "linked_islands": p.linked,
            "excluded": p.excluded.iter().map(|(c, w)| json!({"code": c, "reason": w})).collect::<Vec<_>>(),
        }));
    }
    print_weights_summary(&p, &a);
    Ok(())
}

fn moran(ctx: &Context, a: SpatialArgs) -> Result<()> {
    let (_ds, p) = prepare(ctx, &a, true)?;
    let m = veerkracht_spatial::moran(&p.values, &p.weights, a.permutations, a.seed);
    if ctx.json {
        return output::json(&json!({
            "variable": p.variable, "level": a.level.plural(), "edition": p.edition,
            "weights": a.weights, "summary": p.weights.summary(), "moran": m,
            "excluded": p.excluded.iter().map(|(c, w)| json!({"code": c, "reason": w})).collect::<Vec<_>>(),
        }));
    }
    print_weights_summary(&p, &a);
    println!(
        "\nMoran's I van {} ({} {}): I = {:.4} (verwacht {:.4} zonder ruimtelijk patroon)",
        p.variable,
        a.level.plural(),
        p.edition,
        m.I,
        m.EI
    );
    println!(
        "  normaal: z = {:.2}, p = {:.4}; randomisatie: z = {:.2}, p = {:.4} (tweezijdig)",
        m.z_norm, m.p_norm, m.z_rand, m.p_rand
    );
    if let (Some(ps), Some(zs)) = (m.p_sim, m.z_sim) {
        println!(
            "  permutaties: p_sim = {ps:.4} ({} permutaties, seed {}; kleinst mogelijke {:.4}), z_sim = {zs:.2}",
            a.permutations,
            a.seed,
            1.0 / (a.permutations as f64 + 1.0)
        );
    }
    let verdict = if m.p_sim.unwrap_or(m.p_rand) <= a.alpha {
        if m.I > m.EI {
            "gelijke waarden liggen vaker naast elkaar dan bij toeval (clustering)"
        } else {
            "ongelijke waarden liggen vaker naast elkaar dan bij toeval (spreiding)"
        }
    } else {
        "geen ruimtelijk patroon dat van toeval te onderscheiden is"
    };
    println!("  → {verdict} (α = {})", a.alpha);
    Ok(())
}

fn lisa(ctx: &Context, a: SpatialArgs) -> Result<()> {
    let (ds, p) = prepare(ctx, &a, true)?;
    let o = local_options(&a)?;
    let l = veerkracht_spatial::moran_local(&p.values, &p.weights, &o);
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = (0..p.codes.len())
        .map(|i| {
            let s = l.sim.get(i);
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(p.codes[i]));
            m.insert("naam".into(), json!(p.names[i]));
            m.insert("waarde".into(), json!(p.values[i]));
            m.insert("z".into(), opt(l.z[i]));
            m.insert("ruimtelijk_lag".into(), opt(l.lag[i]));
            m.insert("lisa_i".into(), opt(l.is[i]));
            m.insert("kwadrant".into(), json!(l.q[i]));
            m.insert("p_sim".into(), json!(s.map(|s| opt(s.p_sim))));
            m.insert("z_sim".into(), json!(s.map(|s| opt(s.z_sim))));
            m.insert("p_z_sim".into(), json!(s.map(|s| opt(s.p_z_sim))));
            m.insert("significant".into(), json!(l.significant[i]));
            m.insert("cluster".into(), json!(l.label_nl(i)));
            m.insert("cluster_en".into(), json!(l.label_en(i)));
            m.insert("eiland".into(), json!(l.island[i]));
            m
        })
        .collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for i in 0..p.codes.len() {
        *counts.entry(l.label_nl(i)).or_default() += 1;
    }
    if ctx.json {
        return output::json(&json!({
            "variable": p.variable, "level": a.level.plural(), "edition": p.edition,
            "weights": a.weights, "summary": p.weights.summary(),
            "permutations": a.permutations, "seed": a.seed, "alpha": a.alpha,
            "correction": o.correction, "cutoff": opt(l.cutoff),
            "quadrants": if a.geoda_quads { "geoda: 1 HH, 2 LL, 3 LH, 4 HL" } else { "pysal: 1 HH, 2 LH, 3 LL, 4 HL" },
            "clusters": counts, "areas": rows,
        }));
    }
    if let Some(out) = &a.out {
        crate::analysis::write_rows(&ds, p.edition, rows, out, &ext(out))?;
    }
    print_weights_summary(&p, &a);
    println!(
        "\nLISA (lokale Moran) van {} — {} permutaties, seed {}, α = {} ({}; grens p ≤ {:.5})",
        p.variable,
        a.permutations,
        a.seed,
        a.alpha,
        match o.correction {
            Correction::None => "geen correctie",
            Correction::Fdr => "FDR, Benjamini-Hochberg",
            Correction::Bonferroni => "Bonferroni",
        },
        l.cutoff
    );
    let table: Vec<Vec<String>> = std::iter::once(vec!["cluster".into(), "gebieden".into()])
        .chain(
            counts
                .iter()
                .map(|(k, v)| vec![k.to_string(), v.to_string()]),
        )
        .collect();
    print!("{}", output::table(&table));
    println!(
        "  hoog-hoog: hoge waarde tussen hoge buren; laag-hoog: lage waarde tussen hoge buren (enz.)"
    );
    Ok(())
}

fn gi(ctx: &Context, a: SpatialArgs) -> Result<()> {
    let (ds, p) = prepare(ctx, &a, true)?;
    let o = local_options(&a)?;
    let row = p.weights.transform() != Transform::Binary;
    let g = veerkracht_spatial::g_local(&p.values, &p.weights, row, a.star, &o);
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = (0..p.codes.len())
        .map(|i| {
            let s = g.sim.get(i);
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(p.codes[i]));
            m.insert("naam".into(), json!(p.names[i]));
            m.insert("waarde".into(), json!(p.values[i]));
            m.insert("g".into(), opt(g.gs[i]));
            m.insert("eg".into(), opt(g.egs[i]));
            m.insert("z".into(), opt(g.zs[i]));
            m.insert("p_norm".into(), opt(g.p_norm[i]));
            m.insert("p_sim".into(), json!(s.map(|s| opt(s.p_sim))));
            m.insert("significant".into(), json!(g.significant[i]));
            m.insert("label".into(), json!(g.label_nl(i)));
            m.insert("eiland".into(), json!(g.island[i]));
            m
        })
        .collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for i in 0..p.codes.len() {
        *counts.entry(g.label_nl(i)).or_default() += 1;
    }
    if ctx.json {
        return output::json(&json!({
            "variable": p.variable, "level": a.level.plural(), "edition": p.edition,
            "statistic": if a.star { "Gi*" } else { "Gi" },
            "weights": a.weights, "summary": p.weights.summary(),
            "permutations": a.permutations, "seed": a.seed, "alpha": a.alpha,
            "correction": o.correction, "cutoff": opt(g.cutoff),
            "labels": counts, "areas": rows,
        }));
    }
    if let Some(out) = &a.out {
        crate::analysis::write_rows(&ds, p.edition, rows, out, &ext(out))?;
    }
    print_weights_summary(&p, &a);
    println!(
        "\nGetis-Ord {} van {} — {} permutaties, seed {}, α = {} (grens p ≤ {:.5}); hotspot/coldspot naar het teken van z",
        if a.star { "Gi*" } else { "Gi" },
        p.variable,
        a.permutations,
        a.seed,
        a.alpha,
        g.cutoff
    );
    let table: Vec<Vec<String>> = std::iter::once(vec!["label".into(), "gebieden".into()])
        .chain(
            counts
                .iter()
                .map(|(k, v)| vec![k.to_string(), v.to_string()]),
        )
        .collect();
    print!("{}", output::table(&table));
    Ok(())
}
