//! A meeting's moderation as the client holds it: with the chat off, private
//! messages allowed only to hosts or to nobody, or a mute, a send, a reaction
//! or a typing notice the server would refuse is refused at once, with the
//! server's code, and the composer learns why before the user types; a
//! removal drops the removed person's messages (or, for them, ends the
//! connection for good); reports open and close with their events.

mod support;

use chat_core::{ChatState, Draft, Effect, Input, Intent};
use chat_protocol::testing::{participant, text_message};
use chat_protocol::{
    ClientFrame, Event, MeetingSettings, Message, Mute, PresenceDelta, PrivateChatPolicy, Role, RuleViolation,
    SendPolicy, ServerFrame,
};
use support::*;

/// Ann, a participant, with Hal (a host) and Bob here, and a private message
/// from each of them in her timeline.
fn ann_with_a_host_and_bob() -> ChatState {
    let mut state = joined("ann", Role::Participant, 0);
    let joined = vec![participant("hal", Role::Host), participant("bob", Role::Participant)];
    state.apply(Input::Frame(ServerFrame::Presence(PresenceDelta { joined, count: 3, ..Default::default() })), NOW);
    let private =
        |id: &str, seq, from: &str| Message { targets: vec!["ann".into()], ..text_message(id, seq, from, "psst") };
    state.apply(created(private("from-hal", 1, "hal")), NOW);
    state.apply(created(private("from-bob", 2, "bob")), NOW);
    state
}

fn settle(state: &mut ChatState, seq: u64, settings: MeetingSettings) {
    state.apply(event(seq, Event::SettingsChanged { settings }), NOW);
}

fn send_to(state: &mut ChatState, op: u64, to: &str) -> Vec<Effect> {
    let draft = Draft { targets: vec![to.into()], ..Draft::text("hello") };
    state.apply(Input::Intent(Intent::Send { op, client_id: format!("c{op}").into(), draft }), NOW)
}

fn react(state: &mut ChatState, op: u64, id: &str) -> Vec<Effect> {
    state.apply(Input::Intent(Intent::React { op, id: id.into(), emoji: "👍".into(), add: true }), NOW)
}

fn refused(fx: &[Effect]) -> Option<&str> {
    match fx {
        [Effect::Reject { error, .. }] => Some(error.code.as_str()),
        _ => None,
    }
}

fn types(state: &mut ChatState, at: i64) -> bool {
    let fx = state.apply(Input::Intent(Intent::Typing), at);
    sent_frames(&fx).iter().any(|frame| matches!(frame, ClientFrame::Typing { .. }))
}

#[test]
fn with_private_messages_to_hosts_only_bob_is_out_of_reach_and_the_host_is_not() {
    let mut state = ann_with_a_host_and_bob();
    settle(&mut state, 3, MeetingSettings { private_chat: PrivateChatPolicy::Hosts, ..Default::default() });

    assert_eq!(refused(&send_to(&mut state, 1, "bob")), Some("private_chat_restricted"));
    assert_eq!(refused(&react(&mut state, 2, "from-bob")), Some("private_chat_restricted"));
    assert!(refused(&send_to(&mut state, 3, "hal")).is_none(), "a host may be messaged");
    assert!(refused(&react(&mut state, 4, "from-hal")).is_none());

    state.apply(Input::Intent(Intent::Join(Some("bob".into()))), NOW);
    let blocked = RuleViolation::PrivateChat { policy: PrivateChatPolicy::Hosts };
    assert_eq!(state.write_blocked_here(), Some(blocked), "the composer says so in Bob's conversation");
    assert!(!types(&mut state, NOW), "no typing notice where no message may go");
    state.apply(Input::Intent(Intent::Join(Some("hal".into()))), NOW);
    assert_eq!(state.write_blocked_here(), None);
    assert!(types(&mut state, NOW + 1));

    settle(&mut state, 4, MeetingSettings { private_chat: PrivateChatPolicy::Nobody, ..Default::default() });
    assert_eq!(refused(&send_to(&mut state, 5, "hal")), Some("private_chat_restricted"));
    state.apply(Input::Intent(Intent::Join(None)), NOW);
    assert_eq!(state.write_blocked_here(), None, "the meeting's conversation stays open");
}

