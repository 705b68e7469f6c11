//! Disk that cannot be filled: uploads no message takes up (and files an
//! edit replaced) are swept after their time; an uploader's hourly budget
//! and a meeting's storage are enforced with a typed error, before the body
//! is read when its length is declared and mid-stream when it is not, and
//! nothing of a refused upload is written.

mod support;

use std::time::Duration;

use chat_protocol::{ClientFrame, MessageKind, NewContent, Role};
use serde_json::Value;
use support::*;

fn files_on_disk(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("files"))
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned())).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn unattached_and_replaced_uploads_are_swept_and_attached_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.unattached_upload_ttl = Duration::from_millis(400);
    let server = TestServer::start_with(config).await;
    let token = token_for("ann", Role::Participant);
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;

    let forgotten = upload_ok(&server, &token, "forgotten.txt", "file", b"never sent".to_vec()).await;
    let kept = upload_ok(&server, &token, "kept.txt", "file", b"sent at once".to_vec()).await;
    ann.send("c1", NewContent::with_file(MessageKind::File, kept.id.clone()), Vec::new()).await.ack();
    let replaced = upload_ok(&server, &token, "draft.txt", "file", b"first version".to_vec()).await;
    let edited =
        sent_id(&ann.send("c2", NewContent::with_file(MessageKind::File, replaced.id.clone()), Vec::new()).await.ack());
    let final_version = upload_ok(&server, &token, "final.txt", "file", b"second version".to_vec()).await;
    let content = NewContent::with_file(MessageKind::File, final_version.id.clone());
    ann.request(|req_id| ClientFrame::Edit { req_id, id: edited, content, attachments: None }).await.ack();
    assert_eq!(files_on_disk(dir.path()).len(), 4);

    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let status = |url: String| async move { reqwest::get(url).await.unwrap().status().as_u16() };
    assert_eq!(status(server.http_url(&forgotten.url)).await, 404, "an upload no message took up is gone");
    assert_eq!(status(server.http_url(&replaced.url)).await, 404, "so is the file an edit replaced");
    assert_eq!(status(server.http_url(&kept.url)).await, 200);
    assert_eq!(status(server.http_url(&final_version.url)).await, 200);
    let mut left = vec![kept.id.as_str().to_owned(), final_version.id.as_str().to_owned()];
    left.sort();
    assert_eq!(files_on_disk(dir.path()), left, "their bytes are gone too");
    server.stop().await;
}

/// Uploads `body` with its length declared, or streamed in chunks without one.
async fn upload_as(server: &TestServer, token: &str, body: Vec<u8>, declared: bool) -> reqwest::Response {
    let request = reqwest::Client::new()
        .post(server.http_url("/api/v1/uploads"))
        .query(&[("name", "blob.bin"), ("kind", "file")])
        .bearer_auth(token);
    let request = if declared {
        request.body(body)
    } else {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = body.chunks(100).map(|c| Ok(c.to_vec())).collect();
        request.body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
    };
    request.send().await.unwrap()
}

#[tokio::test]
async fn an_uploaders_hourly_budget_refuses_with_a_typed_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.upload_bytes_per_hour = 1_000;
    let server = TestServer::start_with(config).await;
    let token = token_for("ann", Role::Participant);
    assert_eq!(upload_as(&server, &token, vec![7; 600], true).await.status(), 200);
    for declared in [true, false] {
        let refused = upload_as(&server, &token, vec![7; 600], declared).await;
        assert_eq!(refused.status(), 429, "declared: {declared}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "quota_exceeded");
        assert!(body["retryAfterMs"].as_u64().is_some_and(|ms| ms > 0 && ms <= 3_600_000));
    }
    assert_eq!(files_on_disk(dir.path()).len(), 1, "nothing of the refused uploads is written");
    let bob = token_for("bob", Role::Participant);
    assert_eq!(upload_as(&server, &bob, vec![7; 600], false).await.status(), 200, "the budget is per participant");
    server.stop().await;
}

#[tokio::test]
async fn a_meetings_storage_quota_refuses_uploads_beyond_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.meeting_upload_bytes = 1_500;
    let server = TestServer::start_with(config).await;
    let (ann, bob) = (token_for("ann", Role::Participant), token_for("bob", Role::Participant));
    assert_eq!(upload_as(&server, &ann, vec![1; 1_000], true).await.status(), 200);
    for declared in [true, false] {
        let refused = upload_as(&server, &bob, vec![2; 1_000], declared).await;
        assert_eq!(refused.status(), 413, "declared: {declared}");
        assert_eq!(refused.json::<Value>().await.unwrap()["code"], "quota_exceeded");
    }
    assert_eq!(files_on_disk(dir.path()).len(), 1);
    server.stop().await;
}
