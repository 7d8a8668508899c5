//! `docs/foutmeldingen.md` is exactly what the malformed-input cases give today, and every
//! case is refused (none is silently accepted).

use veerkracht_fuzzing::catalogue::{cases, render};
use veerkracht_fuzzing::run;

#[test]
fn the_catalogue_is_what_the_readers_say() {
    let results: Vec<_> = cases()
        .into_iter()
        .map(|c| {
            let o = run(c.kind, &c.input);
            (c, o)
        })
        .collect();
    for (c, o) in &results {
        assert!(
            o.error().is_some(),
            "{} / {}: accepted, but it is broken",
            c.kind.name(),
            c.wat
        );
    }
    let doc = render(&results);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/foutmeldingen.md");
    if std::env::var_os("VEERKRACHT_BLESS").is_some() {
        std::fs::write(path, &doc).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == doc,
        "docs/foutmeldingen.md is out of date: run VEERKRACHT_BLESS=1 cargo test -p veerkracht-fuzzing --test catalogue"
    );
}
