//! `classification_report`: the text table scikit-learn prints.

use std::fmt::{Debug, Write as _};

use super::confusion::label_text;
use super::precision_recall::{precision_recall_f1, Average};
use crate::error::Result;

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
