//! Policy variants (issue 19): a variant that restates today's rules changes nothing (bit
//! for bit, on the 337 fixtures and a seeded flat stock, on the full and the points-only
//! path); each shipped variant against hand-computed expectations on three fixture
//! dwellings (the arithmetic is written out); bad files are errors naming file, line and key;
//! raising a point value never lowers a maximum rent (proptest); the points-only kern and the
//! full rules agree under every variant (one implementation of each rule).

mod common;

use proptest::prelude::*;
use veerkracht_wws::flat::{FlatWaardeerder, parse_csv};
use veerkracht_wws::variant::{MEEGELEVERD, Variant};
use veerkracht_wws::{
    Eenheid, Options, Punten, Resultaat, Segment, Tables, parse_many, waardeer, waardeer_punten,
};

fn fixture_units() -> Vec<(String, Eenheid)> {
    let Some(root) = common::peer("fixtures/tests/data") else {
        return Vec::new();
    };
    let mut files = Vec::new();
    common::inputs(&root, &mut files);
    files.sort();
    assert!(files.len() >= 337, "{} fixture inputs", files.len());
    let mut out = Vec::new();
    for p in files {
        let name = p.strip_prefix(&root).unwrap().display().to_string();
        for (e, _) in parse_many(&std::fs::read_to_string(&p).unwrap(), false).unwrap() {
            out.push((name.clone(), e));
        }
    }
    out
}

fn fixture(rel: &str) -> Option<Eenheid> {
    let root = common::peer("fixtures/tests/data")?;
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    Some(parse_many(&text, false).unwrap().remove(0).0)
}

fn with(variants: &[Variant]) -> Options {
    Options {
        tabellen: Some(Variant::tables(variants).unwrap()),
        ..Options::default()
    }
}

fn shipped(file: &str) -> Variant {
    Variant::meegeleverd(file).expect("shipped").unwrap()
}

fn groep(r: &Resultaat, code: &str) -> f64 {
    r.groep(code).and_then(|g| g.punten).unwrap()
}

/// Today's rules restated as a variant: every key a variant can set, at its 2026 value.
const VANDAAG: &str = r#"
[variant]
naam = "De regels van 2026"
omschrijving = "Elke sleutel met de waarde die al geldt"
geldig_vanaf = 2026-01-01

[woz]
cap_procent = 33
cap_vanaf_punten = 187
nieuwbouw_minimum = 40
nieuwbouw_drempel = 110
nieuwbouw_bouwjaar_van = 2015
nieuwbouw_bouwjaar_tot = 2019
vrijstelling = 0
minimum_waarde = 85806
corop_bouwjaar_van = 2018
corop_bouwjaar_tot = 2022
corop_max_m2 = 40
corop_gebieden = ["17", "23"]

[rubrieken]
ovz_per_m2 = 1
ooz_per_m2 = 0.75
zolder_correctie_max = 5
bui_aanwezig = 2
bui_prive_per_m2 = 0.35
bui_gedeeld_per_m2 = 0.75
bui_max = 15
bui_geen = -5
bij_zorgwoning_procent = 35
bij_aanbelfunctie = 0.25
bij_laadpunt = 2
vkv_verwarmd = 2
vkv_open_keuken = 4
vkv_verkoeld = 1
vkv_verkoeld_max = 2
vkv_overig = 1
vkv_overig_max = 4
gpa_type_i = 9
gpa_type_ii = 6
gpa_type_iii = 4
aft_grens_m2 = 8
aft_punten = -4
gvr_zorgwoning = 3

[keuken]
aanrecht_min_mm = 1000
aanrecht_lang_mm = 2000
aanrecht_kort = 4
aanrecht_lang = 7
onz_aanrecht_3m_mm = 3000
onz_aanrecht_3m = 10
onz_aanrecht_5m_mm = 5000
onz_aanrecht_5m = 13
onz_aanrecht_5m_kamers = 8

[keuken.extra]
ICM = 2.0
IVA = 1.5

[sanitair]
toilet_toiletruimte = [3.75, 3.0]
toilet_badkamer = [2.75, 2.0]
wastafel = 1.0
meerpersoonswastafel = 1.5
bad_en_douche = [7.0, 6.0]
bad = [6.0, 5.0]
douche = [4.0, 3.0]
drempelloze_inrijdouche = [4.0, 3.0]

[sanitair.extra]
DOW = 1.25
KAS = 0.75

