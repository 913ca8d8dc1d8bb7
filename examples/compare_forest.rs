//! proba's side of the forest speed comparison (scripts/compare_forest.py
//! runs scikit-learn on the same data and prints both side by side).
//!
//! For digits (dense), BBC TF-IDF and fortunes TF-IDF (sparse), on the shared
//! split (test rows: i % 5 == 0): fits a 100-tree forest with 1 and 2
//! threads, prints the median fit time, test accuracy, log loss and the size
//! of the saved model (proba::io JSON), one JSON object per line.
//!
//! ```text
//! cargo run --release --example compare_forest -- [digits] [bbc] [fortunes] [--repeat 3]
//! ```
//! Needs ../shared/data (or PROBA_DATA_DIR); datasets that are absent are skipped.

#[path = "support/measure.rs"]
mod measure;

#[path = "../tests/support/data.rs"]
mod data;

use std::time::Instant;

use ndarray::Axis;
use proba::ensemble::RandomForestClassifier;
use proba::prelude::*;
use proba::text::TfidfVectorizer;
use proba::FeatureView;

fn run<X: Features, L: Label>(
    name: &str,
    x_train: &X,
    y_train: &[L],
    x_test: &X,
    y_test: &[L],
    repeat: usize,
) -> Result<()>
where
    RandomForestClassifier<L>: PredictProba<X, Label = L>,
{
    for threads in [1usize, 2] {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut model = None;
        for _ in 0..repeat {
            let c0 = measure::cpu_seconds().unwrap_or(f64::NAN);
            let t0 = Instant::now();
            let rf = RandomForestClassifier::params()
                .n_estimators(100)
                .seed(0)
                .n_jobs(threads)
                .fit(x_train, y_train)?;
            times.push(t0.elapsed().as_secs_f64());
            cpu.push(measure::cpu_seconds().unwrap_or(f64::NAN) - c0);
            model = Some(rf);
        }
        let Some(rf) = model else { continue };
        times.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        let proba = rf.predict_proba(x_test)?;
        let pred = rf.predict(x_test)?;
        let accuracy = proba::metrics::accuracy(y_test, &pred)?;
        let log_loss = proba::metrics::log_loss(y_test, proba.view(), rf.classes())?;
        let size = proba::io::to_string(&rf)?.len();
        let row = x_test_first_row_time(&rf, x_test)?;
        println!(
            "{}",
            serde_json::json!({
                "dataset": name, "threads": threads, "fit_seconds": times[times.len() / 2],
                "fit_all": times, "fit_cpu_seconds": cpu[cpu.len() / 2], "accuracy": accuracy,
                "log_loss": log_loss, "saved_bytes": size,
                "node_count": rf.node_count(), "predict_one_row_us": row,
            })
        );
    }
    Ok(())
}

/// Median time of `predict_proba` on the first test row alone (as a 1-row
/// dense or sparse matrix, like the test set), in microseconds.
fn x_test_first_row_time<X: Features, L: Label>(
    rf: &RandomForestClassifier<L>,
    x: &X,
) -> Result<f64> {
    let mut t = Vec::new();
    let dense;
    let sparse;
    let mut call: Box<dyn FnMut() -> Result<ndarray::Array2<f64>>> = match x.feature_view() {
        FeatureView::Dense(d) => {
            dense = d.select(Axis(0), &[0]);
            Box::new(|| rf.predict_proba(&dense))
        }
        FeatureView::Sparse(s) => {
            sparse = s.select_rows(&[0])?;
            Box::new(|| rf.predict_proba(&sparse))
        }
    };
    for _ in 0..500 {
        let t0 = Instant::now();
        std::hint::black_box(call()?);
        t.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    t.sort_by(f64::total_cmp);
    Ok(t[t.len() / 2])
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 3;
    let mut sets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--repeat" {
            repeat = it.next().and_then(|v| v.parse().ok()).unwrap_or(3);
        } else {
            sets.push(a.as_str());
        }
    }
    if sets.is_empty() {
        sets = vec!["digits", "bbc", "fortunes"];
    }
    for set in sets {
        match set {
            "digits" => {
                let Some((x, y)) = data::digits() else {
                    continue;
                };
                let train: Vec<usize> = (0..y.len()).filter(|i| i % 5 != 0).collect();
                let test: Vec<usize> = (0..y.len()).filter(|i| i % 5 == 0).collect();
                let (xtr, xte) = (x.select(Axis(0), &train), x.select(Axis(0), &test));
                let ytr: Vec<i64> = train.iter().map(|&i| y[i]).collect();
                let yte: Vec<i64> = test.iter().map(|&i| y[i]).collect();
                run("digits", &xtr, &ytr, &xte, &yte, repeat)?;
            }
            "bbc" | "fortunes" => {
                let Some(corpus) = data::corpus(&format!("{set}.jsonl")) else {
                    continue;
                };
                let (train, test) = corpus.split();
                let tfidf = TfidfVectorizer::params().fit(&train.texts)?;
                let xtr = tfidf.transform(&train.texts)?;
                let xte = tfidf.transform(&test.texts)?;
                let reps = if set == "fortunes" { 1 } else { repeat };
                run(set, &xtr, &train.labels, &xte, &test.labels, reps)?;
            }
            other => eprintln!("unknown dataset {other}"),
        }
    }
    Ok(())
}
