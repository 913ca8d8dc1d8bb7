//! Newton-CG: scikit-learn's `solver="newton-cg"` (`sklearn.utils.optimize._newton_cg`).
//!
//! Each iteration solves `H d = −g` approximately by conjugate gradients
//! (at most `max_inner = 200` steps, stopped when `‖r‖₁ <= min(0.5, √‖g‖₁)·‖g‖₁`,
//! on tiny curvature, or on negative curvature), then takes a step along `d`
//! chosen by scipy's `line_search_wolfe1` (the Moré–Thuente search with
//! `c1 = 1e-4`, `c2 = 0.9`, `xtol = 1e-14`, steps in `[1e-8, 50]`, first
//! trial `min(1, 1.01·2·(f − f_prev)/gᵀd)`), with scikit-learn's fallback of
//! accepting the full step when the loss is flat to rounding and `‖g‖₁`
//! decreases. It stops when `max|g| <= tol` (converged), after `max_iter`
//! iterations, or when no step is found (the model is then the last good
//! iterate).
//!
//! Two departures, both only reachable at rounding level: when wolfe1 and
//! the fallback fail, scikit-learn tries scipy's `line_search_wolfe2`
//! before giving up, and this stops instead; a non-finite trial value ends
//! the search (and a non-finite curvature ends CG) at once, where scipy
//! would carry NaNs a few steps further to the same failure.
//!
//! The Hessian products cost about one gradient each and need no stored
//! history, so on problems with many coefficients (TF-IDF × many classes)
//! an iteration moves far less memory than L-BFGS's ten stored pairs, and a
//! few iterations reach the optimum. It does not walk L-BFGS's path: with
//! default settings its probabilities match scikit-learn's `newton-cg`
//! closely, not its `lbfgs`.
//!
//! All vector operations use [`super::vector`]'s fixed chunking, so the
//! result does not depend on the number of threads.

use super::line_search::{Dcsrch, Task};
use super::objective::{Eval, Objective};
use super::solver::{Outcome, StopReason};
use super::vector::{abs_sum, add_scaled, axpy, axpy_norms, cg_update, dot};
use crate::progress::{ProgressEvent, ProgressHook};

/// scikit-learn's cap on the conjugate-gradient steps per iteration.
const MAX_INNER: usize = 200;
/// scipy's cap on line-search evaluations (`line_search_wolfe1`).
const MAX_LS: usize = 100;

/// Minimizes the objective from `x0` with at most `max_iter` Newton
/// iterations, stopping when `max|g| <= tol`; each finished iteration is
/// reported to `progress` (which only observes).
pub(crate) fn minimize(
    obj: &mut Objective<'_>,
    x0: Vec<f64>,
    tol: f64,
    max_iter: usize,
    progress: &ProgressHook,
) -> Outcome {
    obj.keep_curvature();
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut e = obj.eval(&x, &mut g, &[]);
    let mut partials = Vec::new();
    let mut prev_f: Option<f64> = None;
    let mut cg = Cg::new(n);
    let mut x_trial = vec![0.0; n];
    let mut g_trial = vec![0.0; n];
    let mut n_iter = 0;
    let stop = loop {
        if !e.f.is_finite() || e.gmax.is_nan() {
            break StopReason::LineSearchFailed;
        }
        if n_iter >= max_iter {
            break StopReason::MaxIter;
        }
        if e.gmax <= tol {
            break StopReason::Gradient;
        }
        let g1 = abs_sum(&g, &mut partials);
        let d = cg.solve(obj, &g, g1, 0.5f64.min(g1.sqrt()) * g1);
        let gd = dot(&g, d, &mut partials);
        let first = match prev_f {
            Some(pf) if gd != 0.0 => {
                let a = (1.01 * 2.0 * (e.f - pf) / gd).min(1.0);
                if a < 0.0 {
                    1.0
                } else {
                    a
                }
            }
            _ => 1.0,
        };
        let mut trial = |stp: f64, xt: &mut [f64], gt: &mut [f64]| {
            add_scaled(&x, stp, d, xt);
            obj.eval(xt, gt, d)
        };
        let found = wolfe1(&mut trial, first, e.f, gd, &mut x_trial, &mut g_trial).or_else(|| {
            // scikit-learn's fallback: the full step, if the loss is flat to
            // rounding there and the gradient's 1-norm went down.
            let et = trial(1.0, &mut x_trial, &mut g_trial);
            let flat = (et.f - e.f).abs() <= (e.f * 16.0 * f64::EPSILON).abs();
            (flat && abs_sum(&g_trial, &mut partials) < g1).then_some(et)
        });
        let Some(et) = found else {
            // The objective's curvature now belongs to a trial point, but
            // the run ends here with the last good iterate.
            break StopReason::LineSearchFailed;
        };
        std::mem::swap(&mut x, &mut x_trial);
        std::mem::swap(&mut g, &mut g_trial);
        prev_f = Some(e.f);
        e = et;
        n_iter += 1;
        progress.emit(ProgressEvent::Iteration {
            iter: n_iter,
            max_iter,
            loss: e.f,
            grad_max: e.gmax,
        });
    };
    Outcome {
        x,
        f: e.f,
        n_iter,
        stop,
    }
}

