//! A message hook that appends " lol~" to every text, and refuses any request
//! whose signature does not hold.
//!
//! `cargo run -p chat-server --example lol_hook -- 127.0.0.1:9090 <hook secret>`, then start the server with
//! `--hook-url http://127.0.0.1:9090/hook --hook-secret <hook secret>`.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Json;
use chat_server::signing::{verify, SIGNATURE_HEADER};
use serde_json::{json, Value};

/// How far a request's timestamp may be from this clock.
const TOLERANCE_SECS: u64 = 300;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(secret)) = (args.next(), args.next()) else {
        return Err("usage: lol_hook <listen addr> <hook secret>".into());
    };
    let secret = secret.into_bytes();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let secret = secret.clone();
            async move { answer(&secret, &headers, &body) }
        }),
    );
    axum::serve(tokio::net::TcpListener::bind(&addr).await?, app).await?;
    Ok(())
}

fn answer(secret: &[u8], headers: &HeaderMap, body: &[u8]) -> Result<Json<Value>, StatusCode> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?.as_secs();
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    verify(secret, signature, body, now, TOLERANCE_SECS).map_err(|_| StatusCode::UNAUTHORIZED)?;
    let draft: Value = serde_json::from_slice(body).map_err(|_| StatusCode::BAD_REQUEST)?;
    Ok(Json(match draft["text"].as_str() {
        Some(text) if !text.is_empty() => json!({ "action": "rewrite", "text": format!("{text} lol~") }),
        _ => json!({ "action": "accept" }),
    }))
}
