//! A vectorizer and a classifier as one model over raw text.
//!
//! [`Pipeline::params`] pairs [`TfidfVectorizer`] parameters with any
//! classifier parameters (`LogisticRegression::params()`,
//! `RandomForestClassifier::params()`, `OneVsRestClassifier::params(..)`);
//! `fit` learns the vocabulary, transforms the texts and trains the
//! classifier on the TF-IDF matrix. The fitted [`Pipeline`] answers
//! [`PredictProba`] on raw texts (`&[&str]`, `Vec<String>`, ...), gives one
//! document's `(class, probability)` pairs with [`Pipeline::predict_one`],
//! and is saved and loaded as one file through [`crate::io`].
//!
//! ```
//! use proba::prelude::*;
//! use proba::linear::LogisticRegression;
//! use proba::pipeline::Pipeline;
//! use proba::text::TfidfVectorizer;
//!
//! let texts = ["the cat sat", "a cat purrs", "dogs bark loud", "the dog barks"];
//! let labels = ["cat", "cat", "dog", "dog"].map(String::from);
//! let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
//!     .fit(&texts, &labels)?;
//!
//! assert_eq!(model.classes(), ["cat".to_string(), "dog".to_string()]);
//! let p = model.predict_proba(&["my cat", "loud dogs"])?;
//! assert!(p[[0, 0]] > 0.5 && p[[1, 1]] > 0.5);
//! let one = model.predict_one("cat")?; // [("cat", p_cat), ("dog", p_dog)]
//! assert_eq!(one[0].0, "cat");
//!
//! let saved = proba::io::to_string(&model)?;
//! let back: Pipeline<LogisticRegression<String>> = proba::io::from_str(&saved)?;
//! assert_eq!(back.predict_one("cat")?, one);
//! # Ok::<(), proba::Error>(())
//! ```

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::CsrMatrix;
use crate::text::{TfidfVectorizer, TfidfVectorizerParams};
use crate::traits::{Classifier, Fit, PredictProba};

/// Parameters of a [`Pipeline`]: the vectorizer's and the classifier's.
/// Built by [`Pipeline::params`].
#[derive(Debug, Clone)]
pub struct PipelineParams<P> {
    vectorizer: TfidfVectorizerParams,
    classifier: P,
}

/// A fitted text classifier: a [`TfidfVectorizer`] followed by a classifier
/// `M` trained on its output. Predicts on raw texts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pipeline<M> {
    vectorizer: TfidfVectorizer,
    classifier: M,
}

impl Pipeline<()> {
    /// The builder: TF-IDF parameters and classifier parameters, e.g.
    /// `Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())`.
    /// The fitted classifier type is inferred at `fit`.
    pub fn params<P>(vectorizer: TfidfVectorizerParams, classifier: P) -> PipelineParams<P> {
        PipelineParams {
            vectorizer,
            classifier,
        }
    }
}

impl<P> PipelineParams<P> {
    /// The vectorizer parameters.
    pub fn vectorizer(&self) -> &TfidfVectorizerParams {
        &self.vectorizer
    }

    /// The classifier parameters.
    pub fn classifier(&self) -> &P {
        &self.classifier
    }

    /// Learns the vocabulary and idf from `texts`, then trains the classifier
    /// on their TF-IDF matrix and `labels` (one per text; for a one-vs-rest
    /// classifier, one label set per text).
    ///
    /// Errors: [`Error::ShapeMismatch`] if the counts differ, then whatever
    /// the vectorizer or the classifier reports (empty corpus, empty
    /// vocabulary, a single class, ...).
    pub fn fit<S, L>(&self, texts: &[S], labels: &[L]) -> Result<Pipeline<P::Fitted>>
    where
        S: AsRef<str> + Sync,
        P: Fit<CsrMatrix, L>,
    {
        if texts.len() != labels.len() {
            return Err(Error::shape("number of labels", texts.len(), labels.len()));
        }
        let (vectorizer, x) = self.vectorizer.fit_transform(texts)?;
        let classifier = self.classifier.fit(&x, labels)?;
        Ok(Pipeline {
            vectorizer,
            classifier,
        })
    }
}

