//! Unconstrained L-BFGS that walks scipy's L-BFGS-B path (SKLEARN_PARITY.md §2.5).
//!
//! Without bounds L-BFGS-B reduces to the two-loop recursion with the
//! initial matrix `H0 = (sᵀy / yᵀy)·I` from the newest pair. The details
//! that decide the path are kept exactly:
//!
//! * memory `m = 10`; the first direction is `−g` with initial step
//!   `min(1/‖g‖₂, 1e10)`, later initial steps are 1;
//! * the Moré–Thuente line search ([`super::line_search`]) with
//!   `ftol = 1e-3`, `gtol = 0.9`, `xtol = 0.1`, `stpmin = 0`,
//!   `stpmax = 1e10` and at most `maxls = 50` evaluations; a warning from
//!   the search still accepts the last point, as L-BFGS-B does;
//! * the pair `(s, y)` is skipped when `sᵀy <= eps·(−gᵀd·stp)`;
//! * after each accepted step, in this order: the iteration limit, then
//!   `max|g| <= gtol`, then `(f_old − f)/max(|f_old|, |f|, 1) <= ftol`
//!   (`ftol = 64·eps`, which is what scikit-learn passes);
//! * a failed line search (no descent direction, non-finite values, more
//!   than `maxls` evaluations) restores the previous iterate, drops the
//!   memory and retries along `−g`; if that fails too the run stops and
//!   says so. It never panics.
//!
//! Vector operations run in parallel over fixed-size chunks with partial sums
//! added in chunk order, so results do not depend on the number of threads.

use rayon::prelude::*;

use serde::{Deserialize, Serialize};

use super::line_search::{Dcsrch, Task};
pub(crate) use super::objective::Eval;
use super::simd::avx2_variant;

/// Why the optimizer stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum StopReason {
    /// The largest gradient component fell below `tol` (converged).
    Gradient,
    /// The relative decrease of the objective fell below `64·eps` (converged).
    ObjectiveChange,
    /// `max_iter` iterations were done before convergence (not converged).
    MaxIter,
    /// Too many objective evaluations (scipy's `maxfun = 15000`; not converged).
    MaxEvaluations,
    /// The line search could not make progress even along the steepest
    /// descent direction (not converged; the model is the last good iterate).
    LineSearchFailed,
}

impl StopReason {
    /// Whether this reason counts as convergence (as scipy reports it).
    pub fn converged(self) -> bool {
        matches!(self, StopReason::Gradient | StopReason::ObjectiveChange)
    }
}

/// Settings of one run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    pub m: usize,
    pub max_iter: usize,
    pub gtol: f64,
    pub ftol: f64,
    pub maxls: usize,
    pub max_fun: usize,
}

impl Options {
    /// scikit-learn's settings for `tol` and `max_iter`.
    pub(crate) fn sklearn(tol: f64, max_iter: usize) -> Self {
        Options {
            m: 10,
            max_iter,
            gtol: tol,
            ftol: super::params::FTOL_SKLEARN,
            maxls: 50,
            max_fun: 15000,
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub x: Vec<f64>,
    pub f: f64,
    pub n_iter: usize,
    pub stop: StopReason,
}

/// Entries per parallel task in the fused vector passes (fixed, so results
/// do not depend on the thread count).
const VEC_CHUNK: usize = 4096;

/// Dot product with 8 independent accumulators (so it vectorizes and is not
/// bound by the latency of one addition chain), combined in a fixed order.
#[inline(always)]
fn seq_dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// `(a·b, a·c)` in one pass over `a`, with [`seq_dot`]'s summation order.
#[inline(always)]
fn seq_dot2(a: &[f64], b: &[f64], c: &[f64]) -> (f64, f64) {
    let mut acc = [0.0f64; 8];
    let mut acc2 = [0.0f64; 8];
    let (ca, cb, cc) = (a.chunks_exact(8), b.chunks_exact(8), c.chunks_exact(8));
    let (ra, rb, rc) = (ca.remainder(), cb.remainder(), cc.remainder());
    for ((x, y), z) in ca.zip(cb).zip(cc) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
            acc2[l] += x[l] * z[l];
        }
    }
    let fold = |a: [f64; 8]| ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
    let (mut s, mut s2) = (fold(acc), fold(acc2));
    for ((x, y), z) in ra.iter().zip(rb).zip(rc) {
        s += x * y;
        s2 += x * z;
    }
    (s, s2)
}

