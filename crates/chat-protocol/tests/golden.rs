//! Golden JSON fixtures: each frame's wire form is pinned, so a change to the
//! protocol is a visible diff in `tests/fixtures/`, never an accident.
//!
//! Set `UPDATE_FIXTURES=1` to rewrite the files after an intended change.

use std::path::PathBuf;

use chat_protocol::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.json"))
}

/// Checks `value` serializes to the fixture, and the fixture parses back to `value`.
fn golden<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(name: &str, value: &T) {
    let path = fixture_path(name);
    let actual = serde_json::to_value(value).expect("serialize");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        // In the order the server writes members: a tag comes first, and the
        // client's reader requires it there.
        let pretty = serde_json::to_string_pretty(value).expect("pretty");
        std::fs::write(&path, pretty + "\n").expect("write fixture");
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expected: Value = serde_json::from_str(&text).expect("fixture is JSON");
    assert_eq!(actual, expected, "{name}: serialized form changed");
    let parsed: T = serde_json::from_str(&text).expect("fixture parses");
    assert_eq!(&parsed, value, "{name}: parsed form changed");
}

fn image_ref() -> FileRef {
    FileRef {
        id: "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7".into(),
        url: "/api/v1/files/3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7?exp=1795424400&sig=ab12".into(),
        name: "whiteboard.png".into(),
        size: 48_213,
        content_type: "image/png".into(),
        width: Some(1280),
        height: Some(720),
        blurhash: Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj".into()),
        thumbnail_url: Some("/api/v1/files/3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7/thumb?exp=1795424400&sig=cd34".into()),
    }
}

fn text_message() -> Message {
    Message {
        id: "9b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e".into(),
        client_id: "c-7f3e".into(),
        seq: 42,
        sender: Sender { id: "u-ada".into(), display_name: "Ada".into(), bot: false },
        time: 1_795_420_000_000,
        content: Content::Text { text: "Shall we start?".into() },
        reply_to: Some("1a2b3c".into()),
        forwarded_from: None,
        targets: vec!["u-bob".into()],
        metadata: json!({ "mood": "eager" }).as_object().cloned().unwrap_or_default(),
        details: Default::default(),
        attachments: Vec::new(),
        edited: true,
        edited_at: Some(1_795_420_005_000),
        pinned: false,
        reactions: Vec::new(),
        mentions: Vec::new(),
    }
}

