//! What a search query must be, and the words an engine looks for.

use super::RuleViolation;

/// The longest search query, in characters.
pub const MAX_SEARCH_QUERY_CHARS: usize = 200;

/// A query is at most [`MAX_SEARCH_QUERY_CHARS`] characters and has at
/// least one word: a letter or digit somewhere.
pub fn check_search_query(query: &str) -> Result<(), RuleViolation> {
    let len = query.chars().count();
    if len > MAX_SEARCH_QUERY_CHARS {
        return Err(RuleViolation::SearchQueryTooLong { len, max: MAX_SEARCH_QUERY_CHARS });
    }
    if search_words(query).next().is_none() {
        return Err(RuleViolation::NoSearchWords);
    }
    Ok(())
}

/// The query's words: its runs between whitespace that hold a letter or a
/// digit. Each must start a word of a hit's text (the engine splits a run
/// like `don't` the way it splits the text).
pub fn search_words(query: &str) -> impl Iterator<Item = &str> {
    query.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_needs_a_word_and_a_bounded_length() {
        assert_eq!(check_search_query("  deploy  "), Ok(()));
        assert_eq!(check_search_query("日本"), Ok(()));
        assert_eq!(check_search_query(" ?! -- "), Err(RuleViolation::NoSearchWords));
        assert_eq!(check_search_query(""), Err(RuleViolation::NoSearchWords));
        let long = "a".repeat(MAX_SEARCH_QUERY_CHARS + 1);
        assert_eq!(check_search_query(&long), Err(RuleViolation::SearchQueryTooLong { len: 201, max: 200 }));
    }

    #[test]
    fn punctuation_alone_is_no_word() {
        assert_eq!(search_words("ship -- it? don't !!").collect::<Vec<_>>(), ["ship", "it?", "don't"]);
    }
}
