//! The one error type of the crate.
//!
//! Every public entry point returns [`Result`]; nothing a caller passes in
//! makes the library panic. Each variant says *what* is wrong and *where*:
//! the parameter and its value, the expected and found shapes, the row that
//! holds a non-finite value.
//!
//! ```
//! use proba::Error;
//! let err = Error::invalid_param("max_iter", 0, "must be at least 1");
//! assert_eq!(err.to_string(), "invalid parameter `max_iter` = 0: must be at least 1");
//! ```

use std::fmt::Display;

/// Everything that can go wrong in `proba`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A hyper-parameter is out of its valid range or inconsistent with another.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name, as in the builder method (`min_df`, `c`, ...).
        name: &'static str,
        /// The offending value, rendered for humans.
        value: String,
        /// Why it is rejected.
        reason: String,
    },

    /// Two inputs disagree in size (rows vs labels, features at fit vs predict, ...).
    #[error("shape mismatch in {what}: expected {expected}, found {found}")]
    ShapeMismatch {
        /// Which quantity disagrees, e.g. `"number of labels"`.
        what: &'static str,
        /// The size that was required.
        expected: usize,
        /// The size that was passed.
        found: usize,
    },

    /// A feature value is NaN or infinite.
    #[error("non-finite feature value {value} at row {row}, column {col}")]
    NonFinite {
        /// 0-based row of the value.
        row: usize,
        /// 0-based column of the value.
        col: usize,
        /// The value itself (NaN, inf or -inf).
        value: f64,
    },

    /// A per-sample weight is negative or not finite.
    #[error("invalid sample weight {value} at row {row}: weights must be finite and >= 0")]
    InvalidSampleWeight {
        /// 0-based row of the weight.
        row: usize,
        /// The weight.
        value: f64,
    },

    /// There is nothing to learn from: no rows, no documents, no labels.
    #[error("empty input: {0}")]
    EmptyInput(&'static str),

    /// Classification needs at least two distinct classes.
    #[error("need samples of at least 2 classes, found {found}")]
    TooFewClasses {
        /// Number of distinct classes found.
        found: usize,
    },

    /// The analyzer produced no term at all from the corpus.
    #[error("empty vocabulary; perhaps the documents only contain stop words")]
    EmptyVocabulary,

    /// Document-frequency pruning or `max_features` removed every term.
    #[error("after pruning, no terms remain; try a lower min_df or a higher max_df")]
    NoTermsRemain,

    /// A label passed to a model is not one it knows.
    #[error("unknown label {0}")]
    UnknownLabel(String),

    /// A sparse matrix built from parts breaks a CSR invariant.
    #[error("invalid CSR matrix: {0}")]
    InvalidSparse(String),

    /// Training one sub-model (e.g. one label of a one-vs-rest model) failed.
    #[error("while fitting the model for label {label}: {source}")]
    SubModel {
        /// The label whose model failed, rendered with `Debug`.
        label: String,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },

    /// A saved model cannot be read: another format, kind, type or version,
    /// or parts that disagree with each other (the message says which).
    #[error("cannot load model: {0}")]
    Format(String),

    /// A saved model is not valid JSON or not the model's JSON (truncated,
    /// a missing field, a value of the wrong type). The parser's error,
    /// with its line and column, is kept as the
    /// [`source`](std::error::Error::source).
    #[error("cannot load model: {0}")]
    Json(#[source] serde_json::Error),

    /// A file names something this build refuses to read: a class, pickle
    /// opcode, compressor or model option it does not implement (see
    /// `proba::sklearn`). The message names it.
    #[error("unsupported: {0}")]
    Unsupported(String),

    /// An operating-system I/O error while saving or loading.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// `Result` with [`Error`] as the error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid_param(
        name: &'static str,
        value: impl Display,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidParameter {
            name,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::ShapeMismatch`].
    pub fn shape(what: &'static str, expected: usize, found: usize) -> Self {
        Error::ShapeMismatch {
            what,
            expected,
            found,
        }
    }
}
