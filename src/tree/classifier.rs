//! `DecisionTreeClassifier`: parameters, fitting, prediction, persistence.

use std::marker::PhantomData;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::builder::{grow, Criterion};
use super::data::TrainSet;
use super::options::{
    check_fit_input, class_weights, encode_labels, ClassWeight, MaxFeatures, SampleSize,
    TreeOptions,
};
use super::predict::predict_proba;
use super::structure::{Tree, LEAF};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::{CsrMatrix, Features};
use crate::traits::{Classifier, Fit, Label, PredictProba};

/// Settings of a [`DecisionTreeClassifier`], with scikit-learn's defaults
/// (all features at every split, grown until pure, seed 0).
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionTreeParams<L> {
    pub(crate) options: TreeOptions,
    pub(crate) class_weight: ClassWeight<L>,
    pub(crate) seed: u64,
    _label: PhantomData<L>,
}

impl<L: Label> Default for DecisionTreeParams<L> {
    fn default() -> Self {
        Self {
            options: TreeOptions::new(MaxFeatures::All),
            class_weight: ClassWeight::None,
            seed: 0,
            _label: PhantomData,
        }
    }
}

/// Checks a seed fits numpy's `RandomState` (32 bits), so the same seed
/// means the same draws as in scikit-learn.
pub(crate) fn seed_u32(seed: u64) -> Result<u32> {
    u32::try_from(seed).map_err(|_| {
        Error::invalid_param(
            "seed",
            seed,
            "must be below 2^32 (seeds follow numpy's RandomState)",
        )
    })
}

impl<L: Label> DecisionTreeParams<L> {
    tree_option_setters!();

    /// Features evaluated per split (default [`MaxFeatures::All`]).
    pub fn max_features(mut self, m: MaxFeatures) -> Self {
        self.options.max_features = m;
        self
    }

    /// Class weights (default none). `BalancedSubsample` is for forests only.
    pub fn class_weight(mut self, cw: ClassWeight<L>) -> Self {
        self.class_weight = cw;
        self
    }

    /// Seed of the feature visiting order (which decides ties); default 0.
    /// Must be below 2^32, as for scikit-learn's `random_state`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates the settings and the input, then grows the tree.
    pub fn fit<X: Features + ?Sized>(&self, x: &X, y: &[L]) -> Result<DecisionTreeClassifier<L>> {
        check_fit_input(x, y)?;
        let seed = seed_u32(self.seed)?;
        let (n, p) = (x.n_rows(), x.n_cols());
        let cfg = self.options.resolve(n, p)?;
        if self.class_weight == ClassWeight::BalancedSubsample {
            return Err(Error::invalid_param(
                "class_weight",
                "BalancedSubsample",
                "only forests with bootstrap draw subsamples; use Balanced",
            ));
        }
        let (classes, codes) = encode_labels(y);
        let w: Vec<f64> = match class_weights(&self.class_weight, &classes, &codes)? {
            Some(cw) => codes.iter().map(|&c| cw[c as usize]).collect(),
            None => vec![1.0; n],
        };
        if !w.iter().any(|&v| v > 0.0) {
            return Err(Error::invalid_param(
                "class_weight",
                "all zero",
                "at least one row must have a positive weight",
            ));
        }
        super::options::ensure_fit_memory(p, 1)?;
        let data = TrainSet::new(x.feature_view())?;
        let grown = grow(&data, &codes, &w, classes.len(), cfg, seed);
        Ok(DecisionTreeClassifier {
            classes,
            n_features: p,
            tree: grown.tree,
            importances: grown.importances,
        })
    }
}

impl<X: Features + ?Sized, L: Label> Fit<X, L> for DecisionTreeParams<L> {
    type Fitted = DecisionTreeClassifier<L>;
    fn fit(&self, x: &X, y: &[L]) -> Result<DecisionTreeClassifier<L>> {
        DecisionTreeParams::fit(self, x, y)
    }
}

