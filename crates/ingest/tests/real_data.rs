//! Imports of the real CBS/PDOK files in ../shared/data/real, with the counts
//! the foundation issue states. These fail (not skip) under CI when data are missing.

mod common;

use common::{load, real};
use veerkracht_dataset::{AreaCode, Catalogue, Level, Missing, Value};
use veerkracht_ingest::{ImportOptions, import_path};

fn opts() -> ImportOptions {
    ImportOptions::default()
}

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

#[test]
fn kwb_2024_partial_counts() {
    let Some(p) = real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv") else {
        return;
    };
    let (ds, _) = load(&[(p, opts())]);
    assert_eq!(ds.editions(), vec![2024]);
    assert_eq!(ds.areas(2024, Level::Buurt).len(), 8021);
    assert_eq!(ds.areas(2024, Level::Wijk).len(), 1806);
    assert_eq!(ds.areas(2024, Level::Gemeente).len(), 172);
    let buurten = ds.areas(2024, Level::Buurt);
    let corp: Vec<f64> = buurten
        .iter()
        .filter_map(|a| ds.number(2024, &a.code, "p_wcorpw"))
        .collect();
    assert_eq!(corp.len(), 7059);
    assert_eq!(corp.iter().filter(|&&x| x >= 67.0).count(), 282);
    // Missing stays missing: a buurt without p_wcorpw has a reason, not a zero.
    let missing = buurten
        .iter()
        .filter(|a| {
            ds.cell(2024, &a.code, "p_wcorpw").map(|c| c.value)
                == Some(Value::Missing(Missing::NotAvailable))
        })
        .count();
    assert_eq!(missing, 8021 - 7059);
    // Counts at buurt level are flagged as rounded; the land row is exact.
    let c = ds.cell(2024, &code("BU16800000"), "a_inw").unwrap();
    assert!(c.flags.contains(veerkracht_dataset::Flags::ROUNDED));
    assert!(
        !ds.cell(2024, &code("NL00"), "a_inw")
            .unwrap()
            .flags
            .contains(veerkracht_dataset::Flags::ROUNDED)
    );
    assert_eq!(ds.number(2024, &code("NL00"), "a_inw"), Some(17_942_942.0));
    assert_eq!(
        ds.area(2024, &code("WK0363AD")).map(|a| a.level),
        Some(Level::Wijk)
    );
}

#[test]
fn kwb_2024_odata_csv_equals_cleaned_csv() {
    let (Some(raw), Some(clean)) = (
        real("cbs-kwb-2024-85984NED-partial/85984NED_odata_original.csv"),
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial_all_columns.csv"),
    ) else {
        return;
    };
    let (a, batches) = load(&[(raw.clone(), opts())]);
    let (b, _) = load(&[(clean, opts())]);
    // The OData file names its table; the edition follows from the registry (85984NED → 2024).
    assert_eq!(
        batches[0].source.as_ref().unwrap().table.as_deref(),
        Some("85984NED")
    );
    assert_eq!(a.editions(), vec![2024]);
    // All measures of the registry resolve by stem + occurrence (no hard-coded suffix).
    let text = std::fs::read_to_string(&raw).unwrap();
    let t =
        veerkracht_ingest::text::read_csv(text.trim_start_matches('\u{feff}'), "85984NED").unwrap();
    assert_eq!(
        veerkracht_ingest::registry::missing_measures(&t, &Catalogue::embedded(), 2024),
        Vec::<String>::new()
    );
    let mut compared = 0;
    for ind in [
        "a_inw", "p_wcorpw", "g_wozbag", "a_geb_nl", "a_nl_all", "g_hhgro", "bev_dich", "ste_oad",
        "p_koopw",
    ] {
        for area in b.areas(2024, Level::Buurt) {
            let x = a.number(2024, &area.code, ind);
            let y = b.number(2024, &area.code, ind);
            assert_eq!(x, y, "{ind} {}", area.code);
            compared += 1;
        }
    }
    assert!(compared > 70_000);
    // Income is not yet published in this snapshot.
    assert_eq!(
        a.cell(2024, &code("BU16800000"), "g_ink_pi")
            .map(|c| c.value),
        Some(Value::Missing(Missing::NotYetPublished))
    );
}

