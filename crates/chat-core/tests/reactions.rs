//! Reactions: counts follow `reactionUpdated` events, this participant's
//! own are marked, and a copy of the message passed on to everyone keeps
//! those marks; intents are checked before they leave.

mod support;

use chat_core::{Change, Effect, Input, Intent};
use chat_protocol::{ClientFrame, Event, Limits, Reaction, Role};
use support::*;

fn reaction(seq: u64, emoji: &str, by: &str, added: bool, count: u32) -> Input {
    event(seq, Event::ReactionUpdated { id: "m1".into(), emoji: emoji.into(), by: by.into(), added, count })
}

fn reactions(state: &chat_core::ChatState) -> Vec<(String, u32, bool)> {
    let message = state.timeline().get(&"m1".into()).expect("m1");
    message.reactions.iter().map(|r| (r.emoji.clone(), r.count, r.me)).collect()
}

#[test]
fn counts_follow_the_events_and_mine_are_marked() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "hi")), NOW);
    let fx = state.apply(reaction(2, "👍", "bob", true, 1), NOW);
    assert!(fx.iter().any(|e| matches!(e, Effect::Changed(Change::Reacted { index: 0, added: true, .. }))));
    state.apply(reaction(3, "👍", "ann", true, 2), NOW);
    state.apply(reaction(4, "🎉", "cat", true, 1), NOW);
    assert_eq!(reactions(&state), [("👍".into(), 2, true), ("🎉".into(), 1, false)]);
    state.apply(reaction(5, "👍", "ann", false, 1), NOW);
    state.apply(reaction(6, "🎉", "cat", false, 0), NOW);
    assert_eq!(reactions(&state), [("👍".into(), 1, false)], "a count of 0 takes the emoji off");
    // A replayed event changes nothing.
    assert!(state.apply(reaction(6, "🎉", "cat", true, 1), NOW).is_empty());
}

#[test]
fn an_edit_passed_on_to_everyone_keeps_my_marks() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "hi")), NOW);
    state.apply(reaction(2, "👍", "ann", true, 1), NOW);
    let mut edited = message("m1", 1, "bob", "hi, edited");
    edited.reactions = vec![Reaction { emoji: "👍".into(), count: 1, me: false }];
    state.apply(event(3, Event::MessageEdited { message: edited }), NOW);
    assert_eq!(reactions(&state), [("👍".into(), 1, true)]);
}

#[test]
fn intents_are_checked_before_they_leave() {
    let mut state = joined("ann", Role::Participant, 0);
    let limits = Limits::default();
    let mut full = message("m1", 1, "bob", "hi");
    full.reactions = (0..limits.max_reactions_per_message)
        .map(|i| Reaction { emoji: char::from_u32(0x1F600 + i as u32).unwrap().to_string(), count: 1, me: false })
        .collect();
    state.apply(created(full), NOW);
    let react = |emoji: &str, add| Input::Intent(Intent::React { op: 1, id: "m1".into(), emoji: emoji.into(), add });
    let refused = |fx: &[Effect]| match fx {
        [Effect::Reject { error, .. }] => error.code.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(refused(&state.apply(react("lol", true), NOW)), "invalid_request");
    assert_eq!(refused(&state.apply(react("🦀", true), NOW)), "too_many_reactions");
    let fx = state.apply(react("😀", true), NOW);
    assert!(
        matches!(sent_frames(&fx)[..], [ClientFrame::React { emoji, .. }] if emoji == "😀"),
        "a known one still may"
    );
    let fx = state.apply(react("😀", false), NOW);
    assert!(matches!(sent_frames(&fx)[..], [ClientFrame::Unreact { .. }]));
    let missing = Input::Intent(Intent::React { op: 2, id: "nope".into(), emoji: "👍".into(), add: true });
    assert_eq!(refused(&state.apply(missing, NOW)), "not_found");
}
