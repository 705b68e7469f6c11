//! Property tests: any frame a client can build survives the wire unchanged,
//! and no input text makes the parser panic.

use chat_protocol::{parse_client_frame, ClientFrame, DeleteScope, NewContent, PrivateChatPolicy, SendPolicy};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn content() -> impl Strategy<Value = NewContent> {
    prop_oneof![
        any::<String>().prop_map(|text| NewContent::Text { text }),
        "[0-9a-f]{32}".prop_map(|id| NewContent::Image { file_id: id.into() }),
        "[0-9a-f]{32}".prop_map(|id| NewContent::File { file_id: id.into() }),
        "[0-9a-f]{32}".prop_map(|id| NewContent::Audio { file_id: id.into() }),
    ]
}

fn metadata() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(any::<String>(), any::<i64>(), 0..4)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
}

fn frame() -> impl Strategy<Value = ClientFrame> {
    prop_oneof![
        (any::<u32>(), any::<String>(), any::<Option<u64>>()).prop_map(|(v, token, last_seq)| ClientFrame::Auth {
            v,
            token,
            last_seq
        }),
        (
            any::<u64>(),
            any::<String>(),
            content(),
            any::<Option<String>>(),
            any::<Option<String>>(),
            prop::collection::vec(any::<String>(), 0..4),
            metadata(),
            metadata(),
            prop::collection::vec(any::<String>(), 0..3)
        )
            .prop_map(
                |(req_id, client_id, content, reply_to, forwarded_from, targets, metadata, details, files)| {
                    ClientFrame::Send {
                        req_id,
                        client_id: client_id.into(),
                        content,
                        reply_to: reply_to.map(Into::into),
                        forwarded_from: forwarded_from.map(Into::into),
                        targets: targets.into_iter().map(Into::into).collect(),
                        metadata,
                        details,
                        attachments: files.into_iter().map(Into::into).collect(),
                        as_sender: None,
                        mentions: Vec::new(),
                    }
                }
            ),
        (any::<u64>(), any::<String>(), content(), any::<Option<Vec<String>>>()).prop_map(
            |(req_id, id, content, keep)| ClientFrame::Edit {
                req_id,
                id: id.into(),
                content,
                attachments: keep.map(|files| files.into_iter().map(Into::into).collect())
            }
        ),
        (any::<u64>(), any::<String>(), any::<bool>()).prop_map(|(req_id, id, me)| ClientFrame::Delete {
            req_id,
            id: id.into(),
            scope: if me { DeleteScope::Me } else { DeleteScope::Everyone }
        }),
        (any::<u64>(), any::<Option<u64>>(), any::<u32>(), any::<Option<String>>()).prop_map(
            |(req_id, before, limit, with)| ClientFrame::History { req_id, before, limit, with: with.map(Into::into) }
        ),
        (any::<u64>(), any::<Option<String>>(), any::<Option<String>>(), any::<u32>())
            .prop_map(|(req_id, query, after, limit)| ClientFrame::Participants { req_id, query, after, limit }),
        (
            any::<u64>(),
            any::<Option<bool>>(),
            proptest::option::of(proptest::sample::select(SendPolicy::ALL.to_vec())),
            any::<Option<u32>>(),
            any::<Option<bool>>(),
            proptest::option::of(proptest::sample::select(PrivateChatPolicy::ALL.to_vec())),
        )
            .prop_map(|(req_id, anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat)| {
                ClientFrame::UpdateSettings {
                    req_id,
                    anyone_can_pin,
                    who_can_send,
                    slow_mode_secs,
                    read_receipts,
                    private_chat,
                }
            }),
        (any::<u64>(), any::<Option<String>>(), any::<u64>()).prop_map(|(req_id, with, seq)| ClientFrame::MarkRead {
            req_id,
            with: with.map(Into::into),
            seq
        }),
        (any::<u64>(), any::<String>(), any::<Option<u32>>()).prop_map(|(req_id, who, minutes)| ClientFrame::Mute {
            req_id,
            participant_id: who.into(),
            minutes
        }),
        (any::<u64>(), any::<String>())
            .prop_map(|(req_id, who)| ClientFrame::Unmute { req_id, participant_id: who.into() }),
        any::<u64>().prop_map(|req_id| ClientFrame::Ping { req_id }),
    ]
}

proptest! {
    #[test]
    fn client_frames_round_trip(frame in frame()) {
        let text = serde_json::to_string(&frame).expect("serialize");
        prop_assert_eq!(parse_client_frame(&text).expect("parse"), frame);
    }

    #[test]
    fn arbitrary_text_never_panics_the_parser(text in any::<String>()) {
        let _ = parse_client_frame(&text);
    }
}
