//! The vectorizer parameters: scikit-learn's option names and defaults,
//! checked once when `fit` is called.
//!
//! `min_df` / `max_df` take a [`DocFreq`]: an integer literal is a count of
//! documents and a float literal a fraction of them, as in scikit-learn.
//!
//! ```
//! use proba::text::{Norm, TfidfVectorizer};
//! let docs = ["the cat sat", "the dog sat", "a cat ran"];
//! let by_count = TfidfVectorizer::params().min_df(2).fit(&docs)?;
//! let by_fraction = TfidfVectorizer::params().min_df(0.5).norm(Norm::L1).fit(&docs)?;
//! assert_eq!(by_count.feature_names(), ["cat", "sat", "the"]);
//! assert_eq!(by_fraction.feature_names(), ["cat", "sat", "the"]);
//! // A fraction outside [0, 1] is an error naming the parameter.
//! let err = TfidfVectorizer::params().max_df(1.5).fit(&docs).unwrap_err();
//! assert!(err.to_string().contains("max_df"));
//! # Ok::<(), proba::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::analyzer::{Analyzer, TextAnalyzer};
use super::preprocess::StripAccents;
use super::stop_words::{IntoStopWords, StopWords};
use super::tokenize::{Tokenizer, DEFAULT_TOKEN_PATTERN};
use crate::error::{Error, Result};

/// A document-frequency limit (`min_df`, `max_df`): a number of documents
/// or a fraction of them. The same type as every other count-or-fraction
/// parameter: [`CountOrFraction`](crate::CountOrFraction).
pub type DocFreq = crate::CountOrFraction;

impl DocFreq {
    fn check_doc_freq(self, name: &'static str) -> Result<()> {
        match self {
            DocFreq::Count(0) => Err(Error::invalid_param(
                name,
                self,
                "a document count must be at least 1 (use a fraction such as 0.0 for no limit)",
            )),
            DocFreq::Fraction(x) if x < 0.0 => Err(Error::invalid_param(
                name,
                self,
                "must not be negative: a document count >= 1 or a fraction in [0, 1]",
            )),
            DocFreq::Fraction(x) if !(0.0..=1.0).contains(&x) => Err(Error::invalid_param(
                name,
                self,
                "a fraction of documents must be within [0, 1]",
            )),
            _ => Ok(()),
        }
    }

    /// The limit in documents, as scikit-learn computes it: a count as is,
    /// a fraction times `n_docs` in f64 without rounding.
    pub(crate) fn resolve_docs(self, n_docs: usize) -> f64 {
        match self {
            DocFreq::Count(n) => n as f64,
            DocFreq::Fraction(x) => x * n_docs as f64,
        }
    }
}

/// Row normalisation of the TF-IDF matrix (scikit-learn's `norm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Norm {
    /// Divide each row by the sum of absolute values.
    L1,
    /// Divide each row by its Euclidean length (the default).
    #[default]
    L2,
    /// Leave the rows as they are (`norm=None`).
    None,
}

impl From<Option<Norm>> for Norm {
    fn from(n: Option<Norm>) -> Self {
        n.unwrap_or(Norm::None)
    }
}

/// The analysis and vocabulary options shared by both vectorizers, in the
/// form that is saved with a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Options {
    pub(crate) lowercase: bool,
    pub(crate) strip_accents: Option<StripAccents>,
    pub(crate) token_pattern: String,
    pub(crate) stop_words: Option<StopWords>,
    /// A stop-word list name given to the setter that is not `"english"`;
    /// `build` refuses it (never saved: a fitted model never has one).
    #[serde(skip)]
    pub(crate) unknown_stop_words: Option<String>,
    pub(crate) analyzer: Analyzer,
    pub(crate) ngram_range: (usize, usize),
    pub(crate) min_df: DocFreq,
    pub(crate) max_df: DocFreq,
    pub(crate) max_features: Option<usize>,
    pub(crate) binary: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            lowercase: true,
            strip_accents: None,
            token_pattern: DEFAULT_TOKEN_PATTERN.to_string(),
            stop_words: None,
            unknown_stop_words: None,
            analyzer: Analyzer::Word,
            ngram_range: (1, 1),
            min_df: DocFreq::Count(1),
            max_df: DocFreq::Fraction(1.0),
            max_features: None,
            binary: false,
        }
    }
}

