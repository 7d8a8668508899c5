//! Choosing the workspace: an explicit file, ./veerkracht.gpkg, or the demo region.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use veerkracht_dataset::{Catalogue, Dataset};
use veerkracht_ingest::{ImportOptions, import_bytes};
use veerkracht_store::{DEFAULT_FILE, Workspace};

/// Global options.
pub struct Context {
    pub workspace: Option<PathBuf>,
    pub json: bool,
}

/// Where the data come from.
pub enum Origin {
    File(PathBuf),
    Demo,
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Demo => "ingebouwde demoregio Veerstad — synthetische demodata".to_string(),
        }
    }
}

impl Context {
    /// The workspace to read: explicit, ./veerkracht.gpkg, or the demo region.
    pub fn origin(&self) -> Origin {
        match &self.workspace {
            Some(p) => Origin::File(p.clone()),
            None => {
                let p = PathBuf::from(DEFAULT_FILE);
                if p.exists() {
                    Origin::File(p)
                } else {
                    Origin::Demo
                }
            }
        }
    }

    /// The workspace file to write to (explicit or ./veerkracht.gpkg).
    pub fn target(&self) -> PathBuf {
        self.workspace
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE))
    }

    /// Loads the dataset to read from.
    pub fn load(&self) -> Result<(Origin, Dataset)> {
        let catalogue = Catalogue::embedded();
        let origin = self.origin();
        let ds = match &origin {
            Origin::File(p) => Workspace::open_existing(p)?.load(&catalogue)?,
            Origin::Demo => demo_workspace(&catalogue)?.load(&catalogue)?,
        };
        Ok((origin, ds))
    }
}

/// Builds the demo region in memory, through the same importers as real data.
pub fn demo_workspace(catalogue: &Catalogue) -> Result<Workspace> {
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let opts = ImportOptions {
        synthetic: true,
        ..ImportOptions::default()
    };
    let mut batches = Vec::new();
    for f in region.area_files() {
        let b = import_bytes(&f.name, &f.bytes, catalogue, &opts)
            .with_context(|| format!("demo file {}", f.name))?;
        batches.extend(b);
    }
    let mut ws = Workspace::in_memory()?;
    ws.import(&batches)?;
    Ok(ws)
}
