//! What every fitted linear model computes the same way: the scores
//! `X Wᵀ + b` and the class they predict.

use ndarray::{Array1, Array2, Axis};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::sparse::{FeatureView, Features};
use crate::traits::argmax;

/// Scores `X Wᵀ + b` (`n x rows of W`), after checking the width and that
/// every value is finite. Sparse rows sum their stored entries in order,
/// as scipy's CSR product does, so the scores match scikit-learn's bit for
/// bit; dense input goes through ndarray's matrix product.
pub(crate) fn decision_function<X: Features + ?Sized>(
    coef: &Array2<f64>,
    intercept: &Array1<f64>,
    x: &X,
) -> Result<Array2<f64>> {
    if x.n_cols() != coef.ncols() {
        return Err(Error::shape("number of features", coef.ncols(), x.n_cols()));
    }
    x.check_finite()?;
    let rows = coef.nrows();
    let mut z = Array2::zeros((x.n_rows(), rows));
    match x.feature_view() {
        FeatureView::Dense(d) => {
            z.assign(&d.dot(&coef.t()));
        }
        FeatureView::Sparse(s) => {
            const CHUNK: usize = 256;
            let score_rows = |c: usize, block: &mut [f64]| {
                for (off, zr) in block.chunks_exact_mut(rows).enumerate() {
                    let row = s.row_unchecked(c * CHUNK + off);
                    for (k, zv) in zr.iter_mut().enumerate() {
                        let w = coef.row(k);
                        *zv = row.iter().map(|(j, v)| v * w[j]).sum();
                    }
                }
            };
            if let Some(zs) = z.as_slice_mut() {
                if s.n_rows() <= CHUNK {
                    // A few rows (e.g. one request): no thread hand-off.
                    score_rows(0, zs);
                } else {
                    zs.par_chunks_mut(CHUNK * rows)
                        .enumerate()
                        .for_each(|(c, block)| score_rows(c, block));
                }
            }
        }
    }
    z += &intercept.view().insert_axis(Axis(0));
    Ok(z)
}

/// The class of each row of scores: with one column (two classes)
/// `classes[1]` iff the score is > 0, else the class of the largest score
/// (first on ties), as scikit-learn's linear classifiers predict.
pub(crate) fn predict_from_scores<L: Clone>(z: &Array2<f64>, classes: &[L]) -> Vec<L> {
    let binary = z.ncols() == 1;
    z.rows()
        .into_iter()
        .map(|r| {
            let i = if binary {
                usize::from(r[0] > 0.0)
            } else {
                argmax(r.iter().copied())
            };
            classes[i].clone()
        })
        .collect()
}

/// The shape every saved linear classifier must have: at least two sorted,
/// distinct classes, one coefficient row and intercept for two classes
/// (else one per class), all finite.
pub(crate) fn check_model<L: Ord>(
    classes: &[L],
    coef: &Array2<f64>,
    intercept: &Array1<f64>,
) -> Result<()> {
    let k = classes.len();
    if k < 2 {
        return Err(Error::TooFewClasses { found: k });
    }
    if classes.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::Format("classes must be sorted and distinct".into()));
    }
    let rows = if k == 2 { 1 } else { k };
    if coef.nrows() != rows {
        return Err(Error::shape("coefficient rows", rows, coef.nrows()));
    }
    if intercept.len() != rows {
        return Err(Error::shape("intercepts", rows, intercept.len()));
    }
    if !coef.iter().chain(intercept).all(|v| v.is_finite()) {
        return Err(Error::Format("non-finite coefficient".into()));
    }
    Ok(())
}

/// The trait impls both linear models forward to their inherent methods
/// (`fit`, `decision_function`, `predict_proba`, `predict`, and the
/// `classes` field): written once so the two cannot drift apart.
macro_rules! forward_linear_traits {
    ($model:ident, $params:ident) => {
        impl<L: $crate::traits::Label, X: $crate::sparse::Features + ?Sized>
            $crate::traits::Fit<X, L> for $params<L>
        {
            type Fitted = $model<L>;

            fn fit(&self, x: &X, y: &[L]) -> $crate::error::Result<$model<L>> {
                $params::fit(self, x, y)
            }
        }

        impl<L: $crate::traits::Label, X: $crate::sparse::Features + ?Sized>
            $crate::traits::DecisionFunction<X> for $model<L>
        {
            fn decision_function(&self, x: &X) -> $crate::error::Result<ndarray::Array2<f64>> {
                $model::decision_function(self, x)
            }
        }

        impl<L: $crate::traits::Label> $crate::traits::Classifier for $model<L> {
            type Label = L;

            fn classes(&self) -> &[L] {
                &self.classes
            }
        }

        impl<L: $crate::traits::Label, X: $crate::sparse::Features + ?Sized>
            $crate::traits::PredictProba<X> for $model<L>
        {
            fn predict_proba(&self, x: &X) -> $crate::error::Result<ndarray::Array2<f64>> {
                $model::predict_proba(self, x)
            }

            fn predict(&self, x: &X) -> $crate::error::Result<Vec<L>> {
                $model::predict(self, x)
            }
        }
    };
}
pub(crate) use forward_linear_traits;
