//! Page frame, escaping, the two languages, number formatting and the palettes.

use std::fmt::Write as _;

/// Interface language: Dutch first, English on `?lang=en`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn from_query(q: Option<&String>) -> Lang {
        match q.map(String::as_str) {
            Some("en") => Lang::En,
            _ => Lang::Nl,
        }
    }

    /// Picks the text in this language.
    pub fn t<'a>(self, nl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// HTML-escapes text for element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Escapes a query-string value.
pub fn url(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            b => {
                let _ = write!(o, "%{b:02X}");
            }
        }
    }
    o
}

/// A number in Dutch (decimal comma) or English style with `d` decimals; "—" for none.
pub fn num(lang: Lang, v: Option<f64>, d: usize) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let mut s = format!("{x:.d$}");
            // No "-0,0": a value that rounds to zero is shown without a sign.
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s.remove(0);
            }
            match lang {
                Lang::Nl => s.replace('.', ","),
                Lang::En => s,
            }
        }
        _ => "—".into(),
    }
}

/// Five colour-blind-safe sequential colours (viridis at 0, ¼, ½, ¾, 1): low → high.
pub const SEQUENTIAL: [&str; 5] = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];
/// Okabe–Ito colours for categories (colour-blind-safe).
pub const OKABE_ITO: [&str; 8] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
];
/// Fill for "no value".
pub const NO_DATA: &str = "#d9d9d9";
/// Fill of an area the index does not score (too small, an institution, too little data):
/// grey hatching, never a colour of the scale (docs/index-validiteit.md §5.1). The pattern
/// is defined in every map's SVG (`map::svg`).
pub const NOT_SCORED: &str = "url(#geen-score)";
/// The legend swatch of [`NOT_SCORED`] in CSS.
pub const NOT_SCORED_CSS: &str = "repeating-linear-gradient(45deg,#d9d9d9 0 3px,#636363 3px 4.5px)";

/// The page frame: head, navigation, the data origin (and the synthetic label) in the footer.
/// The gemeente a request is focused on, and the gemeenten to choose from: set per request
/// by the focus middleware (`crate::router`), read by [`page`] for the chooser and the links.
#[derive(Debug, Clone, Default)]
pub struct Focus {
    /// The gemeente (code, name), when one is chosen.
    pub gemeente: Option<(String, String)>,
    /// Every gemeente of the workspace (code, name), by name.
    pub choices: std::sync::Arc<Vec<(veerkracht_dataset::AreaCode, String)>>,
    /// What the user typed, when it named no gemeente, with the reason.
    pub error: Option<String>,
    /// The page's own path and query (without `grafiek`), for the download links of its charts.
    pub here: String,
}

impl Focus {
    /// The chosen gemeente's code, when one is chosen.
    pub fn area(&self) -> Option<veerkracht_dataset::AreaCode> {
        self.gemeente
            .as_ref()
            .and_then(|(c, _)| veerkracht_dataset::AreaCode::parse(c).ok())
    }

    /// The query parameter that keeps the focus in links (`gemeente=GM0344`), or "".
    pub fn query(&self) -> String {
        self.gemeente
            .as_ref()
            .map(|(c, _)| format!("gemeente={}", url(c)))
            .unwrap_or_default()
    }
}

tokio::task_local! {
    /// The focus of the request being answered.
    pub static FOCUS: Focus;
}

/// The focus of the current request (none outside one).
pub fn focus() -> Focus {
    FOCUS.try_with(Focus::clone).unwrap_or_default()
}

/// The pages that follow a gemeente focus; their menu links keep it.
const FOCUS_PAGES: [&str; 4] = ["/", "/corporatie", "/signaal", "/hotspots"];

