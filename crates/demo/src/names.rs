//! Invented, neutral Dutch-sounding place names.

use std::collections::BTreeSet;

use crate::rng::{Draw, Rng};

/// Wijk names of Veerstad besides `Centrum` and `Havenkwartier`, roughly clockwise from the
/// north so that compass words land on the right side of town.
pub(crate) const WIJK_NAMES: [&str; 13] = [
    "Noorderhof",
    "Veerhoven",
    "Oosterpark",
    "Molenbroek",
    "Oostervelden",
    "Zuiderveld",
    "Lindenhof",
    "De Akkers",
    "Zuidwest",
    "Westerkwartier",
    "Kreekrijk",
    "Dijkzicht",
    "Noordwest",
];

const STEMS: [&str; 40] = [
    "Bloemen",
    "Vogel",
    "Schilders",
    "Componisten",
    "Molen",
    "Linden",
    "Eiken",
    "Beuken",
    "Kastanje",
    "Wilgen",
    "Rozen",
    "Sterren",
    "Dichters",
    "Heide",
    "Akker",
    "Bosch",
    "Dijk",
    "Kerk",
    "Markt",
    "Sluis",
    "Polder",
    "Veld",
    "Brink",
    "Esch",
    "Kamp",
    "Weide",
    "Berken",
    "Elzen",
    "Iepen",
    "Vlinder",
    "Zeehelden",
    "Planeten",
    "Tuinders",
    "Vissers",
    "Riet",
    "Hoven",
    "Klaver",
    "Lavendel",
    "Distel",
    "Haver",
];

const SUFFIXES: [&str; 12] = [
    "buurt", "wijk", "kwartier", "hof", "park", "rijk", "veld", "laan", "dreef", "hoek", "kamp",
    "weide",
];

const PREFIXED: [&str; 10] = [
    "De Gaarde",
    "De Horst",
    "Het Ven",
    "De Brink",
    "Het Hoge",
    "De Wielen",
    "Het Laar",
    "De Kamp",
    "De Meent",
    "Het Zand",
];

const GEMEENTE_HEADS: [&str; 30] = [
    "Aal", "Berg", "Bree", "Dal", "Eem", "Graft", "Hol", "Kam", "Lin", "Meer", "Nij", "Oost",
    "Rijn", "Stad", "Veld", "Wes", "Zand", "Mol", "Ha", "Bur", "Ter", "Ven", "Wol", "Lo", "Bre",
    "Hul", "Oud", "Nieuw", "Hoog", "Laag",
];

const GEMEENTE_TAILS: [&str; 16] = [
    "dam", "dijk", "hoven", "wijk", "veen", "horst", "broek", "lo", "burg", "ende", "haar", "rode",
    "meer", "sloot", "zand", "stein",
];

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.index(items.len())]
}

/// One random buurt name.
pub(crate) fn buurt_name(rng: &mut Rng) -> String {
    match rng.index(10) {
        0 => pick(rng, &PREFIXED).to_string(),
        1 => format!(
            "{}{}-{}",
            pick(rng, &STEMS),
            pick(rng, &SUFFIXES),
            pick(rng, &["Noord", "Zuid", "Oost", "West"])
        ),
        _ => format!("{}{}", pick(rng, &STEMS), pick(rng, &SUFFIXES)),
    }
}

/// A buurt name not yet in `used` (which is updated).
pub(crate) fn unique_buurt_name(rng: &mut Rng, used: &mut BTreeSet<String>) -> String {
    loop {
        let name = buurt_name(rng);
        if used.insert(name.clone()) {
            return name;
        }
    }
}

/// `n` distinct gemeente names.
pub(crate) fn gemeente_names(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut used = BTreeSet::new();
    let mut names = Vec::with_capacity(n);
    while names.len() < n {
        let name = format!(
            "{}{}",
            pick(rng, &GEMEENTE_HEADS),
            pick(rng, &GEMEENTE_TAILS)
        );
        let name = if used.contains(&name) {
            format!(
                "{name} aan de {}",
                pick(rng, &["Veer", "Aa", "Eem", "Linde"])
            )
        } else {
            name
        };
        if used.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}
