//! Wires storage, domain and transport into one axum `Router`, and runs it
//! until a shutdown is requested.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

use crate::auth::TokenKeys;
use crate::config::Config;
use crate::hub::Hub;
use crate::store::files::{DiskFiles, FileStore};
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};
use crate::{http, rest, ws};

/// State shared by every handler.
#[derive(Clone)]
pub struct App {
    /// The domain.
    pub hub: Arc<Hub>,
    /// Token keys.
    pub keys: TokenKeys,
    /// Settings.
    pub config: Arc<Config>,
    /// Cancelled when the server shuts down; open sockets close with 1001.
    pub shutdown: CancellationToken,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The storage under the data directory could not be opened.
    #[error("opening the storage under {path}: {source}")]
    Storage {
        /// Where.
        path: std::path::PathBuf,
        /// Why.
        source: StoreError,
    },
    /// Serving failed.
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
    /// A background task failed.
    #[error("background task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Where the server keeps things.
pub struct Storage {
    /// Meetings, messages, events and file records.
    pub store: Arc<dyn Store>,
    /// Uploaded bytes.
    pub files: Arc<dyn FileStore>,
}

/// Builds the router over `storage`.
pub fn build_app(config: Config, storage: Storage, shutdown: CancellationToken) -> (Router, App) {
    let config = Arc::new(config);
    let app = App {
        hub: Hub::new(storage.store, storage.files, Arc::clone(&config)),
        keys: TokenKeys::new(&config.secret),
        config: Arc::clone(&config),
        shutdown,
    };
    let upload_limit = usize::try_from(config.limits.max_upload_bytes).unwrap_or(usize::MAX);
    // Uploads are authorized by bearer token, never by cookies, so any page may call them.
    let cors = CorsLayer::new().allow_origin(Any).allow_methods(Any).allow_headers(Any);
    let mut router = Router::new()
        .route("/ws", get(ws::upgrade))
        .route("/api/v1/uploads", post(http::upload).layer(DefaultBodyLimit::max(upload_limit)))
        .route("/api/v1/meetings/{meeting}/messages", post(rest::post_message).get(rest::get_messages))
        .route("/api/v1/files/{id}", get(http::download))
        .route("/api/v1/files/{id}/thumb", get(http::thumbnail))
        .route("/dev/token", get(http::dev_token))
        .route("/healthz", get(|| async { "ok" }));
    if config.dev {
        if let Some(dir) = config.demo_dir.as_ref().filter(|d| d.join("index.html").is_file()) {
            router = router.fallback_service(ServeDir::new(dir));
        } else {
            tracing::warn!("no built demo page found; serving the API only");
        }
    }
    (router.layer(cors).with_state(app.clone()), app)
}

/// Opens the SQLite store and the file directory under the configured data
/// dir, creating them.
pub fn open_storage(config: &Config) -> Result<Storage, ServeError> {
    let files_dir = config.files_dir();
    let files = DiskFiles::open(files_dir.clone()).map_err(|source| ServeError::Storage { path: files_dir, source })?;
    let path = config.database_path();
    let store = SqliteStore::open(&path).map_err(|source| ServeError::Storage { path, source })?;
    Ok(Storage { store: Arc::new(store), files: Arc::new(files) })
}

/// Serves on `listener` until `shutdown` is cancelled, then closes every
/// socket with 1001 and waits for in-flight requests.
pub async fn serve(listener: TcpListener, config: Config, shutdown: CancellationToken) -> Result<(), ServeError> {
    let storage = open_storage(&config)?;
    let (router, app) = build_app(config, storage, shutdown.clone());
    let janitor = {
        let (hub, shutdown) = (Arc::clone(&app.hub), shutdown.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = tick.tick() => hub.forget_idle(),
                    () = shutdown.cancelled() => break,
                }
            }
        })
    };
    // Frames are small and latency matters: without NODELAY an event followed
    // by its ack waits out the peer's delayed ACK (~40 ms).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, router).with_graceful_shutdown(shutdown.cancelled_owned()).await?;
    janitor.await?;
    Ok(())
}
