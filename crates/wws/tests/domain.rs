//! Oracles from docs/domain.md §11 items 1–9 and the docs/wws-schema.md example, on whole units.
//! (Table-level checks of items 1–5 and 7 are unit tests in `tables.rs` and `round.rs`.)

use serde_json::{Value, json};
use veerkracht_wws::whatif::{self, Wijziging};
use veerkracht_wws::{Date, Options, Segment, Tables, waardeer_json};

fn opts() -> Options {
    Options::default()
}

/// The minimal valid input of docs/wws-schema.md.
fn schema_example() -> Value {
    json!({
      "id": "demo-1",
      "Woningwaarderingstelsel": {"code": "ZEL"},
      "bouwjaar": 1998,
      "panden": [{"soort": {"code": "MGW"}}],
      "monumenten": [],
      "adres": {"woonplaats": {"code": "3086"}},
      "wozEenheden": [{"vastgesteldeWaarde": 250000, "waardepeildatum": "2025-01-01"}],
      "energieprestaties": [{"soort": {"code": "NTA"}, "status": {"code": "DEF"},
                             "label": {"code": "B"}, "begindatum": "2022-03-01",
                             "einddatum": "2032-03-01"}],
      "ruimten": [
        {"id": "r1", "naam": "Woonkamer", "soort": {"code": "VTK"}, "detailSoort": {"code": "WOO"},
         "oppervlakte": 24.0, "verwarmd": true},
        {"id": "r2", "naam": "Keuken", "soort": {"code": "VTK"}, "detailSoort": {"code": "KEU"},
         "oppervlakte": 8.0, "verwarmd": true,
         "bouwkundigeElementen": [{"id": "a1", "detailSoort": {"code": "AAN"}, "lengte": 2400}]},
        {"id": "r3", "naam": "Badkamer", "soort": {"code": "VTK"}, "detailSoort": {"code": "BAD"},
         "oppervlakte": 4.5, "verwarmd": true,
         "installaties": [{"code": "DOU"}, {"code": "WAS"}, {"code": "HTO"}]},
        {"id": "r4", "naam": "Balkon", "soort": {"code": "BTR"}, "detailSoort": {"code": "BAL"},
         "oppervlakte": 6.0}
      ]
    })
}

fn points(r: &veerkracht_wws::Resultaat, code: &str) -> f64 {
    r.groep(code).and_then(|g| g.punten).unwrap()
}

#[test]
fn schema_md_example() {
    let r = waardeer_json(&schema_example().to_string(), &opts()).unwrap();
    assert_eq!(r.punten, 132.0);
    assert_eq!(r.maximale_huur, 857.33);
    for (code, p) in [
        ("OVZ", 37.0),
        ("VKV", 6.0),
        ("BUI", 4.0),
        ("ENE", 30.0),
        ("KEU", 7.0),
        ("SAN", 7.75),
        ("WOZ", 40.0),
    ] {
        assert_eq!(points(&r, code), p, "{code}");
    }
    assert_eq!(r.segment, Some(Segment::Sociaal));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // strict mode accepts it too
    let strict = Options {
        strict: true,
        ..opts()
    };
    assert!(waardeer_json(&schema_example().to_string(), &strict).is_ok());
}

fn with_label(code: &str, pand: &str, monument: Option<&str>) -> veerkracht_wws::Resultaat {
    let mut u = schema_example();
    u["energieprestaties"][0]["label"] = json!({"code": code});
    u["panden"] = json!([{"soort": {"code": pand}}]);
    if let Some(m) = monument {
        u["monumenten"] = json!([{"code": m}]);
    }
    waardeer_json(&u.to_string(), &opts()).unwrap()
}

