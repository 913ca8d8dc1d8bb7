//! Multilabel classification (`proba::multilabel`): one-vs-rest over a
//! user's estimator, the crate's logistic regression and random forests,
//! and scikit-learn parity. Run: `cargo test --release --test multilabel`.

#[path = "../support/mod.rs"]
mod support;

mod ovr_custom;
mod ovr_forest;
mod ovr_logistic;
mod parity;
