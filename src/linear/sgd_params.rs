//! The builder of [`SgdClassifier`](super::SgdClassifier): its options,
//! with scikit-learn 1.9's names, defaults and checks.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use super::params::ClassWeight;
use crate::error::{Error, Result};
use crate::traits::Label;

/// The loss SGD minimises (scikit-learn's `loss`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SgdLoss {
    /// `max(0, 1 - y·p)`: a linear SVM (scikit-learn's default). It gives
    /// no probabilities: `predict_proba` is an error, `predict` works.
    #[default]
    Hinge,
    /// The logistic loss (`"log_loss"`): logistic regression, with
    /// probabilities `expit(score)` (normalised over classes when there are
    /// more than two).
    LogLoss,
    /// The smoothed hinge `"modified_huber"`: probabilities
    /// `(clip(score, -1, 1) + 1) / 2`, normalised over classes.
    ModifiedHuber,
}

impl SgdLoss {
    /// scikit-learn's name of the loss.
    pub fn name(self) -> &'static str {
        match self {
            SgdLoss::Hinge => "hinge",
            SgdLoss::LogLoss => "log_loss",
            SgdLoss::ModifiedHuber => "modified_huber",
        }
    }

    /// Whether `predict_proba` is defined for this loss.
    pub fn has_probabilities(self) -> bool {
        !matches!(self, SgdLoss::Hinge)
    }
}

/// The regulariser (scikit-learn's `penalty`); `None` for none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SgdPenalty {
    /// `alpha/2 · ||w||²` (the default).
    L2,
    /// `alpha · ||w||₁`, applied with the truncated-gradient method of
    /// Tsuruoka et al., as scikit-learn does: weights that cross zero stop
    /// at zero, so many end exactly zero.
    L1,
    /// `alpha · (l1_ratio·||w||₁ + (1 - l1_ratio)/2 · ||w||²)`.
    ElasticNet,
}

/// How the step size `eta` evolves (scikit-learn's `learning_rate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SgdLearningRate {
    /// `eta = 1 / (alpha · (t0 + t))`, with Léon Bottou's `t0` (the default).
    #[default]
    Optimal,
    /// `eta = eta0` throughout.
    Constant,
    /// `eta = eta0 / t^power_t`.
    InvScaling,
    /// `eta = eta0`, divided by 5 each time `n_iter_no_change` epochs in a
    /// row fail to improve the objective by `tol`; training stops when
    /// `eta` falls below 1e-6.
    Adaptive,
}

/// The options that a fitted model keeps, to go on with `partial_fit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct SgdOptions {
    pub loss: SgdLoss,
    pub penalty: Option<SgdPenalty>,
    pub alpha: f64,
    pub l1_ratio: f64,
    pub fit_intercept: bool,
    pub max_iter: usize,
    pub tol: Option<f64>,
    pub shuffle: bool,
    pub seed: u64,
    pub learning_rate: SgdLearningRate,
    pub eta0: f64,
    pub power_t: f64,
    pub n_iter_no_change: usize,
}

impl Default for SgdOptions {
    fn default() -> Self {
        SgdOptions {
            loss: SgdLoss::Hinge,
            penalty: Some(SgdPenalty::L2),
            alpha: 1e-4,
            l1_ratio: 0.15,
            fit_intercept: true,
            max_iter: 1000,
            tol: Some(1e-3),
            shuffle: true,
            seed: 0,
            learning_rate: SgdLearningRate::Optimal,
            eta0: 0.01,
            power_t: 0.5,
            n_iter_no_change: 5,
        }
    }
}

impl SgdOptions {
    /// scikit-learn's parameter constraints, plus what numpy needs of the seed.
    pub(crate) fn validate(&self) -> Result<()> {
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(Error::invalid_param(
                "alpha",
                self.alpha,
                "must be finite and >= 0",
            ));
        }
        if self.learning_rate == SgdLearningRate::Optimal && self.alpha == 0.0 {
            return Err(Error::invalid_param(
                "alpha",
                self.alpha,
                "must be > 0 with the optimal learning rate, which is computed from it",
            ));
        }
        if !(0.0..=1.0).contains(&self.l1_ratio) {
            return Err(Error::invalid_param(
                "l1_ratio",
                self.l1_ratio,
                "must be in [0, 1]",
            ));
        }
        if self.max_iter == 0 {
            return Err(Error::invalid_param("max_iter", 0, "must be at least 1"));
        }
        if let Some(tol) = self.tol {
            if !tol.is_finite() {
                return Err(Error::invalid_param(
                    "tol",
                    tol,
                    "must be finite (or None to run every epoch)",
                ));
            }
        }
        if !(self.eta0.is_finite() && self.eta0 > 0.0) {
            return Err(Error::invalid_param(
                "eta0",
                self.eta0,
                "must be finite and > 0",
            ));
        }
        if !self.power_t.is_finite() {
            return Err(Error::invalid_param(
                "power_t",
                self.power_t,
                "must be finite",
            ));
        }
        if self.n_iter_no_change == 0 {
            return Err(Error::invalid_param(
                "n_iter_no_change",
                0,
                "must be at least 1",
            ));
        }
        if self.seed > u64::from(u32::MAX) {
            return Err(Error::invalid_param(
                "seed",
                self.seed,
                "must be below 2^32 (numpy's RandomState seeds)",
            ));
        }
        Ok(())
    }
}

