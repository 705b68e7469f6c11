//! Every string the panel shows, by key: English built in, other languages
//! as data the page hands over (the package's `locales/*.js`, which
//! `mountChatPanel` loads for the panel's `lang`, so a language costs the wasm
//! nothing), and any string overridden by the page.

use std::collections::HashMap;

const EN: &[(&str, &str)] = &[
    // The writing direction, data like the words: Arabic's strings say "rtl".
    ("dir", "ltr"),
    ("title", "Chat"),
    ("everyone", "Everyone"),
    ("privateWith", "Private chat with"),
    ("chatWith", "Chat with"),
    ("pinned", "Pinned"),
    ("showAllPins", "Show all pinned messages"),
    ("hidePins", "Hide pinned messages"),
    ("messages", "Messages"),
    ("newMessages", "New messages"),
    ("latestMessages", "Jump to latest"),
    ("loadingOlder", "Loading older messages…"),
    ("noMessages", "No messages yet. Say hello!"),
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("edited", "edited"),
    ("forwarded", "Forwarded"),
    ("bot", "Bot"),
    ("private", "Private"),
    ("pending", "Sending…"),
    ("uploading", "Uploading"),
    ("failed", "Not sent"),
    ("retry", "Retry"),
    ("discard", "Discard"),
    ("cancel", "Cancel"),
    ("loadingPart", "Loading…"),
    ("partFailed", "This part of the chat could not be loaded. Check your connection."),
    ("tryAgain", "Try again"),
    ("deleted", "This message was deleted"),
    ("actions", "Message actions"),
    ("reply", "Reply"),
    ("edit", "Edit"),
    ("deleteForEveryone", "Delete for everyone"),
    ("deleteForMe", "Delete for me"),
    ("pin", "Pin"),
    ("unpin", "Unpin"),
    ("forward", "Forward"),
    ("forwardTo", "Forward to"),
    ("copy", "Copy text"),
    ("download", "Download"),
    ("openImage", "Open image"),
    ("close", "Close"),
    ("replyingTo", "Replying to"),
    ("editing", "Editing message"),
    ("composer", "Message"),
    ("placeholder", "Write a message…"),
    ("send", "Send"),
    ("save", "Save"),
    ("attach", "Attach a file"),
    ("recipients", "Send to"),
    ("reconnecting", "Connection lost. Reconnecting…"),
    ("connecting", "Connecting…"),
    ("authFailed", "You are no longer signed in to this chat."),
    ("removed", "A host removed you from this meeting's chat."),
    ("closed", "The chat is closed."),
    ("rateLimited", "You are sending too fast. You can send again in {s} s."),
    ("slowModeWait", "Slow mode: you can send again in {s} s."),
    ("muted", "A host muted you in the chat."),
    ("mutedUntil", "A host muted you in the chat until {time}."),
    ("slowModeOn", "Slow mode: one message every {s} s."),
    ("findPeople", "Find someone"),
    ("searchPeople", "Search by name"),
    ("nobodyFound", "Nobody by that name is here."),
    ("searchMessages", "Search messages"),
    ("searchResults", "Search results"),
    ("noResults", "No messages found."),
    ("moreResults", "More results"),
    ("messageGone", "That message is no longer here."),
    ("unreadElsewhere", "{n} unread in other conversations"),
    ("seenBy", "Seen by {n}"),
    ("readReceipts", "Read receipts (who has seen a message)"),
    ("here", "{n} here"),
    ("chatSettings", "Chat settings"),
    ("whoCanSend", "Who can send messages"),
    ("whoCanSend.everyone", "Everyone"),
    ("whoCanSend.hosts", "Hosts only"),
    ("whoCanSend.nobody", "Nobody: the chat is off"),
    ("privateChat", "Participants can message privately"),
    ("privateChat.everyone", "Everyone"),
    ("privateChat.hosts", "Hosts only"),
    ("privateChat.nobody", "No one"),
    ("mutedInChat", "Muted in the chat"),
    ("nobodyMuted", "Nobody is muted."),
    ("untilTime", "until {time}"),
    ("unmute", "Unmute"),
    ("unmuteName", "Unmute {name}"),
    ("muteFor", "Mute for"),
    ("muteFor.10", "10 minutes"),
    ("muteFor.60", "1 hour"),
    ("muteFor.1440", "1 day"),
    ("muteFor.always", "Until unmuted"),
    ("mute", "Mute"),
    ("muteSender", "Mute in the chat for 10 minutes"),
    ("removeSender", "Remove from the chat and delete their messages"),
    ("removedFromChat", "Removed from the chat"),
    ("letBack", "Let back"),
    ("letBackName", "Let back {name}"),
    ("removeName", "Remove {name} from the chat and delete their messages"),
    ("report", "Report to the hosts"),
    ("reportTitle", "Report this message to the hosts"),
    ("reportReason", "Why?"),
    ("reportReason.spam", "Spam or advertising"),
    ("reportReason.abuse", "Harassment or abuse"),
    ("reportReason.offTopic", "Off topic"),
    ("reportReason.other", "Something else"),
    ("reportDetails", "Details (optional)"),
    ("sendReport", "Report"),
    ("reportsTitle", "Reported messages"),
    ("noReports", "No open reports."),
    ("reportedFile", "A file or picture"),
    ("reportedElsewhere", "A message not loaded here"),
    ("dismissReports", "Dismiss reports"),
    ("chatSettingsReports", "Chat settings, {n} reported messages"),
    ("polls", "Polls"),
    ("pollsOpen", "Polls, {n} open"),
    ("noPolls", "No polls yet."),
    ("newPoll", "New poll"),
    ("pollQuestion", "Question"),
    ("pollOption", "Option {n}"),
    ("addOption", "Add an option"),
    ("pollAnonymousChoice", "Anonymous: nobody sees who voted what"),
    ("pollHideVotes", "Show the results only when the poll closes"),
    ("pollMultiple", "Allow several answers"),
    ("askPoll", "Ask"),
    ("vote", "Vote"),
    ("youVoted", "You voted."),
    ("pollHidden", "The results show when the poll closes."),
    ("pollVotes", "Votes: {n}"),
    ("pollBy", "Asked by {name}"),
    ("pollAnonymous", "Anonymous"),
    ("pollClosed", "Closed"),
    ("closePoll", "Close the poll"),
    ("slowMode", "Slow mode"),
    ("off", "Off"),
    ("everyNSeconds", "One message every {s} s"),
    ("everyoneMayPin", "Everyone may pin messages"),
    ("charactersLeft", "{n} characters left"),
    ("dropFiles", "Drop files to attach them"),
    ("attachments", "Attached files"),
    ("removeFile", "Remove {name}"),
    ("tooManyFiles", "A message carries at most {n} files."),
    ("dismiss", "Dismiss"),
    ("typingOne", "{name} is typing…"),
    ("typingTwo", "{a} and {b} are typing…"),
    ("typingMany", "{n} people are typing…"),
    ("addReaction", "Add a reaction"),
    ("otherEmoji", "Any other emoji"),
    ("reactionCount", "{n} reacted with {emoji}"),
    ("mentionSomeone", "Mention someone"),
    ("error.forbidden", "You are not allowed to do that."),
    ("error.not_found", "That message is no longer here."),
    ("error.message_deleted", "That message was deleted."),
    ("error.rate_limited", "You are sending too fast. Try again in a moment."),
    ("error.hosts_only", "Only hosts can send messages right now."),
    ("error.chat_off", "The chat is off. Only hosts can write."),
    ("error.muted", "A host muted you in the chat."),
    ("error.private_chat_restricted", "Private messages to this person are not allowed in this meeting."),
    ("error.slow_mode", "Slow mode is on. Wait a moment before your next message."),
    ("error.not_connected", "Not connected. Try again once the chat is back."),
    ("error.disconnected", "The connection dropped before the server answered. Try again."),
    ("error.unsupported_media_type", "That file could not be read as the kind of file it claims to be."),
    ("error.too_large", "That file is too large."),
    ("error.aborted", "The upload was cancelled."),
    ("error.network", "The file could not reach the server. Try again."),
    ("error.text_too_long", "That message is too long."),
    ("error.too_many_attachments", "A message carries at most 10 files."),
    ("error.hook_unavailable", "The message could not be checked just now. Try again."),
    ("error.too_many_reactions", "This message carries as many different reactions as it can."),
    ("error.search_too_broad", "That search is too broad. Use fewer or longer words."),
    ("error.already_voted", "You already voted in this poll."),
    ("error.poll_closed", "This poll is closed."),
    ("error.invalid_attachment", "That file can no longer be used."),
    ("error.generic", "That did not work. Try again."),
];

