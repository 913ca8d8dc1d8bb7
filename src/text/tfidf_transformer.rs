//! `TfidfTransformer`: TF-IDF weighting of a count matrix (from a
//! [`CountVectorizer`](super::CountVectorizer) or a
//! [`HashingVectorizer`](super::HashingVectorizer)), exactly as
//! scikit-learn computes it.
//!
//! The document frequency of a column is its number of stored entries (as
//! scikit-learn's `bincount` of the indices), so frequencies of chunks add
//! up: a [`DocFreqs`] accumulator learns the idf of a corpus read chunk by
//! chunk and gives the transformer fitting on the whole corpus would.
//!
//! ```
//! use proba::text::{DocFreqs, HashingVectorizer, Norm, TfidfTransformer};
//! let hv = HashingVectorizer::params().n_features(1 << 10).norm(Norm::None).alternate_sign(false).build()?;
//! let counts = hv.transform(&["the cat sat", "the dog", "a cat"])?;
//! let tfidf = TfidfTransformer::params().fit(&counts)?;
//! let x = tfidf.transform(&counts)?;
//! assert_eq!(x.shape(), counts.shape());
//! // The same idf, learned one chunk at a time.
//! let mut df = DocFreqs::new(1 << 10);
//! df.add(&hv.transform(&["the cat sat", "the dog"])?)?;
//! df.add(&hv.transform(&["a cat"])?)?;
//! assert_eq!(TfidfTransformer::params().fit_doc_freqs(&df)?.idf(), tfidf.idf());
//! # Ok::<(), proba::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::params::{Norm, TfidfOptions};
use super::weighting::{idf_values, normalize, MAX_IDF};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::CsrMatrix;

/// Document frequencies accumulated over chunks of one corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFreqs {
    df: Vec<u64>,
    n_docs: u64,
}

impl DocFreqs {
    /// No documents yet, for matrices of `n_features` columns.
    pub fn new(n_features: usize) -> Self {
        Self {
            df: vec![0; n_features],
            n_docs: 0,
        }
    }

    /// Adds the rows of `counts` (each stored entry counts its column once).
    pub fn add(&mut self, counts: &CsrMatrix) -> Result<()> {
        if counts.n_cols() != self.df.len() {
            return Err(Error::shape(
                "columns of the count matrix (n_features of the accumulator)",
                self.df.len(),
                counts.n_cols(),
            ));
        }
        for &c in counts.indices() {
            if let Some(d) = self.df.get_mut(c) {
                *d += 1;
            }
        }
        self.n_docs += counts.n_rows() as u64;
        Ok(())
    }

    /// Adds another accumulator's counts (e.g. from another thread).
    pub fn merge(&mut self, other: &DocFreqs) -> Result<()> {
        if other.df.len() != self.df.len() {
            return Err(Error::shape(
                "n_features of the merged accumulator",
                self.df.len(),
                other.df.len(),
            ));
        }
        self.df.iter_mut().zip(&other.df).for_each(|(a, b)| *a += b);
        self.n_docs += other.n_docs;
        Ok(())
    }

    /// The document frequency of each column.
    pub fn doc_freqs(&self) -> &[u64] {
        &self.df
    }

    /// Number of documents added.
    pub fn n_docs(&self) -> u64 {
        self.n_docs
    }
}

/// The weighting options (scikit-learn's names and defaults): the same
/// options as `TfidfVectorizer`'s weighting, saved in the same form.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TfidfTransformerParams {
    options: TfidfOptions,
}

impl TfidfTransformerParams {
    /// Row normalisation (default `Norm::L2`); `Norm::None` or `None` for none.
    pub fn norm(mut self, norm: impl Into<Norm>) -> Self {
        self.options.norm = norm.into();
        self
    }

    /// Weight by inverse document frequency (default `true`).
    pub fn use_idf(mut self, yes: bool) -> Self {
        self.options.use_idf = yes;
        self
    }

    /// Add one to every document frequency and to the document count (default `true`).
    pub fn smooth_idf(mut self, yes: bool) -> Self {
        self.options.smooth_idf = yes;
        self
    }

    /// Replace each stored value `tf` by `1 + ln(tf)` (default `false`).
    pub fn sublinear_tf(mut self, yes: bool) -> Self {
        self.options.sublinear_tf = yes;
        self
    }

    /// Learns the idf of `counts`.
    pub fn fit(&self, counts: &CsrMatrix) -> Result<TfidfTransformer> {
        let mut df = DocFreqs::new(counts.n_cols());
        df.add(counts)?;
        self.fit_doc_freqs(&df)
    }

    /// The transformer for accumulated document frequencies.
    pub fn fit_doc_freqs(&self, df: &DocFreqs) -> Result<TfidfTransformer> {
        if df.n_docs == 0 {
            return Err(Error::EmptyInput("no documents to learn the idf from"));
        }
        let o = &self.options;
        let idf = o
            .use_idf
            .then(|| idf_values(&df.df, df.n_docs, o.smooth_idf));
        Ok(TfidfTransformer {
            params: *self,
            n_features: df.df.len(),
            idf,
        })
    }
}

