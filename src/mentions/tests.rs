use chat_protocol::{Participant, Role};

use super::*;

fn people() -> Vec<Participant> {
    ["Ada Lovelace", "Bob", "Ádám Kovács", "adam", "Me"]
        .iter()
        .enumerate()
        .map(|(i, name)| Participant {
            id: format!("p{i}").into(),
            display_name: (*name).into(),
            role: Role::Participant,
        })
        .collect()
}

fn names(found: Vec<&Participant>) -> Vec<&str> {
    found.into_iter().map(|p| p.display_name.as_str()).collect()
}

#[test]
fn the_query_is_the_word_after_an_at_before_the_caret() {
    assert_eq!(query_at("hi @ad", 6), Some((3, "ad")));
    assert_eq!(query_at("@", 1), Some((0, "")));
    assert_eq!(query_at("hi @ad more", 6), Some((3, "ad")), "the caret decides, not the end");
    assert_eq!(query_at("mail me@ad", 10), None, "inside a word it is an address, not a mention");
    assert_eq!(query_at("hi @ada lovelace", 16), None, "a space ends it");
    assert_eq!(query_at("no at here", 5), None);
    assert_eq!(query_at("é@x", 1), None, "a caret inside a character finds nothing");
}

#[test]
fn suggestions_match_a_name_or_a_word_of_it_and_never_me() {
    let people = people();
    let me = ParticipantId::from("p4");
    assert_eq!(names(suggest(&people, Some(&me), "ad", str::to_lowercase)), ["Ada Lovelace", "adam"]);
    assert_eq!(names(suggest(&people, Some(&me), "lov", str::to_lowercase)), ["Ada Lovelace"]);
    assert_eq!(names(suggest(&people, Some(&me), "ÁD", str::to_lowercase)), ["Ádám Kovács"]);
    assert_eq!(names(suggest(&people, Some(&me), "me", str::to_lowercase)), Vec::<&str>::new());
    assert_eq!(suggest(&people, Some(&me), "", str::to_lowercase).len(), 4);
}

#[test]
fn picking_replaces_the_query_and_only_kept_mentions_are_sent() {
    assert_eq!(insert("hi @ad, ok", 3, 6, "Ada Lovelace"), ("hi @Ada Lovelace , ok".to_owned(), 17));
    let picked = vec![("p0".into(), "Ada Lovelace".to_owned()), ("p1".into(), "Bob".to_owned())];
    assert_eq!(kept(&picked, "hi @Ada Lovelace and Bob"), [ParticipantId::from("p0")], "Bob's @ was deleted");
    assert_eq!(kept(&picked, "@Bob @Bob"), [ParticipantId::from("p1")]);
}

#[test]
fn carets_count_utf16_units() {
    let text = "👍 @ad";
    assert_eq!(byte_offset(text, 3), "👍 ".len());
    assert_eq!(byte_offset(text, 99), text.len());
    assert_eq!(utf16_len("👍 "), 3);
}
