//! A bot, or an app's service, in a meeting, natively, shaped like Self's
//! chat service:
//!
//! ```no_run
//! # async fn example(url: String, token: String) -> Result<(), chat_bot::BotError> {
//! use chat_bot::{Bot, MessageOptions, Recipient};
//! let bot = Bot::new(url, token);
//! let chat = bot.chat();
//! chat.on_message(|msg| {
//!     if msg.body() == Some("ping") {
//!         msg.respond("pong");
//!     }
//! });
//! let shutdown = tokio_util::sync::CancellationToken::new();
//! tokio::spawn(async move { chat.message(Recipient::Everyone, "ready!", MessageOptions::default()).await });
//! bot.run(shutdown).await
//! # }
//! ```
//!
//! Underneath is the panel's own reducer, chat-core: the bot resumes from
//! the last event it applied after a drop (missing nothing), drops events
//! it already has, and keeps unacknowledged sends in its outbox to send
//! again with the same client id (the server stores each once). An answer's
//! client id is made of the message it answers, so it is never stored twice.
//!
//! Given a [`CheckpointStore`] ([`Bot::with_checkpoints`]), it keeps that
//! place across restarts of its process too: what was said while it was
//! down reaches the handler, each message once.

mod checkpoint;
mod driver;
mod message;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chat_core::{ConnectionState, Input};
use chat_protocol::{close_code, ClientFrame, ClientId, MessageId, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_util::sync::CancellationToken;

pub use checkpoint::{Checkpoint, CheckpointError, CheckpointStore, FileCheckpoints, UnsentMessage};
use driver::{Driver, Handler, Waiter};
pub use message::{ChatMessage, MessageOptions, Recipient};

const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(5);
/// How often failed sends are looked at again.
const TICK: Duration = Duration::from_secs(1);

/// Why a bot stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// The server will not let this token in (invalid, expired, or a
    /// protocol this bot does not speak); retrying cannot help.
    #[error("the server refused the bot: {0}")]
    Refused(String),
    /// Its checkpoint could not be read; it does not start rather than
    /// forget where it was.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
}

/// Why a message was not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The server (or the protocol's rules, checked first) refused it for
    /// good: `code` is the protocol's error code (`forbidden`, `rejected`, ...).
    #[error("refused ({code}): {message}")]
    Refused {
        /// The error code.
        code: String,
        /// For people.
        message: String,
    },
    /// The bot stopped before the message was stored.
    #[error("the bot stopped before the message was stored")]
    Stopped,
}

/// What a [`ChatService`] asks of the running bot.
enum Command {
    OnMessage(Handler),
    Send { client_id: ClientId, draft: Box<chat_core::Draft>, waiter: Waiter },
}

/// A bot's address and credentials, and the queue its chat service feeds.
pub struct Bot {
    url: String,
    token: String,
    chat: ChatService,
    commands: mpsc::UnboundedReceiver<Command>,
    checkpoints: Option<Box<dyn CheckpointStore>>,
    /// What was saved last, so an unchanged place is not written again.
    saved: Option<Checkpoint>,
}

