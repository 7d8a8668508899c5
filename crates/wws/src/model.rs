//! The input model: the part of a VERA `EenhedenEenheid` that the WWS reads
//! (see `docs/wws-schema.md`).
//!
//! Parsing is lenient by default: a field that fails validation is dropped and a
//! [`Warning`] names it (like the peer's `UserWarning`). In strict mode the first
//! such warning is an error. Keys are camelCase as in VERA; the snake_case spelling
//! is accepted too. Unknown keys are ignored.

use serde_json::{Map, Value};

use crate::WwsError;

/// A calendar date (proleptic Gregorian), ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// the year (e.g. 2026)
    pub year: i32,
    /// the month, 1–12
    pub month: u32,
    /// the day of the month, 1–31
    pub day: u32,
}

impl Date {
    /// The date `year`-`month`-`day`, not checked (use [`Date::parse`] for input).
    pub const fn new(year: i32, month: u32, day: u32) -> Self {
        Date { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, also the date part of an ISO date-time.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let d = s.get(..10)?;
        if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b' ') {
            return None;
        }
        let b = d.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = d[..4].parse().ok()?;
        let month: u32 = d[5..7].parse().ok()?;
        let day: u32 = d[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The same day `years` earlier (29 February becomes 28 February).
    pub fn minus_years(self, years: i32) -> Date {
        let year = self.year - years;
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = WwsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s).ok_or_else(|| WwsError::Input(format!("invalid date {s:?}")))
    }
}

/// A problem in the input (or missing data a rule needs). `field` is a JSON path.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// where: a JSON path into the input (`eenheid.ruimten[2].oppervlakte`), or a setting
    /// such as `peildatum`
    pub field: String,
    /// what was wrong or assumed, in one sentence
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Which set of rules applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Stelsel {
    /// `ZEL` zelfstandige woonruimten
    Zelfstandig,
    /// `ONZ` onzelfstandige woonruimten
    Onzelfstandig,
}

impl Stelsel {
    /// The VERA code: `ZEL` or `ONZ`.
    pub fn code(self) -> &'static str {
        match self {
            Stelsel::Zelfstandig => "ZEL",
            Stelsel::Onzelfstandig => "ONZ",
        }
    }
    /// The Dutch name as the peer writes it (`Zelfstandige woonruimten`, …).
    pub fn naam(self) -> &'static str {
        match self {
            Stelsel::Zelfstandig => "Zelfstandige woonruimten",
            Stelsel::Onzelfstandig => "Onzelfstandige woonruimten",
        }
    }
}

/// A bouwkundig element of a room (`bouwkundigeElementen[]`): an aanrecht, a stair, ….
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// `id`
    pub id: Option<String>,
    /// `naam`
    pub naam: Option<String>,
    /// `detailSoort.code` (e.g. `AAN` aanrecht)
    pub code: Option<String>,
    /// millimetres
    pub lengte: Option<f64>,
}

/// A room of a unit (`ruimten[]`, or a `verbondenRuimten[]` entry). Every field is `None`
/// (or empty) when the input leaves it out or it failed validation (see the warnings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ruimte {
    /// `id`; also the room's segment in criterium ids
    pub id: Option<String>,
    /// `naam`, as shown in criterium names
    pub naam: Option<String>,
    /// `soort.code`: VTK, OVR, VRK, BTR, GEM
    pub soort: Option<String>,
    /// `detailSoort.code`
    pub detail_soort: Option<String>,
    /// `detailSoort.naam`, the fallback for the shown name
    pub detail_soort_naam: Option<String>,
    /// m²
    pub oppervlakte: Option<f64>,
    /// millimetres
    pub lengte: Option<f64>,
    /// millimetres
    pub breedte: Option<f64>,
    /// millimetres
    pub hoogte: Option<f64>,
    /// `verwarmd`: whether the room is heated (rubriek verwarming)
    pub verwarmd: Option<bool>,
    /// `verkoeld`: whether the room is cooled
    pub verkoeld: Option<bool>,
    /// `gedeeldMetAantalAdressen` (or `gedeeldMetAantalEenheden`): how many addresses
    /// share the room; 2 or more makes it a shared room
    pub gedeeld_met_aantal_adressen: Option<u32>,
    /// `gedeeldMetAantalOnzelfstandigeWoonruimten`: how many onzelfstandige woonruimten
    /// share the room
    pub gedeeld_met_aantal_onzelfstandige_woonruimten: Option<u32>,
    /// `aantal`: how many of this room or item there are (1 when absent, by the rules)
    pub aantal: Option<u32>,
    /// installatie codes
    pub installaties: Vec<String>,
    /// `bouwkundigeElementen`
    pub bouwkundige_elementen: Vec<Element>,
    /// `verbondenRuimten`: rooms reached through this one (e.g. a space above a stair)
    pub verbonden_ruimten: Vec<Ruimte>,
}

