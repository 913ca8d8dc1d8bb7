//! Training an [`SgdClassifier`]: `fit` from zero
//! coefficients, and `partial_fit` one chunk at a time on a fitted model.

use ndarray::{Array1, Array2};
use rayon::prelude::*;

use super::{SgdClassifier, StoredClassWeight};
use crate::error::{Error, Result};
use crate::linear::params::{check_sample_weight, encode_labels, ClassWeight};
use crate::linear::sgd_params::SgdClassifierParams;
use crate::linear::sgd_solver::{plain_sgd, Binary, Rows, Start};
use crate::rng::Mt19937;
use crate::sparse::Features;
use crate::traits::{FitWeighted, Label};

/// numpy's `np.iinfo(np.int32).max`, the bound of scikit-learn's seeds.
const MAX_INT: u32 = 0x7FFF_FFFF;

impl<L: Label> SgdClassifier<L> {
    /// One more epoch over a chunk (scikit-learn's `partial_fit`): `y` must
    /// use the model's classes, and `classes`, when not empty, must be
    /// them (the same set as the first call's). The step counter goes on
    /// from earlier calls. Returns the model, updated in place.
    ///
    /// Every check on the chunk (width, labels, values, weights) comes
    /// before any coefficient moves, so a refused chunk leaves the model as
    /// it was (and no copy of the model is made: memory stays at one
    /// model). The one error found midway is a floating-point overflow of
    /// the steps (scale the features or lower the step size); after it the
    /// coefficients are part-updated and the model should be discarded.
    pub fn partial_fit<X: Features + ?Sized>(
        &mut self,
        x: &X,
        y: &[L],
        classes: &[L],
    ) -> Result<&mut Self> {
        self.partial_fit_weighted(x, y, classes, None)
    }

    /// [`partial_fit`](Self::partial_fit) with a weight per row.
    pub fn partial_fit_weighted<X: Features + ?Sized>(
        &mut self,
        x: &X,
        y: &[L],
        classes: &[L],
        sample_weight: Option<&[f64]>,
    ) -> Result<&mut Self> {
        if !classes.is_empty() {
            let mut given = classes.to_vec();
            given.sort();
            given.dedup();
            if given != self.classes {
                return Err(Error::invalid_param(
                    "classes",
                    format!("{given:?}"),
                    format!("must be the classes of the model, {:?}", self.classes),
                ));
            }
        }
        let n_features = self.n_features();
        self.train(x, y, sample_weight, 1, Some(n_features))?;
        Ok(self)
    }

    /// Checks the chunk, then runs `max_iter` epochs from the current
    /// coefficients and step counter.
    pub(super) fn train<X: Features + ?Sized>(
        &mut self,
        x: &X,
        y: &[L],
        sample_weight: Option<&[f64]>,
        max_iter: usize,
        n_features: Option<usize>,
    ) -> Result<()> {
        if x.n_rows() != y.len() {
            return Err(Error::shape("number of labels", x.n_rows(), y.len()));
        }
        if y.is_empty() {
            return Err(Error::EmptyInput("no rows to train on"));
        }
        if x.n_cols() == 0 {
            return Err(Error::EmptyInput("no feature columns to train on"));
        }
        if let Some(p) = n_features {
            if x.n_cols() != p {
                return Err(Error::shape("number of features", p, x.n_cols()));
            }
        }
        x.check_finite()?;
        let k = self.classes.len();
        let yi: Vec<usize> = y
            .iter()
            .map(|l| {
                self.classes
                    .binary_search(l)
                    .map_err(|_| Error::UnknownLabel(format!("{l:?} is not among the classes")))
            })
            .collect::<Result<_>>()?;
        let sw = match sample_weight {
            Some(w) => row_weights(w, y.len())?,
            None => vec![1.0; y.len()],
        };
        let cw = self.expanded_class_weight(&yi)?;
        let rows = Rows::new(x.feature_view());
        let o = self.options;
        let p = self.coef.ncols();
        let neg = o.loss.negative_target();
        let t0 = self.t;
        let problems: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        let seeds = shuffle_seeds(o.seed as u32, k);
        let coef = self
            .coef
            .as_slice_mut()
            .ok_or_else(|| Error::Format("coefficients must be contiguous".into()))?;
        let fits: Vec<Result<(f64, usize)>> = coef
            .par_chunks_mut(p.max(1))
            .zip(problems.par_iter())
            .zip(seeds.par_iter())
            .map(|((w, &class), &seed)| {
                let problem = Binary {
                    labels: &yi,
                    class,
                    negative: neg,
                    sample_weight: &sw,
                    weight_pos: cw[class],
                    weight_neg: if k == 2 { cw[0] } else { 1.0 },
                };
                let row = if k == 2 { 0 } else { class };
                let start = Start {
                    intercept: self.intercept[row],
                    t: t0,
                    seed,
                };
                let fit = plain_sgd(w, start, &o, max_iter, &rows, &problem)?;
                Ok((fit.intercept, fit.n_iter))
            })
            .collect();
        let mut n_iter = 0;
        for (row, fit) in fits.into_iter().enumerate() {
            let (b, it) = fit?;
            self.intercept[row] = b;
            n_iter = n_iter.max(it);
        }
        self.n_iter = n_iter;
        self.t += (n_iter * y.len()) as f64;
        Ok(())
    }

