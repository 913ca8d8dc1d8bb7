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

mod memory;

use memory::{direction_pass, Memory};

use super::line_search::{Dcsrch, Task};
pub(crate) use super::objective::Eval;
use super::solver::{Outcome, StopReason};
use super::vector::{add_scaled, dot};
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
mod tests;
