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
    assert_eq!(search(&mut ann, &"a ".repeat(60), None, 10, None).await, Err(ErrorCode::InvalidRequest), "60 words");
}

#[tokio::test]
async fn searches_are_rate_limited_per_participant_with_a_retry_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.searches_per_window = 3;
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    for _ in 0..3 {
        assert_eq!(search(&mut ann, "deploy", None, 10, None).await, Ok((Vec::new(), false)));
    }
    let query = "deploy".to_owned();
    let refused =
        ann.request(|req_id| ClientFrame::Search { req_id, query, before: None, limit: 10, with: None }).await;
    let refused = refused.error();
    assert_eq!((refused.code, refused.bucket), (ErrorCode::RateLimited, Some(chat_protocol::RateBucket::Search)));
    assert!(refused.retry_after_ms.is_some_and(|ms| ms > 50_000), "{refused:?}");
    assert!(matches!(ann.send_text("c1", "sending is another bucket").await.ack(), AckResult::Sent { .. }));
    assert_eq!(search(&mut bob, "deploy", None, 10, None).await.map(|(_, more)| more), Ok(false), "bob has his own");
}

/// Messages like a busy meeting's, stored directly (sending them would meet the rate limits).
async fn seed(config: &chat_server::Config, count: usize) {
    const WORDS: [&str; 7] = ["standup", "deploy", "review", "lunch", "budget", "design", "release"];
    let storage = chat_server::api::app::open_storage(config).await.expect("storage");
    for index in 0..count {
        let sender = format!("p{}", index % 40);
        let text = format!("{} the {} before {} #{index}", WORDS[index % 7], WORDS[index % 5], WORDS[index % 3]);
        let message = chat_server::store::NewMessage {
            meeting: chat_protocol::MeetingId::from(MEETING),
            id: MessageId::from(format!("m{index}").as_str()),
            client_id: format!("c{index}").as_str().into(),
            sender: chat_protocol::Sender { id: sender.as_str().into(), display_name: sender.clone(), bot: false },
            time: index as i64,
            session_id: "s".into(),
            content: chat_server::store::StoredContent::Text(text),
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: Default::default(),
            details: Default::default(),
            attachments: Vec::new(),
            mentions: Vec::new(),
        };
        storage.store.insert_message(message).await.expect("insert");
    }
}

/// The acknowledgement times of `count` sends, one after another, sorted.
async fn send_times(client: &mut Client, count: usize, tag: &str) -> Vec<std::time::Duration> {
    let mut times = Vec::new();
    for n in 0..count {
        let sent = std::time::Instant::now();
        assert!(matches!(client.send_text(&format!("{tag}{n}"), "still here").await.ack(), AckResult::Sent { .. }));
        times.push(sent.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    times.sort();
    times
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_connections_flooding_the_costliest_search_never_stall_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    seed(&config, 5_000).await;
    let server = TestServer::start_with(config).await;
    let mut cy = Client::connect(&server, "cy", Role::Participant).await;
    let quiet = send_times(&mut cy, 40, "quiet").await;
    // Eight words (the most), each a prefix of words every message has.
    let worst = "th the be bef befo before th be";
    let stop = tokio_util::sync::CancellationToken::new();
    let mut flooders = Vec::new();
    for n in 0..20 {
        let mut flooder = Client::connect(&server, &format!("flood-{n}"), Role::Participant).await;
        let stop = stop.clone();
        flooders.push(tokio::spawn(async move {
            let (mut answered, mut refused) = (0, 0);
            while !stop.is_cancelled() {
                match search(&mut flooder, worst, None, 50, None).await {
                    Ok(_) => answered += 1,
                    Err(ErrorCode::RateLimited | ErrorCode::SearchTooBroad) => refused += 1,
                    Err(other) => panic!("{other:?}"),
                }
            }
            (answered, refused)
        }));
    }
    let flooded = send_times(&mut cy, 40, "flooded").await;
    stop.cancel();
    let (mut answered, mut refused) = (0, 0);
    for flooder in flooders {
        let (a, r) = flooder.await.unwrap();
        (answered, refused) = (answered + a, refused + r);
    }
    let p99 = |times: &[std::time::Duration]| times[times.len() * 99 / 100];
    let (before, during) = (p99(&quiet), p99(&flooded));
    println!(
        "search flood ({} engine, 5,000 messages): a send's ack p99 {before:?} without it, {during:?} with twenty \
         connections searching back to back ({answered} searches answered, {refused} refused)",
        if server.database_url.is_some() { "PostgreSQL" } else { "SQLite" }
    );
    assert!(answered > 0, "searches are answered, not only refused");
    // Before the searches had their own connections and bounds, sends waited 24 s behind them.
    assert!(during < (before * 10).max(std::time::Duration::from_millis(300)), "{during:?} against {before:?}");
    server.stop().await;
}
