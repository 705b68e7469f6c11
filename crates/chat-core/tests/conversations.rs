//! Conversations: the meeting's own and a private one with each participant,
//! paged both ways from what is loaded, older pages of a private one asked of
//! the server already filtered, and one current conversation.

mod support;

use chat_core::{Change, ChatState, Effect, Input, Intent};
use chat_protocol::{AckResult, ClientFrame, Message, Role};
use support::*;

fn private(id: &str, seq: u64, from: &str, to: &str) -> Message {
    let mut message = message(id, seq, from, id);
    message.targets = vec![to.into()];
    message
}

/// Ann's view of a meeting: public messages 1..=9, a private exchange with
/// Bob at 3, 6 and 8, one with Cat at 5; older history on the server.
fn meeting() -> ChatState {
    let page: Vec<Message> = (1..=9)
        .map(|seq| match seq {
            3 | 8 => private(&format!("b{seq}"), seq, "bob", "ann"),
            6 => private("b6", seq, "ann", "bob"),
            5 => private("c5", seq, "cat", "ann"),
            _ => message(&format!("p{seq}"), seq, "dan", "hi"),
        })
        .collect();
    let mut state = ChatState::new();
    let fx = state.apply(Input::Frame(welcome("ann", Role::Participant, 9)), NOW);
    let first = history_request(&fx).expect("the newest page is asked for");
    state.apply(ack(first, AckResult::History { messages: page, has_more: true }), NOW);
    state
}

fn ids(state: &ChatState, rows: &[usize]) -> Vec<String> {
    rows.iter().map(|i| state.timeline().at(*i).expect("a row").id.0.clone()).collect()
}

#[test]
fn the_meetings_conversation_and_a_private_one_page_both_ways() {
    let state = meeting();
    let newest = state.conversation_before(None, None, 2);
    assert_eq!(ids(&state, &newest.rows), ["p7", "p9"]);
    assert!(newest.has_older && !newest.has_newer);
    let older = state.conversation_before(None, Some(7), 3);
    assert_eq!(ids(&state, &older.rows), ["p1", "p2", "p4"]);
    assert!(older.has_newer);
    let newer = state.conversation_after(None, 4, 10);
    assert_eq!(ids(&state, &newer.rows), ["p7", "p9"]);
    assert!(!newer.has_newer);

    let bob = "bob".into();
    let with_bob = state.conversation_before(Some(&bob), None, 2);
    assert_eq!(ids(&state, &with_bob.rows), ["b6", "b8"]);
    let before = state.conversation_before(Some(&bob), Some(6), 2);
    assert_eq!(ids(&state, &before.rows), ["b3"], "Cat's private message is not Bob's conversation");
    assert_eq!(ids(&state, &state.conversation_after(Some(&bob), 3, 5).rows), ["b6", "b8"]);
}

#[test]
fn an_older_page_of_a_private_conversation_is_asked_for_filtered_and_ends_by_itself() {
    let mut state = meeting();
    // The meeting's history goes further back than what is loaded.
    let fx = state.apply(Input::Intent(Intent::LoadOlder { op: 1, limit: 10, with: Some("bob".into()) }), NOW);
    let frames = sent_frames(&fx);
    assert!(
        matches!(frames[..], [ClientFrame::History { before: Some(1), limit: 10, with: Some(ref peer), .. }] if peer.as_str() == "bob"),
        "asks the server for Bob's conversation before the oldest loaded: {frames:?}"
    );
    let req = history_request(&fx).expect("a request");
    let answer = AckResult::History { messages: Vec::new(), has_more: false };
    state.apply(ack(req, answer), NOW);
    assert!(!state.has_more_in(Some(&"bob".into())), "Bob's conversation has no more");
    assert!(state.has_more_in(Some(&"cat".into())) && state.has_more_in(None), "the others still may");
}

#[test]
fn joining_a_conversation_makes_it_current_once() {
    let mut state = meeting();
    assert_eq!(state.current_conversation(), None);
    let fx = state.apply(Input::Intent(Intent::Join(Some("bob".into()))), NOW);
    assert_eq!(fx, vec![Effect::Changed(Change::Conversation)]);
    assert_eq!(state.current_conversation().map(|p| p.as_str()), Some("bob"));
    assert!(state.apply(Input::Intent(Intent::Join(Some("bob".into()))), NOW).is_empty(), "already current");
}
