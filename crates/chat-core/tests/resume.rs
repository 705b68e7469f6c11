//! After a drop, the client resumes from its last seq: unacked sends go again
//! with the same client id, in-flight operations fail retryably, and the
//! replay applies without duplicates.

mod support;

use chat_core::{Change, ConnectionState, Effect, Input, Intent};
use chat_protocol::{close_code, AckResult, DeleteScope, Role};
use support::*;

#[test]
fn a_drop_keeps_sends_pending_and_resends_them_after_the_welcome() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "before")), NOW);
    send_request(&send_text(&mut state, 5, "c1", "in flight"));
    let delete = state.apply(Input::Intent(Intent::Delete { op: 6, id: "m1".into(), scope: DeleteScope::Me }), NOW);
    request_id(&delete);

    let fx = state.apply(Input::Disconnected { code: Some(1006) }, NOW);
    assert_eq!(state.connection(), ConnectionState::Reconnecting);
    assert!(fx.contains(&Effect::Changed(Change::Connection)));
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Reject { op: 6, error } if error.code == "disconnected" && error.retryable)));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Reject { op: 5, .. })), "sends are not failed by a drop");
    assert_eq!(state.last_seq(), 1, "the transport resumes from here");

    let offline = state.apply(Input::Intent(Intent::SetPinned { op: 7, id: "m1".into(), pinned: true }), NOW);
    assert!(matches!(&offline[..], [Effect::Reject { op: 7, error }] if error.code == "not_connected"));

    state.apply(Input::Connecting, NOW);
    let fx = state.apply(Input::Frame(welcome("ann", Role::Participant, 3)), NOW);
    assert!(history_request(&fx).is_none(), "a resume does not reload the page");
    let (req, client_id) = send_request(&fx);
    assert_eq!(client_id, "c1");
    // The replay: bob's message sent while away, then our own, already stored before the drop.
    state.apply(created(message("m2", 2, "bob", "while away")), NOW);
    let mut ours = message("m3", 3, "ann", "in flight");
    ours.client_id = "c1".into();
    let fx = state.apply(created(ours), NOW);
    assert!(fx.contains(&Effect::Resolve { op: 5, outcome: chat_core::Outcome::Sent("m3".into()) }));
    // The server dedupes the re-send and acks with the original.
    state.apply(
        ack(req, AckResult::Sent { client_id: "c1".into(), id: "m3".into(), seq: 3, time: NOW, modified: Vec::new() }),
        NOW,
    );
    assert_eq!(texts(&state), ["before", "while away", "in flight"]);
    assert!(state.echoes().is_empty());
}

#[test]
fn an_auth_failure_is_final() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(Input::Disconnected { code: Some(close_code::AUTH_FAILED) }, NOW);
    assert_eq!(state.connection(), ConnectionState::AuthFailed);
}

#[test]
fn closing_on_purpose_is_reported_as_closed() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(Input::Disconnected { code: Some(1000) }, NOW);
    let fx = state.apply(Input::Closed, NOW);
    assert_eq!(fx, vec![Effect::Changed(Change::Connection)]);
    assert_eq!(state.connection(), ConnectionState::Closed);
}

#[test]
fn a_state_told_where_it_got_to_resumes_from_there_at_its_first_welcome() {
    let mut state = chat_core::ChatState::new();
    assert_eq!(state.resume_position(), None, "a new client starts at the head");
    state.resume_at(7);
    assert_eq!(state.resume_position(), Some(7), "the transport asks for what came after 7");
    state.apply(Input::Connecting, NOW);
    let fx = state.apply(Input::Frame(welcome("bot", Role::Bot, 9)), NOW);
    assert!(history_request(&fx).is_none(), "a resume does not start over at the head");
    let fx = state.apply(created(message("m8", 8, "ann", "said while it was away")), NOW);
    assert!(fx.iter().any(|e| matches!(e, Effect::Changed(Change::MessageAdded { .. }))), "the replay is new");
    assert_eq!((state.last_seq(), state.resume_position()), (8, Some(8)));
    state.resume_at(3);
    assert_eq!(state.last_seq(), 8, "only before the first welcome");
}