/// Deterministic parallel dot product (fixed chunks, partial sums in order).
fn dot(a: &[f64], b: &[f64], partials: &mut Vec<f64>) -> f64 {
    if a.len() <= VEC_CHUNK {
        return seq_dot(a, b);
    }
    a.par_chunks(VEC_CHUNK)
        .zip(b.par_chunks(VEC_CHUNK))
        .map(|(x, y)| seq_dot(x, y))
        .collect_into_vec(partials);
    partials.iter().sum()
}

/// `out = a + alpha·b`.
fn add_scaled(a: &[f64], alpha: f64, b: &[f64], out: &mut [f64]) {
    out.par_chunks_mut(VEC_CHUNK)
        .zip(a.par_chunks(VEC_CHUNK).zip(b.par_chunks(VEC_CHUNK)))
        .for_each(|(o, (ac, bc))| {
            for ((ov, av), bv) in o.iter_mut().zip(ac).zip(bc) {
                *ov = av + alpha * bv;
            }
        });
}

/// The limited memory in compact form (Byrd, Nocedal & Schnabel 1994):
/// `H = γI + [S γY] M [S γY]ᵀ` with `γ = sᵀy/yᵀy` of the newest pair,
/// `M` built from `R` (the upper triangle of `SᵀY`), `D = diag(SᵀY)` and
/// `YᵀY`. Mathematically the two-loop recursion; computed with two fused
/// passes over the stored vectors per iteration instead of `4m` separate
/// ones, which is what bounds the speed when `n_features × n_classes` is
/// large.
struct Memory {
    /// Stored pairs, in chronological order (oldest first).
    s: Vec<Vec<f64>>,
    y: Vec<Vec<f64>>,
    /// `r[i][j] = s_i·y_j` for `i <= j` (chronological indices).
    r: Vec<Vec<f64>>,
    /// `yy[i][j] = y_i·y_j`.
    yy: Vec<Vec<f64>>,
    m: usize,
    /// `yᵀy / sᵀy` of the newest pair (L-BFGS-B's theta), 1 when empty.
    theta: f64,
    /// Recycled vectors of dropped pairs.
    spare: Vec<Vec<f64>>,
    /// `s_i·g` and `y_i·g` for the current gradient.
    a: Vec<f64>,
    b: Vec<f64>,
    /// Chunk partial sums of the fused pass.
    partials: Vec<f64>,
}

