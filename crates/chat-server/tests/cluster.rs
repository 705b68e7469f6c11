//! Three nodes (the real binary) on one PostgreSQL database and one Redis,
//! behind nginx: participants on different nodes chat as in one meeting,
//! limits and presence hold across nodes, and the faults (a node killed, Redis
//! restarted) lose nothing. Each fault test prints its counts.

mod support;

use std::time::{Duration, Instant};

use chat_protocol::{AckResult, ClientFrame, DeleteScope, ErrorCode, Event, NewContent, Role, Seq, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use support::cluster::TestCluster;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Reads presence frames until `client` sees `count` participants.
async fn until_count(client: &mut Client, count: u32) -> Duration {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(20);
    let mut seen = match &client.welcome {
        chat_protocol::ServerFrame::Welcome { participant_count, .. } => *participant_count,
        _ => 0,
    };
    while seen != count {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(presence) = client.next_presence_within(left).await else {
            panic!("{} saw {seen} participants, not {count}, within 20 s", client.me.id);
        };
        seen = presence.count;
    }
    started.elapsed()
}

/// The seqs of `client`'s events not yet read, up to `last`, checking they
/// rise with no duplicate.
async fn seqs_until(client: &mut Client, last: Seq) -> Vec<Seq> {
    let mut seqs = Vec::new();
    while seqs.last().is_none_or(|s| *s < last) {
        seqs.push(client.next_event().await.seq);
    }
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{}: out of order or twice: {seqs:?}", client.me.id);
    seqs
}

fn seq_of(answer: Answer) -> Seq {
    match answer.ack() {
        AckResult::Sent { seq, .. } => seq,
        AckResult::Done { seq: Some(seq) } => seq,
        other => panic!("expected a stored change, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn participants_on_three_nodes_chat_as_one_meeting() {
    let cluster = TestCluster::start(3).await;
    let connect = |i: usize, id: &'static str, role| {
        let url = cluster.nodes[i].ws_url();
        async move { Client::connect_url(&url, &token_for(id, role), None).await }
    };
    let mut ada = connect(0, "ada", Role::Host).await;
    let mut bob = connect(1, "bob", Role::Participant).await;
    let mut cy = connect(2, "cy", Role::Participant).await;
    let mut dee = Client::connect_url(&cluster.front.ws_url(), &token_for("dee", Role::Participant), None).await;
    for client in [&mut ada, &mut bob, &mut cy, &mut dee] {
        until_count(client, 4).await;
    }

    // Every kind of change, each made on a different node than some readers.
    let AckResult::Sent { id: hello_id, seq: hello, .. } = ada.send_text("a1", "hello from node 0").await.ack() else {
        panic!("not sent")
    };
    let front = format!("http://127.0.0.1:{}", cluster.front.port);
    let bob_token = token_for("bob", Role::Participant);
    let response = upload_at(&front, &bob_token, "pic.png", "image", png(64, 32), "image/png").await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let file: chat_protocol::FileRef = response.json().await.unwrap();
    let image = bob.send("b1", NewContent::Image { file_id: file.id.clone() }, Vec::new()).await;
    let AckResult::Sent { seq: image_seq, .. } = image.ack() else { panic!("not sent") };
    let text = bob.send_text("b2", "typo").await;
    let AckResult::Sent { id: text_id, .. } = text.ack() else { panic!("not sent") };
    let edited = seq_of(
        bob.request(|req_id| ClientFrame::Edit {
            req_id,
            id: text_id.clone(),
            content: NewContent::Text { text: "fixed".into() },
            attachments: None,
        })
        .await,
    );
    let pinned = seq_of(ada.request(|req_id| ClientFrame::Pin { req_id, id: text_id.clone() }).await);
    let secret = seq_of(cy.send("c1", NewContent::Text { text: "for dee only".into() }, vec!["dee"]).await);
    let deleted = seq_of(
        ada.request(|req_id| ClientFrame::Delete { req_id, id: hello_id.clone(), scope: DeleteScope::Everyone }).await,
    );
    // A file and a voice message, uploaded to node 2 and sent from it.
    let cy_token = token_for("cy", Role::Participant);
    let cy_http = cluster.nodes[2].http_url("");
    let notes = upload_at(&cy_http, &cy_token, "notes.txt", "file", b"minutes".to_vec(), "text/plain").await;
    let notes: chat_protocol::FileRef = notes.json().await.unwrap();
    let file_seq = seq_of(cy.send("c2", NewContent::File { file_id: notes.id }, Vec::new()).await);
    let memo = upload_at(&cy_http, &cy_token, "memo.wav", "audio", wav(), "audio/wav").await;
    let memo: chat_protocol::FileRef = memo.json().await.unwrap();
    let audio_seq = seq_of(cy.send("c3", NewContent::Audio { file_id: memo.id }, Vec::new()).await);
    let all = vec![hello, image_seq, image_seq + 1, edited, pinned, secret, deleted, file_seq, audio_seq];
    assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
    let public: Vec<Seq> = all.iter().copied().filter(|s| *s != secret).collect();

    assert_eq!(seqs_until(&mut ada, audio_seq).await, public, "ada (node 0)");
    assert_eq!(seqs_until(&mut bob, audio_seq).await, public, "bob (node 1)");
    assert_eq!(seqs_until(&mut cy, audio_seq).await, all, "cy (node 2)");
    assert_eq!(seqs_until(&mut dee, audio_seq).await, all, "dee (the front)");
    let created = ada.events.iter().filter_map(|e| match &e.event {
        Event::MessageCreated { message } => message.content.kind(),
        _ => None,
    });
    let kinds: Vec<&str> = created.map(|kind| kind.as_str()).collect();
    assert_eq!(kinds, ["text", "image", "text", "file", "audio"], "every kind reaches node 0");
    let edited_on_node_2 = cy.events.iter().find(|e| e.seq == edited).expect("the edit");
    match &edited_on_node_2.event {
        Event::MessageEdited { message } => assert_eq!(text_of(message), "fixed"),
        other => panic!("expected an edit, got {other:?}"),
    }

    // The image bob uploaded through the front is served by every node from its signed link.
    let created = cy.events.iter().find(|e| e.seq == image_seq).expect("the image");
    let url = created_message(created).content.file().expect("an image message").url.clone();
    for node in &cluster.nodes {
        let response = reqwest::get(node.http_url(&url)).await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{}", node.addr);
        assert_eq!(response.bytes().await.unwrap().len(), png(64, 32).len());
    }
    // Nobody outside the private message ever sees it, on any node.
    for client in [&mut ada, &mut bob] {
        client.assert_no_event().await;
        assert!(client.all_history().await.iter().all(|m| m.seq != secret));
    }

    // Typing crosses nodes too, and a private conversation's stays in it.
    cy.typing(&["dee"]).await;
    ada.typing(&[]).await;
    // Two nodes' notices reach dee in either order.
    let mut heard = [dee.next_typing().await, dee.next_typing().await].map(|notice| notice.participant_id.0);
    heard.sort();
    assert_eq!(heard, ["ada", "cy"], "cy (node 2) privately and ada (node 0) to dee (the front)");
    assert_eq!(bob.next_typing().await.participant_id.as_str(), "ada", "ada (node 0) to bob (node 1)");
    assert!(ada.typing_so_far().await.is_empty(), "never to the typist, nor outside cy's private conversation");
    assert!(bob.typing_so_far().await.iter().all(|notice| notice.participant_id.as_str() != "cy"));

    // Reading on one node reaches the reader's connection on another at once.
    let mut bob_elsewhere = connect(2, "bob", Role::Participant).await;
    let head = bob_elsewhere.head_seq();
    let answer = bob.request(|req_id| ClientFrame::MarkRead { req_id, with: None, seq: head }).await;
    assert_eq!(answer.ack(), AckResult::Done { seq: None });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, bob_elsewhere.next()).await.expect("the read position within 10 s") {
            chat_protocol::ServerFrame::Read { with: None, seq } => break assert_eq!(seq, head),
            _ => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_on_three_nodes_at_once_reach_everyone_in_one_order() {
    let cluster = TestCluster::start(3).await;
    let mut clients = Vec::new();
    for (i, id) in ["p0", "p1", "p2"].into_iter().enumerate() {
        clients.push(Client::connect_url(&cluster.nodes[i].ws_url(), &token_for(id, Role::Participant), None).await);
    }
    const EACH: usize = 40;
    let sends = clients.into_iter().map(|mut client| async move {
        for n in 0..EACH {
            let id = format!("{}-{n}", client.me.id);
            client.send_text(&id, &id).await.ack();
        }
        client
    });
    let mut clients = futures_util::future::join_all(sends).await;
    let total = (3 * EACH) as Seq;
    let mut orders = Vec::new();
    for client in &mut clients {
        let seqs = seqs_until(client, total).await;
        assert_eq!(seqs, (1..=total).collect::<Vec<_>>(), "{}: a gap", client.me.id);
        let ids: Vec<String> = client.events.iter().map(|e| text_of(created_message(e)).to_owned()).collect();
        orders.push(ids);
    }
    assert!(orders.windows(2).all(|w| w[0] == w[1]), "every node delivers the same order");
    println!("3 nodes, {total} messages sent at once: each client got {total}, 0 gaps, 0 duplicates, one order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_and_slow_mode_hold_for_one_participant_on_two_nodes() {
    let cluster = TestCluster::start(2).await;
    let token = token_for("pat", Role::Participant);
    let mut on_0 = Client::connect_url(&cluster.nodes[0].ws_url(), &token, None).await;
    let mut on_1 = Client::connect_url(&cluster.nodes[1].ws_url(), &token, None).await;
    let limit = chat_protocol::Limits::default().text_messages_per_window as usize;
    for n in 0..limit {
        let client = if n % 2 == 0 { &mut on_0 } else { &mut on_1 };
        client.send_text(&format!("r{n}"), "counted once, wherever").await.ack();
    }
    for client in [&mut on_0, &mut on_1] {
        let refused = client.send_text("over", "one too many").await.error();
        assert_eq!(refused.code, ErrorCode::RateLimited, "{refused:?}");
    }

    let mut host = Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("host", Role::Host), None).await;
    let set = host
        .request(|req_id| ClientFrame::UpdateSettings {
            req_id,
            anyone_can_pin: None,
            who_can_send: None,
            slow_mode_secs: Some(30),
            read_receipts: None,
            private_chat: None,
        })
        .await;
    seq_of(set);
    let token = token_for("sam", Role::Participant);
    let mut sam_0 = Client::connect_url(&cluster.nodes[0].ws_url(), &token, None).await;
    let mut sam_1 = Client::connect_url(&cluster.nodes[1].ws_url(), &token, None).await;
    sam_0.send_text("s1", "first").await.ack();
    let slowed = sam_1.send_text("s2", "too soon, on the other node").await.error();
    assert_eq!(slowed.code, ErrorCode::SlowMode, "{slowed:?}");
    assert!(slowed.retry_after_ms.is_some_and(|ms| ms > 25_000 && ms <= 30_000), "{slowed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mute_or_removal_on_one_node_holds_on_the_others_and_only_the_muted_and_hosts_hear_of_a_mute() {
    let cluster = TestCluster::start(2).await;
    let mut host = Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("host", Role::Host), None).await;
    let mut mo = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("mo", Role::Participant), None).await;
    let mut cosmo = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("cosmo", Role::Host), None).await;
    let mut ivy = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("ivy", Role::Participant), None).await;
    mo.send_text("m0", "before").await.ack();

    let muted = host.request(|req_id| ClientFrame::Mute { req_id, participant_id: "mo".into(), minutes: None }).await;
    seq_of(muted);
    while !matches!(mo.next_event().await.event, Event::ParticipantMuted { .. }) {}
    while !matches!(cosmo.next_event().await.event, Event::ParticipantMuted { .. }) {}
    let refused = mo.send_text("m1", "on the other node").await.error();
    assert_eq!(refused.code, ErrorCode::Muted, "{refused:?}");
    let again = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("mo", Role::Participant), None).await;
    let ServerFrame::Welcome { muted, .. } = &again.welcome else { panic!("a welcome") };
    assert_eq!(muted.len(), 1, "a reconnect on any node is told");

    let lifted = host.request(|req_id| ClientFrame::Unmute { req_id, participant_id: "mo".into() }).await;
    seq_of(lifted);
    while !matches!(mo.next_event().await.event, Event::ParticipantUnmuted { .. }) {}
    mo.send_text("m2", "free again").await.ack();
    while !matches!(ivy.next_event().await.event, Event::MessageCreated { ref message } if message.client_id.as_str() == "m2")
    {
    }
    let told: Vec<_> = ivy.events.iter().filter(|e| !matches!(e.event, Event::MessageCreated { .. })).collect();
    assert!(told.is_empty(), "others are not told: {told:?}");

    // Removed on node 0: mo's connections on node 1 close, every node refuses mo, and everyone
    // there drops mo's messages at the one event.
    let removed =
        host.request(|req_id| ClientFrame::Remove { req_id, participant_id: "mo".into(), delete_messages: true });
    seq_of(removed.await);
    assert_eq!(expect_close(&mut mo.socket).await, Some(chat_protocol::close_code::REMOVED));
    let mut again = again;
    assert_eq!(expect_close(&mut again.socket).await, Some(chat_protocol::close_code::REMOVED));
    let token = token_for("mo", Role::Participant);
    for node in &cluster.nodes {
        assert_eq!(refused_at(&node.ws_url(), &token).await, Some(chat_protocol::close_code::REMOVED));
    }
    let gone = loop {
        if let Event::ParticipantRemoved { messages_deleted, .. } = ivy.next_event().await.event {
            break messages_deleted;
        }
    };
    assert!(gone, "ivy is told, since mo's messages went for everyone");
    let history = ivy.all_history().await;
    assert!(history
        .iter()
        .filter(|m| m.sender.id.as_str() == "mo")
        .all(|m| m.content == chat_protocol::Content::Deleted));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_on_one_node_is_voted_on_once_from_any_node_and_counted_on_every_node() {
    let cluster = TestCluster::start(2).await;
    let url = |i: usize| cluster.nodes[i].ws_url();
    let mut host = Client::connect_url(&url(0), &token_for("host", Role::Host), None).await;
    let mut ann = Client::connect_url(&url(1), &token_for("ann", Role::Participant), None).await;
    let mut ann_here = Client::connect_url(&url(0), &token_for("ann", Role::Participant), None).await;
    let mut bo = Client::connect_url(&url(1), &token_for("bo", Role::Participant), None).await;
    let created = host.request(|req_id| ClientFrame::CreatePoll {
        req_id,
        question: "Lunch?".into(),
        options: vec!["Noodles".into(), "Salad".into()],
        anonymous: false,
        hide_votes: false,
        multiple: false,
    });
    seq_of(created.await);
    let poll = loop {
        if let Event::PollCreated { poll } = bo.next_event().await.event {
            break poll;
        }
    };
    let vote = |option: u32| {
        let poll_id = poll.id.clone();
        move |req_id| ClientFrame::Vote { req_id, poll_id, options: vec![option] }
    };
    seq_of(ann.request(vote(0)).await);
    // The same person on the other node: one ballot per person, whichever node takes it.
    assert_eq!(ann_here.request(vote(1)).await.error().code, ErrorCode::AlreadyVoted);
    seq_of(bo.request(vote(1)).await);
    for client in [&mut host, &mut bo] {
        let mut tally = client.next_tally().await;
        while tally.options.iter().map(|o| o.count).sum::<u32>() < 2 {
            tally = client.next_tally().await;
        }
        assert_eq!(tally.options.iter().map(|o| o.count).collect::<Vec<_>>(), [1, 1], "{}", client.me.id);
    }
    let closed = host.request(|req_id| ClientFrame::ClosePoll { req_id, poll_id: poll.id.clone() });
    seq_of(closed.await);
    while !matches!(bo.next_event().await.event, Event::PollClosed { .. }) {}
    assert_eq!(bo.request(vote(0)).await.error().code, ErrorCode::PollClosed, "closed on every node");
}

