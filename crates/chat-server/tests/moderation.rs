//! Moderation over real sockets: a host turns the chat off (hosts and apps
//! still speak) and chooses whom participants may message privately; each
//! refusal is a typed error for sends, reactions and typing alike, and the
//! settings outlast a restart; muted and removed participants are refused
//! (removed ones at the door, with a typed close) until a host lets them back.

mod support;

use chat_protocol::{
    AckResult, ClientFrame, ErrorCode, Event, NewContent, PrivateChatPolicy, Role, SendPolicy, ServerFrame,
};
use support::*;

async fn set_policies(host: &mut Client, who_can_send: Option<SendPolicy>, private_chat: Option<PrivateChatPolicy>) {
    host.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send,
        slow_mode_secs: None,
        read_receipts: None,
        private_chat,
    })
    .await
    .ack();
}

async fn react(client: &mut Client, id: &chat_protocol::MessageId) -> Answer {
    client.request(|req_id| ClientFrame::React { req_id, id: id.clone(), emoji: "👍".into() }).await
}

fn text(text: &str) -> NewContent {
    NewContent::Text { text: text.into() }
}

#[tokio::test]
async fn with_the_chat_off_participants_neither_send_react_nor_type_while_hosts_and_apps_do() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut host = Client::connect(&server, "hana", Role::Host).await;
    let mut guest = Client::connect(&server, "gus", Role::Participant).await;
    let mut bot = Client::connect(&server, "quizbot", Role::Bot).await;
    let before = sent_id(&host.send_text("h0", "before the break").await.ack());

    set_policies(&mut host, Some(SendPolicy::Nobody), None).await;
    let envelope = guest.next_event().await;
    assert!(matches!(envelope.event, Event::MessageCreated { .. }));
    let Event::SettingsChanged { settings } = guest.next_event().await.event else { panic!("settings event") };
    assert_eq!(settings.who_can_send, SendPolicy::Nobody);

    let refused = guest.send_text("g1", "may I?").await.error();
    assert_eq!(refused.code, ErrorCode::ChatOff);
    assert!(refused.message.contains("chat is off"), "{}", refused.message);
    assert!(!refused.code.is_retryable());
    assert_eq!(react(&mut guest, &before).await.error().code, ErrorCode::ChatOff);
    guest.typing(&[]).await;
    assert_eq!(guest.answer_to(None).await.error().code, ErrorCode::ChatOff);
    let private = guest.send("g2", text("psst"), vec!["hana"]).await.error();
    assert_eq!(private.code, ErrorCode::ChatOff, "the chat off holds for private messages too");

    host.send_text("h1", "we are back in five").await.ack();
    react(&mut host, &before).await.ack();
    bot.send_text("b1", "quiz starts soon").await.ack();
    assert!(guest.all_history().await.iter().all(|m| m.sender.id.as_str() != "gus"), "nothing of gus was stored");

    // A webinar (hosts only) still lets its audience react.
    set_policies(&mut host, Some(SendPolicy::Hosts), None).await;
    assert_eq!(guest.send_text("g3", "now?").await.error().code, ErrorCode::HostsOnly);
    react(&mut guest, &before).await.ack();

    set_policies(&mut host, Some(SendPolicy::Nobody), None).await;
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let again = Client::connect(&server, "gus", Role::Participant).await;
    let ServerFrame::Welcome { settings, .. } = &again.welcome else { panic!("a welcome") };
    assert_eq!(settings.who_can_send, SendPolicy::Nobody, "a restart keeps the chat off");
    server.stop().await;
}

