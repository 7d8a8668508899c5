//! `veerkracht simulate`: allocation and housing-mix scenarios (veerkracht-sim).
//!
//! `veerkracht simulate SCENARIO [--runs N] [--seed S] [--out DIR]` and
//! `veerkracht simulate compare A B`. A scenario is a TOML file or the name of a shipped one
//! (`basis`, `spreiding`, `middenhuur`, `rotterdamwet`, `verduurzaming`; see
//! `data/sim/scenarios/`). Paths inside a scenario are relative to its file.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use serde_json::{Map, Value, json};
use veerkracht_sim::afscherming::{Afscherming, afscherming};
use veerkracht_sim::output::Verschil;
use veerkracht_sim::{Comparison, Inputs, Model, Quantiles, Results, Scenario};

use crate::output;
use crate::workspace::Context;

#[derive(Args)]
pub struct SimulateArgs {
    /// SCENARIO (TOML file or shipped name), or `compare A B`.
    #[arg(required = true, num_args = 1..=3, value_name = "SCENARIO")]
    args: Vec<String>,
    /// Monte Carlo runs.
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Seed (run r uses ChaCha8 stream r of this seed; the same for any thread count).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Directory for the results (CSV and Parquet, long form: jaar, buurt, indicator, p5, p50, p95).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Minimale celgrootte: een cijfer per buurt dat op minder dan N gesimuleerde
    /// huishoudens, woningen of verhuringen rust, wordt afgeschermd, met secundaire
    /// afscherming (minstens 2) / minimum cell size for per-buurt figures.
    #[arg(long = "min-cel", value_name = "N", default_value_t = veerkracht_privacy::Options::default().k)]
    min_cel: u64,
    /// Geheugen dat de runs mogen gebruiken, in MB (64–1048576); een grotere berekening wordt
    /// vooraf geweigerd / memory budget, checked against an estimate before the runs start.
    #[arg(long = "max-geheugen", value_name = "MB", default_value_t = veerkracht_sim::Budget::CLI.bytes / veerkracht_sim::budget::MIB)]
    max_geheugen: u64,
}

/// A scenario from a file or a shipped name, with the directory its paths are relative to.
fn load_scenario(arg: &str) -> Result<(Scenario, PathBuf)> {
    let path = Path::new(arg);
    if !path.exists()
        && let Some((name, text)) = veerkracht_sim::DEMO_SCENARIOS
            .iter()
            .find(|(n, _)| *n == arg)
    {
        let s = Scenario::parse(text, &format!("data/sim/scenarios/{name}.toml"))?;
        return Ok((s, PathBuf::from(".")));
    }
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "{arg}: cannot read the scenario (shipped: {})",
            veerkracht_sim::DEMO_SCENARIOS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let s = Scenario::parse(&text, arg)?;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((s, dir))
}

/// The inputs a scenario names; files are relative to `dir`.
fn inputs(s: &Scenario, dir: &Path) -> Result<Inputs> {
    Inputs::resolve(
        s,
        || veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED).simulation_files(),
        |p, what| {
            let path = dir.join(p);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read the {what}", path.display()))?;
            Ok::<_, anyhow::Error>((path.display().to_string(), text))
        },
    )
}

/// A scenario run: the model, the results, the seconds it took and which per-buurt figures
/// may be published.
struct Run {
    model: Model,
    results: Results,
    secs: f64,
    afscherming: Afscherming,
}

