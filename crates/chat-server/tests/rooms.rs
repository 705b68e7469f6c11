//! The server's rooms, held to their one-way flow: only the transport
//! (`src/api/`, and the binaries that start it) speaks HTTP, so nothing in the
//! domain, the storage or the cluster imports `api` or an HTTP crate, and the
//! storage and the cluster never import the domain.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn sources(src: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(src, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("a source file");
            out.push((path.strip_prefix(src).expect("under src").to_path_buf(), text));
        }
    }
}

/// The lines of `text` that name one of `names` as a path (`name::`), comments aside.
fn naming<'a>(text: &'a str, names: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .filter(|line| names.iter().any(|name| line.contains(&format!("{name}::"))))
        .collect()
}

#[test]
fn nothing_below_the_transport_imports_it_and_storage_never_imports_the_domain() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    assert!(files.len() > 50, "the server's sources were read: {}", files.len());
    let transport = |path: &Path| {
        path.starts_with("api")
            || path == Path::new("api.rs")
            || path == Path::new("main.rs")
            || path.starts_with("bin")
    };
    let mut crossings = Vec::new();
    for (path, text) in &files {
        if transport(path) || path == Path::new("lib.rs") {
            continue;
        }
        for line in naming(text, &["crate::api", "axum", "hyper", "hyper_util", "tower", "tower_http"]) {
            crossings.push(format!("{}: {}", path.display(), line.trim()));
        }
        if path.starts_with("store") || path.starts_with("cluster") {
            for line in naming(text, &["crate::hub", "crate::webhooks"]) {
                crossings.push(format!("{}: {}", path.display(), line.trim()));
            }
        }
    }
    assert!(crossings.is_empty(), "imports that run back up:\n{}", crossings.join("\n"));
}
