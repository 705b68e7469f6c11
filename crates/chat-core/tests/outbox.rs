//! Unconfirmed sends are saved and, after a reload, restored and re-sent with their client ids.

mod support;

use chat_core::{ChatState, EchoStatus, Input, Intent, OutboxEntry};
use chat_protocol::Role;
use support::*;

#[test]
fn the_outbox_survives_a_reload_as_json_and_is_resent() {
    let mut state = joined("ann", Role::Participant, 0);
    send_text(&mut state, 1, "c1", "typed before the reload");
    let saved = serde_json::to_string(&state.outbox()).unwrap();

    let restored: Vec<OutboxEntry> = serde_json::from_str(&saved).unwrap();
    let mut reloaded = ChatState::new();
    reloaded.apply(Input::Intent(Intent::RestoreOutbox(restored.clone())), NOW);
    assert_eq!(reloaded.echo(&"c1".into()).unwrap().status, EchoStatus::Pending);
    let fx = reloaded.apply(Input::Frame(welcome("ann", Role::Participant, 0)), NOW);
    assert_eq!(send_request(&fx).1, "c1");
    // Restoring twice does not duplicate.
    reloaded.apply(Input::Intent(Intent::RestoreOutbox(restored)), NOW);
    assert_eq!(reloaded.echoes().len(), 1);
}
