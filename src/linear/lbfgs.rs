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

/// Entries per parallel task in the vector operations.
const VEC_CHUNK: usize = 16 * 1024;

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

fn seq_dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `y += alpha·x`, in parallel (element-wise, so trivially deterministic).
fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    y.par_chunks_mut(VEC_CHUNK)
        .zip(x.par_chunks(VEC_CHUNK))
        .for_each(|(yc, xc)| {
            for (yv, xv) in yc.iter_mut().zip(xc) {
                *yv += alpha * xv;
            }
        });
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

fn inf_norm(v: &[f64]) -> f64 {
    // NaN makes the norm NaN, which then fails every `<=` test.
    v.iter().fold(0.0, |m: f64, x| {
        if x.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(x.abs())
        }
    })
}

/// The limited memory: up to `m` pairs in a ring.
struct Memory {
    s: Vec<Vec<f64>>,
    y: Vec<Vec<f64>>,
    rho: Vec<f64>,
    alpha: Vec<f64>,
    /// Index of the oldest pair.
    head: usize,
    len: usize,
    m: usize,
    /// `yᵀy / sᵀy` of the newest pair (L-BFGS-B's theta).
    theta: f64,
}

impl Memory {
    fn new(m: usize) -> Self {
        Memory {
            s: Vec::with_capacity(m),
            y: Vec::with_capacity(m),
            rho: vec![0.0; m],
            alpha: vec![0.0; m],
            head: 0,
            len: 0,
            m,
            theta: 1.0,
        }
    }

    fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
        self.theta = 1.0;
    }

    /// Slot for a new pair (the oldest one is overwritten when full).
    fn push_slot(&mut self, dim: usize) -> usize {
        let slot = if self.len < self.m {
            let slot = (self.head + self.len) % self.m;
            self.len += 1;
            slot
        } else {
            let slot = self.head;
            self.head = (self.head + 1) % self.m;
            slot
        };
        while self.s.len() <= slot {
            self.s.push(vec![0.0; dim]);
            self.y.push(vec![0.0; dim]);
        }
        slot
    }

    /// `d = −H g` by the two-loop recursion.
    fn direction(&mut self, g: &[f64], d: &mut [f64], partials: &mut Vec<f64>) {
        for (dv, gv) in d.iter_mut().zip(g) {
            *dv = -gv;
        }
        if self.len == 0 {
            return;
        }
        // q = -g, so the recursion produces -H g directly.
        for t in (0..self.len).rev() {
            let i = (self.head + t) % self.m;
            let a = self.rho[i] * dot(&self.s[i], d, partials);
            self.alpha[i] = a;
            axpy(-a, &self.y[i], d);
        }
        let inv_theta = 1.0 / self.theta;
        d.par_chunks_mut(VEC_CHUNK).for_each(|c| {
            for v in c {
                *v *= inv_theta;
            }
        });
        for t in 0..self.len {
            let i = (self.head + t) % self.m;
            let b = self.rho[i] * dot(&self.y[i], d, partials);
            axpy(self.alpha[i] - b, &self.s[i], d);
        }
    }
}

