//! Computing an index for one edition and level: raw values → screening →
//! imputation → treatment → normalisation (against the reference population) →
//! aggregation with re-weighting over what is present → score, rank, percentile,
//! class, component scores, the "waarom" decomposition, 90th-percentile flags,
//! reliability and coverage.

use std::collections::HashMap;

use veerkracht_dataset::{AreaCode, Cell, Dataset, Direction, Edition, Flags, Level, Value};

use crate::definition::{
    Aggregation, Definition, Imputation, Method, Normalisation, Reference, Transform, Treatment,
};
use crate::eligibility::{
    Exclusion, POPULATION_IDS, Population, Reason, Status, coverage_rule, population_rules,
    status_of,
};
use crate::method::{
    Treated, coinr_treatment, imd_transform, mean_sd, percentile_rank, rank_share,
};

/// Five neutral classes of the index percentile (no stigma: about attention, not about people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Percentile < 20.
    VeelAandachtNodig,
    /// 20–40.
    AandachtNodig,
    /// 40–60.
    Gemiddeld,
    /// 60–80.
    Veerkrachtig,
    /// ≥ 80.
    ZeerVeerkrachtig,
}

impl Class {
    /// From a percentile 0–100 and the upper bounds of the first four classes
    /// (`class_bounds` in the definition, default 20/40/60/80).
    pub fn from_percentile(p: f64, bounds: &[f64; 4]) -> Class {
        const ORDER: [Class; 5] = [
            Class::VeelAandachtNodig,
            Class::AandachtNodig,
            Class::Gemiddeld,
            Class::Veerkrachtig,
            Class::ZeerVeerkrachtig,
        ];
        ORDER[bounds.iter().take_while(|&&b| p >= b).count()]
    }
    /// Dutch label.
    pub fn label_nl(self) -> &'static str {
        match self {
            Class::VeelAandachtNodig => "veel aandacht nodig",
            Class::AandachtNodig => "aandacht nodig",
            Class::Gemiddeld => "gemiddeld",
            Class::Veerkrachtig => "veerkrachtig",
            Class::ZeerVeerkrachtig => "zeer veerkrachtig",
        }
    }
    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Class::VeelAandachtNodig => "much attention needed",
            Class::AandachtNodig => "attention needed",
            Class::Gemiddeld => "average",
            Class::Veerkrachtig => "resilient",
            Class::ZeerVeerkrachtig => "very resilient",
        }
    }
}

/// One indicator's value and share in an area's score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Contribution {
    /// Definition indicator id.
    pub indicator: String,
    /// Component id.
    pub component: String,
    /// Raw value after transform (before treatment), if present.
    pub raw: Option<f64>,
    /// Normalised score (higher = more veerkracht), if present.
    pub normalised: Option<f64>,
    /// Points of the index score this indicator contributes (sum over indicators = score).
    pub contribution: Option<f64>,
    /// National percentile (0–100) of the need-oriented value (higher = more need).
    pub need_percentile: Option<f64>,
    /// At or above the 90th need percentile (CDC SVI flag).
    pub flag_p90: bool,
    /// Value was imputed.
    pub imputed: bool,
    /// Why there is no value.
    pub missing: Option<String>,
    /// Reliability notes: `kleine_noemer`, `afgerond`.
    pub reliability: Vec<&'static str>,
}

/// A component's score in an area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComponentScore {
    /// Component id.
    pub component: String,
    /// Score (higher = more veerkracht), if enough indicators are present.
    pub score: Option<f64>,
    /// Share of the component's available indicator weight present.
    pub weight_present: f64,
    /// Number of SVI flags (≥ 90th need percentile) in this component.
    pub flags: usize,
}

