//! The replay server on its own, for the benchmark and for trying `veerkracht fetch` offline:
//! `cargo run -p veerkracht-fetch --features replay --example replay -- ../shared/data/real`
//! prints its URL, then serves until killed (`--cbs-url URL --pdok-url URL`).

fn main() {
    let real = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/real".into());
    let ids: Vec<&str> = veerkracht_fetch::replay::REAL_TABLES
        .iter()
        .map(|t| t.0)
        .collect();
    let st = veerkracht_fetch::replay::real_state(std::path::Path::new(&real), &ids, true);
    let srv = veerkracht_fetch::replay::start(st);
    println!("{}", srv.url());
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
