//! A vectorizer and a classifier as one model over raw text.
//!
//! [`Pipeline::params`] pairs vectorizer parameters ([`TfidfVectorizer`],
//! or any [`FitVectorizer`]: counts, hashing) with any classifier
//! parameters (`LogisticRegression::params()`,
//! `RandomForestClassifier::params()`, `OneVsRestClassifier::params(..)`);
//! `fit` learns the vocabulary, transforms the texts and trains the
//! classifier on the matrix. The fitted [`Pipeline`] answers
//! [`PredictProba`] on raw texts (`&[&str]`, `Vec<String>`, ...), gives one
//! document's `(class, probability)` pairs with [`Pipeline::predict_one`]
//! (sorted, top-k: [`Pipeline::predict_one_ranked`]), and is saved and
//! loaded as one file through [`crate::io`]. [`Pipeline::new`] joins a
//! vectorizer and a classifier fitted (or loaded) apart.
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
//!
//! // Hashed features: no vocabulary to learn or store.
//! use proba::text::HashingVectorizer;
//! let hashed = Pipeline::params(
//!     HashingVectorizer::params().n_features(1 << 12),
//!     LogisticRegression::params(),
//! )
//! .fit(&texts, &labels)?;
//! assert_eq!(hashed.predict(&["my cat", "loud dogs"])?, ["cat", "dog"]);
//! let back: Pipeline<LogisticRegression<String>, HashingVectorizer> =
//!     proba::io::from_str(&proba::io::to_string(&hashed)?)?;
//! assert_eq!(back.predict(&["my cat"])?, ["cat"]);
//! // Read as another pipeline type, the file says what it holds.
//! let err = proba::io::from_str::<Pipeline<LogisticRegression<String>>>(
//!     &proba::io::to_string(&hashed)?,
//! )
//! .unwrap_err();
//! assert!(err.to_string().contains(
//!     "holds a Pipeline<HashingVectorizer, LogisticRegression<String>>; \
//!      you asked for a Pipeline<TfidfVectorizer, LogisticRegression<String>>"
//! ));
//! # Ok::<(), proba::Error>(())
//! ```

mod params;

pub use params::PipelineParams;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::Persist;
use crate::multilabel::{OneVsRestClassifier, PredictLabelSets};
use crate::sparse::CsrMatrix;
use crate::text::{FitVectorizer, TfidfVectorizer, Vectorizer};
use crate::traits::{Classifier, DecisionFunction, Label, PredictProba};

/// A fitted text classifier: a vectorizer `V` (a [`TfidfVectorizer`]
/// unless said otherwise: any [`Vectorizer`], e.g.
/// [`CountVectorizer`](crate::text::CountVectorizer) or
/// [`HashingVectorizer`](crate::text::HashingVectorizer)) followed by a
/// classifier `M` trained on its output. Predicts on raw texts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pipeline<M, V = TfidfVectorizer> {
    vectorizer: V,
    classifier: M,
}

impl Pipeline<()> {
    /// The builder: vectorizer parameters and classifier parameters, e.g.
    /// `Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())`
    /// (or `CountVectorizer::params()`, `HashingVectorizer::params()`: any
    /// [`FitVectorizer`]). The fitted types are inferred at `fit`.
    pub fn params<P, VP: FitVectorizer>(vectorizer: VP, classifier: P) -> PipelineParams<P, VP> {
        PipelineParams {
            vectorizer,
            classifier,
        }
    }
}

impl<M, V: Vectorizer> Pipeline<M, V> {
    /// The fitted vectorizer.
    pub fn vectorizer(&self) -> &V {
        &self.vectorizer
    }

    /// The fitted classifier.
    pub fn classifier(&self) -> &M {
        &self.classifier
    }

    /// Number of features (the vocabulary size, for TF-IDF and counts).
    pub fn n_features(&self) -> usize {
        self.vectorizer.n_features()
    }