fn run_scenario(arg: &str, a: &SimulateArgs, label: &str) -> Result<Run> {
    let privacy = output::privacy(a.min_cel)?;
    let (s, dir) = load_scenario(arg)?;
    let inp = inputs(&s, &dir)?;
    let model = Model::build(s, &inp, a.seed)?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if !(64..=1_048_576).contains(&a.max_geheugen) {
        bail!("--max-geheugen {} is outside 64–1048576 MB", a.max_geheugen);
    }
    let budget = veerkracht_sim::Budget {
        bytes: a.max_geheugen * veerkracht_sim::budget::MIB,
        ..veerkracht_sim::Budget::CLI
    };
    budget.check(
        &veerkracht_sim::estimate(&model, a.runs, threads, false),
        &format!("scenario '{}'", model.scenario.naam),
    )?;
    let bar = output::progress(a.runs as u64, label);
    let t = Instant::now();
    let results = veerkracht_sim::simulate(&model, a.runs, a.seed, threads, &|| bar.inc(1));
    bar.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    let stock = veerkracht_huurmix::stock_pins(&inp.voorraad.0, &inp.voorraad.1, &privacy);
    let afscherming = afscherming(&results, &privacy, stock.as_ref());
    Ok(Run {
        model,
        results,
        secs,
        afscherming,
    })
}

fn num(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn q_map(m: &mut Map<String, Value>, prefix: &str, q: &Quantiles) {
    m.insert(format!("{prefix}p5"), num(q.p5));
    m.insert(format!("{prefix}p50"), num(q.p50));
    m.insert(format!("{prefix}p95"), num(q.p95));
    m.insert(format!("{prefix}gemiddelde"), num(q.gemiddelde));
}

/// No number: every quantile of a withheld figure is empty.
const NONE: Quantiles = Quantiles {
    p5: f64::NAN,
    p50: f64::NAN,
    p95: f64::NAN,
    gemiddelde: f64::NAN,
};

fn result_rows(r: &Results, afs: &Afscherming) -> Vec<Map<String, Value>> {
    r.rows()
        .into_iter()
        .map(|(jaar, code, naam, ind, q)| {
            let why = afs.withheld_row(r, jaar, &code, &ind);
            let mut m = Map::new();
            m.insert("scenario".into(), json!(r.scenario));
            m.insert("jaar".into(), json!(jaar));
            m.insert("code".into(), json!(code));
            m.insert("naam".into(), json!(naam));
            m.insert("indicator".into(), json!(ind));
            q_map(&mut m, "", if why.is_some() { &NONE } else { &q });
            m.insert("runs".into(), json!(r.runs.len()));
            m.insert("afgeschermd".into(), json!(why));
            m
        })
        .collect()
}

fn compare_rows(ra: &Run, rb: &Run, rows: &[Verschil]) -> Vec<Map<String, Value>> {
    let (a, b) = (&ra.results, &rb.results);
    rows.iter()
        .map(|v| {
            // withheld when either side is
            let why = ra
                .afscherming
                .withheld_row(a, v.jaar, &v.code, &v.indicator)
                .or_else(|| {
                    rb.afscherming
                        .withheld_row(b, v.jaar, &v.code, &v.indicator)
                });
            let shown = why.is_none();
            let mut m = Map::new();
            m.insert("a".into(), json!(a.scenario));
            m.insert("b".into(), json!(b.scenario));
            m.insert("jaar".into(), json!(v.jaar));
            m.insert("code".into(), json!(v.code));
            m.insert("naam".into(), json!(v.naam));
            m.insert("indicator".into(), json!(v.indicator));
            m.insert(
                "a_p50".into(),
                if shown { num(v.a.p50) } else { Value::Null },
            );
            m.insert(
                "b_p50".into(),
                if shown { num(v.b.p50) } else { Value::Null },
            );
            q_map(&mut m, "verschil_", if shown { &v.verschil } else { &NONE });
            m.insert(
                "zeker".into(),
                if shown { json!(v.zeker()) } else { Value::Null },
            );
            m.insert("afgeschermd".into(), json!(why));
            m
        })
        .collect()
}

/// What the JSON says about the suppression.
fn afscherming_json(afs: &Afscherming) -> Value {
    json!({
        "k": afs.options.k,
        "afgeschermde_cijfers": afs.count(),
        "uitleg": format!(
            "Een cijfer per buurt dat gemiddeld over de runs op minder dan {k} gesimuleerde huishoudens, woningen of verhuringen rust, is afgeschermd (null, reden minder_dan_k of basis), en zoveel andere dat het regiototaal min de getoonde buurten niets prijsgeeft (secundair). Regiocijfers zijn niet afgeschermd.",
            k = afs.options.k
        ),
    })
}

/// Writes rows as CSV and Parquet into `dir` (`name.csv`, `name.parquet`).
fn write(dir: &Path, name: &str, rows: &[Map<String, Value>]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let csv_path = dir.join(format!("{name}.csv"));
    let mut w = csv::Writer::from_path(&csv_path)
        .with_context(|| format!("{}: cannot write", csv_path.display()))?;
    let header: Vec<String> = rows
        .first()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    w.write_record(&header)?;
    for r in rows {
        w.write_record(header.iter().map(|h| match r.get(h) {
            Some(Value::Null) | None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        }))?;
    }
    w.flush()?;
    let pq = dir.join(format!("{name}.parquet"));
    veerkracht_export::rows::write_parquet(rows, &pq)?;
    Ok(vec![csv_path, pq])
}

fn fmt(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".into()
    }
}

