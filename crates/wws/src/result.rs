//! The result in the peer's structure (VERA `WoningwaarderingResultaat` + extensions).

use serde_json::{Value, json};

use crate::model::{Stelsel, Warning};
use crate::round;
use crate::tables::Segment;

/// A unit of measure of a criterium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meeteenheid {
    M2,
    Millimeter,
    Euro,
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
#[derive(Debug, Clone, PartialEq)]
pub struct Waardering {
    /// full path id (`rubriek__segment__...`)
    pub id: String,
    pub naam: String,
    pub parent: Option<String>,
    pub meeteenheid: Option<Meeteenheid>,
    pub aantal: Option<f64>,
    pub punten: Option<f64>,
    pub opslagpercentage: Option<f64>,
}

/// One stelselgroep (rubriek).
#[derive(Debug, Clone, PartialEq)]
pub struct Groep {
    pub code: &'static str,
    pub naam: &'static str,
    /// `None`: the rubriek could not be valued (the peer's `punten: null`)
    pub punten: Option<f64>,
    pub opslagpercentage: Option<f64>,
    pub woningwaarderingen: Vec<Waardering>,
}

impl Groep {
    pub fn new(code: &'static str, naam: &'static str) -> Self {
        Groep {
            code,
            naam,
            punten: Some(0.0),
            opslagpercentage: None,
            woningwaarderingen: Vec::new(),
        }
    }

    fn prefix(&self) -> &'static str {
        crate::zel::prefix_of(self.code)
    }

    /// Adds a line directly under the group; `seg` is the id segment. Returns its id.
    pub fn add(&mut self, seg: &str, naam: impl Into<String>) -> String {
        let id = format!("{}__{}", self.prefix(), seg);
        self.push(id.clone(), None, naam.into());
        id
    }

    /// Adds a line under `parent`.
    pub fn add_under(&mut self, parent: &str, seg: &str, naam: impl Into<String>) -> String {
        let id = format!("{parent}__{seg}");
        self.push(id.clone(), Some(parent.to_string()), naam.into());
        id
    }

    fn push(&mut self, id: String, parent: Option<String>, naam: String) {
        self.woningwaarderingen.push(Waardering {
            id,
            naam,
            parent,
            meeteenheid: None,
            aantal: None,
            punten: None,
            opslagpercentage: None,
        });
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

    pub fn points(&self) -> f64 {
        self.punten.unwrap_or(0.0)
    }

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
    pub id: Option<String>,
    pub stelsel: Stelsel,
    /// total, whole points
    pub punten: f64,
    pub maximale_huur: f64,
    pub opslagpercentage: Option<f64>,
    pub huurprijsopslag: f64,
    pub maximale_huur_inclusief_opslag: f64,
    pub segment: Option<Segment>,
    pub groepen: Vec<Groep>,
    pub warnings: Vec<Warning>,
}

impl Resultaat {
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
