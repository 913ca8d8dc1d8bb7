//! The fitted [`SgdClassifier`]: scores, probabilities and persistence;
//! `fit` and `partial_fit` chunk by chunk are in `fit`.

mod fit;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::scores;
use super::sgd_params::{SgdClassifierParams, SgdLoss, SgdOptions};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::Features;
use crate::traits::Label;

/// A linear classifier trained by stochastic gradient descent
/// (scikit-learn's `SGDClassifier`): one binary model per class against
/// the rest (one model for two classes), trained in parallel.
///
/// With the same options and data it follows scikit-learn 1.9's updates
/// step for step, shuffling included (the same `seed` gives the same row
/// order as `random_state`): on sparse input the coefficients agree to the
/// last bit, on dense input to rounding. Like scikit-learn, the intercept
/// moves by 1% of each step on sparse input (`SPARSE_INTERCEPT_DECAY`) and
/// by the full step on dense input.
///
/// [`partial_fit`](SgdClassifier::partial_fit) makes one more pass over a
/// chunk, so a corpus larger than memory can be learnt chunk by chunk
/// (with [`HashingVectorizer`](crate::text::HashingVectorizer) features).
///
/// ```
/// use proba::prelude::*;
/// use proba::linear::{SgdClassifier, SgdLoss};
/// use proba::ndarray::array;
///
/// let x = array![[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.2]];
/// let y = ["a", "a", "b", "b"].map(String::from);
/// let mut model = SgdClassifier::params()
///     .loss(SgdLoss::LogLoss)
///     .max_iter(20)
///     .tol(None)
///     .fit(&x, &y)?;
/// assert_eq!(model.predict(&x)?, y);
/// // One more epoch on new rows (labels from the classes it knows).
/// model.partial_fit(&array![[0.2, 0.8]], &["a".to_string()], &y)?;
/// let p = model.predict_proba(&x)?;
/// assert!((p.row(0).sum() - 1.0).abs() < 1e-12);
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "SgdRepr<L>",
    bound(deserialize = "L: Label + Deserialize<'de>")
)]
pub struct SgdClassifier<L> {
    options: SgdOptions,
    class_weight: Option<StoredClassWeight>,
    classes: Vec<L>,
    /// `1 x p` (two classes: the score of `classes[1]`) or `K x p`.
    coef: Array2<f64>,
    /// Length 1 or `K`.
    intercept: Array1<f64>,
    n_iter: usize,
    /// scikit-learn's `t_`: one plus the number of steps taken.
    t: f64,
}

/// Class weights as a fitted model keeps them: `balanced` is recomputed
/// from each chunk's labels (as scikit-learn's `partial_fit` does), a map
/// is expanded to one weight per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum StoredClassWeight {
    Balanced,
    PerClass(Vec<f64>),
}

#[derive(Deserialize)]
struct SgdRepr<L> {
    options: SgdOptions,
    class_weight: Option<StoredClassWeight>,
    classes: Vec<L>,
    coef: Array2<f64>,
    intercept: Array1<f64>,
    n_iter: usize,
    t: f64,
}

impl<L: Label> TryFrom<SgdRepr<L>> for SgdClassifier<L> {
    type Error = Error;
    fn try_from(r: SgdRepr<L>) -> Result<Self> {
        let model = SgdClassifier {
            options: r.options,
            class_weight: r.class_weight,
            classes: r.classes,
            coef: r.coef,
            intercept: r.intercept,
            n_iter: r.n_iter,
            t: r.t,
        };
        model.validate()?;
        Ok(model)
    }
}

impl<L: Label> SgdClassifier<L> {
    /// The builder, with scikit-learn's defaults (hinge loss, L2 penalty,
    /// `alpha = 1e-4`, optimal learning rate, `max_iter = 1000`,
    /// `tol = 1e-3`, shuffling with seed 0).
    pub fn params() -> SgdClassifierParams<L> {
        SgdClassifierParams::default()
    }

    /// The classes, sorted; column order of `predict_proba`.
    pub fn classes(&self) -> &[L] {
        &self.classes
    }

    /// Coefficients: `1 x n_features` for two classes (the score of
    /// `classes()[1]`), else `n_classes x n_features`.
    pub fn coef(&self) -> &Array2<f64> {
        &self.coef
    }

    /// Intercepts, one per row of [`coef`](Self::coef).
    pub fn intercept(&self) -> &Array1<f64> {
        &self.intercept
    }

