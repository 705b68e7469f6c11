//! The rules' unit tests.

use serde_json::json;

use super::*;
use crate::{ErrorCode, Mute, ParticipantId, PrivateChatPolicy, SendPolicy};

fn person(id: &str, role: Role) -> Participant {
    Participant { id: id.into(), display_name: id.into(), role }
}

fn message_from(id: &str, content: Content) -> Message {
    Message { content, ..crate::testing::text_message("m1", 1, id, "") }
}

#[test]
fn text_is_limited_in_characters_not_bytes() {
    let limits = Limits::default();
    assert_eq!(check_text(&"é".repeat(4_000), 0, &limits), Ok(()));
    assert_eq!(check_text(&"a".repeat(4_001), 0, &limits), Err(RuleViolation::TextTooLong { len: 4_001, max: 4_000 }));
    assert_eq!(check_text("  \n", 0, &limits), Err(RuleViolation::EmptyText));
}

#[test]
fn attachments_may_stand_without_text_up_to_the_limit() {
    let limits = Limits::default();
    assert_eq!(check_text("", 1, &limits), Ok(()));
    assert_eq!(check_text("look", 10, &limits), Ok(()));
    assert_eq!(check_text("", 11, &limits), Err(RuleViolation::TooManyAttachments { count: 11, max: 10 }));
}

#[test]
fn metadata_is_limited_when_serialized() {
    let limits = Limits::default();
    let mut metadata = Map::new();
    metadata.insert("k".into(), json!("v"));
    assert_eq!(check_metadata(&metadata, &Map::new(), &limits), Ok(()));
    let mut details = Map::new();
    details.insert("d".into(), json!("x".repeat(4_080)));
    assert!(
        matches!(check_metadata(&metadata, &details, &limits), Err(RuleViolation::MetadataTooLarge { .. })),
        "details count with metadata"
    );
    metadata.insert("k".into(), json!("x".repeat(4_096)));
    assert!(matches!(check_metadata(&metadata, &Map::new(), &limits), Err(RuleViolation::MetadataTooLarge { .. })));
}

#[test]
fn only_the_author_edits_and_never_a_tombstone() {
    let text = Content::Text { text: "hi".into() };
    assert_eq!(may_edit(&person("ann", Role::Participant), &message_from("ann", text.clone())), Ok(()));
    assert_eq!(may_edit(&person("bob", Role::Host), &message_from("ann", text)), Err(RuleViolation::NotAuthor));
    let gone = message_from("ann", Content::Deleted);
    assert_eq!(may_edit(&person("ann", Role::Participant), &gone), Err(RuleViolation::Deleted));
}

#[test]
fn the_author_or_a_host_deletes_for_everyone() {
    let message = message_from("ann", Content::Text { text: "hi".into() });
    assert_eq!(may_delete_for_everyone(&person("ann", Role::Participant), &message), Ok(()));
    assert_eq!(may_delete_for_everyone(&person("bob", Role::Host), &message), Ok(()));
    let refused = may_delete_for_everyone(&person("bob", Role::Participant), &message);
    assert_eq!(refused.map_err(|v| v.code()), Err(ErrorCode::Forbidden));
}

#[test]
fn hosts_pin_unless_everyone_may() {
    let anyone = MeetingSettings { anyone_can_pin: true, ..MeetingSettings::default() };
    assert_eq!(
        may_pin(&person("bob", Role::Participant), &MeetingSettings::default()),
        Err(RuleViolation::PinNotAllowed)
    );
    assert_eq!(may_pin(&person("bob", Role::Participant), &anyone), Ok(()));
    assert_eq!(may_pin(&person("ann", Role::Host), &MeetingSettings::default()), Ok(()));
    assert_eq!(may_update_settings(&person("bob", Role::Participant)), Err(RuleViolation::NotHost));
}

