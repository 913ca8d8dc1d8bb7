//! Linear models: [`LogisticRegression`] and the optimizers behind it, and
//! [`SgdClassifier`] (stochastic gradient descent, with `partial_fit` for
//! data larger than memory; see [`crate::scale`]).
//!
//! The model and its objective follow scikit-learn 1.9's
//! `LogisticRegression(solver="lbfgs")` exactly ([parity §2](crate::parity)): an
//! L2 penalty scaled by `1/(C·S)`, an unpenalized intercept, the softmax
//! model for three or more classes and the binary model for two. The solver
//! follows scipy's L-BFGS-B path, so with default settings the iteration
//! count and probabilities agree with scikit-learn's, not only at the optimum.
//!
//! * Options: [`c`](LogisticRegressionParams::c), `fit_intercept`,
//!   `max_iter`, `tol`, [`class_weight`](LogisticRegressionParams::class_weight)
//!   ([`ClassWeight::Balanced`] or a map), sample weights through
//!   [`fit_weighted`](LogisticRegressionParams::fit_weighted), and
//!   [`warm_start`](LogisticRegressionParams::warm_start) from an earlier
//!   model. [`ftol`](LogisticRegressionParams::ftol) (scipy's relative-decrease
//!   test, fixed by scikit-learn) is exposed so a fit can be run to the exact
//!   optimum.
//! * Two solvers ([`Solver`]): the default L-BFGS walks scipy's path, for
//!   the same answers as scikit-learn's default; [`Solver::NewtonCg`] is
//!   scikit-learn's `newton-cg` algorithm (same iteration counts on the
//!   parity fixtures). Newton-CG reaches the optimum in a few iterations of
//!   Hessian-vector products and keeps no history, so on TF-IDF with many
//!   classes it is several times faster than L-BFGS, which has to stream ten
//!   stored pairs of the full coefficient vector twice per iteration.
//! * The fitted model tells whether the solver converged and why it stopped
//!   ([`StopReason`]); running out of `max_iter` is never silent.
//! * Loss and gradient run in parallel over fixed-size chunks with
//!   reductions in a fixed order: the same model, bit for bit, on any number
//!   of threads.
//!
//! ```
//! use proba::prelude::*;
//! use proba::linear::LogisticRegression;
//! use ndarray::array;
//!
//! let x = array![[0.0, 1.0], [0.2, 0.9], [1.0, 0.0], [0.9, 0.1], [0.5, 0.5], [0.1, 0.1]];
//! let y = ["spam", "spam", "ham", "ham", "eggs", "eggs"].map(String::from);
//! let model = LogisticRegression::params().c(10.0).fit(&x, &y)?;
//! assert_eq!(model.classes(), ["eggs", "ham", "spam"]);
//! let p = model.predict_proba(&x)?;
//! assert!((p.row(0).sum() - 1.0).abs() < 1e-12);
//! assert_eq!(model.predict(&x)?[0], "spam");
//! assert!(model.converged());
//! # Ok::<(), proba::Error>(())
//! ```

mod lbfgs;
mod line_search;
mod logistic;
mod newton_cg;
mod objective;
mod params;
mod scores;
mod sgd;
mod sgd_params;
mod sgd_solver;
mod simd;
mod solver;
mod vector;

pub use logistic::LogisticRegression;
pub use params::{ClassWeight, LogisticRegressionParams, Solver};
pub use sgd::SgdClassifier;
pub use sgd_params::{SgdClassifierParams, SgdLearningRate, SgdLoss, SgdPenalty};
pub use solver::StopReason;
