//! WWS (woningwaarderingsstelsel) rent-points engine.
//!
//! Values a dwelling given as VERA `EenhedenEenheid` JSON under the Huurcommissie
//! beleidsboek rules of July 2026 (the rules `woningwaardering==6.202607.3` implements):
//! zelfstandige woonruimten ([`zel`], 12 stelselgroepen) and onzelfstandige woonruimten
//! ([`onz`], 13 stelselgroepen), per rubriek, with the total, maximum rent, price
//! surcharges and segment. Tables (rent per point, WOZ factors, label points, segment
//! boundaries, COROP areas) are data in `data/wws/`, chosen by peildatum ([`tables`]).
//! See `docs/wws-schema.md` for the input.
//!
//! * [`waardeer_json`] / [`waardeer`]: one unit; [`waardeer_many`]: object, array or NDJSON.
//! * [`Resultaat::to_json`]: the reference's output structure; [`csv_header`] /
//!   [`Resultaat::csv_row`]: a CSV summary for bulk runs.
//! * [`whatif`]: field changes (JSON pointers) → Δ points per rubriek, Δ maximum rent,
//!   segment change; per unit or over a portfolio.
//! * [`flat`]: the flat portfolio CSV (one row per dwelling, e.g. the demo stock) valued as
//!   an estimate; [`mix`]: rent mix per buurt (points bands, maximum vs actual rent,
//!   segment and label shares).
//! * Lenient by default: a bad or missing field gives a [`Warning`] naming it (JSON path);
//!   [`Options::strict`] turns the first warning into an error. No network look-ups.
//!
//! The 337 reference fixtures match exactly (points, totals, maximum rent and the criterium
//! lists), see `tests/fixtures.rs`.
//!
//! ```
//! use veerkracht_wws::{Options, waardeer_json};
//! let unit = r#"{"id":"x","Woningwaarderingstelsel":{"code":"ZEL"},"bouwjaar":1998,
//!   "panden":[{"soort":{"code":"MGW"}}],"monumenten":[],
//!   "ruimten":[{"id":"r1","naam":"Woonkamer","soort":{"code":"VTK"},
//!               "detailSoort":{"code":"WOO"},"oppervlakte":24.0}]}"#;
//! let r = waardeer_json(unit, &Options::default()).unwrap();
//! assert_eq!(r.groep("OVZ").unwrap().punten, Some(24.0));
//! ```

#![warn(missing_docs)]

pub mod bulk;
pub mod flat;
mod groepen;
mod kern;
pub mod mix;
pub mod model;
pub mod onz;
mod prune;
pub mod result;
pub mod round;
pub mod tables;
pub mod variant;
pub mod whatif;
mod woz;
pub mod zel;

pub use model::{Date, Eenheid, Stelsel, Warning, parse_many};
pub use result::{Groep, Resultaat, Waardering};
pub use tables::{Segment, Tables};

/// The rules in code follow the Huurcommissie beleidsboeken in force from this date (the
/// 2026 books, July 2026 policy); tables follow the peildatum.
pub const REGELS_VANAF: Date = Date::new(2026, 1, 1);

/// Errors of the engine.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum WwsError {
    /// The input is not valid JSON, or not a VERA unit (the message says where).
    #[error("invalid JSON: {0}")]
    Json(String),
    /// The input is readable but cannot be valued (a flat CSV row, an option, a value out
    /// of range); the message names the line or field.
    #[error("invalid input: {0}")]
    Input(String),
    /// strict mode: a warning became an error
    #[error("strict mode: {0}")]
    Strict(Warning),
    /// A table in `data/wws/` is invalid, or has no row for the peildatum or points asked.
    #[error("table error: {0}")]
    Table(String),
}

/// How to value.
#[derive(Debug, Clone)]
pub struct Options {
    /// the date whose rules and tables apply
    pub peildatum: Date,
    /// every warning (bad field, missing data a rule needs) is an error
    pub strict: bool,
    /// stelsel when the unit has no `Woningwaarderingstelsel`
    pub default_stelsel: Stelsel,
    /// the tables and policy numbers to value with; `None`: those of `data/wws/`
    /// ([`Tables::embedded`]). A policy variant's tables come from [`variant::Variant`].
    pub tabellen: Option<std::sync::Arc<Tables>>,
}

