//! Classification metrics: accuracy, log loss, precision/recall/F1,
//! confusion matrix, hamming loss, and a text report.
//!
//! The numbers follow scikit-learn 1.9 (`sklearn.metrics`), including its
//! edge cases, so an evaluation printed by Rust and by Python agree:
//!
//! * [`log_loss`] clips probabilities to `[eps, 1 - eps]` with
//!   `eps = f64::EPSILON` and does **not** renormalise rows (scikit-learn only
//!   warns when rows do not sum to 1); values outside `[0, 1]` are an error.
//! * Precision, recall and F1 use scikit-learn's default `zero_division="warn"`
//!   behaviour without the warning: a ratio whose denominator is 0 is `0.0`,
//!   and that 0 takes part in the macro and weighted averages.
//! * Labels are the sorted union of the true and predicted labels, as
//!   `sklearn.utils.multiclass.unique_labels` gives them.
//!
//! Every function returns an [`Error`] for inputs of different lengths or no
//! input at all, never a panic.
//!
//! ```
//! use proba::metrics::{self, Average};
//!
//! let y_true = ["cat", "dog", "dog", "bird"];
//! let y_pred = ["cat", "dog", "cat", "bird"];
//! assert_eq!(metrics::accuracy(&y_true, &y_pred)?, 0.75);
//!
//! let prf = metrics::precision_recall_f1(&y_true, &y_pred)?;
//! assert_eq!(prf.labels, vec!["bird", "cat", "dog"]);
//! assert_eq!(prf.precision, vec![1.0, 0.5, 1.0]);
//! assert_eq!(prf.recall, vec![1.0, 1.0, 0.5]);
//! assert_eq!(prf.average(Average::Micro).f1, 0.75);
//!
//! let cm = metrics::confusion_matrix(&y_true, &y_pred)?;
//! assert_eq!(cm.matrix.row(2).to_vec(), vec![0, 1, 1]); // true "dog": 1 as cat, 1 as dog
//!
//! // Probabilities in the column order of `classes`.
//! let proba = ndarray::array![[0.9, 0.1], [0.2, 0.8]];
//! let loss = metrics::log_loss(&["a", "b"], proba.view(), &["a", "b"])?;
//! assert!((loss - (-(0.9f64.ln() + 0.8f64.ln()) / 2.0)).abs() < 1e-15);
//! # Ok::<(), proba::Error>(())
//! ```

mod confusion;
mod precision_recall;
mod report;

pub use confusion::{confusion_matrix, ConfusionMatrix};
pub use precision_recall::{
    f1_score, precision_recall_f1, precision_score, recall_score, Average, PrecisionRecallF1,
    Scores,
};
pub use report::classification_report;

use std::collections::BTreeSet;
use std::fmt::Debug;

use ndarray::{Array2, ArrayView2};

use crate::error::{Error, Result};

fn check_lengths(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == 0 {
        return Err(Error::EmptyInput(what));
    }
    if expected != found {
        return Err(Error::shape(what, expected, found));
    }
    Ok(())
}

/// Fraction of predictions equal to the truth (`sklearn.metrics.accuracy_score`).
///
/// Errors: [`Error::EmptyInput`] for no samples, [`Error::ShapeMismatch`] if
/// the two slices differ in length.
///
/// ```
/// use proba::metrics::accuracy;
/// use proba::Error;
///
/// let y_true = ["spam", "ham", "ham", "spam"];
/// assert_eq!(accuracy(&y_true, &["spam", "ham", "spam", "spam"])?, 0.75);
/// // Slices of different lengths are an error, not a silent truncation.
/// let err = accuracy(&y_true, &["spam"]).unwrap_err();
/// assert!(matches!(err, Error::ShapeMismatch { expected: 4, found: 1, .. }));
/// # Ok::<(), proba::Error>(())
/// ```
pub fn accuracy<L: PartialEq>(y_true: &[L], y_pred: &[L]) -> Result<f64> {
    check_lengths("number of predictions", y_true.len(), y_pred.len())?;
    let correct = y_true.iter().zip(y_pred).filter(|(t, p)| t == p).count();
    Ok(correct as f64 / y_true.len() as f64)
}

