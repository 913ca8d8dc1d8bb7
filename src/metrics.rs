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

use std::collections::BTreeSet;
use std::fmt::{Debug, Write as _};

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

/// A confusion matrix with its labels: `matrix[[i, j]]` counts samples of
/// true label `labels[i]` predicted as `labels[j]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix<L> {
    /// The labels, sorted: the union of the true and predicted labels.
    pub labels: Vec<L>,
    /// `labels.len() x labels.len()` counts; rows are true, columns predicted.
    pub matrix: Array2<usize>,
}

/// Counts of true label vs predicted label (`sklearn.metrics.confusion_matrix`).
///
/// Errors: empty input or slices of different lengths.
///
/// ```
/// use proba::metrics::confusion_matrix;
/// use proba::ndarray::array;
///
/// let y_true = ["spam", "ham", "spam", "ham"];
/// let y_pred = ["spam", "spam", "spam", "ham"];
/// let cm = confusion_matrix(&y_true, &y_pred)?;
/// assert_eq!(cm.labels, ["ham", "spam"]);
/// // Rows are the truth, columns the prediction: one ham was called spam.
/// assert_eq!(cm.matrix, array![[1, 1], [0, 2]]);
/// print!("{}", cm.to_text());
/// # Ok::<(), proba::Error>(())
/// ```
pub fn confusion_matrix<L: Ord + Clone>(y_true: &[L], y_pred: &[L]) -> Result<ConfusionMatrix<L>> {
    check_lengths("number of predictions", y_true.len(), y_pred.len())?;
    let labels = sorted_labels(y_true, y_pred);
    let n = labels.len();
    let mut matrix = Array2::zeros((n, n));
    for (t, p) in y_true.iter().zip(y_pred) {
        // Both are in `labels` by construction, so the searches succeed.
        if let (Ok(i), Ok(j)) = (labels.binary_search(t), labels.binary_search(p)) {
            matrix[[i, j]] += 1;
        }
    }
    Ok(ConfusionMatrix { labels, matrix })
}

impl<L: Debug> ConfusionMatrix<L> {
    /// The matrix as aligned text, labels down the side and across the top
    /// (rows are true labels), for printing in a terminal.
    pub fn to_text(&self) -> String {
        let names: Vec<String> = self.labels.iter().map(label_text).collect();
        let corner = "true \\ pred";
        let side = names
            .iter()
            .map(|s| s.chars().count())
            .chain([corner.len()])
            .max()
            .unwrap_or(0);
        let widest_count = self
            .matrix
            .iter()
            .max()
            .copied()
            .unwrap_or(0)
            .to_string()
            .len();
        let col = names
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
            .min(10)
            .max(widest_count);
        let mut out = String::new();
        let _ = write!(out, "{corner:side$}");
        for name in &names {
            let short: String = name.chars().take(col).collect();
            let _ = write!(out, " {short:>col$}");
        }
        out.push('\n');
        for (name, row) in names.iter().zip(self.matrix.rows()) {
            let _ = write!(out, "{name:side$}");
            for v in row {
                let _ = write!(out, " {v:>col$}");
            }
            out.push('\n');
        }
        out
    }
}

/// A label as a human reads it: strings without their quotes.
fn label_text<L: Debug>(label: &L) -> String {
    let s = format!("{label:?}");
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.to_string(),
        None => s,
    }
}

/// How per-class scores are combined into one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// Unweighted mean over classes (every class counts the same).
    Macro,
    /// Global counts of true positives, false positives and false negatives;
    /// for single-label data precision = recall = F1 = accuracy.
    Micro,
    /// Mean over classes weighted by support (number of true samples).
    Weighted,
}

/// Precision, recall and F1 combined over classes by an [`Average`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Precision: of the samples predicted as the class, the fraction that are.
    pub precision: f64,
    /// Recall: of the samples of the class, the fraction predicted as it.
    pub recall: f64,
    /// F1: the harmonic mean of precision and recall.
    pub f1: f64,
}

