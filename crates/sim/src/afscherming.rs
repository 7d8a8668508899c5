//! Small-cell suppression of the per-buurt figures of a simulation (issue 8, item 4): which
//! figures may be published, with `veerkracht-privacy` doing the counting.
//!
//! ## Which figures count as microdata aggregates
//!
//! Every **per-buurt** figure: it is computed from the simulated households, dwellings and
//! lettings of one buurt (the dwellings are the corporation's real stock; the households
//! are synthesised; the lettings are simulated). Each rests on a count of units of that
//! buurt and year — its *basis*:
//!
//! | figure | basis |
//! |---|---|
//! | `huishoudens`, `woningen`, `verhuringen`, `verhuringen_kwetsbaar`, `plaatsingen_loting`, `plaatsingen_{stroom}` | the count itself |
//! | `aandeel_sociaal`, `aandeel_midden`, `aandeel_vrij` | the dwellings of that segment (real stock, a count in its own right) and `woningen` |
//! | `aandeel_kwetsbaar_instroom` | `verhuringen_kwetsbaar` and `verhuringen` |
//! | `wachttijd_regulier` | the lettings to regular seekers (never published) |
//! | every other share or mean (`aandeel_kwetsbaar`, `aandeel_inkomen_*`, `aandeel_{groep}`, `mutatiegraad`, `gem_huur`, `gem_max_huur`, `kwetsbaarheidscomponent`, …) | `huishoudens` |
//!
//! Not microdata aggregates: `leegstand` (dwellings standing empty in the model) and
//! `geblokkeerd` (vacancies a spreading cap closed to a group) count states and events of
//! the model, describe no household and are not the corporation's own records. They are
//! shown as they are — and since a reader can use them (households + vacant + other
//! dwellings = dwellings), they are known counts in the relations below.
//!
//! A share's numerator that is itself a published count (segment dwellings, vulnerable
//! lettings) must be shown for the share to be shown: share × basis would give it. The
//! numerators of the household shares (vulnerable households, income classes) are model
//! outcomes about synthetic households and are not published as counts; the share rests
//! on the buurt's households and is shown when those are (as the issue asks: "rests on
//! fewer than k simulated households").
//!
//! **Region** figures rest on the whole stock; they are the totals of the frames below (a
//! reader can subtract the shown buurten from them) and follow the same rule, so they are
//! shown unless the region itself is small: a region count is withheld like a buurt's (in
//! practice only below k), and every other region figure with its basis (the region's
//! households when nothing more specific). The region's "highest buurt share" figures name
//! no buurt.
//!
//! ## How
//!
//! A figure is a distribution over runs (p5, p50, p95, mean). Only the mean is additive (the
//! region's mean is the sum of the buurten's means), so the suppression works on the run
//! means: per year one [`veerkracht_privacy::Frame`] of the counts above (rows = buurten,
//! totals = region), holding the **sum over the runs** of each count — an integer, for
//! which the identities hold exactly — with minimum cell size k × runs. So a count is
//! withheld when its mean over the runs is below k and not zero in every run (primary),
//! and more counts are withheld until no region total minus the shown buurten, and no
//! buurt identity (the segments add up to the dwellings; households, vacant and other
//! dwellings add up to the dwellings; the placements per stream add up to the lettings;
//! vulnerable and lottery lettings are part of the lettings) gives a withheld count or a
//! group below k away (secondary). A figure is withheld with all its quantiles.
//!
//! The dwelling counts (`woningen` and the segment dwellings) are the stock's and change
//! over the years only by the scenario's interventions, which are public: a count withheld
//! in one year is withheld in every year. When the rent mix of the same stock is published
//! too, its dwelling and segment counts can be passed in ([`SegmentPins`]): where the
//! simulation's count equals the rent mix's in every run it is pinned to what the rent mix
//! shows or withholds, so the two publications together give nothing away either.

use std::collections::{BTreeMap, BTreeSet};

use veerkracht_privacy::{Cell, Frame, Options, Pin, PublishedFrame, Reason};

use crate::output::Results;

/// What the rent mix of the same voorraad publishes, per buurt code: the dwellings and the
/// dwellings per segment (sociaal, midden, vrij), each with its published cell
/// (`veerkracht_huurmix::segment_pins` makes them; the same type as
/// `veerkracht_huurmix::SegmentPins`).
pub type SegmentPins = BTreeMap<String, [(u64, Cell); 4]>;

