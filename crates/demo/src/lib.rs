//! veerkracht-demo: a seeded generator of the embedded demo region **Veerstad**.
//!
//! Veerstad (gemeente `GM9001`) is fully synthetic — *synthetische demodata, geen echte
//! gegevens* — but plausible and internally consistent, so the tool can be tried offline on a
//! fresh machine. The same seed always gives byte-identical files.
//!
//! What [`generate`] produces:
//! - `veerstad-kwb-{2019..2024}.csv`: Kerncijfers wijken en buurten in the CBS download style
//!   (121 short-code columns, `;`, decimal comma, `.` for missing), rows `Nederland`, the
//!   gemeente, then per wijk the wijk row followed by its buurten;
//! - `veerstad-{gemeente,wijken,buurten}-{year}.geojson`: boundaries in RD New (EPSG:28992);
//! - `veerstad-leefbaarometer.csv`, `veerstad-misdrijven.csv`, `veerstad-corporatie-voorraad.csv`;
//! - `README.txt`.
//!
//! The storyline: a spatially autocorrelated deprivation field; about a dozen corporation
//! dominated buurten; some buurten worsen, some improve, and a few show rising vulnerability
//! together with rising nuisance (the veerkracht signal). One buurt is split in 2022 (two new
//! codes, `ind_wbi` 2), one is renamed in 2023 (same code).
//!
//! ```
//! let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
//! let kwb = region.file("veerstad-kwb-2024.csv").unwrap();
//! assert!(kwb.bytes.starts_with(b"gwb_code_10;gwb_code_8;regio"));
//! ```

mod alloc;
mod columns;
mod crime;
mod geojson;
mod geometry;
mod kwb;
mod leefbaarometer;
mod names;
mod national;
mod profile;
mod publish;
mod quantity;
mod region;
mod rng;
mod stock;

use std::path::Path;

pub use national::national_kwb_csv;

/// The seed of the embedded demo region.
pub const DEFAULT_SEED: u64 = 20240101;

/// The KWB editions (years) that are generated.
pub const EDITIONS: [i32; 6] = [2019, 2020, 2021, 2022, 2023, 2024];

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoFile {
    /// File name without directory, e.g. `veerstad-kwb-2024.csv`.
    pub name: String,
    /// File content (UTF-8 text).
    pub bytes: Vec<u8>,
}

/// All files of the demo region, in a fixed order (`README.txt` first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoRegion {
    /// The files.
    pub files: Vec<DemoFile>,
}

impl DemoRegion {
    /// The files an area workspace imports (CSV and GeoJSON, not the corporation stock, which
    /// the WWS and simulation engines read instead).
    pub fn area_files(&self) -> impl Iterator<Item = &DemoFile> {
        self.files.iter().filter(|f| {
            let lower = f.name.to_lowercase();
            (lower.ends_with(".csv") || lower.ends_with(".geojson")) && !lower.contains("voorraad")
        })
    }

