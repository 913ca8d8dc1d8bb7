//! `cargo fuzz run sklearn_from_bytes`: the body is `targets::sklearn::sklearn_from_bytes` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::sklearn::sklearn_from_bytes(&mut arbitrary::Unstructured::new(data));
});