fn band(q: &Quantiles, digits: usize) -> String {
    format!(
        "{} [{}–{}]",
        fmt(q.p50, digits),
        fmt(q.p5, digits),
        fmt(q.p95, digits)
    )
}

/// The region indicators of the summary, with a Dutch label and decimals.
const KERN: [(&str, &str, usize); 12] = [
    ("aandeel_kwetsbaar", "aandeel kwetsbare huishoudens", 3),
    ("dissimilariteit", "dissimilariteitsindex kwetsbaar", 3),
    ("isolatie", "isolatie-index kwetsbaar", 3),
    (
        "hoogste_buurtaandeel_kwetsbaar",
        "hoogste buurtaandeel kwetsbaar",
        3,
    ),
    (
        "hoogste_buurtaandeel_kwetsbare_plaatsingen",
        "hoogste buurtaandeel kwetsbare plaatsingen",
        3,
    ),
    ("verhuringen", "verhuringen per jaar", 0),
    (
        "verhuringen_kwetsbaar",
        "waarvan aan kwetsbare huishoudens",
        0,
    ),
    ("wachttijd_kwetsbaar", "wachttijd kwetsbaar (jaar)", 2),
    ("wachttijd_overig", "wachttijd overig (jaar)", 2),
    ("vrije_ruimte_benut", "vrije ruimte benut", 3),
    ("geblokkeerd", "geblokkeerd door spreiding/Rotterdamwet", 0),
    ("gem_huur", "gemiddelde huur (€, prijzen peildatum)", 0),
];

