//! The web crate's layers (issue 18): every module imports only modules of lower layers, no
//! route module imports another, and no source file grows past ~1,000 lines without a reason
//! written at its top. Read from the sources, so a new import that breaks the order fails here.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers from the bottom up; a module may import modules of its own or a lower layer
/// (a module of its own layer only when it is listed before it).
const LAYERS: &[&[&str]] = &[
    &["html", "http", "heavy"],
    &["labels", "map", "chart", "multi_user"],
    &["state"],
    &["auth"],
    &["views", "simulation", "scenario_view"],
    &["partner_ui"],
    &["planning"],
    &["routes"],
    &["openapi"],
];

fn sources() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(&src).unwrap().with_extension("");
                let name = rel
                    .to_string_lossy()
                    .replace(std::path::MAIN_SEPARATOR, "::");
                let name = name.trim_end_matches("::mod").to_string();
                out.insert(name, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

/// `crate::a` and `crate::routes::b` paths in a file (outside its unit tests).
fn imports(text: &str) -> Vec<String> {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + 7..];
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut parts = ident.split("::").filter(|s| !s.is_empty());
        let Some(first) = parts.next() else { continue };
        if first == "routes"
            && let Some(second) = parts.next()
            && second
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase())
        {
            out.push(format!("routes::{second}"));
            continue;
        }
        if first.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            out.push(first.to_string());
        }
    }
    out
}

fn position(module: &str) -> Option<(usize, usize)> {
    let top = module.split("::").next().unwrap();
    LAYERS
        .iter()
        .enumerate()
        .find_map(|(l, names)| names.iter().position(|n| *n == top).map(|i| (l, i)))
}

#[test]
fn every_module_imports_only_lower_layers() {
    let mut wrong = Vec::new();
    for (module, text) in sources() {
        if module == "lib" {
            continue;
        }
        let me = position(&module)
            .unwrap_or_else(|| panic!("module {module} is in no layer: add it to LAYERS"));
        for dep in imports(&text) {
            let dep_top = dep.split("::").next().unwrap().to_string();
            if dep_top == module.split("::").next().unwrap() {
                if module.starts_with("routes::") && dep.starts_with("routes::") && dep != module {
                    wrong.push(format!(
                        "{module} imports {dep}: route modules import no other route module"
                    ));
                }
                continue;
            }
            let Some(theirs) = position(&dep_top) else {
                continue; // crate::AppState and other re-exports at the root
            };
            if theirs >= me {
                wrong.push(format!(
                    "{module} imports {dep}, which is not in a lower layer"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_file_is_long_without_a_reason() {
    for (module, text) in sources() {
        let lines = text.lines().count();
        if lines > 1_000 {
            let head: String = text.lines().take(15).collect::<Vec<_>>().join("\n");
            assert!(
                head.contains("Why this file is long"),
                "{module} has {lines} lines: split it or say why at its top (\"Why this file is long: …\")"
            );
        }
    }
}

#[test]
fn the_checker_sees_imports() {
    assert_eq!(
        imports(
            "use crate::auth::Auth;\nfn f() { crate::routes::pages::x(); crate::AppState::new(); }"
        ),
        vec!["auth", "routes::pages", "AppState"]
            .into_iter()
            .filter(|s| s.chars().next().unwrap().is_ascii_lowercase())
            .collect::<Vec<_>>()
    );
    assert_eq!(position("routes::plans"), position("routes"));
    assert!(position("state") > position("http"));
}
