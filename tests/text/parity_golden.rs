//! Parity with the shared golden file `../shared/parity/golden_text.json` (vendored in tests/fixtures/golden/)
//! (11 vectorizer configurations on a corpus of hard cases, generated with
//! scikit-learn 1.9.1). Skips with a message when the file is absent.

use std::path::PathBuf;

use crate::support::text::{check_case, Case};

/// The shared golden file, vendored under tests/fixtures/golden/ (a copy of
/// ../shared/parity/golden_text.json, scikit-learn 1.9.1).
fn golden() -> Option<serde_json::Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden/golden_text.json");
    let s = std::fs::read_to_string(&path).expect("committed golden_text.json");
    Some(serde_json::from_str(&s).expect("golden_text.json is JSON"))
}

#[test]
fn all_golden_configurations_match_sklearn() {
    let Some(g) = golden() else { return };
    let train: Vec<String> = serde_json::from_value(g["train"].clone()).unwrap();
    let test: Vec<String> = serde_json::from_value(g["test"].clone()).unwrap();
    let cases = g["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 11);
    for c in cases {
        let case = Case::from_json(c);
        check_case(&case, &train, &test);
    }
}
