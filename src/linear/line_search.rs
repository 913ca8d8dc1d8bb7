//! The Moré–Thuente line search (MINPACK-2 `dcsrch` / `dcstep`), as used by
//! L-BFGS-B.
//!
//! It finds a step `stp` along a descent direction satisfying the sufficient
//! decrease condition `f(stp) <= f(0) + ftol·stp·f'(0)` and the curvature
//! condition `|f'(stp)| <= gtol·|f'(0)|`, by safeguarded cubic and quadratic
//! interpolation inside an interval that is known to contain such a step.
//!
//! The search is written as a reverse-communication state machine, like the
//! original: the caller evaluates `f` and `f'` wherever [`Dcsrch::step`]
//! asks ([`Task::Fg`]), until it reports [`Task::Converged`] or a
//! [`Task::Warning`] (no further progress possible; the last evaluated point
//! is still the best available, L-BFGS-B accepts it). Every branch follows
//! the MINPACK-2 code (as also ported in scipy's `_dcsrch.py`), so that the
//! optimizer walks scipy's path.

/// What the caller must do after [`Dcsrch::step`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Task {
    /// Evaluate the function and derivative at the returned step.
    Fg,
    /// Both conditions hold at the returned step.
    Converged,
    /// No progress is possible; the returned step is the last one evaluated.
    Warning(Warning),
    /// The inputs were invalid (e.g. not a descent direction).
    Error(&'static str),
}

/// Why the search stopped without meeting both conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Warning {
    /// Rounding errors prevent progress.
    RoundingErrors,
    /// The bracketing interval is below the relative width `xtol`.
    XtolSatisfied,
    /// The step reached its upper bound.
    StpMax,
    /// The step reached its lower bound.
    StpMin,
}

/// The state of one line search.
#[derive(Debug, Clone)]
pub(crate) struct Dcsrch {
    ftol: f64,
    gtol: f64,
    xtol: f64,
    stpmin: f64,
    stpmax: f64,
    started: bool,
    brackt: bool,
    stage: u8,
    ginit: f64,
    gtest: f64,
    gx: f64,
    gy: f64,
    finit: f64,
    fx: f64,
    fy: f64,
    stx: f64,
    sty: f64,
    stmin: f64,
    stmax: f64,
    width: f64,
    width1: f64,
}

const P5: f64 = 0.5;
const P66: f64 = 0.66;
const XTRAPL: f64 = 1.1;
const XTRAPU: f64 = 4.0;

impl Dcsrch {
    /// A new search with the given tolerances and step bounds.
    pub(crate) fn new(ftol: f64, gtol: f64, xtol: f64, stpmin: f64, stpmax: f64) -> Self {
        Dcsrch {
            ftol,
            gtol,
            xtol,
            stpmin,
            stpmax,
            started: false,
            brackt: false,
            stage: 1,
            ginit: 0.0,
            gtest: 0.0,
            gx: 0.0,
            gy: 0.0,
            finit: 0.0,
            fx: 0.0,
            fy: 0.0,
            stx: 0.0,
            sty: 0.0,
            stmin: 0.0,
            stmax: 0.0,
            width: 0.0,
            width1: 0.0,
        }
    }

