//! Property tests of random forests and one-vs-rest on random small
//! problems: probabilities finite and in [0, 1] (rows summing to 1 for the
//! forest), `predict` is the argmax (forest) or the 0.5 threshold (OvR),
//! permuting the batch permutes the output bit for bit, fit and predict are
//! bit-identical on 1 and 2 threads, and save -> load -> predict is
//! bit-identical.

use ndarray::{Array2, Axis};
use proba::ensemble::RandomForestClassifier;
use proba::io;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::prelude::*;
use proptest::prelude::*;

use crate::support::{self, bits, in_pool, permutation};

fn problem() -> impl Strategy<Value = (Array2<f64>, Vec<u8>, Array2<f64>, bool, u32)> {
    (4usize..30, 1usize..6, 2u8..5, 1usize..10).prop_flat_map(|(n, p, k, m)| {
        let cell = prop_oneof![Just(0.0), (-32i32..=32).prop_map(|v| f64::from(v) / 8.0)];
        (
            proptest::collection::vec(cell.clone(), n * p),
            proptest::collection::vec(0..k, n),
            proptest::collection::vec(cell, m * p),
            any::<bool>(),
            any::<u32>(),
        )
            .prop_map(move |(xv, mut y, bv, sparse, seed)| {
                if y.iter().all(|&c| c == y[0]) {
                    y[0] = (y[0] + 1) % k;
                }
                (
                    Array2::from_shape_vec((n, p), xv).unwrap(),
                    y,
                    Array2::from_shape_vec((m, p), bv).unwrap(),
                    sparse,
                    seed,
                )
            })
    })
}

fn forest(x: &Array2<f64>, y: &[u8], sparse: bool, seed: u32) -> RandomForestClassifier<u8> {
    let p = RandomForestClassifier::params()
        .n_estimators(8)
        .seed(u64::from(seed));
    if sparse {
        p.fit(&CsrMatrix::from_dense(x.view()), y).unwrap()
    } else {
        p.fit(x, y).unwrap()
    }
}

/// Label sets derived from the labels: the label itself, plus 9 for even labels.
fn sets(y: &[u8]) -> Vec<Vec<u8>> {
    y.iter()
        .map(|&c| if c % 2 == 0 { vec![c, 9] } else { vec![c] })
        .collect()
}

type Ovr = OneVsRestClassifier<LogisticRegression<bool>, u8>;

fn ovr(x: &Array2<f64>, y: &[u8]) -> Ovr {
    Ovr::params(LogisticRegression::params().max_iter(50))
        .fit(x, &sets(y))
        .unwrap()
}

proptest! {
    #![proptest_config(support::prop_config(96))]

    #[test]
    fn forest_probabilities_and_argmax((x, y, b, sparse, seed) in problem()) {
        let m = forest(&x, &y, sparse, seed);
        let p = m.predict_proba(&b).unwrap();
        let labels = m.predict(&b).unwrap();
        prop_assert_eq!(p.dim(), (b.nrows(), m.classes().len()));
        for (row, label) in p.rows().into_iter().zip(&labels) {
            prop_assert!(row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
            prop_assert!((row.sum() - 1.0).abs() < 1e-12, "sum {}", row.sum());
            let mut best = 0;
            for (i, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = i;
                }
            }
            prop_assert_eq!(*label, m.classes()[best]);
        }
    }

    #[test]
    fn forest_batch_permutation((x, y, b, sparse, seed) in problem(), s in any::<u64>()) {
        let m = forest(&x, &y, sparse, seed);
        let perm = permutation(b.nrows(), s);
        let p = m.predict_proba(&b).unwrap();
        let q = m.predict_proba(&b.select(Axis(0), &perm)).unwrap();
        prop_assert_eq!(bits(&q), bits(&p.select(Axis(0), &perm)));
    }

    #[test]
    fn forest_threads_and_persistence((x, y, b, sparse, seed) in problem()) {
        let run = || {
            let m = forest(&x, &y, sparse, seed);
            let p = m.predict_proba(&b).unwrap();
            (m, p)
        };
        let (m1, p1) = in_pool(1, run);
        let (_, p2) = in_pool(2, run);
        prop_assert_eq!(bits(&p1), bits(&p2));
        let back: RandomForestClassifier<u8> = io::from_str(&io::to_string(&m1).unwrap()).unwrap();
        prop_assert_eq!(bits(&back.predict_proba(&b).unwrap()), bits(&p1));
    }

    #[test]
    fn ovr_probabilities_threshold_threads_persistence((x, y, b, _sparse, _seed) in problem()) {
        let (m1, p1) = in_pool(1, || {
            let m = ovr(&x, &y);
            let p = m.predict_proba(&b).unwrap();
            (m, p)
        });
        let p2 = in_pool(2, || ovr(&x, &y).predict_proba(&b).unwrap());
        prop_assert_eq!(bits(&p1), bits(&p2));
        let predicted = m1.predict(&b).unwrap();
        for (row, set) in p1.rows().into_iter().zip(&predicted) {
            prop_assert!(row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
            let above: Vec<u8> = m1
                .classes()
                .iter()
                .zip(row.iter())
                .filter(|(_, &v)| v > 0.5)
                .map(|(c, _)| *c)
                .collect();
            prop_assert_eq!(&above, set);
        }
        let back: Ovr = io::from_str(&io::to_string(&m1).unwrap()).unwrap();
        prop_assert_eq!(bits(&back.predict_proba(&b).unwrap()), bits(&p1));
        let perm: Vec<usize> = (0..b.nrows()).rev().collect();
        let q = m1.predict_proba(&b.select(Axis(0), &perm)).unwrap();
        prop_assert_eq!(bits(&q), bits(&p1.select(Axis(0), &perm)));
    }
}
