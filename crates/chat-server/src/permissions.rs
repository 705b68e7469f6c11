//! Who may do what to a message: the protocol's shared rules
//! ([`chat_protocol::rules`]), answered as domain errors.

use chat_protocol::{rules, MeetingSettings, Message, Participant};

use crate::error::DomainError;

/// Only a message's author edits it, and not once deleted.
pub fn check_edit(requester: &Participant, message: &Message) -> Result<(), DomainError> {
    Ok(rules::may_edit(requester, message)?)
}

/// The author or a host deletes a message for everyone.
pub fn check_delete_for_everyone(requester: &Participant, message: &Message) -> Result<(), DomainError> {
    Ok(rules::may_delete_for_everyone(requester, message)?)
}

/// Hosts pin and unpin; everyone may when the meeting allows it.
pub fn check_pin(requester: &Participant, settings: &MeetingSettings) -> Result<(), DomainError> {
    Ok(rules::may_pin(requester, settings)?)
}

/// Hosts change the meeting's settings.
pub fn check_update_settings(requester: &Participant) -> Result<(), DomainError> {
    Ok(rules::may_update_settings(requester)?)
}
