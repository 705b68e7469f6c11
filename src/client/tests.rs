//! The client natively: a platform whose uploads the test finishes by hand,
//! sockets as channel pairs, and a server played frame by frame.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use chat_core::{Change, MessageKey};
use chat_protocol::{
    AckResult, ClientId, ErrorCode, ErrorFrame, FileRef, Limits, MeetingSettings, MessageKind, Participant, RateBucket,
    Role, ServerFrame,
};
use futures::channel::mpsc;
use futures::executor::LocalPool;
use futures::future::{self, LocalBoxFuture};
use futures::task::LocalSpawnExt;
use futures::FutureExt;

use super::platform::{FileSource, Platform, UploadError, UploadEvents, UploadRequest, UploadTask};
use super::{ChatClient, SendOptions};
use crate::transport::fake_connector::FakeConnector;
use chat_session::SocketEvent;

/// An upload the test finishes.
struct StartedUpload {
    request: UploadRequest,
    events: Option<UploadEvents>,
}

type Started = Rc<RefCell<Vec<StartedUpload>>>;

struct Aborter {
    uploads: Started,
    index: usize,
}

impl UploadTask for Aborter {
    fn abort(&self) {
        let events = self.uploads.borrow_mut()[self.index].events.take();
        if let Some(events) = events {
            (events.done)(Err(UploadError::new("aborted", "the upload was cancelled", false)));
        }
    }
}

struct TestPlatform {
    now: Cell<i64>,
    ids: Cell<u32>,
    storage: Rc<RefCell<HashMap<String, String>>>,
    spawner: futures::executor::LocalSpawner,
    sleeps: RefCell<Vec<u32>>,
    uploads: Started,
}

impl Platform for TestPlatform {
    fn now(&self) -> i64 {
        self.now.get()
    }
    fn new_client_id(&self) -> ClientId {
        self.ids.set(self.ids.get() + 1);
        ClientId(format!("c{}", self.ids.get()))
    }
    fn load(&self, key: &str) -> Option<String> {
        self.storage.borrow().get(key).cloned()
    }
    fn store(&self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => self.storage.borrow_mut().insert(key.to_owned(), value.to_owned()),
            None => self.storage.borrow_mut().remove(key),
        };
    }
    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        self.spawner.spawn_local(task).expect("the pool runs");
    }
    /// Instant, but the clock moves on as if the time had passed.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get() + i64::from(ms));
        future::ready(()).boxed_local()
    }
    fn upload(&self, request: UploadRequest, events: UploadEvents) -> Box<dyn UploadTask> {
        let index = self.uploads.borrow().len();
        self.uploads.borrow_mut().push(StartedUpload { request, events: Some(events) });
        Box::new(Aborter { uploads: Rc::clone(&self.uploads), index })
    }
}

/// A client, its platform, the pool running it, and its socket's two ends.
struct Harness {
    pool: LocalPool,
    platform: Rc<TestPlatform>,
    client: ChatClient,
    to_server: mpsc::UnboundedReceiver<String>,
    unread: Vec<serde_json::Value>,
    from_server: mpsc::UnboundedSender<SocketEvent>,
    changes: Rc<RefCell<Vec<Change>>>,
    _subscription: super::Subscription,
}

const NOW: i64 = 1_795_420_000_000;

fn harness(storage: Rc<RefCell<HashMap<String, String>>>) -> Harness {
    let pool = LocalPool::new();
    let platform = Rc::new(TestPlatform {
        now: Cell::new(NOW),
        ids: Cell::new(0),
        storage,
        spawner: pool.spawner(),
        sleeps: RefCell::new(Vec::new()),
        uploads: Rc::default(),
    });
    let client = ChatClient::new("ws://chat.test/ws", "TOKEN", "outbox".into(), platform.clone());
    let changes = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&changes);
    let subscription = client.subscribe(Rc::new(move |change: &Change| seen.borrow_mut().push(change.clone())));
    let connector = FakeConnector::default();
    let (to_server, from_server) = connector.prepare();
    client.start(connector);
    let mut harness = Harness {
        pool,
        platform,
        client,
        to_server,
        unread: Vec::new(),
        from_server,
        changes,
        _subscription: subscription,
    };
    harness.pool.run_until_stalled();
    harness
}