/// Per-class precision, recall, F1 and support
/// (`sklearn.metrics.precision_recall_fscore_support(average=None)`).
#[derive(Debug, Clone, PartialEq)]
pub struct PrecisionRecallF1<L> {
    /// The labels, sorted: the union of the true and predicted labels.
    pub labels: Vec<L>,
    /// Precision of each label (0 when the label is never predicted).
    pub precision: Vec<f64>,
    /// Recall of each label (0 when the label never occurs in the truth).
    pub recall: Vec<f64>,
    /// F1 of each label, `2 tp / (2 tp + fp + fn)` (0 when that is 0 / 0).
    pub f1: Vec<f64>,
    /// Number of true samples of each label.
    pub support: Vec<usize>,
    /// True positives of each label.
    pub true_positives: Vec<usize>,
    /// Number of predictions of each label.
    pub predicted: Vec<usize>,
}

/// `num / den`, or 0 when `den` is 0 (scikit-learn's default `zero_division`).
fn ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

/// Per-class precision, recall and F1 of single-label predictions.
///
/// Errors: empty input or slices of different lengths.
pub fn precision_recall_f1<L: Ord + Clone>(
    y_true: &[L],
    y_pred: &[L],
) -> Result<PrecisionRecallF1<L>> {
    let cm = confusion_matrix(y_true, y_pred)?;
    let n = cm.labels.len();
    let tp: Vec<usize> = (0..n).map(|k| cm.matrix[[k, k]]).collect();
    let support: Vec<usize> = cm.matrix.rows().into_iter().map(|r| r.sum()).collect();
    let predicted: Vec<usize> = cm.matrix.columns().into_iter().map(|c| c.sum()).collect();
    let mut precision = Vec::with_capacity(n);
    let mut recall = Vec::with_capacity(n);
    let mut f1 = Vec::with_capacity(n);
    for k in 0..n {
        let (t, p, s) = (tp[k] as f64, predicted[k] as f64, support[k] as f64);
        precision.push(ratio(t, p));
        recall.push(ratio(t, s));
        f1.push(ratio(2.0 * t, p + s));
    }
    Ok(PrecisionRecallF1 {
        labels: cm.labels,
        precision,
        recall,
        f1,
        support,
        true_positives: tp,
        predicted,
    })
}

impl<L> PrecisionRecallF1<L> {
    /// The scores combined over classes, as scikit-learn's `average=` does.
    pub fn average(&self, average: Average) -> Scores {
        let n = self.labels.len() as f64;
        match average {
            Average::Macro => Scores {
                precision: ratio(self.precision.iter().sum(), n),
                recall: ratio(self.recall.iter().sum(), n),
                f1: ratio(self.f1.iter().sum(), n),
            },
            Average::Weighted => {
                let total: usize = self.support.iter().sum();
                let w = |v: &[f64]| {
                    let s: f64 = v
                        .iter()
                        .zip(&self.support)
                        .map(|(x, &s)| x * s as f64)
                        .sum();
                    ratio(s, total as f64)
                };
                Scores {
                    precision: w(&self.precision),
                    recall: w(&self.recall),
                    f1: w(&self.f1),
                }
            }
            Average::Micro => {
                let tp: usize = self.true_positives.iter().sum();
                let pred: usize = self.predicted.iter().sum();
                let sup: usize = self.support.iter().sum();
                Scores {
                    precision: ratio(tp as f64, pred as f64),
                    recall: ratio(tp as f64, sup as f64),
                    f1: ratio(2.0 * tp as f64, (pred + sup) as f64),
                }
            }
        }
    }
}

