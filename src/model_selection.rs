//! Train/test splitting and k-fold cross-validation, stratified and seeded.
//!
//! Every function returns **row indices** (sorted ascending), so they work
//! with any data layout: select texts with them, or a matrix with
//! [`CsrMatrix::select_rows`](crate::CsrMatrix::select_rows).
//!
//! The stratified splits keep each class's share in every part, following
//! scikit-learn's `StratifiedShuffleSplit` (the per-class counts come from
//! the same "approximate mode" allocation) and `StratifiedKFold` (the same
//! fold sizes per class). Without shuffling, [`StratifiedKFold`] gives
//! exactly scikit-learn's folds. Everything is deterministic for a given
//! seed on any machine and any thread count, but the shuffles use their own
//! random generator (SplitMix64), so the rows a seeded split picks differ
//! from scikit-learn's (the per-class sizes agree, up to scikit-learn's
//! random tie-breaking).
//!
//! ```
//! use proba::model_selection::{stratified_train_test_split, StratifiedKFold};
//!
//! let y = ["a", "a", "a", "a", "b", "b", "b", "b", "b", "b"];
//! let (train, test) = stratified_train_test_split(&y, 0.5, 42)?;
//! assert_eq!((train.len(), test.len()), (5, 5));
//! assert_eq!(test.iter().filter(|&&i| y[i] == "a").count(), 2); // 4 a's split 2/2
//!
//! let folds = StratifiedKFold::new(2).shuffle(true).seed(7).split(&y)?;
//! assert_eq!(folds.len(), 2);
//! assert_eq!(folds[0].test.len() + folds[1].test.len(), y.len());
//! # Ok::<(), proba::Error>(())
//! ```

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// The size of a test set: a fraction of the samples or a count.
///
/// Built from a float (`0.2`: a fraction, strictly between 0 and 1) or an
/// integer (`100`: a count, at least 1 and below the number of samples), so
/// `stratified_train_test_split(&y, 0.2, 0)` and `(&y, 100, 0)` both compile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TestSize {
    /// A fraction of the samples; the test set gets `ceil(fraction * n)` rows,
    /// as in scikit-learn.
    Fraction(f64),
    /// An exact number of test rows.
    Count(usize),
}

impl From<f64> for TestSize {
    fn from(v: f64) -> Self {
        TestSize::Fraction(v)
    }
}

impl From<usize> for TestSize {
    fn from(v: usize) -> Self {
        TestSize::Count(v)
    }
}

impl From<i32> for TestSize {
    /// A negative count becomes a negative fraction, which the split rejects
    /// with an error naming the value.
    fn from(v: i32) -> Self {
        match usize::try_from(v) {
            Ok(n) => TestSize::Count(n),
            Err(_) => TestSize::Fraction(f64::from(v)),
        }
    }
}

/// A small, fast, seedable generator (SplitMix64); enough for shuffling.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.next_u64();
            if v < zone {
                return (v % n) as usize;
            }
        }
    }

    /// Fisher-Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// `(n_train, n_test)` for `n` samples, with scikit-learn's rounding and checks.
fn split_sizes(n: usize, test_size: TestSize) -> Result<(usize, usize)> {
    if n == 0 {
        return Err(Error::EmptyInput("no samples to split"));
    }
    let n_test = match test_size {
        TestSize::Fraction(f) => {
            if !(f > 0.0 && f < 1.0) {
                return Err(Error::invalid_param(
                    "test_size",
                    f,
                    "a fraction must be strictly between 0 and 1",
                ));
            }
            (f * n as f64).ceil() as usize
        }
        TestSize::Count(c) => {
            if c == 0 || c >= n {
                return Err(Error::invalid_param(
                    "test_size",
                    c,
                    format!("a count must be at least 1 and below the number of samples ({n})"),
                ));
            }
            c
        }
    };
    let n_train = n.saturating_sub(n_test);
    if n_train == 0 || n_test == 0 {
        return Err(Error::invalid_param(
            "test_size",
            format!("{test_size:?}"),
            format!("leaves an empty train or test set with {n} samples"),
        ));
    }
    Ok((n_train, n_test))
}

