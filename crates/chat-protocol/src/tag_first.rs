//! Reading internally tagged enums tag first: `{"type": "reset", "headSeq": 4}`
//! read as the variant `reset` holding the rest of the object, without the
//! buffer serde's own internally tagged read fills first (which costs the
//! widget's wasm a second copy of every reader inside). `#[derive(TagFirst)]`
//! uses [`TagFirst`] for the server's frames, events, ack results and contents.
//!
//! A struct that flattens such an enum (a message and its content) reads its
//! own fields with [`with_flattened`], which sets the members the struct does
//! not know aside, in order, and reads the enum from them.
//!
//! The rule this relies on: a tagged object's tag is its first member. The
//! server writes every frame that way (serde's `Serialize` puts the tag first);
//! anything else is refused with an error that says so. Frames *from* clients
//! keep serde's read, which takes the members in any order.

use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IgnoredAny, IntoDeserializer, MapAccess, VariantAccess,
    Visitor,
};
use serde::ser::{Serialize, Serializer};
use serde::{forward_to_deserialize_any, Deserialize};
use serde_json::Value;
use std::fmt;

pub use chat_protocol_derive::TagFirst;

/// A deserializer that presents an object tagged by its first member, `tag`,
/// as an externally tagged enum (what serde's derive without `tag` reads).
pub struct TagFirst<D> {
    inner: D,
    tag: &'static str,
}

impl<D> TagFirst<D> {
    /// Reads `inner`'s next value as an object tagged by `tag`.
    pub fn new(inner: D, tag: &'static str) -> Self {
        Self { inner, tag }
    }
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for TagFirst<D> {
    type Error = D::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(Tagged { tag: self.tag, visitor })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Reads the tag, then lets the enum's visitor read the variant it names.
struct Tagged<V> {
    tag: &'static str,
    visitor: V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Tagged<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "an object whose first member is `{}`", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V::Value, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == self.tag => {}
            Some(key) => {
                return Err(de::Error::custom(format_args!("`{}` must come first, not `{key}`", self.tag)));
            }
            None => return Err(de::Error::missing_field(self.tag)),
        }
        let variant: String = map.next_value()?;
        self.visitor.visit_enum(Variant { name: variant, rest: map })
    }
}

/// The variant's name and the object's other members.
struct Variant<A> {
    name: String,
    rest: A,
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Rest<A>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Rest<A>), A::Error> {
        let name: StringDeserializer<A::Error> = self.name.into_deserializer();
        Ok((seed.deserialize(name)?, Rest(self.rest)))
    }
}

/// The members after the tag: a struct variant's fields, a newtype variant's
/// struct, or nothing for a unit variant.
struct Rest<A>(A);

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        // As serde's internally tagged read does, a unit variant ignores other members.
        while self.0.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        seed.deserialize(MapAccessDeserializer::new(self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a tuple variant cannot be tagged internally"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }
}

/// Reads a struct's own fields as `T` (the struct without its flattened
/// field), and the flattened `F` from the members `T` does not name, in the
/// order they came, so `F`'s tag is still first among them.
pub fn with_flattened<'de, T, F, D>(deserializer: D) -> Result<(T, F), D::Error>
where
    T: Deserialize<'de>,
    F: DeserializeOwned,
    D: de::Deserializer<'de>,
{
    let mut aside = Vec::new();
    let fields = T::deserialize(SetAside { inner: deserializer, aside: &mut aside })?;
    // The members set aside are few and small (a kind, a text or a file):
    // written out and read again, they reuse the frame's own JSON reader.
    let text = serde_json::to_string(&InOrder(&aside)).map_err(de::Error::custom)?;
    let flattened = serde_json::from_str(&text).map_err(de::Error::custom)?;
    Ok((fields, flattened))
}

/// A deserializer for a struct that sets aside the members it does not name.
struct SetAside<'a, D> {
    inner: D,
    aside: &'a mut Vec<(String, Value)>,
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for SetAside<'_, D> {
    type Error = D::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(SetAsideVisitor { fields, aside: self.aside, visitor })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

struct SetAsideVisitor<'a, V> {
    fields: &'static [&'static str],
    aside: &'a mut Vec<(String, Value)>,
    visitor: V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for SetAsideVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.visitor.expecting(formatter)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Named { map, fields: self.fields, aside: self.aside })
    }
}