/// A fitted TF-IDF weighting. Create with [`TfidfTransformer::params()`].
///
/// ```
/// use proba::prelude::*;
/// use proba::text::{CountVectorizer, TfidfTransformer};
///
/// let docs = ["the cat sat", "the dog sat", "the cat ran"];
/// let (cv, counts) = CountVectorizer::params().fit_transform(&docs)?;
/// let tfidf = TfidfTransformer::params().fit(&counts)?;
/// // "the" is in all 3 documents: smoothed idf ln((3 + 1) / (3 + 1)) + 1 = 1.
/// let idf = tfidf.idf().unwrap();
/// assert!((idf[cv.term_index("the").unwrap()] - 1.0).abs() < 1e-15);
/// let x = tfidf.transform(&counts)?;
/// assert_eq!(x.shape(), (3, cv.n_features()));
/// // A count matrix of another width is refused.
/// assert!(tfidf.transform(&CsrMatrix::zeros(1, 2)).is_err());
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TfidfTransformerRepr")]
pub struct TfidfTransformer {
    params: TfidfTransformerParams,
    n_features: usize,
    /// `inf` for a column no document had, with `smooth_idf(false)`.
    idf: Option<Vec<f64>>,
}

#[derive(Deserialize)]
struct TfidfTransformerRepr {
    params: TfidfTransformerParams,
    n_features: usize,
    idf: Option<Vec<Option<f64>>>,
}

impl TryFrom<TfidfTransformerRepr> for TfidfTransformer {
    type Error = Error;
    fn try_from(r: TfidfTransformerRepr) -> Result<Self> {
        // JSON has no infinity: serde_json saves an unseen column's idf as null.
        let idf = r
            .idf
            .map(|v| v.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect());
        let t = TfidfTransformer {
            params: r.params,
            n_features: r.n_features,
            idf,
        };
        t.validate()?;
        Ok(t)
    }
}

impl TfidfTransformer {
    /// The parameter builder, with scikit-learn's defaults.
    pub fn params() -> TfidfTransformerParams {
        TfidfTransformerParams::default()
    }

    /// The idf of each column, or `None` without `use_idf`. A column no
    /// training document had is `inf` with `smooth_idf(false)`.
    pub fn idf(&self) -> Option<&[f64]> {
        self.idf.as_deref()
    }

    /// Number of columns expected by `transform`.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The weighting options, for [`TfidfVectorizer::from_parts`](super::TfidfVectorizer::from_parts).
    pub(crate) fn options(&self) -> TfidfOptions {
        self.params.options
    }

    /// The weighted, normalised matrix. A stored value in a column whose
    /// idf is infinite is an error naming the row and column (scikit-learn
    /// would return `inf`/`NaN`).
    pub fn transform(&self, counts: &CsrMatrix) -> Result<CsrMatrix> {
        if counts.n_cols() != self.n_features {
            return Err(Error::shape(
                "columns of the count matrix (n_features of the transformer)",
                self.n_features,
                counts.n_cols(),
            ));
        }
        self.transform_owned(counts.clone())
    }

    /// [`transform`](Self::transform) that weights `counts` in place
    /// instead of copying it (a streaming caller's chunk is not needed
    /// afterwards).
    pub fn transform_owned(&self, counts: CsrMatrix) -> Result<CsrMatrix> {
        if counts.n_cols() != self.n_features {
            return Err(Error::shape(
                "columns of the count matrix (n_features of the transformer)",
                self.n_features,
                counts.n_cols(),
            ));
        }
        let (n_rows, n_cols, indptr, indices, mut data) = counts.into_parts();
        let p = &self.params.options;
        for (r, w) in indptr.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            let (Some(cols), Some(vals)) = (indices.get(a..b), data.get_mut(a..b)) else {
                continue;
            };
            for (&c, v) in cols.iter().zip(vals.iter_mut()) {
                if p.sublinear_tf {
                    *v = v.ln() + 1.0;
                }
                if let Some(idf) = &self.idf {
                    let f = idf.get(c).copied().unwrap_or(f64::INFINITY);
                    if !f.is_finite() {
                        return Err(Error::invalid_param(
                            "counts",
                            format!("row {r}, column {c}"),
                            "the column occurred in no document at fit, so its idf is \
                             infinite with smooth_idf=false",
                        ));
                    }
                    *v *= f;
                }
            }
            normalize(vals, p.norm);
        }
        Ok(CsrMatrix::from_parts_unchecked(
            n_rows, n_cols, indptr, indices, data,
        ))
    }
}

impl Persist for TfidfTransformer {
    const KIND: &'static str = "TfidfTransformer";

    fn validate(&self) -> Result<()> {
        match (&self.idf, self.params.options.use_idf) {
            (None, false) => Ok(()),
            (Some(idf), true) if idf.len() == self.n_features => {
                // Infinity marks a column no document had (smooth_idf=false).
                match idf
                    .iter()
                    .position(|v| !((1.0..=MAX_IDF).contains(v) || *v == f64::INFINITY))
                {
                    Some(i) => Err(Error::Format(format!(
                        "idf[{i}] = {} is not between 1 and {MAX_IDF:.2} (1 + ln 2^64, \
                         the most any corpus gives) nor infinite",
                        idf[i]
                    ))),
                    None => Ok(()),
                }
            }
            (Some(idf), true) => Err(Error::shape("idf values", self.n_features, idf.len())),
            (idf, use_idf) => Err(Error::Format(format!(
                "use_idf is {use_idf} but idf values are {}",
                if idf.is_some() { "present" } else { "missing" }
            ))),
        }
    }
}
