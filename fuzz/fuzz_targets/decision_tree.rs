//! `cargo fuzz run decision_tree`: the body is `targets::forest::decision_tree` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::forest::decision_tree(&mut arbitrary::Unstructured::new(data));
});
