//! scikit-learn's `_plain_sgd` for one binary problem, step for step: the
//! same per-sample updates in the same floating-point order, the scaled
//! weight vector with its running norms, the truncated L1 penalty, the
//! epoch objective that decides when to stop, and the xorshift shuffle. On
//! sparse input this gives scikit-learn's coefficients bit for bit.

use std::borrow::Cow;

use ndarray::ArrayView2;

use super::sgd_params::{SgdLearningRate, SgdLoss, SgdOptions, SgdPenalty};
use crate::error::{Error, Result};
use crate::rng::XorShift;
use crate::sparse::{CsrMatrix, FeatureView};

/// Below this the scale of the weight vector is folded into the weights
/// (scikit-learn's `reset_wscale_threshold` for float64).
const WSCALE_THRESHOLD: f64 = 1e-9;
/// Gradients are clipped to this magnitude (scikit-learn's `MAX_DLOSS`).
const MAX_DLOSS: f64 = 1e12;
/// The intercept moves by 1% of the step on sparse input
/// (scikit-learn's `SPARSE_INTERCEPT_DECAY`).
pub(crate) const SPARSE_INTERCEPT_DECAY: f64 = 0.01;

/// The training rows as SGD walks them: a CSR row's stored entries, or
/// every column of a dense row (scikit-learn's `ArrayDataset` visits all
/// of them, zeros included, which matters for the L1 penalty).
pub(crate) enum Rows<'a> {
    Dense {
        data: Cow<'a, [f64]>,
        n_cols: usize,
        all_cols: Vec<usize>,
    },
    Sparse(&'a CsrMatrix),
}

impl<'a> Rows<'a> {
    pub(crate) fn new(view: FeatureView<'a>) -> Self {
        match view {
            FeatureView::Sparse(s) => Rows::Sparse(s),
            FeatureView::Dense(d) => Rows::dense(d),
        }
    }

    fn dense(d: ArrayView2<'a, f64>) -> Self {
        let n_cols = d.ncols();
        let data = match d.to_slice() {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(d.iter().copied().collect()),
        };
        Rows::Dense {
            data,
            n_cols,
            all_cols: (0..n_cols).collect(),
        }
    }

    pub(crate) fn n_rows(&self) -> usize {
        match self {
            Rows::Dense { data, n_cols, .. } => data.len().checked_div(*n_cols).unwrap_or(0),
            Rows::Sparse(s) => s.n_rows(),
        }
    }

    /// scikit-learn moves the intercept less on sparse input.
    pub(crate) fn intercept_decay(&self) -> f64 {
        match self {
            Rows::Dense { .. } => 1.0,
            Rows::Sparse(_) => SPARSE_INTERCEPT_DECAY,
        }
    }

    /// Column indices and values of row `i` (`i < n_rows`).
    #[inline]
    fn row(&self, i: usize) -> (&[usize], &[f64]) {
        match self {
            Rows::Dense {
                data,
                n_cols,
                all_cols,
            } => {
                let start = i * n_cols;
                (all_cols, data.get(start..start + n_cols).unwrap_or(&[]))
            }
            Rows::Sparse(s) => {
                let ptr = s.indptr();
                let (a, b) = (ptr[i], ptr[i + 1]);
                (&s.indices()[a..b], &s.data()[a..b])
            }
        }
    }
}

/// One binary problem: targets (+1/-1, or 1/0 for the log loss), the
/// per-row weights and the weights of the positive and negative class.
pub(crate) struct Binary<'a> {
    /// The class index of every row; rows of `class` are the positives.
    pub labels: &'a [usize],
    pub class: usize,
    /// The negatives' target: 0 for the log loss, -1 otherwise.
    pub negative: f64,
    pub sample_weight: &'a [f64],
    pub weight_pos: f64,
    pub weight_neg: f64,
}

impl Binary<'_> {
    #[inline]
    fn target(&self, i: usize) -> f64 {
        if self.labels[i] == self.class {
            1.0
        } else {
            self.negative
        }
    }
}

/// Where one binary fit starts: its intercept, scikit-learn's step
/// counter `t` (1 for a fresh fit) and the shuffle seed scikit-learn draws.
pub(crate) struct Start {
    pub intercept: f64,
    pub t: f64,
    pub seed: u32,
}

