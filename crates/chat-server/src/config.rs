//! Server settings, independent of how they were given (flags, env, tests).

use std::path::PathBuf;
use std::time::Duration;

use chat_protocol::Limits;

/// Everything the server needs to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the SQLite database and uploaded files live.
    pub data_dir: PathBuf,
    /// A PostgreSQL database (`postgres://…`) instead of SQLite.
    pub database_url: Option<String>,
    /// Redis (`redis://…`), through which the nodes on one PostgreSQL
    /// database announce events and share presence and limits.
    pub redis_url: Option<String>,
    /// This node's name in a cluster (a random one unless given).
    pub node_id: String,
    /// The secret that signs tokens and file URLs.
    pub secret: Vec<u8>,
    /// Dev mode: the server mints demo tokens itself and serves the demo page.
    pub dev: bool,
    /// The built demo page, served at `/` in dev mode when present.
    pub demo_dir: Option<PathBuf>,
    /// Prefix for file URLs (`https://chat.example.com`); relative URLs when `None`.
    pub public_url: Option<String>,
    /// Limits enforced on clients.
    pub limits: Limits,
    /// How long a signed file URL stays valid.
    pub file_url_ttl: Duration,
    /// How long a new connection has to authenticate.
    pub auth_timeout: Duration,
    /// Chat frames a connection may have queued before it counts as a slow
    /// consumer (presence waits apart and collapses instead).
    pub send_queue_frames: usize,
    /// How often, at most, a connection is told who came and went.
    pub presence_interval: Duration,
    /// In a meeting of 10,000 (proportionally less in a smaller large one),
    /// how long a connection's writer gathers frames before writing them
    /// together: thousands of receivers each written once per message would
    /// cost a system call per delivery.
    pub large_meeting_linger: Duration,
    /// Up to this many participants, everyone is named to everyone; above
    /// it, presence frames carry the count and hosts, the rest is paged.
    pub presence_list_limit: u32,
    /// How long a slow consumer's close frame may wait behind the data already
    /// buffered for it: long enough that the client learns why it was closed
    /// and resumes rather than guessing; the write buffer limit bounds the rest.
    pub slow_consumer_close_wait: Duration,
    /// How many events behind a resuming client may be before it must reset.
    pub resume_window: u64,
    /// Uploads a participant may make per rate window.
    pub uploads_per_window: u32,
    /// Searches a participant may make per rate window (each page counts).
    pub searches_per_window: u32,
    /// Images decoded at once (each up to 40 megapixels, about 160 MB and a
    /// core for a second); more wait in a bounded queue. The cores by default.
    pub image_decodes_at_once: usize,
    /// The message hook asked before a message or an edit is stored, if any.
    pub hook: Option<HookConfig>,
    /// Where webhooks go, if anywhere.
    pub webhooks: Option<WebhookConfig>,
    /// Whether the chat dump lists private messages (with their recipients).
    pub export_private: bool,
    /// How long a meeting stays empty before `meeting.chatSynced` is sent.
    pub chat_synced_grace: Duration,
    /// How long a member may be away before a message they missed is notified.
    pub offline_grace: Duration,
    /// On shutdown, how long `/readyz` says no before sockets close, so a
    /// load balancer stops sending new clients first.
    pub drain_delay: Duration,
    /// On shutdown, how long open connections and requests may take to
    /// finish once sockets are told to close; then the server exits anyway.
    pub shutdown_deadline: Duration,
    /// Where `/metrics` is served instead of the main address, if anywhere.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// How long one HTTP request (an upload's body included) may take.
    pub request_timeout: Duration,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// Upload bytes one participant may send per hour.
    pub upload_bytes_per_hour: u64,
    /// Bytes all of a meeting's files may take.
    pub meeting_upload_bytes: u64,
    /// How long an upload may wait for a message to carry it before it is deleted.
    pub unattached_upload_ttl: Duration,
}

/// Where webhooks go and how hard to try.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// The endpoints; each gets every delivery, in order, on its own.
    pub urls: Vec<String>,
    /// The secret deliveries are signed with.
    pub secret: Vec<u8>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// The longest wait between attempts (waits double from a quarter second).
    pub max_backoff: Duration,
    /// How old a delivery may get before it is given up on (marked dead, logged).
    pub give_up_after: Duration,
}

impl WebhookConfig {
    /// Deliveries to `urls` signed with `secret`, with the documented defaults.
    pub fn new(urls: Vec<String>, secret: impl Into<Vec<u8>>) -> Self {
        Self {
            urls,
            secret: secret.into(),
            timeout: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            give_up_after: Duration::from_secs(24 * 3600),
        }
    }
}

/// Where the message hook is and how to treat it.
#[derive(Clone, Debug)]
pub struct HookConfig {
    /// Its URL (http or https).
    pub url: String,
    /// The secret its requests are signed with.
    pub secret: Vec<u8>,
    /// How long to wait for its answer.
    pub timeout: Duration,
    /// What to do when it is slow, down, or answers nonsense.
    pub policy: HookPolicy,
}

/// What the server does when the hook cannot answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookPolicy {
    /// Accept the message as sent, and log it.
    Open,
    /// Refuse it with a retryable `hook_unavailable` error.
    Closed,
}

impl Config {
    /// Settings with the documented defaults, storing under `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>, secret: impl Into<Vec<u8>>) -> Self {
        let limits = Limits::default();
        Self {
            data_dir: data_dir.into(),
            secret: secret.into(),
            database_url: None,
            redis_url: None,
            node_id: uuid::Uuid::new_v4().simple().to_string(),
            dev: false,
            demo_dir: None,
            public_url: None,
            uploads_per_window: limits.file_messages_per_window * 2,
            searches_per_window: 30,
            image_decodes_at_once: std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            limits,
            file_url_ttl: Duration::from_secs(24 * 3600),
            auth_timeout: Duration::from_secs(5),
            send_queue_frames: 1024,
            presence_interval: Duration::from_millis(500),
            large_meeting_linger: Duration::from_millis(200),
            presence_list_limit: 500,
            slow_consumer_close_wait: Duration::from_secs(10),
            resume_window: 1000,
            hook: None,
            webhooks: None,
            export_private: false,
            chat_synced_grace: Duration::from_secs(30),
            offline_grace: Duration::from_secs(10),
            drain_delay: Duration::from_secs(2),
            shutdown_deadline: Duration::from_secs(10),
            metrics_addr: None,
            request_timeout: Duration::from_secs(60),
            header_timeout: Duration::from_secs(10),
            upload_bytes_per_hour: 250 * 1024 * 1024,
            meeting_upload_bytes: 2 * 1024 * 1024 * 1024,
            unattached_upload_ttl: Duration::from_secs(15 * 60),
        }
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("chat.db")
    }

    /// The folder of uploaded files.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}