/// The index for one area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AreaScore {
    /// Code.
    pub code: AreaCode,
    /// Name.
    pub name: String,
    /// Gemeente.
    pub gemeente: Option<AreaCode>,
    /// Corporatiebuurt (p_wcorpw above the threshold); `None` when p_wcorpw is missing.
    pub corporatiebuurt: Option<bool>,
    /// Scored, scored with a caveat, or not scored ([`crate::eligibility`]).
    pub status: Status,
    /// Every eligibility rule that fired, with its numbers (empty: scored plainly).
    pub exclusions: Vec<Exclusion>,
    /// Index score (`None` when not scored).
    pub score: Option<f64>,
    /// Rank among the [`Status::Scored`] areas, 1 = lowest score (most attention needed);
    /// `None` for areas with a caveat or without a score.
    pub rank: Option<usize>,
    /// Percentile of the score among the [`Status::Scored`] areas (0–100); areas with a
    /// caveat are placed in that same distribution.
    pub percentile: Option<f64>,
    /// Class.
    pub class: Option<Class>,
    /// Component scores.
    pub components: Vec<ComponentScore>,
    /// Per indicator: value, normalised score, contribution, flags.
    pub contributions: Vec<Contribution>,
    /// Share of available indicators present (0–1).
    pub coverage: f64,
    /// No input with a small denominator.
    pub reliable: bool,
    /// Total SVI flags.
    pub flags: usize,
    /// Why there is no score.
    pub note: Option<String>,
}

/// Facts about one indicator in this run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorRun {
    /// Definition id.
    pub id: String,
    /// Component.
    pub component: String,
    /// Source catalogue id.
    pub source: String,
    /// Label.
    pub label_nl: String,
    /// Open-data proxy.
    pub proxy: bool,
    /// Any area has a value in this edition.
    pub available: bool,
    /// Areas with a value.
    pub present: usize,
    /// Outlier treatment applied.
    pub treatment: Treated,
}

/// The result of one index computation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexResult {
    /// Definition id.
    pub definition: String,
    /// Edition.
    pub edition: Edition,
    /// Level.
    pub level: Level,
    /// Method used (the recipe, so the run can be repeated with one choice changed).
    pub method: Method,
    /// Component weights used.
    pub component_weights: Vec<(String, f64)>,
    /// Indicators.
    pub indicators: Vec<IndicatorRun>,
    /// Areas in code order.
    pub areas: Vec<AreaScore>,
}

pub(crate) struct Raw {
    pub(crate) value: Option<f64>,
    pub(crate) missing: Option<String>,
    pub(crate) reliability: Vec<&'static str>,
}

fn cell_number(cell: Option<Cell>, id: &str) -> (Option<f64>, Option<String>, Flags) {
    match cell {
        Some(c) => match c.value {
            Value::Number(x) => (Some(x), None, c.flags),
            Value::Missing(m) => (None, Some(format!("{id}: {}", m.label_nl())), c.flags),
        },
        None => (
            None,
            Some(format!("{id}: niet beschikbaar in deze editie")),
            Flags::empty(),
        ),
    }
}

/// The raw value of one indicator in one area, from the cell of its source and the cells of
/// its denominator parts (in the order of `def.denominator`).
fn raw_value<'a>(
    def: &crate::definition::IndicatorDef,
    source: Option<Cell>,
    dens: impl Iterator<Item = (&'a str, Option<Cell>)>,
) -> Raw {
    let (v, miss, flags) = cell_number(source, &def.source);
    let mut reliability = Vec::new();
    if flags.contains(Flags::ROUNDED) {
        reliability.push("afgerond");
    }
    if flags.contains(Flags::SMALL_DENOMINATOR) {
        reliability.push("kleine_noemer");
    }
    let Some(v) = v else {
        return Raw {
            value: None,
            missing: miss,
            reliability,
        };
    };
    let den = move || -> Result<f64, String> {
        let mut sum = 0.0;
        for (part, cell) in dens {
            let (d, m, _) = cell_number(cell, part.trim());
            sum += d.ok_or_else(|| m.unwrap_or_else(|| format!("{part}: ontbreekt")))?;
        }
        Ok(sum)
    };
    let value = match def.transform {
        Transform::Value => Ok(v),
        Transform::Log => {
            if v > 0.0 {
                Ok(v.ln())
            } else {
                Err(format!("{}: ≤ 0, geen logaritme", def.source))
            }
        }
        Transform::Per1000 | Transform::Share | Transform::ShareOfSum => match den() {
            Err(m) => Err(format!("noemer {m}")),
            Ok(d) if d <= 0.0 => Err("noemer is 0".to_string()),
            Ok(d) => {
                if d < veerkracht_dataset::SMALL_DENOMINATOR
                    && !reliability.contains(&"kleine_noemer")
                {
                    reliability.push("kleine_noemer");
                }
                Ok(v / d
                    * if def.transform == Transform::Per1000 {
                        1000.0
                    } else {
                        100.0
                    })
            }
        },
    };
    match value {
        Ok(x) => Raw {
            value: Some(x),
            missing: None,
            reliability,
        },
        Err(m) => Raw {
            value: None,
            missing: Some(m),
            reliability,
        },
    }
}