impl Ruimte {
    /// Whether `detailSoort.code` is `code` (e.g. `SLA` slaapkamer).
    pub fn is_detail(&self, code: &str) -> bool {
        self.detail_soort.as_deref() == Some(code)
    }
    /// Whether `soort.code` is `code` (e.g. `VTK` vertrek).
    pub fn is_soort(&self, code: &str) -> bool {
        self.soort.as_deref() == Some(code)
    }
    /// Whether some bouwkundig element has `detailSoort.code` = `code` (e.g. `AAN`).
    pub fn has_element(&self, code: &str) -> bool {
        self.bouwkundige_elementen
            .iter()
            .any(|e| e.code.as_deref() == Some(code))
    }
    /// Whether the room has installation `code` (e.g. `DOU` douche).
    pub fn has_installatie(&self, code: &str) -> bool {
        self.installaties.iter().any(|c| c == code)
    }
    /// Shown name: `naam`, else `detailSoort.naam`, else `id`.
    pub fn weergavenaam(&self) -> String {
        self.naam
            .clone()
            .filter(|s| !s.is_empty())
            .or_else(|| self.detail_soort_naam.clone().filter(|s| !s.is_empty()))
            .or_else(|| self.id.clone().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "Naamloze ruimte".to_string())
    }
    /// [`Ruimte::weergavenaam`] without copying it.
    pub fn weergavenaam_ref(&self) -> &str {
        [&self.naam, &self.detail_soort_naam, &self.id]
            .into_iter()
            .find_map(|s| s.as_deref().filter(|s| !s.is_empty()))
            .unwrap_or("Naamloze ruimte")
    }
    /// [`Ruimte::criterium_id`], borrowed when the room has an id.
    pub fn criterium_seg(&self) -> std::borrow::Cow<'_, str> {
        match &self.id {
            Some(id) if !id.is_empty() => std::borrow::Cow::Borrowed(id),
            _ => std::borrow::Cow::Owned(self.weergavenaam_ref().to_lowercase().replace(' ', "_")),
        }
    }
    /// Criterium-id segment: `id`, else the lower-cased name with underscores.
    pub fn criterium_id(&self) -> String {
        match &self.id {
            Some(id) if !id.is_empty() => id.clone(),
            _ => self.weergavenaam().to_lowercase().replace(' ', "_"),
        }
    }
}

/// An energy performance record (`energieprestaties[]`): a label or an energie-index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Energieprestatie {
    /// `soort.code`: the kind of record (`NTA` NTA 8800 label, `EI` energie-index, …)
    pub soort: Option<String>,
    /// `status.code` (`DEF` definitive, …)
    pub status: Option<String>,
    /// `begindatum`: the day the record became valid
    pub begindatum: Option<Date>,
    /// `einddatum`: the day it stops being valid (exclusive)
    pub einddatum: Option<Date>,
    /// `label.code` (`A++++` … `G`)
    pub label_code: Option<String>,
    /// `label.naam`
    pub label_naam: Option<String>,
    /// energie-index value (may arrive as a string)
    pub waarde: Option<String>,
}

/// A price component of the tenancy (`prijscomponenten[]`); the rules read only an
/// energieprestatievergoeding (`EPV`) running on the peildatum.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prijscomponent {
    /// `detailSoort.code` (`EPV`, …)
    pub detail_soort: Option<String>,
    /// `begindatum`: from this day on (inclusive); `None`: since always
    pub begindatum: Option<Date>,
    /// `einddatum`: until this day (exclusive); `None`: open-ended
    pub einddatum: Option<Date>,
}

