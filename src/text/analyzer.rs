//! The analyzer: preprocess → tokenize → stop words → n-grams, built once
//! from the options and reused for every document (scikit-learn's
//! `build_analyzer`). Features are handed to a callback as `&str` slices of
//! reused buffers, so analysing a document allocates nothing in the steady
//! state.
//!
//! ```
//! use proba::text::{Analyzer, CountVectorizer};
//! let cv = CountVectorizer::params().analyzer(Analyzer::CharWb).ngram_range(2, 4).fit(&["a"])?;
//! assert_eq!(cv.feature_names(), [" a", " a ", "a "]);
//! # Ok::<(), proba::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::chars::is_space;
use super::intern::{Interner, Key};
use super::preprocess::{lowercase_into, strip_accents_into, StripAccents};
use super::tokenize::{default_keys, Tokenizer};

/// What the features are made of (scikit-learn's `analyzer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Analyzer {
    /// Word n-grams from the token pattern (the default).
    #[default]
    Word,
    /// Character n-grams over the whole (whitespace-normalised) text.
    Char,
    /// Character n-grams inside words, each word padded with one space on both sides.
    CharWb,
}

/// Reusable buffers for one thread's documents.
#[derive(Default)]
pub(crate) struct Scratch {
    lower: String,
    stripped: String,
    spaces: String,
    tokens: Vec<(usize, usize)>,
    bounds: Vec<usize>,
    gram: String,
    /// A document's features, listed before any is looked up.
    found: Vec<Found>,
    /// The n-grams that are not slices of the text, back to back.
    grams: String,
}

/// How many features ahead [`TextAnalyzer::analyze_keys_ahead`] reports.
pub(crate) const AHEAD: usize = 8;

/// One feature of a document: its place in the text or in the n-gram
/// buffer, and its key.
#[derive(Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    in_grams: bool,
    hash: u64,
    key: u64,
}

/// A fully built analyzer.
#[derive(Debug, Clone)]
pub(crate) struct TextAnalyzer {
    pub(crate) lowercase: bool,
    pub(crate) strip_accents: Option<StripAccents>,
    pub(crate) kind: Analyzer,
    /// Only for `Analyzer::Word`.
    pub(crate) tokenizer: Option<Tokenizer>,
    pub(crate) stop_words: Option<Interner>,
    pub(crate) ngram: (usize, usize),
}

