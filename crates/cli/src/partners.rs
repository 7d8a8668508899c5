//! `veerkracht accounts`, `backup`, `restore`: the partner workspace from the command line
//! (organisations, users, the audit log, backups). `serve --multi-user` serves it.

use std::io::BufRead as _;
use std::path::PathBuf;

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, Subcommand};
use veerkracht_partners::{Location, OrgKind, PartnerDb, Role, format_time};

use crate::workspace::Context;

/// Where the partner workspace lives: a SQLite file (default `./veerkracht-partners.sqlite`)
/// or a PostgreSQL connection string (`postgres://…` or `host=… dbname=…`).
#[derive(Args, Clone)]
pub struct DbArg {
    /// Partner workspace database: SQLite file or PostgreSQL connection string
    /// (also from VEERKRACHT_PARTNER_DB).
    #[arg(
        long,
        value_name = "PAD|URL",
        env = "VEERKRACHT_PARTNER_DB",
        default_value = "veerkracht-partners.sqlite"
    )]
    pub partner_db: String,
}

impl DbArg {
    pub fn open(&self) -> Result<PartnerDb> {
        let loc = Location::parse(&self.partner_db);
        PartnerDb::open(&loc, veerkracht_partners::Options::default())
            .map_err(|e| anyhow!("{}: {e}", loc.describe()))
    }
}

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// Add an organisation (corporatie, gemeente, zorg, politie, huurdersorganisatie, overig).
    OrgAdd {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: String,
        /// GM code of a gemeente the organisation works in (repeatable).
        #[arg(long = "gemeente", value_name = "GMxxxx")]
        gemeenten: Vec<String>,
        /// A corporation whose own stock and allocation data this server holds (at most one
        /// organisation).
        #[arg(long)]
        own_stock: bool,
    },
    /// Add a user; the password is read from VEERKRACHT_PASSWORD or the first line of stdin.
    UserAdd {
        #[command(flatten)]
        db: DbArg,
        /// The organisation's name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        username: String,
        /// Display name (default: the user name).
        #[arg(long)]
        name: Option<String>,
        /// beheerder, analist or lezer.
        #[arg(long)]
        role: String,
    },
    /// Set a new password (VEERKRACHT_PASSWORD or stdin); ends the user's sessions and revokes
    /// their API tokens.
    Password {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        username: String,
    },
    /// List organisations and users.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Print the audit log; --verify checks the database and the hash chain (exit 1 when broken).
    Audit {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        verify: bool,
    },
    /// Create the demo partners of Veerstad (gemeente, corporatie with its stock, zorg, politie)
    /// with one user per role; all get the password from VEERKRACHT_PASSWORD or stdin.
    Demo {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Args)]
pub struct BackupArgs {
    #[command(flatten)]
    db: DbArg,
    /// Backup file (JSON lines, checked on restore); written to a temporary file first.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    db: DbArg,
    /// A file written by `veerkracht backup`.
    #[arg(long = "from", value_name = "FILE")]
    from: PathBuf,
}

fn password() -> Result<String> {
    if let Ok(p) = std::env::var("VEERKRACHT_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        bail!("no password: set VEERKRACHT_PASSWORD or pipe it on stdin");
    }
    Ok(p)
}

fn err(e: veerkracht_partners::Error) -> anyhow::Error {
    anyhow!("{e}")
}

