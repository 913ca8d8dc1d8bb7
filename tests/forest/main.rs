//! Trees and random forests (`proba::tree`, `proba::ensemble`): behaviour,
//! scikit-learn parity (exact and statistical), properties and robustness.
//! Run: `cargo test --release --test forest`.

#[path = "../support/mod.rs"]
mod support;

mod behaviour;
mod parity;
mod parity_exact;
mod prop;
mod robustness;
