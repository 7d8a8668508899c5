//! The buurt plans (*buurtaanpak*) in the browser (`/plans`): list, new plan, the plan page
//! with goals, measures, comments and shares, its dossier, and the forms that change it.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Extension;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use serde_json::Value;
use veerkracht_dataset::Level;
use veerkracht_partners::CommentKind;
use veerkracht_partners::MeasureEdit;
use veerkracht_partners::MeasureKind;
use veerkracht_partners::MeasureStatus;
use veerkracht_partners::NewMeasure;
use veerkracht_partners::Plan;
use veerkracht_partners::PlanEdit;
use veerkracht_partners::PlanStatus;
use veerkracht_partners::format_time;
use veerkracht_partners::policy;

use crate::AppState;
use crate::auth::Auth;
use crate::auth::error_response;
use crate::auth::partners_of;
use crate::auth::run;
use crate::auth::run_write;
use crate::html;
use crate::html::Lang;
use crate::html::esc;
use crate::html::num;
use crate::http::Q;
use crate::partner_ui::Form;
use crate::partner_ui::csrf_field;
use crate::partner_ui::euro;
use crate::partner_ui::field;
use crate::partner_ui::fields;
use crate::partner_ui::form_done;
use crate::partner_ui::number;
use crate::partner_ui::parse_budget;
use crate::partner_ui::partner_page;
use crate::partner_ui::status_label;
use crate::partner_ui::version_of;
use crate::planning::goal_input;
use crate::planning::plan_input;
use crate::planning::share_into;
use crate::planning::shared_html;
use crate::planning::snapshot_html;
use crate::planning::too_many_shares;
use crate::views::goal_indicators;
use crate::views::indicator_label;
use crate::views::monitoring;

/// Audit entries shown on a plan's page (the dossier and the API have all).
pub(crate) const PAGE_AUDIT: i64 = 50;

/// Decisions and comments shown on a plan's page (the dossier and the API have all).
pub(crate) const PAGE_COMMENTS: usize = 100;

