//! Fitting and transforming give bit-identical results on 1 and 2 threads.

use proba::text::{Analyzer, TfidfVectorizer, TfidfVectorizerParams};
use proba::CsrMatrix;

use crate::support;

fn run(
    threads: usize,
    p: &TfidfVectorizerParams,
    texts: &[String],
) -> (Vec<String>, Vec<f64>, CsrMatrix, CsrMatrix) {
    support::in_pool(threads, || {
        let (v, x) = p.fit_transform(texts).unwrap();
        let t = v.transform(texts).unwrap();
        (v.feature_names().to_vec(), v.idf().unwrap().to_vec(), x, t)
    })
}

fn synthetic() -> Vec<String> {
    // Enough text for many chunks, with a vocabulary that grows over the
    // corpus; the `internationalisation…` terms share their first 8 bytes,
    // so ordering them (and merging the workers' lists) compares strings.
    (0..2500)
        .map(|i| {
            (0..(i % 40 + 1))
                .map(|j| {
                    format!(
                        "w{} t{} Ä{} internationalisation{}",
                        (i * 7 + j * 13) % 997,
                        j % 11,
                        (i + j) % 50,
                        (i * 3 + j) % 301
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn same_on_1_and_2_threads(texts: &[String]) {
    for p in [
        TfidfVectorizer::params(),
        TfidfVectorizer::params()
            .ngram_range(1, 2)
            .min_df(2)
            .max_df(0.9)
            .sublinear_tf(true),
        TfidfVectorizer::params()
            .analyzer(Analyzer::CharWb)
            .ngram_range(2, 4),
        TfidfVectorizer::params().max_features(500),
    ] {
        let a = run(1, &p, texts);
        let b = run(2, &p, texts);
        assert_eq!(a.0, b.0, "vocabulary");
        assert_eq!(
            a.1.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            b.1.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(a.2, b.2, "fit_transform");
        assert_eq!(a.3, b.3, "transform");
        // fit_transform equals transform of the training texts.
        assert_eq!(a.2, a.3);
    }
}

#[test]
fn synthetic_corpus_is_thread_count_independent() {
    let texts = synthetic();
    same_on_1_and_2_threads(&texts);
    // More threads than cores: up to four and six worker vocabularies merged.
    let p = TfidfVectorizer::params().min_df(2);
    let one = run(1, &p, &texts);
    for threads in [4, 6] {
        let many = run(threads, &p, &texts);
        assert_eq!(one.0, many.0, "{threads} threads");
        assert_eq!(one.2, many.2, "{threads} threads");
    }
}

#[test]
fn bbc_is_thread_count_independent() {
    if let Some(c) = support::corpus("bbc.jsonl") {
        same_on_1_and_2_threads(&c.texts);
    }
}
