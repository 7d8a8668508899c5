//! Load test of the partner workspace (issue 8, item 8): N simulated users (default 200), each
//! logged in with their own account and session, read and edit buurt plans on loopback for
//! a number of seconds; prints latency percentiles, errors and a check that nothing
//! acknowledged was lost. Run by `bench/partners.sh` (release build).
//!
//! Usage: partners_load [--users N] [--seconds S] [--think-ms MIN,MAX] [--db PATH|URL]
//! Each user loops: think (uniform MIN..MAX ms), then one action: 45 % the plan page (HTML),
//! 20 % the plan as JSON, 10 % the plan list, 15 % a comment (API, CSRF header), 10 % a
//! measure's status change against the version read just before (a 409 conflict is a correct
//! answer, not an error).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use veerkracht_dataset::{Catalogue, Dataset};
use veerkracht_partners::{Location, NewMeasure, NewPlan, OrgKind, PartnerDb, Role};

fn demo_dataset() -> Dataset {
    let cat = Catalogue::embedded();
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let opts = veerkracht_ingest::ImportOptions {
        synthetic: true,
        ..Default::default()
    };
    let mut ds = Dataset::new(cat.clone());
    for (src, f) in region.files.iter().enumerate() {
        let lower = f.name.to_lowercase();
        if !(lower.ends_with(".csv") || lower.ends_with(".geojson")) || lower.contains("voorraad") {
            continue;
        }
        for b in veerkracht_ingest::import_bytes(&f.name, &f.bytes, &cat, &opts).unwrap() {
            ds.add_batch(&b, src as u32 + 1);
        }
    }
    ds
}

/// A keep-alive HTTP/1.1 connection with a cookie jar.
struct Conn {
    addr: SocketAddr,
    r: Option<BufReader<TcpStream>>,
    cookies: Vec<(String, String)>,
}

struct Resp {
    status: u16,
    body: String,
    set_cookies: Vec<String>,
}

impl Conn {
    fn new(addr: SocketAddr) -> Conn {
        Conn {
            addr,
            r: None,
            cookies: Vec::new(),
        }
    }

    fn request(
        &mut self,
        method: &str,
        path: &str,
        ctype: Option<&str>,
        body: &str,
        extra: &[(&str, &str)],
    ) -> std::io::Result<Resp> {
        for attempt in 0..2 {
            if self.r.is_none() {
                let s = TcpStream::connect(self.addr)?;
                s.set_nodelay(true)?;
                s.set_read_timeout(Some(Duration::from_secs(30)))?;
                self.r = Some(BufReader::new(s));
            }
            let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
            if !self.cookies.is_empty() {
                let c: Vec<String> = self
                    .cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                req.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
            }
            if let Some(ct) = ctype {
                req.push_str(&format!("Content-Type: {ct}\r\n"));
            }
            for (k, v) in extra {
                req.push_str(&format!("{k}: {v}\r\n"));
            }
            req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
            let r = self.r.as_mut().unwrap();
            let sent = r.get_mut().write_all(req.as_bytes());
            match sent.and_then(|_| read_response(r)) {
                Ok(resp) => {
                    for c in &resp.set_cookies {
                        let first = c.split(';').next().unwrap_or("");
                        if let Some((k, v)) = first.split_once('=') {
                            self.cookies.retain(|(n, _)| n != k);
                            if !c.contains("Max-Age=0") {
                                self.cookies.push((k.to_string(), v.to_string()));
                            }
                        }
                    }
                    return Ok(resp);
                }
                // a keep-alive connection the server closed: one fresh try
                Err(e) if attempt == 0 => {
                    let _ = e;
                    self.r = None;
                }
                Err(e) => return Err(e),
            }
        }
        unreachable!()
    }
}

fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<Resp> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "closed",
        ));
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = None;
    let mut chunked = false;
    let mut set_cookies = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            let k = k.to_ascii_lowercase();
            let v = v.trim();
            match k.as_str() {
                "content-length" => len = v.parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.contains("chunked"),
                "set-cookie" => set_cookies.push(v.to_string()),
                _ => {}
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            if n == 0 {
                line.clear();
                r.read_line(&mut line)?;
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = len {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    }
    Ok(Resp {
        status,
        body: String::from_utf8_lossy(&body).to_string(),
        set_cookies,
    })
}

/// User + system CPU time of this process so far (Linux /proc).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // fields 14 and 15 (utime, stime) are at 11 and 12 after the command name
    (ticks(11) + ticks(12)) / 100.0
}