#[test]
fn a_webinar_lets_hosts_and_apps_send_and_slows_only_participants() {
    let webinar = MeetingSettings { who_can_send: SendPolicy::Hosts, slow_mode_secs: 10, ..Default::default() };
    assert_eq!(may_send(&person("bob", Role::Participant), &webinar), Err(RuleViolation::HostsOnly));
    assert_eq!(may_send(&person("bob", Role::Participant), &MeetingSettings::default()), Ok(()));
    for role in [Role::Host, Role::Bot, Role::Service] {
        assert_eq!(may_send(&person("ann", role), &webinar), Ok(()));
        assert_eq!(check_slow_mode(&person("ann", role), &webinar, Some(1_000), 1_001), Ok(()));
    }
    let bob = person("bob", Role::Participant);
    assert_eq!(check_slow_mode(&bob, &webinar, None, 5_000), Ok(()), "a first message is never slowed");
    let refused = check_slow_mode(&bob, &webinar, Some(1_000), 4_000);
    assert_eq!(refused, Err(RuleViolation::SlowMode { wait_ms: 7_000 }));
    assert_eq!(refused.map_err(|v| (v.code(), v.retry_after_ms())), Err((ErrorCode::SlowMode, Some(7_000))));
    assert_eq!(check_slow_mode(&bob, &webinar, Some(1_000), 11_000), Ok(()));
    assert_eq!(check_slow_mode_secs(MAX_SLOW_MODE_SECS), Ok(()));
    assert!(check_slow_mode_secs(MAX_SLOW_MODE_SECS + 1).is_err());
}

#[test]
fn with_the_chat_off_only_hosts_and_apps_send_react_or_type() {
    let off = MeetingSettings { who_can_send: SendPolicy::Nobody, ..Default::default() };
    let webinar = MeetingSettings { who_can_send: SendPolicy::Hosts, ..Default::default() };
    let bob = person("bob", Role::Participant);
    assert_eq!(may_send(&bob, &off), Err(RuleViolation::ChatOff));
    assert_eq!(may_send(&bob, &off).map_err(|v| v.code()), Err(ErrorCode::ChatOff));
    assert_eq!(may_react(&bob, &off), Err(RuleViolation::ChatOff));
    assert_eq!(may_react(&bob, &webinar), Ok(()), "a webinar's audience still reacts");
    for role in [Role::Host, Role::Bot, Role::Service] {
        assert_eq!(may_send(&person("ann", role), &off), Ok(()));
        assert_eq!(may_react(&person("ann", role), &off), Ok(()));
    }
}

#[test]
fn a_muted_participant_is_held_until_the_mute_ends_and_only_hosts_mute_participants() {
    let bob = person("bob", Role::Participant);
    let for_a_while = Mute { participant_id: "bob".into(), until: Some(5_000), removed: false };
    let refused = check_not_muted(&bob, Some(&for_a_while), 4_999);
    assert_eq!(refused, Err(RuleViolation::Muted { until: Some(5_000) }));
    assert_eq!(refused.map_err(|v| v.code()), Err(ErrorCode::Muted));
    assert_eq!(check_not_muted(&bob, Some(&for_a_while), 5_000), Ok(()), "a mute for a time ends");
    let until_unmuted = Mute { participant_id: "bob".into(), until: None, removed: false };
    assert_eq!(check_not_muted(&bob, Some(&until_unmuted), i64::MAX), Err(RuleViolation::Muted { until: None }));
    assert_eq!(check_not_muted(&person("ann", Role::Host), Some(&until_unmuted), 0), Ok(()));

    let host = person("ann", Role::Host);
    assert_eq!(may_mute(&host, Some(Role::Participant), Some(10)), Ok(()));
    assert_eq!(may_mute(&host, None, None), Ok(()), "someone not here now may be muted");
    assert_eq!(may_mute(&bob, Some(Role::Participant), None), Err(RuleViolation::NotModerator));
    assert_eq!(may_mute(&host, Some(Role::Host), None), Err(RuleViolation::CannotMute));
    assert_eq!(may_mute(&host, Some(Role::Bot), None).map_err(|v| v.code()), Err(ErrorCode::Forbidden));
    assert_eq!(may_mute(&host, None, Some(0)), Err(RuleViolation::MuteTooLong { minutes: 0 }));
    let too_long = may_mute(&host, None, Some(MAX_MUTE_MINUTES + 1));
    assert_eq!(too_long.map_err(|v| v.code()), Err(ErrorCode::InvalidRequest));
    assert_eq!(may_unmute(&bob), Err(RuleViolation::NotModerator));
    assert_eq!(may_remove(&host, Some(Role::Participant)), Ok(()));
    assert_eq!(may_remove(&host, Some(Role::Service)), Err(RuleViolation::CannotMute));
    assert_eq!(may_remove(&bob, None), Err(RuleViolation::NotModerator));
    assert_eq!(may_remove(&person("modbot", Role::Bot), Some(Role::Participant)), Ok(()), "apps moderate too");
}

