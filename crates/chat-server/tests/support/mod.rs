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
mod protocol_client;
pub mod redis;

// Not every test uses the protocol client.
#[allow(unused_imports)]
pub use protocol_client::*;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_protocol::{MeetingId, Participant, ParticipantId, Role};
use chat_server::auth::TokenKeys;
use chat_server::Config;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
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
