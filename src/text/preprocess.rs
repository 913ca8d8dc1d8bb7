//! Step 1 of the analyzer: lowercasing and accent stripping, in scikit-learn's
//! order (lowercase first, then accents).
//!
//! ```
//! use proba::text::{CountVectorizer, StripAccents};
//! let cv = CountVectorizer::params()
//!     .strip_accents(StripAccents::Unicode)
//!     .fit(&["Café CAFÉ naïve İstanbul"])?;
//! assert_eq!(cv.feature_names(), ["cafe", "istanbul", "naive"]);
//! # Ok::<(), proba::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// How to remove accents (scikit-learn's `strip_accents`), applied after lowercasing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StripAccents {
    /// NFKD, then drop every non-ASCII code point (`'straße'` → `'strae'`;
    /// Cyrillic and CJK text vanish).
    Ascii,
    /// NFKD, then drop code points whose canonical combining class is not 0
    /// (pure-ASCII text is returned unchanged).
    Unicode,
}

/// Python `str.lower()` of `doc`, written into `out` (cleared first).
///
/// ASCII text is copied and lowercased bytewise. Other text is mapped char by
/// char with the full Unicode mapping (`'İ'` → `"i\u{307}"`); a capital sigma
/// needs its Final_Sigma context, so such text goes through `str::to_lowercase`.
pub(crate) fn lowercase_into(doc: &str, out: &mut String) {
    out.clear();
    if doc.is_ascii() {
        out.push_str(doc);
        out.make_ascii_lowercase();
    } else if doc.contains('\u{3a3}') {
        out.push_str(&doc.to_lowercase());
    } else {
        // ASCII runs are copied and lowercased in bulk; each other char is
        // mapped on its own.
        out.reserve(doc.len());
        let mut rest = doc;
        while !rest.is_empty() {
            let n = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
            let (ascii, tail) = rest.split_at(n);
            let start = out.len();
            out.push_str(ascii);
            if let Some(run) = out.get_mut(start..) {
                run.make_ascii_lowercase();
            }
            let mut chars = tail.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_lowercase());
            }
            rest = chars.as_str();
        }
    }
}

/// Applies `mode` to `text`, writing into `out` (cleared first). Returns
/// `false` (and leaves `out` empty) when the text is unchanged, so the
/// caller can keep using `text`.
pub(crate) fn strip_accents_into(text: &str, mode: StripAccents, out: &mut String) -> bool {
    out.clear();
    match mode {
        StripAccents::Unicode => {
            if text.is_ascii() {
                return false;
            }
            out.extend(text.nfkd().filter(|&c| canonical_combining_class(c) == 0));
        }
        StripAccents::Ascii => {
            if text.is_ascii() {
                return false;
            }
            out.extend(text.nfkd().filter(char::is_ascii));
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(s: &str) -> String {
        let mut out = String::new();
        lowercase_into(s, &mut out);
        out
    }

    fn strip(s: &str, m: StripAccents) -> String {
        let mut out = String::new();
        if strip_accents_into(s, m, &mut out) {
            out
        } else {
            s.to_string()
        }
    }

    #[test]
    fn lowercase_matches_python() {
        assert_eq!(lower("ΣΟΦΟΣ"), "σοφος");
        assert_eq!(lower("İ"), "i\u{307}");
        assert_eq!(lower("ǅ"), "ǆ");
        assert_eq!(lower("MiXeD ÀÉ"), "mixed àé");
        assert_eq!(lower("ABC"), "abc");
        assert_eq!(lower("£5 ÉTÉ Aé"), "£5 été aé");
        assert_eq!(lower("Ä"), "ä");
    }

    #[test]
    fn strip_unicode_keeps_ccc_zero_marks() {
        let u = StripAccents::Unicode;
        assert_eq!(strip("café naïve", u), "cafe naive");
        assert_eq!(strip("हिन्दी", u), "हिनदी");
        assert_eq!(strip("ﬁ x² ½ Ⅻ ①", u), "fi x2 1⁄2 XII 1");
        assert_eq!(strip("i\u{307}stanbul", u), "istanbul");
        assert_eq!(strip("plain", u), "plain");
    }

    #[test]
    fn strip_ascii_drops_everything_else() {
        let a = StripAccents::Ascii;
        assert_eq!(strip("straße øre café", a), "strae re cafe");
        assert_eq!(strip("Москва 東京", a), " ");
    }
}
