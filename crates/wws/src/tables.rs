//! Dated tables from `data/wws/` (embedded at compile time), chosen by peildatum.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::WwsError;
use crate::model::{Date, Stelsel};

const HUURPRIJZEN_TOML: &str = include_str!("../../../data/wws/huurprijstabellen.toml");
const PARAMETERS_TOML: &str = include_str!("../../../data/wws/parameters.toml");
const COROP_TOML: &str = include_str!("../../../data/wws/corop.toml");

fn date_of(d: &toml::value::Datetime) -> Result<Date, WwsError> {
    let dd = d
        .date
        .ok_or_else(|| WwsError::Table(format!("{d} is not a date")))?;
    Ok(Date::new(dd.year as i32, dd.month as u32, dd.day as u32))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHuurTabel {
    stelsel: String,
    geldig_vanaf: toml::value::Datetime,
    bron: String,
    volledig: bool,
    punten_vanaf: Option<i64>,
    bedragen: Option<Vec<f64>>,
    ankers: Option<Vec<(i64, f64)>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHuur {
    tabel: Vec<RawHuurTabel>,
}

/// A point → euro table valid from `geldig_vanaf`.
#[derive(Debug, Clone)]
pub struct HuurTabel {
    /// zelfstandige or onzelfstandige woonruimten
    pub stelsel: Stelsel,
    /// the first peildatum the table applies to (until the next table of its stelsel)
    pub geldig_vanaf: Date,
    /// the official publication the amounts were typed from (named in errors)
    pub bron: String,
    /// true: `rows` holds every whole point from the first; false: only anchor points are
    /// known, and points between them are an error
    pub volledig: bool,
    /// (points, euro), ascending
    pub rows: Vec<(i64, f64)>,
}

impl HuurTabel {
    /// Maximum rent for a whole number of points. Below the first row: the first row;
    /// above the last row of a complete table: linear with the last step.
    pub fn bedrag(&self, punten: f64) -> Result<f64, WwsError> {
        let p = punten.round() as i64;
        // rows ascend by one point (validated when loaded): look at the row p − first first
        if let Some(&(q, b)) = self
            .rows
            .first()
            .and_then(|r| usize::try_from(p - r.0).ok())
            .and_then(|i| self.rows.get(i))
            && q == p
        {
            return Ok(b);
        }
        if let Some(&(_, b)) = self.rows.iter().find(|r| r.0 == p) {
            return Ok(b);
        }
        let n = self.rows.len();
        let (last_p, last_b) = self.rows[n - 1];
        if p > last_p && n >= 2 && self.rows[n - 2].0 == last_p - 1 {
            let step = last_b - self.rows[n - 2].1;
            return Ok(crate::round::cents(last_b + (p - last_p) as f64 * step));
        }
        if self.volledig && p < self.rows[0].0 {
            return Ok(self.rows[0].1);
        }
        Err(WwsError::Table(format!(
            "the {} table of {} does not hold {p} points (incomplete table: {})",
            self.stelsel.code(),
            self.geldig_vanaf,
            self.bron
        )))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWozFactor {
    waardepeildatum: toml::value::Datetime,
    onderdeel_1: f64,
    onderdeel_2: f64,
    onderdeel_2_corop: f64,
}

/// The divisors of the WOZ rubriek for one WOZ waardepeildatum: points = WOZ value /
/// `onderdeel_1` + WOZ value per m² / `onderdeel_2` (euro; all positive, checked on load).
#[derive(Debug, Clone, Copy)]
pub struct WozFactor {
    /// the WOZ waardepeildatum the row is for (used for later dates until the next row)
    pub waardepeildatum: Date,
    /// euro of WOZ value per point (onderdeel I)
    pub onderdeel_1: f64,
    /// euro of WOZ value per m² per point (onderdeel II)
    pub onderdeel_2: f64,
    /// onderdeel II's divisor for small new builds (bouwjaar 2018–2022, under 40 m²) in
    /// COROP 17 (Utrecht) and 23 (Groot-Amsterdam)
    pub onderdeel_2_corop: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMinWoz {
    geldig_vanaf: toml::value::Datetime,
    waarde: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabel {
    geldig_vanaf: toml::value::Datetime,
    stelsel: String,
    epv: (f64, f64),
    labels: Vec<(String, String, String, f64, f64)>,
    bouwjaar: Vec<(i32, i32, f64, f64)>,
}

/// One energy label's points in the zelfstandige table.
#[derive(Debug, Clone)]
pub struct LabelRow {
    /// the label as written (`A++++` … `G`)
    pub label: String,
    /// energie-index range (lower exclusive, upper inclusive); None for labels without a range
    pub ei: Option<(f64, f64)>,
    /// points for an eengezinswoning (may be negative)
    pub egw: f64,
    /// points for a meergezinswoning (may be negative)
    pub mgw: f64,
}

/// The energieprestatie rubriek's points for zelfstandige woonruimten, valid from
/// `geldig_vanaf`: by label or energie-index, else by bouwjaar, per pandsoort.
#[derive(Debug, Clone)]
pub struct LabelTabel {
    /// the first peildatum the table applies to
    pub geldig_vanaf: Date,
    /// the stelsel the table is for
    pub stelsel: Stelsel,
    /// (eengezins, meergezins) points when an energieprestatievergoeding (EPV) runs on the
    /// peildatum; they replace the label's points
    pub epv: (f64, f64),
    /// one row per label
    pub labels: Vec<LabelRow>,
    /// (from, to inclusive; 0 = open), egw, mgw
    pub bouwjaar: Vec<(i32, i32, f64, f64)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabelM2 {
    geldig_vanaf: toml::value::Datetime,
    stelsel: String,
    epv_per_m2: f64,
    labels: Vec<(String, String, String, f64)>,
    bouwjaar: Vec<(i32, i32, f64)>,
}

/// ONZ: points per m² by label / energie-index / bouwjaar.
/// (label, energie-index range (exclusive, inclusive), points per m²)
pub type LabelRijM2 = (String, Option<(f64, f64)>, f64);

/// The energieprestatie rubriek for onzelfstandige woonruimten: points per m² of the
/// vertrekken, valid from `geldig_vanaf`.
#[derive(Debug, Clone)]
pub struct LabelTabelM2 {
    /// the first peildatum the table applies to
    pub geldig_vanaf: Date,
    /// the stelsel the table is for
    pub stelsel: Stelsel,
    /// points per m² when an energieprestatievergoeding (EPV) runs on the peildatum
    pub epv_per_m2: f64,
    /// label, energie-index range, points per m²
    pub labels: Vec<LabelRijM2>,
    /// (from, to inclusive; 0 = open), points per m²: used when there is no label
    pub bouwjaar: Vec<(i32, i32, f64)>,
}

/// The WOZ rubriek of onzelfstandige woonruimten (`[onz_woz]`): points by how far the
/// unit's WOZ value per m² lies from its COROP area's average.
#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct OnzWoz {
    /// the band around the average, in percent (10: −10 % … +10 % is `midden`)
    pub grens_procent: f64,
    /// points above the band
    pub hoog: f64,
    /// points within the band (bounds included)
    pub midden: f64,
    /// points below the band
    pub laag: f64,
    /// points when the unit has no relevant WOZ value
    pub geen_woz: f64,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    geldig_vanaf: toml::value::Datetime,
    sociaal_max: i64,
    midden_max: i64,
    liberalisatiegrens: Option<f64>,
}

/// The rent segments' boundaries in force from `geldig_vanaf` (Wet betaalbare huur):
/// sociaal up to `sociaal_max` points, middenhuur up to `midden_max`, vrije sector above.
/// `sociaal_max < midden_max` (checked on load).
#[derive(Debug, Clone, Copy)]
pub struct Segmentgrenzen {
    /// the first peildatum the boundaries apply to
    pub geldig_vanaf: Date,
    /// the highest whole number of points that is sociale huur (143 since 1 July 2024)
    pub sociaal_max: i64,
    /// the highest whole number of points that is middenhuur (186 since 1 July 2024)
    pub midden_max: i64,
    /// the liberalisatiegrens in euro a month, where the file gives it
    pub liberalisatiegrens: Option<f64>,
}

/// `[opslag]` of parameters.toml as written (dates still TOML dates); [`Opslag`] is the
/// validated form the rules read. Fields as in [`Opslag`].
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawOpslag {
    /// see [`Opslag::rijksmonument`]
    pub rijksmonument: f64,
    /// see [`Opslag::rijksmonument_punten_oud_contract`]
    pub rijksmonument_punten_oud_contract: f64,
    /// see [`Opslag::rijksmonument_punten_oud_contract_onz`]
    pub rijksmonument_punten_oud_contract_onz: f64,
    /// see [`Opslag::gemeentelijk_provinciaal_monument`]
    pub gemeentelijk_provinciaal_monument: f64,
    /// see [`Opslag::beschermd_gezicht`]
    pub beschermd_gezicht: f64,
    /// see [`Opslag::beschermd_gezicht_bouwjaar_voor`]
    pub beschermd_gezicht_bouwjaar_voor: i32,
    /// see [`Opslag::nieuwbouw`]
    pub nieuwbouw: f64,
    /// see [`Opslag::nieuwbouw_bouwstart_voor`]
    pub nieuwbouw_bouwstart_voor: toml::value::Datetime,
    /// see [`Opslag::nieuwbouw_in_exploitatie_na`]
    pub nieuwbouw_in_exploitatie_na: toml::value::Datetime,
    /// see [`Opslag::nieuwbouw_jaren`]
    pub nieuwbouw_jaren: i32,
    /// see [`Opslag::nieuwbouw_punten_min`]
    pub nieuwbouw_punten_min: f64,
    /// see [`Opslag::nieuwbouw_punten_max`]
    pub nieuwbouw_punten_max: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParams {
    woz_factor: Vec<RawWozFactor>,
    minimum_woz: Vec<RawMinWoz>,
    energielabel: Vec<RawLabel>,
    segment: Vec<RawSegment>,
    opslag: RawOpslag,
    woz_beleid: WozBeleid,
    rubrieken: Rubrieken,
    keuken: Keuken,
    sanitair: Sanitair,
    energielabel_per_m2: Vec<RawLabelM2>,
    onz_woz: OnzWoz,
    flat: FlatAannames,
}

/// The policy numbers of rubriek 8 (WOZ) of zelfstandige woonruimten (`[woz_beleid]` in
/// parameters.toml; the steps that use them are in `woz.rs`).
#[derive(Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WozBeleid {
    /// WOZ points are at most this percentage of the total points …
    pub cap_procent: f64,
    /// … when the total without the cap is at least this many points (the cap never
    /// brings the total below one point less)
    pub cap_vanaf_punten: f64,
    /// the new-build minimum of WOZ points …
    pub nieuwbouw_minimum: f64,
    /// … for at least this many points in rubrieken 1–7, 9, 10 and 12 …
    pub nieuwbouw_drempel: f64,
    /// … and a bouwjaar from this year …
    pub nieuwbouw_bouwjaar_van: i32,
    /// … to this year (inclusive)
    pub nieuwbouw_bouwjaar_tot: i32,
    /// euro of WOZ value that earns no points (0 in the law)
    pub vrijstelling: f64,
    /// the COROP rule: from this bouwjaar …
    pub corop_bouwjaar_van: i32,
    /// … to this one (inclusive) …
    pub corop_bouwjaar_tot: i32,
    /// … under this gebruiksoppervlakte (m²) …
    pub corop_max_m2: f64,
    /// … in these COROP areas (codes of corop.toml) at most 8
    pub corop_gebieden: CoropGebieden,
}

/// Up to eight COROP codes (`"17"`, `"23"`), held inline so that [`WozBeleid`] stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CoropGebieden {
    n: usize,
    codes: [u16; 8],
}

impl CoropGebieden {
    /// Whether `code` is one of them.
    pub fn contains(&self, code: &str) -> bool {
        code.parse::<u16>()
            .is_ok_and(|c| self.codes[..self.n].contains(&c))
    }
}

impl<'de> Deserialize<'de> for CoropGebieden {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: Vec<String> = Vec::deserialize(d)?;
        CoropGebieden::from_codes(&v).map_err(serde::de::Error::custom)
    }
}

impl CoropGebieden {
    /// From COROP codes (1–99, at most 8).
    pub fn from_codes(v: &[String]) -> Result<CoropGebieden, String> {
        if v.len() > 8 {
            return Err(format!("{} COROP areas: at most 8", v.len()));
        }
        let mut g = CoropGebieden::default();
        for s in v {
            let c: u16 = s
                .parse()
                .ok()
                .filter(|c| (1..=99).contains(c))
                .ok_or_else(|| format!("{s:?} is not a COROP code (1–99)"))?;
            g.codes[g.n] = c;
            g.n += 1;
        }
        Ok(g)
    }
}

/// Point values of the area rubrieken and the buitenruimten (`[rubrieken]` in
/// parameters.toml), zelfstandig and onzelfstandig alike.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rubrieken {
    /// rubriek 1, vertrekken: points per whole m²
    pub ovz_per_m2: f64,
    /// rubriek 2, overige ruimten: points per whole m²
    pub ooz_per_m2: f64,
    /// a zolder without a fixed stair loses at most this many points
    pub zolder_correctie_max: f64,
    /// points when a private outdoor space is present
    pub bui_aanwezig: f64,
    /// points per whole m² of private outdoor space
    pub bui_prive_per_m2: f64,
    /// points per whole m² of shared outdoor space (÷ the addresses)
    pub bui_gedeeld_per_m2: f64,
    /// at most this many buitenruimte points
    pub bui_max: f64,
    /// points without any outdoor space
    pub bui_geen: f64,
    /// rubriek 11: a zorgwoning gets this percentage of rubrieken 1–10 more
    pub bij_zorgwoning_procent: f64,
    /// an aanbelfunctie with video and audio
    pub bij_aanbelfunctie: f64,
    /// a charging point not valued in the parking rubriek (÷ the sharers)
    pub bij_laadpunt: f64,
    /// rubriek 3: points of a heated vertrek …
    pub vkv_verwarmd: f64,
    /// … with an open kitchen
    pub vkv_open_keuken: f64,
    /// points more for a cooled vertrek …
    pub vkv_verkoeld: f64,
    /// … for at most this many rooms
    pub vkv_verkoeld_max: u32,
    /// points of a heated overige or verkeersruimte …
    pub vkv_overig: f64,
    /// … for at most this many rooms
    pub vkv_overig_max: u32,
    /// rubriek 8 (parkeerruimten): points per parking place of type I (garage, PIP/PUP) …
    pub gpa_type_i: f64,
    /// … of type II (carport, PBD) …
    pub gpa_type_ii: f64,
    /// … of type III (the others)
    pub gpa_type_iii: f64,
    /// onzelfstandig: aftrekpunten when the attributed vertrek area is under this many m² …
    pub aft_grens_m2: f64,
    /// … this many points (negative)
    pub aft_punten: f64,
    /// rubriek 9 (gemeenschappelijke ruimten) of a zorgwoning: these points instead
    pub gvr_zorgwoning: f64,
}

/// Rubriek keuken (`[keuken]` in parameters.toml): the worktop's points by its length and
/// the points per extra voorziening (VERA installatie code).
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Keuken {
    /// a shorter worktop earns nothing (mm)
    pub aanrecht_min_mm: f64,
    /// from this length (mm) `aanrecht_lang` points, else `aanrecht_kort`
    pub aanrecht_lang_mm: f64,
    /// points of a worktop from `aanrecht_min_mm` up to `aanrecht_lang_mm`
    pub aanrecht_kort: f64,
    /// points of a worktop from `aanrecht_lang_mm`
    pub aanrecht_lang: f64,
    /// ONZ: a worktop longer than this (mm) …
    pub onz_aanrecht_3m_mm: f64,
    /// … earns this many points
    pub onz_aanrecht_3m: f64,
    /// ONZ: a worktop longer than this (mm), shared by at least `onz_aanrecht_5m_kamers` …
    pub onz_aanrecht_5m_mm: f64,
    /// … earns this many points
    pub onz_aanrecht_5m: f64,
    /// … rooms
    pub onz_aanrecht_5m_kamers: u32,
    /// points per extra voorziening, by VERA code
    pub extra: std::collections::BTreeMap<String, f64>,
}

impl Keuken {
    /// The points of an extra voorziening (0 for a code the table does not hold).
    pub fn extra(&self, code: &str) -> f64 {
        self.extra.get(code).copied().unwrap_or(0.0)
    }
}

/// Rubriek sanitair (`[sanitair]` in parameters.toml): points per extra voorziening.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sanitair {
    /// (hangend, staand) toilet in a toiletruimte
    pub toilet_toiletruimte: (f64, f64),
    /// (hangend, staand) toilet in a bathroom
    pub toilet_badkamer: (f64, f64),
    /// a wastafel (outside a bathroom at most one's points per room)
    pub wastafel: f64,
    /// a meerpersoonswastafel (likewise)
    pub meerpersoonswastafel: f64,
    /// (zelfstandig, onzelfstandig) bath and shower in one room
    pub bad_en_douche: (f64, f64),
    /// (zelfstandig, onzelfstandig) bath
    pub bad: (f64, f64),
    /// (zelfstandig, onzelfstandig) shower
    pub douche: (f64, f64),
    /// (zelfstandig, onzelfstandig) drempelloze inrijdouche
    pub drempelloze_inrijdouche: (f64, f64),
    /// points per extra voorziening of a bathroom, by VERA code
    pub extra: std::collections::BTreeMap<String, f64>,
}

impl Sanitair {
    /// The points of an extra voorziening (0 for a code the table does not hold).
    pub fn extra(&self, code: &str) -> f64 {
        self.extra.get(code).copied().unwrap_or(0.0)
    }
}

/// The bounds of `[keuken]` and `[sanitair]` (also a variant's), with the key named.
pub(crate) fn check_keuken_sanitair(k: &Keuken, s: &Sanitair) -> Result<(), WwsError> {
    let bad = |key: &str, v: f64, range: &str| {
        Err(WwsError::Table(format!(
            "{key} = {v}: must be within {range}"
        )))
    };
    for (key, v) in [
        ("keuken.aanrecht_min_mm", k.aanrecht_min_mm),
        ("keuken.aanrecht_lang_mm", k.aanrecht_lang_mm),
        ("keuken.onz_aanrecht_3m_mm", k.onz_aanrecht_3m_mm),
        ("keuken.onz_aanrecht_5m_mm", k.onz_aanrecht_5m_mm),
    ] {
        if !(0.0..=100_000.0).contains(&v) {
            return bad(key, v, "0..=100000 mm");
        }
    }
    for (key, v) in [
        ("keuken.aanrecht_kort", k.aanrecht_kort),
        ("keuken.aanrecht_lang", k.aanrecht_lang),
        ("keuken.onz_aanrecht_3m", k.onz_aanrecht_3m),
        ("keuken.onz_aanrecht_5m", k.onz_aanrecht_5m),
    ] {
        if !(0.0..=100.0).contains(&v) {
            return bad(key, v, "0..=100 points");
        }
    }
    if k.aanrecht_min_mm > k.aanrecht_lang_mm {
        return bad(
            "keuken.aanrecht_min_mm",
            k.aanrecht_min_mm,
            "at most keuken.aanrecht_lang_mm",
        );
    }
    if k.onz_aanrecht_5m_kamers > 1000 {
        return bad(
            "keuken.onz_aanrecht_5m_kamers",
            f64::from(k.onz_aanrecht_5m_kamers),
            "0..=1000 rooms",
        );
    }
    for (key, (a, b)) in [
        ("sanitair.toilet_toiletruimte", s.toilet_toiletruimte),
        ("sanitair.toilet_badkamer", s.toilet_badkamer),
        ("sanitair.wastafel", (s.wastafel, s.wastafel)),
        (
            "sanitair.meerpersoonswastafel",
            (s.meerpersoonswastafel, s.meerpersoonswastafel),
        ),
        ("sanitair.bad_en_douche", s.bad_en_douche),
        ("sanitair.bad", s.bad),
        ("sanitair.douche", s.douche),
        (
            "sanitair.drempelloze_inrijdouche",
            s.drempelloze_inrijdouche,
        ),
    ] {
        for v in [a, b] {
            if !(0.0..=50.0).contains(&v) {
                return bad(key, v, "0..=50 points");
            }
        }
    }
    for (t, m) in [("keuken.extra", &k.extra), ("sanitair.extra", &s.extra)] {
        for (code, v) in m {
            if !(0.0..=50.0).contains(v) {
                return bad(&format!("{t}.{code}"), *v, "0..=50 points");
            }
        }
    }
    Ok(())
}

/// Replacements of the WOZ factors from a peildatum on, whatever the WOZ waardepeildatum
/// (a policy variant's `[woz] onderdeel_1` …); `None`: the dated `[[woz_factor]]` row.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WozFactorVervanging {
    /// replaces [`WozFactor::onderdeel_1`]
    pub onderdeel_1: Option<f64>,
    /// replaces [`WozFactor::onderdeel_2`]
    pub onderdeel_2: Option<f64>,
    /// replaces [`WozFactor::onderdeel_2_corop`]
    pub onderdeel_2_corop: Option<f64>,
}

/// The undated policy numbers, as rows in force from `geldig_vanaf` (the file's numbers
/// hold for every peildatum; a policy variant adds a row from its date).
#[derive(Debug, Clone)]
pub struct Beleid {
    /// the first peildatum the row applies to (the base row: the earliest peildatum)
    pub geldig_vanaf: Date,
    /// rubriek 8 (WOZ) of zelfstandige woonruimten
    pub woz: WozBeleid,
    /// the point values of the area rubrieken and the buitenruimten
    pub rubrieken: Rubrieken,
    /// rubriek keuken: worktop and extra voorzieningen
    pub keuken: Keuken,
    /// rubriek sanitair: extra voorzieningen
    pub sanitair: Sanitair,
    /// replaced WOZ factors
    pub woz_factor: WozFactorVervanging,
    /// the price surcharges
    pub opslag: Opslag,
    /// the onzelfstandige WOZ rubriek's points
    pub onz_woz: OnzWoz,
}

/// Assumptions of the flat portfolio form (`[flat]` in parameters.toml).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FlatAannames {
    /// share (0–1) of the gebruiksoppervlakte taken as vertrekken (rubriek 1)
    pub aandeel_vertrekken: f64,
    /// share (0–1) taken as overige ruimten (rubriek 2); the rest is verkeersruimte, and the
    /// two shares together are at most 1 (checked on load)
    pub aandeel_overige: f64,
    /// length of the kitchen worktop, in millimetres
    pub aanrecht_mm: f64,
    /// VERA codes of the installations in the bathroom (`DOU`, `WAS`, …)
    pub sanitair: Vec<String>,
    /// whether there is a separate toilet room with a standing toilet
    pub apart_toilet: bool,
    /// private outdoor space (balcony) of a meergezinswoning, in m²
    pub buitenruimte_m2_mgw: f64,
    /// private outdoor space (garden) of an eengezinswoning, in m²
    pub buitenruimte_m2_egw: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorop {
    bron: String,
    /// COROP code → BAG woonplaatscodes
    gebied: Vec<RawCoropGebied>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoropGebied {
    code: String,
    naam: String,
    #[serde(default)]
    gemiddelde_woz_per_m2: Vec<(i32, f64)>,
    woonplaatsen: Vec<u32>,
}

/// Price surcharges (prijsopslagen) on the maximum rent, as fractions (0.35 = +35 %), and
/// the conditions of the nieuwbouwopslag.
#[derive(Debug, Clone)]
pub struct Opslag {
    /// rijksmonument, tenancy agreed from 1 July 2024 on
    pub rijksmonument: f64,
    /// points (not a fraction) for a rijksmonument with an older tenancy, zelfstandig
    pub rijksmonument_punten_oud_contract: f64,
    /// the same for onzelfstandige woonruimten
    pub rijksmonument_punten_oud_contract_onz: f64,
    /// gemeentelijk or provinciaal monument
    pub gemeentelijk_provinciaal_monument: f64,
    /// rijksbeschermd stads- of dorpsgezicht (not also a monument)
    pub beschermd_gezicht: f64,
    /// the stads- of dorpsgezicht surcharge applies to a bouwjaar before this year
    pub beschermd_gezicht_bouwjaar_voor: i32,
    /// nieuwbouwopslag
    pub nieuwbouw: f64,
    /// nieuwbouw: the building must have started before this date
    pub nieuwbouw_bouwstart_voor: Date,
    /// nieuwbouw: the dwelling must have been taken into use after this date
    pub nieuwbouw_in_exploitatie_na: Date,
    /// nieuwbouw: for this many years after it was taken into use
    pub nieuwbouw_jaren: i32,
    /// nieuwbouw: only for a total from this many points …
    pub nieuwbouw_punten_min: f64,
    /// … up to this many points (inclusive; the middenhuur range)
    pub nieuwbouw_punten_max: f64,
}

/// All tables, validated.
#[derive(Debug, Clone)]
pub struct Tables {
    /// the rent tables, sorted by stelsel, then `geldig_vanaf`
    pub huur: Vec<HuurTabel>,
    /// the WOZ factors, sorted by waardepeildatum
    pub woz_factoren: Vec<WozFactor>,
    /// (geldig_vanaf, euro): the statutory minimum WOZ value, sorted by date
    pub minimum_woz: Vec<(Date, f64)>,
    /// the zelfstandige energieprestatie tables, sorted by `geldig_vanaf`
    pub labels: Vec<LabelTabel>,
    /// the segment boundaries, sorted by `geldig_vanaf`
    pub segmenten: Vec<Segmentgrenzen>,
    /// the policy numbers without a date of their own ([`Tables::beleid`]), sorted by
    /// `geldig_vanaf`; the first row holds for every earlier peildatum too
    pub beleid: Vec<Beleid>,
    /// the source of the woonplaats → COROP table
    pub corop_bron: String,
    /// (woonplaatscode, corop code, corop naam), sorted by woonplaatscode
    pub corop: Vec<(u32, String, String)>,
    /// COROP code → [(year, average WOZ value per m²)]
    pub corop_woz_per_m2: Vec<(String, Vec<(i32, f64)>)>,
    /// the onzelfstandige energieprestatie tables (per m²), sorted by `geldig_vanaf`
    pub labels_m2: Vec<LabelTabelM2>,
    /// the assumptions of the flat portfolio form
    pub flat: FlatAannames,
}

fn stelsel_of(s: &str) -> Result<Stelsel, WwsError> {
    match s {
        "ZEL" => Ok(Stelsel::Zelfstandig),
        "ONZ" => Ok(Stelsel::Onzelfstandig),
        o => Err(WwsError::Table(format!("unknown stelsel {o:?}"))),
    }
}

fn bound(s: &str) -> Result<f64, WwsError> {
    match s {
        "-inf" => Ok(f64::NEG_INFINITY),
        "inf" => Ok(f64::INFINITY),
        x => x
            .parse()
            .map_err(|_| WwsError::Table(format!("bad energie-index bound {x:?}"))),
    }
}

/// The bounds of `[rubrieken]` (also a variant's), with the key named.
pub(crate) fn check_rubrieken(r: &Rubrieken) -> Result<(), WwsError> {
    for (k, v, lo, hi) in [
        ("ovz_per_m2", r.ovz_per_m2, 0.0, 10.0),
        ("ooz_per_m2", r.ooz_per_m2, 0.0, 10.0),
        ("zolder_correctie_max", r.zolder_correctie_max, 0.0, 100.0),
        ("bui_aanwezig", r.bui_aanwezig, 0.0, 100.0),
        ("bui_prive_per_m2", r.bui_prive_per_m2, 0.0, 10.0),
        ("bui_gedeeld_per_m2", r.bui_gedeeld_per_m2, 0.0, 10.0),
        ("bui_max", r.bui_max, 0.0, 200.0),
        ("bui_geen", r.bui_geen, -100.0, 0.0),
        (
            "bij_zorgwoning_procent",
            r.bij_zorgwoning_procent,
            0.0,
            200.0,
        ),
        ("bij_aanbelfunctie", r.bij_aanbelfunctie, 0.0, 100.0),
        ("bij_laadpunt", r.bij_laadpunt, 0.0, 100.0),
        ("vkv_verwarmd", r.vkv_verwarmd, 0.0, 100.0),
        ("vkv_open_keuken", r.vkv_open_keuken, 0.0, 100.0),
        ("vkv_verkoeld", r.vkv_verkoeld, 0.0, 100.0),
        (
            "vkv_verkoeld_max",
            f64::from(r.vkv_verkoeld_max),
            0.0,
            1000.0,
        ),
        ("vkv_overig", r.vkv_overig, 0.0, 100.0),
        ("vkv_overig_max", f64::from(r.vkv_overig_max), 0.0, 1000.0),
        ("gpa_type_i", r.gpa_type_i, 0.0, 100.0),
        ("gpa_type_ii", r.gpa_type_ii, 0.0, 100.0),
        ("gpa_type_iii", r.gpa_type_iii, 0.0, 100.0),
        ("aft_grens_m2", r.aft_grens_m2, 0.0, 1000.0),
        ("aft_punten", r.aft_punten, -100.0, 0.0),
        ("gvr_zorgwoning", r.gvr_zorgwoning, 0.0, 100.0),
    ] {
        if !(lo..=hi).contains(&v) {
            return Err(WwsError::Table(format!(
                "rubrieken.{k} = {v}: must be within {lo}..={hi}"
            )));
        }
    }
    Ok(())
}

/// The bounds of `[woz_beleid]` (also a variant's `[woz]`), with the key named.
pub(crate) fn check_woz_beleid(b: &WozBeleid) -> Result<(), WwsError> {
    let bad = |k: &str, v: String, range: &str| {
        Err(WwsError::Table(format!(
            "woz_beleid.{k} = {v}: must be within {range}"
        )))
    };
    if !(1.0..=99.0).contains(&b.cap_procent) {
        return bad("cap_procent", b.cap_procent.to_string(), "1..=99 (percent)");
    }
    if !(1.0..=1000.0).contains(&b.cap_vanaf_punten) || b.cap_vanaf_punten.fract() != 0.0 {
        return bad(
            "cap_vanaf_punten",
            b.cap_vanaf_punten.to_string(),
            "1..=1000 whole points",
        );
    }
    if !(0.0..=200.0).contains(&b.nieuwbouw_minimum) {
        return bad(
            "nieuwbouw_minimum",
            b.nieuwbouw_minimum.to_string(),
            "0..=200 points",
        );
    }
    if !(0.0..=1000.0).contains(&b.nieuwbouw_drempel) {
        return bad(
            "nieuwbouw_drempel",
            b.nieuwbouw_drempel.to_string(),
            "0..=1000 points",
        );
    }
    for (k, v) in [
        ("nieuwbouw_bouwjaar_van", b.nieuwbouw_bouwjaar_van),
        ("nieuwbouw_bouwjaar_tot", b.nieuwbouw_bouwjaar_tot),
    ] {
        if !(1000..=2200).contains(&v) {
            return bad(k, v.to_string(), "1000..=2200");
        }
    }
    if b.nieuwbouw_bouwjaar_van > b.nieuwbouw_bouwjaar_tot {
        return bad(
            "nieuwbouw_bouwjaar_van",
            b.nieuwbouw_bouwjaar_van.to_string(),
            "at most nieuwbouw_bouwjaar_tot",
        );
    }
    for (k, v) in [
        ("corop_bouwjaar_van", b.corop_bouwjaar_van),
        ("corop_bouwjaar_tot", b.corop_bouwjaar_tot),
    ] {
        if !(1000..=2200).contains(&v) {
            return bad(k, v.to_string(), "1000..=2200");
        }
    }
    if !(0.0..=1000.0).contains(&b.corop_max_m2) {
        return bad("corop_max_m2", b.corop_max_m2.to_string(), "0..=1000 m²");
    }
    if !(0.0..=10_000_000.0).contains(&b.vrijstelling) {
        return bad(
            "vrijstelling",
            b.vrijstelling.to_string(),
            "0..=10000000 euro",
        );
    }
    Ok(())
}

impl Tables {
    /// The tables embedded from `data/wws/` (parsed once).
    pub fn embedded() -> &'static Tables {
        static T: OnceLock<Tables> = OnceLock::new();
        T.get_or_init(|| {
            Tables::parse(HUURPRIJZEN_TOML, PARAMETERS_TOML, COROP_TOML)
                .unwrap_or_else(|e| panic!("data/wws tables are invalid: {e}"))
        })
    }

    /// Parses and validates the three table files.
    pub fn parse(huur: &str, params: &str, corop: &str) -> Result<Tables, WwsError> {
        let raw: RawHuur = toml::from_str(huur)
            .map_err(|e| WwsError::Table(format!("huurprijstabellen.toml: {e}")))?;
        let mut tabellen = Vec::new();
        for t in raw.tabel {
            let stelsel = stelsel_of(&t.stelsel)?;
            let geldig_vanaf = date_of(&t.geldig_vanaf)?;
            let rows: Vec<(i64, f64)> = if t.volledig {
                let (Some(start), Some(b)) = (t.punten_vanaf, t.bedragen) else {
                    return Err(WwsError::Table(format!(
                        "{} table {geldig_vanaf}: a complete table needs punten_vanaf and bedragen",
                        t.stelsel
                    )));
                };
                b.into_iter()
                    .enumerate()
                    .map(|(i, x)| (start + i as i64, x))
                    .collect()
            } else {
                t.ankers.ok_or_else(|| {
                    WwsError::Table(format!(
                        "{} table {geldig_vanaf}: an incomplete table needs ankers",
                        t.stelsel
                    ))
                })?
            };
            if rows.is_empty() {
                return Err(WwsError::Table(format!(
                    "{} table {geldig_vanaf} is empty",
                    t.stelsel
                )));
            }
            for w in rows.windows(2) {
                if w[1].0 <= w[0].0 || w[1].1 < w[0].1 {
                    return Err(WwsError::Table(format!(
                        "{} table {geldig_vanaf}: rows must ascend ({:?} then {:?})",
                        t.stelsel, w[0], w[1]
                    )));
                }
            }
            if rows
                .iter()
                .any(|r| r.1 < 0.0 || ((r.1 * 100.0).round() - r.1 * 100.0).abs() > 1e-6)
            {
                return Err(WwsError::Table(format!(
                    "{} table {geldig_vanaf}: amounts must be non-negative whole cents",
                    t.stelsel
                )));
            }
            tabellen.push(HuurTabel {
                stelsel,
                geldig_vanaf,
                bron: t.bron,
                volledig: t.volledig,
                rows,
            });
        }
        tabellen.sort_by_key(|t| (t.stelsel.code(), t.geldig_vanaf));

        let p: RawParams =
            toml::from_str(params).map_err(|e| WwsError::Table(format!("parameters.toml: {e}")))?;
        let mut woz_factoren = p
            .woz_factor
            .iter()
            .map(|w| {
                Ok(WozFactor {
                    waardepeildatum: date_of(&w.waardepeildatum)?,
                    onderdeel_1: w.onderdeel_1,
                    onderdeel_2: w.onderdeel_2,
                    onderdeel_2_corop: w.onderdeel_2_corop,
                })
            })
            .collect::<Result<Vec<_>, WwsError>>()?;
        woz_factoren.sort_by_key(|w| w.waardepeildatum);
        if woz_factoren
            .iter()
            .any(|w| w.onderdeel_1 <= 0.0 || w.onderdeel_2 <= 0.0 || w.onderdeel_2_corop <= 0.0)
        {
            return Err(WwsError::Table("WOZ factors must be positive".into()));
        }
        let mut minimum_woz = p
            .minimum_woz
            .iter()
            .map(|m| Ok((date_of(&m.geldig_vanaf)?, m.waarde)))
            .collect::<Result<Vec<_>, WwsError>>()?;
        minimum_woz.sort_by_key(|m| m.0);
        let mut labels = Vec::new();
        for l in p.energielabel {
            let mut rows = Vec::new();
            for (label, lo, hi, egw, mgw) in l.labels {
                let ei = if lo.is_empty() && hi.is_empty() {
                    None
                } else {
                    Some((bound(&lo)?, bound(&hi)?))
                };
                rows.push(LabelRow {
                    label,
                    ei,
                    egw,
                    mgw,
                });
            }
            labels.push(LabelTabel {
                geldig_vanaf: date_of(&l.geldig_vanaf)?,
                stelsel: stelsel_of(&l.stelsel)?,
                epv: l.epv,
                labels: rows,
                bouwjaar: l.bouwjaar,
            });
        }
        labels.sort_by_key(|l| l.geldig_vanaf);
        let mut segmenten = p
            .segment
            .iter()
            .map(|s| {
                if s.sociaal_max >= s.midden_max {
                    return Err(WwsError::Table(
                        "segment: sociaal_max must be < midden_max".into(),
                    ));
                }
                Ok(Segmentgrenzen {
                    geldig_vanaf: date_of(&s.geldig_vanaf)?,
                    sociaal_max: s.sociaal_max,
                    midden_max: s.midden_max,
                    liberalisatiegrens: s.liberalisatiegrens,
                })
            })
            .collect::<Result<Vec<_>, WwsError>>()?;
        segmenten.sort_by_key(|s| s.geldig_vanaf);
        let o = p.opslag;
        let opslag = Opslag {
            rijksmonument: o.rijksmonument,
            rijksmonument_punten_oud_contract: o.rijksmonument_punten_oud_contract,
            rijksmonument_punten_oud_contract_onz: o.rijksmonument_punten_oud_contract_onz,
            gemeentelijk_provinciaal_monument: o.gemeentelijk_provinciaal_monument,
            beschermd_gezicht: o.beschermd_gezicht,
            beschermd_gezicht_bouwjaar_voor: o.beschermd_gezicht_bouwjaar_voor,
            nieuwbouw: o.nieuwbouw,
            nieuwbouw_bouwstart_voor: date_of(&o.nieuwbouw_bouwstart_voor)?,
            nieuwbouw_in_exploitatie_na: date_of(&o.nieuwbouw_in_exploitatie_na)?,
            nieuwbouw_jaren: o.nieuwbouw_jaren,
            nieuwbouw_punten_min: o.nieuwbouw_punten_min,
            nieuwbouw_punten_max: o.nieuwbouw_punten_max,
        };

        let c: RawCorop =
            toml::from_str(corop).map_err(|e| WwsError::Table(format!("corop.toml: {e}")))?;
        let mut corop_rows = Vec::new();
        let mut corop_woz_per_m2 = Vec::new();
        for g in c.gebied {
            if !g.gemiddelde_woz_per_m2.is_empty() {
                if g.gemiddelde_woz_per_m2.iter().any(|x| x.1 <= 0.0) {
                    return Err(WwsError::Table(format!(
                        "corop.toml: COROP {} has a non-positive WOZ value per m²",
                        g.code
                    )));
                }
                corop_woz_per_m2.push((g.code.clone(), g.gemiddelde_woz_per_m2.clone()));
            }
            for w in g.woonplaatsen {
                corop_rows.push((w, g.code.clone(), g.naam.clone()));
            }
        }
        corop_rows.sort_by_key(|r| r.0);
        if corop_rows.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(WwsError::Table(
                "corop.toml: a woonplaats is in two COROP areas".into(),
            ));
        }

        let mut labels_m2 = Vec::new();
        for l in p.energielabel_per_m2 {
            let mut rows = Vec::new();
            for (label, lo, hi, pts) in l.labels {
                let ei = if lo.is_empty() && hi.is_empty() {
                    None
                } else {
                    Some((bound(&lo)?, bound(&hi)?))
                };
                rows.push((label, ei, pts));
            }
            labels_m2.push(LabelTabelM2 {
                geldig_vanaf: date_of(&l.geldig_vanaf)?,
                stelsel: stelsel_of(&l.stelsel)?,
                epv_per_m2: l.epv_per_m2,
                labels: rows,
                bouwjaar: l.bouwjaar,
            });
        }
        labels_m2.sort_by_key(|l| l.geldig_vanaf);

        check_woz_beleid(&p.woz_beleid)?;
        Ok(Tables {
            corop_woz_per_m2,
            labels_m2,
            beleid: vec![Beleid {
                geldig_vanaf: Date::new(1900, 1, 1),
                woz: p.woz_beleid,
                rubrieken: {
                    check_rubrieken(&p.rubrieken)?;
                    p.rubrieken
                },
                keuken: {
                    check_keuken_sanitair(&p.keuken, &p.sanitair)?;
                    p.keuken
                },
                sanitair: p.sanitair,
                woz_factor: WozFactorVervanging::default(),
                opslag,
                onz_woz: p.onz_woz,
            }],
            flat: {
                let f = p.flat;
                if !(0.0..=1.0).contains(&(f.aandeel_vertrekken + f.aandeel_overige)) {
                    return Err(WwsError::Table(
                        "[flat]: aandeel_vertrekken + aandeel_overige must be within 0..1".into(),
                    ));
                }
                f
            },
            huur: tabellen,
            woz_factoren,
            minimum_woz,
            labels,
            segmenten,
            corop_bron: c.bron,
            corop: corop_rows,
        })
    }

    /// The rent table in force at `peildatum`.
    pub fn huurtabel(&self, stelsel: Stelsel, peildatum: Date) -> Result<&HuurTabel, WwsError> {
        self.huur
            .iter()
            .filter(|t| t.stelsel == stelsel && t.geldig_vanaf <= peildatum)
            .max_by_key(|t| t.geldig_vanaf)
            .ok_or_else(|| {
                WwsError::Table(format!(
                    "no {} rent table for peildatum {peildatum}",
                    stelsel.code()
                ))
            })
    }

    /// WOZ factors for a WOZ waardepeildatum (latest row not after it).
    pub fn woz_factor(&self, waardepeildatum: Date) -> Option<WozFactor> {
        self.woz_factoren
            .iter()
            .rev()
            .find(|w| w.waardepeildatum <= waardepeildatum)
            .copied()
    }

    /// The WOZ factors for a WOZ waardepeildatum (as [`Tables::woz_factor`]) with the
    /// replacements in force at `peildatum` ([`Beleid::woz_factor`]).
    pub fn woz_factor_op(&self, waardepeildatum: Date, peildatum: Date) -> Option<WozFactor> {
        let mut f = self.woz_factor(waardepeildatum)?;
        let v = self.beleid(peildatum).woz_factor;
        f.onderdeel_1 = v.onderdeel_1.unwrap_or(f.onderdeel_1);
        f.onderdeel_2 = v.onderdeel_2.unwrap_or(f.onderdeel_2);
        f.onderdeel_2_corop = v.onderdeel_2_corop.unwrap_or(f.onderdeel_2_corop);
        Some(f)
    }

    /// The policy numbers in force at `peildatum` (the first row before its date).
    pub fn beleid(&self, peildatum: Date) -> &Beleid {
        self.beleid
            .iter()
            .rev()
            .find(|b| b.geldig_vanaf <= peildatum)
            .unwrap_or(&self.beleid[0])
    }

    /// Statutory minimum WOZ value at `peildatum` with its date.
    pub fn minimum_woz(&self, peildatum: Date) -> Option<(Date, f64)> {
        self.minimum_woz
            .iter()
            .rev()
            .find(|m| m.0 <= peildatum)
            .copied()
    }

    /// The zelfstandige energieprestatie table in force at `peildatum` (`None` before the
    /// first).
    pub fn labeltabel(&self, stelsel: Stelsel, peildatum: Date) -> Option<&LabelTabel> {
        self.labels
            .iter()
            .filter(|l| l.stelsel == stelsel && l.geldig_vanaf <= peildatum)
            .max_by_key(|l| l.geldig_vanaf)
    }

    /// The per-m² energieprestatie table in force at `peildatum` (`None` before the first).
    pub fn labeltabel_m2(&self, stelsel: Stelsel, peildatum: Date) -> Option<&LabelTabelM2> {
        self.labels_m2
            .iter()
            .filter(|l| l.stelsel == stelsel && l.geldig_vanaf <= peildatum)
            .max_by_key(|l| l.geldig_vanaf)
    }

    /// Average WOZ value per m² of a COROP area for the year of the WOZ waardepeildatum.
    pub fn corop_woz_per_m2(&self, corop: &str, jaar: i32) -> Option<f64> {
        self.corop_woz_per_m2
            .iter()
            .find(|c| c.0 == corop)?
            .1
            .iter()
            .find(|x| x.0 == jaar)
            .map(|x| x.1)
    }

    /// The segment boundaries in force at `peildatum` (`None` before the first).
    pub fn segmentgrenzen(&self, peildatum: Date) -> Option<Segmentgrenzen> {
        self.segmenten
            .iter()
            .rev()
            .find(|s| s.geldig_vanaf <= peildatum)
            .copied()
    }

    /// COROP area (code, name) of a BAG woonplaatscode.
    pub fn corop(&self, woonplaatscode: &str) -> Option<(&str, &str)> {
        let code: u32 = woonplaatscode.trim().parse().ok()?;
        let i = self.corop.binary_search_by_key(&code, |r| r.0).ok()?;
        Some((&self.corop[i].1, &self.corop[i].2))
    }
}

