//! Policy variants: "what if the rules were different?" A variant is a TOML file that
//! overrides dated parameters of `data/wws/` from a date on (`data/wws/varianten/` holds
//! examples from the public debate; `data/wws/README.md` the schema). Applied to the tables
//! ([`Variant::apply`]) it gives a [`Tables`] to value with ([`crate::Options::tabellen`]);
//! every rule reads its numbers from there, on the full path and the points-only kern alike.
//!
//! ```toml
//! [variant]
//! naam = "WOZ-cap 25 %"
//! omschrijving = "WOZ-punten maximaal 25 % van het totaal vanaf 187 punten"
//! geldig_vanaf = 2026-01-01
//!
//! [woz]
//! cap_procent = 25
//! ```
//!
//! Sections and keys (every key optional; a key that does not exist is an error naming it,
//! a number outside its range an error naming the file, line and key):
//!
//! | section | keys |
//! |---|---|
//! | `[woz]` | `cap_procent` (1–99), `cap_vanaf_punten` (1–1000), `nieuwbouw_minimum` (0–200), `nieuwbouw_drempel` (0–1000), `nieuwbouw_bouwjaar_van`/`_tot` (1000–2200), `vrijstelling` (0–10,000,000 euro), `onderdeel_1`, `onderdeel_2`, `onderdeel_2_corop` (1–10,000,000 euro), `minimum_waarde` (0–10,000,000 euro), `corop_bouwjaar_van`/`_tot` (1000–2200), `corop_max_m2` (0–1000), `corop_gebieden` (COROP codes, at most 8) |
//! | `[rubrieken]` | `ovz_per_m2`, `ooz_per_m2`, `bui_prive_per_m2`, `bui_gedeeld_per_m2` (0–10), `zolder_correctie_max`, `bui_aanwezig`, `bij_aanbelfunctie`, `bij_laadpunt`, `vkv_verwarmd`, `vkv_open_keuken`, `vkv_verkoeld`, `vkv_overig` (0–100), `bui_max` (0–200), `bui_geen` (−100–0), `bij_zorgwoning_procent` (0–200), `vkv_verkoeld_max`, `vkv_overig_max` (0–1000 rooms), `gpa_type_i`, `gpa_type_ii`, `gpa_type_iii` (0–100 per parking place), `aft_grens_m2` (0–1000), `aft_punten` (−100–0), `gvr_zorgwoning` (0–100) |
//! | `[keuken]` | `aanrecht_min_mm`, `aanrecht_lang_mm`, `onz_aanrecht_3m_mm`, `onz_aanrecht_5m_mm` (0–100,000 mm), `aanrecht_kort`, `aanrecht_lang`, `onz_aanrecht_3m`, `onz_aanrecht_5m` (0–100), `onz_aanrecht_5m_kamers` (0–1000); `[keuken.extra]` and `[sanitair.extra]`: `CODE = points` (0–50) for the codes of parameters.toml |
//! | `[sanitair]` | `wastafel`, `meerpersoonswastafel` (0–50), `toilet_toiletruimte`, `toilet_badkamer` (`[hangend, staand]`), `bad_en_douche`, `bad`, `douche`, `drempelloze_inrijdouche` (`[zelfstandig, onzelfstandig]`, 0–50) |
//! | `[energielabel]` (ZEL) | `epv = [egw, mgw]`, `punten = { "A" = [egw, mgw], … }` (−100–200), `bouwjaar` rows as in parameters.toml |
//! | `[energielabel_per_m2]` (ONZ) | `epv_per_m2`, `punten = { "A" = x, … }` (−10–10 per m²) |
//! | `[segment]` | `sociaal_max`, `midden_max` (1–1000 points, sociaal < midden), `liberalisatiegrens` (0–10,000 euro) |
//! | `[opslag]` | any key of `[opslag]` in parameters.toml (fractions 0–2, points 0–200, years 0–100) |
//! | `[onz_woz]` | `grens_procent` (0–100), `hoog`, `midden`, `laag`, `geen_woz` (−100–100) |
//! | `[huurprijstabel]` | `bevroren_op` (a date: the tables in force then), `indexatie` (−0.5–0.5: amounts × (1 + x), to the cent), `stelsels` (`["ZEL", "ONZ"]`, default both) |
//!
//! Semantics: from `geldig_vanaf` on, each key given holds in every table in force on or
//! after that date (the row in force on the date is copied to the date, then the key is
//! set in it and in every later row); keys not given keep the dated values of `data/wws/`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::WwsError;
use crate::model::{Date, Stelsel};
use crate::round::cents;
use crate::tables::{HuurTabel, Tables};

/// The policy variants shipped in `data/wws/varianten/`: (file name, text).
pub const MEEGELEVERD: [(&str, &str); 5] = [
    (
        "woz-cap-25.toml",
        include_str!("../../../data/wws/varianten/woz-cap-25.toml"),
    ),
    (
        "woz-cap-vanaf-144.toml",
        include_str!("../../../data/wws/varianten/woz-cap-vanaf-144.toml"),
    ),
    (
        "woz-vrijstelling.toml",
        include_str!("../../../data/wws/varianten/woz-vrijstelling.toml"),
    ),
    (
        "label-a-plafond.toml",
        include_str!("../../../data/wws/varianten/label-a-plafond.toml"),
    ),
    (
        "huurtabel-bevroren.toml",
        include_str!("../../../data/wws/varianten/huurtabel-bevroren.toml"),
    ),
];

