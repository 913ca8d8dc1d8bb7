//! Every fuzz target of `fuzz/targets/` on the stable toolchain: each test
//! replays the committed inputs in `fuzz/corpus/<target>/` (seeds and the
//! crashes found so far, so each is a regression test) and then a short
//! seeded mutation run. `PROBA_FUZZ_ITERS`, `PROBA_FUZZ_SEED`,
//! `PROBA_FUZZ_SECONDS` and `PROBA_FUZZ_TRACE` control a longer run, e.g.
//! `PROBA_FUZZ_ITERS=200000 cargo test --release --test api -- fuzz::random_forest --nocapture`.
//! Coverage-guided runs of the same bodies: `fuzz/README.md`.

use crate::support;

#[path = "../../fuzz/targets/mod.rs"]
mod targets;

use std::path::PathBuf;

use proba::io;
use proba::linear::LogisticRegression;
use proba::text::{CountVectorizer, TfidfVectorizer};

/// One `#[test]` per target: name, default iteration count, body.
macro_rules! fuzz_tests {
    ($($name:ident: $iters:expr => $body:path;)*) => {$(
        #[test]
        fn $name() {
            support::fuzz::fuzz_counting(stringify!($name), $iters, $body, targets::deep_count);
        }
    )*};
}

fuzz_tests! {
    csr_from_parts: 20_000 => targets::core::csr_from_parts;
    csr_deserialize: 20_000 => targets::core::csr_deserialize;
    count_vectorizer: 3_000 => targets::text::count_vectorizer;
    tfidf_vectorizer: 3_000 => targets::text::tfidf_vectorizer;
    logistic_regression: 5_000 => targets::linear::logistic_regression;
    sgd_classifier: 5_000 => targets::sgd::sgd_classifier;
    decision_tree: 5_000 => targets::forest::decision_tree;
    random_forest: 3_000 => targets::forest::random_forest;
    one_vs_rest: 3_000 => targets::forest::one_vs_rest;
    io_tfidf: 1_500 => targets::io::io_tfidf;
    io_count: 1_500 => targets::io::io_count;
    io_logistic: 1_500 => targets::io::io_logistic;
    io_models: 3_000 => targets::io_models::io_models;
    sklearn_from_bytes: 1_500 => targets::sklearn::sklearn_from_bytes;
    serve_request: 20_000 => targets::serve::serve_request;
}

/// The committed `io_*` seeds must load with the current code (else they
/// fuzz nothing but the parser); with `PROBA_FUZZ_WRITE_SEEDS=1` they are
/// rewritten from `targets::io::seed_models`.
#[test]
fn seeds_load() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let (t, c, l) = targets::io::seed_models().unwrap();
    if std::env::var_os("PROBA_FUZZ_WRITE_SEEDS").is_some() {
        for (name, text) in [("io_tfidf", &t), ("io_count", &c), ("io_logistic", &l)] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join("model.json"), text).unwrap();
        }
    }
    let read = |name: &str| std::fs::read(dir.join(name).join("model.json")).unwrap();
    io::from_slice::<TfidfVectorizer>(&read("io_tfidf")).unwrap();
    io::from_slice::<CountVectorizer>(&read("io_count")).unwrap();
    io::from_slice::<LogisticRegression<String>>(&read("io_logistic")).unwrap();
    // io_models: one seed per kind, the selector byte then the saved model.
    let models = targets::io_models::seed_models();
    for (i, (kind, text)) in targets::io_models::KINDS.iter().zip(models).enumerate() {
        let path = dir
            .join("io_models")
            .join(format!("{i}-{}.bin", kind.replace(['<', '>'], "_")));
        let mut bytes = vec![i as u8];
        bytes.extend_from_slice(text.as_bytes());
        if std::env::var_os("PROBA_FUZZ_WRITE_SEEDS").is_some() {
            std::fs::create_dir_all(dir.join("io_models")).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        assert!(
            path.exists(),
            "{} (write with PROBA_FUZZ_WRITE_SEEDS=1)",
            path.display()
        );
    }
}