/// A shuffled (not stratified) split of `n_samples` rows: `(train, test)`
/// index vectors, each sorted.
///
/// Errors: no samples, or a `test_size` that leaves either side empty.
///
/// ```
/// use proba::model_selection::train_test_split;
///
/// let texts = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
/// let (train, test) = train_test_split(texts.len(), 0.2, 42)?;
/// assert_eq!((train.len(), test.len()), (8, 2)); // ceil(0.2 * 10) test rows
/// // Indices, sorted: select the texts (or matrix rows) with them.
/// let test_texts: Vec<&str> = test.iter().map(|&i| texts[i]).collect();
/// let mut all = [train.clone(), test.clone()].concat();
/// all.sort_unstable();
/// assert_eq!(all, (0..texts.len()).collect::<Vec<_>>()); // each row on one side
/// // The same seed gives the same split.
/// assert_eq!(train_test_split(texts.len(), 0.2, 42)?, (train, test));
/// let err = train_test_split(texts.len(), 1.5, 0).unwrap_err();
/// assert!(err.to_string().contains("test_size"));
/// # Ok::<(), proba::Error>(())
/// ```
pub fn train_test_split(
    n_samples: usize,
    test_size: impl Into<TestSize>,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>)> {
    let (_, n_test) = split_sizes(n_samples, test_size.into())?;
    let mut idx: Vec<usize> = (0..n_samples).collect();
    SplitMix64::new(seed).shuffle(&mut idx);
    let mut test = idx.split_off(n_samples - n_test);
    idx.sort_unstable();
    test.sort_unstable();
    Ok((idx, test))
}

/// The rows of each class, classes in sorted order.
fn rows_by_class<L: Ord>(y: &[L]) -> Vec<Vec<usize>> {
    let mut by: BTreeMap<&L, Vec<usize>> = BTreeMap::new();
    for (i, l) in y.iter().enumerate() {
        by.entry(l).or_default().push(i);
    }
    by.into_values().collect()
}

/// scikit-learn's `_approximate_mode`: split `n_draws` over classes in
/// proportion to `counts`, flooring, then giving the remaining draws to the
/// largest remainders (ties in seeded random order), never above a count.
fn approximate_mode(counts: &[usize], n_draws: usize, rng: &mut SplitMix64) -> Vec<usize> {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let continuous: Vec<f64> = counts
        .iter()
        .map(|&c| c as f64 * n_draws as f64 / total as f64)
        .collect();
    let mut out: Vec<usize> = continuous.iter().map(|c| c.floor() as usize).collect();
    let mut need = n_draws.saturating_sub(out.iter().sum());
    let remainder: Vec<f64> = continuous
        .iter()
        .zip(&out)
        .map(|(c, &f)| c - f as f64)
        .collect();
    let mut values: Vec<f64> = remainder.clone();
    values.sort_by(|a, b| b.total_cmp(a));
    values.dedup();
    for v in values {
        if need == 0 {
            break;
        }
        let mut ties: Vec<usize> = (0..counts.len())
            .filter(|&k| remainder[k] == v && out[k] < counts[k])
            .collect();
        rng.shuffle(&mut ties);
        for k in ties.into_iter().take(need) {
            out[k] += 1;
            need -= 1;
        }
    }
    out
}