    /// Epochs of the last `fit` or `partial_fit` (the most over the
    /// binary models).
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Whether the last `fit` stopped on its tolerance before `max_iter`
    /// epochs. False when it ran them all, which is always so with
    /// `tol(None)` (scikit-learn then warns `ConvergenceWarning` only when a
    /// tolerance was set).
    pub fn converged(&self) -> bool {
        self.n_iter < self.options.max_iter
    }

    /// scikit-learn's `t_`: one plus the number of per-row steps so far; the
    /// optimal and invscaling schedules go on from it in `partial_fit`.
    pub fn t(&self) -> f64 {
        self.t
    }

    /// The loss the model was trained with.
    pub fn loss(&self) -> SgdLoss {
        self.options.loss
    }

    /// Number of features the model expects.
    pub fn n_features(&self) -> usize {
        self.coef.ncols()
    }

    /// Scores `X Wᵀ + b`: `n x n_classes`, or `n x 1` for two classes.
    ///
    /// SGD with a large step can leave coefficients near `f64::MAX`; when a
    /// score then overflows to NaN (`inf - inf`) this is an error naming the
    /// row instead of a NaN probability.
    pub fn decision_function<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        let z = scores::decision_function(&self.coef, &self.intercept, x)?;
        if let Some(i) = z.iter().position(|v| v.is_nan()) {
            return Err(Error::invalid_param(
                "x",
                format!("row {}", i / z.ncols().max(1)),
                "its score overflows the model's (huge) coefficients: refit with a larger \
                 alpha, a smaller eta0 or scaled features",
            ));
        }
        Ok(z)
    }

    /// Class probabilities (`n x n_classes`, rows sum to 1), as
    /// scikit-learn computes them: for the log loss `expit(score)` (two
    /// classes: `[1 - s, s]`; more: divided by their sum), for modified
    /// Huber `(clip(score, -1, 1) + 1) / 2`, likewise normalised (a row
    /// that is all zero becomes uniform). The hinge loss has none: an error.
    pub fn predict_proba<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        if !self.options.loss.has_probabilities() {
            return Err(Error::invalid_param(
                "loss",
                self.options.loss.name(),
                "gives no probabilities; train with SgdLoss::LogLoss or SgdLoss::ModifiedHuber",
            ));
        }
        let z = self.decision_function(x)?;
        let k = self.classes.len();
        let link = |s: f64| match self.options.loss {
            SgdLoss::LogLoss => super::objective::expit(s),
            _ => (s.clamp(-1.0, 1.0) + 1.0) / 2.0,
        };
        let mut p = Array2::zeros((z.nrows(), k));
        for (mut pr, zr) in p.rows_mut().into_iter().zip(z.rows()) {
            if k == 2 {
                let s = link(zr[0]);
                pr[0] = 1.0 - s;
                pr[1] = s;
                continue;
            }
            for (pv, &s) in pr.iter_mut().zip(zr) {
                *pv = link(s);
            }
            let sum: f64 = pr.iter().sum();
            if sum == 0.0 {
                pr.fill(1.0 / k as f64);
            } else {
                pr.iter_mut().for_each(|v| *v /= sum);
            }
        }
        Ok(p)
    }

    /// The predicted class of each row from the scores (for two classes
    /// `classes()[1]` iff the score is > 0), as scikit-learn: it works for
    /// every loss, hinge included.
    pub fn predict<X: Features + ?Sized>(&self, x: &X) -> Result<Vec<L>> {
        let z = self.decision_function(x)?;
        Ok(scores::predict_from_scores(&z, &self.classes))
    }
}

scores::forward_linear_traits!(SgdClassifier, SgdClassifierParams);

impl<L: Label> Persist for SgdClassifier<L> {
    const KIND: &'static str = "SgdClassifier";

    fn type_name() -> String {
        format!("SgdClassifier<{}>", crate::io::short_type_name::<L>())
    }

    fn validate(&self) -> Result<()> {
        self.options.validate()?;
        scores::check_model(&self.classes, &self.coef, &self.intercept)?;
        let k = self.classes.len();
        if let Some(StoredClassWeight::PerClass(w)) = &self.class_weight {
            if w.len() != k {
                return Err(Error::shape("class weights", k, w.len()));
            }
            if w.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(Error::Format(
                    "class weights must be finite and >= 0".into(),
                ));
            }
        }
        if !(self.t.is_finite() && self.t >= 1.0) {
            return Err(Error::Format(
                "the step counter t must be finite and >= 1".into(),
            ));
        }
        Ok(())
    }
}
