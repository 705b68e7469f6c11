//! Files being sent: kept per message until it is confirmed or discarded, so
//! a failed upload can be retried and a running one cancelled.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use chat_core::{EchoStatus, Input};
use chat_protocol::{ClientId, FileRef, MessageKind};
use futures::channel::oneshot;
use futures::FutureExt;

use super::platform::{FileSource, UploadError, UploadEvents, UploadRequest, UploadTask};
use super::{ChatClient, Inner, OnProgress};

struct Held {
    file: FileSource,
    kind: MessageKind,
    on_progress: Option<OnProgress>,
    task: Option<Box<dyn UploadTask>>,
}

/// Files of messages not confirmed yet.
#[derive(Default)]
pub(super) struct Uploads {
    held: RefCell<HashMap<ClientId, Held>>,
}

impl Uploads {
    pub(super) fn hold(
        &self,
        client_id: ClientId,
        file: FileSource,
        kind: MessageKind,
        on_progress: Option<OnProgress>,
    ) {
        self.held.borrow_mut().insert(client_id, Held { file, kind, on_progress, task: None });
    }

    /// Forgets a message's file, stopping its upload if one runs.
    pub(super) fn release(&self, client_id: &ClientId) {
        let held = self.held.borrow_mut().remove(client_id);
        if let Some(task) = held.and_then(|h| h.task) {
            task.abort();
        }
    }
}

impl ChatClient {
    fn request(&self, file: FileSource, kind: MessageKind) -> UploadRequest {
        UploadRequest {
            http_base: self.inner.http_base.clone(),
            token: self.inner.session.token().to_owned(),
            file,
            kind,
        }
    }

    /// Starts the upload of a message waiting for its file.
    pub(super) fn upload_if_waiting(&self, client_id: &ClientId) {
        let waiting = self.state().echo(client_id).is_some_and(|e| matches!(e.status, EchoStatus::Uploading { .. }));
        let Some((file, kind, on_progress)) = self
            .inner
            .uploads
            .held
            .borrow()
            .get(client_id)
            .filter(|_| waiting)
            .map(|held| (held.file.clone(), held.kind, held.on_progress.clone()))
        else {
            return;
        };
        let (progress_to, done_to): (Weak<Inner>, Weak<Inner>) =
            (Rc::downgrade(&self.inner), Rc::downgrade(&self.inner));
        let (progress_id, done_id) = (client_id.clone(), client_id.clone());
        let events = UploadEvents {
            progress: Box::new(move |loaded, total| {
                if let Some(inner) = progress_to.upgrade() {
                    inner.session.apply(Input::UploadProgress { client_id: progress_id.clone(), loaded, total });
                }
                if let Some(on_progress) = &on_progress {
                    on_progress(loaded, total);
                }
            }),
            done: Box::new(move |result| {
                let Some(inner) = done_to.upgrade() else { return };
                inner.session.apply(match result {
                    Ok(file) => Input::UploadDone { client_id: done_id, file },
                    Err(e) => Input::UploadFailed {
                        client_id: done_id,
                        reason: e.message,
                        retryable: e.retryable,
                        cause: Some(e.code),
                    },
                });
            }),
        };
        let task = self.inner.platform.upload(self.request(file, kind), events);
        if let Some(held) = self.inner.uploads.held.borrow_mut().get_mut(client_id) {
            held.task = Some(task);
        }
    }

    /// Cancels a message's upload; the message fails and can be retried.
    pub fn cancel_upload(&self, client_id: &ClientId) {
        let task = self.inner.uploads.held.borrow_mut().get_mut(client_id).and_then(|held| held.task.take());
        if let Some(task) = task {
            task.abort();
        }
    }

    /// Uploads a file that belongs to no message yet (an edit's new file).
    pub(super) fn upload_once(
        &self,
        file: FileSource,
        kind: MessageKind,
    ) -> futures::future::LocalBoxFuture<'static, Result<FileRef, UploadError>> {
        let (tx, rx) = oneshot::channel();
        let events = UploadEvents {
            progress: Box::new(|_, _| {}),
            done: Box::new(move |result| {
                let _ = tx.send(result);
            }),
        };
        let task = self.inner.platform.upload(self.request(file, kind), events);
        async move {
            // The task stays alive (and abortable by nobody) until the upload ends.
            let _task = task;
            rx.await.unwrap_or_else(|_| Err(UploadError::new("aborted", "the upload was dropped", true)))
        }
        .boxed_local()
    }
}
