//! What `chat-load` reads of the frames it receives: a few markers found by
//! position, not a JSON parse, since at 10,000 participants the generator
//! reads 200,000 frames a second on the same cores as the server.

/// What the generator reads of a frame. The frames come from serde_json (or
/// the relay anchor), unindented, with ids the generator minted itself.
#[derive(Debug, PartialEq)]
pub(crate) enum Seen<'a> {
    /// A `messageCreated` event, with the message's client id.
    Created(&'a str),
    Ack,
    Error,
    /// A typing notice or crowd.
    Typing,
    Other,
}

pub(crate) fn seen(text: &str) -> Seen<'_> {
    const CLIENT_ID: &str = "\"clientId\":\"";
    if text.starts_with("{\"type\":\"ack\"") {
        Seen::Ack
    } else if text.starts_with("{\"type\":\"error\"") {
        Seen::Error
    } else if text.starts_with("{\"type\":\"typing") {
        Seen::Typing
    } else if text.starts_with("{\"type\":\"event\"") && text.contains("\"kind\":\"messageCreated\"") {
        text.find(CLIENT_ID)
            .map(|at| &text[at + CLIENT_ID.len()..])
            .and_then(|rest| rest.split_once('"'))
            .map_or(Seen::Other, |(id, _)| Seen::Created(id))
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
        let ack = ServerFrame::Ack { req_id: 1, result: AckResult::Pong };
        assert_eq!(seen(&serde_json::to_string(&ack).expect("serializes")), Seen::Ack);
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
