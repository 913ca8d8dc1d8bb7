//! Load fitted scikit-learn models from their pickle or joblib files, in
//! Rust, without Python, and without executing anything.
//!
//! ```no_run
//! use proba::prelude::*;
//! use proba::pipeline::Pipeline;
//! use proba::linear::LogisticRegression;
//!
//! // pickle.dump(make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(X, y), f)
//! let model: Pipeline<LogisticRegression<String>> = proba::sklearn::load("model.pkl")?;
//! let p = model.predict_proba(&["the match ended in a draw"])?;
//! # Ok::<(), proba::Error>(())
//! ```
//!
//! # What it reads
//!
//! [`load`]/[`from_bytes`] return any [`FromSklearn`] type:
//! [`TfidfVectorizer`], [`CountVectorizer`], [`LogisticRegression<L>`],
//! [`RandomForestClassifier<L>`], [`DecisionTreeClassifier<L>`],
//! [`MultiLabelBinarizer<L>`], [`OneVsRestClassifier`] over
//! `LogisticRegression<bool>` or `RandomForestClassifier<bool>`, and
//! [`Pipeline<M>`] for a scikit-learn `Pipeline`/`make_pipeline` of a
//! `TfidfVectorizer` and one of those classifiers (any step names). `L =
//! String` reads string classes and `L = i64` integer classes; the other
//! way round is an error naming both.
//!
//! Files: pickle protocols 2 to 5 as `pickle.dump` writes them (protocol 5's
//! in-band buffers included), and joblib files, uncompressed or compressed
//! with zlib (`compress=3`) or gzip (`compress=('gzip', 3)`); other
//! compressors (bz2, xz, lzma, lz4) are [`Error::Unsupported`] naming the
//! compressor. The kind of file is told by its content, not its name
//! ([`is_pickle`]). The committed fixtures (`tests/fixtures/sklearn/`, made
//! by `scripts/make_fixtures_sklearn.py`) cover scikit-learn 1.9.1 with
//! numpy 2.4 (`numpy._core`) and scikit-learn 1.3.2 with numpy 1.26
//! (`numpy.core`, `_idf_diag` sparse idf, tree `value` as counts), each
//! written with pickle protocols 2, 4 and 5 and joblib plain, zlib and gzip.
//!
//! # Safety model
//!
//! Python's `pickle.load` runs whatever the file names. This reader
//! interprets the opcodes into plain values and never calls anything:
//! `GLOBAL` only resolves a name against an allow-list (the scikit-learn
//! classes above and their parts, numpy's array, dtype and scalar
//! reconstructors, joblib's array wrapper, `scipy.sparse.csr_matrix` for
//! the idf of scikit-learn < 1.5, `_codecs.encode` and `set`); any other
//! global (`sklearn.svm.SVC`, `os.system`, a custom tokenizer function...)
//! is [`Error::Unsupported`] naming it. Every length is checked against the
//! bytes that remain before anything is allocated, a decompressed stream is
//! bounded (200x the file, 16 GiB at most), and the model mapping decodes
//! each array byte a bounded number of times, so no input panics, loops,
//! or allocates more than a small multiple of its size. The fitted model
//! is then checked exactly as [`io::load`](crate::io::load) checks one.
//!
//! # What is refused
//!
//! Options proba does not implement are refused with an error naming the
//! option, never approximated: a callable `analyzer`/`tokenizer`/
//! `preprocessor`, `input='filename'`/`'file'`, a `dtype` other than
//! float64, logistic regression with `multi_class='ovr'` (or liblinear) over
//! 3+ classes, multi-output trees, Pipelines of other than two steps. The
//! options proba implements map exactly (token_pattern, stop word lists,
//! ngram_range, strip_accents, lowercase, min/max_df, max_features,
//! vocabulary, binary, norm, use_idf, smooth_idf, sublinear_tf). Options
//! that only shape training (penalty, C, class_weight, monotonic_cst,
//! criterion...) do not change the fitted model's predictions and are not
//! checked; `encoding`/`decode_error` only apply to bytes input, which
//! proba does not take. Trees trained with missing values store a
//! missing-value direction per node; proba refuses non-finite features at
//! predict, so that direction never applies. scikit-learn does not store
//! the final objective of a logistic regression: a loaded one reports 0.0.

mod container;
mod globals;
mod labels;
mod linear;
mod multilabel;
mod numpy;
mod pickle;
mod pipeline;
mod text;
mod tree;
mod value;

use std::path::Path;

pub use container::is_pickle;
pub use labels::{Classes, SklearnLabel};

use crate::ensemble::RandomForestClassifier;
use crate::error::{Error, Result};
use crate::linear::LogisticRegression;
use crate::multilabel::{MultiLabelBinarizer, OneVsRestClassifier};
use crate::pipeline::Pipeline;
use crate::text::{CountVectorizer, TfidfVectorizer};
use crate::tree::DecisionTreeClassifier;
use globals::Global;
use multilabel::SubModel;
use pickle::{Obj, Value};
use value::View;

/// A decoded file, handed to [`FromSklearn::from_sklearn`].
#[doc(hidden)]
pub struct Source<'p, 'a> {
    view: View<'p, 'a>,
    root: Value,
}

/// A proba type that a scikit-learn pickle can be loaded as.
pub trait FromSklearn: Sized {
    /// Maps the decoded file onto `Self`.
    #[doc(hidden)]
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self>;
}

/// What a scikit-learn file holds, read without mapping it (see [`kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A `TfidfVectorizer`.
    TfidfVectorizer,
    /// A `CountVectorizer`.
    CountVectorizer,
    /// A `LogisticRegression`.
    LogisticRegression,
    /// A `RandomForestClassifier`.
    RandomForestClassifier,
    /// A `DecisionTreeClassifier`.
    DecisionTreeClassifier,
    /// A `MultiLabelBinarizer`.
    MultiLabelBinarizer,
    /// A `OneVsRestClassifier`.
    OneVsRestClassifier,
    /// A `Pipeline`.
    Pipeline,
}

