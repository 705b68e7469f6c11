//! Wires storage, domain and transport into one axum `Router`, and runs it
//! until a shutdown is requested: then readiness goes false, sockets close
//! with 1001 after the drain delay, and the server exits by the deadline.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeader;
use tower_http::set_status::SetStatus;
use tower_http::timeout::TimeoutLayer;

use super::state::App;
use super::{export, files, ops, rest, serve, socket};
use crate::auth::TokenKeys;
use crate::cluster::{Cluster, ClusterError};
use crate::config::Config;
use crate::hub::{Hub, Notices};
use crate::store::files::{DiskFiles, FileStore};
use crate::store::outbox::Outbox;
use crate::store::postgres::PostgresStore;
use crate::store::roster::Roster;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};
use crate::webhooks;

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
    /// The PostgreSQL database could not be reached or brought up to date.
    #[error("opening the database: {source}")]
    Database {
        /// Why.
        source: StoreError,
    },
    /// The Redis URL is not one.
    #[error("the Redis URL: {source}")]
    Cluster {
        /// Why.
        source: ClusterError,
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
    /// What webhooks are to be told.
    pub outbox: Arc<dyn Outbox>,
    /// Who has joined each meeting.
    pub roster: Arc<dyn Roster>,
}

/// Builds the router over `storage`, one of `cluster`'s nodes if given.
pub fn build_app(
    config: Config,
    storage: Storage,
    cluster: Option<Arc<Cluster>>,
    shutdown: CancellationToken,
) -> (Router, App) {
    let config = Arc::new(config);
    let app = App {
        // Notices for apps are only worth keeping when webhooks will tell them.
        hub: Hub::new(
            storage.store,
            storage.files,
            config.webhooks.as_ref().map(|_| Notices { outbox: storage.outbox, roster: storage.roster }),
            cluster,
            Arc::clone(&config),
        ),
        keys: TokenKeys::new(&config.secret),
        config: Arc::clone(&config),
        shutdown,
        draining: Arc::default(),
        sockets: TaskTracker::new(),
    };
    // Uploads are authorized by bearer token, never by cookies, so any page may call them.
    let cors = CorsLayer::new().allow_origin(Any).allow_methods(Any).allow_headers(Any);
    let mut router = Router::new()
        .route("/ws", get(socket::upgrade))
        .route("/api/v1/uploads", post(files::upload))
        .route("/api/v1/meetings/{meeting}/messages", post(rest::post_message).get(rest::get_messages))
        .route("/api/v1/meetings/{meeting}/chat", get(export::chat_link))
        .route("/api/v1/meetings/{meeting}/chat.csv", get(export::chat_csv))
        .route("/api/v1/meetings/{meeting}/moderation.csv", get(export::moderation_csv))
        .route("/api/v1/files/{id}", get(files::download))
        .route("/api/v1/files/{id}/thumb", get(files::thumbnail))
        .route("/dev/token", get(files::dev_token))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz));
    if config.metrics_addr.is_none() {
        router = router.route("/metrics", get(ops::metrics));
    }
    if config.dev {
        if let Some(dir) = config.demo_dir.as_ref().filter(|d| d.join("index.html").is_file()) {
            // Precompressed (brotli, else gzip) when the build wrote `.br` and
            // `.gz` beside a file: 761 KiB for a joining person become about
            // 240. Always revalidated: the names carry no hash, and a returning
            // visitor gets 304, no body, for what did not change.
            // An address the demo does not have gets its page saying so, still a 404.
            let not_found = SetStatus::new(ServeFile::new(dir.join("404.html")), StatusCode::NOT_FOUND);
            let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().not_found_service(not_found);
            let revalidate = HeaderValue::from_static("no-cache");
            router = router.fallback_service(SetResponseHeader::if_not_present(files, CACHE_CONTROL, revalidate));
        } else {
            tracing::warn!("no built demo page found; serving the API only");
        }
    }
    let router = router
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .route_layer(middleware::from_fn_with_state(app.clone(), ops::track))
        .layer(cors)
        .with_state(app.clone());
    (router, app)
}

/// Opens the file directory under the configured data dir and the
/// database: PostgreSQL when a database URL is configured, else SQLite in
/// the data dir (creating what is missing).
pub async fn open_storage(config: &Config) -> Result<Storage, ServeError> {
    let files_dir = config.files_dir();
    let files = DiskFiles::open(files_dir.clone()).map_err(|source| ServeError::Storage { path: files_dir, source })?;
    let files = Arc::new(files);
    if let Some(url) = &config.database_url {
        let store = PostgresStore::connect(url).await.map_err(|source| ServeError::Database { source })?;
        return Ok(Storage::on(Arc::new(store), files));
    }
    let path = config.database_path();
    let store = SqliteStore::open(&path).map_err(|source| ServeError::Storage { path, source })?;
    Ok(Storage::on(Arc::new(store), files))
}

impl Storage {
    /// Storage on one engine that keeps records, outbox and roster alike.
    fn on<S: Store + Outbox + Roster>(store: Arc<S>, files: Arc<dyn FileStore>) -> Self {
        Self {
            store: Arc::clone(&store) as Arc<dyn Store>,
            files,
            outbox: Arc::clone(&store) as Arc<dyn Outbox>,
            roster: store,
        }
    }
}

