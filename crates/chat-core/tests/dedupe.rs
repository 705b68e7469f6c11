//! Events at or below the last seq are applied once only.

mod support;

use chat_core::Effect;
use chat_protocol::{Event, Role};
use support::*;

#[test]
fn a_replayed_event_is_ignored() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "one")), NOW);
    state.apply(event(2, Event::MessagePinned { id: "m1".into(), by: "hal".into() }), NOW);
    let again: Vec<Effect> = state.apply(created(message("m1", 1, "bob", "one")), NOW);
    assert!(again.is_empty());
    let stale = state.apply(event(2, Event::MessageUnpinned { id: "m1".into(), by: "hal".into() }), NOW);
    assert!(stale.is_empty());
    assert!(state.timeline().get(&"m1".into()).unwrap().pinned);
    assert_eq!(state.timeline().len(), 1);
}
