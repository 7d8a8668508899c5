//! # veerkracht-fetch
//!
//! `veerkracht fetch`: the public tables a gemeente needs, straight from their publishers —
//! CBS's Kerncijfers wijken en buurten, benefits, Wmo clients and registered crime (OData v3),
//! and the shapes of gemeenten, wijken and buurten (PDOK's OGC API Features). Which table
//! belongs to which source and edition is data (`data/catalogue/tables.toml`, the `fetch`
//! entries); the protocols are in [`odata`] and [`ogc`], the HTTP client with its cache and
//! retries in [`http`].
//!
//! The result is files ([`Fetched`]: a name and bytes) in the forms `veerkracht import` reads
//! — an OData table as the semicolon-separated OData CSV with dimension titles, shapes as
//! GeoJSON — so a fetch and an import of the same table give the same workspace; the CLI
//! imports them in one transaction. Every response that is not what the protocol promises is
//! an error naming the URL, the table and what was expected ([`FetchError`]); a table the
//! host does not have (404) is reported as not (yet) published, not as an error.
//!
//! Depends on `veerkracht-dataset` (the catalogue) and `veerkracht-ingest` (which measures
//! the importer needs, to refuse a table whose measures CBS renamed).

#![warn(missing_docs)]

pub mod error;
pub mod gemeente;
pub mod http;
pub mod odata;
pub mod ogc;
#[cfg(feature = "replay")]
pub mod replay;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use veerkracht_dataset::{Catalogue, FetchHost, FetchProtocol, TableEntry};
use veerkracht_ingest::{Mapping, RawTable};

pub use error::{FetchError, Result};
pub use gemeente::Gemeente;
pub use http::{Client, ClientOptions, Stats};

/// The sources a user can choose (`--alleen`), with the catalogue family of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// Kerncijfers wijken en buurten (family `kwb`).
    Kwb,
    /// Personen met een uitkering per buurt (family `benefits`).
    Uitkeringen,
    /// Wmo-cliënten per wijk (family `wmo`).
    Wmo,
    /// Geregistreerde misdrijven per wijk en buurt (family `crime`).
    Misdrijven,
    /// Shapes of gemeenten, wijken and buurten (family `geometry`).
    Geometrie,
}

impl Source {
    /// Every source, in the order they are fetched.
    pub const ALL: [Source; 5] = [
        Source::Kwb,
        Source::Uitkeringen,
        Source::Wmo,
        Source::Misdrijven,
        Source::Geometrie,
    ];

    /// The name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Source::Kwb => "kwb",
            Source::Uitkeringen => "uitkeringen",
            Source::Wmo => "wmo",
            Source::Misdrijven => "misdrijven",
            Source::Geometrie => "geometrie",
        }
    }

    /// The catalogue family of its tables.
    pub fn family(self) -> &'static str {
        match self {
            Source::Kwb => "kwb",
            Source::Uitkeringen => "benefits",
            Source::Wmo => "wmo",
            Source::Misdrijven => "crime",
            Source::Geometrie => "geometry",
        }
    }
}

impl std::str::FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Source, String> {
        Source::ALL
            .into_iter()
            .find(|x| x.name() == s.trim().to_lowercase())
            .ok_or_else(|| {
                format!(
                    "bron '{s}' bestaat niet; kies uit {}",
                    Source::ALL.map(Source::name).join(", ")
                )
            })
    }
}

/// The hosts, each overridable (tests and mirrors).
#[derive(Debug, Clone, PartialEq)]
pub struct Hosts {
    /// CBS open data (`--cbs-url`).
    pub cbs: String,
    /// CBS's host for third-party tables such as the police's (`--politie-url`).
    pub cbs_derden: String,
    /// PDOK (`--pdok-url`).
    pub pdok: String,
}

impl Default for Hosts {
    fn default() -> Self {
        Hosts {
            cbs: "https://opendata.cbs.nl".into(),
            cbs_derden: "https://dataderden.cbs.nl".into(),
            pdok: "https://api.pdok.nl".into(),
        }
    }
}