/// Which per-buurt figures of one simulation may be published.
#[derive(Debug, Clone)]
pub struct Afscherming {
    /// the suppression rule applied (k)
    pub options: Options,
    nb: usize,
    nm: usize,
    /// (year × buurt × buurt metric)
    withheld: Vec<Option<Reason>>,
    /// (year × region metric)
    regio: Vec<Option<Reason>>,
    nr: usize,
    /// per year: the frame of counts (sums over the runs), its publication and its pins
    pub frames: Vec<(Frame, PublishedFrame, Pins)>,
}

/// Pins of a frame: (column, one per row and the total).
pub type Pins = Vec<(usize, Vec<Option<Pin>>)>;

impl Afscherming {
    /// Whether buurt metric `metric` of buurt `b` in year index `year` is withheld, and why.
    pub fn buurt(&self, year: usize, b: usize, metric: usize) -> Option<Reason> {
        if self.nm == 0 {
            return None;
        }
        self.withheld
            .get((year * self.nb + b) * self.nm + metric)
            .copied()
            .flatten()
    }

    /// Whether region metric `metric` in year index `year` is withheld (only when the region
    /// itself rests on fewer than k units), and why.
    pub fn regio(&self, year: usize, metric: usize) -> Option<Reason> {
        self.regio.get(year * self.nr + metric).copied().flatten()
    }

    /// Why the figure of a result row (`jaar`, `code` = a buurtcode or `regio`, metric name) is
    /// withheld, as its reason's code (`None`: shown, or no such row).
    pub fn withheld_row(
        &self,
        r: &crate::Results,
        jaar: i32,
        code: &str,
        indicator: &str,
    ) -> Option<&'static str> {
        let y = usize::try_from(jaar - r.startjaar).ok()?;
        if code == "regio" {
            return self.regio(y, r.regio_index(indicator)?).map(|w| w.code());
        }
        let b = r.buurten.iter().position(|(c, _)| c == code)?;
        self.buurt(y, b, r.buurt_index(indicator)?)
            .map(|w| w.code())
    }

    /// What a reader of all years could still solve ([`Frame::audit_with`]); empty: nothing.
    pub fn audit(&self) -> Vec<String> {
        self.frames
            .iter()
            .enumerate()
            .flat_map(|(y, (f, p, pins))| {
                f.audit_with(p, pins)
                    .into_iter()
                    .map(move |x| format!("year {y}: {x}"))
            })
            .collect()
    }

    /// Withheld figures (all years, buurten and metrics, and the region's).
    pub fn count(&self) -> usize {
        self.withheld
            .iter()
            .chain(&self.regio)
            .filter(|x| x.is_some())
            .count()
    }
}

/// What a figure rests on: frame columns that must all be shown (a count: its own column).
enum Basis {
    Count(usize),
    Over(Vec<usize>),
}

/// The frame's columns of one simulation.
struct Cols {
    hh: usize,
    woningen: usize,
    seg: [usize; 3],
    leeg: usize,
    verh: usize,
    verh_kw: usize,
    loting: usize,
    geblokkeerd: usize,
    /// per stream
    plaatsing: Vec<usize>,
    regulier: usize,
    /// counts of the model, not of households or the stock: shown as they are
    model: Vec<usize>,
}

