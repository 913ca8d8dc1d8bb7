//! `CountVectorizer` and `TfidfVectorizer`: every option proba implements
//! maps exactly; any other (a callable analyzer/tokenizer/preprocessor,
//! `input='filename'`, a non-f64 `dtype`...) is refused by name.

use super::globals::Global;
use super::numpy;
use super::pickle::{Obj, Value};
use super::value::{Estimator, View};
use crate::error::{Error, Result};
use crate::text::TfidfOptions;
use crate::text::{
    Analyzer, CountVectorizer, DocFreq, Norm, StopWords, StripAccents, TfidfTransformer,
    TfidfVectorizer, DEFAULT_TOKEN_PATTERN,
};

fn str_opt<'p>(e: &Estimator<'p>, view: &View<'p, '_>, name: &str) -> Result<Option<&'p str>> {
    match e.attr(view, name)? {
        Value::None => Ok(None),
        v => view
            .str(v)
            .map(Some)
            .ok_or_else(|| e.refuse(name, "<object>", "only strings and None are supported")),
    }
}

fn doc_freq(e: &Estimator<'_>, view: &View<'_, '_>, name: &str) -> Result<DocFreq> {
    match e.attr(view, name)? {
        Value::Int(i) => Ok(DocFreq::from(i)),
        Value::Float(x) => Ok(DocFreq::Fraction(x)),
        v => match numpy::scalar(view, v) {
            Some(numpy::Scalar::Int(i)) => Ok(DocFreq::from(i)),
            Some(numpy::Scalar::Float(x)) => Ok(DocFreq::Fraction(x)),
            None => Err(e.bad(name, "an int or a float")),
        },
    }
}

