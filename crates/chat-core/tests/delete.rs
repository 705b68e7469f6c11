//! Deleting for everyone leaves a tombstone; deleting for me removes the message from my view.

mod support;

use chat_core::{Change, Effect};
use chat_protocol::{Content, Event, Role};
use support::*;

#[test]
fn deleted_for_everyone_becomes_a_tombstone_and_loses_its_pin() {
    let mut state = joined("ann", Role::Participant, 0);
    let mut pinned = message("m1", 1, "bob", "secret");
    pinned.pinned = true;
    pinned.metadata.insert("k".into(), "v".into());
    state.apply(created(pinned), NOW);
    let fx = state.apply(event(2, Event::MessageDeleted { id: "m1".into(), by: "bob".into() }), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Unpinned { key: remote("m1"), index: 0 })));
    assert!(fx.contains(&Effect::Changed(Change::MessageDeleted { key: remote("m1"), index: 0 })));
    let tombstone = state.timeline().get(&"m1".into()).unwrap();
    assert_eq!(tombstone.content, Content::Deleted);
    assert!(!tombstone.pinned && tombstone.metadata.is_empty());
    assert_eq!(state.pinned().count(), 0);
}

#[test]
fn deleted_for_me_leaves_my_timeline() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "noise")), NOW);
    state.apply(created(message("m2", 2, "bob", "signal")), NOW);
    let fx = state.apply(event(3, Event::MessageHidden { id: "m1".into() }), NOW);
    let removed = Effect::Changed(Change::MessageRemoved { key: remote("m1"), index: 0, id: "m1".into() });
    assert_eq!(fx, vec![Effect::Changed(Change::Reads), removed], "it was unread, and no longer counts");
    assert_eq!(texts(&state), ["signal"]);
}