#[test]
fn a_report_names_a_reason_of_someone_elses_message() {
    let bob = person("bob", Role::Participant);
    assert_eq!(check_report(&bob, &"ann".into(), "  spam link "), Ok("spam link"));
    assert_eq!(check_report(&bob, &"bob".into(), "mine"), Err(RuleViolation::OwnMessage));
    assert_eq!(check_report(&bob, &"ann".into(), " "), Err(RuleViolation::ReportReason { len: 0 }));
    let long = "x".repeat(MAX_REPORT_REASON_CHARS + 1);
    let refused = check_report(&bob, &"ann".into(), &long).map_err(|v| v.code());
    assert_eq!(refused, Err(ErrorCode::InvalidRequest));
    assert_eq!(may_moderate(&bob), Err(RuleViolation::NotModerator));
}

#[test]
fn the_private_chat_policy_holds_participants_to_hosts_or_to_nobody() {
    let bob = person("bob", Role::Participant);
    let hosts = ["ann".into()];
    let is_host = |id: &ParticipantId| id.as_str() == "ann";
    let policy = |private_chat| MeetingSettings { private_chat, ..Default::default() };
    let everyone = policy(PrivateChatPolicy::Everyone);
    assert_eq!(may_chat_privately(&bob, &everyone, &["cy".into()], is_host), Ok(()));
    let only_hosts = policy(PrivateChatPolicy::Hosts);
    assert_eq!(may_chat_privately(&bob, &only_hosts, &hosts, is_host), Ok(()));
    let refused = may_chat_privately(&bob, &only_hosts, &["ann".into(), "cy".into()], is_host);
    assert_eq!(refused, Err(RuleViolation::PrivateChat { policy: PrivateChatPolicy::Hosts }));
    assert_eq!(refused.map_err(|v| v.code()), Err(ErrorCode::PrivateChatRestricted));
    let nobody = policy(PrivateChatPolicy::Nobody);
    let refused = may_chat_privately(&bob, &nobody, &hosts, is_host);
    assert_eq!(refused, Err(RuleViolation::PrivateChat { policy: PrivateChatPolicy::Nobody }));
    assert_eq!(may_chat_privately(&bob, &nobody, &[], is_host), Ok(()), "the meeting's conversation is not private");
    for role in [Role::Host, Role::Bot, Role::Service] {
        assert_eq!(may_chat_privately(&person("ann", role), &nobody, &["cy".into()], is_host), Ok(()));
    }
}

#[test]
fn a_display_name_is_trimmed_and_one_to_sixty_four_characters() {
    assert_eq!(check_display_name("  Ann  "), Ok("Ann"));
    assert_eq!(check_display_name(&"é".repeat(64)), Ok("é".repeat(64).as_str()), "characters, not bytes");
    assert_eq!(check_display_name("   "), Err(RuleViolation::DisplayName { len: 0 }));
    let long = check_display_name(&"x".repeat(65)).expect_err("too long");
    assert_eq!(
        (long.code(), long.to_string()),
        (ErrorCode::InvalidRequest, "a display name is 1 to 64 characters; this one is 65".to_owned())
    );
}