/// A WOZ valuation of the unit (`wozEenheden[]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WozEenheid {
    /// `vastgesteldeWaarde`: the WOZ value in euro
    pub vastgestelde_waarde: Option<f64>,
    /// `waardepeildatum`: the date the value is for (1 January of a year)
    pub waardepeildatum: Option<Date>,
}

/// One dwelling (`EenhedenEenheid`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Eenheid {
    /// `id`
    pub id: Option<String>,
    /// `woningwaarderingstelsel.code`; `None`: not given (the caller's default applies)
    pub stelsel: Option<Stelsel>,
    /// `bouwjaar`: construction year
    pub bouwjaar: Option<i32>,
    /// `beginBouwdatum`: start of construction (nieuwbouwopslag)
    pub begin_bouwdatum: Option<Date>,
    /// `inExploitatiedatum`: the day the dwelling was first let (nieuwbouwopslag)
    pub in_exploitatiedatum: Option<Date>,
    /// `datumAfsluitenHuurovereenkomst`: the day the tenancy was agreed (rijksmonument rule)
    pub datum_afsluiten_huurovereenkomst: Option<Date>,
    /// `doelgroep.code` (`ZOR`: a zorgwoning, which some rubrieken value differently)
    pub doelgroep: Option<String>,
    /// `None` = not given (`null`/absent); `Some(vec![])` = no monument.
    pub monumenten: Option<Vec<String>>,
    /// `panden[].soort.code`
    pub panden: Vec<String>,
    /// `energieprestaties`, in input order
    pub energieprestaties: Vec<Energieprestatie>,
    /// `prijscomponenten`
    pub prijscomponenten: Vec<Prijscomponent>,
    /// `wozEenheden`
    pub woz_eenheden: Vec<WozEenheid>,
    /// `gebruiksoppervlakte`: whole m² (a fraction is refused with a warning)
    pub gebruiksoppervlakte: Option<f64>,
    /// `adresseerbaarObjectBasisregistratie.bagGebruikersOppervlakte`: whole m² from the BAG
    pub bag_gebruikers_oppervlakte: Option<f64>,
    /// `adres.woonplaats.code`: the BAG woonplaatscode (picks the COROP area)
    pub woonplaats_code: Option<String>,
    /// `adres` is present
    pub adres: bool,
    /// `adres.postcode` and `adres.huisnummer` are both present
    pub adres_postcode_huisnummer: bool,
    /// `ruimten`, in input order
    pub ruimten: Vec<Ruimte>,
}

impl Eenheid {
    /// Whether `monumenten` lists `code` (`RIJ`, `GEM`, `PRO`, `SGR`, `DGR`).
    pub fn has_monument(&self, code: &str) -> bool {
        self.monumenten
            .as_ref()
            .is_some_and(|m| m.iter().any(|c| c == code))
    }

    /// Parses one JSON object. Returns the unit and the warnings about fields that were
    /// dropped; in strict mode the first warning is an error.
    pub fn from_json_value(v: &Value, strict: bool) -> Result<(Eenheid, Vec<Warning>), WwsError> {
        Self::parse_tree(v, strict, true)
    }

    /// A tree from `prune::from_str` (camelCase names only).
    fn from_pruned_value(v: &Value, strict: bool) -> Result<(Eenheid, Vec<Warning>), WwsError> {
        Self::parse_tree(v, strict, false)
    }

    fn parse_tree(
        v: &Value,
        strict: bool,
        snake: bool,
    ) -> Result<(Eenheid, Vec<Warning>), WwsError> {
        let mut p = Parser {
            warnings: Vec::new(),
            snake,
        };
        let e = p.eenheid(v)?;
        if strict && let Some(w) = p.warnings.first() {
            return Err(WwsError::Strict(w.clone()));
        }
        Ok((e, p.warnings))
    }

