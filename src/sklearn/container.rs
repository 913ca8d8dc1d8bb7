//! The outer layer of a file: a bare pickle, or a joblib file compressed
//! with zlib (`compress=3`) or gzip (`compress=('gzip', 3)`), told apart by
//! their first bytes. Other joblib compressors are refused by name.

use std::borrow::Cow;
use std::io::Read;

use crate::error::{Error, Result};

/// A compressed file may expand to at most this many times its size...
const MAX_RATIO: u64 = 200;
/// ...and never beyond this many bytes.
const MAX_DECOMPRESSED: u64 = 16 << 30;

/// Whether `bytes` look like a pickle or a compressed joblib file (by
/// content: the first bytes, not a file name).
pub fn is_pickle(bytes: &[u8]) -> bool {
    matches!(bytes, [0x80, 2..=5, ..]) || compressor(bytes).is_some()
}

fn compressor(bytes: &[u8]) -> Option<&'static str> {
    Some(match bytes {
        [0x78, b, ..] if (u16::from(0x78u8) << 8 | u16::from(*b)) % 31 == 0 => "zlib",
        [0x1f, 0x8b, ..] => "gzip",
        [b'B', b'Z', b'h', ..] => "bz2",
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => "xz",
        [0x5d, 0x00, 0x00, ..] => "lzma",
        [0x04, 0x22, 0x4d, 0x18, ..] => "lz4",
        [b'Z', b'F', ..] => "joblib < 0.10 zlib",
        _ => return None,
    })
}

/// The pickle stream inside `bytes`, decompressed if needed.
pub(crate) fn pickle_bytes(bytes: &[u8]) -> Result<Cow<'_, [u8]>> {
    match compressor(bytes) {
        None => Ok(Cow::Borrowed(bytes)),
        Some(name @ ("zlib" | "gzip")) => inflate(bytes, name).map(Cow::Owned),
        Some(other) => Err(Error::Unsupported(format!(
            "joblib compressor {other} (this build reads uncompressed, zlib and gzip files)"
        ))),
    }
}

#[cfg(feature = "sklearn")]
fn inflate(bytes: &[u8], name: &str) -> Result<Vec<u8>> {
    let limit = (bytes.len() as u64)
        .saturating_mul(MAX_RATIO)
        .min(MAX_DECOMPRESSED);
    let reader: Box<dyn Read + '_> = if name == "zlib" {
        Box::new(flate2::read::ZlibDecoder::new(bytes))
    } else {
        Box::new(flate2::read::MultiGzDecoder::new(bytes))
    };
    let mut out = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::Format(format!("{name} stream: {e}")))?;
    if out.len() as u64 > limit {
        return Err(Error::Unsupported(format!(
            "a {name} stream expanding beyond {limit} bytes ({MAX_RATIO}x the file)"
        )));
    }
    Ok(out)
}
