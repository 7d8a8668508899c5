//! GeoDa's weights files: GAL (neighbour lists) and GWT (weighted links), read and written.
//!
//! GAL: a header (`n`, or `0 n shapefile id_variable`), then per unit a line `id k` and a line
//! with its k neighbour ids. GWT: a header `0 n shapefile id_variable`, then one line
//! `id neighbour weight` per link. Ids are written as given; reading returns them in the
//! order of the file (GAL) or of first appearance (GWT).

use crate::{Weights, WeightsError};

/// A problem in a GAL or GWT file, with its line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: line {line}: {message}")]
pub struct FileError {
    /// The file's name as the caller gave it (for the message).
    pub file: String,
    /// 1-based line number of the problem.
    pub line: usize,
    /// What is wrong on that line, in one sentence.
    pub message: String,
}

fn err(file: &str, line: usize, message: impl Into<String>) -> FileError {
    FileError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

fn header(shape: &str, id_variable: &str, n: usize) -> String {
    let clean = |s: &str| {
        if s.trim().is_empty() {
            "unknown".to_string()
        } else {
            s.split_whitespace().collect::<Vec<_>>().join("_")
        }
    };
    format!("0 {n} {} {}\n", clean(shape), clean(id_variable))
}

fn check_id(id: &str) -> bool {
    !id.is_empty() && !id.chars().any(char::is_whitespace)
}

/// Writes GAL text (neighbours only; weights are not part of GAL).
pub fn write_gal(w: &Weights, shape: &str, id_variable: &str) -> String {
    let mut out = header(shape, id_variable, w.n());
    for i in 0..w.n() {
        let nb = w.neighbours(i);
        out.push_str(&format!("{} {}\n", w.ids[i], nb.len()));
        let line: Vec<&str> = nb.iter().map(|&j| w.ids[j as usize].as_str()).collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    out
}

/// Writes GWT text with the current (transformed) weights, full precision.
pub fn write_gwt(w: &Weights, shape: &str, id_variable: &str) -> String {
    let mut out = header(shape, id_variable, w.n());
    for i in 0..w.n() {
        for (&j, &x) in w.neighbours(i).iter().zip(w.weights(i)) {
            out.push_str(&format!("{} {} {x:?}\n", w.ids[i], w.ids[j as usize]));
        }
    }
    out
}

/// Whether any identifier contains whitespace (such ids cannot be written to GAL/GWT).
pub fn ids_writable(w: &Weights) -> Result<(), String> {
    match w.ids.iter().find(|id| !check_id(id)) {
        Some(id) => Err(format!(
            "identifier '{id}' is empty or contains whitespace; GAL/GWT need one-word ids"
        )),
        None => Ok(()),
    }
}

fn parse_header(file: &str, line: &str) -> Result<usize, FileError> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let n_text = match parts.as_slice() {
        [n] => n,
        [_, n, ..] => n,
        [] => {
            return Err(err(
                file,
                1,
                "empty header; expected `n` or `0 n shapefile id`",
            ));
        }
    };
    n_text.parse::<usize>().map_err(|_| {
        err(
            file,
            1,
            format!("header: '{n_text}' is not a unit count; expected `n` or `0 n shapefile id`"),
        )
    })
}

fn weights_error(file: &str, e: WeightsError) -> FileError {
    err(file, 0, e.to_string())
}

/// Reads GAL text.
pub fn read_gal(text: &str, file: &str) -> Result<Weights, FileError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let Some((_, head)) = lines.next() else {
        return Err(err(file, 1, "the file is empty"));
    };
    let n = parse_header(file, head)?;
    // the header's count is only a claim: never reserve more than the text can hold (two
    // lines per unit)
    let cap = n.min(text.len() / 4 + 1);
    let mut ids = Vec::with_capacity(cap);
    let mut raw: Vec<(usize, Vec<String>)> = Vec::with_capacity(cap);
    while let Some((ln, l)) = lines.next() {
        let parts: Vec<&str> = l.split_whitespace().collect();
        let [id, k] = parts.as_slice() else {
            return Err(err(
                file,
                ln,
                format!("expected `id number_of_neighbours`, found '{l}'"),
            ));
        };
        let k: usize = k.parse().map_err(|_| {
            err(
                file,
                ln,
                format!("'{k}' is not a number of neighbours for unit {id}"),
            )
        })?;
        let nb: Vec<String> = if k == 0 {
            // GeoDa writes an empty line for an island; tolerate its absence.
            Vec::new()
        } else {
            let Some((ln2, l2)) = lines.next() else {
                return Err(err(
                    file,
                    ln + 1,
                    format!("unit {id}: the line with its {k} neighbours is missing"),
                ));
            };
            let nb: Vec<String> = l2.split_whitespace().map(str::to_string).collect();
            if nb.len() != k {
                return Err(err(
                    file,
                    ln2,
                    format!("unit {id}: {k} neighbours announced, {} listed", nb.len()),
                ));
            }
            nb
        };
        ids.push(id.to_string());
        raw.push((ln, nb));
    }
    if ids.len() != n {
        return Err(err(
            file,
            1,
            format!("the header announces {n} units, the file has {}", ids.len()),
        ));
    }
    let index: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    if index.len() != ids.len() {
        let dup = ids
            .iter()
            .enumerate()
            .find(|(i, s)| index[s.as_str()] != *i)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        return Err(err(file, 0, format!("unit '{dup}' is listed twice")));
    }
    let mut neighbours = Vec::with_capacity(n);
    for (i, (ln, nb)) in raw.iter().enumerate() {
        let mut row = Vec::with_capacity(nb.len());
        for s in nb {
            match index.get(s.as_str()) {
                Some(&j) if j == i => {
                    return Err(err(file, ln + 1, format!("unit {s} lists itself")));
                }
                Some(&j) => row.push(j),
                None => {
                    return Err(err(
                        file,
                        ln + 1,
                        format!(
                            "unit {}: neighbour '{s}' is not a unit of this file",
                            ids[i]
                        ),
                    ));
                }
            }
        }
        neighbours.push(row);
    }
    Weights::new(ids, neighbours, None).map_err(|e| weights_error(file, e))
}

