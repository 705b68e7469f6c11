//! Pure formatting for the panel: file sizes and names, times and day
//! labels. Kept apart from the views so each rule is tested natively.

/// A byte count for people: `512 B`, `1.5 KB`, `25 MB`.
pub fn file_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut scale: u64 = 1024;
    let mut unit = 0;
    while bytes / scale >= 1024 && unit < UNITS.len() - 1 {
        scale *= 1024;
        unit += 1;
    }
    // Tenths, rounded half up, in integers so 9.96 KB shows as 10 KB, not 10.0 KB.
    let tenths = (u128::from(bytes) * 10 + u128::from(scale) / 2) / u128::from(scale);
    if tenths < 100 {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
    } else {
        format!("{} {}", (tenths + 5) / 10, UNITS[unit])
    }
}

/// Characters before a file name's extension that stay when the name is cut.
const NAME_TAIL_CHARS: usize = 4;

/// A file name in two parts: the start, which may be cut short with an
/// ellipsis, and the end, which always shows (its extension and a few
/// characters before it), so `meeting-notes-2026-11-23-v2.pdf` reads
/// `meeting-notes-20…-v2.pdf` where there is no room.
pub fn split_file_name(name: &str) -> (&str, &str) {
    let extension = name.rfind('.').filter(|dot| *dot > 0 && name.len() - dot <= 10).unwrap_or(name.len());
    let tail_start = name[..extension].char_indices().rev().nth(NAME_TAIL_CHARS - 1).map_or(0, |(i, _)| i);
    name.split_at(tail_start)
}

/// Days since the epoch of a time, in a time zone `offset_minutes` east of UTC.
pub fn local_day(ms: i64, offset_minutes: i64) -> i64 {
    (ms + offset_minutes * 60_000).div_euclid(86_400_000)
}

/// `HH:MM` of a time in the given zone.
pub fn clock_time(ms: i64, offset_minutes: i64) -> String {
    let minutes = (ms + offset_minutes * 60_000).div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A message's content in one short line: the start of its text (as it
/// reads, without Markdown's markers), or its
/// file's name; `None` for a message deleted for everyone.
pub fn snippet(content: &chat_protocol::Content, max_chars: usize) -> Option<String> {
    use chat_protocol::Content;
    match content {
        Content::Text { text } => Some(crate::markdown::plain(text).chars().take(max_chars).collect()),
        Content::Image { file } | Content::File { file } | Content::Audio { file } => Some(file.name.clone()),
        Content::Deleted => None,
    }
}

#[cfg(test)]
mod tests {
    use chat_protocol::Content;

    use super::*;

    #[test]
    fn snippets_cut_text_and_name_files() {
        assert_eq!(snippet(&Content::Text { text: "héllo world".into() }, 5).as_deref(), Some("héllo"));
        let formatted = Content::Text { text: "**Agenda**:\n- `one`\n- [two](https://x.org)\n> quoted".into() };
        assert_eq!(snippet(&formatted, 80).as_deref(), Some("Agenda: one two quoted"));
        assert_eq!(snippet(&Content::Deleted, 5), None);
    }

    #[test]
    fn a_file_name_keeps_its_end_and_extension_whole() {
        assert_eq!(split_file_name("meeting-notes-2026-11-23-v2.pdf"), ("meeting-notes-2026-11-2", "3-v2.pdf"));
        assert_eq!(split_file_name("README"), ("RE", "ADME"));
        assert_eq!(split_file_name("a.pdf"), ("", "a.pdf"));
        assert_eq!(split_file_name(".bashrc"), (".ba", "shrc"), "a leading dot is no extension");
        assert_eq!(split_file_name("日本語の議事録ファイル.txt"), ("日本語の議事録", "ファイル.txt"));
        assert_eq!(split_file_name("archive.tar.weirdlylongextension"), ("archive.tar.weirdlylongexten", "sion"));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(file_size(512), "512 B");
        assert_eq!(file_size(1536), "1.5 KB");
        assert_eq!(file_size(25 * 1024 * 1024), "25 MB");
        assert_eq!(file_size(1023), "1023 B");
        assert_eq!(file_size(10_188), "9.9 KB");
        assert_eq!(file_size(10_230), "10 KB", "9.99 rounds up to a whole number");
        assert_eq!(file_size(3 * 1024 * 1024 * 1024 * 1024 * 1024), "3072 TB");
    }

    #[test]
    fn days_and_times_follow_the_zone() {
        let ms = 1_795_420_000_000; // 2026-11-23 07:46:40 UTC
        assert_eq!(clock_time(ms, 0), "07:46");
        assert_eq!(clock_time(ms, 60), "08:46");
        assert_eq!(local_day(ms, 16 * 60), local_day(ms, 0), "23:46 the same day");
        assert_eq!(local_day(ms, 17 * 60), local_day(ms, 0) + 1, "00:46 the next day");
    }
}