impl TextAnalyzer {
    /// Preprocessing (lowercase, then accents); the result borrows `doc` or a buffer.
    fn preprocess<'a>(
        &self,
        doc: &'a str,
        lower: &'a mut String,
        stripped: &'a mut String,
    ) -> &'a str {
        let text: &'a str = if self.lowercase {
            lowercase_into(doc, lower);
            lower.as_str()
        } else {
            doc
        };
        match self.strip_accents {
            Some(mode) if strip_accents_into(text, mode, stripped) => stripped.as_str(),
            _ => text,
        }
    }

    /// Calls `f` once per feature of `doc`, in scikit-learn's order
    /// (duplicates included: each call is one count).
    #[inline]
    pub(crate) fn analyze(&self, doc: &str, s: &mut Scratch, mut f: impl FnMut(&str)) {
        let Scratch {
            lower,
            stripped,
            spaces,
            tokens,
            bounds,
            gram,
            ..
        } = s;
        let text = self.preprocess(doc, lower, stripped);
        let (lo, hi) = self.ngram;
        match self.kind {
            Analyzer::Word => {
                let Some(tok) = &self.tokenizer else { return };
                let stop = self.stop_words.as_ref();
                if lo == 1 && hi == 1 {
                    match stop {
                        None => tok.for_each(text, f),
                        Some(s) => tok.for_each(text, |t| {
                            if s.get(t).is_none() {
                                f(t)
                            }
                        }),
                    }
                    return;
                }
                kept_tokens(tok, stop, text, tokens);
                word_ngrams(text, tokens, lo, hi, gram, &mut f);
            }
            Analyzer::Char => {
                let text = normalize_spaces(text, spaces);
                char_ngrams(text, bounds, lo, hi, &mut f);
            }
            Analyzer::CharWb => {
                let text = normalize_spaces(text, spaces);
                for word in text.split(is_space).filter(|w| !w.is_empty()) {
                    gram.clear();
                    gram.push(' ');
                    gram.push_str(word);
                    gram.push(' ');
                    char_wb_ngrams(gram, bounds, lo, hi, &mut f);
                }
            }
        }
    }
    /// Like [`analyze`](Self::analyze), with each feature as a hashed
    /// [`Key`]. The common case (default token pattern, unigrams) takes a
    /// fast path: an ASCII document is tokenized, lowercased and hashed in
    /// one pass without a copy; any other document is preprocessed as usual,
    /// then tokenized by the same scanner.
    #[inline]
    pub(crate) fn analyze_keys(&self, doc: &str, s: &mut Scratch, mut f: impl FnMut(&Key<'_>)) {
        if !self.default_unigrams() {
            self.analyze(doc, s, |t| f(&Key::new(t)));
            return;
        }
        let (text, fold) = self.scanned_text(doc, &mut s.lower, &mut s.stripped);
        match &self.stop_words {
            None => default_keys(text, fold, |k| f(&k)),
            Some(stop) => default_keys(text, fold, |k| {
                if stop.get_key(&k).is_none() {
                    f(&k)
                }
            }),
        }
    }

    /// The common case the default scanner serves alone: words of the
    /// default token pattern, unigrams.
    fn default_unigrams(&self) -> bool {
        self.kind == Analyzer::Word
            && self.ngram == (1, 1)
            && matches!(self.tokenizer, Some(Tokenizer::Default))
    }

    /// The text the default scanner reads and whether it lowercases ASCII
    /// on the fly: an ASCII document as it is (accent stripping leaves
    /// ASCII unchanged), any other preprocessed.
    fn scanned_text<'a>(
        &self,
        doc: &'a str,
        lower: &'a mut String,
        stripped: &'a mut String,
    ) -> (&'a str, bool) {
        if doc.is_ascii() {
            (doc, self.lowercase)
        } else {
            (self.preprocess(doc, lower, stripped), false)
        }
    }

    /// Like [`analyze_keys`](Self::analyze_keys) (the same keys in the same
    /// order), with each key also given the hash of the key [`AHEAD`]
    /// places later (0 past the end), so that a caller looking keys up in
    /// a table larger than the cache can prefetch that one's slot. For
    /// the word analyzer the document's features are listed first (n-grams
    /// separated by single spaces are slices of the text, others are built
    /// once in a buffer); the char analyzers report no look-ahead.
    #[inline]
    pub(crate) fn analyze_keys_ahead(
        &self,
        doc: &str,
        s: &mut Scratch,
        mut f: impl FnMut(&Key<'_>, u64),
    ) {
        let Some(tok) = self
            .tokenizer
            .as_ref()
            .filter(|_| self.kind == Analyzer::Word)
        else {
            self.analyze_keys(doc, s, |k| f(k, 0));
            return;
        };
        let Scratch {
            lower,
            stripped,
            tokens,
            found,
            grams,
            ..
        } = s;
        let unigrams = self.default_unigrams();
        let (text, fold) = if unigrams {
            self.scanned_text(doc, lower, stripped)
        } else {
            (self.preprocess(doc, lower, stripped), false)
        };
        let stop = self.stop_words.as_ref();
        found.clear();
        grams.clear();
        let base = text.as_ptr() as usize;
        let slice = |t: &str, k: &Key<'_>| Found {
            start: t.as_ptr() as usize - base,
            end: t.as_ptr() as usize - base + t.len(),
            in_grams: false,
            hash: k.hash,
            key: k.key,
        };
        if unigrams {
            default_keys(text, fold, |k| {
                if stop.map_or(true, |s| s.get_key(&k).is_none()) {
                    found.push(slice(k.text, &k));
                }
            });
        } else {
            kept_tokens(tok, stop, text, tokens);
            let (lo, hi) = self.ngram;
            for n in lo..=hi.min(tokens.len()) {
                for w in tokens.windows(n) {
                    let (first, last) = (w[0], w[n - 1]);
                    // Tokens one space apart: the n-gram is a slice of the text.
                    let spaced = w.windows(2).all(|p| text.get(p[0].1..p[1].0) == Some(" "));
                    if spaced {
                        let t = text.get(first.0..last.1).unwrap_or("");
                        found.push(slice(t, &Key::new(t)));
                        continue;
                    }
                    let start = grams.len();
                    for (i, &(a, b)) in w.iter().enumerate() {
                        if i > 0 {
                            grams.push(' ');
                        }
                        grams.push_str(text.get(a..b).unwrap_or(""));
                    }
                    let k = Key::new(grams.get(start..).unwrap_or(""));
                    found.push(Found {
                        start,
                        end: grams.len(),
                        in_grams: true,
                        hash: k.hash,
                        key: k.key,
                    });
                }
            }
        }
        for (i, x) in found.iter().enumerate() {
            let src = if x.in_grams { grams.as_str() } else { text };
            let k = Key {
                text: src.get(x.start..x.end).unwrap_or(""),
                // Only the unigram scanner folds, and only slices of the text.
                fold: fold && !x.in_grams,
                hash: x.hash,
                key: x.key,
            };
            f(&k, found.get(i + AHEAD).map_or(0, |a| a.hash));
        }
    }
}

