//! Every string the panel shows, by key, in English and German; a page can
//! pick a language and override any string.

use std::collections::HashMap;

const EN: &[(&str, &str)] = &[
    ("title", "Chat"),
    ("everyone", "Everyone"),
    ("privateWith", "Private chat with"),
    ("chatWith", "Chat with"),
    ("pinned", "Pinned"),
    ("showAllPins", "Show all pinned messages"),
    ("hidePins", "Hide pinned messages"),
    ("messages", "Messages"),
    ("newMessages", "New messages"),
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
    ("closed", "The chat is closed."),
    ("rateLimited", "You are sending too fast. You can send again in {s} s."),
    ("hostsOnly", "Only hosts can send messages right now."),
    ("slowModeWait", "Slow mode: you can send again in {s} s."),
    ("slowModeOn", "Slow mode: one message every {s} s."),
    ("findPeople", "Find someone"),
    ("searchPeople", "Search by name"),
    ("nobodyFound", "Nobody by that name is here."),
    ("here", "{n} here"),
    ("chatSettings", "Chat settings"),
    ("onlyHostsSend", "Only hosts can send messages"),
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
    ("error.forbidden", "You are not allowed to do that."),
    ("error.not_found", "That message is no longer here."),
    ("error.message_deleted", "That message was deleted."),
    ("error.rate_limited", "You are sending too fast. Try again in a moment."),
    ("error.hosts_only", "Only hosts can send messages right now."),
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
    ("error.invalid_attachment", "That file can no longer be used."),
    ("error.generic", "That did not work. Try again."),
];

