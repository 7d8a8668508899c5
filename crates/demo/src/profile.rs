//! The per-area generator: from a few latent traits to all KWB base quantities of one year.
//!
//! The same generator serves the Veerstad buurten, the national benchmark and the `Nederland`
//! row. Relations are deliberately simple and monotone: deprivation (`dep`, a z-score) lowers
//! income, WOZ and labour participation and raises benefits, Wmo use, youth care and low-income
//! shares; urbanity raises density, apartments and amenities. Noise is mostly *static* per area
//! (the same factor every year) with a small yearly wobble, so that time series are smooth.

use crate::alloc::split;
use crate::quantity::{Base, Q};
use crate::rng::{self, Draw, Rng, tag};
use rand::RngExt;

/// First edition year; year-dependent factors are indexed from here.
pub(crate) const FIRST_YEAR: i32 = 2019;

/// What kind of area a buurt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Ordinary residential buurt.
    Residential,
    /// Sparsely populated outer area (exercises small-number suppression).
    Rural,
    /// Business park without inhabitants.
    Business,
    /// Park without inhabitants.
    Park,
}

impl Kind {
    /// Whether the area has dwellings and inhabitants.
    pub(crate) fn inhabited(self) -> bool {
        matches!(self, Kind::Residential | Kind::Rural)
    }
}

/// The few numbers a caller decides about an area; [`Traits::derive`] fills in the rest.
#[derive(Clone, Debug)]
pub(crate) struct Sketch {
    pub kind: Kind,
    /// Urbanity, 0 (outskirts) … 1 (city centre).
    pub urban: f64,
    /// Share of dwellings owned by housing corporations.
    pub corp: f64,
    /// Mean construction year of the stock.
    pub era: f64,
    pub land_ha: f64,
    pub water_ha: f64,
    /// Dwellings per hectare of land.
    pub density: f64,
}

/// Stable characteristics of an area.
#[derive(Clone, Debug)]
pub(crate) struct Traits {
    pub kind: Kind,
    pub urban: f64,
    /// Family orientation, −1 (young singles) … 1 (families).
    pub family: f64,
    /// Extra ageing, −1 … 1.
    pub elderly: f64,
    pub era: f64,
    /// Share of multi-family dwellings.
    pub apartments: f64,
    pub corp: f64,
    /// Share of dwellings owned by other landlords.
    pub private_rent: f64,
    /// Dwellings in [`FIRST_YEAR`].
    pub dwellings: f64,
    /// Yearly growth of the stock.
    pub growth: f64,
    pub land_ha: f64,
    pub water_ha: f64,
    /// Share of dwellings on district heating.
    pub heat_net: f64,
    /// Proximity of amenities, 0 (far) … 1 (next door).
    pub amenity: f64,
    /// Most common 4-digit postcode and its coverage class (1 … 6).
    pub postcode: u16,
    pub postcode_cover: u8,
    /// Scale of all noise (1 for areas, 0 for exact national totals).
    pub noise: f64,
    pub noise_seed: u64,
}

/// The year-dependent state of an area.
#[derive(Clone, Copy, Debug)]
pub(crate) struct YearState {
    pub year: i32,
    /// Deprivation z-score in this year.
    pub dep: f64,
    /// Change of the corporation share since [`FIRST_YEAR`].
    pub corp_shift: f64,
}

