//! The confusion matrix and its text rendering.

use std::fmt::{Debug, Write as _};

use ndarray::Array2;

use super::{check_lengths, sorted_labels};
use crate::error::Result;

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
pub(super) fn label_text<L: Debug>(label: &L) -> String {
    let s = format!("{label:?}");
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.to_string(),
        None => s,
    }
}
