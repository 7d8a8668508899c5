//! What a scenario answer looks like (the JSON of `simulation::result_json`): the result
//! block of the scenario page — region table, fan charts per indicator, the map of per-buurt
//! differences, the buurt lists — and its numbers as CSV rows. Shared by the page, the
//! progressive computation's result block and its CSV (`routes::scenarios`).

use std::fmt::Write as _;

use serde_json::Value;
use serde_json::json;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;

/// Region indicators shown, with Dutch and English labels and decimals.
pub const KERN: [(&str, &str, &str, usize); 9] = [
    (
        "aandeel_kwetsbaar",
        "aandeel kwetsbare huishoudens",
        "share of vulnerable households",
        3,
    ),
    (
        "dissimilariteit",
        "dissimilariteitsindex kwetsbaar",
        "dissimilarity index (vulnerable)",
        3,
    ),
    (
        "hoogste_buurtaandeel_kwetsbaar",
        "hoogste buurtaandeel kwetsbaar",
        "highest buurt share vulnerable",
        3,
    ),
    (
        "hoogste_buurtaandeel_kwetsbare_plaatsingen",
        "hoogste buurtaandeel kwetsbare plaatsingen",
        "highest buurt share of vulnerable lettings",
        3,
    ),
    (
        "verhuringen",
        "verhuringen per jaar",
        "lettings per year",
        0,
    ),
    (
        "wachttijd_kwetsbaar",
        "wachttijd kwetsbaar (jaar)",
        "waiting time vulnerable (years)",
        2,
    ),
    (
        "wachttijd_overig",
        "wachttijd overig (jaar)",
        "waiting time others (years)",
        2,
    ),
    (
        "geblokkeerd",
        "geblokkeerd door spreiding/Rotterdamwet",
        "blocked by spreading/Rotterdamwet",
        0,
    ),
    ("gem_huur", "gemiddelde huur (€)", "mean rent (€)", 0),
];