impl Hosts {
    fn of(&self, h: FetchHost) -> (&str, &'static str) {
        match h {
            FetchHost::Cbs => (self.cbs.trim_end_matches('/'), "--cbs-url"),
            FetchHost::CbsDerden => (self.cbs_derden.trim_end_matches('/'), "--politie-url"),
            FetchHost::Pdok => (self.pdok.trim_end_matches('/'), "--pdok-url"),
        }
    }
}

/// Which areas to fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Areas {
    /// These gemeenten (their own rows, wijken and buurten).
    Gemeenten(Vec<Gemeente>),
    /// The whole country.
    Nederland,
}

/// One downloaded table (or one collection of shapes), as a file the importer reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// The source.
    pub source: Source,
    /// The table id of the catalogue.
    pub table: String,
    /// The edition.
    pub edition: u16,
    /// A file name that says what it is (`85984NED-GM0307.csv`, `pdok-buurten-2024-GM0307.geojson`).
    pub name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// Rows (or features) in it.
    pub rows: usize,
}

/// A table of the requested editions that was not fetched, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The source.
    pub source: Source,
    /// The edition.
    pub edition: u16,
    /// The table, when the catalogue has one.
    pub table: Option<String>,
    /// Why (not in the catalogue yet, or not published on the host).
    pub reason: String,
}

/// What a fetch got, per source.
#[derive(Debug, Default)]
pub struct Report {
    /// The files, in source and edition order.
    pub fetched: Vec<Fetched>,
    /// What is not (yet) published.
    pub skipped: Vec<Skipped>,
    /// Requests, bytes, cache hits and seconds per source.
    pub stats: BTreeMap<Source, Stats>,
}

/// The gemeenten CBS lists in the KWB table of `edition` (for [`gemeente::resolve`]).
pub fn gemeenten(
    client: &Client,
    hosts: &Hosts,
    catalogue: &Catalogue,
    edition: u16,
) -> Result<Vec<Gemeente>> {
    let t = catalogue
        .tables()
        .iter()
        .filter(|t| t.family == "kwb" && t.fetch.is_some())
        .filter(|t| t.edition.is_some_and(|e| e <= edition))
        .max_by_key(|t| t.edition)
        .ok_or_else(|| {
            FetchError::new(
                "",
                format!("the catalogue has no KWB table for {edition} or before"),
                "add it to data/catalogue/tables.toml",
            )
        })?;
    let f = t.fetch.as_ref().expect("filtered");
    let (base, hint) = hosts.of(f.host);
    let region = f.region.as_deref().unwrap_or("WijkenEnBuurten");
    let table = odata::Table {
        client,
        base,
        id: &t.id,
        hint,
    };
    let codes = table.codes(region, Some("startswith(Key,'GM')"))?;
    Ok(gemeente::from_codes(&codes))
}

/// Checks that the table still has the measures the importer needs: for KWB the registry of
/// `data/catalogue/odata_registry.toml`, for other families the mapping that recognises the
/// table and each of its OData measures. A renamed measure is an error naming it.
fn check_measures(
    t: &TableEntry,
    props: &[odata::Property],
    catalogue: &Catalogue,
    url: &str,
) -> Result<()> {
    let raw = RawTable {
        file: t.id.clone(),
        headers: props.iter().map(|p| p.key.clone()).collect(),
        rows: Vec::new(),
        decimal_comma: false,
        format: "odata",
    };
    let fail = |what: String| {
        Err(FetchError::new(
            url,
            what,
            "CBS renamed or removed a measure: update odata_stem in data/catalogue/indicators.csv or the table's mapping in data/mappings/",
        )
        .for_table(&t.id))
    };
    if t.family == "kwb" {
        let missing = veerkracht_ingest::registry::missing_measures(
            &raw,
            catalogue,
            t.edition.unwrap_or_default(),
        );
        if !missing.is_empty() {
            return fail(format!(
                "DataProperties lacks measures the index needs: {}",
                missing.join(", ")
            ));
        }
        return Ok(());
    }
    let mappings = Mapping::embedded(catalogue);
    let Some(m) = mappings
        .iter()
        .find(|m| m.family == t.family && m.matches(&raw))
    else {
        return fail(format!(
            "none of the {} mappings recognises the table's measures (DataProperties: {})",
            t.family,
            raw.headers.join(", ")
        ));
    };
    for measure in &m.measure {
        if let Some(o) = &measure.odata {
            let n = raw
                .headers
                .iter()
                .filter(|h| veerkracht_ingest::text::odata_stem(h).0 == o.stem)
                .count();
            if n <= usize::from(o.occurrence) {
                return fail(format!(
                    "DataProperties has no measure {}_N (occurrence {}) for {}",
                    o.stem, o.occurrence, measure.indicator
                ));
            }
        }
    }
    Ok(())
}

