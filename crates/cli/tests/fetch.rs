//! `veerkracht fetch` as a user runs it, against the replay server on loopback (the real files
//! of `../shared/data/real` in the publishers' shapes): into a workspace, again (nothing
//! changes), killed half-way and resumed (the workspace is old or new, never half; the second
//! run reads what the first downloaded from the cache), a misspelt gemeente, no connection.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use veerkracht_fetch::replay::{self, Fault, Server};

fn real() -> Option<std::path::PathBuf> {
    veerkracht_testkit::real("cbs-kwb-2024-85984NED-partial")
        .map(|p| p.parent().unwrap().to_path_buf())
}

fn server(real: &Path) -> Server {
    replay::start(replay::real_state(
        real,
        &["85984NED", "85995NED", "86003NED"],
        true,
    ))
}

fn args<'a>(srv: &'a str, ws: &'a str, cache: &'a str) -> Vec<&'a str> {
    vec![
        "--workspace",
        ws,
        "fetch",
        "--gemeente",
        "amersfoort",
        "--edition",
        "2024",
        "--cbs-url",
        srv,
        "--politie-url",
        srv,
        "--pdok-url",
        srv,
        "--cache",
        cache,
    ]
}

fn run(a: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veerkracht"))
        .args(a)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn export(ws: &str, out: &Path) -> Vec<u8> {
    let o = run(&[
        "--workspace",
        ws,
        "export",
        "--level",
        "buurt",
        "--edition",
        "2024",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::read(out).unwrap()
}

#[test]
fn fetch_fills_a_workspace_and_a_second_fetch_changes_nothing() {
    let Some(real) = real() else { return };
    let srv = server(&real);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws.gpkg");
    let cache = dir.path().join("cache");
    let (url, ws_s, cache_s) = (
        srv.url(),
        ws.to_str().unwrap().to_string(),
        cache.to_str().unwrap().to_string(),
    );
    let o = run(&args(&url, &ws_s, &cache_s));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("Amersfoort (GM0307)"), "{t}");
    assert!(t.contains("85984NED"), "{t}");
    assert!(t.contains("85995NED"), "{t}");
    assert!(t.contains("pdok-wijken-2024-GM0307.geojson"), "{t}");
    assert!(t.contains("ingelezen"), "{t}");
    let first = export(&ws_s, &dir.path().join("a.csv"));
    assert!(String::from_utf8_lossy(&first).contains("BU0307"));
    // again: only conditional requests, nothing imported twice
    srv.reset();
    let o = run(&args(&url, &ws_s, &cache_s));
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("ongewijzigd"), "{t}");
    assert!(!t.contains("ingelezen"), "{t}");
    assert!(
        srv.log().iter().all(|(_, cond, st)| *cond && *st == 304),
        "{:?}",
        srv.log()
    );
    assert_eq!(export(&ws_s, &dir.path().join("b.csv")), first);
}

#[test]
fn a_fetch_killed_half_way_resumes_from_the_cache_and_the_workspace_is_never_half() {
    let Some(real) = real() else { return };
    let srv = server(&real);
    let dir = tempfile::tempdir().unwrap();
    let (url, cache) = (srv.url(), dir.path().join("cache"));
    let cache_s = cache.to_str().unwrap().to_string();
    // the reference: an uninterrupted fetch into its own workspace, without the cache
    let ref_ws = dir.path().join("ref.gpkg").to_str().unwrap().to_string();
    let o = run(&[args(&url, &ref_ws, &cache_s), vec!["--geen-cache"]].concat());
    assert!(o.status.success(), "{}", text(&o));
    let reference = export(&ref_ws, &dir.path().join("ref.csv"));
    // slow answers; kill after a few requests
    srv.reset();
    srv.fault(Fault::Delay(150));
    let ws = dir.path().join("ws.gpkg").to_str().unwrap().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_veerkracht"))
        .args(args(&url, &ws, &cache_s))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while srv.log().len() < 5 && t.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = srv.log().len();
    assert!(before >= 5, "killed after {before} requests");
    // the workspace is untouched (no file) or complete: never half
    if Path::new(&ws).exists() {
        let o = run(&["--workspace", &ws, "--json", "info"]);
        assert!(o.status.success(), "{}", text(&o));
    }
    srv.reset();
    let o = run(&args(&url, &ws, &cache_s));
    assert!(o.status.success(), "{}", text(&o));
    let log = srv.log();
    let conditional = log.iter().filter(|(_, c, st)| *c && *st == 304).count();
    assert!(
        conditional >= 3,
        "pages of the first run come from the cache: {log:?}"
    );
    assert_eq!(export(&ws, &dir.path().join("ws.csv")), reference);
}

#[test]
fn a_misspelt_gemeente_names_the_close_ones() {
    let Some(real) = real() else { return };
    let srv = server(&real);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws.gpkg");
    let url = srv.url();
    let mut a = args(&url, ws.to_str().unwrap(), "unused");
    a[4] = "Amersfort";
    let o = run(&[a, vec!["--geen-cache"]].concat());
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("bedoelt u: Amersfoort (GM0307)"), "{t}");
    assert!(!ws.exists());
}

#[test]
fn without_a_connection_one_line_and_the_workspace_untouched() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws.gpkg");
    let url = format!("http://127.0.0.1:{port}");
    let o = run(&[
        args(&url, ws.to_str().unwrap(), "unused"),
        vec!["--geen-cache"],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        format!(
            "fout: geen verbinding met 127.0.0.1:{port} — werk offline met veerkracht import BESTAND, of geef --cbs-url"
        )
    );
    assert!(!ws.exists());
}
