//! `veerkracht`: the command-line entry point. It parses arguments and wires
//! the library crates together; it computes nothing itself.

mod analysis;
mod commands;
mod fetch;
mod output;
mod partners;
mod report;
#[cfg(feature = "serve")]
mod serve;
mod simulate;
mod spatial;
mod workspace;
mod wws;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Voorbeelden / examples:
  veerkracht serve                                  dashboard op http://127.0.0.1:8080/ (demoregio of ./veerkracht.gpkg)
  veerkracht info                                   ingebouwde demoregio Veerstad (synthetische demodata)
  veerkracht import kwb-2024.csv uitkeringen.csv    CBS-bestanden in ./veerkracht.gpkg laden
  veerkracht import wijken_2024.geojson --edition 2024
  veerkracht fetch --gemeente Utrecht --from 2016 --to 2024   gegevens van CBS en PDOK ophalen en inlezen
  veerkracht info --json                            werkruimte als JSON
  veerkracht export --level buurt --edition 2024 --out buurten.xlsx
  veerkracht export --level wijk --out wijken.gpkg  (laatste editie; opent in QGIS)
  veerkracht crosswalk --from 2021 --to 2022 --level buurt
  veerkracht indicators --theme zorg
  veerkracht index --edition 2024                   veerkracht-index per buurt (hoger = meer veerkracht)
  veerkracht index --area BU90010312                waarom scoort deze buurt zo?
  veerkracht signal --from 2020 --to 2024           kwetsbaarheid en druk samen omhoog?
  veerkracht compare corporatie                     corporatiebuurten tegenover overige buurten
  veerkracht spatial lisa --indicator p_wmo_t --level wijk   clusters (hoog-hoog, laag-laag, …)
  veerkracht spatial moran --index veerkracht-basis  ruimtelijke autocorrelatie van de index
  veerkracht demo --out veerstad/                   de demobestanden wegschrijven
  veerkracht simulate compare basis spreiding       toewijzingsscenario's per buurt vergelijken (Monte Carlo)
  veerkracht accounts demo                          demopartners (gemeente, corporatie, zorg, …) in ./veerkracht-partners.sqlite
  veerkracht serve --multi-user                     gedeelde buurtaanpak met aanmelden, rollen en logboek
  veerkracht backup --out partners.jsonl            reservekopie van de partnerwerkruimte

Zonder --workspace gebruikt veerkracht ./veerkracht.gpkg als die bestaat, anders de demoregio.";

/// veerkracht — veerkracht van buurten meten, vergelijken en plannen.
///
/// Leest CBS Kerncijfers wijken en buurten, uitkeringen, Wmo, misdrijven,
/// Leefbaarometer en PDOK-geometrie in een werkruimte (GeoPackage) en maakt ze
/// beschikbaar voor analyse en export. (Resilience of Dutch neighbourhoods.)
#[derive(Parser)]
#[command(name = "veerkracht", version, about, long_about = None, after_help = EXAMPLES)]
struct Cli {
    /// Workspace file (GeoPackage). Default: ./veerkracht.gpkg if it exists, else the demo region.
    #[arg(long, global = true, value_name = "PATH")]
    workspace: Option<PathBuf>,
    /// Machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Editions, areas per level, indicator coverage, reliability and sources.
    Info(commands::InfoArgs),
    /// Import CBS/PDOK files into the workspace (one transaction; re-importing is a no-op).
    Import(commands::ImportArgs),
    /// Fetch the public data of gemeenten from CBS and PDOK and import it (one transaction).
    Fetch(fetch::FetchArgs),
    /// Write one level and edition to CSV, GeoJSON, GeoPackage or XLSX (by extension).
    Export(commands::ExportArgs),
    /// List the indicator catalogue.
    Indicators(commands::IndicatorsArgs),
    /// Match areas between two editions (code, name, geometry overlap).
    Crosswalk(commands::CrosswalkArgs),
    /// Write the files of the synthetic demo region Veerstad to a directory.
    Demo(commands::DemoArgs),
    /// The veerkracht index per area: score, class, components and the "waarom".
    Index(analysis::IndexArgs),
    /// The veerkracht signal: did vulnerability and pressure rise together?
    Signal(analysis::SignalArgs),
    /// Compare corporatiebuurten with the other buurten (bootstrap intervals, matched pairs).
    Compare(analysis::CompareArgs),
    /// WWS rent points (huurpunten) per dwelling or portfolio, what-if changes, rent mix per buurt.
    Wws(wws::WwsArgs),
    /// The web dashboard and JSON API (Dutch, English with ?lang=en) on http://127.0.0.1:8080/.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Spatial weights and autocorrelation: Moran's I, LISA clusters, Getis-Ord hotspots.
    #[command(subcommand)]
    Spatial(spatial::SpatialCommand),
    /// Allocation and housing-mix scenarios per buurt (Monte Carlo): SCENARIO.toml or `compare A B`.
    Simulate(simulate::SimulateArgs),
    /// The partner workspace: organisations, users, audit log (`serve --multi-user`).
    #[command(subcommand)]
    Accounts(partners::AccountsCommand),
    /// Back up the partner workspace (SQLite or PostgreSQL) to a checked file.
    Backup(partners::BackupArgs),
    /// Restore a backup into an empty partner workspace (also SQLite ↔ PostgreSQL).
    Restore(partners::RestoreArgs),
}

fn main() -> ExitCode {
    // A reader that stops early (`veerkracht index --json | head`) closes the pipe; end
    // quietly as other Unix tools do, instead of a panic from println!.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let ctx = workspace::Context {
        workspace: cli.workspace.clone(),
        json: cli.json,
    };
    let result = match cli.command {
        Command::Info(a) => commands::info(&ctx, a),
        Command::Import(a) => commands::import(&ctx, a),
        Command::Fetch(a) => fetch::fetch(&ctx, a),
        Command::Export(a) => commands::export(&ctx, a),
        Command::Indicators(a) => commands::indicators(&ctx, a),
        Command::Crosswalk(a) => commands::crosswalk(&ctx, a),
        Command::Demo(a) => commands::demo(&ctx, a),
        Command::Index(a) => analysis::index(&ctx, a),
        Command::Signal(a) => analysis::signal(&ctx, a),
        Command::Compare(a) => analysis::compare(&ctx, a),
        Command::Wws(a) => wws::wws(&ctx, a),
        Command::Spatial(c) => spatial::spatial(&ctx, c),
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::serve(&ctx, a),
        Command::Simulate(a) => simulate::simulate(&ctx, a),
        Command::Accounts(c) => partners::accounts(&ctx, c),
        Command::Backup(a) => partners::backup(a),
        Command::Restore(a) => partners::restore(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("fout: {msg}");
            ExitCode::FAILURE
        }
    }
}
