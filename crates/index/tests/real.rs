//! The index and the corporatiebuurt comparison on the real partial KWB 2024
//! (172 gemeenten) with the real benefits 2024; fails (not skips) under CI when
//! ../shared is missing.

use veerkracht_dataset::{Catalogue, Dataset, Level};
use veerkracht_index::{Definition, Reason, Status, compare, compute};
use veerkracht_ingest::{ImportOptions, import_path};

use veerkracht_testkit::real;

#[test]
fn index_and_comparison_on_real_kwb_2024() {
    let (Some(k), Some(u)) = (
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
        real("cbs-uitkeringen-buurt-2024-partial/uitkeringen_buurt_2024_partial.csv"),
    ) else {
        return;
    };
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for (i, p) in [k, u].iter().enumerate() {
        for b in import_path(p, &cat, &ImportOptions::default()).unwrap() {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    let def = Definition::veerkracht_basis();
    let r = compute(&def, &ds, 2024, Level::Buurt);
    assert_eq!(r.areas.len(), 8021, "the index runs for every buurt");
    let scored = r.areas.iter().filter(|a| a.score.is_some()).count();
    let unscored_explained = r
        .areas
        .iter()
        .filter(|a| a.score.is_none())
        .all(|a| a.status == Status::NotScored && !a.exclusions.is_empty());
    assert!(unscored_explained);
    // Eligibility (issue 16, docs/index-validiteit.md §5): the cases the issue measured in the
    // "veel aandacht nodig" top of the old ranking are not scored, each for its reasons.
    let mut by_reason = std::collections::BTreeMap::new();
    for a in &r.areas {
        for x in &a.exclusions {
            *by_reason.entry(x.reason).or_insert(0) += 1;
        }
    }
    let statuses = [Status::Scored, Status::Caveat, Status::NotScored]
        .map(|s| r.areas.iter().filter(|a| a.status == s).count());
    eprintln!("scored, caveat, not scored: {statuses:?}; rules that fired: {by_reason:?}");
    assert_eq!(statuses, [1949, 65, 6007]);
    assert_eq!(by_reason[&Reason::TooFewHouseholds], 2122);
    assert_eq!(by_reason[&Reason::TooFewInhabitants], 1280);
    assert_eq!(by_reason[&Reason::Institutional], 163);
    assert_eq!(by_reason[&Reason::StudentArea], 77);
    use Reason::*;
    for (name, code, reasons) in [
        ("AZC", "BU03030548", &[TooFewHouseholds, Institutional][..]),
        (
            "Prinsenbosch",
            "BU07840209",
            &[TooFewHouseholds, Institutional, StudentArea],
        ),
        (
            "Grittenhof",
            "BU01185102",
            &[TooFewHouseholds, Institutional],
        ),
        (
            "Van Swieten",
            "BU00140703",
            &[TooFewHouseholds, TooFewInhabitants, Institutional],
        ),
        (
            "De Groote Vliet",
            "BU07960702",
            &[TooFewHouseholds, TooFewInhabitants],
        ),
        (
            "BT Dierenstein",
            "BU04895072",
            &[TooFewHouseholds, TooFewInhabitants, NonResidential],
        ),
        (
            "Bedrijventerrein Tanthof-Oost",
            "BU05032300",
            &[TooFewHouseholds, TooFewInhabitants],
        ),
        ("TU-Campus", "BU05032805", &[StudentArea]),
        ("TU-terrein", "BU07721150", &[StudentArea]),
        ("Campus Diemen Zuid", "BU03840501", &[StudentArea]),
    ] {
        let a = r.areas.iter().find(|a| a.code.as_str() == code).unwrap();
        assert_eq!(a.name, name);
        let fired: Vec<Reason> = a.exclusions.iter().map(|x| x.reason).collect();
        assert_eq!(
            &fired[..reasons.len()],
            reasons,
            "{name}: {:?}",
            a.exclusions
        );
        assert!(a.rank.is_none() && a.class.is_none(), "{name}");
    }
    // No ranked buurt is below the minimum inhabitants or households the definition states.
    let e = def.eligibility.as_ref().unwrap();
    let codes: Vec<_> = r.areas.iter().map(|a| a.code).collect();
    let inw = ds.cells(2024, &codes, "a_inw");
    let hh = ds.cells(2024, &codes, "a_hh");
    for (i, a) in r.areas.iter().enumerate() {
        if a.rank.is_some() {
            let n = inw[i].as_ref().and_then(|c| c.value.number());
            let h = hh[i].as_ref().and_then(|c| c.value.number());
            assert!(n.is_none_or(|n| n >= e.min_inhabitants), "{} {n:?}", a.name);
            assert!(h.is_none_or(|h| h >= e.min_households), "{} {h:?}", a.name);
        }
    }
    // No income, Wmo, youth care, labour or Leefbaarometer at buurt level in this snapshot: the
    // definition still runs on what exists and says what was not available.
    let unavailable: Vec<&str> = r
        .indicators
        .iter()
        .filter(|i| !i.available)
        .map(|i| i.id.as_str())
        .collect();
    for id in [
        "laag_inkomen_pct",
        "wmo_per_1000",
        "jeugdzorg_pct",
        "arbeidsparticipatie",
        "lbm_onv",
    ] {
        assert!(
            unavailable.contains(&id),
            "{id} should be unavailable: {unavailable:?}"
        );
    }
    assert_eq!(scored, 1949 + 65, "scored plainly or with a caveat");
    let c = compare(&def, &ds, &r, def.method.corporatie_threshold, 7);
    assert_eq!(c.n_corp, 282, "buurten with p_wcorpw > 66.7");
    assert_eq!(c.classified, 7059);
    let bijstand = c
        .variables
        .iter()
        .find(|v| v.variable == "bijstand_per_1000")
        .unwrap();
    let d = bijstand.diff_mean.as_ref().unwrap();
    eprintln!(
        "bijstand per 1,000: corporatiebuurten {:.1} vs rest {:.1}; difference {:.1} [{:.1}, {:.1}], matched pairs {} → {:?}",
        bijstand.mean_corp.unwrap(),
        bijstand.mean_rest.unwrap(),
        d.estimate,
        d.low,
        d.high,
        bijstand.matched_pairs,
        bijstand.diff_matched
    );
    assert!(
        d.low > 0.0,
        "more social assistance in corporatiebuurten, clearly: {d:?}"
    );
    assert!(bijstand.matched_pairs > 100);
    let score = c.variables.iter().find(|v| v.variable == "score").unwrap();
    assert!(
        score.diff_mean.as_ref().unwrap().high < 0.0,
        "lower veerkracht score in corporatiebuurten"
    );
    assert_eq!(
        c.sensitivity
            .iter()
            .map(|s| s.threshold)
            .collect::<Vec<_>>(),
        vec![50.0, 60.0, 66.7, 75.0]
    );
    assert!(c.sensitivity.windows(2).all(|w| w[0].n_corp >= w[1].n_corp));
}

#[test]
fn wmo_per_wijk_fills_buurten_marked_as_wijk_values() {
    let (Some(k), Some(w)) = (
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
        real("cbs-wmo-clienten-wijk-2024h1/wmo_clienten_wijk_2024h1.csv"),
    ) else {
        return;
    };
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for (i, p) in [k, w].iter().enumerate() {
        for b in import_path(p, &cat, &ImportOptions::default()).unwrap() {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    let r = compute(&Definition::veerkracht_basis(), &ds, 2024, Level::Buurt);
    let wmo: Vec<_> = r
        .areas
        .iter()
        .map(|a| {
            a.contributions
                .iter()
                .find(|c| c.indicator == "wmo_per_1000")
                .unwrap()
        })
        .collect();
    let filled = wmo.iter().filter(|c| c.raw.is_some()).count();
    assert!(filled > 6000, "{filled} buurten get their wijk's Wmo rate");
    assert!(
        wmo.iter()
            .filter(|c| c.raw.is_some())
            .all(|c| c.reliability.contains(&"wijkwaarde"))
    );
    // Each buurt carries exactly its wijk's published rate.
    let a = r
        .areas
        .iter()
        .zip(&wmo)
        .find(|(_, c)| c.raw.is_some())
        .unwrap()
        .0;
    let wijk = a.code.wijk().unwrap();
    assert_eq!(
        wmo.iter()
            .zip(&r.areas)
            .find(|(_, x)| x.code == a.code)
            .unwrap()
            .0
            .raw,
        ds.number(2024, &wijk, "p_wmo_t")
    );
}

/// The veerkracht signal on real data (issue 16): benefits 2016 and 2018 with the registered
/// crime of those years, whose tables carry the inhabitants the rates need.
#[test]
fn the_real_signal_2016_to_2018_classifies_the_buurten_with_both_sources() {
    let (Some(crime), Some(benefits)) = (
        real(
            "cbs-misdrijven-wijk-buurt-2016-2018-partial/misdrijven_wijk_buurt_2016_2018_partial.csv",
        ),
        real("cbs-uitkeringen-buurt-2016-2018-partial/uitkeringen_buurt_2016_2018_partial.csv"),
    ) else {
        return;
    };
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for (i, p) in [crime, benefits].iter().enumerate() {
        for b in import_path(p, &cat, &ImportOptions::default()).unwrap() {
            assert!(
                !b.warnings.iter().any(|w| w.contains("a_inw")),
                "the crime tables' inhabitants are kept: {:?}",
                b.warnings
            );
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    let def = Definition::veerkracht_basis();
    let s = veerkracht_index::signal(
        &def,
        &ds,
        2016,
        2018,
        Level::Buurt,
        def.method.signal_dead_band,
    );
    assert_eq!(
        s.vulnerability_indicators,
        ["bijstand_per_1000", "ao_per_1000"]
    );
    assert_eq!(s.pressure_indicators, ["misdrijven_per_1000"]);
    let counts: Vec<usize> = s.counts.iter().map(|c| c.1).collect();
    eprintln!("quadrants 2016→2018: {:?}", s.counts);
    let classified: usize = counts.iter().sum();
    assert!(classified >= 1500, "{classified} buurten classified");
    assert_eq!(counts, [25, 130, 99, 1286]);
    // A buurt CBS recoded between the editions is compared with its namesake in the gemeente.
    let renamed = s
        .areas
        .iter()
        .filter(|a| a.quadrant.is_some())
        .filter(|a| a.note.as_deref().is_some_and(|n| n.contains("zelfde naam")))
        .count();
    assert_eq!(renamed, 14, "recoded buurten matched by name");
    // Relative to the gemeente as well, for every classified buurt in a gemeente with others.
    let rel = s.areas.iter().filter(|a| a.quadrant_rel.is_some()).count();
    assert!(rel >= 1500, "{rel} classified relative to their gemeente");
    // No buurt below the definition's minimum inhabitants gets a signal, and each says why.
    let e = def.eligibility.as_ref().unwrap();
    for a in &s.areas {
        let small = [2016, 2018].iter().any(|&ed| {
            ds.number(ed, &a.code, "a_inw")
                .is_some_and(|n| n < e.min_inhabitants)
        });
        if small {
            assert!(a.quadrant.is_none(), "{} {}", a.code, a.name);
            let note = a.note.as_deref().unwrap();
            assert!(
                note.contains("te weinig inwoners") || note.contains("bestaat niet in 2016"),
                "{} {note}",
                a.code
            );
        }
    }
}
