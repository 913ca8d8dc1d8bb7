//! Robustness of trees and forests on degenerate data: one sample, one
//! feature, all-identical features, a single class, values beyond f32
//! (trees split on f32 thresholds, as scikit-learn), and absurd
//! `max_samples`. Each case gives valid probabilities or a clear `Error`.

use ndarray::{array, Array2};
use proba::ensemble::RandomForestClassifier;
use proba::prelude::*;
use proba::tree::{DecisionTreeClassifier, SampleSize};

use crate::support;

fn assert_distributions(p: &Array2<f64>, n_rows: usize, n_classes: usize) {
    assert_eq!(p.dim(), (n_rows, n_classes));
    for r in p.rows() {
        assert!(
            r.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)),
            "{r}"
        );
        assert!((r.sum() - 1.0).abs() < 1e-12, "row sums to {}", r.sum());
    }
}

fn forest() -> proba::ensemble::RandomForestParams<u8> {
    RandomForestClassifier::params().n_estimators(10).seed(3)
}

#[test]
fn one_sample() {
    let x = array![[1.0, 2.0]];
    let m = forest().fit(&x, &[4u8]).unwrap();
    assert_eq!(m.classes(), [4]);
    let p = m.predict_proba(&array![[0.0, 0.0], [9.0, -9.0]]).unwrap();
    assert_distributions(&p, 2, 1);
    assert_eq!(p, array![[1.0], [1.0]]);
    assert_eq!(m.predict(&array![[5.0, 5.0]]).unwrap(), [4]);
    let t = DecisionTreeClassifier::params().fit(&x, &[4u8]).unwrap();
    assert_eq!(t.node_count(), 1);
    // With oob_score, one row is out of bag of some trees only; the
    // estimate is NaN-free or absent, never a panic.
    let oob = forest().oob_score(true).fit(&x, &[4u8]);
    if let Ok(m) = oob {
        if let Some(s) = m.oob_score() {
            assert!(s.is_nan() || (0.0..=1.0).contains(&s));
        }
    }
}

#[test]
fn one_feature() {
    let x = array![[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]];
    let y = [0u8, 0, 0, 1, 1, 1];
    let m = forest().fit(&x, &y).unwrap();
    let p = m.predict_proba(&x).unwrap();
    assert_distributions(&p, 6, 2);
    assert_eq!(m.predict(&x).unwrap(), y);
    let sparse = CsrMatrix::from_dense(x.view());
    assert_eq!(m.predict_proba(&sparse).unwrap(), p);
    assert_eq!(m.feature_importances(), [1.0]);
}

#[test]
fn all_identical_features() {
    // Nothing to split on: every tree is a single leaf with the class
    // frequencies of its bootstrap sample.
    let x = Array2::from_elem((9, 3), 0.5);
    let y = [0u8, 1, 2, 0, 1, 2, 0, 0, 0];
    let m = forest().fit(&x, &y).unwrap();
    let p = m.predict_proba(&x).unwrap();
    assert_distributions(&p, 9, 3);
    // Every row gets the same answer, and the majority class wins.
    for r in p.rows() {
        assert_eq!(r, p.row(0));
    }
    assert!(m.feature_importances().iter().all(|&v| v == 0.0));
    let t = DecisionTreeClassifier::params().fit(&x, &y).unwrap();
    assert_eq!(t.node_count(), 1);
    let pt = t.predict_proba(&x).unwrap();
    assert_distributions(&pt, 9, 3);
    assert!((pt[[0, 0]] - 5.0 / 9.0).abs() < 1e-15);
    // All-zero features as CSR (no stored entries at all).
    let zeros = CsrMatrix::zeros(9, 3);
    let mz = forest().fit(&zeros, &y).unwrap();
    assert_distributions(&mz.predict_proba(&zeros).unwrap(), 9, 3);
}

#[test]
fn values_beyond_f32_range() {
    // Trees compare in f32, as scikit-learn does; 1e300 is finite in f64.
    let x = array![[1e300], [-1e300], [1e-300], [3.0e38], [-3.0e38], [0.0]];
    let y = [1u8, 0, 0, 1, 0, 0];
    match forest().fit(&x, &y) {
        Ok(m) => {
            let p = m.predict_proba(&x).unwrap();
            assert_distributions(&p, 6, 2);
        }
        Err(e) => assert!(e.to_string().contains("row"), "unclear error: {e}"),
    }
}

