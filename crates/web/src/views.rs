//! What several routes show: the profile of an area as JSON (page, dossier, API, a plan's
//! snapshot), the edition and level chosen in a query, LISA clusters of the index, a plan
//! goal's monitoring, the method text, and the page for a bad request.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use serde_json::Value;
use serde_json::json;
use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Edition;
use veerkracht_dataset::Level;
use veerkracht_index::IndexResult;
use veerkracht_partners::format_time;

use crate::AppState;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;

/// The profile of one area (used by the page too); `None` when it is not in the edition.
pub fn profile_json(st: &AppState, code: AreaCode, edition: Edition) -> Option<Value> {
    let level = code.level();
    let idx = st.index(edition, level);
    let (r, u) = (&idx.0, &idx.1);
    let a = r.areas.iter().find(|a| a.code == code)?;
    let band = u.areas.iter().find(|b| b.code == code);
    let def = &st.def;
    let labels: HashMap<&str, (&str, bool, &str)> = def
        .indicators()
        .map(|(_, i)| {
            (
                i.id.as_str(),
                (i.label_nl.as_str(), i.proxy, i.source.as_str()),
            )
        })
        .collect();
    let comp_label: HashMap<&str, &str> = def
        .component
        .iter()
        .map(|c| (c.id.as_str(), c.label_nl.as_str()))
        .collect();
    let mean = |it: &mut dyn Iterator<Item = f64>| {
        let v: Vec<f64> = it.collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let peers = st.peers(edition, level);
    let peer_codes: Vec<AreaCode> = peers
        .get(&code)
        .map(|p| p.iter().map(|x| x.code).collect())
        .unwrap_or_default();
    let by_code: HashMap<AreaCode, &veerkracht_index::AreaScore> =
        r.areas.iter().map(|x| (x.code, x)).collect();
    let trend: Vec<Value> = st
        .editions(level)
        .into_iter()
        .filter_map(|e| {
            let ri = st.index(e, level);
            let x = ri.0.areas.iter().find(|x| x.code == code)?;
            let band = ri.1.areas.iter().find(|b| b.code == code);
            let gm_mean = mean(
                &mut ri
                    .0
                    .areas
                    .iter()
                    .filter(|y| y.gemeente.is_some() && y.gemeente == x.gemeente)
                    .filter_map(|y| y.score),
            );
            Some(json!({
                "editie": e, "score": x.score, "klasse": x.class.map(|c| c.label_nl()),
                "status": x.status, "rang": x.rank,
                "rang_p5": band.map(|b| b.rank_p5), "rang_p95": band.map(|b| b.rank_p95),
                "gemeente": gm_mean,
                "componenten": st.def.component.iter().zip(&x.components)
                    .map(|(c, v)| (c.id.clone(), json!(v.score)))
                    .collect::<serde_json::Map<String, Value>>(),
            }))
        })
        .collect();
    let gemeente_name = a
        .gemeente
        .and_then(|g| st.ds.area(edition, &g).map(|x| x.name.clone()));
    Some(json!({
        "code": a.code.to_string(),
        "naam": a.name,
        "niveau": level.plural(),
        "editie": edition,
        "gemeente_code": a.gemeente.map(|g| g.to_string()),
        "gemeente": gemeente_name,
        "corporatiebuurt": a.corporatiebuurt,
        "aantal_gebieden": r.areas.iter().filter(|x| x.rank.is_some()).count(),
        "status": a.status,
        "status_label": a.status.label_nl(),
        "redenen": a.exclusions.iter().map(|x| json!({
            "code": x.reason, "label": x.reason.label_nl(), "label_en": x.reason.label_en(),
            "status": x.reason.status(), "detail": x.detail,
        })).collect::<Vec<_>>(),
        "score": {
            "waarde": a.score, "klasse": a.class.map(|c| c.label_nl()), "percentiel": a.percentile,
            "rang": a.rank, "rang_p5": band.map(|b| b.rank_p5), "rang_mediaan": band.map(|b| b.median_rank),
            "rang_p95": band.map(|b| b.rank_p95), "runs": crate::state::PROFILE_RUNS,
        },
        "dekking": a.coverage,
        "betrouwbaar": a.reliable,
        "opmerking": a.note,
        "componenten": a.components.iter().map(|c| json!({
            "id": c.component, "naam": comp_label.get(c.component.as_str()), "score": c.score,
            "aandeel_gewicht_aanwezig": c.weight_present, "vlaggen": c.flags,
        })).collect::<Vec<_>>(),
        "waarom": a.contributions.iter().map(|c| {
            let (naam, proxy, bron) = labels.get(c.indicator.as_str()).copied().unwrap_or(("", false, ""));
            json!({
                "indicator": c.indicator, "naam": naam, "proxy": proxy, "bron": bron,
                "component": comp_label.get(c.component.as_str()), "waarde": c.raw,
                "genormaliseerd": c.normalised, "bijdrage": c.contribution,
                "behoefte_percentiel": c.need_percentile, "p90": c.flag_p90, "geimputeerd": c.imputed,
                "ontbreekt": c.missing, "betrouwbaarheid": c.reliability,
            })
        }).collect::<Vec<_>>(),
        "trend": trend,
        "vergelijking": {
            "gemeente": mean(&mut r.areas.iter().filter(|x| x.gemeente == a.gemeente).filter_map(|x| x.score)),
            "alle": mean(&mut r.areas.iter().filter_map(|x| x.score)),
            "corporatiebuurten": mean(&mut r.areas.iter().filter(|x| x.corporatiebuurt == Some(true)).filter_map(|x| x.score)),
            "vergelijkbaar": mean(&mut peer_codes.iter().filter_map(|c| by_code.get(c).and_then(|x| x.score))),
            "vergelijkbare_buurten": peer_codes.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        },
    }))
}

/// Level from the query (`buurt` default, `wijk`).
pub fn level_of(level: Option<&str>) -> Result<Level, String> {
    match level {
        None | Some("buurt") => Ok(Level::Buurt),
        Some("wijk") => Ok(Level::Wijk),
        Some(o) => Err(format!(
            "level '{o}' is not supported here: use buurt or wijk"
        )),
    }
}

/// Edition from the query (default: the latest at the level); must exist.
pub fn edition_of(st: &AppState, edition: Option<&str>, level: Level) -> Result<Edition, String> {
    let eds = st.editions(level);
    match edition {
        None => eds
            .last()
            .copied()
            .ok_or_else(|| format!("no {} in this workspace", level.plural())),
        Some(s) => {
            let e: Edition = s
                .parse()
                .map_err(|_| format!("edition '{s}' is not a year"))?;
            if eds.contains(&e) {
                Ok(e)
            } else {
                Err(format!(
                    "edition {e} has no {}; editions: {eds:?}",
                    level.plural()
                ))
            }
        }
    }
}

/// LISA of the index score at an edition and level: (code → cluster label), I, p_sim.
pub fn lisa_of(
    st: &AppState,
    r: &IndexResult,
) -> (HashMap<AreaCode, &'static str>, Option<(f64, f64)>) {
    let (labels, global, _) = lisa_detail(st, r);
    (labels, global)
}

/// As [`lisa_of`], with each area's standardised score `z` and the mean of its neighbours'
/// (`lag`) for the Moran scatter plot.
#[allow(clippy::type_complexity)]
pub fn lisa_detail(
    st: &AppState,
    r: &IndexResult,
) -> (
    HashMap<AreaCode, &'static str>,
    Option<(f64, f64)>,
    HashMap<AreaCode, (f64, f64)>,
) {
    let Some(ed) = st.ds.edition(r.edition) else {
        return (HashMap::new(), None, HashMap::new());
    };
    let mut codes = Vec::new();
    let mut vals = Vec::new();
    let mut polys = Vec::new();
    for a in &r.areas {
        if let (Some(s), Some(g)) = (a.score, ed.geometry(&a.code)) {
            codes.push(a.code);
            vals.push(s);
            polys.push(g.clone());
        }
    }
    if codes.len() < 4 {
        return (HashMap::new(), None, HashMap::new());
    }
    let nb =
        veerkracht_spatial::build::contiguity(&polys, veerkracht_spatial::Contiguity::Queen, 0.0);
    let Ok(w) =
        veerkracht_spatial::Weights::new(codes.iter().map(|c| c.to_string()).collect(), nb, None)
    else {
        return (HashMap::new(), None, HashMap::new());
    };
    let w = w.transformed(veerkracht_spatial::Transform::Row);
    let o = veerkracht_spatial::LocalOptions {
        permutations: 999,
        seed: 12345,
        ..Default::default()
    };
    let l = veerkracht_spatial::moran_local(&vals, &w, &o);
    let m = veerkracht_spatial::moran(&vals, &w, 999, 12345);
    (
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, l.label_nl(i)))
            .collect(),
        Some((m.I, m.p_sim.unwrap_or(f64::NAN))),
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, (l.z[i], l.lag[i])))
            .collect(),
    )
}

