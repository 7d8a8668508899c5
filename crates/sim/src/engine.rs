//! One Monte Carlo run: the yearly cycle over a copy of the [`Model`]'s state.
//!
//! Every year: (1) the year's interventions; (2) seekers arrive per stream (registration
//! dates spread over the year; regular seekers draw when they stop searching); (3) the
//! tenancies whose drawn duration ends this year leave, dwellings flagged for sale leave the
//! stock, dwellings flagged for liberalisation become niet-DAEB; (4) the vacancies (left-over,
//! new and new-build) are let in random order at evenly spaced moments of the year;
//! (5) sitting tenants' rents rise; queues drop placed and stopped seekers; the year's
//! numbers are recorded.
//!
//! Letting a vacancy (all checks are made at every letting, so no share is exceeded at any
//! moment of a year, let alone at its end):
//! 1. Care units go to their reserved streams only.
//! 2. Direct mediation (social DAEB dwellings), while lettings by mediation stay within
//!    `bemiddeling_max` of the year's social lettings: urgent streams in priority order
//!    (herhuisvesting first), each within its contingent / taakstelling, first eligible seeker
//!    in order of urgency date; the seeker accepts with `urgent_accepteert`.
//! 3. Free room: with probability `vrije_ruimte_gebruik`, and while lettings outside the
//!    target group stay within `vrije_ruimte` of the year's social lettings, offered to
//!    middle incomes by registration time.
//! 4. Rotterdamwet art. 9: in designated buurten, with probability `art9_voorrang_werk`,
//!    offered first to households with income from work.
//! 5. Lottery with probability `loting`, else registration time, over the target group
//!    (DAEB) or everyone who can afford it (niet-DAEB).
//!
//! Eligibility is decided per class of seekers (income class × size × work × vulnerable;
//! one queue per class ordered by registration date, so a vacancy looks at the queue heads
//! instead of scanning seekers): the DAEB income limit (target group), passend toewijzen
//! (huurtoeslag incomes at or below the aftoppingsgrens for their size, exceptions within
//! 5 %), spreading caps (vulnerable classes closed when the buurt's cap is reached). Per
//! seeker: Rotterdamwet art. 8 (no income from work and fewer than 6 years in the region)
//! and art. 10 (screening hit), and affordability for niet-DAEB rents (monthly income ≥
//! `inkomenseis_huurfactor` × rent). A seeker accepts an offer with the logistic
//! probability of `[voorkeur]`, which depends on the buurt's attractiveness and its current
//! share of vulnerable tenants; a declined offer goes to the next candidate (at most
//! `max_aanbiedingen` offers, then the dwelling stays vacant until next year).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{
    Actie, CLASSES, Model, SEG_SOCIAAL, SEG_VRIJ, class_inc, class_size, class_vuln, class_work,
};
use crate::rules::Soort as StroomSoort;
use crate::stop::{Stop, Stopped};

const NONE: u32 = u32::MAX;
const NO_EXIT: u16 = u16::MAX;
const NO_START: i16 = i16::MIN;

const F_ACTIVE: u8 = 1;
const F_DAEB: u8 = 2;
const F_SELL: u8 = 4;
const F_LIB: u8 = 8;
/// in the list of dwellings whose rent is updated one by one (not social at some moment)
const F_NONSOC: u8 = 16;

const WAITING: u8 = 0;
const PLACED: u8 = 1;
const STOPPED: u8 = 2;

/// How a letting was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kanaal {
    /// a care unit let to a stream it is reserved for
    Zorg,
    /// direct mediation of an urgent stream (social DAEB dwellings, within `bemiddeling_max`)
    Bemiddeling,
    /// the vrije ruimte: offered to middle incomes outside the target group
    VrijeRuimte,
    /// Rotterdamwet art. 9: priority for households with income from work
    Art9,
    /// by lottery among the eligible seekers
    Loting,
    /// by registration time (inschrijfduur), the longest-waiting eligible seeker first
    Inschrijfduur,
}

/// One letting (recorded when auditing).
#[derive(Debug, Clone, PartialEq)]
pub struct Letting {
    /// the simulated year (0 = the first year of the scenario)
    pub jaar: usize,
    /// the dwelling's index in the [`Model`]
    pub woning: u32,
    /// the buurt's index in [`Model::buurten`]
    pub buurt: u32,
    /// the household's id
    pub huishouden: u32,
    /// the household's eligibility class ([`crate::model::class_of`])
    pub klasse: u8,
    /// bit set of the household's groups ([`Model::groep_ids`])
    pub groepen: u16,
    /// the household's income, euro a year
    pub inkomen: f32,
    /// the rent it was let at, euro a month
    pub huur: f32,
    /// whether the dwelling is DAEB (social) at the letting
    pub daeb: bool,
    /// the seeker's stream (index into [`Model::stromen`])
    pub stroom: u8,
    /// how the letting was made
    pub kanaal: Kanaal,
    /// the buurt's lettings and spreading-group lettings this year before this one
    pub buurt_verhuringen_voor: u32,
    /// the buurt's lettings to the spreading groups this year before this one
    pub buurt_spreiding_voor: u32,
    /// the dwelling's complex and its lettings and spreading-group lettings this year before
    /// this one (complex ids are per housing market)
    pub complex: u32,
    /// the complex's lettings this year before this one
    pub complex_verhuringen_voor: u32,
    /// the complex's lettings to the spreading groups this year before this one
    pub complex_spreiding_voor: u32,
    /// whether the buurt is designated under the Rotterdamwet
    pub rotterdamwet: bool,
    /// whether the household has lived in the region at least the Rotterdamwet's years (6)
    pub regio_6jaar: bool,
    /// whether the household has a screening hit (Rotterdamwet art. 10)
    pub screening: bool,
}

/// Household and seeker accounts of a run (every flow explicit).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accounts {
    /// households in the stock at the start (one per dwelling)
    pub huishoudens_start: u64,
    /// households from outside the stock placed (new arrivals)
    pub instroom: u64,
    /// tenancies ended by the exit hazard (the household leaves the stock)
    pub uitstroom: u64,
    /// households moved out by demolition (become herhuisvesting seekers)
    pub sloop_uit: u64,
    /// herhuisvesting seekers placed again
    pub herhuisvest: u64,
    /// households in the stock at the end (occupied dwellings)
    pub huishoudens_eind: u64,
    /// seekers waiting at the start (the regular pool and the urgent backlog)
    pub zoekers_start: u64,
    /// seekers that arrived during the run (all streams)
    pub zoekers_aankomst: u64,
    /// seekers placed in a dwelling
    pub zoekers_geplaatst: u64,
    /// seekers that stopped searching (their search time ran out, or the dwelling of a
    /// mover within the stock left the stock)
    pub zoekers_gestopt: u64,
    /// seekers still waiting at the end
    pub zoekers_eind: u64,
    /// household ids held by two dwellings at the end (must be 0)
    pub dubbel: u64,
    /// tenancies started in a year whose first `venster_jaren` years lie within the horizon,
    /// and how many of them ended by the exit hazard within those years (the "42 % of new
    /// tenants leave within 5 years" of the calibration, measured in the run)
    pub nieuw_cohort: u64,
    /// of `nieuw_cohort`, the tenancies that ended within the window
    pub nieuw_vertrokken: u64,
    /// households that started looking for another dwelling in the stock (moves within the
    /// stock, `verloop.doorstroom`), and those placed (each freed its dwelling)
    pub doorstroom_zoekers: u64,
    /// of `doorstroom_zoekers`, those placed
    pub doorstroom: u64,
}

/// The result of one run.
#[derive(Debug, Clone, Default)]
pub struct RunOutput {
    /// years × region metrics
    pub regio: Vec<f32>,
    /// years × buurten × buurt metrics (empty when `uitvoer.per_buurt` is off)
    pub buurt: Vec<f32>,
    /// the run's household and seeker accounts
    pub accounts: Accounts,
    /// every letting, in order (empty unless the run was audited)
    pub audit: Vec<Letting>,
    /// offers evaluated (allocation decisions) and lettings
    pub aanbiedingen: u64,
    /// lettings made
    pub verhuringen: u64,
}

/// Names of the metrics (region and buurt), fixed for a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// the region metrics' names, in the order of a row of [`RunOutput::regio`] (the
    /// `R_*` indices)
    pub regio: Vec<String>,
    /// the buurt metrics' names, in the order of a row of [`RunOutput::buurt`] (the `B_*`
    /// indices)
    pub buurt: Vec<String>,
}

// buurt metric indices (a year's row of a buurt); shares are 0–1, NaN when the base is 0
/// `huishoudens`: households in the buurt's corporation stock at the end of the year
pub const B_HH: usize = 0;
/// `aandeel_kwetsbaar`: share of those households that are kwetsbaar
pub const B_KWETSBAAR: usize = 1;
/// `aandeel_kwetsbaar_hele_buurt`: the same share over the whole buurt (the static
/// non-corporation background included)
pub const B_KWETSBAAR_BUURT: usize = 2;
/// `aandeel_inkomen_i0` … `_i3`: share of households per income class (4 slots)
pub const B_INK: usize = 3; // 4
/// `verhuringen`: lettings in the buurt this year
pub const B_VERHUUR: usize = 7;
/// `verhuringen_kwetsbaar`: lettings to kwetsbare households this year
pub const B_VERHUUR_KW: usize = 8;
/// `aandeel_kwetsbaar_instroom`: kwetsbare lettings as a share of the year's lettings
pub const B_INSTROOM_KW: usize = 9;
/// `geblokkeerd`: lettings where the spreading cap closed the vulnerable classes
pub const B_GEBLOKKEERD: usize = 10;
/// `mutatiegraad`: tenancies ended this year as a share of the households at its start
pub const B_MUTATIE: usize = 11;
/// `gem_huur`: mean rent of the occupied dwellings, euro a month
pub const B_HUUR: usize = 12;
/// `gem_max_huur`: mean maximum rent (WWS) of the occupied dwellings, euro a month
pub const B_MAXHUUR: usize = 13;
/// `aandeel_sociaal`, `_midden`, `_vrij`: share of the buurt's dwellings per segment (3 slots)
pub const B_SEG: usize = 14; // 3
/// `woningen`: dwellings in the stock (let or vacant)
pub const B_WONINGEN: usize = 17;
/// `wachttijd_regulier`: mean waiting time of the year's regular (non-urgent) placements,
/// years
pub const B_WACHT: usize = 18;
/// `leegstand`: dwellings vacant at the end of the year
pub const B_LEEG: usize = 19;
/// `plaatsingen_loting`: lettings by lottery this year
pub const B_LOTING: usize = 20;
/// `aandeel_{group}`: share of households per group (one slot per group), then
/// `plaatsingen_{stream}` (placements per stream), then the `kwetsbaarheidscomponent`
/// (the index's vulnerability component, 0–100, higher = more veerkracht; NaN without it)
pub const B_GROEP: usize = 21; // G, then streams