    /// Parses a JSON string with one object.
    pub fn from_json_str(s: &str, strict: bool) -> Result<(Eenheid, Vec<Warning>), WwsError> {
        let v = crate::prune::from_str(s).map_err(|e| WwsError::Json(e.to_string()))?;
        Self::from_pruned_value(&v, strict)
    }
}

/// Parses one object, an array of objects, or NDJSON (one object per line).
pub fn parse_many(s: &str, strict: bool) -> Result<Vec<(Eenheid, Vec<Warning>)>, WwsError> {
    let t = s.trim_start();
    if t.starts_with('[') {
        let v = crate::prune::from_str(s).map_err(|e| WwsError::Json(e.to_string()))?;
        let Some(arr) = v.as_array() else {
            return Err(WwsError::Input("expected a list of eenheden".into()));
        };
        return arr
            .iter()
            .map(|o| Eenheid::from_pruned_value(o, strict))
            .collect();
    }
    if let Ok(v) = crate::prune::from_str(s) {
        return Ok(vec![Eenheid::from_pruned_value(&v, strict)?]);
    }
    let mut out = Vec::new();
    for (i, line) in s.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = crate::prune::from_str(line)
            .map_err(|e| WwsError::Json(format!("line {}: {e}", i + 1)))?;
        out.push(Eenheid::from_pruned_value(&v, strict)?);
    }
    Ok(out)
}

/// Looks a key up in its camelCase spelling, then the snake_case one, then each alias.
/// `null` counts as absent. No allocation: the snake_case key is built on the stack.
/// `snake: false` on a tree from `prune` (names already camelCase).
fn get<'a>(snake: bool, o: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    for k in keys {
        let found = o.get(*k).or_else(|| {
            if !snake || !k.bytes().any(|b| b.is_ascii_uppercase()) {
                return None;
            }
            let mut buf = [0u8; 96];
            let mut n = 0;
            for (i, b) in k.bytes().enumerate() {
                if b.is_ascii_uppercase() {
                    if i > 0 {
                        *buf.get_mut(n)? = b'_';
                        n += 1;
                    }
                    *buf.get_mut(n)? = b.to_ascii_lowercase();
                } else {
                    *buf.get_mut(n)? = b;
                }
                n += 1;
            }
            o.get(std::str::from_utf8(&buf[..n]).ok()?)
        });
        if let Some(v) = found {
            return if v.is_null() { None } else { Some(v) };
        }
    }
    None
}

struct Parser {
    warnings: Vec<Warning>,
    /// also look members up in their snake_case spelling
    snake: bool,
}

