//! `veerkracht serve`: the dashboard and API on the workspace (or the demo region).

use std::net::{IpAddr, SocketAddr};

use anyhow::{Result, bail};
use clap::Args;

use crate::workspace::{Context, Origin};

#[derive(Args)]
pub struct ServeArgs {
    /// Address to bind. Default: this machine only (127.0.0.1).
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port (0 = any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Open the pages on this gemeente: a name as CBS writes it (Utrecht, 's-Gravenhage) or a
    /// code (GM0344). A page's `?gemeente=` (the chooser in the header) overrides it.
    #[arg(long, value_name = "NAAM|GMxxxx")]
    gemeente: Option<String>,
    /// Index definition (TOML); default: the embedded veerkracht-basis.
    #[arg(long, value_name = "TOML")]
    definition: Option<std::path::PathBuf>,
    /// The corporation's stock (flat portfolio CSV) for the Huurmix page; the demo region
    /// brings its own synthetic stock.
    #[arg(long, value_name = "CSV")]
    stock: Option<std::path::PathBuf>,
    /// Workspace mode for partners: login required, buurt plans, roles, audit log
    /// (accounts: `veerkracht accounts`).
    #[arg(long)]
    multi_user: bool,
    #[command(flatten)]
    db: crate::partners::DbArg,
    /// Mark session cookies Secure (set this when a TLS proxy serves veerkracht over https).
    #[arg(long)]
    secure_cookies: bool,
    /// A reverse proxy whose X-Forwarded-For names the client (IP address or CIDR block,
    /// repeatable; default none). From any other peer the header is ignored, so login limits
    /// count per real client only behind a proxy named here.
    #[arg(long = "trusted-proxy", value_name = "ADDR[/LEN]")]
    trusted_proxies: Vec<veerkracht_web::multi_user::TrustedProxy>,
    /// Minimale celgrootte: aantallen van 1 tot N−1 woningen of huishoudens (huurmix,
    /// scenario's) worden afgeschermd, met secundaire afscherming (minstens 2) / minimum
    /// cell size for figures from dwelling- or household-level data.
    #[arg(long = "min-cel", value_name = "N", default_value_t = veerkracht_privacy::Options::default().k)]
    min_cel: u64,
    /// Geheugen dat één scenarioberekening (scenario en basis) mag gebruiken, in MB
    /// (64–65536) / memory budget of one simulation request; larger requests are refused
    /// before they start.
    #[arg(long = "max-geheugen", value_name = "MB", default_value_t = veerkracht_sim::Budget::SERVER.bytes / veerkracht_sim::budget::MIB)]
    max_geheugen: u64,
    /// Werk dat één scenarioberekening mag vragen, in miljoenen eenheden (woningjaren plus
    /// zoekers over alle runs; 1–1000000) / work budget of one simulation request.
    #[arg(long = "max-werk", value_name = "M", default_value_t = veerkracht_sim::Budget::SERVER.work / 1_000_000)]
    max_werk: u64,
    /// Scenarioberekeningen die één gebruiker (of, zonder --multi-user, één adres) tegelijk
    /// mag laten lopen (1–64); daarboven 429 / concurrent simulations per user or address.
    #[arg(long = "zware-verzoeken", value_name = "N", default_value_t = 2)]
    zware_verzoeken: usize,
    /// Seconden die een scenarioberekening mag duren; daarna wordt ze gestopt en krijgt de
    /// vrager 503 (1–3600) / time limit of one simulation request.
    #[arg(long = "max-seconden", value_name = "S", default_value_t = veerkracht_web::heavy::MAX_SECONDS)]
    max_seconden: u64,
}

pub fn serve(ctx: &Context, a: ServeArgs) -> Result<()> {
    let privacy = crate::output::privacy(a.min_cel)?;
    // the partner workspace first: its refusals come before the data are loaded
    let partners = if a.multi_user {
        let ws = a.db.open()?;
        ws.stock_holder()
            .map_err(|e| anyhow::anyhow!("{e}; veerkracht serve --multi-user refuses to start"))?;
        if ws
            .organisations()
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .is_empty()
        {
            eprintln!(
                "let op: de partnerwerkruimte {} heeft nog geen organisaties — maak ze met `veerkracht accounts org-add` en `accounts user-add` (of `accounts demo`)",
                ws.location().describe()
            );
        }
        if a.secure_cookies && a.trusted_proxies.is_empty() {
            eprintln!(
                "let op: --secure-cookies zonder --trusted-proxy: X-Forwarded-For wordt genegeerd, dus achter een proxy tellen alle aanmeldpogingen voor het adres van de proxy"
            );
        }
        let mut p = veerkracht_web::multi_user::Partners::new(ws, a.secure_cookies);
        p.trusted_proxies = a.trusted_proxies.clone();
        Some(p)
    } else {
        None
    };
    let (origin, ds) = ctx.load()?;
    let def = match &a.definition {
        None => veerkracht_index::Definition::veerkracht_basis(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", p.display()))?;
            veerkracht_index::Definition::parse(&text, &p.display().to_string(), ds.catalogue())?
        }
    };
    if ds.editions().is_empty() {
        bail!("the workspace is empty — import KWB data first (veerkracht import …)");
    }
    let synthetic = matches!(origin, Origin::Demo);
    let limits = veerkracht_web::heavy::Limits {
        budget: veerkracht_sim::Budget {
            bytes: a.max_geheugen.saturating_mul(veerkracht_sim::budget::MIB),
            work: a.max_werk.saturating_mul(1_000_000),
        },
        per_client: a.zware_verzoeken,
        seconds: a.max_seconden,
        ..veerkracht_web::heavy::Limits::default()
    };
    let mut state = veerkracht_web::AppState::new(ds, origin.describe(), synthetic, def)
        .with_privacy(privacy)
        .map_err(anyhow::Error::msg)?
        .with_limits(limits)
        .map_err(anyhow::Error::msg)?;
    let stock = match (&a.stock, synthetic) {
        (Some(p), _) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", p.display()))?;
            Some(
                veerkracht_huurmix::Voorraad::parse(p.display().to_string(), &text)
                    .map_err(anyhow::Error::msg)?,
            )
        }
        (None, true) => {
            let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
            let f = region
                .file("veerstad-corporatie-voorraad.csv")
                .ok_or_else(|| anyhow::anyhow!("the demo region has no stock file"))?;
            Some(
                veerkracht_huurmix::Voorraad::parse(
                    "veerstad-corporatie-voorraad.csv (synthetische demodata)",
                    &String::from_utf8_lossy(&f.bytes),
                )
                .map_err(anyhow::Error::msg)?,
            )
        }
        (None, false) => None,
    };
    if let Some(s) = stock {
        state = state.with_stock(s);
    }
    if let Some(g) = &a.gemeente {
        state = state
            .with_focus(g)
            .map_err(|e| anyhow::anyhow!("--gemeente: {e}"))?;
    }
    if let Some(p) = partners {
        state = state.with_partners(p);
    } else if !a.bind.is_loopback() {
        eprintln!(
            "let op: zonder --multi-user is er geen aanmelding; iedereen die dit adres bereikt ziet alles"
        );
    }
    let addr = SocketAddr::new(a.bind, a.port);
    let public = !a.bind.is_loopback();
    veerkracht_web::serve(addr, state, |bound| {
        // The first line on stdout is the address (scripts and tests read it).
        println!("http://{bound}/");
        eprintln!(
            "veerkracht dashboard op http://{bound}/ — {}; stoppen met Ctrl-C",
            if public {
                "LET OP: bereikbaar vanaf andere machines"
            } else {
                "alleen op deze machine"
            }
        );
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
    })?;
    Ok(())
}
