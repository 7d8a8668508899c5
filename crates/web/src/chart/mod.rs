//! Charts as inline SVG, drawn on the server like the maps: no script, no asset from the
//! internet, readable and printable without JavaScript. Every mark carries its numbers in a
//! `<title>` (hover and screen readers) and, where it stands for an area, links to its profile;
//! the caller puts the same numbers in a table below the chart.
//!
//! Why written here and not with a charting library: the charts need what a plotting library
//! does not give (a link and a title per mark, classes the CSS and the browser tests address,
//! Dutch number formats, the page's colour-blind-safe palette), and what they draw is a few
//! hundred lines; `plotters` (SVG backend) would add a dependency that we would still have to
//! post-process, and a JavaScript library would make reading depend on a script.

use std::fmt::Write as _;

use crate::html::{Lang, esc, num, url};

mod bars;
pub use bars::{Bar, Interval, Spread, Stack, boxes, columns, hbars, intervals, stacked_hbars};

/// Width and height of the chart's coordinate space.
const W: f64 = 640.0;
const H: f64 = 440.0;
/// Margins: left, right, top, bottom (room for tick labels and axis titles).
const M: (f64, f64, f64, f64) = (64.0, 16.0, 16.0, 52.0);

/// One point of a scatter chart.
pub struct Point<'a> {
    /// Area code (the link to its profile).
    pub code: &'a str,
    /// Shown in the title: the area's name.
    pub name: &'a str,
    pub x: f64,
    pub y: f64,
    /// Fill colour.
    pub colour: &'a str,
    /// Drawn emphasised (the chosen gemeente's areas); the others pale when any is.
    pub highlight: bool,
}

