//! The builder of [`LogisticRegression`](super::LogisticRegression): options,
//! their validation, and the preparation of targets and weights.

use std::marker::PhantomData;
use std::sync::Arc;

use ndarray::{Array1, Array2};

use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressHook};
use crate::traits::Label;

/// scikit-learn's `ftol` for lbfgs: `64·eps`.
pub(crate) const FTOL_SKLEARN: f64 = 64.0 * f64::EPSILON;

pub use crate::class_weight::ClassWeight;

/// One weight per row (`n`), each finite and `>= 0`.
pub(crate) fn check_sample_weight(w: &[f64], n: usize) -> Result<()> {
    if w.len() != n {
        return Err(Error::shape("number of sample weights", n, w.len()));
    }
    match w
        .iter()
        .enumerate()
        .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
    {
        Some((row, &value)) => Err(Error::InvalidSampleWeight { row, value }),
        None => Ok(()),
    }
}

/// The optimizer that fits the model (scikit-learn's `solver`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Solver {
    /// L-BFGS walking scipy's L-BFGS-B path (the default, as in
    /// scikit-learn): with default settings it stops where scikit-learn's
    /// `lbfgs` stops, so probabilities agree even when neither has reached
    /// the optimum.
    #[default]
    Lbfgs,
    /// Newton-CG (scikit-learn's `newton-cg`): conjugate gradients on
    /// Hessian-vector products. It reaches the optimum in a few iterations
    /// and moves far less memory per iteration than L-BFGS, which makes it
    /// much faster on problems with many coefficients (a large vocabulary ×
    /// many classes). `max_iter` counts Newton iterations and `tol` is the
    /// same gradient test; `ftol` does not apply.
    NewtonCg,
}

/// Coefficients to start from (a warm start), taken from an earlier model.
#[derive(Debug, Clone)]
pub(crate) struct WarmStart<L> {
    pub classes: Vec<L>,
    pub coef: Array2<f64>,
    pub intercept: Array1<f64>,
}

/// Options of [`LogisticRegression`](super::LogisticRegression); `fit` checks
/// them and trains. Built by
/// [`LogisticRegression::params`](super::LogisticRegression::params); the
/// label type `L` is inferred from the labels given to `fit`.
#[derive(Debug, Clone)]
pub struct LogisticRegressionParams<L> {
    pub(crate) c: f64,
    pub(crate) fit_intercept: bool,
    pub(crate) max_iter: usize,
    pub(crate) tol: f64,
    pub(crate) ftol: f64,
    pub(crate) solver: Solver,
    pub(crate) class_weight: Option<ClassWeight<L>>,
    pub(crate) warm_start: Option<WarmStart<L>>,
    pub(crate) progress: ProgressHook,
    _label: PhantomData<fn() -> L>,
}

impl<L> Default for LogisticRegressionParams<L> {
    fn default() -> Self {
        LogisticRegressionParams {
            c: 1.0,
            fit_intercept: true,
            max_iter: 100,
            tol: 1e-4,
            ftol: FTOL_SKLEARN,
            solver: Solver::Lbfgs,
            class_weight: None,
            warm_start: None,
            progress: ProgressHook::none(),
            _label: PhantomData,
        }
    }
}

