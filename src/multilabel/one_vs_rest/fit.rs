//! Training one-vs-rest: the parameters, `fit` on label sets and
//! `fit_multiclass` on one label per row, and their `Fit` implementations.

use std::fmt::{self, Debug};
use std::marker::PhantomData;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::multilabel::MultiLabelBinarizer;
use crate::sparse::Features;
use crate::traits::{Fit, Label, PredictProba};

use super::{check_binary_classes, BinaryModel, OneVsRestClassifier, OneVsRestMode};

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