/// Reads GWT text. Units that appear only in the header count (n) cannot be named, so every
/// unit must appear in at least one link unless `ids` gives the full list in order.
pub fn read_gwt(text: &str, file: &str, ids: Option<&[String]>) -> Result<Weights, FileError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let Some((_, head)) = lines.next() else {
        return Err(err(file, 1, "the file is empty"));
    };
    let n = parse_header(file, head)?;
    let mut order: Vec<String> = ids.map(<[String]>::to_vec).unwrap_or_default();
    let mut index: std::collections::HashMap<String, usize> = order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), i))
        .collect();
    let mut links: Vec<(usize, usize, f64, usize)> = Vec::new();
    for (ln, l) in lines {
        let parts: Vec<&str> = l.split_whitespace().collect();
        let [a, b, x] = parts.as_slice() else {
            return Err(err(
                file,
                ln,
                format!("expected `id neighbour weight`, found '{l}'"),
            ));
        };
        let x: f64 = x.parse().map_err(|_| {
            err(
                file,
                ln,
                format!("weight '{x}' is not a number (use a decimal point)"),
            )
        })?;
        if !x.is_finite() {
            return Err(err(file, ln, format!("weight '{x}' is not finite")));
        }
        let mut at = |s: &str| -> Result<usize, FileError> {
            if let Some(&i) = index.get(s) {
                return Ok(i);
            }
            if ids.is_some() {
                return Err(err(
                    file,
                    ln,
                    format!("'{s}' is not one of the given units"),
                ));
            }
            order.push(s.to_string());
            index.insert(s.to_string(), order.len() - 1);
            Ok(order.len() - 1)
        };
        let (i, j) = (at(a)?, at(b)?);
        if i == j {
            return Err(err(file, ln, format!("unit {a} links to itself")));
        }
        links.push((i, j, x, ln));
    }
    if order.len() != n {
        return Err(err(
            file,
            1,
            format!(
                "the header announces {n} units, the links name {} (islands cannot be named in GWT; pass the unit list)",
                order.len()
            ),
        ));
    }
    let mut neighbours = vec![Vec::new(); n];
    let mut weights = vec![Vec::new(); n];
    let mut seen = std::collections::HashSet::new();
    for (i, j, x, ln) in links {
        if !seen.insert((i, j)) {
            return Err(err(
                file,
                ln,
                format!("link {} → {} appears twice", order[i], order[j]),
            ));
        }
        neighbours[i].push(j);
        weights[i].push(x);
    }
    Weights::new(order, neighbours, Some(weights)).map_err(|e| weights_error(file, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Transform;

    fn sample() -> Weights {
        Weights::new(
            vec!["WK1".into(), "WK2".into(), "WK3".into(), "WK4".into()],
            vec![vec![1], vec![0, 2], vec![1], vec![]],
            None,
        )
        .unwrap()
    }

    #[test]
    fn gal_round_trip_with_island() {
        let w = sample();
        let text = write_gal(&w, "wijken 2024", "wijkcode");
        assert!(text.starts_with("0 4 wijken_2024 wijkcode\nWK1 1\nWK2\n"));
        let back = read_gal(&text, "w.gal").unwrap();
        assert_eq!(back, w);
        // Header with only n, island line absent.
        let short = "3\nA 1\nB\nB 1\nA\nC 0\n";
        let r = read_gal(short, "s.gal").unwrap();
        assert_eq!(r.islands(), vec![2]);
    }

    #[test]
    fn gwt_round_trip_keeps_weights() {
        let w = sample().transformed(Transform::Row);
        let ids = w.ids.clone();
        let text = write_gwt(&w, "x", "id");
        let back = read_gwt(&text, "w.gwt", Some(&ids)).unwrap();
        assert_eq!(back.weights(1), &[0.5, 0.5]);
        let err = read_gwt(&text, "w.gwt", None).unwrap_err();
        assert!(err.message.contains("islands cannot be named"), "{err}");
    }

    #[test]
    fn bad_files_name_the_line() {
        let e = read_gal("2\nA 1\nB C\nB 1\nA\n", "bad.gal").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (3, "bad.gal"));
        assert!(
            e.message.contains("1 neighbours announced, 2 listed"),
            "{e}"
        );
        let e = read_gal("2\nA 1\nZ\nB 0\n", "bad.gal").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("'Z' is not a unit"), "{e}");
        let e = read_gal("x y z\n", "bad.gal").unwrap_err();
        assert!(e.message.contains("not a unit count"), "{e}");
        let e = read_gwt("0 2 s id\nA B 1,5\n", "bad.gwt", None).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("decimal point"), "{e}");
        let e = read_gal("3\nA 1\nB\nB 1\nA\n", "bad.gal").unwrap_err();
        assert!(
            e.message.contains("announces 3 units, the file has 2"),
            "{e}"
        );
    }
}