#[tokio::test]
async fn the_private_chat_policy_lets_participants_message_hosts_only_or_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut host = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let to_ivy = sent_id(&gus.send("p1", text("lunch?"), vec!["ivy"]).await.ack());
    let to_gus = sent_id(&host.send("h1", text("a word?"), vec!["gus"]).await.ack());

    set_policies(&mut host, None, Some(PrivateChatPolicy::Hosts)).await;
    let refused = gus.send("p2", text("still there?"), vec!["ivy"]).await.error();
    assert_eq!(refused.code, ErrorCode::PrivateChatRestricted);
    assert!(refused.message.contains("only the hosts"), "{}", refused.message);
    let mixed = gus.send("p3", text("both of you"), vec!["hana", "ivy"]).await.error();
    assert_eq!(mixed.code, ErrorCode::PrivateChatRestricted, "every recipient must be a host");
    gus.send("p4", text("yes, go on"), vec!["hana"]).await.ack();
    gus.send_text("p5", "the meeting's conversation stays open").await.ack();
    assert_eq!(react(&mut gus, &to_ivy).await.error().code, ErrorCode::PrivateChatRestricted);
    react(&mut gus, &to_gus).await.ack();
    gus.typing(&["ivy"]).await;
    assert_eq!(gus.answer_to(None).await.error().code, ErrorCode::PrivateChatRestricted);
    gus.typing(&["hana"]).await;
    assert_eq!(host.next_typing().await.participant_id.as_str(), "gus");
    let host_writes = host.send("h2", text("hosts write to anyone"), vec!["ivy"]).await.ack();
    assert!(matches!(host_writes, AckResult::Sent { .. }));

    set_policies(&mut host, None, Some(PrivateChatPolicy::Nobody)).await;
    let refused = gus.send("p6", text("to the host"), vec!["hana"]).await.error();
    assert_eq!(refused.code, ErrorCode::PrivateChatRestricted);
    assert!(refused.message.contains("not message anyone"), "{}", refused.message);
    assert_eq!(react(&mut gus, &to_gus).await.error().code, ErrorCode::PrivateChatRestricted);
    gus.send_text("p7", "here is fine").await.ack();

    // A host who left is no longer someone to message under `hosts`.
    set_policies(&mut host, None, Some(PrivateChatPolicy::Hosts)).await;
    gus.send("p8", text("one more"), vec!["hana"]).await.ack();
    drop(host);
    while !gus.next_presence().await.left.iter().any(|id| id.as_str() == "hana") {}
    let refused = gus.send("p9", text("are you there?"), vec!["hana"]).await.error();
    assert_eq!(refused.code, ErrorCode::PrivateChatRestricted);
    assert!(ivy.all_history().await.iter().all(|m| m.client_id.as_str() != "p2"), "nothing refused was stored");
    server.stop().await;
}

async fn mute(host: &mut Client, who: &str, minutes: Option<u32>) -> Answer {
    host.request(|req_id| ClientFrame::Mute { req_id, participant_id: who.into(), minutes }).await
}

async fn unmute(host: &mut Client, who: &str) -> Answer {
    host.request(|req_id| ClientFrame::Unmute { req_id, participant_id: who.into() }).await
}