impl Harness {
    fn server_says(&mut self, frame: ServerFrame) {
        let text = serde_json::to_string(&frame).expect("a frame");
        self.from_server.unbounded_send(SocketEvent::Text(text)).expect("the socket is open");
        self.pool.run_until_stalled();
    }

    fn read_socket(&mut self) {
        while let Ok(text) = self.to_server.try_recv() {
            self.unread.push(serde_json::from_str(&text).expect("json"));
        }
    }

    /// Frames the client sent and the test has not read yet.
    fn sent(&mut self) -> Vec<serde_json::Value> {
        self.read_socket();
        std::mem::take(&mut self.unread)
    }

    /// Welcomes the client and answers its first page with nothing.
    fn join(&mut self, role: Role) {
        let me = Participant { id: "ann".into(), display_name: "Ann".into(), role };
        self.server_says(ServerFrame::Welcome {
            v: 1,
            me: me.clone(),
            meeting_id: "m".into(),
            head_seq: 0,
            settings: MeetingSettings::default(),
            participant_count: 1,
            participants: vec![me],
            limits: Limits::default(),
            reads: Vec::new(),
            seen: Vec::new(),
            muted: Vec::new(),
            reports: Vec::new(),
            polls: Vec::new(),
        });
        let page = self.request_of("history");
        self.server_says(ServerFrame::Ack {
            req_id: page,
            result: AckResult::History { messages: vec![], has_more: false },
        });
    }

    /// Reads the first unread request of `kind`; returns its id.
    fn request_of(&mut self, kind: &str) -> u64 {
        self.read_socket();
        let Some(index) = self.unread.iter().position(|f| f["type"] == kind) else {
            panic!("no {kind} in {:?}", self.unread)
        };
        self.unread.remove(index)["reqId"].as_u64().expect("a request id")
    }

    fn run<T: 'static>(&mut self, future: LocalBoxFuture<'static, T>) -> Rc<RefCell<Option<T>>> {
        let slot = Rc::new(RefCell::new(None));
        let fill = Rc::clone(&slot);
        self.pool.spawner().spawn_local(async move { *fill.borrow_mut() = Some(future.await) }).expect("spawn");
        self.pool.run_until_stalled();
        slot
    }
}

fn png() -> FileSource {
    FileSource { body: Rc::new(vec![0_u8; 10]), name: "cat.png".into(), size: 10 }
}

fn uploaded() -> FileRef {
    FileRef {
        id: "f1".into(),
        url: "/api/v1/files/f1".into(),
        name: "cat.png".into(),
        size: 10,
        content_type: "image/png".into(),
        width: Some(1),
        height: Some(1),
        blurhash: None,
        thumbnail_url: None,
    }
}

#[test]
fn ready_waits_for_the_first_page_and_a_send_resolves_with_the_stored_id() {
    let mut h = harness(Rc::default());
    let ready = h.run(h.client.ready());
    assert!(ready.borrow().is_none(), "not ready before the welcome");
    h.join(Role::Participant);
    assert_eq!(ready.borrow_mut().take(), Some(Ok(())));

    let sent = h.run(h.client.send_text("hello".into(), SendOptions::default()));
    let req = h.request_of("send");
    assert!(sent.borrow().is_none());
    h.server_says(ServerFrame::Ack {
        req_id: req,
        result: AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() },
    });
    assert_eq!(sent.borrow_mut().take(), Some(Ok("m1".into())));
    let changes = h.changes.borrow();
    let key = MessageKey::Local("c1".into());
    assert!(changes.contains(&Change::EchoAdded { key: key.clone(), index: 0 }));
    assert!(changes.contains(&Change::EchoConfirmed { key, from: 0, index: 0, id: "m1".into() }));
}

