//! The average colour a blurhash encodes, as CSS: an image's placeholder
//! until its thumbnail loads.
//!
//! A blurhash's characters 2 to 5 are its average colour in sRGB, in base 83;
//! the rest is detail that only a full decode (cosines and `exp`, a blurhash
//! crate plus libm in the wasm) turns into a picture. A flat colour of the
//! right tone is most of what a placeholder is for, at a fraction of the bytes.

const BASE83: &[u8; 83] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

/// The blurhash's average colour as `#rrggbb`, or `None` if it is malformed.
pub fn average_color(blurhash: &str) -> Option<String> {
    let mut value: u32 = 0;
    for byte in blurhash.as_bytes().get(2..6)? {
        let digit = BASE83.iter().position(|c| c == byte)?;
        value = value * 83 + digit as u32;
    }
    (value <= 0xff_ffff).then(|| format!("#{value:06x}"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn reads_back_the_colour_the_reference_encoder_wrote_for_a_flat_image() {
        for (r, g, b) in [(0, 0, 0), (255, 255, 255), (0x12, 0x80, 0xfe), (200, 30, 90)] {
            let pixels: Vec<u8> = std::iter::repeat_n([r, g, b, 255], 8 * 6).flatten().collect();
            let hash = blurhash::encode(4, 3, 8, 6, &pixels).expect("encodes");
            let color = average_color(&hash).expect("a colour");
            let channel = |at: usize| i32::from_str_radix(&color[at..at + 2], 16).expect("hex");
            // The encoder rounds through linear light: off by one at most.
            for (at, expected) in [(1, r), (3, g), (5, b)] {
                assert!((channel(at) - i32::from(expected)).abs() <= 1, "{hash} gave {color} for {r},{g},{b}");
            }
        }
    }

    #[test]
    fn malformed_hashes_give_none() {
        for bad in ["", "LEHV6", "LE\u{e9}V6nWB", "LE!!!!xx", "LE~~~~xx"] {
            assert_eq!(average_color(bad), None, "{bad}");
        }
    }
}
