//! Index tests: hand oracles, properties (direction, re-weighting, weight scale),
//! determinism, the demo region and the real partial KWB 2024.

use std::collections::HashMap;

use veerkracht_dataset::{Area, AreaCode, Catalogue, Dataset, Flags, Level, Value};
use veerkracht_index::definition::Normalisation;
use veerkracht_index::{Class, Definition, Overrides, Reason, Status, compute, compute_with};

const ONE: &str = r#"
schema_version = 1
id = "t"
title_nl = "t"
title_en = "t"
level = "buurt"
[method]
reference = "national"
min_coverage = 0.0
imputation = "none"
treatment = "none"
normalisation = "percentile"
aggregation = "arithmetic"
component_min_share = 0.5
corporatie_threshold = 66.7
[[component]]
id = "A"
label_nl = "A"
label_en = "A"
role = "vulnerability"
weight = 1.0
  [[component.indicator]]
  id = "wmo"
  label_nl = "w"
  label_en = "w"
  source = "p_wmo_t"
  transform = "value"
  direction = "higher_is_worse"
  weight = 1.0
[[component]]
id = "C"
label_nl = "C"
label_en = "C"
role = "capacity"
weight = 3.0
  [[component.indicator]]
  id = "arb"
  label_nl = "a"
  label_en = "a"
  source = "p_arb_pp"
  transform = "value"
  direction = "higher_is_better"
  weight = 1.0
"#;

fn code(i: usize) -> AreaCode {
    AreaCode::parse(&format!("BU9001{:04}", i)).unwrap()
}

fn dataset(wmo: &[Option<f64>], arb: &[Option<f64>]) -> Dataset {
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for i in 0..wmo.len() {
        ds.add_area(&Area::new(code(i), format!("Buurt {i}"), 2024));
        for (id, v) in [("p_wmo_t", wmo[i]), ("p_arb_pp", arb[i])] {
            if let Some(v) = v {
                ds.set_value(
                    2024,
                    code(i),
                    cat.get(id).unwrap(),
                    Value::Number(v),
                    Flags::empty(),
                    1,
                );
            }
        }
    }
    ds
}

fn def() -> Definition {
    Definition::parse(ONE, "t.toml", &Catalogue::embedded()).unwrap()
}

#[test]
fn percentile_oracle_oriented_by_direction() {
    // Wmo per 1,000 of [10, 20, 20, 40] is higher_is_worse: need percentiles [0, 1/3, 1/3, 1],
    // veerkracht scores are the mirrored ranks: 40 → 0, 20 → 1/3, 10 → 1 (ties at the lower rank).
    let ds = dataset(
        &[Some(10.0), Some(20.0), Some(20.0), Some(40.0)],
        &[None; 4],
    );
    let r = compute(&def(), &ds, 2024, Level::Buurt);
    let close = |a: Vec<f64>, b: [f64; 4]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
    let n: Vec<f64> = r
        .areas
        .iter()
        .map(|a| a.contributions[0].normalised.unwrap())
        .collect();
    assert!(
        close(n.clone(), [100.0, 100.0 / 3.0, 100.0 / 3.0, 0.0]),
        "{n:?}"
    );
    let need: Vec<f64> = r
        .areas
        .iter()
        .map(|a| a.contributions[0].need_percentile.unwrap())
        .collect();
    assert!(
        close(need.clone(), [0.0, 100.0 / 3.0, 100.0 / 3.0, 100.0]),
        "{need:?}"
    );
    // Only the highest need is at or above the 90th percentile (SVI flag).
    assert_eq!(
        r.areas.iter().map(|a| a.flags).collect::<Vec<_>>(),
        vec![0, 0, 0, 1]
    );
    // Component C is absent everywhere: the index is re-weighted to A alone.
    assert_eq!(r.areas[0].score, Some(100.0));
    assert_eq!(r.areas[3].rank, Some(1), "rank 1 = most attention needed");
    assert_eq!(r.areas[3].class, Some(Class::VeelAandachtNodig));
    assert_eq!(r.areas[0].class, Some(Class::ZeerVeerkrachtig));
}