/// Three nodes; a watcher on node 1 sees two participants on node 0 and one on node 2.
async fn two_on_node_0_watched_from_node_1() -> (TestCluster, Client, Vec<Client>) {
    let cluster = TestCluster::start(3).await;
    let mut watcher = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("watcher", Role::Host), None).await;
    let mut others = Vec::new();
    for (i, id) in [(0, "gone-1"), (0, "gone-2"), (2, "stays")] {
        others.push(Client::connect_url(&cluster.nodes[i].ws_url(), &token_for(id, Role::Participant), None).await);
    }
    until_count(&mut watcher, 4).await;
    (cluster, watcher, others)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_nodes_participants_leave_every_list_within_seconds() {
    let (mut cluster, mut watcher, _others) = two_on_node_0_watched_from_node_1().await;
    cluster.kill(0);
    let took = until_count(&mut watcher, 2).await;
    println!("node killed with SIGKILL: its 2 participants left the other nodes' lists after {took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_and_started_again_under_its_own_id_leaves_no_ghosts() {
    let (mut cluster, mut watcher, _others) = two_on_node_0_watched_from_node_1().await;
    // What a process supervisor does: kill -9, then start the same node again at once.
    let killed = Instant::now();
    cluster.restart(0).await;
    let restarted_after = killed.elapsed();
    let mut back = Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("back", Role::Participant), None).await;
    // The old life's two are gone, `back` came: watcher, stays and back.
    until_count(&mut watcher, 3).await;
    let agreed = killed.elapsed();
    until_count(&mut back, 3).await;
    let mut others_view = Vec::new();
    for i in 0..3 {
        let late = Client::connect_url(&cluster.nodes[i].ws_url(), &token_for("late", Role::Participant), None).await;
        others_view.push(match late.welcome {
            chat_protocol::ServerFrame::Welcome { participant_count, .. } => participant_count,
            ref other => panic!("expected a welcome, got {other:?}"),
        });
    }
    println!(
        "node killed with SIGKILL and started again under its own id after {restarted_after:?}: the other nodes \
         listed no ghost {agreed:?} after the kill; a newcomer on each node counted {others_view:?} (0 ghosts)"
    );
    assert_eq!(others_view, [4, 4, 4], "watcher, stays, back and the newcomer: no ghost on any node");
    // The others would forget a silent node after 5 s; a node that beats must clear its old life itself.
    assert!(agreed < Duration::from_secs(5), "{agreed:?}");
}

