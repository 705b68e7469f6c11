//! A private PostgreSQL for tests: Debian's binaries, a fresh cluster in a
//! temporary folder on a free port, killed with the test process (a parent
//! death signal) and its folder removed at exit, so runs never collide and
//! leave nothing behind. Each caller gets a fresh database on it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::processes::{self, free_port};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// One PostgreSQL server of the tests' own.
pub struct Postgres {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    child: Mutex<Option<Child>>,
}

fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (.ci/install installs Debian's postgresql)")
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("postgres").is_file())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL server binary under /usr/lib/postgresql")
}

/// PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
fn owner() -> Option<(u32, u32)> {
    // SAFETY: plain libc calls; getpwnam's result is read at once.
    unsafe {
        if libc::geteuid() != 0 {
            return None;
        }
        let user = libc::getpwnam(c"postgres".as_ptr());
        assert!(!user.is_null(), "running as root needs the postgres user (Debian's postgresql package makes it)");
        Some(((*user).pw_uid, (*user).pw_gid))
    }
}

impl Postgres {
    /// The process's shared server.
    pub fn shared() -> &'static Postgres {
        static SHARED: OnceLock<Postgres> = OnceLock::new();
        SHARED.get_or_init(Postgres::start)
    }

    /// A server of its own, for a test that stops and restarts it.
    pub fn start() -> Postgres {
        let dir = tempfile::Builder::new().prefix("chat-pg-").tempdir().expect("temp dir").keep();
        let owner = owner();
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).expect("chown the cluster folder");
        }
        let bin = bin_dir();
        let mut initdb = Command::new(bin.join("initdb"));
        initdb.args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "-D"]).arg(dir.join("data"));
        let status = as_owner(&mut initdb, owner).stdout(Stdio::null()).status().expect("run initdb");
        assert!(status.success(), "initdb failed");
        let server = Postgres { port: free_port(), dir, bin, owner, child: Mutex::new(None) };
        server.run();
        server
    }

    fn run(&self) {
        let mut postgres = Command::new(self.bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .arg("-k")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        as_owner(&mut postgres, self.owner);
        let child = processes::spawn_owned(postgres, Some(&self.dir));
        *self.child.lock().expect("child") = Some(child);
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let isready = self.bin.join("pg_isready");
        while Instant::now() < deadline {
            let ready = Command::new(&isready)
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-q"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("postgres did not start within 30 s");
    }

    /// Kills the server at once (as a crash would).
    pub fn kill(&self) {
        processes::kill(&self.child);
    }

    /// Starts it again on the same port and data.
    pub fn restart(&self) {
        self.kill();
        // Its backends outlive a killed postmaster briefly; the data folder's
        // lock file names the old one until they go.
        let _ = std::fs::remove_file(self.dir.join("data/postmaster.pid"));
        self.run();
    }

    /// A URL for `database` on it.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a fresh database and returns its URL.
    pub fn fresh_database(&self) -> String {
        let name = format!("chat_{}", uuid::Uuid::new_v4().simple());
        let status = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-q", "-c"])
            .arg(format!("CREATE DATABASE {name}"))
            .stdout(Stdio::null())
            .status()
            .expect("run psql");
        assert!(status.success(), "CREATE DATABASE failed");
        self.url(&name)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn as_owner(command: &mut Command, owner: Option<(u32, u32)>) -> &mut Command {
    use std::os::unix::process::CommandExt;
    if let Some((uid, gid)) = owner {
        command.uid(uid).gid(gid);
    }
    processes::dies_with_tests(command)
}

/// The database of the server whose data folder is `data_dir` on the shared
/// server: fresh for a new folder, the same one when a test restarts a
/// server on its folder.
pub fn database_for(data_dir: &Path) -> String {
    static DATABASES: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    let mut databases = DATABASES.lock().expect("databases");
    if let Some((_, url)) = databases.iter().find(|(dir, _)| dir == data_dir) {
        return url.clone();
    }
    let url = Postgres::shared().fresh_database();
    databases.push((data_dir.to_owned(), url.clone()));
    url
}