impl Options {
    /// The tables to value with ([`Options::tabellen`], else the embedded ones).
    pub fn tabellen(&self) -> &Tables {
        match &self.tabellen {
            Some(t) => t,
            None => Tables::embedded(),
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            peildatum: Date::new(2026, 7, 1),
            strict: false,
            default_stelsel: Stelsel::Zelfstandig,
            tabellen: None,
        }
    }
}

/// Values a parsed unit.
pub fn waardeer(e: &Eenheid, opts: &Options) -> Result<Resultaat, WwsError> {
    waardeer_mode(e, opts, false)
}

fn waardeer_mode(e: &Eenheid, opts: &Options, lean: bool) -> Result<Resultaat, WwsError> {
    let stelsel = e.stelsel.unwrap_or(opts.default_stelsel);
    let mut r = match stelsel {
        Stelsel::Zelfstandig => zel::waardeer_mode(e, opts, opts.tabellen(), None, lean)?,
        Stelsel::Onzelfstandig => onz::waardeer_mode(e, opts, opts.tabellen(), None, lean)?,
    };
    if e.stelsel.is_none() {
        let w = Warning {
            field: "eenheid.Woningwaarderingstelsel".into(),
            message: format!(
                "ontbreekt: gewaardeerd als {} ({})",
                stelsel.code(),
                stelsel.naam()
            ),
        };
        if opts.strict {
            return Err(WwsError::Strict(w));
        }
        r.warnings.insert(0, w);
    }
    Ok(r)
}

/// Points per stelselgroep in output order, `(code, points)` (`None`: the rubriek could not
/// be valued); a slice of at most 13, held inline (no allocation per unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroepPunten {
    n: usize,
    g: [(&'static str, Option<f64>); 13],
}

impl std::ops::Deref for GroepPunten {
    type Target = [(&'static str, Option<f64>)];
    fn deref(&self) -> &Self::Target {
        &self.g[..self.n]
    }
}

impl<'a> IntoIterator for &'a GroepPunten {
    type Item = &'a (&'static str, Option<f64>);
    type IntoIter = std::slice::Iter<'a, (&'static str, Option<f64>)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl FromIterator<(&'static str, Option<f64>)> for GroepPunten {
    /// Takes the first 13 (a stelsel has at most 13 stelselgroepen).
    fn from_iter<I: IntoIterator<Item = (&'static str, Option<f64>)>>(it: I) -> Self {
        let mut p = GroepPunten {
            n: 0,
            g: [("", None); 13],
        };
        for (slot, x) in p.g.iter_mut().zip(it) {
            *slot = x;
            p.n += 1;
        }
        p
    }
}

/// The numbers of a valuation without the criterium lines: points per stelselgroep, total,
/// maximum rent (with surcharges) and segment, and the warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Punten {
    /// zelfstandige or onzelfstandige woonruimte
    pub stelsel: Stelsel,
    /// total, whole points
    pub punten: f64,
    /// as [`Resultaat::maximale_huur`]
    pub maximale_huur: f64,
    /// as [`Resultaat::opslagpercentage`]
    pub opslagpercentage: Option<f64>,
    /// as [`Resultaat::huurprijsopslag`]
    pub huurprijsopslag: f64,
    /// as [`Resultaat::maximale_huur_inclusief_opslag`]
    pub maximale_huur_inclusief_opslag: f64,
    /// as [`Resultaat::segment`]
    pub segment: Option<Segment>,
    /// (stelselgroep code, points) in output order; `None`: the rubriek could not be valued
    pub groepen: GroepPunten,
    /// as [`Resultaat::warnings`]
    pub warnings: Vec<Warning>,
}

impl Punten {
    /// The numbers of a full result.
    pub fn of(r: &Resultaat) -> Punten {
        Punten {
            stelsel: r.stelsel,
            punten: r.punten,
            maximale_huur: r.maximale_huur,
            opslagpercentage: r.opslagpercentage,
            huurprijsopslag: r.huurprijsopslag,
            maximale_huur_inclusief_opslag: r.maximale_huur_inclusief_opslag,
            segment: r.segment,
            groepen: r.groepen.iter().map(|g| (g.code, g.punten)).collect(),
            warnings: r.warnings.clone(),
        }
    }

    fn from_lean(r: Resultaat) -> Punten {
        Punten {
            stelsel: r.stelsel,
            punten: r.punten,
            maximale_huur: r.maximale_huur,
            opslagpercentage: r.opslagpercentage,
            huurprijsopslag: r.huurprijsopslag,
            maximale_huur_inclusief_opslag: r.maximale_huur_inclusief_opslag,
            segment: r.segment,
            groepen: r.groepen.iter().map(|g| (g.code, g.punten)).collect(),
            warnings: r.warnings,
        }
    }

    /// Whether two valuations give the same numbers bit for bit (both zeros equal):
    /// stelsel, total, rents, surcharges, segment and every stelselgroep. Warnings are not
    /// compared. What the points-only tests and the fuzz harness check between two paths.
    pub fn same_numbers(&self, other: &Punten) -> bool {
        let f = |x: f64, y: f64| x.to_bits() == y.to_bits() || (x == 0.0 && y == 0.0);
        let fo = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => f(x, y),
            (None, None) => true,
            _ => false,
        };
        self.stelsel == other.stelsel
            && f(self.punten, other.punten)
            && f(self.maximale_huur, other.maximale_huur)
            && fo(self.opslagpercentage, other.opslagpercentage)
            && f(self.huurprijsopslag, other.huurprijsopslag)
            && f(
                self.maximale_huur_inclusief_opslag,
                other.maximale_huur_inclusief_opslag,
            )
            && self.segment == other.segment
            && self.groepen.len() == other.groepen.len()
            && self
                .groepen
                .iter()
                .zip(&other.groepen)
                .all(|(x, y)| x.0 == y.0 && fo(x.1, y.1))
    }

    /// The points of one stelselgroep (`None` when absent or not valued).
    pub fn groep(&self, code: &str) -> Option<f64> {
        self.groepen.iter().find(|g| g.0 == code).and_then(|g| g.1)
    }
}

