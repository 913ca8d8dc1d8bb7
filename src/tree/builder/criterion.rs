//! The impurity measures a split is judged by (scikit-learn's `Gini` and
//! `Entropy` criteria).

use super::Criterion;

/// Node impurity from weighted class sums.
pub(super) fn node_impurity(criterion: Criterion, sums: &[f64], w: f64) -> f64 {
    match criterion {
        Criterion::Gini => {
            let mut sq = 0.0;
            for &s in sums {
                sq += s * s;
            }
            1.0 - sq / (w * w)
        }
        Criterion::Entropy => {
            let mut e = 0.0;
            for &s in sums {
                if s > 0.0 {
                    let p = s / w;
                    e -= p * p.log2();
                }
            }
            e
        }
    }
}