[energielabel]
epv = [32, 28]
bouwjaar = [
  [2002, 0, 41, 37],
  [2000, 2001, 34, 30],
  [1992, 1999, 22, 15],
  [1984, 1991, 14, 11],
  [1979, 1983, -4, -4],
  [1977, 1978, -9, -9],
  [0, 1976, -15, -15],
]

[energielabel.punten]
"A++++" = [62, 58]
"A+" = [47, 43]
"A" = [41, 37]
"C" = [22, 15]
"G" = [-15, -15]

[energielabel_per_m2]
epv_per_m2 = 0.5
punten = { "A" = 0.65, "G" = -0.15 }

[segment]
sociaal_max = 143
midden_max = 186
liberalisatiegrens = 932.93

[opslag]
rijksmonument = 0.35
gemeentelijk_provinciaal_monument = 0.15
beschermd_gezicht = 0.05
nieuwbouw = 0.10
nieuwbouw_punten_min = 144
nieuwbouw_punten_max = 186
nieuwbouw_bouwstart_voor = 2028-01-01

[onz_woz]
grens_procent = 10
hoog = 14
midden = 12
laag = 10
geen_woz = 10

[huurprijstabel]
bevroren_op = 2026-01-01
indexatie = 0
"#;

#[test]
fn a_variant_restating_todays_rules_changes_nothing_on_the_fixtures() {
    let units = fixture_units();
    if units.is_empty() {
        return;
    }
    let v = Variant::parse("vandaag.toml", VANDAAG).unwrap();
    assert!(v.wijzigingen.len() > 30, "{:?}", v.wijzigingen);
    let o = with(&[v]);
    for peildatum in [
        veerkracht_wws::Date::new(2026, 7, 1),
        veerkracht_wws::Date::new(2026, 1, 1),
    ] {
        let base = Options {
            peildatum,
            ..Options::default()
        };
        let var = Options {
            peildatum,
            ..o.clone()
        };
        for (name, e) in &units {
            let a = waardeer(e, &base);
            let b = waardeer(e, &var);
            assert_eq!(a, b, "{name} at {peildatum}");
            assert_eq!(
                waardeer_punten(e, &base),
                waardeer_punten(e, &var),
                "{name} points-only at {peildatum}"
            );
        }
    }
}

#[test]
fn a_variant_restating_todays_rules_changes_nothing_on_a_flat_stock() {
    let units = parse_csv(&common::flat_stock(20_000, 19)).unwrap();
    let o = with(&[Variant::parse("vandaag.toml", VANDAAG).unwrap()]);
    let base = Options::default();
    let mut a = FlatWaardeerder::new(&base);
    let mut b = FlatWaardeerder::new(&o);
    for u in &units {
        let (x, y) = (a.punten(u), b.punten(u));
        assert_eq!(x, y, "{}", u.id);
        if let (Ok(x), Ok(y)) = (&x, &y) {
            assert_eq!(
                x.maximale_huur_inclusief_opslag.to_bits(),
                y.maximale_huur_inclusief_opslag.to_bits()
            );
        }
    }
    assert!(b.shortcut_count() > units.len() / 2, "the shortcut is used");
}

/// The points-only kern and the full rules give the same numbers under every shipped variant
/// (a variant cannot reach one path and not the other).
#[test]
fn points_only_equals_full_under_every_shipped_variant() {
    let units = fixture_units();
    let flat = parse_csv(&common::flat_stock(3000, 23)).unwrap();
    for (file, _) in MEEGELEVERD {
        let o = with(&[shipped(file)]);
        for (name, e) in &units {
            let full = waardeer(e, &o).map(|r| Punten::of(&r));
            let fast = waardeer_punten(e, &o);
            match (&full, &fast) {
                (Ok(a), Ok(b)) => assert!(a.same_numbers(b), "{file} {name}: {a:?} / {b:?}"),
                (a, b) => assert_eq!(a.is_err(), b.is_err(), "{file} {name}"),
            }
        }
        let mut w = FlatWaardeerder::new(&o);
        for u in &flat {
            let fast = w.punten(u);
            let full = u.waardeer(&o).map(|r| Punten::of(&r));
            match (&full, &fast) {
                (Ok(a), Ok(b)) => assert!(a.same_numbers(b), "{file} {}: {a:?} / {b:?}", u.id),
                (a, b) => assert_eq!(a.is_err(), b.is_err(), "{file} {}", u.id),
            }
        }
    }
}

const CAP: &str = "zelfstandige_woonruimten/stelselgroepen/punten_voor_de_woz_waarde/input/";

