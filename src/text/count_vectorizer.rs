//! `CountVectorizer`: a corpus becomes a matrix of term counts.
//!
//! ```
//! use proba::text::CountVectorizer;
//! let docs = ["The quick brown fox.", "The lazy dog, the end."];
//! let (cv, x) = CountVectorizer::params().fit_transform(&docs)?;
//! assert_eq!(cv.feature_names(), ["brown", "dog", "end", "fox", "lazy", "quick", "the"]);
//! assert_eq!(cv.term_index("the"), Some(6));
//! assert_eq!(x.to_dense()[[1, 6]], 2.0);
//! // Unknown terms are ignored at transform time.
//! let y = cv.transform(&["a purple fox"])?;
//! assert_eq!(y.row(0).unwrap().indices(), &[3]);
//! # Ok::<(), proba::Error>(())
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::analyzer::TextAnalyzer;
use super::counting::{self, DocCounts, Learned, Pruning};
use super::intern::Interner;
use super::params::{CountVectorizerParams, Options};
use super::vocabulary::Vocabulary;
use super::weighting::Weighting;
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::CsrMatrix;

/// A fitted count vectorizer: the analyzer and the learned (or given)
/// vocabulary. Create with [`CountVectorizer::params()`] and `fit`.
///
/// ```
/// use proba::text::CountVectorizer;
///
/// let docs = ["the cat sat on the mat", "the dog sat"];
/// let cv = CountVectorizer::params().stop_words("english").fit(&docs)?;
/// assert_eq!(cv.feature_names(), ["cat", "dog", "mat", "sat"]);
/// // One row per text, one column per term; unknown words are ignored.
/// let x = cv.transform(&["the cat chased the other cat", "a sat dog"])?;
/// assert_eq!(x.to_dense(), proba::ndarray::array![[2.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]]);
/// // A document count below 1 is an error naming the parameter.
/// let err = CountVectorizer::params().min_df(0).fit(&docs).unwrap_err();
/// assert!(err.to_string().contains("min_df"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "CountVectorizerRepr")]
pub struct CountVectorizer {
    options: Options,
    fixed_vocabulary: bool,
    /// The terms; a fit's lookup table is built on first use
    /// (`fit_transform` never needs it, and it would add a hash table to
    /// its peak memory).
    terms: Vocabulary,
    #[serde(skip_serializing)]
    analyzer: TextAnalyzer,
}

/// The saved form, checked and completed on load.
#[derive(Deserialize)]
struct CountVectorizerRepr {
    options: Options,
    fixed_vocabulary: bool,
    terms: Vec<String>,
}

impl TryFrom<CountVectorizerRepr> for CountVectorizer {
    type Error = Error;
    fn try_from(r: CountVectorizerRepr) -> Result<Self> {
        CountVectorizer::from_saved_parts(r.options, r.fixed_vocabulary, r.terms)
    }
}

/// What fitting the counts produced, before any weighting.
pub(crate) struct CountFit {
    vocab: Vocab,
    /// Document frequency of each column in the fit corpus.
    pub(crate) df: Vec<u64>,
    pub(crate) n_docs: usize,
    counts: Counts,
}

/// The fitted vectorizer, or (for a learned vocabulary) its parts: building
/// its lookup table can then run alongside the matrix assembly.
enum Vocab {
    Built(CountVectorizer),
    Pending {
        options: Options,
        terms: Vec<String>,
        analyzer: TextAnalyzer,
    },
}

enum Counts {
    Learned(Learned),
    Fixed(Vec<DocCounts>),
}

impl CountFit {
    /// The terms in column order.
    pub(crate) fn terms(&self) -> &[String] {
        match &self.vocab {
            Vocab::Built(cv) => cv.terms.strings(),
            Vocab::Pending { terms, .. } => terms,
        }
    }

    /// Whether counts are recorded as presence only.
    pub(crate) fn binary(&self) -> bool {
        match &self.vocab {
            Vocab::Built(cv) => cv.options.binary,
            Vocab::Pending { options, .. } => options.binary,
        }
    }

    fn build(vocab: Vocab) -> Result<CountVectorizer> {
        match vocab {
            Vocab::Built(cv) => Ok(cv),
            Vocab::Pending {
                options,
                terms,
                analyzer,
            } => Ok(CountVectorizer::learned(options, terms, analyzer)),
        }
    }

    /// The fitted vectorizer alone.
    pub(crate) fn into_vectorizer(self) -> Result<CountVectorizer> {
        Self::build(self.vocab)
    }

