//! The partner workspace from the command line: accounts, audit verification, backup and
//! restore (also from SQLite into PostgreSQL when `VEERKRACHT_TEST_PG` is set), and the errors a
//! user gets for bad input.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_veerkracht");
const PW: &str = "een lange zin als wachtwoord";

fn vk(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("VEERKRACHT_PASSWORD", PW)
        .env_remove("VEERKRACHT_PARTNER_DB")
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn fails(o: &Output, needle: &str) {
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains(needle), "{needle} in: {e}");
}

#[test]
fn accounts_backup_restore_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite");
    let db = db.to_str().unwrap();
    ok(&vk(&["accounts", "demo", "--partner-db", db]));
    ok(&vk(&[
        "accounts",
        "org-add",
        "--partner-db",
        db,
        "--name",
        "Stichting Buurtwerk",
        "--kind",
        "overig",
        "--gemeente",
        "GM9001",
    ]));
    ok(&vk(&[
        "accounts",
        "user-add",
        "--partner-db",
        db,
        "--org",
        "Stichting Buurtwerk",
        "--username",
        "bw.lezer",
        "--role",
        "lezer",
    ]));
    let list = ok(&vk(&["accounts", "list", "--partner-db", db]));
    assert!(
        list.contains("Stichting Buurtwerk")
            && list.contains("bw.lezer")
            && list.contains("eigen voorraad")
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&vk(&[
        "--json",
        "accounts",
        "list",
        "--partner-db",
        db,
    ])))
    .unwrap();
    assert_eq!(json["organisaties"].as_array().unwrap().len(), 6);
    // bad input: clear errors naming the value and the choices
    fails(
        &vk(&[
            "accounts",
            "org-add",
            "--partner-db",
            db,
            "--name",
            "X",
            "--kind",
            "bank",
        ]),
        "corporatie, gemeente, zorg",
    );
    fails(
        &vk(&[
            "accounts",
            "user-add",
            "--partner-db",
            db,
            "--org",
            "Onbekend",
            "--username",
            "x",
            "--role",
            "lezer",
        ]),
        "organisation 'Onbekend'",
    );
    fails(
        &vk(&[
            "accounts",
            "user-add",
            "--partner-db",
            db,
            "--org",
            "Stichting Buurtwerk",
            "--username",
            "x y",
            "--role",
            "lezer",
        ]),
        "gebruikersnaam",
    );
    let verify = ok(&vk(&["accounts", "audit", "--verify", "--partner-db", db]));
    assert!(
        verify.contains("in orde") && verify.contains("keten klopt"),
        "{verify}"
    );
    let audit = ok(&vk(&["accounts", "audit", "--partner-db", db]));
    assert!(audit.contains("organisatie") && audit.contains("bw.lezer"));
    // backup and restore into a new file; a second restore into it is refused
    let backup = dir.path().join("backup.jsonl");
    ok(&vk(&[
        "backup",
        "--partner-db",
        db,
        "--out",
        backup.to_str().unwrap(),
    ]));
    let db2 = dir.path().join("hersteld.sqlite");
    ok(&vk(&[
        "restore",
        "--partner-db",
        db2.to_str().unwrap(),
        "--from",
        backup.to_str().unwrap(),
    ]));
    assert_eq!(
        ok(&vk(&[
            "--json",
            "accounts",
            "list",
            "--partner-db",
            db2.to_str().unwrap()
        ])),
        ok(&vk(&["--json", "accounts", "list", "--partner-db", db]))
    );
    fails(
        &vk(&[
            "restore",
            "--partner-db",
            db2.to_str().unwrap(),
            "--from",
            backup.to_str().unwrap(),
        ]),
        "not empty",
    );
    // a damaged backup names the file and line
    let text = std::fs::read_to_string(&backup).unwrap();
    let cut = dir.path().join("half.jsonl");
    std::fs::write(&cut, text.lines().take(3).collect::<Vec<_>>().join("\n")).unwrap();
    fails(
        &vk(&[
            "restore",
            "--partner-db",
            dir.path().join("x.sqlite").to_str().unwrap(),
            "--from",
            cut.to_str().unwrap(),
        ]),
        "half.jsonl: line 3",
    );
    // SQLite → PostgreSQL with the same file
    if let Some(veerkracht_partners::Location::Postgres(url)) =
        veerkracht_partners::testing::fresh_postgres()
    {
        ok(&vk(&[
            "restore",
            "--partner-db",
            &url,
            "--from",
            backup.to_str().unwrap(),
        ]));
        let v = ok(&vk(&[
            "accounts",
            "audit",
            "--verify",
            "--partner-db",
            &url,
        ]));
        assert!(v.contains("keten klopt"));
        assert_eq!(
            ok(&vk(&["--json", "accounts", "list", "--partner-db", &url])),
            ok(&vk(&["--json", "accounts", "list", "--partner-db", db]))
        );
    }
}

/// Issue 21, findings 3 and 5: a second organisation with --own-stock is refused (naming the
/// one that holds it), `serve --multi-user` refuses a database that has two anyway, and a new
/// password revokes the user's API tokens and says so.
#[test]
fn one_stock_holder_and_a_new_password_revokes_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("s.sqlite");
    let mut dbs = vec![sqlite.to_str().unwrap().to_string()];
    if let Some(veerkracht_partners::Location::Postgres(url)) =
        veerkracht_partners::testing::fresh_postgres()
    {
        dbs.push(url);
    }
    for db in &dbs {
        ok(&vk(&["accounts", "demo", "--partner-db", db]));
        let add = |stock: bool| {
            let mut a = vec![
                "accounts",
                "org-add",
                "--partner-db",
                db,
                "--name",
                "Woonbron",
                "--kind",
                "corporatie",
                "--gemeente",
                "GM9001",
            ];
            if stock {
                a.push("--own-stock");
            }
            vk(&a)
        };
        fails(&add(true), "'Woonstichting Veerstad' already holds");
        ok(&add(false));
        let ws = veerkracht_partners::PartnerDb::open(
            &veerkracht_partners::Location::parse(db),
            veerkracht_partners::Options::default(),
        )
        .unwrap();
        let s = ws
            .login("gemeente.analist", PW, std::net::Ipv4Addr::LOCALHOST.into())
            .unwrap();
        let (_, tok) = ws.create_token(&s.actor, "script").unwrap();
        let out = ok(&vk(&[
            "accounts",
            "password",
            "--partner-db",
            db,
            "--username",
            "gemeente.analist",
        ]));
        assert!(
            out.contains("1 sessie(s) beëindigd en 1 API-token(s) ingetrokken"),
            "{out}"
        );
        assert!(ws.token_actor(&tok).unwrap().is_none());
        assert!(ws.session(&s.token).unwrap().is_none());
    }
    // a database with two stock holders (written before this rule): serve refuses to start
    rusqlite::Connection::open(&sqlite)
        .unwrap()
        .execute(
            "UPDATE organisations SET own_stock = 1 WHERE name = 'Woonbron'",
            [],
        )
        .unwrap();
    fails(
        &vk(&[
            "serve",
            "--multi-user",
            "--port",
            "0",
            "--partner-db",
            sqlite.to_str().unwrap(),
        ]),
        "2 organisations hold this server's own stock ('Woonbron', 'Woonstichting Veerstad')",
    );
}