#[test]
fn client_frames() {
    golden("client_auth", &ClientFrame::Auth { v: PROTOCOL_VERSION, token: "eyJ...".into(), last_seq: Some(41) });
    golden(
        "client_send_text",
        &ClientFrame::Send {
            req_id: 7,
            client_id: "c-7f3e".into(),
            content: NewContent::Text { text: "Shall we start?".into() },
            reply_to: Some("1a2b3c".into()),
            forwarded_from: None,
            targets: vec!["u-bob".into()],
            metadata: json!({ "mood": "eager" }).as_object().cloned().unwrap_or_default(),
            details: json!({ "kind": "greeting" }).as_object().cloned().unwrap_or_default(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        },
    );
    golden(
        "client_send_image",
        &ClientFrame::Send {
            req_id: 8,
            client_id: "c-8000".into(),
            content: NewContent::Image { file_id: "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7".into() },
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: Default::default(),
            details: Default::default(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        },
    );
    golden(
        "client_send_attachments",
        &ClientFrame::Send {
            req_id: 17,
            client_id: "c-8001".into(),
            content: NewContent::Text { text: "the whiteboard and the minutes".into() },
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: Default::default(),
            details: Default::default(),
            attachments: vec!["3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7".into(), "4a1b".into()],
            as_sender: None,
            mentions: Vec::new(),
        },
    );
    golden(
        "client_edit",
        &ClientFrame::Edit {
            req_id: 9,
            id: "9b1d".into(),
            content: NewContent::Text { text: "fixed".into() },
            attachments: Some(vec!["4a1b".into()]),
        },
    );
    golden("client_delete", &ClientFrame::Delete { req_id: 10, id: "9b1d".into(), scope: DeleteScope::Me });
    golden("client_pin", &ClientFrame::Pin { req_id: 11, id: "9b1d".into() });
    golden("client_unpin", &ClientFrame::Unpin { req_id: 12, id: "9b1d".into() });
    golden("client_history", &ClientFrame::History { req_id: 13, before: Some(42), limit: 50, with: None });
    golden(
        "client_history_private",
        &ClientFrame::History { req_id: 16, before: None, limit: 40, with: Some("u-bob".into()) },
    );
    golden(
        "client_update_settings",
        &ClientFrame::UpdateSettings {
            req_id: 14,
            anyone_can_pin: Some(true),
            who_can_send: Some(SendPolicy::Nobody),
            slow_mode_secs: Some(30),
            read_receipts: Some(true),
            private_chat: Some(PrivateChatPolicy::Hosts),
        },
    );
    golden("client_mute", &ClientFrame::Mute { req_id: 19, participant_id: "u-cy".into(), minutes: Some(10) });
    golden("client_remove", &ClientFrame::Remove { req_id: 21, participant_id: "u-dan".into(), delete_messages: true });
    golden("client_report", &ClientFrame::Report { req_id: 22, id: "9b1d".into(), reason: "spam link".into() });
    golden("client_dismiss_reports", &ClientFrame::DismissReports { req_id: 23, id: "9b1d".into() });
    golden("client_unmute", &ClientFrame::Unmute { req_id: 20, participant_id: "u-cy".into() });
    golden(
        "client_create_poll",
        &ClientFrame::CreatePoll {
            req_id: 24,
            question: "Early bird or night owl?".into(),
            options: vec!["Early bird".into(), "Night owl".into()],
            anonymous: true,
            hide_votes: false,
            multiple: false,
        },
    );
    golden("client_vote", &ClientFrame::Vote { req_id: 25, poll_id: "p-1".into(), options: vec![0, 2] });
    golden("client_close_poll", &ClientFrame::ClosePoll { req_id: 26, poll_id: "p-1".into() });
    golden(
        "client_participants",
        &ClientFrame::Participants {
            req_id: 17,
            query: Some("ada".into()),
            after: Some("bo\u{1f}u-bo".into()),
            limit: 50,
        },
    );
    golden("client_ping", &ClientFrame::Ping { req_id: 15 });
    golden("client_mark_read", &ClientFrame::MarkRead { req_id: 19, with: None, seq: 42 });
    golden(
        "client_search",
        &ClientFrame::Search { req_id: 18, query: "deploy friday".into(), before: Some(900), limit: 20, with: None },
    );
    golden("client_react", &ClientFrame::React { req_id: 16, id: "9b1d".into(), emoji: "👍".into() });
    golden("client_unreact", &ClientFrame::Unreact { req_id: 17, id: "9b1d".into(), emoji: "👍".into() });
    golden("client_typing", &ClientFrame::Typing { targets: Vec::new() });
    golden("client_typing_private", &ClientFrame::Typing { targets: vec!["u-bob".into()] });
}

/// A poll Ada asked, that Bob and Ada answered.
fn lunch_poll() -> Poll {
    let option = |text: &str, voters: &[(&str, &str)]| PollOption {
        text: text.into(),
        votes: voters.iter().map(|(id, name)| PollVote { id: (*id).into(), name: (*name).into() }).collect(),
        count: voters.len() as u32,
    };
    Poll {
        id: "p-1".into(),
        question: "Lunch?".into(),
        options: vec![
            option("Noodles", &[("u-bob", "Bob")]),
            option("Salad", &[("u-ada", "Ada")]),
            option("Later", &[]),
        ],
        anonymous: false,
        hide_votes: false,
        multiple: true,
        created_by: "Ada".into(),
        created_by_user_id: "u-ada".into(),
        voted: vec!["u-ada".into()],
        chosen: vec![1],
        closed: false,
        time: 1_795_420_120_000,
    }
}

/// The lunch poll's counts.
fn lunch_tally() -> PollTally {
    PollTally {
        poll_id: "p-1".into(),
        options: lunch_poll()
            .options
            .into_iter()
            .map(|o| PollOption { votes: o.votes, count: o.count, ..Default::default() })
            .collect(),
    }
}

#[test]
fn server_frames() {
    let ada = Participant { id: "u-ada".into(), display_name: "Ada".into(), role: Role::Host };
    let bobs_report = Report {
        message_id: "9b1d".into(),
        by: "u-bob".into(),
        by_name: "Bob".into(),
        reason: "spam link".into(),
        time: 1_795_420_100_000,
    };
    golden(
        "server_welcome",
        &ServerFrame::Welcome {
            v: 7,
            me: ada.clone(),
            meeting_id: "standup".into(),
            head_seq: 42,
            settings: MeetingSettings::default(),
            participant_count: 1,
            participants: vec![ada.clone()],
            limits: Limits::default(),
            reads: vec![
                ReadState { with: None, seq: 40, unread: 2, mentions: 1 },
                ReadState { with: Some("u-bob".into()), seq: 12, unread: 1, mentions: 0 },
            ],
            seen: vec![
                Seen { by: "u-bob".into(), private: false, seq: 41 },
                Seen { by: "u-bob".into(), private: true, seq: 12 },
            ],
            muted: vec![
                Mute { participant_id: "u-cy".into(), until: Some(1_795_420_600_000), removed: false },
                Mute { participant_id: "u-dan".into(), until: None, removed: true },
            ],
            reports: vec![bobs_report.clone()],
            polls: vec![lunch_poll()],
        },
    );
    golden(
        "server_event_poll_created",
        &ServerFrame::Event(EventEnvelope {
            seq: 54,
            time: 1_795_420_120_000,
            event: Event::PollCreated { poll: Poll { voted: Vec::new(), chosen: Vec::new(), ..lunch_poll() } },
        }),
    );
    golden(
        "server_event_poll_voted",
        &ServerFrame::Event(EventEnvelope {
            seq: 55,
            time: 1_795_420_130_000,
            event: Event::PollVoted { poll_id: "p-1".into(), options: vec![1] },
        }),
    );
    golden(
        "server_event_poll_closed",
        &ServerFrame::Event(EventEnvelope {
            seq: 56,
            time: 1_795_420_140_000,
            event: Event::PollClosed { by: "u-ada".into(), tally: lunch_tally() },
        }),
    );
    golden("server_poll_tally", &ServerFrame::PollTally(lunch_tally()));
    golden(
        "server_event_muted",
        &ServerFrame::Event(EventEnvelope {
            seq: 49,
            time: 1_795_420_000_000,
            event: Event::ParticipantMuted {
                participant_id: "u-cy".into(),
                until: Some(1_795_420_600_000),
                by: "u-ada".into(),
            },
        }),
    );
    golden(
        "server_event_removed",
        &ServerFrame::Event(EventEnvelope {
            seq: 51,
            time: 1_795_420_090_000,
            event: Event::ParticipantRemoved {
                participant_id: "u-dan".into(),
                by: "u-ada".into(),
                messages_deleted: true,
            },
        }),
    );
    golden(
        "server_event_reported",
        &ServerFrame::Event(EventEnvelope {
            seq: 52,
            time: 1_795_420_100_000,
            event: Event::MessageReported { report: bobs_report },
        }),
    );
    golden(
        "server_event_reports_dismissed",
        &ServerFrame::Event(EventEnvelope {
            seq: 53,
            time: 1_795_420_110_000,
            event: Event::ReportsDismissed { id: "9b1d".into(), by: "u-ada".into() },
        }),
    );
    golden(
        "server_event_unmuted",
        &ServerFrame::Event(EventEnvelope {
            seq: 50,
            time: 1_795_420_060_000,
            event: Event::ParticipantUnmuted { participant_id: "u-cy".into(), by: "u-ada".into() },
        }),
    );
    golden(
        "server_error_muted",
        &ServerFrame::Error(ErrorFrame {
            until: Some(1_795_420_600_000),
            ..ErrorFrame::new(Some(9), ErrorCode::Muted, "a host muted you in the chat for a while")
        }),
    );
    golden("server_seen", &ServerFrame::Seen(Seen { by: "u-cy".into(), private: false, seq: 42 }));
    golden("server_read", &ServerFrame::Read { with: Some("u-bob".into()), seq: 42 });
    golden(
        "server_event_created",
        &ServerFrame::Event(EventEnvelope {
            seq: 42,
            time: 1_795_420_000_000,
            event: Event::MessageCreated { message: text_message() },
        }),
    );
    let mut image = text_message();
    image.content = Content::Image { file: image_ref() };
    image.targets.clear();
    image.metadata.clear();
    image.edited = false;
    image.edited_at = None;
    image.reply_to = None;
    image.forwarded_from = Some("5e6f".into());
    golden(
        "server_event_image",
        &ServerFrame::Event(EventEnvelope { seq: 43, time: 1, event: Event::MessageEdited { message: image } }),
    );
    let mut tombstone = text_message();
    tombstone.content = Content::Deleted;
    tombstone.metadata.clear();
    golden("message_tombstone", &tombstone);
    let mut reacted = text_message();
    reacted.reactions =
        vec![Reaction { emoji: "👍".into(), count: 3, me: true }, Reaction { emoji: "🎉".into(), count: 1, me: false }];
    reacted.mentions = vec!["u-bob".into()];
    golden("message_reactions", &reacted);
    golden(
        "server_event_reaction",
        &ServerFrame::Event(EventEnvelope {
            seq: 49,
            time: 7,
            event: Event::ReactionUpdated {
                id: "9b1d".into(),
                emoji: "👍".into(),
                by: "u-bob".into(),
                added: true,
                count: 4,
            },
        }),
    );
    golden(
        "server_event_deleted",
        &ServerFrame::Event(EventEnvelope {
            seq: 44,
            time: 2,
            event: Event::MessageDeleted { id: "9b1d".into(), by: "u-ada".into() },
        }),
    );
    golden(
        "server_event_hidden",
        &ServerFrame::Event(EventEnvelope { seq: 45, time: 3, event: Event::MessageHidden { id: "9b1d".into() } }),
    );
    golden(
        "server_event_pinned",
        &ServerFrame::Event(EventEnvelope {
            seq: 46,
            time: 4,
            event: Event::MessagePinned { id: "9b1d".into(), by: "u-ada".into() },
        }),
    );
    golden(
        "server_event_unpinned",
        &ServerFrame::Event(EventEnvelope {
            seq: 47,
            time: 5,
            event: Event::MessageUnpinned { id: "9b1d".into(), by: "u-ada".into() },
        }),
    );
    golden(
        "server_event_settings",
        &ServerFrame::Event(EventEnvelope {
            seq: 48,
            time: 6,
            event: Event::SettingsChanged {
                settings: MeetingSettings {
                    anyone_can_pin: true,
                    who_can_send: SendPolicy::Hosts,
                    slow_mode_secs: 30,
                    read_receipts: true,
                    private_chat: PrivateChatPolicy::Nobody,
                },
            },
        }),
    );
    golden("server_reset", &ServerFrame::Reset { head_seq: 5000 });
    golden(
        "server_ack_sent",
        &ServerFrame::Ack {
            req_id: 7,
            result: AckResult::Sent {
                client_id: "c-7f3e".into(),
                id: "9b1d".into(),
                seq: 42,
                time: 1_795_420_000_000,
                modified: Vec::new(),
            },
        },
    );
    golden("server_ack_done", &ServerFrame::Ack { req_id: 9, result: AckResult::Done { seq: Some(43) } });
    golden(
        "server_ack_history",
        &ServerFrame::Ack { req_id: 13, result: AckResult::History { messages: vec![text_message()], has_more: true } },
    );
    golden(
        "server_ack_search",
        &ServerFrame::Ack { req_id: 18, result: AckResult::Search { messages: vec![text_message()], has_more: false } },
    );
    golden("server_ack_pong", &ServerFrame::Ack { req_id: 15, result: AckResult::Pong });
    golden(
        "server_error_rate_limited",
        &ServerFrame::Error(ErrorFrame {
            req_id: Some(7),
            code: ErrorCode::RateLimited,
            message: "too many text messages; retry in 1500 ms".into(),
            retry_after_ms: Some(1500),
            bucket: Some(RateBucket::Text),
            until: None,
        }),
    );
    golden(
        "server_typing",
        &ServerFrame::Typing(TypingNotice {
            participant_id: "u-ada".into(),
            display_name: "Ada".into(),
            targets: vec!["u-bob".into()],
        }),
    );
    golden(
        "server_typing_crowd",
        &ServerFrame::TypingCrowd(TypingCrowd {
            named: vec![TypingNotice {
                participant_id: "u-ada".into(),
                display_name: "Ada".into(),
                targets: Vec::new(),
            }],
            count: 41,
        }),
    );
    golden(
        "server_presence",
        &ServerFrame::Presence(PresenceDelta {
            joined: vec![ada.clone()],
            left: vec!["u-bob".into()],
            count: 7,
            complete: false,
        }),
    );
    golden("server_presence_count_only", &ServerFrame::Presence(PresenceDelta { count: 10_000, ..Default::default() }));
    golden(
        "server_ack_participants",
        &ServerFrame::Ack {
            req_id: 17,
            result: AckResult::Participants { participants: vec![ada], next: Some("ada\u{1f}u-ada".into()), count: 7 },
        },
    );
    golden(
        "server_error_slow_mode",
        &ServerFrame::Error(ErrorFrame {
            req_id: Some(8),
            code: ErrorCode::SlowMode,
            message: "slow mode is on; your next message is accepted in 7 s".into(),
            retry_after_ms: Some(7_000),
            bucket: None,
            until: None,
        }),
    );
    golden("server_rate_limit_reset", &ServerFrame::RateLimitReset { bucket: RateBucket::File });
}

#[test]
fn unknown_frame_types_and_fields_are_refused() {
    assert!(parse_client_frame(r#"{"type":"launch","reqId":1}"#).is_err());
    assert!(parse_client_frame(r#"{"type":"ping","reqId":1,"extra":true}"#).is_err());
    assert!(parse_client_frame(r#"{"type":"send","reqId":1,"clientId":"c","content":{"kind":"video","fileId":"f"}}"#)
        .is_err());
    assert!(parse_client_frame(r#"{"type":"delete","reqId":1,"id":"m","scope":"world"}"#).is_err());
}
