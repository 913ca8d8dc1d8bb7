//! proba refuses the parameter settings scikit-learn refuses, and accepts
//! the ones it accepts: each case of `scripts/make_fixtures_params.py`
//! (scikit-learn's own verdict, recorded with its version in
//! `tests/fixtures/params/verdicts.json`) is fitted here the same way. The
//! few where proba refuses on purpose carry the reason in the fixture and
//! in `proba::coming_from_sklearn`; settings proba's types cannot express
//! (an unknown `analyzer` or `strip_accents` string) are listed as such.

use std::collections::BTreeMap;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::ndarray::{array, Array2};
use proba::prelude::*;
use proba::text::{CountVectorizer, TfidfVectorizer};
use proba::tree::{DecisionTreeClassifier, MaxFeatures};
use proba::ClassWeight;
use serde_json::Value;

const TEXTS: [&str; 4] = ["the cat sat", "the dog sat", "a cat ran", "the bird flew"];

fn xy() -> (Array2<f64>, Vec<&'static str>) {
    (
        array![
            [0.0, 1.0],
            [1.0, 0.0],
            [0.2, 0.9],
            [0.9, 0.1],
            [0.5, 0.5],
            [0.1, 0.8]
        ],
        vec!["a", "b", "a", "b", "b", "a"],
    )
}

/// proba's verdict on one case: `Some(result)` of the same fit, or `None`
/// when its types cannot express the setting at all.
fn proba_fit(case: &str) -> Option<Result<()>> {
    let (x, y) = xy();
    let lr = |p: proba::linear::LogisticRegressionParams<&str>| Some(p.fit(&x, &y).map(drop));
    let tfidf = |p: proba::text::TfidfVectorizerParams| Some(p.fit(&TEXTS).map(drop));
    let rf = |p: proba::ensemble::RandomForestParams<&str>| {
        Some(p.n_estimators(3).fit(&x, &y).map(drop))
    };
    let dt = |p: proba::tree::DecisionTreeParams<&str>| Some(p.fit(&x, &y).map(drop));
    let unknown = || ClassWeight::Explicit(BTreeMap::from([("zz", 2.0)]));
    match case {
        "lr_c_0" => lr(LogisticRegression::params().c(0.0)),
        "lr_c_neg" => lr(LogisticRegression::params().c(-1.0)),
        "lr_c_inf" => lr(LogisticRegression::params().c(f64::INFINITY)),
        "lr_tol_neg" => lr(LogisticRegression::params().tol(-1.0)),
        "lr_tol_0" => lr(LogisticRegression::params().tol(0.0)),
        "lr_max_iter_0" => lr(LogisticRegression::params().max_iter(0)),
        "lr_class_weight_unknown" => lr(LogisticRegression::params().class_weight(unknown())),
        "lr_class_weight_balanced" => {
            lr(LogisticRegression::params().class_weight(ClassWeight::Balanced))
        }
        "tfidf_min_df_0" => tfidf(TfidfVectorizer::params().min_df(0)),
        "tfidf_min_df_frac_0" => tfidf(TfidfVectorizer::params().min_df(0.0)),
        "tfidf_max_df_1_5" => tfidf(TfidfVectorizer::params().max_df(1.5)),
        "tfidf_min_df_1_5" => tfidf(TfidfVectorizer::params().min_df(1.5)),
        "tfidf_min_above_max" => tfidf(TfidfVectorizer::params().min_df(3).max_df(1)),
        "tfidf_ngram_2_1" => tfidf(TfidfVectorizer::params().ngram_range(2, 1)),
        "tfidf_ngram_0_1" => tfidf(TfidfVectorizer::params().ngram_range(0, 1)),
        "tfidf_max_features_0" => tfidf(TfidfVectorizer::params().max_features(0)),
        "tfidf_max_features_1" => tfidf(TfidfVectorizer::params().max_features(1)),
        "tfidf_stop_words_English" => tfidf(TfidfVectorizer::params().stop_words("English")),
        // `StripAccents` and `Analyzer` are enums: no bogus value exists.
        "count_strip_accents_bogus" | "count_analyzer_bogus" => {
            let _ = CountVectorizer::params();
            None
        }
        "rf_n_estimators_0" => Some(
            RandomForestClassifier::params()
                .n_estimators(0)
                .fit(&x, &y)
                .map(drop),
        ),
        "rf_max_depth_0" => rf(RandomForestClassifier::params().max_depth(0)),
        "rf_min_samples_split_1" => rf(RandomForestClassifier::params().min_samples_split(1)),
        "rf_min_samples_leaf_0" => rf(RandomForestClassifier::params().min_samples_leaf(0)),
        "rf_max_features_0" => {
            rf(RandomForestClassifier::params().max_features(MaxFeatures::Count(0)))
        }
        "rf_max_features_1_5" => {
            rf(RandomForestClassifier::params().max_features(MaxFeatures::Fraction(1.5)))
        }
        "rf_max_samples_0" => rf(RandomForestClassifier::params().max_samples(0)),
        "rf_max_samples_1_5" => rf(RandomForestClassifier::params().max_samples(1.5)),
        "rf_max_samples_without_bootstrap" => rf(RandomForestClassifier::params()
            .bootstrap(false)
            .max_samples(0.5)),
        "rf_oob_without_bootstrap" => rf(RandomForestClassifier::params()
            .bootstrap(false)
            .oob_score(true)),
        "rf_min_impurity_decrease_neg" => {
            rf(RandomForestClassifier::params().min_impurity_decrease(-1.0))
        }
        "dt_balanced_subsample" => {
            dt(DecisionTreeClassifier::params().class_weight(ClassWeight::BalancedSubsample))
        }
        "dt_class_weight_unknown" => dt(DecisionTreeClassifier::params().class_weight(unknown())),
        other => panic!("case {other:?} of the fixture has no proba counterpart here"),
    }
}

#[test]
fn proba_refuses_what_scikit_learn_refuses() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/params/verdicts.json"
    );
    let f: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = f["cases"].as_object().unwrap();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut disagreements = Vec::new();
    for (name, verdict) in cases {
        let Some(result) = proba_fit(name) else {
            continue;
        };
        let sklearn_refuses = verdict["refused"].as_bool().unwrap();
        let differs = verdict.get("differs").is_some();
        match (&result, sklearn_refuses, differs) {
            // Refused by both: proba's error names the parameter (or the
            // label, for class weights naming a non-class).
            (Err(e), true, _) => {
                let msg = e.to_string();
                assert!(
                    matches!(e, Error::InvalidParameter { .. } | Error::UnknownLabel(_)),
                    "{name}: {msg}"
                );
            }
            (Ok(()), false, false) => {}
            // A documented, intentional difference: proba refuses.
            (Err(_), false, true) => {}
            (r, _, _) => disagreements.push(format!(
                "{name}: scikit-learn {}, proba {:?}",
                if sklearn_refuses {
                    "refuses"
                } else {
                    "accepts"
                },
                r
            )),
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}
