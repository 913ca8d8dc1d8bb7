//! OneVsRestClassifier over the crate's logistic regression: the contract
//! usage on sparse input, persistence through `proba::io`, thread
//! independence, and errors from the base estimator carrying their label.

mod common;

use ndarray::Array2;
use proba::io;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::prelude::*;

use common::multilabel_synthetic as synthetic;

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