/// A split of the rows of `y` into `(train, test)` that keeps each class's
/// share on both sides (`sklearn.model_selection.train_test_split(...,
/// stratify=y)`); both index vectors are sorted.
///
/// Errors (as scikit-learn): no samples, a bad `test_size`, a class with a
/// single member, fewer train or test rows than classes.
///
/// ```
/// use proba::model_selection::stratified_train_test_split;
///
/// let y = ["ham", "spam", "ham", "ham", "spam", "ham", "spam", "ham", "ham", "spam"];
/// let (train, test) = stratified_train_test_split(&y, 0.5, 0)?;
/// // 6 ham and 4 spam: each half gets 3 ham and 2 spam.
/// let spam = |rows: &[usize]| rows.iter().filter(|&&i| y[i] == "spam").count();
/// assert_eq!((train.len(), spam(&train)), (5, 2));
/// assert_eq!((test.len(), spam(&test)), (5, 2));
/// // A class with a single member cannot be stratified.
/// let err = stratified_train_test_split(&["a", "a", "b"], 1, 0).unwrap_err();
/// assert!(err.to_string().contains("at least 2 members"));
/// # Ok::<(), proba::Error>(())
/// ```
pub fn stratified_train_test_split<L: Ord>(
    y: &[L],
    test_size: impl Into<TestSize>,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>)> {
    let (n_train, n_test) = split_sizes(y.len(), test_size.into())?;
    let classes = rows_by_class(y);
    let counts: Vec<usize> = classes.iter().map(Vec::len).collect();
    if let Some(min) = counts.iter().min().filter(|&&m| m < 2) {
        return Err(Error::invalid_param(
            "y",
            format!("a class with {min} member"),
            "every class needs at least 2 members to be stratified",
        ));
    }
    for (name, size) in [("train size", n_train), ("test_size", n_test)] {
        if size < classes.len() {
            return Err(Error::invalid_param(
                name,
                size,
                format!("must be at least the number of classes ({})", classes.len()),
            ));
        }
    }
    let mut rng = SplitMix64::new(seed);
    let train_counts = approximate_mode(&counts, n_train, &mut rng);
    let left: Vec<usize> = counts
        .iter()
        .zip(&train_counts)
        .map(|(c, t)| c - t)
        .collect();
    let test_counts = approximate_mode(&left, n_test, &mut rng);
    let mut train = Vec::with_capacity(n_train);
    let mut test = Vec::with_capacity(n_test);
    for ((rows, &n_tr), &n_te) in classes.iter().zip(&train_counts).zip(&test_counts) {
        let mut rows = rows.clone();
        rng.shuffle(&mut rows);
        train.extend_from_slice(&rows[..n_tr]);
        test.extend_from_slice(&rows[n_tr..n_tr + n_te]);
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok((train, test))
}

/// One cross-validation fold: the rows to train on and the rows to test on,
/// each sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// Training rows.
    pub train: Vec<usize>,
    /// Held-out rows.
    pub test: Vec<usize>,
}

/// Stratified k-fold cross-validation (`sklearn.model_selection.StratifiedKFold`):
/// every row is tested exactly once, and each fold holds each class in
/// proportion (fold sizes per class differ by at most one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratifiedKFold {
    n_splits: usize,
    shuffle: bool,
    seed: u64,
}

impl StratifiedKFold {
    /// `n_splits` folds (at least 2), rows kept in order (no shuffle), seed 0.
    pub fn new(n_splits: usize) -> Self {
        Self {
            n_splits,
            shuffle: false,
            seed: 0,
        }
    }

