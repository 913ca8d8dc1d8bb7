//! The fitted [`LogisticRegression`] model: training entry points, scores,
//! probabilities and persistence.

use ndarray::{Array1, Array2, ArrayViewMut1};
use serde::{Deserialize, Serialize};

use super::lbfgs;
use super::newton_cg;
use super::objective::{expit, Objective};
use super::params::{encode_labels, sample_weights, LogisticRegressionParams, Solver};
use super::scores;
use super::solver::StopReason;
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::progress::ProgressHook;
use crate::sparse::{FeatureView, Features};
use crate::traits::{FitWeighted, Label};

/// A fitted L2-penalised logistic regression (scikit-learn's
/// `LogisticRegression(solver="lbfgs")`, or `"newton-cg"` with
/// [`Solver::NewtonCg`]).
///
/// Two classes use the binary model (one coefficient row, the score of
/// `classes()[1]`); three or more use the multinomial (softmax) model with
/// one row per class.
///
/// ```
/// use proba::prelude::*;
/// use proba::linear::LogisticRegression;
/// use proba::ndarray::array;
///
/// let x = array![[0.0], [1.0], [2.0], [3.0]];
/// let y = ["no", "no", "yes", "yes"];
/// let model = LogisticRegression::params().c(1.0).fit(&x, &y)?;
/// assert_eq!(model.classes(), ["no", "yes"]);
/// assert_eq!(model.coef().shape(), [1, 1]); // two classes: one row, for "yes"
/// let p = model.predict_proba(&array![[0.0], [3.0]])?;
/// assert!(p[[0, 0]] > 0.5 && p[[1, 1]] > 0.5);
/// assert_eq!(model.predict(&array![[-1.0], [4.0]])?, ["no", "yes"]);
/// let err = LogisticRegression::params().c(0.0).fit(&x, &y).unwrap_err();
/// assert!(err.to_string().contains("`c`"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "LogisticRegressionRepr<L>",
    bound(deserialize = "L: Label + Deserialize<'de>")
)]
pub struct LogisticRegression<L> {
    pub(crate) classes: Vec<L>,
    /// `1 x p` (binary) or `K x p`.
    pub(crate) coef: Array2<f64>,
    /// Length 1 (binary) or `K`; zeros when no intercept was fitted.
    pub(crate) intercept: Array1<f64>,
    pub(crate) n_iter: usize,
    pub(crate) stop: StopReason,
    pub(crate) objective: f64,
}

/// The unchecked serialized form: even a model deserialized with plain serde
/// (not through `proba::io`) is validated, so it cannot panic at predict.
#[derive(Deserialize)]
struct LogisticRegressionRepr<L> {
    classes: Vec<L>,
    coef: Array2<f64>,
    intercept: Array1<f64>,
    n_iter: usize,
    stop: StopReason,
    objective: f64,
}

impl<L: Label> TryFrom<LogisticRegressionRepr<L>> for LogisticRegression<L> {
    type Error = Error;
    fn try_from(r: LogisticRegressionRepr<L>) -> Result<Self> {
        let model = LogisticRegression {
            classes: r.classes,
            coef: r.coef,
            intercept: r.intercept,
            n_iter: r.n_iter,
            stop: r.stop,
            objective: r.objective,
        };
        model.validate()?;
        Ok(model)
    }
}

impl<L: Label> LogisticRegression<L> {
    /// The builder, with scikit-learn's defaults (`c = 1`, intercept fitted,
    /// `max_iter = 100`, `tol = 1e-4`, no class weights). The label type is
    /// inferred from `fit`.
    pub fn params() -> LogisticRegressionParams<L> {
        LogisticRegressionParams::default()
    }

    /// The classes, sorted, in the column order of
    /// [`predict_proba`](Self::predict_proba) (also available through
    /// [`Classifier::classes`](crate::traits::Classifier::classes)).
    pub fn classes(&self) -> &[L] {
        &self.classes
    }

    /// Coefficients: `1 x n_features` for two classes (scores of
    /// `classes()[1]`), else `n_classes x n_features`.
    pub fn coef(&self) -> &Array2<f64> {
        &self.coef
    }

    /// Intercepts, one per coefficient row (zeros if none was fitted).
    pub fn intercept(&self) -> &Array1<f64> {
        &self.intercept
    }

    /// Iterations done: L-BFGS iterations, or Newton iterations for
    /// [`Solver::NewtonCg`] (scikit-learn's `n_iter_`).
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Whether the optimizer met its tolerance; false if it ran out of
    /// `max_iter` or its line search failed (see [`stop_reason`](Self::stop_reason)).
    pub fn converged(&self) -> bool {
        self.stop.converged()
    }

    /// Why the optimizer stopped.
    pub fn stop_reason(&self) -> StopReason {
        self.stop
    }

    /// The objective `f` of [parity §2.2](crate::parity) at the returned
    /// coefficients (mean-scaled loss plus penalty).
    pub fn objective(&self) -> f64 {
        self.objective
    }

