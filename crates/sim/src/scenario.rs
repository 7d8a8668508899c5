//! Scenarios as TOML (`data/sim/scenarios/*.toml`): the horizon, the inputs, the allocation
//! policy (free room, lottery, direct mediation, contingents and taakstelling, spreading caps,
//! Rotterdamwet), the rent policy and the interventions per year and buurt. Every section but
//! the header has defaults (those of the baseline), so a policy scenario states only what
//! differs. Unknown keys are refused; errors name the key and the line.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::SimError;
use crate::rules::{Datum, parse_toml};

/// A scenario.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// format version (1)
    pub schema: u32,
    /// the scenario's name as shown to users (at most `MAX_NAAM` characters)
    pub naam: String,
    /// what the scenario tries, for the reader (at most `MAX_OMSCHRIJVING` characters)
    #[serde(default)]
    pub omschrijving: String,
    /// first simulated year (lettings of that year)
    pub startjaar: i32,
    /// number of simulated years
    pub jaren: u32,
    /// the date whose rules (`data/sim/regels.toml`) and WWS tables apply
    pub peildatum: Datum,
    /// `[invoer]`: where the stock, the KWB, the rules and the assumptions come from
    #[serde(default)]
    pub invoer: Invoer,
    /// `[toewijzing]`: the allocation policy
    #[serde(default)]
    pub toewijzing: Toewijzing,
    /// arrivals a year per 1,000 corporation dwellings, per stream id (overrides the assumptions)
    #[serde(default)]
    pub instroom: BTreeMap<String, f64>,
    /// maximum placements a year per 1,000 corporation dwellings, per urgent stream id
    /// (contingent agreements); a stream without one is limited only by `bemiddeling_max`
    #[serde(default)]
    pub contingent: BTreeMap<String, f64>,
    /// like `contingent`, but what is not reached rolls over to the next year (the
    /// statushouder taakstelling, docs/domain.md §4.3)
    #[serde(default)]
    pub taakstelling: BTreeMap<String, f64>,
    /// `[spreiding]`: spreading caps; `None` = no caps
    #[serde(default)]
    pub spreiding: Option<Spreiding>,
    /// `[rotterdamwet]`: the Rotterdamwet in designated buurten; `None` = not applied
    #[serde(default)]
    pub rotterdamwet: Option<Rotterdamwet>,
    /// `[huurbeleid]`: the rent policy
    #[serde(default)]
    pub huurbeleid: Huurbeleid,
    /// per-buurt settings (attractiveness)
    #[serde(default)]
    pub buurt: Vec<BuurtInstelling>,
    /// `[[ingreep]]`: the interventions, each in its year and buurt
    #[serde(default)]
    pub ingreep: Vec<Ingreep>,
    /// `[beleidsvariant]`: a policy variant of the WWS from a year on; `None` = today's rules
    #[serde(default)]
    pub beleidsvariant: Option<Beleidsvariant>,
    /// `[uitvoer]`: what the runs keep
    #[serde(default)]
    pub uitvoer: Uitvoer,
}

/// Where the state comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invoer {
    /// `"demo"` (the Veerstad corporation stock) or a path to a stock CSV in the flat
    /// portfolio form (relative to the scenario file)
    #[serde(default = "demo")]
    pub voorraad: String,
    /// KWB CSV files in order of preference (a value missing in the first is taken from the
    /// next); `"demo"` = Veerstad 2024 then 2023 (income is published a year later)
    #[serde(default = "demo_list")]
    pub kwb: Vec<String>,
    /// `"standaard"` (`data/sim/aannames.toml`) or a path
    #[serde(default = "standaard")]
    pub aannames: String,
    /// `"standaard"` (`data/sim/regels.toml`) or a path
    #[serde(default = "standaard")]
    pub regels: String,
    /// the date of the WWS tables (`data/wws/`) the dwellings are valued with; maximum rents
    /// are converted to money of the scenario's peildatum by the ratio of the rules'
    /// huurtoeslag maximum to the table's rent at the social ceiling (143 points). Default
    /// 2026-01-01, the first complete table.
    #[serde(default = "wws_date")]
    pub wws_peildatum: Datum,
    /// housing markets (woningmarktregio's): `"een"` (default) — the whole stock is one
    /// market, every seeker may take any vacancy — or `"gemeente"` — each gemeente of the
    /// buurt codes (BU + 4 digits) is a market of its own, with its own seekers (arrivals,
    /// contingents and taakstelling in proportion to its dwellings) and its own yearly
    /// quotas. Markets are simulated one after another within a run (each fits in cache).
    #[serde(default = "een")]
    pub woningmarkt: String,
}

