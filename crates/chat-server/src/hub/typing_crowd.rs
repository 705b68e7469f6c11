//! Typing in a large meeting's own conversation, coalesced: instead of every
//! typist's notice going to everyone (200 typists among 10,000 people would
//! be 1.3 million frames a second), the room remembers who typed lately and
//! tells everyone at most once per presence interval, in one frame naming
//! the first few typists and counting the rest; a crowd that has not changed
//! is told again only as often as a typist's client renews its own notice.

use std::collections::HashMap;

use chat_protocol::{rules, ParticipantId, TypingCrowd, TypingNotice};

/// Who typed in the meeting's own conversation lately, on any node.
#[derive(Debug, Default)]
pub(crate) struct Crowd {
    /// Each typist's name, when they started and when they last typed.
    typists: HashMap<ParticipantId, Typing>,
    /// The last crowd told, and when: an unchanged one is renewed only every
    /// [`rules::TYPING_INTERVAL_MS`], and an empty one told once.
    told: Option<(TypingCrowd, i64)>,
    /// Whether a flush is already due.
    pub(crate) flush_due: bool,
}

#[derive(Debug)]
struct Typing {
    name: String,
    since: i64,
    last: i64,
}

impl Crowd {
    /// `notice`'s typist typed at `now`.
    pub(crate) fn typed(&mut self, notice: &TypingNotice, now: i64) {
        let typing = self.typists.entry(notice.participant_id.clone()).or_insert_with(|| Typing {
            name: notice.display_name.clone(),
            since: now,
            last: now,
        });
        typing.name.clone_from(&notice.display_name);
        typing.last = now;
    }

    /// `id` sent a message to the meeting: they are no longer typing it.
    pub(crate) fn stopped(&mut self, id: &ParticipantId) {
        self.typists.remove(id);
    }

    /// What to tell everyone at `now`, forgetting typists whose last notice
    /// no longer shows: the crowd when it changed or is due for renewal, one
    /// empty crowd when the last typist stopped, else nothing.
    pub(crate) fn frame(&mut self, now: i64) -> Option<TypingCrowd> {
        self.typists.retain(|_, typing| now - typing.last < rules::TYPING_SHOWN_MS);
        let mut first: Vec<(&ParticipantId, &Typing)> = self.typists.iter().collect();
        first.sort_by(|a, b| (a.1.since, a.0).cmp(&(b.1.since, b.0)));
        let named = first
            .into_iter()
            .take(rules::TYPING_CROWD_NAMED)
            .map(|(id, typing)| TypingNotice {
                participant_id: id.clone(),
                display_name: typing.name.clone(),
                targets: Vec::new(),
            })
            .collect();
        let crowd = TypingCrowd { named, count: u32::try_from(self.typists.len()).unwrap_or(u32::MAX) };
        let unchanged = match &self.told {
            Some((told, at)) => *told == crowd && (crowd.count == 0 || now - at < rules::TYPING_INTERVAL_MS),
            None => crowd.count == 0,
        };
        if unchanged {
            return None;
        }
        self.told = Some((crowd.clone(), now));
        Some(crowd)
    }

    /// Whether nobody is typing and nobody needs telling so.
    pub(crate) fn is_quiet(&self) -> bool {
        self.typists.is_empty() && self.told.as_ref().is_none_or(|(told, _)| told.count == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(id: &str, name: &str) -> TypingNotice {
        TypingNotice { participant_id: id.into(), display_name: name.into(), targets: Vec::new() }
    }

    fn names(crowd: &TypingCrowd) -> Vec<&str> {
        crowd.named.iter().map(|t| t.display_name.as_str()).collect()
    }

    #[test]
    fn names_the_first_typists_and_counts_everyone() {
        let mut crowd = Crowd::default();
        for (i, name) in ["Eve", "Bo", "Ada", "Cy", "Di"].iter().enumerate() {
            crowd.typed(&notice(&format!("u{i}"), name), 1_000 + i as i64);
        }
        // Eve types again: she keeps her place among the first.
        crowd.typed(&notice("u0", "Eve"), 1_900);
        let told = crowd.frame(2_000).expect("a crowd");
        assert_eq!(names(&told), ["Eve", "Bo", "Ada"]);
        assert_eq!(told.count, 5);
    }

    #[test]
    fn typists_fade_after_the_shown_time_and_the_empty_crowd_is_told_once() {
        let mut crowd = Crowd::default();
        assert_eq!(crowd.frame(0), None, "nothing to tell");
        crowd.typed(&notice("a", "Ada"), 0);
        crowd.typed(&notice("b", "Bo"), 3_000);
        assert_eq!(crowd.frame(3_000).map(|c| c.count), Some(2));
        assert_eq!(crowd.frame(rules::TYPING_SHOWN_MS).map(|c| c.count), Some(1), "Ada faded");
        assert!(!crowd.is_quiet());
        let empty = crowd.frame(3_000 + rules::TYPING_SHOWN_MS).expect("told that nobody types");
        assert_eq!(empty, TypingCrowd { named: Vec::new(), count: 0 });
        assert!(crowd.is_quiet());
        assert_eq!(crowd.frame(20_000), None, "and only once");
    }

    #[test]
    fn an_unchanged_crowd_is_renewed_only_as_often_as_a_typist_renews() {
        let mut crowd = Crowd::default();
        crowd.typed(&notice("a", "Ada"), 0);
        assert!(crowd.frame(0).is_some());
        crowd.typed(&notice("a", "Ada"), 1_500);
        assert_eq!(crowd.frame(2_000), None, "the same crowd, told 2 s ago");
        assert!(crowd.frame(rules::TYPING_INTERVAL_MS).is_some(), "renewed before it stops showing");
        crowd.typed(&notice("b", "Bo"), 3_100);
        assert_eq!(crowd.frame(3_200).map(|c| c.count), Some(2), "a change is told at once");
    }

    #[test]
    fn a_message_ends_its_senders_typing() {
        let mut crowd = Crowd::default();
        crowd.typed(&notice("a", "Ada"), 0);
        crowd.typed(&notice("b", "Bo"), 0);
        crowd.stopped(&"a".into());
        let told = crowd.frame(10).expect("a crowd");
        assert_eq!((names(&told), told.count), (vec!["Bo"], 1));
    }

    #[test]
    fn a_renamed_typist_is_named_anew() {
        let mut crowd = Crowd::default();
        crowd.typed(&notice("a", "Ada"), 0);
        crowd.typed(&notice("a", "Ada L."), 10);
        assert_eq!(names(&crowd.frame(20).expect("a crowd")), ["Ada L."]);
    }
}