/// What one binary fit ends with.
pub(crate) struct BinaryFit {
    pub intercept: f64,
    pub n_iter: usize,
}

impl SgdLoss {
    /// The loss at target `y` and score `p` (scikit-learn's `cy_loss`).
    #[inline]
    fn value(self, y: f64, p: f64) -> f64 {
        match self {
            SgdLoss::Hinge => {
                let z = p * y;
                if z <= 1.0 {
                    1.0 - z
                } else {
                    0.0
                }
            }
            SgdLoss::LogLoss => log1pexp(p) - y * p,
            SgdLoss::ModifiedHuber => {
                let z = p * y;
                if z >= 1.0 {
                    0.0
                } else if z >= -1.0 {
                    (1.0 - z) * (1.0 - z)
                } else {
                    -4.0 * z
                }
            }
        }
    }

    /// The derivative in `p` (scikit-learn's `cy_gradient`).
    #[inline]
    fn gradient(self, y: f64, p: f64) -> f64 {
        match self {
            SgdLoss::Hinge => {
                if p * y <= 1.0 {
                    -y
                } else {
                    0.0
                }
            }
            SgdLoss::LogLoss => {
                if p > -37.0 {
                    let e = (-p).exp();
                    ((1.0 - y) - y * e) / (1.0 + e)
                } else {
                    p.exp() - y
                }
            }
            SgdLoss::ModifiedHuber => {
                let z = p * y;
                if z >= 1.0 {
                    0.0
                } else if z >= -1.0 {
                    2.0 * (1.0 - z) * -y
                } else {
                    -4.0 * y
                }
            }
        }
    }

    /// The log loss takes targets in {0, 1}, the others in {-1, +1}.
    pub(crate) fn negative_target(self) -> f64 {
        match self {
            SgdLoss::LogLoss => 0.0,
            _ => -1.0,
        }
    }
}

/// `ln(1 + e^x)` with scikit-learn's branches (`log1pexp`).
#[inline]
fn log1pexp(x: f64) -> f64 {
    if x <= -37.0 {
        x.exp()
    } else if x <= -2.0 {
        x.exp().ln_1p()
    } else if x <= 18.0 {
        (1.0 + x.exp()).ln()
    } else if x <= 33.3 {
        x + (-x).exp()
    } else {
        x
    }
}

/// `w = wscale · data`, with the norms scikit-learn tracks for the
/// objective (`WeightVector`; its `sq_norm` after `add` covers only the
/// entries just touched, and that is reproduced too).
struct WeightVector<'a> {
    w: &'a mut [f64],
    wscale: f64,
    /// Whether the norms are kept: only the stopping objective reads them.
    norms: bool,
    sq_norm: f64,
    l1_norm: f64,
}

impl<'a> WeightVector<'a> {
    /// `norms`: keep the norms (two passes over `w` to start, two more
    /// operations per entry in `add`); only the stopping objective reads them.
    fn new(w: &'a mut [f64], norms: bool) -> Self {
        let (sq_norm, l1_norm) = if norms {
            (
                w.iter().fold(0.0, |s, v| s + v * v),
                w.iter().fold(0.0, |s, v| s + v.abs()),
            )
        } else {
            (0.0, 0.0)
        };
        WeightVector {
            w,
            wscale: 1.0,
            norms,
            sq_norm,
            l1_norm,
        }
    }

    #[inline]
    fn dot(&self, cols: &[usize], vals: &[f64]) -> f64 {
        let mut s = 0.0;
        for (&c, &v) in cols.iter().zip(vals) {
            s += self.w[c] * v;
        }
        s * self.wscale
    }

    #[inline]
    fn add(&mut self, cols: &[usize], vals: &[f64], c: f64) {
        let step = c / self.wscale;
        if !self.norms {
            for (&j, &v) in cols.iter().zip(vals) {
                self.w[j] += v * step;
            }
            return;
        }
        let (mut l2, mut l1) = (0.0, 0.0);
        for (&j, &v) in cols.iter().zip(vals) {
            let w = &mut self.w[j];
            *w += v * step;
            l2 += *w * *w;
            l1 += w.abs();
        }
        self.sq_norm = l2 * (self.wscale * self.wscale);
        self.l1_norm = l1 * self.wscale;
    }

