//! The front of a cluster's tests: Debian's nginx on a free port running
//! `deploy/nginx-front.conf` (the configuration the book shows) over the
//! nodes, from a temporary folder. It runs as a single process so that it
//! dies with the tests.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::processes::{self, free_port, spawn_owned};

/// One nginx of the tests' own.
pub struct Nginx {
    pub port: u16,
    child: Child,
}

fn binary() -> PathBuf {
    let sbin = PathBuf::from("/usr/sbin/nginx");
    if sbin.is_file() {
        sbin
    } else {
        PathBuf::from("nginx")
    }
}

/// The front's configuration as the book shows it, for `nodes` on `port`.
pub fn front_config(port: u16, nodes: &[String]) -> String {
    let servers: Vec<String> =
        nodes.iter().map(|node| format!("server {node} max_fails=1 fail_timeout=10s;")).collect();
    include_str!("../../../../deploy/nginx-front.conf")
        .replace("{{SERVERS}}", &servers.join("\n    "))
        .replace("{{LISTEN}}", &format!("127.0.0.1:{port}"))
}

impl Nginx {
    /// Starts a front over `nodes` (`host:port` each).
    pub fn start(nodes: &[String]) -> Nginx {
        let dir = tempfile::Builder::new().prefix("chat-nginx-").tempdir().expect("temp dir").keep();
        let port = free_port();
        // SAFETY: a plain libc call.
        let user = if unsafe { libc::geteuid() } == 0 { "user root;\n" } else { "" };
        let config = include_str!("nginx-main.conf")
            .replace("{{USER}}", user)
            .replace("{{PREFIX}}", &dir.display().to_string())
            .replace("{{FRONT}}", &front_config(port, nodes));
        std::fs::write(dir.join("nginx.conf"), config).expect("write nginx.conf");
        let mut command = Command::new(binary());
        command
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let child = spawn_owned(command, Some(&dir));
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx { port, child }
    }

    /// CPU time nginx has used so far.
    pub fn cpu_time(&self) -> Option<Duration> {
        processes::cpu_time(self.child.id())
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }
}
