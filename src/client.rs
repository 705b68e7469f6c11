//! `ChatClient`: the one room between chat-core and both faces. It owns the
//! session (the socket and the core's state), the operations in flight as
//! futures, who listens to changes, the files being uploaded, and the outbox
//! kept across reloads. Both faces (the JS API and the yew panel) hold a
//! client and nothing under it; what runs underneath (clock, storage,
//! uploads, timers) comes in through [`Platform`], so all of this is tested
//! natively.

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
mod browser_upload;
mod effects;
mod operations;
mod paging;
pub mod platform;
mod read_state;
mod search;
mod sending;
mod subscriptions;
#[cfg(test)]
mod tests;
mod uploads;

use std::cell::{Ref, RefCell};
use std::rc::{Rc, Weak};

use chat_core::{Attachment, Change, ChatState, Draft, DraftContent, Input, Intent, NewPoll, OpError, SettingsChange};
use chat_protocol::{ClientId, DeleteScope, MessageId, NewContent, ParticipantId, PollId};
use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use futures::FutureExt;
use serde_json::{Map, Value};

use self::operations::Operations;
pub use self::operations::ParticipantsPage;
pub use self::paging::PageFrom;
pub use self::platform::{FileSource, Platform, UploadError};
pub use self::search::Hits;
use self::subscriptions::Subscribers;
pub use self::subscriptions::Subscription;
use chat_session::Connector;

use self::uploads::Uploads;
use crate::transport::session::Session;

/// What an operation resolves to.
pub type OpResult<T> = LocalBoxFuture<'static, Result<T, OpError>>;

/// Called with (bytes sent, bytes in all) as a file uploads.
pub type OnProgress = Rc<dyn Fn(u64, u64)>;

/// Where a new message goes and what it carries besides its content.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SendOptions {
    /// The message it replies to.
    pub reply_to: Option<MessageId>,
    /// Private recipients; empty for everyone.
    pub targets: Vec<ParticipantId>,
    /// Application data.
    pub metadata: Map<String, Value>,
    /// Extra event details, kept like `metadata`.
    pub details: Map<String, Value>,
    /// Participants the text mentions.
    pub mentions: Vec<ParticipantId>,
}

impl SendOptions {
    pub(super) fn draft(
        self,
        content: DraftContent,
        forwarded_from: Option<MessageId>,
        attachments: Vec<Attachment>,
    ) -> Draft {
        Draft {
            content,
            reply_to: self.reply_to,
            forwarded_from,
            targets: self.targets,
            metadata: self.metadata,
            details: self.details,
            attachments,
            as_sender: None,
            mentions: self.mentions,
        }
    }
}

struct Inner {
    session: Session,
    platform: Rc<dyn Platform>,
    http_base: String,
    storage_key: String,
    operations: Operations,
    subscribers: Subscribers,
    uploads: Uploads,
    rows_version: std::cell::Cell<u64>,
    ready: RefCell<Option<oneshot::Sender<Result<(), OpError>>>>,
}

/// A connected (or connecting) meeting chat; clones share it.
#[derive(Clone)]
pub struct ChatClient {
    inner: Rc<Inner>,
}

impl PartialEq for ChatClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// `ws://host/ws` → `http://host`, the origin uploads and file links use.
fn http_base(ws_url: &str) -> String {
    let (scheme, rest) = ws_url.split_once("://").unwrap_or(("ws", ws_url));
    let host = rest.split('/').next().unwrap_or(rest);
    let scheme = if scheme == "wss" || scheme == "https" { "https" } else { "http" };
    format!("{scheme}://{host}")
}

impl ChatClient {
    /// A client for the server at `url` with `token`, keeping its outbox
    /// under `storage_key`. Nothing connects until [`ChatClient::start`].
    pub fn new(url: &str, token: &str, storage_key: String, platform: Rc<dyn Platform>) -> Self {
        let clock = Rc::clone(&platform);
        let session = Session::new(url, token, move || clock.now());
        let inner = Rc::new(Inner {
            session: session.clone(),
            platform,
            http_base: http_base(url),
            storage_key,
            operations: Operations::default(),
            subscribers: Subscribers::default(),
            uploads: Uploads::default(),
            rows_version: std::cell::Cell::new(0),
            ready: RefCell::new(None),
        });
        let weak: Weak<Inner> = Rc::downgrade(&inner);
        session.set_listener(Rc::new(move |_, effect| {
            if let Some(inner) = weak.upgrade() {
                ChatClient { inner }.on_effect(effect);
            }
        }));
        Self { inner }
    }

