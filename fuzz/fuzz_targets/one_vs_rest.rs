//! `cargo fuzz run one_vs_rest`: the body is `targets::forest::one_vs_rest` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::forest::one_vs_rest(&mut arbitrary::Unstructured::new(data));
});
