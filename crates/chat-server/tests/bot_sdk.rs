//! The bot SDK against the real server, through a TCP relay on 127.0.0.1
//! that the test cuts: a ping gets its pong, one sent while the bot is cut
//! off gets its pong once the bot is back, and no pong is ever stored twice.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_bot::Bot;
use chat_protocol::Role;
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

fn pongs(history: &[chat_protocol::Message]) -> usize {
    history.iter().filter(|m| text_of(m) == "pong").count()
}

#[tokio::test]
async fn a_ping_is_answered_exactly_once_across_a_dropped_connection() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let relay = Relay::start(server.addr).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;

    let bot = Bot::new(format!("ws://{}/ws", relay.addr), token_for("pinger", Role::Bot));
    let shutdown = CancellationToken::new();
    let running = tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            bot.run(
                |incoming| {
                    if incoming.text() == Some("ping") {
                        incoming.respond("pong");
                    }
                },
                shutdown,
            )
            .await
        }
    });
    wait_presence(&mut alice, true).await;

    alice.send_text("p1", "ping").await.ack();
    let ping = created_message(&alice.next_event().await).id.clone();
    let pong = created_message(&alice.next_event().await).clone();
    assert_eq!((text_of(&pong), pong.reply_to.as_ref(), pong.sender.bot), ("pong", Some(&ping), true));

    relay.cut();
    wait_presence(&mut alice, false).await;
    alice.send_text("p2", "ping").await.ack();
    let missed = created_message(&alice.next_event().await).id.clone();
    relay.restore();
    wait_presence(&mut alice, true).await;
    let pong = created_message(&alice.next_event().await).clone();
    assert_eq!((text_of(&pong), pong.reply_to.as_ref()), ("pong", Some(&missed)), "the ping sent while cut off");

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
    assert_eq!(pongs(&alice.all_history().await), 3, "each ping answered exactly once");

    shutdown.cancel();
    running.await.expect("bot task").expect("a clean stop");
    server.stop().await;
}

#[tokio::test]
async fn a_refused_token_stops_the_bot_with_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let bot = Bot::new(server.ws_url(), "not-a-token");
    let ended = tokio::time::timeout(Duration::from_secs(10), bot.run(|_| {}, CancellationToken::new())).await;
    assert!(matches!(ended, Ok(Err(chat_bot::BotError::Refused(_)))), "{ended:?}");
    server.stop().await;
}

/// Waits until the bot `pinger` has joined (or left) as alice sees it.
async fn wait_presence(alice: &mut Client, joined: bool) {
    loop {
        match alice.next().await {
            chat_protocol::ServerFrame::ParticipantJoined { participant } if joined && participant.id.0 == "pinger" => {
                return
            }
            chat_protocol::ServerFrame::ParticipantLeft { id } if !joined && id.0 == "pinger" => return,
            chat_protocol::ServerFrame::Event(envelope) => panic!("an event while waiting for presence: {envelope:?}"),
            _ => {}
        }
    }
}