/// Options of [`SgdClassifier`](super::SgdClassifier), with scikit-learn's
/// defaults; `fit` (or `partial_fit`) checks them and trains. Built by
/// [`SgdClassifier::params`](super::SgdClassifier::params).
#[derive(Debug, Clone)]
pub struct SgdClassifierParams<L> {
    pub(crate) options: SgdOptions,
    pub(crate) class_weight: Option<ClassWeight<L>>,
    _label: PhantomData<fn() -> L>,
}

impl<L> Default for SgdClassifierParams<L> {
    fn default() -> Self {
        SgdClassifierParams {
            options: SgdOptions::default(),
            class_weight: None,
            _label: PhantomData,
        }
    }
}

impl<L: Label> SgdClassifierParams<L> {
    /// The loss (default [`SgdLoss::Hinge`], as scikit-learn). Only
    /// `LogLoss` and `ModifiedHuber` give probabilities.
    pub fn loss(mut self, loss: SgdLoss) -> Self {
        self.options.loss = loss;
        self
    }

    /// The regulariser (default `SgdPenalty::L2`); `None` for none.
    pub fn penalty(mut self, penalty: impl Into<Option<SgdPenalty>>) -> Self {
        self.options.penalty = penalty.into();
        self
    }

    /// Regularisation strength (default 1e-4, `>= 0`; `> 0` with the
    /// optimal learning rate).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.options.alpha = alpha;
        self
    }

    /// The L1 share of the elastic-net penalty (default 0.15, in `[0, 1]`);
    /// used only with `SgdPenalty::ElasticNet`.
    pub fn l1_ratio(mut self, l1_ratio: f64) -> Self {
        self.options.l1_ratio = l1_ratio;
        self
    }

    /// Whether to fit an intercept (default true).
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.options.fit_intercept = yes;
        self
    }

    /// Maximum number of epochs (passes over the data) of `fit` (default
    /// 1000, at least 1). `partial_fit` always makes one.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.options.max_iter = max_iter;
        self
    }

    /// Stop when the epoch's mean objective has not fallen below the best
    /// so far minus `tol` for `n_iter_no_change` epochs in a row (default
    /// `Some(1e-3)`); `None` runs all `max_iter` epochs.
    pub fn tol(mut self, tol: impl Into<Option<f64>>) -> Self {
        self.options.tol = tol.into();
        self
    }

    /// Shuffle the rows before each epoch (default true), with
    /// scikit-learn's generator: the same seed gives the same order as
    /// scikit-learn's `random_state`.
    pub fn shuffle(mut self, yes: bool) -> Self {
        self.options.shuffle = yes;
        self
    }

    /// Seed of the shuffling (default 0, below 2^32): scikit-learn's
    /// `random_state` as an integer.
    pub fn seed(mut self, seed: u64) -> Self {
        self.options.seed = seed;
        self
    }

    /// The step-size schedule (default [`SgdLearningRate::Optimal`]).
    pub fn learning_rate(mut self, rate: SgdLearningRate) -> Self {
        self.options.learning_rate = rate;
        self
    }

    /// Initial step size of the constant, invscaling and adaptive schedules
    /// (default 0.01, `> 0`).
    pub fn eta0(mut self, eta0: f64) -> Self {
        self.options.eta0 = eta0;
        self
    }

    /// Exponent of the invscaling schedule (default 0.5).
    pub fn power_t(mut self, power_t: f64) -> Self {
        self.options.power_t = power_t;
        self
    }

    /// Epochs without improvement before stopping (or, with the adaptive
    /// schedule, before dividing `eta` by 5); default 5, at least 1.
    pub fn n_iter_no_change(mut self, n: usize) -> Self {
        self.options.n_iter_no_change = n;
        self
    }

    /// Per-class weights (default none). `Balanced` weighs class `c` by
    /// `n / (K · n_c)` from the labels given to `fit` (sample weights do not
    /// enter, as in scikit-learn's SGD); it is refused by a first
    /// `partial_fit`, which sees only one chunk.
    pub fn class_weight(mut self, class_weight: ClassWeight<L>) -> Self {
        self.class_weight = Some(class_weight);
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        self.options.validate()?;
        match &self.class_weight {
            Some(cw) => cw.check_for("SgdClassifier"),
            None => Ok(()),
        }
    }
}
