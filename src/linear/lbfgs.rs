//! Unconstrained L-BFGS that walks scipy's L-BFGS-B path ([parity §2.5](crate::parity)).
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

use super::line_search::{Dcsrch, Task};
pub(crate) use super::objective::Eval;
use super::simd::avx2_variant;
use super::solver::{Outcome, StopReason};
use super::vector::{add_scaled, dot, seq_dot, seq_dot2, VEC_CHUNK};
use crate::progress::{ProgressEvent, ProgressHook};

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

/// The limited memory in compact form (Byrd, Nocedal & Schnabel 1994):
/// `H = γI + [S γY] M [S γY]ᵀ` with `γ = sᵀy/yᵀy` of the newest pair,
/// `M` built from `R` (the upper triangle of `SᵀY`), `D = diag(SᵀY)` and
/// `YᵀY`. Mathematically the two-loop recursion; computed with two fused
/// passes over the stored vectors per iteration instead of `4m` separate
/// ones, which is what bounds the speed when `n_features × n_classes` is
/// large.
///
/// The pairs are stored chunk-interleaved: for each chunk of `chunk`
/// entries, the `s` then `y` entries of every slot, so that a pass streams
/// through one contiguous buffer instead of `2m` separate vectors.
struct Memory {
    /// `n_chunks × m × 2 × chunk` values (the last chunk padded).
    data: Vec<f64>,
    /// Entries per chunk.
    chunk: usize,
    /// Slot of the oldest pair, and the number of pairs.
    head: usize,
    len: usize,
    /// `r[i][j] = s_i·y_j` for `i <= j` (chronological indices).
    r: Vec<Vec<f64>>,
    /// `yy[i][j] = y_i·y_j`.
    yy: Vec<Vec<f64>>,
    m: usize,
    /// `yᵀy / sᵀy` of the newest pair (L-BFGS-B's theta), 1 when empty.
    theta: f64,
    /// `s_i·g` and `y_i·g` for the current gradient (chronological).
    a: Vec<f64>,
    b: Vec<f64>,
    /// Slots in chronological order.
    order: Vec<usize>,
    /// Chunk partial sums of the fused pass.
    partials: Vec<f64>,
}

