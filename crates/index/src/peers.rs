//! Peer groups ("vergelijkbare buurten"): the k nearest areas on standardised
//! context — by default urbanity (`ste_mvs`, `ste_oad`), size (log inhabitants) and
//! stock mix (`p_koopw`, `p_wcorpw`, `p_mgezw`), set in the definition's `peer_context` — so a buurt is compared with buurten
//! like it, not with the whole country. Each variable is z-scored over the
//! level and edition; the distance is Euclidean over the variables both areas
//! have (scaled to the full set); areas with fewer than half the variables get
//! no peers.

use veerkracht_dataset::{AreaCode, Dataset, Edition, Level};

/// A peer with its distance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Peer {
    /// Code.
    pub code: AreaCode,
    /// Distance in standard deviations.
    pub distance: f64,
}

/// The k nearest peers of every area (code order), empty for areas with too little context.
/// The context variables are the definition's `peer_context` (logarithm for `peer_context_log`).
pub fn peer_groups(
    def: &crate::Definition,
    ds: &Dataset,
    edition: Edition,
    level: Level,
    k: usize,
) -> Vec<(AreaCode, Vec<Peer>)> {
    let context: Vec<(&str, bool)> = def
        .method
        .peer_context
        .iter()
        .map(|id| (id.as_str(), def.method.peer_context_log.contains(id)))
        .collect();
    let areas = ds.areas(edition, level);
    let raw: Vec<Vec<Option<f64>>> = areas
        .iter()
        .map(|a| {
            context
                .iter()
                .map(|&(id, log)| {
                    ds.number(edition, &a.code, id).and_then(|v| {
                        if log {
                            (v > 0.0).then(|| v.ln())
                        } else {
                            Some(v)
                        }
                    })
                })
                .collect()
        })
        .collect();
    let nv = context.len();
    let stats: Vec<(f64, f64)> = (0..nv)
        .map(|j| {
            let v: Vec<f64> = raw.iter().filter_map(|r| r[j]).collect();
            crate::method::mean_sd(&v)
        })
        .collect();
    let z: Vec<Vec<Option<f64>>> = raw
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(j, x)| {
                    x.and_then(|x| (stats[j].1 > 0.0).then(|| (x - stats[j].0) / stats[j].1))
                })
                .collect()
        })
        .collect();
    let enough = |r: &[Option<f64>]| r.iter().filter(|x| x.is_some()).count() * 2 >= nv;
    areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if !enough(&z[i]) {
                return (a.code, Vec::new());
            }
            let mut d: Vec<Peer> = (0..areas.len())
                .filter(|&j| j != i && enough(&z[j]))
                .filter_map(|j| {
                    let (mut s, mut n) = (0.0, 0);
                    for (a, b) in z[i].iter().zip(&z[j]).take(nv) {
                        if let (Some(x), Some(y)) = (*a, *b) {
                            s += (x - y).powi(2);
                            n += 1;
                        }
                    }
                    (n * 2 >= nv).then(|| Peer {
                        code: areas[j].code,
                        distance: (s * nv as f64 / n as f64).sqrt(),
                    })
                })
                .collect();
            d.sort_by(|x, y| x.distance.total_cmp(&y.distance).then(x.code.cmp(&y.code)));
            d.truncate(k);
            (a.code, d)
        })
        .collect()
}
