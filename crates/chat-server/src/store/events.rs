//! Stored events as every engine keeps them: a kind, the message it is
//! about, who did it, and a payload for settings. Events are stored without
//! bodies; [`build_event`] makes the deliverable event from the message's
//! current state, so a body deleted for everyone is gone from every event.

use chat_protocol::{Event, EventEnvelope, Message, Mute, ParticipantId, Report, Seq};

use super::moderation::Removal;
use super::polls::Voted;
use super::reports::Reported;
use super::{Audience, StoreError, StoredEvent};

/// What a stored event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A message was created.
    Created,
    /// A message was edited.
    Edited,
    /// A message was deleted for everyone.
    Deleted,
    /// A message was deleted for its actor only.
    Hidden,
    /// A message was pinned.
    Pinned,
    /// A message was unpinned.
    Unpinned,
    /// The meeting's settings changed (the payload holds them).
    Settings,
    /// Someone reacted to a message (the payload holds the emoji).
    Reacted,
    /// Someone took a reaction off (the payload holds the emoji).
    Unreacted,
    /// A host muted a participant (the payload holds whom, until when).
    Muted,
    /// A host lifted a participant's mute or removal (the payload holds whom).
    Unmuted,
    /// A host removed a participant from the chat (the payload holds whom,
    /// and whether their messages went too).
    Removed,
    /// Someone reported a message (the payload holds why, and the reporter's name).
    Reported,
    /// A host dismissed a message's reports.
    Dismissed,
    /// A host created a poll (the payload holds it, as created).
    PollCreated,
    /// Someone voted in a poll (the payload holds which, and the options
    /// chosen unless it is anonymous).
    PollVoted,
    /// A host closed a poll (the payload holds its final counts).
    PollClosed,
}

impl EventKind {
    const ALL: [Self; 17] = [
        Self::Created,
        Self::Edited,
        Self::Deleted,
        Self::Hidden,
        Self::Pinned,
        Self::Unpinned,
        Self::Settings,
        Self::Reacted,
        Self::Unreacted,
        Self::Muted,
        Self::Unmuted,
        Self::Removed,
        Self::Reported,
        Self::Dismissed,
        Self::PollCreated,
        Self::PollVoted,
        Self::PollClosed,
    ];

    /// The name stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Edited => "edited",
            Self::Deleted => "deleted",
            Self::Hidden => "hidden",
            Self::Pinned => "pinned",
            Self::Unpinned => "unpinned",
            Self::Settings => "settings",
            Self::Reacted => "reacted",
            Self::Unreacted => "unreacted",
            Self::Muted => "muted",
            Self::Unmuted => "unmuted",
            Self::Removed => "removed",
            Self::Reported => "reported",
            Self::Dismissed => "dismissed",
            Self::PollCreated => "pollCreated",
            Self::PollVoted => "pollVoted",
            Self::PollClosed => "pollClosed",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Result<Self, StoreError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown event kind {name:?}")))
    }
}

/// A stored event's fields, as any engine reads them back.
#[derive(Clone, Debug)]
pub struct EventRecord {
    /// Its `seq`.
    pub seq: Seq,
    /// When it happened.
    pub time: i64,
    /// What happened.
    pub kind: EventKind,
    /// Who did it.
    pub actor: ParticipantId,
    /// Settings, for a settings event; the emoji, for a reaction; whom and
    /// until when, for a mute or unmute; whom and with what, for a removal;
    /// why and who in words, for a report.
    pub payload: Option<String>,
}

