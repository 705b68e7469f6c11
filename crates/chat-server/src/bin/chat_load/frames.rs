//! What `chat-load` reads of the frames it receives: a few markers found by
//! position, not a JSON parse, since at 10,000 participants the generator
//! reads 200,000 frames a second on the same cores as the server.

/// What the generator reads of a frame. The frames come from serde_json (or
/// the relay anchor), unindented, with ids the generator minted itself.
#[derive(Debug, PartialEq)]
pub(crate) enum Seen<'a> {
    /// A `messageCreated` event, with the message's client id.
    Created(&'a str),
    /// An answer, with its request id.
    Ack(Option<u64>),
    Error,
    /// A typing notice or crowd.
    Typing,
    /// A `pollCreated` event, with the poll's id.
    PollCreated(&'a str),
    /// A poll's coalesced counts.
    Tally,
    Other,
}

/// The JSON string that follows `marker` in `text`.
fn string_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let at = text.find(marker)?;
    text[at + marker.len()..].split_once('"').map(|(value, _)| value)
}

pub(crate) fn seen(text: &str) -> Seen<'_> {
    const CLIENT_ID: &str = "\"clientId\":\"";
    const ACK: &str = "{\"type\":\"ack\",\"reqId\":";
    if let Some(rest) = text.strip_prefix(ACK) {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        Seen::Ack(rest[..digits].parse().ok())
    } else if text.starts_with("{\"type\":\"pollTally\"") {
        Seen::Tally
    } else if text.starts_with("{\"type\":\"event\"") && text.contains("\"kind\":\"pollCreated\"") {
        string_after(text, "\"poll\":{\"id\":\"").map_or(Seen::Other, Seen::PollCreated)
    } else if text.starts_with("{\"type\":\"error\"") {
        Seen::Error
    } else if text.starts_with("{\"type\":\"typing") {
        Seen::Typing
    } else if text.starts_with("{\"type\":\"event\"") && text.contains("\"kind\":\"messageCreated\"") {
        string_after(text, CLIENT_ID).map_or(Seen::Other, Seen::Created)
    } else {
        Seen::Other
    }
}

#[cfg(test)]
mod tests {
    use chat_protocol::{AckResult, ErrorCode, ErrorFrame, Event, EventEnvelope, ServerFrame};

    use super::*;

    #[test]
    fn the_markers_it_reads_are_where_serde_json_puts_them() {
        let message = chat_protocol::testing::text_message("m1", 7, "ann", "hi");
        let created = ServerFrame::Event(EventEnvelope { seq: 7, time: 1, event: Event::MessageCreated { message } });
        let text = serde_json::to_string(&created).expect("serializes");
        assert_eq!(seen(&text), Seen::Created("c-m1"));
        let ack = ServerFrame::Ack { req_id: 41, result: AckResult::Pong };
        assert_eq!(seen(&serde_json::to_string(&ack).expect("serializes")), Seen::Ack(Some(41)));
        let poll = chat_protocol::Poll {
            id: "p-1".into(),
            question: "Lunch?".into(),
            options: Vec::new(),
            anonymous: false,
            hide_votes: false,
            multiple: false,
            created_by: "Ann".into(),
            created_by_user_id: "ann".into(),
            voted: Vec::new(),
            chosen: Vec::new(),
            closed: false,
            time: 1,
        };
        let created = ServerFrame::Event(EventEnvelope { seq: 9, time: 1, event: Event::PollCreated { poll } });
        assert_eq!(seen(&serde_json::to_string(&created).expect("serializes")), Seen::PollCreated("p-1"));
        let tally = ServerFrame::PollTally(chat_protocol::PollTally { poll_id: "p-1".into(), options: Vec::new() });
        assert_eq!(seen(&serde_json::to_string(&tally).expect("serializes")), Seen::Tally);
        let error = ServerFrame::Error(ErrorFrame::new(Some(1), ErrorCode::RateLimited, "slow down"));
        assert_eq!(seen(&serde_json::to_string(&error).expect("serializes")), Seen::Error);
        let pin = ServerFrame::Event(EventEnvelope {
            seq: 8,
            time: 1,
            event: Event::MessagePinned { id: "m1".into(), by: "ann".into() },
        });
        assert_eq!(seen(&serde_json::to_string(&pin).expect("serializes")), Seen::Other);
        let notice =
            chat_protocol::TypingNotice { participant_id: "a".into(), display_name: "A".into(), targets: vec![] };
        let crowd = chat_protocol::TypingCrowd { named: Vec::new(), count: 3 };
        for typing in [ServerFrame::Typing(notice), ServerFrame::TypingCrowd(crowd)] {
            assert_eq!(seen(&serde_json::to_string(&typing).expect("serializes")), Seen::Typing);
        }
    }
}
