//! Older pages merge below the live timeline without duplicates.

mod support;

use chat_core::{Change, ChatState, Effect, Input, Intent, Outcome};
use chat_protocol::{AckResult, ClientFrame, Role};
use support::*;

#[test]
fn the_first_welcome_loads_the_newest_page() {
    let mut state = ChatState::new();
    let fx = state.apply(Input::Frame(welcome("ann", Role::Participant, 120)), NOW);
    let frames = sent_frames(&fx);
    assert!(matches!(frames[..], [ClientFrame::History { before: Some(121), limit: 50, .. }]), "{frames:?}");
    let req = history_request(&fx).unwrap();
    let page: Vec<_> = (71..=120).map(|s| message(&format!("m{s}"), s, "bob", &s.to_string())).collect();
    let fx = state.apply(ack(req, AckResult::History { messages: page, has_more: true }), NOW);
    assert!(fx.iter().any(
        |e| matches!(e, Effect::Changed(Change::PageLoaded { inserted, has_more: true }) if inserted.len() == 50)
    ));
    assert_eq!(state.timeline().len(), 50);
    assert_eq!(state.last_seq(), 120);
}

#[test]
fn loading_older_asks_before_the_oldest_and_merges_without_duplicates() {
    let mut state = ChatState::new();
    let fx = state.apply(Input::Frame(welcome("ann", Role::Participant, 10)), NOW);
    let first = history_request(&fx).unwrap();
    // A live message arrives before the first page does.
    state.apply(created(message("m11", 11, "bob", "11")), NOW);
    let newest: Vec<_> = (6..=10).map(|s| message(&format!("m{s}"), s, "bob", &s.to_string())).collect();
    state.apply(ack(first, AckResult::History { messages: newest, has_more: true }), NOW);
    let fx = state.apply(Input::Intent(Intent::LoadOlder { op: 4, limit: 5, with: None }), NOW);
    assert!(matches!(sent_frames(&fx)[..], [ClientFrame::History { before: Some(6), limit: 5, .. }]));
    // The page overlaps one message already loaded.
    let older: Vec<_> = (2..=6).map(|s| message(&format!("m{s}"), s, "bob", &s.to_string())).collect();
    let fx = state.apply(ack(request_id(&fx), AckResult::History { messages: older, has_more: false }), NOW);
    assert!(fx.contains(&Effect::Resolve { op: 4, outcome: Outcome::Page { added: 4, has_more: false } }));
    assert_eq!(texts(&state), ["2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
    assert!(!state.has_more());
    let fx = state.apply(Input::Intent(Intent::LoadOlder { op: 5, limit: 5, with: None }), NOW);
    assert_eq!(fx, vec![Effect::Resolve { op: 5, outcome: Outcome::Page { added: 0, has_more: false } }]);
}

#[test]
fn page_sizes_outside_the_limit_are_refused() {
    let mut state = joined("ann", Role::Participant, 0);
    for limit in [0, 501] {
        let fx = state.apply(Input::Intent(Intent::LoadOlder { op: 1, limit, with: None }), NOW);
        assert!(matches!(&fx[..], [Effect::Reject { op: 1, error }] if error.code == "invalid_request"));
    }
}