#[test]
fn woz_cap_25_by_hand() {
    let o = with(&[shipped("woz-cap-25.toml")]);
    let Some(e) = fixture("zelfstandige_woonruimten/input/41123000005.json") else {
        return;
    };
    // rubrieken without WOZ: 113 + 8.25 + 22 + 14.25 + 34 + 8 + 18 = 217.5
    // WOZ: 759,000 / 15,329 + 759,000 / 124 m² / 242 = 49.514 + 25.293 = 74.807 → 74.75;
    // total 292.25 ≥ 187, so the cap: 217.5 × 25 / 75 = 72.5, rounded down to 72 (today:
    // 217.5 × 33 / 67 = 107.1, no cap). Total 217.5 + 72 = 289.5 → 290 points; the 2026
    // table: 250 points €1,618.94 + 40 × €8.07 … read from the table: €1,941.80.
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(groep(&r, "WOZ"), 72.0);
    assert_eq!(r.punten, 290.0);
    assert_eq!(r.maximale_huur_inclusief_opslag, 1941.80);
    assert_eq!(waardeer(&e, &Options::default()).unwrap().punten, 292.0);

    let e = fixture(&format!("{CAP}max_33_procent.json")).unwrap();
    // without WOZ: 60 + 11 + 2.75 + 53 + 9 = 135.75; WOZ 40.048 + 42.280 = 82.328 → total
    // 218 ≥ 187. 25 %: 135.75 × 25 / 75 = 45.25 → 45, total 180.75 → 181 < 187, so the cap
    // stops at 186: correction 186 − (135.75 + 82.25) = −32, WOZ 82.328 − 32 = 50.328 →
    // 50.25; total 186 points: middenhuur (today 33 %: 66 WOZ points, 202, vrije sector).
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(groep(&r, "WOZ"), 50.25);
    assert_eq!(r.punten, 186.0);
    assert_eq!(r.segment, Some(Segment::Middenhuur));
    assert_eq!(r.maximale_huur_inclusief_opslag, 1228.07);
    let today = waardeer(&e, &Options::default()).unwrap();
    assert_eq!(
        (today.punten, today.segment),
        (202.0, Some(Segment::VrijeSector))
    );

    let e = fixture("generiek/input/37101000032.json").unwrap();
    // without WOZ 141 + 18 + 14 + 15 + 22 + 7 + 15 = 232; WOZ 45.274 + 17.380 = 62.654;
    // 25 % of the total allows 232 × 25 / 75 = 77.3 ≥ 62.654: no cap, 295 points as today
    let r = waardeer(&e, &o).unwrap();
    assert_eq!((groep(&r, "WOZ"), r.punten), (62.75, 295.0));
    assert_eq!(r, waardeer(&e, &Options::default()).unwrap());
}

#[test]
fn woz_cap_from_144_by_hand() {
    let o = with(&[shipped("woz-cap-vanaf-144.toml")]);
    let Some(e) = fixture(&format!("{CAP}max_186_punten.json")) else {
        return;
    };
    // without WOZ: 60 + 11 + 2.75 + 37 + 9 = 119.75; WOZ 46.572 + 49.167 = 95.739 → 95.75;
    // total 215.5. 33 %: 119.75 × 33 / 67 = 58.98 → 58, total 177.75 → 178. Today 178 < 187
    // so the cap stops at 186; from 144, 178 ≥ 144 stands: WOZ 58, 178 points, €1,173.15.
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(groep(&r, "WOZ"), 58.0);
    assert_eq!(r.punten, 178.0);
    assert_eq!(r.maximale_huur_inclusief_opslag, 1173.15);
    assert_eq!(waardeer(&e, &Options::default()).unwrap().punten, 186.0);

    let e = fixture(
        "zelfstandige_woonruimten/stelselgroepen/oppervlakte_van_overige_ruimten/input/toiletteruimte.json",
    )
    .unwrap();
    // without WOZ: 1.5 − 5 = −3.5; minimum WOZ value 85,806: 85,806 / 16,954 + 85,806 / 2 m²
    // / 268 = 5.061 + 160.086 = 165.147 → 165.25, total 161.75 → 162 ≥ 144. The cap allows
    // −3.5 × 33 / 67 < 0 points, which would end below 144, so it stops at 143: correction
    // 143 − 161.75 = −18.75, WOZ 146.397 → 146.5; 143 points, sociaal (today: 162, midden).
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(groep(&r, "WOZ"), 146.5);
    assert_eq!((r.punten, r.segment), (143.0, Some(Segment::Sociaal)));
    assert_eq!(r.maximale_huur_inclusief_opslag, 932.93);
    let today = waardeer(&e, &Options::default()).unwrap();
    assert_eq!(
        (today.punten, today.segment),
        (162.0, Some(Segment::Middenhuur))
    );

    let e =
        fixture("onzelfstandige_woonruimten/stelselgroepen/aftrekpunten/input/geen_aftrek.json")
            .unwrap();
    // 8 + 2 − 5 + WOZ 45 = 50 points < 144: no cap, as today
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(r.punten, 50.0);
    assert_eq!(r, waardeer(&e, &Options::default()).unwrap());
}

