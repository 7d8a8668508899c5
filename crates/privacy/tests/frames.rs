//! Linked tables ([`Frame`]): properties on seeded random frames (several partitions of
//! the same row totals, nested sub-totals, unpublished joint counts, pins), checked by a
//! walker written here, independent of the crate's; and hand-made cases where suppressing
//! each table on its own leaks and the frame does not.

use veerkracht_privacy::{Cell, Frame, Options, Pin, PublishedFrame, Reason, Table, suppress};

struct Rng(u64);

impl Rng {
    fn next(&mut self, m: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % m
    }
    fn count(&mut self) -> u64 {
        match self.next(5) {
            0 => 0,
            1 => 1 + self.next(12),
            2 => self.next(40),
            _ => self.next(300),
        }
    }
}

/// Splits `total` into `parts` counts (many small ones).
fn split(r: &mut Rng, total: u64, parts: usize) -> Vec<u64> {
    let mut out = vec![0; parts];
    let mut left = total;
    for p in out.iter_mut().take(parts - 1) {
        let x = match r.next(3) {
            0 => left.min(r.next(12)),
            _ => r.next(left + 1),
        };
        *p = x;
        left -= x;
    }
    out[parts - 1] = left;
    out
}

/// A random frame: per row a joint table a × b (unpublished), its margins as two published
/// partitions of the row total, a third partition with an unpublished remainder and a
/// published sub-total of two of its parts.
fn frame(r: &mut Rng) -> Frame {
    let n = 1 + r.next(7) as usize;
    let a = 1 + r.next(4) as usize;
    let b = 1 + r.next(4) as usize;
    let joint: Vec<Vec<Vec<u64>>> = (0..n)
        .map(|_| {
            (0..a)
                .map(|_| {
                    (0..b)
                        .map(|_| if r.next(3) == 0 { 0 } else { r.count() })
                        .collect()
                })
                .collect()
        })
        .collect();
    let totals: Vec<u64> = joint.iter().map(|j| j.iter().flatten().sum()).collect();
    let mut f = Frame::new((0..n).map(|i| format!("BU{i}")).collect());
    let t = f.add("woningen", true, totals.clone());
    let mut jc = vec![vec![0; b]; a];
    for (i, row) in jc.iter_mut().enumerate() {
        for (j, c) in row.iter_mut().enumerate() {
            *c = f.add(
                format!("j{i}{j}"),
                false,
                joint.iter().map(|x| x[i][j]).collect(),
            );
        }
    }
    let ac: Vec<usize> = (0..a)
        .map(|i| {
            f.add(
                format!("a{i}"),
                true,
                joint.iter().map(|x| x[i].iter().sum()).collect(),
            )
        })
        .collect();
    let bc: Vec<usize> = (0..b)
        .map(|j| {
            f.add(
                format!("b{j}"),
                true,
                joint.iter().map(|x| x.iter().map(|y| y[j]).sum()).collect(),
            )
        })
        .collect();
    for (i, &c) in ac.iter().enumerate() {
        f.identity(&jc[i], c).unwrap();
    }
    for (j, &c) in bc.iter().enumerate() {
        f.identity(&(0..a).map(|i| jc[i][j]).collect::<Vec<_>>(), c)
            .unwrap();
    }
    f.identity(&ac, t).unwrap();
    f.identity(&bc, t).unwrap();
    // a third partition: 3 published parts and an unpublished remainder; parts 0 + 1 have a
    // published sub-total
    let parts: Vec<Vec<u64>> = totals.iter().map(|&x| split(r, x, 4)).collect();
    let pc: Vec<usize> = (0..4)
        .map(|k| f.add(format!("c{k}"), k < 3, parts.iter().map(|p| p[k]).collect()))
        .collect();
    f.identity(&pc, t).unwrap();
    let sub = f.add("c01", true, parts.iter().map(|p| p[0] + p[1]).collect());
    f.identity(&pc[..2], sub).unwrap();
    f
}

/// Every line of a frame, built here from its identities and columns: (members, total),
/// each a (row, column); row `n` is the total row.
fn lines(f: &Frame) -> Vec<Line> {
    let n = f.rows().len();
    let mut out = Vec::new();
    for r in 0..=n {
        for id in f.identities() {
            out.push((id.members.iter().map(|&c| (r, c)).collect(), (r, id.total)));
        }
    }
    for c in 0..f.columns().len() {
        out.push(((0..n).map(|r| (r, c)).collect(), (n, c)));
    }
    out
}

