//! Edits replace a loaded message; edits of messages not loaded are ignored.

mod support;

use chat_core::{Change, Effect, Input, Intent, Outcome};
use chat_protocol::{AckResult, ClientFrame, Event, NewContent, Role};
use support::*;

#[test]
fn an_edit_event_replaces_the_message() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "teh")), NOW);
    let mut edited = message("m1", 1, "bob", "the");
    edited.edited = true;
    edited.edited_at = Some(NOW + 5);
    let fx = state.apply(event(2, Event::MessageEdited { message: edited }), NOW);
    assert_eq!(fx, vec![Effect::Changed(Change::MessageEdited { key: remote("m1"), index: 0 })]);
    assert_eq!(texts(&state), ["the"]);
    assert!(state.timeline().get(&"m1".into()).unwrap().edited);
}

#[test]
fn an_edit_of_an_unloaded_message_is_ignored() {
    let mut state = joined("ann", Role::Participant, 10);
    let fx = state.apply(event(11, Event::MessageEdited { message: message("old", 3, "bob", "x") }), NOW);
    assert!(fx.is_empty());
    assert!(state.timeline().is_empty());
    assert_eq!(state.last_seq(), 11);
}

#[test]
fn an_edit_intent_sends_a_frame_and_settles_on_ack() {
    let mut state = joined("ann", Role::Participant, 0);
    let content = NewContent::Text { text: "fixed".into() };
    let fx = state.apply(
        Input::Intent(Intent::Edit { op: 3, id: "m1".into(), content: content.clone(), attachments: None }),
        NOW,
    );
    assert!(
        matches!(sent_frames(&fx)[..], [ClientFrame::Edit { ref id, content: ref c, .. }] if id.as_str() == "m1" && c == &content)
    );
    let fx = state.apply(ack(request_id(&fx), AckResult::Done { seq: Some(1) }), NOW);
    assert_eq!(fx, vec![Effect::Resolve { op: 3, outcome: Outcome::Done }]);
}

#[test]
fn who_may_edit_and_delete_follows_the_server_rules() {
    let state = joined("ann", Role::Participant, 0);
    let own = message("m1", 1, "ann", "mine");
    let other = message("m2", 2, "bob", "theirs");
    assert!(state.can_edit(&own) && !state.can_edit(&other));
    assert!(state.can_delete_for_everyone(&own) && !state.can_delete_for_everyone(&other));
    assert!(!state.can_pin());
    let host = joined("hal", Role::Host, 0);
    assert!(!host.can_edit(&other) && host.can_delete_for_everyone(&other) && host.can_pin());
}