impl<S, L, P> Fit<[S], L> for PipelineParams<P>
where
    S: AsRef<str> + Sync,
    P: Fit<CsrMatrix, L>,
{
    type Fitted = Pipeline<P::Fitted>;

    fn fit(&self, texts: &[S], labels: &[L]) -> Result<Self::Fitted> {
        PipelineParams::fit(self, texts, labels)
    }
}

impl<S, L, P> Fit<Vec<S>, L> for PipelineParams<P>
where
    S: AsRef<str> + Sync,
    P: Fit<CsrMatrix, L>,
{
    type Fitted = Pipeline<P::Fitted>;

    fn fit(&self, texts: &Vec<S>, labels: &[L]) -> Result<Self::Fitted> {
        PipelineParams::fit(self, texts.as_slice(), labels)
    }
}

impl<M> Pipeline<M> {
    /// The fitted vectorizer.
    pub fn vectorizer(&self) -> &TfidfVectorizer {
        &self.vectorizer
    }

    /// The fitted classifier.
    pub fn classifier(&self) -> &M {
        &self.classifier
    }

    /// Number of TF-IDF features (vocabulary size).
    pub fn n_features(&self) -> usize {
        self.vectorizer.n_features()
    }

    /// The TF-IDF matrix of `texts`, as the classifier sees it.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix> {
        self.vectorizer.transform(texts)
    }
}

impl<M: PredictProba<CsrMatrix>> Pipeline<M> {
    /// A pipeline from a fitted vectorizer and a classifier fitted on its
    /// output: two models trained apart (or read apart, e.g. two
    /// scikit-learn pickles through [`crate::sklearn`]) served as one. A
    /// [`CountVectorizer`](crate::text::CountVectorizer) is accepted too
    /// (raw counts as features, as in scikit-learn's
    /// `make_pipeline(CountVectorizer(), clf)`).
    ///
    /// The classifier must take exactly the vectorizer's number of
    /// features; otherwise this is an [`Error::InvalidParameter`] naming
    /// `classifier` and both widths.
    ///
    /// ```
    /// use proba::prelude::*;
    /// use proba::linear::LogisticRegression;
    /// use proba::pipeline::Pipeline;
    /// use proba::text::TfidfVectorizer;
    ///
    /// let texts = ["the cat sat", "a cat purrs", "dogs bark loud", "the dog barks"];
    /// let labels = ["cat", "cat", "dog", "dog"].map(String::from);
    /// let (tfidf, x) = TfidfVectorizer::params().fit_transform(&texts)?;
    /// let clf = LogisticRegression::params().fit(&x, &labels)?;
    /// let model = Pipeline::new(tfidf, clf)?;
    /// assert_eq!(model.predict(&["my cat"])?, ["cat"]);
    ///
    /// let other = TfidfVectorizer::params().fit(&["another vocabulary"])?;
    /// assert!(Pipeline::new(other, model.classifier().clone()).is_err());
    /// # Ok::<(), proba::Error>(())
    /// ```
    pub fn new(vectorizer: impl Into<TfidfVectorizer>, classifier: M) -> Result<Self> {
        let p = Pipeline {
            vectorizer: vectorizer.into(),
            classifier,
        };
        p.check_width().map_err(|e| {
            Error::invalid_param(
                "classifier",
                "a model of another width",
                format!("the vectorizer has {} features; {e}", p.n_features()),
            )
        })?;
        Ok(p)
    }

