//! The options trees and forests share, as scikit-learn spells them, and
//! their resolution against the training set's shape (§4.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::builder::{Criterion, GrowConfig};
use crate::error::{Error, Result};
use crate::sparse::Features;
use crate::traits::Label;

/// How many features to evaluate at each split (`max_features`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum MaxFeatures {
    /// `max(1, floor(sqrt(p)))`: the forest's default.
    Sqrt,
    /// `max(1, floor(log2(p)))`.
    Log2,
    /// Exactly this many (between 1 and `p`).
    Count(usize),
    /// `max(1, floor(f * p))` for `f` in (0, 1].
    Fraction(f64),
    /// Every feature: the single tree's default.
    All,
}

/// A number of samples given as a count or as a fraction of the training
/// rows (`min_samples_split`, `min_samples_leaf`, `max_samples`): the same
/// type as every other count-or-fraction parameter,
/// [`CountOrFraction`](crate::CountOrFraction), so `min_samples_leaf(5)`
/// and `min_samples_leaf(0.01)` both compile.
pub type SampleSize = crate::CountOrFraction;

pub use crate::class_weight::ClassWeight;

/// A negative count or fraction (a negative integer arrives as a negative
/// fraction): refused with the value as given.
pub(crate) fn negative_size(name: &'static str, value: f64) -> Error {
    Error::invalid_param(
        name,
        value,
        "must not be negative: a count of rows or a fraction of them",
    )
}

/// The options of one tree, before they are resolved against the data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TreeOptions {
    pub(crate) criterion: Criterion,
    pub(crate) max_depth: Option<usize>,
    pub(crate) min_samples_split: SampleSize,
    pub(crate) min_samples_leaf: SampleSize,
    pub(crate) min_impurity_decrease: f64,
    pub(crate) max_features: MaxFeatures,
}

impl TreeOptions {
    pub(crate) fn new(max_features: MaxFeatures) -> Self {
        Self {
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: SampleSize::Count(2),
            min_samples_leaf: SampleSize::Count(1),
            min_impurity_decrease: 0.0,
            max_features,
        }
    }

    /// Checks every option and resolves fractions for `n` rows and `p` features.
    pub(crate) fn resolve(&self, n: usize, p: usize) -> Result<GrowConfig> {
        let max_depth = match self.max_depth {
            Some(0) => {
                return Err(Error::invalid_param("max_depth", 0, "must be at least 1"));
            }
            Some(d) => d,
            None => usize::MAX,
        };
        let min_samples_leaf = match self.min_samples_leaf {
            SampleSize::Count(0) => {
                return Err(Error::invalid_param(
                    "min_samples_leaf",
                    0,
                    "must be at least 1",
                ))
            }
            SampleSize::Count(c) => c,
            SampleSize::Fraction(f) if f < 0.0 => return Err(negative_size("min_samples_leaf", f)),
            SampleSize::Fraction(f) if f > 0.0 && f < 1.0 => (f * n as f64).ceil() as usize,
            SampleSize::Fraction(f) => {
                return Err(Error::invalid_param(
                    "min_samples_leaf",
                    f,
                    "a fraction must lie in (0, 1)",
                ))
            }
        };
        let min_samples_split = match self.min_samples_split {
            SampleSize::Count(c) if c >= 2 => c,
            SampleSize::Count(c) => {
                return Err(Error::invalid_param(
                    "min_samples_split",
                    c,
                    "must be at least 2",
                ))
            }
            SampleSize::Fraction(f) if f < 0.0 => {
                return Err(negative_size("min_samples_split", f))
            }
            SampleSize::Fraction(f) if f > 0.0 && f <= 1.0 => {
                ((f * n as f64).ceil() as usize).max(2)
            }
            SampleSize::Fraction(f) => {
                return Err(Error::invalid_param(
                    "min_samples_split",
                    f,
                    "a fraction must lie in (0, 1]",
                ))
            }
        };
        let min_samples_split = min_samples_split.max(min_samples_leaf.saturating_mul(2));
        if !(self.min_impurity_decrease >= 0.0 && self.min_impurity_decrease.is_finite()) {
            return Err(Error::invalid_param(
                "min_impurity_decrease",
                self.min_impurity_decrease,
                "must be finite and >= 0",
            ));
        }
        let max_features = match self.max_features {
            MaxFeatures::Sqrt => ((p as f64).sqrt() as usize).max(1),
            MaxFeatures::Log2 => ((p as f64).log2() as usize).max(1),
            MaxFeatures::All => p,
            MaxFeatures::Count(c) if c >= 1 && c <= p => c,
            MaxFeatures::Count(c) => {
                return Err(Error::invalid_param(
                    "max_features",
                    c,
                    format!("must lie between 1 and the number of features ({p})"),
                ))
            }
            MaxFeatures::Fraction(f) if f > 0.0 && f <= 1.0 => ((f * p as f64) as usize).max(1),
            MaxFeatures::Fraction(f) => {
                return Err(Error::invalid_param(
                    "max_features",
                    f,
                    "a fraction must lie in (0, 1]",
                ))
            }
        };
        Ok(GrowConfig {
            criterion: self.criterion,
            max_depth,
            min_samples_split,
            min_samples_leaf,
            min_impurity_decrease: self.min_impurity_decrease,
            max_features,
        })
    }
}