    #[inline]
    fn scale(&mut self, c: f64) {
        self.wscale *= c;
        self.sq_norm *= c * c;
        self.l1_norm *= c.abs();
        if self.wscale < WSCALE_THRESHOLD {
            self.reset_scale();
        }
    }

    fn reset_scale(&mut self) {
        let s = self.wscale;
        self.w.iter_mut().for_each(|v| *v *= s);
        self.wscale = 1.0;
    }

    /// [`reset_scale`](Self::reset_scale), returning whether every weight
    /// is finite, in one pass.
    fn reset_scale_checked(&mut self) -> bool {
        let s = self.wscale;
        self.wscale = 1.0;
        self.w.iter_mut().fold(true, |ok, v| {
            *v *= s;
            ok & v.is_finite()
        })
    }

    /// Whether every weight is finite. (`wscale` is in (0, 1], so the
    /// stored values are finite exactly when the weights are.)
    fn all_finite(&self) -> bool {
        self.w.iter().all(|v| v.is_finite())
    }

    /// Truncated-gradient L1 step on the entries of one row (`l1penalty`):
    /// `u` is the total penalty so far, `q` what each weight has received.
    #[inline]
    fn l1_penalty(&mut self, q: &mut [f64], cols: &[usize], u: f64) {
        let s = self.wscale;
        for &j in cols {
            let z = self.w[j];
            if s * z > 0.0 {
                let v = z - (u + q[j]) / s;
                self.w[j] = if v > 0.0 { v } else { 0.0 };
            } else if s * z < 0.0 {
                let v = z + (u - q[j]) / s;
                self.w[j] = if v < 0.0 { v } else { 0.0 };
            }
            q[j] += s * (self.w[j] - z);
        }
    }
}

/// The penalty as `_plain_sgd` sees it: its code (0 none, 1 L1, 2 L2,
/// 3 elastic net) and the effective `l1_ratio`.
fn penalty_code(o: &SgdOptions) -> (u8, f64) {
    match o.penalty {
        None => (0, o.l1_ratio),
        Some(SgdPenalty::L1) => (1, 1.0),
        Some(SgdPenalty::L2) => (2, 0.0),
        Some(SgdPenalty::ElasticNet) => (3, o.l1_ratio),
    }
}