    /// That the classifier takes the vectorizer's features (by predicting
    /// on one all-zero row) and gives one probability column per class.
    fn check_width(&self) -> Result<()> {
        let probe = CsrMatrix::zeros(1, self.n_features());
        // `predict` works for every model, so it checks the width; a model
        // that has no probabilities (an SGD hinge loss) refuses
        // `predict_proba` on any input, and has no columns to check.
        self.classifier.predict(&probe)?;
        let Ok(p) = self.classifier.predict_proba(&probe) else {
            return Ok(());
        };
        if p.ncols() != self.classifier.n_classes() {
            return Err(Error::Format(format!(
                "the classifier gives {} probability columns for {} classes",
                p.ncols(),
                self.classifier.n_classes()
            )));
        }
        Ok(())
    }

    /// One document's `(class, probability)` pairs, in class order (the
    /// order of [`classes`](Classifier::classes)).
    ///
    /// Uses the vectorizer's single-document path (no thread pool, no batch
    /// bookkeeping): the call a server makes per request.
    pub fn predict_one(&self, text: &str) -> Result<Vec<(M::Label, f64)>> {
        let x = self.vectorizer.transform_one(text);
        let p = self.classifier.predict_proba(&x)?;
        let classes = self.classifier.classes();
        if p.nrows() != 1 || p.ncols() != classes.len() {
            return Err(Error::shape(
                "number of probability columns",
                classes.len(),
                p.ncols(),
            ));
        }
        Ok(classes
            .iter()
            .cloned()
            .zip(p.row(0).iter().copied())
            .collect())
    }

    fn predict_texts<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Array2<f64>> {
        let x = self.vectorizer.transform(texts)?;
        self.classifier.predict_proba(&x)
    }

    /// The classifier's own `predict` on the texts' features (so a model
    /// whose prediction is not the argmax of probabilities, or that has no
    /// probabilities, answers as it does on a matrix).
    fn predict_labels<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<M::Label>> {
        let x = self.vectorizer.transform(texts)?;
        self.classifier.predict(&x)
    }
}

impl<M: Classifier> Classifier for Pipeline<M> {
    type Label = M::Label;

    fn classes(&self) -> &[M::Label] {
        self.classifier.classes()
    }
}

impl<M: PredictProba<CsrMatrix>, S: AsRef<str> + Sync> PredictProba<[S]> for Pipeline<M> {
    /// One row per text, one column per class.
    fn predict_proba(&self, texts: &[S]) -> Result<Array2<f64>> {
        self.predict_texts(texts)
    }

    fn predict(&self, texts: &[S]) -> Result<Vec<M::Label>> {
        self.predict_labels(texts)
    }
}

impl<M: PredictProba<CsrMatrix>, S: AsRef<str> + Sync> PredictProba<Vec<S>> for Pipeline<M> {
    /// One row per text, one column per class.
    fn predict_proba(&self, texts: &Vec<S>) -> Result<Array2<f64>> {
        self.predict_texts(texts)
    }

    fn predict(&self, texts: &Vec<S>) -> Result<Vec<M::Label>> {
        self.predict_labels(texts)
    }
}

impl<M: PredictProba<CsrMatrix>, S: AsRef<str> + Sync, const N: usize> PredictProba<[S; N]>
    for Pipeline<M>
{
    /// One row per text, one column per class.
    fn predict_proba(&self, texts: &[S; N]) -> Result<Array2<f64>> {
        self.predict_texts(texts)
    }

    fn predict(&self, texts: &[S; N]) -> Result<Vec<M::Label>> {
        self.predict_labels(texts)
    }
}

impl<M> Persist for Pipeline<M>
where
    M: Persist + PredictProba<CsrMatrix>,
{
    const KIND: &'static str = "Pipeline";

    /// Checks the vectorizer and the classifier, then that the classifier
    /// accepts exactly as many features as the vocabulary has (by predicting
    /// on one all-zero row), so a file pairing a vectorizer with another
    /// model's classifier is refused at load.
    fn validate(&self) -> Result<()> {
        self.vectorizer.validate()?;
        self.classifier.validate()?;
        self.check_width().map_err(|e| match e {
            Error::Format(_) => e,
            e => Error::Format(format!(
                "the classifier does not accept the vectorizer's {} features: {e}",
                self.n_features()
            )),
        })
    }
}
