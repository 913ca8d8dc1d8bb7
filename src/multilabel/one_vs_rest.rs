//! [`OneVsRestClassifier`]: one independent binary model per label (the
//! documentation and example are on the type).

use std::fmt::{self, Debug};
use std::marker::PhantomData;

use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::Persist;
use crate::multilabel::{MultiLabelBinarizer, PredictLabelSets};
use crate::sparse::CsrMatrix;
use crate::sparse::Features;
use crate::traits::{argmax, Classifier, Fit, Label, PredictProba};

/// Parameters of a [`OneVsRestClassifier`]: the binary estimator's
/// parameters, cloned (by reference) once per label. Built by
/// [`OneVsRestClassifier::params`].
pub struct OneVsRestParams<P, M, L> {
    base: P,
    classes: Option<Vec<L>>,
    _fitted: PhantomData<fn() -> M>,
}

impl<P: Clone, M, L: Clone> Clone for OneVsRestParams<P, M, L> {
    fn clone(&self) -> Self {
        Self {
            base: self.base.clone(),
            classes: self.classes.clone(),
            _fitted: PhantomData,
        }
    }
}

impl<P: fmt::Debug, M, L: fmt::Debug> fmt::Debug for OneVsRestParams<P, M, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneVsRestParams")
            .field("base", &self.base)
            .field("classes", &self.classes)
            .finish()
    }
}

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

impl<M, L> OneVsRestClassifier<M, L> {
    /// The builder: one-vs-rest over the binary estimator parameters `base`,
    /// e.g. `OneVsRestClassifier::params(LogisticRegression::params())`.
    /// The fitted model type `M` and the label type `L` are inferred at `fit`.
    pub fn params<P>(base: P) -> OneVsRestParams<P, M, L> {
        OneVsRestParams {
            base,
            classes: None,
            _fitted: PhantomData,
        }
    }
}

impl<P, M, L: Label> OneVsRestParams<P, M, L> {
    /// Uses exactly these classes, in this order, instead of the sorted
    /// labels seen in training (as `MultiLabelBinarizer(classes=...)`). A
    /// class that never occurs gets a constant 0.0 predictor; a training
    /// label outside the list is an [`Error::UnknownLabel`].
    pub fn classes(mut self, classes: Vec<L>) -> Self {
        self.classes = Some(classes);
        self
    }

    /// The binary estimator parameters.
    pub fn base(&self) -> &P {
        &self.base
    }

    /// Trains one binary model per label on label sets (one set per row of `x`).
    ///
    /// Errors: [`Error::EmptyInput`] when `x` has no rows or every set is
    /// empty; [`Error::ShapeMismatch`] when the number of sets differs from
    /// the number of rows; [`Error::UnknownLabel`] for a label outside the
    /// classes given with [`classes`](Self::classes); [`Error::SubModel`]
    /// naming the label whose binary model failed (the first one in class
    /// order, whatever the thread count).
    pub fn fit<X>(&self, x: &X, y: &[Vec<L>]) -> Result<OneVsRestClassifier<M, L>>
    where
        X: Features + ?Sized,
        P: Fit<X, bool, Fitted = M> + Sync,
        M: PredictProba<X, Label = bool> + Send,
    {
        check_rows(x, y.len(), "number of label sets")?;
        if y.iter().all(|set| set.is_empty()) {
            return Err(Error::EmptyInput("every label set is empty"));
        }
        let labels = y
            .iter()
            .enumerate()
            .flat_map(|(i, set)| set.iter().map(move |l| (i, l)));
        let binarizer = self.binarizer(labels)?;
        let indicator = binarizer.transform(y)?;
        let targets: Vec<Vec<bool>> = indicator
            .columns()
            .into_iter()
            .map(|col| col.iter().map(|&v| v == 1).collect())
            .collect();
        self.fit_targets(x, binarizer, OneVsRestMode::Multilabel, targets)
    }