#[test]
fn woz_vrijstelling_by_hand() {
    let o = with(&[shipped("woz-vrijstelling.toml")]);
    let Some(e) = fixture("generiek/input/37101000032.json") else {
        return;
    };
    // (694,000 − 100,000) / 15,329 = 38.750; 594,000 / 165 m² / 242 = 14.876; 53.626 →
    // 53.75 (today 62.75); total 232 + 53.75 = 285.75 → 286 points, €1,914.36
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(groep(&r, "WOZ"), 53.75);
    assert_eq!(r.punten, 286.0);
    assert_eq!(r.maximale_huur_inclusief_opslag, 1914.36);

    let e = fixture(
        "onzelfstandige_woonruimten/stelselgroepen/bijzondere_voorzieningen/input/zorgwoning.json",
    )
    .unwrap();
    // the minimum WOZ value 85,806 < 100,000: 0 WOZ points (today 8.25). The zorgwoning
    // surcharge is 35 % of rubrieken 1–10: 98 + 2 − 5 + 3 + 0 = 98 × 0.35 = 34.3 → 34.25
    // (today 106.25 × 0.35 = 37.19 → 37.25); total 132.25 → 132, sociaal (today 144, midden)
    let r = waardeer(&e, &o).unwrap();
    assert_eq!((groep(&r, "WOZ"), groep(&r, "BIJ")), (0.0, 34.25));
    assert_eq!((r.punten, r.segment), (132.0, Some(Segment::Sociaal)));
    let today = waardeer(&e, &Options::default()).unwrap();
    assert_eq!(
        (today.punten, today.segment),
        (144.0, Some(Segment::Middenhuur))
    );

    let e =
        fixture("onzelfstandige_woonruimten/stelselgroepen/aftrekpunten/input/geen_aftrek.json")
            .unwrap();
    // 8 + 2 − 5 + 0 = 5 points, below the table's first row (40 points): €250.26
    let r = waardeer(&e, &o).unwrap();
    assert_eq!((r.punten, r.maximale_huur_inclusief_opslag), (5.0, 250.26));
}

#[test]
fn label_ceiling_at_a_by_hand() {
    let o = with(&[shipped("label-a-plafond.toml")]);
    let Some(e) = fixture("zelfstandige_woonruimten/input/81020000003.json") else {
        return;
    };
    // ENE 52 (A++, eengezins) → 41 (A); 80 + 3.75 + 13 + 15 + 41 + 4 + 11 = 167.75 + WOZ
    // 23.942 + 17.634 = 41.576 → 41.5: 209.25 → 209 points (today 220), €1,385.95
    let r = waardeer(&e, &o).unwrap();
    assert_eq!((groep(&r, "ENE"), groep(&r, "WOZ")), (41.0, 41.5));
    assert_eq!(r.punten, 209.0);
    assert_eq!(r.maximale_huur_inclusief_opslag, 1385.95);

    let e = fixture(&format!("{CAP}hoogniveau_renovatie_label.json")).unwrap();
    // ENE 58 (A++++, meergezins) → 37 (A). WOZ stays at the new-build minimum of 40: the
    // rubrieken 1–7 are 60 + 11 + 2.75 + 37 + 7 + 9 = 126.75 ≥ 110. Total 166.75 → 167
    // points: middenhuur (today 188, vrije sector), €1,097.61
    let r = waardeer(&e, &o).unwrap();
    assert_eq!((groep(&r, "ENE"), groep(&r, "WOZ")), (37.0, 40.0));
    assert_eq!((r.punten, r.segment), (167.0, Some(Segment::Middenhuur)));
    assert_eq!(r.maximale_huur_inclusief_opslag, 1097.61);

    let e = fixture("generiek/input/37101000032.json").unwrap();
    // label C: 22 points under both
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(groep(&r, "ENE"), 22.0);
    assert_eq!(r, waardeer(&e, &Options::default()).unwrap());
}