/// Builds a deliverable event from its record and the message's current
/// state (`None` for events about no message), with those who hid it.
pub fn build_event(
    record: EventRecord,
    message: Option<Message>,
    hidden_by: Vec<ParticipantId>,
) -> Result<StoredEvent, StoreError> {
    let EventRecord { seq, time, kind, actor, payload } = record;
    let message_or_corrupt = || message.ok_or_else(|| StoreError::Corrupt(format!("event {seq} lost its message")));
    let (event, audience) = match kind {
        EventKind::Settings => {
            let settings = serde_json::from_str(payload.as_deref().unwrap_or("{}"))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            (Event::SettingsChanged { settings }, Audience::everyone())
        }
        EventKind::Hidden => (Event::MessageHidden { id: message_or_corrupt()?.id }, Audience::only(vec![actor])),
        EventKind::Removed => {
            let Removal { participant_id, messages_deleted } = payload_of(payload.as_deref(), "removal", seq)?;
            // Everyone drops the messages that went; otherwise it is the hosts' business.
            let audience = match messages_deleted {
                true => Audience::everyone(),
                false => Audience::subject_and_hosts(participant_id.clone()),
            };
            (Event::ParticipantRemoved { participant_id, by: actor, messages_deleted }, audience)
        }
        EventKind::Reported => {
            let id = message_or_corrupt()?.id;
            let Reported { by_name, reason } = payload_of(payload.as_deref(), "report", seq)?;
            let audience = Audience::subject_and_hosts(actor.clone());
            let report = Report { message_id: id, by: actor, by_name, reason, time };
            (Event::MessageReported { report }, audience)
        }
        EventKind::PollCreated => {
            (Event::PollCreated { poll: payload_of(payload.as_deref(), "poll", seq)? }, Audience::everyone())
        }
        EventKind::PollVoted => {
            let Voted { poll_id, options } = payload_of(payload.as_deref(), "vote", seq)?;
            (Event::PollVoted { poll_id, options }, Audience::only(vec![actor]))
        }
        EventKind::PollClosed => {
            let tally = payload_of(payload.as_deref(), "closed poll", seq)?;
            (Event::PollClosed { by: actor, tally }, Audience::everyone())
        }
        EventKind::Dismissed => {
            (Event::ReportsDismissed { id: message_or_corrupt()?.id, by: actor }, Audience::hosts())
        }
        EventKind::Muted | EventKind::Unmuted => {
            let Mute { participant_id, until, .. } = payload_of(payload.as_deref(), "mute", seq)?;
            let audience = Audience::subject_and_hosts(participant_id.clone());
            let event = if kind == EventKind::Muted {
                Event::ParticipantMuted { participant_id, until, by: actor }
            } else {
                Event::ParticipantUnmuted { participant_id, by: actor }
            };
            (event, audience)
        }
        kind => {
            let message = message_or_corrupt()?;
            let audience = Audience::of_message(&message, hidden_by);
            let id = message.id.clone();
            let event = match kind {
                EventKind::Reacted | EventKind::Unreacted => {
                    let emoji = payload.ok_or_else(|| StoreError::Corrupt(format!("reaction {seq} lost its emoji")))?;
                    let reacted = message.reactions.iter().find(|r| r.emoji == emoji);
                    let count = reacted.map_or(0, |r| r.count);
                    Event::ReactionUpdated { id, emoji, by: actor, added: kind == EventKind::Reacted, count }
                }
                EventKind::Created => Event::MessageCreated { message },
                EventKind::Edited => Event::MessageEdited { message },
                EventKind::Deleted => Event::MessageDeleted { id, by: actor },
                EventKind::Pinned => Event::MessagePinned { id, by: actor },
                _ => Event::MessageUnpinned { id, by: actor },
            };
            (event, audience)
        }
    };
    Ok(StoredEvent { envelope: EventEnvelope { seq, time, event }, audience })
}

/// The payload of event `seq`, a `what` (for the error), read back.
pub(super) fn payload_of<T: serde::de::DeserializeOwned>(
    payload: Option<&str>,
    what: &str,
    seq: Seq,
) -> Result<T, StoreError> {
    serde_json::from_str(payload.unwrap_or_default()).map_err(|e| StoreError::Corrupt(format!("{what} {seq}: {e}")))
}
