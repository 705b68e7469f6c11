//! Where the core's effects go, the one place they are routed: frames to
//! the socket, operations settled, changes to subscribers (and to the
//! uploads and timers they concern), the outbox to browser storage.

use chat_core::{Change, ConnectionState, Effect, Input, Intent, OpError, OutboxEntry};
use futures::FutureExt;

use super::ChatClient;

impl ChatClient {
    /// Where every effect of the core goes: the one place they are routed.
    pub(super) fn on_effect(&self, effect: Effect) {
        match effect {
            Effect::Send(frame) => self.inner.session.send_frame(&frame),
            Effect::Changed(change) => self.on_change(&change),
            Effect::Resolve { op, outcome } => self.inner.operations.settle(op, Ok(outcome)),
            Effect::Reject { op, error } => {
                self.inner.uploads.refused(op);
                self.inner.operations.settle(op, Err(error))
            }
            Effect::SaveOutbox => self.save_outbox(),
        }
    }

    fn on_change(&self, change: &Change) {
        if change.touches_rows() {
            self.inner.rows_version.set(self.inner.rows_version.get() + 1);
        }
        match change {
            Change::EchoConfirmed { key: chat_core::MessageKey::Local(client_id), .. }
            | Change::EchoDiscarded { key: chat_core::MessageKey::Local(client_id), .. } => {
                self.inner.uploads.release(client_id)
            }
            Change::EchoAdded { key: chat_core::MessageKey::Local(client_id), .. } => {
                self.inner.uploads.echoed(client_id)
            }
            Change::PageLoaded { .. } => self.settle_ready(Ok(())),
            Change::Connection if self.state().connection() == ConnectionState::AuthFailed => {
                self.settle_ready(Err(OpError::new("auth_failed", "the server refused the token", false)))
            }
            Change::Connection if self.state().connection() == ConnectionState::Removed => {
                self.settle_ready(Err(OpError::new("removed", "a host removed you from this meeting's chat", false)))
            }
            Change::RateLimited { until, .. } => self.tick_at(*until),
            Change::Typing => {
                if let Some(until) = self.state().typing_expires_at() {
                    self.tick_at(until);
                }
            }
            _ => {}
        }
        self.inner.subscribers.notify(change);
    }

    fn settle_ready(&self, result: Result<(), OpError>) {
        if let Some(ready) = self.inner.ready.borrow_mut().take() {
            let _ = ready.send(result);
        }
    }

    /// Ticks the state at `until`: a rate limit lifts then (in case the
    /// server's notice is lost), a typing notice runs out.
    fn tick_at(&self, until: i64) {
        let wait = u32::try_from((until - self.now()).max(0)).unwrap_or(u32::MAX).saturating_add(50);
        let (sleep, session) = (self.inner.platform.sleep(wait), self.inner.session.clone());
        self.inner.platform.spawn(
            async move {
                sleep.await;
                session.apply(Input::Tick);
            }
            .boxed_local(),
        );
    }

    fn save_outbox(&self) {
        let outbox = self.state().outbox();
        let key = &self.inner.storage_key;
        match serde_json::to_string(&outbox) {
            Ok(json) if !outbox.is_empty() => self.inner.platform.store(key, Some(&json)),
            _ => self.inner.platform.store(key, None),
        }
    }

    pub(super) fn restore_outbox(&self) {
        let Some(json) = self.inner.platform.load(&self.inner.storage_key) else { return };
        if let Ok(entries) = serde_json::from_str::<Vec<OutboxEntry>>(&json) {
            self.apply(Input::Intent(Intent::RestoreOutbox(entries)));
        }
    }
}