#[test]
fn rent_table_frozen_by_hand() {
    let o = with(&[shipped("huurtabel-bevroren.toml")]);
    let Some(e) = fixture("generiek/input/37101000032.json") else {
        return;
    };
    // 295 points; the 2025 table: 250 points €1,608.68, then €6.62 a point (249 → 250):
    // 1,608.68 + 45 × 6.62 = €1,906.58 (2026: €1,976.10)
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(r.punten, 295.0);
    assert_eq!(r.maximale_huur_inclusief_opslag, 1906.58);
    assert_eq!(
        waardeer(&e, &Options::default())
            .unwrap()
            .maximale_huur_inclusief_opslag,
        1976.10
    );

    let e = fixture("onzelfstandige_woonruimten/input/15004000185.json").unwrap();
    // onzelfstandig, 54 points: the ONZ table of 1 January 2025, row 54: €530.81 (2026 €550.19)
    let r = waardeer(&e, &o).unwrap();
    assert_eq!((r.punten, r.maximale_huur_inclusief_opslag), (54.0, 530.81));

    let e = fixture(&format!("{CAP}max_186_punten.json")).unwrap();
    // 186 points: the 2025 amount €1,184.82 (docs/domain.md §11 item 4; 2026 €1,228.07);
    // the segment follows the points, not the table
    let r = waardeer(&e, &o).unwrap();
    assert_eq!(r.maximale_huur_inclusief_opslag, 1184.82);
    assert_eq!(r.segment, Some(Segment::Middenhuur));
    // the liberalisatiegrens is frozen with it
    let t = o.tabellen();
    assert_eq!(
        t.segmentgrenzen(o.peildatum).unwrap().liberalisatiegrens,
        Some(900.07)
    );
}

