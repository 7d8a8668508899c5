//! `veerkracht fetch` against a replay server on loopback that serves the real files of
//! `../shared/data/real` in the publishers' shapes: the fetched files give the same dataset,
//! cell by cell, as importing the files; the cache turns a second fetch into conditional
//! requests; every fault gives the error its issue describes. Nothing leaves the machine.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use veerkracht_dataset::{AreaCode, Catalogue, Dataset};
use veerkracht_fetch::replay::{self, Fault, ODataTable, Server, State};
use veerkracht_fetch::{Areas, Client, ClientOptions, Gemeente, Hosts, Source};
use veerkracht_ingest::{ImportOptions, import_bytes};

use veerkracht_fetch::replay::{LANDING_2024, REAL_SHAPES as SHAPES, REAL_TABLES as TABLES};

/// The texts of the real files (None when ../shared is missing outside CI).
fn texts() -> Option<&'static HashMap<String, String>> {
    static T: OnceLock<Option<HashMap<String, String>>> = OnceLock::new();
    T.get_or_init(|| {
        let mut out = HashMap::new();
        for (id, rel) in TABLES {
            out.insert(
                id.to_string(),
                replay::read_real(&veerkracht_testkit::real(rel)?),
            );
        }
        for (c, rel) in SHAPES {
            out.insert(
                c.to_string(),
                replay::read_real(&veerkracht_testkit::real(rel)?),
            );
        }
        Some(out)
    })
    .as_ref()
}

fn tables() -> &'static HashMap<String, ODataTable> {
    static T: OnceLock<HashMap<String, ODataTable>> = OnceLock::new();
    T.get_or_init(|| {
        let t = texts().expect("checked by the caller");
        TABLES
            .iter()
            .map(|(id, _)| (id.to_string(), replay::load_odata_csv(&t[*id])))
            .collect()
    })
}

/// A server with the tables `ids` (and the 2024 shapes when `shapes`).
fn server(ids: &[&str], shapes: bool) -> Server {
    let mut st = State::default();
    for id in ids {
        st.tables.insert(id.to_string(), tables()[*id].clone());
    }
    if shapes {
        for (c, _) in SHAPES {
            let v: serde_json::Value = serde_json::from_str(&texts().unwrap()[*c]).unwrap();
            st.features.insert(
                (LANDING_2024.to_string(), c.to_string()),
                v["features"].as_array().unwrap().clone(),
            );
        }
    }
    replay::start(st)
}

fn hosts(s: &Server) -> Hosts {
    Hosts {
        cbs: s.url(),
        cbs_derden: s.url(),
        pdok: s.url(),
    }
}

fn client(cache: Option<PathBuf>) -> Client {
    Client::new(ClientOptions {
        cache,
        retries: 3,
        timeout: Duration::from_secs(30),
        backoff: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        ..ClientOptions::default()
    })
}

fn amersfoort() -> Areas {
    Areas::Gemeenten(vec![Gemeente {
        code: "GM0307".into(),
        name: "Amersfoort".into(),
    }])
}