/// The per-buurt figures of `r` that may be published with minimum cell size `opts.k`; with
/// the rent mix of the same stock when it is published too.
pub fn afscherming(r: &Results, opts: &Options, voorraad: Option<&SegmentPins>) -> Afscherming {
    let nb = r.buurten.len();
    if !r.per_buurt() || nb == 0 || r.runs.is_empty() {
        return Afscherming {
            options: *opts,
            nb,
            nm: 0,
            withheld: Vec::new(),
            regio: Vec::new(),
            nr: 0,
            frames: Vec::new(),
        };
    }
    let nm = r.metrics.buurt.len();
    let runs = r.runs.len() as u64;
    let scaled = Options {
        k: opts.k.saturating_mul(runs),
        suppress_zero: opts.suppress_zero,
    };
    let stock = |c: &Cols| [c.woningen, c.seg[0], c.seg[1], c.seg[2]];
    let mut forced: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut frames: Vec<(Frame, PublishedFrame, Cols, Pins)>;
    loop {
        frames = (0..r.jaren)
            .map(|y| {
                let (f, c, exact) = year_frame(r, y);
                let mut pins: Vec<(usize, Vec<Option<Pin>>)> = Vec::new();
                for col in 0..f.columns().len() {
                    if !f.columns()[col].published {
                        continue;
                    }
                    // (the region totals are suppressed by the same rule: the engine takes a
                    // total only when a line has no member left to withhold)
                    let mut p = vec![None; nb + 1];
                    if c.model.contains(&col) {
                        // model counts: shown, and known to the reader
                        p = vec![Some(Pin::Shown); nb + 1];
                    }
                    if let Some((i, _)) = stock(&c).iter().enumerate().find(|(_, x)| **x == col) {
                        for (b, pin) in p.iter_mut().enumerate().take(nb) {
                            if forced.contains(&(b, i)) {
                                *pin = Some(Pin::Withheld(Reason::Secondary));
                            }
                            if let (Some(v), Some(per_run)) = (voorraad, exact[i][b])
                                && let Some(cells) = v.get(&r.buurten[b].0)
                                && cells[i].0 == per_run
                            {
                                *pin = Some(match cells[i].1 {
                                    Cell::Shown(_) => Pin::Shown,
                                    Cell::Withheld(w) => Pin::Withheld(w),
                                });
                            }
                        }
                    }
                    pins.push((col, p));
                }
                let p = f.suppress_with(&scaled, &pins);
                (f, p, c, pins)
            })
            .collect();
        let mut now = forced.clone();
        for (_, p, c, _) in &frames {
            for (i, col) in stock(c).into_iter().enumerate() {
                for b in 0..nb {
                    if p.cell(b, col).is_withheld() {
                        now.insert((b, i));
                    }
                }
            }
        }
        if now == forced {
            break;
        }
        forced = now;
    }
    let mut withheld = vec![None; r.jaren * nb * nm];
    for (y, (_, p, c, _)) in frames.iter().enumerate() {
        for (m, name) in r.metrics.buurt.iter().enumerate() {
            let basis = basis_of(name, c, &r.metrics.buurt[..]);
            for b in 0..nb {
                let why = match &basis {
                    Basis::Count(col) => match p.cell(b, *col) {
                        Cell::Shown(_) => None,
                        Cell::Withheld(w) => Some(w),
                    },
                    Basis::Over(cols) => cols
                        .iter()
                        .any(|&col| hidden_or_withheld(&frames[y].0, p, b, col, &scaled))
                        .then_some(Reason::Base),
                };
                withheld[(y * nb + b) * nm + m] = why;
            }
        }
    }
    let nr = r.metrics.regio.len();
    let mut regio = vec![None; r.jaren * nr];
    for (y, (f, p, c, _)) in frames.iter().enumerate() {
        for (m, name) in r.metrics.regio.iter().enumerate() {
            let basis = match f.column(name).filter(|&col| f.columns()[col].published) {
                Some(col) => Basis::Count(col),
                None => basis_of(name, c, &r.metrics.buurt[..]),
            };
            let why = match basis {
                Basis::Count(col) => match p.total(col) {
                    Cell::Shown(_) => None,
                    Cell::Withheld(w) => Some(w),
                },
                Basis::Over(cols) => cols
                    .iter()
                    .any(|&col| hidden_or_withheld(f, p, nb, col, &scaled))
                    .then_some(Reason::Base),
            };
            regio[y * nr + m] = why;
        }
    }
    Afscherming {
        options: *opts,
        nb,
        nm,
        withheld,
        regio,
        nr,
        frames: frames
            .into_iter()
            .map(|(f, p, _, pins)| (f, p, pins))
            .collect(),
    }
}

/// A basis column that does not let its figure be shown: a withheld count, or an unpublished
/// one below k (scaled).
fn hidden_or_withheld(f: &Frame, p: &PublishedFrame, b: usize, col: usize, o: &Options) -> bool {
    if f.columns()[col].published {
        p.cell(b, col).is_withheld()
    } else {
        let v = f.value(b, col);
        (v > 0 && v < o.k) || (v == 0 && o.suppress_zero)
    }
}