    /// Number of features seen at fit.
    pub fn n_features(&self) -> usize {
        self.coef.ncols()
    }

    /// Scores `X Wᵀ + b`: `n x n_classes`, or `n x 1` for two classes (the
    /// score of `classes()[1]`, as scikit-learn's 1-D output).
    pub fn decision_function<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        scores::decision_function(&self.coef, &self.intercept, x)
    }

    /// Class probabilities, `n x n_classes`: `[1 − σ(z), σ(z)]` for two
    /// classes, the softmax of the scores otherwise. Rows sum to 1.
    pub fn predict_proba<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        let z = self.decision_function(x)?;
        Ok(self.proba_from_scores(z))
    }

    /// `ln` of [`predict_proba`](Self::predict_proba), as scikit-learn computes it.
    pub fn predict_log_proba<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        Ok(self.predict_proba(x)?.mapv_into(f64::ln))
    }

    /// The predicted class of each row: for two classes `classes()[1]` iff
    /// the score is > 0, else the class of the largest score (first on ties).
    pub fn predict<X: Features + ?Sized>(&self, x: &X) -> Result<Vec<L>> {
        let z = self.decision_function(x)?;
        Ok(scores::predict_from_scores(&z, &self.classes))
    }

    fn proba_from_scores(&self, z: Array2<f64>) -> Array2<f64> {
        if self.coef.nrows() == 1 {
            let mut p = Array2::zeros((z.nrows(), 2));
            for (mut pr, zr) in p.rows_mut().into_iter().zip(z.rows()) {
                let s = expit(zr[0]);
                pr[0] = 1.0 - s;
                pr[1] = s;
            }
            p
        } else {
            let mut z = z;
            for r in z.rows_mut() {
                softmax_in_place(r);
            }
            z
        }
    }
}

/// Softmax of one row of scores, with the row maximum subtracted first.
fn softmax_in_place(mut r: ArrayViewMut1<'_, f64>) {
    let m = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in r.iter_mut() {
        *v = (*v - m).exp();
        sum += *v;
    }
    for v in r.iter_mut() {
        *v /= sum;
    }
}

impl<L: Label> LogisticRegressionParams<L> {
    /// Validates the options and the data, then trains (unit sample weights).
    ///
    /// Errors: invalid option, label count different from the row count,
    /// fewer than two classes, a NaN or infinite feature (naming the row),
    /// a `class_weight` label not in `y`, a warm start whose classes or
    /// feature count differ.
    pub fn fit<X: Features + ?Sized>(&self, x: &X, y: &[L]) -> Result<LogisticRegression<L>> {
        self.fit_impl(x, y, None)
    }

    /// Like [`fit`](Self::fit) with a weight per sample (scikit-learn's
    /// `sample_weight`): weights must be finite and `>= 0`, one per row.
    /// Integer weights are equivalent to repeating rows.
    pub fn fit_weighted<X: Features + ?Sized>(
        &self,
        x: &X,
        y: &[L],
        sample_weight: &[f64],
    ) -> Result<LogisticRegression<L>> {
        self.fit_impl(x, y, Some(sample_weight))
    }

    fn fit_impl<X: Features + ?Sized>(
        &self,
        x: &X,
        y: &[L],
        sample_weight: Option<&[f64]>,
    ) -> Result<LogisticRegression<L>> {
        self.validate()?;
        let n = x.n_rows();
        if y.len() != n {
            return Err(Error::shape("number of labels", n, y.len()));
        }
        if n == 0 {
            return Err(Error::EmptyInput("no training rows"));
        }
        if n > u32::MAX as usize {
            // Row indices are stored as u32 in the column-oriented copy.
            return Err(Error::invalid_param(
                "x",
                format!("{n} rows"),
                "at most 4294967295 training rows are supported",
            ));
        }
        x.check_finite()?;
        let enc = encode_labels(y)?;
        let sw = sample_weights(
            self.class_weight.as_ref(),
            &enc.classes,
            &enc.y,
            sample_weight,
        )?;
        let n_classes = enc.classes.len();
        ensure_fit_memory(x.n_cols(), n_classes)?;
        let warm = match &self.warm_start {
            Some(ws) if ws.classes != enc.classes => {
                return Err(Error::invalid_param(
                    "warm_start",
                    format!("{:?}", ws.classes),
                    format!("classes differ from the training classes {:?}", enc.classes),
                ));
            }
            Some(ws) => Some((&ws.coef, &ws.intercept)),
            None => None,
        };
        let settings = Solve {
            solver: self.solver,
            tol: self.tol,
            ftol: self.ftol,
            max_iter: self.max_iter,
            fit_intercept: self.fit_intercept,
            c: self.c,
            progress: &self.progress,
        };
        let fitted = settings.run(x.feature_view(), &enc.y, &sw, n_classes, warm)?;
        Ok(LogisticRegression {
            classes: enc.classes,
            coef: fitted.coef,
            intercept: fitted.intercept,
            n_iter: fitted.n_iter,
            stop: fitted.stop,
            objective: fitted.objective,
        })
    }
}

