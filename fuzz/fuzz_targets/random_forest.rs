//! `cargo fuzz run random_forest`: the body is `targets::forest::random_forest` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::forest::random_forest(&mut arbitrary::Unstructured::new(data));
});