    /// The fitted vectorizer and the matrix of the fit corpus with the given
    /// weighting, built side by side.
    pub(crate) fn matrix(self, w: &Weighting<'_>) -> Result<(CountVectorizer, CsrMatrix)> {
        let n_cols = self.terms().len();
        let (cv, m) = rayon::join(
            || Self::build(self.vocab),
            || match self.counts {
                Counts::Learned(l) => l.into_matrix(n_cols, w),
                Counts::Fixed(chunks) => counting::assemble(chunks, None, false, n_cols, w),
            },
        );
        Ok((cv?, m))
    }
}

impl CountVectorizerParams {
    /// Learns the vocabulary of `texts` (or checks the fixed one) and returns
    /// the fitted vectorizer.
    pub fn fit<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CountVectorizer> {
        self.fit_counts(texts)?.into_vectorizer()
    }

    /// Fits on `texts` and returns the fitted vectorizer with the count
    /// matrix of `texts` (one pass over the corpus, faster than `fit` then
    /// `transform`).
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<(CountVectorizer, CsrMatrix)> {
        let fit = self.fit_counts(texts)?;
        let w = Weighting::counts(self.opts.binary);
        fit.matrix(&w)
    }

    pub(crate) fn fit_counts<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CountFit> {
        let analyzer = self.opts.build()?;
        if texts.is_empty() {
            return Err(Error::EmptyInput("no documents to fit the vocabulary on"));
        }
        if let Some(vocab) = &self.vocabulary {
            let cv =
                CountVectorizer::with_analyzer(self.opts.clone(), true, vocab.clone(), analyzer)?;
            let chunks = counting::count_fixed(&cv.analyzer, cv.index(), texts);
            let df = counting::doc_freqs(&chunks, cv.terms.len());
            return Ok(CountFit {
                vocab: Vocab::Built(cv),
                df,
                n_docs: texts.len(),
                counts: Counts::Fixed(chunks),
            });
        }
        let o = &self.opts;
        let prune = |n_docs: usize| {
            let (min_doc, max_doc) = (o.min_df.resolve_docs(n_docs), o.max_df.resolve_docs(n_docs));
            if max_doc < min_doc {
                return Err(Error::invalid_param(
                    "min_df",
                    o.min_df,
                    format!(
                        "resolves to {min_doc} documents, more than max_df = {} ({max_doc} documents) \
                         allows for {n_docs} documents"
                    , o.max_df),
                ));
            }
            Ok(Pruning {
                min_df: min_doc,
                max_df: max_doc,
                max_features: o.max_features,
            })
        };
        let mut learned =
            counting::learn(&analyzer, texts, prune, o.binary, o.max_features.is_some())?;
        let terms = std::mem::take(&mut learned.terms);
        let df = std::mem::take(&mut learned.df);
        let n_docs = learned.n_docs;
        Ok(CountFit {
            vocab: Vocab::Pending {
                options: self.opts.clone(),
                terms,
                analyzer,
            },
            df,
            n_docs,
            counts: Counts::Learned(learned),
        })
    }
}

impl CountVectorizer {
    /// The parameter builder, with scikit-learn's defaults.
    pub fn params() -> CountVectorizerParams {
        CountVectorizerParams::default()
    }

    fn from_parts(options: Options, fixed_vocabulary: bool, terms: Vec<String>) -> Result<Self> {
        let analyzer = options.build()?;
        Self::with_analyzer(options, fixed_vocabulary, terms, analyzer)
    }

    /// A fitted vectorizer from the parts of its saved form, checked as
    /// `io::load` checks one (also used by `crate::sklearn`).
    pub(crate) fn from_saved_parts(
        options: Options,
        fixed_vocabulary: bool,
        terms: Vec<String>,
    ) -> Result<Self> {
        let cv = CountVectorizer::from_parts(options, fixed_vocabulary, terms)?;
        cv.validate()?;
        Ok(cv)
    }

    /// Like [`from_saved_parts`](Self::from_saved_parts) for terms borrowed
    /// from a file (a scikit-learn pickle's): the lookup table is built
    /// straight from them, with no `String` per term.
    pub(crate) fn from_saved_strs(
        options: Options,
        fixed_vocabulary: bool,
        terms: &[&str],
    ) -> Result<Self> {
        check_size(terms.len())?;
        let terms = Vocabulary::from_strs(terms).map_err(duplicate)?;
        let cv = Self {
            analyzer: options.build()?,
            options,
            fixed_vocabulary,
            terms,
        };
        cv.validate()?;
        Ok(cv)
    }

