//! # veerkracht-sim
//!
//! Allocation and housing-mix microsimulation per buurt under the Dutch allocation rules,
//! with Monte Carlo quantiles and side-by-side scenario comparison (issue 6). A scenario
//! (TOML, [`Scenario`]) says which policy applies from which year; the engine lets every
//! vacancy of a corporation stock to households from seeker streams under that policy and
//! reports, per buurt and year, who lives where, who got what, how long they waited and what
//! it costs.
//!
//! ## What is modelled, and where each rule comes from
//!
//! * **State** ([`model`]): the corporation stock of the flat portfolio CSV (the demo
//!   region's `veerstad-corporatie-voorraad.csv` or the user's), each dwelling valued by
//!   `veerkracht-wws` (points, maximum rent, segment; DAEB = social segment). Sitting
//!   households are synthesised per buurt from KWB marginals by IPF ([`synth`]): size,
//!   income class (I0 huurtoeslag/passend income, I1 rest of the DAEB target group, I2
//!   middle, I3 high; limits from `data/sim/regels.toml`), AOW age, benefits, and the
//!   configurable vulnerability groups of `data/sim/aannames.toml` (GGZ/BW/MO outflow, LVB,
//!   detention outflow, statushouder, medical/social urgency as drawn "kenmerken"; low income
//!   and benefits as open-data proxies, reported apart). Non-corporation households are a
//!   static background per buurt (KWB `a_hh` minus the stock) for the whole-buurt share.
//! * **Exits** ([`hazard`]): a hazard on tenure duration (higher in the first five years),
//!   with factors per dwelling kind, solved at set-up so that the stock turns over ≈ 7 % a
//!   year and 42 % of new tenants leave within five years (docs/domain.md §4.5). Durations are
//!   drawn once per tenancy (from tables that give exactly the formula's draws). Both
//!   targets are measured in every run (`Accounts::nieuw_cohort`/`nieuw_vertrokken`; the
//!   demo test checks 42 % ± 2 points). Household events (divorce, birth) are not separate:
//!   they are what the duration hazard stands for (RIGO: moves follow household change).
//! * **Moves within the stock** (doorstroming, `verloop.doorstroom`, default 0): that share
//!   of the ending tenancies are households that look for another corporation dwelling
//!   instead of leaving; they search as regular seekers while keeping their dwelling
//!   (woonduur counts as registration time), free it when placed — it is let at once, a
//!   vacancy chain — and stay (with a new duration) when they give up.
//! * **Seekers**: streams of `[[stroom]]` — regular (ranked by registration date, or by
//!   lottery), and urgent (statushouders within the taakstelling, which rolls over; medical/
//!   social urgency; BW/MO and detention outflow within contingents; herhuisvesting after
//!   demolition first). Arrivals per 1,000 corporation dwellings a year; regular seekers stop
//!   searching at `uitval_per_jaar`. Seeker attributes come from a bank of profiles
//!   pre-synthesised per stream at set-up (a run draws a profile per arrival: 3 random
//!   numbers instead of ≈ 15).
//! * **Allocation** ([`engine`]): target group ≥ 92.5 % of social lettings with the free
//!   room (7.5 %, locally 15 %) used with a probability; passend toewijzen (≥ 95 % of
//!   huurtoeslag households at or below their aftoppingsgrens); direct mediation within a
//!   share of social lettings; lottery share; spreading caps per buurt and per complex and
//!   year (share of the buurt's / complex's lettings and/or a count; complexes from the
//!   stock's `complex` column, else buurt × woningtype × decade of construction, new-build
//!   of one intervention one complex); Rotterdamwet art. 8/9/10 in designated buurten.
//!   Every quota is checked before each letting against the counts so far plus this one,
//!   so it holds at every moment, not only on average. Offers are accepted with a logistic
//!   probability in the buurt's attractiveness (WOZ per m² of its corporation stock, or the
//!   scenario's) and its current vulnerable share.
//! * **Interventions** per year and buurt: liberalisation and sale at the next vacancy,
//!   new-build with a segment mix (sizes chosen so that `veerkracht-wws` puts each dwelling
//!   in its segment), demolition (tenants get herhuisvesting urgency), retrofit (new label →
//!   points → maximum rent → segment by `veerkracht-wws`; the sitting tenant's rent stays),
//!   care units reserved for streams. Rent policy: streefhuur as a share of the maximum
//!   rent at re-letting; sitting tenants' rents rise by a share of the legal maximum.
//!
//! ## Choices where the issue is silent
//!
//! * **Money is in euros of the peildatum.** The rules of one period apply over the whole
//!   horizon; the maximum-rent table, the limits and incomes are taken to be indexed together
//!   at the social maximum increase, so a sitting tenant's rent changes in real terms by
//!   `(1 + f·max_segment) / (1 + max_social)`.
//! * **Interventions pick dwellings deterministically** (the same in every run):
//!   liberalisation the social dwellings with most points, sale single-family houses with the
//!   highest WOZ, demolition the oldest, retrofit the worst labels. Runs differ in who leaves
//!   and who arrives, not in what the corporation does.
//! * **Uncertainty**: the starting population is one synthesis (seeded); runs vary the
//!   tenancy durations (the elapsed and remaining duration of sitting tenants too), arrivals,
//!   profiles, lottery draws and acceptance. Quantiles are over runs (p5/p50/p95, linear
//!   interpolation). Comparisons use common random numbers: run r of both scenarios uses the
//!   ChaCha8 stream (seed, r), so the difference per run isolates the policy.
//! * **Housing markets** (`[invoer] woningmarkt`): one market (default) or one per gemeente
//!   of the buurt codes. Each market has its own seekers, arrivals, contingents and
//!   taakstelling in proportion to its dwellings and its own yearly quotas (so the
//!   corporation-wide 92.5 % and the other shares hold in each market, hence overall); markets
//!   are simulated one after another within a run (each fits in cache) and the region
//!   metrics are computed over all buurten from additive yearly sums.
//! * **The index's vulnerability component** ([`kwetsbaarheid`]) per buurt and year: the
//!   component with `role = "vulnerability"` of `data/index/veerkracht-basis.toml`, computed
//!   as the index does (transform, direction, percentile rank, weights, re-weighting) from
//!   the KWB values moved by the simulated change in low-income, one-person and benefit
//!   households; Wmo and youth care stay at their KWB value and the reference is the
//!   simulated buurten' starting distribution (see the module for what is approximated).
//! * **Concentration** is measured on the "kwetsbaar" groups (`kwetsbaar = true`): index of
//!   dissimilarity and isolation over buurten, the highest buurt share (buurten with ≥ 20
//!   corporation households) and the highest buurt share of the year's vulnerable lettings.
//!   The spreading cap applies to the groups the scenario lists (default: the kwetsbaar set).
//! * **Displacement ("waterbed")**: `geblokkeerd` counts vacancies where the cap or the
//!   Rotterdamwet closed the buurt to a vulnerable class; the comparison's difference in
//!   vulnerable lettings per buurt shows where they went instead.
//! * A vacancy nobody accepts after `max_aanbiedingen` offers stays empty until next year.
//!
//! * **Privacy** ([`afscherming`]): every per-buurt figure rests on a count of simulated
//!   households, dwellings or lettings of that buurt and year; figures resting on fewer than
//!   k (default 10, on average over the runs) are withheld, with secondary suppression
//!   against the region totals, through `veerkracht-privacy` (issue 8, item 4).
//!
//! Runs are spread over threads ([`simulate`]); each run draws only from its own ChaCha8
//! stream `(seed, run)` (market k of a run: stream `run + (k << 32)`), so results are
//! identical for any number of threads.

