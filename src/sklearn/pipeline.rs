//! scikit-learn `Pipeline` / `make_pipeline` (any step names) of a
//! `TfidfVectorizer` and one classifier.
//!
//! Built against today's `Pipeline<M>` (a `TfidfVectorizer` and a
//! classifier `M`) through its saved form, in this one function, so the
//! switch to `Pipeline::new(vectorizer, classifier)` is a small edit.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::globals::Global;
use super::multilabel::to_json;
use super::pickle::Value;
use super::text::{tfidf_vectorizer, wrong};
use super::value::View;
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::pipeline::Pipeline;
use crate::sparse::CsrMatrix;
use crate::traits::PredictProba;

/// The `(vectorizer, classifier)` step values of the Pipeline `v`.
pub(crate) fn steps(view: &View<'_, '_>, v: Value) -> Result<(Value, Value)> {
    let e = view.estimator(v)?;
    if e.class != Global::Pipeline {
        return Err(wrong(e.class, "Pipeline"));
    }
    let steps = view
        .seq(e.attr(view, "steps")?)
        .ok_or_else(|| e.bad("steps", "a list"))?;
    let step = |s: &Value| match view.seq(*s) {
        Some([_, est]) => Ok(*est),
        _ => Err(e.bad("steps", "a list of (name, estimator) pairs")),
    };
    match steps {
        [v, c] => Ok((step(v)?, step(c)?)),
        _ => Err(Error::Unsupported(format!(
            "a Pipeline of {} steps (proba reads a vectorizer followed by a classifier)",
            steps.len()
        ))),
    }
}

/// A scikit-learn Pipeline as `Pipeline<M>`, the classifier read by `classifier`.
pub(crate) fn pipeline<M>(
    view: &View<'_, '_>,
    v: Value,
    classifier: impl FnOnce(&View<'_, '_>, Value) -> Result<M>,
) -> Result<Pipeline<M>>
where
    M: Persist + PredictProba<CsrMatrix> + Serialize + DeserializeOwned,
{
    let (vec_v, clf_v) = steps(view, v)?;
    let vectorizer = tfidf_vectorizer(view, vec_v)?;
    let classifier = classifier(view, clf_v)?;
    let json = serde_json::json!({
        "vectorizer": to_json(&vectorizer)?,
        "classifier": to_json(&classifier)?,
    });
    let p: Pipeline<M> =
        serde_json::from_value(json).map_err(|err| Error::Format(format!("sklearn: {err}")))?;
    p.validate()?;
    Ok(p)
}
