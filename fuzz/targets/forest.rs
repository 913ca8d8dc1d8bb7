//! Fuzz targets for decision trees, random forests and one-vs-rest on small
//! arbitrary matrices: NaN, ±inf, 1e300 (beyond f32, which trees split
//! on), 1e-300, duplicate rows, single rows, constant columns, all-equal
//! labels, dense and CSR, arbitrary (also invalid) parameters. Commands:
//! `fuzz/README.md`.
//!
//! Either `fit` returns an `Error`, or on finite input of the right width
//! the probabilities are finite, in [0, 1], rows summing to 1 (multiclass)
//! and `predict` is their argmax; wrong width or NaN input is an `Error`.

use std::collections::BTreeMap;

use super::gen::{csr, labels, matrix, odd_f64, plain_f64, rare};
use arbitrary::{Result, Unstructured};
use ndarray::Array2;
use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::prelude::*;
use proba::tree::{ClassWeight, Criterion, DecisionTreeClassifier, MaxFeatures, SampleSize};

/// A valid (u32) seed, rarely one out of range.
fn seed(u: &mut Unstructured) -> Result<u64> {
    Ok(if rare(u, 16)? {
        u.arbitrary()?
    } else {
        u64::from(u.arbitrary::<u32>()?)
    })
}

fn sample_size(u: &mut Unstructured) -> Result<SampleSize> {
    Ok(if rare(u, 6)? {
        SampleSize::Fraction(odd_f64(u)?)
    } else if rare(u, 3)? {
        SampleSize::Fraction(f64::from(u.int_in_range(0..=4u8)?) * 0.25)
    } else {
        SampleSize::Count(usize::from(u.int_in_range(1..=5u8)?))
    })
}

fn max_features(u: &mut Unstructured) -> Result<MaxFeatures> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => MaxFeatures::Sqrt,
        1 => MaxFeatures::Log2,
        2 => MaxFeatures::Count(usize::from(u.int_in_range(0..=6u8)?)),
        3 => MaxFeatures::Fraction(odd_f64(u)?),
        4 => MaxFeatures::Fraction(0.5),
        _ => MaxFeatures::All,
    })
}

fn class_weight(u: &mut Unstructured) -> Result<ClassWeight<u8>> {
    Ok(match 5 - u.int_in_range(0..=5u8)? {
        0 => ClassWeight::Balanced,
        1 => ClassWeight::BalancedSubsample,
        2 => {
            let mut m = BTreeMap::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                let w = if u.arbitrary()? { odd_f64(u)? } else { 2.0 };
                m.insert(u.int_in_range(0..=4u8)?, w);
            }
            ClassWeight::Explicit(m)
        }
        _ => ClassWeight::None,
    })
}

/// Small data: up to 8 x 4, labels over `k` classes (maybe all equal), and
/// a fresh finite batch of the same width.
struct Data {
    x: Array2<f64>,
    y: Vec<u8>,
    fresh: Array2<f64>,
    sparse: bool,
}

fn data(u: &mut Unstructured) -> Result<Data> {
    let odd = rare(u, 3)?;
    let x = matrix(u, 8, 4, odd)?;
    let mut y = labels(u, x.nrows())?;
    if rare(u, 10)? {
        y.pop();
    }
    let rows = usize::from(u.int_in_range(0..=4u8)?);
    let mut fresh = Array2::zeros((rows, x.ncols()));
    for v in fresh.iter_mut() {
        *v = if rare(u, 8)? {
            [1e300, -1e300, 1e-300, 3.4e38, 5e-324][u.choose_index(5)?]
        } else {
            plain_f64(u)?
        };
    }
    Ok(Data {
        x,
        y,
        fresh,
        sparse: u.arbitrary()?,
    })
}

