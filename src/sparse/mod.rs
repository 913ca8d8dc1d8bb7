//! Compressed sparse row matrices and the [`Features`] input abstraction.
//!
//! Text features are sparse: a TF-IDF row has a few hundred non-zeros out of
//! tens of thousands of columns. [`CsrMatrix`] stores only those, row by row,
//! with column indices sorted and unique within each row. Every model accepts
//! a `CsrMatrix`, an `Array2<f64>` or an `ArrayView2<f64>` through [`Features`].
//!
//! ```
//! use proba::CsrMatrix;
//! // [[1, 0, 2],
//! //  [0, 0, 3]]
//! let m = CsrMatrix::new(2, 3, vec![0, 2, 3], vec![0, 2, 2], vec![1.0, 2.0, 3.0])?;
//! assert_eq!(m.nnz(), 3);
//! assert_eq!(m.row(1).unwrap().indices(), &[2]);
//! assert_eq!(m.to_dense()[[0, 2]], 2.0);
//! // Unsorted columns are rejected, not silently fixed.
//! assert!(CsrMatrix::new(1, 3, vec![0, 2], vec![2, 0], vec![1.0, 1.0]).is_err());
//! # Ok::<(), proba::Error>(())
//! ```

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod features;

pub use features::{FeatureView, Features};

/// A sparse `f64` matrix in compressed sparse row (CSR) form.
///
/// Invariants, checked by [`CsrMatrix::new`] and on deserialization:
/// `indptr` has `n_rows + 1` non-decreasing entries starting at 0 and ending
/// at `nnz`; `indices` and `data` both have `nnz` entries; within a row the
/// column indices are strictly increasing and below `n_cols`.
///
/// ```
/// use proba::prelude::*;
/// use proba::ndarray::array;
///
/// let dense = array![[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [0.0, 3.0, 0.0]];
/// let x = CsrMatrix::from_dense(dense.view());
/// assert_eq!((x.shape(), x.nnz()), ((3, 3), 3)); // only the non-zeros are stored
/// assert_eq!(x.indptr(), [0, 2, 2, 3]);
/// assert_eq!(x.row(0).unwrap().iter().collect::<Vec<_>>(), [(0, 1.0), (2, 2.0)]);
/// // Rows are picked (and may repeat) by index, e.g. for a train/test split.
/// let picked = x.select_rows(&[2, 0])?;
/// assert_eq!(picked.to_dense(), array![[0.0, 3.0, 0.0], [1.0, 0.0, 2.0]]);
/// assert!(x.select_rows(&[5]).is_err());
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CsrParts")]
pub struct CsrMatrix {
    n_rows: usize,
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f64>,
}

/// The unchecked serialized form; converted with validation.
#[derive(Deserialize)]
struct CsrParts {
    n_rows: usize,
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f64>,
}

impl TryFrom<CsrParts> for CsrMatrix {
    type Error = Error;
    fn try_from(p: CsrParts) -> Result<Self> {
        CsrMatrix::new(p.n_rows, p.n_cols, p.indptr, p.indices, p.data)
    }
}

/// One row of a [`CsrMatrix`]: its non-zero columns and their values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsrRow<'a> {
    indices: &'a [usize],
    data: &'a [f64],
}

impl<'a> CsrRow<'a> {
    /// Column indices of the stored values, strictly increasing.
    pub fn indices(&self) -> &'a [usize] {
        self.indices
    }

    /// The stored values, aligned with [`indices`](Self::indices).
    pub fn data(&self) -> &'a [f64] {
        self.data
    }

    /// Number of stored values in the row.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// `(column, value)` pairs in column order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, f64)> + 'a {
        self.indices.iter().copied().zip(self.data.iter().copied())
    }
}

impl CsrMatrix {
    /// Builds a matrix from its CSR parts, checking every invariant.
    ///
    /// Returns [`Error::InvalidSparse`] naming the first broken invariant
    /// (length mismatch, unsorted or duplicate column in row `i`, column out
    /// of range).
    pub fn new(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<usize>,
        data: Vec<f64>,
    ) -> Result<Self> {
        let bad = |msg: String| Err(Error::InvalidSparse(msg));
        if indptr.len() != n_rows.saturating_add(1) {
            return bad(format!(
                "indptr has {} entries, expected n_rows + 1 = {}",
                indptr.len(),
                n_rows as u128 + 1
            ));
        }
        if indices.len() != data.len() {
            return bad(format!(
                "indices has {} entries but data has {}",
                indices.len(),
                data.len()
            ));
        }
        if indptr.first() != Some(&0) {
            return bad("indptr must start at 0".into());
        }
        if indptr.last() != Some(&indices.len()) {
            return bad(format!(
                "indptr ends at {:?}, expected nnz = {}",
                indptr.last(),
                indices.len()
            ));
        }
        for (i, w) in indptr.windows(2).enumerate() {
            if w[0] > w[1] {
                return bad(format!("indptr decreases at row {i}"));
            }
            // indptr is checked to be monotone only up to this row, so a
            // later entry can still exceed nnz (e.g. [0, 6, 3] with nnz 3).
            let Some(cols) = indices.get(w[0]..w[1]) else {
                return bad(format!(
                    "indptr[{}] = {} exceeds nnz = {}",
                    i + 1,
                    w[1],
                    indices.len()
                ));
            };
            for (k, &c) in cols.iter().enumerate() {
                if c >= n_cols {
                    return bad(format!(
                        "row {i}: column {c} out of range for {n_cols} columns"
                    ));
                }
                if k > 0 && cols[k - 1] >= c {
                    return bad(format!(
                        "row {i}: column indices must be strictly increasing ({} then {c})",
                        cols[k - 1]
                    ));
                }
            }
        }
        Ok(Self {
            n_rows,
            n_cols,
            indptr,
            indices,
            data,
        })
    }

