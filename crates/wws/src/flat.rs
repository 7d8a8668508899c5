//! The flat portfolio form: one CSV row per dwelling without rooms (for example the demo
//! region's `veerstad-corporatie-voorraad.csv`), turned into a unit with the assumptions of
//! `[flat]` in `data/wws/parameters.toml`. Results are estimates and carry a warning.
//!
//! Columns (header names, case-insensitive; `;` or `,` separated; decimal comma or point):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `eenheid_id` | yes | id |
//! | `woningtype` | yes | `EGW` / `MGW` |
//! | `bouwjaar` | yes | construction year |
//! | `oppervlakte_m2` | yes | gebruiksoppervlakte (m²) |
//! | `energielabel` | yes | `A++++` … `G` (empty: by bouwjaar) |
//! | `woz_waarde` | yes | euro, taken as the WOZ value on 1 January of (peildatum year − 1) |
//! | `kamers` | no | number of rooms (woonkamer + slaapkamers), default 3 |
//! | `buurtcode` | no | for the rent mix |
//! | `kale_huur` | no | actual rent, for the rent mix |
//! | `aanrecht_mm`, `buitenruimte_m2` | no | override the assumptions |
//!
//! Other columns (`eigenaar`, `peildatum`, …) are ignored.

use serde_json::{Value, json};

use crate::model::{Eenheid, Warning};
use crate::tables::Tables;
use crate::{Options, WwsError};

/// One row of the flat form.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatUnit {
    pub id: String,
    pub buurtcode: Option<String>,
    pub eengezins: bool,
    pub bouwjaar: i32,
    pub oppervlakte_m2: f64,
    pub kamers: u32,
    /// label display name (`A+`), None = unknown
    pub energielabel: Option<String>,
    pub woz_waarde: f64,
    pub kale_huur: Option<f64>,
    pub aanrecht_mm: Option<f64>,
    pub buitenruimte_m2: Option<f64>,
}

fn split(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if q && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => q = !q,
            c if c == sep && !q => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

fn number(s: &str, decimal_comma: bool) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let t = if decimal_comma {
        t.replace('.', "").replace(',', ".")
    } else {
        t.to_string()
    };
    t.parse().ok().filter(|x: &f64| x.is_finite())
}

/// Parses the flat CSV. Errors name the line and column.
pub fn parse_csv(text: &str) -> Result<Vec<FlatUnit>, WwsError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Ok(Vec::new());
    };
    let header = header.trim_start_matches('\u{feff}');
    let sep = if header.contains(';') { ';' } else { ',' };
    let decimal_comma = sep == ';';
    let cols: Vec<String> = split(header, sep)
        .into_iter()
        .map(|c| c.to_lowercase())
        .collect();
    let col = |name: &str| cols.iter().position(|c| c == name);
    let req = |name: &str| {
        col(name).ok_or_else(|| {
            WwsError::Input(format!("flat CSV: required column {name:?} is missing"))
        })
    };
    let (c_id, c_type, c_bj, c_opp, c_label, c_woz) = (
        req("eenheid_id")?,
        req("woningtype")?,
        req("bouwjaar")?,
        req("oppervlakte_m2")?,
        req("energielabel")?,
        req("woz_waarde")?,
    );
    let (c_kamers, c_buurt, c_huur, c_aanrecht, c_buiten) = (
        col("kamers"),
        col("buurtcode"),
        col("kale_huur"),
        col("aanrecht_mm"),
        col("buitenruimte_m2"),
    );
    let mut out = Vec::new();
    for (i, line) in lines {
        let f = split(line, sep);
        let at = |c: usize| f.get(c).map(String::as_str).unwrap_or("");
        let bad = |c: usize, what: &str| {
            WwsError::Input(format!(
                "flat CSV line {}: column {:?} = {:?} is not {what}",
                i + 1,
                cols[c],
                at(c)
            ))
        };
        let num = |c: usize| number(at(c), decimal_comma);
        let eengezins = match at(c_type).to_ascii_uppercase().as_str() {
            "EGW" => true,
            "MGW" => false,
            _ => return Err(bad(c_type, "EGW or MGW")),
        };
        let label = at(c_label).trim().to_string();
        out.push(FlatUnit {
            id: at(c_id).to_string(),
            buurtcode: c_buurt.map(|c| at(c).to_string()).filter(|s| !s.is_empty()),
            eengezins,
            bouwjaar: num(c_bj)
                .filter(|x| x.fract() == 0.0)
                .ok_or_else(|| bad(c_bj, "a year"))? as i32,
            oppervlakte_m2: num(c_opp)
                .filter(|x| *x > 0.0)
                .ok_or_else(|| bad(c_opp, "a positive area"))?,
            kamers: match c_kamers.map(num) {
                Some(Some(k)) if k >= 1.0 && k.fract() == 0.0 => k as u32,
                Some(Some(_)) => return Err(bad(c_kamers.unwrap_or(0), "a whole number ≥ 1")),
                _ => 3,
            },
            energielabel: if label.is_empty() { None } else { Some(label) },
            woz_waarde: num(c_woz)
                .filter(|x| *x > 0.0)
                .ok_or_else(|| bad(c_woz, "a positive amount"))?,
            kale_huur: c_huur.and_then(num),
            aanrecht_mm: c_aanrecht.and_then(num),
            buitenruimte_m2: c_buiten.and_then(num),
        });
    }
    Ok(out)
}

