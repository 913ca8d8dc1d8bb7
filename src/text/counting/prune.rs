//! Step 5: pruning the merged vocabulary by document frequency and
//! `max_features`.

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Vocabulary-learning options resolved for one corpus.
pub(crate) struct Pruning {
    pub(crate) min_df: f64,
    pub(crate) max_df: f64,
    pub(crate) max_features: Option<usize>,
}

/// The positions (in sorted-term order) of the terms that `p` keeps, in
/// order. `df` holds every term's document frequency and `total` its total
/// count (filled whenever `p.max_features` is set, else possibly empty).
pub(super) fn kept_terms(df: &[u64], total: &[u64], p: &Pruning) -> Result<Vec<u32>> {
    let mut kept: Vec<u32> = (0..df.len() as u32)
        .filter(|&g| {
            let df = df[g as usize] as f64;
            df >= p.min_df && df <= p.max_df
        })
        .collect();
    if let Some(limit) = p.max_features {
        if kept.len() > limit {
            // The caller counts totals whenever `max_features` is set.
            debug_assert_eq!(total.len(), df.len());
            // Highest total count first, then alphabetical (= by position).
            let total = |g: u32| total.get(g as usize).copied().unwrap_or(0);
            kept.par_sort_unstable_by_key(|&g| (u64::MAX - total(g), g));
            kept.truncate(limit);
            kept.par_sort_unstable();
        }
    }
    if kept.is_empty() {
        return Err(Error::NoTermsRemain);
    }
    Ok(kept)
}