/// Rent segment under the Wet betaalbare huur.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// sociale huur: at most `sociaal_max` points
    Sociaal,
    /// middenhuur: above `sociaal_max`, at most `midden_max` points
    Middenhuur,
    /// vrije sector: above `midden_max` points
    VrijeSector,
}

impl Segment {
    /// The segment of a total of points (rounded to a whole number first) under `grenzen`.
    pub fn of(punten: f64, grenzen: &Segmentgrenzen) -> Segment {
        let p = punten.round() as i64;
        if p <= grenzen.sociaal_max {
            Segment::Sociaal
        } else if p <= grenzen.midden_max {
            Segment::Middenhuur
        } else {
            Segment::VrijeSector
        }
    }
    /// The segment's Dutch name as shown to users (`sociale huur`, `middenhuur`,
    /// `vrije sector`).
    pub fn naam(self) -> &'static str {
        match self {
            Segment::Sociaal => "sociale huur",
            Segment::Middenhuur => "middenhuur",
            Segment::VrijeSector => "vrije sector",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> &'static Tables {
        Tables::embedded()
    }

    #[test]
    fn embedded_tables_validate() {
        let t = t();
        assert!(
            t.huur
                .iter()
                .any(|h| h.volledig && h.stelsel == Stelsel::Zelfstandig)
        );
        assert!(
            t.huur
                .iter()
                .any(|h| h.volledig && h.stelsel == Stelsel::Onzelfstandig)
        );
        assert!(!t.woz_factoren.is_empty());
        assert!(!t.corop.is_empty());
    }

