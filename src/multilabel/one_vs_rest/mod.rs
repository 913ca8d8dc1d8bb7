//! [`OneVsRestClassifier`]: one independent binary model per label (the
//! documentation and example are on the type). This file holds the model
//! and its predictions; `fit` the parameters and training, `persist` the
//! checked constructor and saving.

mod fit;
mod persist;

pub use fit::{MulticlassParams, OneVsRestParams};

use std::fmt::Debug;

use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::multilabel::{MultiLabelBinarizer, PredictLabelSets};
use crate::sparse::Features;
use crate::traits::{argmax, Classifier, Label, PredictProba};

/// Whether a [`OneVsRestClassifier`] was trained on label sets or on one
/// label per row; this decides how `predict_proba` and `predict` behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OneVsRestMode {
    /// Label sets: independent per-label probabilities, thresholded by `predict`.
    Multilabel,
    /// One label per row: probabilities normalized per row, `predict` is the argmax.
    Multiclass,
}

/// The model of one label: a fitted binary estimator, or a constant when the
/// label was present in every training row (`true`) or in none (`false`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BinaryModel<M> {
    /// A binary estimator fitted on "has this label?".
    Fitted(M),
    /// The label's probability is always exactly 1.0 (`true`) or 0.0 (`false`).
    Constant(bool),
}

/// A fitted one-vs-rest classifier: one independent binary model per label.
///
/// Wraps any estimator parameters `P` that can be fitted on `bool` targets
/// (`P: Fit<X, bool>`) into a classifier over label sets: for every class it
/// fits a clone of `P` on "has this label?" and reports that model's
/// probability of `true`. The models are fitted in parallel with rayon and
/// the result does not depend on the number of threads.
///
/// As in scikit-learn's `OneVsRestClassifier`:
/// * multilabel [`predict_proba`](PredictProba::predict_proba) returns one
///   independent probability per label (rows need not sum to 1);
///   [`predict`](OneVsRestClassifier::predict) keeps the labels whose
///   probability is above 0.5;
/// * trained with [`fit_multiclass`](OneVsRestParams::fit_multiclass) on one
///   label per row, the rows of `predict_proba` are divided by their sum
///   (rows summing to 0 are left alone), and 2 classes need a single model;
/// * a label present in every training row, or in none, gets no model but a
///   constant probability of exactly 1.0 or 0.0 (scikit-learn warns; here
///   [`constant_labels`](OneVsRestClassifier::constant_labels) tells).
///
/// ```
/// use ndarray::array;
/// use proba::multilabel::OneVsRestClassifier;
/// use proba::prelude::*;
///
/// /// A deliberately tiny binary model: P(true) = the training rate of `true`
/// /// among rows whose first feature has the same sign.
/// struct SignRate;
/// struct SignRateModel { rate: [f64; 2] }
/// impl Fit<ndarray::Array2<f64>, bool> for SignRate {
///     type Fitted = SignRateModel;
///     fn fit(&self, x: &ndarray::Array2<f64>, y: &[bool]) -> Result<SignRateModel> {
///         let mut hits = [0.0; 2];
///         let mut n = [0.0f64; 2];
///         for (row, &t) in x.rows().into_iter().zip(y) {
///             let side = usize::from(row[0] > 0.0);
///             n[side] += 1.0;
///             hits[side] += f64::from(u8::from(t));
///         }
///         Ok(SignRateModel { rate: [hits[0] / n[0].max(1.0), hits[1] / n[1].max(1.0)] })
///     }
/// }
/// impl Classifier for SignRateModel {
///     type Label = bool;
///     fn classes(&self) -> &[bool] { &[false, true] }
/// }
/// impl PredictProba<ndarray::Array2<f64>> for SignRateModel {
///     fn predict_proba(&self, x: &ndarray::Array2<f64>) -> Result<ndarray::Array2<f64>> {
///         Ok(ndarray::Array2::from_shape_fn((x.nrows(), 2), |(i, j)| {
///             let p = self.rate[usize::from(x[[i, 0]] > 0.0)];
///             if j == 1 { p } else { 1.0 - p }
///         }))
///     }
/// }
///
/// let x = array![[1.0], [2.0], [-1.0], [-2.0]];
/// let sets = vec![vec!["pos", "any"], vec!["pos", "any"], vec!["any"], vec!["any"]];
/// let ovr = OneVsRestClassifier::params(SignRate).fit(&x, &sets)?;
/// assert_eq!(ovr.classes(), &["any", "pos"]);
/// assert_eq!(ovr.predict_proba(&x)?.row(0).to_vec(), vec![1.0, 1.0]);
/// assert_eq!(ovr.predict(&array![[-5.0]])?, vec![vec!["any"]]);
/// assert_eq!(ovr.constant_labels(), vec![(&"any", true)]); // present in every row
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "M: Serialize, L: Serialize",
    deserialize = "M: Deserialize<'de>, L: Deserialize<'de> + Label"
))]
pub struct OneVsRestClassifier<M, L> {
    binarizer: MultiLabelBinarizer<L>,
    mode: OneVsRestMode,
    n_features: usize,
    estimators: Vec<BinaryModel<M>>,
}