/// VERA label code of a display name (`A++` → `APP`).
fn label_code(naam: &str) -> String {
    match naam {
        "A+" => "AP".into(),
        "A++" => "APP".into(),
        "A+++" => "AP3".into(),
        "A++++" => "AP4".into(),
        x => x.to_string(),
    }
}

impl FlatUnit {
    /// The VERA unit this row stands for under the `[flat]` assumptions.
    pub fn to_vera(&self, opts: &Options) -> Value {
        let a = &Tables::embedded().flat;
        let pd = opts.peildatum;
        let vertrekken = self.oppervlakte_m2 * a.aandeel_vertrekken;
        let overige = self.oppervlakte_m2 * a.aandeel_overige;
        // woonkamer 40 % of the vertrekken, keuken 12 %, badkamer 8 %, the rest over the
        // bedrooms (the split does not change the points, only the names)
        let slaapkamers = self.kamers.saturating_sub(1).max(1);
        let r2 = |x: f64| (x * 100.0).round() / 100.0;
        let mut ruimten = vec![
            json!({"id": "woonkamer", "naam": "Woonkamer", "soort": {"code": "VTK"},
                   "detailSoort": {"code": "WOO"}, "oppervlakte": r2(vertrekken * 0.40), "verwarmd": true}),
            json!({"id": "keuken", "naam": "Keuken", "soort": {"code": "VTK"},
                   "detailSoort": {"code": "KEU"}, "oppervlakte": r2(vertrekken * 0.12), "verwarmd": true,
                   "bouwkundigeElementen": [{"id": "aanrecht", "detailSoort": {"code": "AAN"},
                                              "lengte": self.aanrecht_mm.unwrap_or(a.aanrecht_mm)}]}),
            json!({"id": "badkamer", "naam": "Badkamer", "soort": {"code": "VTK"},
                   "detailSoort": {"code": "BAD"}, "oppervlakte": r2(vertrekken * 0.08), "verwarmd": true,
                   "installaties": a.sanitair.iter().map(|c| json!({"code": c})).collect::<Vec<_>>()}),
        ];
        // the rest of the vertrekken so that the rounded parts add up to the total
        let used: f64 = [0.40, 0.12, 0.08].iter().map(|f| r2(vertrekken * f)).sum();
        let rest = r2(vertrekken) - used;
        for k in 0..slaapkamers {
            let opp = if k + 1 == slaapkamers {
                r2(rest - r2(rest / f64::from(slaapkamers)) * f64::from(slaapkamers - 1))
            } else {
                r2(rest / f64::from(slaapkamers))
            };
            ruimten.push(json!({"id": format!("slaapkamer{}", k + 1), "naam": "Slaapkamer",
                "soort": {"code": "VTK"}, "detailSoort": {"code": "SLA"}, "oppervlakte": opp, "verwarmd": true}));
        }
        if a.apart_toilet {
            ruimten.push(json!({"id": "toilet", "naam": "Toilet", "soort": {"code": "OVR"},
                "detailSoort": {"code": "TOI"}, "oppervlakte": 1.2, "installaties": [{"code": "STO"}]}));
        }
        if overige > 0.0 {
            ruimten.push(
                json!({"id": "berging", "naam": "Berging", "soort": {"code": "OVR"},
                "detailSoort": {"code": "BER"}, "oppervlakte": r2(overige)}),
            );
        }
        let buiten = self.buitenruimte_m2.unwrap_or(if self.eengezins {
            a.buitenruimte_m2_egw
        } else {
            a.buitenruimte_m2_mgw
        });
        if buiten > 0.0 {
            let (code, naam) = if self.eengezins {
                ("TUI", "Tuin")
            } else {
                ("BAL", "Balkon")
            };
            ruimten.push(
                json!({"id": "buiten", "naam": naam, "soort": {"code": "BTR"},
                "detailSoort": {"code": code}, "oppervlakte": buiten}),
            );
        }
        let mut u = json!({
            "id": self.id,
            "Woningwaarderingstelsel": {"code": "ZEL"},
            "bouwjaar": self.bouwjaar,
            "panden": [{"soort": {"code": if self.eengezins { "EGW" } else { "MGW" }}}],
            "monumenten": [],
            "gebruiksoppervlakte": self.oppervlakte_m2.round(),
            "wozEenheden": [{"vastgesteldeWaarde": self.woz_waarde,
                             "waardepeildatum": format!("{}-01-01", pd.year - 1)}],
            "ruimten": ruimten,
        });
        if let Some(l) = &self.energielabel {
            u["energieprestaties"] = json!([{
                "soort": {"code": "NTA"}, "status": {"code": "DEF"},
                "label": {"code": label_code(l), "naam": l},
                "begindatum": format!("{}-01-01", pd.year - 1),
                "einddatum": format!("{}-01-01", pd.year + 9),
            }]);
        }
        u
    }

