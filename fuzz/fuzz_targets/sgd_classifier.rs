//! `cargo fuzz run sgd_classifier`: the body is `targets::sgd::sgd_classifier` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::sgd::sgd_classifier(&mut arbitrary::Unstructured::new(data));
});
