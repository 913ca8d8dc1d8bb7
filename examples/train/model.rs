//! Fitting the chosen model on text or numeric features, predicting,
//! saving, and telling whether logistic regression converged.

use std::path::Path;
use std::sync::Arc;

use proba::ensemble::RandomForestClassifier;
use proba::linear::{LogisticRegression, LogisticRegressionParams, StopReason};
use proba::multilabel::{BinaryModel, OneVsRestClassifier};
use proba::ndarray::{Array2, Axis};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::progress::Progress;
use proba::text::{TfidfVectorizer, TfidfVectorizerParams};

use crate::{Args, ModelKind};

/// The features of every row: texts (vectorized by TF-IDF inside a
/// pipeline) or a dense numeric matrix.
#[derive(Debug, Clone)]
pub enum Inputs {
    Text(Vec<String>),
    Numeric {
        x: Array2<f64>,
        columns: Vec<String>,
    },
}

impl Inputs {
    pub fn len(&self) -> usize {
        match self {
            Inputs::Text(t) => t.len(),
            Inputs::Numeric { x, .. } => x.nrows(),
        }
    }

    /// The rows `idx`, in that order.
    pub fn select(&self, idx: &[usize]) -> Inputs {
        match self {
            Inputs::Text(t) => Inputs::Text(idx.iter().map(|&i| t[i].clone()).collect()),
            Inputs::Numeric { x, columns } => Inputs::Numeric {
                x: x.select(Axis(0), idx),
                columns: columns.clone(),
            },
        }
    }
}

/// What a model is trained to predict.
pub enum Targets<'a> {
    /// One label per row (`lr`, `rf`).
    One(&'a [String]),
    /// A label set per row (`ovr`).
    Sets(&'a [Vec<String>]),
}

type Ovr = OneVsRestClassifier<LogisticRegression<bool>, String>;

/// A fitted model of any kind the CLI trains.
pub enum Fitted {
    TextLr(Pipeline<LogisticRegression<String>>),
    TextRf(Pipeline<RandomForestClassifier<String>>),
    TextOvr(Pipeline<Ovr>),
    NumLr(LogisticRegression<String>),
    NumRf(RandomForestClassifier<String>),
    NumOvr(Ovr),
}

/// The logistic regression options from the command line.
pub fn logistic<L: Label>(a: &Args) -> LogisticRegressionParams<L> {
    LogisticRegression::params()
        .c(a.c)
        .max_iter(a.max_iter)
        .solver(a.solver.into())
}

fn forest(a: &Args) -> proba::ensemble::RandomForestParams<String> {
    let mut rf = RandomForestClassifier::params()
        .n_estimators(a.n_estimators)
        .seed(a.seed);
    if let Some(d) = a.max_depth {
        rf = rf.max_depth(d);
    }
    rf
}

/// The TF-IDF options from the command line.
pub fn vectorizer(a: &Args) -> TfidfVectorizerParams {
    let p = TfidfVectorizer::params()
        .ngram_range(a.ngram.0, a.ngram.1)
        .max_df(a.max_df)
        .sublinear_tf(a.sublinear_tf)
        .max_features(a.max_features);
    match a.min_df {
        crate::MinDf::Count(n) => p.min_df(n),
        crate::MinDf::Fraction(f) => p.min_df(f),
    }
}

/// What the progress display says while fitting.
pub fn fit_label(a: &Args) -> &'static str {
    match a.model {
        ModelKind::Lr => "training logistic regression",
        ModelKind::Rf => "training random forest",
        ModelKind::Ovr => "training one-vs-rest",
    }
}

/// Fits the model chosen by `a` on `inputs`, reporting progress to `hook`.
pub fn fit(
    a: &Args,
    inputs: &Inputs,
    y: Targets<'_>,
    hook: Arc<dyn Progress>,
) -> proba::Result<Fitted> {
    Ok(match (a.model, inputs, y) {
        (ModelKind::Ovr, Inputs::Text(t), Targets::Sets(s)) => {
            let ovr = Ovr::params(logistic(a).progress(hook));
            Fitted::TextOvr(Pipeline::params(vectorizer(a), ovr).fit(t, s)?)
        }
        (ModelKind::Ovr, Inputs::Numeric { x, .. }, Targets::Sets(s)) => {
            Fitted::NumOvr(Ovr::params(logistic(a).progress(hook)).fit(x, s)?)
        }
        (ModelKind::Lr, Inputs::Text(t), Targets::One(y)) => {
            Fitted::TextLr(Pipeline::params(vectorizer(a), logistic(a).progress(hook)).fit(t, y)?)
        }
        (ModelKind::Lr, Inputs::Numeric { x, .. }, Targets::One(y)) => {
            Fitted::NumLr(logistic(a).progress(hook).fit(x, y)?)
        }
        (ModelKind::Rf, Inputs::Text(t), Targets::One(y)) => {
            Fitted::TextRf(Pipeline::params(vectorizer(a), forest(a).progress(hook)).fit(t, y)?)
        }
        (ModelKind::Rf, Inputs::Numeric { x, .. }, Targets::One(y)) => {
            Fitted::NumRf(forest(a).progress(hook).fit(x, y)?)
        }
        _ => {
            return Err(proba::Error::invalid_param(
                "model",
                format!("{:?}", a.model),
                "label sets need --model ovr, and --model ovr needs label sets",
            ))
        }
    })
}

