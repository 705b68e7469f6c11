//! The row changes the core announces keep a copy of the list in step, and
//! a message keeps its key from local echo to confirmed message.

mod support;

use chat_core::{Change, ChatState, Effect, Input, Intent, MessageKey};
use chat_protocol::{AckResult, Event, Role};
use proptest::prelude::*;
use support::*;

/// A face's copy of the list: keys by row, kept only from announced changes.
fn follow(shadow: &mut Vec<MessageKey>, state: &ChatState, effects: &[Effect]) {
    for effect in effects {
        let Effect::Changed(change) = effect else { continue };
        match change {
            Change::MessageAdded { key, index } | Change::EchoAdded { key, index } => {
                shadow.insert(*index, key.clone())
            }
            Change::MessageUpdated { key, index }
            | Change::MessageEdited { key, index }
            | Change::MessageDeleted { key, index }
            | Change::Pinned { key, index }
            | Change::Unpinned { key, index }
            | Change::EchoUpdated { key, index } => assert_eq!(&shadow[*index], key, "{change:?}"),
            Change::MessageRemoved { key, index, .. } | Change::EchoDiscarded { key, index } => {
                assert_eq!(shadow.remove(*index), *key, "{change:?}")
            }
            Change::EchoConfirmed { key, from, index, .. } => {
                assert_eq!(shadow.remove(*from), *key, "{change:?}");
                shadow.insert(*index, key.clone());
            }
            Change::PageLoaded { inserted, .. } => {
                for index in inserted {
                    shadow.insert(*index, state.row_key(state.row(*index).expect("the new row")));
                }
            }
            Change::TimelineReset => *shadow = keys(state),
            Change::Forgotten { count } => {
                shadow.drain(..*count);
            }
            _ => {}
        }
    }
}

fn keys(state: &ChatState) -> Vec<MessageKey> {
    (0..state.row_count()).map(|i| state.row_key(state.row(i).expect("a row"))).collect()
}

#[test]
fn a_message_keeps_its_key_from_echo_to_confirmation_in_either_order() {
    for ack_first in [true, false] {
        let mut state = joined("ann", Role::Participant, 0);
        let (req, _) = send_request(&send_text(&mut state, 1, "c1", "hello"));
        assert_eq!(keys(&state), [local("c1")]);
        let mut confirmed = message("m1", 1, "ann", "hello");
        confirmed.client_id = "c1".into();
        let sent = AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() };
        if ack_first {
            state.apply(ack(req, sent.clone()), NOW);
        }
        state.apply(created(confirmed), NOW);
        state.apply(ack(req, sent), NOW);
        assert_eq!(keys(&state), [local("c1")], "ack first: {ack_first}");
        assert_eq!(state.row_index(&local("c1")), Some(0));
    }
}

#[test]
fn forgetting_keeps_the_newest_and_pages_bring_the_rest_back() {
    let mut state = joined("ann", Role::Participant, 0);
    for seq in 1..=5 {
        state.apply(created(message(&format!("m{seq}"), seq, "bob", "hi")), NOW);
    }
    let fx = state.apply(Input::Intent(Intent::Forget { keep: 2 }), NOW);
    assert_eq!(fx, [Effect::Changed(Change::Forgotten { count: 3 })]);
    let ids: Vec<&str> = state.timeline().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m4", "m5"]);
    assert!(state.has_more());
    let fx = state.apply(Input::Intent(Intent::LoadOlder { op: 1, limit: 10, with: None }), NOW);
    let asked = fx.iter().find_map(|e| match e {
        Effect::Send(chat_protocol::ClientFrame::History { before, .. }) => Some(*before),
        _ => None,
    });
    assert_eq!(asked, Some(Some(4)), "the page reaches below the oldest kept");
    assert!(state.apply(Input::Intent(Intent::Forget { keep: 2 }), NOW).is_empty(), "nothing more to let go of");
}

