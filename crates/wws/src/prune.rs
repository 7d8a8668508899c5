//! JSON text → a `serde_json::Value` holding only the members the unit parser reads.
//!
//! A VERA unit carries much the engine never looks at (addresses, climate data, owners,
//! descriptions …). Building a full `Value` tree for it costs most of the parsing time.
//! This deserializer walks the text once and keeps, in objects where the parser looks
//! members up by name (the unit, rooms, referentiedata, energy performances, …), only the
//! members it reads; every other member is skipped without allocating. The members kept
//! hold exactly what `serde_json::Value` would hold, and those the parser reads as a
//! scalar are kept whole (a wrong type then prints in the warning as before), so
//! [`crate::Eenheid::from_json_value`] gives the same unit and the same warnings on the
//! pruned tree as on the full one. The parser never iterates over an object's members,
//! so dropping those it does not name changes nothing.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// How a member is kept.
#[derive(Clone, Copy)]
enum Keep {
    /// an object (or list of objects) the parser looks into by name: pruned again
    Struct,
    /// read as a scalar (or its text printed in a warning): kept whole
    Whole,
    Skip,
}

/// Every member name the parser in `model.rs` looks up, in camelCase and in the snake_case
/// spelling `model::get` also accepts: (the camelCase name, whether `key` is the snake_case
/// spelling, how to keep it). The pruned tree holds only camelCase names (a camelCase
/// member wins over its snake_case spelling, as in `model::get`), so the parser need not
/// try the snake_case spelling on it.
fn keep(key: &str) -> (&'static str, bool, Keep) {
    match key {
        "Woningwaarderingstelsel" => ("Woningwaarderingstelsel", false, Keep::Struct),
        "woningwaarderingstelsel" => ("woningwaarderingstelsel", false, Keep::Struct),
        "doelgroep" => ("doelgroep", false, Keep::Struct),
        "monumenten" => ("monumenten", false, Keep::Struct),
        "panden" => ("panden", false, Keep::Struct),
        "soort" => ("soort", false, Keep::Struct),
        "energieprestaties" => ("energieprestaties", false, Keep::Struct),
        "label" => ("label", false, Keep::Struct),
        "status" => ("status", false, Keep::Struct),
        "prijscomponenten" => ("prijscomponenten", false, Keep::Struct),
        "detailSoort" => ("detailSoort", false, Keep::Struct),
        "detail_soort" => ("detailSoort", true, Keep::Struct),
        "wozEenheden" => ("wozEenheden", false, Keep::Struct),
        "woz_eenheden" => ("wozEenheden", true, Keep::Struct),
        "adresseerbaarObjectBasisregistratie" => {
            ("adresseerbaarObjectBasisregistratie", false, Keep::Struct)
        }
        "adresseerbaar_object_basisregistratie" => {
            ("adresseerbaarObjectBasisregistratie", true, Keep::Struct)
        }
        "adres" => ("adres", false, Keep::Struct),
        "woonplaats" => ("woonplaats", false, Keep::Struct),
        "ruimten" => ("ruimten", false, Keep::Struct),
        "installaties" => ("installaties", false, Keep::Struct),
        "bouwkundigeElementen" => ("bouwkundigeElementen", false, Keep::Struct),
        "bouwkundige_elementen" => ("bouwkundigeElementen", true, Keep::Struct),
        "verbondenRuimten" => ("verbondenRuimten", false, Keep::Struct),
        "verbonden_ruimten" => ("verbondenRuimten", true, Keep::Struct),
        "id" => ("id", false, Keep::Whole),
        "code" => ("code", false, Keep::Whole),
        "naam" => ("naam", false, Keep::Whole),
        "bouwjaar" => ("bouwjaar", false, Keep::Whole),
        "beginBouwdatum" => ("beginBouwdatum", false, Keep::Whole),
        "begin_bouwdatum" => ("beginBouwdatum", true, Keep::Whole),
        "inExploitatiedatum" => ("inExploitatiedatum", false, Keep::Whole),
        "in_exploitatiedatum" => ("inExploitatiedatum", true, Keep::Whole),
        "datumAfsluitenHuurovereenkomst" => ("datumAfsluitenHuurovereenkomst", false, Keep::Whole),
        "datum_afsluiten_huurovereenkomst" => ("datumAfsluitenHuurovereenkomst", true, Keep::Whole),
        "waarde" => ("waarde", false, Keep::Whole),
        "begindatum" => ("begindatum", false, Keep::Whole),
        "einddatum" => ("einddatum", false, Keep::Whole),
        "vastgesteldeWaarde" => ("vastgesteldeWaarde", false, Keep::Whole),
        "vastgestelde_waarde" => ("vastgesteldeWaarde", true, Keep::Whole),
        "waardepeildatum" => ("waardepeildatum", false, Keep::Whole),
        "gebruiksoppervlakte" => ("gebruiksoppervlakte", false, Keep::Whole),
        "bagGebruikersOppervlakte" => ("bagGebruikersOppervlakte", false, Keep::Whole),
        "bag_gebruikers_oppervlakte" => ("bagGebruikersOppervlakte", true, Keep::Whole),
        "postcode" => ("postcode", false, Keep::Whole),
        "huisnummer" => ("huisnummer", false, Keep::Whole),
        "oppervlakte" => ("oppervlakte", false, Keep::Whole),
        "lengte" => ("lengte", false, Keep::Whole),
        "breedte" => ("breedte", false, Keep::Whole),
        "hoogte" => ("hoogte", false, Keep::Whole),
        "verwarmd" => ("verwarmd", false, Keep::Whole),
        "verkoeld" => ("verkoeld", false, Keep::Whole),
        "gedeeldMetAantalAdressen" => ("gedeeldMetAantalAdressen", false, Keep::Whole),
        "gedeeld_met_aantal_adressen" => ("gedeeldMetAantalAdressen", true, Keep::Whole),
        "gedeeldMetAantalEenheden" => ("gedeeldMetAantalEenheden", false, Keep::Whole),
        "gedeeld_met_aantal_eenheden" => ("gedeeldMetAantalEenheden", true, Keep::Whole),
        "gedeeldMetAantalOnzelfstandigeWoonruimten" => (
            "gedeeldMetAantalOnzelfstandigeWoonruimten",
            false,
            Keep::Whole,
        ),
        "gedeeld_met_aantal_onzelfstandige_woonruimten" => (
            "gedeeldMetAantalOnzelfstandigeWoonruimten",
            true,
            Keep::Whole,
        ),
        "aantal" => ("aantal", false, Keep::Whole),
        _ => ("", false, Keep::Skip),
    }
}

