//! What-if: change fields of a unit, value before and after, and report Δ points per
//! rubriek, Δ maximum rent and the segment change.

use serde_json::{Value, json};

use crate::model::Eenheid;
use crate::result::Resultaat;
use crate::tables::Segment;
use crate::{Options, WwsError, waardeer};

/// One change of the input JSON: a JSON pointer (`/energieprestaties/0/label/code`)
/// and its new value. A pointer into a missing object member creates it.
#[derive(Debug, Clone, PartialEq)]
pub struct Wijziging {
    /// RFC 6901 JSON pointer into the unit's VERA JSON
    pub pointer: String,
    /// the value to put there (replacing what is there)
    pub waarde: Value,
}

/// Δ of one rubriek.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RubriekDelta {
    /// the stelselgroep's code (`ENE`, `WOZ`, …)
    pub code: &'static str,
    /// the stelselgroep's Dutch name
    pub naam: &'static str,
    /// points before the change (`None`: could not be valued)
    pub voor: Option<f64>,
    /// points after the change (`None`: could not be valued, or the rubriek is gone)
    pub na: Option<f64>,
    /// `na` − `voor`, a missing side counting as 0
    pub delta: f64,
}

/// A unit valued before and after a change, and the differences.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// the valuation of the unit as given
    pub voor: Resultaat,
    /// the valuation of the changed unit
    pub na: Resultaat,
    /// per rubriek of `voor`, in its order
    pub rubrieken: Vec<RubriekDelta>,
    /// Δ total (whole) points
    pub delta_punten: f64,
    /// Δ maximum rent including surcharges, euro a month, in whole cents
    pub delta_maximale_huur: f64,
    /// the segment before
    pub segment_voor: Option<Segment>,
    /// the segment after
    pub segment_na: Option<Segment>,
}

impl WhatIf {
    /// Whether the change moves the unit to another segment.
    pub fn segment_changed(&self) -> bool {
        self.segment_voor != self.segment_na
    }

    /// The comparison as JSON (camelCase keys: points, maximum rent incl. surcharges and
    /// segment before and after, and the per-rubriek deltas).
    pub fn to_json(&self) -> Value {
        json!({
            "puntenVoor": self.voor.punten,
            "puntenNa": self.na.punten,
            "deltaPunten": self.delta_punten,
            "maximaleHuurVoor": self.voor.maximale_huur_inclusief_opslag,
            "maximaleHuurNa": self.na.maximale_huur_inclusief_opslag,
            "deltaMaximaleHuur": self.delta_maximale_huur,
            "segmentVoor": self.segment_voor,
            "segmentNa": self.segment_na,
            "rubrieken": self.rubrieken,
        })
    }
}

fn set_pointer(root: &mut Value, pointer: &str, v: Value) -> Result<(), WwsError> {
    if pointer.is_empty() || !pointer.starts_with('/') {
        return Err(WwsError::Input(format!(
            "what-if: {pointer:?} is not a JSON pointer (/a/b/0/c)"
        )));
    }
    let mut cur = root;
    let parts: Vec<String> = pointer[1..]
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Object(m) => {
                if last {
                    m.insert(p.clone(), v);
                    return Ok(());
                }
                let next_is_index = parts[i + 1].parse::<usize>().is_ok();
                m.entry(p.clone()).or_insert_with(|| {
                    if next_is_index {
                        Value::Array(vec![])
                    } else {
                        Value::Object(Default::default())
                    }
                })
            }
            Value::Array(a) => {
                let idx: usize = p.parse().map_err(|_| {
                    WwsError::Input(format!("what-if: {p:?} in {pointer} is not an index"))
                })?;
                if idx >= a.len() {
                    return Err(WwsError::Input(format!(
                        "what-if: index {idx} out of range in {pointer}"
                    )));
                }
                if last {
                    a[idx] = v;
                    return Ok(());
                }
                &mut a[idx]
            }
            _ => {
                return Err(WwsError::Input(format!(
                    "what-if: {pointer} passes through a value that is not an object or list"
                )));
            }
        };
    }
    Ok(())
}

/// Values `unit` before and after applying `changes`.
pub fn what_if(unit: &Value, changes: &[Wijziging], opts: &Options) -> Result<WhatIf, WwsError> {
    what_if_onder(unit, changes, opts, opts)
}

/// Values `unit` under `voor` and, with `changes` applied, under `na` (e.g. a policy
/// variant's tables, [`crate::variant`]; with no changes: the variant's effect alone).
pub fn what_if_onder(
    unit: &Value,
    changes: &[Wijziging],
    voor: &Options,
    na: &Options,
) -> Result<WhatIf, WwsError> {
    let mut after = unit.clone();
    for c in changes {
        set_pointer(&mut after, &c.pointer, c.waarde.clone())?;
    }
    let (e0, _) = Eenheid::from_json_value(unit, voor.strict)?;
    let (e1, _) = Eenheid::from_json_value(&after, na.strict)?;
    compare_onder(&e0, &e1, voor, na)
}

