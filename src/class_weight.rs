//! [`ClassWeight`]: scikit-learn's `class_weight`, one type for every model.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// How much a row of each class counts in training (scikit-learn's
/// `class_weight`), for logistic regression, SGD, trees and forests alike:
/// `proba::ClassWeight`, `proba::linear::ClassWeight` and
/// `proba::tree::ClassWeight` are this one type.
///
/// ```
/// use std::collections::BTreeMap;
/// use proba::prelude::*;
/// use proba::ClassWeight;
/// use proba::ensemble::RandomForestClassifier;
/// use proba::linear::LogisticRegression;
///
/// let x = proba::ndarray::array![[0.0], [0.1], [0.2], [1.0]];
/// let y = ["no", "no", "no", "yes"];
/// let lr = LogisticRegression::params().class_weight(ClassWeight::Balanced).fit(&x, &y)?;
/// let rf = RandomForestClassifier::params()
///     .n_estimators(5)
///     .class_weight(ClassWeight::Explicit(BTreeMap::from([("yes", 3.0)])))
///     .fit(&x, &y)?;
/// assert_eq!(lr.classes(), rf.classes());
/// // A label that is not a class is an error, as in scikit-learn.
/// let bad = ClassWeight::Explicit(BTreeMap::from([("maybe", 2.0)]));
/// assert!(LogisticRegression::params().class_weight(bad).fit(&x, &y).is_err());
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ClassWeight<L> {
    /// Every row counts 1 (scikit-learn's `None`).
    #[default]
    None,
    /// Every class carries the same total weight: `n / (k · n_c)` over the
    /// `k` classes present. Logistic regression counts sample weights in
    /// `n` and `n_c` (scikit-learn 1.9's rule); SGD, trees and forests
    /// count rows, as scikit-learn's do.
    Balanced,
    /// Forests with bootstrap only: `Balanced` recomputed on each tree's
    /// bootstrap sample (without bootstrap, the same as `Balanced`); any
    /// other model refuses it, as scikit-learn does.
    BalancedSubsample,
    /// Given multipliers; classes not listed weigh 1. Every key must be a
    /// class of the training labels and every weight finite and `>= 0`.
    Explicit(BTreeMap<L, f64>),
    /// The former linear-model spelling of [`Explicit`](Self::Explicit),
    /// with the same meaning.
    #[deprecated(note = "use ClassWeight::Explicit, the same weights for every model")]
    Map(BTreeMap<L, f64>),
}

impl<L> ClassWeight<L> {
    /// The explicit weights, under either spelling.
    pub(crate) fn explicit(&self) -> Option<&BTreeMap<L, f64>> {
        #[allow(deprecated)]
        match self {
            ClassWeight::Explicit(map) | ClassWeight::Map(map) => Some(map),
            _ => None,
        }
    }
}

impl<L: std::fmt::Debug> ClassWeight<L> {
    /// Every explicit weight is finite and `>= 0`; `BalancedSubsample` is
    /// refused by the models that draw no bootstrap samples (`model`
    /// names them in the message).
    pub(crate) fn check_for(&self, model: &str) -> Result<()> {
        if matches!(self, ClassWeight::BalancedSubsample) {
            return Err(Error::invalid_param(
                "class_weight",
                "BalancedSubsample",
                format!("{model} draws no bootstrap samples: use Balanced"),
            ));
        }
        for (label, &w) in self.explicit().into_iter().flatten() {
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::invalid_param(
                    "class_weight",
                    format!("{label:?}: {w}"),
                    "weights must be finite and >= 0",
                ));
            }
        }
        Ok(())
    }
}
