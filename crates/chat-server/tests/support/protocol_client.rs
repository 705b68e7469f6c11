//! A WebSocket client that speaks the protocol, for the tests: one frame at
//! a time, requests and their answers, the events it saw; and raw sockets
//! for the tests that play a misbehaving client.

use std::time::Duration;

use chat_protocol::{
    AckResult, ClientFrame, ClientId, ErrorFrame, Event, EventEnvelope, Message, NewContent, Participant,
    ParticipantId, RequestId, Role, Seq, ServerFrame, PROTOCOL_VERSION,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{token_for, TestServer, WAIT};

/// A plain send: `content` to `targets` (everyone when empty).
pub fn send_frame(req_id: RequestId, client_id: &str, content: NewContent, targets: Vec<ParticipantId>) -> ClientFrame {
    ClientFrame::Send {
        req_id,
        client_id: ClientId::from(client_id),
        content,
        reply_to: None,
        forwarded_from: None,
        targets,
        metadata: Default::default(),
        details: Default::default(),
        attachments: Vec::new(),
        as_sender: None,
        mentions: Vec::new(),
    }
}

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One protocol client.
pub struct Client {
    pub socket: Socket,
    pub me: Participant,
    pub welcome: ServerFrame,
    /// Events received so far, in arrival order.
    pub events: Vec<EventEnvelope>,
    /// Other frames received while waiting for something else.
    pub others: Vec<ServerFrame>,
    /// How many of `events` `next_event` has returned.
    consumed: usize,
    next_req: RequestId,
}

/// What a request was answered with.
#[derive(Debug)]
pub enum Answer {
    Ack(AckResult),
    Error(ErrorFrame),
}

impl Answer {
    pub fn ack(self) -> AckResult {
        match self {
            Self::Ack(result) => result,
            Self::Error(e) => panic!("expected an ack, got error {e:?}"),
        }
    }

    pub fn error(self) -> ErrorFrame {
        match self {
            Self::Error(e) => e,
            Self::Ack(result) => panic!("expected an error, got ack {result:?}"),
        }
    }
}

pub async fn raw_socket(server: &TestServer) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(server.ws_url()).await.expect("websocket connects");
    socket
}

/// A socket whose receive buffer is tiny, to play a slow reader.
pub async fn raw_socket_small_buffer(server: &TestServer) -> Socket {
    let tcp = TcpSocket::new_v4().expect("socket");
    tcp.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    let stream = tcp.connect(server.addr).await.expect("tcp connect");
    let (socket, _) = tokio_tungstenite::client_async(server.ws_url(), MaybeTlsStream::Plain(stream))
        .await
        .expect("websocket handshake");
    socket
}

pub fn auth_frame(token: &str, last_seq: Option<Seq>) -> String {
    serde_json::to_string(&ClientFrame::Auth { v: PROTOCOL_VERSION, token: token.to_owned(), last_seq })
        .expect("serialize")
}

/// Connects to `url` with `token` and returns the close code the server
/// answers with, or `None` when it welcomes the connection.
pub async fn refused_at(url: &str, token: &str) -> Option<u16> {
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
    socket.send(WsMessage::Text(auth_frame(token, None).into())).await.expect("send auth");
    match next_frame(&mut socket).await {
        Ok(ServerFrame::Welcome { .. }) => None,
        Ok(other) => panic!("a welcome or a close, not {other:?}"),
        Err(code) => code,
    }
}

/// Reads the next text frame as a server frame, or `Err(close code)` when the
/// socket closes.
pub async fn next_frame(socket: &mut Socket) -> Result<ServerFrame, Option<u16>> {
    next_frame_within(socket, WAIT).await.expect("a frame within 5 s")
}

/// [`next_frame`], or `None` when none comes within `wait`.
pub async fn next_frame_within(socket: &mut Socket, wait: Duration) -> Option<Result<ServerFrame, Option<u16>>> {
    let deadline = tokio::time::Instant::now() + wait;
    Some(loop {
        let message = tokio::time::timeout_at(deadline, socket.next()).await.ok()?;
        match message {
            Some(Ok(WsMessage::Text(text))) => {
                break Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad server frame {text}: {e}")))
            }
            Some(Ok(WsMessage::Close(frame))) => break Err(frame.map(|f| u16::from(f.code))),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => break Err(None),
        }
    })
}

/// Reads until the socket closes and returns the close code.
pub async fn expect_close(socket: &mut Socket) -> Option<u16> {
    loop {
        match next_frame(socket).await {
            Ok(_) => continue,
            Err(code) => return code,
        }
    }
}