/// The numbers of a scenario answer as CSV rows: per region indicator and year, then per buurt
/// the vulnerable share in the last year; p5, p50 and p95 of the baseline, the scenario and
/// (region) the difference; empty cells with the reason in `afgeschermd` where withheld.
pub fn result_rows(v: &Value) -> Vec<serde_json::Map<String, Value>> {
    let mut rows = Vec::new();
    let mut row = |soort: &str,
                   jaar: &Value,
                   indicator: &str,
                   code: &Value,
                   naam: &Value,
                   x: &Value,
                   afg: String| {
        let mut m = serde_json::Map::new();
        m.insert("soort".into(), json!(soort));
        m.insert("jaar".into(), jaar.clone());
        m.insert("indicator".into(), json!(indicator));
        m.insert("code".into(), code.clone());
        m.insert("naam".into(), naam.clone());
        for side in ["basis", "scenario", "verschil"] {
            for p in ["p5", "p50", "p95"] {
                m.insert(format!("{side}_{p}"), x[side][p].clone());
            }
        }
        m.insert("afgeschermd".into(), json!(afg));
        rows.push(m);
    };
    for r in v["regio"].as_array().into_iter().flatten() {
        row(
            "regio",
            &r["jaar"],
            r["indicator"].as_str().unwrap_or(""),
            &Value::Null,
            &Value::Null,
            r,
            r["afgeschermd"].as_str().unwrap_or("").to_string(),
        );
    }
    for b in v["buurten"].as_array().into_iter().flatten() {
        let x = json!({"basis": b["aandeel_kwetsbaar_basis"], "scenario": b["aandeel_kwetsbaar_scenario"]});
        let afg = b["afgeschermd"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, w)| format!("{k}: {}", w.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        row(
            "buurt",
            &b["jaar"],
            "aandeel_kwetsbaar",
            &b["code"],
            &b["naam"],
            &x,
            afg,
        );
    }
    rows
}

/// The result block of a scenario answer; `csv`: where its numbers are as CSV (a finished
/// progressive computation's). Only then do its charts get download links: the answer is
/// kept, so a download does not run the simulation again.
pub fn result_html(st: &AppState, lang: Lang, v: &Value, csv: Option<&str>) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<h2>{} '{}' {} '{}'</h2><p>{}</p><p class=\"note\">{} {}, seed {}, {}–{}.</p>",
        lang.t("Scenario", "Scenario"),
        esc(v["scenario"].as_str().unwrap_or("")),
        lang.t("tegenover", "against"),
        esc(v["basis"].as_str().unwrap_or("")),
        esc(v["omschrijving"].as_str().unwrap_or("")),
        v["runs"],
        lang.t("runs", "runs"),
        v["seed"],
        v["startjaar"],
        v["startjaar"].as_i64().unwrap_or(0) + v["jaren"].as_i64().unwrap_or(1) - 1
    );
    let band = |q: &Value, d: usize| {
        if q.is_null() {
            // withheld (the region rests on fewer than k)
            return format!(
                "<span class=\"afgeschermd\" title=\"{}\">·</span>",
                lang.t("afgeschermd", "withheld")
            );
        }
        format!(
            "{} <span class=\"band\">[{}; {}]</span>",
            num(lang, q["p50"].as_f64(), d),
            num(lang, q["p5"].as_f64(), d),
            num(lang, q["p95"].as_f64(), d)
        )
    };
    let last = v["startjaar"].as_i64().unwrap_or(0) + v["jaren"].as_i64().unwrap_or(1) - 1;
    let regio = v["regio"].as_array().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    for (key, nl, en, d) in KERN {
        if let Some(r) = regio
            .iter()
            .find(|r| r["indicator"] == key && r["jaar"].as_i64() == Some(last))
        {
            rows.push(vec![
                esc(lang.t(nl, en)),
                band(&r["basis"], d),
                band(&r["scenario"], d),
                format!(
                    "{}{}",
                    band(&r["verschil"], d),
                    if r["zeker"].as_bool() == Some(true) {
                        " ●"
                    } else {
                        ""
                    }
                ),
            ]);
        }
    }
    s.push_str(&html::table(
        &format!(
            "{} {last} ({})",
            lang.t("Regio in", "Region in"),
            lang.t(
                "mediaan [5–95 %]; ● = het 90 %-interval van het verschil sluit 0 uit",
                "median [5–95 %]; ● = the 90 % interval of the difference excludes 0"
            )
        ),
        &[
            lang.t("indicator", "indicator"),
            lang.t("basis", "baseline"),
            lang.t("scenario", "scenario"),
            lang.t("verschil", "difference"),
        ],
        &rows,
    ));
    // Over the years: the three numbers partners ask first, as fan charts (median and 5–95 %
    // band of the runs; a withheld year is a gap, never a zero), then as a table.
    let first = v["startjaar"].as_i64().unwrap_or(0);
    let years: Vec<String> = (first..=last).map(|y| y.to_string()).collect();
    let quantiles = |key: &str, side: &str| -> Vec<Option<(f64, f64, f64)>> {
        (first..=last)
            .map(|year| {
                let q = &regio
                    .iter()
                    .find(|r| r["indicator"] == key && r["jaar"].as_i64() == Some(year))?[side];
                Some((q["p5"].as_f64()?, q["p50"].as_f64()?, q["p95"].as_f64()?))
            })
            .collect()
    };
    s.push_str("<div class=\"fans\">");
    for (key, nl, en, unit_nl, unit_en, d) in [
        (
            "aandeel_kwetsbaar",
            "Aandeel kwetsbare huishoudens",
            "Share of vulnerable households",
            "aandeel",
            "share",
            3,
        ),
        (
            "wachttijd_kwetsbaar",
            "Wachttijd kwetsbare woningzoekenden",
            "Waiting time of vulnerable seekers",
            "jaren",
            "years",
            2,
        ),
        (
            "gem_huur",
            "Gemiddelde huur",
            "Mean rent",
            "euro per maand",
            "euro a month",
            0,
        ),
    ] {
        let fan = crate::chart::fans(
            lang,
            lang.t(nl, en),
            &years,
            &[
                crate::chart::Fan {
                    name: lang.t("basis", "baseline"),
                    values: quantiles(key, "basis"),
                    colour: "#56B4E9",
                },
                crate::chart::Fan {
                    name: lang.t("scenario", "scenario"),
                    values: quantiles(key, "scenario"),
                    colour: "#D55E00",
                },
            ],
            lang.t(unit_nl, unit_en),
            d,
        );
        let _ = write!(
            s,
            "<figure class=\"chart\" data-testid=\"waaier-{key}\"><h3>{}</h3>{fan}<figcaption>{}</figcaption>{}</figure>",
            esc(lang.t(nl, en)),
            esc(lang.t(
                "Lijn: mediaan van de runs; vlak: 5–95 % van de runs. Een ontbrekend jaar is afgeschermd of niet berekend (geen nul).",
                "Line: median of the runs; area: 5–95 % of the runs. A missing year is withheld or not computed (not zero)."
            )),
            csv.map(|c| crate::chart::downloads(lang, &format!("waaier-{key}"), Some(c)))
                .unwrap_or_default()
        );
    }
    s.push_str("</div>");
    s.push_str(&difference_map(st, lang, v, last, csv));
    let mut rows = Vec::new();
    for year in first..=last {
        let cell = |key: &str, side: &str, d: usize| {
            regio
                .iter()
                .find(|r| r["indicator"] == key && r["jaar"].as_i64() == Some(year))
                .map(|r| band(&r[side], d))
                .unwrap_or_else(|| "—".into())
        };
        rows.push(vec![
            year.to_string(),
            cell("aandeel_kwetsbaar", "basis", 3),
            cell("aandeel_kwetsbaar", "scenario", 3),
            cell("wachttijd_kwetsbaar", "basis", 2),
            cell("wachttijd_kwetsbaar", "scenario", 2),
            cell("gem_huur", "basis", 0),
            cell("gem_huur", "scenario", 0),
        ]);
    }
    s.push_str(&html::table(
        lang.t(
            "Per jaar (mediaan [p5; p95])",
            "Per year (median [p5; p95])",
        ),
        &[
            lang.t("jaar", "year"),
            lang.t("aandeel kwetsbaar — basis", "vulnerable share — baseline"),
            lang.t("— scenario", "— scenario"),
            lang.t(
                "wachttijd kwetsbaar — basis",
                "waiting time vulnerable — baseline",
            ),
            lang.t("— scenario", "— scenario"),
            lang.t("gem. huur € — basis", "mean rent € — baseline"),
            lang.t("— scenario", "— scenario"),
        ],
        &rows,
    ));
    // buurten whose share is withheld on either side are not ranked (their place would
    // say something about the withheld number)
    let all: Vec<&Value> = v["buurten"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let withheld = all
        .iter()
        .filter(|b| b["afgeschermd"].as_object().is_some_and(|o| !o.is_empty()))
        .count();
    let mut bs: Vec<&Value> = all
        .into_iter()
        .filter(|b| b["afgeschermd"].as_object().is_none_or(|o| o.is_empty()))
        .collect();
    bs.sort_by(|x, y| {
        let d = |b: &Value| {
            b["aandeel_kwetsbaar_scenario"]["p50"]
                .as_f64()
                .unwrap_or(0.0)
                - b["aandeel_kwetsbaar_basis"]["p50"].as_f64().unwrap_or(0.0)
        };
        d(x).total_cmp(&d(y))
    });
    let rows: Vec<Vec<String>> = bs
        .iter()
        .take(8)
        .chain(bs.iter().rev().take(4))
        .map(|b| {
            vec![
                format!(
                    "<a href=\"/buurt/{}\">{}</a>",
                    crate::html::url(b["code"].as_str().unwrap_or("")),
                    esc(b["naam"].as_str().unwrap_or(""))
                ),
                band(&b["aandeel_kwetsbaar_basis"], 3),
                band(&b["aandeel_kwetsbaar_scenario"], 3),
            ]
        })
        .collect();
    s.push_str(&html::table(
        &format!(
            "{} {last}: {}",
            lang.t("Buurten", "Buurten"),
            lang.t(
                "grootste dalingen en stijgingen van het aandeel kwetsbare huishoudens",
                "largest falls and rises of the vulnerable share"
            )
        ),
        &[
            lang.t("buurt", "buurt"),
            lang.t("basis", "baseline"),
            lang.t("scenario", "scenario"),
        ],
        &rows,
    ));
    let k = v["afscherming"]["k"].as_u64().unwrap_or(10);
    let _ = write!(
        s,
        "<p class=\"note\" data-testid=\"afscherming\">{}</p>",
        match lang {
            Lang::Nl => format!(
                "Afgeschermd: {withheld} buurten met minder dan {k} gesimuleerde huishoudens (gemiddeld over de runs) staan niet in deze lijst; hun aandelen staan als null in de API."
            ),
            Lang::En => format!(
                "Withheld: {withheld} buurten with fewer than {k} simulated households (on average over the runs) are left out of this list; their shares are null in the API."
            ),
        }
    );
    for w in v["waarschuwingen"].as_array().into_iter().flatten() {
        let _ = write!(
            s,
            "<p class=\"note\">{}: {}</p>",
            lang.t("let op", "note"),
            esc(w.as_str().unwrap_or(""))
        );
    }
    let _ = write!(
        s,
        "<p class=\"note\">{}</p>",
        lang.t(
            "Kwetsbaar = de groepen in data/sim/aannames.toml (GGZ/BW/MO-uitstroom, LVB, detentie-uitstroom, statushouders, urgentie); aantallen zijn modeluitkomsten over huishoudens in de simulatie, nooit over echte personen.",
            "Vulnerable = the groups in data/sim/aannames.toml; counts are model outcomes about simulated households, never about real people."
        )
    );
    s
}