#[test]
fn with_the_chat_off_a_participant_neither_sends_reacts_nor_types_and_a_host_does() {
    let mut state = ann_with_a_host_and_bob();
    let off = MeetingSettings { who_can_send: SendPolicy::Nobody, ..Default::default() };
    settle(&mut state, 3, off.clone());
    assert_eq!(state.write_blocked_here(), Some(RuleViolation::ChatOff));
    assert_eq!(refused(&send_text(&mut state, 1, "c1", "hello?")), Some("chat_off"));
    assert_eq!(refused(&react(&mut state, 2, "from-hal")), Some("chat_off"));
    assert!(!types(&mut state, NOW));

    let mut host = joined("hal", Role::Host, 0);
    settle(&mut host, 1, off);
    assert_eq!(host.write_blocked_here(), None);
    assert!(refused(&send_text(&mut host, 1, "c1", "back in five")).is_none());
    assert!(types(&mut host, NOW));
}

fn muted(seq: u64, who: &str, until: Option<i64>) -> Input {
    event(seq, Event::ParticipantMuted { participant_id: who.into(), until, by: "hal".into() })
}

#[test]
fn a_muted_participant_is_refused_at_once_with_until_and_free_again_when_it_ends_or_is_lifted() {
    let mut state = ann_with_a_host_and_bob();
    let fx = state.apply(muted(3, "ann", Some(NOW + 60_000)), NOW);
    assert!(fx.contains(&Effect::Changed(chat_core::Change::Mutes)));
    assert_eq!(state.muted_now(NOW), Some(RuleViolation::Muted { until: Some(NOW + 60_000) }));
    assert_eq!(state.send_blocked(NOW), Some(RuleViolation::Muted { until: Some(NOW + 60_000) }));
    assert_eq!(refused(&send_text(&mut state, 1, "c1", "hello?")), Some("muted"));
    assert_eq!(refused(&send_to(&mut state, 2, "hal")), Some("muted"));
    assert_eq!(refused(&react(&mut state, 3, "from-hal")), Some("muted"));
    assert!(!types(&mut state, NOW));

    assert_eq!(state.muted_now(NOW + 60_000), None, "a mute for a time ends by itself");
    assert!(types(&mut state, NOW + 60_000));

    state.apply(muted(4, "ann", None), NOW);
    assert_eq!(state.muted_now(i64::MAX), Some(RuleViolation::Muted { until: None }));
    let fx = state.apply(event(5, Event::ParticipantUnmuted { participant_id: "ann".into(), by: "hal".into() }), NOW);
    assert!(fx.contains(&Effect::Changed(chat_core::Change::Mutes)));
    assert_eq!(state.muted_now(NOW), None);
    assert!(refused(&send_text(&mut state, 5, "c5", "thanks")).is_none());
}

#[test]
fn a_hosts_welcome_lists_everyone_muted_and_only_hosts_mute_participants() {
    let mut host = ChatState::new();
    let mut frame = welcome("hal", Role::Host, 0);
    if let ServerFrame::Welcome { participants, participant_count, muted, .. } = &mut frame {
        participants.extend([participant("bob", Role::Participant), participant("hugo", Role::Host)]);
        *participant_count = 3;
        *muted = vec![Mute { participant_id: "bob".into(), until: None, removed: false }];
    }
    host.apply(Input::Frame(frame), NOW);
    assert_eq!(host.mutes(), [Mute { participant_id: "bob".into(), until: None, removed: false }]);
    assert_eq!(host.muted_now(NOW), None, "someone else's mute is not the host's");
    assert!(host.can_mute(&"bob".into()));
    assert!(!host.can_mute(&"hugo".into()), "never a host");
    assert!(!host.can_mute(&"hal".into()), "nor oneself");

    let mute = |state: &mut ChatState, op, who: &str, minutes| {
        state.apply(Input::Intent(Intent::Mute { op, participant: who.into(), minutes }), NOW)
    };
    assert_eq!(refused(&mute(&mut host, 1, "hugo", None)), Some("forbidden"), "never a host");
    assert_eq!(refused(&mute(&mut host, 2, "bob", Some(0))), Some("invalid_request"));
    let fx = mute(&mut host, 3, "bob", Some(10));
    let frames = sent_frames(&fx);
    assert!(matches!(frames[..], [ClientFrame::Mute { minutes: Some(10), .. }]), "{frames:?}");
    let fx = host.apply(Input::Intent(Intent::Unmute { op: 4, participant: "bob".into() }), NOW);
    assert!(matches!(sent_frames(&fx)[..], [ClientFrame::Unmute { .. }]));

    let mut ann = ann_with_a_host_and_bob();
    assert!(!ann.can_mute(&"bob".into()));
    assert_eq!(refused(&mute(&mut ann, 1, "bob", None)), Some("forbidden"), "participants do not mute");
}

