//! *Huurmix*: WWS points, maximum rents and segments per buurt of the corporation's stock (the
//! flat portfolio CSV), and a retrofit what-if ("every dwelling with a worse label to label X"):
//! Δ points, Δ maximum rent and segment changes per buurt, through the WWS engine.
//!
//! ## Privacy (issue 8, item 4)
//!
//! Every number here is computed from the corporation's dwellings, so it passes through
//! `veerkracht-privacy` before it reaches the page, the API, the CSV or the CLI
//! ([`publish`]). The count tables of a buurt — dwellings, points bands, segments, energy
//! labels, dwellings with a known rent, rents above the maximum — all describe the same
//! dwellings, so they are suppressed *together*, as one [`veerkracht_privacy::Frame`]:
//!
//! - one row per buurt, one column per count; the buurt's dwelling count is one slot that
//!   every table of the buurt adds up to (a shared margin), and every column has its
//!   portfolio total (the *totaal* row), with the same identities;
//! - the points bands and the segments are tied by the rules (a dwelling with 144–186 points
//!   is middenhuur): their joint count per buurt is an unpublished column of the frame, so a
//!   reader who subtracts a band from a segment is taken into account;
//! - counts from 1 to k − 1 are withheld (primary), and more counts are withheld until no
//!   line — a table's row, a column with its total — lets a withheld count or a group of
//!   fewer than k dwellings be solved (secondary);
//! - a mean or share is shown only when the count it is taken over is shown (mean points and
//!   maximum rent: the dwellings; mean rent and rent / maximum: the dwellings with a rent;
//!   the what-if's mean Δs: the dwellings and the improved ones);
//! - the retrofit what-if to *every* label is part of the same frame (issue 21: answers
//!   suppressed one by one gave withheld label counts away when a reader subtracted the
//!   improved dwellings of two consecutive labels): per label the improved dwellings and
//!   segment changes, tied to the labels worse than the target (the worse-label counts of
//!   consecutive labels nested as identities, failed valuations as known zeros when there
//!   are none). [`joint_publication`] suppresses it once per mix and rule (cached in the
//!   [`Mix`]); the page and the API with or without `naar=`, `veerkracht wws --rent-mix`
//!   and a buurt shared into a plan ([`published_buurt`]) are all slices of it;
//! - after the line walk, the linked-table audit of `veerkracht_privacy::audit` (linear
//!   programs over everything published) must pass; where it does not, more is withheld
//!   (`Frame::suppress_audited`).
//!
//! Withheld figures are `null` in JSON and empty in CSV, with the reason in `afgeschermd`
//! (`minder_dan_k`, `secundair`, `basis`); the page shows "·" with a legend. k is the caller's
//! [`veerkracht_privacy::Options`] (default 10; `serve --min-cel`, `wws --min-cel`).

#![warn(missing_docs)]

pub mod variant;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use veerkracht_privacy::{Cell, Frame, PublishedFrame, Reason};
use veerkracht_wws::flat::FlatUnit;
use veerkracht_wws::mix::{BuurtMix, PUNTEN_KLASSEN, RentMix};
use veerkracht_wws::{Options, Punten, Resultaat, Segment};

/// Energy labels from best to worst.
pub const LABELS: [&str; 11] = [
    "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
];

/// A corporation stock in the flat portfolio form.
pub struct Voorraad {
    /// Where it comes from (file name; "synthetische demodata" for the demo).
    pub source: String,
    /// the dwellings, one per row of the file, in file order
    pub units: Vec<FlatUnit>,
}

impl Voorraad {
    /// Parses the flat CSV; the error names the row and field.
    pub fn parse(source: impl Into<String>, text: &str) -> Result<Voorraad, String> {
        let source = source.into();
        let units = veerkracht_wws::flat::parse_csv(text).map_err(|e| format!("{source}: {e}"))?;
        Ok(Voorraad { source, units })
    }
}

/// Dwellings of one buurt per (points band, segment): the bands of [`PUNTEN_KLASSEN`] and
/// then "in no band"; the segments sociaal, middenhuur, vrije sector and then "none".
pub type Joint = [[u64; 4]; 5];

/// The rent mix of the stock (valued once, cached by the state).
pub struct Mix {
    /// counts, means and distributions per buurt and in total (the WWS engine's aggregate)
    pub mix: RentMix,
    /// rows that could not be valued (left out of every count; the page and the CLI say how many)
    pub errors: usize,
    /// the date whose WWS rules and tables were applied (`YYYY-MM-DD`)
    pub peildatum: String,
    /// per buurt (the keys of `mix.buurten`): the joint count of points band and segment,
    /// which ties the two tables together for the suppression
    pub joint: BTreeMap<String, Joint>,
    /// per label of [`LABELS`]: the retrofit what-if to that label per buurt (filled by
    /// [`Mix::add_what_ifs`]; [`mix_of`] does); a label missing here is published withheld
    pub wat_als: BTreeMap<String, BTreeMap<String, BuurtWhatIf>>,
    /// the joint publications of this mix, per rule ([`joint_publication`]); cleared by
    /// every `add`
    published: std::sync::Mutex<Vec<(veerkracht_privacy::Options, Arc<PublishedMix>)>>,
}