/// The panel's strings.
#[derive(Clone, Debug, PartialEq)]
pub struct Locale {
    lang: String,
    strings: HashMap<String, String>,
}

impl Locale {
    /// The panel in `lang`, showing `strings` (that language's, then the
    /// page's overrides) and English where they have no entry.
    pub fn new(lang: &str, strings: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut table: HashMap<String, String> = EN.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        table.extend(strings);
        Self { lang: lang.to_owned(), strings: table }
    }

    /// The language in use.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The string for `key` (the key itself if unknown, so a gap is visible, not blank).
    pub fn t(&self, key: &str) -> String {
        self.strings.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// Why something failed, for a person: the string for the underlying
    /// `cause` if there is one, else for the error `code`, else a general one.
    /// A refusal by the meeting's message hook is the app's own words
    /// (`message`), which it wrote for the sender.
    pub fn error(&self, code: &str, cause: Option<&str>, message: &str) -> String {
        if code == "rejected" && !message.is_empty() {
            return message.to_owned();
        }
        [cause, Some(code)]
            .into_iter()
            .flatten()
            .find_map(|code| self.strings.get(&format!("error.{code}")).cloned())
            .unwrap_or_else(|| self.t("error.generic"))
    }

    /// The string for `key` with `{name}` replaced by `value`.
    pub fn t_with(&self, key: &str, name: &str, value: &str) -> String {
        self.t_with_all(key, &[(name, value)])
    }

    /// The string for `key` with each `{name}` replaced by its value.
    pub fn t_with_all(&self, key: &str, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.t(key), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }
}

impl Default for Locale {
    fn default() -> Self {
        Self::new("en", [])
    }
}

/// The strings the package ships for `lang` (`www/locales/{lang}.js`), for tests.
#[cfg(test)]
pub(crate) fn shipped(lang: &str) -> Vec<(String, String)> {
    let module = match lang {
        "ar" => include_str!("../www/locales/ar.js"),
        "de" => include_str!("../www/locales/de.js"),
        "es" => include_str!("../www/locales/es.js"),
        "fr" => include_str!("../www/locales/fr.js"),
        "hi" => include_str!("../www/locales/hi.js"),
        "it" => include_str!("../www/locales/it.js"),
        "ja" => include_str!("../www/locales/ja.js"),
        "pt" => include_str!("../www/locales/pt.js"),
        "zh" => include_str!("../www/locales/zh.js"),
        other => panic!("no strings shipped for {other}"),
    };
    // The module's object is JSON: everything from its first brace to its last.
    let object = module.find('{').zip(module.rfind('}')).map(|(start, end)| &module[start..=end]).unwrap_or_default();
    let strings: HashMap<String, String> = serde_json::from_str(object).expect("the locale module's object is JSON");
    strings.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language in `www/locales/` (what `meeting-chat.js` offers).
    const SHIPPED: [&str; 9] = ["ar", "de", "es", "fr", "hi", "it", "ja", "pt", "zh"];

    #[test]
    fn every_shipped_language_has_every_key_and_no_other() {
        for lang in SHIPPED {
            let strings: HashMap<String, String> = shipped(lang).into_iter().collect();
            for (key, english) in EN {
                let Some(translated) = strings.get(*key) else { panic!("{lang} lacks {key}") };
                // Word order differs between languages; the placeholders may not.
                let placeholders = |s: &str| {
                    let mut names: Vec<String> =
                        s.split('{').skip(1).map(|p| p.split('}').next().unwrap_or("").to_owned()).collect();
                    names.sort_unstable();
                    names
                };
                assert_eq!(
                    placeholders(translated),
                    placeholders(english),
                    "{lang} {key} keeps English's placeholders"
                );
            }
            assert_eq!(EN.len(), strings.len(), "{lang} has keys English does not");
        }
    }

    #[test]
    fn arabic_is_written_right_to_left_and_the_others_left_to_right() {
        for lang in SHIPPED {
            let locale = Locale::new(lang, shipped(lang));
            assert_eq!(locale.t("dir"), if lang == "ar" { "rtl" } else { "ltr" }, "{lang}");
        }
        assert_eq!(Locale::default().t("dir"), "ltr");
    }

    #[test]
    fn the_language_then_overrides_apply_over_english() {
        let mut strings = shipped("de");
        strings.push(("send".to_owned(), "Los".to_owned()));
        let locale = Locale::new("de", strings);
        assert_eq!(locale.lang(), "de");
        assert_eq!(locale.t("send"), "Los");
        assert_eq!(locale.t("cancel"), "Abbrechen");
        assert_eq!(locale.t_with("charactersLeft", "n", "12"), "Noch 12 Zeichen");
        assert_eq!(
            Locale::new("de", [("cancel".to_owned(), "Nein".to_owned())]).t("send"),
            "Send",
            "English fills gaps"
        );
        assert_eq!(Locale::default().t("unknown-key"), "unknown-key");
    }

    #[test]
    fn errors_are_worded_by_their_cause_then_their_code() {
        let locale = Locale::default();
        assert_eq!(locale.error("upload_failed", Some("too_large"), "HTTP 413"), "That file is too large.");
        assert_eq!(locale.error("forbidden", None, "only hosts"), "You are not allowed to do that.");
        assert_eq!(locale.error("upload_failed", Some("teapot"), ""), "That did not work. Try again.");
        assert_eq!(locale.error("rejected", None, "no spoilers here"), "no spoilers here", "the hook's own words");
    }
}