/// F1 of single-label predictions combined by `average`
/// (`sklearn.metrics.f1_score(average=...)`).
///
/// ```
/// use proba::metrics::{f1_score, Average};
///
/// let y_true = ["cat", "cat", "dog", "dog", "dog", "bird"];
/// let y_pred = ["cat", "dog", "dog", "dog", "cat", "bird"];
/// // Per class: bird 1, cat 1/2, dog 2/3; their mean is 13/18.
/// let macro_f1 = f1_score(&y_true, &y_pred, Average::Macro)?;
/// assert!((macro_f1 - 13.0 / 18.0).abs() < 1e-12);
/// // Micro-averaged F1 of single-label data is the accuracy.
/// let micro_f1 = f1_score(&y_true, &y_pred, Average::Micro)?;
/// assert!((micro_f1 - 4.0 / 6.0).abs() < 1e-12);
/// # Ok::<(), proba::Error>(())
/// ```
pub fn f1_score<L: Ord + Clone>(y_true: &[L], y_pred: &[L], average: Average) -> Result<f64> {
    Ok(precision_recall_f1(y_true, y_pred)?.average(average).f1)
}

/// Precision of single-label predictions combined by `average`.
pub fn precision_score<L: Ord + Clone>(
    y_true: &[L],
    y_pred: &[L],
    average: Average,
) -> Result<f64> {
    Ok(precision_recall_f1(y_true, y_pred)?
        .average(average)
        .precision)
}

