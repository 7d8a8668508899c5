//! The result in the peer's structure (VERA `WoningwaarderingResultaat` + extensions).

use serde_json::{Value, json};

use crate::model::{Stelsel, Warning};
use crate::round;
use crate::tables::Segment;

/// A unit of measure of a criterium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meeteenheid {
    /// square metres (VERA code `M2`)
    M2,
    /// millimetres (`MIL`), e.g. a kitchen worktop
    Millimeter,
    /// euro (`EUR`), e.g. the WOZ value
    Euro,
    /// a count of items (`STU`), e.g. installations
    Stuks,
}

impl Meeteenheid {
    fn json(self) -> Value {
        match self {
            Meeteenheid::M2 => json!({"code": "M2", "naam": "Vierkante meter, m2"}),
            Meeteenheid::Millimeter => json!({"code": "MIL", "naam": "Millimeter"}),
            Meeteenheid::Euro => json!({"code": "EUR", "naam": "Euro"}),
            Meeteenheid::Stuks => json!({"code": "STU", "naam": "Stuks"}),
        }
    }
}

/// One criterium line (`WoningwaarderingResultatenWoningwaardering`).
///
/// In a points-only valuation ([`crate::waardeer_punten`]) the lines carry their numbers but
/// no texts: `id` and `naam` are empty and `parent` is `None` (lines are found by a hash
/// of the id instead).
#[derive(Debug, Clone, PartialEq)]
pub struct Waardering {
    /// full path id (`rubriek__segment__...`)
    pub id: String,
    /// the criterium's name as the peer writes it (Dutch)
    pub naam: String,
    /// the id of the line this one is a sub-line of (`bovenliggendeCriterium`)
    pub parent: Option<String>,
    /// the unit of `aantal`, when the line counts something
    pub meeteenheid: Option<Meeteenheid>,
    /// the quantity valued (m², mm, euro, items), in `meeteenheid`
    pub aantal: Option<f64>,
    /// the line's points (unrounded; the group rounds its sum); `None`: a line without points
    pub punten: Option<f64>,
    /// a price surcharge as a fraction of the maximum rent (0.35 = +35 %)
    pub opslagpercentage: Option<f64>,
    /// points-only mode: FNV-1a hash of the id text (0 otherwise)
    key: u64,
}

/// The id of a criterium line as the rules handle it: the path text (`rubriek__seg__…`),
/// or in points-only mode the 64-bit FNV-1a hash of that text, extended segment by segment
/// (so equal texts give equal keys without the text being built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineId {
    /// the full path text, in a valuation that keeps texts
    Text(String),
    /// the FNV-1a hash of the path text, in points-only mode
    Key(u64),
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The key of `parent` + `__` + `seg`.
fn fnv_child(parent: u64, seg: &str) -> u64 {
    fnv(fnv(parent, b"__"), seg.as_bytes())
}

/// A criterium name: given (`&str`, `String`) or built on demand ([`Lazy`]) so that a
/// points-only valuation never formats it.
pub trait Naam {
    /// The name as text (formatted now, if it was built on demand).
    fn into_naam(self) -> String;
}

impl Naam for &str {
    fn into_naam(self) -> String {
        self.to_string()
    }
}

impl Naam for String {
    fn into_naam(self) -> String {
        self
    }
}

impl Naam for std::borrow::Cow<'_, str> {
    fn into_naam(self) -> String {
        self.into_owned()
    }
}

/// A name built only when the line keeps texts.
pub struct Lazy<F>(pub F);

impl<F: FnOnce() -> String> Naam for Lazy<F> {
    fn into_naam(self) -> String {
        (self.0)()
    }
}

/// One stelselgroep (rubriek).
#[derive(Debug, Clone, PartialEq)]
pub struct Groep {
    /// the stelselgroep's VERA code (`OVZ`, `ENE`, `WOZ`, …)
    pub code: &'static str,
    /// the stelselgroep's Dutch name
    pub naam: &'static str,
    /// `None`: the rubriek could not be valued (the peer's `punten: null`)
    pub punten: Option<f64>,
    /// the summed surcharge fraction of the group's lines (prijsopslag groups only)
    pub opslagpercentage: Option<f64>,
    /// the criterium lines, in output order
    pub woningwaarderingen: Vec<Waardering>,
    /// points-only: lines without texts
    lean: bool,
    /// points-only: the key of the group's id prefix
    root: u64,
}

impl Groep {
    /// An empty group with 0 points that keeps texts.
    pub fn new(code: &'static str, naam: &'static str) -> Self {
        Groep {
            code,
            naam,
            punten: Some(0.0),
            opslagpercentage: None,
            woningwaarderingen: Vec::new(),
            lean: false,
            root: 0,
        }
    }

