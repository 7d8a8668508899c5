//! A real gemeente in the dashboard (issue 16): the real KWB 2024 (partial) and the national
//! wijk shapes 2024 of ../shared, served as an analyst would; the gemeente focus, the chooser,
//! search, the default level and the map sizes. Fails (not skips) under CI without ../shared.

mod common;

use std::net::SocketAddr;
use std::sync::OnceLock;

use common::{Resp, raw_to};
use veerkracht_dataset::{Catalogue, Dataset};
use veerkracht_ingest::{ImportOptions, import_path};
use veerkracht_testkit::real;

fn real_dataset() -> Option<Dataset> {
    // KWB 2024 for 172 gemeenten and Utrecht's own, and the shapes (with names) of every wijk
    // and gemeente of the country
    let (Some(kwb), Some(utrecht), Some(wijken), Some(gemeenten)) = (
        real("cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv"),
        real("cbs-kwb-utrecht-2023-2024/kwb2024_utrecht.csv"),
        real("geo-wijken-gemeenten-2024-nl/wijken_2024.geojson"),
        real("geo-wijken-gemeenten-2024-nl/gemeenten_2024_with_indicators.geojson"),
    ) else {
        return None;
    };
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for (i, p) in [kwb, utrecht, wijken, gemeenten].iter().enumerate() {
        for b in import_path(p, &cat, &ImportOptions::default()).unwrap() {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    Some(ds)
}

/// A server on the real data, optionally opened on a gemeente (`serve --gemeente`).
fn start(focus: Option<&str>) -> Option<SocketAddr> {
    start_on(real_dataset()?, focus)
}

fn start_on(ds: Dataset, focus: Option<&str>) -> Option<SocketAddr> {
    let focus = focus.map(str::to_string);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut state = veerkracht_web::AppState::new(
            ds,
            "KWB 2024 (deel) en wijkgrenzen 2024 (test)",
            false,
            veerkracht_index::Definition::veerkracht_basis(),
        );
        if let Some(g) = focus {
            state = state.with_focus(&g).unwrap();
        }
        veerkracht_web::serve("127.0.0.1:0".parse().unwrap(), state, |a| {
            tx.send(a).unwrap();
        })
        .unwrap();
    });
    Some(rx.recv().expect("server starts"))
}

fn server() -> Option<SocketAddr> {
    static ADDR: OnceLock<Option<SocketAddr>> = OnceLock::new();
    *ADDR.get_or_init(|| start(None))
}