#[test]
fn utrecht_csv_and_original_xlsx_agree_on_all_columns() {
    for year in [2023u16, 2024] {
        let (Some(csv), Some(xlsx)) = (
            real(&format!("cbs-kwb-utrecht-2023-2024/kwb{year}_utrecht.csv")),
            real(&format!(
                "cbs-kwb-utrecht-2023-2024/CBS-Utrecht-kwb-{year}_original.xlsx"
            )),
        ) else {
            return;
        };
        let (a, ba) = load(&[(csv, opts())]);
        let (b, bb) = load(&[(xlsx, opts())]);
        assert_eq!(a.areas(year, Level::Buurt).len(), 111, "{year}");
        assert_eq!(b.areas(year, Level::Buurt).len(), 111, "{year}");
        assert_eq!(b.areas(year, Level::Wijk).len(), 10);
        assert_eq!(b.areas(year, Level::Gemeente).len(), 1);
        // Every one of the 121 KWB columns maps to a catalogued indicator (none left over).
        let inds: Vec<&str> = bb[0].indicators.iter().map(|i| i.id.as_str()).collect();
        assert!(
            bb[0].indicators.iter().all(|i| i.catalogued),
            "uncatalogued: {:?}",
            bb[0]
                .indicators
                .iter()
                .filter(|i| !i.catalogued)
                .map(|i| &i.id)
                .collect::<Vec<_>>()
        );
        assert_eq!(inds.len() + 7, 121, "121 columns = 7 identity + indicators");
        assert_eq!(ba[0].indicators.len(), bb[0].indicators.len());
        // Same value or same missing reason in every cell.
        let mut cells = 0;
        for area in a
            .areas(year, Level::Buurt)
            .iter()
            .chain(a.areas(year, Level::Wijk).iter())
        {
            for ind in &inds {
                assert_eq!(
                    a.cell(year, &area.code, ind).map(|c| c.value),
                    b.cell(year, &area.code, ind).map(|c| c.value),
                    "{year} {} {ind}",
                    area.code
                );
                cells += 1;
            }
        }
        assert_eq!(cells, 121 * 114);
    }
    // 2023 has housing and social security but no income yet.
    let Some(x) = real("cbs-kwb-utrecht-2023-2024/CBS-Utrecht-kwb-2023_original.xlsx") else {
        return;
    };
    let (d, _) = load(&[(x, opts())]);
    let bu = code("BU03440111");
    assert!(d.number(2023, &bu, "p_wcorpw").is_some());
    assert!(d.number(2023, &bu, "a_soz_wb").is_some() || d.cell(2023, &bu, "a_soz_wb").is_some());
    assert_eq!(
        d.cell(2023, &bu, "g_ink_pi").map(|c| c.value),
        Some(Value::Missing(Missing::NotYetPublished))
    );
}

#[test]
fn benefits_2024_reach_kwb_buurten() {
    let (Some(k), Some(u)) = (
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
        real("cbs-uitkeringen-buurt-2024-partial/uitkeringen_buurt_2024_partial.csv"),
    ) else {
        return;
    };
    let (ds, batches) = load(&[(k, opts()), (u.clone(), opts())]);
    let src = batches[1].source.as_ref().unwrap();
    assert_eq!(
        (src.table.as_deref(), src.family.as_str()),
        (Some("86003NED"), "benefits")
    );
    // The latest period per area: september, except for the last (truncated) gemeente of the partial file.
    assert_eq!(src.period.as_deref(), Some("2024 maart, 2024 september"));
    let kwb_buurten: Vec<_> = ds
        .areas(2024, Level::Buurt)
        .into_iter()
        .filter(|a| ds.cell(2024, &a.code, "a_inw").is_some())
        .collect();
    let with_cell = kwb_buurten
        .iter()
        .filter(|a| ds.cell(2024, &a.code, "a_soz_wb").is_some())
        .count();
    let with_number = kwb_buurten
        .iter()
        .filter(|a| ds.number(2024, &a.code, "a_soz_wb").is_some())
        .count();
    assert_eq!(with_cell, 2678);
    assert_eq!(with_number, 2382, "numbers in the latest period per buurt");
    // Suppressed small areas stay suppressed, flagged counts are rounded.
    let suppressed = kwb_buurten
        .iter()
        .filter(|a| {
            ds.cell(2024, &a.code, "a_soz_wb").map(|c| c.value)
                == Some(Value::Missing(Missing::Suppressed))
        })
        .count();
    assert_eq!(suppressed, 2678 - 2382);
    // The original OData CSV gives the same numbers.
    let Some(raw) = real("cbs-uitkeringen-buurt-2024-partial/86003NED_odata_original.csv") else {
        return;
    };
    let (ds2, _) = load(&[(raw, opts())]);
    for a in &kwb_buurten {
        assert_eq!(
            ds.number(2024, &a.code, "a_soz_wb"),
            ds2.number(2024, &a.code, "a_soz_wb"),
            "{}",
            a.code
        );
        assert_eq!(
            ds.number(2024, &a.code, "a_soz_ao"),
            ds2.number(2024, &a.code, "a_soz_ao")
        );
    }
}

