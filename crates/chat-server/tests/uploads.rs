//! Uploads over HTTP: type from the bytes, image derivatives, safe names,
//! signed expiring URLs, and headers that keep a download from running as a page.

mod support;

use chat_protocol::{Content, ErrorCode, FileRef, NewContent, Role};
use reqwest::StatusCode;
use support::*;

async fn get(server: &TestServer, url: &str) -> reqwest::Response {
    reqwest::get(server.http_url(url)).await.unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn an_image_upload_gets_size_blurhash_and_thumbnail_and_is_sent_as_an_image_message() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let token = token_for("ann", Role::Participant);
    let file = upload_ok(&server, &token, "holiday.png", "image", png(800, 400)).await;
    assert_eq!(file.content_type, "image/png");
    assert_eq!((file.width, file.height), (Some(800), Some(400)));
    assert!(file.blurhash.as_deref().is_some_and(|b| b.len() >= 6));
    assert_eq!(file.name, "holiday.png");

    let original = get(&server, &file.url).await;
    assert_eq!(original.status(), StatusCode::OK);
    assert_eq!(header(&original, "content-type"), "image/png");
    assert_eq!(header(&original, "x-content-type-options"), "nosniff");
    assert!(header(&original, "content-security-policy").contains("sandbox"));
    assert!(header(&original, "content-disposition").starts_with("inline"));
    let thumb = get(&server, file.thumbnail_url.as_deref().unwrap()).await;
    assert_eq!(thumb.status(), StatusCode::OK);
    let thumb = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (320, 160));

    let mut ann = Client::connect_token(&server, &token, None).await;
    let mut ben = Client::connect(&server, "ben", Role::Participant).await;
    ann.send("i1", NewContent::Image { file_id: file.id.clone() }, vec![]).await.ack();
    let message = created_message(&ben.next_event().await).clone();
    let Content::Image { file: delivered } = &message.content else { panic!("{message:?}") };
    assert_eq!(delivered.id, file.id);
    assert_eq!(get(&server, &delivered.url).await.status(), StatusCode::OK, "delivered URLs are signed too");
    server.stop().await;
}

#[tokio::test]
async fn html_or_svg_claiming_to_be_png_is_never_served_as_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let token = token_for("ann", Role::Participant);
    let html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>".to_vec();
    let svg =
        br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec();
    for body in [html, svg] {
        let refused = upload(&server, &token, "cat.png", "image", body.clone(), "image/png").await;
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let error: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(error["code"], "unsupported_media_type");

        // As a plain file it is accepted, but only ever downloaded, never rendered.
        let file = upload_ok(&server, &token, "cat.png", "file", body).await;
        assert_ne!(file.content_type, "image/png");
        assert_eq!(file.width, None);
        assert_eq!(file.thumbnail_url, None);
        let served = get(&server, &file.url).await;
        assert_eq!(header(&served, "content-type"), "application/octet-stream");
        assert!(header(&served, "content-disposition").starts_with("attachment"));
        assert_eq!(header(&served, "x-content-type-options"), "nosniff");
        assert!(header(&served, "content-security-policy").contains("sandbox"));

        // And it cannot be sent as an image message.
        let mut ann = Client::connect_token(&server, &token, None).await;
        let e = ann.send("x", NewContent::Image { file_id: file.id }, vec![]).await.error();
        assert_eq!(e.code, ErrorCode::InvalidAttachment);
    }
    server.stop().await;
}

#[tokio::test]
async fn a_file_name_with_directories_is_reduced_to_its_base_name() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let token = token_for("ann", Role::Participant);
    let file = upload_ok(&server, &token, "../../../etc/passwd", "file", b"root:x:0:0".to_vec()).await;
    assert_eq!(file.name, "passwd");
    let served = get(&server, &file.url).await;
    assert!(header(&served, "content-disposition").contains("filename=\"passwd\""));
    assert!(!dir.path().join("etc").exists());
    let on_disk: Vec<_> =
        std::fs::read_dir(dir.path().join("files")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(on_disk, vec![std::ffi::OsString::from(file.id.as_str())], "stored under its id only");
    server.stop().await;
}