impl Mix {
    /// An empty mix valued at `peildatum`; fill it with [`Mix::add`].
    pub fn new(peildatum: impl Into<String>) -> Mix {
        Mix {
            mix: RentMix::default(),
            errors: 0,
            peildatum: peildatum.into(),
            joint: BTreeMap::new(),
            wat_als: BTreeMap::new(),
            published: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Adds the retrofit what-if of one dwelling valued `p0` (as [`Mix::add_punten`] got it)
    /// to every label of [`LABELS`]: the same numbers as [`what_if_units`] per label, so that
    /// the rent mix and every what-if are published together ([`publish`]).
    pub fn add_what_ifs(
        &mut self,
        u: &FlatUnit,
        p0: &Punten,
        w: &mut veerkracht_wws::flat::FlatWaardeerder,
    ) {
        self.clear_published();
        let code = u.buurtcode.clone().unwrap_or_else(|| "onbekend".into());
        let r = u.energielabel.as_deref().and_then(rank);
        for (t, target) in LABELS.iter().enumerate() {
            let b = self
                .wat_als
                .entry(target.to_string())
                .or_default()
                .entry(code.clone())
                .or_default();
            b.woningen += 1;
            if r.is_none_or(|r| r <= t) {
                continue;
            }
            let mut after = u.clone();
            after.energielabel = Some(target.to_string());
            if let Ok(p1) = w.punten(&after) {
                b.record(p0, &p1);
            }
        }
    }

    fn clear_published(&mut self) {
        if let Ok(v) = self.published.get_mut() {
            v.clear();
        }
    }

    /// Adds one valued dwelling.
    pub fn add(&mut self, u: &FlatUnit, r: &Resultaat) {
        self.clear_published();
        let code = u.buurtcode.as_deref();
        self.mix
            .add(code, r, u.kale_huur, u.energielabel.as_deref());
        self.add_joint(code, r.punten, r.segment);
    }

    /// Adds one dwelling valued points-only (the same numbers as [`Mix::add`]).
    pub fn add_punten(&mut self, u: &FlatUnit, p: &Punten) {
        self.clear_published();
        let code = u.buurtcode.as_deref();
        self.mix
            .add_punten(code, p, u.kale_huur, u.energielabel.as_deref());
        self.add_joint(code, p.punten, p.segment);
    }

    fn add_joint(&mut self, code: Option<&str>, punten: f64, segment: Option<Segment>) {
        let j = self
            .joint
            .entry(code.unwrap_or("onbekend").to_string())
            .or_default();
        j[band(punten)][segment_index(segment)] += 1;
    }
}

/// The points band of [`PUNTEN_KLASSEN`] (as `BuurtMix` counts it), 4 for none.
fn band(punten: f64) -> usize {
    PUNTEN_KLASSEN
        .iter()
        .position(|k| punten >= k.1 && punten <= k.2)
        .unwrap_or(4)
}

pub(crate) fn segment_index(s: Option<Segment>) -> usize {
    match s {
        Some(Segment::Sociaal) => 0,
        Some(Segment::Middenhuur) => 1,
        Some(Segment::VrijeSector) => 2,
        None => 3,
    }
}

/// The rent mix of `voorraad` valued with the default options (peildatum 2026-07-01), with
/// the what-if to every label.
pub fn compute_mix(voorraad: &Voorraad) -> Mix {
    mix_of(&voorraad.units, &Options::default())
}

/// Values `units` with `opts` (points-only, with the flat form's memo: the same numbers
/// as a full valuation) and aggregates them, with the what-if to every label; rows that
/// fail are counted in `errors`.
pub fn mix_of(units: &[FlatUnit], opts: &Options) -> Mix {
    let mut m = Mix::new(opts.peildatum.to_string());
    let mut w = veerkracht_wws::flat::FlatWaardeerder::new(opts);
    for u in units {
        match w.punten(u) {
            Ok(p) => {
                m.add_punten(u, &p);
                m.add_what_ifs(u, &p, &mut w);
            }
            Err(_) => m.errors += 1,
        }
    }
    m
}

/// The what-if per buurt (before suppression).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuurtWhatIf {
    /// valued dwellings
    pub woningen: usize,
    /// dwellings whose label improves (valued before and after)
    pub verbeterd: usize,
    /// Σ Δ points and Σ Δ maximum rent over the buurt
    pub som_delta_punten: f64,
    /// Σ Δ maximum rent (euro per month, including surcharges) over the buurt
    pub som_delta_maximale_huur: f64,
    /// improved dwellings that move from sociaal to middenhuur
    pub sociaal_naar_midden: usize,
    /// improved dwellings that move from middenhuur to vrije sector
    pub midden_naar_vrij: usize,
    /// improved dwellings that move from sociaal to vrije sector
    pub sociaal_naar_vrij: usize,
}

impl BuurtWhatIf {
    /// Mean Δ points over all dwellings of the buurt (the change its residents see).
    pub fn delta_punten_gemiddeld(&self) -> f64 {
        self.som_delta_punten / self.woningen.max(1) as f64
    }
    /// Mean Δ maximum rent (euro per month) over all dwellings of the buurt.
    pub fn delta_maximale_huur_gemiddeld(&self) -> f64 {
        self.som_delta_maximale_huur / self.woningen.max(1) as f64
    }

