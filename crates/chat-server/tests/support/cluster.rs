//! A cluster as an operator runs one: N chat-server processes (the real
//! binary) on one PostgreSQL database (fresh, on the tests' own server) and
//! the tests' own Redis, sharing one folder for uploaded files, behind the
//! tests' own nginx. A node can be killed with SIGKILL mid-test, started again
//! under its own id, or stopped with SIGTERM while the test goes on.

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
    /// The flags every node was started with besides the cluster's own.
    args: Vec<String>,
    /// Whether nodes log at `info` to `node-N.log` in the data folder
    /// rather than at `warn` to the tests' output.
    logged: bool,
    _data: tempfile::TempDir,
}

impl TestCluster {
    /// Starts `n` nodes on a fresh database of the shared PostgreSQL.
    pub async fn start(n: usize) -> Self {
        Self::start_with(n, &[]).await
    }

    /// Starts `n` nodes given `args` besides the cluster's own.
    pub async fn start_with(n: usize, args: &[&str]) -> Self {
        Self::start_nodes(n, args, false).await
    }

    /// [`TestCluster::start_with`], each node logging at `info` to a file
    /// [`TestCluster::log`] reads.
    pub async fn start_logged(n: usize, args: &[&str]) -> Self {
        Self::start_nodes(n, args, true).await
    }

    /// What node `i` has logged, when started logged.
    pub fn log(&self, i: usize) -> String {
        std::fs::read_to_string(self._data.path().join(format!("node-{i}.log"))).unwrap_or_default()
    }

    async fn start_nodes(n: usize, args: &[&str], logged: bool) -> Self {
        let database_url = Postgres::shared().fresh_database();
        let data = tempfile::tempdir().expect("temp dir");
        let redis = Redis::start();
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        let mut nodes = Vec::new();
        for i in 0..n {
            let addr = format!("127.0.0.1:{}", free_port());
            nodes.push(start_node(i, addr, data.path(), &database_url, &redis.url(), &args, logged));
        }
        for node in &nodes {
            wait_ready(&node.addr).await;
        }
        let addrs: Vec<String> = nodes.iter().map(|node| node.addr.clone()).collect();
        let front = Nginx::start(&addrs);
        Self { nodes, front, redis, database_url, files_dir: data.path().join("files"), args, logged, _data: data }
    }

    /// Stops node `i` as an operator does (SIGTERM) and waits until it exits.
    pub fn stop(&mut self, i: usize) {
        self.terminate(i);
        self.wait_exit(i);
    }

    /// Sends node `i` SIGTERM and goes on: the node drains meanwhile.
    pub fn terminate(&self, i: usize) {
        if let Some(child) = &self.nodes[i].child {
            // SAFETY: signalling a child process this process started.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        }
    }

    /// Waits until node `i` has exited.
    pub fn wait_exit(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.wait();
        }
    }

    /// Kills node `i` with SIGKILL and starts it again at once under the same
    /// id and address, as a process supervisor does; returns once it is ready.
    pub async fn restart(&mut self, i: usize) {
        self.kill(i);
        let addr = self.nodes[i].addr.clone();
        let (data, url) = (self._data.path().to_owned(), self.redis.url());
        self.nodes[i] = start_node(i, addr, &data, &self.database_url, &url, &self.args, self.logged);
        wait_ready(&self.nodes[i].addr).await;
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

fn start_node(
    i: usize,
    addr: String,
    data_dir: &std::path::Path,
    database_url: &str,
    redis_url: &str,
    args: &[String],
    logged: bool,
) -> Node {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chat-server"));
    command
        .args(["--addr", &addr, "--data-dir"])
        .arg(data_dir)
        .args(["--database-url", database_url, "--redis-url", redis_url, "--node-id", &format!("node-{i}")])
        .args(["--presence-interval-ms", "100"]);
    // Most tests want a stop to be quick; the drain's own tests give a delay.
    if !args.iter().any(|arg| arg == "--drain-delay-ms") {
        command.args(["--drain-delay-ms", "0"]);
    }
    command
        .args(args)
        .env("CHAT_SECRET", std::str::from_utf8(SECRET).expect("a text secret"))
        .env("NO_COLOR", "1")
        .stderr(Stdio::inherit());
    if logged {
        let log = std::fs::File::create(data_dir.join(format!("node-{i}.log"))).expect("a log file");
        command.env("RUST_LOG", "info").stdout(log);
    } else {
        command.env("RUST_LOG", "warn").stdout(Stdio::null());
    }
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