/// A scatter chart of `points` with axis titles, a grey band of ± `band` around both zero
/// lines (changes counted as stable) and the names of the four quadrants in its corners
/// (top right, top left, bottom right, bottom left). `query` is added to each profile link.
#[allow(clippy::too_many_arguments)]
pub fn quadrant_scatter(
    lang: Lang,
    title: &str,
    x_title: &str,
    y_title: &str,
    points: &[Point],
    band: f64,
    corners: [&str; 4],
    query: &str,
) -> String {
    let finite: Vec<&Point> = points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    let range = |f: fn(&Point) -> f64| {
        let (mut lo, mut hi) = (-band, band);
        for p in &finite {
            lo = lo.min(f(p));
            hi = hi.max(f(p));
        }
        let pad = (hi - lo).max(1e-9) * 0.05;
        (lo - pad, hi + pad)
    };
    let (x0, x1) = range(|p| p.x);
    let (y0, y1) = range(|p| p.y);
    let (pw, ph) = (W - M.0 - M.1, H - M.2 - M.3);
    let sx = |x: f64| M.0 + (x - x0) / (x1 - x0) * pw;
    let sy = |y: f64| M.2 + (y1 - y) / (y1 - y0) * ph;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    // the stable band and the zero lines
    let _ = write!(
        s,
        "<rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#eeeeee\"/>\
<rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#eeeeee\"/>",
        sx(-band),
        M.2,
        sx(band) - sx(-band),
        ph,
        M.0,
        sy(band),
        pw,
        sy(-band) - sy(band)
    );
    // ticks and grid
    x_grid(&mut s, lang, (x0, x1), &sx, (M.2, M.2 + ph));
    y_grid(&mut s, lang, (y0, y1), &sy, pw, decimals(y0, y1));
    let _ = write!(
        s,
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#595959\"/>\
<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#595959\"/>",
        sx(0.0),
        M.2,
        sx(0.0),
        M.2 + ph,
        M.0,
        sy(0.0),
        M.0 + pw,
        sy(0.0)
    );
    // quadrant names in the corners
    let corner = |s: &mut String, x: f64, y: f64, anchor: &str, text: &str| {
        let _ = write!(
            s,
            "<text class=\"corner\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"12\" font-weight=\"600\" fill=\"#303030\">{}</text>",
            esc(text)
        );
    };
    corner(&mut s, M.0 + pw - 6.0, M.2 + 16.0, "end", corners[0]);
    corner(&mut s, M.0 + 6.0, M.2 + 16.0, "start", corners[1]);
    corner(&mut s, M.0 + pw - 6.0, M.2 + ph - 8.0, "end", corners[2]);
    corner(&mut s, M.0 + 6.0, M.2 + ph - 8.0, "start", corners[3]);
    // axis titles
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>\
<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>",
        M.0 + pw / 2.0,
        H - 12.0,
        esc(x_title),
        M.2 + ph / 2.0,
        esc(y_title)
    );
    // the points: pale first, the highlighted ones on top
    let any_highlight = finite.iter().any(|p| p.highlight);
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    for pass in [false, true] {
        for p in finite.iter().filter(|p| p.highlight == pass) {
            let pale = any_highlight && !p.highlight;
            let _ = write!(
                s,
                "<a href=\"/buurt/{}{q}\"><circle class=\"dot{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.6\"{}><title>{} ({}): {} {}, {} {}</title></circle></a>",
                url(p.code),
                if pale { " pale" } else { "" },
                sx(p.x),
                sy(p.y),
                if pale { "3" } else { "4.5" },
                p.colour,
                if pale { " opacity=\"0.35\"" } else { "" },
                esc(p.name),
                esc(p.code),
                esc(x_title),
                num(lang, Some(p.x), 2),
                esc(y_title),
                num(lang, Some(p.y), 2),
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One line of a line chart: a value (or a gap) per category, and a title per point.
pub struct Series<'a> {
    /// Legend text.
    pub name: &'a str,
    /// One value per category (`None`: no point, the line breaks).
    pub values: Vec<Option<f64>>,
    /// The title of each point (hover, screen readers); the value is added to it.
    pub titles: Vec<String>,
    pub colour: &'a str,
    /// Drawn dashed (a reference line: a mean, a comparison).
    pub dashed: bool,
}

/// A line chart over categories (editions) with a fixed value range, a legend above the plot,
/// and a circle with a `<title>` at every value.
pub fn lines(
    lang: Lang,
    title: &str,
    categories: &[String],
    series: &[Series],
    (y0, y1): (f64, f64),
    y_title: &str,
) -> String {
    let items: Vec<(&str, &str, Swatch)> = series
        .iter()
        .map(|se| (se.name, se.colour, Swatch::Line(se.dashed)))
        .collect();
    let extra = 16.0 * (legend_lines(&items) - 1) as f64;
    let (w, h) = (W, 300.0 + extra);
    let (pw, ph) = (w - M.0 - M.1, 300.0 - M.2 - M.3 - 24.0);
    let top = M.2 + 24.0 + extra;
    let n = categories.len().max(1);
    let sx = |i: usize| M.0 + (i as f64 + 0.5) / n as f64 * pw;
    let sy = |y: f64| top + (y1 - y.clamp(y0, y1)) / (y1 - y0) * ph;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    y_grid(&mut s, lang, (y0, y1), &sy, pw, decimals(y0, y1));
    x_categories(&mut s, categories, &sx, top + ph + 16.0, 1);
    write_y_title(&mut s, top + ph / 2.0, y_title);
    legend(&mut s, &items);
    for se in series {
        let mut d = String::new();
        let mut pen = false;
        for (i, v) in se.values.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() => {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1}",
                        if pen { "L" } else { "M" },
                        sx(i),
                        sy(*v)
                    );
                    pen = true;
                }
                _ => pen = false,
            }
        }
        let _ = write!(
            s,
            "<path class=\"line\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>",
            se.colour,
            if se.dashed {
                " stroke-dasharray=\"5 3\""
            } else {
                ""
            }
        );
        for (i, v) in se.values.iter().enumerate() {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                let _ = write!(
                    s,
                    "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{}\" tabindex=\"0\"><title>{}: {}</title></circle>",
                    sx(i),
                    sy(v),
                    if se.dashed { "3" } else { "4.5" },
                    se.colour,
                    esc(se.titles.get(i).map(String::as_str).unwrap_or("")),
                    num(lang, Some(v), 1)
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// One series of a fan chart: per category the 5th, 50th and 95th percentile, or `None`
/// (withheld or not computed: a gap, never a zero).
pub struct Fan<'a> {
    pub name: &'a str,
    pub values: Vec<Option<(f64, f64, f64)>>,
    pub colour: &'a str,
}

/// A fan chart: per series the median as a line and the 5–95 % band as a shaded area over
/// the categories (years); each median point has its band in a `<title>`.
pub fn fans(
    lang: Lang,
    title: &str,
    categories: &[String],
    series: &[Fan],
    y_title: &str,
    decimals_shown: usize,
) -> String {
    let (w, h) = (W, 280.0);
    let top = M.2 + 24.0;
    let (pw, ph) = (w - M.0 - M.1, h - top - M.3);
    let all: Vec<f64> = series
        .iter()
        .flat_map(|f| f.values.iter().flatten().flat_map(|v| [v.0, v.2]))
        .filter(|v| v.is_finite())
        .collect();
    let (mut y0, mut y1) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if !(y1 >= y0) {
        (y0, y1) = (0.0, 1.0);
    }
    let pad = ((y1 - y0) * 0.08).max(y1.abs() * 0.01).max(1e-9);
    let (y0, y1) = (y0 - pad, y1 + pad);
    let n = categories.len().max(1);
    let sx = |i: usize| M.0 + (i as f64 + 0.5) / n as f64 * pw;
    let sy = |y: f64| top + (y1 - y) / (y1 - y0) * ph;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    // whole numbers (ranks, counts, euros) get whole ticks when the range allows
    let dec = if decimals_shown == 0 && y1 - y0 >= 5.0 {
        0
    } else {
        decimals(y0, y1).max(if y1 - y0 < 0.2 { 3 } else { 0 })
    };
    y_grid(&mut s, lang, (y0, y1), &sy, pw, dec);
    let step = n.div_ceil(12).max(1);
    x_categories(&mut s, categories, &sx, top + ph + 16.0, step);
    write_y_title(&mut s, top + ph / 2.0, y_title);
    legend(
        &mut s,
        &series
            .iter()
            .map(|f| (f.name, f.colour, Swatch::Band))
            .collect::<Vec<_>>(),
    );
    for f in series {
        let _ = write!(s, "<g class=\"fan\">");
        // the band, in runs of consecutive values (a withheld year breaks it)
        let mut run: Vec<(usize, (f64, f64, f64))> = Vec::new();
        let flush = |s: &mut String, run: &mut Vec<(usize, (f64, f64, f64))>| {
            if run.len() >= 2 {
                let mut d = String::new();
                for (k, (i, v)) in run.iter().enumerate() {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1}",
                        if k == 0 { "M" } else { "L" },
                        sx(*i),
                        sy(v.2)
                    );
                }
                for (i, v) in run.iter().rev() {
                    let _ = write!(d, "L{:.1} {:.1}", sx(*i), sy(v.0));
                }
                let _ = write!(
                    s,
                    "<path class=\"band\" d=\"{d}Z\" fill=\"{}\" opacity=\"0.25\"/>",
                    f.colour
                );
                let mut m = String::new();
                for (k, (i, v)) in run.iter().enumerate() {
                    let _ = write!(
                        m,
                        "{}{:.1} {:.1}",
                        if k == 0 { "M" } else { "L" },
                        sx(*i),
                        sy(v.1)
                    );
                }
                let _ = write!(
                    s,
                    "<path class=\"line\" d=\"{m}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>",
                    f.colour
                );
            }
            run.clear();
        };
        for (i, v) in f.values.iter().enumerate() {
            match v {
                Some(v) if v.0.is_finite() && v.1.is_finite() && v.2.is_finite() => {
                    run.push((i, *v))
                }
                _ => flush(&mut s, &mut run),
            }
        }
        flush(&mut s, &mut run);
        for (i, v) in f.values.iter().enumerate() {
            if let Some((lo, mid, hi)) = v {
                let _ = write!(
                    s,
                    "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{}\" tabindex=\"0\"><title>{} {}: {} [{}; {}]</title></circle>",
                    sx(i),
                    sy(*mid),
                    f.colour,
                    esc(f.name),
                    esc(categories.get(i).map(String::as_str).unwrap_or("")),
                    num(lang, Some(*mid), decimals_shown),
                    num(lang, Some(*lo), decimals_shown),
                    num(lang, Some(*hi), decimals_shown),
                );
            }
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// Horizontal grid lines and their labels at the round ticks of `(y0, y1)`, across the plot
/// (`pw` wide from the left margin).
fn y_grid(
    s: &mut String,
    lang: Lang,
    (y0, y1): (f64, f64),
    sy: &dyn Fn(f64) -> f64,
    pw: f64,
    dec: usize,
) {
    for t in ticks(y0, y1) {
        let y = sy(t);
        let _ = write!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#d0d0d0\" stroke-width=\"0.5\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#404040\">{}</text>",
            M.0,
            M.0 + pw,
            M.0 - 6.0,
            y + 4.0,
            num(lang, Some(t), dec)
        );
    }
}

/// Vertical grid lines from `top` to `bottom` at the round ticks of `(x0, x1)`, each labelled
/// under `bottom`.
fn x_grid(
    s: &mut String,
    lang: Lang,
    (x0, x1): (f64, f64),
    sx: &dyn Fn(f64) -> f64,
    (top, bottom): (f64, f64),
) {
    for t in ticks(x0, x1) {
        let x = sx(t);
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#d0d0d0\" stroke-width=\"0.5\"/>\
<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#404040\">{}</text>",
            bottom + 14.0,
            num(lang, Some(t), decimals(x0, x1))
        );
    }
}

