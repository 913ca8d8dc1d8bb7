//! Multilabel classification: [`MultiLabelBinarizer`] and [`OneVsRestClassifier`].
//!
//! A multilabel target is a *set* of labels per sample (a news story can be
//! both "politics" and "economy"). [`MultiLabelBinarizer`] turns label sets
//! into a 0/1 matrix and back; [`OneVsRestClassifier`] trains one binary
//! model per label with any estimator whose parameters implement
//! [`Fit<X, bool>`](crate::Fit) and whose model implements
//! [`PredictProba`](crate::PredictProba) (logistic regression, random
//! forests, or your own), and returns one independent probability per label.
//!
//! ```
//! use proba::multilabel::MultiLabelBinarizer;
//!
//! let sets = vec![vec!["b", "a"], vec!["c"]];
//! let mlb = MultiLabelBinarizer::params().fit(&sets)?;
//! assert_eq!(mlb.transform(&sets)?, ndarray::array![[1, 1, 0], [0, 0, 1]]);
//! # Ok::<(), proba::Error>(())
//! ```
//!
//! One-vs-rest logistic regression on label sets, as scikit-learn's
//! `OneVsRestClassifier(LogisticRegression())` (see [`OneVsRestClassifier`]
//! for a user-defined base estimator):
//!
//! ```
//! use ndarray::array;
//! use proba::linear::LogisticRegression;
//! use proba::multilabel::OneVsRestClassifier;
//! use proba::prelude::*;
//!
//! let x = array![[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.9, 0.8], [0.1, 0.9]];
//! let label_sets = vec![vec!["b"], vec!["a"], vec!["a", "b"], vec![], vec!["a", "b"], vec!["b"]];
//! let ovr = OneVsRestClassifier::params(LogisticRegression::params()).fit(&x, &label_sets)?;
//! assert_eq!(ovr.classes(), &["a", "b"]);
//! let p = ovr.predict_proba(&x)?; // one column per label, independent
//! assert!(p[[2, 0]] > 0.5 && p[[2, 1]] > 0.5);
//! assert_eq!(ovr.predict(&array![[1.0, 1.0]])?, vec![vec!["a", "b"]]); // p > 0.5
//! # Ok::<(), proba::Error>(())
//! ```
//!
//! # Multilabel is not multiclass
//!
//! A model trained on label sets predicts label sets, and no code path
//! turns its independent per-label probabilities into one argmax label:
//! `fit(&x, &label_sets)` is the only [`Fit`](crate::Fit) of
//! [`OneVsRestParams`] (so it needs no type annotation, also inside a
//! [`Pipeline`](crate::pipeline::Pipeline)); `predict` on the model, on a
//! pipeline ending in it, and [`PredictLabelSets`] in generic code all give
//! sets; the one-label [`PredictProba::predict`](crate::PredictProba::predict)
//! of a multilabel model is an error. One-vs-rest on one label per row
//! (scikit-learn's multiclass `OneVsRestClassifier`) is
//! [`fit_multiclass`](OneVsRestParams::fit_multiclass), or
//! [`multiclass()`](OneVsRestParams::multiclass) where a `Fit<X, L>` is
//! expected; its rows sum to 1, `PredictProba::predict` is the argmax, and
//! the set-returning `predict` gives that label as a one-element set.

mod binarizer;
mod label_sets;
mod one_vs_rest;

pub use binarizer::{MultiLabelBinarizer, MultiLabelBinarizerParams};
pub use label_sets::PredictLabelSets;
pub use one_vs_rest::{
    BinaryModel, MulticlassParams, OneVsRestClassifier, OneVsRestMode, OneVsRestParams,
};
