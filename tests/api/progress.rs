//! The progress hook: events are reported, and a hook never changes the model.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use proba::ensemble::RandomForestClassifier;
use proba::linear::{LogisticRegression, Solver, StopReason};
use proba::multilabel::OneVsRestClassifier;
use proba::ndarray::Array2;
use proba::prelude::*;
use proba::progress::{Progress, ProgressEvent};

use crate::support;

/// A small deterministic 3-class problem, `n x 6`.
fn data(n: usize) -> (Array2<f64>, Vec<u32>) {
    let mut state = support::xorshift(0x2545_f491_4f6c_dd1d);
    let mut next = move || support::unit_f64(state());
    let y: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
    let x = Array2::from_shape_fn((n, 6), |(i, j)| {
        next() + if j as u32 == y[i] { 0.8 } else { 0.0 }
    });
    (x, y)
}

/// Records every event.
#[derive(Default)]
struct Recorder(Mutex<Vec<ProgressEvent>>);

impl Progress for Recorder {
    fn on_event(&self, ev: ProgressEvent) {
        self.0.lock().unwrap().push(ev);
    }
}

impl Recorder {
    fn events(&self) -> Vec<ProgressEvent> {
        self.0.lock().unwrap().clone()
    }
}

#[test]
fn logistic_reports_each_iteration_and_fits_the_same_model() {
    let (x, y) = data(90);
    for solver in [Solver::Lbfgs, Solver::NewtonCg] {
        for max_iter in [3, 100] {
            let params = LogisticRegression::params()
                .solver(solver)
                .max_iter(max_iter);
            let plain = params.clone().fit(&x, &y).unwrap();
            let rec = Arc::new(Recorder::default());
            let observed = params.progress(rec.clone()).fit(&x, &y).unwrap();
            // Bit-identical: PartialEq on the fitted model compares every f64.
            assert_eq!(plain, observed, "{solver:?} max_iter {max_iter}");
            let events = rec.events();
            assert_eq!(events.len(), plain.n_iter(), "{solver:?} {max_iter}");
            for (i, ev) in events.iter().enumerate() {
                match *ev {
                    ProgressEvent::Iteration {
                        iter,
                        max_iter: m,
                        loss,
                        grad_max,
                    } => {
                        assert_eq!((iter, m), (i + 1, max_iter));
                        assert!(loss.is_finite() && grad_max.is_finite());
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
            // The last event's loss is the model's objective.
            if let Some(ProgressEvent::Iteration { loss, .. }) = events.last() {
                assert_eq!(loss.to_bits(), plain.objective().to_bits());
            }
            if max_iter == 3 {
                assert!(!plain.converged());
                assert_eq!(plain.stop_reason(), StopReason::MaxIter);
            } else {
                assert!(plain.converged(), "{solver:?}");
            }
        }
    }
}

#[test]
fn logistic_hook_works_on_sparse_input_and_through_one_vs_rest() {
    let (x, y) = data(60);
    let xs = CsrMatrix::from_dense(x.view());
    let n = Arc::new(AtomicUsize::new(0));
    let m = Arc::clone(&n);
    let hook: Arc<dyn Progress> = Arc::new(move |_: ProgressEvent| {
        m.fetch_add(1, Ordering::Relaxed);
    });
    let model = LogisticRegression::params()
        .progress(Arc::clone(&hook))
        .fit(&xs, &y)
        .unwrap();
    assert_eq!(n.load(Ordering::Relaxed), model.n_iter());

    n.store(0, Ordering::Relaxed);
    let sets: Vec<Vec<u32>> = y.iter().map(|&c| vec![c]).collect();
    let lr = LogisticRegression::params().progress(hook);
    let ovr = OneVsRestClassifier::<LogisticRegression<bool>, u32>::params(lr)
        .fit(&xs, &sets)
        .unwrap();
    let plain =
        OneVsRestClassifier::<LogisticRegression<bool>, u32>::params(LogisticRegression::params())
            .fit(&xs, &sets)
            .unwrap();
    assert_eq!(
        ovr.predict_proba(&xs).unwrap(),
        plain.predict_proba(&xs).unwrap()
    );
    assert!(n.load(Ordering::Relaxed) >= 3, "one fit per label reports");
}

#[test]
fn forest_reports_every_tree_once_and_grows_the_same_forest() {
    let (x, y) = data(120);
    for n_jobs in [1, 2] {
        let params = RandomForestClassifier::params()
            .n_estimators(25)
            .seed(7)
            .n_jobs(n_jobs);
        let plain = params.clone().fit(&x, &y).unwrap();
        let rec = Arc::new(Recorder::default());
        let observed = params.progress(rec.clone()).fit(&x, &y).unwrap();
        assert_eq!(plain, observed);
        assert_eq!(
            plain.predict_proba(&x).unwrap(),
            observed.predict_proba(&x).unwrap()
        );
        let mut done: Vec<usize> = rec
            .events()
            .iter()
            .map(|ev| match *ev {
                ProgressEvent::TreeBuilt { done, total } => {
                    assert_eq!(total, 25);
                    done
                }
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        done.sort_unstable();
        assert_eq!(done, (1..=25).collect::<Vec<_>>(), "n_jobs {n_jobs}");
    }
}

#[test]
fn params_keep_debug_and_equality_with_a_hook() {
    let hook: Arc<dyn Progress> = Arc::new(|_: ProgressEvent| {});
    let rf = RandomForestClassifier::<u32>::params().n_estimators(3);
    let with = rf.clone().progress(Arc::clone(&hook));
    assert_eq!(rf, with, "a hook does not make parameters differ");
    assert!(format!("{with:?}").contains("ProgressHook(set)"));
    assert!(format!("{rf:?}").contains("ProgressHook(none)"));
    let lr = LogisticRegression::<u32>::params().progress(hook);
    assert!(format!("{lr:?}").contains("ProgressHook(set)"));
}