fn get(addr: SocketAddr, path: &str) -> Resp {
    raw_to(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// The codes of the areas drawn as links, outside and inside the faint surroundings.
fn drawn(body: &str) -> (Vec<String>, Vec<String>) {
    let codes = |s: &str| -> Vec<String> {
        s.split("<a href=\"/buurt/")
            .skip(1)
            .map(|x| x[..x.find(['"', '?']).unwrap()].to_string())
            .collect()
    };
    let start = body.find("<g class=\"faint\">");
    let end = start.and_then(|a| body[a..].find("</g>").map(|b| a + b));
    match (start, end) {
        (Some(a), Some(b)) => {
            let faint = codes(&body[a..b]);
            let mut main = codes(&body[..a]);
            main.extend(codes(&body[b..]));
            (main, faint)
        }
        _ => (codes(body), Vec::new()),
    }
}

#[test]
fn the_map_opens_on_the_finest_level_with_shapes_and_says_what_is_missing() {
    let Some(addr) = server() else { return };
    // No buurt shapes here, wijk shapes for the whole country: the map opens on wijken.
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("wijken 2024</h2>"), "default level wijk");
    let (main, faint) = drawn(&home.body);
    // every wijk of the country but 5 smaller than a pixel of the national map (they are
    // drawn when the map is on their gemeente)
    assert_eq!(main.len(), 3470);
    assert!(faint.is_empty());
    // The national wijk map, simplified with shared edges kept (gzip on the wire: see
    // bench/README.md).
    eprintln!("national wijk map: {} bytes", home.body.len());
    assert!(home.body.len() < 1_000_000, "{} bytes", home.body.len());
    // Buurten asked for: none have shapes, and the page says so and links to the wijken.
    let b = get(addr, "/?level=buurt");
    assert_eq!(b.status, 200);
    assert!(b.body.contains("data-testid=\"geen-grenzen\""));
    assert!(b.body.contains("href=\"/?level=wijk&amp;var=score\""));
}

#[test]
fn a_gemeente_focus_draws_its_wijken_with_the_surroundings_faint() {
    let Some(addr) = server() else { return };
    let p = get(addr, "/?gemeente=Utrecht");
    assert_eq!(p.status, 200);
    let (main, faint) = drawn(&p.body);
    assert_eq!(main.len(), 10, "Utrecht's ten wijken: {} drawn", main.len());
    assert!(main.iter().all(|c| c.starts_with("WK0344")), "{main:?}");
    assert!(faint.len() > 10, "the wijken around Utrecht, faint");
    assert!(faint.iter().all(|c| !c.starts_with("WK0344")));
    eprintln!("Utrecht: {} bytes", p.body.len());
    assert!(p.body.len() < 200_000, "{} bytes", p.body.len());
    assert!(p.body.contains(" — Utrecht</h2>"));
    // The chooser shows it, and the menu, the language link and the form keep it.
    assert!(p.body.contains("value=\"Utrecht (GM0344)\""));
    assert!(p.body.contains("href=\"/signaal?gemeente=GM0344\""));
    assert!(p.body.contains("gemeente=GM0344&amp;lang=en"));
    assert!(
        p.body
            .contains("<input type=\"hidden\" name=\"gemeente\" value=\"GM0344\">")
    );
    // By code, by the list's text, in another case: the same page.
    for q in ["GM0344", "utrecht", "Utrecht%20(GM0344)", "gm344", "344"] {
        let other = get(addr, &format!("/?gemeente={q}"));
        assert_eq!(drawn(&other.body).0, main, "{q}");
    }
    // A misspelt name: the whole country, and an alert with the close names.
    let typo = get(addr, "/?gemeente=Utrechtt");
    assert!(typo.body.contains("role=\"alert\""));
    assert!(typo.body.contains("did you mean: Utrecht"), "close names");
    // Amsterdam: the largest gemeente, still small.
    let a = get(addr, "/?gemeente=GM0363");
    eprintln!("Amsterdam: {} bytes", a.body.len());
    assert!(a.body.len() < 200_000);
    assert!(drawn(&a.body).0.iter().all(|c| c.starts_with("WK0363")));
}

#[test]
fn search_finds_an_area_by_code_or_name_in_the_focused_gemeente_first() {
    let Some(addr) = server() else { return };
    let r = get(addr, "/zoek?q=wk034401");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/buurt/WK034401"));
    // A name many gemeenten use: with Utrecht in focus, Utrecht's.
    let r = get(addr, "/zoek?q=Binnenstad&gemeente=Utrecht");
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().starts_with("/buurt/WK0344"));
    // Without a focus, the list of matches.
    let r = get(addr, "/zoek?q=Binnenstad");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("gebieden gevonden"));
    assert!(r.body.contains("Utrecht"));
    // The map's suggestions are the focused gemeente's wijken.
    let p = get(addr, "/?gemeente=GM0344");
    assert!(p.body.contains("(WK034401)\">"));
    let r = get(addr, "/zoek?q=");
    assert_eq!(r.status, 400);
}

#[test]
fn serve_gemeente_opens_every_page_on_it_and_nl_shows_the_country() {
    let Some(addr) = start(Some("Utrecht")) else {
        return;
    };
    let p = get(addr, "/");
    assert!(drawn(&p.body).0.iter().all(|c| c.starts_with("WK0344")));
    assert!(p.body.contains("value=\"Utrecht (GM0344)\""));
    let all = get(addr, "/?gemeente=NL");
    assert_eq!(drawn(&all.body).0.len(), 3470);
}

