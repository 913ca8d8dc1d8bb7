//! `cargo fuzz run serve_request`: the body is `targets::serve::serve_request` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::serve::serve_request(&mut arbitrary::Unstructured::new(data));
});
