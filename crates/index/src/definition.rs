//! Index definitions as data: a hierarchy index → components → indicators, with
//! the method choices of every step. Parsed from TOML and validated against the
//! indicator catalogue, with errors naming the file, the place and the fix.

use serde::{Deserialize, Serialize};
use veerkracht_dataset::{Catalogue, Direction, Level};

/// The embedded default definition.
pub const VEERKRACHT_BASIS: &str = include_str!("../../../data/index/veerkracht-basis.toml");

/// How a raw value is made from catalogue indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// The value as published.
    Value,
    /// count / denominator × 1,000.
    #[serde(rename = "per_1000")]
    Per1000,
    /// count / denominator × 100.
    Share,
    /// count / (sum of the `+`-separated denominator indicators) × 100.
    ShareOfSum,
    /// Natural logarithm of the value (values ≤ 0 are missing).
    Log,
}

/// Reference population for normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// All areas of the level in the edition.
    National,
    /// The areas of the same gemeente.
    Gemeente,
    /// Only corporatiebuurten (p_wcorpw above the threshold).
    Corporatiebuurten,
}

/// Missing-value imputation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Imputation {
    /// Missing stays missing; weights are re-distributed over what is present.
    None,
    /// Mean of the other areas in the same gemeente.
    GemeenteMean,
    /// Mean of all areas.
    NationalMean,
}

/// Outlier treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// None.
    None,
    /// COINr's default: while |skew| > 2 and kurtosis > 3.5 winsorise one more point on
    /// the skewed side (at most 5); if that fails, log-transform instead.
    Coinr,
}

/// Normalisation (always oriented so that higher = more veerkracht).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// Percentile rank (rank − 1)/(N − 1) with ties at the lower rank (CDC SVI), × 100.
    Percentile,
    /// (x − mean)/sd of the reference.
    Zscore,
    /// (x − min)/(max − min) × 100 over the reference.
    Minmax,
    /// (x − low)/(high − low) × 100, clamped to 0–100, with per-indicator goalposts.
    Goalposts,
    /// English IMD exponential transform of the rank: X = −23 ln(1 − R(1 − e^(−100/23))).
    Imd,
}

/// Aggregation of normalised scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted arithmetic mean.
    Arithmetic,
    /// Weighted geometric mean (scores shifted to 1–100 first).
    Geometric,
}

/// Role of a component in the veerkracht signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Concentration of vulnerable residents (A).
    Vulnerability,
    /// Nuisance and unsafety (B).
    Pressure,
    /// Samenredzaamheid (C).
    Capacity,
    /// Place and stock (D).
    Place,
}

/// The method choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Reference population.
    pub reference: Reference,
    /// Screening: share of available indicators an area needs (0–1).
    pub min_coverage: f64,
    /// Imputation.
    pub imputation: Imputation,
    /// Outlier treatment.
    pub treatment: Treatment,
    /// Normalisation.
    pub normalisation: Normalisation,
    /// Aggregation.
    pub aggregation: Aggregation,
    /// Share of a component's available weight needed to score it (0–1).
    pub component_min_share: f64,
    /// p_wcorpw above this (%) = corporatiebuurt.
    pub corporatie_threshold: f64,
    /// Thresholds (%) of the corporatiebuurt sensitivity run.
    #[serde(default = "default_sensitivity")]
    pub corporatie_sensitivity: Vec<f64>,
    /// Upper percentile bounds of the first four of the five classes.
    #[serde(default = "default_class_bounds")]
    pub class_bounds: [f64; 4],
    /// Dead band of the veerkracht signal in standard deviations.
    #[serde(default = "default_dead_band")]
    pub signal_dead_band: f64,
    /// Context variables of the peer groups (catalogue ids).
    #[serde(default = "default_peer_context")]
    pub peer_context: Vec<String>,
    /// Those of `peer_context` taken as a logarithm (sizes and densities).
    #[serde(default = "default_peer_context_log")]
    pub peer_context_log: Vec<String>,
}

