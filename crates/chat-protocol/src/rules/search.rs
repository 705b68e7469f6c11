//! What a search query must be, and the words an engine looks for.

use super::RuleViolation;

/// The longest search query, in characters.
pub const MAX_SEARCH_QUERY_CHARS: usize = 200;

/// The most words a query may have. Every word is one more list of hits
/// for the engine to intersect: sixty one-letter prefixes took SQLite 619 ms
/// over 100,000 messages, and twenty such searches at once stalled a meeting.
pub const MAX_SEARCH_WORDS: usize = 8;

/// The shortest word looked for as a prefix; a shorter one must be a whole
/// word of the text (`a` finds "a", not every word starting with a).
pub const MIN_PREFIX_CHARS: usize = 2;

/// A query is at most [`MAX_SEARCH_QUERY_CHARS`] characters and has from
/// one to [`MAX_SEARCH_WORDS`] words.
pub fn check_search_query(query: &str) -> Result<(), RuleViolation> {
    let len = query.chars().count();
    if len > MAX_SEARCH_QUERY_CHARS {
        return Err(RuleViolation::SearchQueryTooLong { len, max: MAX_SEARCH_QUERY_CHARS });
    }
    match search_words(query).count() {
        0 => Err(RuleViolation::NoSearchWords),
        count if count > MAX_SEARCH_WORDS => Err(RuleViolation::TooManySearchWords { count, max: MAX_SEARCH_WORDS }),
        _ => Ok(()),
    }
}

/// One word to look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchWord<'a> {
    /// The word, as the query has it (engines fold its case).
    pub text: &'a str,
    /// Whether it may start a longer word of the text, or must be one whole.
    pub prefix: bool,
}

/// The query's words: its runs of letters and digits, as the engines split
/// a message's text. Each must start a word of a hit's text, or be one when
/// shorter than [`MIN_PREFIX_CHARS`].
pub fn search_words(query: &str) -> impl Iterator<Item = SearchWord<'_>> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|text| SearchWord { text, prefix: text.chars().count() >= MIN_PREFIX_CHARS })
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
    fn a_query_has_at_most_eight_words() {
        assert_eq!(check_search_query("a b c d e f g h"), Ok(()));
        assert_eq!(
            check_search_query(&"a ".repeat(60)),
            Err(RuleViolation::TooManySearchWords { count: 60, max: MAX_SEARCH_WORDS })
        );
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_and_one_letter_is_a_whole_word() {
        let words: Vec<(&str, bool)> = search_words("ship -- it? don't 日本 !!").map(|w| (w.text, w.prefix)).collect();
        assert_eq!(words, [("ship", true), ("it", true), ("don", true), ("t", false), ("日本", true)]);
    }
}