#[test]
fn contributions_add_up_to_the_score_and_weights_matter() {
    let ds = dataset(
        &[Some(10.0), Some(20.0), Some(30.0), Some(40.0), Some(50.0)],
        &[Some(80.0), Some(40.0), Some(60.0), Some(50.0), Some(70.0)],
    );
    let r = compute(&def(), &ds, 2024, Level::Buurt);
    for a in &r.areas {
        let sum: f64 = a.contributions.iter().filter_map(|c| c.contribution).sum();
        assert!(
            (sum - a.score.unwrap()).abs() < 1e-9,
            "{} {sum} {:?}",
            a.code,
            a.score
        );
    }
    // Area 0: wmo best (100), arb best (100) → 100. Area 1: wmo 75, arb 0 → (1*75 + 3*0)/4.
    assert_eq!(r.areas[0].score, Some(100.0));
    assert!((r.areas[1].score.unwrap() - 75.0 / 4.0).abs() < 1e-9);
}

#[test]
fn scaling_all_weights_changes_nothing() {
    let ds = dataset(
        &[Some(10.0), Some(25.0), Some(30.0), Some(12.0), Some(50.0)],
        &[Some(80.0), Some(40.0), None, Some(50.0), Some(70.0)],
    );
    let d = def();
    let base = compute(&d, &ds, 2024, Level::Buurt);
    for k in [0.1, 7.0] {
        let o = Overrides {
            normalisation: None,
            treatment: None,
            indicator_weights: Some(HashMap::from([
                ("wmo".to_string(), k),
                ("arb".to_string(), k),
            ])),
            component_weights: Some(HashMap::from([
                ("A".to_string(), k),
                ("C".to_string(), 3.0 * k),
            ])),
        };
        let r = compute_with(&d, &ds, 2024, Level::Buurt, &o);
        for (a, b) in base.areas.iter().zip(&r.areas) {
            assert!((a.score.unwrap() - b.score.unwrap()).abs() < 1e-9);
        }
    }
}

#[test]
fn monotone_in_direction() {
    // Raising a higher_is_worse value never raises the area's score; raising a higher_is_better one never lowers it.
    let wmo = [
        Some(10.0),
        Some(25.0),
        Some(30.0),
        Some(12.0),
        Some(50.0),
        Some(33.0),
    ];
    let arb = [
        Some(80.0),
        Some(40.0),
        Some(45.0),
        Some(50.0),
        Some(70.0),
        Some(61.0),
    ];
    let d = def();
    for norm in [
        Normalisation::Percentile,
        Normalisation::Zscore,
        Normalisation::Minmax,
        Normalisation::Imd,
    ] {
        let o = Overrides {
            normalisation: Some(norm),
            treatment: None,
            indicator_weights: None,
            component_weights: None,
        };
        let base = compute_with(&d, &dataset(&wmo, &arb), 2024, Level::Buurt, &o);
        for i in 0..wmo.len() {
            let mut w = wmo;
            w[i] = Some(w[i].unwrap() + 15.0);
            let worse = compute_with(&d, &dataset(&w, &arb), 2024, Level::Buurt, &o);
            assert!(
                worse.areas[i].score.unwrap() <= base.areas[i].score.unwrap() + 1e-9,
                "{norm:?} area {i}"
            );
            let mut a = arb;
            a[i] = Some(a[i].unwrap() + 15.0);
            let better = compute_with(&d, &dataset(&wmo, &a), 2024, Level::Buurt, &o);
            assert!(
                better.areas[i].score.unwrap() + 1e-9 >= base.areas[i].score.unwrap(),
                "{norm:?} area {i}"
            );
        }
    }
}

#[test]
fn reweighting_when_a_component_is_missing_for_one_area() {
    let ds = dataset(
        &[Some(10.0), Some(20.0), Some(30.0)],
        &[Some(50.0), None, Some(70.0)],
    );
    let r = compute(&def(), &ds, 2024, Level::Buurt);
    let a = &r.areas[1];
    assert_eq!(a.components[1].score, None);
    assert_eq!(
        a.score, a.components[0].score,
        "only A is present: the index is A"
    );
    assert!((a.coverage - 0.5).abs() < 1e-12);
    assert!(
        a.contributions[1]
            .missing
            .as_deref()
            .unwrap()
            .contains("p_arb_pp")
    );
}

#[test]
fn embedded_definition_is_valid_and_bad_ones_are_explained() {
    let d = Definition::veerkracht_basis();
    assert_eq!(d.component.len(), 4);
    assert!(d.indicators().all(|(_, i)| i.proxy));
    let bad = ONE.replace("source = \"p_wmo_t\"", "source = \"p_nope\"");
    let e = Definition::parse(&bad, "x.toml", &Catalogue::embedded())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("component A indicator wmo") && e.contains("p_nope"),
        "{e}"
    );
    let bad = ONE.replace("normalisation = \"percentile\"", "normalisation = \"rank\"");
    let e = Definition::parse(&bad, "x.toml", &Catalogue::embedded())
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.toml: line"), "{e}");
}

