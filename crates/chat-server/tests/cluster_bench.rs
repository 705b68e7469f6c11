//! A benchmark, not a test (ignored by default): the load generator against
//! one node, then against two nodes behind nginx, in the same run, on the
//! same PostgreSQL and Redis setup. Prints what `chat-load` measured and the
//! nodes' CPU per 1,000 deliveries.
//!
//! `cargo test --release -p chat-server --test cluster_bench -- --ignored --nocapture`

mod support;

use std::process::Command;
use std::time::Duration;

use support::cluster::TestCluster;

const PARTICIPANTS: &str = "300";
const RATE: &str = "0.5";
const DURATION: &str = "10";

/// Runs `chat-load` against `url`; returns its report and deliveries.
fn load(url: &str) -> (String, u64) {
    let output = Command::new(env!("CARGO_BIN_EXE_chat-load"))
        .args(["--url", url, "--participants", PARTICIPANTS, "--rate", RATE, "--duration", DURATION])
        .env("CHAT_SECRET", std::str::from_utf8(support::SECRET).expect("a text secret"))
        .output()
        .expect("run chat-load");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "chat-load failed: {report}{}", String::from_utf8_lossy(&output.stderr));
    let delivered = report
        .lines()
        .find_map(|line| line.strip_prefix("deliveries"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (report, delivered)
}

async fn run(nodes: usize) {
    let cluster = TestCluster::start(nodes).await;
    let url = if nodes == 1 { cluster.nodes[0].ws_url() } else { cluster.front.ws_url() };
    let before: Duration = cluster.nodes.iter().filter_map(|node| node.cpu_time()).sum();
    let (report, delivered) = tokio::task::spawn_blocking(move || load(&url)).await.expect("chat-load ran");
    let after: Duration = cluster.nodes.iter().filter_map(|node| node.cpu_time()).sum();
    let per_thousand = (after - before).as_secs_f64() * 1000.0 / (delivered.max(1) as f64 / 1000.0);
    println!(
        "== {nodes} node(s){}\n{report}server CPU per 1,000 deliveries: {per_thousand:.1} ms (all nodes)\n",
        if nodes == 1 { ", direct" } else { " behind nginx" }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn load_on_one_node_and_on_two_behind_nginx() {
    run(1).await;
    run(2).await;
}
