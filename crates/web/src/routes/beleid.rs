//! The *Beleidsvarianten* page (`/huurmix/beleid`) and its API (`/api/v1/huurmix/beleid`):
//! "what if the WWS rules were different?" A shipped variant (`data/wws/varianten/`) chosen
//! by name, or a pasted one (TOML, at most [`MAX_TEKST`] bytes; the schema is in
//! `data/wws/README.md`), is compared with today's rules on the served stock. Every figure
//! comes from `veerkracht_huurmix::variant::publish`: suppressed with the server's k and pinned
//! to the rent mix that `/huurmix` publishes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use serde_json::Value;
use serde_json::json;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Level;
use veerkracht_huurmix::variant::{PublishedTelling, SEGMENTEN};
use veerkracht_wws::variant::MEEGELEVERD;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;
use crate::html::url;
use crate::html::{count_html, legend_html, mean_html};
use crate::http::Answer;
use crate::http::Params;
use crate::http::Problem;
use crate::http::QueryNames;
use crate::http::query;
use crate::state::PolicyVariant;

/// The longest variant text a user may paste or send (bytes).
pub const MAX_TEKST: usize = 16 * 1024;

/// Classes of the map (mean Δ maximum rent per buurt, euro a month): fixed, so maps of two
/// variants compare.
const BREAKS: [f64; 4] = [-25.0, -5.0, 5.0, 25.0];

/// ColorBrewer PuOr: lower purple, higher orange, about the same light grey (neither side
/// means good or bad).
const COLOURS: [&str; 5] = ["#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101"];

/// The shipped variant of a name (`woz-cap-25` or `woz-cap-25.toml`): (file, text).
fn shipped(name: &str) -> Option<(&'static str, &'static str)> {
    let file = if name.ends_with(".toml") {
        name.to_string()
    } else {
        format!("{name}.toml")
    };
    MEEGELEVERD.iter().copied().find(|(f, _)| *f == file)
}

