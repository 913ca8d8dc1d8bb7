//! Loading the models that the `train` example saves, whatever their
//! classifier, for `--predict`, `--predict-multilabel` and `--predict-complex`.

use std::path::Path;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;

use crate::app::{Served, Task};

/// Loads a model saved by the `train` example: a pipeline over logistic
/// regression, a random forest or one-vs-rest, whichever the file holds.
pub fn load_model(path: &Path) -> Result<Served, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    let header = proba::io::header(&bytes).map_err(|e| format!("{name}: {e}"))?;
    if header.kind != "Pipeline" {
        return Err(format!(
            "{name} holds a {}, not a text Pipeline saved by the train example",
            header.kind
        ));
    }
    let lr = match proba::io::from_slice::<Pipeline<LogisticRegression<String>>>(&bytes) {
        Ok(m) => {
            return Ok(Served {
                name,
                kind: "Pipeline<TfidfVectorizer, LogisticRegression>".into(),
                task: Task::SingleLabel,
                model: Box::new(m),
            })
        }
        Err(e) => e,
    };
    let rf = match proba::io::from_slice::<Pipeline<RandomForestClassifier<String>>>(&bytes) {
        Ok(m) => {
            return Ok(Served {
                name,
                kind: "Pipeline<TfidfVectorizer, RandomForestClassifier>".into(),
                task: Task::SingleLabel,
                model: Box::new(m),
            })
        }
        Err(e) => e,
    };
    match proba::io::from_slice::<Pipeline<OneVsRestClassifier<LogisticRegression<bool>, String>>>(
        &bytes,
    ) {
        Ok(m) => Ok(Served {
            name,
            kind: "Pipeline<TfidfVectorizer, OneVsRestClassifier<LogisticRegression>>".into(),
            task: Task::MultiLabel,
            model: Box::new(m),
        }),
        Err(ovr) => Err(format!(
            "{}: not a text pipeline saved by the train example\n  as logistic regression: {lr}\n  as random forest: {rf}\n  as one-vs-rest: {ovr}",
            path.display()
        )),
    }
}
