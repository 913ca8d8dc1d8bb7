//! Shared by the text parity tests: turning scikit-learn parameter dicts
//! into builders and comparing dense outputs.

use proba::text::{
    Analyzer, CountVectorizer, CountVectorizerParams, DocFreq, Norm, StopWords, StripAccents,
    TfidfVectorizer, TfidfVectorizerParams,
};
use proba::CsrMatrix;
use serde_json::Value;

/// One configuration with its expected outputs.
pub struct Case {
    pub name: String,
    pub tfidf: bool,
    pub params: Value,
    pub feature_names: Vec<String>,
    pub fit_transform: Option<Vec<Vec<f64>>>,
    pub transform_test: Option<Vec<Vec<f64>>>,
    pub idf: Option<Vec<f64>>,
}

impl Case {
    pub fn from_json(c: &Value) -> Case {
        // Either dense matrices (golden_text.json) or [row, col, value]
        // triplets with a "shape" of [n_train, n_test, n_features].
        let dense = |k: &str| -> Option<Vec<Vec<f64>>> {
            if let Some(v) = c.get(k) {
                return Some(serde_json::from_value(v.clone()).unwrap());
            }
            let trip = c.get(format!("{k}_coo").as_str())?.as_array()?;
            let shape = c["shape"].as_array().unwrap();
            let rows = shape[if k == "fit_transform" { 0 } else { 1 }]
                .as_u64()
                .unwrap() as usize;
            let cols = shape[2].as_u64().unwrap() as usize;
            let mut d = vec![vec![0.0; cols]; rows];
            for t in trip {
                d[t[0].as_u64().unwrap() as usize][t[1].as_u64().unwrap() as usize] =
                    t[2].as_f64().unwrap();
            }
            Some(d)
        };
        Case {
            name: c["name"].as_str().unwrap().to_string(),
            tfidf: c["class"].as_str().unwrap() == "TfidfVectorizer",
            params: c["params"].clone(),
            feature_names: serde_json::from_value(c["feature_names"].clone()).unwrap(),
            fit_transform: dense("fit_transform"),
            transform_test: dense("transform_test"),
            idf: c
                .get("idf")
                .filter(|v| !v.is_null())
                .map(|v| serde_json::from_value(v.clone()).unwrap()),
        }
    }
}

fn doc_freq(v: &Value) -> DocFreq {
    if v.is_i64() || v.is_u64() {
        DocFreq::from(v.as_i64().unwrap())
    } else {
        DocFreq::Fraction(v.as_f64().unwrap())
    }
}

fn strip_accents(v: &Value) -> Option<StripAccents> {
    match v.as_str() {
        Some("ascii") => Some(StripAccents::Ascii),
        Some("unicode") => Some(StripAccents::Unicode),
        _ => None,
    }
}

fn stop_words(v: &Value) -> Option<StopWords> {
    match v {
        Value::String(s) if s == "english" => Some(StopWords::English),
        Value::Array(a) => Some(StopWords::List(
            a.iter().map(|w| w.as_str().unwrap().to_string()).collect(),
        )),
        _ => None,
    }
}

fn analyzer(v: &Value) -> Analyzer {
    match v.as_str().unwrap() {
        "word" => Analyzer::Word,
        "char" => Analyzer::Char,
        "char_wb" => Analyzer::CharWb,
        other => panic!("analyzer {other}"),
    }
}