/// GET /plans: the plans the user may see, and a form for a new one.
pub async fn plans_page(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let p = partners_of(&st);
    let (ws, actor) = (p.ws.clone(), a.actor.clone());
    let (plans, orgs) = match run(move || Ok((ws.plans(&actor)?, ws.organisations()?))).await {
        Ok(x) => x,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let rows: Vec<Vec<String>> = plans
        .iter()
        .map(|p| {
            vec![
                format!("<a href=\"/plans/{}\">{}</a>", p.id, esc(&p.title)),
                format!(
                    "{} <span class=\"dim\">{}</span>",
                    esc(&p.area_name),
                    esc(&p.area_code)
                ),
                esc(&p.owner.name),
                esc(&p
                    .partners
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")),
                esc(p.status.word()),
                esc(&format_time(p.updated_at)),
            ]
        })
        .collect();
    let mut body = String::new();
    let _ = write!(body, "<p>{}</p>", lang.t(
        "Eén beeld en één plan per buurt: de probleemanalyse met de cijfers waarop zij rust, doelen, maatregelen van alle partners, besluiten en een logboek van elke wijziging.",
        "One picture and one plan per buurt: the problem analysis with the figures it rests on, goals, every partner's measures, decisions and a log of every change."));
    if plans.is_empty() {
        let _ = write!(
            body,
            "<p class=\"note\">{}</p>",
            lang.t(
                "Nog geen buurtaanpak waarin uw organisatie eigenaar of partner is.",
                "No area plan yet in which your organisation is owner or partner."
            )
        );
    } else {
        body.push_str(&html::table(
            lang.t("Buurtaanpakken", "Area plans"),
            &[
                lang.t("Titel", "Title"),
                lang.t("Gebied", "Area"),
                lang.t("Eigenaar", "Owner"),
                "Partners",
                "Status",
                lang.t("Bijgewerkt", "Updated"),
            ],
            &rows,
        ));
    }
    if matches!(
        a.actor.user.role,
        veerkracht_partners::Role::Beheerder | veerkracht_partners::Role::Analist
    ) {
        body.push_str(&new_plan_form(&st, lang, &a, &orgs));
    }
    partner_page(&st, lang, lang.t("Buurtaanpak", "Area plans"), &a, &body)
}

pub(crate) fn new_plan_form(
    st: &AppState,
    lang: Lang,
    a: &Auth,
    orgs: &[veerkracht_partners::Organisation],
) -> String {
    let mut areas = String::new();
    for level in [Level::Wijk, Level::Buurt] {
        let Some(e) = st.latest(level) else { continue };
        let mut list: Vec<_> = st
            .ds
            .areas(e, level)
            .into_iter()
            .filter(|x| {
                x.code
                    .gemeente()
                    .is_some_and(|g| a.actor.org.gemeenten.iter().any(|m| *m == g.to_string()))
            })
            .collect();
        list.sort_by(|x, y| x.name.cmp(&y.name));
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            areas,
            "<optgroup label=\"{}\">",
            if level == Level::Wijk {
                lang.t("Wijken", "Wijken")
            } else {
                lang.t("Buurten", "Buurten")
            }
        );
        for x in list {
            let _ = write!(
                areas,
                "<option value=\"{c}\">{n} ({c})</option>",
                c = esc(&x.code.to_string()),
                n = esc(&x.name)
            );
        }
        areas.push_str("</optgroup>");
    }
    if areas.is_empty() {
        return format!("<p class=\"note\">{}</p>", lang.t("Uw organisatie werkt (volgens haar gegevens) in geen gemeente van deze gegevens; een beheerder kan de gemeenten aanpassen.", "Your organisation works in none of the gemeenten in these data; an administrator can change its gemeenten."));
    }
    let mut partners = String::new();
    for o in orgs.iter().filter(|o| o.id != a.actor.org.id) {
        let _ = write!(
            partners,
            "<label class=\"check\"><input type=\"checkbox\" name=\"partner\" value=\"{}\"> {} <span class=\"dim\">({})</span></label>",
            o.id,
            esc(&o.name),
            esc(o.kind.word())
        );
    }
    format!(
        "<h2>{h}</h2><form method=\"post\" action=\"/plans\" class=\"stack\">{csrf}<label>{g}<select name=\"gebied\" required>{areas}</select></label>\
<label>{t}<input name=\"titel\" required maxlength=\"200\"></label><label>{an}<textarea name=\"probleemanalyse\" rows=\"6\" maxlength=\"20000\"></textarea></label>\
<fieldset><legend>{pl}</legend>{partners}</fieldset><button type=\"submit\">{b}</button></form><p class=\"note\">{n}</p>",
        h = lang.t("Nieuwe buurtaanpak", "New area plan"),
        csrf = csrf_field(a),
        g = lang.t("Buurt of wijk", "Buurt or wijk"),
        t = lang.t("Titel", "Title"),
        an = lang.t("Probleemanalyse", "Problem analysis"),
        pl = lang.t("Partnerorganisaties", "Partner organisations"),
        b = lang.t("Aanmaken", "Create"),
        n = lang.t("Bij het aanmaken worden de index, de componenten en het veerkrachtsignaal van de nieuwste editie bevroren in het plan.", "On creation the index, its components and the resilience signal of the latest edition are frozen into the plan."),
    )
}

/// POST /plans (form).
pub async fn plans_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    axum::Form(f): Form,
) -> Response {
    let lang = Lang::Nl;
    let st2 = st.clone();
    let actor = a.actor.clone();
    let res = run_write(move || {
        let np = plan_input(
            &st2,
            field(&f, "gebied"),
            field(&f, "titel"),
            field(&f, "probleemanalyse"),
            fields(&f, "partner"),
        )?;
        partners_of(&st2).ws.create_plan(&actor, np)
    })
    .await;
    match res {
        Ok(id) => Redirect::to(&format!("/plans/{id}")).into_response(),
        Err(e) => error_response(&st, lang, false, e),
    }
}

