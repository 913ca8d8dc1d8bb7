//! Saving and loading a one-vs-rest model: the checked constructor and
//! `Persist` (every sub-model valid and of the model's width).

use crate::error::{Error, Result};
use crate::io::Persist;
use crate::multilabel::MultiLabelBinarizer;
use crate::sparse::CsrMatrix;
use crate::traits::{Label, PredictProba};

use super::{check_binary_classes, BinaryModel, OneVsRestClassifier, OneVsRestMode};

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
