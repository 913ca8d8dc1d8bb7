//! `cargo fuzz run io_logistic`: the body is `targets::io::io_logistic` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::io::io_logistic(&mut arbitrary::Unstructured::new(data));
});