    /// Same as [`CsrMatrix::new`]: builds a matrix from its CSR parts.
    pub fn from_parts(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<usize>,
        data: Vec<f64>,
    ) -> Result<Self> {
        Self::new(n_rows, n_cols, indptr, indices, data)
    }

    /// Builds from parts the crate itself produced and knows to be valid.
    pub(crate) fn from_parts_unchecked(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<usize>,
        data: Vec<f64>,
    ) -> Self {
        debug_assert!(Self::new(
            n_rows,
            n_cols,
            indptr.clone(),
            indices.clone(),
            data.clone()
        )
        .is_ok());
        Self {
            n_rows,
            n_cols,
            indptr,
            indices,
            data,
        }
    }

    /// An `n_rows x n_cols` matrix with no stored values.
    ///
    /// # Panics
    /// Like `Vec::with_capacity`, if `n_rows + 1` row pointers cannot be
    /// allocated (`n_rows` near `usize::MAX`).
    pub fn zeros(n_rows: usize, n_cols: usize) -> Self {
        let indptr = vec![0; n_rows.checked_add(1).expect("n_rows + 1 overflows usize")];
        Self::from_parts_unchecked(n_rows, n_cols, indptr, vec![], vec![])
    }

    /// The non-zero entries of a dense matrix (exact zeros are not stored;
    /// NaN is stored).
    pub fn from_dense(dense: ArrayView2<'_, f64>) -> Self {
        let mut indptr = Vec::with_capacity(dense.nrows() + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0);
        for row in dense.rows() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    indices.push(j);
                    data.push(v);
                }
            }
            indptr.push(indices.len());
        }
        Self::from_parts_unchecked(dense.nrows(), dense.ncols(), indptr, indices, data)
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// `(n_rows, n_cols)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.n_rows, self.n_cols)
    }

    /// Number of stored values.
    pub fn nnz(&self) -> usize {
        self.data.len()
    }

    /// Row pointers: row `i` occupies `indptr[i]..indptr[i + 1]` of
    /// `indices` and `data`.
    pub fn indptr(&self) -> &[usize] {
        &self.indptr
    }

    /// Column index of every stored value, row after row.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }

    /// Every stored value, row after row.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Row `i`, or `None` if `i >= n_rows`.
    pub fn row(&self, i: usize) -> Option<CsrRow<'_>> {
        let start = *self.indptr.get(i)?;
        let end = *self.indptr.get(i + 1)?;
        Some(CsrRow {
            indices: &self.indices[start..end],
            data: &self.data[start..end],
        })
    }

    /// Row `i`; `i` must be below `n_rows` (crate-internal fast path).
    #[inline]
    pub(crate) fn row_unchecked(&self, i: usize) -> CsrRow<'_> {
        let (start, end) = (self.indptr[i], self.indptr[i + 1]);
        CsrRow {
            indices: &self.indices[start..end],
            data: &self.data[start..end],
        }
    }

    /// Iterates over the rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = CsrRow<'_>> + '_ {
        (0..self.n_rows).map(move |i| self.row_unchecked(i))
    }

    /// The dense `n_rows x n_cols` matrix. Meant for small matrices and tests:
    /// the point of CSR is never to build this for a whole corpus.
    ///
    /// # Panics
    /// Like `Array2::zeros`, if `n_rows * n_cols` values cannot be allocated.
    pub fn to_dense(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.n_rows, self.n_cols));
        for (i, row) in self.rows().enumerate() {
            for (j, v) in row.iter() {
                out[[i, j]] = v;
            }
        }
        out
    }

    /// The rows listed in `rows`, in that order (repeats allowed).
    ///
    /// Returns [`Error::InvalidParameter`] if an index is out of range.
    pub fn select_rows(&self, rows: &[usize]) -> Result<Self> {
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        indptr.push(0);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        for &i in rows {
            let row = self.row(i).ok_or_else(|| {
                Error::invalid_param(
                    "rows",
                    i,
                    format!("row index out of range for {} rows", self.n_rows),
                )
            })?;
            indices.extend_from_slice(row.indices());
            data.extend_from_slice(row.data());
            indptr.push(indices.len());
        }
        Ok(Self::from_parts_unchecked(
            rows.len(),
            self.n_cols,
            indptr,
            indices,
            data,
        ))
    }

    /// Consumes the matrix and returns `(n_rows, n_cols, indptr, indices, data)`.
    pub fn into_parts(self) -> (usize, usize, Vec<usize>, Vec<usize>, Vec<f64>) {
        (
            self.n_rows,
            self.n_cols,
            self.indptr,
            self.indices,
            self.data,
        )
    }
}

#[cfg(test)]
mod tests;
