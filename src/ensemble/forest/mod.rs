//! The fitted [`RandomForestClassifier`]: prediction, importances,
//! out-of-bag estimates, persistence; its settings and fit are in `params`.

mod params;

pub use params::{RandomForestParams, MAX_DRAWS_PER_ROW};

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::{CsrMatrix, Features};
use crate::traits::{Classifier, Label, PredictProba};
use crate::tree::facade::{
    dense_importances, impl_predict_proba, predict_proba, tree_depth, validate_common, Tree,
};

/// A fitted random forest (scikit-learn's `RandomForestClassifier`): its
/// probabilities are the mean of its trees' leaf class fractions.
///
/// ```
/// use proba::prelude::*;
/// use proba::ensemble::RandomForestClassifier;
/// use proba::ndarray::array;
///
/// let x = array![[0.0, 0.0], [0.1, 0.2], [0.2, 0.1], [1.0, 1.0], [0.9, 1.1], [1.1, 0.9]];
/// let y = [0, 0, 0, 1, 1, 1];
/// let rf = RandomForestClassifier::params().n_estimators(10).seed(0).fit(&x, &y)?;
/// assert_eq!(rf.classes(), [0, 1]);
/// let p = rf.predict_proba(&array![[0.05, 0.1], [1.0, 0.95]])?;
/// assert!(p[[0, 0]] > 0.5 && p[[1, 1]] > 0.5);
/// // The same seed grows the same forest, on any number of threads.
/// let again = RandomForestClassifier::params().n_estimators(10).seed(0).fit(&x, &y)?;
/// assert_eq!(again.predict_proba(&x)?, rf.predict_proba(&x)?);
/// let err = RandomForestClassifier::params().n_estimators(0).fit(&x, &y).unwrap_err();
/// assert!(err.to_string().contains("n_estimators"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomForestClassifier<L> {
    classes: Vec<L>,
    n_features: usize,
    trees: Vec<Tree>,
    /// Normalised mean-decrease-in-impurity of the features that split.
    importances: Vec<(u32, f64)>,
    oob_score: Option<f64>,
    /// Training-set diagnostics: not saved (it has one row per training row).
    #[serde(skip)]
    oob_decision_function: Option<Array2<f64>>,
}

impl<L: Label> RandomForestClassifier<L> {
    /// The builder with scikit-learn's defaults; the label type is inferred from `fit`.
    pub fn params() -> RandomForestParams<L> {
        RandomForestParams::default()
    }

    /// Number of features seen at fit (and required at predict).
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of trees.
    pub fn n_estimators(&self) -> usize {
        self.trees.len()
    }

    /// Total number of nodes over all trees.
    pub fn node_count(&self) -> usize {
        self.trees.iter().map(Tree::n_nodes).sum()
    }

    /// Depth of the deepest tree.
    pub fn max_depth(&self) -> usize {
        self.trees.iter().map(tree_depth).max().unwrap_or(0)
    }

    /// Mean decrease in impurity per feature, averaged over the trees that
    /// split and normalised to sum 1 (scikit-learn's `feature_importances_`).
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

    /// Out-of-bag accuracy, if fitted with `oob_score(true)`.
    pub fn oob_score(&self) -> Option<f64> {
        self.oob_score
    }

    /// Out-of-bag class probabilities of each training row (rows never out
    /// of bag get zeros), if fitted with `oob_score(true)`; not saved by
    /// [`io`](crate::io).
    pub fn oob_decision_function(&self) -> Option<&Array2<f64>> {
        self.oob_decision_function.as_ref()
    }

    fn proba<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        predict_proba(&self.trees, self.n_features, self.classes.len(), x)
    }
}

impl<L: Label> Classifier for RandomForestClassifier<L> {
    type Label = L;
    fn classes(&self) -> &[L] {
        &self.classes
    }
}

impl_predict_proba!(RandomForestClassifier);

impl<L: Label> RandomForestClassifier<L> {
    /// A fitted forest from its parts, checked as `io::load` checks one;
    /// used by `crate::sklearn`.
    pub(crate) fn from_parts(
        classes: Vec<L>,
        n_features: usize,
        trees: Vec<Tree>,
        importances: Vec<(u32, f64)>,
    ) -> Result<Self> {
        let m = RandomForestClassifier {
            classes,
            n_features,
            trees,
            importances,
            oob_score: None,
            oob_decision_function: None,
        };
        m.validate()?;
        Ok(m)
    }
}

impl<L: Label> Persist for RandomForestClassifier<L> {
    const KIND: &'static str = "RandomForestClassifier";

    fn type_name() -> String {
        format!(
            "RandomForestClassifier<{}>",
            crate::io::short_type_name::<L>()
        )
    }
    fn validate(&self) -> Result<()> {
        validate_common(&self.classes, self.n_features, &self.importances)?;
        if self.trees.is_empty() {
            return Err(Error::Format("a forest has no tree".into()));
        }
        for (t, tree) in self.trees.iter().enumerate() {
            tree.validate(self.n_features, self.classes.len())
                .map_err(|e| Error::Format(format!("tree {t}: {e}")))?;
        }
        Ok(())
    }
}