/// Serves on `listener` until `shutdown` is cancelled, then closes every
/// socket with 1001 and waits for in-flight requests.
pub async fn serve(listener: TcpListener, config: Config, shutdown: CancellationToken) -> Result<(), ServeError> {
    let storage = open_storage(&config).await?;
    let node: Arc<str> = Arc::from(config.node_id.as_str());
    let cluster = match &config.redis_url {
        Some(url) => Some(Cluster::connect(url, Arc::clone(&node)).map_err(|source| ServeError::Cluster { source })?),
        None => None,
    };
    let shared_database = config.database_url.is_some();
    let outbox = Arc::clone(&storage.outbox);
    let webhooks = config.webhooks.clone();
    let endpoints: Vec<String> = webhooks.as_ref().map(|w| w.urls.clone()).unwrap_or_default();
    let (drain_delay, deadline, metrics_addr) = (config.drain_delay, config.shutdown_deadline, config.metrics_addr);
    let header_timeout = config.header_timeout;
    // Shutdown in order: readiness goes false, then (after the drain delay)
    // sockets close with 1001 and the listener stops, then the deadline.
    let closing = CancellationToken::new();
    let (router, app) = build_app(config, storage, cluster.clone(), closing.clone());
    // The other nodes' news keeps reaching this node's sockets while they
    // are open, through the drain: the listener and the poll stop only once
    // the last socket has closed.
    let sockets_closed = CancellationToken::new();
    let listener_task = cluster.clone().map(|cluster| {
        let (hub, stop) = (Arc::clone(&app.hub), sockets_closed.clone());
        tokio::spawn(async move {
            if let Err(error) = cluster.ping().await {
                tracing::warn!(%error, "Redis does not answer yet; serving, and trying again");
            }
            cluster.listen(move |heard| hub.heard(heard), stop).await;
        })
    });
    let in_step = shared_database
        // Other servers may store this database's events: look for them.
        .then(|| tokio::spawn(Arc::clone(&app.hub).keep_in_step(sockets_closed.clone())));
    {
        let (draining, closing, shutdown) = (Arc::clone(&app.draining), closing.clone(), shutdown.clone());
        tokio::spawn(async move {
            shutdown.cancelled().await;
            draining.store(true, Ordering::SeqCst);
            tracing::info!(drain_ms = drain_delay.as_millis() as u64, "draining: readiness is false");
            tokio::time::sleep(drain_delay).await;
            closing.cancel();
        });
    }
    let metrics_server = match metrics_addr {
        Some(addr) => {
            let listener = TcpListener::bind(addr).await?;
            tracing::info!(addr = %listener.local_addr()?, "metrics listening");
            let router = Router::new().route("/metrics", get(ops::metrics)).with_state(app.clone());
            Some(tokio::spawn(serve::serve_http(listener, router, header_timeout, closing.clone())))
        }
        None => None,
    };
    let janitor = {
        let (hub, outbox, shutdown) = (Arc::clone(&app.hub), Arc::clone(&outbox), shutdown.clone());
        // Unattached uploads go within a third of their time to live after it ends.
        let sweep_every =
            (app.config.unattached_upload_ttl / 3).clamp(Duration::from_millis(100), Duration::from_secs(60));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            let mut sweep = tokio::time::interval(sweep_every);
            loop {
                tokio::select! {
                    _ = sweep.tick() => match hub.files().sweep_uploads().await {
                        Ok(0) => {}
                        Ok(swept) => tracing::info!(swept, "deleted uploads no message took up"),
                        Err(error) => tracing::warn!(%error, "could not sweep unattached uploads"),
                    },
                    _ = tick.tick() => {
                        hub.forget_idle();
                        if let Err(error) = outbox.prune(&endpoints).await {
                            tracing::warn!(%error, "could not prune the webhook outbox");
                        }
                    }
                    () = shutdown.cancelled() => break,
                }
            }
        })
    };
    let signer = app.hub.signer().clone();
    let metrics = Arc::clone(app.hub.metrics());
    let deliveries =
        webhooks.map(|config| tokio::spawn(webhooks::run(outbox, config, signer, metrics, node, shutdown.clone())));
    let sockets = app.sockets.clone();
    let server = async {
        serve::serve_http(listener, router, header_timeout, closing.clone()).await;
        sockets.close();
        sockets.wait().await;
    };
    let past_deadline = async {
        closing.cancelled().await;
        tokio::time::sleep(deadline).await;
    };
    tokio::select! {
        () = server => {}
        () = past_deadline => tracing::warn!(
            deadline_ms = deadline.as_millis() as u64,
            "connections still open at the shutdown deadline; exiting anyway"
        ),
    }
    if let Some(metrics_server) = metrics_server {
        metrics_server.abort();
    }
    sockets_closed.cancel();
    // A heartbeat still running would list this node again after it retired.
    for task in [listener_task, in_step].into_iter().flatten() {
        task.await?;
    }
    if let Some(cluster) = cluster {
        if let Err(error) = cluster.retire().await {
            tracing::warn!(%error, "could not leave the cluster; the others drop this node's participants on expiry");
        }
    }
    janitor.await?;
    if let Some(deliveries) = deliveries {
        deliveries.await?;
    }
    Ok(())
}