/// A pruned value (objects pruned, lists of objects pruned element by element).
pub(crate) struct Pruned;

impl<'de> DeserializeSeed<'de> for Pruned {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(PrunedVisitor)
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    /// see [`keep`]
    type Value = (&'static str, bool, Keep);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = (&'static str, bool, Keep);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(keep(s))
    }
}

struct PrunedVisitor;

impl<'de> Visitor<'de> for PrunedVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, x: i64) -> Result<Value, E> {
        Ok(Value::Number(x.into()))
    }
    fn visit_u64<E>(self, x: u64) -> Result<Value, E> {
        Ok(Value::Number(x.into()))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Number::from_f64(x).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Pruned.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(x) = seq.next_element_seed(Pruned)? {
            v.push(x);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        // camelCase names given in camelCase (their snake_case spelling is then ignored)
        let mut camel: Vec<&'static str> = Vec::new();
        while let Some((key, snake, how)) = map.next_key_seed(KeySeed)? {
            if matches!(how, Keep::Skip) || (snake && camel.contains(&key)) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if !snake {
                camel.push(key);
            }
            let v = match how {
                Keep::Struct => map.next_value_seed(Pruned)?,
                _ => map.next_value::<Value>()?,
            };
            m.insert(key.to_string(), v);
        }
        Ok(Value::Object(m))
    }
}

/// Parses a whole JSON text (one value, surrounding whitespace allowed) pruned; read it
/// with `model::Parser { snake: false, .. }`.
pub(crate) fn from_str(s: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(s);
    let v = Pruned.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_parser_reads() {
        let s = r#"{"id":"x","omschrijving":"weg","adres":{"straatnaam":"weg","postcode":"1234AB",
            "woonplaats":{"code":"3594","naam":"Utrecht","extra":[1,2]}},
            "ruimten":[{"id":"r","soort":{"code":"VTK","naam":"Vertrek","x":1},"oppervlakte":12.5,
            "klimaatbeheersing":{"a":1},"lengte":{"nested":[1]}}],"bouwjaar":1990,
            "monumenten":[],"panden":null}"#;
        let v = from_str(s).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"id":"x","adres":{"postcode":"1234AB","woonplaats":{"code":"3594","naam":"Utrecht"}},
              "ruimten":[{"id":"r","soort":{"code":"VTK","naam":"Vertrek"},"oppervlakte":12.5,"lengte":{"nested":[1]}}],
              "bouwjaar":1990,"monumenten":[],"panden":null})
        );
        assert!(from_str("{\"id\":1} x").is_err());
        // snake_case names become camelCase; the camelCase spelling wins in any order
        let v = from_str(
            r#"{"detail_soort":{"code":"A"},"detailSoort":{"code":"B"},"detail_soort":{"code":"C"},
            "woz_eenheden":[1],"woz_eenheden":[2],"in_exploitatiedatum":null}"#,
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"detailSoort":{"code":"B"},"wozEenheden":[2],"inExploitatiedatum":null})
        );
        assert!(from_str("{\"id\":").is_err());
    }
}
