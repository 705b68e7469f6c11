//! Says "ready!", then answers "ping" with "pong" (privately when asked privately).
//!
//! `cargo run -p chat-bot --example ping_pong -- ws://127.0.0.1:8080/ws <bot token>`;
//! with the demo server (`--dev`), a token comes from
//! `/dev/token?name=Ping&meeting=demo&role=bot`.

use chat_bot::{Bot, MessageOptions, Recipient};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(token)) = (args.next(), args.next()) else {
        return Err("usage: ping_pong <ws url> <bot token>".into());
    };
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop.cancel();
        }
    });
    let bot = Bot::new(url, token);
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
    Ok(())
}