/// scipy's `line_search_wolfe1`: Moré–Thuente from `first`; a warning or an
/// error of the search is a failure (`None`). On success the accepted point
/// and its gradient are in `xt`, `gt` (the search ends on the step it
/// evaluated last).
fn wolfe1(
    trial: &mut impl FnMut(f64, &mut [f64], &mut [f64]) -> Eval,
    first: f64,
    f0: f64,
    gd0: f64,
    xt: &mut [f64],
    gt: &mut [f64],
) -> Option<Eval> {
    // Not a descent direction (or NaN): scipy's search refuses it too.
    if gd0.is_nan() || gd0 >= 0.0 {
        return None;
    }
    let mut ls = Dcsrch::new(1e-4, 0.9, 1e-14, 1e-8, 50.0);
    let (mut stp, mut task) = ls.step(first, f0, gd0);
    let mut last = None;
    for _ in 0..MAX_LS {
        match task {
            Task::Fg => {
                if !stp.is_finite() {
                    return None;
                }
                let e = trial(stp, xt, gt);
                if !e.f.is_finite() || !e.gd.is_finite() {
                    return None;
                }
                last = Some(e);
                (stp, task) = ls.step(stp, e.f, e.gd);
            }
            Task::Converged => return last,
            Task::Warning(_) | Task::Error(_) => return None,
        }
    }
    None
}

/// Work vectors of the conjugate-gradient solve, kept across iterations.
struct Cg {
    /// The solution `d`.
    xs: Vec<f64>,
    /// The residual `g + H d`.
    r: Vec<f64>,
    /// The search direction and its Hessian product.
    p: Vec<f64>,
    hp: Vec<f64>,
    /// Chunk partial sums of the vector passes.
    partials: Vec<f64>,
    partials2: Vec<(f64, f64)>,
}

impl Cg {
    fn new(n: usize) -> Cg {
        Cg {
            xs: vec![0.0; n],
            r: vec![0.0; n],
            p: vec![0.0; n],
            hp: vec![0.0; n],
            partials: Vec::new(),
            partials2: Vec::new(),
        }
    }

    /// scikit-learn's `_cg`: approximately solves `H d = −g` at the point
    /// of the objective's last evaluation, where `g1 = ‖g‖₁`; returns `d`.
    /// Each step is one Hessian product and three vector passes.
    fn solve(&mut self, obj: &mut Objective<'_>, g: &[f64], g1: f64, tol: f64) -> &[f64] {
        let eps = 16.0 * f64::EPSILON;
        self.xs.fill(0.0);
        self.r.copy_from_slice(g);
        for (p, r) in self.p.iter_mut().zip(g) {
            *p = -r;
        }
        let mut rr = dot(&self.r, &self.r, &mut self.partials);
        let mut r1 = g1;
        let mut p_norm2 = rr;
        for i in 0..=MAX_INNER {
            if r1 <= tol {
                break;
            }
            obj.hess_prod(&self.p, &mut self.hp);
            // A separate pass: summed inside the gradient pass the rounding
            // differs, and near a tight tolerance that can change the path.
            let curv = dot(&self.p, &self.hp, &mut self.partials);
            if !curv.is_finite() || (0.0..=eps * p_norm2).contains(&curv) {
                break;
            }
            if curv < 0.0 {
                if i == 0 {
                    // Steepest descent, scaled as scikit-learn does.
                    axpy(rr / curv, &self.p, &mut self.xs);
                }
                break;
            }
            let alpha = rr / curv;
            let rr_new;
            (rr_new, r1) = axpy_norms(alpha, &self.hp, &mut self.r, &mut self.partials2);
            let beta = rr_new / rr;
            cg_update(alpha, beta, &mut self.p, &self.r, &mut self.xs);
            p_norm2 = rr_new + beta * beta * p_norm2;
            rr = rr_new;
        }
        &self.xs
    }
}
