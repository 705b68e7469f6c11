//! Component tests in headless Chromium: the whole panel mounted on a page,
//! fed frames exactly as the socket would, and read back from the DOM.

use std::rc::Rc;

use chat_core::Input;
use chat_protocol::{
    Content, ErrorCode, ErrorFrame, Event, RateBucket, Reaction, ServerFrame, TypingCrowd, TypingNotice,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlSelectElement};

use crate::app::{ChatPanel, ChatPanelProps};
use crate::client::ChatClient;
use crate::locale::{shipped, Locale};
use crate::test_support::{client_with, deliver, deliver_message, numbered, FIRST_MESSAGE_AT};

wasm_bindgen_test_configure!(run_in_browser);

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Lets yew render and the list measure and re-render.
async fn settle() {
    for _ in 0..5 {
        next_frame().await;
    }
}

/// A panel mounted in a 640 px tall host, with the package's stylesheet.
struct Mounted {
    host: HtmlElement,
    app: Option<yew::AppHandle<ChatPanel>>,
    client: ChatClient,
}

impl Mounted {
    async fn new(client: ChatClient, locale: Locale) -> Self {
        let document = document();
        if document.get_element_by_id("mc-test-style").is_none() {
            let style = document.create_element("style").expect("style");
            style.set_id("mc-test-style");
            style.set_text_content(Some(include_str!("../../www/meeting-chat.css")));
            document.head().expect("head").append_child(&style).expect("append");
        }
        let host: HtmlElement = document.create_element("div").expect("div").unchecked_into();
        host.set_attribute("style", "height:640px;width:400px;display:flex").expect("style");
        document.body().expect("body").append_child(&host).expect("append");
        let props = ChatPanelProps { client: client.clone(), locale: Rc::new(locale), title: None };
        let app = yew::Renderer::<ChatPanel>::with_root_and_props(host.clone().into(), props).render();
        settle().await;
        Self { host, app: Some(app), client }
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.host.query_selector(selector).expect("a valid selector")
    }

    fn count(&self, selector: &str) -> u32 {
        self.host.query_selector_all(selector).expect("a valid selector").length()
    }

    fn text(&self) -> String {
        self.host.text_content().unwrap_or_default()
    }

    fn list(&self) -> Element {
        self.find(".mc-list").expect("the list")
    }

    /// Scrolls the list to its middle and lets it settle.
    async fn scroll_to_middle(&self) -> Element {
        let list = self.list();
        list.set_scroll_top(list.scroll_height() / 2);
        settle().await;
        list
    }

    fn distance_from_bottom(&self) -> i32 {
        let list = self.list();
        list.scroll_height() - list.client_height() - list.scroll_top()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.host.remove();
    }
}

#[wasm_bindgen_test]
async fn the_list_is_a_polite_log_with_a_small_dom_and_starts_at_the_newest() {
    let panel = Mounted::new(client_with(5_000), Locale::default()).await;
    let list = panel.list();
    assert_eq!(list.get_attribute("role").as_deref(), Some("log"));
    assert_eq!(list.get_attribute("aria-live").as_deref(), Some("polite"));
    let rows = panel.count("[data-row]");
    assert!((5..60).contains(&rows), "{rows} rows rendered of 5,000");
    assert!(panel.text().contains("message number 5000"));
    assert!(panel.distance_from_bottom() < 48, "the list starts at the bottom");

    deliver(&panel.client, 5_001);
    settle().await;
    assert!(panel.text().contains("message number 5001"));
    assert!(panel.distance_from_bottom() < 48, "and sticks there as messages arrive");
    assert_eq!(panel.count(".mc-new-messages"), 0);
}

