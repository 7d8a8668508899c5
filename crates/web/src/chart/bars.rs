//! Bar-like charts: box plots, horizontal bars, grouped columns and stacked bars (the
//! helpers — grid, legend, ticks — are the parent module's).

use std::fmt::Write as _;

use super::{M, Swatch, W, decimals, label_width, legend, ticks, write_y_title, x_grid, y_grid};
use crate::html::{Lang, esc, num, url};

/// The five numbers of a box: 5th, 25th, 50th, 75th and 95th percentile, and the count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p5: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub p95: f64,
    pub n: usize,
}

impl Spread {
    /// The spread of `values` (None when empty); percentiles by linear interpolation.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let h = (v.len() - 1) as f64 * p;
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (h - lo as f64)
        };
        Some(Spread {
            p5: q(0.05),
            q1: q(0.25),
            median: q(0.5),
            q3: q(0.75),
            p95: q(0.95),
            n: v.len(),
        })
    }
}

/// A box plot: for each group (a component) one box per series (corporatiebuurten, the
/// others) from the 25th to the 75th percentile, the median as a line and whiskers to the
/// 5th and 95th; the numbers in each box's `<title>`.
pub fn boxes(
    lang: Lang,
    title: &str,
    groups: &[(String, Vec<Option<Spread>>)],
    series: &[(&str, &str)],
    (y0, y1): (f64, f64),
    y_title: &str,
) -> String {
    let (w, h) = (W, 320.0);
    let top = M.2 + 24.0;
    let (pw, ph) = (w - M.0 - M.1, h - top - M.3);
    let sy = |y: f64| top + (y1 - y.clamp(y0, y1)) / (y1 - y0) * ph;
    let gw = pw / groups.len().max(1) as f64;
    let bw = (gw * 0.7 / series.len().max(1) as f64).min(48.0);
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    y_grid(&mut s, lang, (y0, y1), &sy, pw, decimals(y0, y1));
    write_y_title(&mut s, top + ph / 2.0, y_title);
    legend(
        &mut s,
        &series
            .iter()
            .map(|(n, c)| (*n, *c, Swatch::Square))
            .collect::<Vec<_>>(),
    );
    for (g, (label, spreads)) in groups.iter().enumerate() {
        let gx = M.0 + g as f64 * gw;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            gx + gw / 2.0,
            top + ph + 18.0,
            esc(label)
        );
        let width = bw * series.len() as f64;
        for (k, sp) in spreads.iter().enumerate() {
            let Some(sp) = sp else { continue };
            let (name, colour) = series[k];
            let x = gx + (gw - width) / 2.0 + k as f64 * bw;
            let cx = x + bw / 2.0;
            let _ = write!(
                s,
                "<g class=\"box\" tabindex=\"0\"><title>{label} — {name}: {} {}, {} {}–{}, 90 % {}–{} (n = {})</title>\
<line x1=\"{cx:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{:.1}\" stroke=\"#404040\"/>\
<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" stroke=\"#404040\"/>\
<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000000\" stroke-width=\"2\"/></g>",
                lang.t("mediaan", "median"),
                num(lang, Some(sp.median), 1),
                lang.t("middelste helft", "middle half"),
                num(lang, Some(sp.q1), 1),
                num(lang, Some(sp.q3), 1),
                num(lang, Some(sp.p5), 1),
                num(lang, Some(sp.p95), 1),
                sp.n,
                sy(sp.p95),
                sy(sp.p5),
                x + 2.0,
                sy(sp.q3),
                bw - 4.0,
                (sy(sp.q1) - sy(sp.q3)).max(1.0),
                x + 2.0,
                sy(sp.median),
                x + bw - 2.0,
                sy(sp.median),
                label = esc(label),
                name = esc(name),
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One bar of a horizontal bar chart.
pub struct Bar<'a> {
    pub label: &'a str,
    /// `None`: no bar, "geen waarde" written instead (never a zero-length bar).
    pub value: Option<f64>,
    pub colour: &'a str,
}

/// A horizontal bar chart on a fixed range (`x0` to `x1`), the value written at each bar's end
/// and in its `<title>`.
pub fn hbars(
    lang: Lang,
    title: &str,
    bars: &[Bar],
    (x0, x1): (f64, f64),
    x_title: &str,
    decimals_shown: usize,
) -> String {
    // room for the longest label (about 6.6 units a character at 12 px), then the bars
    let label_w = label_width(bars.iter().map(|b| b.label), 6.6, (120.0, 480.0));
    let pw = 360.0;
    let width = label_w + pw + M.1 + 40.0;
    let row = 26.0;
    let h = M.2 + row * bars.len() as f64 + 44.0;
    let sx = |x: f64| label_w + (x.clamp(x0, x1) - x0) / (x1 - x0) * pw;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width:.0} {h}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    let bottom = M.2 + row * bars.len() as f64;
    x_grid(&mut s, lang, (x0, x1), &sx, (M.2, bottom));
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
        label_w + pw / 2.0,
        bottom + 34.0,
        esc(x_title)
    );
    for (k, b) in bars.iter().enumerate() {
        let y = M.2 + row * k as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            label_w - 8.0,
            y + row * 0.62,
            esc(b.label)
        );
        match b.value.filter(|v| v.is_finite()) {
            Some(v) => {
                let (a, z) = (sx(x0.max(0.0).min(x1)), sx(v));
                let _ = write!(
                    s,
                    "<g class=\"bar\" tabindex=\"0\"><title>{}: {}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/></g>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
                    esc(b.label),
                    num(lang, Some(v), decimals_shown),
                    a.min(z),
                    y + 4.0,
                    (z - a).abs().max(1.0),
                    row - 8.0,
                    b.colour,
                    a.max(z) + 5.0,
                    y + row * 0.62,
                    num(lang, Some(v), decimals_shown)
                );
            }
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#595959\">{}</text>",
                    label_w + 4.0,
                    y + row * 0.62,
                    lang.t("geen waarde", "no value")
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// One row of a stacked bar chart: an area and its parts (shares that add up to 100), now
/// and optionally after a change; `None`: withheld, written as such, never drawn.
pub struct Stack<'a> {
    pub code: &'a str,
    pub label: String,
    pub now: Option<[f64; 3]>,
    pub after: Option<Option<[f64; 3]>>,
}

/// Horizontal stacked bars of three parts per row (a buurt's rent segments), 0–100 %, with a
/// second, thinner bar under each when rows have an `after`; each part has its share in a
/// `<title>`, each label links to the area's profile.
pub fn stacked_hbars(lang: Lang, title: &str, rows: &[Stack], parts: [(&str, &str); 3]) -> String {
    let label_w = label_width(rows.iter().map(|r| r.label.as_str()), 6.2, (120.0, 360.0));
    let pw = 400.0;
    let twin = rows.iter().any(|r| r.after.is_some());
    let row_h = if twin { 30.0 } else { 16.0 };
    let top = M.2 + 24.0;
    let h = top + row_h * rows.len() as f64 + 36.0;
    let width = label_w + pw + M.1 + 8.0;
    let sx = |x: f64| label_w + x.clamp(0.0, 100.0) / 100.0 * pw;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width:.0} {h:.0}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    let items: Vec<(&str, &str, Swatch)> = parts
        .iter()
        .map(|(n, c)| (*n, *c, Swatch::Square))
        .collect();
    legend(&mut s, &items);
    let bottom = top + row_h * rows.len() as f64;
    for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = sx(t);
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#d0d0d0\" stroke-width=\"0.5\"/>\
<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#404040\">{} %</text>",
            bottom + 14.0,
            num(lang, Some(t), 0)
        );
    }
    let bar = |s: &mut String, y: f64, hgt: f64, v: &[f64; 3], label: &str, when: &str| {
        let mut x = 0.0;
        for (k, share) in v.iter().enumerate() {
            let (name, colour) = parts[k];
            let _ = write!(
                s,
                "<rect class=\"part\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{hgt:.1}\" fill=\"{colour}\"><title>{} — {when}{}: {} %</title></rect>",
                sx(x),
                (sx(x + share) - sx(x)).max(0.0),
                esc(label),
                esc(name),
                num(lang, Some(*share), 0)
            );
            x += share;
        }
    };
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let _ = write!(
            s,
            "<a href=\"/buurt/{}\"><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1a1a1a\">{}</text></a>",
            url(r.code),
            label_w - 6.0,
            y + 11.0,
            esc(&r.label)
        );
        let withheld = |s: &mut String, y: f64, after: bool| {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}\" fill=\"#595959\">{}</text>",
                sx(0.0) + 2.0,
                y,
                if after { 9 } else { 10 },
                if after {
                    lang.t("na de wat-als: afgeschermd", "after the what-if: withheld")
                } else {
                    lang.t("afgeschermd", "withheld")
                }
            );
        };
        match &r.now {
            Some(v) => bar(&mut s, y + 2.0, 11.0, v, &r.label, ""),
            None => withheld(&mut s, y + 11.0, false),
        }
        match &r.after {
            Some(Some(v)) => bar(
                &mut s,
                y + 15.0,
                6.0,
                v,
                &r.label,
                lang.t("na de wat-als, ", "after the what-if, "),
            ),
            Some(None) if r.now.is_some() => withheld(&mut s, y + 24.0, true),
            _ => {}
        }
    }
    s.push_str("</svg>");
    s
}

