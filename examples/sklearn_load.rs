//! Loads a pickled scikit-learn text pipeline with `proba::sklearn` (no
//! Python), times the load, and writes the probabilities of the given
//! texts: the proba side of `scripts/compare_sklearn_load.py`.
//!
//! Usage: `sklearn_load <lr|rf|ovr> <model.pkl> <texts.json> <out.json>`
//! where texts.json is a JSON array of strings; out.json gets
//! `{"load_seconds": .., "classes": [..], "proba": [[..]..]}`.

use std::time::Instant;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::sklearn;

fn run<M>(path: &str, texts: &[String]) -> Result<(f64, Vec<String>, Vec<Vec<f64>>)>
where
    Pipeline<M>: sklearn::FromSklearn + PredictProba<[String]> + Classifier<Label = String>,
{
    let t = Instant::now();
    let model: Pipeline<M> = sklearn::load(path)?;
    let secs = t.elapsed().as_secs_f64();
    let p = model.predict_proba(texts)?;
    Ok((
        secs,
        model.classes().to_vec(),
        p.rows().into_iter().map(|r| r.to_vec()).collect(),
    ))
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, kind, model, texts, out] = args.as_slice() else {
        return Err("usage: sklearn_load <lr|rf|ovr> <model.pkl> <texts.json> <out.json>".into());
    };
    let texts: Vec<String> = serde_json::from_str(&std::fs::read_to_string(texts)?)?;
    let (secs, classes, proba) = match kind.as_str() {
        "lr" => run::<LogisticRegression<String>>(model, &texts)?,
        "rf" => run::<RandomForestClassifier<String>>(model, &texts)?,
        "ovr" => run::<OneVsRestClassifier<LogisticRegression<bool>, String>>(model, &texts)?,
        other => return Err(format!("unknown kind {other:?}").into()),
    };
    let json = serde_json::json!({ "load_seconds": secs, "classes": classes, "proba": proba });
    std::fs::write(out, serde_json::to_string(&json)?)?;
    Ok(())
}