    /// One reverse-communication step. On the first call `f`, `g` are the
    /// value and derivative at 0 and `stp` the initial step; afterwards they
    /// are the value and derivative at the `stp` returned last time.
    /// Returns the next (or final) step and the task.
    pub(crate) fn step(&mut self, mut stp: f64, f: f64, g: f64) -> (f64, Task) {
        if !self.started {
            let err = if stp < self.stpmin {
                Some("STP .LT. STPMIN")
            } else if stp > self.stpmax {
                Some("STP .GT. STPMAX")
            } else if g >= 0.0 || g.is_nan() {
                Some("INITIAL G .GE. ZERO")
            } else if self.ftol < 0.0 || self.gtol < 0.0 || self.xtol < 0.0 {
                Some("NEGATIVE TOLERANCE")
            } else if self.stpmin < 0.0 || self.stpmax < self.stpmin {
                Some("BAD STEP BOUNDS")
            } else {
                None
            };
            if let Some(e) = err {
                return (stp, Task::Error(e));
            }
            self.started = true;
            self.brackt = false;
            self.stage = 1;
            self.finit = f;
            self.ginit = g;
            self.gtest = self.ftol * self.ginit;
            self.width = self.stpmax - self.stpmin;
            self.width1 = self.width / P5;
            self.stx = 0.0;
            self.fx = self.finit;
            self.gx = self.ginit;
            self.sty = 0.0;
            self.fy = self.finit;
            self.gy = self.ginit;
            self.stmin = 0.0;
            self.stmax = stp + XTRAPU * stp;
            return (stp, Task::Fg);
        }

        let ftest = self.finit + stp * self.gtest;
        if self.stage == 1 && f <= ftest && g >= 0.0 {
            self.stage = 2;
        }
        // Test for warnings, then for convergence (which takes precedence).
        let mut task = None;
        if self.brackt && (stp <= self.stmin || stp >= self.stmax) {
            task = Some(Task::Warning(Warning::RoundingErrors));
        }
        if self.brackt && self.stmax - self.stmin <= self.xtol * self.stmax {
            task = Some(Task::Warning(Warning::XtolSatisfied));
        }
        if stp == self.stpmax && f <= ftest && g <= self.gtest {
            task = Some(Task::Warning(Warning::StpMax));
        }
        if stp == self.stpmin && (f > ftest || g >= self.gtest) {
            task = Some(Task::Warning(Warning::StpMin));
        }
        if f <= ftest && g.abs() <= self.gtol * -self.ginit {
            task = Some(Task::Converged);
        }
        if let Some(t) = task {
            return (stp, t);
        }

        if self.stage == 1 && f <= self.fx && f > ftest {
            // Use the modified function psi to predict the step while no
            // step with psi <= 0 and f' >= 0 has been found.
            let fm = f - stp * self.gtest;
            let mut fxm = self.fx - self.stx * self.gtest;
            let mut fym = self.fy - self.sty * self.gtest;
            let gm = g - self.gtest;
            let mut gxm = self.gx - self.gtest;
            let mut gym = self.gy - self.gtest;
            let mut st = StepState {
                stx: self.stx,
                fx: &mut fxm,
                dx: &mut gxm,
                sty: self.sty,
                fy: &mut fym,
                dy: &mut gym,
                brackt: self.brackt,
            };
            stp = dcstep(&mut st, stp, fm, gm, self.stmin, self.stmax);
            self.stx = st.stx;
            self.sty = st.sty;
            self.brackt = st.brackt;
            self.fx = fxm + self.stx * self.gtest;
            self.fy = fym + self.sty * self.gtest;
            self.gx = gxm + self.gtest;
            self.gy = gym + self.gtest;
        } else {
            let (mut fx, mut gx, mut fy, mut gy) = (self.fx, self.gx, self.fy, self.gy);
            let mut st = StepState {
                stx: self.stx,
                fx: &mut fx,
                dx: &mut gx,
                sty: self.sty,
                fy: &mut fy,
                dy: &mut gy,
                brackt: self.brackt,
            };
            stp = dcstep(&mut st, stp, f, g, self.stmin, self.stmax);
            self.stx = st.stx;
            self.sty = st.sty;
            self.brackt = st.brackt;
            (self.fx, self.gx, self.fy, self.gy) = (fx, gx, fy, gy);
        }

        // Decide whether a bisection step is needed.
        if self.brackt {
            if (self.sty - self.stx).abs() >= P66 * self.width1 {
                stp = self.stx + P5 * (self.sty - self.stx);
            }
            self.width1 = self.width;
            self.width = (self.sty - self.stx).abs();
        }
        // Set the minimum and maximum steps allowed for stp.
        if self.brackt {
            self.stmin = self.stx.min(self.sty);
            self.stmax = self.stx.max(self.sty);
        } else {
            self.stmin = stp + XTRAPL * (stp - self.stx);
            self.stmax = stp + XTRAPU * (stp - self.stx);
        }
        // Force the step to be within the bounds stpmax and stpmin.
        stp = clip(stp, self.stpmin, self.stpmax);
        // If further progress is not possible, let stp be the best point
        // obtained during the search.
        if self.brackt
            && (stp <= self.stmin
                || stp >= self.stmax
                || self.stmax - self.stmin <= self.xtol * self.stmax)
        {
            stp = self.stx;
        }
        (stp, Task::Fg)
    }
}

/// `np.clip`: NaN stays NaN.
fn clip(v: f64, lo: f64, hi: f64) -> f64 {
    if v < lo {
        lo
    } else if v > hi {
        hi
    } else {
        v
    }
}

/// `np.sign`: -1, 0 or 1 (NaN for NaN).
fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        v
    }
}

/// Python's `max(a, b, c)` on floats, as far as it matters here (NaN-free
/// inputs give the same result as `f64::max`).
fn max3(a: f64, b: f64, c: f64) -> f64 {
    a.max(b).max(c)
}

struct StepState<'s> {
    stx: f64,
    fx: &'s mut f64,
    dx: &'s mut f64,
    sty: f64,
    fy: &'s mut f64,
    dy: &'s mut f64,
    brackt: bool,
}

