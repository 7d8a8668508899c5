//! The malformed-input catalogue: for every kind of input, broken inputs a user can meet
//! and the message each gives. `tests/catalogue.rs` runs every case through [`crate::run`]
//! and checks that `docs/foutmeldingen.md` is exactly what [`render`] makes of the
//! results, so the document stays true; `VEERKRACHT_BLESS=1` rewrites it.

use crate::{Kind, Outcome};

/// One broken input: its kind, what is wrong with it (Dutch, as a user would say it) and
/// the bytes.
pub struct Case {
    pub kind: Kind,
    pub wat: &'static str,
    pub input: Vec<u8>,
}

fn case(kind: Kind, wat: &'static str, input: impl Into<Vec<u8>>) -> Case {
    Case {
        kind,
        wat,
        input: input.into(),
    }
}

const KWB: &str = "gwb_code;regio;recs;a_inw;p_wcorpw\n";
const FLAT: &str = "eenheid_id;woningtype;bouwjaar;oppervlakte_m2;energielabel;woz_waarde\n";
const BASIS: &str = veerkracht_index::definition::VEERKRACHT_BASIS;
const SPREIDING: &str = include_str!("../../../data/sim/scenarios/spreiding.toml");
const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150100,450100],[150000,450100],[150000,450000]]]}"#;

