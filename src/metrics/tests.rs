use super::*;
use ndarray::array;

#[test]
fn length_mismatch_and_empty_input_are_errors() {
    let e: [&str; 0] = [];
    assert!(matches!(accuracy(&e, &e), Err(Error::EmptyInput(_))));
    assert!(matches!(
        accuracy(&["a"], &["a", "b"]),
        Err(Error::ShapeMismatch {
            expected: 1,
            found: 2,
            ..
        })
    ));
    assert!(confusion_matrix(&["a", "b"], &["a"]).is_err());
    assert!(precision_recall_f1(&e, &e).is_err());
    assert!(classification_report(&["a"], &e, 2).is_err());
    let p = array![[0.5, 0.5]];
    assert!(log_loss(&["a", "b"], p.view(), &["a", "b"]).is_err());
    assert!(hamming_loss(array![[1u8, 0]].view(), array![[1u8]].view()).is_err());
    assert!(hamming_loss_sets::<&str>(&[], &[], &["a"]).is_err());
}

#[test]
fn log_loss_rejects_bad_probabilities_and_labels() {
    let classes = ["a", "b"];
    let bad = array![[1.5, -0.5]];
    let err = log_loss(&["a"], bad.view(), &classes)
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 0, column 0"), "{err}");
    let nan = array![[f64::NAN, 0.5]];
    assert!(log_loss(&["a"], nan.view(), &classes).is_err());
    let ok = array![[0.5, 0.5]];
    assert!(matches!(
        log_loss(&["z"], ok.view(), &classes),
        Err(Error::UnknownLabel(_))
    ));
    assert!(matches!(
        log_loss(&["a"], array![[1.0]].view(), &["a"]),
        Err(Error::TooFewClasses { found: 1 })
    ));
    assert!(log_loss(&["a"], ok.view(), &["a", "a"]).is_err());
    assert!(log_loss(&["a"], ok.view(), &["a", "b", "c"]).is_err());
    // A probability of exactly 0 for the true class is clipped, not infinite.
    let zero = array![[0.0, 1.0]];
    let l = log_loss(&["a"], zero.view(), &classes).unwrap();
    assert_eq!(l, -f64::EPSILON.ln());
}

#[test]
fn zero_division_counts_as_zero_in_averages() {
    // "c" is predicted but never true; "b" is true but never predicted.
    let prf = precision_recall_f1(&["a", "b"], &["a", "c"]).unwrap();
    assert_eq!(prf.labels, vec!["a", "b", "c"]);
    assert_eq!(prf.precision, vec![1.0, 0.0, 0.0]);
    assert_eq!(prf.recall, vec![1.0, 0.0, 0.0]);
    assert_eq!(prf.support, vec![1, 1, 0]);
    let m = prf.average(Average::Macro);
    assert!((m.f1 - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(prf.average(Average::Weighted).recall, 0.5);
    assert_eq!(prf.average(Average::Micro).precision, 0.5);
}

#[test]
fn report_and_matrix_text_name_every_label() {
    let r = classification_report(&["x", "y", "y"], &["x", "y", "x"], 2).unwrap();
    assert!(r.contains("precision"), "{r}");
    assert!(
        r.contains("           x       0.50      1.00      0.67         1"),
        "{r}"
    );
    assert!(r.contains("weighted avg"), "{r}");
    let cm = confusion_matrix(&[1, 2, 2], &[1, 2, 1]).unwrap();
    assert_eq!(cm.matrix, array![[1, 0], [1, 1]]);
    let t = cm.to_text();
    assert_eq!(t.lines().count(), 3, "{t}");
}

#[test]
fn hamming_loss_of_sets_matches_indicators() {
    let labels = ["a", "b", "c"];
    let t = vec![vec!["a", "b"], vec!["c"]];
    let p = vec![vec!["a"], vec!["c", "a"]];
    assert_eq!(hamming_loss_sets(&t, &p, &labels).unwrap(), 2.0 / 6.0);
    assert!(matches!(
        hamming_loss_sets(&t, &[vec!["q"], vec![]], &labels),
        Err(Error::UnknownLabel(_))
    ));
}