fn default_sensitivity() -> Vec<f64> {
    vec![50.0, 60.0, 66.7, 75.0]
}
fn default_class_bounds() -> [f64; 4] {
    [20.0, 40.0, 60.0, 80.0]
}
fn default_dead_band() -> f64 {
    0.1
}
fn default_peer_context() -> Vec<String> {
    [
        "ste_mvs", "ste_oad", "a_inw", "p_koopw", "p_wcorpw", "p_mgezw",
    ]
    .map(String::from)
    .to_vec()
}
fn default_peer_context_log() -> Vec<String> {
    ["ste_oad", "a_inw"].map(String::from).to_vec()
}

/// One indicator of a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Id within the definition.
    pub id: String,
    /// Dutch label.
    pub label_nl: String,
    /// English label.
    pub label_en: String,
    /// Catalogue indicator the value comes from.
    pub source: String,
    /// Transform.
    pub transform: Transform,
    /// Denominator catalogue id(s) (`a+b+c` for share_of_sum).
    #[serde(default)]
    pub denominator: Option<String>,
    /// What a higher raw value means for veerkracht.
    pub direction: Direction,
    /// Weight within the component.
    pub weight: f64,
    /// An open-data proxy, not a count of the concept.
    #[serde(default)]
    pub proxy: bool,
    /// Goalposts [low, high] for goalposts normalisation (raw, after transform).
    #[serde(default)]
    pub goalposts: Option<[f64; 2]>,
    /// When a buurt has no value, use its wijk's (marked `wijkwaarde`): for figures CBS
    /// publishes per wijk only (Wmo clients, 85995NED).
    #[serde(default)]
    pub fallback_wijk: bool,
}

/// A component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Id (A, B, C, D).
    pub id: String,
    /// Dutch label.
    pub label_nl: String,
    /// English label.
    pub label_en: String,
    /// Role.
    pub role: Role,
    /// Weight in the index.
    pub weight: f64,
    /// Indicators.
    pub indicator: Vec<IndicatorDef>,
}

/// A whole index definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Schema version (1).
    pub schema_version: u32,
    /// Id.
    pub id: String,
    /// Dutch title.
    pub title_nl: String,
    /// English title.
    pub title_en: String,
    /// Default level.
    pub level: Level,
    /// Method.
    pub method: Method,
    /// Which areas may be scored and ranked (absent: every area with enough data).
    #[serde(default)]
    pub eligibility: Option<Eligibility>,
    /// Components.
    pub component: Vec<Component>,
}

