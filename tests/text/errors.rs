//! Bad input to the vectorizers is an `Error` that names what is wrong, never a panic.

use proba::text::{Analyzer, CountVectorizer, StopWords, TfidfVectorizer};
use proba::Error;

const DOCS: [&str; 4] = ["the cat sat", "the dog sat", "a cat ran", "the end"];

fn param_err(e: Error, name: &str) -> String {
    match &e {
        Error::InvalidParameter { name: n, .. } => assert_eq!(*n, name, "{e}"),
        other => panic!("expected InvalidParameter({name}), got {other:?}"),
    }
    e.to_string()
}

#[test]
fn empty_corpus_and_empty_vocabulary() {
    let none: [&str; 0] = [];
    assert!(matches!(
        TfidfVectorizer::params().fit(&none),
        Err(Error::EmptyInput(_))
    ));
    assert!(matches!(
        CountVectorizer::params().fit_transform(&none),
        Err(Error::EmptyInput(_))
    ));
    for docs in [&["", " ", "a b c"][..], &["the and of"][..]] {
        let r = TfidfVectorizer::params()
            .stop_words(StopWords::English)
            .fit(docs);
        assert!(matches!(r, Err(Error::EmptyVocabulary)), "{r:?}");
    }
}

#[test]
fn pruning_that_removes_everything() {
    let r = TfidfVectorizer::params().min_df(4).max_df(4).fit(&DOCS);
    assert!(matches!(r, Err(Error::NoTermsRemain)), "{r:?}");
    let r = CountVectorizer::params()
        .max_df(1)
        .fit(&["aa bb", "bb aa", ""]);
    assert!(matches!(r, Err(Error::NoTermsRemain)), "{r:?}");
    // max_df = 0.1 of 4 documents is 0.4 < min_df = 1: the parameters conflict.
    let r = CountVectorizer::params().max_df(0.1).fit(&DOCS);
    assert!(
        matches!(r, Err(Error::InvalidParameter { name: "min_df", .. })),
        "{r:?}"
    );
}

#[test]
fn min_df_above_max_df_after_resolving() {
    let e = TfidfVectorizer::params()
        .min_df(3)
        .max_df(0.5)
        .fit(&DOCS)
        .unwrap_err();
    let msg = param_err(e, "min_df");
    assert!(msg.contains("max_df"), "{msg}");
    // An integer min_df above the number of documents, against the default max_df = 1.0.
    param_err(
        CountVectorizer::params().min_df(5).fit(&DOCS).unwrap_err(),
        "min_df",
    );
    // Fractions resolve with n_docs: 0.75 * 4 = 3 > 0.5 * 4 = 2.
    param_err(
        CountVectorizer::params()
            .min_df(0.75)
            .max_df(0.5)
            .fit(&DOCS)
            .unwrap_err(),
        "min_df",
    );
}

#[test]
fn out_of_range_parameters() {
    param_err(
        CountVectorizer::params()
            .ngram_range(0, 1)
            .fit(&DOCS)
            .unwrap_err(),
        "ngram_range",
    );
    param_err(
        CountVectorizer::params()
            .ngram_range(3, 2)
            .fit(&DOCS)
            .unwrap_err(),
        "ngram_range",
    );
    param_err(
        CountVectorizer::params()
            .min_df(1.5)
            .fit(&DOCS)
            .unwrap_err(),
        "min_df",
    );
    param_err(
        CountVectorizer::params()
            .max_df(-0.1)
            .fit(&DOCS)
            .unwrap_err(),
        "max_df",
    );
    param_err(
        CountVectorizer::params()
            .max_df(f64::NAN)
            .fit(&DOCS)
            .unwrap_err(),
        "max_df",
    );
    param_err(
        CountVectorizer::params().min_df(-2).fit(&DOCS).unwrap_err(),
        "min_df",
    );
    param_err(
        CountVectorizer::params().max_df(0).fit(&DOCS).unwrap_err(),
        "max_df",
    );
    param_err(
        TfidfVectorizer::params()
            .max_features(0)
            .fit(&DOCS)
            .unwrap_err(),
        "max_features",
    );
}

#[test]
fn bad_token_patterns() {
    let m = param_err(
        CountVectorizer::params()
            .token_pattern("(unclosed")
            .fit(&DOCS)
            .unwrap_err(),
        "token_pattern",
    );
    assert!(m.contains("(unclosed"), "{m}");
    let m = param_err(
        CountVectorizer::params()
            .token_pattern(r"(\w)(\w)")
            .fit(&DOCS)
            .unwrap_err(),
        "token_pattern",
    );
    assert!(m.contains("2 capture groups"), "{m}");
    // Named and non-capturing groups follow the same rule.
    assert!(CountVectorizer::params()
        .token_pattern(r"(?:x)(?P<w>\w+)")
        .fit(&["xab"])
        .is_ok());
    // As in scikit-learn, the pattern is not used (nor checked) by the char analyzers.
    assert!(CountVectorizer::params()
        .analyzer(Analyzer::Char)
        .token_pattern("(")
        .fit(&DOCS)
        .is_ok());
}