impl Memory {
    fn new(m: usize) -> Self {
        Memory {
            s: Vec::with_capacity(m + 1),
            y: Vec::with_capacity(m + 1),
            r: vec![vec![0.0; m]; m],
            yy: vec![vec![0.0; m]; m],
            m,
            theta: 1.0,
            spare: Vec::new(),
            a: Vec::with_capacity(m),
            b: Vec::with_capacity(m),
            partials: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.s.len()
    }

    fn clear(&mut self) {
        self.spare.append(&mut self.s);
        self.spare.append(&mut self.y);
        self.theta = 1.0;
    }

    /// One pass over all vectors: optionally stores the new pair
    /// `s = stp·d`, `y = g − g_old` (dropping the oldest pair when full) and
    /// its products with the stored `y`s, then `s_i·g`, `y_i·g` for all
    /// pairs. `new_pair` is `Some((stp, dr))` with `dr = sᵀy` as L-BFGS-B
    /// computes it.
    fn update(&mut self, new_pair: Option<(f64, f64)>, d: &[f64], g: &[f64], g_old: &[f64]) {
        let n = g.len();
        if new_pair.is_some() {
            if self.len() == self.m {
                let s0 = self.s.remove(0);
                let y0 = self.y.remove(0);
                self.spare.push(s0);
                self.spare.push(y0);
                // Shift the small matrices up-left by one.
                for i in 0..self.m - 1 {
                    for j in 0..self.m - 1 {
                        self.r[i][j] = self.r[i + 1][j + 1];
                        self.yy[i][j] = self.yy[i + 1][j + 1];
                    }
                }
            }
            let sv = self.spare.pop().unwrap_or_else(|| vec![0.0; n]);
            let yv = self.spare.pop().unwrap_or_else(|| vec![0.0; n]);
            self.s.push(sv);
            self.y.push(yv);
        }
        let len = self.len();
        // Partial layout per chunk: a (len), b (len), then for a new pair
        // s_i·y_new (len) and y_i·y_new (len).
        let width = if new_pair.is_some() { 4 * len } else { 2 * len };
        if width == 0 {
            return;
        }
        let n_chunks = n.div_ceil(VEC_CHUNK);
        self.partials.clear();
        self.partials.resize(n_chunks * width, 0.0);
        let has_new = new_pair.is_some();
        let n_old = len - usize::from(has_new);
        let (old_s, new_s) = self.s.split_at_mut(n_old);
        let (old_y, new_y) = self.y.split_at_mut(n_old);
        let (old_s, old_y): (&[Vec<f64>], &[Vec<f64>]) = (old_s, old_y);
        let stp = new_pair.map_or(1.0, |p| p.0);
        let work = |c: usize, part: &mut [f64], new: Option<(&mut [f64], &mut [f64])>| {
            let lo = c * VEC_CHUNK;
            let hi = (lo + VEC_CHUNK).min(n);
            let chunk = UpdateChunk {
                lo,
                hi,
                g,
                d,
                g_old,
                stp,
                old_s,
                old_y,
                len,
            };
            update_chunk_fast(&chunk, part, new)
        };
        match (new_s.first_mut(), new_y.first_mut()) {
            (Some(sn), Some(yn)) => self
                .partials
                .par_chunks_mut(width)
                .zip(sn.par_chunks_mut(VEC_CHUNK))
                .zip(yn.par_chunks_mut(VEC_CHUNK))
                .enumerate()
                .for_each(|(c, ((part, sc), yc))| work(c, part, Some((sc, yc)))),
            _ => self
                .partials
                .par_chunks_mut(width)
                .enumerate()
                .for_each(|(c, part)| work(c, part, None)),
        }
        let mut sums = vec![0.0; width];
        for part in self.partials.chunks_exact(width) {
            for (s, p) in sums.iter_mut().zip(part) {
                *s += p;
            }
        }
        self.a.clear();
        self.a.extend_from_slice(&sums[..len]);
        self.b.clear();
        self.b.extend_from_slice(&sums[len..2 * len]);
        if let Some((_, dr)) = new_pair {
            let last = len - 1;
            for i in 0..len {
                self.r[i][last] = sums[2 * len + i];
                self.yy[i][last] = sums[3 * len + i];
                self.yy[last][i] = sums[3 * len + i];
            }
            // As L-BFGS-B: the newest sᵀy is `dr`, theta = yᵀy / dr.
            self.r[last][last] = dr;
            self.theta = sums[4 * len - 1] / dr;
        }
    }

    #[allow(clippy::needless_range_loop)] // the triangular solves read clearer indexed
    /// Coefficients `(γ, p, t)` of `H g = γ g + S p − γ Y t` for the
    /// gradient whose products are in `a`, `b`.
    fn coefficients(&self, p: &mut Vec<f64>, t: &mut Vec<f64>) -> f64 {
        let len = self.len();
        let gamma = 1.0 / self.theta;
        t.clear();
        t.resize(len, 0.0);
        p.clear();
        p.resize(len, 0.0);
        // R t = a (upper triangular).
        for i in (0..len).rev() {
            let mut v = self.a[i];
            for j in i + 1..len {
                v -= self.r[i][j] * t[j];
            }
            t[i] = v / self.r[i][i];
        }
        // Rᵀ p = (D + γ YᵀY) t − γ b (lower triangular).
        for i in 0..len {
            let mut w = self.r[i][i] * t[i] - gamma * self.b[i];
            let mut yyt = 0.0;
            for j in 0..len {
                yyt += self.yy[i][j] * t[j];
            }
            w += gamma * yyt;
            for j in 0..i {
                w -= self.r[j][i] * p[j];
            }
            p[i] = w / self.r[i][i];
        }
        gamma
    }
}

/// Read-only inputs of one chunk of the update pass.
struct UpdateChunk<'a> {
    lo: usize,
    hi: usize,
    g: &'a [f64],
    d: &'a [f64],
    g_old: &'a [f64],
    stp: f64,
    old_s: &'a [Vec<f64>],
    old_y: &'a [Vec<f64>],
    len: usize,
}