/// Regression (fuzz target `random_forest`): `max_samples(1e300)` resolved
/// to `usize::MAX` draws per tree, and libFuzzer found `max_samples(1 << 33)`
/// on a few rows (`fuzz/corpus/random_forest/timeout-*`): fits that never
/// finished. Now an error naming `max_samples` beyond 1000 draws per row.
#[test]
fn absurd_max_samples_is_an_error_not_a_hang() {
    let x = array![[0.0], [1.0], [2.0], [3.0]];
    let y = [0u8, 0, 1, 1];
    for ms in [
        SampleSize::Fraction(1e300),
        SampleSize::Count(usize::MAX),
        SampleSize::Count(1 << 33),
        SampleSize::Count(4 * proba::ensemble::MAX_DRAWS_PER_ROW + 1),
        SampleSize::Fraction(1000.5),
    ] {
        let err = forest().max_samples(ms).fit(&x, &y).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidParameter {
                    name: "max_samples",
                    ..
                }
            ),
            "{err}"
        );
    }
    // Larger than n is allowed, as in scikit-learn 1.9, up to the bound.
    for ms in [
        SampleSize::Fraction(2.0),
        SampleSize::Count(4 * proba::ensemble::MAX_DRAWS_PER_ROW),
    ] {
        let m = forest().max_samples(ms).fit(&x, &y).unwrap();
        assert_distributions(&m.predict_proba(&x).unwrap(), 4, 2);
    }
}

/// Regression (fuzz seed `decision_tree/decision_tree-17725.bin`): an
/// explicit class weight of `f64::MAX` made the weighted class totals
/// overflow to inf and the leaf probabilities NaN. Huge weights now give
/// an error naming `class_weight` or valid probabilities.
#[test]
fn huge_class_weights_give_an_error_or_valid_probabilities() {
    let x = Array2::from_elem((8, 4), -4.0);
    let mut x2 = x.clone();
    x2[[1, 0]] = 1.0;
    x2[[5, 2]] = 2.0;
    let y = [0u8, 1, 2, 3, 0, 1, 2, 3];
    // Regression (seed `decision_tree/decision_tree-2186.bin`): a subnormal
    // weight made feature_importances NaN.
    for w in [f64::MAX, 1e300, 1e200, 1e155, 1e100, 5e-324, 1e-200, 1e-100] {
        for x in [&x, &x2] {
            let cw = proba::tree::ClassWeight::Explicit([(1u8, w)].into_iter().collect());
            let tree = DecisionTreeClassifier::params()
                .class_weight(cw.clone())
                .fit(x, &y);
            let forest = forest().class_weight(cw).fit(x, &y);
            match (tree, forest) {
                (Ok(t), Ok(f)) => {
                    assert_distributions(&t.predict_proba(x).unwrap(), 8, 4);
                    let imp = t.feature_importances();
                    assert!(
                        imp.iter().all(|v| v.is_finite() && *v >= 0.0),
                        "{w:e}: {imp:?}"
                    );
                    assert_distributions(&f.predict_proba(x).unwrap(), 8, 4);
                }
                (Err(e), _) | (_, Err(e)) => {
                    assert!(
                        matches!(
                            e,
                            Error::InvalidParameter {
                                name: "class_weight",
                                ..
                            }
                        ),
                        "weight {w:e}: {e}"
                    );
                }
            }
        }
    }
}

/// [`support::wide`] with two classes.
fn wide(w: usize) -> (CsrMatrix, Vec<u8>) {
    (support::wide(w), vec![0, 1, 0, 1])
}

#[test]
fn a_fit_on_billions_of_declared_columns_is_an_error_naming_the_size() {
    // The per-feature arrays of 4294967000 columns (scikit-learn's feature
    // sampling needs them) would take over 100 GiB: refused, not aborted.
    let (x, y) = wide(4_294_967_000);
    let tree = DecisionTreeClassifier::params().fit(&x, &y).unwrap_err();
    let grove = forest().n_estimators(3).fit(&x, &y).unwrap_err();
    for e in [tree, grove] {
        support::assert_refused_as_too_wide(e);
    }
    // A wide but affordable width still fits, and only the used features
    // carry importance.
    let (x, y) = wide(1 << 20);
    let m = forest().n_estimators(5).fit(&x, &y).unwrap();
    let nonzero = m.nonzero_feature_importances();
    let dense = m.feature_importances();
    assert_eq!(dense.len(), 1 << 20);
    assert!(nonzero.iter().all(|&(f, v)| dense[f] == v && v != 0.0));
    assert_eq!(nonzero.len(), dense.iter().filter(|v| **v != 0.0).count());
}

#[test]
fn a_saved_forest_claiming_more_features_than_a_node_can_name_is_refused() {
    let x = array![[0.0, 1.0], [1.0, 0.0], [0.0, 2.0], [2.0, 0.0]];
    let m = forest().n_estimators(2).fit(&x, &[0, 1, 0, 1]).unwrap();
    let text = proba::io::to_string(&m).unwrap();
    for huge in ["352763117573", "18446744073709551615", "4294967297"] {
        let bad = text.replacen("\"n_features\":2", &format!("\"n_features\":{huge}"), 1);
        assert_ne!(bad, text, "the saved form names n_features");
        let err = proba::io::from_str::<RandomForestClassifier<u8>>(&bad).unwrap_err();
        assert!(err.to_string().contains("n_features"), "{huge}: {err}");
    }
    // The largest width a node can name still loads (nothing is allocated from it).
    let edge = text.replacen("\"n_features\":2", "\"n_features\":4294967296", 1);
    let back = proba::io::from_str::<RandomForestClassifier<u8>>(&edge).unwrap();
    assert_eq!(back.n_features(), 1 << 32);
}