#[test]
fn fixed_vocabulary_errors() {
    let m = param_err(
        CountVectorizer::params()
            .vocabulary(["cat", "dog", "cat"])
            .fit(&DOCS)
            .unwrap_err(),
        "vocabulary",
    );
    assert!(m.contains("\"cat\""), "{m}");
    let empty: [&str; 0] = [];
    param_err(
        CountVectorizer::params()
            .vocabulary(empty)
            .fit(&DOCS)
            .unwrap_err(),
        "vocabulary",
    );
    // Without smoothing, a fixed term absent from the corpus has an infinite idf: an error, not NaN.
    let m = param_err(
        TfidfVectorizer::params()
            .vocabulary(["cat", "zebra"])
            .smooth_idf(false)
            .fit(&DOCS)
            .unwrap_err(),
        "vocabulary",
    );
    assert!(m.contains("zebra") && m.contains("smooth_idf"), "{m}");
    // With smoothing it is finite, and unknown terms never raise.
    let v = TfidfVectorizer::params()
        .vocabulary(["cat", "zebra"])
        .fit(&DOCS)
        .unwrap();
    assert!(v.idf().unwrap().iter().all(|x| x.is_finite()));
}

#[test]
fn transform_edge_cases_are_not_errors() {
    let v = TfidfVectorizer::params().fit(&DOCS).unwrap();
    let none: [&str; 0] = [];
    assert_eq!(v.transform(&none).unwrap().shape(), (0, v.n_features()));
    let x = v
        .transform(&["", "zzz qqq", "\u{0}\u{ffff}\u{10ffff}", "cat"])
        .unwrap();
    assert_eq!(x.shape(), (4, v.n_features()));
    assert_eq!(
        (
            x.row(0).unwrap().nnz(),
            x.row(1).unwrap().nnz(),
            x.row(2).unwrap().nnz()
        ),
        (0, 0, 0)
    );
    assert_eq!(x.row(3).unwrap().data(), &[1.0]);
    assert_eq!(v.transform_one("").nnz(), 0);
}

#[test]
fn large_counts_are_exact() {
    let doc = format!("{}{}", "word ".repeat(1000), "other ".repeat(254));
    let (cv, x) = CountVectorizer::params()
        .fit_transform(&[doc.as_str(), "word"])
        .unwrap();
    assert_eq!(cv.feature_names(), ["other", "word"]);
    assert_eq!(x.row(0).unwrap().data(), &[254.0, 1000.0]);
    assert_eq!(
        cv.transform_one(&doc).row(0).unwrap().data(),
        &[254.0, 1000.0]
    );
    assert_eq!(cv.transform(&[doc]).unwrap(), x.select_rows(&[0]).unwrap());
}

/// scikit-learn accepts only "english" as a list name; `"English"` used to
/// be a one-word list that silently removed nothing.
#[test]
fn unknown_stop_word_list_names_are_refused() {
    for name in ["English", "french", "the", ""] {
        let e = TfidfVectorizer::params()
            .stop_words(name)
            .fit(&DOCS)
            .unwrap_err();
        let msg = param_err(e, "stop_words");
        assert!(msg.contains(&format!("{name:?}")), "{msg}");
        let e = CountVectorizer::params().stop_words(name).fit(&DOCS);
        param_err(e.unwrap_err(), "stop_words");
        let e = proba::text::HashingVectorizer::params()
            .stop_words(name)
            .build();
        param_err(e.unwrap_err(), "stop_words");
    }
    // The built-in name and explicit lists still work; a later setter call wins.
    let v = CountVectorizer::params()
        .stop_words("english")
        .fit(&DOCS)
        .unwrap();
    assert!(!v.feature_names().iter().any(|t| t == "the"));
    let v = CountVectorizer::params()
        .stop_words(vec!["the"])
        .fit(&DOCS)
        .unwrap();
    assert!(!v.feature_names().iter().any(|t| t == "the"));
    let v = CountVectorizer::params()
        .stop_words("English")
        .stop_words(None::<StopWords>)
        .fit(&DOCS)
        .unwrap();
    assert!(v.feature_names().iter().any(|t| t == "the"));
}