// additive sums per year (see `region_rows`)
const S_LETS: usize = 0;
const S_SOCIAL: usize = 1;
const S_NONTARGET: usize = 2;
const S_PASSEND_N: usize = 3;
const S_PASSEND_E: usize = 4;
const S_MEDIATED: usize = 5;
const S_OFFERS: usize = 6;
const S_STOPPED: usize = 7;
const S_VACANT: usize = 8;
const S_RENT: usize = 9;
const S_RENT_N: usize = 10;
const S_SEG: usize = 11; // 3
const S_NACT: usize = 14;
const S_WKW: usize = 15;
const S_WKW_N: usize = 16;
const S_WOT: usize = 17;
const S_WOT_N: usize = 18;
const S_EXITS: usize = 19;
const S_LOTTERY: usize = 20;
const S_BLOCKED: usize = 21;
const S_MOVES: usize = 22;
const S_STROOM: usize = 23; // per stream: placed, waiting-time sum and count, waiting

// region metric indices (a year's row of the region); shares are 0–1, NaN when the base is 0
/// `huishoudens`: households in the corporation stock at the end of the year
pub const R_HH: usize = 0;
/// `aandeel_kwetsbaar`: share of those households that are kwetsbaar
pub const R_KWETSBAAR: usize = 1;
/// `dissimilariteit`: the index of dissimilarity of kwetsbare against other households
/// over the buurten, ½ Σ |kᵢ/K − oᵢ/O| (0 = evenly spread, 1 = fully separated)
pub const R_DISSIMILARITEIT: usize = 2;
/// `isolatie`: the isolation index Σ (kᵢ/K)·(kᵢ/hᵢ), the share of kwetsbare households in
/// the buurt of the average kwetsbare household
pub const R_ISOLATIE: usize = 3;
/// `hoogste_buurtaandeel_kwetsbaar`: the highest buurt share of kwetsbare households
/// (buurten of at least 20 households)
pub const R_MAX_AANDEEL: usize = 4;
/// `hoogste_buurtaandeel_kwetsbare_plaatsingen`: the largest share of the year's
/// kwetsbare lettings that went to one buurt
pub const R_MAX_PLAATSING: usize = 5;
/// `verhuringen`: lettings this year
pub const R_VERHUUR: usize = 6;
/// `verhuringen_kwetsbaar`: lettings to kwetsbare households this year
pub const R_VERHUUR_KW: usize = 7;
/// `vrije_ruimte_benut`: social lettings outside the target group as a share of the
/// year's social lettings
pub const R_VRIJE_RUIMTE: usize = 8;
/// `aandeel_doelgroep`: social lettings to the target group as a share of social lettings
pub const R_DOELGROEP: usize = 9;
/// `aandeel_passend`: share of the social lettings to huurtoeslag incomes that were
/// passend (rent at or below the aftoppingsgrens)
pub const R_PASSEND: usize = 10;
/// `aandeel_bemiddeling`: lettings by direct mediation as a share of social lettings
pub const R_BEMIDDELING: usize = 11;
/// `aanbiedingen`: offers made this year
pub const R_AANBIEDINGEN: usize = 12;
/// `uitval_zoekers`: regular seekers that stopped searching this year
pub const R_UITVAL: usize = 13;
/// `leegstand`: dwellings vacant at the end of the year
pub const R_LEEG: usize = 14;
/// `gem_huur`: mean rent of the occupied dwellings, euro a month
pub const R_HUUR: usize = 15;
/// `aandeel_sociaal`, `_midden`, `_vrij`: share of the dwellings per segment (3 slots)
pub const R_SEG: usize = 16; // 3
/// `wachttijd_kwetsbaar`: mean waiting time of the year's kwetsbare placements, years
pub const R_WACHT_KW: usize = 19;
/// `wachttijd_overig`: mean waiting time of the year's other placements, years
pub const R_WACHT_OVERIG: usize = 20;
/// `vertrek`: tenancies ended by the exit hazard this year
pub const R_VERTREK: usize = 21;
/// `woningen`: dwellings in the stock at the end of the year
pub const R_WONINGEN: usize = 22;
/// `plaatsingen_loting`: lettings by lottery this year
pub const R_LOTING: usize = 23;
/// `geblokkeerd`: lettings where the spreading cap closed the vulnerable classes
pub const R_GEBLOKKEERD: usize = 24;
/// per stream three slots: `plaatsingen_{s}` (placements this year), `wachttijd_{s}`
/// (their mean waiting time, years) and `wachtend_{s}` (seekers waiting at the end of the
/// year); then `doorstroom` (moves within the stock this year)
pub const R_STROOM: usize = 25; // per stream: plaatsingen, wachttijd, wachtend

impl Metrics {
    /// The metric names of a model (they depend on its groups and streams).
    pub fn of(m: &Model) -> Metrics {
        let out = Self::names(m);
        debug_assert_eq!(
            out.buurt.len(),
            B_GROEP + m.groep_ids.len() + m.stromen.len() + 1
        );
        out
    }