pub fn accounts(ctx: &Context, c: AccountsCommand) -> Result<()> {
    match c {
        AccountsCommand::OrgAdd {
            db,
            name,
            kind,
            gemeenten,
            own_stock,
        } => {
            let ws = db.open()?;
            let kind = OrgKind::parse("--kind", &kind).map_err(err)?;
            let id = ws
                .create_org(None, &name, kind, &gemeenten, own_stock)
                .map_err(err)?;
            println!("organisatie {id}: {name} ({kind})");
        }
        AccountsCommand::UserAdd {
            db,
            org,
            username,
            name,
            role,
        } => {
            let ws = db.open()?;
            let role = Role::parse("--role", &role).map_err(err)?;
            let o = ws.org_by_name(&org).map_err(err)?;
            let pw = password()?;
            let id = ws
                .create_user(
                    None,
                    o.id,
                    &username,
                    name.as_deref().unwrap_or(&username),
                    role,
                    &pw,
                )
                .map_err(err)?;
            println!("gebruiker {id}: {username} ({role}, {})", o.name);
        }
        AccountsCommand::Password { db, username } => {
            let ws = db.open()?;
            let pw = password()?;
            let ended = ws.set_password(None, &username, &pw).map_err(err)?;
            println!(
                "wachtwoord van {username} gewijzigd; {} sessie(s) beëindigd en {} API-token(s) ingetrokken",
                ended.sessions, ended.tokens
            );
        }
        AccountsCommand::List { db } => {
            let ws = db.open()?;
            let orgs = ws.organisations().map_err(err)?;
            let users = ws.users(None).map_err(err)?;
            if ctx.json {
                let u: Vec<_> = users
                    .iter()
                    .map(|(u, o, _)| serde_json::json!({"gebruiker": u, "organisatie": o}))
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({"organisaties": orgs, "gebruikers": u})
                );
                return Ok(());
            }
            for o in &orgs {
                println!(
                    "{:>3}  {}  ({}; gemeenten {}{})",
                    o.id,
                    o.name,
                    o.kind,
                    if o.gemeenten.is_empty() {
                        "—".to_string()
                    } else {
                        o.gemeenten.join(", ")
                    },
                    if o.own_stock { "; eigen voorraad" } else { "" }
                );
                for (u, _, _) in users.iter().filter(|(u, _, _)| u.org_id == o.id) {
                    println!(
                        "       {} — {} ({}){}",
                        u.username,
                        u.display_name,
                        u.role,
                        if u.disabled { ", uitgeschakeld" } else { "" }
                    );
                }
            }
        }
        AccountsCommand::Audit { db, verify } => {
            let ws = db.open()?;
            if verify {
                let i = ws.integrity().map_err(err)?;
                if ctx.json {
                    println!("{}", serde_json::to_string(&i)?);
                } else {
                    println!(
                        "database: {}; logboek: {} regels, {}",
                        if i.database_ok {
                            "in orde"
                        } else {
                            "BESCHADIGD"
                        },
                        i.audit_entries,
                        match i.audit_broken_at {
                            None => "keten klopt".to_string(),
                            Some(id) => format!("keten gebroken bij regel {id}"),
                        }
                    );
                }
                if !i.ok() {
                    bail!("integrity check failed: {}", i.messages.join("; "));
                }
                return Ok(());
            }
            for e in ws.audit_all().map_err(err)? {
                if ctx.json {
                    println!("{}", serde_json::to_string(&e)?);
                } else {
                    println!(
                        "{}  {}  {} ({})  {} {}{}  {} → {}",
                        e.id,
                        format_time(e.at),
                        e.user.as_deref().unwrap_or("—"),
                        e.org.as_deref().unwrap_or("systeem"),
                        e.entity,
                        e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                        e.plan_id
                            .map(|p| format!(" (plan {p})"))
                            .unwrap_or_default(),
                        e.action,
                        e.after.map(|v| v.to_string()).unwrap_or_default()
                    );
                }
            }
        }
        AccountsCommand::Demo { db } => {
            let ws = db.open()?;
            let pw = password()?;
            let gm = vec!["GM9001".to_string()];
            let orgs = [
                ("Gemeente Veerstad", OrgKind::Gemeente, false, "gemeente"),
                (
                    "Woonstichting Veerstad",
                    OrgKind::Corporatie,
                    true,
                    "corporatie",
                ),
                ("Zorggroep Veerstad", OrgKind::Zorg, false, "zorg"),
                (
                    "Politie basisteam Veerstad",
                    OrgKind::Politie,
                    false,
                    "politie",
                ),
                (
                    "Huurdersvereniging Veerstad",
                    OrgKind::Huurdersorganisatie,
                    false,
                    "huurders",
                ),
            ];
            for (name, kind, stock, short) in orgs {
                let id = ws.create_org(None, name, kind, &gm, stock).map_err(err)?;
                for role in Role::ALL {
                    let u = format!("{short}.{}", role.word());
                    ws.create_user(
                        None,
                        id,
                        &u,
                        &format!("{} ({name})", role.word()),
                        *role,
                        &pw,
                    )
                    .map_err(err)?;
                    println!("{u}");
                }
            }
            eprintln!(
                "demopartners aangemaakt in {}; allemaal met het opgegeven wachtwoord",
                ws.location().describe()
            );
        }
    }
    Ok(())
}

pub fn backup(a: BackupArgs) -> Result<()> {
    let ws = a.db.open()?;
    let (tmp, file) = veerkracht_export::atomic::TempFile::beside(&a.out)
        .map_err(|e| anyhow!("{}: cannot write: {e}", a.out.display()))?;
    let rows = {
        let mut w = std::io::BufWriter::new(file);
        let n = ws.backup(&mut w).map_err(err)?;
        let f = w
            .into_inner()
            .map_err(|e| anyhow!("{}: cannot write: {e}", a.out.display()))?;
        f.sync_all()?;
        n
    };
    tmp.persist(&a.out)
        .map_err(|e| anyhow!("{}: cannot write: {e}", a.out.display()))?;
    eprintln!(
        "{rows} rijen uit {} naar {}",
        ws.location().describe(),
        a.out.display()
    );
    Ok(())
}

pub fn restore(a: RestoreArgs) -> Result<()> {
    let ws = a.db.open()?;
    let f = std::fs::File::open(&a.from)
        .with_context(|| format!("{}: cannot open", a.from.display()))?;
    let n = ws
        .restore(std::io::BufReader::new(f), &a.from.display().to_string())
        .map_err(err)?;
    eprintln!(
        "{n} rijen teruggezet in {}; de controle van database en logboek slaagt",
        ws.location().describe()
    );
    Ok(())
}
