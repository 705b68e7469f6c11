//! A message's reactions: a chip per emoji (pressed when one is mine, a
//! click adds or takes off mine), and a picker of a few common emoji plus a
//! field for any other the keyboard offers. Opening the picker focuses its
//! first emoji; Escape closes it and returns focus to its button, and focus
//! leaving it closes it.

use std::rc::Rc;

use chat_protocol::Message;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::hooks::use_intent::Intents;
use crate::store::{ChatContext, Ui, UiAction};

/// The emoji the picker offers before any other.
const QUICK: [&str; 6] = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];

/// Adds (`true`) or takes off one's reaction with an emoji, and closes the picker.
type React = Rc<dyn Fn(String, bool)>;

/// The chips and the picker of one confirmed message (`key` is its row's).
pub fn reactions_view(chat: &ChatContext, ui: &Ui, intents: &Intents, message: &Rc<Message>, key: &str) -> Html {
    let react: React = {
        let (client, intents, id) = (chat.client.clone(), intents.clone(), message.id.clone());
        let ui = ui.clone();
        Rc::new(move |emoji: String, add: bool| {
            ui.dispatch(UiAction::Picker(None));
            intents.run(client.react(id.clone(), emoji, add));
        })
    };
    let open = ui.picker.as_deref() == Some(key);
    let toggle_picker = {
        let (ui, key) = (ui.clone(), key.to_owned());
        Callback::from(move |event: MouseEvent| {
            ui.dispatch(UiAction::Picker((!open).then(|| key.clone())));
            if !open {
                let container = event.target_unchecked_into::<Element>().parent_element();
                // Once drawn, the picker's first emoji takes the focus.
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    focus_in(container.as_ref(), ".mc-reaction-choice");
                });
            }
        })
    };
    let on_key = {
        let ui = ui.clone();
        Callback::from(move |event: KeyboardEvent| {
            if open && event.key() == "Escape" {
                event.prevent_default();
                ui.dispatch(UiAction::Picker(None));
                focus_in(
                    event.current_target().and_then(|t| t.dyn_into::<Element>().ok()).as_ref(),
                    ".mc-reaction-add",
                );
            }
        })
    };
    let on_focus_out = {
        let ui = ui.clone();
        Callback::from(move |event: FocusEvent| {
            let container = event.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let to = event.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if open && !container.is_some_and(|c| c.contains(to.as_ref())) {
                ui.dispatch(UiAction::Picker(None));
            }
        })
    };
    let label = chat.locale.t("addReaction");
    let chips = message.reactions.iter().map(|reaction| {
        let (react, emoji, mine) = (Rc::clone(&react), reaction.emoji.clone(), reaction.me);
        let count = reaction.count.to_string();
        html! {
            <button type="button" class={classes!("mc-reaction", mine.then_some("mc-mine"))} aria-pressed={mine.to_string()}
                aria-label={chat.locale.t_with_all("reactionCount", &[("emoji", &reaction.emoji), ("n", &count)])}
                onclick={Callback::from(move |_| react(emoji.clone(), !mine))}>
                { reaction.emoji.clone() }<span class="mc-reaction-count">{ count }</span>
            </button>
        }
    });
    html! {
        <>
            if !message.reactions.is_empty() {
                <div class="mc-reactions">{ for chips }</div>
            }
            <div class="mc-react" onkeydown={on_key} onfocusout={on_focus_out}>
                <button type="button" class="mc-reaction-add" aria-label={label.clone()} aria-expanded={open.to_string()}
                    onclick={toggle_picker}>{ "☺+" }</button>
                if open { { picker(chat, &react, &label) } }
            </div>
        </>
    }
}

fn focus_in(container: Option<&Element>, selector: &str) {
    let found = container.and_then(|c| c.query_selector(selector).ok().flatten());
    if let Some(element) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Reacts with `emoji` from the picker element `from`, which closes; focus
/// goes back to the picker's button rather than to the page's top.
fn choose(react: &React, from: &Element, emoji: String) {
    let container = from.closest(".mc-react").ok().flatten();
    react(emoji, true);
    focus_in(container.as_ref(), ".mc-reaction-add");
}

fn picker(chat: &ChatContext, react: &React, label: &str) -> Html {
    let other = {
        let react = Rc::clone(react);
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" && !event.is_composing() {
                event.prevent_default();
                let input: HtmlInputElement = event.target_unchecked_into();
                let emoji = input.value().trim().to_owned();
                if !emoji.is_empty() {
                    choose(&react, &input, emoji);
                }
            }
        })
    };
    html! {
        <div class="mc-reaction-picker" role="group" aria-label={label.to_owned()}>
            { for QUICK.iter().map(|emoji| {
                let react = Rc::clone(react);
                html! {
                    <button type="button" class="mc-reaction-choice" aria-label={*emoji}
                        onclick={Callback::from(move |event: MouseEvent| {
                            choose(&react, &event.target_unchecked_into(), (*emoji).to_owned())
                        })}>{ *emoji }</button>
                }
            }) }
            <input class="mc-reaction-other" type="text" maxlength="16" placeholder="🙂"
                aria-label={chat.locale.t("otherEmoji")} onkeydown={other} />
        </div>
    }
}
