//! Behaviour of `LogisticRegression` apart from scikit-learn parity: input
//! types, errors on bad input, determinism across thread counts, weights,
//! warm start, robustness, persistence.

use std::collections::BTreeMap;

use ndarray::{array, Array2, ArrayView2};
use proba::io;
use proba::linear::{ClassWeight, LogisticRegression, Solver, StopReason};
use proba::prelude::*;

use crate::support;

/// A deterministic pseudo-random sparse problem: `n` rows, `p` columns,
/// `k` classes, class-dependent features so the problem is learnable.
fn synthetic(n: usize, p: usize, k: usize, seed: u64) -> (CsrMatrix, Vec<String>) {
    let mut next = support::xorshift(seed);
    let mut dense = Array2::zeros((n, p));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let c = (next() % k as u64) as usize;
        y.push(format!("class{c}"));
        for _ in 0..6 {
            let j = (next() % p as u64) as usize;
            dense[[i, j]] += 1.0 + (next() % 100) as f64 / 100.0;
        }
        // A few class-indicative features.
        let j = (c * 3 + (next() % 3) as usize) % p;
        dense[[i, j]] += 2.0;
    }
    (CsrMatrix::from_dense(dense.view()), y)
}

#[test]
fn fits_all_input_types_without_annotations() {
    let (x, y) = synthetic(300, 40, 4, 7);
    let dense = x.to_dense();
    let m_sparse = LogisticRegression::params().c(1.0).fit(&x, &y).unwrap();
    let m_dense = LogisticRegression::params().fit(&dense, &y).unwrap();
    let m_view = LogisticRegression::params().fit(&dense.view(), &y).unwrap();
    assert_eq!(m_sparse.classes(), ["class0", "class1", "class2", "class3"]);
    assert_eq!(m_sparse.coef().dim(), (4, 40));
    for m in [&m_dense, &m_view] {
        let d = (m.coef() - m_sparse.coef())
            .mapv(f64::abs)
            .fold(0.0, |a: f64, &b| a.max(b));
        assert!(d < 1e-10, "dense and sparse fits differ by {d}");
        assert_eq!(m.n_iter(), m_sparse.n_iter());
    }
    // predict_proba / predict through the trait, for all three input types.
    let p1 = PredictProba::predict_proba(&m_sparse, &x).unwrap();
    let p2 = m_sparse.predict_proba(&dense).unwrap();
    let p3 = m_sparse.predict_proba(&dense.view()).unwrap();
    assert!((&p1 - &p2).iter().all(|v| v.abs() < 1e-12));
    assert_eq!(p2, p3);
    for row in p1.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    let pred = PredictProba::predict(&m_sparse, &x).unwrap();
    let acc = pred.iter().zip(&y).filter(|(a, b)| a == b).count();
    assert!(acc > 200, "training accuracy {acc}/300");
    // log-proba and decision function.
    let lp = m_sparse.predict_log_proba(&x).unwrap();
    assert!((lp.mapv(f64::exp) - &p1).iter().all(|v| v.abs() < 1e-12));
    assert_eq!(m_sparse.decision_function(&x).unwrap().dim(), (300, 4));
}

#[test]
fn generic_code_can_use_the_fit_trait() {
    fn train<P: Fit<CsrMatrix, String>>(p: &P, x: &CsrMatrix, y: &[String]) -> P::Fitted {
        p.fit(x, y).unwrap()
    }
    let (x, y) = synthetic(100, 20, 3, 3);
    let m = train(&LogisticRegression::params(), &x, &y);
    assert_eq!(m.n_classes(), 3);
}

#[test]
fn binary_model_has_one_row_and_sklearn_rules() {
    let x = array![[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0], [0.0]];
    let y = [0u8, 0, 1, 0, 1, 1, 1];
    let m = LogisticRegression::params().fit(&x, &y).unwrap();
    assert_eq!(m.coef().dim(), (1, 1));
    assert_eq!(m.intercept().len(), 1);
    let z = m.decision_function(&x).unwrap();
    assert_eq!(z.dim(), (7, 1));
    let p = m.predict_proba(&x).unwrap();
    for (i, row) in p.rows().into_iter().enumerate() {
        let s = 1.0 / (1.0 + (-z[[i, 0]]).exp());
        assert_eq!(row[1], s);
        assert_eq!(row[0], 1.0 - s);
    }
    let pred = m.predict(&x).unwrap();
    for (i, label) in pred.iter().enumerate() {
        assert_eq!(*label, u8::from(z[[i, 0]] > 0.0));
    }
}

