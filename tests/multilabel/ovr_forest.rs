//! OneVsRestClassifier over random forests: scikit-learn parity of
//! `OneVsRestClassifier(RandomForestClassifier(n_estimators=10,
//! random_state=0))` (every per-label clone keeps the seed) and persistence.

use proba::ensemble::RandomForestClassifier;
use proba::io;
use proba::multilabel::OneVsRestClassifier;
use proba::prelude::*;

use crate::support::{matrix, multilabel_synthetic as synthetic};

#[test]
fn random_forest_base_matches_sklearn() -> Result<()> {
    let (x_train, y_train, x_test, f) = synthetic();
    let ovr =
        OneVsRestClassifier::params(RandomForestClassifier::params().n_estimators(10).seed(0))
            .fit(&x_train, &y_train)?;
    let p = ovr.predict_proba(&x_test)?;
    let expected = matrix(&f["forest_n_estimators_10_seed_0"]);
    assert_eq!(p.dim(), expected.dim());
    let worst = p
        .iter()
        .zip(expected.iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst <= 1e-12, "max |diff| = {worst:e}");

    let back: OneVsRestClassifier<RandomForestClassifier<bool>, i64> =
        io::from_str(&io::to_string(&ovr)?)?;
    assert_eq!(back.predict_proba(&x_test)?, p);
    Ok(())
}
