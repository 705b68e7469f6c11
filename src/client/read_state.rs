//! Marking a conversation read: the client's position moves at once and the
//! server keeps it (and tells this participant's other devices).

use chat_core::Intent;
use chat_protocol::ParticipantId;

use super::{operations, ChatClient, Input, OpResult};

impl ChatClient {
    /// Reads the conversation with `with` (the meeting's with `None`) up to
    /// its newest message: here at once, then on the server.
    pub fn mark_read(&self, with: Option<ParticipantId>) -> OpResult<()> {
        let (op, outcome) = self.inner.operations.open();
        self.apply(Input::Intent(Intent::MarkRead { op, with }));
        operations::done(outcome)
    }
}