/// The shipped variants, read once: (short name, variant).
fn shipped_variants() -> &'static [(&'static str, veerkracht_wws::variant::Variant)] {
    static V: std::sync::OnceLock<Vec<(&'static str, veerkracht_wws::variant::Variant)>> =
        std::sync::OnceLock::new();
    V.get_or_init(|| {
        MEEGELEVERD
            .iter()
            .filter_map(|(f, text)| {
                let v = veerkracht_wws::variant::Variant::parse(f, text).ok()?;
                Some((f.trim_end_matches(".toml"), v))
            })
            .collect()
    })
}

fn names_of_shipped() -> String {
    MEEGELEVERD
        .iter()
        .map(|(f, _)| f.trim_end_matches(".toml"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compares a variant off the async threads.
async fn compare(
    st: Arc<AppState>,
    file: String,
    text: String,
) -> Result<Arc<PolicyVariant>, String> {
    tokio::task::spawn_blocking(move || st.policy_variant(&file, &text))
        .await
        .map_err(|_| "the comparison failed".to_string())?
}

fn frame(st: &AppState, lang: Lang, status: StatusCode, toggle: &str, body: &str) -> Response {
    (
        status,
        Html(html::page(
            lang,
            lang.t("Beleidsvarianten WWS", "WWS policy variants"),
            "/huurmix",
            toggle,
            &st.origin,
            st.synthetic,
            body,
        )),
    )
        .into_response()
}

/// GET /huurmix/beleid[?variant=NAME]
pub async fn page(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let csrf = csrf_of(&auth);
    if st.stock.is_none() {
        return frame(&st, lang, StatusCode::OK, "", &no_stock(lang));
    }
    let name = q
        .get("variant")
        .cloned()
        .unwrap_or_else(|| MEEGELEVERD[0].0.trim_end_matches(".toml").to_string());
    let Some((file, text)) = shipped(&name) else {
        let body = format!(
            "{}<p class=\"fout\" role=\"alert\">{}: {} {}</p>",
            form(lang, None, "", &csrf),
            esc(&name),
            lang.t(
                "geen meegeleverde variant; kies uit",
                "not a shipped variant; choose from"
            ),
            esc(&names_of_shipped())
        );
        return frame(&st, lang, StatusCode::BAD_REQUEST, "", &body);
    };
    let focus = crate::html::focus();
    let st2 = st.clone();
    let r = compare(
        st.clone(),
        format!("data/wws/varianten/{file}"),
        text.to_string(),
    )
    .await;
    let short = file.trim_end_matches(".toml").to_string();
    let body = match r {
        Ok(p) => {
            let csv = format!("/api/v1/huurmix/beleid?variant={}&format=csv", url(&short));
            let json = format!("/api/v1/huurmix/beleid?variant={}", url(&short));
            let result = crate::html::FOCUS.sync_scope(focus, || {
                result_html(&st2, lang, &p, Some(&csv), Some(&json))
            });
            format!("{}{result}", form(lang, Some(file), "", &csrf))
        }
        Err(e) => format!(
            "{}<p class=\"fout\" role=\"alert\">{}</p>",
            form(lang, Some(file), "", &csrf),
            esc(&e)
        ),
    };
    frame(
        &st,
        lang,
        StatusCode::OK,
        &format!("variant={}", url(&short)),
        &body,
    )
}

/// The form of a pasted variant.
#[derive(serde::Deserialize)]
pub struct PasteForm {
    tekst: String,
}

/// POST /huurmix/beleid (a pasted variant, form field `tekst`)
pub async fn page_post(
    State(st): State<Arc<AppState>>,
    auth: Option<axum::Extension<crate::auth::Auth>>,
    Query(q): Query<HashMap<String, String>>,
    form_data: Result<axum::Form<PasteForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let csrf = csrf_of(&auth);
    if st.stock.is_none() {
        return frame(&st, lang, StatusCode::OK, "", &no_stock(lang));
    }
    let Ok(axum::Form(f)) = form_data else {
        let body = format!(
            "{}<p class=\"fout\" role=\"alert\">{}</p>",
            form(lang, None, "", &csrf),
            lang.t(
                "Het formulier is niet compleet: plak een variant in het tekstvak.",
                "The form is incomplete: paste a variant into the text box."
            )
        );
        return frame(&st, lang, StatusCode::BAD_REQUEST, "", &body);
    };
    if f.tekst.len() > MAX_TEKST {
        let body = format!(
            "{}<p class=\"fout\" role=\"alert\">{}</p>",
            form(lang, None, "", &csrf),
            esc(&format!(
                "{} ({} bytes; {} {MAX_TEKST})",
                lang.t("De variant is te lang", "The variant is too long"),
                f.tekst.len(),
                lang.t("hoogstens", "at most")
            ))
        );
        return frame(&st, lang, StatusCode::PAYLOAD_TOO_LARGE, "", &body);
    }
    let focus = crate::html::focus();
    let st2 = st.clone();
    let r = compare(st.clone(), "geplakte variant".into(), f.tekst.clone()).await;
    let (status, body) = match r {
        Ok(p) => (
            StatusCode::OK,
            format!(
                "{}{}",
                form(lang, None, &f.tekst, &csrf),
                crate::html::FOCUS.sync_scope(focus, || result_html(&st2, lang, &p, None, None))
            ),
        ),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            format!(
                "{}<p class=\"fout\" role=\"alert\" data-testid=\"variantfout\">{}</p>",
                form(lang, None, &f.tekst, &csrf),
                esc(&e)
            ),
        ),
    };
    frame(&st, lang, status, "", &body)
}

fn csrf_of(auth: &Option<axum::Extension<crate::auth::Auth>>) -> String {
    auth.as_ref()
        .map(|a| crate::partner_ui::csrf_field(&a.0))
        .unwrap_or_default()
}

fn no_stock(lang: Lang) -> String {
    format!(
        "<p>{}</p>",
        lang.t(
            "Geen voorraadbestand geladen. Start met `veerkracht serve --stock voorraad.csv` (de platte portefeuillevorm).",
            "No stock file loaded. Start with `veerkracht serve --stock stock.csv` (the flat portfolio form)."
        )
    )
}

/// The choice of a shipped variant (GET) and the box for a pasted one (POST).
fn form(lang: Lang, chosen: Option<&str>, pasted: &str, csrf: &str) -> String {
    let lang_field = if lang == Lang::En {
        "<input type=\"hidden\" name=\"lang\" value=\"en\">"
    } else {
        ""
    };
    let mut opts = String::new();
    for (short, v) in shipped_variants() {
        let sel = if chosen.map(|f| f.trim_end_matches(".toml")) == Some(*short) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            opts,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(short),
            esc(&v.naam)
        );
    }
    let example = MEEGELEVERD[0].1;
    format!(
        "<p>{intro}</p><form class=\"controls\" method=\"get\" action=\"/huurmix/beleid\">{lang_field}<label>{l}<select name=\"variant\">{opts}</select></label><button type=\"submit\">{go}</button></form>\
<details{open}><summary>{own}</summary><form method=\"post\" action=\"/huurmix/beleid{q}\" class=\"plak\">{csrf}<label for=\"tekst\">{paste}</label><textarea id=\"tekst\" name=\"tekst\" rows=\"12\" cols=\"80\" maxlength=\"{MAX_TEKST}\" spellcheck=\"false\">{text}</textarea><button type=\"submit\">{go}</button></form></details>",
        intro = esc(lang.t(
            "Wat doet een andere regel in het woningwaarderingsstelsel met de maximale huren en segmenten van de voorraad? Kies een meegeleverde beleidsvariant of plak een eigen variant (TOML). Vergeleken wordt met de regels van nu, op dezelfde peildatum.",
            "What would another rule of the WWS points system do to the stock's maximum rents and segments? Choose a shipped policy variant or paste your own (TOML). The comparison is with today's rules on the same reference date."
        )),
        l = lang.t("Beleidsvariant", "Policy variant"),
        go = lang.t("Bereken", "Compute"),
        open = if pasted.is_empty() { "" } else { " open" },
        own = lang.t("Eigen variant plakken", "Paste your own variant"),
        q = if lang == Lang::En { "?lang=en" } else { "" },
        paste = esc(lang.t(
            "Variant (TOML: [variant] naam, omschrijving, geldig_vanaf, dan de sleutels die veranderen; zie data/wws/README.md)",
            "Variant (TOML: [variant] naam, omschrijving, geldig_vanaf, then the keys that change; see data/wws/README.md)"
        )),
        text = esc(if pasted.is_empty() { example } else { pasted }),
    )
}

/// The euro amount of a mean, signed.
fn euro(lang: Lang, x: f64) -> String {
    let s = num(lang, Some(x.abs()), 2);
    if x < -0.004 {
        format!("−€ {s}")
    } else if x > 0.004 {
        format!("+€ {s}")
    } else {
        format!("€ {s}")
    }
}

/// The variant's effect: what it changes, a summary, the map, the charts and the table.
pub(crate) fn result_html(
    st: &AppState,
    lang: Lang,
    p: &PolicyVariant,
    csv: Option<&str>,
    json: Option<&str>,
) -> String {
    let v = &p.variant;
    let pv = &p.published;
    let t = &pv.totaal;
    let mut s = String::new();
    let _ = write!(
        s,
        "<section id=\"variant\" data-testid=\"variant\"><h2>{} — {}</h2><p>{}</p><ul class=\"wijzigingen\">",
        esc(&v.naam),
        esc(&format!("{} {}", lang.t("vanaf", "from"), v.geldig_vanaf)),
        esc(&v.omschrijving)
    );
    for (k, x) in &v.wijzigingen {
        let _ = write!(s, "<li><code>{}</code> = {}</li>", esc(k), esc(x));
    }
    s.push_str("</ul>");
    let k = st.privacy.k;
    let mh =
        |x: Option<f64>, f: &str, d: usize| mean_html(lang, x, t.afgeschermd.contains_key(f), d);
    let _ = write!(
        s,
        "<p data-testid=\"variant-totaal\">{n} {woningen} ({peil} {pd}): {gem} {dp} {pts}, {max} {dm} ({nu} € {m0} → € {m1}). {omlaag} {lower}, {omhoog} {higher}.</p>",
        n = count_html(lang, t.aantal("aantal")),
        woningen = lang.t("woningen", "dwellings"),
        peil = lang.t("peildatum", "reference date"),
        pd = esc(&pv.peildatum),
        gem = lang.t("gemiddeld", "on average"),
        dp = mh(t.delta_punten_gemiddeld, "delta_punten_gemiddeld", 2),
        pts = lang.t("punten per woning", "points per dwelling"),
        max = lang.t("maximale huur", "maximum rent"),
        dm = t
            .delta_maximale_huur_gemiddeld
            .map(|x| euro(lang, x))
            .unwrap_or_else(|| html::mark(lang)),
        nu = lang.t("gemiddeld nu", "mean now"),
        m0 = mh(
            t.gemiddelde_maximale_huur_voor,
            "gemiddelde_maximale_huur_voor",
            2
        ),
        m1 = mh(
            t.gemiddelde_maximale_huur_na,
            "gemiddelde_maximale_huur_na",
            2
        ),
        omlaag = count_html(lang, t.aantal("omlaag")),
        lower = lang.t(
            "woningen met een lagere maximale huur",
            "dwellings with a lower maximum rent"
        ),
        omhoog = count_html(lang, t.aantal("omhoog")),
        higher = lang.t("met een hogere", "with a higher one"),
    );
    let moves: Vec<String> = SEGMENTEN
        .iter()
        .flat_map(|a| {
            SEGMENTEN
                .iter()
                .filter(move |b| *b != a)
                .map(move |b| (*a, *b))
        })
        .map(|(a, b)| {
            let x = pv.wissels.get(&format!("{a}_naar_{b}")).copied().flatten();
            format!(
                "{} → {}: {}",
                segment_naam(lang, a),
                segment_naam(lang, b),
                count_html(lang, x)
            )
        })
        .collect();
    let _ = write!(
        s,
        "<p data-testid=\"wissels\">{}: {}.</p>",
        lang.t(
            "Woningen die van segment wisselen (over 143/144 of 186/187 punten), hele voorraad",
            "Dwellings that change segment (across 143/144 or 186/187 points), whole stock"
        ),
        moves.join("; ")
    );

    // the map of the mean Δ maximum rent per buurt
    let csv_link = csv.unwrap_or("");
    s.push_str(&difference_map(st, lang, pv, csv_link));

    // segments now and under the variant; the portfolio's maximum rents
    let f = |x: Option<u64>| x.map(|v| v as f64);
    let segs: Vec<String> = SEGMENTEN
        .iter()
        .map(|x| segment_naam(lang, x).to_string())
        .collect();
    let now: Vec<Option<f64>> = SEGMENTEN
        .iter()
        .map(|x| f(t.aantal(&format!("voor.{x}"))))
        .collect();
    let after: Vec<Option<f64>> = SEGMENTEN
        .iter()
        .map(|x| f(t.aantal(&format!("na.{x}"))))
        .collect();
    let segments = crate::chart::columns(
        lang,
        lang.t(
            "Woningen per segment: nu en onder de variant",
            "Dwellings per segment: now and under the variant",
        ),
        &segs,
        &[
            (lang.t("nu", "now"), "#56B4E9", now),
            (lang.t("variant", "variant"), "#D55E00", after),
        ],
        lang.t("woningen", "dwellings"),
    );
    let mut charts = format!(
        "<figure class=\"chart\" data-testid=\"variant-segmenten\">{segments}{}</figure>",
        crate::chart::downloads(lang, "variant-segmenten", csv)
    );
    if let Some(q) = &pv.kwantielen {
        let cats: Vec<String> = q.iter().map(|(p, _, _)| format!("P{p}")).collect();
        let rents = crate::chart::columns(
            lang,
            lang.t(
                "Maximale huur in de voorraad (percentielen, € per maand)",
                "Maximum rent in the stock (percentiles, € a month)",
            ),
            &cats,
            &[
                (
                    lang.t("nu", "now"),
                    "#56B4E9",
                    q.iter().map(|x| Some(x.1 as f64)).collect(),
                ),
                (
                    lang.t("variant", "variant"),
                    "#D55E00",
                    q.iter().map(|x| Some(x.2 as f64)).collect(),
                ),
            ],
            lang.t("€ per maand", "€ a month"),
        );
        let _ = write!(
            charts,
            "<figure class=\"chart\" data-testid=\"variant-huren\">{rents}<figcaption>{}</figcaption>{}</figure>",
            esc(lang.t(
                "Hele euro's; alleen getoond bij minstens 10 × k woningen.",
                "Whole euros; shown only over at least 10 × k dwellings."
            )),
            crate::chart::downloads(lang, "variant-huren", None)
        );
    }
    let _ = write!(s, "<div class=\"charts\">{charts}</div>");

    // the table per buurt
    let names = buurt_names(st);
    let row = |link: String, b: &PublishedTelling| {
        let w = |f: &str| b.afgeschermd.contains_key(f);
        let pair = |x: &str| {
            format!(
                "{} → {}",
                count_html(lang, b.aantal(&format!("voor.{x}"))),
                count_html(lang, b.aantal(&format!("na.{x}")))
            )
        };
        vec![
            link,
            count_html(lang, b.aantal("aantal")),
            mean_html(
                lang,
                b.delta_punten_gemiddeld,
                w("delta_punten_gemiddeld"),
                2,
            ),
            mean_html(
                lang,
                b.gemiddelde_maximale_huur_voor,
                w("gemiddelde_maximale_huur_voor"),
                2,
            ),
            mean_html(
                lang,
                b.gemiddelde_maximale_huur_na,
                w("gemiddelde_maximale_huur_na"),
                2,
            ),
            mean_html(
                lang,
                b.delta_maximale_huur_gemiddeld,
                w("delta_maximale_huur_gemiddeld"),
                2,
            ),
            pair("sociaal"),
            pair("middenhuur"),
            pair("vrije_sector"),
            count_html(lang, b.aantal("omlaag")),
            count_html(lang, b.aantal("omhoog")),
        ]
    };
    let mut rows: Vec<Vec<String>> = pv
        .buurten
        .iter()
        .map(|(code, b)| {
            let name = names.get(code).cloned().unwrap_or_default();
            row(html::buurt_link(code, &name), b)
        })
        .collect();
    rows.push(row(
        format!("<strong>{}</strong>", lang.t("totaal", "total")),
        t,
    ));
    s.push_str(&html::table(
        lang.t("Effect per buurt", "Effect per buurt"),
        &[
            lang.t("buurt", "buurt"),
            lang.t("woningen", "dwellings"),
            "Δ punten",
            lang.t("gem. max. huur nu €", "mean max. rent now €"),
            lang.t("variant €", "variant €"),
            "Δ €",
            lang.t("sociaal nu → variant", "social now → variant"),
            lang.t("midden", "mid"),
            lang.t("vrij", "free"),
            lang.t("huur omlaag", "rent down"),
            lang.t("huur omhoog", "rent up"),
        ],
        &rows,
    ));
    s.push_str(&legend_html(lang, k));
    let _ = write!(
        s,
        "<p class=\"note\">{}</p>",
        esc(lang.t(
            "De aantallen nu zijn die van de huurmix en even ver afgeschermd; een segment onder de variant is afgeschermd waar het nu is afgeschermd. Segmentwissels staan alleen voor de hele voorraad. Schatting uit de platte voorraadvorm (aannames in data/wws/parameters.toml).",
            "The counts now are the rent mix's and withheld alike; a segment under the variant is withheld where it is withheld now. Segment changes are shown for the whole stock only. Estimated from the flat stock form (assumptions in data/wws/parameters.toml)."
        ))
    );
    if let (Some(j), Some(c)) = (json, csv) {
        let _ = write!(
            s,
            "<p class=\"note\"><a href=\"{}\">JSON</a> · <a href=\"{}\">CSV</a></p>",
            esc(j),
            esc(c)
        );
    }
    s.push_str("</section>");
    s
}

fn segment_naam(lang: Lang, s: &str) -> &'static str {
    match s {
        "sociaal" => lang.t("sociaal", "social"),
        "middenhuur" => lang.t("midden", "mid"),
        _ => lang.t("vrij", "free"),
    }
}

fn buurt_names(st: &AppState) -> HashMap<String, String> {
    st.latest(Level::Buurt)
        .map(|e| {
            st.ds
                .areas(e, Level::Buurt)
                .into_iter()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The map of the mean Δ maximum rent per buurt, fixed classes; a withheld buurt is hatched.
fn difference_map(
    st: &AppState,
    lang: Lang,
    pv: &veerkracht_huurmix::variant::PublishedVergelijking,
    csv: &str,
) -> String {
    let Some(edition) = st.latest(Level::Buurt) else {
        return String::new();
    };
    let mut fills: crate::views::Fills = HashMap::new();
    let (mut drawn, mut withheld) = (0usize, 0usize);
    for (code, b) in &pv.buurten {
        let Ok(c) = AreaCode::parse(code) else {
            continue;
        };
        match b.delta_maximale_huur_gemiddeld {
            Some(d) => {
                drawn += 1;
                fills.insert(
                    c,
                    (
                        COLOURS[crate::map::class_of(d, &BREAKS)],
                        format!("{} {}", euro(lang, d), lang.t("per maand", "a month")),
                    ),
                );
            }
            None => {
                withheld += 1;
                fills.insert(
                    c,
                    (
                        html::NOT_SCORED,
                        lang.t("afgeschermd", "withheld").to_string(),
                    ),
                );
            }
        }
    }
    let names: HashMap<AreaCode, &str> = HashMap::new();
    let shapes = crate::views::focused_shapes(st, lang, Level::Buurt, edition, &fills, &names);
    let e = |x: f64| euro(lang, x);
    let legend: Vec<(&str, String)> = vec![
        (COLOURS[0], format!("≤ {}", e(BREAKS[0]))),
        (COLOURS[1], format!("{} – {}", e(BREAKS[0]), e(BREAKS[1]))),
        (
            COLOURS[2],
            format!(
                "{} – {} ({})",
                e(BREAKS[1]),
                e(BREAKS[2]),
                lang.t("ongeveer gelijk", "about the same")
            ),
        ),
        (COLOURS[3], format!("{} – {}", e(BREAKS[2]), e(BREAKS[3]))),
        (COLOURS[4], format!("> {}", e(BREAKS[3]))),
        (
            html::NO_DATA,
            lang.t("geen corporatiewoningen", "no corporation dwellings")
                .to_string(),
        ),
        (
            html::NOT_SCORED,
            lang.t("afgeschermd", "withheld").to_string(),
        ),
    ];
    let fig = crate::views::map_figure(
        lang,
        "variant-kaart",
        lang.t(
            "Verschil in gemiddelde maximale huur per buurt (variant − nu, € per maand)",
            "Difference in mean maximum rent per buurt (variant − now, € a month)",
        ),
        &legend,
        (&shapes.0, &shapes.1, shapes.2),
        "",
        lang.t(
            "Vaste klassen, zodat kaarten van twee varianten te vergelijken zijn. Gearceerd: afgeschermd (minder dan k woningen), geen nul.",
            "Fixed classes, so maps of two variants compare. Hatched: withheld (fewer than k dwellings), not zero.",
        ),
        csv,
    );
    fig.replacen(
        "<figure class=\"chart kaart\"",
        &format!("<figure class=\"chart kaart\" data-getekend=\"{drawn}\" data-afgeschermd=\"{withheld}\""),
        1,
    )
}

query!(
    /// `GET /api/v1/huurmix/beleid`
    BeleidQuery { variant, format }
);

fn csv_wanted(format: Option<&str>) -> Result<bool, Problem> {
    match format {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(o) => Err(Problem::bad(format!("format '{o}': use json or csv"))),
    }
}

/// The comparison as JSON (or CSV rows: one per buurt and the total).
fn answer(st: &AppState, p: &PolicyVariant, csv: bool) -> Response {
    let pv = &p.published;
    if csv {
        let mut rows = Vec::new();
        for (code, b) in pv
            .buurten
            .iter()
            .chain([(&"totaal".to_string(), &pv.totaal)])
        {
            let mut m = serde_json::Map::new();
            m.insert("buurt".into(), json!(code));
            for (k, x) in &b.aantallen {
                m.insert(k.clone(), json!(x));
            }
            for (k, x) in [
                ("gemiddelde_punten_voor", b.gemiddelde_punten_voor),
                ("gemiddelde_punten_na", b.gemiddelde_punten_na),
                (
                    "gemiddelde_maximale_huur_voor",
                    b.gemiddelde_maximale_huur_voor,
                ),
                ("gemiddelde_maximale_huur_na", b.gemiddelde_maximale_huur_na),
                ("delta_punten_gemiddeld", b.delta_punten_gemiddeld),
                (
                    "delta_maximale_huur_gemiddeld",
                    b.delta_maximale_huur_gemiddeld,
                ),
            ] {
                m.insert(k.into(), json!(x));
            }
            rows.push(m);
        }
        return crate::http::csv_response(&rows, "beleidsvariant");
    }
    let v = &p.variant;
    crate::http::json_response(json!({
        "variant": {
            "naam": v.naam,
            "omschrijving": v.omschrijving,
            "geldig_vanaf": v.geldig_vanaf.to_string(),
            "bestand": v.bestand,
            "wijzigingen": v.wijzigingen.iter().map(|(k, x)| json!({"sleutel": k, "waarde": x})).collect::<Vec<Value>>(),
        },
        "bron": st.stock.as_ref().map(|s| s.source.clone()),
        "synthetisch": st.synthetic,
        "peildatum": pv.peildatum,
        "afscherming": veerkracht_huurmix::afscherming_json(&pv.options),
        "buurten": pv.buurten,
        "totaal": pv.totaal,
        "wissels": pv.wissels,
        "kwantielen_maximale_huur": pv.kwantielen.as_ref().map(|k| k.iter().map(|(q, a, b)| json!({"percentiel": q, "nu": a, "variant": b})).collect::<Vec<_>>()),
        "fouten": pv.fouten,
    }))
}

fn no_stock_problem() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "Geen voorraad / no stock",
        "no stock file loaded; start the server with --stock FILE",
    )
}

/// `GET /api/v1/huurmix/beleid?variant=NAME[&format=csv]`: without `variant`, the list of
/// shipped variants.
pub async fn api(State(st): State<Arc<AppState>>, Params(q): Params<BeleidQuery>) -> Answer {
    if st.stock.is_none() {
        return Err(no_stock_problem());
    }
    let csv = csv_wanted(q.format.as_deref())?;
    let Some(name) = q.variant else {
        let list: Vec<Value> = shipped_variants()
            .iter()
            .map(|(short, v)| {
                json!({
                    "variant": short,
                    "naam": v.naam,
                    "omschrijving": v.omschrijving,
                    "geldig_vanaf": v.geldig_vanaf.to_string(),
                })
            })
            .collect();
        return Ok(crate::http::json_response(json!({ "varianten": list })));
    };
    let Some((file, text)) = shipped(&name) else {
        return Err(Problem::bad(format!(
            "variant '{name}' is not shipped: use one of {}, or POST your own (TOML)",
            names_of_shipped()
        )));
    };
    let p = compare(
        st.clone(),
        format!("data/wws/varianten/{file}"),
        text.to_string(),
    )
    .await
    .map_err(Problem::bad)?;
    Ok(answer(&st, &p, csv))
}

/// `POST /api/v1/huurmix/beleid[?format=csv]` with a variant (TOML) as the body.
pub async fn api_post(
    State(st): State<Arc<AppState>>,
    Params(q): Params<BeleidQuery>,
    body: String,
) -> Answer {
    if st.stock.is_none() {
        return Err(no_stock_problem());
    }
    if q.variant.is_some() {
        return Err(Problem::bad(
            "variant= names a shipped variant for GET; POST sends the variant itself as the body",
        ));
    }
    let csv = csv_wanted(q.format.as_deref())?;
    if body.len() > MAX_TEKST {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Te groot / too large",
            format!("the variant has {} bytes; at most {MAX_TEKST}", body.len()),
        ));
    }
    let p = compare(st.clone(), "verzoek".into(), body)
        .await
        .map_err(Problem::bad)?;
    Ok(answer(&st, &p, csv))
}

/// The policy variants page and its API.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/huurmix/beleid", get(page).post(page_post))
        .route("/api/v1/huurmix/beleid", get(api).post(api_post))
}
