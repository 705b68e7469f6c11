//! A private Redis for tests: Debian's `redis-server` on a free port,
//! keeping nothing on disk (as the project's machines run it), that a test
//! may kill and start again on the same port.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::processes::{self, free_port, spawn_owned};

/// One Redis server of the tests' own.
pub struct Redis {
    pub port: u16,
    dir: PathBuf,
    child: Mutex<Option<Child>>,
}

impl Redis {
    /// Starts a server on a free port.
    pub fn start() -> Redis {
        let dir = tempfile::Builder::new().prefix("chat-redis-").tempdir().expect("temp dir").keep();
        let redis = Redis { port: free_port(), dir, child: Mutex::new(None) };
        redis.run();
        redis
    }

    fn run(&self) {
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = spawn_owned(command, Some(&self.dir));
        *self.child.lock().expect("child") = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server at once; what it held is gone.
    pub fn kill(&self) {
        processes::kill(&self.child);
    }

    /// Starts it again, empty, on the same port.
    pub fn restart(&self) {
        self.kill();
        self.run();
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}
