//! Bulk valuation of NDJSON portfolios on several threads by the points-only path
//! ([`crate::waardeer_punten`]), results in line order whatever the number of threads.
//!
//! The flat portfolio CSV has its own bulk reader (`waardeer_punten_csv` in the `flat` module).

use crate::model::Eenheid;
use crate::{Options, Punten, WwsError};

/// Splits `body` into at most `threads` contiguous blocks that end just after a newline.
pub(crate) fn blocks(body: &str, threads: usize) -> Vec<&str> {
    let threads = threads.max(1);
    let mut bounds = vec![0];
    for k in 1..threads {
        let mut b = body.len() * k / threads;
        while b < body.len() && !body.is_char_boundary(b) {
            b += 1;
        }
        let b = body[b..].find('\n').map_or(body.len(), |p| b + p + 1);
        bounds.push(b.max(*bounds.last().expect("nonempty")));
    }
    bounds.push(body.len());
    bounds.windows(2).map(|w| &body[w[0]..w[1]]).collect()
}

/// Runs `work` on every block on its own thread (one block: on this thread); the results
/// in block order.
pub(crate) fn per_block<'a, T: Send>(
    blocks: &[&'a str],
    work: &(dyn Fn(usize, &'a str) -> T + Sync),
) -> Vec<T> {
    if blocks.len() <= 1 {
        return blocks.iter().enumerate().map(|(i, b)| work(i, b)).collect();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = blocks
            .iter()
            .enumerate()
            .map(|(i, b)| s.spawn(move || work(i, b)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("valuation thread panicked"))
            .collect()
    })
}

/// Whether `text` is NDJSON: more than one non-blank line and not a JSON array.
pub fn is_ndjson(text: &str) -> bool {
    let t = text.trim();
    !t.starts_with('[') && t.lines().filter(|l| !l.trim().is_empty()).nth(1).is_some()
}

/// Values every line of an NDJSON text (one VERA `EenhedenEenheid` per line; blank lines
/// skipped) on `threads` threads and maps each with `f(line number (1-based), unit id,
/// result)`. The parse warnings of a unit come first in its result's warnings; in strict
/// mode the first parse warning is the unit's error (as [`crate::waardeer_many`]). A line
/// that is not JSON gives an error naming the line, for that line only: the other lines
/// are valued. Results are in line order, the same for any number of threads.
pub fn waardeer_punten_ndjson<T, F>(text: &str, opts: &Options, threads: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize, Option<&str>, Result<Punten, WwsError>) -> T + Sync,
{
    let parts = blocks(text, threads);
    // the line number each block starts at
    let mut first_line = Vec::with_capacity(parts.len());
    let mut line = 1;
    for p in &parts {
        first_line.push(line);
        line += p.bytes().filter(|b| *b == b'\n').count();
    }
    let work = |k: usize, part: &str| -> Vec<T> {
        let mut out = Vec::with_capacity(part.len() / 512 + 1);
        for (i, l) in part.lines().enumerate() {
            if l.trim().is_empty() {
                continue;
            }
            let n = first_line[k] + i;
            match Eenheid::from_json_str(l, false) {
                Ok((e, w)) => {
                    let r = if opts.strict
                        && let Some(first) = w.first()
                    {
                        Err(WwsError::Strict(first.clone()))
                    } else {
                        crate::waardeer_punten(&e, opts).map(|mut p| {
                            if !w.is_empty() {
                                let mut all = w;
                                all.append(&mut p.warnings);
                                p.warnings = all;
                            }
                            p
                        })
                    };
                    out.push(f(n, e.id.as_deref(), r));
                }
                Err(WwsError::Json(m)) => {
                    out.push(f(n, None, Err(WwsError::Json(format!("line {n}: {m}")))));
                }
                Err(e) => out.push(f(n, None, Err(e))),
            }
        }
        out
    };
    per_block(&parts, &work).into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_text_at_line_ends() {
        let text = "a\nbb\nccc\ndddd\n\ne";
        for threads in 1..8 {
            let b = blocks(text, threads);
            assert_eq!(b.concat(), text);
            assert!(b.len() <= threads);
            for p in &b[..b.len() - 1] {
                assert!(p.is_empty() || p.ends_with('\n'), "{p:?}");
            }
        }
    }

    #[test]
    fn ndjson_lines_in_order_with_line_numbers() {
        let text = "{\"id\": \"a\"}\n\nnot json\n{\"id\": \"b\"}\n";
        let opts = Options::default();
        for threads in [1, 2, 3, 5] {
            let r = waardeer_punten_ndjson(text, &opts, threads, |n, id, p| {
                (n, id.map(str::to_string), p.err().map(|e| e.to_string()))
            });
            assert_eq!(r.len(), 3, "{threads}");
            assert_eq!((r[0].0, r[0].1.as_deref()), (1, Some("a")));
            assert_eq!(r[1].0, 3);
            assert!(r[1].2.as_deref().unwrap().contains("line 3"), "{:?}", r[1]);
            assert_eq!((r[2].0, r[2].1.as_deref()), (4, Some("b")));
        }
        assert!(is_ndjson(text));
        assert!(!is_ndjson("[{}, {}]"));
        assert!(!is_ndjson("{\"id\": 1}\n"));
    }
}
