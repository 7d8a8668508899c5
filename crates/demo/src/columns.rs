//! The 121 KWB short-code columns (order of the CBS kwb-2023 release) and how each is computed
//! from the base quantities.

use crate::quantity::Q;

/// Identity fields of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ident {
    Code10,
    Code8,
    Regio,
    GmNaam,
    Recs,
    Code,
    IndWbi,
}

/// Which publication rules apply to a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Theme {
    /// Counts: always published.
    Count,
    /// Ratios about people or dwellings: suppressed for small areas.
    Core,
    /// Like `Core`, and a few values are randomly missing at buurt level.
    Soft,
    /// Income: suppressed for small areas and not yet published in the newest edition.
    Income,
    /// Densities: always published when the denominator is positive.
    Density,
}

/// How a column is computed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    Ident(Ident),
    /// Sum of quantities, rounded to multiples of 5 at wijk and buurt level.
    Count {
        parts: &'static [Q],
    },
    /// `scale × num / den` with `decimals` decimals; missing when `den < min_den`.
    Ratio {
        num: Q,
        den: Q,
        scale: f64,
        decimals: u8,
        min_den: f64,
    },
    /// `100 − Σ round(100 × num / den)`: the remainder of the listed percentages.
    Complement {
        parts: &'static [(Q, Q)],
    },
    /// Whole hectares.
    Hectares(Q),
    /// Land plus water, each rounded to whole hectares first.
    AreaTotal,
    /// Mate van stedelijkheid 1 … 5 from the surrounding address density.
    Urbanity,
    /// Published for buurten only (postcode facts).
    BuurtOnly(Q),
}

/// One KWB column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub name: &'static str,
    pub rule: Rule,
    pub theme: Theme,
}

const fn ident(name: &'static str, field: Ident) -> Column {
    Column {
        name,
        rule: Rule::Ident(field),
        theme: Theme::Count,
    }
}

const fn count(name: &'static str, parts: &'static [Q]) -> Column {
    Column {
        name,
        rule: Rule::Count { parts },
        theme: Theme::Count,
    }
}

const fn ratio(
    name: &'static str,
    num: Q,
    den: Q,
    scale: f64,
    decimals: u8,
    theme: Theme,
) -> Column {
    Column {
        name,
        rule: Rule::Ratio {
            num,
            den,
            scale,
            decimals,
            min_den: 1.0,
        },
        theme,
    }
}

const fn pct(name: &'static str, num: Q, den: Q, theme: Theme) -> Column {
    ratio(name, num, den, 100.0, 0, theme)
}

/// Average energy use of a dwelling group; missing below 10 dwellings in the group.
const fn energy(name: &'static str, num: Q, den: Q) -> Column {
    Column {
        name,
        rule: Rule::Ratio {
            num,
            den,
            scale: 1.0,
            decimals: 0,
            min_den: 10.0,
        },
        theme: Theme::Soft,
    }
}

/// Average over inhabitants, one decimal (distances, counts within 3 km).
const fn per_inw(name: &'static str, num: Q) -> Column {
    ratio(name, num, Q::Inw, 1.0, 1, Theme::Soft)
}

const fn complement(name: &'static str, parts: &'static [(Q, Q)], theme: Theme) -> Column {
    Column {
        name,
        rule: Rule::Complement { parts },
        theme,
    }
}

const fn special(name: &'static str, rule: Rule) -> Column {
    Column {
        name,
        rule,
        theme: Theme::Count,
    }
}

use Theme::{Core, Density, Income, Soft};