/// A reader's walk (a plain fixed point, not the crate's work list): what they can solve,
/// and the problems: a withheld count solved, an unpublished count in 1..k solved, a known
/// total leaving 1..k for its unknown members.
fn walk(f: &Frame, p: &PublishedFrame) -> Vec<String> {
    walk_shown(f, &|r, c| matches!(p.cell(r, c), Cell::Shown(_)), p.options)
}

fn walk_shown(f: &Frame, shown: &dyn Fn(usize, usize) -> bool, o: Options) -> Vec<String> {
    let n = f.rows().len();
    let small = |x: u64| (x > 0 && x < o.k) || (x == 0 && o.suppress_zero);
    let cols = f.columns().len();
    let all = lines(f);
    // what the rules alone give (unpublished zeros), then what the publication adds
    let hidden_zero = |r: usize, c: usize| !f.columns()[c].published && f.value(r, c) == 0;
    let apriori = fixed_point(
        &all,
        (0..=n)
            .map(|r| (0..cols).map(|c| hidden_zero(r, c)).collect())
            .collect(),
    );
    let start: Vec<Vec<bool>> = (0..=n)
        .map(|r| {
            (0..cols)
                .map(|c| {
                    apriori[r][c] || hidden_zero(r, c) || (f.columns()[c].published && shown(r, c))
                })
                .collect()
        })
        .collect();
    let known = fixed_point(&all, start.clone());
    let mut problems = Vec::new();
    for r in 0..=n {
        for c in 0..cols {
            if known[r][c] && !start[r][c] {
                let bad = f.columns()[c].published || small(f.value(r, c));
                if bad {
                    problems.push(format!("solved {} of row {r}", f.columns()[c].name));
                }
            }
        }
    }
    for (m, t) in &all {
        let by_rules = apriori[t.0][t.1] && m.iter().all(|&(r, c)| !known[r][c] || apriori[r][c]);
        if known[t.0][t.1] && m.iter().any(|&(r, c)| !known[r][c]) && !by_rules {
            let s: u64 = m
                .iter()
                .filter(|&&(r, c)| !known[r][c])
                .map(|&(r, c)| f.value(r, c))
                .sum();
            if small(s) {
                problems.push(format!("a group of {s} by subtraction from {t:?}"));
            }
        }
    }
    problems
}

type Line = (Vec<(usize, usize)>, (usize, usize));

