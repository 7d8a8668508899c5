//! Classification of rooms (§2.2)

#[allow(unused_imports)]
use super::*;

pub(crate) const VERKEER: [&str; 7] = ["HAL", "OVE", "ENT", "GAN", "TRH", "GAL", "LIF"];
pub(crate) const ALTIJD_VERTREK: [&str; 4] = ["KEU", "BAD", "BAT", "DOU"];
pub(crate) const BUITEN: [&str; 11] = [
    "ATR", "ATU", "BAL", "ZIJ", "VTU", "DAK", "TER", "TUI", "RON", "LOG", "OBU",
];
pub(crate) const VERTREK_OF_OVERIG: [&str; 19] = [
    "WOO", "WSL", "WOK", "WSK", "SLA", "OVT", "BIJ", "BER", "BEG", "WAS", "KEL", "SER", "SCH",
    "TUS", "CON", "REC", "ORU", "TOI", "GAR",
];
pub(crate) const ZOLDER: [&str; 2] = ["ZOL", "ZVT"];

/// A three-letter code as a number (other lengths: 0, which no code table holds).
pub(crate) const fn c3(s: &str) -> u32 {
    let b = s.as_bytes();
    if b.len() == 3 {
        b[0] as u32 | (b[1] as u32) << 8 | (b[2] as u32) << 16
    } else {
        0
    }
}

pub(crate) const fn c3s<const N: usize>(t: [&str; N]) -> [u32; N] {
    let mut out = [0u32; N];
    let mut i = 0;
    while i < N {
        out[i] = c3(t[i]);
        i += 1;
    }
    out
}

pub(crate) const VERKEER_C: [u32; 7] = c3s(VERKEER);
pub(crate) const ALTIJD_VERTREK_C: [u32; 4] = c3s(ALTIJD_VERTREK);
pub(crate) const BUITEN_C: [u32; 11] = c3s(BUITEN);
pub(crate) const VERTREK_OF_OVERIG_C: [u32; 19] = c3s(VERTREK_OF_OVERIG);
pub(crate) const ZOLDER_C: [u32; 2] = c3s(ZOLDER);

/// The WWS class of a room ([`classificeer`]): which rubriek values its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Klasse {
    /// a vertrek (living room, bedroom, kitchen, bathroom, …): area in rubriek 1
    Vertrek,
    /// an overige ruimte (storage, attic, …): area in rubriek 2
    Overig,
    /// a verkeersruimte (hall, landing, stairs): no points for its area
    Verkeer,
    /// a buitenruimte (balcony, garden, roof terrace): the buitenruimten rubriek
    Buiten,
}

pub(crate) fn gedeeld_met_adressen(r: &Ruimte) -> bool {
    r.gedeeld_met_aantal_adressen.is_some_and(|n| n >= 2)
}

pub(crate) fn gedeeld_met_onz(r: &Ruimte) -> bool {
    r.gedeeld_met_aantal_onzelfstandige_woonruimten
        .is_some_and(|n| n >= 2)
}

pub(crate) fn is_prive(r: &Ruimte) -> bool {
    !gedeeld_met_adressen(r) && !gedeeld_met_onz(r)
}

/// §2.2.4: the net area of fixed cupboards opening onto a room counts with that room
/// (not for verkeersruimten).
pub(crate) fn oppervlakte_kasten(r: &Ruimte) -> f64 {
    match &r.detail_soort {
        None => 0.0,
        Some(d) if VERKEER_C.contains(&c3(d)) => 0.0,
        _ => r
            .verbonden_ruimten
            .iter()
            .filter(|v| v.is_detail("KAS"))
            .filter_map(|v| v.oppervlakte)
            .sum(),
    }
}

pub(crate) fn oppervlakte_met_kasten(r: &Ruimte) -> f64 {
    match r.oppervlakte {
        None => 0.0,
        Some(o) => o + oppervlakte_kasten(r),
    }
}