/// GET /plans/{id}: the plan with everything under it.
pub async fn plan_page(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    let st2 = st.clone();
    let got = run(move || {
        let v = ws.plan_view(&actor, id, PAGE_AUDIT)?;
        let mon: Vec<Value> = v
            .plan
            .goals
            .iter()
            .map(|g| monitoring(&st2, &v.plan.summary.area_code, g))
            .collect();
        Ok((
            v.plan,
            v.access,
            v.audit,
            v.audit_total,
            v.organisations,
            mon,
        ))
    })
    .await;
    let (plan, acc, log, total, orgs, mon) = match got {
        Ok(x) => x,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let mut body = plan_html(&st, lang, &a, &plan, &acc, &log, &orgs, &mon, false);
    if total > log.len() as i64 {
        let _ = write!(
            body,
            "<p class=\"note\">{} {} {} {}. <a href=\"/plans/{id}/dossier\">{}</a> · <a href=\"/api/v1/plans/{id}/audit\">JSON</a></p>",
            lang.t("Logboek: de laatste", "Audit log: the latest"),
            log.len(),
            lang.t("van", "of"),
            total,
            lang.t(
                "Het volledige logboek staat in het dossier",
                "The full log is in the dossier"
            )
        );
    }
    partner_page(&st, lang, &plan.summary.title, &a, &body)
}

/// GET /plans/{id}/dossier: the printable dossier.
pub async fn plan_dossier(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    Query(q): Q,
) -> Response {
    let lang = Lang::from_query(q.get("lang"));
    let (ws, actor) = (partners_of(&st).ws.clone(), a.actor.clone());
    let st2 = st.clone();
    let got = run(move || {
        // one consistent read; the dossier has the whole log
        let v = ws.plan_view(&actor, id, i64::MAX)?;
        let mon: Vec<Value> = v
            .plan
            .goals
            .iter()
            .map(|g| monitoring(&st2, &v.plan.summary.area_code, g))
            .collect();
        Ok((v.plan, v.access, v.audit, mon))
    })
    .await;
    let (plan, acc, log, mon) = match got {
        Ok(x) => x,
        Err(e) => return error_response(&st, lang, false, e),
    };
    let body = plan_html(&st, lang, &a, &plan, &acc, &log, &[], &mon, true);
    let mut r = Html(html::page(
        lang,
        &format!(
            "{} — {}",
            lang.t("Dossier buurtaanpak", "Area plan dossier"),
            plan.summary.title
        ),
        "/plans",
        "",
        &st.origin,
        st.synthetic,
        &body,
    ))
    .into_response();
    // the file name is built from the plan id only (no user text in a header or path)
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"buurtaanpak-{id}.html\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn plan_html(
    st: &AppState,
    lang: Lang,
    a: &Auth,
    p: &Plan,
    acc: &policy::PlanAccess,
    log: &[veerkracht_partners::AuditEntry],
    orgs: &[veerkracht_partners::Organisation],
    mon: &[Value],
    printable: bool,
) -> String {
    let s = &p.summary;
    let actor = &a.actor;
    let edit = !printable && policy::can_edit_plan(actor, acc);
    let mut b = String::new();
    let _ = write!(
        b,
        "<p><strong>{}</strong> {} <span class=\"dim\">({})</span> · {}: {} · Partners: {} · Status: <strong>{}</strong> · {}: {}</p>",
        lang.t("Gebied", "Area"),
        esc(&s.area_name),
        esc(&s.area_code),
        lang.t("Eigenaar", "Owner"),
        esc(&s.owner.name),
        esc(&if s.partners.is_empty() {
            "—".to_string()
        } else {
            s.partners
                .iter()
                .map(|o| format!("{} ({})", o.name, o.kind.word()))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        esc(s.status.word()),
        lang.t("versie", "version"),
        s.version,
    );
    if !printable {
        let _ = write!(
            b,
            "<p><a href=\"/plans/{}/dossier\">{}</a> · <a href=\"/api/v1/plans/{}\">JSON</a> · <a href=\"/buurt/{}\">{}</a></p>",
            s.id,
            lang.t("Dossier (afdrukbaar)", "Dossier (printable)"),
            s.id,
            esc(&s.area_code),
            lang.t(
                "Buurtprofiel (actuele cijfers)",
                "Buurt profile (current figures)"
            )
        );
    }
    // analysis + snapshot
    let _ = write!(
        b,
        "<h2>{}</h2><div class=\"tekst\">{}</div>",
        lang.t("Probleemanalyse", "Problem analysis"),
        if p.analysis.is_empty() {
            "<p class=\"dim\">—</p>".to_string()
        } else {
            esc(&p.analysis)
                .split("\n\n")
                .map(|x| format!("<p>{}</p>", x.replace('\n', "<br>")))
                .collect::<String>()
        }
    );
    b.push_str(&snapshot_html(lang, &p.snapshot));
    if edit {
        let mut partners = String::new();
        for o in orgs.iter().filter(|o| o.id != s.owner.id) {
            let on = if s.partners.iter().any(|x| x.id == o.id) {
                " checked"
            } else {
                ""
            };
            let _ = write!(
                partners,
                "<label class=\"check\"><input type=\"checkbox\" name=\"partner\" value=\"{}\"{on}> {} <span class=\"dim\">({})</span></label>",
                o.id,
                esc(&o.name),
                esc(o.kind.word())
            );
        }
        let mut statuses = String::new();
        for st_ in PlanStatus::ALL {
            let sel = if *st_ == s.status { " selected" } else { "" };
            let _ = write!(statuses, "<option{sel}>{}</option>", st_.word());
        }
        let _ = write!(
            b,
            "<details><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/bewerk\" class=\"stack\">{csrf}<input type=\"hidden\" name=\"versie\" value=\"{v}\">\
<label>{t}<input name=\"titel\" value=\"{title}\" maxlength=\"200\" required></label><label>{an}<textarea name=\"probleemanalyse\" rows=\"6\" maxlength=\"20000\">{analysis}</textarea></label>\
<label>Status<select name=\"status\">{statuses}</select></label><fieldset><legend>Partners</legend>{partners}<input type=\"hidden\" name=\"partners_gezet\" value=\"1\"></fieldset><button type=\"submit\">{save}</button></form></details>",
            h = lang.t("Plan bewerken", "Edit plan"),
            id = s.id,
            csrf = csrf_field(a),
            v = s.version,
            t = lang.t("Titel", "Title"),
            title = esc(&s.title),
            an = lang.t("Probleemanalyse", "Problem analysis"),
            analysis = esc(&p.analysis),
            save = lang.t("Opslaan", "Save"),
        );
    }
    // goals with monitoring
    let _ = write!(
        b,
        "<h2>{}</h2>",
        lang.t("Doelen en monitoring", "Goals and monitoring")
    );
    if p.goals.is_empty() {
        let _ = write!(
            b,
            "<p class=\"dim\">{}</p>",
            lang.t("Nog geen doelen.", "No goals yet.")
        );
    } else {
        let rows: Vec<Vec<String>> = p
            .goals
            .iter()
            .zip(mon)
            .map(|(g, m)| {
                let series = m["reeks"]
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .map(|x| {
                                format!("{}: {}", x["editie"], num(lang, x["waarde"].as_f64(), 2))
                            })
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .unwrap_or_default();
                vec![
                    format!(
                        "{}<br><span class=\"dim\">{}</span>",
                        esc(&indicator_label(st, lang, &g.indicator)),
                        esc(&g.description)
                    ),
                    format!(
                        "{} <span class=\"dim\">({})</span>",
                        num(lang, g.baseline, 2),
                        g.baseline_edition
                            .map(|e| e.to_string())
                            .unwrap_or_default()
                    ),
                    num(lang, Some(g.target), 2),
                    esc(&g.target_date),
                    esc(&series),
                    esc(&status_label(lang, m["stand"].as_str().unwrap_or(""))),
                ]
            })
            .collect();
        b.push_str(&html::table(
            lang.t("Doelen", "Goals"),
            &[
                "Indicator",
                lang.t("Nulmeting (editie)", "Baseline (edition)"),
                lang.t("Streefwaarde", "Target"),
                lang.t("Streefdatum", "Target date"),
                lang.t("Per editie", "Per edition"),
                lang.t("Stand", "Standing"),
            ],
            &rows,
        ));
    }
    if edit {
        let mut opts = String::new();
        for (id, label) in goal_indicators(st) {
            let _ = write!(
                opts,
                "<option value=\"{}\">{}</option>",
                esc(&id),
                esc(&label)
            );
        }
        let _ = write!(b, "<details><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/doelen\" class=\"stack\">{csrf}<label>Indicator<select name=\"indicator\">{opts}</select></label><label>{d}<input name=\"omschrijving\" maxlength=\"200\"></label><label>{t}<input name=\"streefwaarde\" required inputmode=\"decimal\"></label><label>{dt}<input type=\"date\" name=\"streefdatum\" required></label><button type=\"submit\">{add}</button></form><p class=\"note\">{n}</p></details>",
            h = lang.t("Doel toevoegen", "Add goal"), id = s.id, csrf = csrf_field(a), d = lang.t("Omschrijving", "Description"), t = lang.t("Streefwaarde", "Target value"), dt = lang.t("Streefdatum", "Target date"), add = lang.t("Toevoegen", "Add"),
            n = lang.t("De nulmeting is de waarde in de nieuwste editie; bij elke nieuwe editie verschijnt de stand.", "The baseline is the value in the latest edition; each new edition adds to the monitoring."));
    }
    // measures
    let _ = write!(b, "<h2>{}</h2>", lang.t("Maatregelen", "Measures"));
    if p.measures.is_empty() {
        let _ = write!(
            b,
            "<p class=\"dim\">{}</p>",
            lang.t("Nog geen maatregelen.", "No measures yet.")
        );
    } else {
        let rows: Vec<Vec<String>> = p
            .measures
            .iter()
            .map(|m| {
                let mut status = esc(m.status.word());
                if !printable && policy::can_edit_measure(actor, acc, m.owner.id) {
                    let mut o = String::new();
                    for x in MeasureStatus::ALL {
                        let sel = if *x == m.status { " selected" } else { "" };
                        let _ = write!(o, "<option{sel}>{}</option>", x.word());
                    }
                    status = format!("<form method=\"post\" action=\"/plans/{}/maatregelen/{}\" class=\"inline\">{}<input type=\"hidden\" name=\"versie\" value=\"{}\"><select name=\"status\" aria-label=\"status\">{o}</select> <button type=\"submit\">{}</button></form>", s.id, m.id, csrf_field(a), m.version, lang.t("Wijzig", "Change"));
                }
                vec![
                    format!("<strong>{}</strong><br><span class=\"dim\">{}</span>", esc(&m.title), esc(&m.description)),
                    esc(m.kind.word()),
                    esc(&m.owner.name),
                    esc(&m.partners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")),
                    esc(&euro(m.budget_cents)),
                    format!("{} – {}", esc(&m.start_date), esc(m.end_date.as_deref().unwrap_or("…"))),
                    status,
                ]
            })
            .collect();
        b.push_str(&html::table(
            lang.t("Maatregelen", "Measures"),
            &[
                lang.t("Maatregel", "Measure"),
                lang.t("Soort", "Kind"),
                lang.t("Eigenaar", "Owner"),
                "Partners",
                "Budget",
                lang.t("Looptijd", "Period"),
                "Status",
            ],
            &rows,
        ));
    }
    let may_add = !printable && policy::can_add_measure(actor, acc, actor.org.id);
    if may_add {
        let mut kinds = String::new();
        for k in MeasureKind::ALL {
            let _ = write!(kinds, "<option>{}</option>", k.word());
        }
        let mut owners = format!(
            "<option value=\"{}\">{}</option>",
            actor.org.id,
            esc(&actor.org.name)
        );
        if actor.org.id == acc.owner_org {
            for o in &s.partners {
                let _ = write!(
                    owners,
                    "<option value=\"{}\">{}</option>",
                    o.id,
                    esc(&o.name)
                );
            }
        }
        let mut partners = String::new();
        let mut all = vec![(s.owner.id, s.owner.name.clone())];
        all.extend(s.partners.iter().map(|o| (o.id, o.name.clone())));
        for (oid, name) in all {
            let _ = write!(
                partners,
                "<label class=\"check\"><input type=\"checkbox\" name=\"partner\" value=\"{oid}\"> {}</label>",
                esc(&name)
            );
        }
        let _ = write!(
            b,
            "<details id=\"maatregel-toevoegen\"><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/maatregelen\" class=\"stack\">{csrf}\
<label>{t}<input name=\"titel\" required maxlength=\"200\"></label><label>{k}<select name=\"soort\">{kinds}</select></label><label>{o}<select name=\"eigenaar\">{owners}</select></label>\
<fieldset><legend>{pl}</legend>{partners}</fieldset><label>{d}<textarea name=\"omschrijving\" rows=\"3\" maxlength=\"20000\"></textarea></label><label>Budget (€)<input name=\"budget\" inputmode=\"decimal\"></label>\
<label>Start<input type=\"date\" name=\"start\" required></label><label>{e}<input type=\"date\" name=\"eind\"></label><button type=\"submit\">{add}</button></form></details>",
            h = lang.t("Maatregel toevoegen", "Add measure"),
            id = s.id,
            csrf = csrf_field(a),
            t = lang.t("Titel", "Title"),
            k = lang.t("Soort", "Kind"),
            o = lang.t("Eigenaar", "Owner"),
            pl = lang.t("Partners bij deze maatregel", "Partners in this measure"),
            d = lang.t("Omschrijving", "Description"),
            e = lang.t("Eind (optioneel)", "End (optional)"),
            add = lang.t("Toevoegen", "Add")
        );
    }
    // shared aggregates
    if !p.shared.is_empty() {
        let _ = write!(
            b,
            "<h2>{}</h2>",
            lang.t("Gedeelde cijfers", "Shared figures")
        );
        for x in &p.shared {
            let _ = write!(
                b,
                "<h3>{} <span class=\"dim\">({}, {})</span></h3>{}",
                esc(&x.title),
                esc(&x.org),
                esc(&format_time(x.created_at)),
                shared_html(lang, &x.body)
            );
        }
    }
    if !printable
        && policy::can_share_aggregate(actor, acc)
        && p.summary.area_code.starts_with("BU")
    {
        let mut opts = String::new();
        for (n, _) in veerkracht_sim::DEMO_SCENARIOS
            .iter()
            .filter(|(n, _)| *n != "basis")
        {
            let _ = write!(opts, "<option>{n}</option>");
        }
        let _ = write!(
            b,
            "<details id=\"delen\"><summary>{h}</summary><form method=\"post\" action=\"/plans/{id}/delen\" class=\"stack\">{csrf}<input type=\"hidden\" name=\"soort\" value=\"scenario\"><label>{sl}<select name=\"scenario\">{opts}</select></label><button type=\"submit\">{sb}</button></form><form method=\"post\" action=\"/plans/{id}/delen\" class=\"stack\">{csrf}<input type=\"hidden\" name=\"soort\" value=\"huurmix\"><button type=\"submit\">{hm}</button></form><p class=\"note\">{n}</p></details>",
            h = lang.t("Eigen cijfers delen (geaggregeerd)", "Share own figures (aggregated)"),
            id = s.id,
            csrf = csrf_field(a),
            sl = lang.t("Toewijzingsscenario tegenover de basis", "Allocation scenario against the baseline"),
            sb = lang.t("Deel de uitkomst voor deze buurt", "Share the outcome for this buurt"),
            hm = lang.t("Deel de huurmix van deze buurt (afgeschermde tellingen)", "Share this buurt's rent mix (suppressed counts)"),
            n = lang.t("Alleen uitkomsten per buurt (p5, mediaan, p95 over de runs) worden gedeeld, nooit gegevens van huishoudens of woningen.", "Only outcomes per buurt (p5, median, p95 over the runs) are shared, never household or dwelling records."),
        );
    }
    // decisions and comments
    let _ = write!(
        b,
        "<h2>{}</h2>",
        lang.t("Besluiten en opmerkingen", "Decisions and comments")
    );
    if p.comments.is_empty() {
        let _ = write!(b, "<p class=\"dim\">—</p>");
    } else {
        let skip = if printable {
            0
        } else {
            p.comments.len().saturating_sub(PAGE_COMMENTS)
        };
        if skip > 0 {
            let _ = write!(
                b,
                "<p class=\"note\">{} {} {} {}; <a href=\"/plans/{}/dossier\">{}</a>.</p>",
                lang.t("De laatste", "The latest"),
                PAGE_COMMENTS,
                lang.t("van", "of"),
                p.comments.len(),
                s.id,
                lang.t("alle staan in het dossier", "all are in the dossier")
            );
        }
        b.push_str("<ol class=\"log\">");
        for c in &p.comments[skip..] {
            let _ = write!(
                b,
                "<li><strong>{}</strong> · {} ({}) · {}<div class=\"tekst\">{}</div></li>",
                esc(match c.kind {
                    CommentKind::Besluit => lang.t("Besluit", "Decision"),
                    CommentKind::Opmerking => lang.t("Opmerking", "Comment"),
                }),
                esc(&c.author),
                esc(&c.org),
                esc(&format_time(c.created_at)),
                esc(&c.body).replace('\n', "<br>")
            );
        }
        b.push_str("</ol>");
    }
    if !printable && policy::can_comment(actor, acc, CommentKind::Opmerking) {
        let besluit = if policy::can_comment(actor, acc, CommentKind::Besluit) {
            format!(
                "<option value=\"besluit\">{}</option>",
                lang.t("besluit", "decision")
            )
        } else {
            String::new()
        };
        let _ = write!(
            b,
            "<form method=\"post\" action=\"/plans/{}/opmerkingen\" class=\"stack\">{}<label>{}<select name=\"soort\"><option value=\"opmerking\">{}</option>{besluit}</select></label><label>{}<textarea name=\"tekst\" rows=\"3\" required maxlength=\"20000\"></textarea></label><button type=\"submit\">{}</button></form>",
            s.id,
            csrf_field(a),
            lang.t("Soort", "Kind"),
            lang.t("opmerking", "comment"),
            lang.t("Tekst", "Text"),
            lang.t("Plaatsen", "Post")
        );
    }
    if !printable && !edit && !may_add && !policy::can_comment(actor, acc, CommentKind::Opmerking) {
        let _ = write!(b, "<p class=\"note\" id=\"alleen-lezen\">{}</p>", lang.t("U kunt dit plan lezen; wijzigen kan een beheerder of analist van de eigenaar of een partner.", "You can read this plan; a beheerder or analist of the owner or a partner can change it."));
    }
    // audit log
    let _ = write!(
        b,
        "<h2>{}</h2><p class=\"note\">{}</p>",
        lang.t("Logboek", "Audit log"),
        lang.t(
            "Elke wijziging: wie, wanneer, wat, ervoor en erna. Niemand kan dit logboek wijzigen.",
            "Every change: who, when, what, before and after. Nobody can change this log."
        )
    );
    let rows: Vec<Vec<String>> = log
        .iter()
        .map(|e| {
            vec![
                esc(&format_time(e.at)),
                format!(
                    "{} <span class=\"dim\">{}</span>",
                    esc(e.user.as_deref().unwrap_or("—")),
                    esc(e.org.as_deref().unwrap_or(""))
                ),
                format!("{} {}", esc(&e.entity), esc(&e.action)),
                format!(
                    "<code>{}</code>",
                    esc(&e.before.as_ref().map(|v| v.to_string()).unwrap_or_default())
                ),
                format!(
                    "<code>{}</code>",
                    esc(&e.after.as_ref().map(|v| v.to_string()).unwrap_or_default())
                ),
            ]
        })
        .collect();
    b.push_str(&html::table(
        lang.t("Logboek", "Audit log"),
        &[
            lang.t("Wanneer", "When"),
            lang.t("Wie", "Who"),
            lang.t("Wat", "What"),
            lang.t("Ervoor", "Before"),
            lang.t("Erna", "After"),
        ],
        &rows,
    ));
    b
}

/// POST /plans/{id}/bewerk
pub async fn plan_edit_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let e = PlanEdit {
            version: version_of(&f)?,
            title: Some(field(&f, "titel").to_string()),
            analysis: Some(field(&f, "probleemanalyse").to_string()),
            status: Some(field(&f, "status").to_string()).filter(|s| !s.is_empty()),
            partners: (field(&f, "partners_gezet") == "1").then(|| fields(&f, "partner")),
        };
        ws.edit_plan(&a.actor, id, e)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/doelen
pub async fn goal_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let st2 = st.clone();
    let res = run_write(move || {
        let ws = &partners_of(&st2).ws;
        let plan = ws.plan(&a.actor, id)?;
        let g = goal_input(
            &st2,
            &plan.summary.area_code,
            field(&f, "indicator"),
            field(&f, "omschrijving"),
            number("streefwaarde", field(&f, "streefwaarde"))?,
            field(&f, "streefdatum"),
        )?;
        ws.add_goal(&a.actor, id, g)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/maatregelen
pub async fn measure_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let m = NewMeasure {
            kind: field(&f, "soort").to_string(),
            title: field(&f, "titel").to_string(),
            description: field(&f, "omschrijving").to_string(),
            owner_org: field(&f, "eigenaar").parse().ok(),
            partners: fields(&f, "partner"),
            budget_cents: parse_budget(field(&f, "budget"))?,
            status: None,
            start_date: field(&f, "start").to_string(),
            end_date: Some(field(&f, "eind").to_string()),
        };
        ws.add_measure(&a.actor, id, m)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/maatregelen/{mid}
pub async fn measure_edit_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path((id, mid)): Path<(i64, i64)>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let e = MeasureEdit {
            version: version_of(&f)?,
            status: Some(field(&f, "status").to_string()),
            ..Default::default()
        };
        ws.edit_measure(&a.actor, id, mid, e)
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/opmerkingen
pub async fn comment_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let ws = partners_of(&st).ws.clone();
    let res = run_write(move || {
        let kind = CommentKind::parse("soort", field(&f, "soort"))?;
        ws.add_comment(&a.actor, id, kind, field(&f, "tekst"))
    })
    .await;
    form_done(&st, id, res)
}

/// POST /plans/{id}/delen
pub async fn share_post(
    State(st): State<Arc<AppState>>,
    Extension(a): Extension<Auth>,
    Path(id): Path<i64>,
    axum::Form(f): Form,
) -> Response {
    let Some(_slot) = partners_of(&st).heavy_slot(a.actor.user.id) else {
        return too_many_shares(&st, false);
    };
    let (kind, scenario) = (field(&f, "soort").into(), field(&f, "scenario").into());
    let res = share_into(st.clone(), a, id, kind, scenario).await;
    form_done(&st, id, res)
}

/// The plan pages and their forms.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/plans", get(plans_page).post(plans_post))
        .route("/plans/{id}", get(plan_page))
        .route("/plans/{id}/dossier", get(plan_dossier))
        .route("/plans/{id}/bewerk", post(plan_edit_post))
        .route("/plans/{id}/doelen", post(goal_post))
        .route("/plans/{id}/maatregelen", post(measure_post))
        .route("/plans/{id}/maatregelen/{mid}", post(measure_edit_post))
        .route("/plans/{id}/opmerkingen", post(comment_post))
        .route("/plans/{id}/delen", post(share_post))
}
