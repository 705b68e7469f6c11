//! A bot, or an app's service, in a meeting, natively. [`Bot::run`] keeps a
//! connection open across drops (resuming from the last event it handled),
//! shows each new message from a person to a handler, and sends what the
//! handler answers. Answers are named by the message they answer, kept until
//! the server acknowledges them and sent again after a reconnect, so each is
//! stored exactly once however often the connection fails.

mod incoming;

use std::time::Duration;

use chat_protocol::{close_code, AckResult, ClientFrame, ClientId, Event, ParticipantId, RequestId, Seq, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_util::sync::CancellationToken;

use incoming::Answer;
pub use incoming::Incoming;

const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(5);

/// Why a bot stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// The server will not let this token in (invalid, expired, or a
    /// protocol this bot does not speak); retrying cannot help.
    #[error("the server refused the bot: {0}")]
    Refused(String),
}

/// A bot's address and credentials.
pub struct Bot {
    url: String,
    token: String,
}

/// What one connection ended with.
enum Ended {
    /// Lost or closed; worth reconnecting.
    Dropped(String),
    Fatal(BotError),
}

/// An answer sent and not yet acknowledged.
struct Pending {
    req_id: RequestId,
    client_id: ClientId,
    answer: Answer,
}

/// What outlives a connection.
#[derive(Default)]
struct Progress {
    me: Option<ParticipantId>,
    last_seq: Option<Seq>,
    pending: Vec<Pending>,
    next_req: RequestId,
    welcomed: bool,
}

impl Bot {
    /// A bot that connects to `url` (`ws://host/ws`) with `token`, whose role
    /// is `bot` (or `service`, to speak as puppets).
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        Self { url: url.into(), token: token.into() }
    }

    /// Runs until `shutdown` is cancelled, or the server refuses the token.
    /// The handler sees messages sent after the bot first joined; messages
    /// from bots are not shown to it, so two bots never answer each other
    /// forever.
    pub async fn run<H>(&self, mut handler: H, shutdown: CancellationToken) -> Result<(), BotError>
    where
        H: FnMut(&mut Incoming<'_>),
    {
        let mut progress = Progress { next_req: 1, ..Progress::default() };
        let mut delay = FIRST_RETRY;
        loop {
            progress.welcomed = false;
            let ended = tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                ended = self.connection(&mut progress, &mut handler) => ended,
            };
            match ended {
                Ended::Fatal(error) => return Err(error),
                Ended::Dropped(reason) => tracing::warn!(%reason, "bot connection lost; reconnecting"),
            }
            if progress.welcomed {
                delay = FIRST_RETRY;
            }
            tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                () = tokio::time::sleep(delay) => {}
            }
            delay = (delay * 2).min(LAST_RETRY);
        }
    }

    async fn connection<H>(&self, progress: &mut Progress, handler: &mut H) -> Ended
    where
        H: FnMut(&mut Incoming<'_>),
    {
        let mut socket = match tokio_tungstenite::connect_async(self.url.as_str()).await {
            Ok((socket, _)) => socket,
            Err(error) => return Ended::Dropped(error.to_string()),
        };
        let auth = ClientFrame::Auth {
            v: chat_protocol::PROTOCOL_VERSION,
            token: self.token.clone(),
            last_seq: progress.last_seq,
        };
        if let Err(error) = socket.send(encode(&auth)).await {
            return Ended::Dropped(error.to_string());
        }
        while let Some(received) = socket.next().await {
            let text = match received {
                Ok(WsMessage::Text(text)) => text,
                Ok(WsMessage::Close(frame)) => return closed(frame.map(|f| (f.code, f.reason.to_string()))),
                Ok(_) => continue,
                Err(error) => return Ended::Dropped(error.to_string()),
            };
            let frame = match serde_json::from_str::<ServerFrame>(&text) {
                Ok(frame) => frame,
                Err(error) => {
                    tracing::warn!(%error, "a frame this bot cannot read; skipped");
                    continue;
                }
            };
            let outgoing = progress.receive(frame, handler);
            for frame in outgoing {
                if let Err(error) = socket.send(encode(&frame)).await {
                    return Ended::Dropped(error.to_string());
                }
            }
        }
        Ended::Dropped("the server closed the connection".into())
    }
}

impl Progress {
    /// Takes in one frame; returns the frames to send.
    fn receive<H>(&mut self, frame: ServerFrame, handler: &mut H) -> Vec<ClientFrame>
    where
        H: FnMut(&mut Incoming<'_>),
    {
        match frame {
            ServerFrame::Welcome { me, head_seq, .. } => {
                self.welcomed = true;
                self.me = Some(me.id);
                // On the first connection the bot starts from now, not from the meeting's past.
                self.last_seq.get_or_insert(head_seq);
                let unanswered = std::mem::take(&mut self.pending);
                unanswered.into_iter().map(|p| self.send(p.client_id, p.answer)).collect()
            }
            ServerFrame::Reset { head_seq } => {
                self.last_seq = Some(head_seq);
                Vec::new()
            }
            ServerFrame::Event(envelope) => {
                let mut frames = Vec::new();
                if let Event::MessageCreated { message } = &envelope.event {
                    if !message.sender.bot && Some(&message.sender.id) != self.me.as_ref() {
                        let mut incoming = Incoming::new(message);
                        handler(&mut incoming);
                        frames = incoming.into_frames().into_iter().map(|(id, a)| self.send(id, a)).collect();
                    }
                }
                self.last_seq = Some(envelope.seq);
                frames
            }
            ServerFrame::Ack { req_id, result } => {
                if let AckResult::Sent { .. } = result {
                    self.pending.retain(|p| p.req_id != req_id);
                }
                Vec::new()
            }
            ServerFrame::Error(error) => {
                if let Some(at) = self.pending.iter().position(|p| Some(p.req_id) == error.req_id) {
                    if !error.code.is_retryable() {
                        let refused = self.pending.remove(at);
                        tracing::warn!(client_id = %refused.client_id.0, %error.message, "the server refused an answer");
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Records an answer as pending and makes its frame.
    fn send(&mut self, client_id: ClientId, answer: Answer) -> ClientFrame {
        let req_id = self.next_req;
        self.next_req += 1;
        let frame = answer.frame(req_id, client_id.clone());
        self.pending.push(Pending { req_id, client_id, answer });
        frame
    }
}

fn encode(frame: &ClientFrame) -> WsMessage {
    WsMessage::Text(serde_json::to_string(frame).unwrap_or_default().into())
}

/// A close frame's meaning: a refused token ends the bot; anything else is a drop.
fn closed(frame: Option<(CloseCode, String)>) -> Ended {
    match frame {
        Some((code, reason))
            if [close_code::AUTH_FAILED, close_code::UNSUPPORTED_VERSION].contains(&u16::from(code)) =>
        {
            Ended::Fatal(BotError::Refused(reason))
        }
        Some((code, reason)) => Ended::Dropped(format!("closed ({}): {reason}", u16::from(code))),
        None => Ended::Dropped("closed".into()),
    }
}