type Num = Option<Spanned<f64>>;
/// `[van, tot, egw, mgw]` rows of the bouwjaar table.
type BouwjaarRijen = Vec<(i32, i32, f64, f64)>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Kop {
    naam: Spanned<String>,
    omschrijving: Spanned<String>,
    geldig_vanaf: Spanned<toml::value::Datetime>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWoz {
    cap_procent: Num,
    cap_vanaf_punten: Num,
    nieuwbouw_minimum: Num,
    nieuwbouw_drempel: Num,
    nieuwbouw_bouwjaar_van: Num,
    nieuwbouw_bouwjaar_tot: Num,
    vrijstelling: Num,
    onderdeel_1: Num,
    onderdeel_2: Num,
    onderdeel_2_corop: Num,
    minimum_waarde: Num,
    corop_bouwjaar_van: Num,
    corop_bouwjaar_tot: Num,
    corop_max_m2: Num,
    corop_gebieden: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRubrieken {
    ovz_per_m2: Num,
    ooz_per_m2: Num,
    zolder_correctie_max: Num,
    bui_aanwezig: Num,
    bui_prive_per_m2: Num,
    bui_gedeeld_per_m2: Num,
    bui_max: Num,
    bui_geen: Num,
    bij_zorgwoning_procent: Num,
    bij_aanbelfunctie: Num,
    bij_laadpunt: Num,
    vkv_verwarmd: Num,
    vkv_open_keuken: Num,
    vkv_verkoeld: Num,
    vkv_verkoeld_max: Num,
    vkv_overig: Num,
    vkv_overig_max: Num,
    gpa_type_i: Num,
    gpa_type_ii: Num,
    gpa_type_iii: Num,
    aft_grens_m2: Num,
    aft_punten: Num,
    gvr_zorgwoning: Num,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKeuken {
    aanrecht_min_mm: Num,
    aanrecht_lang_mm: Num,
    aanrecht_kort: Num,
    aanrecht_lang: Num,
    onz_aanrecht_3m_mm: Num,
    onz_aanrecht_3m: Num,
    onz_aanrecht_5m_mm: Num,
    onz_aanrecht_5m: Num,
    onz_aanrecht_5m_kamers: Num,
    extra: Option<BTreeMap<String, Spanned<f64>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSanitair {
    toilet_toiletruimte: Option<Spanned<(f64, f64)>>,
    toilet_badkamer: Option<Spanned<(f64, f64)>>,
    wastafel: Num,
    meerpersoonswastafel: Num,
    bad_en_douche: Option<Spanned<(f64, f64)>>,
    bad: Option<Spanned<(f64, f64)>>,
    douche: Option<Spanned<(f64, f64)>>,
    drempelloze_inrijdouche: Option<Spanned<(f64, f64)>>,
    extra: Option<BTreeMap<String, Spanned<f64>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    epv: Option<Spanned<(f64, f64)>>,
    punten: Option<BTreeMap<String, Spanned<(f64, f64)>>>,
    bouwjaar: Option<Spanned<BouwjaarRijen>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLabelsM2 {
    epv_per_m2: Num,
    punten: Option<BTreeMap<String, Spanned<f64>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    sociaal_max: Num,
    midden_max: Num,
    liberalisatiegrens: Num,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOpslag {
    rijksmonument: Num,
    rijksmonument_punten_oud_contract: Num,
    rijksmonument_punten_oud_contract_onz: Num,
    gemeentelijk_provinciaal_monument: Num,
    beschermd_gezicht: Num,
    beschermd_gezicht_bouwjaar_voor: Num,
    nieuwbouw: Num,
    nieuwbouw_bouwstart_voor: Option<Spanned<toml::value::Datetime>>,
    nieuwbouw_in_exploitatie_na: Option<Spanned<toml::value::Datetime>>,
    nieuwbouw_jaren: Num,
    nieuwbouw_punten_min: Num,
    nieuwbouw_punten_max: Num,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOnzWoz {
    grens_procent: Num,
    hoog: Num,
    midden: Num,
    laag: Num,
    geen_woz: Num,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHuur {
    bevroren_op: Option<Spanned<toml::value::Datetime>>,
    indexatie: Num,
    stelsels: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    variant: Kop,
    #[serde(default)]
    woz: RawWoz,
    #[serde(default)]
    rubrieken: RawRubrieken,
    #[serde(default)]
    keuken: RawKeuken,
    #[serde(default)]
    sanitair: RawSanitair,
    #[serde(default)]
    energielabel: RawLabels,
    #[serde(default)]
    energielabel_per_m2: RawLabelsM2,
    #[serde(default)]
    segment: RawSegment,
    #[serde(default)]
    opslag: RawOpslag,
    #[serde(default)]
    onz_woz: RawOnzWoz,
    #[serde(default)]
    huurprijstabel: RawHuur,
}

/// One change of a variant, validated: what [`Variant::apply`] sets.
#[derive(Debug, Clone, PartialEq)]
enum Zet {
    Woz(&'static str, f64),
    CoropGebieden(crate::tables::CoropGebieden),
    Rubriek(&'static str, f64),
    Keuken(&'static str, f64),
    KeukenExtra(String, f64),
    Sanitair(&'static str, (f64, f64)),
    SanitairExtra(String, f64),
    Label {
        label: Option<String>,
        egw: f64,
        mgw: f64,
    },
    LabelBouwjaar(BouwjaarRijen),
    LabelM2 {
        label: Option<String>,
        per_m2: f64,
    },
    Segment(&'static str, f64),
    Opslag(&'static str, f64),
    OpslagDatum(&'static str, Date),
    OnzWoz(&'static str, f64),
    Huur {
        bevroren_op: Option<Date>,
        indexatie: f64,
        stelsels: Vec<Stelsel>,
    },
}

/// A validated policy variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// `[variant] naam`
    pub naam: String,
    /// `[variant] omschrijving`
    pub omschrijving: String,
    /// the first peildatum the variant's rules apply to
    pub geldig_vanaf: Date,
    /// the file it was read from (in errors and outputs)
    pub bestand: String,
    /// (key, value) of every change, in file order by section, for people to read
    pub wijzigingen: Vec<(String, String)>,
    zet: Vec<Zet>,
}

/// Line (1-based) of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn err(&self, span: std::ops::Range<usize>, msg: String) -> WwsError {
        WwsError::Input(format!(
            "{}:{}: {msg}",
            self.file,
            line_of(self.text, span.start)
        ))
    }

    /// The value of `key` when given, checked to lie within `lo..=hi` (and to be whole
    /// when `whole`).
    fn num(
        &self,
        key: &str,
        v: &Num,
        lo: f64,
        hi: f64,
        unit: &str,
        whole: bool,
    ) -> Result<Option<f64>, WwsError> {
        let Some(s) = v else { return Ok(None) };
        let x = *s.get_ref();
        if !(lo..=hi).contains(&x) || (whole && x.fract() != 0.0) {
            return Err(self.err(
                s.span(),
                format!(
                    "{key} = {x}: must be within {lo}..={hi}{}{unit} (change the value)",
                    if whole { " whole " } else { " " }
                ),
            ));
        }
        Ok(Some(x))
    }

    fn date(
        &self,
        key: &str,
        v: &Spanned<toml::value::Datetime>,
        lo: Date,
        hi: Date,
    ) -> Result<Date, WwsError> {
        let d = v.get_ref();
        let date = match (d.date, d.time) {
            (Some(dd), None) => Date::new(dd.year as i32, dd.month as u32, dd.day as u32),
            _ => {
                return Err(self.err(
                    v.span(),
                    format!("{key} = {d}: must be a date (YYYY-MM-DD) without a time"),
                ));
            }
        };
        if date < lo || date > hi {
            return Err(self.err(
                v.span(),
                format!("{key} = {date}: must be within {lo}..={hi}"),
            ));
        }
        Ok(date)
    }
}

/// Peildatums a variant may start at: the first day the tables of `data/wws/` cover …
const VANAF_MIN: Date = Date::new(2024, 7, 1);
/// … to the end of the horizon the simulation plans for.
const VANAF_MAX: Date = Date::new(2100, 12, 31);

impl Variant {
    /// Parses and validates a variant; `file` names it in errors (`file:line: key …`).
    pub fn parse(file: &str, text: &str) -> Result<Variant, WwsError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(":{}", line_of(text, s.start)))
                .unwrap_or_default();
            WwsError::Input(format!(
                "{file}{at}: {} (the keys and their ranges: data/wws/README.md, \"Beleidsvarianten\")",
                e.message()
            ))
        })?;
        let c = Checker { file, text };
        let naam = raw.variant.naam.get_ref().trim().to_string();
        if naam.is_empty() || naam.chars().count() > 80 {
            return Err(c.err(
                raw.variant.naam.span(),
                "variant.naam: give a name of 1 to 80 characters".into(),
            ));
        }
        let omschrijving = raw.variant.omschrijving.get_ref().trim().to_string();
        if omschrijving.chars().count() > 2000 {
            return Err(c.err(
                raw.variant.omschrijving.span(),
                "variant.omschrijving: at most 2000 characters".into(),
            ));
        }
        let geldig_vanaf = c.date(
            "variant.geldig_vanaf",
            &raw.variant.geldig_vanaf,
            VANAF_MIN,
            VANAF_MAX,
        )?;
        let mut zet = Vec::new();
        let mut wijzigingen = Vec::new();
        let mut note = |k: &str, v: String| wijzigingen.push((k.to_string(), v));

        const EURO: f64 = 10_000_000.0;
        let w = &raw.woz;
        let woz_keys: [(&'static str, &Num, f64, f64, &str, bool); 14] = [
            ("cap_procent", &w.cap_procent, 1.0, 99.0, "%", false),
            (
                "cap_vanaf_punten",
                &w.cap_vanaf_punten,
                1.0,
                1000.0,
                "points",
                true,
            ),
            (
                "nieuwbouw_minimum",
                &w.nieuwbouw_minimum,
                0.0,
                200.0,
                "points",
                false,
            ),
            (
                "nieuwbouw_drempel",
                &w.nieuwbouw_drempel,
                0.0,
                1000.0,
                "points",
                false,
            ),
            (
                "nieuwbouw_bouwjaar_van",
                &w.nieuwbouw_bouwjaar_van,
                1000.0,
                2200.0,
                "",
                true,
            ),
            (
                "nieuwbouw_bouwjaar_tot",
                &w.nieuwbouw_bouwjaar_tot,
                1000.0,
                2200.0,
                "",
                true,
            ),
            ("vrijstelling", &w.vrijstelling, 0.0, EURO, "euro", false),
            ("onderdeel_1", &w.onderdeel_1, 1.0, EURO, "euro", false),
            ("onderdeel_2", &w.onderdeel_2, 1.0, EURO, "euro", false),
            (
                "onderdeel_2_corop",
                &w.onderdeel_2_corop,
                1.0,
                EURO,
                "euro",
                false,
            ),
            (
                "minimum_waarde",
                &w.minimum_waarde,
                0.0,
                EURO,
                "euro",
                false,
            ),
            (
                "corop_bouwjaar_van",
                &w.corop_bouwjaar_van,
                1000.0,
                2200.0,
                "",
                true,
            ),
            (
                "corop_bouwjaar_tot",
                &w.corop_bouwjaar_tot,
                1000.0,
                2200.0,
                "",
                true,
            ),
            ("corop_max_m2", &w.corop_max_m2, 0.0, 1000.0, "m²", false),
        ];
        for (k, v, lo, hi, unit, whole) in woz_keys {
            if let Some(x) = c.num(&format!("woz.{k}"), v, lo, hi, unit, whole)? {
                zet.push(Zet::Woz(k, x));
                note(&format!("woz.{k}"), x.to_string());
            }
        }

        if let Some(v) = &w.corop_gebieden {
            let g = crate::tables::CoropGebieden::from_codes(v.get_ref())
                .map_err(|e| c.err(v.span(), format!("woz.corop_gebieden: {e}")))?;
            zet.push(Zet::CoropGebieden(g));
            note("woz.corop_gebieden", v.get_ref().join(", "));
        }
        let r = &raw.rubrieken;
        for (k, v, lo, hi) in [
            ("ovz_per_m2", &r.ovz_per_m2, 0.0, 10.0),
            ("ooz_per_m2", &r.ooz_per_m2, 0.0, 10.0),
            ("zolder_correctie_max", &r.zolder_correctie_max, 0.0, 100.0),
            ("bui_aanwezig", &r.bui_aanwezig, 0.0, 100.0),
            ("bui_prive_per_m2", &r.bui_prive_per_m2, 0.0, 10.0),
            ("bui_gedeeld_per_m2", &r.bui_gedeeld_per_m2, 0.0, 10.0),
            ("bui_max", &r.bui_max, 0.0, 200.0),
            ("bui_geen", &r.bui_geen, -100.0, 0.0),
            (
                "bij_zorgwoning_procent",
                &r.bij_zorgwoning_procent,
                0.0,
                200.0,
            ),
            ("bij_aanbelfunctie", &r.bij_aanbelfunctie, 0.0, 100.0),
            ("bij_laadpunt", &r.bij_laadpunt, 0.0, 100.0),
            ("vkv_verwarmd", &r.vkv_verwarmd, 0.0, 100.0),
            ("vkv_open_keuken", &r.vkv_open_keuken, 0.0, 100.0),
            ("vkv_verkoeld", &r.vkv_verkoeld, 0.0, 100.0),
            ("vkv_verkoeld_max", &r.vkv_verkoeld_max, 0.0, 1000.0),
            ("vkv_overig", &r.vkv_overig, 0.0, 100.0),
            ("vkv_overig_max", &r.vkv_overig_max, 0.0, 1000.0),
            ("gpa_type_i", &r.gpa_type_i, 0.0, 100.0),
            ("gpa_type_ii", &r.gpa_type_ii, 0.0, 100.0),
            ("gpa_type_iii", &r.gpa_type_iii, 0.0, 100.0),
            ("aft_grens_m2", &r.aft_grens_m2, 0.0, 1000.0),
            ("aft_punten", &r.aft_punten, -100.0, 0.0),
            ("gvr_zorgwoning", &r.gvr_zorgwoning, 0.0, 100.0),
        ] {
            let whole = k.ends_with("_max") && k.starts_with("vkv");
            if let Some(x) = c.num(&format!("rubrieken.{k}"), v, lo, hi, "points", whole)? {
                zet.push(Zet::Rubriek(k, x));
                note(&format!("rubrieken.{k}"), x.to_string());
            }
        }

        let k = &raw.keuken;
        for (key, v, lo, hi, unit, whole) in [
            (
                "aanrecht_min_mm",
                &k.aanrecht_min_mm,
                0.0,
                100_000.0,
                "mm",
                false,
            ),
            (
                "aanrecht_lang_mm",
                &k.aanrecht_lang_mm,
                0.0,
                100_000.0,
                "mm",
                false,
            ),
            (
                "aanrecht_kort",
                &k.aanrecht_kort,
                0.0,
                100.0,
                "points",
                false,
            ),
            (
                "aanrecht_lang",
                &k.aanrecht_lang,
                0.0,
                100.0,
                "points",
                false,
            ),
            (
                "onz_aanrecht_3m_mm",
                &k.onz_aanrecht_3m_mm,
                0.0,
                100_000.0,
                "mm",
                false,
            ),
            (
                "onz_aanrecht_3m",
                &k.onz_aanrecht_3m,
                0.0,
                100.0,
                "points",
                false,
            ),
            (
                "onz_aanrecht_5m_mm",
                &k.onz_aanrecht_5m_mm,
                0.0,
                100_000.0,
                "mm",
                false,
            ),
            (
                "onz_aanrecht_5m",
                &k.onz_aanrecht_5m,
                0.0,
                100.0,
                "points",
                false,
            ),
            (
                "onz_aanrecht_5m_kamers",
                &k.onz_aanrecht_5m_kamers,
                0.0,
                1000.0,
                "rooms",
                true,
            ),
        ] {
            if let Some(x) = c.num(&format!("keuken.{key}"), v, lo, hi, unit, whole)? {
                zet.push(Zet::Keuken(key, x));
                note(&format!("keuken.{key}"), x.to_string());
            }
        }
        let sn = &raw.sanitair;
        for (key, v) in [
            ("wastafel", &sn.wastafel),
            ("meerpersoonswastafel", &sn.meerpersoonswastafel),
        ] {
            if let Some(x) = c.num(&format!("sanitair.{key}"), v, 0.0, 50.0, "points", false)? {
                zet.push(Zet::Sanitair(key, (x, x)));
                note(&format!("sanitair.{key}"), x.to_string());
            }
        }
        for (key, v) in [
            ("toilet_toiletruimte", &sn.toilet_toiletruimte),
            ("toilet_badkamer", &sn.toilet_badkamer),
            ("bad_en_douche", &sn.bad_en_douche),
            ("bad", &sn.bad),
            ("douche", &sn.douche),
            ("drempelloze_inrijdouche", &sn.drempelloze_inrijdouche),
        ] {
            if let Some(v) = v {
                let (a, b) = *v.get_ref();
                if !(0.0..=50.0).contains(&a) || !(0.0..=50.0).contains(&b) {
                    return Err(c.err(
                        v.span(),
                        format!("sanitair.{key} = [{a}, {b}]: both must be within 0..=50 points"),
                    ));
                }
                zet.push(Zet::Sanitair(key, (a, b)));
                note(&format!("sanitair.{key}"), format!("[{a}, {b}]"));
            }
        }
        let base = &crate::tables::Tables::embedded().beleid[0];
        for (section, m, known) in [
            ("keuken.extra", &k.extra, &base.keuken.extra),
            ("sanitair.extra", &raw.sanitair.extra, &base.sanitair.extra),
        ] {
            for (code, v) in m.iter().flatten() {
                if !known.contains_key(code) {
                    return Err(c.err(
                        v.span(),
                        format!(
                            "{section}: unknown voorziening {code:?} (one of {})",
                            known.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                let key = format!("{section}.{code}");
                let x = c
                    .num(&key, &Some(v.clone()), 0.0, 50.0, "points", false)?
                    .expect("given");
                zet.push(if section == "keuken.extra" {
                    Zet::KeukenExtra(code.clone(), x)
                } else {
                    Zet::SanitairExtra(code.clone(), x)
                });
                note(&key, x.to_string());
            }
        }

        let l = &raw.energielabel;
        if let Some(e) = &l.epv {
            let (a, b) = *e.get_ref();
            if !(0.0..=200.0).contains(&a) || !(0.0..=200.0).contains(&b) {
                return Err(c.err(
                    e.span(),
                    format!("energielabel.epv = [{a}, {b}]: both must be within 0..=200 points"),
                ));
            }
            zet.push(Zet::Label {
                label: None,
                egw: a,
                mgw: b,
            });
            note("energielabel.epv", format!("[{a}, {b}]"));
        }
        let labels = crate::tables::Tables::embedded()
            .labels
            .first()
            .map(|t| t.labels.iter().map(|r| r.label.clone()).collect::<Vec<_>>())
            .unwrap_or_default();
        for (label, v) in l.punten.iter().flatten() {
            if !labels.contains(label) {
                return Err(c.err(
                    v.span(),
                    format!(
                        "energielabel.punten: unknown label {label:?} (one of {})",
                        labels.join(", ")
                    ),
                ));
            }
            let (a, b) = *v.get_ref();
            if !(-100.0..=200.0).contains(&a) || !(-100.0..=200.0).contains(&b) {
                return Err(c.err(
                    v.span(),
                    format!(
                        "energielabel.punten.{label} = [{a}, {b}]: both must be within -100..=200 points"
                    ),
                ));
            }
            zet.push(Zet::Label {
                label: Some(label.clone()),
                egw: a,
                mgw: b,
            });
            note(
                &format!("energielabel.punten.{label}"),
                format!("[{a}, {b}]"),
            );
        }
        if let Some(rows) = &l.bouwjaar {
            let r = rows.get_ref();
            let bad = r.is_empty()
                || r.iter().any(|(van, tot, a, b)| {
                    !(0..=2200).contains(van)
                        || !(0..=2200).contains(tot)
                        || (*tot != 0 && tot < van)
                        || !(-100.0..=200.0).contains(a)
                        || !(-100.0..=200.0).contains(b)
                });
            if bad {
                return Err(c.err(
                    rows.span(),
                    "energielabel.bouwjaar: rows [van, tot (0 = open), egw, mgw] with years 0..=2200, van ≤ tot and points -100..=200".into(),
                ));
            }
            zet.push(Zet::LabelBouwjaar(r.clone()));
            note("energielabel.bouwjaar", format!("{} rijen", r.len()));
        }
        let m = &raw.energielabel_per_m2;
        if let Some(x) = c.num(
            "energielabel_per_m2.epv_per_m2",
            &m.epv_per_m2,
            -10.0,
            10.0,
            "points per m²",
            false,
        )? {
            zet.push(Zet::LabelM2 {
                label: None,
                per_m2: x,
            });
            note("energielabel_per_m2.epv_per_m2", x.to_string());
        }
        for (label, v) in m.punten.iter().flatten() {
            if !labels.contains(label) {
                return Err(c.err(
                    v.span(),
                    format!(
                        "energielabel_per_m2.punten: unknown label {label:?} (one of {})",
                        labels.join(", ")
                    ),
                ));
            }
            let key = format!("energielabel_per_m2.punten.{label}");
            let x = c
                .num(&key, &Some(v.clone()), -10.0, 10.0, "points per m²", false)?
                .expect("given");
            zet.push(Zet::LabelM2 {
                label: Some(label.clone()),
                per_m2: x,
            });
            note(&key, x.to_string());
        }

        let s = &raw.segment;
        for (k, v, lo, hi, unit, whole) in [
            ("sociaal_max", &s.sociaal_max, 1.0, 1000.0, "points", true),
            ("midden_max", &s.midden_max, 1.0, 1000.0, "points", true),
            (
                "liberalisatiegrens",
                &s.liberalisatiegrens,
                0.0,
                10_000.0,
                "euro",
                false,
            ),
        ] {
            if let Some(x) = c.num(&format!("segment.{k}"), v, lo, hi, unit, whole)? {
                zet.push(Zet::Segment(k, x));
                note(&format!("segment.{k}"), x.to_string());
            }
        }

        let o = &raw.opslag;
        for (k, v, lo, hi, unit, whole) in [
            (
                "rijksmonument",
                &o.rijksmonument,
                0.0,
                2.0,
                "(fraction)",
                false,
            ),
            (
                "rijksmonument_punten_oud_contract",
                &o.rijksmonument_punten_oud_contract,
                0.0,
                200.0,
                "points",
                false,
            ),
            (
                "rijksmonument_punten_oud_contract_onz",
                &o.rijksmonument_punten_oud_contract_onz,
                0.0,
                200.0,
                "points",
                false,
            ),
            (
                "gemeentelijk_provinciaal_monument",
                &o.gemeentelijk_provinciaal_monument,
                0.0,
                2.0,
                "(fraction)",
                false,
            ),
            (
                "beschermd_gezicht",
                &o.beschermd_gezicht,
                0.0,
                2.0,
                "(fraction)",
                false,
            ),
            (
                "beschermd_gezicht_bouwjaar_voor",
                &o.beschermd_gezicht_bouwjaar_voor,
                1000.0,
                2200.0,
                "",
                true,
            ),
            ("nieuwbouw", &o.nieuwbouw, 0.0, 2.0, "(fraction)", false),
            (
                "nieuwbouw_jaren",
                &o.nieuwbouw_jaren,
                0.0,
                100.0,
                "years",
                true,
            ),
            (
                "nieuwbouw_punten_min",
                &o.nieuwbouw_punten_min,
                0.0,
                1000.0,
                "points",
                false,
            ),
            (
                "nieuwbouw_punten_max",
                &o.nieuwbouw_punten_max,
                0.0,
                1000.0,
                "points",
                false,
            ),
        ] {
            if let Some(x) = c.num(&format!("opslag.{k}"), v, lo, hi, unit, whole)? {
                zet.push(Zet::Opslag(k, x));
                note(&format!("opslag.{k}"), x.to_string());
            }
        }
        for (k, v) in [
            ("nieuwbouw_bouwstart_voor", &o.nieuwbouw_bouwstart_voor),
            (
                "nieuwbouw_in_exploitatie_na",
                &o.nieuwbouw_in_exploitatie_na,
            ),
        ] {
            if let Some(v) = v {
                let d = c.date(&format!("opslag.{k}"), v, Date::new(1900, 1, 1), VANAF_MAX)?;
                zet.push(Zet::OpslagDatum(k, d));
                note(&format!("opslag.{k}"), d.to_string());
            }
        }

        let z = &raw.onz_woz;
        for (k, v, lo, hi) in [
            ("grens_procent", &z.grens_procent, 0.0, 100.0),
            ("hoog", &z.hoog, -100.0, 100.0),
            ("midden", &z.midden, -100.0, 100.0),
            ("laag", &z.laag, -100.0, 100.0),
            ("geen_woz", &z.geen_woz, -100.0, 100.0),
        ] {
            if let Some(x) = c.num(&format!("onz_woz.{k}"), v, lo, hi, "", false)? {
                zet.push(Zet::OnzWoz(k, x));
                note(&format!("onz_woz.{k}"), x.to_string());
            }
        }

        let h = &raw.huurprijstabel;
        let bevroren_op = match &h.bevroren_op {
            Some(v) => {
                let d = c.date("huurprijstabel.bevroren_op", v, VANAF_MIN, geldig_vanaf)?;
                note("huurprijstabel.bevroren_op", d.to_string());
                Some(d)
            }
            None => None,
        };
        let indexatie = c
            .num(
                "huurprijstabel.indexatie",
                &h.indexatie,
                -0.5,
                0.5,
                "(fraction)",
                false,
            )?
            .unwrap_or(0.0);
        if indexatie != 0.0 {
            note("huurprijstabel.indexatie", indexatie.to_string());
        }
        let stelsels = match &h.stelsels {
            None => vec![Stelsel::Zelfstandig, Stelsel::Onzelfstandig],
            Some(v) => {
                let mut out = Vec::new();
                for s in v.get_ref() {
                    out.push(match s.as_str() {
                        "ZEL" => Stelsel::Zelfstandig,
                        "ONZ" => Stelsel::Onzelfstandig,
                        o => {
                            return Err(c.err(
                                v.span(),
                                format!(
                                    "huurprijstabel.stelsels: unknown stelsel {o:?} (ZEL or ONZ)"
                                ),
                            ));
                        }
                    });
                }
                if out.is_empty() {
                    return Err(c.err(
                        v.span(),
                        "huurprijstabel.stelsels: name ZEL, ONZ or both".into(),
                    ));
                }
                note("huurprijstabel.stelsels", v.get_ref().join(", "));
                out
            }
        };
        if bevroren_op.is_some() || indexatie != 0.0 {
            zet.push(Zet::Huur {
                bevroren_op,
                indexatie,
                stelsels,
            });
        }
        let v = Variant {
            naam,
            omschrijving,
            geldig_vanaf,
            bestand: file.to_string(),
            wijzigingen,
            zet,
        };
        // what only the tables can tell (a segment boundary against the other, a frozen
        // table that does not exist) is checked by applying the variant once
        v.apply(Tables::embedded())?;
        Ok(v)
    }

    /// The shipped variant of a file name in `data/wws/varianten/` ([`MEEGELEVERD`]).
    pub fn meegeleverd(bestand: &str) -> Option<Result<Variant, WwsError>> {
        MEEGELEVERD
            .iter()
            .find(|(f, _)| *f == bestand)
            .map(|(f, text)| Variant::parse(&format!("data/wws/varianten/{f}"), text))
    }

    /// `base` with this variant's changes from its date on.
    pub fn apply(&self, base: &Tables) -> Result<Tables, WwsError> {
        let mut t = base.clone();
        let d = self.geldig_vanaf;
        let fail = |msg: String| WwsError::Input(format!("{}: {msg}", self.bestand));
        let woz: Vec<(&str, f64)> = self
            .zet
            .iter()
            .filter_map(|z| match z {
                Zet::Woz(k, x) if *k != "minimum_waarde" => Some((*k, *x)),
                _ => None,
            })
            .collect();
        let opslag: Vec<&Zet> = self
            .zet
            .iter()
            .filter(|z| {
                matches!(
                    z,
                    Zet::Opslag(..)
                        | Zet::OpslagDatum(..)
                        | Zet::OnzWoz(..)
                        | Zet::Rubriek(..)
                        | Zet::Keuken(..)
                        | Zet::KeukenExtra(..)
                        | Zet::Sanitair(..)
                        | Zet::SanitairExtra(..)
                )
            })
            .collect();
        let gebieden = self.zet.iter().find_map(|z| match z {
            Zet::CoropGebieden(g) => Some(*g),
            _ => None,
        });
        if !woz.is_empty() || !opslag.is_empty() || gebieden.is_some() {
            vanaf(
                &mut t.beleid,
                d,
                |b| b.geldig_vanaf,
                |b, d| b.geldig_vanaf = d,
                |_| true,
                |b| {
                    if let Some(g) = gebieden {
                        b.woz.corop_gebieden = g;
                    }
                    for (k, x) in &woz {
                        let w = &mut b.woz;
                        match *k {
                            "cap_procent" => w.cap_procent = *x,
                            "cap_vanaf_punten" => w.cap_vanaf_punten = *x,
                            "nieuwbouw_minimum" => w.nieuwbouw_minimum = *x,
                            "nieuwbouw_drempel" => w.nieuwbouw_drempel = *x,
                            "nieuwbouw_bouwjaar_van" => w.nieuwbouw_bouwjaar_van = *x as i32,
                            "nieuwbouw_bouwjaar_tot" => w.nieuwbouw_bouwjaar_tot = *x as i32,
                            "vrijstelling" => w.vrijstelling = *x,
                            "corop_bouwjaar_van" => w.corop_bouwjaar_van = *x as i32,
                            "corop_bouwjaar_tot" => w.corop_bouwjaar_tot = *x as i32,
                            "corop_max_m2" => w.corop_max_m2 = *x,
                            "onderdeel_1" => b.woz_factor.onderdeel_1 = Some(*x),
                            "onderdeel_2" => b.woz_factor.onderdeel_2 = Some(*x),
                            "onderdeel_2_corop" => b.woz_factor.onderdeel_2_corop = Some(*x),
                            other => unreachable!("woz key {other} is validated"),
                        }
                    }
                    for z in &opslag {
                        let o = &mut b.opslag;
                        match z {
                            Zet::Opslag(k, x) => match *k {
                                "rijksmonument" => o.rijksmonument = *x,
                                "rijksmonument_punten_oud_contract" => {
                                    o.rijksmonument_punten_oud_contract = *x
                                }
                                "rijksmonument_punten_oud_contract_onz" => {
                                    o.rijksmonument_punten_oud_contract_onz = *x
                                }
                                "gemeentelijk_provinciaal_monument" => {
                                    o.gemeentelijk_provinciaal_monument = *x
                                }
                                "beschermd_gezicht" => o.beschermd_gezicht = *x,
                                "beschermd_gezicht_bouwjaar_voor" => {
                                    o.beschermd_gezicht_bouwjaar_voor = *x as i32
                                }
                                "nieuwbouw" => o.nieuwbouw = *x,
                                "nieuwbouw_jaren" => o.nieuwbouw_jaren = *x as i32,
                                "nieuwbouw_punten_min" => o.nieuwbouw_punten_min = *x,
                                "nieuwbouw_punten_max" => o.nieuwbouw_punten_max = *x,
                                other => unreachable!("opslag key {other} is validated"),
                            },
                            Zet::OpslagDatum(k, x) => match *k {
                                "nieuwbouw_bouwstart_voor" => o.nieuwbouw_bouwstart_voor = *x,
                                "nieuwbouw_in_exploitatie_na" => o.nieuwbouw_in_exploitatie_na = *x,
                                other => unreachable!("opslag key {other} is validated"),
                            },
                            Zet::Rubriek(k, x) => {
                                let r = &mut b.rubrieken;
                                match *k {
                                    "ovz_per_m2" => r.ovz_per_m2 = *x,
                                    "ooz_per_m2" => r.ooz_per_m2 = *x,
                                    "zolder_correctie_max" => r.zolder_correctie_max = *x,
                                    "bui_aanwezig" => r.bui_aanwezig = *x,
                                    "bui_prive_per_m2" => r.bui_prive_per_m2 = *x,
                                    "bui_gedeeld_per_m2" => r.bui_gedeeld_per_m2 = *x,
                                    "bui_max" => r.bui_max = *x,
                                    "bui_geen" => r.bui_geen = *x,
                                    "bij_zorgwoning_procent" => r.bij_zorgwoning_procent = *x,
                                    "bij_aanbelfunctie" => r.bij_aanbelfunctie = *x,
                                    "bij_laadpunt" => r.bij_laadpunt = *x,
                                    "vkv_verwarmd" => r.vkv_verwarmd = *x,
                                    "vkv_open_keuken" => r.vkv_open_keuken = *x,
                                    "vkv_verkoeld" => r.vkv_verkoeld = *x,
                                    "vkv_verkoeld_max" => r.vkv_verkoeld_max = *x as u32,
                                    "vkv_overig" => r.vkv_overig = *x,
                                    "vkv_overig_max" => r.vkv_overig_max = *x as u32,
                                    "gpa_type_i" => r.gpa_type_i = *x,
                                    "gpa_type_ii" => r.gpa_type_ii = *x,
                                    "gpa_type_iii" => r.gpa_type_iii = *x,
                                    "aft_grens_m2" => r.aft_grens_m2 = *x,
                                    "aft_punten" => r.aft_punten = *x,
                                    "gvr_zorgwoning" => r.gvr_zorgwoning = *x,
                                    other => unreachable!("rubrieken key {other} is validated"),
                                }
                            }
                            Zet::Keuken(k, x) => {
                                let kk = &mut b.keuken;
                                match *k {
                                    "aanrecht_min_mm" => kk.aanrecht_min_mm = *x,
                                    "aanrecht_lang_mm" => kk.aanrecht_lang_mm = *x,
                                    "aanrecht_kort" => kk.aanrecht_kort = *x,
                                    "aanrecht_lang" => kk.aanrecht_lang = *x,
                                    "onz_aanrecht_3m_mm" => kk.onz_aanrecht_3m_mm = *x,
                                    "onz_aanrecht_3m" => kk.onz_aanrecht_3m = *x,
                                    "onz_aanrecht_5m_mm" => kk.onz_aanrecht_5m_mm = *x,
                                    "onz_aanrecht_5m" => kk.onz_aanrecht_5m = *x,
                                    "onz_aanrecht_5m_kamers" => {
                                        kk.onz_aanrecht_5m_kamers = *x as u32
                                    }
                                    other => unreachable!("keuken key {other} is validated"),
                                }
                            }
                            Zet::KeukenExtra(code, x) => {
                                b.keuken.extra.insert(code.clone(), *x);
                            }
                            Zet::Sanitair(k, (a, x)) => {
                                let s = &mut b.sanitair;
                                match *k {
                                    "toilet_toiletruimte" => s.toilet_toiletruimte = (*a, *x),
                                    "toilet_badkamer" => s.toilet_badkamer = (*a, *x),
                                    "wastafel" => s.wastafel = *a,
                                    "meerpersoonswastafel" => s.meerpersoonswastafel = *a,
                                    "bad_en_douche" => s.bad_en_douche = (*a, *x),
                                    "bad" => s.bad = (*a, *x),
                                    "douche" => s.douche = (*a, *x),
                                    "drempelloze_inrijdouche" => {
                                        s.drempelloze_inrijdouche = (*a, *x)
                                    }
                                    other => unreachable!("sanitair key {other} is validated"),
                                }
                            }
                            Zet::SanitairExtra(code, x) => {
                                b.sanitair.extra.insert(code.clone(), *x);
                            }
                            Zet::OnzWoz(k, x) => {
                                let z = &mut b.onz_woz;
                                match *k {
                                    "grens_procent" => z.grens_procent = *x,
                                    "hoog" => z.hoog = *x,
                                    "midden" => z.midden = *x,
                                    "laag" => z.laag = *x,
                                    "geen_woz" => z.geen_woz = *x,
                                    other => unreachable!("onz_woz key {other} is validated"),
                                }
                            }
                            _ => {}
                        }
                    }
                    crate::tables::check_woz_beleid(&b.woz).map_err(|e| fail(e.to_string()))?;
                    crate::tables::check_rubrieken(&b.rubrieken)
                        .map_err(|e| fail(e.to_string()))?;
                    crate::tables::check_keuken_sanitair(&b.keuken, &b.sanitair)
                        .map_err(|e| fail(e.to_string()))?;
                    if b.opslag.nieuwbouw_punten_min > b.opslag.nieuwbouw_punten_max {
                        return Err(fail(
                            "opslag.nieuwbouw_punten_min must be at most nieuwbouw_punten_max"
                                .into(),
                        ));
                    }
                    Ok(())
                },
            )
            .map_err(|e| fail(e.to_string()))?;
        }
        for z in &self.zet {
            match z {
                Zet::Woz("minimum_waarde", x) => {
                    vanaf(
                        &mut t.minimum_woz,
                        d,
                        |m| m.0,
                        |m, d| m.0 = d,
                        |_| true,
                        |m| {
                            m.1 = *x;
                            Ok(())
                        },
                    )
                    .map_err(|e| fail(format!("woz.minimum_waarde: {e}")))?;
                }
                Zet::Label { label, egw, mgw } => {
                    vanaf(
                        &mut t.labels,
                        d,
                        |l| l.geldig_vanaf,
                        |l, d| l.geldig_vanaf = d,
                        |l| l.stelsel == Stelsel::Zelfstandig,
                        |l| {
                            match label {
                                None => l.epv = (*egw, *mgw),
                                Some(name) => {
                                    let row =
                                        l.labels.iter_mut().find(|r| &r.label == name).ok_or_else(
                                            || fail(format!("no label {name} in the table")),
                                        )?;
                                    row.egw = *egw;
                                    row.mgw = *mgw;
                                }
                            }
                            Ok(())
                        },
                    )
                    .map_err(|e| fail(format!("energielabel: {e}")))?;
                }
                Zet::LabelBouwjaar(rows) => {
                    vanaf(
                        &mut t.labels,
                        d,
                        |l| l.geldig_vanaf,
                        |l, d| l.geldig_vanaf = d,
                        |l| l.stelsel == Stelsel::Zelfstandig,
                        |l| {
                            l.bouwjaar = rows.clone();
                            Ok(())
                        },
                    )
                    .map_err(|e| fail(format!("energielabel.bouwjaar: {e}")))?;
                }
                Zet::LabelM2 { label, per_m2 } => {
                    vanaf(
                        &mut t.labels_m2,
                        d,
                        |l| l.geldig_vanaf,
                        |l, d| l.geldig_vanaf = d,
                        |l| l.stelsel == Stelsel::Onzelfstandig,
                        |l| {
                            match label {
                                None => l.epv_per_m2 = *per_m2,
                                Some(name) => {
                                    let row =
                                        l.labels.iter_mut().find(|r| &r.0 == name).ok_or_else(
                                            || fail(format!("no label {name} in the table")),
                                        )?;
                                    row.2 = *per_m2;
                                }
                            }
                            Ok(())
                        },
                    )
                    .map_err(|e| fail(format!("energielabel_per_m2: {e}")))?;
                }
                Zet::Segment(k, x) => {
                    vanaf(
                        &mut t.segmenten,
                        d,
                        |s| s.geldig_vanaf,
                        |s, d| s.geldig_vanaf = d,
                        |_| true,
                        |s| {
                            match *k {
                                "sociaal_max" => s.sociaal_max = *x as i64,
                                "midden_max" => s.midden_max = *x as i64,
                                _ => s.liberalisatiegrens = Some(*x),
                            }
                            Ok(())
                        },
                    )
                    .map_err(|e| fail(format!("segment.{k}: {e}")))?;
                }
                Zet::Huur {
                    bevroren_op,
                    indexatie,
                    stelsels,
                } => {
                    for &stelsel in stelsels {
                        let bevroren: Option<HuurTabel> = match bevroren_op {
                            Some(b) => {
                                Some(base.huurtabel(stelsel, *b).cloned().map_err(|e| {
                                    fail(format!("huurprijstabel.bevroren_op: {e}"))
                                })?)
                            }
                            None => None,
                        };
                        let bron = format!("beleidsvariant {:?} ({})", self.naam, self.bestand);
                        vanaf(
                            &mut t.huur,
                            d,
                            |h| h.geldig_vanaf,
                            |h, d| h.geldig_vanaf = d,
                            |h| h.stelsel == stelsel,
                            |h| {
                                if let Some(b) = &bevroren {
                                    h.rows = b.rows.clone();
                                    h.volledig = b.volledig;
                                }
                                if *indexatie != 0.0 {
                                    for r in &mut h.rows {
                                        r.1 = cents(r.1 * (1.0 + indexatie));
                                    }
                                }
                                h.bron = format!("{bron}, op {}", h.bron);
                                Ok(())
                            },
                        )
                        .map_err(|e| fail(format!("huurprijstabel ({}): {e}", stelsel.code())))?;
                    }
                    t.huur.sort_by_key(|h| (h.stelsel.code(), h.geldig_vanaf));
                }
                Zet::Woz(..)
                | Zet::CoropGebieden(..)
                | Zet::Rubriek(..)
                | Zet::Keuken(..)
                | Zet::KeukenExtra(..)
                | Zet::Sanitair(..)
                | Zet::SanitairExtra(..)
                | Zet::Opslag(..)
                | Zet::OpslagDatum(..)
                | Zet::OnzWoz(..) => {}
            }
        }
        for s in &t.segmenten {
            if s.geldig_vanaf >= d && s.sociaal_max >= s.midden_max {
                return Err(fail(format!(
                    "segment: sociaal_max ({}) must be below midden_max ({}) from {}",
                    s.sociaal_max, s.midden_max, s.geldig_vanaf
                )));
            }
        }
        Ok(t)
    }

    /// The embedded tables with `variants` applied in order.
    pub fn tables(variants: &[Variant]) -> Result<Arc<Tables>, WwsError> {
        let mut t = Tables::embedded().clone();
        for v in variants {
            t = v.apply(&t)?;
        }
        Ok(Arc::new(t))
    }
}

/// Sets a key from `d` on in a dated list: the row in force at `d` (among `keep`) is
/// copied to `d` when no row starts there, then `f` changes every kept row from `d` on.
fn vanaf<T: Clone>(
    rows: &mut Vec<T>,
    d: Date,
    date: impl Fn(&T) -> Date,
    set_date: impl Fn(&mut T, Date),
    keep: impl Fn(&T) -> bool,
    mut f: impl FnMut(&mut T) -> Result<(), WwsError>,
) -> Result<(), WwsError> {
    let at = rows
        .iter()
        .filter(|r| keep(r) && date(r) <= d)
        .max_by_key(|r| date(r))
        .cloned();
    let Some(mut row) = at else {
        return Err(WwsError::Table(format!(
            "no table in force on {d} to change"
        )));
    };
    if date(&row) != d {
        set_date(&mut row, d);
        rows.push(row);
    }
    for r in rows.iter_mut().filter(|r| keep(r) && date(r) >= d) {
        f(r)?;
    }
    rows.sort_by_key(|r| date(r));
    Ok(())
}