#[test]
fn a_refused_change_fails_its_future_with_the_servers_code() {
    let mut h = harness(Rc::default());
    h.join(Role::Participant);
    let pinned = h.run(h.client.set_pinned("m9".into(), true));
    let req = h.request_of("pin");
    h.server_says(ServerFrame::Error(ErrorFrame::new(Some(req), ErrorCode::Forbidden, "only hosts may pin")));
    let error = pinned.borrow_mut().take().expect("settled").expect_err("refused");
    assert_eq!(error.code, "forbidden");
}

#[test]
fn a_refused_token_fails_ready() {
    let mut h = harness(Rc::default());
    let ready = h.run(h.client.ready());
    h.from_server.unbounded_send(SocketEvent::Closed(Some(chat_protocol::close_code::AUTH_FAILED))).expect("open");
    h.pool.run_until_stalled();
    assert_eq!(ready.borrow_mut().take().expect("settled").expect_err("refused").code, "auth_failed");
}

#[test]
fn a_file_uploads_with_progress_then_sends_and_a_cancel_fails_it_with_the_cause() {
    let mut h = harness(Rc::default());
    h.join(Role::Participant);
    let progress = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&progress);
    let (client_id, outcome) = h.client.send_file(
        png(),
        MessageKind::Image,
        SendOptions::default(),
        Some(Rc::new(move |loaded, total| seen.borrow_mut().push((loaded, total)))),
    );
    let outcome = h.run(outcome);
    {
        let uploads = h.platform.uploads.borrow();
        assert_eq!((uploads[0].request.kind, uploads[0].request.token.as_str()), (MessageKind::Image, "TOKEN"));
        assert_eq!(uploads[0].request.http_base, "http://chat.test");
        (uploads[0].events.as_ref().expect("running").progress)(4, 10);
    }
    assert_eq!(*progress.borrow(), [(4, 10)]);
    let events = h.platform.uploads.borrow_mut()[0].events.take().expect("running");
    (events.done)(Ok(uploaded()));
    h.pool.run_until_stalled();
    let frames: Vec<_> = h.sent().into_iter().filter(|f| f["type"] == "send").collect();
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_eq!(frames[0]["content"]["kind"], "image");
    assert_eq!(frames[0]["clientId"], client_id.as_str());
    let req = frames[0]["reqId"].as_u64().expect("req");
    h.server_says(ServerFrame::Ack {
        req_id: req,
        result: AckResult::Sent {
            client_id: client_id.clone(),
            id: "m1".into(),
            seq: 1,
            time: NOW,
            modified: Vec::new(),
        },
    });
    assert_eq!(outcome.borrow_mut().take(), Some(Ok("m1".into())));

    let (second, outcome) = h.client.send_file(png(), MessageKind::Image, SendOptions::default(), None);
    let outcome = h.run(outcome);
    h.client.cancel_upload(&second);
    h.pool.run_until_stalled();
    let error = outcome.borrow_mut().take().expect("settled").expect_err("cancelled");
    assert_eq!((error.code.as_str(), error.cause.as_deref()), ("upload_failed", Some("aborted")));
    let retried = h.run(h.client.retry(&second));
    assert_eq!(h.platform.uploads.borrow().len(), 3, "a retry uploads again");
    assert!(retried.borrow().is_none());
}