fn fixed_point(all: &[Line], mut known: Vec<Vec<bool>>) -> Vec<Vec<bool>> {
    loop {
        let mut changed = false;
        for (m, t) in all {
            let unknown: Vec<(usize, usize)> = m
                .iter()
                .chain([t])
                .copied()
                .filter(|&(r, c)| !known[r][c])
                .collect();
            if let [(r, c)] = unknown[..] {
                known[r][c] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    known
}

fn check(f: &Frame, p: &PublishedFrame) -> (usize, usize) {
    let o = p.options;
    let small = |x: u64| (x > 0 && x < o.k) || (x == 0 && o.suppress_zero);
    let n = f.rows().len();
    for c in 0..f.columns().len() {
        if !f.columns()[c].published {
            continue;
        }
        for r in 0..=n {
            match p.cell(r, c) {
                Cell::Shown(x) => {
                    assert_eq!(x, f.value(r, c), "shown counts are the true ones");
                    assert!(!small(x), "no small count is shown: {f:?}");
                }
                Cell::Withheld(Reason::Small) => assert!(small(f.value(r, c))),
                Cell::Withheld(Reason::Secondary) => {}
                Cell::Withheld(Reason::Base) => {
                    panic!("the suppression never gives a count the reason Base")
                }
            }
        }
    }
    let w = walk(f, p);
    assert!(w.is_empty(), "{w:?} in {f:?}");
    assert!(f.audit(p).is_empty(), "{:?}", f.audit(p));
    p.counts()
}

#[test]
fn linked_frames_leak_nothing_to_a_walking_reader() {
    let mut r = Rng(2024);
    let mut withheld = (0, 0);
    for i in 0..3000 {
        let f = frame(&mut r);
        let o = Options {
            k: [3, 5, 10, 10, 20][i % 5],
            suppress_zero: i % 7 == 0,
        };
        let p = f.suppress(&o);
        let (a, b) = check(&f, &p);
        withheld.0 += a;
        withheld.1 += b;
        assert_eq!(f.suppress(&o), p, "deterministic");
    }
    assert!(
        withheld.0 > 5_000 && withheld.1 > 5_000,
        "both kinds happen: {withheld:?}"
    );
}

#[test]
fn a_frame_extending_another_keeps_its_pins() {
    let mut r = Rng(77);
    for i in 0..1500 {
        let f = frame(&mut r);
        let o = Options {
            k: [5, 10, 20][i % 3],
            suppress_zero: false,
        };
        // the first publication: the frame without its last partition's columns
        let base = f.clone();
        let p0 = base.suppress(&o);
        // the second adds a partition of the first published partition's column a0:
        // a0 = x + y (x published, y not)
        let mut g = f.clone();
        let a0 = g.column("a0").unwrap();
        let n = g.rows().len();
        let xs: Vec<u64> = (0..n)
            .map(|k| split(&mut r, g.value(k, a0), 2)[0])
            .collect();
        let ys: Vec<u64> = (0..n).map(|k| g.value(k, a0) - xs[k]).collect();
        let x = g.add("x", true, xs);
        let y = g.add("y", false, ys);
        g.identity(&[x, y], a0).unwrap();
        let p1 = g.suppress_with(&o, &p0.all_pins());
        check(&g, &p1);
        for c in 0..f.columns().len() {
            if !f.columns()[c].published {
                continue;
            }
            for k in 0..=n {
                assert_eq!(
                    p1.cell(k, c),
                    p0.cell(k, c),
                    "pinned {} row {k}",
                    f.columns()[c].name
                );
            }
        }
    }
}

#[test]
fn points_bands_and_segments_of_one_buurt_are_suppressed_together() {
    // A buurt of 145 dwellings: bands <100, 100–143, 144–186, ≥187 = 8, 113, 24, 0 and
    // segments sociaal, midden, vrij = 121, 24, 0. The rules tie them: <100 and 100–143
    // are social, 144–186 is midden. Suppressed one table at a time, the 8 comes back as
    // sociaal − (100–143) = 121 − 113.
    let bands = Table {
        rows: vec!["BU1".into()],
        columns: vec![
            "<100".into(),
            "100-143".into(),
            "144-186".into(),
            ">=187".into(),
        ],
        cells: vec![vec![8, 113, 24, 0]],
    };
    let alone = suppress(&bands, &Options::default());
    assert_eq!(alone.cells[0][0], Cell::Withheld(Reason::Small));
    assert_eq!(alone.cells[0][1], Cell::Shown(113));
    // the segments table shows 121 (nothing in it is small), so 121 − 113 = 8 leaks

    let mut f = Frame::new(vec!["BU1".into()]);
    let t = f.add("woningen", true, vec![145]);
    // joint band × segment, unpublished; the zeros are what the rules say
    let joint = [[8, 0, 0], [113, 0, 0], [0, 24, 0], [0, 0, 0]];
    let mut j = [[0; 3]; 4];
    for (b, row) in joint.iter().enumerate() {
        for (s, &v) in row.iter().enumerate() {
            j[b][s] = f.add(format!("j{b}{s}"), false, vec![v]);
        }
    }
    let band: Vec<usize> = (0..4)
        .map(|b| f.add(format!("band{b}"), true, vec![joint[b].iter().sum()]))
        .collect();
    let seg: Vec<usize> = (0..3)
        .map(|s| {
            f.add(
                format!("seg{s}"),
                true,
                vec![joint.iter().map(|r| r[s]).sum()],
            )
        })
        .collect();
    for b in 0..4 {
        f.identity(&j[b], band[b]).unwrap();
    }
    for s in 0..3 {
        f.identity(&(0..4).map(|b| j[b][s]).collect::<Vec<_>>(), seg[s])
            .unwrap();
    }
    f.identity(&band, t).unwrap();
    f.identity(&seg, t).unwrap();
    let p = f.suppress(&Options::default());
    assert_eq!(p.cell(0, band[0]), Cell::Withheld(Reason::Small));
    // sociaal cannot be shown beside 100–143 any more
    assert!(
        p.cell(0, seg[0]).is_withheld() || p.cell(0, band[1]).is_withheld(),
        "{p:?}"
    );
    assert!(walk(&f, &p).is_empty(), "{:?}", walk(&f, &p));
    // and the walker finds the leak in the one-table-at-a-time pattern (bands: 8 and 24
    // withheld; segments: all shown)
    let naive = |_r: usize, c: usize| c != band[0] && c != band[2];
    let w = walk_shown(&f, &naive, Options::default());
    assert!(w.iter().any(|x| x.contains("band0")), "{w:?}");
}

#[test]
fn a_total_shown_in_one_table_does_not_reveal_a_cell_withheld_in_another() {
    // Two buurten, two tables over the same dwellings: segments and "rent known".
    // BU1: segments 40 + 3 = 43; rent known 43 + 0. If the segments table withholds BU1's
    // total (to protect the 3) while the rent table shows 43 + 0 = 43, the 3 comes back.
    let mut f = Frame::new(vec!["BU1".into(), "BU2".into()]);
    let t = f.add("woningen", true, vec![43, 200]);
    let s0 = f.add("sociaal", true, vec![40, 150]);
    let s1 = f.add("midden", true, vec![3, 50]);
    let h0 = f.add("met_huur", true, vec![43, 180]);
    let h1 = f.add("zonder_huur", true, vec![0, 20]);
    f.identity(&[s0, s1], t).unwrap();
    f.identity(&[h0, h1], t).unwrap();
    let p = f.suppress(&Options::default());
    assert_eq!(p.cell(0, s1), Cell::Withheld(Reason::Small));
    assert!(p.cell(0, s0).is_withheld() || p.cell(0, t).is_withheld());
    if p.cell(0, t).is_withheld() {
        // the shared margin is withheld everywhere: the rent table cannot show both parts
        assert!(p.cell(0, h0).is_withheld() || p.cell(0, h1).is_withheld());
    }
    assert!(walk(&f, &p).is_empty(), "{:?}", walk(&f, &p));
    assert!(f.audit(&p).is_empty());
}

#[test]
fn withheld_members_of_a_line_add_up_to_at_least_k() {
    // 3 + 4 would be a group of 7 behind the total 107
    let mut f = Frame::new(vec!["BU1".into()]);
    let t = f.add("woningen", true, vec![107]);
    let a = f.add("A", true, vec![3]);
    let b = f.add("B", true, vec![4]);
    let c = f.add("C", true, vec![100]);
    f.identity(&[a, b, c], t).unwrap();
    let p = f.suppress(&Options::default());
    assert!(p.cell(0, a).is_withheld() && p.cell(0, b).is_withheld());
    assert!(
        p.cell(0, c).is_withheld() || p.cell(0, t).is_withheld(),
        "{p:?}"
    );
    assert!(walk(&f, &p).is_empty());
}

#[test]
fn an_identity_that_does_not_hold_is_refused_and_pins_of_shown_counts_stay() {
    let mut f = Frame::new(vec!["BU1".into(), "BU2".into()]);
    let t = f.add("woningen", true, vec![50, 60]);
    let a = f.add("A", true, vec![20, 30]);
    let b = f.add("B", true, vec![29, 30]);
    let e = f.identity(&[a, b], t).unwrap_err();
    assert!(e.contains("BU1") && e.contains("49"), "{e}");
    let mut f = Frame::new(vec!["BU1".into(), "BU2".into()]);
    let t = f.add("woningen", true, vec![50, 60]);
    let a = f.add("A", true, vec![45, 30]);
    let b = f.add("B", true, vec![5, 30]);
    f.identity(&[a, b], t).unwrap();
    // woningen of BU1 is already public elsewhere: A must go, not the total
    let mut pin = vec![None; 3];
    pin[0] = Some(Pin::Shown);
    let p = f.suppress_with(&Options::default(), &[(t, pin)]);
    assert_eq!(p.cell(0, t), Cell::Shown(50));
    assert!(p.cell(0, a).is_withheld() && p.cell(0, b).is_withheld());
    assert!(walk(&f, &p).is_empty());
}
