//! A set of `seq`s kept sorted in a deque: the timeline's pinned and private
//! indexes.
//!
//! Members arrive the way the timeline grows, newest at the back and older
//! pages at the front, both O(1); a change in the middle (a pin, a delete)
//! shifts at most the shorter side. It costs the wasm a fraction of a
//! `BTreeSet`'s code, which the widget has no other use for.

use std::collections::VecDeque;

use chat_protocol::Seq;

/// Sorted, distinct `seq`s.
#[derive(Clone, Debug, Default)]
pub struct SeqSet(VecDeque<Seq>);

impl SeqSet {
    /// Adds `seq` if it is not a member.
    pub fn insert(&mut self, seq: Seq) {
        if let Err(at) = self.locate(seq) {
            self.0.insert(at, seq);
        }
    }

    /// Removes `seq` if it is a member.
    pub fn remove(&mut self, seq: Seq) {
        if let Ok(at) = self.locate(seq) {
            self.0.remove(at);
        }
    }

    /// Removes every member.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The members, lowest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Seq> + '_ {
        self.0.iter().copied()
    }

    fn locate(&self, seq: Seq) -> Result<usize, usize> {
        // The common cases first: a new newest member, or one already the newest.
        match self.0.back() {
            None => Err(0),
            Some(&last) if last < seq => Err(self.0.len()),
            _ => self.0.binary_search(&seq),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn holds_what_a_btree_set_holds(steps in prop::collection::vec((any::<bool>(), 0u64..40), 0..200)) {
            let (mut set, mut model) = (SeqSet::default(), BTreeSet::new());
            for (add, seq) in steps {
                if add {
                    set.insert(seq);
                    model.insert(seq);
                } else {
                    set.remove(seq);
                    model.remove(&seq);
                }
                prop_assert_eq!(set.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
            }
            set.clear();
            prop_assert_eq!(set.iter().count(), 0);
        }
    }
}
