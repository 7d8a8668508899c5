//! The overview pages that follow the gemeente focus: *Corporatiebuurten* (`/corporatie`),
//! *Veerkrachtsignaal* (`/signaal`) and *Hotspots* (`/hotspots`). Each reads its state from
//! the query string (shareable URLs) and offers the same data as CSV/JSON through the API links
//! it shows.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Edition;
use veerkracht_dataset::Level;
use veerkracht_index::signal::Quadrant;

use crate::AppState;
use crate::chart;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;
use crate::html::url;
use crate::http::Q;
use crate::labels::QUADRANTS;
use crate::labels::class_label;
use crate::labels::cluster_colour;
use crate::labels::cluster_label;
use crate::labels::quadrant_colour;
use crate::labels::quadrant_label;
use crate::views::bad_page;
use crate::views::edition_of;
use crate::views::level_of;
use crate::views::lisa_detail;

/// The overview routes.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/corporatie", get(corporatie))
        .route("/signaal", get(signaal))
        .route("/hotspots", get(hotspots))
}

/// GET /corporatie
pub async fn corporatie(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let edition = match edition_of(&st, q.get("edition").map(String::as_str), Level::Buurt) {
        Ok(e) => e,
        Err(e) => return bad_page(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok((c, idx, trend)) = tokio::task::spawn_blocking(move || {
        let trend: Vec<(Edition, Option<f64>, Option<f64>)> = st2
            .editions(Level::Buurt)
            .into_iter()
            .map(|e| {
                let idx = st2.index(e, Level::Buurt);
                let mean = |corp: bool| {
                    let v: Vec<f64> = idx
                        .0
                        .areas
                        .iter()
                        .filter(|a| a.corporatiebuurt == Some(corp))
                        .filter_map(|a| a.score)
                        .collect();
                    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
                };
                (e, mean(true), mean(false))
            })
            .collect();
        (
            st2.compare(edition),
            st2.index(edition, Level::Buurt),
            trend,
        )
    })
    .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    // The picture first: the score and each component's spread, corporatiebuurten against the
    // other buurten (box: middle half, line: median, whiskers: 90 %).
    let mut groups: Vec<(String, Vec<Option<chart::Spread>>)> = Vec::new();
    let spread = |f: &dyn Fn(&veerkracht_index::AreaScore) -> Option<f64>, corp: bool| {
        let v: Vec<f64> = idx
            .0
            .areas
            .iter()
            .filter(|a| a.corporatiebuurt == Some(corp))
            .filter_map(f)
            .collect();
        chart::Spread::of(&v)
    };
    groups.push((
        lang.t("score", "score").to_string(),
        vec![spread(&|a| a.score, true), spread(&|a| a.score, false)],
    ));
    for comp in &st.def.component {
        let id = comp.id.clone();
        let get = move |a: &veerkracht_index::AreaScore| {
            a.components
                .iter()
                .find(|x| x.component == id)
                .and_then(|x| x.score)
        };
        let label = match lang {
            Lang::Nl => &comp.label_nl,
            Lang::En => &comp.label_en,
        };
        groups.push((
            format!("{} {label}", comp.id),
            vec![spread(&get, true), spread(&get, false)],
        ));
    }
    // under the boxes only the component's letter (the names are in the caption and table)
    let short: Vec<(String, Vec<Option<chart::Spread>>)> = groups
        .iter()
        .map(|(g, v)| (g.split(' ').next().unwrap_or(g).to_string(), v.clone()))
        .collect();
    let names = st
        .def
        .component
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.id,
                match lang {
                    Lang::Nl => &c.label_nl,
                    Lang::En => &c.label_en,
                }
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let series = [
        (
            lang.t("corporatiebuurten", "corporation buurten"),
            "#D55E00",
        ),
        (lang.t("overige buurten", "other buurten"), "#56B4E9"),
    ];
    let boxes = chart::boxes(
        lang,
        lang.t(
            "Score en componenten: corporatiebuurten tegenover overige buurten",
            "Score and components: corporation buurten against the others",
        ),
        &short,
        &series,
        (0.0, 100.0),
        lang.t(
            "score (0–100, hoger = meer veerkracht)",
            "score (0–100, higher = more resilience)",
        ),
    );
    let box_rows: Vec<Vec<String>> = groups
        .iter()
        .flat_map(|(g, sp)| {
            sp.iter().zip(&series).map(move |(x, (name, _))| {
                let f = |v: Option<f64>| num(lang, v, 1);
                vec![
                    esc(g),
                    esc(name),
                    x.map_or("0".into(), |x| x.n.to_string()),
                    f(x.map(|x| x.p5)),
                    f(x.map(|x| x.q1)),
                    f(x.map(|x| x.median)),
                    f(x.map(|x| x.q3)),
                    f(x.map(|x| x.p95)),
                ]
            })
        })
        .collect();
    let dl = crate::chart::downloads(
        lang,
        "corporatie-grafiek",
        Some(&format!("/api/v1/compare?edition={edition}&format=csv")),
    );
    let picture = format!(
        "<figure class=\"chart\" data-testid=\"corporatie-grafiek\">{boxes}<figcaption>{}</figcaption>{dl}</figure>{}",
        esc(&format!(
            "{names}. {}",
            lang.t(
                "Doos: de middelste helft van de buurten; streep: de mediaan; snorharen: 90 % van de buurten. Buurten zonder score tellen niet mee.",
                "Box: the middle half of the buurten; line: the median; whiskers: 90 % of the buurten. Buurten without a score are left out."
            )
        )),
        chart::numbers(lang, None, &html::table(
            lang.t("Spreiding per groep", "Spread per group"),
            &[
                lang.t("onderdeel", "part"),
                lang.t("groep", "group"),
                "n",
                "p5",
                "p25",
                lang.t("mediaan", "median"),
                "p75",
                "p95"
            ],
            &box_rows
        ))
    );
    // The difference (corporatiebuurten minus the others) of the mean score and of each
    // component, with its 95 % bootstrap interval.
    let diff_rows: Vec<chart::Interval> = groups
        .iter()
        .enumerate()
        .map(|(k, (label, _))| {
            let var = if k == 0 {
                "score".to_string()
            } else {
                format!("component_{}", st.def.component[k - 1].id)
            };
            let d = c
                .variables
                .iter()
                .find(|v| v.variable == var)
                .and_then(|v| v.diff_mean.as_ref())
                .map(|d| (d.low, d.estimate, d.high));
            chart::Interval { label, value: d }
        })
        .collect();
    let forest = chart::intervals(
        lang,
        lang.t(
            "Verschil corporatiebuurten − overige buurten (gemiddelde, 95 %-interval)",
            "Difference corporation buurten − others (mean, 95 % interval)",
        ),
        &diff_rows,
        lang.t(
            "verschil in punten (negatief: corporatiebuurten lager)",
            "difference in points (negative: corporation buurten lower)",
        ),
    );
    let dl = crate::chart::downloads(
        lang,
        "verschil-grafiek",
        Some(&format!("/api/v1/compare?edition={edition}&format=csv")),
    );
    let picture = format!(
        "{picture}<figure class=\"chart\" data-testid=\"verschil-grafiek\">{forest}<figcaption>{}</figcaption>{dl}</figure>",
        esc(lang.t(
            "Punt: het verschil van de gemiddelden; lijn: het 95 %-bootstrapinterval (1.000 trekkingen, vaste seed). Donker: het interval sluit 0 uit. De getallen staan naast elke lijn en in de tabel hieronder.",
            "Dot: the difference of the means; line: the 95 % bootstrap interval (1,000 resamples, fixed seed). Dark: the interval excludes 0. The numbers are beside each line and in the table below."
        ))
    );
    // The gap over the editions: the mean score of corporatiebuurten and of the others.
    let gap = if trend.len() >= 2 {
        let cats: Vec<String> = trend.iter().map(|t| t.0.to_string()).collect();
        let titles = |who: &str| -> Vec<String> {
            trend
                .iter()
                .map(|t| {
                    format!(
                        "{} {who}, {}",
                        t.0,
                        lang.t("gemiddelde score", "mean score")
                    )
                })
                .collect()
        };
        let (corp_name, rest_name) = (
            lang.t("corporatiebuurten", "corporation buurten"),
            lang.t("overige buurten", "other buurten"),
        );
        let chart = chart::lines(
            lang,
            lang.t(
                "Gemiddelde score over de edities: corporatiebuurten en overige buurten",
                "Mean score over the editions: corporation buurten and the others",
            ),
            &cats,
            &[
                chart::Series {
                    name: corp_name,
                    values: trend.iter().map(|t| t.1).collect(),
                    titles: titles(corp_name),
                    colour: "#D55E00",
                    dashed: false,
                },
                chart::Series {
                    name: rest_name,
                    values: trend.iter().map(|t| t.2).collect(),
                    titles: titles(rest_name),
                    colour: "#56B4E9",
                    dashed: false,
                },
            ],
            (0.0, 100.0),
            lang.t("gemiddelde score (0–100)", "mean score (0–100)"),
        );
        let rows: Vec<Vec<String>> = trend
            .iter()
            .map(|t| {
                vec![
                    t.0.to_string(),
                    num(lang, t.1, 1),
                    num(lang, t.2, 1),
                    num(lang, t.2.zip(t.1).map(|(r, c)| r - c), 1),
                ]
            })
            .collect();
        let dl = crate::chart::downloads(
            lang,
            "kloof-grafiek",
            Some(&format!("/api/v1/compare?edition={edition}&format=csv")),
        );
        format!(
            "<figure class=\"chart\" data-testid=\"kloof-grafiek\">{chart}<figcaption>{}</figcaption>{dl}</figure>{}",
            esc(lang.t(
                "De afstand tussen de lijnen is de kloof; de buurten worden per editie opnieuw ingedeeld (corporatiebezit van die editie).",
                "The distance between the lines is the gap; buurten are classified again in each edition (the corporation share of that edition)."
            )),
            chart::numbers(lang, None, &html::table(
                lang.t("Gemiddelde score per editie", "Mean score per edition"),
                &[
                    lang.t("editie", "edition"),
                    corp_name,
                    rest_name,
                    lang.t("kloof", "gap"),
                ],
                &rows
            ))
        )
    } else {
        String::new()
    };
    let iv = |d: &Option<veerkracht_index::compare::Difference>| match d {
        Some(d) => format!(
            "{} [{}; {}]",
            num(lang, Some(d.estimate), 1),
            num(lang, Some(d.low), 1),
            num(lang, Some(d.high), 1)
        ),
        None => "—".into(),
    };
    let rows: Vec<Vec<String>> = c
        .variables
        .iter()
        .map(|v| {
            vec![
                esc(&v.label_nl),
                num(lang, v.mean_corp, 1),
                num(lang, v.mean_rest, 1),
                iv(&v.diff_mean),
                iv(&v.diff_matched),
                v.matched_pairs.to_string(),
            ]
        })
        .collect();
    let sens: Vec<Vec<String>> = c
        .sensitivity
        .iter()
        .map(|t| {
            vec![
                format!("{} %", num(lang, Some(t.threshold), 1)),
                t.n_corp.to_string(),
                iv(&t.diff_mean_score),
            ]
        })
        .collect();
    // The focused gemeente's corporatiebuurten, with their score (the comparison above is
    // over all buurten).
    let focus = html::focus();
    let own = match focus
        .gemeente
        .as_ref()
        .and_then(|(c, n)| AreaCode::parse(c).ok().map(|g| (g, n)))
    {
        Some((g, name)) => {
            let rows: Vec<Vec<String>> = idx
                .0
                .areas
                .iter()
                .filter(|a| a.code.gemeente() == Some(g) && a.corporatiebuurt == Some(true))
                .map(|a| {
                    vec![
                        format!(
                            "<a href=\"/buurt/{}?edition={edition}\">{}</a>",
                            url(&a.code.to_string()),
                            esc(&a.name)
                        ),
                        num(lang, a.score, 1),
                        a.class
                            .map(|k| esc(class_label(lang, k)))
                            .unwrap_or_else(|| esc(a.status.label_nl())),
                    ]
                })
                .collect();
            html::table(
                &format!(
                    "{} {name} ({})",
                    lang.t("Corporatiebuurten in", "Corporation buurten in"),
                    rows.len()
                ),
                &[lang.t("buurt", "buurt"), "score", lang.t("klasse", "class")],
                &rows,
            )
        }
        None => String::new(),
    };
    let body = format!(
        "<p>{intro}</p>{picture}{gap}{own}{t1}{t2}<p class=\"note\"><a href=\"/api/v1/compare?edition={edition}\">JSON</a> · <a href=\"/api/v1/compare?edition={edition}&amp;format=csv\">CSV</a></p>",
        intro = esc(&format!(
            "{} {} {} {} {} {}.",
            c.n_corp,
            lang.t("corporatiebuurten (meer dan", "corporation buurten (more than"),
            num(lang, Some(c.threshold), 1),
            lang.t("% corporatiebezit) tegenover", "% corporation-owned) against"),
            c.classified - c.n_corp,
            lang.t("overige buurten, editie", "other buurten, edition").to_string() + &format!(" {edition}")
        )),
        t1 = html::table(
            lang.t("Verschil in gemiddelden met 95 %-bootstrapinterval; gematcht: zelfde gemeente en stedelijkheid, dichtstbij in omvang", "Difference in means with 95 % bootstrap interval; matched: same municipality and urbanity, nearest in size"),
            &[lang.t("variabele", "variable"), lang.t("corporatiebuurten", "corporation buurten"), lang.t("overige", "others"), lang.t("verschil [95 %]", "difference [95 %]"), lang.t("gematcht [95 %]", "matched [95 %]"), lang.t("paren", "pairs")],
            &rows,
        ),
        t2 = html::table(
            lang.t("Gevoeligheid voor de grens", "Sensitivity to the threshold"),
            &[lang.t("grens", "threshold"), lang.t("corporatiebuurten", "corporation buurten"), lang.t("verschil score [95 %]", "score difference [95 %]")],
            &sens,
        ),
    );
    Html(html::page(
        lang,
        lang.t(
            "Corporatiebuurten tegenover overige buurten",
            "Corporation buurten against other buurten",
        ),
        "/corporatie",
        &format!("edition={edition}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// GET /signaal
pub async fn signaal(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let eds = st.editions(Level::Buurt);
    if eds.len() < 2 {
        return bad_page(lang, &st, "the signal needs two editions");
    }
    let parse = |k: &str, d: Edition| -> Result<Edition, String> {
        match q.get(k) {
            None => Ok(d),
            Some(s) => s
                .parse()
                .ok()
                .filter(|e| eds.contains(e))
                .ok_or_else(|| format!("{k} '{s}' is not an edition; editions: {eds:?}")),
        }
    };
    let (from, to) = match (
        parse("from", eds[0]),
        parse("to", *eds.last().expect("two")),
    ) {
        (Ok(a), Ok(b)) if a < b => (a, b),
        (Ok(a), Ok(b)) => return bad_page(lang, &st, &format!("from {a} must be before to {b}")),
        (Err(e), _) | (_, Err(e)) => return bad_page(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok(sig) = tokio::task::spawn_blocking(move || st2.signal(from, to, Level::Buurt)).await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    // The focused gemeente's buurten (and the country beside them).
    let focus = html::focus();
    let gm = focus.area();
    let here = |a: &&veerkracht_index::AreaSignal| gm.is_none() || a.code.gemeente() == gm;
    let count = |areas: &mut dyn Iterator<Item = &veerkracht_index::AreaSignal>| {
        let mut c = [0usize; 4];
        for a in areas {
            if let Some(qd) = a.quadrant {
                c[QUADRANTS.iter().position(|x| *x == qd).expect("known")] += 1;
            }
        }
        c
    };
    let counts_here = count(&mut sig.areas.iter().filter(here));
    let counts_all = count(&mut sig.areas.iter());
    let rows: Vec<Vec<String>> = QUADRANTS
        .iter()
        .enumerate()
        .map(|(k, qd)| {
            let mut r = vec![esc(quadrant_label(lang, *qd)), counts_here[k].to_string()];
            if gm.is_some() {
                r.push(counts_all[k].to_string());
            }
            r
        })
        .collect();
    let place = focus
        .gemeente
        .as_ref()
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| lang.t("buurten", "buurten").to_string());
    let mut head = vec![lang.t("kwadrant", "quadrant"), place.as_str()];
    if gm.is_some() {
        head.push(lang.t("Nederland (alle buurten)", "Netherlands (all buurten)"));
    }
    let onder: Vec<Vec<String>> = sig
        .areas
        .iter()
        .filter(here)
        .filter(|a| a.quadrant == Some(Quadrant::VeerkrachtOnderDruk))
        .map(|a| {
            vec![
                format!(
                    "<a href=\"/buurt/{}?edition={to}\">{}</a>",
                    url(&a.code.to_string()),
                    esc(&a.name)
                ),
                num(lang, a.d_vulnerability, 2),
                num(lang, a.d_pressure, 2),
                a.quadrant_rel
                    .map(|x| esc(quadrant_label(lang, x)))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let keep = if gm.is_some() {
        format!("&amp;{}", focus.query())
    } else {
        String::new()
    };
    // The quadrant scatter: Δ vulnerability × Δ pressure, absolute or relative to the
    // gemeente (`?as=relatief`), the dead band grey, the chosen gemeente's buurten emphasised.
    let relative = q.get("as").map(String::as_str) == Some("relatief");
    let points: Vec<chart::Point> = sig
        .areas
        .iter()
        .filter_map(|a| {
            let (x, y, qd) = if relative {
                (a.d_vulnerability_rel?, a.d_pressure_rel?, a.quadrant_rel?)
            } else {
                (a.d_vulnerability?, a.d_pressure?, a.quadrant?)
            };
            Some((a, x, y, qd))
        })
        .map(|(a, x, y, qd)| chart::Point {
            code: a.code.as_str(),
            name: &a.name,
            x,
            y,
            colour: quadrant_colour(qd),
            highlight: gm.is_some() && a.code.gemeente() == gm,
        })
        .collect();
    let (x_title, y_title) = (
        lang.t("Δ kwetsbaarheid (SD)", "Δ vulnerability (SD)"),
        lang.t("Δ druk (SD)", "Δ pressure (SD)"),
    );
    let chart_title = format!(
        "{} {from}–{to}{}",
        lang.t("Veerkrachtsignaal", "Resilience signal"),
        if relative {
            lang.t(
                ", ten opzichte van de gemeente",
                ", relative to the gemeente",
            )
        } else {
            ""
        }
    );
    let scatter = chart::quadrant_scatter(
        lang,
        &chart_title,
        x_title,
        y_title,
        &points,
        sig.tau,
        [
            lang.t(
                "kwetsbaarheid ↑ en druk ↑",
                "vulnerability ↑ and pressure ↑",
            ),
            lang.t("druk ↑", "pressure ↑"),
            lang.t("kwetsbaarheid ↑", "vulnerability ↑"),
            lang.t("stabiel of verbetering", "stable or better"),
        ],
        &format!("edition={to}"),
    );
    let switch = format!(
        "<p class=\"switch\">{} <a href=\"/signaal?from={from}&amp;to={to}{keep}\"{}>{}</a> · <a href=\"/signaal?from={from}&amp;to={to}&amp;as=relatief{keep}\"{}>{}</a></p>",
        lang.t("Toon:", "Show:"),
        if relative {
            ""
        } else {
            " aria-current=\"true\""
        },
        lang.t("absoluut", "absolute"),
        if relative {
            " aria-current=\"true\""
        } else {
            ""
        },
        lang.t("ten opzichte van de gemeente", "relative to the gemeente"),
    );
    // the chart's numbers as a table (screen readers, print), the chosen gemeente's only
    let data = chart::scatter_numbers(
        lang,
        &chart_title,
        [lang.t("buurt", "buurt"), x_title, y_title],
        &points,
        &format!("edition={to}"),
    );
    let dl = crate::chart::downloads(
        lang,
        "signaal-grafiek",
        Some(&format!("/api/v1/signal?from={from}&to={to}&format=csv")),
    );
    // the map of the quadrants beside the scatter (the same switch: absolute or relative);
    // drawing the shapes is CPU work: off the async threads, with the request's focus
    let (st3, sig3, focus3) = (st.clone(), sig.clone(), html::focus());
    let quadrant_map = tokio::task::spawn_blocking(move || {
        html::FOCUS.sync_scope(focus3, || {
            let (fills, legend) = crate::views::signal_fills(lang, &sig3, relative);
            let area_names: HashMap<AreaCode, &str> =
                sig3.areas.iter().map(|a| (a.code, a.name.as_str())).collect();
            let (shapes, faint, frame) =
                crate::views::focused_shapes(&st3, lang, Level::Buurt, to, &fills, &area_names);
            let map_title = format!(
                "{} {from}–{to}{}",
                lang.t("Veerkrachtsignaal per buurt", "Resilience signal per buurt"),
                if relative {
                    lang.t(" (ten opzichte van de gemeente)", " (relative to the gemeente)")
                } else {
                    ""
                }
            );
            crate::views::map_figure(
                lang,
                "signaal-kaart",
                &map_title,
                &legend,
                (&shapes, &faint, frame),
                &format!("edition={to}"),
                lang.t(
                    "Elke buurt in de kleur van haar kwadrant; grijs: geen signaal (te weinig gegevens of niet in beide edities). Klik voor het profiel.",
                    "Each buurt in the colour of its quadrant; grey: no signal (too little data or not in both editions). Click for its profile.",
                ),
                &format!("/api/v1/signal?from={from}&to={to}&format=csv"),
            )
        })
    })
    .await
    .unwrap_or_default();
    let body = format!(
        "<p>{intro}</p>{switch}<div class=\"naast\"><figure class=\"chart\" data-testid=\"signaal-grafiek\">{scatter}<figcaption>{caption}</figcaption>{dl}</figure>{quadrant_map}</div>{data}<p><a href=\"/?var=signaal&amp;from={from}&amp;edition={to}{keep}\">{map}</a></p>{t1}{t2}<p class=\"note\"><a href=\"/api/v1/signal?from={from}&amp;to={to}\">JSON</a> · <a href=\"/api/v1/signal?from={from}&amp;to={to}&amp;format=csv\">CSV</a></p>",
        intro = lang.t("Steeg de kwetsbaarheid samen met de druk? Verandering per buurt in standaarddeviaties van de eerste editie; relatief = ten opzichte van de rest van de gemeente.", "Did vulnerability rise together with pressure? Change per buurt in standard deviations of the first edition; relative = against the rest of the municipality."),
        map = lang.t("Bekijk op de kaart", "Show on the map"),
        caption = esc(&format!(
            "{} {} {}",
            points.len(),
            lang.t(
                "buurten; elke stip is een buurt (klik voor het profiel). Grijs: verandering binnen ±",
                "buurten; each dot is a buurt (click for its profile). Grey: change within ±"
            ),
            num(lang, Some(sig.tau), 1) + lang.t(" SD, telt als stabiel.", " SD, counted as stable.")
        )),
        t1 = html::table(&format!("{from}–{to}"), &head, &rows),
        t2 = html::table(lang.t("Buurten waar kwetsbaarheid én druk stegen", "Buurten where vulnerability and pressure both rose"), &[lang.t("buurt", "buurt"), "Δ kwetsbaarheid", "Δ druk", lang.t("relatief", "relative")], &onder),
    );
    Html(html::page(
        lang,
        lang.t("Veerkrachtsignaal", "Resilience signal"),
        "/signaal",
        &format!("from={from}&amp;to={to}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

/// GET /hotspots
pub async fn hotspots(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let level = match level_of(q.get("level").map(String::as_str)) {
        Ok(l) => l,
        Err(e) => return bad_page(lang, &st, &e),
    };
    let edition = match edition_of(&st, q.get("edition").map(String::as_str), level) {
        Ok(e) => e,
        Err(e) => return bad_page(lang, &st, &e),
    };
    let st2 = st.clone();
    let Ok((labels, global, names, zlag)) = tokio::task::spawn_blocking(move || {
        let idx = st2.index(edition, level);
        let (labels, global, zlag) = lisa_detail(&st2, &idx.0);
        let names: HashMap<AreaCode, String> = idx
            .0
            .areas
            .iter()
            .map(|a| (a.code, a.name.clone()))
            .collect();
        (labels, global, names, zlag)
    })
    .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    // The focused gemeente's areas (the statistic itself is computed over all areas).
    let focus = html::focus();
    let gm = focus.area();
    // The Moran scatter plot: each area's standardised score against its neighbours' mean,
    // coloured by its significant cluster (grey: not significant).
    let mut order: Vec<&AreaCode> = zlag.keys().collect();
    order.sort();
    let points: Vec<chart::Point> = order
        .iter()
        .map(|c| {
            let (z, lag) = zlag[*c];
            let l = labels.get(*c).copied().unwrap_or("niet significant");
            chart::Point {
                code: c.as_str(),
                name: names.get(*c).map(String::as_str).unwrap_or(""),
                x: z,
                y: lag,
                colour: match l {
                    "niet significant" | "geen buren" => "#8c8c8c",
                    _ => cluster_colour(l),
                },
                highlight: gm.is_some() && c.gemeente() == gm,
            }
        })
        .collect();
    let scatter = chart::quadrant_scatter(
        lang,
        lang.t(
            "Moran-spreidingsdiagram van de score",
            "Moran scatter plot of the score",
        ),
        lang.t("score (gestandaardiseerd)", "score (standardised)"),
        lang.t("gemiddelde van de buren", "mean of the neighbours"),
        &points,
        0.0,
        [
            cluster_label(lang, "hoog-hoog"),
            cluster_label(lang, "laag-hoog"),
            cluster_label(lang, "hoog-laag"),
            cluster_label(lang, "laag-laag"),
        ],
        &format!("edition={edition}"),
    );
    let n_points = points.len();
    let data = chart::scatter_numbers(
        lang,
        lang.t(
            "Moran-spreidingsdiagram van de score",
            "Moran scatter plot of the score",
        ),
        [
            lang.t("gebied", "area"),
            lang.t("score (gestandaardiseerd)", "score (standardised)"),
            lang.t("gemiddelde van de buren", "mean of the neighbours"),
        ],
        &points,
        &format!("edition={edition}"),
    );
    let labels: HashMap<AreaCode, &str> = labels
        .into_iter()
        .filter(|(c, _)| gm.is_none() || c.gemeente() == gm)
        .collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for l in labels.values() {
        *counts.entry(l).or_default() += 1;
    }
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(l, n)| vec![esc(cluster_label(lang, l)), n.to_string()])
        .collect();
    let mut sig: Vec<(&AreaCode, &&str)> = labels
        .iter()
        .filter(|(_, l)| !matches!(**l, "niet significant" | "geen buren"))
        .collect();
    sig.sort();
    let list: Vec<Vec<String>> = sig
        .iter()
        .map(|(c, l)| {
            vec![
                format!(
                    "<a href=\"/buurt/{}?edition={edition}\">{}</a>",
                    url(&c.to_string()),
                    esc(names.get(*c).map(String::as_str).unwrap_or(""))
                ),
                esc(cluster_label(lang, l)),
            ]
        })
        .collect();
    let lvl = if level == Level::Wijk {
        "wijk"
    } else {
        "buurt"
    };
    let dl = crate::chart::downloads(
        lang,
        "moran-grafiek",
        Some(&format!(
            "/api/v1/spatial/lisa?edition={edition}&level={lvl}&format=csv"
        )),
    );
    // the LISA map beside the scatter (drawing thousands of shapes is CPU work: off the
    // async threads, with the request's focus)
    let (st3, labels3, names3, focus3) = (st.clone(), labels.clone(), names.clone(), html::focus());
    let lisa_map = tokio::task::spawn_blocking(move || {
        html::FOCUS.sync_scope(focus3, || {
            let st = st3;
            let idx = st.index(edition, level);
            let (fills, legend) = crate::views::lisa_fills(lang, &idx.0, &labels3);
            let area_names: HashMap<AreaCode, &str> =
                names3.iter().map(|(c, n)| (*c, n.as_str())).collect();
            let (shapes, faint, frame) =
                crate::views::focused_shapes(&st, lang, level, edition, &fills, &area_names);
            let map_title = format!(
                "{} {edition}",
                lang.t("Clusters van de score (LISA)", "Clusters of the score (LISA)")
            );
            crate::views::map_figure(
                lang,
                "lisa-kaart",
                &map_title,
                &legend,
                (&shapes, &faint, frame),
                &format!("edition={edition}"),
                lang.t(
                    "Dezelfde clusters als de kleuren van het spreidingsdiagram. Klik voor het profiel.",
                    "The same clusters as the colours of the scatter plot. Click for its profile.",
                ),
                &format!(
                    "/api/v1/spatial/lisa?edition={edition}&level={}&format=csv",
                    if level == Level::Wijk { "wijk" } else { "buurt" }
                ),
            )
        })
    })
    .await
    .unwrap_or_default();
    let body = format!(
        "<p>{intro}</p><p>{moran}</p><div class=\"naast\"><figure class=\"chart\" data-testid=\"moran-grafiek\">{scatter}<figcaption>{caption}</figcaption>{dl}</figure>{lisa_map}</div>{data}<p><a href=\"/?var=lisa&amp;edition={edition}&amp;level={lvl}\">{map}</a></p>{t1}{t2}\
<p class=\"note\"><a href=\"/api/v1/spatial/lisa?edition={edition}&amp;level={lvl}\">JSON</a> · <a href=\"/api/v1/spatial/lisa?edition={edition}&amp;level={lvl}&amp;format=csv\">CSV</a></p>",
        intro = lang.t("Liggen buurten met een lage of hoge veerkrachtscore bij elkaar? Lokale Moran (LISA) van de score, queen-buren, 999 permutaties, α = 0,05; gelijk aan PySAL esda.", "Do buurten with a low or high resilience score lie together? Local Moran (LISA) of the score, queen contiguity, 999 permutations, α = 0.05; equal to PySAL esda."),
        moran = global.map(|(i, p)| format!("Moran's I = {} (p_sim = {})", num(lang, Some(i), 3), num(lang, Some(p), 3))).unwrap_or_default(),
        map = lang.t("Bekijk de clusters op de kaart", "Show the clusters on the map"),
        caption = esc(&format!(
            "{n_points} {}",
            lang.t(
                "gebieden; elke stip is een gebied (klik voor het profiel), gekleurd naar zijn significante cluster, grijs: niet significant. De helling van de puntenwolk is Moran's I.",
                "areas; each dot is an area (click for its profile), coloured by its significant cluster, grey: not significant. The slope of the cloud is Moran's I."
            )
        )),
        t1 = html::table(&match &focus.gemeente {
            Some((_, n)) => format!("{} — {n} ({})", lang.t("Clusters", "Clusters"), lang.t("berekend over alle gebieden", "computed over all areas")),
            None => lang.t("Clusters", "Clusters").to_string(),
        }, &[lang.t("cluster", "cluster"), lang.t("gebieden", "areas")], &rows),
        t2 = html::table(lang.t("Significante gebieden", "Significant areas"), &[lang.t("gebied", "area"), lang.t("cluster", "cluster")], &list),
    );
    Html(html::page(
        lang,
        lang.t("Hotspots", "Hot spots"),
        "/hotspots",
        &format!("edition={edition}&amp;level={lvl}"),
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}
