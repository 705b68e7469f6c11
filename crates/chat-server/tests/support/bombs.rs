//! Picture bombs as an attacker makes them: a real PNG of one colour whose
//! pixels compress a thousandfold, so the upload is small and decoding it is
//! not. Built by hand (one fixed-Huffman deflate block of runs), so a bomb of
//! 121 megapixels takes milliseconds to make in a debug build.

/// A black RGB PNG of `width` × `height`, every byte of it valid.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let raw_len = u64::from(height) * (1 + 3 * u64::from(width));
    let mut zlib = vec![0x78, 0x01];
    zlib.extend(deflate_zeros(raw_len));
    // Adler-32 of zeros: the sum of bytes stays 1, the sum of sums grows by 1 a byte.
    let adler = (((raw_len % 65_521) as u32) << 16) | 1;
    zlib.extend(adler.to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter method, no interlace
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend(u32::try_from(data.len()).expect("a chunk under 4 GiB").to_be_bytes());
    let start = png.len();
    png.extend(kind);
    png.extend(data);
    let crc = crc32(&png[start..]);
    png.extend(crc.to_be_bytes());
}

/// `count` zero bytes as one final fixed-Huffman deflate block: a literal 0,
/// then copies of 258 bytes from 1 back, then literals for the rest.
fn deflate_zeros(count: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.push(1, 1); // the final block
    bits.push(1, 2); // fixed Huffman codes
    let literal_zero = |bits: &mut Bits| bits.push_code(0x30, 8);
    literal_zero(&mut bits);
    let rest = count - 1;
    for _ in 0..rest / 258 {
        bits.push_code(0xC5, 8); // length 258 (code 285)
        bits.push_code(0, 5); // distance 1
    }
    for _ in 0..rest % 258 {
        literal_zero(&mut bits);
    }
    bits.push_code(0, 7); // end of block
    bits.finish()
}

/// A deflate bit stream: values go in least significant bit first, Huffman
/// codes most significant bit first.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    current: u8,
    used: u8,
}

impl Bits {
    fn push(&mut self, value: u32, count: u8) {
        for i in 0..count {
            self.bit((value >> i) & 1 == 1);
        }
    }

    fn push_code(&mut self, code: u32, count: u8) {
        for i in (0..count).rev() {
            self.bit((code >> i) & 1 == 1);
        }
    }

    fn bit(&mut self, set: bool) {
        if set {
            self.current |= 1 << self.used;
        }
        self.used += 1;
        if self.used == 8 {
            self.bytes.push(self.current);
            (self.current, self.used) = (0, 0);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.used > 0 {
            self.bytes.push(self.current);
        }
        self.bytes
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
