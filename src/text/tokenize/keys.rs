//! The default pattern's fast path: tokens found and hashed in one pass, 64
//! ASCII bytes at a time, char by char around non-ASCII text.

use super::{ascii_word, decode_at, word_run};
use crate::text::intern::{fold_ascii, hash_finish, hash_step, load_le, Key};

/// The 8 bytes of `b` from `i` as a little-endian `u64`, zero-padded past the end.
#[inline(always)]
pub(super) fn load8(b: &[u8], i: usize) -> u64 {
    match b.get(i..i + 8) {
        Some(&[x0, x1, x2, x3, x4, x5, x6, x7]) => {
            u64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7])
        }
        _ => load_le(b.get(i..).unwrap_or(&[])),
    }
}

pub(super) const LO: u64 = 0x0101_0101_0101_0101;
pub(super) const HI: u64 = LO << 7;

/// For 8 bytes at once: the high bit of each byte that is an ASCII word
/// character (`[0-9A-Za-z_]`), and of each non-ASCII byte.
#[inline(always)]
pub(super) fn classify(x: u64) -> (u64, u64) {
    let y = x & !HI;
    // High bit: ASCII byte >= c (no carries: 0x7f + 0x7f < 0x100).
    let ge = |v: u64, c: u8| v.wrapping_add(LO * u64::from(0x80 - c)) & HI;
    let digit = ge(y, b'0') & !ge(y, b'9' + 1);
    // Setting bit 5 maps 'A'..='Z' onto 'a'..='z' and nothing else there.
    let z = y | (LO * 0x20);
    let letter = ge(z, b'a') & !ge(z, b'z' + 1);
    let under = ge(y, b'_') & !ge(y, b'_' + 1);
    let high = x & HI;
    ((digit | letter | under) & !high, high)
}

/// The default pattern (`(?u)\b\w\w+\b`) as [`Key`]s, hashed as they are
/// found. `fold` (lowercase ASCII on the fly) must only be set for ASCII
/// `text`.
///
/// The text is cut at ASCII non-word bytes (no token spans one) into
/// stretches of pure ASCII, tokenized 64 bytes at a time by [`ascii_keys`],
/// and stretches around non-ASCII bytes, tokenized char by char by
/// [`scalar_keys`]. An ASCII document is a single stretch.
#[inline]
pub(crate) fn default_keys<'t>(text: &'t str, fold: bool, mut f: impl FnMut(Key<'t>)) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(p) = first_high(b, i) else {
            ascii_keys(text, i, b.len(), fold, &mut f);
            return;
        };
        // The ASCII stretch ends at the last non-word byte before `p`;
        // the other stretch runs to the first ASCII non-word byte after
        // the non-ASCII bytes (and any word bytes glued to them).
        let q = b
            .get(i..p)
            .and_then(|r| r.iter().rposition(|&c| !ascii_word(c)));
        let q = q.map_or(i, |q| i + q);
        ascii_keys(text, i, q, fold, &mut f);
        let r = b
            .get(p..)
            .and_then(|r| r.iter().position(|&c| c < 0x80 && !ascii_word(c)))
            .map_or(b.len(), |r| p + r);
        if let Some(t) = text.get(q..r) {
            scalar_keys(t, fold, &mut f);
        }
        i = r;
    }
}

