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
