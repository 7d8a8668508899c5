//! Heavy requests (issue 21): a scenario a request sends cannot take the server down, is
//! refused before it starts when it exceeds the budget, stops when its request ends, and one
//! client cannot run more than its share at once. Servers of the test's own, with the limits
//! each case needs; everything over HTTP.

mod common;

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Resp, raw_to};
use veerkracht_web::heavy::{Heavy, Limits};

/// A single-user server on the demo region with `limits`; its address and its accounting.
fn server(limits: Limits) -> (SocketAddr, Arc<Heavy>) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let state = veerkracht_web::AppState::new(
            common::demo_dataset(),
            "demoregio (test)",
            true,
            veerkracht_index::Definition::veerkracht_basis(),
        )
        .with_limits(limits)
        .unwrap();
        let heavy = state.heavy.clone();
        veerkracht_web::serve("127.0.0.1:0".parse().unwrap(), state, move |a| {
            tx.send((a, heavy)).unwrap();
        })
        .unwrap();
    });
    rx.recv().expect("server starts")
}

fn post_to(addr: SocketAddr, path: &str, body: &str) -> Resp {
    raw_to(
        addr,
        format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

fn get_to(addr: SocketAddr, path: &str) -> Resp {
    raw_to(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn url(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The scenario of the report: `urgentie = 1e15` arrivals a year per 1,000 dwellings.
const REPORTED: &str = "schema = 1\nnaam = \"x\"\nstartjaar = 2025\njaren = 1\npeildatum = 2025-01-01\n[instroom]\nurgentie = 1e15\n";

/// A scenario that runs long: 50 years.
const LONG: &str =
    "schema = 1\nnaam = \"lang\"\nstartjaar = 2025\njaren = 50\npeildatum = 2025-01-01\n";

fn body(scenario: &str, runs: usize) -> String {
    serde_json::json!({"scenario": scenario, "runs": runs}).to_string()
}

#[test]
fn the_reported_scenario_is_refused_with_its_key_and_range_and_the_server_lives() {
    let (addr, _) = server(Limits::default());
    // POST, exactly as reported
    let r = post_to(addr, "/api/v1/scenarios/run", &body(REPORTED, 1));
    assert_eq!(r.status, 422, "{}", r.body);
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("instroom.urgentie")
            && detail.contains("0–500")
            && detail.contains("line 7"),
        "{detail}"
    );
    // GET, as reported
    let r = get_to(
        addr,
        &format!("/scenarios?scenario={}&runs=1", url(REPORTED)),
    );
    assert_eq!(r.status, 422, "{}", &r.body[..r.body.len().min(400)]);
    assert!(r.body.contains("instroom.urgentie"));
    // the other counts and rates of the report, and new-build of four billion dwellings
    for (extra, key) in [
        ("[contingent]\nbw_mo = 1e15\n", "contingent.bw_mo"),
        (
            "[taakstelling]\nstatushouder = 1e15\n",
            "taakstelling.statushouder",
        ),
        (
            "[[ingreep]]\njaar = 2025\nbuurt = \"BU90010012\"\nsoort = \"nieuwbouw\"\naantal = 4000000000\nsegmenten = { sociaal = 1.0 }\n",
            "ingreep[0].aantal",
        ),
        (
            "[[buurt]]\ncode = \"BU90010012\"\naantrekkelijkheid = 1e308\n",
            "buurt[0].aantrekkelijkheid",
        ),
    ] {
        let text = format!(
            "{}{extra}",
            REPORTED.replace("[instroom]\nurgentie = 1e15\n", "")
        );
        let r = post_to(addr, "/api/v1/scenarios/run", &body(&text, 1));
        assert_eq!(r.status, 422, "{key}: {}", r.body);
        assert!(r.body.contains(key), "{key}: {}", r.body);
    }
    // files on the server are not the dashboard's to read
    let text = format!("{LONG}[invoer]\naannames = \"/etc/passwd\"\n");
    let r = post_to(addr, "/api/v1/scenarios/run", &body(&text, 1));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("reads no files"), "{}", r.body);
    // still serving, and a normal run still works
    let r = post_to(addr, "/api/v1/scenarios/run", &body("spreiding", 5));
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn runs_beyond_the_budget_are_refused_before_they_start() {
    let (addr, heavy) = server(Limits {
        budget: veerkracht_sim::Budget {
            bytes: 128 << 20,
            work: 50_000_000,
        },
        ..Limits::default()
    });
    // memory: 200 runs of 50 years with their baseline keep ≈ 340 MiB of per-buurt results
    let r = post_to(addr, "/api/v1/scenarios/run", &body(LONG, 200));
    assert_eq!(r.status, 422, "{}", r.body);
    let d = r.json()["detail"].as_str().unwrap().to_string();
    assert!(d.contains("MiB") && d.contains("--max-geheugen"), "{d}");
    // work: without per-buurt output the memory fits, the work does not
    let text = format!("{LONG}[uitvoer]\nper_buurt = false\n");
    let r = post_to(addr, "/api/v1/scenarios/run", &body(&text, 200));
    assert_eq!(r.status, 422, "{}", r.body);
    let d = r.json()["detail"].as_str().unwrap().to_string();
    assert!(d.contains("work units") && d.contains("--max-werk"), "{d}");
    assert_eq!(heavy.computing(), 0, "refused before anything ran");
    // within the budget it runs
    let r = post_to(addr, "/api/v1/scenarios/run", &body("basis", 10));
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Sends a request on a connection of its own and returns the open stream.
fn start(addr: SocketAddr, b: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(
        format!(
            "POST /api/v1/scenarios/run HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
            b.len()
        )
        .as_bytes(),
    )
    .unwrap();
    s
}

fn wait_until(what: &str, limit: Duration, f: impl Fn() -> bool) -> Duration {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    t.elapsed()
}

#[test]
fn a_client_that_goes_away_stops_its_run_and_one_client_runs_at_most_its_share() {
    let (addr, heavy) = server(Limits {
        per_client: 1,
        ..Limits::default()
    });
    // long enough to take tens of seconds: 500 runs of 50 years without per-buurt output
    let text = format!("{LONG}[uitvoer]\nper_buurt = false\n");
    let b = body(&text, 500);
    let first = start(addr, &b);
    wait_until("the run starts", Duration::from_secs(20), || {
        heavy.computing() == 1
    });
    // a second heavy request of the same client is refused at once, with Retry-After
    let r = post_to(addr, "/api/v1/scenarios/run", &body("basis", 2));
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    // light requests still answer
    let r = get_to(addr, "/api/v1/scenarios");
    assert_eq!(r.status, 200);
    // the client hangs up: the run stops within a simulated year, and its permit returns
    drop(first);
    let took = wait_until("the run stops", Duration::from_secs(5), || {
        heavy.computing() == 0
    });
    eprintln!("run stopped {took:?} after the client went away");
    let r = post_to(addr, "/api/v1/scenarios/run", &body("basis", 2));
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn a_run_past_the_time_limit_is_answered_503_and_stopped() {
    let (addr, heavy) = server(Limits {
        seconds: 2,
        ..Limits::default()
    });
    let text = format!("{LONG}[uitvoer]\nper_buurt = false\n");
    let t = Instant::now();
    let r = post_to(addr, "/api/v1/scenarios/run", &body(&text, 500));
    let answered = t.elapsed();
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("more than 2 s"), "{}", r.body);
    assert!(
        answered < Duration::from_secs(4),
        "answered after {answered:?}"
    );
    // the work stops with the answer, it does not go on in the background
    let took = wait_until("the run stops", Duration::from_secs(2), || {
        heavy.computing() == 0
    });
    eprintln!("answered 503 after {answered:?}; the run stopped {took:?} later");
}