/// A definition problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {place}: {message} — fix: {fix}")]
pub struct DefinitionError {
    /// File name.
    pub file: String,
    /// Line, or component/indicator path.
    pub place: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl Definition {
    /// The embedded `veerkracht-basis` definition.
    pub fn veerkracht_basis() -> Definition {
        Definition::parse(
            VEERKRACHT_BASIS,
            "veerkracht-basis.toml",
            &Catalogue::embedded(),
        )
        .expect("the embedded definition is validated by the test suite")
    }

    /// Parses and validates a definition.
    pub fn parse(
        text: &str,
        file: &str,
        catalogue: &Catalogue,
    ) -> Result<Definition, DefinitionError> {
        let d: Definition = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0);
            DefinitionError {
                file: file.into(),
                place: format!("line {line}"),
                message: e.message().to_string(),
                fix: "see data/index/veerkracht-basis.toml for the format".into(),
            }
        })?;
        d.validate(file, catalogue)?;
        Ok(d)
    }

    fn validate(&self, file: &str, catalogue: &Catalogue) -> Result<(), DefinitionError> {
        let err = |place: String, message: String, fix: &str| DefinitionError {
            file: file.into(),
            place,
            message,
            fix: fix.into(),
        };
        if self.schema_version != 1 {
            return Err(err(
                "schema_version".into(),
                format!("version {} is not supported", self.schema_version),
                "use schema_version = 1",
            ));
        }
        let m = &self.method;
        for (name, v) in [
            ("min_coverage", m.min_coverage),
            ("component_min_share", m.component_min_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(err(
                    format!("method.{name}"),
                    format!("{v} is not a share"),
                    "use a number from 0 to 1",
                ));
            }
        }
        if !m.class_bounds.windows(2).all(|w| w[0] < w[1])
            || m.class_bounds[0] <= 0.0
            || m.class_bounds[3] >= 100.0
        {
            return Err(err(
                "method.class_bounds".into(),
                format!("{:?} must rise strictly within 0–100", m.class_bounds),
                "use e.g. [20, 40, 60, 80]",
            ));
        }
        if !(m.signal_dead_band >= 0.0) {
            return Err(err(
                "method.signal_dead_band".into(),
                format!("{} is negative", m.signal_dead_band),
                "use 0 or more standard deviations, e.g. 0.1",
            ));
        }
        for id in m.peer_context.iter().chain(&m.peer_context_log) {
            if catalogue.get(id).is_none() {
                return Err(err(
                    "method.peer_context".into(),
                    format!("'{id}' is not in the indicator catalogue"),
                    "use catalogue ids",
                ));
            }
        }
        if let Some(id) = m
            .peer_context_log
            .iter()
            .find(|id| !m.peer_context.contains(id))
        {
            return Err(err(
                "method.peer_context_log".into(),
                format!("'{id}' is not in peer_context"),
                "list it in peer_context too",
            ));
        }
        if m.aggregation == Aggregation::Geometric && m.normalisation == Normalisation::Zscore {
            return Err(err(
                "method.aggregation".into(),
                "geometric aggregation needs positive scores; z-scores can be negative".into(),
                "use percentile, minmax, goalposts or imd normalisation",
            ));
        }
        if let Some(e) = &self.eligibility
            && let Err((what, range)) = e.check()
        {
            return Err(err(
                "eligibility".into(),
                format!("{what} is out of range"),
                &format!("use {range}"),
            ));
        }
        if self.component.is_empty() {
            return Err(err(
                "component".into(),
                "no components".into(),
                "add [[component]] blocks",
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for c in &self.component {
            if !(c.weight.is_finite() && c.weight > 0.0) {
                return Err(err(
                    format!("component {}", c.id),
                    format!("weight {} must be positive", c.weight),
                    "give every component a weight > 0",
                ));
            }
            if c.indicator.is_empty() {
                return Err(err(
                    format!("component {}", c.id),
                    "no indicators".into(),
                    "add [[component.indicator]] blocks",
                ));
            }
            for i in &c.indicator {
                let place = format!("component {} indicator {}", c.id, i.id);
                if !ids.insert(i.id.clone()) {
                    return Err(err(
                        place,
                        "duplicate indicator id".into(),
                        "give every indicator its own id",
                    ));
                }
                if !(i.weight.is_finite() && i.weight > 0.0) {
                    return Err(err(
                        place,
                        format!("weight {} must be positive", i.weight),
                        "use a weight > 0",
                    ));
                }
                if catalogue.get(&i.source).is_none() {
                    return Err(err(
                        place,
                        format!("source '{}' is not in the indicator catalogue", i.source),
                        "use an id from `veerkracht indicators`",
                    ));
                }
                let needs_den = matches!(
                    i.transform,
                    Transform::Per1000 | Transform::Share | Transform::ShareOfSum
                );
                match (&i.denominator, needs_den) {
                    (None, true) => {
                        return Err(err(
                            place,
                            format!("transform {:?} needs a denominator", i.transform),
                            "add denominator = \"a_inw\" (or another catalogue id)",
                        ));
                    }
                    (Some(d), _) => {
                        for part in d.split('+') {
                            if catalogue.get(part.trim()).is_none() {
                                return Err(err(
                                    place,
                                    format!("denominator '{part}' is not in the catalogue"),
                                    "use catalogue ids, joined with + for share_of_sum",
                                ));
                            }
                        }
                    }
                    _ => {}
                }
                if m.normalisation == Normalisation::Goalposts {
                    match i.goalposts {
                        Some([lo, hi]) if hi > lo => {}
                        _ => return Err(err(
                            place,
                            "goalposts normalisation needs goalposts = [low, high] with high > low"
                                .into(),
                            "add goalposts for every indicator",
                        )),
                    }
                }
                if i.direction == Direction::Neutral {
                    return Err(err(
                        place,
                        "direction neutral cannot be aggregated".into(),
                        "use higher_is_better or higher_is_worse",
                    ));
                }
            }
        }
        Ok(())
    }

    /// All indicators with their component, in definition order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Component, &IndicatorDef)> {
        self.component
            .iter()
            .flat_map(|c| c.indicator.iter().map(move |i| (c, i)))
    }
}

/// The `[eligibility]` table of an index definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// R1: fewer private households (`a_hh`) than this → not scored (0–100,000).
    pub min_households: f64,
    /// R2: fewer inhabitants (`a_inw`) than this → not scored (0–100,000).
    pub min_inhabitants: f64,
    /// R3: institutional share `1 − a_hh·g_hhgro/a_inw` at or above this → not scored (0–1).
    pub institutional_exclude: f64,
    /// R3: institutional share at or above this (and below the exclusion) → caveat (0–1).
    pub institutional_caveat: f64,
    /// Non-residential: at least this many non-dwellings (`a_nietwon`) per dwelling
    /// (`a_woning`) → caveat (0.1–1,000; absent: no rule).
    #[serde(default)]
    pub non_residential_ratio: Option<f64>,
    /// R5: share of the available component weight that was scored, needed for a plain
    /// score (0–1).
    pub coverage_scored: f64,
    /// R5: below `coverage_scored` but at least this → caveat; below → not scored (0–1).
    pub coverage_caveat: f64,
    /// R5: components with these roles must be scored, else not scored.
    #[serde(default)]
    pub require_roles: Vec<Role>,
    /// R7: the student-area flag (absent: no rule).
    #[serde(default)]
    pub student_area: Option<StudentArea>,
}