/// Classes of the map of differences (percentage points of the vulnerable share, scenario
/// minus baseline): fixed breaks, so maps of two scenarios compare.
const DIFF_BREAKS: [f64; 4] = [-2.0, -0.5, 0.5, 2.0];

/// ColorBrewer PuOr (5 classes, colour-blind safe): lower purple, higher orange, about the
/// same light grey; neither side means good or bad.
const DIFF_COLOURS: [&str; 5] = ["#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101"];

/// The map of the per-buurt difference in the last year (median of scenario minus median of
/// the baseline, in percentage points), on the buurt shapes of the served data; a buurt whose
/// figure is withheld on either side is hatched, never coloured as no change. Empty when the
/// served data have no shapes for the simulated buurten.
fn difference_map(st: &AppState, lang: Lang, v: &Value, last: i64, csv: Option<&str>) -> String {
    let Some(ed) = st
        .editions(veerkracht_dataset::Level::Buurt)
        .last()
        .and_then(|e| st.ds.edition(*e))
    else {
        return String::new();
    };
    let mut shapes = Vec::new();
    let mut rows = Vec::new();
    let (mut withheld, mut drawn) = (0usize, 0usize);
    for b in v["buurten"].as_array().into_iter().flatten() {
        let code = b["code"].as_str().unwrap_or("");
        let name = b["naam"].as_str().unwrap_or("");
        let Some(g) = veerkracht_dataset::AreaCode::parse(code)
            .ok()
            .and_then(|c| ed.geometry(&c))
        else {
            continue;
        };
        let is_withheld = b["afgeschermd"].as_object().is_some_and(|o| !o.is_empty());
        let diff = match (
            b["aandeel_kwetsbaar_scenario"]["p50"].as_f64(),
            b["aandeel_kwetsbaar_basis"]["p50"].as_f64(),
        ) {
            (Some(x), Some(y)) if !is_withheld => Some((x - y) * 100.0),
            _ => None,
        };
        let (fill, txt, cell) = match diff {
            Some(d) => {
                drawn += 1;
                (
                    DIFF_COLOURS[crate::map::class_of(d, &DIFF_BREAKS)],
                    format!(
                        "{} {}",
                        num(lang, Some(d), 1),
                        lang.t("procentpunt", "percentage points")
                    ),
                    num(lang, Some(d), 1),
                )
            }
            None if is_withheld => {
                withheld += 1;
                (
                    html::NOT_SCORED,
                    lang.t(
                        "afgeschermd (minder dan k gesimuleerde huishoudens)",
                        "withheld (fewer than k simulated households)",
                    )
                    .to_string(),
                    lang.t("afgeschermd", "withheld").to_string(),
                )
            }
            // not withheld, but no median (no households in the runs): no value, not zero
            None => (
                html::NO_DATA,
                lang.t("geen waarde", "no value").to_string(),
                lang.t("geen waarde", "no value").to_string(),
            ),
        };
        rows.push(vec![
            format!("<a href=\"/buurt/{}\">{}</a>", html::url(code), esc(name)),
            cell,
        ]);
        shapes.push(crate::map::Shape {
            code: code.to_string(),
            label: format!("{name} ({code}): {txt}"),
            fill,
            geometry: g,
        });
    }
    if shapes.is_empty() {
        return String::new();
    }
    let title = format!(
        "{} {last}",
        lang.t(
            "Verschil in aandeel kwetsbare huishoudens per buurt (scenario − basis, mediaan), procentpunt,",
            "Difference in the share of vulnerable households per buurt (scenario − baseline, median), percentage points,"
        )
    );
    let pp = |x: f64| num(lang, Some(x), 1);
    let legend: Vec<(&str, String)> = vec![
        (DIFF_COLOURS[0], format!("≤ {}", pp(DIFF_BREAKS[0]))),
        (
            DIFF_COLOURS[1],
            format!("{} – {}", pp(DIFF_BREAKS[0]), pp(DIFF_BREAKS[1])),
        ),
        (
            DIFF_COLOURS[2],
            format!(
                "{} – {} ({})",
                pp(DIFF_BREAKS[1]),
                pp(DIFF_BREAKS[2]),
                lang.t("ongeveer gelijk", "about the same")
            ),
        ),
        (
            DIFF_COLOURS[3],
            format!("{} – {}", pp(DIFF_BREAKS[2]), pp(DIFF_BREAKS[3])),
        ),
        (DIFF_COLOURS[4], format!("> {}", pp(DIFF_BREAKS[3]))),
        (
            html::NOT_SCORED,
            lang.t("afgeschermd", "withheld").to_string(),
        ),
    ];
    format!(
        "<figure class=\"chart kaart-verschil\" data-testid=\"verschilkaart\" data-getekend=\"{drawn}\" data-afgeschermd=\"{withheld}\"><h3>{}</h3><div class=\"map-wrap\">{}</div>{}<figcaption>{}</figcaption>{}{}</figure>",
        esc(&title),
        crate::map::svg_view(&shapes, &[], None, &title, "", lang.t("Kaart zoomen", "Zoom the map")),
        crate::map::legend(&legend),
        esc(lang.t(
            "Vaste klassen, zodat kaarten van twee scenario's te vergelijken zijn. Gearceerd: het cijfer rust aan een van beide kanten gemiddeld op minder dan k gesimuleerde huishoudens en is afgeschermd (geen nul).",
            "Fixed classes, so maps of two scenarios compare. Hatched: the figure rests on fewer than k simulated households on either side and is withheld (not zero)."
        )),
        crate::chart::numbers(
            lang,
            Some(rows.len()),
            &html::table(&title, &[lang.t("buurt", "buurt"), lang.t("verschil (procentpunt)", "difference (percentage points)")], &rows),
        ),
        csv.map(|c| crate::chart::downloads(lang, "verschilkaart", Some(c)))
            .unwrap_or_default(),
    )
}
