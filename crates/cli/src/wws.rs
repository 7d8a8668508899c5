//! `veerkracht wws`: WWS rent points (huurpunten) per dwelling, for a portfolio, what-if
//! changes and the rent mix per buurt. All rules live in `veerkracht-wws`; this module
//! reads files, calls it and prints.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use clap::Args;
use serde_json::{Value, json};
use veerkracht_huurmix::{Mix, PublishedBuurt, publish};
use veerkracht_wws::flat::{FlatUnit, parse_csv};
use veerkracht_wws::mix::PUNTEN_KLASSEN;
use veerkracht_wws::variant::Variant;
use veerkracht_wws::whatif::{self, WhatIf, Wijziging};
use veerkracht_wws::{
    Date, Eenheid, Options, Punten, Resultaat, Segment, Warning, WwsError, csv_header, parse_many,
    waardeer,
};

use crate::output;
use crate::workspace::Context;

/// The demo region's corporation stock (flat portfolio form).
const DEMO_STOCK: &str = "veerstad-corporatie-voorraad.csv";

const WWS_EXAMPLES: &str = "\
Voorbeelden / examples:
  veerkracht wws woning.json                          punten per rubriek, maximale huur, segment
  veerkracht wws woning.json --peildatum 2026-01-01 --json
  veerkracht wws --bulk eenheden.ndjson --out punten.csv
  veerkracht wws --bulk voorraad.csv --out punten.csv  platte voorraadvorm (schatting)
  veerkracht wws --what-if 'energielabel(A)' woning.json
  veerkracht wws --what-if 'energielabel(A)' --bulk voorraad.csv
  veerkracht wws --rent-mix                           huurmix per buurt van de demoregio (synthetische demodata)
  veerkracht wws --rent-mix --stock voorraad.csv
  veerkracht wws --variant data/wws/varianten/woz-cap-25.toml --rent-mix
                                                      effect van een beleidsvariant per buurt
  veerkracht wws --variant woz-cap-25 woning.json     meegeleverde variant bij naam (data/wws/varianten/)
  veerkracht wws --variant mijn-variant.toml --bulk voorraad.csv --out effect.csv";

#[derive(Args)]
#[command(after_help = WWS_EXAMPLES)]
pub struct WwsArgs {
    /// A unit as VERA `EenhedenEenheid` JSON (one object, an array or NDJSON).
    #[arg(value_name = "UNIT.json", conflicts_with_all = ["bulk", "rent_mix"])]
    unit: Option<PathBuf>,
    /// A portfolio: VERA units as NDJSON or a JSON array, or the flat portfolio CSV.
    #[arg(
        long,
        value_name = "UNITS.ndjson|.json|FLAT.csv",
        conflicts_with = "rent_mix"
    )]
    bulk: Option<PathBuf>,
    /// CSV with one row per unit (with --bulk; with --what-if the before/after per unit).
    #[arg(long, value_name = "RESULTS.csv")]
    out: Option<PathBuf>,
    /// The date whose rules and tables apply (default 2026-07-01).
    #[arg(long, value_name = "DATE")]
    peildatum: Option<Date>,
    /// Every warning (a bad or missing field) is an error.
    #[arg(long)]
    strict: bool,
    /// A change to value before and after: `energielabel(A)` or `/json/pointer=VALUE`
    /// (VALUE is JSON, or text). Repeatable.
    #[arg(long = "what-if", value_name = "CHANGE")]
    what_if: Vec<String>,
    /// The rent mix per buurt of a flat portfolio CSV (default: the demo region's stock).
    #[arg(long, conflicts_with = "what_if")]
    rent_mix: bool,
    /// A policy variant of the WWS (TOML, schema in data/wws/README.md), or the name of a
    /// shipped one (`woz-cap-25`, … in data/wws/varianten/): value under today's rules and
    /// under the variant and compare (per unit, per portfolio, or per buurt with
    /// --rent-mix). Repeatable: applied in order.
    #[arg(long = "variant", value_name = "FILE|NAME")]
    variant: Vec<String>,
    /// Threads for --bulk (default: all cores); the output is the same for any number.
    #[arg(long, value_name = "N", requires = "bulk")]
    threads: Option<usize>,
    /// The stock file for --rent-mix (flat portfolio CSV).
    #[arg(long, value_name = "FILE", requires = "rent_mix")]
    stock: Option<PathBuf>,
    /// Minimale celgrootte voor --rent-mix: aantallen van 1 tot N−1 woningen worden
    /// afgeschermd, met secundaire afscherming (minstens 2) / minimum cell size.
    #[arg(long = "min-cel", value_name = "N", default_value_t = veerkracht_privacy::Options::default().k, requires = "rent_mix")]
    min_cel: u64,
}

pub fn wws(ctx: &Context, a: WwsArgs) -> Result<()> {
    let opts = Options {
        peildatum: a.peildatum.unwrap_or(Options::default().peildatum),
        strict: a.strict,
        ..Options::default()
    };
    let variants = load_variants(&a.variant)?;
    let na = veerkracht_huurmix::variant::options_with(&opts, &variants)?;
    if a.rent_mix {
        return rent_mix(ctx, &a, &opts, &variants);
    }
    if !a.what_if.is_empty() || !variants.is_empty() {
        return what_if(ctx, &a, &opts, &na, &variants);
    }
    if let Some(p) = &a.bulk {
        let Some(out) = &a.out else {
            bail!("--bulk needs --out RESULTS.csv");
        };
        let threads = a.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        return bulk(ctx, p, out, &opts, threads.max(1));
    }
    let Some(p) = &a.unit else {
        bail!(
            "geef een eenheid (veerkracht wws UNIT.json), --bulk FILE --out RESULTS.csv of --rent-mix"
        );
    };
    single(ctx, p, &opts)
}

