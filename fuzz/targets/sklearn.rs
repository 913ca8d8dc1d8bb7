//! Fuzz target for `proba::sklearn::from_bytes` on arbitrary bytes and
//! mutations of real scikit-learn pickles (seeds in
//! `fuzz/corpus/sklearn_from_bytes/`: small fixtures of
//! `tests/fixtures/sklearn/`). The input is loaded as every supported type;
//! nothing may panic, and a model that loads must predict on a valid input
//! without panicking.

use arbitrary::Unstructured;
use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::{MultiLabelBinarizer, OneVsRestClassifier};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::sklearn;
use proba::text::{CountVectorizer, TfidfVectorizer};
use proba::tree::DecisionTreeClassifier;

fn zeros<M: PredictProba<CsrMatrix>>(m: &M, n_features: usize) {
    if let Ok(p) = m.predict_proba(&CsrMatrix::zeros(1, n_features)) {
        assert!(p.iter().all(|v| v.is_finite()), "non-finite probability");
    }
}

/// `from_bytes` as each type on the whole input.
pub fn sklearn_from_bytes(u: &mut Unstructured) -> arbitrary::Result<()> {
    let n = u.len();
    let b = u.bytes(n)?;
    let _ = sklearn::is_pickle(b);
    let _ = sklearn::kind(b);
    if let Ok(v) = sklearn::from_bytes::<TfidfVectorizer>(b) {
        super::deep();
        let _ = v.transform_one("the cat sat");
    }
    if let Ok(v) = sklearn::from_bytes::<CountVectorizer>(b) {
        super::deep();
        let _ = v.transform_one("the cat sat");
    }
    if let Ok(m) = sklearn::from_bytes::<LogisticRegression<String>>(b) {
        super::deep();
        zeros(&m, m.coef().ncols());
    }
    if let Ok(m) = sklearn::from_bytes::<LogisticRegression<i64>>(b) {
        super::deep();
        zeros(&m, m.coef().ncols());
    }
    if let Ok(m) = sklearn::from_bytes::<DecisionTreeClassifier<i64>>(b) {
        super::deep();
        zeros(&m, m.n_features());
    }
    if let Ok(m) = sklearn::from_bytes::<RandomForestClassifier<String>>(b) {
        super::deep();
        zeros(&m, m.n_features());
    }
    let _ = sklearn::from_bytes::<MultiLabelBinarizer<String>>(b);
    let _ = sklearn::from_bytes::<OneVsRestClassifier<LogisticRegression<bool>, i64>>(b);
    let _ = sklearn::from_bytes::<OneVsRestClassifier<RandomForestClassifier<bool>, i64>>(b);
    if let Ok(p) = sklearn::from_bytes::<Pipeline<LogisticRegression<String>>>(b) {
        super::deep();
        let _ = p.predict_proba(&["the cat sat"]);
    }
    if let Ok(p) = sklearn::from_bytes::<Pipeline<LogisticRegression<i64>>>(b) {
        super::deep();
        let _ = p.predict_proba(&["the cat sat"]);
    }
    if let Ok(t) = sklearn::from_bytes::<proba::text::TfidfTransformer>(b) {
        super::deep();
        let _ = t.transform(&CsrMatrix::zeros(2, t.n_features()));
    }
    // What a server does: look, then map the one decoded file as it says.
    let _ = sklearn::decode(b, |file| {
        let c = file.contents()?;
        assert!(!c.steps.is_empty());
        assert!(c.steps.len() == 1 || c.kind == sklearn::Kind::Pipeline);
        if c.kind == sklearn::Kind::Pipeline {
            let _ = file.to::<Pipeline<RandomForestClassifier<String>>>();
            let _ = file.to::<Pipeline<DecisionTreeClassifier<i64>>>();
        }
        Ok(())
    });
    Ok(())
}