/// The frozen snapshot of an area for a new plan: the buurt profile (index, components, the
/// "waarom", reliability) of the latest edition and the veerkracht signal since the edition
/// before, with edition, definition and method, so the plan keeps the numbers it was based on.
pub fn snapshot(st: &AppState, code: AreaCode) -> Option<(Value, String, Option<String>)> {
    let level = code.level();
    if !matches!(level, Level::Buurt | Level::Wijk) {
        return None;
    }
    let eds = st.editions(level);
    let edition = *eds.last()?;
    let area = st.ds.area(edition, &code)?;
    let mut prof = crate::views::profile_json(st, code, edition)?;
    let signal = if eds.len() >= 2 {
        let from = eds[eds.len() - 2];
        let s = st.signal(from, edition, level);
        s.areas.iter().find(|x| x.code == code).map(|x| {
            json!({
                "van": from, "tot": edition,
                "verandering_kwetsbaarheid": x.d_vulnerability, "verandering_druk": x.d_pressure,
                "kwadrant": x.quadrant.map(|q| format!("{q:?}")),
                "kwadrant_label": x.quadrant.map(|q| crate::labels::quadrant_label(Lang::Nl, q)),
                "opmerking": x.note,
            })
        })
    } else {
        None
    };
    if let Some(o) = prof.as_object_mut() {
        o.remove("trend");
        o.insert("signaal".into(), signal.unwrap_or(Value::Null));
        o.insert("definitie".into(), json!({"id": st.def.id, "schema": st.def.schema_version, "naam": st.def.title_nl, "methode": serde_json::to_value(&st.def.method).unwrap_or(Value::Null)}));
        o.insert(
            "bevroren_op".into(),
            json!(format_time(veerkracht_partners::now_ms())),
        );
        o.insert("bron".into(), json!(st.origin));
    }
    let gemeente = code.gemeente().map(|g| g.to_string());
    Some((prof, area.name.clone(), gemeente))
}