    /// A group whose lines carry numbers only (points-only valuation).
    pub(crate) fn new_lean(code: &'static str, naam: &'static str) -> Self {
        Groep {
            lean: true,
            root: fnv(FNV_OFFSET, crate::groepen::prefix_of(code).as_bytes()),
            ..Groep::new(code, naam)
        }
    }

    /// True in a points-only valuation (lines carry no ids or names).
    pub fn is_lean(&self) -> bool {
        self.lean
    }

    fn prefix(&self) -> &'static str {
        crate::groepen::prefix_of(self.code)
    }

    /// The id of a line `seg` directly under the group (whether or not it exists).
    pub fn root_id(&self, seg: &str) -> LineId {
        if self.lean {
            LineId::Key(fnv_child(self.root, seg))
        } else {
            LineId::Text(format!("{}__{}", self.prefix(), seg))
        }
    }

    /// The id of a line `seg` under `parent` (whether or not it exists).
    pub fn child_id(&self, parent: &LineId, seg: &str) -> LineId {
        match parent {
            LineId::Key(k) => LineId::Key(fnv_child(*k, seg)),
            LineId::Text(p) => LineId::Text(format!("{p}__{seg}")),
        }
    }

    /// The id of a line under `parent` whose segment is `parts` joined.
    pub fn child_id_parts(&self, parent: &LineId, parts: &[&str]) -> LineId {
        match parent {
            LineId::Key(k) => LineId::Key(
                parts
                    .iter()
                    .fold(fnv(*k, b"__"), |h, p| fnv(h, p.as_bytes())),
            ),
            LineId::Text(p) => LineId::Text(format!("{p}__{}", parts.concat())),
        }
    }

    /// Adds a line with a given id (from [`Groep::root_id`], [`Groep::child_id`] or
    /// [`Groep::child_id_parts`]) under `parent`.
    pub fn push_id(&mut self, id: &LineId, parent: Option<&LineId>, naam: impl Naam) {
        self.push(id, parent, naam);
    }

    /// Adds a line directly under the group; `seg` is the id segment. Returns its id.
    pub fn add(&mut self, seg: &str, naam: impl Naam) -> LineId {
        let id = self.root_id(seg);
        self.push(&id, None, naam);
        id
    }

    /// Adds a line under `parent`.
    pub fn add_under(&mut self, parent: &LineId, seg: &str, naam: impl Naam) -> LineId {
        let id = self.child_id(parent, seg);
        self.push(&id, Some(parent), naam);
        id
    }

    fn push(&mut self, id: &LineId, parent: Option<&LineId>, naam: impl Naam) {
        let text = |i: &LineId| match i {
            LineId::Text(s) => s.clone(),
            LineId::Key(_) => String::new(),
        };
        let (id_text, key, naam, parent) = match id {
            LineId::Key(k) => (String::new(), *k, String::new(), None),
            LineId::Text(s) => (s.clone(), 0, naam.into_naam(), parent.map(text)),
        };
        self.woningwaarderingen.push(Waardering {
            id: id_text,
            naam,
            parent,
            meeteenheid: None,
            aantal: None,
            punten: None,
            opslagpercentage: None,
            key,
        });
    }

    /// The line with this id.
    pub fn line_mut(&mut self, id: &LineId) -> Option<&mut Waardering> {
        match id {
            LineId::Key(k) => self.woningwaarderingen.iter_mut().find(|w| w.key == *k),
            LineId::Text(s) => self.woningwaarderingen.iter_mut().find(|w| w.id == *s),
        }
    }

    /// The line with this id.
    pub fn line(&self, id: &LineId) -> Option<&Waardering> {
        match id {
            LineId::Key(k) => self.woningwaarderingen.iter().find(|w| w.key == *k),
            LineId::Text(s) => self.woningwaarderingen.iter().find(|w| w.id == *s),
        }
    }

    /// True when a line with this id exists.
    pub fn has(&self, id: &LineId) -> bool {
        self.line(id).is_some()
    }

    /// The last added line, to set its fields.
    pub fn last(&mut self) -> &mut Waardering {
        self.woningwaarderingen
            .last_mut()
            .expect("a line was added")
    }

    /// Group points = sum of line points rounded to a quarter.
    pub fn sum_points(&mut self) {
        let s: f64 = self
            .woningwaarderingen
            .iter()
            .filter_map(|w| w.punten)
            .sum();
        self.punten = Some(round::kwart(s));
    }

    /// The group's points, 0 when it could not be valued.
    pub fn points(&self) -> f64 {
        self.punten.unwrap_or(0.0)
    }

    /// The group as the peer's `WoningwaarderingResultatenWoningwaarderingGroep` JSON.
    pub fn to_json(&self, stelsel: Stelsel) -> Value {
        let mut g = serde_json::Map::new();
        g.insert(
            "criteriumGroep".into(),
            json!({"stelsel": {"code": stelsel.code(), "naam": stelsel.naam()},
                   "stelselgroep": {"code": self.code, "naam": self.naam}}),
        );
        g.insert("punten".into(), json!(self.punten));
        if let Some(o) = self.opslagpercentage {
            g.insert("opslagpercentage".into(), json!(o));
        }
        let ws: Vec<Value> = self
            .woningwaarderingen
            .iter()
            .map(|w| {
                let mut c = serde_json::Map::new();
                c.insert("id".into(), json!(w.id));
                c.insert("naam".into(), json!(w.naam));
                if let Some(m) = w.meeteenheid {
                    c.insert("meeteenheid".into(), m.json());
                }
                if let Some(p) = &w.parent {
                    c.insert("bovenliggendeCriterium".into(), json!({"id": p}));
                }
                let mut o = serde_json::Map::new();
                o.insert("criterium".into(), Value::Object(c));
                if let Some(a) = w.aantal {
                    o.insert("aantal".into(), json!(a));
                }
                if let Some(p) = w.punten {
                    // a zero keeps its sign (−0.0 from e.g. −0.15 × 0 m²), as in the reference
                    let p = if p == 0.0 { p } else { round::cents(p) };
                    o.insert("punten".into(), json!(p));
                }
                if let Some(p) = w.opslagpercentage {
                    o.insert("opslagpercentage".into(), json!(p));
                }
                Value::Object(o)
            })
            .collect();
        g.insert("woningwaarderingen".into(), Value::Array(ws));
        Value::Object(g)
    }
}

