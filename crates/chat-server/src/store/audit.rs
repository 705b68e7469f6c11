//! The moderation audit trail, whatever the engine: who muted, removed, let
//! back, deleted, reported, dismissed or changed the chat's settings, whom
//! and when, read from the events those actions store anyway, so the trail
//! cannot disagree with what happened.

use chat_protocol::{MessageId, Mute, ParticipantId, Seq};

use super::columns::{read_event, Columns, EVENT_COLUMNS};
use super::events::{payload_of, EventKind, EventRecord};
use super::moderation::Removal;
use super::reports::Reported;
use super::StoreError;

/// The kinds of event the trail lists.
pub const AUDITED: [EventKind; 7] = [
    EventKind::Muted,
    EventKind::Unmuted,
    EventKind::Removed,
    EventKind::Deleted,
    EventKind::Reported,
    EventKind::Dismissed,
    EventKind::Settings,
];

/// The query both SQL engines run for a page of the trail, read with
/// [`read_audit_row`]; its placeholders (the meeting, the `seq` to start
/// after, how many) are the engine's.
pub fn audit_query([meeting, after, limit]: [&str; 3]) -> String {
    let kinds: Vec<String> = AUDITED.iter().map(|kind| format!("'{}'", kind.as_str())).collect();
    format!(
        "SELECT {EVENT_COLUMNS}, m.sender_id FROM events e \
         LEFT JOIN messages m ON m.meeting_id = e.meeting_id AND m.id = e.message_id \
         WHERE e.meeting_id = {meeting} AND e.seq > {after} AND e.kind IN ({}) ORDER BY e.seq LIMIT {limit}",
        kinds.join(", ")
    )
}

/// A row of [`audit_query`].
pub fn read_audit_row(row: &impl Columns) -> Result<AuditEntry, StoreError> {
    let (record, message) = read_event(row)?;
    audit_entry(record, message, row.optional_text("sender_id")?.map(ParticipantId))
}

/// One action of the trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its event's `seq`.
    pub seq: Seq,
    /// When (milliseconds since the Unix epoch).
    pub time: i64,
    /// What was done.
    pub action: EventKind,
    /// Who did it.
    pub by: ParticipantId,
    /// Whom it was done to: the muted, removed or let back, or the sender of
    /// the message deleted, reported or cleared of reports.
    pub participant: Option<ParticipantId>,
    /// The message it was about.
    pub message: Option<MessageId>,
    /// Until when a mute holds (`None`: until a host lifts it).
    pub until: Option<i64>,
    /// Whether a removal deleted every message of theirs.
    pub messages_deleted: bool,
    /// A report's reason.
    pub reason: Option<String>,
    /// The settings a host set, as JSON.
    pub settings: Option<String>,
}

/// The entry for an audited event, its message and that message's sender
/// (gone when a removal erased it).
pub fn audit_entry(
    record: EventRecord,
    message: Option<MessageId>,
    sender: Option<ParticipantId>,
) -> Result<AuditEntry, StoreError> {
    let EventRecord { seq, time, kind, actor, payload } = record;
    let mut entry = AuditEntry {
        seq,
        time,
        action: kind,
        by: actor,
        participant: sender,
        message,
        until: None,
        messages_deleted: false,
        reason: None,
        settings: None,
    };
    match kind {
        EventKind::Muted | EventKind::Unmuted => {
            let Mute { participant_id, until, .. } = payload_of(payload.as_deref(), "mute", seq)?;
            (entry.participant, entry.until) = (Some(participant_id), until);
        }
        EventKind::Removed => {
            let Removal { participant_id, messages_deleted } = payload_of(payload.as_deref(), "removal", seq)?;
            (entry.participant, entry.messages_deleted) = (Some(participant_id), messages_deleted);
        }
        EventKind::Reported => {
            let Reported { reason, .. } = payload_of(payload.as_deref(), "report", seq)?;
            entry.reason = Some(reason);
        }
        EventKind::Settings => entry.settings = payload,
        _ => {}
    }
    Ok(entry)
}
