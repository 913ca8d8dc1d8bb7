//! scikit-learn `Pipeline` / `make_pipeline` (any step names) of a text
//! vectorizer and one classifier: `[TfidfVectorizer, clf]`,
//! `[CountVectorizer, clf]` (raw counts) or `[CountVectorizer,
//! TfidfTransformer, clf]` (which is a `TfidfVectorizer`).

use super::globals::Global;
use super::pickle::Value;
use super::text::{count_then_tfidf, count_vectorizer, tfidf_vectorizer, wrong};
use super::value::View;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::sparse::CsrMatrix;
use crate::text::TfidfVectorizer;
use crate::traits::PredictProba;

/// The estimator values of the steps of the Pipeline `v`, in order.
pub(crate) fn steps(view: &View<'_, '_>, v: Value) -> Result<Vec<Value>> {
    let e = view.estimator(v)?;
    if e.class != Global::Pipeline {
        return Err(wrong(e.class, "Pipeline"));
    }
    let steps = view
        .seq(e.attr(view, "steps")?)
        .ok_or_else(|| e.bad("steps", "a list"))?;
    steps
        .iter()
        .map(|s| match view.seq(*s) {
            Some([_, est]) => Ok(*est),
            _ => Err(e.bad("steps", "a list of (name, estimator) pairs")),
        })
        .collect()
}

/// The vectorizer of the steps before the classifier.
fn vectorizer(view: &View<'_, '_>, steps: &[Value]) -> Result<TfidfVectorizer> {
    let class = |v: &Value| view.estimator(*v).map(|e| e.class);
    let classes = steps.iter().map(class).collect::<Result<Vec<_>>>()?;
    match (steps, classes.as_slice()) {
        ([v], [Global::TfidfVectorizer]) => tfidf_vectorizer(view, *v),
        ([v], [Global::CountVectorizer]) => Ok(count_vectorizer(view, *v)?.into()),
        ([c, t], [Global::CountVectorizer, Global::TfidfTransformer]) => {
            count_then_tfidf(view, *c, *t)
        }
        _ => Err(Error::Unsupported(format!(
            "a Pipeline whose steps before the classifier are [{}] (proba reads a \
             TfidfVectorizer, a CountVectorizer, or a CountVectorizer then a TfidfTransformer)",
            classes
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
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
    M: PredictProba<CsrMatrix>,
{
    let steps = steps(view, v)?;
    let Some((clf, before)) = steps.split_last().filter(|(_, b)| !b.is_empty()) else {
        return Err(Error::Unsupported(format!(
            "a Pipeline of {} step(s) (proba reads a vectorizer followed by a classifier)",
            steps.len()
        )));
    };
    // The classifier first: a wrong classifier type or label type is
    // told before the vocabulary is read.
    let classifier = classifier(view, *clf)?;
    let vectorizer = vectorizer(view, before)?;
    Pipeline::new(vectorizer, classifier).map_err(|e| Error::Format(format!("sklearn: {e}")))
}
