//! Loads a pickled scikit-learn text pipeline with `proba::sklearn` (no
//! Python), times the load, and writes the probabilities of the given
//! texts: the proba side of `scripts/compare_sklearn_load.py`.
//!
//! Usage: `sklearn_load <lr|rf|ovr> <model.pkl> <texts.json> <out.json>`
//! where texts.json is a JSON array of strings; out.json gets
//! `{"load_seconds": .., "base_rss": .., "model_rss": .., "classes": [..],
//! "proba": [[..]..]}` (the resident set before the load, and its growth
//! over the load: the loaded model's memory).

use std::time::Instant;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::sklearn;

fn run<M>(path: &str, texts: &[String]) -> Result<Loaded>
where
    Pipeline<M>: sklearn::FromSklearn + PredictProba<[String]> + Classifier<Label = String>,
{
    let base = rss();
    let t = Instant::now();
    let model: Pipeline<M> = sklearn::load(path)?;
    let secs = t.elapsed().as_secs_f64();
    let model_rss = rss().saturating_sub(base);
    let p = model.predict_proba(texts)?;
    Ok(Loaded {
        secs,
        base_rss: base,
        model_rss,
        classes: model.classes().to_vec(),
        proba: p.rows().into_iter().map(|r| r.to_vec()).collect(),
    })
}

struct Loaded {
    secs: f64,
    base_rss: u64,
    model_rss: u64,
    classes: Vec<String>,
    proba: Vec<Vec<f64>>,
}

/// The process's resident set in bytes (Linux; 0 elsewhere).
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, kind, model, texts, out] = args.as_slice() else {
        return Err("usage: sklearn_load <lr|rf|ovr> <model.pkl> <texts.json> <out.json>".into());
    };
    let texts: Vec<String> = serde_json::from_str(&std::fs::read_to_string(texts)?)?;
    let r = match kind.as_str() {
        "lr" => run::<LogisticRegression<String>>(model, &texts)?,
        "rf" => run::<RandomForestClassifier<String>>(model, &texts)?,
        "ovr" => run::<OneVsRestClassifier<LogisticRegression<bool>, String>>(model, &texts)?,
        other => return Err(format!("unknown kind {other:?}").into()),
    };
    let json = serde_json::json!({
        "load_seconds": r.secs,
        "base_rss": r.base_rss,
        "model_rss": r.model_rss,
        "classes": r.classes,
        "proba": r.proba,
    });
    std::fs::write(out, serde_json::to_string(&json)?)?;
    Ok(())
}
