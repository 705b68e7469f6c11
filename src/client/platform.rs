//! What the client needs from where it runs, and nothing more: the clock,
//! fresh client ids, a small key-value store for the outbox, timers and
//! tasks, and file uploads. The browser implements it in `browser`; native
//! tests implement it with a clock they set and uploads they finish by hand.

use std::any::Any;
use std::rc::Rc;

use chat_protocol::{ClientId, FileRef, MessageKind};
use futures::future::LocalBoxFuture;

/// A file's bytes as the platform holds them (a `Blob` in a browser).
pub type FileBody = Rc<dyn Any>;

/// A file to send or to edit a message with.
#[derive(Clone)]
pub struct FileSource {
    /// The bytes.
    pub body: FileBody,
    /// Its name, as the user had it.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// One upload to start.
pub struct UploadRequest {
    /// The server's HTTP origin.
    pub http_base: String,
    /// The bearer token.
    pub token: String,
    /// What to upload.
    pub file: FileSource,
    /// The kind of message it is for.
    pub kind: MessageKind,
}

/// Why an upload did not produce a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadError {
    /// The server's code (`unsupported_media_type`, `too_large`, ...) or
    /// `network`, `aborted`, `bad_response`.
    pub code: String,
    /// For people.
    pub message: String,
    /// Whether trying again can succeed.
    pub retryable: bool,
}

impl UploadError {
    /// An error with a code and message.
    pub fn new(code: &str, message: impl Into<String>, retryable: bool) -> Self {
        Self { code: code.to_owned(), message: message.into(), retryable }
    }
}

/// What an upload reports: progress (bytes sent, bytes in all), then its end, once.
pub struct UploadEvents {
    /// Called as bytes go out.
    pub progress: Box<dyn Fn(u64, u64)>,
    /// Called once, with the file or why not.
    pub done: Box<dyn FnOnce(Result<FileRef, UploadError>)>,
}

/// An upload under way.
pub trait UploadTask {
    /// Stops it; its `done` reports `aborted`.
    fn abort(&self);
}

/// Where the client runs.
pub trait Platform {
    /// Milliseconds since the Unix epoch.
    fn now(&self) -> i64;
    /// A client id no other send from here has used.
    fn new_client_id(&self) -> ClientId;
    /// The value stored under `key`.
    fn load(&self, key: &str) -> Option<String>;
    /// Stores `value` under `key`, or removes the key.
    fn store(&self, key: &str, value: Option<&str>);
    /// Runs a task in the background.
    fn spawn(&self, task: LocalBoxFuture<'static, ()>);
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()>;
    /// Starts an upload.
    fn upload(&self, request: UploadRequest, events: UploadEvents) -> Box<dyn UploadTask>;
}
