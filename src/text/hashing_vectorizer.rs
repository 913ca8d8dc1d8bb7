//! `HashingVectorizer`: documents become rows of hashed feature counts,
//! with no vocabulary, exactly as scikit-learn computes them.
//!
//! Each feature the analyzer produces (the same analyzer and options as
//! [`CountVectorizer`](super::CountVectorizer)) is hashed with MurmurHash3
//! (x86, 32-bit, seed 0) of its UTF-8 bytes; the column is `abs(h) %
//! n_features` and, with `alternate_sign`, the value is `-1` when `h < 0`.
//! Values landing in the same column are summed (a `+1` and a `-1` leave an
//! explicit zero, as in scikit-learn), then `binary` sets every stored
//! value to 1, then rows are normalised.
//!
//! Being stateless, it needs no `fit`: chunks of a corpus too large for
//! memory can be vectorized independently and give the rows the whole
//! corpus would.
//!
//! ```
//! use proba::text::HashingVectorizer;
//! let hv = HashingVectorizer::params()
//!     .n_features(1 << 18)
//!     .alternate_sign(false)
//!     .ngram_range(1, 2)
//!     .build()?;
//! let x = hv.transform(&["the cat sat", "the dog"])?;
//! assert_eq!(x.shape(), (2, 1 << 18));
//! assert_eq!(x.row(0).unwrap().nnz(), 5);
//! # Ok::<(), proba::Error>(())
//! ```

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::analyzer::{Analyzer, Scratch, TextAnalyzer};
use super::counting::chunk_ranges;
use super::hashing_murmur::{column_and_sign, murmur3_32};
use super::params::{analyzer_setters, Norm, Options};
use super::preprocess::StripAccents;
use super::stop_words::IntoStopWords;
use super::weighting::normalize;
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::CsrMatrix;

/// scikit-learn's default number of columns, 2^20.
pub const DEFAULT_N_FEATURES: usize = 1 << 20;

/// The hashing options, saved with the vectorizer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct HashingOptions {
    n_features: usize,
    alternate_sign: bool,
    norm: Norm,
    binary: bool,
}

impl Default for HashingOptions {
    fn default() -> Self {
        Self {
            n_features: DEFAULT_N_FEATURES,
            alternate_sign: true,
            norm: Norm::L2,
            binary: false,
        }
    }
}

impl HashingOptions {
    fn check(&self) -> Result<u32> {
        match u32::try_from(self.n_features) {
            Ok(n) if n >= 1 && n <= i32::MAX as u32 => Ok(n),
            _ => Err(Error::invalid_param(
                "n_features",
                self.n_features,
                "must be within [1, 2^31 - 1]",
            )),
        }
    }
}

/// Parameters of a [`HashingVectorizer`]; create with
/// [`HashingVectorizer::params()`]. The analyzer setters are those of
/// [`CountVectorizerParams`](super::CountVectorizerParams).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HashingVectorizerParams {
    opts: Options,
    hashing: HashingOptions,
}

impl HashingVectorizerParams {
    fn opts_mut(&mut self) -> &mut Options {
        &mut self.opts
    }

    analyzer_setters!(opts_mut);

    /// Number of columns (default 2^20); within `[1, 2^31 - 1]`.
    pub fn n_features(mut self, n: usize) -> Self {
        self.hashing.n_features = n;
        self
    }

    /// Give a feature the value -1 when its signed hash is negative, so
    /// collisions tend to cancel (default `true`).
    pub fn alternate_sign(mut self, yes: bool) -> Self {
        self.hashing.alternate_sign = yes;
        self
    }

    /// Row normalisation (default `Norm::L2`); `Norm::None` or `None` for none.
    pub fn norm(mut self, norm: impl Into<Norm>) -> Self {
        self.hashing.norm = norm.into();
        self
    }

    /// Set every stored value to 1 before normalising (default `false`).
    pub fn binary(mut self, yes: bool) -> Self {
        self.hashing.binary = yes;
        self
    }

    /// Checks the options and builds the (stateless) vectorizer.
    pub fn build(&self) -> Result<HashingVectorizer> {
        HashingVectorizer::from_parts(self.opts.clone(), self.hashing)
    }
}

/// A hashing vectorizer: the analyzer and the hashing options, nothing
/// learned. Create with [`HashingVectorizer::params()`] and `build`.
///
/// ```
/// use proba::text::{HashingVectorizer, Norm};
///
/// let hv = HashingVectorizer::params()
///     .n_features(16)
///     .alternate_sign(false)
///     .norm(Norm::None)
///     .build()?;
/// // No fit, no vocabulary: any chunk of documents is vectorized on its own.
/// let x = hv.transform(&["cat cat dog", "dog"])?;
/// assert_eq!(x.shape(), (2, 16));
/// assert_eq!(x.row(0).unwrap().data().iter().sum::<f64>(), 3.0); // raw counts
/// assert_eq!(hv.transform_one("dog"), hv.transform(&["dog"])?);
/// let err = HashingVectorizer::params().n_features(0).build().unwrap_err();
/// assert!(err.to_string().contains("n_features"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "HashingVectorizerRepr")]
pub struct HashingVectorizer {
    options: Options,
    hashing: HashingOptions,
    #[serde(skip_serializing)]
    analyzer: TextAnalyzer,
    #[serde(skip_serializing)]
    n_cols: u32,
}

