//! Typing: others' notices show in their conversation until they run out or
//! the typist's message arrives, in a large meeting as a crowd of a few names
//! and a count; this participant's own go out at most once per conversation
//! and interval, and again at once after a send.

mod support;

use chat_core::{Change, Effect, Input, Intent};
use chat_protocol::{rules, ClientFrame, ParticipantId, Role, ServerFrame, TypingCrowd, TypingNotice};
use support::*;

fn notice(from: &str, targets: &[&str]) -> Input {
    Input::Frame(ServerFrame::Typing(TypingNotice {
        participant_id: from.into(),
        display_name: format!("{from} name"),
        targets: targets.iter().map(|t| ParticipantId::from(*t)).collect(),
    }))
}

fn crowd(named: &[&str], count: u32) -> Input {
    let named = named
        .iter()
        .map(|id| TypingNotice {
            participant_id: ParticipantId::from(*id),
            display_name: format!("{id} name"),
            targets: Vec::new(),
        })
        .collect();
    Input::Frame(ServerFrame::TypingCrowd(TypingCrowd { named, count }))
}

fn typing_frames(fx: &[Effect]) -> Vec<Vec<ParticipantId>> {
    sent_frames(fx)
        .into_iter()
        .filter_map(|frame| match frame {
            ClientFrame::Typing { targets } => Some(targets.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_notice_shows_in_its_conversation_until_it_runs_out() {
    let mut state = joined("ann", Role::Participant, 0);
    let fx = state.apply(notice("bob", &[]), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Typing)));
    state.apply(notice("cat", &["ann"]), NOW);
    assert_eq!(state.typing(NOW), ["bob name"], "cat types in the private conversation, not this one");
    state.apply(Input::Intent(Intent::Join(Some("cat".into()))), NOW);
    assert_eq!(state.typing(NOW), ["cat name"]);
    state.apply(Input::Intent(Intent::Join(None)), NOW);

    // Renewed, it lasts from the renewal.
    let later = NOW + rules::TYPING_SHOWN_MS - 1;
    state.apply(notice("bob", &[]), later);
    assert_eq!(state.typing(NOW + rules::TYPING_SHOWN_MS), ["bob name"]);
    assert_eq!(state.typing_expires_at(), Some(NOW + rules::TYPING_SHOWN_MS), "cat's runs out first");
    let fx = state.apply(Input::Tick, later + rules::TYPING_SHOWN_MS);
    assert!(fx.contains(&Effect::Changed(Change::Typing)));
    assert!(state.typing(later + rules::TYPING_SHOWN_MS).is_empty());
    assert_eq!(state.typing_expires_at(), None);
}

#[test]
fn the_typists_message_ends_the_notice_and_a_disconnect_forgets_all() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(notice("bob", &[]), NOW);
    state.apply(notice("cat", &[]), NOW);
    let fx = state.apply(created(message("m1", 1, "bob", "done typing")), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Typing)));
    assert_eq!(state.typing(NOW), ["cat name"]);
    state.apply(Input::Disconnected { code: None }, NOW);
    assert!(state.typing(NOW).is_empty(), "after a disconnect no notice is known to hold");
}

#[test]
fn own_notices_go_at_most_once_per_interval_and_conversation() {
    let mut state = joined("ann", Role::Participant, 0);
    assert_eq!(typing_frames(&state.apply(Input::Intent(Intent::Typing), NOW)), vec![vec![]]);
    assert_eq!(state.typing_sent_at(), Some(NOW));
    for ms in [1, 1_000, rules::TYPING_INTERVAL_MS - 1] {
        assert!(typing_frames(&state.apply(Input::Intent(Intent::Typing), NOW + ms)).is_empty());
    }
    assert_eq!(typing_frames(&state.apply(Input::Intent(Intent::Typing), NOW + rules::TYPING_INTERVAL_MS)).len(), 1);

    // Another conversation is told at once, with its peer as the target.
    state.apply(Input::Intent(Intent::Join(Some("bob".into()))), NOW);
    let fx = state.apply(Input::Intent(Intent::Typing), NOW + rules::TYPING_INTERVAL_MS + 1);
    assert_eq!(typing_frames(&fx), vec![vec![ParticipantId::from("bob")]]);

    // After a send, the next keystroke tells the others again at once.
    send_text(&mut state, 1, "c1", "hello");
    assert_eq!(
        typing_frames(&state.apply(Input::Intent(Intent::Typing), NOW + rules::TYPING_INTERVAL_MS + 2)).len(),
        1
    );
}

