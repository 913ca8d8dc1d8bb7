//! Fitted models deserialized with plain serde (not through `proba::io`) are
//! validated too: an altered model is an error at load, never a panic or a
//! hang at predict.

use ndarray::array;
use proba::linear::LogisticRegression;
use proba::prelude::*;
use proba::tree::DecisionTreeClassifier;

#[test]
fn altered_logistic_regression_is_refused_by_serde() -> Result<()> {
    let x = array![
        [0.0, 1.0],
        [1.0, 0.0],
        [0.2, 0.9],
        [0.9, 0.1],
        [0.5, 0.5],
        [0.4, 0.6]
    ];
    let y = vec![0_i64, 1, 0, 1, 2, 2];
    let lr = LogisticRegression::params().fit(&x, &y)?;
    let json = serde_json::to_string(&lr).expect("serializable");
    let back: LogisticRegression<i64> = serde_json::from_str(&json).expect("valid model");
    assert_eq!(back.predict_proba(&x)?, lr.predict_proba(&x)?);
    let fewer_classes = json.replace("\"classes\":[0,1,2]", "\"classes\":[0]");
    assert_ne!(fewer_classes, json);
    assert!(serde_json::from_str::<LogisticRegression<i64>>(&fewer_classes).is_err());
    Ok(())
}

#[test]
fn tree_with_a_backward_child_is_refused_by_serde() -> Result<()> {
    let x = array![[1.0], [2.0], [3.0], [4.0]];
    let y = vec![0_i64, 0, 1, 1];
    let tree = DecisionTreeClassifier::params().fit(&x, &y)?;
    let json = serde_json::to_string(&tree).expect("serializable");
    let back: DecisionTreeClassifier<i64> = serde_json::from_str(&json).expect("valid model");
    assert_eq!(back.predict(&x)?, y);
    let cycle = json.replace("\"right\":[2]", "\"right\":[0]");
    assert_ne!(
        cycle, json,
        "fixture assumption: one split, right child at node 2"
    );
    assert!(serde_json::from_str::<DecisionTreeClassifier<i64>>(&cycle).is_err());
    Ok(())
}

/// A user's classifier whose probabilities disagree with its classes gets an
/// error from the provided `predict`, not an index panic.
#[test]
fn provided_predict_checks_the_column_count() {
    struct Broken;
    impl Classifier for Broken {
        type Label = u8;
        fn classes(&self) -> &[u8] {
            &[1]
        }
    }
    impl PredictProba<ndarray::Array2<f64>> for Broken {
        fn predict_proba(&self, x: &ndarray::Array2<f64>) -> Result<ndarray::Array2<f64>> {
            Ok(ndarray::Array2::from_elem((x.nrows(), 3), 0.1))
        }
    }
    let err = Broken.predict(&array![[0.0]]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::ShapeMismatch {
                expected: 1,
                found: 3,
                ..
            }
        ),
        "{err}"
    );
}
