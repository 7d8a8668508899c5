//! Rubriek 10: gemeenschappelijke parkeerruimten. Type I (closed garage) 9, type II
//! (covered, carport) 6, type III (open) 4 points per place ≥ 12 m², +2 per charging
//! point, divided by the addresses (× rooms) sharing it.

#[allow(unused_imports)]
use super::*;

pub(crate) const VERVALLEN_PARKEERGARAGE: [&str; 4] = ["OPN", "OPS", "PNS", "PSP"];

pub(crate) fn parkeertype(r: &Ruimte) -> Option<&'static str> {
    let d = r.detail_soort.as_deref()?;
    if let Some(p) = PARKEER_ALTIJD_GPA.iter().find(|p| p.0 == d) {
        return Some(p.1);
    }
    if let Some(p) = PARKEER_BUI_OF_GPA.iter().find(|p| p.0 == d)
        && !is_prive(r)
    {
        return Some(p.1);
    }
    None
}

pub(crate) fn parkeerruimte(ctx: &mut Ctx, g: &mut Groep, r: &Ruimte, i: usize) {
    let Some(d) = r.detail_soort.as_deref() else {
        return;
    };
    let f = format!("eenheid.ruimten[{i}]");
    if VERVALLEN_PARKEERGARAGE.contains(&d) {
        ctx.warn(
            format!("{f}.detailSoort"),
            format!("parkeerruimte-detailsoort {d} wordt niet meer gebruikt: geef PIP, PUP, PBD of PBC; niet gewaardeerd"),
        );
        return;
    }
    let Some(ty) = parkeertype(r) else { return };
    if d == "PAR" {
        ctx.warn(
            format!("{f}.detailSoort"),
            "gedeelde parkeerplaats (PAR): gewaardeerd als parkeerplek buiten behorend bij complex (type III)",
        );
    }
    let Some(opp) = r.oppervlakte else {
        ctx.warn(
            format!("{f}.oppervlakte"),
            "parkeerruimte zonder oppervlakte: niet gewaardeerd",
        );
        return;
    };
    if r.gedeeld_met_aantal_adressen.is_none() {
        ctx.warn(
            format!("{f}.gedeeldMetAantalAdressen"),
            "parkeerruimte zonder gedeeldMetAantalAdressen: als privé gewaardeerd",
        );
    }
    if opp < 12.0 {
        return;
    }
    let adr = r.gedeeld_met_aantal_adressen.unwrap_or(1).max(1);
    let onz = r
        .gedeeld_met_aantal_onzelfstandige_woonruimten
        .unwrap_or(1)
        .max(1);
    let laag = gedeeld_met_laag(g, None, adr, onz);
    let deler = f64::from(deler(r));
    let plekken = r.aantal.unwrap_or(1);
    let rb = ctx.t.beleid(ctx.peildatum).rubrieken;
    let punten = match ty {
        "Type I" => rb.gpa_type_i,
        "Type II" => rb.gpa_type_ii,
        _ => rb.gpa_type_iii,
    };
    let naam = r.weergavenaam();
    let cid = format!("{naam}_{ty}").to_lowercase().replace(' ', "_");
    let tel_op = |g: &mut Groep, seg: &str, naam: String, aantal: u32, pts: f64| {
        let id = g.child_id(&laag, seg);
        if !g.has(&id) {
            g.add_under(&laag, seg, naam);
            g.last().meeteenheid = Some(Meeteenheid::Stuks);
        }
        let w = g.line_mut(&id).expect("added");
        w.aantal = Some(w.aantal.unwrap_or(0.0) + f64::from(aantal));
        w.punten = Some(w.punten.unwrap_or(0.0) + pts);
    };
    tel_op(
        g,
        &cid,
        format!("{naam} ({ty})"),
        plekken,
        punten * f64::from(plekken) / deler,
    );
    let laadpalen = r
        .bouwkundige_elementen
        .iter()
        .filter(|e| e.code.as_deref() == Some("LAA"))
        .count() as u32
        * plekken;
    if laadpalen > 0 {
        tel_op(
            g,
            &format!("{cid}_laadpaal"),
            "Laadpaal".to_string(),
            laadpalen,
            2.0 * f64::from(laadpalen) / deler,
        );
    }
}

pub(crate) fn gpa(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    if e.ruimten.is_empty() {
        ctx.warn(
            "eenheid.ruimten",
            "geen ruimten: geen punten voor gemeenschappelijke parkeerruimten",
        );
    }
    for (i, r) in e.ruimten.iter().enumerate() {
        parkeerruimte(ctx, g, r, i);
    }
    finish(g);
}