fn demo() -> Dataset {
    use veerkracht_ingest::{ImportOptions, import_bytes};
    let cat = Catalogue::embedded();
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let mut ds = Dataset::new(cat.clone());
    let opts = ImportOptions {
        synthetic: true,
        ..Default::default()
    };
    for (i, f) in region.files.iter().enumerate() {
        if (f.name.ends_with(".csv") || f.name.ends_with(".geojson"))
            && !f.name.contains("voorraad")
        {
            for b in import_bytes(&f.name, &f.bytes, &cat, &opts).unwrap() {
                ds.add_batch(&b, i as u32 + 1);
            }
        }
    }
    ds
}

#[test]
fn demo_region_index_and_signal_find_what_the_generator_made() {
    let ds = demo();
    let d = Definition::veerkracht_basis();
    let r = compute(&d, &ds, 2024, Level::Buurt);
    assert_eq!(r.areas.len(), 151);
    let scored = r.areas.iter().filter(|a| a.score.is_some()).count();
    assert_eq!(
        scored, 146,
        "146 of 151 scored: the uninhabited buurten and those under 100 households are not"
    );
    // Eligibility (docs/index-validiteit.md §5): every area without a score says why, with
    // its numbers; none is ranked, classed or placed.
    let not_scored: Vec<_> = r
        .areas
        .iter()
        .filter(|a| a.status == Status::NotScored)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        not_scored,
        [
            "Stadspark",
            "Buitengebied Molenbroek",
            "Tuindershoek",
            "Bedrijventerrein Veerhaven",
            "Eikenkamp"
        ]
    );
    for a in r.areas.iter().filter(|a| a.status == Status::NotScored) {
        assert!(a.score.is_none() && a.rank.is_none() && a.class.is_none());
        assert!(a.percentile.is_none());
        assert_eq!(
            a.exclusions[0].reason,
            Reason::TooFewHouseholds,
            "{}",
            a.name
        );
        assert!(a.exclusions[0].detail.contains("particuliere huishoudens"));
    }
    let tuindershoek = r.areas.iter().find(|a| a.name == "Tuindershoek").unwrap();
    assert_eq!(
        tuindershoek.exclusions[0].detail,
        "95 particuliere huishoudens (minimaal 100), 225 inwoners"
    );
    let ranked: Vec<usize> = r.areas.iter().filter_map(|a| a.rank).collect();
    assert_eq!(ranked.len(), 146);
    assert!(ranked.iter().all(|&k| (1..=146).contains(&k)));
    // 2024 has no income yet: the indicator is reported as unavailable, and every area says so.
    let inc = r
        .indicators
        .iter()
        .find(|i| i.id == "laag_inkomen_pct")
        .unwrap();
    assert!(!inc.available);
    assert!(r.areas.iter().all(|a| {
        a.contributions
            .iter()
            .find(|c| c.indicator == "laag_inkomen_pct")
            .unwrap()
            .missing
            .as_deref()
            .unwrap()
            .contains("nog niet gepubliceerd")
    }));
    // Deterministic.
    let again = compute(&d, &ds, 2024, Level::Buurt);
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        serde_json::to_string(&again).unwrap()
    );

    let s = veerkracht_index::signal(&d, &ds, 2020, 2024, Level::Buurt, d.method.signal_dead_band);
    assert!(
        s.pressure_indicators.contains(&"lbm_onv".to_string())
            && s.pressure_indicators
                .contains(&"misdrijven_per_1000".to_string())
    );
    let q = |code: &str| {
        s.areas
            .iter()
            .find(|a| a.code.to_string() == code)
            .and_then(|a| a.quadrant)
    };
    for code in [
        "BU90010312",
        "BU90010500",
        "BU90010503",
        "BU90010602",
        "BU90010610",
    ] {
        assert_eq!(
            q(code),
            Some(veerkracht_index::Quadrant::VeerkrachtOnderDruk),
            "{code}"
        );
    }
    for code in [
        "BU90010008",
        "BU90010100",
        "BU90010201",
        "BU90010305",
        "BU90010313",
        "BU90010407",
    ] {
        assert_ne!(
            q(code),
            Some(veerkracht_index::Quadrant::VeerkrachtOnderDruk),
            "improving buurt {code}"
        );
    }
    // The two buurten split off BU90010603 in 2022 are compared with it (geometry crosswalk).
    let split: Vec<_> = s
        .areas
        .iter()
        .filter(|a| {
            a.note
                .as_deref()
                .is_some_and(|n| n.contains("voorganger BU90010603"))
        })
        .collect();
    assert_eq!(split.len(), 2);
    assert!(s.areas.iter().all(|a| {
        a.note
            .as_deref()
            .is_none_or(|n| !n.contains("indeling gewijzigd"))
    }));
}

