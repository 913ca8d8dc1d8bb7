//! Robustness of the vectorizers on inputs found by fuzzing or known to be
//! awkward; each test names the fuzz seed or the failure it guards against.

use proba::text::{Analyzer, CountVectorizer, TfidfVectorizer};

/// A token pattern whose only group can miss (`(a)|b`) yields empty tokens,
/// as Python's `findall` does. With n-grams > 1 the analyzer used to take
/// the offset of the empty token `""` (a static string, not a slice of the
/// document) by pointer subtraction: "attempt to subtract with overflow" in
/// debug builds (release builds wrapped around and happened to give the
/// right answer). Expected values from scikit-learn 1.9.1.
#[test]
fn optional_group_with_ngrams_matches_scikit_learn() {
    let docs = ["a b a", "ba"];
    let (cv, x) = CountVectorizer::params()
        .token_pattern(r"(a)|b")
        .ngram_range(1, 2)
        .fit_transform(&docs)
        .unwrap();
    assert_eq!(cv.feature_names(), ["", " a", "a", "a "]);
    assert_eq!(
        x.to_dense(),
        ndarray::array![[1.0, 1.0, 2.0, 1.0], [1.0, 1.0, 1.0, 0.0]]
    );
}

/// Huge n-gram bounds are not a hang or an allocation failure: the n-gram
/// loops stop at the document length.
#[test]
fn huge_ngram_bounds_finish() {
    for a in [Analyzer::Word, Analyzer::Char, Analyzer::CharWb] {
        let v = TfidfVectorizer::params()
            .analyzer(a)
            .ngram_range(1, usize::MAX)
            .fit(&["ab cd", "ef"])
            .unwrap();
        assert!(v.n_features() > 0);
        let far = CountVectorizer::params()
            .analyzer(a)
            .ngram_range(usize::MAX, usize::MAX)
            .fit(&["ab cd"]);
        if a == Analyzer::CharWb {
            // scikit-learn counts a padded word shorter than n once.
            assert_eq!(far.unwrap().feature_names(), [" ab ", " cd "]);
        } else {
            assert!(far.is_err(), "{a:?}");
        }
    }
}
