//! Which gemeente a user means: a code (`GM0307`, `0307`) or a name as CBS writes it
//! (`Amersfoort`, `'s-Gravenhage`), case and apostrophe style ignored; otherwise an error that
//! lists the closest names.

use std::collections::BTreeMap;

/// A gemeente as the code list names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gemeente {
    /// `GM` and four digits.
    pub code: String,
    /// The name as CBS writes it.
    pub name: String,
}

fn normalise(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The gemeenten of a KWB code list (`Key` → `Title`, keys padded): the `GM` entries.
pub fn from_codes(codes: &BTreeMap<String, String>) -> Vec<Gemeente> {
    codes
        .iter()
        .filter(|(k, _)| k.trim().starts_with("GM"))
        .map(|(k, t)| Gemeente {
            code: k.trim().to_string(),
            name: t.trim().to_string(),
        })
        .collect()
}

/// Resolves what the user typed against `known`. The error names the input and up to five
/// close names.
pub fn resolve(input: &str, known: &[Gemeente]) -> Result<Gemeente, String> {
    let t = input.trim();
    let code = if t.len() == 6 && t[..2].eq_ignore_ascii_case("GM") {
        Some(format!("GM{}", &t[2..]))
    } else if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("GM{t}"))
    } else {
        None
    };
    if let Some(c) = code {
        return known
            .iter()
            .find(|g| g.code == c)
            .cloned()
            .ok_or_else(|| format!("gemeentecode {c} komt niet voor in de gemeentelijst van CBS"));
    }
    let n = normalise(t);
    if let Some(g) = known.iter().find(|g| normalise(&g.name) == n) {
        return Ok(g.clone());
    }
    let mut close: Vec<(usize, &Gemeente)> = known
        .iter()
        .map(|g| {
            let gn = normalise(&g.name);
            let d = if gn.contains(&n) || n.contains(&gn) {
                0
            } else {
                distance(&n, &gn)
            };
            (d, g)
        })
        .filter(|(d, _)| *d <= 3.max(n.chars().count() / 3))
        .collect();
    close.sort();
    let names: Vec<String> = close
        .iter()
        .take(5)
        .map(|(_, g)| format!("{} ({})", g.name, g.code))
        .collect();
    Err(if names.is_empty() {
        format!(
            "gemeente '{t}' is onbekend bij CBS; geef de naam zoals CBS die schrijft of de code (GM0344)"
        )
    } else {
        format!(
            "gemeente '{t}' is onbekend bij CBS; bedoelt u: {}?",
            names.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<Gemeente> {
        [
            ("GM0307", "Amersfoort"),
            ("GM0344", "Utrecht"),
            ("GM0518", "'s-Gravenhage"),
            ("GM0363", "Amsterdam"),
            ("GM0034", "Almere"),
        ]
        .iter()
        .map(|(c, n)| Gemeente {
            code: c.to_string(),
            name: n.to_string(),
        })
        .collect()
    }

    #[test]
    fn names_and_codes_are_found_as_users_type_them() {
        let k = known();
        assert_eq!(resolve("Utrecht", &k).unwrap().code, "GM0344");
        assert_eq!(resolve("  utrecht ", &k).unwrap().code, "GM0344");
        assert_eq!(resolve("\u{2019}s-Gravenhage", &k).unwrap().code, "GM0518");
        assert_eq!(resolve("gm0307", &k).unwrap().name, "Amersfoort");
        assert_eq!(resolve("0363", &k).unwrap().name, "Amsterdam");
    }

    #[test]
    fn an_unknown_name_lists_close_matches() {
        let k = known();
        let e = resolve("Amersfort", &k).unwrap_err();
        assert!(e.contains("Amersfoort (GM0307)"), "{e}");
        let e = resolve("Den Haag", &k).unwrap_err();
        assert!(e.contains("onbekend"), "{e}");
        let e = resolve("GM9999", &k).unwrap_err();
        assert!(e.contains("GM9999"), "{e}");
    }
}