impl Traits {
    /// Completes a sketch with drawn secondary traits.
    pub(crate) fn derive(s: &Sketch, rng: &mut Rng) -> Traits {
        let family = (0.7 * (1.0 - s.urban) - 0.35 + rng.gauss(0.0, 0.25)).clamp(-1.0, 1.0);
        let ageing_era = if (1958.0..1985.0).contains(&s.era) {
            0.15
        } else {
            0.0
        };
        let elderly = (rng.gauss(ageing_era, 0.35)).clamp(-1.0, 1.0);
        let apartments = (0.12 + 0.65 * s.urban + 0.35 * s.corp - 0.15 * family
            + rng.gauss(0.0, 0.08))
        .clamp(0.02, 0.97);
        let private_rent = (0.04 + 0.22 * s.urban + rng.gauss(0.0, 0.04))
            .clamp(0.01, 0.4)
            .min(0.97 - s.corp);
        Traits {
            kind: s.kind,
            urban: s.urban,
            family,
            elderly,
            era: s.era,
            apartments,
            corp: s.corp,
            private_rent,
            dwellings: if s.kind.inhabited() {
                (s.land_ha * s.density).max(1.0)
            } else {
                0.0
            },
            growth: 0.003 + rng.gauss(0.0, 0.004).abs(),
            land_ha: s.land_ha,
            water_ha: s.water_ha,
            heat_net: (0.02 + rng.gauss(0.0, 0.02)).clamp(0.0, 0.1),
            amenity: (0.15 + 0.8 * s.urban + rng.gauss(0.0, 0.1)).clamp(0.03, 1.0),
            postcode: 1000,
            postcode_cover: 1 + (rng.random::<u8>() % 4).saturating_sub(1),
            noise: 1.0,
            noise_seed: rng.random(),
        }
    }

    /// Dwellings in `year`.
    pub(crate) fn dwellings_in(&self, year: i32) -> f64 {
        (self.dwellings * (1.0 + self.growth).powi(year - FIRST_YEAR)).round()
    }
}

/// A value per edition 2019 … 2024 (clamped outside that range).
fn by_year(table: [f64; 6], year: i32) -> f64 {
    table[(year - FIRST_YEAR).clamp(0, 5) as usize]
}

/// `num / den`, or 0 for an empty denominator.
fn share(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { 0.0 }
}

/// Noise source: a static stream (same every year) and a yearly stream.
struct Noise {
    fixed: Rng,
    yearly: Rng,
    scale: f64,
}

impl Noise {
    fn new(traits: &Traits, year: i32) -> Self {
        Noise {
            fixed: rng::stream(traits.noise_seed, &[tag::STATIC_NOISE]),
            yearly: rng::stream(traits.noise_seed, &[tag::YEAR_NOISE, year as u64]),
            scale: traits.noise,
        }
    }

    /// Mostly static log-normal factor with log-sd `sd`.
    fn vary(&mut self, sd: f64) -> f64 {
        let z = self.fixed.normal() + 0.2 * self.yearly.normal();
        (self.scale * sd * z).exp()
    }

    /// Purely yearly log-normal factor (for event counts).
    fn fluct(&mut self, sd: f64) -> f64 {
        (self.scale * sd * self.yearly.normal()).exp()
    }
}

/// Generates all base quantities of one area in one year.
pub(crate) fn base(traits: &Traits, state: &YearState) -> Base {
    let mut g = Gen {
        t: traits,
        dep: state.dep,
        year: state.year,
        corp: (traits.corp + state.corp_shift).clamp(0.0, 0.97),
        noise: Noise::new(traits, state.year),
        b: Base::zero(),
    };
    g.housing();
    g.households();
    g.population();
    g.education_and_labour();
    g.income();
    g.care_and_benefits();
    g.businesses();
    g.vehicles();
    g.amenities();
    g.energy();
    g.area_and_urbanity();
    g.b
}

struct Gen<'a> {
    t: &'a Traits,
    dep: f64,
    year: i32,
    corp: f64,
    noise: Noise,
    b: Base,
}

