//! Parity with the shared golden file `../shared/parity/golden_text.json`
//! (11 vectorizer configurations on a corpus of hard cases, generated with
//! scikit-learn 1.9.1). Skips with a message when the file is absent.

mod common;
mod text_support;

use std::path::PathBuf;

use text_support::{check_case, Case};

fn golden() -> Option<serde_json::Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/parity/golden_text.json");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(serde_json::from_str(&s).expect("golden_text.json is JSON")),
        Err(_) => {
            eprintln!("SKIPPED: {} not found", path.display());
            None
        }
    }
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
