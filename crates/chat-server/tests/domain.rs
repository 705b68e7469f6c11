//! The domain without sockets, disks or SQLite: a hub over the in-memory
//! store and file store, driven as a connection would drive it.

use std::sync::Arc;

use axum::body::Bytes;
use chat_protocol::{AckResult, ClientFrame, DeleteScope, MeetingId, NewContent, Participant, Role, ServerFrame};
use chat_server::auth::Identity;
use chat_server::hub::{FileError, Hub, Upload};
use chat_server::media::UploadKind;
use chat_server::signed_url::Variant;
use chat_server::store::files::MemoryFiles;
use chat_server::store::memory::MemoryStore;
use chat_server::Config;
use futures_util::StreamExt;
use tokio::sync::mpsc;

fn hub() -> Arc<Hub> {
    let config = Config::new(std::env::temp_dir().join("unused-by-memory-stores"), b"domain-test-secret-0123".to_vec());
    Hub::new(Arc::new(MemoryStore::default()), Arc::new(MemoryFiles::default()), None, None, Arc::new(config))
}

fn identity(id: &str) -> Identity {
    Identity {
        participant: Participant { id: id.into(), display_name: id.into(), role: Role::Participant },
        meeting: MeetingId::from("standup"),
    }
}

fn png(width: u32, height: u32) -> Bytes {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).expect("encodes");
    Bytes::from(bytes.into_inner())
}

/// The `exp` and `sig` of a signed link.
fn signature(url: &str) -> (u64, String) {
    let query = url.split_once('?').expect("a signed link").1;
    let value = |key: &str| query.split('&').find_map(|p| p.strip_prefix(&format!("{key}="))).expect(key).to_owned();
    (value("exp").parse().expect("a number"), value("sig"))
}

/// The next ack or error on a connection's queue.
async fn answer(rx: &mut mpsc::Receiver<Arc<str>>) -> ServerFrame {
    loop {
        let text = rx.recv().await.expect("the connection is open");
        let frame: ServerFrame = serde_json::from_str(&text).expect("a frame");
        if matches!(frame, ServerFrame::Ack { .. } | ServerFrame::Error(_)) {
            return frame;
        }
    }
}

async fn read(hub: &Hub, url: &str, variant: Variant) -> Result<Vec<u8>, FileError> {
    let (exp, sig) = signature(url);
    let id = url.split("/files/").nth(1).and_then(|rest| rest.get(..32)).expect("an id");
    let mut body = hub.files().download(id, variant, exp, &sig).await?.body;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.stream.next().await {
        bytes.extend_from_slice(&chunk.expect("reads"));
    }
    Ok(bytes)
}

/// An upload of `bytes` that says its length.
fn upload_of(name: Option<&str>, kind: UploadKind, bytes: Bytes) -> Upload {
    let declared_length = Some(bytes.len() as u64);
    Upload {
        name: name.map(str::to_owned),
        kind,
        declared_length,
        body: Box::pin(futures_util::stream::iter([Ok(bytes)])),
    }
}

#[tokio::test]
async fn an_image_is_uploaded_sent_served_and_erased_with_its_message() {
    let hub = hub();
    let ann = identity("ann");
    let bytes = png(40, 20);
    let upload = upload_of(Some("../../sunset.png"), UploadKind::Image, bytes.clone());
    let file = hub.files().upload(&ann, upload).await.expect("an image");
    assert_eq!((file.name.as_str(), file.width, file.height), ("sunset.png", Some(40), Some(20)));
    assert_eq!(read(&hub, &file.url, Variant::Original).await.expect("served"), bytes.to_vec());
    let thumbnail = file.thumbnail_url.clone().expect("a thumbnail");
    assert!(!read(&hub, &thumbnail, Variant::Thumbnail).await.expect("served").is_empty());

    let (session, mut rx) = hub.join(ann, None).await.expect("joins");
    let send = ClientFrame::send(1, "c1".into(), NewContent::Image { file_id: file.id.clone() });
    session.handle(send).await;
    let ServerFrame::Ack { result: AckResult::Sent { id, .. }, .. } = answer(&mut rx).await else { panic!("not sent") };
    session.handle(ClientFrame::Delete { req_id: 2, id, scope: DeleteScope::Everyone }).await;
    assert!(matches!(answer(&mut rx).await, ServerFrame::Ack { .. }));
    assert!(matches!(read(&hub, &file.url, Variant::Original).await, Err(FileError::NotFound)), "the bytes are gone");
    session.leave().await;
}

#[tokio::test]
async fn bytes_that_are_not_an_image_are_refused_as_one_and_a_forged_link_serves_nothing() {
    let hub = hub();
    let ann = identity("ann");
    let svg = upload_of(Some("x.png"), UploadKind::Image, Bytes::from_static(b"<svg/>"));
    assert!(matches!(hub.files().upload(&ann, svg).await, Err(FileError::Unsupported(_))));
    let text = upload_of(None, UploadKind::File, Bytes::from_static(b"minutes"));
    let file = hub.files().upload(&ann, text).await.expect("any file is a file");
    let (exp, _) = signature(&file.url);
    let forged = hub.files().download(file.id.as_str(), Variant::Original, exp, "00").await;
    assert!(matches!(forged, Err(FileError::BadLink(_))));
    let thumbnail = hub.files().download(file.id.as_str(), Variant::Thumbnail, exp, &signature(&file.url).1).await;
    assert!(thumbnail.is_err(), "a file has no thumbnail");
}
