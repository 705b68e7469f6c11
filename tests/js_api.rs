//! The JS API in headless Chromium against the real server: two (or three)
//! clients in one meeting, every operation, privacy, pages, uploads, a drop
//! mid-send and a reload with an unsent message.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Array;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn every_kind_of_message_reaches_the_other_participant() {
    let meeting = unique_meeting("kinds");
    let ann = connect("Ann", &meeting, "host").await;
    let bob = connect("Bob", &meeting, "participant").await;
    assert_eq!(text(&ann, "connectionState"), "connected");
    assert_eq!(text(&bob, "selfId"), "dev-bob");

    let sent =
        call_async(&ann, "sendTextMessage", &["Is this the real life?".into(), JsValue::UNDEFINED]).await.unwrap();
    assert_eq!(text(&sent, "type"), "text");
    assert_eq!(text(&sent, "status"), "sent");
    call_async(&ann, "sendImageMessage", &[file(&PNG, "dot.png", "image/png"), JsValue::UNDEFINED]).await.unwrap();
    call_async(&ann, "sendFileMessage", &[file(b"minutes", "notes.txt", "text/plain"), JsValue::UNDEFINED])
        .await
        .unwrap();
    call_async(&ann, "sendAudioMessage", &[file(&wav(), "memo.wav", "audio/wav"), JsValue::UNDEFINED]).await.unwrap();
    let via_send_message = options(&[("type", "text".into()), ("message", "generic".into())]);
    call_async(&ann, "sendMessage", &[via_send_message]).await.unwrap();

    until("bob has all five", || messages(&bob).len() == 5).await;
    let received = messages(&bob);
    let kinds: Vec<String> = received.iter().map(|m| text(m, "type")).collect();
    assert_eq!(kinds, ["text", "image", "file", "audio", "text"]);
    assert_eq!(text(&received[0], "message"), "Is this the real life?");
    assert_eq!(text(&received[0], "userId"), "dev-ann");
    assert_eq!(text(&received[0], "displayName"), "Ann");
    assert!(prop(&received[0], "time").is_instance_of::<js_sys::Date>());
    assert_eq!(prop(&received[1], "width").as_f64(), Some(2.0));
    assert!(text(&received[1], "link").starts_with("http://127.0.0.1"));
    assert!(!text(&received[1], "blurhash").is_empty());
    assert_eq!(text(&received[2], "name"), "notes.txt");
    assert_eq!(prop(&received[2], "size").as_f64(), Some(7.0));
    let by_type = call(&bob, "getMessagesByType", &["image".into()]).unwrap();
    assert_eq!(Array::from(&by_type).length(), 1);
    let by_user = call(&bob, "getMessagesByUser", &["dev-ann".into()]).unwrap();
    assert_eq!(Array::from(&by_user).length(), 5);
    let csv = call(&bob, "exportCsv", &[]).unwrap().as_string().unwrap();
    assert!(csv.starts_with(
        "id,participantId,sessionId,meetingId,displayName,pinned,isEdited,payloadType,payload,createdAt\n"
    ));
    assert_eq!(csv.lines().count(), 6);
}

#[wasm_bindgen_test]
async fn edits_and_deletes_for_everyone_and_for_me() {
    let meeting = unique_meeting("edits");
    let ann = connect("Ann", &meeting, "participant").await;
    let bob = connect("Bob", &meeting, "participant").await;
    let deletes = record(&bob, "deleteMessage");
    let updates = record(&bob, "chatUpdate");
    let first = call_async(&ann, "sendTextMessage", &["teh typo".into(), JsValue::UNDEFINED]).await.unwrap();
    let second = call_async(&ann, "sendTextMessage", &["keep for ann".into(), JsValue::UNDEFINED]).await.unwrap();
    let (first_id, second_id) = (text(&first, "id"), text(&second, "id"));
    until("bob sees both", || messages(&bob).len() == 2).await;

    let refused = call_async(&bob, "editTextMessage", &[first_id.clone().into(), "hijack".into()]).await.unwrap_err();
    assert_eq!(error_code(&refused), "forbidden");
    assert!(refused.is_instance_of::<js_sys::Error>());
    call_async(&ann, "editTextMessage", &[first_id.clone().into(), "the fix".into()]).await.unwrap();
    until("bob sees the edit", || texts(&bob)[0] == "the fix").await;
    assert_eq!(prop(&messages(&bob)[0], "isEdited"), JsValue::TRUE);
    assert!(updates.borrow().iter().any(|u| text(u, "action") == "edit"));

    call_async(&ann, "deleteMessage", &[first_id.clone().into(), JsValue::UNDEFINED]).await.unwrap();
    until("bob sees the tombstone", || text(&messages(&bob)[0], "type") == "deleted").await;
    assert_eq!(text(&deletes.borrow()[0], "messageId"), first_id);

    call_async(&bob, "deleteMessage", &[second_id.clone().into(), options(&[("forMe", true.into())])]).await.unwrap();
    until("bob no longer has it", || messages(&bob).len() == 1).await;
    assert_eq!(prop(&deletes.borrow()[1], "forMe"), JsValue::TRUE);
    sleep(200).await;
    assert_eq!(messages(&ann).len(), 2, "deleting for me leaves the others' view alone");
}

