//! Text feature extraction with scikit-learn's exact results:
//! [`CountVectorizer`] and [`TfidfVectorizer`]; for corpora read in chunks,
//! the stateless [`HashingVectorizer`] (no vocabulary) and
//! [`TfidfTransformer`], whose idf can be learned chunk by chunk with
//! [`DocFreqs`].
//!
//! Each document goes through an analyzer built once from the options:
//! lowercase → strip accents → tokenize (scikit-learn's `(?u)\b\w\w+\b`
//! with Python's Unicode word characters, or any regex) → stop words →
//! n-grams; or character n-grams (`Analyzer::Char`, `Analyzer::CharWb`).
//! The vocabulary is sorted, pruned by document frequency and
//! `max_features` as in scikit-learn, and the output is a [`CsrMatrix`](crate::CsrMatrix).
//! Fitting and transforming run in parallel with rayon and give the same
//! result on any number of threads.
//!
//! Shapes: `params().fit(&texts)` returns the fitted vectorizer;
//! `params().fit_transform(&texts)` returns `(vectorizer, matrix)` in one
//! pass; `transform(&texts)` returns one row per text, and `transform_one(doc)`
//! a 1-row matrix without touching the thread pool (for serving).
//!
//! Where this differs from scikit-learn, on purpose:
//! * `max_features` keeps the terms with the highest total count and breaks
//!   ties alphabetically; scikit-learn's tie order at the cut-off depends on
//!   numpy's SIMD sort and is not portable.
//! * A custom `token_pattern` is compiled by the `regex` crate: no
//!   look-around or back-references (an error naming `token_pattern`), and
//!   its `\w`/`\b` follow Unicode's definition (which includes combining
//!   marks) rather than Python's. The default pattern is implemented
//!   separately, exactly as Python matches it.
//! * No `preprocessor`/`tokenizer`/callable `analyzer` hooks and no `dtype`:
//!   the output is always `f64`. A fixed-vocabulary term absent from the
//!   corpus with `smooth_idf(false)` has an infinite idf: `fit` returns an
//!   error instead of producing a matrix that scikit-learn would reject.
//!
//! ```
//! use proba::text::{StopWords, TfidfVectorizer};
//! let train = ["Rust is fast", "Python is friendly", "Rust and Python"];
//! let tfidf = TfidfVectorizer::params()
//!     .ngram_range(1, 2)
//!     .stop_words(StopWords::English)
//!     .min_df(1)
//!     .fit(&train)?;
//! let x = tfidf.transform(&["is Rust fast?"])?;
//! assert_eq!(x.shape(), (1, tfidf.feature_names().len()));
//! assert!(tfidf.term_index("rust fast").is_some());
//! # Ok::<(), proba::Error>(())
//! ```

mod analyzer;
mod chars;
mod count_vectorizer;
mod counting;
mod hashing_murmur;
mod hashing_vectorizer;
mod intern;
mod params;
mod preprocess;
mod stop_words;
mod tfidf_transformer;
mod tfidf_vectorizer;
mod tokenize;
mod unicode_tables;
mod vectorizer;
mod vocabulary;
mod weighting;

pub(crate) use params::TfidfOptions;

pub use analyzer::Analyzer;
pub use count_vectorizer::CountVectorizer;
pub use hashing_vectorizer::{HashingVectorizer, HashingVectorizerParams, DEFAULT_N_FEATURES};
pub use params::{CountVectorizerParams, DocFreq, Norm, TfidfVectorizerParams};
pub use preprocess::StripAccents;
pub use stop_words::{english_stop_words, IntoStopWords, StopWords};
pub use tfidf_transformer::{DocFreqs, TfidfTransformer, TfidfTransformerParams};
pub use tfidf_vectorizer::TfidfVectorizer;
pub use tokenize::DEFAULT_TOKEN_PATTERN;
pub use unicode_tables::UNICODE_VERSION;
pub use vectorizer::{FitVectorizer, Vectorizer};
