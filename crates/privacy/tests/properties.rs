//! Properties of the suppression on 20,000 seeded random tables (1–9 × 1–9 counts, many
//! of them small): no shown count below k, shown counts unchanged, no line with exactly one
//! withheld member, no withheld count recoverable by walking the lines, deterministic.

use veerkracht_privacy::{Cell, Options, Reason, Table, leaks, suppress};

fn tables(seed: u64, count: usize) -> Vec<(Table, Options)> {
    let mut s = seed | 1;
    let mut next = move |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    (0..count)
        .map(|_| {
            let n = 1 + next(9) as usize;
            let m = 1 + next(9) as usize;
            let cells = (0..n)
                .map(|_| {
                    (0..m)
                        .map(|_| match next(4) {
                            0 => 0,
                            1 => 1 + next(12),
                            2 => next(40),
                            _ => next(500),
                        })
                        .collect()
                })
                .collect();
            let opts = Options {
                k: [3, 5, 10, 10, 20][next(5) as usize],
                suppress_zero: next(5) == 0,
            };
            (
                Table {
                    rows: (0..n).map(|i| format!("r{i}")).collect(),
                    columns: (0..m).map(|j| format!("c{j}")).collect(),
                    cells,
                },
                opts,
            )
        })
        .collect()
}

#[test]
fn no_small_count_is_shown_and_nothing_can_be_recovered() {
    let mut withheld = (0, 0);
    for (t, o) in tables(42, 20_000) {
        let p = suppress(&t, &o);
        let small = |x: u64| (x > 0 && x < o.k) || (x == 0 && o.suppress_zero);
        // shown counts are the true ones and never small
        for (i, row) in p.cells.iter().enumerate() {
            for (j, c) in row.iter().enumerate() {
                if let Cell::Shown(x) = c {
                    assert_eq!(*x, t.cells[i][j]);
                    assert!(!small(*x), "{t:?}");
                } else {
                    // a small count is withheld as such
                    assert_eq!(
                        *c == Cell::Withheld(Reason::Small),
                        small(t.cells[i][j]),
                        "{t:?}"
                    );
                }
            }
        }
        for (i, c) in p.row_totals.iter().enumerate() {
            if let Cell::Shown(x) = c {
                assert_eq!(*x, t.cells[i].iter().sum::<u64>());
                assert!(!small(*x));
            }
        }
        for (j, c) in p.column_totals.iter().enumerate() {
            if let Cell::Shown(x) = c {
                assert_eq!(*x, t.cells.iter().map(|r| r[j]).sum::<u64>());
                assert!(!small(*x));
            }
        }
        if let Cell::Shown(x) = p.total {
            assert!(!small(x));
        }
        // every line: not exactly one withheld member
        let n = t.rows.len();
        let m = t.columns.len();
        for i in 0..n {
            let w = p.cells[i].iter().filter(|c| c.is_withheld()).count()
                + usize::from(p.row_totals[i].is_withheld());
            assert_ne!(w, 1, "row {i} of {t:?}");
        }
        for j in 0..m {
            let w = (0..n).filter(|&i| p.cells[i][j].is_withheld()).count()
                + usize::from(p.column_totals[j].is_withheld());
            assert_ne!(w, 1, "column {j} of {t:?}");
        }
        assert!(!leaks(&t, &p), "{t:?}");
        // the same table gives the same result
        assert_eq!(suppress(&t, &o), p);
        let (a, b) = p.counts();
        withheld.0 += a;
        withheld.1 += b;
    }
    // both kinds of suppression happen often (the properties are not vacuous)
    assert!(withheld.0 > 10_000 && withheld.1 > 10_000, "{withheld:?}");
}

#[test]
fn a_hand_made_case() {
    // 3 buurten × 2 segments; k = 10
    let t = Table {
        rows: vec!["BU1".into(), "BU2".into(), "BU3".into()],
        columns: vec!["sociaal".into(), "midden".into()],
        cells: vec![vec![120, 4], vec![80, 30], vec![55, 25]],
    };
    let p = suppress(&t, &Options::default());
    // 4 is small; its row total (124) would give it away: the smallest other member of
    // the row (120) is withheld too; then the sociaal column has one withheld member: its
    // smallest shown count (55) goes; then BU3 has one: 25 goes; the midden column now has
    // 4 and 25 withheld: done.
    assert_eq!(p.cells[0][1], Cell::Withheld(Reason::Small));
    assert_eq!(p.cells[0][0], Cell::Withheld(Reason::Secondary));
    assert_eq!(p.cells[2][0], Cell::Withheld(Reason::Secondary));
    assert_eq!(p.cells[2][1], Cell::Withheld(Reason::Secondary));
    assert_eq!(p.cells[1], vec![Cell::Shown(80), Cell::Shown(30)]);
    assert_eq!(
        p.row_totals,
        vec![Cell::Shown(124), Cell::Shown(110), Cell::Shown(80)]
    );
    assert!(!leaks(&t, &p));
    // without the secondary suppression the 4 would leak
    let mut naive = p.clone();
    naive.cells[0][0] = Cell::Shown(120);
    assert!(leaks(&t, &naive));
}
