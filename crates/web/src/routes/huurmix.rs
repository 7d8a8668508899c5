//! The *Huurmix* page (`/huurmix`) and its API (`/api/v1/huurmix`; the old path
//! `/api/v1/rentmix` answers the same, for existing links): the rent mix of the
//! corporation's voorraad per buurt and the retrofit what-if, as `veerkracht-huurmix`
//! publishes them (every figure passes its suppression first; see that crate for what is
//! withheld together and why).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use veerkracht_dataset::Level;
use veerkracht_huurmix::LABELS;
use veerkracht_huurmix::PublishedBuurt;
use veerkracht_huurmix::afscherming_json;
use veerkracht_huurmix::csv_rows;
use veerkracht_wws::mix::PUNTEN_KLASSEN;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::NO_DATA;
use crate::html::SEQUENTIAL;
use crate::html::esc;
use crate::html::num;
use crate::html::url;
use crate::html::{WITHHELD_FILL, count_html, legend_html, mark, mean_html, pct};
use crate::http::Answer;
use crate::http::Params;
use crate::http::Problem;
use crate::http::Q;
use crate::http::QueryNames;
use crate::http::query;
use crate::map;
use crate::map::Shape;

/// GET /huurmix[?naar=LABEL]
pub async fn page(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let target = q.get("naar").cloned();
    if let Some(t) = &target
        && !LABELS.contains(&t.as_str())
    {
        return (
            StatusCode::BAD_REQUEST,
            Html(html::page(
                lang,
                "Huurmix",
                "/huurmix",
                "",
                &st.origin,
                st.synthetic,
                &format!(
                    "<p>{}: {}</p>",
                    esc(t),
                    lang.t(
                        "geen energielabel; kies A++++ … G",
                        "not an energy label; choose A++++ … G"
                    )
                ),
            )),
        )
            .into_response();
    }
    let st2 = st.clone();
    let t2 = target.clone();
    // the page's focus (its address, for the charts' download links) goes along
    let focus = crate::html::focus();
    let Ok(body) = tokio::task::spawn_blocking(move || {
        crate::html::FOCUS.sync_scope(focus, || body(&st2, lang, t2.as_deref()))
    })
    .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    let toggle = target
        .map(|t| format!("naar={}", url(&t)))
        .unwrap_or_default();
    Html(html::page(
        lang,
        lang.t("Huurmix", "Rent mix"),
        "/huurmix",
        &toggle,
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response()
}

pub(crate) fn body(st: &AppState, lang: Lang, target: Option<&str>) -> String {
    let Some(stock) = st.stock.as_ref() else {
        return format!(
            "<p>{}</p>",
            lang.t(
                "Geen voorraadbestand geladen. Start met `veerkracht serve --stock voorraad.csv` (de platte portefeuillevorm).",
                "No stock file loaded. Start with `veerkracht serve --stock stock.csv` (the flat portfolio form)."
            )
        );
    };
    let m = st.rent_mix();
    let p = match target {
        None => st.published_mix(),
        Some(t) => Arc::new(st.published_mix().naar(Some(t))),
    };
    let k = st.privacy.k;
    let mut s = String::new();
    let _ = write!(
        s,
        "<p>{} <strong>{}</strong>: {} {}, {} {}. {}</p>",
        lang.t("Voorraad", "Stock"),
        esc(&stock.source),
        count_html(lang, p.totaal.aantal),
        lang.t("woningen gewaardeerd", "dwellings valued"),
        lang.t("peildatum", "reference date"),
        esc(&m.peildatum),
        lang.t(
            "Punten volgens het woningwaarderingsstelsel (WWS), geschat uit de platte voorraadvorm; segmenten: sociaal ≤ 143, midden 144–186, vrij ≥ 187 punten.",
            "Points under the WWS, estimated from the flat stock form; segments: social ≤ 143, mid 144–186, free ≥ 187 points."
        )
    );
    // Map: share of social rent per buurt (fixed breaks 20/40/60/80 %).
    let edition = st.latest(Level::Buurt);
    if let Some(ed) = edition.and_then(|e| st.ds.edition(e)) {
        let breaks = [20.0, 40.0, 60.0, 80.0];
        let mut shapes = Vec::new();
        for a in st.ds.areas(edition.unwrap_or_default(), Level::Buurt) {
            let Some(g) = ed.geometry(&a.code) else {
                continue;
            };
            let b = p.buurten.get(&a.code.to_string());
            let share = b.and_then(|b| pct(b.sociaal, b.aantal));
            let withheld =
                (b.is_some() && share.is_none()) || (b.is_none() && st.privacy.suppress_zero);
            shapes.push(Shape {
                code: a.code.to_string(),
                label: format!(
                    "{} ({}): {}",
                    a.name,
                    a.code,
                    match share {
                        Some(x) => format!(
                            "{} % {}",
                            num(lang, Some(x), 0),
                            lang.t("sociale huur", "social rent")
                        ),
                        None if withheld => lang.t("afgeschermd", "withheld").to_string(),
                        None => lang
                            .t("geen corporatiewoningen", "no corporation dwellings")
                            .to_string(),
                    }
                ),
                fill: match share {
                    Some(x) => SEQUENTIAL[map::class_of(x, &breaks)],
                    None if withheld => WITHHELD_FILL,
                    None => NO_DATA,
                },
                geometry: g,
            });
        }
        s.push_str(&map::legend(&[
            (SEQUENTIAL[0], "≤ 20 %".into()),
            (SEQUENTIAL[1], "20–40 %".into()),
            (SEQUENTIAL[2], "40–60 %".into()),
            (SEQUENTIAL[3], "60–80 %".into()),
            (SEQUENTIAL[4], "> 80 %".into()),
            (
                NO_DATA,
                lang.t("geen corporatiewoningen", "no corporation dwellings")
                    .to_string(),
            ),
            (
                WITHHELD_FILL,
                match lang {
                    Lang::Nl => format!("afgeschermd (minder dan {k} woningen)"),
                    Lang::En => format!("withheld (fewer than {k} dwellings)"),
                },
            ),
        ]));
        s.push_str(&map::svg(
            &shapes,
            lang.t(
                "Aandeel sociale huur in de corporatievoorraad per buurt",
                "Share of social rent in the corporation stock per buurt",
            ),
            "",
        ));
    }
    // Pictures of the whole portfolio: its points per class, and its segments now and after
    // the what-if (withheld figures are written as such, never drawn as zero).
    let t = &p.totaal;
    let f = |x: Option<u64>| x.map(|v| v as f64);
    let klassen: Vec<String> = PUNTEN_KLASSEN.iter().map(|k| k.0.to_string()).collect();
    let points = crate::chart::columns(
        lang,
        lang.t("Woningen per puntenklasse", "Dwellings per points class"),
        &klassen,
        &[(
            lang.t("woningen", "dwellings"),
            "#3b528b",
            t.punten_verdeling.iter().map(|x| f(*x)).collect(),
        )],
        lang.t("woningen", "dwellings"),
    );
    let segs = [
        lang.t("sociaal", "social").to_string(),
        lang.t("midden", "mid").to_string(),
        lang.t("vrij", "free").to_string(),
    ];
    let now = vec![f(t.sociaal), f(t.middenhuur), f(t.vrije_sector)];
    let mut series = vec![(lang.t("nu", "now"), "#56B4E9", now.clone())];
    if let Some(w) = p.wat_als.as_ref() {
        let d = &w.totaal;
        let (sm, mv, sv) = (
            f(d.sociaal_naar_midden),
            f(d.midden_naar_vrij),
            f(d.sociaal_naar_vrij),
        );
        let after = vec![
            now[0].zip(sm).zip(sv).map(|((a, b), c)| a - b - c),
            now[1].zip(sm).zip(mv).map(|((a, b), c)| a + b - c),
            now[2].zip(mv).zip(sv).map(|((a, b), c)| a + b + c),
        ];
        series.push((
            lang.t("na de wat-als", "after the what-if"),
            "#D55E00",
            after,
        ));
    }
    let segments = crate::chart::columns(
        lang,
        lang.t("Woningen per segment", "Dwellings per segment"),
        &segs,
        &series,
        lang.t("woningen", "dwellings"),
    );
    let csv = match &target {
        Some(t) => format!("/api/v1/huurmix?naar={}&format=csv", url(t)),
        None => "/api/v1/huurmix?format=csv".to_string(),
    };
    let dl_points = crate::chart::downloads(lang, "punten-grafiek", Some(&csv));
    let dl_segments = crate::chart::downloads(lang, "segment-grafiek", Some(&csv));
    let _ = write!(
        s,
        "<div class=\"charts\"><figure class=\"chart\" data-testid=\"punten-grafiek\">{points}{dl_points}</figure><figure class=\"chart\" data-testid=\"segment-grafiek\">{segments}<figcaption>{}</figcaption>{dl_segments}</figure></div>",
        esc(lang.t(
            "De hele voorraad; sociaal ≤ 143, midden 144–186, vrij ≥ 187 punten. Na de wat-als: elke woning met een slechter label naar het gekozen label.",
            "The whole stock; social ≤ 143, mid 144–186, free ≥ 187 points. After the what-if: every dwelling with a worse label to the chosen label."
        ))
    );
    // Segments per buurt as stacked bars (now, and after the what-if as a thin bar); a buurt
    // whose counts are withheld says so, never a bar of zero.
    let names: HashMap<String, String> = edition
        .map(|e| {
            st.ds
                .areas(e, Level::Buurt)
                .into_iter()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let stacks: Vec<crate::chart::Stack> = p
        .buurten
        .iter()
        .map(|(code, b)| {
            let w = |f: &str| b.is_withheld(f) || b.is_withheld("aantal");
            let counts = if w("sociaal") || w("middenhuur") || w("vrije_sector") {
                None
            } else {
                b.sociaal
                    .zip(b.middenhuur)
                    .zip(b.vrije_sector)
                    .map(|((a, m), v)| [a as f64, m as f64, v as f64])
            };
            let shares = |c: [f64; 3]| {
                let n: f64 = c.iter().sum();
                (n > 0.0).then(|| c.map(|x| 100.0 * x / n))
            };
            let after = p.wat_als.as_ref().map(|wa| {
                let d = wa.buurten.get(code)?;
                if !d.afgeschermd.is_empty() {
                    return None;
                }
                let [a, m, v] = counts?;
                let (sm, mv, sv) = (
                    d.sociaal_naar_midden? as f64,
                    d.midden_naar_vrij? as f64,
                    d.sociaal_naar_vrij? as f64,
                );
                let after = [a - sm - sv, m + sm - mv, v + mv + sv];
                // the published shifts never exceed the counts; if they ever did, no bar
                if after.iter().any(|x| *x < 0.0) {
                    return None;
                }
                shares(after)
            });
            crate::chart::Stack {
                code,
                label: names.get(code).cloned().unwrap_or_else(|| code.clone()),
                now: counts.and_then(shares),
                after,
            }
        })
        .collect();
    // the buurten with published counts are drawn; the withheld ones are counted under the
    // chart (a column of "afgeschermd" rows would hide the picture) and are in the table
    let withheld_buurten = stacks.iter().filter(|x| x.now.is_none()).count();
    let stacks: Vec<crate::chart::Stack> = stacks.into_iter().filter(|x| x.now.is_some()).collect();
    let stacked_title = lang.t(
        "Huursegmenten per buurt (aandeel van de corporatiewoningen)",
        "Rent segments per buurt (share of the corporation dwellings)",
    );
    let _ = write!(
        s,
        "<figure class=\"chart wide\" data-testid=\"segmenten-per-buurt\" data-buurten=\"{}\" data-afgeschermd=\"{withheld_buurten}\">{}<figcaption>{} {}</figcaption>{}</figure>",
        stacks.len() + withheld_buurten,
        crate::chart::stacked_hbars(
            lang,
            stacked_title,
            &stacks,
            [
                (lang.t("sociaal", "social"), "#0072B2"),
                (lang.t("midden", "mid"), "#E69F00"),
                (lang.t("vrij", "free"), "#CC79A7"),
            ],
        ),
        esc(lang.t(
            "Dikke balk: nu; dunne balk eronder: na de wat-als (als gekozen). De cijfers staan in de tabel hieronder.",
            "Thick bar: now; thin bar below: after the what-if (when chosen). The numbers are in the table below."
        )),
        esc(&match lang {
            Lang::Nl => format!("Niet getekend: {withheld_buurten} buurten met te weinig woningen om aantallen te tonen (afgeschermd, geen nul)."),
            Lang::En => format!("Not drawn: {withheld_buurten} buurten with too few dwellings to show counts (withheld, not zero)."),
        }),
        crate::chart::downloads(lang, "segmenten-per-buurt", Some(&csv)),
    );
    let row = |link: String, b: &PublishedBuurt| {
        let w = |f: &str| b.is_withheld(f);
        let share = |x: Option<u64>, f: &str| {
            if w(f) || w("aantal") {
                mark(lang)
            } else {
                num(lang, pct(x, b.aantal), 0)
            }
        };
        vec![
            link,
            count_html(lang, b.aantal),
            mean_html(lang, b.gemiddelde_punten, w("gemiddelde_punten"), 0),
            b.punten_verdeling
                .iter()
                .map(|x| count_html(lang, *x))
                .collect::<Vec<_>>()
                .join(" / "),
            mean_html(
                lang,
                b.gemiddelde_maximale_huur,
                w("gemiddelde_maximale_huur"),
                0,
            ),
            mean_html(lang, b.gemiddelde_huur, w("gemiddelde_huur"), 0),
            if w("huur_als_aandeel_van_maximum") {
                mark(lang)
            } else {
                b.huur_als_aandeel_van_maximum
                    .map(|x| format!("{} %", num(lang, Some(100.0 * x), 0)))
                    .unwrap_or_else(|| "—".into())
            },
            format!(
                "{} / {} / {}",
                share(b.sociaal, "sociaal"),
                share(b.middenhuur, "middenhuur"),
                share(b.vrije_sector, "vrije_sector")
            ),
        ]
    };
    let mut rows: Vec<Vec<String>> = p
        .buurten
        .iter()
        .map(|(code, b)| {
            let name = names.get(code).cloned().unwrap_or_default();
            row(html::buurt_link(code, &name), b)
        })
        .collect();
    rows.push(row(
        format!("<strong>{}</strong>", lang.t("totaal", "total")),
        &p.totaal,
    ));
    let klassen = PUNTEN_KLASSEN
        .iter()
        .map(|k| k.0)
        .collect::<Vec<_>>()
        .join(" / ");
    let head_points = format!("{} ({klassen})", lang.t("punten", "points"));
    s.push_str(&html::table(
        lang.t("Huurmix per buurt", "Rent mix per buurt"),
        &[
            lang.t("buurt", "buurt"),
            lang.t("woningen", "dwellings"),
            lang.t("gem. punten", "mean points"),
            &head_points,
            lang.t("gem. max. huur €", "mean max. rent €"),
            lang.t("gem. huur €", "mean rent €"),
            lang.t("huur / max", "rent / max"),
            lang.t("% sociaal / midden / vrij", "% social / mid / free"),
        ],
        &rows,
    ));
    s.push_str(&legend_html(lang, k));
    // What-if form and result.
    let mut opts = String::new();
    for l in LABELS {
        let sel = if Some(l) == target { " selected" } else { "" };
        let _ = write!(opts, "<option{sel}>{l}</option>");
    }
    let _ = write!(
        s,
        "<h2>{h}</h2><form class=\"controls\" method=\"get\" action=\"/huurmix\">{lang_field}<label>{l}<select name=\"naar\">{opts}</select></label><button type=\"submit\">{go}</button></form>",
        h = lang.t("Wat als: verduurzamen", "What if: retrofit"),
        lang_field = if lang == Lang::En {
            "<input type=\"hidden\" name=\"lang\" value=\"en\">"
        } else {
            ""
        },
        l = lang.t(
            "Alle woningen met een slechter label naar",
            "Every dwelling with a worse label to"
        ),
        go = lang.t("Bereken", "Compute"),
    );
    if let (Some(t), Some(w)) = (target, p.wat_als.as_ref()) {
        let tot = &w.totaal;
        let mh = |v: Option<f64>, f: &str, d: usize| mean_html(lang, v, tot.is_withheld(f), d);
        let _ = write!(
            s,
            "<p data-testid=\"whatif-total\">{} {} {}: {} {} {}; {} {} {}; {} {}, {} {}, {} {}.</p>",
            count_html(lang, tot.verbeterd),
            lang.t("woningen naar label", "dwellings to label"),
            esc(t),
            lang.t("gemiddeld", "on average"),
            mh(tot.delta_punten_gemiddeld, "delta_punten_gemiddeld", 1),
            lang.t("punten per woning", "points per dwelling"),
            lang.t("maximale huur", "maximum rent"),
            mh(
                tot.delta_maximale_huur_gemiddeld,
                "delta_maximale_huur_gemiddeld",
                2
            ),
            lang.t("€ per maand per woning", "€ per month per dwelling"),
            count_html(lang, tot.sociaal_naar_midden),
            lang.t("van sociaal naar midden", "from social to mid"),
            count_html(lang, tot.midden_naar_vrij),
            lang.t("van midden naar vrij", "from mid to free"),
            count_html(lang, tot.sociaal_naar_vrij),
            lang.t("van sociaal naar vrij", "from social to free"),
        );
        // buurten where something improves (a withheld count may hide a 0, so it is listed)
        let rows: Vec<Vec<String>> = w
            .buurten
            .iter()
            .filter(|(_, b)| b.verbeterd != Some(0))
            .map(|(code, b)| {
                let mh =
                    |v: Option<f64>, f: &str, d: usize| mean_html(lang, v, b.is_withheld(f), d);
                vec![
                    esc(&format!(
                        "{} ({code})",
                        names.get(code).cloned().unwrap_or_default()
                    )),
                    format!(
                        "{} / {}",
                        count_html(lang, b.verbeterd),
                        count_html(lang, b.woningen)
                    ),
                    mh(b.delta_punten_gemiddeld, "delta_punten_gemiddeld", 1),
                    mh(
                        b.delta_maximale_huur_gemiddeld,
                        "delta_maximale_huur_gemiddeld",
                        2,
                    ),
                    count_html(lang, b.sociaal_naar_midden),
                    count_html(lang, b.midden_naar_vrij),
                    count_html(lang, b.sociaal_naar_vrij),
                ]
            })
            .collect();
        s.push_str(&html::table(
            lang.t(
                "Effect per buurt (gemiddelde over alle woningen van de buurt)",
                "Effect per buurt (mean over all dwellings of the buurt)",
            ),
            &[
                lang.t("buurt", "buurt"),
                lang.t("verbeterd / woningen", "improved / dwellings"),
                "Δ punten",
                "Δ max. huur €",
                lang.t("sociaal → midden", "social → mid"),
                lang.t("midden → vrij", "mid → free"),
                lang.t("sociaal → vrij", "social → free"),
            ],
            &rows,
        ));
        s.push_str(&legend_html(lang, k));
        let _ = write!(s, "<p class=\"note\">{}</p>", lang.t("Verduurzaming verhoogt punten en daarmee de maximale huur; woningen die over de segmentgrens gaan, verlaten de sociale voorraad tenzij de corporatie de huur aftopt.", "Retrofits raise points and so the maximum rent; dwellings that cross a segment boundary leave the social stock unless the corporation caps the rent."));
    }
    let _ = write!(
        s,
        "<h2>{}</h2><p><a href=\"/huurmix/beleid{}\" data-testid=\"naar-beleidsvarianten\">{}</a></p>",
        lang.t("Wat als de regels anders zijn?", "What if the rules were different?"),
        if lang == Lang::En { "?lang=en" } else { "" },
        lang.t(
            "Beleidsvarianten van het woningwaarderingsstelsel: het effect per buurt van een andere WOZ-cap, labelpunten of huurprijstabel →",
            "Policy variants of the WWS points system: the effect per buurt of another WOZ cap, label points or rent table →"
        )
    );
    let _ = write!(
        s,
        "<p class=\"note\"><a href=\"/api/v1/huurmix\">JSON</a> · <a href=\"/api/v1/huurmix?format=csv\">CSV</a> · <a href=\"/methode#afscherming\">{}</a></p>",
        lang.t("over de afscherming", "about the suppression")
    );
    s
}

query!(
    /// `GET /api/v1/huurmix`
    HuurmixQuery { format, naar }
);

/// `GET /api/v1/huurmix[?format=csv][&naar=LABEL]` (also at its old path `/api/v1/rentmix`)
pub async fn api(State(st): State<Arc<AppState>>, Params(q): Params<HuurmixQuery>) -> Answer {
    if st.stock.is_none() {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "Geen voorraad / no stock",
            "no stock file loaded; start the server with --stock FILE",
        ));
    }
    let target = q.naar.clone();
    if let Some(t) = &target
        && !LABELS.contains(&t.as_str())
    {
        return Err(Problem::bad(format!(
            "naar '{t}' is not an energy label: use one of {}",
            LABELS.join(", ")
        )));
    }
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(o) => return Err(Problem::bad(format!("format '{o}': use json or csv"))),
    };
    let st2 = st.clone();
    let (p, peildatum) = tokio::task::spawn_blocking(move || {
        let m = st2.rent_mix();
        // a slice of the one joint publication (the same cells with or without a what-if)
        let p = match target.as_deref() {
            None => st2.published_mix(),
            Some(t) => Arc::new(st2.published_mix().naar(Some(t))),
        };
        (p, m.peildatum.clone())
    })
    .await
    .map_err(|_| Problem::internal("the valuation failed"))?;
    if csv {
        return Ok(crate::http::csv_response(&csv_rows(&p), "huurmix"));
    }
    Ok(crate::http::json_response(serde_json::json!({
        "bron": st.stock.as_ref().map(|s| s.source.clone()),
        "synthetisch": st.synthetic,
        "peildatum": peildatum,
        "punten_klassen": PUNTEN_KLASSEN.iter().map(|k| k.0).collect::<Vec<_>>(),
        "afscherming": afscherming_json(&p.options),
        "buurten": p.buurten,
        "totaal": p.totaal,
        "wat_als": p.wat_als.as_ref().map(|w| &w.buurten),
        "wat_als_totaal": p.wat_als.as_ref().map(|w| &w.totaal),
    })))
}

/// The Huurmix page and its API.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/huurmix", get(page))
        .route("/api/v1/huurmix", get(api))
        .route("/api/v1/rentmix", get(api))
}
