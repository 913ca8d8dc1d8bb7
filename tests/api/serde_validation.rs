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

/// The saved text of `model` with the first `from` replaced by `to`.
fn altered<T: proba::io::Persist + serde::Serialize>(model: &T, from: &str, to: &str) -> String {
    let text = proba::io::to_string(model).unwrap();
    assert!(text.contains(from), "{from} in the saved form");
    text.replacen(from, to, 1)
}

#[test]
fn a_one_vs_rest_file_whose_width_disagrees_with_its_models_is_refused() {
    use proba::multilabel::OneVsRestClassifier;
    let x = array![[0.0, 1.0], [1.0, 0.0], [0.0, 2.0], [2.0, 0.0]];
    let sets: Vec<Vec<String>> = [["a"], ["b"], ["a"], ["b"]]
        .iter()
        .map(|s| s.iter().map(|l| l.to_string()).collect())
        .collect();
    let m = OneVsRestClassifier::<LogisticRegression<bool>, String>::params(
        LogisticRegression::params(),
    )
    .fit(&x, &sets)
    .unwrap();
    let bad = altered(&m, "\"n_features\":2", "\"n_features\":3");
    let err = proba::io::from_str::<OneVsRestClassifier<LogisticRegression<bool>, String>>(&bad)
        .unwrap_err();
    assert!(err.to_string().contains("number of features"), "{err}");
}

#[test]
fn an_idf_no_corpus_can_give_is_refused() {
    use proba::text::TfidfVectorizer;
    let v = TfidfVectorizer::params()
        .fit(&["the cat", "the dog", "a cat"])
        .unwrap();
    let text = proba::io::to_string(&v).unwrap();
    let first = v.idf().unwrap()[0];
    let bad = text.replacen(&format!("{first}"), "1e308", 1);
    assert_ne!(bad, text);
    let err = proba::io::from_str::<TfidfVectorizer>(&bad).unwrap_err();
    assert!(err.to_string().contains("ln 2^64"), "{err}");
}

#[test]
fn a_tree_leaf_whose_fractions_do_not_sum_to_one_is_refused() {
    let x = array![[0.0], [1.0], [2.0], [3.0]];
    let m = DecisionTreeClassifier::params()
        .fit(&x, &[0u8, 0, 1, 1])
        .unwrap();
    let text = proba::io::to_string(&m).unwrap();
    // Pure leaves hold one fraction of 1.0 each.
    let bad = text.replacen("\"leaf_value\":[1.0", "\"leaf_value\":[0.5", 1);
    assert_ne!(bad, text, "{text}");
    let err = proba::io::from_str::<DecisionTreeClassifier<u8>>(&bad).unwrap_err();
    assert!(err.to_string().contains("sum to 0.5"), "{err}");
}

/// A file that is not the model's JSON keeps the parser's error as its
/// source (line and column included), so a caller can report or inspect it.
#[test]
fn a_json_error_keeps_the_parsers_error_as_its_source() -> Result<()> {
    let x = array![[0.0], [1.0], [2.0], [3.0]];
    let m = LogisticRegression::params().fit(&x, &["a", "a", "b", "b"])?;
    let text = proba::io::to_string(&m)?;
    for bad in [
        text[..text.len() / 2].to_string(),
        text.replacen("\"coef\"", "\"coefs\"", 1),
        "not json at all".to_string(),
    ] {
        let err = proba::io::from_str::<LogisticRegression<String>>(&bad).unwrap_err();
        assert!(matches!(err, Error::Json(_)), "{err}");
        let source = std::error::Error::source(&err).expect("a source");
        let json = source
            .downcast_ref::<serde_json::Error>()
            .expect("a serde_json::Error");
        assert!(json.line() >= 1, "{json}");
        assert!(err.to_string().starts_with("cannot load model: "), "{err}");
    }
    Ok(())
}