#[test]
fn uncertainty_bands_sobol_and_determinism() {
    use veerkracht_index::uncertainty::{Options, uncertainty};
    let ds = demo();
    let d = Definition::veerkracht_basis();
    // No noise at all: every run is the nominal ranking.
    let fixed = Options {
        runs: 50,
        concentration: 1e9,
        normalisations: vec![Normalisation::Percentile],
        treatments: vec![veerkracht_index::definition::Treatment::Coinr],
        sobol_n: 20,
        ..Options::default()
    };
    let u = uncertainty(&d, &ds, 2024, Level::Buurt, &fixed);
    assert_eq!(u.areas.len(), 146, "the ranked areas");
    for a in &u.areas {
        assert!(
            (a.rank_p5 - a.nominal_rank as f64).abs() < 1e-9
                && (a.rank_p95 - a.nominal_rank as f64).abs() < 1e-9,
            "{a:?}"
        );
    }
    assert!(u.mean_rank_shift.abs() < 1e-9);
    // Real noise: bands around the nominal rank; thread count does not change anything.
    let o = Options {
        runs: 200,
        sobol_n: 40,
        threads: 1,
        ..Options::default()
    };
    let one = uncertainty(&d, &ds, 2024, Level::Buurt, &o);
    let two = uncertainty(
        &d,
        &ds,
        2024,
        Level::Buurt,
        &Options {
            threads: 2,
            ..o.clone()
        },
    );
    assert_eq!(one, two);
    assert!(one.mean_rank_shift > 0.5);
    // The nominal index handed back with the analysis is exactly the index.
    let (nominal, same) = veerkracht_index::index_with_uncertainty(&d, &ds, 2024, Level::Buurt, &o);
    assert_eq!(same, one);
    assert_eq!(
        serde_json::to_string(&nominal).unwrap(),
        serde_json::to_string(&veerkracht_index::compute(&d, &ds, 2024, Level::Buurt)).unwrap()
    );
    assert!(
        one.areas
            .iter()
            .all(|a| a.rank_p5 <= a.median_rank && a.median_rank <= a.rank_p95)
    );
    let inside = one
        .areas
        .iter()
        .filter(|a| a.rank_p5 <= a.nominal_rank as f64 && a.nominal_rank as f64 <= a.rank_p95)
        .count();
    assert!(
        inside as f64 > 0.9 * one.areas.len() as f64,
        "{inside} of {}",
        one.areas.len()
    );
    assert_eq!(one.sobol.len(), 3);
    for s in &one.sobol {
        assert!(s.total >= 0.0 && s.total <= 1.5, "{s:?}");
    }
    // With only one normalisation and one treatment on offer, those choices cannot matter.
    let w_only = uncertainty(
        &d,
        &ds,
        2024,
        Level::Buurt,
        &Options {
            runs: 10,
            sobol_n: 40,
            normalisations: vec![Normalisation::Percentile],
            treatments: vec![veerkracht_index::definition::Treatment::None],
            ..Options::default()
        },
    );
    assert_eq!(w_only.sobol[1].total, 0.0);
    assert_eq!(w_only.sobol[2].total, 0.0);
    assert!(w_only.sobol[0].total > 0.5, "{:?}", w_only.sobol);
}

#[test]
fn rank_runs_in_any_split_give_the_bands_of_one_batch() {
    use veerkracht_index::uncertainty::{Options, bands, index_with_uncertainty, rank_runs};
    let ds = demo();
    let d = Definition::veerkracht_basis();
    let o = Options {
        runs: 60,
        sobol_n: 0,
        seed: 9,
        ..Options::default()
    };
    let (_, whole) = index_with_uncertainty(&d, &ds, 2024, Level::Buurt, &o);
    let (codes, mut ranks) = rank_runs(&d, &ds, 2024, Level::Buurt, &o, 0..25);
    let (codes2, rest) = rank_runs(&d, &ds, 2024, Level::Buurt, &o, 25..60);
    assert_eq!(codes, codes2);
    ranks.extend(rest);
    let nominal: Vec<usize> = whole.areas.iter().map(|a| a.nominal_rank).collect();
    assert_eq!(bands(&codes, &nominal, &ranks), whole.areas);
    // another seed gives other bands: the comparison can fail
    let (_, other) = rank_runs(
        &d,
        &ds,
        2024,
        Level::Buurt,
        &Options { seed: 10, ..o },
        0..60,
    );
    assert_ne!(bands(&codes, &nominal, &other), whole.areas);
}