/// The position of the first non-ASCII byte of `b` at or after `i`, 8
/// bytes at a time.
#[inline]
pub(super) fn first_high(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        let high = load8(b, i) & HI;
        if high != 0 {
            return Some(i + (high.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    None
}

/// For 8 bytes, a bit per byte (bit `j` for byte `j`): is it an ASCII word
/// byte?
#[inline(always)]
pub(super) fn word_bits(x: u64) -> u64 {
    let (word, _) = classify(x);
    // Gather each byte's high bit into one byte.
    ((word >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Tokens of the pure-ASCII stretch `text[lo..hi]`, which starts and ends
/// at a text end or a non-word byte. A 64-bit mask of word bytes is built
/// per 64 bytes; token bounds then come from bit scans, so finding the next
/// token does not wait for the previous token's hashing.
#[inline]
pub(super) fn ascii_keys<'t>(
    text: &'t str,
    lo: usize,
    hi: usize,
    fold: bool,
    f: &mut impl FnMut(Key<'t>),
) {
    let b = text.as_bytes();
    let b = b.get(..hi).unwrap_or(b);
    let mut open: Option<usize> = None;
    let mut base = lo;
    while base < hi {
        let mut m = 0u64;
        for k in 0..8 {
            m |= word_bits(load8(b, base + 8 * k)) << (8 * k);
        }
        if let Some(s) = open {
            let ones = (!m).trailing_zeros();
            if ones == 64 {
                base += 64;
                continue;
            }
            emit_ascii(text, b, s, base + ones as usize, fold, f);
            open = None;
            m &= u64::MAX << ones;
        }
        while m != 0 {
            let s = m.trailing_zeros();
            let after = !m & (u64::MAX << s);
            if after == 0 {
                open = Some(base + s as usize);
                break;
            }
            let e = after.trailing_zeros();
            emit_ascii(text, b, base + s as usize, base + e as usize, fold, f);
            m &= u64::MAX << e;
        }
        base += 64;
    }
    if let Some(s) = open {
        emit_ascii(text, b, s, hi, fold, f);
    }
}

/// Hashes and emits the ASCII token `text[s..e]` if it has 2 bytes or more.
/// `b` is the stretch's bytes (`text[..hi]`): words are loaded from it whole
/// and masked to the token, without a branch on the token's length.
#[inline(always)]
pub(super) fn emit_ascii<'t>(
    text: &'t str,
    b: &[u8],
    s: usize,
    e: usize,
    fold: bool,
    f: &mut impl FnMut(Key<'t>),
) {
    let len = e.saturating_sub(s);
    if len < 2 {
        return;
    }
    let Some(t) = text.get(s..e) else { return };
    let word = |i: usize| {
        // The bytes of the token from `i`, at most 8, zero-padded.
        let x = load8(b, s + i) & (u64::MAX >> (8 * 8usize.saturating_sub(len - i)));
        if fold {
            fold_ascii(x)
        } else {
            x
        }
    };
    let key = word(0);
    let mut h = hash_step(0, key);
    let mut i = 8;
    while i < len {
        h = hash_step(h, word(i));
        i += 8;
    }
    f(Key {
        text: t,
        fold,
        hash: hash_finish(h, len),
        key,
    });
}

/// [`default_keys`] for any text, token by token.
///
/// Runs of ASCII word bytes are found 8 bytes at a time, and each 8 bytes
/// of a token are hashed as they are scanned (lowercased on the fly with
/// `fold`, for text that is ASCII and not yet lowercased). A token touching
/// a non-ASCII byte is finished char by char, exactly as [`default_tokens`](super::default_tokens).
/// `fold` must only be set for ASCII `text`.
#[inline]
pub(super) fn scalar_keys<'t>(text: &'t str, fold: bool, mut f: impl FnMut(Key<'t>)) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0usize;
    while i < n {
        let (word, high) = classify(load8(b, i));
        let m = word | high;
        if m == 0 {
            i += 8;
            continue;
        }
        i += (m.trailing_zeros() / 8) as usize;
        let start = i;
        let Some(&first) = b.get(start) else { return };
        if first >= 0x80 {
            let (is_w, w) = decode_at(text, i);
            if is_w {
                i = slow_run(text, start, start, 0, &mut f);
            } else {
                i += w;
            }
            continue;
        }
        // An ASCII run: hash each 8 bytes as the scan passes them.
        let (mut h, mut key, mut pos) = (0u64, 0u64, start);
        let end = loop {
            let x = load8(b, pos);
            let (word, _) = classify(x);
            let x = if fold { fold_ascii(x) } else { x };
            let stop = !word & HI;
            if stop == 0 {
                if pos == start {
                    key = x;
                }
                h = hash_step(h, x);
                pos += 8;
                continue;
            }
            let k = (stop.trailing_zeros() / 8) as usize;
            if k > 0 {
                let x = x & (u64::MAX >> (64 - 8 * k));
                if pos == start {
                    key = x;
                }
                h = hash_step(h, x);
            }
            break pos + k;
        };
        if b.get(end).is_some_and(|&c| c >= 0x80) && decode_at(text, end).0 {
            // The word goes on with non-ASCII chars.
            i = slow_run(text, start, end, end - start, &mut f);
            continue;
        }
        i = end;
        if end - start >= 2 {
            if let Some(t) = text.get(start..end) {
                f(Key {
                    text: t,
                    fold,
                    hash: hash_finish(h, end - start),
                    key,
                });
            }
        }
    }
}

/// Finishes a word that started at `start`, char by char from `i` (`run`
/// code points so far), emits it if it has at least 2 code points, and
/// returns where it ends.
#[cold]
pub(super) fn slow_run<'t>(
    text: &'t str,
    start: usize,
    i: usize,
    run: usize,
    f: &mut impl FnMut(Key<'t>),
) -> usize {
    let (i, more) = word_run(text, i);
    if run + more >= 2 {
        if let Some(t) = text.get(start..i) {
            f(Key::new(t));
        }
    }
    i
}