    /// Trains on one label per row (multiclass): one binary model per class,
    /// or a single model of the second class when there are 2 classes, as
    /// scikit-learn does. `predict_proba` rows then sum to 1.
    ///
    /// Errors: as [`fit`](Self::fit), plus [`Error::TooFewClasses`] for fewer
    /// than 2 classes.
    pub fn fit_multiclass<X>(&self, x: &X, y: &[L]) -> Result<OneVsRestClassifier<M, L>>
    where
        X: Features + ?Sized,
        P: Fit<X, bool, Fitted = M> + Sync,
        M: PredictProba<X, Label = bool> + Send,
    {
        check_rows(x, y.len(), "number of labels")?;
        let binarizer = self.binarizer(y.iter().enumerate())?;
        let k = binarizer.n_classes();
        if k < 2 {
            return Err(Error::TooFewClasses { found: k });
        }
        let codes: Vec<usize> = y
            .iter()
            .enumerate()
            .map(|(i, l)| binarizer.class_index(l).ok_or_else(|| unknown(l, i)))
            .collect::<Result<_>>()?;
        // With 2 classes scikit-learn fits only the second one.
        let first = usize::from(k == 2);
        let targets = (first..k)
            .map(|j| codes.iter().map(|&c| c == j).collect())
            .collect();
        self.fit_targets(x, binarizer, OneVsRestMode::Multiclass, targets)
    }

    /// The given classes (checking that every training label is one), or the
    /// sorted distinct training labels.
    fn binarizer<'a>(
        &self,
        labels: impl Iterator<Item = (usize, &'a L)>,
    ) -> Result<MultiLabelBinarizer<L>>
    where
        L: 'a,
    {
        match &self.classes {
            Some(classes) => {
                let mlb = MultiLabelBinarizer::from_classes(classes.clone())?;
                for (row, l) in labels {
                    if mlb.class_index(l).is_none() {
                        return Err(unknown(l, row));
                    }
                }
                Ok(mlb)
            }
            None => {
                let set: std::collections::BTreeSet<&L> = labels.map(|(_, l)| l).collect();
                MultiLabelBinarizer::from_classes(set.into_iter().cloned().collect())
            }
        }
    }

    /// Fits one model per target column, in parallel, in a fixed order.
    fn fit_targets<X>(
        &self,
        x: &X,
        binarizer: MultiLabelBinarizer<L>,
        mode: OneVsRestMode,
        targets: Vec<Vec<bool>>,
    ) -> Result<OneVsRestClassifier<M, L>>
    where
        X: Features + ?Sized,
        P: Fit<X, bool, Fitted = M> + Sync,
        M: PredictProba<X, Label = bool> + Send,
    {
        // Column j of `targets` belongs to class `offset + j`.
        let offset = binarizer.n_classes() - targets.len();
        let results: Vec<Result<BinaryModel<M>>> =
            targets.par_iter().map(|t| self.fit_one(x, t)).collect();
        let mut estimators = Vec::with_capacity(results.len());
        for (j, r) in results.into_iter().enumerate() {
            match r {
                Ok(m) => estimators.push(m),
                Err(source) => {
                    let label = binarizer
                        .classes()
                        .get(offset + j)
                        .map(|c| format!("{c:?}"))
                        .unwrap_or_default();
                    return Err(Error::SubModel {
                        label,
                        source: Box::new(source),
                    });
                }
            }
        }
        Ok(OneVsRestClassifier {
            binarizer,
            mode,
            n_features: x.n_cols(),
            estimators,
        })
    }

    fn fit_one<X>(&self, x: &X, target: &[bool]) -> Result<BinaryModel<M>>
    where
        X: Features + ?Sized,
        P: Fit<X, bool, Fitted = M>,
        M: PredictProba<X, Label = bool>,
    {
        let n_true = target.iter().filter(|&&t| t).count();
        if n_true == 0 {
            return Ok(BinaryModel::Constant(false));
        }
        if n_true == target.len() {
            return Ok(BinaryModel::Constant(true));
        }
        let model = self.base.fit(x, target)?;
        check_binary_classes(model.classes())?;
        Ok(BinaryModel::Fitted(model))
    }
}

fn unknown<L: fmt::Debug>(l: &L, row: usize) -> Error {
    Error::UnknownLabel(format!(
        "{l:?} at row {row}: not one of the classes given to `classes`"
    ))
}

