//! Rules and assumptions as data: the dated legal constants of `data/sim/regels.toml`
//! ([`Regels`], one [`Periode`] per date the rules changed) and the model assumptions of
//! `data/sim/aannames.toml` ([`Aannames`]: calibration targets, seeker streams, vulnerability
//! groups, preferences, synthesis). Both are parsed with unknown keys refused and validated;
//! every error names the file, the line or key, and the fix.

use serde::Deserialize;

use crate::SimError;

/// The embedded `data/sim/regels.toml`.
pub const REGELS: &str = include_str!("../../../data/sim/regels.toml");
/// The embedded `data/sim/aannames.toml`.
pub const AANNAMES: &str = include_str!("../../../data/sim/aannames.toml");

/// A calendar date (from a TOML date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Datum {
    /// the year
    pub jaar: i32,
    /// the month, 1–12
    pub maand: u8,
    /// the day of the month, 1–31
    pub dag: u8,
}

impl std::fmt::Display for Datum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.jaar, self.maand, self.dag)
    }
}

impl<'de> Deserialize<'de> for Datum {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::value::Datetime::deserialize(d)?;
        match (v.date, v.time) {
            (Some(date), None) => Ok(Datum {
                jaar: i32::from(date.year),
                maand: date.month,
                dag: date.day,
            }),
            _ => Err(serde::de::Error::custom(
                "expected a date such as 2025-01-01 (no time)",
            )),
        }
    }
}

/// Parses TOML into `T`; a syntax error, a wrong type or an unknown key becomes a
/// [`SimError`] with the line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    fix: &str,
) -> Result<T, SimError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(0);
        SimError::new(
            file,
            format!("line {line}"),
            e.message().trim().to_string(),
            fix,
        )
    })
}

/// The legal constants in force from `geldig_vanaf` (docs/domain.md §4.1, §4.2, §4.4, §4.6).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Periode {
    /// the first day the constants are in force (until the next period)
    pub geldig_vanaf: Datum,
    /// where the constants come from (law, regulation, publication)
    pub bron: String,
    /// DAEB income limit, one person / more persons (euro a year)
    pub daeb_inkomensgrens_1p: f64,
    /// DAEB income limit for households of more persons (euro a year)
    pub daeb_inkomensgrens_mp: f64,
    /// share of social lettings that must go to the target group (0.925)
    pub doelgroep_min_aandeel: f64,
    /// free allocation room, national (0.075) and local maximum (0.15)
    pub vrije_ruimte_max: f64,
    /// the free allocation room a local agreement may allow at most (0.15)
    pub vrije_ruimte_lokaal_max: f64,
    /// passend toewijzen: share of huurtoeslag households at or below the aftoppingsgrens
    pub passend_min_aandeel: f64,
    /// huurtoeslag (passend) income limits, below and at AOW age
    pub passend_inkomen_1p: f64,
    /// huurtoeslag income limit, more persons below AOW age (euro a year)
    pub passend_inkomen_mp: f64,
    /// huurtoeslag income limit, one person at AOW age (euro a year)
    pub passend_inkomen_1p_aow: f64,
    /// huurtoeslag income limit, more persons at AOW age (euro a year)
    pub passend_inkomen_mp_aow: f64,
    /// lage (1–2 persons) and hoge (3+) aftoppingsgrens, kale huur a month
    pub aftopping_laag: f64,
    /// hoge aftoppingsgrens (3+ persons), kale huur in euro a month
    pub aftopping_hoog: f64,
    /// huurtoeslag maximum rent = DAEB rent limit (liberalisatiegrens)
    pub huurtoeslag_max_huur: f64,
    /// middle-income limits
    pub midden_inkomensgrens_1p: f64,
    /// middle-income limit for households of more persons (euro a year)
    pub midden_inkomensgrens_mp: f64,
    /// maximum yearly rent increase per segment (fraction)
    pub huurverhoging_max_sociaal: f64,
    /// maximum yearly rent increase of middenhuur (fraction)
    pub huurverhoging_max_midden: f64,
    /// maximum yearly rent increase of the vrije sector (fraction)
    pub huurverhoging_max_vrij: f64,
    /// Rotterdamwet art. 8: years of residence in the region that exempt from the income rule
    pub rotterdamwet_regio_jaren: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegelsFile {
    periode: Vec<Periode>,
}