/// Options of a run that may override the definition's method (uncertainty analysis).
#[derive(Debug, Clone)]
pub struct Overrides {
    /// Normalisation.
    pub normalisation: Option<Normalisation>,
    /// Treatment.
    pub treatment: Option<Treatment>,
    /// Indicator weights by definition id.
    pub indicator_weights: Option<HashMap<String, f64>>,
    /// Component weights by id.
    pub component_weights: Option<HashMap<String, f64>>,
}

/// Computes the index of a definition for one edition and level.
pub fn compute(def: &Definition, ds: &Dataset, edition: Edition, level: Level) -> IndexResult {
    compute_with(
        def,
        ds,
        edition,
        level,
        &Overrides {
            normalisation: None,
            treatment: None,
            indicator_weights: None,
            component_weights: None,
        },
    )
}

/// Prepared raw matrix, reusable across many runs (uncertainty analysis).
pub struct Prepared {
    pub(crate) areas: Vec<(AreaCode, String, Option<AreaCode>, Option<bool>)>,
    pub(crate) raw: Vec<Vec<Raw>>, // [indicator][area]
    pub(crate) imputed: Vec<Vec<bool>>,
    /// The population rules that fired per area (eligibility).
    pub(crate) population: Vec<Vec<Exclusion>>,
    /// Whether the area belongs in the reference distributions (not excluded by the
    /// population rules).
    pub(crate) reference: Vec<bool>,
}

