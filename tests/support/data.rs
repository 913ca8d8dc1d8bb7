//! Data for the tests, benches and examples: locating the shared datasets
//! (which a user's clone does not have) and reading them, and reading the
//! committed fixtures under `tests/fixtures/`. The test crates reach it as
//! `support::data` (re-exported from `support`); `benches/*.rs` and
//! `examples/compare_forest.rs` include this file alone with `#[path]`.
#![allow(dead_code)] // each includer uses some of these

use std::path::PathBuf;

use ndarray::Array2;

/// `$PROBA_DATA_DIR`, else `../shared/data` beside the crate, if it exists.
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PROBA_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    dir.is_dir().then_some(dir)
}

/// The path of a shared dataset file, or `None` after printing why the
/// caller is skipping.
pub fn data_file(name: &str) -> Option<PathBuf> {
    match data_dir().map(|d| d.join(name)) {
        Some(p) if p.is_file() => Some(p),
        _ => {
            eprintln!("SKIPPED: {name} not found (set PROBA_DATA_DIR or place ../shared/data beside the crate)");
            None
        }
    }
}

/// A labelled text corpus read from JSONL (`{"label": ..., "text": ...}` per line).
pub struct Corpus {
    pub texts: Vec<String>,
    pub labels: Vec<String>,
}

impl Corpus {
    /// The shared split: 0-based row `i` is a test row iff `i % 5 == 0`.
    pub fn split(&self) -> (Corpus, Corpus) {
        let mut train = Corpus {
            texts: vec![],
            labels: vec![],
        };
        let mut test = Corpus {
            texts: vec![],
            labels: vec![],
        };
        for (i, (t, l)) in self.texts.iter().zip(&self.labels).enumerate() {
            let side = if i % 5 == 0 { &mut test } else { &mut train };
            side.texts.push(t.clone());
            side.labels.push(l.clone());
        }
        (train, test)
    }
}

/// Reads `bbc.jsonl` or `fortunes.jsonl` from the shared data, if present.
pub fn corpus(name: &str) -> Option<Corpus> {
    Some(read_corpus(&data_file(name)?))
}

/// The multilingual fortunes corpus that `scripts/make_multilingual_corpus.py`
/// writes (not committed): `$PROBA_MULTILINGUAL`, else
/// `target/corpora/multilingual.jsonl`; `None` after printing why.
pub fn multilingual() -> Option<Corpus> {
    let path = std::env::var_os("PROBA_MULTILINGUAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/corpora/multilingual.jsonl")
        });
    if !path.is_file() {
        eprintln!(
            "SKIPPED: {} not found (make it with scripts/make_multilingual_corpus.py)",
            path.display()
        );
        return None;
    }
    Some(read_corpus(&path))
}

/// Reads a labelled JSONL corpus at `path` (panics on a bad file: test data).
pub fn read_corpus(path: &std::path::Path) -> Corpus {
    let text = std::fs::read_to_string(path).expect("readable corpus");
    let mut c = Corpus {
        texts: vec![],
        labels: vec![],
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSONL");
        c.texts
            .push(v["text"].as_str().expect("text field").to_string());
        c.labels
            .push(v["label"].as_str().expect("label field").to_string());
    }
    c
}

/// `digits.csv`: 64 pixel columns then `label`, if present.
pub fn digits() -> Option<(Array2<f64>, Vec<i64>)> {
    let path = data_file("digits.csv")?;
    let text = std::fs::read_to_string(path).expect("readable digits.csv");
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let vals: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse().expect("number"))
            .collect();
        let (feat, label) = vals.split_at(vals.len() - 1);
        rows.extend_from_slice(feat);
        labels.push(label[0] as i64);
    }
    let n = labels.len();
    let x = Array2::from_shape_vec((n, rows.len() / n), rows).expect("rectangular digits");
    Some((x, labels))
}

/// The label set of a fortune (`fortunes.jsonl`), as
/// `scripts/make_fixtures_multilabel.py` defines it: its category,
/// "always", "long" past 200 characters, "has_digit" with an ASCII digit.
pub fn fortune_label_set(text: &str, category: &str) -> Vec<String> {
    let mut s = vec![category.to_string(), "always".to_string()];
    if text.chars().count() > 200 {
        s.push("long".into());
    }
    if text.chars().any(|c| c.is_ascii_digit()) {
        s.push("has_digit".into());
    }
    s
}

/// A committed fixture under `tests/fixtures/`, parsed as JSON.
pub fn fixture(rel: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "fixture {} missing ({e}); run scripts/make_fixtures_*.py",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// A JSON array of equal-length number arrays (a fixture matrix) as `Array2`.
pub fn matrix(v: &serde_json::Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).expect("matrix of numbers");
    let n_cols = rows.first().map_or(0, Vec::len);
    let n_rows = rows.len();
    Array2::from_shape_vec((n_rows, n_cols), rows.into_iter().flatten().collect())
        .expect("rectangular matrix")
}

/// The synthetic multilabel fixture (`multilabel/synthetic.json`), split
/// on the shared rule (test iff i % 5 == 0): (x_train, sets_train, x_test).
pub fn multilabel_synthetic() -> (Array2<f64>, Vec<Vec<i64>>, Array2<f64>, serde_json::Value) {
    let f = fixture("multilabel/synthetic.json");
    let x = matrix(&f["x"]);
    let sets: Vec<Vec<i64>> = serde_json::from_value(f["label_sets"].clone()).expect("sets");
    let (train, test): (Vec<usize>, Vec<usize>) = (0..x.nrows()).partition(|i| i % 5 != 0);
    let y_train = train.iter().map(|&i| sets[i].clone()).collect();
    (
        x.select(ndarray::Axis(0), &train),
        y_train,
        x.select(ndarray::Axis(0), &test),
        f,
    )
}

/// A JSON array of strings.
pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("an array of strings")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// A JSON array of numbers as `f64`.
pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("an array of numbers")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// A JSON array of non-negative integers as `usize`.
pub fn usizes(v: &serde_json::Value) -> Vec<usize> {
    v.as_array()
        .expect("an array of integers")
        .iter()
        .map(|x| x.as_u64().expect("a non-negative integer") as usize)
        .collect()
}
