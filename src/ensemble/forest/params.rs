//! [`RandomForestParams`]: the settings of a forest, their checks, and the
//! parallel fit that grows its trees.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;

use super::RandomForestClassifier;
use crate::ensemble::bootstrap::{self, Draw};
use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressEvent, ProgressHook};
use crate::rng::Mt19937;
use crate::sparse::{FeatureView, Features};
use crate::traits::{argmax, Fit, Label};
use crate::tree::facade::{
    balanced, check_fit_input, class_weights, encode_labels, ensure_fit_memory, grow,
    negative_size, oob_proba, seed_u32, tree_option_setters, GrowConfig, TrainSet, Tree,
    TreeOptions,
};
use crate::tree::{ClassWeight, Criterion, MaxFeatures, SampleSize};

/// Settings of a [`RandomForestClassifier`], with scikit-learn's defaults:
/// 100 trees, Gini, `sqrt(p)` features per split, bootstrap of `n` rows,
/// seed 0, the current rayon pool.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomForestParams<L> {
    options: TreeOptions,
    n_estimators: usize,
    bootstrap: bool,
    max_samples: Option<SampleSize>,
    oob_score: bool,
    class_weight: ClassWeight<L>,
    seed: u64,
    n_jobs: Option<usize>,
    progress: ProgressHook,
    _label: PhantomData<L>,
}

/// The most bootstrap draws per training row that `max_samples` may ask
/// for (see [`RandomForestParams::max_samples`]).
pub const MAX_DRAWS_PER_ROW: usize = 1000;

impl<L: Label> Default for RandomForestParams<L> {
    fn default() -> Self {
        Self {
            options: TreeOptions::new(MaxFeatures::Sqrt),
            n_estimators: 100,
            bootstrap: true,
            max_samples: None,
            oob_score: false,
            class_weight: ClassWeight::None,
            seed: 0,
            n_jobs: None,
            progress: ProgressHook::none(),
            _label: PhantomData,
        }
    }
}

impl<L: Label> RandomForestParams<L> {
    /// Number of trees (default 100).
    pub fn n_estimators(mut self, n: usize) -> Self {
        self.n_estimators = n;
        self
    }

    tree_option_setters!();

    /// Features evaluated per split (default [`MaxFeatures::Sqrt`]).
    pub fn max_features(mut self, m: MaxFeatures) -> Self {
        self.options.max_features = m;
        self
    }

    /// Whether each tree sees a bootstrap sample (default true) or all rows.
    pub fn bootstrap(mut self, on: bool) -> Self {
        self.bootstrap = on;
        self
    }

    /// Rows drawn per bootstrap sample: a count or a fraction (of the rows,
    /// or of the summed class weights); all `n` rows by default.
    ///
    /// As in scikit-learn a count may exceed the number of rows
    /// (oversampling), but proba refuses more than
    /// [`MAX_DRAWS_PER_ROW`] draws per training row: each draw costs time
    /// in every tree, so `max_samples(1 << 33)` on eight rows would be a
    /// fit that never ends rather than a model. With `bootstrap(false)`
    /// there is no sample to size: setting both is an error naming
    /// `max_samples`, as in scikit-learn.
    pub fn max_samples(mut self, n: impl Into<SampleSize>) -> Self {
        self.max_samples = Some(n.into());
        self
    }

    /// Compute the out-of-bag score and probabilities (needs bootstrap).
    pub fn oob_score(mut self, on: bool) -> Self {
        self.oob_score = on;
        self
    }

    /// Class weights (default none); see [`ClassWeight`].
    pub fn class_weight(mut self, cw: ClassWeight<L>) -> Self {
        self.class_weight = cw;
        self
    }

    /// Seed (default 0, below 2^32): the same seed gives the same forest on
    /// any number of threads, and the same draws as scikit-learn's `random_state`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Grow the trees on a local pool of `n` threads instead of the current
    /// rayon pool (prediction always uses the current pool). The forest does
    /// not depend on `n`.
    pub fn n_jobs(mut self, n: usize) -> Self {
        self.n_jobs = Some(n);
        self
    }

    /// Calls `hook` with
    /// [`ProgressEvent::TreeBuilt`]
    /// each time a tree is grown, from the worker threads (so events can
    /// arrive slightly out of order of their `done` count). The forest is
    /// the same with or without a hook. See [`crate::progress`] for an example.
    pub fn progress(mut self, hook: Arc<dyn Progress>) -> Self {
        self.progress = ProgressHook::new(hook);
        self
    }

