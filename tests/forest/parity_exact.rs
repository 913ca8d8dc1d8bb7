//! proba's trees and forests against scikit-learn 1.9.1 on digits, exactly:
//! same RNG chain, same split rules, so the same trees and probabilities
//! (fixtures from scripts/make_fixtures_forest.py).

use std::collections::BTreeMap;

use ndarray::{Array2, Axis};
use proba::ensemble::{RandomForestClassifier, RandomForestParams};
use proba::prelude::*;
use proba::tree::{ClassWeight, Criterion, DecisionTreeClassifier, MaxFeatures};

use crate::support;

struct Split {
    x_train: Array2<f64>,
    y_train: Vec<i64>,
    x_test: Array2<f64>,
}

/// Shared split (test rows: i % 5 == 0), optionally dropping training rows.
fn digits_split(keep: impl Fn(usize, i64) -> bool) -> Option<Split> {
    let (x, y) = support::digits()?;
    let train: Vec<usize> = (0..y.len())
        .filter(|&i| i % 5 != 0 && keep(i, y[i]))
        .collect();
    let test: Vec<usize> = (0..y.len()).filter(|&i| i % 5 == 0).collect();
    Some(Split {
        x_train: x.select(Axis(0), &train),
        y_train: train.iter().map(|&i| y[i]).collect(),
        x_test: x.select(Axis(0), &test),
    })
}

fn proba_of(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
        .collect()
}

fn argmax(v: impl Iterator<Item = f64>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, x) in v.enumerate() {
        if x > best.1 {
            best = (i, x);
        }
    }
    best.0
}

fn max_diff(a: &Array2<f64>, b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn forest_and_tree_match_sklearn_bit_for_bit() -> Result<()> {
    let Some(s) = digits_split(|_, _| true) else {
        return Ok(());
    };
    let fx = support::fixture("forest/digits_exact.json");
    let rf = RandomForestClassifier::params()
        .seed(0)
        .oob_score(true)
        .fit(&s.x_train, &s.y_train)?;
    let f = &fx["forest"];
    assert_eq!(rf.node_count() as u64, f["node_count"].as_u64().unwrap());
    assert_eq!(rf.max_depth() as u64, f["max_depth"].as_u64().unwrap());
    assert_eq!(rf.oob_score(), f["oob_score"].as_f64());
    let p = rf.predict_proba(&s.x_test)?;
    assert_eq!(max_diff(&p, &proba_of(&f["test_proba"])), 0.0);
    let imp: Vec<f64> = serde_json::from_value(f["feature_importances"].clone()).unwrap();
    for (a, b) in rf.feature_importances().iter().zip(&imp) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    let dt = DecisionTreeClassifier::params()
        .seed(0)
        .fit(&s.x_train, &s.y_train)?;
    let t = &fx["tree"];
    assert_eq!(dt.node_count() as u64, t["node_count"].as_u64().unwrap());
    assert_eq!(dt.depth() as u64, t["max_depth"].as_u64().unwrap());
    let p = dt.predict_proba(&s.x_test)?;
    assert_eq!(max_diff(&p, &proba_of(&t["test_proba"])), 0.0);
    let imp: Vec<f64> = serde_json::from_value(t["feature_importances"].clone()).unwrap();
    for (a, b) in dt.feature_importances().iter().zip(&imp) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    Ok(())
}

fn variant(name: &str) -> RandomForestParams<i64> {
    let p = RandomForestClassifier::params().n_estimators(10).seed(3);
    match name {
        "entropy" => p.criterion(Criterion::Entropy),
        "max_depth_5" => p.max_depth(5),
        "leaf_3_split_10" => p.min_samples_leaf(3).min_samples_split(10),
        "leaf_frac_0.01_split_frac_0.05" => p.min_samples_leaf(0.01).min_samples_split(0.05),
        "log2" => p.max_features(MaxFeatures::Log2),
        "features_0.3" => p.max_features(MaxFeatures::Fraction(0.3)),
        "features_20" => p.max_features(MaxFeatures::Count(20)),
        "no_bootstrap" => p.bootstrap(false),
        "max_samples_0.5_oob" => p.max_samples(0.5).oob_score(true),
        "max_samples_500" => p.max_samples(500),
        "balanced" => p.class_weight(ClassWeight::Balanced),
        "balanced_subsample" => p.class_weight(ClassWeight::BalancedSubsample),
        "weights_0:2_3:0.5_oob" => p
            .class_weight(ClassWeight::Explicit(BTreeMap::from([(0, 2.0), (3, 0.5)])))
            .oob_score(true),
        "balanced_no_bootstrap" => p.class_weight(ClassWeight::Balanced).bootstrap(false),
        "min_impurity_decrease_0.01" => p.min_impurity_decrease(0.01),
        other => panic!("unknown variant {other}"),
    }
}

#[test]
fn every_option_matches_sklearn() -> Result<()> {
    let Some(s) = digits_split(|i, y| !((y == 1 || y == 7) && i % 3 != 0)) else {
        return Ok(());
    };
    let fx = support::fixture("forest/digits_variants.json");
    let variants = fx["variants"].as_object().unwrap();
    assert!(variants.len() >= 15);
    let mut failures = Vec::new();
    for (name, want) in variants {
        let rf = variant(name).fit(&s.x_train, &s.y_train)?;
        let p = rf.predict_proba(&s.x_test)?;
        let want_p = proba_of(&want["test_proba"]);
        let nodes = want["node_count"].as_u64().unwrap() as f64;
        if name == "balanced_subsample" || name == "balanced_no_bootstrap" {
            // Fractional weights inside the trees: scikit-learn's sums then
            // depend on its sort order in the last bits, which decides
            // whether a pure node reads as impurity 0 or 1e-16 (and is split,
            // consuming draws). Only statistical agreement is expected.
            let agree = p
                .rows()
                .into_iter()
                .zip(want_p.chunks(10))
                .filter(|(a, b)| {
                    proba::Classifier::classes(&rf).len() == b.len()
                        && argmax(a.iter().copied()) == argmax(b.iter().copied())
                })
                .count() as f64
                / p.nrows() as f64;
            let rel = (rf.node_count() as f64 - nodes).abs() / nodes;
            if agree < 0.9 || rel > 0.15 {
                failures.push(format!(
                    "{name}: argmax agreement {agree}, node count off by {rel}"
                ));
            }
            continue;
        }
        let diff = max_diff(&p, &want_p);
        if rf.node_count() as f64 != nodes
            || diff > 0.0
            || rf.oob_score() != want["oob_score"].as_f64()
        {
            failures.push(format!(
                "{name}: nodes {} vs {nodes}, max proba diff {diff:e}, oob {:?} vs {}",
                rf.node_count(),
                rf.oob_score(),
                want["oob_score"]
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    Ok(())
}

#[test]
fn sparse_input_grows_the_same_forest() -> Result<()> {
    let Some(s) = digits_split(|_, _| true) else {
        return Ok(());
    };
    let sparse = CsrMatrix::from_dense(s.x_train.view());
    let params = RandomForestClassifier::params().n_estimators(20).seed(5);
    let dense_rf = params.fit(&s.x_train, &s.y_train)?;
    let sparse_rf = params.fit(&sparse, &s.y_train)?;
    assert_eq!(dense_rf, sparse_rf);
    let test_sparse = CsrMatrix::from_dense(s.x_test.view());
    let a = dense_rf.predict_proba(&s.x_test)?;
    assert_eq!(a, sparse_rf.predict_proba(&test_sparse)?);
    assert_eq!(a, dense_rf.predict_proba(&s.x_test.view())?);
    Ok(())
}