    #[test]
    fn max_rent_jul_2024_domain_11_1_and_2() {
        let h = t()
            .huurtabel(Stelsel::Zelfstandig, Date::new(2024, 7, 1))
            .unwrap();
        assert_eq!(h.bedrag(143.0).unwrap(), 879.58);
        assert_eq!(h.bedrag(144.0).unwrap(), 886.07);
        assert_eq!(h.bedrag(186.0).unwrap(), 1157.95);
        assert_eq!(h.bedrag(249.0).unwrap(), 1565.73);
        assert_eq!(h.bedrag(250.0).unwrap(), 1572.20);
        // docs/domain.md §11 item 2: 255 points → 1,572.20 + 5 × 6.47
        assert_eq!(h.bedrag(255.0).unwrap(), 1604.55);
        // between the anchors: the full table (woningwaardering 2.0.6's amounts)
        assert_eq!(h.bedrag(120.0).unwrap(), 730.69);
        assert_eq!(h.bedrag(40.0).unwrap(), 235.96);
    }

    #[test]
    fn max_rent_jan_2026_domain_11_3() {
        let h = t()
            .huurtabel(Stelsel::Zelfstandig, Date::new(2026, 3, 1))
            .unwrap();
        assert_eq!(h.bedrag(40.0).unwrap(), 250.26);
        assert_eq!(h.bedrag(110.0).unwrap(), 706.32);
        assert_eq!(h.bedrag(143.0).unwrap(), 932.93);
        assert_eq!(h.bedrag(144.0).unwrap(), 939.73);
        assert_eq!(h.bedrag(186.0).unwrap(), 1228.07);
        assert_eq!(h.bedrag(10.0).unwrap(), 250.26);
        // linear above 250
        let step = h.bedrag(250.0).unwrap() - h.bedrag(249.0).unwrap();
        assert!(
            (h.bedrag(260.0).unwrap() - (h.bedrag(250.0).unwrap() + 10.0 * step)).abs() < 0.006
        );
    }

