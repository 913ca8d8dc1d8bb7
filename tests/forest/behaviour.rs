//! Behaviour of trees and forests that does not need scikit-learn: perfect
//! fit of a fully grown tree, determinism across threads, seeds, bad input,
//! persistence and damaged files.

use std::collections::BTreeMap;

use ndarray::{array, Array2};
use proba::ensemble::RandomForestClassifier;
use proba::io;
use proba::prelude::*;
use proba::tree::{ClassWeight, DecisionTreeClassifier, MaxFeatures};

use crate::support;

/// A small deterministic data set: 3 classes, 6 features, some exact
/// duplicates (with equal labels), continuous and tied values, a constant column.
fn toy(n: usize) -> (Array2<f64>, Vec<u32>) {
    let mut state = support::xorshift(0x9E37_79B9_7F4A_7C15);
    let mut next = move || support::unit_f64(state());
    let mut x = Array2::zeros((n, 6));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        if i % 10 == 9 {
            // Duplicate of the previous row, same label.
            let prev = x.row(i - 1).to_owned();
            x.row_mut(i).assign(&prev);
            y.push(y[i - 1]);
            continue;
        }
        let a = next() * 10.0 - 5.0;
        let b = (next() * 4.0).round();
        let c = if next() < 0.7 { 0.0 } else { next() * 1e-3 };
        x[[i, 0]] = a;
        x[[i, 1]] = b;
        x[[i, 2]] = c;
        x[[i, 3]] = 7.0;
        x[[i, 4]] = -next();
        x[[i, 5]] = if next() < 0.5 { 0.0 } else { 1.0 };
        let noisy = if next() < 0.2 { 1 } else { 0 };
        y.push(((a > 0.0) as u32 + (b > 2.0) as u32 + noisy) % 3);
    }
    (x, y)
}

#[test]
fn fully_grown_tree_fits_its_training_set() -> Result<()> {
    let (x, y) = toy(300);
    let sparse = CsrMatrix::from_dense(x.view());
    for seed in [0, 1, 2] {
        let dense_tree = DecisionTreeClassifier::params().seed(seed).fit(&x, &y)?;
        assert_eq!(dense_tree.predict(&x)?, y, "dense, seed {seed}");
        let sparse_tree = DecisionTreeClassifier::params()
            .seed(seed)
            .fit(&sparse, &y)?;
        assert_eq!(sparse_tree.predict(&sparse)?, y, "sparse, seed {seed}");
        assert_eq!(dense_tree, sparse_tree);
        // Pure leaves: every training row gets probability 1 for its class.
        let p = dense_tree.predict_proba(&x)?;
        assert!(p.iter().all(|&v| v == 0.0 || v == 1.0));
    }
    // Same through a forest of one tree without bootstrap, all features.
    let rf = RandomForestClassifier::params()
        .n_estimators(1)
        .bootstrap(false)
        .max_features(MaxFeatures::All)
        .fit(&sparse, &y)?;
    assert_eq!(rf.predict(&sparse)?, y);
    Ok(())
}

#[test]
fn conflicting_duplicates_give_mixed_leaves() -> Result<()> {
    let x = array![[1.0, 2.0], [1.0, 2.0], [3.0, 0.0], [1.0, 2.0]];
    let y = ["a", "b", "b", "a"].map(String::from);
    let t = DecisionTreeClassifier::params().fit(&x, &y)?;
    let p = t.predict_proba(&array![[1.0, 2.0], [3.0, 0.0]])?;
    assert_eq!(p, array![[2.0 / 3.0, 1.0 / 3.0], [0.0, 1.0]]);
    Ok(())
}

#[test]
fn same_forest_on_one_and_two_threads() -> Result<()> {
    let (x, y) = toy(400);
    let sparse = CsrMatrix::from_dense(x.view());
    let params = RandomForestClassifier::params()
        .n_estimators(24)
        .seed(11)
        .oob_score(true);
    let one = support::in_pool(1, || params.fit(&sparse, &y))?;
    let two = support::in_pool(2, || params.fit(&sparse, &y))?;
    assert_eq!(one, two);
    assert_eq!(one.oob_decision_function(), two.oob_decision_function());
    assert_eq!(io::to_string(&one)?, io::to_string(&two)?);
    // A local pool through n_jobs gives the same forest too.
    let local = params.clone().n_jobs(2).fit(&sparse, &y)?;
    assert_eq!(local, one);
    let p1 = support::in_pool(1, || one.predict_proba(&x))?;
    assert_eq!(p1, two.predict_proba(&x)?);
    Ok(())
}

