//! Rent mix per buurt: aggregate valued dwellings by buurt (points distribution, maximum
//! rent, actual rent against the maximum, segment shares, label distribution).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::result::Resultaat;
use crate::tables::Segment;

/// Points bands of the distribution: < 100, 100–143, 144–186, ≥ 187.
pub const PUNTEN_KLASSEN: [(&str, f64, f64); 4] = [
    ("<100", f64::NEG_INFINITY, 99.0),
    ("100-143", 100.0, 143.0),
    ("144-186", 144.0, 186.0),
    (">=187", 187.0, f64::INFINITY),
];

/// Aggregates of one buurt (or of the whole portfolio).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BuurtMix {
    /// dwellings added
    pub aantal: usize,
    /// mean total points (unrounded)
    pub gemiddelde_punten: f64,
    /// count per band of [`PUNTEN_KLASSEN`]
    pub punten_verdeling: [usize; 4],
    /// mean maximum rent including surcharges, euro a month, in whole cents
    pub gemiddelde_maximale_huur: f64,
    /// dwellings with a known actual rent
    pub aantal_met_huur: usize,
    /// mean actual rent over the dwellings with a known rent, euro a month, in whole cents;
    /// `None` when no rent is known
    pub gemiddelde_huur: Option<f64>,
    /// Σ actual rent / Σ maximum rent over dwellings with a known rent (the streefhuur share)
    pub huur_als_aandeel_van_maximum: Option<f64>,
    /// dwellings whose actual rent is above the maximum rent
    pub boven_maximum: usize,
    /// dwellings in the sociale huur segment
    pub sociaal: usize,
    /// dwellings in the middenhuur segment
    pub middenhuur: usize,
    /// dwellings in the vrije sector (dwellings without a segment count in none of the three)
    pub vrije_sector: usize,
    /// label → count ("onbekend" when not given)
    pub labels: BTreeMap<String, usize>,
    #[serde(skip)]
    som_punten: f64,
    #[serde(skip)]
    som_max: f64,
    #[serde(skip)]
    som_huur: f64,
    #[serde(skip)]
    som_max_met_huur: f64,
}

impl BuurtMix {
    /// Adds a dwelling: its points, maximum rent (with surcharge) and segment.
    fn add(
        &mut self,
        punten: f64,
        maximale_huur: f64,
        segment: Option<Segment>,
        huur: Option<f64>,
        label: Option<&str>,
    ) {
        self.aantal += 1;
        self.som_punten += punten;
        self.som_max += maximale_huur;
        if let Some(k) = PUNTEN_KLASSEN
            .iter()
            .position(|k| punten >= k.1 && punten <= k.2)
        {
            self.punten_verdeling[k] += 1;
        }
        if let Some(h) = huur {
            self.aantal_met_huur += 1;
            self.som_huur += h;
            self.som_max_met_huur += maximale_huur;
            if h > maximale_huur + 0.005 {
                self.boven_maximum += 1;
            }
        }
        match segment {
            Some(Segment::Sociaal) => self.sociaal += 1,
            Some(Segment::Middenhuur) => self.middenhuur += 1,
            Some(Segment::VrijeSector) => self.vrije_sector += 1,
            None => {}
        }
        *self
            .labels
            .entry(label.unwrap_or("onbekend").to_string())
            .or_default() += 1;
        let n = self.aantal as f64;
        self.gemiddelde_punten = self.som_punten / n;
        self.gemiddelde_maximale_huur = crate::round::cents(self.som_max / n);
        if self.aantal_met_huur > 0 {
            self.gemiddelde_huur = Some(crate::round::cents(
                self.som_huur / self.aantal_met_huur as f64,
            ));
            self.huur_als_aandeel_van_maximum = Some(self.som_huur / self.som_max_met_huur);
        }
    }
}

/// Rent mix per buurt plus the total.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RentMix {
    /// buurtcode (or "onbekend") → that buurt's aggregates
    pub buurten: BTreeMap<String, BuurtMix>,
    /// the aggregates over every dwelling added
    pub totaal: BuurtMix,
}

impl RentMix {
    /// Adds one valued dwelling (`buurt` None goes to "onbekend").
    pub fn add(
        &mut self,
        buurt: Option<&str>,
        r: &Resultaat,
        kale_huur: Option<f64>,
        label: Option<&str>,
    ) {
        self.add_parts(
            buurt,
            r.punten,
            r.maximale_huur_inclusief_opslag,
            r.segment,
            kale_huur,
            label,
        );
    }

    /// [`RentMix::add`] from a points-only valuation ([`crate::Punten`], the same numbers).
    pub fn add_punten(
        &mut self,
        buurt: Option<&str>,
        p: &crate::Punten,
        kale_huur: Option<f64>,
        label: Option<&str>,
    ) {
        self.add_parts(
            buurt,
            p.punten,
            p.maximale_huur_inclusief_opslag,
            p.segment,
            kale_huur,
            label,
        );
    }

    fn add_parts(
        &mut self,
        buurt: Option<&str>,
        punten: f64,
        maximale_huur: f64,
        segment: Option<Segment>,
        kale_huur: Option<f64>,
        label: Option<&str>,
    ) {
        self.buurten
            .entry(buurt.unwrap_or("onbekend").to_string())
            .or_default()
            .add(punten, maximale_huur, segment, kale_huur, label);
        self.totaal
            .add(punten, maximale_huur, segment, kale_huur, label);
    }

    /// Values a flat portfolio and aggregates it; rows that fail are returned with their id.
    pub fn from_flat(
        units: &[crate::flat::FlatUnit],
        opts: &crate::Options,
    ) -> (RentMix, Vec<(String, crate::WwsError)>) {
        let mut mix = RentMix::default();
        let mut errors = Vec::new();
        for u in units {
            match u.waardeer(opts) {
                Ok(r) => mix.add(
                    u.buurtcode.as_deref(),
                    &r,
                    u.kale_huur,
                    u.energielabel.as_deref(),
                ),
                Err(e) => errors.push((u.id.clone(), e)),
            }
        }
        (mix, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_of_flat_rows() {
        let csv = "eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur\n\
A;BU1;MGW;1968;62;3;D;187000;612,40\n\
B;BU1;EGW;2004;104;5;A;312000;901,15\n\
C;BU2;MGW;1985;55;2;;150000;\n";
        let units = crate::flat::parse_csv(csv).unwrap();
        let (mix, errors) = RentMix::from_flat(&units, &crate::Options::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(mix.totaal.aantal, 3);
        let b1 = &mix.buurten["BU1"];
        assert_eq!(b1.aantal, 2);
        assert_eq!(b1.aantal_met_huur, 2);
        assert!(b1.huur_als_aandeel_van_maximum.unwrap() > 0.0);
        assert_eq!(b1.labels["D"], 1);
        assert_eq!(mix.buurten["BU2"].labels["onbekend"], 1);
        assert_eq!(mix.buurten["BU2"].gemiddelde_huur, None);
        assert_eq!(
            b1.sociaal + b1.middenhuur + b1.vrije_sector,
            2,
            "every ZEL unit has a segment"
        );
        assert_eq!(b1.punten_verdeling.iter().sum::<usize>(), 2);
        let j = serde_json::to_value(&mix).unwrap();
        assert!(j["buurten"]["BU1"]["gemiddelde_punten"].is_number());
    }
}