    fn names(m: &Model) -> Metrics {
        let mut buurt: Vec<String> = [
            "huishoudens",
            "aandeel_kwetsbaar",
            "aandeel_kwetsbaar_hele_buurt",
            "aandeel_inkomen_i0",
            "aandeel_inkomen_i1",
            "aandeel_inkomen_i2",
            "aandeel_inkomen_i3",
            "verhuringen",
            "verhuringen_kwetsbaar",
            "aandeel_kwetsbaar_instroom",
            "geblokkeerd",
            "mutatiegraad",
            "gem_huur",
            "gem_max_huur",
            "aandeel_sociaal",
            "aandeel_midden",
            "aandeel_vrij",
            "woningen",
            "wachttijd_regulier",
            "leegstand",
            "plaatsingen_loting",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        buurt.extend(m.groep_ids.iter().map(|g| format!("aandeel_{g}")));
        buurt.extend(m.stromen.iter().map(|s| format!("plaatsingen_{s}")));
        // the index's vulnerability component (0-100, higher = more veerkracht)
        buurt.push("kwetsbaarheidscomponent".into());
        let mut regio: Vec<String> = [
            "huishoudens",
            "aandeel_kwetsbaar",
            "dissimilariteit",
            "isolatie",
            "hoogste_buurtaandeel_kwetsbaar",
            "hoogste_buurtaandeel_kwetsbare_plaatsingen",
            "verhuringen",
            "verhuringen_kwetsbaar",
            "vrije_ruimte_benut",
            "aandeel_doelgroep",
            "aandeel_passend",
            "aandeel_bemiddeling",
            "aanbiedingen",
            "uitval_zoekers",
            "leegstand",
            "gem_huur",
            "aandeel_sociaal",
            "aandeel_midden",
            "aandeel_vrij",
            "wachttijd_kwetsbaar",
            "wachttijd_overig",
            "vertrek",
            "woningen",
            "plaatsingen_loting",
            "geblokkeerd",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for s in &m.stromen {
            regio.push(format!("plaatsingen_{s}"));
            regio.push(format!("wachttijd_{s}"));
            regio.push(format!("wachtend_{s}"));
        }
        // moves within the stock (verloop.doorstroom)
        regio.push("doorstroom".into());
        Metrics { regio, buurt }
    }
}

// class masks (class = ((inc · 3 + size) · 2 + work) · 2 + vulnerable)
macro_rules! mask_where {
    (|$c:ident| $e:expr) => {{
        let mut m = 0u64;
        let mut $c = 0u8;
        while ($c as usize) < CLASSES {
            if $e {
                m |= 1 << $c;
            }
            $c += 1;
        }
        m
    }};
}
const ALL: u64 = (1u64 << CLASSES) - 1;
const TARGET: u64 = mask_where!(|c| c / 12 <= 1);
const INC0: u64 = mask_where!(|c| c / 12 == 0);
const INC2: u64 = mask_where!(|c| c / 12 == 2);
const INC0_SMALL: u64 = mask_where!(|c| c / 12 == 0 && (c / 4) % 3 < 2);
const WORK: u64 = mask_where!(|c| (c / 2) % 2 == 1);
const VULN: u64 = mask_where!(|c| c % 2 == 1);
/// the acceptance table's column of a class: vulnerable (bit 0), income class 0 (bit 1)
const ACC_KEY: [u8; CLASSES] = {
    let mut k = [0u8; CLASSES];
    let mut c = 0;
    while c < CLASSES {
        k[c] = (c % 2) as u8 | (((c / 12 == 0) as u8) << 1);
        c += 1;
    }
    k
};

/// A seeker: the fields an offer reads, in one 16-byte record (one cache line holds four).
#[derive(Debug, Clone, Copy)]
struct Seeker {
    /// registration (or urgency) date, years from the start
    reg: f32,
    /// income a year
    income: f32,
    groups: u16,
    /// the year the seeker stops searching (regular seekers)
    stop_year: u16,
    state: u8,
    class: u8,
    /// bit 0: at least the Rotterdamwet years in the region; bit 1: screening hit
    flags: u8,
    stream: u8,
}

const _: () = assert!(std::mem::size_of::<Seeker>() == 16);

/// A dwelling and its tenancy: the fields a letting or an exit reads, in one record.
#[derive(Debug, Clone, Copy)]
struct Dwelling {
    buurt: u32,
    max_rent: f32,
    /// the rent (a base for social dwellings, see `SimState::social_rent_factor`)
    rent: f32,
    /// household id, NONE = vacant
    tenant: u32,
    /// the year the tenancy ends (NO_EXIT = after the horizon)
    exit: u16,
    /// bit set of streams a care unit is reserved for (0 = none)
    care: u16,
    /// the year the tenancy started (negative: before the simulation; NO_START = none)
    start: i16,
    complex: u32,
    t_groups: u16,
    kind: u8,
    seg: u8,
    flags: u8,
    t_class: u8,
}

struct Year {
    /// moves within the stock (placed movers)
    moves: u32,
    social: u32,
    nontarget: u32,
    passend_n: u32,
    passend_e: u32,
    mediated: u32,
    offers: u64,
    exits: u32,
    stopped: u32,
    lottery: u32,
    blocked: u32,
    wait_kw: (f64, u32),
    wait_other: (f64, u32),
}

/// The state of one Monte Carlo run: the dwellings, the seekers and their queues, the
/// per-buurt counts and the year's counters, advanced year by year by the engine.
struct SimState<'m> {
    m: &'m Model,
    rng: ChaCha8Rng,
    year: usize,
    years: usize,
    nb: usize,
    ng: usize,
    ns: usize,
    audit: bool,
    // dwellings
    dwellings: Vec<Dwelling>,
    buckets: Vec<Vec<u32>>,
    vacant: Vec<u32>,
    // rents and segments per buurt, kept up to date at every change instead of a yearly pass
    // over all dwellings: a social dwelling's `rent` is a base, its rent being base ×
    // `social_rent_factor` (the yearly increase of sitting tenants' social rents never reaches
    // the maximum rent, the factor being at most 1, so all social rents move together); other
    // segments' rents can reach their maximum and are updated one by one
    // (`nonsocial_dwellings`, few dwellings)
    /// the factor every social dwelling's base rent is multiplied by (1 at the start)
    social_rent_factor: f64,
    /// per buurt: the sum of the base rents of its occupied social dwellings
    social_base_rent_sum: Vec<f64>,
    /// per buurt: the sum of the maximum rents of its occupied dwellings
    max_rent_sum: Vec<f64>,
    /// per buurt: active dwellings per segment (sociaal, midden, vrij)
    segment_counts: Vec<[u32; 3]>,
    /// dwellings that were not social at some moment (flag `F_NONSOC`), whose rents are
    /// raised one by one
    nonsocial_dwellings: Vec<u32>,
    /// per buurt: the sum of the rents of its occupied non-social dwellings, recomputed at
    /// every year's rent increase
    nonsocial_rent_sum: Vec<f64>,
    // seekers
    /// the fields an offer reads, one 16-byte record per seeker
    seekers: Vec<Seeker>,
    s_hh: Vec<u32>,
    /// the dwelling a seeker moving within the stock lives in (NONE = from outside; only
    /// as long as the last such seeker)
    s_home: Vec<u32>,
    /// this year's new movers, not yet in their queues
    movers: Vec<u32>,
    /// dwellings freed by movers, to be let at once
    chain: Vec<u32>,
    /// per class the waiting regular seekers in order of registration: seeker id in the low
    /// 32 bits, the year it stops searching above (so the yearly compaction reads no seeker)
    q: Vec<Vec<u64>>,
    /// bit s: seeker s is waiting (the queues' scans read this, not the seeker records)
    wb: Vec<u64>,
    qh: [usize; CLASSES],
    /// registration date of the first waiting seeker per class (∞ = none)
    hreg: [f32; CLASSES],
    uq: Vec<Vec<u32>>,
    uh: Vec<usize>,
    next_hh: u32,
    // persistent per-buurt counts
    hh: Vec<u32>,
    kw: Vec<u32>,
    grp: Vec<u32>,
    inc: Vec<u32>,
    /// one-person households per buurt
    een: Vec<u32>,
    /// the group of benefit recipients (for the vulnerability component)
    uitkering: Option<usize>,
    // per-year per-buurt counters
    let_b: Vec<u32>,
    vlet_b: Vec<u32>,
    /// lettings and spreading-group lettings per complex this year
    let_c: Vec<u32>,
    vlet_c: Vec<u32>,
    kwlet_b: Vec<u32>,
    blocked_b: Vec<u32>,
    exits_b: Vec<u32>,
    hh_start_b: Vec<u32>,
    wait_b: Vec<(f32, u32)>,
    lot_b: Vec<u32>,
    stream_b: Vec<u32>,
    // per-year per-stream
    used: Vec<f64>,
    limit: Vec<f64>,
    placed_s: Vec<u32>,
    wait_s: Vec<(f64, u32)>,
    y: Year,
    acc: Vec<f32>,
    /// years × `nraw` additive sums and years × buurten × (households, kwetsbaar, kwetsbare
    /// lettings), from which `region_row` computes the region's metrics
    raw: Vec<f64>,
    nraw: usize,
    bh: Vec<u32>,
    out: RunOutput,
    metrics_b: usize,
}

/// Sorts dates of one year ([y, y + 1)) ascending: a counting pass into as many buckets as
/// values, then insertion sort (each value moves within its bucket). The same order as any
/// sort (equal values are indistinguishable), in linear expected time.
fn sort_within_year(v: &mut [f32], y: f32) {
    let n = v.len();
    if n < 32 {
        v.sort_unstable_by(f32::total_cmp);
        return;
    }
    let key = |x: f32| (((x - y) * n as f32) as usize).min(n - 1);
    let mut start = vec![0u32; n + 1];
    for &x in v.iter() {
        start[key(x) + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut out = vec![0f32; n];
    for &x in v.iter() {
        let k = key(x);
        out[start[k] as usize] = x;
        start[k] += 1;
    }
    for i in 1..n {
        let x = out[i];
        let mut j = i;
        while j > 0 && out[j - 1].total_cmp(&x).is_gt() {
            out[j] = out[j - 1];
            j -= 1;
        }
        out[j] = x;
    }
    v.copy_from_slice(&out);
}

/// The minimum of group `g` (8 classes) of the dates.
#[inline]
fn group_min(v: &[f32; CLASSES], g: usize) -> f32 {
    v[8 * g..8 * g + 8]
        .iter()
        .fold(f32::INFINITY, |a, &x| if x < a { x } else { a })
}

/// `x.floor()` for the non-negative quota products here, without the libm call that the
/// x86-64 baseline needs (no SSE4.1 `roundsd`): truncation is the floor for x ≥ 0.
#[inline(always)]
fn floor(x: f64) -> f64 {
    debug_assert!((0.0..9.0e15).contains(&x));
    (x as u64) as f64
}

/// A queue entry: seeker id and the year it stops searching.
#[inline(always)]
fn queue_entry(id: u32, stop_year: u16) -> u64 {
    (u64::from(stop_year) << 32) | u64::from(id)
}

/// The seeker id of a queue entry (its low 32 bits).
#[inline(always)]
fn entry_seeker(e: u64) -> usize {
    (e & 0xffff_ffff) as usize
}

/// The year the seeker of a queue entry stops searching (the bits above the id).
#[inline(always)]
fn entry_stop_year(e: u64) -> u16 {
    (e >> 32) as u16
}

/// Sorts values in [0, 1] ascending like [`sort_within_year`] (buckets, then insertion).
fn sort_unit(v: &mut [f64]) {
    let n = v.len();
    if n < 32 {
        v.sort_unstable_by(f64::total_cmp);
        return;
    }
    let key = |x: f64| ((x * n as f64) as usize).min(n - 1);
    let mut start = vec![0u32; n + 1];
    for &x in v.iter() {
        start[key(x) + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut out = vec![0f64; n];
    for &x in v.iter() {
        let k = key(x);
        out[start[k] as usize] = x;
        start[k] += 1;
    }
    for i in 1..n {
        let x = out[i];
        let mut j = i;
        while j > 0 && out[j - 1].total_cmp(&x).is_gt() {
            out[j] = out[j - 1];
            j -= 1;
        }
        out[j] = x;
    }
    v.copy_from_slice(&out);
}

#[inline]
fn logistic(x: f64) -> f32 {
    (1.0 / (1.0 + (-x).exp())) as f32
}

/// Bytes of one seeker record and of one dwelling record (for the memory estimate of the `budget` module).
pub(crate) const SEEKER_BYTES: usize = std::mem::size_of::<Seeker>();
pub(crate) const DWELLING_BYTES: usize = std::mem::size_of::<Dwelling>();

/// A stop that is never set (for runs nobody cancels).
static NEVER: Stop = Stop::new();

/// Runs one replication: ChaCha8 stream `run` of `seed`, so the result depends only on
/// `(seed, run)`, never on threads. With `audit`, every letting is recorded.
pub fn run(m: &Model, seed: u64, run: u64, audit: bool) -> RunOutput {
    run_stoppable(m, seed, run, audit, &NEVER).expect("never stopped")
}

/// [`run`] that ends early (at the start of a simulated year) when `stop` is set.
pub fn run_stoppable(
    m: &Model,
    seed: u64,
    run: u64,
    audit: bool,
    stop: &Stop,
) -> Result<RunOutput, Stopped> {
    if m.markten() > 1 {
        let parts = m.split_markets();
        return run_markets_stoppable(m, &parts, seed, run, audit, stop);
    }
    let mut p = run_market(m, seed, run, audit, stop)?;
    p.out.regio = region_rows(m, &p.raw, &p.bh);
    Ok(p.out)
}

/// One run of a model whose housing markets are given as separately prepared parts
/// ([`Model::split_markets`]): each market is simulated on its own (its seekers look only
/// within it; ChaCha8 stream `run + (k << 32)` for market k, so market 0 draws as a
/// one-market run would), and the region metrics are computed over all buurten.
pub fn run_markets(m: &Model, parts: &[Market], seed: u64, run: u64, audit: bool) -> RunOutput {
    run_markets_stoppable(m, parts, seed, run, audit, &NEVER).expect("never stopped")
}

/// [`run_markets`] that ends early when `stop` is set.
pub fn run_markets_stoppable(
    m: &Model,
    parts: &[Market],
    seed: u64,
    run: u64,
    audit: bool,
    stop: &Stop,
) -> Result<RunOutput, Stopped> {
    let years = m.scenario.jaren as usize;
    let nb = m.buurten.len();
    let metrics = Metrics::of(m);
    let kb = metrics.buurt.len();
    let nraw = S_STROOM + 4 * m.stromen.len();
    let mut raw = vec![0.0; years * nraw];
    let mut bh = vec![0u32; years * nb * 3];
    let mut out = RunOutput::default();
    if m.scenario.uitvoer.per_buurt {
        out.buurt = vec![0.0; years * nb * kb];
    }
    for (k, part) in parts.iter().enumerate() {
        let p = run_market(&part.model, seed, run + ((k as u64) << 32), audit, stop)?;
        for (x, y) in raw.iter_mut().zip(&p.raw) {
            *x += y;
        }
        let nl = part.buurten.len();
        for y in 0..years {
            for (l, &g) in part.buurten.iter().enumerate() {
                let g = g as usize;
                bh[(y * nb + g) * 3..(y * nb + g) * 3 + 3]
                    .copy_from_slice(&p.bh[(y * nl + l) * 3..(y * nl + l) * 3 + 3]);
                if !out.buurt.is_empty() {
                    out.buurt[(y * nb + g) * kb..(y * nb + g + 1) * kb]
                        .copy_from_slice(&p.out.buurt[(y * nl + l) * kb..(y * nl + l + 1) * kb]);
                }
            }
        }
        let a = &mut out.accounts;
        let b = &p.out.accounts;
        a.huishoudens_start += b.huishoudens_start;
        a.instroom += b.instroom;
        a.uitstroom += b.uitstroom;
        a.sloop_uit += b.sloop_uit;
        a.herhuisvest += b.herhuisvest;
        a.huishoudens_eind += b.huishoudens_eind;
        a.zoekers_start += b.zoekers_start;
        a.zoekers_aankomst += b.zoekers_aankomst;
        a.zoekers_geplaatst += b.zoekers_geplaatst;
        a.zoekers_gestopt += b.zoekers_gestopt;
        a.zoekers_eind += b.zoekers_eind;
        a.dubbel += b.dubbel;
        a.nieuw_cohort += b.nieuw_cohort;
        a.nieuw_vertrokken += b.nieuw_vertrokken;
        a.doorstroom_zoekers += b.doorstroom_zoekers;
        a.doorstroom += b.doorstroom;
        out.aanbiedingen += p.out.aanbiedingen;
        out.verhuringen += p.out.verhuringen;
        out.audit.extend(p.out.audit.into_iter().map(|mut l| {
            l.woning = part.woningen[l.woning as usize];
            l.buurt = part.buurten[l.buurt as usize];
            l
        }));
    }
    out.regio = region_rows(m, &raw, &bh);
    Ok(out)
}

pub use crate::model::Market;

struct Part {
    out: RunOutput,
    raw: Vec<f64>,
    bh: Vec<u32>,
}

/// The region metrics of every year from the additive sums and the per-buurt counts.
fn region_rows(m: &Model, raw: &[f64], bh: &[u32]) -> Vec<f32> {
    let years = m.scenario.jaren as usize;
    let nb = m.buurten.len();
    let ns = m.stromen.len();
    let nraw = S_STROOM + 4 * ns;
    let nr = Metrics::of(m).regio.len();
    let mut out = vec![0.0f32; years * nr];
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let set = |row: &mut [f32], i: usize, v: f64| row[i] = v as f32;
    for year in 0..years {
        let raw = &raw[year * nraw..(year + 1) * nraw];
        let bh = &bh[year * nb * 3..(year + 1) * nb * 3];
        let row = &mut out[year * nr..(year + 1) * nr];
        let hh = |b: usize| bh[3 * b];
        let kw = |b: usize| bh[3 * b + 1];
        let kwlet = |b: usize| bh[3 * b + 2];
        let tot_hh: u32 = (0..nb).map(hh).sum();
        let tot_kw: u32 = (0..nb).map(kw).sum();
        let (mut dis, mut iso, mut maxs) = (0.0, 0.0, 0.0f64);
        for b in 0..nb {
            let (h, k) = (f64::from(hh(b)), f64::from(kw(b)));
            if tot_kw > 0 && tot_hh > tot_kw {
                dis += (k / f64::from(tot_kw) - (h - k) / f64::from(tot_hh - tot_kw)).abs();
            }
            if h > 0.0 && tot_kw > 0 {
                iso += (k / f64::from(tot_kw)) * (k / h);
            }
            if h >= 20.0 {
                maxs = maxs.max(k / h);
            }
        }
        let tot_kwlet: u32 = (0..nb).map(kwlet).sum();
        let maxp = (0..nb)
            .map(|b| f64::from(kwlet(b)) / f64::from(tot_kwlet.max(1)))
            .fold(0.0, f64::max);
        set(row, R_HH, f64::from(tot_hh));
        set(
            row,
            R_KWETSBAAR,
            ratio(f64::from(tot_kw), f64::from(tot_hh)),
        );
        set(row, R_DISSIMILARITEIT, 0.5 * dis);
        set(row, R_ISOLATIE, iso);
        set(row, R_MAX_AANDEEL, maxs);
        set(row, R_MAX_PLAATSING, maxp);
        set(row, R_VERHUUR, raw[S_LETS]);
        set(row, R_VERHUUR_KW, f64::from(tot_kwlet));
        set(row, R_VRIJE_RUIMTE, ratio(raw[S_NONTARGET], raw[S_SOCIAL]));
        set(
            row,
            R_DOELGROEP,
            ratio(raw[S_SOCIAL] - raw[S_NONTARGET], raw[S_SOCIAL]),
        );
        set(
            row,
            R_PASSEND,
            ratio(raw[S_PASSEND_N] - raw[S_PASSEND_E], raw[S_PASSEND_N]),
        );
        set(row, R_BEMIDDELING, ratio(raw[S_MEDIATED], raw[S_SOCIAL]));
        set(row, R_AANBIEDINGEN, raw[S_OFFERS]);
        set(row, R_UITVAL, raw[S_STOPPED]);
        set(row, R_LEEG, raw[S_VACANT]);
        set(row, R_HUUR, ratio(raw[S_RENT], raw[S_RENT_N]));
        for s in 0..3 {
            set(row, R_SEG + s, ratio(raw[S_SEG + s], raw[S_NACT]));
        }
        set(row, R_WACHT_KW, ratio(raw[S_WKW], raw[S_WKW_N]));
        set(row, R_WACHT_OVERIG, ratio(raw[S_WOT], raw[S_WOT_N]));
        set(row, R_VERTREK, raw[S_EXITS]);
        set(row, R_WONINGEN, raw[S_NACT]);
        set(row, R_LOTING, raw[S_LOTTERY]);
        set(row, R_GEBLOKKEERD, raw[S_BLOCKED]);
        for si in 0..ns {
            let r = &raw[S_STROOM + 4 * si..S_STROOM + 4 * si + 4];
            set(row, R_STROOM + 3 * si, r[0]);
            set(row, R_STROOM + 3 * si + 1, ratio(r[1], r[2]));
            set(row, R_STROOM + 3 * si + 2, r[3]);
        }
        set(row, R_STROOM + 3 * ns, raw[S_MOVES]);
    }
    out
}

/// One housing market's run: buurt rows, additive sums and per-buurt counts.
fn run_market(m: &Model, seed: u64, run: u64, audit: bool, stop: &Stop) -> Result<Part, Stopped> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    let n = m.d_buurt.len();
    let years = m.scenario.jaren as usize;
    let nb = m.buurten.len();
    let ng = m.groep_ids.len();
    let ns = m.stromen.len();
    // the count of buurt metrics, without building their names (once per market)
    let n_buurt_metrics = B_GROEP + ng + ns + 1;
    let mut st = SimState {
        m,
        rng,
        year: 0,
        years,
        nb,
        ng,
        ns,
        audit,
        dwellings: (0..n)
            .map(|d| Dwelling {
                buurt: m.d_buurt[d],
                max_rent: m.d_max_rent[d],
                rent: m.d_rent[d],
                tenant: d as u32,
                exit: NO_EXIT,
                care: 0,
                start: NO_START,
                complex: m.d_complex[d],
                t_groups: m.h_groups[d],
                kind: m.d_kind[d],
                seg: m.d_seg[d],
                flags: F_ACTIVE | if m.d_daeb[d] { F_DAEB } else { 0 },
                t_class: m.h_class[d],
            })
            .collect(),
        buckets: vec![Vec::new(); years],
        vacant: Vec::new(),
        social_rent_factor: 1.0,
        social_base_rent_sum: vec![0.0; nb],
        max_rent_sum: vec![0.0; nb],
        segment_counts: vec![[0; 3]; nb],
        nonsocial_dwellings: Vec::new(),
        nonsocial_rent_sum: vec![0.0; nb],
        seekers: Vec::new(),
        s_hh: Vec::new(),
        s_home: Vec::new(),
        movers: Vec::new(),
        chain: Vec::new(),
        q: vec![Vec::new(); CLASSES],
        wb: Vec::new(),
        qh: [0; CLASSES],
        hreg: [f32::INFINITY; CLASSES],
        uq: vec![Vec::new(); ns],
        uh: vec![0; ns],
        next_hh: n as u32,
        hh: vec![0; nb],
        kw: vec![0; nb],
        grp: vec![0; nb * ng],
        inc: vec![0; nb * 4],
        een: m.een0.clone(),
        uitkering: m
            .aannames
            .groep
            .iter()
            .position(|g| g.bron == crate::rules::Bron::Uitkering),
        let_b: vec![0; nb],
        vlet_b: vec![0; nb],
        let_c: vec![0; m.complexen],
        vlet_c: vec![0; m.complexen],
        kwlet_b: vec![0; nb],
        blocked_b: vec![0; nb],
        exits_b: vec![0; nb],
        hh_start_b: vec![0; nb],
        wait_b: vec![(0.0, 0); nb],
        lot_b: vec![0; nb],
        stream_b: vec![0; nb * ns],
        used: vec![0.0; ns],
        limit: vec![f64::INFINITY; ns],
        placed_s: vec![0; ns],
        wait_s: vec![(0.0, 0); ns],
        y: Year::new(),
        acc: vec![0.0; nb * 4],
        raw: vec![0.0; years * (S_STROOM + 4 * ns)],
        nraw: S_STROOM + 4 * ns,
        bh: vec![0; years * nb * 3],
        out: RunOutput::default(),
        metrics_b: n_buurt_metrics,
    };
    if m.scenario.uitvoer.per_buurt {
        st.out.buurt = vec![0.0; years * nb * st.metrics_b];
    }
    if stop.stopped() {
        return Err(Stopped);
    }
    st.init();
    for year in 0..years {
        if stop.stopped() {
            return Err(Stopped);
        }
        st.year = year;
        st.step();
    }
    let raw = std::mem::take(&mut st.raw);
    let bh = std::mem::take(&mut st.bh);
    Ok(Part {
        out: st.finish(),
        raw,
        bh,
    })
}

impl Year {
    fn new() -> Year {
        Year {
            moves: 0,
            social: 0,
            nontarget: 0,
            passend_n: 0,
            passend_e: 0,
            mediated: 0,
            offers: 0,
            exits: 0,
            stopped: 0,
            lottery: 0,
            blocked: 0,
            wait_kw: (0.0, 0),
            wait_other: (0.0, 0),
        }
    }
}

impl SimState<'_> {
    fn init(&mut self) {
        let m = self.m;
        let n = self.dwellings.len();
        // starting tenancies: elapsed duration from the stationary distribution, remaining
        // duration conditional on it
        // (renewal theory: the remaining duration R of a stationary tenancy has
        // P(R = r) = P(D ≥ r) / E[D], so R − 1 is distributed as the elapsed duration; one draw)
        for d in 0..n {
            // the first possible exit is in year 0
            let y = m.hazard.draw_elapsed(self.dwellings[d].kind, &mut self.rng) as usize;
            // started before year 0 (remaining − 1 is distributed as the elapsed duration)
            self.dwellings[d].start = -1 - (y.min(1000) as i16);
            if y < self.years {
                self.dwellings[d].exit = y as u16;
                self.buckets[y].push(d as u32);
            }
        }
        for d in 0..n {
            let b = self.dwellings[d].buurt as usize;
            let sg = self.dwellings[d].seg;
            self.segment_counts[b][sg as usize] += 1;
            // every dwelling holds a household at the start
            self.max_rent_sum[b] += f64::from(self.dwellings[d].max_rent);
            if sg == SEG_SOCIAAL {
                self.social_base_rent_sum[b] += f64::from(self.dwellings[d].rent);
            } else {
                self.dwellings[d].flags |= F_NONSOC;
                self.nonsocial_dwellings.push(d as u32);
            }
        }
        let (hh, kw, grp, inc) = &m.counts0;
        self.hh.copy_from_slice(hh);
        self.kw.copy_from_slice(kw);
        self.grp.copy_from_slice(grp);
        self.inc.copy_from_slice(inc);
        self.out.accounts.huishoudens_start = n as u64;
        // starting seekers: regular pool with registration times before the start, a small
        // backlog of urgent seekers
        let z = &m.aannames.zoekers;
        for (si, s) in m.aannames.stroom.iter().enumerate() {
            let regular_total: f64 = (0..m.aannames.stroom.len())
                .filter(|&i| !m.stroom_urgent[i])
                .map(|i| m.instroom[i])
                .sum();
            let count = if s.soort == StroomSoort::Regulier {
                z.startpool_jaren * m.aannames.verloop.mutatiegraad * m.n0 as f64 * m.instroom[si]
                    / regular_total.max(1e-9)
            } else {
                m.aannames.invulling.urgent_startachterstand * m.instroom[si]
            };
            let count = self.round(count);
            if s.soort == StroomSoort::Regulier && z.inschrijfduur_start > 0.0 {
                // the same draws, sorted as uniforms (the date is increasing in U) in linear
                // time, then turned into dates
                let mut us: Vec<f64> = (0..count).map(|_| 1.0 - self.rng.random::<f64>()).collect();
                sort_unit(&mut us);
                for u in us {
                    self.new_seeker(si, (z.inschrijfduur_start * u.ln()) as f32, -1);
                }
                continue;
            }
            let mut regs: Vec<f32> = (0..count)
                .map(|_| {
                    if s.soort == StroomSoort::Regulier {
                        // registered an exponential time (mean inschrijfduur_start) before the start
                        let u: f64 = 1.0 - self.rng.random::<f64>();
                        (z.inschrijfduur_start * u.ln()) as f32
                    } else {
                        -(self.rng.random::<f32>() * 0.5)
                    }
                })
                .collect();
            regs.sort_unstable_by(f32::total_cmp);
            for r in regs {
                self.new_seeker(si, r, -1);
            }
        }
        self.out.accounts.zoekers_start = self.seekers.len() as u64;
        for (i, l) in m.limiet.iter().enumerate() {
            if let Some((v, _)) = l {
                self.limit[i] = *v;
            }
        }
    }

    #[inline]
    fn round(&mut self, x: f64) -> usize {
        let f = floor(x);
        f as usize + usize::from(self.rng.random::<f64>() < x - f)
    }

    /// A new seeker of stream `si` registered at `reg`, arriving in year `year` (−1 = the
    /// starting pool).
    fn new_seeker(&mut self, si: usize, reg: f32, year: i32) {
        let p = &self.m.profielen[si];
        let k = self.rng.random_range(0..p.class.len());
        let regular = !self.m.stroom_urgent[si];
        let stop_year = if regular {
            // years searched before stopping: floor(ln U / ln(1 − uitval)), from a table
            let stop = i64::from(self.m.uitval.draw(&mut self.rng));
            (i64::from(year) + 1 + stop).clamp(0, i64::from(NO_EXIT) - 1) as u16
        } else {
            NO_EXIT
        };
        let id = self.seekers.len() as u32;
        self.push_seeker(Seeker {
            reg,
            income: p.income[k],
            groups: p.groups[k],
            stop_year,
            state: WAITING,
            class: p.class[k],
            flags: p.flags[k],
            stream: si as u8,
        });
        self.s_hh.push(self.next_hh);
        self.next_hh += 1;
        if regular {
            self.q[p.class[k] as usize].push(queue_entry(id, stop_year));
        } else {
            self.uq[si].push(id);
        }
    }

    /// Adds a seeker (waiting); its id.
    #[inline]
    fn push_seeker(&mut self, rec: Seeker) -> u32 {
        let id = self.seekers.len();
        if id.is_multiple_of(64) {
            self.wb.push(0);
        }
        if rec.state == WAITING {
            self.wb[id / 64] |= 1 << (id % 64);
        }
        self.seekers.push(rec);
        id as u32
    }

    #[inline(always)]
    fn is_waiting(&self, s: usize) -> bool {
        (self.wb[s / 64] >> (s % 64)) & 1 != 0
    }

    /// Sets a seeker's state (placed or stopped) in its record and the waiting bits.
    #[inline]
    fn set_state(&mut self, s: usize, state: u8) {
        self.seekers[s].state = state;
        if state == WAITING {
            self.wb[s / 64] |= 1 << (s % 64);
        } else {
            self.wb[s / 64] &= !(1 << (s % 64));
        }
    }

    /// The rent of an occupied dwelling.
    #[inline]
    fn rent_of(&self, d: usize) -> f32 {
        if self.dwellings[d].seg == SEG_SOCIAAL {
            (f64::from(self.dwellings[d].rent) * self.social_rent_factor) as f32
        } else {
            self.dwellings[d].rent
        }
    }

    /// Sets the rent of a dwelling (before `add_household`, which counts it).
    #[inline]
    fn set_rent(&mut self, d: usize, rent: f32) {
        self.dwellings[d].rent = if self.dwellings[d].seg == SEG_SOCIAAL {
            (f64::from(rent) / self.social_rent_factor) as f32
        } else {
            rent
        };
    }

    /// Adds (`f` = 1) or removes (−1) an occupied dwelling's rent in its buurt's sums.
    #[inline]
    fn add_rent(&mut self, d: usize, f: f64) {
        let b = self.dwellings[d].buurt as usize;
        self.max_rent_sum[b] += f * f64::from(self.dwellings[d].max_rent);
        if self.dwellings[d].seg == SEG_SOCIAAL {
            self.social_base_rent_sum[b] += f * f64::from(self.dwellings[d].rent);
        }
    }

    fn add_household(&mut self, d: usize, sign: i32) {
        let b = self.dwellings[d].buurt as usize;
        self.add_rent(d, f64::from(sign));
        let c = self.dwellings[d].t_class;
        let g = self.dwellings[d].t_groups;
        let upd = |x: &mut u32| {
            *x = (*x as i64 + i64::from(sign)) as u32;
        };
        upd(&mut self.hh[b]);
        if g & self.m.kwetsbaar_mask != 0 {
            upd(&mut self.kw[b]);
        }
        upd(&mut self.inc[b * 4 + class_inc(c) as usize]);
        if class_size(c) == 0 {
            upd(&mut self.een[b]);
        }
        let mut bits = g;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            upd(&mut self.grp[b * self.ng + i]);
            bits &= bits - 1;
        }
    }

    fn step(&mut self) {
        let m = self.m;
        let year = self.year;
        self.y = Year::new();
        self.let_b.iter_mut().for_each(|x| *x = 0);
        self.vlet_b.iter_mut().for_each(|x| *x = 0);
        self.let_c.iter_mut().for_each(|x| *x = 0);
        self.vlet_c.iter_mut().for_each(|x| *x = 0);
        self.kwlet_b.iter_mut().for_each(|x| *x = 0);
        self.blocked_b.iter_mut().for_each(|x| *x = 0);
        self.exits_b.iter_mut().for_each(|x| *x = 0);
        self.wait_b.iter_mut().for_each(|x| *x = (0.0, 0));
        self.lot_b.iter_mut().for_each(|x| *x = 0);
        self.stream_b.iter_mut().for_each(|x| *x = 0);
        self.placed_s.iter_mut().for_each(|x| *x = 0);
        self.wait_s.iter_mut().for_each(|x| *x = (0.0, 0));
        self.hh_start_b.copy_from_slice(&self.hh);
        // limits: contingents reset, taakstelling rolls over what was not reached
        for (i, l) in m.limiet.iter().enumerate() {
            if let Some((v, roll)) = l {
                self.limit[i] = if *roll && year > 0 {
                    v + (self.limit[i] - self.used[i]).max(0.0)
                } else {
                    *v
                };
            }
            self.used[i] = 0.0;
        }
        // 1. interventions
        for a in &m.acties[year] {
            self.apply(a);
        }
        // 2. arrivals
        for si in 0..m.aannames.stroom.len() {
            let n = self.round(m.instroom[si]);
            let mut regs: Vec<f32> = (0..n)
                .map(|_| year as f32 + self.rng.random::<f32>())
                .collect();
            sort_within_year(&mut regs, year as f32);
            self.out.accounts.zoekers_aankomst += n as u64;
            for r in regs {
                self.new_seeker(si, r, year as i32);
            }
        }
        for c in 0..CLASSES {
            self.fix_head(c);
        }
        // 3. exits
        let bucket = std::mem::take(&mut self.buckets[year]);
        for &d in &bucket {
            let d = d as usize;
            if self.dwellings[d].exit != year as u16 || self.dwellings[d].tenant == NONE {
                continue;
            }
            let start = self.dwellings[d].start;
            if start >= 0
                && year - start as usize <= m.hazard.window as usize
                && start as usize + (m.hazard.window as usize) < self.years
            {
                self.out.accounts.nieuw_vertrokken += 1;
            }
            // a share of the households whose tenancy ends move within the stock: they keep
            // their dwelling while they search (registered since their tenancy started:
            // woonduur counts), and free it when placed (a vacancy chain)
            if m.aannames.verloop.doorstroom > 0.0
                && self.rng.random::<f64>() < m.aannames.verloop.doorstroom
            {
                self.start_mover(d, start);
                continue;
            }
            self.add_household(d, -1);
            self.dwellings[d].tenant = NONE;
            self.dwellings[d].exit = NO_EXIT;
            self.y.exits += 1;
            self.exits_b[self.dwellings[d].buurt as usize] += 1;
            self.out.accounts.uitstroom += 1;
            self.vacant.push(d as u32);
        }
        self.merge_movers();
        // 4. lettings
        self.acceptance();
        let mut vac = std::mem::take(&mut self.vacant);
        // sale and liberalisation at vacancy
        vac.retain(|&d| self.vacancy_usable(d));
        // random order
        for i in (1..vac.len()).rev() {
            let j = self.rng.random_range(0..=i);
            vac.swap(i, j);
        }
        let nv = vac.len().max(1) as f32;
        let mut left = Vec::new();
        for (i, &d) in vac.iter().enumerate() {
            let now = year as f32 + (i as f32 + 0.5) / nv;
            if !self.let_dwelling(d as usize, now) {
                left.push(d);
            }
            // dwellings freed by households that moved within the stock are let right away
            while let Some(f) = self.chain.pop() {
                if self.vacancy_usable(f) && !self.let_dwelling(f as usize, now) {
                    left.push(f);
                }
            }
        }
        self.vacant = left;
        // 5. rents, queues, records
        self.compact();
        self.record();
    }

    /// A vacancy as the corporation handles it: sold (leaves the stock) or liberalised when
    /// flagged; whether it is still to be let.
    fn vacancy_usable(&mut self, d: u32) -> bool {
        let f = &mut self.dwellings[d as usize].flags;
        if *f & F_SELL != 0 {
            *f &= !F_ACTIVE;
            let b = self.dwellings[d as usize].buurt as usize;
            self.segment_counts[b][self.dwellings[d as usize].seg as usize] -= 1;
            return false;
        }
        if *f & F_LIB != 0 {
            *f &= !(F_LIB | F_DAEB);
        }
        *f & F_ACTIVE != 0
    }

    /// The household of dwelling `d` starts looking for another dwelling in the stock (a
    /// regular seeker of the first regular stream, registered since its tenancy started).
    fn start_mover(&mut self, d: usize, start: i16) {
        let m = self.m;
        let Some(si) = m.stroom_urgent.iter().position(|u| !u) else {
            return;
        };
        let c = self.dwellings[d].t_class;
        let stop = i64::from(m.uitval.draw(&mut self.rng));
        let stop_year = (self.year as i64 + 1 + stop).clamp(0, i64::from(NO_EXIT) - 1) as u16;
        let id = self.seekers.len() as u32;
        self.push_seeker(Seeker {
            reg: f32::from(start.max(-100)) + 0.5,
            income: crate::synth::income_in_class(
                &m.regels,
                &m.aannames.invulling,
                class_inc(c),
                class_size(c),
                false,
                0.5,
            ) as f32,
            groups: self.dwellings[d].t_groups,
            stop_year,
            state: WAITING,
            class: c,
            flags: 1,
            stream: si as u8,
        });
        self.s_hh.push(self.dwellings[d].tenant);
        self.s_home.resize(self.seekers.len(), NONE);
        self.s_home[id as usize] = d as u32;
        self.dwellings[d].exit = NO_EXIT;
        self.movers.push(id);
        self.out.accounts.doorstroom_zoekers += 1;
    }

    /// Puts the year's new movers into their class queues (in registration order).
    fn merge_movers(&mut self) {
        if self.movers.is_empty() {
            return;
        }
        let mut mv = std::mem::take(&mut self.movers);
        mv.sort_unstable_by(|&a, &b| {
            self.seekers[a as usize]
                .reg
                .total_cmp(&self.seekers[b as usize].reg)
                .then(a.cmp(&b))
        });
        let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); CLASSES];
        for s in mv {
            by_class[self.seekers[s as usize].class as usize].push(s);
        }
        for (c, add) in by_class.into_iter().enumerate() {
            if add.is_empty() {
                continue;
            }
            let h = self.qh[c];
            let old = std::mem::take(&mut self.q[c]);
            let mut q = Vec::with_capacity(old.len() - h + add.len());
            let (mut i, mut j) = (h, 0);
            while i < old.len() || j < add.len() {
                let take_old = j >= add.len()
                    || (i < old.len()
                        && self.seekers[entry_seeker(old[i])].reg
                            <= self.seekers[add[j] as usize].reg);
                if take_old {
                    q.push(old[i]);
                    i += 1;
                } else {
                    q.push(queue_entry(add[j], self.seekers[add[j] as usize].stop_year));
                    j += 1;
                }
            }
            self.q[c] = q;
            self.qh[c] = 0;
            self.fix_head(c);
        }
    }

