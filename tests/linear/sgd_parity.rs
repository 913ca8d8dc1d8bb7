//! `SgdClassifier` against scikit-learn's `SGDClassifier` (fixtures from
//! scripts/make_fixtures_sgd.py): coefficients, intercepts, epochs, the
//! step counter and probabilities, for every loss, penalty, learning rate,
//! shuffling, class and sample weights, and `partial_fit` sequences.

use std::collections::BTreeMap;

use proba::linear::{ClassWeight, SgdClassifier, SgdLearningRate, SgdLoss, SgdPenalty};
use proba::ndarray::Array2;
use proba::prelude::*;
use proba::text::HashingVectorizer;
use serde_json::Value;

use crate::support::{self, floats, max_abs_diff, strings, usizes};

enum X {
    Dense(Array2<f64>),
    Sparse(CsrMatrix),
}

fn read_x(v: &Value) -> X {
    let shape = usizes(&v["shape"]);
    match v["kind"].as_str().unwrap() {
        "csr" => X::Sparse(
            CsrMatrix::new(
                shape[0],
                shape[1],
                usizes(&v["indptr"]),
                usizes(&v["indices"]),
                floats(&v["data"]),
            )
            .unwrap(),
        ),
        _ => X::Dense(Array2::from_shape_vec((shape[0], shape[1]), floats(&v["data"])).unwrap()),
    }
}

fn rows(x: &X, a: usize, b: usize) -> X {
    match x {
        X::Dense(d) => X::Dense(d.slice(proba::ndarray::s![a..b, ..]).to_owned()),
        X::Sparse(s) => X::Sparse(s.select_rows(&(a..b).collect::<Vec<_>>()).unwrap()),
    }
}

fn params(p: &Value) -> proba::linear::SgdClassifierParams<String> {
    let mut b = SgdClassifier::params();
    if let Some(l) = p["loss"].as_str() {
        b = b.loss(match l {
            "log_loss" => SgdLoss::LogLoss,
            "modified_huber" => SgdLoss::ModifiedHuber,
            "hinge" => SgdLoss::Hinge,
            other => panic!("loss {other}"),
        });
    }
    if let Some(pen) = p.get("penalty") {
        b = b.penalty(match pen.as_str() {
            None => None,
            Some("l2") => Some(SgdPenalty::L2),
            Some("l1") => Some(SgdPenalty::L1),
            Some("elasticnet") => Some(SgdPenalty::ElasticNet),
            Some(other) => panic!("penalty {other}"),
        });
    }
    if let Some(lr) = p["learning_rate"].as_str() {
        b = b.learning_rate(match lr {
            "optimal" => SgdLearningRate::Optimal,
            "constant" => SgdLearningRate::Constant,
            "invscaling" => SgdLearningRate::InvScaling,
            "adaptive" => SgdLearningRate::Adaptive,
            other => panic!("learning_rate {other}"),
        });
    }
    let num = |k: &str| p[k].as_f64();
    if let Some(v) = num("alpha") {
        b = b.alpha(v);
    }
    if let Some(v) = num("l1_ratio") {
        b = b.l1_ratio(v);
    }
    if let Some(v) = num("eta0") {
        b = b.eta0(v);
    }
    if let Some(v) = num("power_t") {
        b = b.power_t(v);
    }
    b = b.max_iter(p["max_iter"].as_u64().unwrap() as usize);
    b = b.tol(p["tol"].as_f64());
    b = b.shuffle(p["shuffle"].as_bool().unwrap());
    if let Some(s) = p["random_state"].as_u64() {
        b = b.seed(s);
    }
    if let Some(f) = p["fit_intercept"].as_bool() {
        b = b.fit_intercept(f);
    }
    if let Some(n) = p["n_iter_no_change"].as_u64() {
        b = b.n_iter_no_change(n as usize);
    }
    match &p["class_weight"] {
        Value::String(s) if s == "balanced" => b = b.class_weight(ClassWeight::Balanced),
        Value::Object(m) => {
            let map: BTreeMap<String, f64> = m
                .iter()
                .map(|(k, v)| (k.clone(), v.as_f64().unwrap()))
                .collect();
            b = b.class_weight(ClassWeight::Explicit(map));
        }
        _ => {}
    }
    b
}

fn sample_weight(n: usize) -> Vec<f64> {
    (0..n).map(|i| (i % 3) as f64 + 0.5).collect()
}

