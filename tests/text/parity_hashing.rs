//! HashingVectorizer and TfidfTransformer against scikit-learn
//! (fixtures from scripts/make_fixtures_hashing.py).

use proba::text::{
    Analyzer, CountVectorizer, DocFreqs, HashingVectorizer, Norm, StopWords, StripAccents,
    TfidfTransformer, TfidfVectorizer,
};
use proba::CsrMatrix;
use serde_json::Value;

use crate::support::{self, usizes};

fn build(p: &Value) -> HashingVectorizer {
    let mut b = HashingVectorizer::params();
    if let Some(n) = p["n_features"].as_u64() {
        b = b.n_features(n as usize);
    }
    if let Some(a) = p["alternate_sign"].as_bool() {
        b = b.alternate_sign(a);
    }
    if let Some(x) = p["binary"].as_bool() {
        b = b.binary(x);
    }
    if let Some(x) = p["lowercase"].as_bool() {
        b = b.lowercase(x);
    }
    if let Some(r) = p["ngram_range"].as_array() {
        b = b.ngram_range(
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
    }
    if p["stop_words"].as_str() == Some("english") {
        b = b.stop_words(StopWords::English);
    }
    if let Some(t) = p["token_pattern"].as_str() {
        b = b.token_pattern(t);
    }
    match p["strip_accents"].as_str() {
        Some("unicode") => b = b.strip_accents(StripAccents::Unicode),
        Some("ascii") => b = b.strip_accents(StripAccents::Ascii),
        _ => {}
    }
    match p["analyzer"].as_str() {
        Some("char") => b = b.analyzer(Analyzer::Char),
        Some("char_wb") => b = b.analyzer(Analyzer::CharWb),
        _ => {}
    }
    b = match p.get("norm") {
        Some(Value::Null) => b.norm(Norm::None),
        Some(Value::String(s)) if s == "l1" => b.norm(Norm::L1),
        _ => b,
    };
    b.build().expect("valid fixture parameters")
}

fn assert_csr_eq(got: &CsrMatrix, want: &Value, what: &str) {
    let shape = usizes(&want["shape"]);
    assert_eq!(got.shape(), (shape[0], shape[1]), "{what}: shape");
    assert_eq!(got.indptr(), usizes(&want["indptr"]), "{what}: indptr");
    assert_eq!(got.indices(), usizes(&want["indices"]), "{what}: indices");
    let data: Vec<f64> = serde_json::from_value(want["data"].clone()).unwrap();
    for (k, (a, b)) in got.data().iter().zip(&data).enumerate() {
        assert!(
            (a - b).abs() <= 1e-12,
            "{what}: data[{k}] = {a}, scikit-learn {b}"
        );
    }
}

fn unit_corpus() -> Vec<String> {
    // The fixture's corpus is the text fixture's hard cases: train then test.
    let f = support::fixture("text/unit.json");
    let mut v: Vec<String> = serde_json::from_value(f["train"].clone()).unwrap();
    v.extend(serde_json::from_value::<Vec<String>>(f["test"].clone()).unwrap());
    v
}

#[test]
fn unit_matrices_equal_scikit_learn() {
    let f = support::fixture("hashing/unit.json");
    let docs = unit_corpus();
    for case in f["cases"].as_array().unwrap() {
        let hv = build(&case["params"]);
        let x = hv.transform(&docs).unwrap();
        assert_csr_eq(&x, &case["matrix"], &case["params"].to_string());
        for (i, d) in docs.iter().enumerate() {
            let one = hv.transform_one(d);
            assert_eq!(one.row(0), x.row(i), "transform_one row {i}");
        }
    }
}

#[test]
fn tfidf_transformer_equals_scikit_learn_on_hashed_counts() {
    let f = support::fixture("hashing/unit.json");
    let docs = unit_corpus();
    let hv = HashingVectorizer::params()
        .n_features(64)
        .alternate_sign(false)
        .norm(Norm::None)
        .build()
        .unwrap();
    let counts = hv.transform(&docs).unwrap();
    for case in f["tfidf"].as_array().unwrap() {
        let p = &case["params"];
        let mut b = TfidfTransformer::params();
        if let Some(x) = p["smooth_idf"].as_bool() {
            b = b.smooth_idf(x);
        }
        if let Some(x) = p["use_idf"].as_bool() {
            b = b.use_idf(x);
        }
        if let Some(x) = p["sublinear_tf"].as_bool() {
            b = b.sublinear_tf(x);
        }
        b = match p.get("norm") {
            Some(Value::Null) => b.norm(Norm::None),
            Some(Value::String(s)) if s == "l1" => b.norm(Norm::L1),
            _ => b,
        };
        let t = b.fit(&counts).unwrap();
        match (t.idf(), case["idf"].as_array()) {
            (None, None) => {}
            (Some(got), Some(want)) => {
                for (g, w) in got.iter().zip(want) {
                    match w.as_f64() {
                        Some(w) => assert!((g - w).abs() <= 1e-12, "{p}: idf {g} vs {w}"),
                        None => assert!(g.is_infinite(), "{p}: idf {g} vs inf"),
                    }
                }
            }
            other => panic!("{p}: idf presence differs: {other:?}"),
        }
        assert_csr_eq(
            &t.transform(&counts).unwrap(),
            &case["matrix"],
            &p.to_string(),
        );
        // Chunk by chunk gives the same idf.
        let mut df = DocFreqs::new(64);
        for chunk in docs.chunks(5) {
            df.add(&hv.transform(chunk).unwrap()).unwrap();
        }
        assert_eq!(b.fit_doc_freqs(&df).unwrap(), t, "{p}: chunked idf");
        // Saved and loaded, including infinite idf values.
        let back: TfidfTransformer =
            proba::io::from_str(&proba::io::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}

#[test]
fn tfidf_transformer_on_counts_equals_tfidf_vectorizer() {
    let docs = unit_corpus();
    let (_, counts) = CountVectorizer::params().fit_transform(&docs).unwrap();
    let (_, want) = TfidfVectorizer::params()
        .sublinear_tf(true)
        .fit_transform(&docs)
        .unwrap();
    let t = TfidfTransformer::params()
        .sublinear_tf(true)
        .fit(&counts)
        .unwrap();
    let got = t.transform(&counts).unwrap();
    assert_eq!(got.indices(), want.indices());
    for (a, b) in got.data().iter().zip(want.data()) {
        assert!((a - b).abs() <= 1e-15);
    }
}

fn check_corpus(name: &str) {
    let Some(c) = support::corpus(&format!("{name}.jsonl")) else {
        return;
    };
    let f = support::fixture(&format!("hashing/{name}.json"));
    assert_eq!(f["n_docs"].as_u64(), Some(c.texts.len() as u64));
    let stride = f["row_stride"].as_u64().unwrap() as usize;
    for case in f["cases"].as_array().unwrap() {
        let hv = build(&case["params"]);
        let x = hv.transform(&c.texts).unwrap();
        let what = case["params"].to_string();
        assert_eq!(x.nnz() as u64, case["nnz"].as_u64().unwrap(), "{what}: nnz");
        let nnz = usizes(&case["row_nnz"]);
        let sums: Vec<f64> = serde_json::from_value(case["row_sum"].clone()).unwrap();
        let col_sums: Vec<f64> = serde_json::from_value(case["row_col_sum"].clone()).unwrap();
        for (k, i) in (0..x.n_rows()).step_by(stride).enumerate() {
            let row = x.row(i).unwrap();
            assert_eq!(row.nnz(), nnz[k], "{what}: row {i} nnz");
            let s: f64 = row.data().iter().sum();
            let cs: f64 = row.iter().map(|(c, v)| c as f64 * v).sum();
            assert!(
                (s - sums[k]).abs() <= 1e-9 * (1.0 + sums[k].abs()),
                "{what}: row {i} sum {s} vs {}",
                sums[k]
            );
            assert!(
                (cs - col_sums[k]).abs() <= 1e-9 * (1.0 + col_sums[k].abs()),
                "{what}: row {i} column-weighted sum {cs} vs {}",
                col_sums[k]
            );
        }
        let one = support::in_pool(1, || hv.transform(&c.texts).unwrap());
        let two = support::in_pool(2, || hv.transform(&c.texts).unwrap());
        assert_eq!(one, two, "{what}: 1 vs 2 threads");
    }
}

#[test]
fn bbc_matrices_equal_scikit_learn() {
    check_corpus("bbc");
}

#[test]
fn fortunes_matrices_equal_scikit_learn() {
    check_corpus("fortunes");
}

#[test]
fn saved_and_loaded_vectorizer_gives_the_same_rows() {
    let hv = HashingVectorizer::params()
        .n_features(1000)
        .analyzer(Analyzer::CharWb)
        .ngram_range(2, 3)
        .build()
        .unwrap();
    let back: HashingVectorizer = proba::io::from_str(&proba::io::to_string(&hv).unwrap()).unwrap();
    let docs = ["Some text", "more TEXT here", ""];
    assert_eq!(back.transform(&docs).unwrap(), hv.transform(&docs).unwrap());
}

#[test]
fn bad_parameters_and_shapes_are_errors() {
    for n in [0usize, 1 << 31] {
        let e = HashingVectorizer::params()
            .n_features(n)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("n_features"), "{e}");
    }
    let e = HashingVectorizer::params()
        .ngram_range(2, 1)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("ngram_range"), "{e}");
    let t = TfidfTransformer::params()
        .fit(&CsrMatrix::zeros(2, 3))
        .unwrap();
    let e = t.transform(&CsrMatrix::zeros(1, 4)).unwrap_err();
    assert!(e.to_string().contains("columns"), "{e}");
    assert!(TfidfTransformer::params()
        .fit(&CsrMatrix::zeros(0, 3))
        .is_err());
    let mut df = DocFreqs::new(3);
    assert!(df.add(&CsrMatrix::zeros(1, 2)).is_err());
    // An unseen column without smoothing: the error names row and column.
    let fit = CsrMatrix::new(1, 2, vec![0, 1], vec![0], vec![1.0]).unwrap();
    let t = TfidfTransformer::params()
        .smooth_idf(false)
        .fit(&fit)
        .unwrap();
    let e = t
        .transform(&CsrMatrix::new(1, 2, vec![0, 1], vec![1], vec![1.0]).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("row 0, column 1"), "{e}");
}