/// Runs `max_iter` epochs (or until the objective stops improving) of SGD
/// on one binary problem, updating `weights` and returning the intercept.
pub(crate) fn plain_sgd(
    weights: &mut [f64],
    start: Start,
    o: &SgdOptions,
    max_iter: usize,
    rows: &Rows<'_>,
    problem: &Binary<'_>,
) -> Result<BinaryFit> {
    let Start { intercept, t, seed } = start;
    let n = rows.n_rows();
    let (penalty, l1_ratio) = penalty_code(o);
    let alpha = o.alpha;
    let tol = o.tol.unwrap_or(f64::NEG_INFINITY);
    let decay = rows.intercept_decay();
    let mut intercept = intercept;
    let mut t = t;
    let mut q = if penalty == 1 || penalty == 3 {
        vec![0.0; weights.len()]
    } else {
        Vec::new()
    };
    let mut u = 0.0;
    let mut eta = o.eta0;
    let mut optimal_init = 0.0;
    if o.learning_rate == SgdLearningRate::Optimal {
        let typw = (1.0 / alpha.sqrt()).sqrt();
        let g = o.loss.gradient(1.0, -typw);
        let initial_eta0 = typw / if g > 1.0 { g } else { 1.0 };
        optimal_init = 1.0 / (initial_eta0 * alpha);
    }
    let mut order: Vec<usize> = (0..n).collect();
    // The epoch objective only decides when to stop: with no tolerance or a
    // single epoch (partial_fit) it is never read, and its O(n_features)
    // starting norms are skipped, a pass over every class's weights per chunk.
    let track_objective = tol > f64::NEG_INFINITY && max_iter > 1;
    let mut w = WeightVector::new(weights, track_objective);
    let mut best_objective = f64::INFINITY;
    let mut no_improvement = 0usize;
    let mut n_iter = max_iter;
    for epoch in 0..max_iter {
        let mut objective_sum = 0.0;
        if o.shuffle {
            shuffle(&mut order, seed);
        }
        for &i in &order {
            let (cols, vals) = rows.row(i);
            let y = problem.target(i);
            let p = w.dot(cols, vals) + intercept;
            match o.learning_rate {
                SgdLearningRate::Optimal => eta = 1.0 / (alpha * (optimal_init + t - 1.0)),
                SgdLearningRate::InvScaling => eta = o.eta0 / t.powf(o.power_t),
                SgdLearningRate::Constant | SgdLearningRate::Adaptive => {}
            }
            if track_objective {
                objective_sum += o.loss.value(y, p);
            }
            if track_objective && penalty > 0 {
                let norm = w.sq_norm.sqrt();
                objective_sum +=
                    alpha * ((1.0 - l1_ratio) * 0.5 * (norm * norm) + l1_ratio * w.l1_norm);
            }
            let class_weight = if y > 0.0 {
                problem.weight_pos
            } else {
                problem.weight_neg
            };
            let dloss = o.loss.gradient(y, p).clamp(-MAX_DLOSS, MAX_DLOSS);
            let mut update = -eta * dloss;
            update *= class_weight * problem.sample_weight[i];
            if penalty >= 2 {
                let c = 1.0 - (1.0 - l1_ratio) * eta * alpha;
                w.scale(if c > 0.0 { c } else { 0.0 });
            }
            if update != 0.0 {
                w.add(cols, vals, update);
            }
            if o.fit_intercept && update != 0.0 {
                intercept += update * decay;
            }
            if penalty == 1 || penalty == 3 {
                u += l1_ratio * eta * alpha;
                w.l1_penalty(&mut q, cols, u);
            }
            t += 1.0;
        }
        // The last epoch's check is made with the final rescaling, in one pass.
        let last = epoch + 1 == max_iter;
        if !intercept.is_finite() || (!last && !w.all_finite()) {
            return Err(overflow(epoch + 1));
        }
        let mean = objective_sum / n as f64;
        if tol > f64::NEG_INFINITY && mean > best_objective - tol {
            no_improvement += 1;
        } else {
            no_improvement = 0;
        }
        if mean < best_objective {
            best_objective = mean;
        }
        if no_improvement >= o.n_iter_no_change {
            if o.learning_rate == SgdLearningRate::Adaptive && eta > 1e-6 {
                eta /= 5.0;
                no_improvement = 0;
            } else {
                n_iter = epoch + 1;
                break;
            }
        }
    }
    if !w.reset_scale_checked() {
        return Err(overflow(n_iter));
    }
    Ok(BinaryFit { intercept, n_iter })
}

fn overflow(epoch: usize) -> Error {
    Error::invalid_param(
        "alpha / eta0",
        format!("epoch {epoch}"),
        "floating-point overflow during SGD: scale the features or lower the step size",
    )
}

/// scikit-learn's `SequentialDataset.shuffle`: Fisher-Yates with a fresh
/// copy of `seed` each epoch, applied to the order the last epoch left.
fn shuffle(order: &mut [usize], seed: u32) {
    let n = order.len();
    let mut rng = XorShift::from_seed(seed);
    for i in 0..n.saturating_sub(1) {
        let j = i + (rng.next() as usize) % (n - i);
        order.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_loss_branches_are_continuous() {
        for x in [-37.0, -2.0, 18.0, 33.3] {
            let (a, b) = (log1pexp(x - 1e-9), log1pexp(x + 1e-9));
            assert!((a - b).abs() < 1e-6 * a.abs().max(1e-12), "{x}: {a} {b}");
        }
    }

    #[test]
    fn gradients_have_the_sign_of_the_error() {
        for loss in [SgdLoss::Hinge, SgdLoss::LogLoss, SgdLoss::ModifiedHuber] {
            let neg = loss.negative_target();
            assert!(loss.gradient(1.0, -0.5) < 0.0, "{loss:?}");
            assert!(loss.gradient(neg, 0.5) > 0.0, "{loss:?}");
        }
    }

    #[test]
    fn shuffle_is_a_permutation_that_depends_on_the_seed() {
        let mut a: Vec<usize> = (0..50).collect();
        shuffle(&mut a, 7);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        let mut b: Vec<usize> = (0..50).collect();
        shuffle(&mut b, 8);
        assert_ne!(a, b);
    }
}