    #[test]
    fn ceiling_2025_domain_11_4() {
        let h = t()
            .huurtabel(Stelsel::Zelfstandig, Date::new(2025, 6, 1))
            .unwrap();
        assert_eq!(h.bedrag(186.0).unwrap(), 1184.82);
        let s = t().segmentgrenzen(Date::new(2025, 6, 1)).unwrap();
        assert_eq!(s.liberalisatiegrens, Some(900.07));
        // the full 2025 table (woningwaardering 4.0.0's amounts): the liberalisatiegrens is
        // the amount of 143 points, as in every year of the Wet betaalbare huur
        assert_eq!(h.bedrag(143.0).unwrap(), 900.07);
        assert_eq!(h.bedrag(40.0).unwrap(), 241.44);
        assert_eq!(h.bedrag(120.0).unwrap(), 747.65);
        assert_eq!(h.bedrag(250.0).unwrap(), 1608.68);
        let onz = t()
            .huurtabel(Stelsel::Onzelfstandig, Date::new(2025, 6, 1))
            .unwrap();
        assert!(onz.volledig);
        assert!(onz.bedrag(100.0).is_ok());
    }

    #[test]
    fn segments_domain_11_5() {
        let g = t().segmentgrenzen(Date::new(2026, 7, 1)).unwrap();
        assert_eq!(Segment::of(143.0, &g), Segment::Sociaal);
        assert_eq!(Segment::of(144.0, &g), Segment::Middenhuur);
        assert_eq!(Segment::of(186.0, &g), Segment::Middenhuur);
        assert_eq!(Segment::of(187.0, &g), Segment::VrijeSector);
    }

