//! `cargo fuzz run io_tfidf`: the body is `targets::io::io_tfidf` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::io::io_tfidf(&mut arbitrary::Unstructured::new(data));
});
