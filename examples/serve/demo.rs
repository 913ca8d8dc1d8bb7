//! The demo models of the `serve` example, trained at startup on the
//! bundled fortunes corpus (`data/fortunes-demo.jsonl`, BSD, see
//! `data/FORTUNES-LICENSE`).

use std::path::Path;
use std::time::Instant;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::text::TfidfVectorizer;

use crate::app::{Models, Served, Task};

/// The demo corpus, relative to the crate root.
pub const DEMO_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/fortunes-demo.jsonl");

/// Which broad group a fortune category belongs to (the extra labels of the
/// multilabel demo).
fn group(category: &str) -> &'static str {
    match category {
        "computers" | "linux" | "science" => "tech",
        "politics" | "law" | "work" | "education" => "society",
        _ => "life",
    }
}

/// Whether a fortune ends with an attribution line (`\t\t-- Author`).
fn attributed(text: &str) -> bool {
    text.lines().skip(1).any(|l| {
        l.trim_start()
            .strip_prefix("--")
            .is_some_and(|rest| !rest.trim().is_empty())
    })
}

/// The derived label set of one fortune: its category, its group, and
/// `"attributed"` when it quotes someone.
pub fn label_set(category: &str, text: &str) -> Vec<String> {
    let mut set = vec![category.to_string(), group(category).to_string()];
    if attributed(text) {
        set.push("attributed".to_string());
    }
    set
}

/// Reads `(texts, labels)` from a JSONL file with `text` and `label` fields.
pub fn read_corpus(path: &Path) -> Result<(Vec<String>, Vec<String>), String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for (i, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        match (v["text"].as_str(), v["label"].as_str()) {
            (Some(t), Some(l)) => {
                texts.push(t.to_string());
                labels.push(l.to_string());
            }
            _ => {
                return Err(format!(
                    "{}:{}: needs string `text` and `label`",
                    path.display(),
                    i + 1
                ))
            }
        }
    }
    Ok((texts, labels))
}

fn timed<T>(what: &str, f: impl FnOnce() -> proba::Result<T>) -> Result<T, String> {
    let start = Instant::now();
    let out = f().map_err(|e| format!("training the {what}: {e}"))?;
    eprintln!(
        "  {what}: trained in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    Ok(out)
}

/// Trains the demo models for the routes that `models` leaves empty.
pub fn train_missing(models: &mut Models, corpus: &Path) -> Result<(), String> {
    if models.predict.is_some() && models.multilabel.is_some() && models.complex.is_some() {
        return Ok(());
    }
    let (texts, labels) = read_corpus(corpus)?;
    eprintln!(
        "training demo models on {} fortunes from {}",
        texts.len(),
        corpus.display()
    );
    let name = |suffix: &str| format!("fortunes-demo-{suffix}");
    if models.predict.is_none() {
        let m = timed("TF-IDF + logistic regression", || {
            Pipeline::params(
                TfidfVectorizer::params().sublinear_tf(true),
                LogisticRegression::params().c(10.0),
            )
            .fit(&texts, &labels)
        })?;
        models.predict = Some(Served {
            name: name("lr"),
            kind: "Pipeline<TfidfVectorizer, LogisticRegression>".into(),
            task: Task::SingleLabel,
            model: Box::new(m),
        });
    }
    if models.multilabel.is_none() {
        let sets: Vec<Vec<String>> = texts
            .iter()
            .zip(&labels)
            .map(|(t, l)| label_set(l, t))
            .collect();
        let m = timed("TF-IDF + one-vs-rest logistic regression", || {
            Pipeline::params(
                TfidfVectorizer::params().sublinear_tf(true),
                OneVsRestClassifier::params(LogisticRegression::params().c(10.0)),
            )
            .fit(&texts, &sets)
        })?;
        models.multilabel = Some(Served {
            name: name("ovr"),
            kind: "Pipeline<TfidfVectorizer, OneVsRestClassifier<LogisticRegression>>".into(),
            task: Task::MultiLabel,
            model: Box::new(m),
        });
    }
    if models.complex.is_none() {
        let m = timed("TF-IDF + random forest", || {
            Pipeline::params(
                TfidfVectorizer::params().min_df(2),
                RandomForestClassifier::params().n_estimators(100).seed(0),
            )
            .fit(&texts, &labels)
        })?;
        models.complex = Some(Served {
            name: name("rf"),
            kind: "Pipeline<TfidfVectorizer, RandomForestClassifier>".into(),
            task: Task::SingleLabel,
            model: Box::new(m),
        });
    }
    Ok(())
}
