//! The small numeric kernels both passes share: the compile-time row width,
//! prefetching, `axpy`, and scikit-learn's stable binomial loss.

/// The row width: `K` when it is fixed at compile time, else `k`.
#[inline(always)]
pub(super) fn width<const K: usize>(k: usize) -> usize {
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
pub(super) use with_const_width;

/// scipy's `expit`: `1 / (1 + e^{−z})`.
#[inline]
pub(crate) fn expit(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// How many nonzeros ahead the sparse passes prefetch the row they will
/// gather.
pub(super) const PREFETCH_AHEAD: usize = 8;

/// Asks the CPU to start loading the cache lines of `row` (a hint only: no
/// effect on results, and nothing on other architectures).
#[inline(always)]
pub(super) fn prefetch(row: Option<&[f64]>) {
    for line in row.unwrap_or_default().chunks(8) {
        crate::prefetch::prefetch(&line[0]);
    }
}

/// `y += a·x` over equal-length slices.
#[inline(always)]
pub(super) fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
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
