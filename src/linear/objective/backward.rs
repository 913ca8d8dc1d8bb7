//! The gradient pass `Xᵀ R` over feature blocks, one task per block.

use super::kernels::{axpy, prefetch, width, with_const_width, PREFETCH_AHEAD};
use super::{nan_max, Design};
use crate::linear::simd::avx2_variant;

/// Read-only inputs of the gradient pass.
pub(super) struct BackwardCtx<'c, 'a> {
    pub(super) design: &'c Design<'a>,
    pub(super) resid: &'c [f64],
    pub(super) w: &'c [f64],
    pub(super) dir: &'c [f64],
    pub(super) l2: f64,
    pub(super) n: usize,
    pub(super) k: usize,
}

/// The gradient rows of features `j0..` (one block) into `g`; returns the
/// block's `(Σ w², Σ g·dir, max |g|)`.
#[inline(always)]
pub(super) fn backward_block(c: &BackwardCtx<'_, '_>, j0: usize, g: &mut [f64]) -> [f64; 3] {
    with_const_width!(c.k, K => backward_rows::<K>(c, j0, g))
}

/// [`backward_block`] with the width fixed at compile time when `K > 0`
/// (see [`forward_rows`](super::forward::forward_rows)).
#[inline(always)]
pub(super) fn backward_rows<const K: usize>(
    c: &BackwardCtx<'_, '_>,
    j0: usize,
    g: &mut [f64],
) -> [f64; 3] {
    let (k, resid, l2) = (width::<K>(c.k), c.resid, c.l2);
    let width = g.len() / k;
    match c.design {
        Design::Sparse { csc, .. } => {
            for (off, gj) in g.chunks_exact_mut(k).enumerate() {
                let j = j0 + off;
                gj.fill(0.0);
                for pos in csc.indptr[j]..csc.indptr[j + 1] {
                    if let Some(&inext) = csc.rows.get(pos + PREFETCH_AHEAD) {
                        let inext = inext as usize;
                        prefetch(resid.get(inext * k..inext * k + k));
                    }
                    let i = csc.rows[pos] as usize;
                    axpy(csc.data[pos], &resid[i * k..i * k + k], gj);
                }
            }
        }
        Design::Dense { x } => {
            g.fill(0.0);
            for i in 0..c.n {
                let r = &resid[i * k..i * k + k];
                let xi = x.row(i);
                for (off, gj) in g.chunks_exact_mut(k).enumerate() {
                    let v = xi[j0 + off];
                    if v != 0.0 {
                        axpy(v, r, gj);
                    }
                }
            }
        }
    }
    let range = j0 * k..(j0 + width) * k;
    let wb = &c.w[range.clone()];
    let db = c.dir.get(range).unwrap_or(&[]);
    let (mut sq, mut gd, mut gmax) = (0.0, 0.0, 0.0f64);
    for (e, (gv, wv)) in g.iter_mut().zip(wb).enumerate() {
        *gv += l2 * wv;
        sq += wv * wv;
        if let Some(dv) = db.get(e) {
            gd += *gv * dv;
        }
        gmax = nan_max(gmax, gv.abs());
    }
    [sq, gd, gmax]
}

avx2_variant!(pub(super) fn backward_block_fast = backward_block(
    c: &BackwardCtx<'_, '_>,
    j0: usize,
    g: &mut [f64],
) -> [f64; 3]);
