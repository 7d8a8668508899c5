//! Summaries as Markdown or HTML (chosen by extension): sections with text and tables.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

/// A report section.
pub struct Section {
    pub heading: String,
    pub text: Vec<String>,
    pub table: Vec<Vec<String>>, // first row = header
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders and writes a report; `.md` or `.html`.
pub fn write(path: &Path, title: &str, sections: &[Section]) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let out = match ext.as_str() {
        "md" | "markdown" => {
            let mut s = format!("# {title}\n\n");
            for sec in sections {
                s.push_str(&format!("## {}\n\n", sec.heading));
                for t in &sec.text {
                    s.push_str(&format!("{t}\n\n"));
                }
                if let Some(h) = sec.table.first() {
                    s.push_str(&format!(
                        "| {} |\n|{}|\n",
                        h.join(" | "),
                        h.iter().map(|_| "---").collect::<Vec<_>>().join("|")
                    ));
                    for r in &sec.table[1..] {
                        s.push_str(&format!(
                            "| {} |\n",
                            r.iter()
                                .map(|c| c.replace('|', "\\|"))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        ));
                    }
                    s.push('\n');
                }
            }
            s
        }
        "html" | "htm" => {
            let mut s = format!(
                "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}}table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}}th{{background:#eef}}@media print{{body{{margin:0}}}}</style></head><body>\n<h1>{t}</h1>\n",
                t = esc(title)
            );
            for sec in sections {
                s.push_str(&format!("<h2>{}</h2>\n", esc(&sec.heading)));
                for t in &sec.text {
                    s.push_str(&format!("<p>{}</p>\n", esc(t)));
                }
                if let Some(h) = sec.table.first() {
                    s.push_str("<table><thead><tr>");
                    for c in h {
                        s.push_str(&format!("<th>{}</th>", esc(c)));
                    }
                    s.push_str("</tr></thead><tbody>\n");
                    for r in &sec.table[1..] {
                        s.push_str("<tr>");
                        for c in r {
                            s.push_str(&format!("<td>{}</td>", esc(c)));
                        }
                        s.push_str("</tr>\n");
                    }
                    s.push_str("</tbody></table>\n");
                }
            }
            s.push_str("</body></html>\n");
            s
        }
        other => bail!(
            "{}: unknown report format '.{other}'; use .md or .html",
            path.display()
        ),
    };
    std::fs::write(path, out).with_context(|| format!("{}: cannot write", path.display()))
}