fn een() -> String {
    "een".into()
}

fn wws_date() -> Datum {
    Datum {
        jaar: 2026,
        maand: 1,
        dag: 1,
    }
}

fn demo() -> String {
    "demo".into()
}
fn demo_list() -> Vec<String> {
    vec!["demo".into()]
}
fn standaard() -> String {
    "standaard".into()
}

impl Default for Invoer {
    fn default() -> Self {
        Invoer {
            voorraad: demo(),
            kwb: demo_list(),
            aannames: standaard(),
            regels: standaard(),
            wws_peildatum: wws_date(),
            woningmarkt: een(),
        }
    }
}

/// Allocation policy.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Toewijzing {
    /// free room: share of social lettings that may go outside the target group (at most the
    /// rules' local maximum, 15 %)
    pub vrije_ruimte: f64,
    /// probability that a social vacancy is first offered to middle incomes while the free
    /// room allows (corporations rarely use the room, docs/domain.md §1.4)
    pub vrije_ruimte_gebruik: f64,
    /// share of regular lettings by lottery instead of registration time
    pub loting: f64,
    /// maximum share of social lettings by direct mediation (urgency, contingents, taakstelling)
    pub bemiddeling_max: f64,
}

impl Default for Toewijzing {
    fn default() -> Self {
        Toewijzing {
            vrije_ruimte: 0.075,
            vrije_ruimte_gebruik: 0.25,
            loting: 0.10,
            bemiddeling_max: 0.40,
        }
    }
}

/// Spreading caps (docs/domain.md §4.4): per buurt and year, placements of the listed groups may
/// not exceed `max_aandeel` of the buurt's lettings that year (checked at every letting, so
/// the share is never exceeded at any moment) nor `max_aantal`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spreiding {
    /// the group ids whose placements are capped (1 to `MAX_GROEPEN`)
    pub groepen: Vec<String>,
    /// the cap as a share (0–1) of the buurt's lettings that year; `None` = no share cap
    #[serde(default)]
    pub max_aandeel: Option<f64>,
    /// the cap as a count of placements per buurt and year; `None` = no count cap
    #[serde(default)]
    pub max_aantal: Option<u32>,
    /// the same caps per complex (in the buurten the cap applies to): placements of the
    /// groups at most this share of the complex's lettings that year / this count. Complexes
    /// come from the stock's `complex` column, or are derived as buurt × woningtype × decade of
    /// bouwjaar (one building campaign); new-build of one intervention is one complex.
    #[serde(default)]
    pub max_aandeel_complex: Option<f64>,
    /// the count cap per complex and year (see `max_aandeel_complex`)
    #[serde(default)]
    pub max_aantal_complex: Option<u32>,
    /// buurten the cap applies to; empty = all
    #[serde(default)]
    pub buurten: Vec<String>,
}

/// Rotterdamwet (Wbmgp) rules in designated buurten (docs/domain.md §4.4).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotterdamwet {
    /// the designated buurten (buurtcodes)
    pub buurten: Vec<String>,
    /// art. 8: newcomers (fewer than the rules' years in the region) need income from work
    /// or pension
    #[serde(default = "yes")]
    pub art8: bool,
    /// art. 9: share of vacancies in the buurten first offered to households with income
    /// from work
    #[serde(default)]
    pub art9_voorrang_werk: f64,
    /// art. 10: seekers with a screening hit are refused in the buurten
    #[serde(default)]
    pub art10_screening: bool,
}

fn yes() -> bool {
    true
}

