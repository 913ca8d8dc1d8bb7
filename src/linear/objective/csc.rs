//! The column copy of a CSR matrix that the gradient pass walks.

use crate::sparse::CsrMatrix;

/// A column-oriented copy of a CSR matrix, used for the gradient `Xᵀ R`, so
/// that each feature's gradient is accumulated by one task in row order.
pub(super) struct Csc {
    pub(super) indptr: Vec<usize>,
    pub(super) rows: Vec<u32>,
    pub(super) data: Vec<f64>,
}

impl Csc {
    pub(super) fn from_csr(x: &CsrMatrix) -> Csc {
        let p = x.n_cols();
        let mut counts = vec![0usize; p + 1];
        for &j in x.indices() {
            counts[j + 1] += 1;
        }
        for j in 0..p {
            counts[j + 1] += counts[j];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut rows = vec![0u32; x.nnz()];
        let mut data = vec![0.0; x.nnz()];
        for (i, row) in x.rows().enumerate() {
            for (j, v) in row.iter() {
                let pos = next[j];
                rows[pos] = i as u32;
                data[pos] = v;
                next[j] += 1;
            }
        }
        Csc { indptr, rows, data }
    }
}
