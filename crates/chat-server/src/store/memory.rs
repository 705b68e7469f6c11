//! A [`Store`](super::Store) in memory, for domain tests and nothing else: the same
//! contract as the SQLite engine (one `seq` per change, dedupe by client id,
//! tombstones, hiding, audiences), kept in maps under one lock.

mod messages;
mod moderation;
mod polls;
mod reactions;
mod read_marks;
mod reports;
mod search;
mod settings;
mod state;
mod uploads;

use std::sync::Mutex;

use self::state::State;
use super::StoreError;

/// Everything in memory; gone with the process.
#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut state = self.state.lock().map_err(|_| StoreError::Task("state lock poisoned".into()))?;
        f(&mut state)
    }
}