const DE: &[(&str, &str)] = &[
    ("title", "Chat"),
    ("everyone", "Alle"),
    ("privateWith", "Privater Chat mit"),
    ("chatWith", "Chat mit"),
    ("pinned", "Angeheftet"),
    ("showAllPins", "Alle angehefteten Nachrichten zeigen"),
    ("hidePins", "Angeheftete Nachrichten ausblenden"),
    ("messages", "Nachrichten"),
    ("newMessages", "Neue Nachrichten"),
    ("loadingOlder", "Ältere Nachrichten werden geladen…"),
    ("noMessages", "Noch keine Nachrichten. Sag hallo!"),
    ("today", "Heute"),
    ("yesterday", "Gestern"),
    ("edited", "bearbeitet"),
    ("forwarded", "Weitergeleitet"),
    ("bot", "Bot"),
    ("private", "Privat"),
    ("pending", "Wird gesendet…"),
    ("uploading", "Wird hochgeladen"),
    ("failed", "Nicht gesendet"),
    ("retry", "Erneut senden"),
    ("discard", "Verwerfen"),
    ("cancel", "Abbrechen"),
    ("deleted", "Diese Nachricht wurde gelöscht"),
    ("actions", "Aktionen für die Nachricht"),
    ("reply", "Antworten"),
    ("edit", "Bearbeiten"),
    ("deleteForEveryone", "Für alle löschen"),
    ("deleteForMe", "Für mich löschen"),
    ("pin", "Anheften"),
    ("unpin", "Lösen"),
    ("forward", "Weiterleiten"),
    ("forwardTo", "Weiterleiten an"),
    ("copy", "Text kopieren"),
    ("download", "Herunterladen"),
    ("openImage", "Bild öffnen"),
    ("close", "Schließen"),
    ("replyingTo", "Antwort an"),
    ("editing", "Nachricht bearbeiten"),
    ("composer", "Nachricht"),
    ("placeholder", "Nachricht schreiben…"),
    ("send", "Senden"),
    ("save", "Speichern"),
    ("attach", "Datei anhängen"),
    ("recipients", "Senden an"),
    ("reconnecting", "Verbindung verloren. Neu verbinden…"),
    ("connecting", "Verbinden…"),
    ("authFailed", "Du bist nicht mehr in diesem Chat angemeldet."),
    ("closed", "Der Chat ist geschlossen."),
    ("rateLimited", "Du sendest zu schnell. Du kannst in {s} s wieder senden."),
    ("hostsOnly", "Gerade können nur Gastgeber Nachrichten senden."),
    ("slowModeWait", "Langsamer Modus: Du kannst in {s} s wieder senden."),
    ("slowModeOn", "Langsamer Modus: eine Nachricht alle {s} s."),
    ("findPeople", "Jemanden finden"),
    ("searchPeople", "Nach Namen suchen"),
    ("nobodyFound", "Niemand mit diesem Namen ist hier."),
    ("here", "{n} anwesend"),
    ("chatSettings", "Chat-Einstellungen"),
    ("onlyHostsSend", "Nur Gastgeber können Nachrichten senden"),
    ("slowMode", "Langsamer Modus"),
    ("off", "Aus"),
    ("everyNSeconds", "Eine Nachricht alle {s} s"),
    ("everyoneMayPin", "Alle dürfen Nachrichten anheften"),
    ("charactersLeft", "Noch {n} Zeichen"),
    ("dropFiles", "Dateien hier ablegen, um sie anzuhängen"),
    ("attachments", "Angehängte Dateien"),
    ("removeFile", "{name} entfernen"),
    ("tooManyFiles", "Eine Nachricht trägt höchstens {n} Dateien."),
    ("dismiss", "Schließen"),
    ("error.forbidden", "Das darfst du nicht."),
    ("error.not_found", "Diese Nachricht gibt es nicht mehr."),
    ("error.message_deleted", "Diese Nachricht wurde gelöscht."),
    ("error.rate_limited", "Du sendest zu schnell. Versuch es gleich noch einmal."),
    ("error.hosts_only", "Gerade können nur Gastgeber Nachrichten senden."),
    ("error.slow_mode", "Der langsame Modus ist an. Warte kurz bis zur nächsten Nachricht."),
    ("error.not_connected", "Keine Verbindung. Versuch es erneut, sobald der Chat wieder da ist."),
    ("error.disconnected", "Die Verbindung brach ab, bevor der Server antwortete. Versuch es erneut."),
    ("error.unsupported_media_type", "Diese Datei ließ sich nicht als die Art Datei lesen, die sie sein soll."),
    ("error.too_large", "Diese Datei ist zu groß."),
    ("error.aborted", "Das Hochladen wurde abgebrochen."),
    ("error.network", "Die Datei hat den Server nicht erreicht. Versuch es erneut."),
    ("error.text_too_long", "Diese Nachricht ist zu lang."),
    ("error.too_many_attachments", "Eine Nachricht trägt höchstens 10 Dateien."),
    ("error.hook_unavailable", "Die Nachricht ließ sich gerade nicht prüfen. Versuch es erneut."),
    ("error.invalid_attachment", "Diese Datei lässt sich nicht mehr verwenden."),
    ("error.generic", "Das hat nicht geklappt. Versuch es erneut."),
];

/// The panel's strings.
#[derive(Clone, Debug, PartialEq)]
pub struct Locale {
    lang: String,
    strings: HashMap<String, String>,
}

impl Locale {
    /// The table for `lang` (`en` or `de`; anything else falls back to
    /// English), with `overrides` applied on top.
    pub fn new(lang: &str, overrides: impl IntoIterator<Item = (String, String)>) -> Self {
        let table = if lang.starts_with("de") { DE } else { EN };
        let mut strings: HashMap<String, String> =
            EN.iter().chain(table).map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        strings.extend(overrides);
        Self { lang: if lang.starts_with("de") { "de".into() } else { "en".into() }, strings }
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
        self.t(key).replace(&format!("{{{name}}}"), value)
    }
}

impl Default for Locale {
    fn default() -> Self {
        Self::new("en", [])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key() {
        for (key, _) in EN {
            assert!(DE.iter().any(|(k, _)| k == key), "German lacks {key}");
        }
        assert_eq!(EN.len(), DE.len());
    }

    #[test]
    fn overrides_and_placeholders_apply() {
        let locale = Locale::new("de-AT", [("send".to_owned(), "Los".to_owned())]);
        assert_eq!(locale.lang(), "de");
        assert_eq!(locale.t("send"), "Los");
        assert_eq!(locale.t("cancel"), "Abbrechen");
        assert_eq!(locale.t_with("charactersLeft", "n", "12"), "Noch 12 Zeichen");
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