    pub(super) fn expanded_class_weight(&self, y: &[usize]) -> Result<Vec<f64>> {
        let k = self.classes.len();
        Ok(match &self.class_weight {
            None => vec![1.0; k],
            Some(StoredClassWeight::PerClass(w)) => w.clone(),
            Some(StoredClassWeight::Balanced) => {
                let mut count = vec![0usize; k];
                y.iter().for_each(|&c| count[c] += 1);
                if let Some(c) = count.iter().position(|&n| n == 0) {
                    return Err(Error::invalid_param(
                        "class_weight",
                        "Balanced",
                        format!(
                            "class {:?} has no rows in this chunk to balance by",
                            self.classes[c]
                        ),
                    ));
                }
                count
                    .iter()
                    .map(|&n| y.len() as f64 / (k as f64 * n as f64))
                    .collect()
            }
        })
    }
}

/// The shuffle seed of each binary problem, drawn as scikit-learn draws
/// them: for two classes from `RandomState(seed)` (after the dataset's own
/// draw), for more one `RandomState` seed per class first.
pub(super) fn shuffle_seeds(seed: u32, k: usize) -> Vec<u32> {
    let from = |s: u32| {
        let mut rs = Mt19937::new(s);
        rs.randint(1, MAX_INT); // make_dataset's seed, unused by SGD
        rs.randint(0, MAX_INT)
    };
    if k == 2 {
        return vec![from(seed)];
    }
    let mut rs = Mt19937::new(seed);
    let per_class: Vec<u32> = (0..k).map(|_| rs.randint(0, MAX_INT)).collect();
    per_class.into_iter().map(from).collect()
}

/// The row weights: checked, and not all zero.
pub(super) fn row_weights(w: &[f64], n: usize) -> Result<Vec<f64>> {
    check_sample_weight(w, n)?;
    if !w.iter().any(|&v| v > 0.0) {
        return Err(Error::invalid_param(
            "sample_weight",
            "all zero",
            "at least one row must have a positive weight",
        ));
    }
    Ok(w.to_vec())
}

impl<L: Label> SgdClassifierParams<L> {
    /// Validates the options and the data, then trains from zero
    /// coefficients for up to `max_iter` epochs.
    pub fn fit<X: Features + ?Sized>(&self, x: &X, y: &[L]) -> Result<SgdClassifier<L>> {
        self.fit_weighted(x, y, None)
    }

    /// [`fit`](Self::fit) with a weight per row (multiplied by the class
    /// weights).
    pub fn fit_weighted<X: Features + ?Sized>(
        &self,
        x: &X,
        y: &[L],
        sample_weight: Option<&[f64]>,
    ) -> Result<SgdClassifier<L>> {
        if x.n_rows() != y.len() {
            return Err(Error::shape("number of labels", x.n_rows(), y.len()));
        }
        let classes = encode_labels(y)?.classes;
        let mut model = self.start(x, classes)?;
        model.train(x, y, sample_weight, self.options.max_iter, None)?;
        Ok(model)
    }

    /// The first call of scikit-learn's `partial_fit`: a model over
    /// `classes` (every class the stream will hold, at least two; `y` may
    /// hold only some) after one epoch over this chunk. Go on with
    /// [`SgdClassifier::partial_fit`].
    pub fn partial_fit<X: Features + ?Sized>(
        &self,
        x: &X,
        y: &[L],
        classes: &[L],
    ) -> Result<SgdClassifier<L>> {
        if let Some(ClassWeight::Balanced) = self.class_weight {
            return Err(Error::invalid_param(
                "class_weight",
                "Balanced",
                "is not supported by partial_fit, which sees one chunk: pass a map of weights",
            ));
        }
        let mut all = classes.to_vec();
        all.sort();
        all.dedup();
        if all.len() < 2 {
            return Err(Error::TooFewClasses { found: all.len() });
        }
        let mut model = self.start(x, all)?;
        model.train(x, y, None, 1, None)?;
        Ok(model)
    }

    /// A model with zero coefficients over `classes` (sorted, distinct).
    pub(super) fn start<X: Features + ?Sized>(
        &self,
        x: &X,
        classes: Vec<L>,
    ) -> Result<SgdClassifier<L>> {
        self.validate()?;
        let class_weight = match &self.class_weight {
            None | Some(ClassWeight::None) => None,
            Some(ClassWeight::Balanced) => Some(StoredClassWeight::Balanced),
            Some(cw) => {
                cw.check_for("SgdClassifier")?;
                let map = cw.explicit().into_iter().flatten();
                let mut w = vec![1.0; classes.len()];
                for (label, &v) in map {
                    let i = classes
                        .binary_search(label)
                        .map_err(|_| Error::UnknownLabel(format!("{label:?} in class_weight")))?;
                    w[i] = v;
                }
                Some(StoredClassWeight::PerClass(w))
            }
        };
        let rows = if classes.len() == 2 { 1 } else { classes.len() };
        let p = x.n_cols();
        // One coefficient per class and declared column, used or not.
        crate::memory::ensure(
            "x",
            format!("{p} columns"),
            "the SGD coefficients (classes x columns)",
            crate::memory::bytes(rows, p, 8),
        )?;
        // Written once here, on one thread: zeroed memory is mapped lazily,
        // and page faults taken by all threads at once in the training loop
        // cost several times their single-thread price.
        let mut coef = Array2::zeros((rows, p));
        coef.fill(0.0);
        Ok(SgdClassifier {
            options: self.options,
            class_weight,
            classes,
            coef,
            intercept: Array1::zeros(rows),
            n_iter: 0,
            t: 1.0,
        })
    }
}

impl<L: Label, X: Features + ?Sized> FitWeighted<X, L> for SgdClassifierParams<L> {
    fn fit_weighted(&self, x: &X, y: &[L], sample_weight: &[f64]) -> Result<SgdClassifier<L>> {
        SgdClassifierParams::fit_weighted(self, x, y, Some(sample_weight))
    }
}