    /// Shuffle each class's rows before assigning them to folds.
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The seed used when shuffling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The `n_splits` folds of the rows of `y`.
    ///
    /// Errors: `n_splits < 2`, more folds than samples, or a class with fewer
    /// members than folds (scikit-learn only warns about the latter and
    /// leaves that class out of some folds; a library cannot warn, so this
    /// is an error naming the class size).
    pub fn split<L: Ord>(&self, y: &[L]) -> Result<Vec<Fold>> {
        let k = self.n_splits;
        if k < 2 {
            return Err(Error::invalid_param("n_splits", k, "must be at least 2"));
        }
        if y.is_empty() {
            return Err(Error::EmptyInput("no samples to split"));
        }
        if k > y.len() {
            return Err(Error::invalid_param(
                "n_splits",
                k,
                format!("cannot be greater than the number of samples ({})", y.len()),
            ));
        }
        let mut classes = rows_by_class(y);
        // As scikit-learn: classes in order of first appearance in `y`.
        classes.sort_by_key(|rows| rows.first().copied());
        if let Some(min) = classes.iter().map(Vec::len).min().filter(|&m| m < k) {
            return Err(Error::invalid_param(
                "n_splits",
                k,
                format!("the least populated class has only {min} members, fewer than the folds"),
            ));
        }
        // scikit-learn's allocation: deal the labels, grouped by class in
        // that order, round-robin over the folds, so fold f gets every k-th
        // element starting at f.
        let mut allocation = vec![vec![0usize; classes.len()]; k];
        let mut pos = 0;
        for (c, rows) in classes.iter().enumerate() {
            for _ in 0..rows.len() {
                allocation[pos % k][c] += 1;
                pos += 1;
            }
        }
        let mut fold_of = vec![0usize; y.len()];
        let mut rng = SplitMix64::new(self.seed);
        for (c, rows) in classes.iter().enumerate() {
            let mut folds: Vec<usize> = (0..k)
                .flat_map(|f| std::iter::repeat(f).take(allocation[f][c]))
                .collect();
            if self.shuffle {
                rng.shuffle(&mut folds);
            }
            for (&row, &f) in rows.iter().zip(&folds) {
                fold_of[row] = f;
            }
        }
        Ok((0..k)
            .map(|f| {
                let (test, train): (Vec<usize>, Vec<usize>) =
                    (0..y.len()).partition(|&i| fold_of[i] == f);
                Fold { train, test }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(counts: &[usize]) -> Vec<usize> {
        counts
            .iter()
            .enumerate()
            .flat_map(|(c, &n)| std::iter::repeat(c).take(n))
            .collect()
    }

    #[test]
    fn stratified_split_is_proportional_disjoint_and_seeded() {
        let y = labels(&[50, 30, 20]);
        let (train, test) = stratified_train_test_split(&y, 0.2, 3).unwrap();
        assert_eq!((train.len(), test.len()), (80, 20));
        let per_class = |idx: &[usize]| {
            let mut c = [0; 3];
            idx.iter().for_each(|&i| c[y[i]] += 1);
            c
        };
        assert_eq!(per_class(&test), [10, 6, 4]);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        assert_eq!(
            stratified_train_test_split(&y, 0.2, 3).unwrap().1,
            test,
            "same seed, same split"
        );
        assert_ne!(stratified_train_test_split(&y, 0.2, 4).unwrap().1, test);
        // A count and a fraction that mean the same thing give the same sizes.
        let (_, t) = stratified_train_test_split(&y, 20, 3).unwrap();
        assert_eq!(t.len(), 20);
        // ceil rounding: 0.25 of 10 is 3 test rows.
        let (tr, te) = train_test_split(10, 0.25, 0).unwrap();
        assert_eq!((tr.len(), te.len()), (7, 3));
    }

    #[test]
    fn bad_sizes_are_errors_naming_the_parameter() {
        let y = labels(&[5, 5]);
        for bad in [0.0, 1.0, -0.1, f64::NAN] {
            let err = stratified_train_test_split(&y, bad, 0).unwrap_err();
            assert!(err.to_string().contains("test_size"), "{err}");
        }
        assert!(stratified_train_test_split(&y, 10, 0).is_err());
        assert!(stratified_train_test_split(&y, 0usize, 0).is_err());
        assert!(stratified_train_test_split(&y, -3, 0).is_err());
        assert!(
            stratified_train_test_split(&y, 1, 0).is_err(),
            "1 test row < 2 classes"
        );
        assert!(stratified_train_test_split(&labels(&[5, 1]), 0.5, 0).is_err());
        let empty: [u8; 0] = [];
        assert!(stratified_train_test_split(&empty, 0.5, 0).is_err());
        assert!(train_test_split(0, 0.5, 0).is_err());
    }

    #[test]
    fn kfold_tests_every_row_once_with_balanced_classes() {
        let y = labels(&[10, 7, 5]);
        for shuffle in [false, true] {
            let folds = StratifiedKFold::new(5)
                .shuffle(shuffle)
                .seed(1)
                .split(&y)
                .unwrap();
            let mut seen = vec![0; y.len()];
            for f in &folds {
                assert_eq!(f.train.len() + f.test.len(), y.len());
                f.test.iter().for_each(|&i| seen[i] += 1);
                assert!(f.train.iter().all(|i| !f.test.contains(i)));
                let class0 = f.test.iter().filter(|&&i| y[i] == 0).count();
                assert_eq!(class0, 2);
                let class2 = f.test.iter().filter(|&&i| y[i] == 2).count();
                assert_eq!(class2, 1);
            }
            assert!(seen.iter().all(|&s| s == 1));
        }
        // Unshuffled folds take each class's rows in order.
        let folds = StratifiedKFold::new(2).split(&labels(&[4, 4])).unwrap();
        assert_eq!(folds[0].test, vec![0, 1, 4, 5]);
    }

    #[test]
    fn kfold_rejects_too_few_members_or_folds() {
        let y = labels(&[10, 3]);
        let err = StratifiedKFold::new(4).split(&y).unwrap_err().to_string();
        assert!(err.contains("only 3 members"), "{err}");
        assert!(StratifiedKFold::new(1).split(&y).is_err());
        assert!(StratifiedKFold::new(20).split(&y).is_err());
        let empty: [u8; 0] = [];
        assert!(StratifiedKFold::new(2).split(&empty).is_err());
    }
}
