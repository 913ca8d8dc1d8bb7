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
//! [`MultiLabelBinarizer<L>`], [`TfidfTransformer`], [`OneVsRestClassifier`]
//! over `LogisticRegression<bool>` or `RandomForestClassifier<bool>`, and
//! [`Pipeline<M>`] for a scikit-learn `Pipeline`/`make_pipeline` (any step
//! names) of a `TfidfVectorizer`, a `CountVectorizer`, or a
//! `CountVectorizer` then a `TfidfTransformer`, followed by one of those
//! classifiers. `L = String` reads string classes and `L = i64` integer
//! classes; the other way round is an error naming both. A one-vs-rest
//! model trained on label sets has the indicator columns `0..n` as
//! classes (`L = i64`); their names are the classes of the
//! `MultiLabelBinarizer` pickled beside it.
//!
//! A vectorizer and a classifier pickled apart make one model with
//! [`Pipeline::new`]. A caller that does not know what a file holds (a
//! server) asks [`contents`] (the estimator, a Pipeline's steps, the type
//! of the classes), or decodes the file once with [`decode`] and maps it
//! with [`Source::to`] into the type it needs.
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
//! 3+ classes, multi-output trees, Pipelines of other shapes than those
//! above. The
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
use crate::text::{CountVectorizer, TfidfTransformer, TfidfVectorizer};
use crate::tree::DecisionTreeClassifier;
use globals::Global;
use multilabel::SubModel;
use pickle::{Obj, Value};
use value::View;

/// A decoded file: what [`decode`] hands its closure, to look at with
/// [`contents`](Source::contents) and map with [`to`](Source::to) as many
/// times as wanted (a server trying the types it serves decodes a big
/// file once).
#[derive(Clone, Copy)]
pub struct Source<'p, 'a> {
    view: View<'p, 'a>,
    root: Value,
}

impl Source<'_, '_> {
    /// Maps the file onto `T`.
    pub fn to<T: FromSklearn>(&self) -> Result<T> {
        T::from_sklearn(*self)
    }

    /// What the file holds, read without mapping it.
    pub fn contents(&self) -> Result<Contents> {
        let view = &self.view;
        let kind = kind_of(view, self.root)?;
        let steps = if kind == Kind::Pipeline {
            pipeline::steps(view, self.root)?
                .into_iter()
                .map(|v| kind_of(view, v))
                .collect::<Result<Vec<_>>>()?
        } else {
            vec![kind]
        };
        let last = match kind {
            Kind::Pipeline => pipeline::steps(view, self.root)?.last().copied(),
            _ => Some(self.root),
        };
        let labels = match last.map(|v| view.estimator(v)).transpose()? {
            Some(e) => match e.opt(view, "classes_") {
                Some(c) => Some(match labels::classes(view, &numpy::array(view, c)?)? {
                    Classes::Strings(_) => LabelKind::Strings,
                    Classes::Ints(_) => LabelKind::Integers,
                }),
                None => None,
            },
            None => None,
        };
        Ok(Contents {
            kind,
            steps,
            labels,
        })
    }
}

/// What a scikit-learn file holds (see [`contents`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Contents {
    /// The estimator pickled.
    pub kind: Kind,
    /// For a `Pipeline`, the kind of each step in order; otherwise `[kind]`.
    pub steps: Vec<Kind>,
    /// The type of the classes of the classifier (the last step of a
    /// `Pipeline`), or of a `MultiLabelBinarizer`: the `L` to load it with.
    /// `None` for a vectorizer.
    pub labels: Option<LabelKind>,
}

/// The type of a file's classes: which [`SklearnLabel`] reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LabelKind {
    /// String classes: load with `L = String`.
    Strings,
    /// Integer classes: load with `L = i64`.
    Integers,
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
    /// A `TfidfTransformer` (a step of a `Pipeline`).
    TfidfTransformer,
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

/// Decodes a pickle or joblib file once and hands it to `f`, which can
/// look at its [`contents`](Source::contents) and map it with
/// [`to`](Source::to), as often as it likes.
///
/// ```no_run
/// use proba::linear::LogisticRegression;
/// use proba::pipeline::Pipeline;
/// use proba::sklearn::{Kind, LabelKind};
///
/// # let bytes: Vec<u8> = vec![];
/// let classes: Vec<String> = proba::sklearn::decode(&bytes, |file| {
///     let c = file.contents()?;
///     Ok(match (c.kind, c.labels) {
///         (Kind::Pipeline, Some(LabelKind::Integers)) => file
///             .to::<Pipeline<LogisticRegression<i64>>>()?
///             .classifier().classes().iter().map(i64::to_string).collect(),
///         _ => file.to::<Pipeline<LogisticRegression<String>>>()?
///             .classifier().classes().to_vec(),
///     })
/// })?;
/// # Ok::<(), proba::Error>(())
/// ```
pub fn decode<T>(bytes: &[u8], f: impl FnOnce(Source<'_, '_>) -> Result<T>) -> Result<T> {
    let stream = container::pickle_bytes(bytes)?;
    let p = pickle::decode(&stream, true)?;
    // Each array byte may be decoded a few times (e.g. a forest's node
    // arrays once per field); a file referencing its arrays far more often
    // than a model does is refused.
    let budget = std::sync::atomic::AtomicUsize::new(
        stream.len().saturating_mul(16).saturating_add(1 << 20),
    );
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
    decode(bytes, T::from_sklearn)
}

/// Reads a fitted model of type `T` from a pickle or joblib file.
pub fn load<T: FromSklearn>(path: impl AsRef<Path>) -> Result<T> {
    from_bytes(&std::fs::read(path)?)
}

/// Which scikit-learn estimator the file holds, so a caller (a server) can
/// pick the type to load it as ([`contents`] also gives a `Pipeline`'s
/// steps and the type of the classes).
pub fn kind(bytes: &[u8]) -> Result<Kind> {
    decode(bytes, |src| kind_of(&src.view, src.root))
}

/// What the file holds: its estimator, a `Pipeline`'s steps, and the type
/// of its classes, read without mapping the model.
pub fn contents(bytes: &[u8]) -> Result<Contents> {
    decode(bytes, |src| src.contents())
}

fn kind_of(view: &View<'_, '_>, v: Value) -> Result<Kind> {
    let class = match view.obj(v) {
        Some(Obj::Instance(i)) => i.class,
        _ => {
            return Err(Error::Unsupported(
                "a pickle that is not a scikit-learn estimator".into(),
            ))
        }
    };
    Ok(match class {
        Global::TfidfVectorizer => Kind::TfidfVectorizer,
        Global::CountVectorizer => Kind::CountVectorizer,
        Global::TfidfTransformer => Kind::TfidfTransformer,
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

impl FromSklearn for TfidfTransformer {
    fn from_sklearn(src: Source<'_, '_>) -> Result<Self> {
        text::tfidf_transformer(&src.view, src.root)
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
    M: FromSklearn + crate::traits::PredictProba<crate::sparse::CsrMatrix>,
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