fn between(s: &str, a: &str, b: &str) -> Option<String> {
    let i = s.find(a)? + a.len();
    Some(s[i..][..s[i..].find(b)?].to_string())
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[derive(Default)]
struct Stats {
    lat: Vec<(u8, f64)>,
    errors: Vec<String>,
    conflicts: usize,
}

const KINDS: [&str; 5] = ["plan-html", "plan-json", "list", "comment", "measure"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let users: usize = arg(&args, "--users")
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let seconds: u64 = arg(&args, "--seconds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let think = arg(&args, "--think-ms").unwrap_or("100,500".into());
    let (tmin, tmax): (u64, u64) = think
        .split_once(',')
        .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let loc = match arg(&args, "--db") {
        Some(s) => Location::parse(&s),
        None => Location::Sqlite(dir.path().join("partners.sqlite")),
    };
    let pw = "een lange zin als wachtwoord";
    // 5 organisations, 40 users each (analisten), 20 plans owned in turn with all others as partners
    let opts = veerkracht_partners::Options {
        connections: 8,
        ..Default::default()
    };
    let ws = PartnerDb::open(&loc, opts).unwrap();
    let t0 = Instant::now();
    let kinds = [
        OrgKind::Gemeente,
        OrgKind::Corporatie,
        OrgKind::Zorg,
        OrgKind::Politie,
        OrgKind::Huurdersorganisatie,
    ];
    let mut orgs = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        orgs.push(
            ws.create_org(
                None,
                &format!("Organisatie {i} ({k})"),
                *k,
                &["GM9001".into()],
                *k == OrgKind::Corporatie,
            )
            .unwrap(),
        );
    }
    let names: Vec<String> = (0..users).map(|u| format!("gebruiker{u:03}")).collect();
    std::thread::scope(|s| {
        for chunk in names.chunks(names.len().div_ceil(2)) {
            let (ws, orgs) = (&ws, &orgs);
            s.spawn(move || {
                for n in chunk {
                    let u: usize = n[9..].parse().unwrap();
                    ws.create_user(None, orgs[u % orgs.len()], n, n, Role::Analist, pw)
                        .unwrap();
                }
            });
        }
    });
    let mut plans = Vec::new();
    for p in 0..20 {
        let owner = ws
            .login(
                &names[p % orgs.len()],
                pw,
                std::net::Ipv4Addr::LOCALHOST.into(),
            )
            .unwrap()
            .actor;
        let partners: Vec<i64> = orgs
            .iter()
            .copied()
            .filter(|o| *o != owner.org.id)
            .collect();
        let id = ws
            .create_plan(
                &owner,
                NewPlan {
                    area_code: format!("BU900105{:02}", p % 10 + 1),
                    area_name: format!("Buurt {p}"),
                    gemeente: Some("GM9001".into()),
                    title: format!("Plan {p}"),
                    analysis: "Analyse".into(),
                    snapshot: json!({"score": {"waarde": 40.0}, "editie": 2024}),
                    partners,
                },
            )
            .unwrap();
        ws.add_measure(
            &owner,
            id,
            NewMeasure {
                kind: "sociaal".into(),
                title: "Buurtteam".into(),
                description: String::new(),
                owner_org: None,
                partners: vec![],
                budget_cents: None,
                status: None,
                start_date: "2027-01-01".into(),
                end_date: None,
            },
        )
        .unwrap();
        plans.push(id);
    }
    eprintln!(
        "set-up: {} users with argon2id (OWASP) hashes, 20 plans, in {:.1} s on {}",
        users,
        t0.elapsed().as_secs_f64(),
        ws.location().describe()
    );
    drop(ws);

    let (tx, rx) = std::sync::mpsc::channel();
    let loc2 = loc.clone();
    std::thread::spawn(move || {
        let ws = PartnerDb::open(
            &loc2,
            veerkracht_partners::Options {
                connections: 8,
                ..Default::default()
            },
        )
        .unwrap();
        let state = veerkracht_web::AppState::new(
            demo_dataset(),
            "demoregio (bench)",
            true,
            veerkracht_index::Definition::veerkracht_basis(),
        )
        .with_partners({
            let mut p = veerkracht_web::multi_user::Partners::new(ws, false);
            p.logins_per_minute = 100_000;
            p
        });
        veerkracht_web::serve("127.0.0.1:0".parse().unwrap(), state, |a| {
            tx.send(a).unwrap()
        })
        .unwrap();
    });
    let addr = rx.recv().unwrap();

    // log everyone in (the real form flow), a few at a time
    let t1 = Instant::now();
    let conns: Vec<Mutex<(Conn, String)>> = std::thread::scope(|s| {
        let hs: Vec<_> = names
            .chunks(names.len().div_ceil(8))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|n| {
                            let mut c = Conn::new(addr);
                            let page = c.request("GET", "/login", None, "", &[]).unwrap();
                            let t = between(&page.body, "name=\"login_csrf\" value=\"", "\"").unwrap();
                            let r = c.request("POST", "/login", Some("application/x-www-form-urlencoded"), &format!("login_csrf={t}&terug=%2Fplans&gebruikersnaam={n}&wachtwoord=een+lange+zin+als+wachtwoord"), &[]).unwrap();
                            assert_eq!(r.status, 303, "login {n}: {}", r.body);
                            let p = c.request("GET", "/plans", None, "", &[]).unwrap();
                            let csrf = between(&p.body, "name=\"csrf\" value=\"", "\"").unwrap();
                            Mutex::new((c, csrf))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    eprintln!("{} logins in {:.1} s", users, t1.elapsed().as_secs_f64());

    let acked: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let stats: Arc<Mutex<Stats>> = Arc::default();
    let cpu0 = cpu_seconds();
    let end = Instant::now() + Duration::from_secs(seconds);
    std::thread::scope(|s| {
        for (u, conn) in conns.iter().enumerate() {
            let (acked, stats, plans) = (acked.clone(), stats.clone(), &plans);
            s.spawn(move || {
                let mut guard = conn.lock().unwrap();
                let (c, csrf) = &mut *guard;
                let mut rng =
                    0x2545F4914F6CDD1Du64 ^ (u as u64 + 1).wrapping_mul(0x9E3779B97F4A7C15);
                let mut next = || {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    rng
                };
                let mut local = Stats::default();
                let mut n = 0;
                while Instant::now() < end {
                    std::thread::sleep(Duration::from_millis(tmin + next() % (tmax - tmin + 1)));
                    let pick = next() % 100;
                    // measures are changed by the plan owner's users: plan p is owned by
                    // organisation p mod 5, user u works at organisation u mod 5
                    let plan = if pick >= 90 {
                        plans[(u % 5) + 5 * (next() % 4) as usize]
                    } else {
                        plans[(next() % plans.len() as u64) as usize]
                    };
                    let t = Instant::now();
                    let (kind, res) = if pick < 45 {
                        (
                            0u8,
                            c.request("GET", &format!("/plans/{plan}"), None, "", &[])
                                .map(|r| (r.status, 200)),
                        )
                    } else if pick < 65 {
                        (
                            1,
                            c.request("GET", &format!("/api/v1/plans/{plan}"), None, "", &[])
                                .map(|r| (r.status, 200)),
                        )
                    } else if pick < 75 {
                        (
                            2,
                            c.request("GET", "/api/v1/plans", None, "", &[])
                                .map(|r| (r.status, 200)),
                        )
                    } else if pick < 90 {
                        let text = format!("u{u}-n{n}");
                        n += 1;
                        let r = c.request(
                            "POST",
                            &format!("/api/v1/plans/{plan}/comments"),
                            Some("application/json"),
                            &json!({"kind": "opmerking", "text": text}).to_string(),
                            &[("X-CSRF-Token", csrf)],
                        );
                        if let Ok(x) = &r
                            && x.status == 201
                        {
                            acked.lock().unwrap().insert(text);
                        }
                        (3, r.map(|r| (r.status, 201)))
                    } else {
                        // read the measure's version, then change its status against it
                        let r = c
                            .request("GET", &format!("/api/v1/plans/{plan}"), None, "", &[])
                            .and_then(|p| {
                                let v: Value = serde_json::from_str(&p.body).unwrap_or(Value::Null);
                                let m = &v["measures"][0];
                                let status =
                                    ["gepland", "lopend", "afgerond"][(next() % 3) as usize];
                                c.request(
                                    "PATCH",
                                    &format!("/api/v1/plans/{plan}/measures/{}", m["id"]),
                                    Some("application/json"),
                                    &json!({"version": m["version"], "status": status}).to_string(),
                                    &[("X-CSRF-Token", csrf)],
                                )
                            });
                        if let Ok(x) = &r
                            && x.status == 409
                        {
                            local.conflicts += 1;
                        }
                        (
                            4,
                            r.map(|r| (r.status, if r.status == 409 { 409 } else { 200 })),
                        )
                    };
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    match res {
                        Ok((got, want)) if got == want => local.lat.push((kind, ms)),
                        Ok((got, _)) => local
                            .errors
                            .push(format!("{}: status {got}", KINDS[kind as usize])),
                        Err(e) => local.errors.push(format!("{}: {e}", KINDS[kind as usize])),
                    }
                }
                let mut s = stats.lock().unwrap();
                s.lat.extend(local.lat);
                s.errors.extend(local.errors);
                s.conflicts += local.conflicts;
            });
        }
    });
    let cpu = cpu_seconds() - cpu0;
    println!(
        "CPU of this process (server and simulated users) during the load: {cpu:.1} s = {:.2} cores",
        cpu / seconds as f64
    );
    let st = stats.lock().unwrap();
    let pct = |v: &mut Vec<f64>, p: f64| -> f64 {
        if v.is_empty() {
            return f64::NAN;
        }
        v.sort_by(|a, b| a.total_cmp(b));
        v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
    };
    let mut all: Vec<f64> = st.lat.iter().map(|x| x.1).collect();
    println!(
        "users {users}, {seconds} s, think {tmin}–{tmax} ms, backend {}",
        match loc {
            Location::Sqlite(_) => "SQLite",
            Location::Postgres(_) => "PostgreSQL",
        }
    );
    println!(
        "requests ok {} ({:.0}/s), errors {}, version conflicts (409, expected) {}",
        all.len(),
        all.len() as f64 / seconds as f64,
        st.errors.len(),
        st.conflicts
    );
    println!(
        "all: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&mut all, 0.5),
        pct(&mut all, 0.95),
        pct(&mut all, 0.99),
        pct(&mut all, 1.0)
    );
    for (k, name) in KINDS.iter().enumerate() {
        let mut v: Vec<f64> = st
            .lat
            .iter()
            .filter(|x| x.0 == k as u8)
            .map(|x| x.1)
            .collect();
        println!(
            "  {name:<10} n {:>6}  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms",
            v.len(),
            pct(&mut v, 0.5),
            pct(&mut v, 0.99),
            pct(&mut v, 1.0)
        );
    }
    for e in st.errors.iter().take(10) {
        println!("  error: {e}");
    }
    // nothing lost: every acknowledged comment is in the database, the audit chain holds
    let ws = PartnerDb::open(&loc, veerkracht_partners::Options::default()).unwrap();
    let reader = ws
        .login(&names[0], pw, std::net::Ipv4Addr::LOCALHOST.into())
        .unwrap()
        .actor;
    let mut stored = BTreeSet::new();
    for p in &plans {
        for c in ws.plan(&reader, *p).unwrap().comments {
            stored.insert(c.body);
        }
    }
    let acked = acked.lock().unwrap();
    let lost = acked.difference(&stored).count();
    let integrity = ws.integrity().unwrap();
    println!(
        "acknowledged comments {}, stored {}, lost {lost}; integrity {}, audit entries {}",
        acked.len(),
        stored.len(),
        if integrity.ok() { "ok" } else { "BROKEN" },
        integrity.audit_entries
    );
    let p99 = pct(&mut all, 0.99);
    let pass = p99 < 50.0 && st.errors.is_empty() && lost == 0 && integrity.ok();
    println!(
        "target p99 < 50 ms, zero errors, nothing lost: {}",
        if pass { "MET" } else { "NOT MET" }
    );
}
