//! Step 2 of the word analyzer: splitting preprocessed text into tokens.
//!
//! The default pattern `(?u)\b\w\w+\b` is implemented by hand with Python's
//! `\w` (see `chars`): a token is a maximal run of at least two word
//! characters, counted in code points. Any other pattern goes through the
//! `regex` crate with scikit-learn's capture-group rule: no group yields the
//! whole match, one group yields the group, more groups are an error.
//! Note that the `regex` crate's own `\w` follows UTS#18 (it includes marks),
//! so a custom pattern using `\w` can differ from Python on combining marks.
//!
//! ```
//! use proba::text::CountVectorizer;
//! let cv = CountVectorizer::params().token_pattern(r"(\w+)@").fit(&["ann@x bob@y ann@z"])?;
//! assert_eq!(cv.feature_names(), ["ann", "bob"]);
//! assert!(CountVectorizer::params().token_pattern(r"(a)(b)").fit(&["ab"]).is_err());
//! # Ok::<(), proba::Error>(())
//! ```

use regex::Regex;

use super::chars::is_word;
use super::intern::{fold_ascii, hash_finish, hash_step, load_le, Key};
use crate::error::{Error, Result};

/// scikit-learn's default token pattern.
pub const DEFAULT_TOKEN_PATTERN: &str = r"(?u)\b\w\w+\b";

/// A compiled token pattern.
#[derive(Debug, Clone)]
pub(crate) enum Tokenizer {
    /// `(?u)\b\w\w+\b` with Python's `\w`, without a regex engine.
    Default,
    /// A user pattern; `group` is true when it has exactly one capture group.
    Regex { re: Regex, group: bool },
}

impl Tokenizer {
    /// Compiles `pattern`, recognising the default pattern (with or without
    /// the `(?u)` flag, which is implied in Python 3) as the fast path.
    pub(crate) fn new(pattern: &str) -> Result<Self> {
        if pattern == DEFAULT_TOKEN_PATTERN || pattern == r"\b\w\w+\b" {
            return Ok(Tokenizer::Default);
        }
        let re = Regex::new(pattern).map_err(|e| {
            Error::invalid_param("token_pattern", format!("{pattern:?}"), e.to_string())
        })?;
        let groups = re.captures_len() - 1;
        if groups > 1 {
            return Err(Error::invalid_param(
                "token_pattern",
                format!("{pattern:?}"),
                format!("has {groups} capture groups; at most 1 is allowed"),
            ));
        }
        Ok(Tokenizer::Regex {
            re,
            group: groups == 1,
        })
    }

    /// Calls `f` on every token of `text`, left to right.
    #[inline]
    pub(crate) fn for_each<'t>(&self, text: &'t str, f: impl FnMut(&'t str)) {
        match self {
            Tokenizer::Default => default_tokens(text, f),
            Tokenizer::Regex { re, group: false } => {
                re.find_iter(text).map(|m| m.as_str()).for_each(f)
            }
            Tokenizer::Regex { re, group: true } => re
                .captures_iter(text)
                // Python's findall yields '' for a group that did not participate.
                // The empty token must still point into `text`: the n-gram
                // builder takes tokens' offsets from their addresses.
                .map(|c| c.get(1).map_or(&text[..0], |m| m.as_str()))
                .for_each(f),
        }
    }
}

/// ASCII word characters (`[0-9A-Za-z_]`) as a 128-bit set: bit `b` of
/// `WORD_LO` for bytes 0..64, bit `b - 64` of `WORD_HI` for 64..128. Testing
/// a byte is a shift and a mask on constants held in registers, no table load.
const WORD_LO: u64 = ((1 << 10) - 1) << 48;
const WORD_HI: u64 = (((1 << 26) - 1) << 1) | (1 << 31) | (((1 << 26) - 1) << 33);

/// For an ASCII byte (< 0x80): is it a word character?
#[inline(always)]
fn ascii_word(b: u8) -> bool {
    let set = if b & 64 == 0 { WORD_LO } else { WORD_HI };
    (set >> (b & 63)) & 1 != 0
}

/// Decodes the non-ASCII char at byte `i`: whether it is a word char, and its width.
#[inline]
fn decode_at(text: &str, i: usize) -> (bool, usize) {
    match text.get(i..).and_then(|s| s.chars().next()) {
        Some(c) => (is_word(c), c.len_utf8()),
        None => (false, 1),
    }
}

/// Consumes word characters from byte `i`: returns where they stop and
/// how many code points they were.
#[inline]
fn word_run(text: &str, mut i: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut run = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if !ascii_word(b) {
                break;
            }
            i += 1;
        } else {
            let (word, w) = decode_at(text, i);
            if !word {
                break;
            }
            i += w;
        }
        run += 1;
    }
    (i, run)
}

/// Maximal runs of >= 2 Python word characters, lengths in code points.
#[inline]
fn default_tokens<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    loop {
        // Skip to the start of the next word character.
        let start = loop {
            let Some(&b) = bytes.get(i) else { return };
            if b < 0x80 {
                if ascii_word(b) {
                    break i;
                }
                i += 1;
            } else {
                let (word, w) = decode_at(text, i);
                if word {
                    break i;
                }
                i += w;
            }
        };
        let run;
        (i, run) = word_run(text, i);
        if run >= 2 {
            if let Some(t) = text.get(start..i) {
                f(t);
            }
        }
    }
}

