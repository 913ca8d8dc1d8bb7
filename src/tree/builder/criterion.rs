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

/// A split's weighted impurity decrease, `w·imp - w_l·imp_l - w_r·imp_r`,
/// never below 0: Gini and entropy are concave, so a negative value is
/// rounding (cargo fuzz found -1e-9 of the total), and importances stay
/// >= 0 where scikit-learn would add the negative term.
pub(super) fn impurity_decrease(
    w: f64,
    imp: f64,
    w_l: f64,
    imp_l: f64,
    w_r: f64,
    imp_r: f64,
) -> f64 {
    (w * imp - w_l * imp_l - w_r * imp_r).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::impurity_decrease;

    #[test]
    fn a_decrease_that_rounds_below_zero_counts_as_zero() {
        // 0.3 = 0.1 + 0.2 exactly, but in f64 0.3 - 0.1 - 0.2 is -2.8e-17.
        let (a, b, c) = std::hint::black_box((0.3, 0.1, 0.2));
        assert!(a - b - c < 0.0);
        assert_eq!(impurity_decrease(1.0, a, 1.0, b, 1.0, c), 0.0);
        assert_eq!(impurity_decrease(2.0, 0.5, 1.0, 0.0, 1.0, 0.0), 1.0);
    }
}