/// The saved form (see `proba::io`) of the analysis options, the
/// vocabulary flag and the terms in column order.
fn count_parts(e: &Estimator<'_>, view: &View<'_, '_>) -> Result<CountVectorizer> {
    if let Some(input) = str_opt(e, view, "input")? {
        if input != "content" {
            return Err(e.refuse(
                "input",
                format!("{input:?}"),
                "proba vectorizes text content, not file names or file objects",
            ));
        }
    }
    for name in ["preprocessor", "tokenizer"] {
        if e.attr(view, name)? != Value::None {
            return Err(e.refuse(name, "<callable>", "custom callables are not supported"));
        }
    }
    let analyzer = match str_opt(e, view, "analyzer")? {
        Some("word") => Analyzer::Word,
        Some("char") => Analyzer::Char,
        Some("char_wb") => Analyzer::CharWb,
        other => {
            return Err(e.refuse(
                "analyzer",
                format!("{other:?}"),
                "only 'word', 'char' and 'char_wb' are supported",
            ))
        }
    };
    let strip_accents = match str_opt(e, view, "strip_accents")? {
        None => None,
        Some("ascii") => Some(StripAccents::Ascii),
        Some("unicode") => Some(StripAccents::Unicode),
        Some(other) => return Err(e.refuse("strip_accents", format!("{other:?}"), "unknown mode")),
    };
    let token_pattern = match str_opt(e, view, "token_pattern")? {
        Some(p) => p.to_owned(),
        None if analyzer != Analyzer::Word => DEFAULT_TOKEN_PATTERN.to_owned(),
        None => return Err(e.refuse("token_pattern", "None", "a word analyzer needs a pattern")),
    };
    let stop_words = match e.attr(view, "stop_words")? {
        Value::None => None,
        v => match (view.str(v), view.seq(v)) {
            (Some("english"), _) => Some(StopWords::English),
            (Some(other), _) => {
                return Err(e.refuse(
                    "stop_words",
                    format!("{other:?}"),
                    "only 'english' or a list",
                ))
            }
            (None, Some(items)) => Some(StopWords::List(
                items
                    .iter()
                    .map(|w| view.str(*w).map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| e.bad("stop_words", "a list of strings"))?,
            )),
            (None, None) => return Err(e.bad("stop_words", "a string or a list of strings")),
        },
    };
    let ngram_range = match view.seq(e.attr(view, "ngram_range")?) {
        Some([lo, hi]) => match (view.int(*lo), view.int(*hi)) {
            (Some(lo), Some(hi)) if lo >= 0 && hi >= 0 => (lo as usize, hi as usize),
            _ => return Err(e.bad("ngram_range", "two non-negative integers")),
        },
        _ => return Err(e.bad("ngram_range", "a pair")),
    };
    let max_features = match e.attr(view, "max_features")? {
        Value::None => None,
        v => Some(
            view.int(v)
                .and_then(|i| usize::try_from(i).ok())
                .ok_or_else(|| e.bad("max_features", "a non-negative integer or None"))?,
        ),
    };
    match view.obj(e.attr(view, "dtype")?) {
        Some(Obj::Global(Global::NumpyType("float64"))) => {}
        // Counts are small integers: int64 (CountVectorizer's default) and
        // float64 hold them exactly, so the values are the same.
        Some(Obj::Global(Global::NumpyType("int64" | "int32" | "intp")))
            if e.class == Global::CountVectorizer => {}
        Some(Obj::Global(g)) => {
            return Err(e.refuse(
                "dtype",
                g.name(),
                "proba computes in float64 only (and exact integer counts)",
            ))
        }
        _ => return Err(e.bad("dtype", "a numpy scalar type")),
    }
    let options = serde_json::json!({
        "lowercase": e.bool(view, "lowercase")?,
        "strip_accents": strip_accents,
        "token_pattern": token_pattern,
        "stop_words": stop_words,
        "analyzer": analyzer,
        "ngram_range": [ngram_range.0, ngram_range.1],
        "min_df": doc_freq(e, view, "min_df")?,
        "max_df": doc_freq(e, view, "max_df")?,
        "max_features": max_features,
        "binary": e.bool(view, "binary")?,
    });
    let fixed = e.bool(view, "fixed_vocabulary_")?;
    let vocab = view
        .dict(e.attr(view, "vocabulary_")?)
        .ok_or_else(|| e.bad("vocabulary_", "a dict"))?;
    let mut terms: Vec<Option<&str>> = vec![None; vocab.len()];
    for (k, v) in vocab {
        let term = view
            .str(*k)
            .ok_or_else(|| e.bad("vocabulary_", "keyed by strings"))?;
        let col = view
            .int(*v)
            .and_then(|c| usize::try_from(c).ok())
            .filter(|&c| c < terms.len())
            .ok_or_else(|| e.bad("vocabulary_", "a map onto columns 0..n"))?;
        if terms[col].replace(term).is_some() {
            return Err(e.bad("vocabulary_", "a map onto distinct columns"));
        }
    }
    let terms = terms
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| e.bad("vocabulary_", "a map onto every column"))?;
    // The options through their saved form (so they are checked as
    // `io::load` checks them); the vocabulary straight from the file.
    CountVectorizer::from_saved_strs(from_json(options)?, fixed, &terms)
}

fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| Error::Format(format!("sklearn: {e}")))
}

/// A scikit-learn `CountVectorizer`.
pub(crate) fn count_vectorizer(view: &View<'_, '_>, v: Value) -> Result<CountVectorizer> {
    let e = view.estimator(v)?;
    if e.class != Global::CountVectorizer {
        return Err(wrong(e.class, "CountVectorizer"));
    }
    count_parts(&e, view)
}

pub(crate) fn wrong(found: Global, expected: &str) -> Error {
    Error::Format(format!(
        "sklearn: the file holds a {}, expected a {expected}",
        found.name()
    ))
}

/// The idf of a `TfidfTransformer`: `idf_` (scikit-learn >= 1.5) or the
/// diagonal of the sparse `_idf_diag` (older releases).
fn idf(t: &Estimator<'_>, view: &View<'_, '_>, n: usize) -> Result<Vec<f64>> {
    if let Some(a) = t.opt(view, "idf_") {
        return numpy::array(view, a)?.f64s();
    }
    let d = view.estimator(t.attr(view, "_idf_diag")?)?;
    if d.class != Global::ScipyCsr {
        return Err(t.bad("_idf_diag", "a scipy CSR matrix"));
    }
    let data = numpy::array(view, d.attr(view, "data")?)?.f64s()?;
    let indices = numpy::array(view, d.attr(view, "indices")?)?.i64s(view)?;
    let indptr = numpy::array(view, d.attr(view, "indptr")?)?.i64s(view)?;
    if indptr.len() != n + 1 || indices.len() != data.len() {
        return Err(t.bad("_idf_diag", "an n x n diagonal matrix"));
    }
    let mut idf = vec![0.0; n];
    for (i, w) in indptr.windows(2).enumerate() {
        let (a, b) = (usize::try_from(w[0]), usize::try_from(w[1]));
        let (Ok(a), Ok(b)) = (a, b) else {
            return Err(t.bad("_idf_diag", "a valid CSR matrix"));
        };
        if a > b || b > data.len() {
            return Err(t.bad("_idf_diag", "a valid CSR matrix"));
        }
        for k in a..b {
            if indices[k] == i as i64 {
                idf[i] = data[k];
            }
        }
    }
    Ok(idf)
}

