//! A Moobius-style service: when someone writes "cat", a cat puppet answers
//! them privately with "Meow".
//!
//! `cargo run -p chat-bot --example meow -- ws://127.0.0.1:8080/ws <service token>`;
//! with the demo server (`--dev`), a token comes from
//! `/dev/token?name=Cats&meeting=demo&role=service`.

use chat_bot::{Bot, MessageOptions, Recipient};
use chat_protocol::{ParticipantId, Puppet};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(token)) = (args.next(), args.next()) else {
        return Err("usage: meow <ws url> <service token>".into());
    };
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop.cancel();
        }
    });
    // ANCHOR: puppet
    let cat = Puppet { id: ParticipantId::from("meow"), display_name: "Meow".into() };
    let bot = Bot::new(url, token);
    bot.chat().on_message(move |msg| {
        if msg.body().is_some_and(|text| text.to_lowercase().contains("cat")) {
            let asker = msg.sender.id.clone();
            msg.send(Recipient::from(asker), "Meow", MessageOptions::as_puppet(cat.clone()));
        }
    });
    // ANCHOR_END: puppet
    bot.run(shutdown).await?;
    Ok(())
}