/// Both solvers, for the tests every solver must pass.
const SOLVERS: [Solver; 2] = [Solver::Lbfgs, Solver::NewtonCg];

#[test]
fn bit_identical_on_one_and_two_threads() {
    for solver in SOLVERS {
        bit_identical_with(solver);
    }
}

fn bit_identical_with(solver: Solver) {
    let (x, y) = synthetic(2000, 3000, 5, 11);
    let run = |threads: usize| {
        support::in_pool(threads, || {
            let m = LogisticRegression::params()
                .solver(solver)
                .fit(&x, &y)
                .unwrap();
            let p = m.predict_proba(&x).unwrap();
            (m, p)
        })
    };
    let (m1, p1) = run(1);
    let (m2, p2) = run(2);
    assert_eq!(m1.n_iter(), m2.n_iter());
    assert!(m1
        .coef()
        .iter()
        .zip(m2.coef().iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert!(m1
        .intercept()
        .iter()
        .zip(m2.intercept().iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert!(p1
        .iter()
        .zip(p2.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(m1.objective().to_bits(), m2.objective().to_bits());
}

#[test]
fn bad_input_is_an_error() {
    let (x, y) = synthetic(50, 10, 3, 5);
    let p = LogisticRegression::params();
    let msg = |r: Result<LogisticRegression<String>>| r.unwrap_err().to_string();

    let one_class = vec!["a".to_string(); 50];
    assert!(matches!(
        p.fit(&x, &one_class),
        Err(Error::TooFewClasses { found: 1 })
    ));
    assert!(msg(p.fit(&x, &y[..49])).contains("number of labels"));
    for (bad, name) in [
        (p.clone().c(0.0), "`c`"),
        (p.clone().c(-1.0), "`c`"),
        (p.clone().c(f64::NAN), "`c`"),
        (p.clone().c(f64::INFINITY), "`c`"),
        (p.clone().tol(f64::NAN), "`tol`"),
        (p.clone().tol(-1e-4), "`tol`"),
        (p.clone().max_iter(0), "`max_iter`"),
        (p.clone().ftol(-1.0), "`ftol`"),
    ] {
        let e = msg(bad.fit(&x, &y));
        assert!(e.contains(name), "{e} should name {name}");
    }
    // NaN and infinite features name the row.
    let mut d = x.to_dense();
    d[[7, 3]] = f64::NAN;
    assert!(matches!(
        p.fit(&d, &y),
        Err(Error::NonFinite { row: 7, col: 3, .. })
    ));
    d[[7, 3]] = 0.0;
    d[[9, 1]] = f64::NEG_INFINITY;
    assert!(matches!(
        p.fit(&CsrMatrix::from_dense(d.view()), &y),
        Err(Error::NonFinite { row: 9, .. })
    ));
    // Sample weights.
    let mut w = vec![1.0; 50];
    w[4] = -1.0;
    assert!(matches!(
        p.fit_weighted(&x, &y, &w),
        Err(Error::InvalidSampleWeight { row: 4, .. })
    ));
    w[4] = f64::NAN;
    assert!(matches!(
        p.fit_weighted(&x, &y, &w),
        Err(Error::InvalidSampleWeight { row: 4, .. })
    ));
    assert!(msg(p.fit_weighted(&x, &y, &[1.0; 3])).contains("sample weights"));
    assert!(msg(p.fit_weighted(&x, &y, &[0.0; 50])).contains("sample_weight"));
    // class_weight with a label that is not a class.
    let cw = BTreeMap::from([("nope".to_string(), 2.0)]);
    assert!(matches!(
        p.clone()
            .class_weight(ClassWeight::Explicit(cw))
            .fit(&x, &y),
        Err(Error::UnknownLabel(_))
    ));
    let cw = BTreeMap::from([("class0".to_string(), -2.0)]);
    assert!(msg(p
        .clone()
        .class_weight(ClassWeight::Explicit(cw))
        .fit(&x, &y))
    .contains("class_weight"));
    // Empty input.
    let empty = CsrMatrix::zeros(0, 10);
    assert!(p.fit(&empty, &[]).is_err());
    // Feature count at predict.
    let m = p.fit(&x, &y).unwrap();
    let wide = Array2::<f64>::zeros((2, 11));
    assert!(matches!(
        m.predict_proba(&wide),
        Err(Error::ShapeMismatch {
            expected: 10,
            found: 11,
            ..
        })
    ));
    assert!(m.predict(&CsrMatrix::zeros(1, 9)).is_err());
    let mut nan_row = Array2::<f64>::zeros((3, 10));
    nan_row[[2, 0]] = f64::NAN;
    assert!(matches!(
        m.predict_proba(&nan_row),
        Err(Error::NonFinite { row: 2, .. })
    ));
    // Warm start from a model with other classes or features.
    let (x2, y2) = synthetic(50, 12, 3, 5);
    assert!(p.clone().warm_start(&m).fit(&x2, &y2).is_err());
    let (_, y4) = synthetic(50, 10, 4, 9);
    assert!(p.clone().warm_start(&m).fit(&x, &y4).is_err());
}

#[test]
fn running_out_of_iterations_is_visible() {
    let (x, y) = synthetic(300, 40, 4, 7);
    for solver in SOLVERS {
        let params = LogisticRegression::params().solver(solver);
        let m = params.clone().max_iter(2).fit(&x, &y).unwrap();
        assert_eq!(m.n_iter(), 2, "{solver:?}");
        assert!(!m.converged());
        assert_eq!(m.stop_reason(), StopReason::MaxIter);
        let full = params.fit(&x, &y).unwrap();
        assert!(full.converged(), "{solver:?}");
        assert!(full.objective() < m.objective());
    }
}

#[test]
fn both_solvers_reach_the_same_optimum() {
    let (x, y) = synthetic(400, 60, 4, 3);
    let (xb, yb) = synthetic(400, 60, 2, 5);
    for (x, y) in [(&x, &y), (&xb, &yb)] {
        for intercept in [true, false] {
            let fit = |solver| {
                LogisticRegression::params()
                    .solver(solver)
                    .fit_intercept(intercept)
                    .c(3.0)
                    .tol(1e-10)
                    .ftol(0.0)
                    .max_iter(5000)
                    .fit(x, y)
                    .unwrap()
            };
            let (a, b) = (fit(Solver::Lbfgs), fit(Solver::NewtonCg));
            assert!(a.converged() && b.converged());
            let d = (a.predict_proba(x).unwrap() - b.predict_proba(x).unwrap())
                .mapv(f64::abs)
                .fold(0.0, |m: f64, &v| m.max(v));
            assert!(d < 1e-7, "{d}");
            assert!((a.objective() - b.objective()).abs() < 1e-12);
            // Newton's quadratic convergence: far fewer iterations.
            assert!(
                b.n_iter() * 3 < a.n_iter(),
                "{} vs {}",
                b.n_iter(),
                a.n_iter()
            );
        }
    }
}

#[test]
fn warm_start_continues_from_an_earlier_model() {
    for solver in SOLVERS {
        warm_start_with(solver);
    }
}

fn warm_start_with(solver: Solver) {
    let (x, y) = synthetic(300, 40, 4, 7);
    let tight = LogisticRegression::params()
        .solver(solver)
        .tol(1e-8)
        .max_iter(1000);
    let direct = tight.clone().fit(&x, &y).unwrap();
    let short = LogisticRegression::params()
        .solver(solver)
        .max_iter(3)
        .fit(&x, &y)
        .unwrap();
    let resumed = tight.warm_start(&short).fit(&x, &y).unwrap();
    assert!(resumed.converged());
    let d = (resumed.predict_proba(&x).unwrap() - direct.predict_proba(&x).unwrap())
        .mapv(f64::abs)
        .fold(0.0, |a: f64, &b| a.max(b));
    assert!(d < 1e-6, "{d}");
    // Starting at the optimum takes (almost) no iterations.
    let again = LogisticRegression::params()
        .solver(solver)
        .warm_start(&direct)
        .fit(&x, &y)
        .unwrap();
    assert!(again.n_iter() <= 1, "{}", again.n_iter());
}

#[test]
fn weights_follow_sklearn_semantics() {
    let (x, y) = synthetic(120, 15, 3, 13);
    let tight = LogisticRegression::params()
        .tol(1e-10)
        .ftol(0.0)
        .max_iter(5000);
    // Integer sample weights == repeated rows.
    let w: Vec<f64> = (0..120).map(|i| (i % 3) as f64).collect();
    let weighted = tight.fit_weighted(&x, &y, &w).unwrap();
    let mut rows = Vec::new();
    for (i, &wi) in w.iter().enumerate() {
        for _ in 0..wi as usize {
            rows.push(i);
        }
    }
    let xr = x.select_rows(&rows).unwrap();
    let yr: Vec<String> = rows.iter().map(|&i| y[i].clone()).collect();
    let repeated = tight.fit(&xr, &yr).unwrap();
    let d = (weighted.predict_proba(&x).unwrap() - repeated.predict_proba(&x).unwrap())
        .mapv(f64::abs)
        .fold(0.0, |a: f64, &b| a.max(b));
    assert!(d < 1e-7, "weights vs repeats: {d}");
    // class_weight 2 for every class == C = 2.
    let all2: BTreeMap<String, f64> = ["class0", "class1", "class2"]
        .iter()
        .map(|c| (c.to_string(), 2.0))
        .collect();
    let a = tight
        .clone()
        .class_weight(ClassWeight::Explicit(all2))
        .fit(&x, &y)
        .unwrap();
    let b = tight.clone().c(2.0).fit(&x, &y).unwrap();
    let d = (a.coef() - b.coef())
        .mapv(f64::abs)
        .fold(0.0, |m: f64, &v| m.max(v));
    assert!(d < 1e-6, "class weight 2 vs C = 2: {d}");
    // Balanced weights with equal class sizes change nothing.
    let yb: Vec<String> = (0..120).map(|i| format!("c{}", i % 3)).collect();
    let a = tight
        .clone()
        .class_weight(ClassWeight::Balanced)
        .fit(&x, &yb)
        .unwrap();
    let b = tight.fit(&x, &yb).unwrap();
    let d = (a.coef() - b.coef())
        .mapv(f64::abs)
        .fold(0.0, |m: f64, &v| m.max(v));
    assert!(d < 1e-9, "balanced on balanced data: {d}");
}

#[test]
fn unscaled_ill_conditioned_data_does_not_break_the_solver() {
    // Columns on wildly different scales, one constant, one duplicated.
    let n = 200;
    let x = Array2::from_shape_fn((n, 5), |(i, j)| {
        let t = i as f64;
        match j {
            0 => (t * 0.37).sin() * 1e6,
            1 => (t * 0.11).cos() * 1e-6,
            2 => 42.0,
            3 => (t * 0.37).sin() * 1e6,
            _ => t,
        }
    });
    let y: Vec<i32> = (0..n).map(|i| ((i * 7) % 3) as i32).collect();
    for solver in SOLVERS {
        for c in [1e-3, 1.0, 1e6] {
            let m = LogisticRegression::params()
                .solver(solver)
                .c(c)
                .max_iter(500)
                .fit(&x, &y)
                .unwrap();
            let p = m.predict_proba(&x).unwrap();
            assert!(p.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
            assert!(m.objective().is_finite());
        }
        // Separable data with a huge C: the optimum is far away; no panic.
        let xs = array![[1e3], [2e3], [-1e3], [-2e3]];
        let m = LogisticRegression::params()
            .solver(solver)
            .c(1e12)
            .max_iter(1000)
            .fit(&xs, &[1, 1, 0, 0])
            .unwrap();
        assert_eq!(m.predict(&xs).unwrap(), vec![1, 1, 0, 0], "{solver:?}");
    }
}

#[test]
fn save_and_load_round_trip_and_damaged_files() {
    let (x, y) = synthetic(200, 30, 3, 21);
    let m = LogisticRegression::params().fit(&x, &y).unwrap();
    let text = io::to_string(&m).unwrap();
    let back: LogisticRegression<String> = io::from_str(&text).unwrap();
    assert_eq!(back, m);
    let (p1, p2) = (
        m.predict_proba(&x).unwrap(),
        back.predict_proba(&x).unwrap(),
    );
    assert!(p1
        .iter()
        .zip(p2.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(
        io::header(text.as_bytes()).unwrap().kind,
        "LogisticRegression"
    );

    let dir = std::env::temp_dir().join(format!("proba-lr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lr.json");
    io::save(&m, &path).unwrap();
    assert_eq!(io::load::<LogisticRegression<String>>(&path).unwrap(), m);
    std::fs::remove_dir_all(&dir).unwrap();

    // Truncated.
    assert!(io::from_str::<LogisticRegression<String>>(&text[..text.len() / 2]).is_err());
    // Wrong label type.
    assert!(io::from_str::<LogisticRegression<i64>>(&text).is_err());
    // Altered: drop a class (coef rows no longer match), unsort classes,
    // break the coefficient matrix shape.
    let fewer = text.replace("\"class0\",", "");
    assert!(io::from_str::<LogisticRegression<String>>(&fewer).is_err());
    let unsorted = text.replace("\"class0\",\"class1\"", "\"class1\",\"class0\"");
    assert_ne!(unsorted, text);
    assert!(io::from_str::<LogisticRegression<String>>(&unsorted).is_err());
    let bad_dim = text.replacen("\"dim\":[3,30]", "\"dim\":[3,31]", 1);
    assert_ne!(bad_dim, text);
    assert!(io::from_str::<LogisticRegression<String>>(&bad_dim).is_err());
}

#[test]
fn view_of_a_transposed_matrix_is_accepted() {
    let (x, y) = synthetic(100, 8, 2, 4);
    let dense = x.to_dense();
    let t = dense.t().to_owned();
    let view: ArrayView2<'_, f64> = t.t();
    let a = LogisticRegression::params().fit(&view, &y).unwrap();
    let b = LogisticRegression::params().fit(&dense, &y).unwrap();
    assert_eq!(a.coef(), b.coef());
}

/// One `ClassWeight` for every model: the linear and tree paths name the
/// same type, `None` means no weights, the old `Map` spelling still means
/// `Explicit`, and `BalancedSubsample` is refused where there is no
/// bootstrap sample.
#[test]
fn one_class_weight_type_for_every_model() {
    let x = array![[0.0, 1.0], [0.2, 0.9], [1.0, 0.0], [0.9, 0.3], [0.5, 0.5]];
    let y = ["a", "a", "b", "b", "b"];
    let cw: proba::tree::ClassWeight<&str> = proba::ClassWeight::Balanced;
    let same: ClassWeight<&str> = cw;
    let fitted = |w: ClassWeight<&str>| {
        LogisticRegression::params()
            .class_weight(w)
            .fit(&x, &y)
            .unwrap()
            .predict_proba(&x)
            .unwrap()
    };
    let plain = LogisticRegression::params()
        .fit(&x, &y)
        .unwrap()
        .predict_proba(&x)
        .unwrap();
    assert_eq!(fitted(ClassWeight::None), plain);
    assert_ne!(fitted(same), plain);
    let map = BTreeMap::from([("a", 3.0)]);
    #[allow(deprecated)]
    let old = fitted(ClassWeight::Map(map.clone()));
    assert_eq!(old, fitted(ClassWeight::Explicit(map.clone())));
    for err in [
        LogisticRegression::params()
            .class_weight(ClassWeight::BalancedSubsample)
            .fit(&x, &y)
            .unwrap_err(),
        proba::linear::SgdClassifier::params()
            .class_weight(ClassWeight::BalancedSubsample)
            .fit(&x, &y)
            .unwrap_err(),
        proba::tree::DecisionTreeClassifier::params()
            .class_weight(ClassWeight::BalancedSubsample)
            .fit(&x, &y)
            .unwrap_err(),
    ] {
        assert!(
            matches!(
                err,
                Error::InvalidParameter {
                    name: "class_weight",
                    ..
                }
            ),
            "{err}"
        );
    }
    // The same explicit map weighs a forest's rows.
    let rf = proba::ensemble::RandomForestClassifier::params()
        .n_estimators(3)
        .class_weight(ClassWeight::Explicit(map))
        .fit(&x, &y)
        .unwrap();
    assert_eq!(rf.classes(), &["a", "b"]);
}
