//! Observing long fits: a [`Progress`] hook that estimators call as they go.
//!
//! A random forest reports each tree it has built
//! ([`ProgressEvent::TreeBuilt`]); logistic regression reports each solver
//! iteration with the objective and the largest gradient component
//! ([`ProgressEvent::Iteration`]). Give a hook to the builder with
//! `.progress(hook)` (on [`LogisticRegression::params`] and
//! [`RandomForestClassifier::params`]), and drive a progress bar, a log line
//! or a metric from it.
//!
//! The hook never changes the result: a model fitted with a hook is
//! bit-identical to one fitted without. Unused, it costs one `Option` check
//! per iteration or tree; nothing is allocated.
//!
//! Forests build trees in parallel, so the hook is called from several
//! threads at once (hence `Send + Sync`), and `TreeBuilt` events may arrive
//! out of order of their `done` count: each count from 1 to `total` is
//! reported exactly once, but count 5 may be reported just before count 4.
//! Keep the hook cheap; it runs on the training threads.
//!
//! Any `Fn(ProgressEvent) + Send + Sync` closure is a hook:
//!
//! ```
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//! use proba::ensemble::RandomForestClassifier;
//! use proba::progress::{Progress, ProgressEvent};
//! use proba::ndarray::array;
//!
//! let trees = Arc::new(AtomicUsize::new(0));
//! let seen = Arc::clone(&trees);
//! let hook = Arc::new(move |ev: ProgressEvent| {
//!     if let ProgressEvent::TreeBuilt { .. } = ev {
//!         seen.fetch_add(1, Ordering::Relaxed);
//!     }
//! });
//! let x = array![[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]];
//! let y = ["a", "b", "a", "b"];
//! let forest = RandomForestClassifier::params()
//!     .n_estimators(10)
//!     .progress(hook)
//!     .fit(&x, &y)?;
//! assert_eq!(trees.load(Ordering::Relaxed), 10);
//! # let _ = forest;
//! # Ok::<(), proba::Error>(())
//! ```
//!
//! and so is any type that implements [`Progress`]:
//!
//! ```
//! use std::sync::Mutex;
//! use std::sync::Arc;
//! use proba::linear::LogisticRegression;
//! use proba::progress::{Progress, ProgressEvent};
//! use proba::ndarray::array;
//!
//! #[derive(Default)]
//! struct LossLog(Mutex<Vec<f64>>);
//!
//! impl Progress for LossLog {
//!     fn on_event(&self, ev: ProgressEvent) {
//!         if let ProgressEvent::Iteration { loss, .. } = ev {
//!             self.0.lock().unwrap().push(loss);
//!         }
//!     }
//! }
//!
//! let log = Arc::new(LossLog::default());
//! let x = array![[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]];
//! let y = ["a", "b", "a", "b"];
//! let model = LogisticRegression::params().progress(log.clone()).fit(&x, &y)?;
//! let losses = log.0.lock().unwrap();
//! assert_eq!(losses.len(), model.n_iter());        // one event per iteration
//! assert!(losses.windows(2).all(|w| w[1] <= w[0])); // the objective goes down
//! # Ok::<(), proba::Error>(())
//! ```
//!
//! [`LogisticRegression::params`]: crate::linear::LogisticRegression::params
//! [`RandomForestClassifier::params`]: crate::ensemble::RandomForestClassifier::params

use std::fmt;
use std::sync::Arc;

/// What a fit reports to a [`Progress`] hook.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ProgressEvent {
    /// A random forest finished one more tree: `done` of `total` are built.
    TreeBuilt {
        /// Trees built so far (including this one), `1..=total`.
        done: usize,
        /// Trees in the forest (`n_estimators`).
        total: usize,
    },
    /// Logistic regression finished solver iteration `iter` (1-based,
    /// counted as [`n_iter`](crate::linear::LogisticRegression::n_iter)
    /// counts them).
    Iteration {
        /// The iteration just finished, `1..=max_iter`.
        iter: usize,
        /// The iteration limit (`max_iter`): the run stops there at the latest.
        max_iter: usize,
        /// The objective (mean-scaled loss plus penalty) after this iteration.
        loss: f64,
        /// The largest absolute gradient component after this iteration;
        /// the fit has converged once it is at most `tol`.
        grad_max: f64,
    },
}

/// A receiver of [`ProgressEvent`]s, called from the training threads.
///
/// Implemented for every `Fn(ProgressEvent) + Send + Sync` closure.
pub trait Progress: Send + Sync {
    /// Called once per event; should return quickly.
    fn on_event(&self, event: ProgressEvent);
}

impl<F: Fn(ProgressEvent) + Send + Sync> Progress for F {
    fn on_event(&self, event: ProgressEvent) {
        self(event)
    }
}

/// An optional hook as the builders store it: `Debug` says whether one is
/// set, and two `ProgressHook`s always compare equal (a hook observes a fit,
/// it is not a parameter of the model), so parameter types keep deriving
/// `PartialEq` and `Debug`.
#[derive(Clone, Default)]
pub struct ProgressHook(Option<Arc<dyn Progress>>);

impl ProgressHook {
    /// A hook that calls `hook`.
    pub fn new(hook: Arc<dyn Progress>) -> Self {
        ProgressHook(Some(hook))
    }

    /// No hook: events are dropped.
    pub fn none() -> Self {
        ProgressHook(None)
    }

    /// Whether a hook is set.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Passes `event` to the hook, if one is set.
    #[inline]
    pub fn emit(&self, event: ProgressEvent) {
        if let Some(h) = &self.0 {
            h.on_event(event);
        }
    }

    /// The hook, if set (to pass it on to a nested estimator).
    pub fn get(&self) -> Option<&Arc<dyn Progress>> {
        self.0.as_ref()
    }
}

impl From<Arc<dyn Progress>> for ProgressHook {
    fn from(hook: Arc<dyn Progress>) -> Self {
        ProgressHook::new(hook)
    }
}

impl fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_set() {
            "ProgressHook(set)"
        } else {
            "ProgressHook(none)"
        })
    }
}

impl PartialEq for ProgressHook {
    /// Always true: hooks do not take part in comparing parameters.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn unset_hook_drops_events_and_set_hook_receives_them() {
        ProgressHook::none().emit(ProgressEvent::TreeBuilt { done: 1, total: 1 });
        let n = Arc::new(AtomicUsize::new(0));
        let m = Arc::clone(&n);
        let hook = ProgressHook::new(Arc::new(move |_: ProgressEvent| {
            m.fetch_add(1, Ordering::Relaxed);
        }));
        hook.emit(ProgressEvent::TreeBuilt { done: 1, total: 2 });
        hook.clone()
            .emit(ProgressEvent::TreeBuilt { done: 2, total: 2 });
        assert_eq!(n.load(Ordering::Relaxed), 2);
        assert_eq!(format!("{hook:?}"), "ProgressHook(set)");
        assert_eq!(format!("{:?}", ProgressHook::none()), "ProgressHook(none)");
        assert_eq!(hook, ProgressHook::none());
    }
}
