//! Presence frames keep the list and the count; pages of participants
//! resolve their operation; webinar settings refuse a send before it leaves.

mod support;

use chat_core::{Change, Effect, Input, Intent, Outcome};
use chat_protocol::testing::participant;
use chat_protocol::{
    AckResult, ClientFrame, Event, MeetingSettings, PresenceDelta, Role, RuleViolation, SendPolicy, ServerFrame,
};
use support::*;

fn presence(joined: &[&str], left: &[&str], count: u32, complete: bool) -> Input {
    Input::Frame(ServerFrame::Presence(PresenceDelta {
        joined: joined.iter().map(|id| participant(id, Role::Participant)).collect(),
        left: left.iter().map(|id| (*id).into()).collect(),
        count,
        complete,
    }))
}

fn listed(state: &chat_core::ChatState) -> Vec<&str> {
    let mut ids: Vec<&str> = state.participants().iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn presence_frames_apply_idempotently_and_a_complete_one_replaces_the_list() {
    let mut state = joined("ann", Role::Participant, 0);
    let fx = state.apply(presence(&["bob", "cat"], &[], 3, false), NOW);
    assert_eq!(fx, vec![Effect::Changed(Change::Participants)]);
    assert_eq!((listed(&state), state.participant_count()), (vec!["ann", "bob", "cat"], 3));
    // Told again, or told someone it never knew left: no harm.
    state.apply(presence(&["bob"], &["zed"], 3, false), NOW);
    assert_eq!(listed(&state), ["ann", "bob", "cat"]);
    assert!(state.knows_all_participants());

    // A large meeting: only the count moves.
    state.apply(presence(&[], &[], 900, false), NOW);
    assert_eq!((listed(&state).len(), state.participant_count()), (3, 900));
    assert!(!state.knows_all_participants());
    // Small again: the server relists everyone.
    state.apply(presence(&["ann", "dan"], &[], 2, true), NOW);
    assert_eq!((listed(&state), state.participant_count()), (vec!["ann", "dan"], 2));
    assert!(state.knows_all_participants());
}

#[test]
fn a_participants_page_resolves_its_operation() {
    let mut state = joined("ann", Role::Participant, 0);
    let intent = Intent::ListParticipants { op: 7, query: Some("bo".into()), after: None, limit: 20 };
    let fx = state.apply(Input::Intent(intent), NOW);
    let [ClientFrame::Participants { req_id, query, limit: 20, .. }] = &sent_frames(&fx)[..] else { panic!("{fx:?}") };
    assert_eq!(query.as_deref(), Some("bo"));
    let page = vec![participant("bob", Role::Participant)];
    let result =
        AckResult::Participants { participants: page.clone(), next: Some("bob\u{1f}bob".into()), count: 5_000 };
    let fx = state.apply(ack(*req_id, result), NOW);
    let expected = Outcome::Participants { participants: page, next: Some("bob\u{1f}bob".into()), count: 5_000 };
    assert_eq!(fx, vec![Effect::Resolve { op: 7, outcome: expected }]);
    assert_eq!(state.participant_count(), 5_000);
}

#[test]
fn a_webinar_refuses_a_participants_send_before_it_leaves() {
    let mut state = joined("ann", Role::Participant, 0);
    let webinar = MeetingSettings { who_can_send: SendPolicy::Hosts, ..MeetingSettings::default() };
    state.apply(event(1, Event::SettingsChanged { settings: webinar }), NOW);
    assert_eq!(state.send_blocked(NOW), Some(RuleViolation::HostsOnly));
    let fx = send_text(&mut state, 1, "c1", "may I?");
    assert!(matches!(&fx[..], [Effect::Reject { op: 1, error }] if error.code == "hosts_only" && !error.retryable));

    let slow = MeetingSettings { slow_mode_secs: 10, ..MeetingSettings::default() };
    state.apply(event(2, Event::SettingsChanged { settings: slow }), NOW);
    assert_eq!(state.send_blocked(NOW), None, "nothing sent yet");
    let (req, client_id) = send_request(&send_text(&mut state, 2, "c2", "first"));
    let sent =
        AckResult::Sent { client_id: client_id.into(), id: "m1".into(), seq: 3, time: NOW, modified: Vec::new() };
    state.apply(ack(req, sent), NOW);
    assert_eq!(state.send_blocked(NOW + 4_000), Some(RuleViolation::SlowMode { wait_ms: 6_000 }));
    let fx = send_text(&mut state, 3, "c3", "too soon");
    assert!(
        matches!(&fx[..], [Effect::Reject { op: 3, error }] if error.code == "slow_mode" && error.retry_after_ms == Some(10_000))
    );
    assert_eq!(state.send_blocked(NOW + 10_000), None);
}

#[test]
fn hosts_are_never_held_back() {
    let mut state = joined("hal", Role::Host, 0);
    let settings =
        MeetingSettings { who_can_send: SendPolicy::Hosts, slow_mode_secs: 60, ..MeetingSettings::default() };
    state.apply(event(1, Event::SettingsChanged { settings }), NOW);
    let (req, client_id) = send_request(&send_text(&mut state, 1, "c1", "welcome"));
    let sent =
        AckResult::Sent { client_id: client_id.into(), id: "m1".into(), seq: 2, time: NOW, modified: Vec::new() };
    state.apply(ack(req, sent), NOW);
    assert_eq!(state.send_blocked(NOW + 1), None);
}

#[test]
fn slow_mode_counts_from_ones_own_event_when_it_comes_before_the_ack() {
    let mut state = joined("ann", Role::Participant, 0);
    let slow = MeetingSettings { slow_mode_secs: 5, ..MeetingSettings::default() };
    state.apply(event(1, Event::SettingsChanged { settings: slow }), NOW);
    let (_, client_id) = send_request(&send_text(&mut state, 1, "c1", "first"));
    let mut stored = chat_protocol::testing::text_message("m1", 2, "ann", "first");
    stored.client_id = client_id.into();
    state.apply(created(stored), NOW + 100);
    assert_eq!(state.send_blocked(NOW + 1_100), Some(RuleViolation::SlowMode { wait_ms: 4_000 }));
}
