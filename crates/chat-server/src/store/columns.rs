//! SQL both engines share: the columns their readers expect, and the
//! conditions they filter by. Their SQL differs only in placeholders.

/// The columns a message reader reads, from [`MESSAGE_FROM`].
pub const MESSAGE_COLUMNS: &str = "m.id AS id, m.client_id AS client_id, m.seq AS seq, m.sender_id AS sender_id, \
    m.sender_bot AS sender_bot, \
    m.sender_name AS sender_name, m.time AS time, m.kind AS kind, m.text AS text, m.reply_to AS reply_to, \
    m.forwarded_from AS forwarded_from, m.targets AS targets, m.metadata AS metadata, m.details AS details, \
    m.mentions AS mentions, \
    m.edited_at AS edited_at, \
    m.pinned AS pinned, m.deleted AS deleted, f.id AS file_id, f.name AS file_name, f.size AS file_size, \
    f.content_type AS file_content_type, f.width AS file_width, f.height AS file_height, f.blurhash AS file_blurhash";

/// Messages with their files.
pub const MESSAGE_FROM: &str = "messages m LEFT JOIN files f ON f.id = m.file_id";

/// The columns a file reader reads.
pub const FILE_COLUMNS: &str =
    "id, meeting_id, uploader_id, name, size, content_type, width, height, blurhash, created_at";

/// Holds for a file (`f`) no message refers to, as its own file or an attachment.
pub const UNREFERENCED: &str = "NOT EXISTS (SELECT 1 FROM messages m WHERE m.file_id = f.id) \
     AND NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.file_id = f.id)";

/// Holds for a message (`m`) the participant bound at `viewer` may see and
/// has not hidden; with a participant bound at `with` (or NULL for none),
/// only when it belongs to the private conversation with them. `with` is
/// written as the engine needs it typed (`?5`, `$5::TEXT`).
pub fn visible(viewer: &str, with: &str) -> String {
    format!(
        "(m.targets = '[]' OR m.sender_id = {viewer} OR EXISTS \
              (SELECT 1 FROM message_targets t WHERE t.message_id = m.id AND t.participant_id = {viewer})) \
         AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.message_id = m.id AND h.participant_id = {viewer}) \
         AND ({with} IS NULL OR (m.targets != '[]' AND (m.sender_id = {with} OR EXISTS \
              (SELECT 1 FROM message_targets p WHERE p.message_id = m.id AND p.participant_id = {with}))))"
    )
}

/// The conversation a message counts in for a reader who did not send it
/// (its sender's private one, or the meeting's as `''`), as
/// [`chat_protocol::Message::read_in`] splits them.
const READ_IN: &str = "CASE WHEN m.targets = '[]' THEN '' ELSE m.sender_id END";

/// Per conversation (`peer`, `''` for the meeting's): how many messages the
/// reader bound at `reader` may see, from others, after their read position
/// there (or where they joined, bound at `joined`), and how many of those
/// mention them (`mention` binds [`mention_pattern`] of the reader).
pub fn unread_by_conversation(meeting: &str, reader: &str, joined: &str, mention: &str, untyped_null: &str) -> String {
    format!(
        "SELECT {READ_IN} AS peer, count(*) AS unread, \
         sum(CASE WHEN m.mentions LIKE {mention} ESCAPE '!' THEN 1 ELSE 0 END) AS mentions \
         FROM messages m WHERE m.meeting_id = {meeting} AND m.seq > {joined} AND m.sender_id != {reader} \
         AND NOT m.deleted AND m.seq > coalesce((SELECT r.seq FROM read_marks r WHERE r.meeting_id = {meeting} \
             AND r.participant_id = {reader} AND r.peer = {READ_IN}), {joined}) \
         AND {} GROUP BY {READ_IN}",
        visible(reader, untyped_null)
    )
}

/// The `LIKE` pattern (escaped with `!`) matching a JSON list of ids that holds `reader`.
pub fn mention_pattern(reader: &chat_protocol::ParticipantId) -> String {
    let escaped = reader.as_str().replace('!', "!!").replace('%', "!%").replace('_', "!_");
    format!("%\"{escaped}\"%")
}