impl Fitted {
    /// Class probabilities of `inputs` (the same kind of features as at fit).
    pub fn predict_proba(&self, inputs: &Inputs) -> proba::Result<Array2<f64>> {
        match (self, inputs) {
            (Fitted::TextLr(m), Inputs::Text(t)) => m.predict_proba(t),
            (Fitted::TextRf(m), Inputs::Text(t)) => m.predict_proba(t),
            (Fitted::TextOvr(m), Inputs::Text(t)) => m.predict_proba(t),
            (Fitted::NumLr(m), Inputs::Numeric { x, .. }) => m.predict_proba(x),
            (Fitted::NumRf(m), Inputs::Numeric { x, .. }) => PredictProba::predict_proba(m, x),
            (Fitted::NumOvr(m), Inputs::Numeric { x, .. }) => m.predict_proba(x),
            _ => Err(proba::Error::Unsupported(
                "text model on numeric features or the reverse".into(),
            )),
        }
    }

    /// The classes, in the column order of `predict_proba`.
    pub fn classes(&self) -> &[String] {
        match self {
            Fitted::TextLr(m) => m.classes(),
            Fitted::TextRf(m) => m.classes(),
            Fitted::TextOvr(m) => m.classes(),
            Fitted::NumLr(m) => m.classes(),
            Fitted::NumRf(m) => Classifier::classes(m),
            Fitted::NumOvr(m) => m.classes(),
        }
    }

    /// One line saying what was trained.
    pub fn describe(&self) -> String {
        let k = self.classes().len();
        match self {
            Fitted::TextLr(m) => format!(
                "TF-IDF ({} terms) + logistic regression ({k} classes, {} iterations)",
                m.n_features(),
                m.classifier().n_iter()
            ),
            Fitted::TextRf(m) => format!(
                "TF-IDF ({} terms) + random forest ({} trees, {k} classes)",
                m.n_features(),
                m.classifier().n_estimators()
            ),
            Fitted::TextOvr(m) => format!(
                "TF-IDF ({} terms) + one-vs-rest logistic regression ({k} labels)",
                m.n_features()
            ),
            Fitted::NumLr(m) => format!(
                "logistic regression ({} numeric features, {k} classes, {} iterations)",
                m.n_features(),
                m.n_iter()
            ),
            Fitted::NumRf(m) => format!(
                "random forest ({} numeric features, {} trees, {k} classes)",
                m.n_features(),
                m.n_estimators()
            ),
            Fitted::NumOvr(m) => format!(
                "one-vs-rest logistic regression ({} numeric features, {k} labels)",
                m.n_features()
            ),
        }
    }

    /// A warning when logistic regression stopped without converging
    /// (`None` when it converged, or for a forest).
    pub fn convergence_warning(&self, max_iter: usize) -> Option<String> {
        match self {
            Fitted::TextLr(m) => lr_warning(m.classifier(), max_iter),
            Fitted::NumLr(m) => lr_warning(m, max_iter),
            Fitted::TextOvr(m) => ovr_warning(m.classifier(), max_iter),
            Fitted::NumOvr(m) => ovr_warning(m, max_iter),
            Fitted::TextRf(_) | Fitted::NumRf(_) => None,
        }
    }

    /// Saves the model; returns the `serve` flag for its route, if it has one.
    pub fn save(&self, path: &Path) -> proba::Result<Option<&'static str>> {
        match self {
            Fitted::TextLr(m) => proba::io::save(m, path).map(|_| Some("--predict")),
            Fitted::TextRf(m) => proba::io::save(m, path).map(|_| Some("--predict-complex")),
            Fitted::TextOvr(m) => proba::io::save(m, path).map(|_| Some("--predict-multilabel")),
            Fitted::NumLr(m) => proba::io::save(m, path).map(|_| None),
            Fitted::NumRf(m) => proba::io::save(m, path).map(|_| None),
            Fitted::NumOvr(m) => proba::io::save(m, path).map(|_| None),
        }
    }
}

fn lr_warning<L>(m: &LogisticRegression<L>, max_iter: usize) -> Option<String>
where
    L: Label,
{
    let advice = "raise --max-iter, or use --solver newton-cg, which reaches the optimum in fewer iterations";
    match m.stop_reason() {
        r if r.converged() => None,
        StopReason::MaxIter => Some(format!(
            "logistic regression stopped at --max-iter {max_iter} without converging \
             (objective {:.6}); its probabilities are not the optimum's: {advice}",
            m.objective()
        )),
        r => Some(format!(
            "logistic regression did not converge: it stopped after {} iterations ({r:?}); {advice}",
            m.n_iter()
        )),
    }
}

fn ovr_warning(m: &Ovr, max_iter: usize) -> Option<String> {
    let classes = m.classes();
    let offset = classes.len().saturating_sub(m.estimators().len());
    let stuck: Vec<&String> = classes[offset..]
        .iter()
        .zip(m.estimators())
        .filter_map(|(c, e)| match e {
            BinaryModel::Fitted(lr) if !lr.converged() => Some(c),
            _ => None,
        })
        .collect();
    if stuck.is_empty() {
        return None;
    }
    Some(format!(
        "{} of {} one-vs-rest logistic regressions stopped at --max-iter {max_iter} (or on a \
         failed line search) without converging, for labels {stuck:?}; raise --max-iter, or use \
         --solver newton-cg",
        stuck.len(),
        m.estimators().len()
    ))
}

/// The most probable class of each row (first class on ties).
pub fn argmax_labels(proba: &Array2<f64>, classes: &[String]) -> Vec<String> {
    proba
        .rows()
        .into_iter()
        .map(|r| {
            let best = r
                .iter()
                .enumerate()
                .fold(0, |b, (i, &v)| if v > r[b] { i } else { b });
            classes[best].clone()
        })
        .collect()
}
