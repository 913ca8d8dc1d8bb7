//! The training matrix, converted once per fit into the column-wise float32
//! form the split search reads (scikit-learn casts X to float32 too, §4.2).
//!
//! * Dense input becomes, per feature, the sorted distinct float32 values and
//!   the rank of every row's value among them; sorting a node on a feature is
//!   then a counting sort or a sort of small integers.
//! * Sparse input becomes a CSC copy (column pointers, row indices, float32
//!   values, zeros dropped); the CSR matrix itself is kept borrowed to list a
//!   row's non-zero features. Nothing is ever densified.

use crate::error::{Error, Result};
use crate::sparse::{CsrMatrix, FeatureView};

/// Casts to float32 as scikit-learn does, folding `-0.0` into `0.0`; values
/// beyond the float32 range are an error naming the row and column.
#[inline]
pub(crate) fn to_f32(v: f64, row: usize, col: usize) -> Result<f32> {
    let x = v as f32;
    if !x.is_finite() {
        return Err(Error::invalid_param(
            "x",
            v,
            format!("value at row {row}, column {col} does not fit in float32 (trees split on float32 values)"),
        ));
    }
    Ok(if x == 0.0 { 0.0 } else { x })
}

/// Dense features: per feature, the distinct values and each row's rank.
pub(crate) struct DenseColumns {
    /// `rank[f * n_rows + i]`: index of row `i`'s value in `feature f`'s distinct values.
    pub(crate) rank: Vec<u32>,
    /// All features' distinct values, ascending, concatenated.
    pub(crate) values: Vec<f32>,
    /// Feature `f`'s distinct values are `values[offsets[f]..offsets[f + 1]]`.
    pub(crate) offsets: Vec<usize>,
}

/// Sparse features: a CSC copy plus the borrowed CSR rows.
pub(crate) struct SparseColumns<'a> {
    pub(crate) csr: &'a CsrMatrix,
    /// All columns' non-zeros, column after column, rows ascending within a
    /// column, each as `(sort key of the float32 value << 32) | row` (the
    /// form the split search sorts), so one load gives row and value.
    pub(crate) entry: Vec<u64>,
    /// Per feature `[start, len, first row, second row]` (rows `u32::MAX`
    /// when absent): one cache line locates the column and answers "is any
    /// of its rows in the node" for the many columns with at most 2 entries.
    pub(crate) head: Vec<[u32; 4]>,
}

/// Order-preserving map of a float32 to u32 (negatives < 0.0 < positives).
#[inline]
pub(crate) fn key_of(v: f32) -> u32 {
    let b = v.to_bits();
    if b & 0x8000_0000 != 0 {
        !b
    } else {
        b | 0x8000_0000
    }
}

/// Inverse of [`key_of`].
#[inline]
pub(crate) fn value_of(key: u32) -> f32 {
    if key & 0x8000_0000 != 0 {
        f32::from_bits(key & 0x7FFF_FFFF)
    } else {
        f32::from_bits(!key)
    }
}

/// The training features in split-search form.
pub(crate) enum Columns<'a> {
    Dense(DenseColumns),
    Sparse(SparseColumns<'a>),
}

/// Training features plus their shape.
pub(crate) struct TrainSet<'a> {
    pub(crate) n_rows: usize,
    pub(crate) n_features: usize,
    pub(crate) columns: Columns<'a>,
}

impl<'a> TrainSet<'a> {
    /// Converts the (already finite-checked) features.
    pub(crate) fn new(x: FeatureView<'a>) -> Result<Self> {
        match x {
            FeatureView::Dense(d) => {
                let (n, p) = d.dim();
                if n > u32::MAX as usize {
                    return Err(Error::invalid_param(
                        "x",
                        n,
                        "too many rows (at most 2^32 - 1)",
                    ));
                }
                let mut rank = vec![0u32; n * p];
                let mut values = Vec::new();
                let mut offsets = Vec::with_capacity(p + 1);
                offsets.push(0);
                let mut pairs: Vec<(f32, u32)> = Vec::with_capacity(n);
                for (f, col) in d.columns().into_iter().enumerate() {
                    pairs.clear();
                    for (i, &v) in col.iter().enumerate() {
                        pairs.push((to_f32(v, i, f)?, i as u32));
                    }
                    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                    let ranks = &mut rank[f * n..(f + 1) * n];
                    let start = values.len();
                    for &(v, i) in &pairs {
                        if values.len() == start || values.last() != Some(&v) {
                            values.push(v);
                        }
                        ranks[i as usize] = (values.len() - start - 1) as u32;
                    }
                    offsets.push(values.len());
                }
                Ok(Self {
                    n_rows: n,
                    n_features: p,
                    columns: Columns::Dense(DenseColumns {
                        rank,
                        values,
                        offsets,
                    }),
                })
            }
            FeatureView::Sparse(s) => {
                let (n, p) = s.shape();
                if n > u32::MAX as usize {
                    return Err(Error::invalid_param(
                        "x",
                        n,
                        "too many rows (at most 2^32 - 1)",
                    ));
                }
                let mut count = vec![0usize; p + 1];
                for (&c, &v) in s.indices().iter().zip(s.data()) {
                    if v as f32 != 0.0 {
                        count[c + 1] += 1;
                    }
                }
                for f in 0..p {
                    count[f + 1] += count[f];
                }
                let nnz = count[p];
                if nnz > u32::MAX as usize {
                    return Err(Error::invalid_param(
                        "x",
                        nnz,
                        "too many non-zeros for a tree fit (at most 2^32 - 1)",
                    ));
                }
                let mut next = count.clone();
                let mut entry = vec![0u64; nnz];
                for (i, r) in s.rows().enumerate() {
                    for (c, v) in r.iter() {
                        let x = to_f32(v, i, c)?;
                        if x != 0.0 {
                            entry[next[c]] = ((key_of(x) as u64) << 32) | i as u64;
                            next[c] += 1;
                        }
                    }
                }
                let head = count
                    .windows(2)
                    .map(|w| {
                        let len = w[1] - w[0];
                        let row = |k: usize| {
                            if k < len {
                                entry[w[0] + k] as u32
                            } else {
                                u32::MAX
                            }
                        };
                        [w[0] as u32, len as u32, row(0), row(1)]
                    })
                    .collect();
                Ok(Self {
                    n_rows: n,
                    n_features: p,
                    columns: Columns::Sparse(SparseColumns {
                        csr: s,
                        entry,
                        head,
                    }),
                })
            }
        }
    }
}
