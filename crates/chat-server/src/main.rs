//! The `chat-server` binary: flags and environment, logging, signals.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chat_server::api::app;
use chat_server::config::{HookConfig, HookPolicy, WebhookConfig};
use chat_server::Config;
use clap::Parser;
use tokio_util::sync::CancellationToken;

/// The meeting-chat server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "CHAT_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Folder for the SQLite database and uploaded files.
    #[arg(long, env = "CHAT_DATA_DIR", default_value = ".data")]
    data_dir: PathBuf,
    /// PostgreSQL instead of SQLite (postgres://user@host:port/database).
    #[arg(long, env = "CHAT_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Redis (redis://host:port), so that several servers on one PostgreSQL
    /// database serve the same meetings live.
    #[arg(long, env = "CHAT_REDIS_URL", hide_env_values = true, requires = "database_url")]
    redis_url: Option<String>,
    /// This node's name in a cluster (random unless given).
    #[arg(long, env = "CHAT_NODE_ID")]
    node_id: Option<String>,
    /// Secret that signs tokens and file URLs (required unless --dev).
    #[arg(long, env = "CHAT_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Demo mode: mint tokens at /dev/token and serve the demo page.
    #[arg(long)]
    dev: bool,
    /// The built demo page, served in dev mode.
    #[arg(long, env = "CHAT_DEMO_DIR", default_value = "dist")]
    demo_dir: PathBuf,
    /// Public base URL for file links, e.g. https://chat.example.com (relative links if unset).
    #[arg(long, env = "CHAT_PUBLIC_URL")]
    public_url: Option<String>,
    /// Largest accepted upload, in bytes.
    #[arg(long, env = "CHAT_MAX_UPLOAD_BYTES", default_value_t = 25 * 1024 * 1024)]
    max_upload_bytes: u64,
    /// The message hook: asked before each new message or edit is stored (see the book: docs/src/apps.md).
    #[arg(long, env = "CHAT_HOOK_URL")]
    hook_url: Option<String>,
    /// The secret the hook's requests are signed with (at least 16 characters).
    #[arg(long, env = "CHAT_HOOK_SECRET", hide_env_values = true)]
    hook_secret: Option<String>,
    /// How long to wait for the hook's answer, in milliseconds.
    #[arg(long, env = "CHAT_HOOK_TIMEOUT_MS", default_value_t = 2_000)]
    hook_timeout_ms: u64,
    /// When the hook is slow, down or answers nonsense: `open` (accept as sent) or `closed` (refuse, retryable).
    #[arg(long, env = "CHAT_HOOK_POLICY", default_value = "closed", value_parser = ["open", "closed"])]
    hook_policy: String,
    /// A webhook endpoint; give it once per endpoint (or a comma-separated CHAT_WEBHOOK_URLS).
    #[arg(long = "webhook-url", env = "CHAT_WEBHOOK_URLS", value_delimiter = ',')]
    webhook_urls: Vec<String>,
    /// The secret webhook deliveries are signed with (at least 16 characters).
    #[arg(long, env = "CHAT_WEBHOOK_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// The longest wait between a delivery's attempts, in milliseconds.
    #[arg(long, env = "CHAT_WEBHOOK_MAX_BACKOFF_MS", default_value_t = 60_000)]
    webhook_max_backoff_ms: u64,
    /// How old a delivery may get before it is given up on (marked dead), in seconds.
    #[arg(long, env = "CHAT_WEBHOOK_GIVE_UP_SECS", default_value_t = 86_400)]
    webhook_give_up_secs: u64,
    /// Seconds a meeting stays empty before `meeting.chatSynced` is sent.
    #[arg(long, env = "CHAT_SYNCED_GRACE_SECS", default_value_t = 30)]
    chat_synced_grace_secs: u64,
    /// Seconds a member may be away before a message they missed brings `notification.offline`.
    #[arg(long, env = "CHAT_OFFLINE_GRACE_SECS", default_value_t = 10)]
    offline_grace_secs: u64,
    /// On SIGTERM, milliseconds `/readyz` says no before sockets close.
    #[arg(long, env = "CHAT_DRAIN_DELAY_MS", default_value_t = 2_000)]
    drain_delay_ms: u64,
    /// On SIGTERM, seconds connections may take to finish before the server exits anyway.
    #[arg(long, env = "CHAT_SHUTDOWN_DEADLINE_SECS", default_value_t = 10)]
    shutdown_deadline_secs: u64,
    /// Serve `/metrics` on this address instead of the main one (keep it private).
    #[arg(long, env = "CHAT_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// Seconds one HTTP request, an upload's body included, may take.
    #[arg(long, env = "CHAT_REQUEST_TIMEOUT_SECS", default_value_t = 60)]
    request_timeout_secs: u64,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, env = "CHAT_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    header_timeout_secs: u64,
    /// Upload bytes one participant may send per hour.
    #[arg(long, env = "CHAT_UPLOAD_BYTES_PER_HOUR", default_value_t = 250 * 1024 * 1024)]
    upload_bytes_per_hour: u64,
    /// Images decoded at once (each up to 40 megapixels); more wait in a
    /// bounded queue, and past it an upload is answered 429. The cores by default.
    #[arg(long, env = "CHAT_IMAGE_DECODES_AT_ONCE")]
    image_decodes_at_once: Option<usize>,
    /// Bytes all of one meeting's files may take.
    #[arg(long, env = "CHAT_MEETING_UPLOAD_BYTES", default_value_t = 2 * 1024 * 1024 * 1024)]
    meeting_upload_bytes: u64,
    /// Seconds an upload may wait for a message to carry it before it is deleted.
    #[arg(long, env = "CHAT_UNATTACHED_UPLOAD_TTL_SECS", default_value_t = 15 * 60)]
    unattached_upload_ttl_secs: u64,
    /// Up to this many participants everyone is named to everyone; above it,
    /// presence frames carry the count and hosts, and the list is paged.
    #[arg(long, env = "CHAT_PRESENCE_LIST_LIMIT", default_value_t = 500)]
    presence_list_limit: u32,
    /// How often, at most, each connection is told who came and went.
    #[arg(long, env = "CHAT_PRESENCE_INTERVAL_MS", default_value_t = 500)]
    presence_interval_ms: u64,
    /// Log lines as `text` (no colours unless stdout is a terminal) or `json`.
    #[arg(long, env = "CHAT_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
    /// List private messages (with their recipients) in the chat dump.
    #[arg(long, env = "CHAT_EXPORT_PRIVATE")]
    export_private: bool,
}

