//! Set-up: the immutable [`Model`] every run starts from. Reads the stock (flat portfolio
//! CSV, valued by `veerkracht-wws`), the KWB marginals per buurt, synthesises the sitting
//! households (IPF per buurt, the `synth` module), calibrates the exit hazard
//! ([`hazard`](crate::hazard)), pre-synthesises seeker profiles per stream and prepares the
//! interventions (new points by WWS for retrofits and new-build).

use std::collections::HashMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use veerkracht_wws::Segment;
use veerkracht_wws::flat::FlatUnit;

use crate::hazard::Hazard;
use crate::rules::{Aannames, Bron, Periode, Regels, Soort as StroomSoort};
use crate::scenario::{Scenario, Soort};
use crate::synth::{self, Marginals};
use crate::{HERHUISVESTING, SimError};

/// Segment codes held per dwelling: sociale huur (also when the WWS gives no segment).
pub const SEG_SOCIAAL: u8 = 0;
/// Segment code: middenhuur.
pub const SEG_MIDDEN: u8 = 1;
/// Segment code: vrije sector.
pub const SEG_VRIJ: u8 = 2;

/// Dwelling kinds for the hazard factor: a small flat (a meergezinswoning of at most two
/// rooms).
pub const KIND_KLEIN: u8 = 0;
/// Dwelling kind: a meergezinswoning of three rooms or more.
pub const KIND_MEERGEZINS: u8 = 1;
/// Dwelling kind: an eengezinswoning.
pub const KIND_EENGEZINS: u8 = 2;

/// Number of eligibility classes: income class (4) × size class (3) × income from work (2) ×
/// vulnerable in the spreading sense (2).
pub const CLASSES: usize = 48;

/// The eligibility class of a household.
#[inline]
pub fn class_of(inc: u8, size: u8, work: bool, vuln: bool) -> u8 {
    ((inc * 3 + size) * 2 + u8::from(work)) * 2 + u8::from(vuln)
}
/// The income class (0–3, 0 the lowest) of an eligibility class.
#[inline]
pub fn class_inc(c: u8) -> u8 {
    c / 12
}
/// The size class (0–2, 0 one person) of an eligibility class.
#[inline]
pub fn class_size(c: u8) -> u8 {
    (c / 4) % 3
}
/// Whether the households of an eligibility class have income from work.
#[inline]
pub fn class_work(c: u8) -> bool {
    (c / 2) % 2 == 1
}
/// Whether the households of an eligibility class are vulnerable in the spreading sense.
#[inline]
pub fn class_vuln(c: u8) -> bool {
    c % 2 == 1
}

/// Input texts (the CLI reads files; tests and benchmarks use the demo region).
#[derive(Debug, Clone)]
pub struct Inputs {
    /// name and text of the stock CSV
    pub voorraad: (String, String),
    /// names and texts of KWB CSVs, in order of preference
    pub kwb: Vec<(String, String)>,
    /// the allocation rules by period (`data/sim/regels.toml` unless the caller gives others)
    pub regels: Regels,
    /// the model assumptions (`data/sim/aannames.toml` unless the caller gives others)
    pub aannames: Aannames,
}

impl Inputs {
    /// A stock and KWB files (name, text) with the embedded rules and assumptions. The demo
    /// region's: `veerkracht_demo::generate(seed).simulation_files()` (the caller's choice;
    /// the engine knows no demo).
    pub fn with_embedded_rules(voorraad: (String, String), kwb: Vec<(String, String)>) -> Inputs {
        Inputs {
            voorraad,
            kwb,
            regels: Regels::embedded(),
            aannames: Aannames::embedded(),
        }
    }

    /// The inputs a scenario's `[invoer]` names: `demo` takes the stock and KWB texts from
    /// `demo()` (the caller generates them; the engine knows no demo), `standaard` the embedded
    /// rules and assumptions, anything else a file that `read(path, what)` returns as (name,
    /// text) — the caller does the I/O, relative to the scenario's file.
    pub fn resolve<E: From<SimError>>(
        s: &crate::Scenario,
        demo: impl FnOnce() -> ((String, String), Vec<(String, String)>),
        mut read: impl FnMut(&str, &str) -> Result<(String, String), E>,
    ) -> Result<Inputs, E> {
        let demo_used = s.invoer.voorraad == "demo" || s.invoer.kwb.iter().any(|k| k == "demo");
        let (voorraad, kwb) = if demo_used {
            demo()
        } else {
            ((String::new(), String::new()), Vec::new())
        };
        let mut inp = Inputs::with_embedded_rules(voorraad, kwb);
        if s.invoer.voorraad != "demo" {
            inp.voorraad = read(&s.invoer.voorraad, "stock (invoer.voorraad)")?;
        }
        if !s.invoer.kwb.iter().any(|k| k == "demo") {
            inp.kwb = s
                .invoer
                .kwb
                .iter()
                .map(|k| read(k, "KWB file (invoer.kwb)"))
                .collect::<Result<_, E>>()?;
        }
        if s.invoer.aannames != "standaard" {
            let (name, text) = read(&s.invoer.aannames, "assumptions (invoer.aannames)")?;
            inp.aannames = Aannames::parse(&text, &name)?;
        }
        if s.invoer.regels != "standaard" {
            let (name, text) = read(&s.invoer.regels, "rules (invoer.regels)")?;
            inp.regels = Regels::parse(&text, &name)?;
        }
        Ok(inp)
    }
}

/// One buurt.
#[derive(Debug, Clone, PartialEq)]
pub struct Buurt {
    /// the CBS buurtcode (`BU…`), as in the stock file
    pub code: String,
    /// the buurt's name from the KWB (the code when the KWB has none)
    pub naam: String,
    /// attractiveness (z-score of WOZ per m² of the corporation stock, or the scenario's)
    pub aantrekkelijkheid: f64,
    /// designated under the Rotterdamwet (art. 8–10 apply to its lettings)
    pub rotterdamwet: bool,
    /// the scenario's spreading caps apply to the buurt
    pub spreiding: bool,
    /// non-corporation households and the vulnerable among them (static background)
    pub achtergrond_hh: f64,
    /// the kwetsbare households among `achtergrond_hh`
    pub achtergrond_kwetsbaar: f64,
    /// mean WOZ per m² of the corporation stock (for new-build values)
    pub woz_m2: f64,
    /// the housing market (woningmarktregio) the buurt belongs to, 0.. (`invoer.woningmarkt`)
    pub markt: u32,
}

/// A prepared intervention.
#[derive(Debug, Clone, PartialEq)]
pub enum Actie {
    /// dwellings flagged to become niet-DAEB at their next vacancy
    Liberaliseer(Vec<u32>),
    /// dwellings flagged to be sold at their next vacancy
    Verkoop(Vec<u32>),
    /// dwellings demolished now
    Sloop(Vec<u32>),
    /// (dwelling, new points, new max rent, new segment)
    Verduurzaam(Vec<(u32, f32, f32, u8)>),
    /// new dwellings: (points, max rent, segment, kind), count each
    Nieuwbouw {
        /// the buurt built in
        buurt: u32,
        /// (points, max rent, segment, kind, count) per dwelling type
        woningen: Vec<(f32, f32, u8, u8, u32)>,
        /// bit set of streams the units are reserved for (care units), 0 = none
        voor: u32,
        /// the complex the new dwellings form
        complex: u32,
    },
}