/// Every case, in the order of the document.
pub fn cases() -> Vec<Case> {
    use Kind::*;
    let crs = r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}}"#;
    vec![
        case(KwbCsv, "leeg bestand", ""),
        case(
            KwbCsv,
            "geen kolom met een gebiedscode",
            "regio;recs;a_inw\nNoord;Buurt;120\n",
        ),
        case(
            KwbCsv,
            "rij met te weinig velden (afgebroken download)",
            format!("{KWB}BU90010101;Noord;Buurt;120;45\nBU90010102;Zuid;Buurt\n"),
        ),
        case(
            KwbCsv,
            "onbekend scheidingsteken",
            "gwb_code:regio:recs:a_inw\nBU90010101:Noord:Buurt:120\n",
        ),
        case(
            KwbCsv,
            "geen UTF-8 (Excel-export in Windows-1252)",
            b"gwb_code;regio;recs;a_inw\nBU90010101;Br\xe9e;Buurt;120\n".to_vec(),
        ),
        case(
            KwbCsv,
            "dezelfde code twee keer",
            format!("{KWB}BU90010101;Noord;Buurt;120;45\nbu90010101 ;Noord;Buurt;120;45\n"),
        ),
        case(
            KwbCsv,
            "code met een onbekend voorvoegsel",
            format!("{KWB}XY90010101;Noord;Buurt;120;45\n"),
        ),
        case(
            KwbCsv,
            "tekst in een getalkolom",
            format!("{KWB}BU90010101;Noord;Buurt;ongeveer 120;45\n"),
        ),
        case(
            KwbCsv,
            "decimale komma en punt door elkaar",
            format!("{KWB}BU90010101;Noord;Buurt;120;45,5\nBU90010102;Zuid;Buurt;80;10.5\n"),
        ),
        case(
            KwbCsv,
            "niveau past niet bij de code",
            format!("{KWB}BU90010101;Noord;Wijk;120;45\n"),
        ),
        case(
            AreaTableCsv,
            "tabel die geen mapping herkent en geen gebiedscode heeft",
            "Onderwerp;Waarde\nfietsen;12\n",
        ),
        case(
            AreaTableCsv,
            "bestand is een GeoPackage met de naam .csv, afgekapt",
            b"SQLite format 3\0rest".to_vec(),
        ),
        case(MappingToml, "geen TOML", "dit is geen toml = = \n"),
        case(
            MappingToml,
            "verplichte sleutel ontbreekt",
            "schema_version = 1\ntable = \"t\"\n",
        ),
        case(
            MappingToml,
            "onbekende sleutel",
            "schema_version = 1\ntable = \"t\"\nfamily = \"crime\"\ntitle = \"x\"\ndetect_any = [\"a\"]\nkolommen = 3\n",
        ),
        case(
            Xlsx,
            "kapotte werkmap",
            b"PK\x03\x04 this is not a workbook".to_vec(),
        ),
        case(
            Xlsx,
            "geen werkmap maar tekst",
            "gwb_code;a_inw\nBU90010101;3\n",
        ),
        case(OdataJson, "afgebroken JSON", r#"{"value":[{"ID":0}"#),
        case(
            OdataJson,
            "TypedDataSet zonder DataProperties",
            r#"{"value":[{"ID":0,"WijkenEnBuurten":"BU90010101","AantalInwoners_5":120}]}"#,
        ),
        case(
            Geojson,
            "ring niet gesloten",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"buurtcode":"BU90010101"},"geometry":{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150100,450100],[150000,450100]]]}}]}"#,
        ),
        case(
            Geojson,
            "vlak zonder oppervlakte",
            format!(
                r#"{{"type":"FeatureCollection",{crs},"features":[{{"type":"Feature","properties":{{"buurtcode":"BU90010101"}},"geometry":{{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150200,450000],[150000,450000]]]}}}}]}}"#
            ),
        ),
        case(
            Geojson,
            "lijn in plaats van vlak",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"buurtcode":"BU90010101"},"geometry":{"type":"LineString","coordinates":[[5.1,52.1],[5.2,52.2]]}}]}"#,
        ),
        case(
            Geojson,
            "geen gebiedscode in de eigenschappen",
            format!(
                r#"{{"type":"FeatureCollection",{crs},"features":[{{"type":"Feature","properties":{{"naam":"Noord"}},"geometry":{SQUARE}}}]}}"#
            ),
        ),
        case(Gpkg, "geen SQLite-bestand", "dit is tekst"),
        case(Gpkg, "SQLite-kop, afgekapt bestand", {
            let mut b = b"SQLite format 3\0".to_vec();
            b.resize(600, 0);
            b
        }),
        case(GpkgGeometry, "geen GP-kop", "WKB zonder kop"),
        case(
            GpkgGeometry,
            "GP-kop, WKB afgekapt",
            b"GP\0\x01\x40\x71\0\0\x01\x03\0\0\0\x01\0\0\0\x05".to_vec(),
        ),
        case(VeraJson, "geen JSON", "{eenheid"),
        case(
            VeraJson,
            "NDJSON met een kapotte regel",
            "{\"id\": \"a\"}\n{kapot\n",
        ),
        case(VeraJson, "lijst met iets anders dan eenheden", "[1, 2]"),
        case(
            FlatCsv,
            "verplichte kolom ontbreekt",
            "eenheid_id;woningtype\nx;MGW\n",
        ),
        case(
            FlatCsv,
            "onbekend woningtype",
            format!("{FLAT}VS1;FLAT;1970;60;C;200000\n"),
        ),
        case(
            FlatCsv,
            "oppervlakte nul",
            format!("{FLAT}VS1;MGW;1970;0;C;200000\n"),
        ),
        case(
            FlatCsv,
            "bouwjaar geen jaartal",
            format!("{FLAT}VS1;MGW;negentienzeventig;60;C;200000\n"),
        ),
        case(
            FlatCsv,
            "WOZ-waarde ontbreekt",
            format!("{FLAT}VS1;MGW;1970;60;C;\n"),
        ),
        case(IndexDefinition, "geen TOML", "[component\n"),
        case(
            IndexDefinition,
            "verplicht veld ontbreekt",
            "schema_version = 1\nid = \"x\"\n[[component]]\nid = \"a\"\nweight = 1\n",
        ),
        case(
            IndexDefinition,
            "onbekende bronkolom (de meegeleverde definitie met één fout)",
            BASIS.replacen("source = \"a_soz_wb\"", "source = \"a_soz_wbx\"", 1),
        ),
        case(
            IndexDefinition,
            "gewicht negatief",
            BASIS.replacen("weight = 1.0", "weight = -1.0", 1),
        ),
        case(Scenario, "geen TOML", "[jaren\n"),
        case(
            Scenario,
            "verplicht veld ontbreekt",
            "schema = 1\nnaam = \"x\"\n",
        ),
        case(
            Scenario,
            "onbekend schema (het meegeleverde scenario met één fout)",
            SPREIDING.replacen("schema = 1", "schema = 7", 1),
        ),
        case(
            Scenario,
            "aandeel boven 1",
            SPREIDING.replacen("max_aandeel = 0.20", "max_aandeel = 20", 1),
        ),
        case(
            Scenario,
            "onbekende sleutel",
            SPREIDING.replacen("[spreiding]", "[spreiding]\nmaximum = 3", 1),
        ),
        case(Gal, "leeg bestand", ""),
        case(Gal, "buur met een onbekende id", "0 2\n1 1\n9\n2 1\n1\n"),
        case(Gal, "aantal buren klopt niet", "0 2\n1 3\n2\n2 1\n1\n"),
        case(Gwt, "gewicht geen getal", "0 2 x id\n1 2 veel\n"),
        case(Gwt, "te weinig kolommen", "0 2 x id\n1 2\n"),
        case(ApiRunBody, "geen JSON", "scenario=basis"),
        case(
            ApiRunBody,
            "onbekend veld",
            r#"{"scenario": "basis", "jaren": 5}"#,
        ),
        case(
            ApiRunBody,
            "aantal runs buiten 1–500",
            r#"{"scenario": "basis", "runs": 100000}"#,
        ),
        case(
            ApiRunBody,
            "onbekend scenario",
            r#"{"scenario": "alles-beter"}"#,
        ),
        case(
            ApiRunBody,
            "ongeldige scenario-TOML",
            r#"{"scenario": "schema = 1\n[jaren"}"#,
        ),
        case(ApiEditForm, "veld toml ontbreekt", "runs=10"),
        case(ApiEditForm, "ongeldige scenario-TOML", "toml=schema+%3D+2"),
    ]
}

fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\r', "")
        .replace('\n', " ⏎ ")
        .replace('`', "'")
}

/// The input as shown in the document: text up to 70 characters, otherwise its size.
fn shown(input: &[u8]) -> String {
    match std::str::from_utf8(input) {
        Ok("") => "(leeg)".into(),
        Ok(t) if t.chars().all(|c| !c.is_control() || c == '\n') => {
            let short: String = t.chars().take(70).collect();
            let more = if t.chars().count() > 70 { " …" } else { "" };
            format!("`{}`{more}", cell(&short))
        }
        _ => format!("({} bytes, binair)", input.len()),
    }
}

/// The document: per kind, each case with the message it gives.
pub fn render(results: &[(Case, Outcome)]) -> String {
    let mut s = String::from(
        "# Foutmeldingen bij invoer (malformed-input catalogue)\n\n\
         Wat veerkracht zegt bij kapotte of onverwachte invoer, per soort invoer. Elke melding\n\
         noemt het bestand (of het veld), de plaats (regel, rij, kolom, sleutel) waar die er is,\n\
         wat er mis is en hoe het te herstellen. Nooit een crash, nooit stilzwijgend nullen.\n\n\
         *Gegenereerd* door `crates/fuzzing/tests/catalogue.rs` uit de gevallen in\n\
         `crates/fuzzing/src/catalogue.rs`: de test faalt als dit bestand afwijkt van wat de code nu\n\
         meldt; `VEERKRACHT_BLESS=1 cargo test -p veerkracht-fuzzing --test catalogue` schrijft het\n\
         opnieuw. Dezelfde lezers draaien onder de fuzzer (`fuzz/README.md`).\n",
    );
    for k in Kind::ALL {
        let rows: Vec<_> = results.iter().filter(|(c, _)| c.kind == k).collect();
        if rows.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\n## {} (`{}`, gelezen als `{}`)\n\n| wat er mis is | invoer | melding |\n|---|---|---|\n",
            k.beschrijving(),
            k.name(),
            k.file_name()
        ));
        for (c, o) in rows {
            let melding = match o {
                Outcome::Refused(m) => cell(m),
                Outcome::Ok { n } => format!("(geaccepteerd, {n} gelezen)"),
            };
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                c.wat,
                shown(&c.input),
                melding
            ));
        }
    }
    s
}
