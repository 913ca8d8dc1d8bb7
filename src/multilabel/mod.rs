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
//! With logistic regression (see [`OneVsRestClassifier`] for a full example
//! with a user-defined estimator):
//!
//! ```ignore
//! let ovr = OneVsRestClassifier::params(LogisticRegression::params()).fit(&x, &label_sets)?;
//! let p = ovr.predict_proba(&x)?; // one column per label, independent
//! let sets = ovr.predict(&x)?;    // labels with probability > 0.5
//! ```

mod binarizer;
mod one_vs_rest;

pub use binarizer::{MultiLabelBinarizer, MultiLabelBinarizerParams};
pub use one_vs_rest::{BinaryModel, OneVsRestClassifier, OneVsRestMode, OneVsRestParams};