#[test]
fn bad_variant_files_are_clear_errors() {
    let kop = "[variant]\nnaam = \"x\"\nomschrijving = \"y\"\ngeldig_vanaf = 2026-01-01\n";
    let e = Variant::parse("a.toml", &format!("{kop}\n[woz]\ncap_procnt = 25\n")).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("a.toml:7") && m.contains("cap_procnt"), "{m}");
    assert!(
        m.contains("cap_procent"),
        "the keys that exist are named: {m}"
    );

    let e = Variant::parse("b.toml", &format!("{kop}\n[wooz]\ncap_procent = 25\n")).unwrap_err();
    assert!(e.to_string().contains("wooz"), "{e}");

    let e = Variant::parse("c.toml", &format!("{kop}[woz]\ncap_procent = 120\n")).unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("c.toml:6") && m.contains("woz.cap_procent = 120") && m.contains("1..=99"),
        "{m}"
    );

    let e = Variant::parse(
        "d.toml",
        &format!("{kop}[energielabel.punten]\n\"A+++++\" = [1, 2]\n"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("A+++++"), "{e}");

    let e = Variant::parse("e.toml", &format!("{kop}[segment]\nsociaal_max = 190\n")).unwrap_err();
    assert!(e.to_string().contains("sociaal_max"), "{e}");

    let e = Variant::parse(
        "f.toml",
        "[variant]\nnaam = \"x\"\nomschrijving = \"y\"\ngeldig_vanaf = 2020-01-01\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("f.toml:4"), "{e}");

    let e = Variant::parse("g.toml", "[woz]\ncap_procent = 20\n").unwrap_err();
    assert!(e.to_string().contains("variant"), "{e}");

    let e = Variant::parse(
        "h.toml",
        &format!("{kop}[huurprijstabel]\nbevroren_op = 2027-01-01\n"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("bevroren_op"), "{e}");
}

#[test]
fn variants_apply_from_their_date_and_in_order() {
    let v = shipped("woz-cap-25.toml");
    let t = Variant::tables(std::slice::from_ref(&v)).unwrap();
    assert_eq!(
        t.beleid(veerkracht_wws::Date::new(2025, 12, 31))
            .woz
            .cap_procent,
        33.0
    );
    assert_eq!(
        t.beleid(veerkracht_wws::Date::new(2026, 1, 1))
            .woz
            .cap_procent,
        25.0
    );
    // a later variant overrides an earlier one for its key only
    let w = shipped("woz-cap-vanaf-144.toml");
    let t = Variant::tables(&[v, w]).unwrap();
    let b = t.beleid(veerkracht_wws::Date::new(2026, 7, 1)).woz;
    assert_eq!((b.cap_procent, b.cap_vanaf_punten), (25.0, 144.0));
    // the embedded tables are untouched
    assert_eq!(
        Tables::embedded()
            .beleid(veerkracht_wws::Date::new(2026, 7, 1))
            .woz
            .cap_procent,
        33.0
    );
}

fn label_variant(delta: f64, label: &str) -> Variant {
    let t = Tables::embedded()
        .labeltabel(
            veerkracht_wws::Stelsel::Zelfstandig,
            veerkracht_wws::Date::new(2026, 7, 1),
        )
        .unwrap();
    let row = t.labels.iter().find(|r| r.label == label).unwrap();
    Variant::parse(
        "meer.toml",
        &format!(
            "[variant]\nnaam = \"meer\"\nomschrijving = \"\"\ngeldig_vanaf = 2026-01-01\n[energielabel.punten]\n\"{label}\" = [{}, {}]\n",
            row.egw + delta,
            row.mgw + delta
        ),
    )
    .unwrap()
}

fn cap_variant(procent: f64, vanaf: f64, vrijstelling: f64) -> Variant {
    Variant::parse(
        "cap.toml",
        &format!(
            "[variant]\nnaam = \"cap\"\nomschrijving = \"\"\ngeldig_vanaf = 2026-01-01\n[woz]\ncap_procent = {procent}\ncap_vanaf_punten = {vanaf}\nvrijstelling = {vrijstelling}\n"
        ),
    )
    .unwrap()
}

fn max_rents(units: &[veerkracht_wws::flat::FlatUnit], o: &Options) -> Vec<Option<f64>> {
    let mut w = FlatWaardeerder::new(o);
    units
        .iter()
        .map(|u| w.punten(u).ok().map(|p| p.maximale_huur_inclusief_opslag))
        .collect()
}

fn never_lower(a: &[Option<f64>], b: &[Option<f64>]) -> Result<(), TestCaseError> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if let (Some(x), Some(y)) = (x, y) {
            prop_assert!(y >= x, "row {i}: {x} → {y}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// More label points, or a larger WOZ share (at any threshold and vrijstelling), never
    /// lower a maximum rent, on a seeded flat stock of 1,500 rows. Not properties of the
    /// rules, found by this test and pinned below: more WOZ points (a smaller vrijstelling, a
    /// smaller factor) can lower the total by a point when they tip the WOZ points over the
    /// cap, which rounds the capped points down to whole points; a higher cap threshold can
    /// too (the floor of one point below it is reached through quarter-point rounding); and
    /// under a cap share below about 36 % a new build of 2015–2019 whose WOZ points rise past
    /// the 40-point minimum is capped below it (the beleidsboek applies the minimum only
    /// under 40 points, then the cap). data/wws/README.md.
    #[test]
    fn raising_a_point_value_never_lowers_a_maximum_rent(
        label in prop::sample::select(vec!["A++++", "A+", "A", "B", "C", "D", "E", "G"]),
        delta in 0.0f64..30.0,
        procent in 1.0f64..90.0,
        extra in 0.0f64..9.0,
        vanaf in 100u32..250,
        vrij in 0.0f64..300_000.0,
    ) {
        let units = parse_csv(&common::flat_stock(1500, 29)).unwrap();
        let delta = (delta * 4.0).round() / 4.0;
        let before = max_rents(&units, &Options::default());
        let after = max_rents(&units, &with(&[label_variant(delta, label)]));
        never_lower(&before, &after)?;
        let procent = procent.round();
        let vrij = vrij.round();
        never_lower(
            &max_rents(&units, &with(&[cap_variant(procent, f64::from(vanaf), vrij)])),
            &max_rents(
                &units,
                &with(&[cap_variant(
                    (procent + extra.round()).min(99.0),
                    f64::from(vanaf),
                    vrij,
                )]),
            ),
        )?;
    }
}

/// The exception named above, pinned: with a 1 % cap from 100 points, a new build of 2019
/// gets the 40-point minimum while a vrijstelling keeps its WOZ points under 40, and 1 WOZ
/// point without it (the cap).
#[test]
fn the_new_build_minimum_and_a_low_cap_are_not_monotone() {
    let units = parse_csv(&common::flat_stock(1500, 29)).unwrap();
    let u = &units[169];
    assert_eq!((u.bouwjaar, u.woz_waarde), (2019, 646_762.0));
    let punten = |vrij: f64| {
        let r = u.waardeer(&with(&[cap_variant(1.0, 100.0, vrij)])).unwrap();
        (groep(&r, "WOZ"), r.punten)
    };
    // (646,762 − 261,607) / 16,954 + 385,155 / 138 m² / 268 = 22.72 + 10.41 = 33.13 < 40:
    // raised to 40; total 197.75 + 40 = 237.75 → 238
    assert_eq!(punten(261_607.0), (40.0, 238.0));
    // 38.15 + 17.49 = 55.64 ≥ 40: capped at 197.75 × 1 / 99 = 2.0 → 1 (whole, rounded down
    // after the quarter) … 199 points
    assert_eq!(punten(0.0), (1.0, 199.0));
}

/// The rounding exception: under today's cap (33 % from 187) a vrijstelling of € 55,657
/// leaves the WOZ points under the cap; without it they exceed the cap, which rounds the
/// capped points down to whole points, and the total falls by one point.
#[test]
fn more_woz_points_can_cost_a_point_through_the_caps_rounding() {
    let units = parse_csv(&common::flat_stock(1500, 29)).unwrap();
    let u = &units[604];
    let r = |vrij: f64| {
        u.waardeer(&with(&[cap_variant(33.0, 187.0, vrij)]))
            .unwrap()
    };
    let (a, b) = (r(55_657.0), r(0.0));
    eprintln!("{u:?}: {} / {}", a.punten, b.punten);
    assert_eq!(b.punten, a.punten - 1.0);
    assert!(groep(&b, "WOZ") > groep(&a, "WOZ") - 1.0);
}

const DUBBEL: &str = "[variant]\nnaam = \"dubbel\"\nomschrijving = \"\"\ngeldig_vanaf = 2026-01-01\n[rubrieken]\novz_per_m2 = 2\nooz_per_m2 = 1.5\nbui_prive_per_m2 = 0.7\nbui_gedeeld_per_m2 = 1.5\nbui_aanwezig = 4\nbui_max = 30\nbui_geen = -10\nzolder_correctie_max = 10\nvkv_verwarmd = 3\nvkv_open_keuken = 5\nvkv_overig_max = 2\nvkv_verkoeld_max = 1\n[keuken]\naanrecht_kort = 8\naanrecht_lang = 14\naanrecht_lang_mm = 2500\nonz_aanrecht_3m = 20\n[keuken.extra]\nIVA = 3\nICM = 4\n[sanitair]\nwastafel = 2\ndouche = [5, 4]\ntoilet_badkamer = [3, 2.5]\n[sanitair.extra]\nDOW = 2.5\nHRA = 1.5\n";

/// `[rubrieken]`, `[keuken]` and `[sanitair]` reach the full rules (ZEL and ONZ) and the
/// points-only kern alike.
#[test]
fn area_and_outdoor_points_by_hand_and_on_both_paths() {
    let o = with(&[Variant::parse("dubbel.toml", DUBBEL).unwrap()]);
    if let Some(e) =
        fixture("onzelfstandige_woonruimten/stelselgroepen/aftrekpunten/input/geen_aftrek.json")
    {
        // OVZ 8 m² × 2 = 16 (today 8); VKV: one heated vertrek, 3 (today 2); no outdoor
        // space −10 (today −5); WOZ 45 (it counts m², not points); 16 + 3 − 10 + 45 = 54
        // points (today 50)
        let r = waardeer(&e, &o).unwrap();
        assert_eq!(
            (groep(&r, "OVZ"), groep(&r, "VKV"), groep(&r, "BUI")),
            (16.0, 3.0, -10.0)
        );
        assert_eq!(r.punten, 54.0);
    }
    for (name, e) in fixture_units() {
        let full = waardeer(&e, &o).map(|r| Punten::of(&r));
        let fast = waardeer_punten(&e, &o);
        match (&full, &fast) {
            (Ok(a), Ok(b)) => assert!(a.same_numbers(b), "{name}: {a:?} / {b:?}"),
            (a, b) => assert_eq!(a.is_err(), b.is_err(), "{name}"),
        }
    }
    let mut w = FlatWaardeerder::new(&o);
    let mut changed = 0;
    for u in parse_csv(&common::flat_stock(3000, 31)).unwrap() {
        let fast = w.punten(&u);
        let full = u.waardeer(&o).map(|r| Punten::of(&r));
        if let (Ok(a), Ok(b)) = (&full, &fast) {
            assert!(a.same_numbers(b), "{}: {a:?} / {b:?}", u.id);
            changed +=
                usize::from(a.punten != u.waardeer_punten(&Options::default()).unwrap().punten);
        }
    }
    assert!(changed > 2000, "{changed}");
}

/// Parking points per type and the ONZ aftrek are data too (`[rubrieken]`).
#[test]
fn parking_and_aftrek_points_follow_their_data() {
    let v = Variant::parse(
        "parkeren.toml",
        "[variant]\nnaam = \"p\"\nomschrijving = \"p\"\ngeldig_vanaf = 2026-01-01\n\
         [rubrieken]\ngpa_type_i = 12\ngpa_type_ii = 8\ngpa_type_iii = 5\n\
         aft_grens_m2 = 9\naft_punten = -6\n",
    )
    .unwrap();
    let o = with(&[v]);
    if let Some(e) = fixture(
        "zelfstandige_woonruimten/stelselgroepen/gemeenschappelijke_parkeerruimten/input/alle_types_1_keer.json",
    ) {
        // one place of each type, shared by 10 addresses: today (9 + 9 + 6 + 4) / 10 = 2.8 →
        // 2.75; with 12 / 12 / 8 / 5: 3.7 → 3.75 (quarter points)
        assert_eq!(
            groep(&waardeer(&e, &Options::default()).unwrap(), "GPA"),
            2.75
        );
        assert_eq!(groep(&waardeer(&e, &o).unwrap(), "GPA"), 3.75);
    }
    // the fixture has no stelsel field: its folder says onzelfstandig
    let onz = |o: &Options| Options {
        default_stelsel: veerkracht_wws::Stelsel::Onzelfstandig,
        ..o.clone()
    };
    let (today, o) = (onz(&Options::default()), onz(&o));
    let aft = |e: &Eenheid, o: &Options| {
        let r = waardeer(e, o).unwrap();
        assert_eq!(r.stelsel, veerkracht_wws::Stelsel::Onzelfstandig);
        r.groep("AFT").and_then(|g| g.punten).unwrap_or(0.0)
    };
    let dir = "onzelfstandige_woonruimten/stelselgroepen/aftrekpunten/input/";
    if let (Some(wel), Some(geen)) = (
        fixture(&format!("{dir}wel_aftrek.json")),
        fixture(&format!("{dir}geen_aftrek.json")),
    ) {
        assert_eq!((aft(&wel, &today), aft(&wel, &o)), (-4.0, -6.0));
        // 8 m² of vertrekken: no aftrek under 8, −6 under 9
        assert_eq!((aft(&geen, &today), aft(&geen, &o)), (0.0, -6.0));
    }
}

/// The COROP rule's areas and bouwjaren are data: without Groot-Amsterdam (23) a small new
/// build there takes the ordinary factor II and the cap, as any dwelling.
#[test]
fn the_corop_rule_follows_its_data() {
    let Some(e) = fixture(&format!("{CAP}corop_amsterdam_klein_nieuwbouw.json")) else {
        return;
    };
    let today = waardeer(&e, &Options::default()).unwrap();
    let line = |r: &Resultaat, id: &str| {
        r.groep("WOZ")
            .unwrap()
            .woningwaarderingen
            .iter()
            .find(|w| w.id.ends_with(id))
            .and_then(|w| w.aantal)
    };
    // today: COROP 23 takes factor II of the COROP rule (the lower divisor)
    let f = Tables::embedded()
        .woz_factor(veerkracht_wws::Date::new(2025, 1, 1))
        .unwrap();
    let factor_today = line(&today, "factor_II").unwrap();
    assert!(factor_today < f.onderdeel_2, "{factor_today}");
    let v = Variant::parse(
        "utrecht.toml",
        "[variant]\nnaam = \"alleen Utrecht\"\nomschrijving = \"\"\ngeldig_vanaf = 2026-01-01\n[woz]\ncorop_gebieden = [\"17\"]\n",
    )
    .unwrap();
    let r = waardeer(&e, &with(&[v])).unwrap();
    let factor = line(&r, "factor_II").unwrap();
    assert!(factor > factor_today, "{factor} vs {factor_today}");
    assert!(groep(&r, "WOZ") < groep(&today, "WOZ"));
    // the points-only path agrees
    let o = with(&[Variant::parse(
        "utrecht.toml",
        "[variant]\nnaam = \"alleen Utrecht\"\nomschrijving = \"\"\ngeldig_vanaf = 2026-01-01\n[woz]\ncorop_gebieden = [\"17\"]\n",
    )
    .unwrap()]);
    assert!(Punten::of(&waardeer(&e, &o).unwrap()).same_numbers(&waardeer_punten(&e, &o).unwrap()));
    let bad = Variant::parse(
        "x.toml",
        "[variant]\nnaam = \"x\"\nomschrijving = \"\"\ngeldig_vanaf = 2026-01-01\n[woz]\ncorop_gebieden = [\"Amsterdam\"]\n",
    )
    .unwrap_err();
    assert!(
        bad.to_string().contains("x.toml:6") && bad.to_string().contains("COROP"),
        "{bad}"
    );
}
