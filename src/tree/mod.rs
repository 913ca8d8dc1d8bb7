//! Decision trees (CART), as scikit-learn's `DecisionTreeClassifier`.
//!
//! [`DecisionTreeClassifier::params`] returns the builder; `fit` takes a
//! dense (`Array2<f64>`, `ArrayView2<f64>`) or sparse ([`CsrMatrix`](crate::CsrMatrix))
//! matrix and never densifies a sparse one. Splits follow scikit-learn's
//! rules ([parity §4](crate::parity)): values are cast to float32, a threshold
//! is the midpoint of two consecutive distinct values, a row goes left iff
//! its value is `<= threshold`, and a leaf predicts the weighted class
//! fractions of its training rows. The fitted tree is stored as flat arrays
//! and saved with [`io`](crate::io).
//!
//! ```
//! use proba::prelude::*;
//! use proba::tree::DecisionTreeClassifier;
//! use ndarray::array;
//!
//! let x = array![[0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [3.0, 0.0]];
//! let y: Vec<String> = ["low", "low", "high", "high"].map(String::from).to_vec();
//! let tree = DecisionTreeClassifier::params().fit(&x, &y)?;
//! assert_eq!(tree.classes(), &["high", "low"]);
//! assert_eq!(tree.predict(&array![[0.5, 1.0], [2.5, 0.0]])?, ["low", "high"]);
//! // The same model from a sparse matrix.
//! let sparse = DecisionTreeClassifier::params().fit(&CsrMatrix::from_dense(x.view()), &y)?;
//! assert_eq!(sparse.predict_proba(&x)?, tree.predict_proba(&x)?);
//! # Ok::<(), proba::Error>(())
//! ```

mod builder;
mod classifier;
mod data;
pub(crate) mod facade;
mod options;
mod predict;
mod structure;

pub use builder::Criterion;
pub use classifier::{DecisionTreeClassifier, DecisionTreeParams};
pub use options::{ClassWeight, MaxFeatures, SampleSize};