#[wasm_bindgen_test]
async fn a_reader_who_scrolled_up_keeps_the_place_and_gets_a_new_messages_button() {
    let panel = Mounted::new(client_with(400), Locale::default()).await;
    let list = panel.scroll_to_middle().await;
    let place = list.scroll_top();
    let first_row = panel.find("[data-row]").and_then(|r| r.get_attribute("data-row"));

    deliver(&panel.client, 401);
    deliver(&panel.client, 402);
    settle().await;
    assert_eq!(list.scroll_top(), place, "no jump");
    assert_eq!(panel.find("[data-row]").and_then(|r| r.get_attribute("data-row")), first_row);
    let button: HtmlElement = panel.find(".mc-new-messages").expect("the new messages button").unchecked_into();
    assert!(button.text_content().unwrap_or_default().contains("New messages"));

    button.click();
    settle().await;
    assert!(panel.distance_from_bottom() < 48, "the button goes to the newest");
    assert!(panel.text().contains("message number 402"));
    assert_eq!(panel.count(".mc-new-messages"), 0);
}

#[wasm_bindgen_test]
async fn text_is_never_html_and_only_http_links_are_links() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let mut message = numbered(1);
    message.content = Content::Text {
        text: "<img src=x onerror=alert(1)> javascript:alert(1) see https://example.com/a?b=1 now".into(),
    };
    deliver_message(&panel.client, message);
    settle().await;
    let text = panel.find(".mc-text").expect("the text");
    assert_eq!(text.query_selector("img").expect("query"), None, "markup is shown, not parsed");
    assert!(text.text_content().unwrap_or_default().contains("<img src=x onerror=alert(1)>"));
    let links = text.query_selector_all("a").expect("query");
    assert_eq!(links.length(), 1, "javascript: is not a link");
    let link: Element = links.item(0).expect("a link").unchecked_into();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://example.com/a?b=1"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
}

#[wasm_bindgen_test]
async fn markdown_becomes_elements_and_hostile_markdown_stays_text() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let mut message = numbered(1);
    message.content = Content::Text {
        text: "**bold <b>x</b>** _it_ `<script>`\n- [docs](https://example.com)\n- [evil](javascript:alert(1))\n\n\
               > quoted <img src=x onerror=alert(1)>\n```\n<iframe src=https://evil>\n```"
            .into(),
    };
    deliver_message(&panel.client, message);
    settle().await;
    let text = panel.find(".mc-text").expect("the text");
    let inner = |selector: &str| text.query_selector(selector).expect("query").and_then(|e| e.text_content());
    assert_eq!(inner("strong").as_deref(), Some("bold <b>x</b>"));
    assert_eq!(inner("em").as_deref(), Some("it"));
    assert_eq!(inner("p > code").as_deref(), Some("<script>"));
    assert_eq!(inner("ul > li:nth-child(2)").as_deref(), Some("[evil](javascript:alert(1))"));
    assert_eq!(inner("blockquote").as_deref(), Some("quoted <img src=x onerror=alert(1)>"));
    assert_eq!(inner("pre code").as_deref(), Some("<iframe src=https://evil>"));
    for markup in ["b", "script", "img", "iframe"] {
        assert_eq!(text.query_selector(markup).expect("query"), None, "no <{markup}> from user text");
    }
    let links = text.query_selector_all("a").expect("query");
    assert_eq!(links.length(), 1, "only the https link");
    let link: Element = links.item(0).expect("a link").unchecked_into();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://example.com"));
    assert_eq!(link.text_content().as_deref(), Some("docs"));
}

