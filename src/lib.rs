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
//! A text classifier, trained and asked for its probabilities:
//!
//! ```
//! use proba::prelude::*;
//! use proba::linear::LogisticRegression;
//! use proba::pipeline::Pipeline;
//! use proba::text::TfidfVectorizer;
//!
//! let texts = [
//!     "the striker scored twice in the match",
//!     "shares fell sharply as the bank raised rates",
//!     "a late goal decided the cup final",
//!     "the central bank cut interest rates",
//! ];
//! let labels = ["sport", "business", "sport", "business"].map(String::from);
//! let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
//!     .fit(&texts, &labels)?;
//!
//! // Most probable first: [("sport", 0.6...), ("business", 0.3...)]
//! let ranked = model.predict_one_ranked("who scored the goal?", None)?;
//! for (class, p) in &ranked {
//!     println!("{class}: {p:.3}");
//! }
//! assert_eq!(ranked[0].0, "sport");
//! assert_eq!(model.predict(&["interest rates rise"])?, ["business"]);
//!
//! // Saved as one checked JSON file, loaded back with the same numbers.
//! let saved = proba::io::to_string(&model)?;
//! let back: Pipeline<LogisticRegression<String>> = proba::io::from_str(&saved)?;
//! assert_eq!(back.predict_one_ranked("who scored the goal?", None)?, ranked);
//! # Ok::<(), proba::Error>(())
//! ```
//!
//! Features need not be text: every model takes a [`CsrMatrix`] or an
//! `Array2<f64>` from [`ndarray`] (re-exported, so `proba::ndarray::array!`
//! always matches the version proba is built with). Coming from Python?
//! [`coming_from_sklearn`] maps scikit-learn's names to proba's and lists
//! what differs on purpose.

#![warn(missing_docs)]

mod class_weight;
pub mod coming_from_sklearn;
mod count_or_fraction;
pub mod ensemble;
pub mod error;
pub mod io;
mod labels;
pub mod linear;
mod memory;
pub mod metrics;
pub mod model_selection;
pub mod multilabel;
pub mod parity;
pub mod pipeline;
mod prefetch;
pub mod progress;
mod rng;
pub mod scale;
#[cfg(feature = "sklearn")]
pub mod sklearn;
pub mod sparse;
pub mod text;
pub mod traits;
pub mod tree;

pub use class_weight::ClassWeight;
pub use count_or_fraction::CountOrFraction;
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