/// Values a parsed unit for bulk use: the numbers of [`waardeer`] without criterium lines.
///
/// The common zelfstandige woonruimte (private rooms, no parking, zolder, monument or
/// zorgwoning; see `kern.rs`) is valued without any line: each rubriek sums the points its
/// lines would carry, with the same helpers and arithmetic. Every other unit goes through
/// the rules of [`waardeer`] in a lean mode: the lines carry only their numbers (no ids,
/// names or parent ids; lines are looked up by a hash of the id), no rounding lines are
/// added and names are normalised only when one can enter an id a rule looks up. The
/// numbers equal those of [`waardeer`] (`tests/points_only.rs` checks every fixture,
/// generated units and a flat stock); warnings may name a room by its own name instead of
/// the numbered one.
pub fn waardeer_punten(e: &Eenheid, opts: &Options) -> Result<Punten, WwsError> {
    if let Some(p) = kern::punten(e, opts)? {
        return Ok(p);
    }
    waardeer_mode(e, opts, true).map(Punten::from_lean)
}

/// True when [`waardeer_punten`] values `e` without criterium lines (for benchmarks).
#[doc(hidden)]
pub fn waardeer_punten_zonder_regels(e: &Eenheid, opts: &Options) -> bool {
    matches!(kern::punten(e, opts), Ok(Some(_)))
}

/// Parses one JSON object and values it; parse warnings are added to the result.
pub fn waardeer_json(s: &str, opts: &Options) -> Result<Resultaat, WwsError> {
    let (e, w) = Eenheid::from_json_str(s, opts.strict)?;
    let mut r = waardeer(&e, opts)?;
    let mut all = w;
    all.append(&mut r.warnings);
    r.warnings = all;
    Ok(r)
}

/// Values every unit of a JSON object, array or NDJSON text; one result per unit (a unit
/// that fails in strict mode gives an error in its place).
pub fn waardeer_many(
    s: &str,
    opts: &Options,
) -> Result<Vec<Result<Resultaat, WwsError>>, WwsError> {
    let units = parse_many(s, false)?;
    Ok(units
        .into_iter()
        .map(|(e, w)| {
            if opts.strict
                && let Some(first) = w.first()
            {
                return Err(WwsError::Strict(first.clone()));
            }
            let mut r = waardeer(&e, opts)?;
            let mut all = w;
            all.append(&mut r.warnings);
            r.warnings = all;
            Ok(r)
        })
        .collect())
}