pub fn page(
    lang: Lang,
    title: &str,
    active: &str,
    query_lang_toggle: &str,
    origin: &str,
    synthetic: bool,
    body: &str,
) -> String {
    let nav = [
        ("/", lang.t("Kaart", "Map")),
        (
            "/corporatie",
            lang.t("Corporatiebuurten", "Corporation buurten"),
        ),
        ("/signaal", lang.t("Veerkrachtsignaal", "Resilience signal")),
        ("/hotspots", lang.t("Hotspots", "Hot spots")),
        ("/huurmix", lang.t("Huurmix", "Rent mix")),
        ("/scenarios", lang.t("Scenario's", "Scenarios")),
        ("/plans", lang.t("Buurtaanpak", "Area plans")),
        ("/methode", lang.t("Methode", "Method")),
    ];
    let focus = focus();
    let mut links = String::new();
    for (href, label) in nav {
        let cur = if href == active {
            " aria-current=\"page\""
        } else {
            ""
        };
        let mut q: Vec<String> = Vec::new();
        if lang == Lang::En {
            q.push("lang=en".into());
        }
        if FOCUS_PAGES.contains(&href) && focus.gemeente.is_some() {
            q.push(focus.query());
        }
        let suffix = if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&amp;"))
        };
        let _ = write!(links, "<a href=\"{href}{suffix}\"{cur}>{label}</a>");
    }
    // The gemeente chooser: on the pages that follow a focus, a GET form back to the page.
    let chooser = if FOCUS_PAGES.contains(&active) && !focus.choices.is_empty() {
        let mut opts = String::new();
        for (c, n) in focus.choices.iter() {
            let _ = write!(opts, "<option value=\"{} ({c})\">", esc(n));
        }
        let current = focus
            .gemeente
            .as_ref()
            .map(|(c, n)| format!("{n} ({c})"))
            .unwrap_or_default();
        let keep = if lang == Lang::En {
            "<input type=\"hidden\" name=\"lang\" value=\"en\">"
        } else {
            ""
        };
        let error = focus
            .error
            .as_ref()
            .map(|e| format!("<p class=\"fout\" role=\"alert\">{}</p>", esc(e)))
            .unwrap_or_default();
        format!(
            "<form class=\"gemeente\" method=\"get\" action=\"{active}\" role=\"search\">{keep}\
<label>{l}<input name=\"gemeente\" list=\"gemeenten\" value=\"{cur}\" placeholder=\"{ph}\" autocomplete=\"off\" data-testid=\"gemeente\"></label>\
<datalist id=\"gemeenten\">{opts}</datalist><button type=\"submit\">{go}</button>\
<a href=\"{active}?gemeente=NL{en}\">{all}</a></form>{error}",
            l = lang.t("Gemeente", "Gemeente"),
            cur = esc(&current),
            ph = lang.t("kies een gemeente", "choose a gemeente"),
            go = lang.t("Kies", "Choose"),
            en = if lang == Lang::En { "&amp;lang=en" } else { "" },
            all = lang.t("heel Nederland", "the whole country"),
        )
    } else {
        String::new()
    };
    let (other_label, other_lang) = match lang {
        Lang::Nl => ("English", "en"),
        Lang::En => ("Nederlands", "nl"),
    };
    let mut toggle_q: Vec<String> = Vec::new();
    if !query_lang_toggle.is_empty() {
        toggle_q.push(query_lang_toggle.to_string());
    }
    if FOCUS_PAGES.contains(&active)
        && focus.gemeente.is_some()
        && !query_lang_toggle.contains("gemeente=")
    {
        toggle_q.push(focus.query());
    }
    toggle_q.push(format!("lang={other_lang}"));
    let toggle = format!("?{}", toggle_q.join("&amp;"));
    let demo = if synthetic {
        format!(
            "<p class=\"demo\" role=\"note\">{}</p>",
            lang.t(
                "Synthetische demodata (demoregio Veerstad): geen echte buurten.",
                "Synthetic demo data (demo region Veerstad): not real neighbourhoods."
            )
        )
    } else {
        String::new()
    };
    format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} — veerkracht</title><link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
<body><a class=\"skip\" href=\"#inhoud\">{skip}</a><header><span class=\"brand\">veerkracht</span>\
<nav aria-label=\"{navlabel}\">{links}</nav><a class=\"lang\" href=\"{toggle}\" hreflang=\"{other_lang}\">{other_label}</a>{chooser}</header>\
{demo}<main id=\"inhoud\"><h1>{title}</h1>{body}</main>\
<footer>{bron}: {origin}. {cbs}</footer></body></html>",
        code = lang.code(),
        title = esc(title),
        skip = lang.t("Naar de inhoud", "Skip to content"),
        navlabel = lang.t("Hoofdmenu", "Main menu"),
        bron = lang.t("Bron", "Source"),
        origin = esc(origin),
        cbs = lang.t(
            "CBS/PDOK-gegevens: CC BY 4.0. Scores beschrijven buurten, nooit mensen.",
            "CBS/PDOK data: CC BY 4.0. Scores describe neighbourhoods, never people."
        ),
    )
}