/// An indicator's value for an area in an edition: `score` is the index score.
pub(crate) fn indicator_value(
    st: &AppState,
    code: AreaCode,
    edition: Edition,
    indicator: &str,
) -> Option<f64> {
    if indicator == "score" {
        let idx = st.index(edition, code.level());
        idx.0
            .areas
            .iter()
            .find(|a| a.code == code)
            .and_then(|a| a.score)
    } else {
        st.ds.number(edition, &code, indicator)
    }
}

pub(crate) fn indicator_label(st: &AppState, lang: Lang, id: &str) -> String {
    if id == "score" {
        return lang
            .t("veerkrachtindex (score)", "resilience index (score)")
            .to_string();
    }
    st.ds
        .catalogue()
        .get(id)
        .map(|i| i.label_nl.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Indicators a goal can aim at: the index score and the definition's indicators.
pub(crate) fn goal_indicators(st: &AppState) -> Vec<(String, String)> {
    let mut v = vec![("score".to_string(), "veerkrachtindex (score)".to_string())];
    for (_, i) in st.def.indicators() {
        if !v.iter().any(|(id, _)| *id == i.id) {
            v.push((i.id.clone(), i.label_nl.clone()));
        }
    }
    v
}

/// Monitoring of one goal: the indicator per edition since the baseline, and where it stands.
pub fn monitoring(st: &AppState, area: &str, g: &veerkracht_partners::Goal) -> Value {
    let Ok(code) = AreaCode::parse(area) else {
        return Value::Null;
    };
    let from = g.baseline_edition.unwrap_or(0);
    let series: Vec<Value> = st
        .editions(code.level())
        .into_iter()
        .filter(|e| i64::from(*e) >= from)
        .map(|e| json!({"editie": e, "waarde": indicator_value(st, code, e, &g.indicator)}))
        .collect();
    let latest = series
        .iter()
        .rev()
        .find_map(|x| x["waarde"].as_f64().map(|v| (x["editie"].as_i64(), v)));
    let status = match (latest, g.baseline) {
        (Some((_, v)), Some(b)) => {
            let up = g.target >= b;
            if (up && v >= g.target) || (!up && v <= g.target) {
                "behaald"
            } else if (up && v > b) || (!up && v < b) {
                "in de goede richting"
            } else {
                "nog geen vooruitgang"
            }
        }
        (Some(_), None) => "geen nulmeting",
        (None, _) => "geen gegevens",
    };
    json!({"reeks": series, "laatste_editie": latest.and_then(|x| x.0), "laatste_waarde": latest.map(|x| x.1), "stand": status})
}

pub(crate) fn bad_page(lang: Lang, st: &AppState, msg: &str) -> Response {
    let body = format!("<p>{}</p>", esc(msg));
    (
        StatusCode::BAD_REQUEST,
        Html(html::page(
            lang,
            lang.t("Ongeldige vraag", "Invalid request"),
            "",
            "",
            &st.origin,
            st.synthetic,
            &body,
        )),
    )
        .into_response()
}

/// The method: definition, choices, indicators, sources and assumptions (also the dossier's
/// appendix).
pub fn method_html(st: &AppState, lang: Lang) -> String {
    let d = &st.def;
    let m = &d.method;
    let mut rows = Vec::new();
    for c in &d.component {
        for i in &c.indicator {
            rows.push(vec![
                esc(match lang {
                    Lang::Nl => &c.label_nl,
                    Lang::En => &c.label_en,
                }),
                {
                    let naam = match lang {
                        Lang::Nl => &i.label_nl,
                        Lang::En => &i.label_en,
                    };
                    let tag = i.proxy && !naam.contains("proxy");
                    format!(
                        "{}{}",
                        esc(naam),
                        if tag {
                            " <span class=\"note\">(proxy)</span>"
                        } else {
                            ""
                        }
                    )
                },
                esc(&i.source),
                esc(&format!("{:?}", i.transform).to_lowercase()),
                esc(&format!("{:?}", i.direction)),
                num(lang, Some(i.weight), 2),
            ]);
        }
    }
    let sources: Vec<Vec<String>> = st
        .ds
        .sources()
        .iter()
        .map(|s| {
            vec![
                esc(&s.file),
                esc(s.table.as_deref().unwrap_or("")),
                esc(s.period.as_deref().unwrap_or("")),
                s.rows.to_string(),
                if s.synthetic {
                    lang.t("synthetisch", "synthetic").to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let body = format!(
        "<p>{title} ({id}). {intro}</p><ul>\
<li>{l_ref}: {reference:?}</li><li>{l_imp}: {imputation:?}</li><li>{l_tr}: {treatment:?}</li>\
<li>{l_norm}: {normalisation:?}</li><li>{l_agg}: {aggregation:?}</li><li>{l_cov}: {cov}</li>\
<li>{l_cls}: {bounds:?}</li><li>{l_corp}: {corp} %</li></ul>{t1}{t2}<p class=\"note\">{assume}</p>",
        title = esc(&d.title_nl),
        id = esc(&d.id),
        intro = lang.t("De index is data: een definitiebestand (TOML) met componenten, indicatoren, richting, gewichten en methodekeuzes. Hogere score = meer veerkracht.", "The index is data: a definition file (TOML) with components, indicators, direction, weights and method choices. Higher score = more resilience."),
        l_ref = lang.t("Referentiepopulatie", "Reference population"),
        reference = m.reference,
        l_imp = lang.t("Imputatie", "Imputation"),
        imputation = m.imputation,
        l_tr = lang.t("Uitschieters", "Outliers"),
        treatment = m.treatment,
        l_norm = lang.t("Normalisatie", "Normalisation"),
        normalisation = m.normalisation,
        l_agg = lang.t("Aggregatie", "Aggregation"),
        aggregation = m.aggregation,
        l_cov = lang.t("Minimale dekking", "Minimum coverage"),
        cov = num(lang, Some(m.min_coverage), 2),
        l_cls = lang.t("Klassegrenzen (percentiel)", "Class bounds (percentile)"),
        bounds = m.class_bounds,
        l_corp = lang.t("Grens corporatiebuurt", "Corporation buurt threshold"),
        corp = num(lang, Some(m.corporatie_threshold), 1),
        t1 = html::table(lang.t("Indicatoren", "Indicators"), &[lang.t("component", "component"), lang.t("indicator", "indicator"), lang.t("bron", "source"), lang.t("bewerking", "transform"), lang.t("richting", "direction"), lang.t("gewicht", "weight")], &rows),
        t2 = html::table(lang.t("Bronnen in deze werkruimte", "Sources in this workspace"), &[lang.t("bestand", "file"), lang.t("tabel", "table"), lang.t("periode", "period"), lang.t("rijen", "rows"), ""], &sources),
        assume = lang.t("Open-data-indicatoren zijn proxies: ze tellen geen kwetsbare mensen. Ontbrekende cijfers blijven ontbrekend (nooit 0); waarden op kleine aantallen worden gemarkeerd.", "Open-data indicators are proxies: they do not count vulnerable people. Missing figures stay missing (never 0); values on small numbers are flagged."),
    );
    let mut body = body;
    body.push_str(&privacy_html(lang, &st.privacy));
    body
}

/// What the method page says about small-cell suppression (issue 8, item 4).
pub(crate) fn privacy_html(lang: Lang, o: &veerkracht_privacy::Options) -> String {
    let k = o.k;
    let items: Vec<String> = match lang {
        Lang::Nl => vec![
            "<strong>Wat</strong>: elk cijfer dat uit gegevens over woningen of huishoudens komt — de huurmix van de corporatievoorraad (pagina, API, CSV, <code>veerkracht wws --rent-mix</code>) en de toewijzingssimulatie (<code>/scenarios</code>, <code>veerkracht simulate</code>) — gaat door één afschermingslaag (<code>veerkracht-privacy</code>). Cijfers uit open CBS-data zijn al door het CBS beveiligd en worden niet opnieuw afgeschermd.".to_string(),
            format!("<strong>Primair</strong>: een aantal van 1 tot en met {} woningen of huishoudens wordt niet getoond (k = {k}, instelbaar met <code>--min-cel</code>; nullen worden {} getoond).", k - 1, if o.suppress_zero { "niet" } else { "wel" }),
            "<strong>Secundair</strong>: zoveel andere cellen worden afgeschermd dat geen totaal min de getoonde cellen een afgeschermde cel prijsgeeft, of een groep van minder dan k woningen. De tabellen van één buurt (woningen, puntenklassen, segmenten, energielabels, woningen met huur) beschrijven dezelfde woningen en worden <em>samen</em> afgeschermd: het aantal woningen van de buurt is één gedeelde rand, en de koppeling tussen puntenklassen en segmenten (144–186 punten is middenhuur) telt mee. De huurmix en de wat-als-berekening naar élk energielabel worden als één geheel afgeschermd: elk antwoord (met of zonder wat-als) is een deel van dezelfde publicatie, zodat ook het verschil tussen twee wat-als-antwoorden niets prijsgeeft. Daarna rekent een controle met lineaire programma's voor elke afgeschermde cel uit welke waarden nog mogelijk zijn gegeven álle getoonde cellen samen; een cel is beschermd als er ten minste twee gehele waarden mogelijk zijn en, bij 1 tot k − 1 woningen, de mogelijke waarden tot 0 of tot k reiken. Zo niet, dan wordt er meer afgeschermd.".to_string(),
            "<strong>Gemiddelden en aandelen</strong> (gemiddelde punten, huur, huur/maximum, % per segment, Δ in de wat-als) worden alleen getoond als het aantal waarover ze gaan getoond wordt.".to_string(),
            format!("<strong>Simulatie</strong>: een cijfer per buurt dat gemiddeld over de runs op minder dan {k} gesimuleerde huishoudens, woningen of verhuringen rust, wordt afgeschermd, met secundaire afscherming tegen het regiototaal; regiocijfers niet. Aandelen van huishoudens rusten op de huishoudens van de buurt; het aantal woningen per segment is de echte voorraad en wordt als aantal afgeschermd."),
            "<strong>Hoe te zien</strong>: op pagina’s staat “·” met een legenda; in JSON is de waarde <code>null</code> en noemt <code>afgeschermd</code> de reden (<code>minder_dan_k</code>, <code>secundair</code>, <code>basis</code>); in CSV is de cel leeg met de reden in de kolom <code>afgeschermd</code>. Een afgeschermde cel is nooit 0.".to_string(),
            "<strong>Grenzen</strong>: de controle gaat ervan uit dat een lezer regels één voor één oplost (totaal min getoonde cellen), niet dat hij stelsels vergelijkingen of grenzen uit meerdere regels combineert; de secundaire keuze is de kleinste cel, niet een optimaal patroon.".to_string(),
        ],
        Lang::En => vec![
            "<strong>What</strong>: every figure from data on dwellings or households — the rent mix of the corporation stock (page, API, CSV, <code>veerkracht wws --rent-mix</code>) and the allocation simulation (<code>/scenarios</code>, <code>veerkracht simulate</code>) — passes through one suppression layer (<code>veerkracht-privacy</code>). Figures from open CBS data are already protected by CBS and are not suppressed again.".to_string(),
            format!("<strong>Primary</strong>: a count of 1 to {} dwellings or households is not shown (k = {k}, set with <code>--min-cel</code>; zeros are {}).", k - 1, if o.suppress_zero { "withheld" } else { "shown" }),
            "<strong>Secondary</strong>: as many other cells are withheld as needed so that no total minus the shown cells gives away a withheld cell, or a group of fewer than k dwellings. The tables of one buurt (dwellings, points bands, segments, energy labels, dwellings with a rent) describe the same dwellings and are suppressed <em>together</em>: the buurt's dwelling count is one shared margin, and the tie between points bands and segments (144–186 points is mid rent) is taken into account. The rent mix and the what-if to <em>every</em> energy label are suppressed as one whole: every answer (with or without a what-if) is a slice of the same publication, so the difference between two what-if answers gives nothing away either. An audit by linear programs then computes, for every withheld cell, which values are still possible given <em>all</em> shown cells together; a cell is protected when at least two whole values remain and, for 1 to k − 1 dwellings, the possible values reach 0 or k. Otherwise more is withheld.".to_string(),
            "<strong>Means and shares</strong> are shown only when the count they are taken over is shown.".to_string(),
            format!("<strong>Simulation</strong>: a per-buurt figure that rests on fewer than {k} simulated households, dwellings or lettings (on average over the runs) is withheld, with secondary suppression against the region total; region figures are not."),
            "<strong>How it shows</strong>: pages show “·” with a legend; in JSON the value is <code>null</code> and <code>afgeschermd</code> names the reason (<code>minder_dan_k</code>, <code>secundair</code>, <code>basis</code>); in CSV the cell is empty with the reason in the <code>afgeschermd</code> column. A withheld cell is never 0.".to_string(),
            "<strong>Limits</strong>: the check assumes a reader who solves lines one at a time (a total minus the shown cells), not one who solves systems of equations or combines bounds from several lines; the secondary choice is the smallest cell, not an optimal pattern.".to_string(),
        ],
    };
    let mut s = format!(
        "<h2 id=\"afscherming\">{}</h2><ul>",
        lang.t("Afscherming van kleine aantallen", "Small-cell suppression")
    );
    for i in items {
        s.push_str("<li>");
        s.push_str(&i);
        s.push_str("</li>");
    }
    s.push_str("</ul>");
    s
}

/// What a map shows per area: its fill colour and the text after its name in the tooltip.
pub(crate) type Fills = HashMap<AreaCode, (&'static str, String)>;

/// The fills of the signal's quadrant map (the absolute quadrants, or those relative to the
/// rest of the gemeente) and its legend; an area without a signal is grey with the reason.
pub(crate) fn signal_fills(
    lang: Lang,
    sig: &veerkracht_index::SignalResult,
    relative: bool,
) -> (Fills, Vec<(&'static str, String)>) {
    use crate::labels::{QUADRANTS, quadrant_colour, quadrant_label};
    let mut fills = Fills::new();
    for a in &sig.areas {
        let q = if relative { a.quadrant_rel } else { a.quadrant };
        let v = match q {
            Some(qd) => (quadrant_colour(qd), quadrant_label(lang, qd).to_string()),
            None => (html::NO_DATA, a.note.clone().unwrap_or_default()),
        };
        fills.insert(a.code, v);
    }
    let legend = QUADRANTS
        .iter()
        .map(|qd| (quadrant_colour(*qd), quadrant_label(lang, *qd).to_string()))
        .chain(std::iter::once((
            html::NO_DATA,
            lang.t("geen signaal", "no signal").to_string(),
        )))
        .collect();
    (fills, legend)
}

/// The fills of the LISA cluster map of an index result and its legend.
pub(crate) fn lisa_fills(
    lang: Lang,
    r: &IndexResult,
    labels: &HashMap<AreaCode, &'static str>,
) -> (Fills, Vec<(&'static str, String)>) {
    use crate::labels::{cluster_colour, cluster_label};
    let mut fills = Fills::new();
    for a in &r.areas {
        let l = labels.get(&a.code).copied();
        fills.insert(
            a.code,
            (
                l.map_or(html::NO_DATA, cluster_colour),
                l.map_or_else(
                    || lang.t("geen score", "no score").to_string(),
                    |l| cluster_label(lang, l).to_string(),
                ),
            ),
        );
    }
    let legend = [
        "hoog-hoog",
        "laag-laag",
        "hoog-laag",
        "laag-hoog",
        "niet significant",
    ]
    .iter()
    .map(|l| (cluster_colour(l), cluster_label(lang, l).to_string()))
    .collect();
    (fills, legend)
}

/// The shapes of a map of `fills` over the level's areas of `edition` that have a shape:
/// the request's gemeente focus (all areas without one), its surroundings within a fifth of
/// the frame drawn faint, and the frame. An area without a fill has "geen waarde".
pub(crate) fn focused_shapes<'a>(
    st: &'a AppState,
    lang: Lang,
    level: Level,
    edition: Edition,
    fills: &Fills,
    names: &HashMap<AreaCode, &str>,
) -> (
    Vec<crate::map::Shape<'a>>,
    Vec<crate::map::Shape<'a>>,
    Option<[f64; 4]>,
) {
    let Some(ed) = st.ds.edition(edition) else {
        return (Vec::new(), Vec::new(), None);
    };
    let gm = html::focus().area();
    let mut shapes = Vec::new();
    let mut around = Vec::new();
    for a in st.ds.areas(edition, level) {
        let Some(g) = ed.geometry(&a.code) else {
            continue;
        };
        let (fill, txt) = fills
            .get(&a.code)
            .cloned()
            .unwrap_or((html::NO_DATA, lang.t("geen waarde", "no value").to_string()));
        let shape = crate::map::Shape {
            code: a.code.to_string(),
            label: format!(
                "{} ({}): {txt}",
                names.get(&a.code).copied().unwrap_or(&a.name),
                a.code
            ),
            fill,
            geometry: g,
        };
        if gm.is_none() || a.code.gemeente() == gm {
            shapes.push(shape);
        } else {
            around.push(shape);
        }
    }
    let frame = crate::map::bounds(&shapes);
    let faint = match frame {
        Some(f) if gm.is_some() => {
            // a fifth of the frame around it
            let (mx, my) = ((f[2] - f[0]) * 0.2, (f[3] - f[1]) * 0.2);
            let wide = [f[0] - mx, f[1] - my, f[2] + mx, f[3] + my];
            around
                .into_iter()
                .filter(|s| {
                    crate::map::bounds(std::slice::from_ref(s))
                        .is_some_and(|b| crate::map::overlaps(&b, &wide))
                })
                .collect()
        }
        _ => Vec::new(),
    };
    (shapes, faint, frame)
}

/// A map as a figure beside a chart: its title, legend, the map (zoom tools, each area a
/// link with `query`), a caption and the download links (SVG, and `csv`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn map_figure(
    lang: Lang,
    id: &str,
    title: &str,
    legend: &[(&str, String)],
    (shapes, faint, frame): (&[crate::map::Shape], &[crate::map::Shape], Option<[f64; 4]>),
    query: &str,
    caption: &str,
    csv: &str,
) -> String {
    if shapes.is_empty() {
        return String::new();
    }
    format!(
        "<figure class=\"chart kaart\" data-testid=\"{id}\"><h3>{}</h3>{}<div class=\"map-wrap\">{}</div><figcaption>{}</figcaption>{}</figure>",
        esc(title),
        crate::map::legend(legend),
        crate::map::svg_view(
            shapes,
            faint,
            frame,
            title,
            query,
            lang.t("Kaart zoomen", "Zoom the map"),
        ),
        esc(caption),
        crate::chart::downloads(lang, id, Some(csv)),
    )
}
