//! Says "ready!", then answers "ping" with "pong" (privately when asked
//! privately). It keeps its place in a file, so pings sent while it was
//! stopped are answered when it starts again, each once.
//!
//! `cargo run -p chat-bot --example ping_pong -- ws://127.0.0.1:8080/ws <bot token> [checkpoint file]`
//! (the file is `ping_pong.checkpoint.json` unless given); with the demo
//! server (`--dev`), a token comes from `/dev/token?name=Ping&meeting=demo&role=bot`.

use chat_bot::{Bot, FileCheckpoints, MessageOptions, Recipient};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(token)) = (args.next(), args.next()) else {
        return Err("usage: ping_pong <ws url> <bot token> [checkpoint file]".into());
    };
    let checkpoint = args.next().unwrap_or_else(|| "ping_pong.checkpoint.json".to_owned());
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop.cancel();
        }
    });
    // ANCHOR: bot
    let bot = Bot::new(url, token).with_checkpoints(FileCheckpoints::new(checkpoint));
    let chat = bot.chat();
    chat.on_message(|msg| {
        if msg.body().is_some_and(|text| text.trim().eq_ignore_ascii_case("ping")) {
            msg.respond("pong");
        }
    });
    tokio::spawn(async move {
        if let Err(error) = chat.message(Recipient::Everyone, "ready!", MessageOptions::default()).await {
            eprintln!("could not say ready: {error}");
        }
    });
    bot.run(shutdown).await?;
    // ANCHOR_END: bot
    Ok(())
}