/// A fitted CART classification tree (scikit-learn's
/// `DecisionTreeClassifier`): flat node arrays, iterative prediction.
///
/// ```
/// use proba::prelude::*;
/// use proba::tree::DecisionTreeClassifier;
/// use proba::ndarray::array;
///
/// let x = array![[1.0], [2.0], [3.0], [10.0], [11.0], [12.0]];
/// let y = ["small", "small", "small", "big", "big", "big"];
/// let tree = DecisionTreeClassifier::params().max_depth(3).fit(&x, &y)?;
/// // One split, at the midpoint 6.5, gives two pure leaves.
/// assert_eq!((tree.depth(), tree.n_leaves()), (1, 2));
/// assert_eq!(tree.predict(&array![[6.0], [7.0]])?, ["small", "big"]);
/// assert_eq!(tree.predict_proba(&array![[0.0]])?, array![[0.0, 1.0]]); // [big, small]
/// assert_eq!(tree.feature_importances(), [1.0]);
/// let err = DecisionTreeClassifier::params().max_depth(0).fit(&x, &y).unwrap_err();
/// assert!(err.to_string().contains("max_depth"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionTreeClassifier<L> {
    classes: Vec<L>,
    n_features: usize,
    tree: Tree,
    /// Normalised impurity-decrease importances of the features that split.
    importances: Vec<(u32, f64)>,
}

impl<L: Label> DecisionTreeClassifier<L> {
    /// The builder with scikit-learn's defaults; the label type is inferred from `fit`.
    pub fn params() -> DecisionTreeParams<L> {
        DecisionTreeParams::default()
    }

    /// Number of features seen at fit (and required at predict).
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of nodes (internal and leaves).
    pub fn node_count(&self) -> usize {
        self.tree.n_nodes()
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.tree.nodes.iter().filter(|n| n.feature == LEAF).count()
    }

    /// Depth of the deepest leaf (a lone root has depth 0).
    pub fn depth(&self) -> usize {
        tree_depth(&self.tree)
    }

    /// Mean decrease in impurity per feature, normalised to sum 1 (all zeros
    /// for a tree that never split), as scikit-learn's `feature_importances_`.
    ///
    /// Never negative: where rounding makes a split's impurity decrease
    /// slightly negative (e.g. -1e-9 of the total, with class weights far
    /// apart), that split adds 0, where scikit-learn adds the negative term.
    ///
    /// One value per feature, so it allocates `8 * n_features` bytes (32 GiB
    /// for a model over 2^32 hashed features);
    /// [`nonzero_feature_importances`](Self::nonzero_feature_importances)
    /// gives only the features that split.
    pub fn feature_importances(&self) -> Vec<f64> {
        dense_importances(&self.importances, self.n_features)
    }

    /// The nonzero entries of [`feature_importances`](Self::feature_importances),
    /// as `(feature, importance)` in feature order, without a value per
    /// unused feature.
    pub fn nonzero_feature_importances(&self) -> Vec<(usize, f64)> {
        self.importances
            .iter()
            .filter(|&&(_, v)| v != 0.0)
            .map(|&(f, v)| (f as usize, v))
            .collect()
    }
}

/// Depth of a pre-order flat tree, without recursion.
pub(crate) fn tree_depth(tree: &Tree) -> usize {
    let mut depth = vec![0usize; tree.nodes.len()];
    let mut max = 0;
    for (i, node) in tree.nodes.iter().enumerate() {
        let d = depth[i];
        max = max.max(d);
        if node.feature != LEAF {
            if let Some(l) = depth.get_mut(i + 1) {
                *l = d + 1;
            }
            if let Some(r) = depth.get_mut(node.next as usize) {
                *r = d + 1;
            }
        }
    }
    max
}

/// Expands sparse `(feature, value)` importances to a dense vector.
pub(crate) fn dense_importances(sparse: &[(u32, f64)], n_features: usize) -> Vec<f64> {
    let mut out = vec![0.0; n_features];
    for &(f, v) in sparse {
        if let Some(o) = out.get_mut(f as usize) {
            *o = v;
        }
    }
    out
}

/// The most features a tree or forest can have: nodes name features with
/// 32 bits. A saved model claiming more is refused on load.
pub(crate) const MAX_TREE_FEATURES: usize = 1 << 32;

