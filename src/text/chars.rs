//! Python's character classes: what `re` calls a word character (`\w`) and
//! what `str.isspace()` calls whitespace.
//!
//! scikit-learn's default token pattern `(?u)\b\w\w+\b` and its whitespace
//! handling for the `char` analyzers run on CPython's tables, which differ
//! from Rust's `char::is_alphanumeric` / `char::is_whitespace` on thousands
//! of code points. The tables in [`super::unicode_tables`] are generated from
//! CPython itself; lookups take an ASCII fast path, then a binary search.
//!
//! ```
//! # // The module is private; its behaviour shows through the tokenizer.
//! use proba::text::CountVectorizer;
//! // U+0301 (combining acute) is not a word char; '_' and '²' are.
//! let cv = CountVectorizer::params().fit(&["cafe\u{301} x² __"])?;
//! assert_eq!(cv.feature_names(), ["__", "cafe", "x²"]);
//! # Ok::<(), proba::Error>(())
//! ```

use std::cmp::Ordering;

use super::unicode_tables::{WHITESPACE, WORD};

const fn ascii_table(table: &[(u32, u32)]) -> [bool; 128] {
    let mut out = [false; 128];
    let mut i = 0;
    while i < table.len() {
        let (lo, hi) = table[i];
        let mut c = lo;
        while c <= hi && c < 128 {
            out[c as usize] = true;
            c += 1;
        }
        i += 1;
    }
    out
}

static ASCII_WORD: [bool; 128] = ascii_table(&WORD);
static ASCII_SPACE: [bool; 128] = ascii_table(&WHITESPACE);

#[inline]
fn in_ranges(table: &[(u32, u32)], cp: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                Ordering::Less
            } else if lo > cp {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Python `re` `\w`: `'_'` or general category L* / N* (Unicode 14).
#[inline]
pub(crate) fn is_word(c: char) -> bool {
    let cp = c as u32;
    match ASCII_WORD.get(cp as usize) {
        Some(&w) => w,
        None => in_ranges(&WORD, cp),
    }
}

/// Python `str.isspace()` (and `re` `\s`): Unicode White_Space plus U+001C..U+001F.
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    let cp = c as u32;
    match ASCII_SPACE.get(cp as usize) {
        Some(&w) => w,
        None => in_ranges(&WHITESPACE, cp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [&WORD[..], &WHITESPACE[..]] {
            for w in table.windows(2) {
                assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{w:?}");
            }
        }
    }

    #[test]
    fn word_chars_follow_python() {
        for c in [
            'a', 'Z', '0', '_', 'é', 'σ', 'ж', '東', '²', '½', 'Ⅻ', 'ǅ', 'क',
        ] {
            assert!(is_word(c), "{c:?} is a word char");
        }
        // Marks (Mn, Mc), punctuation, symbols, emoji and spaces are not.
        for c in [
            '\u{301}', '\u{94D}', '\u{93F}', '-', '\'', '.', '€', '😀', ' ', '\u{3000}',
        ] {
            assert!(!is_word(c), "{c:?} is not a word char");
        }
    }

    #[test]
    fn whitespace_includes_the_information_separators() {
        for c in [
            ' ', '\t', '\n', '\x0b', '\x0c', '\r', '\x1c', '\x1d', '\x1e', '\x1f', '\u{85}',
            '\u{a0}', '\u{2029}', '\u{3000}',
        ] {
            assert!(is_space(c), "{c:?}");
        }
        for c in ['a', '\u{200b}', '\u{feff}', '_', '\x00'] {
            assert!(!is_space(c), "{c:?}");
        }
    }
}
