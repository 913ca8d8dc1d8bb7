//! Fuzz target for logistic regression fit and predict on small arbitrary
//! matrices: NaN, ±inf, 1e300, 1e-300, subnormals, duplicate rows, single
//! rows, constant columns, all-equal labels, dense and CSR input, arbitrary
//! (also invalid) parameters, class and sample weights. Commands: `fuzz/README.md`.
//!
//! Either `fit` returns an `Error`, or the model has finite coefficients and
//! predicts, on finite input of the right width, probabilities in [0, 1]
//! whose rows sum to 1, with `predict` the argmax of `predict_proba`; input
//! of the wrong width or with a NaN is an `Error`.

use std::collections::BTreeMap;

use super::gen::{csr, labels, matrix, odd_f64, plain_f64, rare};
use arbitrary::{Result, Unstructured};
use ndarray::Array2;
use proba::linear::{ClassWeight, LogisticRegression, LogisticRegressionParams, Solver};
use proba::prelude::*;

fn params(u: &mut Unstructured) -> Result<LogisticRegressionParams<u8>> {
    let mut p = LogisticRegression::params();
    // Mostly valid values, sometimes anything (NaN, 0, negative, inf, ...).
    p = match u.int_in_range(0..=5u8)? {
        0 => p.c(odd_f64(u)?),
        k => p.c([1.0, 1e-4, 1e4, 1e12, 0.5][usize::from(k) - 1]),
    };
    if rare(u, 3)? {
        p = p.tol(if u.arbitrary()? { odd_f64(u)? } else { 1e-8 });
    }
    if rare(u, 6)? {
        p = p.ftol(if u.arbitrary()? { odd_f64(u)? } else { 0.0 });
    }
    p = p.max_iter(usize::from(
        u.int_in_range(0..=40u8)?.max(u8::from(!rare(u, 8)?)),
    ));
    p = p.fit_intercept(u.arbitrary()?);
    match u.int_in_range(0..=5u8)? {
        0 => p = p.class_weight(ClassWeight::Balanced),
        1 => {
            let mut m = BTreeMap::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                let w = if u.arbitrary()? { odd_f64(u)? } else { 2.0 };
                m.insert(u.int_in_range(0..=4u8)?, w);
            }
            p = p.class_weight(ClassWeight::Explicit(m));
        }
        _ => {}
    }
    if rare(u, 3)? {
        p = p.solver(Solver::NewtonCg);
    }
    Ok(p)
}

/// Checks the probability invariants of `m` on `x` (finite, right width).
fn check_predictions<X: Features>(m: &LogisticRegression<u8>, x: &X) {
    let p = m.predict_proba(x).expect("finite input of the right width");
    assert_eq!(p.dim(), (x.n_rows(), m.classes().len()));
    let labels = m.predict(x).expect("predict");
    let via_trait = PredictProba::predict(m, x).expect("predict");
    for ((row, label), l2) in p.rows().into_iter().zip(&labels).zip(&via_trait) {
        assert!(
            row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)),
            "probabilities {row} of model {m:?}"
        );
        assert!((row.sum() - 1.0).abs() < 1e-12, "row sums to {}", row.sum());
        assert!(m.classes().contains(label));
        assert_eq!(label, l2, "predict disagrees with argmax of {row}");
    }
}

pub fn logistic_regression(u: &mut Unstructured) -> arbitrary::Result<()> {
    let p = params(u)?;
    let odd = u.arbitrary()?;
    let x = matrix(u, 7, 4, odd)?;
    let y = labels(u, x.nrows())?;
    let mut y = y;
    if rare(u, 8)? {
        y.pop(); // a label count mismatch
    }
    let sparse = u.arbitrary::<bool>()?;
    let weights: Option<Vec<f64>> = if rare(u, 4)? {
        let odd = u.arbitrary::<bool>()?;
        Some(
            (0..y.len())
                .map(|_| {
                    if odd {
                        odd_f64(u)
                    } else {
                        Ok(f64::from(u.int_in_range(0..=3u8)?))
                    }
                })
                .collect::<Result<_>>()?,
        )
    } else {
        None
    };
    let fit = |x: &dyn Fn() -> Array2<f64>| {
        let x = x();
        let r = match (&weights, sparse) {
            (Some(w), true) => p.fit_weighted(&csr(&x), &y, w),
            (Some(w), false) => p.fit_weighted(&x, &y, w),
            (None, true) => p.fit(&csr(&x), &y),
            (None, false) => p.fit(&x.view(), &y),
        };
        r
    };
    let model = match fit(&|| x.clone()) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    super::deep();
    assert!(model.coef().iter().all(|v| v.is_finite()), "{model:?}");
    assert!(model.intercept().iter().all(|v| v.is_finite()), "{model:?}");
    assert!(model.n_iter() <= 40);
    assert!(
        model.objective().is_finite(),
        "{model:?}\nx = {x}\ny = {y:?}\nw = {weights:?}"
    );
    let ncols = model.n_features();
    assert_eq!(ncols, x.ncols());
    // Predict on the training matrix and on fresh finite input.
    check_predictions(&model, &x);
    check_predictions(&model, &csr(&x));
    let rows = usize::from(u.int_in_range(0..=5u8)?);
    let mut fresh = Array2::zeros((rows, ncols));
    for v in fresh.iter_mut() {
        *v = plain_f64(u)?;
    }
    check_predictions(&model, &fresh);
    check_predictions(&model, &csr(&fresh));
    // Wrong width and non-finite input are errors, not panics.
    assert!(model
        .predict_proba(&Array2::<f64>::zeros((2, ncols + 1)))
        .is_err());
    if rows > 0 && ncols > 0 {
        fresh[[rows - 1, ncols - 1]] = f64::NAN;
        assert!(matches!(
            model.predict_proba(&fresh),
            Err(Error::NonFinite { .. })
        ));
        assert!(model.predict(&csr(&fresh)).is_err());
    }
    Ok(())
}
