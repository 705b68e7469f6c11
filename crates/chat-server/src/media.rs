//! What an upload is, decided from its bytes alone: its content type, and for
//! images their size, a thumbnail and a blurhash. File names are sanitized here.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

/// What the uploader says the file is for; the bytes must agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadKind {
    /// A raster image shown inline: PNG, JPEG, GIF or WebP.
    Image,
    /// A sound recording played inline.
    Audio,
    /// Anything, offered for download.
    File,
}

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIZE: u32 = 320;
const MAX_IMAGE_SIDE: u32 = 16_384;
/// The most pixels an image may have to be decoded. A PNG of one colour
/// compresses 121 megapixels into 353 KB and decoding it took 358 MB: the
/// byte limits never see it, the header does. 40 megapixels is a 7,700 ×
/// 5,200 photo, more than any camera a chat sees, and at most 160 MB decoded.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
const INLINE_IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// What an image upload yields besides its bytes.
#[derive(Clone, Debug)]
pub struct ImageInfo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// A blurhash placeholder.
    pub blurhash: String,
    /// The encoded thumbnail (PNG or JPEG).
    pub thumbnail: Vec<u8>,
}

/// Why an upload's bytes were refused.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The bytes are not a supported image.
    #[error("the file is not a PNG, JPEG, GIF or WebP image (detected {detected})")]
    NotAnImage {
        /// What the bytes look like.
        detected: String,
    },
    /// The bytes are not a supported recording.
    #[error("the file is not an audio recording (detected {detected})")]
    NotAudio {
        /// What the bytes look like.
        detected: String,
    },
    /// The image could not be decoded or is too large to decode.
    #[error("the image could not be read: {0}")]
    UndecodableImage(String),
    /// The image's header says it has more than [`MAX_IMAGE_PIXELS`].
    #[error("the image is {width} × {height} pixels; images of at most {} megapixels are taken", MAX_IMAGE_PIXELS / 1_000_000)]
    TooManyPixels {
        /// Its width, as its header says.
        width: u32,
        /// Its height, as its header says.
        height: u32,
    },
    /// The upload was empty.
    #[error("the file is empty")]
    Empty,
}

/// The content type the bytes show, or `application/octet-stream`.
pub fn detect_content_type(bytes: &[u8]) -> String {
    infer::get(bytes).map_or_else(|| "application/octet-stream".to_owned(), |t| t.mime_type().to_owned())
}

/// How many of an upload's first bytes tell its type.
pub const SNIFF_LENGTH: usize = 8192;

/// The content type an upload's first bytes ([`SNIFF_LENGTH`] of them, or
/// all) show, if it agrees with `kind`.
pub fn content_type_of(bytes: &[u8], kind: UploadKind) -> Result<String, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let detected = detect_content_type(bytes);
    match kind {
        UploadKind::Image => {
            if !INLINE_IMAGE_TYPES.contains(&detected.as_str()) {
                return Err(MediaError::NotAnImage { detected });
            }
            Ok(detected)
        }
        UploadKind::Audio => {
            let is_audio = infer::get(bytes).is_some_and(|t| t.matcher_type() == infer::MatcherType::Audio);
            // Browsers record audio as WebM, which carries no audio/video marker in its magic bytes.
            let content_type = if is_audio {
                detected
            } else if detected == "video/webm" {
                "audio/webm".to_owned()
            } else {
                return Err(MediaError::NotAudio { detected });
            };
            Ok(content_type)
        }
        UploadKind::File => Ok(detected),
    }
}

/// The image's size as its header says, refused past [`MAX_IMAGE_PIXELS`]
/// before anything is decoded.
pub fn check_image_size(bytes: &[u8]) -> Result<(u32, u32), MediaError> {
    let (width, height) =
        reader_of(bytes)?.into_dimensions().map_err(|e| MediaError::UndecodableImage(e.to_string()))?;
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(MediaError::TooManyPixels { width, height });
    }
    Ok((width, height))
}

fn reader_of(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, MediaError> {
    ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| MediaError::UndecodableImage(e.to_string()))
}

/// An image's size, thumbnail and blurhash, decoded within limits.
pub fn describe_image(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let undecodable = |e: image::ImageError| MediaError::UndecodableImage(e.to_string());
    check_image_size(bytes)?;
    let mut reader = reader_of(bytes)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(undecodable)?;
    let thumbnail = image.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    let mut encoded = Cursor::new(Vec::new());
    // JPEG is far smaller for photos; PNG keeps transparency.
    if thumbnail.color().has_alpha() {
        thumbnail.write_to(&mut encoded, ImageFormat::Png).map_err(undecodable)?;
    } else {
        DynamicImage::ImageRgb8(thumbnail.to_rgb8()).write_to(&mut encoded, ImageFormat::Jpeg).map_err(undecodable)?;
    }
    let tiny = image.thumbnail(32, 32).to_rgba8();
    let blurhash = blurhash::encode(4, 3, tiny.width(), tiny.height(), tiny.as_raw())
        .map_err(|e| MediaError::UndecodableImage(e.to_string()))?;
    Ok(ImageInfo { width: image.width(), height: image.height(), blurhash, thumbnail: encoded.into_inner() })
}

/// A file name safe to show and to offer as a download name: no directories,
/// no control or reserved characters, at most 200 bytes, never empty.
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = sanitize_filename::sanitize(base).chars().filter(|c| !c.is_control()).collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let mut name = String::new();
    for c in trimmed.chars() {
        if name.len() + c.len_utf8() > 200 {
            break;
        }
        name.push(c);
    }
    if name.is_empty() {
        "file".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_directories_and_control_characters() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(sanitize_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(sanitize_name(".."), "file");
        assert_eq!(sanitize_name(""), "file");
        assert_eq!(sanitize_name(".hidden"), "hidden");
        assert_eq!(sanitize_name("report 2026.pdf"), "report 2026.pdf");
        assert!(sanitize_name(&"é".repeat(300)).len() <= 200);
    }

    #[test]
    fn html_is_not_an_image_whatever_it_is_called() {
        let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
        assert!(matches!(content_type_of(html, UploadKind::Image), Err(MediaError::NotAnImage { .. })));
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(matches!(content_type_of(svg, UploadKind::Image), Err(MediaError::NotAnImage { .. })));
    }

    #[test]
    fn a_png_gets_size_thumbnail_and_blurhash() {
        let mut png = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(640, 480, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }))
        .write_to(&mut png, ImageFormat::Png)
        .expect("encode test image");
        assert_eq!(content_type_of(png.get_ref(), UploadKind::Image).expect("a PNG is an image"), "image/png");
        let info = describe_image(png.get_ref()).expect("image info");
        assert_eq!((info.width, info.height), (640, 480));
        assert!(!info.blurhash.is_empty());
        let thumb = image::load_from_memory(&info.thumbnail).expect("thumbnail decodes");
        assert_eq!((thumb.width(), thumb.height()), (320, 240));
    }
}
