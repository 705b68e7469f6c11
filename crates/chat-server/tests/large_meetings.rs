//! Large meetings over real sockets: presence coalesced into few frames, a
//! large meeting's welcome and presence carrying counts instead of lists,
//! participants paged and searched by name, presence that never makes a
//! connection a slow consumer, every client's view of who is here matching
//! the server's after a storm of joins and leaves, and webinar controls.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use chat_core::{ChatState, Input};
use chat_protocol::{
    AckResult, ClientFrame, ErrorCode, Event, MeetingId, Participant, ParticipantId, PresenceDelta, Role, SendPolicy,
    ServerFrame,
};
use chat_server::auth::TokenKeys;
use futures_util::SinkExt;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

fn token_named(id: &str, name: &str, role: Role) -> String {
    let who = Participant { id: ParticipantId::from(id), display_name: name.to_owned(), role };
    TokenKeys::new(SECRET).mint(&who, &MeetingId::from(MEETING), 3600).expect("mint")
}

async fn connect_named(server: &TestServer, id: &str, name: &str, role: Role) -> Client {
    Client::connect_token(server, &token_named(id, name, role), None).await
}

fn ids(participants: &[Participant]) -> Vec<&str> {
    participants.iter().map(|p| p.id.as_str()).collect()
}

/// Every participant connected now, paged through with `limit`, in page order.
async fn all_pages(client: &mut Client, query: Option<&str>, limit: u32) -> (Vec<Participant>, u32) {
    let (mut all, mut after) = (Vec::new(), None);
    loop {
        let query = query.map(str::to_owned);
        let page = client.request(|req_id| ClientFrame::Participants { req_id, query, after, limit }).await.ack();
        let AckResult::Participants { participants, next, count: now } = page else { panic!("{page:?}") };
        assert!(participants.len() <= limit as usize);
        all.extend(participants);
        match next {
            Some(next) => after = Some(next),
            None => return (all, now),
        }
    }
}

#[tokio::test]
async fn a_burst_of_joins_reaches_others_as_a_few_presence_frames() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.presence_interval = Duration::from_millis(300);
    let server = TestServer::start_with(config).await;
    let mut watcher = Client::connect(&server, "watcher", Role::Host).await;
    let mut crowd = Vec::new();
    for i in 0..30 {
        crowd.push(Client::connect(&server, &format!("p{i:02}"), Role::Participant).await);
    }
    let mut seen = BTreeSet::new();
    let mut frames = 0;
    while seen.len() < 30 {
        let delta = watcher.next_presence().await;
        frames += 1;
        seen.extend(delta.joined.iter().map(|p| p.id.0.clone()).filter(|id| id != "watcher"));
    }
    // 30 joins, told as one frame per 300 ms: never one frame each.
    assert!(frames <= 6, "{frames} presence frames for 30 joins");
    drop(crowd);
    let mut left = BTreeSet::new();
    let mut last = PresenceDelta::default();
    while left.len() < 30 {
        last = watcher.next_presence().await;
        left.extend(last.left.iter().map(|id| id.0.clone()));
    }
    assert_eq!(last.count, 1);
    server.stop().await;
}

#[tokio::test]
async fn a_large_meetings_welcome_and_presence_carry_counts_hosts_and_a_first_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.presence_list_limit = 10;
    let server = TestServer::start_with(config).await;
    let mut crowd = Vec::new();
    for i in 0..60 {
        crowd.push(connect_named(&server, &format!("p{i:02}"), &format!("Guest {i:02}"), Role::Participant).await);
    }
    let host = connect_named(&server, "zz-host", "Zoe Host", Role::Host).await;
    let mut late = connect_named(&server, "late", "Late Larry", Role::Participant).await;
    let ServerFrame::Welcome { participant_count, participants, .. } = &late.welcome else { panic!() };
    assert_eq!(*participant_count, 62);
    assert!(participants.len() < 62, "not the whole list: {}", participants.len());
    let shown = ids(participants);
    assert!(shown.contains(&"zz-host") && shown.contains(&"late"), "hosts and oneself: {shown:?}");
    assert!(shown.contains(&"p00"), "the first page by name: {shown:?}");

    // A participant's join is only counted; a host's is named.
    let _more = connect_named(&server, "p99", "Guest 99", Role::Participant).await;
    let delta = late.next_presence().await;
    assert!(delta.joined.iter().all(|p| p.role == Role::Host), "{delta:?}");
    let cohost = connect_named(&server, "cohost", "Cora Host", Role::Host).await;
    let mut named = false;
    while !named {
        let delta = late.next_presence().await;
        assert!(delta.joined.iter().all(|p| p.role == Role::Host));
        named = delta.joined.iter().any(|p| p.id.as_str() == "cohost");
        if named {
            assert_eq!(delta.count, 64);
        }
    }
    drop((host, cohost));
    server.stop().await;
}