/// Checks sorted distinct classes, a feature count a node can index, and
/// in-range, finite importances.
pub(crate) fn validate_common<L: Label>(
    classes: &[L],
    n_features: usize,
    importances: &[(u32, f64)],
) -> Result<()> {
    if classes.is_empty() {
        return Err(Error::Format("no classes".into()));
    }
    if classes.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::Format("classes must be sorted and distinct".into()));
    }
    if n_features == 0 || n_features > MAX_TREE_FEATURES {
        return Err(Error::Format(format!(
            "n_features is {n_features}, expected 1 to 2^32 (features are 32-bit in a tree)"
        )));
    }
    if importances
        .iter()
        .any(|&(f, v)| f as usize >= n_features || !v.is_finite())
    {
        return Err(Error::Format("feature importance out of range".into()));
    }
    Ok(())
}

impl<L: Label> Classifier for DecisionTreeClassifier<L> {
    type Label = L;
    fn classes(&self) -> &[L] {
        &self.classes
    }
}

/// The growth settings a tree and a forest share (their `options:
/// TreeOptions` field), written once for both builders.
macro_rules! tree_option_setters {
    () => {
        /// Split quality: [`Criterion::Gini`] (default) or [`Criterion::Entropy`].
        pub fn criterion(mut self, criterion: Criterion) -> Self {
            self.options.criterion = criterion;
            self
        }

        /// Maximum depth (root = depth 0); unlimited by default.
        pub fn max_depth(mut self, depth: usize) -> Self {
            self.options.max_depth = Some(depth);
            self
        }

        /// Smallest node that may be split: a count (default 2) or a fraction of the rows.
        pub fn min_samples_split(mut self, n: impl Into<SampleSize>) -> Self {
            self.options.min_samples_split = n.into();
            self
        }

        /// Smallest leaf: a count (default 1) or a fraction of the rows.
        pub fn min_samples_leaf(mut self, n: impl Into<SampleSize>) -> Self {
            self.options.min_samples_leaf = n.into();
            self
        }

        /// A split must decrease the weighted impurity by at least this much (default 0).
        pub fn min_impurity_decrease(mut self, v: f64) -> Self {
            self.options.min_impurity_decrease = v;
            self
        }
    };
}
pub(crate) use tree_option_setters;

macro_rules! impl_predict_proba {
    ($model:ident) => {
        impl<L: Label> PredictProba<CsrMatrix> for $model<L> {
            fn predict_proba(&self, x: &CsrMatrix) -> Result<Array2<f64>> {
                self.proba(x)
            }
        }
        impl<L: Label> PredictProba<Array2<f64>> for $model<L> {
            fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
                self.proba(x)
            }
        }
        impl<'a, L: Label> PredictProba<ArrayView2<'a, f64>> for $model<L> {
            fn predict_proba(&self, x: &ArrayView2<'a, f64>) -> Result<Array2<f64>> {
                self.proba(x)
            }
        }
    };
}
pub(crate) use impl_predict_proba;

impl<L: Label> DecisionTreeClassifier<L> {
    fn proba<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        predict_proba(
            std::slice::from_ref(&self.tree),
            self.n_features,
            self.classes.len(),
            x,
        )
    }
}

impl_predict_proba!(DecisionTreeClassifier);

impl<L: Label> DecisionTreeClassifier<L> {
    /// A fitted tree from its parts, checked as `io::load` checks one; used
    /// by `crate::sklearn`.
    pub(crate) fn from_parts(
        classes: Vec<L>,
        n_features: usize,
        tree: Tree,
        importances: Vec<(u32, f64)>,
    ) -> Result<Self> {
        let m = DecisionTreeClassifier {
            classes,
            n_features,
            tree,
            importances,
        };
        m.validate()?;
        Ok(m)
    }
}

impl<L: Label> Persist for DecisionTreeClassifier<L> {
    const KIND: &'static str = "DecisionTreeClassifier";

    fn type_name() -> String {
        format!(
            "DecisionTreeClassifier<{}>",
            crate::io::short_type_name::<L>()
        )
    }
    fn validate(&self) -> Result<()> {
        validate_common(&self.classes, self.n_features, &self.importances)?;
        self.tree.validate(self.n_features, self.classes.len())
    }
}