impl Client {
    pub async fn connect(server: &TestServer, id: &str, role: Role) -> Self {
        Self::connect_token(server, &token_for(id, role), None).await
    }

    pub async fn connect_token(server: &TestServer, token: &str, last_seq: Option<Seq>) -> Self {
        Self::connect_url(&server.ws_url(), token, last_seq).await
    }

    /// Connects to the WebSocket at `url` (a node, or a cluster's front).
    pub async fn connect_url(url: &str, token: &str, last_seq: Option<Seq>) -> Self {
        let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
        socket.send(WsMessage::Text(auth_frame(token, last_seq).into())).await.expect("send auth");
        let welcome = next_frame(&mut socket).await.expect("welcome frame");
        let me = match &welcome {
            ServerFrame::Welcome { me, .. } => me.clone(),
            other => panic!("expected welcome, got {other:?}"),
        };
        Self { socket, me, welcome, events: Vec::new(), others: Vec::new(), consumed: 0, next_req: 1 }
    }

    pub fn head_seq(&self) -> Seq {
        match &self.welcome {
            ServerFrame::Welcome { head_seq, .. } => *head_seq,
            _ => 0,
        }
    }

    pub fn last_seq(&self) -> Option<Seq> {
        self.events.last().map(|e| e.seq)
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.socket.send(WsMessage::Text(text.to_owned().into())).await.expect("send");
    }

    /// Sends a request built with the next request id; returns its answer,
    /// keeping frames that arrive meanwhile.
    pub async fn request(&mut self, build: impl FnOnce(RequestId) -> ClientFrame) -> Answer {
        let req_id = self.next_req;
        self.next_req += 1;
        let text = serde_json::to_string(&build(req_id)).expect("serialize");
        self.send_raw(&text).await;
        self.answer_to(Some(req_id)).await
    }

    /// Waits for the ack or error of `req_id` (`None`: an error without a request id).
    pub async fn answer_to(&mut self, req_id: Option<RequestId>) -> Answer {
        loop {
            match self.next().await {
                ServerFrame::Ack { req_id: id, result } if Some(id) == req_id => return Answer::Ack(result),
                ServerFrame::Error(e) if e.req_id == req_id => return Answer::Error(e),
                ServerFrame::Event(envelope) => self.events.push(envelope),
                other => self.others.push(other),
            }
        }
    }

    pub async fn next(&mut self) -> ServerFrame {
        match next_frame(&mut self.socket).await {
            Ok(frame) => frame,
            Err(code) => panic!("socket closed with {code:?}"),
        }
    }

    /// The next presence frame, keeping events that arrive meanwhile.
    pub async fn next_presence(&mut self) -> chat_protocol::PresenceDelta {
        self.next_presence_within(WAIT).await.expect("a presence frame within 5 s")
    }