#[tokio::test]
async fn participants_are_paged_by_name_and_searched() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let names = ["bob", "Ada", "ada", "Éva", "Bobby", "carol", "Dave", "bo", "Anna", "zed", "Ob", "rob"];
    let mut here = Vec::new();
    for (i, name) in names.iter().enumerate() {
        here.push(connect_named(&server, &format!("u{i:02}"), name, Role::Participant).await);
    }
    let mut asker = connect_named(&server, "asker", "Asker", Role::Participant).await;
    let (all, count) = all_pages(&mut asker, None, 5).await;
    assert_eq!(count, 13);
    let mut expected: Vec<(String, String)> =
        all.iter().map(|p| (p.display_name.to_lowercase(), p.id.0.clone())).collect();
    let in_order = expected.clone();
    expected.sort();
    assert_eq!(in_order, expected, "pages come by name, case-insensitively, then id");
    assert_eq!(all.iter().map(|p| p.id.0.clone()).collect::<BTreeSet<_>>().len(), 13, "each once");

    let (found, _) = all_pages(&mut asker, Some("OB"), 2).await;
    let mut found: Vec<&str> = found.iter().map(|p| p.display_name.as_str()).collect();
    found.sort_unstable();
    assert_eq!(found, ["Bobby", "Ob", "bob", "rob"]);
    let (none, _) = all_pages(&mut asker, Some("nobody"), 10).await;
    assert!(none.is_empty());

    for limit in [0, 501] {
        let refused =
            asker.request(|req_id| ClientFrame::Participants { req_id, query: None, after: None, limit }).await.error();
        assert_eq!(refused.code, ErrorCode::InvalidRequest);
    }
    let long = Some("x".repeat(65));
    let refused =
        asker.request(|req_id| ClientFrame::Participants { req_id, query: long, after: None, limit: 10 }).await.error();
    assert_eq!(refused.code, ErrorCode::InvalidRequest);
    let garbage = Some("not a cursor".to_owned());
    let page = asker
        .request(|req_id| ClientFrame::Participants { req_id, query: None, after: garbage, limit: 10 })
        .await
        .ack();
    assert!(matches!(page, AckResult::Participants { ref participants, .. } if participants.len() == 10), "{page:?}");
    server.stop().await;
}

#[tokio::test]
async fn presence_never_makes_a_reader_that_stalls_a_slow_consumer() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.send_queue_frames = 4;
    config.presence_interval = Duration::from_millis(20);
    let server = TestServer::start_with(config).await;
    let mut stalled = raw_socket_small_buffer(&server).await;
    let token = token_for("stalled", Role::Participant);
    stalled.send(WsMessage::Text(auth_frame(&token, None).into())).await.unwrap();
    let Ok(ServerFrame::Welcome { .. }) = next_frame(&mut stalled).await else { panic!("welcome expected") };

    // Long names make each presence frame large: some 10 MB in all, more than
    // the kernel's socket buffers take, so the stalled reader's writer blocks
    // with many more flushes behind it than its queue of 4 holds.
    let name = "N".repeat(16_000);
    for round in 0..60 {
        let batch: Vec<Client> = futures_util::future::join_all((0..10).map(|i| {
            let (server, name, id) = (&server, &name, format!("r{round}-{i}"));
            async move { connect_named(server, &id, name, Role::Participant).await }
        }))
        .await;
        tokio::time::sleep(Duration::from_millis(25)).await;
        drop(batch);
    }
    let mut last = None;
    let mut host = Client::connect(&server, "host", Role::Host).await;
    host.send_text("c1", "still open?").await.ack();
    loop {
        match next_frame(&mut stalled).await {
            Ok(ServerFrame::Presence(delta)) => last = Some(delta),
            Ok(ServerFrame::Event(envelope)) if matches!(envelope.event, Event::MessageCreated { .. }) => break,
            Ok(_) => {}
            Err(code) => panic!("the stalled reader was closed with {code:?}"),
        }
    }
    assert!(last.is_some(), "presence arrived");
    server.stop().await;
}

/// A client's view of who is here, kept by the client core from real frames.
struct Viewer {
    socket: Socket,
    state: ChatState,
    id: String,
}

impl Viewer {
    async fn join(server: &TestServer, id: &str) -> Self {
        let mut socket = raw_socket(server).await;
        let token = token_named(id, &format!("Name {id}"), Role::Participant);
        socket.send(WsMessage::Text(auth_frame(&token, None).into())).await.expect("auth");
        let mut viewer = Self { socket, state: ChatState::new(), id: id.to_owned() };
        viewer.read_one().await;
        viewer
    }

    async fn read_one(&mut self) {
        let frame = next_frame(&mut self.socket).await.unwrap_or_else(|code| panic!("{} closed: {code:?}", self.id));
        self.state.apply(Input::Frame(frame), 0);
    }

