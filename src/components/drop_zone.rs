//! Files dragged onto the panel: an overlay says they will be sent, and
//! dropping puts them in the composer's tray, to go with the next message.

use std::rc::Rc;

use yew::prelude::*;

use super::composer::add_files;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_selector::use_selector;

/// Properties of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// What the zone covers.
    pub children: Html,
}

/// Whether a drag carries files (not text or a link being dragged around).
fn carries_files(event: &DragEvent) -> bool {
    event.data_transfer().is_some_and(|data| data.types().iter().any(|t| t.as_string().as_deref() == Some("Files")))
}

/// A drop target around the list and the composer.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let chat = use_chat();
    let ui = use_ui();
    // Enter and leave fire for every child crossed; count them to know when
    // the drag really left.
    let depth = use_mut_ref(|| 0_u32);
    let active = use_state(|| false);
    let connected = use_selector(|client| client.state().connection() == chat_core::ConnectionState::Connected);
    let can_send = connected && ui.editing.is_none();

    let ondragenter = {
        let (depth, active) = (Rc::clone(&depth), active.clone());
        Callback::from(move |event: DragEvent| {
            if can_send && carries_files(&event) {
                event.prevent_default();
                *depth.borrow_mut() += 1;
                active.set(true);
            }
        })
    };
    let ondragover = Callback::from(move |event: DragEvent| {
        if can_send && carries_files(&event) {
            event.prevent_default();
            if let Some(data) = event.data_transfer() {
                data.set_drop_effect("copy");
            }
        }
    });
    let ondragleave = {
        let (depth, active) = (Rc::clone(&depth), active.clone());
        Callback::from(move |_: DragEvent| {
            let mut depth = depth.borrow_mut();
            *depth = depth.saturating_sub(1);
            if *depth == 0 {
                active.set(false);
            }
        })
    };
    let ondrop = {
        let (depth, active, chat, ui) = (Rc::clone(&depth), active.clone(), chat.clone(), ui.clone());
        Callback::from(move |event: DragEvent| {
            *depth.borrow_mut() = 0;
            active.set(false);
            if !can_send || !carries_files(&event) {
                return;
            }
            event.prevent_default();
            add_files(&chat, &ui, event.data_transfer().and_then(|data| data.files()));
        })
    };
    html! {
        <div class={classes!("mc-drop-zone", active.then_some("mc-dragging"))} {ondragenter} {ondragover} {ondragleave} {ondrop}>
            { props.children.clone() }
            if *active {
                <div class="mc-drop-overlay" aria-hidden="true">{ chat.locale.t("dropFiles") }</div>
            }
        </div>
    }
}