    /// Validates the settings and the input, then grows the trees in parallel.
    pub fn fit<X: Features + ?Sized>(&self, x: &X, y: &[L]) -> Result<RandomForestClassifier<L>> {
        check_fit_input(x, y)?;
        if self.n_estimators == 0 {
            return Err(Error::invalid_param(
                "n_estimators",
                0,
                "must be at least 1",
            ));
        }
        if self.oob_score && !self.bootstrap {
            return Err(Error::invalid_param(
                "oob_score",
                true,
                "out-of-bag estimates need bootstrap(true)",
            ));
        }
        match self.n_jobs {
            Some(0) => Err(Error::invalid_param(
                "n_jobs",
                0,
                "must be at least 1 (leave unset to use the current rayon pool)",
            )),
            Some(j) => rayon::ThreadPoolBuilder::new()
                .num_threads(j)
                .build()
                .map_err(|e| {
                    Error::invalid_param("n_jobs", j, format!("cannot start threads: {e}"))
                })?
                .install(|| self.fit_in_pool(x, y)),
            None => self.fit_in_pool(x, y),
        }
    }

    pub(super) fn fit_in_pool<X: Features + ?Sized>(
        &self,
        x: &X,
        y: &[L],
    ) -> Result<RandomForestClassifier<L>> {
        let seed = seed_u32(self.seed)?;
        let (n, p) = (x.n_rows(), x.n_cols());
        let cfg = self.options.resolve(n, p)?;
        let (classes, codes) = encode_labels(y);
        let k = classes.len();
        // Class weights as per-row weights (balanced_subsample with bootstrap
        // is recomputed per tree instead).
        let subsample = self.bootstrap && self.class_weight == ClassWeight::BalancedSubsample;
        let row_weight: Option<Vec<f64>> = if subsample {
            None
        } else {
            class_weights(&self.class_weight, &classes, &codes)?
                .map(|cw| codes.iter().map(|&c| cw[c as usize]).collect())
        };
        if let Some(w) = &row_weight {
            if !w.iter().any(|&v| v > 0.0) {
                return Err(Error::invalid_param(
                    "class_weight",
                    "all zero",
                    "at least one row must have a positive weight",
                ));
            }
        }
        if !self.bootstrap && self.max_samples.is_some() {
            return Err(Error::invalid_param(
                "max_samples",
                self.max_samples.map_or(String::new(), |m| m.to_string()),
                "draws bootstrap samples: it cannot be set with bootstrap(false)",
            ));
        }
        let n_draws = match self.max_samples {
            None => n,
            Some(SampleSize::Count(0)) => {
                return Err(Error::invalid_param("max_samples", 0, "must be at least 1"))
            }
            Some(SampleSize::Count(c)) => c,
            Some(SampleSize::Fraction(f)) if f < 0.0 => {
                return Err(negative_size("max_samples", f))
            }
            Some(SampleSize::Fraction(f)) if f > 0.0 && f.is_finite() => {
                let total = row_weight
                    .as_ref()
                    .map_or(n as f64, |w| w.iter().sum::<f64>());
                ((f * total) as usize).max(1)
            }
            Some(SampleSize::Fraction(f)) => {
                return Err(Error::invalid_param(
                    "max_samples",
                    f,
                    "a fraction must be positive",
                ))
            }
        };
        // Draws cost time in every tree, so their number is bounded by the
        // data (and each row's draw count is a u32, which must not wrap):
        // max_samples = 1e300 used to resolve to usize::MAX draws, and
        // max_samples = 1 << 33 on eight rows ran for minutes.
        let limit = n.saturating_mul(MAX_DRAWS_PER_ROW).min(u32::MAX as usize);
        if n_draws > limit {
            let value = self.max_samples.map_or(n.to_string(), |m| m.to_string());
            return Err(Error::invalid_param(
                "max_samples",
                value,
                format!(
                    "resolves to {n_draws} draws per tree; at most {limit} are supported \
                     for {n} rows ({MAX_DRAWS_PER_ROW} per row)"
                ),
            ));
        }
        let cdf = match (&row_weight, self.bootstrap) {
            (Some(w), true) => bootstrap::cdf(w),
            _ => None,
        };
        let draw = match &cdf {
            Some(c) => Draw::Weighted(c),
            None => Draw::Uniform,
        };
        let growing = Growing {
            n_estimators: self.n_estimators,
            bootstrap: self.bootstrap,
            oob_score: self.oob_score,
            progress: &self.progress,
            subsample,
            n_draws,
            draw,
            seed,
            cfg,
        };
        let forest = growing.run(x.feature_view(), (n, p), &codes, k, row_weight.as_deref())?;
        Ok(RandomForestClassifier {
            classes,
            n_features: p,
            trees: forest.trees,
            importances: forest.importances,
            oob_score: forest.oob_score,
            oob_decision_function: forest.oob_decision_function,
        })
    }
}