#[test]
fn nothing_goes_out_while_disconnected() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(Input::Disconnected { code: None }, NOW);
    assert!(typing_frames(&state.apply(Input::Intent(Intent::Typing), NOW)).is_empty());
    assert_eq!(state.typing_sent_at(), None);
}

#[test]
fn a_crowd_names_a_few_counts_the_rest_and_replaces_the_last() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(notice("bob", &[]), NOW);
    state.apply(notice("cat", &["ann"]), NOW);
    let fx = state.apply(crowd(&["dan", "eve", "fay"], 40), NOW);
    assert!(fx.contains(&Effect::Changed(Change::Typing)));
    assert_eq!(state.typing(NOW), ["dan name", "eve name", "fay name"], "the crowd replaces bob's notice");
    assert_eq!(state.typing_count(NOW), 40);

    // Private conversations keep their own notices.
    state.apply(Input::Intent(Intent::Join(Some("cat".into()))), NOW);
    assert_eq!((state.typing(NOW), state.typing_count(NOW)), (vec!["cat name"], 1));
    state.apply(Input::Intent(Intent::Join(None)), NOW);

    // A named typist's message takes them out of the names and the count.
    state.apply(created(message("m1", 1, "eve", "asked")), NOW);
    assert_eq!((state.typing(NOW), state.typing_count(NOW)), (vec!["dan name", "fay name"], 39));

    // The next crowd replaces it; an empty one ends it.
    state.apply(crowd(&["fay"], 2), NOW + 500);
    assert_eq!((state.typing(NOW + 500), state.typing_count(NOW + 500)), (vec!["fay name"], 2));
    state.apply(crowd(&[], 0), NOW + 1_000);
    assert_eq!((state.typing(NOW + 1_000).len(), state.typing_count(NOW + 1_000)), (0, 0));
}

#[test]
fn a_crowd_runs_out_unless_renewed_and_a_disconnect_forgets_it() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(crowd(&["dan"], 12), NOW);
    assert_eq!(state.typing_expires_at(), Some(NOW + rules::TYPING_SHOWN_MS));
    let fx = state.apply(Input::Tick, NOW + rules::TYPING_SHOWN_MS);
    assert!(fx.contains(&Effect::Changed(Change::Typing)));
    assert_eq!(state.typing_count(NOW + rules::TYPING_SHOWN_MS), 0);
    assert_eq!(state.typing_expires_at(), None);

    state.apply(crowd(&["dan"], 12), NOW);
    let fx = state.apply(Input::Disconnected { code: None }, NOW);
    assert!(fx.contains(&Effect::Changed(Change::Typing)));
    assert_eq!(state.typing_count(NOW), 0);
}

#[test]
fn a_crowd_does_not_count_or_name_oneself() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(crowd(&["ann", "bob"], 5), NOW);
    assert_eq!((state.typing(NOW), state.typing_count(NOW)), (vec!["bob name"], 4), "named: ann is one of the five");

    // Counted but not named: this participant told the meeting it types.
    state.apply(Input::Intent(Intent::Typing), NOW);
    state.apply(crowd(&["bob", "cat", "dan"], 5), NOW + 500);
    assert_eq!(state.typing_count(NOW + 500), 4);
    // Long after their last notice they no longer count.
    let later = NOW + rules::TYPING_SHOWN_MS + 1;
    state.apply(crowd(&["bob", "cat", "dan"], 5), later);
    assert_eq!(state.typing_count(later), 5);
}