/// The column of `true` among a binary model's classes.
fn true_column(classes: &[bool]) -> Option<usize> {
    classes.iter().position(|&c| c)
}

fn check_binary_classes(classes: &[bool]) -> Result<()> {
    if true_column(classes).is_none() {
        return Err(Error::invalid_param(
            "estimator",
            format!("classes {classes:?}"),
            "a binary model must have `true` among its classes",
        ));
    }
    Ok(())
}

impl<M, L: Label> OneVsRestClassifier<M, L> {
    /// The classes, in the column order of `predict_proba`.
    pub fn classes(&self) -> &[L] {
        self.binarizer.classes()
    }

    /// The classes as a [`MultiLabelBinarizer`], e.g. to turn label sets
    /// into the 0/1 matrix that matches `predict_proba`'s columns.
    pub fn binarizer(&self) -> &MultiLabelBinarizer<L> {
        &self.binarizer
    }

    /// Label sets ([`OneVsRestMode::Multilabel`]) or one label per row
    /// ([`OneVsRestMode::Multiclass`]).
    pub fn mode(&self) -> OneVsRestMode {
        self.mode
    }

    /// Number of features seen at fit.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The per-label models, in class order (with 2 multiclass classes there
    /// is one model, for the second class).
    pub fn estimators(&self) -> &[BinaryModel<M>] {
        &self.estimators
    }

    /// The class each estimator predicts.
    fn estimator_classes(&self) -> &[L] {
        let classes = self.binarizer.classes();
        let offset = classes.len().saturating_sub(self.estimators.len());
        classes.get(offset..).unwrap_or(&[])
    }

    /// The labels that got a constant predictor, with the constant: `true`
    /// for a label present in every training row, `false` for one present in
    /// none (scikit-learn warns about these).
    pub fn constant_labels(&self) -> Vec<(&L, bool)> {
        self.estimator_classes()
            .iter()
            .zip(&self.estimators)
            .filter_map(|(l, m)| match m {
                BinaryModel::Constant(v) => Some((l, *v)),
                BinaryModel::Fitted(_) => None,
            })
            .collect()
    }

    /// The predicted label sets: in multilabel mode, the labels whose
    /// probability is above 0.5; in multiclass mode, the single most probable
    /// class (first on ties).
    ///
    /// The same answer through [`PredictLabelSets`] in generic code, and
    /// through [`Pipeline::predict`](crate::pipeline::Pipeline::predict) on
    /// texts. The one-label [`PredictProba::predict`] gives the argmax of a
    /// multiclass model and refuses a multilabel one (an argmax of
    /// independent probabilities would silently drop labels).
    pub fn predict<X>(&self, x: &X) -> Result<Vec<Vec<L>>>
    where
        X: Features + ?Sized,
        M: PredictProba<X, Label = bool> + Sync,
    {
        match self.mode {
            OneVsRestMode::Multilabel => self.predict_with_threshold(x, 0.5),
            OneVsRestMode::Multiclass => Ok(self
                .argmax_labels(x)?
                .into_iter()
                .map(|l| vec![l])
                .collect()),
        }
    }

