//! Fuzz targets for the vectorizers: arbitrary Unicode text and arbitrary
//! parameter combinations, fit then transform of other text. Commands:
//! `fuzz/README.md`.
//!
//! When `fit` succeeds,
//! the invariants checked are: the matrix is valid CSR of shape
//! `n_docs x n_features` with finite positive entries, a learned vocabulary
//! is sorted and distinct, `transform_one` agrees with `transform`, counts
//! are whole numbers (1 with `binary`), TF-IDF rows have unit L2 (or L1)
//! norm or are empty, transform of the fit corpus equals `fit_transform`,
//! and save -> load gives the same matrices.

use super::gen::{assert_csr_valid, docs, odd_f64, odd_text};
use arbitrary::{Result, Unstructured};
use proba::io;
use proba::text::{
    Analyzer, CountVectorizer, CountVectorizerParams, DocFreq, Norm, StopWords, StripAccents,
    TfidfVectorizer, TfidfVectorizerParams,
};
use proba::{CsrMatrix, Error};

/// Token patterns, valid and not: capture groups (0, 1, 2, optional),
/// empty matches, lookaround (unsupported by `regex`), unbalanced brackets,
/// huge repetition counts, Unicode classes.
const PATTERNS: &[&str] = &[
    r"(?u)\b\w\w+\b",
    r"\b\w\w+\b",
    r"\w+",
    r"[a-z]+",
    r"(\w+)@",
    r"(a)|b",
    r"(a)(b)",
    r"(?:x)(y)?",
    r"",
    r"a*",
    r"\b",
    r".",
    r"(",
    r"[",
    r"\",
    r"(?=a)",
    r"(?<=a)b",
    r"\1",
    r"a{1000000}",
    r"a{2,1}",
    r"\p{Greek}+",
    r"\p{NoSuchClass}",
    r"(?i)ß+",
    r"[^\s]+",
    r"\S",
];

fn doc_freq(u: &mut Unstructured) -> Result<DocFreq> {
    Ok(if u.arbitrary()? {
        DocFreq::from(u.int_in_range(-2..=5i8)?)
    } else if u.arbitrary()? {
        DocFreq::Fraction(f64::from(u.int_in_range(0..=4u8)?) * 0.25)
    } else {
        DocFreq::Fraction(odd_f64(u)?)
    })
}

fn ngram(u: &mut Unstructured) -> Result<(usize, usize)> {
    if u.ratio(3, 4)? {
        let lo = usize::from(u.int_in_range(1..=3u8)?);
        return Ok((lo, lo + usize::from(u.int_in_range(0..=2u8)?)));
    }
    let big = |u: &mut Unstructured| -> Result<usize> {
        Ok(match u.int_in_range(0..=9u8)? {
            0 => usize::MAX,
            1 => 1 << 20,
            k => usize::from(k % 5),
        })
    };
    Ok((big(u)?, big(u)?))
}

/// Applies arbitrary shared options through the public builder.
macro_rules! shared_options {
    ($u:expr, $p:expr) => {{
        let u: &mut Unstructured = $u;
        let mut p = $p;
        p = p.lowercase(u.arbitrary()?);
        p = p.analyzer(*u.choose(&[Analyzer::Word, Analyzer::Char, Analyzer::CharWb])?);
        let (lo, hi) = ngram(u)?;
        p = p.ngram_range(lo, hi);
        if u.arbitrary()? {
            p = p.min_df(doc_freq(u)?);
        }
        if u.arbitrary()? {
            p = p.max_df(doc_freq(u)?);
        }
        if u.arbitrary()? {
            p = p.max_features(usize::from(u.int_in_range(0..=6u8)?));
        }
        p = match u.int_in_range(0..=2u8)? {
            0 => p.stop_words(None),
            1 => p.stop_words(StopWords::English),
            _ => {
                let words: Vec<String> = (0..u.int_in_range(0..=4u8)?)
                    .map(|_| odd_text(u, 4))
                    .collect::<Result<_>>()?;
                p.stop_words(StopWords::List(words))
            }
        };
        p = p.strip_accents(*u.choose(&[
            None,
            Some(StripAccents::Unicode),
            Some(StripAccents::Ascii),
        ])?);
        p = match u.int_in_range(0..=3u8)? {
            0 => p,
            1 => p.token_pattern(odd_text(u, 6)?),
            _ => p.token_pattern(*u.choose(PATTERNS)?),
        };
        if super::gen::rare(u, 5)? {
            let terms: Vec<String> = (0..u.int_in_range(0..=5u8)?)
                .map(|_| odd_text(u, 4))
                .collect::<Result<_>>()?;
            p = p.vocabulary(terms);
        }
        p.binary(u.arbitrary()?)
    }};
}

fn count_params(u: &mut Unstructured) -> Result<CountVectorizerParams> {
    Ok(shared_options!(u, CountVectorizer::params()))
}