#[test]
fn peer_groups_are_nearest_on_context() {
    let ds = demo();
    let groups = veerkracht_index::peers::peer_groups(
        &Definition::veerkracht_basis(),
        &ds,
        2024,
        Level::Buurt,
        5,
    );
    assert_eq!(groups.len(), 151);
    let with: Vec<_> = groups.iter().filter(|(_, p)| !p.is_empty()).collect();
    assert!(with.len() >= 147);
    for (code, peers) in &with {
        assert_eq!(peers.len(), 5);
        assert!(peers.iter().all(|p| p.code != *code));
        assert!(peers.windows(2).all(|w| w[0].distance <= w[1].distance));
    }
    // Corporatiebuurten find mostly corporatiebuurten: the stock mix is part of the context.
    let corp = |c: &AreaCode| ds.number(2024, c, "p_wcorpw").is_some_and(|p| p > 66.7);
    let (mut same, mut total) = (0, 0);
    for (code, peers) in &with {
        if corp(code) {
            same += peers.iter().filter(|p| corp(&p.code)).count();
            total += peers.len();
        }
    }
    assert!(same * 2 > total, "{same} of {total}");
}

#[test]
fn imputation_reference_and_goalposts() {
    // Two gemeenten: GM9001 (areas 0-2) and GM9002 (areas 3-4).
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    let codes = [
        "BU90010001",
        "BU90010002",
        "BU90010003",
        "BU90020001",
        "BU90020002",
    ];
    let wmo = [Some(10.0), Some(30.0), None, Some(100.0), Some(200.0)];
    for (c, w) in codes.iter().zip(wmo) {
        let c = AreaCode::parse(c).unwrap();
        ds.add_area(&Area::new(c, "b", 2024));
        if let Some(w) = w {
            ds.set_value(
                2024,
                c,
                cat.get("p_wmo_t").unwrap(),
                Value::Number(w),
                Flags::empty(),
                1,
            );
        }
        ds.set_value(
            2024,
            c,
            cat.get("p_arb_pp").unwrap(),
            Value::Number(60.0),
            Flags::empty(),
            1,
        );
    }
    let with =
        |from: &str, to: &str| Definition::parse(&ONE.replace(from, to), "t.toml", &cat).unwrap();
    // Gemeente mean: area 2 gets (10 + 30) / 2 = 20, marked imputed, raw hidden.
    let d = with("imputation = \"none\"", "imputation = \"gemeente_mean\"");
    let r = compute(&d, &ds, 2024, Level::Buurt);
    let c = &r.areas[2].contributions[0];
    assert!(c.imputed && c.raw.is_none() && c.normalised.is_some());
    // National mean: (10 + 30 + 100 + 200) / 4 = 85 → ranks between 30 and 100.
    let d = with("imputation = \"none\"", "imputation = \"national_mean\"");
    let r = compute(&d, &ds, 2024, Level::Buurt);
    let need: Vec<f64> = r
        .areas
        .iter()
        .map(|a| a.contributions[0].need_percentile.unwrap())
        .collect();
    assert!(need[2] > need[1] && need[2] < need[3], "{need:?}");
    // Reference gemeente: the best buurt of each gemeente scores 100 on Wmo.
    let d = with("reference = \"national\"", "reference = \"gemeente\"");
    let r = compute(&d, &ds, 2024, Level::Buurt);
    let n: Vec<Option<f64>> = r
        .areas
        .iter()
        .map(|a| a.contributions[0].normalised)
        .collect();
    assert_eq!(
        n,
        vec![Some(100.0), Some(0.0), None, Some(100.0), Some(0.0)]
    );
    // Goalposts: Wmo 0..200 per 1,000 → 10 is 95 (higher is worse), 200 is 0; clamped.
    let g = ONE
        .replace(
            "normalisation = \"percentile\"",
            "normalisation = \"goalposts\"",
        )
        .replace(
            "  weight = 1.0\n[[component]]",
            "  weight = 1.0\n  goalposts = [0.0, 200.0]\n[[component]]",
        )
        .replace(
            "  direction = \"higher_is_better\"\n  weight = 1.0",
            "  direction = \"higher_is_better\"\n  weight = 1.0\n  goalposts = [0.0, 100.0]",
        );
    let d = Definition::parse(&g, "g.toml", &cat).unwrap();
    let r = compute(&d, &ds, 2024, Level::Buurt);
    assert_eq!(r.areas[0].contributions[0].normalised, Some(95.0));
    assert_eq!(r.areas[4].contributions[0].normalised, Some(0.0));
    assert_eq!(r.areas[0].contributions[1].normalised, Some(60.0));
    // Goalposts are required for every indicator.
    assert!(
        Definition::parse(
            &ONE.replace(
                "normalisation = \"percentile\"",
                "normalisation = \"goalposts\""
            ),
            "g.toml",
            &cat
        )
        .unwrap_err()
        .to_string()
        .contains("goalposts")
    );
}

