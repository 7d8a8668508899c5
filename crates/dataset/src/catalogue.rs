//! The indicator catalogue and the table registry, loaded from versioned data files.
//!
//! `data/catalogue/indicators.csv` lists every indicator veerkracht knows: id, KWB
//! mnemonic (and older aliases), the OData v3 key stem (the key without its `_NN`
//! suffix, which changes every edition) with its occurrence number for stems that
//! repeat inside one table (`Appartement` is both electricity and gas use), the
//! OData title, Dutch and English labels, unit, direction, denominator, theme,
//! the producer's rounding of counts at wijk/buurt level and the source family.
//! `data/catalogue/tables.toml` lists the source tables per edition and family.
//! Both are embedded in the binary and validated when loaded; a user may load
//! other versions with [`Catalogue::from_sources`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The embedded indicator list.
pub const INDICATORS_CSV: &str = include_str!("../../../data/catalogue/indicators.csv");
/// The embedded table registry.
pub const TABLES_TOML: &str = include_str!("../../../data/catalogue/tables.toml");

/// Unit of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A count of persons, households, dwellings, …
    Count,
    /// A percentage (0–100).
    Percent,
    /// Per 1,000 inhabitants (or the stated denominator).
    Per1000,
    /// Thousands of euros.
    Eur1000,
    /// An average (household size, cars per household, …).
    Mean,
    /// Per km².
    PerKm2,
    /// Kilometres.
    Km,
    /// Hectares.
    Ha,
    /// kWh per year.
    Kwh,
    /// m³ per year.
    M3,
    /// An ordinal class (stedelijkheid 1–5, coverage class).
    Class,
    /// A code (postcode), not for arithmetic.
    Code,
    /// A model score (Leefbaarometer).
    Score,
    /// Not catalogued: the column was found in a file but is not in the catalogue.
    Unknown,
}

impl Unit {
    fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "count" => Unit::Count,
            "percent" => Unit::Percent,
            "per_1000" => Unit::Per1000,
            "eur_1000" => Unit::Eur1000,
            "mean" => Unit::Mean,
            "per_km2" => Unit::PerKm2,
            "km" => Unit::Km,
            "ha" => Unit::Ha,
            "kwh" => Unit::Kwh,
            "m3" => Unit::M3,
            "class" => Unit::Class,
            "code" => Unit::Code,
            "score" => Unit::Score,
            "unknown" => Unit::Unknown,
            _ => return None,
        })
    }

    /// Machine name as in the catalogue file.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Per1000 => "per_1000",
            Unit::Eur1000 => "eur_1000",
            Unit::Mean => "mean",
            Unit::PerKm2 => "per_km2",
            Unit::Km => "km",
            Unit::Ha => "ha",
            Unit::Kwh => "kwh",
            Unit::M3 => "m3",
            Unit::Class => "class",
            Unit::Code => "code",
            Unit::Score => "score",
            Unit::Unknown => "unknown",
        }
    }
}

/// What a higher value means for a buurt's resilience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better (e.g. labour participation).
    HigherIsBetter,
    /// Higher means more need or pressure (e.g. bijstand per 1,000).
    HigherIsWorse,
    /// Descriptive only.
    Neutral,
}

