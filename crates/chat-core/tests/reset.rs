//! A reset drops the timeline, keeps unsent messages, and reloads the newest page.

mod support;

use chat_core::{Change, Effect, Input};
use chat_protocol::{AckResult, ClientFrame, Role, ServerFrame};
use support::*;

#[test]
fn a_reset_reloads_from_the_head_and_keeps_echoes() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "old")), NOW);
    state.apply(Input::Disconnected { code: None }, NOW);
    send_text(&mut state, 1, "c1", "unsent");
    state.apply(Input::Frame(welcome("ann", Role::Participant, 5_000)), NOW);
    let fx = state.apply(Input::Frame(ServerFrame::Reset { head_seq: 5_000 }), NOW);
    assert!(fx.contains(&Effect::Changed(Change::TimelineReset)));
    assert!(matches!(sent_frames(&fx)[..], [ClientFrame::History { before: Some(5_001), .. }]));
    assert!(state.timeline().is_empty());
    assert_eq!(state.last_seq(), 5_000);
    assert_eq!(state.echoes().len(), 1);
    let req = history_request(&fx).unwrap();
    state.apply(
        ack(req, AckResult::History { messages: vec![message("m4999", 4_999, "bob", "new")], has_more: true }),
        NOW,
    );
    assert_eq!(texts(&state), ["new"]);
}
