//! proba::model_selection against scikit-learn 1.9 (tests/fixtures/model_selection,
//! written by scripts/make_fixtures_model_selection.py).

use proba::model_selection::{stratified_train_test_split, StratifiedKFold, TestSize};

use crate::support::{self, usizes};

#[test]
fn unshuffled_stratified_kfold_equals_scikit_learn() {
    let fx = support::fixture("model_selection/sklearn_splits.json");
    assert_eq!(fx["sklearn_version"], "1.9.1");
    for case in fx["kfold"].as_array().unwrap() {
        let y = usizes(&case["y"]);
        let n_splits = case["n_splits"].as_u64().unwrap() as usize;
        let folds = StratifiedKFold::new(n_splits).split(&y).unwrap();
        let expected: Vec<Vec<usize>> = case["test_folds"]
            .as_array()
            .unwrap()
            .iter()
            .map(usizes)
            .collect();
        let got: Vec<Vec<usize>> = folds.into_iter().map(|f| f.test).collect();
        assert_eq!(got, expected, "n_splits {n_splits}, y {y:?}");
    }
}

#[test]
fn stratified_split_sizes_follow_scikit_learn() {
    let fx = support::fixture("model_selection/sklearn_splits.json");
    let cases = fx["split"].as_array().unwrap();
    let mut exact = 0;
    for (i, case) in cases.iter().enumerate() {
        let y = usizes(&case["y"]);
        let size: TestSize = match case["test_size"].as_u64() {
            Some(n) => TestSize::Count(n as usize),
            None => TestSize::Fraction(case["test_size"].as_f64().unwrap()),
        };
        let (train, test) = stratified_train_test_split(&y, size, i as u64).unwrap();
        let k = usizes(&case["test_counts"]).len();
        let count = |idx: &[usize]| {
            let mut c = vec![0usize; k];
            idx.iter().for_each(|&r| c[y[r]] += 1);
            c
        };
        let (want_train, want_test) = (usizes(&case["train_counts"]), usizes(&case["test_counts"]));
        let (got_train, got_test) = (count(&train), count(&test));
        // The totals are scikit-learn's exactly; a class may get one row more
        // or less only where scikit-learn breaks a tie at random.
        assert_eq!(
            got_test.iter().sum::<usize>(),
            want_test.iter().sum::<usize>()
        );
        assert_eq!(
            got_train.iter().sum::<usize>(),
            want_train.iter().sum::<usize>()
        );
        for (g, w) in got_test.iter().zip(&want_test) {
            assert!(
                g.abs_diff(*w) <= 1,
                "case {i}: {got_test:?} vs {want_test:?}"
            );
        }
        exact += usize::from(got_test == want_test && got_train == want_train);
    }
    eprintln!(
        "{exact} of {} splits have scikit-learn's exact per-class sizes",
        cases.len()
    );
    assert!(
        exact * 2 >= cases.len(),
        "only {exact} of {} exact",
        cases.len()
    );
}
