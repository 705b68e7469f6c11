//! A running bot as the shared session loop's [`Peer`]: frames go through
//! its driver, answers out on the link, and its place into the checkpoint
//! store before the answers leave.

use std::sync::{Mutex, MutexGuard};

use chat_core::{ConnectionState, Input};
use chat_protocol::{close_code, ClientFrame, Seq, ServerFrame};
use chat_session::{Link, Next, Peer};

use crate::checkpoint::{Checkpoint, CheckpointStore};
use crate::driver::Driver;
use crate::{now, BotError, Command};

/// The bot's state while it runs.
pub(crate) struct Running<'a> {
    link: &'a Link,
    steps: Mutex<Steps>,
    /// Why the server will not have this bot, once it said so.
    refused: Mutex<Option<BotError>>,
}

/// What each step changes: the driver, and where its place was saved.
struct Steps {
    driver: Driver,
    checkpoints: Option<Box<dyn CheckpointStore>>,
    /// What was saved last, so an unchanged place is not written again.
    saved: Option<Checkpoint>,
}

impl<'a> Running<'a> {
    pub(crate) fn new(
        link: &'a Link,
        driver: Driver,
        checkpoints: Option<Box<dyn CheckpointStore>>,
        saved: Option<Checkpoint>,
    ) -> Self {
        Self { link, steps: Mutex::new(Steps { driver, checkpoints, saved }), refused: Mutex::new(None) }
    }

    fn steps(&self) -> MutexGuard<'_, Steps> {
        self.steps.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Carries out a command of the chat service.
    pub(crate) fn command(&self, command: Command) {
        let frames = {
            let mut steps = self.steps();
            let frames = match command {
                Command::OnMessage(handler) => {
                    steps.driver.set_handler(handler);
                    Vec::new()
                }
                Command::Send { client_id, draft, waiter } => steps.driver.send(client_id, *draft, Some(waiter), now()),
            };
            steps.keep_place();
            frames
        };
        self.send_all(&frames);
    }

    /// Offers failed sends again when their time came.
    pub(crate) fn tick(&self) {
        let frames = self.steps().driver.tick(now());
        self.send_all(&frames);
    }

    /// Why the bot stopped, when the server refused it.
    pub(crate) fn refusal(&self) -> Option<BotError> {
        self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
    }

    fn send_all(&self, frames: &[ClientFrame]) {
        for frame in frames {
            self.link.send(frame);
        }
    }
}

impl Steps {
    /// Saves the driver's place when it moved. A failed save is logged and
    /// tried again at the next step: the bot goes on answering meanwhile.
    fn keep_place(&mut self) {
        let Some(store) = &mut self.checkpoints else { return };
        let Some(checkpoint) = self.driver.checkpoint() else { return };
        if self.saved.as_ref() == Some(&checkpoint) {
            return;
        }
        match store.save(&checkpoint) {
            Ok(()) => self.saved = Some(checkpoint),
            Err(error) => tracing::warn!(%error, "could not save the checkpoint; a restart may handle messages again"),
        }
    }
}

impl Peer for Running<'_> {
    fn connecting(&self) {
        self.steps().driver.apply(Input::Connecting, now());
    }

    fn resume_from(&self) -> Option<Seq> {
        self.steps().driver.resume_from()
    }

    fn frame(&self, frame: ServerFrame) {
        let frames = {
            let mut steps = self.steps();
            if let (ServerFrame::Reset { head_seq }, Some(last)) = (&frame, steps.driver.resume_from()) {
                tracing::warn!(
                    skipped_from = last + 1,
                    skipped_to = *head_seq,
                    "further behind than the server keeps for a resume: the events from \
                     skipped_from to skipped_to were not handled; handling goes on after them"
                );
            }
            let frames = steps.driver.frame(frame, now());
            // Kept before the answers go out: a crash after a send finds it
            // in the checkpoint (and the server dedupes it), never missing.
            steps.keep_place();
            frames
        };
        self.send_all(&frames);
    }

    fn ended(&self, code: Option<u16>, reason: &str) -> Next {
        let mut steps = self.steps();
        steps.driver.apply(Input::Disconnected { code }, now());
        if steps.driver.connection() == ConnectionState::AuthFailed || code == Some(close_code::UNSUPPORTED_VERSION) {
            *self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Some(BotError::Refused(reason.to_owned()));
            return Next::Stop;
        }
        tracing::warn!(%reason, "bot connection lost; reconnecting");
        Next::Retry
    }

    fn closed(&self) {}
}