    fn apply(&mut self, a: &Actie) {
        match a {
            Actie::Liberaliseer(ds) => {
                for &d in ds {
                    if self.dwellings[d as usize].flags & F_ACTIVE != 0 {
                        self.dwellings[d as usize].flags |= F_LIB;
                    }
                }
            }
            Actie::Verkoop(ds) => {
                for &d in ds {
                    self.dwellings[d as usize].flags |= F_SELL;
                }
            }
            Actie::Sloop(ds) => {
                for &d in ds {
                    let d = d as usize;
                    if self.dwellings[d].flags & F_ACTIVE == 0 {
                        continue;
                    }
                    self.dwellings[d].flags &= !F_ACTIVE;
                    self.segment_counts[self.dwellings[d].buurt as usize]
                        [self.dwellings[d].seg as usize] -= 1;
                    // a mover living here stops searching: the household is re-housed
                    if let Some(s) = self.s_home.iter().position(|&h| h == d as u32) {
                        self.s_home[s] = NONE;
                        if self.seekers[s].state == WAITING {
                            self.set_state(s, STOPPED);
                            self.out.accounts.zoekers_gestopt += 1;
                        }
                    }
                    if self.dwellings[d].tenant != NONE {
                        // the household becomes a herhuisvesting seeker
                        self.add_household(d, -1);
                        let si = self.m.stromen.len() - 1;
                        let id = self.seekers.len() as u32;
                        let c = self.dwellings[d].t_class;
                        self.push_seeker(Seeker {
                            reg: self.year as f32,
                            income: crate::synth::income_in_class(
                                &self.m.regels,
                                &self.m.aannames.invulling,
                                class_inc(c),
                                class_size(c),
                                false,
                                0.5,
                            ) as f32,
                            groups: self.dwellings[d].t_groups,
                            stop_year: NO_EXIT,
                            state: WAITING,
                            class: c,
                            flags: 1,
                            stream: si as u8,
                        });
                        self.s_hh.push(self.dwellings[d].tenant);
                        self.uq[si].push(id);
                        self.dwellings[d].tenant = NONE;
                        self.dwellings[d].exit = NO_EXIT;
                        self.out.accounts.sloop_uit += 1;
                    }
                }
                self.vacant
                    .retain(|&d| self.dwellings[d as usize].flags & F_ACTIVE != 0);
            }
            Actie::Verduurzaam(xs) => {
                for &(d, _p, r, s) in xs {
                    let d = d as usize;
                    if self.dwellings[d].flags & F_ACTIVE == 0 {
                        continue;
                    }
                    let b = self.dwellings[d].buurt as usize;
                    let occupied = self.dwellings[d].tenant != NONE;
                    if occupied {
                        self.add_rent(d, -1.0);
                    }
                    let now = self.rent_of(d);
                    self.segment_counts[b][self.dwellings[d].seg as usize] -= 1;
                    self.segment_counts[b][s as usize] += 1;
                    self.dwellings[d].max_rent = r;
                    self.dwellings[d].seg = s;
                    // the sitting tenant's rent stays; the new maximum applies at re-letting
                    self.set_rent(d, now.min(r));
                    if occupied {
                        self.add_rent(d, 1.0);
                    }
                    if s != SEG_SOCIAAL {
                        self.dwellings[d].flags &= !F_DAEB;
                        if self.dwellings[d].flags & F_NONSOC == 0 {
                            self.dwellings[d].flags |= F_NONSOC;
                            self.nonsocial_dwellings.push(d as u32);
                        }
                    }
                }
            }
            Actie::Nieuwbouw {
                buurt,
                woningen,
                voor,
                complex,
            } => {
                for &(_p, r, s, kind, count) in woningen {
                    for _ in 0..count {
                        let d = self.dwellings.len() as u32;
                        self.segment_counts[*buurt as usize][s as usize] += 1;
                        if s != SEG_SOCIAAL {
                            self.nonsocial_dwellings.push(d);
                        }
                        self.dwellings.push(Dwelling {
                            buurt: *buurt,
                            max_rent: r,
                            rent: 0.0,
                            tenant: NONE,
                            exit: NO_EXIT,
                            care: *voor as u16,
                            start: NO_START,
                            complex: *complex,
                            t_groups: 0,
                            kind,
                            seg: s,
                            flags: F_ACTIVE | if s == SEG_SOCIAAL { F_DAEB } else { F_NONSOC },
                            t_class: 0,
                        });
                        self.vacant.push(d);
                    }
                }
            }
        }
    }

