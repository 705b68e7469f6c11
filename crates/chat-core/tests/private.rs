//! Private messages keep their recipients, locally and once confirmed.

mod support;

use chat_core::{Draft, Input, Intent};
use chat_protocol::{AckResult, ClientFrame, Role};
use support::*;

#[test]
fn a_private_send_carries_its_targets_through_echo_and_ack() {
    let mut state = joined("ann", Role::Participant, 0);
    let mut draft = Draft::text("psst");
    draft.targets = vec!["bob".into()];
    let fx = state.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft }), NOW);
    let req = match sent_frames(&fx)[..] {
        [ClientFrame::Send { req_id, ref targets, .. }] => {
            assert_eq!(targets, &vec!["bob".into()]);
            *req_id
        }
        ref other => panic!("{other:?}"),
    };
    assert_eq!(state.echo(&"c1".into()).unwrap().targets, vec!["bob".into()]);
    state.apply(
        ack(req, AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() }),
        NOW,
    );
    assert_eq!(state.timeline().get(&"m1".into()).unwrap().targets, vec!["bob".into()]);
}

#[test]
fn messages_can_be_listed_by_user_and_kind() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(created(message("m1", 1, "bob", "a")), NOW);
    state.apply(created(message("m2", 2, "cat", "b")), NOW);
    state.apply(created(message("m3", 3, "bob", "c")), NOW);
    let bob_id = "bob".into();
    let bob: Vec<&str> = state.messages_by_user(&bob_id).map(|(_, m)| m.id.as_str()).collect();
    assert_eq!(bob, ["m1", "m3"]);
    assert_eq!(state.messages_by_kind(chat_protocol::MessageKind::Text).count(), 3);
    assert_eq!(state.messages_by_kind(chat_protocol::MessageKind::Image).count(), 0);
}

#[test]
fn private_messages_group_into_conversations_by_their_other_participants() {
    let mut state = joined("ann", Role::Participant, 0);
    let private = |id: &str, seq, from: &str, to: &[&str]| {
        let mut m = message(id, seq, from, "psst");
        m.targets = to.iter().map(|t| (*t).into()).collect();
        m
    };
    state.apply(created(private("m1", 1, "ann", &["bob"])), NOW);
    state.apply(created(message("m2", 2, "bob", "public")), NOW);
    state.apply(created(private("m3", 3, "bob", &["ann"])), NOW);
    state.apply(created(private("m4", 4, "cat", &["ann", "bob"])), NOW);
    let conversations = state.private_conversations();
    assert_eq!(conversations.len(), 2);
    assert_eq!(conversations[0].peers, vec!["bob".into(), "cat".into()]);
    assert_eq!(conversations[1].peers, vec!["bob".into()]);
    assert_eq!((conversations[1].count, conversations[1].last_message.as_str()), (2, "m3"));
}

#[test]
fn an_answer_keeps_the_conversations_audience() {
    let mut state = joined("ann", Role::Participant, 0);
    let mut private = message("m1", 1, "bob", "psst");
    private.targets = vec!["ann".into(), "cat".into()];
    state.apply(created(private.clone()), NOW);
    let targets: Vec<String> = state.conversation_targets(&private).into_iter().map(|p| p.0).collect();
    assert_eq!(targets, ["cat", "bob"], "everyone in it but me");
    assert!(state.conversation_targets(&message("m2", 2, "bob", "hi all")).is_empty(), "a meeting message goes to all");
}
