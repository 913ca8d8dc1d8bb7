//! `cargo fuzz run logistic_regression`: the body is `targets::linear::logistic_regression` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::linear::logistic_regression(&mut arbitrary::Unstructured::new(data));
});