impl Parser {
    fn warn(&mut self, field: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            field: field.to_string(),
            message: message.into(),
        });
    }

    fn string(&mut self, o: &Map<String, Value>, keys: &[&str], path: &str) -> Option<String> {
        match get(self.snake, o, keys)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.warn(&format!("{path}.{}", keys[0]), "expected a string");
                None
            }
        }
    }

    fn number(&mut self, o: &Map<String, Value>, keys: &[&str], path: &str) -> Option<f64> {
        match get(self.snake, o, keys)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    let hint = if s.contains(',') {
                        " (use a decimal point, not a comma)"
                    } else {
                        ""
                    };
                    self.warn(
                        &format!("{path}.{}", keys[0]),
                        format!("{s:?} is not a number{hint}; field ignored"),
                    );
                    None
                }
            },
            _ => {
                self.warn(
                    &format!("{path}.{}", keys[0]),
                    "expected a number; field ignored",
                );
                None
            }
        }
    }

    fn int(&mut self, o: &Map<String, Value>, keys: &[&str], path: &str) -> Option<i64> {
        let x = self.number(o, keys, path)?;
        if x.fract() != 0.0 {
            self.warn(
                &format!("{path}.{}", keys[0]),
                format!("{x} is not a whole number; field ignored"),
            );
            return None;
        }
        Some(x as i64)
    }

    fn count(&mut self, o: &Map<String, Value>, keys: &[&str], path: &str) -> Option<u32> {
        let x = self.int(o, keys, path)?;
        if x < 0 {
            self.warn(
                &format!("{path}.{}", keys[0]),
                format!("{x} is negative; field ignored"),
            );
            return None;
        }
        Some(x as u32)
    }

    fn boolean(&mut self, o: &Map<String, Value>, keys: &[&str], path: &str) -> Option<bool> {
        match get(self.snake, o, keys)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.warn(
                    &format!("{path}.{}", keys[0]),
                    "expected true/false; field ignored",
                );
                None
            }
        }
    }

    fn date(&mut self, o: &Map<String, Value>, keys: &[&str], path: &str) -> Option<Date> {
        let v = get(self.snake, o, keys)?;
        match v.as_str().and_then(Date::parse) {
            Some(d) => Some(d),
            None => {
                self.warn(
                    &format!("{path}.{}", keys[0]),
                    format!("{v} is not a date YYYY-MM-DD; field ignored"),
                );
                None
            }
        }
    }

    /// Referentiedata `{code, naam}` → (code, naam). An empty code is invalid.
    fn refdata(
        &mut self,
        o: &Map<String, Value>,
        keys: &[&str],
        path: &str,
    ) -> Option<(String, Option<String>)> {
        let v = get(self.snake, o, keys)?;
        self.refdata_value(v, &|| format!("{path}.{}", keys[0]))
    }

    /// `field` names the member in a warning (built only when one is given).
    fn refdata_value(
        &mut self,
        v: &Value,
        field: &dyn Fn() -> String,
    ) -> Option<(String, Option<String>)> {
        let Some(obj) = v.as_object() else {
            self.warn(
                &field(),
                "expected a referentiedata object {code, naam}; ignored",
            );
            return None;
        };
        let naam = obj.get("naam").and_then(Value::as_str).map(str::to_string);
        match obj.get("code") {
            Some(Value::String(c)) if !c.is_empty() => Some((c.clone(), naam)),
            _ => {
                self.warn(&field(), "referentiedata without a code; ignored");
                None
            }
        }
    }

    fn list<'a>(&mut self, o: &'a Map<String, Value>, keys: &[&str], path: &str) -> &'a [Value] {
        match get(self.snake, o, keys) {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(_) => {
                self.warn(&format!("{path}.{}", keys[0]), "expected a list; ignored");
                &[]
            }
        }
    }

    fn eenheid(&mut self, v: &Value) -> Result<Eenheid, WwsError> {
        let Some(o) = v.as_object() else {
            return Err(WwsError::Input(
                "an eenheid must be a JSON object".to_string(),
            ));
        };
        let p = "eenheid";
        let mut e = Eenheid {
            id: self.string(o, &["id"], p),
            ..Default::default()
        };
        if let Some((code, _)) = self.refdata(
            o,
            &["Woningwaarderingstelsel", "woningwaarderingstelsel"],
            p,
        ) {
            e.stelsel = match code.as_str() {
                "ZEL" => Some(Stelsel::Zelfstandig),
                "ONZ" => Some(Stelsel::Onzelfstandig),
                other => {
                    return Err(WwsError::Input(format!(
                        "eenheid.Woningwaarderingstelsel: stelsel {other:?} is not supported (only ZEL and ONZ)"
                    )));
                }
            };
        }
        e.bouwjaar = self.int(o, &["bouwjaar"], p).map(|x| x as i32);
        e.begin_bouwdatum = self.date(o, &["beginBouwdatum"], p);
        e.in_exploitatiedatum = self.date(o, &["inExploitatiedatum"], p);
        e.datum_afsluiten_huurovereenkomst = self.date(o, &["datumAfsluitenHuurovereenkomst"], p);
        e.doelgroep = self.refdata(o, &["doelgroep"], p).map(|r| r.0);
        if let Some(v) = get(self.snake, o, &["monumenten"]) {
            match v {
                Value::Array(a) => {
                    let mut m = Vec::new();
                    for (i, x) in a.iter().enumerate() {
                        if let Some((c, _)) =
                            self.refdata_value(x, &|| format!("eenheid.monumenten[{i}]"))
                        {
                            m.push(c);
                        }
                    }
                    e.monumenten = Some(m);
                }
                _ => self.warn("eenheid.monumenten", "expected a list; ignored"),
            }
        }
        for (i, x) in self.list(o, &["panden"], p).iter().enumerate() {
            if let Some(po) = x.as_object()
                && let Some((c, _)) = self.refdata(po, &["soort"], &format!("eenheid.panden[{i}]"))
            {
                e.panden.push(c);
            }
        }
        for (i, x) in self.list(o, &["energieprestaties"], p).iter().enumerate() {
            let path = format!("eenheid.energieprestaties[{i}]");
            let Some(eo) = x.as_object() else { continue };
            let label = self.refdata(eo, &["label"], &path);
            // VERA types `waarde` as a string; a JSON number is rejected like the
            // reference does (field dropped with a warning)
            let waarde = match get(self.snake, eo, &["waarde"]) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    self.warn(
                        &format!("{path}.waarde"),
                        format!("{other} is not a string (VERA: energie-index as text, e.g. \"1.2\"); field ignored"),
                    );
                    None
                }
                None => None,
            };
            e.energieprestaties.push(Energieprestatie {
                soort: self.refdata(eo, &["soort"], &path).map(|r| r.0),
                status: self.refdata(eo, &["status"], &path).map(|r| r.0),
                begindatum: self.date(eo, &["begindatum"], &path),
                einddatum: self.date(eo, &["einddatum"], &path),
                label_code: label.as_ref().map(|l| l.0.clone()),
                label_naam: label.and_then(|l| l.1),
                waarde,
            });
        }
        for (i, x) in self.list(o, &["prijscomponenten"], p).iter().enumerate() {
            let path = format!("eenheid.prijscomponenten[{i}]");
            let Some(po) = x.as_object() else { continue };
            e.prijscomponenten.push(Prijscomponent {
                detail_soort: self.refdata(po, &["detailSoort"], &path).map(|r| r.0),
                begindatum: self.date(po, &["begindatum"], &path),
                einddatum: self.date(po, &["einddatum"], &path),
            });
        }
        for (i, x) in self.list(o, &["wozEenheden"], p).iter().enumerate() {
            let path = format!("eenheid.wozEenheden[{i}]");
            let Some(wo) = x.as_object() else { continue };
            e.woz_eenheden.push(WozEenheid {
                vastgestelde_waarde: self.number(wo, &["vastgesteldeWaarde"], &path),
                waardepeildatum: self.date(wo, &["waardepeildatum"], &path),
            });
        }
        // whole m² in VERA/BAG: a fraction is rejected like the reference does
        e.gebruiksoppervlakte = self.int(o, &["gebruiksoppervlakte"], p).map(|x| x as f64);
        if let Some(Value::Object(ab)) =
            get(self.snake, o, &["adresseerbaarObjectBasisregistratie"])
        {
            e.bag_gebruikers_oppervlakte = self
                .int(
                    ab,
                    &["bagGebruikersOppervlakte"],
                    "eenheid.adresseerbaarObjectBasisregistratie",
                )
                .map(|x| x as f64);
        }
        if let Some(Value::Object(adres)) = get(self.snake, o, &["adres"]) {
            e.adres = true;
            e.adres_postcode_huisnummer = get(self.snake, adres, &["postcode"]).is_some()
                && get(self.snake, adres, &["huisnummer"]).is_some();
            if let Some(Value::Object(wp)) = get(self.snake, adres, &["woonplaats"]) {
                e.woonplaats_code = self.string(wp, &["code"], "eenheid.adres.woonplaats");
            }
        }
        for (i, x) in self.list(o, &["ruimten"], p).iter().enumerate() {
            if let Some(r) = self.ruimte(x, &format!("eenheid.ruimten[{i}]")) {
                e.ruimten.push(r);
            }
        }
        Ok(e)
    }

    fn ruimte(&mut self, v: &Value, path: &str) -> Option<Ruimte> {
        let Some(o) = v.as_object() else {
            self.warn(path, "expected an object; ignored");
            return None;
        };
        let detail = self.refdata(o, &["detailSoort"], path);
        let mut r = Ruimte {
            id: self.string(o, &["id"], path),
            naam: self.string(o, &["naam"], path),
            soort: self.refdata(o, &["soort"], path).map(|r| r.0),
            detail_soort: detail.as_ref().map(|d| d.0.clone()),
            detail_soort_naam: detail.and_then(|d| d.1),
            oppervlakte: self.number(o, &["oppervlakte"], path),
            lengte: self.number(o, &["lengte"], path),
            breedte: self.number(o, &["breedte"], path),
            hoogte: self.number(o, &["hoogte"], path),
            verwarmd: self.boolean(o, &["verwarmd"], path),
            verkoeld: self.boolean(o, &["verkoeld"], path),
            gedeeld_met_aantal_adressen: self.count(
                o,
                &["gedeeldMetAantalAdressen", "gedeeldMetAantalEenheden"],
                path,
            ),
            gedeeld_met_aantal_onzelfstandige_woonruimten: self.count(
                o,
                &["gedeeldMetAantalOnzelfstandigeWoonruimten"],
                path,
            ),
            aantal: self.count(o, &["aantal"], path),
            ..Default::default()
        };
        for (i, x) in self.list(o, &["installaties"], path).iter().enumerate() {
            if let Some((c, _)) = self.refdata_value(x, &|| format!("{path}.installaties[{i}]")) {
                r.installaties.push(c);
            }
        }
        for (i, x) in self
            .list(o, &["bouwkundigeElementen"], path)
            .iter()
            .enumerate()
        {
            let ep = format!("{path}.bouwkundigeElementen[{i}]");
            let Some(eo) = x.as_object() else { continue };
            r.bouwkundige_elementen.push(Element {
                id: self.string(eo, &["id"], &ep),
                naam: self.string(eo, &["naam"], &ep),
                code: self.refdata(eo, &["detailSoort"], &ep).map(|r| r.0),
                lengte: self.number(eo, &["lengte"], &ep),
            });
        }
        for (i, x) in self.list(o, &["verbondenRuimten"], path).iter().enumerate() {
            if let Some(vr) = self.ruimte(x, &format!("{path}.verbondenRuimten[{i}]")) {
                r.verbonden_ruimten.push(vr);
            }
        }
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2026-07-01"), Some(Date::new(2026, 7, 1)));
        assert_eq!(
            Date::parse("2026-07-01T12:00:00Z"),
            Some(Date::new(2026, 7, 1))
        );
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("1-7-2026"), None);
        assert!(Date::new(2024, 7, 1) < Date::new(2025, 1, 1));
        assert_eq!(
            Date::new(2024, 2, 29).minus_years(20),
            Date::new(2004, 2, 29)
        );
        assert_eq!(
            Date::new(2024, 2, 29).minus_years(1),
            Date::new(2023, 2, 28)
        );
    }

    #[test]
    fn lenient_and_strict() {
        let j = r#"{"id":"x","bouwjaar":"19x0","ruimten":[{"id":"r1","oppervlakte":"12,5","gedeeld_met_aantal_adressen":2}]}"#;
        let (e, w) = Eenheid::from_json_str(j, false).unwrap();
        assert_eq!(e.bouwjaar, None);
        assert_eq!(e.ruimten[0].oppervlakte, None);
        assert_eq!(e.ruimten[0].gedeeld_met_aantal_adressen, Some(2));
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].field, "eenheid.bouwjaar");
        assert_eq!(w[1].field, "eenheid.ruimten[0].oppervlakte");
        assert!(w[1].message.contains("decimal point"));
        let err = Eenheid::from_json_str(j, true).unwrap_err();
        assert!(err.to_string().contains("eenheid.bouwjaar"));
    }

    #[test]
    fn rejects_other_stelsels() {
        let j = r#"{"Woningwaarderingstelsel":{"code":"WOO"}}"#;
        assert!(Eenheid::from_json_str(j, false).is_err());
    }

    #[test]
    fn many_forms() {
        let one = r#"{"id":"a"}"#;
        let arr = r#"[{"id":"a"},{"id":"b"}]"#;
        let nd = "{\"id\":\"a\"}\n{\"id\":\"b\"}\n";
        assert_eq!(parse_many(one, false).unwrap().len(), 1);
        assert_eq!(parse_many(arr, false).unwrap().len(), 2);
        assert_eq!(parse_many(nd, false).unwrap().len(), 2);
    }
}
