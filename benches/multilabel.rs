//! One-vs-rest fit on 1 vs 2 threads: fortunes TF-IDF (training rows, min_df=2)
//! with 47 labels per the parity fixture's rule ({category} | long | has_digit
//! | always, plus a declared "never"), 45 of them fitted by logistic
//! regression at its defaults. Run: `cargo bench --bench multilabel`.

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{criterion_group, criterion_main, Criterion};
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::text::TfidfVectorizer;

fn ovr_fit_threads(c: &mut Criterion) {
    let Some(corpus) = data::corpus("fortunes.jsonl") else {
        eprintln!("SKIPPED: multilabel bench needs fortunes.jsonl");
        return;
    };
    let (train, _) = corpus.split();
    let sets: Vec<Vec<String>> = train
        .texts
        .iter()
        .zip(&train.labels)
        .map(|(t, l)| data::fortune_label_set(t, l))
        .collect();
    let mut classes: Vec<String> = sets.iter().flatten().cloned().collect();
    classes.sort();
    classes.dedup();
    classes.push("never".into());
    let x = TfidfVectorizer::params()
        .min_df(2)
        .fit(&train.texts)
        .and_then(|v| v.transform(&train.texts))
        .expect("TF-IDF on fortunes");
    let params = OneVsRestClassifier::params(LogisticRegression::params()).classes(classes.clone());
    eprintln!(
        "fortunes: {} rows x {} terms, {} labels",
        x.n_rows(),
        x.n_cols(),
        classes.len()
    );

    let mut group = c.benchmark_group(format!("ovr_lr_fit_fortunes_{}_labels", classes.len()));
    group.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        group.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| pool.install(|| params.fit(&x, &sets).expect("fit")))
        });
    }
    group.finish();

    let model = params.fit(&x, &sets).expect("fit");
    c.bench_function("ovr_lr_predict_proba_fortunes_train", |b| {
        b.iter(|| model.predict_proba(&x).expect("predict"))
    });
}

criterion_group!(benches, ovr_fit_threads);
criterion_main!(benches);
