//! The repository on SQLite and PostgreSQL: the same assertions on both (PostgreSQL when
//! `VEERKRACHT_TEST_PG` is set; required in CI).

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use serde_json::json;
use veerkracht_partners::auth::HashCost;
use veerkracht_partners::testing::locations;
use veerkracht_partners::*;

pub const CHEAP: HashCost = HashCost {
    memory_kib: 1024,
    passes: 1,
};

fn opts() -> Options {
    Options {
        hash_cost: CHEAP,
        backoff: throttle::Backoff {
            base: Duration::from_millis(600),
            ..Default::default()
        },
        ..Options::default()
    }
}

const PW: &str = "een lange zin als wachtwoord";
const HERE: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const THERE: IpAddr = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9));

struct World {
    ws: PartnerDb,
    gem: i64,
    corp: i64,
    zorg: i64,
    #[allow(dead_code)]
    pol: i64,
}

fn world(loc: &Location) -> World {
    let ws = PartnerDb::open(loc, opts()).unwrap();
    let gem = ws
        .create_org(
            None,
            "Gemeente Veerstad",
            OrgKind::Gemeente,
            &["GM9001".into()],
            false,
        )
        .unwrap();
    let corp = ws
        .create_org(
            None,
            "Woonstichting Veerstad",
            OrgKind::Corporatie,
            &["GM9001".into()],
            true,
        )
        .unwrap();
    let zorg = ws
        .create_org(
            None,
            "Zorggroep De Brug",
            OrgKind::Zorg,
            &["GM9001".into()],
            false,
        )
        .unwrap();
    let pol = ws
        .create_org(
            None,
            "Politie Basisteam",
            OrgKind::Politie,
            &["GM9001".into()],
            false,
        )
        .unwrap();
    for (org, u, role) in [
        (gem, "gem.analist", Role::Analist),
        (gem, "gem.lezer", Role::Lezer),
        (corp, "corp.analist", Role::Analist),
        (corp, "corp.beheer", Role::Beheerder),
        (zorg, "zorg.lezer", Role::Lezer),
        (zorg, "zorg.analist", Role::Analist),
        (pol, "pol.analist", Role::Analist),
    ] {
        ws.create_user(None, org, u, u, role, PW).unwrap();
    }
    World {
        ws,
        gem,
        corp,
        zorg,
        pol,
    }
}

fn actor(ws: &PartnerDb, u: &str) -> Actor {
    ws.login(u, PW, HERE).unwrap().actor
}

fn new_plan(w: &World, a: &Actor) -> i64 {
    w.ws.create_plan(
        a,
        NewPlan {
            area_code: "BU90010503".into(),
            area_name: "Kastanjehoek".into(),
            gemeente: Some("GM9001".into()),
            title: "Samen voor Kastanjehoek".into(),
            analysis: "Veel verloop; <script>alert(1)</script> blijft tekst.".into(),
            snapshot: json!({"score": {"waarde": 41.5}, "editie": 2024}),
            partners: vec![w.corp, w.zorg],
        },
    )
    .unwrap()
}

#[test]
fn migrations_are_versioned_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let ws = PartnerDb::open(&loc, opts()).unwrap();
        assert_eq!(ws.schema_version().unwrap(), 1, "{loc:?}");
        drop(ws);
        let ws = PartnerDb::open(&loc, opts()).unwrap();
        assert_eq!(ws.schema_version().unwrap(), 1);
        assert!(ws.integrity().unwrap().ok());
    }
}

