//! Numerical robustness of logistic regression: separable data (the
//! unpenalized optimum is at infinity), features scaled by 1e8 and by 1e-8,
//! and 10,000 classes of one sample each. Each run must finish with finite
//! coefficients, valid probabilities and a clear convergence report
//! (`converged()`, `n_iter()`, `stop_reason()`), within a bounded
//! `max_iter` so the tests stay fast.

use ndarray::Array2;
use proba::linear::{LogisticRegression, StopReason};
use proba::prelude::*;

use crate::support;

/// `n` rows, 3 features, 3 classes, deterministic and learnable (not separable).
fn blobs(n: usize) -> (Array2<f64>, Vec<u8>) {
    let mut state = support::xorshift(0x1234_5678_9abc_def1);
    let mut next = move || (state() % 10_000) as f64 / 10_000.0 - 0.5;
    let mut x = Array2::zeros((n, 3));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let c = (i % 3) as u8;
        y.push(c);
        for j in 0..3 {
            x[[i, j]] = if j == usize::from(c) { 1.0 } else { 0.0 } + 1.5 * next();
        }
    }
    (x, y)
}

/// The report is coherent: converged iff the stop reason says so, and a
/// run that did not converge says why.
fn check_report<L: Label>(m: &LogisticRegression<L>, max_iter: usize) {
    assert!(
        m.n_iter() <= max_iter,
        "n_iter {} > max_iter {max_iter}",
        m.n_iter()
    );
    assert_eq!(m.converged(), m.stop_reason().converged());
    if m.stop_reason() == StopReason::MaxIter {
        assert_eq!(m.n_iter(), max_iter);
    }
    assert!(
        m.coef().iter().all(|v| v.is_finite()),
        "non-finite coefficient"
    );
    assert!(
        m.intercept().iter().all(|v| v.is_finite()),
        "non-finite intercept"
    );
    assert!(m.objective().is_finite());
}

fn check_proba<L: Label, X: Features>(m: &LogisticRegression<L>, x: &X) -> Array2<f64> {
    let p = m.predict_proba(x).unwrap();
    for r in p.rows() {
        assert!(
            r.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)),
            "{r}"
        );
        assert!((r.sum() - 1.0).abs() < 1e-12);
    }
    p
}

#[test]
fn separable_data_with_weak_penalty() {
    // Two classes split by x0 > 0, and three classes split by x0 and x1.
    let x = ndarray::array![
        [-2.0, 0.5],
        [-1.0, -0.5],
        [-0.5, 0.1],
        [0.5, 0.2],
        [1.0, -0.3],
        [2.0, 0.4]
    ];
    let y2 = [0u8, 0, 0, 1, 1, 1];
    for c in [1.0, 1e4, 1e10] {
        let m = LogisticRegression::params()
            .c(c)
            .max_iter(200)
            .fit(&x, &y2)
            .unwrap();
        check_report(&m, 200);
        let p = check_proba(&m, &x);
        assert_eq!(m.predict(&x).unwrap(), y2, "c = {c}");
        // The weaker the penalty, the more confident the model.
        assert!(p[[0, 0]] > 0.5 && p[[5, 1]] > 0.5);
        println!(
            "separable binary, C={c:e}: n_iter={} stop={:?} |coef|max={:.3e}",
            m.n_iter(),
            m.stop_reason(),
            m.coef().iter().fold(0.0f64, |a, v| a.max(v.abs()))
        );
    }
    let x3 = ndarray::array![
        [3.0, 0.0],
        [3.5, 0.2],
        [0.0, 3.0],
        [0.1, 3.2],
        [-3.0, -3.0],
        [-3.2, -2.9]
    ];
    let y3 = ["a", "a", "b", "b", "c", "c"].map(String::from);
    let m = LogisticRegression::params()
        .c(1e8)
        .max_iter(100)
        .fit(&x3, &y3)
        .unwrap();
    check_report(&m, 100);
    check_proba(&m, &x3);
    assert_eq!(m.predict(&x3).unwrap(), y3);
    let sparse = CsrMatrix::from_dense(x3.view());
    let ms = LogisticRegression::params()
        .c(1e8)
        .max_iter(100)
        .fit(&sparse, &y3)
        .unwrap();
    check_report(&ms, 100);
    assert_eq!(ms.predict(&sparse).unwrap(), y3);
}