impl Direction {
    fn parse(s: &str) -> Option<Direction> {
        Some(match s {
            "higher_is_better" => Direction::HigherIsBetter,
            "higher_is_worse" => Direction::HigherIsWorse,
            "neutral" => Direction::Neutral,
            _ => return None,
        })
    }
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Indicator {
    /// Stable id used everywhere in veerkracht (the current KWB mnemonic where one exists).
    pub id: String,
    /// Current KWB short code (`p_wcorpw`), or the column code in the source family.
    pub kwb: String,
    /// Older short codes of the same indicator (`g_woz` for `g_wozbag`).
    pub aliases: Vec<String>,
    /// OData v3 key stem without the `_NN` suffix (`InBezitWoningcorporatie`).
    pub odata_stem: Option<String>,
    /// Which occurrence of the stem in key order (0 = first) when a stem repeats in a table.
    pub odata_occurrence: u8,
    /// OData `Title` in DataProperties, used as a fallback when a stem was renamed.
    pub odata_title: Option<String>,
    /// Dutch label.
    pub label_nl: String,
    /// English label.
    pub label_en: String,
    /// Unit.
    pub unit: Unit,
    /// Direction.
    pub direction: Direction,
    /// Id of the indicator whose value is this one's denominator (for reliability).
    pub denominator: Option<String>,
    /// Theme (bevolking, wonen, inkomen, zorg, veiligheid, leefbaarheid, …).
    pub theme: String,
    /// Producer's rounding of this count at wijk/buurt level (5 for KWB counts).
    pub rounding: Option<u32>,
    /// Source family (`kwb`, `benefits`, `wmo`, `crime`, `leefbaarometer`).
    pub family: String,
    /// False for columns found in a file that the catalogue does not know.
    pub catalogued: bool,
}

impl Indicator {
    /// An entry for a column the catalogue does not know, so its data are kept, not lost.
    pub fn uncatalogued(code: &str, family: &str) -> Indicator {
        Indicator {
            id: code.to_string(),
            kwb: code.to_string(),
            aliases: Vec::new(),
            odata_stem: None,
            odata_occurrence: 0,
            odata_title: None,
            label_nl: code.to_string(),
            label_en: code.to_string(),
            unit: Unit::Unknown,
            direction: Direction::Neutral,
            denominator: None,
            theme: "onbekend".to_string(),
            rounding: None,
            family: family.to_string(),
            catalogued: false,
        }
    }
}

/// One source table in the registry.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TableEntry {
    /// CBS table id (`85984NED`) or another stable source id.
    pub id: String,
    /// Edition (year) the table's figures belong to; absent for multi-year tables.
    #[serde(default)]
    pub edition: Option<u16>,
    /// Source family.
    pub family: String,
    /// Title.
    pub title: String,
    /// Where `veerkracht fetch` gets it; absent for tables that are imported from files only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<FetchSource>,
}

/// How a table is downloaded: protocol, host and the protocol's details.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchSource {
    /// `odata-v3` (CBS StatLine: `…/ODataApi/odata/{id}/TypedDataSet`) or `ogc-features`
    /// (PDOK OGC API Features: `…/collections/{collection}/items`).
    pub protocol: FetchProtocol,
    /// `cbs` (opendata.cbs.nl), `cbs-derden` (dataderden.cbs.nl, the police's tables) or
    /// `pdok` (api.pdok.nl); each overridable (`--cbs-url`, `--politie-url`, `--pdok-url`).
    pub host: FetchHost,
    /// OData: the key of the region dimension (`WijkenEnBuurten`, `Wijken`, `RegioS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// OGC API: the path of the landing page below the host (`cbs/wijken-en-buurten-2024/ogc/v1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// OGC API: the collections to fetch (`gemeenten`, `wijken`, `buurten`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<String>,
}

/// A download protocol of [`FetchSource`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FetchProtocol {
    /// CBS OData v3 (JSON with `value` and `odata.nextLink`).
    OdataV3,
    /// OGC API Features (GeoJSON pages with a `next` link).
    OgcFeatures,
}

/// A host of [`FetchSource`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FetchHost {
    /// `https://opendata.cbs.nl`
    Cbs,
    /// `https://dataderden.cbs.nl` (third-party tables, e.g. the police's)
    CbsDerden,
    /// `https://api.pdok.nl`
    Pdok,
}

/// A problem in a catalogue file: file, line, column and the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: line {line}, column '{column}': {message}")]
pub struct CatalogueError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Column (or key) name.
    pub column: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The indicator catalogue plus the table registry.
#[derive(Debug, Clone)]
pub struct Catalogue {
    indicators: Vec<Indicator>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
    tables: Vec<TableEntry>,
}

