//! The linked-table audit (`audit::intervals`: linear programs over everything published)
//! on random linked frames: two partitions of one margin per row (say bands and segments),
//! tied by their unpublished joint counts, every column with its total. After
//! `Frame::suppress_audited` the audit passes: every withheld count (and every unpublished
//! count from 1 to k − 1) has an interval with two whole numbers, reaching 0 or k when it
//! is small; shown counts are true and never small; the result is deterministic.

use proptest::prelude::*;
use veerkracht_privacy::{Cell, Frame, Options, audit};

/// rows × (a × b) joint counts, many of them small
fn joints() -> impl Strategy<Value = (Vec<Vec<Vec<u64>>>, u64)> {
    (1usize..5, 1usize..4, 1usize..4).prop_flat_map(|(n, a, b)| {
        (
            prop::collection::vec(
                prop::collection::vec(
                    prop::collection::vec(prop_oneof![Just(0u64), 1u64..12, 0u64..60], b),
                    a,
                ),
                n,
            ),
            prop_oneof![Just(3u64), Just(5), Just(10)],
        )
    })
}

fn frame(j: &[Vec<Vec<u64>>]) -> Frame {
    let (a, b) = (j[0].len(), j[0][0].len());
    let mut f = Frame::new((0..j.len()).map(|i| format!("r{i}")).collect());
    let mut jc = vec![vec![0; b]; a];
    for (x, row) in jc.iter_mut().enumerate() {
        for (y, c) in row.iter_mut().enumerate() {
            *c = f.add(
                format!("j{x}{y}"),
                false,
                j.iter().map(|r| r[x][y]).collect(),
            );
        }
    }
    let ac: Vec<usize> = (0..a)
        .map(|x| {
            f.add(
                format!("a{x}"),
                true,
                j.iter().map(|r| r[x].iter().sum()).collect(),
            )
        })
        .collect();
    let bc: Vec<usize> = (0..b)
        .map(|y| {
            f.add(
                format!("b{y}"),
                true,
                j.iter().map(|r| r.iter().map(|v| v[y]).sum()).collect(),
            )
        })
        .collect();
    let t = f.add(
        "t",
        true,
        j.iter().map(|r| r.iter().flatten().sum()).collect(),
    );
    for x in 0..a {
        f.identity(&jc[x], ac[x]).unwrap();
    }
    for y in 0..b {
        f.identity(&(0..a).map(|x| jc[x][y]).collect::<Vec<_>>(), bc[y])
            .unwrap();
    }
    f.identity(&ac, t).unwrap();
    f.identity(&bc, t).unwrap();
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn after_the_audited_suppression_the_linked_table_audit_passes((j, k) in joints()) {
        let f = frame(&j);
        let o = Options::with_k(k).unwrap();
        let p = f.suppress_audited(&o);
        let fails = audit::failures(&f, &p);
        prop_assert!(fails.is_empty(), "{fails:?}");
        // and the line walk still finds nothing
        prop_assert!(f.audit(&p).is_empty(), "{:?}", f.audit(&p));
        for (c, col) in f.columns().iter().enumerate() {
            if !col.published {
                continue;
            }
            for r in 0..=f.rows().len() {
                if let Cell::Shown(x) = p.cell(r, c) {
                    prop_assert_eq!(x, f.value(r, c));
                    prop_assert!(x == 0 || x >= k);
                }
            }
        }
        prop_assert_eq!(&p, &f.suppress_audited(&o), "deterministic");
    }
}
