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

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
    /// Random bytes, alone and behind plausible WKB and GeoPackage headers (which reach
    /// deeper code paths), never panic the decoders; a failure shrinks to a short blob.
    #[test]
    fn random_bytes_do_not_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
        decode_all(&bytes);
        let mut wkb = vec![1, 6, 0, 0, 0];
        wkb.extend_from_slice(&bytes);
        decode_all(&wkb);
        let mut gp = b"GP\x00\x01\x40\x71\x00\x00".to_vec();
        gp.extend_from_slice(&wkb);
        decode_all(&gp);
    }
}

#[test]
fn mutated_bytes_do_not_panic() {
    // Single-byte mutations of a valid blob, every position and telling values.
    let valid = encode_geometry(&sample(), 28992);
    for i in 0..valid.len() {
        for value in [0u8, 1, 2, 3, 6, 0x7F, 0x80, 0xFF] {
            let mut bytes = valid.clone();
            bytes[i] = value;
            decode_all(&bytes);
        }
    }
}
