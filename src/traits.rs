//! The traits every estimator shares.
//!
//! * [`Fit`]: parameters that can be trained into a fitted model. Wrappers
//!   such as one-vs-rest are generic over it.
//! * [`Classifier`]: a fitted model that knows its classes (not generic over
//!   the input, so `model.classes()` never needs a type annotation).
//! * [`PredictProba`]: per-class probabilities for one kind of input, with
//!   [`predict`](PredictProba::predict) provided as the argmax.
//!
//! ```
//! use proba::prelude::*;
//! use ndarray::array;
//!
//! /// A toy classifier: always 30% "a", 70% "b".
//! struct Fixed(Vec<&'static str>);
//! impl Classifier for Fixed {
//!     type Label = &'static str;
//!     fn classes(&self) -> &[&'static str] { &self.0 }
//! }
//! impl PredictProba<ndarray::Array2<f64>> for Fixed {
//!     fn predict_proba(&self, x: &ndarray::Array2<f64>) -> Result<ndarray::Array2<f64>> {
//!         let mut p = ndarray::Array2::zeros((x.nrows(), 2));
//!         p.column_mut(0).fill(0.3);
//!         p.column_mut(1).fill(0.7);
//!         Ok(p)
//!     }
//! }
//! let m = Fixed(vec!["a", "b"]);
//! assert_eq!(m.predict(&array![[1.0], [2.0]])?, vec!["b", "b"]);
//! # Ok::<(), proba::Error>(())
//! ```

use std::fmt::Debug;
use std::hash::Hash;

use ndarray::Array2;
use serde::Serialize;

use crate::error::{Error, Result};

/// What a class label must be: cloneable, totally ordered (classes are kept
/// sorted, as scikit-learn's `np.unique` does), hashable, serializable and
/// shareable across threads.
///
/// Implemented automatically for `String`, `&str`, integers, `bool` and any
/// type with these traits. Loading a saved model additionally needs labels
/// that own their data (`String`, not `&str`): see [`crate::io`].
pub trait Label: Clone + Ord + Hash + Debug + Serialize + Send + Sync {}

impl<T> Label for T where T: Clone + Ord + Hash + Debug + Serialize + Send + Sync {}

/// Parameters that can be trained on features `X` and one label per row.
///
/// `fit` validates the parameters, trains, and returns the fitted model.
/// Generic wrappers (e.g. [`OneVsRestClassifier`](crate::multilabel::OneVsRestClassifier))
/// take any `P: Fit<X, L>`.
pub trait Fit<X: ?Sized, L> {
    /// The trained model.
    type Fitted;

    /// Trains on `x` (one row per sample) and `y` (one label per row).
    fn fit(&self, x: &X, y: &[L]) -> Result<Self::Fitted>;
}

/// Parameters that can also be trained with a weight per row
/// (scikit-learn's `sample_weight`), for wrappers that pass the weights
/// through (e.g. [`PipelineParams::fit_weighted`](crate::pipeline::PipelineParams::fit_weighted)).
pub trait FitWeighted<X: ?Sized, L>: Fit<X, L> {
    /// Trains on `x`, `y` and one finite, non-negative weight per row.
    fn fit_weighted(&self, x: &X, y: &[L], sample_weight: &[f64]) -> Result<Self::Fitted>;
}

/// Raw per-class scores of a linear model for input `X` (scikit-learn's
/// `decision_function`): one column per class, or a single column for two
/// classes (the score of the second class).
pub trait DecisionFunction<X: ?Sized> {
    /// `n_rows x n_columns` scores.
    fn decision_function(&self, x: &X) -> Result<Array2<f64>>;
}

/// A fitted classifier: it knows its classes, in the column order of its
/// probabilities.
pub trait Classifier {
    /// The label type, inferred from the labels given to `fit`.
    type Label: Clone;

    /// The classes, sorted, in the column order of `predict_proba`.
    fn classes(&self) -> &[Self::Label];

    /// Number of classes (columns of `predict_proba`).
    fn n_classes(&self) -> usize {
        self.classes().len()
    }
}

/// Class probabilities for input `X` (one row per sample).
pub trait PredictProba<X: ?Sized>: Classifier {
    /// An `n_rows x n_classes` matrix; for single-label models every row sums to 1.
    fn predict_proba(&self, x: &X) -> Result<Array2<f64>>;

    /// The most probable class of each row (the first class on ties).
    ///
    /// A model whose prediction is not one label per row refuses with
    /// [`Error::Unsupported`] rather than take an argmax: a multilabel
    /// one-vs-rest model, whose label sets come from
    /// [`PredictLabelSets`](crate::multilabel::PredictLabelSets).
    fn predict(&self, x: &X) -> Result<Vec<Self::Label>> {
        let proba = self.predict_proba(x)?;
        let classes = self.classes();
        if proba.ncols() != classes.len() || classes.is_empty() {
            return Err(Error::shape(
                "number of probability columns (one per class)",
                classes.len(),
                proba.ncols(),
            ));
        }
        Ok(proba
            .rows()
            .into_iter()
            .map(|row| classes[argmax(row.iter().copied())].clone())
            .collect())
    }
}

/// Index of the largest value, the first one on ties; 0 for an empty input.
/// NaN never wins against a number.
pub(crate) fn argmax(values: impl IntoIterator<Item = f64>) -> usize {
    let mut best = 0;
    let mut best_value = f64::NEG_INFINITY;
    for (i, v) in values.into_iter().enumerate() {
        if v > best_value {
            best = i;
            best_value = v;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::argmax;

    #[test]
    fn argmax_takes_first_of_ties_and_skips_nan() {
        assert_eq!(argmax([0.2, 0.4, 0.4]), 1);
        assert_eq!(argmax([f64::NAN, 0.1, 0.0]), 1);
        assert_eq!(argmax(std::iter::empty()), 0);
    }
}