    /// Acceptance probability per buurt and class for this year.
    fn acceptance(&mut self) {
        let v = &self.m.aannames.voorkeur;
        let tot_hh: u32 = self.hh.iter().sum();
        let tot_kw: u32 = self.kw.iter().sum();
        let mean = f64::from(tot_kw) / f64::from(tot_hh.max(1));
        for b in 0..self.nb {
            let share = if self.hh[b] > 0 {
                f64::from(self.kw[b]) / f64::from(self.hh[b])
            } else {
                mean
            };
            let base = v.basis
                + v.aantrekkelijkheid * self.m.buurten[b].aantrekkelijkheid
                + v.kwetsbaar_aandeel * (share - mean);
            // the probability depends on the class only through (vulnerable, income class 0)
            for k in 0..4 {
                let mut x = base;
                if k & 1 != 0 {
                    x += v.kwetsbaar_extra;
                }
                if k & 2 != 0 {
                    x += v.laag_inkomen_extra;
                }
                self.acc[b * 4 + k] = logistic(x);
            }
        }
    }

    /// The rent a dwelling is let at (streefhuur policy).
    fn letting_rent(&self, d: usize) -> f32 {
        let h = &self.m.scenario.huurbeleid;
        let r = &self.m.regels;
        let max = self.dwellings[d].max_rent;
        let daeb = self.dwellings[d].flags & F_DAEB != 0;
        if self.dwellings[d].care != 0 {
            // care units: at most the lage aftoppingsgrens, so they are passend for everyone
            return (h.streefhuur_sociaal as f32 * max).min(r.aftopping_laag as f32);
        }
        if daeb {
            let mut x = (h.streefhuur_sociaal as f32 * max).min(r.huurtoeslag_max_huur as f32);
            if h.aftoppen {
                x = x.min(r.aftopping_hoog as f32);
            }
            x
        } else {
            let s = match self.dwellings[d].seg {
                SEG_VRIJ => h.streefhuur_vrij,
                _ => h.streefhuur_midden,
            };
            s as f32 * max
        }
    }