#[test]
fn different_seeds_give_different_forests() -> Result<()> {
    let (x, y) = toy(300);
    let a = RandomForestClassifier::params()
        .n_estimators(10)
        .seed(1)
        .fit(&x, &y)?;
    let b = RandomForestClassifier::params()
        .n_estimators(10)
        .seed(2)
        .fit(&x, &y)?;
    assert_ne!(a, b);
    assert_ne!(a.predict_proba(&x)?, b.predict_proba(&x)?);
    // And the same seed twice gives the same forest.
    let c = RandomForestClassifier::params()
        .n_estimators(10)
        .seed(1)
        .fit(&x, &y)?;
    assert_eq!(a, c);
    Ok(())
}

#[test]
fn probabilities_importances_and_oob_are_consistent() -> Result<()> {
    let (x, y) = toy(300);
    let rf = RandomForestClassifier::params()
        .n_estimators(30)
        .oob_score(true)
        .fit(&x, &y)?;
    let p = rf.predict_proba(&x)?;
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    let imp = rf.feature_importances();
    assert_eq!(imp.len(), 6);
    assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(imp[3], 0.0, "a constant column never splits");
    // The most informative feature ranks first (MDI also favours the
    // continuous noise column 4 over the coin-flip column 5).
    assert!(imp.iter().all(|&v| v <= imp[0]), "{imp:?}");
    assert!(imp[4] > imp[5], "{imp:?}");
    let oob = rf.oob_score().unwrap();
    assert!((0.5..1.0).contains(&oob), "{oob}");
    let dec = rf.oob_decision_function().unwrap();
    assert_eq!(dec.dim(), (300, 3));
    Ok(())
}

#[test]
fn oob_is_absent_unless_asked() -> Result<()> {
    let (x, y) = toy(100);
    let rf = RandomForestClassifier::params()
        .n_estimators(5)
        .fit(&x, &y)?;
    assert!(rf.oob_score().is_none() && rf.oob_decision_function().is_none());
    Ok(())
}

fn expect_param(r: Result<impl std::fmt::Debug>, name: &str) {
    match r {
        Err(Error::InvalidParameter { name: n, .. }) if n == name => {}
        other => panic!("expected invalid `{name}`, got {other:?}"),
    }
}