fn basis_of(name: &str, c: &Cols, names: &[String]) -> Basis {
    let stream = names
        .iter()
        .filter(|n| n.starts_with("plaatsingen_") && *n != "plaatsingen_loting")
        .position(|n| n == name);
    match name {
        "huishoudens" => Basis::Count(c.hh),
        "woningen" => Basis::Count(c.woningen),
        "leegstand" => Basis::Count(c.leeg),
        "verhuringen" => Basis::Count(c.verh),
        "verhuringen_kwetsbaar" => Basis::Count(c.verh_kw),
        "plaatsingen_loting" => Basis::Count(c.loting),
        "geblokkeerd" => Basis::Count(c.geblokkeerd),
        "aandeel_sociaal" => Basis::Over(vec![c.seg[0], c.woningen]),
        "aandeel_midden" => Basis::Over(vec![c.seg[1], c.woningen]),
        "aandeel_vrij" => Basis::Over(vec![c.seg[2], c.woningen]),
        "aandeel_kwetsbaar_instroom" => Basis::Over(vec![c.verh_kw, c.verh]),
        "wachttijd_regulier" => Basis::Over(vec![c.regulier]),
        _ => match stream {
            Some(s) if s < c.plaatsing.len() => Basis::Count(c.plaatsing[s]),
            _ => Basis::Over(vec![c.hh]),
        },
    }
}