/// R7: a buurt where 15–24-year-olds and single-person households dominate and little is
/// owner-occupied is a student area: single living and renting mean something else there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudentArea {
    /// `a_15_24 / a_inw` at least this (0–1).
    pub min_share_15_24: f64,
    /// `a_1p_hh / a_hh` at least this (0–1).
    pub min_single_households: f64,
    /// `p_koopw` at most this (%, 0–100), or not published.
    pub max_owner_occupied: f64,
}

impl Eligibility {
    /// Checks every number against its stated range; `Err((field, range))`.
    pub fn check(&self) -> Result<(), (String, &'static str)> {
        let share = |name: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err((format!("eligibility.{name} = {v}"), "a share from 0 to 1"))
            }
        };
        for (name, v) in [
            ("min_households", self.min_households),
            ("min_inhabitants", self.min_inhabitants),
        ] {
            if !(0.0..=100_000.0).contains(&v) {
                return Err((
                    format!("eligibility.{name} = {v}"),
                    "a count from 0 to 100000",
                ));
            }
        }
        share("institutional_exclude", self.institutional_exclude)?;
        share("institutional_caveat", self.institutional_caveat)?;
        share("coverage_scored", self.coverage_scored)?;
        share("coverage_caveat", self.coverage_caveat)?;
        if self.institutional_caveat > self.institutional_exclude {
            return Err((
                "eligibility.institutional_caveat > institutional_exclude".into(),
                "a caveat threshold at most the exclusion threshold",
            ));
        }
        if self.coverage_caveat > self.coverage_scored {
            return Err((
                "eligibility.coverage_caveat > coverage_scored".into(),
                "a caveat threshold at most the scored threshold",
            ));
        }
        if let Some(r) = self.non_residential_ratio
            && !(0.1..=1000.0).contains(&r)
        {
            return Err((
                format!("eligibility.non_residential_ratio = {r}"),
                "a ratio from 0.1 to 1000",
            ));
        }
        if let Some(s) = &self.student_area {
            share("student_area.min_share_15_24", s.min_share_15_24)?;
            share(
                "student_area.min_single_households",
                s.min_single_households,
            )?;
            if !(0.0..=100.0).contains(&s.max_owner_occupied) {
                return Err((
                    format!(
                        "eligibility.student_area.max_owner_occupied = {}",
                        s.max_owner_occupied
                    ),
                    "a percentage from 0 to 100",
                ));
            }
        }
        Ok(())
    }
}