    /// Whether one more placement of the spreading groups in dwelling `d` (buurt `b`) keeps
    /// the buurt's and the complex's caps of this year.
    fn cap_ok(&self, d: usize, b: usize) -> bool {
        if !self.m.buurten[b].spreiding {
            return true;
        }
        let Some(sp) = &self.m.scenario.spreiding else {
            return true;
        };
        let c = self.dwellings[d].complex as usize;
        let (next_cv, next_cl) = (self.vlet_c[c] + 1, self.let_c[c] + 1);
        if let Some(a) = sp.max_aandeel_complex
            && f64::from(next_cv) > floor(a * f64::from(next_cl) + 1e-9)
        {
            return false;
        }
        if let Some(n) = sp.max_aantal_complex
            && next_cv > n
        {
            return false;
        }
        let next_v = self.vlet_b[b] + 1;
        let next_l = self.let_b[b] + 1;
        if let Some(a) = sp.max_aandeel
            && f64::from(next_v) > floor(a * f64::from(next_l) + 1e-9)
        {
            return false;
        }
        if let Some(n) = sp.max_aantal
            && next_v > n
        {
            return false;
        }
        true
    }

    /// Per-seeker checks that classes cannot express.
    #[inline(always)]
    fn seeker_ok(&self, s: usize, rw: bool, daeb: bool, rent: f32, now: f32) -> bool {
        if self.seekers[s].state != WAITING || self.seekers[s].reg > now {
            return false;
        }
        if rw && let Some(r) = &self.m.scenario.rotterdamwet {
            let f = self.seekers[s].flags;
            if r.art8 && !class_work(self.seekers[s].class) && f & 1 == 0 {
                return false;
            }
            if r.art10_screening && f & 2 != 0 {
                return false;
            }
        }
        if !daeb
            && self.seekers[s].income / 12.0
                < self.m.aannames.zoekers.inkomenseis_huurfactor as f32 * rent
        {
            return false;
        }
        true
    }

    fn let_dwelling(&mut self, d: usize, now: f32) -> bool {
        let m = self.m;
        let b = self.dwellings[d].buurt as usize;
        let rent = self.letting_rent(d);
        let daeb = self.dwellings[d].flags & F_DAEB != 0;
        let rw = m.buurten[b].rotterdamwet;
        let r = &m.regels;
        // eligible classes
        let mut mask = if daeb { TARGET } else { ALL };
        if daeb {
            // passend toewijzen: huurtoeslag incomes at or below their aftoppingsgrens
            let allowed_inc0 = if rent <= r.aftopping_laag as f32 {
                INC0
            } else if rent <= r.aftopping_hoog as f32 {
                INC0 & !INC0_SMALL
            } else {
                0
            };
            let exception_ok = f64::from(self.y.passend_e + 1)
                <= floor((1.0 - r.passend_min_aandeel) * f64::from(self.y.passend_n + 1) + 1e-9);
            if !exception_ok {
                mask &= !(INC0 & !allowed_inc0);
            }
        }
        let care = self.dwellings[d].care;
        if care != 0 {
            // care units are built for their streams: outside the spreading caps
            return self.mediate(d, b, mask, rent, now, u32::from(care), daeb, rw);
        }
        if !self.cap_ok(d, b) {
            if mask & VULN != 0 {
                self.blocked_b[b] += 1;
                self.y.blocked += 1;
            }
            mask &= !VULN;
        }
        // 2. direct mediation
        if daeb {
            let room = f64::from(self.y.mediated + 1)
                <= floor(
                    m.scenario.toewijzing.bemiddeling_max * f64::from(self.y.social + 1) + 1e-9,
                );
            if room && self.mediate(d, b, mask, rent, now, u32::MAX, daeb, rw) {
                return true;
            }
        }
        // 3. free room
        let t = &m.scenario.toewijzing;
        if daeb
            && f64::from(self.y.nontarget + 1)
                <= floor(t.vrije_ruimte * f64::from(self.y.social + 1) + 1e-9)
            && self.rng.random::<f64>() < t.vrije_ruimte_gebruik
        {
            let fm = (INC2 & ALL) & if self.cap_ok(d, b) { ALL } else { !VULN };
            if self.rank(d, b, fm, rent, now, daeb, rw, Kanaal::VrijeRuimte) {
                return true;
            }
        }
        // 4. Rotterdamwet art. 9
        if rw
            && let Some(rwet) = &m.scenario.rotterdamwet
            && rwet.art9_voorrang_werk > 0.0
            && self.rng.random::<f64>() < rwet.art9_voorrang_werk
            && self.rank(d, b, mask & WORK, rent, now, daeb, rw, Kanaal::Art9)
        {
            return true;
        }
        // 5. lottery or registration time
        if self.rng.random::<f64>() < t.loting && self.lottery(d, b, mask, rent, now, daeb, rw) {
            return true;
        }
        self.rank(d, b, mask, rent, now, daeb, rw, Kanaal::Inschrijfduur)
    }