#[test]
fn organisations_and_users_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let e =
            w.ws.create_org(None, "Gemeente Veerstad", OrgKind::Gemeente, &[], false)
                .unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e}");
        let e =
            w.ws.create_org(None, "X", OrgKind::Gemeente, &["Utrecht".into()], false)
                .unwrap_err();
        assert!(e.to_string().contains("GM0344"), "{e}");
        let e =
            w.ws.create_org(None, "Y", OrgKind::Zorg, &[], true)
                .unwrap_err();
        assert!(e.to_string().contains("corporatie"), "{e}");
        let e =
            w.ws.create_user(None, w.gem, "kort", "Kort", Role::Lezer, "kort")
                .unwrap_err();
        assert!(e.to_string().contains("at least 12"), "{e}");
        let e =
            w.ws.create_user(None, w.gem, "GEM.ANALIST", "dubbel", Role::Lezer, PW)
                .unwrap_err();
        assert!(
            matches!(e, Error::Conflict(_)),
            "user names are case-insensitive: {e}"
        );
        // a beheerder adds users to their own organisation only
        let beheer = actor(&w.ws, "corp.beheer");
        w.ws.create_user(
            Some(&beheer),
            w.corp,
            "corp.nieuw",
            "Nieuw",
            Role::Lezer,
            PW,
        )
        .unwrap();
        let e =
            w.ws.create_user(
                Some(&beheer),
                w.gem,
                "gem.nieuw",
                "Nieuw",
                Role::Beheerder,
                PW,
            )
            .unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)), "{e}");
        let analist = actor(&w.ws, "corp.analist");
        assert!(matches!(
            w.ws.create_user(Some(&analist), w.corp, "corp.x", "X", Role::Lezer, PW)
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        // the stored password is an argon2id hash, never the password
        let hashes = raw_strings(&loc, "SELECT password_hash FROM users");
        assert!(hashes.iter().all(|h| h.starts_with("$argon2id$v=19$")));
        assert!(hashes.iter().all(|h| !h.contains(PW)));
    }
}