/// The bot's chat, usable from anywhere (it is cheap to clone), before or
/// while the bot runs.
#[derive(Clone)]
pub struct ChatService {
    commands: mpsc::UnboundedSender<Command>,
    /// Names this process's own sends apart from any other's.
    started: u128,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl ChatService {
    /// Shows each new message from someone else (not the bot's own, not
    /// another bot's) to `handler`, which answers through the message.
    /// The handler sees messages sent after the bot first joined.
    pub fn on_message<H>(&self, handler: H)
    where
        H: FnMut(&mut ChatMessage<'_>) + Send + 'static,
    {
        // Fails only once the bot is gone, when there is nothing to handle.
        let _ = self.commands.send(Command::OnMessage(Box::new(handler)));
    }

    /// Sends `text` to `to`; resolves with the stored message's id. While
    /// the bot is offline the message waits in its outbox; a rate limit or
    /// an unavailable hook only delays it.
    pub async fn message(
        &self,
        to: impl Into<Recipient>,
        text: impl Into<String>,
        options: MessageOptions,
    ) -> Result<MessageId, SendError> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let client_id = ClientId::from(format!("bot-send:{}:{n}", self.started));
        let draft = message::draft(to.into(), text.into(), options);
        let (waiter, answer) = oneshot::channel();
        self.commands
            .send(Command::Send { client_id, draft: Box::new(draft), waiter })
            .map_err(|_| SendError::Stopped)?;
        answer.await.unwrap_or(Err(SendError::Stopped))
    }
}

impl Bot {
    /// A bot that connects to `url` (`ws://host/ws`) with `token`, whose role
    /// is `bot` (or `service`, to speak as puppets).
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        let (commands, queue) = mpsc::unbounded_channel();
        let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let chat = ChatService { commands, started, next: Default::default() };
        Self { url: url.into(), token: token.into(), chat, commands: queue, checkpoints: None, saved: None }
    }

    /// Keeps the bot's place in `store` as it goes, and starts from the
    /// place saved there, if any.
    pub fn with_checkpoints(mut self, store: impl CheckpointStore + 'static) -> Self {
        self.checkpoints = Some(Box::new(store));
        self
    }

    /// The bot's chat service.
    pub fn chat(&self) -> ChatService {
        self.chat.clone()
    }

    /// Runs until `shutdown` is cancelled, or the server refuses the token.
    /// Sends not yet stored when it stops end with [`SendError::Stopped`].
    pub async fn run(mut self, shutdown: CancellationToken) -> Result<(), BotError> {
        let mut driver = Driver::new();
        // The handler, given before `run`, is in place before the first frame.
        while let Ok(command) = self.commands.try_recv() {
            driver_command(&mut driver, command);
        }
        if let Some(store) = &mut self.checkpoints {
            if let Some(checkpoint) = store.load()? {
                tracing::info!(last_seq = checkpoint.last_seq, unsent = checkpoint.unsent.len(), "resuming");
                self.saved = Some(checkpoint.clone());
                driver.restore(checkpoint, now());
            }
        }
        let mut delay = FIRST_RETRY;
        loop {
            let ended = tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                ended = self.connection(&mut driver) => ended,
            };
            let welcomed = match ended {
                Ended::Fatal(error) => return Err(error),
                Ended::Dropped { reason, welcomed } => {
                    tracing::warn!(%reason, "bot connection lost; reconnecting");
                    welcomed
                }
            };
            if welcomed {
                delay = FIRST_RETRY;
            }
            // Sends asked for while offline join the outbox meanwhile.
            let wait = tokio::time::sleep(delay);
            tokio::pin!(wait);
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => return Ok(()),
                    () = &mut wait => break,
                    Some(command) = self.commands.recv() => {
                        driver_command(&mut driver, command);
                        self.keep_place(&driver);
                    }
                }
            }
            delay = (delay * 2).min(LAST_RETRY);
        }
    }

    async fn connection(&mut self, driver: &mut Driver) -> Ended {
        let mut welcomed = false;
        let dropped = |reason: String, welcomed: bool| Ended::Dropped { reason, welcomed };
        let mut socket = match tokio_tungstenite::connect_async(self.url.as_str()).await {
            Ok((socket, _)) => socket,
            Err(error) => return dropped(error.to_string(), false),
        };
        driver.apply(Input::Connecting, now());
        let auth = ClientFrame::Auth {
            v: chat_protocol::PROTOCOL_VERSION,
            token: self.token.clone(),
            last_seq: driver.resume_from(),
        };
        if let Err(error) = socket.send(encode(&auth)).await {
            return dropped(error.to_string(), false);
        }
        let mut tick = tokio::time::interval(TICK);
        loop {
            let outgoing = tokio::select! {
                received = socket.next() => match received {
                    Some(Ok(WsMessage::Text(text))) => match serde_json::from_str::<ServerFrame>(&text) {
                        Ok(frame) => {
                            welcomed |= matches!(frame, ServerFrame::Welcome { .. });
                            if let (ServerFrame::Reset { head_seq }, Some(last)) = (&frame, driver.resume_from()) {
                                tracing::warn!(
                                    skipped_from = last + 1,
                                    skipped_to = *head_seq,
                                    "further behind than the server keeps for a resume: the events from \
                                     skipped_from to skipped_to were not handled; handling goes on after them"
                                );
                            }
                            driver.frame(frame, now())
                        }
                        Err(error) => {
                            tracing::warn!(%error, "a frame this bot cannot read; skipped");
                            Vec::new()
                        }
                    },
                    Some(Ok(WsMessage::Close(frame))) => {
                        let code = frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                        return closed(driver, code, welcomed);
                    }
                    Some(Ok(_)) => Vec::new(),
                    Some(Err(error)) => return lost(driver, error.to_string(), welcomed),
                    None => return lost(driver, "the server closed the connection".into(), welcomed),
                },
                Some(command) = self.commands.recv() => driver_command(driver, command),
                _ = tick.tick() => driver.tick(now()),
            };
            // Kept before the answers go out: a crash after a send finds it
            // in the checkpoint (and the server dedupes it), never missing.
            self.keep_place(driver);
            for frame in outgoing {
                if let Err(error) = socket.send(encode(&frame)).await {
                    return lost(driver, error.to_string(), welcomed);
                }
            }
        }
    }

    /// Saves the driver's place when it moved. A failed save is logged and
    /// tried again at the next step: the bot goes on answering meanwhile.
    fn keep_place(&mut self, driver: &Driver) {
        let Some(store) = &mut self.checkpoints else { return };
        let Some(checkpoint) = driver.checkpoint() else { return };
        if self.saved.as_ref() == Some(&checkpoint) {
            return;
        }
        match store.save(&checkpoint) {
            Ok(()) => self.saved = Some(checkpoint),
            Err(error) => tracing::warn!(%error, "could not save the checkpoint; a restart may handle messages again"),
        }
    }
}

