//! The `chat-server` binary: flags and environment, logging, signals.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chat_server::config::{HookConfig, HookPolicy};
use chat_server::{app, Config};
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
    /// The message hook: asked before each new message or edit is stored (see the README).
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

async fn shutdown_signal(token: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                let _ = ctrl_c.await;
                token.cancel();
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
    token.cancel();
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let secret = match (args.secret, args.dev) {
        (Some(secret), _) if secret.len() >= 16 => secret,
        (Some(_), _) => bail!("--secret must be at least 16 characters"),
        (None, true) => dev_secret(&args.data_dir)?,
        (None, false) => bail!("--secret (or CHAT_SECRET) is required unless --dev is given"),
    };
    let mut config = Config::new(&args.data_dir, secret.into_bytes());
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
    let listener = tokio::net::TcpListener::bind(args.addr).await.with_context(|| format!("binding {}", args.addr))?;
    tracing::info!(addr = %listener.local_addr()?, dev = config.dev, data_dir = %args.data_dir.display(), "chat-server listening");
    let shutdown = CancellationToken::new();
    tokio::spawn(shutdown_signal(shutdown.clone()));
    Ok(app::serve(listener, config, shutdown).await?)
}
