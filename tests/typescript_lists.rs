//! The package's TypeScript types against the Rust lists they mirror: every
//! error code the protocol has is in `ChatErrorCode`, and every other member
//! there is a code the client itself raises (a string literal in its source);
//! message kinds, roles, the send policy, rate buckets and the settings' keys
//! are the protocol's exactly. Neither side can gain or lose a member unnoticed.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use chat_protocol::{ErrorCode, MeetingSettings, MessageKind, PrivateChatPolicy, RateBucket, Role, SendPolicy};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::forward_to_deserialize_any;

/// The names serde reads an enum's variants (or a struct's fields) by, its
/// renames applied, taken from the derived `Deserialize` itself rather than
/// written out again here.
fn serde_variants<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    struct Capture<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Capture<'_> {
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("fields captured"))
        }
        type Error = de::value::Error;
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            variants: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = variants;
            Err(de::Error::custom("variants captured"))
        }
        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not an enum"))
        }
        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
        }
    }
    let mut variants: &'static [&'static str] = &[];
    let _ = T::deserialize(Capture(&mut variants));
    variants
}

/// The string members of `export type NAME = "a" | "b" ...;` in a `.d.ts` file.
fn union_members(declarations: &str, name: &str) -> Vec<String> {
    let start =
        declarations.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("the types declare {name}"));
    let union = &declarations[start..];
    let union = &union[..union.find(';').expect("the union ends")];
    union.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The string members of the first `field: "a" | "b" ...;` in a `.d.ts` file.
fn field_members(declarations: &str, field: &str) -> Vec<String> {
    let start = declarations
        .find(&format!("{field}: \""))
        .unwrap_or_else(|| panic!("the types declare a {field} of string literals"));
    let union = &declarations[start..];
    let union = &union[..union.find([';', '}']).expect("the field ends")];
    union.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The member names of `export interface NAME { ... }` in a `.d.ts` file.
fn interface_members(declarations: &str, name: &str) -> Vec<String> {
    let start =
        declarations.find(&format!("export interface {name} {{")).unwrap_or_else(|| panic!("the types declare {name}"));
    let body = &declarations[start..];
    let body = &body[body.find('{').expect("a body") + 1..body.find('}').expect("the body ends")];
    body.lines()
        .filter_map(|line| line.trim().split_once(':'))
        .map(|(name, _)| name.trim_end_matches('?').to_owned())
        .collect()
}

fn headless_types() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("www/meeting-chat-headless.d.ts"))
        .expect("the headless types")
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
    list.sort();
    list
}

fn sorted_owned(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list
}

/// Every `.rs` file's text under `dir`.
fn sources(dir: &Path) -> String {
    let mut text = String::new();
    for entry in fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            text += &sources(&path);
        } else if path.extension().is_some_and(|e| e == "rs") {
            text += &fs::read_to_string(&path).expect("a source file");
        }
    }
    text
}

#[test]
fn chat_error_code_lists_every_protocol_code_and_only_codes_something_raises() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let types = headless_types();
    let typed = union_members(&types, "ChatErrorCode");
    let protocol = serde_variants::<ErrorCode>();
    assert!(protocol.len() > 10, "the protocol's codes were read: {protocol:?}");
    let missing: Vec<_> = protocol.iter().filter(|code| !typed.iter().any(|t| t == *code)).collect();
    assert!(missing.is_empty(), "ChatErrorCode lacks the protocol's {missing:?}");
    // The rest are the client's own (not connected, an upload that failed, ...): each must be raised somewhere.
    let client = sources(&root.join("src")) + &sources(&root.join("crates/chat-core/src"));
    let unraised: Vec<_> = typed
        .iter()
        .filter(|code| !protocol.contains(&code.as_str()) && !client.contains(&format!("\"{code}\"")))
        .collect();
    assert!(unraised.is_empty(), "ChatErrorCode has {unraised:?}, which neither the protocol nor the client raises");
}

#[test]
fn the_protocols_lists_are_the_types_lists_exactly() {
    let types = headless_types();
    let cases: [(&str, Vec<String>, &[&str]); 6] = [
        ("MessageType", union_members(&types, "MessageType"), serde_variants::<MessageKind>()),
        ("Participant.role", field_members(&types, "role"), serde_variants::<Role>()),
        ("MeetingSettings.whoCanSend", field_members(&types, "whoCanSend"), serde_variants::<SendPolicy>()),
        ("MeetingSettings.privateChat", field_members(&types, "privateChat"), serde_variants::<PrivateChatPolicy>()),
        ("rateLimited.bucket", field_members(&types, "bucket"), serde_variants::<RateBucket>()),
        ("MeetingSettings", interface_members(&types, "MeetingSettings"), serde_variants::<MeetingSettings>()),
    ];
    for (name, typed, protocol) in cases {
        assert!(!protocol.is_empty(), "{name}: the protocol's list was read");
        assert_eq!(sorted_owned(typed), sorted(protocol), "{name} in the types against the protocol");
    }
}
