//! Reading a struct from a JSON object only. serde's derive reads a struct
//! from an object or from an array of its fields, and serde_json instantiates
//! both readers for every struct it reads, although our frames only ever hold
//! objects: the widget's wasm carried each struct's reader twice.
//! `#[derive(AsObject)]` reads the struct through [`AsObject`], which asks for
//! a map, so only the object reader is built (asking for a struct with a
//! visitor that takes only a map measured 0.7 KiB gzip heavier in the widget:
//! serde_json's struct read still checks for an array).

use serde::de::{self, Visitor};
use serde::forward_to_deserialize_any;

pub use chat_protocol_derive::AsObject;

/// A deserializer that reads a struct as a map: an array is refused, as any
/// other value that is not an object.
pub struct AsObject<D>(pub D);

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for AsObject<D> {
    type Error = D::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Debug, PartialEq, Serialize, AsObject)]
    #[serde(rename_all = "camelCase")]
    struct Point {
        x_pos: i32,
        #[serde(default)]
        y_pos: i32,
    }

    #[test]
    fn an_object_reads_with_every_serde_attribute_and_an_array_is_refused() {
        assert_eq!(serde_json::from_str::<Point>(r#"{"xPos": 1, "yPos": 2}"#).unwrap(), Point { x_pos: 1, y_pos: 2 });
        assert_eq!(serde_json::from_str::<Point>(r#"{"xPos": 3}"#).unwrap(), Point { x_pos: 3, y_pos: 0 });
        assert!(serde_json::from_str::<Point>("[1, 2]").is_err(), "an array of fields is not a frame");
        assert!(serde_json::from_str::<Point>(r#"{"yPos": 3}"#).unwrap_err().to_string().contains("xPos"));
        let nested: Vec<Point> = serde_json::from_str(r#"[{"xPos": 1}, {"xPos": 2, "yPos": 5}]"#).unwrap();
        assert_eq!(nested, [Point { x_pos: 1, y_pos: 0 }, Point { x_pos: 2, y_pos: 5 }]);
    }
}
