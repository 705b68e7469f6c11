//! The PostgreSQL engine, for any number of nodes sharing one database: a
//! pool of connections (a connection the server lost, as when PostgreSQL
//! restarts, is replaced on its next use, so the nodes recover by
//! themselves), each write one transaction that locks its meeting's row
//! ([`writes`]). Each store area has its file, as in the other engines
//! ([`messages`], [`reactions`], [`search`], [`read_marks`], [`settings`],
//! [`uploads`], [`outbox`], [`roster`]); beside them the schema
//! ([`schema`]), the small reads every write needs ([`rows`]) and the longer
//! reads ([`reads`]).

mod messages;
mod moderation;
mod outbox;
mod polls;
mod reactions;
mod read_marks;
mod reads;
mod reports;
mod roster;
mod rows;
mod schema;
mod search;
mod settings;
mod uploads;
mod writes;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::StoreError;

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Engine(Box::new(e))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Self::Engine(Box::new(e))
    }
}

/// Connections a node keeps open at most.
const POOL_SIZE: usize = 16;
/// How long a request waits for a connection, or for PostgreSQL to accept
/// one, before it fails (retryably) instead of hanging while the database
/// is away.
const CONNECT_WAIT: Duration = Duration::from_secs(3);

/// A [`Store`](super::Store) on a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`),
    /// bringing its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url.parse()?;
        config.connect_timeout(CONNECT_WAIT);
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(CONNECT_WAIT))
            .create_timeout(Some(CONNECT_WAIT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Engine(Box::new(e)))?;
        let store = Self { pool };
        let mut client = store.pool.get().await?;
        schema::migrate(raw(&mut client)).await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }
}

/// The driver's client inside a pooled connection, whose transactions the
/// engine's helpers take.
fn raw(object: &mut deadpool_postgres::Object) -> &mut tokio_postgres::Client {
    object
}