/// Refuses a fit whose per-feature arrays cannot be allocated: the
/// column-oriented copy's column pointers, and per tree being grown at
/// once (`builders`) its constant-feature marks, stamps and importances.
/// They cost about `8 + 24 * builders` bytes per declared column, used or
/// not: scikit-learn's feature sampling draws from all of them, and
/// matching its trees for a seed needs the same.
pub(crate) fn ensure_fit_memory(n_features: usize, builders: usize) -> Result<()> {
    let per_feature = 8 + 24 * builders.max(1);
    crate::memory::ensure(
        "x",
        format!("{n_features} columns"),
        "growing trees on this many columns",
        crate::memory::bytes(n_features.saturating_add(1), per_feature, 1),
    )
}

/// Checks what every tree fit needs: rows, one label per row, features,
/// finite values.
pub(crate) fn check_fit_input<X: Features + ?Sized, L>(x: &X, y: &[L]) -> Result<()> {
    let n = x.n_rows();
    if n == 0 {
        return Err(Error::EmptyInput("no rows to fit on"));
    }
    if y.len() != n {
        return Err(Error::shape("number of labels", n, y.len()));
    }
    if x.n_cols() == 0 {
        return Err(Error::EmptyInput("no features (0 columns)"));
    }
    if x.n_cols() > u32::MAX as usize - 1 {
        return Err(Error::invalid_param(
            "x",
            x.n_cols(),
            "too many columns (at most 2^32 - 2)",
        ));
    }
    x.check_finite()
}

/// Sorted distinct labels and each row's class index.
pub(crate) fn encode_labels<L: Label>(y: &[L]) -> (Vec<L>, Vec<u32>) {
    let enc = crate::labels::encode(y);
    (enc.classes, enc.y)
}

/// Per-class weights for `Balanced` / `Explicit` (None for `None`).
/// `BalancedSubsample` is resolved by the caller.
pub(crate) fn class_weights<L: Label>(
    cw: &ClassWeight<L>,
    classes: &[L],
    y: &[u32],
) -> Result<Option<Vec<f64>>> {
    match cw {
        ClassWeight::None => Ok(None),
        ClassWeight::Balanced | ClassWeight::BalancedSubsample => {
            Ok(Some(balanced(classes.len(), y.iter().copied())))
        }
        cw => {
            let none = BTreeMap::new();
            let map = cw.explicit().unwrap_or(&none);
            let mut w = vec![1.0; classes.len()];
            for (label, &v) in map {
                let Ok(k) = classes.binary_search(label) else {
                    return Err(Error::UnknownLabel(format!(
                        "{label:?} in class_weight is not a class of the training labels"
                    )));
                };
                if !(v.is_finite() && v >= 0.0) {
                    return Err(Error::invalid_param(
                        "class_weight",
                        format!("{label:?}: {v}"),
                        "weights must be finite and >= 0",
                    ));
                }
                // A subnormal weight (5e-324) underflowed in the split
                // arithmetic and made feature_importances NaN.
                if v != 0.0 && v < 1e-150 {
                    return Err(Error::invalid_param(
                        "class_weight",
                        format!("{label:?}: {v:e}"),
                        "a non-zero weight must be at least 1e-150",
                    ));
                }
                w[k] = v;
            }
            // Weighted class totals (times up to n bootstrap draws) and their
            // squares in the impurity must stay finite: f64::MAX used to turn
            // the totals into inf and the leaf probabilities into NaN.
            let total: f64 = y.iter().filter_map(|&c| w.get(c as usize)).sum::<f64>();
            let bound = 1e150;
            if total * y.len() as f64 > bound {
                return Err(Error::invalid_param(
                    "class_weight",
                    format!("{map:?}"),
                    format!(
                        "too large: the weighted row total {total:e} times the {} rows must stay \
                         below {bound:e} so that weighted counts and their squares are finite",
                        y.len()
                    ),
                ));
            }
            Ok(Some(w))
        }
    }
}

/// scikit-learn's balanced weights over the given codes: `n / (k * count_c)`
/// with `k` the number of classes present (absent classes get 0).
pub(crate) fn balanced(n_classes: usize, codes: impl Iterator<Item = u32>) -> Vec<f64> {
    let mut count = vec![0usize; n_classes];
    let mut n = 0usize;
    for c in codes {
        if let Some(k) = count.get_mut(c as usize) {
            *k += 1;
            n += 1;
        }
    }
    let present = count.iter().filter(|&&c| c > 0).count();
    count
        .iter()
        .map(|&c| {
            if c > 0 {
                n as f64 / (present as f64 * c as f64)
            } else {
                0.0
            }
        })
        .collect()
}
