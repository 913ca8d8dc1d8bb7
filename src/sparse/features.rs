//! [`Features`]: what every model's `fit` and `predict_proba` accept (a CSR
//! matrix, an owned or borrowed dense array), and the [`FeatureView`] they
//! match on to pick their dense or sparse path.

use ndarray::{Array2, ArrayView2};

use super::CsrMatrix;
use crate::error::{Error, Result};

/// A borrowed view of a feature matrix, dense or sparse; what algorithms
/// match on to pick their fast path.
#[derive(Debug, Clone, Copy)]
pub enum FeatureView<'a> {
    /// A dense matrix (possibly strided or transposed).
    Dense(ArrayView2<'a, f64>),
    /// A CSR matrix.
    Sparse(&'a CsrMatrix),
}

/// Anything a model accepts as features: `CsrMatrix`, `Array2<f64>`,
/// `ArrayView2<f64>` (one row per sample).
pub trait Features: Sync {
    /// A borrowed view of the matrix. (Not named `view`: with ndarray 0.17
    /// that name would shadow `Array2::view` wherever this trait is in scope.)
    fn feature_view(&self) -> FeatureView<'_>;

    /// Number of rows (samples).
    fn n_rows(&self) -> usize {
        match self.feature_view() {
            FeatureView::Dense(d) => d.nrows(),
            FeatureView::Sparse(s) => s.n_rows(),
        }
    }

    /// Number of columns (features).
    fn n_cols(&self) -> usize {
        match self.feature_view() {
            FeatureView::Dense(d) => d.ncols(),
            FeatureView::Sparse(s) => s.n_cols(),
        }
    }

    /// Returns [`Error::NonFinite`] for the first NaN or infinite value, in
    /// row order.
    fn check_finite(&self) -> Result<()> {
        match self.feature_view() {
            FeatureView::Dense(d) => {
                for (row, r) in d.rows().into_iter().enumerate() {
                    if let Some((col, &value)) = r.iter().enumerate().find(|(_, v)| !v.is_finite())
                    {
                        return Err(Error::NonFinite { row, col, value });
                    }
                }
            }
            FeatureView::Sparse(s) => {
                for (row, r) in s.rows().enumerate() {
                    if let Some((col, value)) = r.iter().find(|(_, v)| !v.is_finite()) {
                        return Err(Error::NonFinite { row, col, value });
                    }
                }
            }
        }
        Ok(())
    }
}

impl Features for CsrMatrix {
    fn feature_view(&self) -> FeatureView<'_> {
        FeatureView::Sparse(self)
    }
}

impl Features for Array2<f64> {
    fn feature_view(&self) -> FeatureView<'_> {
        FeatureView::Dense(self.view())
    }
}

impl Features for ArrayView2<'_, f64> {
    fn feature_view(&self) -> FeatureView<'_> {
        FeatureView::Dense(self.reborrow())
    }
}

impl<F: Features + ?Sized> Features for &F {
    fn feature_view(&self) -> FeatureView<'_> {
        (**self).feature_view()
    }
}