fn import(files: &[(String, Vec<u8>, Option<u16>)]) -> Dataset {
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for (i, (name, bytes, edition)) in files.iter().enumerate() {
        let opts = ImportOptions {
            edition: *edition,
            ..ImportOptions::default()
        };
        for b in import_bytes(name, bytes, &cat, &opts).unwrap_or_else(|e| panic!("{name}: {e}")) {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    ds
}

fn in_gemeente(c: &AreaCode, gm: &str) -> bool {
    c.to_string() == gm || c.gemeente().is_some_and(|g| g.to_string() == gm)
}

#[test]
fn a_fetched_gemeente_equals_an_import_of_the_files_cell_by_cell() {
    if texts().is_none() {
        return;
    }
    let ids: Vec<&str> = TABLES.iter().map(|t| t.0).collect();
    let srv = server(&ids, true);
    let cat = Catalogue::embedded();
    let c = client(None);
    // the name as a user types it, resolved against CBS's list
    let list = veerkracht_fetch::gemeenten(&c, &hosts(&srv), &cat, 2024).unwrap();
    let gm = veerkracht_fetch::gemeente::resolve("amersfoort", &list).unwrap();
    assert_eq!(gm.code, "GM0307");
    // Utrecht is not in the partial OData dumps of KWB, benefits and crime (they stop at
    // M, so the replayed gemeente list lacks it too); its Wmo and shapes are: fetched
    // together with Amersfoort
    let utrecht = Gemeente {
        code: "GM0344".into(),
        name: "Utrecht".into(),
    };
    let editions: BTreeSet<u16> = (2016..=2024).collect();
    let sources: BTreeSet<Source> = Source::ALL.into_iter().collect();
    let report = veerkracht_fetch::fetch(
        &c,
        &hosts(&srv),
        &cat,
        &Areas::Gemeenten(vec![gm, utrecht]),
        &editions,
        &sources,
        &mut |_| {},
    )
    .unwrap();
    let got: BTreeSet<(&str, u16)> = report
        .fetched
        .iter()
        .map(|f| (f.table.as_str(), f.edition))
        .collect();
    for t in [
        "85984NED",
        "83577NED",
        "84417NED",
        "85586NED",
        "86003NED",
        "85995NED",
        "83903NED",
        "84468NED",
        "wijken-en-buurten-2024",
    ] {
        assert!(got.iter().any(|(x, _)| *x == t), "{t} fetched: {got:?}");
    }
    // KWB 2016–2023 and the 2023 shapes are not on this server: not published, not an error
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.table.as_deref() == Some("85618NED") && s.reason.contains("404"))
    );
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.table.as_deref() == Some("wijken-en-buurten-2023"))
    );
    // the same files imported as a user would
    let fetched: Vec<(String, Vec<u8>, Option<u16>)> = report
        .fetched
        .iter()
        .map(|f| (f.name.clone(), f.bytes.clone(), Some(f.edition)))
        .collect();
    let a = import(&fetched);
    let mut files: Vec<(String, Vec<u8>, Option<u16>)> = TABLES
        .iter()
        .map(|(id, rel)| {
            let name = rel
                .rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".gz")
                .to_string();
            (name, texts().unwrap()[*id].clone().into_bytes(), None)
        })
        .collect();
    for (c, rel) in SHAPES {
        let name = rel.rsplit('/').next().unwrap().to_string();
        files.push((name, texts().unwrap()[*c].clone().into_bytes(), Some(2024)));
    }
    let b = import(&files);
    let mut compared = 0;
    assert_eq!(
        a.editions(),
        b.editions()
            .into_iter()
            .filter(|e| a.editions().contains(e))
            .collect::<Vec<_>>()
    );
    for gm in ["GM0307", "GM0344"] {
        for e in b.editions() {
            let Some(eb) = b.edition(e) else { continue };
            let codes_b: BTreeSet<String> = eb
                .areas()
                .iter()
                .filter(|x| in_gemeente(&x.code, gm))
                .map(|x| format!("{} {}", x.code, x.name))
                .collect();
            let codes_a: BTreeSet<String> = a
                .edition(e)
                .map(|ea| {
                    ea.areas()
                        .iter()
                        .filter(|x| in_gemeente(&x.code, gm))
                        .map(|x| format!("{} {}", x.code, x.name))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(codes_a, codes_b, "areas of {gm} in edition {e}");
            let inds: BTreeSet<String> = eb
                .indicator_ids()
                .chain(a.edition(e).into_iter().flat_map(|x| x.indicator_ids()))
                .map(str::to_string)
                .collect();
            for x in eb.areas().iter().filter(|x| in_gemeente(&x.code, gm)) {
                for i in &inds {
                    assert_eq!(
                        // value, missing reason and flags (source ids follow file order)
                        a.cell(e, &x.code, i)
                            .map(|c| format!("{:?} {:?}", c.value, c.flags)),
                        b.cell(e, &x.code, i)
                            .map(|c| format!("{:?} {:?}", c.value, c.flags)),
                        "{e} {} {i}",
                        x.code
                    );
                    compared += 1;
                }
                assert_eq!(
                    a.edition(e).and_then(|ea| ea.geometry(&x.code)),
                    eb.geometry(&x.code),
                    "shape of {} in {e}",
                    x.code
                );
            }
        }
    }
    // nothing of other gemeenten came along
    for e in a.editions() {
        assert!(
            a.edition(e)
                .unwrap()
                .areas()
                .iter()
                .all(|x| in_gemeente(&x.code, "GM0307") || in_gemeente(&x.code, "GM0344")),
            "{e}"
        );
    }
    assert!(compared > 10_000, "{compared} cells compared");
    // the report counts what was sent
    let s = &report.stats[&Source::Kwb];
    assert!(s.requests >= 3 && s.bytes > 0, "{s:?}");
}

#[test]
fn a_second_fetch_sends_only_conditional_requests_and_reads_the_cache() {
    if texts().is_none() {
        return;
    }
    let srv = server(&["85995NED"], true);
    let cat = Catalogue::embedded();
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        veerkracht_fetch::fetch(
            &client(Some(dir.path().to_path_buf())),
            &hosts(&srv),
            &cat,
            &amersfoort(),
            &BTreeSet::from([2024]),
            &BTreeSet::from([Source::Wmo, Source::Geometrie]),
            &mut |_| {},
        )
        .unwrap()
    };
    let first = run();
    let sent = srv.log();
    assert!(
        sent.iter().all(|(_, cond, st)| !cond && *st == 200),
        "{sent:?}"
    );
    srv.reset();
    let second = run();
    let again = srv.log();
    assert_eq!(again.len(), sent.len(), "the same requests");
    assert!(
        again.iter().all(|(_, cond, st)| *cond && *st == 304),
        "every request conditional and answered 304: {again:?}"
    );
    assert_eq!(first.fetched, second.fetched, "the same files");
    let s = second.stats[&Source::Wmo];
    assert_eq!(s.bytes, 0);
    assert_eq!(s.cached, s.requests);
}