/// All periods of `data/sim/regels.toml`, sorted by date.
#[derive(Debug, Clone, PartialEq)]
pub struct Regels {
    /// the periods, sorted by `geldig_vanaf` (at least one)
    pub perioden: Vec<Periode>,
}

impl Regels {
    /// The embedded rules.
    pub fn embedded() -> Regels {
        Regels::parse(REGELS, "data/sim/regels.toml")
            .expect("the embedded rules are validated by the test suite")
    }

    /// Parses and validates a rules file.
    pub fn parse(text: &str, file: &str) -> Result<Regels, SimError> {
        let f: RegelsFile = parse_toml(
            text,
            file,
            "see data/sim/regels.toml for the keys of a [[periode]]",
        )?;
        if f.periode.is_empty() {
            return Err(SimError::new(
                file,
                "periode",
                "no [[periode]]",
                "add a [[periode]] with geldig_vanaf and the limits",
            ));
        }
        let mut perioden = f.periode;
        perioden.sort_by_key(|p| p.geldig_vanaf);
        for (i, p) in perioden.iter().enumerate() {
            let place = |k: &str| format!("periode (geldig_vanaf {}).{k}", p.geldig_vanaf);
            for (k, v) in [
                ("doelgroep_min_aandeel", p.doelgroep_min_aandeel),
                ("vrije_ruimte_max", p.vrije_ruimte_max),
                ("vrije_ruimte_lokaal_max", p.vrije_ruimte_lokaal_max),
                ("passend_min_aandeel", p.passend_min_aandeel),
                ("huurverhoging_max_sociaal", p.huurverhoging_max_sociaal),
                ("huurverhoging_max_midden", p.huurverhoging_max_midden),
                ("huurverhoging_max_vrij", p.huurverhoging_max_vrij),
            ] {
                if !(0.0..=1.0).contains(&v) {
                    return Err(SimError::new(
                        file,
                        place(k),
                        format!("{v} is not a share between 0 and 1"),
                        "write shares as fractions (92.5 % = 0.925)",
                    ));
                }
            }
            if (p.doelgroep_min_aandeel + p.vrije_ruimte_max - 1.0).abs() > 1e-9 {
                return Err(SimError::new(
                    file,
                    place("vrije_ruimte_max"),
                    format!(
                        "doelgroep_min_aandeel {} + vrije_ruimte_max {} is not 1",
                        p.doelgroep_min_aandeel, p.vrije_ruimte_max
                    ),
                    "the free room is what the target-group rule leaves (7.5 % next to 92.5 %)",
                ));
            }
            if p.vrije_ruimte_lokaal_max < p.vrije_ruimte_max {
                return Err(SimError::new(
                    file,
                    place("vrije_ruimte_lokaal_max"),
                    "smaller than vrije_ruimte_max",
                    "the local maximum (15 %) is at least the national free room (7.5 %)",
                ));
            }
            for (k, v) in [
                ("daeb_inkomensgrens_1p", p.daeb_inkomensgrens_1p),
                ("daeb_inkomensgrens_mp", p.daeb_inkomensgrens_mp),
                ("passend_inkomen_1p", p.passend_inkomen_1p),
                ("passend_inkomen_mp", p.passend_inkomen_mp),
                ("passend_inkomen_1p_aow", p.passend_inkomen_1p_aow),
                ("passend_inkomen_mp_aow", p.passend_inkomen_mp_aow),
                ("aftopping_laag", p.aftopping_laag),
                ("aftopping_hoog", p.aftopping_hoog),
                ("huurtoeslag_max_huur", p.huurtoeslag_max_huur),
                ("midden_inkomensgrens_1p", p.midden_inkomensgrens_1p),
                ("midden_inkomensgrens_mp", p.midden_inkomensgrens_mp),
            ] {
                if !(v.is_finite() && v > 0.0) {
                    return Err(SimError::new(
                        file,
                        place(k),
                        format!("{v} is not a positive amount"),
                        "amounts are euro (income a year, kale huur a month)",
                    ));
                }
            }
            let order = [
                (
                    "passend_inkomen_1p",
                    p.passend_inkomen_1p,
                    "daeb_inkomensgrens_1p",
                    p.daeb_inkomensgrens_1p,
                ),
                (
                    "passend_inkomen_mp",
                    p.passend_inkomen_mp,
                    "daeb_inkomensgrens_mp",
                    p.daeb_inkomensgrens_mp,
                ),
                (
                    "daeb_inkomensgrens_1p",
                    p.daeb_inkomensgrens_1p,
                    "midden_inkomensgrens_1p",
                    p.midden_inkomensgrens_1p,
                ),
                (
                    "daeb_inkomensgrens_mp",
                    p.daeb_inkomensgrens_mp,
                    "midden_inkomensgrens_mp",
                    p.midden_inkomensgrens_mp,
                ),
                (
                    "aftopping_laag",
                    p.aftopping_laag,
                    "aftopping_hoog",
                    p.aftopping_hoog,
                ),
                (
                    "aftopping_hoog",
                    p.aftopping_hoog,
                    "huurtoeslag_max_huur",
                    p.huurtoeslag_max_huur,
                ),
            ];
            for (a, va, b, vb) in order {
                if va > vb {
                    return Err(SimError::new(
                        file,
                        place(a),
                        format!("{a} ({va}) is above {b} ({vb})"),
                        "the limits must be ordered: passend ≤ DAEB ≤ midden; aftopping laag ≤ hoog ≤ huurtoeslag maximum",
                    ));
                }
            }
            if i > 0 && perioden[i - 1].geldig_vanaf == p.geldig_vanaf {
                return Err(SimError::new(
                    file,
                    place("geldig_vanaf"),
                    "two periods with the same date",
                    "give each [[periode]] its own geldig_vanaf",
                ));
            }
        }
        Ok(Regels { perioden })
    }

