//! `cargo fuzz run csr_from_parts`: the body is `targets::core::csr_from_parts` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::core::csr_from_parts(&mut arbitrary::Unstructured::new(data));
});