    /// One improved dwelling: valued `p0` before, `p1` after.
    fn record(&mut self, p0: &Punten, p1: &Punten) {
        self.verbeterd += 1;
        self.som_delta_punten += p1.punten - p0.punten;
        self.som_delta_maximale_huur +=
            p1.maximale_huur_inclusief_opslag - p0.maximale_huur_inclusief_opslag;
        match (p0.segment, p1.segment) {
            (Some(Segment::Sociaal), Some(Segment::Middenhuur)) => self.sociaal_naar_midden += 1,
            (Some(Segment::Middenhuur), Some(Segment::VrijeSector)) => self.midden_naar_vrij += 1,
            (Some(Segment::Sociaal), Some(Segment::VrijeSector)) => self.sociaal_naar_vrij += 1,
            _ => {}
        }
    }
}

/// The rank of a label in [`LABELS`] (0 = best).
fn rank(l: &str) -> Option<usize> {
    LABELS.iter().position(|x| *x == l)
}

/// Every dwelling whose label is worse than `target` gets `target`; points only, both sides.
/// Dwellings that cannot be valued are left out (as in the rent mix).
pub fn what_if(voorraad: &Voorraad, target: &str) -> BTreeMap<String, BuurtWhatIf> {
    what_if_units(&voorraad.units, target, &Options::default())
}

/// [`what_if`] on units with explicit valuation options.
pub fn what_if_units(
    units: &[FlatUnit],
    target: &str,
    opts: &Options,
) -> BTreeMap<String, BuurtWhatIf> {
    let t = rank(target).expect("validated label");
    let mut out: BTreeMap<String, BuurtWhatIf> = BTreeMap::new();
    let mut w = veerkracht_wws::flat::FlatWaardeerder::new(opts);
    for u in units {
        let Ok(p0) = w.punten(u) else {
            continue;
        };
        let b = out
            .entry(u.buurtcode.clone().unwrap_or_else(|| "onbekend".into()))
            .or_default();
        b.woningen += 1;
        let worse = u
            .energielabel
            .as_deref()
            .and_then(rank)
            .is_some_and(|r| r > t);
        if !worse {
            continue;
        }
        let mut after = u.clone();
        after.energielabel = Some(target.to_string());
        let Ok(p1) = w.punten(&after) else {
            continue;
        };
        b.record(&p0, &p1);
    }
    out
}

// ---------------------------------------------------------------------------------------
// publication (suppression)

/// One buurt's rent mix as it may be published: a withheld figure is `None` and named in
/// `afgeschermd` (a `None` not named there means there is nothing to show, e.g. no rents).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedBuurt {
    /// dwellings in the buurt (valued)
    pub aantal: Option<u64>,
    /// mean WWS points
    pub gemiddelde_punten: Option<f64>,
    /// per band of [`PUNTEN_KLASSEN`]
    pub punten_verdeling: [Option<u64>; 4],
    /// mean maximum rent including surcharges (euro per month)
    pub gemiddelde_maximale_huur: Option<f64>,
    /// dwellings with a known rent (`kale_huur` given)
    pub aantal_met_huur: Option<u64>,
    /// mean rent of the dwellings with a known rent (euro per month)
    pub gemiddelde_huur: Option<f64>,
    /// mean of rent / maximum rent over the dwellings with a known rent
    pub huur_als_aandeel_van_maximum: Option<f64>,
    /// dwellings whose rent is above their maximum rent
    pub boven_maximum: Option<u64>,
    /// dwellings in the social segment (maximum rent up to the DAEB limit)
    pub sociaal: Option<u64>,
    /// dwellings in the middenhuur segment (144–186 points)
    pub middenhuur: Option<u64>,
    /// dwellings in the vrije sector
    pub vrije_sector: Option<u64>,
    /// every label of the stock ("onbekend" when not given)
    pub labels: BTreeMap<String, Option<u64>>,
    /// withheld field → why (`punten_verdeling.<100`, `labels.A`, `gemiddelde_huur`, …)
    pub afgeschermd: BTreeMap<String, Reason>,
}

impl PublishedBuurt {
    /// Whether `field` (a name of `afgeschermd`, e.g. `labels.A`) is withheld.
    pub fn is_withheld(&self, field: &str) -> bool {
        self.afgeschermd.contains_key(field)
    }
}