pub(crate) fn aantal_kasten(r: &Ruimte) -> usize {
    match &r.detail_soort {
        Some(d) if !VERKEER_C.contains(&c3(d)) => r
            .verbonden_ruimten
            .iter()
            .filter(|v| v.is_detail("KAS"))
            .count(),
        _ => 0,
    }
}

/// Criterium name with the counted cupboards: "Slaapkamer (+2 kasten)".
pub(crate) fn naam_met_kasten(r: &Ruimte) -> String {
    let n = r.weergavenaam();
    if r.oppervlakte.is_none() {
        return n;
    }
    match aantal_kasten(r) {
        0 => n,
        1 => format!("{n} (+1 kast)"),
        k => format!("{n} (+{k} kasten)"),
    }
}

/// Criterium-id segment of a room line named `naam`: the room id, or (without id) the
/// line's name in lower case with underscores, as the reference derives it.
pub(crate) fn seg_naam(r: &Ruimte, naam: &str) -> String {
    match &r.id {
        Some(id) if !id.is_empty() => id.clone(),
        _ => naam.to_lowercase().replace(' ', "_"),
    }
}

/// [`seg_naam`] of a line named [`naam_met_kasten`], the name built only without id.
pub(crate) fn seg_naam_met_kasten(r: &Ruimte) -> Cow<'_, str> {
    match &r.id {
        Some(id) if !id.is_empty() => Cow::Borrowed(id),
        _ => Cow::Owned(naam_met_kasten(r).to_lowercase().replace(' ', "_")),
    }
}

/// A zolder is reachable by a fixed stair unless only a vlizotrap is modelled.
pub(crate) fn heeft_vaste_trap(r: &Ruimte) -> bool {
    r.has_element("TRA") || !r.has_element("VTR")
}

/// WWS class of a room, or `None` when it is not valued in rubriek 1/2 (§2.2.1–2.2.3).
pub fn classificeer(r: &Ruimte) -> Option<Klasse> {
    r.oppervlakte?;
    let soort = r.soort.as_deref()?;
    let d = r.detail_soort.as_deref()?;
    let opp = oppervlakte_met_kasten(r);
    let dc = c3(d);
    if soort == "VRK" || VERKEER_C.contains(&dc) {
        return Some(Klasse::Verkeer);
    }
    if BUITEN_C.contains(&dc)
        || (d == "CAR" && is_prive(r))
        || (d == "PAR" && soort == "BTR" && is_prive(r))
    {
        return Some(Klasse::Buiten);
    }
    if ALTIJD_VERTREK_C.contains(&dc) {
        return Some(Klasse::Vertrek);
    }
    if d == "CAR" {
        return None;
    }
    if ZOLDER_C.contains(&dc) {
        // §2.2.1.3: a zoldervertrek reachable by a fixed stair, ≥ 4 m², is a vertrek
        if soort == "VTK" && d == "ZVT" && heeft_vaste_trap(r) && opp >= 4.0 - 1e-9 {
            return Some(Klasse::Vertrek);
        }
        // §2.2.2.3: otherwise an overige ruimte from 2 m²
        if (soort == "VTK" || soort == "OVR") && opp >= 2.0 - 1e-9 {
            return Some(Klasse::Overig);
        }
        return None;
    }
    if d == "PAR" && soort == "OVR" && !gedeeld_met_adressen(r) && opp >= 2.0 - 1e-9 {
        return Some(Klasse::Overig);
    }
    if d == "PAR" {
        return None;
    }
    if VERTREK_OF_OVERIG_C.contains(&dc) {
        if soort == "VTK" {
            if opp >= 4.0 - 1e-9 {
                return Some(Klasse::Vertrek);
            }
            if opp >= 2.0 - 1e-9 {
                return Some(Klasse::Overig);
            }
        }
        if soort == "OVR" {
            if d == "GAR" && gedeeld_met_adressen(r) {
                return None;
            }
            if opp >= 2.0 - 1e-9 {
                return Some(Klasse::Overig);
            }
        }
    }
    None
}
