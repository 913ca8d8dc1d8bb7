//! The linear models (`proba::linear`): `LogisticRegression` and
//! `SgdClassifier` behaviour, scikit-learn parity, properties and numerical
//! robustness. Run: `cargo test --release --test linear`.

#[path = "../support/mod.rs"]
mod support;

mod logistic_behaviour;
mod logistic_parity;
mod logistic_parity_corpora;
mod prop;
mod robustness;
mod sgd_behaviour;
mod sgd_parity;