/// Every `step`-th category's name at `y`, under its place `sx(i)`.
fn x_categories(
    s: &mut String,
    categories: &[String],
    sx: &dyn Fn(usize) -> f64,
    y: f64,
    step: usize,
) {
    for (i, c) in categories.iter().enumerate().step_by(step.max(1)) {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#404040\">{}</text>",
            sx(i),
            esc(c)
        );
    }
}

/// The width of a column of labels: `per_char` units a character of the longest, plus 16,
/// within `(min, max)`.
fn label_width<'a>(
    labels: impl Iterator<Item = &'a str>,
    per_char: f64,
    (min, max): (f64, f64),
) -> f64 {
    let longest = labels.map(|l| l.chars().count()).max().unwrap_or(0);
    (longest as f64 * per_char + 16.0).clamp(min, max)
}

/// The y axis's title, turned, centred on `mid`; a long one in a smaller font (down to 9),
/// so that it stays beside the plot.
fn write_y_title(s: &mut String, mid: f64, title: &str) {
    let chars = title.chars().count().max(1) as f64;
    let size = (12.0 * 34.0 / chars).clamp(9.0, 12.0);
    let _ = write!(
        s,
        "<text transform=\"translate(16 {mid:.1}) rotate(-90)\" text-anchor=\"middle\" font-size=\"{size:.1}\" fill=\"#1a1a1a\">{}</text>",
        esc(title)
    );
}