fn fetch_odata(
    client: &Client,
    hosts: &Hosts,
    catalogue: &Catalogue,
    t: &TableEntry,
    source: Source,
    areas: &Areas,
) -> Result<Vec<Fetched>> {
    let f = t.fetch.as_ref().expect("fetched tables have a source");
    let (base, hint) = hosts.of(f.host);
    let region = f.region.as_deref().unwrap_or("WijkenEnBuurten");
    let table = odata::Table {
        client,
        base,
        id: &t.id,
        hint,
    };
    let props = table.properties()?;
    check_measures(
        t,
        &props,
        catalogue,
        &format!("{base}/ODataApi/odata/{}/DataProperties", t.id),
    )?;
    let edition = t.edition.unwrap_or_default();
    // (file label, the gemeente whose rows are asked; None: the whole country)
    let parts: Vec<(String, Option<&str>)> = match areas {
        Areas::Nederland => vec![("NL".to_string(), None)],
        Areas::Gemeenten(gs) => gs
            .iter()
            .map(|g| (g.code.clone(), Some(g.code.as_str())))
            .collect(),
    };
    // the titles of every dimension but the region, once for all gemeenten
    let mut shared: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    for p in props.iter().filter(|p| p.is_dimension() && p.key != region) {
        shared.insert(p.key.clone(), table.codes(&p.key, None)?);
    }
    let mut out = Vec::new();
    for (label, gm) in parts {
        // the region's titles only for the areas asked, then the rows, page by page into
        // the CSV text
        let mut titles = shared.clone();
        if props.iter().any(|p| p.key == region && p.is_dimension()) {
            let key_filter = gm.map(|g| odata::gemeente_filter("Key", g));
            titles.insert(
                region.to_string(),
                table.codes(region, key_filter.as_deref())?,
            );
        }
        let filter = gm.map(|g| odata::gemeente_filter(region, g));
        let mut csv = odata::CsvWriter::new(titles);
        table.rows(filter.as_deref(), &mut csv)?;
        if csv.rows() == 0 {
            continue;
        }
        let rows = csv.rows();
        out.push(Fetched {
            source,
            table: t.id.clone(),
            edition,
            name: format!("{}-{label}.csv", t.id),
            bytes: csv.finish().into_bytes(),
            rows,
        });
    }
    Ok(out)
}

fn fetch_ogc(
    client: &Client,
    hosts: &Hosts,
    t: &TableEntry,
    areas: &Areas,
) -> Result<Vec<Fetched>> {
    let f = t.fetch.as_ref().expect("fetched tables have a source");
    let (base, hint) = hosts.of(f.host);
    let landing = format!(
        "{base}/{}",
        f.path.as_deref().unwrap_or("").trim_matches('/')
    );
    let edition = t.edition.unwrap_or_default();
    let gms: Vec<Option<&str>> = match areas {
        Areas::Nederland => vec![None],
        Areas::Gemeenten(gs) => gs.iter().map(|g| Some(g.code.as_str())).collect(),
    };
    let mut out = Vec::new();
    for collection in &f.collections {
        for gm in &gms {
            let features = ogc::features(client, &landing, collection, *gm, &t.id, hint)?;
            if features.is_empty() {
                continue;
            }
            let n = features.len();
            out.push(Fetched {
                source: Source::Geometrie,
                table: t.id.clone(),
                edition,
                name: format!("pdok-{collection}-{edition}-{}.geojson", gm.unwrap_or("NL")),
                bytes: ogc::collection(features),
                rows: n,
            });
        }
    }
    Ok(out)
}

