//! The library as a whole: the API contract, pipelines, parameter and serde
//! validation, metrics, model selection, the progress hook, and every fuzz
//! target of `fuzz/targets/` on the stable toolchain.
//! Run: `cargo test --release --test api` (the fuzz targets alone:
//! `-- fuzz::`).

#[path = "../support/mod.rs"]
mod support;

mod contract;
mod fuzz;
mod metrics;
mod model_selection;
mod params;
mod pipeline;
mod progress;
mod serde_validation;