#[tokio::test]
async fn a_muted_participant_is_refused_with_until_others_are_not_told_and_an_unmute_lets_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let mut hugo = Client::connect(&server, "hugo", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let before = sent_id(&hana.send_text("h0", "welcome").await.ack());
    for client in [&mut hugo, &mut gus, &mut ivy] {
        client.next_event().await;
    }

    assert_eq!(mute(&mut gus, "ivy", None).await.error().code, ErrorCode::Forbidden, "hosts only");
    assert_eq!(mute(&mut hana, "hugo", None).await.error().code, ErrorCode::Forbidden, "never a host");
    assert_eq!(mute(&mut hana, "gus", Some(0)).await.error().code, ErrorCode::InvalidRequest);
    let started = chat_server::clock::now_ms();
    let AckResult::Done { seq: Some(seq) } = mute(&mut hana, "gus", Some(10)).await.ack() else { panic!("a seq") };

    let told = gus.next_event().await;
    let Event::ParticipantMuted { participant_id, until: Some(until), by } = told.event else { panic!("{told:?}") };
    assert_eq!((told.seq, participant_id.as_str(), by.as_str()), (seq, "gus", "hana"));
    assert!((started + 600_000..started + 605_000).contains(&until), "{until}");
    assert!(matches!(hugo.next_event().await.event, Event::ParticipantMuted { .. }), "every host is told");
    ivy.assert_no_event().await;

    let refused = gus.send_text("g1", "let me speak").await.error();
    assert_eq!((refused.code, refused.until), (ErrorCode::Muted, Some(until)));
    assert_eq!(react(&mut gus, &before).await.error().code, ErrorCode::Muted);
    gus.typing(&[]).await;
    assert_eq!(gus.answer_to(None).await.error().code, ErrorCode::Muted);
    let private = gus.send("g2", text("to the host then"), vec!["hana"]).await.error();
    assert_eq!(private.code, ErrorCode::Muted);
    ivy.send_text("i1", "others talk on").await.ack();

    // A reconnect is told in its welcome; a host's lists everyone muted; a resume replays it to gus only.
    let again = Client::connect(&server, "gus", Role::Participant).await;
    let ServerFrame::Welcome { muted, .. } = &again.welcome else { panic!("a welcome") };
    assert_eq!(
        muted.as_slice(),
        [chat_protocol::Mute { participant_id: "gus".into(), until: Some(until), removed: false }]
    );
    let host_again = Client::connect(&server, "hugo", Role::Host).await;
    let ServerFrame::Welcome { muted, .. } = &host_again.welcome else { panic!("a welcome") };
    assert_eq!(muted.len(), 1);
    let ivy_again = Client::connect(&server, "ivy", Role::Participant).await;
    let ServerFrame::Welcome { muted, .. } = &ivy_again.welcome else { panic!("a welcome") };
    assert!(muted.is_empty(), "others are not told");
    let token = token_for("ivy", Role::Participant);
    let mut resumed = Client::connect_token(&server, &token, Some(seq - 1)).await;
    let replayed = resumed.next_event().await;
    assert!(!matches!(replayed.event, Event::ParticipantMuted { .. }), "{replayed:?}");

    // The mute outlasts a restart; an unmute lifts it, and a second unmute changes nothing.
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    assert_eq!(gus.send_text("g3", "after the restart?").await.error().code, ErrorCode::Muted);
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    assert!(matches!(unmute(&mut hana, "gus").await.ack(), AckResult::Done { seq: Some(_) }));
    let Event::ParticipantUnmuted { participant_id, by } = gus.next_event().await.event else { panic!("unmuted") };
    assert_eq!((participant_id.as_str(), by.as_str()), ("gus", "hana"));
    gus.send_text("g4", "thank you").await.ack();
    assert_eq!(unmute(&mut hana, "gus").await.ack(), AckResult::Done { seq: None });
    assert_eq!(unmute(&mut gus, "ivy").await.error().code, ErrorCode::Forbidden);

    // Until unmuted: no `until`, and muting again replaces a mute for a time.
    mute(&mut hana, "gus", None).await.ack();
    let refused = gus.send_text("g5", "again?").await.error();
    assert_eq!((refused.code, refused.until), (ErrorCode::Muted, None));
    server.stop().await;
}

async fn remove(host: &mut Client, who: &str, delete_messages: bool) -> Answer {
    host.request(|req_id| ClientFrame::Remove { req_id, participant_id: who.into(), delete_messages }).await
}

/// The close code `who` is refused with, if refused.
async fn refused_at_the_door(server: &TestServer, who: &str) -> Option<u16> {
    refused_at(&server.ws_url(), &token_for(who, Role::Participant)).await
}