#![warn(missing_docs)]

pub mod afscherming;
pub mod budget;
pub mod engine;
pub mod hazard;
pub mod kwetsbaarheid;
pub mod model;
pub mod output;
pub mod rules;
pub mod scenario;
pub mod stop;
pub mod synth;

pub use budget::{Budget, Estimate, estimate};
pub use engine::{Accounts, Kanaal, Letting, Metrics, RunOutput, run};
pub use model::{Inputs, Model};
pub use output::{
    Comparison, Quantiles, Results, simulate, simulate_runs_stoppable, simulate_stoppable,
};
pub use rules::{Aannames, Regels};
pub use scenario::Scenario;
pub use stop::{Stop, Stopped};

/// The built-in stream of households re-housed after demolition.
pub const HERHUISVESTING: &str = "herhuisvesting";

/// The scenarios shipped for the demo region (`data/sim/scenarios/`), name and text.
pub const DEMO_SCENARIOS: [(&str, &str); 5] = [
    (
        "basis",
        include_str!("../../../data/sim/scenarios/basis.toml"),
    ),
    (
        "spreiding",
        include_str!("../../../data/sim/scenarios/spreiding.toml"),
    ),
    (
        "middenhuur",
        include_str!("../../../data/sim/scenarios/middenhuur.toml"),
    ),
    (
        "rotterdamwet",
        include_str!("../../../data/sim/scenarios/rotterdamwet.toml"),
    ),
    (
        "verduurzaming",
        include_str!("../../../data/sim/scenarios/verduurzaming.toml"),
    ),
];

/// A problem with a rules, assumptions or scenario file or with the inputs: the file, the
/// place (line or key), what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {place}: {message} — fix: {fix}")]
pub struct SimError {
    /// the file (or input) the problem is in
    pub file: String,
    /// where in it: a line, a TOML key, a column
    pub place: String,
    /// what is wrong
    pub message: String,
    /// how to fix it
    pub fix: String,
}

impl SimError {
    /// An error from its four parts.
    pub fn new(
        file: impl Into<String>,
        place: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> SimError {
        SimError {
            file: file.into(),
            place: place.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }
}
