//! Sending: a text, a file, a text with attachments, or a forwarded copy;
//! each a local echo at once, its files uploaded, then the message.

use chat_core::{Attachment, Draft, DraftContent, Input, Intent, OpError};
use chat_protocol::{ClientId, MessageId, MessageKind};

use super::{deleted, operations, ready_err, ChatClient, FileSource, OnProgress, OpResult, SendOptions};

impl ChatClient {
    /// Sends a text message; resolves with its id once the server stored it.
    pub fn send_text(&self, text: String, options: SendOptions) -> OpResult<MessageId> {
        self.send(options.draft(DraftContent::Text { text }, None, Vec::new()), Vec::new(), None).1
    }

    /// Sends a text (possibly empty) with `files` attached, each uploaded as
    /// the `kind` it is, then the message once all are. Returns the message's
    /// client id (to cancel the uploads) and its outcome.
    pub fn send_with_attachments(
        &self,
        text: String,
        files: Vec<(FileSource, MessageKind)>,
        options: SendOptions,
        on_progress: Option<OnProgress>,
    ) -> (ClientId, OpResult<MessageId>) {
        let attachments = files.iter().map(|(file, _)| Attachment::new(file.name.clone(), file.size)).collect();
        self.send(options.draft(DraftContent::Text { text }, None, attachments), files, on_progress)
    }

    /// Sends a file as a `kind` message: uploads it, then sends the message.
    /// Returns the message's client id (to cancel the upload) and its outcome.
    pub fn send_file(
        &self,
        file: FileSource,
        kind: MessageKind,
        options: SendOptions,
        on_progress: Option<OnProgress>,
    ) -> (ClientId, OpResult<MessageId>) {
        let content = DraftContent::File { message_kind: kind, name: file.name.clone(), size: file.size, file: None };
        self.send(options.draft(content, None, Vec::new()), vec![(file, kind)], on_progress)
    }

    /// Sends a copy of a loaded message, marked as forwarded.
    pub fn forward(&self, id: MessageId, options: SendOptions) -> OpResult<MessageId> {
        let (content, attachments) = {
            let state = self.state();
            let Some(message) = state.timeline().get(&id) else {
                return ready_err(OpError::new("not_found", "no such message loaded", false));
            };
            // Forwarded attachments are the original's uploads, already there.
            let attachments: Vec<Attachment> = message
                .attachments
                .iter()
                .map(|file| Attachment {
                    file: Some(file.clone()),
                    loaded: file.size,
                    ..Attachment::new(file.name.clone(), file.size)
                })
                .collect();
            let content = match (&message.content, message.content.kind()) {
                (chat_protocol::Content::Text { text }, _) => DraftContent::Text { text: text.clone() },
                (content, Some(kind)) => match content.file() {
                    Some(file) => DraftContent::File {
                        message_kind: kind,
                        name: file.name.clone(),
                        size: file.size,
                        file: Some(file.clone()),
                    },
                    None => return ready_err(deleted()),
                },
                (_, None) => return ready_err(deleted()),
            };
            (content, attachments)
        };
        self.send(options.draft(content, Some(id), attachments), Vec::new(), None).1
    }

    fn send(
        &self,
        draft: Draft,
        files: Vec<(FileSource, MessageKind)>,
        on_progress: Option<OnProgress>,
    ) -> (ClientId, OpResult<MessageId>) {
        let client_id = self.inner.platform.new_client_id();
        let (op, outcome) = self.inner.operations.open();
        if !files.is_empty() {
            self.inner.uploads.hold(client_id.clone(), op, files, on_progress);
        }
        self.apply(Input::Intent(Intent::Send { op, client_id: client_id.clone(), draft }));
        self.upload_if_waiting(&client_id);
        (client_id, operations::sent(outcome))
    }

    /// What a composer sends: a text; a lone file as a file message of its
    /// kind (RealtimeKit's shape); or a text with its files attached.
    pub fn send_composed(
        &self,
        text: String,
        mut files: Vec<(FileSource, MessageKind)>,
        options: SendOptions,
    ) -> (Option<ClientId>, OpResult<MessageId>) {
        if files.is_empty() {
            return (None, self.send_text(text, options));
        }
        if files.len() == 1 && text.trim().is_empty() {
            let (file, kind) = files.remove(0);
            let (client_id, outcome) = self.send_file(file, kind, options, None);
            return (Some(client_id), outcome);
        }
        let (client_id, outcome) = self.send_with_attachments(text, files, options, None);
        (Some(client_id), outcome)
    }
}