    /// Writes every file into `dir` (created if missing), overwriting existing files.
    ///
    /// # Errors
    /// Any I/O error from creating the directory or writing a file.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for file in &self.files {
            std::fs::write(dir.join(&file.name), &file.bytes)?;
        }
        Ok(())
    }

    /// The file called `name`, if generated.
    pub fn file(&self, name: &str) -> Option<&DemoFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// The texts a simulation of Veerstad reads, as (file name, text): the corporation stock
    /// (flat portfolio CSV) and the KWB files in order of preference, 2024 then 2023 (income is
    /// published a year later). `voorraad = "demo"` and `kwb = ["demo"]` of a scenario.
    pub fn simulation_files(&self) -> ((String, String), Vec<(String, String)>) {
        let text = |n: &str| {
            let f = self.file(n).expect("the demo region has this file");
            (
                n.to_string(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        };
        (
            text("veerstad-corporatie-voorraad.csv"),
            vec![text("veerstad-kwb-2024.csv"), text("veerstad-kwb-2023.csv")],
        )
    }
}

fn text_file(name: String, text: String) -> DemoFile {
    DemoFile {
        name,
        bytes: text.into_bytes(),
    }
}

/// Generates the Veerstad demo region for `seed`.
pub fn generate(seed: u64) -> DemoRegion {
    let region = region::build(seed);
    let panel = kwb::Panel::new(&region);
    let mut files: Vec<DemoFile> = EDITIONS
        .iter()
        .map(|&year| {
            let rows = kwb::rows(&region, &panel, year, seed);
            text_file(
                format!("veerstad-kwb-{year}.csv"),
                publish::kwb_csv(&rows, year),
            )
        })
        .collect();
    for year in EDITIONS {
        files.push(text_file(
            format!("veerstad-gemeente-{year}.geojson"),
            geojson::gemeente(&region, year),
        ));
        files.push(text_file(
            format!("veerstad-wijken-{year}.geojson"),
            geojson::wijken(&region, year),
        ));
        files.push(text_file(
            format!("veerstad-buurten-{year}.geojson"),
            geojson::buurten(&region, year),
        ));
    }
    files.push(text_file(
        "veerstad-leefbaarometer.csv".into(),
        leefbaarometer::csv(&region, seed),
    ));
    files.push(text_file(
        "veerstad-misdrijven.csv".into(),
        crime::csv(&region, &panel, seed),
    ));
    files.push(text_file(
        "veerstad-corporatie-voorraad.csv".into(),
        stock::csv(&region, &panel, seed),
    ));
    files.insert(
        0,
        text_file("README.txt".into(), readme(seed, &region, &files)),
    );
    DemoRegion { files }
}

fn readme(seed: u64, region: &region::Region, files: &[DemoFile]) -> String {
    let split = region
        .buurten
        .iter()
        .find(|b| b.to < region::SPLIT_YEAR)
        .map_or("-", |b| b.code.as_str());
    let renamed = region
        .buurten
        .iter()
        .find(|b| b.renamed.is_some())
        .map_or("-", |b| b.code.as_str());
    let with_role = |role| -> Vec<&str> {
        region
            .buurten
            .iter()
            .filter(|b| b.role == role)
            .map(|b| b.code.as_str())
            .collect()
    };
    let storyline = format!(
        "Verhaallijn (ter controle van analyses):\n\
         - veerkrachtsignaal (kwetsbaarheid en overlast nemen beide toe): {}\n\
         - verslechterend zonder meer overlast: {}\n\
         - verbeterend: {}\n",
        with_role(region::Role::Signal).join(", "),
        with_role(region::Role::Worsening).join(", "),
        with_role(region::Role::Improving).join(", "),
    );
    let list: Vec<String> = files
        .iter()
        .map(|f| format!("  - {} ({} bytes)", f.name, f.bytes.len()))
        .collect();
    format!(
        "Veerstad — synthetische demodata — geen echte gegevens\n\
         =====================================================\n\n\
         Alle bestanden in deze map zijn kunstmatig gegenereerd door veerkracht-demo.\n\
         Veerstad (gemeentecode GM9001) bestaat niet; geen enkel cijfer is overgenomen uit\n\
         echte bronnen. De bestanden volgen wel de vorm van de echte bronnen: CBS Kerncijfers\n\
         wijken en buurten, de CBS wijk- en buurtkaart (RD New, EPSG:28992), de Leefbaarometer\n\
         3.0, politiecijfers (47018NED) en een woningvoorraad in VERA-stijl.\n\n\
         These files are synthetic demo data, not real data.\n\n\
         Seed: {seed}\n\
         Edities KWB: {first}-{last}. Buurt {split} is per 2022 gesplitst in twee nieuwe buurten\n\
         (ind_wbi 2); buurt {renamed} heeft per 2023 een nieuwe naam (zelfde code).\n\
         Leefbaarometer: alleen buurten met inwoners.\n\n\
         {storyline}\n\
         Bestanden:\n{list}\n",
        first = EDITIONS[0],
        last = EDITIONS[EDITIONS.len() - 1],
        list = list.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn editions_match_region_years() {
        assert_eq!(
            super::EDITIONS.to_vec(),
            super::region::YEARS.collect::<Vec<_>>()
        );
    }
}
