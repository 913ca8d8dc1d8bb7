//! Parity with scikit-learn on the BBC and fortunes corpora, for each
//! required configuration: vocabulary (size, FNV-1a hash of the ordered
//! terms, sampled columns), idf, nnz, sampled entries and every row's sum,
//! on fit_transform of the training split and transform of the test split.
//! Skips with a message when ../shared/data is absent.

use proba::CsrMatrix;
use serde_json::Value;

use crate::support;

fn fnv1a64(terms: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            h ^= u64::from(b'\n');
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for &b in t.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12
}

fn check_matrix(ctx: &str, m: &CsrMatrix, want: &Value) {
    assert_eq!(m.nnz() as u64, want["nnz"].as_u64().unwrap(), "{ctx}: nnz");
    let sums = want["row_sums"].as_array().unwrap();
    assert_eq!(m.n_rows(), sums.len(), "{ctx}: rows");
    for (i, (row, s)) in m.rows().zip(sums).enumerate() {
        let got: f64 = row.data().iter().sum();
        let s = s.as_f64().unwrap();
        assert!(close(got, s), "{ctx}: row {i} sum {got} vs {s}");
    }
    for e in want["entries"].as_array().unwrap() {
        let (r, c, v) = (
            e[0].as_u64().unwrap() as usize,
            e[1].as_u64().unwrap() as usize,
            e[2].as_f64().unwrap(),
        );
        let row = m.row(r).unwrap();
        let k = row
            .indices()
            .binary_search(&c)
            .unwrap_or_else(|_| panic!("{ctx}: ({r}, {c}) missing"));
        assert!(
            close(row.data()[k], v),
            "{ctx}: ({r}, {c}) {} vs {v}",
            row.data()[k]
        );
    }
}

fn check_corpus(name: &str) {
    let Some(corpus) = support::corpus(&format!("{name}.jsonl")) else {
        return;
    };
    let (train, test) = corpus.split();
    let fx = support::fixture(&format!("text/{name}.json"));
    assert_eq!(train.texts.len() as u64, fx["n_train"].as_u64().unwrap());
    for case in fx["cases"].as_array().unwrap() {
        let cname = format!("{name}/{}", case["name"].as_str().unwrap());
        let params = support::text::tfidf_params(&case["params"]);
        let (v, x) = params
            .fit_transform(&train.texts)
            .unwrap_or_else(|e| panic!("{cname}: {e}"));
        let terms = v.feature_names();
        assert_eq!(
            terms.len() as u64,
            case["n_features"].as_u64().unwrap(),
            "{cname}: vocabulary size"
        );
        for st in case["sample_terms"].as_array().unwrap() {
            let (t, c) = (st[0].as_str().unwrap(), st[1].as_u64().unwrap() as usize);
            assert_eq!(terms[c], t, "{cname}: column {c}");
            assert_eq!(v.term_index(t), Some(c), "{cname}: term_index({t:?})");
        }
        assert_eq!(
            fnv1a64(terms),
            case["vocab_fnv1a64"].as_str().unwrap(),
            "{cname}: vocabulary hash"
        );
        match (case.get("idf_sample"), v.idf()) {
            (Some(s), Some(idf)) => {
                for e in s.as_array().unwrap() {
                    let (c, w) = (e[0].as_u64().unwrap() as usize, e[1].as_f64().unwrap());
                    assert!(close(idf[c], w), "{cname}: idf[{c}] {} vs {w}", idf[c]);
                }
            }
            (None, None) => {}
            _ => panic!("{cname}: idf presence differs"),
        }
        check_matrix(&format!("{cname} fit_transform"), &x, &case["fit"]);
        let t = v.transform(&test.texts).unwrap();
        check_matrix(&format!("{cname} transform(test)"), &t, &case["test"]);
    }
}

#[test]
fn bbc_matches_sklearn() {
    check_corpus("bbc");
}

#[test]
fn fortunes_matches_sklearn() {
    check_corpus("fortunes");
}
