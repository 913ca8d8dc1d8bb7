//! `SgdClassifier` as another crate calls it: the out-of-core recipe with
//! the names the issue gives, chunked training, pipelines, persistence,
//! threads, and every bad input as an `Error`.

use std::collections::BTreeMap;

use proba::linear::{ClassWeight, SgdClassifier, SgdLearningRate, SgdLoss, SgdPenalty};
use proba::ndarray::{array, Array2};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::text::{HashingVectorizer, TfidfTransformer, TfidfVectorizer};

use crate::support;

fn corpus() -> (Vec<String>, Vec<String>) {
    let docs = [
        ("sport", "the team won the match with a late goal"),
        ("sport", "a great match for the home team and its striker"),
        ("sport", "the coach praised the goal keeper after the game"),
        (
            "tech",
            "the new phone has a faster chip and a bigger screen",
        ),
        (
            "tech",
            "software update brings a faster browser to the phone",
        ),
        ("tech", "the chip maker shows a new processor and software"),
        (
            "food",
            "bake the bread with butter flour and a pinch of salt",
        ),
        ("food", "a soup of tomato garlic and fresh basil for dinner"),
        ("food", "slow cooked beans with garlic bread and butter"),
    ];
    let texts = docs.iter().map(|d| d.1.to_string()).collect();
    let labels = docs.iter().map(|d| d.0.to_string()).collect();
    (texts, labels)
}

#[test]
fn the_out_of_core_recipe_with_the_issues_names() -> Result<()> {
    let (texts, y) = corpus();
    let hv = proba::text::HashingVectorizer::params()
        .n_features(1 << 18)
        .alternate_sign(false)
        .ngram_range(1, 2)
        .build()?;
    let x: CsrMatrix = hv.transform(&texts)?;
    let counts = HashingVectorizer::params()
        .norm(None)
        .build()?
        .transform(&texts)?;
    let tfidf = proba::text::TfidfTransformer::params().fit(&counts)?;
    let weighted = tfidf.transform(&counts)?;
    assert_eq!(weighted.shape(), counts.shape());

    let mut model = proba::linear::SgdClassifier::params()
        .loss(SgdLoss::LogLoss)
        .alpha(1e-4)
        .max_iter(5)
        .tol(None)
        .shuffle(false)
        .fit(&x, &y)?;
    assert_eq!(model.n_iter(), 5);
    assert_eq!(model.predict(&x)?, y, "a separable toy corpus is learnt");
    let classes = model.classes().to_vec();
    let before = model.coef().clone();
    model.partial_fit(&x, &y, &classes)?;
    assert_ne!(model.coef(), &before, "partial_fit made a pass");
    assert_eq!(model.t(), 1.0 + 6.0 * 9.0);
    let p = PredictProba::predict_proba(&model, &x)?;
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    Ok(())
}

#[test]
fn chunk_by_chunk_equals_scikit_learns_partial_fit_semantics() -> Result<()> {
    // Epoch-by-epoch partial_fit over the whole data is fit with
    // max_iter = number of calls and tol(None), when the order is fixed:
    // the step counter carries over.
    let (texts, y) = corpus();
    let x = HashingVectorizer::params()
        .n_features(1 << 10)
        .build()?
        .transform(&texts)?;
    let params = SgdClassifier::params()
        .loss(SgdLoss::ModifiedHuber)
        .tol(None)
        .shuffle(false);
    let fitted = params.clone().max_iter(3).fit(&x, &y)?;
    let classes = ["food", "sport", "tech"].map(String::from);
    let mut streamed = params.partial_fit(&x, &y, &classes)?;
    streamed.partial_fit(&x, &y, &classes)?;
    streamed.partial_fit(&x, &y, &[])?;
    // Equal up to rounding: each call folds the weight vector's scale
    // into the weights at its end, as scikit-learn's does.
    let close = |a: &Array2<f64>, b: &Array2<f64>| {
        a.iter()
            .zip(b)
            .all(|(u, v)| (u - v).abs() <= 1e-12 * v.abs().max(1.0))
    };
    assert!(close(streamed.coef(), fitted.coef()));
    let (bi, fi) = (streamed.intercept(), fitted.intercept());
    assert!(bi.iter().zip(fi).all(|(u, v)| (u - v).abs() <= 1e-12));
    assert_eq!(streamed.t(), fitted.t());
    Ok(())
}

