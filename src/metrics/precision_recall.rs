//! Precision, recall and F1 per class, and their micro, macro and weighted
//! averages.

use super::confusion::confusion_matrix;
use crate::error::Result;

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
pub(super) fn ratio(num: f64, den: f64) -> f64 {
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