/// Mean negative log-likelihood of the true classes (`sklearn.metrics.log_loss`).
///
/// `proba` has one row per sample and one column per entry of `classes`, in
/// that order (what a model's `predict_proba` and `classes()` give).
/// Probabilities are clipped to `[eps, 1 - eps]`, `eps = f64::EPSILON`, as
/// scikit-learn 1.9 does; rows are not renormalised.
///
/// Errors: empty input, row count or column count mismatch, fewer than 2
/// classes, duplicate classes, a true label missing from `classes`
/// ([`Error::UnknownLabel`]), a probability outside `[0, 1]` or NaN.
///
/// ```
/// use proba::metrics::log_loss;
/// use proba::ndarray::array;
///
/// let classes = ["ham", "spam"];
/// let proba = array![[0.8, 0.2], [0.4, 0.6]];
/// let loss = log_loss(&["ham", "spam"], proba.view(), &classes)?;
/// // -(ln 0.8 + ln 0.6) / 2, as sklearn.metrics.log_loss gives it.
/// assert!((loss - 0.366_984_59).abs() < 1e-8);
/// let bad = array![[1.2, -0.2], [0.4, 0.6]];
/// let err = log_loss(&["ham", "spam"], bad.view(), &classes).unwrap_err();
/// assert!(err.to_string().contains("`proba`"));
/// # Ok::<(), proba::Error>(())
/// ```
pub fn log_loss<L: PartialEq + Debug>(
    y_true: &[L],
    proba: ArrayView2<'_, f64>,
    classes: &[L],
) -> Result<f64> {
    check_lengths("number of probability rows", y_true.len(), proba.nrows())?;
    if classes.len() < 2 {
        return Err(Error::TooFewClasses {
            found: classes.len(),
        });
    }
    for (i, c) in classes.iter().enumerate() {
        if classes[..i].contains(c) {
            return Err(Error::invalid_param(
                "classes",
                format!("{c:?}"),
                "appears more than once",
            ));
        }
    }
    if proba.ncols() != classes.len() {
        return Err(Error::shape(
            "number of probability columns",
            classes.len(),
            proba.ncols(),
        ));
    }
    let eps = f64::EPSILON;
    let mut total = 0.0;
    for (row, (label, p)) in y_true.iter().zip(proba.rows()).enumerate() {
        if let Some((col, &value)) = p
            .iter()
            .enumerate()
            .find(|(_, v)| !(0.0..=1.0).contains(*v))
        {
            return Err(Error::invalid_param(
                "proba",
                value,
                format!("probability at row {row}, column {col} is outside [0, 1]"),
            ));
        }
        let k = classes
            .iter()
            .position(|c| c == label)
            .ok_or_else(|| Error::UnknownLabel(format!("{label:?} (row {row})")))?;
        total -= p[k].clamp(eps, 1.0 - eps).ln();
    }
    Ok(total / y_true.len() as f64)
}

/// The sorted union of the labels in `a` and `b`.
fn sorted_labels<L: Ord + Clone>(a: &[L], b: &[L]) -> Vec<L> {
    a.iter()
        .chain(b)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .cloned()
        .collect()
}

/// Fraction of wrong label assignments over all samples and labels of a
/// multilabel indicator matrix (`sklearn.metrics.hamming_loss`): the entries
/// where `y_true` and `y_pred` differ, divided by `n_samples * n_labels`.
///
/// Errors: an empty matrix or matrices of different shapes.
pub fn hamming_loss<T: PartialEq>(
    y_true: ArrayView2<'_, T>,
    y_pred: ArrayView2<'_, T>,
) -> Result<f64> {
    check_lengths("number of prediction rows", y_true.nrows(), y_pred.nrows())?;
    check_lengths("number of labels", y_true.ncols(), y_pred.ncols())?;
    let wrong = y_true
        .iter()
        .zip(y_pred.iter())
        .filter(|(a, b)| a != b)
        .count();
    Ok(wrong as f64 / y_true.len() as f64)
}

/// [`hamming_loss`] for label sets: `labels` is the label universe (the
/// columns of the indicator matrix, e.g. a binarizer's classes); a label in
/// a set that is not in `labels` is an [`Error::UnknownLabel`].
pub fn hamming_loss_sets<L: PartialEq + Debug>(
    y_true: &[Vec<L>],
    y_pred: &[Vec<L>],
    labels: &[L],
) -> Result<f64> {
    check_lengths("number of predictions", y_true.len(), y_pred.len())?;
    if labels.is_empty() {
        return Err(Error::EmptyInput("labels"));
    }
    let indicator = |sets: &[Vec<L>]| -> Result<Array2<bool>> {
        let mut m = Array2::from_elem((sets.len(), labels.len()), false);
        for (row, set) in sets.iter().enumerate() {
            for l in set {
                let k = labels
                    .iter()
                    .position(|c| c == l)
                    .ok_or_else(|| Error::UnknownLabel(format!("{l:?} (row {row})")))?;
                m[[row, k]] = true;
            }
        }
        Ok(m)
    };
    hamming_loss(indicator(y_true)?.view(), indicator(y_pred)?.view())
}

#[cfg(test)]
mod tests;