/// How a legend entry shows its series.
#[derive(Clone, Copy)]
enum Swatch {
    /// A line, dashed or not (line charts).
    Line(bool),
    /// A filled square (bars, boxes).
    Square,
    /// A pale square with a line through it (a band around a median).
    Band,
}

/// Width of one legend entry.
fn legend_entry_w(name: &str) -> f64 {
    40.0 + 7.0 * name.chars().count() as f64
}

/// How many lines the legend takes (entries wrap at the chart's right edge).
fn legend_lines(items: &[(&str, &str, Swatch)]) -> usize {
    let mut lines = 1;
    let mut lx = M.0;
    for (name, _, _) in items {
        if lx > M.0 && lx + legend_entry_w(name) > W - M.1 {
            lines += 1;
            lx = M.0;
        }
        lx += legend_entry_w(name);
    }
    lines
}

/// The legend above the plot: one entry per (name, colour, swatch), left to right, wrapping
/// to a new line at the chart's right edge (see [`legend_lines`]).
fn legend(s: &mut String, items: &[(&str, &str, Swatch)]) {
    let mut lx = M.0;
    let mut y = M.2 + 6.0;
    for (name, colour, swatch) in items {
        if lx > M.0 && lx + legend_entry_w(name) > W - M.1 {
            lx = M.0;
            y += 16.0;
        }
        let _ = match swatch {
            Swatch::Line(dashed) => write!(
                s,
                "<line x1=\"{lx:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"{}/>",
                lx + 22.0,
                if *dashed {
                    " stroke-dasharray=\"5 3\""
                } else {
                    ""
                }
            ),
            Swatch::Square => write!(
                s,
                "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"{colour}\"/>",
                y - 5.0
            ),
            Swatch::Band => write!(
                s,
                "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"{colour}\" opacity=\"0.35\"/>\
<line x1=\"{lx:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>",
                y - 5.0,
                lx + 14.0
            ),
        };
        let text_x = lx
            + if matches!(swatch, Swatch::Line(_)) {
                27.0
            } else {
                19.0
            };
        let _ = write!(
            s,
            "<text x=\"{text_x:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            y + 4.0,
            esc(name)
        );
        lx += legend_entry_w(name);
    }
}

