//! Limits the server enforces, announced in the welcome frame so a client can
//! check input before sending it.

use crate::as_object::AsObject;
use serde::Serialize;

/// The limits in force on a connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Largest accepted frame, in bytes.
    pub max_frame_bytes: usize,
    /// Longest accepted text, in Unicode scalar values.
    pub max_text_chars: usize,
    /// Largest accepted metadata object, serialized, in bytes.
    pub max_metadata_bytes: usize,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: u64,
    /// Most recipients of one private message.
    pub max_targets: usize,
    /// Most messages in one history page.
    pub max_page_size: u32,
    /// Text messages a participant may send per rate window.
    pub text_messages_per_window: u32,
    /// File, image and audio messages a participant may send per rate window.
    pub file_messages_per_window: u32,
    /// The rate window, in seconds.
    pub rate_window_secs: u32,
    /// Most attachments on one message.
    #[serde(default = "default_max_attachments")]
    pub max_attachments: usize,
    /// Different emoji one message may carry as reactions.
    #[serde(default = "default_max_reactions")]
    pub max_reactions_per_message: usize,
}

fn default_max_reactions() -> usize {
    20
}

fn default_max_attachments() -> usize {
    10
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_bytes: 64 * 1024,
            max_text_chars: 4_000,
            max_metadata_bytes: 4 * 1024,
            max_upload_bytes: 25 * 1024 * 1024,
            max_targets: 100,
            max_page_size: 500,
            text_messages_per_window: 180,
            file_messages_per_window: 20,
            rate_window_secs: 60,
            max_attachments: default_max_attachments(),
            max_reactions_per_message: default_max_reactions(),
        }
    }
}