/// The byte ranges in `text` of its tokens that are not stop words.
fn kept_tokens(
    tok: &Tokenizer,
    stop: Option<&Interner>,
    text: &str,
    tokens: &mut Vec<(usize, usize)>,
) {
    tokens.clear();
    let base = text.as_ptr() as usize;
    tok.for_each(text, |t| {
        if stop.map_or(true, |s| s.get(t).is_none()) {
            let start = t.as_ptr() as usize - base;
            tokens.push((start, start + t.len()));
        }
    });
}

/// Word n-grams of the kept tokens: all `lo`-grams first, then `lo+1`, ...
fn word_ngrams(
    text: &str,
    tokens: &[(usize, usize)],
    lo: usize,
    hi: usize,
    gram: &mut String,
    f: &mut impl FnMut(&str),
) {
    let tok = |&(a, b): &(usize, usize)| text.get(a..b).unwrap_or("");
    for n in lo..=hi.min(tokens.len()) {
        for w in tokens.windows(n) {
            if n == 1 {
                f(tok(&w[0]));
            } else {
                gram.clear();
                for (k, t) in w.iter().enumerate() {
                    if k > 0 {
                        gram.push(' ');
                    }
                    gram.push_str(tok(t));
                }
                f(gram);
            }
        }
    }
}