/// The valuation of one dwelling.
#[derive(Debug, Clone, PartialEq)]
pub struct Resultaat {
    /// the unit's id from the input, if it had one
    pub id: Option<String>,
    /// zelfstandige or onzelfstandige woonruimte
    pub stelsel: Stelsel,
    /// total, whole points
    pub punten: f64,
    /// the maximum kale huur in euro a month for `punten`, from the rent table in force at
    /// the peildatum, before surcharges
    pub maximale_huur: f64,
    /// the summed surcharge fraction (0.35 = +35 %); `None` when there is no surcharge
    pub opslagpercentage: Option<f64>,
    /// the surcharge in euro a month: `maximale_huur` × `opslagpercentage`, in whole cents
    pub huurprijsopslag: f64,
    /// `maximale_huur` + `huurprijsopslag`, in whole cents
    pub maximale_huur_inclusief_opslag: f64,
    /// the rent segment of `punten` (zelfstandig only; `None` for onzelfstandig or when no
    /// segment boundaries are in force)
    pub segment: Option<Segment>,
    /// the stelselgroepen in output order
    pub groepen: Vec<Groep>,
    /// what the valuation had to assume or could not value
    pub warnings: Vec<Warning>,
}

impl Resultaat {
    /// The stelselgroep with this code (`ENE`, `WOZ`, …).
    pub fn groep(&self, code: &str) -> Option<&Groep> {
        self.groepen.iter().find(|g| g.code == code)
    }

    /// JSON in the peer's structure; `segment` and `warnings` are extensions.
    pub fn to_json(&self) -> Value {
        let mut o = serde_json::Map::new();
        o.insert(
            "stelsel".into(),
            json!({"code": self.stelsel.code(), "naam": self.stelsel.naam()}),
        );
        o.insert("punten".into(), json!(self.punten));
        o.insert("maximaleHuur".into(), json!(self.maximale_huur));
        if let Some(p) = self.opslagpercentage {
            o.insert("opslagpercentage".into(), json!(p));
        }
        o.insert("huurprijsopslag".into(), json!(self.huurprijsopslag));
        o.insert(
            "maximaleHuurInclusiefOpslag".into(),
            json!(self.maximale_huur_inclusief_opslag),
        );
        o.insert(
            "groepen".into(),
            Value::Array(
                self.groepen
                    .iter()
                    .map(|g| g.to_json(self.stelsel))
                    .collect(),
            ),
        );
        if let Some(s) = self.segment {
            o.insert("segment".into(), json!(s));
        }
        if !self.warnings.is_empty() {
            o.insert("warnings".into(), json!(self.warnings));
        }
        Value::Object(o)
    }
}