impl Memory {
    fn new(m: usize, n: usize) -> Self {
        let chunk = VEC_CHUNK.min(n.max(1));
        Memory {
            data: Vec::new(),
            chunk,
            head: 0,
            len: 0,
            r: vec![vec![0.0; m]; m],
            yy: vec![vec![0.0; m]; m],
            m,
            theta: 1.0,
            a: Vec::with_capacity(m),
            b: Vec::with_capacity(m),
            order: Vec::with_capacity(m),
            partials: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
        self.theta = 1.0;
    }

    /// Values per chunk block (all slots).
    fn block(&self) -> usize {
        self.m * 2 * self.chunk
    }

    /// One pass over all vectors: optionally stores the new pair
    /// `s = stp·d`, `y = g − g_old` (dropping the oldest pair when full) and
    /// its products with the stored `y`s, then `s_i·g`, `y_i·g` for all
    /// pairs. `new_pair` is `Some((stp, dr))` with `dr = sᵀy` as L-BFGS-B
    /// computes it.
    fn update(&mut self, new_pair: Option<(f64, f64)>, d: &[f64], g: &[f64], g_old: &[f64]) {
        let n = g.len();
        let n_chunks = n.div_ceil(self.chunk);
        if self.data.is_empty() && n > 0 {
            self.data = vec![0.0; n_chunks * self.block()];
        }
        let mut new_slot = None;
        if new_pair.is_some() {
            if self.len == self.m {
                new_slot = Some(self.head);
                self.head = (self.head + 1) % self.m;
                // Shift the small matrices up-left by one.
                for i in 0..self.m - 1 {
                    for j in 0..self.m - 1 {
                        self.r[i][j] = self.r[i + 1][j + 1];
                        self.yy[i][j] = self.yy[i + 1][j + 1];
                    }
                }
            } else {
                new_slot = Some((self.head + self.len) % self.m);
                self.len += 1;
            }
        }
        let len = self.len;
        self.order.clear();
        self.order
            .extend((0..len).map(|t| (self.head + t) % self.m));
        // Partial layout per chunk: a (len), b (len), then for a new pair
        // s_i·y_new (len) and y_i·y_new (len).
        let width = if new_pair.is_some() { 4 * len } else { 2 * len };
        if width == 0 || n == 0 {
            return;
        }
        self.partials.clear();
        self.partials.resize(n_chunks * width, 0.0);
        let stp = new_pair.map_or(1.0, |p| p.0);
        let ctx = UpdateCtx {
            g,
            d,
            g_old,
            stp,
            new_slot,
            order: &self.order,
            chunk: self.chunk,
        };
        let block = self.block();
        self.partials
            .par_chunks_mut(width)
            .zip(self.data.par_chunks_mut(block))
            .enumerate()
            .for_each(|(c, (part, mem))| update_chunk_fast(&ctx, c, mem, part));
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

/// Read-only inputs of the update pass.
struct UpdateCtx<'a> {
    g: &'a [f64],
    d: &'a [f64],
    g_old: &'a [f64],
    stp: f64,
    /// Slot receiving the new pair, if any.
    new_slot: Option<usize>,
    /// Slots in chronological order (the new one last).
    order: &'a [usize],
    chunk: usize,
}

/// Chunk `c` of [`Memory::update`]: writes the new pair's entries (if any)
/// into the chunk's block `mem` and the chunk's partial dot products into
/// `part`.
#[inline(always)]
fn update_chunk(u: &UpdateCtx<'_>, c: usize, mem: &mut [f64], part: &mut [f64]) {
    let ch = u.chunk;
    let lo = c * ch;
    let hi = (lo + ch).min(u.g.len());
    let w = hi - lo;
    let gc = &u.g[lo..hi];
    let len = u.order.len();
    let has_new = u.new_slot.is_some();
    if let Some(slot) = u.new_slot {
        let dc = &u.d[lo..hi];
        let goc = &u.g_old[lo..hi];
        let (sv, yv) = mem[slot * 2 * ch..(slot + 1) * 2 * ch].split_at_mut(ch);
        for e in 0..w {
            sv[e] = if u.stp == 1.0 { dc[e] } else { u.stp * dc[e] };
            yv[e] = gc[e] - goc[e];
        }
    }
    let mem: &[f64] = mem;
    let yn: &[f64] = match u.new_slot {
        Some(slot) => &mem[slot * 2 * ch + ch..slot * 2 * ch + ch + w],
        None => &[],
    };
    for (i, &slot) in u.order.iter().enumerate() {
        let base = slot * 2 * ch;
        let si = &mem[base..base + w];
        let yi = &mem[base + ch..base + ch + w];
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
    u: &UpdateCtx<'_>,
    c: usize,
    mem: &mut [f64],
    part: &mut [f64],
));

/// Read-only inputs of the direction pass.
struct DirectionCtx<'a> {
    gamma: f64,
    p: &'a [f64],
    t: &'a [f64],
    g: &'a [f64],
    x_old: &'a [f64],
    stp0: f64,
    order: &'a [usize],
    chunk: usize,
}

/// Chunk `c` of [`direction_pass`] (`mem` is the chunk's block); returns the
/// chunk's `gᵀd`.
#[inline(always)]
fn direction_chunk(
    u: &DirectionCtx<'_>,
    c: usize,
    mem: &[f64],
    dc: &mut [f64],
    xc: &mut [f64],
) -> f64 {
    let ch = u.chunk;
    let lo = c * ch;
    let hi = lo + dc.len();
    let w = hi - lo;
    let gamma = u.gamma;
    let gc = &u.g[lo..hi];
    for (dv, gv) in dc.iter_mut().zip(gc) {
        *dv = gamma * gv;
    }
    for (i, &slot) in u.order.iter().enumerate() {
        let base = slot * 2 * ch;
        let (si, yi) = (&mem[base..base + w], &mem[base + ch..base + ch + w]);
        let (pi, ti) = (u.p[i], -gamma * u.t[i]);
        for ((dv, sv), yv) in dc.iter_mut().zip(si).zip(yi) {
            *dv += pi * sv + ti * yv;
        }
    }
    for ((dv, xv), xo) in dc.iter_mut().zip(xc.iter_mut()).zip(&u.x_old[lo..hi]) {
        *dv = -*dv;
        *xv = if u.stp0 == 1.0 {
            xo + *dv
        } else {
            xo + u.stp0 * *dv
        };
    }
    seq_dot(gc, dc)
}

avx2_variant!(fn direction_chunk_fast = direction_chunk(
    u: &DirectionCtx<'_>,
    c: usize,
    mem: &[f64],
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
    let ctx = DirectionCtx {
        gamma,
        p,
        t,
        g,
        x_old,
        stp0,
        order: if mem.len == 0 { &[] } else { &mem.order },
        chunk: mem.chunk,
    };
    let ch = mem.chunk;
    if mem.data.is_empty() {
        d.par_chunks_mut(ch)
            .zip(x.par_chunks_mut(ch))
            .enumerate()
            .map(|(c, (dc, xc))| direction_chunk_fast(&ctx, c, &[], dc, xc))
            .collect_into_vec(partials);
    } else {
        d.par_chunks_mut(ch)
            .zip(x.par_chunks_mut(ch))
            .zip(mem.data.par_chunks(mem.block()))
            .enumerate()
            .map(|(c, ((dc, xc), block))| direction_chunk_fast(&ctx, c, block, dc, xc))
            .collect_into_vec(partials);
    }
    partials.iter().sum()
}

/// Minimizes from `x0`. `fg(x, g, dir)` returns the value at `x`, writes the
/// gradient into `g`, and reports `g·dir` (0 for an empty `dir`) and
/// `max|g|` (see [`Eval`]).
#[allow(dead_code)] // for callers that do not observe the run (and the unit tests)
pub(crate) fn minimize(
    fg: impl FnMut(&[f64], &mut [f64], &[f64]) -> Eval,
    x0: Vec<f64>,
    opts: Options,
) -> Outcome {
    minimize_observed(fg, x0, opts, &ProgressHook::none())
}

/// [`minimize`], reporting each accepted iteration to `progress` (which
/// only observes: the path is the same with or without it).
pub(crate) fn minimize_observed(
    mut fg: impl FnMut(&[f64], &mut [f64], &[f64]) -> Eval,
    x0: Vec<f64>,
    opts: Options,
    progress: &ProgressHook,
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
    let mut mem = Memory::new(opts.m, n);
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
        progress.emit(ProgressEvent::Iteration {
            iter: n_iter,
            max_iter: opts.max_iter,
            loss: f,
            grad_max: gmax,
        });
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