/// The slowest of five messages from `from` to reach `to`, each awaited.
async fn slowest_of(from: &mut Client, to: &mut Client, tag: &str) -> Duration {
    let mut slowest = Duration::ZERO;
    for n in 0..5 {
        let sent = Instant::now();
        let seq = seq_of(from.send_text(&format!("{tag}{n}"), tag).await);
        while to.next_event().await.seq < seq {}
        slowest = slowest.max(sent.elapsed());
    }
    slowest
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draining_node_keeps_delivering_to_its_sockets_and_sends_newcomers_elsewhere() {
    let mut cluster = TestCluster::start_logged(2, &["--drain-delay-ms", "5000"]).await;
    let mut ada = Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("ada", Role::Host), None).await;
    let mut bob = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("bob", Role::Participant), None).await;
    until_count(&mut ada, 2).await;
    let before = slowest_of(&mut ada, &mut bob, "before").await;
    cluster.terminate(1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let during = slowest_of(&mut ada, &mut bob, "draining").await;
    // The draining node takes no new socket; through the front, newcomers land on the other.
    match tokio_tungstenite::connect_async(cluster.nodes[1].ws_url()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 503),
        other => panic!("a draining node must refuse a new socket with 503, got {:?}", other.map(|_| ())),
    }
    for n in 0..4 {
        let token = token_for(&format!("newcomer-{n}"), Role::Participant);
        let mut newcomer = Client::connect_url(&cluster.front.ws_url(), &token, None).await;
        let seq = seq_of(newcomer.send_text(&format!("n{n}"), "hello").await);
        while bob.next_event().await.seq < seq {}
    }
    // Messages keep coming from the other node while the draining one closes its sockets.
    let sending = tokio::spawn(async move {
        for n in 0..200 {
            ada.send_text(&format!("late{n}"), "late").await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    cluster.wait_exit(1);
    sending.abort();
    let log = cluster.log(1);
    let slow = log.lines().filter(|line| line.contains("slow consumer")).count();
    println!(
        "draining node (5 s drain): slowest of 5 messages from the other node to its client {before:?} before \
         SIGTERM, {during:?} during the drain; 4 newcomers through the front landed on the other node; {slow} \
         sockets closing at the stop taken for slow consumers"
    );
    assert_eq!(slow, 0, "a socket closing at a stop is no slow consumer:\n{log}");
    // The bus delivers in milliseconds, the database poll within a second.
    assert!(during < Duration::from_secs(1), "{during:?}");
}

/// A client that keeps sends in flight and, whenever its socket dies,
/// reconnects through the front and sends again whatever was not
/// acknowledged, with the same client ids (as the widget's outbox does).
struct Resender {
    token: String,
    socket: Socket,
    next_req: u64,
    /// Message number of each send awaiting its answer, by request id.
    in_flight: std::collections::HashMap<u64, usize>,
    reconnects: usize,
}

/// What became of a send.
#[derive(Debug)]
enum Outcome {
    Acked(usize, Seq),
    /// Refused with a retryable error: to be sent again.
    Refused(usize),
    /// The socket died: everything in flight is to be sent again.
    Lost,
}

impl Resender {
    async fn connect(url: &str, token: &str) -> Socket {
        let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
        socket.send(WsMessage::Text(auth_frame(token, None).into())).await.expect("send auth");
        match next_frame(&mut socket).await {
            Ok(chat_protocol::ServerFrame::Welcome { .. }) => socket,
            other => panic!("expected a welcome, got {other:?}"),
        }
    }

    async fn send(&mut self, n: usize) -> bool {
        let req_id = self.next_req;
        self.next_req += 1;
        let frame = send_frame(req_id, &format!("m{n}"), NewContent::Text { text: format!("message {n}") }, Vec::new());
        self.in_flight.insert(req_id, n);
        let text = serde_json::to_string(&frame).expect("serialize");
        self.socket.send(WsMessage::Text(text.into())).await.is_ok()
    }

    /// The next answer to a send.
    async fn answer(&mut self) -> Outcome {
        loop {
            let frame = match tokio::time::timeout(Duration::from_secs(5), self.socket.next()).await {
                Ok(Some(Ok(WsMessage::Text(text)))) => serde_json::from_str(&text).expect("a server frame"),
                Ok(Some(Ok(_))) => continue,
                _ => return Outcome::Lost,
            };
            match frame {
                chat_protocol::ServerFrame::Ack { req_id, result: AckResult::Sent { seq, .. } } => {
                    let n = self.in_flight.remove(&req_id).expect("an answer to a send in flight");
                    return Outcome::Acked(n, seq);
                }
                chat_protocol::ServerFrame::Error(error) => {
                    assert!(error.code.is_retryable(), "{error:?}");
                    let req_id = error.req_id.expect("an answer to a request");
                    return Outcome::Refused(self.in_flight.remove(&req_id).expect("a send in flight"));
                }
                _ => continue,
            }
        }
    }
}

/// Reads a meeting's events from `url` until `last`, reconnecting through
/// `front` with `lastSeq` whenever the socket dies; returns the seqs read.
async fn read_resuming(mut socket: Socket, front: &str, token: &str, last: Seq) -> (Vec<Seq>, usize) {
    let mut seqs: Vec<Seq> = Vec::new();
    let mut resumes = 0;
    while seqs.last().is_none_or(|s| *s < last) {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(WsMessage::Text(text)))) => {
                if let chat_protocol::ServerFrame::Event(envelope) = serde_json::from_str(&text).expect("a frame") {
                    seqs.push(envelope.seq);
                }
            }
            Ok(Some(Ok(_))) => {}
            _ => {
                resumes += 1;
                assert!(resumes < 10, "could not resume");
                let (mut again, _) = tokio_tungstenite::connect_async(front).await.expect("the front answers");
                let auth = auth_frame(token, seqs.last().copied());
                again.send(WsMessage::Text(auth.into())).await.expect("send auth");
                socket = again;
            }
        }
    }
    (seqs, resumes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_stopped_gracefully_takes_its_participants_off_every_list_at_once() {
    let mut cluster = TestCluster::start(2).await;
    let mut watcher = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("watcher", Role::Host), None).await;
    let _leaving =
        Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("leaving", Role::Participant), None).await;
    until_count(&mut watcher, 2).await;
    let signalled = Instant::now();
    cluster.stop(0);
    until_count(&mut watcher, 1).await;
    let took = signalled.elapsed();
    println!("node stopped with SIGTERM: its participant left the other node's list {took:?} after the signal");
    // A node that died is forgotten after 5 s without a heartbeat; one that stops says so.
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_under_load_loses_no_acknowledged_message() {
    let mut cluster = TestCluster::start(3).await;
    let front = cluster.front.ws_url();
    let (sender_token, victim_token, other_token) = (
        token_for("sender", Role::Participant),
        token_for("reader-on-victim", Role::Participant),
        token_for("reader-elsewhere", Role::Participant),
    );
    let (victim_socket, _) = tokio_tungstenite::connect_async(cluster.nodes[0].ws_url()).await.expect("connects");
    let mut victim_socket = victim_socket;
    victim_socket.send(WsMessage::Text(auth_frame(&victim_token, None).into())).await.expect("auth");
    let (mut other_socket, _) = tokio_tungstenite::connect_async(cluster.nodes[1].ws_url()).await.expect("connects");
    other_socket.send(WsMessage::Text(auth_frame(&other_token, None).into())).await.expect("auth");

    // Below the 180 messages a minute one participant may send.
    const COUNT: usize = 170;
    const WINDOW: usize = 16;
    const KILL_AT: usize = 80;
    let mut sender = Resender {
        socket: Resender::connect(&cluster.nodes[0].ws_url(), &sender_token).await,
        token: sender_token,
        next_req: 1,
        in_flight: Default::default(),
        reconnects: 0,
    };
    let mut acked = std::collections::BTreeMap::new();
    let mut unsent: std::collections::VecDeque<usize> = (0..COUNT).collect();
    let mut killed = false;
    let mut refused = 0;
    while acked.len() < COUNT {
        while sender.in_flight.len() < WINDOW {
            let Some(n) = unsent.pop_front() else { break };
            if n == KILL_AT && !killed {
                // Sends are in flight on the node as it dies.
                cluster.kill(0);
                killed = true;
            }
            sender.send(n).await;
        }
        match sender.answer().await {
            Outcome::Acked(n, seq) => {
                assert!(acked.insert(n, seq).is_none_or(|first| first == seq), "message {n} acknowledged twice");
            }
            Outcome::Refused(n) => {
                refused += 1;
                unsent.push_front(n);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Outcome::Lost => {
                sender.socket = Resender::connect(&front, &sender.token).await;
                sender.reconnects += 1;
                let mut again: Vec<usize> = sender.in_flight.drain().map(|(_, n)| n).collect();
                again.sort_unstable();
                for n in again.into_iter().rev() {
                    unsent.push_front(n);
                }
            }
        }
    }
    let last = *acked.values().max().expect("acknowledged");

    let (victim_seqs, victim_resumes) = read_resuming(victim_socket, &front, &victim_token, last).await;
    let (other_seqs, _) = read_resuming(other_socket, &front, &other_token, last).await;
    let mut reader = Client::connect_url(&front, &token_for("auditor", Role::Host), None).await;
    let history = reader.all_history().await;
    let stored: Vec<String> = history.iter().map(|m| m.client_id.as_str().to_owned()).collect();
    let unique: std::collections::HashSet<&String> = stored.iter().collect();
    let lost = (0..COUNT).filter(|n| !unique.contains(&format!("m{n}"))).count();
    let duplicates = stored.len() - unique.len();
    let gaps = |seqs: &[Seq]| seqs.windows(2).filter(|w| w[1] != w[0] + 1).count() + usize::from(seqs[0] != 1);
    let twice = |seqs: &[Seq]| seqs.len() - seqs.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "kill -9 of 1 of 3 nodes at message {KILL_AT} of {COUNT} ({WINDOW} in flight): {} acknowledged, {lost} lost, \
         {duplicates} stored twice; the sender reconnected {}x through nginx ({refused} sends refused, retried); the reader on the killed node resumed \
         {victim_resumes}x: {} gaps, {} duplicates; the reader on another node: {} gaps, {} duplicates",
        acked.len(),
        sender.reconnects,
        gaps(&victim_seqs),
        twice(&victim_seqs),
        gaps(&other_seqs),
        twice(&other_seqs),
    );
    assert_eq!((lost, duplicates), (0, 0));
    assert_eq!(history.len(), COUNT);
    for seqs in [&victim_seqs, &other_seqs] {
        assert_eq!(*seqs, (1..=last).collect::<Vec<_>>());
    }
    assert!(victim_resumes >= 1 && sender.reconnects >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_goes_on_while_redis_restarts() {
    let cluster = TestCluster::start(2).await;
    let mut ada = Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("ada", Role::Host), None).await;
    let mut bob = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("bob", Role::Participant), None).await;
    until_count(&mut ada, 2).await;
    let before = slowest_of(&mut ada, &mut bob, "up").await;
    cluster.redis.kill();
    let down = slowest_of(&mut ada, &mut bob, "down").await;
    cluster.redis.restart();
    let _cy = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("cy", Role::Participant), None).await;
    let presence_back = until_count(&mut ada, 3).await;
    let after = slowest_of(&mut ada, &mut bob, "back").await;
    println!(
        "Redis: slowest of 5 messages to the other node {before:?} with it up, {down:?} while it was down (found by \
         the 1 s poll), {after:?} after its restart; a join on the other node was listed {presence_back:?} after it"
    );
    assert!(down < Duration::from_secs(3), "{down:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_fail_retryably_while_postgres_restarts_and_no_acknowledged_one_is_lost() {
    let postgres = support::postgres::Postgres::start();
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.database_url = Some(postgres.fresh_database());
    let server = TestServer::start_with(config).await;
    let mut ada = Client::connect(&server, "ada", Role::Host).await;
    seq_of(ada.send_text("before", "before the restart").await);
    postgres.kill();
    let refused = ada.send_text("during", "while it is down").await.error();
    assert_eq!(refused.code, ErrorCode::Internal, "{refused:?}");
    assert!(refused.code.is_retryable());
    postgres.restart();
    let restarted = Instant::now();
    let mut refusals = 1;
    // As the widget's outbox does: the same client id again until it is taken.
    loop {
        match ada.send_text("during", "while it is down").await {
            Answer::Ack(_) => break,
            Answer::Error(error) => {
                assert_eq!(error.code, ErrorCode::Internal, "{error:?}");
                refusals += 1;
                assert!(restarted.elapsed() < Duration::from_secs(20), "not accepted 20 s after the restart");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    let back = restarted.elapsed();
    let history = ada.all_history().await;
    let ids: Vec<&str> = history.iter().map(|m| m.client_id.as_str()).collect();
    println!(
        "PostgreSQL killed and restarted under a running server: {refusals} send(s) refused with the retryable \
         `internal`, accepted again {back:?} after the restart, no server restart; stored: {ids:?}"
    );
    assert_eq!(ids, ["before", "during"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_people_leaving_two_nodes_at_once_bring_one_chat_synced() {
    let (url, seen) = collecting_receiver().await;
    let secret = "webhook-secret-for-tests";
    let args = ["--webhook-url", &url, "--webhook-secret", secret, "--chat-synced-grace-secs", "1"];
    let cluster = TestCluster::start_with(2, &args).await;
    let mut ada = Client::connect_url(&cluster.nodes[0].ws_url(), &token_for("ada", Role::Host), None).await;
    let mut bob = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("bob", Role::Participant), None).await;
    until_count(&mut ada, 2).await;
    until_count(&mut bob, 2).await;
    seq_of(ada.send_text("last", "see you").await);
    // Each node still sees the other's person when its own leaves.
    drop((ada, bob));
    let deadline = Instant::now() + Duration::from_secs(15);
    while of_type(&seen, "meeting.chatSynced").is_empty() {
        assert!(Instant::now() < deadline, "no meeting.chatSynced within 15 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both nodes' grace periods (1 s) are over well before this.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(of_type(&seen, "meeting.chatSynced").len(), 1, "told once, by one node");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_meetings_typing_crowd_counts_typists_on_every_node() {
    let cluster = TestCluster::start_with(2, &["--presence-list-limit", "2"]).await;
    let mut watcher = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("watcher", Role::Host), None).await;
    let mut typists = Vec::new();
    for (i, id) in [(0, "ada"), (0, "bob"), (1, "cy")] {
        typists.push(Client::connect_url(&cluster.nodes[i].ws_url(), &token_for(id, Role::Participant), None).await);
    }
    until_count(&mut watcher, 4).await;
    for typist in &mut typists {
        typist.typing(&[]).await;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut crowd = watcher.next_typing_crowd().await;
    while crowd.count < 3 && Instant::now() < deadline {
        crowd = watcher.next_typing_crowd().await;
    }
    let mut named: Vec<&str> = crowd.named.iter().map(|t| t.participant_id.as_str()).collect();
    named.sort_unstable();
    assert_eq!((named, crowd.count), (vec!["ada", "bob", "cy"], 3), "node 0's typists counted on node 1");
    assert!(watcher.typing_so_far().await.is_empty(), "no notice per typist in a large meeting");

    // Ada's message (stored on node 0) ends her typing on node 1 too, before the others fade.
    typists[0].send_text("c-ada", "my question").await.ack();
    while crowd.count == 3 {
        crowd = watcher.next_typing_crowd().await;
    }
    assert_eq!(crowd.count, 2, "{crowd:?}");
    assert!(crowd.named.iter().all(|t| t.participant_id.as_str() != "ada"));
}