#[test]
fn an_unsent_message_survives_a_reload_and_is_sent_by_the_next_client() {
    let storage: Rc<RefCell<HashMap<String, String>>> = Rc::default();
    let mut first = harness(Rc::clone(&storage));
    first.join(Role::Participant);
    let _pending = first.run(first.client.send_text("kept".into(), SendOptions::default()));
    assert!(storage.borrow().contains_key("outbox"), "saved before the ack");
    drop(first);

    let mut second = harness(Rc::clone(&storage));
    second.join(Role::Participant);
    let frames = second.sent();
    let resent: Vec<_> = frames.iter().filter(|f| f["type"] == "send").collect();
    assert_eq!(resent.len(), 1);
    assert_eq!((resent[0]["clientId"].as_str(), resent[0]["content"]["text"].as_str()), (Some("c1"), Some("kept")));
}

#[test]
fn an_outbox_saved_by_the_previous_version_with_its_status_is_still_sent() {
    // Saved before the outbox stopped keeping `op` and `status`: both are ignored.
    let saved = r#"[{"clientId":"old-1","op":7,"createdAt":1795419000000,"content":{"kind":"text","text":"from before"},
        "replyTo":null,"forwardedFrom":null,"targets":[],"metadata":{"k":1},
        "status":{"state":"failed","reason":"offline","code":"not_connected","retryable":true}}]"#;
    let storage: Rc<RefCell<HashMap<String, String>>> = Rc::default();
    storage.borrow_mut().insert("outbox".into(), saved.into());
    let mut h = harness(storage);
    h.join(Role::Participant);
    let frames = h.sent();
    let resent: Vec<_> = frames.iter().filter(|f| f["type"] == "send").collect();
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0]["clientId"], "old-1");
    assert_eq!(
        (resent[0]["content"]["text"].as_str(), &resent[0]["metadata"]["k"]),
        (Some("from before"), &serde_json::json!(1))
    );
}

#[test]
fn a_rate_limit_is_lifted_locally_at_its_time() {
    let mut h = harness(Rc::default());
    h.join(Role::Participant);
    let _sent = h.run(h.client.send_text("fast".into(), SendOptions::default()));
    let req = h.request_of("send");
    let mut refusal = ErrorFrame::new(Some(req), ErrorCode::RateLimited, "too many");
    refusal.retry_after_ms = Some(2_000);
    refusal.bucket = Some(RateBucket::Text);
    h.server_says(ServerFrame::Error(refusal));
    assert_eq!(*h.platform.sleeps.borrow(), [2_050], "waits until the limit ends");
    assert!(h.changes.borrow().contains(&Change::RateLimitReset(RateBucket::Text)));
    assert_eq!(h.client.state().rate_limited_until(RateBucket::Text), None);
}

#[test]
fn attachments_upload_side_by_side_and_go_out_as_one_message() {
    let mut h = harness(Rc::default());
    h.join(Role::Participant);
    let progress = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&progress);
    let files =
        vec![(png(), MessageKind::Image), (FileSource { name: "notes.txt".into(), ..png() }, MessageKind::File)];
    let (_, outcome) = h.client.send_with_attachments(
        "look".into(),
        files,
        SendOptions::default(),
        Some(Rc::new(move |loaded, total| seen.borrow_mut().push((loaded, total)))),
    );
    let outcome = h.run(outcome);
    assert_eq!(h.platform.uploads.borrow().len(), 2, "both files upload at once");
    (h.platform.uploads.borrow()[1].events.as_ref().expect("running").progress)(5, 10);
    assert_eq!(*progress.borrow(), [(5, 20)], "progress over all the message's files");
    for (index, id) in [(1, "f2"), (0, "f1")] {
        let events = h.platform.uploads.borrow_mut()[index].events.take().expect("running");
        (events.done)(Ok(FileRef { id: id.into(), ..uploaded() }));
        h.pool.run_until_stalled();
    }
    let sends: Vec<_> = h.sent().into_iter().filter(|f| f["type"] == "send").collect();
    assert_eq!(sends.len(), 1, "one message");
    assert_eq!(sends[0]["attachments"], serde_json::json!(["f1", "f2"]), "in the order attached");
    assert_eq!(sends[0]["content"]["text"], "look");
    let req = sends[0]["reqId"].as_u64().expect("req");
    h.server_says(ServerFrame::Ack {
        req_id: req,
        result: AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 1, time: NOW, modified: Vec::new() },
    });
    assert_eq!(outcome.borrow_mut().take(), Some(Ok("m1".into())));

    let (second, outcome) = h.client.send_with_attachments(
        String::new(),
        vec![(png(), MessageKind::Image), (png(), MessageKind::Image)],
        SendOptions::default(),
        None,
    );
    let outcome = h.run(outcome);
    h.client.cancel_upload(&second);
    h.pool.run_until_stalled();
    assert_eq!(outcome.borrow_mut().take().expect("settled").expect_err("cancelled").code, "upload_failed");
    assert!(h.platform.uploads.borrow()[2..].iter().all(|u| u.events.is_none()), "every upload of it stopped");
}