impl<L: Label> LogisticRegressionParams<L> {
    /// Inverse regularization strength (default 1.0): smaller is stronger.
    /// Must be finite and positive.
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }

    /// Whether to fit an (unpenalized) intercept per class (default true).
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }

    /// Maximum number of iterations of the solver (default 100, at least 1).
    /// Reaching it is reported by
    /// [`converged`](super::LogisticRegression::converged) being false.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Stop when the largest gradient component of the mean-scaled objective
    /// is at most `tol` (default 1e-4, as scikit-learn; `0` turns this test
    /// off, and with `ftol(0.0)` as well the solver runs to `max_iter`).
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// L-BFGS's second stopping test: stop when the objective's relative
    /// decrease `(f_old − f)/max(|f_old|, |f|, 1)` is at most `ftol`
    /// (scipy's `ftol`; default `64·eps ≈ 1.4e-14`, what scikit-learn
    /// passes). With a tight `tol` this test, not the gradient test, ends
    /// the run, a little short of the optimum (on digits probabilities can
    /// still move by 1e-5). `ftol(0.0)` keeps going while the objective
    /// decreases at all, which reaches the optimum to machine precision.
    /// Must be finite and `>= 0`. Newton-CG does not use it.
    pub fn ftol(mut self, ftol: f64) -> Self {
        self.ftol = ftol;
        self
    }

    /// The optimizer (default [`Solver::Lbfgs`], scikit-learn's default).
    /// [`Solver::NewtonCg`] fits large sparse multiclass problems to the
    /// optimum many times faster.
    pub fn solver(mut self, solver: Solver) -> Self {
        self.solver = solver;
        self
    }

    /// Per-class weights (default: none, every class weighs 1).
    pub fn class_weight(mut self, class_weight: ClassWeight<L>) -> Self {
        self.class_weight = Some(class_weight);
        self
    }

    /// Starts the optimizer from the coefficients of an earlier model
    /// (scikit-learn's `warm_start`). The model must have the same classes
    /// and number of features as the data given to `fit`, else `fit`
    /// returns an error.
    pub fn warm_start(mut self, model: &super::LogisticRegression<L>) -> Self {
        self.warm_start = Some(WarmStart {
            classes: model.classes.clone(),
            coef: model.coef.clone(),
            intercept: model.intercept.clone(),
        });
        self
    }

    /// Calls `hook` after every solver iteration with
    /// [`ProgressEvent::Iteration`](crate::progress::ProgressEvent::Iteration)
    /// (the objective and the largest gradient component), from the thread
    /// running the fit. The fitted model is the same with or without a hook.
    /// See [`crate::progress`] for an example.
    pub fn progress(mut self, hook: Arc<dyn Progress>) -> Self {
        self.progress = ProgressHook::new(hook);
        self
    }

    /// Checks the scalar options.
    pub(crate) fn validate(&self) -> Result<()> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::invalid_param("c", self.c, "must be finite and > 0"));
        }
        // 0 is allowed, as in scikit-learn: no gradient test.
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(Error::invalid_param(
                "tol",
                self.tol,
                "must be finite and >= 0",
            ));
        }
        if !(self.ftol.is_finite() && self.ftol >= 0.0) {
            return Err(Error::invalid_param(
                "ftol",
                self.ftol,
                "must be finite and >= 0",
            ));
        }
        if self.max_iter == 0 {
            return Err(Error::invalid_param("max_iter", 0, "must be at least 1"));
        }
        if let Some(cw) = &self.class_weight {
            cw.check_for("LogisticRegression")?;
        }
        Ok(())
    }
}

pub(crate) use crate::labels::Encoded;

/// The labels encoded, with at least two classes (a linear model has
/// nothing to separate otherwise).
pub(crate) fn encode_labels<L: Label>(y: &[L]) -> Result<Encoded<L>> {
    let enc = crate::labels::encode(y);
    if enc.classes.len() < 2 {
        return Err(Error::TooFewClasses {
            found: enc.classes.len(),
        });
    }
    Ok(enc)
}

/// The final per-sample weights `s_i · w_{y_i}` ([parity §2.3](crate::parity)).
pub(crate) fn sample_weights<L: Label>(
    class_weight: Option<&ClassWeight<L>>,
    classes: &[L],
    y: &[u32],
    sample_weight: Option<&[f64]>,
) -> Result<Vec<f64>> {
    let n = y.len();
    let mut sw = match sample_weight {
        Some(w) => {
            check_sample_weight(w, n)?;
            w.to_vec()
        }
        None => vec![1.0; n],
    };
    let k = classes.len();
    let cw: Option<Vec<f64>> = match class_weight {
        None | Some(ClassWeight::None) => None,
        Some(ClassWeight::BalancedSubsample) => {
            return Err(Error::invalid_param(
                "class_weight",
                "BalancedSubsample",
                "a linear model draws no bootstrap samples: use Balanced",
            ))
        }
        Some(ClassWeight::Balanced) => {
            let mut per_class = vec![0.0; k];
            for (&c, &s) in y.iter().zip(&sw) {
                per_class[c as usize] += s;
            }
            let total: f64 = sw.iter().sum();
            Some(
                per_class
                    .iter()
                    .map(|&sc| {
                        if sc > 0.0 {
                            total / (k as f64 * sc)
                        } else {
                            0.0
                        }
                    })
                    .collect(),
            )
        }
        Some(cw) => {
            let mut w = vec![1.0; k];
            let map = cw.explicit().into_iter().flatten();
            for (label, &v) in map {
                let i = classes
                    .binary_search(label)
                    .map_err(|_| Error::UnknownLabel(format!("{label:?} in class_weight")))?;
                w[i] = v;
            }
            Some(w)
        }
    };
    if let Some(cw) = cw {
        for (s, &c) in sw.iter_mut().zip(y) {
            *s *= cw[c as usize];
        }
    }
    let total: f64 = sw.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(Error::invalid_param(
            "sample_weight",
            total,
            "the weights (times the class weights) must have a positive, finite sum",
        ));
    }
    Ok(sw)
}