#[wasm_bindgen_test]
async fn pins_raise_events_and_need_the_right() {
    let meeting = unique_meeting("pins");
    let host = connect("Hana", &meeting, "host").await;
    let guest = connect("Gus", &meeting, "participant").await;
    let pins = record(&guest, "pinMessage");
    let unpins = record(&guest, "unpinMessage");
    let sent = call_async(&guest, "sendTextMessage", &["agenda".into(), JsValue::UNDEFINED]).await.unwrap();
    let id: JsValue = text(&sent, "id").into();
    assert_eq!(prop(&guest, "canPin"), JsValue::FALSE);
    assert_eq!(error_code(&call_async(&guest, "pin", std::slice::from_ref(&id)).await.unwrap_err()), "forbidden");
    until("host sees it", || messages(&host).len() == 1).await;
    call_async(&host, "pin", std::slice::from_ref(&id)).await.unwrap();
    until("the guest hears of the pin", || pins.borrow().len() == 1).await;
    assert_eq!(Array::from(&prop(&guest, "pinned")).length(), 1);
    call_async(&host, "unpin", &[id]).await.unwrap();
    until("the guest hears of the unpin", || unpins.borrow().len() == 1).await;
    assert_eq!(Array::from(&prop(&guest, "pinned")).length(), 0);
}

#[wasm_bindgen_test]
async fn a_private_message_never_reaches_a_third_client() {
    let meeting = unique_meeting("private");
    let ann = connect("Ann", &meeting, "participant").await;
    let bob = connect("Bob", &meeting, "participant").await;
    let cat = connect("Cat", &meeting, "host").await;
    let to_bob = options(&[("targetUserIds", Array::of1(&"dev-bob".into()).into())]);
    call_async(&ann, "sendTextMessage", &["psst".into(), to_bob]).await.unwrap();
    call_async(&ann, "sendTextMessage", &["hello all".into(), JsValue::UNDEFINED]).await.unwrap();
    until("bob has both", || messages(&bob).len() == 2).await;
    until("cat has the public one", || messages(&cat).len() == 1).await;
    sleep(200).await;
    assert_eq!(texts(&cat), ["hello all"]);
    assert_eq!(prop(&messages(&bob)[0], "isPrivate"), JsValue::TRUE);
    let late = connect("Cat", &meeting, "host").await;
    assert_eq!(texts(&late), ["hello all"], "not in history either");
}

#[wasm_bindgen_test]
async fn older_messages_come_page_by_page() {
    let meeting = unique_meeting("pages");
    let ann = connect("Ann", &meeting, "participant").await;
    for i in 0..120 {
        call_async(&ann, "sendTextMessage", &[format!("m{i}").into(), JsValue::UNDEFINED]).await.unwrap();
    }
    let bob = connect("Bob", &meeting, "participant").await;
    assert_eq!(messages(&bob).len(), 50, "joining loads the newest page");
    assert_eq!(texts(&bob)[0], "m70");
    let page = call_async(&bob, "getMessages", &[options(&[("pageSize", 30.into())])]).await.unwrap();
    let data: Vec<String> = Array::from(&prop(&page, "data")).iter().map(|m| text(&m, "text")).collect();
    assert_eq!(data.first().map(String::as_str), Some("m90"));
    assert_eq!(data.len(), 30);
    let mut page = page;
    let mut seen = data.len();
    while prop(&page, "hasNext") == JsValue::TRUE {
        page = call_async(&page, "nextPage", &[]).await.unwrap();
        seen += Array::from(&prop(&page, "data")).length() as usize;
    }
    assert_eq!(seen, 120);
    assert_eq!(texts(&bob)[0], "m0");
    assert_eq!(messages(&bob).len(), 120);
}