    /// [`Client::next_presence`], or `None` when none comes within `wait`.
    pub async fn next_presence_within(&mut self, wait: Duration) -> Option<chat_protocol::PresenceDelta> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match next_frame_within(&mut self.socket, left).await? {
                Ok(ServerFrame::Presence(delta)) => return Some(delta),
                Ok(ServerFrame::Event(envelope)) => self.events.push(envelope),
                Ok(other) => self.others.push(other),
                Err(code) => panic!("socket closed with {code:?}"),
            }
        }
    }

    /// The next event not yet returned, waiting for it if none is buffered;
    /// presence frames are skipped.
    pub async fn next_event(&mut self) -> EventEnvelope {
        if let Some(buffered) = self.events.get(self.consumed) {
            self.consumed += 1;
            return buffered.clone();
        }
        loop {
            match self.next().await {
                ServerFrame::Event(envelope) => {
                    self.events.push(envelope.clone());
                    self.consumed = self.events.len();
                    return envelope;
                }
                other => self.others.push(other),
            }
        }
    }

    /// Asserts no event arrives: sends a ping and sees its answer come first.
    pub async fn assert_no_event(&mut self) {
        assert_eq!(self.consumed, self.events.len(), "unread events: {:?}", &self.events[self.consumed..]);
        let before = self.events.len();
        self.request(|req_id| ClientFrame::Ping { req_id }).await.ack();
        assert_eq!(self.events.len(), before, "unexpected events: {:?}", &self.events[before..]);
    }

    /// Says this participant is typing to `targets` (everyone when empty); no answer comes.
    pub async fn typing(&mut self, targets: &[&str]) {
        let frame = ClientFrame::Typing { targets: targets.iter().map(|t| ParticipantId::from(*t)).collect() };
        self.send_raw(&serde_json::to_string(&frame).expect("serialize")).await;
    }

    /// The next typing notice, keeping other frames.
    pub async fn next_typing(&mut self) -> chat_protocol::TypingNotice {
        self.next_picked("a typing notice", |frame| match frame {
            ServerFrame::Typing(notice) => Some(notice.clone()),
            _ => None,
        })
        .await
    }

    /// The next typing crowd of a large meeting, keeping other frames.
    pub async fn next_typing_crowd(&mut self) -> chat_protocol::TypingCrowd {
        self.next_picked("a typing crowd", |frame| match frame {
            ServerFrame::TypingCrowd(crowd) => Some(crowd.clone()),
            _ => None,
        })
        .await
    }

    /// The next poll tally, one already kept first.
    pub async fn next_tally(&mut self) -> chat_protocol::PollTally {
        if let Some(at) = self.others.iter().position(|frame| matches!(frame, ServerFrame::PollTally(_))) {
            let ServerFrame::PollTally(tally) = self.others.remove(at) else { unreachable!("a tally at {at}") };
            return tally;
        }
        self.next_picked("a poll tally", |frame| match frame {
            ServerFrame::PollTally(tally) => Some(tally.clone()),
            _ => None,
        })
        .await
    }

    /// The poll tallies that arrived so far and before the answer to a ping sent now.
    pub async fn tallies_so_far(&mut self) -> Vec<chat_protocol::PollTally> {
        self.request(|req_id| ClientFrame::Ping { req_id }).await.ack();
        let mut tallies = Vec::new();
        self.others.retain(|frame| match frame {
            ServerFrame::PollTally(tally) => {
                tallies.push(tally.clone());
                false
            }
            _ => true,
        });
        tallies
    }

    /// The next frame `pick` takes, within 5 s; events and the other frames
    /// that arrive meanwhile are kept.
    async fn next_picked<T>(&mut self, what: &str, pick: impl Fn(&ServerFrame) -> Option<T>) -> T {
        let picked = tokio::time::timeout(WAIT, async {
            loop {
                let frame = self.next().await;
                match (pick(&frame), frame) {
                    (Some(picked), _) => return picked,
                    (None, ServerFrame::Event(envelope)) => self.events.push(envelope),
                    (None, other) => self.others.push(other),
                }
            }
        })
        .await;
        picked.unwrap_or_else(|_| panic!("{what} within 5 s"))
    }

    /// The typing notices that arrived so far and before the answer to a ping sent now.
    pub async fn typing_so_far(&mut self) -> Vec<chat_protocol::TypingNotice> {
        self.request(|req_id| ClientFrame::Ping { req_id }).await.ack();
        let mut notices = Vec::new();
        self.others.retain(|frame| match frame {
            ServerFrame::Typing(notice) => {
                notices.push(notice.clone());
                false
            }
            _ => true,
        });
        notices
    }

    pub async fn send_text(&mut self, client_id: &str, text: &str) -> Answer {
        self.send(client_id, NewContent::Text { text: text.to_owned() }, Vec::new()).await
    }

    pub async fn send(&mut self, client_id: &str, content: NewContent, targets: Vec<&str>) -> Answer {
        let targets = targets.into_iter().map(ParticipantId::from).collect();
        self.request(|req_id| send_frame(req_id, client_id, content, targets)).await
    }

    pub async fn history(&mut self, before: Option<Seq>, limit: u32) -> (Vec<Message>, bool) {
        match self.request(|req_id| ClientFrame::History { req_id, before, limit, with: None }).await.ack() {
            AckResult::History { messages, has_more } => (messages, has_more),
            other => panic!("expected a history page, got {other:?}"),
        }
    }

    /// All history visible to this client, oldest first.
    pub async fn all_history(&mut self) -> Vec<Message> {
        let mut all = Vec::new();
        let mut before = None;
        loop {
            let (page, has_more) = self.history(before, 100).await;
            before = page.first().map(|m| m.seq);
            let mut older = page;
            older.append(&mut all);
            all = older;
            if !has_more {
                return all;
            }
        }
    }
}

pub fn sent_id(result: &AckResult) -> chat_protocol::MessageId {
    result.message_id().cloned().unwrap_or_else(|| panic!("expected a sent ack, got {result:?}"))
}

pub fn created_message(envelope: &EventEnvelope) -> &Message {
    match &envelope.event {
        Event::MessageCreated { message } => message,
        other => panic!("expected a created message, got {other:?}"),
    }
}

pub fn text_of(message: &Message) -> &str {
    match &message.content {
        chat_protocol::Content::Text { text } => text,
        other => panic!("expected text, got {other:?}"),
    }
}
