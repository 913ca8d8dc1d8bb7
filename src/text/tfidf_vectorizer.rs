//! `TfidfVectorizer`: counts weighted by inverse document frequency and
//! normalised per row, exactly as scikit-learn computes them.
//!
//! `idf = ln((n + 1) / (df + 1)) + 1` with `smooth_idf` (the default), else
//! `ln(n / df) + 1`; each stored count `tf` becomes `tf * idf` (or
//! `(1 + ln tf) * idf` with `sublinear_tf`), then each row is divided by its
//! L2 (default) or L1 norm.
//!
//! ```
//! use proba::text::TfidfVectorizer;
//! let docs = ["the cat sat", "the dog sat", "the cat ran"];
//! let (tfidf, x) = TfidfVectorizer::params().fit_transform(&docs)?;
//! assert_eq!(tfidf.feature_names(), ["cat", "dog", "ran", "sat", "the"]);
//! let idf = tfidf.idf().unwrap();
//! assert!((idf[4] - 1.0).abs() < 1e-15); // "the" is everywhere: ln(4/4) + 1
//! let row: f64 = x.row(0).unwrap().data().iter().map(|v| v * v).sum();
//! assert!((row - 1.0).abs() < 1e-12);
//! let one = tfidf.transform_one("a dog and a cat");
//! assert_eq!(one.row(0).unwrap().indices(), &[0, 1]);
//! # Ok::<(), proba::Error>(())
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::count_vectorizer::CountVectorizer;
use super::params::{Norm, TfidfOptions, TfidfVectorizerParams};
use super::tfidf_transformer::TfidfTransformer;
use super::weighting::{compute_idf, Weighting, MAX_IDF};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::CsrMatrix;

/// A fitted TF-IDF vectorizer. Create with [`TfidfVectorizer::params()`] and `fit`.
///
/// ```
/// use proba::text::TfidfVectorizer;
///
/// let texts = ["rust is fast", "rust is safe", "python is easy", "rust and python"];
/// let tfidf = TfidfVectorizer::params().ngram_range(1, 2).min_df(2).fit(&texts)?;
/// // Only the terms of at least 2 documents are kept, bigrams included.
/// assert_eq!(tfidf.feature_names(), ["is", "python", "rust", "rust is"]);
/// let x = tfidf.transform(&["is Rust fast?"])?;
/// assert_eq!(x.shape(), (1, 4));
/// let norm: f64 = x.row(0).unwrap().data().iter().map(|v| v * v).sum();
/// assert!((norm - 1.0).abs() < 1e-12); // rows are L2-normalised
/// let err = TfidfVectorizer::params().ngram_range(2, 1).fit(&texts).unwrap_err();
/// assert!(err.to_string().contains("ngram_range"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "TfidfVectorizerRepr")]
pub struct TfidfVectorizer {
    count: CountVectorizer,
    tfidf: TfidfOptions,
    idf: Option<Vec<f64>>,
}

/// The saved form, checked on load.
#[derive(Deserialize)]
struct TfidfVectorizerRepr {
    count: CountVectorizer,
    tfidf: TfidfOptions,
    idf: Option<Vec<f64>>,
}

impl TryFrom<TfidfVectorizerRepr> for TfidfVectorizer {
    type Error = Error;
    fn try_from(r: TfidfVectorizerRepr) -> Result<Self> {
        TfidfVectorizer::from_saved_parts(r.count, r.tfidf, r.idf)
    }
}

impl TfidfVectorizer {
    /// A fitted vectorizer from the parts of its saved form, checked as
    /// `io::load` checks one (also used by `crate::sklearn`).
    pub(crate) fn from_saved_parts(
        count: CountVectorizer,
        tfidf: TfidfOptions,
        idf: Option<Vec<f64>>,
    ) -> Result<Self> {
        let v = TfidfVectorizer { count, tfidf, idf };
        v.validate()?;
        Ok(v)
    }
}

impl TfidfVectorizerParams {
    /// Learns the vocabulary and idf of `texts` and returns the fitted vectorizer.
    pub fn fit<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<TfidfVectorizer> {
        Ok(self.fit_transform_inner(texts, false)?.0)
    }

    /// Fits on `texts` and returns the fitted vectorizer with the TF-IDF
    /// matrix of `texts`, in one pass over the corpus.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<(TfidfVectorizer, CsrMatrix)> {
        let (v, m) = self.fit_transform_inner(texts, true)?;
        Ok((v, m.unwrap_or_else(|| CsrMatrix::zeros(0, 0))))
    }

    fn fit_transform_inner<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        want_matrix: bool,
    ) -> Result<(TfidfVectorizer, Option<CsrMatrix>)> {
        let fit = self.count.fit_counts(texts)?;
        let idf = if self.tfidf.use_idf {
            Some(compute_idf(
                &fit.df,
                fit.n_docs,
                self.tfidf.smooth_idf,
                fit.terms(),
            )?)
        } else {
            None
        };
        let w = Weighting::tfidf(fit.binary(), &self.tfidf, idf.as_deref());
        let (count, matrix) = if want_matrix {
            let (c, m) = fit.matrix(&w)?;
            (c, Some(m))
        } else {
            (fit.into_vectorizer()?, None)
        };
        Ok((
            TfidfVectorizer {
                count,
                tfidf: self.tfidf,
                idf,
            },
            matrix,
        ))
    }
}