fn print_summary(run: &Run) {
    let (m, r, secs, afs) = (&run.model, &run.results, run.secs, &run.afscherming);
    let last = r.jaren - 1;
    println!("Scenario '{}' — {}", r.scenario, m.scenario.omschrijving);
    if m.scenario.invoer.voorraad == "demo" {
        println!("Invoer: demoregio Veerstad (synthetische demodata, geen echte gegevens)");
    }
    println!(
        "{} woningen, {} buurten, {}–{}, {} runs (seed {}), {:.2} s",
        m.n0,
        m.buurten.len(),
        r.startjaar,
        r.startjaar + last as i32,
        r.runs.len(),
        r.seed,
        secs
    );
    println!(
        "Verloop gekalibreerd: h1 {:.4} (eerste {} jaar), h2 {:.4}; mediaan [p5–p95] over runs.\n",
        m.hazard.h1, m.hazard.window, m.hazard.h2
    );
    let mut rows = vec![vec![
        "indicator".to_string(),
        format!("{}", r.startjaar),
        format!("{}", r.startjaar + last as i32),
    ]];
    for (key, label, d) in KERN {
        if let Some(i) = r.regio_index(key) {
            let cell = |y: usize| {
                if afs.regio(y, i).is_some() {
                    MARK.to_string()
                } else {
                    band(&r.regio_q(y, i), d)
                }
            };
            rows.push(vec![label.to_string(), cell(0), cell(last)]);
        }
    }
    print!("{}", output::table(&rows));
    if r.per_buurt()
        && let (Some(k), Some(inst)) = (
            r.buurt_index("aandeel_kwetsbaar"),
            r.buurt_index("aandeel_kwetsbaar_instroom"),
        )
    {
        let hh = r.buurt_index("huishoudens").unwrap_or(0);
        let mut bs: Vec<(usize, f64)> = (0..r.buurten.len())
            .filter(|&b| afs.buurt(last, b, k).is_none())
            .filter(|&b| r.buurt_q(last, b, hh).p50 >= 20.0)
            .map(|b| (b, r.buurt_q(last, b, k).p50))
            .filter(|x| x.1.is_finite())
            .collect();
        bs.sort_by(|x, y| y.1.total_cmp(&x.1));
        println!(
            "\nBuurten (≥ 20 huishoudens) met het hoogste aandeel kwetsbaar in {}:",
            r.startjaar + last as i32
        );
        let mut rows = vec![vec![
            "buurt".into(),
            "naam".into(),
            "aandeel kwetsbaar".into(),
            "aandeel kwetsbaar in instroom".into(),
        ]];
        for (b, _) in bs.iter().take(5) {
            rows.push(vec![
                r.buurten[*b].0.clone(),
                r.buurten[*b].1.clone(),
                band(&r.buurt_q(last, *b, k), 3),
                if afs.buurt(last, *b, inst).is_some() {
                    MARK.to_string()
                } else {
                    band(&r.buurt_q(last, *b, inst), 3)
                },
            ]);
        }
        print!("{}", output::table(&rows));
        println!(
            "{MARK} = afgeschermd: rust op minder dan {} gesimuleerde huishoudens, woningen of verhuringen (--min-cel N); {} cijfers per buurt afgeschermd",
            afs.options.k,
            afs.count()
        );
    }
    for w in &m.warnings {
        println!("let op: {w}");
    }
}

/// The mark of a withheld figure in printed tables.
const MARK: &str = "·";

pub fn simulate(ctx: &Context, a: SimulateArgs) -> Result<()> {
    if !(1..=100_000).contains(&a.runs) {
        bail!("--runs {} is outside 1–100000", a.runs);
    }
    if let Some(t) = a.threads
        && !(1..=1024).contains(&t)
    {
        bail!("--threads {t} is outside 1–1024");
    }
    output::privacy(a.min_cel)?;
    if a.args[0] == "compare" {
        if a.args.len() != 3 {
            bail!("use: veerkracht simulate compare A.toml B.toml");
        }
        return compare(ctx, &a);
    }
    if a.args.len() != 1 {
        bail!("one scenario, or: veerkracht simulate compare A.toml B.toml");
    }
    let run = run_scenario(&a.args[0], &a, "simuleren")?;
    let (m, r, secs) = (&run.model, &run.results, run.secs);
    let rows = result_rows(r, &run.afscherming);
    let mut files = Vec::new();
    if let Some(dir) = &a.out {
        files = write(dir, &format!("simulatie-{}", r.scenario), &rows)?;
    }
    if ctx.json {
        return output::json(&json!({
            "scenario": r.scenario,
            "omschrijving": m.scenario.omschrijving,
            "runs": r.runs.len(),
            "seed": r.seed,
            "seconden": secs,
            "woningen": m.n0,
            "buurten": m.buurten.len(),
            "verloop": {"h1": m.hazard.h1, "h2": m.hazard.h2, "venster_jaren": m.hazard.window},
            "waarschuwingen": m.warnings,
            "afscherming": afscherming_json(&run.afscherming),
            "bestanden": files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "rijen": rows,
        }));
    }
    print_summary(&run);
    for f in files {
        println!("geschreven: {}", f.display());
    }
    Ok(())
}

