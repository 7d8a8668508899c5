//! The ZEL stelselgroepen (rubrieken): codes, names and criterium-id prefixes, shared by the
//! valuation (`zel`) and the result structure (`result`). A leaf: it imports nothing.

/// (code, naam, id prefix) of the ZEL stelselgroepen, in output order.
pub const GROEPEN: [(&str, &str, &str); 12] = [
    (
        "OVZ",
        "Oppervlakte van vertrekken",
        "oppervlakte_van_vertrekken",
    ),
    (
        "OOZ",
        "Oppervlakte van overige ruimten",
        "oppervlakte_van_overige_ruimten",
    ),
    (
        "VKV",
        "Verkoeling en verwarming",
        "verkoeling_en_verwarming",
    ),
    ("BUI", "Buitenruimten", "buitenruimten"),
    ("ENE", "Energieprestatie", "energieprestatie"),
    ("KEU", "Keuken", "keuken"),
    ("SAN", "Sanitair", "sanitair"),
    (
        "GPA",
        "Gemeenschappelijke parkeerruimten",
        "gemeenschappelijke_parkeerruimten",
    ),
    (
        "GVR",
        "Gemeenschappelijke vertrekken, overige ruimten en voorzieningen",
        "gemeenschappelijke_vertrekken_overige_ruimten_en_voorzieningen",
    ),
    (
        "WOZ",
        "Punten voor de WOZ-waarde",
        "punten_voor_de_woz_waarde",
    ),
    (
        "BIJ",
        "Bijzondere voorzieningen",
        "bijzondere_voorzieningen",
    ),
    (
        "PMN",
        "Prijsopslag monumenten en nieuwbouw",
        "prijsopslag_monumenten_en_nieuwbouw",
    ),
];

/// The criterium-id prefix of a stelselgroep code.
pub fn prefix_of(code: &str) -> &'static str {
    match code {
        "GBA" => return "gemeenschappelijke_binnenruimten_gedeeld_met_meerdere_adressen",
        "AFT" => return "aftrekpunten",
        "PMO" => return "prijsopslag_monumenten",
        _ => {}
    }
    GROEPEN
        .iter()
        .find(|g| g.0 == code)
        .map(|g| g.2)
        .unwrap_or("onbekend")
}

pub(crate) fn naam_of(code: &str) -> &'static str {
    GROEPEN
        .iter()
        .find(|g| g.0 == code)
        .map(|g| g.1)
        .unwrap_or("Onbekend")
}