/// A share in percent, when both counts are shown.
pub fn pct(k: Option<u64>, n: Option<u64>) -> Option<f64> {
    match (k, n) {
        (Some(k), Some(n)) if n > 0 => Some(100.0 * k as f64 / n as f64),
        _ => None,
    }
}

/// The mark of a withheld figure on a page.
pub fn mark(lang: Lang) -> String {
    format!(
        "<span class=\"afgeschermd\" title=\"{}\">·</span>",
        lang.t("afgeschermd", "withheld")
    )
}

/// A count on a page: the number, or the mark.
pub fn count_html(lang: Lang, v: Option<u64>) -> String {
    v.map_or_else(|| mark(lang), |x| x.to_string())
}

/// A mean on a page: the number, the mark when withheld, "—" when there is none.
pub fn mean_html(lang: Lang, v: Option<f64>, withheld: bool, d: usize) -> String {
    if withheld {
        mark(lang)
    } else {
        num(lang, v, d)
    }
}

/// The legend under every table with withheld figures.
pub fn legend_html(lang: Lang, k: u64) -> String {
    format!(
        "<p class=\"note\" data-testid=\"afscherming\">{} {}</p>",
        mark(lang),
        match lang {
            Lang::Nl => format!(
                "= afgeschermd: minder dan {k} woningen, of af te leiden uit een totaal en de getoonde cellen. Gemiddelden en aandelen over een afgeschermd aantal zijn ook afgeschermd."
            ),
            Lang::En => format!(
                "= withheld: fewer than {k} dwellings, or derivable from a total and the cells shown. Means and shares over a withheld count are withheld too."
            ),
        }
    )
}

/// Map fill of a buurt whose share is withheld.
pub const WITHHELD_FILL: &str = "#a6a6a6";

/// A buurt's name and code as a link to its profile (the code as text when it is not one).
pub fn buurt_link(code: &str, name: &str) -> String {
    match veerkracht_dataset::AreaCode::parse(code) {
        Ok(c) => format!(
            "<a href=\"/buurt/{}\">{}</a>",
            url(&c.to_string()),
            esc(&format!("{name} ({code})"))
        ),
        Err(_) => esc(code),
    }
}