#[test]
fn wmo_2024_reaches_kwb_wijken() {
    let (Some(k), Some(w), Some(raw)) = (
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
        real("cbs-wmo-clienten-wijk-2024h1/wmo_clienten_wijk_2024h1.csv"),
        real("cbs-wmo-clienten-wijk-2024h1/85995NED_odata_original.csv"),
    ) else {
        return;
    };
    let (ds, b) = load(&[(k.clone(), opts()), (w, opts())]);
    assert!(
        b[1].warnings
            .iter()
            .any(|w| w.contains("without an area code were skipped")),
        "{:?}",
        b[1].warnings
    );
    let wijken: Vec<_> = ds
        .areas(2024, Level::Wijk)
        .into_iter()
        .filter(|a| ds.cell(2024, &a.code, "a_inw").is_some())
        .collect();
    assert_eq!(wijken.len(), 1806);
    assert_eq!(
        wijken
            .iter()
            .filter(|a| ds.cell(2024, &a.code, "p_wmo_t").is_some())
            .count(),
        1790
    );
    assert_eq!(
        wijken
            .iter()
            .filter(|a| ds.number(2024, &a.code, "p_wmo_t").is_some())
            .count(),
        1625
    );
    // The OData original (all financing types) filtered to Totaal gives the same.
    let (ds2, _) = load(&[(k, opts()), (raw, opts())]);
    for a in &wijken {
        assert_eq!(
            ds.number(2024, &a.code, "a_wmo_t"),
            ds2.number(2024, &a.code, "a_wmo_t"),
            "{}",
            a.code
        );
    }
}

