//! Helpers shared by the integration tests and benches: locating the shared
//! datasets (which a user's clone does not have) and reading them.
#![allow(dead_code)]

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
    let path = data_file(name)?;
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
    Some(c)
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

/// proptest settings for the property tests: `cases` cases drawn from a
/// fixed seed, so every CI run checks the same cases (a red run is then a
/// real regression, never a new random draw). Set `PROPTEST_RNG_SEED` to
/// explore other cases.
pub fn prop_config(cases: u32) -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(20_261_125);
    }
    config
}

/// Runs `f` in a fresh rayon pool of `threads` threads: the tests compare
/// results across thread counts with it.
pub fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
        .install(f)
}
