//! Same seed → byte-identical files; another seed → different files.

mod common;

use veerkracht_demo::{DEFAULT_SEED, generate};

#[test]
fn same_seed_gives_identical_bytes() {
    let again = generate(DEFAULT_SEED);
    assert_eq!(&again, common::region());
}

#[test]
fn other_seed_differs() {
    let other = generate(DEFAULT_SEED + 1);
    let names: Vec<&str> = other.files.iter().map(|f| f.name.as_str()).collect();
    let default_names: Vec<&str> = common::region()
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, default_names, "same file list");
    for name in [
        "veerstad-kwb-2024.csv",
        "veerstad-buurten-2024.geojson",
        "veerstad-corporatie-voorraad.csv",
    ] {
        assert_ne!(other.file(name), common::region().file(name), "{name}");
    }
}

#[test]
fn file_list_and_readme() {
    let region = common::region();
    assert_eq!(region.files.len(), 1 + 6 + 18 + 3);
    assert_eq!(region.files[0].name, "README.txt");
    let readme = common::text("README.txt");
    assert!(readme.contains("synthetische demodata — geen echte gegevens"));
    assert!(readme.contains(&DEFAULT_SEED.to_string()));
    for file in &region.files[1..] {
        assert!(readme.contains(&file.name), "{} listed", file.name);
    }
}

#[test]
fn write_to_creates_all_files() {
    let dir = std::env::temp_dir().join(format!("veerstad-test-{}", std::process::id()));
    common::region().write_to(&dir).unwrap();
    for file in &common::region().files {
        assert_eq!(std::fs::read(dir.join(&file.name)).unwrap(), file.bytes);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
