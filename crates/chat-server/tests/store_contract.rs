//! Every engine keeps one contract: the same scenario runs against SQLite,
//! PostgreSQL and the in-memory store the domain tests use, and every
//! answer must match SQLite's.

mod support;

use std::sync::Arc;

use chat_protocol::{
    FileId, MeetingId, MeetingSettings, MessageId, MessageKind, Mute, Participant, ParticipantId, Poll, PollOption,
    PollVote, PrivateChatPolicy, Report, Role, SendPolicy, Sender,
};
use chat_server::store::memory::MemoryStore;
use chat_server::store::moderation::Removal;
use chat_server::store::postgres::PostgresStore;
use chat_server::store::sqlite::SqliteStore;
use chat_server::store::{NewMessage, PageQuery, ReactionChange, Store, StoredContent, StoredFile};

fn new_message(
    id: &str,
    client_id: &str,
    from: &str,
    time: i64,
    content: StoredContent,
    targets: &[&str],
) -> NewMessage {
    NewMessage {
        meeting: MeetingId::from("standup"),
        id: MessageId::from(id),
        client_id: client_id.into(),
        sender: Sender { id: from.into(), display_name: from.into(), bot: false },
        time,
        session_id: "s1".into(),
        content,
        reply_to: None,
        forwarded_from: None,
        targets: targets.iter().map(|t| ParticipantId::from(*t)).collect(),
        metadata: Default::default(),
        details: Default::default(),
        attachments: Vec::new(),
        mentions: Vec::new(),
    }
}

