//! Benchmarks in headless Chromium, kept out of the code they measure;
//! `bash .ci/bench` runs them (they are `#[ignore]`d in the test run).

mod incoming;
mod panel;
