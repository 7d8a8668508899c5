//! Per-call cost of the repository's hot paths (session look-up, plan, plan page, a comment)
//! on SQLite (default) or the PostgreSQL given as the first argument:
//! `cargo run --release -p veerkracht-partners --example micro [-- "host=… dbname=…"]`.
use std::time::Instant;
use veerkracht_partners::*;
fn main() {
    let dir = tempfile::tempdir().unwrap();
    let loc = std::env::args()
        .nth(1)
        .map(|s| Location::parse(&s))
        .unwrap_or(Location::Sqlite(dir.path().join("m.sqlite")));
    let ws = PartnerDb::open(
        &loc,
        Options {
            hash_cost: auth::HashCost {
                memory_kib: 1024,
                passes: 1,
            },
            ..Default::default()
        },
    )
    .unwrap();
    let o = ws
        .create_org(None, "G", OrgKind::Gemeente, &["GM9001".into()], false)
        .unwrap();
    ws.create_user(
        None,
        o,
        "u",
        "u",
        Role::Analist,
        "een lange zin als wachtwoord",
    )
    .unwrap();
    let s = ws
        .login(
            "u",
            "een lange zin als wachtwoord",
            std::net::Ipv4Addr::LOCALHOST.into(),
        )
        .unwrap();
    let id = ws
        .create_plan(
            &s.actor,
            NewPlan {
                area_code: "BU90010101".into(),
                area_name: "x".into(),
                gemeente: Some("GM9001".into()),
                title: "t".into(),
                analysis: "a".into(),
                snapshot: serde_json::json!({"a": 1}),
                partners: vec![],
            },
        )
        .unwrap();
    for i in 0..50 {
        ws.add_comment(&s.actor, id, CommentKind::Opmerking, &format!("c{i}"))
            .unwrap();
    }
    let n = 5000;
    let t = Instant::now();
    for _ in 0..n {
        ws.session(&s.token).unwrap().unwrap();
    }
    println!(
        "session: {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    for _ in 0..n {
        ws.plan(&s.actor, id).unwrap();
    }
    println!(
        "plan (50 comments): {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    for _ in 0..n {
        ws.plan_view(&s.actor, id, 50).unwrap();
    }
    println!(
        "plan_view: {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    for i in 0..1000 {
        ws.add_comment(&s.actor, id, CommentKind::Opmerking, &format!("d{i}"))
            .unwrap();
    }
    println!(
        "add_comment: {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6 / 1000.0
    );
}