/// One buurt's retrofit what-if as it may be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedWhatIf {
    /// the buurt's dwellings (the rent mix's `aantal`)
    pub woningen: Option<u64>,
    /// dwellings whose label improves to the target
    pub verbeterd: Option<u64>,
    /// mean over all dwellings of the buurt
    pub delta_punten_gemiddeld: Option<f64>,
    /// mean Δ maximum rent over all dwellings of the buurt (euro per month)
    pub delta_maximale_huur_gemiddeld: Option<f64>,
    /// improved dwellings that move from sociaal to middenhuur
    pub sociaal_naar_midden: Option<u64>,
    /// improved dwellings that move from middenhuur to vrije sector
    pub midden_naar_vrij: Option<u64>,
    /// improved dwellings that move from sociaal to vrije sector
    pub sociaal_naar_vrij: Option<u64>,
    /// withheld field → why
    pub afgeschermd: BTreeMap<String, Reason>,
}

impl PublishedWhatIf {
    /// Whether `field` is withheld.
    pub fn is_withheld(&self, field: &str) -> bool {
        self.afgeschermd.contains_key(field)
    }
}

/// The what-if to one label, published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedWhatIfs {
    /// the target label (one of [`LABELS`])
    pub naar: String,
    /// per buurt code
    pub buurten: BTreeMap<String, PublishedWhatIf>,
    /// the whole voorraad
    pub totaal: PublishedWhatIf,
}

/// The rent mix as it may be published (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedMix {
    /// per buurt code
    pub buurten: BTreeMap<String, PublishedBuurt>,
    /// the whole voorraad (the *totaal* row)
    pub totaal: PublishedBuurt,
    /// the what-if to one label, when asked for (`naar=`)
    pub wat_als: Option<PublishedWhatIfs>,
    #[serde(skip)]
    /// the suppression rule it was published with
    pub options: veerkracht_privacy::Options,
    /// the what-if to every label of [`LABELS`] as the one joint publication shows it
    /// (`wat_als` is one of them, see [`PublishedMix::naar`])
    #[serde(skip)]
    pub wat_als_alle: BTreeMap<String, PublishedWhatIfs>,
    /// the frame behind it (for audits and tests): the rent mix and every what-if
    #[serde(skip)]
    pub frames: Vec<(Frame, PublishedFrame)>,
}

impl PublishedMix {
    /// The same publication with the what-if to `target` (a slice of the joint
    /// publication; nothing is suppressed again). A label the mix has no what-if for is
    /// withheld as a whole.
    pub fn naar(&self, target: Option<&str>) -> PublishedMix {
        let mut p = self.clone();
        p.wat_als = target.map(|t| {
            self.wat_als_alle
                .get(t)
                .cloned()
                .unwrap_or_else(|| withheld_what_if(t, self.buurten.keys()))
        });
        p
    }
}

/// A what-if withheld as a whole (its dwellings could not be tied to the rent mix's).
fn withheld_what_if<'a>(target: &str, codes: impl Iterator<Item = &'a String>) -> PublishedWhatIfs {
    let all = || {
        let mut afg = BTreeMap::new();
        for k in [
            "woningen",
            "verbeterd",
            "delta_punten_gemiddeld",
            "delta_maximale_huur_gemiddeld",
            "sociaal_naar_midden",
            "midden_naar_vrij",
            "sociaal_naar_vrij",
        ] {
            afg.insert(k.to_string(), Reason::Secondary);
        }
        PublishedWhatIf {
            woningen: None,
            verbeterd: None,
            delta_punten_gemiddeld: None,
            delta_maximale_huur_gemiddeld: None,
            sociaal_naar_midden: None,
            midden_naar_vrij: None,
            sociaal_naar_vrij: None,
            afgeschermd: afg,
        }
    };
    PublishedWhatIfs {
        naar: target.to_string(),
        buurten: codes.map(|c| (c.clone(), all())).collect(),
        totaal: all(),
    }
}

/// The column names of the points bands in the frame (and in `afgeschermd`).
pub fn band_field(i: usize) -> String {
    format!("punten_verdeling.{}", PUNTEN_KLASSEN[i].0)
}

/// Column indices of the rent mix frame.
struct Cols {
    aantal: usize,
    bands: [usize; 4],
    segs: [usize; 3],
    labels: Vec<(String, usize)>,
    met_huur: usize,
    boven: usize,
}

/// The labels of the stock: [`LABELS`] order, then any other text, "onbekend" last.
fn label_names(m: &RentMix) -> Vec<String> {
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for b in m.buurten.values() {
        seen.extend(b.labels.keys().map(String::as_str));
    }
    let mut out: Vec<String> = LABELS
        .iter()
        .filter(|l| seen.contains(*l))
        .map(|l| l.to_string())
        .collect();
    out.extend(
        seen.iter()
            .filter(|l| rank(l).is_none() && **l != "onbekend")
            .map(|l| l.to_string()),
    );
    if seen.contains("onbekend") {
        out.push("onbekend".into());
    }
    out
}

const NO_JOINT: Joint = [[0; 4]; 5];