/// Values two versions of a unit and compares them.
pub fn compare(voor: &Eenheid, na: &Eenheid, opts: &Options) -> Result<WhatIf, WwsError> {
    compare_onder(voor, na, opts, opts)
}

/// Values `voor` under `opts_voor` and `na` under `opts_na` and compares them.
pub fn compare_onder(
    voor: &Eenheid,
    na: &Eenheid,
    opts_voor: &Options,
    opts_na: &Options,
) -> Result<WhatIf, WwsError> {
    let r0 = waardeer(voor, opts_voor)?;
    let r1 = waardeer(na, opts_na)?;
    let rubrieken = r0
        .groepen
        .iter()
        .map(|g0| {
            let p1 = r1.groep(g0.code).and_then(|g| g.punten);
            RubriekDelta {
                code: g0.code,
                naam: g0.naam,
                voor: g0.punten,
                na: p1,
                delta: p1.unwrap_or(0.0) - g0.punten.unwrap_or(0.0),
            }
        })
        .collect();
    Ok(WhatIf {
        delta_punten: r1.punten - r0.punten,
        delta_maximale_huur: crate::round::cents(
            r1.maximale_huur_inclusief_opslag - r0.maximale_huur_inclusief_opslag,
        ),
        segment_voor: r0.segment,
        segment_na: r1.segment,
        rubrieken,
        voor: r0,
        na: r1,
    })
}

/// Convenience: "energielabel X → Y" as a change list (first energieprestatie's label;
/// adds an NTA 8800 label valid for ten years from the peildatum when there is none).
pub fn energielabel(unit: &Value, label_code: &str, opts: &Options) -> Vec<Wijziging> {
    let has = unit
        .get("energieprestaties")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if has {
        vec![Wijziging {
            pointer: "/energieprestaties/0/label".into(),
            waarde: json!({"code": label_code}),
        }]
    } else {
        let p = opts.peildatum;
        vec![Wijziging {
            pointer: "/energieprestaties".into(),
            waarde: json!([{
                "soort": {"code": "NTA"}, "status": {"code": "DEF"},
                "label": {"code": label_code},
                "begindatum": p.to_string(),
                "einddatum": format!("{:04}-{:02}-{:02}", p.year + 10, p.month, p.day),
            }]),
        }]
    }
}

/// A segment change: (before, after).
pub type SegmentWissel = (Option<Segment>, Option<Segment>);

/// The same change over a portfolio: per unit the what-if (or the error), plus totals.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioWhatIf {
    /// per input unit, in input order: its what-if, or why it could not be valued
    pub units: Vec<Result<WhatIf, WwsError>>,
    /// units whose segment changed, by (before, after)
    pub segment_changes: Vec<(SegmentWissel, usize)>,
    /// Σ Δ points over the units that could be valued
    pub delta_punten_totaal: f64,
    /// Σ Δ maximum rent (euro a month) over the units that could be valued
    pub delta_maximale_huur_totaal: f64,
}

/// Applies `changes(unit)` to every unit and compares.
pub fn what_if_portfolio(
    units: &[Value],
    changes: impl Fn(&Value) -> Vec<Wijziging>,
    opts: &Options,
) -> PortfolioWhatIf {
    let results: Vec<Result<WhatIf, WwsError>> = units
        .iter()
        .map(|u| what_if(u, &changes(u), opts))
        .collect();
    let mut segment_changes: Vec<(SegmentWissel, usize)> = Vec::new();
    let mut dp = 0.0;
    let mut dh = 0.0;
    for w in results.iter().flatten() {
        dp += w.delta_punten;
        dh += w.delta_maximale_huur;
        if w.segment_changed() {
            let k = (w.segment_voor, w.segment_na);
            match segment_changes.iter_mut().find(|x| x.0 == k) {
                Some(x) => x.1 += 1,
                None => segment_changes.push((k, 1)),
            }
        }
    }
    PortfolioWhatIf {
        units: results,
        segment_changes,
        delta_punten_totaal: dp,
        delta_maximale_huur_totaal: crate::round::cents(dh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_sets_and_creates() {
        let mut v = json!({"a": [{"b": 1}]});
        set_pointer(&mut v, "/a/0/b", json!(2)).unwrap();
        set_pointer(&mut v, "/c/d", json!("x")).unwrap();
        assert_eq!(v, json!({"a": [{"b": 2}], "c": {"d": "x"}}));
        assert!(set_pointer(&mut v, "/a/5/b", json!(1)).is_err());
        assert!(set_pointer(&mut v, "a", json!(1)).is_err());
    }
}