/// The invariants of a fitted single-label classifier on finite input.
fn check<M, L>(m: &M, x: &Array2<f64>, sparse: bool)
where
    M: PredictProba<Array2<f64>, Label = L> + PredictProba<CsrMatrix, Label = L>,
    L: PartialEq + std::fmt::Debug + Clone,
{
    let (p, pred) = if sparse {
        let c = csr(x);
        (
            PredictProba::<CsrMatrix>::predict_proba(m, &c).expect("predict_proba"),
            PredictProba::<CsrMatrix>::predict(m, &c).expect("predict"),
        )
    } else {
        (
            PredictProba::<Array2<f64>>::predict_proba(m, x).expect("predict_proba"),
            PredictProba::<Array2<f64>>::predict(m, x).expect("predict"),
        )
    };
    assert_eq!(p.dim(), (x.nrows(), m.classes().len()));
    for (row, label) in p.rows().into_iter().zip(&pred) {
        assert!(
            row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)),
            "{row}"
        );
        assert!((row.sum() - 1.0).abs() < 1e-12, "row sums to {}", row.sum());
        let mut best = 0;
        for (i, &v) in row.iter().enumerate() {
            if v > row[best] {
                best = i;
            }
        }
        assert_eq!(label, &m.classes()[best]);
    }
}

fn check_errors<M: PredictProba<Array2<f64>>>(m: &M, ncols: usize) {
    assert!(m.predict_proba(&Array2::zeros((1, ncols + 1))).is_err());
    let mut bad = Array2::zeros((2, ncols.max(1)));
    bad[[1, 0]] = f64::NAN;
    assert!(m.predict_proba(&bad).is_err());
}

pub fn decision_tree(u: &mut Unstructured) -> arbitrary::Result<()> {
    let mut p = DecisionTreeClassifier::params()
        .criterion(*u.choose(&[Criterion::Gini, Criterion::Entropy])?)
        .max_features(max_features(u)?)
        .class_weight(class_weight(u)?)
        .seed(seed(u)?);
    if u.arbitrary()? {
        p = p.max_depth(usize::from(4 - u.int_in_range(0..=4u8)?));
    }
    if u.arbitrary()? {
        p = p.min_samples_split(sample_size(u)?);
    }
    if u.arbitrary()? {
        p = p.min_samples_leaf(sample_size(u)?);
    }
    if rare(u, 4)? {
        p = p.min_impurity_decrease(odd_f64(u)?);
    }
    let d = data(u)?;
    let fitted = if d.sparse {
        p.fit(&csr(&d.x), &d.y)
    } else {
        p.fit(&d.x, &d.y)
    };
    let Ok(m) = fitted else { return Ok(()) };
    super::deep();
    let imp = m.feature_importances();
    assert_eq!(imp.len(), d.x.ncols());
    assert!(imp.iter().all(|v| v.is_finite() && *v >= 0.0), "{imp:?}");
    check(&m, &d.x, d.sparse);
    check(&m, &d.fresh, !d.sparse);
    check_errors(&m, m.n_features());
    Ok(())
}

pub fn random_forest(u: &mut Unstructured) -> arbitrary::Result<()> {
    let mut p = RandomForestClassifier::params()
        .n_estimators(usize::from(u.int_in_range(0..=5u8)?))
        .criterion(*u.choose(&[Criterion::Gini, Criterion::Entropy])?)
        .max_features(max_features(u)?)
        .class_weight(class_weight(u)?)
        .bootstrap(!rare(u, 4)?)
        .oob_score(u.arbitrary()?)
        .seed(seed(u)?);
    if u.arbitrary()? {
        p = p.max_depth(usize::from(4 - u.int_in_range(0..=4u8)?));
    }
    if u.arbitrary()? {
        p = p.min_samples_leaf(sample_size(u)?);
    }
    if rare(u, 3)? {
        // Not `sample_size`: 1e8 x 8 rows would be a legitimately slow fit.
        p = p.max_samples(match u.int_in_range(0..=3u8)? {
            0 => SampleSize::Count(*u.choose(&[0, 1, 3, 1 << 33, usize::MAX])?),
            1 => SampleSize::Fraction(*u.choose(&[0.0, -1.0, f64::NAN, f64::INFINITY, 1e300])?),
            _ => SampleSize::Fraction(*u.choose(&[0.1, 0.5, 1.0, 2.0])?),
        });
    }
    if rare(u, 4)? {
        p = p.n_jobs(usize::from(u.int_in_range(0..=2u8)?));
    }
    let d = data(u)?;
    let fitted = if d.sparse {
        p.fit(&csr(&d.x), &d.y)
    } else {
        p.fit(&d.x, &d.y)
    };
    let Ok(m) = fitted else { return Ok(()) };
    super::deep();
    if let Some(s) = m.oob_score() {
        assert!(s.is_nan() || (0.0..=1.0).contains(&s), "oob_score {s}");
    }
    if let Some(oob) = m.oob_decision_function() {
        assert_eq!(oob.nrows(), d.x.nrows());
    }
    let imp = m.feature_importances();
    assert!(imp.iter().all(|v| v.is_finite() && *v >= 0.0), "{imp:?}");
    check(&m, &d.x, d.sparse);
    check(&m, &d.fresh, !d.sparse);
    check_errors(&m, m.n_features());
    Ok(())
}

