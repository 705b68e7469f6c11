//! A message's actions as a WAI-ARIA menu button: Enter, Space or ArrowDown
//! open it on the first item; arrows, Home and End move; Escape closes it and
//! returns focus to the button; focus leaving it closes it. After an action
//! focus goes where the action leads, never to the page's top.

use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::icons;

/// Where focus goes after an item is chosen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FocusAfter {
    /// Back to the menu button.
    Button,
    /// To the message list: the action removes the message, button and all.
    List,
    /// Leave it: the action moves focus itself (reply and edit focus the composer).
    Elsewhere,
}

/// One action.
#[derive(Clone, PartialEq)]
pub struct MenuItem {
    /// What it says.
    pub label: String,
    /// Whether it destroys something.
    pub danger: bool,
    /// What it does.
    pub on_select: Callback<()>,
    /// Where focus goes afterwards.
    pub focus_after: FocusAfter,
}

/// Properties of [`ActionMenu`].
#[derive(Properties, PartialEq)]
pub struct ActionMenuProps {
    /// The menu's accessible name.
    pub label: AttrValue,
    /// Whether it is open.
    pub open: bool,
    /// Asks to open (`true`) or close (`false`) it.
    pub on_open: Callback<bool>,
    /// The actions, in order.
    pub items: Vec<MenuItem>,
}

fn menu_items(menu: &Element) -> Vec<HtmlElement> {
    let Ok(nodes) = menu.query_selector_all("[role=menuitem]") else { return Vec::new() };
    (0..nodes.length()).filter_map(|i| nodes.item(i)).filter_map(|n| wasm_bindgen::JsCast::dyn_into(n).ok()).collect()
}

fn active_element() -> Option<Element> {
    web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element())
}

/// The actions button and, when open, its menu.
#[function_component(ActionMenu)]
pub fn action_menu(props: &ActionMenuProps) -> Html {
    let button = use_node_ref();
    let menu = use_node_ref();
    {
        let menu = menu.clone();
        use_effect_with(props.open, move |open| {
            if *open {
                if let Some(first) = menu.cast::<Element>().and_then(|m| menu_items(&m).into_iter().next()) {
                    let _ = first.focus();
                }
            }
        });
    }
    let focus_button = {
        let button = button.clone();
        move || {
            if let Some(button) = button.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        }
    };
    let on_button_click = {
        let (on_open, open) = (props.on_open.clone(), props.open);
        Callback::from(move |_: MouseEvent| on_open.emit(!open))
    };
    let on_button_key = {
        let on_open = props.on_open.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "ArrowDown" {
                event.prevent_default();
                on_open.emit(true);
            }
        })
    };
    let on_menu_key = {
        let (menu, on_open, focus_button) = (menu.clone(), props.on_open.clone(), focus_button.clone());
        Callback::from(move |event: KeyboardEvent| {
            let Some(element) = menu.cast::<Element>() else { return };
            let items = menu_items(&element);
            let current = active_element().and_then(|a| items.iter().position(|i| Element::from(i.clone()) == a));
            let last = items.len().saturating_sub(1);
            let next = match event.key().as_str() {
                "ArrowDown" => current.map_or(0, |i| if i >= last { 0 } else { i + 1 }),
                "ArrowUp" => current.map_or(last, |i| if i == 0 { last } else { i - 1 }),
                "Home" => 0,
                "End" => last,
                "Escape" => {
                    event.prevent_default();
                    on_open.emit(false);
                    focus_button();
                    return;
                }
                _ => return,
            };
            event.prevent_default();
            if let Some(item) = items.get(next) {
                let _ = item.focus();
            }
        })
    };
    let on_focus_out = {
        let (menu, button, on_open, open) = (menu.clone(), button.clone(), props.on_open.clone(), props.open);
        Callback::from(move |event: FocusEvent| {
            let into = event.related_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok());
            let inside = |node: &NodeRef| {
                node.cast::<web_sys::Node>().is_some_and(|n| into.as_ref().is_some_and(|into| n.contains(Some(into))))
            };
            if open && !inside(&menu) && !inside(&button) {
                on_open.emit(false);
            }
        })
    };
    html! {
        <div class="mc-actions" onfocusout={on_focus_out}>
            <button ref={button.clone()} type="button" class="mc-icon-button mc-menu-button" aria-haspopup="menu"
                aria-expanded={props.open.to_string()} aria-label={props.label.clone()}
                onclick={on_button_click} onkeydown={on_button_key}>{ icons::more() }</button>
            if props.open {
                <ul ref={menu} class="mc-menu" role="menu" aria-label={props.label.clone()} onkeydown={on_menu_key}>
                    { for props.items.iter().map(|item| {
                        let (on_select, on_open, focus_after, button) =
                            (item.on_select.clone(), props.on_open.clone(), item.focus_after, button.clone());
                        let onclick = Callback::from(move |_: MouseEvent| {
                            let target = button.cast::<HtmlElement>();
                            on_open.emit(false);
                            on_select.emit(());
                            let focus = match focus_after {
                                FocusAfter::Button => target,
                                FocusAfter::List => target
                                    .and_then(|b| b.closest(".mc-list").ok().flatten())
                                    .and_then(|l| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(l).ok()),
                                FocusAfter::Elsewhere => None,
                            };
                            if let Some(element) = focus {
                                let _ = element.focus();
                            }
                        });
                        html! {
                            <li role="none">
                                <button type="button" role="menuitem" tabindex="-1" class={classes!(item.danger.then_some("mc-danger"))}
                                    {onclick}>{ item.label.clone() }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