/// Seeker profiles, pre-synthesised per stream (struct of arrays).
#[derive(Debug, Clone, Default)]
pub struct Profielen {
    /// eligibility class per profile ([`class_of`])
    pub class: Vec<u8>,
    /// bit set of groups per profile ([`Model::groep_ids`])
    pub groups: Vec<u16>,
    /// income per profile, euro a year
    pub income: Vec<f32>,
    /// bit 0: at least the Rotterdamwet years in the region; bit 1: screening hit
    pub flags: Vec<u8>,
}

/// The immutable state every run starts from.
#[derive(Debug, Clone)]
pub struct Model {
    /// the scenario simulated
    pub scenario: Scenario,
    /// the allocation rules in force at the scenario's start
    pub regels: Periode,
    /// the model assumptions
    pub aannames: Aannames,
    /// the buurten of the stock, in order of first appearance in the stock file
    pub buurten: Vec<Buurt>,
    // dwellings (struct of arrays)
    /// buurt index of each dwelling
    pub d_buurt: Vec<u32>,
    /// kind of each dwelling (`KIND_*`, for the exit hazard)
    pub d_kind: Vec<u8>,
    /// WWS points of each dwelling
    pub d_points: Vec<f32>,
    /// maximum rent of each dwelling, euro a month (WWS, in money of the rules' period)
    pub d_max_rent: Vec<f32>,
    /// rent at the start, euro a month: the stock's `kale_huur`, else a share of the
    /// maximum (`invulling.huur_zonder_opgave`); never above the maximum
    pub d_rent: Vec<f32>,
    /// segment of each dwelling (`SEG_*`)
    pub d_seg: Vec<u8>,
    /// whether each dwelling is DAEB (social) at the start
    pub d_daeb: Vec<bool>,
    /// complex of each dwelling (0..`complexen`): the stock's `complex` column, else buurt ×
    /// woningtype × decade of bouwjaar; each new-build intervention adds one
    pub d_complex: Vec<u32>,
    /// number of complexes
    pub complexen: usize,
    // sitting households, one per dwelling at the start
    /// eligibility class of each dwelling's household ([`class_of`])
    pub h_class: Vec<u8>,
    /// bit set of groups of each dwelling's household
    pub h_groups: Vec<u16>,
    /// the calibrated exit hazard
    pub hazard: Hazard,
    /// the years a regular seeker searches before stopping (`zoekers.uitval_per_jaar`)
    pub uitval: crate::hazard::Geometric,
    /// stream ids (assumption streams, then herhuisvesting)
    pub stromen: Vec<String>,
    /// per stream: whether it is urgent (mediated directly, within contingents)
    pub stroom_urgent: Vec<bool>,
    /// urgent streams in priority order (indices)
    pub urgent_order: Vec<usize>,
    /// arrivals a year per stream (expected count)
    pub instroom: Vec<f64>,
    /// placement limit a year per stream (None = none) and whether it rolls over
    pub limiet: Vec<Option<(f64, bool)>>,
    /// per stream the seeker profiles arrivals are drawn from (empty for herhuisvesting,
    /// whose seekers keep their own attributes)
    pub profielen: Vec<Profielen>,
    /// groups in the spreading set / kwetsbaar, as bit sets
    pub spreiding_mask: u16,
    /// groups that count as kwetsbaar, as a bit set over `groep_ids`
    pub kwetsbaar_mask: u16,
    /// the household groups' ids (bit i of a group set is `groep_ids[i]`)
    pub groep_ids: Vec<String>,
    /// prepared interventions per year index
    pub acties: Vec<Vec<Actie>>,
    /// corporation dwellings at the start (the base of per-1,000 rates)
    pub n0: usize,
    /// maximum rents of the WWS table × this = money of the rules' period
    pub rent_factor: f64,
    /// starting counts per buurt: households, kwetsbaar, per group (buurt × group), per
    /// income class (buurt × 4)
    pub counts0: (Vec<u32>, Vec<u32>, Vec<u32>, Vec<u32>),
    /// one-person households per buurt at the start
    pub een0: Vec<u32>,
    /// the vulnerability component of the index definition, recomputed per buurt and year
    /// ([`kwetsbaarheid`](crate::kwetsbaarheid)); None when the definition cannot be used
    pub kwetsbaarheid: Option<crate::kwetsbaarheid::Component>,
    /// what the set-up had to assume (missing KWB values, fallbacks), for the user
    pub warnings: Vec<String>,
}

fn seg_code(s: Option<Segment>) -> u8 {
    match s {
        Some(Segment::Middenhuur) => SEG_MIDDEN,
        Some(Segment::VrijeSector) => SEG_VRIJ,
        _ => SEG_SOCIAAL,
    }
}

fn label_rank(l: Option<&str>) -> usize {
    l.and_then(|l| crate::scenario::LABELS.iter().position(|x| *x == l))
        .unwrap_or(7)
}

