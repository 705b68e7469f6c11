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
mod running;
mod socket;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chat_protocol::{ClientId, MessageId};
use chat_session::Link;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

pub use checkpoint::{Checkpoint, CheckpointError, CheckpointStore, FileCheckpoints, UnsentMessage};
use driver::{Driver, Handler, Waiter};
pub use message::{ChatMessage, MessageOptions, Recipient};
use running::Running;

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
pub(crate) enum Command {
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
        Self { url: url.into(), token: token.into(), chat, commands: queue, checkpoints: None }
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
    /// The reconnect loop (backoff with jitter, resume) is the widget's own,
    /// from `chat-session`.
    pub async fn run(mut self, shutdown: CancellationToken) -> Result<(), BotError> {
        let mut driver = Driver::new();
        let mut saved = None;
        if let Some(store) = &mut self.checkpoints {
            if let Some(checkpoint) = store.load()? {
                tracing::info!(last_seq = checkpoint.last_seq, unsent = checkpoint.unsent.len(), "resuming");
                saved = Some(checkpoint.clone());
                driver.restore(checkpoint, now());
            }
        }
        let link = Link::new(self.url, self.token);
        let running = Running::new(&link, driver, self.checkpoints, saved);
        // The handler, given before `run`, is in place before the first frame.
        while let Ok(command) = self.commands.try_recv() {
            running.command(command);
        }
        // Sends asked for while offline join the outbox meanwhile.
        let commands = async {
            let mut tick = tokio::time::interval(TICK);
            loop {
                tokio::select! {
                    Some(command) = self.commands.recv() => running.command(command),
                    _ = tick.tick() => running.tick(),
                }
            }
        };
        tokio::select! {
            () = shutdown.cancelled() => Ok(()),
            () = link.run(&socket::Tungstenite, &running) => running.refusal().map_or(Ok(()), Err),
            () = commands => Ok(()),
        }
    }
}

/// Milliseconds since the epoch, as chat-core counts time.
pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
