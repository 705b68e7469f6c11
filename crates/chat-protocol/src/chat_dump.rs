//! The chat dump's vocabulary (RealtimeKit's CSV export), which the widget's
//! `exportCsv` and the server's export link both write: the columns, each
//! message's `payloadType` and payload, and the time format.

use crate::{Content, Message};

/// The header row.
pub const COLUMNS: [&str; 10] = [
    "id",
    "participantId",
    "sessionId",
    "meetingId",
    "displayName",
    "pinned",
    "isEdited",
    "payloadType",
    "payload",
    "createdAt",
];

/// The `payloadType` and the payload of `message`; `None` for a message
/// deleted for everyone, whose body is gone. A file's payload is its name,
/// size and link; `link` makes a (signed) file URL absolute.
pub fn payload(message: &Message, link: &dyn Fn(&str) -> String) -> Option<(&'static str, String)> {
    let described = |file: &crate::FileRef| format!("{} ({} bytes) {}", file.name, file.size, link(&file.url));
    Some(match &message.content {
        Content::Text { text } => ("TEXT_MESSAGE", text.clone()),
        Content::Image { file } => ("IMAGE_MESSAGE", link(&file.url)),
        Content::File { file } => ("FILE_MESSAGE", described(file)),
        Content::Audio { file } => ("AUDIO_MESSAGE", described(file)),
        Content::Deleted => return None,
    })
}

/// ISO 8601 UTC time of `ms` since the epoch, without a date library.
pub fn iso_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3_600, (rem % 3_600) / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_match_known_dates() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(iso_time(1_795_420_000_000), "2026-11-23T07:46:40.000Z");
    }
}
