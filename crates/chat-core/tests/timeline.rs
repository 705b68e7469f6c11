//! The timeline keeps `seq` order and finds rows by position, whatever order
//! messages arrive in; checked against a sorted map as the model.

mod support;

use std::collections::BTreeMap;

use chat_core::Timeline;
use proptest::prelude::*;
use support::message;

#[derive(Clone, Debug)]
enum Op {
    Upsert { id: u8, seq: u16, pinned: bool, private: bool },
    Toggle { id: u8 },
    Remove { id: u8 },
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0u8..40, 0u16..200, any::<bool>(), any::<bool>())
            .prop_map(|(id, seq, pinned, private)| Op::Upsert { id, seq, pinned, private }),
        2 => (0u8..40).prop_map(|id| Op::Toggle { id }),
        2 => (0u8..40).prop_map(|id| Op::Remove { id }),
        1 => Just(Op::Clear),
    ]
}

proptest! {
    #[test]
    fn rows_follow_seq_order_and_positions_agree(ops in proptest::collection::vec(op(), 0..120)) {
        let mut timeline = Timeline::default();
        // The model: id -> seq, with one message per seq (seqs are unique on the server).
        let mut model: BTreeMap<u8, u16> = BTreeMap::new();
        for op in ops {
            let revision = timeline.revision();
            match op {
                Op::Upsert { id, seq, pinned, private } => {
                    if model.iter().any(|(other, s)| *s == seq && *other != id) {
                        continue;
                    }
                    let appended = model.values().all(|s| *s < seq);
                    let was_new = model.insert(id, seq).is_none();
                    let moved = !was_new && timeline.get(&format!("m{id}").into()).map(|m| m.seq) != Some(u64::from(seq));
                    let mut message = message(&format!("m{id}"), u64::from(seq), "bob", "x");
                    message.pinned = pinned;
                    if private {
                        message.targets = vec!["cy".into()];
                    }
                    prop_assert_eq!(timeline.upsert(message), was_new);
                    prop_assert_eq!(timeline.revision() != revision, (was_new && !appended) || moved);
                }
                Op::Toggle { id } => {
                    let known = timeline.update(&format!("m{id}").into(), |m| {
                        m.pinned = !m.pinned;
                        m.targets = if m.targets.is_empty() { vec!["cy".into()] } else { Vec::new() };
                    });
                    prop_assert_eq!(known, model.contains_key(&id));
                    prop_assert_eq!(timeline.revision(), revision);
                }
                Op::Remove { id } => {
                    let existed = model.remove(&id).is_some();
                    prop_assert_eq!(timeline.remove(&format!("m{id}").into()).is_some(), existed);
                    prop_assert_eq!(timeline.revision() != revision, existed);
                }
                Op::Clear => {
                    model.clear();
                    timeline.clear();
                }
            }
            let mut expected: Vec<(u16, u8)> = model.iter().map(|(id, seq)| (*seq, *id)).collect();
            expected.sort();
            prop_assert_eq!(timeline.len(), expected.len());
            for (index, (seq, id)) in expected.iter().enumerate() {
                let id = format!("m{id}").into();
                prop_assert_eq!(timeline.at(index).map(|m| m.seq), Some(u64::from(*seq)));
                prop_assert_eq!(timeline.position(&id), Some(index));
            }
            prop_assert_eq!(timeline.oldest_seq(), expected.first().map(|(s, _)| u64::from(*s)));
            let pinned: Vec<u64> = timeline.iter().filter(|m| m.pinned).map(|m| m.seq).collect();
            prop_assert_eq!(timeline.pinned().map(|m| m.seq).collect::<Vec<_>>(), pinned);
            let private: Vec<u64> = timeline.iter().filter(|m| !m.targets.is_empty()).map(|m| m.seq).collect();
            prop_assert_eq!(timeline.private().map(|m| m.seq).collect::<Vec<_>>(), private);
        }
    }
}

#[test]
fn an_update_keeps_the_order_even_if_it_touches_seq() {
    let mut timeline = Timeline::default();
    for seq in 1..=3 {
        timeline.upsert(message(&format!("m{seq}"), seq, "bob", "x"));
    }
    let revision = timeline.revision();
    assert!(timeline.update(&"m1".into(), |m| {
        m.seq = 99;
        m.pinned = true;
    }));
    assert_eq!(timeline.revision(), revision, "an edit in place moves no row");
    assert_eq!(timeline.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(timeline.at(0).is_some_and(|m| m.pinned));
}
