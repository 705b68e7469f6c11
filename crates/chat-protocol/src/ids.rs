//! Identifier newtypes, so a message id is never passed where a participant id belongs.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

string_id!(
    /// A message's id, assigned by the server.
    MessageId
);
string_id!(
    /// A message's id chosen by the sending client, used to deduplicate re-sends.
    ClientId
);
string_id!(
    /// A participant's id, taken from their token's `sub` claim.
    ParticipantId
);
string_id!(
    /// A meeting's id, taken from the token's `meeting` claim.
    MeetingId
);
string_id!(
    /// An uploaded file's id, assigned by the server.
    FileId
);
string_id!(
    /// A poll's id, assigned by the server.
    PollId
);

/// A per-meeting sequence number; each stored event gets the next one.
pub type Seq = u64;

/// A client-chosen request id, echoed in the answer to that request.
pub type RequestId = u64;
