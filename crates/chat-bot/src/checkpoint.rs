//! Where a bot has got to, kept across restarts of its process: the last
//! event it handled and the messages it sent that the server has not yet
//! acknowledged. A bot started again resumes from there, so what was said
//! while it was down reaches its handler, each message once, and each
//! answer is stored once (it goes again with the same client id).
//!
//! The store is the bot's to choose: [`FileCheckpoints`] keeps one JSON file
//! (written whole to a temporary file, then renamed over the old one, so a
//! crash mid-write leaves the previous checkpoint); anything else implements
//! [`CheckpointStore`].

use std::io::ErrorKind;
use std::path::PathBuf;

use chat_core::OutboxEntry;
use chat_protocol::{Puppet, Seq};
use serde::{Deserialize, Serialize};

/// What a bot keeps to resume where it was.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    /// The last event the bot handled.
    pub last_seq: Seq,
    /// Messages sent (answers among them) not yet acknowledged, oldest first.
    #[serde(default)]
    pub unsent: Vec<UnsentMessage>,
}

/// A message waiting for the server's acknowledgement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsentMessage {
    /// The message, with the client id the server deduplicates it by.
    #[serde(flatten)]
    pub message: OutboxEntry,
    /// The character a service sends it as, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_sender: Option<Puppet>,
}

/// Why a checkpoint could not be read or kept.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// Reading or writing the store failed.
    #[error("checkpoint {path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The stored checkpoint is not one this bot wrote: the bot does not
    /// start rather than forget where it was (move the file away to start afresh).
    #[error("checkpoint {path} cannot be read: {source}")]
    Unreadable {
        /// Where.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: serde_json::Error,
    },
    /// Another store's own failure.
    #[error("checkpoint store: {0}")]
    Store(String),
}

/// Keeps a bot's [`Checkpoint`].
pub trait CheckpointStore: Send {
    /// The checkpoint saved last, if any.
    fn load(&mut self) -> Result<Option<Checkpoint>, CheckpointError>;
    /// Replaces the saved checkpoint.
    fn save(&mut self, checkpoint: &Checkpoint) -> Result<(), CheckpointError>;
}

/// A checkpoint in one JSON file.
#[derive(Clone, Debug)]
pub struct FileCheckpoints {
    path: PathBuf,
}

impl FileCheckpoints {
    /// Keeps the checkpoint at `path` (its folder must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    fn io(&self, source: std::io::Error) -> CheckpointError {
        CheckpointError::Io { path: self.path.clone(), source }
    }
}

impl CheckpointStore for FileCheckpoints {
    fn load(&mut self) -> Result<Option<Checkpoint>, CheckpointError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(self.io(error)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|source| CheckpointError::Unreadable { path: self.path.clone(), source })
    }

    fn save(&mut self, checkpoint: &Checkpoint) -> Result<(), CheckpointError> {
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        // A checkpoint holds only strings, numbers and JSON values, which always serialize.
        let text = serde_json::to_string(checkpoint).unwrap_or_default();
        std::fs::write(&temporary, text).map_err(|error| self.io(error))?;
        std::fs::rename(&temporary, &self.path).map_err(|error| self.io(error))
    }
}

#[cfg(test)]
mod tests {
    use chat_core::{Draft, LocalEcho};

    use super::*;

    fn unsent(client_id: &str, puppet: Option<&str>) -> UnsentMessage {
        let draft = Draft { reply_to: Some("m1".into()), ..Draft::text("pong") };
        let message = LocalEcho::new(client_id.into(), draft, 1);
        let as_sender = puppet.map(|name| Puppet { id: name.into(), display_name: name.into() });
        UnsentMessage { message, as_sender }
    }

    #[test]
    fn a_file_keeps_the_checkpoint_across_instances_and_refuses_a_broken_one() {
        let dir = std::env::temp_dir().join(format!("chat-bot-checkpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let path = dir.join("bot.json");
        let _ = std::fs::remove_file(&path);
        assert!(FileCheckpoints::new(&path).load().expect("no file yet").is_none());
        let checkpoint =
            Checkpoint { last_seq: 42, unsent: vec![unsent("reply:m1:0", Some("cat")), unsent("c2", None)] };
        FileCheckpoints::new(&path).save(&checkpoint).expect("saved");
        assert_eq!(FileCheckpoints::new(&path).load().expect("read back"), Some(checkpoint));
        std::fs::write(&path, "{ not json").expect("broken");
        assert!(matches!(FileCheckpoints::new(&path).load(), Err(CheckpointError::Unreadable { .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}