/// Reads one text column with a connection of its own (outside the repository).
fn raw_strings(loc: &Location, sql: &str) -> Vec<String> {
    match loc {
        Location::Sqlite(p) => {
            let c = rusqlite::Connection::open(p).unwrap();
            let mut st = c.prepare(sql).unwrap();
            st.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
        Location::Postgres(u) => {
            let mut c = postgres::Client::connect(u, postgres::NoTls).unwrap();
            c.query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect()
        }
    }
}

fn raw_exec(loc: &Location, sql: &str) -> Result<(), String> {
    match loc {
        Location::Sqlite(p) => {
            let c = rusqlite::Connection::open(p).unwrap();
            c.execute_batch(sql).map_err(|e| e.to_string())
        }
        Location::Postgres(u) => {
            let mut c = postgres::Client::connect(u, postgres::NoTls).unwrap();
            c.batch_execute(sql).map_err(|e| {
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or(e.to_string())
            })
        }
    }
}

#[test]
fn login_sessions_backoff_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let s1 = w.ws.login("gem.analist", PW, HERE).unwrap();
        let s2 = w.ws.login("Gem.Analist ", PW, HERE).unwrap();
        assert_ne!(s1.token, s2.token, "every login gets a new session id");
        assert_ne!(s1.csrf, s2.csrf);
        let (a, csrf) = w.ws.session(&s1.token).unwrap().unwrap();
        assert_eq!(a.user.username, "gem.analist");
        assert_eq!(csrf, s1.csrf);
        // a planted or made-up session id is worth nothing
        assert!(w.ws.session(&"a".repeat(64)).unwrap().is_none());
        assert!(w.ws.session("../../etc/passwd").unwrap().is_none());
        // only hashes are stored
        let stored = raw_strings(&loc, "SELECT token_hash FROM sessions");
        assert!(!stored.contains(&s1.token));
        w.ws.logout(&s1.token).unwrap();
        assert!(w.ws.session(&s1.token).unwrap().is_none());
        assert!(w.ws.session(&s2.token).unwrap().is_some());

        // unknown user and wrong password answer alike, also when slowed down
        let e1 = w.ws.login("niemand", PW, THERE).unwrap_err();
        let e2 =
            w.ws.login("pol.analist", "verkeerd wachtwoord!", THERE)
                .unwrap_err();
        assert_eq!(e1.to_string(), e2.to_string());
        for _ in 0..4 {
            for name in ["niemand", "pol.analist"] {
                assert!(matches!(
                    w.ws.login(name, "verkeerd wachtwoord!", THERE).unwrap_err(),
                    Error::Login(LoginFailure::BadCredentials)
                ));
            }
        }
        // no lock: after 5 failures the address waits, even with the right password, for
        // both names alike; the user at another address gets in
        for name in ["niemand", "pol.analist"] {
            assert!(matches!(
                w.ws.login(name, PW, THERE).unwrap_err(),
                Error::Login(LoginFailure::Slowed { retry_after_s: 1 })
            ));
        }
        w.ws.login("pol.analist", PW, HERE)
            .expect("another address is not slowed");
        let slowed = w.ws.users(Some(w.pol)).unwrap();
        assert!(slowed[0].2.is_some(), "the beheerder sees the wait");
        std::thread::sleep(Duration::from_millis(700));
        w.ws.login("pol.analist", PW, THERE)
            .expect("the wait is over");
        assert!(w.ws.audit_all().unwrap().iter().any(|e| {
            e.action.starts_with("aanmelden vertraagd")
                && e.after
                    .as_ref()
                    .is_some_and(|a| a["adres"] == "203.0.113.9")
        }));
        // a beheerder resets the wait
        for _ in 0..5 {
            let _ = w.ws.login("pol.analist", "verkeerd wachtwoord!", THERE);
        }
        assert!(w.ws.login("pol.analist", PW, THERE).is_err());
        let pol = w.ws.users(Some(w.pol)).unwrap()[0].0.id;
        w.ws.manage_user(None, pol, true, None).unwrap();
        w.ws.login("pol.analist", PW, THERE)
            .expect("reset by the beheerder");

        // API tokens: shown once, stored hashed, revocable
        let a = actor(&w.ws, "corp.analist");
        let (id, tok) = w.ws.create_token(&a, "Power BI").unwrap();
        assert!(tok.starts_with("vk_"));
        assert_eq!(
            w.ws.token_actor(&tok).unwrap().unwrap().user.username,
            "corp.analist"
        );
        assert!(!raw_strings(&loc, "SELECT token_hash FROM api_tokens").contains(&tok));
        let other = actor(&w.ws, "gem.analist");
        assert!(matches!(
            w.ws.revoke_token(&other, id).unwrap_err(),
            Error::NotFound(_)
        ));
        w.ws.revoke_token(&a, id).unwrap();
        assert!(w.ws.token_actor(&tok).unwrap().is_none());
        assert!(w.ws.tokens(&a).unwrap()[0].revoked_at.is_some());
        assert!(w.ws.integrity().unwrap().ok());
    }
}

/// Issue 21, finding 5: a new password or disabling ends every session and revokes every API
/// token of the user, in the same transaction and audited; enabling brings none back.
#[test]
fn a_new_password_or_disabling_ends_sessions_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let s = w.ws.login("zorg.lezer", PW, HERE).unwrap();
        let (_, tok) = w.ws.create_token(&s.actor, "script").unwrap();
        let (_, tok2) = w.ws.create_token(&s.actor, "script 2").unwrap();
        let ended =
            w.ws.set_password(None, "zorg.lezer", "een nieuwe lange zin")
                .unwrap();
        assert_eq!(
            ended,
            Ended {
                sessions: 1,
                tokens: 2
            }
        );
        assert!(w.ws.session(&s.token).unwrap().is_none());
        assert!(w.ws.token_actor(&tok).unwrap().is_none());
        assert!(w.ws.token_actor(&tok2).unwrap().is_none());
        let a =
            w.ws.login("zorg.lezer", "een nieuwe lange zin", HERE)
                .unwrap();
        assert!(
            w.ws.tokens(&a.actor)
                .unwrap()
                .iter()
                .all(|t| t.revoked_at.is_some())
        );
        let (_, tok) = w.ws.create_token(&a.actor, "script 3").unwrap();
        w.ws.manage_user(None, a.actor.user.id, false, Some(true))
            .unwrap();
        w.ws.manage_user(None, a.actor.user.id, false, Some(false))
            .unwrap();
        assert!(
            w.ws.token_actor(&tok).unwrap().is_none(),
            "not back after enabling"
        );
        assert!(w.ws.session(&a.token).unwrap().is_none());
        let log = w.ws.audit_all().unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "beheerd");
        let disabled = &log[log.len() - 2];
        assert_eq!(disabled.after.as_ref().unwrap()["tokens_ingetrokken"], 1);
        assert_eq!(disabled.after.as_ref().unwrap()["sessies_beeindigd"], 1);
        assert!(log.iter().any(|e| {
            e.action == "wachtwoord gewijzigd"
                && e.after
                    .as_ref()
                    .is_some_and(|x| x["tokens_ingetrokken"] == 2)
        }));
        assert!(w.ws.integrity().unwrap().ok());
    }
}

