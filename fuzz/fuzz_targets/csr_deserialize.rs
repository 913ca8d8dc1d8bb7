//! `cargo fuzz run csr_deserialize`: the body is `targets::core::csr_deserialize` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::core::csr_deserialize(&mut arbitrary::Unstructured::new(data));
});
