//! The forward pass over row chunks: scores, then loss and scaled residuals
//! (or the rows of a Hessian-vector product).

use super::kernels::{axpy, binomial_loss_grad, prefetch, width, with_const_width, PREFETCH_AHEAD};
use super::Design;
use crate::linear::simd::avx2_variant;

/// What the row pass computes after the scores.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    /// Loss and gradient residuals (and the curvature rows, when kept).
    Loss,
    /// The rows of a Hessian-vector product, from the kept curvature.
    HessProd,
}

/// Read-only inputs of the forward pass.
pub(super) struct ForwardCtx<'c, 'a> {
    pub(super) pass: Pass,
    pub(super) design: &'c Design<'a>,
    pub(super) w: &'c [f64],
    pub(super) b: &'c [f64],
    pub(super) y: &'c [u32],
    pub(super) sw: &'c [f64],
    pub(super) sw_sum: f64,
    pub(super) binary: bool,
    pub(super) k: usize,
}

/// Rows `start..` of one chunk: scores into `r`, then turned into scaled
/// residuals (or Hessian-product rows), their column sums into `bsum`;
/// returns `Σ s_i ℓ_i` (0 for a Hessian product). `curv` is the chunk's
/// part of the curvature buffer, or empty.
#[inline(always)]
pub(super) fn forward_chunk(
    c: &ForwardCtx<'_, '_>,
    start: usize,
    r: &mut [f64],
    curv: &mut [f64],
    bsum: &mut [f64],
) -> f64 {
    with_const_width!(c.k, K => forward_rows::<K>(c, start, r, curv, bsum))
}

/// [`forward_chunk`] with the row width `k` fixed at compile time when
/// `K > 0`, so that the per-nonzero loops over `k` values are unrolled and
/// the scores stay in registers (the arithmetic and its order are the same
/// for every `K`).
#[inline(always)]
pub(super) fn forward_rows<const K: usize>(
    c: &ForwardCtx<'_, '_>,
    start: usize,
    r: &mut [f64],
    curv: &mut [f64],
    bsum: &mut [f64],
) -> f64 {
    let (k, w, b) = (width::<K>(c.k), c.w, c.b);
    let mut loss = 0.0;
    bsum.fill(0.0);
    for (off, z) in r.chunks_exact_mut(k).enumerate() {
        let i = start + off;
        if b.is_empty() {
            z.fill(0.0);
        } else {
            z.copy_from_slice(b);
        }
        match c.design {
            Design::Sparse { x, .. } => {
                let (lo, hi) = (x.indptr()[i], x.indptr()[i + 1]);
                let (cols, vals) = (x.indices(), x.data());
                for pos in lo..hi {
                    // The rows of `W` are gathered in no predictable order;
                    // asking for one a few nonzeros ahead overlaps the waits.
                    if let Some(&jn) = cols.get(pos + PREFETCH_AHEAD) {
                        prefetch(w.get(jn * k..jn * k + k));
                    }
                    let j = cols[pos];
                    axpy(vals[pos], &w[j * k..j * k + k], z);
                }
            }
            Design::Dense { x } => {
                for (j, &v) in x.row(i).iter().enumerate() {
                    axpy(v, &w[j * k..j * k + k], z);
                }
            }
        }
        let s = c.sw[i];
        let yi = c.y[i] as usize;
        let cv = curv.get_mut(off * k..off * k + k).unwrap_or(&mut []);
        if c.pass == Pass::HessProd {
            hess_rows(z, cv, s / c.sw_sum, c.binary);
        } else if c.binary {
            let (l, g) = binomial_loss_grad(yi as f64, z[0]);
            loss += l * s;
            if let Some(h) = cv.first_mut() {
                // p(1 − p) as e/(1 + e)² with e = exp(−|z|), scikit-learn's
                // form: p·(1 − p) cancels to 0 for large |z|.
                let e = (-z[0].abs()).exp();
                *h = e / ((1.0 + e) * (1.0 + e));
            }
            z[0] = g * s / c.sw_sum;
        } else {
            let zy = z[yi];
            let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for v in z.iter_mut() {
                *v = (*v - m).exp();
                sum += *v;
            }
            loss += (sum.ln() + m - zy) * s;
            for (pv, v) in cv.iter_mut().zip(z.iter()) {
                *pv = *v / sum;
            }
            for (kk, v) in z.iter_mut().enumerate() {
                let target = if kk == yi { 1.0 } else { 0.0 };
                *v = (*v / sum - target) * s / c.sw_sum;
            }
        }
        for (a, v) in bsum.iter_mut().zip(z.iter()) {
            *a += v;
        }
    }
    loss
}

avx2_variant!(pub(super) fn forward_chunk_fast = forward_chunk(
    c: &ForwardCtx<'_, '_>,
    start: usize,
    r: &mut [f64],
    curv: &mut [f64],
    bsum: &mut [f64],
) -> f64);

/// One row of a Hessian-vector product: the direction's scores `u` become
/// `scale · p ⊙ (u − p·u)` (softmax) or `scale · p(1 − p) · u` (binary),
/// as scikit-learn's `gradient_hessian_product`.
#[inline(always)]
pub(super) fn hess_rows(u: &mut [f64], curv: &[f64], scale: f64, binary: bool) {
    if binary {
        if let (Some(u0), Some(h)) = (u.first_mut(), curv.first()) {
            *u0 = *u0 * h * scale;
        }
        return;
    }
    let pu: f64 = u.iter().zip(curv).map(|(a, b)| a * b).sum();
    for (v, pv) in u.iter_mut().zip(curv) {
        *v = (*v - pu) * pv * scale;
    }
}
