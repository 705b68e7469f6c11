//! The front of a cluster's tests: Debian's nginx on a free port, round
//! robin over the nodes with the WebSocket upgrade passed through: the
//! configuration the README shows, in a temporary folder. It runs as a
//! single process so that it dies with the tests.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::processes::{free_port, spawn_owned};

/// One nginx of the tests' own.
pub struct Nginx {
    pub port: u16,
    _child: Child,
}

fn binary() -> PathBuf {
    let sbin = PathBuf::from("/usr/sbin/nginx");
    if sbin.is_file() {
        sbin
    } else {
        PathBuf::from("nginx")
    }
}

/// The `http` block: what an operator puts in front of the nodes.
pub fn http_block(port: u16, nodes: &[String]) -> String {
    let servers: String =
        nodes.iter().map(|node| format!("        server {node} max_fails=1 fail_timeout=10s;\n")).collect();
    format!(
        "    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream chat {{
{servers}    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 30m;
        location / {{
            proxy_pass http://chat;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
        }}
    }}
"
    )
}

impl Nginx {
    /// Starts a front over `nodes` (`host:port` each).
    pub fn start(nodes: &[String]) -> Nginx {
        let dir = tempfile::Builder::new().prefix("chat-nginx-").tempdir().expect("temp dir").keep();
        let port = free_port();
        let d = dir.display();
        // SAFETY: a plain libc call.
        let user = if unsafe { libc::geteuid() } == 0 { "user root;\n" } else { "" };
        let config = format!(
            "{user}daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{}}}
",
            http_block(port, nodes)
        );
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
        Nginx { port, _child: child }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }
}
