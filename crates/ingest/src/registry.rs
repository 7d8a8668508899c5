//! The per-edition registry of OData measures veerkracht relies on
//! (`data/catalogue/odata_registry.toml`).

use serde::Deserialize;
use veerkracht_dataset::{Catalogue, Edition};

use crate::text::{RawTable, odata_stem};

/// The embedded registry text.
pub const REGISTRY_TOML: &str = include_str!("../../../data/catalogue/odata_registry.toml");

/// One edition's required measures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryEdition {
    /// Edition.
    pub edition: Edition,
    /// Table id.
    pub table: String,
    /// Catalogue ids that must resolve.
    pub required: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    schema_version: u32,
    edition: Vec<RegistryEdition>,
}

/// The embedded registry.
pub fn registry() -> Vec<RegistryEdition> {
    let f: RegistryFile =
        toml::from_str(REGISTRY_TOML).expect("embedded registry is validated by the test suite");
    assert_eq!(f.schema_version, 1);
    f.edition
}

/// Required measures of `edition` that the table's headers do not provide
/// (neither as a short code nor as an OData key resolved by stem and occurrence).
pub fn missing_measures(t: &RawTable, catalogue: &Catalogue, edition: Edition) -> Vec<String> {
    let Some(reg) = registry().into_iter().find(|r| r.edition == edition) else {
        return Vec::new();
    };
    let mut occ: std::collections::HashMap<&str, u8> = Default::default();
    let mut present = std::collections::HashSet::new();
    for h in &t.headers {
        if let Some(i) = catalogue.by_code(h, "kwb") {
            present.insert(i.id.clone());
            continue;
        }
        let (stem, suffix) = odata_stem(h);
        if suffix.is_some() {
            let o = occ.entry(stem).or_insert(0);
            if let Some(i) = catalogue.by_odata_stem(stem, *o, "kwb") {
                present.insert(i.id.clone());
            }
            *o += 1;
        }
    }
    reg.required
        .into_iter()
        .filter(|id| !present.contains(id))
        .collect()
}