impl Options {
    /// Checks every option and builds the analyzer.
    pub(crate) fn build(&self) -> Result<TextAnalyzer> {
        let (lo, hi) = self.ngram_range;
        if lo == 0 || lo > hi {
            return Err(Error::invalid_param(
                "ngram_range",
                format!("({lo}, {hi})"),
                "bounds must satisfy 1 <= min_n <= max_n",
            ));
        }
        if let Some(name) = &self.unknown_stop_words {
            return Err(Error::invalid_param(
                "stop_words",
                format!("{name:?}"),
                "the only built-in list is \"english\" (pass a list of words, e.g. vec![\"the\"], for your own)",
            ));
        }
        self.min_df.check_doc_freq("min_df")?;
        self.max_df.check_doc_freq("max_df")?;
        if self.max_features == Some(0) {
            return Err(Error::invalid_param(
                "max_features",
                0,
                "must be at least 1 (or None for no limit)",
            ));
        }
        let word = self.analyzer == Analyzer::Word;
        // As in scikit-learn, the token pattern and stop words only matter for words.
        let tokenizer = if word {
            Some(Tokenizer::new(&self.token_pattern)?)
        } else {
            None
        };
        let stop_words = match (&self.stop_words, word) {
            (Some(s), true) => Some(s.to_set()),
            _ => None,
        };
        Ok(TextAnalyzer {
            lowercase: self.lowercase,
            strip_accents: self.strip_accents,
            kind: self.analyzer,
            tokenizer,
            stop_words,
            ngram: (lo, hi),
        })
    }
}

/// The TF-IDF weighting options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct TfidfOptions {
    pub(crate) norm: Norm,
    pub(crate) use_idf: bool,
    pub(crate) smooth_idf: bool,
    pub(crate) sublinear_tf: bool,
}

impl Default for TfidfOptions {
    fn default() -> Self {
        Self {
            norm: Norm::L2,
            use_idf: true,
            smooth_idf: true,
            sublinear_tf: false,
        }
    }
}

/// Parameters of a [`CountVectorizer`](super::CountVectorizer); create with
/// [`CountVectorizer::params()`](super::CountVectorizer::params).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountVectorizerParams {
    pub(crate) opts: Options,
    pub(crate) vocabulary: Option<Vec<String>>,
}

/// Parameters of a [`TfidfVectorizer`](super::TfidfVectorizer); create with
/// [`TfidfVectorizer::params()`](super::TfidfVectorizer::params).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TfidfVectorizerParams {
    pub(crate) count: CountVectorizerParams,
    pub(crate) tfidf: TfidfOptions,
}

/// The analyzer setters every vectorizer shares (count, TF-IDF, hashing);
/// `$get` returns the `&mut Options`.
macro_rules! analyzer_setters {
    ($get:ident) => {
        /// Lowercase the text before tokenizing (default `true`).
        pub fn lowercase(mut self, yes: bool) -> Self {
            self.$get().lowercase = yes;
            self
        }

        /// Remove accents after lowercasing (default: no stripping). Accepts
        /// `StripAccents::Unicode`, `StripAccents::Ascii`, `Some(..)` or `None`.
        pub fn strip_accents(mut self, mode: impl Into<Option<StripAccents>>) -> Self {
            self.$get().strip_accents = mode.into();
            self
        }

        /// The regular expression that finds tokens (default `(?u)\b\w\w+\b`,
        /// matched with Python's notion of a word character). With one
        /// capture group, the group is the token; more groups are an error.
        pub fn token_pattern(mut self, pattern: impl Into<String>) -> Self {
            self.$get().token_pattern = pattern.into();
            self
        }

        /// Tokens to drop before n-grams are built (word analyzer only):
        /// `StopWords::English` (or `"english"`), a `Vec` or slice of words,
        /// or `None` (the default).
        pub fn stop_words(mut self, words: impl IntoStopWords) -> Self {
            self.$get().unknown_stop_words = words.unknown_name();
            self.$get().stop_words = words.into_stop_words();
            self
        }

        /// Word, character or character-in-word n-grams (default `Analyzer::Word`).
        pub fn analyzer(mut self, analyzer: Analyzer) -> Self {
            self.$get().analyzer = analyzer;
            self
        }

        /// Lengths of the n-grams, inclusive (default `(1, 1)`); `1 <= min_n <= max_n`.
        pub fn ngram_range(mut self, min_n: usize, max_n: usize) -> Self {
            self.$get().ngram_range = (min_n, max_n);
            self
        }
    };
}
pub(crate) use analyzer_setters;

