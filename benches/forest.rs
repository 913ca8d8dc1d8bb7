//! Random forest benchmarks: fitting 100 trees on digits (dense) and on a
//! sparse TF-IDF matrix, and `predict_proba` of one dense row with 100 trees.
//!
//! ```text
//! cargo bench --bench forest
//! ```
//! Reads ../shared/data (or PROBA_DATA_DIR); prints a skip message and
//! measures nothing for data that is absent.

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ndarray::{Array2, Axis};
use proba::ensemble::RandomForestClassifier;
use proba::prelude::*;
use proba::text::TfidfVectorizer;

fn digits_split() -> Option<(Array2<f64>, Vec<i64>, Array2<f64>)> {
    let (x, y) = data::digits()?;
    let train: Vec<usize> = (0..y.len()).filter(|i| i % 5 != 0).collect();
    let test: Vec<usize> = (0..y.len()).filter(|i| i % 5 == 0).collect();
    Some((
        x.select(Axis(0), &train),
        train.iter().map(|&i| y[i]).collect(),
        x.select(Axis(0), &test),
    ))
}

fn forest(c: &mut Criterion) {
    let mut group = c.benchmark_group("forest");
    group.sample_size(10);
    if let Some((x, y, x_test)) = digits_split() {
        let params = RandomForestClassifier::params().n_estimators(100).seed(0);
        group.bench_function("fit digits 100 trees", |b| {
            b.iter(|| params.fit(black_box(&x), &y).unwrap())
        });
        let rf = params.fit(&x, &y).unwrap();
        let one = x_test.select(Axis(0), &[0]);
        group.bench_function("predict_proba 1 dense row, 100 trees", |b| {
            b.iter(|| rf.predict_proba(black_box(&one)).unwrap())
        });
        group.bench_function("predict_proba 360 dense rows, 100 trees", |b| {
            b.iter(|| rf.predict_proba(black_box(&x_test)).unwrap())
        });
    }
    if let Some(corpus) = data::corpus("bbc.jsonl") {
        let (train, _) = corpus.split();
        let tfidf = TfidfVectorizer::params().fit(&train.texts).unwrap();
        let x = tfidf.transform(&train.texts).unwrap();
        let params = RandomForestClassifier::params().n_estimators(100).seed(0);
        group.bench_function("fit bbc tf-idf 100 trees", |b| {
            b.iter(|| params.fit(black_box(&x), &train.labels).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, forest);
criterion_main!(benches);
