//! [`PipelineParams`]: a vectorizer's and a classifier's settings, and the
//! fit that learns the vocabulary and trains the classifier on its matrix.

use super::Pipeline;
use crate::error::{Error, Result};
use crate::sparse::CsrMatrix;
use crate::text::{FitVectorizer, TfidfVectorizerParams};
use crate::traits::{Fit, FitWeighted};

/// Parameters of a [`Pipeline`]: the vectorizer's (`VP`, TF-IDF unless
/// said otherwise) and the classifier's. Built by [`Pipeline::params`].
#[derive(Debug, Clone)]
pub struct PipelineParams<P, VP = TfidfVectorizerParams> {
    pub(super) vectorizer: VP,
    pub(super) classifier: P,
}

impl<P, VP: FitVectorizer> PipelineParams<P, VP> {
    /// The vectorizer parameters.
    pub fn vectorizer(&self) -> &VP {
        &self.vectorizer
    }

    /// The classifier parameters.
    pub fn classifier(&self) -> &P {
        &self.classifier
    }

    /// Fits the vectorizer on `texts` (the vocabulary and idf, for TF-IDF),
    /// then trains the classifier on their matrix and `labels` (one per
    /// text; for a one-vs-rest classifier, one label set per text).
    ///
    /// Errors: [`Error::ShapeMismatch`] if the counts differ, then whatever
    /// the vectorizer or the classifier reports (empty corpus, empty
    /// vocabulary, a single class, ...).
    pub fn fit<S, L>(&self, texts: &[S], labels: &[L]) -> Result<Pipeline<P::Fitted, VP::Fitted>>
    where
        S: AsRef<str> + Sync,
        P: Fit<CsrMatrix, L>,
    {
        self.fit_with(texts, labels.len(), |x| self.classifier.fit(x, labels))
    }

    /// The one fitting path of both `fit`s: the label count checked, the
    /// vectorizer fitted once, the classifier trained by `train`.
    pub(super) fn fit_with<S, M>(
        &self,
        texts: &[S],
        n_labels: usize,
        train: impl FnOnce(&CsrMatrix) -> Result<M>,
    ) -> Result<Pipeline<M, VP::Fitted>>
    where
        S: AsRef<str> + Sync,
    {
        if texts.len() != n_labels {
            return Err(Error::shape("number of labels", texts.len(), n_labels));
        }
        let (vectorizer, x) = self.vectorizer.fit_transform(texts)?;
        let classifier = train(&x)?;
        Ok(Pipeline {
            vectorizer,
            classifier,
        })
    }

    /// [`fit`](Self::fit) with a weight per text, passed to the
    /// classifier's own weighted fit (scikit-learn's
    /// `pipeline.fit(X, y, clf__sample_weight=w)`); the vectorizer is
    /// unweighted, as in scikit-learn.
    ///
    /// ```
    /// use proba::prelude::*;
    /// use proba::linear::LogisticRegression;
    /// use proba::pipeline::Pipeline;
    /// use proba::text::TfidfVectorizer;
    ///
    /// let texts = ["the cat sat", "a cat purrs", "dogs bark loud", "the dog barks"];
    /// let labels = ["cat", "cat", "dog", "dog"].map(String::from);
    /// let params = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params());
    /// let twice = params.fit_weighted(&texts, &labels, &[2.0, 2.0, 2.0, 2.0])?;
    /// let halved_c = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params().c(2.0))
    ///     .fit(&texts, &labels)?;
    /// let (a, b) = (twice.predict_proba(&["cat"])?, halved_c.predict_proba(&["cat"])?);
    /// assert!((a[[0, 0]] - b[[0, 0]]).abs() < 1e-4); // weight 2 = C doubled
    /// # Ok::<(), proba::Error>(())
    /// ```
    pub fn fit_weighted<S, L>(
        &self,
        texts: &[S],
        labels: &[L],
        sample_weight: &[f64],
    ) -> Result<Pipeline<P::Fitted, VP::Fitted>>
    where
        S: AsRef<str> + Sync,
        P: FitWeighted<CsrMatrix, L>,
    {
        if texts.len() != sample_weight.len() {
            return Err(Error::shape(
                "number of sample weights",
                texts.len(),
                sample_weight.len(),
            ));
        }
        self.fit_with(texts, labels.len(), |x| {
            self.classifier.fit_weighted(x, labels, sample_weight)
        })
    }
}

impl<S, L, P, VP> Fit<[S], L> for PipelineParams<P, VP>
where
    S: AsRef<str> + Sync,
    P: Fit<CsrMatrix, L>,
    VP: FitVectorizer,
{
    type Fitted = Pipeline<P::Fitted, VP::Fitted>;

    fn fit(&self, texts: &[S], labels: &[L]) -> Result<Self::Fitted> {
        PipelineParams::fit(self, texts, labels)
    }
}

impl<S, L, P, VP> Fit<Vec<S>, L> for PipelineParams<P, VP>
where
    S: AsRef<str> + Sync,
    P: Fit<CsrMatrix, L>,
    VP: FitVectorizer,
{
    type Fitted = Pipeline<P::Fitted, VP::Fitted>;

    fn fit(&self, texts: &Vec<S>, labels: &[L]) -> Result<Self::Fitted> {
        PipelineParams::fit(self, texts.as_slice(), labels)
    }
}