/// What one connection ended with.
enum Ended {
    /// Lost or closed; worth reconnecting.
    Dropped {
        reason: String,
        welcomed: bool,
    },
    Fatal(BotError),
}

fn driver_command(driver: &mut Driver, command: Command) -> Vec<ClientFrame> {
    match command {
        Command::OnMessage(handler) => {
            driver.set_handler(handler);
            Vec::new()
        }
        Command::Send { client_id, draft, waiter } => driver.send(client_id, *draft, Some(waiter), now()),
    }
}

fn lost(driver: &mut Driver, reason: String, welcomed: bool) -> Ended {
    driver.apply(Input::Disconnected { code: None }, now());
    Ended::Dropped { reason, welcomed }
}

/// A close frame's meaning: a refused token ends the bot; anything else is a drop.
fn closed(driver: &mut Driver, frame: Option<(u16, String)>, welcomed: bool) -> Ended {
    let code = frame.as_ref().map(|(code, _)| *code);
    driver.apply(Input::Disconnected { code }, now());
    let reason = frame.map_or_else(|| "closed".to_owned(), |(code, reason)| format!("closed ({code}): {reason}"));
    if driver.connection() == ConnectionState::AuthFailed || code == Some(close_code::UNSUPPORTED_VERSION) {
        return Ended::Fatal(BotError::Refused(reason));
    }
    Ended::Dropped { reason, welcomed }
}

fn encode(frame: &ClientFrame) -> WsMessage {
    WsMessage::Text(serde_json::to_string(frame).unwrap_or_default().into())
}

/// Milliseconds since the epoch, as chat-core counts time.
fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
