//! [`PredictLabelSets`]: the prediction of a multilabel model, as a trait.

use crate::error::Result;
use crate::traits::PredictProba;

/// Label sets for input `X`, one set per row: what a multilabel model
/// predicts (one-vs-rest, alone or at the end of a
/// [`Pipeline`](crate::pipeline::Pipeline)).
///
/// Multilabel and single-label prediction are different answers, so they
/// are different methods: generic code that wants label sets bounds on
/// this trait, and the one-label [`PredictProba::predict`] of a multilabel
/// model is an [`Error::Unsupported`](crate::Error::Unsupported) instead
/// of an argmax of independent per-label probabilities (which would keep
/// one label and drop the others without a word). `predict_proba` means
/// the same for both: one column per class, in
/// [`classes`](crate::Classifier::classes) order.
///
/// ```
/// use proba::linear::LogisticRegression;
/// use proba::multilabel::{OneVsRestClassifier, PredictLabelSets};
/// use proba::prelude::*;
///
/// fn tags<X: ?Sized, M: PredictLabelSets<X>>(m: &M, x: &X) -> Result<Vec<Vec<M::Label>>> {
///     m.predict_label_sets(x)
/// }
///
/// let x = proba::ndarray::array![[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]];
/// let sets = vec![vec!["b"], vec!["a"], vec!["a", "b"], vec![]];
/// let ovr = OneVsRestClassifier::params(LogisticRegression::params().c(100.0)).fit(&x, &sets)?;
/// assert_eq!(tags(&ovr, &x)?, ovr.predict(&x)?);
/// assert!(PredictProba::predict(&ovr, &x).is_err()); // no silent argmax
/// # Ok::<(), proba::Error>(())
/// ```
pub trait PredictLabelSets<X: ?Sized>: PredictProba<X> {
    /// One set of labels per row of `x`, each in class order.
    fn predict_label_sets(&self, x: &X) -> Result<Vec<Vec<Self::Label>>>;
}
