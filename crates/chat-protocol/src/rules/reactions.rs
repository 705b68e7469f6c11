//! What a reaction may be: one emoji (with its modifiers, joiners and
//! presentation selectors, as keyboards send them), and a message carries
//! at most [`Limits::max_reactions_per_message`] different ones.

use super::RuleViolation;
use crate::{Limits, Message};

/// The longest emoji sequence accepted, in characters (a family of four
/// with skin tones is 11).
const MAX_EMOJI_CHARS: usize = 16;

/// Pictographs and symbols (the blocks emoji come from).
fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0xA9 | 0xAE | 0x203C..=0x3299 | 0x1F000..=0x1FAFF)
}

/// What may join pictographs into one emoji: a zero-width joiner, variation
/// selectors, tags (subdivision flags), the keycap mark and its bases.
fn is_emoji_part(c: char) -> bool {
    is_pictograph(c)
        || matches!(c as u32, 0x200D | 0xFE0E | 0xFE0F | 0x20E3 | 0xE0020..=0xE007F)
        || c.is_ascii_digit()
        || c == '#'
        || c == '*'
}

/// A reaction is one emoji: pictographs and what joins them, nothing else.
pub fn check_emoji(emoji: &str) -> Result<(), RuleViolation> {
    let count = emoji.chars().count();
    let valid = (1..=MAX_EMOJI_CHARS).contains(&count)
        && emoji.chars().all(is_emoji_part)
        && emoji.chars().any(|c| is_pictograph(c) || c == '\u{20E3}');
    if valid {
        Ok(())
    } else {
        Err(RuleViolation::InvalidEmoji)
    }
}

/// Reacting with `emoji` is refused when it is a new one on a message that
/// carries the most different emoji already, or the message was deleted.
pub fn check_new_reaction(message: &Message, emoji: &str, limits: &Limits) -> Result<(), RuleViolation> {
    super::not_deleted(message)?;
    let known = message.reactions.iter().any(|r| r.emoji == emoji);
    if !known && message.reactions.len() >= limits.max_reactions_per_message {
        return Err(RuleViolation::TooManyReactions { max: limits.max_reactions_per_message });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_as_keyboards_send_them_pass_and_text_does_not() {
        for ok in ["👍", "❤️", "👍🏽", "👨‍👩‍👧‍👦", "🇩🇪", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "©️", "🎉"]
        {
            assert_eq!(check_emoji(ok), Ok(()), "{ok:?}");
        }
        for bad in ["", "a", "+1", "👍 ", "1", "lol😂", "<b>", "\u{200D}", &"👍".repeat(17), "👍\n"] {
            assert_eq!(check_emoji(bad), Err(RuleViolation::InvalidEmoji), "{bad:?}");
        }
    }
}