    /// The period in force on `peildatum` (latest `geldig_vanaf` on or before it).
    pub fn op(&self, peildatum: Datum) -> Result<&Periode, SimError> {
        self.perioden
            .iter()
            .rev()
            .find(|p| p.geldig_vanaf <= peildatum)
            .ok_or_else(|| {
                SimError::new(
                    "data/sim/regels.toml",
                    "periode",
                    format!(
                        "no period in force on {peildatum} (first: {})",
                        self.perioden[0].geldig_vanaf
                    ),
                    "use a later peildatum in the scenario or add a [[periode]]",
                )
            })
    }
}

/// Exit hazard calibration targets (docs/domain.md §4.5).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verloop {
    /// the share of the stock re-let a year in steady state (0.07)
    pub mutatiegraad: f64,
    /// the share of new tenants that leave within `venster_jaren` (0.42)
    pub vertrek_binnen_venster: f64,
    /// the window of the early-exit target, in years (5)
    pub venster_jaren: u32,
    /// hazard factor of a small flat (a meergezinswoning of at most 2 rooms)
    pub factor_klein: f64,
    /// hazard factor of the other meergezinswoningen
    pub factor_meergezins: f64,
    /// hazard factor of an eengezinswoning
    pub factor_eengezins: f64,
    /// share of the tenancies ending by the hazard that are moves within the stock: the
    /// household searches as a regular seeker while keeping its dwelling (woonduur counts
    /// as registration time) and frees it when placed; 0 = every ending household leaves
    #[serde(default)]
    pub doorstroom: f64,
}