/// Recall of single-label predictions combined by `average`.
pub fn recall_score<L: Ord + Clone>(y_true: &[L], y_pred: &[L], average: Average) -> Result<f64> {
    Ok(precision_recall_f1(y_true, y_pred)?.average(average).recall)
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

/// A text table of per-class precision, recall, F1 and support, then
/// accuracy and the macro and weighted averages, laid out like
/// `sklearn.metrics.classification_report` (`digits` decimals).
///
/// ```
/// use proba::metrics::classification_report;
///
/// let report = classification_report(&["x", "y", "y"], &["x", "y", "x"], 2)?;
/// print!("{report}");
/// // Per class: precision, recall, f1-score and support, as scikit-learn prints them.
/// assert!(report.contains("           x       0.50      1.00      0.67         1"));
/// assert!(report.contains("           y       1.00      0.50      0.67         2"));
/// assert!(report.contains("accuracy") && report.contains("weighted avg"));
/// # Ok::<(), proba::Error>(())
/// ```
pub fn classification_report<L: Ord + Clone + Debug>(
    y_true: &[L],
    y_pred: &[L],
    digits: usize,
) -> Result<String> {
    let prf = precision_recall_f1(y_true, y_pred)?;
    let names: Vec<String> = prf.labels.iter().map(label_text).collect();
    let width = names
        .iter()
        .map(|s| s.chars().count())
        .chain(["weighted avg".len()])
        .max()
        .unwrap_or(12);
    let col = (digits + 2).max(9);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>width$}  {:>col$} {:>col$} {:>col$} {:>col$}\n",
        "", "precision", "recall", "f1-score", "support"
    );
    for (k, name) in names.iter().enumerate() {
        let _ = writeln!(
            out,
            "{name:>width$}  {:>col$.digits$} {:>col$.digits$} {:>col$.digits$} {:>col$}",
            prf.precision[k], prf.recall[k], prf.f1[k], prf.support[k]
        );
    }
    let total: usize = prf.support.iter().sum();
    let acc = prf.average(Average::Micro).f1;
    let _ = writeln!(
        out,
        "\n{:>width$}  {:>col$} {:>col$} {acc:>col$.digits$} {total:>col$}",
        "accuracy", "", ""
    );
    for (name, avg) in [
        ("macro avg", Average::Macro),
        ("weighted avg", Average::Weighted),
    ] {
        let s = prf.average(avg);
        let _ = writeln!(
            out,
            "{name:>width$}  {:>col$.digits$} {:>col$.digits$} {:>col$.digits$} {total:>col$}",
            s.precision, s.recall, s.f1
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn length_mismatch_and_empty_input_are_errors() {
        let e: [&str; 0] = [];
        assert!(matches!(accuracy(&e, &e), Err(Error::EmptyInput(_))));
        assert!(matches!(
            accuracy(&["a"], &["a", "b"]),
            Err(Error::ShapeMismatch {
                expected: 1,
                found: 2,
                ..
            })
        ));
        assert!(confusion_matrix(&["a", "b"], &["a"]).is_err());
        assert!(precision_recall_f1(&e, &e).is_err());
        assert!(classification_report(&["a"], &e, 2).is_err());
        let p = array![[0.5, 0.5]];
        assert!(log_loss(&["a", "b"], p.view(), &["a", "b"]).is_err());
        assert!(hamming_loss(array![[1u8, 0]].view(), array![[1u8]].view()).is_err());
        assert!(hamming_loss_sets::<&str>(&[], &[], &["a"]).is_err());
    }

    #[test]
    fn log_loss_rejects_bad_probabilities_and_labels() {
        let classes = ["a", "b"];
        let bad = array![[1.5, -0.5]];
        let err = log_loss(&["a"], bad.view(), &classes)
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 0, column 0"), "{err}");
        let nan = array![[f64::NAN, 0.5]];
        assert!(log_loss(&["a"], nan.view(), &classes).is_err());
        let ok = array![[0.5, 0.5]];
        assert!(matches!(
            log_loss(&["z"], ok.view(), &classes),
            Err(Error::UnknownLabel(_))
        ));
        assert!(matches!(
            log_loss(&["a"], array![[1.0]].view(), &["a"]),
            Err(Error::TooFewClasses { found: 1 })
        ));
        assert!(log_loss(&["a"], ok.view(), &["a", "a"]).is_err());
        assert!(log_loss(&["a"], ok.view(), &["a", "b", "c"]).is_err());
        // A probability of exactly 0 for the true class is clipped, not infinite.
        let zero = array![[0.0, 1.0]];
        let l = log_loss(&["a"], zero.view(), &classes).unwrap();
        assert_eq!(l, -f64::EPSILON.ln());
    }

    #[test]
    fn zero_division_counts_as_zero_in_averages() {
        // "c" is predicted but never true; "b" is true but never predicted.
        let prf = precision_recall_f1(&["a", "b"], &["a", "c"]).unwrap();
        assert_eq!(prf.labels, vec!["a", "b", "c"]);
        assert_eq!(prf.precision, vec![1.0, 0.0, 0.0]);
        assert_eq!(prf.recall, vec![1.0, 0.0, 0.0]);
        assert_eq!(prf.support, vec![1, 1, 0]);
        let m = prf.average(Average::Macro);
        assert!((m.f1 - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(prf.average(Average::Weighted).recall, 0.5);
        assert_eq!(prf.average(Average::Micro).precision, 0.5);
    }

    #[test]
    fn report_and_matrix_text_name_every_label() {
        let r = classification_report(&["x", "y", "y"], &["x", "y", "x"], 2).unwrap();
        assert!(r.contains("precision"), "{r}");
        assert!(
            r.contains("           x       0.50      1.00      0.67         1"),
            "{r}"
        );
        assert!(r.contains("weighted avg"), "{r}");
        let cm = confusion_matrix(&[1, 2, 2], &[1, 2, 1]).unwrap();
        assert_eq!(cm.matrix, array![[1, 0], [1, 1]]);
        let t = cm.to_text();
        assert_eq!(t.lines().count(), 3, "{t}");
    }

    #[test]
    fn hamming_loss_of_sets_matches_indicators() {
        let labels = ["a", "b", "c"];
        let t = vec![vec!["a", "b"], vec!["c"]];
        let p = vec![vec!["a"], vec!["c", "a"]];
        assert_eq!(hamming_loss_sets(&t, &p, &labels).unwrap(), 2.0 / 6.0);
        assert!(matches!(
            hamming_loss_sets(&t, &[vec!["q"], vec![]], &labels),
            Err(Error::UnknownLabel(_))
        ));
    }
}
