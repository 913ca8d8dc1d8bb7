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

use crate::sparse::{CsrMatrix, FeatureView};

/// Rows per parallel task in the forward pass.
pub(crate) const ROW_CHUNK: usize = 256;
/// Features per parallel task in the gradient `Xᵀ R`.
pub(crate) const FEATURE_BLOCK: usize = 128;

mod backward;
mod csc;
mod forward;
mod kernels;
#[cfg(test)]
mod tests;

use backward::{backward_block_fast, BackwardCtx};
use csc::Csc;
use forward::{forward_chunk_fast, ForwardCtx, Pass};
pub(crate) use kernels::expit;

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

/// A dense view of an owned matrix, for tests.
#[cfg(test)]
pub(crate) fn dense_view(a: &ndarray::Array2<f64>) -> FeatureView<'_> {
    FeatureView::Dense(a.view())
}