/// The numbers of a scatter chart as a folded table below it (screen readers, print): area
/// (linked to its profile with `query`), x and y; when some points are highlighted, only
/// those.
pub fn scatter_numbers(
    lang: Lang,
    title: &str,
    heads: [&str; 3],
    points: &[Point],
    query: &str,
) -> String {
    let only_highlighted = points.iter().any(|p| p.highlight);
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let rows: Vec<Vec<String>> = points
        .iter()
        .filter(|p| !only_highlighted || p.highlight)
        .map(|p| {
            vec![
                format!("<a href=\"/buurt/{}{q}\">{}</a>", url(p.code), esc(p.name)),
                num(lang, Some(p.x), 2),
                num(lang, Some(p.y), 2),
            ]
        })
        .collect();
    numbers(
        lang,
        Some(rows.len()),
        &crate::html::table(title, &heads, &rows),
    )
}

/// The download links of a chart: the SVG (the page with `grafiek=ID`, cut out by the router)
/// and, when given, its data as CSV from the API.
pub fn downloads(lang: Lang, id: &str, csv: Option<&str>) -> String {
    let here = crate::html::focus().here;
    let sep = if here.contains('?') { "&amp;" } else { "?" };
    let mut s = format!(
        "<p class=\"downloads\">{}: <a href=\"{}{sep}grafiek={}\" download>SVG</a>",
        lang.t("Downloaden", "Download"),
        esc(&here),
        url(id)
    );
    if let Some(c) = csv {
        let _ = write!(
            s,
            " · <a href=\"{}\">{}</a>",
            esc(c),
            lang.t("cijfers (CSV)", "numbers (CSV)")
        );
    }
    s.push_str("</p>");
    s
}

/// The chart of the figure with `data-testid="ID"` in `page` (its first `<svg>`, charts have
/// no nested SVG) as a standalone SVG document; or the ids of the figures the page has.
pub fn cut_out(page: &str, id: &str) -> Result<String, Vec<String>> {
    let needle = format!("data-testid=\"{id}\"");
    let found = page.match_indices(&needle).map(|(i, _)| i).find(|i| {
        page[..*i]
            .rfind('<')
            .is_some_and(|t| page[t..].starts_with("<figure"))
    });
    // the first <svg> inside that figure (never the next figure's)
    let svg = found.and_then(|i| {
        let figure = &page[i..i + page[i..].find("</figure>")?];
        let start = figure.find("<svg")?;
        let end = start + figure[start..].find("</svg>")? + "</svg>".len();
        Some(&figure[start..end])
    });
    match svg {
        Some(svg) => {
            let open_end = svg.find('>').unwrap_or(0) + 1;
            Ok(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}<style>text{{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}}</style>{}",
                &svg[..open_end],
                &svg[open_end..]
            ))
        }
        None => {
            let mut have = Vec::new();
            let mut rest = page;
            while let Some(i) = rest.find("<figure") {
                rest = &rest[i + 7..];
                let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
                if let Some(t) = tag.find("data-testid=\"") {
                    let v = &tag[t + 13..];
                    if let Some(e) = v.find('"') {
                        have.push(v[..e].to_string());
                    }
                }
            }
            Err(have)
        }
    }
}