/// The rent mix's count tables as one frame.
fn mix_frame(m: &Mix) -> (Frame, Cols) {
    let codes: Vec<&String> = m.mix.buurten.keys().collect();
    let col = |f: &dyn Fn(&BuurtMix, &Joint) -> u64| -> Vec<u64> {
        codes
            .iter()
            .map(|c| f(&m.mix.buurten[*c], m.joint.get(*c).unwrap_or(&NO_JOINT)))
            .collect()
    };
    let mut f = Frame::new(codes.iter().map(|c| c.to_string()).collect());
    let aantal = f.add("aantal", true, col(&|b, _| b.aantal as u64));
    let mut joint = [[0; 4]; 5];
    for (bi, row) in joint.iter_mut().enumerate() {
        for (si, c) in row.iter_mut().enumerate() {
            *c = f.add(format!("joint.{bi}.{si}"), false, col(&|_, j| j[bi][si]));
        }
    }
    let mut bands = [0; 4];
    for (i, c) in bands.iter_mut().enumerate() {
        *c = f.add(
            band_field(i),
            true,
            col(&|b, _| b.punten_verdeling[i] as u64),
        );
    }
    let geen_band = f.add(
        "punten_verdeling.geen",
        false,
        col(&|_, j| j[4].iter().sum()),
    );
    let segs = [
        f.add("sociaal", true, col(&|b, _| b.sociaal as u64)),
        f.add("middenhuur", true, col(&|b, _| b.middenhuur as u64)),
        f.add("vrije_sector", true, col(&|b, _| b.vrije_sector as u64)),
    ];
    let geen_segment = f.add(
        "segment.geen",
        false,
        col(&|_, j| j.iter().map(|r| r[3]).sum()),
    );
    let labels: Vec<(String, usize)> = label_names(&m.mix)
        .into_iter()
        .map(|l| {
            let c = f.add(
                format!("labels.{l}"),
                true,
                col(&|b, _| b.labels.get(&l).copied().unwrap_or(0) as u64),
            );
            (l, c)
        })
        .collect();
    let met_huur = f.add(
        "aantal_met_huur",
        true,
        col(&|b, _| b.aantal_met_huur as u64),
    );
    let zonder_huur = f.add(
        "zonder_huur",
        false,
        col(&|b, _| (b.aantal - b.aantal_met_huur) as u64),
    );
    let boven = f.add("boven_maximum", true, col(&|b, _| b.boven_maximum as u64));
    let binnen = f.add(
        "binnen_maximum",
        false,
        col(&|b, _| (b.aantal_met_huur - b.boven_maximum) as u64),
    );
    let ids: Vec<(Vec<usize>, usize)> = {
        let mut v = Vec::new();
        for (bi, &band_col) in bands.iter().chain([&geen_band]).enumerate() {
            v.push((joint[bi].to_vec(), band_col));
        }
        for (si, &seg_col) in segs.iter().chain([&geen_segment]).enumerate() {
            v.push(((0..5).map(|bi| joint[bi][si]).collect(), seg_col));
        }
        v.push((bands.iter().copied().chain([geen_band]).collect(), aantal));
        v.push((segs.iter().copied().chain([geen_segment]).collect(), aantal));
        v.push((labels.iter().map(|(_, c)| *c).collect(), aantal));
        v.push((vec![met_huur, zonder_huur], aantal));
        v.push((vec![boven, binnen], met_huur));
        v
    };
    for (members, total) in ids {
        f.identity(&members, total)
            .expect("the rent mix adds up (build a Mix with Mix::add)");
    }
    (
        f,
        Cols {
            aantal,
            bands,
            segs,
            labels,
            met_huur,
            boven,
        },
    )
}

/// Reads one published count; a withheld one is recorded under `field`.
fn count(
    p: &PublishedFrame,
    row: usize,
    col: usize,
    field: &str,
    afg: &mut BTreeMap<String, Reason>,
) -> Option<u64> {
    match p.cell(row, col) {
        Cell::Shown(x) => Some(x),
        Cell::Withheld(r) => {
            afg.insert(field.to_string(), r);
            None
        }
    }
}

/// A mean over a count: shown with its count, else withheld as `basis`.
fn mean(
    base_shown: bool,
    v: Option<f64>,
    field: &str,
    afg: &mut BTreeMap<String, Reason>,
) -> Option<f64> {
    if base_shown {
        v
    } else {
        afg.insert(field.to_string(), Reason::Base);
        None
    }
}

