//! Parity with scikit-learn on the unit corpus of hard cases
//! (tests/fixtures/text/unit.json, from scripts/make_fixtures_text.py):
//! vocabulary and column order equal, every entry within 1e-12, idf too.

use crate::support;
use crate::support::text::{check_case, Case};

#[test]
fn unit_corpus_matches_sklearn_in_every_configuration() {
    let fx = support::fixture("text/unit.json");
    assert!(fx["sklearn_version"].as_str().unwrap().starts_with("1.9"));
    let train: Vec<String> = serde_json::from_value(fx["train"].clone()).unwrap();
    let test: Vec<String> = serde_json::from_value(fx["test"].clone()).unwrap();
    let cases = fx["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for c in cases {
        check_case(&Case::from_json(c), &train, &test);
    }
}
