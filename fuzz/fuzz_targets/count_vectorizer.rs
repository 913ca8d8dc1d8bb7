//! `cargo fuzz run count_vectorizer`: the body is `targets::text::count_vectorizer` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::text::count_vectorizer(&mut arbitrary::Unstructured::new(data));
});