fn published_row(b: &BuurtMix, p: &PublishedFrame, row: usize, c: &Cols) -> PublishedBuurt {
    let mut afg = BTreeMap::new();
    let aantal = count(p, row, c.aantal, "aantal", &mut afg);
    let punten_verdeling =
        std::array::from_fn(|i| count(p, row, c.bands[i], &band_field(i), &mut afg));
    let sociaal = count(p, row, c.segs[0], "sociaal", &mut afg);
    let middenhuur = count(p, row, c.segs[1], "middenhuur", &mut afg);
    let vrije_sector = count(p, row, c.segs[2], "vrije_sector", &mut afg);
    let labels = c
        .labels
        .iter()
        .map(|(l, col)| {
            (
                l.clone(),
                count(p, row, *col, &format!("labels.{l}"), &mut afg),
            )
        })
        .collect();
    let aantal_met_huur = count(p, row, c.met_huur, "aantal_met_huur", &mut afg);
    let boven_maximum = count(p, row, c.boven, "boven_maximum", &mut afg);
    let some = b.aantal > 0;
    PublishedBuurt {
        gemiddelde_punten: mean(
            aantal.is_some(),
            some.then_some(b.gemiddelde_punten),
            "gemiddelde_punten",
            &mut afg,
        ),
        gemiddelde_maximale_huur: mean(
            aantal.is_some(),
            some.then_some(b.gemiddelde_maximale_huur),
            "gemiddelde_maximale_huur",
            &mut afg,
        ),
        gemiddelde_huur: mean(
            aantal_met_huur.is_some(),
            b.gemiddelde_huur,
            "gemiddelde_huur",
            &mut afg,
        ),
        huur_als_aandeel_van_maximum: mean(
            aantal_met_huur.is_some(),
            b.huur_als_aandeel_van_maximum,
            "huur_als_aandeel_van_maximum",
            &mut afg,
        ),
        aantal,
        punten_verdeling,
        aantal_met_huur,
        boven_maximum,
        sociaal,
        middenhuur,
        vrije_sector,
        labels,
        afgeschermd: afg,
    }
}

/// The rent mix as it may be published with minimum cell size `opts.k`, with the retrofit
/// what-if to `target` when given: a slice of [`joint_publication`], so every answer (with
/// or without a what-if, to any label) comes from one suppression of all of them together.
pub fn publish(m: &Mix, target: Option<&str>, opts: &veerkracht_privacy::Options) -> PublishedMix {
    joint_publication(m, opts).naar(target)
}

/// The rent mix and the what-if to every label of [`LABELS`], suppressed together as one
/// frame (issue 21: answers suppressed one by one gave withheld label counts away by
/// differencing), with the linked-table audit ([`veerkracht_privacy::audit`]) passing on
/// the whole. Computed once per mix and rule (cached in the mix).
pub fn joint_publication(m: &Mix, opts: &veerkracht_privacy::Options) -> Arc<PublishedMix> {
    if let Ok(c) = m.published.lock()
        && let Some((_, p)) = c.iter().find(|(o, _)| o == opts)
    {
        return p.clone();
    }
    let p = Arc::new(publish_joint(m, opts));
    if let Ok(mut c) = m.published.lock() {
        c.push((*opts, p.clone()));
    }
    p
}

fn publish_joint(m: &Mix, opts: &veerkracht_privacy::Options) -> PublishedMix {
    let (mut f, c) = mix_frame(m);
    let what_ifs = what_if_columns(&mut f, m, &c);
    let p = f.suppress_audited(opts);
    let n = f.rows().len();
    let buurten = m
        .mix
        .buurten
        .iter()
        .enumerate()
        .map(|(r, (code, b))| (code.clone(), published_row(b, &p, r, &c)))
        .collect();
    let totaal = published_row(&m.mix.totaal, &p, n, &c);
    let wat_als_alle = what_ifs
        .iter()
        .map(|(target, cols)| (target.clone(), published_what_if(m, &p, &c, target, *cols)))
        .collect();
    PublishedMix {
        buurten,
        totaal,
        wat_als: None,
        options: *opts,
        wat_als_alle,
        frames: vec![(f, p)],
    }
}

/// One buurt's rent mix as published on `/huurmix` with the same options (the whole mix is
/// suppressed, so the buurt's cells are exactly those of the page): for sharing one buurt's
/// aggregate, e.g. in a shared plan. `None` when the stock has no dwelling in the buurt.
pub fn published_buurt(
    mix: &Mix,
    buurt: &str,
    opts: &veerkracht_privacy::Options,
) -> Option<PublishedBuurt> {
    if !mix.mix.buurten.contains_key(buurt) {
        return None;
    }
    joint_publication(mix, opts).buurten.get(buurt).cloned()
}

/// Per buurt: the dwellings and the dwellings per segment (sociaal, middenhuur, vrije sector)
/// of the voorraad, each with its cell as the rent mix publishes it.
pub type SegmentPins = BTreeMap<String, [(u64, Cell); 4]>;

/// The dwellings and the dwellings per segment of every buurt as the rent mix publishes
/// them, to pin the simulation's counts of the same voorraad to (the simulation's
/// `afscherming` takes them), so that the two publications cannot be differenced.
pub fn segment_pins(m: &Mix, p: &PublishedMix) -> SegmentPins {
    let cell = |b: &PublishedBuurt, field: &str, shown: Option<u64>, v: usize| {
        let c = match (shown, b.afgeschermd.get(field)) {
            (Some(x), _) => Cell::Shown(x),
            (None, Some(Reason::Small)) => Cell::Withheld(Reason::Small),
            (None, _) => Cell::Withheld(Reason::Secondary),
        };
        (v as u64, c)
    };
    p.buurten
        .iter()
        .filter_map(|(code, b)| {
            let raw = m.mix.buurten.get(code)?;
            Some((
                code.clone(),
                [
                    cell(b, "aantal", b.aantal, raw.aantal),
                    cell(b, "sociaal", b.sociaal, raw.sociaal),
                    cell(b, "middenhuur", b.middenhuur, raw.middenhuur),
                    cell(b, "vrije_sector", b.vrije_sector, raw.vrije_sector),
                ],
            ))
        })
        .collect()
}