#[wasm_bindgen_test]
async fn who_is_typing_shows_above_the_composer_until_their_message_and_typing_tells_the_others() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let notice = |from: &str, name: &str, targets: &[&str]| {
        Input::Frame(ServerFrame::Typing(TypingNotice {
            participant_id: from.into(),
            display_name: name.into(),
            targets: targets.iter().map(|t| (*t).into()).collect(),
        }))
    };
    let line = || panel.find(".mc-typing").and_then(|e| e.text_content()).unwrap_or_default();
    assert_eq!(line(), "");
    panel.client.feed(notice("user1", "User 1", &[]));
    panel.client.feed(notice("bob", "Bob", &["me"]));
    settle().await;
    assert_eq!(line(), "User 1 is typing…", "Bob types in the private conversation, not this one");
    panel.client.feed(notice("user2", "User 2", &[]));
    settle().await;
    assert_eq!(line(), "User 1 and User 2 are typing…");
    deliver(&panel.client, 1);
    settle().await;
    assert_eq!(line(), "User 2 is typing…", "User 1's message ends their notice");

    // A large meeting's crowd: the first few named, everyone counted.
    let named = ["user3", "user4"].map(|id| TypingNotice {
        participant_id: id.into(),
        display_name: id.into(),
        targets: Vec::new(),
    });
    panel.client.feed(Input::Frame(ServerFrame::TypingCrowd(TypingCrowd { named: named.to_vec(), count: 2 })));
    settle().await;
    assert_eq!(line(), "user3 and user4 are typing…", "the crowd replaces the meeting's notices");
    panel.client.feed(Input::Frame(ServerFrame::TypingCrowd(TypingCrowd { named: named.to_vec(), count: 57 })));
    settle().await;
    assert_eq!(line(), "57 people are typing…");

    assert_eq!(panel.client.state().typing_sent_at(), None);
    let input: web_sys::HtmlTextAreaElement = panel.find(".mc-input").expect("the composer").unchecked_into();
    input.set_value("h");
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    assert!(panel.client.state().typing_sent_at().is_some(), "a keystroke tells the conversation");
}

#[wasm_bindgen_test]
async fn reactions_show_as_chips_follow_events_and_the_picker_refuses_what_is_no_emoji() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let mut message = numbered(1);
    message.reactions = vec![Reaction { emoji: "👍".into(), count: 2, me: true }];
    deliver_message(&panel.client, message);
    settle().await;
    let chips = || {
        let list = panel.list().query_selector_all(".mc-reaction").expect("query");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|chip| {
                let chip: Element = chip.unchecked_into();
                (chip.text_content().unwrap_or_default(), chip.get_attribute("aria-pressed").unwrap_or_default())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(chips(), [("👍2".to_owned(), "true".to_owned())]);
    let event =
        Event::ReactionUpdated { id: "m1".into(), emoji: "🎉".into(), by: "bob".into(), added: true, count: 1 };
    panel.client.feed(Input::Frame(chat_protocol::testing::event(2, event)));
    settle().await;
    assert_eq!(chips(), [("👍2".to_owned(), "true".to_owned()), ("🎉1".to_owned(), "false".to_owned())]);

    let add: HtmlElement = panel.find(".mc-reaction-add").expect("the add button").unchecked_into();
    add.click();
    settle().await;
    assert_eq!(panel.count(".mc-reaction-picker .mc-reaction-choice"), 6);
    let other: web_sys::HtmlInputElement = panel.find(".mc-reaction-other").expect("the field").unchecked_into();
    other.set_value("lol");
    let enter = web_sys::KeyboardEventInit::new();
    enter.set_key("Enter");
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &enter).expect("event");
    other.dispatch_event(&key).expect("dispatch");
    settle().await;
    assert_eq!(panel.count(".mc-reaction-picker"), 0, "choosing closes the picker");
    let notice = panel.find(".mc-notice").and_then(|n| n.text_content()).unwrap_or_default();
    assert!(notice.contains("That did not work"), "refused before it leaves: {notice}");
}

