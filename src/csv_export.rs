//! CSV export of the loaded chat, with the seed API's columns (the
//! protocol's [`chat_protocol::chat_dump`]).

use chat_core::ChatState;
use chat_protocol::chat_dump::{iso_time, payload, COLUMNS};
use chat_protocol::MeetingId;

/// One CSV field: quoted (with quotes doubled) when it holds a comma, a
/// quote or a line break, as RFC 4180 says. Written here rather than with
/// the csv crate, which cost the wasm 8.5 KB for this one rule.
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn push_record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_field(out, field);
    }
    out.push('\n');
}

/// The loaded messages as CSV, oldest first, file links made absolute by
/// `link`. `sessionId` is empty: messages do not carry it over the wire; the
/// server's export link (`GET /api/v1/meetings/{id}/chat`) fills it.
pub fn export_csv(state: &ChatState, link: &dyn Fn(&str) -> String) -> String {
    let meeting = state.meeting().map_or("", MeetingId::as_str);
    let mut out = String::new();
    push_record(&mut out, COLUMNS);
    for message in state.timeline().iter() {
        let Some((kind, payload)) = payload(message, link) else { continue };
        let time = iso_time(message.time);
        push_record(
            &mut out,
            [
                message.id.as_str(),
                message.sender.id.as_str(),
                "",
                meeting,
                message.sender.display_name.as_str(),
                if message.pinned { "true" } else { "false" },
                if message.edited { "true" } else { "false" },
                kind,
                payload.as_str(),
                time.as_str(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use chat_core::Input;
    use chat_protocol::{testing, Content, Role};

    use super::*;

    // The csv crate and proptest are native dev-dependencies only.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The hand-written writer says what the csv crate would.
        #[test]
        fn records_are_written_as_the_csv_crate_writes_them(
            fields in proptest::collection::vec("[a-z\",\r\n é]{0,6}", 1..5)
        ) {
            let mut ours = String::new();
            push_record(&mut ours, fields.iter().map(String::as_str));
            let mut theirs = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
            theirs.write_record(&fields).expect("writes");
            let theirs = String::from_utf8(theirs.into_inner().expect("flushes")).expect("utf-8");
            proptest::prop_assume!(!(fields.len() == 1 && fields[0].is_empty()), "csv quotes a lone empty field");
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn rows_quote_commas_quotes_and_newlines() {
        let mut state = ChatState::new();
        state.apply(Input::Frame(testing::welcome("ann", Role::Host, 0, &[])), 0);
        let mut message = testing::text_message("m1", 1, "bob", "line one\nline, two");
        message.sender.display_name = "Bob, \"B\"".into();
        (message.time, message.edited, message.edited_at, message.pinned) = (0, true, Some(1), true);
        state.apply(Input::Frame(testing::created(message)), 0);
        let csv = export_csv(&state, &|url| format!("https://chat.test{url}"));
        assert_eq!(
            csv,
            "id,participantId,sessionId,meetingId,displayName,pinned,isEdited,payloadType,payload,createdAt\n\
             m1,bob,,standup,\"Bob, \"\"B\"\"\",true,true,TEXT_MESSAGE,\"line one\nline, two\",1970-01-01T00:00:00.000Z\n"
        );
    }

    #[test]
    fn payload_types_are_the_seeds_enum_links_are_absolute_and_erased_messages_are_left_out() {
        let mut state = ChatState::new();
        state.apply(Input::Frame(testing::welcome("ann", Role::Host, 0, &[])), 0);
        let file = |name: &str| chat_protocol::FileRef {
            id: "f1".into(),
            url: format!("/api/v1/files/{name}?sig=1"),
            name: name.into(),
            size: 3,
            content_type: "application/pdf".into(),
            width: None,
            height: None,
            blurhash: None,
            thumbnail_url: None,
        };
        let mut image = testing::text_message("m1", 1, "bob", "");
        image.content = Content::Image { file: file("cat.png") };
        let mut document = testing::text_message("m2", 2, "bob", "");
        document.content = Content::File { file: file("notes.pdf") };
        let mut erased = testing::text_message("m3", 3, "bob", "");
        erased.content = Content::Deleted;
        for message in [image, document, erased] {
            state.apply(Input::Frame(testing::created(message)), 0);
        }
        let csv = export_csv(&state, &|url| format!("https://chat.test{url}"));
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(rows[0].contains(",IMAGE_MESSAGE,https://chat.test/api/v1/files/cat.png?sig=1,"), "{}", rows[0]);
        assert!(
            rows[1].contains(",FILE_MESSAGE,notes.pdf (3 bytes) https://chat.test/api/v1/files/notes.pdf?sig=1,"),
            "{}",
            rows[1]
        );
    }
}
