//! proba::metrics against scikit-learn 1.9 on random cases
//! (tests/fixtures/metrics, written by scripts/make_fixtures_metrics.py).

use approx::assert_abs_diff_eq;
use ndarray::Array2;
use proba::metrics::{self, Average};
use serde_json::Value;

use crate::support::{self, floats, strings};

fn matrix<T>(v: &Value, f: impl Fn(&Value) -> T) -> Array2<T> {
    let rows = v.as_array().unwrap();
    let ncols = rows[0].as_array().unwrap().len();
    let flat: Vec<T> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(&f).collect::<Vec<_>>())
        .collect();
    Array2::from_shape_vec((rows.len(), ncols), flat).unwrap()
}

fn assert_close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-12, "{what}: {a:?} vs {b:?}");
    }
}

#[test]
fn every_metric_matches_sklearn() {
    let fx = support::fixture("metrics/sklearn_metrics.json");
    assert_eq!(fx["sklearn_version"], "1.9.1");
    let cases = fx["cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for (i, c) in cases.iter().enumerate() {
        let y_true = strings(&c["y_true"]);
        let y_pred = strings(&c["y_pred"]);
        let classes = strings(&c["classes"]);
        let proba = matrix(&c["proba"], |x| x.as_f64().unwrap());

        let acc = metrics::accuracy(&y_true, &y_pred).unwrap();
        assert_abs_diff_eq!(acc, c["accuracy"].as_f64().unwrap(), epsilon = 1e-15);

        let ll = metrics::log_loss(&y_true, proba.view(), &classes).unwrap();
        let expected = c["log_loss"].as_f64().unwrap();
        assert!(
            (ll - expected).abs() <= 1e-12 * expected.max(1.0),
            "case {i}: {ll} vs {expected}"
        );

        let cm = metrics::confusion_matrix(&y_true, &y_pred).unwrap();
        assert_eq!(cm.labels, strings(&c["labels"]), "case {i}");
        let expected_cm = matrix(&c["confusion_matrix"], |x| x.as_u64().unwrap() as usize);
        assert_eq!(cm.matrix, expected_cm, "case {i}");

        let prf = metrics::precision_recall_f1(&y_true, &y_pred).unwrap();
        let per = &c["prf"]["per_class"];
        assert_close(&prf.precision, &floats(&per["precision"]), "precision");
        assert_close(&prf.recall, &floats(&per["recall"]), "recall");
        assert_close(&prf.f1, &floats(&per["f1"]), "f1");
        let support: Vec<usize> = floats(&per["support"])
            .iter()
            .map(|&s| s as usize)
            .collect();
        assert_eq!(prf.support, support);
        for (name, avg) in [
            ("macro", Average::Macro),
            ("micro", Average::Micro),
            ("weighted", Average::Weighted),
        ] {
            let s = prf.average(avg);
            let e = &c["prf"][name];
            let got = [s.precision, s.recall, s.f1];
            let want = [
                floats(&e["precision"])[0],
                floats(&e["recall"])[0],
                floats(&e["f1"])[0],
            ];
            assert_close(&got, &want, &format!("case {i} {name}"));
        }
        let f1 = metrics::f1_score(&y_true, &y_pred, Average::Macro).unwrap();
        assert_close(&[f1], &floats(&c["prf"]["macro"]["f1"]), "f1_score");

        let yt = matrix(&c["ml_true"], |x| x.as_u64().unwrap() as u8);
        let yp = matrix(&c["ml_pred"], |x| x.as_u64().unwrap() as u8);
        let h = metrics::hamming_loss(yt.view(), yp.view()).unwrap();
        assert_abs_diff_eq!(h, c["hamming_loss"].as_f64().unwrap(), epsilon = 1e-15);
    }
}

#[test]
fn report_lists_every_class_and_the_averages() {
    let y_true = ["spam", "ham", "ham", "spam", "eggs"];
    let y_pred = ["spam", "ham", "spam", "spam", "ham"];
    let r = metrics::classification_report(&y_true, &y_pred, 3).unwrap();
    for needle in [
        "eggs",
        "ham",
        "spam",
        "accuracy",
        "macro avg",
        "weighted avg",
        "0.600",
    ] {
        assert!(r.contains(needle), "{needle} missing from\n{r}");
    }
}