impl Gen<'_> {
    fn set(&mut self, qs: &[Q], values: &[f64]) {
        for (&q, &v) in qs.iter().zip(values) {
            self.b[q] = v;
        }
    }

    fn rounded(&self, q: Q, rate: f64) -> f64 {
        (self.b[q] * rate).round()
    }

    fn housing(&mut self) {
        let t = self.t;
        let w = t.dwellings_in(self.year);
        self.b[Q::Woning] = w;
        let ap = (t.apartments * self.noise.vary(0.05)).clamp(0.0, 1.0);
        let egw_weights = [
            0.45,
            0.22,
            0.13 + 0.2 * (1.0 - t.urban),
            0.03 + 0.25 * (1.0 - t.urban).powi(3),
        ];
        let egw_sum: f64 = egw_weights.iter().sum();
        let [n_ap, tw, hw, tk, vw] = split(
            w,
            [
                ap,
                (1.0 - ap) * egw_weights[0] / egw_sum,
                (1.0 - ap) * egw_weights[1] / egw_sum,
                (1.0 - ap) * egw_weights[2] / egw_sum,
                (1.0 - ap) * egw_weights[3] / egw_sum,
            ],
        );
        self.set(
            &[Q::Ap, Q::Tw, Q::Hw, Q::Tk, Q::Vw],
            &[n_ap, tw, hw, tk, vw],
        );
        self.b[Q::Egw] = w - n_ap;

        let eow = (0.002 * self.noise.vary(0.3)).min(0.004);
        let ov = t.private_rent.min(1.0 - self.corp - eow).max(0.0);
        let koop = (1.0 - self.corp - ov - eow).max(0.0);
        let [k, c, o, e] = split(w, [koop, self.corp, ov, eow]);
        self.set(
            &[Q::Koop, Q::Corp, Q::OvHuur, Q::Eow, Q::Huur],
            &[k, c, o, e, c + o],
        );

        let vacancy = ((0.03 + 0.03 * t.urban) * self.noise.vary(0.3)).clamp(0.005, 0.2);
        self.b[Q::Bewoond] = (w * (1.0 - vacancy)).round();
        let pre2000 = 1.0 / (1.0 + (-(2000.0 - t.era) / 18.0).exp());
        self.b[Q::Pre2000] = (w * (pre2000 * self.noise.vary(0.05)).min(1.0)).round();
        self.b[Q::Stadsv] = (w * t.heat_net).round();

        let mix = 0.72 * ap + 1.12 * (1.0 - ap) + 0.4 * share(vw, w);
        let woz = 205.0
            * by_year([1.0, 1.07, 1.15, 1.33, 1.53, 1.50], self.year)
            * (-0.16 * self.dep).exp()
            * (1.0 + 0.3 * t.urban)
            * mix
            * self.noise.vary(0.12);
        self.b[Q::WozSum] = woz * w;
        self.b[Q::WozN] = w;
    }

    fn households(&mut self) {
        let t = self.t;
        let hh = self.b[Q::Bewoond];
        let single =
            ((0.37 + 0.2 * t.urban - 0.12 * t.family + 0.05 * self.dep + 0.06 * t.elderly)
                * self.noise.vary(0.06))
            .clamp(0.12, 0.85);
        let kids = (0.33 + 0.18 * t.family - 0.12 * t.urban - 0.08 * t.elderly).clamp(0.05, 0.7);
        let couples = (1.0 - single - kids).max(0.05);
        let [h1, hz, hk] = split(hh, [single, couples, kids]);
        self.set(&[Q::Hh, Q::Hh1p, Q::HhZk, Q::HhMk], &[hh, h1, hz, hk]);
        let family_size = 3.75 + 0.25 * t.family + 0.15 * self.dep.max(0.0);
        self.b[Q::HhPers] = (h1 + 2.0 * hz + family_size * hk).round();
    }

    fn population(&mut self) {
        let t = self.t;
        let institutional = 1.012 + 0.04 * t.elderly.max(0.0);
        let inw = (self.b[Q::HhPers] * institutional).round();
        self.b[Q::Inw] = inw;
        let old = t.elderly.max(0.0);
        let ages = [
            0.155 + 0.06 * t.family - 0.04 * t.urban - 0.03 * old,
            0.12 + 0.05 * t.urban + 0.01 * t.family,
            0.25 + 0.10 * t.urban - 0.02 * t.family - 0.03 * old,
            0.265 - 0.04 * t.urban + 0.02 * t.family,
            0.20 + 0.09 * t.elderly - 0.05 * t.urban,
        ]
        .map(|w| w.max(0.02) * self.noise.vary(0.05));
        let parts = split(inw, ages);
        self.set(&[Q::A0014, Q::A1524, Q::A2544, Q::A4564, Q::A65oo], &parts);
        let share65 = share(parts[4], inw);
        let share0014 = share(parts[0], inw);

        let [man, vrouw] = split(
            inw,
            [0.497 + 0.01 * t.urban - 0.03 * (share65 - 0.2), 0.503],
        );
        self.set(&[Q::Man, Q::Vrouw], &[man, vrouw]);

        let marital = split(
            inw,
            [
                0.47 + 0.08 * t.urban + 0.04 * self.dep + (share0014 - 0.155),
                0.37 - 0.08 * t.urban - 0.04 * self.dep + 0.03 * t.family,
                0.08 + 0.015 * self.dep,
                (0.05 + 0.2 * (share65 - 0.2)).max(0.005),
            ],
        );
        self.set(&[Q::Ongeh, Q::Gehuwd, Q::Gesch, Q::Verwed], &marital);
        self.origin(inw);

        self.b[Q::Geb] = (parts[2] * 0.032 * (1.0 + 0.3 * t.family) * self.noise.fluct(0.08))
            .round()
            .max(0.0);
        self.b[Q::Ste] =
            ((parts[4] * 0.045 + (inw - parts[4]) * 0.0008) * self.noise.fluct(0.08)).round();
        self.b[Q::Jeugd] = parts[0] + (parts[1] * 0.3).round();
        self.b[Q::Pop1575] = parts[1] + parts[2] + parts[3] + (parts[4] * 0.45).round();
    }

    fn origin(&mut self, inw: f64) {
        let t = self.t;
        let outside =
            (0.16 * (0.5 * self.dep).exp() * (1.0 + 0.35 * t.urban) * self.noise.vary(0.2))
                .clamp(0.02, 0.8);
        let europe = (0.10 * (1.0 + 0.3 * t.urban) * self.noise.vary(0.2)).clamp(0.02, 0.3);
        let dutch = (1.0 - outside - europe).max(0.1);
        let [nl, eu, ne] = split(inw, [dutch, europe, outside]);
        let geb_eu = (eu * 0.35).round();
        let geb_ne = (ne * 0.47).round();
        self.set(
            &[Q::GebNl, Q::GebEu, Q::GblEu, Q::GebNe, Q::GblNe],
            &[nl, geb_eu, eu - geb_eu, geb_ne, ne - geb_ne],
        );
    }

    fn education_and_labour(&mut self) {
        let t = self.t;
        let total = self.rounded(Q::Pop1575, 0.97);
        let low = 0.25 * (0.35 * self.dep).exp() * self.noise.vary(0.1);
        let high = 0.36 * (-0.4 * self.dep).exp() * (1.0 + 0.25 * t.urban) * self.noise.vary(0.1);
        let mid = (1.0 - low - high).max(0.15);
        let levels = split(total, [low, mid, high]);
        self.set(&[Q::OplLg, Q::OplMd, Q::OplHg], &levels);

        let participation =
            ((0.70 - 0.055 * self.dep + 0.02 * t.urban) * self.noise.vary(0.03)).clamp(0.35, 0.85);
        let arb = self.rounded(Q::Pop1575, participation);
        let self_employed = (0.16 - 0.02 * self.dep + 0.02 * (1.0 - t.urban)).clamp(0.05, 0.35);
        let zs = (arb * self_employed).round();
        self.set(&[Q::Arb, Q::ArbZs, Q::ArbWn], &[arb, zs, arb - zs]);
    }

    fn income(&mut self) {
        let t = self.t;
        let b = &self.b;
        let index = by_year([1.0, 1.02, 1.05, 1.09, 1.15, 1.20], self.year);
        let owners = share(b[Q::Koop], b[Q::Woning]);
        let recipients = ((b[Q::Inw] - b[Q::A0014] - 0.45 * b[Q::A1524]) * 0.97).round();
        let per_recipient = 32.0
            * index
            * (-0.17 * self.dep).exp()
            * (1.0 + 0.06 * t.urban)
            * (1.0 + 0.25 * (owners - 0.57))
            * self.noise.vary(0.07);
        let persons = self.rounded(Q::Inw, 0.96);
        let households = self.rounded(Q::Hh, 0.97);
        self.set(
            &[Q::Inkont, Q::InkSum, Q::PersInk, Q::HhInk],
            &[recipients, recipients * per_recipient, persons, households],
        );

        let low = (40.0 * (0.32 * self.dep).exp() * self.noise.vary(0.08)).clamp(5.0, 85.0);
        let high = (20.0 * (-0.45 * self.dep).exp() * self.noise.vary(0.1)).clamp(2.0, 95.0 - low);
        let hh_low = (low * 1.02 * self.noise.vary(0.04)).min(90.0);
        let hh_high = (high * 0.97 * self.noise.vary(0.04)).min(95.0 - hh_low);
        let poor = (7.0 * (0.55 * self.dep).exp() * self.noise.vary(0.12)).clamp(0.5, 45.0);
        let minimum = (8.0 * (0.55 * self.dep).exp() * self.noise.vary(0.1)).clamp(0.5, 50.0);
        let standardised = 29.5
            * index
            * (-0.16 * self.dep).exp()
            * (1.0 + 0.2 * (owners - 0.57))
            * self.noise.vary(0.06);
        let wealth =
            60.0 * (-0.5 * self.dep).exp() * (0.35 + 1.6 * owners) / 1.262 * self.noise.vary(0.2);
        self.b[Q::PersLi] = (persons * low / 100.0).round();
        self.b[Q::PersHi] = (persons * high / 100.0).round();
        let hh_pcts = [
            hh_low,
            hh_high,
            poor,
            minimum,
            minimum * 1.25,
            (minimum * 1.6).min(70.0),
        ];
        for (q, pct) in [Q::HhLi, Q::HhHi, Q::HhLkk, Q::HhOsm, Q::Hh110, Q::Hh120]
            .into_iter()
            .zip(hh_pcts)
        {
            self.b[q] = (households * pct / 100.0).round();
        }
        self.b[Q::HhStiSum] = households * standardised;
        self.b[Q::VerSum] = households * wealth;
    }

    fn care_and_benefits(&mut self) {
        let b = &self.b;
        let (inw, pop1575, jeugd) = (b[Q::Inw], b[Q::Pop1575], b[Q::Jeugd]);
        let share65 = share(b[Q::A65oo], inw);
        let aow = (b[Q::A65oo] * 0.93).round();
        let dep = self.dep;
        let bijstand = (0.022 * (0.8 * dep).exp() * self.noise.vary(0.15)).min(0.25);
        let disability = 0.06 * (0.3 * dep).exp() * self.noise.vary(0.1);
        let ww_index = by_year([1.0, 1.25, 1.05, 0.85, 0.9, 0.95], self.year);
        let unemployment = 0.012 * (0.3 * dep).exp() * ww_index * self.noise.vary(0.1);
        let youth_care = (0.095 * (0.3 * dep).exp() * self.noise.vary(0.1)).min(0.4);
        let wmo_index = by_year([1.0, 1.02, 1.05, 1.08, 1.1, 1.12], self.year);
        let wmo = (0.03 + 0.22 * share65) * (0.25 * dep).exp() * wmo_index * self.noise.vary(0.1);
        self.set(
            &[Q::SozWb, Q::SozAo, Q::SozWw, Q::SozOw, Q::JzTn, Q::WmoT],
            &[
                (inw * bijstand).round(),
                (pop1575 * disability).round(),
                (pop1575 * unemployment).round(),
                aow,
                (jeugd * youth_care).round(),
                (inw * wmo).round(),
            ],
        );
    }

    fn businesses(&mut self) {
        let t = self.t;
        let count = match t.kind {
            Kind::Residential | Kind::Rural => {
                self.b[Q::Inw] * 0.09 * (1.0 + 1.2 * t.urban) * self.noise.vary(0.3)
            }
            Kind::Business => t.land_ha * 2.0 * self.noise.vary(0.2),
            Kind::Park => 3.0 + t.land_ha * 0.05 * self.noise.vary(0.2),
        }
        .round();
        let industry = if t.kind == Kind::Business { 3.0 } else { 1.0 };
        let leisure = if t.kind == Kind::Park { 3.0 } else { 1.0 };
        let farming =
            0.035 * (1.0 - t.urban).powi(2) + if t.kind == Kind::Rural { 0.3 } else { 0.0 };
        let weights = [
            farming,
            0.09 * industry,
            0.16 + 0.05 * t.urban,
            0.08,
            0.055,
            0.28,
            0.16,
            0.11 * leisure,
        ]
        .map(|w| w * self.noise.vary(0.15));
        let sectors = split(count, weights);
        self.b[Q::Bedv] = count;
        self.set(
            &[
                Q::BedA,
                Q::BedBf,
                Q::BedGi,
                Q::BedHj,
                Q::BedKl,
                Q::BedMn,
                Q::BedOq,
                Q::BedRu,
            ],
            &sectors,
        );
    }

    fn vehicles(&mut self) {
        let t = self.t;
        let per_household =
            ((1.15 - 0.55 * t.urban - 0.12 * self.dep) * self.noise.vary(0.08)).clamp(0.3, 1.8);
        let cars = (self.b[Q::Hh] * per_household + self.b[Q::Bedv] * 0.5).round();
        let petrol = (0.82 - 0.015 * (self.year - FIRST_YEAR) as f64) * self.noise.vary(0.03);
        let b = (cars * petrol.min(1.0)).round();
        let m2w = (self.b[Q::Inw] * 0.04 * (1.0 - 0.5 * t.urban) * self.noise.vary(0.2)).round();
        self.set(
            &[Q::Pau, Q::BstB, Q::BstNb, Q::M2w],
            &[cars, b, cars - b, m2w],
        );
    }

    fn amenities(&mut self) {
        let far = (1.0 - self.t.amenity).powi(2);
        let inw = self.b[Q::Inw];
        let km = [(0.35, 2.2), (0.3, 2.0), (0.25, 1.6), (0.3, 1.5)]
            .map(|(near, spread)| (near + spread * far) * self.noise.vary(0.2) * inw);
        self.set(&[Q::AfsHp, Q::AfsGs, Q::AfsKv, Q::AfsSc], &km);
        let schools = (3.0 + 25.0 * self.t.amenity * (0.3 + self.t.urban)) * self.noise.vary(0.15);
        self.b[Q::Sc3] = schools * inw;
    }

    fn energy(&mut self) {
        let dep_effect = 1.0 - 0.04 * self.dep;
        let ele_index = by_year([1.0, 0.99, 0.97, 0.92, 0.9, 0.88], self.year) * dep_effect;
        let gas_index = by_year([1.0, 0.97, 0.95, 0.82, 0.76, 0.74], self.year)
            * dep_effect
            * (1.0 + (1985.0 - self.t.era) / 120.0).clamp(0.6, 1.6)
            * (1.0 - 0.9 * self.t.heat_net);
        self.energy_group(
            [1750.0, 2650.0, 2850.0, 3150.0, 3650.0],
            ele_index,
            [
                Q::EleAp,
                Q::EleTw,
                Q::EleHw,
                Q::EleTk,
                Q::EleVw,
                Q::EleTot,
                Q::EleHu,
                Q::EleKo,
            ],
        );
        self.energy_group(
            [700.0, 1050.0, 1200.0, 1400.0, 1850.0],
            gas_index,
            [
                Q::GasAp,
                Q::GasTw,
                Q::GasHw,
                Q::GasTk,
                Q::GasVw,
                Q::GasTot,
                Q::GasHu,
                Q::GasKo,
            ],
        );
    }

    /// Consumption sums for one carrier: per dwelling type (ap, tw, hw, tk, vw), the total,
    /// and the rented/owned split (owners use more; the split adds up to the total).
    fn energy_group(&mut self, means: [f64; 5], index: f64, out: [Q; 8]) {
        let types = [Q::Ap, Q::Tw, Q::Hw, Q::Tk, Q::Vw];
        let mut total = 0.0;
        for i in 0..5 {
            let sum = self.b[types[i]] * means[i] * index * self.noise.vary(0.06);
            self.b[out[i]] = sum;
            total += sum;
        }
        let w = self.b[Q::Woning];
        let average = share(total, w);
        let owned = share(self.b[Q::Koop], w);
        let rented = share(self.b[Q::Huur], w);
        self.b[out[5]] = total;
        self.b[out[6]] = self.b[Q::Huur] * average * (1.0 - 0.25 * owned);
        self.b[out[7]] = self.b[Q::Koop] * average * (1.0 + 0.25 * rented);
    }

    fn area_and_urbanity(&mut self) {
        let t = self.t;
        let addresses = self.b[Q::Woning] + (self.b[Q::Bedv] * 0.6).round();
        let oad = (250.0 + 5200.0 * t.urban.powf(1.4)) * self.noise.vary(0.12);
        self.set(
            &[Q::LanHa, Q::WatHa, Q::Addr, Q::OadSum, Q::Pst, Q::PstDek],
            &[
                t.land_ha,
                t.water_ha,
                addresses,
                oad * addresses,
                f64::from(t.postcode),
                f64::from(t.postcode_cover),
            ],
        );
    }
}