/// The dwellings and segment dwellings per buurt of a stock file (name, text) as
/// `veerkracht wws --rent-mix` publishes them, for a simulation of the same stock to pin its
/// counts to; `None` when the text is not a stock this crate reads.
pub fn stock_pins(
    name: &str,
    text: &str,
    opts: &veerkracht_privacy::Options,
) -> Option<SegmentPins> {
    let stock = Voorraad::parse(name.to_string(), text).ok()?;
    let mix = compute_mix(&stock);
    let p = publish(&mix, None, opts);
    Some(segment_pins(&mix, &p))
}

/// The published columns of one what-if: improved dwellings and the three segment changes.
type WhatIfCols = [usize; 4];

/// Adds the what-if to every label the mix has one for to the rent mix's frame: per label
/// the improved dwellings and the segment changes (published), tied to the labels worse
/// than the target (the unpublished count `slechter`: improved + failed), the failures and
/// the improved dwellings that change no segment (unpublished; zeros among them are known
/// zeros, as every unpublished zero of a frame). The worse-label counts of consecutive
/// labels are nested (`slechter(L) = label(next L) + slechter(next L)`), which the frame
/// gets as identities too, so the line walk sees the differencing directly. A label whose
/// what-if does not count the rent mix's dwellings is left out (and withheld as a whole).
fn what_if_columns(f: &mut Frame, m: &Mix, c: &Cols) -> Vec<(String, WhatIfCols)> {
    let codes: Vec<&String> = m.mix.buurten.keys().collect();
    let zero = BuurtWhatIf::default();
    let mut out = Vec::new();
    // (rank, slechter column) of the labels added, for the nesting
    let mut nested: Vec<(usize, usize)> = Vec::new();
    for (t, target) in LABELS.iter().enumerate() {
        let Some(w) = m.wat_als.get(*target) else {
            continue;
        };
        let get = |code: &str| w.get(code).unwrap_or(&zero);
        let worse: Vec<usize> = c
            .labels
            .iter()
            .filter(|(l, _)| rank(l).is_some_and(|r| r > t))
            .map(|(_, col)| *col)
            .collect();
        let slechter: Vec<u64> = (0..codes.len())
            .map(|r| worse.iter().map(|&col| f.value(r, col)).sum())
            .collect();
        // the what-if must count the same dwellings as the rent mix
        let consistent = w.keys().all(|k| m.mix.buurten.contains_key(k))
            && codes.iter().enumerate().all(|(r, code)| {
                let x = get(code);
                x.woningen as u64 == f.value(r, c.aantal)
                    && x.verbeterd as u64 <= slechter[r]
                    && x.sociaal_naar_midden + x.midden_naar_vrij + x.sociaal_naar_vrij
                        <= x.verbeterd
            });
        if !consistent {
            continue;
        }
        let v = |k: &dyn Fn(&BuurtWhatIf) -> usize| -> Vec<u64> {
            codes.iter().map(|code| k(get(code)) as u64).collect()
        };
        let mut g = f.clone();
        let name = |x: &str| format!("wat_als.{target}.{x}");
        let sl = g.add(name("slechter"), false, slechter.clone());
        let verbeterd = g.add(name("verbeterd"), true, v(&|x| x.verbeterd));
        let mislukt = g.add(
            name("mislukt"),
            false,
            codes
                .iter()
                .enumerate()
                .map(|(r, code)| slechter[r] - get(code).verbeterd as u64)
                .collect(),
        );
        let sm = g.add(
            name("sociaal_naar_midden"),
            true,
            v(&|x| x.sociaal_naar_midden),
        );
        let mv = g.add(name("midden_naar_vrij"), true, v(&|x| x.midden_naar_vrij));
        let sv = g.add(name("sociaal_naar_vrij"), true, v(&|x| x.sociaal_naar_vrij));
        let rest = g.add(
            name("geen_wissel"),
            false,
            v(&|x| x.verbeterd - x.sociaal_naar_midden - x.midden_naar_vrij - x.sociaal_naar_vrij),
        );
        let mut ok = g.identity(&worse, sl).is_ok()
            && g.identity(&[verbeterd, mislukt], sl).is_ok()
            && g.identity(&[sm, mv, sv, rest], verbeterd).is_ok();
        // nesting: the labels worse than the previous target are this target's worse labels
        // plus the labels between the two
        // (the first: the buurt's dwellings are the labels up to the target, the labels of
        // no rank and the worse ones)
        match nested.last() {
            Some(&(t0, sl0)) => {
                let between: Vec<usize> = c
                    .labels
                    .iter()
                    .filter(|(l, _)| rank(l).is_some_and(|r| r > t0 && r <= t))
                    .map(|(_, col)| *col)
                    .chain([sl])
                    .collect();
                ok = ok && g.identity(&between, sl0).is_ok();
            }
            None => {
                let rest: Vec<usize> = c
                    .labels
                    .iter()
                    .filter(|(l, _)| rank(l).is_none_or(|r| r <= t))
                    .map(|(_, col)| *col)
                    .chain([sl])
                    .collect();
                ok = ok && g.identity(&rest, c.aantal).is_ok();
            }
        }
        if ok {
            *f = g;
            nested.push((t, sl));
            out.push((target.to_string(), [verbeterd, sm, mv, sv]));
        }
    }
    out
}

