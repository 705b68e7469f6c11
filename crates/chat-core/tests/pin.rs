//! Pin and unpin events keep the pinned list, and announce only real changes.

mod support;

use chat_core::{Change, Effect, Input, Intent};
use chat_protocol::{ClientFrame, Event, MeetingSettings, Role};
use support::*;

#[test]
fn pins_and_unpins_update_the_pinned_list() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "agenda")), NOW);
    state.apply(created(message("m2", 2, "bob", "notes")), NOW);
    let fx = state.apply(event(3, Event::MessagePinned { id: "m2".into(), by: "hal".into() }), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Pinned { key: remote("m2"), index: 1 })));
    state.apply(event(4, Event::MessagePinned { id: "m1".into(), by: "hal".into() }), NOW);
    let pinned: Vec<&str> = state.pinned().map(|m| m.id.as_str()).collect();
    assert_eq!(pinned, ["m1", "m2"]);
    let fx = state.apply(event(5, Event::MessageUnpinned { id: "m1".into(), by: "hal".into() }), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Unpinned { key: remote("m1"), index: 0 })));
    assert_eq!(state.pinned().count(), 1);
}

#[test]
fn settings_can_let_everyone_pin() {
    let mut state = joined("ann", Role::Participant, 0);
    assert!(!state.can_pin());
    let fx = state.apply(
        event(
            1,
            Event::SettingsChanged { settings: MeetingSettings { anyone_can_pin: true, ..MeetingSettings::default() } },
        ),
        NOW,
    );
    assert_eq!(fx, vec![Effect::Changed(Change::Settings)]);
    assert!(state.can_pin());
    let fx = state.apply(Input::Intent(Intent::SetPinned { op: 1, id: "m1".into(), pinned: true }), NOW);
    assert!(matches!(sent_frames(&fx)[..], [ClientFrame::Pin { .. }]));
}