#[wasm_bindgen_test]
async fn at_suggests_participants_as_a_combobox_and_a_mention_of_me_is_marked() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let bob = panel.client.state().participants().iter().find(|p| p.id.as_str() == "bob").cloned().expect("bob");
    let input: web_sys::HtmlTextAreaElement = panel.find(".mc-input").expect("the composer").unchecked_into();
    let query = format!("hi @{}", &bob.display_name[..2]);
    input.set_value(&query);
    let end = query.encode_utf16().count() as u32;
    input.set_selection_range(end, end).expect("caret");
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    settle().await;
    let options = panel.find("[role=listbox]").expect("the suggestions");
    assert_eq!(Some(options.id()), input.get_attribute("aria-controls"));
    assert_eq!(
        input.get_attribute("aria-activedescendant"),
        Some(format!("{}-0", options.id())),
        "the first is active"
    );
    assert_eq!(options.text_content().unwrap_or_default(), bob.display_name, "me is never suggested");
    let enter = web_sys::KeyboardEventInit::new();
    enter.set_key("Enter");
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &enter).expect("event");
    input.dispatch_event(&key).expect("dispatch");
    settle().await;
    assert_eq!(input.value(), format!("hi @{} ", bob.display_name), "Enter picks, and does not send");
    assert_eq!(panel.count("[role=listbox]"), 0, "picking closes the list");
    assert_eq!(input.get_attribute("aria-activedescendant"), None);
    assert_eq!(input.get_attribute("aria-controls"), None, "it names no list that is not there");

    let mut mentioning = numbered(1);
    mentioning.mentions = vec!["me".into()];
    deliver_message(&panel.client, mentioning);
    deliver(&panel.client, 2);
    settle().await;
    assert_eq!(panel.count(".mc-mentions-me"), 1, "only the message that mentions me is marked");
}

#[wasm_bindgen_test]
async fn an_apps_message_is_marked_as_a_bot_and_a_persons_is_not() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let person = numbered(1);
    let mut app = numbered(2);
    app.sender.bot = true;
    deliver_message(&panel.client, person);
    deliver_message(&panel.client, app);
    settle().await;
    let marks = panel.list().query_selector_all(".mc-mark-bot").expect("query");
    assert_eq!(marks.length(), 1, "only the bot's message is marked");
    let mark: Element = marks.item(0).expect("a mark").unchecked_into();
    assert_eq!(mark.text_content().as_deref(), Some("Bot"));
}

#[wasm_bindgen_test]
async fn one_senders_run_is_grouped_and_days_are_separated() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    for (seq, from, time) in [
        (1, "ann", FIRST_MESSAGE_AT),
        (2, "ann", FIRST_MESSAGE_AT + 60_000),
        (3, "bob", FIRST_MESSAGE_AT + 120_000),
        (4, "bob", FIRST_MESSAGE_AT + DAY_MS),
    ] {
        let mut message = numbered(seq);
        message.sender.id = from.into();
        message.time = time;
        deliver_message(&panel.client, message);
    }
    settle().await;
    let grouped: Vec<bool> = (1..=4)
        .map(|seq| {
            let row = panel.find(&format!("[data-row=m{seq}] .mc-message")).expect("a row");
            row.get_attribute("class").unwrap_or_default().split_whitespace().any(|c| c == "mc-grouped")
        })
        .collect();
    assert_eq!(grouped, [false, true, false, false], "a new sender or a new day starts a group");
    assert_eq!(panel.count(".mc-day"), 2, "one separator per day");
}

#[wasm_bindgen_test]
async fn strings_come_from_the_locale_with_overrides() {
    let mut strings = shipped("de");
    strings.push(("newMessages".to_owned(), "Neu!".to_owned()));
    let locale = Locale::new("de", strings.clone());
    let panel = Mounted::new(client_with(3), locale).await;
    assert_eq!(panel.list().get_attribute("aria-label").as_deref(), Some("Nachrichten"));
    assert_eq!(panel.find(".mc-panel").and_then(|p| p.get_attribute("lang")).as_deref(), Some("de"));
    let input = panel.find(".mc-input").expect("the composer");
    assert_eq!(input.get_attribute("aria-label").as_deref(), Some("Nachricht"));
    assert_eq!(Locale::new("de", strings).t("newMessages"), "Neu!");
}

