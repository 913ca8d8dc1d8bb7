//! proba's side of `scripts/compare_scaling.py`: how fit time grows with
//! the corpus. For each factor m, the training rows of a JSONL corpus (the
//! shared split: rows with i % 5 != 0) repeated m times are vectorized with
//! the default `TfidfVectorizer` (`fit_transform`), and a default
//! `LogisticRegression` and a 100-tree `RandomForestClassifier` (seed 0) are
//! fitted on the result. Prints one JSON line per factor with the median
//! wall time of each step over RUNS runs.
//!
//! ```text
//! cargo run --release --example compare_scaling -- CORPUS.jsonl [--factors 1,2,4,8,16] [--runs 3]
//! ```
//! The thread count is rayon's (`RAYON_NUM_THREADS`).

#[path = "support/measure.rs"]
mod measure;

#[path = "../tests/support/data.rs"]
mod data;

use std::time::Instant;

use clap::Parser;
use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::prelude::*;
use proba::text::TfidfVectorizer;

#[derive(Parser)]
#[command(about = "Fit time against corpus size (proba's side of scripts/compare_scaling.py)")]
struct Args {
    /// A JSONL corpus with "text" and (string) "label" fields.
    corpus: String,
    /// How many times the training rows are repeated, comma separated.
    #[arg(long, default_value = "1,2,4,8,16", value_delimiter = ',')]
    factors: Vec<usize>,
    /// Runs per measurement (the median is printed).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
}

/// The median wall time of `runs` calls of `f`, and the last result.
fn timed<T>(runs: u64, mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f()?);
        times.push(t.elapsed().as_secs_f64());
    }
    let last = last.ok_or_else(|| proba::Error::Format("no run".into()))?;
    Ok((measure::median(times), last))
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let (train, _) = data::read_corpus(std::path::Path::new(&args.corpus)).split();
    let (texts, labels) = (train.texts, train.labels);
    let threads = rayon::current_num_threads();
    for &m in &args.factors {
        let docs: Vec<&str> = (0..m)
            .flat_map(|_| texts.iter().map(String::as_str))
            .collect();
        let y: Vec<String> = (0..m).flat_map(|_| labels.iter().cloned()).collect();
        let (tfidf, (_, x)) = timed(args.runs, || TfidfVectorizer::params().fit_transform(&docs))?;
        let (lr, _) = timed(args.runs, || LogisticRegression::params().fit(&x, &y))?;
        let (rf, _) = timed(args.runs, || {
            RandomForestClassifier::params()
                .n_estimators(100)
                .seed(0)
                .fit(&x, &y)
        })?;
        println!(
            "{}",
            serde_json::json!({
                "factor": m, "n_docs": docs.len(), "n_features": x.n_cols(), "threads": threads,
                "tfidf_seconds": tfidf, "lr_seconds": lr, "rf_seconds": rf,
            })
        );
    }
    Ok(())
}