/// The what-if to `target` as the joint publication `q` shows it.
fn published_what_if(
    m: &Mix,
    q: &PublishedFrame,
    c: &Cols,
    target: &str,
    [verbeterd, sm, mv, sv]: WhatIfCols,
) -> PublishedWhatIfs {
    let zero = BuurtWhatIf::default();
    let w = m.wat_als.get(target);
    let get = |code: &str| w.and_then(|w| w.get(code)).unwrap_or(&zero);
    let n = m.mix.buurten.len();
    let row = |r: usize, x: &BuurtWhatIf| {
        let mut afg = BTreeMap::new();
        let woningen = count(q, r, c.aantal, "woningen", &mut afg);
        let verbeterd = count(q, r, verbeterd, "verbeterd", &mut afg);
        let shown = woningen.is_some() && verbeterd.is_some();
        PublishedWhatIf {
            delta_punten_gemiddeld: mean(
                shown,
                Some(x.delta_punten_gemiddeld()),
                "delta_punten_gemiddeld",
                &mut afg,
            ),
            delta_maximale_huur_gemiddeld: mean(
                shown,
                Some(x.delta_maximale_huur_gemiddeld()),
                "delta_maximale_huur_gemiddeld",
                &mut afg,
            ),
            sociaal_naar_midden: count(q, r, sm, "sociaal_naar_midden", &mut afg),
            midden_naar_vrij: count(q, r, mv, "midden_naar_vrij", &mut afg),
            sociaal_naar_vrij: count(q, r, sv, "sociaal_naar_vrij", &mut afg),
            woningen,
            verbeterd,
            afgeschermd: afg,
        }
    };
    let mut tot = BuurtWhatIf::default();
    let buurten = m
        .mix
        .buurten
        .keys()
        .enumerate()
        .map(|(r, code)| {
            let x = get(code);
            tot.woningen += x.woningen;
            tot.som_delta_punten += x.som_delta_punten;
            tot.som_delta_maximale_huur += x.som_delta_maximale_huur;
            (code.clone(), row(r, x))
        })
        .collect();
    let totaal = row(n, &tot);
    PublishedWhatIfs {
        naar: target.to_string(),
        buurten,
        totaal,
    }
}

/// The fields of the CSV export, in order.
const CSV_FIELDS: [&str; 8] = [
    "aantal",
    "gemiddelde_punten",
    "gemiddelde_maximale_huur",
    "gemiddelde_huur",
    "huur_als_aandeel_van_maximum",
    "sociaal",
    "middenhuur",
    "vrije_sector",
];

/// The rows of the CSV export: one per buurt and the total; a withheld figure is empty and
/// `afgeschermd` lists `field:reason` for each.
pub fn csv_rows(p: &PublishedMix) -> Vec<serde_json::Map<String, serde_json::Value>> {
    p.buurten
        .iter()
        .map(|(c, b)| (c.as_str(), b))
        .chain([("totaal", &p.totaal)])
        .map(|(code, b)| {
            let v = serde_json::to_value(b).unwrap_or_default();
            let mut m = serde_json::Map::new();
            m.insert("code".into(), serde_json::json!(code));
            for k in CSV_FIELDS {
                m.insert(k.into(), v[k].clone());
            }
            m.insert(
                "afgeschermd".into(),
                serde_json::json!(
                    CSV_FIELDS
                        .iter()
                        .filter_map(|k| b.afgeschermd.get(*k).map(|r| format!("{k}:{}", r.code())))
                        .collect::<Vec<_>>()
                        .join(";")
                ),
            );
            m
        })
        .collect()
}

/// What the JSON of a published mix says about the suppression.
pub fn afscherming_json(o: &veerkracht_privacy::Options) -> serde_json::Value {
    serde_json::json!({
        "k": o.k,
        "nullen_afgeschermd": o.suppress_zero,
        "uitleg": format!(
            "Aantallen van 1 tot {k} woningen zijn afgeschermd (null, reden minder_dan_k), en zoveel andere dat geen totaal min de getoonde cellen een afgeschermde cel of een groep van minder dan {k} woningen prijsgeeft (secundair); de tabellen van een buurt (punten, segmenten, labels, huur) worden samen afgeschermd. Gemiddelden en aandelen over een afgeschermd aantal zijn ook afgeschermd (basis).",
            k = o.k
        ),
    })
}