    /// The labels whose `predict_proba` value is strictly above `threshold`
    /// (in `[0, 1]`), in class order.
    pub fn predict_with_threshold<X>(&self, x: &X, threshold: f64) -> Result<Vec<Vec<L>>>
    where
        X: Features + ?Sized,
        M: PredictProba<X, Label = bool> + Sync,
    {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::invalid_param(
                "threshold",
                threshold,
                "must be a probability in [0, 1]",
            ));
        }
        let proba = self.predict_proba_impl(x)?;
        let classes = self.classes();
        Ok(proba
            .rows()
            .into_iter()
            .map(|row| {
                classes
                    .iter()
                    .zip(row.iter())
                    .filter(|(_, &p)| p > threshold)
                    .map(|(c, _)| c.clone())
                    .collect()
            })
            .collect())
    }

    /// `n_rows x n_classes` probabilities, columns in [`classes`](Self::classes)
    /// order: in multilabel mode column `j` is model `j`'s probability of
    /// `true`, not normalized (rows need not sum to 1); in multiclass mode
    /// each row is divided by its sum (unless that is 0). The same as the
    /// [`PredictProba`] implementation, callable without importing the trait.
    ///
    /// Errors: [`Error::ShapeMismatch`] if `x` does not have the number of
    /// features seen at fit; any error of a per-label model.
    pub fn predict_proba<X>(&self, x: &X) -> Result<Array2<f64>>
    where
        X: Features + ?Sized,
        M: PredictProba<X, Label = bool> + Sync,
    {
        self.predict_proba_impl(x)
    }

    /// The most probable class of each row (first on ties): the
    /// multiclass prediction.
    fn argmax_labels<X>(&self, x: &X) -> Result<Vec<L>>
    where
        X: Features + ?Sized,
        M: PredictProba<X, Label = bool> + Sync,
    {
        let proba = self.predict_proba_impl(x)?;
        let classes = self.classes();
        // One label per row, never fewer labels than rows.
        proba
            .rows()
            .into_iter()
            .map(|row| {
                classes
                    .get(argmax(row.iter().copied()))
                    .cloned()
                    .ok_or(Error::TooFewClasses {
                        found: classes.len(),
                    })
            })
            .collect()
    }

    fn predict_proba_impl<X>(&self, x: &X) -> Result<Array2<f64>>
    where
        X: Features + ?Sized,
        M: PredictProba<X, Label = bool> + Sync,
    {
        if x.n_cols() != self.n_features {
            return Err(Error::shape(
                "number of features",
                self.n_features,
                x.n_cols(),
            ));
        }
        let n = x.n_rows();
        let columns: Vec<Result<Array1<f64>>> = self
            .estimators
            .par_iter()
            .map(|m| positive_proba(m, x, n))
            .collect();
        let k = self.binarizer.n_classes();
        let mut proba = Array2::zeros((n, k));
        if self.mode == OneVsRestMode::Multiclass && k == 2 {
            // A single binary model of the second class: [1 - p, p].
            let mut columns = columns.into_iter();
            let (Some(p), None) = (columns.next(), columns.next()) else {
                return Err(Error::shape(
                    "number of per-label models",
                    1,
                    self.estimators.len(),
                ));
            };
            let p = p?;
            proba.column_mut(0).assign(&p.mapv(|v| 1.0 - v));
            proba.column_mut(1).assign(&p);
        } else {
            if columns.len() != k {
                return Err(Error::shape("number of per-label models", k, columns.len()));
            }
            for (j, p) in columns.into_iter().enumerate() {
                proba.column_mut(j).assign(&p?);
            }
        }
        if self.mode == OneVsRestMode::Multiclass {
            for mut row in proba.rows_mut() {
                // Sequential sum, as numpy's reduction over this layout.
                let sum: f64 = row.iter().fold(0.0, |acc, &v| acc + v);
                if sum != 0.0 {
                    row.mapv_inplace(|v| v / sum);
                }
            }
        }
        Ok(proba)
    }
}

/// The probability of `true` for every row, from a fitted or constant model.
fn positive_proba<X, M>(model: &BinaryModel<M>, x: &X, n: usize) -> Result<Array1<f64>>
where
    X: Features + ?Sized,
    M: PredictProba<X, Label = bool>,
{
    match model {
        BinaryModel::Constant(v) => Ok(Array1::from_elem(n, if *v { 1.0 } else { 0.0 })),
        BinaryModel::Fitted(m) => {
            let p = m.predict_proba(x)?;
            let classes = m.classes();
            if p.dim() != (n, classes.len()) {
                let found = if p.nrows() != n { p.nrows() } else { p.ncols() };
                let expected = if p.nrows() != n { n } else { classes.len() };
                return Err(Error::shape(
                    "shape of a binary model's predict_proba",
                    expected,
                    found,
                ));
            }
            let t = true_column(classes).ok_or_else(|| {
                Error::Format(format!("a binary model's classes {classes:?} lack `true`"))
            })?;
            Ok(p.column(t).to_owned())
        }
    }
}

impl<M, L: Label> Classifier for OneVsRestClassifier<M, L> {
    type Label = L;

    fn classes(&self) -> &[L] {
        self.binarizer.classes()
    }
}

impl<X, M, L> PredictProba<X> for OneVsRestClassifier<M, L>
where
    X: Features + ?Sized,
    M: PredictProba<X, Label = bool> + Sync,
    L: Label,
{
    /// See [`OneVsRestClassifier::predict_proba`].
    fn predict_proba(&self, x: &X) -> Result<Array2<f64>> {
        self.predict_proba_impl(x)
    }

    /// Multiclass: the argmax, as every classifier. Multilabel: an
    /// [`Error::Unsupported`], since an argmax of independent per-label
    /// probabilities is not this model's prediction; its label sets come
    /// from [`OneVsRestClassifier::predict`] or, in generic code,
    /// [`PredictLabelSets`].
    fn predict(&self, x: &X) -> Result<Vec<L>> {
        if self.mode == OneVsRestMode::Multilabel {
            return Err(Error::Unsupported(MULTILABEL_ARGMAX.to_string()));
        }
        self.argmax_labels(x)
    }
}

/// Why the one-label `PredictProba::predict` refuses a multilabel model.
const MULTILABEL_ARGMAX: &str =
    "a multilabel one-vs-rest model predicts label sets, not one label per row: call \
     OneVsRestClassifier::predict (or PredictLabelSets::predict_label_sets in generic code)";

impl<X, M, L> PredictLabelSets<X> for OneVsRestClassifier<M, L>
where
    X: Features + ?Sized,
    M: PredictProba<X, Label = bool> + Sync,
    L: Label,
{
    fn predict_label_sets(&self, x: &X) -> Result<Vec<Vec<L>>> {
        OneVsRestClassifier::predict(self, x)
    }
}
