//! Inline SVG icons, so controls never depend on an emoji font.

use yew::prelude::*;

fn icon(path: &'static str) -> Html {
    html! {
        <svg class="mc-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d={path} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// A paper clip.
pub fn attach() -> Html {
    icon("M21 11.5 12.5 20a5 5 0 0 1-7-7l9-9a3.5 3.5 0 0 1 5 5l-9 9a2 2 0 0 1-3-3l8-8")
}

/// A paper plane.
pub fn send() -> Html {
    icon("M4 12 20 4l-6 16-3-7-7-1z")
}

/// A check mark.
pub fn check() -> Html {
    icon("M5 12.5 10 17 19 7")
}

/// A pin.
pub fn pin() -> Html {
    icon("M9 4h6l-1 6 4 4H6l4-4zM12 14v6")
}

/// Three bars of a chart.
pub fn poll() -> Html {
    icon("M6 20v-6M12 20V4M18 20v-10")
}

/// Three dots.
pub fn more() -> Html {
    icon("M6 12h.01M12 12h.01M18 12h.01")
}

/// A lock.
pub fn lock() -> Html {
    icon("M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z")
}

/// A document.
pub fn file() -> Html {
    icon("M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5")
}

/// A downward arrow.
pub fn arrow_down() -> Html {
    icon("M12 5v14M6 13l6 6 6-6")
}

/// A magnifying glass.
pub fn search() -> Html {
    icon("M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM16 16l4 4")
}

/// A person with a plus: someone to chat with.
pub fn person_add() -> Html {
    icon("M10 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM3 21a7 7 0 0 1 14 0M19 8v6M16 11h6")
}

/// Three sliders.
pub fn sliders() -> Html {
    icon("M4 6h9M17 6h3M15 4v4M4 12h3M11 12h9M9 10v4M4 18h11M19 18h1M17 16v4")
}

/// A cross.
pub fn close() -> Html {
    icon("M6 6l12 12M18 6 6 18")
}
