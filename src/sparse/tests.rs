use super::*;
use ndarray::array;

#[test]
fn new_rejects_each_broken_invariant() {
    let cases = [
        // Regression (fuzz seed csr_deserialize/indptr_beyond_nnz.json):
        // an interior indptr entry beyond nnz used to panic on slicing.
        (
            2,
            3,
            vec![0, 6, 3],
            vec![0, 2, 1],
            vec![1.0, 2.0, 3.0],
            "exceeds nnz",
        ),
        (2, 3, vec![0, 1], vec![0], vec![1.0], "indptr has 2 entries"),
        (1, 3, vec![0, 1], vec![0, 1], vec![1.0], "indices has 2"),
        (1, 3, vec![1, 1], vec![0], vec![1.0], "start at 0"),
        (1, 3, vec![0, 2], vec![0], vec![1.0], "expected nnz"),
        (2, 3, vec![0, 1, 0], vec![0], vec![1.0], "expected nnz"),
        (1, 3, vec![0, 1], vec![3], vec![1.0], "out of range"),
        (
            1,
            3,
            vec![0, 2],
            vec![1, 1],
            vec![1.0, 2.0],
            "strictly increasing",
        ),
        (
            1,
            3,
            vec![0, 2],
            vec![2, 1],
            vec![1.0, 2.0],
            "strictly increasing",
        ),
    ];
    for (r, c, p, i, d, msg) in cases {
        let err = CsrMatrix::new(r, c, p, i, d).unwrap_err().to_string();
        assert!(err.contains(msg), "{err} should mention {msg}");
    }
    // A decreasing indptr in the middle.
    let err = CsrMatrix::new(3, 2, vec![0, 2, 1, 2], vec![0, 1], vec![1.0, 1.0]).unwrap_err();
    assert!(err.to_string().contains("decreases at row 1"), "{err}");
}

#[test]
fn dense_round_trip_and_rows() {
    let d = array![[0.0, 1.5, 0.0], [0.0, 0.0, 0.0], [2.0, 0.0, -1.0]];
    let m = CsrMatrix::from_dense(d.view());
    assert_eq!(m.nnz(), 3);
    assert_eq!(m.to_dense(), d);
    assert_eq!(m.row(1).unwrap().nnz(), 0);
    assert!(m.row(3).is_none());
    let rows: Vec<_> = m.rows().map(|r| r.iter().collect::<Vec<_>>()).collect();
    assert_eq!(rows[2], vec![(0, 2.0), (2, -1.0)]);
    let sel = m.select_rows(&[2, 0, 2]).unwrap();
    assert_eq!(sel.to_dense().row(1), d.row(0));
    assert!(m.select_rows(&[5]).is_err());
}

#[test]
fn deserialization_validates() {
    let good = serde_json::to_string(&CsrMatrix::from_dense(array![[1.0, 0.0]].view())).unwrap();
    let back: CsrMatrix = serde_json::from_str(&good).unwrap();
    assert_eq!(back.to_dense(), array![[1.0, 0.0]]);
    let bad = good.replace("\"indices\":[0]", "\"indices\":[7]");
    assert!(serde_json::from_str::<CsrMatrix>(&bad).is_err());
}

#[test]
fn check_finite_names_the_row_and_column() {
    let d = array![[0.0, 1.0], [2.0, f64::NAN]];
    match d.check_finite() {
        Err(Error::NonFinite { row: 1, col: 1, .. }) => {}
        other => panic!("unexpected {other:?}"),
    }
    let s = CsrMatrix::from_dense(d.view());
    assert!(matches!(
        s.check_finite(),
        Err(Error::NonFinite { row: 1, col: 1, .. })
    ));
    assert_eq!(Features::n_rows(&d.view()), 2);
}