fn with_source<T>(bytes: &[u8], f: impl FnOnce(Source<'_, '_>) -> Result<T>) -> Result<T> {
    let stream = container::pickle_bytes(bytes)?;
    let p = pickle::decode(&stream, true)?;
    // Each array byte may be decoded a few times (e.g. a forest's node
    // arrays once per field); a file referencing its arrays far more often
    // than a model does is refused.
    let budget = std::cell::Cell::new(stream.len().saturating_mul(16).saturating_add(1 << 20));
    f(Source {
        view: View {
            objs: &p.objs,
            budget: &budget,
        },
        root: p.root,
    })
}

/// Reads a fitted model of type `T` from the bytes of a pickle or joblib file.
pub fn from_bytes<T: FromSklearn>(bytes: &[u8]) -> Result<T> {
    with_source(bytes, T::from_sklearn)
}

/// Reads a fitted model of type `T` from a pickle or joblib file.
pub fn load<T: FromSklearn>(path: impl AsRef<Path>) -> Result<T> {
    from_bytes(&std::fs::read(path)?)
}

/// Which scikit-learn estimator the file holds, so a caller (a server) can
/// pick the type to load it as.
pub fn kind(bytes: &[u8]) -> Result<Kind> {
    with_source(bytes, |src| {
        let class = match src.view.obj(src.root) {
            Some(Obj::Instance { class, .. }) => *class,
            _ => {
                return Err(Error::Unsupported(
                    "a pickle that is not a scikit-learn estimator".into(),
                ))
            }
        };
        Ok(match class {
            Global::TfidfVectorizer => Kind::TfidfVectorizer,
            Global::CountVectorizer => Kind::CountVectorizer,
            Global::LogisticRegression => Kind::LogisticRegression,
            Global::RandomForestClassifier => Kind::RandomForestClassifier,
            Global::DecisionTreeClassifier => Kind::DecisionTreeClassifier,
            Global::MultiLabelBinarizer => Kind::MultiLabelBinarizer,
            Global::OneVsRestClassifier => Kind::OneVsRestClassifier,
            Global::Pipeline => Kind::Pipeline,
            other => {
                return Err(Error::Unsupported(format!(
                    "a pickled {} is not a model",
                    other.name()
                )))
            }
        })
    })
}

/// The classes of the estimator `v`, typed as `L`.
fn typed_classes<L: SklearnLabel>(view: &View<'_, '_>, v: Value) -> Result<Vec<L>> {
    let e = view.estimator(v)?;
    labels::read::<L>(view, &linear::classes_array(view, &e)?)
}

impl FromSklearn for TfidfVectorizer {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        text::tfidf_vectorizer(&src.view, src.root)
    }
}

impl FromSklearn for CountVectorizer {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        text::count_vectorizer(&src.view, src.root)
    }
}

fn lr<L: SklearnLabel>(view: &View<'_, '_>, v: Value) -> Result<LogisticRegression<L>> {
    let classes = typed_classes::<L>(view, v)?;
    linear::logistic(view, &view.estimator(v)?, classes)
}

fn rf<L: SklearnLabel>(view: &View<'_, '_>, v: Value) -> Result<RandomForestClassifier<L>> {
    let classes = typed_classes::<L>(view, v)?;
    tree::random_forest(view, &view.estimator(v)?, classes)
}

fn dt<L: SklearnLabel>(view: &View<'_, '_>, v: Value) -> Result<DecisionTreeClassifier<L>> {
    let classes = typed_classes::<L>(view, v)?;
    tree::decision_tree(view, &view.estimator(v)?, classes)
}

impl<L: SklearnLabel> FromSklearn for LogisticRegression<L> {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        lr(&src.view, src.root)
    }
}

impl<L: SklearnLabel> FromSklearn for RandomForestClassifier<L> {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        rf(&src.view, src.root)
    }
}

impl<L: SklearnLabel> FromSklearn for DecisionTreeClassifier<L> {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        dt(&src.view, src.root)
    }
}

impl<L: SklearnLabel> FromSklearn for MultiLabelBinarizer<L> {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        multilabel::binarizer(&src.view, src.root)
    }
}

impl SubModel for LogisticRegression<bool> {
    fn from_estimator(view: &View<'_, '_>, e: &value::Estimator<'_>) -> Result<Self> {
        linear::logistic(view, e, linear::binary_classes(view, e)?)
    }
}

impl SubModel for RandomForestClassifier<bool> {
    fn from_estimator(view: &View<'_, '_>, e: &value::Estimator<'_>) -> Result<Self> {
        tree::random_forest(view, e, linear::binary_classes(view, e)?)
    }
}

impl<L: SklearnLabel + serde::de::DeserializeOwned> FromSklearn
    for OneVsRestClassifier<LogisticRegression<bool>, L>
{
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        multilabel::one_vs_rest(&src.view, src.root)
    }
}

impl<L: SklearnLabel + serde::de::DeserializeOwned> FromSklearn
    for OneVsRestClassifier<RandomForestClassifier<bool>, L>
{
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        multilabel::one_vs_rest(&src.view, src.root)
    }
}

impl<M> FromSklearn for Pipeline<M>
where
    M: FromSklearn
        + crate::io::Persist
        + crate::traits::PredictProba<crate::sparse::CsrMatrix>
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        pipeline::pipeline(&src.view, src.root, |view, v| {
            M::from_sklearn(Source {
                view: *view,
                root: v,
            })
        })
    }
}
