//! The cost of one incoming message with 10 and with 10,000 loaded, through
//! the same path a socket frame takes (core, client, the JS array,
//! `chatUpdate`). A benchmark, not a test: `bash .ci/bench` runs it and
//! prints the figures.

use js_sys::Function;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use crate::js_api::face::JsFace;
use crate::test_support::{client_with, deliver};

wasm_bindgen_test_configure!(run_in_browser);

/// Microseconds per incoming message, over `count` messages.
fn per_message_us(loaded: u64, count: u64) -> f64 {
    let client = client_with(0);
    let face = JsFace::new(client.clone());
    face.bus.add("chatUpdate", Function::new_with_args("e", "e.messages.length"), false);
    for seq in 1..=loaded {
        deliver(&client, seq);
    }
    let performance = web_sys::window().and_then(|w| w.performance()).expect("performance");
    let start = performance.now();
    for seq in loaded + 1..=loaded + count {
        deliver(&client, seq);
    }
    let elapsed = performance.now() - start;
    assert_eq!(face.list.array().length() as u64, loaded + count);
    elapsed * 1000.0 / count as f64
}

#[wasm_bindgen_test]
#[ignore = "a benchmark; run with .ci/bench"]
fn incoming_message_cost_at_10_and_10_000_loaded() {
    let count = 2_000;
    // Alternate the two sizes so machine noise hits both alike.
    let mut small = Vec::new();
    let mut large = Vec::new();
    for _ in 0..3 {
        small.push(per_message_us(10, count));
        large.push(per_message_us(10_000, count));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (small, large) = (median(&mut small), median(&mut large));
    // The baseline avoided: rebuilding the whole array for one event.
    let client = client_with(10_000);
    let face = JsFace::new(client.clone());
    let performance = web_sys::window().and_then(|w| w.performance()).expect("performance");
    let start = performance.now();
    face.list.rebuild(&client);
    let rebuild = (performance.now() - start) * 1000.0;
    web_sys::console::log_1(
        &format!(
            "BENCH incoming message: {small:.1} us with 10 loaded, {large:.1} us with 10,000 loaded \
             (ratio {:.2}); rebuilding the array once at 10,000 costs {rebuild:.0} us ({:.0}x one message)",
            large / small,
            rebuild / large
        )
        .into(),
    );
}
