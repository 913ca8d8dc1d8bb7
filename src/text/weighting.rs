//! TF-IDF weighting in one place: how a stored count becomes a matrix value.
//! `tf` (raw, binary or sublinear), times `idf` (learned by [`compute_idf`]),
//! then the row's norm. `CountVectorizer` uses the same path with no idf and
//! no norm.

use rayon::prelude::*;

use super::params::{Norm, TfidfOptions};
use crate::error::{Error, Result};

/// How counts become matrix values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weighting<'a> {
    pub(crate) binary: bool,
    pub(crate) sublinear_tf: bool,
    pub(crate) idf: Option<&'a [f64]>,
    pub(crate) norm: Norm,
}

impl Weighting<'_> {
    /// Writes one row from `(column, count)` pairs (columns sorted, unique);
    /// values weighted then normalised.
    #[inline]
    pub(super) fn fill_row(
        &self,
        entries: impl Iterator<Item = (u32, u32)>,
        idx: &mut [usize],
        data: &mut [f64],
    ) {
        for ((c, n), (i, v)) in entries.zip(idx.iter_mut().zip(data.iter_mut())) {
            *i = c as usize;
            let mut tf = if self.binary { 1.0 } else { f64::from(n) };
            if self.sublinear_tf {
                tf = tf.ln() + 1.0;
            }
            if let Some(idf) = self.idf {
                // One idf per column: checked at fit and when a model is loaded.
                debug_assert!((c as usize) < idf.len(), "column {c} has no idf");
                tf *= idf.get(c as usize).copied().unwrap_or(0.0);
            }
            *v = tf;
        }
        normalize(data, self.norm);
    }
}

/// The largest idf any corpus can give: `1 + ln(n / df)` with at most 2^64
/// documents and `df >= 1` (smoothing only lowers it). A saved or pickled
/// idf above it is refused on load: no data made it, and its products with
/// counts can overflow a row's norm to NaN.
pub(crate) const MAX_IDF: f64 = 1.0 + 44.361_419_555_836_5; // 1 + ln(2^64)

/// scikit-learn's `normalize` of one row: divided by its L1 or L2 norm; an
/// all-zero row is left as it is.
pub(crate) fn normalize(row: &mut [f64], norm: Norm) {
    let s = match norm {
        Norm::None => return,
        Norm::L1 => row.iter().fold(0.0, |s, v| s + v.abs()),
        Norm::L2 => row.iter().fold(0.0, |s, v| s + v * v).sqrt(),
    };
    if s != 0.0 {
        row.iter_mut().for_each(|v| *v /= s);
    }
}

/// scikit-learn's idf of each column: `ln(n / df) + 1` in f64, with one
/// added to `n` and to every `df` when `smooth`. A column no document had
/// gets `inf` without smoothing (callers decide whether that is an error).
pub(crate) fn idf_values(df: &[u64], n_docs: u64, smooth: bool) -> Vec<f64> {
    let s = if smooth { 1.0 } else { 0.0 };
    let n = n_docs as f64 + s;
    // Element by element in parallel: the same on any thread count.
    df.par_iter()
        .map(|&d| (n / (d as f64 + s)).ln() + 1.0)
        .collect()
}

impl<'a> Weighting<'a> {
    /// Raw counts (or presence), not normalised: `CountVectorizer`'s values.
    pub(super) fn counts(binary: bool) -> Weighting<'static> {
        Weighting {
            binary,
            sublinear_tf: false,
            idf: None,
            norm: Norm::None,
        }
    }

    /// `TfidfVectorizer`'s values, with the learned `idf` if `use_idf`.
    pub(super) fn tfidf(binary: bool, t: &TfidfOptions, idf: Option<&'a [f64]>) -> Self {
        Weighting {
            binary,
            sublinear_tf: t.sublinear_tf,
            idf,
            norm: t.norm,
        }
    }
}

/// scikit-learn's idf: `n_f / df_f`, then `ln`, then `+ 1`, in f64. An
/// infinite idf (a fixed-vocabulary term absent from the corpus, without
/// smoothing) is an error rather than a matrix full of NaN.
pub(super) fn compute_idf(
    df: &[u64],
    n_docs: usize,
    smooth: bool,
    terms: &[String],
) -> Result<Vec<f64>> {
    let idf = idf_values(df, n_docs as u64, smooth);
    // The error, if any, names the first term in column order.
    if let Some((_, t)) = idf.iter().zip(terms).find(|(v, _)| !v.is_finite()) {
        return Err(Error::invalid_param(
            "vocabulary",
            format!("{t:?}"),
            "the term occurs in no training document, so its idf is infinite \
             with smooth_idf=false; remove it or enable smooth_idf",
        ));
    }
    Ok(idf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_normalised_and_empty_rows_untouched() {
        let w = Weighting {
            binary: false,
            sublinear_tf: false,
            idf: None,
            norm: Norm::L2,
        };
        let (mut i, mut d) = (vec![0; 2], vec![0.0; 2]);
        w.fill_row([(1, 3), (4, 4)].into_iter(), &mut i, &mut d);
        assert_eq!(i, [1, 4]);
        assert!((d[0] - 0.6).abs() < 1e-15 && (d[1] - 0.8).abs() < 1e-15);
        let w1 = Weighting {
            norm: Norm::L1,
            sublinear_tf: true,
            ..w
        };
        w1.fill_row([(0, 1), (2, 1)].into_iter(), &mut i, &mut d);
        assert_eq!(d, [0.5, 0.5]);
        w.fill_row(std::iter::empty(), &mut [], &mut []);
    }
}
