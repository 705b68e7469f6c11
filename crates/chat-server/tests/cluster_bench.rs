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
    let cpu = |cluster: &TestCluster| -> (Duration, Duration) {
        let nodes = cluster.nodes.iter().filter_map(|node| node.cpu_time()).sum();
        (nodes, cluster.front.cpu_time().unwrap_or_default())
    };
    let before = cpu(&cluster);
    let (report, delivered) = tokio::task::spawn_blocking(move || load(&url)).await.expect("chat-load ran");
    let after = cpu(&cluster);
    let per_thousand = |spent: Duration| spent.as_secs_f64() * 1000.0 / (delivered.max(1) as f64 / 1000.0);
    let how = if nodes == 1 { ", direct" } else { " behind nginx" };
    println!(
        "== {nodes} node(s){how}\n{report}CPU per 1,000 deliveries: servers {:.1} ms, nginx {:.1} ms\n",
        per_thousand(after.0 - before.0),
        per_thousand(after.1 - before.1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn load_on_one_node_and_on_two_behind_nginx() {
    // Two rounds each, alternating, so a noisy moment of the machine shows.
    for _ in 0..2 {
        run(1).await;
        run(2).await;
    }
}
