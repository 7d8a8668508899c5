//! *Buurtprofiel* (`/buurt/{code}`): score with its uncertainty band, components, the "waarom"
//! down to raw indicators, trend, flags, reliability and comparisons; and its printable dossier.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Level;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;
use crate::html::url;
use crate::http::Q;
use crate::views::bad_page;
use crate::views::edition_of;
use crate::views::method_html;

/// GET /buurt/{code} — the profile.
pub async fn profiel(
    State(st): State<Arc<AppState>>,
    Path(code): Path<String>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let Ok(code) = AreaCode::parse(&code) else {
        return bad_page(
            lang,
            &st,
            &format!("'{code}' is not an area code (BU…, WK…)"),
        );
    };
    let level = code.level();
    if level != Level::Buurt && level != Level::Wijk {
        return bad_page(lang, &st, "profiles exist for buurten and wijken");
    }
    let edition = match edition_of(&st, q.get("edition").map(String::as_str), level) {
        Ok(e) => e,
        Err(e) => return bad_page(lang, &st, &e),
    };
    let st2 = st.clone();
    let res =
        tokio::task::spawn_blocking(move || crate::views::profile_json(&st2, code, edition)).await;
    let p = match res {
        Ok(Some(p)) => p,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                Html(html::page(
                    lang,
                    lang.t("Niet gevonden", "Not found"),
                    "",
                    "",
                    &st.origin,
                    st.synthetic,
                    &format!(
                        "<p>{} {}</p>",
                        esc(&code.to_string()),
                        lang.t(
                            "is geen gebied in deze editie.",
                            "is not an area in this edition."
                        )
                    ),
                )),
            )
                .into_response();
        }
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    };
    let body = profile_html(&st, lang, &p);
    let title = format!("{} ({})", p["naam"].as_str().unwrap_or(""), code);
    Html(html::page(
        lang,
        &title,
        "",
        &format!("edition={edition}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// GET /buurt/{code}/dossier — the profile with the method as appendix, laid out for printing
/// (the browser's "print to PDF").
pub async fn dossier(
    State(st): State<Arc<AppState>>,
    Path(code): Path<String>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let Ok(c) = AreaCode::parse(&code) else {
        return bad_page(
            lang,
            &st,
            &format!("'{code}' is not an area code (BU…, WK…)"),
        );
    };
    if !matches!(c.level(), Level::Buurt | Level::Wijk) {
        return bad_page(lang, &st, "dossiers exist for buurten and wijken");
    }
    let edition = match edition_of(&st, q.get("edition").map(String::as_str), c.level()) {
        Ok(e) => e,
        Err(e) => return bad_page(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok(p) =
        tokio::task::spawn_blocking(move || crate::views::profile_json(&st2, c, edition)).await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    let Some(p) = p else {
        return bad_page(
            lang,
            &st,
            &format!("{c} is not an area of edition {edition}"),
        );
    };
    let body = format!(
        "<p class=\"note\">{}</p>{}<h2 class=\"appendix\">{}</h2>{}",
        lang.t(
            "Buurtdossier — druk af of bewaar als PDF via het afdrukmenu van de browser.",
            "Area dossier — print or save as PDF from the browser's print menu."
        ),
        profile_html(&st, lang, &p),
        lang.t(
            "Bijlage: methode en bronnen",
            "Appendix: method and sources"
        ),
        method_html(&st, lang)
    );
    let title = format!(
        "{} {} ({})",
        lang.t("Dossier", "Dossier"),
        p["naam"].as_str().unwrap_or(""),
        c
    );
    Html(html::page(
        lang,
        &title,
        "",
        &format!("edition={edition}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

pub(crate) fn profile_html(st: &AppState, lang: Lang, p: &serde_json::Value) -> String {
    let f = |v: &serde_json::Value, d: usize| num(lang, v.as_f64(), d);
    let mut s = String::new();
    let code = p["code"].as_str().unwrap_or("");
    let edition = p["editie"].as_u64().unwrap_or(0);
    // the charts' numbers: the index of this buurt's level and edition as CSV
    let index_csv = format!(
        "/api/v1/index?edition={edition}&level={}&format=csv",
        if code.starts_with("WK") {
            "wijk"
        } else {
            "buurt"
        }
    );
    let _ = write!(
        s,
        "<p>{gm}: {gemeente} · {ed} {edition} · {corp}</p>",
        gm = lang.t("Gemeente", "Municipality"),
        gemeente = esc(p["gemeente"].as_str().unwrap_or("—")),
        ed = lang.t("editie", "edition"),
        corp = match p["corporatiebuurt"].as_bool() {
            Some(true) => lang.t(
                "corporatiebuurt (meer dan ⅔ corporatiebezit)",
                "corporation buurt (over ⅔ corporation-owned)"
            ),
            Some(false) => lang.t("geen corporatiebuurt", "not a corporation buurt"),
            None => lang.t("corporatiebezit onbekend", "corporation share unknown"),
        }
    );
    let sc = &p["score"];
    if p["status"].as_str() == Some("niet_gescoord") {
        let _ = write!(
            s,
            "<section aria-labelledby=\"h-score\"><h2 id=\"h-score\">{}</h2><p><strong data-testid=\"score\">{}</strong></p></section>",
            lang.t("Veerkrachtscore", "Resilience score"),
            lang.t("geen score", "no score")
        );
    } else {
        let _ = write!(
            s,
            "<section aria-labelledby=\"h-score\"><h2 id=\"h-score\">{h}</h2>\
<p><strong data-testid=\"score\">{score}</strong> {of100} — <strong>{klasse}</strong>; {pct}: {perc}; {rank_l}: {rank} {van} {n} \
<span class=\"band\">({band_l}: {p5}–{p95}, {runs} {runs_l})</span></p><p class=\"note\">{cov_l}: {cov} %. {rel}</p></section>",
            h = lang.t("Veerkrachtscore", "Resilience score"),
            score = f(&sc["waarde"], 1),
            of100 = lang.t(
                "(0–100, hoger = meer veerkracht)",
                "(0–100, higher = more resilience)"
            ),
            klasse = esc(sc["klasse"].as_str().unwrap_or("—")),
            pct = lang.t("percentiel", "percentile"),
            perc = f(&sc["percentiel"], 0),
            rank_l = lang.t("rang (1 = meeste aandacht)", "rank (1 = most attention)"),
            rank = f(&sc["rang"], 0),
            van = lang.t("van", "of"),
            n = p["aantal_gebieden"],
            band_l = lang.t("90 %-band van de rang", "90 % rank band"),
            p5 = f(&sc["rang_p5"], 0),
            p95 = f(&sc["rang_p95"], 0),
            runs = crate::state::PROFILE_RUNS,
            runs_l = lang.t(
                "Monte Carlo-runs over gewichten, normalisatie en behandeling",
                "Monte Carlo runs over weights, normalisation and treatment"
            ),
            cov_l = lang.t("Dekking van de indicatoren", "Indicator coverage"),
            cov = f(
                &serde_json::json!(p["dekking"].as_f64().map(|x| x * 100.0)),
                0
            ),
            rel = if p["betrouwbaar"].as_bool() == Some(false) {
                lang.t(
                    "Let op: sommige cijfers rusten op kleine aantallen (gedimd hieronder).",
                    "Note: some figures rest on small numbers (dimmed below).",
                )
            } else {
                ""
            },
        );
    }
    if let Some(note) = p["opmerking"].as_str() {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(note));
    }
    // Eligibility (docs/index-validiteit.md §5.1): why there is no score or no rank.
    if let Some(reasons) = p["redenen"].as_array().filter(|r| !r.is_empty()) {
        let head = match p["status"].as_str() {
            Some("niet_gescoord") => lang.t(
                "Geen score: dit gebied wordt niet gemeten, en is dus ook niet 'veerkrachtig'.",
                "No score: this area is not measured, so it is not 'resilient' either.",
            ),
            _ => lang.t(
                "Eerst controleren: deze score telt mee in de klassen, maar het gebied staat niet in de rangorde.",
                "Check first: this score is placed in the classes, but the area is not ranked.",
            ),
        };
        let items: String = reasons
            .iter()
            .map(|r| {
                let label = match lang {
                    Lang::Nl => r["label"].as_str(),
                    Lang::En => r["label_en"].as_str(),
                };
                format!(
                    "<li><strong>{}</strong>: {}</li>",
                    esc(label.unwrap_or("")),
                    esc(r["detail"].as_str().unwrap_or(""))
                )
            })
            .collect();
        let _ = write!(
            s,
            "<div class=\"eligibility\" data-testid=\"eligibility\" role=\"note\"><p>{}</p><ul>{items}</ul></div>",
            esc(head)
        );
    }
    // Components.
    let rows: Vec<Vec<String>> = p["componenten"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    vec![
                        esc(c["naam"].as_str().unwrap_or("")),
                        format!("<span class=\"num\">{}</span>", f(&c["score"], 1)),
                        format!(
                            "{} %",
                            f(
                                &serde_json::json!(
                                    c["aandeel_gewicht_aanwezig"].as_f64().map(|x| x * 100.0)
                                ),
                                0
                            )
                        ),
                        c["vlaggen"].to_string(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&html::table(
        lang.t("Componenten", "Components"),
        &[
            lang.t("component", "component"),
            lang.t("score", "score"),
            lang.t("gewicht met gegevens", "weight with data"),
            lang.t("indicatoren ≥ p90 behoefte", "indicators ≥ p90 need"),
        ],
        &rows,
    ));
    // Waarom.
    let max_contrib = p["waarom"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["bijdrage"].as_f64())
                .fold(0.0f64, |m, x| m.max(x.abs()))
        })
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0);
    let rows: Vec<Vec<String>> = p["waarom"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let contrib = c["bijdrage"].as_f64();
                    let bar = contrib
                        .map(|x| format!("<span class=\"bar\" style=\"width:{:.0}px\" aria-hidden=\"true\"></span> ", 1.0 + 120.0 * x.abs() / max_contrib))
                        .unwrap_or_default();
                    // Dimmed (not hidden) when the value rests on a small denominator.
                    let unreliable = c["betrouwbaarheid"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|x| x.as_str() == Some("kleine_noemer")));
                    let cls = if unreliable { " class=\"dim\"" } else { "" };
                    let rel = c["betrouwbaarheid"]
                        .as_array()
                        .map(|r| r.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default();
                    vec![
                        {
                            let naam = c["naam"].as_str().unwrap_or("");
                            let tag = c["proxy"].as_bool() == Some(true) && !naam.contains("proxy");
                            format!("<span{cls}>{}{}</span>", esc(naam), if tag { " <span class=\"note\">(proxy)</span>" } else { "" })
                        },
                        esc(c["component"].as_str().unwrap_or("")),
                        format!("<span{cls} data-indicator=\"{}\">{}</span>", esc(c["indicator"].as_str().unwrap_or("")), f(&c["waarde"], 1)),
                        f(&c["genormaliseerd"], 1),
                        format!("{bar}{}", f(&c["bijdrage"], 1)),
                        if c["p90"].as_bool() == Some(true) { lang.t("ja", "yes").to_string() } else { String::new() },
                        esc(&[c["ontbreekt"].as_str().unwrap_or(""), &rel].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join("; ")),
                        format!("{} {edition}", esc(c["bron"].as_str().unwrap_or(""))),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    // The picture of the "waarom": each indicator's contribution in score points.
    if let Some(w) = p["waarom"].as_array().filter(|w| !w.is_empty()) {
        let names: Vec<String> = w
            .iter()
            .map(|c| c["naam"].as_str().unwrap_or("").to_string())
            .collect();
        let bars: Vec<crate::chart::Bar> = w
            .iter()
            .zip(&names)
            .map(|(c, n)| crate::chart::Bar {
                label: n,
                value: c["bijdrage"].as_f64(),
                colour: "#3b528b",
            })
            .collect();
        let top = crate::chart::ticks(0.0, max_contrib * 1.1)
            .last()
            .copied()
            .filter(|t| *t >= max_contrib)
            .unwrap_or(max_contrib * 1.1);
        let dl = crate::chart::downloads(lang, "waarom-grafiek", Some(&index_csv));
        let _ = write!(
            s,
            "<figure class=\"chart wide\" data-testid=\"waarom-grafiek\">{}<figcaption>{}</figcaption>{dl}</figure>",
            crate::chart::hbars(
                lang,
                lang.t("Waarom deze score", "Why this score"),
                &bars,
                (0.0, top),
                lang.t("bijdrage aan de score (punten)", "contribution to the score (points)"),
                1,
            ),
            esc(lang.t(
                "Samen maken de bijdragen de score; een indicator zonder waarde draagt niet bij en staat als 'geen waarde'.",
                "Together the contributions make the score; an indicator without a value contributes nothing and says 'no value'."
            ))
        );
    }
    s.push_str(&html::table(
        lang.t(
            "Waarom deze score: bijdrage van elke indicator (samen de score)",
            "Why this score: contribution of every indicator (they add up to the score)",
        ),
        &[
            lang.t("indicator", "indicator"),
            lang.t("component", "component"),
            lang.t("waarde", "value"),
            lang.t("genormaliseerd", "normalised"),
            lang.t("bijdrage", "contribution"),
            "≥ p90",
            lang.t("ontbreekt / betrouwbaarheid", "missing / reliability"),
            lang.t("bron", "source"),
        ],
        &rows,
    ));
    // Trend: the score over the editions beside the gemeente's mean, the rank band in each
    // point's title; the numbers in the table below.
    if let Some(t) = p["trend"].as_array().filter(|t| t.len() >= 2) {
        let cats: Vec<String> = t.iter().map(|x| x["editie"].to_string()).collect();
        let own_titles: Vec<String> = t
            .iter()
            .map(|x| {
                let band = match (x["rang_p5"].as_f64(), x["rang_p95"].as_f64()) {
                    (Some(a), Some(b)) => format!(
                        " ({} {}–{})",
                        lang.t("90 %-band", "90 % band"),
                        num(lang, Some(a), 0),
                        num(lang, Some(b), 0)
                    ),
                    _ => String::new(),
                };
                match x["rang"].as_u64() {
                    Some(r) => format!(
                        "{} {}: {} {r}{band}, score",
                        x["editie"],
                        esc(p["naam"].as_str().unwrap_or("")),
                        lang.t("rang", "rank")
                    ),
                    None => format!(
                        "{} {}: score",
                        x["editie"],
                        esc(p["naam"].as_str().unwrap_or(""))
                    ),
                }
            })
            .collect();
        let gm_titles: Vec<String> = t
            .iter()
            .map(|x| {
                format!(
                    "{} {}",
                    x["editie"],
                    lang.t("gemiddelde gemeente", "gemeente mean")
                )
            })
            .collect();
        let own_name = p["naam"].as_str().unwrap_or("").to_string();
        let chart = crate::chart::lines(
            lang,
            lang.t(
                "Veerkrachtscore over de edities",
                "Resilience score over the editions",
            ),
            &cats,
            &[
                crate::chart::Series {
                    name: &own_name,
                    values: t.iter().map(|x| x["score"].as_f64()).collect(),
                    titles: own_titles,
                    colour: "#0b5394",
                    dashed: false,
                },
                crate::chart::Series {
                    name: lang.t("gemiddelde gemeente", "gemeente mean"),
                    values: t.iter().map(|x| x["gemeente"].as_f64()).collect(),
                    titles: gm_titles,
                    colour: "#E69F00",
                    dashed: true,
                },
            ],
            (0.0, 100.0),
            lang.t(
                "score (0–100, hoger = meer veerkracht)",
                "score (0–100, higher = more resilience)",
            ),
        );
        let dl = crate::chart::downloads(lang, "trend-grafiek", Some(&index_csv));
        let _ = write!(
            s,
            "<figure class=\"chart\" data-testid=\"trend-grafiek\">{chart}<figcaption>{}</figcaption>{dl}</figure>",
            esc(lang.t(
                "Score per editie (doorgetrokken) en het gemiddelde van de gemeente (gestreept); de rang en zijn 90 %-band staan bij elk punt en in de tabel.",
                "Score per edition (solid) and the gemeente's mean (dashed); the rank and its 90 % band are on each point and in the table."
            ))
        );
        // the rank with its 90 % band over the editions (from the index's uncertainty runs)
        let ranks: Vec<Option<(f64, f64, f64)>> = t
            .iter()
            .map(|x| {
                Some((
                    x["rang_p5"].as_f64()?,
                    x["rang"].as_f64()?,
                    x["rang_p95"].as_f64()?,
                ))
            })
            .collect();
        if ranks.iter().any(Option::is_some) {
            let band_chart = crate::chart::fans(
                lang,
                lang.t(
                    "Rang met 90 %-band over de edities",
                    "Rank with its 90 % band over the editions",
                ),
                &cats,
                &[crate::chart::Fan {
                    name: &own_name,
                    values: ranks,
                    colour: "#0b5394",
                }],
                lang.t("rang (1 = meeste aandacht)", "rank (1 = most attention)"),
                0,
            );
            let dl = crate::chart::downloads(lang, "rang-grafiek", Some(&index_csv));
            let _ = write!(
                s,
                "<figure class=\"chart\" data-testid=\"rang-grafiek\">{band_chart}<figcaption>{}</figcaption>{dl}</figure>",
                esc(lang.t(
                    "Lijn: de rang onder de gescoorde gebieden van dit niveau (1 = meeste aandacht); vlak: 90 % van de rangen over de onzekerheidsruns (gewichten, ontbrekende waarden, steekproefruis). Een smalle band: de plaats staat vast; een brede: de plaats is onzeker. Een editie zonder punt: geen rang (geen score of eerst controleren).",
                    "Line: the rank among the scored areas of this level (1 = most attention); area: 90 % of the ranks over the uncertainty runs (weights, missing values, sampling noise). A narrow band: the place is firm; a wide one: uncertain. An edition without a point: no rank (no score or check first)."
                ))
            );
        }
        // each component's trend: one line per component, the same 0–100 scale
        const OKABE_ITO: [&str; 7] = [
            "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
        ];
        let names: Vec<String> = st
            .def
            .component
            .iter()
            .map(|c| match lang {
                Lang::Nl => c.label_nl.clone(),
                Lang::En => c.label_en.clone(),
            })
            .collect();
        let series: Vec<crate::chart::Series> = st
            .def
            .component
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(k, (c, name))| crate::chart::Series {
                name,
                values: t
                    .iter()
                    .map(|x| x["componenten"][c.id.as_str()].as_f64())
                    .collect(),
                titles: t
                    .iter()
                    .map(|x| format!("{} {name}", x["editie"]))
                    .collect(),
                colour: OKABE_ITO[k % OKABE_ITO.len()],
                dashed: k >= OKABE_ITO.len(),
            })
            .collect();
        let chart = crate::chart::lines(
            lang,
            lang.t(
                "Componenten over de edities",
                "Components over the editions",
            ),
            &cats,
            &series,
            (0.0, 100.0),
            lang.t("componentscore (0–100)", "component score (0–100)"),
        );
        let dl = crate::chart::downloads(lang, "componenten-grafiek", Some(&index_csv));
        let _ = write!(
            s,
            "<figure class=\"chart\" data-testid=\"componenten-grafiek\">{chart}<figcaption>{}</figcaption>{dl}</figure>",
            esc(lang.t(
                "Elke component van de score per editie (0–100, hoger = meer veerkracht); een ontbrekend punt: te weinig gegevens in die editie (geen nul).",
                "Each component of the score per edition (0–100, higher = more resilience); a missing point: too little data in that edition (not zero)."
            ))
        );
    }
    let rows: Vec<Vec<String>> = p["trend"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    vec![
                        t["editie"].to_string(),
                        f(&t["score"], 1),
                        esc(t["klasse"].as_str().unwrap_or("—")),
                        f(&t["rang"], 0),
                        match (t["rang_p5"].as_f64(), t["rang_p95"].as_f64()) {
                            (Some(a), Some(b)) => {
                                format!("{}–{}", num(lang, Some(a), 0), num(lang, Some(b), 0))
                            }
                            _ => "—".into(),
                        },
                        f(&t["gemeente"], 1),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&html::table(
        lang.t("Trend over edities", "Trend over editions"),
        &[
            lang.t("editie", "edition"),
            "score",
            lang.t("klasse", "class"),
            lang.t("rang", "rank"),
            lang.t("90 %-band van de rang", "90 % rank band"),
            lang.t("gemiddelde gemeente", "gemeente mean"),
        ],
        &rows,
    ));
    // Comparison.
    let v = &p["vergelijking"];
    let rows = vec![
        vec![
            lang.t("deze buurt", "this buurt").to_string(),
            f(&sc["waarde"], 1),
        ],
        vec![
            lang.t("gemiddelde gemeente", "municipality mean")
                .to_string(),
            f(&v["gemeente"], 1),
        ],
        vec![
            lang.t(
                "gemiddelde alle gebieden (Nederland in deze werkruimte)",
                "mean of all areas (the Netherlands in this workspace)",
            )
            .to_string(),
            f(&v["alle"], 1),
        ],
        vec![
            lang.t(
                "gemiddelde corporatiebuurten",
                "mean of corporation buurten",
            )
            .to_string(),
            f(&v["corporatiebuurten"], 1),
        ],
        vec![
            lang.t(
                "gemiddelde vergelijkbare buurten",
                "mean of similar buurten",
            )
            .to_string(),
            f(&v["vergelijkbaar"], 1),
        ],
    ];
    // The picture: this buurt's score against the groups, then the same numbers as a table.
    let labels: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    let keys = [
        &sc["waarde"],
        &v["gemeente"],
        &v["alle"],
        &v["corporatiebuurten"],
        &v["vergelijkbaar"],
    ];
    let bars: Vec<crate::chart::Bar> = labels
        .iter()
        .zip(keys)
        .enumerate()
        .map(|(k, (l, x))| crate::chart::Bar {
            label: l,
            value: x.as_f64(),
            colour: if k == 0 { "#0b5394" } else { "#9ecae1" },
        })
        .collect();
    let dl = crate::chart::downloads(lang, "vergelijking-grafiek", Some(&index_csv));
    let _ = write!(
        s,
        "<figure class=\"chart\" data-testid=\"vergelijking-grafiek\">{}{dl}</figure>",
        crate::chart::hbars(
            lang,
            lang.t(
                "Deze buurt tegenover groepen buurten",
                "This buurt against groups of buurten"
            ),
            &bars,
            (0.0, 100.0),
            lang.t(
                "score (0–100, hoger = meer veerkracht)",
                "score (0–100, higher = more resilience)"
            ),
            1,
        )
    );
    s.push_str(&html::table(
        lang.t("Vergelijking", "Comparison"),
        &[lang.t("groep", "group"), "score"],
        &rows,
    ));
    if let Some(peers) = v["vergelijkbare_buurten"].as_array() {
        let links: Vec<String> = peers
            .iter()
            .filter_map(|x| x.as_str())
            .map(|c| {
                format!(
                    "<a href=\"/buurt/{}?edition={edition}{}\">{}</a>",
                    url(c),
                    if lang == Lang::En { "&amp;lang=en" } else { "" },
                    esc(c)
                )
            })
            .collect();
        let _ = write!(
            s,
            "<p class=\"note\">{}: {}</p>",
            lang.t(
                "Vergelijkbare buurten (stedelijkheid, omvang, woningvoorraad)",
                "Similar buurten (urbanity, size, housing stock)"
            ),
            links.join(", ")
        );
    }
    let _ = write!(
        s,
        "<p class=\"note\"><a href=\"/buurt/{c}/dossier?edition={edition}\">{dossier}</a> · <a href=\"/api/v1/areas/{c}?edition={edition}\">JSON</a> · <a href=\"/?var=score&amp;edition={edition}\">{map}</a></p>",
        c = url(code),
        dossier = lang.t("dossier (afdrukken / PDF)", "dossier (print / PDF)"),
        map = lang.t("terug naar de kaart", "back to the map")
    );
    let _ = st;
    s
}

/// The profile of one area and its printable dossier.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/buurt/{code}", get(profiel))
        .route("/buurt/{code}/dossier", get(dossier))
}
