//! Loading scikit-learn files (`proba::sklearn`, the default-on `sklearn`
//! feature): parity with scikit-learn's predictions, and what is refused.
//! Run: `cargo test --release --test sklearn`.

#![cfg(feature = "sklearn")]

#[path = "../support/mod.rs"]
mod support;

mod parity;
mod safety;