/// The vocabulary setters of the two vocabulary-learning parameter types;
/// `$get` returns the `CountVectorizerParams`.
macro_rules! vocabulary_setters {
    ($get:ident) => {
        /// Drop terms found in fewer documents than this: a count (`2`) or a
        /// fraction (`0.1`) of the documents (default `1`).
        pub fn min_df(mut self, min_df: impl Into<DocFreq>) -> Self {
            self.$get().opts.min_df = min_df.into();
            self
        }

        /// Drop terms found in more documents than this: a count (`100`) or a
        /// fraction (`0.9`) of the documents (default `1.0`).
        pub fn max_df(mut self, max_df: impl Into<DocFreq>) -> Self {
            self.$get().opts.max_df = max_df.into();
            self
        }

        /// Keep only the terms with the highest total counts (ties broken
        /// alphabetically); `None` (the default) keeps all.
        pub fn max_features(mut self, max_features: impl Into<Option<usize>>) -> Self {
            self.$get().opts.max_features = max_features.into();
            self
        }

        /// Use this fixed vocabulary, in this column order, instead of
        /// learning one (no df pruning or `max_features` then). Duplicate
        /// terms are an error at `fit`.
        pub fn vocabulary<I, S>(mut self, terms: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.$get().vocabulary = Some(terms.into_iter().map(Into::into).collect());
            self
        }

        /// Record presence (1) instead of counts (default `false`).
        pub fn binary(mut self, yes: bool) -> Self {
            self.$get().opts.binary = yes;
            self
        }
    };
}

impl CountVectorizerParams {
    fn count_mut(&mut self) -> &mut CountVectorizerParams {
        self
    }

    fn opts_mut(&mut self) -> &mut Options {
        &mut self.opts
    }

    analyzer_setters!(opts_mut);
    vocabulary_setters!(count_mut);
}

impl TfidfVectorizerParams {
    fn count_mut(&mut self) -> &mut CountVectorizerParams {
        &mut self.count
    }

    fn opts_mut(&mut self) -> &mut Options {
        &mut self.count.opts
    }

    analyzer_setters!(opts_mut);
    vocabulary_setters!(count_mut);

    /// Row normalisation (default `Norm::L2`); `Norm::None` or `None` for none.
    pub fn norm(mut self, norm: impl Into<Norm>) -> Self {
        self.tfidf.norm = norm.into();
        self
    }

    /// Weight by inverse document frequency (default `true`).
    pub fn use_idf(mut self, yes: bool) -> Self {
        self.tfidf.use_idf = yes;
        self
    }

    /// Add one to every document frequency, as if an extra document held
    /// every term once (default `true`).
    pub fn smooth_idf(mut self, yes: bool) -> Self {
        self.tfidf.smooth_idf = yes;
        self
    }

    /// Replace each count `tf` by `1 + ln(tf)` (default `false`).
    pub fn sublinear_tf(mut self, yes: bool) -> Self {
        self.tfidf.sublinear_tf = yes;
        self
    }
}