    #[test]
    fn woz_factor_by_waardepeildatum() {
        let w = t().woz_factor(Date::new(2024, 1, 1)).unwrap();
        assert_eq!(
            (w.onderdeel_1, w.onderdeel_2, w.onderdeel_2_corop),
            (15329.0, 242.0, 103.0)
        );
        let w = t().woz_factor(Date::new(2023, 1, 1)).unwrap();
        assert_eq!(
            (w.onderdeel_1, w.onderdeel_2, w.onderdeel_2_corop),
            (14543.0, 229.0, 97.0)
        );
        assert_eq!(t().minimum_woz(Date::new(2026, 7, 1)).unwrap().1, 85806.0);
    }

    #[test]
    fn corop_lookup() {
        assert_eq!(t().corop("3594").map(|c| c.0), Some("23"));
        assert_eq!(t().corop("3295").map(|c| c.0), Some("17"));
        assert_eq!(t().corop("abc"), None);
    }

    #[test]
    fn invalid_tables_are_rejected() {
        let bad = "[[tabel]]\nstelsel = \"ZEL\"\ngeldig_vanaf = 2026-01-01\nbron = \"x\"\nvolledig = true\npunten_vanaf = 40\nbedragen = [10.0, 9.0]\n";
        assert!(Tables::parse(bad, PARAMETERS_TOML, COROP_TOML).is_err());
        let bad2 = "[[tabel]]\nstelsel = \"XYZ\"\ngeldig_vanaf = 2026-01-01\nbron = \"x\"\nvolledig = false\nankers = [[1, 1.0]]\n";
        assert!(Tables::parse(bad2, PARAMETERS_TOML, COROP_TOML).is_err());
    }