#[test]
fn label_points_domain_11_6() {
    // eengezins / meergezins: A 41/37, C 22/15, E −4/−4, G −15/−15
    for (label, egw, mgw) in [
        ("A", 41.0, 37.0),
        ("C", 22.0, 15.0),
        ("E", -4.0, -4.0),
        ("G", -15.0, -15.0),
        ("AP4", 62.0, 58.0),
    ] {
        assert_eq!(
            points(&with_label(label, "EGW", None), "ENE"),
            egw,
            "{label} EGW"
        );
        assert_eq!(
            points(&with_label(label, "MGW", None), "ENE"),
            mgw,
            "{label} MGW"
        );
    }
    // a monument with G gets 0 instead of −15
    assert_eq!(points(&with_label("G", "EGW", Some("RIJ")), "ENE"), 0.0);
    assert_eq!(points(&with_label("G", "MGW", Some("GEM")), "ENE"), 0.0);
    // a beschermd stadsgezicht alone is no monument for this rule
    assert_eq!(points(&with_label("G", "MGW", Some("SGR")), "ENE"), -15.0);
    // energieprestatievergoeding: fixed 32 / 28
    for (pand, p) in [("EGW", 32.0), ("MGW", 28.0)] {
        let mut u = schema_example();
        u["panden"] = json!([{"soort": {"code": pand}}]);
        u["prijscomponenten"] =
            json!([{"detailSoort": {"code": "EPV"}, "begindatum": "2025-01-01"}]);
        let r = waardeer_json(&u.to_string(), &opts()).unwrap();
        assert_eq!(points(&r, "ENE"), p);
    }
}

#[test]
fn outdoor_space_domain_11_8() {
    assert_eq!(veerkracht_wws::zel::punten_prive_buitenruimte(10.0), 5.5);
    let mut u = schema_example();
    u["ruimten"][3]["oppervlakte"] = json!(10.0);
    let r = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(points(&r, "BUI"), 5.5);
    // capped at 15: 2 + 0.35 × 60 = 23 → 15
    u["ruimten"][3]["oppervlakte"] = json!(60.0);
    let r = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(points(&r, "BUI"), 15.0);
    // none: −5
    let mut u = schema_example();
    u["ruimten"].as_array_mut().unwrap().pop();
    let r = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(points(&r, "BUI"), -5.0);
}

#[test]
fn nieuwbouwopslag_domain_11_9() {
    // the arithmetic of the example: 147 points, max €905.50 → €996.05
    let t = Tables::embedded();
    let opslag = veerkracht_wws::round::cents(
        905.50
            * t.beleid(veerkracht_wws::Date::new(2026, 7, 1))
                .opslag
                .nieuwbouw,
    );
    assert_eq!(veerkracht_wws::round::cents(905.50 + opslag), 996.05);

    // a unit in the middenhuur segment, first let after 1 July 2024, construction started
    // before 2028: +10 % on the maximum rent, points and segment unchanged
    let mut u = schema_example();
    u["ruimten"][0]["oppervlakte"] = json!(44.0);
    u["energieprestaties"][0]["label"] = json!({"code": "AP4"});
    let base = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(base.segment, Some(Segment::Middenhuur), "{}", base.punten);
    assert_eq!(base.huurprijsopslag, 0.0);
    u["beginBouwdatum"] = json!("2023-05-01");
    u["inExploitatiedatum"] = json!("2025-09-01");
    let nb = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(nb.punten, base.punten);
    assert_eq!(nb.segment, base.segment);
    assert_eq!(nb.opslagpercentage, Some(0.1));
    assert_eq!(
        nb.huurprijsopslag,
        veerkracht_wws::round::cents(nb.maximale_huur * 0.1)
    );
    assert_eq!(
        nb.maximale_huur_inclusief_opslag,
        veerkracht_wws::round::cents(nb.maximale_huur + nb.huurprijsopslag)
    );
    // first let before 1 July 2024: no surcharge
    u["inExploitatiedatum"] = json!("2024-01-01");
    let old = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(old.huurprijsopslag, 0.0);
}

#[test]
fn peildatum_selects_tables() {
    // the 2026 table applies from 1 January 2026
    let o = Options {
        peildatum: Date::new(2026, 1, 1),
        ..opts()
    };
    let r = waardeer_json(&schema_example().to_string(), &o).unwrap();
    assert_eq!(r.maximale_huur, 857.33);
    // a later year without its own table: the latest table with a warning naming it
    let o = Options {
        peildatum: Date::new(2027, 3, 1),
        ..opts()
    };
    let r = waardeer_json(&schema_example().to_string(), &o).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.field == "peildatum"),
        "{:?}",
        r.warnings
    );
    // 2025: the complete table of 1 January 2025 applies (not 2026's, not an anchor guess)
    let o = Options {
        peildatum: Date::new(2025, 7, 1),
        ..opts()
    };
    let r25 = waardeer_json(&schema_example().to_string(), &o).unwrap();
    let t = veerkracht_wws::tables::Tables::embedded();
    let table = |d: Date| {
        t.huurtabel(veerkracht_wws::model::Stelsel::Zelfstandig, d)
            .unwrap()
    };
    assert_eq!(
        r25.maximale_huur,
        table(Date::new(2025, 7, 1)).bedrag(r25.punten).unwrap()
    );
    assert_ne!(
        r25.maximale_huur,
        table(Date::new(2026, 7, 1)).bedrag(r25.punten).unwrap()
    );
}