    fn view(&self) -> (BTreeSet<String>, u32) {
        (self.state.participants().iter().map(|p| p.id.0.clone()).collect(), self.state.participant_count())
    }

    /// Reads until the view is `expected`, or fails after a bound.
    async fn settles_on(&mut self, expected: &(BTreeSet<String>, u32)) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while &self.view() != expected {
            assert!(tokio::time::Instant::now() < deadline, "{} sees {:?}, not {expected:?}", self.id, self.view());
            self.read_one().await;
        }
    }
}

#[tokio::test]
async fn after_a_storm_of_joins_and_leaves_every_clients_view_is_the_servers() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let join = |i: usize| {
        let (server, id) = (&server, format!("v{i:02}"));
        async move { Viewer::join(server, &id).await }
    };
    let mut viewers: Vec<Viewer> = futures_util::future::join_all((0..40).map(join)).await;
    // Abrupt disconnects (sockets dropped without a close), polite ones, and
    // newcomers, interleaved.
    let mut abrupt = viewers.split_off(30);
    let polite = viewers.split_off(25);
    for viewer in polite {
        let mut socket = viewer.socket;
        socket.close(None).await.expect("close");
    }
    let newcomers = futures_util::future::join_all((40..50).map(join));
    let (newcomers, ()) = tokio::join!(newcomers, async {
        for viewer in abrupt.drain(..) {
            drop(viewer);
            tokio::task::yield_now().await;
        }
    });
    viewers.extend(newcomers);

    let mut host = Client::connect(&server, "zz-host", Role::Host).await;
    let mut settled = None;
    for _ in 0..50 {
        let (all, count) = all_pages(&mut host, None, 100).await;
        if count == 36 {
            settled = Some((all.iter().map(|p| p.id.0.clone()).collect::<BTreeSet<_>>(), count));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let expected = settled.expect("the server counts 25 + 10 + the host");
    assert!(expected.0.contains("v00") && expected.0.contains("v49") && !expected.0.contains("v35"));
    for viewer in &mut viewers {
        viewer.settles_on(&expected).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn a_webinar_lets_only_hosts_send_and_slow_mode_spaces_messages() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut host = Client::connect(&server, "hana", Role::Host).await;
    let mut guest = Client::connect(&server, "gus", Role::Participant).await;
    let mut bot = Client::connect(&server, "quizbot", Role::Bot).await;

    let refused = guest
        .request(|req_id| ClientFrame::UpdateSettings {
            req_id,
            anyone_can_pin: None,
            who_can_send: Some(SendPolicy::Hosts),
            slow_mode_secs: None,
            read_receipts: None,
            private_chat: None,
        })
        .await
        .error();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let too_slow = host
        .request(|req_id| ClientFrame::UpdateSettings {
            req_id,
            anyone_can_pin: None,
            who_can_send: None,
            slow_mode_secs: Some(3_601),
            read_receipts: None,
            private_chat: None,
        })
        .await
        .error();
    assert_eq!(too_slow.code, ErrorCode::InvalidRequest);

    host.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send: Some(SendPolicy::Hosts),
        slow_mode_secs: None,
        read_receipts: None,
        private_chat: None,
    })
    .await
    .ack();
    let Event::SettingsChanged { settings } = guest.next_event().await.event else { panic!("settings event") };
    assert_eq!((settings.who_can_send, settings.slow_mode_secs), (SendPolicy::Hosts, 0));
    let hushed = guest.send_text("g1", "may I?").await.error();
    assert_eq!(hushed.code, ErrorCode::HostsOnly);
    assert!(!hushed.code.is_retryable());
    host.send_text("h1", "welcome to the webinar").await.ack();
    bot.send_text("b1", "quiz starts soon").await.ack();

    // Everyone may talk again, two seconds apart; the host is not slowed.
    host.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send: Some(SendPolicy::Everyone),
        slow_mode_secs: Some(2),
        read_receipts: None,
        private_chat: None,
    })
    .await
    .ack();
    guest.send_text("g2", "first").await.ack();
    let slowed = guest.send_text("g3", "second").await.error();
    assert_eq!(slowed.code, ErrorCode::SlowMode);
    let wait = slowed.retry_after_ms.expect("a retry hint");
    assert!((1..=2_000).contains(&wait), "{wait}");
    host.send_text("h2", "one").await.ack();
    host.send_text("h3", "two").await.ack();
    tokio::time::sleep(Duration::from_millis(wait + 50)).await;
    guest.send_text("g3", "second").await.ack();

    // The settings are stored: a restart keeps them.
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let again = Client::connect(&server, "gus", Role::Participant).await;
    let ServerFrame::Welcome { settings, .. } = &again.welcome else { panic!() };
    assert_eq!((settings.who_can_send, settings.slow_mode_secs), (SendPolicy::Everyone, 2));
    server.stop().await;
}
