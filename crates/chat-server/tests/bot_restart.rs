//! A bot's process killed (not just its connection) with pings in flight
//! and started again 1.5 s later, as a supervisor does: with its checkpoint
//! file it answers every ping once, those sent while it was down included.
//!
//! The bot runs in a process of its own: this test binary started again
//! with `BOT_PROCESS_URL` set runs only [`bot_process_for_the_restart_test`].

mod support;

use std::collections::HashMap;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use chat_bot::{Bot, FileCheckpoints};
use chat_protocol::{Content, Event, MessageId, Role};
use support::processes::spawn_owned;
use support::*;
use tokio_util::sync::CancellationToken;

/// The bot's side, in its own process: answers "ping" with "pong", keeping
/// its place in the file it is given. Does nothing unless started by the test below.
#[test]
fn bot_process_for_the_restart_test() {
    let Ok(url) = std::env::var("BOT_PROCESS_URL") else { return };
    let token = std::env::var("BOT_PROCESS_TOKEN").expect("a token");
    let checkpoint = std::env::var("BOT_PROCESS_CHECKPOINT").expect("a checkpoint file");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async move {
        let bot = Bot::new(url, token).with_checkpoints(FileCheckpoints::new(checkpoint));
        let chat = bot.chat();
        chat.on_message(|msg| {
            if msg.body() == Some("ping") {
                msg.respond("pong");
            }
        });
        let ready = chat.clone();
        tokio::spawn(async move { ready.message(chat_bot::Recipient::Everyone, "ready!", Default::default()).await });
        bot.run(CancellationToken::new()).await.expect("the bot runs until killed");
    });
}

fn start_bot(server: &TestServer, checkpoint: &std::path::Path) -> Child {
    let mut command = Command::new(std::env::current_exe().expect("this test binary"));
    command
        .args(["bot_process_for_the_restart_test", "--exact", "--nocapture", "--test-threads=1"])
        .env("BOT_PROCESS_URL", server.ws_url())
        .env("BOT_PROCESS_TOKEN", token_for("pinger", Role::Bot))
        .env("BOT_PROCESS_CHECKPOINT", checkpoint)
        .env("RUST_LOG", "warn");
    spawn_owned(command, None)
}

/// Reads events until the bot says it is ready.
async fn until_ready(ada: &mut Client) {
    loop {
        if let Event::MessageCreated { message } = ada.next_event().await.event {
            if matches!(&message.content, Content::Text { text } if text == "ready!") {
                return;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_process_killed_and_started_again_answers_every_ping_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let checkpoint = dir.path().join("pinger.json");
    let mut ada = Client::connect(&server, "ada", Role::Participant).await;
    let mut bot = start_bot(&server, &checkpoint);
    until_ready(&mut ada).await;

    let mut pings: Vec<MessageId> = Vec::new();
    for n in 0..5 {
        pings.push(sent_id(&ada.send_text(&format!("in-flight-{n}"), "ping").await.ack()));
    }
    // Killed while those are in flight: some answered, some handled and not yet acknowledged, some not read.
    bot.kill().expect("kill -9");
    bot.wait().expect("reaped");
    for n in 0..15 {
        pings.push(sent_id(&ada.send_text(&format!("while-down-{n}"), "ping").await.ack()));
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let mut bot = start_bot(&server, &checkpoint);
    let restarted = Instant::now();

    let deadline = restarted + Duration::from_secs(20);
    let answered = loop {
        let history = ada.all_history().await;
        let mut pongs: HashMap<MessageId, usize> = HashMap::new();
        for message in history.iter().filter(|m| text_of(m) == "pong") {
            if let Some(ping) = &message.reply_to {
                *pongs.entry(ping.clone()).or_default() += 1;
            }
        }
        if pings.iter().all(|ping| pongs.contains_key(ping)) || Instant::now() > deadline {
            break pongs;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let took = restarted.elapsed();
    // Anything answered twice would show by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let history = ada.all_history().await;
    let pongs = history.iter().filter(|m| text_of(m) == "pong").count();
    let _ = bot.kill();
    let _ = bot.wait();
    let unanswered: Vec<&MessageId> = pings.iter().filter(|ping| !answered.contains_key(*ping)).collect();
    println!(
        "bot process killed with 5 pings in flight, 15 more sent while it was down for 1.5 s: {} of 20 answered \
         within {took:?} of its restart, {pongs} pongs stored",
        pings.len() - unanswered.len()
    );
    assert!(unanswered.is_empty(), "never answered: {unanswered:?}");
    assert_eq!(pongs, pings.len(), "each ping answered exactly once");
}