/// Reads and transforms the raw values once.
pub fn prepare(def: &Definition, ds: &Dataset, edition: Edition, level: Level) -> Prepared {
    let listed = ds.areas(edition, level);
    let codes: Vec<AreaCode> = listed.iter().map(|a| a.code).collect();
    let corp = ds.cells(edition, &codes, "p_wcorpw");
    let areas: Vec<_> = listed
        .into_iter()
        .zip(corp)
        .map(|(a, c)| {
            let corp = c
                .and_then(|c| c.value.number())
                .map(|p| p > def.method.corporatie_threshold);
            (a.code, a.name.clone(), a.code.gemeente(), corp)
        })
        .collect();
    // Every column the definition reads, fetched once (a denominator such as a_inw serves
    // several indicators); for indicators with `fallback_wijk` also at the areas' wijken.
    let wijken: Vec<Option<AreaCode>> = codes
        .iter()
        .map(|c| {
            if c.level() == Level::Buurt {
                c.wijk()
            } else {
                None
            }
        })
        .collect();
    let wijk_codes: Vec<AreaCode> = codes
        .iter()
        .zip(&wijken)
        .map(|(c, w)| w.unwrap_or(*c))
        .collect();
    let mut columns: HashMap<&str, Vec<Option<Cell>>> = HashMap::new();
    let mut wijk_columns: HashMap<&str, Vec<Option<Cell>>> = HashMap::new();
    for (_, i) in def.indicators() {
        let parts = i.denominator.as_deref().unwrap_or("").split('+');
        for id in std::iter::once(i.source.as_str()).chain(parts.map(str::trim)) {
            if !id.is_empty() && !columns.contains_key(id) {
                columns.insert(id, ds.cells(edition, &codes, id));
            }
            if i.fallback_wijk && !id.is_empty() && !wijk_columns.contains_key(id) {
                wijk_columns.insert(id, ds.cells(edition, &wijk_codes, id));
            }
        }
    }
    let mut raw: Vec<Vec<Raw>> = def
        .indicators()
        .map(|(_, i)| {
            let parts: Vec<&str> = match i.transform {
                Transform::Per1000 | Transform::Share | Transform::ShareOfSum => {
                    i.denominator.as_deref().unwrap_or("").split('+').collect()
                }
                _ => Vec::new(),
            };
            let at = |cols: &HashMap<&str, Vec<Option<Cell>>>, j: usize| {
                let dens = parts
                    .iter()
                    .map(|&part| (part, cols.get(part.trim()).and_then(|c| c[j])));
                raw_value(i, cols[i.source.as_str()][j], dens)
            };
            (0..areas.len())
                .map(|j| {
                    let own = at(&columns, j);
                    if own.value.is_some() || !i.fallback_wijk || wijken[j].is_none() {
                        return own;
                    }
                    // A buurt without a value takes its wijk's (marked `wijkwaarde`): for
                    // figures CBS publishes per wijk only (Wmo clients, 85995NED).
                    let mut w = at(&wijk_columns, j);
                    if w.value.is_some() {
                        w.reliability.push("wijkwaarde");
                        w
                    } else {
                        own
                    }
                })
                .collect()
        })
        .collect();
    let population: Vec<Vec<Exclusion>> = match &def.eligibility {
        None => vec![Vec::new(); areas.len()],
        Some(e) => {
            let cols: Vec<Vec<Option<f64>>> = POPULATION_IDS
                .iter()
                .map(|id| {
                    ds.cells(edition, &codes, id)
                        .into_iter()
                        .map(|c| c.and_then(|c| c.value.number()))
                        .collect()
                })
                .collect();
            (0..areas.len())
                .map(|j| {
                    let p = Population {
                        inhabitants: cols[0][j],
                        households: cols[1][j],
                        household_size: cols[2][j],
                        aged_15_24: cols[3][j],
                        single_households: cols[4][j],
                        owner_occupied: cols[5][j],
                        dwellings: cols[6][j],
                        non_dwellings: cols[7][j],
                    };
                    population_rules(e, &p)
                })
                .collect()
        }
    };
    let reference = population
        .iter()
        .map(|x| status_of(x) != Status::NotScored)
        .collect();
    let mut imputed = vec![vec![false; areas.len()]; raw.len()];
    if def.method.imputation != Imputation::None {
        for (k, col) in raw.iter_mut().enumerate() {
            let mut by_gm: HashMap<Option<AreaCode>, (f64, usize)> = HashMap::new();
            let mut all = (0.0, 0usize);
            for (a, r) in areas.iter().zip(col.iter()) {
                if let Some(v) = r.value {
                    let e = by_gm.entry(a.2).or_default();
                    e.0 += v;
                    e.1 += 1;
                    all.0 += v;
                    all.1 += 1;
                }
            }
            for (j, r) in col.iter_mut().enumerate() {
                if r.value.is_some() || all.1 == 0 {
                    continue;
                }
                let fill = match def.method.imputation {
                    Imputation::GemeenteMean => by_gm
                        .get(&areas[j].2)
                        .filter(|g| g.1 > 0)
                        .map(|g| g.0 / g.1 as f64),
                    Imputation::NationalMean => Some(all.0 / all.1 as f64),
                    Imputation::None => None,
                };
                if let Some(f) = fill {
                    r.value = Some(f);
                    imputed[k][j] = true;
                }
            }
        }
    }
    Prepared {
        areas,
        raw,
        imputed,
        population,
        reference,
    }
}

/// Computes with method overrides.
pub fn compute_with(
    def: &Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    o: &Overrides,
) -> IndexResult {
    let p = prepare(def, ds, edition, level);
    compute_prepared(def, &p, edition, level, o)
}

fn sorted(v: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut s: Vec<f64> = v.collect();
    // Values equal under `total_cmp` are the same bits, so an unstable sort gives the same.
    s.sort_unstable_by(|a, b| a.total_cmp(b));
    s
}

