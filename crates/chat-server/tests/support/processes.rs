//! Servers the tests start themselves (PostgreSQL, Redis, nginx, chat-server
//! nodes): each dies with the test process (a parent death signal, sent when
//! the thread that spawned it ends, so a lasting thread spawns them) and is
//! killed, its folder removed, when the process exits. Runs never collide
//! (free ports, temporary folders) and leave nothing behind.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Mutex, OnceLock};

/// Processes to kill and folders to remove when the process exits.
static STARTED: Mutex<Vec<(u32, Option<PathBuf>)>> = Mutex::new(Vec::new());

extern "C" fn stop_all() {
    let started = STARTED.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    for (pid, dir) in started {
        // SAFETY: signalling a child process this process started.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        let mut status = 0;
        // SAFETY: reaping that child.
        unsafe { libc::waitpid(pid as libc::pid_t, &mut status, 0) };
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Makes `command`'s process die with the tests.
pub fn dies_with_tests(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        })
    }
}

/// Spawns `command` (made to die with the tests) from a thread that lives as
/// long as the process, and kills it (removing `dir`, if given) at exit.
pub fn spawn_owned(mut command: Command, dir: Option<&Path>) -> Child {
    static AT_EXIT: OnceLock<()> = OnceLock::new();
    AT_EXIT.get_or_init(|| {
        // SAFETY: registering a plain function.
        unsafe { libc::atexit(stop_all) };
    });
    dies_with_tests(&mut command);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(command.spawn());
        loop {
            std::thread::park();
        }
    });
    let child = rx.recv().expect("the spawning thread answers").expect("start a server of the tests");
    STARTED.lock().expect("registry").push((child.id(), dir.map(Path::to_owned)));
    child
}

/// Kills the process in `slot` at once, as a crash would, and reaps it.
pub fn kill(slot: &Mutex<Option<Child>>) {
    if let Some(mut child) = slot.lock().expect("child").take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// CPU time (user + system) process `pid` has used so far.
pub fn cpu_time(pid: u32) -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name (which ends at the last ')'), utime is the 12th field and stime the 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: a plain libc call.
    let per_second = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).ok()?.max(1);
    Some(std::time::Duration::from_millis(ticks * 1000 / per_second))
}