/// The 8 bytes of `b` from `i` as a little-endian `u64`, zero-padded past the end.
#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    match b.get(i..i + 8) {
        Some(&[x0, x1, x2, x3, x4, x5, x6, x7]) => {
            u64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7])
        }
        _ => load_le(b.get(i..).unwrap_or(&[])),
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = LO << 7;

/// For 8 bytes at once: the high bit of each byte that is an ASCII word
/// character (`[0-9A-Za-z_]`), and of each non-ASCII byte.
#[inline(always)]
fn classify(x: u64) -> (u64, u64) {
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
fn first_high(b: &[u8], mut i: usize) -> Option<usize> {
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
fn word_bits(x: u64) -> u64 {
    let (word, _) = classify(x);
    // Gather each byte's high bit into one byte.
    ((word >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Tokens of the pure-ASCII stretch `text[lo..hi]`, which starts and ends
/// at a text end or a non-word byte. A 64-bit mask of word bytes is built
/// per 64 bytes; token bounds then come from bit scans, so finding the next
/// token does not wait for the previous token's hashing.
#[inline]
fn ascii_keys<'t>(text: &'t str, lo: usize, hi: usize, fold: bool, f: &mut impl FnMut(Key<'t>)) {
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
fn emit_ascii<'t>(
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
/// a non-ASCII byte is finished char by char, exactly as [`default_tokens`].
/// `fold` must only be set for ASCII `text`.
#[inline]
fn scalar_keys<'t>(text: &'t str, fold: bool, mut f: impl FnMut(Key<'t>)) {
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
fn slow_run<'t>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::intern::hash_str;

    fn toks(p: &str, s: &str) -> Vec<String> {
        let mut v = Vec::new();
        Tokenizer::new(p)
            .unwrap()
            .for_each(s, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn ascii_word_set_is_exactly_alnum_and_underscore() {
        for b in 0u8..128 {
            assert_eq!(
                ascii_word(b),
                b.is_ascii_alphanumeric() || b == b'_',
                "byte {b}"
            );
        }
    }

    #[test]
    fn default_pattern_matches_python_findall() {
        let d = DEFAULT_TOKEN_PATTERN;
        assert_eq!(
            toks(d, "don't stop-me now_2023: a1 x __"),
            ["don", "stop", "me", "now_2023", "a1", "__"]
        );
        assert_eq!(toks(d, "cafe\u{301} देवनागरी"), ["cafe", "वन", "गर"]);
        assert_eq!(
            toks(d, "i\u{307}stanbul x² 東京"),
            ["stanbul", "x²", "東京"]
        );
        assert_eq!(toks(d, ""), Vec::<String>::new());
        assert_eq!(toks(d, "😀ab😀c"), ["ab"]);
        assert!(matches!(
            Tokenizer::new(r"\b\w\w+\b"),
            Ok(Tokenizer::Default)
        ));
    }

    /// `default_keys` must find exactly `default_tokens`' tokens, with the
    /// hash and key of their (lowercased with `fold`) text.
    #[test]
    fn keys_match_tokens_hashes_and_folding() {
        let pieces = [
            "a",
            "B",
            "z",
            "Z",
            "0",
            "9",
            "_",
            " ",
            ".",
            "-",
            "@",
            "[",
            "`",
            "{",
            "\n",
            "é",
            "É",
            "£",
            "’",
            "東",
            "\u{301}",
            "²",
            "abcdefgh",
            "ABCDEFGHIJ",
            "x_y_z_0123456789",
            "ÅNGSTRÖM",
            "İ",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut texts: Vec<String> = vec![String::new(), "ab".into(), "Ab cD".into()];
        // Tokens ending on, crossing and spanning 64-byte blocks.
        for n in [62, 63, 64, 65, 127, 128, 129, 200] {
            texts.push("Q".repeat(n));
            texts.push(format!("{} {}", "w".repeat(n), "Zz".repeat(n / 3)));
            texts.push(format!("{}é{} x", "a ".repeat(n / 2), "B".repeat(n)));
        }
        for len in 0..400 {
            let mut t = String::new();
            for _ in 0..len % 40 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                t.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            texts.push(t);
        }
        for t in &texts {
            for fold in [false, true] {
                if fold && !t.is_ascii() {
                    continue;
                }
                let src = if fold {
                    t.to_ascii_lowercase()
                } else {
                    t.clone()
                };
                let mut want = Vec::new();
                default_tokens(&src, |w| want.push(w.to_string()));
                let mut got = Vec::new();
                default_keys(t, fold, |k| {
                    let text = if k.fold {
                        k.text.to_ascii_lowercase()
                    } else {
                        k.text.to_string()
                    };
                    assert_eq!(k.hash, hash_str(&text), "{text:?} in {t:?}");
                    let b = text.as_bytes();
                    assert_eq!(k.key, load_le(&b[..b.len().min(8)]), "{text:?}");
                    got.push(text);
                });
                assert_eq!(got, want, "{t:?} fold={fold}");
            }
        }
    }

    #[test]
    fn regex_patterns_follow_the_capture_group_rule() {
        assert_eq!(toks(r"\S+", "a b,c  d"), ["a", "b,c", "d"]);
        assert_eq!(toks(r"#(\w+)", "#x y #zz"), ["x", "zz"]);
        assert_eq!(toks(r"a|(b)", "ab"), ["", "b"]);
        let e = Tokenizer::new(r"(a)(b)").unwrap_err().to_string();
        assert!(
            e.contains("token_pattern") && e.contains("2 capture groups"),
            "{e}"
        );
        let e = Tokenizer::new(r"(unclosed").unwrap_err().to_string();
        assert!(e.contains("token_pattern"), "{e}");
    }
}
