//! `cargo fuzz run tfidf_vectorizer`: the body is `targets::text::tfidf_vectorizer` (shared with `cargo test --test api -- fuzz::`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::text::tfidf_vectorizer(&mut arbitrary::Unstructured::new(data));
});