    /// The matrix of `texts`, as the classifier sees it.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix> {
        self.vectorizer.transform(texts)
    }
}

impl<M: PredictProba<CsrMatrix>, V: Vectorizer> Pipeline<M, V> {
    /// A pipeline from a fitted vectorizer and a classifier fitted on its
    /// output: two models trained apart (or read apart, e.g. two
    /// scikit-learn pickles through [`crate::sklearn`]) served as one. Any
    /// [`Vectorizer`]: a
    /// [`CountVectorizer`](crate::text::CountVectorizer) gives raw counts
    /// as features (scikit-learn's `make_pipeline(CountVectorizer(), clf)`),
    /// a [`HashingVectorizer`](crate::text::HashingVectorizer) hashed ones.
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
    pub fn new(vectorizer: V, classifier: M) -> Result<Self> {
        let p = Pipeline {
            vectorizer,
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
        // A model without probabilities (an SGD hinge loss) refuses
        // `predict_proba` on any input: its `predict` checks the width. (A
        // multilabel model refuses the one-label `predict` instead.)
        let p = match self.classifier.predict_proba(&probe) {
            Ok(p) => p,
            Err(e) => {
                return match self.classifier.predict(&probe) {
                    Ok(_) => Ok(()),
                    Err(Error::Unsupported(_)) => Err(e),
                    Err(other) => Err(other),
                }
            }
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
        let x = self.vectorizer.transform_one(text)?;
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

    /// One document's `(class, probability)` pairs sorted from the most
    /// probable down (class order among equal probabilities), cut to the
    /// first `top_k` when given: what a "top 3 labels" answer needs.
    ///
    /// Errors: [`Error::InvalidParameter`] naming `top_k` when it is 0;
    /// then as [`predict_one`](Self::predict_one).
    ///
    /// ```
    /// use proba::prelude::*;
    /// use proba::linear::LogisticRegression;
    /// use proba::pipeline::Pipeline;
    /// use proba::text::TfidfVectorizer;
    ///
    /// let texts = ["the cat sat", "a cat purrs", "dogs bark loud", "the dog barks", "a bird sings"];
    /// let labels = ["cat", "cat", "dog", "dog", "bird"].map(String::from);
    /// let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
    ///     .fit(&texts, &labels)?;
    /// let top = model.predict_one_ranked("the dog", Some(2))?;
    /// assert_eq!(top.len(), 2);
    /// assert_eq!(top[0].0, "dog");
    /// assert!(top[0].1 >= top[1].1);
    /// assert_eq!(model.predict_one_ranked("the dog", None)?.len(), 3);
    /// # Ok::<(), proba::Error>(())
    /// ```
    pub fn predict_one_ranked(
        &self,
        text: &str,
        top_k: Option<usize>,
    ) -> Result<Vec<(M::Label, f64)>> {
        if top_k == Some(0) {
            return Err(Error::invalid_param(
                "top_k",
                0,
                "must be at least 1 (or None for every class)",
            ));
        }
        let mut pairs = self.predict_one(text)?;
        // Stable: equal probabilities keep class order.
        pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
        if let Some(k) = top_k {
            pairs.truncate(k);
        }
        Ok(pairs)
    }

    /// The classifier's raw scores on the texts' features (scikit-learn's
    /// `pipeline.decision_function`), for the linear models.
    pub fn decision_function<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Array2<f64>>
    where
        M: DecisionFunction<CsrMatrix>,
    {
        let x = self.vectorizer.transform(texts)?;
        self.classifier.decision_function(&x)
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

impl<M, L, V> Pipeline<OneVsRestClassifier<M, L>, V>
where
    M: PredictProba<CsrMatrix, Label = bool> + Sync,
    L: Label,
    V: Vectorizer,
{
    /// The label sets of a multilabel pipeline, one per text (as
    /// [`OneVsRestClassifier::predict`]: the labels with probability above
    /// 0.5). Shadows the one-label [`PredictProba::predict`], which refuses
    /// a multilabel model rather than take an argmax.
    ///
    /// ```
    /// use proba::linear::LogisticRegression;
    /// use proba::multilabel::OneVsRestClassifier;
    /// use proba::pipeline::Pipeline;
    /// use proba::prelude::*;
    /// use proba::text::TfidfVectorizer;
    ///
    /// let texts = ["rust is fast", "python is slow", "rust and python", "cooking pasta"];
    /// let label_sets = vec![vec!["rust"], vec!["python"], vec!["rust", "python"], vec![]];
    /// let model = Pipeline::params(
    ///     TfidfVectorizer::params(),
    ///     OneVsRestClassifier::params(LogisticRegression::params().c(100.0)),
    /// )
    /// .fit(&texts, &label_sets)?;
    /// assert_eq!(model.predict(&["fast rust"])?, vec![vec!["rust"]]);
    /// # Ok::<(), proba::Error>(())
    /// ```
    pub fn predict<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Vec<L>>> {
        let x = self.vectorizer.transform(texts)?;
        self.classifier.predict(&x)
    }
}

macro_rules! impl_label_sets_on_texts {
    ($($texts:ty => [$($generics:tt)*]),*) => {$(
        impl<M, L, V, $($generics)*> PredictLabelSets<$texts>
            for Pipeline<OneVsRestClassifier<M, L>, V>
        where
            M: PredictProba<CsrMatrix, Label = bool> + Sync,
            L: Label,
            V: Vectorizer,
            S: AsRef<str> + Sync,
        {
            fn predict_label_sets(&self, texts: &$texts) -> Result<Vec<Vec<L>>> {
                Pipeline::predict(self, texts)
            }
        }
    )*};
}

impl_label_sets_on_texts!([S] => [S], Vec<S> => [S], [S; N] => [S, const N: usize]);

impl<M: Classifier, V> Classifier for Pipeline<M, V> {
    type Label = M::Label;

    fn classes(&self) -> &[M::Label] {
        self.classifier.classes()
    }
}

impl<M, V, S> PredictProba<[S]> for Pipeline<M, V>
where
    M: PredictProba<CsrMatrix>,
    V: Vectorizer,
    S: AsRef<str> + Sync,
{
    /// One row per text, one column per class.
    fn predict_proba(&self, texts: &[S]) -> Result<Array2<f64>> {
        self.predict_texts(texts)
    }

    fn predict(&self, texts: &[S]) -> Result<Vec<M::Label>> {
        self.predict_labels(texts)
    }
}

impl<M, V, S> PredictProba<Vec<S>> for Pipeline<M, V>
where
    M: PredictProba<CsrMatrix>,
    V: Vectorizer,
    S: AsRef<str> + Sync,
{
    /// One row per text, one column per class.
    fn predict_proba(&self, texts: &Vec<S>) -> Result<Array2<f64>> {
        self.predict_texts(texts)
    }

    fn predict(&self, texts: &Vec<S>) -> Result<Vec<M::Label>> {
        self.predict_labels(texts)
    }
}

impl<M, V, S, const N: usize> PredictProba<[S; N]> for Pipeline<M, V>
where
    M: PredictProba<CsrMatrix>,
    V: Vectorizer,
    S: AsRef<str> + Sync,
{
    /// One row per text, one column per class.
    fn predict_proba(&self, texts: &[S; N]) -> Result<Array2<f64>> {
        self.predict_texts(texts)
    }

    fn predict(&self, texts: &[S; N]) -> Result<Vec<M::Label>> {
        self.predict_labels(texts)
    }
}

impl<M, V> Persist for Pipeline<M, V>
where
    M: Persist + PredictProba<CsrMatrix>,
    V: Vectorizer,
{
    const KIND: &'static str = "Pipeline";

    fn type_name() -> String {
        format!("Pipeline<{}, {}>", V::type_name(), M::type_name())
    }

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