/// Runs the method on prepared raw values.
pub fn compute_prepared(
    def: &Definition,
    p: &Prepared,
    edition: Edition,
    level: Level,
    o: &Overrides,
) -> IndexResult {
    let method = {
        let mut m = def.method.clone();
        if let Some(n) = o.normalisation {
            m.normalisation = n;
        }
        if let Some(t) = o.treatment {
            m.treatment = t;
        }
        m
    };
    let n_areas = p.areas.len();
    let inds: Vec<_> = def.indicators().collect();
    let w_ind: Vec<f64> = inds
        .iter()
        .map(|(_, i)| {
            o.indicator_weights
                .as_ref()
                .and_then(|w| w.get(&i.id).copied())
                .unwrap_or(i.weight)
        })
        .collect();
    let w_comp: Vec<(String, f64)> = def
        .component
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                o.component_weights
                    .as_ref()
                    .and_then(|w| w.get(&c.id).copied())
                    .unwrap_or(c.weight),
            )
        })
        .collect();

    let (runs, normalised, need_pct) = normalise(def, p, &method, true);
    let available: Vec<bool> = runs.iter().map(|r| r.available).collect();
    let n_available = available.iter().filter(|a| **a).count();

    let geometric = method.aggregation == Aggregation::Geometric;
    let shift = |s: f64| 1.0 + 0.99 * s; // 0–100 → 1–100 for the geometric mean
    // One area's score, components and "waarom"; areas are independent, so large inputs are
    // scored on several threads in contiguous chunks (the result does not depend on it).
    let score_area = |i: usize| -> AreaScore {
        let (code, name, gemeente, corp) = p.areas[i].clone();
        let mut contributions = Vec::with_capacity(inds.len());
        let mut reliable = true;
        for (k, (c, ind)) in inds.iter().enumerate() {
            let r = &p.raw[k][i];
            if r.reliability.contains(&"kleine_noemer") {
                reliable = false;
            }
            let flag = need_pct[k][i].is_some_and(|q| q >= 90.0);
            contributions.push(Contribution {
                indicator: ind.id.clone(),
                component: c.id.clone(),
                raw: if p.imputed[k][i] { None } else { r.value },
                normalised: normalised[k][i],
                contribution: None,
                need_percentile: need_pct[k][i],
                flag_p90: flag,
                imputed: p.imputed[k][i],
                missing: if normalised[k][i].is_none() {
                    Some(
                        r.missing
                            .clone()
                            .unwrap_or_else(|| "geen referentie".into()),
                    )
                } else {
                    None
                },
                reliability: r.reliability.clone(),
            });
        }
        let present = (0..inds.len())
            .filter(|&k| available[k] && normalised[k][i].is_some())
            .count();
        let coverage = if n_available > 0 {
            present as f64 / n_available as f64
        } else {
            0.0
        };
        // Components.
        let mut comps = Vec::new();
        let mut comps_available = Vec::new();
        let mut offset = 0;
        for (ci, c) in def.component.iter().enumerate() {
            let ks: Vec<usize> = (offset..offset + c.indicator.len()).collect();
            offset += c.indicator.len();
            let avail_w: f64 = ks
                .iter()
                .filter(|&&k| available[k])
                .map(|&k| w_ind[k])
                .sum();
            let pres: Vec<usize> = ks
                .iter()
                .copied()
                .filter(|&k| available[k] && normalised[k][i].is_some())
                .collect();
            let pres_w: f64 = pres.iter().map(|&k| w_ind[k]).sum();
            let share = if avail_w > 0.0 { pres_w / avail_w } else { 0.0 };
            let score = if pres_w > 0.0 && share + 1e-12 >= method.component_min_share {
                let s = if geometric {
                    let l: f64 = pres
                        .iter()
                        .map(|&k| w_ind[k] * shift(normalised[k][i].unwrap_or(0.0)).ln())
                        .sum::<f64>()
                        / pres_w;
                    (l.exp() - 1.0) / 0.99
                } else {
                    pres.iter()
                        .map(|&k| w_ind[k] * normalised[k][i].unwrap_or(0.0))
                        .sum::<f64>()
                        / pres_w
                };
                Some(s)
            } else {
                None
            };
            let flags = ks.iter().filter(|&&k| contributions[k].flag_p90).count();
            if avail_w > 0.0 {
                comps_available.push(ci);
            }
            comps.push((
                ci,
                ComponentScore {
                    component: c.id.clone(),
                    score,
                    weight_present: share,
                    flags,
                },
                pres,
                pres_w,
            ));
        }
        let scored: Vec<&(usize, ComponentScore, Vec<usize>, f64)> =
            comps.iter().filter(|c| c.1.score.is_some()).collect();
        let total_w: f64 = scored.iter().map(|c| w_comp[c.0].1).sum();
        let mut note = None;
        let mut score = if coverage + 1e-12 < method.min_coverage {
            note = Some(format!(
                "te weinig gegevens: {present} van {n_available} beschikbare indicatoren (minimaal {:.0}%)",
                method.min_coverage * 100.0
            ));
            None
        } else if scored.is_empty() || total_w <= 0.0 {
            note = Some("geen enkele component heeft genoeg gegevens".into());
            None
        } else if geometric {
            let l: f64 = scored
                .iter()
                .map(|c| w_comp[c.0].1 * shift(c.1.score.unwrap_or(0.0)).ln())
                .sum::<f64>()
                / total_w;
            Some((l.exp() - 1.0) / 0.99)
        } else {
            Some(
                scored
                    .iter()
                    .map(|c| w_comp[c.0].1 * c.1.score.unwrap_or(0.0))
                    .sum::<f64>()
                    / total_w,
            )
        };
        // Eligibility: the population rules, then coverage (R5); an area the screening
        // leaves without a score is not scored for lack of data.
        let mut exclusions = p.population[i].clone();
        if let Some(e) = &def.eligibility {
            let w_avail: f64 = comps_available.iter().map(|&c| w_comp[c].1).sum();
            let share = if w_avail > 0.0 {
                total_w / w_avail
            } else {
                0.0
            };
            let missing: Vec<_> = e
                .require_roles
                .iter()
                .copied()
                .filter(|r| {
                    !comps
                        .iter()
                        .any(|c| def.component[c.0].role == *r && c.1.score.is_some())
                })
                .collect();
            exclusions.extend(coverage_rule(
                e,
                share,
                scored.len(),
                comps_available.len(),
                &missing,
            ));
        }
        if score.is_none() && !exclusions.iter().any(|x| x.reason == Reason::LowCoverage) {
            exclusions.push(Exclusion {
                reason: Reason::LowCoverage,
                detail: note.clone().unwrap_or_default(),
            });
        }
        let status = status_of(&exclusions);
        if status == Status::NotScored {
            score = None;
        }
        // The "waarom": each indicator's share of the score.
        if let Some(s) = score {
            let total_log = if geometric { shift(s).ln() } else { 0.0 };
            for c in &scored {
                let wc = w_comp[c.0].1 / total_w;
                for &k in &c.2 {
                    let wk = w_ind[k] / c.3;
                    let n = normalised[k][i].unwrap_or(0.0);
                    contributions[k].contribution = Some(if geometric {
                        if total_log.abs() > 0.0 {
                            s * wc * wk * shift(n).ln() / total_log
                        } else {
                            0.0
                        }
                    } else {
                        wc * wk * n
                    });
                }
            }
        }
        let flags = contributions.iter().filter(|c| c.flag_p90).count();
        AreaScore {
            code,
            name,
            gemeente,
            corporatiebuurt: corp,
            status,
            exclusions,
            score,
            rank: None,
            percentile: None,
            class: None,
            components: comps.into_iter().map(|c| c.1).collect(),
            contributions,
            coverage,
            reliable,
            flags,
            note,
        }
    };
    let threads = if n_areas >= 2_000 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        1
    };
    let mut areas: Vec<AreaScore> = if threads <= 1 {
        (0..n_areas).map(score_area).collect()
    } else {
        let chunk = n_areas.div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..n_areas)
                .step_by(chunk)
                .map(|a| {
                    let f = &score_area;
                    s.spawn(move || (a..(a + chunk).min(n_areas)).map(f).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("scoring thread"))
                .collect()
        })
    };
    // Rank (1 = lowest score), percentile and class among the scored areas; an area with a
    // caveat gets its place in that distribution but no rank.
    let scores = sorted(
        areas
            .iter()
            .filter(|a| a.status == Status::Scored)
            .filter_map(|a| a.score),
    );
    for a in areas.iter_mut() {
        if let Some(s) = a.score
            && !scores.is_empty()
        {
            if a.status == Status::Scored {
                a.rank = Some(scores.partition_point(|&x| x < s) + 1);
            }
            let pct = 100.0 * percentile_rank(&scores, s);
            a.percentile = Some(pct);
            a.class = Some(Class::from_percentile(pct, &method.class_bounds));
        }
    }
    IndexResult {
        definition: def.id.clone(),
        edition,
        level,
        method,
        component_weights: w_comp,
        indicators: runs,
        areas,
    }
}