    /// The 2026 ZEL table against the Huurcommissie's publication ("Maximale
    /// huurprijsgrenzen zelfstandige woningen per 1 januari 2026", beleidsboek WWS
    /// zelfstandige woonruimte, bijlage 3, huurcommissie.nl): 39 points read from the page,
    /// across the whole range (40–79, 110–148, 180–218).
    #[test]
    fn zel_2026_table_matches_the_huurcommissie_publication() {
        let published: [(f64, f64); 39] = [
            (40.0, 250.26),
            (41.0, 256.53),
            (42.0, 262.75),
            (43.0, 269.02),
            (44.0, 275.27),
            (45.0, 281.50),
            (46.0, 287.78),
            (47.0, 294.03),
            (48.0, 300.29),
            (49.0, 306.54),
            (50.0, 312.80),
            (55.0, 344.05),
            (60.0, 375.32),
            (65.0, 406.58),
            (70.0, 437.81),
            (75.0, 469.09),
            (79.0, 494.10),
            (110.0, 706.32),
            (115.0, 740.66),
            (120.0, 774.94),
            (125.0, 809.30),
            (130.0, 843.62),
            (135.0, 877.97),
            (140.0, 912.26),
            (143.0, 932.93),
            (144.0, 939.73),
            (145.0, 946.61),
            (148.0, 967.18),
            (180.0, 1186.84),
            (183.0, 1207.46),
            (186.0, 1228.07),
            (187.0, 1234.92),
            (190.0, 1255.53),
            (195.0, 1289.86),
            (200.0, 1324.18),
            (205.0, 1358.50),
            (210.0, 1392.84),
            (215.0, 1427.15),
            (218.0, 1447.71),
        ];
        let tabel = t()
            .huurtabel(Stelsel::Zelfstandig, Date::new(2026, 1, 1))
            .unwrap();
        for (p, euro) in published {
            assert_eq!(tabel.bedrag(p).unwrap(), euro, "{p} points");
        }
    }
}
