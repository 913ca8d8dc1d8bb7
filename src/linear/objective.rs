//! The penalised logistic objective and its gradient ([parity §2.2](crate::parity)).
//!
//! `f(W, b) = (1/S) Σ_i s_i ℓ_i + ‖W‖²/(2·C·S)`, the intercept not penalised.
//! With `K >= 3` classes `ℓ_i` is the softmax loss with one full coefficient
//! row per class; with two classes it is the binary logistic loss of a single
//! row (the score of the second class).
//!
//! The parameter vector uses scikit-learn's layout for `lbfgs`:
//! `θ[j·K + k]` is the coefficient of feature `j` for class `k` (feature
//! major, so the `K` values of one feature are contiguous, which is what the
//! sparse product `x·W` reads), followed by the `K` intercepts when they are
//! fitted. For the binary model `K = 1`.
//!
//! Determinism: rows are processed in chunks of [`ROW_CHUNK`] and features in
//! blocks of [`FEATURE_BLOCK`], both fixed sizes independent of the thread
//! count. Every output value is produced by exactly one task, and the few
//! partial sums (loss, intercept gradient) are added in chunk order, so the
//! value and gradient are bit-identical whatever the number of threads.

use ndarray::{CowArray, Ix2};
use rayon::prelude::*;

use super::simd::avx2_variant;
use crate::sparse::{CsrMatrix, FeatureView};

/// Rows per parallel task in the forward pass.
pub(crate) const ROW_CHUNK: usize = 256;
/// Features per parallel task in the gradient `Xᵀ R`.
pub(crate) const FEATURE_BLOCK: usize = 128;

/// A column-oriented copy of a CSR matrix, used for the gradient `Xᵀ R`, so
/// that each feature's gradient is accumulated by one task in row order.
struct Csc {
    indptr: Vec<usize>,
    rows: Vec<u32>,
    data: Vec<f64>,
}