#[test]
fn lenient_warning_names_field_strict_fails() {
    let mut u = schema_example();
    u["wozEenheden"] = json!([]);
    let r = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.field == "eenheid.wozEenheden"),
        "{:?}",
        r.warnings
    );
    let strict = Options {
        strict: true,
        ..opts()
    };
    let e = waardeer_json(&u.to_string(), &strict).unwrap_err();
    assert!(e.to_string().contains("eenheid.wozEenheden"), "{e}");
}

#[test]
fn what_if_label_f_to_a() {
    let mut u = schema_example();
    u["energieprestaties"][0]["label"] = json!({"code": "F"});
    let changes = whatif::energielabel(&u, "A", &opts());
    let w = whatif::what_if(&u, &changes, &opts()).unwrap();
    let ene = w.rubrieken.iter().find(|d| d.code == "ENE").unwrap();
    assert_eq!(ene.voor, Some(-9.0));
    assert_eq!(ene.na, Some(37.0));
    assert_eq!(ene.delta, 46.0);
    // only the label rubriek (and the WOZ cap, not binding here) changes
    for d in &w.rubrieken {
        if d.code != "ENE" {
            assert_eq!(d.delta, 0.0, "{}", d.code);
        }
    }
    assert_eq!(w.delta_punten, 46.0);
    assert!(w.delta_maximale_huur > 0.0);
    let j = w.to_json();
    assert_eq!(j["deltaPunten"], json!(46.0));

    // any field: a bigger living room
    let c = [Wijziging {
        pointer: "/ruimten/0/oppervlakte".into(),
        waarde: json!(30.0),
    }];
    let w = whatif::what_if(&schema_example(), &c, &opts()).unwrap();
    let ovz = w.rubrieken.iter().find(|d| d.code == "OVZ").unwrap();
    assert_eq!(ovz.delta, 6.0);
}

#[test]
fn what_if_segment_change() {
    // a large dwelling near the social ceiling moves to middenhuur after F → A++++
    let mut u = schema_example();
    u["ruimten"][0]["oppervlakte"] = json!(52.0);
    u["energieprestaties"][0]["label"] = json!({"code": "F"});
    let changes = whatif::energielabel(&u, "AP4", &opts());
    let w = whatif::what_if(&u, &changes, &opts()).unwrap();
    assert_eq!(w.segment_voor, Some(Segment::Sociaal), "{}", w.voor.punten);
    assert_eq!(w.segment_na, Some(Segment::Middenhuur), "{}", w.na.punten);
    assert!(w.segment_changed());

    // over a portfolio of two units: both move from sociaal to middenhuur
    let units = vec![u.clone(), schema_example()];
    let p = whatif::what_if_portfolio(&units, |x| whatif::energielabel(x, "AP4", &opts()), &opts());
    assert_eq!(p.units.len(), 2);
    assert_eq!(
        p.segment_changes,
        vec![((Some(Segment::Sociaal), Some(Segment::Middenhuur)), 2)]
    );
    assert!(p.delta_maximale_huur_totaal > 0.0);
}

#[test]
fn onzelfstandig_runs() {
    let u = json!({
      "id": "kamer-1",
      "Woningwaarderingstelsel": {"code": "ONZ"},
      "bouwjaar": 1998,
      "monumenten": [],
      "ruimten": [
        {"id": "k", "naam": "Kamer", "soort": {"code": "VTK"}, "detailSoort": {"code": "SLA"},
         "oppervlakte": 14.0, "verwarmd": true},
        {"id": "b", "naam": "Badkamer", "soort": {"code": "VTK"}, "detailSoort": {"code": "BAD"},
         "oppervlakte": 4.0, "gedeeldMetAantalOnzelfstandigeWoonruimten": 2,
         "installaties": [{"code": "DOU"}, {"code": "WAS"}]}
      ]
    });
    let r = waardeer_json(&u.to_string(), &opts()).unwrap();
    assert_eq!(r.groepen.len(), 13);
    assert_eq!(points(&r, "OVZ"), 16.0);
    // no WOZ value: 10 points
    assert_eq!(points(&r, "WOZ"), 10.0);
    assert_eq!(r.segment, None);
}