/// A simple table: header cells and rows of already-escaped HTML cells.
pub fn table(caption: &str, head: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = format!("<table><caption>{}</caption><thead><tr>", esc(caption));
    for h in head {
        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for c in r {
            let _ = write!(s, "<td>{c}</td>");
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

pub const STYLE: &str = r#"
:root { --fg:#1a1a1a; --bg:#ffffff; --muted:#595959; --line:#c8c8c8; --accent:#0b5394; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { display:flex; gap:1.5rem; align-items:center; padding:.6rem 1.2rem; border-bottom:1px solid var(--line); flex-wrap:wrap; }
.brand { font-weight:700; }
nav a, header a.lang { color:var(--accent); margin-right:1rem; text-decoration:none; }
form.gemeente { display:flex; gap:.4rem; align-items:center; flex-wrap:wrap; margin-left:auto; }
form.gemeente input { min-width:14rem; }
.map-wrap { position:relative; }
.map-tools { display:flex; gap:.3rem; margin:.3rem 0; }
.map-tools button { min-width:2.2rem; }
svg.map { touch-action:none; }
svg.map path { fill-rule:evenodd; }
svg.map .faint path { opacity:.35; }
form.zoek { margin:.4rem 0; }
figure.chart { margin:.5rem 0 1rem; max-width:46rem; }
figure.chart.wide { max-width:66rem; }
.naast { display:flex; flex-wrap:wrap; gap:1rem 2rem; align-items:flex-start; }
.naast > figure.chart { flex:1 1 26rem; min-width:0; }
figure.chart.kaart svg.map { width:100%; height:auto; }
figure.chart svg.chart { width:100%; height:auto; display:block; }
figure.chart figcaption { color:var(--muted); font-size:.9rem; }
svg.chart a:focus circle, svg.chart a:hover circle { stroke:#000; stroke-width:2; }
p.switch a[aria-current] { font-weight:700; text-decoration:underline; }
nav a[aria-current=page] { font-weight:700; text-decoration:underline; }
a:focus-visible, button:focus-visible, select:focus-visible, path:focus-visible { outline:3px solid #000; outline-offset:2px; }
.skip { position:absolute; left:-999px; } .skip:focus { left:1rem; top:1rem; background:#fff; padding:.3rem; }
main { padding:1rem 1.2rem; max-width:1200px; }
.demo { margin:0; padding:.4rem 1.2rem; background:#fff3cd; color:#3d2e00; }
footer { padding:1rem 1.2rem; color:var(--muted); border-top:1px solid var(--line); font-size:.9rem; }
table { border-collapse:collapse; margin:1rem 0; }
caption { text-align:left; font-weight:600; padding:.3rem 0; }
th, td { border-bottom:1px solid var(--line); padding:.25rem .6rem; text-align:left; vertical-align:top; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.dim { color:var(--muted); }
.map { width:100%; max-width:900px; height:auto; border:1px solid var(--line); background:#f7f7f7; }
.map path { stroke:#ffffff; stroke-width:.6; }
.map a:hover path, .map a:focus path { stroke:#000; stroke-width:2; }
.legend { display:flex; flex-wrap:wrap; gap:.8rem; margin:.5rem 0; padding:0; list-style:none; }
.legend li { display:flex; align-items:center; gap:.35rem; }
.swatch { display:inline-block; width:1.1rem; height:1.1rem; border:1px solid #777; }
form.controls { display:flex; flex-wrap:wrap; gap:1rem; align-items:end; margin:.5rem 0 1rem; }
label { display:flex; flex-direction:column; font-size:.9rem; }
select, button, textarea { font:inherit; padding:.2rem .4rem; }
textarea { font-family: ui-monospace, monospace; font-size:.85rem; }
details { margin:.5rem 0 1rem; }
.bar { display:inline-block; height:.8rem; background:#3b528b; vertical-align:middle; }
.bar.neg { background:#E69F00; }
.note { color:var(--muted); font-size:.9rem; }
.eligibility { border-left:4px solid #636363; background:#f4f4f4; padding:.4rem .8rem; margin:.6rem 0; }
.band { font-variant-numeric: tabular-nums; }
form.stack { display:flex; flex-direction:column; gap:.6rem; max-width:40rem; margin:.5rem 0 1rem; }
form.stack input, form.stack textarea, form.stack select { font:inherit; padding:.25rem .4rem; }
form.stack textarea { font-family:inherit; font-size:1rem; }
form.inline { display:inline; }
label.check { flex-direction:row; gap:.4rem; align-items:center; }
fieldset { border:1px solid var(--line); padding:.4rem .8rem; }
.userbar { display:flex; gap:1rem; align-items:center; flex-wrap:wrap; padding:.3rem 0 .8rem; color:var(--muted); font-size:.9rem; }
.fout { border-left:4px solid #D55E00; padding:.3rem .6rem; background:#fff4ec; }
ol.log li { margin:.4rem 0; } .tekst { white-space:normal; }
code { font-size:.8rem; word-break:break-word; }
@media print { .userbar, form.stack, form.inline, details { display:none; }
}
@media print { header nav, header a.lang, form.controls, .skip { display:none; } a { color:inherit; text-decoration:none; }
  h2.appendix { break-before: page; } table { break-inside: auto; } tr { break-inside: avoid; } main { max-width:none; } }
/* A4 portrait (the buurt dossier, any page printed): tables take the page's width and wrap
   their cells (long source names break), charts and maps scale to the width and stay whole */
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; margin: 0; }
  main, header, footer { max-width: none; padding: 0; margin: 0; }
  table { width: 100%; table-layout: fixed; font-size: 8.5pt; }
  th, td { overflow-wrap: anywhere; word-break: break-word; padding: .15rem .3rem; }
  figure.chart, figure.chart.wide { max-width: 100%; break-inside: avoid; }
  svg.chart, svg.map { max-width: 100%; height: auto; }
  .downloads, .map-tools, .legend-switch { display: none; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
}
"#;
