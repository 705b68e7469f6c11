//! Builders for tests on both sides (feature `testing`): messages, events
//! and welcomes as the server sends them, so no test suite keeps its own copy.

use crate::{
    Content, Event, EventEnvelope, Limits, MeetingSettings, Message, Participant, Role, Sender, Seq, ServerFrame,
};

/// When message number 1 was sent; message `seq` is `seq` seconds later.
pub const FIRST_MESSAGE_AT: i64 = 1_795_420_000_000;

/// The display name of participant `id` in tests: "ann" is "Ann".
pub fn name_of(id: &str) -> String {
    let mut chars = id.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A participant named after their id.
pub fn participant(id: &str, role: Role) -> Participant {
    Participant { id: id.into(), display_name: name_of(id), role }
}

/// Text message `id`, created at `seq` by `from`, to everyone; its client id is `c-{id}`.
pub fn text_message(id: &str, seq: Seq, from: &str, text: &str) -> Message {
    Message {
        id: id.into(),
        client_id: format!("c-{id}").into(),
        seq,
        sender: Sender { id: from.into(), display_name: name_of(from), bot: false },
        time: FIRST_MESSAGE_AT + seq as i64 * 1_000,
        content: Content::Text { text: text.into() },
        reply_to: None,
        forwarded_from: None,
        targets: Vec::new(),
        metadata: Default::default(),
        details: Default::default(),
        attachments: Vec::new(),
        edited: false,
        edited_at: None,
        pinned: false,
        reactions: Vec::new(),
        mentions: Vec::new(),
    }
}

/// The frame carrying `event` at `seq`.
pub fn event(seq: Seq, event: Event) -> ServerFrame {
    ServerFrame::Event(EventEnvelope { seq, time: FIRST_MESSAGE_AT, event })
}

/// The frame announcing `message`.
pub fn created(message: Message) -> ServerFrame {
    event(message.seq, Event::MessageCreated { message })
}

/// The welcome of `me` into meeting "standup" at `head_seq`, with `others` online too.
pub fn welcome(me: &str, role: Role, head_seq: Seq, others: &[&str]) -> ServerFrame {
    let mut participants = vec![participant(me, role)];
    participants.extend(others.iter().map(|id| participant(id, Role::Participant)));
    ServerFrame::Welcome {
        v: crate::PROTOCOL_VERSION,
        me: participant(me, role),
        meeting_id: "standup".into(),
        head_seq,
        settings: MeetingSettings::default(),
        participant_count: u32::try_from(participants.len()).unwrap_or(u32::MAX),
        participants,
        limits: Limits::default(),
        reads: Vec::new(),
        seen: Vec::new(),
        muted: Vec::new(),
        reports: Vec::new(),
        polls: Vec::new(),
    }
}
