//! The fitted [`SgdClassifier`]: `fit`, `partial_fit` chunk by chunk,
//! scores, probabilities and persistence.

use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::{check_sample_weight, encode_labels, ClassWeight};
use super::scores;
use super::sgd_params::{SgdClassifierParams, SgdLoss, SgdOptions};
use super::sgd_solver::{plain_sgd, Binary, Rows, Start};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::sparse::Features;
use crate::traits::{Classifier, DecisionFunction, Fit, FitWeighted, Label, PredictProba};
use crate::tree::rng::Mt19937;

/// numpy's `np.iinfo(np.int32).max`, the bound of scikit-learn's seeds.
const MAX_INT: u32 = 0x7FFF_FFFF;

/// A linear classifier trained by stochastic gradient descent
/// (scikit-learn's `SGDClassifier`): one binary model per class against
/// the rest (one model for two classes), trained in parallel.
///
/// With the same options and data it follows scikit-learn 1.9's updates
/// step for step, shuffling included (the same `seed` gives the same row
/// order as `random_state`): on sparse input the coefficients agree to the
/// last bit, on dense input to rounding. Like scikit-learn, the intercept
/// moves by 1% of each step on sparse input (`SPARSE_INTERCEPT_DECAY`) and
/// by the full step on dense input.
///
/// [`partial_fit`](SgdClassifier::partial_fit) makes one more pass over a
/// chunk, so a corpus larger than memory can be learnt chunk by chunk
/// (with [`HashingVectorizer`](crate::text::HashingVectorizer) features).
///
/// ```
/// use proba::prelude::*;
/// use proba::linear::{SgdClassifier, SgdLoss};
/// use proba::ndarray::array;
///
/// let x = array![[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.2]];
/// let y = ["a", "a", "b", "b"].map(String::from);
/// let mut model = SgdClassifier::params()
///     .loss(SgdLoss::LogLoss)
///     .max_iter(20)
///     .tol(None)
///     .fit(&x, &y)?;
/// assert_eq!(model.predict(&x)?, y);
/// // One more epoch on new rows (labels from the classes it knows).
/// model.partial_fit(&array![[0.2, 0.8]], &["a".to_string()], &y)?;
/// let p = model.predict_proba(&x)?;
/// assert!((p.row(0).sum() - 1.0).abs() < 1e-12);
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "SgdRepr<L>",
    bound(deserialize = "L: Label + Deserialize<'de>")
)]
pub struct SgdClassifier<L> {
    options: SgdOptions,
    class_weight: Option<StoredClassWeight>,
    classes: Vec<L>,
    /// `1 x p` (two classes: the score of `classes[1]`) or `K x p`.
    coef: Array2<f64>,
    /// Length 1 or `K`.
    intercept: Array1<f64>,
    n_iter: usize,
    /// scikit-learn's `t_`: one plus the number of steps taken.
    t: f64,
}

/// Class weights as a fitted model keeps them: `balanced` is recomputed
/// from each chunk's labels (as scikit-learn's `partial_fit` does), a map
/// is expanded to one weight per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum StoredClassWeight {
    Balanced,
    PerClass(Vec<f64>),
}

#[derive(Deserialize)]
struct SgdRepr<L> {
    options: SgdOptions,
    class_weight: Option<StoredClassWeight>,
    classes: Vec<L>,
    coef: Array2<f64>,
    intercept: Array1<f64>,
    n_iter: usize,
    t: f64,
}

impl<L: Label> TryFrom<SgdRepr<L>> for SgdClassifier<L> {
    type Error = Error;
    fn try_from(r: SgdRepr<L>) -> Result<Self> {
        let model = SgdClassifier {
            options: r.options,
            class_weight: r.class_weight,
            classes: r.classes,
            coef: r.coef,
            intercept: r.intercept,
            n_iter: r.n_iter,
            t: r.t,
        };
        model.validate()?;
        Ok(model)
    }
}

impl<L: Label> SgdClassifier<L> {
    /// The builder, with scikit-learn's defaults (hinge loss, L2 penalty,
    /// `alpha = 1e-4`, optimal learning rate, `max_iter = 1000`,
    /// `tol = 1e-3`, shuffling with seed 0).
    pub fn params() -> SgdClassifierParams<L> {
        SgdClassifierParams::default()
    }

    /// The classes, sorted; column order of `predict_proba`.
    pub fn classes(&self) -> &[L] {
        &self.classes
    }

    /// Coefficients: `1 x n_features` for two classes (the score of
    /// `classes()[1]`), else `n_classes x n_features`.
    pub fn coef(&self) -> &Array2<f64> {
        &self.coef
    }

    /// Intercepts, one per row of [`coef`](Self::coef).
    pub fn intercept(&self) -> &Array1<f64> {
        &self.intercept
    }

    /// Epochs of the last `fit` or `partial_fit` (the most over the
    /// binary models).
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Whether the last `fit` stopped on its tolerance before `max_iter`
    /// epochs. False when it ran them all, which is always so with
    /// `tol(None)` (scikit-learn then warns `ConvergenceWarning` only when a
    /// tolerance was set).
    pub fn converged(&self) -> bool {
        self.n_iter < self.options.max_iter
    }

    /// scikit-learn's `t_`: one plus the number of per-row steps so far; the
    /// optimal and invscaling schedules go on from it in `partial_fit`.
    pub fn t(&self) -> f64 {
        self.t
    }

    /// The loss the model was trained with.
    pub fn loss(&self) -> SgdLoss {
        self.options.loss
    }

    /// Number of features the model expects.
    pub fn n_features(&self) -> usize {
        self.coef.ncols()
    }

