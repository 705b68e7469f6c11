//! A sent message shows at once as a pending local echo, and goes out only when connected.

mod support;

use chat_core::{Change, ChatState, EchoStatus, Effect, Input};
use chat_protocol::Role;
use support::*;

#[test]
fn a_send_shows_a_pending_echo_and_a_frame_with_its_client_id() {
    let mut state = joined("ann", Role::Participant, 0);
    let fx = send_text(&mut state, 1, "c1", "hello");
    assert!(fx.contains(&Effect::Changed(Change::EchoAdded { key: local("c1"), index: 0 })));
    assert!(fx.contains(&Effect::SaveOutbox));
    let (_, client_id) = send_request(&fx);
    assert_eq!(client_id, "c1");
    let echo = state.echo(&"c1".into()).expect("echo");
    assert_eq!(echo.status, EchoStatus::Pending);
    assert!(state.timeline().is_empty(), "not in the timeline until confirmed");
}

#[test]
fn a_send_while_offline_waits_for_the_welcome() {
    let mut state = ChatState::new();
    let fx = send_text(&mut state, 1, "c1", "early");
    assert!(sent_frames(&fx).is_empty());
    assert_eq!(state.echoes().len(), 1);
    let fx = state.apply(Input::Frame(welcome("ann", Role::Participant, 0)), NOW);
    assert_eq!(send_request(&fx).1, "c1");
}

#[test]
fn empty_and_too_long_texts_are_refused_locally() {
    let mut state = joined("ann", Role::Participant, 0);
    for (text, code) in [("   ", "invalid_request"), (&"x".repeat(4_001) as &str, "text_too_long")] {
        let fx = send_text(&mut state, 9, "bad", text);
        match &fx[..] {
            [Effect::Reject { op: 9, error }] => assert_eq!(error.code, code),
            other => panic!("{other:?}"),
        }
    }
    assert!(state.echoes().is_empty());
}

#[test]
fn a_reused_client_id_is_refused() {
    let mut state = joined("ann", Role::Participant, 0);
    send_text(&mut state, 1, "c1", "one");
    let fx = send_text(&mut state, 2, "c1", "two");
    assert!(matches!(&fx[..], [Effect::Reject { op: 2, .. }]));
}