/// Seeker pool assumptions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zoekers {
    /// share of the waiting regular seekers that stop searching each year (0–1)
    pub uitval_per_jaar: f64,
    /// the active pool at the start, in years of re-lettings
    pub startpool_jaren: f64,
    /// mean registration time of the starting pool, in years (exponential)
    pub inschrijfduur_start: f64,
    /// offers per vacancy before it stays vacant until next year
    pub max_aanbiedingen: u32,
    /// middenhuur, vrije sector and niet-DAEB: gross monthly income at least this many
    /// times the rent
    pub inkomenseis_huurfactor: f64,
    /// seeker profiles pre-synthesised per stream; arrivals draw one
    pub profielen_per_stroom: u32,
}

/// Offer acceptance (logit weights).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voorkeur {
    /// the logit's constant
    pub basis: f64,
    /// weight of the buurt's attractiveness (a z-score)
    pub aantrekkelijkheid: f64,
    /// weight of the buurt's current share of vulnerable tenants minus the mean (negative:
    /// seekers with a choice avoid concentration)
    pub kwetsbaar_aandeel: f64,
    /// added for vulnerable seekers (they accept more readily)
    pub kwetsbaar_extra: f64,
    /// added for low-income (I0) seekers
    pub laag_inkomen_extra: f64,
    /// the probability (0–1, not a logit weight) that an urgent seeker accepts a direct offer
    pub urgent_accepteert: f64,
}

/// Household synthesis.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synthese {
    /// the national prior of the IPF: size (1, 2, 3+ persons) × income class (I0–I3)
    pub prior: [[f64; 4]; 3],
    /// I0 share of corporation tenants at the regional mean of `p_hh_li` (scaled per buurt)
    pub aandeel_i0: f64,
    /// I3 share of corporation tenants at the regional mean of `p_hh_hi` (scaled per buurt)
    pub aandeel_i3: f64,
    /// households at AOW age: the buurt's share of residents aged 65+ times this factor
    pub aow_factor: f64,
    /// per income class: the factor on the buurt's benefits rate for tenants below AOW age
    pub uitkering_factor: [f64; 4],
    /// share of the non-corporation households that is vulnerable (times the buurt's
    /// relative benefits rate): the static background of the whole-buurt share
    pub achtergrond_kwetsbaar: f64,
}

/// How a group's membership is determined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bron {
    /// drawn per household (no open data; an assumption or partner data)
    Kenmerk,
    /// income class I0 (huurtoeslag / passend income)
    LaagInkomen,
    /// benefits: no income from work, below AOW age
    Uitkering,
}

/// A vulnerability group.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Groep {
    /// the group's id (metric names `aandeel_{id}`; referred to by streams and scenarios)
    pub id: String,
    /// the group's name as shown to users
    pub naam: String,
    /// how membership is determined
    pub bron: Bron,
    /// whether the group counts in the "kwetsbaar" share
    pub kwetsbaar: bool,
    /// `kenmerk` groups: share among sitting corporation tenants at the regional mean
    #[serde(default)]
    pub zittend: f64,
    /// `kenmerk` groups: the power of the buurt's relative benefits rate that scales
    /// `zittend` per buurt
    #[serde(default)]
    pub buurtgevoeligheid: f64,
    /// `kenmerk` groups: factor on `zittend` per income class (I0–I3)
    #[serde(default)]
    pub klassefactor: [f64; 4],
    /// `kenmerk` groups: the probability among regular seekers per income class (I0–I3)
    #[serde(default)]
    pub regulier: [f64; 4],
}

/// Kind of a seeker stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Soort {
    /// ranked on registration time, or by lottery
    Regulier,
    /// mediated directly before the regular ranking, in `prioriteit` order
    Urgent,
}

