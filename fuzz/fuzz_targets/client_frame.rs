//! Client frames as the server takes them: any bytes a socket may carry are
//! decoded, and whatever decodes is handled by a real domain (a hub over the
//! in-memory store) as a participant's frame. Nothing may panic.
#![no_main]

use std::sync::Arc;

use chat_protocol::{parse_client_frame, MeetingId, Participant, Role};
use chat_server::auth::Identity;
use chat_server::hub::{Hub, Outbound, Session};
use chat_server::store::files::MemoryFiles;
use chat_server::store::memory::MemoryStore;
use chat_server::Config;
use libfuzzer_sys::fuzz_target;
use tokio::sync::mpsc;

struct World {
    runtime: tokio::runtime::Runtime,
    session: Session,
    queue: mpsc::Receiver<Outbound>,
}

fn world() -> World {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let config =
        Config::new(std::env::temp_dir().join("unused-by-memory-stores"), b"fuzzing-secret-0123456789".to_vec());
    let hub =
        Hub::new(Arc::new(MemoryStore::default()), Arc::new(MemoryFiles::default()), None, None, Arc::new(config));
    let identity = Identity {
        participant: Participant { id: "ann".into(), display_name: "Ann".into(), role: Role::Host },
        meeting: MeetingId::from("fuzz"),
    };
    let (session, queue) = runtime.block_on(hub.join(identity, None)).expect("joins");
    World { runtime, session, queue }
}

thread_local! {
    static WORLD: std::cell::RefCell<World> = std::cell::RefCell::new(world());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(frame) = parse_client_frame(text) else { return };
    WORLD.with(|world| {
        let mut world = world.borrow_mut();
        let World { runtime, session, queue } = &mut *world;
        runtime.block_on(session.handle(frame));
        // Answers are read off, so the connection never counts as slow.
        while queue.try_recv().is_ok() {}
    });
});
