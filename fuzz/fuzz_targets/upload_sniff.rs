//! Uploads as the server inspects them: any bytes are sniffed as an image,
//! a recording and a file, and what passes as an image is decoded within
//! the server's limits. Nothing may panic.
#![no_main]

use chat_server::media::{content_type_of, describe_image, UploadKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for kind in [UploadKind::Image, UploadKind::Audio, UploadKind::File] {
        if content_type_of(data, kind).is_ok() && kind == UploadKind::Image {
            let _ = describe_image(data);
        }
    }
});