/// Python `re.sub(r"\s\s+", " ", text)`: runs of two or more whitespace
/// chars become one space; a single whitespace char is kept as is.
fn normalize_spaces<'a>(text: &'a str, out: &'a mut String) -> &'a str {
    // Fast check: is there any run of >= 2 whitespace chars?
    let mut prev_space = false;
    let mut needs = false;
    for c in text.chars() {
        let sp = is_space(c);
        if sp && prev_space {
            needs = true;
            break;
        }
        prev_space = sp;
    }
    if !needs {
        return text;
    }
    out.clear();
    let mut iter = text.chars().peekable();
    while let Some(c) = iter.next() {
        if is_space(c) && iter.peek().is_some_and(|&d| is_space(d)) {
            while iter.peek().is_some_and(|&d| is_space(d)) {
                iter.next();
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte offsets of every char boundary of `text`, including the end.
fn char_bounds(text: &str, bounds: &mut Vec<usize>) {
    bounds.clear();
    bounds.extend(text.char_indices().map(|(i, _)| i));
    bounds.push(text.len());
}

/// `analyzer='char'`: every window of `n` chars, for `n = lo..=min(hi, len)`.
fn char_ngrams(
    text: &str,
    bounds: &mut Vec<usize>,
    lo: usize,
    hi: usize,
    f: &mut impl FnMut(&str),
) {
    char_bounds(text, bounds);
    let len = bounds.len() - 1;
    for n in lo..=hi.min(len) {
        for i in 0..=len - n {
            f(text.get(bounds[i]..bounds[i + n]).unwrap_or(""));
        }
    }
}

/// `analyzer='char_wb'` on one padded word: a word no longer than `n` is
/// emitted once, whole, and ends the loop over `n`.
fn char_wb_ngrams(
    word: &str,
    bounds: &mut Vec<usize>,
    lo: usize,
    hi: usize,
    f: &mut impl FnMut(&str),
) {
    char_bounds(word, bounds);
    let m = bounds.len() - 1;
    for n in lo..=hi {
        if m <= n {
            f(word);
            break;
        }
        for i in 0..=m - n {
            f(word.get(bounds[i]..bounds[i + n]).unwrap_or(""));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize::DEFAULT_TOKEN_PATTERN;
    use proptest::strategy::Strategy;

    fn run(a: &TextAnalyzer, doc: &str) -> Vec<String> {
        let mut v = Vec::new();
        a.analyze(doc, &mut Scratch::default(), |t| v.push(t.to_string()));
        v
    }

    fn analyzer(kind: Analyzer, lo: usize, hi: usize) -> TextAnalyzer {
        TextAnalyzer {
            lowercase: true,
            strip_accents: None,
            kind,
            tokenizer: Some(Tokenizer::new(DEFAULT_TOKEN_PATTERN).unwrap()),
            stop_words: None,
            ngram: (lo, hi),
        }
    }

    /// Every key the look-ahead path gives, with the hash it reports ahead.
    fn ahead_keys(a: &TextAnalyzer, doc: &str, s: &mut Scratch) -> Vec<(String, u64, u64, u64)> {
        let mut v = Vec::new();
        a.analyze_keys_ahead(doc, s, |k, ahead| {
            let text = if k.fold {
                k.text.to_ascii_lowercase()
            } else {
                k.text.to_owned()
            };
            v.push((text, k.hash, k.key, ahead));
        });
        v
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_206),
            failure_persistence: None,
            ..Default::default()
        })]

        /// The look-ahead path (features listed per document, n-grams as
        /// slices of the text where they can be) gives exactly the
        /// features of the exact path, in order, with their keys, on any
        /// Unicode text, for every word option; and each reported
        /// look-ahead hash is that of the feature `AHEAD` places later.
        #[test]
        fn the_look_ahead_path_gives_the_exact_features(
            docs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        3 => proptest::sample::select(vec![
                            "the", "Cat", "a", "café", "CAFÉ", "naïve", "ΣΟΦΟΣ", "中文", "x2",
                            "it's", "snake_case", "İstanbul", "straße", "ﬁne",
                        ]).prop_map(String::from),
                        2 => "\\PC{1,8}",
                        1 => "[ \t\n\u{a0}\u{3000}.,;]{1,3}",
                    ],
                    0..24,
                ).prop_map(|w| w.join(" ")),
                1..6,
            ),
            lowercase in proptest::bool::ANY,
            strip in 0usize..3,
            (lo, extra) in (1usize..3, 0usize..3),
            stop in proptest::bool::ANY,
            regex in proptest::bool::ANY,
        ) {
            let pattern = if regex { r"(?u)\b\w{2,}\b" } else { DEFAULT_TOKEN_PATTERN };
            let a = TextAnalyzer {
                lowercase,
                strip_accents: [None, Some(StripAccents::Ascii), Some(StripAccents::Unicode)][strip],
                kind: Analyzer::Word,
                tokenizer: Some(Tokenizer::new(pattern).unwrap()),
                stop_words: stop.then(|| crate::text::StopWords::English.to_set()),
                ngram: (lo, lo + extra),
            };
            let mut s = Scratch::default();
            for doc in &docs {
                let got = ahead_keys(&a, doc, &mut s);
                let mut want = Vec::new();
                a.analyze(doc, &mut Scratch::default(), |t| {
                    let k = Key::new(t);
                    want.push((t.to_owned(), k.hash, k.key));
                });
                let plain: Vec<_> = got.iter().map(|(t, h, k, _)| (t.clone(), *h, *k)).collect();
                proptest::prop_assert_eq!(&plain, &want, "doc {:?}", doc);
                for (i, g) in got.iter().enumerate() {
                    let later = want.get(i + AHEAD).map_or(0, |w| w.1);
                    proptest::prop_assert_eq!(g.3, later);
                }
            }
        }
    }

    #[test]
    fn word_ngrams_come_unigrams_first() {
        let a = analyzer(Analyzer::Word, 1, 2);
        assert!(run(&a, "A b\tC").is_empty());
        assert_eq!(run(&a, "aa  BB\ncc"), ["aa", "bb", "cc", "aa bb", "bb cc"]);
        let a = analyzer(Analyzer::Word, 2, 3);
        assert_eq!(run(&a, "aa bb"), ["aa bb"]);
        assert!(run(&a, "aa").is_empty());
    }

    #[test]
    fn char_analyzer_normalises_whitespace_runs_only() {
        let a = analyzer(Analyzer::Char, 1, 2);
        assert_eq!(run(&a, "a\tb"), ["a", "\t", "b", "a\t", "\tb"]);
        assert_eq!(run(&a, "a \x1c\nb"), ["a", " ", "b", "a ", " b"]);
        let a = analyzer(Analyzer::Char, 3, 4);
        assert!(run(&a, "ab").is_empty());
    }

    #[test]
    fn char_wb_pads_words_and_emits_short_words_once() {
        let a = analyzer(Analyzer::CharWb, 2, 4);
        assert_eq!(run(&a, "a"), [" a", "a ", " a "]);
        let a = analyzer(Analyzer::CharWb, 5, 7);
        assert_eq!(run(&a, "ab xyzw"), [" ab ", " xyzw", "xyzw ", " xyzw "]);
        let a = analyzer(Analyzer::CharWb, 1, 1);
        assert_eq!(run(&a, " é\u{3000}"), [" ", "é", " "]);
    }
}
