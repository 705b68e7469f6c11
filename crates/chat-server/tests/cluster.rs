//! Three nodes (the real binary) on one PostgreSQL database and one Redis,
//! behind nginx: participants on different nodes chat as in one meeting,
//! limits and presence hold across nodes, and the faults (a node killed, Redis
//! restarted) lose nothing. Each fault test prints its counts.

mod support;

use std::time::{Duration, Instant};

use chat_protocol::{AckResult, ClientFrame, DeleteScope, ErrorCode, Event, NewContent, Role, Seq};
use support::cluster::TestCluster;
use support::*;

/// Reads presence frames until `client` sees `count` participants.
async fn until_count(client: &mut Client, count: u32) -> Duration {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(20);
    let mut seen = match &client.welcome {
        chat_protocol::ServerFrame::Welcome { participant_count, .. } => *participant_count,
        _ => 0,
    };
    while seen != count {
        assert!(Instant::now() < deadline, "{} saw {seen} participants, not {count}, within 20 s", client.me.id);
        seen = client.next_presence().await.count;
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
    let all = vec![hello, image_seq, image_seq + 1, edited, pinned, secret, deleted];
    assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
    let public: Vec<Seq> = all.iter().copied().filter(|s| *s != secret).collect();

    assert_eq!(seqs_until(&mut ada, deleted).await, public, "ada (node 0)");
    assert_eq!(seqs_until(&mut bob, deleted).await, public, "bob (node 1)");
    assert_eq!(seqs_until(&mut cy, deleted).await, all, "cy (node 2)");
    assert_eq!(seqs_until(&mut dee, deleted).await, all, "dee (the front)");
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
async fn a_killed_nodes_participants_leave_every_list_within_seconds() {
    let mut cluster = TestCluster::start(3).await;
    let mut watcher = Client::connect_url(&cluster.nodes[1].ws_url(), &token_for("watcher", Role::Host), None).await;
    let mut others = Vec::new();
    for (i, id) in [(0, "gone-1"), (0, "gone-2"), (2, "stays")] {
        others.push(Client::connect_url(&cluster.nodes[i].ws_url(), &token_for(id, Role::Participant), None).await);
    }
    until_count(&mut watcher, 4).await;
    cluster.kill(0);
    let took = until_count(&mut watcher, 2).await;
    println!("node killed with SIGKILL: its 2 participants left the other nodes' lists after {took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}
