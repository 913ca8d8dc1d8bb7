//! Each tree's bootstrap sample as per-row counts (no row is copied), drawn
//! exactly as scikit-learn 1.9 does from the tree's seed (§4.3): uniform
//! `randint(0, n)` draws, or `choice(n, p = w / sum w)` when class weights
//! act as sample weights.

use crate::rng::Mt19937;

/// How rows are drawn.
pub(crate) enum Draw<'a> {
    /// Every row equally likely.
    Uniform,
    /// By the normalised cumulative weights (numpy's `choice` with `p`).
    Weighted(&'a [f64]),
}

/// Normalised cumulative distribution of `weights` (numpy's `choice`:
/// `cdf = cumsum(w / sum w); cdf /= cdf[-1]`), or `None` if they sum to 0.
pub(crate) fn cdf(weights: &[f64]) -> Option<Vec<f64>> {
    let total: f64 = weights.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = weights
        .iter()
        .map(|&w| {
            acc += w / total;
            acc
        })
        .collect();
    let last = *cdf.last()?;
    for c in cdf.iter_mut() {
        *c /= last;
    }
    Some(cdf)
}

/// How many times each of `n` rows is drawn in `n_draws` draws seeded by `seed`.
pub(crate) fn counts(seed: u32, n: usize, n_draws: usize, draw: &Draw<'_>) -> Vec<u32> {
    let mut rs = Mt19937::new(seed);
    let mut counts = vec![0u32; n];
    if n == 0 {
        return counts;
    }
    match draw {
        Draw::Uniform => {
            for _ in 0..n_draws {
                let i = rs.randint(0, n as u32) as usize;
                if let Some(c) = counts.get_mut(i) {
                    *c += 1;
                }
            }
        }
        Draw::Weighted(cdf) => {
            for _ in 0..n_draws {
                let u = rs.random_sample();
                let i = cdf.partition_point(|&c| c <= u).min(n - 1);
                counts[i] += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_counts_sum_to_draws_and_follow_seed() {
        let a = counts(209_652_396, 1347, 1347, &Draw::Uniform);
        assert_eq!(a.iter().sum::<u32>(), 1347);
        // parity §4.4: the first digits tree has 836 distinct rows.
        assert_eq!(a.iter().filter(|&&c| c > 0).count(), 836);
        assert_ne!(a, counts(398_764_591, 1347, 1347, &Draw::Uniform));
    }

    #[test]
    fn weighted_draws_never_pick_zero_weight_rows() {
        let w = [0.0, 1.0, 0.0, 3.0];
        let c = cdf(&w).unwrap();
        let k = counts(7, 4, 1000, &Draw::Weighted(&c));
        assert_eq!((k[0], k[2]), (0, 0));
        assert!(k[3] > k[1]);
        assert!(cdf(&[0.0, 0.0]).is_none());
    }
}