impl Catalogue {
    /// The catalogue embedded in this build (validated by a unit test, so this cannot fail).
    pub fn embedded() -> Catalogue {
        Catalogue::from_sources(INDICATORS_CSV, "indicators.csv", TABLES_TOML, "tables.toml")
            .expect("the embedded catalogue is validated by the test suite")
    }

    /// Loads and validates a catalogue from its two texts; `*_name` are used in errors.
    pub fn from_sources(
        indicators_csv: &str,
        indicators_name: &str,
        tables_toml: &str,
        tables_name: &str,
    ) -> Result<Catalogue, CatalogueError> {
        let indicators = parse_indicators(indicators_csv, indicators_name)?;
        let tables = parse_tables(tables_toml, tables_name)?;
        let mut by_id = HashMap::new();
        let mut by_code = HashMap::new();
        for (i, ind) in indicators.iter().enumerate() {
            let line = i + 2;
            let err = |column: &str, message: String| CatalogueError {
                file: indicators_name.to_string(),
                line,
                column: column.to_string(),
                message,
            };
            if by_id.insert(ind.id.clone(), i).is_some() {
                return Err(err(
                    "id",
                    format!("duplicate id '{}'; every id must be unique", ind.id),
                ));
            }
            for code in std::iter::once(&ind.kwb).chain(ind.aliases.iter()) {
                if let Some(&other) = by_code.get(code) {
                    let other: &Indicator = &indicators[other];
                    if other.family == ind.family {
                        return Err(err(
                            "kwb",
                            format!(
                                "code '{code}' is already used by '{}' in family '{}'; codes must be unique within a family",
                                other.id, ind.family
                            ),
                        ));
                    }
                }
                by_code.entry(code.clone()).or_insert(i);
            }
        }
        for (i, ind) in indicators.iter().enumerate() {
            if let Some(d) = &ind.denominator
                && !by_id.contains_key(d)
            {
                return Err(CatalogueError {
                    file: indicators_name.to_string(),
                    line: i + 2,
                    column: "denominator".to_string(),
                    message: format!(
                        "denominator '{d}' is not an indicator id in this file; use an existing id or leave it empty"
                    ),
                });
            }
        }
        Ok(Catalogue {
            indicators,
            by_id,
            by_code,
            tables,
        })
    }

    /// All indicators in file order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Looks up an indicator by id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.by_id.get(id).map(|&i| &self.indicators[i])
    }

    /// Finds the indicator for a column short code (current code or alias), preferring the given family.
    pub fn by_code(&self, code: &str, family: &str) -> Option<&Indicator> {
        let code = code.trim();
        self.indicators
            .iter()
            .find(|i| i.family == family && (i.kwb == code || i.aliases.iter().any(|a| a == code)))
            .or_else(|| self.by_code.get(code).map(|&i| &self.indicators[i]))
    }

    /// Finds the indicator for an OData v3 key (`InBezitWoningcorporatie_49`) given the
    /// occurrence number of its stem among the table's keys so far.
    pub fn by_odata_stem(&self, stem: &str, occurrence: u8, family: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| {
            i.family == family
                && i.odata_stem.as_deref() == Some(stem)
                && i.odata_occurrence == occurrence
        })
    }

    /// Finds an indicator by its OData title (case- and space-insensitive).
    pub fn by_odata_title(&self, title: &str, family: &str) -> Option<&Indicator> {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let t = norm(title);
        self.indicators.iter().find(|i| {
            i.family == family && i.odata_title.as_deref().map(norm).as_deref() == Some(t.as_str())
        })
    }

    /// The source tables.
    pub fn tables(&self) -> &[TableEntry] {
        &self.tables
    }

    /// The registry entry of a table id.
    pub fn table(&self, id: &str) -> Option<&TableEntry> {
        self.tables.iter().find(|t| t.id.eq_ignore_ascii_case(id))
    }

    /// The table that provides a family's figures for an edition.
    pub fn table_for(&self, family: &str, edition: u16) -> Option<&TableEntry> {
        self.tables
            .iter()
            .find(|t| t.family == family && t.edition == Some(edition))
            .or_else(|| {
                self.tables
                    .iter()
                    .find(|t| t.family == family && t.edition.is_none())
            })
    }

    /// Adds an uncatalogued indicator (for a column found in a file) and returns its id.
    pub fn add_uncatalogued(&mut self, ind: Indicator) -> &Indicator {
        if let Some(&i) = self.by_id.get(&ind.id) {
            return &self.indicators[i];
        }
        let i = self.indicators.len();
        self.by_id.insert(ind.id.clone(), i);
        self.by_code.entry(ind.kwb.clone()).or_insert(i);
        self.indicators.push(ind);
        &self.indicators[i]
    }

    /// Indicators grouped by theme, in file order.
    pub fn by_theme(&self) -> BTreeMap<&str, Vec<&Indicator>> {
        let mut m: BTreeMap<&str, Vec<&Indicator>> = BTreeMap::new();
        for i in &self.indicators {
            m.entry(i.theme.as_str()).or_default().push(i);
        }
        m
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.label_nl)
    }
}

