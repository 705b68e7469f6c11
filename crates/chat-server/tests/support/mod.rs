//! Test harness: a real server on 127.0.0.1:0 over a real SQLite file (or,
//! with `CHAT_TEST_ENGINE=postgres`, a fresh database on the tests' own
//! PostgreSQL: the same suite on both engines), and a WebSocket client that
//! speaks the protocol; and a cluster of real nodes behind a real front.
#![allow(dead_code)]

pub mod bombs;
pub mod cluster;
pub mod nginx;
pub mod postgres;
pub mod processes;
pub mod redis;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_protocol::{
    AckResult, ClientFrame, ClientId, ErrorFrame, Event, EventEnvelope, MeetingId, Message, NewContent, Participant,
    ParticipantId, RequestId, Role, Seq, ServerFrame, PROTOCOL_VERSION,
};
use chat_server::auth::TokenKeys;
use chat_server::Config;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

pub const SECRET: &[u8] = b"integration-test-secret-0123456789";
pub const MEETING: &str = "standup";
const WAIT: Duration = Duration::from_secs(5);

/// A running server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Its PostgreSQL database, when not on SQLite.
    pub database_url: Option<String>,
    shutdown: CancellationToken,
    handle: JoinHandle<Result<(), chat_server::ServeError>>,
}

/// The configuration tests use unless they change it.
pub fn test_config(data_dir: &Path) -> Config {
    let mut config = Config::new(data_dir, SECRET.to_vec());
    config.auth_timeout = Duration::from_millis(600);
    config.drain_delay = Duration::ZERO;
    config.presence_interval = Duration::from_millis(100);
    if std::env::var("CHAT_TEST_ENGINE").as_deref() == Ok("postgres") {
        config.database_url = Some(postgres::database_for(data_dir));
    }
    config
}

impl TestServer {
    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(test_config(data_dir)).await
    }

    pub async fn start_with(config: Config) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let shutdown = CancellationToken::new();
        let (data_dir, database_url) = (config.data_dir.clone(), config.database_url.clone());
        let handle = tokio::spawn(chat_server::api::app::serve(listener, config, shutdown.clone()));
        Self { addr, data_dir, database_url, shutdown, handle }
    }

    /// Begins a graceful stop (as SIGTERM does) without waiting for it.
    pub fn begin_stop(&self) {
        self.shutdown.cancel();
    }

    /// Stops gracefully and waits until the server released its files.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let result = tokio::time::timeout(Duration::from_secs(10), self.handle).await;
        result.expect("server stops within 10 s").expect("server task").expect("server ran cleanly");
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

pub fn participant(id: &str, role: Role) -> Participant {
    Participant { id: ParticipantId::from(id), display_name: format!("{id} name"), role }
}

pub fn token_for(id: &str, role: Role) -> String {
    token_in(id, role, MEETING)
}

pub fn token_in(id: &str, role: Role, meeting: &str) -> String {
    TokenKeys::new(SECRET).mint(&participant(id, role), &MeetingId::from(meeting), 3600).expect("mint")
}

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
        tokio::time::timeout(WAIT, async {
            loop {
                match self.next().await {
                    ServerFrame::Typing(notice) => return notice,
                    ServerFrame::Event(envelope) => self.events.push(envelope),
                    other => self.others.push(other),
                }
            }
        })
        .await
        .expect("a typing notice within 5 s")
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

/// The server's database opened directly, to check what is really stored.
/// Rows of `sql` run on `server`'s database, whichever engine, every
/// column as text (`None` for NULL); write SQL both engines read alike.
pub async fn stored_rows(server: &TestServer, sql: &str) -> Vec<Vec<Option<String>>> {
    if let Some(url) = &server.database_url {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect");
        tokio::spawn(connection);
        let messages = client.simple_query(sql).await.expect("query");
        return messages
            .into_iter()
            .filter_map(|message| match message {
                tokio_postgres::SimpleQueryMessage::Row(row) => {
                    Some((0..row.len()).map(|i| row.get(i).map(str::to_owned)).collect())
                }
                _ => None,
            })
            .collect();
    }
    let db = rusqlite::Connection::open(server.data_dir.join("chat.db")).expect("open the SQLite database");
    let mut statement = db.prepare(sql).expect("prepare");
    let columns = statement.column_count();
    let rows = statement
        .query_map([], |row| {
            (0..columns)
                .map(|i| {
                    Ok(match row.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => None,
                        rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
                        rusqlite::types::ValueRef::Real(x) => Some(x.to_string()),
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            Some(String::from_utf8_lossy(t).into_owned())
                        }
                    })
                })
                .collect()
        })
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// The one number `sql` answers on `server`'s database.
pub async fn stored_count(server: &TestServer, sql: &str) -> i64 {
    let rows = stored_rows(server, sql).await;
    rows[0][0].as_deref().expect("a number").parse().expect("a number")
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("json")
}

/// A PNG of `width` × `height` with a gradient.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A tiny WAV file: a minimal RIFF/WAVE header and 16 bytes of silence.
pub fn wav() -> Vec<u8> {
    let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00".to_vec();
    wav.extend_from_slice(&[0; 16]);
    wav
}

/// Uploads `body` as `name` of `kind`, claiming `claimed_type`.
pub async fn upload(
    server: &TestServer,
    token: &str,
    name: &str,
    kind: &str,
    body: Vec<u8>,
    claimed_type: &str,
) -> reqwest::Response {
    upload_at(&server.http_url(""), token, name, kind, body, claimed_type).await
}

/// [`upload`] to the server at `base` (`http://host:port`).
pub async fn upload_at(
    base: &str,
    token: &str,
    name: &str,
    kind: &str,
    body: Vec<u8>,
    claimed_type: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/uploads"))
        .query(&[("name", name), ("kind", kind)])
        .bearer_auth(token)
        .header("content-type", claimed_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Uploads and expects success.
pub async fn upload_ok(
    server: &TestServer,
    token: &str,
    name: &str,
    kind: &str,
    body: Vec<u8>,
) -> chat_protocol::FileRef {
    let response = upload(server, token, name, kind, body, "application/octet-stream").await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    response.json().await.unwrap()
}

/// Starts the real binary with `args` (its address is chosen by the system)
/// and returns it with the address it printed.
pub async fn start_binary(args: &[&str], data_dir: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chat-server"))
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args(args)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("start chat-server");
    let stdout = child.stdout.take().expect("its stdout");
    let addr = tokio::task::spawn_blocking(move || {
        let mut lines = std::io::BufReader::new(stdout).lines();
        loop {
            let line = lines.next().expect("server printed its address").expect("a line");
            if let Some(rest) = line.split("addr=").nth(1) {
                let addr = rest.split_whitespace().next().expect("an address").to_owned();
                std::thread::spawn(move || for _ in lines {});
                return addr;
            }
        }
    })
    .await
    .expect("reads the address");
    (child, addr)
}

/// A webhook receiver that keeps every body.
pub async fn collecting_receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let log = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let log = Arc::clone(&log);
            async move { log.lock().unwrap().push(body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

pub fn of_type(seen: &Mutex<Vec<Value>>, kind: &str) -> Vec<Value> {
    seen.lock().unwrap().iter().filter(|b| b["type"] == kind).cloned().collect()
}
