//! Property tests of the vectorizers on random corpora: TF-IDF rows have
//! unit norm or are all zero, transform of the fit corpus equals
//! `fit_transform`, results are identical on 1 and 2 threads, and save ->
//! load -> transform is bit-identical.

use proba::io;
use proba::text::{Analyzer, CountVectorizer, Norm, TfidfVectorizer, TfidfVectorizerParams};
use proba::CsrMatrix;
use proptest::prelude::*;

use crate::support::{self, csr_bits, in_pool};

/// Documents made of words from a small vocabulary (so terms repeat across
/// documents) mixed with random Unicode words.
fn corpus() -> impl Strategy<Value = Vec<String>> {
    let word = prop_oneof![
        4 => prop::sample::select(vec![
            "the", "cat", "sat", "on", "mat", "dog", "ate", "café", "naïve", "ΣΟΦΟΣ", "中文",
            "x", "42", "it's", "e-mail",
        ])
        .prop_map(String::from),
        1 => "\\PC{1,6}",
    ];
    let doc = proptest::collection::vec(word, 0..12).prop_map(|w| w.join(" "));
    proptest::collection::vec(doc, 1..20)
}

/// Documents mixing printable ASCII (punctuation, digits, underscores,
/// apostrophes, case), tabs and newlines, long words, and a few precomposed
/// non-ASCII words.
fn fast_path_corpus() -> impl Strategy<Value = Vec<String>> {
    let word = prop_oneof![
        3 => "[ -~\t\n]{1,12}",
        2 => prop::sample::select(vec![
            "The", "CAT", "it's", "e-mail", "snake_case", "x2", "2x", "a", "internationalisation",
            "Internationalisations", "café", "naïve", "ΣΟΦΟΣ", "中文", "...", "\t\t", "__",
            "and", "AND", "the", "through", "whereafter",
        ])
        .prop_map(String::from),
        1 => "[a-zA-Z0-9_]{8,20}",
    ];
    let doc = proptest::collection::vec(word, 0..16).prop_map(|w| w.concat());
    proptest::collection::vec(doc, 1..12)
}

fn params() -> impl Strategy<Value = TfidfVectorizerParams> {
    (
        prop::sample::select(vec![Analyzer::Word, Analyzer::Char, Analyzer::CharWb]),
        1usize..3,
        0usize..2,
        prop::sample::select(vec![Norm::L2, Norm::L1, Norm::None]),
        any::<(bool, bool, bool, bool)>(),
    )
        .prop_map(|(a, lo, extra, norm, (idf, smooth, sub, binary))| {
            TfidfVectorizer::params()
                .analyzer(a)
                .ngram_range(lo, lo + extra)
                .norm(norm)
                .use_idf(idf)
                .smooth_idf(smooth)
                .sublinear_tf(sub)
                .binary(binary)
        })
}

proptest! {
    #![proptest_config(support::prop_config(128))]

    #[test]
    fn l2_rows_have_unit_norm_or_are_zero(docs in corpus(), other in corpus()) {
        let Ok((v, x)) = TfidfVectorizer::params().fit_transform(&docs) else {
            return Ok(()); // only empty-vocabulary corpora fail
        };
        let y = v.transform(&other).unwrap();
        for m in [&x, &y] {
            for r in m.rows() {
                let norm: f64 = r.data().iter().map(|a| a * a).sum::<f64>().sqrt();
                prop_assert!(r.nnz() == 0 || (norm - 1.0).abs() < 1e-12, "norm {}", norm);
                prop_assert!(r.data().iter().all(|&a| a > 0.0));
            }
        }
    }

    #[test]
    fn transform_of_fit_corpus_equals_fit_transform(p in params(), docs in corpus()) {
        let Ok((v, x)) = p.fit_transform(&docs) else { return Ok(()) };
        prop_assert_eq!(csr_bits(&v.transform(&docs).unwrap()), csr_bits(&x));
        let fitted = p.fit(&docs).unwrap();
        prop_assert_eq!(fitted.feature_names(), v.feature_names());
        prop_assert_eq!(csr_bits(&fitted.transform(&docs).unwrap()), csr_bits(&x));
        let (cv, c) = CountVectorizer::params().fit_transform(&docs).unwrap_or_else(|_| {
            (CountVectorizer::params().vocabulary(["_"]).fit(&docs).unwrap(), CsrMatrix::zeros(0, 0))
        });
        if c.n_rows() > 0 {
            prop_assert_eq!(cv.transform(&docs).unwrap(), c);
        }
    }

    /// The default word analyzer has a fast path (ASCII stretches 8 bytes at
    /// a time, lowercasing and hashing while tokenizing); a textually
    /// different but equivalent pattern goes through the regex crate. On
    /// text where the regex crate's `\w` is Python's (ASCII, precomposed
    /// letters, CJK) both must give the same vocabulary and matrices.
    #[test]
    fn default_tokenizer_fast_path_equals_the_regex_path(
        docs in fast_path_corpus(),
        other in fast_path_corpus(),
        lowercase in any::<bool>(),
        english in any::<bool>(),
    ) {
        let mut fast = TfidfVectorizer::params().lowercase(lowercase);
        if english {
            fast = fast.stop_words("english");
        }
        let slow = fast.clone().token_pattern(r"(?u)\b\w{2,}\b");
        let run = |p: &TfidfVectorizerParams| {
            p.fit_transform(&docs).map(|(v, x)| {
                let y = v.transform(&other).unwrap();
                (v.feature_names().to_vec(), csr_bits(&x), csr_bits(&y))
            }).ok()
        };
        prop_assert_eq!(run(&fast), run(&slow));
    }

    #[test]
    fn one_and_two_threads_agree(p in params(), docs in corpus(), other in corpus()) {
        let run = || {
            p.fit_transform(&docs).map(|(v, x)| {
                let y = v.transform(&other).unwrap();
                (v.feature_names().to_vec(), csr_bits(&x), csr_bits(&y))
            }).ok()
        };
        prop_assert_eq!(in_pool(1, run), in_pool(2, run));
    }

    #[test]
    fn save_load_transform_is_bit_identical(p in params(), docs in corpus(), other in corpus()) {
        let Ok(v) = p.fit(&docs) else { return Ok(()) };
        let back: TfidfVectorizer = io::from_str(&io::to_string(&v).unwrap()).unwrap();
        prop_assert_eq!(back.feature_names(), v.feature_names());
        prop_assert_eq!(csr_bits(&back.transform(&other).unwrap()), csr_bits(&v.transform(&other).unwrap()));
    }
}