fn compare(ctx: &Context, a: &SimulateArgs) -> Result<()> {
    let run_a = run_scenario(&a.args[1], a, "scenario A")?;
    let run_b = run_scenario(&a.args[2], a, "scenario B")?;
    let (ma, ra) = (&run_a.model, &run_a.results);
    let (mb, rb) = (&run_b.model, &run_b.results);
    let cmp = Comparison { a: ra, b: rb };
    let diffs = cmp.rows();
    let rows = compare_rows(&run_a, &run_b, &diffs);
    let mut files = Vec::new();
    if let Some(dir) = &a.out {
        files = write(
            dir,
            &format!("vergelijking-{}-{}", ra.scenario, rb.scenario),
            &rows,
        )?;
    }
    if ctx.json {
        return output::json(&json!({
            "a": ra.scenario,
            "b": rb.scenario,
            "runs": ra.runs.len(),
            "seed": a.seed,
            "afscherming": {"a": afscherming_json(&run_a.afscherming), "b": afscherming_json(&run_b.afscherming)},
            "bestanden": files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "rijen": rows,
        }));
    }
    let last = ra.jaren.min(rb.jaren) - 1;
    let jaar = ra.startjaar + last as i32;
    println!(
        "Vergelijking '{}' (A) met '{}' (B), {} runs met dezelfde toevalsgetallen (seed {}), jaar {jaar}",
        ra.scenario,
        rb.scenario,
        ra.runs.len(),
        a.seed
    );
    println!(
        "A: {}\nB: {}\n",
        ma.scenario.omschrijving, mb.scenario.omschrijving
    );
    let mut t = vec![vec![
        "indicator".to_string(),
        "A".into(),
        "B".into(),
        "B − A [p5–p95]".into(),
        "zeker".into(),
    ]];
    for (key, label, d) in KERN {
        if let Some(v) = diffs
            .iter()
            .find(|v| v.jaar == jaar && v.code == "regio" && v.indicator == key)
        {
            if run_a
                .afscherming
                .withheld_row(ra, v.jaar, &v.code, &v.indicator)
                .or_else(|| {
                    run_b
                        .afscherming
                        .withheld_row(rb, v.jaar, &v.code, &v.indicator)
                })
                .is_some()
            {
                t.push(vec![
                    label.to_string(),
                    MARK.into(),
                    MARK.into(),
                    MARK.into(),
                    MARK.into(),
                ]);
                continue;
            }
            t.push(vec![
                label.to_string(),
                fmt(v.a.p50, d),
                fmt(v.b.p50, d),
                band(&v.verschil, d),
                if v.zeker() { "ja" } else { "nee" }.into(),
            ]);
        }
    }
    print!("{}", output::table(&t));
    // buurten that change most (waterbed)
    for (key, title) in [
        ("aandeel_kwetsbaar", "aandeel kwetsbaar"),
        (
            "verhuringen_kwetsbaar",
            "verhuringen aan kwetsbare huishoudens",
        ),
    ] {
        let mut bs: Vec<&Verschil> = diffs
            .iter()
            .filter(|v| v.jaar == jaar && v.code != "regio" && v.indicator == key)
            .filter(|v| v.verschil.p50.is_finite())
            .filter(|v| {
                run_a
                    .afscherming
                    .withheld_row(ra, v.jaar, &v.code, &v.indicator)
                    .is_none()
                    && run_b
                        .afscherming
                        .withheld_row(rb, v.jaar, &v.code, &v.indicator)
                        .is_none()
            })
            .collect();
        if bs.is_empty() {
            continue;
        }
        bs.sort_by(|x, y| y.verschil.p50.abs().total_cmp(&x.verschil.p50.abs()));
        println!("\nGrootste verschuivingen in {title} ({jaar}, B − A):");
        let mut t = vec![vec![
            "buurt".to_string(),
            "naam".into(),
            "A".into(),
            "B".into(),
            "B − A [p5–p95]".into(),
        ]];
        let d = if key.starts_with("aandeel") { 3 } else { 1 };
        for v in bs.iter().take(6) {
            t.push(vec![
                v.code.clone(),
                v.naam.clone(),
                fmt(v.a.p50, d),
                fmt(v.b.p50, d),
                band(&v.verschil, d),
            ]);
        }
        print!("{}", output::table(&t));
    }
    for f in files {
        println!("geschreven: {}", f.display());
    }
    Ok(())
}