fn check_rows<X: Features + ?Sized>(x: &X, n_targets: usize, what: &'static str) -> Result<()> {
    if n_targets != x.n_rows() {
        return Err(Error::shape(what, x.n_rows(), n_targets));
    }
    if x.n_rows() == 0 {
        return Err(Error::EmptyInput("no samples"));
    }
    Ok(())
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
            OneVsRestMode::Multiclass => {
                let proba = self.predict_proba_impl(x)?;
                let classes = self.classes();
                Ok(proba
                    .rows()
                    .into_iter()
                    .map(|row| {
                        let j = argmax(row.iter().copied());
                        classes.get(j).cloned().into_iter().collect()
                    })
                    .collect())
            }
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
        let proba = self.predict_proba_impl(x)?;
        let classes = self.classes();
        Ok(proba
            .rows()
            .into_iter()
            .filter_map(|row| classes.get(argmax(row.iter().copied())).cloned())
            .collect())
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

impl<X, P, M, L> Fit<X, Vec<L>> for OneVsRestParams<P, M, L>
where
    X: Features + ?Sized,
    P: Fit<X, bool, Fitted = M> + Sync,
    M: PredictProba<X, Label = bool> + Send,
    L: Label,
{
    type Fitted = OneVsRestClassifier<M, L>;

    /// Multilabel training, as [`OneVsRestParams::fit`].
    fn fit(&self, x: &X, y: &[Vec<L>]) -> Result<Self::Fitted> {
        OneVsRestParams::fit(self, x, y)
    }
}

/// One-vs-rest parameters that train on one label per row (multiclass),
/// for code generic over [`Fit`], e.g. inside a
/// [`Pipeline`](crate::pipeline::Pipeline). Built by
/// [`OneVsRestParams::multiclass`].
///
/// `OneVsRestParams` itself implements `Fit` on label sets only, so that
/// `fit(&x, &label_sets)` has one meaning and needs no type annotation.
#[derive(Debug, Clone)]
pub struct MulticlassParams<P>(P);

impl<P, M, L> OneVsRestParams<P, M, L> {
    /// The same parameters, trained on one label per row wherever a
    /// [`Fit<X, L>`](Fit) is expected (as
    /// [`fit_multiclass`](Self::fit_multiclass)).
    pub fn multiclass(self) -> MulticlassParams<Self> {
        MulticlassParams(self)
    }
}

impl<X, P, M, L> Fit<X, L> for MulticlassParams<OneVsRestParams<P, M, L>>
where
    X: Features + ?Sized,
    P: Fit<X, bool, Fitted = M> + Sync,
    M: PredictProba<X, Label = bool> + Send,
    L: Label,
{
    type Fitted = OneVsRestClassifier<M, L>;

    /// Multiclass training, as [`OneVsRestParams::fit_multiclass`].
    fn fit(&self, x: &X, y: &[L]) -> Result<Self::Fitted> {
        self.0.fit_multiclass(x, y)
    }
}

impl<M, L> OneVsRestClassifier<M, L>
where
    M: Persist + PredictProba<CsrMatrix, Label = bool>,
    L: Label,
{
    /// A fitted model from its parts, checked as `io::load` checks one;
    /// used by `crate::sklearn`.
    pub(crate) fn from_parts(
        classes: Vec<L>,
        mode: OneVsRestMode,
        n_features: usize,
        estimators: Vec<BinaryModel<M>>,
    ) -> Result<Self> {
        let m = OneVsRestClassifier {
            binarizer: MultiLabelBinarizer::from_classes(classes)?,
            mode,
            n_features,
            estimators,
        };
        m.validate()?;
        Ok(m)
    }
}

impl<M, L> Persist for OneVsRestClassifier<M, L>
where
    M: Persist + PredictProba<CsrMatrix, Label = bool>,
    L: Label,
{
    const KIND: &'static str = "OneVsRestClassifier";

    fn type_name() -> String {
        format!(
            "OneVsRestClassifier<{}, {}>",
            M::type_name(),
            crate::io::short_type_name::<L>()
        )
    }

    /// One model per class (one in total for 2 multiclass classes), every
    /// fitted sub-model valid and predicting `true` among its classes.
    fn validate(&self) -> Result<()> {
        self.binarizer.validate()?;
        let k = self.binarizer.n_classes();
        let expected = match self.mode {
            OneVsRestMode::Multilabel => k,
            OneVsRestMode::Multiclass if k < 2 => {
                return Err(Error::Format(format!(
                    "a multiclass one-vs-rest model needs at least 2 classes, found {k}"
                )))
            }
            OneVsRestMode::Multiclass if k == 2 => 1,
            OneVsRestMode::Multiclass => k,
        };
        if self.estimators.len() != expected {
            return Err(Error::shape(
                "number of per-label models",
                expected,
                self.estimators.len(),
            ));
        }
        // Every sub-model takes the model's width (probed on one empty row).
        let probe = CsrMatrix::zeros(1, self.n_features);
        for (label, m) in self.estimator_classes().iter().zip(&self.estimators) {
            if let BinaryModel::Fitted(m) = m {
                m.validate()
                    .and_then(|()| check_binary_classes(m.classes()))
                    .and_then(|()| m.predict(&probe).map(drop))
                    .map_err(|e| Error::Format(format!("model of label {label:?}: {e}")))?;
            }
        }
        Ok(())
    }
}