/// Rent policy (docs/domain.md §4.6): the rent at re-letting is the streefhuur, a share of the
/// maximum rent by points; sitting tenants' rents rise each year by `verhoging_factor` times
/// the legal maximum increase of the segment, never above the maximum rent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Huurbeleid {
    /// streefhuur of a social dwelling as a share of its maximum rent (default 0.70)
    pub streefhuur_sociaal: f64,
    /// streefhuur of a middenhuur dwelling as a share of its maximum rent (default 0.95)
    pub streefhuur_midden: f64,
    /// streefhuur of a vrije-sector dwelling as a share of its maximum rent (default 1.0)
    pub streefhuur_vrij: f64,
    /// the yearly increase of sitting tenants' rents as a share of the legal maximum
    /// increase (default 1.0: the maximum)
    pub verhoging_factor: f64,
    /// social re-lettings at most at the hoge aftoppingsgrens (keeps them passend for most)
    pub aftoppen: bool,
}

impl Default for Huurbeleid {
    fn default() -> Self {
        Huurbeleid {
            streefhuur_sociaal: 0.70,
            streefhuur_midden: 0.95,
            streefhuur_vrij: 1.0,
            verhoging_factor: 1.0,
            aftoppen: false,
        }
    }
}

/// Per-buurt settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuurtInstelling {
    /// the buurtcode (`BU…`) the setting is for
    pub code: String,
    /// attractiveness (z-score scale) instead of the one derived from WOZ per m²
    pub aantrekkelijkheid: f64,
}

/// Kind of intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Soort {
    /// social dwellings become niet-DAEB at their next vacancy (highest points first)
    Liberalisatie,
    /// dwellings are sold at their next vacancy and leave the stock
    Verkoop,
    /// new dwellings with a segment mix, vacant in the year
    Nieuwbouw,
    /// oldest dwellings demolished; tenants get herhuisvesting urgency
    Sloop,
    /// energy label of the worst-labelled dwellings changed; points, maximum rent and
    /// segment re-valued by veerkracht-wws
    Verduurzaming,
    /// care-home units reserved for the streams in `voor`
    Zorgwoningen,
}

/// Segment shares of new-build.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mix {
    /// share of sociale huur (0–1)
    #[serde(default)]
    pub sociaal: f64,
    /// share of middenhuur (0–1)
    #[serde(default)]
    pub midden: f64,
    /// share of vrije sector (0–1)
    #[serde(default)]
    pub vrij: f64,
}

/// One intervention.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ingreep {
    /// the calendar year the intervention takes effect (from `startjaar` within the horizon)
    pub jaar: i32,
    /// the buurtcode (`BU…`) it applies to
    pub buurt: String,
    /// what is done
    pub soort: Soort,
    /// how many dwellings (`AANTAL`: 1–100,000)
    pub aantal: u32,
    /// nieuwbouw: segment mix (shares add up to 1)
    #[serde(default)]
    pub segmenten: Option<Mix>,
    /// nieuwbouw/zorgwoningen: gebruiksoppervlakte (default 70 m², care units 45 m²)
    #[serde(default)]
    pub oppervlakte_m2: Option<f64>,
    /// nieuwbouw/verduurzaming: energy label after (default A+++ for new-build)
    #[serde(default)]
    pub energielabel: Option<String>,
    /// zorgwoningen: stream ids the units are for (default bw_mo)
    #[serde(default)]
    pub voor: Vec<String>,
}

/// A policy variant of the WWS (`veerkracht_wws::variant`) from a year on: from the first
/// of January of `jaar` every dwelling is valued under it (points, maximum rent, segment; the
/// sitting tenant's rent stays, capped at the new maximum, and lettings follow the new
/// maximum and segment), and so are the year's interventions and later ones.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beleidsvariant {
    /// the calendar year it takes effect (within the horizon)
    pub jaar: i32,
    /// a shipped variant by name (`woz-cap-25`, … in `data/wws/varianten/`) …
    #[serde(default)]
    pub variant: Option<String>,
    /// … or the variant itself (TOML text, at most `MAX_VARIANT_TEKST` bytes)
    #[serde(default)]
    pub tekst: Option<String>,
}

/// The longest variant text a scenario may hold inline (bytes).
pub const MAX_VARIANT_TEKST: usize = 16 * 1024;

