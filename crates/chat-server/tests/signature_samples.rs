//! The book's samples for verifying a request from the server (the message
//! hook, a webhook) in Node and in Python (`docs/samples/`), run against the
//! server's own signer: a signed body passes; a changed body, another secret,
//! an old timestamp or a malformed header does not.

use std::path::{Path, PathBuf};
use std::process::Command;

use chat_server::signing::sign;

const SECRET: &str = "hook-secret-0123456789";
const NOW: u64 = 1_780_000_000;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/samples")
}

/// What each sample says of `header` over `body` at `now`: "valid" or "invalid".
fn verdicts(secret: &str, header: &str, body: &[u8], now: u64) -> [String; 2] {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let body_file = dir.path().join("body.json");
    std::fs::write(&body_file, body).expect("the body is written");
    let run = |program: &str, script: &str| {
        let output = Command::new(program)
            .arg(samples().join(script))
            .args([secret, header])
            .arg(&body_file)
            .arg(now.to_string())
            .output()
            .unwrap_or_else(|e| panic!("{program} runs: {e}"));
        assert!(output.status.success(), "{script}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    [run("node", "verify-signature.mjs"), run("python3", "verify_signature.py")]
}

#[test]
fn the_node_and_python_samples_accept_the_servers_signature_and_nothing_else() {
    let body = br#"{"event":"message.create","meetingId":"standup","text":"caf\u00e9 \ud83d\ude00"}"#;
    let header = sign(SECRET.as_bytes(), NOW, body);
    assert_eq!(verdicts(SECRET, &header, body, NOW + 10), ["valid", "valid"]);
    let mut changed = body.to_vec();
    changed[10] ^= 1;
    assert_eq!(verdicts(SECRET, &header, &changed, NOW), ["invalid", "invalid"], "a changed body");
    assert_eq!(verdicts("another-secret-000000", &header, body, NOW), ["invalid", "invalid"], "another secret");
    assert_eq!(verdicts(SECRET, &header, body, NOW + 301), ["invalid", "invalid"], "an old request, replayed");
    assert_eq!(verdicts(SECRET, "t=oops,v1=zz", body, NOW), ["invalid", "invalid"], "a malformed header");
}
