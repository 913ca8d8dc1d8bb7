//! [`Vectorizer`] and [`FitVectorizer`]: what a
//! [`Pipeline`](crate::pipeline::Pipeline) needs of its first step, so one
//! pipeline type serves TF-IDF, raw counts and hashed features alike.

use crate::error::Result;
use crate::io::Persist;
use crate::sparse::CsrMatrix;
use crate::text::{
    CountVectorizer, CountVectorizerParams, HashingVectorizer, HashingVectorizerParams,
    TfidfVectorizer, TfidfVectorizerParams,
};

/// A fitted text vectorizer: texts in, one sparse row per text out, always
/// [`n_features`](Self::n_features) columns wide.
///
/// Implemented by [`TfidfVectorizer`], [`CountVectorizer`] and
/// [`HashingVectorizer`]. A type of your own can start a pipeline too: it
/// implements [`Persist`] (so `Serialize`, to be saved with the pipeline)
/// and this trait.
pub trait Vectorizer: Persist + Sync {
    /// Number of columns of the rows it produces.
    fn n_features(&self) -> usize;

    /// One row per text, in input order.
    fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix>;

    /// One text as a 1-row matrix: the per-request path of a server (the
    /// built-in vectorizers skip the thread pool here).
    fn transform_one(&self, text: &str) -> Result<CsrMatrix> {
        self.transform(&[text])
    }
}

/// Vectorizer parameters that learn from the training texts (a vocabulary,
/// document frequencies) and give the fitted [`Vectorizer`] with the
/// matrix of those texts, as a pipeline's `fit` needs.
pub trait FitVectorizer {
    /// The fitted vectorizer.
    type Fitted: Vectorizer;

    /// Fits on `texts` and returns the vectorizer with their matrix.
    fn fit_transform<S: AsRef<str> + Sync>(&self, texts: &[S])
        -> Result<(Self::Fitted, CsrMatrix)>;
}

macro_rules! impl_vectorizer {
    ($($fitted:ty),*) => {$(
        impl Vectorizer for $fitted {
            fn n_features(&self) -> usize {
                <$fitted>::n_features(self)
            }
            fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix> {
                <$fitted>::transform(self, texts)
            }
            fn transform_one(&self, text: &str) -> Result<CsrMatrix> {
                Ok(<$fitted>::transform_one(self, text))
            }
        }
    )*};
}

impl_vectorizer!(TfidfVectorizer, CountVectorizer, HashingVectorizer);

impl FitVectorizer for TfidfVectorizerParams {
    type Fitted = TfidfVectorizer;
    fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<(TfidfVectorizer, CsrMatrix)> {
        TfidfVectorizerParams::fit_transform(self, texts)
    }
}

impl FitVectorizer for CountVectorizerParams {
    type Fitted = CountVectorizer;
    fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<(CountVectorizer, CsrMatrix)> {
        CountVectorizerParams::fit_transform(self, texts)
    }
}

/// Stateless: nothing to learn, the options are checked and the texts
/// hashed.
impl FitVectorizer for HashingVectorizerParams {
    type Fitted = HashingVectorizer;
    fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<(HashingVectorizer, CsrMatrix)> {
        let v = self.build()?;
        let x = v.transform(texts)?;
        Ok((v, x))
    }
}

/// A built hashing vectorizer in a pipeline: `fit` only hashes.
impl FitVectorizer for HashingVectorizer {
    type Fitted = HashingVectorizer;
    fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<(HashingVectorizer, CsrMatrix)> {
        let x = self.transform(texts)?;
        Ok((self.clone(), x))
    }
}