/// A scikit-learn `TfidfVectorizer`.
pub(crate) fn tfidf_vectorizer(view: &View<'_, '_>, v: Value) -> Result<TfidfVectorizer> {
    let e = view.estimator(v)?;
    if e.class != Global::TfidfVectorizer {
        return Err(wrong(e.class, "TfidfVectorizer"));
    }
    let count = count_parts(&e, view)?;
    let t = view.estimator(e.attr(view, "_tfidf")?)?;
    if t.class != Global::TfidfTransformer {
        return Err(e.bad("_tfidf", "a TfidfTransformer"));
    }
    with_transformer(view, count, &t)
}

/// A scikit-learn `CountVectorizer` followed by a `TfidfTransformer` (the
/// steps of a Pipeline), as the `TfidfVectorizer` they are together.
pub(crate) fn count_then_tfidf(
    view: &View<'_, '_>,
    count: Value,
    transformer: Value,
) -> Result<TfidfVectorizer> {
    let c = view.estimator(count)?;
    if c.class != Global::CountVectorizer {
        return Err(wrong(c.class, "CountVectorizer"));
    }
    let t = view.estimator(transformer)?;
    if t.class != Global::TfidfTransformer {
        return Err(wrong(t.class, "TfidfTransformer"));
    }
    with_transformer(view, count_parts(&c, view)?, &t)
}

/// A scikit-learn `TfidfTransformer` on its own.
pub(crate) fn tfidf_transformer(view: &View<'_, '_>, v: Value) -> Result<TfidfTransformer> {
    let t = view.estimator(v)?;
    if t.class != Global::TfidfTransformer {
        return Err(wrong(t.class, "TfidfTransformer"));
    }
    let params = transformer_options(view, &t)?;
    let use_idf = params.use_idf;
    let n = view
        .int(t.attr(view, "n_features_in_")?)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| t.bad("n_features_in_", "a non-negative integer"))?;
    let idf = if use_idf {
        // JSON has no infinity: an unseen column's idf goes as null, which
        // the saved form reads back as infinity.
        let idf = idf(&t, view, n)?;
        Some(
            idf.into_iter()
                .map(|x| x.is_finite().then_some(x))
                .collect::<Vec<_>>(),
        )
    } else {
        None
    };
    from_json(serde_json::json!({ "params": params, "n_features": n, "idf": idf }))
}

/// The weighting options of a fitted `TfidfTransformer`.
fn transformer_options(view: &View<'_, '_>, t: &Estimator<'_>) -> Result<TfidfOptions> {
    let norm = match str_opt(t, view, "norm")? {
        Some("l2") => Norm::L2,
        Some("l1") => Norm::L1,
        None => Norm::None,
        Some(other) => return Err(t.refuse("norm", format!("{other:?}"), "unknown norm")),
    };
    Ok(TfidfOptions {
        norm,
        use_idf: t.bool(view, "use_idf")?,
        smooth_idf: t.bool(view, "smooth_idf")?,
        sublinear_tf: t.bool(view, "sublinear_tf")?,
    })
}

/// The vectorizer of the count options `count` weighted as the fitted
/// `TfidfTransformer` `t` says.
fn with_transformer(
    view: &View<'_, '_>,
    count: CountVectorizer,
    t: &Estimator<'_>,
) -> Result<TfidfVectorizer> {
    let tfidf = transformer_options(view, t)?;
    let idf = if tfidf.use_idf {
        Some(idf(t, view, count.n_features())?)
    } else {
        None
    };
    TfidfVectorizer::from_saved_parts(count, tfidf, idf)
}