impl TfidfVectorizer {
    /// The parameter builder, with scikit-learn's defaults (`norm` L2,
    /// `use_idf`, `smooth_idf`, no `sublinear_tf`).
    pub fn params() -> TfidfVectorizerParams {
        TfidfVectorizerParams::default()
    }

    /// A TF-IDF vectorizer from a fitted [`CountVectorizer`] and a
    /// [`TfidfTransformer`] fitted on its counts: scikit-learn's
    /// `make_pipeline(CountVectorizer(..), TfidfTransformer(..))`, which is
    /// by definition its `TfidfVectorizer(..)`. The transformer's width must
    /// be the vocabulary's, and its idf finite (a column no document had,
    /// with `smooth_idf(false)`, is refused).
    ///
    /// ```
    /// use proba::text::{CountVectorizer, TfidfTransformer, TfidfVectorizer};
    /// let docs = ["the cat sat", "the dog sat", "the cat ran"];
    /// let (count, counts) = CountVectorizer::params().fit_transform(&docs)?;
    /// let idf = TfidfTransformer::params().fit(&counts)?;
    /// let tfidf = TfidfVectorizer::from_parts(count, &idf)?;
    /// let direct = TfidfVectorizer::params().fit(&docs)?;
    /// assert_eq!(tfidf.transform(&docs)?, direct.transform(&docs)?);
    /// # Ok::<(), proba::Error>(())
    /// ```
    pub fn from_parts(count: CountVectorizer, transformer: &TfidfTransformer) -> Result<Self> {
        if transformer.n_features() != count.n_features() {
            return Err(Error::shape(
                "features of the TfidfTransformer (the CountVectorizer's vocabulary size)",
                count.n_features(),
                transformer.n_features(),
            ));
        }
        let v = TfidfVectorizer {
            count,
            tfidf: transformer.options(),
            idf: transformer.idf().map(<[f64]>::to_vec),
        };
        v.validate()
            .map_err(|e| Error::invalid_param("transformer", "its idf", format!("{e}")))?;
        Ok(v)
    }

    fn w(&self) -> Weighting<'_> {
        Weighting::tfidf(
            self.count.options().binary,
            &self.tfidf,
            self.idf.as_deref(),
        )
    }

    /// TF-IDF rows for `texts`, in input order. Unknown terms are ignored;
    /// an empty document is an all-zero row.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix> {
        Ok(self.count.transform_weighted(texts, &self.w()))
    }

    /// One document as a 1-row matrix, without going through the thread
    /// pool: the fast path for serving single requests.
    pub fn transform_one(&self, doc: &str) -> CsrMatrix {
        self.count.transform_one_weighted(doc, &self.w())
    }

    /// The learned inverse document frequencies in column order, or `None`
    /// when `use_idf` is false.
    pub fn idf(&self) -> Option<&[f64]> {
        self.idf.as_deref()
    }

    /// The terms in column order (scikit-learn's `get_feature_names_out()`).
    pub fn feature_names(&self) -> &[String] {
        self.count.feature_names()
    }

    /// Number of columns of the matrices this vectorizer produces.
    pub fn n_features(&self) -> usize {
        self.count.n_features()
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn term_index(&self, term: &str) -> Option<usize> {
        self.count.term_index(term)
    }

    /// The vocabulary as a term → column map (scikit-learn's `vocabulary_`).
    pub fn vocabulary(&self) -> HashMap<String, usize> {
        self.count.vocabulary()
    }

    /// The features `doc` produces before the vocabulary lookup.
    pub fn analyze(&self, doc: &str) -> Vec<String> {
        self.count.analyze(doc)
    }

    /// The underlying count vectorizer (analyzer and vocabulary).
    pub fn count_vectorizer(&self) -> &CountVectorizer {
        &self.count
    }

    /// The row normalisation applied by `transform`.
    pub fn norm(&self) -> Norm {
        self.tfidf.norm
    }
}

/// Raw counts as weights (no idf, no normalisation): a [`Pipeline`]
/// over a `CountVectorizer`, as scikit-learn's
/// `make_pipeline(CountVectorizer(), clf)` is.
///
/// [`Pipeline`]: crate::pipeline::Pipeline
impl From<CountVectorizer> for TfidfVectorizer {
    fn from(count: CountVectorizer) -> Self {
        TfidfVectorizer {
            count,
            tfidf: TfidfOptions {
                norm: Norm::None,
                use_idf: false,
                smooth_idf: true,
                sublinear_tf: false,
            },
            idf: None,
        }
    }
}

impl Persist for TfidfVectorizer {
    const KIND: &'static str = "TfidfVectorizer";

    fn validate(&self) -> Result<()> {
        self.count.validate()?;
        match (&self.idf, self.tfidf.use_idf) {
            (None, false) => Ok(()),
            (Some(idf), true) => {
                if idf.len() != self.count.n_features() {
                    return Err(Error::shape(
                        "idf values",
                        self.count.n_features(),
                        idf.len(),
                    ));
                }
                match idf.iter().position(|v| !(1.0..=MAX_IDF).contains(v)) {
                    Some(i) => Err(Error::Format(format!(
                        "idf[{i}] = {} is not between 1 and {MAX_IDF:.2} (1 + ln 2^64, \
                         the most any corpus gives)",
                        idf[i]
                    ))),
                    None => Ok(()),
                }
            }
            (idf, use_idf) => Err(Error::Format(format!(
                "use_idf is {use_idf} but idf values are {}",
                if idf.is_some() { "present" } else { "missing" }
            ))),
        }
    }
}