    /// Scores `X Wᵀ + b`: `n x n_classes`, or `n x 1` for two classes.
    ///
    /// SGD with a large step can leave coefficients near `f64::MAX`; when a
    /// score then overflows to NaN (`inf - inf`) this is an error naming the
    /// row instead of a NaN probability.
    pub fn decision_function<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        let z = scores::decision_function(&self.coef, &self.intercept, x)?;
        if let Some(i) = z.iter().position(|v| v.is_nan()) {
            return Err(Error::invalid_param(
                "x",
                format!("row {}", i / z.ncols().max(1)),
                "its score overflows the model's (huge) coefficients: refit with a larger \
                 alpha, a smaller eta0 or scaled features",
            ));
        }
        Ok(z)
    }

    /// Class probabilities (`n x n_classes`, rows sum to 1), as
    /// scikit-learn computes them: for the log loss `expit(score)` (two
    /// classes: `[1 - s, s]`; more: divided by their sum), for modified
    /// Huber `(clip(score, -1, 1) + 1) / 2`, likewise normalised (a row
    /// that is all zero becomes uniform). The hinge loss has none: an error.
    pub fn predict_proba<X: Features + ?Sized>(&self, x: &X) -> Result<Array2<f64>> {
        if !self.options.loss.has_probabilities() {
            return Err(Error::invalid_param(
                "loss",
                self.options.loss.name(),
                "gives no probabilities; train with SgdLoss::LogLoss or SgdLoss::ModifiedHuber",
            ));
        }
        let z = self.decision_function(x)?;
        let k = self.classes.len();
        let link = |s: f64| match self.options.loss {
            SgdLoss::LogLoss => super::objective::expit(s),
            _ => (s.clamp(-1.0, 1.0) + 1.0) / 2.0,
        };
        let mut p = Array2::zeros((z.nrows(), k));
        for (mut pr, zr) in p.rows_mut().into_iter().zip(z.rows()) {
            if k == 2 {
                let s = link(zr[0]);
                pr[0] = 1.0 - s;
                pr[1] = s;
                continue;
            }
            for (pv, &s) in pr.iter_mut().zip(zr) {
                *pv = link(s);
            }
            let sum: f64 = pr.iter().sum();
            if sum == 0.0 {
                pr.fill(1.0 / k as f64);
            } else {
                pr.iter_mut().for_each(|v| *v /= sum);
            }
        }
        Ok(p)
    }

    /// The predicted class of each row from the scores (for two classes
    /// `classes()[1]` iff the score is > 0), as scikit-learn: it works for
    /// every loss, hinge included.
    pub fn predict<X: Features + ?Sized>(&self, x: &X) -> Result<Vec<L>> {
        let z = self.decision_function(x)?;
        Ok(scores::predict_from_scores(&z, &self.classes))
    }

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
    fn train<X: Features + ?Sized>(
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

    fn expanded_class_weight(&self, y: &[usize]) -> Result<Vec<f64>> {
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
fn shuffle_seeds(seed: u32, k: usize) -> Vec<u32> {
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
fn row_weights(w: &[f64], n: usize) -> Result<Vec<f64>> {
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
    fn start<X: Features + ?Sized>(&self, x: &X, classes: Vec<L>) -> Result<SgdClassifier<L>> {
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

impl<L: Label, X: Features + ?Sized> Fit<X, L> for SgdClassifierParams<L> {
    type Fitted = SgdClassifier<L>;

    fn fit(&self, x: &X, y: &[L]) -> Result<SgdClassifier<L>> {
        SgdClassifierParams::fit(self, x, y)
    }
}

impl<L: Label, X: Features + ?Sized> FitWeighted<X, L> for SgdClassifierParams<L> {
    fn fit_weighted(&self, x: &X, y: &[L], sample_weight: &[f64]) -> Result<SgdClassifier<L>> {
        SgdClassifierParams::fit_weighted(self, x, y, Some(sample_weight))
    }
}

impl<L: Label, X: Features + ?Sized> DecisionFunction<X> for SgdClassifier<L> {
    fn decision_function(&self, x: &X) -> Result<Array2<f64>> {
        SgdClassifier::decision_function(self, x)
    }
}

impl<L: Label> Classifier for SgdClassifier<L> {
    type Label = L;

    fn classes(&self) -> &[L] {
        &self.classes
    }
}

impl<L: Label, X: Features + ?Sized> PredictProba<X> for SgdClassifier<L> {
    fn predict_proba(&self, x: &X) -> Result<Array2<f64>> {
        SgdClassifier::predict_proba(self, x)
    }

    fn predict(&self, x: &X) -> Result<Vec<L>> {
        SgdClassifier::predict(self, x)
    }
}

impl<L: Label> Persist for SgdClassifier<L> {
    const KIND: &'static str = "SgdClassifier";

    fn type_name() -> String {
        format!("SgdClassifier<{}>", crate::io::short_type_name::<L>())
    }

    fn validate(&self) -> Result<()> {
        self.options.validate()?;
        scores::check_model(&self.classes, &self.coef, &self.intercept)?;
        let k = self.classes.len();
        if let Some(StoredClassWeight::PerClass(w)) = &self.class_weight {
            if w.len() != k {
                return Err(Error::shape("class weights", k, w.len()));
            }
            if w.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(Error::Format(
                    "class weights must be finite and >= 0".into(),
                ));
            }
        }
        if !(self.t.is_finite() && self.t >= 1.0) {
            return Err(Error::Format(
                "the step counter t must be finite and >= 1".into(),
            ));
        }
        Ok(())
    }
}
