//! Ensembles of trees: [`RandomForestClassifier`], as scikit-learn's.
//!
//! Each tree grows on a bootstrap sample (kept as per-row counts, never as
//! copied rows) and evaluates `sqrt(p)` random features per split; the
//! forest's probabilities are the mean of the trees' leaf class fractions.
//! Trees grow in parallel with rayon, each from its own seed derived from
//! the forest's seed exactly as scikit-learn derives it, so a seed gives the
//! same forest on any number of threads. Dense and sparse (TF-IDF) inputs
//! are both accepted; a sparse matrix is never densified.
//!
//! ```
//! use proba::prelude::*;
//! use proba::ensemble::RandomForestClassifier;
//! use ndarray::Array2;
//!
//! // Two noisy blobs.
//! let x = Array2::from_shape_fn((60, 2), |(i, j)| (i % 2) as f64 * 3.0 + ((i * 7 + j * 3) % 5) as f64 * 0.4);
//! let y: Vec<u8> = (0..60).map(|i| (i % 2) as u8).collect();
//! let rf = RandomForestClassifier::params().n_estimators(20).seed(0).fit(&x, &y)?;
//! assert_eq!(rf.classes(), &[0, 1]);
//! let p = rf.predict_proba(&x)?;
//! assert!((p.row(0).sum() - 1.0).abs() < 1e-12);
//! assert_eq!(rf.predict(&x)?, y);
//! # Ok::<(), proba::Error>(())
//! ```

mod bootstrap;
mod forest;

pub use forest::{RandomForestClassifier, RandomForestParams, MAX_DRAWS_PER_ROW};
