//! The vectorizers (`proba::text`): scikit-learn parity (golden file, unit
//! corpus, the shared corpora, hashing), bad input, persistence, threads,
//! properties and robustness. Run: `cargo test --release --test text`.

#[path = "../support/mod.rs"]
mod support;

mod errors;
mod parity_corpora;
mod parity_golden;
mod parity_hashing;
mod parity_unit;
mod persist;
mod prop;
mod robustness;
mod threads;
