//! # proba
//!
//! Classification with class probabilities, in pure Rust, with the same
//! numbers as scikit-learn: TF-IDF text vectorization
//! ([`text::TfidfVectorizer`]), multinomial logistic regression
//! ([`linear::LogisticRegression`]), random forests
//! ([`ensemble::RandomForestClassifier`]), one-vs-rest multilabel wrapping
//! ([`multilabel::OneVsRestClassifier`]) and a text [`pipeline::Pipeline`],
//! all behind one [`PredictProba`] trait. For corpora larger than memory:
//! [`text::HashingVectorizer`], [`text::TfidfTransformer`] and
//! [`linear::SgdClassifier`] with `partial_fit` ([`scale`] says when).
//!
//! Parameters and fitted models are two types: `Model::params()` returns a
//! builder, and its `fit(...)` validates the parameters, trains, and returns
//! the fitted model that you predict with and save with [`io::save`].
//!
//! Every entry point returns [`Result`]: bad input is an [`Error`] that names
//! the parameter, the shape or the row, never a panic.
//!
//! ```
//! use proba::prelude::*;
//! use ndarray::array;
//!
//! let x = CsrMatrix::from_dense(array![[1.0, 0.0], [0.0, 1.0]].view());
//! assert_eq!((x.n_rows(), x.n_cols(), x.nnz()), (2, 2, 2));
//! ```

#![warn(missing_docs)]

pub mod ensemble;
pub mod error;
pub mod io;
pub mod linear;
mod memory;
pub mod metrics;
pub mod model_selection;
pub mod multilabel;
pub mod pipeline;
pub mod progress;
pub mod scale;
#[cfg(feature = "sklearn")]
pub mod sklearn;
pub mod sparse;
pub mod text;
pub mod traits;
pub mod tree;

pub use error::{Error, Result};
/// The ndarray this crate is built against (0.17), re-exported so that
/// features built with `proba::ndarray` always match what `fit` accepts,
/// whatever ndarray version the rest of a project uses.
pub use ndarray;
pub use sparse::{CsrMatrix, CsrRow, FeatureView, Features};
pub use traits::{Classifier, DecisionFunction, Fit, FitWeighted, Label, PredictProba};

/// The names most programs need: `use proba::prelude::*;`.
pub mod prelude {
    pub use crate::error::{Error, Result};
    pub use crate::sparse::{CsrMatrix, Features};
    pub use crate::traits::{Classifier, Fit, Label, PredictProba};
}
