//! Browser end-to-end test: headless Chromium (Debian `chromium` + `chromium-driver`) driven by
//! selenium (`BROWSER_PYTHON`, a Python with selenium; `.ci/run` makes `.ci/venv-browser`)
//! loads the map, clicks a buurt, opens its profile, checks the shown number against the API,
//! switches language and map layer, runs axe-core (vendored) on every page it visits, and saves
//! screenshots to `target/screenshots/`.
//! Required under CI.

mod common;

#[test]
fn map_click_profile_and_api_agree_in_chromium() {
    let Some(python) = common::browser_python() else {
        return;
    };
    let addr = common::server();
    let shots = common::screenshots();
    let out = common::run_browser_script(&python, "e2e.py", addr, &shots, &[]);
    eprintln!("{out:#}");
    assert_eq!(out["map_areas"], 151, "every demo buurt is on the map");
    assert_eq!(out["legend_items"], 6);
    assert_eq!(out["html_lang"], "nl");
    assert_eq!(
        out["first_tab"], "Naar de inhoud",
        "keyboard: the skip link comes first"
    );
    let api = out["api_score"]
        .as_f64()
        .expect("the clicked buurt has a score");
    let shown = format!("{api:.1}").replace('.', ",");
    assert_eq!(out["profile_score_text"], shown.as_str());
    assert!(out["waarom_rows"].as_u64().unwrap() >= 10);
    assert_eq!(out["english_h2"], "Resilience score");
    let legend: Vec<&str> = out["lisa_legend"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert!(
        legend
            .iter()
            .any(|l| l.starts_with("lage score tussen lage")),
        "{legend:?}"
    );
    assert!(
        out["scenario_rows"].as_u64().unwrap() >= 5,
        "a scenario ran in the browser"
    );
    // "Doorrekenen" with the page's script: the first picture from the first 4 runs (or a
    // later part when the browser looked later), refined to all 50; the address names the
    // choice; the map of differences has its withheld buurten hatched and zooms
    let first = out["scenario_first_runs"].as_u64().unwrap();
    assert!([4, 12, 25, 50].contains(&first), "{first}");
    assert_eq!(out["scenario_done_runs"], 50);
    assert_eq!(out["scenario_url"], "/scenarios?scenario=spreiding&runs=50");
    let k = &out["verschilkaart"];
    assert!(k[1].as_u64().unwrap() > 0, "withheld buurten hatched: {k}");
    assert_eq!(
        k[0].as_u64().unwrap() + k[1].as_u64().unwrap(),
        k[2].as_u64().unwrap(),
        "every simulated buurt with a shape is on the map: {k}"
    );
    assert_eq!(out["verschilkaart_zoomt"], true);
    // the newer charts are drawn in the browser too
    assert!(
        out["rang-grafiek"].as_u64().unwrap() >= 2,
        "{}",
        out["rang-grafiek"]
    );
    assert!(out["componenten-grafiek"].as_u64().unwrap() >= 8);
    assert!(out["corporatie_intervals"].as_u64().unwrap() >= 3);
    assert!(out["huurmix_stack_parts"].as_u64().unwrap() >= 30);
    // the policy variant page draws its map and its charts
    assert!(
        out["variant_map_areas"].as_u64().unwrap() >= 100,
        "{}",
        out["variant_map_areas"]
    );
    assert!(
        out["variant_columns"].as_u64().unwrap() >= 3,
        "{}",
        out["variant_columns"]
    );
    // the dossier fits A4 portrait: nothing sticks out at the printable width
    let o = &out["dossier_overflow"];
    assert_eq!(o["bad"].as_array().unwrap().len(), 0, "{o}");
    assert!(o["scroll"].as_u64() <= o["width"].as_u64(), "{o}");
    assert!(
        out["dossier_pdf_pages"].as_u64().unwrap() >= 2,
        "profile and method appendix"
    );
    assert_eq!(out["dossier_pdf_a4"], true, "every page A4 portrait");
    assert_eq!(
        out["console_errors"].as_array().unwrap().len(),
        0,
        "{}",
        out["console_errors"]
    );
    // the signal page's scatter: one dot per classified buurt, with its numbers
    let ds = common::demo_dataset();
    let def = veerkracht_index::Definition::veerkracht_basis();
    let sig = common::demo_signal();
    let classified = sig.areas.iter().filter(|a| a.quadrant.is_some()).count();
    assert_eq!(out["signal_dots"], classified);
    assert_eq!(out["signal_svg"]["error"], 0, "{}", out["signal_svg"]);
    assert_eq!(out["signal_svg"]["root"], "svg");
    assert_eq!(out["signal_svg"]["dots"], classified);
    assert!(
        out["signal_title"]
            .as_str()
            .unwrap()
            .contains("Δ kwetsbaarheid (SD)"),
        "{}",
        out["signal_title"]
    );
    let scored = veerkracht_index::compute(&def, &ds, 2024, veerkracht_dataset::Level::Buurt)
        .areas
        .iter()
        .filter(|a| a.score.is_some())
        .count();
    assert_eq!(
        out["moran_dots"], scored,
        "a dot per scored buurt on the Moran plot"
    );
    // Accessibility: axe-core (vendored) finds no WCAG 2.0/2.1 A or AA violation on any page.
    let axe = out["axe"].as_object().expect("axe ran");
    assert!(axe.len() >= 12, "axe ran on {} pages", axe.len());
    for (page, violations) in axe {
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{page}: {violations}"
        );
    }
    assert!(
        out["trend_dots"].as_u64().unwrap() >= 4,
        "the profile's trend chart: the buurt and the gemeente per edition"
    );
    assert_eq!(
        out["corporatie_boxes"],
        2 * (1 + def.component.len()),
        "score and components, corporatiebuurten and the others"
    );
    assert_eq!(out["fans"], 6, "three fan charts, baseline and scenario");
    assert!(
        out["huurmix_columns"].as_u64().unwrap() >= 7,
        "points classes and segments now (and after, where not withheld)"
    );
    assert!(
        out["waarom_bars"].as_u64().unwrap() >= 8,
        "the waarom as bars"
    );
    for f in [
        "09b-huurmix-grafieken.png",
        "02c-buurtprofiel-waarom.png",
        "10b-scenario-waaiers.png",
        "06b-corporatie-spreiding.png",
        "02b-buurtprofiel-trend.png",
        "05b-moran-spreidingsdiagram.png",
        "07b-signaal-grafiek.png",
        "01-kaart.png",
        "02-buurtprofiel.png",
        "04-kaart-lisa.png",
        "08-methode.png",
    ] {
        let p = shots.join(f);
        assert!(
            std::fs::metadata(&p)
                .map(|m| m.len() > 10_000)
                .unwrap_or(false),
            "{} saved",
            p.display()
        );
    }
}