/// Messages `from..=to`, oldest first, as a history page carries them.
fn numbered(from: u64, to: u64) -> Vec<chat_protocol::Message> {
    (from..=to)
        .map(|seq| chat_protocol::testing::text_message(&format!("m{seq}"), seq, "bob", &format!("n{seq}")))
        .collect()
}

#[test]
fn a_search_hit_far_back_is_reached_page_by_page_at_the_servers_largest_page() {
    let mut h = harness(Rc::default());
    let me = Participant { id: "ann".into(), display_name: "Ann".into(), role: Role::Participant };
    h.server_says(ServerFrame::Welcome {
        v: 1,
        me: me.clone(),
        meeting_id: "m".into(),
        head_seq: 1_000,
        settings: MeetingSettings::default(),
        participant_count: 1,
        participants: vec![me],
        limits: Limits { max_page_size: 100, ..Limits::default() },
        reads: Vec::new(),
        seen: Vec::new(),
        muted: Vec::new(),
        reports: Vec::new(),
        polls: Vec::new(),
    });
    let first = h.request_of("history");
    h.server_says(ServerFrame::Ack {
        req_id: first,
        result: AckResult::History { messages: numbered(951, 1_000), has_more: true },
    });

    let hits = h.run(h.client.search("n7".into(), None, 20, None));
    let req = h.request_of("search");
    let hit = numbered(700, 700);
    h.server_says(ServerFrame::Ack { req_id: req, result: AckResult::Search { messages: hit, has_more: false } });
    let hits = hits.borrow_mut().take().expect("answered").expect("hits");
    assert_eq!(
        (hits.messages[0].seq, hits.has_more, h.client.state().timeline().len()),
        (700, false, 50),
        "hits stay out of the timeline"
    );

    let reached = h.run(h.client.load_through(700, None));
    for (from, to) in [(851, 950), (751, 850), (651, 750)] {
        assert!(reached.borrow().is_none(), "still loading");
        h.read_socket();
        let asked = h.unread.iter().find(|f| f["type"] == "history").expect("a page asked for").clone();
        assert_eq!((asked["before"].as_u64(), asked["limit"].as_u64()), (Some(to + 1), Some(100)));
        let req = h.request_of("history");
        h.server_says(ServerFrame::Ack {
            req_id: req,
            result: AckResult::History { messages: numbered(from, to), has_more: true },
        });
    }
    let row = reached.borrow_mut().take().expect("settled").expect("loaded");
    assert_eq!(row.and_then(|row| h.client.state().timeline().at(row).map(|m| m.seq)), Some(700));
    assert!(h.sent().iter().all(|f| f["type"] != "history"), "no page more than needed");

    // A message gone since the search: history is passed without finding it.
    h.server_says(ServerFrame::Event(chat_protocol::EventEnvelope {
        seq: 1_001,
        time: NOW,
        event: chat_protocol::Event::MessageHidden { id: "m660".into() },
    }));
    let gone = h.run(h.client.load_through(660, None));
    assert_eq!(gone.borrow_mut().take().expect("settled").expect("no error"), None);
}
