//! LogisticRegression benches on BBC TF-IDF (skipped when ../shared/data is absent):
//!
//! * `logistic/fit_bbc`: default-settings fit on the training rows (1780 docs,
//!   ~27k terms, 5 classes) with rayon's default thread count;
//! * `logistic/fit_bbc_newton_cg`: the same with `Solver::NewtonCg`;
//! * `logistic/one_document`: one raw document end to end
//!   (`TfidfVectorizer::transform_one` + `predict_proba`) on the BBC model;
//! * `logistic/predict_proba_one_row`: `predict_proba` alone on one CSR row.
//! * `sgd/fit_bbc_hashed`: `SgdClassifier` fit (log loss, alpha 1e-4, 5
//!   epochs, no tol, no shuffling) on all of BBC hashed into 2^18 features
//!   (`HashingVectorizer`, `alternate_sign` false), rayon's default threads.
//!
//! `cargo bench --bench logistic`. For the side-by-side with scikit-learn run
//! `python3 scripts/compare_logistic.py` (and `scripts/compare_sgd.py`).

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use proba::linear::{LogisticRegression, SgdClassifier, SgdLoss, Solver};
use proba::text::{HashingVectorizer, TfidfVectorizer};

fn bench(c: &mut Criterion) {
    let Some(corpus) = data::corpus("bbc.jsonl") else {
        eprintln!("SKIPPED: logistic benches need bbc.jsonl");
        return;
    };
    let (train, test) = corpus.split();
    let tfidf = TfidfVectorizer::params()
        .fit(&train.texts)
        .expect("tfidf fit");
    let x = tfidf.transform(&train.texts).expect("tfidf transform");
    let mut group = c.benchmark_group("logistic");
    group.sample_size(10);
    group.bench_function("fit_bbc", |b| {
        b.iter(|| {
            LogisticRegression::params()
                .fit(black_box(&x), &train.labels)
                .expect("fit")
        })
    });
    group.bench_function("fit_bbc_newton_cg", |b| {
        b.iter(|| {
            LogisticRegression::params()
                .solver(Solver::NewtonCg)
                .fit(black_box(&x), &train.labels)
                .expect("fit")
        })
    });
    group.finish();

    let hv = HashingVectorizer::params()
        .n_features(1 << 18)
        .alternate_sign(false)
        .build()
        .expect("hashing vectorizer");
    let hashed = hv.transform(&corpus.texts).expect("hashing transform");
    let sgd = SgdClassifier::params()
        .loss(SgdLoss::LogLoss)
        .alpha(1e-4)
        .max_iter(5)
        .tol(None)
        .shuffle(false);
    let mut group = c.benchmark_group("sgd");
    group.sample_size(10);
    group.bench_function("fit_bbc_hashed", |b| {
        b.iter(|| {
            sgd.fit(black_box(&hashed), &corpus.labels)
                .expect("sgd fit")
        })
    });
    group.finish();

    let model = LogisticRegression::params()
        .fit(&x, &train.labels)
        .expect("fit");
    let doc = test.texts[0].as_str();
    c.bench_function("logistic/one_document", |b| {
        b.iter(|| {
            let row = tfidf.transform_one(black_box(doc));
            model.predict_proba(&row).expect("predict")
        })
    });
    let row = tfidf.transform_one(doc);
    c.bench_function("logistic/predict_proba_one_row", |b| {
        b.iter(|| model.predict_proba(black_box(&row)).expect("predict"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