/// A sorted reference distribution with the statistics the normalisations need, computed
/// once per reference instead of once per area (z-scores were O(N²); see bench/README.md).
struct RefStats {
    sorted: Vec<f64>,
    mean: f64,
    sd: f64,
    /// Need-oriented reference (−y ascending), for the IMD transform only.
    need: Vec<f64>,
}

impl RefStats {
    fn new(sorted: Vec<f64>, imd: bool) -> RefStats {
        let (mean, sd) = mean_sd(&sorted);
        let need = if imd {
            sorted.iter().rev().map(|v| -v).collect()
        } else {
            Vec::new()
        };
        RefStats {
            sorted,
            mean,
            sd,
            need,
        }
    }
}

/// Treatment and normalisation of every indicator for a method: the indicator facts, the
/// normalised scores (higher = more veerkracht) and the national need percentiles (empty
/// columns unless `need`), each indexed `[indicator][area]`.
#[allow(clippy::type_complexity)]
pub(crate) fn normalise(
    def: &Definition,
    p: &Prepared,
    method: &Method,
    need: bool,
) -> (
    Vec<IndicatorRun>,
    Vec<Vec<Option<f64>>>,
    Vec<Vec<Option<f64>>>,
) {
    let (runs, mut normalised, need_pct) =
        normalise_many(def, p, method, &[method.normalisation], need);
    (runs, normalised.pop().expect("one normalisation"), need_pct)
}