    fn with_analyzer(
        options: Options,
        fixed_vocabulary: bool,
        terms: Vec<String>,
        analyzer: TextAnalyzer,
    ) -> Result<Self> {
        check_size(terms.len())?;
        Ok(Self {
            options,
            fixed_vocabulary,
            terms: Vocabulary::indexed(terms).map_err(duplicate)?,
            analyzer,
        })
    }

    /// A vectorizer for a learned vocabulary (sorted, so without
    /// duplicates); the lookup index is built on first use.
    fn learned(options: Options, terms: Vec<String>, analyzer: TextAnalyzer) -> Self {
        Self {
            options,
            fixed_vocabulary: false,
            terms: Vocabulary::from_strings(terms),
            analyzer,
        }
    }

    /// The term -> column index.
    fn index(&self) -> &Interner {
        self.terms.index()
    }

    /// The terms in column order (scikit-learn's `get_feature_names_out()`).
    pub fn feature_names(&self) -> &[String] {
        self.terms.strings()
    }

    /// Number of columns of the matrices this vectorizer produces.
    pub fn n_features(&self) -> usize {
        self.terms.len()
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn term_index(&self, term: &str) -> Option<usize> {
        self.index().get(term).map(|i| i as usize)
    }

    /// The vocabulary as a term → column map (scikit-learn's `vocabulary_`).
    /// This builds a new map; for single lookups use [`term_index`](Self::term_index).
    pub fn vocabulary(&self) -> HashMap<String, usize> {
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_owned(), i))
            .collect()
    }

    /// Whether the vocabulary was given by the caller rather than learned.
    pub fn fixed_vocabulary(&self) -> bool {
        self.fixed_vocabulary
    }

    /// The features `doc` produces, in order, duplicates included, whether
    /// or not they are in the vocabulary (scikit-learn's `build_analyzer()(doc)`).
    pub fn analyze(&self, doc: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.analyzer
            .analyze(doc, &mut Default::default(), |t| out.push(t.to_string()));
        out
    }

    fn weighting(&self) -> Weighting<'static> {
        Weighting::counts(self.options.binary)
    }

    /// Counts the vocabulary terms of each document (rows in input order).
    /// Unknown terms are ignored; an empty document is an all-zero row.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix> {
        Ok(self.transform_weighted(texts, &self.weighting()))
    }

    /// One document as a 1-row matrix, without going through the thread
    /// pool: the fast path for serving single requests.
    pub fn transform_one(&self, doc: &str) -> CsrMatrix {
        self.transform_one_weighted(doc, &self.weighting())
    }

    pub(crate) fn transform_weighted<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        w: &Weighting<'_>,
    ) -> CsrMatrix {
        let chunks = counting::count_fixed(&self.analyzer, self.index(), texts);
        counting::assemble(chunks, None, false, self.terms.len(), w)
    }

    pub(crate) fn transform_one_weighted(&self, doc: &str, w: &Weighting<'_>) -> CsrMatrix {
        let counts = counting::count_one(&self.analyzer, self.index(), doc);
        counts.into_row(self.terms.len(), w)
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }
}

impl Persist for CountVectorizer {
    const KIND: &'static str = "CountVectorizer";

    fn validate(&self) -> Result<()> {
        self.options.build()?;
        if self.terms.len() == 0 || self.index().len() != self.terms.len() {
            return Err(Error::Format(format!(
                "vocabulary has {} terms but {} distinct ones",
                self.terms.len(),
                self.index().len()
            )));
        }
        if !self.fixed_vocabulary {
            let mut pairs = self.terms.iter().zip(self.terms.iter().skip(1));
            if let Some(w) = pairs.find(|(a, b)| a >= b).map(|(a, b)| [a, b]) {
                return Err(Error::Format(format!(
                    "a learned vocabulary must be sorted, but {:?} comes before {:?}",
                    w[0], w[1]
                )));
            }
        }
        Ok(())
    }
}

/// Refuses an empty vocabulary or one too large for `u32` term ids.
fn check_size(n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::invalid_param(
            "vocabulary",
            "[]",
            "the vocabulary is empty",
        ));
    }
    u32::try_from(n)
        .map(|_| ())
        .map_err(|_| Error::invalid_param("vocabulary", n, "more than 2^32 terms"))
}

fn duplicate(term: String) -> Error {
    Error::invalid_param(
        "vocabulary",
        format!("{term:?}"),
        "the term appears more than once",
    )
}
