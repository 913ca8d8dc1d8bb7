//! Probabilities of a list of trees for any accepted input: each row walks
//! every tree, the leaves' class fractions are summed in tree order and
//! divided by the number of trees (scikit-learn's forest `predict_proba`;
//! with one tree, the tree's own). Rows are processed in fixed chunks in
//! parallel, so the result does not depend on the number of threads.

use ndarray::{Array2, Axis};
use rayon::prelude::*;

use super::structure::{RowValues, Tree};
use crate::error::{Error, Result};
use crate::sparse::{CsrRow, FeatureView, Features};

/// Rows per parallel work item.
const CHUNK: usize = 64;

/// Checks the input's width and finiteness, then averages the trees' leaf
/// fractions for every row.
pub(crate) fn predict_proba<X: Features + ?Sized>(
    trees: &[Tree],
    n_features: usize,
    n_classes: usize,
    x: &X,
) -> Result<Array2<f64>> {
    if x.n_cols() != n_features {
        return Err(Error::shape("number of features", n_features, x.n_cols()));
    }
    x.check_finite()?;
    let n = x.n_rows();
    let mut out = Array2::<f64>::zeros((n, n_classes));
    if n_classes == 0 || trees.is_empty() {
        return Ok(out);
    }
    let scale = trees.len() as f64;
    let view = x.feature_view();
    let fill = |first: usize, mut block: ndarray::ArrayViewMut2<'_, f64>| {
        for (k, mut out_row) in block.rows_mut().into_iter().enumerate() {
            let i = first + k;
            let Some(acc) = out_row.as_slice_mut() else {
                continue;
            };
            match view {
                FeatureView::Dense(d) => {
                    let row = d.row(i);
                    match row.as_slice() {
                        Some(s) => accumulate(trees, &s, acc),
                        None => accumulate(trees, &row, acc),
                    }
                }
                FeatureView::Sparse(s) => {
                    if let Some(row) = s.row(i) {
                        accumulate_sparse(trees, &row, n_features, acc);
                    }
                }
            }
            if trees.len() > 1 {
                for v in acc.iter_mut() {
                    *v /= scale;
                }
            }
        }
    };
    if n <= CHUNK {
        // One chunk: no thread hand-off for the single-request case.
        fill(0, out.view_mut());
    } else {
        out.axis_chunks_iter_mut(Axis(0), CHUNK)
            .into_par_iter()
            .enumerate()
            .for_each(|(chunk, block)| fill(chunk * CHUNK, block));
    }
    Ok(out)
}

/// Widest rows scattered into a dense buffer (2 MB of f64 per thread);
/// wider sparse rows are searched node by node.
const MAX_SCATTER: usize = 1 << 18;

thread_local! {
    /// Zeros between rows: a row's values are written in, and zeroed again
    /// once its trees are walked.
    static DENSE_ROW: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`accumulate`] for a sparse row (columns below `n_features`). A row is
/// looked up once per node of every tree, so placing its values once in a
/// dense buffer (a few hundred writes) beats a binary search in the row at
/// each of thousands of nodes; rows wider than [`MAX_SCATTER`] are searched.
fn accumulate_sparse(trees: &[Tree], row: &CsrRow<'_>, n_features: usize, acc: &mut [f64]) {
    if n_features > MAX_SCATTER {
        return accumulate(trees, row, acc);
    }
    DENSE_ROW.with(|cell| {
        // Held only for this row's walk, which calls nothing that comes back here.
        let Ok(mut buf) = cell.try_borrow_mut() else {
            return accumulate(trees, row, acc);
        };
        if buf.len() < n_features {
            buf.resize(n_features, 0.0);
        }
        /// Zeroes the row's places again, even if a walk unwinds.
        struct Clear<'b, 'i>(&'b mut [f64], &'i [usize]);
        impl Drop for Clear<'_, '_> {
            fn drop(&mut self) {
                for &j in self.1 {
                    if let Some(x) = self.0.get_mut(j) {
                        *x = 0.0;
                    }
                }
            }
        }
        let dense = Clear(&mut buf, row.indices());
        for (&j, &v) in row.indices().iter().zip(row.data()) {
            if let Some(x) = dense.0.get_mut(j) {
                *x = v;
            }
        }
        accumulate(trees, &dense.0.get(..n_features).unwrap_or(&[]), acc);
    })
}

#[inline]
fn accumulate<R: RowValues>(trees: &[Tree], row: &R, acc: &mut [f64]) {
    for t in trees {
        let leaf = t.leaf(row);
        t.add_leaf(leaf, acc);
    }
}

/// Out-of-bag probabilities: row `i` averages the trees for which
/// `in_bag[t][i]` is false, summed in tree order; rows never out of bag get
/// zeros (scikit-learn's `oob_decision_function_`).
pub(crate) fn oob_proba(
    trees: &[Tree],
    in_bag: &[Vec<bool>],
    n_classes: usize,
    x: FeatureView<'_>,
) -> Array2<f64> {
    let n = match x {
        FeatureView::Dense(d) => d.nrows(),
        FeatureView::Sparse(s) => s.n_rows(),
    };
    let mut out = Array2::<f64>::zeros((n, n_classes));
    out.axis_chunks_iter_mut(Axis(0), CHUNK)
        .into_par_iter()
        .enumerate()
        .for_each(|(chunk, mut block)| {
            for (k, mut out_row) in block.rows_mut().into_iter().enumerate() {
                let i = chunk * CHUNK + k;
                let Some(acc) = out_row.as_slice_mut() else {
                    continue;
                };
                let mut count = 0usize;
                for (t, tree) in trees.iter().enumerate() {
                    if in_bag
                        .get(t)
                        .and_then(|b| b.get(i))
                        .copied()
                        .unwrap_or(true)
                    {
                        continue;
                    }
                    count += 1;
                    let leaf = match x {
                        FeatureView::Dense(d) => tree.leaf(&d.row(i)),
                        FeatureView::Sparse(s) => match s.row(i) {
                            Some(r) => tree.leaf(&r),
                            None => continue,
                        },
                    };
                    tree.add_leaf(leaf, acc);
                }
                if count > 0 {
                    for v in acc.iter_mut() {
                        *v /= count as f64;
                    }
                }
            }
        });
    out
}
