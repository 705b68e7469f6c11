//! The server's ack swaps the echo for the confirmed message, whichever of
//! ack and event arrives first, and settles the send's operation.

mod support;

use chat_core::{Change, EchoStatus, Effect, Outcome};
use chat_protocol::{AckResult, ErrorCode, Role};
use support::*;

#[test]
fn event_then_ack_confirms_once() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 7, "c1", "hello"));
    let mut confirmed = message("m1", 1, "ann", "hello");
    confirmed.client_id = "c1".into();
    let fx = state.apply(created(confirmed), NOW);
    assert!(fx.contains(&Effect::Changed(Change::EchoConfirmed {
        key: local("c1"),
        from: 0,
        index: 0,
        id: "m1".into()
    })));
    assert!(fx.contains(&Effect::Resolve { op: 7, outcome: Outcome::Sent("m1".into()) }));
    assert!(state.echoes().is_empty());
    let fx = state.apply(
        ack(req, AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() }),
        NOW,
    );
    assert!(fx.is_empty(), "the late ack changes nothing: {fx:?}");
    assert_eq!(texts(&state), ["hello"]);
}

#[test]
fn ack_then_event_confirms_once() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 7, "c1", "hello"));
    let fx = state.apply(
        ack(req, AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() }),
        NOW,
    );
    assert!(fx.contains(&Effect::Resolve { op: 7, outcome: Outcome::Sent("m1".into()) }));
    let shown = state.timeline().get(&"m1".into()).expect("confirmed message built from the echo");
    assert_eq!((shown.seq, shown.sender.id.as_str()), (1, "ann"));
    let mut confirmed = message("m1", 1, "ann", "hello");
    confirmed.client_id = "c1".into();
    let fx = state.apply(created(confirmed), NOW);
    assert_eq!(fx, vec![Effect::Changed(Change::MessageUpdated { key: local("c1"), index: 0 })]);
    assert_eq!(state.timeline().len(), 1);
}

#[test]
fn a_refusal_marks_the_echo_failed_and_rejects_the_operation() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 7, "c1", "hello"));
    let fx = state.apply(error(req, ErrorCode::Forbidden), NOW);
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Reject { op: 7, error } if error.code == "forbidden" && !error.retryable)));
    assert!(matches!(state.echo(&"c1".into()).unwrap().status, EchoStatus::Failed { retryable: false, .. }));
}

#[test]
fn a_failed_send_can_be_retried_with_the_same_client_id() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 7, "c1", "hello"));
    state.apply(error(req, ErrorCode::Internal), NOW);
    let fx = state.apply(chat_core::Input::Intent(chat_core::Intent::Retry { op: 8, client_id: "c1".into() }), NOW);
    let (req, client_id) = send_request(&fx);
    assert_eq!(client_id, "c1");
    let fx = state.apply(
        ack(req, AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() }),
        NOW,
    );
    assert!(fx.contains(&Effect::Resolve { op: 8, outcome: Outcome::Sent("m1".into()) }));
}

#[test]
fn an_ack_for_a_message_the_server_changed_waits_for_its_event() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 7, "c1", "hello"));
    let modified = vec!["text".to_owned()];
    let ack_fx = state
        .apply(ack(req, AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified }), NOW);
    assert!(ack_fx.is_empty(), "nothing is confirmed from the echo: {ack_fx:?}");
    assert_eq!(state.echoes().len(), 1, "the echo stays until the stored version arrives");
    let mut stored = message("m1", 1, "ann", "hello lol~");
    stored.client_id = "c1".into();
    let fx = state.apply(created(stored), NOW);
    assert!(fx.contains(&Effect::Resolve { op: 7, outcome: Outcome::Sent("m1".into()) }));
    assert_eq!(texts(&state), ["hello lol~"], "the panel shows the server's version");
}