#[wasm_bindgen_test]
async fn uploads_report_progress_and_can_be_cancelled() {
    let meeting = unique_meeting("uploads");
    let ann = connect("Ann", &meeting, "participant").await;
    let progress = std::rc::Rc::new(std::cell::RefCell::new(Vec::<(f64, f64)>::new()));
    let sink = std::rc::Rc::clone(&progress);
    let on_progress = wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |p: JsValue| {
        sink.borrow_mut().push((prop(&p, "loaded").as_f64().unwrap(), prop(&p, "total").as_f64().unwrap()));
    });
    let big = vec![b'x'; 3 * 1024 * 1024];
    let opts = options(&[("onProgress", on_progress.as_ref().clone())]);
    call_async(&ann, "sendFileMessage", &[file(&big, "big.bin", "application/octet-stream"), opts]).await.unwrap();
    let last = *progress.borrow().last().expect("progress was reported");
    assert_eq!(last, (big.len() as f64, big.len() as f64));

    let controller = web_sys::AbortController::new().unwrap();
    let opts = options(&[("signal", controller.signal().into())]);
    let pending =
        call(&ann, "sendFileMessage", &[file(&big, "cancelled.bin", "application/octet-stream"), opts]).unwrap();
    until("the upload shows", || messages(&ann).iter().any(|m| text(m, "status") == "uploading")).await;
    controller.abort();
    let error = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(pending)).await.unwrap_err();
    assert_eq!(error_code(&error), "upload_failed");
    let failed = messages(&ann).into_iter().find(|m| text(m, "name") == "cancelled.bin").unwrap();
    assert_eq!(text(&failed, "status"), "failed");
    call(&ann, "discardMessage", &[prop(&failed, "clientId")]).unwrap();
    assert_eq!(messages(&ann).len(), 1);

    let not_image =
        call_async(&ann, "sendImageMessage", &[file(b"<svg></svg>", "x.png", "image/png"), JsValue::UNDEFINED])
            .await
            .unwrap_err();
    assert_eq!(error_code(&not_image), "upload_failed");
    drop(on_progress);
}

#[wasm_bindgen_test]
async fn a_drop_mid_send_delivers_the_message_exactly_once() {
    let meeting = unique_meeting("drop");
    let ann = connect("Ann", &meeting, "participant").await;
    let bob = connect("Bob", &meeting, "participant").await;
    let states = record(&ann, "connectionStateChange");
    let pending = call(&ann, "sendTextMessage", &["survives the drop".into(), JsValue::UNDEFINED]).unwrap();
    call(&ann, "reconnect", &[]).unwrap();
    let sent = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(pending)).await.unwrap();
    assert_eq!(text(&sent, "status"), "sent");
    until("bob has it", || texts(&bob).contains(&"survives the drop".to_owned())).await;
    sleep(300).await;
    let copies = texts(&bob).iter().filter(|t| *t == "survives the drop").count();
    assert_eq!(copies, 1);
    assert_eq!(texts(&ann), ["survives the drop"]);
    assert!(states.borrow().iter().any(|s| text(s, "state") == "connected"));
}

