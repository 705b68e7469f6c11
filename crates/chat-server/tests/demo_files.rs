//! The demo page's files as `--demo-dir` serves them: precompressed (brotli,
//! else gzip) when the build wrote `.br` and `.gz` copies and the browser
//! accepts them, plain otherwise, with `Vary` for caches between, and
//! revalidated so a returning visitor downloads nothing that did not change;
//! an address the demo lacks gets its 404 page.

mod support;

use reqwest::{header, StatusCode};
use support::*;

#[tokio::test]
async fn the_demo_goes_out_precompressed_and_a_returning_visitor_gets_304() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    std::fs::create_dir_all(demo.join("pkg")).unwrap();
    std::fs::write(demo.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(demo.join("404.html"), "<!doctype html><title>Not found</title>").unwrap();
    let wasm = b"\0asm\x01\0\0\0 the module".to_vec();
    std::fs::write(demo.join("pkg/app_bg.wasm"), &wasm).unwrap();
    // Marked contents, so the test sees which copy went out (a real build writes real compressions).
    std::fs::write(demo.join("pkg/app_bg.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(demo.join("pkg/app_bg.wasm.gz"), b"gzip copy").unwrap();
    let mut config = test_config(dir.path());
    config.dev = true;
    config.demo_dir = Some(demo);
    let server = TestServer::start_with(config).await;
    let client = reqwest::Client::new();
    let url = server.http_url("/pkg/app_bg.wasm");
    let get = |accept: &'static str| client.get(&url).header(header::ACCEPT_ENCODING, accept).send();

    for (accept, encoding, body) in [
        ("gzip, deflate, br", Some("br"), &b"brotli copy"[..]),
        ("gzip", Some("gzip"), &b"gzip copy"[..]),
        ("identity", None, &wasm[..]),
    ] {
        let response = get(accept).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        let headers = response.headers().clone();
        let named = |name: header::HeaderName| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(named(header::CONTENT_ENCODING).as_deref(), encoding, "{accept}");
        assert_eq!(named(header::CONTENT_TYPE).as_deref(), Some("application/wasm"), "{accept}");
        assert_eq!(named(header::VARY).as_deref(), Some("accept-encoding"), "{accept}");
        assert_eq!(named(header::CACHE_CONTROL).as_deref(), Some("no-cache"), "{accept}");
        assert_eq!(&response.bytes().await.unwrap()[..], body, "{accept}");
    }

    let first = get("br").await.unwrap();
    let modified = first.headers()[header::LAST_MODIFIED].clone();
    let again = client
        .get(&url)
        .header(header::ACCEPT_ENCODING, "br")
        .header(header::IF_MODIFIED_SINCE, modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "nothing downloaded again");
    assert!(again.bytes().await.unwrap().is_empty());
    let page = client.get(server.http_url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the page itself, with no compressed copy, goes out plain");
    let missing = client.get(server.http_url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert_eq!(missing.text().await.unwrap(), "<!doctype html><title>Not found</title>", "the demo's page saying so");
    server.stop().await;
}
