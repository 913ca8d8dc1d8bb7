//! Step 1: cutting the corpus into chunks by size, never by thread count,
//! so that the chunks (and everything counted from them) depend only on the texts.

use std::ops::Range;

/// Target text bytes per chunk: large enough to amortise the per-chunk term
/// map, small enough to balance a few threads on a few MB.
const CHUNK_BYTES: usize = 128 * 1024;
/// At most this many documents per chunk.
const CHUNK_DOCS: usize = 2048;

/// Splits `texts` into consecutive ranges that depend only on the texts.
pub(crate) fn chunk_ranges<S: AsRef<str>>(texts: &[S]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0usize;
    for (i, t) in texts.iter().enumerate() {
        bytes += t.as_ref().len() + 16;
        if bytes >= CHUNK_BYTES || i + 1 - start >= CHUNK_DOCS {
            out.push(start..i + 1);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < texts.len() {
        out.push(start..texts.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_everything_in_order() {
        let texts: Vec<String> = (0..5000).map(|i| "x".repeat(i % 300)).collect();
        let r = chunk_ranges(&texts);
        assert!(r.len() > 2);
        assert_eq!(r[0].start, 0);
        assert_eq!(r.last().unwrap().end, texts.len());
        assert!(r
            .windows(2)
            .all(|w| w[0].end == w[1].start && w[0].start < w[0].end));
        assert!(chunk_ranges::<&str>(&[]).is_empty());
    }
}
