//! Every committed seed and every regression input (an input a fuzzer once crashed on)
//! goes through the same harness as the fuzz targets, so a crash once fixed stays fixed
//! without a fuzzer. A folder under `fuzz/seeds` or `fuzz/regressions` must be a target.

use std::path::Path;

use veerkracht_fuzzing::{Kind, run};

/// Replays every input under `dir`; with `accept`, every one must be read without error
/// (seeds are valid inputs: a refused seed teaches the fuzzer little).
fn replay(dir: &Path, accept: bool) -> usize {
    let mut n = 0;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut targets: Vec<_> = rd.flatten().collect();
    targets.sort_by_key(|e| e.file_name());
    for t in targets {
        let name = t.file_name().to_string_lossy().to_string();
        let kind = Kind::from_name(&name)
            .unwrap_or_else(|| panic!("{}: no fuzz target {name}", dir.display()));
        let mut files: Vec<_> = std::fs::read_dir(t.path()).unwrap().flatten().collect();
        files.sort_by_key(|e| e.file_name());
        for f in files {
            let data = std::fs::read(f.path()).unwrap();
            let r = std::panic::catch_unwind(|| run(kind, &data));
            assert!(
                r.is_ok(),
                "{} crashes the {name} harness",
                f.path().display()
            );
            if accept && let Ok(veerkracht_fuzzing::Outcome::Refused(e)) = &r {
                panic!("seed {} is refused: {e}", f.path().display());
            }
            n += 1;
        }
    }
    n
}

#[test]
fn seeds_and_regressions_replay_without_a_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let seeds = replay(&root.join("seeds"), true);
    let regressions = replay(&root.join("regressions"), false);
    eprintln!("{seeds} seeds, {regressions} regression inputs");
    // every target has at least one seed
    for k in Kind::ALL {
        let d = root.join("seeds").join(k.name());
        let count = std::fs::read_dir(&d).map(|r| r.count()).unwrap_or(0);
        assert!(count > 0, "no seed for {} in {}", k.name(), d.display());
    }
}
