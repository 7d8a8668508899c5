//! WKB and GeoPackage geometry decoding must never panic on bad bytes.

use veerkracht_geo::gpkg::{decode_geometry, encode_geometry};
use veerkracht_geo::wkb::{decode_multipolygon, decode_polygon, encode_multipolygon};
use veerkracht_geo::{Coord, LineString, MultiPolygon, Polygon};

fn sample() -> MultiPolygon<f64> {
    let ring = |x0: f64, y0: f64, s: f64| {
        LineString(
            [(0.0, 0.0), (s, 0.0), (s, s), (0.0, s), (0.0, 0.0)]
                .iter()
                .map(|&(dx, dy)| Coord {
                    x: x0 + dx,
                    y: y0 + dy,
                })
                .collect(),
        )
    };
    MultiPolygon(vec![
        Polygon::new(ring(0.0, 0.0, 10.0), vec![ring(1.0, 1.0, 2.0)]),
        Polygon::new(ring(20.0, 0.0, 5.0), vec![]),
    ])
}

/// Small deterministic xorshift generator (no extra dependency needed).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn decode_all(bytes: &[u8]) {
    // Only the absence of panics matters; results are discarded.
    let _ = decode_multipolygon(bytes);
    let _ = decode_polygon(bytes);
    let _ = decode_geometry(bytes);
}

#[test]
fn every_prefix_is_an_error_not_a_panic() {
    let wkb = encode_multipolygon(&sample());
    let gpkg = encode_geometry(&sample(), 28992);
    assert!(decode_multipolygon(&wkb).is_ok());
    assert!(decode_geometry(&gpkg).is_ok_and(|g| g.is_some()));
    for blob in [&wkb, &gpkg] {
        for len in 0..blob.len() {
            let prefix = &blob[..len];
            decode_all(prefix);
            assert!(
                decode_multipolygon(prefix).is_err(),
                "WKB prefix of {len} bytes accepted"
            );
            assert!(
                decode_geometry(prefix).is_err(),
                "GeoPackage prefix of {len} bytes accepted"
            );
        }
    }
}

#[test]
fn random_and_mutated_bytes_do_not_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = usize::try_from(rng.next() % 200).unwrap_or(0);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next().to_le_bytes()[0]).collect();
        decode_all(&bytes);
        // Plausible headers with random bodies reach deeper code paths.
        let mut wkb = vec![1, 6, 0, 0, 0];
        wkb.extend_from_slice(&bytes);
        decode_all(&wkb);
        let mut gp = b"GP\x00\x01\x40\x71\x00\x00".to_vec();
        gp.extend_from_slice(&wkb);
        decode_all(&gp);
    }
    // Single-byte mutations of a valid blob.
    let valid = encode_geometry(&sample(), 28992);
    for i in 0..valid.len() {
        for value in [0u8, 1, 2, 3, 6, 0x7F, 0x80, 0xFF] {
            let mut bytes = valid.clone();
            bytes[i] = value;
            decode_all(&bytes);
        }
    }
}
