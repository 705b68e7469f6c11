//! Server frames as the client core takes them: any bytes are decoded, and
//! whatever decodes is applied to a joined chat state. Nothing may panic.
#![no_main]

use chat_core::{ChatState, Input};
use chat_protocol::{testing, Role, ServerFrame};
use libfuzzer_sys::fuzz_target;

fn joined() -> ChatState {
    let mut state = ChatState::new();
    state.apply(Input::Connecting, 0);
    state.apply(Input::Frame(testing::welcome("ann", Role::Participant, 0, &["bob"])), 0);
    state
}

thread_local! {
    static STATE: std::cell::RefCell<ChatState> = std::cell::RefCell::new(joined());
}

fuzz_target!(|data: &[u8]| {
    let Ok(frame) = serde_json::from_slice::<ServerFrame>(data) else { return };
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.apply(Input::Frame(frame), 1);
        // Kept small, so one run is not slowed by what earlier runs left.
        if state.timeline().len() > 1_000 {
            *state = joined();
        }
    });
});
