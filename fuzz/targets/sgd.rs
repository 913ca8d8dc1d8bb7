//! Fuzz target for `SgdClassifier` fit, partial_fit and predict on small
//! arbitrary matrices (NaN, ±inf, 1e300, subnormals, duplicate rows, a
//! single class, dense and CSR) with arbitrary (also invalid) options.
//! Commands: `fuzz/README.md`.
//!
//! Either training returns an `Error`, or the model has finite
//! coefficients, predicts a known class per row, and (log loss, modified
//! Huber) gives probabilities in [0, 1] whose rows sum to 1; a chunk of the
//! wrong width is an `Error` that leaves the model unchanged.

use std::collections::BTreeMap;

use super::gen::{csr, labels, matrix, odd_f64, plain_f64, rare};
use arbitrary::{Result, Unstructured};
use ndarray::Array2;
use proba::linear::{
    ClassWeight, SgdClassifier, SgdClassifierParams, SgdLearningRate, SgdLoss, SgdPenalty,
};
use proba::prelude::*;

fn pick_f64(u: &mut Unstructured, usual: &[f64]) -> Result<f64> {
    if rare(u, 6)? {
        odd_f64(u)
    } else {
        Ok(*u.choose(usual)?)
    }
}

fn params(u: &mut Unstructured) -> Result<SgdClassifierParams<u8>> {
    let mut p = SgdClassifier::params()
        .loss(*u.choose(&[SgdLoss::Hinge, SgdLoss::LogLoss, SgdLoss::ModifiedHuber])?)
        .penalty(*u.choose(&[
            None,
            Some(SgdPenalty::L2),
            Some(SgdPenalty::L1),
            Some(SgdPenalty::ElasticNet),
        ])?)
        .learning_rate(*u.choose(&[
            SgdLearningRate::Optimal,
            SgdLearningRate::Constant,
            SgdLearningRate::InvScaling,
            SgdLearningRate::Adaptive,
        ])?)
        .alpha(pick_f64(u, &[1e-4, 1e-2, 1.0, 0.0])?)
        .eta0(pick_f64(u, &[0.01, 0.5, 1e3])?)
        .l1_ratio(pick_f64(u, &[0.15, 0.0, 1.0])?)
        .power_t(pick_f64(u, &[0.5, -1.0, 2.0])?)
        .max_iter(usize::from(u.int_in_range(0..=20u8)?))
        .n_iter_no_change(usize::from(u.int_in_range(0..=5u8)?))
        .shuffle(u.arbitrary()?)
        .fit_intercept(u.arbitrary()?)
        .seed(if rare(u, 8)? { u.arbitrary()? } else { 7 });
    p = p.tol(match u.int_in_range(0..=3u8)? {
        0 => None,
        1 => Some(odd_f64(u)?),
        _ => Some(1e-3),
    });
    match u.int_in_range(0..=5u8)? {
        0 => p = p.class_weight(ClassWeight::Balanced),
        1 => {
            let mut m = BTreeMap::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                m.insert(u.int_in_range(0..=4u8)?, pick_f64(u, &[2.0, 0.0, 0.5])?);
            }
            p = p.class_weight(ClassWeight::Explicit(m));
        }
        _ => {}
    }
    Ok(p)
}

fn check<X: Features>(m: &SgdClassifier<u8>, x: &X) {
    let labels = match m.predict(x) {
        Ok(l) => l,
        // Coefficients near f64::MAX can overflow a score to NaN.
        Err(Error::InvalidParameter { name: "x", .. }) => return,
        Err(e) => panic!("finite input of the right width: {e}"),
    };
    assert_eq!(labels.len(), x.n_rows());
    assert!(labels.iter().all(|l| m.classes().contains(l)));
    match m.predict_proba(x) {
        Ok(p) => {
            assert!(m.loss().has_probabilities());
            for row in p.rows() {
                assert!(
                    row.iter().all(|v| (0.0..=1.0).contains(v)),
                    "{row} of {m:?}"
                );
                assert!((row.sum() - 1.0).abs() < 1e-9, "row sums to {}", row.sum());
            }
        }
        Err(e) => assert!(
            !m.loss().has_probabilities()
                && matches!(e, Error::InvalidParameter { name: "loss", .. }),
            "{e}"
        ),
    }
}

pub fn sgd_classifier(u: &mut Unstructured) -> Result<()> {
    let p = params(u)?;
    let odd = u.arbitrary()?;
    let x = matrix(u, 7, 4, odd)?;
    let y = labels(u, x.nrows())?;
    let sparse: bool = u.arbitrary()?;
    let chunked: bool = u.arbitrary()?;
    let mut classes = y.clone();
    classes.sort();
    classes.dedup();
    let r = match (sparse, chunked) {
        (true, false) => p.fit(&csr(&x), &y),
        (false, false) => p.fit(&x, &y),
        (true, true) => p.partial_fit(&csr(&x), &y, &classes),
        (false, true) => p.partial_fit(&x, &y, &classes),
    };
    let Ok(mut model) = r else {
        return Ok(());
    };
    super::deep();
    assert!(
        model
            .coef()
            .iter()
            .chain(model.intercept())
            .all(|v| v.is_finite()),
        "{model:?}"
    );
    let ncols = model.n_features();
    check(&model, &x);
    check(&model, &csr(&x));
    let rows = usize::from(u.int_in_range(0..=4u8)?);
    let mut fresh = Array2::zeros((rows, ncols));
    for v in fresh.iter_mut() {
        *v = plain_f64(u)?;
    }
    check(&model, &fresh);
    let before = model.clone();
    let wide = Array2::<f64>::zeros((2, ncols + 1));
    assert!(model.partial_fit(&wide, &y[..y.len().min(2)], &[]).is_err());
    assert_eq!(model, before, "a refused chunk changed the model");
    if model
        .partial_fit(&fresh, &y[..rows.min(y.len())], &[])
        .is_ok()
        && rows <= y.len()
    {
        assert!(model.coef().iter().all(|v| v.is_finite()));
    }
    Ok(())
}