/// Target population of the Netherlands on 1 January of each edition year.
const NL_POPULATION: [f64; 6] = [
    17_282_163.0,
    17_407_585.0,
    17_475_415.0,
    17_590_672.0,
    17_811_291.0,
    17_942_942.0,
];

/// Traits of the country as a whole: average in every respect, without noise.
fn nederland_traits() -> Traits {
    Traits {
        kind: Kind::Residential,
        urban: 0.42,
        family: 0.05,
        elderly: 0.05,
        era: 1976.0,
        apartments: 0.36,
        corp: 0.29,
        private_rent: 0.13,
        dwellings: 7_900_000.0,
        growth: 0.009,
        land_ha: 3_367_000.0,
        water_ha: 787_500.0,
        heat_net: 0.06,
        amenity: 0.62,
        postcode: 0,
        postcode_cover: 0,
        noise: 0.0,
        noise_seed: 0,
    }
}

/// Base quantities of the `Nederland` row, calibrated to the real population total.
pub(crate) fn nederland(year: i32) -> Base {
    let mut traits = nederland_traits();
    let state = YearState {
        year,
        dep: 0.0,
        corp_shift: -0.002 * (year - FIRST_YEAR) as f64,
    };
    let first = base(&traits, &state);
    let target = by_year(NL_POPULATION, year);
    traits.dwellings *= target / first[Q::Inw];
    base(&traits, &state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nederland_is_plausible() {
        let nl = nederland(2024);
        let inw = nl[Q::Inw];
        assert!((inw - 17_942_942.0).abs() < 20_000.0, "{inw}");
        let hh_size = nl[Q::HhPers] / nl[Q::Hh];
        assert!((2.0..2.3).contains(&hh_size), "{hh_size}");
        assert_eq!(
            nl[Q::A0014] + nl[Q::A1524] + nl[Q::A2544] + nl[Q::A4564] + nl[Q::A65oo],
            inw
        );
    }
}