pub fn one_vs_rest(u: &mut Unstructured) -> arbitrary::Result<()> {
    let d = data(u)?;
    // Label sets: each row gets a subset of {0..4} (maybe empty).
    let sets: Vec<Vec<u8>> = (0..d.y.len())
        .map(|_| {
            let bits: u8 = u.arbitrary()?;
            Ok((0..4u8).filter(|b| bits & (1 << b) != 0).collect())
        })
        .collect::<Result<_>>()?;
    let multiclass = u.arbitrary::<bool>()?;
    let x = &d.x;
    let probs_and_sets = if u.arbitrary()? {
        let base = LogisticRegression::params().max_iter(usize::from(u.int_in_range(1..=20u8)?));
        let p = OneVsRestClassifier::<LogisticRegression<bool>, u8>::params(base);
        let m = if multiclass {
            p.fit_multiclass(x, &d.y)
        } else {
            p.fit(x, &sets)
        };
        m.map(|m| {
            let pr = m.predict_proba(&d.fresh).expect("predict_proba");
            let pc = m.predict_proba(&csr(&d.fresh)).expect("predict_proba csr");
            assert_eq!(pr.dim(), pc.dim());
            assert!(m
                .predict_proba(&Array2::<f64>::zeros((1, x.ncols() + 1)))
                .is_err());
            let sets = m.predict(&d.fresh).expect("predict");
            // The one-label argmax: the multiclass sets' one label; refused
            // for label sets.
            match PredictProba::predict(&m, &d.fresh) {
                Ok(one) => {
                    assert!(multiclass, "argmax of a multilabel model");
                    let as_sets: Vec<Vec<u8>> = one.into_iter().map(|l| vec![l]).collect();
                    assert_eq!(as_sets, sets);
                }
                Err(e) => assert!(!multiclass, "{e}"),
            }
            (pr, sets, m.classes().to_vec())
        })
    } else {
        let base = RandomForestClassifier::params()
            .n_estimators(usize::from(u.int_in_range(1..=3u8)?))
            .seed(seed(u)?);
        let p = OneVsRestClassifier::<RandomForestClassifier<bool>, u8>::params(base);
        let m = if multiclass {
            p.fit_multiclass(x, &d.y)
        } else {
            p.fit(x, &sets)
        };
        m.map(|m| {
            let pr = m.predict_proba(&d.fresh).expect("predict_proba");
            (
                pr,
                m.predict(&d.fresh).expect("predict"),
                m.classes().to_vec(),
            )
        })
    };
    let Ok((p, pred, classes)) = probs_and_sets else {
        return Ok(());
    };
    super::deep();
    assert_eq!(p.dim(), (d.fresh.nrows(), classes.len()));
    for (row, set) in p.rows().into_iter().zip(&pred) {
        assert!(
            row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)),
            "{row}"
        );
        if multiclass {
            let s = row.sum();
            assert!(s == 0.0 || (s - 1.0).abs() < 1e-12, "row sums to {s}");
            assert!(set.len() <= 1);
        } else {
            let above: Vec<u8> = classes
                .iter()
                .zip(row.iter())
                .filter(|(_, &v)| v > 0.5)
                .map(|(c, _)| *c)
                .collect();
            assert_eq!(&above, set);
        }
    }
    Ok(())
}