impl Csc {
    fn from_csr(x: &CsrMatrix) -> Csc {
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

/// The design matrix in the forms the two passes need.
enum Design<'a> {
    Sparse { x: &'a CsrMatrix, csc: Csc },
    Dense { x: CowArray<'a, f64, Ix2> },
}

/// The objective of one fit: data, targets, weights and work buffers.
pub(crate) struct Objective<'a> {
    design: Design<'a>,
    /// Target class index of each row (for the binary model: 1 = positive).
    y: &'a [u32],
    /// Per-sample weights `s_i` (class weights already multiplied in).
    sw: &'a [f64],
    /// `S = Σ s_i`.
    sw_sum: f64,
    n: usize,
    p: usize,
    /// Columns of `W`: the number of classes, or 1 for the binary model.
    k: usize,
    binary: bool,
    fit_intercept: bool,
    /// `1 / (C·S)`.
    l2: f64,
    /// `n x k`: the raw scores, then the scaled residuals `s_i (p_ik − y_ik)/S`
    /// (for a Hessian product: the scores of the direction, then the rows
    /// that `Xᵀ` multiplies).
    resid: Vec<f64>,
    /// What the Hessian at the last evaluated point needs per row, kept only
    /// after [`keep_curvature`](Self::keep_curvature): the probabilities
    /// (`n x k`), or `p(1 − p)` for the binary model. Empty otherwise.
    curv: Vec<f64>,
    /// One loss partial sum per row chunk.
    chunk_loss: Vec<f64>,
    /// `k` intercept-gradient partial sums per row chunk.
    chunk_bsum: Vec<f64>,
    /// `(Σ w², Σ g·dir, max |g|)` per feature block of the last evaluation.
    block_stats: Vec<[f64; 3]>,
}

impl<'a> Objective<'a> {
    /// Prepares the objective. `y` holds class indices below `n_classes`
    /// (or 0/1 when `n_classes == 2`), `sw` one non-negative weight per row
    /// with a positive sum; the caller has checked both.
    pub(crate) fn new(
        x: FeatureView<'a>,
        y: &'a [u32],
        sw: &'a [f64],
        n_classes: usize,
        fit_intercept: bool,
        c: f64,
    ) -> Objective<'a> {
        let (design, n, p) = match x {
            FeatureView::Sparse(s) => (
                Design::Sparse {
                    x: s,
                    csc: Csc::from_csr(s),
                },
                s.n_rows(),
                s.n_cols(),
            ),
            FeatureView::Dense(d) => {
                let (n, p) = d.dim();
                (
                    Design::Dense {
                        x: if d.is_standard_layout() {
                            CowArray::from(d)
                        } else {
                            CowArray::from(d.as_standard_layout().into_owned())
                        },
                    },
                    n,
                    p,
                )
            }
        };
        let binary = n_classes == 2;
        let k = if binary { 1 } else { n_classes };
        // Sequential sum, as numpy's would be pairwise: the difference is
        // far below anything that matters for the path.
        let sw_sum: f64 = sw.iter().sum();
        let n_chunks = n.div_ceil(ROW_CHUNK);
        Objective {
            design,
            y,
            sw,
            sw_sum,
            n,
            p,
            k,
            binary,
            fit_intercept,
            l2: 1.0 / (c * sw_sum),
            resid: vec![0.0; n * k],
            curv: Vec::new(),
            chunk_loss: vec![0.0; n_chunks],
            chunk_bsum: vec![0.0; n_chunks * k],
            block_stats: Vec::with_capacity(p.div_ceil(FEATURE_BLOCK)),
        }
    }

    /// Length of the parameter vector.
    pub(crate) fn dim(&self) -> usize {
        self.p * self.k + if self.fit_intercept { self.k } else { 0 }
    }

    /// Columns of `W` (classes, or 1 for the binary model).
    pub(crate) fn k(&self) -> usize {
        self.k
    }

    /// Number of features.
    pub(crate) fn p(&self) -> usize {
        self.p
    }

    /// Makes every later evaluation keep what [`hess_prod`](Self::hess_prod)
    /// needs (one more `n x k` buffer, written during the forward pass).
    pub(crate) fn keep_curvature(&mut self) {
        self.curv = vec![0.0; self.n * self.k];
    }

    /// `∇²f(θ)·v` into `out`, at the point `θ` of the last evaluation
    /// (scikit-learn's `gradient_hessian_product`). Needs
    /// [`keep_curvature`](Self::keep_curvature) before that evaluation;
    /// reuses the residual buffer, so the next call must be an evaluation or
    /// another product.
    pub(crate) fn hess_prod(&mut self, v: &[f64], out: &mut [f64]) {
        debug_assert!(!self.curv.is_empty(), "hess_prod needs keep_curvature");
        let (p, k) = (self.p, self.k);
        let (vw, vb) = v.split_at(p * k);
        self.pass(Pass::HessProd, vw, vb);
        let (ow, ob) = out.split_at_mut(p * k);
        self.backward(vw, ow, &[]);
        if self.fit_intercept {
            self.intercept_grad(ob);
        }
    }

    /// Sums the per-chunk intercept parts of the last pass into `gb`.
    fn intercept_grad(&self, gb: &mut [f64]) {
        gb.fill(0.0);
        for part in self.chunk_bsum.chunks_exact(self.k) {
            for (g, v) in gb.iter_mut().zip(part) {
                *g += v;
            }
        }
    }

    /// Evaluates `f(θ)`, writes `∇f(θ)` into `grad` (same length as `θ`),
    /// and returns with it `∇f·dir` (0 when `dir` is empty) and `max|∇f|`,
    /// computed while the gradient is still in cache.
    pub(crate) fn eval(&mut self, theta: &[f64], grad: &mut [f64], dir: &[f64]) -> Eval {
        let (p, k) = (self.p, self.k);
        let (w, b) = theta.split_at(p * k);
        self.pass(Pass::Loss, w, b);
        let data_loss: f64 = self.chunk_loss.iter().sum::<f64>() / self.sw_sum;
        let (gw, gb) = grad.split_at_mut(p * k);
        let (dir_w, dir_b) = if dir.is_empty() {
            (&[][..], &[][..])
        } else {
            dir.split_at(p * k)
        };
        self.backward(w, gw, dir_w);
        let (mut sq, mut gd, mut gmax) = (0.0, 0.0, 0.0);
        for st in &self.block_stats {
            sq += st[0];
            gd += st[1];
            gmax = nan_max(gmax, st[2]);
        }
        if self.fit_intercept {
            self.intercept_grad(gb);
            for (i, g) in gb.iter().enumerate() {
                if let Some(dv) = dir_b.get(i) {
                    gd += g * dv;
                }
                gmax = nan_max(gmax, g.abs());
            }
        }
        Eval {
            f: data_loss + 0.5 * self.l2 * sq,
            gd,
            gmax,
        }
    }

    /// Evaluates `f(θ)` and writes `∇f(θ)` into `grad`.
    #[cfg(test)]
    pub(crate) fn value_grad(&mut self, theta: &[f64], grad: &mut [f64]) -> f64 {
        self.eval(theta, grad, &[]).f
    }

    /// The row pass over every row, in parallel over chunks: scores `X w + b`,
    /// then per row either the loss and residuals or the Hessian-product
    /// rows.
    fn pass(&mut self, pass: Pass, w: &[f64], b: &[f64]) {
        let chunk = ROW_CHUNK * self.k;
        let ctx = ForwardCtx {
            pass,
            design: &self.design,
            w,
            b,
            y: self.y,
            sw: self.sw,
            sw_sum: self.sw_sum,
            binary: self.binary,
            k: self.k,
        };
        let run = |c: usize, r: &mut [f64], cv: &mut [f64], loss: &mut f64, bsum: &mut [f64]| {
            *loss = forward_chunk_fast(&ctx, c * ROW_CHUNK, r, cv, bsum);
        };
        let chunks = self
            .resid
            .par_chunks_mut(chunk)
            .zip(self.chunk_loss.par_iter_mut())
            .zip(self.chunk_bsum.par_chunks_mut(self.k))
            .enumerate();
        if self.curv.is_empty() {
            chunks.for_each(|(c, ((r, loss), bsum))| run(c, r, &mut [], loss, bsum));
        } else {
            chunks
                .zip(self.curv.par_chunks_mut(chunk))
                .for_each(|((c, ((r, loss), bsum)), cv)| run(c, r, cv, loss, bsum));
        }
    }

    /// `∇_W = Xᵀ R + W/(C·S)`, in parallel over feature blocks; each block
    /// also reports `(Σ w², Σ g·dir, max |g|)` into `block_stats`.
    fn backward(&mut self, w: &[f64], gw: &mut [f64], dir: &[f64]) {
        let ctx = BackwardCtx {
            design: &self.design,
            resid: &self.resid,
            w,
            dir,
            l2: self.l2,
            n: self.n,
            k: self.k,
        };
        gw.par_chunks_mut(FEATURE_BLOCK * self.k)
            .enumerate()
            .map(|(blk, g)| backward_block_fast(&ctx, blk * FEATURE_BLOCK, g))
            .collect_into_vec(&mut self.block_stats);
    }
}

/// The row width: `K` when it is fixed at compile time, else `k`.
#[inline(always)]
fn width<const K: usize>(k: usize) -> usize {
    if K == 0 {
        k
    } else {
        K
    }
}

/// Calls `$call` with `K` bound to a constant equal to `$k` for the small
/// widths (the binary model and up to 8 classes), else to 0 (width known at
/// run time). Short rows otherwise pay a loop per nonzero that the compiler
/// cannot unroll; long rows vectorize either way.
macro_rules! with_const_width {
    ($k:expr, $K:ident => $call:expr) => {
        with_const_width!(@arms $k, $K, $call, 1 2 3 4 5 6 7 8)
    };
    (@arms $k:expr, $K:ident, $call:expr, $($n:literal)*) => {
        match $k {
            $($n => {
                const $K: usize = $n;
                $call
            })*
            _ => {
                const $K: usize = 0;
                $call
            }
        }
    };
}

/// What the row pass computes after the scores.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Loss and gradient residuals (and the curvature rows, when kept).
    Loss,
    /// The rows of a Hessian-vector product, from the kept curvature.
    HessProd,
}