/// In dev mode without a secret, one is generated once and kept in the data
/// dir, so demo tokens survive a restart.
fn dev_secret(data_dir: &std::path::Path) -> anyhow::Result<String> {
    let path = data_dir.join("dev-secret");
    if let Ok(secret) = std::fs::read_to_string(&path) {
        if !secret.trim().is_empty() {
            return Ok(secret.trim().to_owned());
        }
    }
    let secret = hex::encode(rand::random::<[u8; 32]>());
    std::fs::create_dir_all(data_dir)?;
    std::fs::write(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    Ok(secret)
}

/// Cancels `token` on Ctrl-C or SIGTERM. The handlers are installed before
/// this returns, so a SIGTERM arriving as soon as the server listens is
/// caught rather than killing the process outright.
fn on_shutdown_signal(token: CancellationToken) -> anyhow::Result<()> {
    #[cfg(unix)]
    let mut term =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).context("listening for SIGTERM")?;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::spawn(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down");
        token.cancel();
    });
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // Colour only for a person at a terminal: a log file gets plain text.
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(colour);
    if args.log_format == "json" {
        logs.json().init();
    } else {
        logs.init();
    }
    let secret = match (args.secret, args.dev) {
        (Some(secret), _) if secret.len() >= 16 => secret,
        (Some(_), _) => bail!("--secret must be at least 16 characters"),
        (None, true) => dev_secret(&args.data_dir)?,
        (None, false) => bail!("--secret (or CHAT_SECRET) is required unless --dev is given"),
    };
    let mut config = Config::new(&args.data_dir, secret.into_bytes());
    config.database_url = args.database_url;
    config.redis_url = args.redis_url;
    if let Some(node_id) = args.node_id {
        config.node_id = node_id;
    }
    config.dev = args.dev;
    config.demo_dir = Some(args.demo_dir);
    config.public_url = args.public_url;
    config.limits.max_upload_bytes = args.max_upload_bytes;
    config.hook = match (args.hook_url, args.hook_secret) {
        (None, _) => None,
        (Some(_), None) => bail!("--hook-url needs --hook-secret (or CHAT_HOOK_SECRET)"),
        (Some(_), Some(secret)) if secret.len() < 16 => bail!("--hook-secret must be at least 16 characters"),
        (Some(url), Some(secret)) => Some(HookConfig {
            url,
            secret: secret.into_bytes(),
            timeout: std::time::Duration::from_millis(args.hook_timeout_ms),
            policy: if args.hook_policy == "open" { HookPolicy::Open } else { HookPolicy::Closed },
        }),
    };
    config.webhooks = match (args.webhook_urls.is_empty(), args.webhook_secret) {
        (true, _) => None,
        (false, None) => bail!("--webhook-url needs --webhook-secret (or CHAT_WEBHOOK_SECRET)"),
        (false, Some(secret)) if secret.len() < 16 => bail!("--webhook-secret must be at least 16 characters"),
        (false, Some(secret)) => {
            let mut webhooks = WebhookConfig::new(args.webhook_urls, secret.into_bytes());
            webhooks.max_backoff = std::time::Duration::from_millis(args.webhook_max_backoff_ms);
            webhooks.give_up_after = std::time::Duration::from_secs(args.webhook_give_up_secs);
            Some(webhooks)
        }
    };
    config.chat_synced_grace = std::time::Duration::from_secs(args.chat_synced_grace_secs);
    config.export_private = args.export_private;
    config.offline_grace = std::time::Duration::from_secs(args.offline_grace_secs);
    config.presence_list_limit = args.presence_list_limit;
    config.presence_interval = std::time::Duration::from_millis(args.presence_interval_ms.max(1));
    config.drain_delay = std::time::Duration::from_millis(args.drain_delay_ms);
    config.shutdown_deadline = std::time::Duration::from_secs(args.shutdown_deadline_secs);
    config.metrics_addr = args.metrics_addr;
    config.request_timeout = std::time::Duration::from_secs(args.request_timeout_secs);
    config.header_timeout = std::time::Duration::from_secs(args.header_timeout_secs);
    config.upload_bytes_per_hour = args.upload_bytes_per_hour;
    config.meeting_upload_bytes = args.meeting_upload_bytes;
    if let Some(at_once) = args.image_decodes_at_once {
        config.image_decodes_at_once = at_once.max(1);
    }
    config.unattached_upload_ttl = std::time::Duration::from_secs(args.unattached_upload_ttl_secs);
    if config.webhooks.is_some() && config.public_url.is_none() {
        tracing::warn!(
            "webhooks without --public-url carry relative links (offline notices' firstAttachmentUrl, the chat \
             download link) that no push service can open: give --public-url, the address people reach the chat at"
        );
    }
    let shutdown = CancellationToken::new();
    on_shutdown_signal(shutdown.clone())?;
    let listener = tokio::net::TcpListener::bind(args.addr).await.with_context(|| format!("binding {}", args.addr))?;
    tracing::info!(addr = %listener.local_addr()?, dev = config.dev, data_dir = %args.data_dir.display(), "chat-server listening");
    Ok(app::serve(listener, config, shutdown).await?)
}
