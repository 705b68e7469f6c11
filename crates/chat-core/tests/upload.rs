//! A file message shows upload progress, is sent when its upload is done, and fails visibly if it fails.

mod support;

use chat_core::{Attachment, Change, Draft, DraftContent, EchoStatus, Effect, Input, Intent};
use chat_protocol::{ClientFrame, FileRef, MessageKind, NewContent, Role};
use support::*;

fn image_draft() -> Draft {
    let mut draft = Draft::text("");
    draft.content =
        DraftContent::File { message_kind: MessageKind::Image, name: "cat.png".into(), size: 1_000, file: None };
    draft
}

fn file_ref() -> FileRef {
    FileRef {
        id: "f1".into(),
        url: "/api/v1/files/f1?exp=1&sig=a".into(),
        name: "cat.png".into(),
        size: 1_000,
        content_type: "image/png".into(),
        width: Some(10),
        height: Some(10),
        blurhash: Some("L00000".into()),
        thumbnail_url: None,
    }
}

#[test]
fn progress_then_done_sends_the_image_message() {
    let mut state = joined("ann", Role::Participant, 0);
    let fx = state.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft: image_draft() }), NOW);
    assert!(sent_frames(&fx).is_empty(), "nothing to send before the upload");
    assert!(!fx.contains(&Effect::SaveOutbox), "an upload cannot survive a reload");
    assert_eq!(state.echo(&"c1".into()).unwrap().status, EchoStatus::Uploading { loaded: 0, total: 1_000 });
    let fx = state.apply(Input::UploadProgress { client_id: "c1".into(), part: 0, loaded: 400, total: 1_000 }, NOW);
    assert_eq!(fx, vec![Effect::Changed(Change::EchoUpdated { key: local("c1"), index: 0 })]);
    let fx = state.apply(Input::UploadDone { client_id: "c1".into(), part: 0, file: file_ref() }, NOW);
    assert!(
        matches!(sent_frames(&fx)[..], [ClientFrame::Send { content: NewContent::Image { ref file_id }, .. }] if file_id.as_str() == "f1")
    );
    assert!(fx.contains(&Effect::SaveOutbox));
}

#[test]
fn a_failed_or_cancelled_upload_fails_the_echo_and_rejects() {
    let mut state = joined("ann", Role::Participant, 0);
    state.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft: image_draft() }), NOW);
    let fx = state.apply(
        Input::UploadFailed { client_id: "c1".into(), reason: "aborted".into(), retryable: true, cause: None },
        NOW,
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::Reject { op: 1, error } if error.code == "upload_failed")));
    assert!(matches!(state.echo(&"c1".into()).unwrap().status, EchoStatus::Failed { retryable: true, .. }));
    let fx = state.apply(Input::Intent(Intent::Discard { client_id: "c1".into() }), NOW);
    assert!(fx.contains(&Effect::Changed(Change::EchoDiscarded { key: local("c1"), index: 0 })));
    assert!(state.echoes().is_empty());
}

fn text_with(files: &[(&str, u64)]) -> Draft {
    Draft {
        attachments: files.iter().map(|(name, size)| Attachment::new(*name, *size)).collect(),
        ..Draft::text("the photos")
    }
}

fn uploaded(name: &str) -> FileRef {
    FileRef { id: name.into(), name: name.into(), ..file_ref() }
}

#[test]
fn a_text_with_attachments_goes_once_every_file_is_uploaded() {
    let mut state = joined("ann", Role::Participant, 0);
    let draft = text_with(&[("a.png", 100), ("b.png", 300)]);
    let fx = state.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft }), NOW);
    assert!(sent_frames(&fx).is_empty());
    assert_eq!(state.echo(&"c1".into()).unwrap().status, EchoStatus::Uploading { loaded: 0, total: 400 });
    state.apply(Input::UploadProgress { client_id: "c1".into(), part: 1, loaded: 150, total: 300 }, NOW);
    assert_eq!(state.echo(&"c1".into()).unwrap().status, EchoStatus::Uploading { loaded: 150, total: 400 });
    let fx = state.apply(Input::UploadDone { client_id: "c1".into(), part: 1, file: uploaded("fb") }, NOW);
    assert!(sent_frames(&fx).is_empty(), "one file still uploads");
    let fx = state.apply(Input::UploadDone { client_id: "c1".into(), part: 0, file: uploaded("fa") }, NOW);
    let frames = sent_frames(&fx);
    assert!(
        matches!(frames[..], [ClientFrame::Send { ref attachments, .. }] if attachments.iter().map(|f| f.as_str()).eq(["fa", "fb"])),
        "sent once, with the attachments in order: {frames:?}"
    );
}

#[test]
fn one_failed_attachment_fails_the_message_and_a_retry_uploads_only_what_is_missing() {
    let mut state = joined("ann", Role::Participant, 0);
    let draft = text_with(&[("a.png", 100), ("b.png", 300)]);
    state.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft }), NOW);
    state.apply(Input::UploadDone { client_id: "c1".into(), part: 0, file: uploaded("fa") }, NOW);
    let failed =
        Input::UploadFailed { client_id: "c1".into(), reason: "cancelled".into(), retryable: true, cause: None };
    let fx = state.apply(failed, NOW);
    assert!(fx.iter().any(|e| matches!(e, Effect::Reject { op: 1, .. })));
    assert!(state.outbox().is_empty(), "a message with a missing file cannot survive a reload");
    state.apply(Input::Intent(Intent::Retry { op: 2, client_id: "c1".into() }), NOW);
    assert_eq!(state.echo(&"c1".into()).unwrap().status, EchoStatus::Uploading { loaded: 100, total: 400 });
    let fx = state.apply(Input::UploadDone { client_id: "c1".into(), part: 1, file: uploaded("fb") }, NOW);
    assert_eq!(sent_frames(&fx).len(), 1);
}

#[test]
fn more_attachments_than_allowed_are_refused_at_once() {
    let mut state = joined("ann", Role::Participant, 0);
    let files: Vec<(String, u64)> = (0..11).map(|i| (format!("f{i}"), 1)).collect();
    let files: Vec<(&str, u64)> = files.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let fx = state.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft: text_with(&files) }), NOW);
    assert!(fx.iter().any(|e| matches!(e, Effect::Reject { op: 1, error } if error.code == "too_many_attachments")));
}
