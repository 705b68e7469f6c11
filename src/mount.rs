//! `mountChatPanel(element, chat, options)`: renders the panel for a
//! connected chat into an element and returns a handle to remove it.

use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use yew::AppHandle;

use crate::app::{ChatPanel, ChatPanelProps};
use crate::js_api::options::{get, optional_string};
use crate::js_api::MeetingChat;
use crate::locale::Locale;

/// A mounted panel.
#[wasm_bindgen]
pub struct PanelHandle {
    app: Option<AppHandle<ChatPanel>>,
}

#[wasm_bindgen]
impl PanelHandle {
    /// Removes the panel from the page; the chat stays connected.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Mounts the chat panel for `chat` into `element`. The package's
/// `mountChatPanel` (meeting-chat.js) calls this once it has loaded the
/// strings of the panel's language.
///
/// ```js
/// const chat = await MeetingChat.connect({ url, token });
/// const panel = mountChatPanel(document.querySelector("#chat"), chat, { lang: "de", strings: { ...german, send: "Los" } });
/// panel.destroy();
/// ```
///
/// `options`: `lang` (the panel's language), `strings` (by key: that
/// language's, with the page's overrides; English where absent), `title`.
#[wasm_bindgen(js_name = mountChatPanel)]
pub fn mount_chat_panel(
    element: web_sys::Element,
    chat: &MeetingChat,
    options: JsValue,
) -> Result<PanelHandle, JsValue> {
    let lang = optional_string(&options, "lang")?.unwrap_or_else(|| "en".to_owned());
    let mut strings = Vec::new();
    if let Some(given) = get(&options, "strings") {
        for key in Object::keys(&given.clone().into()).iter() {
            if let (Some(key), Some(value)) =
                (key.as_string(), Reflect::get(&given, &key).ok().and_then(|v| v.as_string()))
            {
                strings.push((key, value));
            }
        }
    }
    let props = ChatPanelProps {
        client: chat.client(),
        locale: Rc::new(Locale::new(&lang, strings)),
        title: optional_string(&options, "title")?.map(Into::into),
    };
    let app = yew::Renderer::<ChatPanel>::with_root_and_props(element, props).render();
    Ok(PanelHandle { app: Some(app) })
}