#[wasm_bindgen_test]
async fn an_unsent_message_survives_a_reload() {
    let meeting = unique_meeting("reload");
    let key = format!("test-outbox-{meeting}");
    let bob = connect("Bob", &meeting, "participant").await;
    let ann_token = token("Ann", &meeting, "participant").await;
    let before_reload = connect_with(ann_token.clone(), Some(&key)).await;
    call(&before_reload, "disconnect", &[]).unwrap();
    sleep(50).await;
    // Typed while offline: shown as pending and saved, never sent by this page.
    let _never_settled =
        call(&before_reload, "sendTextMessage", &["typed offline".into(), JsValue::UNDEFINED]).unwrap();
    assert_eq!(text(&messages(&before_reload)[0], "status"), "pending");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert!(storage.get_item(&key).unwrap().is_some_and(|s| s.contains("typed offline")));

    // The page reloads: a new chat on the same storage delivers it.
    let after_reload = connect_with(ann_token, Some(&key)).await;
    until("bob receives it", || texts(&bob) == ["typed offline"]).await;
    until("the outbox empties", || storage.get_item(&key).unwrap().is_none()).await;
    until("ann sees it sent", || messages(&after_reload).iter().any(|m| text(m, "status") == "sent")).await;
}

#[wasm_bindgen_test]
async fn bad_arguments_are_errors_with_codes() {
    let meeting = unique_meeting("args");
    let ann = connect("Ann", &meeting, "participant").await;
    let error = call(&ann, "on", &["noSuchEvent".into(), js_sys::Function::new_no_args("").into()]).unwrap_err();
    assert_eq!(error_code(&error), "invalid_argument");
    let error = call(&ann, "sendImageMessage", &["not a file".into(), JsValue::UNDEFINED]).unwrap_err();
    assert_eq!(error_code(&error), "invalid_argument");
    let error = call_async(&ann, "sendTextMessage", &["x".repeat(4_001).into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&error), "text_too_long");
    let bad = MeetingChat_connect_without_token();
    assert_eq!(error_code(&bad), "invalid_argument");
    let refused = wasm_bindgen_futures::JsFuture::from(
        meeting_chat::js_api::MeetingChat::connect(options(&[("url", server().into()), ("token", "forged".into())]))
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(error_code(&refused), "auth_failed");
}

#[allow(non_snake_case)]
fn MeetingChat_connect_without_token() -> JsValue {
    meeting_chat::js_api::MeetingChat::connect(options(&[("url", server().into())])).unwrap_err()
}

#[wasm_bindgen_test]
async fn a_bots_messages_say_so_and_a_persons_do_not() {
    let meeting = unique_meeting("bots");
    let ann = connect("Ann", &meeting, "participant").await;
    let helper = connect("Helper", &meeting, "bot").await;
    call_async(&helper, "sendTextMessage", &["beep".into(), JsValue::UNDEFINED]).await.unwrap();
    call_async(&ann, "sendTextMessage", &["hi".into(), JsValue::UNDEFINED]).await.unwrap();
    until("ann has both", || messages(&ann).len() == 2).await;
    let [bot, person] = &messages(&ann)[..] else { panic!("two messages") };
    assert_eq!(prop(bot, "isBot"), JsValue::TRUE);
    assert_eq!(prop(person, "isBot"), JsValue::UNDEFINED, "a person's message has no isBot");
}

#[wasm_bindgen_test]
async fn a_webinar_is_set_searched_and_refuses_before_a_round_trip() {
    let meeting = unique_meeting("webinar");
    let host = connect("Hana", &meeting, "host").await;
    let guest = connect("Gus", &meeting, "participant").await;
    let _third = connect("Gwen", &meeting, "participant").await;
    until("everyone is counted", || prop(&guest, "participantCount").as_f64() == Some(3.0)).await;

    let found = call_async(&guest, "searchParticipants", &[options(&[("query", "gw".into())])]).await.unwrap();
    let people = Array::from(&prop(&found, "participants"));
    assert_eq!((people.length(), text(&people.get(0), "displayName")), (1, "Gwen".to_owned()));
    assert_eq!(prop(&found, "count").as_f64(), Some(3.0));
    let bad = call(&guest, "searchParticipants", &[options(&[("limit", 501.into())])]).unwrap_err();
    assert_eq!(error_code(&bad), "invalid_argument");

    let refused = call_async(&guest, "updateSettings", &[options(&[("whoCanSend", "hosts".into())])]).await;
    assert_eq!(error_code(&refused.unwrap_err()), "forbidden");
    let bad = call(&host, "updateSettings", &[options(&[("whoCanSend", "hostsOnly".into())])]).unwrap_err();
    assert_eq!(error_code(&bad), "invalid_argument");
    let bad = call(&host, "updateSettings", &[options(&[("privateChat", "some".into())])]).unwrap_err();
    assert_eq!(error_code(&bad), "invalid_argument");
    call_async(&host, "updateSettings", &[options(&[("whoCanSend", "hosts".into())])]).await.unwrap();
    until("the guest hears of it", || text(&prop(&guest, "settings"), "whoCanSend") == "hosts").await;
    assert_eq!(text(&prop(&guest, "sendStatus"), "reason"), "hosts_only");
    let hushed = call_async(&guest, "sendTextMessage", &["may I?".into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&hushed), "hosts_only");
    assert!(messages(&guest).is_empty(), "nothing was queued");

    let slow = options(&[("whoCanSend", "everyone".into()), ("slowModeSecs", 30.into())]);
    call_async(&host, "updateSettings", &[slow]).await.unwrap();
    until("the guest may talk", || prop(&prop(&guest, "sendStatus"), "canSend") == JsValue::TRUE).await;
    call_async(&guest, "sendTextMessage", &["first".into(), JsValue::UNDEFINED]).await.unwrap();
    let status = prop(&guest, "sendStatus");
    assert_eq!(text(&status, "reason"), "slow_mode");
    assert!(prop(&status, "retryAfterMs").as_f64().is_some_and(|ms| ms > 25_000.0));
    let slowed = call_async(&guest, "sendTextMessage", &["second".into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&slowed), "slow_mode");
    call_async(&host, "sendTextMessage", &["hosts are not slowed".into(), JsValue::UNDEFINED]).await.unwrap();

    // The chat off, then private messages to hosts only: each refused before a round trip.
    call_async(&host, "updateSettings", &[options(&[("whoCanSend", "nobody".into())])]).await.unwrap();
    until("the chat is off", || text(&prop(&guest, "sendStatus"), "reason") == "chat_off").await;
    let off = call_async(&guest, "sendTextMessage", &["hello?".into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&off), "chat_off");
    let private =
        options(&[("whoCanSend", "everyone".into()), ("slowModeSecs", 0.into()), ("privateChat", "hosts".into())]);
    call_async(&host, "updateSettings", &[private]).await.unwrap();
    until("only hosts take private messages", || text(&prop(&guest, "settings"), "privateChat") == "hosts").await;
    let to_gwen = options(&[("targetUserIds", Array::of1(&"dev-gwen".into()).into())]);
    let refused = call_async(&guest, "sendTextMessage", &["psst".into(), to_gwen]).await.unwrap_err();
    assert_eq!(error_code(&refused), "private_chat_restricted");
    let to_hana = options(&[("targetUserIds", Array::of1(&"dev-hana".into()).into())]);
    call_async(&guest, "sendTextMessage", &["a question".into(), to_hana]).await.unwrap();
}

/// Hana (a host), Gus and Gwen in `meeting`, once Hana counts all three.
async fn hana_gus_and_gwen(meeting: &str) -> (JsValue, JsValue, JsValue) {
    let host = connect("Hana", meeting, "host").await;
    let guest = connect("Gus", meeting, "participant").await;
    let other = connect("Gwen", meeting, "participant").await;
    until("everyone is here", || prop(&host, "participantCount").as_f64() == Some(3.0)).await;
    (host, guest, other)
}

#[wasm_bindgen_test]
async fn a_host_mutes_a_participant_who_hears_of_it_and_is_refused_until_unmuted() {
    let meeting = unique_meeting("mute");
    let (host, guest, other) = hana_gus_and_gwen(&meeting).await;
    let heard = record(&guest, "mutesUpdate");

    let refused = call_async(&guest, "muteInChat", &["dev-gwen".into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&refused), "forbidden");
    let too_long = call(&host, "muteInChat", &["dev-gus".into(), options(&[("minutes", 1441.into())])]).unwrap_err();
    assert_eq!(error_code(&too_long), "invalid_argument");
    call_async(&host, "muteInChat", &["dev-gus".into(), options(&[("minutes", 10.into())])]).await.unwrap();
    until("gus hears of it", || heard.borrow().len() == 1).await;
    let mutes = Array::from(&prop(&guest, "mutes"));
    assert_eq!((mutes.length(), text(&mutes.get(0), "participantId")), (1, "dev-gus".to_owned()));
    let until_ms = prop(&mutes.get(0), "until").as_f64().expect("a mute for a time says until when");
    assert!(until_ms > js_sys::Date::now() + 590_000.0, "{until_ms}");
    until("the host lists it", || Array::from(&prop(&host, "mutes")).length() == 1).await;
    assert_eq!(Array::from(&prop(&other, "mutes")).length(), 0, "others are not told");

    let status = prop(&guest, "sendStatus");
    assert_eq!((text(&status, "reason"), prop(&status, "until").as_f64()), ("muted".to_owned(), Some(until_ms)));
    let hushed = call_async(&guest, "sendTextMessage", &["let me in".into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&hushed), "muted");
    assert!(messages(&guest).is_empty(), "nothing was queued");

    call_async(&host, "unmuteInChat", &["dev-gus".into()]).await.unwrap();
    until("gus is free again", || Array::from(&prop(&guest, "mutes")).length() == 0).await;
    assert_eq!(heard.borrow().len(), 2);
    call_async(&guest, "sendTextMessage", &["thank you".into(), JsValue::UNDEFINED]).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_host_removes_a_participant_whose_messages_go_everywhere_and_who_stays_out_until_let_back() {
    let meeting = unique_meeting("remove");
    let (host, guest, other) = hana_gus_and_gwen(&meeting).await;
    call_async(&guest, "sendTextMessage", &["buy now".into(), JsValue::UNDEFINED]).await.unwrap();
    until("gwen sees Gus's message", || messages(&other).len() == 1).await;

    let refused = call_async(&guest, "removeFromChat", &["dev-gwen".into(), JsValue::UNDEFINED]).await.unwrap_err();
    assert_eq!(error_code(&refused), "forbidden");
    let delete = options(&[("deleteMessages", true.into())]);
    call_async(&host, "removeFromChat", &["dev-gus".into(), delete]).await.unwrap();
    until("gus is out", || text(&guest, "connectionState") == "removed").await;
    until("gwen sees a tombstone", || prop(&messages(&other)[0], "isDeleted").as_bool() == Some(true)).await;
    until("the host lists the removal", || Array::from(&prop(&host, "mutes")).length() == 1).await;
    assert_eq!(prop(&Array::from(&prop(&host, "mutes")).get(0), "removed").as_bool(), Some(true));
    let dropped = call_async(&guest, "sendTextMessage", &["still here?".into(), JsValue::UNDEFINED]).await;
    assert!(dropped.is_err(), "a removed participant's client sends nothing");

    call_async(&host, "unmuteInChat", &["dev-gus".into()]).await.unwrap();
    let back = connect("Gus", &meeting, "participant").await;
    call_async(&back, "sendTextMessage", &["sorry".into(), JsValue::UNDEFINED]).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_participant_reports_a_message_that_the_host_sees_and_dismisses() {
    let meeting = unique_meeting("report");
    let (host, guest, other) = hana_gus_and_gwen(&meeting).await;
    call_async(&guest, "sendTextMessage", &["buy now".into(), JsValue::UNDEFINED]).await.unwrap();
    until("gwen sees Gus's message", || messages(&other).len() == 1).await;
    let id = text(&messages(&other)[0], "id");
    let heard = record(&host, "reportsUpdate");

    let own = call_async(&guest, "reportMessage", &[id.clone().into(), "mine".into()]).await.unwrap_err();
    assert_eq!(error_code(&own), "invalid_request");
    call_async(&other, "reportMessage", &[id.clone().into(), "spam".into()]).await.unwrap();
    until("the host hears of it", || heard.borrow().len() == 1).await;
    let reports = Array::from(&prop(&host, "reports"));
    assert_eq!((text(&reports.get(0), "messageId"), text(&reports.get(0), "by")), (id.clone(), "dev-gwen".to_owned()));
    assert_eq!(text(&reports.get(0), "reason"), "spam");
    until("gwen has hers", || Array::from(&prop(&other, "reports")).length() == 1).await;
    assert_eq!(Array::from(&prop(&guest, "reports")).length(), 0, "the reported is not told");

    let refused = call_async(&other, "dismissReports", &[id.clone().into()]).await.unwrap_err();
    assert_eq!(error_code(&refused), "forbidden");
    call_async(&host, "dismissReports", &[id.into()]).await.unwrap();
    until("the host's list empties", || Array::from(&prop(&host, "reports")).length() == 0).await;
}

/// `chat.polls.items`.
fn poll_items(chat: &JsValue) -> Array {
    Array::from(&prop(&prop(chat, "polls"), "items"))
}

/// Each option's count of a chat's first poll.
fn first_poll_counts(chat: &JsValue) -> Vec<f64> {
    let options = Array::from(&prop(&poll_items(chat).get(0), "options"));
    options.iter().map(|option| prop(&option, "count").as_f64().unwrap_or(-1.0)).collect()
}

#[wasm_bindgen_test]
async fn a_host_asks_a_poll_that_everyone_answers_once_with_counts_for_all() {
    let meeting = unique_meeting("polls");
    let (host, guest, other) = hana_gus_and_gwen(&meeting).await;
    let guest_polls = prop(&guest, "polls");
    let heard = record(&guest_polls, "pollsUpdate");
    assert_eq!(
        error_code(&call(&guest_polls, "on", &["message".into(), JsValue::NULL]).unwrap_err()),
        "invalid_argument"
    );
    let choices = |texts: &[&str]| JsValue::from(texts.iter().map(|t| JsValue::from(*t)).collect::<Array>());

    let refused = call_async(&guest_polls, "create", &["Lunch?".into(), choices(&["a", "b"])]).await.unwrap_err();
    assert_eq!(error_code(&refused), "forbidden", "refused before a round trip");
    let host_polls = prop(&host, "polls");
    let one = call_async(&host_polls, "create", &["Lunch?".into(), choices(&["only"])]).await.unwrap_err();
    assert_eq!(error_code(&one), "invalid_request");
    let bad = call(&host_polls, "create", &["Lunch?".into(), "not a list".into()]).unwrap_err();
    assert_eq!(error_code(&bad), "invalid_argument");
    call_async(&host_polls, "create", &["Lunch?".into(), choices(&["Noodles", "Salad"])]).await.unwrap();
    until("gus hears of the new poll", || {
        heard.borrow().iter().any(|payload| prop(payload, "newPoll").as_bool() == Some(true))
    })
    .await;
    let poll = poll_items(&guest).get(0);
    assert_eq!((text(&poll, "question"), text(&poll, "createdBy")), ("Lunch?".to_owned(), "Hana".to_owned()));
    let id = text(&poll, "id");

    call_async(&guest_polls, "vote", &[id.clone().into(), 1.into()]).await.unwrap();
    let voted = Array::from(&prop(&poll_items(&guest).get(0), "voted"));
    assert_eq!(voted.get(0).as_string().as_deref(), Some("dev-gus"), "gus's own vote, at once");
    let again = call_async(&guest_polls, "vote", &[id.clone().into(), 0.into()]).await.unwrap_err();
    assert_eq!(error_code(&again), "already_voted", "refused before a round trip");
    let missing = call_async(&prop(&other, "polls"), "vote", &[id.clone().into(), 5.into()]).await.unwrap_err();
    assert_eq!(error_code(&missing), "invalid_request");
    let half = call(&prop(&other, "polls"), "vote", &[id.clone().into(), 0.5.into()]).unwrap_err();
    assert_eq!(error_code(&half), "invalid_argument");
    until("everyone sees the count", || {
        [&host, &guest, &other].iter().all(|chat| first_poll_counts(chat) == [0.0, 1.0])
    })
    .await;
    let salad = Array::from(&prop(&poll_items(&other).get(0), "options")).get(1);
    assert_eq!(text(&Array::from(&prop(&salad, "votes")).get(0), "name"), "Gus", "who voted, by name");

    call_async(&host_polls, "close", &[id.clone().into()]).await.unwrap();
    until("gwen sees it closed", || prop(&poll_items(&other).get(0), "closed").as_bool() == Some(true)).await;
    let late = call_async(&prop(&other, "polls"), "vote", &[id.into(), 0.into()]).await.unwrap_err();
    assert_eq!(error_code(&late), "poll_closed");
}