/// The variants named by `--variant`: a file, or the name of a shipped one.
fn load_variants(specs: &[String]) -> Result<Vec<Variant>> {
    specs
        .iter()
        .map(|s| {
            let p = Path::new(s);
            if p.exists() {
                return Ok(Variant::parse(&p.display().to_string(), &read(p)?)?);
            }
            let name = if s.ends_with(".toml") {
                s.clone()
            } else {
                format!("{s}.toml")
            };
            match Variant::meegeleverd(&name) {
                Some(v) => Ok(v?),
                None => bail!(
                    "--variant {s:?}: no such file, and not a shipped variant ({})",
                    veerkracht_wws::variant::MEEGELEVERD
                        .iter()
                        .map(|(f, _)| f.trim_end_matches(".toml"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })
        .collect()
}

/// "energielabel(A) + variant «WOZ-cap 25 %»": what a comparison changes.
fn beschrijving(specs: &[String], variants: &[Variant]) -> String {
    specs
        .iter()
        .cloned()
        .chain(
            variants
                .iter()
                .map(|v| format!("variant «{}» (vanaf {})", v.naam, v.geldig_vanaf)),
        )
        .collect::<Vec<_>>()
        .join(" + ")
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))
}

fn is_csv(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Values a parsed unit, prepending the parse warnings (strict: the first is an error).
fn value_parsed(e: &Eenheid, w: Vec<Warning>, opts: &Options) -> Result<Resultaat, WwsError> {
    if opts.strict
        && let Some(first) = w.first()
    {
        return Err(WwsError::Strict(first.clone()));
    }
    let mut r = waardeer(e, opts)?;
    let mut all = w;
    all.append(&mut r.warnings);
    r.warnings = all;
    Ok(r)
}

/// `€ 1.234,56`
fn euro(x: f64) -> String {
    let cents = (x * 100.0).round() as i64;
    let (sign, c) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}€ {grouped},{:02}", c % 100)
}

/// Points with a decimal comma, without trailing zeros beyond the quarter.
fn pts(x: f64) -> String {
    let x = if x.abs() < 0.005 { 0.0 } else { x };
    let s = if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    };
    s.replace('.', ",")
}

fn signed(x: f64, f: impl Fn(f64) -> String) -> String {
    if x >= 0.005 {
        format!("+{}", f(x))
    } else {
        f(x)
    }
}

fn segment_naam(s: Option<Segment>) -> &'static str {
    s.map(Segment::naam).unwrap_or("geen (onzelfstandig)")
}

// ---------------------------------------------------------------------------------------
// one unit (or the few in one file)

fn single(ctx: &Context, p: &Path, opts: &Options) -> Result<()> {
    let text = read(p)?;
    let units = parse_many(&text, false).with_context(|| p.display().to_string())?;
    if units.is_empty() {
        bail!("{}: geen eenheden gevonden", p.display());
    }
    let mut results = Vec::with_capacity(units.len());
    for (e, w) in &units {
        let r = value_parsed(e, w.clone(), opts).with_context(|| {
            format!(
                "{}: eenheid {}",
                p.display(),
                e.id.as_deref().unwrap_or("zonder id")
            )
        })?;
        results.push(r);
    }
    if ctx.json {
        let mut v: Vec<Value> = results
            .iter()
            .map(|r| {
                let mut j = r.to_json();
                j["id"] = json!(r.id);
                j["peildatum"] = json!(opts.peildatum.to_string());
                j
            })
            .collect();
        return output::json(&if v.len() == 1 {
            v.remove(0)
        } else {
            Value::Array(v)
        });
    }
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            println!();
        }
        print_result(r, opts);
    }
    Ok(())
}

fn print_result(r: &Resultaat, opts: &Options) {
    println!(
        "Woningwaardering {} — {} ({}), peildatum {}",
        r.id.as_deref().unwrap_or("(zonder id)"),
        r.stelsel.naam(),
        r.stelsel.code(),
        opts.peildatum
    );
    let mut rows = vec![vec![
        "rubriek".to_string(),
        "omschrijving".to_string(),
        "punten".to_string(),
    ]];
    for g in &r.groepen {
        rows.push(vec![
            g.code.to_string(),
            g.naam.to_string(),
            g.punten.map(pts).unwrap_or_else(|| "—".into()),
        ]);
    }
    rows.push(vec!["".into(), "totaal".into(), pts(r.punten)]);
    print!("{}", output::table(&rows));
    println!("maximale huur:            {}", euro(r.maximale_huur));
    if r.huurprijsopslag != 0.0 || r.opslagpercentage.is_some() {
        println!(
            "huurprijsopslag:          {}{}",
            euro(r.huurprijsopslag),
            r.opslagpercentage
                .map(|p| format!(" ({} %)", pts(p * 100.0)))
                .unwrap_or_default()
        );
    }
    println!(
        "maximale huur incl. opslag: {}",
        euro(r.maximale_huur_inclusief_opslag)
    );
    println!("segment:                  {}", segment_naam(r.segment));
    for w in &r.warnings {
        println!("let op: {w}");
    }
}

// ---------------------------------------------------------------------------------------
// bulk

struct Summary {
    n: usize,
    errors: Vec<(String, String)>,
    som_punten: f64,
    som_max: f64,
    segments: BTreeMap<&'static str, usize>,
    with_warnings: usize,
}

impl Summary {
    fn new() -> Self {
        Summary {
            n: 0,
            errors: Vec::new(),
            som_punten: 0.0,
            som_max: 0.0,
            segments: BTreeMap::new(),
            with_warnings: 0,
        }
    }
    fn add(&mut self, r: &Kern) {
        self.n += 1;
        self.som_punten += r.punten;
        self.som_max += r.max;
        *self.segments.entry(segment_naam(r.segment)).or_default() += 1;
        if r.warnings {
            self.with_warnings += 1;
        }
    }
}

fn error_row(id: &str, e: &str, cols: usize) -> String {
    let q = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut f = vec![String::new(); cols];
    f[0] = q(id);
    f[cols - 1] = q(&format!("fout: {e}"));
    f.join(",")
}

/// What the summary needs of one valued unit.
struct Kern {
    punten: f64,
    max: f64,
    segment: Option<Segment>,
    warnings: bool,
}

/// One valued unit of a bulk run: its CSV line and what the summary needs.
struct BulkRow {
    line: String,
    result: Result<Kern, (String, String)>,
}

