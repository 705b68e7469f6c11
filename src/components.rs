//! The panel's components, one per file; each reads the chat through
//! `use_selector`, acts through `use_intent`, and never parses protocol frames.

pub mod action_menu;
pub mod attachment_tray;
pub mod attachments;
pub mod banner;
pub mod blurhash_image;
pub mod composer;
pub mod drop_zone;
pub mod forward_dialog;
pub mod header;
pub mod host_settings;
pub mod icons;
pub mod image_viewer;
pub mod lazy;
pub mod message_item;
pub mod message_list;
pub mod mute_list;
pub mod participant_picker;
pub mod pinned_bar;
pub mod polls;
pub mod reactions;
pub mod report_dialog;
pub mod report_list;
pub mod rich_text;
pub mod search_box;

#[cfg(test)]
mod tests;