    #[allow(clippy::too_many_arguments)]
    fn mediate(
        &mut self,
        d: usize,
        b: usize,
        mask: u64,
        rent: f32,
        now: f32,
        streams: u32,
        daeb: bool,
        rw: bool,
    ) -> bool {
        let m = self.m;
        let accept = m.aannames.voorkeur.urgent_accepteert as f32;
        for oi in 0..m.urgent_order.len() {
            let si = m.urgent_order[oi];
            // care units are let to their streams outside the contingent (they are built for it)
            if streams & (1 << si) == 0
                || (streams == u32::MAX && self.used[si] + 1.0 > self.limit[si] + 1e-9)
            {
                continue;
            }
            let mut i = self.uh[si];
            let mut looked = 0;
            let mut declines = 0;
            while i < self.uq[si].len() && looked < 16 && declines < 3 {
                let s = self.uq[si][i] as usize;
                i += 1;
                if self.seekers[s].state != WAITING {
                    if i - 1 == self.uh[si] {
                        self.uh[si] = i;
                    }
                    continue;
                }
                if self.seekers[s].reg > now {
                    // queues are in order of urgency date
                    break;
                }
                looked += 1;
                if mask & (1 << self.seekers[s].class) == 0
                    || !self.seeker_ok(s, rw, daeb, rent, now)
                {
                    continue;
                }
                self.y.offers += 1;
                if self.rng.random::<f32>() < accept {
                    let kanaal = if streams == u32::MAX {
                        Kanaal::Bemiddeling
                    } else {
                        Kanaal::Zorg
                    };
                    self.place(d, b, s, rent, now, kanaal);
                    return true;
                }
                declines += 1;
            }
        }
        false
    }

    /// Advances the head of class `c` past placed/stopped seekers and refreshes its date.
    #[inline]
    fn fix_head(&mut self, c: usize) {
        let q = &self.q[c];
        let mut h = self.qh[c];
        while h < q.len() && !self.is_waiting(entry_seeker(q[h])) {
            h += 1;
        }
        self.qh[c] = h;
        self.hreg[c] = if h < q.len() {
            self.seekers[entry_seeker(q[h])].reg
        } else {
            f32::INFINITY
        };
    }

    /// Offers by registration time over the classes in `mask`: each step offers to the
    /// class whose next candidate registered first (heads' dates are kept per class, so no
    /// seeker is scanned).
    #[allow(clippy::too_many_arguments)]
    fn rank(
        &mut self,
        d: usize,
        b: usize,
        mask: u64,
        rent: f32,
        now: f32,
        daeb: bool,
        rw: bool,
        kanaal: Kanaal,
    ) -> bool {
        let max = self.m.aannames.zoekers.max_aanbiedingen;
        // per class the date of its next candidate (∞ = not in `mask` or none), and the
        // minimum per group of 8 classes: a step takes the first group holding the overall
        // minimum and the first class in it holding it (the first class in class order, as a
        // scan would), then refreshes that group's minimum only. A class whose candidate
        // registered after `now` can only hold the minimum when every class does: then the
        // search ends, so such classes need no exclusion.
        let mut lreg = self.hreg;
        let mut bits = !mask & ALL;
        while bits != 0 {
            let c = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            lreg[c] = f32::INFINITY;
        }
        let mut gmin = [f32::INFINITY; CLASSES / 8];
        for (g, m) in gmin.iter_mut().enumerate() {
            *m = group_min(&lreg, g);
        }
        // positions of the classes' next candidates, taken from the heads when first used
        let mut cur = [0u32; CLASSES];
        let mut touched = 0u64;
        let acc_row = b * 4;
        let mut offers = 0;
        while offers < max {
            let mut bg = 0;
            let mut best_reg = gmin[0];
            for (g, &m) in gmin.iter().enumerate().skip(1) {
                if m < best_reg {
                    best_reg = m;
                    bg = g;
                }
            }
            if best_reg > now {
                break;
            }
            let best = 8 * bg
                + lreg[8 * bg..8 * bg + 8]
                    .iter()
                    .position(|&x| x == best_reg)
                    .unwrap_or(0);
            if touched & (1 << best) == 0 {
                touched |= 1 << best;
                cur[best] = self.qh[best] as u32;
            }
            let c = best;
            let q = &self.q[c];
            let s = entry_seeker(q[cur[best] as usize]);
            // next waiting candidate of this class
            let mut i = cur[best] as usize + 1;
            while i < q.len() && !self.is_waiting(entry_seeker(q[i])) {
                i += 1;
            }
            cur[best] = i as u32;
            lreg[best] = if i < q.len() {
                self.seekers[entry_seeker(q[i])].reg
            } else {
                f32::INFINITY
            };
            gmin[bg] = group_min(&lreg, bg);
            if !self.seeker_ok(s, rw, daeb, rent, now) {
                continue;
            }
            offers += 1;
            self.y.offers += 1;
            if self.rng.random::<f32>() < self.acc[acc_row + ACC_KEY[c] as usize] {
                self.place(d, b, s, rent, now, kanaal);
                self.fix_head(c);
                return true;
            }
        }
        false
    }

    /// Offers by lottery among the waiting seekers of the classes in `mask`.
    #[allow(clippy::too_many_arguments)]
    fn lottery(
        &mut self,
        d: usize,
        b: usize,
        mask: u64,
        rent: f32,
        now: f32,
        daeb: bool,
        rw: bool,
    ) -> bool {
        let max = self.m.aannames.zoekers.max_aanbiedingen;
        let mut cum = [0usize; CLASSES];
        let mut cls = [0u8; CLASSES];
        let mut n = 0;
        let mut total = 0usize;
        let mut bits = mask;
        while bits != 0 {
            let c = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let live = self.q[c].len() - self.qh[c];
            if live > 0 {
                total += live;
                cum[n] = total;
                cls[n] = c as u8;
                n += 1;
            }
        }
        if total == 0 {
            return false;
        }
        let mut offers = 0;
        let mut tries = 0;
        while offers < max && tries < 4 * max {
            tries += 1;
            let x = self.rng.random_range(0..total);
            let k = cum[..n].partition_point(|&v| v <= x);
            let c = cls[k] as usize;
            let before = if k == 0 { 0 } else { cum[k - 1] };
            let s = entry_seeker(self.q[c][self.qh[c] + (x - before)]);
            if !self.seeker_ok(s, rw, daeb, rent, now) {
                continue;
            }
            offers += 1;
            self.y.offers += 1;
            if self.rng.random::<f32>() < self.acc[b * 4 + ACC_KEY[c] as usize] {
                self.place(d, b, s, rent, now, Kanaal::Loting);
                self.fix_head(c);
                return true;
            }
        }
        false
    }

    fn place(&mut self, d: usize, b: usize, s: usize, rent: f32, now: f32, kanaal: Kanaal) {
        let m = self.m;
        let c = self.seekers[s].class;
        let g = self.seekers[s].groups;
        let si = self.seekers[s].stream as usize;
        let daeb = self.dwellings[d].flags & F_DAEB != 0;
        if self.audit {
            self.out.audit.push(Letting {
                jaar: self.year,
                woning: d as u32,
                buurt: b as u32,
                huishouden: self.s_hh[s],
                klasse: c,
                groepen: g,
                inkomen: self.seekers[s].income,
                huur: rent,
                daeb,
                stroom: si as u8,
                kanaal,
                buurt_verhuringen_voor: self.let_b[b],
                buurt_spreiding_voor: self.vlet_b[b],
                complex: self.dwellings[d].complex,
                complex_verhuringen_voor: self.let_c[self.dwellings[d].complex as usize],
                complex_spreiding_voor: self.vlet_c[self.dwellings[d].complex as usize],
                rotterdamwet: m.buurten[b].rotterdamwet,
                regio_6jaar: self.seekers[s].flags & 1 != 0,
                screening: self.seekers[s].flags & 2 != 0,
            });
        }
        let home = self.s_home.get(s).copied().unwrap_or(NONE);
        if home != NONE {
            // a move within the stock: the household leaves its dwelling, which is let next
            let h = home as usize;
            self.add_household(h, -1);
            self.dwellings[h].tenant = NONE;
            self.dwellings[h].exit = NO_EXIT;
            self.exits_b[self.dwellings[h].buurt as usize] += 1;
            self.chain.push(home);
            self.s_home[s] = NONE;
            self.out.accounts.doorstroom += 1;
            self.y.moves += 1;
        }
        self.dwellings[d].tenant = self.s_hh[s];
        self.dwellings[d].t_class = c;
        self.dwellings[d].t_groups = g;
        self.set_rent(d, rent);
        self.dwellings[d].start = self.year as i16;
        if self.year + (m.hazard.window as usize) < self.years {
            self.out.accounts.nieuw_cohort += 1;
        }
        self.set_state(s, PLACED);
        self.add_household(d, 1);
        let dur = m
            .hazard
            .draw_remaining(self.dwellings[d].kind, 0, &mut self.rng) as usize;
        let ey = self.year + dur;
        if ey < self.years {
            self.dwellings[d].exit = ey as u16;
            self.buckets[ey].push(d as u32);
        } else {
            self.dwellings[d].exit = NO_EXIT;
        }
        // counters
        if daeb {
            self.y.social += 1;
            let inc = class_inc(c);
            if inc >= 2 {
                self.y.nontarget += 1;
            }
            if inc == 0 {
                self.y.passend_n += 1;
                let cap = if class_size(c) == 2 {
                    m.regels.aftopping_hoog
                } else {
                    m.regels.aftopping_laag
                };
                if rent > cap as f32 {
                    self.y.passend_e += 1;
                }
            }
            if kanaal == Kanaal::Bemiddeling {
                self.y.mediated += 1;
            }
        }
        if m.stroom_urgent[si] && kanaal != Kanaal::Zorg {
            self.used[si] += 1.0;
        }
        self.let_b[b] += 1;
        let cx = self.dwellings[d].complex as usize;
        self.let_c[cx] += 1;
        if class_vuln(c) {
            self.vlet_c[cx] += 1;
        }
        if class_vuln(c) {
            self.vlet_b[b] += 1;
        }
        let kw = g & m.kwetsbaar_mask != 0;
        if kw {
            self.kwlet_b[b] += 1;
        }
        let wait = (now - self.seekers[s].reg).max(0.0);
        if kw {
            self.y.wait_kw.0 += f64::from(wait);
            self.y.wait_kw.1 += 1;
        } else {
            self.y.wait_other.0 += f64::from(wait);
            self.y.wait_other.1 += 1;
        }
        if !m.stroom_urgent[si] {
            self.wait_b[b].0 += wait;
            self.wait_b[b].1 += 1;
        }
        if kanaal == Kanaal::Loting {
            self.lot_b[b] += 1;
            self.y.lottery += 1;
        }
        self.placed_s[si] += 1;
        self.wait_s[si].0 += f64::from(wait);
        self.wait_s[si].1 += 1;
        self.stream_b[b * self.ns + si] += 1;
        self.out.accounts.zoekers_geplaatst += 1;
        if si == m.stromen.len() - 1 {
            self.out.accounts.herhuisvest += 1;
        } else if home == NONE {
            self.out.accounts.instroom += 1;
        }
        self.out.verhuringen += 1;
    }