fn poll(multiple: bool) -> crate::Poll {
    crate::Poll {
        id: "p".into(),
        question: "Lunch?".into(),
        options: ["Noodles", "Salad", "Later"]
            .iter()
            .map(|text| crate::PollOption { text: (*text).into(), ..Default::default() })
            .collect(),
        anonymous: false,
        hide_votes: false,
        multiple,
        created_by: "Ada".into(),
        created_by_user_id: "ada".into(),
        voted: Vec::new(),
        chosen: Vec::new(),
        closed: false,
        time: 0,
    }
}

#[test]
fn hosts_and_apps_create_polls_of_two_to_ten_different_options() {
    let options = |n: usize| (0..n).map(|i| format!("option {i}")).collect::<Vec<_>>();
    let host = person("ada", Role::Host);
    assert_eq!(
        check_new_poll(&host, " Lunch? ", &[" Noodles ".into(), "Salad".into()]),
        Ok(("Lunch?".into(), vec!["Noodles".into(), "Salad".into()]))
    );
    assert!(check_new_poll(&person("bot", Role::Bot), "Lunch?", &options(10)).is_ok());
    let refused = check_new_poll(&person("bob", Role::Participant), "Lunch?", &options(2));
    assert_eq!(refused.map_err(|v| v.code()), Err(ErrorCode::Forbidden));
    assert_eq!(check_new_poll(&host, " ", &options(2)), Err(RuleViolation::PollQuestion { len: 0 }));
    let long = "q".repeat(MAX_POLL_QUESTION_CHARS + 1);
    assert_eq!(check_new_poll(&host, &long, &options(2)), Err(RuleViolation::PollQuestion { len: 501 }));
    assert_eq!(check_new_poll(&host, "Lunch?", &options(1)), Err(RuleViolation::PollOptionCount { count: 1 }));
    assert_eq!(check_new_poll(&host, "Lunch?", &options(11)), Err(RuleViolation::PollOptionCount { count: 11 }));
    assert_eq!(check_new_poll(&host, "Lunch?", &["a".into(), " ".into()]), Err(RuleViolation::PollOption { len: 0 }));
    let same = check_new_poll(&host, "Lunch?", &["Noodles".into(), " Noodles".into()]);
    assert_eq!(same, Err(RuleViolation::PollOptionTwice));
    assert_eq!(RuleViolation::PollOptionTwice.code(), ErrorCode::InvalidRequest);
}

#[test]
fn a_vote_chooses_options_of_an_open_poll_once() {
    let bob = person("bob", Role::Participant);
    assert_eq!(check_vote(&bob, &poll(false), &[1]), Ok(vec![1]));
    assert_eq!(check_vote(&bob, &poll(false), &[0, 1]), Err(RuleViolation::PollChoice), "one option only");
    assert_eq!(check_vote(&bob, &poll(true), &[2, 0]), Ok(vec![0, 2]), "several where allowed, in order");
    assert_eq!(check_vote(&bob, &poll(true), &[1, 1]), Err(RuleViolation::PollChoice), "an option twice");
    assert_eq!(check_vote(&bob, &poll(true), &[]), Err(RuleViolation::PollChoice), "nothing");
    assert_eq!(check_vote(&bob, &poll(false), &[3]), Err(RuleViolation::PollChoice), "an option it lacks");
    let voted = crate::Poll { voted: vec![bob.id.clone()], ..poll(false) };
    assert_eq!(check_vote(&bob, &voted, &[0]).map_err(|v| v.code()), Err(ErrorCode::AlreadyVoted));
    let closed = crate::Poll { closed: true, ..poll(false) };
    assert_eq!(check_vote(&bob, &closed, &[0]).map_err(|v| v.code()), Err(ErrorCode::PollClosed));
    assert_eq!(may_close_poll(&bob, &poll(false)), Err(RuleViolation::PollHostsOnly));
    assert_eq!(may_close_poll(&person("ada", Role::Host), &poll(false)), Ok(()));
    assert_eq!(may_close_poll(&person("ada", Role::Host), &closed), Err(RuleViolation::PollClosed));
}