    /// Points, maximum rent and segment of the row (the numbers of [`FlatUnit::waardeer`]).
    pub fn waardeer_punten(&self, opts: &Options) -> Result<crate::Punten, WwsError> {
        let (e, _) = Eenheid::from_json_value(&self.to_vera(opts), opts.strict)?;
        crate::waardeer_punten(&e, opts)
    }

    /// Values the row (an estimate: the result carries a warning saying so).
    pub fn waardeer(&self, opts: &Options) -> Result<crate::Resultaat, WwsError> {
        let (e, w) = Eenheid::from_json_value(&self.to_vera(opts), opts.strict)?;
        let mut r = crate::waardeer(&e, opts)?;
        let mut all = w;
        all.push(Warning {
            field: "flat".into(),
            message: "estimate from the flat portfolio form ([flat] assumptions for rooms, kitchen, sanitary and outdoor space)".into(),
        });
        all.append(&mut r.warnings);
        r.warnings = all;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = "eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur;eigenaar;peildatum\n\
VS000001;BU99990101;MGW;1968;62;3;D;187000;612,40;Woonstichting Veerstad;2024-01-01\n\
VS000002;BU99990101;EGW;2004;104;5;A;312000;901,15;Veerstad Wonen;2024-01-01\n";

    #[test]
    fn parses_demo_stock_format() {
        let u = parse_csv(DEMO).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].kale_huur, Some(612.40));
        assert!(!u[0].eengezins && u[1].eengezins);
        assert_eq!(u[1].energielabel.as_deref(), Some("A"));
        let err = parse_csv("eenheid_id;woningtype\nx;MGW\n").unwrap_err();
        assert!(err.to_string().contains("bouwjaar"));
        let err = parse_csv(&DEMO.replace(";MGW;", ";FLAT;")).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn values_flat_rows() {
        let opts = Options::default();
        for u in parse_csv(DEMO).unwrap() {
            let r = u.waardeer(&opts).unwrap();
            // the area of the vertrekken is 75 % of the gebruiksoppervlakte
            let ovz = r.groep("OVZ").unwrap().punten.unwrap();
            assert_eq!(ovz, (u.oppervlakte_m2 * 0.75).round(), "{}", u.id);
            assert!(r.warnings.iter().any(|w| w.field == "flat"));
            assert!(r.punten > 40.0);
        }
    }
}