/// KWB values per buurt code (first file that has a number wins).
fn read_kwb(
    files: &[(String, String)],
    extra: &[String],
) -> Result<HashMap<String, HashMap<String, f64>>, SimError> {
    let mut keys: Vec<&str> = vec![
        "a_hh", "a_1p_hh", "a_hh_z_k", "a_hh_m_k", "p_hh_li", "p_hh_hi", "a_soz_wb", "a_soz_ao",
        "a_soz_ww", "a_65_oo", "a_inw", "regio",
    ];
    for k in extra {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    let mut out: HashMap<String, HashMap<String, f64>> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for (file, text) in files {
        let mut lines = text.lines();
        let Some(header) = lines.next() else {
            return Err(SimError::new(
                file,
                "line 1",
                "empty file",
                "give a KWB CSV",
            ));
        };
        let sep = if header.contains(';') { ';' } else { ',' };
        let cols: Vec<String> = header
            .split(sep)
            .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        let code_col = cols
            .iter()
            .position(|c| c == "gwb_code_10" || c == "gwb_code" || c == "wijkenenbuurten")
            .ok_or_else(|| {
                SimError::new(
                    file,
                    "line 1",
                    "no column gwb_code_10 / gwb_code",
                    "use the CBS Kerncijfers wijken en buurten CSV (short codes, as the demo files)",
                )
            })?;
        let idx: Vec<(usize, &str)> = keys
            .iter()
            .filter_map(|k| cols.iter().position(|c| c == k).map(|i| (i, *k)))
            .collect();
        for line in lines {
            let f: Vec<&str> = line
                .split(sep)
                .map(|x| x.trim().trim_matches('"'))
                .collect();
            let Some(code) = f.get(code_col) else {
                continue;
            };
            if !code.starts_with("BU") {
                continue;
            }
            let e = out.entry(code.to_string()).or_default();
            for &(i, k) in &idx {
                let Some(v) = f.get(i) else { continue };
                if k == "regio" {
                    names
                        .entry(code.to_string())
                        .or_insert_with(|| v.to_string());
                    continue;
                }
                let v = v.replace('.', "").replace(',', ".");
                if let Ok(x) = v.parse::<f64>()
                    && x.is_finite()
                    && x > -99_999_990.0
                {
                    e.entry(k.to_string()).or_insert(x);
                }
            }
        }
    }
    for (code, naam) in names {
        // names are kept as a hash of strings: store with a marker key
        out.entry(code)
            .or_default()
            .insert(format!("naam:{naam}"), 0.0);
    }
    Ok(out)
}

fn wws_opts(s: &Scenario) -> veerkracht_wws::Options {
    let d = s.invoer.wws_peildatum;
    veerkracht_wws::Options {
        peildatum: veerkracht_wws::Date::new(d.jaar, u32::from(d.maand), u32::from(d.dag)),
        ..Default::default()
    }
}

/// The options of the scenario's policy variant with its year, if it has one: the variant's
/// changes hold at the simulation's WWS peildatum (its own `geldig_vanaf` is replaced by
/// that date; in a scenario the variant starts in `beleidsvariant.jaar`).
fn variant_opts(
    s: &Scenario,
    opts: &veerkracht_wws::Options,
    sfile: &str,
) -> Result<Option<(i32, veerkracht_wws::Options)>, SimError> {
    let Some(b) = &s.beleidsvariant else {
        return Ok(None);
    };
    let fail = |e: String| {
        SimError::new(
            sfile,
            "beleidsvariant",
            e,
            "name a shipped variant (data/wws/varianten/) or give its TOML",
        )
    };
    let mut v = b.lees().map_err(fail)?;
    v.geldig_vanaf = opts.peildatum;
    let t = v.apply(opts.tabellen()).map_err(|e| fail(e.to_string()))?;
    Ok(Some((
        b.jaar,
        veerkracht_wws::Options {
            tabellen: Some(std::sync::Arc::new(t)),
            ..opts.clone()
        },
    )))
}

/// Maximum rents of the WWS table in money of the rules' period: the rules' huurtoeslag
/// maximum over the table's rent at the social ceiling.
fn rent_factor(
    opts: &veerkracht_wws::Options,
    regels: &Periode,
    sfile: &str,
) -> Result<f64, SimError> {
    let t = veerkracht_wws::Tables::embedded();
    let fail = |e: String| {
        SimError::new(
            sfile,
            "invoer.wws_peildatum",
            e,
            "use a date with a complete WWS rent table (2026-01-01)",
        )
    };
    let grens = t
        .segmentgrenzen(opts.peildatum)
        .ok_or_else(|| fail("no segment boundaries".into()))?;
    let tabel = t
        .huurtabel(veerkracht_wws::Stelsel::Zelfstandig, opts.peildatum)
        .map_err(|e| fail(e.to_string()))?;
    let at = tabel
        .bedrag(grens.sociaal_max as f64)
        .map_err(|e| fail(e.to_string()))?;
    Ok(regels.huurtoeslag_max_huur / at)
}

/// (points, max rent incl. surcharges, segment) of a flat unit.
fn value(
    u: &FlatUnit,
    opts: &veerkracht_wws::Options,
    factor: f64,
) -> Result<(f32, f32, u8), String> {
    let p = u.waardeer_punten(opts).map_err(|e| e.to_string())?;
    Ok((
        p.punten as f32,
        (p.maximale_huur_inclusief_opslag * factor) as f32,
        seg_code(p.segment),
    ))
}

impl Model {
    /// Builds the model of a scenario from its inputs; `seed` drives the synthesis (the
    /// same seed gives the same starting population).
    pub fn build(scenario: Scenario, inputs: &Inputs, seed: u64) -> Result<Model, SimError> {
        let sfile = format!("scenario '{}'", scenario.naam);
        let regels = inputs.regels.op(scenario.peildatum)?.clone();
        let a = inputs.aannames.clone();
        let mut warnings = Vec::new();
        if scenario.toewijzing.vrije_ruimte > regels.vrije_ruimte_lokaal_max + 1e-12 {
            return Err(SimError::new(
                &sfile,
                "toewijzing.vrije_ruimte",
                format!(
                    "{} is above the local maximum {} of the rules",
                    scenario.toewijzing.vrije_ruimte, regels.vrije_ruimte_lokaal_max
                ),
                "the free room is at most 15 % (prestatieafspraken)",
            ));
        }
        // --- stock, valued by veerkracht-wws
        let (vfile, vtext) = &inputs.voorraad;
        let units = veerkracht_wws::flat::parse_csv(vtext)
            .map_err(|e| SimError::new(vfile, "stock", e.to_string(), "use the flat portfolio CSV (eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur)"))?;
        if units.is_empty() {
            return Err(SimError::new(
                vfile,
                "stock",
                "no dwellings",
                "give at least one row",
            ));
        }
        let opts = wws_opts(&scenario);
        let factor = rent_factor(&opts, &regels, &sfile)?;
        let valued = veerkracht_wws::flat::waardeer_punten_csv(vtext, &opts, 2, |_, p| {
            p.map(|p| {
                (
                    p.punten as f32,
                    (p.maximale_huur_inclusief_opslag * factor) as f32,
                    seg_code(p.segment),
                )
            })
        })
        .map_err(|e| SimError::new(vfile, "stock", e.to_string(), "check the row named"))?;
        let mut buurt_index: HashMap<String, u32> = HashMap::new();
        let mut codes: Vec<String> = Vec::new();
        let n = units.len();
        let mut m = Model {
            regels: regels.clone(),
            aannames: a.clone(),
            buurten: Vec::new(),
            d_buurt: Vec::with_capacity(n),
            d_kind: Vec::with_capacity(n),
            d_points: Vec::with_capacity(n),
            d_max_rent: Vec::with_capacity(n),
            d_rent: Vec::with_capacity(n),
            d_seg: Vec::with_capacity(n),
            d_daeb: Vec::with_capacity(n),
            d_complex: Vec::with_capacity(n),
            complexen: 0,
            h_class: Vec::new(),
            h_groups: Vec::new(),
            hazard: Hazard::default(),
            uitval: crate::hazard::Geometric::new((1.0 - a.zoekers.uitval_per_jaar).ln()),
            stromen: Vec::new(),
            stroom_urgent: Vec::new(),
            urgent_order: Vec::new(),
            instroom: Vec::new(),
            limiet: Vec::new(),
            profielen: Vec::new(),
            spreiding_mask: 0,
            kwetsbaar_mask: 0,
            groep_ids: a.groep.iter().map(|g| g.id.clone()).collect(),
            acties: vec![Vec::new(); scenario.jaren as usize],
            n0: n,
            rent_factor: 1.0,
            counts0: Default::default(),
            een0: Vec::new(),
            kwetsbaarheid: None,
            warnings: Vec::new(),
            scenario,
        };
        let mut woz_sum: Vec<(f64, f64)> = Vec::new();
        for (i, (u, v)) in units.iter().zip(&valued).enumerate() {
            let (points, max_rent, seg) = v.clone().map_err(|e| {
                SimError::new(
                    vfile,
                    format!("line {}", i + 2),
                    e.to_string(),
                    "fix the row",
                )
            })?;
            let code = u.buurtcode.clone().ok_or_else(|| {
                SimError::new(
                    vfile,
                    format!("line {}", i + 2),
                    "no buurtcode",
                    "the simulation needs the column buurtcode (BU…)",
                )
            })?;
            let b = *buurt_index.entry(code.clone()).or_insert_with(|| {
                codes.push(code.clone());
                woz_sum.push((0.0, 0.0));
                (codes.len() - 1) as u32
            });
            woz_sum[b as usize].0 += u.woz_waarde;
            woz_sum[b as usize].1 += u.oppervlakte_m2;
            m.d_buurt.push(b);
            m.d_kind.push(if u.eengezins {
                KIND_EENGEZINS
            } else if u.kamers <= 2 {
                KIND_KLEIN
            } else {
                KIND_MEERGEZINS
            });
            m.d_points.push(points);
            m.d_max_rent.push(max_rent);
            let rent = u
                .kale_huur
                .map_or(max_rent * a.invulling.huur_zonder_opgave as f32, |r| {
                    r as f32
                })
                .min(max_rent);
            m.d_rent.push(rent);
            m.d_seg.push(seg);
            m.d_daeb.push(seg == SEG_SOCIAAL);
        }
        // --- complexes: the stock's complex column, else buurt × woningtype × decade of bouwjaar
        let complex_col: Option<Vec<String>> = {
            let mut lines = vtext.lines();
            let header = lines.next().unwrap_or("");
            let sep = if header.contains(';') { ';' } else { ',' };
            header
                .split(sep)
                .position(|c| {
                    matches!(
                        c.trim().trim_matches('"').to_ascii_lowercase().as_str(),
                        "complex" | "complexnummer" | "complex_id" | "complexcode"
                    )
                })
                .map(|i| {
                    lines
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| {
                            l.split(sep)
                                .nth(i)
                                .unwrap_or("")
                                .trim()
                                .trim_matches('"')
                                .to_string()
                        })
                        .collect()
                })
        };
        let mut complex_ids: HashMap<String, u32> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            let key = match complex_col
                .as_ref()
                .and_then(|c| c.get(i))
                .filter(|c| !c.is_empty())
            {
                Some(c) => format!("c:{c}"),
                // one building campaign: buurt, woningtype and the decade of construction
                None => format!(
                    "{}:{}:{}",
                    u.buurtcode.as_deref().unwrap_or(""),
                    u.eengezins,
                    u.bouwjaar.div_euclid(10)
                ),
            };
            let next = complex_ids.len() as u32;
            m.d_complex.push(*complex_ids.entry(key).or_insert(next));
        }
        m.complexen = complex_ids.len();
        // --- buurten: KWB marginals and attractiveness
        let definitie = veerkracht_index::Definition::veerkracht_basis();
        let def_file = "data/index/veerkracht-basis.toml";
        let def_sources = crate::kwetsbaarheid::sources(&definitie, def_file)?;
        let kwb = read_kwb(&inputs.kwb, &def_sources)?;
        let woz_m2: Vec<f64> = woz_sum
            .iter()
            .map(|(w, m2)| if *m2 > 0.0 { w / m2 } else { 0.0 })
            .collect();
        let mean = woz_m2.iter().sum::<f64>() / woz_m2.len() as f64;
        let sd = (woz_m2.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / woz_m2.len() as f64)
            .sqrt()
            .max(1e-9);
        let mut counts = vec![0usize; codes.len()];
        for &b in &m.d_buurt {
            counts[b as usize] += 1;
        }
        let mut margs: Vec<Marginals> = Vec::with_capacity(codes.len());
        let mut missing = Vec::new();
        for (b, code) in codes.iter().enumerate() {
            let k = kwb.get(code);
            if k.is_none() {
                missing.push(code.clone());
            }
            let g = |key: &str| k.and_then(|k| k.get(key)).copied();
            margs.push(Marginals::from_kwb(&g, counts[b]));
            let naam = k
                .and_then(|k| {
                    k.keys()
                        .find_map(|x| x.strip_prefix("naam:").map(str::to_string))
                })
                .unwrap_or_else(|| code.clone());
            m.buurten.push(Buurt {
                code: code.clone(),
                naam,
                aantrekkelijkheid: (woz_m2[b] - mean) / sd,
                rotterdamwet: false,
                spreiding: false,
                achtergrond_hh: 0.0,
                achtergrond_kwetsbaar: 0.0,
                woz_m2: woz_m2[b],
                markt: 0,
            });
        }
        if !missing.is_empty() {
            warnings.push(format!(
                "{} buurten of the stock have no KWB row (regional means used): {}",
                missing.len(),
                missing
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        synth::fill_missing(&mut margs, &a.invulling.marginalen);
        {
            let kv = |b: usize, key: &str| kwb.get(&codes[b]).and_then(|k| k.get(key)).copied();
            m.kwetsbaarheid = Some(crate::kwetsbaarheid::Component::new(
                &definitie,
                def_file,
                codes.len(),
                &kv,
                &mut warnings,
            )?);
        }
        if m.scenario.invoer.woningmarkt == "gemeente" {
            // BU + 4 digits of the gemeente: one market per gemeente, in order of appearance
            let mut ids: HashMap<String, u32> = HashMap::new();
            for b in &mut m.buurten {
                let gm: String = b.code.chars().skip(2).take(4).collect();
                let next = ids.len() as u32;
                b.markt = *ids.entry(gm).or_insert(next);
            }
        }
        // scenario settings per buurt
        let find = |code: &str, key: &str| -> Result<usize, SimError> {
            buurt_index.get(code).map(|&b| b as usize).ok_or_else(|| {
                SimError::new(
                    &sfile,
                    key,
                    format!("buurt '{code}' is not in the stock"),
                    "use a buurtcode (BU…) of the corporation stock",
                )
            })
        };
        for (i, s) in m.scenario.buurt.clone().iter().enumerate() {
            let b = find(&s.code, &format!("buurt[{i}].code"))?;
            m.buurten[b].aantrekkelijkheid = s.aantrekkelijkheid;
        }
        if let Some(r) = m.scenario.rotterdamwet.clone() {
            for (i, c) in r.buurten.iter().enumerate() {
                let b = find(c, &format!("rotterdamwet.buurten[{i}]"))?;
                m.buurten[b].rotterdamwet = true;
            }
        }
        let gidx = |id: &str, key: String| -> Result<usize, SimError> {
            a.groep_index(id).ok_or_else(|| {
                SimError::new(
                    &sfile,
                    key,
                    format!("unknown group '{id}'"),
                    format!(
                        "use one of: {}",
                        a.groep
                            .iter()
                            .map(|g| g.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
        };
        for (i, g) in a.groep.iter().enumerate() {
            if g.kwetsbaar {
                m.kwetsbaar_mask |= 1 << i;
            }
        }
        if let Some(sp) = m.scenario.spreiding.clone() {
            for (i, g) in sp.groepen.iter().enumerate() {
                m.spreiding_mask |= 1 << gidx(g, format!("spreiding.groepen[{i}]"))?;
            }
            if sp.buurten.is_empty() {
                m.buurten.iter_mut().for_each(|b| b.spreiding = true);
            }
            for (i, c) in sp.buurten.iter().enumerate() {
                let b = find(c, &format!("spreiding.buurten[{i}]"))?;
                m.buurten[b].spreiding = true;
            }
        } else {
            m.spreiding_mask = m.kwetsbaar_mask;
        }
        // --- hazard
        let mut kinds = [0f64; 3];
        for &k in &m.d_kind {
            kinds[k as usize] += 1.0;
        }
        m.hazard = Hazard::calibrate(&a.verloop, kinds)?;
        // --- sitting households
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(u64::MAX - 1);
        let mut dwellings_of: Vec<Vec<u32>> = vec![Vec::new(); codes.len()];
        for (d, &b) in m.d_buurt.iter().enumerate() {
            dwellings_of[b as usize].push(d as u32);
        }
        m.h_class = vec![0; n];
        m.h_groups = vec![0; n];
        let mean_rate = synth::mean_benefit_rate(&margs);
        for (b, ds) in dwellings_of.iter().enumerate() {
            let hh = synth::households(&margs[b], mean_rate, &a, &regels, ds.len(), &mut rng);
            for (j, &d) in ds.iter().enumerate() {
                let h = &hh[j];
                let vuln = h.groups & m.spreiding_mask != 0;
                m.h_class[d as usize] = class_of(h.inc, h.size, h.work, vuln);
                m.h_groups[d as usize] = h.groups;
            }
            let rel = margs[b].benefit_rate / mean_rate.max(1e-9);
            let bg = (margs[b].a_hh - ds.len() as f64).max(0.0);
            m.buurten[b].achtergrond_hh = bg;
            m.buurten[b].achtergrond_kwetsbaar = bg * a.synthese.achtergrond_kwetsbaar * rel;
        }
        // --- streams
        for s in &a.stroom {
            m.stromen.push(s.id.clone());
            m.stroom_urgent.push(s.soort == StroomSoort::Urgent);
            let rate = m
                .scenario
                .instroom
                .get(&s.id)
                .copied()
                .unwrap_or(s.per_1000);
            m.instroom.push(rate * n as f64 / 1000.0);
        }
        m.stromen.push(HERHUISVESTING.into());
        m.stroom_urgent.push(true);
        m.instroom.push(0.0);
        for (k, _) in m.scenario.instroom.iter() {
            if a.stroom_index(k).is_none() {
                return Err(SimError::new(
                    &sfile,
                    format!("instroom.{k}"),
                    format!("unknown stream '{k}'"),
                    format!(
                        "use one of: {}",
                        a.stroom
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        m.limiet = vec![None; m.stromen.len()];
        for (map, roll, name) in [
            (&m.scenario.contingent, false, "contingent"),
            (&m.scenario.taakstelling, true, "taakstelling"),
        ] {
            for (k, v) in map {
                match a.stroom_index(k) {
                    Some(i) if m.stroom_urgent[i] => {
                        m.limiet[i] = Some((v * n as f64 / 1000.0, roll));
                    }
                    _ => {
                        return Err(SimError::new(
                            &sfile,
                            format!("{name}.{k}"),
                            format!("'{k}' is not an urgent stream"),
                            "contingents and taakstelling apply to streams with soort = \"urgent\"",
                        ));
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..a.stroom.len())
            .filter(|&i| m.stroom_urgent[i])
            .collect();
        order.sort_by_key(|&i| a.stroom[i].prioriteit);
        // herhuisvesting (demolition) always first
        order.insert(0, m.stromen.len() - 1);
        m.urgent_order = order;
        // --- profiles
        let np = a.zoekers.profielen_per_stroom as usize;
        for (si, s) in a.stroom.iter().enumerate() {
            let mut p = Profielen::default();
            let mut r = ChaCha8Rng::seed_from_u64(seed);
            r.set_stream(u64::MAX - 2 - si as u64);
            let fixed: u16 = s
                .groepen
                .iter()
                .filter_map(|g| a.groep_index(g))
                .fold(0, |acc, i| acc | (1 << i));
            for _ in 0..np {
                let size = synth::pick(&s.grootte, r.random::<f64>()) as u8;
                let inc = synth::pick(&s.inkomen, r.random::<f64>()) as u8;
                let aow = false;
                let income = synth::income_in_class(
                    &regels,
                    &a.invulling,
                    inc,
                    size,
                    aow,
                    r.random::<f64>(),
                );
                let work = r.random::<f64>() < s.werk[inc as usize];
                let mut groups = fixed;
                for (gi, g) in a.groep.iter().enumerate() {
                    let hit = match g.bron {
                        Bron::Kenmerk => r.random::<f64>() < g.regulier[inc as usize],
                        Bron::LaagInkomen => inc == 0,
                        Bron::Uitkering => !work,
                    };
                    if hit {
                        groups |= 1 << gi;
                    }
                }
                let mut flags = 0u8;
                if r.random::<f64>() < s.regio_6jaar {
                    flags |= 1;
                }
                if r.random::<f64>() < s.screening {
                    flags |= 2;
                }
                let vuln = groups & m.spreiding_mask != 0;
                p.class.push(class_of(inc, size, work, vuln));
                p.groups.push(groups);
                p.income.push(income as f32);
                p.flags.push(flags);
            }
            m.profielen.push(p);
        }
        m.profielen.push(Profielen::default()); // herhuisvesting: the household's own attributes
        // --- interventions
        m.rent_factor = factor;
        m.count_households();
        let variant = variant_opts(&m.scenario, &opts, &sfile)?;
        let retrofits = m.prepare_interventions(
            &units,
            &opts,
            variant.as_ref().map(|(y, o)| (*y, o)),
            &sfile,
            &buurt_index,
        )?;
        if let Some((jaar, vo)) = &variant {
            m.prepare_variant(&units, &opts, *jaar, vo, &retrofits)?;
        }
        m.warnings = warnings;
        Ok(m)
    }

    /// Prepares the interventions; those from the policy variant's year on are valued under
    /// it (`variant`: year, options). Returns the retrofits (year index, dwelling, label).
    fn prepare_interventions(
        &mut self,
        units: &[FlatUnit],
        opts_today: &veerkracht_wws::Options,
        variant: Option<(i32, &veerkracht_wws::Options)>,
        sfile: &str,
        buurt_index: &HashMap<String, u32>,
    ) -> Result<Vec<(usize, u32, String)>, SimError> {
        let ingrepen = self.scenario.ingreep.clone();
        let start = self.scenario.startjaar;
        let mut used = vec![false; self.d_buurt.len()];
        let mut retrofits = Vec::new();
        for (i, g) in ingrepen.iter().enumerate() {
            let opts = match variant {
                Some((y, o)) if g.jaar >= y => o,
                _ => opts_today,
            };
            let key = |k: &str| format!("ingreep[{i}].{k}");
            let b = *buurt_index.get(&g.buurt).ok_or_else(|| {
                SimError::new(
                    sfile,
                    key("buurt"),
                    format!("buurt '{}' is not in the stock", g.buurt),
                    "use a buurtcode (BU…) of the corporation stock",
                )
            })?;
            let year = (g.jaar - start) as usize;
            let mut in_buurt: Vec<u32> = (0..self.d_buurt.len() as u32)
                .filter(|&d| self.d_buurt[d as usize] == b && !used[d as usize])
                .collect();
            let take = |v: &mut Vec<u32>,
                        used: &mut Vec<bool>,
                        n: u32,
                        what: &str|
             -> Result<Vec<u32>, SimError> {
                if v.len() < n as usize {
                    return Err(SimError::new(
                        sfile,
                        key("aantal"),
                        format!(
                            "{n} asked, {} {what} dwellings left in {}",
                            v.len(),
                            g.buurt
                        ),
                        "lower aantal or choose another buurt",
                    ));
                }
                let out: Vec<u32> = v[..n as usize].to_vec();
                for &d in &out {
                    used[d as usize] = true;
                }
                Ok(out)
            };
            let actie = match g.soort {
                Soort::Liberalisatie => {
                    in_buurt.retain(|&d| self.d_daeb[d as usize]);
                    in_buurt.sort_by(|&x, &y| {
                        self.d_points[y as usize]
                            .total_cmp(&self.d_points[x as usize])
                            .then(x.cmp(&y))
                    });
                    Actie::Liberaliseer(take(&mut in_buurt, &mut used, g.aantal, "social")?)
                }
                Soort::Verkoop => {
                    in_buurt.sort_by(|&x, &y| {
                        let (ux, uy) = (&units[x as usize], &units[y as usize]);
                        uy.eengezins
                            .cmp(&ux.eengezins)
                            .then(uy.woz_waarde.total_cmp(&ux.woz_waarde))
                            .then(x.cmp(&y))
                    });
                    Actie::Verkoop(take(&mut in_buurt, &mut used, g.aantal, "")?)
                }
                Soort::Sloop => {
                    in_buurt.sort_by_key(|&d| (units[d as usize].bouwjaar, d));
                    Actie::Sloop(take(&mut in_buurt, &mut used, g.aantal, "")?)
                }
                Soort::Verduurzaming => {
                    let to = g.energielabel.as_deref().unwrap_or("A");
                    let r_to = label_rank(Some(to));
                    in_buurt
                        .retain(|&d| label_rank(units[d as usize].energielabel.as_deref()) > r_to);
                    in_buurt.sort_by_key(|&d| {
                        (
                            std::cmp::Reverse(label_rank(
                                units[d as usize].energielabel.as_deref(),
                            )),
                            d,
                        )
                    });
                    let ds = take(&mut in_buurt, &mut used, g.aantal, "worse-labelled")?;
                    let mut out = Vec::with_capacity(ds.len());
                    for d in ds {
                        let mut u = units[d as usize].clone();
                        u.energielabel = Some(to.to_string());
                        let (p, r, s) = value(&u, opts, self.rent_factor).map_err(|e| {
                            SimError::new(sfile, key("energielabel"), e, "check the label")
                        })?;
                        out.push((d, p, r, s));
                        retrofits.push(((g.jaar - start) as usize, d, to.to_string()));
                    }
                    Actie::Verduurzaam(out)
                }
                Soort::Nieuwbouw | Soort::Zorgwoningen => {
                    let care = g.soort == Soort::Zorgwoningen;
                    let mix = match (&g.segmenten, care) {
                        (Some(m), _) => [m.sociaal, m.midden, m.vrij],
                        (None, _) => [1.0, 0.0, 0.0],
                    };
                    // largest remainder
                    let mut n_s: Vec<u32> = mix
                        .iter()
                        .map(|x| (x * f64::from(g.aantal)).floor() as u32)
                        .collect();
                    let mut rest = g.aantal - n_s.iter().sum::<u32>();
                    let mut order: Vec<usize> = (0..3).collect();
                    order.sort_by(|&x, &y| {
                        let fx = mix[x] * f64::from(g.aantal) - f64::from(n_s[x]);
                        let fy = mix[y] * f64::from(g.aantal) - f64::from(n_s[y]);
                        fy.total_cmp(&fx)
                    });
                    for &s in &order {
                        if rest == 0 {
                            break;
                        }
                        n_s[s] += 1;
                        rest -= 1;
                    }
                    let label = g
                        .energielabel
                        .clone()
                        .unwrap_or_else(|| if care { "A++".into() } else { "A+++".into() });
                    let m2 = g.oppervlakte_m2.unwrap_or(if care { 45.0 } else { 70.0 });
                    let mut woningen = Vec::new();
                    for (s, &cnt) in n_s.iter().enumerate() {
                        if cnt == 0 {
                            continue;
                        }
                        let (p, r, kind) = self.new_build(b, g.jaar, m2, &label, s as u8, opts).ok_or_else(|| {
                            SimError::new(
                                sfile,
                                key("segmenten"),
                                format!(
                                    "no dwelling of 25–250 m² with label {label} in {} reaches segment {}",
                                    g.buurt,
                                    ["sociaal", "midden", "vrij"][s]
                                ),
                                "change the label, the size or the segment mix",
                            )
                        })?;
                        woningen.push((p, r, s as u8, kind, cnt));
                    }
                    let mut voor = 0u32;
                    if care {
                        let ids = if g.voor.is_empty() {
                            vec!["bw_mo".to_string()]
                        } else {
                            g.voor.clone()
                        };
                        for id in ids {
                            let si = self
                                .stromen
                                .iter()
                                .position(|x| *x == id)
                                .filter(|&x| self.stroom_urgent[x])
                                .ok_or_else(|| {
                                    SimError::new(
                                        sfile,
                                        key("voor"),
                                        format!("'{id}' is not an urgent stream"),
                                        "name urgent stream ids, e.g. [\"bw_mo\"]",
                                    )
                                })?;
                            voor |= 1 << si;
                        }
                    }
                    self.complexen += 1;
                    Actie::Nieuwbouw {
                        buurt: b,
                        woningen,
                        voor,
                        complex: self.complexen as u32 - 1,
                    }
                }
            };
            self.acties[year].push(actie);
        }
        Ok(retrofits)
    }

    /// The policy variant from its year on: every dwelling of the stock (with the label of a
    /// retrofit of an earlier year) valued under today's rules and under the variant; those
    /// whose maximum rent or segment differ are re-valued at the start of the year, before
    /// that year's interventions (as a retrofit is: the sitting tenant's rent stays, capped
    /// at the new maximum; lettings follow the new maximum and segment; a dwelling that
    /// leaves the social segment leaves DAEB, one that enters it keeps its DAEB status).
    fn prepare_variant(
        &mut self,
        units: &[FlatUnit],
        opts_today: &veerkracht_wws::Options,
        jaar: i32,
        opts_variant: &veerkracht_wws::Options,
        retrofits: &[(usize, u32, String)],
    ) -> Result<(), SimError> {
        let year = (jaar - self.scenario.startjaar) as usize;
        let mut label: HashMap<u32, &str> = HashMap::new();
        for (y, d, l) in retrofits {
            if *y < year {
                label.insert(*d, l);
            }
        }
        let mut out = Vec::new();
        for (d, u) in units.iter().enumerate() {
            let d = d as u32;
            let retrofit = label.get(&d);
            let mut u = u.clone();
            if let Some(l) = retrofit {
                u.energielabel = Some(l.to_string());
            }
            let fail = |e: String| {
                SimError::new(
                    format!("scenario '{}'", self.scenario.naam),
                    "beleidsvariant",
                    format!("dwelling {}: {e}", u.id),
                    "check the variant against the stock",
                )
            };
            // today's maximum rent and segment: the model's, unless an earlier retrofit
            // changed the label
            let today = match retrofit {
                None => (self.d_max_rent[d as usize], self.d_seg[d as usize]),
                Some(_) => {
                    let t = value(&u, opts_today, self.rent_factor).map_err(fail)?;
                    (t.1, t.2)
                }
            };
            let (p, r, s) = value(&u, opts_variant, self.rent_factor).map_err(fail)?;
            if today != (r, s) {
                out.push((d, p, r, s));
            }
        }
        self.acties[year].insert(0, Actie::Verduurzaam(out));
        Ok(())
    }

    /// Points, max rent and kind of a new-build flat in buurt `b` reaching `segment`: the
    /// given size if it reaches the segment, else the nearest size (25–250 m²) that does.
    fn new_build(
        &self,
        b: u32,
        jaar: i32,
        m2: f64,
        label: &str,
        segment: u8,
        opts: &veerkracht_wws::Options,
    ) -> Option<(f32, f32, u8)> {
        let woz_m2 = self.buurten[b as usize].woz_m2.max(1500.0) * 1.15;
        let try_size = |m2: f64| -> Option<(f32, f32, u8)> {
            let u = FlatUnit {
                id: "nieuwbouw".into(),
                buurtcode: None,
                eengezins: false,
                bouwjaar: jaar,
                oppervlakte_m2: m2,
                kamers: ((m2 / self.aannames.invulling.m2_per_kamer).round() as u32).clamp(1, 6),
                energielabel: Some(label.to_string()),
                woz_waarde: (woz_m2 * m2 / 1000.0).round() * 1000.0,
                kale_huur: None,
                aanrecht_mm: None,
                buitenruimte_m2: None,
            };
            let (p, r, s) = value(&u, opts, self.rent_factor).ok()?;
            (s == segment).then_some((
                p,
                r,
                if m2 < 50.0 {
                    KIND_KLEIN
                } else {
                    KIND_MEERGEZINS
                },
            ))
        };
        let base = m2.round() as i32;
        for delta in 0..=225 {
            for s in [base - delta, base + delta] {
                if (25..=250).contains(&s)
                    && let Some(x) = try_size(f64::from(s))
                {
                    return Some(x);
                }
            }
        }
        None
    }

    /// The model replicated `k` times (buurten copied with a suffix): a stand-in for a
    /// larger stock in benchmarks (the national stock is ≈ 100 copies of Veerstad).
    pub fn replicate(&self, k: usize) -> Model {
        let mut m = self.clone();
        let nb = self.buurten.len() as u32;
        for c in 1..k {
            m.buurten.extend(self.buurten.iter().map(|b| Buurt {
                code: format!("{}_{c}", b.code),
                ..b.clone()
            }));
            m.d_buurt
                .extend(self.d_buurt.iter().map(|&b| b + nb * c as u32));
            m.d_kind.extend_from_slice(&self.d_kind);
            m.d_points.extend_from_slice(&self.d_points);
            m.d_max_rent.extend_from_slice(&self.d_max_rent);
            m.d_rent.extend_from_slice(&self.d_rent);
            m.d_seg.extend_from_slice(&self.d_seg);
            m.d_daeb.extend_from_slice(&self.d_daeb);
            let off = (self.complexen * c) as u32;
            m.d_complex.extend(self.d_complex.iter().map(|&x| x + off));
            m.h_class.extend_from_slice(&self.h_class);
            m.h_groups.extend_from_slice(&self.h_groups);
        }
        m.n0 = m.d_buurt.len();
        m.complexen = self.complexen * k.max(1);
        if let Some(c) = &mut m.kwetsbaarheid {
            let all: Vec<u32> = (0..(self.buurten.len() * k.max(1)) as u32)
                .map(|b| b % self.buurten.len() as u32)
                .collect();
            *c = c.subset(&all);
        }
        let f = k as f64;
        m.instroom.iter_mut().for_each(|x| *x *= f);
        m.limiet.iter_mut().flatten().for_each(|x| x.0 *= f);
        m.acties.iter_mut().for_each(Vec::clear);
        m.count_households();
        m
    }

    /// The model replicated `k` times with each copy a housing market of its own (a stand-in
    /// for the national stock: ≈ 100 regions the size of Veerstad).
    pub fn replicate_markets(&self, k: usize) -> Model {
        let mut m = self.replicate(k);
        let nb = self.buurten.len();
        for (i, b) in m.buurten.iter_mut().enumerate() {
            b.markt = (i / nb) as u32;
        }
        m
    }

    /// Number of housing markets.
    pub fn markten(&self) -> usize {
        self.buurten
            .iter()
            .map(|b| b.markt as usize + 1)
            .max()
            .unwrap_or(1)
    }

    /// The housing markets as models of their own: buurten and dwellings of the market
    /// (renumbered), arrivals, contingents and taakstelling in proportion to its dwellings,
    /// interventions of its buurten; hazard, profiles and rules shared.
    pub fn split_markets(&self) -> Vec<Market> {
        let k = self.markten();
        let nb = self.buurten.len();
        let n = self.d_buurt.len();
        let mut local_b = vec![0u32; nb];
        let mut b_of: Vec<Vec<u32>> = vec![Vec::new(); k];
        for (b, x) in self.buurten.iter().enumerate() {
            local_b[b] = b_of[x.markt as usize].len() as u32;
            b_of[x.markt as usize].push(b as u32);
        }
        let mut d_of: Vec<Vec<u32>> = vec![Vec::new(); k];
        let mut local_d = vec![0u32; n];
        for (d, ld) in local_d.iter_mut().enumerate() {
            let mk = self.buurten[self.d_buurt[d] as usize].markt as usize;
            *ld = d_of[mk].len() as u32;
            d_of[mk].push(d as u32);
        }
        let mut out = Vec::with_capacity(k);
        for mk in 0..k {
            let ds = &d_of[mk];
            let pick =
                |d: &u32| self.buurten[self.d_buurt[*d as usize] as usize].markt as usize == mk;
            let sub = |v: &[u32]| -> Vec<u32> {
                v.iter()
                    .filter(|d| pick(d))
                    .map(|&d| local_d[d as usize])
                    .collect()
            };
            let f = ds.len() as f64 / n.max(1) as f64;
            // complexes renumbered within the market (new-build complexes after the stock's)
            let mut cmap: HashMap<u32, u32> = HashMap::new();
            let mut local_c = |c: u32| {
                let next = cmap.len() as u32;
                *cmap.entry(c).or_insert(next)
            };
            let d_complex: Vec<u32> = ds
                .iter()
                .map(|&d| local_c(self.d_complex[d as usize]))
                .collect();
            for year in &self.acties {
                for a in year {
                    if let Actie::Nieuwbouw { buurt, complex, .. } = a
                        && self.buurten[*buurt as usize].markt as usize == mk
                    {
                        local_c(*complex);
                    }
                }
            }
            let complexen = cmap.len();
            let mut m = Model {
                buurten: b_of[mk]
                    .iter()
                    .map(|&b| Buurt {
                        markt: 0,
                        ..self.buurten[b as usize].clone()
                    })
                    .collect(),
                d_buurt: ds
                    .iter()
                    .map(|&d| local_b[self.d_buurt[d as usize] as usize])
                    .collect(),
                d_kind: ds.iter().map(|&d| self.d_kind[d as usize]).collect(),
                d_points: ds.iter().map(|&d| self.d_points[d as usize]).collect(),
                d_max_rent: ds.iter().map(|&d| self.d_max_rent[d as usize]).collect(),
                d_rent: ds.iter().map(|&d| self.d_rent[d as usize]).collect(),
                d_seg: ds.iter().map(|&d| self.d_seg[d as usize]).collect(),
                d_daeb: ds.iter().map(|&d| self.d_daeb[d as usize]).collect(),
                d_complex,
                complexen,
                h_class: ds.iter().map(|&d| self.h_class[d as usize]).collect(),
                h_groups: ds.iter().map(|&d| self.h_groups[d as usize]).collect(),
                instroom: self.instroom.iter().map(|x| x * f).collect(),
                limiet: self
                    .limiet
                    .iter()
                    .map(|l| l.map(|(v, r)| (v * f, r)))
                    .collect(),
                n0: ds.len(),
                acties: self
                    .acties
                    .iter()
                    .map(|year| {
                        year.iter()
                            .filter_map(|a| match a {
                                Actie::Liberaliseer(v) => Some(Actie::Liberaliseer(sub(v))),
                                Actie::Verkoop(v) => Some(Actie::Verkoop(sub(v))),
                                Actie::Sloop(v) => Some(Actie::Sloop(sub(v))),
                                Actie::Verduurzaam(v) => Some(Actie::Verduurzaam(
                                    v.iter()
                                        .filter(|x| pick(&x.0))
                                        .map(|&(d, p, r, s)| (local_d[d as usize], p, r, s))
                                        .collect(),
                                )),
                                Actie::Nieuwbouw {
                                    buurt,
                                    woningen,
                                    voor,
                                    complex,
                                } => (self.buurten[*buurt as usize].markt as usize == mk).then(
                                    || Actie::Nieuwbouw {
                                        buurt: local_b[*buurt as usize],
                                        woningen: woningen.clone(),
                                        voor: *voor,
                                        complex: cmap[complex],
                                    },
                                ),
                            })
                            .collect()
                    })
                    .collect(),
                counts0: Default::default(),
                een0: Vec::new(),
                kwetsbaarheid: self.kwetsbaarheid.as_ref().map(|c| c.subset(&b_of[mk])),
                warnings: Vec::new(),
                scenario: self.scenario.clone(),
                regels: self.regels.clone(),
                aannames: self.aannames.clone(),
                hazard: self.hazard.clone(),
                uitval: self.uitval.clone(),
                stromen: self.stromen.clone(),
                stroom_urgent: self.stroom_urgent.clone(),
                urgent_order: self.urgent_order.clone(),
                profielen: self.profielen.clone(),
                spreiding_mask: self.spreiding_mask,
                kwetsbaar_mask: self.kwetsbaar_mask,
                groep_ids: self.groep_ids.clone(),
                rent_factor: self.rent_factor,
            };
            m.count_households();
            out.push(Market {
                model: m,
                buurten: b_of[mk].clone(),
                woningen: ds.clone(),
            });
        }
        out
    }

    /// Fills [`Model::counts0`] from the sitting households.
    pub fn count_households(&mut self) {
        let nb = self.buurten.len();
        let ng = self.groep_ids.len();
        let mut c = (
            vec![0u32; nb],
            vec![0u32; nb],
            vec![0u32; nb * ng],
            vec![0u32; nb * 4],
        );
        for d in 0..self.d_buurt.len() {
            let b = self.d_buurt[d] as usize;
            let g = self.h_groups[d];
            c.0[b] += 1;
            if g & self.kwetsbaar_mask != 0 {
                c.1[b] += 1;
            }
            c.3[b * 4 + crate::model::class_inc(self.h_class[d]) as usize] += 1;
            for (i, x) in c.2[b * ng..(b + 1) * ng].iter_mut().enumerate() {
                if g & (1 << i) != 0 {
                    *x += 1;
                }
            }
        }
        self.counts0 = c;
        self.een0 = vec![0; nb];
        for d in 0..self.d_buurt.len() {
            if crate::model::class_size(self.h_class[d]) == 0 {
                self.een0[self.d_buurt[d] as usize] += 1;
            }
        }
    }

    /// The number of dwellings at the start.
    pub fn dwellings(&self) -> usize {
        self.d_buurt.len()
    }
}

/// A housing market of a model: its own model (buurten, dwellings, arrivals and limits in
/// proportion to its dwellings) and the global index of each of its buurten and dwellings
/// ([`Model::split_markets`]; the engine runs each on its own).
#[derive(Debug, Clone)]
pub struct Market {
    /// the market's own model
    pub model: Model,
    /// the global buurt index of each of the market model's buurten
    pub buurten: Vec<u32>,
    /// the global dwelling index of each of the market model's dwellings
    pub woningen: Vec<u32>,
}
