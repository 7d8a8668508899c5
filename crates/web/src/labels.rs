//! The words and colours of the index classes, the signal's quadrants and the LISA clusters,
//! in Dutch and English (Okabe–Ito colours, colour-blind safe).

use veerkracht_index::Class;
use veerkracht_index::signal::Quadrant;

use crate::html::Lang;
use crate::html::OKABE_ITO;

pub fn class_index(c: Class) -> usize {
    match c {
        Class::VeelAandachtNodig => 0,
        Class::AandachtNodig => 1,
        Class::Gemiddeld => 2,
        Class::Veerkrachtig => 3,
        Class::ZeerVeerkrachtig => 4,
    }
}

pub fn class_label(lang: Lang, c: Class) -> &'static str {
    match lang {
        Lang::Nl => c.label_nl(),
        Lang::En => c.label_en(),
    }
}

pub const CLASSES: [Class; 5] = [
    Class::VeelAandachtNodig,
    Class::AandachtNodig,
    Class::Gemiddeld,
    Class::Veerkrachtig,
    Class::ZeerVeerkrachtig,
];

pub fn quadrant_label(lang: Lang, q: Quadrant) -> &'static str {
    match (lang, q) {
        (Lang::Nl, q) => q.label_nl(),
        (Lang::En, Quadrant::VeerkrachtOnderDruk) => "vulnerability ↑ and pressure ↑",
        (Lang::En, Quadrant::Veerkrachtig) => "vulnerability ↑, pressure not",
        (Lang::En, Quadrant::DrukStijgt) => "pressure ↑, vulnerability not",
        (Lang::En, Quadrant::StabielOfVerbetering) => "stable or improving",
    }
}

pub const QUADRANTS: [Quadrant; 4] = [
    Quadrant::VeerkrachtOnderDruk,
    Quadrant::Veerkrachtig,
    Quadrant::DrukStijgt,
    Quadrant::StabielOfVerbetering,
];

pub(crate) fn quadrant_colour(q: Quadrant) -> &'static str {
    match q {
        Quadrant::VeerkrachtOnderDruk => OKABE_ITO[5],
        Quadrant::Veerkrachtig => OKABE_ITO[0],
        Quadrant::DrukStijgt => OKABE_ITO[6],
        Quadrant::StabielOfVerbetering => OKABE_ITO[1],
    }
}

/// LISA cluster colours (Okabe–Ito): hoog-hoog, laag-laag, hoog-laag, laag-hoog.
pub fn cluster_colour(label: &str) -> &'static str {
    match label {
        "hoog-hoog" => OKABE_ITO[2],
        "laag-laag" => OKABE_ITO[5],
        "hoog-laag" => OKABE_ITO[1],
        "laag-hoog" => OKABE_ITO[0],
        _ => "#f0f0f0",
    }
}

pub fn cluster_label(lang: Lang, label: &str) -> &str {
    match (lang, label) {
        (Lang::En, "hoog-hoog") => "high score among high (cluster)",
        (Lang::En, "laag-laag") => "low score among low (cluster)",
        (Lang::En, "hoog-laag") => "high among low (outlier)",
        (Lang::En, "laag-hoog") => "low among high (outlier)",
        (Lang::En, "niet significant") => "not significant",
        (Lang::En, "geen buren") => "no neighbours",
        (Lang::Nl, "hoog-hoog") => "hoge score tussen hoge (cluster)",
        (Lang::Nl, "laag-laag") => "lage score tussen lage (cluster)",
        (Lang::Nl, "hoog-laag") => "hoog tussen laag (uitschieter)",
        (Lang::Nl, "laag-hoog") => "laag tussen hoog (uitschieter)",
        (_, l) => l,
    }
}