impl Beleidsvariant {
    /// The variant, read and validated (errors name the scenario's key).
    pub fn lees(&self) -> Result<veerkracht_wws::variant::Variant, String> {
        match (&self.variant, &self.tekst) {
            (Some(n), None) => {
                let file = if n.ends_with(".toml") {
                    n.clone()
                } else {
                    format!("{n}.toml")
                };
                match veerkracht_wws::variant::Variant::meegeleverd(&file) {
                    Some(v) => v.map_err(|e| e.to_string()),
                    None => Err(format!(
                        "beleidsvariant.variant {n:?} is not a shipped variant ({})",
                        veerkracht_wws::variant::MEEGELEVERD
                            .iter()
                            .map(|(f, _)| f.trim_end_matches(".toml"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            (None, Some(t)) if t.len() <= MAX_VARIANT_TEKST => {
                veerkracht_wws::variant::Variant::parse("beleidsvariant.tekst", t)
                    .map_err(|e| e.to_string())
            }
            (None, Some(t)) => Err(format!(
                "beleidsvariant.tekst has {} bytes; at most {MAX_VARIANT_TEKST}",
                t.len()
            )),
            _ => Err("beleidsvariant: give either variant (a shipped name) or tekst (TOML)".into()),
        }
    }
}

/// Output options.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Uitvoer {
    /// keep per-buurt results of every run (needed for buurt quantiles; off for national runs)
    pub per_buurt: bool,
}

impl Default for Uitvoer {
    fn default() -> Self {
        Uitvoer { per_buurt: true }
    }
}

/// The line of the `n`-th (0-based) occurrence of `needle` in `text`, for error messages.
pub(crate) fn line_of(text: &str, needle: &str, n: usize) -> Option<usize> {
    let mut from = 0;
    for i in 0..=n {
        let p = text[from..].find(needle)? + from;
        if i == n {
            return Some(text[..p].lines().count() + 1);
        }
        from = p + needle.len();
    }
    None
}

pub(crate) const LABELS: [&str; 11] = [
    "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
];

// The range of every number and list a scenario may hold, checked by [`Scenario::parse`]
// (errors name the key, the value and the range). They keep a scenario from a request or a
// file within what the engine can hold; what a run costs in memory and work as a whole is
// estimated from the built model (the `budget` module) before it starts.

/// `startjaar` and the year of `peildatum`.
pub const STARTJAAR: std::ops::RangeInclusive<i32> = 2000..=2100;
/// `jaren`: simulated years.
pub const JAREN: std::ops::RangeInclusive<u32> = 1..=50;
/// `instroom`, `contingent`, `taakstelling`: a year per 1,000 corporation dwellings.
pub const PER_1000: std::ops::RangeInclusive<f64> = 0.0..=500.0;
/// `[[ingreep]] aantal`: dwellings of one intervention.
pub const AANTAL: std::ops::RangeInclusive<u32> = 1..=100_000;
/// `[[buurt]] aantrekkelijkheid` (z-score scale).
pub const AANTREKKELIJKHEID: std::ops::RangeInclusive<f64> = -5.0..=5.0;
/// `spreiding.max_aantal`, `max_aantal_complex`.
pub const MAX_AANTAL: u32 = 1_000_000;
/// Entries of `[instroom]`, `[contingent]`, `[taakstelling]` and of `voor`.
pub const MAX_STROMEN: usize = 32;
/// Entries of `spreiding.groepen`.
pub const MAX_GROEPEN: usize = 16;
/// Entries of a buurt list (`spreiding.buurten`, `rotterdamwet.buurten`, `[[buurt]]`).
pub const MAX_BUURTEN: usize = 20_000;
/// `[[ingreep]]` sections.
pub const MAX_INGREPEN: usize = 1_000;
/// Files in `invoer.kwb`.
pub const MAX_KWB_BESTANDEN: usize = 10;
/// Characters of `naam`.
pub const MAX_NAAM: usize = 100;
/// Characters of `omschrijving`.
pub const MAX_OMSCHRIJVING: usize = 2_000;

impl Scenario {
    /// Parses a scenario; `file` names it in errors. Checks what can be checked without
    /// the stock and the assumptions (those are checked when the model is built).
    pub fn parse(text: &str, file: &str) -> Result<Scenario, SimError> {
        let s: Scenario = parse_toml(
            text,
            file,
            "see data/sim/scenarios/basis.toml for the format (crate veerkracht-sim, scenario.rs)",
        )?;
        let at = |key: &str, needle: &str, n: usize| match line_of(text, needle, n) {
            Some(l) => format!("line {l}: {key}"),
            None => key.to_string(),
        };
        let err = |place: String, msg: String, fix: &str| SimError::new(file, place, msg, fix);
        if s.schema != 1 {
            return Err(err(
                at("schema", "schema", 0),
                format!("schema {} is not supported", s.schema),
                "use schema = 1",
            ));
        }
        // the header: names are shown on pages, years fix the horizon
        let chars = |t: &str| t.chars().count();
        if chars(&s.naam) == 0 || chars(&s.naam) > MAX_NAAM {
            return Err(err(
                at("naam", "naam", 0),
                format!("a name of {} characters", chars(&s.naam)),
                &format!("give a name of 1 to {MAX_NAAM} characters"),
            ));
        }
        if chars(&s.omschrijving) > MAX_OMSCHRIJVING {
            return Err(err(
                at("omschrijving", "omschrijving", 0),
                format!("{} characters", chars(&s.omschrijving)),
                &format!("keep the description to at most {MAX_OMSCHRIJVING} characters"),
            ));
        }
        if !STARTJAAR.contains(&s.startjaar) {
            return Err(err(
                at("startjaar", "startjaar", 0),
                format!(
                    "{} is outside {}–{}",
                    s.startjaar,
                    STARTJAAR.start(),
                    STARTJAAR.end()
                ),
                "give the first simulated year, e.g. 2025",
            ));
        }
        if !JAREN.contains(&s.jaren) {
            return Err(err(
                at("jaren", "jaren", 0),
                format!(
                    "{} years is outside {}–{}",
                    s.jaren,
                    JAREN.start(),
                    JAREN.end()
                ),
                "simulate 1 to 50 years",
            ));
        }
        if !STARTJAAR.contains(&s.peildatum.jaar) {
            return Err(err(
                at("peildatum", "peildatum", 0),
                format!(
                    "{} is outside {}–{}",
                    s.peildatum,
                    STARTJAAR.start(),
                    STARTJAAR.end()
                ),
                "give the date whose rules apply, e.g. 2025-01-01",
            ));
        }
        if s.invoer.kwb.len() > MAX_KWB_BESTANDEN {
            return Err(err(
                at("invoer.kwb", "kwb", 0),
                format!("{} files", s.invoer.kwb.len()),
                &format!("list at most {MAX_KWB_BESTANDEN} KWB files"),
            ));
        }
        let t = &s.toewijzing;
        for (k, v) in [
            ("vrije_ruimte", t.vrije_ruimte),
            ("vrije_ruimte_gebruik", t.vrije_ruimte_gebruik),
            ("loting", t.loting),
            ("bemiddeling_max", t.bemiddeling_max),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(err(
                    at(&format!("toewijzing.{k}"), k, 0),
                    format!("{v} is not a share between 0 and 1"),
                    "write shares as fractions (7.5 % = 0.075)",
                ));
            }
        }
        if !matches!(s.invoer.woningmarkt.as_str(), "een" | "gemeente") {
            return Err(err(
                at("invoer.woningmarkt", "woningmarkt", 0),
                format!(
                    "'{}' is not a housing-market division",
                    s.invoer.woningmarkt
                ),
                "use \"een\" (one market) or \"gemeente\" (each gemeente its own market)",
            ));
        }
        let h = &s.huurbeleid;
        for (k, v) in [
            ("streefhuur_sociaal", h.streefhuur_sociaal),
            ("streefhuur_midden", h.streefhuur_midden),
            ("streefhuur_vrij", h.streefhuur_vrij),
            ("verhoging_factor", h.verhoging_factor),
        ] {
            if !(0.0..=1.0).contains(&v) || (k.starts_with("streef") && v == 0.0) {
                return Err(err(
                    at(&format!("huurbeleid.{k}"), k, 0),
                    format!("{v} is not in (0, 1]"),
                    "streefhuur is a share of the maximum rent; verhoging_factor a share of the legal maximum increase",
                ));
            }
        }
        for (map, name) in [
            (&s.instroom, "instroom"),
            (&s.contingent, "contingent"),
            (&s.taakstelling, "taakstelling"),
        ] {
            if map.len() > MAX_STROMEN {
                return Err(err(
                    at(name, &format!("[{name}]"), 0),
                    format!("{} streams", map.len()),
                    &format!("at most {MAX_STROMEN} streams (the assumptions' stream ids)"),
                ));
            }
            for (k, v) in map {
                if !(v.is_finite() && PER_1000.contains(v)) {
                    return Err(err(
                        at(&format!("{name}.{k}"), k, 0),
                        format!("{v} is outside {}–{}", PER_1000.start(), PER_1000.end()),
                        "a number a year per 1,000 corporation dwellings (the regular stream is 82, urgent streams 1–5; 500 is six times all arrivals together)",
                    ));
                }
            }
        }
        if let Some(sp) = &s.spreiding {
            if sp.max_aandeel.is_none() && sp.max_aantal.is_none() {
                return Err(err(
                    at("spreiding", "[spreiding]", 0),
                    "neither max_aandeel nor max_aantal".into(),
                    "set max_aandeel (share of the buurt's lettings a year) and/or max_aantal",
                ));
            }
            for (k, v) in [
                ("max_aandeel", sp.max_aandeel),
                ("max_aandeel_complex", sp.max_aandeel_complex),
            ] {
                if let Some(a) = v
                    && !(0.0..=1.0).contains(&a)
                {
                    return Err(err(
                        at(&format!("spreiding.{k}"), &format!("{k} "), 0),
                        format!("{a} is not a share"),
                        "write shares as fractions",
                    ));
                }
            }
            for (k, v) in [
                ("max_aantal", sp.max_aantal),
                ("max_aantal_complex", sp.max_aantal_complex),
            ] {
                if let Some(n) = v
                    && n > MAX_AANTAL
                {
                    return Err(err(
                        at(&format!("spreiding.{k}"), &format!("{k} "), 0),
                        format!("{n} is outside 0–{MAX_AANTAL}"),
                        "a number of placements per buurt (or complex) and year",
                    ));
                }
            }
            if sp.groepen.len() > MAX_GROEPEN || sp.buurten.len() > MAX_BUURTEN {
                return Err(err(
                    at("spreiding", "[spreiding]", 0),
                    format!("{} groups, {} buurten", sp.groepen.len(), sp.buurten.len()),
                    &format!("list at most {MAX_GROEPEN} groups and {MAX_BUURTEN} buurten"),
                ));
            }
            if sp.groepen.is_empty() {
                return Err(err(
                    at("spreiding.groepen", "[spreiding]", 0),
                    "no groups".into(),
                    "list the group ids the cap applies to, e.g. [\"ggz_bw_mo\", \"detentie\"]",
                ));
            }
        }
        if let Some(r) = &s.rotterdamwet
            && !(0.0..=1.0).contains(&r.art9_voorrang_werk)
        {
            return Err(err(
                at("rotterdamwet.art9_voorrang_werk", "art9_voorrang_werk", 0),
                format!("{} is not a share", r.art9_voorrang_werk),
                "the share of vacancies first offered to working households",
            ));
        }
        if let Some(r) = &s.rotterdamwet
            && r.buurten.len() > MAX_BUURTEN
        {
            return Err(err(
                at("rotterdamwet.buurten", "[rotterdamwet]", 0),
                format!("{} buurten", r.buurten.len()),
                &format!("list at most {MAX_BUURTEN} buurten"),
            ));
        }
        if s.buurt.len() > MAX_BUURTEN {
            return Err(err(
                at("buurt", "[[buurt]]", 0),
                format!("{} [[buurt]] sections", s.buurt.len()),
                &format!("give at most {MAX_BUURTEN} buurt settings"),
            ));
        }
        for (i, b) in s.buurt.iter().enumerate() {
            if !(b.aantrekkelijkheid.is_finite()
                && AANTREKKELIJKHEID.contains(&b.aantrekkelijkheid))
            {
                return Err(err(
                    at(&format!("buurt[{i}].aantrekkelijkheid"), "[[buurt]]", i),
                    format!(
                        "{} is outside {}–{}",
                        b.aantrekkelijkheid,
                        AANTREKKELIJKHEID.start(),
                        AANTREKKELIJKHEID.end()
                    ),
                    "attractiveness is on a z-score scale (0 = average buurt)",
                ));
            }
        }
        if s.ingreep.len() > MAX_INGREPEN {
            return Err(err(
                at("ingreep", "[[ingreep]]", 0),
                format!("{} interventions", s.ingreep.len()),
                &format!("give at most {MAX_INGREPEN} [[ingreep]] sections"),
            ));
        }
        if let Some(b) = &s.beleidsvariant {
            let place = |k: &str| at(&format!("beleidsvariant.{k}"), "[beleidsvariant]", 0);
            if b.jaar < s.startjaar || b.jaar >= s.startjaar + s.jaren as i32 {
                return Err(err(
                    place("jaar"),
                    format!(
                        "{} is outside the horizon {}–{}",
                        b.jaar,
                        s.startjaar,
                        s.startjaar + s.jaren as i32 - 1
                    ),
                    "use a year within startjaar and startjaar + jaren − 1",
                ));
            }
            if let Err(e) = b.lees() {
                return Err(err(
                    place(if b.tekst.is_some() {
                        "tekst"
                    } else {
                        "variant"
                    }),
                    e,
                    "name a shipped variant (data/wws/varianten/) or give its TOML (schema in data/wws/README.md)",
                ));
            }
        }
        for (i, g) in s.ingreep.iter().enumerate() {
            let place = |k: &str| at(&format!("ingreep[{i}].{k}"), "[[ingreep]]", i);
            if !AANTAL.contains(&g.aantal) {
                return Err(err(
                    place("aantal"),
                    format!(
                        "{} is outside {}–{}",
                        g.aantal,
                        AANTAL.start(),
                        AANTAL.end()
                    ),
                    "the number of dwellings the intervention concerns",
                ));
            }
            if g.voor.len() > MAX_STROMEN {
                return Err(err(
                    place("voor"),
                    format!("{} streams", g.voor.len()),
                    &format!("list at most {MAX_STROMEN} stream ids"),
                ));
            }
            if g.jaar < s.startjaar || g.jaar >= s.startjaar + s.jaren as i32 {
                return Err(err(
                    place("jaar"),
                    format!(
                        "{} is outside the horizon {}–{}",
                        g.jaar,
                        s.startjaar,
                        s.startjaar + s.jaren as i32 - 1
                    ),
                    "use a year within startjaar and startjaar + jaren − 1",
                ));
            }
            match (g.soort, &g.segmenten) {
                (Soort::Nieuwbouw, None) => {
                    return Err(err(
                        place("segmenten"),
                        "nieuwbouw without segmenten".into(),
                        "add segmenten = { sociaal = 0.5, midden = 0.5 }",
                    ));
                }
                (Soort::Nieuwbouw, Some(m)) => {
                    let sum = m.sociaal + m.midden + m.vrij;
                    if (sum - 1.0).abs() > 1e-6 || m.sociaal < 0.0 || m.midden < 0.0 || m.vrij < 0.0
                    {
                        return Err(err(
                            place("segmenten"),
                            format!("shares add up to {sum}, not 1"),
                            "the segment shares of new-build must add up to 1",
                        ));
                    }
                }
                (_, Some(_)) => {
                    return Err(err(
                        place("segmenten"),
                        "segmenten only applies to nieuwbouw".into(),
                        "remove segmenten",
                    ));
                }
                _ => {}
            }
            if g.soort == Soort::Verduurzaming && g.energielabel.is_none() {
                return Err(err(
                    place("energielabel"),
                    "verduurzaming without energielabel".into(),
                    "add energielabel = \"A\" (the label after the retrofit)",
                ));
            }
            if let Some(l) = &g.energielabel
                && !LABELS.contains(&l.as_str())
            {
                return Err(err(
                    place("energielabel"),
                    format!("unknown label '{l}'"),
                    "use A++++, A+++, A++, A+, A, B, C, D, E, F or G",
                ));
            }
            if let Some(m2) = g.oppervlakte_m2
                && !(15.0..=400.0).contains(&m2)
            {
                return Err(err(
                    place("oppervlakte_m2"),
                    format!("{m2} m²"),
                    "a dwelling of 15 to 400 m²",
                ));
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str =
        "schema = 1\nnaam = \"x\"\nstartjaar = 2025\njaren = 5\npeildatum = 2025-01-01\n";

    #[test]
    fn defaults_and_errors() {
        let s = Scenario::parse(MIN, "x.toml").unwrap();
        assert_eq!(s.toewijzing.vrije_ruimte, 0.075);
        assert_eq!(s.invoer.voorraad, "demo");
        let e = Scenario::parse(&format!("{MIN}[toewijzing]\nlotting = 0.2\n"), "x.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("lotting") && e.contains("line 7"), "{e}");
        let e = Scenario::parse(&format!("{MIN}[toewijzing]\nloting = 2\n"), "x.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("toewijzing.loting") && e.contains("line 7"),
            "{e}"
        );
        let text = format!(
            "{MIN}[[ingreep]]\njaar = 2026\nbuurt = \"BU1\"\nsoort = \"nieuwbouw\"\naantal = 3\n"
        );
        let e = Scenario::parse(&text, "x.toml").unwrap_err().to_string();
        assert!(
            e.contains("ingreep[0].segmenten") && e.contains("line 6"),
            "{e}"
        );
        let e = Scenario::parse(&MIN.replace("jaren = 5", "jaren = 0"), "x.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("jaren"), "{e}");
    }

    /// Every count and rate has a range, checked at parse time with the key, the value, the
    /// range and the line (issue 21: `urgentie = 1e15` aborted the server).
    #[test]
    fn every_number_has_a_range() {
        let cases = [
            (
                "[instroom]\nurgentie = 1e15\n",
                "instroom.urgentie",
                "0–500",
            ),
            (
                "[instroom]\nurgentie = 500.5\n",
                "instroom.urgentie",
                "0–500",
            ),
            ("[contingent]\nbw_mo = 1e15\n", "contingent.bw_mo", "0–500"),
            (
                "[taakstelling]\nstatushouder = inf\n",
                "taakstelling.statushouder",
                "0–500",
            ),
            ("[instroom]\nregulier = nan\n", "instroom.regulier", "0–500"),
            (
                "[[ingreep]]\njaar = 2026\nbuurt = \"B\"\nsoort = \"sloop\"\naantal = 100001\n",
                "ingreep[0].aantal",
                "1–100000",
            ),
            (
                "[[ingreep]]\njaar = 2026\nbuurt = \"B\"\nsoort = \"sloop\"\naantal = 0\n",
                "ingreep[0].aantal",
                "1–100000",
            ),
            (
                "[[buurt]]\ncode = \"B\"\naantrekkelijkheid = 6.0\n",
                "buurt[0].aantrekkelijkheid",
                "-5–5",
            ),
            (
                "[spreiding]\ngroepen = [\"g\"]\nmax_aantal = 2000000\n",
                "spreiding.max_aantal",
                "0–1000000",
            ),
        ];
        for (extra, key, range) in cases {
            let e = Scenario::parse(&format!("{MIN}{extra}"), "x.toml")
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(key) && e.contains(range) && e.contains("line"),
                "{extra}: {e}"
            );
        }
        for (from, to, key) in [
            ("startjaar = 2025", "startjaar = 2147483647", "startjaar"),
            ("startjaar = 2025", "startjaar = 1999", "startjaar"),
            (
                "peildatum = 2025-01-01",
                "peildatum = 2101-01-01",
                "peildatum",
            ),
            ("naam = \"x\"", "naam = \"\"", "naam"),
            ("jaren = 5", "jaren = 51", "jaren"),
        ] {
            let e = Scenario::parse(&MIN.replace(from, to), "x.toml")
                .unwrap_err()
                .to_string();
            assert!(e.contains(key), "{to}: {e}");
        }
        // the edges are accepted
        let ok = format!("{MIN}[instroom]\nurgentie = 500.0\n[contingent]\nbw_mo = 0.0\n");
        Scenario::parse(&ok, "x.toml").unwrap();
    }
}