/// [`normalise`] for several normalisations under the method's treatment and reference: the
/// treatment, the oriented values and the sorted reference distributions are computed once
/// per indicator and shared (the uncertainty analysis draws among normalisations). The
/// normalised matrices come back in the order of `norms`, each `[indicator][area]`.
#[allow(clippy::type_complexity)]
pub(crate) fn normalise_many(
    def: &Definition,
    p: &Prepared,
    method: &Method,
    norms: &[Normalisation],
    need: bool,
) -> (
    Vec<IndicatorRun>,
    Vec<Vec<Vec<Option<f64>>>>,
    Vec<Vec<Option<f64>>>,
) {
    let n_areas = p.areas.len();
    let inds: Vec<_> = def.indicators().collect();
    // Reference membership per area.
    let in_reference = |j: usize, i: usize| -> bool {
        p.reference[j]
            && match method.reference {
                Reference::National => true,
                Reference::Gemeente => p.areas[j].2 == p.areas[i].2,
                Reference::Corporatiebuurten => p.areas[j].3 == Some(true),
            }
    };
    let imd = norms.contains(&Normalisation::Imd);
    let mut runs = Vec::new();
    let mut normalised: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); norms.len()];
    let mut need_pct: Vec<Vec<Option<f64>>> = Vec::new();
    for (k, (c, ind)) in inds.iter().enumerate() {
        let col = &p.raw[k];
        let present: Vec<f64> = col.iter().filter_map(|r| r.value).collect();
        let treatment = match method.treatment {
            Treatment::Coinr => coinr_treatment(&present),
            Treatment::None => Treated::Untouched,
        };
        let sign = if ind.direction == Direction::HigherIsWorse {
            -1.0
        } else {
            1.0
        };
        // oriented (higher = more veerkracht) treated values
        let y: Vec<Option<f64>> = col
            .iter()
            .map(|r| r.value.map(|v| sign * treatment.apply(v)))
            .collect();
        let national = RefStats::new(
            sorted(
                y.iter()
                    .zip(&p.reference)
                    .filter(|(_, r)| **r)
                    .filter_map(|(v, _)| *v),
            ),
            imd,
        );
        // reference distributions and their statistics, once per reference (per gemeente cached)
        let mut cache: HashMap<Option<AreaCode>, RefStats> = HashMap::new();
        let corp = match method.reference {
            Reference::Corporatiebuurten => RefStats::new(
                sorted(
                    (0..n_areas)
                        .filter(|&j| p.areas[j].3 == Some(true) && p.reference[j])
                        .filter_map(|j| y[j]),
                ),
                imd,
            ),
            _ => RefStats::new(Vec::new(), false),
        };
        let mut cols: Vec<Vec<Option<f64>>> = vec![vec![None; n_areas]; norms.len()];
        for i in 0..n_areas {
            let Some(yi) = y[i] else { continue };
            let reference: &RefStats = match method.reference {
                Reference::National => &national,
                Reference::Corporatiebuurten => &corp,
                Reference::Gemeente => cache.entry(p.areas[i].2).or_insert_with(|| {
                    RefStats::new(
                        sorted(
                            (0..n_areas)
                                .filter(|&j| in_reference(j, i))
                                .filter_map(|j| y[j]),
                        ),
                        imd,
                    )
                }),
            };
            let sorted_ref = &reference.sorted;
            if sorted_ref.is_empty() {
                continue;
            }
            for (norm, out) in norms.iter().zip(cols.iter_mut()) {
                let v = match norm {
                    Normalisation::Percentile => 100.0 * percentile_rank(sorted_ref, yi),
                    Normalisation::Zscore => {
                        let (m, s) = (reference.mean, reference.sd);
                        if s > 0.0 { (yi - m) / s } else { 0.0 }
                    }
                    Normalisation::Minmax => {
                        let (lo, hi) = (sorted_ref[0], sorted_ref[sorted_ref.len() - 1]);
                        if hi > lo {
                            100.0 * (yi - lo) / (hi - lo)
                        } else {
                            50.0
                        }
                    }
                    Normalisation::Goalposts => {
                        let [lo, hi] = ind.goalposts.unwrap_or([0.0, 1.0]);
                        let raw = treatment.apply(p.raw[k][i].value.unwrap_or(lo));
                        let g = (100.0 * (raw - lo) / (hi - lo)).clamp(0.0, 100.0);
                        if sign < 0.0 { 100.0 - g } else { g }
                    }
                    Normalisation::Imd => 100.0 - imd_transform(rank_share(&reference.need, -yi)),
                };
                out[i] = Some(v);
            }
        }
        let need_col: Vec<Option<f64>> = if need {
            // The need percentile of −y against the national −y, which is the national
            // sorted y reversed and negated.
            let need_sorted: Vec<f64> = national.sorted.iter().rev().map(|v| -v).collect();
            y.iter()
                .map(|v| v.map(|v| 100.0 * percentile_rank(&need_sorted, -v)))
                .collect()
        } else {
            Vec::new()
        };
        runs.push(IndicatorRun {
            id: ind.id.clone(),
            component: c.id.clone(),
            source: ind.source.clone(),
            label_nl: ind.label_nl.clone(),
            proxy: ind.proxy,
            available: !present.is_empty(),
            present: present.len(),
            treatment,
        });
        for (all, col) in normalised.iter_mut().zip(cols) {
            all.push(col);
        }
        need_pct.push(need_col);
    }
    (runs, normalised, need_pct)
}