#[test]
fn a_first_chunk_may_lack_classes() -> Result<()> {
    let (texts, y) = corpus();
    let x = HashingVectorizer::params().build()?.transform(&texts)?;
    let classes = ["food", "sport", "tech", "weather"].map(String::from);
    let mut m = SgdClassifier::params()
        .loss(SgdLoss::LogLoss)
        .partial_fit(&x, &y, &classes)?;
    assert_eq!(m.classes(), classes);
    assert_eq!(m.coef().nrows(), 4);
    m.partial_fit(&x, &y, &classes)?;
    assert_eq!(PredictProba::predict_proba(&m, &x)?.ncols(), 4);
    Ok(())
}

#[test]
fn a_pipeline_trains_saves_and_loads_an_sgd_model() -> Result<()> {
    let (texts, y) = corpus();
    let dir = std::env::temp_dir().join(format!("proba-sgd-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for loss in [SgdLoss::LogLoss, SgdLoss::Hinge] {
        let model = Pipeline::params(
            TfidfVectorizer::params(),
            SgdClassifier::params().loss(loss).max_iter(20).tol(None),
        )
        .fit(&texts, &y)?;
        let path = dir.join("sgd.json");
        proba::io::save(&model, &path)?;
        let back: Pipeline<SgdClassifier<String>> = proba::io::load(&path)?;
        assert_eq!(back.predict(&texts)?, model.predict(&texts)?);
        assert_eq!(model.predict(&texts)?, y);
        if loss == SgdLoss::Hinge {
            assert!(model.predict_proba(&texts).is_err());
        } else {
            assert_eq!(back.predict_proba(&texts)?, model.predict_proba(&texts)?);
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn saved_model_goes_on_training_and_altered_files_are_refused() -> Result<()> {
    let x = array![[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.2], [0.5, 0.5]];
    let y = ["a", "a", "b", "b", "c"].map(String::from);
    let m = SgdClassifier::params()
        .loss(SgdLoss::LogLoss)
        .class_weight(ClassWeight::Explicit(BTreeMap::from([(
            "c".to_string(),
            2.0,
        )])))
        .fit(&x, &y)?;
    let json = serde_json::to_string(&m).unwrap();
    let mut back: SgdClassifier<String> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    let mut again = m.clone();
    again.partial_fit(&x, &y, &[])?;
    back.partial_fit(&x, &y, &[])?;
    assert_eq!(back, again, "a loaded model continues exactly");
    for (from, to) in [
        ("\"t\":", "\"t\":-5.0,\"x\":"),
        ("\"alpha\":", "\"alpha\":-1.0,\"y\":"),
    ] {
        let bad = json.replacen(from, to, 1);
        assert!(
            serde_json::from_str::<SgdClassifier<String>>(&bad).is_err(),
            "{to}"
        );
    }
    let two_classes = json.replacen("[\"a\",\"b\",\"c\"]", "[\"a\",\"b\"]", 1);
    assert!(serde_json::from_str::<SgdClassifier<String>>(&two_classes).is_err());
    Ok(())
}

#[test]
fn the_same_model_on_any_number_of_threads() {
    let (texts, y) = corpus();
    let x = HashingVectorizer::params()
        .build()
        .unwrap()
        .transform(&texts)
        .unwrap();
    let fit = || {
        SgdClassifier::params()
            .loss(SgdLoss::LogLoss)
            .fit(&x, &y)
            .unwrap()
    };
    assert_eq!(support::in_pool(1, fit), support::in_pool(2, fit));
}

#[test]
fn bad_parameters_are_errors_naming_them() {
    let x = array![[0.0, 1.0], [1.0, 0.0]];
    let y = ["a", "b"].map(String::from);
    let p = || SgdClassifier::<String>::params();
    let cases = [
        (p().alpha(-1.0), "alpha"),
        (p().alpha(f64::NAN), "alpha"),
        (p().alpha(0.0), "alpha"),
        (p().l1_ratio(1.5), "l1_ratio"),
        (p().max_iter(0), "max_iter"),
        (p().tol(f64::INFINITY), "tol"),
        (p().eta0(0.0), "eta0"),
        (p().power_t(f64::NAN), "power_t"),
        (p().n_iter_no_change(0), "n_iter_no_change"),
        (p().seed(1 << 32), "seed"),
        (
            p().class_weight(ClassWeight::Explicit(BTreeMap::from([("a".into(), -1.0)]))),
            "class_weight",
        ),
    ];
    for (params, name) in cases {
        match params.fit(&x, &y) {
            Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    // alpha 0 is fine with a constant rate.
    p().alpha(0.0)
        .learning_rate(SgdLearningRate::Constant)
        .penalty(SgdPenalty::ElasticNet)
        .fit(&x, &y)
        .unwrap();
}

#[test]
fn bad_data_is_an_error_never_a_panic() {
    let x = array![[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]];
    let y = ["a", "b", "a"].map(String::from);
    let p = SgdClassifier::<String>::params().loss(SgdLoss::LogLoss);
    assert!(matches!(
        p.fit(&x, &y[..2]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        p.fit(&x, &["a", "a", "a"].map(String::from)),
        Err(Error::TooFewClasses { found: 1 })
    ));
    let nan = array![[0.0, f64::NAN], [1.0, 0.0], [0.5, 0.5]];
    assert!(matches!(
        p.fit(&nan, &y),
        Err(Error::NonFinite { row: 0, col: 1, .. })
    ));
    let empty = Array2::<f64>::zeros((0, 2));
    assert!(p.fit(&empty, &[]).is_err());
    let no_cols = Array2::<f64>::zeros((3, 0));
    assert!(matches!(p.fit(&no_cols, &y), Err(Error::EmptyInput(_))));
    assert!(matches!(
        p.fit_weighted(&x, &y, Some(&[1.0, -1.0, 1.0])),
        Err(Error::InvalidSampleWeight { row: 1, .. })
    ));
    assert!(p.fit_weighted(&x, &y, Some(&[0.0, 0.0, 0.0])).is_err());
    assert!(matches!(
        p.fit_weighted(&x, &y, Some(&[1.0])),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        p.clone()
            .class_weight(ClassWeight::Explicit(BTreeMap::from([("z".into(), 2.0)])))
            .fit(&x, &y),
        Err(Error::UnknownLabel(_))
    ));

    let classes = ["a", "b"].map(String::from);
    assert!(matches!(
        p.clone()
            .class_weight(ClassWeight::Balanced)
            .partial_fit(&x, &y, &classes),
        Err(Error::InvalidParameter {
            name: "class_weight",
            ..
        })
    ));
    assert!(matches!(
        p.partial_fit(&x, &y, &classes[..1]),
        Err(Error::TooFewClasses { .. })
    ));
    let mut m = p.partial_fit(&x, &y, &classes).unwrap();
    let wide = array![[0.0, 1.0, 2.0]];
    assert!(matches!(
        m.partial_fit(&wide, &y[..1], &[]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        m.partial_fit(&x, &["a", "b", "z"].map(String::from), &[]),
        Err(Error::UnknownLabel(_))
    ));
    assert!(matches!(
        m.partial_fit(&x, &y, &["a", "c"].map(String::from)),
        Err(Error::InvalidParameter {
            name: "classes",
            ..
        })
    ));
    let before = m.clone();
    let _ = m.partial_fit(&x, &["a", "b", "z"].map(String::from), &[]);
    assert_eq!(m, before, "a refused chunk leaves the model as it was");
    assert!(matches!(m.predict(&wide), Err(Error::ShapeMismatch { .. })));

    let hinge = SgdClassifier::params().fit(&x, &y).unwrap();
    assert!(matches!(
        hinge.predict_proba(&x),
        Err(Error::InvalidParameter { name: "loss", .. })
    ));
    assert_eq!(hinge.predict(&x).unwrap().len(), 3);

    // Steps that overflow are an error, not inf coefficients.
    let huge = array![[1e300, 1.0], [-1e300, 0.0], [1e300, 0.5]];
    let r = SgdClassifier::<String>::params()
        .loss(SgdLoss::Hinge)
        .learning_rate(SgdLearningRate::Constant)
        .eta0(1e10)
        .penalty(None)
        .fit(&huge, &y);
    assert!(matches!(r, Err(Error::InvalidParameter { .. })), "{r:?}");
}

#[test]
fn balanced_weights_count_rows_not_sample_weights() -> Result<()> {
    // scikit-learn's SGD balances by label counts only.
    let x = array![[0.0, 1.0], [0.2, 0.8], [0.1, 0.9], [1.0, 0.0]];
    let y = ["a", "a", "a", "b"].map(String::from);
    let base = SgdClassifier::params()
        .loss(SgdLoss::LogLoss)
        .tol(None)
        .max_iter(3);
    let balanced = base
        .clone()
        .class_weight(ClassWeight::Balanced)
        .fit(&x, &y)?;
    let map = ClassWeight::Explicit(BTreeMap::from([
        ("a".to_string(), 4.0 / 6.0),
        ("b".to_string(), 4.0 / 2.0),
    ]));
    let explicit = base.class_weight(map).fit(&x, &y)?;
    assert_eq!(balanced.coef(), explicit.coef());
    Ok(())
}

#[test]
fn counts_then_tfidf_transformer_then_sgd() -> Result<()> {
    // The streaming recipe's order: idf from hashed counts, SGD on TF-IDF.
    let (texts, y) = corpus();
    let hv = HashingVectorizer::params()
        .n_features(1 << 12)
        .alternate_sign(false)
        .norm(None)
        .build()?;
    let counts = hv.transform(&texts)?;
    let tfidf = TfidfTransformer::params().fit(&counts)?;
    let x = tfidf.transform(&counts)?;
    assert_eq!(tfidf.transform_owned(counts.clone())?, x);
    let m = SgdClassifier::params()
        .loss(SgdLoss::ModifiedHuber)
        .fit(&x, &y)?;
    assert_eq!(m.predict(&x)?, y);
    Ok(())
}

#[test]
fn a_pipeline_file_whose_classifier_has_another_width_is_refused() -> Result<()> {
    let (texts, y) = corpus();
    let dir = std::env::temp_dir().join(format!("proba-sgd-width-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("p.json");
    let narrow_x = array![[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]];
    let narrow_y = ["food", "sport", "tech"].map(String::from);
    for loss in [SgdLoss::LogLoss, SgdLoss::Hinge] {
        let params = SgdClassifier::params().loss(loss);
        let model = Pipeline::params(TfidfVectorizer::params(), params.clone()).fit(&texts, &y)?;
        proba::io::save(&model, &path)?;
        let mut file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?).unwrap();
        let narrow = params.fit(&narrow_x, &narrow_y)?;
        file["model"]["classifier"] = serde_json::to_value(&narrow).unwrap();
        let bytes = serde_json::to_vec(&file).unwrap();
        match proba::io::from_slice::<Pipeline<SgdClassifier<String>>>(&bytes) {
            Err(Error::Format(m)) => assert!(m.contains("features"), "{loss:?}: {m}"),
            other => panic!("{loss:?}: {:?}", other.map(|_| ())),
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
