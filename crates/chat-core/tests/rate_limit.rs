//! A rate-limit refusal blocks that bucket locally until the server's notice or the retry time.

mod support;

use chat_core::{Change, Effect, Input};
use chat_protocol::{RateBucket, Role, ServerFrame};
use support::*;

#[test]
fn a_refused_bucket_blocks_sends_until_its_reset() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 1, "c1", "181st"));
    let fx = state.apply(rate_limited(req, RateBucket::Text, 2_000), NOW);
    assert!(fx.contains(&Effect::Changed(Change::RateLimited { bucket: RateBucket::Text, until: NOW + 2_000 })));
    assert!(fx.iter().any(|e| matches!(e, Effect::Reject { op: 1, error } if error.code == "rate_limited" && error.retry_after_ms == Some(2_000))));

    let fx = send_text(&mut state, 2, "c2", "still too soon");
    assert!(matches!(&fx[..], [Effect::Reject { op: 2, error }] if error.retry_after_ms == Some(2_000)));
    assert_eq!(state.rate_limited_until(RateBucket::File), None, "files have their own bucket");

    let fx = state.apply(Input::Frame(ServerFrame::RateLimitReset { bucket: RateBucket::Text }), NOW + 2_000);
    assert_eq!(fx, vec![Effect::Changed(Change::RateLimitReset(RateBucket::Text))]);
    send_request(&send_text(&mut state, 3, "c3", "fits again"));
}

#[test]
fn the_limit_lifts_by_time_if_the_notice_is_lost() {
    let mut state = joined("ann", Role::Participant, 0);
    let (req, _) = send_request(&send_text(&mut state, 1, "c1", "x"));
    state.apply(rate_limited(req, RateBucket::Text, 500), NOW);
    assert!(state.apply(Input::Tick, NOW + 499).is_empty());
    assert_eq!(state.apply(Input::Tick, NOW + 500), vec![Effect::Changed(Change::RateLimitReset(RateBucket::Text))]);
}
