//! An image with its blurhash's average colour shown first, then the
//! thumbnail; a click opens the full view (a modified click still opens a tab).

use yew::prelude::*;

use crate::blurhash_color::average_color;
use crate::hooks::use_chat::use_ui;
use crate::store::{UiAction, ViewedImage};

/// Properties of [`BlurhashImage`].
#[derive(Properties, PartialEq)]
pub struct BlurhashImageProps {
    /// The full image.
    pub link: AttrValue,
    /// A smaller version, if the server made one.
    pub thumbnail: Option<AttrValue>,
    /// The placeholder.
    pub blurhash: Option<AttrValue>,
    /// Pixel size, to reserve space before loading.
    pub width: u32,
    /// Pixel size.
    pub height: u32,
    /// Accessible name.
    pub alt: AttrValue,
    /// Label of the link to the full image.
    pub open_label: AttrValue,
    /// Widest it is shown, in CSS pixels.
    #[prop_or(240)]
    pub max_width: u32,
}

/// An image message's picture.
#[function_component(BlurhashImage)]
pub fn blurhash_image(props: &BlurhashImageProps) -> Html {
    let loaded = use_state(|| false);
    let ui = use_ui();
    let onclick = {
        let (ui, url, alt) = (ui.clone(), props.link.clone(), props.alt.clone());
        Callback::from(move |event: MouseEvent| {
            if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
                return;
            }
            event.prevent_default();
            ui.dispatch(UiAction::View(Some(ViewedImage { url: url.clone(), alt: alt.clone() })));
        })
    };
    let onload = {
        let loaded = loaded.clone();
        Callback::from(move |_| loaded.set(true))
    };
    // Display size: at most `max_width` wide, keeping the aspect ratio.
    let width = props.width.clamp(1, props.max_width.max(1));
    let height = (u64::from(props.height.max(1)) * u64::from(width) / u64::from(props.width.max(1))).clamp(1, 320);
    // The colour goes once the image is in, so a transparent image shows the panel behind it.
    let placeholder = props.blurhash.as_deref().and_then(average_color).filter(|_| !*loaded);
    let background = placeholder.map(|color| format!(";background:{color}")).unwrap_or_default();
    let style = format!("width:{width}px;height:{height}px{background}");
    html! {
        <a class="mc-image" href={props.link.clone()} target="_blank" rel="noopener noreferrer" aria-label={props.open_label.clone()} style={style} {onclick}>
            <img src={props.thumbnail.clone().unwrap_or_else(|| props.link.clone())} alt={props.alt.clone()} loading="lazy"
                class={classes!("mc-image-img", (!*loaded).then_some("mc-loading"))} {onload} />
        </a>
    }
}