/// CSV summary for bulk output: the header line.
pub fn csv_header() -> String {
    let mut cols = vec![
        "id".to_string(),
        "stelsel".to_string(),
        "punten".to_string(),
    ];
    cols.extend(csv_codes().iter().map(|c| format!("punten_{c}")));
    cols.extend(
        [
            "maximale_huur",
            "opslagpercentage",
            "huurprijsopslag",
            "maximale_huur_inclusief_opslag",
            "segment",
            "waarschuwingen",
        ]
        .map(str::to_string),
    );
    cols.join(",")
}

/// The stelselgroep codes of the CSV summary, in column order.
fn csv_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = zel::GROEPEN.iter().map(|g| g.0).collect();
    for (c, _) in onz::GROEPEN {
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    codes
}

/// Appends a CSV field, quoted when it holds a comma, quote or line break.
fn push_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// One CSV line of the summary from its parts (written into one string: bulk output of
/// millions of rows).
#[allow(clippy::too_many_arguments)]
fn csv_line(
    id: &str,
    stelsel: Stelsel,
    punten: f64,
    groep: &dyn Fn(&str) -> Option<f64>,
    maximale_huur: f64,
    opslagpercentage: Option<f64>,
    huurprijsopslag: f64,
    maximale_huur_inclusief_opslag: f64,
    segment: Option<Segment>,
    warnings: &[Warning],
) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(160);
    push_field(&mut out, id);
    let _ = write!(out, ",{},{punten}", stelsel.code());
    for c in CSV_CODES.get_or_init(csv_codes) {
        out.push(',');
        if let Some(p) = groep(c) {
            let _ = write!(out, "{p}");
        }
    }
    let _ = write!(out, ",{maximale_huur:.2},");
    if let Some(p) = opslagpercentage {
        let _ = write!(out, "{p}");
    }
    let _ = write!(
        out,
        ",{huurprijsopslag:.2},{maximale_huur_inclusief_opslag:.2},"
    );
    if let Some(s) = segment {
        out.push_str(s.naam());
    }
    out.push(',');
    if !warnings.is_empty() {
        let mut w = String::new();
        for (k, x) in warnings.iter().enumerate() {
            if k > 0 {
                w.push_str("; ");
            }
            let _ = write!(w, "{x}");
        }
        push_field(&mut out, &w);
    }
    out
}

/// [`csv_codes`], computed once.
static CSV_CODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

impl Resultaat {
    /// One CSV line matching [`csv_header`] (a rubriek that does not apply is empty).
    pub fn csv_row(&self) -> String {
        csv_line(
            self.id.as_deref().unwrap_or(""),
            self.stelsel,
            self.punten,
            &|c| self.groep(c).and_then(|g| g.punten),
            self.maximale_huur,
            self.opslagpercentage,
            self.huurprijsopslag,
            self.maximale_huur_inclusief_opslag,
            self.segment,
            &self.warnings,
        )
    }
}

impl Punten {
    /// One CSV line matching [`csv_header`], as [`Resultaat::csv_row`] gives for the full
    /// result of the same unit (`id`: the unit's id).
    pub fn csv_row(&self, id: &str) -> String {
        csv_line(
            id,
            self.stelsel,
            self.punten,
            &|c| self.groep(c),
            self.maximale_huur,
            self.opslagpercentage,
            self.huurprijsopslag,
            self.maximale_huur_inclusief_opslag,
            self.segment,
            &self.warnings,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_row_matches_header() {
        let unit = r#"{"id":"a,b","Woningwaarderingstelsel":{"code":"ZEL"},"bouwjaar":1998,
          "panden":[{"soort":{"code":"MGW"}}],"monumenten":[],
          "ruimten":[{"id":"r1","soort":{"code":"VTK"},"detailSoort":{"code":"WOO"},"oppervlakte":24.0}]}"#;
        let rs = waardeer_many(
            &format!("{unit}\n{unit}\n").replace("\n          ", " "),
            &Options::default(),
        );
        let rs = rs.unwrap();
        assert_eq!(rs.len(), 2);
        let r = rs[0].as_ref().unwrap();
        let row = r.csv_row();
        assert!(row.starts_with("\"a,b\",ZEL,"));
        // same number of fields as the header (the quoted id holds one comma, the
        // warnings column is quoted when it has one)
        let fields = |s: &str| {
            let mut n = 1;
            let mut q = false;
            for c in s.chars() {
                match c {
                    '"' => q = !q,
                    ',' if !q => n += 1,
                    _ => {}
                }
            }
            n
        };
        assert_eq!(fields(&row), fields(&csv_header()));
    }
}