/// Issue 21, finding 3: one organisation at most holds the server's own stock.
#[test]
fn only_one_organisation_holds_the_stock() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let e =
            w.ws.create_org(
                None,
                "Woonbron",
                OrgKind::Corporatie,
                &["GM9001".into()],
                true,
            )
            .unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e}");
        assert!(
            e.to_string()
                .contains("'Woonstichting Veerstad' already holds"),
            "{e}"
        );
        assert_eq!(w.ws.stock_holder().unwrap().unwrap().id, w.corp);
        // without the flag a second corporation is fine
        w.ws.create_org(
            None,
            "Woonbron",
            OrgKind::Corporatie,
            &["GM9001".into()],
            false,
        )
        .unwrap();
        // a database that has two anyway (written by an older veerkracht) is refused
        raw_exec(
            &loc,
            "UPDATE organisations SET own_stock = 1 WHERE name = 'Woonbron'",
        )
        .unwrap();
        let e = w.ws.stock_holder().unwrap_err().to_string();
        assert!(
            e.contains("'Woonbron'")
                && e.contains("'Woonstichting Veerstad'")
                && e.contains("only one"),
            "{e}"
        );
    }
}

/// Issue 21, findings 6 and 8: an edit is checked exactly like a new measure (budget range,
/// dates, texts, status), and a measure's partners are the plan's owner or partners.
#[test]
fn measures_are_checked_alike_on_create_and_edit() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let gem = actor(&w.ws, "gem.analist");
        let id = new_plan(&w, &gem); // partners: corporation and zorg
        let m = |partners: Vec<i64>, budget: Option<i64>| NewMeasure {
            kind: "sociaal".into(),
            title: "Buurtcoach".into(),
            description: String::new(),
            owner_org: None,
            partners,
            budget_cents: budget,
            status: None,
            start_date: "2027-01-01".into(),
            end_date: None,
        };
        let e =
            w.ws.add_measure(&gem, id, m(vec![w.zorg, w.pol], None))
                .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field, message } if field == "partners" && message.contains(&w.pol.to_string())),
            "{e}"
        );
        let e = w.ws.add_measure(&gem, id, m(vec![], Some(-1))).unwrap_err();
        assert!(e.to_string().starts_with("budget:"), "{e}");
        let mid =
            w.ws.add_measure(&gem, id, m(vec![w.zorg, w.corp], Some(100)))
                .unwrap();
        let edit = |e: MeasureEdit| {
            w.ws.edit_measure(&gem, id, mid, MeasureEdit { version: 1, ..e })
        };
        for (e, field) in [
            (
                MeasureEdit {
                    budget_cents: Some(Some(i64::MIN)),
                    ..Default::default()
                },
                "budget",
            ),
            (
                MeasureEdit {
                    budget_cents: Some(Some(limits::BUDGET_CENTS_MAX + 1)),
                    ..Default::default()
                },
                "budget",
            ),
            (
                MeasureEdit {
                    end_date: Some(Some("2026-01-01".into())),
                    ..Default::default()
                },
                "eind",
            ),
            (
                MeasureEdit {
                    title: Some("x".repeat(201)),
                    ..Default::default()
                },
                "titel",
            ),
            (
                MeasureEdit {
                    status: Some("klaar".into()),
                    ..Default::default()
                },
                "status",
            ),
            (
                MeasureEdit {
                    partners: Some(vec![w.pol]),
                    ..Default::default()
                },
                "partners",
            ),
        ] {
            match edit(e).unwrap_err() {
                Error::Invalid { field: f, .. } => assert_eq!(f, field),
                other => panic!("{field}: {other}"),
            }
        }
        assert_eq!(
            edit(MeasureEdit {
                budget_cents: Some(None),
                partners: Some(vec![w.corp]),
                ..Default::default()
            })
            .unwrap(),
            2
        );
        let p = w.ws.plan(&gem, id).unwrap();
        assert_eq!(p.measures[0].budget_cents, None);
        assert_eq!(
            p.measures[0]
                .partners
                .iter()
                .map(|o| o.id)
                .collect::<Vec<_>>(),
            [w.corp]
        );
        let audit = w.ws.plan_audit(&gem, id).unwrap();
        assert_eq!(
            audit.last().unwrap().after.as_ref().unwrap()["partners"],
            json!(["Woonstichting Veerstad"])
        );
    }
}