impl<X: Features + ?Sized, L: Label> Fit<X, L> for RandomForestParams<L> {
    type Fitted = RandomForestClassifier<L>;
    fn fit(&self, x: &X, y: &[L]) -> Result<RandomForestClassifier<L>> {
        RandomForestParams::fit(self, x, y)
    }
}

/// The label-free part of a forest's fit: the options the tree loop reads.
/// Kept apart from the generic `fit_in_pool` so that the parallel growing,
/// the importances and the out-of-bag pass are compiled once, not once per
/// label and feature type.
struct Growing<'a> {
    n_estimators: usize,
    bootstrap: bool,
    oob_score: bool,
    progress: &'a ProgressHook,
    /// `BalancedSubsample` with bootstrap: class weights per tree.
    subsample: bool,
    n_draws: usize,
    draw: Draw<'a>,
    seed: u32,
    cfg: GrowConfig,
}

/// What [`Growing::run`] grows.
struct Forest {
    trees: Vec<Tree>,
    importances: Vec<(u32, f64)>,
    oob_score: Option<f64>,
    oob_decision_function: Option<Array2<f64>>,
}

impl Growing<'_> {
    /// Grows the trees on `view` (`n x p`) with encoded labels `codes` of
    /// `k` classes and optional per-row weights.
    fn run(
        &self,
        view: FeatureView<'_>,
        (n, p): (usize, usize),
        codes: &[u32],
        k: usize,
        row_weight: Option<&[f64]>,
    ) -> Result<Forest> {
        ensure_fit_memory(p, rayon::current_num_threads().min(self.n_estimators))?;
        crate::memory::ensure(
            "n_estimators",
            self.n_estimators,
            "the forest's list of trees",
            crate::memory::bytes(self.n_estimators, std::mem::size_of::<Tree>() + 4, 1),
        )?;
        let data = TrainSet::new(view)?;
        let mut rs = Mt19937::new(self.seed);
        let seeds: Vec<u32> = (0..self.n_estimators)
            .map(|_| rs.randint(0, 0x7FFF_FFFF))
            .collect();
        let tree_weights = |t: usize| -> Vec<f64> {
            if self.bootstrap {
                let counts = bootstrap::counts(seeds[t], n, self.n_draws, &self.draw);
                if self.subsample {
                    let cw = balanced(
                        k,
                        counts
                            .iter()
                            .zip(codes)
                            .flat_map(|(&c, &y)| std::iter::repeat(y).take(c as usize)),
                    );
                    counts
                        .iter()
                        .zip(codes)
                        .map(|(&c, &y)| c as f64 * cw[y as usize])
                        .collect()
                } else {
                    counts.iter().map(|&c| c as f64).collect()
                }
            } else {
                row_weight.map_or_else(|| vec![1.0; n], <[f64]>::to_vec)
            }
        };
        let built = AtomicUsize::new(0);
        let grown: Vec<_> = (0..self.n_estimators)
            .into_par_iter()
            .map(|t| {
                let g = grow(&data, codes, &tree_weights(t), k, self.cfg, seeds[t]);
                if self.progress.is_set() {
                    self.progress.emit(ProgressEvent::TreeBuilt {
                        done: built.fetch_add(1, Ordering::Relaxed) + 1,
                        total: self.n_estimators,
                    });
                }
                g
            })
            .collect();
        // Importances: mean over trees that split, normalised again.
        let mut imp = vec![0.0; p];
        let mut used = 0usize;
        for g in &grown {
            if g.tree.n_nodes() > 1 {
                used += 1;
                for &(f, v) in &g.importances {
                    imp[f as usize] += v;
                }
            }
        }
        let mut importances = Vec::new();
        if used > 0 {
            let sum: f64 = imp.iter().map(|v| v / used as f64).sum();
            for (f, v) in imp.iter().enumerate() {
                let mean = v / used as f64;
                if mean != 0.0 && sum > 0.0 {
                    importances.push((f as u32, mean / sum));
                }
            }
        }
        let trees: Vec<Tree> = grown.into_iter().map(|g| g.tree).collect();
        let (oob_score, oob_decision_function) = if self.oob_score {
            let in_bag: Vec<Vec<bool>> = (0..self.n_estimators)
                .into_par_iter()
                .map(|t| {
                    bootstrap::counts(seeds[t], n, self.n_draws, &self.draw)
                        .iter()
                        .map(|&c| c > 0)
                        .collect()
                })
                .collect();
            let proba = oob_proba(&trees, &in_bag, k, view);
            let correct = proba
                .rows()
                .into_iter()
                .zip(codes)
                .filter(|(row, &c)| argmax(row.iter().copied()) == c as usize)
                .count();
            (Some(correct as f64 / n as f64), Some(proba))
        } else {
            (None, None)
        };
        Ok(Forest {
            trees,
            importances,
            oob_score,
            oob_decision_function,
        })
    }
}