/// The saved form, checked and completed on load.
#[derive(Deserialize)]
struct HashingVectorizerRepr {
    options: Options,
    hashing: HashingOptions,
}

impl TryFrom<HashingVectorizerRepr> for HashingVectorizer {
    type Error = Error;
    fn try_from(r: HashingVectorizerRepr) -> Result<Self> {
        HashingVectorizer::from_parts(r.options, r.hashing)
    }
}

/// One chunk's rows: per-row lengths, columns and values.
#[derive(Default)]
struct HashedRows {
    row_len: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f64>,
}

impl HashingVectorizer {
    /// The parameter builder, with scikit-learn's defaults.
    pub fn params() -> HashingVectorizerParams {
        HashingVectorizerParams::default()
    }

    fn from_parts(options: Options, hashing: HashingOptions) -> Result<Self> {
        let n_cols = hashing.check()?;
        let analyzer = options.build()?;
        Ok(Self {
            options,
            hashing,
            analyzer,
            n_cols,
        })
    }

    /// Number of columns of the matrices this vectorizer produces.
    pub fn n_features(&self) -> usize {
        self.hashing.n_features
    }

    /// Whether negative hashes give the value -1.
    pub fn alternate_sign(&self) -> bool {
        self.hashing.alternate_sign
    }

    /// The row normalisation applied by `transform`.
    pub fn norm(&self) -> Norm {
        self.hashing.norm
    }

    /// The features `doc` produces before hashing (scikit-learn's
    /// `build_analyzer()(doc)`).
    pub fn analyze(&self, doc: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.analyzer
            .analyze(doc, &mut Scratch::default(), |t| out.push(t.to_string()));
        out
    }

    /// Hashed rows for `texts`, in input order; the same on any number of
    /// threads. An empty document is an all-zero row.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix> {
        let parts: Vec<HashedRows> = chunk_ranges(texts)
            .into_par_iter()
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, keys), range| {
                    let mut rows = HashedRows::default();
                    for t in texts.get(range).unwrap_or(&[]) {
                        self.hash_doc(t.as_ref(), scratch, keys, &mut rows);
                    }
                    rows
                },
            )
            .collect();
        let nnz: usize = parts.iter().map(|p| p.indices.len()).sum();
        let mut indptr = Vec::with_capacity(texts.len() + 1);
        indptr.push(0);
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        let mut end = 0;
        for p in parts {
            for len in p.row_len {
                end += len;
                indptr.push(end);
            }
            indices.extend_from_slice(&p.indices);
            data.extend_from_slice(&p.data);
        }
        Ok(CsrMatrix::from_parts_unchecked(
            texts.len(),
            self.hashing.n_features,
            indptr,
            indices,
            data,
        ))
    }

    /// One document as a 1-row matrix, without going through the thread pool.
    pub fn transform_one(&self, doc: &str) -> CsrMatrix {
        let mut rows = HashedRows::default();
        self.hash_doc(doc, &mut Scratch::default(), &mut Vec::new(), &mut rows);
        let n = rows.indices.len();
        CsrMatrix::from_parts_unchecked(
            1,
            self.hashing.n_features,
            vec![0, n],
            rows.indices,
            rows.data,
        )
    }

    /// Appends the row of `doc` to `out`. `keys` holds the document's
    /// `(column << 1 | negative)` codes, sorted so equal columns are adjacent.
    fn hash_doc(
        &self,
        doc: &str,
        scratch: &mut Scratch,
        keys: &mut Vec<u32>,
        out: &mut HashedRows,
    ) {
        let n = self.n_cols;
        let alt = self.hashing.alternate_sign;
        keys.clear();
        self.analyzer.analyze_keys(doc, scratch, |k| {
            let h = murmur3_32(k.text.as_bytes(), 0, k.fold);
            let (col, neg) = column_and_sign(h, n);
            // `col < 2^31 - 1` (checked at build), so the key fits a u32, which
            // sorts faster than a u64.
            keys.push((col << 1) | u32::from(alt && neg));
        });
        keys.sort_unstable();
        let start = out.indices.len();
        let mut i = 0;
        while let Some(&first) = keys.get(i) {
            let col = first >> 1;
            let mut v = 0.0;
            while let Some(&k) = keys.get(i) {
                if k >> 1 != col {
                    break;
                }
                v += if k & 1 == 1 { -1.0 } else { 1.0 };
                i += 1;
            }
            out.indices.push(col as usize);
            out.data.push(if self.hashing.binary { 1.0 } else { v });
        }
        let row = out.data.get_mut(start..).unwrap_or(&mut []);
        normalize(row, self.hashing.norm);
        out.row_len.push(out.indices.len() - start);
    }
}

impl Persist for HashingVectorizer {
    const KIND: &'static str = "HashingVectorizer";

    fn validate(&self) -> Result<()> {
        self.hashing.check()?;
        self.options.build().map(|_| ())
    }
}
