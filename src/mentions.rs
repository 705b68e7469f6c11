//! Mentions as the composer writes them: the `@query` being typed before the
//! caret, the participants it suggests, the text with one picked, and which
//! picked mentions the text still holds when it is sent. Pure, so each rule
//! is tested natively; the panel passes the browser's case folding in.

use chat_protocol::{Participant, ParticipantId};

/// How many suggestions show at once.
pub const MAX_SUGGESTIONS: usize = 6;

/// The longest query that still suggests anyone, in characters.
const MAX_QUERY_CHARS: usize = 32;

/// The `@` being typed before byte `caret` of `text`: where it is, and the
/// query after it. It starts the text or follows a space, and the query has none.
pub fn query_at(text: &str, caret: usize) -> Option<(usize, &str)> {
    let before = text.get(..caret)?;
    let at = before.rfind('@')?;
    let query = &before[at + 1..];
    let starts_word = before[..at].chars().next_back().is_none_or(char::is_whitespace);
    let short = query.chars().count() <= MAX_QUERY_CHARS;
    (starts_word && short && !query.contains(char::is_whitespace)).then_some((at, query))
}

/// Who `query` suggests: participants other than `me` whose name, or a word
/// of it, starts with the query (compared as `fold` makes them), in order.
pub fn suggest<'a>(
    participants: &'a [Participant],
    me: Option<&ParticipantId>,
    query: &str,
    fold: impl Fn(&str) -> String,
) -> Vec<&'a Participant> {
    let query = fold(query);
    let matches = |p: &&Participant| {
        let name = fold(&p.display_name);
        Some(&p.id) != me && (name.starts_with(&query) || name.split_whitespace().any(|word| word.starts_with(&query)))
    };
    participants.iter().filter(matches).take(MAX_SUGGESTIONS).collect()
}

/// `text` with the `@query` at `at..caret` replaced by `@name `, and the caret after it.
pub fn insert(text: &str, at: usize, caret: usize, name: &str) -> (String, usize) {
    let mention = format!("@{name} ");
    let caret = caret.clamp(at, text.len());
    (format!("{}{mention}{}", &text[..at], &text[caret..]), at + mention.len())
}

/// The picked mentions whose `@name` `text` still holds, each once.
pub fn kept(picked: &[(ParticipantId, String)], text: &str) -> Vec<ParticipantId> {
    let mut ids: Vec<ParticipantId> = Vec::new();
    for (id, name) in picked {
        if text.contains(&format!("@{name}")) && !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// The byte offset of `units` UTF-16 code units into `text` (how the
/// browser counts a caret), or its end.
pub fn byte_offset(text: &str, units: usize) -> usize {
    let mut counted = 0;
    for (offset, c) in text.char_indices() {
        if counted >= units {
            return offset;
        }
        counted += c.len_utf16();
    }
    text.len()
}

/// How many UTF-16 code units `text` is.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests;
