//! The package's TypeScript types against the Rust lists they mirror: every
//! error code the protocol has is in `ChatErrorCode`, and every other member
//! there is a code the client itself raises (a string literal in its source);
//! message kinds, roles, the send policy, rate buckets and the settings' keys
//! are the protocol's exactly. Neither side can gain or lose a member unnoticed.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use chat_protocol::wire_name::names;
use chat_protocol::{ErrorCode, MeetingSettings, MessageKind, PrivateChatPolicy, RateBucket, Role, SendPolicy};

/// The keys a meeting's settings are written with (every field is, whatever its value).
fn settings_keys() -> Vec<String> {
    let written = serde_json::to_value(MeetingSettings::default()).expect("settings serialize");
    written.as_object().expect("an object").keys().cloned().collect()
}

/// The wire names of `T`, owned.
fn wire_names<T: chat_protocol::wire_name::WireName>() -> Vec<String> {
    names::<T>().into_iter().map(str::to_owned).collect()
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
    let protocol = names::<ErrorCode>();
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
    let cases: [(&str, Vec<String>, Vec<String>); 6] = [
        ("MessageType", union_members(&types, "MessageType"), wire_names::<MessageKind>()),
        ("Participant.role", field_members(&types, "role"), wire_names::<Role>()),
        ("MeetingSettings.whoCanSend", field_members(&types, "whoCanSend"), wire_names::<SendPolicy>()),
        ("MeetingSettings.privateChat", field_members(&types, "privateChat"), wire_names::<PrivateChatPolicy>()),
        ("rateLimited.bucket", field_members(&types, "bucket"), wire_names::<RateBucket>()),
        ("MeetingSettings", interface_members(&types, "MeetingSettings"), settings_keys()),
    ];
    for (name, typed, protocol) in cases {
        assert!(!protocol.is_empty(), "{name}: the protocol's list was read");
        assert_eq!(sorted_owned(typed), sorted_owned(protocol), "{name} in the types against the protocol");
    }
}