/// One chunk of [`Memory::update`]: writes the new pair's entries (if any)
/// and the chunk's partial dot products into `part`.
#[inline(always)]
fn update_chunk(c: &UpdateChunk<'_>, part: &mut [f64], new: Option<(&mut [f64], &mut [f64])>) {
    let (lo, hi, len) = (c.lo, c.hi, c.len);
    let gc = &c.g[lo..hi];
    let has_new = new.is_some();
    let (sn, yn): (&[f64], &[f64]) = match new {
        Some((sc, yc)) => {
            let dc = &c.d[lo..hi];
            let goc = &c.g_old[lo..hi];
            for e in 0..hi - lo {
                sc[e] = if c.stp == 1.0 { dc[e] } else { c.stp * dc[e] };
                yc[e] = gc[e] - goc[e];
            }
            (sc, yc)
        }
        None => (&[], &[]),
    };
    let n_old = c.old_s.len();
    for i in 0..len {
        let (si, yi): (&[f64], &[f64]) = if i < n_old {
            (&c.old_s[i][lo..hi], &c.old_y[i][lo..hi])
        } else {
            (sn, yn)
        };
        if has_new {
            (part[i], part[2 * len + i]) = seq_dot2(si, gc, yn);
            (part[len + i], part[3 * len + i]) = seq_dot2(yi, gc, yn);
        } else {
            part[i] = seq_dot(si, gc);
            part[len + i] = seq_dot(yi, gc);
        }
    }
}

avx2_variant!(fn update_chunk_fast = update_chunk(
    c: &UpdateChunk<'_>,
    part: &mut [f64],
    new: Option<(&mut [f64], &mut [f64])>,
));

/// Read-only inputs of one chunk of the direction pass.
struct DirectionChunk<'a> {
    lo: usize,
    hi: usize,
    gamma: f64,
    p: &'a [f64],
    t: &'a [f64],
    g: &'a [f64],
    x_old: &'a [f64],
    stp0: f64,
    s: &'a [Vec<f64>],
    y: &'a [Vec<f64>],
}

/// One chunk of [`direction_pass`]; returns the chunk's `gᵀd`.
#[inline(always)]
fn direction_chunk(c: &DirectionChunk<'_>, dc: &mut [f64], xc: &mut [f64]) -> f64 {
    let (lo, hi, gamma) = (c.lo, c.hi, c.gamma);
    let gc = &c.g[lo..hi];
    for (dv, gv) in dc.iter_mut().zip(gc) {
        *dv = gamma * gv;
    }
    for (i, (si, yi)) in c.s.iter().zip(c.y).enumerate() {
        let (pi, ti) = (c.p[i], -gamma * c.t[i]);
        for ((dv, sv), yv) in dc.iter_mut().zip(&si[lo..hi]).zip(&yi[lo..hi]) {
            *dv += pi * sv + ti * yv;
        }
    }
    for ((dv, xv), xo) in dc.iter_mut().zip(xc.iter_mut()).zip(&c.x_old[lo..hi]) {
        *dv = -*dv;
        *xv = if c.stp0 == 1.0 {
            xo + *dv
        } else {
            xo + c.stp0 * *dv
        };
    }
    seq_dot(gc, dc)
}

avx2_variant!(fn direction_chunk_fast = direction_chunk(
    c: &DirectionChunk<'_>,
    dc: &mut [f64],
    xc: &mut [f64],
) -> f64);