#[test]
fn the_signal_page_shows_the_real_signal_of_the_chosen_gemeente() {
    let (Some(crime), Some(benefits)) = (
        real(
            "cbs-misdrijven-wijk-buurt-2016-2018-partial/misdrijven_wijk_buurt_2016_2018_partial.csv",
        ),
        real("cbs-uitkeringen-buurt-2016-2018-partial/uitkeringen_buurt_2016_2018_partial.csv"),
    ) else {
        return;
    };
    let cat = Catalogue::embedded();
    let mut ds = Dataset::new(cat.clone());
    for (i, p) in [crime, benefits].iter().enumerate() {
        for b in import_path(p, &cat, &ImportOptions::default()).unwrap() {
            ds.add_batch(&b, i as u32 + 1);
        }
    }
    let addr = start_on(ds, None).unwrap();
    let nl = get(addr, "/signaal?from=2016&to=2018");
    assert_eq!(nl.status, 200);
    // the country: 25, 130, 99 and 1,286 buurten (crates/index/tests/real.rs)
    assert!(nl.body.contains("<td>1286</td>"), "national counts");
    let a = get(addr, "/signaal?from=2016&to=2018&gemeente=Amsterdam");
    assert_eq!(a.status, 200);
    assert!(a.body.contains("<th scope=\"col\">Amsterdam</th>"));
    assert!(a.body.contains("<td>1286</td>"), "the country beside it");
    // Amsterdam's ten buurten where vulnerability and pressure both rose, and only those
    let list = &a.body[a
        .body
        .find("Buurten waar kwetsbaarheid én druk stegen</caption>")
        .unwrap()..];
    let list = &list[..list.find("</table>").unwrap()];
    let listed = list.matches("<a href=\"/buurt/BU0363").count();
    assert_eq!(listed, 10, "Amsterdam's buurten in the list");
    assert_eq!(list.matches("<a href=\"/buurt/BU").count(), 10);
    // the scatter draws every classified buurt, Amsterdam's emphasised, the others pale
    let fig = &a.body[a.body.find("data-testid=\"signaal-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<circle").count(), 1540);
    assert_eq!(
        svg.matches("<circle class=\"dot\"").count(),
        397,
        "Amsterdam's classified buurten"
    );
}

/// The gemeente chooser, zoom, pan, a click and search, in headless Chromium (the Debian
/// packages and `BROWSER_PYTHON` with selenium that `.ci/run` installs); screenshots in
/// `target/screenshots/`. Required under CI.
#[test]
fn choose_utrecht_zoom_click_a_wijk_and_search_in_chromium() {
    let Some(python) = common::browser_python() else {
        return;
    };
    let Some(addr) = server() else { return };
    let shots = common::screenshots();
    let out = common::run_browser_script(&python, "gemeente.py", addr, &shots, &[]);
    eprintln!("{out:#}");
    assert_eq!(out["country_areas"], 3470);
    assert_eq!(out["focus_areas"], 10, "Utrecht's wijken");
    assert!(out["faint_areas"].as_u64().unwrap() > 10);
    assert!(
        out["focus_codes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.as_str().unwrap().starts_with("WK0344"))
    );
    assert!(out["heading"].as_str().unwrap().ends_with("— Utrecht"));
    assert_eq!(out["zoom_button"], 0.5);
    assert_eq!(out["zoom_key"], 0.25);
    let pan = out["pan"].as_array().unwrap();
    assert!(
        pan[0].as_f64().unwrap() < 0.0 && pan[1].as_f64().unwrap() < 0.0,
        "dragging right and down moves the view left and up: {pan:?}"
    );
    assert!(
        !out["url_after_drag"].as_str().unwrap().contains("/buurt/"),
        "a drag does not follow the link it started on"
    );
    assert_eq!(out["home"], true);
    assert!(out["clicked"].as_str().unwrap().starts_with("WK0344"));
    assert_eq!(out["found"], "WK034406", "Wijk 06 Binnenstad of Utrecht");
    assert_eq!(
        out["console_errors"].as_array().unwrap().len(),
        0,
        "{}",
        out["console_errors"]
    );
    for f in [
        "11-gemeente-utrecht.png",
        "12-ingezoomd.png",
        "13-wijkprofiel.png",
    ] {
        let p = shots.join(f);
        assert!(
            std::fs::metadata(&p).is_ok_and(|m| m.len() > 10_000),
            "{} saved",
            p.display()
        );
    }
}
