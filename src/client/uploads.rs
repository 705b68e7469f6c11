//! Files being sent: kept per message until it is confirmed or discarded, so
//! a failed upload can be retried and a running one cancelled.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use chat_core::{EchoStatus, Input, OpId};
use chat_protocol::{ClientId, FileRef, MessageKind};
use futures::channel::oneshot;
use futures::FutureExt;

use super::platform::{FileSource, UploadError, UploadEvents, UploadRequest, UploadTask};
use super::{ChatClient, Inner, OnProgress};

/// One file of a message: what to upload, as what, and its upload if one runs.
struct Part {
    file: FileSource,
    kind: MessageKind,
    task: Option<Box<dyn UploadTask>>,
}

struct Held {
    /// The send operation the files belong to.
    op: OpId,
    /// Whether the core took the send as an echo (told by its change).
    echoed: bool,
    parts: Vec<Part>,
    on_progress: Option<OnProgress>,
}

/// Files of messages not confirmed yet.
#[derive(Default)]
pub(super) struct Uploads {
    held: RefCell<HashMap<ClientId, Held>>,
}

impl Uploads {
    /// Keeps a message's files (its own, or its attachments in order).
    pub(super) fn hold(
        &self,
        client_id: ClientId,
        op: OpId,
        files: Vec<(FileSource, MessageKind)>,
        on_progress: Option<OnProgress>,
    ) {
        let parts = files.into_iter().map(|(file, kind)| Part { file, kind, task: None }).collect();
        self.held.borrow_mut().insert(client_id, Held { op, echoed: false, parts, on_progress });
    }

    /// Notes that the core took a message as an echo: from now on only its
    /// confirmation or discarding lets its files go.
    pub(super) fn echoed(&self, client_id: &ClientId) {
        if let Some(held) = self.held.borrow_mut().get_mut(client_id) {
            held.echoed = true;
        }
    }

    /// Forgets the files of the send `op` when the core refused it before
    /// taking it as an echo (a rule, a rate limit): nothing will upload them.
    /// A refused echo keeps them, for a retry.
    pub(super) fn refused(&self, op: OpId) {
        let client_id =
            self.held.borrow().iter().find(|(_, held)| held.op == op && !held.echoed).map(|(id, _)| id.clone());
        if let Some(client_id) = client_id {
            self.release(&client_id);
        }
    }

    /// Forgets a message's files, stopping any upload that runs.
    pub(super) fn release(&self, client_id: &ClientId) {
        let held = self.held.borrow_mut().remove(client_id);
        for task in held.into_iter().flat_map(|h| h.parts).filter_map(|p| p.task) {
            task.abort();
        }
    }

    /// Stops a message's running uploads.
    fn abort(&self, client_id: &ClientId) {
        let tasks: Vec<Box<dyn UploadTask>> = self
            .held
            .borrow_mut()
            .get_mut(client_id)
            .map(|held| held.parts.iter_mut().filter_map(|p| p.task.take()).collect())
            .unwrap_or_default();
        for task in tasks {
            task.abort();
        }
    }
}

/// The parts of an echo still waiting for their file.
fn missing_parts(echo: &chat_core::LocalEcho) -> Vec<usize> {
    match &echo.content {
        chat_core::DraftContent::File { file, .. } => {
            if file.is_none() {
                vec![0]
            } else {
                Vec::new()
            }
        }
        chat_core::DraftContent::Text { .. } => {
            echo.attachments.iter().enumerate().filter(|(_, a)| a.file.is_none()).map(|(i, _)| i).collect()
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

    /// Starts the uploads a message waits for (those not running already).
    pub(super) fn upload_if_waiting(&self, client_id: &ClientId) {
        let missing = match self.state().echo(client_id) {
            Some(echo) if matches!(echo.status, EchoStatus::Uploading { .. }) => missing_parts(echo),
            _ => return,
        };
        for part in missing {
            let Some((file, kind, on_progress)) = self
                .inner
                .uploads
                .held
                .borrow()
                .get(client_id)
                .and_then(|held| Some((held.parts.get(part).filter(|p| p.task.is_none())?, held.on_progress.clone())))
                .map(|(p, on_progress)| (p.file.clone(), p.kind, on_progress))
            else {
                continue;
            };
            let task = self.inner.platform.upload(self.request(file, kind), self.events(client_id, part, on_progress));
            if let Some(slot) =
                self.inner.uploads.held.borrow_mut().get_mut(client_id).and_then(|h| h.parts.get_mut(part))
            {
                slot.task = Some(task);
            }
        }
    }

    /// Where upload `part` of a message reports to: the core, and the caller's `on_progress` (over all its files).
    fn events(&self, client_id: &ClientId, part: usize, on_progress: Option<OnProgress>) -> UploadEvents {
        let (progress_to, done_to): (Weak<Inner>, Weak<Inner>) =
            (Rc::downgrade(&self.inner), Rc::downgrade(&self.inner));
        let (progress_id, done_id) = (client_id.clone(), client_id.clone());
        UploadEvents {
            progress: Box::new(move |loaded, total| {
                let Some(inner) = progress_to.upgrade() else { return };
                inner.session.apply(Input::UploadProgress { client_id: progress_id.clone(), part, loaded, total });
                let overall = inner.session.state().echo(&progress_id).map(|e| e.upload_progress());
                if let (Some(on_progress), Some((loaded, total))) = (&on_progress, overall) {
                    on_progress(loaded, total);
                }
            }),
            done: Box::new(move |result| {
                let Some(inner) = done_to.upgrade() else { return };
                if let Some(slot) =
                    inner.uploads.held.borrow_mut().get_mut(&done_id).and_then(|h| h.parts.get_mut(part))
                {
                    slot.task = None;
                }
                inner.session.apply(match result {
                    Ok(file) => Input::UploadDone { client_id: done_id, part, file },
                    Err(e) => Input::UploadFailed {
                        client_id: done_id,
                        reason: e.message,
                        retryable: e.retryable,
                        cause: Some(e.code),
                    },
                });
            }),
        }
    }

    /// Cancels a message's uploads; the message fails and can be retried.
    pub fn cancel_upload(&self, client_id: &ClientId) {
        self.inner.uploads.abort(client_id);
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
