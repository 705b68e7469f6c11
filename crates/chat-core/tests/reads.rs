//! Read state: the welcome's unread counts, counted up as others' messages
//! arrive (mentions apart, private ones in their own conversation, one's own
//! never, a replayed one not twice), down as unread ones are deleted, and
//! reset by reading here (sent to the server) or on another device.

mod support;

use chat_core::{Change, Effect, Input, Intent};
use chat_protocol::{ClientFrame, Event, ParticipantId, ReadState, Role, ServerFrame};
use support::*;

fn state_of(with: Option<&str>, seq: u64, unread: u32, mentions: u32) -> ReadState {
    ReadState { with: with.map(ParticipantId::from), seq, unread, mentions }
}

#[test]
fn others_messages_count_where_they_belong_and_reading_resets_them() {
    let mut state = chat_core::ChatState::new();
    state.apply(Input::Connecting, NOW);
    let mut welcome = welcome("ann", Role::Participant, 10);
    if let ServerFrame::Welcome { reads, .. } = &mut welcome {
        *reads = vec![state_of(None, 8, 2, 1)];
    }
    let fx = state.apply(Input::Frame(welcome), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Reads)));
    assert_eq!(state.unread(None), (2, 1));

    let mut mention = message("m11", 11, "bob", "hi @ann");
    mention.mentions = vec!["ann".into()];
    state.apply(created(mention), NOW);
    state.apply(created(message("m12", 12, "ann", "mine")), NOW);
    let mut private = message("m13", 13, "cat", "psst");
    private.targets = vec!["ann".into()];
    state.apply(created(private), NOW);
    assert_eq!(state.unread(None), (3, 2));
    assert_eq!(state.unread(Some(&"cat".into())), (1, 0));
    let read: Vec<bool> = state.timeline().iter().map(|m| state.is_read(m)).collect();
    assert_eq!(read, [false, true, false]);

    // Deleting an unread message uncounts it.
    state.apply(event(14, Event::MessageDeleted { id: "m11".into(), by: "bob".into() }), NOW);
    assert_eq!(state.unread(None), (2, 1));

    // Reading here: at once, and the server is told up to the newest seq known.
    let fx = state.apply(Input::Intent(Intent::MarkRead { op: 1, with: None }), NOW);
    assert_eq!(state.unread(None), (0, 0));
    assert!(matches!(sent_frames(&fx)[..], [ClientFrame::MarkRead { with: None, seq: 14, .. }]));
    let fx = state.apply(Input::Intent(Intent::MarkRead { op: 2, with: None }), NOW);
    assert!(sent_frames(&fx).is_empty(), "nothing new to read");

    // Read on another device: what came after stays unread.
    let mut later = message("m16", 16, "cat", "again");
    later.targets = vec!["ann".into()];
    state.apply(created(later), NOW);
    assert_eq!(state.unread(Some(&"cat".into())), (2, 0));
    state.apply(Input::Frame(ServerFrame::Read { with: Some("cat".into()), seq: 15 }), NOW);
    assert_eq!(state.unread(Some(&"cat".into())), (1, 0));
    assert_eq!(state.read_position(Some(&"cat".into())), 15);
    // Never backwards.
    state.apply(Input::Frame(ServerFrame::Read { with: Some("cat".into()), seq: 3 }), NOW);
    assert_eq!(state.read_position(Some(&"cat".into())), 15);
}

#[test]
fn on_resume_the_welcome_counted_what_is_replayed() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "seen live")), NOW);
    state.apply(Input::Connecting, NOW);
    let mut welcome = welcome("ann", Role::Participant, 3);
    if let ServerFrame::Welcome { reads, .. } = &mut welcome {
        *reads = vec![state_of(None, 0, 3, 0)];
    }
    state.apply(Input::Frame(welcome), NOW);
    state.apply(created(message("m2", 2, "bob", "replayed")), NOW);
    state.apply(created(message("m3", 3, "bob", "replayed")), NOW);
    assert_eq!(state.unread(None), (3, 0), "the welcome's count already holds them");
    state.apply(created(message("m4", 4, "bob", "live")), NOW);
    assert_eq!(state.unread(None), (4, 0));
}