/// The counts of one year as a frame (sums over the runs), and for the dwellings and the
/// segment dwellings the count per buurt when it is the same in every run.
#[allow(clippy::type_complexity)]
fn year_frame(r: &Results, y: usize) -> (Frame, Cols, [Vec<Option<u64>>; 4]) {
    let nb = r.buurten.len();
    let idx = |name: &str| r.buurt_index(name);
    // per run, per buurt: the count of a metric (0 when the metric is missing or not a number)
    let per_run = |m: Option<usize>, b: usize| -> Vec<u64> {
        (0..r.runs.len())
            .map(|run| match m {
                Some(m) => {
                    let x = r.buurt(run, y, b, m);
                    if x.is_finite() && x > 0.0 {
                        x.round() as u64
                    } else {
                        0
                    }
                }
                None => 0,
            })
            .collect()
    };
    let sum =
        |m: Option<usize>| -> Vec<u64> { (0..nb).map(|b| per_run(m, b).iter().sum()).collect() };
    let woningen_runs: Vec<Vec<u64>> = (0..nb).map(|b| per_run(idx("woningen"), b)).collect();
    // segment dwellings per run: share × dwellings
    let seg_runs: Vec<Vec<Vec<u64>>> = ["aandeel_sociaal", "aandeel_midden", "aandeel_vrij"]
        .iter()
        .map(|name| {
            let m = idx(name);
            (0..nb)
                .map(|b| {
                    (0..r.runs.len())
                        .map(|run| {
                            let w = woningen_runs[b][run] as f64;
                            match m {
                                Some(m) => {
                                    let s = r.buurt(run, y, b, m);
                                    if s.is_finite() && w > 0.0 {
                                        (s * w).round().max(0.0) as u64
                                    } else {
                                        0
                                    }
                                }
                                None => 0,
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let seg_sum: Vec<Vec<u64>> = seg_runs
        .iter()
        .map(|s| s.iter().map(|x| x.iter().sum()).collect())
        .collect();
    // the dwellings are the segments' sum (exact in every run)
    let woningen: Vec<u64> = (0..nb)
        .map(|b| seg_sum.iter().map(|s| s[b]).sum())
        .collect();
    let exact_of = |runs: &Vec<Vec<u64>>| -> Vec<Option<u64>> {
        runs.iter()
            .map(|x| {
                let first = *x.first()?;
                x.iter().all(|&v| v == first).then_some(first)
            })
            .collect()
    };
    let woningen_per_run: Vec<Vec<u64>> = (0..nb)
        .map(|b| {
            (0..r.runs.len())
                .map(|run| seg_runs.iter().map(|s| s[b][run]).sum())
                .collect()
        })
        .collect();
    let exact = [
        exact_of(&woningen_per_run),
        exact_of(&seg_runs[0]),
        exact_of(&seg_runs[1]),
        exact_of(&seg_runs[2]),
    ];
    let mut f = Frame::new(r.buurten.iter().map(|(c, _)| c.clone()).collect());
    let hh_v = sum(idx("huishoudens"));
    let leeg_v = sum(idx("leegstand"));
    let verh_v = sum(idx("verhuringen"));
    let woningen_c = f.add("woningen", true, woningen.clone());
    let seg = [
        f.add("woningen_sociaal", true, seg_sum[0].clone()),
        f.add("woningen_midden", true, seg_sum[1].clone()),
        f.add("woningen_vrij", true, seg_sum[2].clone()),
    ];
    f.identity(&seg, woningen_c).expect("segments add up");
    let hh = f.add("huishoudens", true, hh_v.clone());
    let leeg = f.add("leegstand", true, leeg_v.clone());
    // households, vacant and other dwellings (being demolished, …) make up the dwellings
    if (0..nb).all(|b| hh_v[b] + leeg_v[b] <= woningen[b]) {
        let rest = f.add(
            "woningen_overig",
            false,
            (0..nb).map(|b| woningen[b] - hh_v[b] - leeg_v[b]).collect(),
        );
        f.identity(&[hh, leeg, rest], woningen_c)
            .expect("constructed to add up");
    }
    let verh = f.add("verhuringen", true, verh_v.clone());
    let kw_v = sum(idx("verhuringen_kwetsbaar"));
    let verh_kw = f.add("verhuringen_kwetsbaar", true, kw_v.clone());
    if (0..nb).all(|b| kw_v[b] <= verh_v[b]) {
        let rest = f.add(
            "verhuringen_niet_kwetsbaar",
            false,
            (0..nb).map(|b| verh_v[b] - kw_v[b]).collect(),
        );
        f.identity(&[verh_kw, rest], verh)
            .expect("constructed to add up");
    }
    let lot_v = sum(idx("plaatsingen_loting"));
    let loting = f.add("plaatsingen_loting", true, lot_v.clone());
    if (0..nb).all(|b| lot_v[b] <= verh_v[b]) {
        let rest = f.add(
            "verhuringen_zonder_loting",
            false,
            (0..nb).map(|b| verh_v[b] - lot_v[b]).collect(),
        );
        f.identity(&[loting, rest], verh)
            .expect("constructed to add up");
    }
    let geblokkeerd = f.add("geblokkeerd", true, sum(idx("geblokkeerd")));
    let streams: Vec<&String> = r
        .metrics
        .buurt
        .iter()
        .filter(|n| n.starts_with("plaatsingen_") && *n != "plaatsingen_loting")
        .collect();
    let stream_v: Vec<Vec<u64>> = streams.iter().map(|n| sum(idx(n))).collect();
    let plaatsing: Vec<usize> = streams
        .iter()
        .zip(&stream_v)
        .map(|(n, v)| f.add(n.as_str(), true, v.clone()))
        .collect();
    let placed: Vec<u64> = (0..nb)
        .map(|b| stream_v.iter().map(|v| v[b]).sum())
        .collect();
    if (0..nb).all(|b| placed[b] <= verh_v[b]) {
        let rest = f.add(
            "verhuringen_zonder_stroom",
            false,
            (0..nb).map(|b| verh_v[b] - placed[b]).collect(),
        );
        let mut members = plaatsing.clone();
        members.push(rest);
        f.identity(&members, verh).expect("constructed to add up");
    }
    // lettings to regular seekers: the placements of the regular streams (never published)
    let regular: Vec<usize> = plaatsing
        .iter()
        .enumerate()
        .filter(|(s, _)| !r.stroom_urgent.get(*s).copied().unwrap_or(true))
        .map(|(_, c)| *c)
        .collect();
    let regulier = f.add(
        "verhuringen_regulier",
        false,
        (0..nb)
            .map(|b| regular.iter().map(|&c| f.value(b, c)).sum())
            .collect(),
    );
    f.identity(&regular, regulier)
        .expect("constructed to add up");
    (
        f,
        Cols {
            hh,
            woningen: woningen_c,
            seg,
            leeg,
            verh,
            verh_kw,
            loting,
            geblokkeerd,
            plaatsing,
            regulier,
            model: vec![leeg, geblokkeerd],
        },
        exact,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Metrics, RunOutput};

    const NAMES: [&str; 15] = [
        "huishoudens",
        "aandeel_kwetsbaar",
        "verhuringen",
        "verhuringen_kwetsbaar",
        "aandeel_kwetsbaar_instroom",
        "aandeel_sociaal",
        "aandeel_midden",
        "aandeel_vrij",
        "woningen",
        "wachttijd_regulier",
        "leegstand",
        "plaatsingen_loting",
        "geblokkeerd",
        "plaatsingen_regulier",
        "plaatsingen_urgentie",
    ];

    /// One buurt in one run: households, dwellings (sociaal, midden, vrij), lettings,
    /// vulnerable lettings, regular and urgent placements.
    struct B {
        hh: f32,
        seg: [f32; 3],
        verh: f32,
        kw: f32,
        reg: f32,
        urg: f32,
    }

    fn row(b: &B) -> Vec<f32> {
        let w: f32 = b.seg.iter().sum();
        let share = |x: f32, n: f32| if n > 0.0 { x / n } else { f32::NAN };
        vec![
            b.hh,
            share(0.2 * b.hh, b.hh),
            b.verh,
            b.kw,
            share(b.kw, b.verh),
            share(b.seg[0], w),
            share(b.seg[1], w),
            share(b.seg[2], w),
            w,
            1.5,
            0.0,
            0.0,
            0.0,
            b.reg,
            b.urg,
        ]
    }

    fn results(runs: &[[B; 3]]) -> Results {
        Results {
            scenario: "hand".into(),
            startjaar: 2025,
            jaren: 1,
            buurten: ["BU1", "BU2", "BU3"]
                .iter()
                .map(|c| (c.to_string(), c.to_string()))
                .collect(),
            metrics: Metrics {
                regio: Vec::new(),
                buurt: NAMES.iter().map(|s| s.to_string()).collect(),
            },
            first_run: 0,
            runs: runs
                .iter()
                .map(|bs| RunOutput {
                    buurt: bs.iter().flat_map(row).collect(),
                    ..RunOutput::default()
                })
                .collect(),
            seed: 1,
            stroom_urgent: vec![false, true],
        }
    }

    #[test]
    fn a_hand_made_simulation_withholds_what_rests_on_fewer_than_k() {
        let b = |hh, seg, verh, kw, reg, urg| B {
            hh,
            seg,
            verh,
            kw,
            reg,
            urg,
        };
        // BU1: 40 households in 37 social and 3 mid dwellings, 13 lettings a year on
        // average of which 2 to vulnerable households. BU2: 100 households, 20 lettings, 12
        // vulnerable. BU3: 6 households, half a letting a year.
        let r = results(&[
            [
                b(40.0, [37.0, 3.0, 0.0], 12.0, 2.0, 10.0, 2.0),
                b(100.0, [60.0, 40.0, 0.0], 20.0, 12.0, 15.0, 5.0),
                b(6.0, [6.0, 0.0, 0.0], 1.0, 0.0, 1.0, 0.0),
            ],
            [
                b(40.0, [37.0, 3.0, 0.0], 14.0, 2.0, 12.0, 2.0),
                b(100.0, [60.0, 40.0, 0.0], 20.0, 12.0, 15.0, 5.0),
                b(6.0, [6.0, 0.0, 0.0], 0.0, 0.0, 0.0, 0.0),
            ],
        ]);
        let a = afscherming(&r, &Options::default(), None);
        let m = |n: &str| NAMES.iter().position(|x| *x == n).unwrap();
        let why = |b: usize, n: &str| a.buurt(0, b, m(n));
        // BU3 rests on 6 households and dwellings: all of it goes
        assert_eq!(why(2, "huishoudens"), Some(Reason::Small));
        assert_eq!(why(2, "woningen"), Some(Reason::Small));
        assert_eq!(why(2, "verhuringen"), Some(Reason::Small));
        assert_eq!(why(2, "aandeel_kwetsbaar"), Some(Reason::Base));
        assert_eq!(why(2, "aandeel_sociaal"), Some(Reason::Base));
        // BU1's 3 mid-rent dwellings are real stock: its mid share goes (and with it the
        // social share, which would give it back)
        assert_eq!(why(0, "aandeel_midden"), Some(Reason::Base));
        assert_eq!(why(0, "aandeel_sociaal"), Some(Reason::Base));
        // BU1's 2 vulnerable lettings: the count and the share of the inflow
        assert_eq!(why(0, "verhuringen_kwetsbaar"), Some(Reason::Small));
        assert_eq!(why(0, "aandeel_kwetsbaar_instroom"), Some(Reason::Base));
        // the region's 14 minus BU2's 12 would give BU1's 2: BU2's goes too
        assert_eq!(why(1, "verhuringen_kwetsbaar"), Some(Reason::Secondary));
        assert_eq!(why(1, "aandeel_kwetsbaar_instroom"), Some(Reason::Base));
        // BU2 rests on 100 households and 20 lettings: shown
        assert_eq!(why(1, "huishoudens"), None);
        assert_eq!(why(1, "aandeel_kwetsbaar"), None);
        assert_eq!(why(1, "verhuringen"), None);
        // but the region's 43 mid-rent dwellings minus BU2's 40 would give BU1's 3
        assert_eq!(why(1, "aandeel_midden"), Some(Reason::Base));
        assert_eq!(why(1, "woningen"), None);
        // zeros are shown
        assert_eq!(why(0, "leegstand"), None);
        // the region's 7 urgent placements a year are below k as well
        let (f0, p0, _) = &a.frames[0];
        assert!(
            p0.total(f0.column("plaatsingen_urgentie").unwrap())
                .is_withheld()
        );
        // nothing shown rests on fewer than k on average, and the frames leak nothing
        // (the region's 7 urgent placements: withheld, and nothing gives them away)
        assert!(a.audit().is_empty(), "{:?}", a.audit());
        for (f, p, _) in &a.frames {
            for c in 0..f.columns().len() {
                if !f.columns()[c].published {
                    continue;
                }
                for b in 0..3 {
                    if let Cell::Shown(x) = p.cell(b, c) {
                        assert!(
                            x == 0 || x >= 10 * 2,
                            "{} of BU{}: {x}",
                            f.columns()[c].name,
                            b + 1
                        );
                    }
                }
            }
        }
        // with k = 2 only BU3's half a letting a year is below k: far less is withheld
        let a2 = afscherming(&r, &Options::with_k(2).unwrap(), None);
        assert_eq!(a2.buurt(0, 2, m("verhuringen")), Some(Reason::Small));
        assert_eq!(a2.buurt(0, 2, m("huishoudens")), None);
        assert!(a2.count() < a.count());
    }

    #[test]
    fn dwelling_counts_follow_the_published_rent_mix_of_the_same_stock() {
        let b = |hh, seg: [f32; 3]| B {
            hh,
            seg,
            verh: 20.0,
            kw: 10.0,
            reg: 20.0,
            urg: 0.0,
        };
        let r = results(&[[
            b(50.0, [50.0, 0.0, 0.0]),
            b(60.0, [60.0, 0.0, 0.0]),
            b(70.0, [70.0, 0.0, 0.0]),
        ]]);
        // nothing is small here; but the rent mix withholds BU2's 60 (say, to protect a
        // label count it has): the simulation must not show it
        let mut v = SegmentPins::new();
        for (code, n, c) in [
            ("BU1", 50, Cell::Shown(50)),
            ("BU2", 60, Cell::Withheld(Reason::Secondary)),
            ("BU3", 70, Cell::Withheld(Reason::Secondary)),
        ] {
            v.insert(
                code.into(),
                [(n, c), (n, c), (0, Cell::Shown(0)), (0, Cell::Shown(0))],
            );
        }
        let a = afscherming(&r, &Options::default(), Some(&v));
        let w = NAMES.iter().position(|x| *x == "woningen").unwrap();
        assert_eq!(a.buurt(0, 0, w), None);
        assert_eq!(a.buurt(0, 1, w), Some(Reason::Secondary));
        assert_eq!(a.buurt(0, 2, w), Some(Reason::Secondary));
        let a = afscherming(&r, &Options::default(), None);
        assert_eq!(
            a.buurt(0, 1, w),
            None,
            "without the rent mix: nothing to withhold"
        );
    }
}
