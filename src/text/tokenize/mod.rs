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

mod keys;

pub(crate) use keys::default_keys;

use regex::Regex;

use super::chars::is_word;
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

#[cfg(test)]
mod tests;
