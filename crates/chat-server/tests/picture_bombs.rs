//! Picture bombs: small uploads that decode to hundreds of megabytes. One
//! past the pixel limit is refused from its header; those under it decode a
//! few at a time, in a bounded queue, while the chat goes on. The server runs
//! in this process, so its peak memory is this process's (`VmHWM`): this
//! file holds one test that measures it.

mod support;

use std::time::{Duration, Instant};

use chat_protocol::Role;
use reqwest::StatusCode;
use support::bombs::png_bomb;
use support::*;

/// The process's peak resident memory so far, in MiB.
fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).expect("VmHWM");
    let kib: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a number");
    kib / 1024
}

/// Sends `count` messages one after another; returns the slowest acknowledgement.
async fn slowest_send(client: &mut Client, count: usize, tag: &str) -> Duration {
    let mut slowest = Duration::ZERO;
    for n in 0..count {
        let sent = Instant::now();
        client.send_text(&format!("{tag}{n}"), "still here").await.ack();
        slowest = slowest.max(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    slowest
}

#[test]
fn the_bombs_are_real_pictures() {
    let image = image::load_from_memory(&png_bomb(300, 200)).expect("a valid PNG").to_rgb8();
    assert_eq!(image.dimensions(), (300, 200));
    assert!(image.pixels().all(|pixel| pixel.0 == [0, 0, 0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bombs_decode_a_few_at_a_time_past_the_pixel_limit_never_while_the_chat_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.image_decodes_at_once = 2;
    let server = TestServer::start_with(config).await;
    let mut cy = Client::connect(&server, "cy", Role::Participant).await;
    let quiet = slowest_send(&mut cy, 10, "quiet").await;
    let base = server.http_url("");
    let upload_all = |bomb: Vec<u8>, uploaders: &[&str]| {
        let tasks: Vec<_> = uploaders
            .iter()
            .map(|who| {
                let (base, token, body) = (base.clone(), token_for(who, Role::Participant), bomb.clone());
                tokio::spawn(async move {
                    let response = upload_at(&base, &token, "bomb.png", "image", body, "image/png").await;
                    let status = response.status();
                    (status, response.json::<serde_json::Value>().await.unwrap())
                })
            })
            .collect();
        async move {
            let mut answers = Vec::new();
            for task in tasks {
                answers.push(task.await.unwrap());
            }
            answers
        }
    };

    // 121 megapixels in 2.3 MB, eight at once from two participants: refused from the header.
    let before = peak_mib();
    let refusing = upload_all(png_bomb(11_000, 11_000), &["ada", "bob", "ada", "bob", "ada", "bob", "ada", "bob"]);
    let (answers, during_refusals) = tokio::join!(refusing, slowest_send(&mut cy, 10, "refusals"));
    let over_limit = peak_mib().saturating_sub(before);
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(body["code"], "too_large");
        assert!(body["message"].as_str().unwrap().contains("11000 × 11000 pixels"), "{body}");
    }

    // 36 megapixels (108 MB decoded) each, eight at once from four participants: two decode at a time.
    let before = peak_mib();
    let decoding = upload_all(png_bomb(6_000, 6_000), &["ada", "bob", "cy", "dan", "ada", "bob", "cy", "dan"]);
    let (answers, during_decoding) = tokio::join!(decoding, slowest_send(&mut cy, 10, "decoding"));
    let under_limit = peak_mib().saturating_sub(before);
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert_eq!((body["width"].as_u64(), body["height"].as_u64()), (Some(6_000), Some(6_000)));
    }

    // A message's worth (10) at once from one uploader waits its turn; more than that is refused with when to retry.
    let crowding = upload_all(png_bomb(6_000, 6_000), &["eve"; 13]);
    let answers = crowding.await;
    let refused: Vec<&serde_json::Value> =
        answers.iter().filter(|(status, _)| *status == StatusCode::TOO_MANY_REQUESTS).map(|(_, body)| body).collect();
    let decoded = answers.iter().filter(|(status, _)| *status == StatusCode::OK).count();
    assert!(!refused.is_empty() && decoded >= 10, "thirteen at once from one uploader: {answers:?}");
    for body in &refused {
        assert_eq!(body["code"], "rate_limited");
        assert!(body["retryAfterMs"].as_u64().is_some_and(|ms| ms >= 1_000), "{body}");
    }

    println!(
        "eight 121-megapixel bombs at once: refused, peak memory +{over_limit} MiB; eight 36-megapixel ones: \
         decoded two at a time, peak memory +{under_limit} MiB; of thirteen at once from one uploader {decoded} \
         decoded one after another and {} refused with a retry hint; slowest send acknowledgement {quiet:?} quiet, \
         {during_refusals:?} during the refusals, {during_decoding:?} during the decoding",
        refused.len()
    );
    assert!(over_limit < 100, "a refused bomb is never decoded: +{over_limit} MiB");
    // Two decodes of 108 MB at once, with their bytes; eight at once would take over 860 MB.
    assert!(under_limit < 450, "+{under_limit} MiB");
    server.stop().await;
}