/// A chart's numbers, folded under "De cijfers van de grafiek" (with their count).
pub fn numbers(lang: Lang, count: Option<usize>, table: &str) -> String {
    format!(
        "<details><summary>{}{}</summary>{table}</details>",
        lang.t("De cijfers van de grafiek", "The chart's numbers"),
        count.map(|n| format!(" ({n})")).unwrap_or_default()
    )
}

/// Round tick values (steps of 1, 2 or 5 × 10^k) inside `[lo, hi]`, three to six of them.
pub fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(hi > lo) || !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    // the round step whose number of ticks is nearest five
    let count = |step: f64| ((hi / step).floor() - (lo / step).ceil() + 1.0).max(0.0);
    let step = [0.5, 1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .min_by(|a, b| (count(*a) - 5.0).abs().total_cmp(&(count(*b) - 5.0).abs()))
        .unwrap_or(mag);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + step * 1e-9 && out.len() < 50 {
        // -0 and float dust as 0
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

/// Decimals for tick labels of a range (enough to tell the ticks apart).
fn decimals(lo: f64, hi: f64) -> usize {
    let span = (hi - lo).abs();
    if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 25, 50, 75, 95]) = 1.2, 2, 3, 4, 8.8
        let s = Spread::of(&[4.0, 1.0, 10.0, 3.0, 2.0, f64::NAN]).unwrap();
        assert!((s.p5 - 1.2).abs() < 1e-12 && (s.p95 - 8.8).abs() < 1e-12);
        assert_eq!((s.q1, s.median, s.q3, s.n), (2.0, 3.0, 4.0, 5));
        assert!(Spread::of(&[]).is_none());
    }

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(ticks(-2.2, 0.7), vec![-2.0, -1.5, -1.0, -0.5, 0.0, 0.5]);
        let t = ticks(-0.35, 1.2);
        assert!((3..=8).contains(&t.len()), "{t:?}");
        assert!(t.iter().all(|x| (-0.35..=1.2).contains(x)));
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert!(ticks(1.0, 1.0).is_empty());
        assert!(ticks(f64::NAN, 1.0).is_empty());
    }

    #[test]
    fn every_point_is_a_link_with_its_numbers_and_the_highlight_is_on_top() {
        let pts = [
            Point {
                code: "BU1",
                name: "A",
                x: 0.5,
                y: -0.2,
                colour: "#000",
                highlight: false,
            },
            Point {
                code: "BU2",
                name: "B",
                x: f64::NAN,
                y: 0.0,
                colour: "#000",
                highlight: false,
            },
            Point {
                code: "BU3",
                name: "C",
                x: -1.0,
                y: 1.0,
                colour: "#111",
                highlight: true,
            },
        ];
        let s = quadrant_scatter(
            Lang::Nl,
            "t",
            "Δ k",
            "Δ d",
            &pts,
            0.1,
            ["a", "b", "c", "d"],
            "",
        );
        assert_eq!(s.matches("<circle").count(), 2, "the NaN point is left out");
        assert!(s.contains("<title>A (BU1): Δ k 0,50, Δ d -0,20</title>"));
        assert!(
            s.find("BU1").unwrap() < s.find("BU3").unwrap(),
            "highlight drawn last"
        );
        assert!(s.contains("class=\"dot pale\""));
    }
}