/// Read-only inputs of the forward pass.
struct ForwardCtx<'c, 'a> {
    pass: Pass,
    design: &'c Design<'a>,
    w: &'c [f64],
    b: &'c [f64],
    y: &'c [u32],
    sw: &'c [f64],
    sw_sum: f64,
    binary: bool,
    k: usize,
}

/// Rows `start..` of one chunk: scores into `r`, then turned into scaled
/// residuals (or Hessian-product rows), their column sums into `bsum`;
/// returns `Σ s_i ℓ_i` (0 for a Hessian product). `curv` is the chunk's
/// part of the curvature buffer, or empty.
#[inline(always)]
fn forward_chunk(
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
fn forward_rows<const K: usize>(
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

avx2_variant!(fn forward_chunk_fast = forward_chunk(
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
fn hess_rows(u: &mut [f64], curv: &[f64], scale: f64, binary: bool) {
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

/// scipy's `expit`: `1 / (1 + e^{−z})`.
#[inline]
pub(crate) fn expit(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Read-only inputs of the gradient pass.
struct BackwardCtx<'c, 'a> {
    design: &'c Design<'a>,
    resid: &'c [f64],
    w: &'c [f64],
    dir: &'c [f64],
    l2: f64,
    n: usize,
    k: usize,
}

/// The gradient rows of features `j0..` (one block) into `g`; returns the
/// block's `(Σ w², Σ g·dir, max |g|)`.
#[inline(always)]
fn backward_block(c: &BackwardCtx<'_, '_>, j0: usize, g: &mut [f64]) -> [f64; 3] {
    with_const_width!(c.k, K => backward_rows::<K>(c, j0, g))
}

/// [`backward_block`] with the width fixed at compile time when `K > 0`
/// (see [`forward_rows`]).
#[inline(always)]
fn backward_rows<const K: usize>(c: &BackwardCtx<'_, '_>, j0: usize, g: &mut [f64]) -> [f64; 3] {
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

avx2_variant!(fn backward_block_fast = backward_block(
    c: &BackwardCtx<'_, '_>,
    j0: usize,
    g: &mut [f64],
) -> [f64; 3]);

/// What one evaluation returns besides the gradient.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Eval {
    /// The objective value.
    pub f: f64,
    /// `∇f · dir`.
    pub gd: f64,
    /// `max_i |∇f_i|` (NaN if any component is NaN).
    pub gmax: f64,
}

/// `max` that propagates NaN (so a NaN gradient fails every `<=` test).
#[inline]
pub(crate) fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// How many nonzeros ahead the sparse passes prefetch the row they will
/// gather.
const PREFETCH_AHEAD: usize = 8;

/// Asks the CPU to start loading the cache lines of `row` (a hint only: no
/// effect on results, and nothing on other architectures).
#[inline(always)]
fn prefetch(row: Option<&[f64]>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(row) = row {
        for line in row.chunks(8) {
            // SAFETY: a prefetch only hints the cache; it never faults and
            // reads nothing into the program. SSE is part of x86-64.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    line.as_ptr().cast(),
                )
            };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = row;
}

/// `y += a·x` over equal-length slices.
#[inline(always)]
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yv, xv) in y.iter_mut().zip(x) {
        *yv += a * xv;
    }
}

/// Loss `log(1 + e^z) − y·z` and its derivative `σ(z) − y`, with
/// scikit-learn's branches (`closs_grad_half_binomial`) for stability.
#[inline]
pub(crate) fn binomial_loss_grad(y: f64, z: f64) -> (f64, f64) {
    if z <= -37.0 {
        let e = z.exp();
        (e - y * z, e - y)
    } else if z <= -2.0 {
        let e = z.exp();
        (e.ln_1p() - y * z, ((1.0 - y) * e - y) / (1.0 + e))
    } else if z <= 18.0 {
        let e = (-z).exp();
        (e.ln_1p() + (1.0 - y) * z, ((1.0 - y) - y * e) / (1.0 + e))
    } else {
        let e = (-z).exp();
        (e + (1.0 - y) * z, ((1.0 - y) - y * e) / (1.0 + e))
    }
}

/// A dense view of an owned matrix, for tests.
#[cfg(test)]
pub(crate) fn dense_view(a: &ndarray::Array2<f64>) -> FeatureView<'_> {
    FeatureView::Dense(a.view())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn toy(n: usize, p: usize, seed: u64) -> Array2<f64> {
        let mut s = seed;
        Array2::from_shape_fn((n, p), |_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.4 {
                0.0
            } else {
                (u - 0.7) * 3.0
            }
        })
    }

    fn check_fd<'a>(
        x: FeatureView<'a>,
        y: &'a [u32],
        sw: &'a [f64],
        classes: usize,
        intercept: bool,
    ) {
        let mut obj = Objective::new(x, y, sw, classes, intercept, 0.7);
        let d = obj.dim();
        let theta: Vec<f64> = (0..d).map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.1).collect();
        let mut g = vec![0.0; d];
        let f0 = obj.value_grad(&theta, &mut g);
        assert!(f0.is_finite());
        let mut scratch = vec![0.0; d];
        for i in 0..d {
            let h = 1e-6;
            let mut tp = theta.clone();
            tp[i] += h;
            let fp = obj.value_grad(&tp, &mut scratch);
            tp[i] -= 2.0 * h;
            let fm = obj.value_grad(&tp, &mut scratch);
            let fd = (fp - fm) / (2.0 * h);
            assert!(
                (fd - g[i]).abs() < 1e-7 * (1.0 + g[i].abs()),
                "component {i}: analytic {} vs finite difference {fd}",
                g[i]
            );
        }
    }

    /// `H v` against central differences of the gradient along `v`.
    fn check_hess_prod<'a>(
        x: FeatureView<'a>,
        y: &'a [u32],
        sw: &'a [f64],
        classes: usize,
        intercept: bool,
    ) {
        let mut obj = Objective::new(x, y, sw, classes, intercept, 0.7);
        obj.keep_curvature();
        let d = obj.dim();
        let theta: Vec<f64> = (0..d).map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.1).collect();
        let v: Vec<f64> = (0..d).map(|i| ((i * 13 % 7) as f64 - 3.0) * 0.2).collect();
        let mut g = vec![0.0; d];
        obj.value_grad(&theta, &mut g);
        let mut hv = vec![0.0; d];
        obj.hess_prod(&v, &mut hv);
        let h = 1e-5;
        let shifted = |obj: &mut Objective<'_>, sign: f64| {
            let t: Vec<f64> = theta
                .iter()
                .zip(&v)
                .map(|(a, b)| a + sign * h * b)
                .collect();
            let mut g = vec![0.0; d];
            obj.value_grad(&t, &mut g);
            g
        };
        let (gp, gm) = (shifted(&mut obj, 1.0), shifted(&mut obj, -1.0));
        for i in 0..d {
            let fd = (gp[i] - gm[i]) / (2.0 * h);
            assert!(
                (fd - hv[i]).abs() < 1e-6 * (1.0 + hv[i].abs()),
                "component {i}: H v = {} vs finite difference {fd}",
                hv[i]
            );
        }
    }

    /// Runs `check(x, y, sw, n_classes, fit_intercept)` on an `n x p` toy
    /// problem, dense and sparse, multiclass (3) and binary, with and
    /// without intercept, and with uneven sample weights.
    fn on_toy_problems(
        n: usize,
        p: usize,
        seed: u64,
        check: impl for<'a> Fn(FeatureView<'a>, &'a [u32], &'a [f64], usize, bool),
    ) {
        let x = toy(n, p, seed);
        let y3: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let y2: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
        let sw: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64).collect();
        let csr = CsrMatrix::from_dense(x.view());
        for intercept in [true, false] {
            for (y, k) in [(&y3, 3), (&y2, 2)] {
                check(dense_view(&x), y, &sw, k, intercept);
                check(FeatureView::Sparse(&csr), y, &sw, k, intercept);
            }
        }
    }

    #[test]
    fn hessian_product_matches_finite_differences() {
        on_toy_problems(200, 6, 5, check_hess_prod);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        on_toy_problems(300, 7, 3, check_fd);
    }

    #[test]
    fn dense_and_sparse_agree_and_threads_do_not_matter() {
        let x = toy(700, 300, 9);
        let y: Vec<u32> = (0..700).map(|i| (i % 4) as u32).collect();
        let sw = vec![1.0; 700];
        let csr = CsrMatrix::from_dense(x.view());
        let run = |threads: usize, sparse: bool| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let view = if sparse {
                    FeatureView::Sparse(&csr)
                } else {
                    dense_view(&x)
                };
                let mut obj = Objective::new(view, &y, &sw, 4, true, 1.0);
                let theta: Vec<f64> = (0..obj.dim()).map(|i| (i % 7) as f64 * 0.01).collect();
                let mut g = vec![0.0; obj.dim()];
                let f = obj.value_grad(&theta, &mut g);
                (f, g)
            })
        };
        let (f1, g1) = run(1, true);
        let (f2, g2) = run(2, true);
        assert_eq!(f1.to_bits(), f2.to_bits());
        assert!(g1.iter().zip(&g2).all(|(a, b)| a.to_bits() == b.to_bits()));
        let (fd, gd) = run(2, false);
        assert!((fd - f1).abs() < 1e-12);
        assert!(gd.iter().zip(&g1).all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn binomial_branches_are_stable() {
        for z in [-800.0, -40.0, -5.0, 0.0, 5.0, 25.0, 800.0] {
            let (l, g) = binomial_loss_grad(1.0, z);
            assert!(l.is_finite() && g.is_finite(), "z = {z}");
            assert!((-1.0..=0.0).contains(&g));
        }
    }
}