/// A seeker stream.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stroom {
    /// the stream's id (metric names `plaatsingen_{id}` …; referred to by scenarios)
    pub id: String,
    /// the stream's name as shown to users
    pub naam: String,
    /// regular or urgent
    pub soort: Soort,
    /// urgent streams: the order of direct mediation (lower first)
    #[serde(default)]
    pub prioriteit: u32,
    /// arrivals a year per 1,000 corporation dwellings of the region (a scenario's
    /// `[instroom]` overrides)
    pub per_1000: f64,
    /// groups every seeker of the stream belongs to (other `kenmerk` groups are drawn)
    pub groepen: Vec<String>,
    /// shares of 1, 2 and 3+ person households
    pub grootte: [f64; 3],
    /// shares of income classes I0–I3
    pub inkomen: [f64; 4],
    /// per income class: the share with income from work or pension
    pub werk: [f64; 4],
    /// share living at least 6 years in the region (Rotterdamwet art. 8)
    pub regio_6jaar: f64,
    /// share with a screening hit (Rotterdamwet art. 10)
    pub screening: f64,
}

/// The model assumptions of `data/sim/aannames.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aannames {
    /// `[verloop]`: the exit hazard's calibration targets
    pub verloop: Verloop,
    /// `[zoekers]`: the seeker pool
    pub zoekers: Zoekers,
    /// `[voorkeur]`: offer acceptance
    pub voorkeur: Voorkeur,
    /// `[synthese]`: household synthesis
    pub synthese: Synthese,
    /// `[invulling]`: what the model fills in where inputs say nothing
    pub invulling: Invulling,
    /// `[[groep]]`: the vulnerability groups (at most 16)
    pub groep: Vec<Groep>,
    /// `[[stroom]]`: the seeker streams
    pub stroom: Vec<Stroom>,
}

/// What the model fills in where its inputs say nothing (`[invulling]` of the assumptions).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invulling {
    /// rent of a stock row without `kale_huur`, as a share of its maximum rent by points
    pub huur_zonder_opgave: f64,
    /// new-build (flat form, no room count): one room per this many m² (then 1–6 rooms)
    pub m2_per_kamer: f64,
    /// lowest yearly gross income of income class I0 (euro)
    pub inkomen_min: f64,
    /// highest income of class I3 as a multiple of the middle-income limit
    pub inkomen_i3_max_factor: f64,
    /// urgent and contingent seekers waiting at the start, as a share of a year's arrivals
    pub urgent_startachterstand: f64,
    /// when no buurt of the stock has the KWB value: the marginals used instead
    pub marginalen: Marginalen,
}

/// Household marginals used when the KWB gives none for any buurt of the stock.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marginalen {
    /// households with a low income, % (KWB `p_hh_li`)
    pub p_hh_li: f64,
    /// households with a high income, % (KWB `p_hh_hi`)
    pub p_hh_hi: f64,
    /// benefits per household (bijstand, AO, WW)
    pub uitkering: f64,
    /// share of residents at AOW age
    pub aow: f64,
    /// shares of 1, 2 and 3+ person households
    pub grootte: [f64; 3],
}

/// At most this many vulnerability groups (a bit set per household).
pub const MAX_GROEPEN: usize = 16;

impl Aannames {
    /// The embedded assumptions.
    pub fn embedded() -> Aannames {
        Aannames::parse(AANNAMES, "data/sim/aannames.toml")
            .expect("the embedded assumptions are validated by the test suite")
    }

