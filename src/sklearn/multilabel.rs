//! `MultiLabelBinarizer` and `OneVsRestClassifier` (over logistic
//! regression or random forests, with `_ConstantPredictor` for labels seen
//! always or never).

use super::globals::Global;
use super::labels::{self, SklearnLabel};
use super::linear::classes_array;
use super::numpy;
use super::pickle::Value;
use super::text::wrong;
use super::value::{Estimator, View};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::multilabel::{BinaryModel, MultiLabelBinarizer, OneVsRestClassifier, OneVsRestMode};

/// A scikit-learn `MultiLabelBinarizer`.
pub(crate) fn binarizer<L: SklearnLabel>(
    view: &View<'_, '_>,
    v: Value,
) -> Result<MultiLabelBinarizer<L>> {
    let e = view.estimator(v)?;
    if e.class != Global::MultiLabelBinarizer {
        return Err(wrong(e.class, "MultiLabelBinarizer"));
    }
    let classes = labels::read::<L>(view, &classes_array(view, &e)?)?;
    MultiLabelBinarizer::from_classes(classes)
}

/// A binary sub-model of a one-vs-rest classifier, read from a sub-estimator.
pub(crate) trait SubModel: Sized {
    fn from_estimator(view: &View<'_, '_>, e: &Estimator<'_>) -> Result<Self>;
}

/// A scikit-learn `OneVsRestClassifier` whose sub-models are `M`.
pub(crate) fn one_vs_rest<M, L>(view: &View<'_, '_>, v: Value) -> Result<OneVsRestClassifier<M, L>>
where
    M: SubModel + Persist + crate::traits::PredictProba<crate::sparse::CsrMatrix, Label = bool>,
    L: SklearnLabel,
{
    let e = view.estimator(v)?;
    if e.class != Global::OneVsRestClassifier {
        return Err(wrong(e.class, "OneVsRestClassifier"));
    }
    let lb = view.estimator(e.attr(view, "label_binarizer_")?)?;
    if lb.class != Global::LabelBinarizer {
        return Err(e.bad("label_binarizer_", "a LabelBinarizer"));
    }
    let mode = match lb.opt(view, "y_type_").and_then(|t| view.str(t)) {
        Some("multilabel-indicator") => OneVsRestMode::Multilabel,
        Some("multiclass" | "binary") => OneVsRestMode::Multiclass,
        other => return Err(lb.refuse("y_type_", format!("{other:?}"), "unknown target type")),
    };
    let classes = labels::read::<L>(view, &classes_array(view, &e)?)?;
    let n_features = view
        .int(e.attr(view, "n_features_in_")?)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| e.bad("n_features_in_", "a non-negative integer"))?;
    let list = view
        .seq(e.attr(view, "estimators_")?)
        .ok_or_else(|| e.bad("estimators_", "a list"))?;
    let mut estimators = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        let se = view.estimator(*s)?;
        estimators.push(if se.class == Global::ConstantPredictor {
            let y = numpy::array(view, se.attr(view, "y_")?)?.i64s(view)?;
            BinaryModel::Constant(y.first().is_some_and(|&y| y != 0))
        } else {
            BinaryModel::Fitted(
                M::from_estimator(view, &se)
                    .map_err(|err| Error::Format(format!("estimators_[{i}]: {err}")))?,
            )
        });
    }
    OneVsRestClassifier::from_parts(classes, mode, n_features, estimators)
}
