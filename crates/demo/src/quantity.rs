//! Additive base quantities of an area.
//!
//! Every published KWB value is either one of these quantities (a count) or a ratio of two of
//! them. Because all quantities are additive, a wijk or gemeente is simply the sum of its
//! buurten, and every published average or percentage of the aggregate is automatically the
//! properly weighted mean of its parts.

use std::ops::{AddAssign, Index, IndexMut};

macro_rules! quantities {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {
        /// One additive quantity (a count, or a sum such as total income).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Q { $($(#[$meta])* $name),* }

        impl Q {
            /// Number of quantities.
            pub(crate) const COUNT: usize = [$(Q::$name),*].len();
        }
    };
}

quantities! {
    // Population.
    Inw, Man, Vrouw, A0014, A1524, A2544, A4564, A65oo,
    Ongeh, Gehuwd, Gesch, Verwed,
    GebNl, GebEu, GebNe, GblEu, GblNe,
    Geb, Ste,
    /// Young people aged 0–17 (denominator of youth care).
    Jeugd,
    /// Inhabitants aged 15–74 (denominator of labour participation).
    Pop1575,
    // Households.
    Hh, Hh1p, HhZk, HhMk,
    /// Persons living in private households.
    HhPers,
    // Dwellings.
    Woning,
    /// Sum of WOZ values (× €1,000) and the number of dwellings valued.
    WozSum, WozN,
    Egw, Bewoond, Koop, Huur, Corp, OvHuur, Eow, Pre2000, Stadsv,
    Ap, Tw, Hw, Tk, Vw,
    // Energy sums (kWh and m³) per dwelling group.
    EleTot, EleAp, EleTw, EleHw, EleTk, EleVw, EleHu, EleKo,
    GasTot, GasAp, GasTw, GasHw, GasTk, GasVw, GasHu, GasKo,
    // Education and labour.
    OplLg, OplMd, OplHg, Arb, ArbWn, ArbZs,
    // Income.
    Inkont,
    /// Sum of personal income (× €1,000).
    InkSum,
    PersInk, PersLi, PersHi,
    HhInk,
    /// Sum of standardised household income (× €1,000).
    HhStiSum,
    HhLi, HhHi, HhLkk, HhOsm, Hh110, Hh120,
    /// Sum of household median wealth (× €1,000), weighted by `HhInk`.
    VerSum,
    // Social security and care.
    SozWb, SozAo, SozWw, SozOw, JzTn, WmoT,
    // Businesses.
    Bedv, BedA, BedBf, BedGi, BedHj, BedKl, BedMn, BedOq, BedRu,
    // Vehicles.
    Pau, BstB, BstNb, M2w,
    // Amenities: distance (km) or count summed over inhabitants.
    AfsHp, AfsGs, AfsKv, AfsSc, Sc3,
    // Area (hectares).
    LanHa, WatHa,
    // Urbanity: addresses and address-weighted surrounding address density.
    Addr, OadSum,
    // Buurt-only postcode facts.
    Pst, PstDek,
}

/// A vector of all base quantities of one area in one year.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Base([f64; Q::COUNT]);

impl Base {
    /// All quantities zero.
    pub(crate) fn zero() -> Self {
        Base([0.0; Q::COUNT])
    }

    /// Sum of a set of bases.
    pub(crate) fn sum<'a>(parts: impl IntoIterator<Item = &'a Base>) -> Base {
        let mut total = Base::zero();
        for part in parts {
            total += part;
        }
        total
    }
}

impl Index<Q> for Base {
    type Output = f64;
    fn index(&self, q: Q) -> &f64 {
        &self.0[q as usize]
    }
}

impl IndexMut<Q> for Base {
    fn index_mut(&mut self, q: Q) -> &mut f64 {
        &mut self.0[q as usize]
    }
}

impl AddAssign<&Base> for Base {
    fn add_assign(&mut self, other: &Base) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a += b;
        }
    }
}