/// One thing that can happen to a meeting's list.
#[derive(Clone, Debug)]
enum Step {
    FromBob,
    Send,
    AckOldest,
    EventForOldest,
    Hide(usize),
    Delete(usize),
    Pin(usize),
    Discard,
    OlderPage(u8),
    Forget(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::FromBob),
        3 => Just(Step::Send),
        2 => Just(Step::AckOldest),
        2 => Just(Step::EventForOldest),
        1 => (0..20_usize).prop_map(Step::Hide),
        1 => (0..20_usize).prop_map(Step::Delete),
        1 => (0..20_usize).prop_map(Step::Pin),
        1 => Just(Step::Discard),
        1 => (1..5_u8).prop_map(Step::OlderPage),
        1 => (0..6_usize).prop_map(Step::Forget),
    ]
}

proptest! {
    #[test]
    fn announced_row_changes_rebuild_the_list(steps in proptest::collection::vec(step(), 1..40)) {
        // Start at seq 1,000 so older pages have room below.
        let mut state = ChatState::new();
        let fx = state.apply(Input::Frame(welcome("ann", Role::Participant, 1_000)), NOW);
        let first = history_request(&fx).expect("the newest page is asked for");
        state.apply(ack(first, AckResult::History { messages: Vec::new(), has_more: true }), NOW);
        let mut shadow = keys(&state);
        let mut seq = 1_000;
        let mut oldest = 1_000;
        let mut sends: Vec<(u64, String)> = Vec::new();
        let mut next_client = 0;
        for step in steps {
            let effects = match step {
                Step::FromBob => {
                    seq += 1;
                    state.apply(created(message(&format!("m{seq}"), seq, "bob", "hi")), NOW)
                }
                Step::Send => {
                    next_client += 1;
                    let client_id = format!("c{next_client}");
                    let fx = send_text(&mut state, next_client, &client_id, "mine");
                    let (req, _) = send_request(&fx);
                    sends.push((req, client_id));
                    fx
                }
                Step::AckOldest | Step::EventForOldest if !sends.is_empty() => {
                    let (req, client_id) = sends.remove(0);
                    seq += 1;
                    let id = format!("m{seq}");
                    if matches!(step, Step::AckOldest) {
                        let sent = AckResult::Sent { client_id: client_id.as_str().into(), id: id.as_str().into(), seq, time: NOW , modified: Vec::new()};
                        state.apply(ack(req, sent), NOW)
                    } else {
                        let mut own = message(&id, seq, "ann", "mine");
                        own.client_id = client_id.as_str().into();
                        state.apply(created(own), NOW)
                    }
                }
                Step::Hide(i) | Step::Delete(i) | Step::Pin(i) if !state.timeline().is_empty() => {
                    let id = state.timeline().at(i % state.timeline().len()).expect("a message").id.clone();
                    seq += 1;
                    let event = match step {
                        Step::Hide(_) => Event::MessageHidden { id },
                        Step::Delete(_) => Event::MessageDeleted { id, by: "bob".into() },
                        _ => Event::MessagePinned { id, by: "bob".into() },
                    };
                    state.apply(support::event(seq, event), NOW)
                }
                Step::Discard => match state.echoes().first().map(|e| e.client_id.clone()) {
                    Some(client_id) => {
                        sends.retain(|(_, c)| c.as_str() != client_id.as_str());
                        state.apply(Input::Intent(Intent::Discard { client_id }), NOW)
                    }
                    None => Vec::new(),
                },
                Step::OlderPage(count) => {
                    let fx = state.apply(Input::Intent(Intent::LoadOlder { op: 99, limit: 10, with: None }), NOW);
                    match history_request(&fx) {
                        Some(req) => {
                            let page = (0..u64::from(count)).map(|k| {
                                let s = oldest - 1 - k;
                                message(&format!("old{s}"), s, "bob", "old")
                            }).rev().collect();
                            oldest -= u64::from(count);
                            state.apply(ack(req, AckResult::History { messages: page, has_more: true }), NOW)
                        }
                        None => panic!("older pages exist: {fx:?}"),
                    }
                }
                Step::Forget(keep) => state.apply(Input::Intent(Intent::Forget { keep }), NOW),
                _ => Vec::new(),
            };
            follow(&mut shadow, &state, &effects);
            prop_assert_eq!(&shadow, &keys(&state));
        }
    }
}