#[test]
fn geometric_definitions_never_draw_zscores() {
    use veerkracht_index::uncertainty::{Options, uncertainty};
    // Geometric aggregation cannot take negative z-scores (NaN logs would mis-rank every area).
    let ds = demo();
    let text = veerkracht_index::definition::VEERKRACHT_BASIS.replace(
        "aggregation = \"arithmetic\"",
        "aggregation = \"geometric\"",
    );
    let d = Definition::parse(&text, "geo.toml", &Catalogue::embedded()).unwrap();
    let u = uncertainty(
        &d,
        &ds,
        2024,
        Level::Buurt,
        &Options {
            runs: 100,
            sobol_n: 20,
            ..Options::default()
        },
    );
    assert!(
        u.areas.iter().all(|a| a.median_rank.is_finite()
            && a.rank_p5 >= 1.0
            && a.rank_p95 <= u.areas.len() as f64),
        "ranks stay within 1..N"
    );
    // Only z-scores on offer: the design falls back to the definition's own normalisation, so no noise from it.
    let only_z = uncertainty(
        &d,
        &ds,
        2024,
        Level::Buurt,
        &Options {
            runs: 20,
            sobol_n: 20,
            normalisations: vec![Normalisation::Zscore],
            ..Options::default()
        },
    );
    assert_eq!(only_z.sobol[1].total, 0.0);
    let own = uncertainty(
        &d,
        &ds,
        2024,
        Level::Buurt,
        &Options {
            runs: 20,
            sobol_n: 20,
            normalisations: vec![Normalisation::Percentile],
            ..Options::default()
        },
    );
    assert_eq!(
        only_z, own,
        "z-scores dropped: the design is the definition's own normalisation"
    );
}

#[test]
fn class_bounds_and_peer_context_come_from_the_definition() {
    let cat = Catalogue::embedded();
    let ds = dataset(
        &[Some(10.0), Some(20.0), Some(30.0), Some(40.0), Some(50.0)],
        &[None; 5],
    );
    let d = Definition::parse(
        &ONE.replace(
            "corporatie_threshold = 66.7",
            "corporatie_threshold = 66.7\nclass_bounds = [5.0, 10.0, 15.0, 30.0]",
        ),
        "t.toml",
        &cat,
    )
    .unwrap();
    let r = compute(&d, &ds, 2024, Level::Buurt);
    // Percentiles 100, 75, 50, 25, 0 with bounds 5/10/15/30: 25 is above the third bound.
    let classes: Vec<Class> = r.areas.iter().map(|a| a.class.unwrap()).collect();
    assert_eq!(
        classes,
        vec![
            Class::ZeerVeerkrachtig,
            Class::ZeerVeerkrachtig,
            Class::ZeerVeerkrachtig,
            Class::Veerkrachtig,
            Class::VeelAandachtNodig
        ]
    );
    let bad = ONE.replace(
        "corporatie_threshold = 66.7",
        "corporatie_threshold = 66.7\nclass_bounds = [40.0, 20.0, 60.0, 80.0]",
    );
    assert!(
        Definition::parse(&bad, "t.toml", &cat)
            .unwrap_err()
            .to_string()
            .contains("class_bounds")
    );
    let bad = ONE.replace(
        "corporatie_threshold = 66.7",
        "corporatie_threshold = 66.7\npeer_context = [\"a_inw\"]\npeer_context_log = [\"ste_oad\"]",
    );
    assert!(
        Definition::parse(&bad, "t.toml", &cat)
            .unwrap_err()
            .to_string()
            .contains("peer_context")
    );
}