#[test]
fn plans_follow_the_access_rules_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let gem = actor(&w.ws, "gem.analist");
        let corp = actor(&w.ws, "corp.analist");
        let zorg = actor(&w.ws, "zorg.lezer");
        let zorg_an = actor(&w.ws, "zorg.analist");
        let pol = actor(&w.ws, "pol.analist");
        let gem_lezer = actor(&w.ws, "gem.lezer");

        // not in the org's gemeenten, or a reader: no plan
        let mut np = NewPlan {
            area_code: "BU03630001".into(),
            area_name: "Elders".into(),
            gemeente: Some("GM0363".into()),
            title: "x".into(),
            analysis: String::new(),
            snapshot: json!({}),
            partners: vec![],
        };
        assert!(matches!(
            w.ws.create_plan(&gem, np.clone()).unwrap_err(),
            Error::Forbidden(_)
        ));
        np.gemeente = Some("GM9001".into());
        assert!(matches!(
            w.ws.create_plan(&gem_lezer, np.clone()).unwrap_err(),
            Error::Forbidden(_)
        ));
        np.area_code = "../../x".into();
        assert!(matches!(
            w.ws.create_plan(&gem, np).unwrap_err(),
            Error::Invalid { .. }
        ));

        let id = new_plan(&w, &gem);
        // who sees it
        assert_eq!(w.ws.plans(&gem).unwrap().len(), 1);
        assert_eq!(w.ws.plans(&corp).unwrap().len(), 1);
        assert_eq!(w.ws.plans(&zorg).unwrap().len(), 1);
        assert_eq!(w.ws.plans(&pol).unwrap().len(), 0);
        assert!(matches!(
            w.ws.plan(&pol, id).unwrap_err(),
            Error::NotFound(_)
        ));
        assert!(matches!(
            w.ws.plan_audit(&pol, id).unwrap_err(),
            Error::NotFound(_)
        ));
        let p = w.ws.plan(&zorg, id).unwrap();
        assert_eq!(p.summary.partners.len(), 2);
        assert!(
            p.analysis.contains("<script>"),
            "stored as typed; escaping is the page's job"
        );
        assert_eq!(p.snapshot["score"]["waarde"], json!(41.5));

        // the corporation (partner) adds its own measure, not one for the gemeente
        let m = NewMeasure {
            kind: "woningvoorraad".into(),
            title: "40 woningen middenhuur".into(),
            description: String::new(),
            owner_org: None,
            partners: vec![w.gem],
            budget_cents: Some(120_000_000),
            status: None,
            start_date: "2027-01-01".into(),
            end_date: Some("2029-12-31".into()),
        };
        let mid = w.ws.add_measure(&corp, id, m.clone()).unwrap();
        let mut for_gem = m.clone();
        for_gem.owner_org = Some(w.gem);
        assert!(matches!(
            w.ws.add_measure(&corp, id, for_gem.clone()).unwrap_err(),
            Error::Forbidden(_)
        ));
        // the owner may assign a measure to a partner
        w.ws.add_measure(&gem, id, for_gem).unwrap();
        // readers and outsiders add nothing
        assert!(matches!(
            w.ws.add_measure(&zorg, id, m.clone()).unwrap_err(),
            Error::Forbidden(_)
        ));
        assert!(matches!(
            w.ws.add_measure(&pol, id, m.clone()).unwrap_err(),
            Error::NotFound(_)
        ));
        let mut bad = m.clone();
        bad.end_date = Some("2026-02-30".into());
        assert!(
            w.ws.add_measure(&corp, id, bad)
                .unwrap_err()
                .to_string()
                .contains("calendar day")
        );
        let mut bad = m.clone();
        bad.kind = "repressie".into();
        assert!(
            w.ws.add_measure(&corp, id, bad)
                .unwrap_err()
                .to_string()
                .contains("fysiek")
        );

        // only the owner edits the plan; partners comment; decisions are the owner's
        let e = PlanEdit {
            version: 1,
            status: Some("actief".into()),
            ..Default::default()
        };
        assert!(matches!(
            w.ws.edit_plan(&corp, id, e.clone()).unwrap_err(),
            Error::Forbidden(_)
        ));
        assert_eq!(w.ws.edit_plan(&gem, id, e.clone()).unwrap(), 2);
        // optimistic locking: the same stale version again is a conflict naming the editor
        let c =
            w.ws.edit_plan(
                &gem,
                id,
                PlanEdit {
                    version: 1,
                    title: Some("Anders".into()),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert!(matches!(c, Error::Conflict(_)));
        assert!(
            c.to_string().contains("gem.analist") && c.to_string().contains("versie 2"),
            "{c}"
        );
        w.ws.add_comment(
            &zorg_an,
            id,
            CommentKind::Opmerking,
            "Wij sluiten aan bij het buurtteam.",
        )
        .unwrap();
        assert!(matches!(
            w.ws.add_comment(&zorg, id, CommentKind::Opmerking, "x")
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        assert!(matches!(
            w.ws.add_comment(&corp, id, CommentKind::Besluit, "x")
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        w.ws.add_comment(
            &gem,
            id,
            CommentKind::Besluit,
            "Vastgesteld in het driehoeksoverleg.",
        )
        .unwrap();
        // measure edits: the measure's own org or the plan owner, with versions
        let v =
            w.ws.edit_measure(
                &corp,
                id,
                mid,
                MeasureEdit {
                    version: 1,
                    status: Some("lopend".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(v, 2);
        assert!(matches!(
            w.ws.edit_measure(
                &gem,
                id,
                mid,
                MeasureEdit {
                    version: 1,
                    status: Some("afgerond".into()),
                    ..Default::default()
                }
            )
            .unwrap_err(),
            Error::Conflict(_)
        ));
        assert!(matches!(
            w.ws.edit_measure(
                &zorg_an,
                id,
                mid,
                MeasureEdit {
                    version: 2,
                    status: Some("gestopt".into()),
                    ..Default::default()
                }
            )
            .unwrap_err(),
            Error::Forbidden(_)
        ));
        // goals by the owner
        w.ws.add_goal(
            &gem,
            id,
            NewGoal {
                indicator: "score".into(),
                description: "Index omhoog".into(),
                baseline: Some(41.5),
                baseline_edition: Some(2024),
                target: 50.0,
                target_date: "2030-01-01".into(),
            },
        )
        .unwrap();
        assert!(matches!(
            w.ws.add_goal(
                &corp,
                id,
                NewGoal {
                    indicator: "score".into(),
                    description: String::new(),
                    baseline: None,
                    baseline_edition: None,
                    target: f64::NAN,
                    target_date: "2030-01-01".into()
                }
            )
            .unwrap_err(),
            Error::Invalid { .. } | Error::Forbidden(_)
        ));
        // sharing own-stock aggregates: the corporation holding the stock only
        w.ws.share(
            &corp,
            id,
            SharedKind::Huurmix,
            "Huurmix Kastanjehoek",
            &json!({"cellen": []}),
        )
        .unwrap();
        assert!(matches!(
            w.ws.share(&gem, id, SharedKind::Huurmix, "x", &json!({}))
                .unwrap_err(),
            Error::Forbidden(_)
        ));

        let p = w.ws.plan(&gem, id).unwrap();
        assert_eq!(
            (
                p.goals.len(),
                p.measures.len(),
                p.comments.len(),
                p.shared.len()
            ),
            (1, 2, 2, 1)
        );
        assert_eq!(p.measures[0].status, MeasureStatus::Lopend);
        assert_eq!(p.summary.status, PlanStatus::Actief);

        // the audit trail: every change with who, what, before and after
        let log = w.ws.plan_audit(&zorg, id).unwrap();
        let kinds: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.entity.as_str(), e.action.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("plan", "aangemaakt"),
                ("maatregel", "aangemaakt"),
                ("maatregel", "aangemaakt"),
                ("plan", "gewijzigd"),
                ("opmerking", "aangemaakt"),
                ("besluit", "aangemaakt"),
                ("maatregel", "gewijzigd"),
                ("doel", "aangemaakt"),
                ("huurmix", "gedeeld")
            ]
        );
        // organisations are named in the log, not numbered
        assert_eq!(
            log[0].after.as_ref().unwrap()["partners"],
            json!(["Woonstichting Veerstad", "Zorggroep De Brug"])
        );
        assert_eq!(
            log[1].after.as_ref().unwrap()["eigenaar"],
            json!("Woonstichting Veerstad")
        );
        let edit = &log[3];
        assert_eq!(edit.user.as_deref(), Some("gem.analist"));
        assert_eq!(edit.before.as_ref().unwrap()["status"], json!("concept"));
        assert_eq!(edit.after.as_ref().unwrap()["status"], json!("actief"));
        assert_eq!(log[6].org.as_deref(), Some("Woonstichting Veerstad"));

        // append-only: the database itself refuses to change or remove entries
        for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
            let e = raw_exec(&loc, sql).unwrap_err();
            assert!(e.contains("append-only"), "{e}");
        }
        if let Location::Postgres(_) = loc {
            assert!(
                raw_exec(&loc, "TRUNCATE audit_log")
                    .unwrap_err()
                    .contains("append-only")
            );
        }
        assert!(w.ws.integrity().unwrap().ok());
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for loc in locations(dir.path()) {
        let w = world(&loc);
        let gem = actor(&w.ws, "gem.analist");
        let corp = actor(&w.ws, "corp.analist");
        let id = new_plan(&w, &gem);
        let wins = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for t in 0..8 {
                let (ws, gem, corp, wins) = (&w.ws, &gem, &corp, &wins);
                s.spawn(move || {
                    for i in 0..15 {
                        let who = if t % 2 == 0 { gem } else { corp };
                        ws.add_comment(who, id, CommentKind::Opmerking, &format!("t{t} c{i}"))
                            .unwrap();
                        // everyone tries to move the plan from the version they read
                        let v = ws.plan(gem, id).unwrap().summary.version;
                        match ws.edit_plan(
                            gem,
                            id,
                            PlanEdit {
                                version: v,
                                title: Some(format!("t{t} i{i}")),
                                ..Default::default()
                            },
                        ) {
                            Ok(_) => {
                                wins.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            Err(Error::Conflict(_)) => {}
                            Err(e) => panic!("{e}"),
                        }
                    }
                });
            }
        });
        let p = w.ws.plan(&gem, id).unwrap();
        assert_eq!(p.comments.len(), 120);
        let wins = wins.into_inner() as i64;
        assert_eq!(
            p.summary.version,
            1 + wins,
            "every successful edit is one version"
        );
        let integ = w.ws.integrity().unwrap();
        assert!(integ.ok(), "{integ:?}");
        assert_eq!(integ.audit_entries, 4 + 7 + 1 + 120 + wins);
    }
}

#[test]
fn backup_and_restore_round_trip_across_backends() {
    let dir = tempfile::tempdir().unwrap();
    let locs = locations(dir.path());
    let w = world(&locs[0]);
    let gem = actor(&w.ws, "gem.analist");
    let id = new_plan(&w, &gem);
    w.ws.add_comment(
        &gem,
        id,
        CommentKind::Besluit,
        "Besluit met ‘aanhalingstekens’ en \n regels",
    )
    .unwrap();
    w.ws.add_goal(
        &gem,
        id,
        NewGoal {
            indicator: "score".into(),
            description: "d".into(),
            baseline: Some(0.1 + 0.2),
            baseline_edition: Some(2024),
            target: 1e-7,
            target_date: "2030-01-01".into(),
        },
    )
    .unwrap();
    let mut buf = Vec::new();
    let rows = w.ws.backup(&mut buf).unwrap();
    assert!(rows > 15);
    // restore into a fresh SQLite file and (when there) a fresh PostgreSQL database
    let mut targets = vec![Location::Sqlite(dir.path().join("hersteld.sqlite"))];
    targets.extend(veerkracht_partners::testing::fresh_postgres());
    for t in targets {
        let r = PartnerDb::open(&t, opts()).unwrap();
        assert_eq!(r.restore(&buf[..], "backup.jsonl").unwrap(), rows);
        assert_eq!(r.counts().unwrap(), w.ws.counts().unwrap());
        let gem2 = r.login("gem.analist", PW, HERE).unwrap().actor;
        let a = serde_json::to_value(w.ws.plan(&gem, id).unwrap()).unwrap();
        let b = serde_json::to_value(r.plan(&gem2, id).unwrap()).unwrap();
        assert_eq!(a, b, "{t:?}");
        assert_eq!(
            r.plan(&gem2, id).unwrap().goals[0].baseline,
            Some(0.1 + 0.2)
        );
        // new rows get new ids after a restore (PostgreSQL sequences moved on)
        let id2 = r
            .create_plan(
                &gem2,
                NewPlan {
                    area_code: "BU90010101".into(),
                    area_name: "n".into(),
                    gemeente: Some("GM9001".into()),
                    title: "t".into(),
                    analysis: String::new(),
                    snapshot: json!({}),
                    partners: vec![],
                },
            )
            .unwrap();
        assert!(id2 > id);
        assert!(r.integrity().unwrap().ok());
        // not into a workspace that has data
        assert!(matches!(
            r.restore(&buf[..], "backup.jsonl").unwrap_err(),
            Error::Conflict(_)
        ));
    }
    // a damaged or cut-off backup is refused before anything is written
    let text = String::from_utf8(buf.clone()).unwrap();
    let cut: String = text.lines().take(5).map(|l| format!("{l}\n")).collect();
    let fresh = PartnerDb::open(&Location::Sqlite(dir.path().join("leeg.sqlite")), opts()).unwrap();
    let e = fresh.restore(cut.as_bytes(), "half.jsonl").unwrap_err();
    assert!(
        e.to_string().contains("half.jsonl: line 5") && e.to_string().contains("incomplete"),
        "{e}"
    );
    let tampered = text.replacen("Besluit met", "Besluit zonder", 1);
    let e = fresh.restore(tampered.as_bytes(), "b.jsonl").unwrap_err();
    assert!(e.to_string().contains("checksum"), "{e}");
    assert_eq!(fresh.counts().unwrap().iter().map(|c| c.1).sum::<i64>(), 0);
}
