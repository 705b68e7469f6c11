//! Search over real sockets: every query word starts a word of a hit's text,
//! hits come newest first in pages, and only what the searcher may see is
//! found (a private message by its audience; never a deleted or hidden one,
//! nor an edit's old text). Bad queries get typed errors. Run with
//! `CHAT_TEST_ENGINE=postgres` for PostgreSQL.

mod support;

use chat_protocol::{AckResult, ClientFrame, DeleteScope, ErrorCode, MessageId, NewContent, ParticipantId, Role, Seq};
use support::*;

/// The ids of the hits and whether more exist, or the error's code.
async fn search(
    client: &mut Client,
    query: &str,
    before: Option<Seq>,
    limit: u32,
    with: Option<&str>,
) -> Result<(Vec<MessageId>, bool), ErrorCode> {
    let query = query.to_owned();
    let with = with.map(ParticipantId::from);
    let answer = client.request(|req_id| ClientFrame::Search { req_id, query, before, limit, with }).await;
    match answer {
        Answer::Ack(AckResult::Search { messages, has_more }) => {
            Ok((messages.into_iter().map(|m| m.id).collect(), has_more))
        }
        Answer::Ack(other) => panic!("expected hits, got {other:?}"),
        Answer::Error(error) => Err(error.code),
    }
}

#[tokio::test]
async fn search_finds_word_prefixes_newest_first_and_only_what_the_searcher_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let mut cat = Client::connect(&server, "cat", Role::Participant).await;
    let text = |t: &str| NewContent::Text { text: t.into() };

    let public = sent_id(&ann.send_text("c1", "Deploying the new build on Friday").await.ack());
    let private = sent_id(&ann.send("c2", text("deploy keys are in the vault"), vec!["bob"]).await.ack());
    let deleted = sent_id(&cat.send_text("c3", "deploy tonight?").await.ack());
    let hidden = sent_id(&bob.send_text("c4", "the DEPLOY plan").await.ack());
    let edited = sent_id(&ann.send_text("c5", "a draft").await.ack());
    cat.request(|req_id| ClientFrame::Delete { req_id, id: deleted, scope: DeleteScope::Everyone }).await.ack();
    let id = hidden.clone();
    cat.request(|req_id| ClientFrame::Delete { req_id, id, scope: DeleteScope::Me }).await.ack();
    let (id, content) = (edited.clone(), text("final deploy checklist"));
    ann.request(|req_id| ClientFrame::Edit { req_id, id, content, attachments: None }).await.ack();

    let everything = vec![edited.clone(), hidden.clone(), private.clone(), public.clone()];
    assert_eq!(search(&mut bob, "deploy", None, 10, None).await, Ok((everything, false)));
    assert_eq!(search(&mut cat, "DEPL", None, 10, None).await, Ok((vec![edited.clone(), public.clone()], false)));
    assert_eq!(search(&mut bob, "deploy fri", None, 10, None).await, Ok((vec![public.clone()], false)));
    assert_eq!(
        search(&mut bob, "ploy", None, 10, None).await,
        Ok((Vec::new(), false)),
        "a word's start, not its middle"
    );
    assert_eq!(search(&mut bob, "draft", None, 10, None).await, Ok((Vec::new(), false)), "an edit's old text is gone");
    assert_eq!(search(&mut bob, "tonight", None, 10, None).await, Ok((Vec::new(), false)), "deleted");
    assert_eq!(search(&mut cat, "vault", None, 10, None).await, Ok((Vec::new(), false)), "private");
    assert_eq!(search(&mut bob, "deploy", None, 10, Some("ann")).await, Ok((vec![private.clone()], false)));

    // Pages: newest first, the last hit's seq asks for the next page.
    let (first, more) = search(&mut bob, "deploy", None, 2, None).await.expect("first page");
    assert_eq!((first.clone(), more), (vec![edited, hidden], true));
    let history = bob.all_history().await;
    let seq_of = |id: &MessageId| history.iter().find(|m| &m.id == id).map(|m| m.seq);
    let next = search(&mut bob, "deploy", seq_of(&first[1]), 2, None).await;
    assert_eq!(next, Ok((vec![private, public], false)));
}

#[tokio::test]
async fn a_query_is_words_never_syntax_and_bad_ones_get_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let said = sent_id(&ann.send_text("c1", "it's \"quoted\" OR not, NEAR the end: a*b").await.ack());
    for query in ["\"quoted", "OR not", "NEAR(", "it's", "a*b", "end: -x"] {
        let hits = search(&mut ann, query, None, 10, None).await;
        let expected = if query == "end: -x" { Vec::new() } else { vec![said.clone()] };
        assert_eq!(hits, Ok((expected, false)), "{query}");
    }
    assert_eq!(search(&mut ann, "  ?! ", None, 10, None).await, Err(ErrorCode::InvalidRequest));
    assert_eq!(search(&mut ann, &"a".repeat(201), None, 10, None).await, Err(ErrorCode::InvalidRequest));
    assert_eq!(search(&mut ann, "quoted", None, 0, None).await, Err(ErrorCode::InvalidRequest));
    assert_eq!(search(&mut ann, "quoted", None, 10, Some("")).await, Err(ErrorCode::InvalidRequest));
}
