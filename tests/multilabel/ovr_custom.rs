//! OneVsRestClassifier over a user-defined estimator: the generic contract
//! (inference, independence of the per-label models, constant labels,
//! determinism across thread counts, persistence, errors).

use std::marker::PhantomData;

use ndarray::{array, Array1, Array2, ArrayView2};
use proba::io;
use proba::multilabel::{BinaryModel, OneVsRestClassifier, OneVsRestMode};
use proba::prelude::*;
use proba::FeatureView;
use serde::{Deserialize, Serialize};

use crate::support;

// ---------------------------------------------------------------------------
// A user's own binary estimator: logistic regression by plain gradient
// descent. Its parameters are generic over the label, like the crate's own
// `LogisticRegression::params()`, so the one-vs-rest wrapper has to infer
// `L = bool` from its `Fit<X, bool>` bound.

#[derive(Debug, Clone)]
struct TinyLogisticParams<L> {
    iterations: usize,
    /// Refuse targets with fewer positive rows than this (to test errors).
    min_positives: usize,
    _label: PhantomData<fn() -> L>,
}

struct TinyLogistic;

impl TinyLogistic {
    fn params<L>() -> TinyLogisticParams<L> {
        TinyLogisticParams {
            iterations: 200,
            min_positives: 1,
            _label: PhantomData,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TinyLogisticModel<L> {
    classes: Vec<L>,
    w: Vec<f64>,
    b: f64,
}

fn scores(x: FeatureView<'_>, w: &[f64], b: f64) -> Array1<f64> {
    match x {
        FeatureView::Dense(d) => d
            .rows()
            .into_iter()
            .map(|r| b + r.iter().zip(w).map(|(a, c)| a * c).sum::<f64>())
            .collect(),
        FeatureView::Sparse(s) => s
            .rows()
            .map(|r| b + r.iter().map(|(j, v)| v * w[j]).sum::<f64>())
            .collect(),
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl<X, L> Fit<X, L> for TinyLogisticParams<L>
where
    X: Features + ?Sized,
    L: Clone + Ord,
{
    type Fitted = TinyLogisticModel<L>;

    fn fit(&self, x: &X, y: &[L]) -> Result<Self::Fitted> {
        if y.len() != x.n_rows() {
            return Err(Error::shape("number of labels", x.n_rows(), y.len()));
        }
        let mut classes = y.to_vec();
        classes.sort();
        classes.dedup();
        if classes.len() != 2 {
            return Err(Error::TooFewClasses {
                found: classes.len(),
            });
        }
        let t: Vec<f64> = y.iter().map(|l| f64::from(*l == classes[1])).collect();
        let positives = t.iter().filter(|&&v| v == 1.0).count();
        if positives < self.min_positives {
            return Err(Error::invalid_param(
                "min_positives",
                self.min_positives,
                format!("only {positives} positive rows"),
            ));
        }
        let n = x.n_rows() as f64;
        let mut w = vec![0.0; x.n_cols()];
        let mut b = 0.0;
        for _ in 0..self.iterations {
            let z = scores(x.feature_view(), &w, b);
            let r: Vec<f64> = z.iter().zip(&t).map(|(z, t)| sigmoid(*z) - t).collect();
            let mut grad = vec![0.0; w.len()];
            match x.feature_view() {
                FeatureView::Dense(d) => {
                    for (row, ri) in d.rows().into_iter().zip(&r) {
                        for (g, v) in grad.iter_mut().zip(row) {
                            *g += ri * v;
                        }
                    }
                }
                FeatureView::Sparse(s) => {
                    for (row, ri) in s.rows().zip(&r) {
                        for (j, v) in row.iter() {
                            grad[j] += ri * v;
                        }
                    }
                }
            }
            for (wj, g) in w.iter_mut().zip(&grad) {
                *wj -= 0.5 * (g / n + 1e-3 * *wj);
            }
            b -= 0.5 * r.iter().sum::<f64>() / n;
        }
        Ok(TinyLogisticModel { classes, w, b })
    }
}

impl<L: Clone> Classifier for TinyLogisticModel<L> {
    type Label = L;
    fn classes(&self) -> &[L] {
        &self.classes
    }
}

impl<X: Features + ?Sized, L: Clone> PredictProba<X> for TinyLogisticModel<L> {
    fn predict_proba(&self, x: &X) -> Result<Array2<f64>> {
        if x.n_cols() != self.w.len() {
            return Err(Error::shape("number of features", self.w.len(), x.n_cols()));
        }
        let z = scores(x.feature_view(), &self.w, self.b);
        Ok(Array2::from_shape_fn((z.len(), 2), |(i, j)| {
            let p = sigmoid(z[i]);
            if j == 1 {
                p
            } else {
                1.0 - p
            }
        }))
    }
}

impl<L: Label> io::Persist for TinyLogisticModel<L> {
    const KIND: &'static str = "TinyLogistic";
    fn validate(&self) -> Result<()> {
        if self.classes.len() != 2 {
            return Err(Error::Format("two classes expected".into()));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Data: 3 informative features, labels "a" (x0 > 0), "b" (x1 > 0), "c"
// (x0 + x2 > 0.5), plus "all" in every row.

fn data(n: usize) -> (Array2<f64>, Vec<Vec<String>>) {
    // A deterministic pseudo-random sequence (no RNG dependency).
    let mut state = support::xorshift(0x9E37_79B9_7F4A_7C15);
    let mut next = move || support::unit_f64(state()) * 2.0 - 1.0;
    let x = Array2::from_shape_fn((n, 4), |_| next());
    let sets = x
        .rows()
        .into_iter()
        .map(|r| {
            let mut s = vec!["all".to_string()];
            if r[0] > 0.0 {
                s.push("a".into());
            }
            if r[1] > 0.0 {
                s.push("b".into());
            }
            if r[0] + r[2] > 0.5 {
                s.push("c".into());
            }
            s
        })
        .collect();
    (x, sets)
}

fn column_targets(sets: &[Vec<String>], label: &str) -> Vec<bool> {
    sets.iter().map(|s| s.iter().any(|l| l == label)).collect()
}

type Ovr = OneVsRestClassifier<TinyLogisticModel<bool>, String>;

#[test]
fn contract_usage_compiles_and_infers_every_type() -> Result<()> {
    let (x, label_sets) = data(60);
    let ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit(&x, &label_sets)?;
    let p = ovr.predict_proba(&x)?;
    assert_eq!(ovr.classes(), &["a", "all", "b", "c"]);
    assert_eq!(p.dim(), (60, 4));
    assert_eq!(ovr.mode(), OneVsRestMode::Multilabel);
    assert_eq!(ovr.n_features(), 4);
    // Sparse and view inputs give the same probabilities as the dense matrix.
    let csr = CsrMatrix::from_dense(x.view());
    let ovr_sparse = OneVsRestClassifier::params(TinyLogistic::params()).fit(&csr, &label_sets)?;
    let ps = ovr_sparse.predict_proba(&csr)?;
    for (a, b) in p.iter().zip(ps.iter()) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    let view: ArrayView2<'_, f64> = x.view();
    assert_eq!(ovr.predict_proba(&view)?, p);
    Ok(())
}

#[test]
fn each_column_is_its_own_binary_model_and_rows_are_not_normalized() -> Result<()> {
    let (x, sets) = data(80);
    let ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit(&x, &sets)?;
    let p = ovr.predict_proba(&x)?;
    for (j, class) in ovr.classes().iter().enumerate() {
        let expected = if class == "all" {
            Array1::from_elem(80, 1.0)
        } else {
            let alone = TinyLogistic::params().fit(&x, &column_targets(&sets, class))?;
            alone.predict_proba(&x)?.column(1).to_owned()
        };
        assert_eq!(p.column(j), expected, "class {class}");
    }
    let max_row_sum = p
        .rows()
        .into_iter()
        .map(|r| r.sum())
        .fold(f64::MIN, f64::max);
    assert!(
        max_row_sum > 1.5,
        "independent labels: rows should not sum to 1"
    );
    Ok(())
}

#[test]
fn labels_always_or_never_present_get_exact_constants() -> Result<()> {
    let (x, sets) = data(40);
    let classes: Vec<String> = ["never", "a", "all", "b", "c"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let ovr: Ovr = OneVsRestClassifier::params(TinyLogistic::params())
        .classes(classes.clone())
        .fit(&x, &sets)?;
    assert_eq!(ovr.classes(), classes.as_slice());
    let never = "never".to_string();
    let all = "all".to_string();
    assert_eq!(ovr.constant_labels(), vec![(&never, false), (&all, true)]);
    assert!(matches!(ovr.estimators()[0], BinaryModel::Constant(false)));
    let p = ovr.predict_proba(&x)?;
    assert!(p.column(0).iter().all(|&v| v == 0.0));
    assert!(p.column(2).iter().all(|&v| v == 1.0));
    for set in ovr.predict(&x)? {
        assert!(set.contains(&all) && !set.contains(&never), "{set:?}");
    }
    Ok(())
}

#[test]
fn predict_thresholds_the_probabilities() -> Result<()> {
    let (x, sets) = data(120);
    let ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit(&x, &sets)?;
    let p = ovr.predict_proba(&x)?;
    let predicted = ovr.predict(&x)?;
    assert_eq!(predicted, ovr.predict_with_threshold(&x, 0.5)?);
    for (i, set) in predicted.iter().enumerate() {
        for (j, class) in ovr.classes().iter().enumerate() {
            assert_eq!(
                set.contains(class),
                p[[i, j]] > 0.5,
                "row {i} class {class}"
            );
        }
    }
    // The model learned something: most training rows are predicted exactly.
    let exact = predicted
        .iter()
        .zip(&sets)
        .filter(|(p, s)| {
            let mut s = (*s).clone();
            s.sort();
            **p == s
        })
        .count();
    assert!(exact > 80, "only {exact}/120 rows predicted exactly");
    // Threshold 1.0 keeps nothing (nothing is > 1), 0.0 keeps every label with p > 0.
    assert!(ovr
        .predict_with_threshold(&x, 1.0)?
        .iter()
        .all(|s| s.is_empty()));
    assert!(ovr
        .predict_with_threshold(&x, 0.0)?
        .iter()
        .all(|s| s.len() == 4));
    for bad in [f64::NAN, -0.1, 1.5] {
        let err = ovr.predict_with_threshold(&x, bad).unwrap_err();
        assert!(err.to_string().contains("threshold"), "{err}");
    }
    Ok(())
}

#[test]
fn results_do_not_depend_on_the_thread_count() -> Result<()> {
    let (x, sets) = data(100);
    let run = |threads: usize| -> Result<(Array2<f64>, String)> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::invalid_param("threads", threads, e.to_string()))?;
        pool.install(|| {
            let ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit(&x, &sets)?;
            let p = ovr.predict_proba(&x)?;
            // Two labels fail ("b" and "c" have fewer than 90 positives): the
            // error must name the first in class order, whatever the schedule.
            let mut strict = TinyLogistic::params();
            strict.min_positives = 90;
            let err = OneVsRestClassifier::params(strict)
                .fit(&x, &sets)
                .map(|_: Ovr| ())
                .unwrap_err();
            Ok((p, err.to_string()))
        })
    };
    let (p1, e1) = run(1)?;
    let (p2, e2) = run(2)?;
    assert_eq!(p1, p2);
    assert_eq!(e1, e2);
    assert!(e1.contains("label \"a\""), "{e1}");
    Ok(())
}

#[test]
fn a_failing_base_estimator_is_reported_with_its_label() {
    let x = array![[0.0], [1.0], [2.0], [3.0]];
    let sets = vec![
        vec!["x".to_string(), "y".to_string()],
        vec!["x".to_string()],
        vec!["y".to_string()],
        vec!["z".to_string()],
    ];
    let mut params = TinyLogistic::params();
    params.min_positives = 2;
    let err = OneVsRestClassifier::params(params)
        .fit(&x, &sets)
        .map(|_: Ovr| ())
        .unwrap_err();
    match &err {
        Error::SubModel { label, source } => {
            assert_eq!(label, "\"z\"");
            assert!(
                matches!(
                    **source,
                    Error::InvalidParameter {
                        name: "min_positives",
                        ..
                    }
                ),
                "{source}"
            );
        }
        other => panic!("expected SubModel, got {other:?}"),
    }
    assert!(err.to_string().contains("label \"z\""), "{err}");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let (x, sets) = data(10);
    let params = OneVsRestClassifier::params(TinyLogistic::params());
    let fit = |x: &Array2<f64>, y: &[Vec<String>]| params.fit(x, y).map(|_: Ovr| ());
    assert!(matches!(
        fit(&x, &sets[..9]),
        Err(Error::ShapeMismatch {
            expected: 10,
            found: 9,
            ..
        })
    ));
    assert!(matches!(
        fit(&Array2::zeros((0, 4)), &[]),
        Err(Error::EmptyInput(_))
    ));
    assert!(matches!(
        fit(&x, &vec![vec![]; 10]),
        Err(Error::EmptyInput("every label set is empty"))
    ));
    let with_classes = OneVsRestClassifier::params(TinyLogistic::params())
        .classes(vec!["a".to_string(), "b".to_string()]);
    let err = with_classes
        .fit(&x, &sets)
        .map(|_: Ovr| ())
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"all\" at row 0"), "{err}");
    let dup = OneVsRestClassifier::params(TinyLogistic::params())
        .classes(vec!["a".to_string(), "a".to_string()])
        .fit(&x, &sets)
        .map(|_: Ovr| ());
    assert!(matches!(
        dup,
        Err(Error::InvalidParameter {
            name: "classes",
            ..
        })
    ));

    // Predicting with the wrong number of features.
    let ovr: Ovr = params.fit(&x, &sets).unwrap();
    assert!(matches!(
        ovr.predict_proba(&Array2::zeros((3, 5))),
        Err(Error::ShapeMismatch {
            expected: 4,
            found: 5,
            ..
        })
    ));
    // Zero rows to predict is fine.
    assert_eq!(
        ovr.predict_proba(&Array2::zeros((0, 4))).unwrap().dim(),
        (0, 4)
    );
}

#[test]
fn multiclass_mode_normalizes_rows_and_uses_one_model_for_two_classes() -> Result<()> {
    let (x, sets) = data(90);
    // One label per row: the first of (c, a, b) present, else "none".
    let y: Vec<String> = sets
        .iter()
        .map(|s| {
            ["c", "a", "b"]
                .iter()
                .find(|l| s.iter().any(|m| m == *l))
                .map_or("none".to_string(), |l| l.to_string())
        })
        .collect();
    let ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit_multiclass(&x, &y)?;
    assert_eq!(ovr.mode(), OneVsRestMode::Multiclass);
    assert_eq!(ovr.estimators().len(), 4);
    let p = ovr.predict_proba(&x)?;
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    // The raw per-class probabilities, normalized by hand.
    let mut raw = Array2::zeros((90, 4));
    for (j, class) in ovr.classes().iter().enumerate() {
        let t: Vec<bool> = y.iter().map(|l| l == class).collect();
        let m = TinyLogistic::params().fit(&x, &t)?;
        raw.column_mut(j).assign(&m.predict_proba(&x)?.column(1));
    }
    for (mut r, row) in raw.rows_mut().into_iter().zip(p.rows()) {
        let s = r.sum();
        r.mapv_inplace(|v| v / s);
        for (a, b) in r.iter().zip(row) {
            assert!((a - b).abs() < 1e-15);
        }
    }
    // Inherent predict: singletons of the argmax, same as the trait's predict.
    let argmax = PredictProba::predict(&ovr, &x)?;
    let sets = ovr.predict(&x)?;
    assert_eq!(
        sets,
        argmax.iter().map(|l| vec![l.clone()]).collect::<Vec<_>>()
    );
    let accuracy = argmax.iter().zip(&y).filter(|(a, b)| a == b).count();
    assert!(accuracy > 60, "accuracy {accuracy}/90");

    // Two classes: a single model of the second class, probabilities [1 - p, p].
    let y2: Vec<bool> = column_targets(&sets_of(&y), "a");
    let ovr2 = OneVsRestClassifier::params(TinyLogistic::params()).fit_multiclass(&x, &y2)?;
    assert_eq!(ovr2.estimators().len(), 1);
    let p2 = ovr2.predict_proba(&x)?;
    let alone = TinyLogistic::params().fit(&x, &y2)?.predict_proba(&x)?;
    for (a, b) in p2.iter().zip(alone.iter()) {
        assert!((a - b).abs() < 1e-15);
    }
    assert_eq!(ovr2.classes(), &[false, true]);

    let one_class = vec!["z".to_string(); 90];
    assert!(matches!(
        OneVsRestClassifier::params(TinyLogistic::params())
            .fit_multiclass(&x, &one_class)
            .map(|_: Ovr| ()),
        Err(Error::TooFewClasses { found: 1 })
    ));
    Ok(())
}

fn sets_of(y: &[String]) -> Vec<Vec<String>> {
    y.iter().map(|l| vec![l.clone()]).collect()
}

/// Any code generic over `Fit` can train a one-vs-rest model.
fn train_generic<F, X, Y>(params: &F, x: &X, y: &[Y]) -> Result<F::Fitted>
where
    F: Fit<X, Y>,
    X: ?Sized,
{
    params.fit(x, y)
}

/// `Fit` on label sets is the parameters' own; one label per row goes
/// through `multiclass()`, so neither call is ambiguous.
#[test]
fn the_fit_trait_covers_label_sets_and_single_labels() -> Result<()> {
    let (x, sets) = data(50);
    let params = OneVsRestClassifier::params(TinyLogistic::params());
    let via_trait: Ovr = train_generic(&params, &x, &sets)?;
    let direct: Ovr = params.fit(&x, &sets)?;
    assert_eq!(via_trait.predict_proba(&x)?, direct.predict_proba(&x)?);
    let single: Vec<String> = sets.iter().map(|s| s[s.len() - 1].clone()).collect();
    let mc: Ovr = train_generic(&params.multiclass(), &x, &single)?;
    assert_eq!(mc.mode(), OneVsRestMode::Multiclass);
    assert_eq!(
        mc.predict_proba(&x)?,
        OneVsRestClassifier::params(TinyLogistic::params())
            .fit_multiclass(&x, &single)?
            .predict_proba(&x)?
    );
    Ok(())
}

#[test]
fn persistence_round_trips_and_refuses_altered_files() -> Result<()> {
    let (x, sets) = data(50);
    let ovr: Ovr = OneVsRestClassifier::params(TinyLogistic::params())
        .classes(
            ["a", "all", "b", "c", "never"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
        .fit(&x, &sets)?;
    let text = io::to_string(&ovr)?;
    assert_eq!(io::header(text.as_bytes())?.kind, "OneVsRestClassifier");
    let back: Ovr = io::from_str(&text)?;
    let (p, q) = (ovr.predict_proba(&x)?, back.predict_proba(&x)?);
    assert!(p
        .iter()
        .zip(q.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(back.constant_labels(), ovr.constant_labels());

    // One model fewer than classes.
    let fewer = text
        .replacen("{\"Constant\":false}", "", 1)
        .replace(",]", "]");
    assert_ne!(fewer, text);
    let err = io::from_str::<Ovr>(&fewer).unwrap_err().to_string();
    assert!(err.contains("per-label models"), "{err}");
    // A sub-model that fails its own validation.
    let bad_sub = text.replacen("\"classes\":[false,true]", "\"classes\":[false]", 1);
    assert_ne!(bad_sub, text);
    let err = io::from_str::<Ovr>(&bad_sub).unwrap_err().to_string();
    assert!(err.contains("model of label \"a\""), "{err}");
    // Duplicate classes.
    let dup = text.replacen("\"never\"", "\"a\"", 1);
    assert!(matches!(
        io::from_str::<Ovr>(&dup),
        Err(Error::Format(_) | Error::Json(_))
    ));
    // A multiclass model with one class.
    let y: Vec<String> = sets.iter().map(|s| s[s.len() - 1].clone()).collect();
    let mc: Ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit_multiclass(&x, &y)?;
    let mc_text = io::to_string(&mc)?;
    let back: Ovr = io::from_str(&mc_text)?;
    assert_eq!(back.predict_proba(&x)?, mc.predict_proba(&x)?);
    // A 2-class multiclass model (one estimator) relabelled as multilabel.
    let y2: Vec<String> = sets
        .iter()
        .map(|s| {
            if s.contains(&"a".to_string()) {
                "a"
            } else {
                "z"
            }
            .to_string()
        })
        .collect();
    let bin: Ovr = OneVsRestClassifier::params(TinyLogistic::params()).fit_multiclass(&x, &y2)?;
    let bin_text = io::to_string(&bin)?;
    assert!(io::from_str::<Ovr>(&bin_text).is_ok());
    let relabelled = bin_text.replace("\"Multiclass\"", "\"Multilabel\"");
    assert_ne!(relabelled, bin_text);
    assert!(matches!(
        io::from_str::<Ovr>(&relabelled),
        Err(Error::Format(_) | Error::Json(_))
    ));
    Ok(())
}

/// An estimator whose model does not know the class `true`.
struct NoTrue;
struct NoTrueModel;
impl Fit<Array2<f64>, bool> for NoTrue {
    type Fitted = NoTrueModel;
    fn fit(&self, _x: &Array2<f64>, _y: &[bool]) -> Result<NoTrueModel> {
        Ok(NoTrueModel)
    }
}
impl Classifier for NoTrueModel {
    type Label = bool;
    fn classes(&self) -> &[bool] {
        &[false]
    }
}
impl PredictProba<Array2<f64>> for NoTrueModel {
    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        Ok(Array2::ones((x.nrows(), 1)))
    }
}

#[test]
fn a_model_without_the_true_class_is_refused() {
    let x = array![[0.0], [1.0]];
    let err = OneVsRestClassifier::params(NoTrue)
        .fit(&x, &[vec![1], vec![2]])
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(err, Error::SubModel { ref label, .. } if label == "1"),
        "{err}"
    );
}