fn words(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

/// A `match` on the parameter name `$k` that applies the counting
/// parameters (those of `CountVectorizer`, which `TfidfVectorizer` shares:
/// the two builders have the same methods but no common trait) to the
/// builder `$b`, then the caller's own arms.
macro_rules! counting_params {
    ($b:ident, $k:expr, $v:expr, $($arms:tt)*) => {
        match $k {
            "lowercase" => $b.lowercase($v.as_bool().unwrap()),
            "strip_accents" => $b.strip_accents(strip_accents($v)),
            "token_pattern" => $b.token_pattern($v.as_str().unwrap()),
            "stop_words" => $b.stop_words(stop_words($v)),
            "analyzer" => $b.analyzer(analyzer($v)),
            "ngram_range" => $b.ngram_range(
                $v[0].as_u64().unwrap() as usize,
                $v[1].as_u64().unwrap() as usize,
            ),
            "min_df" => $b.min_df(doc_freq($v)),
            "max_df" => $b.max_df(doc_freq($v)),
            "max_features" => $b.max_features($v.as_u64().map(|n| n as usize)),
            "binary" => $b.binary($v.as_bool().unwrap()),
            "vocabulary" => $b.vocabulary(words($v)),
            $($arms)*
        }
    };
}

/// Applies a scikit-learn parameter dict to count parameters.
pub fn count_params(p: &Value) -> CountVectorizerParams {
    let mut b = CountVectorizer::params();
    let Some(map) = p.as_object() else { return b };
    for (k, v) in map {
        b = counting_params!(b, k.as_str(), v,
            // TF-IDF weighting: for the TfidfVectorizer of the same case.
            "norm" | "use_idf" | "smooth_idf" | "sublinear_tf" => b,
            other => panic!("unsupported parameter {other}"),
        );
    }
    b
}

/// Applies a scikit-learn parameter dict to TF-IDF parameters.
pub fn tfidf_params(p: &Value) -> TfidfVectorizerParams {
    let mut b = TfidfVectorizer::params();
    let Some(map) = p.as_object() else { return b };
    for (k, v) in map {
        b = counting_params!(b, k.as_str(), v,
            "norm" => b.norm(match v.as_str() {
                Some("l1") => Norm::L1,
                Some("l2") => Norm::L2,
                _ => Norm::None,
            }),
            "use_idf" => b.use_idf(v.as_bool().unwrap()),
            "smooth_idf" => b.smooth_idf(v.as_bool().unwrap()),
            "sublinear_tf" => b.sublinear_tf(v.as_bool().unwrap()),
            other => panic!("unsupported parameter {other}"),
        );
    }
    b
}

pub fn assert_dense_close(name: &str, what: &str, got: &CsrMatrix, want: &[Vec<f64>]) {
    let d = got.to_dense();
    assert_eq!(d.nrows(), want.len(), "{name} {what}: rows");
    for (i, row) in want.iter().enumerate() {
        assert_eq!(d.ncols(), row.len(), "{name} {what}: cols");
        for (j, &w) in row.iter().enumerate() {
            let g = d[[i, j]];
            assert!(
                (g - w).abs() <= 1e-12,
                "{name} {what}: [{i},{j}] got {g}, want {w}"
            );
        }
    }
}

/// Fits on `train`, checks vocabulary, fit_transform, transform(test), idf.
pub fn check_case(case: &Case, train: &[String], test: &[String]) {
    let name = &case.name;
    let (names, ft, tt, idf): (Vec<String>, CsrMatrix, CsrMatrix, Option<Vec<f64>>) = if case.tfidf
    {
        let (v, x) = tfidf_params(&case.params)
            .fit_transform(train)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let t = v.transform(test).unwrap();
        // fit + transform must equal fit_transform.
        let v2 = tfidf_params(&case.params).fit(train).unwrap();
        assert_eq!(
            v2.transform(train).unwrap(),
            x,
            "{name}: fit().transform == fit_transform"
        );
        for (i, doc) in test.iter().enumerate() {
            let one = v.transform_one(doc);
            assert_eq!(
                one.to_dense().row(0),
                t.to_dense().row(i),
                "{name}: transform_one row {i}"
            );
        }
        (
            v.feature_names().to_vec(),
            x,
            t,
            v.idf().map(<[f64]>::to_vec),
        )
    } else {
        let (v, x) = count_params(&case.params)
            .fit_transform(train)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let t = v.transform(test).unwrap();
        (v.feature_names().to_vec(), x, t, None)
    };
    assert_eq!(names, case.feature_names, "{name}: vocabulary");
    let (Some(want_ft), Some(want_tt)) = (&case.fit_transform, &case.transform_test) else {
        panic!("{name}: the fixture has no expected matrices");
    };
    assert_dense_close(name, "fit_transform", &ft, want_ft);
    assert_dense_close(name, "transform", &tt, want_tt);
    match (&case.idf, idf) {
        (Some(w), Some(g)) => {
            assert_eq!(w.len(), g.len(), "{name}: idf length");
            for (k, (a, b)) in w.iter().zip(&g).enumerate() {
                assert!((a - b).abs() <= 1e-12, "{name}: idf[{k}] {b} vs {a}");
            }
        }
        (None, None) => {}
        (w, g) => panic!(
            "{name}: idf presence differs: want {:?} got {:?}",
            w.is_some(),
            g.is_some()
        ),
    }
}
