//! TF-IDF on the BBC corpus: default `fit_transform` and `transform`.
//! Reads ../shared/data/bbc.jsonl (or $PROBA_DATA_DIR) and prints a skip
//! message when it is absent. Throughput is reported in bytes of text.

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use proba::text::TfidfVectorizer;

fn tfidf(c: &mut Criterion) {
    let Some(corpus) = data::corpus("bbc.jsonl") else {
        println!("SKIPPED: tfidf bench needs bbc.jsonl");
        return;
    };
    let texts = corpus.texts;
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("tfidf_bbc");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("fit_transform_default", |b| {
        b.iter(|| TfidfVectorizer::params().fit_transform(&texts).unwrap())
    });
    let v = TfidfVectorizer::params().fit(&texts).unwrap();
    g.bench_function("transform_default", |b| {
        b.iter(|| v.transform(&texts).unwrap())
    });
    g.bench_function("transform_one_per_doc", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| v.transform_one(t).nnz())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, tfidf);
criterion_main!(benches);