/// Minimizes `fg` (value, writing the gradient into its second argument)
/// from `x0`.
pub(crate) fn minimize(
    mut fg: impl FnMut(&[f64], &mut [f64]) -> f64,
    x0: Vec<f64>,
    opts: Options,
) -> Outcome {
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut f = fg(&x, &mut g);
    let mut nfev = 1usize;
    let mut partials = Vec::new();
    if !f.is_finite() || inf_norm(&g).is_nan() {
        return Outcome {
            x,
            f,
            n_iter: 0,
            stop: StopReason::LineSearchFailed,
        };
    }
    if inf_norm(&g) <= opts.gtol {
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
    let mut n_iter = 0usize;

    loop {
        mem.direction(&g, &mut d, &mut partials);
        let dnorm = dot(&d, &d, &mut partials).sqrt();
        let stp0 = if n_iter == 0 {
            (1.0 / dnorm).min(1e10)
        } else {
            1.0
        };
        x_old.copy_from_slice(&x);
        g_old.copy_from_slice(&g);
        let f_old = f;
        let gd_old = dot(&g, &d, &mut partials);

        // The line search; `ok` is false on failure.
        let mut ok = false;
        let mut stp = stp0;
        let mut gd = gd_old;
        if gd_old < 0.0 && stp0.is_finite() {
            let mut ls = Dcsrch::new(1e-3, 0.9, 0.1, 0.0, 1e10);
            let (s, mut task) = ls.step(stp0, f_old, gd_old);
            stp = s;
            let mut evals = 0usize;
            loop {
                match task {
                    Task::Converged | Task::Warning(_) => {
                        ok = evals > 0;
                        break;
                    }
                    Task::Error(_) => break,
                    Task::Fg => {
                        if evals >= opts.maxls || !stp.is_finite() {
                            break;
                        }
                        add_scaled(&x_old, stp, &d, &mut x);
                        f = fg(&x, &mut g);
                        nfev += 1;
                        evals += 1;
                        gd = dot(&g, &d, &mut partials);
                        if !f.is_finite() || !gd.is_finite() {
                            break;
                        }
                        let (s, t) = ls.step(stp, f, gd);
                        stp = s;
                        task = t;
                    }
                }
            }
        }
        if !ok {
            // Restore the previous iterate.
            x.copy_from_slice(&x_old);
            g.copy_from_slice(&g_old);
            f = f_old;
            if mem.len == 0 {
                return Outcome {
                    x,
                    f,
                    n_iter,
                    stop: StopReason::LineSearchFailed,
                };
            }
            // Refresh the memory and retry along the steepest descent.
            mem.clear();
            continue;
        }
        // The accepted point is the last one evaluated, at step `stp`
        // (a warning returns that same step).
        n_iter += 1;
        if n_iter >= opts.max_iter {
            return Outcome {
                x,
                f,
                n_iter,
                stop: StopReason::MaxIter,
            };
        }
        if nfev > opts.max_fun {
            return Outcome {
                x,
                f,
                n_iter,
                stop: StopReason::MaxEvaluations,
            };
        }
        if inf_norm(&g) <= opts.gtol {
            return Outcome {
                x,
                f,
                n_iter,
                stop: StopReason::Gradient,
            };
        }
        if f_old - f <= opts.ftol * f_old.abs().max(f.abs()).max(1.0) {
            return Outcome {
                x,
                f,
                n_iter,
                stop: StopReason::ObjectiveChange,
            };
        }
        // Pair update, with L-BFGS-B's skip rule.
        let (dr, ddum) = if stp == 1.0 {
            (gd - gd_old, -gd_old)
        } else {
            ((gd - gd_old) * stp, -gd_old * stp)
        };
        if dr <= f64::EPSILON * ddum {
            continue;
        }
        let slot = mem.push_slot(n);
        {
            let (sv, yv) = (&mut mem.s[slot], &mut mem.y[slot]);
            sv.par_chunks_mut(VEC_CHUNK)
                .zip(yv.par_chunks_mut(VEC_CHUNK))
                .zip(d.par_chunks(VEC_CHUNK))
                .zip(g.par_chunks(VEC_CHUNK).zip(g_old.par_chunks(VEC_CHUNK)))
                .for_each(|(((sc, yc), dc), (gc, goc))| {
                    for (((s, y), dv), (gv, gov)) in sc
                        .iter_mut()
                        .zip(yc.iter_mut())
                        .zip(dc)
                        .zip(gc.iter().zip(goc))
                    {
                        *s = if stp == 1.0 { *dv } else { stp * dv };
                        *y = gv - gov;
                    }
                });
        }
        let rr = dot(&mem.y[slot], &mem.y[slot], &mut partials);
        mem.rho[slot] = 1.0 / dr;
        mem.theta = rr / dr;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock in 2-D.
    fn rosen(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn minimizes_rosenbrock() {
        let out = minimize(rosen, vec![-1.2, 1.0], Options::sklearn(1e-8, 1000));
        assert!(out.stop.converged(), "{:?}", out.stop);
        assert!((out.x[0] - 1.0).abs() < 1e-4 && (out.x[1] - 1.0).abs() < 1e-4);
    }

    #[test]
    fn iteration_limit_is_reported() {
        let out = minimize(rosen, vec![-1.2, 1.0], Options::sklearn(1e-8, 3));
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
        let out = minimize(f, vec![0.0], Options::sklearn(1e-4, 50));
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
        let out = minimize(f, vec![0.0], Options::sklearn(1e-10, 100));
        assert!(out.f.is_finite());
        assert!(out.x[0] <= 0.5);
    }

    #[test]
    fn already_optimal_start_takes_no_step() {
        let out = minimize(rosen, vec![1.0, 1.0], Options::sklearn(1e-4, 100));
        assert_eq!((out.n_iter, out.stop), (0, StopReason::Gradient));
    }
}
