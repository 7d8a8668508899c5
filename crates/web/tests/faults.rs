//! The server under faults (issue 9): slow clients are cut off after the header timeout,
//! connections beyond the cap are closed at once, and oversized or malformed requests get a
//! clean 4xx — while a normal user is still served.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A second server with a short header timeout and a small connection cap.
fn strict_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let state = veerkracht_web::AppState::new(
            common::demo_dataset(),
            "demoregio (test)",
            true,
            veerkracht_index::Definition::veerkracht_basis(),
        );
        let opts = veerkracht_web::ServeOptions {
            header_timeout: Duration::from_millis(700),
            max_connections: 8,
        };
        veerkracht_web::serve_with("127.0.0.1:0".parse().unwrap(), state, opts, |a| {
            tx.send(a).unwrap();
        })
        .unwrap();
    });
    rx.recv().expect("server starts")
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Reads until the server closes the connection (or `limit` passes): how long it took.
fn time_to_close(s: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let t0 = Instant::now();
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(t0.elapsed()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Some(t0.elapsed()),
            Err(_) => return None,
        }
    }
}

#[test]
fn slow_clients_are_cut_off_and_others_are_served() {
    let addr = strict_server();
    assert_eq!(get(addr, "/api/v1/areas?level=gemeente").0, 200);
    // five clients that send half a request line and then nothing
    let mut slow: Vec<TcpStream> = (0..5)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /api/v1/areas HTT").unwrap();
            s
        })
        .collect();
    // a normal user is served meanwhile
    assert_eq!(get(addr, "/api/v1/areas?level=gemeente").0, 200);
    for s in &mut slow {
        let t = time_to_close(s, Duration::from_secs(10)).expect("the server closes a slow client");
        assert!(t < Duration::from_secs(5), "closed after {t:?}");
    }
}

#[test]
fn connections_beyond_the_cap_are_closed_and_the_slots_come_back() {
    let addr = strict_server();
    // 8 idle connections fill the cap; the 9th to 12th are closed at once
    let held: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    for _ in 0..4 {
        let mut extra = TcpStream::connect(addr).unwrap();
        let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        let t = time_to_close(&mut extra, Duration::from_secs(5)).expect("closed");
        assert!(t < Duration::from_millis(500), "{t:?}");
    }
    drop(held);
    // the idle ones are gone (header timeout or closed by us): a user gets through again
    let t0 = Instant::now();
    loop {
        if get(addr, "/api/v1/areas?level=gemeente").0 == 200 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(5), "no slot came back");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn oversized_and_malformed_requests_get_a_clean_4xx() {
    let addr = common::server();
    // a 1 MB body (limit 64 KB)
    let body = vec![b'{'; 1 << 20];
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/v1/scenarios/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let _ = s.write_all(&body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.starts_with("HTTP/1.1 413"),
        "{}",
        &text[..text.len().min(200)]
    );
    // broken JSON, unknown parameter, not HTTP at all, a 600 kB header (hyper's limit for
    // the request head is ≈ 400 kB)
    let r = common::raw(b"POST /api/v1/scenarios/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{\"scenar\"");
    assert_eq!(r.status, 400, "{}", r.body);
    let r = common::raw(b"GET /api/v1/areas?level=buurt&bestaat=niet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400, "{}", r.body);
    let r = common::raw(b"\x16\x03\x01 this is a TLS hello, not HTTP\r\n\r\n");
    assert!(
        (400..500).contains(&r.status) || r.status == 0,
        "{}",
        r.status
    );
    let mut big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 600_000));
    big.extend(b"\r\nConnection: close\r\n\r\n");
    let r = common::raw(&big);
    assert_eq!(r.status, 431, "{}", &r.body[..r.body.len().min(200)]);
    // and the server still answers
    assert_eq!(get(addr, "/api/v1/areas?level=gemeente").0, 200);
}