fn train(case: &Value, x: &X, y: &[String]) -> Result<SgdClassifier<String>> {
    let p = params(&case["params"]);
    let chunks: Vec<(usize, usize)> = case["chunks"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|ab| {
                    (
                        ab[0].as_u64().unwrap() as usize,
                        ab[1].as_u64().unwrap() as usize,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let classes = strings(&case["classes"]);
    macro_rules! with_x {
        ($x:expr, $body:expr) => {
            match $x {
                X::Dense(d) => $body(d),
                X::Sparse(s) => $body(s),
            }
        };
    }
    match case["mode"].as_str().unwrap() {
        "fit" => with_x!(x, |x| p.fit(x, y)),
        "fit_weighted" => {
            let w = sample_weight(y.len());
            with_x!(x, |x| p.fit_weighted(x, y, Some(&w)))
        }
        "partial" => {
            let mut model: Option<SgdClassifier<String>> = None;
            for &(a, b) in &chunks {
                let xc = rows(x, a, b);
                let yc = &y[a..b];
                model = Some(match model {
                    None => with_x!(&xc, |x| p.partial_fit(x, yc, &classes))?,
                    Some(mut m) => {
                        with_x!(&xc, |x| m.partial_fit(x, yc, &classes).map(|_| ()))?;
                        m
                    }
                });
            }
            Ok(model.unwrap())
        }
        "fit_then_partial" => {
            let mut m = with_x!(x, |x| p.fit(x, y))?;
            for &(a, b) in &chunks {
                let xc = rows(x, a, b);
                with_x!(&xc, |x| m.partial_fit(x, &y[a..b], &[]).map(|_| ()))?;
            }
            Ok(m)
        }
        other => panic!("mode {other}"),
    }
}

#[test]
fn unit_cases_match_scikit_learn() {
    let f = support::fixture("sgd/unit.json");
    let mut worst = (0.0f64, String::new());
    for case in f["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let ds = &f["datasets"][case["dataset"].as_str().unwrap()];
        let x = read_x(&ds["x"]);
        let y = strings(&ds["y"]);
        let dense = matches!(x, X::Dense(_));
        let model = train(case, &x, &y).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(model.classes(), strings(&case["classes"]), "{name}");
        assert_eq!(
            model.n_iter() as u64,
            case["n_iter"].as_u64().unwrap(),
            "{name}: n_iter"
        );
        assert_eq!(model.t(), case["t"].as_f64().unwrap(), "{name}: t");
        let want = support::matrix(&case["coef"]);
        assert_eq!(model.coef().dim(), want.dim(), "{name}");
        let scale = want.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        let dc = max_abs_diff(model.coef().iter().copied(), want.iter().copied()) / scale;
        let di = max_abs_diff(
            model.intercept().iter().copied(),
            floats(&case["intercept"]),
        ) / scale;
        // Sparse input follows scikit-learn's arithmetic exactly; dense
        // input too, except that numpy's dot products may round otherwise.
        let tol = if dense { 1e-12 } else { 0.0 };
        assert!(
            dc <= tol && di <= tol,
            "{name}: coef {dc:e} intercept {di:e}"
        );
        let (p, pred) = match &x {
            X::Dense(d) => (model.predict_proba(d), model.predict(d)),
            X::Sparse(s) => (model.predict_proba(s), model.predict(s)),
        };
        assert_eq!(pred.unwrap(), strings(&case["predict"]), "{name}: predict");
        match case.get("proba") {
            Some(want) => {
                let dp = max_abs_diff(
                    p.unwrap().iter().copied(),
                    support::matrix(want).iter().copied(),
                );
                assert!(dp <= 1e-9, "{name}: proba {dp:e}");
                if dc.max(dp) > worst.0 {
                    worst = (dc.max(dp), name.to_string());
                }
            }
            None => assert!(
                matches!(p, Err(Error::InvalidParameter { name: "loss", .. })),
                "{name}: hinge has no probabilities"
            ),
        }
    }
    eprintln!(
        "largest difference to scikit-learn: {:e} ({})",
        worst.0, worst.1
    );
}

#[test]
fn bbc_hashed_features_match_scikit_learn() {
    let Some(corpus) = support::corpus("bbc.jsonl") else {
        return;
    };
    let f = support::fixture("sgd/bbc.json");
    let hv = HashingVectorizer::params()
        .n_features(f["n_features"].as_u64().unwrap() as usize)
        .alternate_sign(false)
        .build()
        .unwrap();
    let x = hv.transform(&corpus.texts).unwrap();
    for case in f["cases"].as_array().unwrap() {
        let model = params(&case["params"]).fit(&x, &corpus.labels).unwrap();
        let what = case["params"].to_string();
        assert_eq!(
            model.n_iter() as u64,
            case["n_iter"].as_u64().unwrap(),
            "{what}"
        );
        let sums: Vec<f64> = model.coef().rows().into_iter().map(|r| r.sum()).collect();
        let abs: Vec<f64> = model
            .coef()
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|v| v.abs()).sum())
            .collect();
        let nnz: Vec<usize> = model
            .coef()
            .rows()
            .into_iter()
            .map(|r| r.iter().filter(|v| **v != 0.0).count())
            .collect();
        assert!(
            max_abs_diff(sums, floats(&case["coef_sum"])) < 1e-9,
            "{what}"
        );
        assert!(
            max_abs_diff(abs, floats(&case["coef_abs_sum"])) < 1e-9,
            "{what}"
        );
        assert_eq!(nnz, usizes(&case["coef_nnz"]), "{what}");
        let stride = case["stride"].as_u64().unwrap() as usize;
        let p = model.predict_proba(&x).unwrap();
        let got: Vec<f64> = p
            .rows()
            .into_iter()
            .step_by(stride)
            .flat_map(|r| r.to_vec())
            .collect();
        let d = max_abs_diff(got, support::matrix(&case["proba"]).iter().copied());
        assert!(d < 1e-9, "{what}: proba {d:e}");
    }
}