#[tokio::test]
async fn uploads_need_a_valid_token_and_respect_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.limits.max_upload_bytes = 1024;
    let server = TestServer::start_with(config).await;
    let anonymous = reqwest::Client::new().post(server.http_url("/api/v1/uploads")).body("hi").send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let forged = upload(&server, "forged.token.here", "a.txt", "file", b"hi".to_vec(), "text/plain").await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let too_big = upload(&server, &token_for("ann", Role::Participant), "a.bin", "file", vec![7; 2048], "x/y").await;
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: serde_json::Value = too_big.json().await.unwrap();
    assert_eq!(error["code"], "too_large");
    let bad_kind = upload(&server, &token_for("ann", Role::Participant), "a.bin", "video", vec![7; 10], "x/y").await;
    assert_eq!(bad_kind.status(), StatusCode::BAD_REQUEST);
    let empty = upload(&server, &token_for("ann", Role::Participant), "a.bin", "file", Vec::new(), "x/y").await;
    assert_eq!(empty.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    server.stop().await;
}

#[tokio::test]
async fn file_urls_fail_without_a_valid_signature() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let token = token_for("ann", Role::Participant);
    let file = upload_ok(&server, &token, "notes.txt", "file", b"meeting notes".to_vec()).await;
    let unsigned = file.url.split('?').next().unwrap().to_owned();
    assert_eq!(get(&server, &unsigned).await.status(), StatusCode::FORBIDDEN);
    let tampered = file.url.replace("sig=", "sig=00");
    assert_eq!(get(&server, &tampered).await.status(), StatusCode::FORBIDDEN);
    let other_file = file.url.replace(file.id.as_str(), "0123456789abcdef0123456789abcdef");
    assert_eq!(get(&server, &other_file).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&server, "/api/v1/files/..%2F..%2Fchat.db?exp=1&sig=00").await.status(), StatusCode::NOT_FOUND);
    let served = get(&server, &file.url).await;
    assert_eq!(served.bytes().await.unwrap().as_ref(), b"meeting notes");
    server.stop().await;
}

#[tokio::test]
async fn uploads_belong_to_their_uploader_and_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let ann_file = upload_ok(&server, &token_for("ann", Role::Participant), "a.txt", "file", b"ann's".to_vec()).await;
    let mut ben = Client::connect(&server, "ben", Role::Host).await;
    let e = ben.send("b1", NewContent::File { file_id: ann_file.id.clone() }, vec![]).await.error();
    assert_eq!(e.code, ErrorCode::InvalidAttachment);
    let mut elsewhere =
        Client::connect_token(&server, &token_in("ann", Role::Participant, "other-meeting"), None).await;
    let e = elsewhere.send("a1", NewContent::File { file_id: ann_file.id }, vec![]).await.error();
    assert_eq!(e.code, ErrorCode::InvalidAttachment);
    server.stop().await;
}