#[wasm_bindgen_test]
async fn a_private_chat_shows_only_its_messages_and_addresses_the_composer() {
    let panel = Mounted::new(client_with(0), Locale::default()).await;
    let mut public = numbered(1);
    public.sender.id = "bob".into();
    let mut private = numbered(2);
    private.sender.id = "bob".into();
    private.targets = vec!["me".into()];
    deliver_message(&panel.client, public);
    deliver_message(&panel.client, private);
    settle().await;
    assert_eq!(panel.count("[data-row]"), 2);
    assert_eq!(panel.count(".mc-private"), 1, "the private one is marked");

    let select: HtmlSelectElement = panel.find(".mc-conversation select").expect("the selector").unchecked_into();
    select.set_value("bob");
    select.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    settle().await;
    assert_eq!(panel.count("[data-row]"), 1);
    assert!(panel.find("[data-row=m2]").is_some());
    assert!(panel.find(".mc-recipient").and_then(|r| r.text_content()).unwrap_or_default().contains("Bob"));
}

#[wasm_bindgen_test]
async fn a_lost_connection_and_a_rate_limit_are_shown_and_block_sending() {
    let panel = Mounted::new(client_with(1), Locale::default()).await;
    let input: web_sys::HtmlTextAreaElement = panel.find(".mc-input").expect("the composer").unchecked_into();
    input.set_value("a message");
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    settle().await;
    let send = panel.find(".mc-send").expect("send button");
    assert!(!send.has_attribute("disabled"), "ready to send");

    let error = ErrorFrame {
        retry_after_ms: Some(30_000),
        bucket: Some(RateBucket::Text),
        ..ErrorFrame::new(None, ErrorCode::RateLimited, "slow down")
    };
    panel.client.feed(Input::Frame(ServerFrame::Error(error)));
    settle().await;
    let banner = panel.find(".mc-banner-warning").and_then(|b| b.text_content()).unwrap_or_default();
    assert!(banner.contains("in 30 s") || banner.contains("in 29 s"), "{banner}");
    assert!(send.has_attribute("disabled"), "sending waits for the countdown");

    panel.client.feed(Input::Disconnected { code: None });
    settle().await;
    assert!(panel.text().contains("Reconnecting"));
    assert!(panel.find(".mc-composer .mc-icon-button").expect("attach").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn rows_entering_the_window_leave_the_focused_row_alone() {
    let panel = Mounted::new(client_with(400), Locale::default()).await;
    let list = panel.scroll_to_middle().await;
    let button: HtmlElement = panel.find("[data-row] .mc-menu-button").expect("a menu button").unchecked_into();
    button.focus().expect("focus");
    // Scrolling up a little brings new rows in above the focused one.
    list.set_scroll_top(list.scroll_top() - 700);
    settle().await;
    assert!(button.is_connected(), "the focused row was kept, not re-created");
    let active = document().active_element().expect("something has focus");
    assert!(active == Element::from(button), "focus stayed on the menu button");
}

#[wasm_bindgen_test]
async fn mounting_the_panel_leaves_the_host_pages_focus_alone() {
    let document = document();
    let input: HtmlElement = document.create_element("input").expect("input").unchecked_into();
    document.body().expect("body").append_child(&input).expect("append");
    input.focus().expect("focus");
    let panel = Mounted::new(client_with(3), Locale::default()).await;
    assert!(panel.find(".mc-input").is_some(), "the panel is up");
    let active = document.active_element().expect("something has focus");
    assert!(active == Element::from(input.clone()), "the host page's field keeps focus");
    input.remove();
}

/// Clicks the menu item labelled `label` of the last row's action menu.
async fn choose_in_last_menu(panel: &Mounted, label: &str) {
    let buttons = panel.host.query_selector_all("[data-row] .mc-menu-button").expect("a valid selector");
    let button: HtmlElement = buttons.item(buttons.length() - 1).expect("a menu button").unchecked_into();
    button.click();
    settle().await;
    let items = panel.host.query_selector_all("[role=menuitem]").expect("a valid selector");
    let item = (0..items.length())
        .filter_map(|i| items.item(i))
        .find(|item| item.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no menu item {label}"));
    item.unchecked_into::<HtmlElement>().click();
    settle().await;
}

#[wasm_bindgen_test]
async fn a_failed_intent_is_shown_in_the_panel_worded_for_a_person() {
    let panel = Mounted::new(client_with(3), Locale::new("de", shipped("de"))).await;
    choose_in_last_menu(&panel, "Für mich löschen").await;
    assert_eq!(panel.count(".mc-notice"), 0, "nothing to say while the server has not answered");
    // The connection drops before the server answers: the delete fails.
    panel.client.feed(Input::Disconnected { code: None });
    settle().await;
    let notice = panel.find(".mc-notice").expect("a notice in the panel");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    let text = notice.text_content().unwrap_or_default();
    assert!(text.contains("Die Verbindung brach ab"), "{text}");
    let dismiss: HtmlElement =
        notice.query_selector("button").expect("valid").expect("a dismiss button").unchecked_into();
    dismiss.click();
    settle().await;
    assert_eq!(panel.count(".mc-notice"), 0, "dismissed");
}

#[wasm_bindgen_test]
async fn a_confirmed_message_keeps_its_row() {
    let panel = Mounted::new(client_with(2), Locale::default()).await;
    let client = panel.client.clone();
    // "me" sends; the row shows the local echo.
    let _sent = client.send_text("mine".into(), crate::client::SendOptions::default());
    settle().await;
    let client_id = client.state().echoes()[0].client_id.clone();
    let row = panel.find(&format!("[data-row=local-{client_id}]")).expect("the echo's row");
    let mut confirmed = numbered(3);
    confirmed.sender = chat_protocol::Sender { id: "me".into(), display_name: "Me".into(), bot: false };
    confirmed.client_id = client_id.clone();
    confirmed.content = Content::Text { text: "mine".into() };
    deliver_message(&panel.client, confirmed);
    settle().await;
    assert!(client.state().echoes().is_empty(), "confirmed");
    assert!(row.is_connected(), "the same DOM row now shows the confirmed message");
    assert!(row.query_selector(".mc-pending").expect("valid").is_none(), "no longer pending");
}

#[wasm_bindgen_test]
async fn the_people_finder_draws_only_the_rows_in_view_and_searches_by_name() {
    use chat_protocol::{Participant, PresenceDelta, Role};
    let client = client_with(0);
    let crowd: Vec<Participant> = (0..3_000)
        .map(|i| Participant {
            id: format!("p{i}").into(),
            display_name: format!("Guest {i:04}"),
            role: Role::Participant,
        })
        .collect();
    client.feed(Input::Frame(ServerFrame::Presence(PresenceDelta {
        joined: crowd,
        left: Vec::new(),
        count: 3_002,
        complete: false,
    })));
    let panel = Mounted::new(client, Locale::default()).await;
    assert!(panel.text().contains("3002"), "the header counts everyone");
    let find: HtmlElement = panel.find(".mc-find").expect("the finder button").unchecked_into();
    find.click();
    settle().await;
    let drawn = panel.count(".mc-people .mc-destination");
    assert!((1..=20).contains(&drawn), "{drawn} rows drawn of 3,001");

    let search: web_sys::HtmlInputElement = panel.find(".mc-picker-search").expect("the search box").unchecked_into();
    search.set_value("guest 123");
    search.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    settle().await;
    let names: Vec<String> = (0..panel.count(".mc-people .mc-destination"))
        .filter_map(|i| panel.host.query_selector_all(".mc-people .mc-destination").ok()?.get(i)?.text_content())
        .collect();
    assert_eq!(names.len(), 10, "Guest 1230 to 1239: {names:?}");
    assert!(names.iter().all(|n| n.contains("Guest 123")));

    let first: HtmlElement = panel.find(".mc-people .mc-destination").expect("a row").unchecked_into();
    first.click();
    settle().await;
    assert!(panel.find(".mc-recipient").and_then(|r| r.text_content()).unwrap_or_default().contains("Guest 1230"));
}