/// The label-free part of a fit: the options the solver reads. Kept apart
/// from the generic `fit_impl` so that the solver loop and its parallel
/// passes are compiled once, not once per label and feature type.
struct Solve<'a> {
    solver: Solver,
    tol: f64,
    ftol: f64,
    max_iter: usize,
    fit_intercept: bool,
    c: f64,
    progress: &'a ProgressHook,
}

/// What [`Solve::run`] finds.
struct Solved {
    coef: Array2<f64>,
    intercept: Array1<f64>,
    n_iter: usize,
    stop: StopReason,
    objective: f64,
}

impl Solve<'_> {
    /// Minimises the objective on encoded labels `y` and row weights `sw`,
    /// from zero or from `warm` (coefficients, intercepts; same classes).
    fn run<'d>(
        &self,
        x: FeatureView<'d>,
        y: &'d [u32],
        sw: &'d [f64],
        n_classes: usize,
        warm: Option<(&Array2<f64>, &Array1<f64>)>,
    ) -> Result<Solved> {
        let mut obj = Objective::new(x, y, sw, n_classes, self.fit_intercept, self.c);
        let (p, k) = (obj.p(), obj.k());
        let mut x0 = vec![0.0; obj.dim()];
        if let Some((coef, intercept)) = warm {
            if coef.ncols() != p || coef.nrows() != k || intercept.len() != k {
                return Err(Error::shape(
                    "warm_start number of features",
                    p,
                    coef.ncols(),
                ));
            }
            for ((kk, j), &v) in coef.indexed_iter() {
                x0[j * k + kk] = v;
            }
            if self.fit_intercept {
                x0[p * k..].copy_from_slice(&intercept.to_vec());
            }
        }
        let opts = lbfgs::Options {
            ftol: self.ftol,
            ..lbfgs::Options::sklearn(self.tol, self.max_iter)
        };
        // Run the whole optimization on a rayon worker: each of the many
        // small parallel passes then starts from inside the pool instead of
        // handing off from (and waking up) the caller's thread every time.
        let out = rayon::scope(|_| match self.solver {
            Solver::Lbfgs => lbfgs::minimize_observed(
                |theta, grad, dir| obj.eval(theta, grad, dir),
                x0,
                opts,
                self.progress,
            ),
            Solver::NewtonCg => {
                newton_cg::minimize(&mut obj, x0, self.tol, self.max_iter, self.progress)
            }
        });
        if !out.f.is_finite() {
            // Only huge weights (or a huge warm start) make the objective at
            // the starting point overflow; the model would be meaningless.
            let total: f64 = sw.iter().sum();
            return Err(Error::invalid_param(
                "sample_weight",
                format!("sum {total:e}"),
                "the weighted training loss overflows f64 at the starting point; \
                 scale the sample or class weights (or the warm-start coefficients) down",
            ));
        }
        let mut coef = Array2::zeros((k, p));
        for ((kk, j), v) in coef.indexed_iter_mut() {
            *v = out.x[j * k + kk];
        }
        let intercept = if self.fit_intercept {
            Array1::from(out.x[p * k..].to_vec())
        } else {
            Array1::zeros(k)
        };
        Ok(Solved {
            coef,
            intercept,
            n_iter: out.n_iter,
            stop: out.stop,
            objective: out.f,
        })
    }
}

impl<L: Label, X: Features + ?Sized> FitWeighted<X, L> for LogisticRegressionParams<L> {
    fn fit_weighted(&self, x: &X, y: &[L], sample_weight: &[f64]) -> Result<LogisticRegression<L>> {
        LogisticRegressionParams::fit_weighted(self, x, y, sample_weight)
    }
}

scores::forward_linear_traits!(LogisticRegression, LogisticRegressionParams);

impl<L: Label> Persist for LogisticRegression<L> {
    const KIND: &'static str = "LogisticRegression";

    fn type_name() -> String {
        format!("LogisticRegression<{}>", crate::io::short_type_name::<L>())
    }

    fn validate(&self) -> Result<()> {
        scores::check_model(&self.classes, &self.coef, &self.intercept)
    }
}

/// Refuses a fit whose weight vectors cannot be allocated: the solvers keep
/// about 28 vectors of `(n_features + 1)` weights per class (one class for
/// a binary model) — L-BFGS's 10 pairs, the gradient, the point, the
/// direction and line-search copies — plus the column-oriented copy's
/// column pointers. Every declared column costs that, used or not: the
/// model has a coefficient for each.
fn ensure_fit_memory(n_features: usize, n_classes: usize) -> Result<()> {
    let per_class = if n_classes == 2 { 1 } else { n_classes };
    let weights = crate::memory::bytes(n_features.saturating_add(1), per_class, 8 * 28);
    let columns = crate::memory::bytes(n_features.saturating_add(1), 8, 1);
    crate::memory::ensure(
        "x",
        format!("{n_features} columns"),
        "logistic regression on this many columns",
        weights + columns,
    )
}
