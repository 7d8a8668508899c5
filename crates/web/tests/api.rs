//! The API and pages against a live server on the demo region: every endpoint, bad input,
//! problem details, headers, and the numbers against the engines.

mod common;

use common::{get, raw};

fn problem(r: &common::Resp, status: u16, needle: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let v = r.json();
    assert_eq!(v["status"], status);
    assert!(
        v["detail"].as_str().unwrap().contains(needle),
        "{needle} in {}",
        v["detail"]
    );
}

#[test]
fn areas_list_and_filter() {
    let v = get("/api/v1/areas").json();
    assert_eq!(v["editie"], 2024);
    assert_eq!(v["aantal"], 151, "demo buurten 2024");
    let w = get("/api/v1/areas?level=wijk&gemeente=GM9001").json();
    assert_eq!(w["aantal"], 15);
    assert_eq!(
        get("/api/v1/areas?level=buurt&edition=2019").json()["aantal"],
        150
    );
    let none = get("/api/v1/areas?level=wijk&gemeente=GM0363").json();
    assert_eq!(none["aantal"], 0);
    problem(
        &get("/api/v1/areas?level=provincie"),
        400,
        "level 'provincie'",
    );
    problem(
        &get("/api/v1/areas?gemeente=WK900101"),
        400,
        "not a gemeente code",
    );
    problem(&get("/api/v1/areas?edition=1999"), 400, "edition 1999");
    problem(&get("/api/v1/areas?edition=twintig"), 400, "not a year");
    problem(
        &get("/api/v1/areas?page=2"),
        400,
        "unknown parameter 'page'",
    );
    let c = get("/api/v1/areas?format=csv");
    assert!(c.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(c.body.lines().count(), 152);
}

#[test]
fn an_area_without_a_score_says_why_everywhere() {
    // Tuindershoek: 95 private households, 225 inhabitants; the definition's [eligibility]
    // asks for 100 households (docs/index-validiteit.md, R1).
    let v = get("/api/v1/areas/BU90010903").json();
    assert_eq!(v["status"], "niet_gescoord");
    assert!(v["score"]["waarde"].is_null() && v["score"]["rang"].is_null());
    assert!(v["score"]["klasse"].is_null());
    assert_eq!(v["redenen"][0]["code"], "te_weinig_huishoudens");
    assert_eq!(
        v["redenen"][0]["detail"],
        "95 particuliere huishoudens (minimaal 100), 225 inwoners"
    );
    assert_eq!(v["aantal_gebieden"], 146, "ranked areas");
    let page = get("/buurt/BU90010903");
    assert!(page.body.contains("data-testid=\"eligibility\""));
    assert!(page.body.contains("te weinig huishoudens"));
    assert!(page.body.contains("data-testid=\"score\">geen score<"));
    // The index table names status and reason; the map hatches the area, with the reason in
    // its title, and says so in the legend.
    let c = get("/api/v1/index?format=csv").body;
    assert!(c.lines().next().unwrap().contains("status,reden"));
    let row = c.lines().find(|l| l.contains("BU90010903")).unwrap();
    assert!(row.contains("niet_gescoord"), "{row}");
    let map = get("/?var=score").body;
    assert!(map.contains("<pattern id=\"geen-score\""));
    let i = map.find("href=\"/buurt/BU90010903\"").unwrap();
    let tail = &map[i..i + map[i..].find("</a>").unwrap()];
    assert!(tail.contains("fill=\"url(#geen-score)\""), "{tail}");
    assert!(tail.contains("geen score: te weinig huishoudens"), "{tail}");
    assert!(map.contains("geen score (te klein, instelling of te weinig gegevens)"));
}

#[test]
fn profile_equals_the_index_engine() {
    let r = common::demo_index();
    let a = r.areas.iter().find(|a| a.score.is_some()).unwrap();
    let v = get(&format!("/api/v1/areas/{}", a.code)).json();
    assert_eq!(v["score"]["waarde"].as_f64(), a.score);
    assert_eq!(v["score"]["rang"].as_u64(), a.rank.map(|x| x as u64));
    assert_eq!(v["score"]["klasse"], a.class.unwrap().label_nl());
    let contributions: f64 = v["waarom"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["bijdrage"].as_f64())
        .sum();
    assert!(
        (contributions - a.score.unwrap()).abs() < 1e-9,
        "waarom adds up"
    );
    let (p5, p95) = (
        v["score"]["rang_p5"].as_f64().unwrap(),
        v["score"]["rang_p95"].as_f64().unwrap(),
    );
    assert!(p5 <= p95);
    assert_eq!(v["trend"].as_array().unwrap().len(), 6, "2019–2024");
    assert_eq!(
        v["vergelijking"]["vergelijkbare_buurten"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    // The page shows the same number (Dutch decimal comma).
    let page = get(&format!("/buurt/{}", a.code));
    assert_eq!(page.status, 200);
    let shown = format!("{:.1}", a.score.unwrap()).replace('.', ",");
    assert!(
        page.body
            .contains(&format!("data-testid=\"score\">{shown}<")),
        "score {shown} on the page"
    );
    // The print dossier: profile plus the method appendix.
    let dossier = get(&format!("/buurt/{}/dossier", a.code));
    assert_eq!(dossier.status, 200);
    assert!(dossier.body.contains("Bijlage: methode en bronnen"));
    assert!(
        dossier
            .body
            .contains(&format!("data-testid=\"score\">{shown}<"))
    );
    // Unknown and malformed codes are 404 problems.
    problem(
        &get("/api/v1/areas/BU99999999"),
        404,
        "not an area of edition",
    );
    problem(&get("/api/v1/areas/hallo"), 404, "not an area code");
    problem(&get("/api/v1/areas/GM9001"), 404, "buurten and wijken");
    problem(
        &get(&format!("/api/v1/areas/{}?edition=1850", a.code)),
        400,
        "edition 1850",
    );
}

#[test]
fn index_compare_signal_lisa_and_formats() {
    let v = get("/api/v1/index").json();
    assert_eq!(v["gebieden"].as_array().unwrap().len(), 151);
    let g = get("/api/v1/index?format=geojson");
    assert_eq!(g.header("content-type"), Some("application/geo+json"));
    let gj: serde_json::Value = serde_json::from_str(&g.body).unwrap();
    let f = &gj["features"][0];
    let lon = f["geometry"]["coordinates"][0][0][0][0].as_f64().unwrap();
    assert!((3.0..8.0).contains(&lon), "WGS84 longitude {lon}");
    problem(&get("/api/v1/index?format=xlsx"), 400, "format 'xlsx'");
    problem(
        &get("/api/v1/index?level=gemeente"),
        400,
        "use buurt or wijk",
    );

    let c = get("/api/v1/compare").json();
    assert_eq!(c["n_corp"], 12, "the demo's corporatiebuurten");
    assert!(
        get("/api/v1/compare?format=csv")
            .body
            .starts_with("variabele,")
    );

    let s = get("/api/v1/signal?from=2020&to=2024").json();
    let onder = s["gebieden"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["kwadrant"]
                .as_str()
                .is_some_and(|k| k.starts_with("kwetsbaarheid ↑ en druk ↑"))
        })
        .count();
    assert!(onder >= 5, "{onder} buurten with both rising");
    problem(
        &get("/api/v1/signal?from=2024&to=2020"),
        400,
        "must be before",
    );
    problem(&get("/api/v1/signal?from=2017"), 400, "not an edition");

    let l = get("/api/v1/spatial/lisa").json();
    assert!(l["moran_i"].as_f64().unwrap() > 0.5);
    let clusters = l["gebieden"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["cluster"] == "laag-laag")
        .count();
    assert!(clusters > 5);
    let spec = get("/api/v1/openapi.json").json();
    for p in [
        "/api/v1/areas",
        "/api/v1/areas/{code}",
        "/api/v1/index",
        "/api/v1/compare",
        "/api/v1/signal",
        "/api/v1/spatial/lisa",
    ] {
        assert!(spec["paths"][p]["get"].is_object(), "{p} documented");
    }
}

#[test]
fn pages_render_in_both_languages_with_security_headers() {
    for path in [
        "/",
        "/?var=lisa",
        "/?var=signaal&from=2019",
        "/?var=c_A",
        "/?var=i_p_wmo_t&level=wijk",
        "/corporatie",
        "/signaal",
        "/hotspots",
        "/methode",
        "/?lang=en",
        "/methode?lang=en",
    ] {
        let r = get(path);
        assert_eq!(
            r.status,
            200,
            "{path}: {}",
            &r.body[..r.body.len().min(300)]
        );
        assert!(
            r.header("content-security-policy")
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert!(r.body.contains("Synthetische demodata") || r.body.contains("Synthetic demo data"));
        // Neutral wording only.
        for word in ["slechte buurt", "probleemwijk", "achterstandswijk"] {
            assert!(!r.body.contains(word), "{path} says {word}");
        }
    }
    let map = get("/");
    assert_eq!(
        map.body.matches("<a href=\"/buurt/").count(),
        151,
        "every buurt is a link"
    );
    assert!(get("/?lang=en").body.contains("<html lang=\"en\">"));
    let bad = get("/?var=iets");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("unknown map variable"));
    assert_eq!(get("/bestaat-niet").status, 404);
}

#[test]
fn rent_mix_and_retrofit_what_if_equal_the_wws_engine() {
    let v = get("/api/v1/rentmix").json();
    assert_eq!(
        v["totaal"]["aantal"], 23_223,
        "the demo stock, every dwelling valued"
    );
    let buurten = v["buurten"].as_object().unwrap();
    // small buurten are withheld (null, with the reason), the rest add up to at most the
    // total (the withheld ones together hold at least k = 10 dwellings)
    let n: u64 = buurten.values().filter_map(|b| b["aantal"].as_u64()).sum();
    let withheld: Vec<_> = buurten.values().filter(|b| b["aantal"].is_null()).collect();
    assert!(
        !withheld.is_empty(),
        "the demo has buurten below 10 dwellings"
    );
    assert!(
        withheld
            .iter()
            .all(|b| b["afgeschermd"]["aantal"].is_string())
    );
    assert!(n <= 23_223 - 10, "{n}");
    // One buurt against the engine directly.
    let region = veerkracht_demo::generate(veerkracht_demo::DEFAULT_SEED);
    let text = String::from_utf8_lossy(
        &region
            .file("veerstad-corporatie-voorraad.csv")
            .unwrap()
            .bytes,
    )
    .to_string();
    let units = veerkracht_wws::flat::parse_csv(&text).unwrap();
    let (code, b) = buurten
        .iter()
        .find(|(_, b)| b["gemiddelde_punten"].is_number())
        .unwrap();
    let opts = veerkracht_wws::Options::default();
    let mine: Vec<f64> = units
        .iter()
        .filter(|u| u.buurtcode.as_deref() == Some(code.as_str()))
        .map(|u| u.waardeer(&opts).unwrap().punten)
        .collect();
    let mean = mine.iter().sum::<f64>() / mine.len() as f64;
    assert!((b["gemiddelde_punten"].as_f64().unwrap() - mean).abs() < 1e-9);
    // Retrofit to A: points rise, nothing gets cheaper, some leave the social segment.
    let w = get("/api/v1/rentmix?naar=A").json();
    let wat_als = w["wat_als"].as_object().unwrap();
    // (means over buurten with fewer than 10 improved dwellings are withheld: null)
    let dp: f64 = wat_als
        .values()
        .filter_map(|b| b["delta_punten_gemiddeld"].as_f64())
        .sum();
    assert!(dp > 0.0);
    assert!(
        wat_als
            .values()
            .filter_map(|b| b["delta_maximale_huur_gemiddeld"].as_f64())
            .all(|x| x >= 0.0)
    );
    assert!(
        w["wat_als_totaal"]["delta_punten_gemiddeld"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    problem(&get("/api/v1/rentmix?naar=Z"), 400, "not an energy label");
    problem(
        &get("/api/v1/rentmix?buurt=x"),
        400,
        "unknown parameter 'buurt'",
    );
    assert!(
        get("/api/v1/rentmix?format=csv")
            .body
            .starts_with("code,aantal,")
    );
    let page = get("/huurmix?naar=B");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-testid=\"whatif-total\""));
    assert_eq!(get("/huurmix?naar=Q").status, 400);
}

fn post(path: &str, body: &str) -> common::Resp {
    raw(format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .as_bytes())
}

#[test]
fn scenarios_run_against_the_baseline_with_limits() {
    let list = get("/api/v1/scenarios").json();
    let names: Vec<&str> = list["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["naam"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"basis") && names.contains(&"spreiding"),
        "{names:?}"
    );
    let r = post(
        "/api/v1/scenarios/run",
        r#"{"scenario": "spreiding", "runs": 20, "seed": 3}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (
            v["scenario"].as_str(),
            v["basis"].as_str(),
            v["runs"].as_u64()
        ),
        (Some("spreiding"), Some("basis"), Some(20))
    );
    let regio = v["regio"].as_array().unwrap();
    let last = v["startjaar"].as_i64().unwrap() + v["jaren"].as_i64().unwrap() - 1;
    let row = regio
        .iter()
        .find(|x| {
            x["indicator"] == "hoogste_buurtaandeel_kwetsbare_plaatsingen"
                && x["jaar"].as_i64() == Some(last)
        })
        .expect("the concentration of vulnerable lettings is reported");
    let d = &row["verschil"];
    assert!(
        d["p5"].as_f64().unwrap() <= d["p50"].as_f64().unwrap()
            && d["p50"].as_f64().unwrap() <= d["p95"].as_f64().unwrap()
    );
    assert!(!v["buurten"].as_array().unwrap().is_empty());
    // Same request, same answer (seeded).
    assert_eq!(
        post(
            "/api/v1/scenarios/run",
            r#"{"scenario": "spreiding", "runs": 20, "seed": 3}"#
        )
        .body,
        r.body
    );
    problem(
        &post("/api/v1/scenarios/run", r#"{"scenario": "onbekend"}"#),
        422,
        "unknown scenario 'onbekend'",
    );
    problem(
        &post(
            "/api/v1/scenarios/run",
            r#"{"scenario": "basis", "runs": 0}"#,
        ),
        400,
        "runs must be between 1 and 500",
    );
    problem(
        &post(
            "/api/v1/scenarios/run",
            r#"{"scenario": "basis", "runs": 100000}"#,
        ),
        400,
        "runs must be between 1 and 500",
    );
    problem(
        &post(
            "/api/v1/scenarios/run",
            r#"{"scenario": "basis", "extra": 1}"#,
        ),
        400,
        "unknown field",
    );
    problem(
        &post("/api/v1/scenarios/run", "niet json"),
        400,
        "expected JSON",
    );
    problem(
        &post(
            "/api/v1/scenarios/run",
            r#"{"scenario": "naam = \"x\"\n[onbekend_blok]\n"}"#,
        ),
        422,
        "scenario (request)",
    );
    let page = get("/scenarios?scenario=middenhuur&runs=50");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Regio in"), "result table shown");
    assert_eq!(get("/scenarios?runs=9999").status, 400);
    // An edited scenario through the page's form; a broken one names its problem.
    let toml = veerkracht_sim::DEMO_SCENARIOS
        .iter()
        .find(|(n, _)| *n == "spreiding")
        .unwrap()
        .1;
    let form = |t: &str| {
        let enc: String = t
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                b => format!("%{b:02X}"),
            })
            .collect();
        let body = format!("toml={enc}&runs=20");
        raw(format!(
            "POST /scenarios HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes())
    };
    let ok = form(toml);
    assert_eq!(ok.status, 200, "{}", &ok.body[..ok.body.len().min(500)]);
    assert!(ok.body.contains("Per jaar"));
    let broken = form(&format!("{toml}\nonzin = 3\n"));
    assert_eq!(broken.status, 422);
    assert!(broken.body.contains("onzin"), "the unknown key is named");
}

#[test]
fn oversized_and_malformed_requests_get_clean_answers() {
    let body = "x".repeat(veerkracht_web::MAX_BODY + 10);
    let r = raw(format!(
        "POST /api/v1/areas HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .as_bytes());
    assert!(r.status == 413 || r.status == 405, "status {}", r.status);
    let r = raw(b"GARBAGE\r\n\r\n");
    assert!(r.status == 400 || r.status == 0, "status {}", r.status);
    // The server still answers afterwards.
    assert_eq!(get("/api/v1/openapi.json").status, 200);
}

#[test]
fn the_rent_mix_answers_at_its_dutch_path_and_at_its_old_path_alike() {
    for q in ["", "?naar=B", "?format=csv", "?naar=A&format=csv"] {
        let new = get(&format!("/api/v1/huurmix{q}"));
        let old = get(&format!("/api/v1/rentmix{q}"));
        assert_eq!(new.status, 200, "{q}");
        assert_eq!(new.body, old.body, "{q}");
    }
    problem(
        &get("/api/v1/huurmix?buurt=x"),
        400,
        "unknown parameter 'buurt'",
    );
    let spec = get("/api/v1/openapi.json").json();
    assert_eq!(spec["paths"]["/api/v1/huurmix"]["get"]["deprecated"], false);
    assert_eq!(spec["paths"]["/api/v1/rentmix"]["get"]["deprecated"], true);
    assert!(
        get("/huurmix")
            .body
            .contains("href=\"/api/v1/huurmix?format=csv\"")
    );
}

#[test]
fn the_plans_page_without_multi_user_mode_names_the_real_option() {
    let r = get("/plans");
    assert!(r.body.contains("--multi-user --partner-db"), "{}", r.body);
    assert!(!r.body.contains("--werkruimte"));
}

#[test]
fn the_corporation_and_hotspot_pages_follow_the_gemeente_focus() {
    let r = common::demo_index();
    let n = r
        .areas
        .iter()
        .filter(|a| a.corporatiebuurt == Some(true))
        .count();
    assert!(n > 0);
    let p = get("/corporatie?gemeente=GM9001");
    assert_eq!(p.status, 200);
    assert!(
        p.body.contains(&format!("({n})</caption>")),
        "the gemeente's {n} corporatiebuurten listed"
    );
    assert!(
        p.body.contains("value=\"Veerstad (GM9001)\""),
        "the chooser shows it"
    );
    let national = get("/corporatie");
    assert!(!national.body.contains("Corporatiebuurten in "));
    let h = get("/hotspots?gemeente=GM9001");
    assert!(h.body.contains("berekend over alle gebieden"));
}

#[test]
fn the_signal_page_leads_with_the_quadrant_scatter() {
    let s = common::demo_signal();
    let classified = s.areas.iter().filter(|a| a.quadrant.is_some()).count();
    let rel = s.areas.iter().filter(|a| a.quadrant_rel.is_some()).count();
    let p = get("/signaal");
    assert_eq!(p.status, 200);
    let fig = &p.body[p.body.find("data-testid=\"signaal-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    assert_eq!(
        svg.matches("<circle").count(),
        classified,
        "one dot per classified buurt"
    );
    // each dot links to its profile and says its numbers
    let a = s.areas.iter().find(|a| a.quadrant.is_some()).unwrap();
    let shown = format!("{:.2}", a.d_vulnerability.unwrap()).replace('.', ",");
    assert!(svg.contains(&format!("<a href=\"/buurt/{}?edition=2024\">", a.code)));
    assert!(svg.contains(&format!("({}): Δ kwetsbaarheid (SD) {shown}", a.code)));
    // the numbers again in a table, and the relative view
    assert!(
        p.body
            .contains(&format!("De cijfers van de grafiek ({classified})"))
    );
    let r = get("/signaal?as=relatief");
    let fig = &r.body[r.body.find("data-testid=\"signaal-grafiek\"").unwrap()..];
    assert_eq!(
        fig[..fig.find("</svg>").unwrap()]
            .matches("<circle")
            .count(),
        rel
    );
    assert!(
        r.body
            .contains("aria-label=\"Veerkrachtsignaal 2019–2024, ten opzichte van de gemeente\"")
    );
}

#[test]
fn the_hotspot_page_shows_the_moran_scatter_plot() {
    let r = common::demo_index();
    let scored = r.areas.iter().filter(|a| a.score.is_some()).count();
    let p = get("/hotspots");
    assert_eq!(p.status, 200);
    let fig = &p.body[p.body.find("data-testid=\"moran-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    assert_eq!(
        svg.matches("<circle").count(),
        scored,
        "a dot per scored buurt"
    );
    assert!(svg.contains("score (gestandaardiseerd)"));
    // the dots' mean slope is Moran's I: the cloud rises (the demo index is clustered)
    let pts: Vec<(f64, f64)> = svg
        .split("<circle")
        .skip(1)
        .map(|c| {
            let attr = |k: &str| -> f64 {
                let i = c.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                c[i..i + c[i..].find('"').unwrap()].parse().unwrap()
            };
            (attr("cx"), -attr("cy"))
        })
        .collect();
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    assert!(cov > 0.0, "positive spatial autocorrelation");
}

#[test]
fn the_profile_draws_its_trend_beside_the_gemeente() {
    let ds = common::demo_dataset();
    let def = veerkracht_index::Definition::veerkracht_basis();
    let code = "BU90010312";
    let mut scores = Vec::new();
    for e in 2019..=2024 {
        let r = veerkracht_index::compute(&def, &ds, e, veerkracht_dataset::Level::Buurt);
        scores.push(
            r.areas
                .iter()
                .find(|a| a.code.as_str() == code)
                .unwrap()
                .score,
        );
    }
    let p = get(&format!("/buurt/{code}"));
    let fig = &p.body[p.body.find("data-testid=\"trend-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    let own = scores.iter().flatten().count();
    assert_eq!(own, 6);
    assert_eq!(
        svg.matches("<circle").count(),
        own + 6,
        "the buurt and the gemeente mean per edition"
    );
    // each of the buurt's points says its edition, rank and band, and the score as the page does
    let last = format!("{:.1}", scores[5].unwrap()).replace('.', ",");
    assert!(svg.contains("2024 "), "edition in the title");
    assert!(svg.contains(&format!("score: {last}</title>")), "{last}");
    assert!(svg.contains("90 %-band"));
    // the table below has the rank band and the gemeente mean too
    assert!(
        p.body
            .contains("<th scope=\"col\">gemiddelde gemeente</th>")
    );
}

#[test]
fn the_corporation_page_leads_with_the_spread_of_score_and_components() {
    let r = common::demo_index();
    let def = veerkracht_index::Definition::veerkracht_basis();
    let p = get("/corporatie");
    assert_eq!(p.status, 200);
    let fig = &p.body[p.body.find("data-testid=\"corporatie-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    // the score and four components, two groups each
    assert_eq!(
        svg.matches("<g class=\"box\"").count(),
        2 * (1 + def.component.len())
    );
    // the corporatiebuurten' median score, as the box says it
    let mut v: Vec<f64> = r
        .areas
        .iter()
        .filter(|a| a.corporatiebuurt == Some(true))
        .filter_map(|a| a.score)
        .collect();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * 0.5;
    let med =
        v[h.floor() as usize] + (v[h.ceil() as usize] - v[h.floor() as usize]) * (h - h.floor());
    let shown = format!("{med:.1}").replace('.', ",");
    assert!(
        svg.contains(&format!(
            "<title>score — corporatiebuurten: mediaan {shown},"
        )),
        "median {shown}"
    );
    assert!(svg.contains(&format!("(n = {})", v.len())));
    assert!(
        p.body.find("corporatie-grafiek").unwrap()
            < p.body.find("Verschil in gemiddelden").unwrap(),
        "the picture first"
    );
}

#[test]
fn a_scenario_run_draws_fan_charts_of_the_region_over_the_years() {
    let p = get("/scenarios?scenario=spreiding&runs=20");
    assert_eq!(p.status, 200, "{}", &p.body[..p.body.len().min(400)]);
    for key in ["aandeel_kwetsbaar", "wachttijd_kwetsbaar", "gem_huur"] {
        let fig = &p.body[p
            .body
            .find(&format!("data-testid=\"waaier-{key}\""))
            .unwrap()..];
        let svg = &fig[..fig.find("</svg>").unwrap()];
        assert_eq!(
            svg.matches("<g class=\"fan\"").count(),
            2,
            "{key}: baseline and scenario"
        );
        let dots = svg.matches("<circle").count();
        assert!(
            dots >= 2 * 5 && dots.is_multiple_of(2),
            "{key}: a median per year and side ({dots})"
        );
        assert!(svg.contains("class=\"band\""), "{key}: the 5–95 % band");
    }
    // the last year's median of the share, as the region table shows it
    let fig = &p.body[p
        .body
        .find("data-testid=\"waaier-aandeel_kwetsbaar\"")
        .unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    let last = svg.rsplit("<title>scenario ").next().unwrap();
    let median = &last[last.find(": ").unwrap() + 2..last.find(" [").unwrap()];
    let table = &p.body[p.body.find("Regio in").unwrap()..];
    let row = &table[table.find("aandeel kwetsbare huishoudens").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains(&format!("<td>{median} <span")),
        "{median} in {row}"
    );
}

#[test]
fn the_profile_draws_its_waarom_and_its_comparison() {
    let r = common::demo_index();
    let a = r
        .areas
        .iter()
        .find(|a| a.code.as_str() == "BU90010312")
        .unwrap();
    let p = get("/buurt/BU90010312");
    let fig = &p.body[p.body.find("data-testid=\"waarom-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    let with_value = a
        .contributions
        .iter()
        .filter(|c| c.contribution.is_some())
        .count();
    assert_eq!(svg.matches("<g class=\"bar\"").count(), with_value);
    assert_eq!(
        svg.matches("geen waarde").count(),
        a.contributions.len() - with_value,
        "an indicator without a value is said, not drawn as zero"
    );
    // the bars add up to the score, as the table does
    let sum: f64 = svg
        .split("<g class=\"bar\" tabindex=\"0\"><title>")
        .skip(1)
        .map(|b| {
            let t = &b[..b.find("</title>").unwrap()];
            t.rsplit(": ")
                .next()
                .unwrap()
                .replace(',', ".")
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    assert!(
        (sum - a.score.unwrap()).abs() < 0.05 * with_value as f64,
        "{sum} vs {:?}",
        a.score
    );
    let fig = &p.body[p.body.find("data-testid=\"vergelijking-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    assert_eq!(
        svg.matches("<g class=\"bar\"").count(),
        5,
        "this buurt and four groups"
    );
    let shown = format!("{:.1}", a.score.unwrap()).replace('.', ",");
    assert!(svg.contains(&format!("<title>deze buurt: {shown}</title>")));
}

#[test]
fn the_rent_mix_page_draws_points_classes_and_segments_before_and_after() {
    let values = |svg: &str| -> Vec<f64> {
        svg.split("<g class=\"column\" tabindex=\"0\"><title>")
            .skip(1)
            .map(|b| {
                let t = &b[..b.find("</title>").unwrap()];
                t.rsplit(": ")
                    .next()
                    .unwrap()
                    .replace('.', "")
                    .parse::<f64>()
                    .unwrap()
            })
            .collect()
    };
    let chart = |body: &str, id: &str| -> String {
        let fig = &body[body.find(&format!("data-testid=\"{id}\"")).unwrap()..];
        fig[..fig.find("</svg>").unwrap()].to_string()
    };
    let p = get("/huurmix");
    assert_eq!(p.status, 200);
    let points = values(&chart(&p.body, "punten-grafiek"));
    assert_eq!(points.len(), 4, "four points classes");
    let segments = values(&chart(&p.body, "segment-grafiek"));
    assert_eq!(segments.len(), 3);
    assert_eq!(
        points.iter().sum::<f64>(),
        segments.iter().sum::<f64>(),
        "every valued dwelling in both"
    );
    // After the what-if: a segment whose count rests on a withheld transition (fewer than k
    // dwellings moving) is written "afgeschermd", never drawn as a number.
    let w = get("/huurmix?naar=B");
    let svg = chart(&w.body, "segment-grafiek");
    let both = values(&svg);
    let withheld = svg.matches(">afgeschermd</text>").count();
    assert_eq!(
        both.len() + withheld,
        6,
        "now and after, three segments each"
    );
    assert!(svg.contains("<title>sociaal — nu: "), "now is always drawn");
    if withheld == 0 {
        let (now, after): (Vec<f64>, Vec<f64>) = (
            both.iter().step_by(2).copied().collect(),
            both.iter().skip(1).step_by(2).copied().collect(),
        );
        assert_eq!(now.iter().sum::<f64>(), after.iter().sum::<f64>());
    }
    let api = get("/api/v1/huurmix?naar=B").json();
    let t = &api["wat_als"]["totaal"];
    let hidden = [
        "sociaal_naar_midden",
        "midden_naar_vrij",
        "sociaal_naar_vrij",
    ]
    .iter()
    .filter(|k| t[**k].is_null())
    .count();
    assert_eq!(
        withheld > 0,
        hidden > 0,
        "withheld in the chart exactly when the API withholds a transition: {t}"
    );
}

#[test]
fn the_corporation_page_draws_the_gap_over_the_editions() {
    let ds = common::demo_dataset();
    let def = veerkracht_index::Definition::veerkracht_basis();
    let p = get("/corporatie");
    let fig = &p.body[p.body.find("data-testid=\"kloof-grafiek\"").unwrap()..];
    let svg = &fig[..fig.find("</svg>").unwrap()];
    assert_eq!(
        svg.matches("<circle").count(),
        12,
        "two lines over six editions"
    );
    // 2019: the corporatiebuurten' mean score, as the engine computes it
    let r = veerkracht_index::compute(&def, &ds, 2019, veerkracht_dataset::Level::Buurt);
    let v: Vec<f64> = r
        .areas
        .iter()
        .filter(|a| a.corporatiebuurt == Some(true))
        .filter_map(|a| a.score)
        .collect();
    let mean = format!("{:.1}", v.iter().sum::<f64>() / v.len() as f64).replace('.', ",");
    assert!(
        svg.contains(&format!(
            "<title>2019 corporatiebuurten, gemiddelde score: {mean}</title>"
        )),
        "{mean}"
    );
}

fn send(method: &str, path: &str) -> common::Resp {
    raw(format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .as_bytes())
}

#[test]
fn a_progressive_scenario_computation_refines_to_the_batch_answer() {
    // the same runs and seed as a batch run: the last answer is byte for byte the batch's
    let batch = post(
        "/api/v1/scenarios/run",
        r#"{"scenario": "spreiding", "runs": 20, "seed": 5}"#,
    );
    assert_eq!(batch.status, 200, "{}", batch.body);
    let r = post(
        "/api/v1/scenarios/jobs",
        r#"{"scenario": "spreiding", "runs": 20, "seed": 5}"#,
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);
    let mut seen_runs = Vec::new();
    let last = loop {
        let s = get(&format!("/api/v1/scenarios/jobs/{id}")).json();
        let done = s["runs_klaar"].as_u64().unwrap();
        if !s["resultaat"].is_null() {
            // every answer so far is the answer of exactly the runs done
            assert_eq!(s["resultaat"]["runs"].as_u64(), Some(done), "{s}");
            if seen_runs.last() != Some(&done) {
                seen_runs.push(done);
            }
        }
        match s["status"].as_str().unwrap() {
            "bezig" => std::thread::sleep(std::time::Duration::from_millis(20)),
            "klaar" => break s,
            other => panic!("{other}: {s}"),
        }
    };
    assert_eq!(last["runs"], 20);
    assert!(last["seconden_eerste"].as_f64().unwrap() <= last["seconden"].as_f64().unwrap());
    assert!(
        seen_runs.iter().all(|n| [4, 5, 10, 20].contains(n)) && seen_runs.last() == Some(&20),
        "parts of 4, 5, 10 and 20 runs: {seen_runs:?}"
    );
    assert_eq!(
        last["resultaat"].to_string(),
        batch.json().to_string(),
        "the full answer equals the batch run"
    );
    // the page's result block: charts and the final note
    let f = get(&format!("/scenarios/berekening/{id}"));
    assert_eq!(f.status, 200);
    assert!(
        f.body
            .starts_with("<div class=\"berekening\" data-status=\"klaar\" data-runs-klaar=\"20\""),
        "{}",
        &f.body[..200]
    );
    assert!(f.body.contains("data-testid=\"waaier-aandeel_kwetsbaar\""));
    // its numbers as CSV: a row per region indicator and year, and per buurt
    let c = get(&format!("/api/v1/scenarios/jobs/{id}?format=csv"));
    assert_eq!(c.status, 200, "{}", c.body);
    let v = batch.json();
    assert_eq!(
        c.body.lines().count(),
        1 + v["regio"].as_array().unwrap().len() + v["buurten"].as_array().unwrap().len()
    );
    assert!(
        f.body
            .contains(&format!("href=\"/api/v1/scenarios/jobs/{id}?format=csv\""))
    );
    let svg = get(&format!("/scenarios/berekening/{id}?grafiek=verschilkaart"));
    assert_eq!(svg.status, 200);
    assert!(svg.body.contains("<svg class=\"map\""));
    problem(
        &get(&format!("/api/v1/scenarios/jobs/{id}?format=xml")),
        400,
        "use json or csv",
    );
    // the map of the per-buurt difference: every simulated buurt with a shape, the withheld
    // ones hatched (as many as the API withholds), never drawn as "no change"
    let buurten = batch.json()["buurten"].as_array().unwrap().clone();
    let withheld = buurten
        .iter()
        .filter(|b| b["afgeschermd"].as_object().is_some_and(|o| !o.is_empty()))
        .count();
    assert!(withheld > 0 && withheld < buurten.len(), "{withheld}");
    let needle = format!(
        "data-testid=\"verschilkaart\" data-getekend=\"{}\" data-afgeschermd=\"{withheld}\"",
        buurten.len() - withheld
    );
    assert!(f.body.contains(&needle), "{needle}");
    let map = &f.body[f.body.find("verschilkaart").unwrap()..];
    assert_eq!(
        map.matches("url(#geen-score)").count(),
        withheld,
        "one hatched shape per withheld buurt"
    );
    // unknown ids, bad bodies and stopping
    // a seed and baseline in the address go along with the page's form (script or not)
    let page = get("/scenarios?seed=7&basis=spreiding");
    assert!(page.body.contains("<input type=\"hidden\" name=\"seed\" value=\"7\"><input type=\"hidden\" name=\"basis\" value=\"spreiding\">"));
    assert!(!get("/scenarios").body.contains("name=\"seed\""));
    problem(&get("/api/v1/scenarios/jobs/0123"), 404, "no computation");
    problem(&get("/scenarios/berekening/0123"), 404, "no computation");
    problem(
        &post("/api/v1/scenarios/jobs", r#"{"scenario": "onbekend"}"#),
        422,
        "unknown scenario 'onbekend'",
    );
    problem(
        &post(
            "/api/v1/scenarios/jobs",
            r#"{"scenario": "basis", "runs": 501}"#,
        ),
        400,
        "runs must be between 1 and 500",
    );
    let r = post(
        "/api/v1/scenarios/jobs",
        r#"{"scenario": "middenhuur", "runs": 500, "seed": 2}"#,
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    // while it runs: no CSV (it would look final), and the page's "anything new?" is 204
    // as long as the picture it shows is the latest
    problem(
        &get(&format!("/api/v1/scenarios/jobs/{id}?format=csv")),
        409,
        "the CSV holds the full answer only",
    );
    let done = loop {
        let s = get(&format!("/api/v1/scenarios/jobs/{id}")).json();
        if !s["resultaat"].is_null() {
            break s["runs_klaar"].as_u64().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let f = get(&format!("/scenarios/berekening/{id}?gezien={done}"));
    assert!(
        f.status == 204 || !f.body.contains(&format!("data-runs-klaar=\"{done}\"")),
        "{} {}",
        f.status,
        &f.body[..f.body.len().min(200)]
    );
    let f = get(&format!("/scenarios/berekening/{id}"));
    assert!(f.body.contains("<progress"), "shows its progress");
    assert!(
        !f.body.contains("grafiek="),
        "no downloads before it is done"
    );
    assert_eq!(
        send("DELETE", &format!("/api/v1/scenarios/jobs/{id}")).status,
        204
    );
    let s = get(&format!("/api/v1/scenarios/jobs/{id}")).json();
    assert_eq!(s["status"], "fout", "{s}");
    assert_eq!(s["fout"]["status"], 503);
    assert!(s["runs_klaar"].as_u64().unwrap() < 500);
}

#[test]
fn every_chart_downloads_as_svg_and_links_its_numbers_as_csv() {
    for (page, ids) in [
        ("/signaal", &["signaal-grafiek"][..]),
        ("/hotspots", &["moran-grafiek"][..]),
        ("/corporatie", &["corporatie-grafiek", "kloof-grafiek"][..]),
        (
            "/huurmix?naar=B",
            &["punten-grafiek", "segment-grafiek", "segmenten-per-buurt"][..],
        ),
        (
            "/buurt/BU90010700",
            &[
                "waarom-grafiek",
                "trend-grafiek",
                "rang-grafiek",
                "componenten-grafiek",
                "vergelijking-grafiek",
            ][..],
        ),
    ] {
        let p = get(page);
        assert_eq!(p.status, 200, "{page}");
        for id in ids {
            // the page links to the download, with its own query kept
            let sep = if page.contains('?') { "&amp;" } else { "?" };
            let link = format!("href=\"{}{sep}grafiek={id}\" download", page);
            assert!(p.body.contains(&link), "{page}: {link}");
            let sep = if page.contains('?') { "&" } else { "?" };
            let r = get(&format!("{page}{sep}grafiek={id}"));
            assert_eq!(r.status, 200, "{page} {id}: {}", r.body);
            assert_eq!(
                r.header("content-type"),
                Some("image/svg+xml; charset=utf-8")
            );
            assert_eq!(
                r.header("content-disposition"),
                Some(format!("attachment; filename=\"veerkracht-{id}.svg\"").as_str())
            );
            assert!(
                r.body.starts_with(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg class=\"chart\""
                )
            );
            assert!(r.body.contains("xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(r.body.ends_with("</svg>"));
            // the same drawing as on the page: as many marks (each has its numbers in a title)
            let mark = "<title>";
            let figure = &p.body[p.body.find(&format!("data-testid=\"{id}\"")).unwrap()..];
            let svg = &figure[figure.find("<svg").unwrap()..figure.find("</svg>").unwrap()];
            assert!(svg.matches(mark).count() > 0, "{page} {id}");
            assert_eq!(
                r.body.matches(mark).count(),
                svg.matches(mark).count(),
                "{page} {id}"
            );
        }
        // every CSV link of the page's charts answers with CSV
        for part in p.body.split("<p class=\"downloads\">").skip(1) {
            let part = &part[..part.find("</p>").unwrap()];
            if let Some(i) = part.find("<a href=\"/api/") {
                let href = &part[i + 9..];
                let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
                let c = get(&href);
                assert_eq!(c.status, 200, "{page}: {href}: {}", c.body);
                assert!(
                    c.header("content-type").unwrap().starts_with("text/csv"),
                    "{href}"
                );
                assert!(c.body.lines().count() > 2, "{href}");
            }
        }
    }
    problem(
        &get("/signaal?grafiek=taart"),
        404,
        "its charts: signaal-grafiek",
    );
    problem(
        &get("/signaal?grafiek=%3Cscript%3E"),
        400,
        "the name of a chart",
    );
    // a page's own errors come through unchanged
    assert_eq!(
        get("/signaal?from=1999&grafiek=signaal-grafiek").status,
        400
    );
}

#[test]
fn the_rent_mix_page_draws_segments_per_buurt_now_and_after_the_what_if() {
    let p = get("/huurmix?naar=B");
    assert_eq!(p.status, 200);
    let fig = &p.body[p.body.find("data-testid=\"segmenten-per-buurt\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    let attr = |name: &str| -> usize {
        let i = fig.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        fig[i..i + fig[i..].find('"').unwrap()].parse().unwrap()
    };
    let (buurten, withheld) = (attr("data-buurten"), attr("data-afgeschermd"));
    let api = get("/api/v1/huurmix?naar=B").json();
    assert_eq!(buurten, api["buurten"].as_object().unwrap().len());
    assert!(
        withheld > 0 && withheld < buurten,
        "{withheld} of {buurten}"
    );
    // three parts per drawn bar; a thick bar for every buurt not withheld, a thin one under
    // those whose what-if is published
    let thick = fig.matches("height=\"11.0\"").count();
    let thin = fig.matches("height=\"6.0\"").count();
    assert_eq!(thick, 3 * (buurten - withheld));
    assert!(
        thin > 0 && thin <= thick && thin.is_multiple_of(3),
        "{thin}"
    );
    // the withheld buurten are counted under the chart, not drawn
    assert!(fig.contains(&format!("Niet getekend: {withheld} buurten")));
    assert_eq!(fig.matches("<a href=\"/buurt/").count(), buurten - withheld);
    // without a what-if only the thick bars
    let p = get("/huurmix");
    let fig = &p.body[p.body.find("data-testid=\"segmenten-per-buurt\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    assert_eq!(fig.matches("height=\"6.0\"").count(), 0);
}

#[test]
fn the_profile_draws_each_components_trend() {
    let api = get("/api/v1/areas/BU90010700").json();
    let p = get("/buurt/BU90010700");
    let fig = &p.body[p.body.find("data-testid=\"componenten-grafiek\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    // one point per component and edition with a value, each with its number
    let def = veerkracht_index::Definition::veerkracht_basis();
    let mut expected = 0;
    for e in api["trend"].as_array().unwrap() {
        for c in &def.component {
            if e["componenten"][c.id.as_str()].as_f64().is_some() {
                expected += 1;
            }
        }
    }
    assert!(expected >= def.component.len() * 2, "{expected}");
    assert_eq!(fig.matches("<circle class=\"dot\"").count(), expected);
    assert_eq!(
        fig.matches("<path class=\"line\"").count(),
        def.component.len()
    );
    // the legend wraps inside the chart: no legend text starts beyond its width
    for part in fig.split("<text x=\"").skip(1) {
        let x: f64 = part[..part.find('"').unwrap()].parse().unwrap();
        assert!(x < 640.0, "{x}");
    }
}

#[test]
fn the_corporation_page_draws_each_difference_with_its_interval() {
    let api = get("/api/v1/compare").json();
    let p = get("/corporatie");
    let fig = &p.body[p.body.find("data-testid=\"verschil-grafiek\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    let def = veerkracht_index::Definition::veerkracht_basis();
    let vars: Vec<String> = std::iter::once("score".to_string())
        .chain(def.component.iter().map(|c| format!("component_{}", c.id)))
        .collect();
    let mut drawn = 0;
    for v in &vars {
        let row = api["variabelen"]
            .as_array()
            .or(api["variables"].as_array())
            .unwrap()
            .iter()
            .find(|x| x["variable"] == v.as_str() || x["variabele"] == v.as_str())
            .unwrap_or_else(|| panic!("{v} in {api}"));
        let d = &row["diff_mean"];
        if d.is_null() {
            continue;
        }
        drawn += 1;
        // the numbers on the chart are the API's, rounded to one decimal
        let f = |x: &serde_json::Value| format!("{:.1}", x.as_f64().unwrap()).replace('.', ",");
        let text = format!(
            "{} [{}; {}]",
            f(&d["estimate"]),
            f(&d["low"]),
            f(&d["high"])
        );
        assert!(fig.contains(&text), "{v}: {text}");
    }
    assert!(drawn >= 3, "{drawn}");
    assert_eq!(fig.matches("<g class=\"interval").count(), drawn);
}

#[test]
fn the_profile_draws_its_rank_band_over_the_editions() {
    let api = get("/api/v1/areas/BU90010700").json();
    let p = get("/buurt/BU90010700");
    let fig = &p.body[p.body.find("data-testid=\"rang-grafiek\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    // one dot per edition with a rank, titled with the API's rank and band
    let mut n = 0;
    for e in api["trend"].as_array().unwrap() {
        let (Some(r), Some(lo), Some(hi)) = (
            e["rang"].as_f64(),
            e["rang_p5"].as_f64(),
            e["rang_p95"].as_f64(),
        ) else {
            continue;
        };
        n += 1;
        let t = format!("{}: {r:.0} [{lo:.0}; {hi:.0}]", e["editie"]);
        assert!(fig.contains(&t), "{t}");
    }
    assert!(n >= 2, "{n}");
    assert_eq!(fig.matches("<circle class=\"dot\"").count(), n);
}

#[test]
fn the_signal_and_hotspot_pages_show_their_map_beside_the_scatter() {
    let ds = common::demo_dataset();
    let def = veerkracht_index::Definition::veerkracht_basis();
    let s = common::demo_signal();
    let with_shape = |code: &veerkracht_dataset::AreaCode| {
        ds.edition(2024).and_then(|e| e.geometry(code)).is_some()
    };
    let map_of = |body: &str, id: &str| -> String {
        let fig = &body[body.find(&format!("data-testid=\"{id}\"")).unwrap()..];
        fig[..fig.find("</figure>").unwrap()].to_string()
    };
    for (path, relative) in [("/signaal", false), ("/signaal?as=relatief", true)] {
        let p = get(path);
        assert_eq!(p.status, 200);
        let map = map_of(&p.body, "signaal-kaart");
        // every buurt with a shape, in its quadrant's words (absolute or relative as chosen)
        let shaped: Vec<_> = s.areas.iter().filter(|a| with_shape(&a.code)).collect();
        assert_eq!(
            map.matches("<a href=\"/buurt/").count(),
            shaped.len(),
            "{path}"
        );
        // grey exactly for the buurten without a quadrant in the chosen view (never a
        // quadrant colour for "no signal")
        let grey = shaped
            .iter()
            .filter(|a| {
                if relative {
                    a.quadrant_rel.is_none()
                } else {
                    a.quadrant.is_none()
                }
            })
            .count();
        assert_eq!(map.matches("fill=\"#d9d9d9\"").count(), grey, "{path}");
        assert!(grey < shaped.len());
        // the scatter and the map side by side
        assert!(p.body.contains(
            "<div class=\"naast\"><figure class=\"chart\" data-testid=\"signaal-grafiek\""
        ));
    }
    let p = get("/hotspots");
    let map = map_of(&p.body, "lisa-kaart");
    let idx = veerkracht_index::compute(&def, &ds, 2024, veerkracht_dataset::Level::Buurt);
    let shaped = idx.areas.iter().filter(|a| with_shape(&a.code)).count();
    assert_eq!(map.matches("<a href=\"/buurt/").count(), shaped);
    assert!(map.contains("class=\"legend\""));
    // the map downloads as an SVG file too
    let r = get("/hotspots?grafiek=lisa-kaart");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<svg class=\"map\""));
    assert_eq!(r.body.matches("<a href=\"/buurt/").count(), shaped);
}