/// The members the struct names; the others go aside.
struct Named<'a, A> {
    map: A,
    fields: &'static [&'static str],
    aside: &'a mut Vec<(String, Value)>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Named<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<String>()? {
            if self.fields.contains(&key.as_str()) {
                let key: StringDeserializer<A::Error> = key.into_deserializer();
                return seed.deserialize(key).map(Some);
            }
            let value = self.map.next_value()?;
            self.aside.push((key, value));
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Members written as an object in the order they came.
struct InOrder<'a>(&'a [(String, Value)]);

impl Serialize for InOrder<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, TagFirst)]
    #[serde(tag = "type", rename_all = "camelCase")]
    enum Shape {
        #[serde(rename_all = "camelCase")]
        Square {
            side_length: u32,
        },
        Named(Named),
        Empty,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Named {
        name: String,
        #[serde(default)]
        sides: u32,
    }

    #[derive(Debug, PartialEq, Serialize, TagFirst)]
    #[serde(rename_all = "camelCase")]
    struct Drawing {
        title: String,
        #[serde(flatten)]
        shape: Shape,
        #[serde(default)]
        layer_count: u32,
    }

    fn read(json: &str) -> Result<Shape, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_of_variant_reads_back_what_serde_wrote() {
        for shape in
            [Shape::Square { side_length: 3 }, Shape::Named(Named { name: "x".into(), sides: 5 }), Shape::Empty]
        {
            let json = serde_json::to_string(&shape).unwrap();
            assert!(json.starts_with(r#"{"type":"#), "{json}");
            assert_eq!(read(&json), Ok(shape));
        }
        assert_eq!(read(r#"{"type":"empty","extra":[1,{"a":2}]}"#), Ok(Shape::Empty));
        assert_eq!(read(r#"{"type":"named","name":"y"}"#), Ok(Shape::Named(Named { name: "y".into(), sides: 0 })));
    }

    #[test]
    fn a_tag_that_is_not_first_missing_or_unknown_is_an_error_that_says_so() {
        let late = read(r#"{"sideLength":3,"type":"square"}"#).unwrap_err();
        assert!(late.contains("`type` must come first, not `sideLength`"), "{late}");
        assert!(read("{}").unwrap_err().contains("missing field `type`"));
        assert!(read(r#"{"type":"circle"}"#).unwrap_err().contains("unknown variant `circle`"));
        assert!(read(r#"{"type":"square"}"#).unwrap_err().contains("missing field `sideLength`"));
        assert!(read(r#"{"type":"square","sideLength":"3"}"#).unwrap_err().contains("invalid type"));
        assert!(read("[]").unwrap_err().contains("first member is `type`"));
    }

    #[test]
    fn a_flattened_enum_reads_from_the_members_its_struct_does_not_name() {
        let drawing = Drawing { title: "t".into(), shape: Shape::Square { side_length: 2 }, layer_count: 7 };
        let json = serde_json::to_string(&drawing).unwrap();
        assert_eq!(serde_json::from_str::<Drawing>(&json).unwrap(), drawing);
        let named = r#"{"layerCount":1,"type":"named","name":"n","title":"t"}"#;
        let expected =
            Drawing { title: "t".into(), shape: Shape::Named(Named { name: "n".into(), sides: 0 }), layer_count: 1 };
        assert_eq!(serde_json::from_str::<Drawing>(named).unwrap(), expected);
        let missing = serde_json::from_str::<Drawing>(r#"{"title":"t"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `type`"), "{missing}");
        let late = serde_json::from_str::<Drawing>(r#"{"title":"t","sideLength":2,"type":"square"}"#).unwrap_err();
        assert!(late.to_string().contains("`type` must come first"), "{late}");
        let untitled = serde_json::from_str::<Drawing>(r#"{"type":"empty"}"#).unwrap_err().to_string();
        assert!(untitled.contains("missing field `title`"), "{untitled}");
    }
}