/// Fetches `sources` for `areas` and `editions`. `progress` hears what is being fetched.
pub fn fetch(
    client: &Client,
    hosts: &Hosts,
    catalogue: &Catalogue,
    areas: &Areas,
    editions: &BTreeSet<u16>,
    sources: &BTreeSet<Source>,
    progress: &mut dyn FnMut(&str),
) -> Result<Report> {
    let mut report = Report::default();
    for &source in sources {
        for &edition in editions {
            let tables: Vec<&TableEntry> = catalogue
                .tables()
                .iter()
                .filter(|t| {
                    t.family == source.family() && t.edition == Some(edition) && t.fetch.is_some()
                })
                .collect();
            if tables.is_empty() {
                report.skipped.push(Skipped {
                    source,
                    edition,
                    table: None,
                    reason:
                        "geen tabel in de catalogus (nog niet gepubliceerd, of niet per buurt/wijk)"
                            .into(),
                });
                continue;
            }
            for t in tables {
                progress(&format!("{} {edition} ({})", source.name(), t.id));
                let f = t.fetch.as_ref().expect("filtered");
                let got = match f.protocol {
                    FetchProtocol::OdataV3 => {
                        fetch_odata(client, hosts, catalogue, t, source, areas)
                    }
                    FetchProtocol::OgcFeatures => fetch_ogc(client, hosts, t, areas),
                };
                *report.stats.entry(source).or_default() += client.take_stats();
                match got {
                    Ok(files) if files.is_empty() => report.skipped.push(Skipped {
                        source,
                        edition,
                        table: Some(t.id.clone()),
                        reason: "de tabel heeft geen rijen voor deze gebieden".into(),
                    }),
                    Ok(files) => report.fetched.extend(files),
                    Err(e) if http::is_not_found(&e) => report.skipped.push(Skipped {
                        source,
                        edition,
                        table: Some(t.id.clone()),
                        reason: format!("nog niet gepubliceerd ({} antwoordt 404)", e.url),
                    }),
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fetched_family_has_an_importer_and_a_source_name() {
        let cat = Catalogue::embedded();
        let mappings = Mapping::embedded(&cat);
        for t in cat.tables().iter().filter(|t| t.fetch.is_some()) {
            let source = Source::ALL.into_iter().find(|s| s.family() == t.family);
            assert!(
                source.is_some(),
                "{}: family {} has no source",
                t.id,
                t.family
            );
            if !matches!(t.family.as_str(), "kwb" | "geometry") {
                assert!(
                    mappings.iter().any(|m| m.family == t.family),
                    "{}: no mapping reads family {}",
                    t.id,
                    t.family
                );
            }
        }
        assert_eq!("Wmo".parse::<Source>(), Ok(Source::Wmo));
        assert!(
            "politie"
                .parse::<Source>()
                .unwrap_err()
                .contains("kwb, uitkeringen")
        );
    }

    #[test]
    fn the_gemeente_filter_is_the_documented_odata_v3_form() {
        assert_eq!(
            odata::gemeente_filter("WijkenEnBuurten", "GM0344"),
            "startswith(WijkenEnBuurten,'GM0344') or startswith(WijkenEnBuurten,'WK0344') or startswith(WijkenEnBuurten,'BU0344')"
        );
        assert_eq!(
            odata::encode("startswith(Key,'GM')"),
            "startswith%28Key%2C%27GM%27%29"
        );
    }
}