#[tokio::test]
async fn a_removed_participant_is_closed_refused_on_every_reconnect_and_their_messages_go_in_one_event() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut gus_phone = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let token = token_for("gus", Role::Participant);
    let picture = upload_ok(&server, &token, "spam.png", "image", png(8, 8)).await;
    gus.send("g1", NewContent::Image { file_id: picture.id.clone() }, vec![]).await.ack();
    gus.send_text("g2", "buy now").await.ack();
    gus.send("g3", text("psst, buy now"), vec!["ivy"]).await.ack();
    ivy.send_text("i1", "please stop").await.ack();
    let http = reqwest::Client::new();
    assert!(http.get(server.http_url(&picture.url)).send().await.unwrap().status().is_success());

    assert_eq!(remove(&mut ivy, "gus", true).await.error().code, ErrorCode::Forbidden, "hosts only");
    assert_eq!(remove(&mut hana, "hana", false).await.error().code, ErrorCode::Forbidden, "never a host");
    let AckResult::Done { seq: Some(seq) } = remove(&mut hana, "gus", true).await.ack() else { panic!("a seq") };

    // Both of gus's connections close with the removal's code.
    assert_eq!(expect_close(&mut gus.socket).await, Some(chat_protocol::close_code::REMOVED));
    assert_eq!(expect_close(&mut gus_phone.socket).await, Some(chat_protocol::close_code::REMOVED));
    // Everyone is told in one event, since the messages went for everyone.
    let told = loop {
        let envelope = ivy.next_event().await;
        if matches!(envelope.event, Event::ParticipantRemoved { .. }) {
            break envelope;
        }
    };
    let Event::ParticipantRemoved { participant_id, by, messages_deleted } = told.event else { unreachable!() };
    assert_eq!((told.seq, participant_id.as_str(), by.as_str(), messages_deleted), (seq, "gus", "hana", true));
    assert_eq!(ivy.events.len(), 5, "three messages, ivy's, the removal: no event per deleted message");
    let history = ivy.all_history().await;
    let of_gus: Vec<_> = history.iter().filter(|m| m.sender.id.as_str() == "gus").collect();
    assert_eq!(of_gus.len(), 3, "the private one to ivy too");
    assert!(of_gus.iter().all(|m| m.content == chat_protocol::Content::Deleted), "{of_gus:?}");
    assert!(history.iter().any(|m| m.client_id.as_str() == "i1" && text_of(m) == "please stop"));
    assert!(!http.get(server.http_url(&picture.url)).send().await.unwrap().status().is_success(), "its bytes went");

    // Refused at every reconnect, across a restart; a host's welcome lists the removal.
    assert_eq!(refused_at_the_door(&server, "gus").await, Some(chat_protocol::close_code::REMOVED));
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    assert_eq!(refused_at_the_door(&server, "gus").await, Some(chat_protocol::close_code::REMOVED));
    let mut hana = Client::connect(&server, "hana", Role::Host).await;
    let ServerFrame::Welcome { muted, .. } = &hana.welcome else { panic!("a welcome") };
    let removed = chat_protocol::Mute { participant_id: "gus".into(), until: None, removed: true };
    assert_eq!(muted.as_slice(), [removed]);

    // Letting back is an unmute: gus connects and speaks again.
    assert!(matches!(unmute(&mut hana, "gus").await.ack(), AckResult::Done { seq: Some(_) }));
    assert_eq!(refused_at_the_door(&server, "gus").await, None);
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    gus.send_text("g4", "sorry").await.ack();

    // Removed without their messages: only gus and the hosts hear of it, and the messages stay.
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    remove(&mut hana, "gus", false).await.ack();
    assert_eq!(expect_close(&mut gus.socket).await, Some(chat_protocol::close_code::REMOVED));
    ivy.assert_no_event().await;
    assert!(ivy.all_history().await.iter().any(|m| m.client_id.as_str() == "g4" && text_of(m) == "sorry"));

    // Removed while away, someone who comes back as a host is not held out: hosts never are.
    remove(&mut hana, "hugo", false).await.ack();
    let hugo = Client::connect(&server, "hugo", Role::Host).await;
    assert!(matches!(hugo.welcome, ServerFrame::Welcome { .. }));
    server.stop().await;
}