    /// Drops placed and stopped seekers from the queues; seekers whose search ends before
    /// next year stop now.
    fn compact(&mut self) {
        let next = (self.year + 1) as u16;
        for c in 0..CLASSES {
            let h = self.qh[c];
            let mut q = std::mem::take(&mut self.q[c]);
            let mut w = 0;
            for i in h..q.len() {
                let s = entry_seeker(q[i]);
                if !self.is_waiting(s) {
                    continue;
                }
                if entry_stop_year(q[i]) <= next {
                    self.set_state(s, STOPPED);
                    self.y.stopped += 1;
                    self.out.accounts.zoekers_gestopt += 1;
                    if let Some(&h) = self.s_home.get(s)
                        && h != NONE
                    {
                        // a mover who gives up stays; the tenancy goes on
                        self.s_home[s] = NONE;
                        let h = h as usize;
                        let dur = self.m.hazard.draw_remaining(
                            self.dwellings[h].kind,
                            self.m.hazard.window,
                            &mut self.rng,
                        ) as usize;
                        let ey = self.year + dur;
                        if ey < self.years {
                            self.dwellings[h].exit = ey as u16;
                            self.buckets[ey].push(h as u32);
                        }
                    }
                    continue;
                }
                q[w] = q[i];
                w += 1;
            }
            q.truncate(w);
            self.q[c] = q;
            self.qh[c] = 0;
            self.fix_head(c);
        }
        for si in 0..self.ns {
            let h = self.uh[si];
            let seekers = &self.seekers;
            let mut q = std::mem::take(&mut self.uq[si]);
            q.drain(..h);
            q.retain(|&s| seekers[s as usize].state == WAITING);
            self.uq[si] = q;
            self.uh[si] = 0;
        }
    }

    fn record(&mut self) {
        let m = self.m;
        let r = &m.regels;
        let year = self.year;
        let nb = self.nb;
        // rents: sitting tenants' increase in real terms (see crate docs), sums per buurt
        let f = m.scenario.huurbeleid.verhoging_factor;
        let index = 1.0 + r.huurverhoging_max_sociaal;
        let grow = [
            ((1.0 + f * r.huurverhoging_max_sociaal) / index) as f32,
            ((1.0 + f * r.huurverhoging_max_midden) / index) as f32,
            ((1.0 + f * r.huurverhoging_max_vrij) / index) as f32,
        ];
        self.social_rent_factor *= f64::from(grow[0]);
        let nonsocial_rent_sum = &mut self.nonsocial_rent_sum;
        nonsocial_rent_sum.iter_mut().for_each(|x| *x = 0.0);
        for &d in &self.nonsocial_dwellings {
            let d = d as usize;
            let s = self.dwellings[d].seg as usize;
            if self.dwellings[d].flags & F_ACTIVE == 0
                || s == SEG_SOCIAAL as usize
                || self.dwellings[d].tenant == NONE
            {
                continue;
            }
            let x = (self.dwellings[d].rent * grow[s]).min(self.dwellings[d].max_rent);
            self.dwellings[d].rent = x;
            nonsocial_rent_sum[self.dwellings[d].buurt as usize] += f64::from(x);
        }
        // (sum of rents, sum of maximum rents, occupied dwellings) per buurt; the sums of f32
        // rents in f64 are exact, so they do not depend on the order of the additions
        let rent_b: Vec<(f64, f64, u32)> = (0..nb)
            .map(|b| {
                (
                    self.social_rent_factor * self.social_base_rent_sum[b]
                        + self.nonsocial_rent_sum[b],
                    self.max_rent_sum[b],
                    self.hh[b],
                )
            })
            .collect();
        let seg_b = &self.segment_counts;
        let act_b: Vec<u32> = seg_b.iter().map(|x| x[0] + x[1] + x[2]).collect();
        let mut vacant_b = vec![0u32; nb];
        for &d in &self.vacant {
            vacant_b[self.dwellings[d as usize].buurt as usize] += 1;
        }
        // region: additive sums (combined over housing markets by `region_row`)
        let raw = &mut self.raw[year * self.nraw..(year + 1) * self.nraw];
        let y = &self.y;
        let rents: (f64, u32) = rent_b.iter().fold((0.0, 0), |a, x| (a.0 + x.0, a.1 + x.2));
        let segs: [u32; 3] = seg_b
            .iter()
            .fold([0; 3], |a, x| [a[0] + x[0], a[1] + x[1], a[2] + x[2]]);
        let nact: u32 = act_b.iter().sum();
        raw[S_LETS] = f64::from(self.let_b.iter().sum::<u32>());
        raw[S_SOCIAL] = f64::from(y.social);
        raw[S_NONTARGET] = f64::from(y.nontarget);
        raw[S_PASSEND_N] = f64::from(y.passend_n);
        raw[S_PASSEND_E] = f64::from(y.passend_e);
        raw[S_MEDIATED] = f64::from(y.mediated);
        raw[S_OFFERS] = y.offers as f64;
        raw[S_STOPPED] = f64::from(y.stopped);
        raw[S_VACANT] = self.vacant.len() as f64;
        raw[S_RENT] = rents.0;
        raw[S_RENT_N] = f64::from(rents.1);
        for (s, &n) in segs.iter().enumerate() {
            raw[S_SEG + s] = f64::from(n);
        }
        raw[S_NACT] = f64::from(nact);
        raw[S_WKW] = y.wait_kw.0;
        raw[S_WKW_N] = f64::from(y.wait_kw.1);
        raw[S_WOT] = y.wait_other.0;
        raw[S_WOT_N] = f64::from(y.wait_other.1);
        raw[S_EXITS] = f64::from(y.exits);
        raw[S_LOTTERY] = f64::from(y.lottery);
        raw[S_BLOCKED] = f64::from(y.blocked);
        raw[S_MOVES] = f64::from(y.moves);
        for si in 0..self.ns {
            let waiting = if m.stroom_urgent[si] {
                self.uq[si].len()
            } else {
                self.q.iter().map(Vec::len).sum::<usize>()
            };
            let r = &mut raw[S_STROOM + 4 * si..S_STROOM + 4 * si + 4];
            r[0] = f64::from(self.placed_s[si]);
            r[1] = self.wait_s[si].0;
            r[2] = f64::from(self.wait_s[si].1);
            r[3] = waiting as f64;
        }
        let bh = &mut self.bh[year * nb * 3..(year + 1) * nb * 3];
        for b in 0..nb {
            bh[3 * b] = self.hh[b];
            bh[3 * b + 1] = self.kw[b];
            bh[3 * b + 2] = self.kwlet_b[b];
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let set = |row: &mut [f32], i: usize, v: f64| row[i] = v as f32;
        self.out.aanbiedingen += y.offers;
        if self.out.buurt.is_empty() {
            return;
        }
        let k = self.metrics_b;
        let ng = self.ng;
        let ns = self.ns;
        for b in 0..nb {
            let base = (year * nb + b) * k;
            let row = &mut self.out.buurt[base..base + k];
            let h = f64::from(self.hh[b]);
            let bu = &m.buurten[b];
            set(row, B_HH, h);
            set(row, B_KWETSBAAR, ratio(f64::from(self.kw[b]), h));
            set(
                row,
                B_KWETSBAAR_BUURT,
                ratio(
                    f64::from(self.kw[b]) + bu.achtergrond_kwetsbaar,
                    h + bu.achtergrond_hh,
                ),
            );
            for i in 0..4 {
                set(row, B_INK + i, ratio(f64::from(self.inc[b * 4 + i]), h));
            }
            set(row, B_VERHUUR, f64::from(self.let_b[b]));
            set(row, B_VERHUUR_KW, f64::from(self.kwlet_b[b]));
            set(
                row,
                B_INSTROOM_KW,
                ratio(f64::from(self.kwlet_b[b]), f64::from(self.let_b[b])),
            );
            set(row, B_GEBLOKKEERD, f64::from(self.blocked_b[b]));
            set(
                row,
                B_MUTATIE,
                ratio(f64::from(self.exits_b[b]), f64::from(self.hh_start_b[b])),
            );
            let (rs, ms, n) = rent_b[b];
            set(row, B_HUUR, ratio(rs, f64::from(n)));
            set(row, B_MAXHUUR, ratio(ms, f64::from(n)));
            for (s, &n) in seg_b[b].iter().enumerate() {
                set(row, B_SEG + s, ratio(f64::from(n), f64::from(act_b[b])));
            }
            set(row, B_WONINGEN, f64::from(act_b[b]));
            set(
                row,
                B_WACHT,
                ratio(f64::from(self.wait_b[b].0), f64::from(self.wait_b[b].1)),
            );
            set(row, B_LEEG, f64::from(vacant_b[b]));
            set(row, B_LOTING, f64::from(self.lot_b[b]));
            for g in 0..ng {
                set(row, B_GROEP + g, ratio(f64::from(self.grp[b * ng + g]), h));
            }
            for si in 0..ns {
                set(
                    row,
                    B_GROEP + ng + si,
                    f64::from(self.stream_b[b * ns + si]),
                );
            }
            let score = match &m.kwetsbaarheid {
                Some(comp) => {
                    let (inc0, een0, grp0) = (&m.counts0.3, &m.een0, &m.counts0.2);
                    let d = |now: u32, then: u32| f64::from(now) - f64::from(then);
                    let d_uit = match self.uitkering {
                        Some(g) => d(self.grp[b * ng + g], grp0[b * ng + g]),
                        None => 0.0,
                    };
                    comp.score(
                        b,
                        d(self.hh[b], m.counts0.0[b]),
                        d(self.inc[b * 4], inc0[b * 4]),
                        d(self.een[b], een0[b]),
                        d_uit,
                    )
                }
                None => f64::NAN,
            };
            set(row, B_GROEP + ng + ns, score);
        }
    }

    fn finish(mut self) -> RunOutput {
        let a = &mut self.out.accounts;
        a.huishoudens_eind = self.dwellings.iter().filter(|w| w.tenant != NONE).count() as u64;
        a.zoekers_eind = self.seekers.iter().filter(|s| s.state == WAITING).count() as u64;
        if self.audit {
            let mut ids: Vec<u32> = self
                .dwellings
                .iter()
                .map(|w| w.tenant)
                .filter(|&t| t != NONE)
                .collect();
            ids.sort_unstable();
            a.dubbel = ids.windows(2).filter(|w| w[0] == w[1]).count() as u64;
        }
        self.out
    }
}
