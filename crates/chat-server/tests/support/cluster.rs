//! A cluster as an operator runs one: N chat-server processes (the real
//! binary) on one PostgreSQL database (fresh, on the tests' own server) and
//! the tests' own Redis, sharing one folder for uploaded files, behind the
//! tests' own nginx. A node can be killed with SIGKILL mid-test.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::nginx::Nginx;
use super::postgres::Postgres;
use super::processes::{self, free_port, spawn_owned};
use super::redis::Redis;
use super::SECRET;

/// One chat-server process.
pub struct Node {
    pub addr: String,
    child: Option<Child>,
}

impl Node {
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// CPU time the process has used so far, while it runs.
    pub fn cpu_time(&self) -> Option<Duration> {
        processes::cpu_time(self.child.as_ref()?.id())
    }
}

/// Nodes, their database, Redis and front.
pub struct TestCluster {
    pub nodes: Vec<Node>,
    pub front: Nginx,
    pub redis: Redis,
    pub database_url: String,
    pub files_dir: PathBuf,
    _data: tempfile::TempDir,
}

impl TestCluster {
    /// Starts `n` nodes on a fresh database of the shared PostgreSQL.
    pub async fn start(n: usize) -> Self {
        Self::start_with(n, &[]).await
    }

    /// Starts `n` nodes given `args` besides the cluster's own.
    pub async fn start_with(n: usize, args: &[&str]) -> Self {
        let database_url = Postgres::shared().fresh_database();
        let data = tempfile::tempdir().expect("temp dir");
        let redis = Redis::start();
        let mut nodes = Vec::new();
        for i in 0..n {
            nodes.push(start_node(i, data.path(), &database_url, &redis.url(), args));
        }
        for node in &nodes {
            wait_ready(&node.addr).await;
        }
        let addrs: Vec<String> = nodes.iter().map(|node| node.addr.clone()).collect();
        let front = Nginx::start(&addrs);
        Self { nodes, front, redis, database_url, files_dir: data.path().join("files"), _data: data }
    }

    /// Stops node `i` as an operator does (SIGTERM) and waits until it exits.
    pub fn stop(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            // SAFETY: signalling a child process this process started.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
            let _ = child.wait();
        }
    }

    /// Kills node `i` with SIGKILL, as a crash would.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
    }
}

fn start_node(i: usize, data_dir: &std::path::Path, database_url: &str, redis_url: &str, args: &[&str]) -> Node {
    let addr = format!("127.0.0.1:{}", free_port());
    let mut command = Command::new(env!("CARGO_BIN_EXE_chat-server"));
    command
        .args(["--addr", &addr, "--data-dir"])
        .arg(data_dir)
        .args(["--database-url", database_url, "--redis-url", redis_url, "--node-id", &format!("node-{i}")])
        .args(["--presence-interval-ms", "100", "--drain-delay-ms", "0"])
        .args(args)
        .env("CHAT_SECRET", std::str::from_utf8(SECRET).expect("a text secret"))
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let child = spawn_owned(command, None);
    Node { addr, child: Some(child) }
}

async fn wait_ready(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = format!("http://{addr}/readyz");
    loop {
        if reqwest::get(&url).await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        assert!(Instant::now() < deadline, "node {addr} was not ready within 20 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
