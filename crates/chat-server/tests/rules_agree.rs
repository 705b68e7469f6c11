//! The client's pre-checks (chat-core, calling the protocol's rules with the
//! limits the welcome announced) and the real server agree: what the core
//! would refuse at once, the server refuses with the same code, and what the
//! core lets through, the server accepts.

mod support;

use chat_core::{ChatState, Draft, DraftContent, Effect, Input, Intent};
use chat_protocol::{ClientFrame, DeleteScope, Message, MessageId, NewContent, ParticipantId, Role};
use serde_json::{json, Map, Value};
use support::*;

/// The core's state for `client`, from the welcome the server sent it.
fn core_for(client: &Client) -> ChatState {
    let mut state = ChatState::new();
    state.apply(Input::Frame(client.welcome.clone()), 0);
    state
}

/// The code the core refuses `draft` with, or `None` if it would send it.
fn core_verdict(state: &mut ChatState, client_id: &str, draft: Draft) -> Option<String> {
    let send = Intent::Send { op: 1, client_id: client_id.into(), draft };
    state.apply(Input::Intent(send), 0).into_iter().find_map(|effect| match effect {
        Effect::Reject { error, .. } => Some(error.code),
        _ => None,
    })
}

/// The code the server refuses `draft` with, or `None` if it stored it.
async fn server_verdict(client: &mut Client, client_id: &str, draft: &Draft) -> Option<String> {
    let DraftContent::Text { text } = &draft.content else { panic!("text drafts only") };
    let answer = client
        .request(|req_id| ClientFrame::Send {
            req_id,
            client_id: client_id.into(),
            content: NewContent::Text { text: text.clone() },
            reply_to: None,
            forwarded_from: None,
            targets: draft.targets.clone(),
            metadata: draft.metadata.clone(),
            details: draft.details.clone(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        })
        .await;
    match answer {
        Answer::Ack(_) => None,
        Answer::Error(error) => Some(error.code.to_string()),
    }
}

fn metadata_of(bytes: usize) -> Map<String, Value> {
    // `{"k":"…"}` is 8 bytes around the value.
    let mut metadata = Map::new();
    metadata.insert("k".into(), json!("x".repeat(bytes - 8)));
    metadata
}

#[tokio::test]
async fn the_core_and_the_server_refuse_the_same_drafts_with_the_same_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut core = core_for(&ann);
    let text = |t: String| Draft::text(t);
    let many: Vec<ParticipantId> = (0..=100).map(|i| ParticipantId(format!("p{i}"))).collect();
    let drafts = [
        text(String::new()),
        text(" \n\t ".into()),
        text("hello".into()),
        text("é".repeat(4_000)),
        text("a".repeat(4_001)),
        text("😀".repeat(4_001)),
        Draft { metadata: metadata_of(4_096), ..text("fits".into()) },
        Draft { metadata: metadata_of(4_097), ..text("too much".into()) },
        Draft { metadata: metadata_of(2_048), details: metadata_of(2_048), ..text("fits together".into()) },
        Draft { metadata: metadata_of(2_048), details: metadata_of(2_049), ..text("too much together".into()) },
        Draft { targets: many[..100].to_vec(), ..text("to a hundred".into()) },
        Draft { targets: many.clone(), ..text("to a hundred and one".into()) },
    ];
    let mut refused = 0;
    for (index, draft) in drafts.into_iter().enumerate() {
        let client_id = format!("agree-{index}");
        let expected = core_verdict(&mut core, &client_id, draft.clone());
        let answered = server_verdict(&mut ann, &client_id, &draft).await;
        assert_eq!(expected, answered, "draft {index}");
        refused += usize::from(expected.is_some());
    }
    assert_eq!(refused, 7, "both sides refused the same seven drafts");
    server.stop().await;
}

async fn created_by(client: &mut Client, text: &str) -> Message {
    let id = sent_id(&client.send_text(&format!("c-{text}"), text).await.ack());
    loop {
        if let chat_protocol::Event::MessageCreated { message } = client.next_event().await.event {
            if message.id == id {
                return message;
            }
        }
    }
}

fn allowed(answer: Answer) -> bool {
    match answer {
        Answer::Ack(_) => true,
        Answer::Error(error) => {
            assert_eq!(error.code.to_string(), "forbidden", "a refusal on permissions");
            false
        }
    }
}

#[tokio::test]
async fn the_core_and_the_server_agree_on_who_may_edit_delete_and_pin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let mut hal = Client::connect(&server, "hal", Role::Host).await;
    let message = created_by(&mut ann, "ann's words").await;
    let id: MessageId = message.id.clone();
    for client in [&mut ann, &mut bob, &mut hal] {
        let core = core_for(client);
        let edit = client
            .request(|req_id| ClientFrame::Edit {
                req_id,
                id: id.clone(),
                content: NewContent::Text { text: "changed".into() },
                attachments: None,
            })
            .await;
        assert_eq!(core.can_edit(&message), allowed(edit), "{} edits", client.me.id);
        let pin = client.request(|req_id| ClientFrame::Pin { req_id, id: id.clone() }).await;
        assert_eq!(core.can_pin(), allowed(pin), "{} pins", client.me.id);
        let unpin = client.request(|req_id| ClientFrame::Unpin { req_id, id: id.clone() }).await;
        assert_eq!(core.can_pin(), allowed(unpin), "{} unpins", client.me.id);
    }
    // Deleting for everyone ends a message, so each tries on a message of ann's of its own.
    let mut targets = Vec::new();
    for name in ["bob", "hal", "ann"] {
        targets.push(created_by(&mut ann, &format!("for {name}")).await);
    }
    for (client, target) in [&mut bob, &mut hal, &mut ann].into_iter().zip(targets) {
        let core = core_for(client);
        let delete = client
            .request(|req_id| ClientFrame::Delete { req_id, id: target.id.clone(), scope: DeleteScope::Everyone })
            .await;
        assert_eq!(core.can_delete_for_everyone(&target), allowed(delete), "{} deletes", client.me.id);
    }
    server.stop().await;
}
