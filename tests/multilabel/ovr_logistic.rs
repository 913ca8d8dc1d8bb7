//! OneVsRestClassifier over the crate's logistic regression: the contract
//! usage on sparse input, persistence through `proba::io`, thread
//! independence, and errors from the base estimator carrying their label.

use ndarray::Array2;
use proba::io;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::prelude::*;

use crate::support::multilabel_synthetic as synthetic;

#[test]
fn contract_usage_with_logistic_regression_on_sparse_features() -> Result<()> {
    let (x_train, label_sets, x_test, _) = synthetic();
    let x = CsrMatrix::from_dense(x_train.view());
    let ovr = OneVsRestClassifier::params(LogisticRegression::params()).fit(&x, &label_sets)?;
    let p = ovr.predict_proba(&x)?;
    assert_eq!(ovr.classes(), &[0, 1, 2, 3, 4, 5]);
    assert_eq!(p.dim(), (x.n_rows(), 6));
    // Dense and sparse inputs agree.
    let dense =
        OneVsRestClassifier::params(LogisticRegression::params()).fit(&x_train, &label_sets)?;
    let (a, b) = (
        dense.predict_proba(&x_test)?,
        ovr.predict_proba(&CsrMatrix::from_dense(x_test.view()))?,
    );
    for (u, v) in a.iter().zip(b.iter()) {
        assert!((u - v).abs() < 1e-9, "{u} vs {v}");
    }
    Ok(())
}

#[test]
fn logistic_model_saves_loads_and_is_thread_independent() -> Result<()> {
    let (x_train, y_train, x_test, _) = synthetic();
    let fit = |threads: usize| -> Result<Array2<f64>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::invalid_param("threads", threads, e.to_string()))?;
        pool.install(|| {
            OneVsRestClassifier::params(LogisticRegression::params())
                .fit(&x_train, &y_train)?
                .predict_proba(&x_test)
        })
    };
    let (p1, p2) = (fit(1)?, fit(2)?);
    assert!(p1
        .iter()
        .zip(p2.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));

    let ovr = OneVsRestClassifier::params(LogisticRegression::params()).fit(&x_train, &y_train)?;
    let dir = std::env::temp_dir().join(format!("proba-ovr-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("ovr.json");
    io::save(&ovr, &path)?;
    let back: OneVsRestClassifier<LogisticRegression<bool>, i64> = io::load(&path)?;
    std::fs::remove_dir_all(&dir)?;
    let q = back.predict_proba(&x_test)?;
    assert!(p1
        .iter()
        .zip(q.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(back.predict(&x_test)?, ovr.predict(&x_test)?);
    Ok(())
}

#[test]
fn a_logistic_regression_error_names_the_label() {
    let (x_train, y_train, _, _) = synthetic();
    let err = OneVsRestClassifier::params(LogisticRegression::params().c(-1.0))
        .fit(&x_train, &y_train)
        .map(|_| ())
        .unwrap_err();
    match &err {
        Error::SubModel { label, source } => {
            assert_eq!(label, "0", "the first label in class order");
            assert!(
                matches!(**source, Error::InvalidParameter { name: "c", .. }),
                "{source}"
            );
        }
        other => panic!("expected SubModel, got {other:?}"),
    }
}

/// The contract calls work with only the two types imported (no trait in scope).
mod without_the_prelude {
    use proba::linear::LogisticRegression;
    use proba::multilabel::OneVsRestClassifier;

    #[test]
    fn contract_calls_need_no_trait_import() -> proba::Result<()> {
        let x = ndarray::array![[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]];
        let label_sets = vec![vec![2u8], vec![1], vec![1, 2], vec![]];
        let ovr = OneVsRestClassifier::params(LogisticRegression::params()).fit(&x, &label_sets)?;
        let p = ovr.predict_proba(&x)?;
        assert_eq!(p.dim(), (4, 2));
        assert_eq!(ovr.classes(), &[1, 2]);
        assert_eq!(ovr.predict(&x)?.len(), 4);
        Ok(())
    }
}

/// Issue 11's calls, written as a user writes them: no type annotation on
/// the one-vs-rest parameters, inside a pipeline too, and label sets from
/// every `predict` a multilabel model has.
#[test]
fn multilabel_pipelines_need_no_annotation_and_predict_label_sets_everywhere() -> Result<()> {
    use proba::multilabel::{OneVsRestMode, PredictLabelSets};
    use proba::pipeline::Pipeline;
    use proba::text::TfidfVectorizer;

    let texts = vec![
        "rust is fast and safe",
        "python is slow but easy",
        "rust and python together",
        "cooking pasta tonight",
        "fast rust compiler",
        "easy python scripts",
    ];
    let label_sets: Vec<Vec<String>> = [
        &["rust"][..],
        &["python"],
        &["python", "rust"],
        &[],
        &["rust"],
        &["python"],
    ]
    .iter()
    .map(|s| s.iter().map(|l| l.to_string()).collect())
    .collect();
    let model = Pipeline::params(
        TfidfVectorizer::params(),
        OneVsRestClassifier::params(LogisticRegression::params().c(100.0)),
    )
    .fit(&texts, &label_sets)?;
    let sets = model.predict(&texts)?;
    assert_eq!(sets, label_sets);
    assert_eq!(model.predict_label_sets(&texts)?, label_sets);
    assert_eq!(model.classifier().mode(), OneVsRestMode::Multilabel);
    // The same sets from the classifier on the matrix, directly and generically.
    let x = model.transform(&texts)?;
    assert_eq!(model.classifier().predict(&x)?, label_sets);
    assert_eq!(model.classifier().predict_label_sets(&x)?, label_sets);
    // The one-label argmax refuses, on the model and on the pipeline.
    for err in [
        PredictProba::predict(model.classifier(), &x).unwrap_err(),
        PredictProba::predict(&model, &texts).unwrap_err(),
    ] {
        assert!(matches!(err, Error::Unsupported(_)), "{err}");
        assert!(err.to_string().contains("label sets"), "{err}");
    }
    // Rebuilt from its parts, and saved and loaded, it still predicts sets.
    let rebuilt = Pipeline::new(model.vectorizer().clone(), model.classifier().clone())?;
    assert_eq!(rebuilt.predict(&texts)?, label_sets);
    let back: Pipeline<OneVsRestClassifier<LogisticRegression<bool>, String>> =
        io::from_str(&io::to_string(&model)?)?;
    assert_eq!(back.predict(&texts)?, label_sets);
    Ok(())
}

/// One label per row through a pipeline: `multiclass()` is the `Fit` of
/// scikit-learn's multiclass one-vs-rest, equal to `fit_multiclass`.
#[test]
fn multiclass_one_vs_rest_fits_through_multiclass_and_predicts_the_argmax() -> Result<()> {
    let (x, _, x_test, _) = synthetic();
    let y: Vec<u32> = (0..x.nrows() as u32).map(|i| i % 3).collect();
    let direct =
        OneVsRestClassifier::params(LogisticRegression::params()).fit_multiclass(&x, &y)?;
    let generic = Fit::fit(
        &OneVsRestClassifier::params(LogisticRegression::params()).multiclass(),
        &x,
        &y,
    )?;
    assert_eq!(
        direct.predict_proba(&x_test)?,
        generic.predict_proba(&x_test)?
    );
    let argmax = PredictProba::predict(&generic, &x_test)?;
    let sets = generic.predict(&x_test)?;
    assert_eq!(sets.len(), argmax.len());
    for (set, label) in sets.iter().zip(&argmax) {
        assert_eq!(set, &vec![*label]);
    }
    let p = generic.predict_proba(&x_test)?;
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    Ok(())
}