const COLUMNS: [&str; 14] = [
    "id",
    "kwb",
    "aliases",
    "odata_stem",
    "odata_occurrence",
    "odata_title",
    "label_nl",
    "label_en",
    "unit",
    "direction",
    "denominator",
    "theme",
    "rounding",
    "family",
];

fn parse_indicators(text: &str, file: &str) -> Result<Vec<Indicator>, CatalogueError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| CatalogueError {
            file: file.into(),
            line: 1,
            column: "-".into(),
            message: e.to_string(),
        })?
        .clone();
    let header: Vec<&str> = headers.iter().collect();
    if header != COLUMNS {
        return Err(CatalogueError {
            file: file.into(),
            line: 1,
            column: "-".into(),
            message: format!("header must be exactly: {}", COLUMNS.join(",")),
        });
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| CatalogueError {
            file: file.into(),
            line,
            column: "-".into(),
            message: e.to_string(),
        })?;
        let err = |column: &str, message: String| CatalogueError {
            file: file.into(),
            line,
            column: column.into(),
            message,
        };
        if rec.len() != COLUMNS.len() {
            return Err(err(
                "-",
                format!(
                    "{} fields, expected {}; quote fields that contain commas",
                    rec.len(),
                    COLUMNS.len()
                ),
            ));
        }
        let f = |k: usize| rec.get(k).unwrap_or("").trim();
        let opt = |k: usize| {
            if f(k).is_empty() {
                None
            } else {
                Some(f(k).to_string())
            }
        };
        if f(0).is_empty() || !f(0).chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(err(
                "id",
                format!("'{}' is not a valid id; use letters, digits and _", f(0)),
            ));
        }
        let unit = Unit::parse(f(8)).ok_or_else(|| {
            err("unit", format!("unknown unit '{}'; use count, percent, per_1000, eur_1000, mean, per_km2, km, ha, kwh, m3, class, code or score", f(8)))
        })?;
        let direction = Direction::parse(f(9)).ok_or_else(|| {
            err(
                "direction",
                format!(
                    "unknown direction '{}'; use higher_is_better, higher_is_worse or neutral",
                    f(9)
                ),
            )
        })?;
        let odata_occurrence = f(4).parse::<u8>().map_err(|_| {
            err(
                "odata_occurrence",
                format!(
                    "'{}' is not a small whole number (0 for the first occurrence)",
                    f(4)
                ),
            )
        })?;
        let rounding = match f(12) {
            "" => None,
            s => Some(s.parse::<u32>().map_err(|_| {
                err(
                    "rounding",
                    format!("'{s}' is not a whole number (e.g. 5) or empty"),
                )
            })?),
        };
        if f(6).is_empty() || f(7).is_empty() {
            return Err(err(
                "label_nl",
                "both label_nl and label_en are required".into(),
            ));
        }
        if f(13).is_empty() {
            return Err(err(
                "family",
                "family is required (kwb, benefits, wmo, crime, leefbaarometer, …)".into(),
            ));
        }
        out.push(Indicator {
            id: f(0).to_string(),
            kwb: if f(1).is_empty() {
                f(0).to_string()
            } else {
                f(1).to_string()
            },
            aliases: f(2)
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            odata_stem: opt(3),
            odata_occurrence,
            odata_title: opt(5),
            label_nl: f(6).to_string(),
            label_en: f(7).to_string(),
            unit,
            direction,
            denominator: opt(10),
            theme: f(11).to_string(),
            rounding,
            family: f(13).to_string(),
            catalogued: true,
        });
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TablesFile {
    schema_version: u32,
    table: Vec<TableEntry>,
}