#[test]
fn bad_input_is_an_error() {
    let (x, y) = toy(50);
    let rf = || RandomForestClassifier::params().n_estimators(3);
    let dt = DecisionTreeClassifier::params;

    let mut nan = x.clone();
    nan[[7, 2]] = f64::NAN;
    match rf().fit(&nan, &y) {
        Err(Error::NonFinite { row: 7, col: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut inf = x.clone();
    inf[[3, 0]] = f64::INFINITY;
    assert!(matches!(
        dt().fit(&CsrMatrix::from_dense(inf.view()), &y),
        Err(Error::NonFinite { row: 3, .. })
    ));
    let mut huge = x.clone();
    huge[[4, 1]] = 1e300;
    expect_param(rf().fit(&huge, &y), "x");

    expect_param(rf().n_estimators(0).fit(&x, &y), "n_estimators");
    expect_param(
        rf().max_features(MaxFeatures::Count(0)).fit(&x, &y),
        "max_features",
    );
    expect_param(
        rf().max_features(MaxFeatures::Count(7)).fit(&x, &y),
        "max_features",
    );
    expect_param(
        rf().max_features(MaxFeatures::Fraction(0.0)).fit(&x, &y),
        "max_features",
    );
    expect_param(
        rf().max_features(MaxFeatures::Fraction(1.5)).fit(&x, &y),
        "max_features",
    );
    expect_param(rf().min_samples_leaf(0).fit(&x, &y), "min_samples_leaf");
    expect_param(rf().min_samples_leaf(1.0).fit(&x, &y), "min_samples_leaf");
    expect_param(rf().min_samples_leaf(-3).fit(&x, &y), "min_samples_leaf");
    expect_param(rf().min_samples_split(1).fit(&x, &y), "min_samples_split");
    expect_param(rf().min_samples_split(1.5).fit(&x, &y), "min_samples_split");
    expect_param(
        rf().min_samples_split(f64::NAN).fit(&x, &y),
        "min_samples_split",
    );
    expect_param(
        rf().min_impurity_decrease(-1.0).fit(&x, &y),
        "min_impurity_decrease",
    );
    expect_param(rf().max_depth(0).fit(&x, &y), "max_depth");
    expect_param(rf().max_samples(0).fit(&x, &y), "max_samples");
    expect_param(rf().max_samples(-0.5).fit(&x, &y), "max_samples");
    expect_param(
        rf().bootstrap(false).oob_score(true).fit(&x, &y),
        "oob_score",
    );
    expect_param(rf().n_jobs(0).fit(&x, &y), "n_jobs");
    expect_param(rf().seed(1 << 40).fit(&x, &y), "seed");
    expect_param(
        dt().class_weight(ClassWeight::BalancedSubsample)
            .fit(&x, &y),
        "class_weight",
    );
    expect_param(
        rf().class_weight(ClassWeight::Explicit(BTreeMap::from([(0, -1.0)])))
            .fit(&x, &y),
        "class_weight",
    );
    expect_param(
        rf().class_weight(ClassWeight::Explicit(BTreeMap::from([
            (0, 0.0),
            (1, 0.0),
            (2, 0.0),
        ])))
        .fit(&x, &y),
        "class_weight",
    );
    assert!(matches!(
        rf().class_weight(ClassWeight::Explicit(BTreeMap::from([(9, 1.0)])))
            .fit(&x, &y),
        Err(Error::UnknownLabel(_))
    ));

    let empty = Array2::<f64>::zeros((0, 6));
    assert!(matches!(
        rf().fit(&empty, &[] as &[u32]),
        Err(Error::EmptyInput(_))
    ));
    assert!(matches!(
        dt().fit(&Array2::<f64>::zeros((5, 0)), &[0u32; 5]),
        Err(Error::EmptyInput(_))
    ));
    assert!(matches!(
        rf().fit(&x, &y[..49]),
        Err(Error::ShapeMismatch {
            expected: 50,
            found: 49,
            ..
        })
    ));

    // Predict: wrong width, non-finite values.
    let model = rf().fit(&x, &y).unwrap();
    let narrow = Array2::<f64>::zeros((2, 5));
    assert!(matches!(
        model.predict_proba(&narrow),
        Err(Error::ShapeMismatch {
            expected: 6,
            found: 5,
            ..
        })
    ));
    assert!(matches!(
        model.predict(&CsrMatrix::zeros(2, 9)),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        model.predict_proba(&nan),
        Err(Error::NonFinite { row: 7, .. })
    ));
    let tree = dt().fit(&x, &y).unwrap();
    assert!(matches!(
        tree.predict_proba(&narrow.view()),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn one_class_is_certain() -> Result<()> {
    let x = array![[1.0], [2.0], [3.0]];
    let rf = RandomForestClassifier::params()
        .n_estimators(4)
        .fit(&x, &[5i64, 5, 5])?;
    assert_eq!(rf.classes(), &[5]);
    assert_eq!(rf.predict_proba(&x)?, array![[1.0], [1.0], [1.0]]);
    Ok(())
}

#[test]
fn saved_models_predict_identically() -> Result<()> {
    let (x, y) = toy(200);
    let sparse = CsrMatrix::from_dense(x.view());
    let labels: Vec<String> = y.iter().map(|c| format!("class-{c}")).collect();
    let rf = RandomForestClassifier::params()
        .n_estimators(12)
        .fit(&sparse, &labels)?;
    let dir = std::env::temp_dir().join(format!("proba-forest-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("rf.json");
    io::save(&rf, &path)?;
    let back: RandomForestClassifier<String> = io::load(&path)?;
    assert_eq!(back, rf);
    assert_eq!(back.predict_proba(&x)?, rf.predict_proba(&x)?);
    assert_eq!(back.feature_importances(), rf.feature_importances());
    std::fs::remove_dir_all(&dir)?;

    let tree = DecisionTreeClassifier::params().fit(&x, &y)?;
    let back: DecisionTreeClassifier<u32> = io::from_str(&io::to_string(&tree)?)?;
    assert_eq!(back.predict_proba(&sparse)?, tree.predict_proba(&sparse)?);
    // A tree file is not a forest file.
    assert!(io::from_str::<RandomForestClassifier<u32>>(&io::to_string(&tree)?).is_err());
    Ok(())
}

/// An alteration of one saved tree.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

/// Applies `edit` to the first tree of a saved forest and loads it back.
fn load_edited(
    text: &str,
    edit: impl Fn(&mut serde_json::Value),
) -> Result<RandomForestClassifier<u32>> {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut v["model"]["trees"][0]);
    io::from_str(&v.to_string())
}

#[test]
fn damaged_files_are_refused_not_panicking() -> Result<()> {
    let (x, y) = toy(120);
    let rf = RandomForestClassifier::params()
        .n_estimators(3)
        .fit(&x, &y)?;
    let text = io::to_string(&rf)?;
    assert!(load_edited(&text, |_| {}).is_ok());

    let first_internal = |t: &serde_json::Value| {
        t["feature"]
            .as_array()
            .unwrap()
            .iter()
            .position(|f| f.as_i64().unwrap() >= 0)
            .unwrap()
    };
    let edits: Vec<(&str, Edit)> = vec![
        (
            "feature out of range",
            Box::new(move |t| {
                let i = first_internal(t);
                t["feature"][i] = 6.into();
            }),
        ),
        (
            "right child pointing back to the root (a cycle)",
            Box::new(|t| t["right"][0] = 0.into()),
        ),
        (
            "right child out of range",
            Box::new(|t| t["right"][0] = 1_000_000.into()),
        ),
        (
            "leaf class out of range",
            Box::new(|t| t["leaf_class"][0] = 3.into()),
        ),
        (
            "leaf fraction above 1",
            Box::new(|t| t["leaf_value"][0] = 2.5.into()),
        ),
        (
            "a node turned into a leaf",
            Box::new(|t| t["feature"][0] = (-1).into()),
        ),
        (
            "missing threshold",
            Box::new(|t| {
                t["threshold"].as_array_mut().unwrap().pop();
            }),
        ),
        (
            "leaf lengths too long",
            Box::new(|t| t["leaf_len"][0] = 99.into()),
        ),
        (
            "no nodes",
            Box::new(|t| {
                for k in [
                    "feature",
                    "threshold",
                    "right",
                    "leaf_len",
                    "leaf_class",
                    "leaf_value",
                ] {
                    t[k] = serde_json::json!([]);
                }
            }),
        ),
    ];
    for (what, edit) in edits {
        match load_edited(&text, edit) {
            Err(Error::Format(_) | Error::Json(_)) => {}
            other => panic!("{what}: expected a format error, got {other:?}"),
        }
    }
    // Other fields of the model.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["model"]["n_features"] = 2.into();
    assert!(io::from_str::<RandomForestClassifier<u32>>(&v.to_string()).is_err());
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["model"]["classes"] = serde_json::json!([2, 1, 0]);
    assert!(io::from_str::<RandomForestClassifier<u32>>(&v.to_string()).is_err());
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["model"]["trees"] = serde_json::json!([]);
    assert!(io::from_str::<RandomForestClassifier<u32>>(&v.to_string()).is_err());
    Ok(())
}

/// What a generic wrapper such as one-vs-rest does: fit through the trait.
fn fit_binary<P: Fit<CsrMatrix, bool>>(params: &P, x: &CsrMatrix, y: &[bool]) -> Result<P::Fitted> {
    params.fit(x, y)
}

#[test]
fn params_fit_through_the_fit_trait() -> Result<()> {
    let (x, y) = toy(120);
    let sparse = CsrMatrix::from_dense(x.view());
    let y: Vec<bool> = y.iter().map(|&c| c == 1).collect();
    let rf = fit_binary(
        &RandomForestClassifier::params().n_estimators(8).seed(4),
        &sparse,
        &y,
    )?;
    assert_eq!(rf.classes(), &[false, true]);
    assert_eq!(rf.predict_proba(&sparse)?.ncols(), 2);
    let direct = RandomForestClassifier::params()
        .n_estimators(8)
        .seed(4)
        .fit(&sparse, &y)?;
    assert_eq!(rf, direct);
    let tree = fit_binary(&DecisionTreeClassifier::params(), &sparse, &y)?;
    assert_eq!(tree.predict(&sparse)?, y);
    Ok(())
}

#[test]
fn explicit_zeros_and_negatives_in_csr_match_dense() -> Result<()> {
    let (x, y) = toy(150);
    // Store every value of columns 2 and 5, zeros included.
    let mut indptr = vec![0];
    let (mut indices, mut data) = (vec![], vec![]);
    for row in x.rows() {
        for (j, &v) in row.iter().enumerate() {
            if v != 0.0 || j == 2 || j == 5 {
                indices.push(j);
                data.push(v);
            }
        }
        indptr.push(indices.len());
    }
    let sparse = CsrMatrix::new(150, 6, indptr, indices, data)?;
    let params = RandomForestClassifier::params().n_estimators(6).seed(9);
    let a = params.fit(&x, &y)?;
    let b = params.fit(&sparse, &y)?;
    assert_eq!(a, b);
    assert_eq!(a.predict_proba(&x)?, b.predict_proba(&sparse)?);
    Ok(())
}

/// Sparse rows are walked two ways: scattered once into a dense buffer
/// (up to 2^18 features) or searched at each node (wider). Both must give
/// what the dense rows give: here, the toy data spread over 2^18 + 6
/// columns (the wide path) and over 6 (the scattered one).
#[test]
fn sparse_rows_predict_as_dense_rows_at_any_width() -> Result<()> {
    let (x, y) = toy(120);
    for width in [6usize, (1 << 18) + 6] {
        // Column j of the toy data goes to column j * (width / 6).
        let step = width / 6;
        let mut indptr = vec![0];
        let (mut indices, mut data) = (vec![], vec![]);
        for row in x.rows() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    indices.push(j * step);
                    data.push(v);
                }
            }
            indptr.push(indices.len());
        }
        let sparse = CsrMatrix::new(120, width, indptr, indices, data)?;
        let rf = RandomForestClassifier::params()
            .n_estimators(5)
            .max_features(MaxFeatures::All)
            .seed(3)
            .fit(&sparse, &y)?;
        let mut dense = Array2::zeros((8, width));
        for i in 0..8 {
            for (j, &v) in x.row(i).iter().enumerate() {
                dense[[i, j * step]] = v;
            }
        }
        let first = sparse.select_rows(&(0..8).collect::<Vec<_>>())?;
        assert_eq!(
            rf.predict_proba(&first)?,
            rf.predict_proba(&dense)?,
            "width {width}"
        );
        // One row at a time (the serving case) as in a batch.
        let one = sparse.select_rows(&[3])?;
        assert_eq!(
            rf.predict_proba(&one)?.row(0),
            rf.predict_proba(&first)?.row(3)
        );
    }
    Ok(())
}

/// `cargo fuzz` found normalised importances of -1.1e-9 (a tree) and
/// -1.2e-16 (a forest) on tiny data with class weights far apart (the
/// inputs were lost; the clamp itself is tested in
/// `tree::builder::criterion`). This property sweep over such data
/// (weights from 1e-150 to 1e100, both criteria) checks every value is in
/// [0, 1] and the non-zero ones sum to 1; it also passes without the
/// clamp, so it guards the normalisation, not that rounding.
#[test]
fn importances_are_never_negative_even_with_extreme_class_weights() -> Result<()> {
    use proba::tree::Criterion;
    let weights = [1e-150, 1e-20, 0.5, 1.0, 3.0, 1e20, 1e100];
    let mut next = support::xorshift(0x9E37_79B9_7F4A_7C15);
    for case in 0..400 {
        let n = 3 + (next() % 6) as usize;
        let x = Array2::from_shape_fn((n, 4), |_| {
            [0.0, 1.0, -1.0, 0.5, 2.0][(next() % 5) as usize]
        });
        let y: Vec<u8> = (0..n).map(|_| (next() % 3) as u8).collect();
        let cw: BTreeMap<u8, f64> = (0..3u8)
            .map(|c| (c, weights[(next() % weights.len() as u64) as usize]))
            .collect();
        let criterion = if case % 2 == 0 {
            Criterion::Gini
        } else {
            Criterion::Entropy
        };
        let tree = DecisionTreeClassifier::params()
            .criterion(criterion)
            .class_weight(ClassWeight::Explicit(cw.clone()))
            .fit(&x, &y);
        let forest = RandomForestClassifier::params()
            .n_estimators(3)
            .criterion(criterion)
            .seed(case)
            .class_weight(ClassWeight::Explicit(cw))
            .fit(&x, &y);
        let sets = [
            tree.map(|m| m.feature_importances()),
            forest.map(|m| m.feature_importances()),
        ];
        for imp in sets.into_iter().flatten() {
            assert!(
                imp.iter().all(|v| (0.0..=1.0 + 1e-12).contains(v)),
                "case {case}: {imp:?}"
            );
            let sum: f64 = imp.iter().sum();
            assert!(
                sum == 0.0 || (sum - 1.0).abs() < 1e-9,
                "case {case}: sums to {sum}"
            );
        }
    }
    Ok(())
}