/// One fused pass: `d = −(γ g + S p − γ Y t)`, `x = x_old + stp0·d`, and
/// returns `gᵀd`.
#[allow(clippy::too_many_arguments)]
fn direction_pass(
    mem: &Memory,
    gamma: f64,
    p: &[f64],
    t: &[f64],
    g: &[f64],
    x_old: &[f64],
    stp0: f64,
    d: &mut [f64],
    x: &mut [f64],
    partials: &mut Vec<f64>,
) -> f64 {
    let n = g.len();
    d.par_chunks_mut(VEC_CHUNK)
        .zip(x.par_chunks_mut(VEC_CHUNK))
        .enumerate()
        .map(|(c, (dc, xc))| {
            let lo = c * VEC_CHUNK;
            let hi = (lo + VEC_CHUNK).min(n);
            let chunk = DirectionChunk {
                lo,
                hi,
                gamma,
                p,
                t,
                g,
                x_old,
                stp0,
                s: &mem.s,
                y: &mem.y,
            };
            direction_chunk_fast(&chunk, dc, xc)
        })
        .collect_into_vec(partials);
    partials.iter().sum()
}

/// Minimizes from `x0`. `fg(x, g, dir)` returns the value at `x`, writes the
/// gradient into `g`, and reports `g·dir` (0 for an empty `dir`) and
/// `max|g|` (see [`Eval`]).
pub(crate) fn minimize(
    mut fg: impl FnMut(&[f64], &mut [f64], &[f64]) -> Eval,
    x0: Vec<f64>,
    opts: Options,
) -> Outcome {
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let first = fg(&x, &mut g, &[]);
    let mut f = first.f;
    let mut gmax = first.gmax;
    let mut nfev = 1usize;
    let mut partials = Vec::new();
    if !f.is_finite() || gmax.is_nan() {
        return Outcome {
            x,
            f,
            n_iter: 0,
            stop: StopReason::LineSearchFailed,
        };
    }
    if gmax <= opts.gtol {
        return Outcome {
            x,
            f,
            n_iter: 0,
            stop: StopReason::Gradient,
        };
    }
    let mut mem = Memory::new(opts.m);
    let mut d = vec![0.0; n];
    let mut x_old = vec![0.0; n];
    let mut g_old = vec![0.0; n];
    let (mut coef_p, mut coef_t) = (Vec::new(), Vec::new());
    let mut n_iter = 0usize;

    loop {
        // Direction and first trial point. Afterwards `x_old`, `g_old`, `f_old`
        // hold the current iterate and `x` the trial point.
        std::mem::swap(&mut x, &mut x_old);
        std::mem::swap(&mut g, &mut g_old);
        let f_old = f;
        let gmax_old = gmax;
        let gamma = mem.coefficients(&mut coef_p, &mut coef_t);
        let stp0 = if n_iter == 0 {
            // d = −g here (the memory is empty on the first iteration).
            let dnorm = dot(&g_old, &g_old, &mut partials).sqrt();
            (1.0 / dnorm).min(1e10)
        } else {
            1.0
        };
        let gd_old = direction_pass(
            &mem,
            gamma,
            &coef_p,
            &coef_t,
            &g_old,
            &x_old,
            stp0,
            &mut d,
            &mut x,
            &mut partials,
        );

        // The line search; `ok` is false on failure.
        let mut ok = false;
        let mut stp = stp0;
        let mut gd = gd_old;
        if gd_old < 0.0 && stp0.is_finite() {
            let mut ls = Dcsrch::new(1e-3, 0.9, 0.1, 0.0, 1e10);
            let (mut next, mut task) = ls.step(stp0, f_old, gd_old);
            let mut evals = 0usize;
            loop {
                match task {
                    // Both return the step just evaluated, which is in `x`.
                    Task::Converged | Task::Warning(_) => {
                        ok = evals > 0;
                        break;
                    }
                    Task::Error(_) => break,
                    Task::Fg => {
                        if evals >= opts.maxls || !next.is_finite() {
                            break;
                        }
                        if evals > 0 || next != stp0 {
                            add_scaled(&x_old, next, &d, &mut x);
                        }
                        stp = next;
                        let e = fg(&x, &mut g, &d);
                        (f, gd, gmax) = (e.f, e.gd, e.gmax);
                        nfev += 1;
                        evals += 1;
                        if !f.is_finite() || !gd.is_finite() {
                            break;
                        }
                        (next, task) = ls.step(stp, f, gd);
                    }
                }
            }
        }
        if !ok {
            // Restore the previous iterate.
            std::mem::swap(&mut x, &mut x_old);
            std::mem::swap(&mut g, &mut g_old);
            f = f_old;
            gmax = gmax_old;
            if mem.len() == 0 {
                return Outcome {
                    x,
                    f,
                    n_iter,
                    stop: StopReason::LineSearchFailed,
                };
            }
            // Refresh the memory and retry along the steepest descent. The
            // products with the stored pairs are not needed for that.
            mem.clear();
            continue;
        }
        n_iter += 1;
        let stop = if n_iter >= opts.max_iter {
            Some(StopReason::MaxIter)
        } else if nfev > opts.max_fun {
            Some(StopReason::MaxEvaluations)
        } else if gmax <= opts.gtol {
            Some(StopReason::Gradient)
        } else if f_old - f <= opts.ftol * f_old.abs().max(f.abs()).max(1.0) {
            Some(StopReason::ObjectiveChange)
        } else {
            None
        };
        if let Some(stop) = stop {
            return Outcome { x, f, n_iter, stop };
        }
        // Pair update, with L-BFGS-B's skip rule; then the products of the
        // stored pairs with the new gradient.
        let (dr, ddum) = if stp == 1.0 {
            (gd - gd_old, -gd_old)
        } else {
            ((gd - gd_old) * stp, -gd_old * stp)
        };
        let new_pair = (dr > f64::EPSILON * ddum).then_some((stp, dr));
        mem.update(new_pair, &d, &g, &g_old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linear::objective::nan_max;

    /// Adapts a plain value-and-gradient function to `minimize`'s interface.
    fn plain(
        mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    ) -> impl FnMut(&[f64], &mut [f64], &[f64]) -> Eval {
        move |x, g, dir| {
            let v = f(x, g);
            let gd = g.iter().zip(dir).map(|(a, b)| a * b).sum();
            let gmax = g.iter().fold(0.0, |m, v| nan_max(m, v.abs()));
            Eval { f: v, gd, gmax }
        }
    }

    /// Rosenbrock in 2-D.
    fn rosen(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn minimizes_rosenbrock() {
        let out = minimize(plain(rosen), vec![-1.2, 1.0], Options::sklearn(1e-8, 1000));
        assert!(out.stop.converged(), "{:?}", out.stop);
        assert!((out.x[0] - 1.0).abs() < 1e-4 && (out.x[1] - 1.0).abs() < 1e-4);
    }

    #[test]
    fn iteration_limit_is_reported() {
        let out = minimize(plain(rosen), vec![-1.2, 1.0], Options::sklearn(1e-8, 3));
        assert_eq!(out.stop, StopReason::MaxIter);
        assert_eq!(out.n_iter, 3);
        assert!(!out.stop.converged());
    }

    #[test]
    fn unbounded_below_does_not_panic() {
        // f = -x: the line search runs to stpmax and the run stops cleanly.
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = -1.0;
            -x[0]
        };
        let out = minimize(plain(f), vec![0.0], Options::sklearn(1e-4, 50));
        assert!(out.f.is_finite());
    }

    #[test]
    fn nan_objective_stops_cleanly() {
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * x[0] - 2.0;
            if x[0] > 0.5 {
                f64::NAN
            } else {
                (x[0] - 1.0).powi(2)
            }
        };
        let out = minimize(plain(f), vec![0.0], Options::sklearn(1e-10, 100));
        assert!(out.f.is_finite());
        assert!(out.x[0] <= 0.5);
    }

    #[test]
    fn already_optimal_start_takes_no_step() {
        let out = minimize(plain(rosen), vec![1.0, 1.0], Options::sklearn(1e-4, 100));
        assert_eq!((out.n_iter, out.stop), (0, StopReason::Gradient));
    }
}