#[test]
fn features_scaled_by_1e8_and_1e_minus_8() {
    let (x, y) = blobs(300);
    let base = LogisticRegression::params()
        .max_iter(100)
        .fit(&x, &y)
        .unwrap();
    check_report(&base, 100);
    let base_pred = base.predict(&x).unwrap();
    for scale in [1e8, 1e-8] {
        let xs = &x * scale;
        for sparse in [false, true] {
            let m = if sparse {
                LogisticRegression::params()
                    .max_iter(100)
                    .fit(&CsrMatrix::from_dense(xs.view()), &y)
            } else {
                LogisticRegression::params().max_iter(100).fit(&xs, &y)
            }
            .unwrap();
            check_report(&m, 100);
            check_proba(&m, &xs);
            let agree = m
                .predict(&xs)
                .unwrap()
                .iter()
                .zip(&base_pred)
                .filter(|(a, b)| a == b)
                .count();
            println!(
                "scale {scale:e} sparse={sparse}: n_iter={} stop={:?} converged={} \
                 agreement with unscaled={agree}/300",
                m.n_iter(),
                m.stop_reason(),
                m.converged()
            );
            if scale > 1.0 {
                // Large features: the penalty hardly matters, the fit is
                // at least as good as on the unscaled data.
                let acc = m
                    .predict(&xs)
                    .unwrap()
                    .iter()
                    .zip(&y)
                    .filter(|(a, b)| a == b)
                    .count();
                let base_acc = base_pred.iter().zip(&y).filter(|(a, b)| a == b).count();
                assert!(acc + 3 >= base_acc, "accuracy {acc} vs {base_acc}");
            } else {
                // Tiny features: the penalty dominates, coefficients ~0 and
                // probabilities are the (balanced) class priors.
                let p = m.predict_proba(&xs).unwrap();
                assert!(p.iter().all(|v| (v - 1.0 / 3.0).abs() < 1e-3), "{p}");
            }
        }
    }
}

#[test]
fn ten_thousand_classes_of_one_sample() {
    let k = 10_000usize;
    // Two features; each class is one point on a spiral.
    let x = Array2::from_shape_fn((k, 2), |(i, j)| {
        let t = i as f64 * 0.01;
        if j == 0 {
            t.cos() * (1.0 + t)
        } else {
            t.sin() * (1.0 + t)
        }
    });
    let y: Vec<u32> = (0..k as u32).collect();
    // Each objective evaluation touches n x K = 1e8 scores (800 MB of
    // residuals), so the iteration budget is tiny: the point is a finite
    // model and an honest "not converged" report, not the optimum.
    let max_iter = 2;
    let m = LogisticRegression::params()
        .max_iter(max_iter)
        .fit(&CsrMatrix::from_dense(x.view()), &y)
        .unwrap();
    check_report(&m, max_iter);
    assert_eq!(m.classes().len(), k);
    assert_eq!(m.coef().dim(), (k, 2));
    let p = check_proba(&m, &x.slice(ndarray::s![..50, ..]));
    assert_eq!(p.ncols(), k);
    println!(
        "10,000 classes: n_iter={} stop={:?} converged={}",
        m.n_iter(),
        m.stop_reason(),
        m.converged()
    );
}

/// Regression (fuzz seed `logistic_regression/overflowing_weights.bin`):
/// weights whose sum is finite but whose weighted loss overflows used to
/// give a "fitted" model with an infinite objective; now an error naming
/// `sample_weight`.
#[test]
fn overflowing_sample_weights_are_an_error() {
    let x = ndarray::array![[-1.0, -1.5, 2.5], [-1.0, -1.5, 2.5], [-1.0, 2.0, 0.0]];
    let y = [0u8, 3, 1];
    let w = [f64::MIN_POSITIVE, f64::MAX, 0.0];
    let err = LogisticRegression::params()
        .fit_weighted(&x, &y, &w)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "sample_weight",
                ..
            }
        ),
        "{err}"
    );
    // Large but representable weights still train.
    let m = LogisticRegression::params()
        .fit_weighted(&x, &y, &[1e300, 1e300, 1e300])
        .unwrap();
    assert!(m.objective().is_finite());
}

#[test]
fn a_fit_on_billions_of_declared_columns_is_an_error_naming_the_size() {
    // A coefficient per declared column: 4294967000 of them (and the
    // solver's copies) cannot be allocated, so the fit says so up front.
    let x = support::wide(4_294_967_000);
    let y: Vec<String> = ["a", "b", "a", "b"].map(String::from).to_vec();
    let lr = LogisticRegression::params().fit(&x, &y).unwrap_err();
    // Four classes: four rows of coefficients, about 128 GiB.
    let y4: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let sgd = proba::linear::SgdClassifier::params()
        .fit(&x, &y4)
        .unwrap_err();
    for e in [lr, sgd] {
        support::assert_refused_as_too_wide(e);
    }
}
