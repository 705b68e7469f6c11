//! Who may do what to a message. Pure rules over the requester, the message
//! and the meeting's settings.

use chat_protocol::{MeetingSettings, Message, Participant, Role};

use crate::error::DomainError;

/// Only a message's author edits it.
pub fn check_edit(requester: &Participant, message: &Message) -> Result<(), DomainError> {
    if message.sender.id == requester.id {
        Ok(())
    } else {
        Err(DomainError::Forbidden("only the author may edit a message"))
    }
}

/// The author or a host deletes a message for everyone.
pub fn check_delete_for_everyone(requester: &Participant, message: &Message) -> Result<(), DomainError> {
    if message.sender.id == requester.id || requester.role == Role::Host {
        Ok(())
    } else {
        Err(DomainError::Forbidden("only the author or a host may delete a message for everyone"))
    }
}

/// Hosts pin and unpin; everyone may when the meeting allows it.
pub fn check_pin(requester: &Participant, settings: &MeetingSettings) -> Result<(), DomainError> {
    if requester.role == Role::Host || settings.anyone_can_pin {
        Ok(())
    } else {
        Err(DomainError::Forbidden("only hosts may pin messages in this meeting"))
    }
}

/// Hosts change the meeting's settings.
pub fn check_update_settings(requester: &Participant) -> Result<(), DomainError> {
    if requester.role == Role::Host {
        Ok(())
    } else {
        Err(DomainError::Forbidden("only hosts may change meeting settings"))
    }
}