#[test]
fn a_removal_with_messages_leaves_tombstones_of_theirs_only_and_a_removed_client_stays_away() {
    let mut state = ann_with_a_host_and_bob();
    state.apply(created(text_message("bob-1", 3, "bob", "spam")), NOW);
    state.apply(created(text_message("hal-1", 4, "hal", "stop that")), NOW);
    let removed = Event::ParticipantRemoved { participant_id: "bob".into(), by: "hal".into(), messages_deleted: true };
    let fx = state.apply(event(5, removed), NOW);
    let deleted = fx.iter().filter(|e| matches!(e, Effect::Changed(chat_core::Change::MessageDeleted { .. }))).count();
    assert_eq!(deleted, 2, "bob's private message and his message to everyone");
    let content = |id: &str| state.timeline().get(&id.into()).map(|m| m.content.clone());
    assert_eq!(content("bob-1"), Some(chat_protocol::Content::Deleted));
    assert_eq!(content("from-bob"), Some(chat_protocol::Content::Deleted));
    assert!(matches!(content("hal-1"), Some(chat_protocol::Content::Text { .. })));
    assert_eq!(state.mutes(), [Mute { participant_id: "bob".into(), until: None, removed: true }]);

    // Removed herself, Ann's client learns it from the close, fails what waited and does not come back.
    state.apply(Input::Disconnected { code: None }, NOW);
    send_text(&mut state, 9, "c9", "written offline");
    let fx = state.apply(Input::Disconnected { code: Some(chat_protocol::close_code::REMOVED) }, NOW);
    assert_eq!(state.connection(), chat_core::ConnectionState::Removed);
    assert_eq!(state.connection().as_str(), "removed");
    assert_eq!(refused(&fx[fx.len() - 1..]), Some("removed"), "the waiting send fails: {fx:?}");
    assert_eq!(refused(&send_text(&mut state, 10, "c10", "hello?")), Some("muted"), "and so does a new one");

    let mut host = joined("hal", Role::Host, 0);
    let remove = |state: &mut ChatState, op, who: &str| {
        state.apply(Input::Intent(Intent::Remove { op, participant: who.into(), delete_messages: true }), NOW)
    };
    assert!(matches!(
        sent_frames(&remove(&mut host, 1, "bob"))[..],
        [ClientFrame::Remove { delete_messages: true, .. }]
    ));
    let mut bob = joined("bob", Role::Participant, 0);
    assert_eq!(refused(&remove(&mut bob, 1, "ann")), Some("forbidden"), "participants do not remove");
}

#[test]
fn reports_are_checked_before_a_round_trip_and_closed_by_a_dismissal_or_a_deletion() {
    let mut state = ann_with_a_host_and_bob();
    state.apply(created(text_message("mine", 3, "ann", "my own")), NOW);
    let report = |state: &mut ChatState, op, id: &str, reason: &str| {
        state.apply(Input::Intent(Intent::Report { op, id: id.into(), reason: reason.into() }), NOW)
    };
    assert_eq!(refused(&report(&mut state, 1, "mine", "spam")), Some("invalid_request"), "never one's own");
    assert_eq!(refused(&report(&mut state, 2, "from-bob", " ")), Some("invalid_request"), "a reason is needed");
    let frames = report(&mut state, 3, "from-bob", " rude ");
    assert!(matches!(sent_frames(&frames)[..], [ClientFrame::Report { reason, .. }] if reason == "rude"));
    let dismiss = state.apply(Input::Intent(Intent::DismissReports { op: 4, id: "from-bob".into() }), NOW);
    assert_eq!(refused(&dismiss), Some("forbidden"), "participants do not dismiss");

    let report = |id: &str, reason: &str| Event::MessageReported {
        report: chat_protocol::Report {
            message_id: id.into(),
            by: "ann".into(),
            by_name: "Ann".into(),
            reason: reason.into(),
            time: NOW,
        },
    };
    let reported = report("from-bob", "rude");
    let fx = state.apply(event(4, reported), NOW);
    assert!(fx.contains(&Effect::Changed(chat_core::Change::Reports)));
    assert!(state.reported_by_me(&"from-bob".into()));
    state.apply(event(5, Event::MessageDeleted { id: "from-bob".into(), by: "bob".into() }), NOW);
    assert!(state.reports().is_empty(), "a deleted message's reports close");

    let mut host = joined("hal", Role::Host, 0);
    host.apply(created(text_message("m1", 1, "bob", "spam")), NOW);
    host.apply(event(2, report("m1", "spam")), NOW);
    assert_eq!(host.reports().len(), 1);
    let dismiss = host.apply(Input::Intent(Intent::DismissReports { op: 1, id: "m1".into() }), NOW);
    assert!(matches!(sent_frames(&dismiss)[..], [ClientFrame::DismissReports { .. }]));
    host.apply(event(3, Event::ReportsDismissed { id: "m1".into(), by: "hal".into() }), NOW);
    assert!(host.reports().is_empty());
}