/// MINPACK-2 `dcstep`: a safeguarded step and the update of the interval
/// that contains a step satisfying both conditions. Returns the new step.
fn dcstep(st: &mut StepState<'_>, stp: f64, fp: f64, dp: f64, stpmin: f64, stpmax: f64) -> f64 {
    let (stx, fx, dx) = (st.stx, *st.fx, *st.dx);
    let (sty, fy, dy) = (st.sty, *st.fy, *st.dy);
    let sgnd = sign(dp) * sign(dx);

    let stpf;
    if fp > fx {
        // Case 1: a higher function value; the minimum is bracketed.
        let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
        let s = max3(theta.abs(), dx.abs(), dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (dx / s) * (dp / s)).sqrt();
        if stp < stx {
            gamma = -gamma;
        }
        let p = (gamma - dx) + theta;
        let q = ((gamma - dx) + gamma) + dp;
        let r = p / q;
        let stpc = stx + r * (stp - stx);
        let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx);
        stpf = if (stpc - stx).abs() <= (stpq - stx).abs() {
            stpc
        } else {
            stpc + (stpq - stpc) / 2.0
        };
        st.brackt = true;
    } else if sgnd < 0.0 {
        // Case 2: lower value, derivatives of opposite sign; bracketed.
        let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
        let s = max3(theta.abs(), dx.abs(), dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (dx / s) * (dp / s)).sqrt();
        if stp > stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + dx;
        let r = p / q;
        let stpc = stp + r * (stx - stp);
        let stpq = stp + (dp / (dp - dx)) * (stx - stp);
        stpf = if (stpc - stp).abs() > (stpq - stp).abs() {
            stpc
        } else {
            stpq
        };
        st.brackt = true;
    } else if dp.abs() < dx.abs() {
        // Case 3: lower value, same sign, the derivative magnitude decreases.
        let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
        let s = max3(theta.abs(), dx.abs(), dp.abs());
        let mut gamma = s * 0f64.max((theta / s).powi(2) - (dx / s) * (dp / s)).sqrt();
        if stp > stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = (gamma + (dx - dp)) + gamma;
        let r = p / q;
        let stpc = if r < 0.0 && gamma != 0.0 {
            stp + r * (stx - stp)
        } else if stp > stx {
            stpmax
        } else {
            stpmin
        };
        let stpq = stp + (dp / (dp - dx)) * (stx - stp);
        if st.brackt {
            let mut f = if (stpc - stp).abs() < (stpq - stp).abs() {
                stpc
            } else {
                stpq
            };
            if stp > stx {
                f = (stp + P66 * (sty - stp)).min(f);
            } else {
                f = (stp + P66 * (sty - stp)).max(f);
            }
            stpf = f;
        } else {
            let f = if (stpc - stp).abs() > (stpq - stp).abs() {
                stpc
            } else {
                stpq
            };
            stpf = clip(f, stpmin, stpmax);
        }
    } else {
        // Case 4: lower value, same sign, the derivative does not decrease.
        stpf = if st.brackt {
            let theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp;
            let s = max3(theta.abs(), dy.abs(), dp.abs());
            let mut gamma = s * ((theta / s).powi(2) - (dy / s) * (dp / s)).sqrt();
            if stp > sty {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = ((gamma - dp) + gamma) + dy;
            let r = p / q;
            stp + r * (sty - stp)
        } else if stp > stx {
            stpmax
        } else {
            stpmin
        };
    }

    // Update the interval which contains a minimizer.
    if fp > fx {
        st.sty = stp;
        *st.fy = fp;
        *st.dy = dp;
    } else {
        if sgnd < 0.0 {
            st.sty = stx;
            *st.fy = fx;
            *st.dy = dx;
        }
        st.stx = stp;
        *st.fx = fp;
        *st.dx = dp;
    }
    stpf
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a search on a 1-D function, returning (step, task, evaluations).
    fn search(phi: impl Fn(f64) -> (f64, f64), stp0: f64) -> (f64, Task, usize) {
        let (f0, g0) = phi(0.0);
        let mut ls = Dcsrch::new(1e-3, 0.9, 0.1, 0.0, 1e10);
        let (mut stp, mut task) = ls.step(stp0, f0, g0);
        let mut evals = 0;
        while task == Task::Fg && evals < 50 {
            let (f, g) = phi(stp);
            evals += 1;
            (stp, task) = ls.step(stp, f, g);
        }
        (stp, task, evals)
    }

    #[test]
    fn quadratic_converges_with_wolfe_conditions() {
        // f(a) = (a - 3)^2, f'(0) = -6.
        let phi = |a: f64| ((a - 3.0).powi(2), 2.0 * (a - 3.0));
        for stp0 in [1e-6, 0.1, 1.0, 100.0] {
            let (stp, task, _) = search(phi, stp0);
            assert_eq!(task, Task::Converged, "stp0 {stp0}");
            let (f, g) = phi(stp);
            assert!(f <= 9.0 + 1e-3 * stp * -6.0);
            assert!(g.abs() <= 0.9 * 6.0);
        }
    }

    #[test]
    fn rejects_ascent_direction() {
        let mut ls = Dcsrch::new(1e-3, 0.9, 0.1, 0.0, 1e10);
        assert!(matches!(ls.step(1.0, 0.0, 1.0).1, Task::Error(_)));
        let mut ls = Dcsrch::new(1e-3, 0.9, 0.1, 0.0, 1e10);
        assert!(matches!(ls.step(1.0, 0.0, f64::NAN).1, Task::Error(_)));
    }

    #[test]
    fn steep_exponential_terminates() {
        // Very badly scaled: f(a) = exp(50 a) - 100 a.
        let phi = |a: f64| {
            (
                (50.0 * a).exp() - 100.0 * a,
                50.0 * (50.0 * a).exp() - 100.0,
            )
        };
        let (stp, task, evals) = search(phi, 1.0);
        assert!(evals <= 50);
        assert!(
            matches!(task, Task::Converged | Task::Warning(_)),
            "{task:?}"
        );
        assert!(phi(stp).0 <= phi(0.0).0);
    }
}