fn parse_tables(text: &str, file: &str) -> Result<Vec<TableEntry>, CatalogueError> {
    let parsed: TablesFile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
            .unwrap_or(0);
        CatalogueError {
            file: file.into(),
            line,
            column: "-".into(),
            message: e.message().to_string(),
        }
    })?;
    if parsed.schema_version != 1 {
        return Err(CatalogueError {
            file: file.into(),
            line: 1,
            column: "schema_version".into(),
            message: format!(
                "schema_version {} is not supported; this build reads 1",
                parsed.schema_version
            ),
        });
    }
    for (i, t) in parsed.table.iter().enumerate() {
        let line = text
            .match_indices("[[table]]")
            .nth(i)
            .map(|(at, _)| text[..at].lines().count() + 1)
            .unwrap_or(0);
        let fail = |column: &str, message: String| CatalogueError {
            file: file.into(),
            line,
            column: column.into(),
            message,
        };
        if parsed.table[..i]
            .iter()
            .any(|o| o.id.eq_ignore_ascii_case(&t.id))
        {
            return Err(fail("id", format!("table {} is listed twice", t.id)));
        }
        if let Some(f) = &t.fetch {
            match f.protocol {
                FetchProtocol::OdataV3 if f.region.as_deref().is_none_or(str::is_empty) => {
                    return Err(fail(
                        "fetch.region",
                        format!(
                            "table {}: an odata-v3 table needs the key of its region dimension (region = \"WijkenEnBuurten\")",
                            t.id
                        ),
                    ));
                }
                FetchProtocol::OgcFeatures
                    if f.path.as_deref().is_none_or(str::is_empty) || f.collections.is_empty() =>
                {
                    return Err(fail(
                        "fetch.path",
                        format!(
                            "table {}: an ogc-features table needs path and collections",
                            t.id
                        ),
                    ));
                }
                _ => {}
            }
            if t.edition.is_none() {
                return Err(fail(
                    "edition",
                    format!("table {}: a fetched table needs its edition", t.id),
                ));
            }
        }
    }
    Ok(parsed.table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_edition_that_is_fetched_is_one_row_with_its_protocol() {
        let c = Catalogue::embedded();
        let rows = |family: &str, e: u16| {
            c.tables()
                .iter()
                .filter(|t| t.family == family && t.edition == Some(e) && t.fetch.is_some())
                .count()
        };
        for e in 2014..=2025 {
            assert_eq!(rows("kwb", e), 1, "KWB {e}");
        }
        for e in 2016..=2024 {
            assert_eq!(rows("benefits", e), 1, "benefits {e}");
            assert_eq!(rows("wmo", e), 1, "wmo {e}");
        }
        for e in 2016..=2018 {
            assert_eq!(rows("crime", e), 1, "crime {e}");
        }
        for e in 2023..=2025 {
            assert_eq!(rows("geometry", e), 1, "shapes {e}");
        }
        for t in c.tables().iter().filter(|t| t.fetch.is_some()) {
            let f = t.fetch.as_ref().unwrap();
            match f.protocol {
                FetchProtocol::OdataV3 => {
                    assert!(t.id.ends_with("NED"), "{}", t.id);
                    assert_ne!(f.host, FetchHost::Pdok, "{}", t.id);
                }
                FetchProtocol::OgcFeatures => {
                    assert_eq!(f.host, FetchHost::Pdok, "{}", t.id);
                    let e = t.edition.unwrap();
                    assert_eq!(
                        f.path.as_deref(),
                        Some(format!("cbs/wijken-en-buurten-{e}/ogc/v1").as_str())
                    );
                }
            }
        }
    }

    #[test]
    fn a_table_row_without_what_its_protocol_needs_is_refused_with_its_line() {
        let head = "schema_version = 1\n";
        let ok = "[[table]]\nid = \"1NED\"\nedition = 2024\nfamily = \"kwb\"\ntitle = \"t\"\n";
        let twice = format!("{head}{ok}{ok}");
        let e = parse_tables(&twice, "tables.toml").unwrap_err();
        assert!(e.message.contains("listed twice"), "{e}");
        assert_eq!(e.line, 7);
        let no_region =
            format!("{head}{ok}fetch = {{ protocol = \"odata-v3\", host = \"cbs\" }}\n");
        let e = parse_tables(&no_region, "tables.toml").unwrap_err();
        assert_eq!(e.column, "fetch.region");
        let no_path =
            format!("{head}{ok}fetch = {{ protocol = \"ogc-features\", host = \"pdok\" }}\n");
        let e = parse_tables(&no_path, "tables.toml").unwrap_err();
        assert_eq!(e.column, "fetch.path");
        let bad_host = format!(
            "{head}{ok}fetch = {{ protocol = \"odata-v3\", host = \"cbs.nl\", region = \"X\" }}\n"
        );
        assert!(parse_tables(&bad_host, "tables.toml").is_err());
    }

    #[test]
    fn embedded_catalogue_is_valid() {
        let c =
            Catalogue::from_sources(INDICATORS_CSV, "indicators.csv", TABLES_TOML, "tables.toml")
                .unwrap();
        assert!(c.indicators().len() > 150);
        let p = c.get("p_wcorpw").unwrap();
        assert_eq!(p.unit, Unit::Percent);
        assert_eq!(p.denominator.as_deref(), Some("a_woning"));
        assert_eq!(c.by_code("g_woz", "kwb").unwrap().id, "g_wozbag");
        assert_eq!(
            c.by_odata_stem("Appartement", 1, "kwb").unwrap().id,
            "g_gas_ap"
        );
        assert_eq!(c.table_for("kwb", 2024).unwrap().id, "85984NED");
        assert_eq!(c.table_for("crime", 2020).unwrap().id, "47018NED");
    }

    #[test]
    fn bad_catalogue_rows_name_line_and_column() {
        let header = COLUMNS.join(",");
        let bad_unit = format!(
            "{header}\na_inw,a_inw,,AantalInwoners,0,t,l,l,furlongs,neutral,,bevolking,5,kwb\n"
        );
        let e = Catalogue::from_sources(&bad_unit, "x.csv", TABLES_TOML, "t.toml").unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (2, "unit"));
        let bad_den = format!(
            "{header}\na_inw,a_inw,,AantalInwoners,0,t,l,l,count,neutral,nope,bevolking,5,kwb\n"
        );
        let e = Catalogue::from_sources(
            &bad_den,
            "x.csv",
            "schema_version = 1\ntable = []\n",
            "t.toml",
        )
        .unwrap_err();
        assert_eq!(e.column, "denominator");
        let dup = format!(
            "{header}\na,a,,,0,,l,l,count,neutral,,t,,kwb\na,b,,,0,,l,l,count,neutral,,t,,kwb\n"
        );
        let e =
            Catalogue::from_sources(&dup, "x.csv", "schema_version = 1\ntable = []\n", "t.toml")
                .unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (3, "id"));
    }
}
