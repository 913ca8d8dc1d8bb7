//! `cargo fuzz run io_models`: the body is `targets::io_models::io_models` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::io_models::io_models(&mut arbitrary::Unstructured::new(data));
});