#[tokio::test]
async fn audio_must_be_audio_and_deleting_a_file_message_erases_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let token = token_for("ann", Role::Participant);
    let not_audio = upload(&server, &token, "song.mp3", "audio", png(4, 4), "audio/mpeg").await;
    assert_eq!(not_audio.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let audio = upload_ok(&server, &token, "memo.wav", "audio", wav()).await;
    assert!(audio.content_type.starts_with("audio/"), "{}", audio.content_type);
    let served = get(&server, &audio.url).await;
    assert!(header(&served, "content-disposition").starts_with("inline"));

    let mut ann = Client::connect_token(&server, &token, None).await;
    let id = sent_id(&ann.send("a1", NewContent::Audio { file_id: audio.id.clone() }, vec![]).await.ack());
    ann.request(|req_id| chat_protocol::ClientFrame::Delete {
        req_id,
        id,
        scope: chat_protocol::DeleteScope::Everyone,
    })
    .await
    .ack();
    assert!(!dir.path().join("files").join(audio.id.as_str()).exists());
    assert_eq!(get(&server, &audio.url).await.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

async fn send_with(client: &mut Client, client_id: &str, text: &str, files: &[&FileRef]) -> Answer {
    let attachments = files.iter().map(|f| f.id.clone()).collect();
    client
        .request(|req_id| chat_protocol::ClientFrame::Send {
            req_id,
            client_id: client_id.into(),
            content: NewContent::Text { text: text.into() },
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: Default::default(),
            details: Default::default(),
            attachments,
            as_sender: None,
            mentions: Vec::new(),
        })
        .await
}

#[tokio::test]
async fn a_message_carries_several_attachments_in_order_and_an_edit_only_removes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let ann_token = token_for("ann", Role::Participant);
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let mut files = Vec::new();
    for (index, size) in [(1, 20), (2, 30), (3, 40)] {
        files.push(upload_ok(&server, &ann_token, &format!("photo{index}.png"), "image", png(size, size)).await);
    }
    for name in ["minutes.txt", "plan.txt"] {
        files.push(upload_ok(&server, &ann_token, name, "file", format!("{name} body").into_bytes()).await);
    }
    let refs: Vec<&FileRef> = files.iter().collect();
    let id = sent_id(&send_with(&mut ann, "c1", "", &refs).await.ack());
    let received = loop {
        if let chat_protocol::Event::MessageCreated { message } = bob.next_event().await.event {
            break message;
        }
    };
    assert_eq!(received.id, id);
    let names: Vec<&str> = received.attachments.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["photo1.png", "photo2.png", "photo3.png", "minutes.txt", "plan.txt"]);
    assert_eq!((received.attachments[1].width, received.attachments[1].height), (Some(30), Some(30)));
    assert!(received.attachments[0].blurhash.is_some() && received.attachments[0].thumbnail_url.is_some());
    let minutes = get(&server, &received.attachments[3].url).await;
    assert_eq!(minutes.status(), StatusCode::OK, "each attachment's link is signed and served");
    assert_eq!(minutes.bytes().await.unwrap().as_ref(), b"minutes.txt body");

    // Bob cannot attach Ann's upload, nor anyone more than ten files, nor text nothing.
    let not_his = send_with(&mut bob, "b1", "mine now", &refs[..1]).await.error();
    assert_eq!(not_his.code, ErrorCode::InvalidAttachment);
    let mut many = Vec::new();
    for index in 0..11 {
        many.push(upload_ok(&server, &ann_token, &format!("n{index}.txt"), "file", vec![b'x'; 3]).await);
    }
    let eleven: Vec<&FileRef> = many.iter().collect();
    assert_eq!(send_with(&mut ann, "c2", "too many", &eleven).await.error().code, ErrorCode::TooManyAttachments);
    assert_eq!(send_with(&mut ann, "c3", "", &[]).await.error().code, ErrorCode::InvalidRequest);

    // An edit keeps some attachments, never adds one.
    let edit = |keep: Vec<chat_protocol::FileId>| {
        let id = id.clone();
        move |req_id| chat_protocol::ClientFrame::Edit {
            req_id,
            id,
            content: NewContent::Text { text: "just two".into() },
            attachments: Some(keep),
        }
    };
    let foreign = ann.request(edit(vec![many[0].id.clone()])).await.error();
    assert_eq!(foreign.code, ErrorCode::InvalidAttachment);
    ann.request(edit(vec![files[4].id.clone(), files[0].id.clone()])).await.ack();
    let history = bob.all_history().await;
    let edited = history.iter().find(|m| m.id == id).unwrap();
    let kept: Vec<&str> = edited.attachments.iter().map(|f| f.name.as_str()).collect();
    assert_eq!((kept.as_slice(), text_of(edited)), (&["plan.txt", "photo1.png"][..], "just two"));

    // Deleting for everyone erases the bytes no other message uses.
    let kept_url = edited.attachments[0].url.clone();
    ann.request(|req_id| chat_protocol::ClientFrame::Delete {
        req_id,
        id: id.clone(),
        scope: chat_protocol::DeleteScope::Everyone,
    })
    .await
    .ack();
    assert_eq!(get(&server, &kept_url).await.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}