#[test]
fn crime_2016_2018_tables() {
    let Some(long) = real(
        "cbs-misdrijven-wijk-buurt-2016-2018-partial/misdrijven_wijk_buurt_2016_2018_partial.csv",
    ) else {
        return;
    };
    let (ds, _) = load(&[(long, opts())]);
    assert_eq!(ds.editions(), vec![2016, 2017, 2018]);
    let counts: Vec<(usize, usize, usize)> = [2016, 2017, 2018]
        .iter()
        .map(|&y| {
            (
                ds.areas(y, Level::Gemeente).len(),
                ds.areas(y, Level::Wijk).len(),
                ds.areas(y, Level::Buurt).len(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![(218, 1853, 7929), (213, 1824, 7963), (209, 1811, 7980)]
    );
    let ams = code("GM0363");
    assert_eq!(ds.number(2017, &ams, "a_tot_vvg"), Some(76252.0));
    assert_eq!(ds.number(2017, &ams, "g_tot_vvg"), Some(90.0));
    // The three original OData tables give the same values; their edition comes from the table registry.
    let mut files = Vec::new();
    for f in [
        "83903NED_odata_original.csv",
        "83901NED_odata_original.csv",
        "84468NED_odata_original.csv",
    ] {
        let Some(p) = real(&format!("cbs-misdrijven-wijk-buurt-2016-2018-partial/{f}")) else {
            return;
        };
        files.push((p, opts()));
    }
    let (raw, _) = load(&files);
    assert_eq!(raw.editions(), vec![2016, 2017, 2018]);
    for y in [2016, 2017, 2018] {
        for a in ds.areas(y, Level::Buurt).iter().take(2000) {
            for ind in ["a_tot_vvg", "a_geweld", "g_woninb", "a_dief_woning"] {
                assert_eq!(
                    ds.number(y, &a.code, ind),
                    raw.number(y, &a.code, ind),
                    "{y} {} {ind}",
                    a.code
                );
            }
        }
    }
}

#[test]
fn leefbaarometer_amstelveen() {
    let Some(p) =
        real("leefbaarometer-amstelveen-wijk-2014-2022/leefbaarometer_amstelveen_wijk.csv")
    else {
        return;
    };
    let (ds, _) = load(&[(p, opts())]);
    assert_eq!(ds.editions().len(), 4);
    let mut n = 0;
    for y in ds.editions() {
        let w = ds.areas(y, Level::Wijk);
        assert_eq!(w.len(), 14);
        for a in w {
            let parts: f64 = ["lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv"]
                .iter()
                .map(|i| ds.number(y, &a.code, i).unwrap())
                .sum();
            assert!((parts - ds.number(y, &a.code, "lbm_afw").unwrap()).abs() < 1e-6);
            n += 1;
        }
    }
    assert_eq!(n, 56);
    // The original export (unnamed index column, other column order) reads the same.
    let Some(o) =
        real("leefbaarometer-amstelveen-wijk-2014-2022/AmstelveenDataWithDimensions_original.csv")
    else {
        return;
    };
    let (d2, _) = load(&[(o, opts())]);
    for y in ds.editions() {
        for a in ds.areas(y, Level::Wijk) {
            assert_eq!(
                ds.number(y, &a.code, "lbm_onv"),
                d2.number(y, &a.code, "lbm_onv")
            );
        }
    }
}

#[test]
fn national_wijk_geometries_cover_every_kwb_wijk() {
    let (Some(g), Some(k)) = (
        real("geo-wijken-gemeenten-2024-nl/wijken_2024.geojson"),
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
    ) else {
        return;
    };
    let (ds, _) = load(&[(g, opts()), (k, opts())]);
    let e = ds.edition(2024).unwrap();
    assert_eq!(
        e.geometries()
            .keys()
            .filter(|c| c.level() == Level::Wijk)
            .count(),
        3475
    );
    let kwb_wijken: Vec<_> = ds
        .areas(2024, Level::Wijk)
        .into_iter()
        .filter(|a| ds.cell(2024, &a.code, "a_inw").is_some())
        .collect();
    assert_eq!(kwb_wijken.len(), 1806);
    let without: Vec<_> = kwb_wijken
        .iter()
        .filter(|a| e.geometry(&a.code).is_none())
        .map(|a| a.code.to_string())
        .collect();
    assert!(without.is_empty(), "KWB wijken without shape: {without:?}");
    // Stored in RD New: Amsterdam's centre lies near x 121,000, y 487,000.
    let ams = e.geometry(&code("WK0363AA")).unwrap();
    let c = geo::Centroid::centroid(ams).unwrap();
    assert!(
        (c.x() - 121_000.0).abs() < 3_000.0 && (c.y() - 487_000.0).abs() < 3_000.0,
        "{c:?}"
    );
}

#[test]
fn amsterdam_buurt_shapes_with_their_crosswalk() {
    let (Some(g), Some(x), Some(k)) = (
        real("geo-amsterdam-buurten-wijken/amsterdam_buurten.geojson"),
        real("geo-amsterdam-buurten-wijken/amsterdam_buurten_to_kwb2024_crosswalk.csv"),
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
    ) else {
        return;
    };
    let o = ImportOptions {
        edition: Some(2024),
        codes: Some(("crosswalk.csv".into(), std::fs::read_to_string(&x).unwrap())),
        ..opts()
    };
    let (ds, b) = load(&[(k, opts()), (g, o)]);
    assert!(
        b[1].warnings
            .iter()
            .any(|w| w.starts_with("49 feature(s) have no code")),
        "{:?}",
        b[1].warnings
    );
    let e = ds.edition(2024).unwrap();
    let ams: Vec<_> = ds
        .areas(2024, Level::Buurt)
        .into_iter()
        .filter(|a| {
            a.code.gemeente() == Some(code("GM0363")) && ds.cell(2024, &a.code, "a_inw").is_some()
        })
        .collect();
    assert_eq!(ams.len(), 517);
    assert_eq!(
        ams.iter().filter(|a| e.geometry(&a.code).is_some()).count(),
        491
    );
}

#[test]
fn same_file_twice_is_the_same_batch() {
    let Some(p) = real("cbs-kwb-utrecht-2023-2024/kwb2024_utrecht.csv") else {
        return;
    };
    let cat = Catalogue::embedded();
    let a = import_path(&p, &cat, &opts()).unwrap();
    let b = import_path(&p, &cat, &opts()).unwrap();
    assert_eq!(a[0].source, b[0].source);
    assert_eq!(a[0].observations, b[0].observations);
}

#[test]
fn odata_json_with_data_properties() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/odata");
    let cat = Catalogue::embedded();
    let b = import_path(&dir.join("85984NED_TypedDataSet.json"), &cat, &opts()).unwrap();
    let b = &b[0];
    let src = b.source.as_ref().unwrap();
    assert_eq!(
        (src.format.as_str(), src.table.as_deref()),
        ("odata-json", Some("85984NED"))
    );
    assert!(
        b.warnings
            .iter()
            .any(|w| w.contains("resolved by its title") && w.contains("g_wozbag")),
        "{:?}",
        b.warnings
    );
    let mut ds = veerkracht_dataset::Dataset::new(cat.clone());
    ds.add_batch(b, 1);
    let bu = code("BU90010001");
    assert_eq!(
        ds.area(2024, &bu).unwrap().name,
        "",
        "a TypedDataSet row holds the region key, not its name"
    );
    assert_eq!(ds.number(2024, &bu, "a_inw"), Some(1205.0));
    assert_eq!(
        ds.number(2024, &bu, "a_nl_all"),
        Some(1100.0),
        "Nederland_17 is herkomst"
    );
    assert_eq!(
        ds.number(2024, &bu, "a_geb_nl"),
        Some(1040.0),
        "Nederland_20 is geboren in NL"
    );
    assert_eq!(ds.number(2024, &bu, "g_wozbag"), Some(255.0));
    assert_eq!(
        ds.cell(2024, &bu, "g_ink_pi").map(|c| c.value),
        Some(Value::Missing(Missing::NotYetPublished))
    );
    let small = code("BU90010002");
    assert_eq!(
        ds.cell(2024, &small, "p_wcorpw").map(|c| c.value),
        Some(Value::Missing(Missing::NotAvailable))
    );
    // The registry says loudly which measures of the 2024 edition the file lacks.
    assert!(
        b.warnings
            .iter()
            .any(|w| w.contains("registry measures not found") && w.contains("a_soz_wb")),
        "{:?}",
        b.warnings
    );
}

#[test]
fn the_registry_fails_loudly_when_cbs_renames_a_measure() {
    let Some(raw) = real("cbs-kwb-2024-85984NED-partial/85984NED_odata_original.csv") else {
        return;
    };
    let text = std::fs::read_to_string(&raw).unwrap();
    let renamed = text.replacen("InBezitWoningcorporatie_49", "EigendomCorporatie_49", 1);
    let t = veerkracht_ingest::text::read_csv(renamed.trim_start_matches('\u{feff}'), "85984NED")
        .unwrap();
    assert_eq!(
        veerkracht_ingest::registry::missing_measures(&t, &Catalogue::embedded(), 2024),
        vec!["p_wcorpw".to_string()]
    );
}

#[test]
fn crosswalk_between_real_crime_editions() {
    let Some(long) = real(
        "cbs-misdrijven-wijk-buurt-2016-2018-partial/misdrijven_wijk_buurt_2016_2018_partial.csv",
    ) else {
        return;
    };
    let (ds, _) = load(&[(long, opts())]);
    let links = veerkracht_dataset::crosswalk(&ds, 2017, 2018, Level::Buurt);
    let targets: std::collections::BTreeSet<_> = links.iter().map(|l| l.to).collect();
    assert_eq!(
        targets.len(),
        ds.areas(2018, Level::Buurt).len(),
        "every 2018 buurt gets a line"
    );
    let same = links
        .iter()
        .filter(|l| l.method == veerkracht_dataset::Method::CodeAndName)
        .count();
    assert!(
        same as f64 > 0.9 * targets.len() as f64,
        "{same} of {}",
        targets.len()
    );
    // Without shapes a changed name under the same code is flagged for review, never silently equal.
    for l in links
        .iter()
        .filter(|l| l.method == veerkracht_dataset::Method::CodeNameChanged)
    {
        assert_ne!(
            l.from_name.as_deref().map(str::to_lowercase),
            Some(l.to_name.to_lowercase())
        );
        assert!(l.method.needs_review());
    }
}
