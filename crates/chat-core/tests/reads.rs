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

#[test]
fn receipts_count_who_read_ones_own_message_in_its_conversation() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "ann", "to everyone")), NOW);
    let mut private = message("m2", 2, "ann", "to bob");
    private.targets = vec!["bob".into()];
    state.apply(created(private), NOW);
    let seen = |by: &str, private: bool, seq: u64| {
        Input::Frame(ServerFrame::Seen(chat_protocol::Seen { by: by.into(), private, seq }))
    };
    let fx = state.apply(seen("bob", false, 2), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Reads)));
    state.apply(seen("cat", false, 1), NOW);
    state.apply(seen("cat", true, 2), NOW);
    let of = |state: &chat_core::ChatState, id: &str| state.seen_by(state.timeline().get(&id.into()).expect("loaded"));
    assert_eq!(of(&state, "m1"), 2);
    assert_eq!(of(&state, "m2"), 0, "cat's private position is about cat's conversation, not bob's");
    state.apply(seen("bob", true, 2), NOW);
    assert_eq!(of(&state, "m2"), 1);
    let fx = state.apply(seen("bob", false, 1), NOW);
    assert!(fx.is_empty(), "never backwards");
}
