//! *Huurmix*: WWS points, maximum rents and segments per buurt of the corporation's stock (the
//! flat portfolio CSV), and a retrofit what-if ("every dwelling with a worse label to label X"):
//! Δ points, Δ maximum rent and segment changes per buurt, through the WWS engine.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use veerkracht_dataset::{AreaCode, Level};
use veerkracht_wws::flat::FlatUnit;
use veerkracht_wws::mix::{PUNTEN_KLASSEN, RentMix};
use veerkracht_wws::{Options, Segment};

use crate::AppState;
use crate::html::{self, Lang, NO_DATA, SEQUENTIAL, esc, num, url};
use crate::map::{self, Shape};

/// Energy labels from best to worst.
pub const LABELS: [&str; 11] = [
    "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
];

/// A corporation stock in the flat portfolio form.
pub struct Stock {
    /// Where it comes from (file name; "synthetische demodata" for the demo).
    pub source: String,
    pub units: Vec<FlatUnit>,
}

impl Stock {
    /// Parses the flat CSV; the error names the row and field.
    pub fn parse(source: impl Into<String>, text: &str) -> Result<Stock, String> {
        let source = source.into();
        let units = veerkracht_wws::flat::parse_csv(text).map_err(|e| format!("{source}: {e}"))?;
        Ok(Stock { source, units })
    }
}

/// The rent mix of the stock (valued once, cached by the state).
pub struct Mix {
    pub mix: RentMix,
    pub errors: usize,
    pub peildatum: String,
}

pub fn compute_mix(stock: &Stock) -> Mix {
    let opts = Options::default();
    let mut mix = RentMix::default();
    let mut errors = 0;
    for u in &stock.units {
        match u.waardeer(&opts) {
            Ok(r) => mix.add(
                u.buurtcode.as_deref(),
                &r,
                u.kale_huur,
                u.energielabel.as_deref(),
            ),
            Err(_) => errors += 1,
        }
    }
    Mix {
        mix,
        errors,
        peildatum: opts.peildatum.to_string(),
    }
}

/// The what-if per buurt.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuurtWhatIf {
    pub woningen: usize,
    /// dwellings whose label improves
    pub verbeterd: usize,
    pub delta_punten_gemiddeld: f64,
    pub delta_maximale_huur_gemiddeld: f64,
    pub sociaal_naar_midden: usize,
    pub midden_naar_vrij: usize,
    pub sociaal_naar_vrij: usize,
}

/// Every dwelling whose label is worse than `target` gets `target`; points only, both sides.
pub fn what_if(stock: &Stock, target: &str) -> BTreeMap<String, BuurtWhatIf> {
    let opts = Options::default();
    let rank = |l: &str| LABELS.iter().position(|x| *x == l);
    let t = rank(target).expect("validated label");
    let mut out: BTreeMap<String, BuurtWhatIf> = BTreeMap::new();
    for u in &stock.units {
        let b = out
            .entry(u.buurtcode.clone().unwrap_or_else(|| "onbekend".into()))
            .or_default();
        b.woningen += 1;
        let worse = u
            .energielabel
            .as_deref()
            .and_then(rank)
            .is_some_and(|r| r > t);
        if !worse {
            continue;
        }
        let mut after = u.clone();
        after.energielabel = Some(target.to_string());
        let (Ok(p0), Ok(p1)) = (u.waardeer_punten(&opts), after.waardeer_punten(&opts)) else {
            continue;
        };
        b.verbeterd += 1;
        b.delta_punten_gemiddeld += p1.punten - p0.punten;
        b.delta_maximale_huur_gemiddeld +=
            p1.maximale_huur_inclusief_opslag - p0.maximale_huur_inclusief_opslag;
        match (p0.segment, p1.segment) {
            (Some(Segment::Sociaal), Some(Segment::Middenhuur)) => b.sociaal_naar_midden += 1,
            (Some(Segment::Middenhuur), Some(Segment::VrijeSector)) => b.midden_naar_vrij += 1,
            (Some(Segment::Sociaal), Some(Segment::VrijeSector)) => b.sociaal_naar_vrij += 1,
            _ => {}
        }
    }
    for b in out.values_mut() {
        if b.woningen > 0 {
            // averages over all dwellings of the buurt (the change its residents see)
            b.delta_punten_gemiddeld /= b.woningen as f64;
            b.delta_maximale_huur_gemiddeld /= b.woningen as f64;
        }
    }
    out
}