    /// Puts back the unsent messages of an earlier page load, then connects
    /// (and keeps reconnecting) through `connector`.
    pub fn start<C: Connector + 'static>(&self, connector: C) {
        self.restore_outbox();
        let session = self.inner.session.clone();
        self.inner.platform.spawn(async move { session.run(connector).await }.boxed_local());
    }

    /// Resolves once joined and the newest messages are loaded; fails with
    /// `auth_failed` when the server refuses the token.
    pub fn ready(&self) -> OpResult<()> {
        let (tx, rx) = oneshot::channel();
        *self.inner.ready.borrow_mut() = Some(tx);
        rx.map(|answer| answer.unwrap_or_else(|_| Err(closed()))).boxed_local()
    }

    /// The chat state, to read. Do not hold it across a call that changes it.
    pub fn state(&self) -> Ref<'_, ChatState> {
        self.inner.session.state()
    }

    /// Milliseconds since the Unix epoch, from the one clock the client uses.
    pub fn now(&self) -> i64 {
        self.inner.platform.now()
    }

    /// A file link as shown: server-relative links resolved against the server.
    pub fn link(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.inner.http_base)
        } else {
            url.to_owned()
        }
    }

    /// Calls `listener` with every change, until the returned guard is dropped.
    pub fn subscribe(&self, listener: Rc<dyn Fn(&Change)>) -> Subscription {
        self.inner.subscribers.add(listener)
    }

    /// Replaces the text of one's own text message.
    pub fn edit_text(&self, id: MessageId, text: String) -> OpResult<()> {
        self.intent(|op| Intent::Edit { op, id, content: NewContent::Text { text }, attachments: None })
    }

    /// Replaces the text of one's own text message and keeps only `keep` of
    /// its attachments (by file id).
    pub fn edit_text_keeping(&self, id: MessageId, text: String, keep: Vec<chat_protocol::FileId>) -> OpResult<()> {
        self.intent(|op| Intent::Edit { op, id, content: NewContent::Text { text }, attachments: Some(keep) })
    }

    /// Uploads `file`, then points one's own `kind` message at it.
    pub fn edit_file(&self, id: MessageId, file: FileSource, kind: chat_protocol::MessageKind) -> OpResult<()> {
        let client = self.clone();
        let uploaded = self.upload_once(file, kind);
        async move {
            let file = uploaded.await.map_err(|e| OpError::new(&e.code, e.message, e.retryable))?;
            client.edit_content(id, NewContent::with_file(kind, file.id)).await
        }
        .boxed_local()
    }

    fn edit_content(&self, id: MessageId, content: NewContent) -> OpResult<()> {
        self.intent(|op| Intent::Edit { op, id, content, attachments: None })
    }

    /// Deletes a message for everyone or for oneself.
    pub fn delete(&self, id: MessageId, scope: DeleteScope) -> OpResult<()> {
        self.intent(|op| Intent::Delete { op, id, scope })
    }

    /// Pins or unpins a message.
    pub fn set_pinned(&self, id: MessageId, pinned: bool) -> OpResult<()> {
        self.intent(|op| Intent::SetPinned { op, id, pinned })
    }

    /// Adds (or, with `add` false, takes off) the user's reaction with `emoji`.
    pub fn react(&self, id: MessageId, emoji: String, add: bool) -> OpResult<()> {
        self.intent(|op| Intent::React { op, id, emoji, add })
    }

    /// Hosts: mutes `participant` in the chat for `minutes`, or until unmuted.
    pub fn mute(&self, participant: ParticipantId, minutes: Option<u32>) -> OpResult<()> {
        self.intent(|op| Intent::Mute { op, participant, minutes })
    }

    /// Hosts: removes `participant` from the chat (their connections closed
    /// and refused until let back), with every message they sent if `delete_messages`.
    pub fn remove(&self, participant: ParticipantId, delete_messages: bool) -> OpResult<()> {
        self.intent(|op| Intent::Remove { op, participant, delete_messages })
    }

    /// Reports message `id` to the hosts with `reason`.
    pub fn report(&self, id: MessageId, reason: String) -> OpResult<()> {
        self.intent(|op| Intent::Report { op, id, reason })
    }

    /// Hosts: closes message `id`'s open reports, keeping the message.
    pub fn dismiss_reports(&self, id: MessageId) -> OpResult<()> {
        self.intent(|op| Intent::DismissReports { op, id })
    }

    /// Hosts: creates `poll`.
    pub fn create_poll(&self, poll: NewPoll) -> OpResult<()> {
        self.intent(|op| Intent::CreatePoll { op, poll })
    }

    /// Votes in poll `poll_id` for `options` (one, or several where it allows).
    pub fn vote(&self, poll_id: PollId, options: Vec<u32>) -> OpResult<()> {
        self.intent(|op| Intent::Vote { op, poll_id, options })
    }

    /// Hosts: closes poll `poll_id`.
    pub fn close_poll(&self, poll_id: PollId) -> OpResult<()> {
        self.intent(|op| Intent::ClosePoll { op, poll_id })
    }

    /// Hosts: lifts `participant`'s mute or removal (letting them back).
    pub fn unmute(&self, participant: ParticipantId) -> OpResult<()> {
        self.intent(|op| Intent::Unmute { op, participant })
    }

    /// Hosts: changes the settings given (who may pin, who may send, slow
    /// mode, read receipts), keeping the others.
    pub fn update_settings(&self, change: SettingsChange) -> OpResult<()> {
        self.intent(|op| Intent::UpdateSettings { op, change })
    }

    /// A page of the participants connected now, by name, only names
    /// containing `query` if given; `after` is the previous page's `next`.
    pub fn list_participants(
        &self,
        query: Option<String>,
        after: Option<String>,
        limit: u32,
    ) -> OpResult<ParticipantsPage> {
        let (op, outcome) = self.inner.operations.open();
        self.apply(Input::Intent(Intent::ListParticipants { op, query, after, limit }));
        operations::participants(outcome)
    }

    /// Loads up to `limit` older messages (of the private conversation with
    /// `with` only, filtered by the server); resolves with how many were new
    /// and whether still older ones exist.
    pub fn load_older(&self, limit: u32, with: Option<ParticipantId>) -> OpResult<(usize, bool)> {
        let (op, outcome) = self.inner.operations.open();
        self.apply(Input::Intent(Intent::LoadOlder { op, limit, with }));
        operations::page(outcome)
    }

    /// Makes a conversation current without sending: the private one with
    /// `with`, or the meeting's.
    pub fn join(&self, with: Option<ParticipantId>) {
        self.apply(Input::Intent(Intent::Join(with)));
    }

    /// Tries a failed message again, re-uploading its file if it never arrived.
    pub fn retry(&self, client_id: &ClientId) -> OpResult<MessageId> {
        let (op, outcome) = self.inner.operations.open();
        self.apply(Input::Intent(Intent::Retry { op, client_id: client_id.clone() }));
        self.upload_if_waiting(client_id);
        operations::sent(outcome)
    }

    /// Drops a failed or unsent message (and its file).
    pub fn discard(&self, client_id: &ClientId) {
        self.inner.uploads.release(client_id);
        self.apply(Input::Intent(Intent::Discard { client_id: client_id.clone() }));
    }

    /// Tells the conversation being viewed that the user is typing. Call it on
    /// every keystroke: a notice goes out at most once per
    /// [`chat_protocol::rules::TYPING_INTERVAL_MS`]. Returns whether one went now.
    pub fn typing(&self) -> bool {
        let before = self.state().typing_sent_at();
        self.apply(Input::Intent(Intent::Typing));
        self.state().typing_sent_at() != before
    }

    /// Drops the connection and reconnects at once.
    pub fn reconnect(&self) {
        self.inner.session.reconnect();
    }

    /// Disconnects for good. What is loaded stays readable, and a message
    /// sent now waits in the outbox for the next page load.
    pub fn close(&self) {
        self.inner.session.close();
    }

    fn intent(&self, intent: impl FnOnce(u64) -> Intent) -> OpResult<()> {
        let (op, outcome) = self.inner.operations.open();
        self.apply(Input::Intent(intent(op)));
        operations::done(outcome)
    }

    fn apply(&self, input: Input) {
        self.inner.session.apply(input);
    }

    /// Applies an input as if the socket had delivered it (tests and benchmarks).
    #[cfg(all(test, target_arch = "wasm32", feature = "panel"))]
    pub(crate) fn feed(&self, input: Input) {
        self.apply(input);
    }

    /// A number that changes whenever the rows change (for views that
    /// re-render on that and read the rows by position).
    pub fn rows_version(&self) -> u64 {
        self.inner.rows_version.get()
    }
}

fn ready_err<T: 'static>(error: OpError) -> OpResult<T> {
    futures::future::ready(Err(error)).boxed_local()
}

fn closed() -> OpError {
    OpError::new("closed", "the chat was closed before the server answered", true)
}

fn deleted() -> OpError {
    OpError::new("message_deleted", "a deleted message cannot be forwarded", false)
}