/// All 121 columns in the order of the CBS kwb-2023 header.
pub(crate) const COLUMNS: [Column; 121] = [
    ident("gwb_code_10", Ident::Code10),
    ident("gwb_code_8", Ident::Code8),
    ident("regio", Ident::Regio),
    ident("gm_naam", Ident::GmNaam),
    ident("recs", Ident::Recs),
    ident("gwb_code", Ident::Code),
    ident("ind_wbi", Ident::IndWbi),
    count("a_inw", &[Q::Inw]),
    count("a_man", &[Q::Man]),
    count("a_vrouw", &[Q::Vrouw]),
    count("a_00_14", &[Q::A0014]),
    count("a_15_24", &[Q::A1524]),
    count("a_25_44", &[Q::A2544]),
    count("a_45_64", &[Q::A4564]),
    count("a_65_oo", &[Q::A65oo]),
    count("a_ongeh", &[Q::Ongeh]),
    count("a_gehuwd", &[Q::Gehuwd]),
    count("a_gesch", &[Q::Gesch]),
    count("a_verwed", &[Q::Verwed]),
    count("a_nl_all", &[Q::GebNl]),
    count("a_eur_al", &[Q::GebEu, Q::GblEu]),
    count("a_neu_al", &[Q::GebNe, Q::GblNe]),
    count("a_geb_nl", &[Q::GebNl]),
    count("a_geb_eu", &[Q::GebEu]),
    count("a_geb_ne", &[Q::GebNe]),
    count("a_gbl_eu", &[Q::GblEu]),
    count("a_gbl_ne", &[Q::GblNe]),
    count("a_geb", &[Q::Geb]),
    ratio("p_geb", Q::Geb, Q::Inw, 1000.0, 0, Core),
    count("a_ste", &[Q::Ste]),
    ratio("p_ste", Q::Ste, Q::Inw, 1000.0, 0, Core),
    count("a_hh", &[Q::Hh]),
    count("a_1p_hh", &[Q::Hh1p]),
    count("a_hh_z_k", &[Q::HhZk]),
    count("a_hh_m_k", &[Q::HhMk]),
    ratio("g_hhgro", Q::HhPers, Q::Hh, 1.0, 1, Core),
    ratio("bev_dich", Q::Inw, Q::LanHa, 100.0, 0, Density),
    count("a_woning", &[Q::Woning]),
    ratio("g_wozbag", Q::WozSum, Q::WozN, 1.0, 0, Core),
    pct("p_1gezw", Q::Egw, Q::Woning, Core),
    complement("p_mgezw", &[(Q::Egw, Q::Woning)], Core),
    pct("p_bewndw", Q::Bewoond, Q::Woning, Core),
    complement("p_leegsw", &[(Q::Bewoond, Q::Woning)], Core),
    pct("p_koopw", Q::Koop, Q::Woning, Core),
    complement("p_huurw", &[(Q::Koop, Q::Woning)], Core),
    pct("p_wcorpw", Q::Corp, Q::Woning, Core),
    pct("p_ov_hw", Q::OvHuur, Q::Woning, Core),
    pct("p_e_o_w", Q::Eow, Q::Woning, Core),
    pct("p_bjj2k", Q::Pre2000, Q::Woning, Core),
    complement("p_bjo2k", &[(Q::Pre2000, Q::Woning)], Core),
    energy("g_ele", Q::EleTot, Q::Woning),
    energy("g_ele_ap", Q::EleAp, Q::Ap),
    energy("g_ele_tw", Q::EleTw, Q::Tw),
    energy("g_ele_hw", Q::EleHw, Q::Hw),
    energy("g_ele_2w", Q::EleTk, Q::Tk),
    energy("g_ele_vw", Q::EleVw, Q::Vw),
    energy("g_ele_hu", Q::EleHu, Q::Huur),
    energy("g_ele_ko", Q::EleKo, Q::Koop),
    energy("g_gas", Q::GasTot, Q::Woning),
    energy("g_gas_ap", Q::GasAp, Q::Ap),
    energy("g_gas_tw", Q::GasTw, Q::Tw),
    energy("g_gas_hw", Q::GasHw, Q::Hw),
    energy("g_gas_2w", Q::GasTk, Q::Tk),
    energy("g_gas_vw", Q::GasVw, Q::Vw),
    energy("g_gas_hu", Q::GasHu, Q::Huur),
    energy("g_gas_ko", Q::GasKo, Q::Koop),
    pct("p_stadsv", Q::Stadsv, Q::Woning, Soft),
    count("a_opl_lg", &[Q::OplLg]),
    count("a_opl_md", &[Q::OplMd]),
    count("a_opl_hg", &[Q::OplHg]),
    pct("p_arb_pp", Q::Arb, Q::Pop1575, Soft),
    pct("p_arb_wn", Q::ArbWn, Q::Arb, Soft),
    pct("p_arb_zs", Q::ArbZs, Q::Arb, Soft),
    Column {
        name: "a_inkont",
        rule: Rule::Count {
            parts: &[Q::Inkont],
        },
        theme: Income,
    },
    ratio("g_ink_po", Q::InkSum, Q::Inkont, 1.0, 1, Income),
    ratio("g_ink_pi", Q::InkSum, Q::Inw, 1.0, 1, Income),
    pct("p_ink_li", Q::PersLi, Q::PersInk, Income),
    pct("p_ink_hi", Q::PersHi, Q::PersInk, Income),
    ratio("g_hh_sti", Q::HhStiSum, Q::HhInk, 1.0, 1, Income),
    pct("p_hh_li", Q::HhLi, Q::HhInk, Income),
    pct("p_hh_hi", Q::HhHi, Q::HhInk, Income),
    pct("p_hh_lkk", Q::HhLkk, Q::HhInk, Income),
    pct("p_hh_osm", Q::HhOsm, Q::HhInk, Income),
    pct("p_hh_110", Q::Hh110, Q::HhInk, Income),
    pct("p_hh_120", Q::Hh120, Q::HhInk, Income),
    ratio("m_hh_ver", Q::VerSum, Q::HhInk, 1.0, 0, Income),
    count("a_soz_wb", &[Q::SozWb]),
    count("a_soz_ao", &[Q::SozAo]),
    count("a_soz_ww", &[Q::SozWw]),
    count("a_soz_ow", &[Q::SozOw]),
    count("a_jz_tn", &[Q::JzTn]),
    pct("p_jz_tn", Q::JzTn, Q::Jeugd, Core),
    count("a_wmo_t", &[Q::WmoT]),
    ratio("p_wmo_t", Q::WmoT, Q::Inw, 1000.0, 0, Core),
    count("a_bedv", &[Q::Bedv]),
    count("a_bed_a", &[Q::BedA]),
    count("a_bed_bf", &[Q::BedBf]),
    count("a_bed_gi", &[Q::BedGi]),
    count("a_bed_hj", &[Q::BedHj]),
    count("a_bed_kl", &[Q::BedKl]),
    count("a_bed_mn", &[Q::BedMn]),
    count("a_bed_oq", &[Q::BedOq]),
    count("a_bed_ru", &[Q::BedRu]),
    count("a_pau", &[Q::Pau]),
    count("a_bst_b", &[Q::BstB]),
    count("a_bst_nb", &[Q::BstNb]),
    ratio("g_pau_hh", Q::Pau, Q::Hh, 1.0, 1, Core),
    ratio("g_pau_km", Q::Pau, Q::LanHa, 100.0, 0, Density),
    count("a_m2w", &[Q::M2w]),
    per_inw("g_afs_hp", Q::AfsHp),
    per_inw("g_afs_gs", Q::AfsGs),
    per_inw("g_afs_kv", Q::AfsKv),
    per_inw("g_afs_sc", Q::AfsSc),
    per_inw("g_3km_sc", Q::Sc3),
    special("a_opp_ha", Rule::AreaTotal),
    special("a_lan_ha", Rule::Hectares(Q::LanHa)),
    special("a_wat_ha", Rule::Hectares(Q::WatHa)),
    special("pst_mvp", Rule::BuurtOnly(Q::Pst)),
    special("pst_dekp", Rule::BuurtOnly(Q::PstDek)),
    special("ste_mvs", Rule::Urbanity),
    ratio("ste_oad", Q::OadSum, Q::Addr, 1.0, 0, Density),
];

/// Position of a column by name.
pub(crate) fn index_of(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.name == name)
}

/// The header line (column names joined by `sep`).
pub(crate) fn header(sep: char) -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    names.join(&sep.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(index_of(c.name), Some(i), "{}", c.name);
        }
    }
}