fn wmo_fetch(srv: &Server) -> veerkracht_fetch::Result<veerkracht_fetch::Report> {
    veerkracht_fetch::fetch(
        &client(None),
        &hosts(srv),
        &Catalogue::embedded(),
        &amersfoort(),
        &BTreeSet::from([2024]),
        &BTreeSet::from([Source::Wmo]),
        &mut |_| {},
    )
}

#[test]
fn busy_and_failing_servers_are_retried_and_retry_after_is_honoured() {
    if texts().is_none() {
        return;
    }
    let srv = server(&["85995NED"], false);
    let clean = wmo_fetch(&srv).unwrap();
    srv.reset();
    srv.fault(Fault::Status("TypedDataSet".into(), 429, Some(1)));
    srv.fault(Fault::Status("DataProperties".into(), 500, None));
    let t = std::time::Instant::now();
    let r = wmo_fetch(&srv).unwrap();
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "waited as Retry-After asked"
    );
    assert_eq!(r.fetched, clean.fetched, "the same data after the retries");
    let log = srv.log();
    assert!(log.iter().any(|(_, _, s)| *s == 429));
    assert!(log.iter().any(|(_, _, s)| *s == 500));
}

fn error_of(f: Fault) -> veerkracht_fetch::FetchError {
    let srv = server(&["85995NED"], false);
    srv.fault(f);
    wmo_fetch(&srv).expect_err("the fault is an error")
}

#[test]
fn answers_that_break_the_protocol_are_errors_naming_url_table_and_expectation() {
    if texts().is_none() {
        return;
    }
    let e = error_of(Fault::Truncate("TypedDataSet".into()));
    assert!(
        e.url.contains("/ODataApi/odata/85995NED/TypedDataSet"),
        "{e}"
    );
    assert_eq!(e.table.as_deref(), Some("85995NED"));
    assert!(e.to_string().contains("not complete JSON"), "{e}");

    let e = error_of(Fault::Html("DataProperties".into()));
    assert!(
        e.to_string()
            .contains("HTML page where the protocol promises JSON"),
        "{e}"
    );
    assert!(e.url.contains("DataProperties"));

    let e = error_of(Fault::Rename(
        "85995NED".into(),
        "WmoClienten_5".into(),
        "AantalWmoClienten_5".into(),
    ));
    assert!(e.to_string().contains("WmoClienten"), "{e}");
    assert!(e.to_string().contains("data/mappings"), "{e}");

    let e = error_of(Fault::LoopNext("TypedDataSet".into()));
    assert!(e.to_string().contains("repeats a page"), "{e}");

    let e = error_of(Fault::Status("TypedDataSet".into(), 503, Some(3600)));
    assert!(e.to_string().contains("Retry-After"), "{e}");
}

#[test]
fn a_pdok_filter_that_is_ignored_is_an_error_not_the_whole_country() {
    if texts().is_none() {
        return;
    }
    let srv = server(&[], true);
    srv.fault(Fault::IgnoreFilter);
    let e = veerkracht_fetch::fetch(
        &client(None),
        &hosts(&srv),
        &Catalogue::embedded(),
        &amersfoort(),
        &BTreeSet::from([2024]),
        &BTreeSet::from([Source::Geometrie]),
        &mut |_| {},
    )
    .expect_err("wrong gemeente");
    assert!(e.to_string().contains("filter was not applied"), "{e}");
}

#[test]
fn no_connection_is_one_clear_line() {
    // a port that was free a moment ago: nothing listens there
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h = Hosts {
        cbs: format!("http://127.0.0.1:{port}"),
        ..Hosts::default()
    };
    let e = veerkracht_fetch::fetch(
        &client(None),
        &h,
        &Catalogue::embedded(),
        &amersfoort(),
        &BTreeSet::from([2024]),
        &BTreeSet::from([Source::Wmo]),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(e.offline, "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "geen verbinding met 127.0.0.1:{port} — werk offline met veerkracht import BESTAND, of geef --cbs-url"
        )
    );
}

#[test]
fn the_default_hosts_are_the_publishers() {
    let h = Hosts::default();
    assert_eq!(h.cbs, "https://opendata.cbs.nl");
    assert_eq!(h.cbs_derden, "https://dataderden.cbs.nl");
    assert_eq!(h.pdok, "https://api.pdok.nl");
}
