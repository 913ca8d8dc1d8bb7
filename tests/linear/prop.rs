//! Property tests of logistic regression: the invariants users rely on, on
//! random small problems (dense and CSR, 2 to 5 classes).
//!
//! * probabilities finite and in [0, 1], rows summing to 1 within 1e-12;
//! * `predict` is the argmax of `predict_proba` (first class on ties);
//! * permuting the rows of a prediction batch permutes the output, bit for bit;
//! * fit and predict are bit-identical on 1 and 2 threads;
//! * save -> load -> predict is bit-identical.

use ndarray::Array2;
use proba::io;
use proba::linear::{LogisticRegression, Solver};
use proba::prelude::*;
use proptest::prelude::*;

use crate::support::{self, bits, in_pool, permutation};

/// A random problem: `x` (n x p, entries in [-4, 4] on a 1/8 grid, about
/// half zeros), labels over `k` classes with at least two present, and a
/// prediction batch of `m` rows.
fn problem() -> impl Strategy<Value = (Array2<f64>, Vec<u8>, Array2<f64>, bool)> {
    (4usize..24, 1usize..6, 2u8..6, 1usize..12).prop_flat_map(|(n, p, k, m)| {
        let cell = prop_oneof![Just(0.0), (-32i32..=32).prop_map(|v| f64::from(v) / 8.0)];
        (
            proptest::collection::vec(cell.clone(), n * p),
            proptest::collection::vec(0..k, n),
            proptest::collection::vec(cell, m * p),
            any::<bool>(),
        )
            .prop_map(move |(xv, mut y, bv, sparse)| {
                // At least two classes.
                if y.iter().all(|&c| c == y[0]) {
                    y[0] = (y[0] + 1) % k;
                }
                let x = Array2::from_shape_vec((n, p), xv).unwrap();
                let b = Array2::from_shape_vec((m, p), bv).unwrap();
                (x, y, b, sparse)
            })
    })
}

fn fit(x: &Array2<f64>, y: &[u8], sparse: bool) -> LogisticRegression<u8> {
    // Problems with an odd row count use Newton-CG, so both solvers meet
    // every property.
    let solver = if x.nrows() % 2 == 1 {
        Solver::NewtonCg
    } else {
        Solver::Lbfgs
    };
    let p = LogisticRegression::params()
        .c(2.0)
        .max_iter(60)
        .solver(solver);
    if sparse {
        p.fit(&CsrMatrix::from_dense(x.view()), y).unwrap()
    } else {
        p.fit(x, y).unwrap()
    }
}

fn proba(m: &LogisticRegression<u8>, b: &Array2<f64>, sparse: bool) -> Array2<f64> {
    if sparse {
        m.predict_proba(&CsrMatrix::from_dense(b.view())).unwrap()
    } else {
        m.predict_proba(b).unwrap()
    }
}

proptest! {
    #![proptest_config(support::prop_config(128))]

    #[test]
    fn probabilities_are_distributions((x, y, b, sparse) in problem()) {
        let m = fit(&x, &y, sparse);
        prop_assert!(m.coef().iter().all(|v| v.is_finite()));
        let p = proba(&m, &b, sparse);
        prop_assert_eq!(p.dim(), (b.nrows(), m.classes().len()));
        for row in p.rows() {
            prop_assert!(row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)), "{}", row);
            prop_assert!((row.sum() - 1.0).abs() < 1e-12, "sum {}", row.sum());
        }
    }

    #[test]
    fn predict_is_argmax_of_proba((x, y, b, sparse) in problem()) {
        let m = fit(&x, &y, sparse);
        let p = proba(&m, &b, sparse);
        let labels = if sparse {
            m.predict(&CsrMatrix::from_dense(b.view())).unwrap()
        } else {
            m.predict(&b).unwrap()
        };
        for (row, label) in p.rows().into_iter().zip(&labels) {
            // predict is the argmax of the scores (as scikit-learn's); two
            // scores a rounding apart can give equal probabilities, so the
            // check is that the predicted class has the largest probability.
            let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let idx = m.classes().iter().position(|c| c == label).unwrap();
            prop_assert_eq!(row[idx], max, "row {} predicted {}", row, label);
        }
    }

    #[test]
    fn permuting_the_batch_permutes_the_output(
        (x, y, b, sparse) in problem(),
        seed in any::<u64>(),
    ) {
        let m = fit(&x, &y, sparse);
        let p = proba(&m, &b, sparse);
        // A seeded Fisher-Yates permutation of the batch rows.
        let perm = permutation(b.nrows(), seed);
        let shuffled = b.select(ndarray::Axis(0), &perm);
        let q = proba(&m, &shuffled, sparse);
        prop_assert_eq!(bits(&q), bits(&p.select(ndarray::Axis(0), &perm)));
    }

    #[test]
    fn one_and_two_threads_agree((x, y, b, sparse) in problem()) {
        let (m1, p1) = in_pool(1, || {
            let m = fit(&x, &y, sparse);
            let p = proba(&m, &b, sparse);
            (m, p)
        });
        let (m2, p2) = in_pool(2, || {
            let m = fit(&x, &y, sparse);
            let p = proba(&m, &b, sparse);
            (m, p)
        });
        prop_assert_eq!(bits(m1.coef()), bits(m2.coef()));
        prop_assert_eq!(m1.n_iter(), m2.n_iter());
        prop_assert_eq!(bits(&p1), bits(&p2));
    }

    #[test]
    fn save_load_predict_is_bit_identical((x, y, b, sparse) in problem()) {
        let m = fit(&x, &y, sparse);
        let back: LogisticRegression<u8> = io::from_str(&io::to_string(&m).unwrap()).unwrap();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(bits(&proba(&back, &b, sparse)), bits(&proba(&m, &b, sparse)));
        prop_assert_eq!(back.predict(&b).unwrap(), m.predict(&b).unwrap());
    }
}
