//! A message's text as [`crate::markdown`] parses it, one element per node:
//! user text only ever becomes text nodes and attribute values, never HTML.

use yew::prelude::*;

use crate::markdown::{parse, Block, Inline};

/// The text of a message, formatted; nothing for an empty one (attachments alone).
pub fn rich_text(text: &str) -> Html {
    if text.is_empty() {
        return html! {};
    }
    // Each message reads in its own direction (English in an Arabic panel, and back).
    html! { <div class="mc-text" dir="auto">{ blocks(parse(text)) }</div> }
}

fn blocks(blocks: Vec<Block>) -> Html {
    blocks.into_iter().map(block).collect()
}

fn block(block: Block) -> Html {
    match block {
        Block::Paragraph(content) => html! { <p>{ inlines(content) }</p> },
        Block::Code(code) => html! { <pre class="mc-code-block"><code>{ code }</code></pre> },
        Block::Quote(content) => html! { <blockquote class="mc-md-quote">{ blocks(content) }</blockquote> },
        Block::List { start: None, items } => html! { <ul>{ list_items(items) }</ul> },
        Block::List { start: Some(start), items } => html! { <ol start={start.to_string()}>{ list_items(items) }</ol> },
    }
}

fn list_items(items: Vec<Vec<Inline>>) -> Html {
    items.into_iter().map(|item| html! { <li>{ inlines(item) }</li> }).collect()
}

fn inlines(content: Vec<Inline>) -> Html {
    content.into_iter().map(inline).collect()
}

fn inline(inline: Inline) -> Html {
    match inline {
        Inline::Text(text) => html! { { text } },
        Inline::Break => html! { <br /> },
        Inline::Strong(content) => html! { <strong>{ inlines(content) }</strong> },
        Inline::Emphasis(content) => html! { <em>{ inlines(content) }</em> },
        Inline::Code(code) => html! { <code>{ code }</code> },
        Inline::Link { url, label } => html! {
            <a href={url} target="_blank" rel="noopener noreferrer">{ inlines(label) }</a>
        },
    }
}
