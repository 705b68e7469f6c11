//! The bot SDK against the real server, through a TCP relay on 127.0.0.1
//! that the test cuts: a ping gets its pong, one sent while the bot is cut
//! off gets its pong once the bot is back, and no pong is ever stored twice;
//! what the bot says while cut off waits in its outbox; private stays
//! private; a service answers as its puppet; refusals are typed.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_bot::{Bot, BotError, ChatService, MessageOptions, Recipient, SendError};
use chat_protocol::{Message, NewContent, ParticipantId, Puppet, Role};
use support::*;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Forwards connections to the server until cut; while down it refuses.
struct Relay {
    addr: SocketAddr,
    down: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(to: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let addr = listener.local_addr().expect("relay addr");
        let down = Arc::new(AtomicBool::new(false));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (is_down, all) = (Arc::clone(&down), Arc::clone(&links));
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if is_down.load(Ordering::SeqCst) {
                    continue;
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(to).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                all.lock().expect("links").push(link);
            }
        });
        Self { addr, down, links }
    }

    fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

/// Starts a bot named `id` whose handler answers "ping" with "pong".
fn ping_pong(url: String, id: &str, role: Role) -> (ChatService, CancellationToken, JoinHandle<Result<(), BotError>>) {
    let bot = Bot::new(url, token_for(id, role));
    let chat = bot.chat();
    chat.on_message(|msg| {
        if msg.body() == Some("ping") {
            msg.respond("pong");
        }
    });
    let shutdown = CancellationToken::new();
    let running = tokio::spawn(bot.run(shutdown.clone()));
    (chat, shutdown, running)
}

#[tokio::test]
async fn a_ping_is_answered_exactly_once_across_a_dropped_connection() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let relay = Relay::start(server.addr).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;
    let (chat, shutdown, running) = ping_pong(format!("ws://{}/ws", relay.addr), "pinger", Role::Bot);
    wait_presence(&mut alice, true).await;

    alice.send_text("p1", "ping").await.ack();
    let ping = created_message(&alice.next_event().await).id.clone();
    let pong = created_message(&alice.next_event().await).clone();
    assert_eq!((text_of(&pong), pong.reply_to.as_ref(), pong.sender.bot), ("pong", Some(&ping), true));

    relay.cut();
    wait_presence(&mut alice, false).await;
    alice.send_text("p2", "ping").await.ack();
    let missed = created_message(&alice.next_event().await).id.clone();
    // What the bot says while cut off waits in its outbox.
    let said = tokio::spawn({
        let chat = chat.clone();
        async move { chat.message(Recipient::Everyone, "back soon", MessageOptions::default()).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    relay.restore();
    wait_presence(&mut alice, true).await;
    let mut after: Vec<Message> = Vec::new();
    for _ in 0..2 {
        after.push(created_message(&alice.next_event().await).clone());
    }
    let pong = after.iter().find(|m| text_of(m) == "pong").expect("the missed ping's pong");
    assert_eq!(pong.reply_to.as_ref(), Some(&missed), "the ping sent while cut off");
    let back = after.iter().find(|m| text_of(m) == "back soon").expect("the outbox's message");
    assert_eq!(said.await.expect("send task"), Ok(back.id.clone()), "message() resolves with the stored id");

    // Cut again the moment the pong is seen, before the bot may have its ack:
    // it sends the answer again on its return, and the server stores it once.
    alice.send_text("p3", "ping").await.ack();
    alice.next_event().await;
    alice.next_event().await;
    relay.cut();
    wait_presence(&mut alice, false).await;
    relay.restore();
    wait_presence(&mut alice, true).await;
    alice.assert_no_event().await;
    let history = alice.all_history().await;
    assert_eq!(history.iter().filter(|m| text_of(m) == "pong").count(), 3, "each ping answered exactly once");
    assert_eq!(history.iter().filter(|m| text_of(m) == "back soon").count(), 1);

    shutdown.cancel();
    running.await.expect("bot task").expect("a clean stop");
    server.stop().await;
}

#[tokio::test]
async fn a_private_ping_is_answered_privately() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;
    let mut carol = Client::connect(&server, "carol", Role::Participant).await;
    let (_chat, shutdown, running) = ping_pong(server.ws_url(), "pinger", Role::Bot);
    wait_presence(&mut alice, true).await;

    alice.send("p1", NewContent::Text { text: "ping".into() }, vec!["pinger"]).await.ack();
    created_message(&alice.next_event().await);
    let pong = created_message(&alice.next_event().await).clone();
    assert_eq!((text_of(&pong), pong.targets.as_slice()), ("pong", ["alice".into()].as_slice()));
    carol.assert_no_event().await;

    shutdown.cancel();
    running.await.expect("bot task").expect("a clean stop");
    server.stop().await;
}

#[tokio::test]
async fn a_service_answers_as_its_puppet_to_the_asker_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;
    let mut carol = Client::connect(&server, "carol", Role::Participant).await;
    let bot = Bot::new(server.ws_url(), token_for("cats", Role::Service));
    let cat = Puppet { id: "meow".into(), display_name: "Meow".into() };
    bot.chat().on_message(move |msg| {
        if msg.body().is_some_and(|text| text.contains("cat")) {
            let asker = msg.sender.id.clone();
            msg.send(asker.into(), "Meow", MessageOptions::as_puppet(cat.clone()));
        }
    });
    let chat = bot.chat();
    let shutdown = CancellationToken::new();
    let running = tokio::spawn(bot.run(shutdown.clone()));
    // A service is hidden from presence: its first stored message shows it has joined.
    chat.message(Recipient::from(ParticipantId::from("alice")), "hello", MessageOptions::default())
        .await
        .expect("the service's own message");
    created_message(&alice.next_event().await);

    carol.send_text("c1", "I like my cat").await.ack();
    created_message(&alice.next_event().await);
    created_message(&carol.next_event().await);
    let meow = created_message(&carol.next_event().await).clone();
    assert_eq!((text_of(&meow), meow.sender.id.as_str(), meow.sender.bot), ("Meow", "meow", true));
    assert_eq!(meow.targets, [ParticipantId::from("carol")]);
    alice.assert_no_event().await;

    let refused = chat.message(Recipient::Everyone, "", MessageOptions::default()).await;
    assert!(matches!(&refused, Err(SendError::Refused { code, .. }) if code == "invalid_request"), "{refused:?}");

    shutdown.cancel();
    running.await.expect("bot task").expect("a clean stop");
    server.stop().await;
}

#[tokio::test]
async fn a_refused_token_stops_the_bot_with_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let bot = Bot::new(server.ws_url(), "not-a-token");
    let pending = bot.chat();
    let ended = tokio::time::timeout(Duration::from_secs(10), bot.run(CancellationToken::new())).await;
    assert!(matches!(ended, Ok(Err(BotError::Refused(_)))), "{ended:?}");
    let late = pending.message(Recipient::Everyone, "anyone?", MessageOptions::default()).await;
    assert_eq!(late, Err(SendError::Stopped));
    server.stop().await;
}

/// Waits until the bot `pinger` has joined (or left) as alice sees it;
/// events that come first are kept for `next_event`.
async fn wait_presence(alice: &mut Client, joined: bool) {
    loop {
        let delta = alice.next_presence().await;
        let named = if joined {
            delta.joined.iter().any(|p| p.id.0 == "pinger")
        } else {
            delta.left.iter().any(|id| id.0 == "pinger")
        };
        if named {
            return;
        }
    }
}