fn pct(k: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| 100.0 * k as f64 / n as f64)
}

type Q = Query<HashMap<String, String>>;

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
    let Ok(body) = tokio::task::spawn_blocking(move || body(&st2, lang, t2.as_deref())).await
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

fn body(st: &AppState, lang: Lang, target: Option<&str>) -> String {
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
    let mut s = String::new();
    let _ = write!(
        s,
        "<p>{} <strong>{}</strong>: {} {}, {} {}. {}</p>",
        lang.t("Voorraad", "Stock"),
        esc(&stock.source),
        m.mix.totaal.aantal,
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
            let b = m.mix.buurten.get(&a.code.to_string());
            let share = b.and_then(|b| pct(b.sociaal, b.aantal));
            shapes.push(Shape {
                code: a.code.to_string(),
                label: format!(
                    "{} ({}): {}",
                    a.name,
                    a.code,
                    share
                        .map(|x| format!(
                            "{} % {}",
                            num(lang, Some(x), 0),
                            lang.t("sociale huur", "social rent")
                        ))
                        .unwrap_or_else(|| lang
                            .t("geen corporatiewoningen", "no corporation dwellings")
                            .to_string())
                ),
                fill: share.map_or(NO_DATA, |x| SEQUENTIAL[map::class_of(x, &breaks)]),
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
    // Table per buurt.
    let names: HashMap<String, String> = edition
        .map(|e| {
            st.ds
                .areas(e, Level::Buurt)
                .into_iter()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = m
        .mix
        .buurten
        .iter()
        .map(|(code, b)| {
            let name = names.get(code).cloned().unwrap_or_default();
            let link = match AreaCode::parse(code) {
                Ok(c) => format!(
                    "<a href=\"/buurt/{}\">{}</a>",
                    url(&c.to_string()),
                    esc(&format!("{name} ({code})"))
                ),
                Err(_) => esc(code),
            };
            vec![
                link,
                b.aantal.to_string(),
                num(lang, Some(b.gemiddelde_punten), 0),
                b.punten_verdeling
                    .iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(" / "),
                num(lang, Some(b.gemiddelde_maximale_huur), 0),
                num(lang, b.gemiddelde_huur, 0),
                b.huur_als_aandeel_van_maximum
                    .map(|x| format!("{} %", num(lang, Some(100.0 * x), 0)))
                    .unwrap_or_else(|| "—".into()),
                format!(
                    "{} / {} / {}",
                    num(lang, pct(b.sociaal, b.aantal), 0),
                    num(lang, pct(b.middenhuur, b.aantal), 0),
                    num(lang, pct(b.vrije_sector, b.aantal), 0)
                ),
            ]
        })
        .collect();
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
    if let Some(t) = target {
        let w = what_if(stock, t);
        let tot = w.values().fold(BuurtWhatIf::default(), |mut a, b| {
            a.woningen += b.woningen;
            a.verbeterd += b.verbeterd;
            a.sociaal_naar_midden += b.sociaal_naar_midden;
            a.midden_naar_vrij += b.midden_naar_vrij;
            a.sociaal_naar_vrij += b.sociaal_naar_vrij;
            a.delta_punten_gemiddeld += b.delta_punten_gemiddeld * b.woningen as f64;
            a.delta_maximale_huur_gemiddeld += b.delta_maximale_huur_gemiddeld * b.woningen as f64;
            a
        });
        let n = tot.woningen.max(1) as f64;
        let _ = write!(
            s,
            "<p data-testid=\"whatif-total\">{} {} {}: {} {} {}; {} {} {}; {} {}, {} {}, {} {}.</p>",
            tot.verbeterd,
            lang.t("woningen naar label", "dwellings to label"),
            esc(t),
            lang.t("gemiddeld", "on average"),
            num(lang, Some(tot.delta_punten_gemiddeld / n), 1),
            lang.t("punten per woning", "points per dwelling"),
            lang.t("maximale huur", "maximum rent"),
            num(lang, Some(tot.delta_maximale_huur_gemiddeld / n), 2),
            lang.t("€ per maand per woning", "€ per month per dwelling"),
            tot.sociaal_naar_midden,
            lang.t("van sociaal naar midden", "from social to mid"),
            tot.midden_naar_vrij,
            lang.t("van midden naar vrij", "from mid to free"),
            tot.sociaal_naar_vrij,
            lang.t("van sociaal naar vrij", "from social to free"),
        );
        let rows: Vec<Vec<String>> = w
            .iter()
            .filter(|(_, b)| b.verbeterd > 0)
            .map(|(code, b)| {
                vec![
                    esc(&format!(
                        "{} ({code})",
                        names.get(code).cloned().unwrap_or_default()
                    )),
                    format!("{} / {}", b.verbeterd, b.woningen),
                    num(lang, Some(b.delta_punten_gemiddeld), 1),
                    num(lang, Some(b.delta_maximale_huur_gemiddeld), 2),
                    b.sociaal_naar_midden.to_string(),
                    b.midden_naar_vrij.to_string(),
                    b.sociaal_naar_vrij.to_string(),
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
        let _ = write!(s, "<p class=\"note\">{}</p>", lang.t("Verduurzaming verhoogt punten en daarmee de maximale huur; woningen die over de segmentgrens gaan, verlaten de sociale voorraad tenzij de corporatie de huur aftopt.", "Retrofits raise points and so the maximum rent; dwellings that cross a segment boundary leave the social stock unless the corporation caps the rent."));
    }
    let _ = write!(
        s,
        "<p class=\"note\"><a href=\"/api/v1/rentmix\">JSON</a> · <a href=\"/api/v1/rentmix?format=csv\">CSV</a></p>"
    );
    s
}

/// GET /api/v1/rentmix[?format=csv][&naar=LABEL]
pub async fn api(State(st): State<Arc<AppState>>, Query(q): Q) -> Response {
    if let Some(k) = q.keys().find(|k| !matches!(k.as_str(), "format" | "naar")) {
        return crate::api::problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            &format!("unknown parameter '{k}'; this endpoint takes: format, naar"),
        );
    }
    if st.stock.is_none() {
        return crate::api::problem(
            StatusCode::NOT_FOUND,
            "Geen voorraad / no stock",
            "no stock file loaded; start the server with --stock FILE",
        );
    }
    let target = q.get("naar").cloned();
    if let Some(t) = &target
        && !LABELS.contains(&t.as_str())
    {
        return crate::api::problem(
            StatusCode::BAD_REQUEST,
            "Ongeldige parameter / invalid parameter",
            &format!(
                "naar '{t}' is not an energy label: use one of {}",
                LABELS.join(", ")
            ),
        );
    }
    let csv = match q.get("format").map(String::as_str) {
        None | Some("json") => false,
        Some("csv") => true,
        Some(o) => {
            return crate::api::problem(
                StatusCode::BAD_REQUEST,
                "Ongeldige parameter / invalid parameter",
                &format!("format '{o}': use json or csv"),
            );
        }
    };
    let st2 = st.clone();
    let Ok(v) = tokio::task::spawn_blocking(move || {
        let m = st2.rent_mix();
        let w = target
            .as_deref()
            .map(|t| what_if(st2.stock.as_ref().expect("checked"), t));
        (
            serde_json::to_value(&m.mix.buurten).unwrap_or_default(),
            serde_json::to_value(&m.mix.totaal).unwrap_or_default(),
            w,
            m.peildatum.clone(),
        )
    })
    .await
    else {
        return crate::api::problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Interne fout / internal error",
            "the valuation failed",
        );
    };
    if csv {
        let mut rows = Vec::new();
        if let Some(obj) = v.0.as_object() {
            for (code, b) in obj {
                let mut m = serde_json::Map::new();
                m.insert("code".into(), serde_json::json!(code));
                for k in [
                    "aantal",
                    "gemiddelde_punten",
                    "gemiddelde_maximale_huur",
                    "gemiddelde_huur",
                    "huur_als_aandeel_van_maximum",
                    "sociaal",
                    "middenhuur",
                    "vrije_sector",
                ] {
                    m.insert(k.into(), b[k].clone());
                }
                rows.push(m);
            }
        }
        return crate::api::csv_response(&rows, "huurmix");
    }
    crate::api::json_response(serde_json::json!({
        "bron": st.stock.as_ref().map(|s| s.source.clone()),
        "synthetisch": st.synthetic,
        "peildatum": v.3,
        "punten_klassen": PUNTEN_KLASSEN.iter().map(|k| k.0).collect::<Vec<_>>(),
        "buurten": v.0,
        "totaal": v.1,
        "wat_als": v.2,
    }))
}