/// Grouped vertical bars: per category one bar per series, the value above each bar and in
/// its `<title>`; `None` is written "afgeschermd" (withheld), never drawn as zero.
pub fn columns(
    lang: Lang,
    title: &str,
    categories: &[String],
    series: &[(&str, &str, Vec<Option<f64>>)],
    y_title: &str,
) -> String {
    let (w, h) = (W, 300.0);
    let top = M.2 + 24.0;
    let (pw, ph) = (w - M.0 - M.1, h - top - M.3);
    let y1 = series
        .iter()
        .flat_map(|x| x.2.iter().flatten())
        .fold(0.0f64, |m, v| m.max(*v));
    let y1 = ticks(0.0, (y1 * 1.15).max(1.0))
        .last()
        .copied()
        .filter(|t| *t >= y1 * 1.05)
        .unwrap_or((y1 * 1.15).max(1.0));
    let sy = |y: f64| top + (y1 - y.clamp(0.0, y1)) / y1 * ph;
    let gw = pw / categories.len().max(1) as f64;
    let bw = (gw * 0.75 / series.len().max(1) as f64).min(60.0);
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    y_grid(&mut s, lang, (0.0, y1), &sy, pw, 0);
    write_y_title(&mut s, top + ph / 2.0, y_title);
    legend(
        &mut s,
        &series
            .iter()
            .map(|(n, c, _)| (*n, *c, Swatch::Square))
            .collect::<Vec<_>>(),
    );
    for (g, c) in categories.iter().enumerate() {
        let gx = M.0 + g as f64 * gw;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            gx + gw / 2.0,
            top + ph + 18.0,
            esc(c)
        );
        let width = bw * series.len() as f64;
        for (k, (name, colour, values)) in series.iter().enumerate() {
            let x = gx + (gw - width) / 2.0 + k as f64 * bw;
            match values.get(g).copied().flatten() {
                Some(v) => {
                    let _ = write!(
                        s,
                        "<g class=\"column\" tabindex=\"0\"><title>{} — {}: {}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/></g>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">{}</text>",
                        esc(c),
                        esc(name),
                        num(lang, Some(v), 0),
                        x + 2.0,
                        sy(v),
                        bw - 4.0,
                        (sy(0.0) - sy(v)).max(0.5),
                        x + bw / 2.0,
                        sy(v) - 4.0,
                        num(lang, Some(v), 0)
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#595959\">{}</text>",
                        x + bw / 2.0,
                        sy(0.0) - 4.0,
                        lang.t("afgeschermd", "withheld")
                    );
                }
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// One row of an interval chart: a label and an estimate with its interval (low, estimate,
/// high); `None`: not computed (too few areas), written as such.
pub struct Interval<'a> {
    pub label: &'a str,
    pub value: Option<(f64, f64, f64)>,
}

/// A difference per row with its interval (a forest plot): a dot at the estimate, a line
/// from low to high, a vertical line at zero; an interval that excludes zero is drawn dark,
/// one that includes it pale. Numbers in each row's `<title>` and at its end.
pub fn intervals(lang: Lang, title: &str, rows: &[Interval], x_title: &str) -> String {
    let label_w = label_width(rows.iter().map(|r| r.label), 6.6, (120.0, 360.0));
    let pw = 340.0;
    let width = label_w + pw + 120.0;
    let row = 26.0;
    let h = M.2 + row * rows.len() as f64 + 44.0;
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for (a, e, b) in rows.iter().filter_map(|r| r.value) {
        for x in [a, e, b] {
            if x.is_finite() {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    let pad = ((hi - lo) * 0.08).max(0.5);
    let (x0, x1) = (lo - pad, hi + pad);
    let sx = |x: f64| label_w + (x.clamp(x0, x1) - x0) / (x1 - x0) * pw;
    let bottom = M.2 + row * rows.len() as f64;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width:.0} {h:.0}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    x_grid(&mut s, lang, (x0, x1), &sx, (M.2, bottom));
    let _ = write!(
        s,
        "<line x1=\"{z:.1}\" y1=\"{:.1}\" x2=\"{z:.1}\" y2=\"{bottom:.1}\" stroke=\"#595959\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
        M.2,
        label_w + pw / 2.0,
        bottom + 34.0,
        esc(x_title),
        z = sx(0.0)
    );
    for (k, r) in rows.iter().enumerate() {
        let y = M.2 + row * k as f64 + row / 2.0;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            label_w - 8.0,
            y + 4.0,
            esc(r.label)
        );
        match r
            .value
            .filter(|v| v.0.is_finite() && v.1.is_finite() && v.2.is_finite())
        {
            Some((a, e, b)) => {
                let sure = a > 0.0 || b < 0.0;
                let colour = if sure { "#0b5394" } else { "#8c8c8c" };
                let text = format!(
                    "{} [{}; {}]",
                    num(lang, Some(e), 1),
                    num(lang, Some(a), 1),
                    num(lang, Some(b), 1)
                );
                let _ = write!(
                    s,
                    "<g class=\"interval{}\" tabindex=\"0\"><title>{}: {text}</title>\
<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>\
<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\"/></g>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1a1a1a\">{text}</text>",
                    if sure { " zeker" } else { "" },
                    esc(r.label),
                    sx(a),
                    sx(b),
                    sx(e),
                    label_w + pw + 6.0,
                    y + 4.0,
                );
            }
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#595959\">{}</text>",
                    label_w + 4.0,
                    y + 4.0,
                    lang.t(
                        "niet berekend (te weinig buurten)",
                        "not computed (too few buurten)"
                    )
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}
