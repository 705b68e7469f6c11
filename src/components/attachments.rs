//! A message's attachments (SAMA's): its images as a grid, each opening the
//! full view, and its other files as a list to download; while sending, one
//! progress bar per file.

use chat_core::Attachment;
use chat_protocol::{FileRef, MessageKind};
use yew::prelude::*;

use super::blurhash_image::BlurhashImage;
use super::icons;
use crate::store::ChatContext;
use crate::text_format::{file_size, split_file_name};

/// Widest an image of the grid is shown.
const GRID_SIDE: u32 = 112;

fn is_image(file: &FileRef) -> bool {
    MessageKind::of_content_type(&file.content_type) == MessageKind::Image && file.width.is_some()
}

/// A file's name on one line: where there is no room its middle gives way
/// (`meeting-notes-20…-v2.pdf`), never its extension; the whole name is in
/// the tooltip, and in the text a screen reader reads. In its own direction,
/// so a Latin name in an Arabic panel still ends with its extension.
pub fn file_name(name: &str) -> Html {
    let (start, end) = split_file_name(name);
    html! {
        <span class="mc-file-name" dir="auto" title={name.to_owned()}>
            <span class="mc-file-name-start">{ start }</span><span class="mc-file-name-end">{ end }</span>
        </span>
    }
}

/// A file to download.
pub fn file_row(chat: &ChatContext, file: &FileRef) -> Html {
    html! {
        <div class="mc-file">
            <span class="mc-file-icon">{ icons::file() }</span>
            { file_name(&file.name) }
            <span class="mc-file-size">{ file_size(file.size) }</span>
            <a class="mc-button" href={chat.client.link(&file.url)} download={file.name.clone()}
                aria-label={format!("{} {}", chat.locale.t("download"), file.name)}>{ chat.locale.t("download") }</a>
        </div>
    }
}

/// The attachments of a confirmed message.
pub fn attachments_view(chat: &ChatContext, files: &[FileRef]) -> Html {
    if files.is_empty() {
        return html! {};
    }
    let link = |url: &str| AttrValue::from(chat.client.link(url));
    html! {
        <div class="mc-attachments" role="group" aria-label={chat.locale.t("attachments")}>
            <div class="mc-grid">
                { for files.iter().filter(|f| is_image(f)).map(|file| html! {
                    <BlurhashImage link={link(&file.url)} thumbnail={file.thumbnail_url.as_deref().map(link)}
                        blurhash={file.blurhash.clone().map(AttrValue::from)} width={file.width.unwrap_or(GRID_SIDE)}
                        height={file.height.unwrap_or(GRID_SIDE)} max_width={GRID_SIDE} alt={file.name.clone()}
                        open_label={format!("{}: {}", chat.locale.t("openImage"), file.name)} />
                }) }
            </div>
            { for files.iter().filter(|f| !is_image(f)).map(|file| file_row(chat, file)) }
        </div>
    }
}

/// The attachments of a message being sent, each with its progress.
pub fn uploading_view(chat: &ChatContext, attachments: &[Attachment]) -> Html {
    html! {
        <ul class="mc-uploads" aria-label={chat.locale.t("attachments")}>
            { for attachments.iter().map(|attachment| {
                let (loaded, size) = (if attachment.file.is_some() { attachment.size } else { attachment.loaded }, attachment.size);
                html! {
                    <li class="mc-file">
                        <span class="mc-file-icon">{ icons::attach() }</span>
                        { file_name(&attachment.name) }
                        <span class="mc-file-size">{ file_size(size) }</span>
                        <progress class="mc-progress" max={size.max(1).to_string()} value={loaded.to_string()}
                            aria-label={format!("{} {}", chat.locale.t("uploading"), attachment.name)} />
                    </li>
                }
            }) }
        </ul>
    }
}