fn tfidf_params(u: &mut Unstructured) -> Result<TfidfVectorizerParams> {
    let p = shared_options!(u, TfidfVectorizer::params());
    Ok(p.norm(*u.choose(&[Norm::L2, Norm::L1, Norm::None])?)
        .use_idf(u.arbitrary()?)
        .smooth_idf(u.arbitrary()?)
        .sublinear_tf(u.arbitrary()?))
}

/// What must hold of any matrix a fitted vectorizer returns.
fn check_matrix(m: &CsrMatrix, n_docs: usize, n_features: usize) {
    assert_csr_valid(m);
    assert_eq!(m.shape(), (n_docs, n_features));
    assert!(
        m.data().iter().all(|v| v.is_finite() && *v > 0.0),
        "{:?}",
        m.data()
    );
}

fn check_names(names: &[String], fixed: bool) {
    if !fixed {
        assert!(
            names.windows(2).all(|w| w[0] < w[1]),
            "names not sorted/unique: {names:?}"
        );
    }
}

fn same_matrix(a: &CsrMatrix, b: &CsrMatrix, tol: f64) {
    assert_eq!(a.shape(), b.shape());
    assert_eq!(a.indptr(), b.indptr());
    assert_eq!(a.indices(), b.indices());
    for (x, y) in a.data().iter().zip(b.data()) {
        assert!((x - y).abs() <= tol * x.abs().max(1.0), "{x} vs {y}");
    }
}

/// Errors that bad parameters or a degenerate corpus may legitimately cause.
fn expected_error(e: &Error) -> bool {
    matches!(
        e,
        Error::InvalidParameter { .. }
            | Error::EmptyInput(_)
            | Error::EmptyVocabulary
            | Error::NoTermsRemain
    )
}

pub fn count_vectorizer(u: &mut Unstructured) -> arbitrary::Result<()> {
    let params = count_params(u)?;
    let train = docs(u, 6, 24)?;
    let test = docs(u, 4, 24)?;
    let cv = match params.fit_transform(&train) {
        Ok((cv, x)) => {
            super::deep();
            check_matrix(&x, train.len(), cv.n_features());
            assert_eq!(cv.transform(&train).expect("transform"), x);
            cv
        }
        Err(e) => {
            assert!(expected_error(&e), "unexpected error {e:?}");
            assert!(params.fit(&train).is_err());
            return Ok(());
        }
    };
    check_names(cv.feature_names(), cv.fixed_vocabulary());
    assert_eq!(cv.feature_names().len(), cv.n_features());
    let y = cv.transform(&test).expect("transform");
    check_matrix(&y, test.len(), cv.n_features());
    assert!(y.data().iter().all(|v| v.fract() == 0.0));
    for (i, doc) in test.iter().enumerate() {
        let one = cv.transform_one(doc);
        assert_eq!(one, y.select_rows(&[i]).expect("row"));
        let _ = cv.analyze(doc);
    }
    let back: CountVectorizer = io::from_str(&io::to_string(&cv).expect("save")).expect("load");
    assert_eq!(back.transform(&test).expect("transform"), y);
    Ok(())
}

pub fn tfidf_vectorizer(u: &mut Unstructured) -> arbitrary::Result<()> {
    let params = tfidf_params(u)?;
    let train = docs(u, 6, 24)?;
    let test = docs(u, 4, 24)?;
    let (v, x) = match params.fit_transform(&train) {
        Ok(r) => r,
        Err(e) => {
            assert!(expected_error(&e), "unexpected error {e:?}");
            assert!(params.fit(&train).is_err());
            return Ok(());
        }
    };
    super::deep();
    check_matrix(&x, train.len(), v.n_features());
    check_names(v.feature_names(), v.count_vectorizer().fixed_vocabulary());
    if let Some(idf) = v.idf() {
        assert_eq!(idf.len(), v.n_features());
        assert!(idf.iter().all(|d| d.is_finite() && *d >= 1.0));
    }
    // transform of the fit corpus equals fit_transform.
    same_matrix(&v.transform(&train).expect("transform"), &x, 1e-12);
    let y = v.transform(&test).expect("transform");
    check_matrix(&y, test.len(), v.n_features());
    for m in [&x, &y] {
        for r in m.rows() {
            let norm = match v.norm() {
                Norm::L2 => r.data().iter().map(|a| a * a).sum::<f64>().sqrt(),
                Norm::L1 => r.data().iter().map(|a| a.abs()).sum::<f64>(),
                Norm::None => continue,
            };
            assert!(
                r.nnz() == 0 || (norm - 1.0).abs() < 1e-12,
                "row norm {norm}"
            );
        }
    }
    for (i, doc) in test.iter().enumerate() {
        same_matrix(
            &v.transform_one(doc),
            &y.select_rows(&[i]).expect("row"),
            1e-12,
        );
    }
    let back: TfidfVectorizer = io::from_str(&io::to_string(&v).expect("save")).expect("load");
    assert_eq!(back.transform(&test).expect("transform"), y);
    Ok(())
}