impl BulkRow {
    fn new(id: &str, r: Result<Punten, WwsError>, cols: usize) -> BulkRow {
        match r {
            Ok(p) => BulkRow {
                line: p.csv_row(id),
                result: Ok(Kern {
                    punten: p.punten,
                    max: p.maximale_huur_inclusief_opslag,
                    segment: p.segment,
                    warnings: !p.warnings.is_empty(),
                }),
            },
            Err(e) => BulkRow {
                line: error_row(id, &e.to_string(), cols),
                result: Err((id.to_string(), e.to_string())),
            },
        }
    }
}

thread_local! {
    /// Rows valued on this thread since the progress bar was last moved.
    static SINDS_VOORTGANG: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Moves the bar every 4,096 rows per thread (cheap enough for millions of rows).
fn voortgang(bar: &indicatif::ProgressBar) {
    SINDS_VOORTGANG.with(|c| {
        let n = c.get() + 1;
        if n == 4096 {
            bar.inc(n);
            c.set(0);
        } else {
            c.set(n);
        }
    });
}

/// Values a portfolio by the points-only path (the numbers of the full valuation, see
/// `veerkracht_wws::waardeer_punten`) on `threads` threads; rows in input order, written
/// as they are valued into a temporary file that replaces `out` only when all went well.
fn bulk(ctx: &Context, input: &Path, out: &Path, opts: &Options, threads: usize) -> Result<()> {
    let text = read(input)?;
    let (temp, file) = veerkracht_export::atomic::TempFile::beside(out)
        .with_context(|| format!("{}: cannot write", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let header = csv_header();
    let cols = header.split(',').count();
    writeln!(w, "{header}")?;
    let mut s = Summary::new();
    let t0 = std::time::Instant::now();
    let flat = is_csv(input);
    let rough = text.lines().count().saturating_sub(usize::from(flat)) as u64;
    let bar = output::progress(rough, "waarderen");
    let mut io_error = None;
    let mut sink = |rows: Vec<BulkRow>| {
        for r in rows {
            if io_error.is_none()
                && let Err(e) = w
                    .write_all(r.line.as_bytes())
                    .and_then(|()| w.write_all(b"\n"))
            {
                io_error = Some(e);
            }
            match r.result {
                Ok(k) => s.add(&k),
                Err(e) => s.errors.push(e),
            }
        }
    };
    if flat {
        // a row that cannot be read stops the run with its line and column
        veerkracht_wws::flat::waardeer_punten_csv_stream(
            &text,
            opts,
            threads,
            |u, p| {
                voortgang(&bar);
                let p = p.map(|mut p| {
                    p.warnings.insert(0, veerkracht_wws::flat::schatting());
                    p
                });
                BulkRow::new(&u.id, p, cols)
            },
            &mut sink,
        )
        .with_context(|| input.display().to_string())?;
    } else if veerkracht_wws::bulk::is_ndjson(&text) {
        // a line that is not JSON is an error row naming the line; the others are valued
        sink(veerkracht_wws::bulk::waardeer_punten_ndjson(
            &text,
            opts,
            threads,
            |n, id, p| {
                voortgang(&bar);
                let id = id.map_or_else(|| format!("#{n}"), str::to_string);
                BulkRow::new(&id, p, cols)
            },
        ));
    } else {
        let units = parse_many(&text, false).with_context(|| input.display().to_string())?;
        sink(
            units
                .into_iter()
                .enumerate()
                .map(|(i, (e, warn))| {
                    voortgang(&bar);
                    let id = e.id.clone().unwrap_or_else(|| format!("#{}", i + 1));
                    let r = if opts.strict
                        && let Some(first) = warn.first()
                    {
                        Err(WwsError::Strict(first.clone()))
                    } else {
                        veerkracht_wws::waardeer_punten(&e, opts).map(|mut p| {
                            let mut all = warn;
                            all.append(&mut p.warnings);
                            p.warnings = all;
                            p
                        })
                    };
                    BulkRow::new(&id, r, cols)
                })
                .collect(),
        );
    }
    bar.finish_and_clear();
    if let Some(e) = io_error {
        return Err(e).with_context(|| format!("{}: cannot write", out.display()));
    }
    let file = w
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("{}: cannot write", out.display()))?;
    file.sync_all()
        .with_context(|| format!("{}: cannot write", out.display()))?;
    drop(file);
    temp.persist(out)
        .with_context(|| format!("{}: cannot write", out.display()))?;
    let secs = t0.elapsed().as_secs_f64();
    let total = s.n + s.errors.len();
    if ctx.json {
        return output::json(&json!({
            "input": input.display().to_string(),
            "out": out.display().to_string(),
            "peildatum": opts.peildatum.to_string(),
            "flat": flat,
            "units": total,
            "valued": s.n,
            "errors": s.errors.iter().map(|(id, e)| json!({"id": id, "error": e})).collect::<Vec<_>>(),
            "with_warnings": s.with_warnings,
            "mean_points": if s.n > 0 { s.som_punten / s.n as f64 } else { 0.0 },
            "mean_max_rent": if s.n > 0 { s.som_max / s.n as f64 } else { 0.0 },
            "segments": s.segments,
            "seconds": secs,
        }));
    }
    println!(
        "{}: {} eenheden gewaardeerd{} (peildatum {}, {:.2} s) → {}",
        input.display(),
        s.n,
        if flat {
            " als schatting uit de platte voorraadvorm"
        } else {
            ""
        },
        opts.peildatum,
        secs,
        out.display()
    );
    if s.n > 0 {
        println!(
            "gemiddeld {} punten, gemiddelde maximale huur {}",
            pts((s.som_punten / s.n as f64 * 100.0).round() / 100.0),
            euro(s.som_max / s.n as f64)
        );
        for (seg, k) in &s.segments {
            println!(
                "  {seg:<22} {k:>8}  ({} %)",
                format!("{:.1}", 100.0 * *k as f64 / s.n as f64).replace('.', ",")
            );
        }
    }
    if s.with_warnings > 0 {
        println!(
            "let op: {} eenheden met waarschuwingen (kolom waarschuwingen)",
            s.with_warnings
        );
    }
    if !s.errors.is_empty() {
        println!(
            "fouten: {} eenheden niet gewaardeerd, bijv.:",
            s.errors.len()
        );
        for (id, e) in s.errors.iter().take(5) {
            println!("  {id}: {e}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// what-if

/// Parses one `--what-if` spec into a change builder.
enum Change {
    Label(String),
    Pointer(String, Value),
}

fn parse_change(s: &str) -> Result<Change> {
    let t = s.trim();
    if let Some(rest) = t
        .strip_prefix("energielabel(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let l = rest.trim().trim_matches(['"', '\'']).to_ascii_uppercase();
        let code = match l.as_str() {
            "A+" => "AP",
            "A++" => "APP",
            "A+++" => "AP3",
            "A++++" => "AP4",
            x => x,
        }
        .to_string();
        const CODES: [&str; 11] = ["AP4", "AP3", "APP", "AP", "A", "B", "C", "D", "E", "F", "G"];
        if !CODES.contains(&code.as_str()) {
            bail!("--what-if {s:?}: onbekend energielabel {rest:?} (A++++ … G)");
        }
        return Ok(Change::Label(code));
    }
    if t.starts_with('/')
        && let Some((p, v)) = t.split_once('=')
    {
        let v = serde_json::from_str(v.trim()).unwrap_or_else(|_| json!(v.trim()));
        return Ok(Change::Pointer(p.trim().to_string(), v));
    }
    bail!("--what-if {s:?}: verwacht energielabel(A) of /json/pointer=WAARDE")
}

fn changes_for(specs: &[Change], unit: &Value, opts: &Options) -> Vec<Wijziging> {
    let mut out = Vec::new();
    for c in specs {
        match c {
            Change::Label(code) => out.extend(whatif::energielabel(unit, code, opts)),
            Change::Pointer(p, v) => out.push(Wijziging {
                pointer: p.clone(),
                waarde: v.clone(),
            }),
        }
    }
    out
}

/// Units as JSON values: VERA JSON (object, array, NDJSON) or the flat CSV turned into VERA.
fn unit_values(p: &Path, opts: &Options) -> Result<(Vec<Value>, bool)> {
    let text = read(p)?;
    if is_csv(p) {
        let units: Vec<FlatUnit> = parse_csv(&text).with_context(|| p.display().to_string())?;
        return Ok((units.iter().map(|u| u.to_vera(opts)).collect(), true));
    }
    let t = text.trim_start();
    if t.starts_with('[') {
        let v: Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: invalid JSON", p.display()))?;
        let Value::Array(a) = v else { unreachable!() };
        return Ok((a, false));
    }
    if let Ok(v) = serde_json::from_str::<Value>(&text) {
        return Ok((vec![v], false));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(line)
                .with_context(|| format!("{}: line {}: invalid JSON", p.display(), i + 1))?,
        );
    }
    Ok((out, false))
}

fn what_if(
    ctx: &Context,
    a: &WwsArgs,
    opts: &Options,
    na: &Options,
    variants: &[Variant],
) -> Result<()> {
    let wat = beschrijving(&a.what_if, variants);
    let specs: Vec<Change> = a
        .what_if
        .iter()
        .map(|s| parse_change(s))
        .collect::<Result<_>>()?;
    let (input, portfolio) = match (&a.unit, &a.bulk) {
        (Some(p), None) => (p, false),
        (None, Some(p)) => (p, true),
        _ => bail!("--what-if and --variant need UNIT.json, --bulk FILE or --rent-mix"),
    };
    if portfolio && is_csv(input) && a.what_if.is_empty() {
        // a variant over a flat stock: both valuations by the flat shortcut, on all cores
        return variant_bulk_flat(ctx, a, input, opts, na, variants);
    }
    let (units, flat) = unit_values(input, opts)?;
    if units.is_empty() {
        bail!("{}: geen eenheden gevonden", input.display());
    }
    if !portfolio && units.len() == 1 {
        let w = whatif::what_if_onder(&units[0], &changes_for(&specs, &units[0], opts), opts, na)
            .with_context(|| input.display().to_string())?;
        if ctx.json {
            let mut j = w.to_json();
            j["id"] = json!(w.voor.id);
            j["wijzigingen"] = json!(a.what_if);
            j["varianten"] = variants_json(variants);
            j["peildatum"] = json!(opts.peildatum.to_string());
            return output::json(&j);
        }
        print_what_if(&w, &wat, opts);
        return Ok(());
    }
    let bar = output::progress(units.len() as u64, "wat-als");
    let mut results: Vec<(String, Result<WhatIf, WwsError>)> = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        let id = u
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", i + 1));
        results.push((
            id,
            whatif::what_if_onder(u, &changes_for(&specs, u, opts), opts, na),
        ));
        if i % 256 == 0 {
            bar.set_position(i as u64);
        }
    }
    bar.finish_and_clear();

    // summary
    let ok: Vec<&WhatIf> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .collect();
    let n = ok.len();
    let mut per_rubriek: Vec<(&'static str, &'static str, f64)> = Vec::new();
    let mut segment_changes: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
    let (mut dp, mut dh, mut changed) = (0.0, 0.0, 0usize);
    for w in &ok {
        dp += w.delta_punten;
        dh += w.delta_maximale_huur;
        if w.delta_punten != 0.0 {
            changed += 1;
        }
        for r in &w.rubrieken {
            match per_rubriek.iter_mut().find(|x| x.0 == r.code) {
                Some(x) => x.2 += r.delta,
                None => per_rubriek.push((r.code, r.naam, r.delta)),
            }
        }
        if w.segment_changed() {
            *segment_changes
                .entry((segment_naam(w.segment_voor), segment_naam(w.segment_na)))
                .or_default() += 1;
        }
    }
    let errors: Vec<(&String, String)> = results
        .iter()
        .filter_map(|(id, r)| r.as_ref().err().map(|e| (id, e.to_string())))
        .collect();
    if let Some(out) = &a.out {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(out)
                .with_context(|| format!("{}: cannot write", out.display()))?,
        );
        writeln!(
            w,
            "id,punten_voor,punten_na,delta_punten,maximale_huur_voor,maximale_huur_na,delta_maximale_huur,segment_voor,segment_na,fout"
        )?;
        for (id, r) in &results {
            let id = if id.contains([',', '"']) {
                format!("\"{}\"", id.replace('"', "\"\""))
            } else {
                id.clone()
            };
            match r {
                Ok(x) => writeln!(
                    w,
                    "{id},{},{},{},{:.2},{:.2},{:.2},{},{},",
                    x.voor.punten,
                    x.na.punten,
                    x.delta_punten,
                    x.voor.maximale_huur_inclusief_opslag,
                    x.na.maximale_huur_inclusief_opslag,
                    x.delta_maximale_huur,
                    x.segment_voor.map(Segment::naam).unwrap_or(""),
                    x.segment_na.map(Segment::naam).unwrap_or(""),
                )?,
                Err(e) => writeln!(w, "{id},,,,,,,,,\"{}\"", e.to_string().replace('"', "\"\""))?,
            }
        }
        w.flush()?;
    }
    let mean = |x: f64| if n > 0 { x / n as f64 } else { 0.0 };
    if ctx.json {
        return output::json(&json!({
            "input": input.display().to_string(),
            "flat": flat,
            "peildatum": opts.peildatum.to_string(),
            "wijzigingen": a.what_if,
            "varianten": variants_json(variants),
            "units": results.len(),
            "valued": n,
            "errors": errors.iter().map(|(id, e)| json!({"id": id, "error": e})).collect::<Vec<_>>(),
            "units_with_change": changed,
            "delta_punten_totaal": dp,
            "delta_punten_gemiddeld": mean(dp),
            "delta_maximale_huur_totaal": (dh * 100.0).round() / 100.0,
            "delta_maximale_huur_gemiddeld": mean(dh),
            "rubrieken": per_rubriek.iter().map(|(c, naam, d)| json!({"code": c, "naam": naam, "delta_totaal": d, "delta_gemiddeld": mean(*d)})).collect::<Vec<_>>(),
            "segmentwijzigingen": segment_changes.iter().map(|((v, na), k)| json!({"voor": v, "na": na, "aantal": k})).collect::<Vec<_>>(),
            "out": a.out.as_ref().map(|p| p.display().to_string()),
        }));
    }
    println!(
        "Wat-als {} op {} ({} eenheden{}, peildatum {})",
        wat,
        input.display(),
        results.len(),
        if flat {
            ", schatting uit de platte voorraadvorm"
        } else {
            ""
        },
        opts.peildatum
    );
    println!(
        "  {n} gewaardeerd, {changed} met andere punten; gemiddeld {} punten, maximale huur {} per maand (totaal {} per maand)",
        signed((mean(dp) * 100.0).round() / 100.0, pts),
        signed(mean(dh), euro),
        signed(dh, euro)
    );
    let mut rows = vec![vec![
        "rubriek".to_string(),
        "omschrijving".to_string(),
        "Δ punten gem.".to_string(),
    ]];
    for (c, naam, d) in per_rubriek.iter().filter(|x| mean(x.2).abs() >= 0.005) {
        rows.push(vec![
            c.to_string(),
            naam.to_string(),
            signed((mean(*d) * 100.0).round() / 100.0, pts),
        ]);
    }
    if rows.len() > 1 {
        print!("{}", output::table(&rows));
    }
    print_moves_and_errors(&segment_changes, &errors, a.out.as_deref());
    Ok(())
}

/// The end of a portfolio comparison's summary: segment changes, failed units, the file.
fn print_moves_and_errors<A: std::fmt::Display, B: std::fmt::Display>(
    moves: &BTreeMap<(&str, &str), usize>,
    errors: &[(A, B)],
    out: Option<&Path>,
) {
    if moves.is_empty() {
        println!("  geen segmentwijzigingen");
    }
    for ((v, na), k) in moves {
        println!("  {k} eenheden van {v} naar {na}");
    }
    if !errors.is_empty() {
        println!("fouten: {} eenheden niet gewaardeerd, bijv.:", errors.len());
        for (id, e) in errors.iter().take(5) {
            println!("  {id}: {e}");
        }
    }
    if let Some(out) = out {
        println!("per eenheid: {}", out.display());
    }
}

fn print_what_if(w: &WhatIf, wat: &str, opts: &Options) {
    println!(
        "Wat-als {} voor {} (peildatum {})",
        wat,
        w.voor.id.as_deref().unwrap_or("(zonder id)"),
        opts.peildatum
    );
    let mut rows = vec![vec![
        "rubriek".to_string(),
        "omschrijving".to_string(),
        "voor".to_string(),
        "na".to_string(),
        "Δ".to_string(),
    ]];
    let show = |p: Option<f64>| p.map(pts).unwrap_or_else(|| "—".into());
    for r in &w.rubrieken {
        rows.push(vec![
            r.code.to_string(),
            r.naam.to_string(),
            show(r.voor),
            show(r.na),
            if r.delta == 0.0 {
                String::new()
            } else {
                signed(r.delta, pts)
            },
        ]);
    }
    rows.push(vec![
        String::new(),
        "totaal".into(),
        pts(w.voor.punten),
        pts(w.na.punten),
        signed(w.delta_punten, pts),
    ]);
    print!("{}", output::table(&rows));
    println!(
        "maximale huur incl. opslag: {} → {} ({})",
        euro(w.voor.maximale_huur_inclusief_opslag),
        euro(w.na.maximale_huur_inclusief_opslag),
        signed(w.delta_maximale_huur, euro)
    );
    if w.segment_changed() {
        println!(
            "segment: {} → {}",
            segment_naam(w.segment_voor),
            segment_naam(w.segment_na)
        );
    } else {
        println!("segment: {} (ongewijzigd)", segment_naam(w.segment_voor));
    }
}

// ---------------------------------------------------------------------------------------
// rent mix

/// The variants as JSON: name, file, date, description and the keys they set.
fn variants_json(variants: &[Variant]) -> Value {
    json!(variants
        .iter()
        .map(|v| json!({
            "naam": v.naam,
            "bestand": v.bestand,
            "geldig_vanaf": v.geldig_vanaf.to_string(),
            "omschrijving": v.omschrijving,
            "wijzigingen": v.wijzigingen.iter().map(|(k, x)| json!({"sleutel": k, "waarde": x})).collect::<Vec<_>>(),
        }))
        .collect::<Vec<_>>())
}

fn rent_mix(ctx: &Context, a: &WwsArgs, opts: &Options, variants: &[Variant]) -> Result<()> {
    let privacy = output::privacy(a.min_cel)?;
    let (bron, text, synthetic) = match &a.stock {
        Some(p) => (p.display().to_string(), read(p)?, false),
        None => {
            let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
            let f = region
                .file(DEMO_STOCK)
                .ok_or_else(|| anyhow!("demo region has no {DEMO_STOCK}"))?;
            (
                format!("{DEMO_STOCK} (ingebouwde demoregio Veerstad — synthetische demodata)"),
                String::from_utf8(f.bytes.clone())?,
                true,
            )
        }
    };
    let units = parse_csv(&text).with_context(|| bron.clone())?;
    let bar = output::progress(units.len() as u64, "waarderen");
    let mut mix = Mix::new(opts.peildatum.to_string());
    let mut errors: Vec<(String, String)> = Vec::new();
    // points-only with the flat form's memo: the same numbers as a full valuation
    let mut waardeerder = veerkracht_wws::flat::FlatWaardeerder::new(opts);
    for (i, u) in units.iter().enumerate() {
        match waardeerder.punten(u) {
            Ok(p) => {
                mix.add_punten(u, &p);
                // the what-ifs are suppressed together with the rent mix (as on /huurmix),
                // so this prints the same cells as the page and the API
                mix.add_what_ifs(u, &p, &mut waardeerder);
            }
            Err(e) => {
                mix.errors += 1;
                errors.push((u.id.clone(), e.to_string()));
            }
        }
        if i % 1024 == 0 {
            bar.set_position(i as u64);
        }
    }
    bar.finish_and_clear();
    // every count passes through the suppression (veerkracht-privacy), as on /huurmix
    let p = publish(&mix, None, &privacy);
    if !variants.is_empty() {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let c = veerkracht_huurmix::variant::vergelijk_csv(&text, opts, variants, threads)
            .with_context(|| bron.clone())?;
        let pv = veerkracht_huurmix::variant::publish(&c, &mix, &p, &privacy);
        return print_variant_mix(ctx, &bron, synthetic, opts, &privacy, &pv, variants);
    }
    if ctx.json {
        return output::json(&json!({
            "bron": bron,
            "synthetisch": synthetic,
            "peildatum": opts.peildatum.to_string(),
            "schatting": "platte voorraadvorm: aannames uit [flat] in data/wws/parameters.toml",
            "punten_klassen": PUNTEN_KLASSEN.iter().map(|k| k.0).collect::<Vec<_>>(),
            "afscherming": veerkracht_huurmix::afscherming_json(&privacy),
            "buurten": p.buurten,
            "totaal": p.totaal,
            "errors": errors.iter().map(|(id, e)| json!({"id": id, "error": e})).collect::<Vec<_>>(),
        }));
    }
    println!(
        "Huurmix per buurt — {bron}, peildatum {} (schatting uit de platte voorraadvorm)",
        opts.peildatum
    );
    let mut rows = vec![
        [
            "buurt",
            "woningen",
            "gem. punten",
            "<100",
            "100-143",
            "144-186",
            ">=187",
            "gem. max. huur",
            "gem. huur",
            "huur/max",
            "sociaal",
            "midden",
            "vrij",
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    // a withheld figure is "·" (never 0)
    const MARK: &str = "·";
    let count = |x: Option<u64>| x.map_or_else(|| MARK.to_string(), |x| x.to_string());
    let row = |naam: &str, b: &PublishedBuurt| {
        let w = |f: &str| b.is_withheld(f);
        let pct = |k: Option<u64>, f: &str| match (k, b.aantal) {
            _ if w(f) || w("aantal") => MARK.to_string(),
            (Some(k), Some(n)) if n > 0 => format!("{:.0} %", 100.0 * k as f64 / n as f64),
            _ => "—".to_string(),
        };
        let mean = |v: Option<f64>, f: &str, show: &dyn Fn(f64) -> String| {
            if w(f) {
                MARK.to_string()
            } else {
                v.map(show).unwrap_or_else(|| "—".into())
            }
        };
        let mut r = vec![
            naam.to_string(),
            count(b.aantal),
            mean(b.gemiddelde_punten, "gemiddelde_punten", &|x| {
                format!("{x:.1}").replace('.', ",")
            }),
        ];
        r.extend(b.punten_verdeling.iter().map(|k| count(*k)));
        r.push(mean(
            b.gemiddelde_maximale_huur,
            "gemiddelde_maximale_huur",
            &euro,
        ));
        r.push(mean(b.gemiddelde_huur, "gemiddelde_huur", &euro));
        r.push(mean(
            b.huur_als_aandeel_van_maximum,
            "huur_als_aandeel_van_maximum",
            &|x| format!("{:.0} %", 100.0 * x),
        ));
        r.push(pct(b.sociaal, "sociaal"));
        r.push(pct(b.middenhuur, "middenhuur"));
        r.push(pct(b.vrije_sector, "vrije_sector"));
        r
    };
    for (naam, b) in &p.buurten {
        rows.push(row(naam, b));
    }
    rows.push(row("totaal", &p.totaal));
    print!("{}", output::table(&rows));
    let labels: Vec<String> = p
        .totaal
        .labels
        .iter()
        .map(|(l, k)| format!("{l} {}", count(*k)))
        .collect();
    println!("energielabels: {}", labels.join(", "));
    println!(
        "{MARK} = afgeschermd: minder dan {} woningen, of af te leiden uit een totaal en de getoonde cellen; gemiddelden en aandelen over een afgeschermd aantal ook (--min-cel N)",
        privacy.k
    );
    if !errors.is_empty() {
        println!("fouten: {} woningen niet gewaardeerd, bijv.:", errors.len());
        for (id, e) in errors.iter().take(5) {
            println!("  {id}: {e}");
        }
    }
    Ok(())
}

/// `veerkracht wws --variant … --rent-mix`: the variant's effect per buurt, suppressed.
fn print_variant_mix(
    ctx: &Context,
    bron: &str,
    synthetic: bool,
    opts: &Options,
    privacy: &veerkracht_privacy::Options,
    pv: &veerkracht_huurmix::variant::PublishedVergelijking,
    variants: &[Variant],
) -> Result<()> {
    use veerkracht_huurmix::variant::{PublishedTelling, SEGMENTEN};
    if ctx.json {
        return output::json(&json!({
            "bron": bron,
            "synthetisch": synthetic,
            "peildatum": opts.peildatum.to_string(),
            "schatting": "platte voorraadvorm: aannames uit [flat] in data/wws/parameters.toml",
            "varianten": variants_json(variants),
            "afscherming": veerkracht_huurmix::afscherming_json(privacy),
            "buurten": pv.buurten,
            "totaal": pv.totaal,
            "wissels": pv.wissels,
            "kwantielen_maximale_huur": pv.kwantielen.as_ref().map(|k| k.iter().map(|(q, a, b)| json!({"percentiel": q, "nu": a, "variant": b})).collect::<Vec<_>>()),
            "fouten": pv.fouten,
        }));
    }
    println!(
        "Beleidsvariant {} — {bron}, peildatum {} (schatting uit de platte voorraadvorm)",
        beschrijving(&[], variants),
        opts.peildatum
    );
    for v in variants {
        println!("  {}: {}", v.naam, v.omschrijving);
        for (k, x) in &v.wijzigingen {
            println!("    {k} = {x}");
        }
    }
    const MARK: &str = "·";
    let count = |t: &PublishedTelling, k: &str| {
        t.aantal(k)
            .map_or_else(|| MARK.to_string(), |x| x.to_string())
    };
    let mean =
        |x: Option<f64>, show: &dyn Fn(f64) -> String| x.map_or_else(|| MARK.to_string(), show);
    let num = |x: f64| format!("{x:.1}").replace('.', ",");
    let mut rows = vec![
        [
            "buurt",
            "woningen",
            "gem. punten",
            "Δ punten",
            "gem. max. huur",
            "Δ max. huur",
            "sociaal nu→var.",
            "midden nu→var.",
            "vrij nu→var.",
            "huur omlaag",
            "huur omhoog",
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    let row = |naam: &str, t: &PublishedTelling| {
        let mut r = vec![
            naam.to_string(),
            count(t, "aantal"),
            mean(t.gemiddelde_punten_na, &num),
            mean(t.delta_punten_gemiddeld, &|x| {
                signed((x * 100.0).round() / 100.0, pts)
            }),
            mean(t.gemiddelde_maximale_huur_na, &euro),
            mean(t.delta_maximale_huur_gemiddeld, &|x| signed(x, euro)),
        ];
        for s in SEGMENTEN {
            r.push(format!(
                "{}→{}",
                count(t, &format!("voor.{s}")),
                count(t, &format!("na.{s}"))
            ));
        }
        r.push(count(t, "omlaag"));
        r.push(count(t, "omhoog"));
        r
    };
    for (naam, t) in &pv.buurten {
        rows.push(row(naam, t));
    }
    rows.push(row("totaal", &pv.totaal));
    print!("{}", output::table(&rows));
    let wissels: Vec<String> = SEGMENTEN
        .iter()
        .flat_map(|a| {
            SEGMENTEN
                .iter()
                .filter(move |b| *b != a)
                .map(move |b| (a, b))
        })
        .map(|(a, b)| {
            format!(
                "{} → {}: {}",
                a.replace('_', " "),
                b.replace('_', " "),
                pv.wissels
                    .get(&format!("{a}_naar_{b}"))
                    .copied()
                    .flatten()
                    .map_or_else(|| MARK.to_string(), |x| x.to_string())
            )
        })
        .collect();
    println!(
        "segmentwissels (143/144 en 186/187 punten): {}",
        wissels.join(", ")
    );
    if let Some(k) = &pv.kwantielen {
        let q: Vec<String> = k
            .iter()
            .map(|(q, a, b)| format!("P{q} {} → {}", euro(*a as f64), euro(*b as f64)))
            .collect();
        println!(
            "maximale huur (hele euro's), nu → variant: {}",
            q.join(", ")
        );
    }
    println!(
        "{MARK} = afgeschermd: minder dan {} woningen, of af te leiden; de aantallen nu zijn die van de huurmix (zelfde afscherming, --min-cel N)",
        privacy.k
    );
    if pv.fouten > 0 {
        println!(
            "fouten: {} woningen niet te waarderen onder de variant",
            pv.fouten
        );
    }
    Ok(())
}

/// `veerkracht wws --variant … --bulk FLAT.csv [--out EFFECT.csv]`: every row valued today
/// and under the variants by the flat shortcut (the numbers of the full valuation) on all
/// cores; per row Δ points per rubriek, Δ maximum rent and the segments, in row order; the
/// summary as for `--what-if`. The output file replaces `--out` only when all went well.
fn variant_bulk_flat(
    ctx: &Context,
    a: &WwsArgs,
    input: &Path,
    opts: &Options,
    na: &Options,
    variants: &[Variant],
) -> Result<()> {
    let text = read(input)?;
    let threads = a
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
        .max(1);
    let groepen: Vec<&'static str> = veerkracht_wws::zel::GROEPEN.iter().map(|g| g.0).collect();
    let mut writer = match &a.out {
        Some(out) => {
            let (temp, file) = veerkracht_export::atomic::TempFile::beside(out)
                .with_context(|| format!("{}: cannot write", out.display()))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
            write!(
                w,
                "id,buurtcode,punten_voor,punten_na,delta_punten,maximale_huur_voor,maximale_huur_na,delta_maximale_huur,segment_voor,segment_na"
            )?;
            for g in &groepen {
                write!(w, ",delta_{g}")?;
            }
            writeln!(w, ",fout")?;
            Some((temp, w))
        }
        None => None,
    };
    let q = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let rough = text.lines().count().saturating_sub(1) as u64;
    let bar = output::progress(rough, "waarderen");
    // (Δ points, Δ max rent in cents, segment change, Δ per rubriek) of the rows valued
    let (mut n, mut changed, mut dp, mut dh) = (0usize, 0usize, 0.0f64, 0i64);
    let mut per_rubriek = vec![0.0f64; groepen.len()];
    let mut wissels: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut io_error = None;
    type Rij = (
        String,
        Option<(f64, i64, Option<Segment>, Option<Segment>, Vec<f64>)>,
        Option<String>,
    );
    veerkracht_wws::flat::vergelijk_csv_stream(
        &text,
        opts,
        na,
        threads,
        |u, voor, na| -> Rij {
            voortgang(&bar);
            let id = q(&u.id);
            match (voor, na) {
                (Ok(v), Ok(w)) => {
                    let d: Vec<f64> = groepen
                        .iter()
                        .map(|g| {
                            let p = |x: &Punten| {
                                x.groepen
                                    .iter()
                                    .find(|y| y.0 == *g)
                                    .and_then(|y| y.1)
                                    .unwrap_or(0.0)
                            };
                            p(&w) - p(&v)
                        })
                        .collect();
                    let cents = |x: f64| (x * 100.0).round() as i64;
                    let dm = cents(w.maximale_huur_inclusief_opslag)
                        - cents(v.maximale_huur_inclusief_opslag);
                    let mut line = format!(
                        "{id},{},{},{},{},{:.2},{:.2},{:.2},{},{}",
                        q(u.buurtcode.as_deref().unwrap_or("")),
                        v.punten,
                        w.punten,
                        w.punten - v.punten,
                        v.maximale_huur_inclusief_opslag,
                        w.maximale_huur_inclusief_opslag,
                        dm as f64 / 100.0,
                        v.segment.map(Segment::naam).unwrap_or(""),
                        w.segment.map(Segment::naam).unwrap_or(""),
                    );
                    for x in &d {
                        line.push_str(&format!(",{x}"));
                    }
                    line.push(',');
                    (
                        line,
                        Some((w.punten - v.punten, dm, v.segment, w.segment, d)),
                        None,
                    )
                }
                (Err(e), _) | (_, Err(e)) => {
                    let msg = e.to_string();
                    let line = format!(
                        "{id}{}{}",
                        ",".repeat(9 + groepen.len()),
                        q(&format!("fout: {msg}"))
                    );
                    (line, None, Some(format!("{}\t{msg}", u.id)))
                }
            }
        },
        |rows: Vec<Rij>| {
            for (line, x, err) in rows {
                if let Some((_, w)) = &mut writer
                    && io_error.is_none()
                    && let Err(e) = w
                        .write_all(line.as_bytes())
                        .and_then(|()| w.write_all(b"\n"))
                {
                    io_error = Some(e);
                }
                match (x, err) {
                    (Some((p, m, s0, s1, d)), _) => {
                        n += 1;
                        dp += p;
                        dh += m;
                        if p != 0.0 {
                            changed += 1;
                        }
                        for (t, x) in per_rubriek.iter_mut().zip(d) {
                            *t += x;
                        }
                        if s0 != s1 {
                            *wissels
                                .entry((segment_naam(s0), segment_naam(s1)))
                                .or_default() += 1;
                        }
                    }
                    (None, Some(e)) => {
                        let (id, m) = e.split_once('\t').unwrap_or((&e, ""));
                        errors.push((id.to_string(), m.to_string()));
                    }
                    (None, None) => {}
                }
            }
        },
    )
    .with_context(|| input.display().to_string())?;
    bar.finish_and_clear();
    if let Some(e) = io_error {
        return Err(anyhow!(
            "{}: {e}",
            a.out
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ));
    }
    if let (Some((temp, mut w)), Some(out)) = (writer, &a.out) {
        w.flush()?;
        let file = w
            .into_inner()
            .map_err(|e| anyhow!("{}: {e}", out.display()))?;
        file.sync_all()
            .with_context(|| format!("{}: cannot write", out.display()))?;
        drop(file);
        temp.persist(out)
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    let mean = |x: f64| if n > 0 { x / n as f64 } else { 0.0 };
    let dh = dh as f64 / 100.0;
    let wat = beschrijving(&[], variants);
    if ctx.json {
        return output::json(&json!({
            "input": input.display().to_string(),
            "flat": true,
            "peildatum": opts.peildatum.to_string(),
            "varianten": variants_json(variants),
            "valued": n,
            "errors": errors.iter().map(|(id, e)| json!({"id": id, "error": e})).collect::<Vec<_>>(),
            "units_with_change": changed,
            "delta_punten_totaal": dp,
            "delta_punten_gemiddeld": mean(dp),
            "delta_maximale_huur_totaal": dh,
            "delta_maximale_huur_gemiddeld": mean(dh),
            "rubrieken": groepen.iter().zip(&per_rubriek).map(|(c, d)| json!({"code": c, "delta_totaal": d, "delta_gemiddeld": mean(*d)})).collect::<Vec<_>>(),
            "segmentwijzigingen": wissels.iter().map(|((v, na), k)| json!({"voor": v, "na": na, "aantal": k})).collect::<Vec<_>>(),
            "out": a.out.as_ref().map(|p| p.display().to_string()),
        }));
    }
    println!(
        "Wat-als {wat} op {} ({n} eenheden gewaardeerd, schatting uit de platte voorraadvorm, peildatum {})",
        input.display(),
        opts.peildatum
    );
    println!(
        "  {changed} met andere punten; gemiddeld {} punten, maximale huur {} per maand (totaal {} per maand)",
        signed((mean(dp) * 100.0).round() / 100.0, pts),
        signed(mean(dh), euro),
        signed(dh, euro)
    );
    for (c, d) in groepen
        .iter()
        .zip(&per_rubriek)
        .filter(|x| mean(*x.1).abs() >= 0.005)
    {
        println!(
            "  {c}: gemiddeld {} punten",
            signed((mean(*d) * 100.0).round() / 100.0, pts)
        );
    }
    print_moves_and_errors(&wissels, &errors, a.out.as_deref());
    Ok(())
}