    /// Parses and validates an assumptions file.
    pub fn parse(text: &str, file: &str) -> Result<Aannames, SimError> {
        let a: Aannames = parse_toml(text, file, "see data/sim/aannames.toml for the format")?;
        let err = |place: String, msg: String, fix: &str| SimError::new(file, place, msg, fix);
        let share = |place: String, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(err(
                    place,
                    format!("{v} is not a share between 0 and 1"),
                    "write shares as fractions",
                ))
            }
        };
        let v = &a.verloop;
        share("verloop.mutatiegraad".into(), v.mutatiegraad)?;
        share("verloop.doorstroom".into(), v.doorstroom)?;
        share(
            "verloop.vertrek_binnen_venster".into(),
            v.vertrek_binnen_venster,
        )?;
        if v.mutatiegraad <= 0.0 || v.venster_jaren == 0 || v.vertrek_binnen_venster <= 0.0 {
            return Err(err(
                "verloop".into(),
                "mutatiegraad, vertrek_binnen_venster and venster_jaren must be positive".into(),
                "use e.g. 0.07, 0.42 and 5",
            ));
        }
        for (k, f) in [
            ("factor_klein", v.factor_klein),
            ("factor_meergezins", v.factor_meergezins),
            ("factor_eengezins", v.factor_eengezins),
        ] {
            if !(f > 0.0 && f <= 5.0) {
                return Err(err(
                    format!("verloop.{k}"),
                    format!("{f} is not a factor in (0, 5]"),
                    "hazard factors are relative (1.0 = average)",
                ));
            }
        }
        let z = &a.zoekers;
        share("zoekers.uitval_per_jaar".into(), z.uitval_per_jaar)?;
        if z.max_aanbiedingen == 0 || z.profielen_per_stroom < 16 || z.startpool_jaren < 0.0 {
            return Err(err(
                "zoekers".into(),
                "max_aanbiedingen must be ≥ 1, profielen_per_stroom ≥ 16, startpool_jaren ≥ 0"
                    .into(),
                "see data/sim/aannames.toml",
            ));
        }
        share(
            "voorkeur.urgent_accepteert".into(),
            a.voorkeur.urgent_accepteert,
        )?;
        for (i, row) in a.synthese.prior.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                if x.is_nan() || *x <= 0.0 {
                    return Err(err(
                        format!("synthese.prior[{i}][{j}]"),
                        format!("{x} is not positive"),
                        "IPF needs a positive prior in every cell",
                    ));
                }
            }
        }
        let v = &a.invulling;
        share("invulling.huur_zonder_opgave".into(), v.huur_zonder_opgave)?;
        share(
            "invulling.urgent_startachterstand".into(),
            v.urgent_startachterstand,
        )?;
        share(
            "invulling.marginalen.uitkering".into(),
            v.marginalen.uitkering,
        )?;
        share("invulling.marginalen.aow".into(), v.marginalen.aow)?;
        for (k, x, lo, hi) in [
            ("invulling.m2_per_kamer", v.m2_per_kamer, 10.0, 60.0),
            ("invulling.inkomen_min", v.inkomen_min, 0.0, 30_000.0),
            (
                "invulling.inkomen_i3_max_factor",
                v.inkomen_i3_max_factor,
                1.0,
                10.0,
            ),
            (
                "invulling.marginalen.p_hh_li",
                v.marginalen.p_hh_li,
                0.0,
                100.0,
            ),
            (
                "invulling.marginalen.p_hh_hi",
                v.marginalen.p_hh_hi,
                0.0,
                100.0,
            ),
        ] {
            if !(lo..=hi).contains(&x) {
                return Err(err(
                    k.into(),
                    format!("{x} is outside {lo}–{hi}"),
                    "see the comments of data/sim/aannames.toml",
                ));
            }
        }
        let g = v.marginalen.grootte;
        if g.iter().any(|x| !(0.0..=1.0).contains(x)) || (g.iter().sum::<f64>() - 1.0).abs() > 1e-6
        {
            return Err(err(
                "invulling.marginalen.grootte".into(),
                format!("{g:?} are not shares adding up to 1"),
                "give the shares of 1, 2 and 3+ person households, e.g. [0.45, 0.30, 0.25]",
            ));
        }
        share("synthese.aandeel_i0".into(), a.synthese.aandeel_i0)?;
        share("synthese.aandeel_i3".into(), a.synthese.aandeel_i3)?;
        if a.groep.is_empty() || a.groep.len() > MAX_GROEPEN {
            return Err(err(
                "groep".into(),
                format!("{} groups; 1 to {MAX_GROEPEN} are supported", a.groep.len()),
                "add or remove [[groep]] tables",
            ));
        }
        for (i, g) in a.groep.iter().enumerate() {
            if a.groep[..i].iter().any(|o| o.id == g.id) {
                return Err(err(
                    format!("groep[{i}].id"),
                    format!("'{}' appears twice", g.id),
                    "give every group its own id",
                ));
            }
            share(format!("groep '{}'.zittend", g.id), g.zittend)?;
            for (j, p) in g.regulier.iter().enumerate() {
                share(format!("groep '{}'.regulier[{j}]", g.id), *p)?;
            }
        }
        if !a.stroom.iter().any(|s| s.soort == Soort::Regulier) {
            return Err(err(
                "stroom".into(),
                "no stream with soort = \"regulier\"".into(),
                "the regular stream is needed for the waiting-time ranking",
            ));
        }
        for (i, s) in a.stroom.iter().enumerate() {
            let place = |k: &str| format!("stroom '{}'.{k}", s.id);
            if a.stroom[..i].iter().any(|o| o.id == s.id) || s.id == crate::HERHUISVESTING {
                return Err(err(
                    place("id"),
                    format!("'{}' appears twice or is reserved", s.id),
                    "give every stream its own id (herhuisvesting is built in)",
                ));
            }
            for g in &s.groepen {
                if !a.groep.iter().any(|x| &x.id == g) {
                    return Err(err(
                        place("groepen"),
                        format!("unknown group '{g}'"),
                        "use the id of a [[groep]]",
                    ));
                }
            }
            for (k, xs) in [("grootte", &s.grootte[..]), ("inkomen", &s.inkomen[..])] {
                let sum: f64 = xs.iter().sum();
                if (sum - 1.0).abs() > 1e-6 || xs.iter().any(|x| *x < 0.0) {
                    return Err(err(
                        place(k),
                        format!("shares add up to {sum}, not 1"),
                        "the shares of the classes must add up to 1",
                    ));
                }
            }
            for (j, w) in s.werk.iter().enumerate() {
                share(place(&format!("werk[{j}]")), *w)?;
            }
            share(place("regio_6jaar"), s.regio_6jaar)?;
            share(place("screening"), s.screening)?;
            if s.per_1000.is_nan() || s.per_1000 < 0.0 {
                return Err(err(
                    place("per_1000"),
                    format!("{} is negative", s.per_1000),
                    "arrivals a year per 1,000 corporation dwellings",
                ));
            }
        }
        Ok(a)
    }

    /// Index of a group by id.
    pub fn groep_index(&self, id: &str) -> Option<usize> {
        self.groep.iter().position(|g| g.id == id)
    }

    /// Index of a stream by id.
    pub fn stroom_index(&self, id: &str) -> Option<usize> {
        self.stroom.iter().position(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_valid() {
        let r = Regels::embedded();
        let p = r
            .op(Datum {
                jaar: 2025,
                maand: 6,
                dag: 1,
            })
            .unwrap();
        assert_eq!(p.daeb_inkomensgrens_1p, 49669.0);
        assert_eq!(p.aftopping_laag, 682.96);
        assert!(
            r.op(Datum {
                jaar: 2020,
                maand: 1,
                dag: 1
            })
            .is_err()
        );
        let a = Aannames::embedded();
        assert!(a.groep_index("ggz_bw_mo").is_some());
    }

    #[test]
    fn errors_name_key_and_line() {
        let bad = REGELS.replace("aftopping_laag = 682.96", "aftopping_lag = 682.96");
        let e = Regels::parse(&bad, "r.toml").unwrap_err().to_string();
        assert!(e.contains("aftopping_lag") && e.contains("line"), "{e}");
        let bad = REGELS.replace("vrije_ruimte_max = 0.075", "vrije_ruimte_max = 0.1");
        let e = Regels::parse(&bad, "r.toml").unwrap_err().to_string();
        assert!(e.contains("vrije_ruimte_max"), "{e}");
        let bad = AANNAMES.replace("groepen = [\"ggz_bw_mo\"]", "groepen = [\"ggz\"]");
        let e = Aannames::parse(&bad, "a.toml").unwrap_err().to_string();
        assert!(e.contains("bw_mo") && e.contains("ggz"), "{e}");
    }
}