/// Every answer of a scenario, as text to compare.
async fn scenario(store: Arc<dyn Store>) -> Vec<String> {
    let meeting = MeetingId::from("standup");
    let (ann, bob, cat) = (ParticipantId::from("ann"), ParticipantId::from("bob"), ParticipantId::from("cat"));
    let mut log = Vec::new();
    let file = StoredFile {
        id: FileId::from("f1"),
        meeting: meeting.clone(),
        uploader: ann.clone(),
        name: "notes.txt".into(),
        size: 5,
        content_type: "text/plain".into(),
        width: None,
        height: None,
        blurhash: None,
        created_at: 1,
    };
    let shared_file = file.clone();
    store.insert_file(file).await.expect("file");
    let text = |t: &str| StoredContent::Text(t.into());
    let mut hello = new_message("m1", "c1", "ann", 10, text("hello @bob @cat"), &[]);
    hello.mentions = vec![bob.clone(), cat.clone()];
    let first = store.insert_message(hello).await.expect("m1");
    log.push(format!("{:?}", first.event.map(|e| (e.envelope, e.audience))));
    let again =
        store.insert_message(new_message("m9", "c1", "ann", 11, text("hello again"), &[])).await.expect("dedupe");
    log.push(format!("dedupe {:?} {:?}", again.message.id, again.event.is_none()));
    let private = new_message("m2", "c2", "ann", 12, text("psst"), &["bob"]);
    log.push(format!("{:?}", store.insert_message(private).await.expect("m2").event.map(|e| e.audience)));
    let file_message = new_message("m3", "c3", "ann", 13, StoredContent::File(MessageKind::File, "f1".into()), &[]);
    log.push(format!("{:?}", store.insert_message(file_message).await.expect("m3").message.content));
    log.push(format!(
        "{:?}",
        store.edit_message(&meeting, &"m1".into(), text("hello, all"), None, &ann, 20).await.map(|e| e.envelope)
    ));
    log.push(format!(
        "{:?}",
        store.set_pinned(&meeting, &"m1".into(), true, &bob, 21).await.map(|e| e.map(|e| e.envelope))
    ));
    log.push(format!("{:?}", store.set_pinned(&meeting, &"m1".into(), true, &bob, 22).await.map(|e| e.is_none())));
    // Reactions: each participant's counted once per emoji, in first-use order, and taken off again.
    let reaction =
        |who: &ParticipantId, emoji: &str, add| ReactionChange { participant: who.clone(), emoji: emoji.into(), add };
    for (who, emoji, add, at) in [
        (&bob, "👍", true, 22),
        (&ann, "🎉", true, 22),
        (&ann, "👍", true, 23),
        (&ann, "👍", true, 24),
        (&cat, "🎉", true, 24),
        (&ann, "🎉", false, 25),
        (&ann, "🎉", false, 25),
    ] {
        let changed = store.set_reaction(&meeting, &"m1".into(), reaction(who, emoji, add), at).await;
        log.push(format!("react {:?}", changed.map(|e| e.map(|e| (e.envelope, e.audience)))));
    }
    let private = store.set_reaction(&meeting, &"m2".into(), reaction(&bob, "🙏", true), 25).await;
    log.push(format!("react privately {:?}", private.map(|e| e.map(|e| e.audience))));
    log.push(format!(
        "{:?}",
        store.hide_for(&meeting, &"m1".into(), &cat, 23).await.map(|e| e.map(|e| (e.envelope, e.audience)))
    ));
    log.push(format!("{:?}", store.hide_for(&meeting, &"m1".into(), &cat, 24).await.map(|e| e.is_none())));
    let deleted = store.delete_for_everyone(&meeting, &"m3".into(), &ann, 25).await.expect("delete");
    log.push(format!("{:?} {:?}", deleted.event.envelope, deleted.orphaned_files));
    log.push(format!(
        "{:?}",
        store.delete_for_everyone(&meeting, &"m3".into(), &ann, 26).await.map(|d| d.orphaned_files)
    ));
    log.push(format!("{:?}", store.file(&"f1".into()).await.expect("file")));
    let on_tombstone = store.set_reaction(&meeting, &"m3".into(), reaction(&bob, "👍", true), 26).await;
    log.push(format!("react to a tombstone {:?}", on_tombstone.map(|e| e.is_none())));
    // Attachments: kept in order, an edit keeps some, a delete orphans what no other message uses.
    for (id, name) in [("f2", "a.png"), ("f3", "b.png")] {
        let file = StoredFile { id: FileId::from(id), name: name.into(), ..shared_file.clone() };
        store.insert_file(file).await.expect("file");
    }
    let mut with_files = new_message("m4", "c4", "ann", 14, text(""), &[]);
    with_files.attachments = vec!["f2".into(), "f3".into()];
    log.push(format!("{:?}", store.insert_message(with_files).await.expect("m4").message.attachments));
    let kept = store.edit_message(&meeting, &"m4".into(), text("two"), Some(vec!["f3".into()]), &ann, 15).await;
    log.push(format!("{:?}", kept.map(|e| e.envelope)));
    log.push(format!("{:?}", store.message(&meeting, &"m4".into()).await.map(|m| m.map(|m| m.attachments))));
    let gone = store.delete_for_everyone(&meeting, &"m4".into(), &ann, 16).await.expect("delete m4");
    log.push(format!("{:?} {:?}", gone.orphaned_files, gone.event.envelope));
    let settings = MeetingSettings {
        anyone_can_pin: true,
        who_can_send: SendPolicy::Hosts,
        slow_mode_secs: 15,
        read_receipts: true,
        private_chat: PrivateChatPolicy::Hosts,
    };
    log.push(format!("{:?}", store.update_settings(&meeting, settings.clone(), &ann, 27).await.map(|e| e.envelope)));
    log.push(format!("{:?}", store.settings(&meeting).await));
    // Every value of each policy is kept as it was set (in a meeting of its own).
    let policies = MeetingId::from("policies");
    for (who_can_send, private_chat) in SendPolicy::ALL.into_iter().zip(PrivateChatPolicy::ALL.into_iter().rev()) {
        let other = MeetingSettings { who_can_send, private_chat, ..settings.clone() };
        store.update_settings(&policies, other.clone(), &ann, 28).await.expect("settings stored");
        assert_eq!(store.settings(&policies).await.expect("settings read"), other);
    }
    // Mutes: one for a time, one until unmuted and lifted, a lift of nothing; only the muted and hosts hear.
    let muted_bob = Mute { participant_id: bob.clone(), until: Some(99_000), removed: false };
    log.push(format!("{:?}", store.mute(&meeting, muted_bob, &ann, 29).await.map(|e| (e.envelope, e.audience))));
    let muted_cat = Mute { participant_id: cat.clone(), until: None, removed: false };
    log.push(format!("{:?}", store.mute(&meeting, muted_cat, &ann, 30).await.map(|e| e.envelope)));
    log.push(format!("{:?}", store.mutes(&meeting).await));
    log.push(format!("{:?}", store.unmute(&meeting, &cat, &ann, 31).await.map(|e| e.map(|e| e.envelope))));
    log.push(format!("{:?}", store.unmute(&meeting, &cat, &ann, 32).await.map(|e| e.map(|e| e.envelope))));
    log.push(format!("{:?}", store.mutes(&meeting).await));
    // Removals (in a meeting of their own): with every message of theirs, in one event told to
    // everyone, their files orphaned; without, told to them and the hosts; replaced by a let back.
    let removals = MeetingId::from("removals");
    let file = StoredFile { id: FileId::from("f9"), meeting: removals.clone(), ..shared_file.clone() };
    store.insert_file(file).await.expect("file");
    for (id, from, content) in [
        ("r1", "dan", text("spam")),
        ("r2", "ann", text("stop")),
        ("r3", "dan", StoredContent::File(MessageKind::Image, "f9".into())),
    ] {
        let message = NewMessage { meeting: removals.clone(), ..new_message(id, id, from, 40, content, &[]) };
        store.insert_message(message).await.expect("stored");
    }
    let dan = ParticipantId::from("dan");
    // Reports: once per reporter and message, told to the reporter and the hosts; a dismissal, to the hosts.
    for (message, by, reason) in
        [("r1", &ann, "spam"), ("r1", &ann, "twice"), ("r2", &dan, "rude"), ("r1", &cat, "ads")]
    {
        let by_name = by.to_string();
        let report = Report { message_id: message.into(), by: by.clone(), by_name, reason: reason.into(), time: 40 };
        let stored = store.report(&removals, report).await.map(|e| e.map(|e| (e.envelope, e.audience)));
        log.push(format!("report {stored:?}"));
    }
    log.push(format!(
        "reported {:?}",
        store
            .report(
                &removals,
                Report {
                    message_id: "none".into(),
                    by: ann.clone(),
                    by_name: "Ann".into(),
                    reason: "x".into(),
                    time: 40,
                }
            )
            .await
            .map(|e| e.is_some())
    ));
    let dismissed = store.dismiss_reports(&removals, &"r2".into(), &ann, 40).await;
    log.push(format!("dismissed {:?}", dismissed.map(|e| e.map(|e| (e.envelope, e.audience)))));
    log.push(format!(
        "dismissed again {:?}",
        store.dismiss_reports(&removals, &"r2".into(), &ann, 40).await.map(|e| e.is_none())
    ));
    log.push(format!("open reports {:?}", store.open_reports(&removals).await));
    let with_messages = Removal { participant_id: dan.clone(), messages_deleted: true };
    let removed = store.remove(&removals, with_messages, &ann, 41).await.expect("removed");
    log.push(format!("removed {:?} {:?} {:?}", removed.event.envelope, removed.event.audience, removed.orphaned_files));
    log.push(format!("removed {:?}", store.mutes(&removals).await));
    let page = store.history(&removals, &ann, &PageQuery { before: None, limit: 10, with: None }).await;
    log.push(format!("after removal {:?}", page.map(|p| p.messages)));
    log.push(format!("open reports after removal {:?}", store.open_reports(&removals).await));
    log.push(format!(
        "removal search {:?}",
        store.search(&removals, &ann, "spam", &PageQuery { before: None, limit: 10, with: None }).await
    ));
    let without = Removal { participant_id: dan.clone(), messages_deleted: false };
    let again = store.remove(&removals, without, &ann, 42).await.expect("removed again");
    log.push(format!("removed again {:?} {:?}", again.event.envelope, again.event.audience));
    log.push(format!("let back {:?}", store.unmute(&removals, &dan, &ann, 43).await.map(|e| e.map(|e| e.envelope))));
    log.push(format!("let back {:?}", store.mutes(&removals).await));
    // The audit trail: every moderation event of a meeting, a page at a time.
    log.push(format!("audit {:?}", store.audit_page(&removals, 0, 100).await));
    log.push(format!("audit after 2, 3 {:?}", store.audit_page(&removals, 2, 3).await));
    log.push(format!("audit of the first meeting {:?}", store.audit_page(&meeting, 0, 100).await));
    // Polls: one ballot per voter, an anonymous ballot naming no option, closed once, counts kept.
    let polls = MeetingId::from("polls");
    let new_poll = |id: &str, anonymous: bool, time: i64| Poll {
        id: id.into(),
        question: format!("{id}?"),
        options: ["Yes", "No", "Maybe"].map(|text| PollOption { text: text.into(), ..Default::default() }).to_vec(),
        anonymous,
        hide_votes: anonymous,
        multiple: !anonymous,
        created_by: "Ann".into(),
        created_by_user_id: ann.clone(),
        voted: Vec::new(),
        chosen: Vec::new(),
        closed: false,
        time,
    };
    for (id, anonymous, time) in [("open", false, 50), ("secret", true, 51)] {
        let event = store.create_poll(&polls, &new_poll(id, anonymous, time)).await.map(|e| (e.envelope, e.audience));
        log.push(format!("poll created {event:?}"));
    }
    let voter = |id: &ParticipantId| PollVote { id: id.clone(), name: id.to_string() };
    for (who, poll, options, at) in [
        (&bob, "open", vec![0, 2], 52),
        (&cat, "open", vec![2], 53),
        (&bob, "open", vec![1], 54),
        (&bob, "secret", vec![1], 55),
        (&cat, "nope", vec![0], 56),
    ] {
        let ballot = store.vote(&polls, &poll.into(), &voter(who), &options, at).await;
        log.push(format!("ballot {who} {poll} {ballot:?}"));
    }
    for viewer in [&ann, &bob, &cat] {
        log.push(format!("{viewer} polls {:?}", store.polls(&polls, viewer).await));
    }
    log.push(format!("poll of none {:?}", store.poll(&polls, &"nope".into(), &ann).await));
    let closed = store.close_poll(&polls, &"secret".into(), &ann, 57).await;
    log.push(format!("closed {:?}", closed.map(|e| e.map(|e| (e.envelope, e.audience)))));
    log.push(format!(
        "closed again {:?}",
        store.close_poll(&polls, &"secret".into(), &ann, 58).await.map(|e| e.is_none())
    ));
    log.push(format!("vote when closed {:?}", store.vote(&polls, &"secret".into(), &voter(&cat), &[0], 59).await));
    log.push(format!("closed poll {:?}", store.poll(&polls, &"secret".into(), &bob).await));
    log.push(format!(
        "poll events {:?}",
        store
            .events_since(&polls, 0, 100)
            .await
            .map(|events| events.into_iter().map(|e| (e.envelope, e.audience)).collect::<Vec<_>>())
    ));
    log.push(format!("head {:?}", store.head_seq(&meeting).await));
    let as_viewer = |id: &ParticipantId, role| Participant { id: id.clone(), display_name: id.to_string(), role };
    let viewers = [as_viewer(&ann, Role::Host), as_viewer(&bob, Role::Participant), as_viewer(&cat, Role::Participant)];
    for (viewer, person) in [&ann, &bob, &cat].into_iter().zip(&viewers) {
        log.push(format!("{viewer} events {:?}", store.events_after(&meeting, person, 0, 100).await));
        log.push(format!("{viewer} events after 3, 2 {:?}", store.events_after(&meeting, person, 3, 2).await));
        log.push(format!(
            "{viewer} history {:?}",
            store
                .history(&meeting, viewer, &PageQuery { before: None, limit: 2, with: None })
                .await
                .map(|p| (p.messages, p.has_more))
        ));
        log.push(format!(
            "{viewer} older {:?}",
            store
                .history(&meeting, viewer, &PageQuery { before: Some(2), limit: 10, with: None })
                .await
                .map(|p| (p.messages, p.has_more))
        ));
        let with_ann =
            store.history(&meeting, viewer, &PageQuery { before: None, limit: 10, with: Some(ann.clone()) }).await;
        let with_ann = with_ann.map(|p| (p.messages, p.has_more));
        log.push(format!("{viewer} with ann {with_ann:?}"));
        log.push(format!("{viewer} hidden {:?}", store.is_hidden_for(&"m1".into(), viewer).await));
        // Search: prefixes of every word, private only for its audience, never the deleted or hidden.
        for (query, before, limit, with) in [
            ("HEL al", None, 10, None),
            ("ps", None, 10, None),
            ("psst", None, 10, Some(&bob)),
            ("two", None, 10, None),
            ("ell", None, 10, None),
            ("hello", None, 1, None),
            ("hello", Some(2), 10, None),
        ] {
            let hits = store.search(&meeting, viewer, query, &PageQuery { before, limit, with: with.cloned() }).await;
            let hits = hits.map(|p| (p.messages.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(), p.has_more));
            log.push(format!("{viewer} search {query:?} {before:?} {limit} {with:?} {hits:?}"));
        }
    }
    // Read positions: counted from where each reader joined, only forward, mentions apart.
    for viewer in [&ann, &bob, &cat] {
        log.push(format!("{viewer} reads {:?}", store.read_states(&meeting, viewer, 0).await));
        log.push(format!("{viewer} joined later {:?}", store.read_states(&meeting, viewer, 5).await));
    }
    log.push(format!("mark {:?}", store.mark_read(&meeting, &bob, None, 1).await));
    log.push(format!("mark again {:?}", store.mark_read(&meeting, &bob, None, 1).await));
    log.push(format!("mark back {:?}", store.mark_read(&meeting, &bob, None, 0).await));
    log.push(format!("mark private {:?}", store.mark_read(&meeting, &bob, Some(&ann), 3).await));
    log.push(format!("bob reads now {:?}", store.read_states(&meeting, &bob, 0).await));
    log.push(format!("ann sees {:?}", store.mark_read(&meeting, &cat, None, 2).await));
    for viewer in [&ann, &bob, &cat] {
        log.push(format!("{viewer} sees {:?}", store.seen_by_others(&meeting, viewer).await));
    }
    log.push(format!("{:?}", store.message_by_client_id(&meeting, &ann, &"c2".into()).await));
    log.push(format!("{:?}", store.message(&MeetingId::from("elsewhere"), &"m1".into()).await));
    log.push(format!(
        "{:?}",
        store.edit_message(&meeting, &"nope".into(), text("x"), None, &ann, 30).await.map(|e| e.envelope)
    ));
    log
}

#[tokio::test]
async fn sqlite_postgres_and_memory_answer_every_call_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = scenario(Arc::new(SqliteStore::open(&dir.path().join("chat.db")).expect("sqlite"))).await;
    let url = support::postgres::Postgres::shared().fresh_database();
    let postgres = scenario(Arc::new(PostgresStore::connect(&url).await.expect("postgres"))).await;
    let memory = scenario(Arc::new(MemoryStore::default())).await;
    for (engine, answers) in [("postgres", &postgres), ("memory", &memory)] {
        assert_eq!(sqlite.len(), answers.len(), "{engine}");
        for (index, (expected, actual)) in sqlite.iter().zip(answers).enumerate() {
            assert_eq!(expected, actual, "{engine}: answer {index}");
        }
    }
}
