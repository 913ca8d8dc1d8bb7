//! What every solver of the linear models shares: why it stopped and what
//! it returns. `lbfgs` and `newton_cg` both produce an [`Outcome`].

use serde::{Deserialize, Serialize};

/// Why the optimizer stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum StopReason {
    /// The largest gradient component fell below `tol` (converged).
    Gradient,
    /// The relative decrease of the objective fell below `ftol` (scikit-learn's
    /// default, and proba's, is `64·eps`) (converged).
    ObjectiveChange,
    /// `max_iter` iterations were done before convergence (not converged).
    MaxIter,
    /// Too many objective evaluations (scipy's `maxfun = 15000`; not converged).
    MaxEvaluations,
    /// The line search found no acceptable step (L-BFGS: not even along the
    /// steepest descent direction; Newton-CG: along the Newton direction
    /// nor by scikit-learn's full-step fallback). Not converged; the model
    /// is the last good iterate.
    LineSearchFailed,
}

impl StopReason {
    /// Whether this reason counts as convergence (as scipy reports it).
    pub fn converged(self) -> bool {
        matches!(self, StopReason::Gradient | StopReason::ObjectiveChange)
    }
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub x: Vec<f64>,
    pub f: f64,
    pub n_iter: usize,
    pub stop: StopReason,
}
